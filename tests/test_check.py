"""Figures you can trust, from outside: the rules at the door of `record`, `correct` and
`import`, the override and its mark, `eduplan check`, the bulletin's data-quality section, and
a stricter `validate`. Every figure here is SYNTHETIC (made up for the tests)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

D = ("--as-of", "2023-06-30")


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    return path


def log(run) -> list[dict]:
    return run.json("log")


# --------------------------------------------------------------------------- the door: record


REFUSED = [  # (arguments, rule): the wrong figures and others like them
    (["new-kindergarten-places", "12亿元", "--county", "温岭市"], "unit"),
    (["new-kindergarten-places", "800人", "--county", "温岭市"], "unit"),
    (["new-public-kindergartens", "3人", "--county", "椒江区"], "unit"),
    (["exam-services", "56%"], "unit"),
    (["smart-campus-share", "75所"], "unit"),
    (["new-public-kindergartens", "3.5", "--county", "椒江区"], "whole-number"),
    (["public-kindergarten-share", "0.56", "--county", "椒江区"], "fraction"),
    (["smart-campus-share", "0.8"], "fraction"),
    (["county-counselling-centres", "3"], "whole-number"),  # 3% of 9 counties cannot be: 3个?
    (["county-counselling-centres", "50%"], "whole-number"),  # 4.5 of 9 counties
    (["new-kindergarten-places", "12亿", "--county", "温岭市"], "outlier"),
    (["new-school-places", "2.5万", "--county", "椒江区"], "outlier"),  # one county above the city's 20 000
    (["construction-projects", "300"], "outlier"),  # more than 3 × 85
    (["new-school-places", "约5000", "--county", "椒江区"], "approximate"),  # about 5000: not a figure to hold
    (["quality-projects", "30余"], "approximate"),  # more than 30: how many?
    (["public-kindergarten-share", "56%以上", "--county", "椒江区"], "approximate"),
    (["new-public-kindergartens", "三个左右", "--county", "椒江区"], "approximate"),
]


@pytest.mark.parametrize("args, rule", REFUSED, ids=[f"{a[0]} {a[1]}" for a, _ in REFUSED])
def test_a_wrong_figure_is_refused_and_the_ledger_is_unchanged(run, ledger_path, args, rule):
    result = run.fails(1, "record", *args, *D, lang="en")
    assert f"[{rule}]" in result.stderr and "nothing was recorded" in result.stderr
    assert not ledger_path.exists()  # not even created
    run.ok("record", "new-public-kindergartens", "2", "--county", "黄岩区", "--as-of", "2023-05-31")
    before = ledger_path.read_bytes()
    from eduplan.core.rules import RULES
    from eduplan.i18n import tr

    zh = run.fails(1, "record", *args, *D).stderr  # in Chinese, by its name: an id is an English word
    assert f"［{tr(RULES[rule].title, 'zh')}］" in zh and f"［{rule}］" not in zh
    if rule in ("unit", "whole-number"):  # cannot be right: not even with --force
        assert "--force" not in run.fails(1, "record", *args, *D, "--force", lang="en").stderr
    else:
        assert "--force" in run.fails(1, "record", *args, *D, lang="en").stderr
    assert ledger_path.read_bytes() == before


def test_the_messages_say_what_was_meant(run):
    err = run.fails(1, "record", "public-kindergarten-share", "0.56", "--county", "椒江区", *D, lang="en").stderr
    assert "did you mean 56%?" in err
    err = run.fails(1, "record", "county-counselling-centres", "3", *D, lang="en").stderr
    assert "(0 is 0%, 1 is 11.1%); for 3 of them write 3个" in err
    err = run.fails(1, "record", "county-counselling-centres", "50", *D, lang="en").stderr
    assert "(4 is 44.4%, 5 is 55.6%); write how many meet it (4个 or 5个)" in err
    err = run.fails(1, "record", "new-kindergarten-places", "12亿元", "--county", "温岭市", *D, lang="en").stderr
    assert "元 does not belong to new-kindergarten-places, which is measured in 个" in err


def test_a_round_figure_is_held_back_and_once_accepted_is_stored_as_the_number_it_names(run, ledger_path, tmp_path):
    """约5000, 30余所, 54个以上: what a plan says of a target, not a figure to hold against it
    (it would be stored as exactly 5000). Refused at every door, named with the word that makes
    it round; accepted with --force it is the number, marked, and `check` lists it."""
    err = run.fails(1, "record", "new-school-places", "约5000", "--county", "椒江区", *D).stderr
    assert "“约5000”是约数（“约”）" in err and "5000个" in err and "确切数字" in err
    err = run.fails(1, "record", "quality-projects", "--add", "20多", *D, lang="en").stderr
    assert "'20多' is approximate ('多')" in err and "[approximate]" in err
    assert not ledger_path.exists()
    run.ok("record", "new-school-places", "约5000", "--county", "椒江区", *D, "--force")
    [entry] = log(run)
    assert entry["value"] == 5000 and entry["accepted"] == ["approximate"]
    path = write_csv(tmp_path / "june.csv", [["指标", "数值", "截至日期", "县(市、区)"],
                                              ["quality-projects", "120", "2023-06-30", ""],
                                              ["new-public-kindergartens", "十余所", "2023-06-30", "黄岩区"]])
    before = ledger_path.read_bytes()
    err = run.fails(1, "import", path).stderr
    assert f"{path}:3: 数值: “十余所”是约数（“余”）" in err and f"{path}:2:" not in err
    assert ledger_path.read_bytes() == before
    run.ok("import", path, "--accept-warnings")
    doc = json.loads(run("check", "--as-of", "2023-06-30", "--rule", "accepted", "--format", "json").stdout)
    assert sorted((f["indicator"], f["county"]) for f in doc["findings"]) == [
        ("new-public-kindergartens", "黄岩区"), ("new-school-places", "椒江区")]
    assert run.ok("record", "quality-projects", "达到130", "--as-of", "2023-07-31").exit_code == 0  # 达到: exact


def test_falling_totals_repeated_increments_and_duplicates_are_refused(run, ledger_path):
    run.ok("record", "quality-projects", "120", "--as-of", "2023-06-30")
    run.ok("record", "new-school-places", "--add", "0.8万", "--county", "椒江区", *D)
    run.ok("record", "new-public-kindergartens", "5", "--county", "黄岩区", "--as-of", "2023-05-31")
    before = ledger_path.read_bytes()
    for args, rule in ((["quality-projects", "100", "--as-of", "2023-07-31"], "decreasing"),
                       (["new-school-places", "--add", "0.8万", "--county", "椒江区", *D], "duplicate"),
                       (["new-public-kindergartens", "5", "--county", "黄岩区", "--as-of", "2023-05-31"], "duplicate")):
        assert f"[{rule}]" in run.fails(1, "record", *args, lang="en").stderr
        assert ledger_path.read_bytes() == before
    # a total above a later one makes that one a fall: named with the later entry
    err = run.fails(1, "record", "quality-projects", "130", "--as-of", "2023-05-31", lang="en").stderr
    assert "above the later total 120个 as of 2023-06-30 (#1)" in err
    assert ledger_path.read_bytes() == before


def test_force_stores_the_figure_marked_with_the_rule_and_who_accepted_it(run, ledger_path):
    run.ok("record", "quality-projects", "120", "--as-of", "2023-06-30")
    out = run.ok("record", "quality-projects", "100", "--as-of", "2023-07-31", "--force", "--by", "王敏",
                 lang="en").stdout
    assert "accepted over a warning: a cumulative total that falls [decreasing] (by 王敏)" in out
    entry = log(run)[0]
    assert entry["accepted"] == ["decreasing"] and entry["by"] == "王敏" and entry["value"] == 100
    assert '"decreasing"' in ledger_path.read_text(encoding="utf-8").split("accepted = ")[1].split("]")[0]
    doc = json.loads(run("check", "--as-of", "2023-07-31", "--format", "json").stdout)
    accepted = [f for f in doc["findings"] if f["rule"] == "accepted"]
    assert accepted == [{"rule": "accepted", "severity": "warning", "indicator": "quality-projects", "county": None,
                         "entries": [{"office": "", "id": 2}], "as_of": "2023-07-31", "by": "王敏",
                         "details": {"rules": ["decreasing"]}, "door": False}]
    assert not [f for f in doc["findings"] if f["rule"] == "decreasing"]  # said once, as accepted
    assert "累计数下降" in run.ok("log").stdout  # the history says it too


def test_correct_judges_the_corrected_figure_without_the_one_it_corrects(run, ledger_path):
    run.ok("record", "quality-projects", "80", "--as-of", "2023-05-31")
    run.ok("record", "quality-projects", "120", "--as-of", "2023-06-30")
    run.ok("correct", "2", "100", "--reason", "synthetic: 100, not 120")  # lower than what it corrects: fine
    before = ledger_path.read_bytes()
    err = run.fails(1, "correct", "3", "70", "--reason", "synthetic", lang="en").stderr
    assert "[decreasing]" in err and "correct it again with --force" in err  # below May's 80
    assert ledger_path.read_bytes() == before
    run.ok("correct", "3", "70", "--reason", "synthetic", "--force")
    assert log(run)[0]["accepted"] == ["decreasing"]
    assert "[unit]" in run.fails(1, "correct", "4", "70人", "--reason", "x", "--force", lang="en").stderr
    run.ok("void", "4", "--reason", "synthetic: not a June figure at all")
    run.ok("record", "quality-projects", "100", "--as-of", "2023-06-30")  # #3 (superseded) is no duplicate


def test_correct_figures_are_never_refused(run, synthetic_plan_path):
    """What staff legitimately type goes in without a word of warning."""
    good = [
        ["new-kindergartens", "3", "--county", "椒江区", "--as-of", "2023-03-31"],
        ["new-kindergartens", "3", "--county", "椒江区", "--as-of", "2023-04-30"],  # unchanged a month on
        ["new-kindergartens", "7", "--county", "椒江区", "--as-of", "2023-06-30"],
        ["new-kindergartens", "5", "--county", "黄岩区", "--as-of", "2023-06-30"],  # the same day, another county
        ["new-kindergartens", "25", "--county", "路桥区", "--as-of", "2023-06-30"],  # one county: the city's target
        ["new-kindergartens", "70", "--as-of", "2023-06-30"],  # city-wide, under three times the target
        ["new-places", "--add", "800", "--county", "椒江区", "--as-of", "2023-05-31"],
        ["new-places", "--add", "800", "--county", "椒江区", "--as-of", "2023-06-30"],  # the same increment, next month
        ["new-places", "0.8万", "--county", "黄岩区", "--as-of", "2023-06-30"],  # under three times its own 3500
        ["public-share", "56%", "--county", "椒江区", "--as-of", "2023-06-30"],
        ["public-share", "52", "--county", "黄岩区", "--as-of", "2023-06-30"],
        ["public-share", "12000/21000", "--county", "路桥区", "--as-of", "2023-06-30"],
        ["public-share", "0.5%", "--county", "临海市", "--as-of", "2023-06-30"],  # typed with %: taken as meant
        ["public-share", "48", "--county", "椒江区", "--as-of", "2023-07-31"],  # a level may go down
        ["dropout-rate", "0.5", "--as-of", "2023-06-30"],  # a falling level, cap 2%
        ["dropout-rate", "0.02", "--county", "椒江区", "--as-of", "2023-06-30"],
        ["counselling-counties", "3个", "--as-of", "2023-06-30"],  # 3 of 9 counties
        ["counselling-counties", "55.6%", "--as-of", "2023-07-31"],  # 5 of 9 (50% is refused: 4.5 of them)
        ["counselling-counties", "进行中", "--county", "椒江区", "--as-of", "2023-06-30"],
        ["counselling-counties", "进行中", "--county", "椒江区", "--as-of", "2023-07-31"],  # still in progress
        ["standard-counties", "6", "--as-of", "2023-06-30"],
        ["platform-online", "进行中", "--as-of", "2023-06-30"],
        ["platform-online", "完成", "--as-of", "2023-07-31"],
        ["incidents", "3", "--as-of", "2023-06-30"],
        ["incidents", "0", "--county", "椒江区", "--as-of", "2023-06-30"],
    ]
    for args in good:
        out = run.ok("record", *args, lang="en").stdout
        assert "accepted over" not in out, args
    assert "('3个' was taken as 33.3%)" in run.ok("record", "counselling-counties", "3个", "--as-of", "2023-08-31",
                                                    lang="en").stdout
    run.ok("correct", "3", "6", "--reason", "synthetic: 6, not 7")  # a correction lowering a total
    entry_rules = ["unit", "whole-number", "fraction", "counties-or-percent", "decreasing", "duplicate", "outlier",
                   "accepted"]
    result = run("check", "--as-of", "2023-08-31", *(x for r in entry_rules for x in ("--rule", r)), "--format", "json")
    # the stored 0.5% cannot say it was typed with %: check (not the door) names it as a possible fraction
    assert [(f["rule"], f["county"]) for f in json.loads(result.stdout)["findings"]] == [("fraction", "临海市")]
    run.ok("void", "13", "--reason", "synthetic")
    result = run("check", "--as-of", "2023-08-31", *(x for r in entry_rules for x in ("--rule", r)), lang="en")
    assert result.exit_code == 0, result.stdout
    assert "Nothing questionable as of 2023-08-31" in result.stdout


# --------------------------------------------------------------------------- the door: import


def test_import_applies_every_rule_to_every_row_all_or_nothing(run, ledger_path, tmp_path):
    run.ok("record", "quality-projects", "120", "--as-of", "2023-06-30")
    run.ok("record", "new-public-kindergartens", "5", "--county", "黄岩区", *D)
    before = ledger_path.read_bytes()
    rows = [["指标", "数值", "截至日期", "县(市、区)"],
            ["new-public-kindergartens", "4", "2023-06-30", "椒江区"],  # 2: good
            ["new-kindergarten-places", "12亿元", "2023-06-30", "温岭市"],  # 3: unit
            ["public-kindergarten-share", "0.52", "2023-06-30", "椒江区"],  # 4: fraction
            ["county-counselling-centres", "3", "2023-06-30", ""],  # 5: 3% of 9 counties cannot be
            ["quality-projects", "100", "2023-07-31", ""],  # 6: below June's 120
            ["new-public-kindergartens", "5", "2023-06-30", "黄岩区"],  # 7: already in the ledger: skipped
            ["new-public-kindergartens", "2.5", "2023-06-30", "临海市"],  # 8: half a school
            ["construction-projects", "300", "2023-06-30", ""],  # 9: outlier
            ["new-public-kindergartens", "6", "2023-05-31", "椒江区"],  # 10: above row 2's later total
            ["new-school-places", "1.5万", "2023-06-30", "椒江区"]]  # 11: good
    path = write_csv(tmp_path / "june.csv", rows)
    err = run.fails(1, "import", path, lang="en").stderr
    for row, rule in ((3, "unit"), (4, "fraction"), (5, "whole-number"), (6, "decreasing"),
                      (8, "whole-number"), (9, "outlier"), (10, "decreasing")):
        assert f"{path}:{row}: 数值: " in err and f"[{rule}]" in err.split(f"{path}:{row}: ")[1].splitlines()[0], row
    assert f"{path}:2:" not in err and f"{path}:7:" not in err and f"{path}:11:" not in err
    assert "7 rows" in err and "--accept-warnings" in err
    assert ledger_path.read_bytes() == before
    assert f"{path}:3:" in run.fails(1, "import", path, "--accept-warnings", lang="en").stderr  # errors stay errors
    assert ledger_path.read_bytes() == before
    fixed = [r for k, r in enumerate(rows) if k not in (2, 4, 7)]  # without the rows that cannot be right
    path = write_csv(tmp_path / "june-fixed.csv", fixed)
    assert "[fraction]" in run.fails(1, "import", path, "--dry-run", lang="en").stderr
    out = run.ok("import", path, "--accept-warnings", "--by", "李强", lang="en").stdout
    assert "imported 6 entries" in out and "4 entries accepted over a warning (by 李强)" in out
    assert "1 row already in the ledger for its date skipped" in out
    got = {(e["indicator"], e["county"], e["as_of"]): e for e in log(run)}
    assert got[("public-kindergarten-share", "椒江区", "2023-06-30")]["accepted"] == ["fraction"]
    assert got[("quality-projects", None, "2023-07-31")]["accepted"] == ["decreasing"]
    assert got[("new-public-kindergartens", "椒江区", "2023-06-30")]["accepted"] == []
    assert got[("new-school-places", "椒江区", "2023-06-30")]["accepted"] == []
    doc = json.loads(run("check", "--as-of", "2023-07-31", "--rule", "accepted", "--format", "json").stdout)
    assert doc["summary"]["accepted"] == 4 and {f["by"] for f in doc["findings"]} == {"李强"}


def test_xlsx_import_reads_a_percent_cell_as_a_percentage_and_a_plain_fraction_as_suspect(run, ledger_path, tmp_path):
    from openpyxl import Workbook

    def sheet(name: str, value: float, percent: bool) -> Path:
        wb = Workbook()
        ws = wb.active
        ws.append(["id", "value", "date", "county"])
        ws.append(["new-public-kindergartens", 3, "2023-06-30", "椒江区"])
        ws.append(["public-kindergarten-share", value, "2023-06-30", "黄岩区"])
        if percent:
            ws.cell(row=3, column=2).number_format = "0%"
        path = tmp_path / name
        wb.save(path)
        return path

    plain = sheet("plain.xlsx", 0.52, False)
    err = run.fails(1, "import", plain, lang="en").stderr
    assert f"{plain}:3: value: " in err and "did you mean 52%?" in err and f"{plain}:2:" not in err
    assert not ledger_path.exists()
    run.ok("import", sheet("percent.xlsx", 0.52, True))
    assert {e["value"] for e in log(run)} == {3, 52}


def test_names_are_exact_at_the_door_of_record_and_import(run, ledger_path, tmp_path):
    run.ok("record", "new-public-kindergartens", "1", "--county", "黄岩区", "--as-of", "2023-05-31")
    before = ledger_path.read_bytes()
    for name in ("椒江区,黄岩区", "椒江 totally bogus text", "椒江县", "黄岩区; DROP TABLE", "椒江区\u200f", "温岭区",
                 "椒", "\u202e椒江区", "椒江区\x00", "", "全省"):
        result = run("record", "new-public-kindergartens", "3", "--county", name, *D, lang="en")
        assert result.exit_code == 1 and "--county" in result.stderr, (name, result.stderr)
        assert ledger_path.read_bytes() == before
    run.ok("record", "new-public-kindergartens", "3", "--county", " 椒江区 ", *D)  # surrounding space is no part of it
    assert "did you mean: 温岭市?" in run.fails(1, "record", "new-public-kindergartens", "3", "--county", "温岭区", *D,
                                               lang="en").stderr
    assert "\\u200f" in run.fails(1, "record", "new-public-kindergartens", "3", "--county", "椒江区\u200f", *D,
                                  lang="en").stderr
    out = run.ok("record", "new-public-kindergartens", "4", "--county", "临海", *D, lang="en").stdout
    assert "('临海' was taken as 临海市)" in out
    before = ledger_path.read_bytes()
    path = write_csv(tmp_path / "names.csv", [["id", "value", "date", "county"],
                                             ["new-public-kindergartens", "5", "2023-06-30", "玉环市"],
                                             ["new-public-kindergartens", "5", "2023-06-30", "椒江区,黄岩区"],
                                             ["new-public-kindergartens", "5", "2023-06-30", "温岭区"]])
    err = run.fails(1, "import", path, lang="en").stderr
    assert f"{path}:3: county: unknown county-level unit '椒江区,黄岩区'" in err
    assert f"{path}:4: county: unknown county-level unit '温岭区'; did you mean: 温岭市?" in err
    assert ledger_path.read_bytes() == before
    path = write_csv(tmp_path / "short.csv", [["id", "value", "date", "county"],
                                             ["new-public-kindergartens", "5", "2023-06-30", "玉环"],
                                             ["new-public-kindergartens", "6", "2023-06-30", "天台"],
                                             ["new-school-places", "900", "2023-06-30", "玉环"],
                                             ["county-counselling-centres", "3个", "2023-06-30", ""]])
    out = run.ok("import", path, lang="en").stdout
    assert out.count("('玉环' was taken as 玉环市)") == 1 and "('天台' was taken as 天台县)" in out
    assert "('3个' was taken as 33.3%)" in out


# --------------------------------------------------------------------------- eduplan check


@pytest.fixture
def questionable(run, synthetic_plan_path):
    """A ledger with one of each thing `check` finds (accepted with --force where the door refuses)."""
    run.ok("record", "new-kindergartens", "12", "--county", "椒江区", "--as-of", "2023-03-31")
    run.ok("record", "new-kindergartens", "10", "--county", "椒江区", "--as-of", "2023-04-30", "--force")
    for _ in range(2):
        run.ok("record", "new-kindergartens", "4", "--county", "黄岩区", "--as-of", "2023-06-30", "--force")
    run.ok("record", "new-places", "12万", "--as-of", "2023-06-30", "--force")
    run.ok("record", "public-share", "0.56", "--county", "椒江区", "--as-of", "2023-06-30", "--force")
    return run


def test_check_lists_what_is_questionable_with_entries_indicator_unit_and_rule(questionable, ledger_path):
    run = questionable
    result = run("check", "--as-of", "2023-06-30", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc == json.loads(run("check", "--as-of", "2023-06-30", "--format", "json", lang="en").stdout)
    assert doc["kind"] == "data-quality" and doc["as_of"] == "2023-06-30" and doc["entries_checked"] == 6
    found = {(f["rule"], f["indicator"], f["county"], tuple(e["id"] for e in f["entries"])) for f in doc["findings"]}
    assert ("accepted", "new-kindergartens", "椒江区", (2,)) in found
    assert ("accepted", "new-kindergartens", "黄岩区", (4,)) in found
    assert ("accepted", "new-places", None, (5,)) in found
    assert ("accepted", "public-share", "椒江区", (6,)) in found
    assert ("stale", "new-kindergartens", "椒江区", (2,)) in found  # 61 days old
    assert ("missing", "new-kindergartens", "路桥区", ()) in found  # reported per county: 路桥区 owes it
    assert ("missing", "platform-online", None, ()) in found
    assert doc["summary"]["accepted"] == 4 and doc["summary"]["total"] == len(doc["findings"])
    # a hand edit takes the marks away: the rules are named again
    text = ledger_path.read_text(encoding="utf-8")
    ledger_path.write_text(re.sub(r"accepted = \[[^\]]*\]\n", "", text), encoding="utf-8")
    doc = json.loads(run("check", "--as-of", "2023-06-30", "--format", "json").stdout)
    rules = {f["rule"]: f for f in doc["findings"] if f["rule"] not in ("missing", "stale")}
    assert set(rules) == {"decreasing", "duplicate", "outlier", "fraction"}
    assert [e["id"] for e in rules["decreasing"]["entries"]] == [1, 2]
    assert [e["id"] for e in rules["duplicate"]["entries"]] == [3, 4]
    assert rules["fraction"]["details"] == {"value": 0.56, "meant": 56}
    assert rules["outlier"]["details"] == {"value": 120000, "target": 35000, "limit": 105000}


def test_check_in_every_format_and_filters(questionable):
    run = questionable
    args = ("check", "--as-of", "2023-06-30", "--rule", "accepted")
    for width in (80, 120):
        import os

        os.environ["COLUMNS"] = str(width)
        try:
            out = run(*args, lang="en").stdout
        finally:
            del os.environ["COLUMNS"]
        assert "Data quality · as of 2023-06-30" in out and "#2" in out and "[decreasing]" in out
        assert "New public kindergartens" in out.replace("\n", " ") or "New public" in out  # names, not ids
        assert "new-kindergartens" not in out
        assert max(cell_len(line) for line in out.splitlines()) <= width
    zh = run(*args).stdout
    assert "数据审核 · 截至 2023-06-30" in zh and "经确认接受提醒" in zh and "累计数下降" in zh
    csv_text = run(*args, "--format", "csv").stdout
    assert csv_text.startswith("\ufeff") and "审核规则,规则编号" in csv_text.splitlines()[0]
    assert len(list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))) == 1 + 4
    md = run(*args, "--format", "markdown", lang="en").stdout
    assert md.startswith("## Data quality") and "| accepted over a warning | New public kindergartens | 椒江区 | #2 |" in md
    scoped = json.loads(run(*args, "--county", "黄岩", "--format", "json").stdout)
    assert [f["county"] for f in scoped["findings"]] == ["黄岩区"] and scoped["county"] == "黄岩区"
    city = json.loads(run(*args, "--county", "全市", "--format", "json").stdout)
    assert [f["indicator"] for f in city["findings"]] == ["new-places"]
    clean = run("check", "--as-of", "2023-06-30", "--rule", "unit", lang="en")
    assert clean.exit_code == 0 and "Nothing questionable as of 2023-06-30 (6 entries checked)." in clean.stdout
    assert "unknown rule 'bogus'" in run.fails(2, "check", "--rule", "bogus", lang="en").stderr


def test_the_narrow_check_table_keeps_indicator_and_unit_on_one_line(questionable, synthetic_plan_path, monkeypatch):
    """At 80 columns the rule stands over "indicator · unit": the column is as wide as that
    line while the finding keeps room, instead of a third of the page that broke every name
    and left the finding column half empty."""
    from eduplan.store.planfile import load_plan

    names = {i.id: i.name for i in load_plan(synthetic_plan_path).indicators}
    doc = json.loads(questionable("check", "--as-of", "2023-06-30", "--format", "json").stdout)
    monkeypatch.setenv("COLUMNS", "80")
    out = questionable("check", "--as-of", "2023-06-30").stdout
    lines = [line.strip() for line in out.splitlines()]
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    for f in doc["findings"]:
        shown = f"{names[f['indicator']]} · {f['county'] or '全市'}"
        assert any(line == shown or line.startswith(shown + "  ") for line in lines), out


def test_completeness_waits_for_the_first_month_and_timeliness_for_a_month(run, synthetic_plan_path):
    run.ok("record", "new-kindergartens", "2", "--county", "椒江区", "--as-of", "2023-01-15")
    early = json.loads(run("check", "--as-of", "2023-01-20", "--format", "json").stdout)
    assert early["findings"] == [] and run("check", "--as-of", "2023-01-20").exit_code == 0
    later = json.loads(run("check", "--as-of", "2023-02-20", "--rule", "stale", "--rule", "missing",
                           "--format", "json").stdout)
    stale = [f for f in later["findings"] if f["rule"] == "stale"]
    assert stale == [{"rule": "stale", "severity": "warning", "indicator": "new-kindergartens", "county": "椒江区",
                      "entries": [{"office": "", "id": 1}], "as_of": "2023-01-15", "by": None,
                      "details": {"days": 36, "limit": 31}, "door": False}]
    assert len([f for f in later["findings"] if f["rule"] == "missing"]) == 8 + 7  # 8 counties, 7 city indicators


def test_the_bulletin_has_a_data_quality_section(questionable, tmp_path):
    run = questionable
    md = run.ok("report", "--month", "2023-06", lang="en").stdout
    section = md.split("## 6. Data quality")[1]
    assert "accepted over a warning" in section and "| #2 |" in section
    assert "this command lists every one: `eduplan check --as-of 2023-06-30`" in section
    assert "六、数据审核" in run.ok("report", "--month", "2023-06").stdout
    doc = json.loads(run.ok("report", "--month", "2023-06", "--format", "json").stdout)
    check = json.loads(run("check", "--as-of", "2023-06-30", "--format", "json").stdout)
    # the bulletin names the first findings about figures, as it prints them; the counts are of every finding,
    # and `eduplan check` lists every one
    about_figures = [f for f in check["findings"] if f["rule"] not in ("missing", "stale")]
    assert doc["data_quality"]["findings"] == about_figures[:10] and about_figures
    assert doc["data_quality"]["summary"] == check["summary"]
    assert doc["data_quality"]["unlisted"] == len(check["findings"]) - len(doc["data_quality"]["findings"])
    assert doc["data_quality"]["command"] == "eduplan check --as-of 2023-06-30 --format json"
    html = run.ok("report", "--month", "2023-06", "--format", "html", lang="en").stdout
    assert "6. Data quality" in html


def test_the_bulletin_points_to_a_check_of_the_files_it_was_made_from(questionable, ledger_path, synthetic_plan_path,
                                                                       tmp_path, monkeypatch):
    """A bulletin made with --plan and --ledger names them in the command it points to (quoted for
    a shell), so that the command lists the findings of that ledger, not of the default one; the
    offices' city-wide unit is `city` in JSON, as everywhere else."""
    import shlex

    run = questionable
    named = tmp_path / "月报 ledger.toml"
    named.write_bytes(ledger_path.read_bytes())
    ledger_path.unlink()  # the default ledger is now empty: a check of it finds nothing about figures
    monkeypatch.delenv("EDUPLAN_PLAN", raising=False)
    monkeypatch.delenv("EDUPLAN_LEDGER", raising=False)
    files = ["--plan", str(synthetic_plan_path), "--ledger", str(named)]
    doc = json.loads(run.ok("report", "--month", "2023-06", *files, "--format", "json").stdout)
    command = doc["data_quality"]["command"]
    assert command == ("eduplan check --as-of 2023-06-30 --format json --plan " + shlex.quote(str(synthetic_plan_path))
                       + " --ledger " + shlex.quote(str(named)))
    args = shlex.split(command)[1:]
    listed = json.loads(run(*args).stdout)
    assert [f for f in listed["findings"] if f["rule"] not in ("missing", "stale")][:10] == \
        doc["data_quality"]["findings"] != []
    md = run.ok("report", "--month", "2023-06", *files, lang="en").stdout
    assert "`eduplan check --as-of 2023-06-30 --plan " in md and shlex.quote(str(named)) + "`" in md
    assert all("全市" not in o["units"] for o in doc["offices"])


