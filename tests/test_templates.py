"""Templates staff fill in a minute: one date per sheet, last figures to update, the county's own
target, totals and increments each stored as what they are. SYNTHETIC figures."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from conftest import COUNTIES
from helpers import synthetic_half_year, ws_for

HEAD = 5  # the header row of a template (a title, the date, the county, a blank line above it)


@pytest.fixture
def half_year(run, synthetic_plan, ledger_path):
    return run, synthetic_half_year(ledger_path, synthetic_plan)


def _rows(ws) -> dict[str, int]:
    return {ws.cell(row=r, column=1).value: r for r in range(HEAD + 1, ws.max_row + 1)}


def _col(ws, header: str) -> int:
    return [c.value for c in ws[HEAD]].index(header) + 1


def _template(run, tmp_path, county: str, month: str = "2023-07"):
    path = tmp_path / f"{county}.xlsx"
    run.ok("template", "--county", county, "--month", month, "-o", path)
    return path, load_workbook(path)


def test_a_countys_sheet_has_one_date_its_unit_its_targets_and_its_last_figures(half_year, tmp_path):
    run, facts = half_year
    _, wb = _template(run, tmp_path, "玉环")
    ws = wb.worksheets[0]
    assert (ws["A2"].value, ws["B2"].value) == ("截至日期", dt.datetime(2023, 7, 31))  # the month end
    assert (ws["A3"].value, ws["B3"].value) == ("县（市、区）", "玉环市")
    rows = _rows(ws)
    assert set(rows) == {"new-kindergartens", "new-places", "public-share", "counselling-counties",
                         "standard-counties", "dropout-rate", "incidents"}  # the milestone is the city's
    value, last, target = _col(ws, "数值"), _col(ws, "上次填报"), _col(ws, "分解目标")
    places = rows["new-places"]
    # 玉环市 sent 本月新增 from February: its last figure is the total they make
    assert ws.cell(row=places, column=value).value == str(facts["places"]["玉环市"])
    assert ws.cell(row=places, column=last).value == f"{facts['places']['玉环市']}个（2023-06-30）"
    assert ws.cell(row=rows["public-share"], column=value).value.count("/") == 1  # the ratio, to roll up again
    assert ws.cell(row=rows["counselling-counties"], column=value).value in ("完成", "进行中", "未开始")
    assert "3.5万" not in ws.cell(row=places, column=target).value  # never the city's target on a county's sheet
    assert ws.cell(row=rows["counselling-counties"], column=target).value == "—"
    unit = _col(ws, "计量单位") if "计量单位" in [c.value for c in ws[HEAD]] else _col(ws, "单位")
    assert ws.cell(row=rows["counselling-counties"], column=unit).value == "状态"  # a county gives its state, not %
    assert ws.cell(row=rows["incidents"], column=value).value in (None, "")  # the county never reported it


def test_filled_as_a_county_would_each_figure_is_stored_as_what_it_is(half_year, tmp_path):
    run, facts = half_year
    path, wb = _template(run, tmp_path, "天台")
    ws = wb.worksheets[0]
    rows = _rows(ws)
    value, added = _col(ws, "数值"), _col(ws, "本月新增")
    ws.cell(row=rows["new-places"], column=added).value = 280  # this month's increase; the total left as it was
    kinder = rows["new-kindergartens"]
    ws.cell(row=kinder, column=value).value = str(facts["kindergartens"]["天台县"] + 1)  # a new total
    ws.cell(row=rows["public-share"], column=value).value = "600/1000"
    ws.cell(row=rows["counselling-counties"], column=value).value = "完成"
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    out = run.ok("import", filled, lang="en").stdout
    assert "imported 4 entries" in out
    got = {e["indicator"]: e for e in json.loads(run.ok("log", "--format", "json").stdout)
           if e["county"] == "天台县" and e["as_of"] == "2023-07-31"}
    assert got["new-places"]["added"] == 280 and got["new-places"]["value"] is None
    assert got["new-kindergartens"]["value"] == facts["kindergartens"]["天台县"] + 1
    assert (got["public-share"]["numerator"], got["public-share"]["denominator"]) == (600, 1000)
    assert got["counselling-counties"]["state"] == "done"
    status = run.json("status", "--as-of", "2023-07-31", "--county", "天台")
    places = next(i for i in status["indicators"] if i["id"] == "new-places")
    assert places["actual"] == facts["places"]["天台县"] + 280


def test_an_untouched_row_is_recorded_as_unchanged_and_said_so(half_year, tmp_path):
    run, _ = half_year
    path, _ = _template(run, tmp_path, "椒江")
    out = run.ok("import", path, "--dry-run", lang="en").stdout
    assert "would record 4 entries" in out and "4 of them unchanged since the last figures" in out


def test_a_total_and_an_increase_that_disagree_are_refused(half_year, tmp_path, ledger_path):
    run, facts = half_year
    path, wb = _template(run, tmp_path, "天台")
    ws = wb.worksheets[0]
    rows = _rows(ws)
    ws.cell(row=rows["new-places"], column=_col(ws, "数值")).value = str(facts["places"]["天台县"] + 100)
    ws.cell(row=rows["new-places"], column=_col(ws, "本月新增")).value = 280
    ws.cell(row=rows["public-share"], column=_col(ws, "本月新增")).value = 3  # a level has no increase
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    before = ledger_path.read_bytes()
    err = run.fails(1, "import", filled).stderr
    assert f"{filled}:{rows['new-places']}: 本月新增: " in err and "不等于上次数据" in err
    assert f"{filled}:{rows['public-share']}: 本月新增: " in err
    assert ledger_path.read_bytes() == before
    # the total that agrees with the increase is accepted, and the increase recorded
    ws.cell(row=rows["new-places"], column=_col(ws, "数值")).value = str(facts["places"]["天台县"] + 280)
    ws.cell(row=rows["public-share"], column=_col(ws, "本月新增")).value = None
    wb.save(filled)
    run.ok("import", filled)


def test_the_sheets_date_is_checked_where_it_stands(half_year, tmp_path):
    run, _ = half_year
    path, wb = _template(run, tmp_path, "椒江")
    ws = wb.worksheets[0]
    ws["B2"].value = "2023-13-45"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    err = run.fails(1, "import", bad).stderr
    assert f"{bad}:2: 截至日期: " in err


@pytest.mark.parametrize("today, day", [
    (dt.date(2023, 7, 3), dt.date(2023, 6, 30)),  # early July: June's figures (每月初报上月)
    (dt.date(2023, 6, 30), dt.date(2023, 6, 30)),  # on the month end itself: that month
    (dt.date(2023, 6, 12), dt.date(2023, 5, 31)),
    (dt.date(2023, 1, 10), dt.date(2023, 1, 31)),  # no month of the period is over yet: the first
    (dt.date(2025, 3, 1), dt.date(2023, 12, 31)),  # after the period: its last day
])
def test_by_default_the_sheet_is_as_of_the_last_month_end(synthetic_plan_path, ledger_path, today, day):
    from eduplan.services import template

    assert template(ws_for(synthetic_plan_path, ledger_path, today=today), county="椒江区").as_of == day


def test_a_school_year_plans_sheet_takes_a_month_without_its_year_in_the_period(run, school_year_plan_path, tmp_path):
    """`template --month 1月` under a plan over 2024-09-01 to 2025-08-31 was 2024-01, "not in the plan period"."""
    path = tmp_path / "jan.xlsx"
    said = run.ok("template", "--county", "椒江", "--month", "1月", "-o", path).stdout
    assert "截至 2025-01-31" in said
    assert template_day(path) == "2025-01-31"
    path = tmp_path / "sep.xlsx"
    run.ok("template", "--county", "椒江", "--as-of", "9月底", "-o", path)
    assert template_day(path) == "2024-09-30"


def template_day(path) -> str:
    """The sheet's one date, as it stands beside 截至日期 above the table."""
    ws = load_workbook(path).active
    row = next(r for r in ws.iter_rows(max_row=HEAD) if r[0].value == "截至日期")
    value = row[1].value
    return value.date().isoformat() if isinstance(value, dt.datetime) else str(value)


