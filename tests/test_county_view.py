"""`status --by-county`: every county's figure, labelled, at every width and in every format.
SYNTHETIC figures (a half year over all nine counties, tests/helpers.synthetic_half_year)."""

from __future__ import annotations

import csv
import functools
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from conftest import COUNTIES, SYNTHETIC_PLAN
from helpers import synthetic_half_year, ws_for

D = ["--as-of", "2023-06-30"]
SHORT = [c[:-1] for c in COUNTIES]  # 椒江区 → 椒江, as the bureau abbreviates them


@pytest.fixture
def half_year(run, synthetic_plan, ledger_path):
    facts = synthetic_half_year(ledger_path, synthetic_plan)
    return run, facts


@pytest.mark.parametrize("width", [80, 100, 120, 160])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_county_row_is_labelled_at_every_width(half_year, monkeypatch, width, lang):
    run, facts = half_year
    monkeypatch.setenv("COLUMNS", str(width))
    out = run.ok("status", *D, "--by-county", lang=lang).stdout
    lines = out.splitlines()
    assert all(cell_len(line) <= width for line in lines), [line for line in lines if cell_len(line) > width]
    # every county heads a column (by its short name), and the city too
    heads = " ".join(line for line in lines if line.startswith(("指标", "indicator")))
    for short in SHORT:
        assert short in heads
    # every row carries its indicator's name, never cut to nothing
    for name in (("新建公办幼儿园", "新增学位", "公办园在园幼儿占比") if lang == "zh"
                 else ("New public kindergartens", "New school places", "Public kindergarten share")):
        assert name in "".join(lines).replace(" ", "") or name in out, name
    # figures beside lights: 椒江区's places (with its typo corrected) and its light
    flat = out.replace(" ", "")
    assert f"{facts['places'][COUNTIES[0]]}" in flat
    assert "12亿" not in out and "1200000000" not in out


def test_at_80_columns_the_counties_come_in_two_bands_with_the_names_readable(half_year, monkeypatch):
    run, _ = half_year
    monkeypatch.setenv("COLUMNS", "80")
    out = run.ok("status", *D, "--by-county").stdout
    out = out[out.index("分县情况"):]  # the grid, below the status table
    header_lines = [line for line in out.splitlines() if line.startswith("指标")]
    assert len(header_lines) == 2  # 椒江…温岭, then 玉环…三门 and the city
    assert all(s in header_lines[0] for s in SHORT[:5]) and all(s in header_lines[1] for s in SHORT[5:])
    assert "全市" in header_lines[1]
    assert "新建公办幼儿园（所）" in out  # the name whole on its line


def test_a_county_reporting_increments_shows_its_total(half_year):
    run, facts = half_year
    doc = run.json("status", *D, "--by-county")
    grid = doc["by_county"]["new-places"]
    for county in COUNTIES:
        assert grid[county]["actual"] == facts["places"][county]  # 玉环市 and 天台县 sent 本月新增
    shares = [grid[c]["share_of_city"] for c in COUNTIES]
    assert sum(shares) == pytest.approx(1.0, rel=1e-5)
    assert doc["by_county"]["public-share"][COUNTIES[0]]["share_of_city"] is None  # a level is not a share
    assert "platform-online" not in doc["by_county"]  # a milestone is the city's


def test_csv_has_each_countys_figure_target_completion_and_status(half_year):
    run, facts = half_year
    out = run.ok("status", *D, "--by-county", "--format", "csv", lang="en").stdout
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    by = {(r["id"], r["county-level unit"]): r for r in rows}
    row = by[("new-places", COUNTIES[3])]
    assert float(row["actual"]) == facts["places"][COUNTIES[3]]
    assert row["target"] and row["completion"].endswith("%") and row["status"]
    assert row["share of the city total"].endswith("%")
    city = by[("new-places", "city-wide")]
    assert float(city["actual"]) == sum(facts["places"].values()) and city["target"] == "≥3.5万个"
    assert len([r for r in rows if r["id"] == "new-places"]) == len(COUNTIES) + 1


def test_markdown_has_a_table_per_indicator_with_every_county(half_year):
    run, facts = half_year
    out = run.ok("status", *D, "--by-county", "--format", "markdown").stdout
    section = out.split("(`new-kindergartens`)")[1].split("###")[0]
    for county in COUNTIES:
        line = next(line for line in section.splitlines() if line.startswith(f"| {county} |"))
        assert f"| {facts['kindergartens'][county]}/" in line
    assert "| 全市 |" in section


@functools.cache
def _report():
    """A county view of the SYNTHETIC half year, built once (hypothesis runs a test many times)."""
    from eduplan.services import status
    from eduplan.store.planfile import load_plan

    folder = Path(tempfile.mkdtemp())
    (folder / "plan.toml").write_text(SYNTHETIC_PLAN, encoding="utf-8")
    plan = load_plan(folder / "plan.toml")
    synthetic_half_year(folder / "ledger.toml", plan)
    return status(ws_for(folder / "plan.toml", folder / "ledger.toml"), as_of="2023-06-30", by_county=True)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=36, max_value=220), st.sampled_from(["zh", "en"]))
def test_one_layout_rule_at_any_width(width, lang):
    """Whatever the width: no line wider than the terminal, every county heads a column, every row
    keeps its name (wrapped, never cut)."""
    from eduplan.render import Options, render

    out = render(_report(), "table", lang, Options(width=width))
    assert all(cell_len(line) <= width for line in out.splitlines())
    lines = out[out.index("分县情况" if lang == "zh" else "By county-level unit"):].splitlines()  # the grid
    assert all(cell_len(line) <= width for line in lines)
    heads = " ".join(line for line in lines if line.startswith(("指标", "indicator")))
    assert all(short in heads for short in SHORT)
    names = ("新建公办幼儿园", "公办园在园幼儿占比") if lang == "zh" else ("Newpublickindergartens", "Publickindergartenshare")
    assert all(name in _name_column(lines) for name in names)


def _name_column(lines: list[str]) -> str:
    """The text of the name column, band by band, read down (spaces dropped)."""
    text, width = [], 0
    for line in lines:
        if line.startswith(("指标", "indicator")):
            head = line.split()[1]  # the first county's short name
            width = cell_len(line[:line.index(head)]) - 2
            continue
        cells, taken = [], 0
        for ch in line:
            taken += cell_len(ch)
            if taken > width:
                break
            cells.append(ch)
        text.append("".join(cells).replace(" ", ""))
    return "".join(text)


def test_the_county_grid_leaves_out_what_the_city_reports(run):
    """status --by-county listed every city-reported indicator (教育项目投资, 省级清廉学校…) for every
    county, all 无数据, and named them among those 'not split among the counties'. They are left
    out unless a county has a figure for one."""
    doc = run.json("status", "--as-of", "2023-06-30", "--by-county")
    assert "investment" not in doc["by_county"] and "new-school-places" in doc["by_county"]
    run.ok("record", "investment", "1亿", "--as-of", "2023-06-30", "--county", "椒江", "--force")  # synthetic
    assert "investment" in run.json("status", "--as-of", "2023-06-30", "--by-county")["by_county"]
