"""The writers' locks: a lock file with the system's own lock (``flock`` on POSIX,
``msvcrt.locking`` on Windows; what filelock did for us, without its import at every write,
20–30 ms of a ``record``'s start-up), and the locks a ledger's writers take with it
(:func:`ledger_lock`, :func:`folder_lock`).

The lock belongs to the open file, never to the file's existence: the system drops it when the
holder closes it or dies (``kill -9`` included), so nothing left on disk can block the next
writer. The file stays in place on release, so that a waiter and the next writer lock the same
inode.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EduplanError, os_error
from ..i18n import N_, msg

if TYPE_CHECKING:
    from .ledger import Location, Place

POLL = 0.05  # seconds between two tries of a lock another process holds

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


def acquire(path: str, timeout: float) -> int:
    """Open ``path`` (created if missing) and lock it; the descriptor to hand to :func:`release`.
    :class:`TimeoutError` when another process holds it for ``timeout`` seconds; :class:`OSError`
    when it cannot be opened or locked at all."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except PermissionError:
        if not os.path.isfile(path):
            raise
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))  # someone else's lock file: a lock all the same
    deadline = time.monotonic() + timeout
    try:
        while not _try(fd):
            if time.monotonic() >= deadline:
                raise TimeoutError(path)
            time.sleep(POLL)
    except BaseException:
        os.close(fd)
        raise
    return fd


def release(fd: int) -> None:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        else:  # pragma: no cover - Windows
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(fd)  # closing drops the lock in any case


def _try(fd: int) -> bool:
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except PermissionError:  # EACCES: held elsewhere, on some systems
            return False
        return True
    os.lseek(fd, 0, os.SEEK_SET)  # pragma: no cover - Windows: one byte at offset 0
    try:  # pragma: no cover
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:  # pragma: no cover
        return False
    return True  # pragma: no cover


# --------------------------------------------------------------------------- a ledger's locks

LOCK_TIMEOUT = 60.0  # seconds a writer waits for another before it gives up


@contextlib.contextmanager
def ledger_lock(loc: Location, reader: bool = False) -> Iterator[None]:
    """The writers' lock on ``REAL.lock``. A reader that only waits for writers to finish
    goes on without it where it cannot take it (a read-only folder: nobody writes there)."""
    with _lock_file(loc.path, loc.lock_path, reader=reader) as held:
        if not held:
            yield
            return
        with _inode_lock(loc):
            yield


FOLDER_LOCK = ".writers.lock"  # in a ledger folder (git ignores *.lock)


@contextlib.contextmanager
def folder_lock(where: Place) -> Iterator[None]:
    """In a ledger folder, a writer also holds the folder's lock, taken before its file's: whether
    another office's file already corrects an entry is checked, and the correction appended, with
    no other office writing (a county and the city correcting one entry at once both went in)."""
    if not where.folder:
        yield
        return
    with _lock_file(where.path, where.real / FOLDER_LOCK):
        yield


@contextlib.contextmanager
def _lock_file(ledger: Path, lock: Path, *, reader: bool = False) -> Iterator[bool]:
    """Hold ``lock`` (the system's lock on that file) while the block runs; True. A reader goes
    on without it (False) where it cannot be taken at all; a writer is refused, naming ``ledger``."""
    try:
        fd = acquire(str(lock), LOCK_TIMEOUT)
    except TimeoutError:
        raise EduplanError(msg("{path}: another eduplan is writing this ledger (waited {seconds} s for {lock})",
                               path=str(ledger), seconds=int(LOCK_TIMEOUT), lock=str(lock))) from None
    except OSError as exc:
        if reader:
            yield False
            return
        if exc.errno == errno.ELOOP and os.path.islink(lock):  # opened without following: a link put there
            raise EduplanError(msg("{lock} is a symbolic link, and a lock file must be a file of its own: remove the "
                                   "link (no eduplan makes one); nothing was changed", lock=str(lock))) from None
        raise os_error(ledger, exc, N_("locking the ledger ({lock})"), lock=str(lock)) from None
    try:
        yield True
    finally:
        release(fd)


@contextlib.contextmanager
def _inode_lock(loc: Location):
    """Where the system has it, also lock the ledger file itself (``flock`` locks the file, not a
    name): writers that reach one file by different hard links still take one lock."""
    if fcntl is None:  # pragma: no cover - not on POSIX: the lock file above is the lock
        yield
        return
    try:
        fd = os.open(loc.real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:  # no file yet (nothing links to it), or not ours to open: the lock file is the lock
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass  # a file system without flock: the lock file above is the lock
        yield
    finally:
        os.close(fd)