def test_a_county_without_a_target_of_its_own_is_told_the_citys(synthetic_plan):
    from eduplan.render.sheet_cells import target_cell
    from eduplan.services.sheet_contract import TemplateDoc, TemplateRow, columns_for

    ind = synthetic_plan.by_id["new-kindergartens"]
    doc = TemplateDoc(synthetic_plan, COUNTIES[0], columns_for(COUNTIES[0]), (ind,), "xlsx", dt.date(2023, 6, 30))
    assert target_cell(TemplateRow(ind, None, (), None), doc, "zh") == "未分解（全市≥25所）"
    assert target_cell(TemplateRow(ind, 4, (), None), doc, "zh") == "≥4所"


def test_a_figure_the_ledger_already_has_for_that_date_is_not_recorded_twice(half_year, tmp_path, ledger_path):
    run, _ = half_year
    path, _ = _template(run, tmp_path, "黄岩", month="2023-06")  # June's figures are in already
    before = ledger_path.read_bytes()
    out = run.ok("import", path, lang="en").stdout
    assert "no figures to import" in out and "4 rows already in the ledger for their date skipped" in out
    assert ledger_path.read_bytes() == before


def test_a_countys_sheet_says_whether_a_count_of_counties_asks_it_to_be_done(run, synthetic_plan_path, tmp_path):
    """A plan splitting a count of counties (county_targets 1 or 0): a county's sheet showed —
    in 分解目标 whether the plan asked it to be done or not."""
    plan = tmp_path / "plan-with-county-targets.toml"
    text = synthetic_plan_path.read_text(encoding="utf-8")
    at = text.index('id = "counselling-counties"')
    end = text.index("\n\n", at)
    plan.write_text(text[:end] + '\ncounty_targets = { "椒江区" = 1, "黄岩区" = 0 }' + text[end:], encoding="utf-8")
    for county, said in (("椒江区", "完成"), ("黄岩区", "不要求本单位"), ("路桥区", "—")):
        path = tmp_path / f"{county}.xlsx"
        run.ok("template", "--county", county, "--month", "2023-07", "-o", path, "--plan", plan)
        ws = load_workbook(path).worksheets[0]
        assert ws.cell(row=_rows(ws)["counselling-counties"], column=_col(ws, "分解目标")).value == said, county
    # show says it the same way: who must be done and who is not asked, not 椒江区 1个、黄岩区 0个
    shown = run.ok("show", "counselling-counties", "--as-of", "2023-07-31", "--plan", plan, "--format", "markdown").stdout
    assert "须完成：椒江区；不要求：黄岩区" in shown and "1个" not in shown


