"""Plan format version 2 from the command line: what validate refuses (and where), version-1
files, the source text check, `eduplan baseline`, `status --lead`, what status/show/report
show, `eduplan coverage`, and the bundled plan's reading of the text.

Every figure here is SYNTHETIC test data, not a 2023 result."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from eduplan.core.coverage import COMMITMENT_WORDS, coverage
from eduplan.core.models import Measure, PaceKind, ReportedBy
from eduplan.store.paths import bundled_plan_path
from eduplan.store.planfile import load_plan, read_plan

from conftest import SYNTHETIC_PLAN, plan_in_use
from test_targets import V2_PLAN

ROOT = Path(__file__).resolve().parents[1]
SOURCE_TEXT = ROOT / "data" / "taizhou-2023-work-priorities.txt"
V1_PLAN = Path(__file__).with_name("data") / "plan-2023-v1.toml"
D = ["--as-of", "2023-06-30"]


@pytest.fixture
def v2(tmp_path, monkeypatch) -> Path:
    return plan_in_use(tmp_path / "plan.toml", V2_PLAN, monkeypatch)


def _plan(tmp_path, text: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _line(path: Path, needle: str, after: str | None = None) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, l in enumerate(lines) if after in l) if after else 0
    return next(i for i, l in enumerate(lines) if i >= start and needle in l) + 1


# --------------------------------------------------------------------------- what validate refuses


@pytest.mark.parametrize("old, new, field, message, line_of", [
    ('pace = { kind = "due", date = 2023-06-30 }\nlead', 'pace = { kind = "due" }\nlead', "indicators[due-flow].pace.date",
     "a 'due' pace needs a date", ('pace = { kind = "due" }', None)),
    ('pace = { kind = "once", date = 2023-09-01 }', 'pace = { kind = "once", date = 2024-09-01 }',
     "indicators[once-flow].pace.date", "outside the plan period", ('date = 2024-09-01', None)),
    ('  { date = 2023-06-30, percent = 50 },\n  { date = 2023-09-30, percent = 75 },\n  { date = 2023-12-31, percent = 100 },\n]\n\n[[indicators]]\nid = "batch-flow"',
     '  { date = 2023-06-30, percent = 50 },\n  { date = 2023-09-30, percent = 45 },\n  { date = 2023-12-31, percent = 100 },\n]\n\n[[indicators]]\nid = "batch-flow"',
     "indicators[quarterly-flow].pace.points[2].percent", "cumulative shares", ("percent = 45", None)),
    ('{ date = 2023-12-31, percent = 100 },\n]\n\n[[indicators]]\nid = "dated-milestone"',
     '{ date = 2023-12-31, percent = 90 },\n]\n\n[[indicators]]\nid = "dated-milestone"',
     "indicators[batch-flow].pace.points[3].percent", "must end at 100%", ("percent = 90", None)),
    ('county_targets = { "甲县" = 500, "乙县" = 400 }', 'county_targets = { "甲县" = 500, "丁县" = 400 }',
     "indicators[once-flow].county_targets.丁县", "not one of the plan's county-level units", ("county_targets", 'id = "once-flow"')),
    ('county_targets = { "甲县" = 1, "乙县" = 1, "丙县" = 0 }', 'county_targets = { "甲县" = 2 }',
     "indicators[counties-meeting].county_targets.甲县", "is 1 (it must meet the condition) or 0", ("county_targets", 'id = "counties-meeting"')),
    ('baseline = { date = 2022-12-31, source = "2022年统计" }\nrelative = { kind = "below" }',
     'baseline = { date = 2023-01-01, source = "2022年统计" }\nrelative = { kind = "below" }',
     "indicators[fewer-deaths].baseline.date", "must be before the plan period", ("baseline", 'id = "fewer-deaths"')),
    ('baseline = { date = 2022-12-31, source = "2022年统计" }\nrelative = { kind = "below" }', 'relative = { kind = "below" }',
     "indicators[fewer-deaths].relative", "needs a baseline", ("relative", 'id = "fewer-deaths"')),
    ('source = "减少非正常死亡"', 'source = "减少非正常死亡"\ntarget = 3',
     "indicators[fewer-deaths].target", "not both", ("target = 3", None)),
    ('relative = { kind = "more", amount = 2 }', 'relative = { kind = "more" }',
     "indicators[more-pilots].relative", "needs an amount", ("relative", 'id = "more-pilots"')),
    ('baseline = { date = 2022-12-31, source = "2022年统计", value = 50 }', 'baseline = { date = 2022-12-31, source = "2022年统计", value = 99 }',
     "indicators[plus-points].relative.amount", "between 0 and 100", ("relative", 'id = "plus-points"')),
    ('lead = "安全处"', 'lead = "安全科"', "indicators[fewer-deaths].lead", "not one of the plan's units",
     ('lead = "安全科"', None)),
    ('measure = "milestone"\nunit = "项"\nsource = "年内完成"\nreported_by = "city"',
     'measure = "milestone"\nunit = "项"\nsource = "年内完成"\nreported_by = "counties"',
     "indicators[year-milestone].reported_by", "reported by the city",
     ('reported_by = "counties"', 'id = "year-milestone"')),
])
def test_broken_version_2_plans_name_field_and_line(tmp_path, run, old, new, field, message, line_of):
    assert old in V2_PLAN, old
    path = _plan(tmp_path, V2_PLAN.replace(old, new, 1))
    plan, problems = read_plan(path)
    assert plan is None
    texts = [p.render("en") for p in problems]
    hit = [p for p, t in zip(problems, texts) if field in t and message in t]
    assert hit, texts
    assert hit[0].line == _line(path, *line_of), texts
    result = run.fails(1, "validate", "--plan", path, lang="en")
    assert f"{path}:{hit[0].line}: {field}" in result.stderr
    assert f"{path}:{hit[0].line}: {field}" in run.fails(1, "validate", "--plan", path).stderr  # and in Chinese


@pytest.mark.parametrize("old, new, field", [
    ('name = "秋季一次性"', 'name = "秋季\u200b一次性"', "name"),  # pasted from a web page: looks the same
    ('name = "按季开工"', 'name = "按季\\n开工"', "name"),  # a TOML escape
    ('counties = ["甲县"', 'counties = ["甲\u200e县"', "counties[0]"),
    ('lead = "安全处"', 'lead = "安全处\t"', "lead"),
])
def test_a_name_no_one_can_type_or_show_on_one_line_is_refused(tmp_path, run, old, new, field):
    """Staff type the plan's names (an indicator by its Chinese name, a county), and every table
    shows them on one line: a zero-width space or a direction mark would make a name that looks
    right and matches nothing, a line break one that breaks the table. Named with the field and
    shown with the character escaped."""
    assert old in V2_PLAN, old
    path = _plan(tmp_path, V2_PLAN.replace(old, new, 1))
    err = run.fails(1, "validate", "--plan", path).stderr
    assert re.search(rf"{re.escape(str(path))}:\d+: [a-z_\[\]\-.]*{re.escape(field)}: “[^”]*\\(u200b|x0a|u200e|x09)[^”]*”含有不可见字符",
                     err), err


def test_a_milestone_may_leave_its_unit_out_a_count_may_not(tmp_path, run):
    """A milestone is one piece of work: a plan author need not invent a unit for it (项 is
    meant); an indicator that counts something must say what it counts."""
    old = 'measure = "milestone"\nunit = "项"\nsource = "年内完成"'
    assert old in V2_PLAN
    path = _plan(tmp_path, V2_PLAN.replace(old, 'measure = "milestone"\nsource = "年内完成"', 1))
    plan, problems = read_plan(path)
    assert not problems and plan.by_id["year-milestone"].unit == "项"
    assert "正常：计划" in run.ok("validate", "--plan", path).stdout
    unitless = V2_PLAN.replace('unit = "所"', '', 1)
    assert unitless != V2_PLAN
    path = _plan(tmp_path, unitless)
    stderr = run.fails(1, "validate", "--plan", path).stderr
    assert re.search(r"indicators\[[a-z-]+\]\.unit: 此字段必填", stderr), stderr


def test_a_version_1_file_says_only_what_version_1_could_say(tmp_path, run):
    v1 = "\n".join(line for line in SYNTHETIC_PLAN.splitlines() if not line.startswith("county_targets"))
    v1 = v1.replace("schema_version = 2", "schema_version = 1")
    text = v1.replace('target = 25\nsource = "新建公办幼儿园25所"',
                                  'target = 25\nsource = "新建公办幼儿园25所"\npace = { kind = "once", date = 2023-09-01 }')
    path = _plan(tmp_path, text)
    result = run.fails(1, "validate", "--plan", path, lang="en")
    line = _line(path, "pace = {")
    assert f"{path}:{line}: indicators[new-kindergartens].pace: 'pace' needs schema_version = 2" in result.stderr
    path.write_text(text.replace("schema_version = 1", "schema_version = 2"), encoding="utf-8")
    assert run.ok("validate", "--plan", path).stdout.startswith("正常")


def test_the_version_1_bundled_plan_still_loads_and_judges_as_before(tmp_path, run):
    """The plan shipped before version 2, with a few synthetic figures: the lights it gave."""
    plan = load_plan(V1_PLAN)
    assert plan.schema_version == 1 and all(i.pace is None and i.reported_by is None for i in plan.indicators)
    run.ok("record", "new-public-kindergartens", "13", *D, "--plan", V1_PLAN)
    run.ok("record", "investment", "40亿元", *D, "--plan", V1_PLAN)
    run.ok("record", "jiangcaihui-platform", "进行中", *D, "--plan", V1_PLAN)
    doc = run.json("status", *D, "--plan", V1_PLAN)
    by_id = {i["id"]: i for i in doc["indicators"]}
    assert by_id["new-public-kindergartens"]["status"] == "on_track"  # 52% against 49.6% of the year
    assert by_id["new-public-kindergartens"]["expected"] == pytest.approx(181 / 365, abs=1e-6)
    assert by_id["investment"]["status"] == "lagging"  # 44.4%: 5.2 points below the time progress
    assert by_id["jiangcaihui-platform"]["status"] == "on_track"
    end = {i["id"]: i for i in run.json("status", "--as-of", "2023-12-31", "--plan", V1_PLAN)["indicators"]}
    assert end["jiangcaihui-platform"]["status"] == "behind"  # still in progress when the year is over
    assert doc["summary"]["not_judged"] == 0


# --------------------------------------------------------------------------- the source text


def test_validate_checks_every_phrase_against_the_source_text(tmp_path, run):
    text_file = tmp_path / "text.txt"
    text_file.write_text("新建公办幼儿园25所，新增各类学位3.5万个。", encoding="utf-8")
    plan_text = (SYNTHETIC_PLAN.replace("schema_version = 1", "schema_version = 2")
                 .replace('counties = ["椒江区"', 'source_text = "text.txt"\ncounties = ["椒江区"'))
    path = _plan(tmp_path, plan_text)
    result = run.fails(1, "validate", "--plan", path, lang="en")
    # the two phrases in the text pass; every other source is named at its line
    assert "新建公办幼儿园25所" not in result.stderr and "新增各类学位3.5万个'" not in result.stderr
    line = _line(path, 'source = "公办园在园幼儿占比达56%以上"')
    assert (f"{path}:{line}: indicators[public-share].source: '公办园在园幼儿占比达56%以上' is not a verbatim "
            f"phrase of the source text text.txt") in result.stderr
    assert result.stderr.count("is not a verbatim phrase") == 6
    text_file.unlink()
    missing = run.fails(1, "validate", "--plan", path, lang="en")
    assert f"{path}:{_line(path, 'source_text')}: plan.source_text: the source text" in missing.stderr


def test_the_bundled_plan_names_its_text_and_every_phrase_is_in_it(run):
    plan = load_plan(bundled_plan_path())
    text = SOURCE_TEXT.read_text(encoding="utf-8")
    assert (bundled_plan_path().parent / plan.plan.source_text).read_text(encoding="utf-8") == text
    for ind in plan.indicators:
        for phrase in (ind.source, *ind.also_stated, ind.pace.source if ind.pace else ""):
            assert phrase in text, (ind.id, phrase)
    assert run.ok("validate").stdout.startswith("正常")


# --------------------------------------------------------------------------- eduplan baseline


def test_a_baseline_is_recorded_corrected_and_voided_like_any_figure(run, v2, ledger_path):
    run.ok("record", "fewer-deaths", "3", "--county", "甲县", *D)
    before = run.json("status", *D)
    row = next(i for i in before["indicators"] if i["id"] == "fewer-deaths")
    assert row["status"] == "not_judged" and row["baseline"]["value"] is None
    assert [n["code"] for n in row["notes"]] == ["partial", "baseline_unknown"]  # 1 of 3 counties reported
    out = run.ok("baseline", "fewer-deaths", "8", lang="en").stdout
    assert "recorded the baseline #2" in out and "as of 2022-12-31" in out
    row = next(i for i in run.json("status", *D)["indicators"] if i["id"] == "fewer-deaths")
    assert (row["status"], row["target"], row["actual"]) == ("not_judged", 8, 3)  # two counties may add to it
    assert [n["code"] for n in row["notes"]] == ["cap_partial"]  # (tests/test_targets.py: judged once all are in)
    assert row["baseline"] == {"value": 8, "date": "2022-12-31", "source": "2022年统计", "entry": 2}
    run.ok("correct", "2", "10", "--reason", "re-checked")
    assert next(i for i in run.json("status", *D)["indicators"] if i["id"] == "fewer-deaths")["target"] == 10
    history = run.json("log", "fewer-deaths")
    assert [e["kind"] for e in history] == ["correction", "record", "record"]
    assert history[1]["source"] == "2022年统计" and history[1]["as_of"] == "2022-12-31"
    moved = run.fails(1, "correct", "3", "9", "--reason", "x", "--as-of", "2023-06-30", lang="en")
    assert "records a baseline" in moved.stderr  # a baseline keeps its date
    run.ok("void", "3", "--reason", "the statistics are not final")
    row = next(i for i in run.json("status", *D)["indicators"] if i["id"] == "fewer-deaths")
    assert row["status"] == "not_judged"
    assert run.ok("validate").stdout.startswith("正常")  # the ledger with its baseline entries validates
    bad = run.fails(1, "baseline", "linear-flow", "5", lang="en")
    assert "linear-flow has no baseline in the plan" in bad.stderr
    assert run.fails(1, "record", "fewer-deaths", "1", "--as-of", "2022-12-31", lang="en").exit_code == 1


def test_adding_to_a_total_never_starts_from_the_baseline(run, v2):
    run.ok("baseline", "fewer-deaths", "8")
    run.ok("record", "fewer-deaths", "--add", "1", *D)  # the city-wide total so far: 1, not 8 + 1
    log = run.json("log", "fewer-deaths")
    assert [(e["as_of"], e["value"], e["added"]) for e in log] == [("2023-06-30", None, 1), ("2022-12-31", 8, None)]
    row = next(i for i in run.json("status", *D)["indicators"] if i["id"] == "fewer-deaths")
    assert row["actual"] == 1 and row["baseline"]["value"] == 8
    run.ok("record", "fewer-deaths", "--add", "2", *D)
    row = next(i for i in run.json("status", *D)["indicators"] if i["id"] == "fewer-deaths")
    assert row["actual"] == 3


# --------------------------------------------------------------------------- status --lead, show, report


def test_status_by_lead_unit(run, v2):
    doc = run.json("status", *D, "--lead", "计财处")
    assert doc["lead"] == "计财处" and [i["id"] for i in doc["indicators"]] == ["quarterly-flow"]
    bad = run.fails(1, "status", "--lead", "计财科", lang="en")
    assert "--lead: unknown lead unit '计财科'; did you mean: 计财处?" in bad.stderr
    plain = _plan(Path(v2).parent, SYNTHETIC_PLAN)
    assert "names no lead units" in run.fails(1, "status", "--lead", "x", "--plan", plain, lang="en").stderr


def test_show_says_how_the_target_is_meant_to_be_reached(run, v2, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    run.ok("record", "dated-milestone", "进行中", *D)
    out = run.ok("show", "dated-milestone", *D).stdout
    assert "应完成 100%" in out and "均匀推进，2023-06-30前全部完成" in out
    assert "完成标准" in out and "平台上线运行" in out and "已到完成时限2023-06-30仍在进行中" in out  # (read on the day)
    en = run.ok("show", "dated-milestone", *D, lang="en").stdout
    assert "expected 100%" in en and "The platform is online" in en
    doc = run.json("show", "due-flow", *D)["indicator"]
    assert doc["pace"] == {"kind": "due", "date": "2023-06-30", "points": [], "steps": False, "due": "2023-06-30",
                           "source": None}
    assert doc["expected"] == 1 and doc["lead"] == "基教处"
    md = run.ok("show", "fewer-deaths", *D, "--format", "markdown").stdout
    assert "基数" in md and "2022年统计" in md and "低于基数" in md


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_status_table_names_the_expected_share_and_who_has_not_reported(run, v2, monkeypatch, width, lang):
    monkeypatch.setenv("COLUMNS", str(width))
    run.ok("record", "quarterly-flow", "10", *D)
    run.ok("record", "batch-flow", "30", *D, "--county", "甲县")
    run.ok("record", "once-flow", "0", *D, "--county", "乙县")
    out = run.ok("status", *D, "--lang", lang).stdout
    for line in out.splitlines():
        assert cell_len(line) <= width, line
    flat = "".join(out.split())
    if lang == "zh":
        assert "应完成50%" in flat and "应完成0%" in flat  # the quarterly schedule at 30 June; once-flow before September
        assert "本月未报送（2023-06-01起）：全市" in flat and "乙县" in flat
    else:
        assert "expected50%" in flat and "Notreportedthismonth(since2023-06-01):city-wide" in flat


def test_report_shows_expected_shares_leads_and_done_when(run, v2):
    run.ok("record", "quarterly-flow", "10", *D)
    run.ok("record", "year-milestone", "完成", *D)
    doc = json.loads(run.ok("report", "--month", "2023-06", "--format", "json").stdout)
    attention = {a["id"]: a for a in doc["attention"]}
    assert attention["quarterly-flow"]["expected"] == 0.5
    assert attention["quarterly-flow"]["pace"]["kind"] == "schedule"
    assert [blk["lead"] for blk in doc["leads"]] == ["基教处", "计财处", "安全处"]
    assert "batch-flow" in doc["silent_counties"]["city"]["indicators"]
    md = run.ok("report", "--month", "2023-06").stdout
    assert "| 应完成 |" in md and "### 按牵头单位" in md and "## 附录三、完成标准" in md and "平台上线运行" in md
    html = run.ok("report", "--month", "2023-06", "--format", "html", lang="en").stdout
    assert "By lead unit" in html and "What done means" in html and "Expected by now" in html
    zh = run.ok("report", "--month", "2023-06", "--format", "html").stdout
    done_means = zh.split("完成标准", 1)[1].split("</ul>", 1)[0]
    assert "平台上线运行" in done_means and not re.search(r"[a-z]+-[a-z]+", done_means), done_means  # no ids


# --------------------------------------------------------------------------- the bundled plan


@pytest.fixture(scope="module")
def bundled():
    return load_plan(bundled_plan_path())


def test_every_commitment_of_the_text_is_covered(bundled):
    doc = coverage(bundled, SOURCE_TEXT.read_text(encoding="utf-8"))
    assert not doc.uncovered, [c.text for c in doc.uncovered]
    assert len(doc.committing) > 70
    covered = {c.text: {x.ref for x in c.covered_by} for c in doc.clauses}
    assert covered["努力减少学生非正常死亡"] == {"student-abnormal-deaths"}
    assert covered["争取更多学校纳入义务教育课程改革省级试点"] == {"pilot-schools"}
    assert covered["充分发挥每季度项目集中开工作用"] == {"quality-projects", "construction-projects"}
    for nt in bundled.not_tracked:  # each considered commitment says why, in both languages
        assert nt.reason and nt.reason_en and not re.search(r"[\u4e00-\u9fff]", nt.reason_en.replace("“", "")
                                                                     .replace("”", "")) or "(" in nt.reason_en


def test_coverage_command_sentence_by_sentence(run):
    md = run.ok("coverage").stdout
    assert md.startswith("## 原文覆盖情况") and "未覆盖0个" in md
    assert "努力减少学生非正常死亡 → `student-abnormal-deaths`" in md
    # what covers a clause is listed with the reader's punctuation
    assert "`provincial-clean-schools` 省级清廉学校建设示范校；`provincial-integrity-bases`" in md
    assert "; `provincial-integrity-bases`" in run.ok("coverage", lang="en").stdout
    doc = run.json("coverage")
    assert doc["summary"]["uncovered"] == 0 and doc["summary"]["committing"] == doc["summary"]["covered"]
    assert all(c["covered_by"] for s in doc["sentences"] for c in s["clauses"] if c["commits"])
    assert run.json("coverage", lang="en") == doc  # the same JSON in both languages
    assert set(COMMITMENT_WORDS) >= {"完成", "实现", "确保", "建成", "新增", "达到", "创建", "培育", "争取", "减少"}


def test_coverage_reads_headings_on_their_own_lines_and_joins_wrapped_prose(bundled):
    """A text laid out as documents are: a title and headings on lines of their own, and
    prose wrapped by hand. A heading is its own sentence (not glued to the first sentence
    under it); a wrapped sentence is one, its lines joined without a space."""
    text = ("某市教育局2023年工作要点\n\n一、扩大优质学位供给\n"
            "新建公办幼儿园25所，全年新增中小学学位1.2万个，持续推进学前教育普及普惠发展，\n"
            "确保公办园在园幼儿占比达到省定目标要求并且稳中有升。\n")
    doc = coverage(bundled, text)
    assert [s.text for s in doc.sentences] == [
        "某市教育局2023年工作要点", "一、扩大优质学位供给",
        "新建公办幼儿园25所，全年新增中小学学位1.2万个，持续推进学前教育普及普惠发展，确保公办园在园幼儿占比达到省定目标要求并且稳中有升。"]
    third = {c.text: c for c in doc.sentences[2].clauses}
    assert "确保公办园在园幼儿占比达到省定目标要求并且稳中有升" in third
    assert third["新建公办幼儿园25所"].covered_by[0].ref == "new-public-kindergartens"
    # a word of commitment broken across two lines is still read
    assert coverage(bundled, "全市各校要确保安全生产各项措施落到实处并且在年内完\n成相关工作验收任务。").committing


def test_coverage_does_not_cut_inside_brackets_or_quotes(bundled):
    """某市教育局2025年工作要点（合成示例，不列入跟踪） was cut at its comma, a clause ending in （合成示例."""
    doc = coverage(bundled, "某市教育局2025年工作要点（合成示例，不列入跟踪）\n\n新建公办幼儿园25所，开展“创优，争先”行动；"
                            "完成“一校一品；一校多品”布局。\n")
    assert [[c.text for c in s.clauses] for s in doc.sentences] == [
        ["某市教育局2025年工作要点（合成示例，不列入跟踪）"],
        ["新建公办幼儿园25所", "开展“创优，争先”行动"],
        ["完成“一校一品；一校多品”布局"]]


def test_coverage_needs_a_plan_that_names_its_text(run, synthetic_plan_path):
    assert "names no source text" in run.fails(1, "coverage", lang="en").stderr


def test_the_bundled_plan_reads_the_text_for_paces(bundled):
    by = bundled.by_id
    for awarded in ("provincial-clean-schools", "provincial-modern-schools", "rural-famous-schools",
                    "famous-teacher-selections"):  # conferred in one batch
        assert by[awarded].pace.kind == PaceKind.ONCE, awarded
    for places in ("new-school-places-total", "new-kindergarten-places", "new-school-places"):
        assert (by[places].pace.kind, str(by[places].pace.date)) == (PaceKind.ONCE, "2023-09-01")
    for quarterly in ("quality-projects", "construction-projects"):
        pace = by[quarterly].pace
        assert pace.kind == PaceKind.SCHEDULE and pace.steps and pace.source == "充分发挥每季度项目集中开工作用"
    assert by["investment"].reported_by == ReportedBy.CITY and by["investment"].pace is None
    assert all(i.reported_by is not None for i in bundled.indicators)
    assert not any(i.lead or i.partners for i in bundled.indicators)  # the text names no units
    deaths, pilots = by["student-abnormal-deaths"], by["pilot-schools"]
    assert deaths.relative.kind.value == "below" and deaths.baseline.value is None
    assert pilots.relative.kind.value == "more" and pilots.baseline.value is None and pilots.measure == Measure.LEVEL
    for open_ended in ("county-modernization-monitoring", "basic-education-ecology-monitoring",
                       "evaluation-reform-pilot", "digital-reform-pilot", "quality-projects"):
        assert by[open_ended].done_when and by[open_ended].done_when_en, open_ended


def test_the_bundled_plan_english_names_need_no_slogan(bundled):
    for item in (*bundled.indicators, *bundled.sections):
        name = item.name_en
        assert name and not re.search(r"\bfamous\b", name, re.I), (item.id, name)
    by = bundled.by_id
    assert "standards" in by["dual-creation-counties"].name_en and "preschool" in by["dual-creation-counties"].name_en
    assert "support" in by["county-high-school-pairing"].name_en
    assert "affordable" in by["inclusive-kindergarten-share"].name_en
    assert "Dachen" in by["kenhuang-competition-platform"].name_en
    assert "schools" in by["urban-rural-communities"].name_en.lower()  # a count of schools, named as one
    assert by["urban-rural-communities"].unit == "所"


def test_one_commitment_stated_in_two_places_belongs_to_both(bundled):
    by = bundled.by_id
    assert set(by["recruited-teachers-principals"].sections) == {"matter-4", "focus-4"}
    assert by["recruited-teachers-principals"].also_stated == ("全力开展中小学好教师、好校长招引工作",)
    assert "focus-4" in by["adult-tertiary-upgrade"].sections


def test_plan_texts_shown_in_the_bulletin_are_inert(run, tmp_path):
    """A lead unit or a done_when text from a plan file is shown, never run (HTML, Markdown, xlsx)."""
    from openpyxl import load_workbook

    text = (V2_PLAN.replace('units = ["基教处", "计财处", "安全处"]', 'units = ["<script>alert(1)</script>", "计财处", "安全处"]')
            .replace('lead = "基教处"', 'lead = "<script>alert(1)</script>"')
            .replace('done_when = "平台上线运行"', 'done_when = "=HYPERLINK(\\"http://x\\",\\"y\\")"'))
    path = _plan(tmp_path, text)
    run.ok("record", "dated-milestone", "进行中", *D, "--plan", path)
    html = run.ok("report", "--month", "2023-06", "--format", "html", "--plan", path).stdout
    assert "<script>" not in html and "&lt;script&gt;" in html
    md = run.ok("report", "--month", "2023-06", "--plan", path).stdout
    assert "<script>" not in md
    out = tmp_path / "b.xlsx"
    run.ok("report", "--month", "2023-06", "-o", out, "--plan", path)
    cells = [c for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


def test_section_headings_come_from_the_plan_else_generic_words(tmp_path, run, synthetic_plan_path):
    """Nothing of one document's wording is in the code: a plan that does not name its kinds of
    section gets generic words (重点工作 · 一、…), the synthetic plan its own (六个重点 · 一是…)."""
    own = run.ok("plan").stdout
    assert "六个重点 · 一是重点一" in own and "教育实事 · 一、实事一" in own and "十大行动" in own
    start = SYNTHETIC_PLAN.index("[section_kinds.focus]")
    generic = SYNTHETIC_PLAN[:start] + SYNTHETIC_PLAN[SYNTHETIC_PLAN.index("[[sections]]"):]
    path = _plan(tmp_path, generic)
    out = run.ok("plan", "--plan", path).stdout
    assert "重点工作 · 一、重点一" in out and "实事 · 一、实事一" in out
    assert "六个重点" not in out and "十大行动" not in out and "教育实事" not in out
    en = run.ok("plan", "--plan", path, lang="en").stdout
    assert "Focus area 1:" in en and "Actions" in en


def test_a_second_baseline_is_refused_the_first_is_corrected(run, v2, ledger_path):
    """A baseline recorded twice (12, then 11) replaced the first without a word, and the target
    with it. The second is refused, naming the entry to correct; once that entry is voided, a new
    baseline goes in."""
    run.ok("baseline", "fewer-deaths", "12")
    before = ledger_path.read_bytes()
    err = run.fails(1, "baseline", "fewer-deaths", "11").stderr
    assert "基数已填报（#1：12人）" in err and "eduplan correct #1" in err and ledger_path.read_bytes() == before
    run.ok("correct", "1", "11", "--reason", "synthetic: re-checked")
    assert "#2" in run.fails(1, "baseline", "fewer-deaths", "10", lang="en").stderr
    run.ok("void", "2", "--reason", "synthetic")
    run.ok("baseline", "fewer-deaths", "10")


@pytest.mark.parametrize("value, rule", [("12亿元", "unit"), ("20%", "unit"), ("5所", "unit"), ("3.5", "whole-number"),
                                         ("约20", "approximate"), ("二十余人", "approximate")])
def test_a_baseline_goes_through_the_rules_of_a_typed_figure(run, v2, ledger_path, value, rule):
    """`baseline` stored 12亿元 on a count of deaths as 12亿人, 20% as 20人 and 3.5 as 3.5人,
    without a word: the target is judged against it all year. It now meets the rules of a
    figure as typed, as `record` does; a warning is accepted with --force and marked."""
    err = run.fails(1, "baseline", "fewer-deaths", value, lang="en").stderr
    assert f"[{rule}]" in err and "nothing was recorded" in err and not ledger_path.exists()
    if rule in ("unit", "whole-number"):  # cannot be right: not even with --force
        assert "--force" not in run.fails(1, "baseline", "fewer-deaths", value, "--force", lang="en").stderr
        assert not ledger_path.exists()
    else:
        assert "accepted over" in run.ok("baseline", "fewer-deaths", value, "--force", lang="en").stdout
        [entry] = run.json("log")
        assert entry["value"] == 20 and entry["accepted"] == [rule]


def test_show_says_a_milestone_without_reported_by_is_the_citys(v2, run):
    """A version-2 milestone that leaves reported_by out is the city's (it owes the figure), but
    show said "the counties that record figures (not set in the plan)"."""
    plan = v2.read_text(encoding="utf-8").replace('source = "年内完成"\nreported_by = "city"', 'source = "年内完成"', 1)
    v2.write_text(plan, encoding="utf-8")
    out = run.ok("show", "year-milestone", lang="en").stdout
    line = next(x for x in out.splitlines() if x.startswith("reported by"))
    assert "the city" in line and "not set" not in line, line
    doc = run.json("status", lang="en")
    row = next(i for i in doc["indicators"] if i["id"] == "year-milestone")
    assert row["reporting"] is None or row["reporting"]["owed"] in ([], ["city"]), row["reporting"]


@pytest.mark.parametrize("known", [True, False], ids=["baseline in the plan", "baseline recorded"])
def test_a_fraction_on_a_share_to_rise_by_points_is_questioned(run, v2, ledger_path, known):
    """比上年提高2个百分点 has no target of its own in the plan: 0.6 typed for 60% went in as 0.6%
    without a word, where an absolute target of 56% asks "did you mean 60%?"."""
    if not known:
        v2.write_text(v2.read_text(encoding="utf-8").replace(', value = 50 }', ' }'), encoding="utf-8")
        run.ok("baseline", "plus-points", "50")
    before = ledger_path.read_bytes() if ledger_path.exists() else None
    err = run.fails(1, "record", "plus-points", "0.6", *D, lang="en").stderr
    assert "did you mean 60%?" in err and "[fraction]" in err
    assert (ledger_path.read_bytes() if ledger_path.exists() else None) == before
    run.ok("record", "plus-points", "60", *D)  # as a percentage, not questioned
    run.ok("record", "plus-points", "0.6%", "--as-of", "2023-07-31", "--force")  # typed with %: meant as it is
