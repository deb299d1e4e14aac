"""The ledger's SQLite index: the parsed entries of the ledger files, to ask in SQL.

The TOML ledger is the one source of truth; this database is derived from it and may be
deleted at any time (it is rebuilt on the next command). It lives in the cache folder
(``$EDUPLAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/eduplan``), one file per ledger:
``ledger-KEY.sqlite``, KEY a hash of the ledger's real path. ``eduplan index`` brings it
up to date and prints where. With ``EDUPLAN_CACHE_DIR=`` (empty) it is built in memory for each command.

For analysts who query it with their own SQL tools (read it, never write it):

* ``entries`` — one row per ledger entry: ``office`` and ``id`` (with the file: the
  entry's reference), ``indicator``, ``county`` (``''`` for a city-wide figure),
  ``as_of`` (a date as its proleptic Gregorian ordinal: ``date(as_of + 1721424.5)`` in
  SQLite gives it back), ``value`` (a total or a level), ``added`` (an increment: the figure
  is the latest total plus the increments after it), ``numerator``, ``denominator``, ``state``,
  ``supersedes`` (with ``sup_office``, the office of the entry it supersedes), ``void``, ``for_city``,
  ``reason``, ``note``, ``source``, ``batch``, ``batch_size``,
  ``accepted`` (JSON list), ``who`` (the ``by`` field), ``recorded_at`` (as written),
  ``stamp`` (the same as POSIX seconds), and ``gone`` = 1 for an entry a later one
  corrected or voided, and for the voids themselves. The surviving figures are
  ``WHERE gone = 0``.
* ``files`` — each ledger file: ``name``, ``office``, ``size`` and the SHA-256 of its
  bytes as indexed (``ranges``), which is how a command knows the index describes the file.
* ``meta`` — the ledger and plan it was built for, ``generation``, advanced by every
  write, and ``outside``, set to '1' by triggers when another program writes (the index is
  then rebuilt: see :data:`_TRIGGERS`); ``memo`` — results derived from the entries (:mod:`eduplan.store.memo`), each
  read back only while the generation it was derived from is current.

Nothing here decides anything about the data; the queries answer what the core asks
(the latest surviving figure per unit as of a date, a page of history …).
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from ..core.entries import fold_increments
from ..core.models import Entry, State, new_entry
from ..core.records import record
from ..core.times import iso_and_stamp

FORMAT = 8  # PRAGMA user_version: an index written by another format is rebuilt

# entries_as_of holds the whole order of a month's entries (date, then recording), so that the
# bulletin's month is read in order without a sort: 47 -> 35 ms for the 8,450 entries of a
# month of the 100k synthetic ledger (its build: 49 -> 87 ms, made by the first ``report``)

# No index on (file, digest): a file's digests are read only when its bytes changed, and then
# every row of the file is read anyway. For a one-file ledger it was the whole table
# either way (100k rows: 75 ms with it, 74 ms without), and it cost 110-180 ms of a
# 100k rebuild. In a folder, the scan skips the other files' rows in C.

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE memo (key TEXT PRIMARY KEY, generation INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE files (
    name TEXT PRIMARY KEY, office TEXT NOT NULL, header TEXT NOT NULL, size INTEGER NOT NULL,
    ranges TEXT NOT NULL, stat TEXT, max_id INTEGER NOT NULL, count INTEGER NOT NULL, lines INTEGER NOT NULL
);
CREATE TABLE entries (
    file TEXT NOT NULL, digest INTEGER NOT NULL,
    office TEXT NOT NULL, id INTEGER NOT NULL, indicator TEXT NOT NULL, county TEXT NOT NULL,
    as_of INTEGER NOT NULL, value, added, numerator, denominator, state TEXT, supersedes INTEGER, sup_office TEXT,
    void INTEGER NOT NULL, for_city INTEGER NOT NULL DEFAULT 0, reason TEXT, note TEXT, source TEXT, batch TEXT, batch_size INTEGER,
    accepted TEXT, who TEXT NOT NULL, recorded_at TEXT NOT NULL, stamp REAL NOT NULL,
    gone INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entries_ref ON entries (office, id);
CREATE INDEX entries_latest ON entries (indicator, county, as_of, stamp, office, id) WHERE gone = 0;
CREATE INDEX entries_supersedes ON entries (sup_office, supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX entries_recorded ON entries (stamp, office, id);
CREATE INDEX entries_as_of ON entries (as_of, stamp, office, id);
CREATE INDEX entries_batch ON entries (batch) WHERE batch IS NOT NULL;
CREATE INDEX entries_added ON entries (indicator, county) WHERE added IS NOT NULL AND gone = 0;
"""

_INDEXES = tuple((s.split()[2], s.strip()) for s in _SCHEMA.split(";") if s.strip().startswith("CREATE INDEX"))

# A write by any other program (an UPDATE in the sqlite3 shell, an edit in a database browser,
# a script's DELETE) sets meta's ``outside`` to '1', by triggers that SQLite runs for every
# client; the next command then builds the index again from the ledger, and never shows a
# figure that was changed in the index instead of the ledger. This tool's own writes set it
# back in the same transaction (:meth:`Index._own`). The triggers themselves are part of
# what an index must hold to be used (:meth:`Index.valid_for`): one dropped means the index is
# rebuilt. The WHEN keeps the cost of a row this tool writes to one lookup (0.7 us a row:
# a rebuild, which fills an empty table, drops them while it does and makes them after).
_WATCHED = ("entries", "files", "memo")
_TRIGGERS = tuple(
    (f"outside_{table}_{event.lower()}",
     f"CREATE TRIGGER outside_{table}_{event.lower()} AFTER {event} ON {table} "
     f"WHEN (SELECT value FROM meta WHERE key = 'outside') IS NOT '1' "
     f"BEGIN UPDATE meta SET value = '1' WHERE key = 'outside'; END")
    for table in _WATCHED for event in ("INSERT", "UPDATE", "DELETE"))
