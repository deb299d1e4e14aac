"""The words a reader sees, in the reader's language and saying what the thing is: the kind of
an indicator without its code, 指标编号 over the id column, the help's placeholders in the
empty-ledger hint, a repeated state called a state, a count of counties counted in counties, the
bulletin's overview in one word order, a percentage on a count of counties refused as a percentage,
and the offices' messages naming the entry and the office that can act. Uses the bundled plan;
figures here are SYNTHETIC."""

from __future__ import annotations

import re

import pytest

D = ["--as-of", "2023-06-30"]


@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")


def _row(text: str, label: str) -> str:
    """The value of one labelled line of `show`."""
    line = next(ln for ln in text.splitlines() if ln.startswith(label + " "))
    return line[len(label):].strip()


# --------------------------------------------------------------------------- 1, 4: kinds and ids


def test_show_says_what_an_indicator_is_in_the_readers_language_only(run, wide):
    zh = {ind: _row(run.ok("show", ind, *D).stdout, "类型") for ind in
          ("investment", "dual-creation-counties", "closed-loop-mechanism", "pilot-schools",
           "public-kindergarten-share", "county-counselling-centres")}
    assert zh == {"investment": "累计（元）", "dual-creation-counties": "县数", "closed-loop-mechanism": "节点",
                  "pilot-schools": "时点数（所）", "public-kindergarten-share": "比例（%）",
                  "county-counselling-centres": "县占比（%）"}
    en = _row(run.ok("show", "pilot-schools", *D, lang="en").stdout, "kind")
    assert en == "count level (所)"  # never "level (level)"
    assert _row(run.ok("show", "investment", *D, lang="en").stdout, "kind") == "flow (元)"


def test_plan_types_a_count_level_as_a_count_not_a_ratio(run, wide):
    rows = {line.split()[1]: line.split()[-1] for line in run.ok("plan").stdout.splitlines()
            if len(line.split()) > 2 and line.split()[1] in ("pilot-schools", "public-kindergarten-share")}
    assert rows == {"pilot-schools": "时点数", "public-kindergarten-share": "比例"}
    csv = run.ok("plan", "--format", "csv").stdout
    assert ",时点数,所," in next(ln for ln in csv.splitlines() if ln.startswith("pilot-schools,"))
    md = run.ok("plan", "--format", "markdown", lang="en").stdout
    assert "| count level |" in next(ln for ln in md.splitlines() if "pilot-schools" in ln)


def test_a_person_reads_the_id_column_under_a_chinese_header(run, wide, tmp_path):
    status = run.ok("status", *D).stdout.splitlines()
    head = next(ln for ln in status if ln.startswith("指标"))
    assert head.split()[:2] == ["指标", "指标编号"]
    assert not re.search(r"\bid\b", "\n".join(status))
    plan = run.ok("plan").stdout
    assert plan.splitlines()[1].split()[:2] == ["指标", "指标编号"]
    assert "行动编号" in plan and not re.search(r"^id\b", plan, re.M)
    assert run.ok("plan", lang="en").stdout.splitlines()[1].split()[:2] == ["indicator", "id"]
    from openpyxl import load_workbook

    out = tmp_path / "r.xlsx"
    run.ok("report", "--month", "2023-06", "-o", out)
    headers = [c.value for ws in load_workbook(out).worksheets for row in ws.iter_rows(max_row=3) for c in row]
    assert "指标编号" in headers and "id" not in headers


def test_a_count_of_counties_is_counted_in_counties_wherever_its_target_stands_alone(run, wide, tmp_path):
    assert _row(run.ok("show", "dual-creation-counties", *D).stdout, "目标") == "≥6个县"
    assert _row(run.ok("show", "dual-creation-counties", *D, lang="en").stdout, "target") == "≥6 counties"
    assert "- 目标：≥6个县" in run.ok("show", "dual-creation-counties", *D, "--format", "markdown").stdout
    plan = run.ok("plan").stdout
    assert "≥6个县" in next(ln for ln in plan.splitlines() if "dual-creation-counties" in ln)
    md = run.ok("plan", "--format", "markdown").stdout
    assert "| ≥6个县 |" in next(ln for ln in md.splitlines() if "dual-creation-counties" in ln)
    csv = run.ok("plan", "--format", "csv").stdout
    assert ",≥6个县," in next(ln for ln in csv.splitlines() if ln.startswith("dual-creation-counties,"))
    csv = run.ok("status", *D, "--format", "csv").stdout
    assert ",≥6个县," in next(ln for ln in csv.splitlines() if ",dual-creation-counties," in ln)
    sheet = tmp_path / "t.csv"
    run.ok("template", "-o", sheet, *D)
    assert ",≥6个县," in next(ln for ln in sheet.read_text(encoding="utf-8-sig").splitlines()
                              if ln.startswith("dual-creation-counties,"))
    # a share of counties keeps its percentage
    assert _row(run.ok("show", "county-counselling-centres", *D).stdout, "目标") == "≥50%"


