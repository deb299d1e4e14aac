"""The plan: the bundled 2023 file is faithful to the source text, and broken plans are refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from eduplan.core.models import Measure
from eduplan.core.numbers import find_quantities
from eduplan.store.paths import bundled_plan_path
from eduplan.store.planfile import load_plan, read_plan

from conftest import SYNTHETIC_PLAN

ROOT = Path(__file__).resolve().parents[1]
SOURCE_TEXT = ROOT / "data" / "taizhou-2023-work-priorities.txt"  # the document the bundled plan encodes


@pytest.fixture(scope="module")
def plan():
    return load_plan(bundled_plan_path())


@pytest.fixture(scope="module")
def seed() -> str:
    return SOURCE_TEXT.read_text(encoding="utf-8")


def test_bundled_plan_is_the_repo_file():
    assert bundled_plan_path().read_bytes() == (ROOT / "data" / "plan-2023.toml").read_bytes()


def test_real_plan_validates(plan):
    assert plan.plan.year == 2023
    assert len(plan.plan.counties) == 9
    kinds = [s.kind.value for s in plan.sections]
    assert kinds.count("focus") == 6 and kinds.count("action") == 10 and kinds.count("matter") == 10
    numeric = [i for i in plan.indicators if i.measure != Measure.MILESTONE]
    assert len(numeric) > 40
    assert any(i.measure == Measure.MILESTONE for i in plan.indicators)


def test_every_source_is_in_the_text(plan, seed):
    for ind in plan.indicators:
        assert ind.source in seed, ind.id
    for nt in plan.not_tracked:
        assert nt.source in seed


def test_every_target_agrees_with_its_source(plan):
    """Read each source phrase with the same reader staff input goes through. A target stated
    against a baseline has no number in the text (减少…, 更多…)."""
    for ind in plan.indicators:
        if ind.measure == Measure.MILESTONE:
            continue
        found = find_quantities(ind.source)
        if ind.relative is not None:
            assert found == [] and ind.target is None and ind.baseline is not None, ind.id
            continue
        assert len(found) == 1, (ind.id, ind.source, found)
        assert found[0] == ind.target, (ind.id, ind.source, found[0], ind.target)


def test_every_number_in_the_text_is_accounted_for(plan, seed):
    """Each figure written in digits is an indicator's or is listed as deliberately not tracked."""
    sources = [i.source for i in plan.indicators] + [n.source for n in plan.not_tracked]
    spans = []
    for src in sources:
        start = seed.find(src)
        while start != -1:
            spans.append((start, start + len(src)))
            start = seed.find(src, start + 1)
    for m in re.finditer(r"\d+(?:\.\d+)?", seed):
        assert any(a <= m.start() and m.end() <= b for a, b in spans), seed[max(0, m.start() - 15):m.end() + 15]


def test_one_indicator_in_two_places(plan):
    pairing = [i for i in plan.indicators if "县中崛起" in i.source]
    assert len(pairing) == 1
    assert set(pairing[0].sections) >= {"focus-5", "matter-2"}


def test_every_action_is_served(plan):
    for s in plan.sections:
        if s.kind.value == "action":
            assert plan.in_section(s.id), s.id


def test_known_targets_in_base_units(plan):
    by_source = {i.source: i for i in plan.indicators}
    targets = {i.target for i in plan.indicators}
    assert 35000 in targets and 9_000_000_000 in targets and 56 in targets
    assert any(i.unit == "元" and i.target == 9_000_000_000 for i in by_source.values())


# --------------------------------------------------------------------------- broken plans


def _broken(tmp_path, old: str, new: str, count: int = 1) -> Path:
    assert old in SYNTHETIC_PLAN
    path = tmp_path / "broken.toml"
    path.write_text(SYNTHETIC_PLAN.replace(old, new, count), encoding="utf-8")
    return path



