"""The ledger on disk, read through its index: where it is (one file, or a folder of per-office
files), bringing its SQLite index up to date, each file's rules, and what the services ask of it
(:class:`LedgerView`).

Reading (:func:`open_ledger`) brings the index up to date first: nothing to do when the bytes
are the ones indexed (the file untouched since its bytes were hashed, or its bytes hashing to
the indexed ranges); the appended blocks only when the file grew; else every block whose bytes
changed (a hand edit), reusing the rest. A ledger with problems is not read at all: every
problem is named with its file and line, and an incomplete end (a write cut short) is told
apart from the rest, for ``repair``.

Writing is :mod:`eduplan.store.appending`; the rules across a folder's files are
:mod:`eduplan.store.folder`; ``repair`` is :mod:`eduplan.store.repair`.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.entries import import_runs, order_problem, supersede_problems
from ..core.models import Entry, Plan
from ..core.records import record
from ..errors import EduplanError, Problem, ProblemsError, os_error
from ..i18n import LANGS, N_, Flag, Msg, msg
from . import folder
from .index import FileRow, Index, Light, Stale, damaged, observed, proves, settled, signature, vouches
from .locking import ledger_lock
from .paths import cache_dir, file_kind, key_of, real_path

# The file reader and the rebuild's child process are imported by the functions that read a
# file: a command whose index is current parses nothing (they are 2-3 ms of every start).
if TYPE_CHECKING:
    from . import halves
    from . import ledgerfile as lf


# --------------------------------------------------------------------------- the file


@record(slots=False)
class Location:
    """A ledger file: the path as given, and the real file it reaches."""

    path: Path
    real: Path
    name: str = ""  # the file's name within a ledger folder ('' for a one-file ledger)

    @property
    def lock_path(self) -> Path:
        return self.real.with_name(self.real.name + ".lock")


def locate(path: Path) -> Location:
    return Location(path, real_path(path))


LEDGER_SUFFIX = ".toml"


def folder_keeps(name: str) -> bool:
    """Is a file of this name one a ledger folder reads or keeps: an office's ``*.toml`` (as
    :meth:`Place.files` reads them), ``.office`` and the other dotfiles, a lock? A report saved
    beside them (``report.md``) is not."""
    return name.endswith((LEDGER_SUFFIX, ".lock")) or name.startswith(".")


@record(slots=False)
class Place:
    """Where a ledger is: one file, or a folder of per-office files (``OFFICE.ledger.toml``)."""

    path: Path
    real: Path
    folder: bool

    def files(self) -> list[Location]:
        if not self.folder:
            return [Location(self.path, self.real, "")]
        out = []
        try:
            names = sorted(os.listdir(self.real))
        except OSError as exc:
            raise os_error(self.path, exc, N_("reading the ledger folder")) from None
        for name in names:
            if name.endswith(LEDGER_SUFFIX) and not name.startswith("."):
                out.append(Location(self.path / name, real_path(self.real / name), name))
        return out

    def unread(self) -> list[Problem]:
        """Files in a ledger folder (or a folder inside it) that hold the entries of an office no
        file read holds (only ``*.toml`` directly in the folder are read): 黄岩区.ledger.TOML, the
        file moved to 2023/. Without a word, that office's figures would vanish from every
        reading. A copy of a file that is read (a .bak beside it, what repair cut off) is left."""
        if not self.folder:
            return []
        out: list[Problem] = []
        try:
            names = sorted(os.listdir(self.real))
        except OSError:
            return []
        offices = {_head_office(self.real / n) for n in names if n.endswith(LEDGER_SUFFIX)}
        places = [(self.real / n, n) for n in names if not folder_keeps(n)]
        for sub_name in names:
            inner = self.real / sub_name
            if not sub_name.startswith(".") and inner.is_dir() and not inner.is_symlink():
                with contextlib.suppress(OSError):
                    places += [(inner / n, f"{sub_name}/{n}") for n in sorted(os.listdir(inner))]
        for path, shown in places:
            try:
                if not path.is_file() or path.is_symlink():
                    continue
            except OSError:
                continue
            office = _head_office(path)
            if office is not None and office not in offices:
                out.append(Problem(str(self.path / shown), None, msg(
                    "this file holds a ledger's entries but is not read: a ledger folder reads the *.toml files "
                    "directly in it; rename it NAME.ledger.toml and put it there, or move it out of the folder"),
                    kind="unread"))
        return out

    def file_for(self, office: str) -> Location:
        """Where an office's entries go in a folder: ``OFFICE.ledger.toml``."""
        safe = re.sub(r'[\\/\x00-\x1f:*?"<>|]', "_", office).strip(". ") or "_"
        name = f"{safe}.ledger{LEDGER_SUFFIX}"
        return Location(self.path / name, real_path(self.real / name), name)


