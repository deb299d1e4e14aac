"""A full rebuild of the index takes fast paths: the strict block reader (tests/test_fast_toml.py),
a quick test that a row's types are all fine before the checks that name problems, and a bulk
fill of an empty index that computes ``gone`` as it goes. Each must give exactly what the
general path gives: the same rows in the index (every column), the same entries and problems.
Ledgers here are SYNTHETIC."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import COUNTIES
from eduplan.store import index as ix
from eduplan.store import ledger as store
from eduplan.store import ledgerfile as lf
from eduplan.store import toml
from test_index import _plan, _synthetic

TZ = dt.timezone(dt.timedelta(hours=8))


def _general(monkeypatch):
    """Every fast path off: tomli for every block, every row through the checks that name
    problems, rows inserted one by one and ``gone`` computed in SQL over the whole table."""
    monkeypatch.setattr(toml, "entry_groups", lambda text: None)
    monkeypatch.setattr(toml, "entry_table", lambda text: None)
    monkeypatch.setattr(lf, "_plain", lambda row: False)

    def fill(self, rows):
        self.insert(rows)
        self.recompute_gone()

    monkeypatch.setattr(ix.Index, "fill", fill)


def _built(path, plan, index=None):
    """(sync problems, every entries row, every files row but its stat) of an index built from scratch."""
    own = index is None
    index = index or ix.Index(None)
    if own:
        index.reset(str(path), plan.fingerprint)
    try:
        sync = store.sync_place(index, store.place(path), plan, None)
        rows = index.con.execute("SELECT rowid, * FROM entries ORDER BY rowid").fetchall()
        files = index.con.execute("SELECT name, office, header, size, ranges, max_id, count, lines FROM files "
                                  "ORDER BY name").fetchall()
        return [p.render("en") for p in sync.problems], rows, files
    finally:
        if own:
            index.close()


def _unusual(text: str) -> str:
    """Some blocks written by hand in other TOML forms that read as the same entries (tomli reads them)."""
    blocks = text.split("\n\n[[entries]]\n")
    for k in range(1, len(blocks), 7):
        b = blocks[k]
        form = k // 7 % 6
        if form == 0:
            b = b.replace("\nnote = ", "\n# checked by hand\nnote = ")
        elif form == 1:
            b = b.replace('note = "synthetic"', "note = 'synthetic'")
        elif form == 2:
            b = b.replace(" ", "T", 1) if b.startswith("recorded_at") else b.replace("\nrecorded_at = 2023-",
                                                                                        "\nrecorded_at =  2023-")
        elif form == 3:
            first, rest = b.split("\n", 1)
            b = rest.rstrip("\n") + "\n" + first  # id last: keys in another order
        elif form == 4:
            b = b.replace("\nby = ", "\naccepted = []\nby = ")
        else:
            b = b.replace("\nby = ", "\nby =\t")
        blocks[k] = b
    return "\n\n[[entries]]\n".join(blocks)


@pytest.mark.parametrize("form", ["as written", "unusual forms"])
def test_a_rebuilt_index_has_the_rows_of_the_general_path(ledger_path, monkeypatch, form):
    plan = _plan()
    text = _synthetic()[1].decode("utf-8")
    ledger_path.write_text(_unusual(text) if form == "unusual forms" else text, encoding="utf-8")
    fast = _built(ledger_path, plan)
    with monkeypatch.context() as m:
        _general(m)
        general = _built(ledger_path, plan)
    assert fast[0] == general[0] == []
    assert len(fast[1]) == len(_synthetic()[0]) and fast == general
    entries = _synthetic()[0]
    gone = {e.target for e in entries if e.supersedes is not None} | {(e.office, e.id) for e in entries if e.void}
    assert {(r[3], r[4]) for r in fast[1] if r[-1]} == gone  # (office, id): voids and what is superseded


def test_a_rebuilt_index_has_the_rows_of_one_appended_piece_by_piece(ledger_path):
    plan = _plan()
    data = _synthetic()[1]
    whole = ledger_path.parent / "whole.toml"
    whole.write_bytes(data)
    fast = _built(whole, plan)
    # the same bytes appended in pieces, the index brought up to date after each (through _index_tail)
    cuts = [k for k in range(len(data)) if data.startswith(b"\n\n[[entries]]\n", k)][::97] + [len(data)]
    index = ix.Index(None)
    index.reset(str(ledger_path), plan.fingerprint)
    try:
        at = 0
        for cut in cuts:
            with open(ledger_path, "ab") as fh:
                fh.write(data[at:cut])
            at = cut
            pieces = _built(ledger_path, plan, index)
            assert pieces[0] == []
    finally:
        index.close()
    assert len(cuts) > 10 and pieces[1] == fast[1]  # every column of every row, gone included
    assert [f[:4] + f[5:] for f in pieces[2]] == [f[:4] + f[5:] for f in fast[2]]  # the hashed ranges differ


def test_a_rebuilt_folder_has_the_rows_of_the_general_path(run, tmp_path, monkeypatch, synthetic_plan_path,
                                                            synthetic_plan):
    folder = tmp_path / "ledger"
    folder.mkdir()
    monkeypatch.setenv("EDUPLAN_LEDGER", str(folder))
    d = ["--as-of", "2023-06-30"]
    run.ok("record", "new-kindergartens", "3", *d, "--county", "椒江区", "--office", "椒江区")
    run.ok("record", "new-kindergartens", "5", *d, "--county", "黄岩区", "--office", "黄岩区")
    run.ok("record", "new-kindergartens", "2", *d, "--county", "黄岩区", "--office", "黄岩区", "--force")  # falls: voided below
    run.ok("correct", "1", "4", "--reason", "synthetic typo", "--office", "椒江区")
    run.ok("void", "2", "--reason", "synthetic: twice", "--office", "黄岩区")
    run.ok("correct", "黄岩区#1", "6", "--reason", "synthetic: the notice says 6", "--office", "全市", "--for-city")
    fast = _built(folder, synthetic_plan)
    with monkeypatch.context() as m:
        _general(m)
        general = _built(folder, synthetic_plan)
    assert fast[0] == general[0] == [] and len(fast[1]) == 6
    assert fast == general
    gone = {(r[3], r[4]) for r in fast[1] if r[-1]}  # (office, id)
    assert gone == {("椒江区", 1), ("黄岩区", 1), ("黄岩区", 2), ("黄岩区", 3)}


BAD = ('[[entries]]\nid = 3\nindicator = "Investment"\ncounty = " "\nas_of = 2023-02-28\nvalue = -1\n'
       'by = "synthetic"\nrecorded_at = 2023-03-01 12:00:00\n')


@pytest.mark.parametrize("change", [
    ("", ""), ('indicator = "Investment"', 'indicator = "investment"'), ('county = " "', 'county = "椒江区"'),
    ("2023-02-28", "2023-02-30"), ("value = -1", "value = 1e300"), ("value = -1", "value = nan"),
    ("value = -1", 'value = "1"'), ("value = -1", "value = 9007199254740993"), ("12:00:00\n", "12:00:00+08:00\n"),
    ("by =", "who ="), ("id = 3", "id = 0"), ("id = 3", "id = true"), ("id = 3", "id = 3 # hand"),
])
def test_problems_and_their_lines_are_those_of_the_general_path(ledger_path, monkeypatch, change):
    plan = _plan()
    good = _synthetic()[1]
    ledger_path.write_bytes(good + b"\n" + BAD.replace(*change).replace("id = 3", f"id = {10**6}").encode()
                            if change[0] != "id = 3" else good + b"\n" + BAD.replace(*change).encode())
    fast = _built(ledger_path, plan)
    with monkeypatch.context() as m:
        _general(m)
        general = _built(ledger_path, plan)
    assert fast == general and fast[0]
    assert all(p.startswith(f"{ledger_path}:") for p in fast[0]), fast[0]


# --------------------------------------------------------------------------- the quick type test

texts = st.one_of(st.sampled_from(["investment", "Investment", "a-b", "a--b", "x\n", " ", "", "椒江区", "done",
                                   "in-progress", "椒江区#12", "#1", "a#b", "synthetic"]), st.text(max_size=6))
anything = st.one_of(
    st.booleans(), st.integers(-3, 3), st.integers(-2**60, 2**60), st.sampled_from([2**53, 2**53 + 1]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0, 1.5, float(2**53)]), texts,
    st.dates(), st.datetimes(), st.datetimes(timezones=st.just(TZ)), st.lists(texts, max_size=2),
    st.lists(st.integers(), max_size=1), st.dictionaries(st.just("a"), st.integers(), max_size=1),
)
FIELDS = tuple(lf.ENTRY_WRITE_ORDER)
typical = {"id": st.integers(-1, 10**6), "indicator": texts, "county": st.sampled_from([*COUNTIES, " ", ""]),
           "as_of": st.one_of(st.dates(), st.datetimes()), "state": texts, "supersedes": st.one_of(st.integers(-1, 9), texts),
           "void": st.one_of(st.booleans(), st.integers(0, 1)), "for_city": st.one_of(st.booleans(), st.integers(0, 1)),
           "batch_size": st.integers(-1, 9), "accepted": st.lists(texts, max_size=2), "recorded_at": st.one_of(
               st.datetimes(timezones=st.just(TZ)), st.datetimes()), "by": texts,
           **{k: st.one_of(st.integers(-1, 10**6), st.floats(-1, 1e17, allow_nan=False), st.sampled_from(
               [0, 0.0, 2**53, 2**53 + 1, float("inf"), float("nan")])) for k in ("value", "added", "numerator",
                                                                                  "denominator")}}


good = {"id": st.integers(1, 10**6), "indicator": st.sampled_from(["investment", "new-school-places"]),
        "county": st.sampled_from(COUNTIES), "as_of": st.dates(), "state": st.sampled_from(["done", "not-started"]),
        "supersedes": st.one_of(st.integers(1, 9), st.just("椒江区#3")), "void": st.booleans(), "for_city": st.booleans(),
        "batch_size": st.integers(1, 9), "accepted": st.lists(st.just("outlier"), max_size=2),
        "recorded_at": st.datetimes(timezones=st.just(TZ)), "by": st.just("synthetic"),
        **{k: st.one_of(st.integers(1, 10**6), st.floats(0.5, 1e6)) for k in ("value", "added", "numerator",
                                                                                "denominator")},
        **{k: st.just("synthetic") for k in ("reason", "note", "source", "batch")}}


@st.composite
def rows(draw):
    """Rows whose every field is fine, with up to three of them changed to anything (or left out, or one added)."""
    row = {key: draw(good[key]) for key in FIELDS if key in lf._REQUIRED or draw(st.integers(0, 3)) == 0}
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from(FIELDS + ("other",)))
        what = draw(st.integers(0, 4))
        if what == 0:
            row.pop(key, None)
        else:
            row[key] = draw(anything if what == 1 or key not in typical else typical[key])
    return row


@settings(max_examples=4000, suppress_health_check=[HealthCheck.too_slow])
@given(rows())
def test_the_quick_test_passes_only_rows_the_checks_pass(row):
    try:
        problems = lf._type_problems(row)
    except TypeError:  # an unhashable state: the checks fail on it too (not the quick test's to decide)
        assert not lf._plain(row)
        return
    if lf._plain(row):
        assert problems == [], row


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(rows())
def test_check_row_is_the_same_with_and_without_the_quick_test(row):
    plan = _plan()
    block = lf.Block(0, 10, b"", 0)

    def lines(field):
        return 10 if field is None else 10 + FIELDS.index(field) if field in FIELDS else 99

    def both():
        try:
            fast = lf.check_row(row, block, "f", plan, "", lines)
        except TypeError:
            return "TypeError"
        return fast.entry, [p.render("en") for p in fast.problems], fast.cut_short

    fast, general = _fast_and_general(both, lf, "_plain", lambda row: False)
    assert fast == general or (_nan(fast) and _nan(general))


def _fast_and_general(read, module, name, off):
    """``read()`` as it is, and with a fast path turned off (``module.name`` replaced by ``off``)."""
    fast = read()
    original = getattr(module, name)
    setattr(module, name, off)
    try:
        return fast, read()
    finally:
        setattr(module, name, original)


own_values = {  # values the tool's own form can hold, fine or not; each text its own (a swap shows)
    "id": st.integers(-1, 10**6), "indicator": texts, "county": st.sampled_from([*COUNTIES, " ", "\u3000", "x"]),
    "as_of": st.dates(dt.date(2022, 1, 1), dt.date(2024, 12, 31)),
    "state": st.sampled_from(["done", "in-progress", "not-started", "Done", ""]),
    "supersedes": st.one_of(st.integers(-1, 9), st.sampled_from(["椒江区#3", "全市#1", "#1", "椒江区#", " a#2"])),
    "void": st.booleans(), "for_city": st.booleans(), "batch_size": st.integers(-1, 9),
    "by": st.just("synthetic-by"), "reason": st.just("synthetic-reason"), "note": st.just("synthetic-note"),
    "source": st.just("synthetic-source"), "batch": st.just("synthetic-batch"),
    "recorded_at": st.builds(lambda d, m: d.replace(microsecond=0, tzinfo=dt.timezone(dt.timedelta(minutes=m))),
                             st.datetimes(dt.datetime(2022, 1, 1), dt.datetime(2024, 12, 31)),
                             st.sampled_from([480, 0, -570, 345])),
    **{k: st.one_of(st.integers(-1, 10**6), st.floats(0, 1e6).map(lambda x: round(x, 3)),
                    st.sampled_from([0, 0.0, 2**53, 2**53 + 1, 1.5])) for k in ("value", "added", "numerator", "denominator")},
}


@st.composite
def own_rows(draw):
    """A synthetic ledger's entry as the tool writes it, with up to three fields changed, left out or added."""
    row = lf.entry_to_dict(draw(st.sampled_from(_synthetic()[0])))
    for key in ("by", "note", "source"):
        row[key] = f"synthetic-{key}"
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from(tuple(own_values)))
        if draw(st.integers(0, 3)) == 0:
            row.pop(key, None)
        else:
            row[key] = draw(own_values[key])
    return {k: row[k] for k in FIELDS if k in row}  # in the order written


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(rows(), own_rows()), st.sampled_from(["", "椒江区", "全市"]))
def test_a_block_in_the_tools_own_form_reads_as_the_general_way_reads_it(row, office):
    """The quickest way (the form's texts straight to an entry) against the tool's own form read
    into a table and checked: the same entry, or the same problems with the same lines."""
    import tomli_w

    plan = _plan()
    try:
        text = "[[entries]]\n" + tomli_w.dumps(row) + "\n"
    except (TypeError, ValueError):  # a value TOML cannot hold (a naive time is fine, a dict in a list…)
        return
    quick, general = _both_ways(lf.Block(0, 10, text.encode(), 0), plan, office)
    assert quick == general or (_nan(quick) and _nan(general))


