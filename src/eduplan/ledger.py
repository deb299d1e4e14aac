"""The ledger file: reading it, appending to it safely, repairing a torn tail.

The ledger is a TOML file a person can read and diff: a ``schema_version`` line, then
one ``[[entries]]`` table per recorded figure, oldest first, written by tomli-w. It is
append-only:

* every write takes an exclusive lock (``filelock``) on ``LEDGER.lock``;
* before writing, the whole file must load and validate: proved by the cache (the file
  untouched since its byte ranges were hashed, or its bytes hashing to them), or by
  parsing it; the tool never writes to a ledger it could not read;
* the new entries are rendered, parsed back and compared before a single ``write`` in
  append mode, followed by ``fsync``: an entry is either there whole or, after a crash,
  a torn last entry that ``validate`` names and ``repair`` removes (keeping a copy);
* a correction or void is a new entry; nothing is ever edited.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
import re
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

from .cache import MAX_SEGMENTS, LedgerCache, Meta, signature
from .entries import entry_plan_problems, structural_problems
from .errors import EduplanError, Problem, ProblemsError, UsageError
from .loader import LineIndex, parse_toml, validation_problems
from .models import ENTRY_WRITE_ORDER, Entry, Plan

LEDGER_ENV = "EDUPLAN_LEDGER"
TABLE = "entries"
HEADER = (
    "# eduplan ledger: one [[entries]] table per recorded figure, oldest first.\n"
    "# Append-only. Fix a figure with `eduplan correct` or `eduplan void`, not by editing it here.\n"
    "schema_version = 1\n"
)
LOCK_TIMEOUT = 60.0

_HEADER_LINE = re.compile(rb"^\[\[entries\]\][ \t]*\r?$", re.MULTILINE)


def default_ledger_path(plan: Plan) -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "eduplan" / f"{plan.plan.id}.ledger.toml"


def resolve_ledger_path(option: str | os.PathLike | None, plan: Plan) -> Path:
    """``--ledger``, else ``$EDUPLAN_LEDGER``, else ``$XDG_DATA_HOME/eduplan/PLAN-ID.ledger.toml``."""
    if option:
        return Path(option)
    env = os.environ.get(LEDGER_ENV)
    if env:
        return Path(env)
    return default_ledger_path(plan)


# --------------------------------------------------------------------------- render


def entry_to_dict(e: Entry) -> dict:
    out = {}
    for name in ENTRY_WRITE_ORDER:
        value = getattr(e, name)
        if value is None or (name == "void" and value is False):
            continue
        out[name] = value.value if hasattr(value, "value") and not isinstance(value, (int, float)) else value
    return out


def render_entries(entries: Sequence[Entry]) -> str:
    """The text appended for these entries: a blank line, then one table each."""
    import tomli_w

    return "".join("\n" + tomli_w.dumps({TABLE: [entry_to_dict(e)]}) for e in entries)


# --------------------------------------------------------------------------- read


@dataclasses.dataclass(frozen=True)
class LedgerState:
    """A ledger as read: its bytes' hash, its entries and what is wrong with it."""

    path: Path
    exists: bool
    size: int
    sha256: str | None  # of the whole file; None when the cache proved it range by range
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    torn: bool = False  # the only problems are in an incomplete last entry
    meta: Meta | None = None  # set when the entries came from a matching cache
    stored: Meta | None = None  # set when a plain read refreshed the cache

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def next_id(self) -> int:
        return max((e.id for e in self.entries), default=0) + 1


def _check(path: Path, raw: bytes, plan: Plan) -> tuple[list[Entry], list[Problem], bool]:
    """Parse and validate ledger bytes the plain way: every problem, with lines."""
    file = str(path)
    try:
        text = raw.decode("utf-8-sig")  # a BOM left by a Windows editor is not an error
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [], [Problem(file, line, f"not UTF-8 text ({exc.reason})")], _is_tail(raw, line)
    data, problems = parse_toml(text, file)
    if data is None:
        line = problems[0].line
        return [], problems, line is not None and _is_tail(raw, line)
    index: LineIndex | None = None
    extra = set(data) - {"schema_version", TABLE}
    problems = [Problem(file, None, f"unknown top-level key {k!r}") for k in sorted(extra)]
    if data.get("schema_version", 1) != 1:
        problems.append(Problem(file, None, f"schema_version {data['schema_version']!r} is not supported (1 is)"))
    rows = data.get(TABLE, [])
    if not isinstance(rows, list):
        return [], problems + [Problem(file, None, f"{TABLE} must be an array of tables")], False
    from pydantic import ValidationError

    from .schema import validate_entries

    try:
        entries = validate_entries(rows)
    except ValidationError as exc:
        problems += validation_problems(exc, {TABLE: rows}, LineIndex(text), file, prefix=(TABLE,))
        return [], problems, _cut_short(rows, exc)
    semantic: list[tuple[int, str, str]] = list(structural_problems(entries))
    for i, e in enumerate(entries):
        semantic.extend((i, field, msg) for field, msg in entry_plan_problems(e, plan))
    if semantic:
        index = index or LineIndex(text)
        for i, field, msg in semantic:
            problems.append(Problem(file, index.line_of((TABLE, i, field)), f"{TABLE}[{entries[i].id}].{field}: {msg}"))
    return entries, problems, False