def test_the_bulletin_s_findings_are_read_back_only_while_the_ledger_is_unchanged(questionable, ledger_path):
    """The bulletin's data-quality digest is kept in the index: read back, it says exactly what
    judging every entry again says, in both languages; any write (a record, a hand edit) and it
    is judged again."""
    run = questionable
    args = ("report", "--month", "2023-06")

    def quality(doc):
        return doc["data_quality"]

    first = {(lang, fmt): run.ok(*args, "--format", fmt, lang=lang).stdout
             for lang in ("zh", "en") for fmt in ("json", "markdown")}
    again = {(lang, fmt): run.ok(*args, "--format", fmt, lang=lang).stdout
             for lang in ("zh", "en") for fmt in ("json", "markdown")}
    assert again == first
    # a damaged index: whatever stands in the kept digest, the bulletin is judged again, the same
    import sqlite3

    index_file = json.loads(run.ok("index", "--format", "json").stdout)["index"]
    for damage in ("not json", '{"listed": [[1]]}', '{"as_of": "2023-06-30", "summary": {}, "checked": 1, '
                   '"listed": [["duplicate", {"m": 1}, "x", null, [["", 999]], null, {}, null]]}'):
        with contextlib.closing(sqlite3.connect(index_file)) as con, con:
            # (the digest's row: the bulletins kept as shown are the rows whose keys begin 'shown:')
            assert con.execute("UPDATE memo SET data = ? WHERE key NOT GLOB 'shown:*'", (damage,)).rowcount == 1
        assert run.ok(*args, "--format", "json").stdout == first[("zh", "json")]
    before = quality(json.loads(first[("zh", "json")]))
    assert before["summary"]["accepted"] == 4 and before["summary"]["duplicate"] == 0
    # a record: the same figure a third time, accepted over the warning
    run.ok("record", "new-kindergartens", "4", "--county", "黄岩区", "--as-of", "2023-06-30", "--force")
    after = quality(json.loads(run.ok(*args, "--format", "json").stdout))
    assert after["summary"]["accepted"] == 5 and after["entries_checked"] == before["entries_checked"] + 1
    # a hand edit: the accepted marks taken away, the rules they were accepted over come back
    text = ledger_path.read_text(encoding="utf-8")
    ledger_path.write_text(re.sub(r"accepted = \[[^\]]*\]\n", "", text), encoding="utf-8")
    edited = quality(json.loads(run.ok(*args, "--format", "json").stdout))
    assert edited["summary"]["accepted"] == 0 and edited["summary"]["duplicate"] == 2
    assert edited["summary"]["fraction"] == 1
    # another month is its own digest
    may = quality(json.loads(run.ok("report", "--month", "2023-05", "--format", "json").stdout))
    assert may["as_of"] == "2023-05-31" and may["summary"]["duplicate"] == 0