def test_an_unknown_field_close_to_a_known_one_is_named_and_one_mistyped_item_is_not_an_empty_list(run, tmp_path):
    """A plan whose one indicator says ``section`` for ``sections``: the reader is told which
    field was meant, at that line; and the list of indicators is not also said to be empty
    ('at least 1 item'), since the indicator is there, with a problem of its own. A field
    like no other keeps the plain message."""
    path = tmp_path / "plan.toml"
    path.write_text('''schema_version = 2

[plan]
id = "demo-2024"
title = "某市2024年工作要点（合成示例）"
year = 2024
start = 2024-01-01
end = 2024-12-31
counties = ["甲区", "乙县"]

[[sections]]
id = "s1"
kind = "focus"
number = 1
name = "学位供给"

[[indicators]]
id = "new-places"
name = "新增学位"
section = "s1"
measure = "flow"
unit = "个"
target = 5000
source = "新增学位5000个"
reportedby = "counties"
colour = "red"

[thresholds]
lagging_p = 5

[section_kinds.focus]
name = "重点工作"
nmae_en = "Focus"
''', encoding="utf-8")
    err = run.fails(1, "validate", "--plan", path, lang="en").stderr
    lines = path.read_text(encoding="utf-8").splitlines()
    at = {key: lines.index(next(x for x in lines if x.startswith(key + " "))) + 1 for key in ("section", "reportedby", "colour")}
    assert f"{path}:{at['section']}: indicators[new-places].section: unknown field; did you mean 'sections'?" in err, err
    assert f"{path}:{at['reportedby']}: indicators[new-places].reportedby: unknown field; did you mean 'reported_by'?" in err
    assert f"{path}:{at['colour']}: indicators[new-places].colour: unknown field (check its spelling)" in err
    assert "thresholds.lagging_p: unknown field; did you mean 'lagging_pp'?" in err  # a table of the plan
    assert "section_kinds.focus.nmae_en: unknown field; did you mean 'name_en'?" in err  # a table of tables
    assert "at least" not in err and "indicators: " not in err, err
    zh = run.fails(1, "validate", "--plan", path).stderr
    assert "indicators[new-places].section: 不认识的字段；您要写的是不是“sections”？" in zh, zh

def _line_of(path: Path, needle: str, after: str | None = None) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = 0
    if after:
        start = next(i for i, l in enumerate(lines) if after in l)
    return next(i for i, l in enumerate(lines) if i >= start and needle in l) + 1


@pytest.mark.parametrize("old, new, indicator, field, message", [
    ('id = "new-places"', 'id = "new-kindergartens"', "new-kindergartens", "id", "is used twice"),
    ('sections = ["focus-1"]\nmeasure = "level"', 'sections = ["focus-9"]\nmeasure = "level"', "public-share", "sections", "unknown section 'focus-9'"),
    ('unit = "项"\n', 'unit = "项"\ntarget = 1\n', "platform-online", "target", "a milestone has no target"),
    ('target = 6\n', '', "standard-counties", "target", "needs a target"),
    ('target = 56\n', 'target = 156\n', "public-share", "target", "between 0 and 100"),
    ('source = "新建公办幼儿园25所"', 'source = ""', "new-kindergartens", "source", "must not be empty"),
    ('measure = "flow"\nunit = "所"', 'measure = "flux"\nunit = "所"', "new-kindergartens", "measure", "flow"),
])
def test_broken_plan_names_indicator_field_and_line(tmp_path, run, old, new, indicator, field, message):
    path = _broken(tmp_path, old, new)
    plan, problems = read_plan(path)
    assert plan is None
    hit = [p for p in problems if f"[{indicator}].{field}" in p.render("en") and message in p.render("en")]
    assert hit, [p.render("en") for p in problems]
    assert hit[0].file == str(path) and hit[0].line is not None
    result = run.fails(1, "validate", "--plan", path, lang="en")
    assert f"{path}:{hit[0].line}: indicators[{indicator}].{field}" in result.stderr
    zh = run.fails(1, "validate", "--plan", path)  # the same place, the words in Chinese
    assert f"{path}:{hit[0].line}: indicators[{indicator}].{field}" in zh.stderr
    assert message == "flow" or message not in zh.stderr


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    text = SYNTHETIC_PLAN.replace('target = 56\n', 'target = 156\n').replace('unit = "项"\n', 'unit = "项"\ntarget = 1\n')
    text = text.replace('id = "new-places"', 'id = "new-kindergartens"')
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    _, problems = read_plan(path)
    assert len(problems) >= 2  # field errors are all reported together
    text2 = text.replace('target = 156\n', 'target = 56\n').replace('unit = "项"\ntarget = 1\n', 'unit = "项"\n')
    text2 = text2.replace('sections = ["focus-1"]\nmeasure = "level"', 'sections = ["focus-9"]\nmeasure = "level"')
    path.write_text(text2, encoding="utf-8")
    _, problems = read_plan(path)
    assert {"is used twice" in p.render("en") for p in problems} == {True, False}
    assert any("focus-9" in p.render("en") for p in problems)