def _head_office(path: Path) -> str | None:
    """The office a file's header names (``office = "黄岩区"``), read from its first 4 KiB; None (and
    for what is not a regular file: a FIFO is never opened, nor waited on)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    m = re.search(rb'(?m)^\s*office\s*=\s*"([^"\n]*)"', head)
    return m[1].decode("utf-8", "replace") if m else None


def place(path: Path) -> Place:
    real = real_path(path)
    return Place(path, real, real.is_dir())


def _open_regular(loc: Location):
    """The ledger opened for reading, or None when it does not exist. Never blocks on a FIFO."""
    try:
        fd = os.open(loc.real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise EduplanError(msg("{path}: is a folder, not a ledger file", path=str(loc.path))) from None
    except OSError as exc:
        raise os_error(loc.path, exc, N_("reading the ledger")) from None
    st = os.fstat(fd)
    kind = file_kind(st)
    if kind is not None:
        os.close(fd)
        raise EduplanError(msg("{path} is {kind}, not a ledger file", path=str(loc.path), kind=msg(kind)))
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


# --------------------------------------------------------------------------- the index


def index_path(loc: Location | Place) -> Path | None:
    root = cache_dir()
    return root / f"ledger-{key_of(loc.real)}.sqlite" if root is not None else None


_memory_only = False  # set for a command run again after its stored index failed it (shell.py)


@contextlib.contextmanager
def memory_index() -> Iterator[None]:
    """Every index built in memory while inside (the stored one left alone)."""
    global _memory_only
    was, _memory_only = _memory_only, True
    try:
        yield
    finally:
        _memory_only = was


def _wait_for(loc: Location | Place) -> float:
    """How long a command waits for the index while another connection holds it locked, before
    it reads the ledger in memory instead: about what reading it in memory would cost (2 s and
    a second for every 5 MB of ledger, at least 5 s, at most 60). Another command of this tool
    writes it in less (a rebuild at 100,000 entries, 26 MB: about 2 s); a program holding it
    open for writing (a database browser's open transaction) held every command for 60 s a
    statement (a status 121 s)."""
    try:
        files = loc.files() if isinstance(loc, Place) else [loc]
        size = sum(os.stat(f.real).st_size for f in files if os.path.exists(f.real))
    except (OSError, EduplanError):
        return 60.0
    return min(60.0, max(5.0, 2.0 + size / 5e6))


def _open_index(loc: Location | Place, plan: Plan) -> Index:
    """The ledger's index, valid for this ledger and plan (reset if not). A damaged database is
    removed and built again; a cache folder that cannot be written means an index in memory for
    this command."""
    path = None if _memory_only else index_path(loc)
    if path is not None and not _regular_or_none(path):
        path = None  # a folder stands where the index goes: this command's index is in memory
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            index = Index(path, _wait_for(loc))
            if not index.valid_for(str(loc.real), plan.fingerprint):
                index.reset(str(loc.real), plan.fingerprint)
            return index
        except (OSError, sqlite3.Error) as exc:
            with contextlib.suppress(Exception):
                index.close()  # type: ignore[possibly-undefined]
            with contextlib.suppress(OSError):
                if path.exists() and path.stat().st_size and (not _is_sqlite(path) or damaged(exc)):
                    _discard(path)  # not a database, or a damaged one (a cut file): make room for a new one
            try:
                index = Index(path, _wait_for(loc))
                index.reset(str(loc.real), plan.fingerprint)
                return index
            except (OSError, sqlite3.Error):
                with contextlib.suppress(Exception):
                    index.close()
    index = Index(None)
    index.reset(str(loc.real), plan.fingerprint)
    return index


def _regular_or_none(path: Path) -> bool:
    """Is the index's place (and its -wal and -shm files') a regular file, or empty? Anything else
    there is removed, itself and never what it points to: a link (SQLite would write through it,
    over another program's database or another ledger's index), a FIFO (it would hang), a device.
    False for a folder, which is left as it is."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        place = path.with_name(path.name + suffix)
        try:
            mode = os.lstat(place).st_mode
        except FileNotFoundError:
            continue
        except OSError:
            return False
        if stat.S_ISREG(mode):
            continue
        if stat.S_ISDIR(mode):
            return False
        try:
            os.unlink(place)
        except OSError:
            return False
    return True


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


@dataclasses.dataclass
class Sync:
    """What bringing the index up to date found."""

    problems: list[Problem] = dataclasses.field(default_factory=list)
    torn: bool = False  # the only problems are an incomplete end (a write cut short)
    cut: int | None = None  # where a repair cuts the file (when torn)
    count: int = 0
    exists: bool = True
    torn_files: tuple[tuple[Location, int], ...] = ()  # in a folder: every file torn at its end, and where


def header_problems(data: dict, loc: Location, plan: Plan) -> list[Problem]:
    """Is the ledger this plan's? (The header's own form is checked where it is read, once.)"""
    out: list[Problem] = []
    owner = data.get("plan")
    if isinstance(owner, str) and owner != plan.plan.id:
        out.append(Problem(str(loc.path), None, msg(
            "this ledger belongs to the plan '{owner}', not to '{plan}': give the right {plan_flag} or {ledger_flag}",
            owner=owner, plan=plan.plan.id, plan_flag=Flag("plan"), ledger_flag=Flag("ledger")), kind="plan"))
    return out


def _office(data: dict) -> str:
    office = data.get("office", "")
    return office if isinstance(office, str) else ""


def sync_file(index: Index, loc: Location, plan: Plan, *, writer: bool) -> Sync:
    """Bring the index up to date with the file (or find why it cannot be).

    Commands run side by side: what this one reads of the index (which bytes it describes,
    which rows it holds) may be changed by another before this one writes. Each write is made
    only if the index is still as it was read (its generation); otherwise the file is looked at
    again (usually then proved up to date, the other command having indexed the same bytes).
    After a few such turns a reader waits for the file's writers, so that it is not outrun."""
    for _ in range(_STALE_TURNS):
        try:
            return _sync_file(index, loc, plan, writer=writer, since=index.generation())
        except Stale:
            continue  # look again, from the start
    with ledger_lock(loc, reader=True) if not writer else contextlib.nullcontext():
        while True:  # no writer appends now: each turn lost is to a reader that indexed these very bytes
            try:
                return _sync_file(index, loc, plan, writer=writer, since=index.generation())
            except Stale:
                continue