# Built by the first command that asks for them, not by a rebuild: they serve one kind of
# query each (the history newest first: ``log``, ``show``; a batch: ``import``; the entries
# dated in a month: ``report``), where status and every write use the others. At 100k
# entries they are 110-170 ms of a rebuild's serial end (``entries_as_of`` 50-95 ms of it);
# ``log`` or ``report`` then builds its own once (a reader that cannot write scans and sorts).
_ON_DEMAND = {name: sql for name, sql in _INDEXES if name in ("entries_recorded", "entries_batch", "entries_as_of")}

COLUMNS = ("office", "id", "indicator", "county", "as_of", "value", "added", "numerator", "denominator", "state",
           "supersedes", "sup_office", "void", "for_city", "reason", "note", "source", "batch", "batch_size", "accepted",
           "who", "recorded_at")
# What a read asks for: an entry's columns, those that most entries leave empty (what a
# correction or a void names, a batch, a figure for the city, the warnings accepted) as one
# JSON array, or NULL where all of them are. Python's sqlite3 costs about 1,000 instructions
# a column a row (it lets go of the interpreter around each column: 3.11's
# _pysqlite_fetch_one_row), so the month of a report at 100k synthetic entries (9,800 rows)
# took 226 M instructions to read as 22 columns and takes 188 M as these 15 (the whole
# report 1.252 -> 1.209 G; `log` 0.93x the time). Only numbers that are integers (an id, a
# count, 0 or 1) go through the JSON: a figure keeps its own column, whose float comes back
# exact. One statement reads both, so the array is always of the row it is read with.
_SEPARATE = ("office", "id", "indicator", "county", "as_of", "value", "added", "numerator", "denominator", "state",
             "note", "source", "who", "recorded_at")
_PACKED = ("supersedes", "sup_office", "void", "for_city", "reason", "batch", "batch_size", "accepted")
assert sorted(_SEPARATE + _PACKED) == sorted(COLUMNS)


def read_columns(prefix: str = "") -> str:
    """The columns of a read (:func:`to_entry` makes the entry of its row), each name after ``prefix``."""
    empty = " AND ".join(f"{prefix}{c} = 0" if c in ("void", "for_city") else f"{prefix}{c} IS NULL" for c in _PACKED)
    return (", ".join(prefix + c for c in _SEPARATE)
            + f", CASE WHEN {empty} THEN NULL ELSE json_array({', '.join(prefix + c for c in _PACKED)}) END")


READ = read_columns()
_READ_E = read_columns("e.")
_READ_WIDTH = len(_SEPARATE) + 1
_STATES = {s.value: s for s in State}
# SQLite's page cache (KiB): small for reading, so that streaming the whole history stays in
# bounded memory (a 16 MiB cache filled up as `log` read 100k rows: 49 MiB peak instead of 34);
# larger while writing, where a rebuild sorts and indexes every row
_READING_CACHE = -2000
_WRITING_CACHE = -16000
_days: dict[int, dt.date] = {}  # a few hundred dates at most; a time of recording is not kept (one per entry)


# A missing field is bound as NaN, which SQLite stores as NULL (sqlite3_bind_double binds a
# NaN as a NULL; tests/test_index.py holds it to that). Python's sqlite3 binds None only
# after looking for an adapter for it (a key tuple built, a dict looked up, a call: about
# 1,000 instructions a None, and a row has 11 of its 26 values missing on average), and a
# float directly (10k fewer instructions a row).
# A NaN figure cannot reach a row (the rules refuse it), and it was stored as NULL before.
_NULL = float("nan")


def to_row(e: Entry, file: str, digest: int, gone: bool | None = None) -> tuple:
    """An entry's row; ``gone`` as the entry stands alone (a void) unless it is given."""
    text, stamp = iso_and_stamp(e.recorded_at, " ")
    n = _NULL
    return (file, digest, e.office, e.id, e.indicator, e.county or "", e.as_of.toordinal(),
            n if (v := e.value) is None else v, n if (v := e.added) is None else v,
            n if (v := e.numerator) is None else v, n if (v := e.denominator) is None else v,
            n if (v := e.state) is None else v.value, n if (s := e.supersedes) is None else s,
            n if s is None else e.target[0], int(e.void), int(e.for_city), n if (v := e.reason) is None else v,
            n if (v := e.note) is None else v, n if (v := e.source) is None else v,
            n if (v := e.batch) is None else v, n if (v := e.batch_size) is None else v,
            json.dumps(list(v), ensure_ascii=False) if (v := e.accepted) else n,
            e.by, text, stamp, int(e.void if gone is None else gone))


# What the structural rules need of an entry already indexed (made from :meth:`Index.light`'s
# rows; a hand edit of a 1M ledger makes one per entry: a named tuple is made in a fifth of a frozen dataclass's time)
Light = collections.namedtuple("Light", "office id indicator county supersedes target_office void batch batch_size")


_INSERT = (f"INSERT INTO entries (file, digest, {', '.join(COLUMNS)}, stamp, gone) "
           f"VALUES ({', '.join('?' * (len(COLUMNS) + 4))})")


_ENTRIES_TABLE = next(s.strip() for s in _SCHEMA.split(";") if s.strip().startswith("CREATE TABLE entries"))