def test_a_digest_of_entries_that_changed_meanwhile_is_not_kept(tmp_path):
    """A reader that judged the entries of one generation cannot leave its result for a later one."""
    from eduplan.store.index import Index

    index = Index(tmp_path / "index.sqlite")
    index.reset("ledger", "plan")
    generation = index.generation()
    index.keep("k", generation, "before")
    assert index.memo("k") == "before"
    with index.writing():  # a writer comes in
        pass
    assert index.memo("k") is None and index.generation() == generation + 1
    index.keep("k", generation, "judged before the write")  # too late: not kept
    assert index.memo("k") is None
    index.keep("k", generation + 1, "now")
    assert index.memo("k") == "now"
    index.close()


def test_keeping_a_digest_never_holds_a_command_up_behind_a_writer(tmp_path):
    """Another process writing the index: the digest is not kept, at once, and the reader's
    own writes still wait for their turn as before."""
    import time

    from eduplan.store.index import Index

    writer, reader = Index(tmp_path / "index.sqlite"), None
    writer.reset("ledger", "plan")
    reader = Index(tmp_path / "index.sqlite")
    generation = reader.generation()
    writer.con.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    reader.keep("k", generation, "judged")
    assert time.monotonic() - started < 5 and reader.memo("k") is None
    writer.con.execute("COMMIT")
    assert reader.con.execute("PRAGMA busy_timeout").fetchone()[0] == 60000
    writer.close()
    reader.close()


