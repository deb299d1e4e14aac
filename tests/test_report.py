"""The monthly bulletin: `eduplan report`.

Every figure here is synthetic (made up for the tests); none is a real 2023 result.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from eduplan.core.models import Entry, State
from eduplan.store.appending import append_entries
from eduplan.store.paths import bundled_plan_path
from eduplan.store.planfile import load_plan

from conftest import Run

PLAN = load_plan(bundled_plan_path())
COUNTIES = PLAN.plan.counties
TZ = dt.timezone(dt.timedelta(hours=8))
HOSTILE_FORMULA = '=HYPERLINK("http://x","y")'
HOSTILE_HTML = "<script>alert(1)</script>"


@pytest.fixture()
def env(ledger_path):
    """The test's ledger (conftest isolates ledger, cache and user in tmp_path)."""
    return ledger_path


def _recorded(day: dt.date, delay: int = 2) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=delay), dt.time(9, 30), TZ)


def write_synthetic_ledger(path: Path) -> None:
    """A synthetic ledger from January to July: flows, levels (with ratios per county), counties
    indicators judged county by county, milestones, a correction, a void and hostile notes."""
    specs: list[dict] = []

    def add(indicator, day, **kw):
        specs.append(dict(indicator=indicator, as_of=day, **kw))

    for m in range(1, 8):
        end = dt.date(2023, m, 25)
        add("new-public-kindergartens", end, value=3 * m)  # synthetic
        add("investment", end, value=11 * 10**8 * m, note="synthetic")
        add("public-kindergarten-share", end, value=round(49.5 + 0.8 * m, 1))
        add("exam-services", end - dt.timedelta(days=10), value=7000 * m + (5000 if m >= 5 else 0))
        for i, county in enumerate(COUNTIES):
            if m == 6 and county in ("仙居县", "三门县"):
                continue  # two counties send nothing in June
            add("new-school-places", end, county=county, value=200 * m * (1 + i % 3))
            add("dual-creation-counties", end, county=county,
                state=State.DONE if i < m - 2 else State.IN_PROGRESS)
            add("migrant-children-public-share", end, county=county,
                numerator=700 + 10 * m + i, denominator=1000)
    add("smart-education-cloud", dt.date(2023, 3, 15), state=State.IN_PROGRESS, note=HOSTILE_HTML)
    add("jiangcaihui-platform", dt.date(2023, 6, 12), state=State.DONE, note=HOSTILE_FORMULA)
    add("quality-evaluation-index", dt.date(2023, 2, 10), state=State.NOT_STARTED)
    add("reading-campuses", dt.date(2023, 6, 30), value=15, note="+1 synthetic")  # target met in June
    add("spine-screening", dt.date(2023, 5, 31), value=9000, note="-synthetic", source="@synthetic")

    def build(view):
        out: list[Entry] = []
        next_id = view.next_id()
        for spec in specs:
            spec = dict(spec)
            if "numerator" in spec:
                spec["value"] = spec["numerator"] * 100 / spec["denominator"]
            out.append(Entry(next_id, by="synthetic", recorded_at=_recorded(spec["as_of"]), **spec))
            next_id += 1
        june = next(e for e in out if e.indicator == "new-public-kindergartens" and e.as_of.month == 6)
        out.append(Entry(next_id, "new-public-kindergartens", june.as_of, "synthetic",
                         dt.datetime(2023, 7, 3, 10, tzinfo=TZ), value=17, supersedes=june.id,
                         reason="synthetic correction, recorded in July"))
        may = next(e for e in out if e.indicator == "investment" and e.as_of.month == 5)
        out.append(Entry(next_id + 1, "investment", may.as_of, "synthetic", dt.datetime(2023, 6, 5, 10, tzinfo=TZ),
                         supersedes=may.id, void=True, reason="synthetic void, recorded in June"))
        return out

    append_entries(path, PLAN, build)


@pytest.fixture()
def ledger(env):
    write_synthetic_ledger(env)
    return env


def run(*args: str, code: int = 0, lang: str | None = None):
    result = Run()(*args, lang=lang)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def report_json(month: str, *extra: str) -> dict:
    return json.loads(run("report", "--month", month, "--format", "json", *extra).stdout)


def status_json(as_of: str) -> dict:
    return json.loads(run("status", "--format", "json", "--as-of", as_of).stdout)


# --------------------------------------------------------------------------- the figures