def _both_ways(block, plan, office):
    """(entry, problems, cut short) of a block read the quickest way where it can be, and the general way."""
    def read():
        try:
            parsed = lf.parse_block(block, "f", plan, office)
        except lf.NotBlockwise:
            return "not blockwise"
        except TypeError:
            return "TypeError"
        return parsed.entry, [p.render("en") for p in parsed.problems], parsed.cut_short

    return _fast_and_general(read, toml, "entry_groups", lambda text: None)


@pytest.mark.parametrize("office", ["", "椒江区", "全市"])
def test_edge_values_read_the_quickest_way_as_the_general_way_reads_them(office):
    import itertools

    import tomli_w

    plan = _plan()
    base = lf.entry_to_dict(next(e for e in _synthetic()[0] if e.county and e.value is not None and e.id > 3))
    grid = itertools.product([None, 1, 0, -1, "椒江区#3", "全市#1", "#1", "椒江区#0"], [False, True],
                             [" ", "\u3000", "椒江区"], [None, -1, 0, 1], [-1, 0, 2**53 + 1, 7.5])
    for supersedes, for_city, county, batch_size, value in grid:
        row = dict(base, county=county, value=value, for_city=for_city)
        row.update({k: v for k, v in (("supersedes", supersedes), ("batch_size", batch_size)) if v is not None})
        if supersedes is not None:
            row["reason"] = "synthetic-reason"
        row = {k: row[k] for k in FIELDS if k in row}
        quick, general = _both_ways(lf.Block(0, 10, ("[[entries]]\n" + tomli_w.dumps(row) + "\n").encode(), 0), plan,
                                    office)
        assert quick == general, row