# --------------------------------------------------------------------------- a stricter validate


GOOD = ('\n[[entries]]\nid = {id}\nindicator = "new-kindergartens"\nas_of = 2023-03-31\nvalue = {value}\n'
        'by = "tester"\nrecorded_at = 2023-04-01 09:00:00+08:00\n')
HEAD = 'schema_version = 2\nplan = "synthetic-2023"\nplan_version = "1"\n'


@pytest.mark.parametrize("text, message", [
    (HEAD + GOOD.format(id=1, value='"5"'), "value must be a number, not '5'"),
    (HEAD + GOOD.format(id=1, value="true"), "value must be a number, not True"),
    (HEAD + GOOD.format(id=1, value="nan"), "value must be a number"),
    (HEAD + GOOD.format(id=1, value="inf"), "value must be a number"),
    (HEAD + GOOD.format(id=1, value=2**53 + 1), "too large to be a figure"),
    (HEAD + GOOD.format(id=1, value="1e300"), "1e+300 is too large to be a figure"),
    (HEAD + GOOD.format(id=1, value="-3"), "must not be negative"),
    (HEAD + GOOD.format(id=1, value=5).replace('"new-kindergartens"', '"public-share"').replace(
        "value = 5", "value = 50\nnumerator = 1\ndenominator = 4\ncounty = \"椒江区\""), "does not agree with 1/4 = 25"),
    (HEAD + GOOD.format(id=1, value=5) + GOOD.format(id=1, value=6), "duplicate entry id 1"),
    (HEAD + GOOD.format(id=2, value=5) + GOOD.format(id=1, value=6), "ids increase down the file"),
    ('schema_version = 2\nplan = "another-plan"\n' + GOOD.format(id=1, value=5), "belongs to the plan 'another-plan'"),
    ("schema_version = 2\n" + GOOD.format(id=1, value=5), "does not say which plan it belongs to"),
])
def test_a_hand_edited_ledger_is_refused_by_every_command(run, synthetic_plan_path, ledger_path, text, message):
    ledger_path.write_text(text, encoding="utf-8")
    before = ledger_path.read_bytes()
    assert message in run.fails(1, "validate", lang="en").stderr
    for args in (["log"], ["show", "new-kindergartens"], ["report", "--month", "2023-06"], ["status"], ["check"],
                 ["record", "new-kindergartens", "3", *D], ["report", "--month", "2023-06", "--format", "json"]):
        result = run.fails(1, *args, lang="en")
        assert str(ledger_path) in result.stderr, args
    assert ledger_path.read_bytes() == before


