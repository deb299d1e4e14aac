"""The bulletin as leadership reads it: figures equal to the JSON, footnotes that add up, the
audit trail in an appendix, pictures in the HTML. SYNTHETIC figures (tests/helpers.synthetic_half_year)."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from conftest import COUNTIES
from eduplan.core.numbers import parse_quantity
from helpers import synthetic_half_year

JUNE = ["--month", "2023-06"]


@pytest.fixture
def half_year(run, synthetic_plan, ledger_path):
    return run, synthetic_half_year(ledger_path, synthetic_plan)


def _md_table(text: str, heading: str) -> list[list[str]]:
    """The rows of the first Markdown table under a heading."""
    part = text.split(heading, 1)[1]
    rows = []
    for line in part.splitlines()[1:]:
        if line.startswith("#"):
            break
        if line.startswith("|") and not line.startswith("| :") and not line.startswith("| -"):
            rows.append([c.strip().replace("\\", "") for c in line.strip("|").split(" | ")])
    return rows[1:]  # without the header


def _read(shown: str) -> Decimal:
    """A figure as the bulletin shows it (2.18万个, 57.79亿元, 13所) read back."""
    return parse_quantity(shown.lstrip("≥≤")).value


def _half_digit(shown: str) -> Decimal:
    """Half the last digit shown: 0.005万 for 2.18万, 0.5 for 13."""
    m = re.match(r"(\d+)(?:\.(\d+))?\s*([万亿])?", shown.lstrip("≥≤"))
    unit = {"万": 10**4, "亿": 10**8}.get(m.group(3), 1)
    return Decimal(unit) / 10 ** len(m.group(2) or "") / 2


def _close(shown: str, exact: float) -> bool:
    """Equal to the last digit shown: 2.18万 is 21761, 13 is 13."""
    return abs(_read(shown) - Decimal(str(exact))) <= _half_digit(shown) + Decimal("1e-9")


def test_every_figure_of_the_markdown_bulletin_is_the_jsons(half_year):
    run, _ = half_year
    doc = run.json("report", *JUNE)
    md = run.ok("report", *JUNE).stdout
    by_name = {d["name"]: d for d in doc["indicators"]}
    rows = _md_table(md, "教育实事 · 一、实事一")
    assert rows
    for name, shown, done, *_ in rows:
        d = by_name[name]
        actual, target = shown.split("/")
        assert _close(actual, d["actual"]), (name, shown, d["actual"])
        assert _close(target, d["target"]) and target.startswith("≥")
        assert done == f"{d['completion'] * 100:.0f}%"
    places = next(r for r in rows if r[0] == "新增学位")
    assert "万" in places[1] and "," not in md  # the plan's unit (3.5万个), one number style


def test_footnote_divisor_and_monthly_rates_add_up_by_hand(half_year):
    run, _ = half_year
    doc = run.json("report", *JUNE)
    md = run.ok("report", *JUNE).stdout
    assert doc["headline"]["months_left"] == 6
    assert "至计划期末为6个月" in md
    rows = _md_table(md, "## 三、滞后与落后指标")
    checked = 0
    for _n, _name, _status, _fig, _done, _expected, _lag, left, rate in rows:
        if rate == "—" or "县" in left:
            continue
        # what a reader recomputes from what is printed: the amount to go ÷ 6, to the digits shown
        assert abs(_read(rate) - _read(left) / 6) <= _half_digit(rate) + _half_digit(left) / 6, (left, rate)
        checked += 1
    flows = [a for a in doc["attention"] if a["measure"] == "flow" and a["monthly_needed"]]
    assert checked == len(flows) > 0
    for a in flows:
        assert a["monthly_needed"] == pytest.approx(a["remaining"] / 6)


def test_typos_and_voids_go_to_the_appendix_not_the_main_table(half_year):
    run, facts = half_year
    doc = run.json("report", *JUNE)
    rec = doc["recorded"]
    assert (rec["corrections"], rec["voids"], rec["withdrawn"]) == (1, 1, 2)
    assert rec["figures"] == rec["count"] - 3  # the typo, the figure entered twice and the void do not count
    md = run.ok("report", *JUNE).stdout
    main, appendix2 = md.split("## 附录一、本月填报明细")[1].split("## 附录二、更正与作废记录")
    assert "12亿个" not in main and "99所" not in main and "作废" not in main.replace("作废 ", "")
    assert "12亿个" in appendix2 and "99所" in appendix2 and "作废" in appendix2
    assert f"本月收到有效数据{rec['figures']}条" in md
    ids = [int(r[0]) for r in _md_table(md, "## 附录一、本月填报明细")]
    assert facts["typo"] not in ids and facts["twice"] not in ids and facts["voided"] not in ids
    assert facts["fixed"] in ids  # the corrected figure counts
    html = run.ok("report", *JUNE, "--format", "html").stdout
    body, audit = html.split("附录一、本月填报明细")[1].split("附录二、更正与作废记录")
    assert "12亿个" not in body and "12亿个" in audit and "line-through" not in html


def test_received_per_county_and_counties_that_sent_nothing(run, synthetic_plan, ledger_path):
    synthetic_half_year(ledger_path, synthetic_plan)
    doc = run.json("report", *JUNE)
    assert doc["recorded"]["by_county"][COUNTIES[2]] == 4  # places, kindergartens, share, counselling
    assert doc["recorded"]["by_county"][COUNTIES[1]] == 4  # the figure entered twice and its void do not count
    assert doc["silent_counties"]["counties"] == []


def test_json_is_compact_in_a_pipe(half_year):
    run, _ = half_year
    out = run.ok("report", *JUNE, "--format", "json").stdout
    assert out.count("\n") == 1 and json.loads(out)["kind"] == "monthly-bulletin"


def test_the_county_grid_is_in_every_format(half_year):
    run, facts = half_year
    doc = run.json("report", *JUNE)
    grid = doc["by_county"]
    assert set(grid) == {"new-places", "new-kindergartens", "public-share", "counselling-counties"}
    assert grid["new-places"][COUNTIES[0]]["actual"] == facts["places"][COUNTIES[0]]
    md = run.ok("report", *JUNE).stdout
    rows = {r[0]: r for r in _md_table(md, "### 分县（市、区）完成情况")}
    kinder = rows["新建公办幼儿园"]
    for k, county in enumerate(COUNTIES):
        completion = grid["new-kindergartens"][county]["completion"]
        assert kinder[1 + k].startswith(f"{completion * 100:.0f}%")
    assert rows["建成心理辅导中心的县"][1] == "完成"  # a county's state, in words


def test_html_draws_a_bullet_for_every_indicator_and_a_heat_map(half_year):
    run, _ = half_year
    doc = run.json("report", *JUNE)
    html = run.ok("report", *JUNE, "--format", "html").stdout
    assert html.count('class="chart"') == 1 + 2 + 1  # focus-1, matter-1 (bullets) and the heat map
    figure1 = html.split("图1", 1)[1].split("</figure>")[0]
    for d in doc["indicators"]:
        assert d["name"] in figure1
    # the 序时 mark stands where the core put it: expected = 181/365 of the way to the target line
    from eduplan.render.html import BAR_W, BAR_X, MAX_SHOWN

    x = BAR_X + (181 / 365) / MAX_SHOWN * BAR_W
    assert f'x1="{x:.1f}"'.rstrip("0").rstrip(".") in figure1 or f'x1="{x:.1f}"' in figure1
    heat = html.split("图2", 1)[1].split("</figure>")[0]
    assert all(c[:-1] in heat for c in COUNTIES) and heat.count("<rect") == 4 * (len(COUNTIES) + 1)
    for forbidden in ("<script", "<link", "<img", "@import", "url("):
        assert forbidden not in html
    # what a screen reader says of each picture is in the reader's language (the overview bar said 'status')
    labels = re.findall(r'aria-label="([^"]*)"', html)
    assert labels and not [x for x in labels if re.search(r"[A-Za-z]{3,}", x)], labels
    assert any(x.startswith("状态：完成 ") for x in labels)


def test_corrections_and_voids_are_said_the_same_way_everywhere(half_year, monkeypatch):
    """One remark for an entry: the log's table and Markdown and the bulletin's appendix agree."""
    run, facts = half_year
    monkeypatch.setenv("COLUMNS", "160")
    table = run.ok("log", "new-kindergartens", "--county", COUNTIES[1]).stdout
    md = run.ok("log", "new-kindergartens", "--county", COUNTIES[1], "--format", "markdown").stdout
    bulletin = run.ok("report", *JUNE).stdout.split("## 附录二")[1]
    for text in (f"作废 #{facts['twice']}：entered twice", f"已被 #{facts['voided']} 作废；SYNTHETIC entered twice"):
        assert text in table and text in md and text in bulletin
    assert "更正" not in md and "更正" not in table  # a void is never called a correction


def test_the_receipts_sentence_counts_a_correction_once(run, synthetic_plan_path):
    """A June figure corrected in June, and another voided: the bulletin said 本月收到有效数据1条；
    另有更正、作废2条, though the one figure is the correction, one of the two."""
    run.ok("record", "new-kindergartens", "5", "--as-of", "2023-06-30")
    run.ok("record", "new-places", "3000", "--as-of", "2023-06-30")
    run.ok("correct", "1", "6", "--reason", "synthetic: re-counted")
    run.ok("void", "2", "--reason", "synthetic: entered by mistake")
    md = run.ok("report", *JUNE).stdout
    assert "本月收到有效数据1条，其中更正1条；另有作废或已被取代的更正1条（见附录二）。" in md
    en = run.ok("report", *JUNE, lang="en").stdout
    assert "1 figure was received for the month, 1 correction among them; 1 void or correction since replaced " \
           "besides (appendix 2)." in en
    run.ok("record", "new-places", "3100", "--as-of", "2023-06-30")  # (its void stays in the trail)
    run.ok("correct", "5", "3200", "--reason", "synthetic")
    assert "本月收到有效数据2条，其中更正2条；另有作废或已被取代的更正1条（见附录二）。" in run.ok("report", *JUNE).stdout


def test_the_bulletin_says_why_an_indicator_is_not_judged(run, synthetic_plan_path, tmp_path):
    """A cap with counties missing showed 不评价 in the bulletin without a word of why."""
    run.ok("record", "incidents", "3", "--county", "椒江区", "--as-of", "2023-06-30")
    md = run.ok("report", *JUNE).stdout
    assert "月末需要说明的指标：" in md
    assert "- 安全事故：上限类指标须各县数据齐全才能判断：9个县中1个已报送" in md, md
    path = tmp_path / "june.html"
    run.ok("report", *JUNE, "-o", path)
    html = path.read_text(encoding="utf-8")
    assert "月末需要说明的指标：" in html and "上限类指标须各县数据齐全才能判断" in html
    run.ok("record", "incidents", "4", "--as-of", "2023-06-30")  # a city-wide figure: judged
    assert "月末需要说明的指标" not in run.ok("report", *JUNE).stdout


def test_the_bulletin_says_what_status_says_of_a_row_whatever_its_light(run, synthetic_plan_path, tmp_path):
    """A city-wide figure older than the counties' (170 in June against counties' 318 in
    December) counted without a word in the bulletin while status explained it; the same for a
    cap used faster than the time gone. The bulletin now says it too, in every format."""
    run.ok("record", "new-kindergartens", "5", "--as-of", "2023-05-31")
    run.ok("record", "new-kindergartens", "3", "--county", "椒江区", "--as-of", "2023-06-30")
    run.ok("record", "incidents", "8", "--as-of", "2023-06-30")  # 8 of a cap of 10 by mid-year
    status = run.ok("status", "--as-of", "2023-06-30").stdout
    md = run.ok("report", *JUNE).stdout
    html_path = tmp_path / "june.html"
    run.ok("report", *JUNE, "-o", html_path)
    html = html_path.read_text(encoding="utf-8")
    from openpyxl import load_workbook

    book_path = tmp_path / "june.xlsx"
    run.ok("report", *JUNE, "-o", book_path)
    book = load_workbook(book_path)
    cells = " ".join(str(c.value) for row in book["指标"].iter_rows() for c in row if c.value is not None)
    for said in ("全市数据（截至 2023-05-31）早于各县数据", "已超出序时额度"):
        assert said in status, status
        assert said in md and said in html and said in cells, said
    overview = book["概况"]  # a long note is not cut off: its row is as tall as its lines
    note = next(row for row in overview.iter_rows() if row[0].value == "备注")
    assert len(str(note[1].value)) > 100 and overview.row_dimensions[note[0].row].height >= 15 * (
        len(str(note[1].value)) * 2 // 72), note[1].value


def test_the_bulletin_says_why_a_share_has_no_city_wide_figure(run, synthetic_plan_path):
    """Nine counties' 80/100 made the city's 80%; one county's 80% typed alone, accepted without a
    word, left the city-wide share 无数据 in the bulletin with nothing to say why. The record
    says what it leaves undone, and the bulletin why there is no figure."""
    for county in ("椒江区", "黄岩区"):
        out = run.ok("record", "public-share", "80/100", "--county", county, "--as-of", "2023-05-31").stdout
        assert "分子之和÷分母之和" not in out
    out = run.ok("record", "public-share", "80%", "--county", "三门县", "--as-of", "2023-06-30").stdout
    assert "（全市的公办园在园幼儿占比按各县（市、区）分子之和÷分母之和汇总：只填百分比无法计入，全市将显示无数据" in out, out
    assert "分子之和" not in run.ok("record", "public-share", "81%", "--as-of", "2023-06-30").stdout  # the city's own
    run.ok("void", "4", "--reason", "synthetic")
    md = run.ok("report", *JUNE).stdout
    assert "- 公办园在园幼儿占比：无法汇总：三门县填报的百分比没有分母" in md, md


def test_a_sheet_of_percentages_the_city_cannot_roll_up_says_so_once(run, synthetic_plan_path, tmp_path):
    """The same from a sheet: said once for the indicator, in the dry run and the import; and
    the warnings accepted are named as a Chinese reader reads them, not by their ids."""
    sheet = tmp_path / "june.csv"
    sheet.write_text("指标,县（市、区）,截至日期,数值\n"
                     "public-share,椒江区,2023-06-30,400/1000\n"
                     "public-share,三门县,2023-06-30,80%\n"
                     "public-share,仙居县,2023-06-30,81%\n"
                     "public-share,黄岩区,2023-06-30,0.52\n", encoding="utf-8")
    english = run.ok("import", sheet, "--dry-run", "--accept-warnings", lang="en").stdout
    assert "row 5 (fraction)" in english, english
    for args in (["--dry-run"], []):
        out = run.ok("import", sheet, "--accept-warnings", *args).stdout
        assert out.count("分子之和÷分母之和") == 1, out
        assert "（百分比误填为小数）" in out and "fraction" not in out, out


def test_a_countys_percentage_is_shown_as_itself_in_the_bulletins_grid(run, synthetic_plan_path, tmp_path):
    """88% against a county target of 90% read 98% in the bulletin's county grid (its
    completion), where status --by-county showed 88%: a reader took 98% for the share itself.
    A percentage is shown as itself, in the markdown grid and the HTML heat map alike; a count
    keeps its completion."""
    plan = tmp_path / "plan-with-county-targets.toml"
    plan.write_text(synthetic_plan_path.read_text(encoding="utf-8").replace(
        'target = 56\ncomparator = ">="\n',
        'target = 56\ncomparator = ">="\ncounty_targets = { "椒江区" = 90, "黄岩区" = 50 }\n', 1), encoding="utf-8")
    run.ok("record", "public-share", "88/100", "--county", "椒江区", "--as-of", "2023-06-30", "--plan", plan)
    run.ok("record", "new-kindergartens", "1", "--county", "椒江区", "--as-of", "2023-06-30", "--plan", plan)
    grid = run.ok("status", "--by-county", "--as-of", "2023-06-30", "--plan", plan).stdout
    md = run.ok("report", *JUNE, "--plan", plan).stdout
    html = run.ok("report", *JUNE, "--format", "html", "--plan", plan).stdout
    row = next(line for line in md.splitlines() if line.startswith("| 公办园在园幼儿占比 |") and "·" in line)
    assert "88% ▲" in row and "98%" not in row, row
    assert "88%" in grid and ">88%<" in html and ">98%<" not in html
    kindergartens = next(line for line in md.splitlines() if line.startswith("| 新建公办幼儿园 |") and "·" in line)
    assert "50% " in kindergartens, kindergartens  # 1 of 椒江区's 2: its completion


def test_an_empty_sheet_of_the_workbook_says_so_as_the_markdown_does(run, synthetic_plan_path, tmp_path):
    """本月完成 and 更正与作废 were a header row and nothing else in a month with none; the
    markdown bulletin says 本月没有新完成的节点或目标。 Each empty sheet says what the markdown says."""
    from openpyxl import load_workbook

    run.ok("record", "new-kindergartens", "3", "--county", "椒江区", "--as-of", "2023-06-30")
    path = tmp_path / "june.xlsx"
    run.ok("report", *JUNE, "-o", path)
    md = run.ok("report", *JUNE).stdout
    book = load_workbook(path)
    for sheet, said in (("本月完成", "本月没有新完成的节点或目标。"), ("更正与作废", "本月数据没有更正或作废。")):
        cells = [c.value for row in book[sheet].iter_rows(min_row=2) for c in row if c.value is not None]
        assert cells == [said] and said in md, (sheet, cells)


def test_a_countys_figure_from_before_the_month_is_marked_in_the_grid(run, synthetic_plan_path):
    """三门县 sent nothing in November: the grid showed its October figures as if they were
    November's, and they counted in the city's. Such a cell is marked, and the mark said."""
    run.ok("record", "new-kindergartens", "3", "--county", "椒江区", "--as-of", "2023-05-31")
    run.ok("record", "new-kindergartens", "4", "--county", "黄岩区", "--as-of", "2023-06-30")
    md = run.ok("report", *JUNE).stdout
    row = next(line for line in md.splitlines() if line.startswith("| 新建公办幼儿园 |") and "·" in line)
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert "*" in cells[1], cells  # 椒江区: May's figure
    assert "*" not in cells[2], cells  # 黄岩区: June's
    assert "* 该单位本月未报送，沿用此前的数字" in md
    html = run.ok("report", *JUNE, "--format", "html").stdout
    assert "*</tspan>" in html and "该单位本月未报送" in html


def test_the_file_written_is_named_by_its_kind_in_the_readers_words(run, synthetic_plan_path, tmp_path):
    """已写入 r.html（html，2023-06，…）: a format's code where a Chinese reader reads a word."""
    for name, word in (("june.html", "网页"), ("june.xlsx", "工作簿"), ("june.md", "Markdown 文本")):
        said = run.ok("report", *JUNE, "-o", tmp_path / name).stdout
        assert f"（{word}，2023-06，截至 2023-06-30）" in said, said
    assert "(web page, 2023-06" in run.ok("report", *JUNE, "-o", tmp_path / "en.html", lang="en").stdout
