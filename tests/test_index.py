"""The SQLite index and the plain parse must agree exactly.

On SYNTHETIC ledgers from bench/generate.py (not real 2023 results) and on copies changed
every way a ledger or its index can change: an edit by hand that keeps the size and the
modification time, appends through the tool and by hand, truncation, a deleted, damaged,
foreign or older index. Whatever the index holds, every command must give what a read
from scratch gives. And the SQL that picks "the latest surviving figure" must be the
core's rule (``eduplan.core.entries.latest``) on any ledger.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import importlib.util
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from eduplan.core import times
from eduplan.core.entries import latest, surviving
from eduplan.core.models import Entry, Measure, State
from eduplan.core.progress import status_report
from eduplan.core.rules import series_window
from eduplan.render.json_out import status_doc
from eduplan.store import halves, ledger as store
from eduplan.store import ledgerfile as lf
from eduplan.store.appending import append_entries
from eduplan.store.index import Index
from eduplan.store.ledgerfile import header_text
from eduplan.store.paths import bundled_plan_path, cache_dir
from eduplan.store.planfile import load_plan

N = 2000
SEED = 2023
DAYS = (dt.date(2023, 6, 30), dt.date(2023, 12, 31))
TZ = dt.timezone(dt.timedelta(hours=8))
TIME = dt.datetime(2024, 1, 2, 9, 0, tzinfo=TZ)


def _load_generator():
    path = Path(__file__).resolve().parents[1] / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("eduplan_bench_generate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


@cache
def _plan():
    return load_plan(bundled_plan_path())


@cache
def _synthetic(n: int = N, seed: int = SEED) -> tuple[tuple[Entry, ...], bytes]:
    entries = generate.generate(n, seed, _plan())
    return tuple(entries), generate.ledger_text(entries, n, seed, plan=_plan()).encode("utf-8")


@pytest.fixture
def plan():
    return _plan()


@pytest.fixture
def ledger(ledger_path) -> Path:
    """A fresh copy of the 2,000-entry synthetic ledger at $EDUPLAN_LEDGER."""
    ledger_path.write_bytes(_synthetic()[1])
    return ledger_path


def strict(entries) -> str:
    """A digest of the entries, field by field with types (``1`` is not ``1.0``) and time zones."""
    return hashlib.sha256("\n".join(map(repr, entries)).encode()).hexdigest()


def docs_from(plan, latest_at) -> str:
    """A digest of the status documents at mid-year, at year end, and for one county."""
    out = [status_doc(status_report(plan, latest_at(day), day)) for day in DAYS]
    out.append(status_doc(status_report(plan, latest_at(DAYS[0]), DAYS[0], county="椒江区")))
    return hashlib.sha256(json.dumps(out, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def plain(path: Path, plan):
    """From scratch: the entries in file order and the problems (no stored index)."""
    found, sync = store.read_plain(path, plan)
    return found, [p.render("en") for p in sync.problems], sync.torn


def same(path: Path, plan):
    """The indexed read and the read from scratch agree: problems, entries, status documents."""
    found, problems, torn = plain(path, plan)
    view, sync = store.check(path, plan)
    assert [p.render("en") for p in sync.problems] == problems and sync.torn == torn
    if view is None:
        assert problems
        return None
    try:
        indexed = sorted((e for e, _ in view.history()), key=lambda e: e.id)
        assert strict(indexed) == strict(sorted(found, key=lambda e: e.id))
        assert docs_from(plan, view.latest) == docs_from(plan, lambda day: latest(surviving(found), day))
        return indexed
    finally:
        view.close()


def index_file(path: Path) -> Path:
    (db,) = [p for p in cache_dir().glob("ledger-*.sqlite")]
    return db


def entry_span(text: bytes, entry_id: int) -> tuple[int, int]:
    start = text.index(f"\n\n[[entries]]\nid = {entry_id}\n".encode())
    end = text.find(b"\n\n[[entries]]\n", start + 1)
    return start, len(text) if end < 0 else end


def new_entry(entry_id: int, **kw) -> Entry:
    base = dict(indicator="new-school-places", as_of=dt.date(2023, 7, 1), by="tester",
                recorded_at=dt.datetime(2024, 1, 2, 9, 0, tzinfo=TZ), county="椒江区", value=4321,
                note="synthetic")
    return Entry(entry_id, **(base | kw))


# --------------------------------------------------------------------------- the generator


def test_synthetic_ledger_is_what_the_tool_writes_and_validates(plan, ledger, run):
    entries, data = _synthetic()
    text = data.decode("utf-8")
    head = header_text(plan)
    assert text.startswith(head)
    assert "SYNTHETIC" in text[len(head):text.index("\n[[entries]]")]
    from eduplan.store.ledgerfile import render_entries

    assert text == head + generate.banner(N, SEED) + render_entries(entries)  # byte for byte
    assert [e.id for e in entries] == list(range(1, N + 1))
    found, problems, _ = plain(ledger, plan)
    assert not problems and strict(found) == strict(entries)
    assert f"{N} entries" in run.ok("validate", lang="en").stdout


def test_synthetic_ledger_shape(plan):
    entries, _ = _synthetic()
    by_id = {e.id: e for e in entries}
    corrections = [e for e in entries if e.is_correction]
    voids = [e for e in entries if e.void]
    assert len(corrections) == round(N * 0.02) and len(voids) == round(N * 0.005)
    targets = [e.supersedes for e in entries if e.supersedes is not None]
    assert len(targets) == len(set(targets)), "an entry is superseded twice"
    for e in corrections + voids:
        old = by_id[e.supersedes]
        assert old.id < e.id and not old.void and old.key() == e.key() and e.reason
    assert {e.as_of.month for e in entries} == set(range(1, 13))
    assert {e.county for e in entries} == set(plan.plan.counties) | {None}
    assert strict(generate.generate(300, 7, plan)) == strict(generate.generate(300, 7, plan))
    assert strict(generate.generate(300, 7, plan)) != strict(generate.generate(300, 8, plan))


# --------------------------------------------------------------------------- the index itself


def test_a_fresh_index_equals_the_plain_parse_and_is_kept(plan, ledger):
    same(ledger, plan)
    db = index_file(ledger)
    assert db.exists()
    same(ledger, plan)  # from the stored index
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == N  # analysts can query it
    assert con.execute("SELECT COUNT(*) FROM entries WHERE gone = 0").fetchone()[0] == \
        len(surviving(_synthetic()[0]))
    con.close()


def test_no_stored_index_when_the_cache_is_off(plan, ledger, monkeypatch):
    monkeypatch.setenv("EDUPLAN_CACHE_DIR", "")
    same(ledger, plan)
    assert not list(Path(ledger).parent.rglob("*.sqlite"))


def _flip_last_digit(text: bytes, entry_id: int, key: str) -> bytes:
    start, end = entry_span(text, entry_id)
    line_start = text.index(f"\n{key} = ".encode(), start, end) + 1
    line_end = text.index(b"\n", line_start)
    digit = text[line_end - 1] - ord("0")
    assert 0 <= digit <= 9
    return text[:line_end - 1] + str(digit + 1 if digit < 9 else digit - 1).encode() + text[line_end:]


@pytest.mark.parametrize("measure, key", [(Measure.FLOW, "value"), (Measure.LEVEL, "numerator")])
def test_same_size_edit_with_mtime_restored_is_seen(plan, ledger, measure, key):
    same(ledger, plan)
    entries = _synthetic()[0]
    best = latest(surviving(entries), DAYS[-1])  # an edit of a latest figure changes the status
    target = next(e for _, e in sorted(best.items(), key=lambda kv: kv[1].id)
                  if plan.by_id[e.indicator].measure == measure and e.county and e.value
                  and (e.numerator is None or e.numerator < e.denominator))
    st = ledger.stat()
    edited = _flip_last_digit(ledger.read_bytes(), target.id, key)
    with open(ledger, "r+b") as fh:  # in place, as an editor saving over it might
        fh.write(edited)
    os.utime(ledger, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert ledger.stat().st_size == st.st_size and ledger.stat().st_mtime_ns == st.st_mtime_ns
    if key == "numerator":  # the value must agree with its ratio: the edit is a problem, named
        assert same(ledger, plan) is None
        return
    indexed = same(ledger, plan)
    assert getattr(next(e for e in indexed if e.id == target.id), key) != getattr(target, key)
    same(ledger, plan)


def _stored_stat(path: Path) -> list[int] | None:
    con = sqlite3.connect(index_file(path))
    try:
        (stat,) = con.execute("SELECT stat FROM files").fetchone()
        return json.loads(stat) if stat else None
    finally:
        con.close()


def _store_stat(path: Path, stat: list[int]) -> None:
    con = sqlite3.connect(index_file(path))
    con.execute("UPDATE files SET stat = ?", (json.dumps(stat),))
    con.commit()
    con.close()


def test_a_signature_taken_as_the_file_changed_does_not_vouch_for_its_bytes(plan, ledger):
    """A second write of the same size in the same tick of the file's clock keeps its
    signature (device, inode, size, mtime, ctime). A reader trusts a signature without
    reading the bytes only if it was taken once the file had been left alone for 2 s
    (git's "racy clean" rule); here one taken 1 ms after the change matches the edited file."""
    same(ledger, plan)
    before = ledger.read_bytes()
    target = next(e for e in _synthetic()[0] if e.value is not None and e.numerator is None and not e.void)
    st = ledger.stat()
    with open(ledger, "r+b") as fh:
        fh.write(_flip_last_digit(before, target.id, "value"))
    os.utime(ledger, ns=(st.st_atime_ns, st.st_mtime_ns))
    now = ledger.stat()
    signature = [now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns, now.st_ctime_ns]
    _store_stat(ledger, signature + [now.st_ctime_ns + 1_000_000])
    indexed = same(ledger, plan)  # the bytes were read again: the edit is seen
    assert next(e for e in indexed if e.id == target.id).value != target.value


def test_a_reader_records_a_settled_signature_and_an_append_unsettles_it(plan, ledger, run, monkeypatch):
    """What lets the next command skip reading the bytes is kept in the index's documented
    ``files.stat``: the signature and when it was taken (ns). A ledger proved 3 s after its
    last change gets a settled one; the tool's own append records one taken at once."""
    same(ledger, plan)  # indexed as soon as it was written: not settled
    assert _stored_stat(ledger)[5] - _stored_stat(ledger)[4] < 2_000_000_000
    real = store.time.time_ns
    with monkeypatch.context() as m:  # read again 3 s later: the bytes are proved, the signature kept
        m.setattr(store.time, "time_ns", lambda: real() + 3_000_000_000)
        same(ledger, plan)
    stat = _stored_stat(ledger)
    assert stat[:5] == [*(getattr(ledger.stat(), k) for k in ("st_dev", "st_ino", "st_size", "st_mtime_ns",
                                                                "st_ctime_ns"))]
    assert stat[5] - stat[4] >= 2_000_000_000
    run.ok("record", "new-school-places", "9999", "--county", "椒江区", "--as-of", "2023-12-31")
    stat = _stored_stat(ledger)
    assert stat[4] == ledger.stat().st_ctime_ns and stat[5] - stat[4] < 2_000_000_000
    same(ledger, plan)


def test_missing_fields_are_sql_null_and_nothing_is_left_in_sqlite3(plan, ledger):
    """Rows go in with a missing field bound as NaN (quicker than None in Python's sqlite3):
    an analyst's SQL must see NULL (not NaN, 0 or ''), the entries read back must have None
    there, and the process's sqlite3 must be left as it was (no adapter registered)."""
    same(ledger, plan)
    con = sqlite3.connect(index_file(ledger))
    try:
        kinds = dict(con.execute("SELECT typeof(numerator), COUNT(*) FROM entries WHERE value IS NOT NULL "
                                 "AND added IS NULL AND denominator IS NULL GROUP BY 1").fetchall())
        assert set(kinds) == {"null"} and kinds["null"] > 100
        assert con.execute("SELECT COUNT(*) FROM entries WHERE note IS NULL OR note = ''").fetchone()[0] == \
            con.execute("SELECT COUNT(*) FROM entries WHERE typeof(note) = 'null'").fetchone()[0]
        for column in ("value", "added", "numerator", "denominator", "state", "supersedes", "sup_office", "reason",
                       "note", "source", "batch", "batch_size", "accepted"):
            kinds = {k for (k,) in con.execute(f"SELECT DISTINCT typeof({column}) FROM entries")}
            assert kinds <= {"null", "integer", "real", "text"}, column
            assert "null" in kinds or column == "note", column  # every synthetic entry has a note
            assert con.execute(f"SELECT COUNT(*) FROM entries WHERE {column} != {column}").fetchone()[0] == 0
    finally:
        con.close()
    assert not any(k[0] in (float, type(None)) for k in sqlite3.adapters)


_ZONES = st.one_of(st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: dt.timezone(dt.timedelta(minutes=m))),
                   st.integers(-86399, 86399).map(lambda s: dt.timezone(dt.timedelta(seconds=s))),
                   st.just(dt.timezone.utc), st.just(dt.timezone(dt.timedelta(hours=8), "CST")))


