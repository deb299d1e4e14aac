"""Spreadsheets in: `eduplan import` and `eduplan template`.

Every figure here is synthetic (made up for the tests); none is a real 2023 result.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from eduplan.services.importing import check_sheet, map_columns
from eduplan.store.paths import bundled_plan_path
from eduplan.store.planfile import load_plan
from eduplan.store.sheets import Sheet

from conftest import Run

PLAN = load_plan(bundled_plan_path())
TODAY = dt.date(2024, 1, 15)
NOW = dt.datetime(2024, 1, 15, 9, tzinfo=dt.timezone.utc)


@pytest.fixture()
def ledger(ledger_path):
    """The test's ledger (conftest isolates ledger, cache and user in tmp_path)."""
    return ledger_path


def run(*args: str, code: int = 0, lang: str | None = "en"):
    result = Run()(*args, lang=lang)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def log_entries() -> list[dict]:
    return json.loads(run("log", "--format", "json").stdout)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


# Synthetic figures, in the columns and spellings staff use.
ROWS = [
    ["指标", "数值", "截至日期", "县(市、区)", "备注", "来源"],
    ["new-public-kindergartens", "12", "2023-06-30", "", "synthetic", "synthetic notice"],
    ["新增中小学学位", "1.2万", "2023/6/30", "椒江区", "", ""],
    ["public-kindergarten-share", "1200/2100", "2023年6月30日", "黄岩", "", ""],
    ["dual-creation-counties", "完成", "2023-06-30", "路桥区", "", ""],
    ["jiangcaihui-platform", "进行中", "2023-06-30", "全市", "", ""],
    ["investment", "", "", "", "an unfilled row", ""],
]


# --------------------------------------------------------------------------- reading and checking


def test_rows_become_entries_with_the_record_reader(ledger, tmp_path):
    path = write_csv(tmp_path / "june.csv", ROWS)
    result = run("import", path)
    assert "imported 5 entries (#1–#5)" in result.stdout and "1 row with an empty value skipped" in result.stdout
    got = {(e["indicator"], e["county"]): e for e in log_entries()}
    assert got[("new-public-kindergartens", None)]["value"] == 12
    assert got[("new-public-kindergartens", None)]["note"] == "synthetic"
    assert got[("new-public-kindergartens", None)]["source"] == "synthetic notice"
    assert got[("new-school-places", "椒江区")]["value"] == 12000
    share = got[("public-kindergarten-share", "黄岩区")]
    assert (share["numerator"], share["denominator"]) == (1200, 2100)
    assert got[("dual-creation-counties", "路桥区")]["state"] == "done"
    assert got[("jiangcaihui-platform", None)]["state"] == "in-progress"
    assert all(e["as_of"] == "2023-06-30" and e["by"] == "tester" for e in got.values())
    text = ledger.read_text(encoding="utf-8")
    import hashlib

    assert text.count(f'batch = "{hashlib.sha256(path.read_bytes()).hexdigest()}"') == 5
    assert text.count("batch_size = 5") == 5  # each entry knows how many the import wrote


def test_one_bad_row_imports_nothing_and_names_every_wrong_row(ledger, tmp_path):
    run("record", "new-public-kindergartens", "3", "--as-of", "2023-03-31")
    before = ledger.read_bytes()
    rows = [r[:] for r in ROWS]
    rows[3][1] = "12x"  # row 4 as a spreadsheet shows it
    rows.append(["no-such-indicator", "5", "2023-06-30", "", "", ""])  # row 8
    rows.append(["new-public-kindergartens", "5", "2023-13-01", "火星", "", ""])  # row 9
    path = write_csv(tmp_path / "bad.csv", rows)
    result = run("import", path, code=1)
    assert ledger.read_bytes() == before
    err = result.stderr
    assert f"{path}:4: 数值: '12x' is not a number" in err
    assert f"{path}:8: 指标: unknown indicator 'no-such-indicator'" in err
    assert f"{path}:9: 截至日期: " in err and f"{path}:9: 县(市、区): unknown county" in err
    assert "3 rows" in err and "nothing was recorded" in err
    assert f"{path}:2:" not in err
    zh = run("import", path, code=1, lang=None).stderr  # the same rows named, in Chinese
    assert f"{path}:4: 数值: “12x”不是数字" in zh and "3 行存在问题" in zh


