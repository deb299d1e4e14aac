"""The writers' lock file, with the system's own lock: ``flock`` on POSIX, ``msvcrt.locking``
on Windows. What filelock did for us, without its import at every write (20–30 ms of a
``record``'s start-up).

The lock belongs to the open file, never to the file's existence: the system drops it when the
holder closes it or dies (``kill -9`` included), so nothing left on disk can block the next
writer. The file stays in place on release, so that a waiter and the next writer lock the same
inode.
"""

from __future__ import annotations

import os
import time

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
