"""The ledger: record, correct, void, log — and no figure ever lost.

All figures are SYNTHETIC test data."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from eduplan.errors import EduplanError
from eduplan.services import record
from eduplan.store.ledger import read_plain
from eduplan.store.planfile import load_plan

from helpers import entries, ws_for

from conftest import SYNTHETIC_PLAN

PLAN_PATH = Path(tempfile.mkdtemp(prefix="eduplan-plan-")) / "plan.toml"  # for property tests (no fixtures)
PLAN_PATH.write_text(SYNTHETIC_PLAN, encoding="utf-8")


# --------------------------------------------------------------------------- recording


def test_record_prints_what_it_stored(run, synthetic_plan_path, ledger_path):
    out = run.ok("record", "new-places", "0.5万", "--as-of", "2023-06-30", "--county", "椒江区", lang="en").stdout
    assert out.strip() == "recorded #1 new-places New school places = 5000个 (椒江区, as of 2023-06-30)"
    out = run.ok("record", "new-places", "0.6万", "--as-of", "2023-07-31", "--county", "椒江").stdout
    assert out.strip().splitlines() == ["已填报 #2 new-places 新增学位 = 6000个（椒江区，截至 2023-07-31）",
                                        "（“椒江”按 椒江区 处理）"]
    entry = run.json("log")[-1]
    assert entry["value"] == 5000 and entry["county"] == "椒江区" and entry["by"] == "tester"
    assert "new-places" in ledger_path.read_text(encoding="utf-8")


def test_missing_ledger_is_empty_and_created_on_first_record(run, synthetic_plan_path, ledger_path):
    assert not ledger_path.exists()
    assert run.json("log") == []
    run.ok("record", "new-kindergartens", "3", "--as-of", "2023-03-31")
    assert ledger_path.exists()


def test_ledger_location_order(run, synthetic_plan_path, tmp_path, monkeypatch):
    explicit = tmp_path / "explicit.toml"
    run.ok("record", "new-kindergartens", "1", "--as-of", "2023-03-31", "--ledger", explicit)
    assert explicit.exists() and not (tmp_path / "ledger.toml").exists()
    run.ok("record", "new-kindergartens", "2", "--as-of", "2023-03-31")  # EDUPLAN_LEDGER
    assert (tmp_path / "ledger.toml").exists()
    monkeypatch.delenv("EDUPLAN_LEDGER")
    run.ok("record", "new-kindergartens", "3", "--as-of", "2023-03-31")
    assert (tmp_path / "data" / "eduplan" / "synthetic-2023.ledger.toml").exists()  # XDG default


@pytest.mark.parametrize("indicator, text, county, expect", [
    ("new-kindergartens", "12", None, {"value": 12}),
    ("new-places", "1,234", None, {"value": 1234}),
    ("new-places", "0.35万", "黄岩区", {"value": 3500}),
    ("public-share", "56%", None, {"value": 56}),
    ("public-share", "56", None, {"value": 56}),
    ("public-share", "12000/21000", "路桥区", {"numerator": 12000, "denominator": 21000}),
    ("platform-online", "完成", None, {"state": "done"}),
    ("platform-online", "in-progress", None, {"state": "in-progress"}),
    ("platform-online", "未开始", None, {"state": "not-started"}),
    ("counselling-counties", "done", "椒江区", {"state": "done"}),
    ("standard-counties", "进行中", "临海市", {"state": "in-progress"}),
])
def test_value_forms(run, synthetic_plan_path, indicator, text, county, expect):
    args = ["record", indicator, text, "--as-of", "2023-06-30"] + (["--county", county] if county else [])
    run.ok(*args)
    entry = run.json("log")[0]
    for key, value in expect.items():
        assert entry[key] == value


def test_ratio_value_is_the_percentage(run, synthetic_plan_path):
    run.ok("record", "public-share", "400/1000", "--county", "椒江区", "--as-of", "2023-06-30")
    assert run.json("log")[0]["value"] == 40


def test_add_records_an_increment_on_the_latest_total(run, synthetic_plan_path):
    run.ok("record", "new-kindergartens", "10", "--as-of", "2023-05-31", "--county", "椒江区")
    out = run.ok("record", "new-kindergartens", "--add", "3", "--as-of", "2023-06-30", "--county", "椒江区").stdout
    assert "+3所" in out and "（累计现为 13所）" in out
    run.ok("record", "new-kindergartens", "--add", "2", "--as-of", "2023-06-30", "--county", "黄岩区")
    stored = [(e["county"], e["value"], e["added"]) for e in run.json("log")]
    assert stored[:2] == [("黄岩区", None, 2), ("椒江区", None, 3)]  # stored as what was typed: increments

    def figures(day):
        row = next(i for i in run.json("status", "--as-of", day)["indicators"] if i["id"] == "new-kindergartens")
        return {c["county"]: c["value"] for c in row["counties"]}

    assert figures("2023-06-30") == {"椒江区": 13, "黄岩区": 2}
    assert figures("2023-05-31") == {"椒江区": 10}
    run.ok("correct", "1", "11", "--reason", "synthetic: the May total was 11")  # the increment stays on top
    assert figures("2023-06-30") == {"椒江区": 14, "黄岩区": 2}
    run.ok("correct", "2", "4", "--reason", "synthetic: 4 new ones, not 3")  # an increment corrected as one
    assert run.json("log")[0]["added"] == 4
    assert figures("2023-06-30") == {"椒江区": 15, "黄岩区": 2}
    run.ok("record", "new-kindergartens", "20", "--as-of", "2023-07-31", "--county", "椒江区")  # a new total
    assert figures("2023-07-31") == {"椒江区": 20, "黄岩区": 2}
    run.ok("void", "3", "--reason", "synthetic: not ours")
    assert figures("2023-06-30") == {"椒江区": 15}
    run.fails(1, "record", "public-share", "--add", "3", "--as-of", "2023-06-30")


flow_values = st.one_of(
    st.integers(min_value=0, max_value=10**12).map(lambda v: (str(v), v)),
    st.integers(min_value=0, max_value=10**12).map(lambda v: (f"{v:,}", v)),
    st.integers(min_value=0, max_value=10**6).map(lambda v: (f"{v / 10}万", v * 1000)),
    st.integers(min_value=0, max_value=10**5).map(lambda v: (f"{v}亿", v * 10**8)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=flow_values, county=st.sampled_from([None, "椒江区", "三门县"]))
def test_any_value_written_is_read_back_equal(synthetic_plan, value, county):
    text, expected = value
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "l.toml"
        entry = record(ws_for(PLAN_PATH, ledger), "new-places", text, as_of=dt.date(2023, 6, 30), county=county,
                       force=True).entry  # storage, not plausibility: far beyond the target is accepted
        back = entries(ledger, synthetic_plan)
        assert back == [entry]
        assert back[0].value == expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(num=st.integers(min_value=0, max_value=10**7), extra=st.integers(min_value=0, max_value=10**7))
def test_ratios_round_trip(synthetic_plan, num, extra):
    den = num + extra
    if den == 0:
        return
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "l.toml"
        entry = record(ws_for(PLAN_PATH, ledger), "public-share", f"{num}/{den}", as_of=dt.date(2023, 6, 30),
                       county="椒江区").entry
        back = entries(ledger, synthetic_plan)[0]
        assert back == entry and (back.numerator, back.denominator) == (num, den)
        assert back.value == pytest.approx(100 * num / den)


# text a person can type: any printable character, new lines and tabs (control characters are refused)
hostile = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029")
                  | st.sampled_from("\n\t"), min_size=1).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.one_of(hostile, st.sampled_from([
    'he said "done"', "line1\nline2", "]]", "[[entries]]\nid = 99\nindicator = \"new-places\"",
    "\n[[entries]]\n", "back\\slash", "'''", '"""', "=HYPERLINK(\"http://x\")", "tab\there\n",
])))
def test_notes_round_trip_exactly_and_cannot_inject_entries(synthetic_plan, note):
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "l.toml"
        record(ws_for(PLAN_PATH, ledger), "new-places", "5", as_of=dt.date(2023, 6, 30), note=note, source=note)
        back = entries(ledger, synthetic_plan)
        assert len(back) == 1
        assert back[0].note == note and back[0].source == note