def test_every_problem_is_reported_in_one_run_in_line_order(tmp_path, run):
    """A county that is not the plan's, a percentage above 100, a phrase not in the source text, a
    misspelt key and an id used twice: all five in one run, in the order of the lines. Before,
    the rules across the plan (ids, counties) and the phrases waited until every field was right."""
    phrases = ["新建公办幼儿园25所", "新增各类学位3.5万个", "公办园在园幼儿占比达56%以上", "推动50%县(市、区)建成标准化心理辅导中心平台",
               "推动6个以上县(市、区)达到全国标准", "辍学率控制在2%以内", "安全事故控制在10起以内"]  # not 建成平台并上线运行
    (tmp_path / "text.txt").write_text("。".join(phrases), encoding="utf-8")
    path = _broken(tmp_path, 'counties = ["椒江区"', 'source_text = "text.txt"\ncounties = ["椒江区"')
    text = (path.read_text(encoding="utf-8").replace('"椒江区" = 3000', '"椒江县" = 3000')
            .replace("target = 56\n", "target = 156\n")
            .replace('target = 2\ncomparator = "<="', 'target = 2\ncomparater = "<="')
            .replace('id = "incidents"', 'id = "dropout-rate"'))
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    twice = [n for n, line in enumerate(lines, start=1) if line == 'id = "dropout-rate"'][1]
    county = _line_of(path, "county_targets", 'id = "new-places"')
    target, source, typo = (_line_of(path, needle) for needle in ("target = 156", 'source = "建成平台并上线运行"', "comparater"))
    expected = [
        f"{county}: indicators[new-places].county_targets.椒江县: '椒江县' is not one of the plan's county-level units",
        f"{target}: indicators[public-share].target: a percentage target must be between 0 and 100",
        f"{source}: indicators[platform-online].source: '建成平台并上线运行' is not a verbatim phrase of the source "
        "text text.txt",
        f"{typo}: indicators[dropout-rate].comparater: unknown field; did you mean 'comparator'?",
        f"{twice}: indicators[dropout-rate].id: the id 'dropout-rate' is used twice",
    ]
    result = run.fails(1, "validate", "--plan", path, lang="en")
    assert result.stderr.splitlines()[:-1] == [f"{path}:{e}" for e in expected]
    assert "5 problems in the plan" in result.stderr
    zh = run.fails(1, "validate", "--plan", path).stderr
    assert f"{path}:{twice}: indicators[dropout-rate].id: 编号“dropout-rate”用了两次" in zh


def test_the_year_is_the_year_the_period_starts_or_ends(tmp_path, run):
    """The year short dates are read in must be one of the period's: a 2023 year for a
    2024-09 to 2025-08 school year was taken silently."""
    path = _broken(tmp_path, "start = 2023-01-01\nend = 2023-12-31", "start = 2024-09-01\nend = 2025-08-31")
    result = run.fails(1, "validate", "--plan", path, lang="en")
    assert (f"{path}:{_line_of(path, 'year = 2023')}: plan.year: the year 2023 is neither the year the period starts "
            "(2024-09-01) nor the year it ends (2025-08-31)") in result.stderr
    assert "plan.year: 年份 2023 既不是计划期开始（2024-09-01）的年份" in run.fails(1, "validate", "--plan", path).stderr
    for year in ("2024", "2025"):  # a school year may be named after either
        path.write_text(path.read_text(encoding="utf-8").replace("year = 2023", f"year = {year}")
                        .replace("year = 2024", f"year = {year}"), encoding="utf-8")
        assert run.ok("validate", "--plan", path).stdout.startswith("正常")


