"""The ledger on disk: read it through its index, append to it safely, repair a torn tail.

The ledger is append-only:

* every write takes an exclusive lock on ``REAL.lock`` beside the *real* file (through any
  symbolic link), so two writers reaching one file by different paths take one lock;
* before writing, the whole ledger must load and validate (proved by its index: the file
  untouched since its bytes were hashed, or its bytes hashing to the indexed ranges, or a
  fresh read); the tool never writes to a ledger it could not read, nor to anything that
  is not a regular file;
* the new entries are rendered, parsed back and compared, then appended with one
  ``write`` and ``fsync``; a write that fails (a full disk) is cut back to the old size
  under the lock, so the file is as it was. A crash leaves at most a torn last entry, or
  the first entries of an import (each imported entry knows the import's size), which
  ``validate`` names and ``repair`` removes, keeping a copy.

Reading (:func:`open_ledger`) brings the index up to date first: nothing to do when the
bytes are the ones indexed; the appended blocks only when the file grew; else every block
whose bytes changed (a hand edit), reusing the rest.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime as dt
import errno
import functools
import gc
import hashlib
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from ..core.entries import (
    batch_runs,
    entry_plan_problems,
    order_problem,
    shape_problems,
    supersede_problems,
)
from ..core.models import Entry, Plan
from ..core.records import record
from ..errors import EduplanError, Problem, ProblemsError, os_error
from ..i18n import N_, Msg, msg, nmsg
from . import ledgerfile as lf
from . import toml
from .index import FileRow, Index, proves, signature
from .paths import cache_dir, file_kind, key_of, real_path

LOCK_TIMEOUT = 60.0


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

    def file_for(self, office: str) -> Location:
        """Where an office's entries go in a folder: ``OFFICE.ledger.toml``."""
        safe = re.sub(r'[\\/\x00-\x1f:*?"<>|]', "_", office).strip(". ") or "_"
        name = f"{safe}.ledger{LEDGER_SUFFIX}"
        return Location(self.path / name, real_path(self.real / name), name)


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


def _open_index(loc: Location | Place, plan: Plan) -> Index:
    """The ledger's index, valid for this ledger and plan (reset if not). A cache folder that
    cannot be written, or a damaged database, means an index in memory for this command."""
    path = index_path(loc)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            index = Index(path)
            if not index.valid_for(str(loc.real), plan.fingerprint):
                index.reset(str(loc.real), plan.fingerprint)
            return index
        except (OSError, sqlite3.Error):
            with contextlib.suppress(Exception):
                index.close()  # type: ignore[possibly-undefined]
            with contextlib.suppress(OSError):
                if path.exists() and path.stat().st_size and not _is_sqlite(path):
                    path.unlink()  # not a database at all: make room for a new one
            try:
                index = Index(path)
                index.reset(str(loc.real), plan.fingerprint)
                return index
            except (OSError, sqlite3.Error):
                with contextlib.suppress(Exception):
                    index.close()
    index = Index(None)
    index.reset(str(loc.real), plan.fingerprint)
    return index


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
            "this ledger belongs to the plan '{owner}', not to '{plan}': give the right --plan or --ledger",
            owner=owner, plan=plan.plan.id), kind="plan"))
    return out


def _office(data: dict) -> str:
    office = data.get("office", "")
    return office if isinstance(office, str) else ""


def _sync(index: Index, loc: Location, plan: Plan, *, writer: bool) -> Sync:
    """Bring the index up to date with the file (or find why it cannot be)."""
    fh = _open_regular(loc)
    if fh is None:
        if index.file(loc.name) is not None:
            with index.writing():
                index.drop_file(loc.name)
        return Sync(exists=False)
    with fh:
        st = os.fstat(fh.fileno())
        row = index.file(loc.name)
        if row is not None and row.size == st.st_size:
            if writer and row.stat is not None and row.stat == signature(st):
                return Sync(count=row.count)
            if proves(row.ranges, fh, st.st_size):
                return Sync(count=row.count)
        if row is not None and 0 < row.size < st.st_size and proves(row.ranges, fh):
            fh.seek(row.size)
            tail = fh.read()
            after = os.fstat(fh.fileno())
            stat = signature(after) if _stable(st, after, row.size + len(tail)) else None
            result = _index_tail(index, loc, plan, row, tail, stat)
            if result is not None:
                return result
        fh.seek(0)
        raw = fh.read()
        after = os.fstat(fh.fileno())
        with paused_collector():
            return _index_whole(index, loc, plan, raw, signature(after) if _stable(st, after, len(raw)) else None)


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