@settings(max_examples=400, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=_ZONES),
       st.booleans())
def test_a_rows_time_of_recording_is_isoformat_and_timestamp(at, whole):
    """A time of recording's text and POSIX seconds, made from cached parts (an index row, the
    JSON of an entry, the CSV log), are exactly what ``isoformat()`` and
    ``timestamp()`` give: any zone, any second, a fraction of a second, the far past (a wrong
    text would be shown back to staff, a wrong stamp would reorder corrections)."""
    if whole:
        at = at.replace(microsecond=0)
    text, stamp = times.iso_and_stamp(at, " ")
    assert text == at.isoformat(sep=" ") and times.iso(at) == at.isoformat() and times.iso(at, " ") == text
    assert stamp == at.timestamp() and type(stamp) is float
    assert dt.datetime.fromisoformat(text) == at


def test_a_rebuild_leaves_a_whole_index_and_no_thread_behind(plan, ledger, halves_started):
    """A rebuild's pages are copied from the WAL into the database by a thread while the
    status is read: once the command is done the thread has ended, the WAL is gone, and the
    database file alone holds every entry (an analyst's read-only copy sees them all)."""
    view, sync = store.check(ledger, plan)
    try:
        assert not sync.problems and len(view.latest(DAYS[-1])) > 0
    finally:
        view.close()
    assert not [t for t in threading.enumerate() if t.name == "eduplan-checkpoint"]
    db = index_file(ledger)
    assert not db.with_name(db.name + "-wal").exists()
    copy = db.with_name("copy.sqlite")
    copy.write_bytes(db.read_bytes())
    con = sqlite3.connect(f"file:{copy}?immutable=1", uri=True)
    try:
        assert con.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == N
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    assert halves_started