@pytest.mark.parametrize("old, new, field, zh", [
    ("start = 2023-01-01", 'start = "2023-01-01"', "plan.start", "日期不加引号，应写为 2023-01-01"),
    ("end = 2023-12-31", "end = 2023-12-31T00:00:00", "plan.end", "必须是不带时刻的日期"),
    ("start = 2023-01-01", 'start = "2023年1月1日"', "plan.start", "必须是日期，不加引号（如 2024-06-30）"),
    ("target = 35000\n", 'target = "3.5万"\n', "indicators[new-places].target", "必须是数字（如 35000），不能写成文字“3.5万”"),
    ("target = 35000\n", 'target = "35000"\n', "indicators[new-places].target", "数字不加引号，应写为 35000"),
    ("target = 35000\n", 'target = "三万五"\n', "indicators[new-places].target", "必须是数字，不能写成文字“三万五”"),
    ("target = 35000\n", "target = true\n", "indicators[new-places].target", "必须是数字"),
    ('"椒江区" = 3000', '"椒江区" = "3000"', "indicators[new-places].county_targets.椒江区", "数字不加引号，应写为 3000"),
    ("year = 2023", 'year = "2023"', "plan.year", "数字不加引号，应写为 2023"),
    ("lagging_pp = 10.0", 'lagging_pp = "10"', "thresholds.lagging_pp", "数字不加引号，应写为 10"),
    ("lagging_pp = 10.0", 'lagging_pp = "10.0"', "thresholds.lagging_pp", "数字不加引号，应写为 10.0"),
    ("target = 35000\n", 'target = "35000.0"\n', "indicators[new-places].target", "数字不加引号，应写为 35000.0"),
    ("year = 2023", 'year = "二〇二三"', "plan.year", "必须是数字，不能写成文字“二〇二三”"),
])
def test_a_date_or_number_in_quotes_is_a_text_and_refused(tmp_path, run, old, new, field, zh):
    """TOML writes dates and numbers without quotes; a quoted one was read as a date or a number
    (start = "2024-09-01" validated), and a wrong number gave one line per kind of number
    (target.int, target.float). Now one line, saying what to write."""
    path = _broken(tmp_path, old, new)
    result = run.fails(1, "validate", "--plan", path)
    line = _line_of(path, new.split("\n")[0])
    assert f"{path}:{line}: {field}: {zh}\n" in result.stderr
    assert "计划" in result.stderr.splitlines()[1] and len(result.stderr.splitlines()) == 2  # that one problem only
    assert ".int" not in result.stderr and ".float" not in result.stderr


@pytest.mark.parametrize("old, new, at, field, zh, not_said", [
    ("schema_version = 2", "schema_version = 3", "schema_version = 3", "schema_version", "必须是以下之一：1、2", " or "),
    ('unit = "项"\n', 'unit = "项"\ncounty_targets = { "椒江区" = 1 }\n', 'county_targets = { "椒江区" = 1 }',
     "indicators[platform-online].county_targets", "节点类指标没有县级目标", "milestone"),
    ("target = 6\n", "", None, "indicators[standard-counties].target", "县数类指标需要目标值",
     "counties类"),
    ('actions = ["action-1"]', 'actions = ["focus-1"]', 'actions = ["focus-1"]',
     "indicators[new-kindergartens].actions[0]", "“focus-1”是重点工作类板块，应写在 sections 中", "focus section"),
    ("[section_kinds.action]", "[section_kinds.actions]", "[section_kinds.actions]", "section_kinds.actions",
     "必须是以下之一：focus、action、matter", "[key]"),
])
def test_messages_use_the_readers_words_not_the_codes(tmp_path, run, old, new, at, field, zh, not_said):
    """What a message says of a kind is the word the tables print (节点, 县数), a list is joined as
    Chinese joins it (not “1 or 2”), and no location carries pydantic's own markers ([key])."""
    path = _broken(tmp_path, old, new)
    result = run.fails(1, "validate", "--plan", path)
    line = _line_of(path, at) if at else _line_of(path, 'id = "standard-counties"') - 1  # a missing key: its table
    where = f"{path}:{line}"
    assert f"{where}: {field}: {zh}\n" in result.stderr
    assert not_said not in result.stderr