def test_another_units_sheet_with_only_its_unit_changed_is_refused(half_year, tmp_path, ledger_path):
    """黄岩 given 椒江's sheet by mistake, with 椒江's figures filled in: changing B3 to 黄岩区 would
    book every figure left as it was to 黄岩区. The title still names 椒江区: refused, saying so."""
    run, _ = half_year
    path, wb = _template(run, tmp_path, "椒江")
    ws = wb.worksheets[0]
    ws["B3"].value = "黄岩区"
    ws.cell(row=_rows(ws)["new-places"], column=_col(ws, "数值")).value = "40"
    filled = tmp_path / "huangyan-on-jiaojiang.xlsx"
    wb.save(filled)
    before = ledger_path.read_bytes()
    err = run.fails(1, "import", filled).stderr
    assert f"{filled}:3: 县（市、区）: 本表填的是黄岩区，但标题“" in err and "（第 1 行）写的是椒江区" in err
    assert ledger_path.read_bytes() == before
    ws["A1"].value = ws["A1"].value.replace("椒江区", "黄岩区")  # a title written for the unit: read as it says
    wb.save(filled)
    assert "标题" not in run("import", filled, "--dry-run").stderr  # (椒江's figures then meet 黄岩's own rules)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_sheet_filled_for_another_unit_is_refused_by_the_last_figures_it_shows(half_year, tmp_path, ledger_path,
                                                                                 kind):
    """椒江's sheet with its unit changed to 黄岩区 and no title to say otherwise (a CSV has none; a
    title deleted): every row left as filled went in as 黄岩区's figure. A row whose figure is the
    one its 上次填报 shows, as of a day on which the unit had another figure, is refused; a figure
    typed anew is the unit's own."""
    run, _ = half_year
    if kind == "xlsx":
        path, wb = _template(run, tmp_path, "椒江")
        ws = wb.worksheets[0]
        ws["A1"].value = None
        ws["B3"].value = "黄岩区"
        rows = _rows(ws)
        ws.cell(row=rows["new-places"], column=_col(ws, "数值")).value = "999"  # typed anew
        filled = tmp_path / "huangyan-on-jiaojiang.xlsx"
        wb.save(filled)
        places, kindergartens = rows["new-places"], rows["new-kindergartens"]
    else:
        import csv

        path = tmp_path / "jiaojiang.csv"
        run.ok("template", "--county", "椒江", "--month", "2023-07", "-o", path)
        table = list(csv.reader(path.open(encoding="utf-8-sig")))
        assert table[1][:2] == ["县（市、区）", "椒江区"]
        table[1][1] = "黄岩区"
        head = next(k for k, r in enumerate(table) if r and r[0] == "指标编号")
        value = table[head].index("数值")
        places = next(k for k, r in enumerate(table) if r and r[0] == "new-places") + 1
        kindergartens = next(k for k, r in enumerate(table) if r and r[0] == "new-kindergartens") + 1
        table[places - 1][value] = "999"
        filled = tmp_path / "huangyan-on-jiaojiang.csv"
        with filled.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(table)
    before = ledger_path.read_bytes()
    err = run.fails(1, "import", filled).stderr
    assert f"{filled}:{kindergartens}: 数值: 2 是“上次填报”显示的截至 2023-06-30 的数据，但黄岩区当日为4所" in err
    assert f"{filled}:{places}:" not in err
    assert ledger_path.read_bytes() == before