# --------------------------------------------------------------------------- 2: the empty ledger's hint


def test_the_empty_ledger_hint_names_its_placeholders_as_the_help_does(run, wide):
    zh = run.ok("status", *D, "--section", "行动一").stdout  # no accumulating indicator to give as an example
    assert "eduplan record 指标 数值" in zh and "INDICATOR" not in zh
    usage = run.ok("record", "--help").stdout
    assert "指标" in usage and "数值" in usage
    assert "eduplan record indicator value" in run.ok("status", *D, "--section", "行动一", lang="en").stdout


# --------------------------------------------------------------------------- 3: a state is not a number


def test_a_state_entered_twice_is_called_a_state(run):
    run.ok("record", "closed-loop-mechanism", "进行中", *D)
    err = run.fails(1, "record", "closed-loop-mechanism", "进行中", *D).stderr
    assert "相同状态（进行中）" in err and "数字" not in err
    assert "the same state (in progress)" in run.fails(1, "record", "closed-loop-mechanism", "进行中", *D,
                                                       lang="en").stderr
    assert "如该数据确实无误" in err  # nor is it a number when it is accepted over the warning
    # a number entered twice is still the same figure
    run.ok("record", "new-public-kindergartens", "3", *D, "--county", "椒江区")
    assert "相同数字（3所）" in run.fails(1, "record", "new-public-kindergartens", "3", *D, "--county",
                                        "椒江区").stderr


def test_a_stored_state_entered_twice_is_called_a_state():
    """What `check` says of two stored entries (a hand edit, a merge) giving one state twice."""
    import datetime as dt

    from eduplan.core.models import Entry, State
    from eduplan.core.rules import stored_findings
    from eduplan.store.planfile import load_plan
    from eduplan.store.paths import bundled_plan_path

    plan = load_plan(bundled_plan_path())
    ind = plan.by_id["closed-loop-mechanism"]
    at = dt.datetime(2023, 7, 1, 9, 0, tzinfo=dt.timezone.utc)
    twice = [Entry(n, ind.id, dt.date(2023, 6, 30), "tester", at, state=State.IN_PROGRESS) for n in (1, 2)]
    found = [f for f in stored_findings(ind, plan, twice) if f.rule == "duplicate"]
    assert [f.message.render("zh") for f in found] == ["全市：截至 2023-06-30 的相同状态（进行中）重复填报（#1、#2）"]
    assert "the same state (in progress)" in found[0].message.render("en")


# --------------------------------------------------------------------------- 5: the bulletin's overview


def test_every_count_of_the_bulletins_overview_reads_status_first(run):
    from eduplan.render.bulletin_text import _COUNTED, STATUS_ORDER
    from eduplan.render.words import status_label

    for key in STATUS_ORDER:
        assert re.fullmatch(re.escape(status_label(key, "zh")) + "4项", _COUNTED[key](4).render("zh")), key
        assert re.fullmatch(r"4 [a-z ]+", _COUNTED[key](4).render("en")), key
    text = run.ok("report", "--month", "2023-06").stdout
    sentence = next(ln for ln in text.splitlines() if "序时进度" in ln and "项指标中" in ln)
    assert "不评价2项" in sentence and "项不评价" not in sentence  # two baselines not yet known
    assert "2 not judged, 68 without data" in run.ok("report", "--month", "2023-06", lang="en").stdout


# --------------------------------------------------------------------------- 6: a percentage of counties


@pytest.mark.parametrize("typed", ["60%", "5%", "5％"])
def test_a_percentage_on_a_count_of_counties_is_refused_as_a_percentage(run, ledger_path, typed):
    for force in ([], ["--force"]):
        err = run.fails(1, "record", "dual-creation-counties", typed, *D, *force).stderr
        assert "是百分比" in err and "但“双创”达到全国标准的县(市、区)统计的是县（市、区）的个数" in err, err
        assert "超过了计划中的" not in err
        assert f"'{typed}' is a percentage" in run.fails(1, "record", "dual-creation-counties", typed, *D, *force,
                                                          lang="en").stderr
    assert not ledger_path.exists()
    run.ok("record", "dual-creation-counties", "5", *D)  # a count still goes in