@pytest.mark.parametrize("indicator, old, new, refused", [
    ("new-places", '"椒江区" = 3000', '"椒江区" = 40000', True),  # a flow: more than the city's 35000
    ("new-kindergartens", '"椒江区" = 2', '"椒江区" = 25', False),  # as much as the whole city's: allowed
    ("incidents", 'source = "安全事故控制在10起以内"', 'source = "安全事故控制在10起以内"\ncounty_targets = { "椒江区" = 12 }', True),
    ("public-share", 'source = "公办园在园幼儿占比达56%以上"', 'source = "公办园在园幼儿占比达56%以上"\ncounty_targets = { "椒江区" = 70 }',
     False),  # a percentage: a county may be set above the city
])
def test_a_countys_target_never_exceeds_the_citys_for_a_total(tmp_path, run, indicator, old, new, refused):
    """A county's share of a sum cannot exceed the whole: 40000 of a city's 35000 was accepted (a
    slip of a digit). A percentage is no sum; a county's may be above the city's."""
    path = _broken(tmp_path, old, new)
    if not refused:
        assert run.ok("validate", "--plan", path).stdout.startswith("正常")
        return
    result = run.fails(1, "validate", "--plan", path)
    line = _line_of(path, "county_targets", f'id = "{indicator}"')
    assert f"{path}:{line}: indicators[{indicator}].county_targets.椒江区: 县级目标 " in result.stderr
    assert "超过全市目标" in result.stderr
    # said too when the same indicator has another error (its own checks then do not run)
    broken = path.read_text(encoding="utf-8").replace(f'id = "{indicator}"', f'id = "{indicator}"\ncolor = 1', 1)
    path.write_text(broken, encoding="utf-8")
    result = run.fails(1, "validate", "--plan", path)
    assert "超过全市目标" in result.stderr and "color" in result.stderr, result.stderr


@pytest.mark.parametrize("city, county, refused", [
    ("临海市", None, "全市的名称“临海市”与县（市、区）同名"),  # the city named as one of its counties
    ("临海", None, None),  # 临海 is 临海市's short form and the city's name: typed, it is refused (test_i18n)
    ("全市", "全市", "“全市”指全市，不能用作县（市、区）名称"),
    ("", "椒江", "“椒江”同时是“椒江区”的简称，将无法区分"),
])
def test_every_unit_keeps_a_name_that_means_it_alone(tmp_path, run, city, county, refused):
    """A plan whose city is called like a county (余姚市 and 余姚市) recorded --county 余姚市 for
    the county and --county 余姚 for the city: refused, at the line of the city."""
    path = _broken(tmp_path, 'title_en = "Synthetic test plan"', f'title_en = "Synthetic test plan"\ncity = "{city}"')
    if county:
        path.write_text(path.read_text(encoding="utf-8").replace('"三门县"]', f'"三门县", "{county}"]', 1),
                        encoding="utf-8")
    if refused is None:
        assert run.ok("validate", "--plan", path).stdout.startswith("正常")
        return
    result = run.fails(1, "validate", "--plan", path)
    at = "plan.city" if county is None else "plan.counties[9]"  # the tenth county
    line = _line_of(path, "city = " if county is None else "counties = ")
    assert f"{path}:{line}: {at}: {refused}" in result.stderr


def test_toml_syntax_error_has_line(tmp_path, run):
    path = tmp_path / "p.toml"
    text = SYNTHETIC_PLAN.replace('unit = "所"', 'unit = "所', 1)
    path.write_text(text, encoding="utf-8")
    line = _line_of(path, 'unit = "所')
    result = run.fails(1, "validate", "--plan", path, lang="en")
    assert f"{path}:{line}: TOML syntax: the character '\\n' is not allowed here" in result.stderr
    assert f"{path}:{line}: TOML 语法：此处不允许字符" in run.fails(1, "validate", "--plan", path).stderr
    before = path.read_bytes()
    assert run("status", "--plan", path).exit_code == 1
    assert path.read_bytes() == before


def test_missing_plan_file_is_a_usage_error(tmp_path, run):
    result = run.fails(2, "plan", "--plan", tmp_path / "nope.toml", lang="en")
    assert "nope.toml: no such file" in result.stderr


def test_plan_env_var_and_option_order(tmp_path, run, monkeypatch, synthetic_plan_path):
    doc = run.json("plan")
    assert doc["plan"]["id"] == "synthetic-2023"  # from EDUPLAN_PLAN
    doc = run.json("plan", "--plan", bundled_plan_path())
    assert doc["plan"]["id"] == "taizhou-education-2023"  # --plan wins
    monkeypatch.delenv("EDUPLAN_PLAN")
    assert run.json("plan")["plan"]["id"] == "taizhou-education-2023"  # bundled default