def _cut_short(rows: list, exc) -> bool:
    """Do the errors look like a write cut short: only in the last entry, which lacks its
    final field (``recorded_at``, always written last, with its zone)?"""
    last = len(rows) - 1
    bad = {err["loc"][0] for err in exc.errors() if err["loc"] and isinstance(err["loc"][0], int)}
    if bad != {last} or not isinstance(rows[last], dict):
        return False
    stamp = rows[last].get("recorded_at")
    return not (hasattr(stamp, "tzinfo") and stamp.tzinfo is not None)


def _is_tail(raw: bytes, line: int) -> bool:
    """Is ``line`` inside the last ``[[entries]]`` table of the file?"""
    starts = [m.start() for m in _HEADER_LINE.finditer(raw)]
    if not starts:
        return False
    last_line = raw[: starts[-1]].count(b"\n") + 1
    return line >= last_line


def read_ledger(path: Path, plan: Plan, *, use_cache: bool = True) -> LedgerState:
    """Read the ledger (a missing file is an empty ledger), validating it fully.

    Uses the cache when the SHA-256 of the file's bytes proves that it describes them;
    otherwise parses and, if the ledger is valid, refreshes the cache.
    """
    cache = LedgerCache(path, plan.fingerprint) if use_cache else None
    try:
        with open(path, "rb") as fh:
            before = signature(os.fstat(fh.fileno()))
            meta = cache.meta() if cache is not None else None
            if meta is not None and cache.proves(meta, fh):
                cached = cache.entries(meta)
                if cached is not None:
                    whole = meta.segments[0][2] if len(meta.segments) == 1 else None
                    return LedgerState(path, True, meta.size, whole, tuple(cached), (), False, meta)
            fh.seek(0)
            raw = fh.read()
            after = signature(os.fstat(fh.fileno()))
    except FileNotFoundError:
        return LedgerState(path, False, 0, hashlib.sha256(b"").hexdigest(), (), ())
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, not a ledger file") from None
    except PermissionError:
        raise EduplanError(f"{path}: cannot read the ledger: permission denied") from None
    sha = hashlib.sha256(raw).hexdigest()
    entries, problems, torn = _check(path, raw, plan)
    if problems:
        if torn:
            problems.append(Problem(str(path), None,
                                    "the last entry is incomplete (a write cut short?): "
                                    f"`eduplan repair --ledger {path}` removes it and keeps every complete entry"))
        return LedgerState(path, True, len(raw), sha, (), tuple(problems), torn)
    stable = before == after and after[2] == len(raw)  # no write while we read: the signature is these bytes'
    meta = cache.store(len(raw), sha, entries, after if stable else None) if cache is not None else None
    return LedgerState(path, True, len(raw), sha, tuple(entries), (), False, None, meta)


def load_ledger(path: Path, plan: Plan) -> LedgerState:
    """Read the ledger or raise :class:`ProblemsError` naming every problem.

    A problem in the last entry may be a write still in progress: wait for the writers'
    lock and read once more before calling it a problem.
    """
    state = read_ledger(path, plan)
    if state.torn:
        with _lock(path, reader=True):
            state = read_ledger(path, plan)
    if not state.ok:
        raise ProblemsError(list(state.problems), hint=None)
    return state


# --------------------------------------------------------------------------- write