# What the structural rules need of an entry already indexed (a hand edit of a 1M ledger
# makes one per entry: a named tuple is made in a fifth of a frozen dataclass's time)
_Light = collections.namedtuple("_Light", "office id indicator county supersedes target_office void batch batch_size")


def _fragment_start(block: lf.Block, plan: Plan, office: str) -> int:
    """Where the torn fragment in the last block begins: after its last blank line if what is
    before it is a whole entry (a write cut inside the next ``[[entries]]`` line), else the
    block's start."""
    k = block.data.rfind(b"\n\n")
    if k > 0:
        head = lf.Block(block.pos, block.line, block.data[:k + 1], 0)
        try:
            if lf.parse_block(head, "", plan, office).entry is not None:
                return block.pos + k + 1
        except lf.NotBlockwise:
            pass
    return block.pos


def _classify(bad_blocks: dict[int, list[Problem]], last: int, cut_short_last: bool, others: list[Problem],
              structure: "_Structure", rows: list, blocks: list[lf.Block], base: int = 0, *, plan: Plan,
              office: str) -> tuple[bool, int | None]:
    """Is the ledger only torn at its end (a write cut short)? And where would a repair cut?

    Torn: no problem but in the last block, which lacks its zoned ``recorded_at`` (always
    written last) or does not parse; and/or the entries at the end are an import that
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


def _index_whole(index: Index, loc: Location, plan: Plan, raw: bytes, stat: tuple | None) -> Sync:
    """Read a whole file, reusing every block the index already holds (the same bytes)."""
    file = str(loc.path)
    known: dict[int, list[int]] = {}
    try:
        head, blocks = lf.split(raw)
        data, others = lf.parse_header(head, file)
        office = _office(data)
        known = index.digests(loc.name)
        items: list[tuple[lf.Block, int | None, Entry | None]] = []
        bad: dict[int, list[Problem]] = {}
        cut_short_last = False
        for k, b in enumerate(blocks):
            hit = known.get(b.digest)
            if hit:
                items.append((b, hit.pop(), None))
                continue
            parsed = lf.parse_block(b, file, plan, office)
            if parsed.problems:
                bad[k] = list(parsed.problems)
                cut_short_last = parsed.cut_short
            items.append((b, None, parsed.entry))
    except lf.NotBlockwise:
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
    rows = []
    for b, rowid, entry in items:
        if rowid is not None:
            o, i, ind, county, sup, sup_office, void, batch, bsize = light[rowid]
            rows.append((b, _Light(o, i, ind, county or None, sup, sup_office if sup_office != o else None, bool(void),
                                   batch, bsize), None))
        elif entry is not None:
            rows.append((b, entry, entry))
    structure = _structure(rows, file, 0)
    problems = others + [p for k in sorted(bad) for p in bad[k]] + structure.problems
    if not blocks and raw and _torn_header(raw, plan) and (problems or not _whole_header(raw, plan)):
        # the first write was cut inside the header: nothing was recorded yet
        return Sync(problems or [Problem(file, 1, msg("the ledger's header is incomplete (its first write was cut "
                                                      "short)"), kind="torn")], True, 0)
    if problems:
        torn, cut = _classify(bad, len(blocks) - 1, cut_short_last, others, structure, rows, blocks, plan=plan,
                              office=office)
        return Sync(problems, torn, cut)
    gone = [rowid for rowids in known.values() for rowid in rowids]
    new = [e for _, _, e in rows if e is not None]
    with index.writing():
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
        index.put_file(FileRow(loc.name, office, _plain(data), len(raw),
                               ((0, len(raw), hashlib.sha256(raw).hexdigest()),) if raw else (), stat,
                               max((r[1].id for r in rows), default=0), len(rows), raw.count(b"\n") + 1))
    return Sync(count=len(rows))


def _torn_header(raw: bytes, plan: Plan) -> bool:
    """Is the file the beginning of a header this tool writes (the first write, cut short)?"""
    canonical = lf.header_text(plan, "").encode("utf-8")
    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if not data.startswith(b"# eduplan ledger"[: len(data)]):
        return False
    if canonical.startswith(data):
        return True
    rest = data[len(canonical):] if data.startswith(canonical) else None
    return rest is not None and re.fullmatch(rb'office = "[^"\n]*"?\n?|o(f(f(i(c(e( (=( "?)?)?)?)?)?)?)?)?', rest) is not None


def _whole_header(raw: bytes, plan: Plan) -> bool:
    data = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    return data.rstrip(b"\n").endswith(f'plan_version = "{plan.plan.version}"'.encode()) or b"office = " in data


def _plain(data: dict) -> dict:
    return {k: v for k, v in data.items() if isinstance(v, (str, int, float, bool))}


@dataclasses.dataclass
class _Structure:
    problems: list[Problem]
    short_tail: int | None  # index (in rows) of the first entry of an import cut short at the end


def _structure(rows: Sequence[tuple[lf.Block, object, Entry | None]], file: str, start_id: int,
               index: Index | None = None) -> _Structure:
    """Ids increase down the file, corrections point at a fitting earlier entry once, imports
    are whole. ``index`` supplies the targets that are not among ``rows`` (an appended tail)."""
    problems: list[Problem] = []
    last_id = start_id
    seen: dict[int, object] = {}
    superseded: dict[int, int] = {}
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
                    already = later.id if later is not None else None
            for field, message in supersede_problems(e, target, already):
                problems.append(Problem(file, b.line_of(field) or None, message, field=f"entries[{e.id}].{field}",
                                        kind="structure"))
            superseded.setdefault(e.supersedes, e.id)
        seen[e.id] = e
    tail = None
    for first, present, size in batch_runs([e for _, e, _ in rows]):
        problems.append(Problem(file, rows[first][0].line_of("batch_size") or None, msg(
            "an import was cut short: {present} of its {size} entries are here (entries {first} to {last})",
            present=present, size=size, first=rows[first][1].id, last=rows[first + present - 1][1].id),
            field=f"entries[{rows[first][1].id}].batch_size", kind="batch"))
        if first + present == len(rows):
            tail = first
    return _Structure(problems, tail)


def _index_tail(index: Index, loc: Location, plan: Plan, row: FileRow, tail: bytes, stat: tuple | None) -> Sync | None:
    """Index what was appended after the indexed bytes; None when the tail is not whole
    blocks (then the whole file is read)."""
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
    structure = _structure(rows, file, row.max_id, index)
    problems = [p for k in sorted(bad) for p in bad[k]] + structure.problems
    if problems:
        cut_short_last = bool(parsed) and parsed[-1].cut_short
        torn, cut = _classify(bad, len(blocks) - 1, cut_short_last, [], structure, rows, blocks, row.size, plan=plan,
                              office=row.office)
        return Sync(problems, torn, cut)
    entries = [e for _, e, _ in rows]
    with index.writing():
        current = index.file(loc.name)
        if current is None or current.size != row.size:
            return None  # someone else indexed it meanwhile: look again at the whole
        index.insert((e, loc.name, b.digest) for b, e, _ in rows)
        index.mark_superseded(entries)
        _extend(index, loc, row, tail, entries, stat)
    return Sync(count=row.count + len(rows))


def _extend(index: Index, loc: Location, row: FileRow, data: bytes, entries: Sequence[Entry],
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

    def dated_between(self, start: dt.date, end: dt.date) -> list[tuple[Entry, Entry | None]]:
        return self.index.dated_between(start, end)

    def units_sent(self, start: dt.date, end: dt.date) -> set[tuple[str, str | None]]:
        return self.index.units_sent(start, end)

    def surviving_batch(self, batch: str) -> list[Entry]:
        return self.index.surviving_batch(batch)

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


def _synced(where: Place, plan: Plan, *, writer: Location | None = None) -> tuple[Index, Sync]:
    """The ledger's index brought up to date. A damaged index is discarded and built again; an
    index that cannot be written (a full or read-only cache folder) is built in memory instead."""
    index = _open_index(where, plan)
    try:
        return index, _sync_place(index, where, plan, writer)
    except sqlite3.DatabaseError:
        index.close()
    _discard(index_path(where))
    index = _open_index(where, plan)
    try:
        return index, _sync_place(index, where, plan, writer)
    except sqlite3.DatabaseError:
        index.close()
    index = Index(None)
    index.reset(str(where.real), plan.fingerprint)
    return index, _sync_place(index, where, plan, writer)


def _sync_place(index: Index, where: Place, plan: Plan, writer: Location | None) -> Sync:
    """Every file of the ledger brought into the index; in a folder, the rules across files."""
    if not where.folder:
        loc = where.files()[0]
        return _sync(index, loc, plan, writer=writer is not None)
    locs = where.files()
    vanished = {f.name for f in index.files()} - {loc.name for loc in locs}
    if vanished:
        with index.writing():
            for name in vanished:
                index.drop_file(name)
            index.recompute_gone()
    problems: list[Problem] = []
    torn: list[tuple[Location, int]] = []
    count = 0
    for loc in locs:
        one = _sync(index, loc, plan, writer=writer is not None and loc.real == writer.real)
        problems += one.problems
        count += one.count
        if one.torn and one.cut is not None:
            torn.append((loc, one.cut))
    if problems:
        only_torn = len(torn) == len({p.file for p in problems})
        return Sync(problems, only_torn, torn[0][1] if len(torn) == 1 else None, count, True, tuple(torn) if only_torn else ())
    return Sync(_folder_problems_kept(index, where, plan, locs), False, None, count, True)


def _folder_problems_kept(index: Index, where: Place, plan: Plan, locs: Sequence[Location]) -> list[Problem]:
    """:func:`_folder_problems`, unless the index says they were found to be none for these
    files, this plan and this code, and nothing has been written to it since (every write
    empties what it keeps, :mod:`eduplan.store.memo`): the rules read every entry of the folder
    (0.1-0.2 s at 70,000 entries), and most commands find the folder as the last one left it."""
    from . import memo

    key = memo.key("folder-problems", plan, files=sorted(loc.name for loc in locs))
    if index.memo(key) == "none":
        return []
    generation = index.generation()
    problems = _folder_problems(index, where, plan, locs)
    if not problems:
        index.keep(key, generation, "none")
    return problems


def _line_of_id(loc: Location, id_: int) -> int | None:
    try:
        with open(loc.real, "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    m = re.search(rb"^id\s*=\s*" + str(id_).encode() + rb"\s*$", raw, re.MULTILINE)
    return raw.count(b"\n", 0, m.start()) + 1 if m else None


# each file's entries by unit, leaving out those that act for the city: for_city, and an
# office's corrections and voids of its own entries that act for the city (the unit is still
# the county's; correct and void now write them with for_city = true, earlier versions did not)
_NOT_FOR_CITY = """
WITH RECURSIVE acting(office, id) AS (
    SELECT office, id FROM entries WHERE for_city = 1
    UNION
    SELECT e.office, e.id FROM entries e JOIN acting a ON e.sup_office = a.office AND e.supersedes = a.id
    WHERE e.office = a.office
)
SELECT file, office, county, MIN(id), COUNT(*) FROM entries
WHERE NOT EXISTS (SELECT 1 FROM acting a WHERE a.office = entries.office AND a.id = entries.id)
GROUP BY file, county
"""


def _folder_problems(index: Index, where: Place, plan: Plan, locs: Sequence[Location]) -> list[Problem]:
    """The rules across the files of a ledger folder: one file per office, offices of the plan,
    entries for the units an office reports, corrections of another office's entries."""
    by_name = {loc.name: loc for loc in locs}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for f in index.files():
        loc = by_name.get(f.name)
        if loc is None:
            continue
        if not f.office:
            problems.append(Problem(str(loc.path), 1, msg("a file in a ledger folder names its office in its header "
                                                          "(office = \"…\")"), field="office", kind="folder"))
        elif plan.office(f.office) is None:
            problems.append(Problem(str(loc.path), 1, msg("the office '{office}' is not one of the plan's offices ({all})",
                                                          office=f.office, all=[o.name for o in plan.offices]),
                                    field="office", kind="folder"))
        elif f.office in seen:
            problems.append(Problem(str(loc.path), 1, msg("a second file for the office '{office}' (the first is {other}); "
                                                          "an office keeps one file", office=f.office,
                                                          other=seen[f.office]), field="office", kind="folder"))
        else:
            seen[f.office] = f.name
    if problems:
        return problems
    for file, office, county, first, n in index.con.execute(_NOT_FOR_CITY):
        o = plan.office(office)
        unit = county or None
        if o is not None and unit not in o.units:
            loc = by_name[file]
            problems.append(Problem(str(loc.path), _line_of_id(loc, first), nmsg(
                "the office '{office}' reports {units}, not {unit} ({n} entry, the first #{first})",
                "the office '{office}' reports {units}, not {unit} ({n} entries, the first #{first})", n,
                office=office, units=[u or "全市" for u in o.units], unit=unit or "全市", first=first),
                field=f"entries[{first}].county", kind="folder"))
    rows = index.con.execute(
        "SELECT e.file, e.office, e.id, e.indicator, e.county, e.supersedes, e.sup_office, t.id, t.void, t.indicator, "
        "t.county FROM entries e LEFT JOIN entries t ON t.office = e.sup_office AND t.id = e.supersedes "
        "WHERE e.supersedes IS NOT NULL AND e.sup_office != e.office").fetchall()
    for file, office, id_, indicator, county, sup, sup_office, tid, tvoid, tind, tcounty in rows:
        loc = by_name[file]
        here = _Light(office, id_, indicator, county or None, sup, sup_office, False, None, None)
        target = None if tid is None else _Light(sup_office, tid, tind, tcounty or None, None, None, bool(tvoid), None, None)
        found = supersede_problems(here, target, None)
        o = plan.office(office)
        if o is not None and not o.city:
            found.append(("for_city", msg("only an office that reports the city-wide figure may act for the city")))
        for field, message in found:
            problems.append(Problem(str(loc.path), _line_of_id(loc, id_), message, field=f"entries[{id_}].{field}",
                                    kind="folder"))
    problems += _superseded_twice(index, by_name)
    return problems