def test_a_figure_typed_in_the_note_beside_an_empty_value_is_refused_not_skipped(half_year, tmp_path, ledger_path):
    """A figure typed one cell too far (备注) with 数值 left empty was counted among the rows
    skipped for an empty value: the figure was lost, the import said it succeeded."""
    run, _ = half_year
    path, wb = _template(run, tmp_path, "椒江")
    ws = wb.worksheets[0]
    row = _rows(ws)["new-kindergartens"]
    ws.cell(row=row, column=_col(ws, "数值")).value = None
    ws.cell(row=row, column=_col(ws, "备注")).value = 3
    filled = tmp_path / "note.xlsx"
    wb.save(filled)
    before = ledger_path.read_bytes()
    err = run.fails(1, "import", filled).stderr
    assert f"{filled}:{row}: 备注: “备注”中的 3 是一个数字，而“数值”为空：请把数字填在“数值”中" in err
    assert ledger_path.read_bytes() == before
    ws.cell(row=row, column=_col(ws, "备注")).value = "3所在建，7月底完工"  # a note in words: the row is skipped, as before
    wb.save(filled)
    assert "数值为空" in run.ok("import", filled, "--dry-run").stdout


@pytest.mark.parametrize("hide", ["row", "column"])
def test_a_figure_in_a_hidden_row_or_column_is_refused(half_year, tmp_path, ledger_path, hide):
    """A hidden first worksheet was refused, but a figure in a hidden row (or in a hidden 本月新增
    column) went in: no one filling or checking the sheet saw it."""
    run, _ = half_year
    path, wb = _template(run, tmp_path, "椒江")
    ws = wb.worksheets[0]
    row = _rows(ws)["new-places"]
    if hide == "row":
        ws.cell(row=row, column=_col(ws, "数值")).value = 999
        ws.row_dimensions[row].hidden = True
    else:
        column = _col(ws, "本月新增")
        ws.cell(row=row, column=column).value = 50
        ws.cell(row=row, column=_col(ws, "数值")).value = None
        ws.column_dimensions[ws.cell(row=HEAD, column=column).column_letter].hidden = True
    filled = tmp_path / "hidden.xlsx"
    wb.save(filled)
    before = ledger_path.read_bytes()
    err = run.fails(1, "import", filled).stderr
    said = (f"{filled}:{row}: 第 {row} 行被隐藏" if hide == "row" else
            f"{filled}:{HEAD + 1}: 本月新增: {ws.cell(row=HEAD, column=column).column_letter} 列（本月新增）被隐藏")
    assert said in err and "请取消隐藏、核对后重新导入" in err
    assert ledger_path.read_bytes() == before
    if hide == "row":  # a hidden row that holds nothing import reads is let be
        ws.cell(row=row, column=_col(ws, "数值")).value = None
        wb.save(filled)
        assert "隐藏" not in run("import", filled, "--dry-run").stderr


@pytest.mark.parametrize(("label", "first", "second"), [("截至日期", dt.datetime(2023, 7, 31), "2023-08-31"),
                                                         ("县（市、区）", "椒江区", "黄岩区")])
def test_a_date_or_unit_given_twice_above_the_table_is_refused(half_year, tmp_path, ledger_path, label, first, second):
    run, _ = half_year
    path, wb = _template(run, tmp_path, "椒江")
    ws = wb.worksheets[0]
    ws.insert_rows(4)
    ws["A4"].value, ws["B4"].value = label, second
    filled = tmp_path / "twice.xlsx"
    wb.save(filled)
    before = ledger_path.read_bytes()
    err = run.fails(1, "import", filled).stderr
    given = first.date().isoformat() if isinstance(first, dt.datetime) else first
    assert f"{filled}:4: {label}: 表格上方再次填写为 {second}，但第 {2 if label == '截至日期' else 3} 行为 {given}" in err
    assert ledger_path.read_bytes() == before
    ws["B4"].value = first  # the same value twice says nothing new
    wb.save(filled)
    run.ok("import", filled, "--dry-run")