@contextlib.contextmanager
def _lock(path: Path, reader: bool = False):
    """The writers' lock on ``LEDGER.lock``. A reader that only waits for writers to finish
    goes on without it where it cannot take it (a read-only folder: nobody writes there)."""
    from filelock import FileLock, Timeout  # imported when a command writes, not at start-up

    lock_path = path.with_name(path.name + ".lock")
    lock = FileLock(str(lock_path), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise EduplanError(f"{path}: another eduplan is writing this ledger (waited {LOCK_TIMEOUT:.0f}s for {lock_path})") from None
    except OSError as exc:
        if reader:
            yield
            return
        raise EduplanError(f"{path}: cannot lock the ledger ({lock_path}: {exc.strerror})") from None
    try:
        yield
    finally:
        lock.release()


def _check_writable(path: Path, plan: Plan | None = None) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists() and plan is not None and path == default_ledger_path(plan):
        try:
            folder.mkdir(parents=True, exist_ok=True)  # the default location is ours to create
        except OSError as exc:
            raise EduplanError(f"{path}: cannot create the folder {folder} ({exc.strerror})") from None
    if not folder.exists():
        raise EduplanError(f"{path}: the folder {folder} does not exist")
    if path.exists() and not os.access(path, os.W_OK):
        raise EduplanError(f"{path}: the ledger is read-only; nothing was recorded")
    if not os.access(folder, os.W_OK):
        raise EduplanError(f"{path}: the folder {folder} is read-only; nothing was recorded")


def _append(path: Path, data: bytes) -> tuple[int, ...] | None:
    """Append with one write and fsync; the file's signature right after (None if unknown)."""
    new_file = not path.exists()
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except PermissionError:
        raise EduplanError(f"{path}: the ledger is read-only; nothing was recorded") from None
    except OSError as exc:
        raise EduplanError(f"{path}: cannot open the ledger for writing: {exc.strerror}") from None
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        after = signature(os.fstat(fd))
    except OSError as exc:
        raise EduplanError(f"{path}: writing the ledger failed ({exc.strerror}); run `eduplan validate`") from None
    finally:
        os.close(fd)
    if new_file:
        _fsync_dir(path.parent)
    return after


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class LedgerView:
    """What a writer sees under the lock: the next id and, when asked, the entries.

    When the cache proves the ledger valid, the entries are not loaded unless a command
    needs them (``correct``, ``--add``), so recording a figure costs the same at any size.
    """

    def __init__(self, state: LedgerState, cache: LedgerCache, plan: Plan):
        self.state = state
        self._cache = cache
        self._plan = plan
        # entries come either loaded (a plain read) or, proved by the cache, loaded on demand
        self._entries: tuple[Entry, ...] | None = state.entries if state.entries or not state.meta else None

    @property
    def next_id(self) -> int:
        return self.state.meta.max_id + 1 if self.state.meta else self.state.next_id

    def entries(self) -> tuple[Entry, ...]:
        if self._entries is None:
            assert self.state.meta is not None
            loaded = self._cache.entries(self.state.meta)
            if loaded is None:  # the cache vanished under us: prove it the plain way
                fresh = read_ledger(self.state.path, self._plan, use_cache=False)
                loaded = list(fresh.entries)
            self._entries = tuple(loaded)
        return self._entries


def _verified_head(path: Path, plan: Plan, cache: LedgerCache) -> LedgerState:
    """The ledger under the lock, proved valid.

    Cheapest proof first: the file's signature is the one recorded when the cache's byte
    ranges were last proved (nothing has written to it since); else its bytes hash to
    those ranges; else it is parsed and validated the plain way.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return LedgerState(path, False, 0, hashlib.sha256(b"").hexdigest(), (), ())
    meta = cache.meta()
    if meta is not None and meta.size == st.st_size:
        if meta.stat is not None and meta.stat == signature(st):
            return LedgerState(path, True, st.st_size, None, (), (), False, meta)
        try:
            with open(path, "rb") as fh:
                if cache.proves(meta, fh):
                    return LedgerState(path, True, st.st_size, None, (), (), False, meta)
        except PermissionError:
            raise EduplanError(f"{path}: cannot read the ledger: permission denied; nothing was recorded") from None
    state = read_ledger(path, plan)
    if not state.ok:
        raise ProblemsError(list(state.problems), hint="nothing was recorded: the ledger must load before anything is added to it")
    return state


def append_entries(path: Path, plan: Plan, build: Callable[[LedgerView], list[Entry]]) -> list[Entry]:
    """Append the entries ``build(view)`` returns, under the writers' lock.

    ``build`` sees the validated ledger and may raise :class:`EduplanError` to refuse;
    then nothing is written. Every new entry is checked against the plan and against
    the ledger's history. Returns the entries written.
    """
    _check_writable(path, plan)
    cache = LedgerCache(path, plan.fingerprint)
    with _lock(path):
        state = _verified_head(path, plan, cache)
        view = LedgerView(state, cache, plan)
        new = build(view)
        if not new:
            return []
        for e in new:
            problems = entry_plan_problems(e, plan)
            if problems:
                raise EduplanError("; ".join(f"{field}: {msg}" for field, msg in problems))
        if any(e.supersedes is not None for e in new):
            history = view.entries()
            bad = [p for p in structural_problems([*history, *new]) if p[0] >= len(history)]
            if bad:
                raise EduplanError("; ".join(msg for _, _, msg in bad))
        text = render_entries(new)
        _prove_round_trip(text, new)
        data = text.encode("utf-8")
        if not state.exists or state.size == 0:
            data = HEADER.encode() + data
        after = _append(path, data)
        meta = state.meta or state.stored
        if meta is not None and after is not None:
            end = state.size + len(data)
            segments = meta.segments + ((state.size, end, hashlib.sha256(data).hexdigest()),)
            if len(segments) > MAX_SEGMENTS:  # fold the ranges into one: one read per many appends
                with open(path, "rb") as fh:
                    segments = ((0, end, hashlib.file_digest(fh, "sha256").hexdigest()),)
            cache.extend(meta, segments, new, after if after[2] == end else None)
    return new


def _prove_round_trip(text: str, entries: Sequence[Entry]) -> None:
    """Parse what is about to be written; it must read back as exactly these entries."""
    try:
        back = tomllib.loads(text)[TABLE]
    except tomllib.TOMLDecodeError as exc:  # pragma: no cover - a bug in rendering, never user input
        raise EduplanError(f"internal error: an entry would not read back ({exc}); nothing was recorded") from None
    expected = [entry_to_dict(e) for e in entries]
    if back != expected or [_types(r) for r in back] != [_types(r) for r in expected]:
        raise EduplanError("internal error: an entry would not read back unchanged; nothing was recorded")


def _types(row: dict) -> list:
    return [(k, type(v).__name__, getattr(v, "tzinfo", None) is not None) for k, v in row.items()]


# --------------------------------------------------------------------------- repair


def _longest_valid_prefix(path: Path, raw: bytes, plan: Plan) -> tuple[bytes | None, list[Entry]]:
    """The longest prefix ending at an entry boundary that loads without a problem.

    Boundaries are the starts of ``[[entries]]`` lines and blank lines (every append
    begins with one). Tried from the end, so at most the torn fragment is dropped.
    """
    cuts = {m.start() for m in _HEADER_LINE.finditer(raw)}
    cuts |= {m.start() + 1 for m in re.finditer(rb"\n\n", raw)}
    for cut in sorted(c for c in cuts if c < len(raw))[::-1][:3]:
        keep = raw[:cut]
        while keep.endswith(b"\n\n"):
            keep = keep[:-1]
        entries, problems, _ = _check(path, keep, plan)
        if not problems:
            return keep, entries
    return None, []


@dataclasses.dataclass(frozen=True)
class RepairResult:
    path: Path
    kept: int
    removed_bytes: int
    saved_to: Path | None


def repair(path: Path, plan: Plan, now: dt.datetime) -> RepairResult:
    """Cut an incomplete last entry off the ledger, saving the cut bytes beside it.

    Refuses (and changes nothing) unless everything before the last entry is valid.
    """
    _check_writable(path)
    with _lock(path):
        state = read_ledger(path, plan, use_cache=False)
        if state.ok:
            return RepairResult(path, len(state.entries), 0, None)
        raw = path.read_bytes()
        if not state.torn:
            raise ProblemsError(list(state.problems), hint="repair only removes an incomplete last entry; fix these by hand, then run `eduplan validate`")
        keep, kept_entries = _longest_valid_prefix(path, raw, plan)
        if keep is None:
            raise ProblemsError(list(state.problems), hint="repair only removes an incomplete last entry; fix these by hand, then run `eduplan validate`")
        saved = path.with_name(f"{path.name}.torn-{now.strftime('%Y%m%dT%H%M%S')}")
        saved.write_bytes(raw[len(keep):])
        with open(path, "r+b") as fh:
            fh.truncate(len(keep))
            fh.flush()
            os.fsync(fh.fileno())
        return RepairResult(path, len(kept_entries), len(raw) - len(keep), saved)