_STALE_TURNS = 5


def _sync_file(index: Index, loc: Location, plan: Plan, *, writer: bool, since: int) -> Sync:
    fh = _open_regular(loc)
    if fh is None:
        if index.file(loc.name) is not None:
            with index.writing(since):
                index.drop_file(loc.name)
        return Sync(exists=False)
    with fh:
        at = time.time_ns()  # before anything is read: what the signature vouches for is what is read after
        st = os.fstat(fh.fileno())
        row = index.file(loc.name)
        if row is not None and row.size == st.st_size:
            if vouches(row.stat, st, writer=writer):
                return Sync(count=row.count)
            if proves(row.ranges, fh, st.st_size):
                if not settled(row.stat) and _stable(st, os.fstat(fh.fileno()), row.size):
                    if settled(stat := observed(st, at)):  # the next command need not read the bytes again
                        index.settle(row, stat)
                return Sync(count=row.count)
        if row is not None and 0 < row.size < st.st_size and proves(row.ranges, fh):
            fh.seek(row.size)
            tail = fh.read()
            after = os.fstat(fh.fileno())
            stat = observed(after, at) if _stable(st, after, row.size + len(tail)) else None
            result = _index_tail(index, loc, plan, row, tail, stat, since)
            if result is not None:
                return result
        fh.seek(0)
        raw = fh.read()
        after = os.fstat(fh.fileno())
        with paused_collector():
            return index_whole(index, loc, plan, raw, observed(after, at) if _stable(st, after, len(raw)) else None,
                               since)


@contextlib.contextmanager
def paused_collector() -> Iterator[None]:
    """Python's cycle collector paused while a whole ledger is read or judged: that makes an
    object per entry and no cycles, and the collector walked them all again and again (a
    quarter of a rebuild's time at 100k entries). Reference counting frees them as before."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _stable(before: os.stat_result, after: os.stat_result, size: int) -> bool:
    """No write while we read: the signature after the read is that of the bytes read."""
    return signature(before) == signature(after) and after.st_size == size




def _fragment_start(block: lf.Block, plan: Plan, office: str) -> int:
    """Where the torn fragment in the last block begins: after its last blank line if what is
    before it is a whole entry (a write cut inside the next ``[[entries]]`` line), or at a last
    line that starts such a line cut short right after the entry; else the block's start."""
    from . import ledgerfile as lf

    text = block.data.decode("utf-8", "replace")
    start = lf.fragment_start(text)
    blank = block.data.rfind(b"\n\n")
    cuts = ([len(text[:start].encode())] if start is not None else []) + ([blank + 1] if blank > 0 else [])
    for cut in cuts:
        try:
            if lf.parse_block(lf.Block(block.pos, block.line, block.data[:cut], 0), "", plan, office).entry is not None:
                return block.pos + cut
        except lf.NotBlockwise:
            pass
    return block.pos


def _classify(bad_blocks: dict[int, list[Problem]], last: int, cut_short_last: bool, others: list[Problem],
              structure: "Structure", rows: list, blocks: list[lf.Block], base: int = 0, *, plan: Plan,
              office: str) -> tuple[bool, int | None]:
    """Is the ledger only torn at its end (a write cut short)? And where would a repair cut?

    Torn: no problem but in the last block, which lacks its zoned ``recorded_at`` (always
    written last), or does not parse and its ``recorded_at`` line is not whole
    (:class:`~eduplan.store.ledgerfile.Parsed` ``cut_short``); and/or the entries at the end are an import that
    stops short of its ``batch_size``. Anything else must be fixed by hand.
    """
    if others or any(p.kind != "batch" for p in structure.problems):
        return False, None
    if bad_blocks and (set(bad_blocks) != {last} or not cut_short_last):
        return False, None
    cuts = []
    if bad_blocks:
        cuts.append(base + _fragment_start(blocks[last], plan, office))
    if structure.short_tail is not None:
        cuts.append(base + rows[structure.short_tail][0].pos)
    elif structure.problems:  # an import cut short in the middle of the file: not ours to cut
        return False, None
    return (True, min(cuts)) if cuts else (False, None)


def index_whole(index: Index, loc: Location, plan: Plan, raw: bytes, stat: tuple | None,
                since: int | None = None) -> Sync:
    """Read a whole file, reusing every block the index already holds (the same bytes).
    ``since``: the generation the index was read at (:meth:`Index.writing`). A large file
    read into an empty index has its second half read by a child process meanwhile
    (:mod:`eduplan.store.halves`)."""
    with contextlib.ExitStack() as stack:
        return _index_whole(index, loc, plan, raw, stat, since, stack)


