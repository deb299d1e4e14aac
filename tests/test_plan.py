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