def test_a_finding_about_a_row_above_says_which_row_it_is(ledger, tmp_path):
    """A total below the one a row above gives names that row by the id it would get (#2), and
    says it is that row of the sheet, not recorded yet: nothing is recorded while a row has a
    problem, so there is no entry #2 to look up or correct. A total below a recorded figure
    names that entry alone."""
    run("record", "investment", "40亿", "--as-of", "2023-05-31")
    path = write_csv(tmp_path / "fall.csv", [["指标", "数值", "截至日期"], ["investment", "50亿", "2023-08-31"],
                                             ["investment", "49亿", "2023-09-30"], ["investment", "39亿", "2023-10-31"]])
    err = run("import", path, code=1).stderr
    row3 = next(line for line in err.splitlines() if line.startswith(f"{path}:3:"))
    assert "[decreasing]" in row3 and "(#2)" in row3 and "#2 is row 2 of this sheet, not recorded yet" in row3, err
    row4 = next(line for line in err.splitlines() if line.startswith(f"{path}:4:"))
    assert "row 2" in row4 or "row 3" in row4, err
    zh = run("import", path, code=1, lang=None).stderr
    assert "（#2 即本表第 2 行，尚未填报）" in zh, zh
    ledger_fall = write_csv(tmp_path / "below.csv", [["指标", "数值", "截至日期"], ["investment", "39亿", "2023-06-30"]])
    err = run("import", ledger_fall, code=1).stderr
    assert "(#1)" in err and "of this sheet" not in err, err


def test_values_are_checked_like_record(ledger, tmp_path):
    rows = [ROWS[0],
            ["exam-services", "56%", "2023-06-30", "", "", ""],  # a percentage for a count
            ["public-kindergarten-share", "120%", "2023-06-30", "", "", ""],  # over 100 %
            ["jiangcaihui-platform", "完成", "2023-06-30", "椒江区", "", ""],  # a city-wide milestone per county
            ["dual-creation-counties", "12", "2023-06-30", "", "", ""],  # more than nine counties
            ["new-public-kindergartens", "3", "2999-01-03", "", "", ""],
            ["new-public-kindergartens", "4", "2023-06-30", "", "", ""],
            ["new-public-kindergartens", "5", "2023-06-30", "", "", ""]]  # the same figure twice
    path = write_csv(tmp_path / "checks.csv", rows)
    err = run("import", path, code=1).stderr
    for row in (2, 3, 4, 5, 8):
        assert f"{path}:{row}: 数值: " in err
    assert f"{path}:6: 截至日期: " in err
    assert "row 7 already gives" in err
    assert not ledger.exists()


def test_header_problems_are_on_row_one(ledger, tmp_path):
    path = write_csv(tmp_path / "nohead.csv", [["名称", "数值"], ["x", "1"]])
    err = run("import", path, code=1).stderr
    assert f"{path}:1: no column for id" in err  # the message names the column, in the reader's language
    assert f"{path}:1: no column for as-of date" in err
    columns, problems = map_columns(("id", "指标", "value", "date"), "x.csv")
    assert problems and "second column" in problems[0].render("en")