def test_a_sheet_row_with_a_percentage_on_a_count_of_counties_is_refused_as_a_percentage(run, tmp_path, ledger_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text("指标,数值,截至日期\ndual-creation-counties,60%,2023-06-30\n", encoding="utf-8-sig")
    err = run.fails(1, "import", sheet).stderr
    assert "“60%”是百分比" in err and "超过了" not in err
    assert not ledger_path.exists()


# --------------------------------------------------------------------------- 7: offices


@pytest.fixture
def offices(tmp_path, monkeypatch):
    """A ledger folder for the bundled plan: one office per county, the city's 台州市教育局."""
    path = tmp_path / "folder"
    path.mkdir()
    monkeypatch.setenv("EDUPLAN_LEDGER", str(path))
    return path


def test_an_office_is_told_which_entry_is_not_its_own(run, offices):
    run.ok("record", "new-public-kindergartens", "5", *D, "--county", "路桥区", "--office", "路桥区")
    run.ok("record", "new-public-kindergartens", "6", "--as-of", "2023-07-31", "--county", "路桥区", "--office", "路桥区")
    err = run.fails(1, "correct", "路桥区#2", "6", "--reason", "x", "--office", "椒江区").stderr
    assert "路桥区#2 是其他单位的记录" in err
    assert "路桥区#2 is another office's entry" in run.fails(1, "void", "路桥#2", "--reason", "x", "--office", "椒江区",
                                                             lang="en").stderr


def test_a_county_is_not_told_to_correct_the_citys_entry(run, offices):
    run.ok("record", "new-public-kindergartens", "5", *D, "--county", "路桥区", "--office", "路桥区")
    run.ok("correct", "路桥区#1", "7", "--reason", "市局核对", "--office", "台州市教育局", "--for-city")
    for verb in (["correct", "1", "8"], ["void", "1"]):
        err = run.fails(1, *verb, "--reason", "y", "--office", "路桥区").stderr
        assert "记录 #1 已由台州市教育局代表全市更正（记录 台州市教育局#1）" in err, err
        assert "只有台州市教育局可以更正或作废" in err and "请改为" not in err
    # the city, which may act on it, is still pointed at its own correction
    err = run.fails(1, "correct", "路桥区#1", "9", "--reason", "y", "--office", "台州市教育局", "--for-city").stderr
    assert "请改为更正记录 #1" in err


def test_the_city_wide_figure_is_said_to_be_the_city_offices(run, offices, tmp_path):
    err = run.fails(1, "record", "closed-loop-mechanism", "完成", *D, "--office", "路桥区").stderr
    assert "全市的数据由台州市教育局填报" in err and "其本单位" not in err
    sheet = tmp_path / "s.csv"
    sheet.write_text("指标,数值,县(市、区),截至日期\nclosed-loop-mechanism,完成,全市,2023-06-30\n", encoding="utf-8-sig")
    err = run.fails(1, "import", sheet, "--office", "路桥").stderr
    assert "本单位负责填报 路桥区；全市的数据由台州市教育局填报" in err
    assert "the city-wide figures are recorded by 台州市教育局" in run.fails(1, "import", sheet, "--office", "路桥",
                                                                          lang="en").stderr
    # a county's figure is still its own office's
    err = run.fails(1, "record", "new-public-kindergartens", "5", *D, "--county", "椒江区", "--office", "路桥区").stderr
    assert "椒江区的数据由其本单位填报" in err
    assert not list(offices.glob("*.toml"))


@pytest.mark.parametrize("amount, en, zh", [(1, "baseline +1 point", "基数+1个百分点"),
                                            (2, "baseline +2 points", "基数+2个百分点"),
                                            (-1, "baseline −1 point", "基数−1个百分点")])
def test_a_target_of_one_point_over_the_baseline_says_one_point(amount, en, zh):
    import dataclasses

    from eduplan.core.models import Relative, RelativeTarget
    from eduplan.render.words import relative_text
    from eduplan.store.paths import bundled_plan_path
    from eduplan.store.planfile import load_plan

    ind = next(i for i in load_plan(bundled_plan_path()).indicators if i.is_percent)
    ind = dataclasses.replace(ind, relative=RelativeTarget(Relative.PLUS, amount))
    assert (relative_text(ind, "en"), relative_text(ind, "zh")) == (en, zh)