def _index_whole(index: Index, loc: Location, plan: Plan, raw: bytes, stat: tuple | None, since: int | None,
                 stack: contextlib.ExitStack) -> Sync:
    from . import halves
    from . import ledgerfile as lf

    file = str(loc.path)
    known: dict[int, list[int]] = {}
    half: halves.Half | None = None
    try:
        known = index.digests(loc.name)
        at = (halves.middle(raw) if not known and halves.possible(raw, index.path) and index.count() == 0
              else None)
        first = lf.next_mark(raw)
        data, others = lf.parse_header(raw[:len(raw) if first is None else first], file)
        office = _office(data)
        half = halves.Half.start(raw, at, file, plan, office, loc.name, index.path) if at is not None else None
        if half is not None:
            stack.callback(half.close)
        _, blocks = lf.split(raw if half is None else raw[:at])
        items: list[tuple[lf.Block, int | None, Entry | None]] = []
        bad: dict[int, list[Problem]] = {}
        cut_short_last = False

        def read(some: list[lf.Block]) -> None:
            nonlocal cut_short_last
            for k, b in enumerate(some, len(items)):
                hit = known.get(b.digest)
                if hit:
                    items.append((b, hit.pop(), None))
                    continue
                parsed = lf.parse_block(b, file, plan, office)
                if parsed.problems:
                    bad[k] = list(parsed.problems)
                    cut_short_last = parsed.cut_short
                items.append((b, None, parsed.entry))

        read(blocks)
        if half is not None:
            if not (bad or others or header_problems(data, loc, plan)):
                with contextlib.suppress(halves.Unused):
                    return _fill_with_half(index, loc, raw, stat, since, office, data, items, half)
            half.close()  # a problem somewhere: the second half is read here, so that each is named one way
            rest = lf.split(raw, at, 1 + raw.count(b"\n", 0, at))[1]
            blocks = blocks + rest
            read(rest)
    except lf.NotBlockwise:
        if half is not None:  # its half cannot be read block by block either: not worth waiting for
            half.close()
        data, parsed_all, others = lf.parse_whole(raw, file, plan, "")
        office = _office(data)
        known = index.digests(loc.name)  # nothing is reused: every indexed row goes
        blocks = [p.block for p in parsed_all]
        bad = {k: list(p.problems) for k, p in enumerate(parsed_all) if p.problems}
        cut_short_last = bool(parsed_all) and parsed_all[-1].cut_short
        items = [(p.block, None, dataclasses.replace(p.entry, office=office) if p.entry is not None else None)
                 for p in parsed_all]
    others = others + header_problems(data, loc, plan)
    reused = [rowid for _, rowid, _ in items if rowid is not None]
    light = index.light(reused) if reused else {}
    # an import's entries read again (a merge, a hand edit) beside rows kept from the index: those kept rows
    # of the same imports are read whole, so that the same sheet twice is seen as a plain read sees it
    batches = {e.batch for _, _, e in items if e is not None and e.batch is not None} if reused else set()
    whole = index.entries_of_rows([r for r in reused if light[r][7] in batches]) if batches else {}
    rows = []
    for b, rowid, entry in items:
        if rowid is not None and rowid in whole:
            rows.append((b, whole[rowid], None))
        elif rowid is not None:
            o, i, ind, county, sup, sup_office, void, batch, bsize = light[rowid]
            rows.append((b, Light(o, i, ind, county or None, sup, sup_office if sup_office != o else None, bool(void),
                                   batch, bsize), None))
        elif entry is not None:
            rows.append((b, entry, entry))
    structure = check_structure(rows, file, 0, unread=[blocks[k] for k in bad])
    problems = others + [p for k in sorted(bad) for p in bad[k]] + structure.problems
    if not blocks and raw and _torn_header(raw, plan) and (problems or not _whole_header(raw, plan)):
        # the first write was cut inside the header: nothing was recorded yet, and what a parse says of
        # the bytes (a character cut in two is not UTF-8; a value cut short is a syntax error) is the cut
        return Sync([Problem(file, 1, msg("the ledger's header is incomplete (its first write was cut short)"),
                             kind="torn")], True, 0)
    if problems:
        torn, cut = _classify(bad, len(blocks) - 1, cut_short_last, others, structure, rows, blocks, plan=plan,
                              office=office)
        return Sync(problems, torn, cut)
    gone = [rowid for rowids in known.values() for rowid in rowids]
    new = [e for _, _, e in rows if e is not None]
    with index.writing(since):
        if not reused and index.count() == len(gone):  # a rebuild: this file's new rows will be all there is
            index.clear()
            index.fill([(e, loc.name, b.digest) for b, _, e in rows])
        else:
            # supersessions may cross files (a city office acting for the city): the entries whose
            # standing can change are the new ones, what they supersede, and what the rows going did
            changed = index.targets_of(gone) + [k for e in new for k in ((e.office, e.id), e.target) if k is not None]
            index.delete_rows(gone)
            index.insert((e, loc.name, b.digest) for b, _, e in rows if e is not None)
            index.recompute_gone(changed)
        index.put_file(_file_row(loc, office, data, raw, stat, rows))
    return Sync(count=len(rows))