def test_entries_as_the_tool_writes_them_take_the_quickest_way(monkeypatch):
    """What the property above compares is the quick way: the synthetic ledger's blocks are read
    with the table readers out of reach."""
    plan = _plan()
    entries, data = _synthetic()
    _, blocks = lf.split(data)

    def unreachable(text):
        raise AssertionError("read the general way")

    monkeypatch.setattr(toml, "entry_table", unreachable)
    monkeypatch.setattr(toml, "loads", unreachable)
    read = [lf.parse_block(b, "f", plan, "") for b in blocks]
    assert [p.entry for p in read] == list(entries) and not any(p.problems for p in read)


def test_the_form_read_quickly_names_its_texts_in_the_order_they_are_unpacked():
    assert toml.GROUPS == ("id", "indicator", "county", "as_of", "value", "added", "numerator", "denominator", "state",
                           "supersedes", "supersedes", "void", "for_city", "reason", "note", "source", "batch",
                           "batch_size", "by", "recorded_at")


def _nan(result) -> bool:
    """An entry holding NaN is not equal to itself (never an entry: NaN is refused)."""
    return not isinstance(result, str) and result[0] is not None and any(
        isinstance(v, float) and math.isnan(v) for v in (result[0].value, result[0].numerator))


@settings(max_examples=300)
@given(st.builds(lambda e, office, target: (e, office, target), st.builds(
    lambda i, ind, day, value, state, sup, void: (i, ind, day, "synthetic", dt.datetime(2023, 1, 2, tzinfo=TZ), None, value,
                                                  None, None, None, state, sup, void, False, None, None, None, None,
                                                  None, ("r",)),
    st.integers(1, 9), texts, st.dates(), st.one_of(st.none(), st.integers(), st.floats(allow_nan=False)),
    st.sampled_from([None, *lf._STATES.values()]), st.one_of(st.none(), st.integers(1, 9)), st.booleans()),
    texts, st.one_of(st.none(), texts)))