def test_validate_says_what_check_would_find_and_an_old_revision_of_the_plan(run, synthetic_plan_path, ledger_path):
    run.ok("record", "new-kindergartens", "12", *D)
    run.ok("record", "new-kindergartens", "10", "--as-of", "2023-07-31", "--force")
    out = run.ok("validate", lang="en").stdout
    assert out.startswith("ok:") and "questionable" not in out  # accepted: a person looked at it
    text = ledger_path.read_text(encoding="utf-8")
    text = re.sub(r'accepted = \[[^\]]*\]\n', "", text).replace('plan_version = "1"', 'plan_version = "0"')
    ledger_path.write_text(text, encoding="utf-8")
    out = run.ok("validate", lang="en").stdout
    assert "1 figure is questionable" in out and "`eduplan check` lists it" in out
    assert "written under revision 0 of the plan, which is now revision 1" in out
    ledger_path.write_text("schema_version = 1\n" + GOOD.format(id=1, value=5), encoding="utf-8")  # an old ledger
    assert "1 entry" in run.ok("validate", lang="en").stdout


def test_validate_counts_one_indicator_and_one_section_in_the_singular(run, tmp_path):
    """"(1 indicators, 1 sections)" in English for a plan of one of each (SYNTHETIC)."""
    import datetime as dt

    import tomli_w

    plan = tmp_path / "one.toml"
    plan.write_text(tomli_w.dumps({
        "schema_version": 2,
        "plan": {"id": "one-2025", "title": "合成计划", "year": 2025, "start": dt.date(2025, 1, 1),
                 "end": dt.date(2025, 12, 31), "counties": ["甲县", "乙县"]},
        "section_kinds": {"focus": {"name": "重点"}},
        "sections": [{"id": "focus-1", "kind": "focus", "number": 1, "name": "重点一"}],
        "indicators": [{"id": "new-places", "name": "新增学位", "sections": ["focus-1"], "measure": "flow", "unit": "个",
                        "target": 100, "source": "新增学位100个"}]}), encoding="utf-8")
    out = run.ok("validate", "--plan", plan, "--ledger", tmp_path / "l.toml", lang="en").stdout
    assert "(1 indicator, 1 section); no ledger yet" in out, out
    out = run.ok("validate", "--plan", plan, "--ledger", tmp_path / "l.toml").stdout
    assert "（1 项指标，1 个板块）" in out, out