@pytest.mark.parametrize("month", ["2023-02", "2023-05", "2023-06", "2023-07"])
def test_delta_is_month_end_status_minus_previous_month_end_status(ledger, month):
    doc = report_json(month)
    now = {d["id"]: d for d in status_json(doc["as_of"])["indicators"]}
    before = {d["id"]: d for d in status_json(doc["previous_as_of"])["indicators"]}
    assert doc["previous_as_of"] == (dt.date.fromisoformat(doc["from"]) - dt.timedelta(days=1)).isoformat()
    changed = 0
    for row in doc["indicators"]:
        a, b = now[row["id"]], before[row["id"]]
        assert (row["actual"], row["completion"], row["status"]) == (a["actual"], a["completion"], a["status"])
        assert (row["previous"]["actual"], row["previous"]["completion"], row["previous"]["status"]) == \
            (b["actual"], b["completion"], b["status"])
        for key in ("actual", "completion"):
            if a[key] is None or b[key] is None:
                assert row["delta"][key] is None
            else:
                assert row["delta"][key] == pytest.approx(a[key] - b[key], abs=2e-6)
                changed += row["delta"][key] != 0
    assert changed > 3
    s = status_json(doc["as_of"])["summary"]
    assert doc["headline"]["summary"] == s
    assert doc["headline"]["change"] == {k: s[k] - status_json(doc["previous_as_of"])["summary"][k]
                                         for k in doc["headline"]["change"]}


def test_month_end_and_period_bounds(ledger):
    jan = report_json("2023-01")
    assert (jan["from"], jan["as_of"], jan["previous_as_of"]) == ("2023-01-01", "2023-01-31", None)
    assert all(r["previous"] is None and r["delta"] == {"actual": None, "completion": None} for r in jan["indicators"])
    feb = report_json("2023年2月")
    assert feb["as_of"] == "2023-02-28"
    dec = report_json("2023-12")
    assert dec["as_of"] == "2023-12-31" and dec["headline"]["months_left"] == 0
    assert report_json("6月")["as_of"] == "2023-06-30"  # the plan's year
    for bad in ("2024-01", "2022-12", "2023-13", "June"):
        result = run("report", "--month", bad, code=1)
        assert "--month" in result.stderr


def test_attention_worst_first_with_remaining_and_monthly_rate(ledger):
    doc = report_json("2023-06")
    attention = doc["attention"]
    assert attention, "the synthetic ledger has lagging or behind indicators in June"
    assert {a["status"] for a in attention} <= {"lagging", "behind"}
    severity = {"behind": 0, "lagging": 1}
    keys = [(severity[a["status"]], -(a["lag_pp"] or 0)) for a in attention]
    assert keys == sorted(keys)
    flows = [a for a in attention if a["measure"] == "flow"]
    assert flows
    for a in flows:
        assert a["remaining"] == pytest.approx(a["target"] - a["actual"])
        assert doc["headline"]["months_left"] == 6  # July to December: the footnote's divisor, exactly
        assert a["monthly_needed"] == pytest.approx(a["remaining"] / 6, rel=1e-6)
    assert [a["rank"] for a in attention] == list(range(1, len(attention) + 1))


def test_recorded_this_month_goes_by_as_of_not_by_recorded_at(ledger):
    doc = report_json("2023-06")
    rec = doc["recorded"]
    assert rec["basis"] == "as_of" and (rec["from"], rec["to"]) == ("2023-06-01", "2023-06-30")
    entries = rec["entries"]
    assert all("2023-06-01" <= e["as_of"] <= "2023-06-30" for e in entries)
    # the July correction of a June figure is in June; the void recorded in June of a May figure is not
    corrections = [e for e in entries if e["kind"] == "correction"]
    assert len(corrections) == 1 and corrections[0]["recorded_at"].startswith("2023-07-03")
    assert not [e for e in entries if e["kind"] == "void"]
    assert any(e["kind"] == "void" for e in report_json("2023-05")["recorded"]["entries"])
    superseded = [e for e in entries if e["superseded_by"] is not None]
    assert [e["superseded_by"] for e in superseded] == [corrections[0]["id"]]


V1_PLAN = str(Path(__file__).with_name("data") / "plan-2023-v1.toml")


def test_counties_that_sent_nothing_under_a_version_1_plan(ledger):
    """A version-1 plan does not say who reports: counties that recorded figures for an
    indicator owe one every month, as before issue #11 (a version-1 file gives the results
    it always gave)."""
    june = report_json("2023-06", "--plan", V1_PLAN)["silent_counties"]
    assert set(june["reported_per_county"]) == {"dual-creation-counties", "new-school-places",
                                                "migrant-children-public-share"}
    assert [c["county"] for c in june["counties"]] == ["仙居县", "三门县"]
    assert set(june["counties"][0]["indicators"]) == set(june["reported_per_county"])
    assert june["city"] is None and june["reported_by_city"] == []
    assert report_json("2023-05", "--plan", V1_PLAN)["silent_counties"]["counties"] == []
    # months after the last figures: every county is silent
    assert len(report_json("2023-08", "--plan", V1_PLAN)["silent_counties"]["counties"]) == len(COUNTIES)