def _fill_with_half(index: Index, loc: Location, raw: bytes, stat: tuple | None, since: int | None, office: str,
                    data: dict, items: list, half: halves.Half) -> Sync:
    """A whole file into an empty index: this process's half goes in while the child's is
    still being read; raises :class:`halves.Unused` (nothing written) if the child's half
    has a problem or the rules across the file find one."""
    from . import halves
    from . import ledgerfile as lf

    own = [(b, e, e) for b, _, e in items]
    rows = own
    no_block = lf.Block(0, 0, b"", 0)  # a child's entry in the rules across the file: its index is used only if they pass
    file_row = None

    def check(sent: bytes) -> set[tuple[str, int]]:
        nonlocal rows, file_row
        lights, targets = halves.lights_of(sent)
        rows = own + [(no_block, t, None) for t in lights]
        if check_structure(rows, str(loc.path), 0).problems:
            raise halves.Unused()
        file_row = _file_row(loc, office, data, raw, stat, rows)  # its SHA-256 of the file made here too
        return targets

    def rest() -> tuple[Path, Callable[[], set[tuple[str, int]]]]:
        sent = half.wait()
        if sent is None:
            raise halves.Unused()
        # the child's rows go in and every index is built while its entries are checked with
        # this half's, in a thread (about 0.15 s of the 0.8 s after the halves are read, at
        # 100k synthetic entries); a problem found undoes it all (Unused: the transaction rolls back)
        return half.part, halves.meanwhile(lambda: check(sent))

    with index.writing(since):
        index.clear()
        index.fill(((e, loc.name, b.digest) for b, e, _ in own), rest)
        assert file_row is not None  # fill has waited for the check
        index.put_file(file_row)
    return Sync(count=len(rows))


def _file_row(loc: Location, office: str, data: dict, raw: bytes, stat: tuple | None, rows: list) -> FileRow:
    return FileRow(loc.name, office, _plain(data), len(raw), ((0, len(raw), hashlib.sha256(raw).hexdigest()),) if raw
                   else (), stat, max((r[1].id for r in rows), default=0), len(rows), raw.count(b"\n") + 1)


def _torn_header(raw: bytes, plan: Plan) -> bool:
    """Is the file the beginning of a header this tool writes (the first write, cut short)?"""
    from . import ledgerfile as lf

    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    for lang in LANGS:  # whichever language it was begun in
        canonical = lf.header_text(plan, "", lang=lang).encode("utf-8")
        if canonical.startswith(data):
            return True
        if data.startswith(canonical) and re.fullmatch(rb'office = "[^"\n]*"?\n?|o(f(f(i(c(e( (=( "?)?)?)?)?)?)?)?)?',
                                                       data[len(canonical):]):
            return True
    return False


def _whole_header(raw: bytes, plan: Plan) -> bool:
    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    return data.rstrip(b"\n").endswith(f'plan_version = "{plan.plan.version}"'.encode()) or b"office = " in data


def _plain(data: dict) -> dict:
    return {k: v for k, v in data.items() if isinstance(v, (str, int, float, bool))}


@dataclasses.dataclass
class Structure:
    problems: list[Problem]
    short_tail: int | None  # index (in rows) of the first entry of an import cut short at the end
    # an entry of ``rows`` corrects one the index has superseded from another office's file (two clones
    # merged): which of the two stands is the folder's question (the one recorded first), not this file's
    elsewhere: bool = False


def check_structure(rows: Sequence[tuple[lf.Block, object, Entry | None]], file: str, start_id: int,
                    index: Index | None = None, unread: Iterable[lf.Block] = ()) -> Structure:
    """Ids increase down the file, corrections point at a fitting earlier entry once, imports
    are whole. ``index`` supplies the targets that are not among ``rows`` (an appended tail).
    ``unread``: the blocks with problems of their own, left out of ``rows``; a correction of
    one of them is not said to correct an entry that does not exist (it is there, and named)."""
    from . import ledgerfile as lf

    there = {i for b in unread if (i := lf.block_id(b)) is not None}
    problems: list[Problem] = []
    last_id = start_id
    seen: dict[int, object] = {}
    superseded: dict[int, int] = {}
    elsewhere = False
    for b, e, _ in rows:
        bad = order_problem(e, last_id)
        if bad is not None:
            problems.append(Problem(file, b.line_of(bad[0]) or None, bad[1], field=f"entries[{e.id}].{bad[0]}",
                                    kind="structure"))
        last_id = max(last_id, e.id)
        if e.supersedes is not None and e.target_office is None:  # another office's: checked across the folder
            target = seen.get(e.supersedes)
            already = superseded.get(e.supersedes)
            if target is None and index is not None:
                target = index.entry(e.office, e.supersedes)
                if target is not None and already is None:
                    later = index.superseded_by(e.office, e.supersedes)
                    if later is not None and later.office != e.office:
                        elsewhere = True
                        continue
                    already = later.id if later is not None else None
            found = supersede_problems(e, target, already) if target is not None or e.supersedes not in there else []
            for field, message in found:
                problems.append(Problem(file, b.line_of(field) or None, message, field=f"entries[{e.id}].{field}",
                                        kind="structure"))
            superseded.setdefault(e.supersedes, e.id)
        seen[e.id] = e
    tail = None
    entries = [e for _, e, _ in rows]
    # one import's run by its sheet and its figures → its ids: the same figures of the same sheet twice, the first
    # still standing, can come from no import (importing a sheet again, even with --force, never records what the
    # ledger has; voided whole, it may be imported again), only from the sheet imported on two computers, or a
    # merge that kept both copies: every increment would count twice
    runs = import_runs(entries)
    copied: dict[tuple, tuple[int, ...]] = {}  # a run's figures → its ids (a merge may have renumbered them apart)
    if index is not None:  # an appended tail: the runs already indexed of the same imports come first
        for batch in {e.batch for e in entries if e.batch is not None and getattr(e, "as_of", None) is not None}:
            kept = [e for e, gone in index.batch_rows(batch, entries[0].office) if not gone]
            for first, present, _ in import_runs(kept):
                run = kept[first:first + present]
                copied.setdefault(_run_key(run), tuple(e.id for e in run))
    # only a sheet with more than one run here (or one indexed before) can be a copy: the others cost nothing more
    twice = {b for b, n in collections.Counter(entries[f].batch for f, _, _ in runs).items() if n > 1}
    twice |= {key[0] for key in copied}
    for first, present, size in runs:
        e = entries[first]
        if e.batch not in twice or getattr(e, "as_of", None) is None:  # (the light rows of a child's half: no figures)
            continue
        key = _run_key(entries[first:first + present])
        ids = tuple(x.id for x in entries[first:first + present])
        was = copied.get(key)
        standing = was is not None and not all(i in superseded for i in was)  # (voided whole: importable again)
        if standing:
            problems.append(Problem(file, rows[first][0].line_of("batch") or None, msg(
                "entries {first} to {last} are entries {was_first} to {was_last} again (the same sheet imported twice: "
                "on two computers, or a merge that kept both copies); every figure would count twice: delete one "
                "of them", first=ids[0], last=ids[-1], was_first=was[0], was_last=was[-1]),
                field=f"entries[{e.id}].batch", kind="structure"))
        else:
            copied[key] = ids
    for first, present, size in [r for r in runs if r[1] < r[2]]:  # (batch_runs: those short of their size)
        problems.append(Problem(file, rows[first][0].line_of("batch_size") or None, msg(
            "an import was cut short: {present} of its {size} entries are here (entries {first} to {last})",
            present=present, size=size, first=rows[first][1].id, last=rows[first + present - 1][1].id),
            field=f"entries[{rows[first][1].id}].batch_size", kind="batch"))
        ids = [e.id for e in entries[first:first + present]]
        if first + present == len(rows) and all(b == a + 1 for a, b in zip(ids, ids[1:])):
            tail = first  # a write cut short leaves the import's first entries, numbered on (not 2, 4: a hand edit)
    return Structure(problems, tail, elsewhere)