def test_validate_ok_prints_one_line(run):
    result = run.ok("validate", lang="en")
    assert result.stdout.count("\n") == 1 and result.stdout.startswith("ok:")
    assert run.ok("validate").stdout.startswith("正常：")


# --------------------------------------------------------------------------- eduplan plan


def test_plan_json_schema(run, plan):
    doc = run.json("plan")
    assert doc["schema_version"] == 3
    assert set(doc["plan"]) >= {"title", "year", "start", "end", "counties"}
    assert doc["plan"]["counties"] == list(plan.plan.counties)
    assert {s["id"] for s in doc["sections"]} == {s.id for s in plan.sections}
    assert len(doc["indicators"]) == len(plan.indicators)
    for ind in doc["indicators"]:
        assert set(ind) >= {"id", "name", "name_en", "sections", "measure", "unit", "target", "comparator", "source"}
        assert ind["comparator"] in (">=", "<=", "==")
        assert ind["measure"] in ("flow", "level", "counties", "milestone")
        assert (ind["target"] is None) == (ind["measure"] == "milestone" or ind["relative"] is not None)
    by_id = {i["id"]: i for i in doc["indicators"]}
    assert all(isinstance(by_id[i.id]["target"], (int, float)) for i in plan.indicators if i.target is not None)


@pytest.mark.parametrize("width", [80, 120])
def test_plan_table_fits_the_terminal_with_cjk(run, plan, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    out = run.ok("plan").stdout
    assert "\x1b[" not in out  # no colour codes in a pipe
    for line in out.splitlines():
        assert cell_len(line) <= width, line
    for ind in plan.indicators:
        assert ind.id in out
    assert "新建公办幼儿园" in out


def test_plan_csv_and_markdown(run):
    csv_text = run.ok("plan", "--format", "csv", lang="en").stdout
    assert csv_text.startswith("\ufeffid,indicator")
    assert run.ok("plan", "--format", "csv").stdout.startswith("\ufeff指标编号,指标")
    md = run.ok("plan", "--format", "markdown").stdout
    assert md.startswith("## ") and "| :-- |" in md


def test_python_dash_m_works():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "eduplan", "plan", "--format", "json"], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["plan"]["year"] == 2023


def test_help_keeps_every_word(run):
    """rich treats [..] in help as markup; the env-variable hints must survive."""
    out = run.ok("record", "--help").stdout
    assert "EDUPLAN_PLAN" in out and "EDUPLAN_LEDGER" in out and "EDUPLAN_USER" in out


def test_version(run):
    from eduplan import __version__

    assert run.ok("--version").stdout.strip() == f"eduplan {__version__}"


def test_an_edited_plan_is_never_served_from_the_plan_cache(run, synthetic_plan_path):
    assert run.json("plan")["indicators"][0]["target"] == 25  # now cached
    text = synthetic_plan_path.read_text(encoding="utf-8")
    synthetic_plan_path.write_text(text.replace("target = 25", "target = 26", 1), encoding="utf-8")  # same size
    assert run.json("plan")["indicators"][0]["target"] == 26
    synthetic_plan_path.write_text(text.replace("target = 25", "target = -5", 1), encoding="utf-8")
    result = run.fails(1, "status", lang="en")
    assert "must not be negative" in result.stderr  # validated, not cached


def test_a_word_a_plan_must_use_is_listed_with_what_it_means_for_a_chinese_reader(run, tmp_path):
    """measure = "累计": the words the file must use are English (flow, level …); a Chinese plan
    writer is told what each means beside it, and types the word itself."""
    path = tmp_path / "plan.toml"
    path.write_text(bundled_plan_path().read_text(encoding="utf-8").replace('measure = "flow"', 'measure = "累计"', 1)
                    .replace('reported_by = "counties"', 'reported_by = "各县"', 1), encoding="utf-8")
    zh = run.fails(1, "validate", "--plan", path).stderr
    assert "必须是以下之一：flow（累计）、level（比例或时点数）、counties（县数）、milestone（节点）" in zh, zh
    assert "必须是以下之一：city（市本级报送）、counties（各县报送）、both（市本级和各县均报送）" in zh, zh
    en = run.fails(1, "validate", "--plan", path, lang="en").stderr
    assert "must be one of: flow, level, counties, milestone" in en, en