def test_hostile_text_in_a_ledger_is_inert_in_every_check_output(run, synthetic_plan_path, ledger_path):
    """Names, notes and rule ids a hand edit put in the ledger reach check's outputs as text, never as control."""
    import datetime as dt

    import tomli_w

    from test_faults import HOSTILE

    rows = [{"id": i, "indicator": "new-kindergartens", "county": "椒江区", "as_of": dt.date(2023, 3, 1 + i),
             "value": 100 - i, "accepted": [text], "by": text,
             "recorded_at": dt.datetime(2023, 7, 1, 9, tzinfo=dt.timezone.utc)} for i, text in enumerate(HOSTILE, 1)]
    ledger_path.write_text(HEAD + "\n" + "\n".join(tomli_w.dumps({"entries": [r]}) for r in rows), encoding="utf-8")
    for fmt in ("table", "csv", "markdown", "json"):
        out = run("check", "--as-of", "2023-06-30", "--format", fmt).stdout + \
            run("check", "--as-of", "2023-06-30", "--format", fmt, lang="en").stdout
        assert "\x1b" not in out and "\x00" not in out and "\x07" not in out, fmt
        assert "\u202e" not in out or fmt == "json", fmt  # JSON is data: the encoder escapes controls, keeps text
        if fmt == "csv":
            for row in csv.reader(io.StringIO(out.replace("\ufeff", ""))):
                assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row), row
        if fmt == "json":
            docs = [json.loads(part) for part in out.strip().split("\n")]
            assert {f["by"] for f in docs[0]["findings"] if f["rule"] == "accepted"} == set(HOSTILE)
    assert "\x1b" not in run("report", "--month", "2023-06", "--format", "html").stdout


def test_the_bulletin_says_where_the_findings_are_without_counting_them_twice(run):
    run.ok("record", "new-public-kindergartens", "3", "--county", "椒江区", "--as-of", "2023-06-30")
    section = run.ok("report", "--month", "2023-06", lang="en").stdout.split("## 6. Data quality")[1]
    section = section.split("\n## ")[0]
    assert "| rule |" not in section  # only missing reports: said in the sentence, none listed
    assert "more finding" not in section
    assert "This command lists every finding: `eduplan check --as-of 2023-06-30`" in section
    zh = run.ok("report", "--month", "2023-06").stdout
    assert "全部审核发现可用以下命令列出：`eduplan check --as-of 2023-06-30`" in zh.replace("： `", "：`")


