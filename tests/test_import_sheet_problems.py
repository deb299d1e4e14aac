"""What `eduplan import` says about a sheet it cannot read as it stands: the column really
missing, in the reader's language; the worksheet it read; a cell too long, a formula without
its result, cells merged across rows, each named like every other problem (FILE:ROW: column:
message), and nothing recorded. Every figure here is synthetic (made up for the tests)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import Run


def run(*args, code: int = 0, lang: str | None = None):
    result = Run()(*args, lang=lang)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    return path


HEADER = ["指标编号", "数值", "截至日期", "县(市、区)", "备注"]


def workbook(path: Path, rows: list[list[object]], title: str = "填报") -> tuple[Path, Workbook]:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path, wb


def test_a_renamed_value_header_names_only_that_column_in_the_readers_language(ledger_path, tmp_path):
    path = write_csv(tmp_path / "nohdr.csv", [
        ["截至日期", "2023-07-31", "本表所有数据均截至此日期"],
        ["县(市、区)", "椒江区", ""],
        [],
        ["指标编号", "指标名称", "完成数", "本月新增"],  # 数值 renamed: row 4
        ["new-school-places", "新增中小学学位", "1500", ""],
    ])
    err = run("import", path, "--dry-run", code=1).stderr
    assert f"{path}:4: 没有“数值”列" in err  # on the header's row, the column named in Chinese
    assert "指标编号”列" not in err  # the indicator column is there: not said to be missing
    assert ": value:" not in err and ": indicator:" not in err  # no English field names
    en = run("import", path, "--dry-run", code=1, lang="en").stderr
    assert f"{path}:4: no column for value" in en
    assert not ledger_path.exists()


def test_a_workbook_whose_first_sheet_is_a_draft_names_the_sheet_it_read(ledger_path, tmp_path):
    path, wb = workbook(tmp_path / "draft.xlsx", [["指标编号", "数值"], ["new-school-places", "99999"]], "草稿")
    fill = wb.create_sheet("填报")
    for row in ([*HEADER], ["new-school-places", "1500", "2023-07-31", "椒江区", ""]):
        fill.append(row)
    wb.save(path)
    err = run("import", path, "--dry-run", code=1).stderr
    assert f"{path}:1: 工作表“草稿”（导入只读取第一个工作表）：没有“截至日期”列" in err
    assert "as_of" not in err


def test_an_over_long_cell_is_named_by_row_and_column(ledger_path, tmp_path):
    long = "合成备注" * 2600  # 10,400 characters
    rows = [HEADER, ["new-school-places", "1500", "2023-07-31", "椒江区", ""],
            ["new-public-kindergartens", "3", "2023-07-31", "椒江区", long]]
    book, _ = workbook(tmp_path / "long.xlsx", rows)
    sheet = write_csv(tmp_path / "long.csv", rows)
    for path in (book, sheet):
        err = run("import", path, code=1).stderr
        assert f"{path}:3: 备注: 单元格 E3 超过 10000 个字符，请删减" in err
        assert "未填报任何数据" in err and not ledger_path.exists()
    rows[2][4] = "合" * 10_000  # at the limit: fine
    assert "导入 2 条记录" in run("import", write_csv(tmp_path / "ok.csv", rows)).stdout


def test_a_formula_saved_without_its_result_is_refused_naming_the_cell(ledger_path, tmp_path):
    """openpyxl (and other scripts) save a formula with no computed result; read as it is, the row
    looked empty and its figure vanished."""
    rows = [HEADER, ["new-school-places", "1500", "2023-07-31", "椒江区", ""],
            ["new-public-kindergartens", "=1+2", "2023-07-31", "椒江区", ""]]
    path, _ = workbook(tmp_path / "formula.xlsx", rows)
    err = run("import", path, code=1).stderr
    assert f"{path}:3: 数值: 单元格 B3 是公式，但没有保存计算结果；请在 Excel/WPS 中打开并保存后再导入" in err
    assert not ledger_path.exists()
    # in a column import does not read (a name looked up, say) it changes no figure
    rows = [[*HEADER, "指标名称"], ["new-school-places", "1500", "2023-07-31", "椒江区", "", "=A2"]]
    path, _ = workbook(tmp_path / "name.xlsx", rows)
    assert "导入 1 条记录" in run("import", path).stdout


def test_cells_merged_across_rows_are_refused_naming_the_range(ledger_path, tmp_path):
    rows = [HEADER, ["new-school-places", "1500", "2023-07-31", "椒江区", ""],
            ["new-public-kindergartens", "3", "2023-07-31", "椒江区", ""],
            ["new-kindergarten-places", None, "2023-07-31", "椒江区", ""]]
    path, wb = workbook(tmp_path / "merged.xlsx", rows)
    wb.active.merge_cells("B3:B4")
    wb.save(path)
    err = run("import", path, code=1).stderr
    assert f"{path}:3: 数值: 单元格 B3:B4 跨行合并，除第一行外其余各行会被读作空值；请取消合并，逐行填写后再导入" in err
    assert not ledger_path.exists()
    # merged along a row (a note over two columns), nothing is lost
    path, wb = workbook(tmp_path / "across.xlsx", [[*HEADER, "来源"],
                                                   ["new-school-places", "1500", "2023-07-31", "椒江区", "合成", None]])
    wb.active.merge_cells("E2:F2")
    wb.save(path)
    assert "导入 1 条记录" in run("import", path).stdout


def test_a_countys_state_without_a_county_is_told_about_the_sheet_not_a_flag(ledger_path, tmp_path):
    path = write_csv(tmp_path / "city.csv", [HEADER, ["dual-creation-counties", "完成", "2023-07-31", "", ""]])
    err = run("import", path, "--dry-run", code=1).stderr
    assert f"{path}:2: 数值: “完成”：“双创”达到全国标准的县(市、区)按县逐一评判" in err
    assert "“县(市、区)”列" in err and "--county" not in err


def test_cells_merged_across_rows_above_the_table_are_refused(ledger_path, tmp_path):
    """A county template whose top block had its county cell merged with the one below imported
    the county's figures as city-wide (the county read as empty), without a word."""
    run("template", "-o", tmp_path / "t.xlsx", "--county", "椒江", "--month", "2023-07")
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "t.xlsx")
    ws = wb.active
    ws.merge_cells("B2:B3")
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "new-school-places")
    ws.cell(row, 6).value = 1500  # synthetic
    wb.save(tmp_path / "m.xlsx")
    err = run("import", tmp_path / "m.xlsx", "--dry-run", code=1).stderr
    assert "单元格 B2:B3 跨行合并" in err and not ledger_path.exists()