# --------------------------------------------------------------------------- corrections


def test_correct_and_void_append_and_keep_history(run, synthetic_plan_path, ledger_path):
    run.ok("record", "new-kindergartens", "13", "--as-of", "2023-06-30", "--county", "椒江区")
    run.ok("record", "new-kindergartens", "5", "--as-of", "2023-06-30", "--county", "黄岩区")
    before = ledger_path.read_bytes()
    out = run.ok("correct", "1", "14", "--reason", "typo in the notice", lang="en").stdout
    assert "corrects #1" in out
    assert ledger_path.read_bytes().startswith(before)  # appended, nothing edited
    said = run.ok("void", "2", "--reason", "duplicate report", lang="en").stdout
    assert said.startswith("recorded a void: #4 new-kindergartens") and "voids #2" in said
    assert "= void" not in said  # a void has no figure of its own
    log = run.json("log")
    assert [e["id"] for e in log] == [4, 3, 2, 1]
    assert log[0]["void"] is True and log[0]["supersedes"] == 2 and log[0]["reason"] == "duplicate report"
    assert log[1]["supersedes"] == 1 and log[1]["value"] == 14
    assert log[3]["superseded_by"] == 3 and log[2]["superseded_by"] == 4
    for key in ("id", "indicator", "value", "as_of", "county", "recorded_at", "by", "note", "supersedes", "void"):
        assert key in log[0]
    doc = run.json("status", "--as-of", "2023-06-30")
    row = next(i for i in doc["indicators"] if i["id"] == "new-kindergartens")
    assert row["actual"] == 14  # the correction counts, the voided county does not


def test_correct_a_correction(run, synthetic_plan_path):
    run.ok("record", "new-kindergartens", "13", "--as-of", "2023-06-30")
    run.ok("correct", "1", "14", "--reason", "r1")
    bad = run.fails(1, "correct", "1", "15", "--reason", "r2", lang="en")
    assert "already corrected by entry #2" in bad.stderr
    run.ok("correct", "2", "15", "--reason", "r2")
    assert run.json("status", "--as-of", "2023-06-30")["indicators"][0]["actual"] == 15


def test_log_filters(run, synthetic_plan_path):
    run.ok("record", "new-kindergartens", "1", "--as-of", "2023-03-31", "--county", "椒江区")
    run.ok("record", "new-kindergartens", "2", "--as-of", "2023-06-30", "--county", "黄岩区")
    run.ok("record", "new-places", "200", "--as-of", "2023-06-30", "--county", "黄岩区")
    assert [e["id"] for e in run.json("log", "new-kindergartens")] == [2, 1]
    assert [e["id"] for e in run.json("log", "--county", "黄岩区")] == [3, 2]
    assert [e["id"] for e in run.json("log", "--since", "2023-04-01")] == [3, 2]
    csv_text = run.ok("log", "--format", "csv", lang="en").stdout
    assert csv_text.startswith("\ufeffentry,office,id,indicator")
    assert "2023-03-31" in run.ok("log").stdout


# --------------------------------------------------------------------------- bad input changes nothing


D = ["--as-of", "2023-06-30"]
BAD_INPUTS = [
    (["record", "new-kindergarten", "3", *D], 1, "did you mean: new-kindergartens"),
    (["record", "new-kindergartens", "abc", *D], 1, "not a number"),
    (["record", "new-kindergartens", "nan", *D], 1, "not a number"),
    (["record", "new-kindergartens", "inf", *D], 1, "not a number"),
    (["record", "new-kindergartens", "1e999", *D], 1, "scientific notation"),
    (["record", *D, "new-kindergartens", "--", "-3"], 1, "negative"),
    (["record", "public-share", "120%", *D], 1, "above 100"),
    (["record", "public-share", "1200/1000", *D], 1, "larger than the denominator"),
    (["record", "new-kindergartens", "done", *D], 1, "record a number"),
    (["record", "new-kindergartens", "56%", *D], 1, "percentage"),
    (["record", "platform-online", "3", *D], 1, "done, in-progress or not-started"),
    (["record", "platform-online", "done", "--county", "椒江区", *D], 1, "city-wide milestone"),
    (["record", "counselling-counties", "3", "--county", "椒江区", *D], 1, "done, in-progress or not-started"),
    (["record", "new-places", "12000/21000", *D], 1, "only percentage levels"),
    (["record", "new-kindergartens", "3", "--as-of", "2023-02-30"], 1, "not a date"),
    (["record", "new-kindergartens", "3", "--as-of", "last tuesday"], 1, "not a date"),
    (["record", "new-kindergartens", "3", "--as-of", "2024-01-01"], 1, "outside the plan period 2023-01-01 to 2023-12-31"),
    (["record", "new-kindergartens", "3"], 1, "outside the plan period"),  # today (2024-03-05 here) is past the plan
    (["record", "new-kindergartens", "3", "--county", "杭州市", *D], 1, "unknown county-level unit"),
    (["record", "new-kindergartens", *D], 2, "value: give either a value or an amount to add"),
    (["record", "new-kindergartens", "3", "--add", "2", *D], 2, "value: give either a value or an amount to add"),
    (["record", "public-share", "--add", "2", *D], 1, "--add: only an accumulating figure can be added to"),
    (["correct", "99", "3", "--reason", "x"], 1, "there is no entry #99"),
    (["correct", "1", "3"], 2, "--reason is missing"),
    (["correct", "1", "3", "--reason", "  "], 2, "--reason: a correction needs a reason"),
    (["correct", "2", "abc", "--reason", "x"], 1, "not a number"),
    (["correct", "two", "3", "--reason", "x"], 1, "is not an entry"),
    (["void", "99", "--reason", "x"], 1, "there is no entry #99"),
    (["record", "new-kindergartens", "3", "--bogus"], 2, "no such option: --bogus"),
    (["status", "--as-of", "2023-13-01"], 1, "--as-of: '2023-13-01' is not a date"),
    (["status", "--section", "nope"], 1, "--section: unknown section 'nope'"),
]