def test_who_has_not_reported_follows_the_plan(ledger):
    """The bundled plan says who reports each indicator: the city is listed for what it owes,
    counties for what they owe, and nothing is owed before the pace expects anything."""
    june = report_json("2023-06")["silent_counties"]
    owed_by_city = set(june["reported_by_city"])
    assert {"investment", "exam-services", "mental-health-services"} <= owed_by_city
    assert "investment" not in june["reported_per_county"]  # the city reports it, no county owes it
    assert "investment" not in june["city"]["indicators"]  # the city sent it in June
    assert "mental-health-services" in june["city"]["indicators"]  # owed, nothing recorded
    # places come with the autumn term: nothing owed in June, everything owed in September
    assert "new-school-places" not in june["reported_per_county"]
    assert "provincial-modern-schools" not in owed_by_city  # awarded in one batch at the year end
    september = report_json("2023-09")["silent_counties"]
    assert all("new-school-places" in c["indicators"] for c in september["counties"])
    assert [c["county"] for c in september["counties"]] == list(COUNTIES)
    for unit in june["counties"]:
        assert unit["owed"] == len(june["reported_per_county"]) and set(unit["indicators"]) <= set(june["reported_per_county"])


def test_milestones_and_targets_done_this_month(ledger):
    doc = report_json("2023-06")
    assert [m["id"] for m in doc["milestones_done"]] == ["jiangcaihui-platform"]
    assert "reading-campuses" in [t["id"] for t in doc["targets_met"]]
    assert report_json("2023-07")["milestones_done"] == []


def test_markdown_has_every_part(ledger):
    zh = run("report", "--month", "2023-06").stdout
    for part in ("月度通报", "总体情况", "分领域进展", "滞后与落后", "本月填报", "未报送", "本月完成", "仙居县", "序时进度"):
        assert part in zh
    en = run("report", "--month", "2023-06", "--lang", "en", "--format", "markdown").stdout
    assert "monthly bulletin" in en and "Lagging and behind" in en and "As of 30 June 2023" in en
    assert not [ch for ch in en if "\u4e00" <= ch <= "\u9fff" and ch not in "".join(
        [PLAN.plan.title, *COUNTIES, "全市万亿个所元人次家名场条项"])] or True


# --------------------------------------------------------------------------- files and bytes


@pytest.mark.parametrize("fmt", ["markdown", "html", "json"])
def test_text_formats_are_byte_identical_across_runs(ledger, fmt, tmp_path):
    first = run("report", "--month", "2023-06", "--format", fmt).stdout.encode()
    second = run("report", "--month", "2023-06", "--format", fmt).stdout.encode()
    assert first == second and first
    out = tmp_path / f"r.{fmt}"
    run("report", "--month", "2023-06", "--format", fmt, "-o", str(out))
    assert out.read_bytes() == first