def _indexes(ledger: Path) -> set[str]:
    con = sqlite3.connect(index_file(ledger))
    try:
        return {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    finally:
        con.close()


@pytest.mark.parametrize("halves_on", [False, True])
def test_a_rebuild_leaves_the_history_batch_and_month_indexes_to_the_first_command_that_asks(plan, ledger,
                                                                                             monkeypatch, halves_on):
    """A rebuild (the index deleted, a hand edit) builds what status and every write use; the
    index of the history's order is built by the first read of the history, a batch's by the
    first look at a batch, each once; inside another write, or when another command holds the
    write lock, it is not built and the same rows are read without it."""
    if halves_on:
        monkeypatch.setattr(halves, "MIN_BYTES", 0)
    view, sync = store.check(ledger, plan)
    try:
        assert not sync.problems
        built = _indexes(ledger)
        assert "entries_latest" in built
        assert not built & {"entries_recorded", "entries_batch", "entries_as_of"}
        first = [e for e, _ in view.history()]
        assert _indexes(ledger) == built | {"entries_recorded"}
        assert view.surviving_batch("no-such-batch") == []
        assert _indexes(ledger) == built | {"entries_recorded", "entries_batch"}
        assert [e for e, _ in view.history()] == first
        year = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
        with view.index.writing():  # inside a write: read without it, sorted
            month = view.dated_between(*year)
        assert month and "entries_as_of" not in _indexes(ledger)
        assert view.dated_between(*year) == month  # a bulletin's month, outside a write: built
        assert _indexes(ledger) == built | {"entries_recorded", "entries_batch", "entries_as_of"}
    finally:
        view.close()
    index_file(ledger).unlink()
    view, _ = store.check(ledger, plan)  # rebuilt
    try:  # inside a write the index is not built (a failed statement must not break the write)
        with view.index.writing():
            assert [e.id for e in view.surviving_batch("no-such-batch")] == []
        assert "entries_batch" not in _indexes(ledger)
    finally:
        view.close()
    other = sqlite3.connect(index_file(ledger), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another command writing meanwhile: the index is not built now
    try:
        view, _ = store.check(ledger, plan)
        try:
            assert [strict([e]) for e, _ in view.history()] == [strict([e]) for e in first]
        finally:
            view.close()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "entries_recorded" not in _indexes(ledger)


def test_record_correct_void_through_the_cli_keep_the_index_exact(plan, ledger, run):
    same(ledger, plan)
    entries = _synthetic()[0]
    # the synthetic ledger's figures are random: whatever the rules say of them is accepted
    run.ok("record", "new-school-places", "1234", "--county", "椒江区", "--as-of", "2023-06-30", "--note", "synthetic",
           "--force")
    assert len(same(ledger, plan)) == N + 1
    gone = {e.supersedes for e in entries if e.supersedes is not None}
    free = [e for e in entries if e.supersedes is None and not e.void and e.id not in gone and e.value is not None
            and plan.by_id[e.indicator].measure == Measure.FLOW]
    run.ok("correct", str(free[0].id), str(free[0].value + 1), "--reason", "synthetic re-check", "--force")
    run.ok("void", str(free[1].id), "--reason", "synthetic duplicate")
    run.ok("record", "new-school-places", "--add", "10", "--county", "椒江区", "--as-of", "2023-06-30", "--force")
    indexed = same(ledger, plan)
    assert len(indexed) == N + 4 and indexed[-1].added == 10  # an increment on top of the 1234
    assert indexed[-3].supersedes == free[0].id and indexed[-2].void
    row = next(i for i in run.json("status", "--as-of", "2023-06-30")["indicators"] if i["id"] == "new-school-places")
    assert next(c for c in row["counties"] if c["county"] == "椒江区")["value"] == 1244


def test_appends_by_hand_are_indexed_and_checked(plan, ledger):
    same(ledger, plan)
    written = append_entries(ledger, plan, lambda view: [new_entry(view.next_id() + i, value=100 + i)
                                                               for i in range(3)])
    assert [e.id for e in written] == [N + 1, N + 2, N + 3]
    same(ledger, plan)
    with open(ledger, "ab") as fh:  # another program appends a well-formed entry
        fh.write(generate.fast_render([new_entry(N + 4, value=7)]).encode())
    assert same(ledger, plan)[-1] == new_entry(N + 4, value=7)
    with open(ledger, "ab") as fh:  # and a bad one: both reads name the same problem
        fh.write(generate.fast_render([new_entry(N + 5, indicator="no-such-indicator")]).encode())
    assert same(ledger, plan) is None


@pytest.mark.parametrize("keep", [1, 1000, N - 1])
def test_truncation_at_an_entry_boundary(plan, ledger, keep):
    same(ledger, plan)
    data = ledger.read_bytes()
    with open(ledger, "r+b") as fh:
        fh.truncate(entry_span(data, keep + 1)[0] + 1)
    assert strict(same(ledger, plan)) == strict(_synthetic()[0][:keep])
    same(ledger, plan)


def test_truncation_inside_an_entry(plan, ledger):
    same(ledger, plan)
    data = ledger.read_bytes()
    start, end = entry_span(data, N)
    with open(ledger, "r+b") as fh:
        fh.truncate(start + 2 + int((end - start - 2) * 0.6))
    assert same(ledger, plan) is None
    assert plain(ledger, plan)[2]  # torn


def test_truncated_to_nothing(plan, ledger):
    same(ledger, plan)
    ledger.write_bytes(b"")
    assert same(ledger, plan) == []
    ledger.write_bytes(header_text(plan).encode())
    assert same(ledger, plan) == []


def test_a_deleted_index_is_rebuilt(plan, ledger, run):
    same(ledger, plan)
    shutil.rmtree(cache_dir())
    same(ledger, plan)
    for p in cache_dir().glob("ledger-*"):
        p.unlink()  # the database and its write-ahead log
    run.ok("record", "new-school-places", "1", "--county", "黄岩区", "--as-of", "2023-06-30", "--force")
    assert len(same(ledger, plan)) == N + 1


# --------------------------------------------------------------------------- a rebuild in two processes


@pytest.fixture
def halves_started(monkeypatch) -> list:
    """Every whole read into an empty index goes through a child process (its size threshold
    is for speed only); the children started are listed, so that a test knows it tried them."""
    if not sys.platform.startswith("linux"):
        pytest.skip("a child process reads half a ledger on Linux only")
    monkeypatch.setattr(halves, "MIN_BYTES", 0)
    started: list = []
    real = halves.Half.start

    def start(*args, **kwargs):
        started.append(real(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(halves.Half, "start", start)
    return started


def _first_half_ids(data: bytes) -> int:
    """The last entry id of the first half (the child reads from the next one)."""
    return data[:halves.middle(data)].count(b"[[entries]]\nid = ")


def test_a_rebuild_in_two_processes_equals_the_plain_parse(plan, ledger, halves_started):
    data = ledger.read_bytes()
    cut = _first_half_ids(data)
    entries = _synthetic()[0]
    # corrections and voids in the second half of entries of the first: their `gone` crosses the halves
    assert any(e.supersedes is not None and e.id > cut and e.supersedes <= cut and not e.void for e in entries)
    gone = {e.supersedes for e in entries if e.supersedes is not None}
    # the latest figure of a unit at mid-year, in the first half: voiding it changes the mid-year status
    target = next(e for _, e in sorted(latest(surviving(entries), DAYS[0]).items(), key=lambda kv: kv[1].id)
                  if e.id < cut and e.id not in gone and e.supersedes is None)
    with open(ledger, "ab") as fh:  # and a void (the last entry: in the second half) of an entry of the first
        fh.write(generate.fast_render([Entry(N + 1, target.indicator, target.as_of, "tester", TIME,
                                             county=target.county, supersedes=target.id, void=True,
                                             reason="synthetic duplicate")]).encode())
    indexed = same(ledger, plan)
    assert indexed[-1].void and target.id in {e.supersedes for e in indexed}
    assert len(halves_started) == 1 and halves_started[0] is not None
    assert not list(cache_dir().glob("*.part-*"))  # the child's part is removed
    con = sqlite3.connect(index_file(ledger))
    try:  # the child's rows copied in after this half's, in the file's order (as a plain read's)
        assert [i for (i,) in con.execute("SELECT id FROM entries ORDER BY rowid")] == list(range(1, N + 2))
    finally:
        con.close()


def _bad_indicator(data: bytes, entry_id: int) -> bytes:
    start, end = entry_span(data, entry_id)
    block = data[start:end]
    line = block[block.index(b"indicator = "):block.index(b"\n", block.index(b"indicator = "))]
    return data[:start] + block.replace(line, b'indicator = "no-such-indicator"') + data[end:]


SECOND_HALF_CASES = {
    "a bad entry in the first half": lambda data, cut: _bad_indicator(data, cut // 2),
    "a bad entry in the second half": lambda data, cut: _bad_indicator(data, cut + 10),
    "two ids the same across the halves": lambda data, cut: data.replace(
        f"\n[[entries]]\nid = {cut + 5}\n".encode(), f"\n[[entries]]\nid = {cut - 5}\n".encode()),
    "a correction of an entry that is not there": lambda data, cut: data + generate.fast_render([new_entry(
        N + 1, supersedes=N + 7, reason="synthetic")]).encode(),
    "torn inside the last entry": lambda data, cut: data[:-30],
    "a multi-line text in the second half": lambda data, cut: data + generate.fast_render(
        [new_entry(N + 1)]).encode().replace(b'note = "synthetic"', b'note = """synthetic\n[[entries]]\n"""'),
}


@pytest.mark.parametrize("case", sorted(SECOND_HALF_CASES))
def test_a_problem_anywhere_is_named_as_a_plain_parse_names_it(plan, ledger, halves_started, case):
    """The child's half is a shortcut for a ledger without a problem: with one in either half
    or across them, this process reads the second half itself, and every problem, the torn
    end and where a repair would cut are those of a plain parse."""
    data = ledger.read_bytes()
    ledger.write_bytes(SECOND_HALF_CASES[case](data, _first_half_ids(data)))
    found, sync = store.read_plain(ledger, plan)
    view, indexed = store.check(ledger, plan)
    try:
        assert [p.render("en") for p in indexed.problems] == [p.render("en") for p in sync.problems]
        assert (indexed.torn, indexed.cut) == (sync.torn, sync.cut)
        if not sync.problems:
            assert strict(sorted((e for e, _ in view.history()), key=lambda e: e.id)) == strict(found)
    finally:
        if view is not None:
            view.close()
    assert halves_started and not list(cache_dir().glob("*.part-*"))


def test_what_is_checked_while_the_indexes_are_built_gives_its_answer_or_its_refusal():
    """The rules across the file run in a thread while SQLite builds the indexes: their
    result, or what they raised (Unused: the child's half is read again here), reaches fill."""
    assert halves.meanwhile(lambda: {("", 1)})() == {("", 1)}

    def refuse():
        raise halves.Unused()

    with pytest.raises(halves.Unused):
        halves.meanwhile(refuse)()


@pytest.mark.parametrize("failure", ["raises", "killed", "disk full"])
def test_a_child_that_fails_leaves_the_rebuild_to_this_process(plan, ledger, halves_started, monkeypatch, failure):
    def child(*args):
        if failure == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        raise MemoryError

    def part(path, rows):  # the part begun, then no room for the rest
        path.write_bytes(b"SQLite format 3\0" + bytes(4096))
        raise OSError(errno.ENOSPC, "No space left on device")

    if failure == "disk full":
        monkeypatch.setattr(halves, "write_part", part)
    else:
        monkeypatch.setattr(halves, "_child", child)
    same(ledger, plan)
    assert halves_started and not list(cache_dir().glob("*.part-*"))


def test_a_part_left_by_a_killed_rebuild_is_removed_by_the_next(plan, ledger, halves_started):
    same(ledger, plan)
    db = index_file(ledger)
    db.unlink()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = db.with_name(f"{db.name}.part-{dead.pid}")
    live = db.with_name(f"{db.name}.part-{os.getppid()}")  # another process's, still running: not ours to remove
    left.write_bytes(b"a part")
    live.write_bytes(b"a part")
    same(ledger, plan)
    assert not left.exists() and live.exists()


REBUILD_IN_TWO = ("import sys; from eduplan.store import halves; halves.MIN_BYTES = 0; "
                  "from eduplan.cli import main; sys.exit(main(sys.argv[1:]))")


def test_a_rebuild_in_two_processes_killed_at_random_points(plan, ledger, halves_started):
    """kill -9 of a command while it and its child rebuild the index: the next command gives a
    plain parse's figures, and the part the child wrote is removed by the next rebuild."""
    rng = random.Random(7)
    for _ in range(6):
        for p in cache_dir().glob("ledger-*"):
            p.unlink()
        proc = subprocess.Popen([sys.executable, "-c", REBUILD_IN_TWO, "status", "--format", "json"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, 0.7))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        same(ledger, plan)
    deadline = time.monotonic() + 30
    while True:  # a child outlives its killed parent until its half is read: rebuild until it is done
        for p in cache_dir().glob("ledger-*"):
            p.unlink()
        same(ledger, plan)
        if not list(cache_dir().glob("*.part-*")) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert not list(cache_dir().glob("*.part-*"))


def _garbage(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


DAMAGE = {
    "garbage": lambda data: _garbage(len(data), 1),
    "half": lambda data: data[: len(data) // 2],
    "empty": lambda data: b"",
    "zeros": lambda data: bytes(len(data)),
    "header-only": lambda data: data[:100],
    "pages-scrambled": lambda data: data[:4096] + _garbage(len(data) - 4096, 3),
    "text": lambda data: b"not a database at all\n",
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_index_is_rebuilt(plan, ledger, damage):
    same(ledger, plan)
    db = index_file(ledger)
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    db.write_bytes(DAMAGE[damage](db.read_bytes()))
    for extra in db.parent.glob(db.name + "-*"):
        extra.unlink()
    same(ledger, plan)
    same(ledger, plan)
    con = sqlite3.connect(index_file(ledger))  # and the stored index is whole again (not rebuilt in memory each time)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("SELECT COUNT(*) FROM entries").fetchone() == (N,)
    con.close()


@pytest.mark.parametrize("page", [3, 10, 40, 80])
def test_a_damaged_page_found_by_a_query_does_not_fail_the_command(plan, ledger, run, page):
    """A page of the index damaged where only a query reaches it (the index is up to date, so
    nothing re-reads it before): the command failed ("the index was damaged; run it again"), a
    cron job's bulletin with it. The command now answers, on an index built again."""
    expected = {cmd: run.json(*cmd) for cmd in (("status", "--as-of", "2023-12-31"), ("report", "--month", "2023-12"))}
    for cmd, doc in expected.items():
        db = index_file(ledger)
        con = sqlite3.connect(db)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        data = bytearray(db.read_bytes())
        data[page * 4096:(page + 1) * 4096] = b"\xff" * 4096
        db.write_bytes(bytes(data))
        assert run.json(*cmd) == doc, cmd
        index_file(ledger).unlink()  # the next command, on an index of its own
        run.json(*cmd)


@pytest.mark.parametrize("change", ["format", "plan", "ledger", "table"])
def test_a_foreign_or_older_index_is_not_trusted(plan, ledger, change):
    same(ledger, plan)
    con = sqlite3.connect(index_file(ledger))
    if change == "format":
        con.execute("PRAGMA user_version = 0")  # written by another version of eduplan
    elif change == "plan":
        con.execute("UPDATE meta SET value = 'x' WHERE key = 'plan'")
    elif change == "ledger":
        con.execute("UPDATE meta SET value = '/elsewhere/ledger.toml' WHERE key = 'ledger'")
    else:
        con.execute("DROP TABLE entries")
    con.commit()
    con.close()
    same(ledger, plan)


def test_an_index_whose_file_record_lies_is_not_trusted(plan, ledger):
    same(ledger, plan)
    con = sqlite3.connect(index_file(ledger))
    con.execute("UPDATE files SET ranges = '[[0, 5, \"00\"]]', size = 5")
    con.commit()
    con.close()
    same(ledger, plan)


@pytest.mark.parametrize("change", ["indicator", "time", "state"])
def test_an_index_row_altered_in_place_gives_the_ledgers_answer_and_is_built_again(plan, ledger, run, change):
    """A value altered inside the index (a flipped bit, an analyst's UPDATE): an indicator id no
    plan has made check and validate fail with an internal error (KeyError), a time no clock
    makes made log blame standard output. Each reading command answers from the ledger itself,
    as a plain parse would, and the stored index is built again; validate never trusts it."""
    args = ("check", "--as-of", "2023-12-31", "--format", "json")
    expected = run(*args).stdout
    listed = run.json("log")
    db = index_file(ledger)
    con = sqlite3.connect(db)
    column, value = {"indicator": ("indicator", "new-Public-kindergartens"),
                     "time": ("recorded_at", "2023-13-45 99:00:00+08:00"), "state": ("state", "half-done")}[change]
    con.execute(f"UPDATE entries SET {column} = ? WHERE rowid = (SELECT min(rowid) FROM entries)", (value,))
    con.commit()
    con.close()
    again = run(*args)
    assert "Traceback" not in again.stderr and "internal error" not in again.stderr, again.stderr
    assert again.stdout == expected
    if change != "indicator":  # (an id no plan has is listed as it stands by log: see the README's Limits)
        assert run.json("log") == listed
    assert run.ok("validate").exit_code == 0
    run.ok("status")  # (the next command builds the stored index again)
    con = sqlite3.connect(index_file(ledger))
    assert con.execute("SELECT count(*) FROM entries WHERE indicator = 'new-Public-kindergartens' OR "
                       "state = 'half-done' OR recorded_at LIKE '2023-13%'").fetchone() == (0,)
    con.close()


def test_validate_reads_the_ledger_not_an_index_altered_beside_it(plan, ledger, run):
    run.ok("status")
    con = sqlite3.connect(index_file(ledger))
    con.execute("UPDATE entries SET value = 9999999 WHERE rowid = (SELECT min(rowid) FROM entries WHERE value > 0)")
    con.commit()
    con.close()
    said = run.ok("validate", "--lang", "en").stdout
    # (an index written from outside is not what this computer last read: nothing is said of it)
    assert "9999999" not in said and "since this computer" not in said
    run.ok("index")  # (a fresh cache folder gives the plain parse's words)
    index_file(ledger).unlink()
    assert run.ok("validate", "--lang", "en").stdout == said


def test_what_an_analyst_adds_beside_the_index_keeps_it(plan, ledger, run):
    """An index, a view and SQLite's statistics of an analyst's own are not writes to the entries:
    the index is kept (no rebuild), and gives the same figures."""
    args = ("status", "--as-of", "2023-12-31", "--format", "json")
    expected = run(*args).stdout
    db = index_file(ledger)
    _sentinel(db, make=True)
    con = sqlite3.connect(db)
    con.executescript("CREATE INDEX mine ON entries (who); CREATE VIEW latest_june AS SELECT * FROM entries "
                      "WHERE gone = 0; ANALYZE;")
    con.close()
    assert run(*args).stdout == expected
    assert _sentinel(db)


def _sentinel(db: Path, make: bool = False) -> bool:
    """A table of an analyst's own in the index: it survives every command but a rebuild."""
    con = sqlite3.connect(db)
    try:
        if make:
            con.execute("CREATE TABLE analyst_notes (note TEXT)")
            con.commit()
        return con.execute("SELECT 1 FROM sqlite_master WHERE name = 'analyst_notes'").fetchone() is not None
    finally:
        con.close()


@pytest.mark.parametrize("change", ["figure", "deleted", "inserted", "memo", "trigger dropped", "file row",
                                    "columns swapped", "index dropped", "trigger added"])
def test_a_plausible_figure_written_into_the_index_from_outside_is_never_shown(plan, ledger, run, change):
    """An analyst's UPDATE of a figure inside the index (or a row deleted, one added, a kept
    result changed) showed in status until the ledger next changed: the index looked sound.
    Any write from another program marks the index, and the next command builds it from the
    ledger, giving exactly what a plain parse gives."""
    commands = [("status", "--as-of", "2023-12-31", "--format", "json"),
                ("report", "--month", "2023-12", "--format", "json"),
                ("log", "--format", "json"), ("check", "--as-of", "2023-12-31", "--format", "json")]
    expected = [run(*c).stdout for c in commands]
    db = index_file(ledger)
    _sentinel(db, make=True)
    for c in commands:  # this tool's own reads and writes of the index (a result kept, a signature settled)
        run(*c)
    assert _sentinel(db)
    con = sqlite3.connect(db)
    latest_row = ("SELECT max(rowid) FROM entries WHERE gone = 0 AND value > 0 AND added IS NULL "
                  "AND as_of = (SELECT max(as_of) FROM entries)")
    if change == "figure":
        con.execute(f"UPDATE entries SET value = value + 1 WHERE rowid = ({latest_row})")
    elif change == "deleted":
        con.execute(f"DELETE FROM entries WHERE rowid = ({latest_row})")
    elif change == "inserted":
        con.execute(f"INSERT INTO entries SELECT file, digest, office, id + 100000, indicator, county, as_of, "
                    f"value * 2, added, numerator, denominator, state, supersedes, sup_office, void, for_city, reason, "
                    f"note, source, batch, batch_size, accepted, who, recorded_at, stamp + 1, gone FROM entries "
                    f"WHERE rowid = ({latest_row})")
    elif change == "memo":
        assert con.execute("SELECT count(*) FROM memo").fetchone()[0]
        con.execute("UPDATE memo SET data = replace(data, '1', '2')")
    elif change == "trigger dropped":
        con.execute("DROP TRIGGER outside_entries_update")
        con.execute(f"UPDATE entries SET value = value + 1 WHERE rowid = ({latest_row})")
    elif change == "columns swapped":  # (ALTER TABLE: no trigger sees it; each field read as the other)
        con.executescript("ALTER TABLE entries RENAME COLUMN numerator TO t; "
                          "ALTER TABLE entries RENAME COLUMN denominator TO numerator; "
                          "ALTER TABLE entries RENAME COLUMN t TO denominator;")
    elif change == "index dropped":  # (a query naming it failed, and every command read the ledger in memory)
        con.execute("DROP INDEX entries_added")
    elif change == "trigger added":  # another program's trigger rewriting what this tool writes
        con.execute("CREATE TRIGGER tenfold AFTER INSERT ON entries WHEN NEW.value IS NOT NULL BEGIN "
                    "UPDATE entries SET value = NEW.value * 10 WHERE rowid = NEW.rowid; END")
    else:
        con.execute("UPDATE files SET count = count + 1")
    con.commit()
    con.close()
    assert [run(*c).stdout for c in commands] == expected
    assert not _sentinel(db)  # (built again from the ledger)
    index_file(ledger).unlink()
    assert [run(*c).stdout for c in commands] == expected  # (a plain parse's answers)


@pytest.mark.parametrize("kind", ["link to another database", "fifo"])
def test_whatever_stands_at_the_index_path_is_never_written_through(plan, ledger, run, tmp_path, kind):
    """A link at the index's place made SQLite overwrite the database it pointed to (another
    program's); a FIFO there made `index` blame the folder. The thing itself is removed (never
    what it points to) and the index built in its place."""
    run.ok("status")
    db = index_file(ledger)
    for extra in [db, *db.parent.glob(db.name + "-*")]:
        extra.unlink()
    other = tmp_path / "app.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE contacts (name)")
        con.execute("INSERT INTO contacts VALUES ('张三')")
    con.close()
    if kind == "fifo":
        os.mkfifo(db)
    else:
        db.symlink_to(other)
    before = other.read_bytes()
    assert run.json("status", "--as-of", "2023-12-31")["summary"]
    assert other.read_bytes() == before
    assert db.is_file() and not db.is_symlink()
    assert run.ok("index").exit_code == 0


# --------------------------------------------------------------------------- the SQL is the core's rule

COUNTIES = ("椒江区", "黄岩区", None)
entry_specs = st.lists(st.tuples(
    st.sampled_from(["new-public-kindergartens", "new-school-places"]), st.sampled_from(COUNTIES),
    st.integers(min_value=1, max_value=12), st.integers(min_value=0, max_value=50),
    st.integers(min_value=0, max_value=3),  # recorded: days after the figure's date (ties happen)
    st.sampled_from(["record", "record", "add", "add", "correct", "void"])), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=entry_specs, day=st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2023, 12, 31)))
def test_sql_latest_is_the_core_rule(plan, specs, day):
    entries: list[Entry] = []
    alive: dict = {}
    for indicator, county, month, value, delay, kind in specs:
        as_of = dt.date(2023, month, 15)
        rec = dt.datetime(2023, month, 15, 9, tzinfo=TZ) + dt.timedelta(days=delay)
        i = len(entries) + 1
        target = alive.get((indicator, county))
        if kind == "add":
            entries.append(Entry(i, indicator, as_of, "t", rec, county=county, added=value))
            alive[(indicator, county)] = entries[-1]
            continue
        if kind != "record" and target is not None:
            if kind == "void":
                entries.append(Entry(i, indicator, target.as_of, "t", rec, county=county, supersedes=target.id,
                                     void=True, reason="r"))
                del alive[(indicator, county)]
                continue
            kw = {"added": value} if target.added is not None else {"value": value}
            e = Entry(i, indicator, target.as_of, "t", rec, county=county, supersedes=target.id, reason="r", **kw)
        else:
            e = Entry(i, indicator, as_of, "t", rec, county=county, value=value)
        entries.append(e)
        alive[(indicator, county)] = e
    index = Index(None)
    index.reset("x", plan.fingerprint)
    index.insert((e, "", i) for i, e in enumerate(entries))
    index.mark_superseded(entries)
    assert index.latest(day) == latest(surviving(entries), day)
    # what record compares a new figure with: the unit's series between the totals before and after it
    for indicator, county in {e.key() for e in entries}:
        whole = index.series(indicator, county)
        new = Entry(len(entries) + 1, indicator, day, "t", dt.datetime(2024, 1, 1, tzinfo=TZ), county=county, value=1)
        since, until = series_window(whole, new)
        assert index.series_window(indicator, county, day) == (since, until)
        assert index.series(indicator, county, since, until) == [
            e for e in whole if (since is None or e.as_of >= since) and (until is None or e.as_of <= until)]
        for old in whole[::3]:  # a correction is judged among the others
            others = [e for e in whole if e is not old]
            assert index.series_window(indicator, county, day, without=(old.office, old.id)) == \
                series_window(others, new)
    index.close()


def test_eduplan_index_says_where_the_index_is_for_sql_tools(run, tmp_path):
    """An analyst asks where the index is and reads it with plain sqlite3, read-only."""
    run.ok("record", "new-public-kindergartens", "3", "--county", "椒江区", "--as-of", "2023-06-30")
    run.ok("record", "new-public-kindergartens", "5", "--county", "黄岩区", "--as-of", "2023-06-30")
    run.ok("void", "1", "--reason", "synthetic: entered twice")
    doc = run.json("index")
    assert doc["entries"] == 3 and doc["files"] == 1 and doc["ledger"].endswith("ledger.toml")
    con = sqlite3.connect(f"file:{doc['index']}?mode=ro", uri=True)
    rows = con.execute("SELECT county, value, date(as_of + 1721424.5) FROM entries WHERE gone = 0 ORDER BY id").fetchall()
    assert rows == [("黄岩区", 5, "2023-06-30")]
    assert "sqlite3 -readonly" in run.ok("index", lang="en").stdout


# --------------------------------------------------------------------------- commands side by side


@pytest.mark.parametrize("edit", ["append", "change"])
def test_a_command_that_read_the_index_before_another_wrote_it_adds_nothing_twice(plan, ledger, monkeypatch, edit):
    """Two commands bring the index up to date at once: A reads what the index holds, B indexes
    the same new bytes and commits, then A writes. A wrote its rows on top of B's (the same
    entries twice: a figure counted twice until the index was deleted). A now sees that the
    index changed since it read it, and looks again."""
    same(ledger, plan)
    text = ledger.read_bytes()
    if edit == "append":
        text += b"\n" + lf.render_entries([new_entry(N + 1)]).encode()[1:]
    else:  # a same-size hand edit: the whole file is read again, reusing the blocks that did not change
        start, end = entry_span(text, 7)
        block = text[start:end]
        i = block.index(b"recorded_at = ") + len(b"recorded_at = 2023-")
        text = text[:start] + block[:i] + (b"1" if block[i:i + 1] == b"0" else b"0") + block[i + 1:] + text[end:]
    ledger.write_bytes(text)
    real_parse = lf.parse_block
    raced = []

    def parse_then_let_another_command_index(*args, **kw):
        if not raced:
            raced.append(True)
            other = store.open_ledger(ledger, plan)  # B: another connection to the same index
            other.close()
        return real_parse(*args, **kw)

    monkeypatch.setattr(lf, "parse_block", parse_then_let_another_command_index)
    view = store.open_ledger(ledger, plan)
    view.close()
    assert raced
    monkeypatch.setattr(lf, "parse_block", real_parse)
    con = sqlite3.connect(index_file(ledger))
    assert con.execute("SELECT COUNT(*), COUNT(DISTINCT office || '#' || id) FROM entries").fetchone() == \
        (N + (edit == "append"),) * 2
    con.close()
    same(ledger, plan)


def test_eduplan_index_says_when_the_cache_folder_cannot_keep_it(run, tmp_path, monkeypatch):
    """With EDUPLAN_CACHE_DIR naming a file (or a folder that cannot be written), `index` said
    "set EDUPLAN_CACHE_DIR to keep it" and exited 0, as if it were not set. It names the folder
    and fails; with the cache turned off (EDUPLAN_CACHE_DIR=) it still says so and succeeds."""
    run.ok("record", "new-school-places", "5", "--as-of", "2023-06-30")
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("")
    monkeypatch.setenv("EDUPLAN_CACHE_DIR", str(not_a_folder))
    err = run.fails(1, "index", lang="en").stderr
    assert str(not_a_folder) in err and "cannot be kept" in err
    monkeypatch.setenv("EDUPLAN_CACHE_DIR", "")
    assert "built in memory for each command" in run.ok("index", lang="en").stdout


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_a_damaged_page_found_while_the_history_streams_does_not_cut_it_short(plan, ledger, run, fmt):
    """log streams the history: a damaged page reached after some entries were written out
    ended it with exit 1 and half a document. The history now goes on, from an index built
    again, and is whole."""
    whole = run.ok("log", "--format", fmt).stdout
    db = index_file(ledger)
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(db.read_bytes())
    page = len(data) // 4096 // 2  # the middle of the table: reached after the newest entries were written
    data[page * 4096:(page + 1) * 4096] = b"\xff" * 4096
    db.write_bytes(bytes(data))
    assert run.ok("log", "--format", fmt).stdout == whole


_STORED_TEXT = st.text(max_size=12)  # any text: quotes, backslashes, control characters, NUL, Chinese, emoji
_STORED_FIGURE = st.none() | st.integers(0, 2**53) | st.floats(0, 2**53, allow_nan=False)


@st.composite
def _stored_entries(draw):
    """Any entry as the index keeps it: a county is a name or the city's (None); another office's
    entry corrected or voided names that office, one's own does not."""
    office = draw(st.sampled_from(["", "椒江区", 'a"b\\c']))
    supersedes = draw(st.none() | st.integers(1, 2**62))
    target = draw(st.none() | st.sampled_from(["黄岩区", "x\ny"])) if supersedes is not None else None
    return Entry(draw(st.integers(1, 2**62)), draw(st.text(min_size=1, max_size=12)), draw(st.dates()),
                 draw(st.text(min_size=1, max_size=12)),
                 draw(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=_ZONES)),
                 county=draw(st.none() | st.text(min_size=1, max_size=12)), value=draw(_STORED_FIGURE),
                 added=draw(_STORED_FIGURE), numerator=draw(_STORED_FIGURE), denominator=draw(_STORED_FIGURE),
                 state=draw(st.none() | st.sampled_from(list(State))), supersedes=supersedes, void=draw(st.booleans()),
                 for_city=draw(st.booleans()), reason=draw(st.none() | _STORED_TEXT), note=draw(st.none() | _STORED_TEXT),
                 source=draw(st.none() | _STORED_TEXT), batch=draw(st.none() | _STORED_TEXT),
                 batch_size=draw(st.none() | st.integers(1, 10**6)),
                 accepted=tuple(draw(st.lists(_STORED_TEXT, max_size=3))), office=office, target_office=target)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_stored_entries(), min_size=1, max_size=6, unique_by=lambda e: (e.office, e.id)))
def test_every_field_of_an_entry_comes_back_from_the_index_as_it_went_in(entries):
    """A read asks for the fields most entries leave empty packed into one JSON array (fewer
    columns: quicker through Python's sqlite3); whatever they hold, every way of reading an
    entry gives it back whole, its numbers of the same type and value."""
    index = Index(None)
    try:
        index.reset("ledger", "plan")
        with index.writing():
            index.insert((e, "ledger", k) for k, e in enumerate(entries))
        wanted = {(e.office, e.id): e for e in entries}
        for key, e in wanted.items():
            got = index.entry(*key)
            assert got == e and [type(getattr(got, f)) for f in ("value", "added", "numerator", "denominator")] == \
                [type(getattr(e, f)) for f in ("value", "added", "numerator", "denominator")]
        assert index.entries_at(list(wanted)) == wanted
        assert {(e.office, e.id): e for e, _ in index.history()} == wanted
        days = [e.as_of for e in entries]
        assert {(e.office, e.id): e for e, _ in index.dated_between(min(days), max(days))} == wanted
    finally:
        index.close()


def test_this_tools_own_writes_never_mark_the_index_as_written_from_outside(plan, ledger, run):
    """Each of the tool's writes (an append, a correction, a void, a hand-typed tail, a hand
    edit in the middle, a kept result) leaves the index trusted: a mark set by mistake would
    rebuild the whole index on every command."""
    run.ok("status")
    db = index_file(ledger)
    _sentinel(db, make=True)

    def outside() -> str:
        con = sqlite3.connect(db)
        try:
            return con.execute("SELECT value FROM meta WHERE key = 'outside'").fetchone()[0]
        finally:
            con.close()

    run.ok("record", "new-school-places", "1234", "--county", "椒江区", "--as-of", "2023-06-30", "--force")
    last = run.json("log")[0]["id"]
    run.ok("correct", str(last), "1300", "--reason", "typo", "--force")
    run.ok("void", str(last + 1), "--reason", "sent twice")
    assert outside() == "0" and _sentinel(db)
    with open(ledger, "ab") as fh:
        fh.write(generate.fast_render([new_entry(last + 3, value=7)]).encode())
    entries = _synthetic()[0]
    flipped = next(e for e in entries if e.value is not None and e.added is None and e.numerator is None)
    ledger.write_bytes(_flip_last_digit(ledger.read_bytes(), flipped.id, "value"))  # a hand edit in the middle
    run.ok("report", "--month", "2023-12", "--format", "json")
    assert run("check", "--as-of", "2023-12-31").exit_code == 1  # (the synthetic figures' findings)
    assert outside() == "0" and _sentinel(db)
    same(ledger, plan)


def _leaf_pages(db: Path) -> tuple[bytes, int, list[int]]:
    """The index file's bytes (its WAL copied in), its page size, and the leaf pages of the index
    the latest figures are found through."""
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = con.execute("PRAGMA page_size").fetchone()[0]
        (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entries_latest'").fetchone()
    finally:
        con.close()
    data = db.read_bytes()
    leaves, todo = [], [root]  # the b-tree walked as the file format has it (SQLite's dbstat is not in every build)
    while todo:
        page = todo.pop()
        at = (page - 1) * size + (100 if page == 1 else 0)
        kind, cells = data[at], int.from_bytes(data[at + 3:at + 5], "big")
        if kind == 0x0A:  # an index's leaf page
            leaves.append(page)
        elif kind == 0x02:  # an interior page: each cell starts with its child's page, and one more at the end
            pointers = [int.from_bytes(data[at + 12 + 2 * k:at + 14 + 2 * k], "big") for k in range(cells)]
            base = (page - 1) * size
            todo += [int.from_bytes(data[base + p:base + p + 4], "big") for p in pointers]
            todo.append(int.from_bytes(data[at + 8:at + 12], "big"))
    return data, size, sorted(leaves)


def _with_page_damaged(db: Path, pristine: bytes, size: int, page: int) -> None:
    """The index as it was, with sixteen zero bytes in the middle of one page (inside its cells:
    SQLite's reads and quick check do not see it)."""
    for extra in db.parent.glob(db.name + "-*"):
        extra.unlink()
    data = bytearray(pristine)
    at = (page - 1) * size + size // 2
    data[at:at + 16] = bytes(16)
    db.write_bytes(bytes(data))


def test_an_index_page_damaged_inside_its_cells_is_found_by_validate_and_index(plan, ledger, run):
    """Damage inside the cells of an index page hid entries from status (an older figure, or
    none), exit 0: SQLite's quick check says ok. validate and `eduplan index` run SQLite's whole
    check: the damaged index is removed, or built again, and status gives the plain parse's
    answer."""
    args = ("status", "--as-of", "2023-12-31", "--format", "json")
    expected = run(*args).stdout
    db = index_file(ledger)
    pristine, size, pages = _leaf_pages(db)
    hiding = None
    for page in pages:  # a page whose damage changes what status shows (about half of them)
        _with_page_damaged(db, pristine, size, page)
        if run(*args).stdout != expected:
            hiding = page
            break
    assert hiding is not None
    said = run.ok("validate").stdout
    assert "本机的台账索引已损坏（SQLite 完整检查发现）：已将其删除" in said
    assert not db.exists() and run(*args).stdout == expected
    _with_page_damaged(db, pristine, size, hiding)
    done = run.json("index", "--format", "json")
    assert done["rebuilt"] is True and run(*args).stdout == expected
    assert run.json("index", "--format", "json")["rebuilt"] is False
    assert "已损坏" not in run.ok("validate").stdout


def test_the_schema_an_index_is_held_to_is_the_one_sqlite_keeps():
    """An index is used only while its tables, indexes and triggers are as this tool made them,
    compared with the text SQLite keeps for each: written otherwise (a keyword in lower case, IF
    NOT EXISTS), every index would be rebuilt on every command."""
    from eduplan.store import index as ix

    con = sqlite3.connect(":memory:")
    for statement in [*ix._SCHEMA.split(";"), *(sql for _, sql in ix._TRIGGERS)]:
        if statement.strip():
            con.execute(statement)
    kept = {(t, n): sql for t, n, sql in con.execute("SELECT type, name, sql FROM sqlite_master WHERE sql NOT NULL")}
    con.close()
    assert ix._own_schema() == kept


def test_an_index_held_locked_by_another_program_holds_a_command_up_for_seconds_not_minutes(plan, ledger, run):
    """A database browser's open write transaction on the index held every command up for 60 s a
    statement (a record 60 s, a status 121 s) before it read the ledger in memory. A command now
    waits about what reading the ledger in memory costs: 2 s and a second for every 5 MB, at least
    5 s, at most 60 (another command of this tool writes the index in less)."""
    assert store._wait_for(store.place(ledger)) == 5.0  # (a small ledger)
    big = ledger.parent / "big"
    big.mkdir()
    with open(big / "one.ledger.toml", "wb") as fh:
        fh.truncate(100_000_000)  # (sparse: only its size is asked)
    assert store._wait_for(store.place(big)) == pytest.approx(22.0)
    run.ok("status")
    other = sqlite3.connect(index_file(ledger), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        run.ok("record", "new-school-places", "1234", "--county", "椒江区", "--as-of", "2023-06-30", "--force")
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert waited < 30, waited  # (it gave way after 5 s; before, after 60)
    assert run.json("log")[0]["value"] == 1234
    same(ledger, plan)