def _county_sheet(tmp_path: Path, name: str, change) -> Path:
    """A county's template (椒江区, June) with one figure filled in, then changed as staff might."""
    from openpyxl import load_workbook

    template = tmp_path / "jj.xlsx"
    if not template.exists():
        run("template", "-o", template, "--county", "椒江", "--month", "2023-06")
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    row = next(r for r in ws.iter_rows() if r[0].value == "new-public-kindergartens")
    row[5].value = 13
    change(ws)
    path = tmp_path / name
    wb.save(path)
    return path


def test_a_units_sheet_that_no_longer_says_whose_it_is_is_refused_not_read_as_the_citys(ledger_path, tmp_path):
    """A county's sheet with its unit row deleted, emptied, or headed 单位 | 椒江区教育局 imported
    its figures as the city-wide ones, though its title says 椒江区 and it has the county target
    column. Refused, saying where the sheet names its unit; nothing recorded."""
    run("record", "new-school-places", "100", "--county", "黄岩", "--as-of", "2023-05-31")
    before = ledger_path.read_bytes()
    deleted = _county_sheet(tmp_path, "deleted.xlsx", lambda ws: ws.delete_rows(3))
    err = run("import", deleted, code=1).stderr
    assert f"{deleted}:1: 本表没有写明填报单位，数据将记为全市数据，但第 1 行" in err and "写的是椒江区" in err
    emptied = _county_sheet(tmp_path, "emptied.xlsx", lambda ws: ws.__setitem__("B3", None))
    err = run("import", emptied, code=1).stderr
    assert f"{emptied}:3: 县（市、区）: 为空，本表数据将记为全市数据" in err and "请填“全市”" in err
    named = _county_sheet(tmp_path, "bureau.xlsx", lambda ws: (ws.__setitem__("A3", "单位"),
                                                               ws.__setitem__("B3", "椒江区教育局")))
    assert f"{named}:3: 单位: “单位”不是导入认得的栏目，“椒江区教育局”会被忽略" in run("import", named, code=1).stderr
    untitled = _county_sheet(tmp_path, "untitled.xlsx", lambda ws: (ws.delete_rows(3), ws.__setitem__("A1", None)))
    err = run("import", untitled, code=1, lang="en").stderr
    assert f"{untitled}:4: the sheet gives no unit" in err and "column of county targets" in err
    assert ledger_path.read_bytes() == before
    whole = _county_sheet(tmp_path, "whole.xlsx", lambda ws: ws.__setitem__("B3", "全市"))  # said: the city's
    run("import", whole)
    kept = _county_sheet(tmp_path, "kept.xlsx", lambda ws: None)
    run("import", kept, "--force")
    units = {(e["indicator"], e["county"]) for e in json.loads(run("log", "--format", "json").stdout)}
    assert {("new-public-kindergartens", None), ("new-public-kindergartens", "椒江区")} <= units