@pytest.mark.parametrize("typed", ["台州市", "台州", "全市"])
def test_the_bundled_plan_takes_its_citys_name_for_the_city_wide_figure(typed):
    """Staff write 台州市 (or 台州) for the city's own figure, as they write 椒江 for 椒江区."""
    from eduplan.core.names import find_county

    plan = load_plan(bundled_plan_path())
    assert plan.plan.city == "台州市"
    assert find_county(plan, typed).value is None


def test_a_full_width_percent_sign_as_the_unit_is_a_percentage(tmp_path, run, monkeypatch):
    """unit = "％" (typed with a Chinese keyboard) made a share a count: the plan showed ≥56％ 时点数,
    and 57% was refused on it as a percentage for a count."""
    path = tmp_path / "fullwidth.toml"
    path.write_text(SYNTHETIC_PLAN.replace('measure = "level"\nunit = "%"\ntarget = 56', 'measure = "level"\nunit = "％"\n'
                                           'target = 56', 1), encoding="utf-8")
    assert 'unit = "％"' in path.read_text(encoding="utf-8")
    assert load_plan(path).by_id["public-share"].is_percent
    monkeypatch.setenv("EDUPLAN_PLAN", str(path))
    run.ok("record", "public-share", "57%", "--county", "椒江区", "--as-of", "2023-06-30")


@pytest.mark.parametrize(("encoding", "said"), [("gb18030", "文件似乎以 GBK（GB18030）编码保存；请另存为 UTF-8 编码"),
                                                ("utf-16", "文件以 UTF-16 编码保存；请另存为 UTF-8 编码")])
def test_a_plan_saved_in_another_encoding_says_which_and_what_to_do(tmp_path, run, encoding, said):
    """Notepad or WPS saving the plan as GBK or UTF-16 got only '不是 UTF-8 文本'; and validate, given
    --ledger, said 'the plan does not load: check it with eduplan validate' of itself."""
    path = tmp_path / "saved.toml"
    path.write_bytes(SYNTHETIC_PLAN.encode(encoding))
    err = run.fails(1, "validate", "--plan", path, "--ledger", tmp_path / "l.toml", lang="zh").stderr
    assert re.search(rf"{re.escape(str(path))}:\d+: 不是 UTF-8 文本：{said}", err), err
    assert "请运行 eduplan validate" not in err and f"计划 {path} 中有 1 个问题；未检查台账" in err


@pytest.mark.parametrize(("old", "new", "said"), [
    ("target = 56\n", "target = 56%\n", "百分比只写数字，不带 %：56（unit 为 % 即表示百分比）"),
    ("target = 56\n", "target = 56％\n", "百分比只写数字，不带 %：56"),
    ("target = 25\n", "target = 2.5万\n", "数字请写全，不带“万”“亿”：25000"),
    ("target = 25\n", "target = 25,000\n", "数字不要带千位分隔符：25000"),
    ('unit = "所"\n', '单位 = "所"\n', "“单位”不是字段名：字段名用英文"),
    ('unit = "所"\n', 'unit = "所"\n＃ 备注\n', "注释应以半角 # 开头"),
    ('sections = ["focus-1"]\n', 'sections = ["focus-1"， "matter-1"]\n', "列表各项之间用半角逗号“,”分隔"),
    ('start = 2023-01-01', 'start = 2023年1月1日', "日期请写成 2023-01-01，不要写成 2023年1月1日"),
])
def test_a_plan_written_as_chinese_text_writes_a_figure_says_what_to_write(tmp_path, run, old, new, said):
    """60%, 1.5万, 15,000 or 2025年6月30日 left unquoted in the plan, a key in Chinese, a full-width ＃
    or a Chinese comma got only TOML's generic 'expected a new line' or 'invalid statement'."""
    path = _broken(tmp_path, old, new)
    err = run.fails(1, "validate", "--plan", path, "--ledger", tmp_path / "l.toml", lang="zh").stderr
    line = SYNTHETIC_PLAN.replace(old, new, 1).splitlines().index(new.splitlines()[-1]) + 1
    assert f"{path}:{line}: TOML 语法：{said}" in err, err