def _superseded_twice(index: Index, by_name: dict[str, Location]) -> list[Problem]:
    """One entry corrected or voided from two files (two offices' clones merged, each with its
    own correction): the one recorded first stands and the later is a problem, as a second
    correction within one file is (that one :func:`_structure` names)."""
    rows = index.con.execute(
        "SELECT e.file, e.office, e.id, e.sup_office, e.supersedes FROM entries e WHERE e.supersedes IS NOT NULL "
        "AND EXISTS (SELECT 1 FROM entries o WHERE o.sup_office = e.sup_office AND o.supersedes = e.supersedes "
        "AND o.file != e.file) ORDER BY e.sup_office, e.supersedes, e.stamp, e.office, e.id").fetchall()
    problems: list[Problem] = []
    first: dict[tuple[str, int], tuple[str, int]] = {}
    files: dict[tuple[str, int], set[str]] = {}
    for file, office, id_, sup_office, sup in rows:
        target = (sup_office, sup)
        if target in first and file not in files[target]:
            loc = by_name.get(file)
            if loc is not None:
                problems.append(Problem(str(loc.path), _line_of_id(loc, id_), msg(
                    "entry {target} was already superseded by entry {by}", target=f"{sup_office}#{sup}",
                    by="#".join(map(str, first[target]))), field=f"entries[{id_}].supersedes", kind="folder"))
        first.setdefault(target, (office, id_))
        files.setdefault(target, set()).add(file)
    return problems