def test_a_hidden_first_worksheet_is_not_read_in_place_of_the_one_staff_see(ledger_path, tmp_path):
    path, wb = workbook(tmp_path / "hidden.xlsx", [HEADER, ["new-school-places", "9", "2023-06-30", "椒江区", ""]],
                        title="旧表")
    seen = wb.create_sheet("填报")
    for row in ([HEADER, ["new-school-places", "13", "2023-06-30", "椒江区", ""]]):
        seen.append(row)
    wb.worksheets[0].sheet_state = "hidden"
    wb.active = 1
    wb.save(path)
    err = run("import", path, code=1).stderr
    assert "第一个工作表“旧表”是隐藏的" in err and not ledger_path.exists()


def test_a_workbook_opening_on_another_table_is_refused_not_read_from_its_first(ledger_path, tmp_path):
    """A county's workbook with a worksheet a month, June's first and July's added after it and
    shown on opening: import read June's (already in the ledger: nothing to import, exit 0) and
    July's figures were never read. Refused, naming both; a workbook opening on its notes is read."""
    path, wb = workbook(tmp_path / "year.xlsx", [HEADER, ["new-school-places", "9", "2023-06-30", "椒江区", ""]],
                        title="6月")
    notes = wb.create_sheet("填写说明")
    notes.append(["数值列填截至当日的累计数"])
    july = wb.create_sheet("7月")
    for row in ([HEADER, ["new-school-places", "13", "2023-07-31", "椒江区", ""]]):
        july.append(row)
    wb.active = 2
    wb.save(path)
    err = run("import", path, code=1).stderr
    assert "工作簿打开时显示的是工作表“7月”，其中也有数据表，但导入读取的是第一个工作表“6月”" in err
    assert not ledger_path.exists()
    wb.active = 1  # opening on the notes: the first worksheet is the table meant
    wb.save(path)
    run("import", path)
    assert ledger_path.exists()


def test_a_figure_typed_in_a_column_import_does_not_read_is_refused_not_lost(ledger_path, tmp_path):
    """40 typed over the — of 上次填报, or 300 in 分解目标: import ignores those columns, so the
    figure was lost (and the row's 数值, the last figure, went in again). Refused, naming the cell."""
    def typed_beside(ws):
        row = next(r for r in ws.iter_rows() if r[0].value == "new-school-places")
        row[4].value = 40  # 上次填报
        row[3].value = "300"  # 分解目标
    path = _county_sheet(tmp_path, "wrong-column.xlsx", typed_beside)
    err = run("import", path, code=1).stderr
    assert ": 上次填报: 单元格 E" in err and "填了数字 40，但导入不读取这一列" in err and "请把数字填在“数值”列" in err
    assert ": 分解目标: 单元格 D" in err and "填了数字 300" in err
    assert not ledger_path.exists()
    # a sheet of one's own whose target column is all bare numbers is not a template's: read as it was
    own = write_csv(tmp_path / "own.csv", [["指标编号", "目标", "数值", "截至日期", "县(市、区)"],
                                           ["new-school-places", "1200", "900", "2023-06-30", "椒江区"]])
    run("import", own, "--accept-warnings")


def _one_cell(tmp_path: Path, name: str, indicator: str, value: object, fmt: str, county: str = "椒江区") -> Path:
    path, wb = workbook(tmp_path / name, [HEADER, [indicator, value, "2023-06-30", county, ""]])
    wb.active["B2"].number_format = fmt
    wb.save(path)
    return path


def test_a_number_format_is_read_for_what_it_does_not_for_what_it_quotes(ledger_path, tmp_path):
    """0"万人次" shows 12 as 12万人次 (the cell holds 12): it went in as 12人次. 0.00"%" shows 0.56
    as 0.56% and 0"%" shows 56 as 56%: a quoted % was read as a percentage format (×100)."""
    scaled = _one_cell(tmp_path, "wan.xlsx", "vocational-training", 12, '0"万人次"', county="")
    err = run("import", scaled, code=1).stderr
    assert f"{scaled}:2: 数值: 单元格 B2 显示的“万”或“亿”是单元格格式加上的（单元格里的数是 12" in err
    assert not ledger_path.exists()
    run("import", _one_cell(tmp_path, "pct.xlsx", "public-kindergarten-share", 56, '0"%"'))
    run("import", _one_cell(tmp_path, "real.xlsx", "public-kindergarten-share", 0.57, "0%", county="黄岩区"))
    got = {e["county"]: e["value"] for e in json.loads(run("log", "--format", "json").stdout)}
    assert got == {"椒江区": 56, "黄岩区": 57}


