"""`eduplan status` and `eduplan show` as a user and a script see them. SYNTHETIC figures."""

from __future__ import annotations

import re

import csv
import io
import subprocess
import sys

import pytest
from rich.cells import cell_len

from conftest import COUNTIES

D = ["--as-of", "2023-06-30"]


@pytest.fixture
def filled(run, synthetic_plan_path):
    run.ok("record", "new-kindergartens", "13", *D)
    run.ok("record", "new-places", "5000", *D, "--county", "椒江区")
    run.ok("record", "public-share", "400/1000", *D, "--county", "椒江区")
    run.ok("record", "public-share", "80/100", *D, "--county", "黄岩区")
    for c in COUNTIES[:5]:
        run.ok("record", "counselling-counties", "done", *D, "--county", c)
    run.ok("record", "platform-online", "进行中", *D)
    return run


def test_status_json_schema(filled):
    doc = filled.json("status", *D)
    assert doc["schema_version"] == 3
    assert doc["as_of"] == "2023-06-30"
    assert doc["time_progress"] == pytest.approx(181 / 365, abs=1e-6)
    assert set(doc["summary"]) >= {"done", "on_track", "lagging", "behind", "no_data"}
    by_id = {i["id"]: i for i in doc["indicators"]}
    for ind in doc["indicators"]:
        assert set(ind) >= {"id", "name", "measure", "unit", "target", "comparator", "actual", "completion",
                            "status", "gap_pp", "remaining"}
    assert by_id["new-kindergartens"]["status"] == "on_track"
    assert by_id["new-kindergartens"]["completion"] == pytest.approx(13 / 25)
    assert by_id["new-kindergartens"]["remaining"] == 12
    assert by_id["public-share"]["actual"] == pytest.approx(480 / 1100 * 100, rel=1e-6)
    # (2 of 9 counties' shares: not the city's, met or not, until every county's is in)
    assert by_id["public-share"]["status"] == "not_judged" and by_id["public-share"]["gap_pp"] is None
    assert [n["code"] for n in by_id["public-share"]["notes"]] == ["ratio_partial"]
    assert by_id["counselling-counties"]["status"] == "done"
    assert by_id["counselling-counties"]["qualifying_counties"] == COUNTIES[:5]
    assert by_id["incidents"]["actual"] is None and by_id["incidents"]["completion"] is None
    assert by_id["incidents"]["status"] == "no_data"
    assert doc["summary"]["no_data"] == sum(1 for i in doc["indicators"] if i["status"] == "no_data")


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_status_table_reads_at_80_and_120_columns(filled, monkeypatch, width, lang):
    monkeypatch.setenv("COLUMNS", str(width))
    out = filled.ok("status", *D, "--lang", lang).stdout
    assert "\x1b[" not in out  # plain text in a pipe
    for line in out.splitlines():
        assert cell_len(line) <= width, line
    for ind in ("new-kindergartens", "public-share", "counselling-counties", "platform-online"):
        assert ind in out
    assert ("新建公办幼儿园" in out) == (lang == "zh")
    assert ("kindergartens" in out.replace("new-kindergartens", "")) == (lang == "en")
    assert "13/≥25所" in out and "52%" in out
    assert ("序时进度 49.6%" if lang == "zh" else "time progress 49.6%") in out