def test_nothing_is_owed_before_a_target_is_due_even_where_the_plan_does_not_say_who_reports(
        run, synthetic_plan_path):
    """A version-2 indicator without reported_by, due all at once in September: in June no unit
    owes it, in status as in check (one rule for both)."""
    text = synthetic_plan_path.read_text(encoding="utf-8")
    synthetic_plan_path.write_text(text.replace('source = "新建公办幼儿园25所"',
                                                'source = "新建公办幼儿园25所"\npace = { kind = "once", date = 2023-09-01 }'),
                                   encoding="utf-8")
    run.ok("record", "new-kindergartens", "1", "--county", "椒江区", "--as-of", "2023-03-31")
    row = next(i for i in run.json("status", "--as-of", "2023-06-30")["indicators"] if i["id"] == "new-kindergartens")
    assert row["reporting"]["owed"] == [] and row["reporting"]["missing"] == []
    found = json.loads(run("check", "--as-of", "2023-06-30", "--rule", "missing", "--format", "json").stdout)["findings"]
    assert not [f for f in found if f["indicator"] == "new-kindergartens"]
    row = next(i for i in run.json("status", "--as-of", "2023-09-30")["indicators"] if i["id"] == "new-kindergartens")
    assert "黄岩区" in row["reporting"]["owed"]  # once due, every county owes it


def test_a_county_figure_for_what_the_city_reports_is_questioned(run, ledger_path):
    """市级名师名班主任工作室 is reported city-wide by the city (reported_by = "city"): a figure typed
    for 路桥 went in without a word and became the city's total (3 of 16). Now it is a warning at
    the door (refused, the ledger untouched, unless --force), and `check` names such a figure in a
    ledger (one written before, or by hand). The city-wide figure goes in as before."""
    day = ("--as-of", "2023-06-30")
    err = run.fails(1, "record", "famous-teacher-studios", "3", *day, "--county", "路桥").stderr
    assert "市级名师名班主任工作室由市本级报送全市数据" in err and "［非报送单位的数据］" in err  # its name, for Chinese staff
    assert not ledger_path.exists()
    run.ok("record", "famous-teacher-studios", "5", *day)  # the city-wide figure: no warning
    before = ledger_path.read_bytes()
    run.fails(1, "record", "famous-teacher-studios", "3", *day, "--county", "路桥", "--lang", "en")
    assert ledger_path.read_bytes() == before
    run.ok("record", "famous-teacher-studios", "3", *day, "--county", "路桥", "--force")
    rules = ("--rule", "accepted", "--rule", "reported-by", "--format", "json")
    found = json.loads(run("check", *day, *rules).stdout)["findings"]
    assert [(f["rule"], f["county"]) for f in found] == [("accepted", "路桥区")]
    text = ledger_path.read_text(encoding="utf-8")
    mark = 'accepted = [\n    "reported-by",\n]\n'
    assert mark in text
    ledger_path.write_text(text.replace(mark, ""), encoding="utf-8")  # as an older version wrote it, or a hand edit
    found = json.loads(run("check", *day, *rules).stdout)["findings"]
    assert [(f["rule"], f["county"]) for f in found] == [("reported-by", "路桥区")]
    listed = run("check", *day, "--rule", "reported-by")
    assert listed.exit_code == 1 and "被合计为全市数" in listed.stdout


def test_a_figure_with_wan_or_yi_left_out_is_questioned_at_the_door(run, ledger_path):
    """45 typed for 教育项目投资 (90亿元) went in as 45元 and read as 45亿; now the door asks whether
    45亿元 was meant, and leaves the ledger untouched unless the figure is accepted."""
    err = run.fails(1, "record", "investment", "45", "--as-of", "2023-06-30").stderr
    assert "您要填的是不是 45亿元" in err and "［远低于目标（漏写万/亿？）］" in err and not ledger_path.exists()
    run.ok("record", "investment", "45亿", "--as-of", "2023-06-30")
    before = ledger_path.read_bytes()
    assert "did you mean 45亿元" in run.fails(1, "correct", "1", "45", "--reason", "x", lang="en").stderr
    assert ledger_path.read_bytes() == before


def test_check_of_one_county_counts_that_countys_entries(run):
    """`check --county 黄岩` said 已审核 4 条记录 for a county with one entry: the count was the ledger's."""
    for county in ("椒江", "黄岩", "路桥", "椒江"):
        run.ok("record", "new-public-kindergartens", "2" if county != "椒江" else "3", "--as-of", "2023-06-30",
               "--county", county, "--force")
    one = json.loads(run("check", "--as-of", "2023-06-30", "--county", "黄岩", "--format", "json").stdout)
    assert one["entries_checked"] == 1
    both = json.loads(run("check", "--as-of", "2023-06-30", "--county", "椒江", "--format", "json").stdout)
    assert both["entries_checked"] == 2
    assert json.loads(run("check", "--as-of", "2023-06-30", "--format", "json").stdout)["entries_checked"] == 4


def test_a_state_that_goes_back_is_questioned(run, ledger_path):
    """A milestone recorded 完成 and then 未开始 on the same date turned its light from done to
    behind without a word. A state that goes back is a warning at the door (the ledger
    untouched unless accepted), and `check` names one already in a ledger; going forward is fine."""
    day = ("--as-of", "2023-06-30")
    run.ok("record", "smart-education-cloud", "进行中", "--as-of", "2023-05-31")
    run.ok("record", "smart-education-cloud", "完成", *day)
    before = ledger_path.read_bytes()
    err = run.fails(1, "record", "smart-education-cloud", "未开始", *day).stderr
    assert "状态不应倒退" in err and "［状态倒退］" in err and ledger_path.read_bytes() == before
    assert "state-back" in run.fails(1, "record", "smart-education-cloud", "in-progress", "--as-of", "2023-07-31",
                                     lang="en").stderr
    text = ledger_path.read_text(encoding="utf-8")  # the same, written by hand (or by an older version)
    ledger_path.write_text(text + text[text.rindex("[[entries]]"):].replace("id = 2", "id = 3").replace(
        'state = "done"', 'state = "not-started"'), encoding="utf-8")
    found = json.loads(run("check", *day, "--rule", "state-back", "--format", "json").stdout)["findings"]
    assert [(f["rule"], [e["id"] for e in f["entries"]], f["details"]) for f in found] == [
        ("state-back", [2, 3], {"before": "done", "after": "not-started"})]