def test_a_date_where_a_figure_belongs_is_named_as_a_date(ledger_path, tmp_path):
    """2/3 typed in a cell (or the template's 2/3 opened from CSV) becomes 2月3日: the message
    quoted "2026-02-03T00:00:00" and called it not a number."""
    import datetime as dt

    path = _one_cell(tmp_path, "date.xlsx", "public-kindergarten-share", dt.datetime(2026, 2, 3), "m月d日")
    err = run("import", path, code=1).stderr
    assert f"{path}:2: 数值: 单元格里是日期或时间（2026-02-03 00:00:00），不是数据" in err and "T00" not in err


def test_a_date_typed_as_digits_in_a_date_cell_is_the_date_without_a_librarys_warning(ledger_path, tmp_path):
    path, wb = workbook(tmp_path / "d.xlsx", [["截至日期", 20230630], [], HEADER[:2],
                                              ["new-school-places", "13"]])
    wb.active["B1"].number_format = "yyyy-mm-dd"  # as the template's date cell: 20230630 is no date serial
    wb.save(path)
    result = run("import", path, "--dry-run")
    assert result.stderr == "" and "截至 2023-06-30" in result.stdout


def test_a_table_under_an_empty_first_row_is_found(ledger_path, tmp_path):
    path, wb = workbook(tmp_path / "a2.xlsx", [[], HEADER, ["new-school-places", "13", "2023-06-30", "椒江区", ""]])
    assert "第 3 行" in run("import", path, "--dry-run").stdout
    csv_path = tmp_path / "blank-first.csv"
    csv_path.write_bytes(b"\r\n" + "指标编号,数值,截至日期\r\nnew-school-places,14,2023-06-30\r\n".encode())
    assert "第 3 行" in run("import", csv_path, "--dry-run").stdout
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\r\n\r\n,,\r\n")
    assert "文件为空" in run("import", empty, code=1).stderr


def test_a_template_left_as_it_is_gives_back_the_figures_exactly(ledger_path, tmp_path):
    """57.14285% was prefilled as 57.1%, and an untouched template recorded 57.1% as a new figure."""
    run("record", "public-kindergarten-share", "57.14285", "--county", "椒江", "--as-of", "2023-05-31")
    run("record", "investment", "15000.25", "--as-of", "2023-05-31", "--force")
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"june.{fmt}"
        run("template", "-o", path, "--month", "2023-06")
        out = run("import", path, "--dry-run", "--accept-warnings").stdout
        assert "= 15000.25元（全市" in out and "其中1条与上次数据相同" in out, out  # the figure said exactly too
        path = tmp_path / f"june-jj.{fmt}"
        run("template", "-o", path, "--month", "2023-06", "--county", "椒江")
        out = run("import", path, "--dry-run").stdout
        assert "= 57.14285%（椒江区" in out and "其中1条与上次数据相同" in out, out


def test_a_formulas_error_in_a_figures_cell_is_named_whole(ledger_path, tmp_path):
    """#DIV/0! was read as a ratio and quoted as “#DIV”不是数字."""
    path = write_csv(tmp_path / "err.csv", [HEADER, ["new-school-places", "#DIV/0!", "2023-06-30", "椒江区", ""],
                                            ["new-school-places", "#N/A", "2023-06-30", "黄岩区", ""]])
    err = run("import", path, code=1).stderr
    assert f"{path}:2: 数值: 单元格显示的是 #DIV/0!，这是公式出错" in err and f"{path}:3: 数值: 单元格显示的是 #N/A" in err
    assert "“#DIV”" not in err and not ledger_path.exists()


def test_a_sheet_as_european_excel_and_excels_csv_write_it(ledger_path, tmp_path):
    """A semicolon-separated CSV was refused as three missing columns; a date cell Excel wrote
    into CSV with its midnight (2023/6/30 0:00) was refused as no date."""
    path = tmp_path / "semi.csv"
    path.write_bytes("指标编号;数值;截至日期;县(市、区)\r\nnew-school-places;13;2023/6/30 0:00;椒江区\r\n"
                     "new-school-places;14;2023-06-30 00:00:00;黄岩区\r\n".encode("utf-8-sig"))
    out = run("import", path, "--dry-run").stdout
    assert "= 13个（椒江区，截至 2023-06-30）" in out and "= 14个（黄岩区，截至 2023-06-30）" in out
    later = tmp_path / "noon.csv"
    later.write_bytes("指标编号,数值,截至日期\r\nnew-school-places,13,2023/6/30 12:00\r\n".encode())
    assert f"{later}:2: 截至日期: " in run("import", later, code=1).stderr  # a time of day is not a date