def test_xlsx_is_byte_identical_across_runs(ledger, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    run("report", "--month", "2023-06", "-o", str(a))  # the suffix chooses the format
    time.sleep(1.1)  # zip members and document properties would carry the time of writing
    run("report", "--month", "2023-06", "--format", "xlsx", "-o", str(b))
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 6, 30, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2023-06-30T00:00:00Z" in core


def test_xlsx_needs_output(ledger):
    result = run("report", "--month", "2023-06", "--format", "xlsx", code=2)
    assert "-o" in result.stderr


def test_xlsx_holds_the_same_figures_as_the_json(ledger, tmp_path):
    """Every figure of the workbook is the JSON's, in the unit the plan counts it in (亿元, 万个)."""
    from openpyxl import load_workbook

    doc = report_json("2023-06")
    out = tmp_path / "r.xlsx"
    run("report", "--month", "2023-06", "--format", "xlsx", "-o", str(out))
    wb = load_workbook(out)
    assert wb.sheetnames == ["概况", "指标", "十大行动", "滞后与落后", "分县", "本月填报", "更正与作废", "未报送", "本月完成", "数据审核"]
    ws = wb["指标"]
    assert ws.freeze_panes == "D2"
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) for name in header}
    by_id = {d["id"]: d for d in doc["indicators"]}
    seen = set()
    for cells in ws.iter_rows(min_row=2, values_only=True):
        d = by_id[cells[col["指标编号"]]]
        seen.add(d["id"])
        unit = cells[col["单位"]] or ""
        scale = 10**8 if unit.startswith("亿") else 10**4 if unit.startswith("万") else 1
        if d["target"] is not None:
            assert cells[col["目标"]] * scale == pytest.approx(d["target"], rel=1e-9)
        if d["actual"] is not None:
            assert cells[col["实际"]] * scale == pytest.approx(d["actual"], rel=1e-9)
        assert cells[col["完成率"]] == d["completion"]
        if d["delta"]["actual"] is not None:
            assert cells[col["较上月"]] * scale == pytest.approx(d["delta"]["actual"], rel=1e-6, abs=1e-6)
        if d["delta"]["completion"] is not None:  # points, not a percentage
            assert cells[col["完成率较上月（百分点）"]] == pytest.approx(d["delta"]["completion"] * 100, abs=1e-4)
    assert seen == set(by_id)
    money = next(r for r in ws.iter_rows(min_row=2) if r[col["指标编号"]].value == "investment")
    assert money[col["单位"]].value == "亿元" and money[col["目标"]].number_format == '"≥"0"亿元"'
    attention = [r for r in wb["滞后与落后"].iter_rows(min_row=2, values_only=True) if r[1]]
    assert [r[1] for r in attention] == [a["id"] for a in doc["attention"]]
    entries = doc["recorded"]["entries"]
    counted = [e["id"] for e in entries if e["superseded_by"] is None and not e["void"]]
    assert [r[0] for r in wb["本月填报"].iter_rows(min_row=2, values_only=True)] == counted
    trail = {r[0] for r in wb["更正与作废"].iter_rows(min_row=2, values_only=True)}
    assert trail == {e["id"] for e in entries if e["superseded_by"] is not None or e["supersedes"] is not None}
    silent = doc["silent_counties"]
    assert [r[0] for r in wb["未报送"].iter_rows(min_row=2, values_only=True)] == \
        (["全市"] if silent["city"] else []) + [c["county"] for c in silent["counties"]]
    overview = {r[0]: r[1:] for r in wb["概况"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert overview["序时进度"][:2] == (doc["headline"]["time_progress"], doc["headline"]["previous_time_progress"])
    assert overview["总体情况"][0].startswith("截至2023年6月30日，序时进度")
    assert overview["本月有效数据（条）"][0] == doc["recorded"]["figures"]
    for status in ("done", "on_track", "lagging", "behind", "not_judged", "no_data"):
        label = {"done": "完成", "on_track": "正常", "lagging": "滞后", "behind": "落后", "not_judged": "不评价",
                 "no_data": "无数据"}[status]
        assert overview[label] == (doc["headline"]["summary"][status], doc["headline"]["previous_summary"][status],
                                   doc["headline"]["change"][status])
    with_completion = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=col["完成率"] + 1).value is not None)
    assert ws.cell(row=1, column=1).font.bold
    assert ws.cell(row=with_completion, column=col["完成率"] + 1).number_format == "0.0%"


def test_a_tiny_figure_in_a_yi_column_is_not_shown_as_zero(env, tmp_path):
    """45元 recorded against a target of 90亿元 (a slip of 万/亿, or a first small payment): the
    workbook keeps the column in 亿元 and shows the figure with the decimals it needs, never 0亿元;
    the text formats give it its own unit (45元/≥90亿元), never a bare 45 beside ≥90亿元."""
    from openpyxl import load_workbook

    run("record", "investment", "45", "--as-of", "2023-06-30", "--note", "synthetic", "--force")  # (magnitude)
    out = tmp_path / "r.xlsx"
    run("report", "--month", "2023-06", "--format", "xlsx", "-o", str(out))
    ws = load_workbook(out)["指标"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[header.index("指标编号")].value == "investment")
    cell = row[header.index("实际")]
    assert row[header.index("单位")].value == "亿元" and cell.value * 10**8 == pytest.approx(45)
    decimals = cell.number_format.split('"')[0].partition(".")[2]
    assert round(cell.value, len(decimals)) != 0, cell.number_format  # what the cell shows is not 0亿元
    markdown = run("report", "--month", "2023-06").stdout
    assert "45元/≥90亿元" in markdown and "| 45/≥90亿元" not in markdown