def test_a_share_of_counties_is_prefilled_so_that_left_as_it_is_it_is_the_same_figure(run, synthetic_plan_path, tmp_path,
                                                                                        ledger_path):
    """3 of 9 counties is stored as 33.333…%; a city sheet prefilled it as 33.3%, which read back as
    another figure (and 6 of 9 against 66.7% would read as short of it). It is prefilled as the
    count, 3个, and an untouched row is the same figure, said as unchanged."""
    run.ok("record", "counselling-counties", "3个", "--as-of", "2023-06-30")
    path = tmp_path / "city.xlsx"
    run.ok("template", "--month", "2023-07", "-o", path)
    ws = load_workbook(path).worksheets[0]
    header = [c.value for c in ws[4]] if ws["A4"].value == "指标编号" else [c.value for c in ws[HEAD]]
    row = next(r for r in ws.iter_rows() if r[0].value == "counselling-counties")
    assert row[header.index("数值")].value == "3个"
    out = run.ok("import", path, lang="en").stdout
    assert "1 of them unchanged since the last figure;" in out
    values = {e["value"] for e in json.loads(run.ok("log", "--format", "json").stdout)
              if e["indicator"] == "counselling-counties"}
    assert values == {round(300 / 9, 6)}  # (JSON keeps six decimals; 33.3 was another figure)


def test_a_sheet_made_before_a_correction_does_not_bring_the_corrected_figure_back(half_year, tmp_path, ledger_path):
    """The city corrected 椒江's June figure after July's sheet was made; 椒江 returned the sheet with
    that row as filled: the corrected-away figure went in as July's, undoing the correction.
    Refused, naming the entry and what stands now; with 上次填报 cleared, the figure is taken as typed."""
    run, facts = half_year
    path, wb = _template(run, tmp_path, "椒江")
    ws = wb.worksheets[0]
    row = _rows(ws)["new-kindergartens"]
    left = ws.cell(row=row, column=_col(ws, "数值")).value
    last = json.loads(run.ok("log", "new-kindergartens", "--county", "椒江", "--format", "json").stdout)[0]
    run.ok("correct", str(last["id"]), str(int(left) + 2), "--reason", "市局核对（合成）", "--force")
    before = ledger_path.read_bytes()
    err = run.fails(1, "import", path).stderr
    assert f"{path}:{row}: 数值: {left} 是制表时的上次数据（上次填报）：截至 {last['as_of']} 的 #{last['id']}，此后已更正为 " \
           f"{int(left) + 2}所" in err
    assert ledger_path.read_bytes() == before
    ws.cell(row=row, column=_col(ws, "上次填报")).value = None  # "if it is right, clear 上次填报": taken as typed
    wb.save(path)
    assert "已更正" not in run("import", path, "--dry-run").stderr


def test_a_countys_sheet_gives_the_citys_target_stated_against_the_baseline(run, tmp_path):
    """学生非正常死亡人数 (the city's target: below last year's) showed — in a county's 分解目标, where
    every other target the plan does not split says 未分解（全市…）."""
    path = tmp_path / "jj.xlsx"
    run.ok("template", "--county", "椒江", "--month", "2023-07", "-o", path)
    ws = load_workbook(path).worksheets[0]
    assert ws.cell(row=_rows(ws)["student-abnormal-deaths"], column=_col(ws, "分解目标")).value == "未分解（全市低于基数）"


def test_a_logical_cell_is_said_as_the_sheet_shows_it(half_year, tmp_path):
    """A TRUE cell (a checkbox's link, a comparison typed as a formula) was said as 'true'."""
    run, _ = half_year
    path, wb = _template(run, tmp_path, "椒江")
    ws = wb.worksheets[0]
    ws.cell(row=_rows(ws)["new-places"], column=_col(ws, "数值")).value = True
    filled = tmp_path / "logical.xlsx"
    wb.save(filled)
    err = run.fails(1, "import", filled).stderr
    assert "TRUE" in err and "true" not in err


def test_a_sheet_filled_for_another_unit_is_refused_where_the_unit_had_no_figure(run, ledger_path, tmp_path):
    """The same where the row's unit had no figure that day at all (黄岩区 had sent nothing)."""
    import csv

    run.ok("record", "new-public-kindergartens", "2", "--county", "椒江", "--as-of", "5月底")
    path = tmp_path / "jiaojiang.csv"
    run.ok("template", "-o", path, "--county", "椒江", "--month", "6月")
    table = list(csv.reader(path.open(encoding="utf-8-sig")))
    table[1][1] = "黄岩区"
    filled = tmp_path / "huangyan.csv"
    with filled.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(table)
    before = ledger_path.read_bytes()
    err = run.fails(1, "import", filled).stderr
    assert "2 是“上次填报”显示的截至 2023-05-31 的数据，但黄岩区当日无数据：本表是为其他单位填写的" in err
    assert ledger_path.read_bytes() == before
