"""One safe way to write an output file (a report, a template, a saved copy).

* the whole file or nothing: the bytes go to a temporary file beside the *real* target
  (through any symbolic link: the link stays, its target is replaced), are synced, then
  renamed over it;
* only a regular file is ever replaced: a device, a FIFO, a socket or a folder at the
  path is refused;
* a file that is one of the ``protect`` files (the ledger, the plan …) by identity — the
  same device and inode, whatever the name or link that reaches it — or by the path it
  reaches (one that does not exist yet: a ledger not yet written) is refused, and so is a
  file in a protected folder that such a folder reads or keeps (a ledger folder: its
  offices' files, another ``*.toml``, its ``.office``, its locks);
* every failure (a full disk, a read-only mount, a missing folder) is one message with the
  path, and leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import EduplanError, UsageError, os_error
from ..i18n import N_, Flag, msg
from .paths import file_kind, real_path, same_file


def _identity(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def write_output(path: Path, data: bytes, *, protect: Sequence[tuple[Path, str]] = (), overwrite: bool = True,
                 field: str | None = "output") -> Path:
    """Write ``data`` to ``path`` whole, or raise with nothing changed. ``protect`` is a list of
    (path, what) pairs that may never be written over (``what`` is a msgid: "the ledger")."""
    if str(path) == "":
        raise UsageError(msg("the file name is empty"), field=field)
    from .ledger import folder_keeps  # (a protected folder is a ledger folder: its reader says what it keeps)

    real = real_path(path)
    st = _identity(real)
    for other, what in protect:
        mine = real_path(other)
        if real == mine:
            raise UsageError(msg("{path} is {what}; write to another file", path=str(path), what=msg(what)),
                             field=field)
        if mine.is_dir() and real.parent == mine and folder_keeps(real.name):
            raise UsageError(msg("{path} is inside {what}, the folder {folder}; write to another folder",
                                 path=str(path), what=msg(what), folder=str(other)), field=field)
    if st is not None:
        kind = file_kind(st)
        if kind is not None:
            raise EduplanError(msg("{path} is {kind}; write to a regular file", path=str(path), kind=msg(kind)),
                               field=field)
        for other, what in protect:
            ost = _identity(other)
            if ost is not None and same_file(st, ost):
                raise UsageError(msg("{path} is {what}; write to another file", path=str(path), what=msg(what)),
                                 field=field)
        if not overwrite:
            raise EduplanError(msg("{path} exists and may hold figures staff filled in; choose another name or add "
                                   "{force}", path=str(path), force=Flag("force", True)), field=field)
    folder = real.parent
    if not folder.is_dir():
        raise EduplanError(msg("{path}: the folder {folder} does not exist", path=str(path), folder=str(folder)),
                           field=field)
    _write_replace(real, data, path, mode=(st.st_mode & 0o7777) if st is not None else None)
    return real


def write_beside(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write a new file whole (a copy kept beside the ledger); ``exclusive``: never replace one."""
    if exclusive and _identity(path) is not None:
        raise EduplanError(msg("{path} exists already; nothing was changed", path=str(path)))
    _write_replace(path, data, path, mode=None)


def _write_replace(real: Path, data: bytes, shown: Path, mode: int | None) -> None:
    tmp = real.with_name(f".{real.name}.{os.getpid()}.{os.urandom(3).hex()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise os_error(shown, exc, N_("writing the file")) from None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if mode is not None:
                os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, real)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise os_error(shown, exc, N_("writing the file")) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(real.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