def write_part(path: Path, rows: Iterable[tuple]) -> None:
    """Rows of :func:`to_row` into a new database at ``path``: a part of a rebuild, written by
    another process (:mod:`eduplan.store.halves`), that :meth:`Index.fill` takes in. It is
    thrown away after, so it is written without a journal."""
    con = sqlite3.connect(str(path), isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute(_ENTRIES_TABLE)
        con.execute("BEGIN")
        _insert(con, rows)
        con.execute("COMMIT")
    finally:
        con.close()


def _insert(con: sqlite3.Connection, rows: Iterable[tuple]) -> None:
    """Rows of :func:`to_row` into ``entries``."""
    con.executemany(_INSERT, rows)


# an entry's columns and the row of the entry that superseded it, the latest if two offices did
# (as :meth:`Index.superseded_by`); the query goes on with WHERE/ORDER BY over ``e``
# (only a gone entry, superseded or a void, can have one: the others skip the subquery)
_WITH_LATER = (f"{_READ_E}, CASE WHEN e.gone THEN (SELECT s.rowid FROM entries s "
               f"WHERE s.sup_office = e.office AND s.supersedes = e.id ORDER BY s.stamp DESC, s.office DESC, s.id DESC "
               f"LIMIT 1) END FROM entries e")


class Damaged(sqlite3.DatabaseError):
    """A row the index holds that no write of the tool makes (a time that is no time, a state that
    is none): the file was altered or damaged; it is removed and built again, as a damaged page is."""


def to_entry(row: Sequence) -> Entry:
    """The entry of a row of :data:`READ` (:class:`Damaged` if no entry makes that row)."""
    try:
        (office, id_, indicator, county, as_of, value, added, numerator, denominator, state, note, source, who,
         recorded_at, packed) = row
        day = _days.get(as_of)
        if day is None:
            day = _days[as_of] = dt.date.fromordinal(as_of)
        stamp = dt.datetime.fromisoformat(recorded_at)
        if packed is None:
            return new_entry(id_, indicator, day, who, stamp, county or None, value, added, numerator, denominator,
                             _STATES[state] if state else None, None, False, False, None, note, source, None, None, (),
                             office, None)
        supersedes, sup_office, void, for_city, reason, batch, batch_size, accepted = json.loads(packed)
        return new_entry(id_, indicator, day, who, stamp, county or None, value, added, numerator, denominator,
                         _STATES[state] if state else None, supersedes, bool(void), bool(for_city), reason, note,
                         source, batch, batch_size, tuple(json.loads(accepted)) if accepted else (), office,
                         sup_office if sup_office is not None and sup_office != office else None)
    except (ValueError, KeyError, TypeError, IndexError, OverflowError) as exc:
        raise Damaged(f"an index row no entry makes: {type(exc).__name__}") from None


@record(slots=False)
class FileRow:
    name: str
    office: str
    header: dict
    size: int
    ranges: tuple[tuple[int, int, str], ...]
    stat: tuple[int, ...] | None
    max_id: int
    count: int
    lines: int  # the line number where the indexed bytes end (newlines + 1)


def _ranges_text(ranges: Sequence[tuple[int, int, str]]) -> str:
    """``files.ranges`` as stored (and as :meth:`Index.settle` matches it)."""
    return json.dumps([list(r) for r in ranges])


@functools.cache
def _own_schema() -> dict[tuple[str, str], str]:
    """(type, name) → SQL of every table, index and trigger an index of this format holds, as SQLite
    keeps it in ``sqlite_master``: each statement as written (SQLite keeps the text from CREATE on,
    and these are written as it would normalize them; tests/test_index.py holds the two equal)."""
    out = {}
    for statement in [*_SCHEMA.split(";"), *(sql for _, sql in _TRIGGERS)]:
        statement = statement.strip()
        if statement:
            words = statement.split(None, 3)
            out[(words[1].lower(), words[2])] = statement
    return out


def _schema_is_own(rows: Iterable[tuple[str, str, str | None]]) -> bool:
    """Are these rows of ``sqlite_master`` this tool's schema? Each table, index and trigger it
    makes is there as it made it (an index of :data:`_ON_DEMAND` may be missing), and there is no
    trigger of another program's. A column renamed or dropped (ALTER TABLE, which no trigger
    sees) would read one field as another; an index dropped would fail every query that names
    it; another trigger could rewrite what this tool writes, or put back the mark of a write
    from outside. What else another program adds (an index, a view, SQLite's statistics) is let be."""
    own = _own_schema()
    seen = set()
    for kind, name, sql in rows:
        key = (kind, name)
        if key in own:
            if sql != own[key]:
                return False
            seen.add(key)
        elif kind == "trigger":
            return False
    return all(key in seen or (key[0] == "index" and key[1] in _ON_DEMAND) for key in own)


def signature(st: os.stat_result) -> tuple[int, ...]:
    """What any write to a file changes (a user cannot set ctime back)."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


# How long a file must have been left alone before its signature alone vouches for its bytes
# (git's "racy clean" rule): a file's times tick coarsely (a few ms; 2 s on FAT), so a second
# write of the same size in the same tick as the last keeps the signature. A signature taken
# when the last change was at least this long ago cannot meet such a write: any later change
# has a later ctime.
SETTLED_NS = 2_000_000_000


def observed(st: os.stat_result, at_ns: int) -> tuple[int, ...]:
    """The file's :func:`signature` and when it was taken (``time.time_ns()`` before the read)."""
    return (*signature(st), at_ns)


def settled(stat: Sequence[int] | None) -> bool:
    """Was this signature taken when the file had been left alone for :data:`SETTLED_NS`?"""
    return stat is not None and len(stat) > 5 and stat[5] - stat[4] >= SETTLED_NS


def vouches(stat: Sequence[int] | None, st: os.stat_result, *, writer: bool) -> bool:
    """Does the signature recorded with the indexed bytes vouch that the file still holds
    them, without reading it? Only if nothing about the file changed, and (for a reader)
    only if it was taken once the file had settled; a writer holds the ledger's lock, and
    this tool's own writes change the size."""
    return stat is not None and tuple(stat[:5]) == signature(st) and (writer or settled(stat))


def proves(ranges: Sequence[tuple[int, int, str]], fh, size: int | None = None) -> bool:
    """Do the first bytes of the open file hash exactly to these ranges?"""
    end = ranges[-1][1] if ranges else 0
    if size is not None and end != size:
        return False
    fh.seek(0)
    for start, stop, sha in ranges:
        hasher = hashlib.sha256()
        left = stop - start
        while left:
            chunk = fh.read(min(1 << 20, left))
            if not chunk:
                return False
            hasher.update(chunk)
            left -= len(chunk)
        if hasher.hexdigest() != sha:
            return False
    return True


def damaged(exc: BaseException) -> bool:
    """Does this error say that the database file is damaged or not a database at all (and not
    that it is busy, locked, read-only, full or unreadable for a while)?"""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)