def test_a_long_text_in_a_column_import_ignores_is_left_alone(ledger_path, tmp_path):
    """A 20,000-character 填写说明 blocked the import, though the column is never read."""
    path = write_csv(tmp_path / "long.csv", [["指标编号", "数值", "截至日期", "县(市、区)", "填写说明"],
                                             ["new-school-places", "13", "2023-06-30", "椒江区", "说" * 20_000]])
    run("import", path, "--dry-run")
    path = write_csv(tmp_path / "long-note.csv", [["指标编号", "数值", "截至日期", "县(市、区)", "备注"],
                                                  ["new-school-places", "13", "2023-06-30", "椒江区", "说" * 20_000]])
    assert "超过 10000 个字符" in run("import", path, "--dry-run", code=1).stderr  # a note is read: refused


def test_a_rows_problems_are_said_in_column_order(ledger_path, tmp_path):
    path, wb = workbook(tmp_path / "merged.xlsx", [["截至日期", "2023-06-30"], [], HEADER, [None] * 5,
                                                   ["new-school-places", "13", "2023-06-30", "椒江区", ""]])
    ws = wb.active
    for col in "EBDCA":  # merged in an order of their own: each header cell over two rows
        ws.merge_cells(f"{col}3:{col}4")
    wb.save(path)
    err = run("import", path, code=1).stderr
    cells = [line.split("单元格 ")[1][:5] for line in err.splitlines() if "单元格 " in line]
    assert cells == sorted(cells, key=lambda ref: ref[0]), cells


def test_a_column_of_units_under_a_heading_import_does_not_know_is_refused(ledger_path, tmp_path):
    """A column headed 镇街 (or 街道, 区县) holding 城关, 东城 …: import dropped it, and every row
    went in as the whole's figure (600 new places city-wide instead of 300 here and 300 there).
    Refused at its first unit, asking for the column's heading; a remark that mentions a unit
    (椒江区补报) in a column import does not read is no unit."""
    sheet = write_csv(tmp_path / "units.csv", [["指标编号", "数值", "截至日期", "镇街"],
                                               ["new-public-kindergartens", "3", "2023-06-30", "合成备注"],
                                               ["new-public-kindergartens", "4", "2023-06-30", "椒江"]])
    err = run("import", sheet, code=1, lang="en").stderr
    assert f"{sheet}:3: 镇街: '镇街' is not a heading import knows, so the units in its column ('椒江' …)" in err, err
    assert not ledger_path.exists()
    remark = write_csv(tmp_path / "remark.csv", [["指标编号", "数值", "截至日期", "情况说明"],
                                                 ["new-public-kindergartens", "3", "2023-06-30", "椒江区补报"]])
    assert "would record 1 entry" in run("import", remark, "--dry-run", lang="en").stdout


@pytest.mark.parametrize(("cell", "said"), [
    ("/", "“/”不是数字：没有数据可报时请让单元格留空"),  # 不适用, as Chinese forms write it
    ("1.23457E+11", "“1.23457E+11”是科学计数法，电子表格这样显示长数字时已丢失部分位数"),
    ("1.234", "“1.234”即 1.234个"),  # the figure as typed, not rounded to 1.23
])
def test_a_cell_that_is_no_figure_says_what_it_is(ledger_path, tmp_path, cell, said):
    path = write_csv(tmp_path / "one.csv", [HEADER, ["new-school-places", cell, "2023-06-30", "椒江区", ""]])
    assert said in run("import", path, code=1).stderr
    assert not ledger_path.exists()


def test_a_number_cell_is_read_as_the_spreadsheet_shows_it(ledger_path, tmp_path):
    """A formula's rounding residue (0.1+0.2-0.3, shown as 0) was refused as '0.0000000000000000555…
    is 0个'; 0.1+0.2 was read as 0.30000000000000004. A spreadsheet keeps and shows 15 digits."""
    path, wb = workbook(tmp_path / "f.xlsx", [HEADER, ["new-school-places", 0.1 + 0.2 - 0.3, "2023-06-30", "椒江区", ""],
                                              ["public-kindergarten-share", 0.1 + 0.2 + 56, "2023-06-30", "椒江区", ""]])
    out = run("import", path, "--dry-run", lang="en").stdout
    assert "New primary and secondary school places = 0个" in out and "= 56.3%" in out