@pytest.mark.parametrize("args, code, message", BAD_INPUTS)
def test_bad_input_is_refused_and_changes_nothing(run, synthetic_plan_path, ledger_path, args, code, message,
                                                   monkeypatch):
    from eduplan.services import workspace

    monkeypatch.setattr(workspace, "now", lambda: dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    run.ok("record", "new-kindergartens", "1", "--as-of", "2023-03-31")
    run.ok("correct", "1", "2", "--reason", "x")
    before = ledger_path.read_bytes()
    result = run.fails(code, *args, lang="en")
    assert message in result.stderr
    assert ledger_path.read_bytes() == before
    zh = run.fails(code, *args)  # the same refusal in Chinese: no English sentence in it
    assert message not in zh.stderr
    assert ledger_path.read_bytes() == before


@pytest.mark.parametrize("as_of, day", [("6月底", "2025-06-30"), ("六月底", "2025-06-30"), ("上半年末", "2025-06-30"),
                                         ("10月31日", "2024-10-31"), ("年底", "2024-12-31"), ("全年", "2025-08-31")])
def test_a_school_year_plan_takes_a_date_without_its_year_in_the_period(run, school_year_plan_path, ledger_path,
                                                                        as_of, day):
    # before: every short date took the plan's year 2024, so 6月底 was 2024-06-30, "not in the plan period"
    said = run.ok("record", "new-places", "3000", "--as-of", as_of, "--county", "椒江").stdout
    assert f"截至 {day}" in said
    assert [e.as_of.isoformat() for e in entries(ledger_path, load_plan(school_year_plan_path))] == [day]


def test_a_school_year_plan_refuses_midyear_and_leaves_the_ledger_as_it_was(run, school_year_plan_path, ledger_path):
    run.ok("record", "new-places", "1000", "--as-of", "2024-10-31", "--county", "椒江")
    before = ledger_path.read_bytes()
    err = run.fails(1, "record", "new-places", "3000", "--as-of", "年中", "--county", "椒江").stderr
    assert "--as-of: 计划期（2024-09-01 至 2025-08-31）不是一个日历年度，“年中”所指不明" in err
    assert "2025-02-28" in err and "2025-06-30" in err and ledger_path.read_bytes() == before


def test_record_after_the_period_without_as_of_says_the_period_and_how_to_give_the_date(
        run, school_year_plan_path, ledger_path, monkeypatch):
    from eduplan.services import workspace

    monkeypatch.setattr(workspace, "now", lambda: dt.datetime(2025, 11, 29, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    run.ok("record", "new-places", "1000", "--as-of", "2024-10-31", "--county", "椒江")
    before = ledger_path.read_bytes()
    zh = run.fails(1, "record", "new-places", "3000", "--county", "椒江").stderr
    assert "--as-of: 今天（2025-11-29）不在计划期 2024-09-01 至 2025-08-31 之内：请用 --as-of 写明数据的截至日期" in zh
    en = run.fails(1, "record", "new-places", "3000", "--county", "椒江", lang="en").stderr
    assert "today (2025-11-29) is outside the plan period 2024-09-01 to 2025-08-31: give the date the figure is as " \
           "of with --as-of" in en
    assert ledger_path.read_bytes() == before
    assert "截至 2025-08-31" in run.ok("record", "new-places", "3000", "--county", "椒江", "--as-of", "全年").stdout


def test_correcting_a_superseded_or_voided_entry_is_refused(run, synthetic_plan_path, ledger_path):
    run.ok("record", "new-kindergartens", "1", "--as-of", "2023-03-31")
    run.ok("void", "1", "--reason", "wrong")
    before = ledger_path.read_bytes()
    for args, message in ((["correct", "1", "3", "--reason", "x"], "already voided"),
                          (["void", "1", "--reason", "x"], "already voided"),
                          (["correct", "2", "3", "--reason", "x"], "itself a void")):
        result = run.fails(1, *args, lang="en")
        assert message in result.stderr
    assert ledger_path.read_bytes() == before


def test_future_date_is_refused(synthetic_plan_path, ledger_path):
    ws = ws_for(synthetic_plan_path, ledger_path, today=dt.date(2023, 3, 1))
    with pytest.raises(EduplanError) as err:
        record(ws, "new-kindergartens", "3", as_of=dt.date(2023, 6, 30))
    assert "in the future" in err.value.render("en") and err.value.field == "as_of"
    assert not ledger_path.exists()


LEDGER_HEAD = "# eduplan ledger\nschema_version = 1\n"
GOOD_ENTRY = ('\n[[entries]]\nid = {id}\nindicator = "new-kindergartens"\nas_of = 2023-03-31\nvalue = 1\n'
              'by = "tester"\nrecorded_at = 2023-04-01 09:00:00+08:00\n')


@pytest.mark.parametrize("body, needle, message", [
    (GOOD_ENTRY.format(id=1) + "\n[[entries]]\nid = 2\nindicator = \"new-kindergartens\nvalue = 1\n", 'indicator = "new-kindergartens\n', "TOML syntax"),
    (GOOD_ENTRY.format(id=1) + GOOD_ENTRY.format(id=1) + GOOD_ENTRY.format(id=3), "id = 1\n", "duplicate entry id 1"),
    (GOOD_ENTRY.format(id=1).replace("new-kindergartens", "no-such-thing"), "no-such-thing", "unknown indicator"),
    (GOOD_ENTRY.format(id=1).replace("value = 1", "value = -4"), "value = -4", "value must not be negative"),
    (GOOD_ENTRY.format(id=1).replace("2023-03-31", "2022-03-31") + GOOD_ENTRY.format(id=2), "2022-03-31", "outside the plan period"),
    (GOOD_ENTRY.format(id=1) + GOOD_ENTRY.format(id=2).replace("value = 1", "value = 1\nsupersedes = 7\nreason = \"x\""), "supersedes = 7", "supersede an earlier entry"),
    (GOOD_ENTRY.format(id=1) + GOOD_ENTRY.format(id=2).replace("value = 1", "value = 1\nsupersedes = 1\nreason = \"x\"").replace("new-kindergartens", "new-places"), "supersedes = 1", "is for new-kindergartens"),
    # a malformed reference: explained with a generic office (OFFICE#12), not one plan's county
    (GOOD_ENTRY.format(id=1) + GOOD_ENTRY.format(id=2).replace("value = 1", "value = 1\nsupersedes = \"1#x\"\nreason = \"x\""), 'supersedes = "1#x"', "another office's (OFFICE#12)"),
    # a table typed after the entries, and an unknown key at the top: each named on its line
    (GOOD_ENTRY.format(id=1) + "\n[extra]\nx = 1\n", "[extra]", "'extra' is not part of a ledger"),
    (GOOD_ENTRY.format(id=1).replace("[[entries]]", "color = 1\n\n[[entries]]", 1), "color = 1", "unknown key 'color'"),
])
def test_broken_ledger_is_named_and_never_written(run, synthetic_plan_path, ledger_path, body, needle, message):
    text = LEDGER_HEAD + body
    ledger_path.write_text(text, encoding="utf-8")
    # the line the problem is on: the needle's last occurrence (the broken entry comes last or is named)
    line = text[: text.rindex(needle) if needle != "id = 1\n" else text.index(needle, text.index(needle) + 1)].count("\n") + 1
    before = ledger_path.read_bytes()
    result = run.fails(1, "validate", lang="en")
    assert f"{ledger_path}:{line}:" in result.stderr and message in result.stderr, (line, result.stderr)
    assert "incomplete" not in result.stderr or message == "TOML syntax"
    for args in (["record", "new-kindergartens", "3", "--as-of", "2023-06-30"], ["status"], ["void", "1", "--reason", "x"]):
        result = run.fails(1, *args)
        assert str(ledger_path) in result.stderr
    assert ledger_path.read_bytes() == before


def _make_unwritable(path: Path) -> bool:
    """Read-only for real: chmod for a normal user; the immutable flag for root (who ignores chmod)."""
    if os.geteuid() != 0:
        path.chmod(0o555 if path.is_dir() else 0o444)
        return True
    return subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0


def _undo_unwritable(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_ledger_or_folder(run, synthetic_plan_path, ledger_path, what):
    run.ok("record", "new-kindergartens", "1", "--as-of", "2023-03-31")
    (ledger_path.parent / "ledger.toml.lock").unlink(missing_ok=True)
    target = ledger_path if what == "file" else ledger_path.parent
    if not _make_unwritable(target):
        pytest.skip("cannot make a file read-only here")
    try:
        before = ledger_path.read_bytes()
        result = run.fails(1, "record", "new-kindergartens", "2", "--as-of", "2023-06-30", lang="en")
        assert "read-only" in result.stderr or "permission denied" in result.stderr
        assert ledger_path.read_bytes() == before
        assert run("status", "--format", "json").exit_code == 0  # reading still works
    finally:
        _undo_unwritable(target)


# --------------------------------------------------------------------------- concurrency and crashes

WRITER = textwrap.dedent("""
    import datetime as dt, sys
    from eduplan.services import Workspace, record
    plan, ledger = sys.argv[1], sys.argv[2]
    worker, count = int(sys.argv[3]), int(sys.argv[4])
    now = dt.datetime(2023, 12, 31, 9, tzinfo=dt.timezone.utc)
    for i in range(count):
        record(Workspace(plan, ledger, f"worker-{worker}", now), "new-kindergartens", str(i),
               as_of=dt.date(2023, 6, 30), note=f"w{worker}-{i}", force=True)
        print(i, flush=True)
""")


def test_eight_concurrent_writers_lose_nothing(synthetic_plan_path, synthetic_plan, ledger_path, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    procs = [subprocess.Popen([sys.executable, str(script), str(synthetic_plan_path), str(ledger_path), str(w), "25"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for w in range(8)]
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err.decode()
    found = entries(ledger_path, synthetic_plan)
    assert len(found) == 200
    assert [e.id for e in found] == list(range(1, 201))
    assert {e.note for e in found} == {f"w{w}-{i}" for w in range(8) for i in range(25)}


def test_writer_killed_mid_stream_leaves_a_readable_ledger(run, synthetic_plan_path, synthetic_plan, ledger_path, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    proc = subprocess.Popen([sys.executable, str(script), str(synthetic_plan_path), str(ledger_path), "0", "100000"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for _ in range(15):  # let it write a while
        proc.stdout.readline()
    time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    result = run("validate")
    if result.exit_code != 0:  # a torn tail: repair must restore every complete entry
        run.ok("repair")
        result = run.ok("validate")
    found = entries(ledger_path, synthetic_plan)
    assert len(found) >= 15
    assert [e.id for e in found] == list(range(1, len(found) + 1))
    run.ok("record", "new-kindergartens", "1", "--as-of", "2023-06-30", "--force")  # and recording goes on


def test_torn_tail_at_every_byte_is_named_and_repaired(run, synthetic_plan_path, synthetic_plan, ledger_path, tmp_path):
    """A write cut at any byte: the reader names it as an incomplete end at every cut; the
    command line refuses to write and repairs it at a sample of cuts."""
    for i in range(3):
        run.ok("record", "new-kindergartens", str(i), "--as-of", f"2023-{4 + i:02d}-30", "--note", f"n{i}")
    full = ledger_path.read_bytes()
    run.ok("record", "public-share", "400/1000", "--as-of", "2023-06-30", "--county", "椒江区", "--note", "last one")
    complete = ledger_path.read_bytes()
    tail = complete[len(full):]
    torn_cuts = []
    for cut in range(1, len(tail)):
        ledger_path.write_bytes(full + tail[:cut])
        found, sync = read_plain(ledger_path, synthetic_plan)
        if not sync.problems:
            # a cut may load only if it loses nothing: no part of the new entry, or all of it
            # (at most its final newline missing)
            if len(found) == 3:
                assert tail[:cut].strip() == b"", cut
            else:
                assert len(found) == 4 and cut >= len(tail) - 1, cut
            continue
        assert sync.torn and sync.cut is not None, (cut, tail[:cut], [p.render("en") for p in sync.problems])
        torn_cuts.append(cut)
    assert len(torn_cuts) > 100
    for cut in torn_cuts[:: max(1, len(torn_cuts) // 8)]:
        ledger_path.write_bytes(full + tail[:cut])
        result = run.fails(1, "validate", lang="en")
        assert "incomplete" in result.stderr and "eduplan repair" in result.stderr, (cut, result.stderr)
        run.fails(1, "record", "new-kindergartens", "9", "--as-of", "2023-06-30")
        assert ledger_path.read_bytes() == full + tail[:cut]
        out = run.ok("repair", lang="en").stdout
        assert "3 complete entries kept" in out
        assert ledger_path.read_bytes().rstrip(b"\n") == full.rstrip(b"\n")
        run.ok("validate")
        saved = sorted(tmp_path.glob("ledger.toml.torn-*"))
        assert saved and saved[-1].read_bytes().strip() == tail[:cut].strip()
        for f in saved:
            f.unlink()


def test_repair_refuses_damage_before_the_last_entry(run, synthetic_plan_path, ledger_path):
    ledger_path.write_text(LEDGER_HEAD + GOOD_ENTRY.format(id=1).replace("value = 1", "value = oops") + GOOD_ENTRY.format(id=2), encoding="utf-8")
    before = ledger_path.read_bytes()
    result = run.fails(1, "repair", lang="en")
    assert "fix these by hand" in result.stderr
    assert ledger_path.read_bytes() == before


@pytest.mark.parametrize("typed", ["this is not toml\n", "\nthis is not toml\n", "x = \n"])
def test_a_line_typed_after_the_last_whole_entry_is_not_a_torn_end(run, synthetic_plan_path, ledger_path, typed):
    """A line typed by hand after the last entry was called an end cut short, and repair cut
    the whole last entry off with it. A write is never cut after its recorded_at (written
    last): this is a hand edit, named by its line, and repair refuses it."""
    ledger_path.write_text(LEDGER_HEAD + GOOD_ENTRY.format(id=1) + GOOD_ENTRY.format(id=2) + typed, encoding="utf-8")
    before = ledger_path.read_bytes()
    line = before.decode().count("\n") - typed.count("\n") + typed.count("\n", 0, typed.index("x" if "x" in typed else "t")) + 1
    err = run.fails(1, "validate", lang="en").stderr
    assert f"{ledger_path}:{line}:" in err and "cut short" not in err and "repair" not in err, err
    assert "fix these by hand" in run.fails(1, "repair", lang="en").stderr
    assert ledger_path.read_bytes() == before


@pytest.mark.parametrize("old, new", [
    ("as_of = 2023-03-31", "as_of = 2023-02-30"),  # no such day
    ("value = 1", 'value = 1\nnote = "a quote left open'),
    ("value = 1", "value = 1 2"),
])
def test_a_mistake_typed_in_the_last_whole_entry_is_not_a_torn_end(run, synthetic_plan_path, ledger_path, old, new):
    """The last entry, written to its end (its zoned recorded_at, which this tool writes last,
    whole on its line), with a mistake typed into it: its TOML does not read. That was called
    an end cut short by a crash, and `repair` offered to cut the whole entry off. It is a hand
    edit: named by its line, and `repair` refuses it and leaves the file as it was."""
    last = GOOD_ENTRY.format(id=2).replace(old, new)
    ledger_path.write_text(LEDGER_HEAD + GOOD_ENTRY.format(id=1) + last, encoding="utf-8")
    before = ledger_path.read_bytes()
    err = run.fails(1, "validate", lang="en").stderr
    assert "TOML syntax" in err and "cut short" not in err and "repair" not in err, err
    assert "fix these by hand" in run.fails(1, "repair", lang="en").stderr
    assert ledger_path.read_bytes() == before
    assert "台账末尾不完整" not in run.fails(1, "status").stderr


CORRECTION = ('\n[[entries]]\nid = {id}\nindicator = "new-kindergartens"\nas_of = 2023-03-31\nvalue = 2\n'
              'supersedes = {target}\nreason = "synthetic"\nby = "tester"\nrecorded_at = 2023-04-02 09:00:00+08:00\n')


@pytest.mark.parametrize("old, new, words", [
    ('by = "tester"\n', "", "the field 'by' is missing"),
    ("value = 1", "value = -1", "must not be negative"),
    ("value = 1", "value = 1 1", "TOML syntax"),
])
@pytest.mark.parametrize("appended", [False, True], ids=["read whole", "appended to an indexed file"])
def test_a_correction_of_an_entry_with_a_problem_names_only_that_problem(run, synthetic_plan_path, ledger_path,
                                                                       old, new, words, appended):
    """Entry 2 has a mistake; entry 3 corrects it. Only entry 2's mistake is named: entry 3
    was also said to correct 'an entry that does not exist before it', which sent the reader
    looking for an entry that is there."""
    good = LEDGER_HEAD + GOOD_ENTRY.format(id=1)
    if appended:
        ledger_path.write_text(good, encoding="utf-8")
        run.ok("validate")  # indexed: what follows is read as an appended tail
    text = good + GOOD_ENTRY.format(id=2).replace(old, new, 1) + CORRECTION.format(id=3, target=2)
    ledger_path.write_text(text, encoding="utf-8")
    err = run.fails(1, "validate", lang="en").stderr
    assert words in err and "does not exist" not in err and "entries[3]" not in err, err
    ledger_path.write_text(good + CORRECTION.format(id=5, target=3), encoding="utf-8")  # no entry 3: still named
    assert "entry 3 does not exist before entry 5" in run.fails(1, "validate", lang="en").stderr


@pytest.mark.parametrize("typed, said, zh", [
    ("2023-3-31", "a date is written with two digits for the month and the day: 2023-03-31, not 2023-3-31",
     "日期的月和日各写两位：应写 2023-03-31，而不是 2023-3-31"),
    ("2023-13-31", "'2023-13-31' is not a date in the calendar", "“2023-13-31”不是日历上的日期"),
    ("2023-02-30", "'2023-02-30' is not a date in the calendar", "“2023-02-30”不是日历上的日期"),
])
def test_a_date_typed_as_people_write_it_is_named_for_what_it_is(run, synthetic_plan_path, ledger_path, typed, said,
                                                                 zh):
    """TOML reads 2023-3-31 as the number 2023 followed by junk, and tomli said only 'expected a new
    line after the value (column 13)': the reader is told what is wrong with the date, at its line."""
    text = LEDGER_HEAD + GOOD_ENTRY.format(id=1) + GOOD_ENTRY.format(id=2).replace("as_of = 2023-03-31", f"as_of = {typed}")
    ledger_path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"as_of = {typed}") + 1
    err = run.fails(1, "validate", lang="en").stderr
    assert f"{ledger_path}:{line}: TOML syntax: {said}" in err and "repair" not in err, err
    assert f"{ledger_path}:{line}: TOML 语法：{zh}" in run.fails(1, "status").stderr


def test_repair_on_a_good_ledger_does_nothing(run, synthetic_plan_path, ledger_path):
    run.ok("record", "new-kindergartens", "1", "--as-of", "2023-03-31")
    before = ledger_path.read_bytes()
    assert "nothing to repair" in run.ok("repair", lang="en").stdout
    assert ledger_path.read_bytes() == before


@pytest.mark.parametrize("width", [80, 120])
def test_log_table_shows_names_and_fits_any_width(run, synthetic_plan_path, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    run.ok("record", "counselling-counties", "done", "--county", "椒江区", "--as-of", "2023-03-31")
    run.ok("record", "public-share", "400/1000", "--county", "椒江区", "--as-of", "2023-03-31", "--note", "synthetic")
    run.ok("correct", "2", "410/1000", "--reason", "typo")
    out = run.ok("log").stdout
    assert "建成心理辅导中心的县" in out and "公办园在园幼儿占比" in out and "更正 #2：typo" in out
    assert "counselling-counties" not in out  # names for people, ids in JSON
    from rich.cells import cell_len
    assert all(cell_len(line) <= width for line in out.splitlines())


@pytest.mark.parametrize("width", [80, 100])
def test_log_table_keeps_a_name_whole_where_the_width_allows(run, monkeypatch, width):
    """At 80 columns the log cut 党委主要领导教育述职闭环机制 after 13 characters (its column held a
    third of the width) while 17 columns stood empty on the right; a long remark now wraps
    first, and the name stays on one line."""
    monkeypatch.setenv("COLUMNS", str(width))
    run.ok("record", "closed-loop-mechanism", "完成", "--as-of", "2023-06-30")
    run.ok("correct", "1", "进行中", "--reason", "合成示例：年中考评尚未完成，据督查通报更正为进行中，另附说明材料")
    out = run.ok("log").stdout
    assert any("党委主要领导教育述职闭环机制" in line for line in out.splitlines()), out
    assert "合成示例" in out
    from rich.cells import cell_len
    assert all(cell_len(line) <= width for line in out.splitlines())


def test_a_ledger_saved_with_a_bom_still_loads_and_takes_appends(run, synthetic_plan_path, ledger_path):
    """Notepad and some Windows editors save UTF-8 with a byte-order mark."""
    run.ok("record", "new-kindergartens", "1", "--as-of", "2023-03-31")
    ledger_path.write_bytes(b"\xef\xbb\xbf" + ledger_path.read_bytes())
    run.ok("validate")
    run.ok("record", "new-kindergartens", "2", "--as-of", "2023-04-30")
    assert [e["value"] for e in run.json("log")] == [2, 1]


def test_city_wide_state_on_a_counties_indicator_explains_itself(run, synthetic_plan_path):
    result = run.fails(1, "record", "counselling-counties", "done", "--as-of", "2023-06-30")
    assert "--county" in result.stderr


# --------------------------------------------------------------------------- the writer's proof


def _edit_in_place(path: Path, old: bytes, new: bytes) -> None:
    """A hand edit that keeps the size, with the modification time set back."""
    assert len(old) == len(new)
    st = path.stat()
    data = path.read_bytes()
    assert data.count(old) == 1
    path.write_bytes(data.replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_record_sees_a_same_size_hand_edit_with_the_time_set_back(run, synthetic_plan_path, synthetic_plan, ledger_path):
    run.ok("record", "new-kindergartens", "11", "--as-of", "2023-03-31", "--county", "椒江区")
    run.ok("record", "new-places", "7", "--as-of", "2023-03-31")
    run.ok("record", "new-places", "8", "--as-of", "2023-04-30")
    _edit_in_place(ledger_path, b'value = 11', b'value = 12')
    run.ok("record", "new-places", "9", "--as-of", "2023-05-31")
    doc = run.json("status", "--as-of", "2023-05-31")
    assert next(i for i in doc["indicators"] if i["id"] == "new-kindergartens")["actual"] == 12
    assert [e.value for e in entries(ledger_path, synthetic_plan)] == [12, 7, 8, 9]


def test_record_refuses_a_same_size_edit_that_breaks_the_ledger(run, synthetic_plan_path, ledger_path):
    run.ok("record", "new-kindergartens", "11", "--as-of", "2023-03-31")
    run.ok("record", "new-kindergartens", "12", "--as-of", "2023-04-30")
    _edit_in_place(ledger_path, b'value = 11', b'value = xx')
    before = ledger_path.read_bytes()
    result = run.fails(1, "record", "new-kindergartens", "13", "--as-of", "2023-05-31")
    assert f"{ledger_path}:" in result.stderr
    assert ledger_path.read_bytes() == before


def test_a_one_file_ledger_has_no_office_refs(run, ledger_path):
    run.ok("record", "new-public-kindergartens", "3", "--county", "椒江区", "--as-of", "2023-06-30")
    before = ledger_path.read_bytes()
    err = run.fails(1, "correct", "椒江区#1", "4", "--reason", "x", lang="en").stderr
    assert "one file, with no offices" in err and "#1" in err
    assert ledger_path.read_bytes() == before


_BLOCK = ('schema_version = 2\nplan = "synthetic-2023"\nplan_version = "1"\n\n[[entries]]\nid = 1\n'
          'indicator = "new-kindergartens"\ncounty = "椒江区"\nas_of = 2023-03-31\nvalue = 3\nby = "tester"\n'
          'recorded_at = 2023-04-01 09:00:00+08:00\n')
_ANY_TOML = ["[1]", '["done"]', "{ a = 1 }", "true", "1.5", '"x"', "2023-01-01", "2023-01-01 09:00:00+08:00",
             "09:00:00", "-1", "nan", "[]"]


@pytest.mark.parametrize("field", ["id", "indicator", "county", "as_of", "value", "state", "supersedes", "void",
                                   "for_city", "batch_size", "accepted", "note", "recorded_at", "added"])
def test_a_hand_edit_of_any_type_in_any_field_is_a_problem_not_a_crash(synthetic_plan, tmp_path, field):
    """Whatever TOML value a person writes in a field, the ledger is read: the entry, or a
    problem naming the field and its line (a list where a state is expected crashed the checks)."""
    for text in _ANY_TOML:
        lines = [line for line in _BLOCK.splitlines() if not line.startswith(f"{field} =")]
        if field == "state":  # one of value and state
            lines = [line for line in lines if not line.startswith("value =")]
        path = tmp_path / f"{field}.toml"
        path.write_text("\n".join(lines) + f"\n{field} = {text}\n", encoding="utf-8")
        found, sync = read_plain(path, synthetic_plan)
        assert found or sync.problems, (field, text)
        for p in sync.problems:
            assert p.line is not None and p.render("en")


def test_invisible_characters_a_hand_edit_put_in_are_shown_escaped_in_tables(run, ledger_path, synthetic_plan_path):
    """A zero-width space or joiner in a note or a name (put there by a hand edit, or stored before
    the door refused them) printed as nothing at all in a terminal table; a person could not see
    that 王 and 王\\u200b differ. Every invisible character is written as a visible escape."""
    run.ok("record", "new-kindergartens", "1", "--as-of", "2023-06-30", "--note", "合成")
    text = ledger_path.read_text(encoding="utf-8")
    ledger_path.write_text(text.replace('note = "合成"', 'note = "合\\u200b成\\u200d"').replace(
        'by = "tester"', 'by = "王\\u2060"'), encoding="utf-8")
    shown = run.ok("log").stdout + run.ok("show", "new-kindergartens", "--as-of", "2023-06-30").stdout
    assert "合\\u200b成\\u200d" in shown and "王\\u2060" in shown
    assert not any(ch in shown for ch in "\u200b\u200d\u2060")
    assert run.json("log")[0]["note"] == "合\u200b成\u200d"  # JSON keeps what is stored


@pytest.mark.parametrize("fragment", ["[", "[[entr", "[[entries]"])
@pytest.mark.parametrize("last", ["record", "import"])
def test_a_cut_next_entry_line_right_after_a_whole_entry_loses_nothing(run, synthetic_plan_path, ledger_path, tmp_path,
                                                                     fragment, last):
    """A file whose last line had lost its line end (a hand edit) gets the next entry appended
    as ``\\n[[entries]]…`` with no blank line; a write cut there leaves ``[[entr`` right after the
    last entry. The entry (or the whole import it ends) was called incomplete and repair cut it
    off with the fragment. Now only the fragment goes."""
    run.ok("record", "new-kindergartens", "3", "--county", "椒江区", "--as-of", "2023-06-30")
    if last == "import":
        sheet = tmp_path / "s.csv"
        sheet.write_text("指标,数值,县(市、区),截至日期\nnew-kindergartens,4,黄岩区,2023-06-30\n"
                         "new-kindergartens,5,路桥区,2023-06-30\n", encoding="utf-8")
        run.ok("import", sheet)
    else:
        run.ok("record", "new-kindergartens", "4", "--county", "黄岩区", "--as-of", "2023-06-30")
    whole = ledger_path.read_bytes()
    ledger_path.write_bytes(whole[:-1] + b"\n" + fragment.encode())
    err = run.fails(1, "validate", lang="en").stderr
    assert "repair" in err and "an import was cut short" not in err, err  # an incomplete end, not an import cut short
    out = run.ok("repair", lang="en").stdout
    assert f"{2 + (last == 'import')} complete entries kept" in out, out
    assert ledger_path.read_bytes() == whole


def test_two_repairs_in_one_second_each_keep_what_they_cut(run, synthetic_plan_path, synthetic_plan, ledger_path):
    """The cut end is saved beside the ledger under the time of the repair; a second repair in
    the same second was refused, the name being taken. It takes the next free name."""
    import datetime as dt

    from eduplan.store.repair import repair

    run.ok("record", "new-kindergartens", "3", "--as-of", "2023-06-30")
    whole = ledger_path.read_bytes()
    now = dt.datetime(2023, 7, 1, 9, 0, 0, tzinfo=dt.timezone.utc)
    saved = []
    for fragment in (b"\n[[entries]]\nid = 2\n", b"\n[[entries]]\nid = 2\nindicator = \"new-kin"):
        ledger_path.write_bytes(whole + fragment)
        result = repair(ledger_path, synthetic_plan, now)
        assert ledger_path.read_bytes() == whole
        saved.append(result.saved_to)
        assert result.saved_to.read_bytes() == fragment
    assert saved[0] != saved[1] and saved[1].name.endswith("-2")


@pytest.mark.parametrize("tail", ["[[entr", "x", " # and more"])
def test_text_run_on_to_the_last_recorded_at_is_no_torn_end(run, synthetic_plan_path, ledger_path, tail):
    """`recorded_at = 2023-04-01 09:00:00+08:00[[entr` (the file's last line continued by hand):
    the time is whole, so no write was cut there; repair cut the whole entry. It refuses now
    (a comment after the time is TOML and reads)."""
    text = LEDGER_HEAD + GOOD_ENTRY.format(id=1) + GOOD_ENTRY.format(id=2).rstrip("\n") + tail
    ledger_path.write_text(text, encoding="utf-8")
    before = ledger_path.read_bytes()
    if tail.strip().startswith("#"):
        run.ok("validate")
        return
    assert "fix these by hand" in run.fails(1, "repair", lang="en").stderr
    assert ledger_path.read_bytes() == before


def test_a_line_typed_after_an_import_says_nothing_of_the_import(run, synthetic_plan_path, ledger_path, tmp_path):
    """Junk typed after the last entry of an import also said that the import was cut short
    (its last entry not counted): every entry is there, and only the line is named."""
    sheet = tmp_path / "s.csv"
    sheet.write_text("指标,数值,县(市、区),截至日期\nnew-kindergartens,4,黄岩区,2023-06-30\n"
                     "new-kindergartens,5,路桥区,2023-06-30\n", encoding="utf-8")
    run.ok("import", sheet)
    ledger_path.write_bytes(ledger_path.read_bytes() + b"\nzzz\n")
    err = run.fails(1, "validate", lang="en").stderr
    assert "TOML syntax" in err and "an import was cut short" not in err, err
    assert "fix these by hand" in run.fails(1, "repair", lang="en").stderr


BATCH_ENTRY = ('\n[[entries]]\nid = {id}\nindicator = "new-kindergartens"\nas_of = 2023-03-31\nvalue = {id}\n'
               'county = "{county}"\nbatch = "synthetic.csv"\nbatch_size = 3\nby = "tester"\n'
               'recorded_at = 2023-04-01 09:00:00+08:00\n')


def test_an_entry_deleted_by_hand_from_the_last_import_is_not_an_import_cut_short(run, synthetic_plan_path,
                                                                                  ledger_path):
    """Entries 2 and 4 of an import of 3 (3 deleted by hand) were called an import a crash cut
    short, and `repair` cut them both off (0 of 5,400 kept when #100 of an import was deleted).
    A crash leaves an import's first entries, numbered on; a gap is a hand edit: named, not cut.
    The import's first entries alone, at the end, are still repaired."""
    counties = ("椒江区", "黄岩区", "路桥区")
    first = LEDGER_HEAD + GOOD_ENTRY.format(id=1)
    ledger_path.write_text(first + "".join(BATCH_ENTRY.format(id=i, county=counties[i - 2]) for i in (2, 4)),
                           encoding="utf-8")
    before = ledger_path.read_bytes()
    err = run.fails(1, "validate", lang="en").stderr
    assert "an import was cut short: 2 of its 3 entries are here" in err and "repair" not in err, err
    assert "fix these by hand" in run.fails(1, "repair", lang="en").stderr
    assert ledger_path.read_bytes() == before
    ledger_path.write_text(first + "".join(BATCH_ENTRY.format(id=i, county=counties[i - 2]) for i in (2, 3)),
                           encoding="utf-8")
    assert "repair" in run.fails(1, "validate", lang="en").stderr
    run.ok("repair")
    assert ledger_path.read_text(encoding="utf-8") == first


def test_bytes_of_another_encoding_in_a_whole_last_entry_are_not_a_torn_end(run, synthetic_plan_path, ledger_path):
    """A note in GBK (an editor's other encoding) in the last entry, whose time is whole: `repair`
    cut the entry off as a write cut short. A write cut inside a character is still one."""
    last = GOOD_ENTRY.format(id=2).replace('by = "tester"', 'note = "合成备注"\nby = "tester"')
    body = LEDGER_HEAD + GOOD_ENTRY.format(id=1)
    ledger_path.write_bytes((body + last).encode("utf-8").replace("合成备注".encode(), "合成备注".encode("gbk")))
    before = ledger_path.read_bytes()
    err = run.fails(1, "validate", lang="en").stderr
    assert "not UTF-8 text" in err and "repair" not in err, err
    assert "fix these by hand" in run.fails(1, "repair", lang="en").stderr
    assert ledger_path.read_bytes() == before
    cut = (body + last).encode("utf-8")
    ledger_path.write_bytes(cut[:cut.index("合成备注".encode()) + 4])  # inside 成, as a crash leaves it
    assert "repair" in run.fails(1, "validate", lang="en").stderr
    run.ok("repair")
    assert ledger_path.read_text(encoding="utf-8") == body


@pytest.mark.parametrize("field, line", [("id", "id = 9223372036854775807"), ("id", "id = 99999999999999999999"),
                                         ("supersedes", "supersedes = 9007199254740993"),
                                         ("batch_size", "batch_size = 9007199254740993")])
def test_an_id_typed_far_too_long_is_named_and_nothing_is_appended(run, synthetic_plan_path, ledger_path, field, line):
    """id = 2^63 - 1 typed by hand: validate said 正常, and the next record appended id 2^63
    (which SQLite cannot hold), said 内部错误 …未做任何改动, and every command failed so from then
    on. An id, a target or a batch size above 2^53 is named at its line; nothing is appended."""
    entry = GOOD_ENTRY.format(id=2).replace("id = 2", line if field == "id" else "id = 2")
    if field != "id":
        entry = entry.replace('by = "tester"', f'{line}\nreason = "synthetic"\nby = "tester"' if field == "supersedes"
                              else f'{line}\nbatch = "synthetic.csv"\nby = "tester"')
    ledger_path.write_text(LEDGER_HEAD + GOOD_ENTRY.format(id=1) + entry, encoding="utf-8")
    before = ledger_path.read_bytes()
    err = run.fails(1, "validate", lang="en").stderr
    assert f".{field}: {field} " in err and "is too large (the largest is 2^53)" in err and "internal" not in err, err
    err = run.fails(1, "record", "new-kindergartens", "3", "--as-of", "2023-06-30", lang="en").stderr
    assert "is too large" in err and "internal" not in err, err
    assert ledger_path.read_bytes() == before


def test_a_git_conflict_left_in_the_ledger_is_named_as_one(run, synthetic_plan_path, ledger_path):
    """Two computers appended to one file and git left its markers: the message was TOML's
    'invalid statement (column 1)', with no word of a conflict or what to do."""
    run.ok("record", "new-kindergartens", "3", "--as-of", "2023-05-31")
    text = ledger_path.read_text(encoding="utf-8")
    head, entry = text.split("\n[[entries]]", 1)  # (the header's comment names [[entries]] too)
    mine = "[[entries]]" + entry.replace("value = 3", "value = 4")
    ledger_path.write_text(head + "\n<<<<<<< HEAD\n" + "[[entries]]" + entry + "=======\n" + mine + ">>>>>>> origin\n",
                           encoding="utf-8")
    before = ledger_path.read_bytes()
    line = next(k for k, x in enumerate(ledger_path.read_text(encoding="utf-8").splitlines(), 1) if x.startswith("<<<<<<<"))
    err = run.fails(1, "validate").stderr
    assert f"{ledger_path}:{line}: TOML 语法：此处留有 git 合并冲突的标记" in err, err
    run.fails(1, "record", "new-kindergartens", "5", "--as-of", "2023-06-30")
    assert ledger_path.read_bytes() == before


def test_validate_says_which_entries_are_gone_or_changed_since_this_computer_last_read_them(run, synthetic_plan_path,
                                                                                          ledger_path):
    """A merge that kept the other computer's side replaced this computer's #2 with another figure,
    and nothing said so: status, log and validate read the files as they are. validate compares
    them with what this computer's index last saw, and names what is gone or changed."""
    for n, day in ((3, "2023-04-30"), (5, "2023-05-31"), (6, "2023-06-30")):
        run.ok("record", "new-kindergartens", str(n), "--as-of", day)
    run.ok("status")  # what this computer has read
    text = ledger_path.read_text(encoding="utf-8")
    blocks = text.split("\n[[entries]]\n")
    blocks[1] = blocks[1].replace("value = 3", "value = 4")  # #1 edited in place
    ledger_path.write_text("\n[[entries]]\n".join(blocks[:3]), encoding="utf-8")  # #3 gone
    out = run.ok("validate").stdout
    assert "自本机上次读取台账以来，以下记录不见了：#3；以下记录被改动了：#1。" in out, out
    run.ok("status")  # the index now holds the files as they are
    assert "不见了" not in run.ok("validate").stdout