def _run_key(run: Sequence[Entry]) -> tuple:
    """An import's run as the figures it records, and the sheet it came from."""
    return (run[0].batch, tuple((x.indicator, x.county, x.as_of, x.value, x.added, x.numerator, x.denominator, x.state)
                                for x in run))


def _index_tail(index: Index, loc: Location, plan: Plan, row: FileRow, tail: bytes, stat: tuple | None,
                since: int | None = None) -> Sync | None:
    """Index what was appended after the indexed bytes; None when the tail is not whole
    blocks (then the whole file is read)."""
    from . import ledgerfile as lf

    file = str(loc.path)
    head, blocks = lf.split(tail, 0, row.lines)
    if head.strip():
        return None
    try:
        parsed = [lf.parse_block(b, file, plan, row.office) for b in blocks]
    except lf.NotBlockwise:
        return None
    bad = {k: list(x.problems) for k, x in enumerate(parsed) if x.problems}
    rows = [(b, x.entry, x.entry) for b, x in zip(blocks, parsed) if x.entry is not None]
    structure = check_structure(rows, file, row.max_id, index, unread=[blocks[k] for k in bad])
    if structure.elsewhere:
        return None  # read as a whole, so that the rules across the folder judge it as on a first reading
    problems = [p for k in sorted(bad) for p in bad[k]] + structure.problems
    if problems:
        cut_short_last = bool(parsed) and parsed[-1].cut_short
        torn, cut = _classify(bad, len(blocks) - 1, cut_short_last, [], structure, rows, blocks, row.size, plan=plan,
                              office=row.office)
        return Sync(problems, torn, cut)
    entries = [e for _, e, _ in rows]
    with index.writing(since):
        current = index.file(loc.name)
        if current is None or current.size != row.size:
            return None  # someone else indexed it meanwhile: look again at the whole
        index.insert((e, loc.name, b.digest) for b, e, _ in rows)
        index.mark_superseded(entries)
        extend(index, loc, row, tail, entries, stat)
    return Sync(count=row.count + len(rows))


def extend(index: Index, loc: Location, row: FileRow, data: bytes, entries: Sequence[Entry],
            stat: tuple | None) -> None:
    """Record that ``data`` (holding ``entries``) was appended to what ``row`` describes."""
    end = row.size + len(data)
    ranges = row.ranges + ((row.size, end, hashlib.sha256(data).hexdigest()),)
    if len(ranges) > 64:  # one range per many appends: fewer hashes for every reader
        hasher = hashlib.sha256()
        with open(loc.real, "rb") as fh:
            left = end
            while left:
                chunk = fh.read(min(1 << 20, left))
                if not chunk:
                    return  # the file changed under us: the next reader reads it again
                hasher.update(chunk)
                left -= len(chunk)
        ranges = ((0, end, hasher.hexdigest()),)
    index.put_file(dataclasses.replace(
        row, size=end, ranges=ranges, stat=stat, max_id=max([row.max_id, *(e.id for e in entries)]),
        count=row.count + len(entries), lines=row.lines + data.count(b"\n")))


# --------------------------------------------------------------------------- reading