def check(path: Path, plan: Plan) -> tuple[LedgerView | None, Sync]:
    """Read the ledger and bring its index up to date; the view (None if it has problems)."""
    where = place(path)
    index, sync = _synced(where, plan)
    if sync.torn:  # a write may be in progress: wait for the writers and look again
        index.close()
        locs = [loc for loc, _ in sync.torn_files] or where.files()[:1]
        with contextlib.ExitStack() as stack:
            for loc in locs:
                stack.enter_context(_lock(loc, reader=True))
            index, sync = _synced(where, plan)
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
        raise ProblemsError(sync.problems, hint=_hint(sync, path))
    return view


def _hint(sync: Sync, path: Path) -> Msg | None:
    if sync.torn:
        return msg("the end of the ledger is incomplete (a write cut short): `eduplan repair --ledger {path}` removes it "
                   "and keeps every complete entry", path=str(path))
    return None


# --------------------------------------------------------------------------- writing


@contextlib.contextmanager
def _lock(loc: Location, reader: bool = False):
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
def _folder_lock(where: Place):
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
    from . import locking

    try:
        fd = locking.acquire(str(lock), LOCK_TIMEOUT)
    except TimeoutError:
        raise EduplanError(msg("{path}: another eduplan is writing this ledger (waited {seconds} s for {lock})",
                               path=str(ledger), seconds=int(LOCK_TIMEOUT), lock=str(lock))) from None
    except OSError as exc:
        if reader:
            yield False
            return
        raise os_error(ledger, exc, N_("locking the ledger ({lock})"), lock=str(lock)) from None
    try:
        yield True
    finally:
        locking.release(fd)