def test_the_quick_entry_constructor_makes_the_same_entry(args):
    from eduplan.core.models import Entry, new_entry

    fields, office, target = args
    quick, made = new_entry(*fields, office, target), Entry(*fields, office, target)
    assert quick == made and hash(quick) == hash(made) and repr(quick) == repr(made) and type(quick) is Entry
    with pytest.raises(AttributeError):
        quick.id = 2  # still frozen


def test_the_stages_bench_times_every_stage_of_a_rebuild(tmp_path):
    """``bench/stages.py`` reaches into the block reader's private parts to time each stage:
    it must still run, and find every synthetic entry in the tool's own form, when they change."""
    ledger = tmp_path / "synthetic.toml"
    ledger.write_bytes(_synthetic(300)[1])
    script = Path(__file__).resolve().parents[1] / "bench" / "stages.py"
    done = subprocess.run([sys.executable, str(script), str(ledger)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "300 entries (SYNTHETIC)" in done.stdout
    assert "not in the tool's own form" not in done.stdout
    stages = [line for line in done.stdout.splitlines()[2:] if line.strip()]
    assert [s.rsplit(None, 2)[0].strip() for s in stages] == [
        "cut into blocks, each hashed (split)", "of which the hashes (digest)", "text decoded",
        "the tool's own form (the pattern)", "entry made from the texts",
        "rules: the fields together (shape_problems)", "rules: the entry and the plan",
        "parse_block, all of the above but the cut", "row made for SQLite (to_row)",
        "rows inserted (an index in memory)"]
    assert all(float(s.split()[-1]) >= 0 for s in stages)