def test_english_headers_extra_columns_and_pure_checking():
    sheet = Sheet(("ID", "Name", "Unit", "Target", "Value", "As_Of", "County", "Note", "Source", "how to fill"),
                  (("new-public-kindergartens", "新建公办幼儿园", "所", "25", "7", "2023-05-31", None, "=1+1", None, "x"),
                   ("new-kindergarten-places", "", "", "", None, None, None, None, None, ""),
                   ()))
    checked = check_sheet(PLAN, sheet, file="x.xlsx", today=TODAY, by="tester", now=NOW)
    assert checked.problems == ()
    assert checked.skipped == 1
    (row,) = checked.rows
    e = row.entry
    assert (row.row, e.indicator, e.value, e.as_of, e.note) == (2, "new-public-kindergartens", 7, dt.date(2023, 5, 31), "=1+1")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_encodings(ledger, tmp_path, encoding):
    path = write_csv(tmp_path / f"{encoding}.csv", ROWS, encoding=encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    run("import", path)
    got = log_entries()
    assert len(got) == 5
    assert {e["county"] for e in got} == {None, "椒江区", "黄岩区", "路桥区"}


def test_not_text_at_all(ledger, tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x30\xff" * 10)
    err = run("import", path, code=1).stderr
    assert "not text in a known encoding" in err
    assert run("import", tmp_path / "x.txt", code=2).stderr
    assert "no such file" in run("import", tmp_path / "missing.csv", code=2).stderr
    bad_xlsx = tmp_path / "bad.xlsx"
    bad_xlsx.write_bytes(b"not a zip")
    assert "not an .xlsx workbook" in run("import", bad_xlsx, code=1).stderr


# --------------------------------------------------------------------------- batches, dry runs


def test_same_file_twice_is_refused_unless_forced(ledger, tmp_path):
    path = write_csv(tmp_path / "june.csv", ROWS)
    run("import", path)
    before = ledger.read_bytes()
    err = run("import", path, code=1).stderr
    assert "this content was already imported on" in err and "tester" in err and "#1–#5" in err and "--force" in err
    assert ledger.read_bytes() == before
    assert "already imported" in run("import", path, "--dry-run", code=1).stderr
    # --force imports it again, but what the ledger already has for that date is not recorded twice
    result = run("import", path, "--force")
    assert "no figures to import" in result.stdout and "5 rows already in the ledger for their date skipped" \
        in result.stdout
    assert ledger.read_bytes() == before
    run("void", "3", "--reason", "synthetic: withdrawn")  # one row of the file withdrawn, the others stand
    result = run("import", path, "--force")
    assert "imported 1 entry (#7)" in result.stdout and "imported before (4 entries)" in result.stdout
    assert "4 rows already in the ledger for their date skipped" in result.stdout
    # once every entry of the file is voided, importing it again is no accident
    path2 = write_csv(tmp_path / "one.csv", [ROWS[0], ["new-public-kindergartens", "13", "2023-07-31", "", "", ""]])
    run("import", path2)
    (entry,) = [e for e in log_entries() if e["id"] == 8]
    run("void", "8", "--reason", "synthetic: imported by mistake")
    run("import", path2)
    assert entry["indicator"] == "new-public-kindergartens"


def test_dry_run_writes_nothing(ledger, tmp_path):
    path = write_csv(tmp_path / "june.csv", ROWS)
    result = run("import", path, "--dry-run")
    assert "would record 5 entries" in result.stdout
    assert "row 3: new-school-places New primary and secondary school places = 1.2万个 (椒江区, as of 2023-06-30)" \
        in result.stdout
    assert not ledger.exists()
    run("import", path)  # and the real import is not refused by the dry run


# --------------------------------------------------------------------------- templates round-trip


def test_xlsx_template_fill_import_round_trip(ledger, tmp_path):
    from openpyxl import load_workbook

    template = tmp_path / "template.xlsx"
    out = run("template", "--format", "xlsx", "-o", template, "--month", "2023-06").stdout
    assert f"{len(PLAN.indicators)} indicators, as of 2023-06-30" in out
    assert "no figures to import" in run("import", template).stdout  # nothing filled: zero rows, and says so
    assert not ledger.exists()

    wb = load_workbook(template)
    ws = wb.worksheets[0]
    assert (ws["A2"].value, ws["B2"].value) == ("as-of date", dt.datetime(2023, 6, 30))  # one date for the sheet
    header = [c.value for c in ws[5]]
    assert header[:8] == ["id", "indicator name", "unit", "target", "last figure", "value", "added this month",
                          "county-level unit"]
    assert "as-of date" not in header  # no date to type on every row
    assert ws.freeze_panes == "C6"
    rows = {ws.cell(row=r, column=1).value: r for r in range(6, ws.max_row + 1)}
    assert len(rows) == len(PLAN.indicators)
    fills = {  # synthetic figures, typed the way Excel stores them
        "new-public-kindergartens": (9, None),
        "investment": ("45亿元", None),
        "public-kindergarten-share": (0.552, "0.0%"),  # 55.2% typed into a General cell
        "jiangcaihui-platform": ("完成", None),
        "new-school-places": (1500.0, None),
    }
    for ind, (value, fmt) in fills.items():
        r = rows[ind]
        ws.cell(row=r, column=6).value = value
        if fmt:
            ws.cell(row=r, column=6).number_format = fmt
    ws.cell(row=rows["new-nursery-places"], column=7).value = 40  # this month's increase, no total
    ws.cell(row=rows["investment"], column=9).value = '=HYPERLINK("http://x","y")'
    ws.cell(row=rows["investment"], column=9).data_type = "s"
    ws.cell(row=5, column=13).value = "截至日期"  # a row may carry its own date
    ws.cell(row=rows["jiangcaihui-platform"], column=13).value = dt.datetime(2023, 6, 20)
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    result = run("import", filled)
    assert "imported 6 entries" in result.stdout
    assert f"{len(PLAN.indicators) - 6} rows with an empty value skipped" in result.stdout
    got = {e["indicator"]: e for e in log_entries()}
    assert got["new-public-kindergartens"]["value"] == 9
    assert got["investment"]["value"] == 4_500_000_000
    assert got["investment"]["note"] == '=HYPERLINK("http://x","y")'
    assert got["public-kindergarten-share"]["value"] == pytest.approx(55.2)
    assert got["jiangcaihui-platform"]["state"] == "done" and got["jiangcaihui-platform"]["as_of"] == "2023-06-20"
    assert got["new-school-places"]["value"] == 1500 and got["new-school-places"]["as_of"] == "2023-06-30"
    assert got["new-nursery-places"]["added"] == 40 and got["new-nursery-places"]["value"] is None


def test_csv_template_for_a_county_round_trip(ledger, tmp_path):
    template = tmp_path / "jiaojiang.csv"
    out = run("template", "-o", template, "--county", "椒江", "--as-of", "2023-04-30", lang=None).stdout
    assert "椒江区" in out
    raw = template.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["截至日期", "2023-04-30"] and rows[1][:2] == ["县（市、区）", "椒江区"] and rows[2] == []
    assert rows[3][:7] == ["指标编号", "指标名称", "单位", "分解目标", "上次填报", "数值", "本月新增"]
    assert "县（市、区）" not in rows[3]  # the county is the sheet's
    assert "jiangcaihui-platform" not in [r[0] for r in rows if r]  # a city-wide milestone is not the county's
    assert "investment" not in [r[0] for r in rows if r]  # nor what the plan says the city reports
    assert "new-school-places" in [r[0] for r in rows if r]  # reported by the counties
    assert "no figures to import" in run("import", template).stdout
    for r in rows[4:]:
        if r[0] == "new-school-places":
            r[5] = "800"
        if r[0] == "dual-creation-counties":
            r[5] = "进行中"
    filled = write_csv(tmp_path / "filled.csv", rows, encoding="gb18030")  # as WPS may save it
    run("import", filled)
    got = {(e["indicator"], e["county"]): e for e in log_entries()}
    assert got[("new-school-places", "椒江区")]["value"] == 800
    assert got[("new-school-places", "椒江区")]["as_of"] == "2023-04-30"
    assert got[("dual-creation-counties", "椒江区")]["state"] == "in-progress"


def test_template_options(ledger, tmp_path):
    assert "--format says csv: make them agree" in run("template", "--format", "csv", "-o", tmp_path / "t.xlsx",
                                                        code=2, lang="en").stderr
    assert run("template", "-o", tmp_path / "t.txt", code=2).stderr
    assert "--format says markdown" in run("report", "--month", "2023-06", "-o", tmp_path / "r.html", "--format",
                                           "markdown", code=2, lang="en").stderr
    assert not (tmp_path / "t.xlsx").exists() and not (tmp_path / "r.html").exists()
    run("template", code=2)  # no -o
    assert "unknown county" in run("template", "-o", tmp_path / "t.csv", "--county", "火星", code=1).stderr
    assert "--as-of" in run("template", "-o", tmp_path / "t.csv", "--as-of", "2023-06-30", "--month", "6月",
                            code=2).stderr
    assert "--month" in run("template", "-o", tmp_path / "t.csv", "--month", "2024-01", code=1).stderr
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    run("template", "-o", a)
    run("template", "-o", b)
    assert a.read_bytes() == b.read_bytes()
    from openpyxl import load_workbook

    ws = load_workbook(a).worksheets[0]
    assert ws["B2"].value == dt.datetime(2023, 12, 31)  # the end of the month today falls in, within the plan
    assert [c.value for c in ws[5]][5:8] == ["value", "added this month", "county-level unit"]
    assert ws.cell(row=6, column=6).number_format == "@"


def test_xlsx_with_a_wrong_sheet_size_is_read_whole(ledger, tmp_path):
    """Some writers store a sheet size of A1; every row must still be read."""
    import re
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in ROWS:
        ws.append([c or None for c in row])
    good = tmp_path / "good.xlsx"
    wb.save(good)
    bad = tmp_path / "wps.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data, n = re.subn(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', data)
                assert n == 1
            dst.writestr(info, data)
    assert "imported 5 entries" in run("import", bad).stdout


def test_a_date_typed_as_digits_is_read_a_plain_number_is_not(ledger, tmp_path):
    """20230630 is how systems export a date, and a spreadsheet keeps it as a number; a number of
    another shape (45107, Excel's day count shown as General) is not a date anyone can read."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["指标", "数值", "截至日期", "县(市、区)"])
    ws.append(["new-public-kindergartens", 12, 20230630, ""])
    ws.append(["new-public-kindergartens", 13, "20230731", ""])
    path = tmp_path / "digits.xlsx"
    wb.save(path)
    run("import", path)
    assert [e["as_of"] for e in log_entries()] == ["2023-07-31", "2023-06-30"]
    ws.append(["new-public-kindergartens", 14, 45169, ""])
    ws.append(["new-public-kindergartens", 14, 20230931, ""])
    wb.save(path)
    err = run("import", path, "--force", code=1).stderr
    assert f"{path}:4: 截至日期: '45169' is not a date" in err
    assert f"{path}:5: 截至日期: '20230931' is not a date in the calendar" in err


def test_template_never_overwrites_a_sheet_without_force(ledger, tmp_path):
    sheet = tmp_path / "filled.csv"
    sheet.write_bytes(b"id,value\nnew-public-kindergartens,3\n")  # staff's work (synthetic)
    before = sheet.read_bytes()
    result = run("template", "-o", sheet, code=1)
    assert "--force" in result.stderr and sheet.read_bytes() == before
    run("template", "-o", sheet, "--force")
    assert sheet.read_bytes() != before


def test_a_sheet_with_increments_imported_again_with_force_never_adds_them_twice(ledger, tmp_path):
    """A template row keeps the last figure beside this month's increase. Imported a second
    time with --force, the increase this very file recorded, still standing, is not added
    again (nor refused because the last figure now includes it); once it is voided, --force
    records it again."""
    run("record", "new-school-places", "20", "--county", "椒江区", "--as-of", "2023-05-31")
    sheet = write_csv(tmp_path / "jj.csv", [["指标", "数值", "本月新增", "截至日期", "县(市、区)"],
                                            ["new-school-places", "20", "15", "2023-06-30", "椒江区"]])
    run("import", sheet)

    def total() -> float:
        status = json.loads(run("status", "--as-of", "2023-06-30", "--county", "椒江区", "--format", "json").stdout)
        return next(i for i in status["indicators"] if i["id"] == "new-school-places")["actual"]

    assert total() == 35
    before = ledger.read_bytes()
    assert "already imported" in run("import", sheet, code=1).stderr
    for extra in ((), ("--accept-warnings",)):
        for dry in ((), ("--dry-run",)):
            out = run("import", sheet, "--force", *extra, *dry).stdout
            assert "1 row already in the ledger for its date skipped" in out and "20 is not the last figure" not in out
            assert ledger.read_bytes() == before and total() == 35
    run("void", "2", "--reason", "synthetic: withdrawn")
    assert total() == 20
    assert "imported 1 entry" in run("import", sheet, "--force").stdout  # voided: the file's figure is back once
    assert total() == 35


def test_an_increment_of_a_file_corrected_since_is_not_added_again_by_force(ledger, tmp_path):
    """The file's +15 was corrected to +25 (a correction, not in the file's batch): --force added
    the +15 again on top (45 for 35 + 10), as the file's own entry no longer stood."""
    run("record", "new-school-places", "20", "--county", "椒江区", "--as-of", "2023-05-31")
    sheet = write_csv(tmp_path / "jj.csv", [["指标", "数值", "本月新增", "截至日期", "县(市、区)"],
                                            ["new-school-places", "", "15", "2023-06-30", "椒江区"],
                                            ["new-public-kindergartens", "3", "", "2023-06-30", "椒江区"]])
    run("import", sheet)
    run("correct", "2", "25", "--reason", "synthetic: miscounted")

    def total() -> float:
        status = json.loads(run("status", "--as-of", "2023-06-30", "--county", "椒江区", "--format", "json").stdout)
        return next(i for i in status["indicators"] if i["id"] == "new-school-places")["actual"]

    assert total() == 45
    before = ledger.read_bytes()
    for dry in ((), ("--dry-run",)):
        out = run("import", sheet, "--force", "--accept-warnings", *dry).stdout
        assert "2 rows already in the ledger for their date skipped" in out, out
        assert ledger.read_bytes() == before and total() == 45


def test_a_filled_template_row_whose_increment_was_corrected_is_skipped_by_force(ledger, tmp_path):
    """The template's way: the last figure (20) left in the value cell beside the increase (+15).
    After the +15 was corrected to +25, importing the file again with --force refused the whole
    file (20 is not the last figure 45 plus 15) instead of skipping the row as imported."""
    run("record", "new-school-places", "20", "--county", "椒江区", "--as-of", "2023-05-31")
    sheet = write_csv(tmp_path / "jj.csv", [["指标", "数值", "本月新增", "截至日期", "县(市、区)"],
                                            ["new-school-places", "20", "15", "2023-06-30", "椒江区"]])
    run("import", sheet)
    run("correct", "2", "25", "--reason", "synthetic: miscounted")
    before = ledger.read_bytes()
    out = run("import", sheet, "--force").stdout
    assert "1 row already in the ledger for its date skipped" in out, out
    assert ledger.read_bytes() == before


def test_force_reimports_a_file_without_doubling_it(ledger, tmp_path):
    """--force only overrides "this file was imported before": a total the ledger already has
    for that date is skipped, and so is a 本月新增 this file recorded that still stands; the dry
    run says the same as the real run. Another file with the same increase is a duplicate that
    needs --accept-warnings."""
    run("record", "quality-projects", "--add", "60", "--county", "椒江", "--as-of", "2023-06-30")
    rows = [["指标", "数值", "本月新增", "截至日期", "县(市、区)"],
            ["quality-projects", "60", "5", "2023-07-31", "椒江区"],
            ["new-school-places", "1500", "", "2023-07-31", "椒江区"]]
    sheet = write_csv(tmp_path / "jj-7.csv", rows)
    assert "imported 2 entries" in run("import", sheet).stdout

    def total(ind: str) -> float:
        status = json.loads(run("status", "--as-of", "2023-07-31", "--county", "椒江区", "--format", "json").stdout)
        return next(i for i in status["indicators"] if i["id"] == ind)["actual"]

    assert total("quality-projects") == 65
    before = ledger.read_bytes()
    for dry in ((), ("--dry-run",)):
        out = run("import", sheet, "--force", *dry).stdout
        assert "2 rows already in the ledger for their date skipped" in out
        assert ledger.read_bytes() == before
    assert total("quality-projects") == 65 and total("new-school-places") == 1500
    other = write_csv(tmp_path / "jj-7-again.csv", [rows[0], ["quality-projects", "", "5", "2023-07-31", "椒江区"],
                                                    rows[2]])
    err = run("import", other, code=1).stderr  # another file: the same increase again is a duplicate
    assert f"{other}:2: 本月新增: " in err and "[duplicate]" in err and "--accept-warnings" in err
    assert f"{other}:3:" not in err  # the total is in the ledger for that date: skipped, not a warning
    out = run("import", other, "--accept-warnings").stdout
    assert "imported 1 entry" in out and "(duplicate)" in out
    assert total("quality-projects") == 70  # added again, as the person accepted
    assert [e["indicator"] for e in log_entries()].count("new-school-places") == 1


def test_a_baseline_is_never_the_last_figure_of_a_template(ledger, tmp_path):
    """A baseline (last year's figure, dated before the period) is shown as the baseline, never
    put in the value column; an untouched sheet records nothing, and a sheet an older template
    filled with the baseline is refused rather than turning it into a 2023 figure."""
    run("baseline", "student-abnormal-deaths", "12")
    run("record", "student-abnormal-deaths", "3", "--as-of", "2023-06-30", "--county", "椒江")
    run("record", "student-abnormal-deaths", "1", "--as-of", "2023-06-30", "--county", "黄岩")

    def city() -> float:
        status = json.loads(run("status", "--as-of", "2023-07-31", "--format", "json").stdout)
        return next(i for i in status["indicators"] if i["id"] == "student-abnormal-deaths")["actual"]

    assert city() == 4  # the counties' sum
    template = tmp_path / "city.csv"
    run("template", "-o", template, "--month", "2023-07", lang=None)
    rows = list(csv.reader(io.StringIO(template.read_bytes().decode("utf-8-sig"))))
    header = next(r for r in rows if r and r[0] == "指标编号")
    (row,) = [r for r in rows if r and r[0] == "student-abnormal-deaths"]
    assert row[header.index("上次填报")] == "基数 12人（2022-12-31）"  # shown, named as the baseline
    assert row[header.index("数值")] == ""  # not offered as the figure to repeat
    before = ledger.read_bytes()
    assert "no figures to import" in run("import", template).stdout
    assert ledger.read_bytes() == before and city() == 4
    # the same row as an older template wrote it: the baseline in the value column
    row[header.index("上次填报")], row[header.index("数值")] = "12人 (2022-12-31)", "12"
    old = write_csv(tmp_path / "old.csv", rows)
    line = next(i for i, r in enumerate(rows, start=1) if r and r[0] == "student-abnormal-deaths")
    err = run("import", old, code=1).stderr
    assert f"{old}:{line}: 数值: 12 is the baseline (as of 2022-12-31) that an older template filled in" in err
    assert ledger.read_bytes() == before
    # typed on purpose into today's template, the same number is a figure of the period
    row[header.index("上次填报")] = "基数 12人（2022-12-31）"
    typed = write_csv(tmp_path / "typed.csv", rows)
    out = run("import", typed).stdout
    assert "imported 1 entry" in out and "unchanged" not in out


def test_a_sheet_reused_with_its_old_date_does_not_replace_that_days_figures_silently(ledger, tmp_path):
    """July's sheet filled again for August with 截至日期 left at July's end: its new figures would
    count as July's, replacing them without a word. Each such row is named (restated); the
    ledger is as it was; the same rows dated August go in. SYNTHETIC figures."""
    head = ["指标", "数值", "截至日期", "县(市、区)"]
    july = write_csv(tmp_path / "july.csv", [head, ["new-public-kindergartens", "17", "2023-07-31", "椒江区"],
                                             ["new-public-kindergartens", "9", "2023-07-31", "黄岩区"]])
    run("import", july)
    before = ledger.read_bytes()
    reused = write_csv(tmp_path / "august.csv", [head, ["new-public-kindergartens", "20", "2023-07-31", "椒江区"],
                                                 ["new-public-kindergartens", "9", "2023-07-31", "黄岩区"]])
    err = run("import", reused, code=1, lang="zh").stderr
    assert "椒江区：截至 2023-07-31 已填报 17所（#1），20所 将不加说明地替换它" in err and "［同日另报］" in err
    assert "黄岩区" not in err  # the same figure again is not a restatement
    assert ledger.read_bytes() == before
    august = write_csv(tmp_path / "august2.csv", [head, ["new-public-kindergartens", "20", "2023-08-31", "椒江区"]])
    run("import", august)
    assert [(e["county"], e["value"], e["as_of"]) for e in log_entries()][0] == ("椒江区", 20, "2023-08-31")


def test_a_second_figure_for_a_day_is_held_at_record_and_named_by_check(ledger, tmp_path):
    run("record", "new-public-kindergartens", "17", "--as-of", "2023-07-31", "--county", "椒江区")
    before = ledger.read_bytes()
    err = run("record", "new-public-kindergartens", "20", "--as-of", "2023-07-31", "--county", "椒江区", code=1).stderr
    assert "17所 as of 2023-07-31 is already recorded (#1), and 20所 would replace it" in err and "correct it" in err
    assert ledger.read_bytes() == before
    run("record", "new-public-kindergartens", "3", "--add", "--as-of", "2023-07-31", "--county", "椒江区", code=2)
    run("record", "new-public-kindergartens", "--add", "3", "--as-of", "2023-07-31", "--county", "椒江区")  # an event
    run("record", "new-public-kindergartens", "20", "--as-of", "2023-07-31", "--county", "椒江区", "--force")
    with ledger.open("a", encoding="utf-8") as fh:  # as an older version, or a hand, wrote it: nothing accepted
        fh.write('\n[[entries]]\nid = 4\nindicator = "new-public-kindergartens"\nvalue = 21\nas_of = 2023-07-31\n'
                 'county = "椒江区"\nby = "hand"\nrecorded_at = 2023-08-01T09:00:00+08:00\n')
    found = json.loads(run("check", "--as-of", "2023-07-31", "--rule", "restated", "--format", "json", code=1).stdout)
    # by recording time #4 (stamped 2023) came first and #1 replaced it; #3 replaced #1 over the warning, said as
    # accepted, not again as restated
    assert [[e["id"] for e in f["entries"]] for f in found["findings"]] == [[4, 1]]


def test_a_figure_accepted_over_a_warning_is_not_held_again_when_it_comes_back_unchanged(ledger, tmp_path):
    """0.56 accepted in June over 'a fraction for a percentage'; July's sheet gives it again
    unchanged: not held again (the whole sheet needed --accept-warnings every month, which also let
    a new slip through). A new figure with the same look is held as before. SYNTHETIC."""
    head = ["指标", "数值", "截至日期", "县(市、区)"]
    run("import", write_csv(tmp_path / "6.csv", [head, ["public-kindergarten-share", "0.56", "2023-06-30", "椒江区"]]),
        "--accept-warnings")
    run("import", write_csv(tmp_path / "7.csv", [head, ["public-kindergarten-share", "0.56", "2023-07-31", "椒江区"]]))
    err = run("import", write_csv(tmp_path / "8.csv", [head, ["public-kindergarten-share", "0.57", "2023-08-31",
                                                               "椒江区"]]), code=1).stderr
    assert "[a fraction where a percentage is expected]" in err or "fraction" in err


def test_a_csv_templates_ratio_survives_an_office_suite_and_a_date_made_of_one_is_named(ledger, tmp_path):
    """LibreOffice opening the CSV sheet made the prefilled 3/4 a date (3/4/26), and import said
    only 'write a ratio as numerator/denominator'. The sheet writes 3 / 4 (kept as text, read as
    the same ratio), and a date made of a ratio is named as one. SYNTHETIC."""
    run("record", "public-kindergarten-share", "3/4", "--county", "椒江区", "--as-of", "2023-06-30")
    path = tmp_path / "jj.csv"
    run("template", "-o", path, "--county", "椒江区", "--month", "2023-07")
    line = next(x for x in path.read_text(encoding="utf-8-sig").splitlines() if x.startswith("public-kindergarten"))
    assert ",3 / 4," in line
    assert "1 of them unchanged since the last figure" in run("import", path, "--dry-run").stdout
    dated = write_csv(tmp_path / "dated.csv", [["指标", "数值", "截至日期", "县(市、区)"],
                                               ["public-kindergarten-share", "3/4/26", "2023-07-31", "椒江区"]])
    err = run("import", dated, code=1, lang="zh").stderr
    assert "“3/4/26”是电子表格把比例变成的日期" in err and "如 3 / 4" in err


def test_the_same_sheet_twice_in_a_ledger_is_refused_as_a_copy(ledger, tmp_path):
    """Two computers imported one sheet and a merge kept both (renumbered): every 本月新增 counted
    twice, and validate said only '2 questionable'. The same figures of the same sheet twice can
    come from no import (again with --force it records nothing the ledger has): a problem at its
    line, in a plain read (validate, or a fresh index). SYNTHETIC."""
    sheet = write_csv(tmp_path / "s.csv", [["指标", "数值", "本月新增", "截至日期", "县(市、区)"],
                                           ["quality-projects", "", "5", "2023-06-30", "椒江区"],
                                           ["vocational-training", "", "1200", "2023-06-30", "椒江区"]])
    run("import", sheet)
    text = ledger.read_text(encoding="utf-8")
    blocks = text.split("\n[[entries]]\n")
    again = [b.replace("id = 1\n", "id = 3\n", 1).replace("id = 2\n", "id = 4\n", 1) for b in blocks[1:]]
    ledger.write_text(text.rstrip("\n") + "\n\n[[entries]]\n" + "\n[[entries]]\n".join(again), encoding="utf-8")
    err = run("validate", code=1, lang="zh").stderr
    assert "记录 3 至 4 与记录 1 至 2 重复（同一张表导入了两次" in err, err
    assert "重复（同一张表导入了两次" in run("status", code=1, lang="zh").stderr  # the warm index says it too
    ledger.write_text(text, encoding="utf-8")  # one copy deleted
    run("import", sheet, "--force")  # (again with --force it records nothing the ledger has: no copy is made)
    for entry in ("1", "2"):  # voided whole, the sheet may be imported again: the same figures, and no copy
        run("void", entry, "--reason", "synthetic: imported by mistake")
    run("import", sheet)
    run("validate")