class Stale(Exception):
    """The index was written by another command after the caller read it: read it again."""


class Index:
    """One ledger's index (a file in the cache folder, or memory)."""

    def __init__(self, path: Path | None, wait: float = 60.0):
        self.path = path
        self.wait = wait  # seconds a statement waits for another connection's lock before it fails
        self.attached = False
        self.con = self._connect()
        self._asked: set[str] = set()  # indexes of :data:`_ON_DEMAND` seen to or made
        self._filled = False  # a fill in the transaction under way: its checkpoint is left to a thread
        self._checkpoint: threading.Thread | None = None

    def _connect(self) -> sqlite3.Connection:
        if self.path is None:
            con = sqlite3.connect(":memory:", isolation_level=None)
        else:
            con = sqlite3.connect(str(self.path), timeout=self.wait, isolation_level=None)
            try:
                con.execute("PRAGMA journal_mode=WAL")
            except sqlite3.DatabaseError:
                con.close()
                raise
            con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA cell_size_check=ON")
        con.execute(f"PRAGMA cache_size={_READING_CACHE}")
        return con

    def close(self) -> None:
        if self._checkpoint is not None:
            self._checkpoint.join()
            self._checkpoint = None
        with contextlib.suppress(sqlite3.Error):
            self.con.close()

    def _checkpoint_meanwhile(self) -> None:
        """After a fill: copy the transaction's pages from the WAL into the database in a thread
        of its own, on a connection of its own, while this one goes on (the status a rebuild
        was for is read meanwhile; SQLite lets go of the interpreter while it copies). At 100k
        entries that copy is 90 of the commit's 110 ms. :meth:`close` waits for it; a process
        killed meanwhile leaves a WAL that the next connection reads as usual. Best effort: a
        checkpoint that cannot run leaves the pages in the WAL, where they are read from anyway."""
        if self._checkpoint is not None:  # an earlier fill's, on this index
            self._checkpoint.join()
        path = str(self.path)

        def run() -> None:
            with contextlib.suppress(sqlite3.Error):
                con = sqlite3.connect(path, timeout=0, isolation_level=None)
                try:
                    con.execute("PRAGMA wal_checkpoint(PASSIVE)")
                finally:
                    con.close()

        self._checkpoint = threading.Thread(target=run, name="eduplan-checkpoint")
        self._checkpoint.start()

    # ---- schema and identity

    def figures(self) -> dict[tuple[str, int], tuple]:
        """Every entry the index holds, by its reference (office, id), as what it records: what a
        reading of the ledger has seen, to compare with the ledger as it is now."""
        return {(r[0], r[1]): r[2:] for r in self.con.execute(
            "SELECT office, id, indicator, county, as_of, value, added, numerator, denominator, state, supersedes, "
            "sup_office, void, who, recorded_at FROM entries")}

    def valid_for(self, ledger: str, plan: str) -> bool:
        """Is this index of this format, for this ledger, under this plan, with the tables, indexes
        and triggers this tool made, as it made them, and no trigger of another program's?"""
        try:
            if self.con.execute("PRAGMA user_version").fetchone()[0] != FORMAT:
                return False
            if not _schema_is_own(self.con.execute("SELECT type, name, sql FROM sqlite_master")):
                return False
            meta = dict(self.con.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError:
            return False
        return meta.get("ledger") == ledger and meta.get("plan") == plan and meta.get("outside") == "0"

    def sound(self) -> bool:
        """Does SQLite find the whole database sound (``PRAGMA integrity_check``: every page, and every
        index against its table)? A page of an index damaged inside its cells can hide rows from the
        queries that go through it while the quick checks of a read find nothing; this reads every
        page (0.75 s at 100k synthetic entries), so only the checks that read everything ask it. An
        index busy or locked is no answer: that error is raised (:func:`damaged` tells them apart)."""
        try:
            return [r[0] for r in self.con.execute("PRAGMA integrity_check(1)")] == ["ok"]
        except sqlite3.DatabaseError as exc:
            if damaged(exc):
                return False
            raise

    def reset(self, ledger: str, plan: str) -> None:
        """Drop everything and start an empty index for this ledger and plan."""
        con = self.con
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        con.execute("BEGIN IMMEDIATE")
        try:
            for t in tables:
                con.execute(f'DROP TABLE IF EXISTS "{t}"')
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    con.execute(statement)
            for _, statement in _TRIGGERS:
                con.execute(statement)
            con.execute(f"PRAGMA user_version = {FORMAT}")
            # a generation begins anywhere (56 random bits), never at 0: a reader that read generation 1
            # of the index before it was built again (another plan, a write from outside) must not find
            # the new index at its generation once as many writes have come, and leave there what it
            # made of entries that are gone (a bulletin, a digest), or write as if nothing had changed
            con.executemany("INSERT INTO meta VALUES (?, ?)",
                            [("ledger", ledger), ("plan", plan), ("generation", int.from_bytes(os.urandom(7), "big")),
                             ("outside", "0")])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def writing(self, since: int | None = None) -> Iterator[None]:
        """A write transaction: one writer at a time; everything or nothing. It advances the
        index's generation, so that nothing derived from what was there before is read back
        (:mod:`eduplan.store.memo`). ``since``: the generation the caller read the index at;
        if another command has written it since, :class:`Stale` is raised and nothing is
        written (what the caller decided from its reading may no longer hold)."""
        self.con.execute(f"PRAGMA cache_size={_WRITING_CACHE}")
        try:
            self.con.execute("BEGIN IMMEDIATE")
            try:
                if since is not None and self.generation() != since:
                    raise Stale()
                self.con.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
                with self._own():
                    self.con.execute("DELETE FROM memo")
                    yield
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self.con.execute("ROLLBACK")
                raise
            self.con.execute("COMMIT")
            if self._filled:
                self._checkpoint_meanwhile()
        finally:
            if self._filled:
                self._filled = False
                with contextlib.suppress(sqlite3.Error):
                    self.con.execute("PRAGMA wal_autocheckpoint = 1000")  # SQLite's default again
            with contextlib.suppress(sqlite3.Error):
                self.con.execute(f"PRAGMA cache_size={_READING_CACHE}")
            if self.attached:  # a part of a rebuild (:meth:`fill`): not while a transaction is open
                self.attached = False
                with contextlib.suppress(sqlite3.Error):
                    self.con.execute("DETACH DATABASE part")

    @contextlib.contextmanager
    def _own(self) -> Iterator[None]:
        """Inside a write transaction of this tool: what it writes does not count as written from
        outside. A mark already there when it began (another program wrote since this command
        read the index) is kept, and the next command rebuilds."""
        row = self.con.execute("SELECT value FROM meta WHERE key = 'outside'").fetchone()
        yield
        if row is not None and row[0] == "0":
            self.con.execute("UPDATE meta SET value = '0' WHERE key = 'outside'")

    # ---- results derived from the entries (store/memo.py)

    def generation(self) -> int:
        row = self.con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else -1

    def memo(self, key: str) -> str | bytes | None:
        """A result kept under ``key``, if it was derived from the entries as they are now."""
        row = self.con.execute("SELECT m.data FROM memo m JOIN meta g ON g.key = 'generation' "
                               "WHERE m.key = ? AND m.generation = CAST(g.value AS INTEGER)", (key,)).fetchone()
        return row[0] if row else None

    def keep(self, key: str, generation: int, data: str | bytes, *, most: int | None = None) -> None:
        """Keep a result derived from the entries of ``generation``; nothing if the index has
        been written since (it would describe entries that are no longer there). ``most``: of
        the results whose key begins as this one's (up to its first ``:``), only the newest
        ``most`` stay. Best effort: a busy or read-only index keeps nothing."""
        def write() -> None:
            self.con.execute("INSERT OR REPLACE INTO memo SELECT ?, ?, ? FROM meta WHERE key = 'generation' "
                             "AND CAST(value AS INTEGER) = ?", (key, generation, data, generation))
            if most is not None and ":" in key:
                kind = key[:key.index(":") + 1]
                self.con.execute("DELETE FROM memo WHERE substr(key, 1, ?) = ? AND rowid NOT IN (SELECT rowid FROM "
                                 "memo WHERE substr(key, 1, ?) = ? ORDER BY rowid DESC LIMIT ?)",
                                 (len(kind), kind, len(kind), kind, most))

        self._best_effort(write)

    def _need(self, name: str) -> None:
        """An index of :data:`_ON_DEMAND` built if it is missing (a rebuild leaves it out), in
        a write of its own. Best effort: inside another write (whose all-or-nothing a failed
        statement could break), or with the index busy or read-only, it is let be, and the
        query runs without it (the same rows, sorted)."""
        con = self.con
        if name in self._asked or con.in_transaction:
            return
        self._asked.add(name)
        if con.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)).fetchone():
            return
        statement = _ON_DEMAND[name].replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1)
        self._best_effort(lambda: con.execute(statement))

    def _best_effort(self, write: Callable[[], object]) -> None:
        """A write the command can do without, in a transaction of its own (all of it or none), as
        this tool's own (:meth:`_own`): it waits for the index 200 ms at most, and a busy,
        read-only or full index is let be (``write`` is then not run, or undone)."""
        wait = self.con.execute("PRAGMA busy_timeout").fetchone()[0]
        self.con.execute("PRAGMA busy_timeout = 200")  # never hold a command up for what it can do without
        try:
            self.con.execute("BEGIN IMMEDIATE")
            try:
                with self._own():
                    write()
                self.con.execute("COMMIT")
            except sqlite3.Error:
                with contextlib.suppress(sqlite3.Error):
                    self.con.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.con.execute(f"PRAGMA busy_timeout = {int(wait)}")

    def entries_at(self, refs: Sequence[tuple[str, int]]) -> dict[tuple[str, int], Entry]:
        """The entries with these references (office, id)."""
        out = {}
        q = (f"SELECT {_READ_E} FROM json_each(?) r JOIN entries e "
             f"ON e.office = json_extract(r.value, '$[0]') AND e.id = json_extract(r.value, '$[1]')")
        for k in range(0, len(refs), 20000):
            for row in self.con.execute(q, (json.dumps(refs[k:k + 20000], ensure_ascii=False),)):
                e = to_entry(row)
                out[(e.office, e.id)] = e
        return out

    # ---- files

    def file(self, name: str) -> FileRow | None:
        row = self.con.execute("SELECT name, office, header, size, ranges, stat, max_id, count, lines FROM files "
                               "WHERE name = ?", (name,)).fetchone()
        if row is None:
            return None
        stat = tuple(json.loads(row[5])) if row[5] else None
        return FileRow(row[0], row[1], json.loads(row[2]), row[3], tuple(tuple(r) for r in json.loads(row[4])),
                       stat, row[6], row[7], row[8])

    def files(self) -> list[FileRow]:
        return [f for f in (self.file(n) for (n,) in self.con.execute("SELECT name FROM files ORDER BY name")) if f]

    def put_file(self, f: FileRow) -> None:
        self.con.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (f.name, f.office, json.dumps(f.header, ensure_ascii=False, default=str), f.size,
             _ranges_text(f.ranges), json.dumps(list(f.stat)) if f.stat else None, f.max_id, f.count,
             f.lines))

    def settle(self, f: FileRow, stat: tuple[int, ...]) -> None:
        """Record a settled signature of a file whose bytes were just proved to be ``f``'s.
        Nothing derived from the entries changes, so the generation stays; nothing is written
        if the file's row has changed meanwhile. Best effort: a busy or read-only index keeps
        the old signature (the next command proves the bytes again)."""
        self._best_effort(lambda: self.con.execute(
            "UPDATE files SET stat = ? WHERE name = ? AND size = ? AND ranges = ?",
            (json.dumps(list(stat)), f.name, f.size, _ranges_text(f.ranges))))

    def drop_file(self, name: str) -> None:
        self.con.execute("DELETE FROM entries WHERE file = ?", (name,))
        self.con.execute("DELETE FROM files WHERE name = ?", (name,))

    # ---- rows

    def digests(self, name: str) -> dict[int, list[int]]:
        """digest → rowids of a file's entries (to reuse what did not change)."""
        out: dict[int, list[int]] = {}
        for rowid, digest in self.con.execute("SELECT rowid, digest FROM entries WHERE file = ?", (name,)):
            out.setdefault(digest, []).append(rowid)
        return out

    def batch_rows(self, batch: str, office: str) -> list[tuple[Entry, bool]]:
        """An import's entries in one office's file, in order, each with whether it is gone (superseded)."""
        self._need("entries_batch")
        return [(to_entry(r[:-1]), bool(r[-1])) for r in self.con.execute(
            f"SELECT {READ}, gone FROM entries WHERE batch = ? AND office = ? ORDER BY id", (batch, office))]

    def entries_of_rows(self, rowids: Iterable[int]) -> dict[int, Entry]:
        """rowid → the entry, for the few rows a structural rule needs whole."""
        out = {}
        ids = list(rowids)
        for k in range(0, len(ids), 900):
            chunk = ids[k:k + 900]
            for row in self.con.execute(f"SELECT rowid, {READ} FROM entries WHERE rowid IN "
                                        f"({', '.join('?' * len(chunk))})", chunk):
                out[row[0]] = to_entry(row[1:])
        return out

    def light(self, rowids: Iterable[int]) -> dict[int, tuple]:
        """rowid → (office, id, indicator, county, supersedes, sup_office, void, batch, batch_size) for the structural
        rules."""
        out = {}
        ids = list(rowids)
        for k in range(0, len(ids), 900):
            chunk = ids[k:k + 900]
            q = (f"SELECT rowid, office, id, indicator, county, supersedes, sup_office, void, batch, batch_size FROM entries "
                 f"WHERE rowid IN ({', '.join('?' * len(chunk))})")
            for row in self.con.execute(q, chunk):
                out[row[0]] = row[1:]
        return out

    def delete_rows(self, rowids: Iterable[int]) -> None:
        self.con.executemany("DELETE FROM entries WHERE rowid = ?", ((r,) for r in rowids))

    def insert(self, rows: Iterable[tuple[Entry, str, int]]) -> None:
        _insert(self.con, (to_row(e, file, digest) for e, file, digest in rows))

    def clear(self) -> None:
        """Every entry row out (the files stay)."""
        self.con.execute("DELETE FROM entries")

    def fill(self, rows: Iterable[tuple[Entry, str, int]],
             rest: Callable[[], tuple[Path, Callable[[], set[tuple[str, int]]]]] | None = None) -> None:
        """:meth:`insert` into an empty ``entries`` table, then what :meth:`recompute_gone` would
        find: quicker for a whole ledger. The secondary indexes are built after the rows, and
        ``gone`` is set as the rows go in by the same rule over these rows (there are no others):
        a void, or an entry one of them supersedes.

        ``rest``: the rows of the rest of the file are being written by another process
        (:mod:`eduplan.store.halves`); called once these rows are in, it waits for them and
        gives the part database that holds them (their ``gone`` set among themselves) and a
        function called once they are in and indexed, which gives the entries they supersede
        (some may be among ``rows``). Either may raise instead."""
        con = self.con
        if con.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is not None:  # pragma: no cover - a caller's bug
            raise ValueError("fill needs an empty entries table")
        rows = list(rows)
        targets = {e.target for e, _, _ in rows if e.supersedes is not None}
        if self.path is not None:
            self._filled = True  # the commit leaves its checkpoint to a thread (:meth:`writing`)
            con.execute("PRAGMA wal_autocheckpoint = 0")
        for name, _ in _INDEXES:
            con.execute(f"DROP INDEX IF EXISTS {name}")
        for name, _ in _TRIGGERS:  # a trigger on the table would also cost SQLite its quick copy of the part's rows
            con.execute(f"DROP TRIGGER IF EXISTS {name}")
        _insert(con, (to_row(e, file, digest, e.void or (e.office, e.id) in targets) for e, file, digest in rows))
        later = None
        if rest is not None:
            part, later = rest()
            con.execute("ATTACH DATABASE ? AS part", (str(part),))
            self.attached = True  # detached once the transaction ends (:meth:`writing`)
            # exactly this form (no column list, no ORDER BY) between tables made by the same
            # statement lets SQLite copy each record's bytes as they are ("xfer optimization"),
            # in the part's order (a scan of a table goes by rowid) after this half's rows:
            # 80-96 -> 23-32 ms for the 50,000 rows of a 100k rebuild
            con.execute("INSERT INTO entries SELECT * FROM part.entries")
        for name, statement in _INDEXES:
            if name not in _ON_DEMAND:
                con.execute(statement)
        if later is not None:
            con.executemany("UPDATE entries SET gone = 1 WHERE office = ? AND id = ? AND gone = 0", later() - targets)
        for _, statement in _TRIGGERS:
            con.execute(statement)

    def mark_superseded(self, entries: Iterable[Entry]) -> None:
        self.con.executemany("UPDATE entries SET gone = 1 WHERE office = ? AND id = ?",
                             (e.target for e in entries if e.supersedes is not None))

    def recompute_gone(self, keys: Iterable[tuple[str, int]] | None = None) -> None:
        """Which entries no longer count: voids, and every entry something supersedes. With
        ``keys`` (office, id): only those entries (the rest cannot have changed), unless they are
        a large part of the index, where one pass over every row is quicker."""
        rule = ("gone = (void OR EXISTS (SELECT 1 FROM entries s WHERE s.sup_office = entries.office "
                "AND s.supersedes = entries.id))")
        if keys is not None:
            keys = set(keys)
            if len(keys) * 4 < self.count():
                self.con.executemany(f"UPDATE entries SET {rule} WHERE office = ? AND id = ?", keys)
                return
        self.con.execute(f"UPDATE entries SET {rule}")

    def targets_of(self, rowids: Sequence[int]) -> list[tuple[str, int]]:
        """The entries that these rows correct or void (office, id)."""
        out = []
        for k in range(0, len(rowids), 900):
            chunk = rowids[k:k + 900]
            out += self.con.execute(f"SELECT sup_office, supersedes FROM entries WHERE supersedes IS NOT NULL AND "
                                    f"rowid IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
        return out

    # ---- queries

    def count(self) -> int:
        return self.con.execute("SELECT COUNT(*) FROM entries").fetchone()[0]

    def max_id(self, office: str) -> int:
        return self.con.execute("SELECT COALESCE(MAX(id), 0) FROM entries WHERE office = ?", (office,)).fetchone()[0]

    def entry(self, office: str, id_: int) -> Entry | None:
        row = self.con.execute(f"SELECT {READ} FROM entries WHERE office = ? AND id = ?", (office, id_)).fetchone()
        return to_entry(row) if row else None

    def superseded_by(self, office: str, id_: int) -> Entry | None:
        """The entry that corrected or voided it (the latest, if two offices did)."""
        row = self.con.execute(f"SELECT {READ} FROM entries WHERE sup_office = ? AND supersedes = ? "
                               f"ORDER BY stamp DESC, office DESC, id DESC LIMIT 1", (office, id_)).fetchone()
        return to_entry(row) if row else None

    def latest(self, as_of: dt.date, indicators: Sequence[str] = (), *, since: dt.date | None = None,
               units: Sequence[tuple[str, str | None]] | None = None) -> dict[tuple[str, str | None], Entry]:
        """The latest surviving entry per (indicator, county) dated on or before ``as_of``:
        the same rule as :func:`eduplan.core.entries.latest`, in SQL. ``units``: the
        (indicator, county) pairs that can have figures (the plan's), each sought through the
        index instead of a scan for the distinct ones."""
        where = ""
        params: list = []
        if indicators:
            where = f"AND indicator IN ({', '.join('?' * len(indicators))})"
            params = list(indicators)
        if units is not None:
            wanted = set(indicators)
            pairs = [[i, c or ""] for i, c in units if not wanted or i in wanted]
            cte = ("units(indicator, county) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') "
                   "FROM json_each(?))")
            unit_params: list = [json.dumps(pairs, ensure_ascii=False)]
        else:
            cte = f"units AS (SELECT DISTINCT indicator, county FROM entries WHERE gone = 0 {where})"
            unit_params = params
        q = f"""
            WITH {cte}
            SELECT {_READ_E} FROM units u JOIN entries e
              ON e.rowid = (SELECT x.rowid FROM entries x
                            WHERE x.indicator = u.indicator AND x.county = u.county AND x.gone = 0 AND x.as_of <= ?
                              AND x.added IS NULL
                            ORDER BY x.as_of DESC, x.stamp DESC, x.office DESC, x.id DESC LIMIT 1)"""
        out = {}
        for row in self.con.execute(q, [*unit_params, as_of.toordinal()]):
            e = to_entry(row)
            out[(e.indicator, e.county)] = e
        increments = [to_entry(r) for r in self.con.execute(  # few rows: through their own partial index
            f"SELECT {READ} FROM entries INDEXED BY entries_added WHERE added IS NOT NULL AND gone = 0 AND as_of <= ? "
            f"{where}", [as_of.toordinal(), *params])]
        return fold_increments(out, increments, since=since) if increments else out

    def history(self, *, indicator: str | None = None, county: str | None | bool = False, since: dt.date | None = None,
                batch: str | None = None, chunk: int = 2000) -> Iterator[tuple[Entry, Entry | None]]:
        """Entries newest first (by recording), each with the entry that superseded it; streamed."""
        clauses, params = [], []
        if indicator is not None:
            clauses.append("e.indicator = ?")
            params.append(indicator)
        if county is not False:
            clauses.append("e.county = ?")
            params.append(county or "")
        if since is not None:
            clauses.append("e.as_of >= ?")
            params.append(since.toordinal())
        if batch is not None:
            clauses.append("e.batch = ?")
            params.append(batch)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        self._need("entries_batch" if batch is not None else "entries_recorded")
        cur = self.con.execute(f"SELECT {_WITH_LATER} {where} ORDER BY e.stamp DESC, e.office DESC, e.id DESC",
                               params)
        while True:
            rows = cur.fetchmany(chunk)
            if not rows:
                return
            yield from self._with_later(rows)

    def dated_between(self, start: dt.date, end: dt.date) -> list[tuple[Entry, Entry | None]]:
        """Entries whose as-of date falls in [start, end], by date then recording, with what superseded them."""
        self._need("entries_as_of")
        cursor = self.con.execute(f"SELECT {_WITH_LATER} WHERE e.as_of BETWEEN ? AND ? "
                                  f"ORDER BY e.as_of, e.stamp, e.office, e.id", (start.toordinal(), end.toordinal()))
        out = []
        while rows := cursor.fetchmany(2000):  # rows become entries as they come, not all at once
            out.extend(self._with_later(rows))
        return out

    def _with_later(self, rows: Sequence[Sequence]) -> list[tuple[Entry, Entry | None]]:
        """Rows of :data:`_WITH_LATER` as entries, each with the entry that superseded it (read
        for the few that have one)."""
        n = _READ_WIDTH
        wanted = [r[n] for r in rows if r[n] is not None]
        later: dict[int, Entry] = {}
        for k in range(0, len(wanted), 900):
            part = wanted[k:k + 900]
            for r in self.con.execute(f"SELECT rowid, {READ} FROM entries WHERE rowid IN ({', '.join('?' * len(part))})",
                                      part):
                later[r[0]] = to_entry(r[1:])
        return [(to_entry(r[:n]), later[r[n]] if r[n] is not None else None) for r in rows]

    def withdrawn_on(self, indicator: str, county: str | None, day: dt.date) -> list[Entry]:
        """A unit's figures dated ``day`` that were corrected or voided since (not voids themselves)."""
        self._need("entries_as_of")
        return [to_entry(r) for r in self.con.execute(
            f"SELECT {READ} FROM entries WHERE as_of = ? AND indicator = ? AND county = ? AND gone = 1 AND void = 0 "
            f"ORDER BY stamp, office, id", (day.toordinal(), indicator, county or ""))]

    def units_sent(self, start: dt.date, end: dt.date) -> set[tuple[str, str | None]]:
        """(indicator, county or None for the city) with a figure dated in [start, end] that is not a void
        (:func:`eduplan.core.reporting.shows_sent`: a figure corrected or voided later still shows
        that the unit reported, but not one whose correction moved it to another date)."""
        self._need("entries_as_of")
        return {(r[0], r[1] or None) for r in self.con.execute(
            "SELECT DISTINCT indicator, county FROM entries e WHERE void = 0 AND as_of BETWEEN ? AND ? AND "
            "(gone = 0 OR NOT EXISTS (SELECT 1 FROM entries s WHERE s.sup_office = e.office AND s.supersedes = e.id "
            "AND s.void = 0 AND s.as_of != e.as_of))", (start.toordinal(), end.toordinal()))}

    def kept_batch(self, batch: str) -> list[Entry]:
        """A batch's entries that stand, as written or through a correction (not through a void)."""
        self._need("entries_batch")
        return [to_entry(r) for r in self.con.execute(
            f"SELECT {_READ_E} FROM entries e WHERE e.batch = ? AND e.void = 0 AND "
            f"(e.gone = 0 OR EXISTS (SELECT 1 FROM entries s WHERE s.sup_office = e.office AND s.supersedes = e.id "
            f"AND s.void = 0)) ORDER BY e.stamp, e.office, e.id", (batch,))]

    def surviving_batch(self, batch: str) -> list[Entry]:
        self._need("entries_batch")
        return [to_entry(r) for r in self.con.execute(
            f"SELECT {READ} FROM entries WHERE batch = ? AND gone = 0 ORDER BY stamp, office, id", (batch,))]

    def series(self, indicator: str, county: str | None, since: dt.date | None = None,
               until: dt.date | None = None) -> list[Entry]:
        """One unit's surviving entries (neither superseded nor voids) in order: as-of date,
        recording, office, id (:meth:`Entry.order`); only those dated from ``since`` to
        ``until`` where they are given. What the data-quality rules compare a new figure with."""
        return [to_entry(r) for r in self.con.execute(
            f"SELECT {READ} FROM entries WHERE indicator = ? AND county = ? AND gone = 0 AND as_of BETWEEN ? AND ? "
            f"ORDER BY as_of, stamp, office, id",
            (indicator, county or "", since.toordinal() if since else 0, until.toordinal() if until else 1 << 62))]

    def series_window(self, indicator: str, county: str | None, day: dt.date,
                      without: tuple[str, int] | None = None) -> tuple[dt.date | None, dt.date | None]:
        """:func:`eduplan.core.rules.series_window` in SQL: the latest date before ``day`` and the
        earliest after it of a surviving total (a value, not an increment) of the unit, leaving
        out the entry ``without`` (office, id: the entry a correction replaces)."""
        where = ("indicator = ? AND county = ? AND gone = 0 AND added IS NULL AND value IS NOT NULL "
                 "AND NOT (office = ? AND id = ?)")
        office, id_ = without or ("", 0)
        unit = (indicator, county or "", office, id_, day.toordinal())
        since, until = self.con.execute(
            f"SELECT (SELECT MAX(as_of) FROM entries WHERE {where} AND as_of < ?), "
            f"(SELECT MIN(as_of) FROM entries WHERE {where} AND as_of > ?)", unit + unit).fetchone()
        return (dt.date.fromordinal(since) if since is not None else None,
                dt.date.fromordinal(until) if until is not None else None)

    def surviving(self, until: dt.date) -> list[Entry]:
        """Every surviving entry dated on or before ``until``, by unit and in order."""
        return [to_entry(r) for r in self.con.execute(
            f"SELECT {READ} FROM entries WHERE gone = 0 AND as_of <= ? "
            f"ORDER BY indicator, county, as_of, stamp, office, id", (until.toordinal(),))]

    def surviving_units(self, until: dt.date) -> Iterator[list[Entry]]:
        """:meth:`surviving` one unit (indicator and county) at a time, streamed from one query."""
        unit: list[Entry] = []
        cur = self.con.execute(f"SELECT {READ} FROM entries WHERE gone = 0 AND as_of <= ? "
                               f"ORDER BY indicator, county, as_of, stamp, office, id", (until.toordinal(),))
        while True:
            rows = cur.fetchmany(2000)
            if not rows:
                break
            for r in rows:
                e = to_entry(r)
                if unit and (unit[-1].indicator, unit[-1].county) != (e.indicator, e.county):
                    yield unit
                    unit = []
                unit.append(e)
        if unit:
            yield unit