@contextlib.contextmanager
def _inode_lock(loc: Location):
    """Where the system has it, also lock the ledger file itself (``flock`` locks the file, not a
    name): writers that reach one file by different hard links still take one lock."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX: the lock file above is the lock
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


def _check_writable(loc: Location, create_folder: bool) -> None:
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


def _append(loc: Location, data: bytes) -> tuple[int, tuple[int, ...] | None]:
    """Append with one write and fsync: (the size before, the file's signature after). A write
    that fails is cut back to the size before, so the file is as it was."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
    new_file = not loc.real.exists()
    try:
        fd = os.open(loc.real, flags, 0o644)
    except OSError as exc:
        raise os_error(loc.path, exc, N_("opening the ledger to write")) from None
    try:
        before = os.fstat(fd).st_size
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
    return before, signature(after) if after.st_size == before + len(data) else None


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
    index, sync = _synced(where, plan)
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
    _check_writable(loc, create_folder)
    with _folder_lock(where), _lock(loc):
        index, sync = _synced(where, plan, writer=loc)
        try:
            if sync.problems:
                raise ProblemsError(sync.problems, hint=_hint(sync, path) or msg(
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
            before, after = _append(loc, data)
            with contextlib.suppress(sqlite3.Error, OSError):
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
        _extend(index, loc, current, data, new, stat)


def _check_new(new: Sequence[Entry], view: LedgerView, file: str) -> None:
    problems: list[tuple[str, Msg]] = []
    for e in new:
        problems += shape_problems(e) + entry_plan_problems(e, view.plan)
    if problems:
        raise EduplanError(problems[0][1], field=problems[0][0])
    rows = [(lf.Block(0, 0, b"", 0), e, e) for e in new]
    structural = _structure(rows, file, view.index.max_id(new[0].office), view.index)
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


# --------------------------------------------------------------------------- repair


@record(slots=False)
class RepairResult:
    path: Path
    kept: int
    removed_bytes: int
    saved_to: Path | None
    exists: bool = True


def repair(path: Path, plan: Plan, now: dt.datetime) -> RepairResult:
    """Cut an incomplete tail (a torn last entry, or an import cut short) off the ledger (off
    every file of a folder that has one), saving the cut bytes beside it first. Refuses,
    changing nothing, unless everything else is valid."""
    where = place(path)
    if not where.real.exists():
        return RepairResult(path, 0, 0, None, exists=False)
    sync = _read_plain(where, plan)
    if not sync.problems:
        return RepairResult(path, sync.count, 0, None)
    torn = list(sync.torn_files) or ([(where.files()[0], sync.cut)] if sync.torn and sync.cut is not None else [])
    if not sync.torn or not torn:
        raise ProblemsError(sync.problems, hint=msg(
            "repair only removes an incomplete end of the ledger; fix these by hand, then run `eduplan validate`"))
    removed, saved = 0, None
    for loc, _ in torn:
        one = _repair_file(loc, plan, now)
        removed += one.removed_bytes
        saved = saved or one.saved_to
    after = _read_plain(where, plan)
    return RepairResult(path, after.count, removed, saved)


def _read_plain(where: Place, plan: Plan) -> Sync:
    """Every file of the ledger read afresh into an index in memory (what repair trusts)."""
    index = Index(None)
    index.reset(str(where.real), plan.fingerprint)
    try:
        return _sync_place(index, where, plan, None)
    finally:
        index.close()


def _repair_file(loc: Location, plan: Plan, now: dt.datetime) -> RepairResult:
    from .output import write_beside

    _check_writable(loc, False)
    with _lock(loc):
        index = Index(None)
        index.reset(str(loc.real), plan.fingerprint)
        try:
            sync = _sync(index, loc, plan, writer=False)
            if not sync.problems:
                return RepairResult(loc.path, sync.count, 0, None)
            if not sync.torn or sync.cut is None:
                raise ProblemsError(sync.problems, hint=msg(
                    "repair only removes an incomplete end of the ledger; fix these by hand, then run `eduplan validate`"))
            with open(loc.real, "rb") as fh:
                raw = fh.read()
            keep = raw[:sync.cut]
            while keep.endswith(b"\n\n"):
                keep = keep[:-1]
            index.reset(str(loc.real), plan.fingerprint)
            check = _index_whole(index, loc, plan, keep, None)
            if check.problems:
                raise ProblemsError(sync.problems, hint=msg(
                    "repair only removes an incomplete end of the ledger; fix these by hand, then run `eduplan validate`"))
            saved = loc.real.with_name(f"{loc.real.name}.torn-{now.strftime('%Y%m%dT%H%M%S')}")
            write_beside(saved, raw[len(keep):], exclusive=True)
            try:
                with open(loc.real, "r+b") as fh:
                    fh.truncate(len(keep))
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise os_error(loc.path, exc, N_("cutting the incomplete end off the ledger")) from None
            return RepairResult(loc.path, check.count, len(raw) - len(keep), saved)
        finally:
            index.close()


def read_plain(path: Path, plan: Plan) -> tuple[list[Entry], Sync]:
    """The ledger read from scratch, ignoring any stored index (the reference read): its
    entries in file order, or the problems that stop it loading."""
    where = place(path)
    index = Index(None)
    try:
        index.reset(str(where.real), plan.fingerprint)
        sync = _sync_place(index, where, plan, None)
        if sync.problems:
            return [], sync
        from .index import SELECT, to_entry

        return [to_entry(r) for r in index.con.execute(f"SELECT {SELECT} FROM entries ORDER BY rowid")], sync
    finally:
        index.close()