class LedgerView:
    """A ledger as it stands, proved up to date: what the services ask of it."""

    def __init__(self, where: Place, plan: Plan, index: Index, sync: Sync, office: str = ""):
        self.where = where
        self.office = office  # the office writing (its own entries are named by a bare number)
        self.plan = plan
        self.index = index
        self.exists = sync.exists
        self.count = sync.count

    @property
    def path(self) -> Path:
        return self.where.path

    @property
    def folder(self) -> bool:
        return self.where.folder

    @property
    def empty(self) -> bool:
        return self.count == 0

    def next_id(self, office: str | None = None) -> int:
        return self.index.max_id(self.office if office is None else office) + 1

    def latest(self, as_of: dt.date, indicators: Sequence[str] = ()) -> dict[tuple[str, str | None], Entry]:
        return self.index.latest(as_of, indicators, since=self.plan.plan.start, units=self.units)

    def withdrawn_on(self, indicator: str, county: str | None, day: dt.date) -> list[Entry]:
        return self.index.withdrawn_on(indicator, county, day)

    @functools.cached_property
    def units(self) -> tuple[tuple[str, str | None], ...]:
        """Every (indicator, county) the plan lets a figure be recorded for (None: city-wide)."""
        return tuple((i.id, c) for i in self.plan.indicators for c in (None, *self.plan.plan.counties))

    def entry(self, id_: int, office: str | None = None) -> Entry | None:
        return self.index.entry(self.office if office is None else office, id_)

    def superseded_by(self, id_: int, office: str | None = None) -> Entry | None:
        return self.index.superseded_by(self.office if office is None else office, id_)

    def history(self, **filters) -> Iterator[tuple[Entry, Entry | None]]:
        return self.index.history(**filters)

    def streamed_history(self, **filters) -> Iterator[tuple[Entry, Entry | None]]:
        """:meth:`history`, streamed, that a stored index failing midway does not cut short
        (a damaged page, found only when a query reaches it after some entries were written
        out): the index is built again (in memory, if it fails again) and the history goes on
        from the entry after the last one given. Closes the view when done."""
        given = 0
        view: LedgerView = self
        try:
            for attempt in range(3):
                try:
                    for k, pair in enumerate(view.history(**filters)):
                        if k >= given:
                            given += 1
                            yield pair
                    return
                except sqlite3.DatabaseError as exc:
                    if attempt == 2:
                        raise
                    view.close()
                    if attempt == 0 and damaged(exc):
                        _discard(index_path(self.where))
                        view = _reopened(self)
                    else:
                        with memory_index():
                            view = _reopened(self)
        finally:
            view.close()

    def dated_between(self, start: dt.date, end: dt.date) -> list[tuple[Entry, Entry | None]]:
        return self.index.dated_between(start, end)

    def units_sent(self, start: dt.date, end: dt.date) -> set[tuple[str, str | None]]:
        return self.index.units_sent(start, end)

    def surviving_batch(self, batch: str) -> list[Entry]:
        return self.index.surviving_batch(batch)

    def kept_batch(self, batch: str) -> list[Entry]:
        return self.index.kept_batch(batch)

    def series_for(self, new: Entry, without: Entry | None = None) -> list[Entry]:
        """What :func:`eduplan.core.rules.series_findings` needs of ``new``'s unit: its
        surviving entries within :func:`eduplan.core.rules.series_window` (a few, however long
        the ledger), leaving out ``without`` (the entry a correction replaces)."""
        return self.series_around(new.indicator, new.county, (new.as_of,), without=without)

    def series_around(self, indicator: str, county: str | None, days: Iterable[dt.date],
                      without: Entry | None = None) -> list[Entry]:
        """The unit's surviving entries that decide the findings of new figures dated ``days``,
        judged one after another (:func:`eduplan.core.rules.covering` of their windows), leaving
        out ``without``."""
        from ..core.rules import covering

        gone = (without.office, without.id) if without is not None else None
        window = covering(self.index.series_window(indicator, county, day, without=gone) for day in sorted(set(days)))
        return [e for e in self.index.series(indicator, county, *window) if (e.office, e.id) != gone]

    def surviving_units(self, until: dt.date) -> Iterator[list[Entry]]:
        return self.index.surviving_units(until)

    def plan_versions(self) -> set[str]:
        """The plan revisions the ledger's files say they were written under."""
        return {str(f.header["plan_version"]) for f in self.index.files() if "plan_version" in f.header}

    def surviving(self, until: dt.date) -> list[Entry]:
        return self.index.surviving(until)

    def close(self) -> None:
        self.index.close()


def _reopened(view: LedgerView) -> LedgerView:
    """The same ledger read again, on an index opened anew."""
    index, sync = synced(view.where, view.plan)
    if sync.problems:  # the ledger changed meanwhile, and does not load now
        index.close()
        raise ProblemsError(sync.problems, hint=torn_hint(sync, view.where.path))
    return LedgerView(view.where, view.plan, index, sync, view.office)


def synced(where: Place, plan: Plan, *, writer: Location | None = None) -> tuple[Index, Sync]:
    """The ledger's index brought up to date. A damaged index is discarded and built again; an
    index that cannot be written (a full or read-only cache folder) is built in memory instead."""
    index = _open_index(where, plan)
    try:
        return index, sync_place(index, where, plan, writer)
    except sqlite3.DatabaseError:
        index.close()
    except EduplanError:  # not a ledger at all (a pipe, a device): leave no empty index of it behind
        empty = False
        with contextlib.suppress(sqlite3.Error):
            empty = index.path is not None and not index.files()
        index.close()
        if empty:
            _discard(index.path)
        raise
    _discard(index_path(where))
    index = _open_index(where, plan)
    try:
        return index, sync_place(index, where, plan, writer)
    except sqlite3.DatabaseError:
        index.close()
    index = Index(None)
    index.reset(str(where.real), plan.fingerprint)
    return index, sync_place(index, where, plan, writer)


