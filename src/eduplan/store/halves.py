"""A whole ledger read in two processes: its second half by a child process.

A full rebuild of the index (the index deleted, another plan, another index format) reads
and checks every entry: about 12 µs an entry in Python, 1.2 s at 100,000. Where the system
can fork (Linux, one thread), a child reads the second half of the file (:data:`SHARE` of
its bytes) while this process reads the first: it parses and checks each entry, writes
their rows into a *part*, a database of its own beside the index, and sends back what the
rules across the file need of each entry (:class:`~eduplan.store.index.Light`). :meth:`Index.fill` then takes the part's
rows in after the first half's, in file order, in the same transaction, and builds the
indexes, while a thread (:func:`meanwhile`) checks the rules across the file on both halves.

The child's work is only ever a shortcut for a ledger without a problem: if its half has
one (or the child fails, or the rules across the file find one), the caller reads the
second half itself, as if there were no child, so every problem is found and named the one
way. The part is removed whatever happens; one left by a process killed meanwhile is
removed by the next rebuild.
"""

from __future__ import annotations

import contextlib
import marshal
import operator
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..core.models import Plan
from . import ledgerfile as lf
from .index import Light, to_row, write_part

# a second process pays from about 4,000 entries: status after deleting the index took the
# same time either way at 1,000 synthetic entries (0.26 MB: 0.18-0.23 s in two processes,
# 0.19-0.24 s in one), and 0.51-0.57 s against 0.60-0.79 s at 10,000 (2.6 MB)
MIN_BYTES = 1 << 20
T = TypeVar("T")
_OK = b"\0"
_light_of = operator.attrgetter(*Light._fields)  # an entry's fields that a Light holds, in its order


# the child's share of the bytes: besides the work of this process's half it writes its part
# and sends its lights (about 7% more at 100k synthetic entries), so it reads a little less
SHARE = 0.48


def middle(raw: bytes) -> int | None:
    """Where the second half begins: the first ``[[entries]]`` line after :data:`SHARE` of the
    file from its end (None if there is none)."""
    return lf.next_mark(raw, len(raw) - int(len(raw) * SHARE))


def possible(raw: bytes, index_path: Path | None) -> bool:
    """Is a child worth starting, and safe? Only on Linux (fork without exec is unsafe on
    macOS), in a process with one thread, for a stored index and a large file."""
    return (len(raw) >= MIN_BYTES and index_path is not None and sys.platform.startswith("linux")
            and hasattr(os, "fork") and threading.active_count() == 1)


def _part_path(index_path: Path, pid: int) -> Path:
    return index_path.with_name(f"{index_path.name}.part-{pid}")


def _remove_stale_parts(index_path: Path) -> None:
    """Parts left by processes that were killed while they rebuilt the index."""
    for part in index_path.parent.glob(f"{index_path.name}.part-*"):
        try:
            pid = int(part.name.rsplit("-", 1)[1])
            os.kill(pid, 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                part.unlink()
        except (ValueError, OSError):
            pass


class Unused(Exception):
    """The child's half cannot be used as it is (a problem in it or across the file, or the
    child failed): the caller reads that half itself."""


class Half:
    """The second half of a file, read by a child process into a part."""

    def __init__(self, pid: int, fd: int, part: Path):
        self.pid, self.fd, self.part = pid, fd, part
        self._done = False

    @classmethod
    def start(cls, raw: bytes, at: int, file: str, plan: Plan, office: str, name: str,
              index_path: Path) -> Half | None:
        """Start the child on ``raw[at:]`` (None if it cannot be started)."""
        _remove_stale_parts(index_path)
        part = _part_path(index_path, os.getpid())
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
        r, w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return None
        if pid == 0:  # the child: never returns
            code = 1
            try:
                os.close(r)
                _child(raw, at, file, plan, office, name, part, w)
                code = 0
            except BaseException:  # noqa: BLE001 - any failure: the parent reads the half itself
                pass
            finally:
                os._exit(code)
        os.close(w)
        return cls(pid, r, part)

    def wait(self) -> bytes | None:
        """Wait for the child: what it sent (for :func:`lights_of`), once its part is whole;
        None if the half has a problem or the child failed."""
        chunks = []
        try:
            while chunk := os.read(self.fd, 1 << 20):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(self.fd)
            self.fd = -1
        _, status = os.waitpid(self.pid, 0)
        self._done = True
        data = b"".join(chunks)
        if status != 0 or not data.startswith(_OK):
            return None
        return data

    def close(self) -> None:
        """Stop the child if it still runs, and remove the part."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if not self._done:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)
            self._done = True
        with contextlib.suppress(OSError):
            self.part.unlink()


def lights_of(data: bytes) -> tuple[list[Light], set[tuple[str, int]]]:
    """What a child sent (:meth:`Half.wait`): its half's entries as the rules across the file
    need them, and the entries they supersede."""
    lights = [Light(*t) for t in marshal.loads(data[1:])]
    targets = {(t.target_office if t.target_office is not None else t.office, t.supersedes)
               for t in lights if t.supersedes is not None}
    return lights, targets


def meanwhile(work: Callable[[], T]) -> Callable[[], T]:
    """``work`` run in a thread of this process; the function returned waits for it and gives
    its result (or raises what it raised). For pure Python work while SQLite builds indexes:
    the sqlite3 module lets go of the interpreter while a statement runs, and the other core,
    where the child ran, is free again."""
    out: list = []

    def run() -> None:
        try:
            out.append((True, work()))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            out.append((False, exc))

    thread = threading.Thread(target=run, name="eduplan-meanwhile")
    thread.start()

    def result() -> T:
        thread.join()
        ok, value = out[0]
        if not ok:
            raise value
        return value

    return result


def _child(raw: bytes, at: int, file: str, plan: Plan, office: str, name: str, part: Path, w: int) -> None:
    """Read ``raw[at:]``; if every entry is whole and fits the plan, write their rows into
    the part and send their lights; else send only a refusal."""
    _, blocks = lf.split(raw, at, 1 + raw.count(b"\n", 0, at))
    read = []
    for b in blocks:
        parsed = lf.parse_block(b, file, plan, office)
        if parsed.problems or parsed.entry is None:
            _send(w, b"\1")
            return
        read.append((parsed.entry, b.digest))
    targets = {e.target for e, _ in read if e.supersedes is not None}
    # an entry here can only be superseded from here (a correction comes after what it corrects)
    write_part(part, (to_row(e, name, digest, e.void or (e.office, e.id) in targets) for e, digest in read))
    _send(w, _OK + marshal.dumps([_light_of(e) for e, _ in read]))


def _send(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.close(fd)
