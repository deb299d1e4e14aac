"""The fast path (the ledger cache) and the plain path (parse the TOML) must agree exactly.

On SYNTHETIC ledgers from bench/generate.py (not real 2023 results) and on copies edited
every way a ledger file can change under the cache: an edit by hand that keeps the size
and the mtime, appends through the tool and by hand, truncation, a deleted cache folder,
a corrupted cache. Whatever the cache holds, ``read_ledger`` must return exactly what
``read_ledger(path, plan, use_cache=False)`` returns, and so the same status report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import random
import shutil
from functools import cache
from pathlib import Path

import pytest

from eduplan.cache import LedgerCache, cache_dir
from eduplan.entries import latest, surviving
from eduplan.ledger import HEADER, append_entries, read_ledger, render_entries
from eduplan.loader import bundled_plan_path, load_plan
from eduplan.models import Entry, Measure
from eduplan.progress import status_report
from eduplan.render.data import status_doc

N = 2000
N_SMALL = 500  # for the loops that spoil the cache many ways: each spoil costs a full parse
SEED = 2023
DAYS = (dt.date(2023, 6, 30), dt.date(2023, 12, 31))
TZ = dt.timezone(dt.timedelta(hours=8))


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
    return tuple(entries), generate.ledger_text(entries, n, seed).encode("utf-8")


@pytest.fixture
def plan():
    return _plan()


@pytest.fixture
def ledger(ledger_path) -> Path:
    """A fresh copy of the 2,000-entry synthetic ledger at $EDUPLAN_LEDGER."""
    ledger_path.write_bytes(_synthetic()[1])
    return ledger_path


@pytest.fixture
def small_ledger(ledger_path) -> Path:
    """A fresh copy of a 500-entry synthetic ledger at $EDUPLAN_LEDGER."""
    ledger_path.write_bytes(_synthetic(N_SMALL)[1])
    return ledger_path


# --------------------------------------------------------------------------- helpers


def strict(entries) -> str:
    """A digest of the entries, field by field with types (``1`` is not ``1.0``) and time zones."""
    return hashlib.sha256("\n".join(map(repr, entries)).encode()).hexdigest()


def docs(plan, entries) -> str:
    """A digest of the status documents at mid-year, at year end, and for one county."""
    out = [status_doc(status_report(plan, entries, day)) for day in DAYS]
    out.append(status_doc(status_report(plan, entries, DAYS[0], county="椒江区")))
    return hashlib.sha256(json.dumps(out, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


# The plain path is a pure function of the file's bytes (and of its name, which problems
# quote): it is computed once per content and remembered as digests, to keep this module fast.
_PLAIN: dict[tuple, tuple] = {}


def plain_read(path: Path, plan) -> tuple:
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    for key in ((sha,), (str(path), sha)):
        if key in _PLAIN:
            return _PLAIN[key]
    state = read_ledger(path, plan, use_cache=False)
    assert state.sha256 == sha
    result = (state.ok, state.problems, state.torn, sha, strict(state.entries), docs(plan, state.entries))
    _PLAIN[(sha,) if state.ok else (str(path), sha)] = result
    return result


def same(path: Path, plan, *, cached: bool | None = None):
    """Read the ledger both ways; they must agree exactly. ``cached``: was the cache used?"""
    fast = read_ledger(path, plan)
    ok, problems, torn, sha, entries_digest, docs_digest = plain_read(path, plan)
    assert (fast.ok, fast.problems, fast.torn) == (ok, problems, torn)
    assert fast.sha256 in (sha, None)  # None: the cache proved the bytes range by range
    assert strict(fast.entries) == entries_digest, "the fast path read other entries than the plain path"
    assert docs(plan, fast.entries) == docs_digest, "the fast path gave another status report"
    if cached is not None:
        assert (fast.meta is not None) == cached, "cache used" if fast.meta else "cache not used"
    return fast


def warm(path: Path, plan) -> None:
    """Cache the ledger as ``read_ledger`` does after parsing it (the generated entries are
    exactly the parsed ones: see the first test), then check the next read is a cache hit."""
    data = path.read_bytes()
    known = {_synthetic(n)[1]: _synthetic(n)[0] for n in (N, N_SMALL)}
    if data in known:
        LedgerCache(path, plan.fingerprint).store(len(data), hashlib.sha256(data).hexdigest(), known[data], None)
    else:
        read_ledger(path, plan)
    assert read_ledger(path, plan).meta is not None, "the cache should now describe the ledger"


def cache_files() -> tuple[Path, Path]:
    root = cache_dir()
    (meta,) = root.glob("*.meta.json")
    (rows,) = root.glob("*.rows")
    return meta, rows


def entry_span(text: bytes, entry_id: int) -> tuple[int, int]:
    """Byte range of one entry's table (from its blank line to the next one)."""
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
    assert text.startswith(HEADER)
    assert "SYNTHETIC" in text[len(HEADER):text.index("\n[[entries]]")]
    assert text == HEADER + generate.banner(N, SEED) + render_entries(entries)  # byte for byte
    assert [e.id for e in entries] == list(range(1, N + 1))
    assert all(e.note == "synthetic" for e in entries)
    plain = read_ledger(ledger, plan, use_cache=False)
    assert plain.ok, plain.problems
    assert strict(plain.entries) == strict(entries)
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert f"{N} entries" in result.stdout


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
    for e in entries:
        ind = plan.by_id[e.indicator]
        if e.void:
            continue
        if ind.measure == Measure.LEVEL:
            assert e.county and e.numerator <= e.denominator
            fig = generate.read_figure(ind, f"{e.numerator}/{e.denominator}", county=e.county)
            assert (fig.value, fig.numerator, fig.denominator) == (e.value, e.numerator, e.denominator)
        elif ind.measure == Measure.MILESTONE:
            assert e.county is None and e.state is not None
        elif ind.measure == Measure.COUNTIES:
            assert e.county and e.state is not None
        else:
            assert isinstance(e.value, int)
    # flows rise: the base figures of each series never fall in (as_of, id) order
    series: dict = {}
    for e in sorted((e for e in entries if e.supersedes is None and e.value is not None
                     and plan.by_id[e.indicator].measure == Measure.FLOW), key=lambda e: (e.as_of, e.id)):
        assert e.value >= series.get(e.key(), 0)
        series[e.key()] = e.value
    # deterministic, and the seed matters
    assert strict(generate.generate(300, 7, plan)) == strict(generate.generate(300, 7, plan))
    assert strict(generate.generate(300, 7, plan)) != strict(generate.generate(300, 8, plan))


