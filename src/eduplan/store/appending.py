"""Appending entries to a ledger, safely (what ``record``, ``correct``, ``void``, ``baseline``
and ``import`` write through).

* every write takes an exclusive lock on ``REAL.lock`` beside the *real* file (through any
  symbolic link), so two writers reaching one file by different paths take one lock; in a
  ledger folder, the folder's lock first (:mod:`eduplan.store.locking`);
* before writing, the whole ledger must load and validate (:func:`eduplan.store.ledger.synced`);
  the tool never writes to a ledger it could not read, nor to anything that is not a regular file;
* the new entries are checked against the plan and the ledger's history, rendered, parsed back
  and compared, then appended with one ``write`` and ``fsync``; a write that fails (a full
  disk) is cut back to the old size under the lock, so the file is as it was. A crash leaves
  at most a torn last entry, or the first entries of an import (each imported entry knows the
  import's size), which ``validate`` names and ``repair`` (:mod:`eduplan.store.repair`) removes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ..core.entries import entry_plan_problems, shape_problems
from ..core.models import Entry, Plan
from ..errors import EduplanError, ProblemsError, os_error
from ..i18n import N_, Msg, msg
from . import ledgerfile as lf
from . import toml
from .index import FileRow, Index, observed
from .ledger import LedgerView, Location, Place, check_structure, extend, place, synced, torn_hint
from .locking import folder_lock, ledger_lock
from .paths import file_kind


def check_writable(loc: Location, create_folder: bool) -> None:
    """Refuse, before anything is read or locked, a ledger that cannot be written: a missing or
    read-only folder, or a path that is not a regular file (a folder, a FIFO, a device)."""
    folder = loc.real.parent
    if not folder.exists() and create_folder:
        try:
            folder.mkdir(parents=True, exist_ok=True)  # the default location is ours to create
        except OSError as exc:
            raise os_error(folder, exc, N_("creating the ledger's folder")) from None
    if not folder.is_dir():
        raise EduplanError(msg("{path}: the folder {folder} does not exist", path=str(loc.path), folder=str(folder)))
    try:
        st = os.stat(loc.real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise os_error(loc.path, exc, N_("reading the ledger")) from None
    if st is not None:
        kind = file_kind(st)
        if kind is not None:
            raise EduplanError(msg("{path} is {kind}, not a ledger file; nothing was recorded", path=str(loc.path),
                                   kind=msg(kind)))
        if not os.access(loc.real, os.W_OK):
            raise EduplanError(msg("{path}: the ledger is read-only; nothing was recorded", path=str(loc.path)))
    if not os.access(folder, os.W_OK):
        raise EduplanError(msg("{path}: the folder {folder} is read-only; nothing was recorded", path=str(loc.path),
                               folder=str(folder)))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:  # pragma: no cover - a regular file does not do this
            raise OSError(errno.EIO, "short write")
        view = view[written:]


def _append(loc: Location, data: bytes, expected: int) -> tuple[int, tuple[int, ...] | None]:
    """Append with one write and fsync: (the size before, the file's signature after). A write
    that fails is cut back to the size before, so the file is as it was. A file whose size is not
    ``expected``, the size read and checked under the lock, is not written: another program
    changed it since (``git pull`` replacing it while an import ran), and entries appended to it
    would carry ids it already holds."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
    new_file = not loc.real.exists()
    try:
        fd = os.open(loc.real, flags, 0o644)
    except OSError as exc:
        raise os_error(loc.path, exc, N_("opening the ledger to write")) from None
    try:
        before = os.fstat(fd).st_size
        if before != expected:
            raise EduplanError(msg("{path} changed while this command read it (another program wrote it, such as git "
                                   "pull); nothing was recorded: run the command again", path=str(loc.path)))
        try:
            _write_all(fd, data)
            os.fsync(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, before)
                os.fsync(fd)
            raise EduplanError(msg("{path}: writing the ledger failed ({reason}); nothing was recorded and the file "
                                   "is as it was", path=str(loc.path), reason=_reason(exc))) from None
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if new_file:
        _fsync_dir(loc.real.parent)
    return before, observed(after, time.time_ns()) if after.st_size == before + len(data) else None


def _reason(exc: OSError) -> Msg:
    from ..errors import reason

    return reason(exc)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


Build = Callable[[LedgerView], list[Entry]]


def _target_file(where: Place, plan: Plan, office: str) -> Location:
    """The file an office writes: the one whose header names it, else ``OFFICE.ledger.toml``."""
    if not where.folder:
        return where.files()[0]
    index, sync = synced(where, plan)
    try:
        name = {f.office: f.name for f in index.files()}.get(office)
    finally:
        index.close()
    if name is not None:
        return next(loc for loc in where.files() if loc.name == name)
    return where.file_for(office)


def append_entries(path: Path, plan: Plan, build: Build, *, create_folder: bool = False, office: str = "") -> list[Entry]:
    """Append the entries ``build(view)`` returns, under the writers' lock of the file written.

    In a ledger folder, ``office`` names the file (its own); the whole folder must load. ``build``
    sees the validated ledger and may raise :class:`EduplanError` to refuse; then nothing is
    written. Every new entry is checked against the plan and the ledger's history before a
    byte is written. Returns the entries written.
    """
    where = place(path)
    loc = _target_file(where, plan, office)
    office = office if where.folder else ""
    check_writable(loc, create_folder)
    with folder_lock(where), ledger_lock(loc):
        index, sync = synced(where, plan, writer=loc)
        try:
            if sync.problems:
                raise ProblemsError(sync.problems, hint=torn_hint(sync, path) or msg(
                    "nothing was recorded: the ledger must load before anything is added to it"))
            view = LedgerView(where, plan, index, sync, office)
            new = [dataclasses.replace(e, office=office) if e.office != office else e for e in build(view)]
            if not new:
                return []
            _check_new(new, view, str(loc.path))
            text = lf.render_entries(new)
            _prove_round_trip(text, new)
            data = text.encode("utf-8")
            row = index.file(loc.name)
            if row is None or row.size == 0:
                data = lf.header_text(plan, office).encode("utf-8") + data
            before, after = _append(loc, data, row.size if row is not None else 0)
            # the entries are written: whatever the index cannot take in now, the next command reads
            # from the file (whose bytes the index no longer matches); never "nothing was changed" now
            with contextlib.suppress(Exception):
                _index_written(index, loc, plan, row, before, data, new, after, office)
            return new
        finally:
            index.close()


def _index_written(index: Index, loc: Location, plan: Plan, row: FileRow | None, before: int, data: bytes,
                   new: Sequence[Entry], stat: tuple | None, office: str) -> None:
    """Tell the index what was just appended; if it did not describe the file as it was, leave
    it: the next reader reads the file again."""
    with index.writing():
        current = index.file(loc.name)
        if before == 0:
            header = {"schema_version": lf.SCHEMA_VERSION, "plan": plan.plan.id, "plan_version": plan.plan.version}
            if office:
                header["office"] = office
            index.drop_file(loc.name)
            current = FileRow(loc.name, office, header, 0, (), None, 0, 0, 1)
        elif current is None or row is None or current.size != before:
            return
        _, blocks = lf.split(data)
        index.insert((e, loc.name, b.digest) for e, b in zip(new, blocks))
        index.mark_superseded(new)
        extend(index, loc, current, data, new, stat)


def _check_new(new: Sequence[Entry], view: LedgerView, file: str) -> None:
    problems: list[tuple[str, Msg]] = []
    for e in new:
        problems += shape_problems(e) + entry_plan_problems(e, view.plan)
    if problems:
        raise EduplanError(problems[0][1], field=problems[0][0])
    rows = [(lf.Block(0, 0, b"", 0), e, e) for e in new]
    structural = check_structure(rows, file, view.index.max_id(new[0].office), view.index)
    if structural.problems:
        raise EduplanError(structural.problems[0].message)


def _prove_round_trip(text: str, entries: Sequence[Entry]) -> None:
    """Parse what is about to be written; it must read back as exactly these entries."""
    try:
        back = toml.loads(text)[lf.TABLE]
    except toml.TOMLDecodeError:  # pragma: no cover - a bug in rendering, never user input
        raise EduplanError(msg("internal error: an entry would not read back; nothing was recorded")) from None
    expected = [lf.entry_to_dict(e) for e in entries]
    if back != expected or [_types(r) for r in back] != [_types(r) for r in expected]:
        raise EduplanError(msg("internal error: an entry would not read back unchanged; nothing was recorded"))


def _types(row: dict) -> list:
    return [(k, type(v).__name__, getattr(v, "tzinfo", None) is not None) for k, v in row.items()]