def test_a_share_ten_times_off_is_questioned_at_the_door_and_by_check(run, ledger_path):
    """82% one month and 8.2% the next went in without a word, and the county's light and the
    city's roll-up read it as true. It is a warning at the door, in any path (record, correct,
    import), and `check` names one already in the ledger, with both entries."""
    run.ok("record", "public-kindergarten-share", "80", "--county", "椒江区", "--as-of", "2023-05-31")
    before = ledger_path.read_bytes()
    err = run.fails(1, "record", "public-kindergarten-share", "8.2", "--county", "椒江区", "--as-of", "2023-06-30").stderr
    assert "8.2%" in err and "80%（#1）" in err and "小数点错位" in err and "［与相邻数据相差约十倍］" in err
    assert ledger_path.read_bytes() == before
    sheet = ledger_path.with_name("june.csv")
    sheet.write_text("指标,数值,截至日期,县(市、区)\npublic-kindergarten-share,8.2,2023-06-30,椒江区\n", encoding="utf-8")
    assert "［与相邻数据相差约十倍］" in run.fails(1, "import", sheet).stderr and ledger_path.read_bytes() == before
    run.ok("record", "public-kindergarten-share", "82", "--county", "椒江区", "--as-of", "2023-06-30")
    assert "［与相邻数据相差约十倍］" in run.fails(1, "correct", "2", "8.2", "--reason", "synthetic").stderr
    run.ok("record", "public-kindergarten-share", "81", "--county", "椒江区", "--as-of", "2023-07-31")
    assert json.loads(run("check", "--as-of", "2023-07-31", "--rule", "tenfold", "--format", "json").stdout)[
        "findings"] == []
    text = ledger_path.read_text(encoding="utf-8")  # a slip written by hand
    ledger_path.write_text(text.replace("value = 81", "value = 8.1"), encoding="utf-8")
    found = json.loads(run("check", "--as-of", "2023-07-31", "--rule", "tenfold", "--format", "json").stdout)
    assert [(f["rule"], [e["id"] for e in f["entries"]], f["details"]) for f in found["findings"]] == [
        ("tenfold", [2, 3], {"value": 8.1, "other": 82, "other_as_of": "2023-06-30", "times": 10.12})]
    ledger_path.write_text(text, encoding="utf-8")
    run.ok("record", "public-kindergarten-share", "8.1", "--county", "椒江区", "--as-of", "2023-08-31", "--force")
    found = json.loads(run("check", "--as-of", "2023-08-31", "--format", "json").stdout)["findings"]
    assert [(f["rule"], [e["id"] for e in f["entries"]]) for f in found if f["indicator"] == "public-kindergarten-share"
            and f["county"] == "椒江区"] == [("accepted", [4])]


# --------------------------------------------------------------------------- the whole and its parts


def test_a_city_wide_total_below_its_counties_sum_is_questioned_at_every_door_and_in_check(run, ledger_path, tmp_path):
    """Counties 100 and 90 projects, then 120 city-wide for the same date: the city figure counted
    as the city's without a word (status 35%, where the counties' own say 55%)."""
    run.ok("record", "quality-projects", "100", "--county", "椒江区", *D)
    run.ok("record", "quality-projects", "90", "--county", "黄岩区", *D)
    before = ledger_path.read_bytes()
    err = run.fails(1, "record", "quality-projects", "120", *D).stderr
    assert "截至 2023-06-30 的全市数 120个 低于各县自报数之和 190个（椒江区 100个、黄岩区 90个）" in err and "［全市数小于各县之和］" in err
    assert ledger_path.read_bytes() == before
    run.ok("record", "quality-projects", "200", *D)  # the whole at least its parts: nothing to say
    err = run.fails(1, "record", "quality-projects", "150", "--county", "路桥区", *D, lang="en").stderr
    assert "with this figure the units add up to 340个 as of 2023-06-30 (椒江区 100个, 黄岩区 90个, 路桥区 150个)" in err
    assert "above the city-wide total of 200个 (#3)" in err
    run.ok("record", "quality-projects", "5", "--county", "路桥区", *D)  # 195: within the city's 200
    err = run.fails(1, "correct", "3", "150", "--reason", "synthetic", lang="en").stderr  # the city's, lowered
    assert "[parts]" in err
    run.ok("record", "quality-projects", "150", "--county", "路桥区", "--as-of", "2023-07-31")  # after the city's date
    # a sheet: the county rows above the city's row count as its parts
    path = write_csv(tmp_path / "aug.csv", [["指标编号", "数值", "截至日期", "县(市、区)"],
                                             ["quality-projects", "110", "2023-08-31", "椒江区"],
                                             ["quality-projects", "95", "2023-08-31", "黄岩区"],
                                             ["quality-projects", "300", "2023-08-31", ""]])
    before = ledger_path.read_bytes()
    err = run.fails(1, "import", path).stderr
    assert f"{path}:4: 数值: 截至 2023-08-31 的全市数 300个 低于各县自报数之和 355个" in err
    assert ledger_path.read_bytes() == before
    run.ok("import", path, "--accept-warnings")
    doc = json.loads(run("check", "--as-of", "2023-08-31", "--format", "json").stdout)
    assert [f["rule"] for f in doc["findings"] if f["indicator"] == "quality-projects"
            and f["rule"] not in ("missing", "stale")] == ["accepted"]
    # a hand edit the door never saw: check names it
    ledger_path.write_text(ledger_path.read_text(encoding="utf-8").replace('accepted = [\n    "parts",\n]\n', ""),
                           encoding="utf-8")
    doc = json.loads(run("check", "--as-of", "2023-08-31", "--rule", "parts", "--format", "json").stdout)
    [found] = doc["findings"]
    assert (found["indicator"], found["county"], found["as_of"]) == ("quality-projects", None, "2023-08-31")
    assert found["details"] == {"whole": 300, "parts": 355, "units": 3}


def test_a_share_and_a_state_have_no_parts_to_add_up(run):
    run.ok("record", "public-kindergarten-share", "50%", "--county", "椒江区", *D)
    run.ok("record", "public-kindergarten-share", "40%", *D)  # a share is not a sum of shares
    run.ok("record", "new-public-kindergartens", "2", "--as-of", "2023-05-31")
    run.ok("record", "new-public-kindergartens", "3", "--county", "椒江区", *D)  # after the city's: it has grown since


def test_validate_hints_at_terms_for_a_plan_of_districts(run, tmp_path):
    """A city of districts read 1/≥3个县 and 5个县中1个已报送 everywhere, and nothing told the plan's
    author that [terms] says otherwise. validate now does, once, and not where the words fit."""
    from conftest import SYNTHETIC_PLAN

    text = SYNTHETIC_PLAN
    for county in ("椒江区", "黄岩区", "路桥区", "临海市", "温岭市", "玉环市", "天台县", "仙居县", "三门县"):
        text = text.replace(county, county[:2] + "区" if not county.endswith("区") else county)
    plan = tmp_path / "districts.toml"
    plan.write_text(text, encoding="utf-8")
    out = run.ok("validate", "--plan", plan, "--ledger", tmp_path / "l.toml").stdout
    assert "提示：计划中的单位都是区" in out and 'units = "区"' in out
    plan.write_text(text + '\n[terms]\nunits = "区"\n', encoding="utf-8")
    assert "提示：计划中的单位都是区" not in run.ok("validate", "--plan", plan, "--ledger", tmp_path / "l.toml").stdout
    plan.write_text(SYNTHETIC_PLAN, encoding="utf-8")
    assert "提示：计划中的单位都是区" not in run.ok("validate", "--plan", plan, "--ledger", tmp_path / "l.toml").stdout


def test_a_sheets_city_row_is_held_against_the_county_rows_below_it_too(run, ledger_path, tmp_path):
    path = write_csv(tmp_path / "june.csv", [["指标编号", "数值", "截至日期", "县(市、区)"],
                                              ["quality-projects", "300", "2023-06-30", ""],
                                              ["quality-projects", "200", "2023-06-30", "椒江区"],
                                              ["quality-projects", "150", "2023-06-30", "黄岩区"],
                                              ["quality-projects", "120", "2023-07-31", "椒江区"]])
    err = run.fails(1, "import", path).stderr
    assert f"{path}:2: 数值: 截至 2023-06-30 的全市数 300个 低于各县自报数之和 350个" in err
    assert f"{path}:3:" not in err and f"{path}:4:" not in err and not ledger_path.exists()