# --------------------------------------------------------------------------- the cache itself


def test_cache_hit_equals_plain_parse(plan, ledger):
    first = same(ledger, plan, cached=False)  # parsed, then stored
    second = same(ledger, plan, cached=True)  # from the cache
    assert strict(second.entries) == strict(first.entries) == strict(_synthetic()[0])


def test_no_cache_when_disabled(plan, ledger, monkeypatch):
    monkeypatch.setenv("EDUPLAN_CACHE_DIR", "")
    same(ledger, plan, cached=False)
    assert read_ledger(ledger, plan).meta is None


# --------------------------------------------------------------------------- (a) an edit by hand


def _flip_last_digit(text: bytes, entry_id: int, key: str) -> bytes:
    start, end = entry_span(text, entry_id)
    line_start = text.index(f"\n{key} = ".encode(), start, end) + 1
    line_end = text.index(b"\n", line_start)
    line = text[line_start:line_end]
    digit = line[-1] - ord("0")
    assert 0 <= digit <= 9, line
    new = str(digit + 1 if digit < 9 else digit - 1).encode()
    return text[:line_end - 1] + new + text[line_end:]


@pytest.mark.parametrize("measure, key", [(Measure.FLOW, "value"), (Measure.LEVEL, "numerator")])
def test_same_size_edit_with_mtime_restored_is_seen(plan, ledger, measure, key):
    warm(ledger, plan)
    entries = read_ledger(ledger, plan).entries
    before = docs(plan, entries)
    # the latest surviving figure of a county series: an edit there changes the status
    best = latest(surviving(entries), DAYS[-1])
    target = next(e for k, e in sorted(best.items(), key=lambda kv: kv[1].id)
                  if plan.by_id[e.indicator].measure == measure and e.county and e.value
                  and (e.numerator is None or e.numerator < e.denominator))
    st = ledger.stat()
    edited = _flip_last_digit(ledger.read_bytes(), target.id, key)
    with open(ledger, "r+b") as fh:  # in place, as an editor saving over it might
        fh.write(edited)
    os.utime(ledger, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert ledger.stat().st_size == st.st_size and ledger.stat().st_mtime_ns == st.st_mtime_ns

    fast = same(ledger, plan, cached=False)
    changed = next(e for e in fast.entries if e.id == target.id)
    assert getattr(changed, key) != getattr(target, key)
    assert docs(plan, fast.entries) != before
    again = same(ledger, plan, cached=True)  # the cache now describes the edited bytes
    assert strict(again.entries) == strict(fast.entries)


# --------------------------------------------------------------------------- (b) appends


def test_record_correct_void_through_the_cli_keep_the_fast_path_exact(plan, ledger, run):
    warm(ledger, plan)
    entries = _synthetic()[0]
    result = run("record", "new-school-places", "1234", "--county", "椒江区", "--as-of", "2023-06-30",
                 "--note", "synthetic")
    assert result.exit_code == 0, result.output
    state = same(ledger, plan, cached=True)  # the append extended the cache
    assert len(state.entries) == N + 1 and state.entries[-1].value == 1234

    gone = {e.supersedes for e in entries if e.supersedes is not None}
    free = [e for e in entries if e.supersedes is None and not e.void and e.id not in gone and e.value is not None
            and plan.by_id[e.indicator].measure == Measure.FLOW]
    result = run("correct", str(free[0].id), str(free[0].value + 1), "--reason", "synthetic re-check")
    assert result.exit_code == 0, result.output
    result = run("void", str(free[1].id), "--reason", "synthetic duplicate")
    assert result.exit_code == 0, result.output
    result = run("record", "new-school-places", "--add", "10", "--county", "椒江区", "--as-of", "2023-06-30")
    assert result.exit_code == 0, result.output
    state = same(ledger, plan, cached=True)
    assert len(state.entries) == N + 4
    assert state.entries[-1].value == 1244  # --add read the latest total through the cache
    assert state.entries[-3].supersedes == free[0].id and state.entries[-2].void


def test_append_entries_then_an_append_by_hand(plan, ledger):
    warm(ledger, plan)
    written = append_entries(ledger, plan, lambda view: [new_entry(view.next_id + i, value=100 + i) for i in range(3)])
    assert [e.id for e in written] == [N + 1, N + 2, N + 3]
    same(ledger, plan, cached=True)
    # another program appends a well-formed entry: the bytes changed, so no cache
    with open(ledger, "ab") as fh:
        fh.write(generate.fast_render([new_entry(N + 4, value=7)]).encode())
    state = same(ledger, plan, cached=False)
    assert strict(state.entries[-4:]) == strict([*written, new_entry(N + 4, value=7)])
    # and a bad one: both paths report the same problems
    with open(ledger, "ab") as fh:
        fh.write(generate.fast_render([new_entry(N + 5, indicator="no-such-indicator")]).encode())
    state = same(ledger, plan, cached=False)
    assert not state.ok


# --------------------------------------------------------------------------- (c) truncation


@pytest.mark.parametrize("keep", [1, 1000, N - 1])
def test_truncation_at_an_entry_boundary(plan, ledger, keep):
    warm(ledger, plan)
    data = ledger.read_bytes()
    cut = entry_span(data, keep + 1)[0] + 1 if keep < N else len(data)  # keep the blank line
    with open(ledger, "r+b") as fh:
        fh.truncate(cut)
    state = same(ledger, plan, cached=False)
    assert state.ok and strict(state.entries) == strict(_synthetic()[0][:keep])
    same(ledger, plan, cached=True)


@pytest.mark.parametrize("where", [0.6])
def test_truncation_inside_an_entry(plan, ledger, where):
    warm(ledger, plan)
    data = ledger.read_bytes()
    start, end = entry_span(data, N)
    with open(ledger, "r+b") as fh:
        fh.truncate(start + 2 + int((end - start - 2) * where))
    state = same(ledger, plan, cached=False)
    assert not state.ok and state.torn
    same(ledger, plan, cached=False)


def test_truncated_to_nothing(plan, ledger):
    warm(ledger, plan)
    ledger.write_bytes(b"")
    assert same(ledger, plan).entries == ()
    ledger.write_bytes(HEADER.encode())
    assert same(ledger, plan).entries == ()


# --------------------------------------------------------------------------- (d) deleting the cache


def test_deleting_the_cache_folder_between_reads(plan, ledger):
    warm(ledger, plan)
    shutil.rmtree(cache_dir())
    same(ledger, plan, cached=False)
    same(ledger, plan, cached=True)  # rebuilt
    _, rows = cache_files()
    rows.unlink()  # only the rows: the meta alone proves nothing
    same(ledger, plan, cached=False)


def test_deleting_the_cache_folder_while_reading(plan, ledger, monkeypatch):
    from eduplan.cache import LedgerCache

    warm(ledger, plan)
    original = LedgerCache.entries

    def vanishing(self, meta):
        shutil.rmtree(cache_dir(), ignore_errors=True)  # after the meta matched, before the rows
        return original(self, meta)

    monkeypatch.setattr(LedgerCache, "entries", vanishing)
    fast = read_ledger(ledger, plan)
    monkeypatch.undo()
    assert strict(fast.entries) == strict(read_ledger(ledger, plan, use_cache=False).entries)


@pytest.mark.parametrize("needs_history", [False, True])
def test_deleting_the_cache_folder_while_appending(plan, ledger, needs_history):
    warm(ledger, plan)
    entries = _synthetic()[0]
    gone = {e.supersedes for e in entries if e.supersedes is not None}
    target = next(e for e in reversed(entries) if e.id not in gone and not e.void and e.value is not None
                  and plan.by_id[e.indicator].measure == Measure.FLOW)

    def build(view):
        shutil.rmtree(cache_dir())  # under the lock, after the cache proved the ledger valid
        if needs_history:  # a correction: the history is loaded (the cache is gone: parsed)
            assert len(view.entries()) == N
            return [new_entry(view.next_id, indicator=target.indicator, county=target.county,
                              as_of=target.as_of, value=target.value + 1, supersedes=target.id,
                              reason="synthetic re-check")]
        return [new_entry(view.next_id)]

    (written,) = append_entries(ledger, plan, build)
    assert written.id == N + 1
    state = same(ledger, plan)
    assert strict(state.entries[-1:]) == strict([written])
    same(ledger, plan, cached=True)


# --------------------------------------------------------------------------- (e) a corrupted cache


def _garbage(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


ROWS_DAMAGE = {
    "garbage": lambda data: _garbage(len(data), 1),
    "half": lambda data: data[: len(data) // 2],
    "empty": lambda data: b"",
    "doubled": lambda data: data + data,  # the meta names the first rows_size bytes: still exact
    "zeros": lambda data: bytes(len(data)),
    "last-byte-cut": lambda data: data[:-1],
}


def test_damaged_rows_file_is_ignored(plan, small_ledger):
    ledger = small_ledger
    warm(ledger, plan)
    for damage, spoil in ROWS_DAMAGE.items():
        _, rows = cache_files()
        rows.write_bytes(spoil(rows.read_bytes()))
        same(ledger, plan)
        same(ledger, plan, cached=True)  # repaired, or still exact


META_DAMAGE = {
    "garbage": lambda raw, meta: _garbage(len(raw), 2),
    "empty": lambda raw, meta: b"",
    "truncated": lambda raw, meta: raw[: len(raw) // 2],
    "not-json": lambda raw, meta: b"\xff\xfe not json",
    "wrong-count": lambda raw, meta: json.dumps(meta | {"count": meta["count"] - 1}).encode(),
    "wrong-size": lambda raw, meta: json.dumps(meta | {"rows_size": meta["rows_size"] + 1}).encode(),
    "size-as-text": lambda raw, meta: json.dumps(meta | {"rows_size": str(meta["rows_size"])}).encode(),
    "other-generation": lambda raw, meta: json.dumps(meta | {"generation": "0" * 12}).encode(),
    "other-plan": lambda raw, meta: json.dumps(meta | {"plan": "0" * 64}).encode(),
    "other-ledger": lambda raw, meta: json.dumps(meta | {"ledger": "/elsewhere/ledger.toml"}).encode(),
    "other-version": lambda raw, meta: json.dumps(meta | {"version": 999}).encode(),
    "extra-key": lambda raw, meta: json.dumps(meta | {"surprise": 1}).encode(),
    "missing-key": lambda raw, meta: json.dumps({k: v for k, v in meta.items() if k != "count"}).encode(),
    "list": lambda raw, meta: json.dumps(list(meta.items())).encode(),
}


def test_damaged_meta_file_is_ignored(plan, small_ledger):
    ledger = small_ledger
    warm(ledger, plan)
    for damage, spoil in META_DAMAGE.items():
        meta_path, _ = cache_files()
        raw = meta_path.read_bytes()
        meta_path.write_bytes(spoil(raw, json.loads(raw)))
        same(ledger, plan, cached=False)
        same(ledger, plan, cached=True)


@pytest.mark.parametrize("text", ["null", "123", '"meta"', "true"])
def test_meta_that_is_json_but_not_an_object_is_ignored(plan, small_ledger, text):
    ledger = small_ledger
    warm(ledger, plan)
    meta_path, _ = cache_files()
    meta_path.write_text(text)
    same(ledger, plan, cached=False)


def test_a_changed_byte_in_the_rows_file_is_never_trusted(plan, ledger_path):
    entries, data = _synthetic(200, SEED)
    ledger_path.write_bytes(data)
    warm(ledger_path, plan)
    meta_path, rows = cache_files()
    pristine_meta, pristine = meta_path.read_bytes(), rows.read_bytes()
    plain = strict(read_ledger(ledger_path, plan, use_cache=False).entries)
    wrong = []
    for pos in range(7, len(pristine), len(pristine) // 40):
        for path in cache_dir().glob("*"):
            path.unlink()
        meta_path.write_bytes(pristine_meta)
        rows.write_bytes(pristine[:pos] + bytes([(pristine[pos] + 1) % 256]) + pristine[pos + 1:])
        try:
            got = strict(read_ledger(ledger_path, plan).entries)
        except Exception as exc:  # a crash is not "ignored" either
            wrong.append((pos, type(exc).__name__))
            continue
        if got != plain:
            wrong.append((pos, "wrong entries"))
    assert not wrong, f"{len(wrong)} single-byte changes of the rows file were trusted: {wrong[:5]}"