def sync_place(index: Index, where: Place, plan: Plan, writer: Location | None) -> Sync:
    """Every file of the ledger brought into the index; in a folder, the rules across files."""
    locs = where.files()
    while True:  # files the index holds that are not the ledger's now (a folder replaced by a file, a file removed)
        since = index.generation()
        vanished = {f.name for f in index.files()} - {loc.name for loc in locs}
        if not vanished:
            break
        with contextlib.suppress(Stale), index.writing(since):
            for name in vanished:
                index.drop_file(name)
            index.recompute_gone()
    if not where.folder:
        return sync_file(index, locs[0], plan, writer=writer is not None)
    problems: list[Problem] = []
    torn: list[tuple[Location, int]] = []
    count = 0
    for loc in locs:
        one = sync_file(index, loc, plan, writer=writer is not None and loc.real == writer.real)
        problems += one.problems
        count += one.count
        if one.torn and one.cut is not None:
            torn.append((loc, one.cut))
    if problems:
        only_torn = len(torn) == len({p.file for p in problems})
        return Sync(problems, only_torn, torn[0][1] if len(torn) == 1 else None, count, True, tuple(torn) if only_torn else ())
    return Sync(folder.problems(index, where, plan, locs), False, None, count, True)


def _stored_index(where: Place) -> Path | None:
    """The ledger's index in the cache folder, where there is one (a SQLite file), else None."""
    stored = index_path(where)
    if stored is None or _memory_only or not stored.is_file() or not _is_sqlite(stored):
        return None
    return stored


def last_read(path: Path, plan: Plan) -> dict[tuple[str, int], tuple] | None:
    """The entries as this computer's stored index last saw them (:meth:`Index.figures`), without
    bringing it up to date; None without a stored index of this ledger under this plan."""
    where = place(path)
    stored = _stored_index(where)
    if stored is None:
        return None
    index = None
    try:
        index = Index(stored)
        if not index.valid_for(str(where.real), plan.fingerprint):
            return None
        return index.figures()
    except (OSError, sqlite3.Error):
        return None
    finally:
        if index is not None:
            index.close()


def discard_index(path: Path) -> None:
    """Remove this ledger's stored index (it is built again by the next command)."""
    _discard(index_path(place(path)))


def remove_if_damaged(path: Path, plan: Plan) -> bool:
    """This computer's stored index of the ledger, checked whole (:meth:`Index.sound`), removed if
    it is damaged (the next command builds it again). Was it?"""
    stored = _stored_index(place(path))
    if stored is None:
        return False
    index = None
    try:
        index = Index(stored)
        if index.sound():
            return False
    except OSError:
        return False
    except sqlite3.Error as exc:
        if not damaged(exc):
            return False  # busy or locked by another command: no answer, and it is let be
    finally:
        if index is not None:
            index.close()
    _discard(stored)
    return True


def check(path: Path, plan: Plan) -> tuple[LedgerView | None, Sync]:
    """Read the ledger and bring its index up to date; the view (None if it has problems). A
    ledger folder's files that hold entries but are not read are problems here (validate)."""
    where = place(path)
    unread = where.unread()
    index, sync = synced(where, plan)
    if unread:
        index.close()
        return None, dataclasses.replace(sync, problems=unread + list(sync.problems), torn=False)
    if sync.torn:  # a write may be in progress: wait for the writers and look again
        index.close()
        locs = [loc for loc, _ in sync.torn_files] or where.files()[:1]
        with contextlib.ExitStack() as stack:
            for loc in locs:
                stack.enter_context(ledger_lock(loc, reader=True))
            index, sync = synced(where, plan)
    if sync.problems:
        index.close()
        return None, sync
    return LedgerView(where, plan, index, sync), sync


def discard_indexes() -> None:
    """Remove every stored ledger index (they are rebuilt when next needed)."""
    root = cache_dir()
    if root is not None and root.is_dir():
        for path in root.glob("ledger-*.sqlite"):
            _discard(path)


def _discard(path: Path | None) -> None:
    if path is None:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            os.unlink(f"{path}{suffix}")


def open_ledger(path: Path, plan: Plan) -> LedgerView:
    """The ledger, validated and indexed, or :class:`ProblemsError` naming every problem."""
    view, sync = check(path, plan)
    if view is None:
        raise ProblemsError(sync.problems, hint=torn_hint(sync, path))
    return view


def torn_hint(sync: Sync, path: Path) -> Msg | None:
    if sync.torn:
        return msg("the end of the ledger is incomplete (a write cut short): `eduplan repair --ledger {path}` removes it "
                   "and keeps every complete entry", path=str(path))
    return None


def read_plain(path: Path, plan: Plan) -> tuple[list[Entry], Sync]:
    """The ledger read from scratch, ignoring any stored index (the reference read): its
    entries in file order, or the problems that stop it loading."""
    where = place(path)
    index = Index(None)
    try:
        index.reset(str(where.real), plan.fingerprint)
        sync = sync_place(index, where, plan, None)
        if sync.problems:
            return [], sync
        from .index import READ, to_entry

        return [to_entry(r) for r in index.con.execute(f"SELECT {READ} FROM entries ORDER BY rowid")], sync
    finally:
        index.close()