def test_status_table_in_colour_on_a_terminal(filled, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    out = filled.ok("status", *D).stdout
    assert "\x1b[" in out
    assert _colour_codes(out)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _colour_codes(filled.ok("status", *D).stdout)  # NO_COLOR: bold/dim may stay, colour goes


def _colour_codes(text: str) -> list[str]:
    import re

    out = []
    for params in re.findall(r"\x1b\[([0-9;]*)m", text):
        codes = [int(p) for p in params.split(";") if p]
        if any(30 <= c <= 48 or 90 <= c <= 107 for c in codes):
            out.append(params)
    return out


def test_status_csv_opens_in_excel(filled):
    raw = filled.ok("status", *D, "--format", "csv", "--lang", "en").stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel/WPS
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    by_id = {r["id"]: r for r in rows}
    assert by_id["new-kindergartens"]["indicator"] == "New public kindergartens"
    assert by_id["new-kindergartens"]["completion"] == "52.0%"
    assert by_id["new-kindergartens"]["status"] == "on track"
    zh = list(csv.DictReader(io.StringIO(filled.ok("status", *D, "--format", "csv").stdout_bytes.decode("utf-8-sig"))))
    row = next(r for r in zh if r["指标编号"] == "new-kindergartens")
    assert row["指标"] == "新建公办幼儿园" and row["状态"] == "正常"  # names and statuses for people


def test_status_markdown(filled):
    md = filled.ok("status", *D, "--format", "markdown").stdout
    assert md.startswith("## ")
    assert "| 新建公办幼儿园 | new-kindergartens | 13/≥25所 | 52% | 50% | 正常 |" in md  # 50%: expected by now


def test_filters(filled):
    doc = filled.json("status", *D, "--section", "matter-1")
    assert {i["id"] for i in doc["indicators"]} == {"new-kindergartens", "new-places"}
    doc = filled.json("status", *D, "--section", "action-1")
    assert [i["id"] for i in doc["indicators"]] == ["new-kindergartens"]
    doc = filled.json("status", *D, "--status", "done", "--status", "on_track")
    assert {i["status"] for i in doc["indicators"]} == {"done", "on_track"}
    assert doc["summary"]["no_data"] == 0


def test_county_view(filled):
    doc = filled.json("status", *D, "--county", "椒江区")
    by_id = {i["id"]: i for i in doc["indicators"]}
    assert doc["county"] == "椒江区"
    # the plan gives 椒江区 no target of its own: its figure is shown, not judged (issue #11)
    assert by_id["public-share"]["actual"] == 40 and by_id["public-share"]["status"] == "not_judged"
    assert by_id["public-share"]["target"] is None
    assert [n["code"] for n in by_id["public-share"]["notes"]] == ["no_county_target"]
    assert by_id["counselling-counties"]["status"] == "done"
    assert by_id["new-kindergartens"]["status"] == "no_data"  # only a city-wide figure exists


def test_by_county(filled, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    out = filled.ok("status", *D, "--by-county").stdout
    for c in COUNTIES:
        assert c[:-1] in out  # by the short name the bureau uses (椒江 for 椒江区)
    doc = filled.json("status", *D, "--by-county")
    assert doc["by_county"]["public-share"]["黄岩区"]["status"] == "not_judged"  # no county target in the plan
    assert doc["by_county"]["public-share"]["黄岩区"]["actual"] == 80
    assert doc["by_county"]["counselling-counties"]["椒江区"]["status"] == "done"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_by_county_adds_the_grid_below_the_status_table(filled, monkeypatch, lang):
    """README: `--by-county` adds an indicator × county grid: the status table, its summary line and
    the "not reported" footer stay, the grid follows (as the JSON holds both)."""
    monkeypatch.setenv("COLUMNS", "100")
    plain = filled.ok("status", *D, "--lang", lang).stdout
    out = filled.ok("status", *D, "--by-county", "--lang", lang).stdout
    assert out.startswith(plain)  # the status table as `status` prints it, footer included
    summary = "序时进度 49.6%" if lang == "zh" else "time progress 49.6%"
    footer = "本月未报送" if lang == "zh" else "Not reported this month"
    grid_title = "分县情况" if lang == "zh" else "By county-level unit"
    assert summary in out and footer in out and "new-kindergartens" in out
    assert out.index(summary) < out.index(footer) < out.index(grid_title)
    grid = out[out.index(grid_title):]
    assert all(c[:-1] in grid for c in COUNTIES)  # the grid: every county by its short name
    plain_md = filled.ok("status", *D, "--lang", lang, "--format", "markdown").stdout
    md = filled.ok("status", *D, "--by-county", "--lang", lang, "--format", "markdown").stdout
    assert md.startswith(plain_md.rstrip("\n")) and len(md) > len(plain_md)  # in Markdown too


@pytest.mark.parametrize("width", [60, 80, 100])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_who_has_not_reported_keeps_each_unit_with_its_count(filled, monkeypatch, width, lang):
    """The footer 本月未报送：全市 3项、椒江区 2项 … broke at the space between a county and its
    count (路桥区 / 14项), and across a county's name."""
    monkeypatch.setenv("COLUMNS", str(width))
    out = filled.ok("status", *D, "--lang", lang).stdout
    start = out.index("本月未报送" if lang == "zh" else "Not reported this month")
    footer = out[start:].splitlines()
    text = " ".join(line.strip() for line in footer)
    for county in COUNTIES:
        if county in text:  # whole, and followed by its count on the same line
            assert any(re.search(rf"{county}\s\d", line) for line in footer), footer
    assert not any(re.match(r"\s*\d+\s*(项|indicator)", line) for line in footer[1:]), footer


def test_fail_on_exit_codes(filled):
    assert filled("status", *D, "--fail-on", "behind").exit_code == 3  # public-share is behind
    assert filled("status", *D, "--fail-on", "lagging", "--section", "action-1").exit_code == 0
    assert filled("status", *D, "--fail-on", "behind", "--status", "done").exit_code == 0
    filled.ok("record", "new-kindergartens", "11", "--as-of", "2023-06-30", "--force")  # 44%: lagging (a lower total, accepted)
    assert filled("status", *D, "--fail-on", "lagging", "--section", "action-1").exit_code == 3
    assert filled("status", *D, "--fail-on", "behind", "--section", "action-1").exit_code == 0


@pytest.mark.parametrize("today, as_of", [("2026-11-28", "2023-12-31"), ("2023-05-02", "2023-05-02"),
                                           ("2022-05-02", "2023-01-01")])
def test_default_as_of_is_today_clamped_to_the_plan(filled, monkeypatch, today, as_of):
    import datetime as dt

    from eduplan.services import workspace

    day = dt.date.fromisoformat(today)
    monkeypatch.setattr(workspace, "now", lambda: dt.datetime(day.year, day.month, day.day, 9, 30,
                                                              tzinfo=dt.timezone(dt.timedelta(hours=8))))
    assert filled.json("status")["as_of"] == as_of


def test_empty_ledger_is_normal(run, synthetic_plan_path):
    result = run.ok("status")
    assert "No figures recorded yet" in result.stdout or "还没有数据" in result.stdout
    assert "eduplan record" in result.stdout
    doc = run.json("status")
    assert doc["summary"]["no_data"] == doc["summary"]["total"]


def test_the_first_record_an_empty_ledger_suggests_can_be_run_as_it_stands(run, school_year_plan_path):
    """Under a school year (2024-09-01 to 2025-08-31) the suggestion was dated 2024-03-31, outside
    the period: following it failed. It is dated the day read."""
    out = run.ok("status", "--as-of", "2024-11-30").stdout
    line = next(x.strip() for x in out.splitlines() if x.strip().startswith("eduplan record"))
    assert line.endswith("--as-of 2024-11-30"), line
    run.ok(*line.split()[1:])


def test_real_plan_status_on_empty_ledger(run):
    doc = run.json("status")
    # the two targets stated against last year cannot be judged until the baseline is recorded
    not_judged = [i["id"] for i in doc["indicators"] if i["status"] == "not_judged"]
    assert not_judged == ["student-abnormal-deaths", "pilot-schools"]
    assert doc["summary"]["no_data"] == len(doc["indicators"]) - 2 > 60


def test_show(filled, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    filled.ok("correct", "3", "450/1000", "--reason", "late report")
    out = filled.ok("show", "public-share", *D).stdout
    assert "公办园在园幼儿占比达56%以上" in out  # the source phrase
    assert "椒江区" in out and "黄岩区" in out
    assert "late report" in out
    doc = filled.json("show", "public-share", *D)
    assert doc["indicator"]["actual"] == pytest.approx(530 / 1100 * 100, rel=1e-6)
    assert [e["id"] for e in doc["history"]][:1] == [max(e["id"] for e in doc["history"])]
    assert any(e["superseded_by"] for e in doc["history"])
    bad = filled.fails(1, "show", "public-shar", lang="en")
    assert "did you mean: public-share" in bad.stderr


def test_show_as_of_a_day_lists_the_history_to_that_day(filled):
    """A view of June does not show September's 完成 beneath its 进行中 · 正常: the history stops
    at the day read, as the status above it does."""
    filled.ok("record", "platform-online", "完成", "--as-of", "2023-09-25")
    june = filled.json("show", "platform-online", *D)
    assert june["indicator"]["state"] == "in-progress"
    assert [e["as_of"] for e in june["history"]] == ["2023-06-30"]
    assert "2023-09-25" not in filled.ok("show", "platform-online", *D).stdout
    later = filled.json("show", "platform-online", "--as-of", "2023-09-30")
    assert [e["as_of"] for e in later["history"]] == ["2023-09-25", "2023-06-30"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("indicator", ["public-share", "new-places", "counselling-counties", "platform-online"])
def test_show_in_markdown_says_what_the_table_says(filled, monkeypatch, indicator, lang):
    """Every line of show's table (label and text), each county's figure and each entry's
    author are in its markdown too: a report pasted from it leaves nothing out."""
    monkeypatch.setenv("COLUMNS", "400")
    table = filled.ok("show", indicator, *D, lang=lang).stdout
    md = filled.ok("show", indicator, *D, "--format", "markdown", lang=lang).stdout
    lines = [line.rstrip() for line in table.splitlines()]
    start = next(k for k, line in enumerate(lines) if line.split()[:1] in (["来源"], ["source"]))
    facts = []
    for line in lines[start:]:
        if not line or not line[0].strip() or "  " not in line:
            break
        label, text = line.split("  ", 1)
        facts.append((label, text.strip()))
    assert len(facts) >= 8
    for label, text in facts:
        colon = "：" if lang == "zh" else ": "  # the language's own punctuation
        assert f"- {label}{colon}" in md and text.replace("*", "\\*").replace("_", "\\_") in md, (label, text)
    for county in COUNTIES:
        assert any(line.startswith(county) for line in lines) == (f"| {county} |" in md)
    assert "| tester |" in md  # who recorded each entry


@pytest.mark.parametrize("width", [80, 120, 160])
def test_status_table_says_what_it_takes_to_finish(filled, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    out = filled.ok("status", *D, "--section", "matter-1").stdout
    # new-places: 5000 of 35000 at mid-year; 30000 to go over the 6 months left
    flat = "".join(out.split())  # the cell may wrap
    assert "还需3万个" in flat and "每月0.5万个" in flat  # six whole months left, in the plan's unit (万个)
    counties = filled.ok("status", *D, "--section", "focus-1", "--status", "done").stdout
    body = [line for line in counties.splitlines() if not line.startswith("指标")]
    assert not any("还需" in line for line in body)  # nothing to go once done


def test_counties_indicator_counts_counties_to_go(run, synthetic_plan_path):
    run.ok("record", "standard-counties", "done", "--county", "椒江区", *D)
    doc = run.json("status", *D)
    row = next(i for i in doc["indicators"] if i["id"] == "standard-counties")
    assert row["remaining"] == 5
    assert "还需5个县" in "".join(run.ok("status", *D, "--section", "focus-1").stdout.split())


def test_json_is_compact_in_a_pipe_and_indented_for_people(filled):
    from eduplan.render.encoding import to_json

    out = filled.ok("status", *D, "--format", "json").stdout
    assert out.count("\n") == 1  # one line for programs (stdout is not a terminal here)
    import json

    doc = json.loads(out)
    assert to_json(doc, pretty=True).count("\n") > 100 and json.loads(to_json(doc, pretty=True)) == doc


def test_reading_date_defaults_to_today_within_the_period(synthetic_plan):
    import datetime as dt

    from eduplan.errors import EduplanError
    from eduplan.services.workspace import reading_date

    assert reading_date(synthetic_plan, None, today=dt.date(2023, 5, 2)) == dt.date(2023, 5, 2)
    assert reading_date(synthetic_plan, None, today=dt.date(2022, 5, 2)) == dt.date(2023, 1, 1)
    assert reading_date(synthetic_plan, None, today=dt.date(2026, 11, 28)) == dt.date(2023, 12, 31)
    with pytest.raises(EduplanError) as err:
        reading_date(synthetic_plan, dt.date(2024, 1, 1), today=dt.date(2026, 11, 28))
    assert "outside the plan period" in err.value.render("en")


@pytest.mark.parametrize("width", [80, 120, 160])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_section_titles_stand_on_one_line_at_every_width(run, monkeypatch, width, lang):
    """A section title is a line of its own across the table, never wrapped in the name column."""
    monkeypatch.setenv("COLUMNS", str(width))
    out = run.ok("status", "--as-of", "2023-06-30", "--section", "matter-2", lang=lang).stdout
    title = "教育实事 · 二、推进城乡均衡发展" if lang == "zh" else "Practical matter 2: Balanced urban-rural development"
    assert title in out.splitlines()
    assert all(cell_len(line) <= width for line in out.splitlines())


def test_a_figure_that_needs_someone_to_act_is_said_beneath_the_table(run):
    """The core marks the notes that need someone to act (Note.warns: a task past its due date,
    a baseline not yet known, a county share without its denominator); the table says each
    such indicator on a line of its own beneath the rows, and no other."""
    run.ok("record", "exam-epidemic-safety", "进行中", "--as-of", "2023-11-30")
    out = run.ok("status", "--as-of", "2023-12-31").stdout
    beneath = out[out.index("序时进度"):]
    assert "组考防疫双安全：已到完成时限2023-12-31仍在进行中" in beneath  # (read on the day itself)
    assert "学生非正常死亡人数：基数" in beneath  # its baseline is not recorded
    run.ok("record", "exam-epidemic-safety", "完成", "--as-of", "2023-12-15")
    beneath = run.ok("status", "--as-of", "2023-12-31").stdout.split("序时进度", 1)[1]
    assert "组考防疫双安全" not in beneath


def test_a_city_wide_figure_older_than_the_counties_is_said_to_be(run):
    """A 全市 figure of 1000 as of 31 March outweighed three counties' 3000 each as of 30 June
    without a word (a city-wide entry is the one counted). It still is, but status says that the
    counties' figures are newer, and how to count them."""
    run.ok("record", "new-school-places", "1000", "--as-of", "2023-03-31")
    for county in ("椒江", "黄岩", "路桥"):
        run.ok("record", "new-school-places", "3000", "--as-of", "2023-06-30", "--county", county)
    row = next(i for i in run.json("status", "--as-of", "2023-06-30")["indicators"] if i["id"] == "new-school-places")
    assert row["actual"] == 1000 and row["rollup"] == "city"
    assert {"code": "city_older", "city": "2023-03-31", "counties": "2023-06-30", "rollup": "sum"} in row["notes"]
    table = run.ok("status", "--as-of", "2023-06-30", "--section", "实事一").stdout
    assert "早于各县数据" in table.replace("\n", "") and "改按各县合计" in table.replace("\n", "")
    # a percentage: the counties' figures are counted together as Σnumerator ÷ Σdenominator, not summed
    run.ok("record", "public-kindergarten-share", "50%", "--as-of", "2023-03-31")
    run.ok("record", "public-kindergarten-share", "400/1000", "--as-of", "2023-06-30", "--county", "椒江")
    row = next(i for i in run.json("status", "--as-of", "2023-06-30")["indicators"]
               if i["id"] == "public-kindergarten-share")
    assert {"code": "city_older", "city": "2023-03-31", "counties": "2023-06-30", "rollup": "ratio"} in row["notes"]
    text = run.ok("status", "--as-of", "2023-06-30").stdout.replace("\n", "")
    assert "改按各县数据汇总计算（Σ分子 ÷ Σ分母）" in text
    # a county's bare percentage cannot be counted together: no advice to void the city's figure
    run.ok("record", "public-kindergarten-share", "30%", "--as-of", "2023-06-30", "--county", "黄岩")
    row = next(i for i in run.json("status", "--as-of", "2023-06-30")["indicators"]
               if i["id"] == "public-kindergarten-share")
    assert {"code": "city_older", "city": "2023-03-31", "counties": "2023-06-30", "rollup": "none"} in row["notes"]
    text = run.ok("status", "--as-of", "2023-06-30").stdout.replace("\n", "")
    assert "各县数据无法汇总计算" in text and "改按各县数据汇总计算" not in text
    run.ok("record", "new-school-places", "9000", "--as-of", "2023-06-30")  # the city brings its figure up to date
    row = next(i for i in run.json("status", "--as-of", "2023-06-30")["indicators"] if i["id"] == "new-school-places")
    assert row["actual"] == 9000 and all(n["code"] != "city_older" for n in row["notes"])


def test_one_countys_view_leaves_out_what_the_city_reports(run):
    """`status --county 椒江` listed every milestone and every city-reported indicator (教育项目投资 …)
    as 无数据 for the county: 44 rows it could never fill. They are left out, unless the county has
    a figure for one (accepted over the reported-by warning), which is then shown."""
    doc = run.json("status", "--as-of", "2023-06-30", "--county", "椒江")
    ids = {i["id"] for i in doc["indicators"]}
    assert "new-school-places" in ids and "dual-creation-counties" in ids
    assert "investment" not in ids and "smart-education-cloud" not in ids  # the city's, a milestone
    assert doc["summary"]["total"] == len(ids) < 70
    run.ok("record", "famous-teacher-studios", "1", "--as-of", "2023-06-30", "--county", "椒江", "--force")
    assert "famous-teacher-studios" in {i["id"] for i in run.json("status", "--as-of", "2023-06-30", "--county",
                                                                   "椒江")["indicators"]}
    assert len(run.json("status", "--as-of", "2023-06-30")["indicators"]) == 70  # the city's view has them all



@pytest.mark.parametrize("width", ["60", "80"])
def test_show_never_cuts_a_note_short(run, monkeypatch, width):
    """show's notes were cut at two lines with … (the advice of the city_older note lost)."""
    monkeypatch.setenv("COLUMNS", width)
    run.ok("record", "new-school-places", "1000", "--as-of", "2023-03-31")
    run.ok("record", "new-school-places", "3000", "--as-of", "2023-06-30", "--county", "椒江")
    out = run.ok("show", "new-school-places", "--as-of", "2023-06-30").stdout
    assert "以改按各县合计" in out.replace("\n", "").replace(" ", "") and "…" not in out


def amend(plan_path, old: str, new: str) -> None:
    """The plan file with one passage replaced (it must be there)."""
    text = plan_path.read_text(encoding="utf-8")
    assert old in text, old
    plan_path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def partly_split(run, synthetic_plan_path):
    """The synthetic plan with new-places split for two counties only, and standard-counties
    asking 椒江区 to qualify (SYNTHETIC targets and figures)."""
    amend(synthetic_plan_path, 'county_targets = { "椒江区" = 3000, "黄岩区" = 3500, "路桥区" = 4000, "临海市" = 4500, '
          '"温岭市" = 5000, "玉环市" = 4000, "天台县" = 4000, "仙居县" = 3500, "三门县" = 3500 }',
          'county_targets = { "椒江区" = 3000, "黄岩区" = 3500 }')
    amend(synthetic_plan_path, 'source = "推动6个以上县(市、区)达到全国标准"',
          'source = "推动6个以上县(市、区)达到全国标准"\ncounty_targets = { "椒江区" = 1 }')
    run.ok("record", "new-places", "2000", *D, "--county", "椒江区")
    run.ok("record", "new-places", "800", *D, "--county", "路桥区")
    run.ok("record", "standard-counties", "进行中", *D, "--county", "黄岩区")
    return run


def test_the_county_grid_names_the_counties_an_indicator_split_for_others_gives_no_target(partly_split, monkeypatch):
    """new-places has county targets for 椒江区 and 黄岩区 only: the grid's footnote said it was
    not split at all (未作任务分解) though 椒江区's figure is judged. It is named apart, with the
    counties whose figures are shown without a light."""
    monkeypatch.setenv("COLUMNS", "200")
    partly_split.ok("record", "public-share", "40%", *D, "--county", "椒江区")  # not split at all
    out = partly_split.ok("status", *D, "--by-county").stdout
    grid = out[out.index("✔ 完成  ● 正常"):]
    unsplit = next(line for line in grid.splitlines() if line.startswith("未作任务分解"))
    assert "新增学位" not in unsplit and "公办园在园幼儿占比" in unsplit
    assert "达到全国标准" not in unsplit and "建成心理辅导中心" not in unsplit  # no county sent one: nothing to say
    partly = next(line for line in grid.splitlines() if line.startswith("仅部分县"))
    assert "新增学位（路桥区）" in partly and "椒江区" not in partly and "达到全国标准的县（黄岩区）" in partly
    note = next(n for i in partly_split.json("status", *D, "--county", "路桥区")["indicators"] if i["id"] == "new-places"
                for n in i["notes"] if n["code"] == "no_county_target")
    assert note["targets_for"] == ["椒江区", "黄岩区"]
    assert "本县（市、区）无分解目标（计划仅分解到椒江区、黄岩区）" in partly_split.ok("status", *D, "--county", "路桥区").stdout


def test_a_county_is_not_given_the_citys_count_of_counties_as_its_target(partly_split):
    """In one county's view, a count of counties showed the city's target as the county's
    (`—/≥6个县`, `—/≥50%`). A county's part is its own state: a county the plan does not ask is
    said to have no target of its own; the JSON target is null."""
    doc = partly_split.json("status", *D, "--county", "路桥区")
    rows = {i["id"]: i for i in doc["indicators"]}
    assert rows["standard-counties"]["target"] is None and rows["counselling-counties"]["target"] is None
    md = partly_split.ok("status", *D, "--county", "路桥区", "--format", "markdown").stdout
    for line in md.splitlines():
        if "standard-counties" in line or "counselling-counties" in line:
            assert "—（无分解目标）" in line and "≥" not in line, line
    md = partly_split.ok("status", *D, "--county", "椒江区", "--format", "markdown").stdout
    line = next(line for line in md.splitlines() if "standard-counties" in line)
    assert "无分解目标" not in line and "≥" not in line


def test_a_warning_under_a_county_table_is_said_once(partly_split, synthetic_plan_path, monkeypatch):
    """A county asked to qualify by a due date and still in progress after it was said twice
    under its table: as a warning, and again among the county's notes."""
    monkeypatch.setenv("COLUMNS", "200")
    amend(synthetic_plan_path, 'county_targets = { "椒江区" = 1 }',
          'county_targets = { "椒江区" = 1 }\npace = { kind = "once", date = 2023-05-31 }')
    partly_split.ok("record", "standard-counties", "进行中", *D, "--county", "椒江区")
    out = partly_split.ok("status", *D, "--county", "椒江区").stdout
    assert out.count("已过完成时限2023-05-31仍在进行中") == 1, out


def test_a_county_figure_without_a_target_reads_in_its_own_size_in_the_bulletin(partly_split):
    """路桥区's 800 places, without a target of its own, read 0.08万个 in the bulletin's county
    grid (the city's target is 3.5万): alone, a figure is shown in its own size, as in status."""
    for fmt in ("markdown", "html"):
        out = partly_split.ok("report", "--month", "2023-06", "--format", fmt).stdout
        assert "800个" in out and "0.08万" not in out, fmt


def _ids(doc) -> list[str]:
    return [i["id"] for i in doc["indicators"]]


def test_a_school_year_plan_reads_its_whole_period_and_its_own_section_words(run, school_year_plan_path):
    """A plan over 2024-09-01 to 2025-08-31 that calls its focus sections 主要任务: 全年 was 2024-12-31
    (the plan's year), 主要任务一 was refused while the generic 重点一 was taken, and the refusal
    gave the bundled plan's sections as examples (实事一、行动三、党建为纲)."""
    run.ok("record", "new-places", "3000", "--as-of", "10月31日", "--county", "椒江")
    assert run.json("status", "--as-of", "全年")["as_of"] == "2025-08-31"
    assert run.json("status", "--as-of", "1月底")["as_of"] == "2025-01-31"
    focus = run.json("status", "--section", "focus-1")
    assert focus["section"] == "focus-1"
    for typed in ("主要任务一", "主要任务1", "第一主要任务", "Main task 1", "main task 1", "重点一", "focus 1"):
        doc = run.json("status", "--section", typed)
        assert (doc["section"], _ids(doc)) == ("focus-1", _ids(focus)), typed
    zh = run.fails(1, "status", "--section", "xyz").stderr
    assert "--section: 没有板块“xyz”；请写成 主要任务一、实事一、行动一、重点一 或 focus-1 这样" in zh
    en = run.fails(1, "status", "--section", "xyz", lang="en").stderr
    assert "--section: unknown section 'xyz'; name it like Main task 1, matter 1, action 1, 重点一 or focus-1" in en
    assert "党建为纲" not in zh + en


def test_the_bundled_plans_section_refusal_gives_its_own_sections(run):
    zh = run.fails(1, "status", "--section", "xyz").stderr
    assert "请写成 重点一、行动一、实事一、党建为纲 或 focus-1 这样" in zh
    assert "主要任务" not in zh
    en = run.fails(1, "status", "--section", "xyz", lang="en").stderr
    assert "name it like focus 1, action 1, matter 1, Party building as the guiding line or focus-1" in en


def test_two_sections_are_refused_not_one_quietly_dropped(run, synthetic_plan_path):
    """`--section A --section B` showed B alone, without a word."""
    err = run.fails(2, "status", *D, "--section", "matter-1", "--section", "focus-1").stderr
    assert "--section: 一次只能查看一个板块（给了 matter-1、focus-1）" in err
    en = run.fails(2, "status", *D, "--section", "matter-1", "--section", "focus-1", lang="en").stderr
    assert "--section: one section at a time: matter-1, focus-1 were given" in en
    for same in ("matter-1", "实事一"):  # one section, however often or however named
        assert run.json("status", *D, "--section", "matter-1", "--section", same)["section"] == "matter-1"


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_show_says_evenly_over_the_year_only_where_the_period_is_a_calendar_year(run, synthetic_plan_path,
                                                                                  school_year_plan_path, fmt):
    def pace(plan, lang=None):
        out = run.ok("show", "new-places", "--plan", plan, "--format", fmt, lang=lang).stdout
        return " ".join(out.split())

    assert "全年均匀推进（序时进度）" in pace(synthetic_plan_path)
    assert "evenly over the year (time progress)" in pace(synthetic_plan_path, "en")
    school = pace(school_year_plan_path)
    assert "计划期内均匀推进（序时进度）" in school and "全年" not in school
    assert "evenly over the plan period (time progress)" in pace(school_year_plan_path, "en")


def test_nothing_against_a_cap_of_nothing_is_not_said_to_be_at_the_cap(run, synthetic_plan_path, monkeypatch):
    """A county asked for no incident at all, with none, read 0/≤0起 · 已达上限, which reads as a
    warning. At a cap of more than nothing, reaching it still says so."""
    monkeypatch.setenv("COLUMNS", "200")
    amend(synthetic_plan_path, 'source = "安全事故控制在10起以内"',
          'source = "安全事故控制在10起以内"\ncounty_targets = { "椒江区" = 0, "黄岩区" = 1 }')
    run.ok("record", "incidents", "0", *D, "--county", "椒江区")
    run.ok("record", "incidents", "1", *D, "--county", "黄岩区")
    line = next(x for x in run.ok("status", *D, "--county", "椒江区").stdout.splitlines() if "incidents" in x)
    assert "0/≤0起" in line and "已达上限" not in line, line
    line = next(x for x in run.ok("status", *D, "--county", "黄岩区").stdout.splitlines() if "incidents" in x)
    assert "已达上限" in line, line


def test_a_cap_within_its_limit_but_past_its_share_so_far_says_why_it_is_not_on_track(run, synthetic_plan_path,
                                                                                     monkeypatch):
    """8 incidents of a yearly cap of 10 by the end of March: within the cap (完成 100%), yet
    not on track, as the cap is a budget for the year; the red or yellow light came without a
    word. It now says what the budget so far allows."""
    monkeypatch.setenv("COLUMNS", "200")
    run.ok("record", "incidents", "8", "--as-of", "2023-03-31")
    row = next(i for i in run.json("status", "--as-of", "2023-03-31")["indicators"] if i["id"] == "incidents")
    assert row["status"] in ("lagging", "behind") and row["completion"] == 1
    note = next(n for n in row["notes"] if n["code"] == "over_pace")
    # incidents come whole: of the 2.47 the time gone allows, 2 (it said '2.5起'; and 3 of a cap of
    # 12 at 24.7% said 'at most 3 by now' of a count of 3 that was past it)
    assert 10 * row["expected"] == pytest.approx(2.47, abs=0.01)
    assert note["allowed"] == 2 and note["target"] == 10
    out = run.ok("status", "--as-of", "2023-03-31").stdout
    beneath = out[out.index("序时进度"):]
    assert "安全事故：尚在上限内，但已超出序时额度：按序时进度，截至目前宜不超过2起（上限10起的24.7%）" in beneath, beneath
    run.ok("record", "incidents", "3", "--as-of", "2023-03-31", "--force")
    note = next(n for n in next(i for i in run.json("status", "--as-of", "2023-03-31")["indicators"]
                                if i["id"] == "incidents")["notes"] if n["code"] == "over_pace")
    assert note["allowed"] == 2  # never a figure at or above the count it says is past it
    run.ok("record", "incidents", "2", "--as-of", "2023-03-31", "--force")  # a correction of the count: on track
    row = next(i for i in run.json("status", "--as-of", "2023-03-31")["indicators"] if i["id"] == "incidents")
    assert row["status"] == "on_track" and not any(n["code"] == "over_pace" for n in row["notes"])


def test_a_county_figure_without_a_target_reads_in_its_own_size_in_its_own_view(partly_split):
    """路桥区's 800 places, without a target of its own, read 0.08万个（无分解目标） in its own
    status (the city's target is 3.5万), in the table and markdown alike."""
    for fmt in ("table", "markdown"):
        out = partly_split.ok("status", *D, "--county", "路桥区", "--format", fmt).stdout
        line = next(x for x in out.splitlines() if "new-places" in x)
        assert "800个（无分解目标）" in line and "万" not in line, (fmt, line)


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_county_table_says_no_target_beneath_only_for_figures_it_shows(partly_split, monkeypatch, fmt):
    """Under one county's table, every indicator without a county target had a line of its own
    (30 lines for the bundled plan), though each such row already reads —（无分解目标）. Only a row
    with a figure keeps its line (it says the figure's share of the city)."""
    monkeypatch.setenv("COLUMNS", "200")
    out = partly_split.ok("status", *D, "--county", "路桥区", "--format", fmt).stdout
    assert "公办园在园幼儿占比：无县级目标" not in out  # no figure: the row says it
    assert "新增学位：本县（市、区）无分解目标（计划仅分解到椒江区、黄岩区）" in out  # 800 places: said, with the city's


def test_using_eduplan_as_a_library_leaves_the_cycle_collector_as_it_was():
    # (the console script paces the collector for its own process only: eduplan.console)
    code = ("import gc; before = gc.get_threshold(); import eduplan, eduplan.cli, eduplan.services, eduplan.render; "
            "from eduplan.cli import main; main(['--version']); print(gc.get_threshold() == before, gc.isenabled())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split()[-2:] == ["True", "True"], out.stderr


def test_every_commands_annotations_are_objects_so_that_typer_reads_them_without_evaluating_text():
    # typer reads a command's parameters from its annotations whenever it builds it (help builds
    # every command); kept as text (``from __future__ import annotations``), each is evaluated
    # then: `--help` took 471 M instructions instead of 403 (bench/run.py times it)
    import inspect

    from eduplan.cli import app

    commands = [c.callback for c in app.registered_commands] + [app.registered_callback.callback]
    assert len(commands) > 10
    for callback in commands:
        for name, p in inspect.signature(callback).parameters.items():
            assert not isinstance(p.annotation, str), f"{callback.__name__}({name}: {p.annotation!r})"


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_the_grid_counts_only_indicators_with_a_city_figure_as_the_citys_alone(run, synthetic_plan_path, fmt):
    """"另有7项指标无分县数据（仅有全市数据…）" counted every indicator no county had a figure for,
    those with no figure at all among them: one has a city-wide figure here."""
    run.ok("record", "new-kindergartens", "5", "--as-of", "2023-06-30")
    run.ok("record", "new-places", "100", "--as-of", "2023-06-30", "--county", "椒江区")
    out = run.ok("status", "--by-county", "--as-of", "2023-06-30", "--format", fmt).stdout
    assert "另有1项指标无分县数据（仅有全市数据" in out, out


def test_the_log_table_shows_times_of_recording_in_the_readers_zone(run, synthetic_plan_path, ledger_path, monkeypatch):
    """#1 recorded in Shanghai at 02:23 on 1 December, #2 in New York a few seconds later (13:23 on
    30 November there): the table showed their own clocks, offsets dropped, and #2 read as the
    earlier. Both are shown in the reader's zone."""
    import time

    text = ('schema_version = 2\nplan = "synthetic-2023"\nplan_version = "1"\n\n'
            '[[entries]]\nid = 1\nindicator = "new-kindergartens"\nvalue = 3\nas_of = 2023-06-30\nby = "sh"\n'
            'recorded_at = 2023-12-01 02:23:00+08:00\n\n'
            '[[entries]]\nid = 2\nindicator = "new-kindergartens"\nvalue = 4\nas_of = 2023-06-30\nby = "ny"\n'
            'recorded_at = 2023-11-30 13:23:05-05:00\n')
    ledger_path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    monkeypatch.setenv("COLUMNS", "160")
    try:
        out = run.ok("log").stdout
    finally:
        monkeypatch.undo()
        time.tzset()
    assert "sh · 2023-12-01 02:23" in out and "ny · 2023-12-01 02:23" in out, out


def test_a_level_due_at_the_years_end_is_not_behind_from_january(run, ledger_path):
    """中小学智慧校园比例达到75% (no date: the year's target) had no pace and was judged at once:
    60% in February read ✖ 落后, red until it was met, whenever in the year that was due."""
    for county in ("椒江区", "黄岩区", "路桥区", "临海市", "温岭市", "玉环市", "天台县", "仙居县", "三门县"):
        run.ok("record", "smart-campus-share", "600/1000", "--county", county, "--as-of", "2023-01-31")
    row = next(i for i in run.json("status", "--as-of", "2023-02-15")["indicators"] if i["id"] == "smart-campus-share")
    assert row["status"] == "on_track"
    row = next(i for i in run.json("status", "--as-of", "2023-12-31")["indicators"] if i["id"] == "smart-campus-share")
    assert row["status"] == "behind"  # (judged at the year's end: 60% of ≥75%)


def test_validate_names_levels_that_rise_without_a_pace(run, tmp_path):
    """A plan author's level without a pace is judged at once: validate says so, with what to write
    where the target is for a date; the bundled plan has none left."""
    assert "提示：" not in run.ok("validate").stdout
    plan = tmp_path / "plan.toml"
    from eduplan.store.paths import bundled_plan_path

    text = bundled_plan_path().read_text(encoding="utf-8")
    source = bundled_plan_path().parent / "taizhou-2023-work-priorities.txt"
    (tmp_path / source.name).write_bytes(source.read_bytes())
    plan.write_text(text.replace('source = "中小学智慧校园比例达到75%"\nreported_by = "counties"\n'
                                 '# the text gives no date: the year\'s target, counted at its end (judged at once, it was '
                                 'behind from January)\npace = { kind = "once", date = 2023-12-31 }\n',
                                 'source = "中小学智慧校园比例达到75%"\nreported_by = "counties"\n'), encoding="utf-8")
    said = run.ok("validate", "--plan", plan).stdout
    assert "提示：['smart-campus-share'] 是要提升到目标值的水平类指标" not in said
    assert "提示：smart-campus-share 是要提升到目标值的水平类指标，且未设进度（pace）" in said


def test_a_task_in_progress_on_its_due_day_has_reached_it_and_after_it_has_passed_it(run):
    """Read on the due date itself, a task still in progress was said to be past it (已过完成时限)."""
    run.ok("record", "exam-epidemic-safety", "进行中", "--as-of", "2023-11-30")
    shown = run.ok("show", "exam-epidemic-safety", "--as-of", "2023-12-31").stdout
    assert "已到完成时限2023-12-31仍在进行中" in shown and "已过" not in shown
    note = next(n for i in run.json("status", "--as-of", "2023-12-31")["indicators"] if i["id"] == "exam-epidemic-safety"
                for n in i["notes"] if n["code"] == "overdue")
    assert note == {"code": "overdue", "due": "2023-12-31", "on_the_day": True}


def test_a_light_that_is_not_green_on_some_counties_figures_says_so_beneath_the_table(run):
    """4/≥25所 ✖ 落后 rested on 1 of the 9 counties' figures, and the table did not say so (show
    and markdown did): read as the city's shortfall. A light that is not green on some counties'
    figures says so beneath the table, as the bulletin's notes do; a green one does not."""
    run.ok("record", "new-public-kindergartens", "4", "--county", "椒江", "--as-of", "2023-05-31")
    out = run.ok("status", "--as-of", "2023-10-31").stdout
    assert "新建公办幼儿园：9个县中1个已报送" in out[out.index("序时进度"):]
    row = next(i for i in run.json("status", "--as-of", "2023-10-31")["indicators"]
               if i["id"] == "new-public-kindergartens")
    assert row["status"] == "behind" and {"code": "partial", "reported": 1, "total": 9, "light": True} in row["notes"]
    run.ok("record", "new-public-kindergartens", "25", "--county", "椒江", "--as-of", "2023-10-31", "--force")
    out = run.ok("status", "--as-of", "2023-10-31").stdout
    assert "9个县中1个已报送" not in out[out.index("序时进度"):]


def test_a_cap_shows_the_share_of_it_used_against_what_its_pace_allows_not_100(run, synthetic_plan_path, monkeypatch):
    """8 incidents of a yearly cap of 10 by 30 June read 完成 100% with a full bar beside ✖ 落后
    and 应完成 50%: within the cap, so 'all done', while the light said the budget was being used
    too fast. The tables, the bulletin and its chart now show the share used (80%) against the
    share the pace allows (序时可用 50%); over the cap, 120%. JSON keeps `completion` and says
    `used`."""
    monkeypatch.setenv("COLUMNS", "120")
    run.ok("record", "incidents", "8", *D, "--note", "synthetic")
    row = next(i for i in run.json("status", *D)["indicators"] if i["id"] == "incidents")
    assert row["completion"] == 1 and row["used"] == 0.8 and row["status"] in ("lagging", "behind")
    lines = run.ok("status", *D).stdout.splitlines()
    at = next(i for i, x in enumerate(lines) if "incidents" in x or "安全事故" in x)
    shown = " ".join(lines[at:at + 2])
    assert "8/≤10起" in shown and " 80% " in shown and "100%" not in shown and "序时可用 50%" in shown, shown
    lines = run.ok("status", *D, lang="en").stdout.splitlines()
    at = next(i for i, x in enumerate(lines) if "Safety incidents" in x or "incidents" in x)
    assert "allowed 50%" in " ".join(lines[at:at + 2]), lines[at:at + 2]
    bulletin = run.ok("report", "--month", "2023-06", "--format", "markdown").stdout
    assert any("安全事故" in x and "| 80% |" in x for x in bulletin.splitlines()), bulletin

    run.ok("record", "incidents", "12", "--as-of", "2023-07-31", "--note", "synthetic")
    row = next(i for i in run.json("status", "--as-of", "2023-07-31")["indicators"] if i["id"] == "incidents")
    assert row["used"] == 1.2 and row["over"] == 2 and row["status"] == "behind"
    july = run.ok("report", "--month", "2023-07", "--format", "markdown").stdout
    assert any("安全事故" in x and "| 120% |" in x and "+40.0" in x for x in july.splitlines()), july


def test_a_cap_held_to_the_end_reads_done_100(run, synthetic_plan_path):
    """At the period's end, within the cap with the whole year's figure: done, 100%, as before;
    `used` is null (nothing is left to pace)."""
    run.ok("record", "incidents", "9", "--as-of", "2023-12-31", "--note", "synthetic")
    row = next(i for i in run.json("status", "--as-of", "2023-12-31")["indicators"] if i["id"] == "incidents")
    assert row["status"] == "done" and row["completion"] == 1 and row["used"] is None
    line = next(x for x in run.ok("status", "--as-of", "2023-12-31").stdout.splitlines() if "incidents" in x
                or "安全事故" in x)
    assert "100%" in line, line