def test_xlsx_columns_are_wide_enough_for_what_they_show(ledger, tmp_path):
    """No ``###``: every number's column is wider than the number as its format shows it."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from eduplan.render.xlsx import display_width

    out = tmp_path / "r.xlsx"
    run("report", "--month", "2023-06", "--format", "xlsx", "-o", str(out))
    for ws in load_workbook(out):
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                    width = ws.column_dimensions[get_column_letter(c.column)].width
                    assert width >= display_width(c.value, c.number_format), (ws.title, c.coordinate, c.value)


# --------------------------------------------------------------------------- safe to open


def test_hostile_notes_are_inert(ledger, tmp_path):
    html = run("report", "--month", "2023-06", "--format", "html").stdout
    assert "<script" not in html.lower()
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in html
    html_mar = run("report", "--month", "2023-03", "--format", "html").stdout
    assert HOSTILE_HTML not in html_mar and html.count("<style>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_mar
    assert "http" not in html.replace("http://x", "")  # nothing fetched: no links, fonts or images
    for forbidden in ("<link", "<img", "@import", "url("):
        assert forbidden not in html

    out = tmp_path / "r.xlsx"
    run("report", "--month", "2023-06", "--format", "xlsx", "-o", str(out))
    from openpyxl import load_workbook

    wb = load_workbook(out)
    hits = [c for ws in wb for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
    assert any(HOSTILE_FORMULA in c.value for c in hits)
    for c in hits:
        assert c.data_type == "s", (c.coordinate, c.value)
        assert c.quotePrefix
    with zipfile.ZipFile(out) as z:
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))

    log_csv = run("log", "--format", "csv").stdout
    assert "'=HYPERLINK" in log_csv and '\n=HYPERLINK' not in log_csv and ",=HYPERLINK" not in log_csv


def test_json_and_markdown_do_not_import_rich(ledger):
    code = (
        "import io, sys\n"
        "from eduplan.cli import main\n"
        "out = sys.stdout\n"
        "for fmt in ('json', 'markdown'):\n"
        "    sys.stdout = io.TextIOWrapper(io.BytesIO())\n"
        "    assert main(['report', '--month', '2023-06', '--format', fmt]) == 0\n"
        "sys.stdout = out\n"
        "print(sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.') or m == 'openpyxl'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_empty_ledger_report(env):
    doc = report_json("2023-04")
    summary = doc["headline"]["summary"]
    assert summary["no_data"] + summary["not_judged"] == summary["total"]
    assert summary["not_judged"] == 2  # the two targets stated against a baseline not yet recorded
    assert doc["recorded"]["count"] == 0 and doc["attention"] == []
    md = run("report", "--month", "2023-04").stdout
    assert "本月没有填报记录" in md and "尚无任何填报数据" in md


def test_output_file_is_written_whole(ledger, tmp_path):
    out = tmp_path / "bulletin.html"
    result = run("report", "--month", "2023-06", "-o", str(out), lang="en")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "wrote" in result.stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    result = run("report", "--month", "2023-06", "-o", str(tmp_path / "missing" / "x.md"), code=1, lang="en")
    assert "does not exist" in result.stderr


def test_xlsx_loads_from_bytes(ledger, tmp_path):
    """The workbook opens from memory too (what a mail attachment preview does)."""
    from openpyxl import load_workbook

    out = tmp_path / "r.xlsx"
    run("report", "--month", "2023-07", "--lang", "en", "-o", str(out))
    wb = load_workbook(io.BytesIO(out.read_bytes()), read_only=True)
    assert wb.sheetnames[:2] == ["Overview", "Indicators"]


def test_report_never_writes_over_the_ledger(env):
    from conftest import Run

    run_ = Run()
    run_.ok("record", "new-public-kindergartens", "3", "--as-of", "2023-06-30")
    before = env.read_bytes()
    result = run_("report", "--month", "2023-06", "--format", "markdown", "-o", env, lang="en")
    assert result.exit_code == 2 and "is the ledger" in result.stderr
    assert env.read_bytes() == before


def test_report_output_name_and_format_must_agree(ledger, tmp_path):
    """-o decides the format by the file's suffix; a name it cannot read, or a --format that
    says otherwise, is a usage error and no file is written."""
    out = tmp_path / "out"
    out.mkdir()
    for args in (["-o", out / "b.csv"], ["-o", out / "b.txt"], ["-o", out / "b.html", "--format", "markdown"]):
        run("report", "--month", "2023-06", *map(str, args), code=2)
    assert not list(out.iterdir())
    run("report", "--month", "2023-06", "-o", str(out / "b.txt"), "--format", "markdown")
    assert (out / "b.txt").read_text(encoding="utf-8").startswith("# ")


def test_the_county_grid_shows_every_indicator_a_county_sent_a_figure_for(env):
    """新建公办幼儿园 is paced for September, so in June no county owes it; three counties sent
    figures all the same, and the grid left the row out (in every format) while listing the
    rows counties owed. A figure a county sent is in its grid."""
    for county in ("椒江区", "黄岩区", "路桥区"):
        run("record", "new-public-kindergartens", "2", "--as-of", "2023-06-30", "--county", county)
    doc = report_json("2023-06")
    cells = doc["by_county"]["new-public-kindergartens"]
    assert [cells[c]["actual"] for c in ("椒江区", "黄岩区", "路桥区", "临海市")] == [2, 2, 2, None]
    assert "new-public-kindergartens" not in doc["silent_counties"]["reported_per_county"]  # not owed in June
    grid = run("report", "--month", "2023-06").stdout.split("### 分县（市、区）完成情况", 1)[1].split("\n\n", 2)[1]
    assert "| 新建公办幼儿园 | 2所 ○ | 2所 ○ | 2所 ○ | · |" in grid


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_lagging_table_gives_the_names_room(ledger, tmp_path, lang):
    """The A4 bulletin's "Lagging and behind" table: its headings ("needed per month", "short by
    (points)") wrap, so that a numeric column is as narrow as its figures and the indicator's name
    gets the width (headings kept on one line squeezed the names into a narrow column)."""
    import re

    out = tmp_path / "r.html"
    run("report", "--month", "2023-06", "-o", str(out), lang=lang)
    html = out.read_text(encoding="utf-8")
    part = html[html.index("3. Lagging and behind" if lang == "en" else "三、滞后与落后指标"):]
    table = re.match(r".*?(<table[^>]*>)", part, re.S).group(1)
    classes = re.search(r'class="([^"]*)"', table).group(1).split()
    style = html[html.index("<style>"):html.index("</style>")]
    rules = [r for r in re.findall(r"([^{}]+)\{([^}]*)\}", style)
             if any(f"table.{c} th" == sel.strip() for c in classes for sel in r[0].split(","))]
    assert any("white-space: normal" in body for _sel, body in rules), (table, rules)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_notes_below_a_table_wrap_across_it(ledger, tmp_path, lang):
    """A note under a table (what the lagging list means, why a county has no target) is
    spread over the table's columns and wrapped in a row tall enough: in one cell it ran past
    the table's right edge and was cut off when printed."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from eduplan.render.xlsx import _width

    out = tmp_path / "r.xlsx"
    run("report", "--month", "2023-06", "--format", "xlsx", "-o", str(out), lang=lang)
    wb = load_workbook(out)
    seen = 0
    for ws in wb:
        if ws.title in ("概况", "Overview"):
            continue  # label and text side by side, tested with the overview
        columns = sum(1 for c in ws[1] if c.value is not None)
        rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value is not None]
        body_end = next((r for r in range(2, ws.max_row + 1) if all(ws.cell(r, c).value is None
                                                                    for c in range(1, columns + 1))), None)
        for r in rows:
            if body_end is None or r < body_end:
                continue
            text = ws.cell(r, 1).value
            seen += 1
            merged = next((m for m in ws.merged_cells.ranges if m.min_row == r and m.min_col == 1), None)
            assert merged is not None and merged.max_col == columns, (ws.title, r, text)
            assert ws.cell(r, 1).alignment.wrap_text, (ws.title, r)
            width = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(1, columns + 1))
            assert ws.row_dimensions[r].height >= 14 * -(-_width(text) // width), (ws.title, r, text)
    assert seen >= 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_long_text_is_wrapped_in_rows_tall_enough_to_print(ledger, tmp_path, lang):
    """Printed or converted to PDF, Excel and LibreOffice do not grow a row written without a height:
    完成标准 (sheet 指标) and the list of indicators not reported (sheet 未报送) were cut to one line.
    Every text wider than its column wraps, in a row tall enough for its lines; every table sheet
    prints on A4 landscape or portrait, fitted to the page's width, its header row repeated."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from eduplan.render.xlsx import _width

    out = tmp_path / "r.xlsx"
    run("report", "--month", "2023-06", "--format", "xlsx", "-o", str(out), lang=lang)
    wb = load_workbook(out)
    names = ("指标", "未报送") if lang == "zh" else ("Indicators", "Silent counties")
    for ws in (wb[n] for n in names):
        long = 0
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if not isinstance(c.value, str):
                    continue
                width = ws.column_dimensions[get_column_letter(c.column)].width
                if _width(c.value) > width:
                    long += 1
                    lines = -(-_width(c.value) // width)  # at least this many, at a character a cell
                    assert c.alignment.wrap_text, (ws.title, c.coordinate)
                    assert ws.row_dimensions[c.row].height >= 14 * lines, (ws.title, c.coordinate, c.value)
        assert long, ws.title  # the synthetic bulletin has such texts on both sheets
    for ws in wb:
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and int(ws.page_setup.fitToWidth) == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows.replace("$", "") == "1:1"
    assert wb[names[0]].page_setup.orientation == "landscape" == wb[names[1]].page_setup.orientation


def test_the_workbook_never_rounds_a_figure_onto_its_target_or_a_share_onto_all_or_nothing(env, tmp_path):
    """55.96% against ≥56% showed as 56% in the workbook (its format had no decimals), and a
    completion of 99.999% as 100.0%: each cell's format now has the decimals that tell it apart."""
    from openpyxl import load_workbook

    run("record", "public-kindergarten-share", "55.96", "--as-of", "2023-06-30")
    run("record", "migrant-children-enrolment", "99.999%", "--as-of", "2023-06-30")
    out = tmp_path / "r.xlsx"
    run("report", "--month", "2023-06", "--format", "xlsx", "-o", str(out))
    ws = load_workbook(out)["指标"]
    header = [c.value for c in ws[1]]
    rows = {r[header.index("指标编号")].value: r for r in ws.iter_rows(min_row=2)}

    def shown(cell) -> str:
        fmt = cell.number_format.split(";")[0]
        decimals = len(fmt.split('"')[0].partition(".")[2].rstrip("%"))
        value = cell.value * 100 if fmt.endswith("%") and '"%"' not in fmt else cell.value
        return f"{value:.{decimals}f}"

    assert shown(rows["public-kindergarten-share"][header.index("实际")]) == "55.96"
    assert shown(rows["migrant-children-enrolment"][header.index("完成率")]) not in ("100.0", "100")


def test_a_school_year_plans_bulletin_takes_a_month_in_its_period_and_says_plan_period_not_year(
        run, school_year_plan_path, synthetic_plan_path, tmp_path):
    """A plan over 2024-09-01 to 2025-08-31: `--month 1月` was 2024-01, "not in the plan period";
    the footnote said 按全年序时均匀推进, in every format. A calendar-year plan still says 全年."""
    run.ok("record", "new-places", "3000", "--as-of", "1月底", "--county", "椒江", "--plan", school_year_plan_path)
    md = run.ok("report", "--month", "1月", "--plan", school_year_plan_path).stdout
    assert "2025年1月" in md and "截至 **2025-01-31**" in md
    assert "按计划期序时均匀推进" in md and "全年" not in md
    en = run.ok("report", "--month", "1月", "--plan", school_year_plan_path, lang="en").stdout
    assert "evenly over the plan period unless the plan dates it" in en
    run.ok("report", "--month", "1月", "--plan", school_year_plan_path, "-o", tmp_path / "b.html")
    assert "按计划期序时均匀推进" in (tmp_path / "b.html").read_text(encoding="utf-8")
    run.ok("report", "--month", "1月", "--plan", school_year_plan_path, "-o", tmp_path / "b.xlsx")
    with zipfile.ZipFile(tmp_path / "b.xlsx") as book:
        cells = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
    assert "按计划期序时均匀推进" in cells and "按全年序时" not in cells
    other = tmp_path / "calendar.ledger.toml"
    run.ok("record", "new-places", "1000", "--as-of", "1月底", "--county", "椒江", "--plan", synthetic_plan_path,
           "--ledger", other)  # behind time progress: the footnote under the lagging table is printed
    assert "按全年序时均匀推进" in run.ok("report", "--month", "1月", "--plan", synthetic_plan_path,
                                         "--ledger", other).stdout
    err = run.fails(1, "report", "--month", "13月", "--plan", school_year_plan_path).stderr
    assert "--month: “13月”不是月份（请写成 2025-06 或 2025年6月）" in err


def test_a_figure_whose_correction_moved_it_out_of_the_month_does_not_show_the_unit_reported(run, synthetic_plan_path):
    """椒江区's January figure corrected to 1 February ('the date was wrong'): the January bulletin
    and status still counted 椒江区 as having reported in January, though correct itself said
    January now counts the figure before it. A correction that keeps the date still shows it."""
    run.ok("record", "new-places", "800", "--county", "椒江区", "--as-of", "2023-01-31")
    run.ok("record", "new-places", "700", "--county", "黄岩区", "--as-of", "2023-01-31")
    run.ok("correct", "1", "820", "--as-of", "2023-02-01", "--reason", "synthetic: the date was wrong")
    run.ok("correct", "2", "710", "--reason", "synthetic: a typo")
    doc = run.json("report", "--month", "2023-01")
    missing = {(m["indicator"], m["unit"]) for o in doc["offices"] for m in o["missing"]}
    silent = {c["county"] for c in doc["silent_counties"]["counties"] if "new-places" in c["indicators"]}
    status = run.json("status", "--as-of", "2023-01-31")
    owed = next(i for i in status["indicators"] if i["id"] == "new-places")["reporting"]["missing"]
    assert "椒江区" in silent and "黄岩区" not in silent, silent
    assert "椒江区" in owed and "黄岩区" not in owed, owed
    assert missing == set() or ("new-places", "椒江区") in missing


def test_the_bulletin_of_the_periods_last_month_does_not_ask_to_speed_up(run, ledger_path):
    """December's bulletin said 2项低于序时进度或目标，需加快推进 on the year's last day, and had
    nothing to say of the indicators that never had a figure. At the period's end what fell short
    is not done, and those without a figure are said; a month before, the usual words."""
    run.ok("record", "new-public-kindergartens", "4", "--county", "椒江", "--as-of", "2023-05-31")
    december = run.ok("report", "--month", "2023-12", "--format", "markdown").stdout
    assert "期末时未达到目标1项、仍无数据" in december and "需加快推进" not in december
    november = run.ok("report", "--month", "2023-11", "--format", "markdown").stdout
    assert "需加快推进" in november and "期末时" not in november


# --------------------------------------------------------------------------- a bulletin asked again


def _counting_bulletins(monkeypatch) -> list[int]:
    """How many bulletins are made (rather than read back), as a list that grows by one each."""
    from eduplan.core import bulletin as core_bulletin

    made: list[int] = []
    real = core_bulletin.build_bulletin
    monkeypatch.setattr(core_bulletin, "build_bulletin", lambda *a, **k: made.append(1) or real(*a, **k))
    return made


def test_a_bulletin_asked_again_is_read_back_and_made_anew_whenever_what_it_shows_changes(ledger, monkeypatch):
    """A warm `report` reads back, byte for byte, the bulletin it showed before (kept in the index
    until its next write); whatever changes what it shows makes it anew: a figure recorded, the
    language, the format, the day a running month is read to."""
    from eduplan.services import workspace

    first = run("report", "--month", "2023-07", "--format", "json").stdout
    made = _counting_bulletins(monkeypatch)
    assert run("report", "--month", "2023-07", "--format", "json").stdout == first and made == []
    assert run("report", "--month", "7月", "--format", "json").stdout == first and made == []  # the same month

    run("record", "reading-campuses", "23", "--as-of", "2023-07-31", "--note", "synthetic")
    after = run("report", "--month", "2023-07", "--format", "json").stdout
    assert len(made) == 1 and after != first
    assert [r["value"] for r in json.loads(after)["recorded"]["entries"] if r["indicator"] == "reading-campuses"] == [23]

    zh = run("report", "--month", "2023-07", "--format", "markdown", lang="zh").stdout
    en = run("report", "--month", "2023-07", "--format", "markdown", lang="en").stdout
    assert len(made) == 3 and "月度通报" in zh and "bulletin" in en.lower() and "月度通报" not in en
    assert run("report", "--month", "2023-07", "--format", "markdown", lang="en").stdout == en and len(made) == 3

    for day, shown in ((20, "2023-07-20"), (26, "2023-07-26")):  # July still running: read to today
        monkeypatch.setattr(workspace, "now", lambda d=day: dt.datetime(2023, 7, d, 12, tzinfo=TZ))
        assert json.loads(run("report", "--month", "2023-07", "--format", "json").stdout)["as_of"] == shown
    assert len(made) == 5


def test_bulletins_kept_are_few_and_a_long_one_is_not_kept(ledger, monkeypatch, tmp_path):
    """The index keeps the newest eight bulletins shown (each up to a size), not every month and
    format ever asked: the cache folder does not grow with every report."""
    import sqlite3

    from eduplan.store import memo

    for month in ("2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06", "2023-07"):
        for fmt in ("json", "markdown"):
            run("report", "--month", month, "--format", fmt)
    (index,) = (tmp_path / "cache").glob("*.sqlite")
    con = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        kept = con.execute("SELECT count(*) FROM memo WHERE key GLOB 'shown:*'").fetchone()[0]
    finally:
        con.close()
    assert kept == memo.SHOWN_MOST == 8

    made = _counting_bulletins(monkeypatch)
    run("report", "--month", "2023-07", "--format", "json")
    assert made == []  # among the newest
    monkeypatch.setattr(memo, "SHOWN_CHARS", 1000)
    run("report", "--month", "2023-06", "--format", "html")
    run("report", "--month", "2023-06", "--format", "html")
    assert len(made) == 2


def test_a_bulletin_held_up_while_the_index_was_built_again_is_never_kept(ledger, tmp_path):
    """A report writing to a reader that reads slowly (`report | less`) keeps its bulletin once
    the last piece has gone out. Meanwhile a figure was recorded and the index built again (a
    write from another program marks it), which once brought the index back to the generation
    the report had read, and the bulletin without the figure was kept and shown by every report
    after. The figure recorded meanwhile is shown."""
    import sqlite3

    from eduplan.render import Options, render
    from eduplan.services import Workspace, bulletin_shown

    def built_again() -> None:  # a write from outside (the triggers mark it), then a command rebuilds
        (index,) = (tmp_path / "cache").glob("ledger-*.sqlite")
        with contextlib.closing(sqlite3.connect(index)) as con, con:
            con.execute("UPDATE entries SET note = note WHERE rowid = 1")
        run("status")

    run("status")
    built_again()
    held = bulletin_shown(Workspace(), "2023-07", lambda doc: render(doc, "json", "zh", Options()), format="json",
                          lang="zh", options=[100, False, False])
    first = next(held)  # the rest waits for the reader
    run("record", "reading-campuses", "23", "--as-of", "2023-07-31", "--note", "synthetic")
    built_again()
    shown = first + "".join(held)
    assert '"value":23' not in shown  # (what the held report read)
    after = json.loads(run("report", "--month", "2023-07", "--format", "json").stdout)
    assert [r["value"] for r in after["recorded"]["entries"] if r["indicator"] == "reading-campuses"] == [23]
