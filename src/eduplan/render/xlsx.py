"""Spreadsheets (openpyxl): the monthly bulletin as a workbook, and the fill-in template.

openpyxl because Excel and WPS are the office standard and a real workbook (styles,
number formats, frozen headers, column widths, a sheet per part) is what staff open and
forward; it is pure Python, already a declared dependency, and imported only here (and
by the importer), only when a spreadsheet is read or written.

Safe to open: a text that Excel would run as a formula (``=``, ``+``, ``-``, ``@``, a tab
or a carriage return at the start — :func:`eduplan.render.text.safe_cell` decides) is
stored as an explicit string cell with the quote-prefix style, never as a formula.

Same inputs, same bytes: the workbook's created/modified properties are fixed (derived
from the month for a bulletin, from the plan for a template), and the zip is repacked
with fixed member timestamps, because openpyxl stamps both with the current time.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

from ..i18n import msg

from ..core.bulletin import Bulletin, Row
from ..services.sheet_contract import TemplateDoc
from . import safe
from .bulletin_text import STATUS_ORDER, entry_value, headline_sentence, silent_names, title
from .figures import target_text
from .json_out import num as _num
from .words import (KIND_OF_ENTRY, action_title, gettext, measure_label, name_of, remark, section_title, state_label,
                    status_label, unit_name)

HEADER_FILL = "24476B"
INPUT_FILL = "FFF2CC"
STATUS_FILL = {"done": "C8E6C9", "on_track": "E3F2E7", "lagging": "FFE9A8", "behind": "F8C9C9", "no_data": "EEEEEE"}
PERCENT = "0.0%"
SIGNED_PERCENT = '+0.0%;-0.0%;0.0%'
INTEGER = "#,##0"
DECIMAL = "#,##0.0#"
LEVEL = '0.0#"%"'
SIGNED_INTEGER = "+#,##0;-#,##0;0"
SIGNED_DECIMAL = "+#,##0.0#;-#,##0.0#;0"
DATE = "yyyy-mm-dd"


# --------------------------------------------------------------------------- writing cells


def put(ws, row: int, col: int, value: object, number_format: str | None = None):
    """Write one cell; a text that could run as a formula becomes an explicit, quote-prefixed string."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str) and value:
        text = safe.xlsx_text(value)
        cell.value = text
        if safe.is_formula(text):
            cell.data_type = "s"  # openpyxl typed it as a formula; it is a string
            cell.quotePrefix = True  # and Excel keeps it a string when the cell is edited
    else:
        cell.value = value if value != "" else None
        if number_format and value is not None:
            cell.number_format = number_format
    return cell


def _width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _sheet(wb, name: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
           formats: Sequence[str | None] | None = None, *, max_width: int = 48,
           status_col: int | None = None, landscape: bool = True, right: Sequence[int] = ()):
    """A formatted sheet: styled, frozen, filtered header row; widths from the content; A4 print setup."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    ws = wb.create_sheet(name)
    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor=HEADER_FILL)
    thin = Side(style="thin", color="C9D3DD")
    for c, h in enumerate(headers, start=1):
        cell = put(ws, 1, c, h)
        cell.font = head_font
        cell.fill = head_fill
        numeric = c in right or (bool(formats) and formats[c - 1] not in (None, DATE))
        cell.alignment = Alignment(vertical="center", wrap_text=True, horizontal="right" if numeric else None)
        cell.border = Border(bottom=thin)
    widths = [_width(h) for h in headers]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            fmt = formats[c - 1] if formats else None
            if fmt == "auto":
                fmt = INTEGER if isinstance(value, int) else DECIMAL
            cell = put(ws, r, c, value, fmt)
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str) and _width(value) > max_width)
            widths[c - 1] = max(widths[c - 1], min(_width(value) if not isinstance(value, float) else 10, max_width))
        if status_col is not None:
            key = values[status_col - 1]
            code = next((k for k in STATUS_ORDER if key in (k, status_label(k, "zh"), status_label(k, "en"))), None)
            if code:
                ws.cell(row=r, column=status_col).fill = PatternFill("solid", fgColor=STATUS_FILL[code])
    from openpyxl.utils import get_column_letter

    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(6, min(w + 2, max_width + 2))
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def workbook_bytes(wb, stamp: dt.datetime) -> bytes:
    """The workbook as .xlsx bytes, identical for identical content.

    openpyxl's ``save`` stamps ``modified`` with the current time and zipfile stamps each
    member with it: write through ExcelWriter (which keeps the properties we set), then
    repack the zip with the fixed time.
    """
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "eduplan"
    wb.properties.lastModifiedBy = None
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=when)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- the bulletin


def _value_format(row: Row) -> str:
    ind = row.indicator
    if ind.is_percent:
        return LEVEL
    return "auto"


def _delta_format(row: Row) -> str:
    if row.indicator.is_percent:
        return '+0.0#"pp";-0.0#"pp";0'
    value = row.delta_actual
    return SIGNED_INTEGER if value is None or float(value).is_integer() else SIGNED_DECIMAL


def bulletin(b: Bulletin, lang: str, opts=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    _ = gettext(lang)

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title(b, lang)
    wb.properties.subject = f"{b.plan.plan.id} {b.label}"

    # ---- overview: month end against the previous month end, then the sentence
    s, prev = b.summary, b.previous_summary
    tp, tp_prev = _num(b.current.time_progress), _num(b.previous.time_progress) if b.previous else None
    rows: list[list[object]] = [
        [_("as of"), b.as_of, b.previous_as_of, None],
        [_("time progress"), tp, tp_prev, _num(tp - tp_prev) if tp_prev is not None else None],
    ]
    rows += [[status_label(k, lang), s[k], prev[k] if prev else None, s[k] - prev[k] if prev else None]
             for k in STATUS_ORDER]
    rows.append([_("total"), sum(s.values()), sum(prev.values()) if prev else None, None])
    rows.append([_("months left"), _num(b.months_left, 4), None, None])
    formats = [[None, DATE, DATE, None], [None, PERCENT, PERCENT, SIGNED_PERCENT]]
    formats += [[None, INTEGER, INTEGER, SIGNED_INTEGER]] * (len(STATUS_ORDER) + 1) + [[None, "0.0", None, None]]
    ws = _sheet(wb, _("Overview"), [_("item"), _("month end"),
                                                     _("previous month end"), _("change")],
                rows, landscape=False, status_col=1, right=(2, 3, 4))
    _apply_formats(ws, formats)
    ws.auto_filter.ref = None
    total_row = 2 + 2 + len(STATUS_ORDER)
    for c in range(1, 5):
        ws.cell(row=total_row, column=c).font = Font(bold=True)
    r = len(rows) + 3
    for label, text, height in (((_("overall")), headline_sentence(b, lang), 48),
                                ((_("title")), title(b, lang), 20)):
        put(ws, r, 1, label).font = Font(bold=True)
        put(ws, r, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=r, column=1).alignment = Alignment(vertical="top")
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
        ws.row_dimensions[r].height = height
        r += 1
    for col, width in (("A", 14), ("B", 22), ("C", 22), ("D", 22)):
        ws.column_dimensions[col].width = width

    # ---- indicators, per section
    headers = ([_("section"), "id", _("indicator"), _("kind"), _("unit"), _("target"), _("actual"), _("completion"), _("status"), _("previous actual"), _("previous completion"), _("change of the figure"), _("change of completion (points)"), _("to go"), _("needed per month"), _("figure as of")])
    data, fmts = [], []
    for blk in b.sections:
        if blk.section.kind.value == "action":
            continue
        for row in blk.rows:
            p, q = row.now, row.previous
            state = state_label(p.state.value, lang) if p.state is not None and p.actual is None else None
            data.append([
                section_title(blk.section, lang), p.indicator.id, name_of(p.indicator, lang),
                measure_label(p.indicator.measure.value, lang), p.indicator.unit, _num(p.target),
                _num(p.actual) if p.actual is not None else state, _num(p.completion), status_label(p.status.value, lang),
                _num(q.actual) if q is not None and q.actual is not None else
                (state_label(q.state.value, lang) if q is not None and q.state is not None else None),
                _num(q.completion) if q is not None else None,
                _num(row.delta_actual), _num(row.delta_completion), _num(p.remaining), _num(p.monthly_needed, 4),
                p.as_of_figure,
            ])
            vf = _value_format(row)
            fmts.append([None, None, None, None, None, vf, vf, PERCENT, None, vf, PERCENT, _delta_format(row),
                         SIGNED_PERCENT, vf, vf if vf != "auto" else DECIMAL, DATE])
    ws = _sheet(wb, _("Indicators"), headers, data, max_width=36, status_col=9,
                right=(6, 7, 8, 10, 11, 12, 13, 14, 15))
    _apply_formats(ws, fmts)
    ws.freeze_panes = "D2"

    # ---- actions
    if any(blk.section.kind.value == "action" for blk in b.sections):
        headers = ([_("action"), _("indicators")]) + [status_label(k, lang) for k in STATUS_ORDER]
        data = [[action_title(blk.section, lang), len(blk.rows)] + [blk.summary[k] for k in STATUS_ORDER]
                for blk in b.sections if blk.section.kind.value == "action"]
        _sheet(wb, _("Actions"), headers, data, [None] + [INTEGER] * 6, landscape=False)

    # ---- lagging and behind
    headers = ([_("rank"), "id", _("indicator"), _("status"), _("target"), _("actual"), _("completion"), _("short by (points)"), _("to go"), _("needed per month")])
    data, fmts = [], []
    for n, row in enumerate(b.attention, start=1):
        p = row.now
        data.append([n, p.indicator.id, name_of(p.indicator, lang), status_label(p.status.value, lang), _num(p.target),
                     _num(p.actual) if p.actual is not None else (state_label(p.state.value, lang) if p.state else None),
                     _num(p.completion), _num(p.lag_pp, 4), _num(p.remaining), _num(p.monthly_needed, 4)])
        vf = _value_format(row)
        fmts.append([INTEGER, None, None, None, vf, vf, PERCENT, "0.0", vf, DECIMAL if vf == "auto" else vf])
    ws = _sheet(wb, _("Lagging and behind"), headers, data, status_col=4,
                right=(1, 5, 6, 7, 8, 9, 10))
    _apply_formats(ws, fmts)

    # ---- recorded this month
    headers = (["#", _("indicator id"), _("indicator"), _("county-level unit"), _("as of"), _("value"), _("kind"), _("remarks"), _("source"), _("by"), _("recorded at")])
    kinds = {k: _(v) for k, v in KIND_OF_ENTRY.items()}
    data = []
    for rec in b.recorded:
        e = rec.entry
        ind = b.plan.indicator(e.indicator)
        data.append([e.id, e.indicator, name_of(ind, lang) if ind else e.indicator, unit_name(e.county, lang),
                     e.as_of, entry_value(rec, b.plan, lang), kinds[rec.kind], remark(rec, lang), e.source or None,
                     e.by, e.recorded_at.isoformat()])
    ws = _sheet(wb, _("Recorded"), headers, data,
                [INTEGER, None, None, None, DATE, None, None, None, None, None, None], right=(6,))
    for r in range(2, len(data) + 2):  # figures as people write them (3.5万, 56%): text, read like numbers
        ws.cell(row=r, column=6).alignment = Alignment(horizontal="right", vertical="top")
    ws.column_dimensions["E"].width = 13

    # ---- silent counties
    headers = [_("county-level unit"), _("missing"), _("reported per county"), _("indicators")]
    data = [[s.county, len(s.indicators), len(b.reported_per_county), silent_names(s.indicators, b.plan, lang)]
            for s in b.silent]
    _sheet(wb, _("Silent counties"), headers, data, [None, INTEGER, INTEGER, None], max_width=80)

    # ---- completed this month
    headers = [_("kind"), "id", _("indicator"), _("figure as of")]
    data = [[_("milestone"), r.indicator.id, name_of(r.indicator, lang), r.now.as_of_figure]
            for r in b.milestones_done]
    data += [[_("target"), r.indicator.id, name_of(r.indicator, lang), r.now.as_of_figure]
             for r in b.targets_met]
    _sheet(wb, _("Completed"), headers, data, [None, None, None, DATE], landscape=False)

    # ---- data quality: every finding, as `eduplan check` lists them
    from .words import finding_refs, rule_label

    headers = [_("rule"), _("rule id"), "id", _("indicator"), _("county-level unit"), _("entries"), _("as of"),
               _("finding")]
    data = [[rule_label(f.rule, lang), f.rule, f.indicator, name_of(b.plan.by_id[f.indicator], lang),
             unit_name(f.county, lang), finding_refs(f) or None, f.as_of, f.message.render(lang)] for f in b.quality]
    _sheet(wb, _("Data quality"), headers, data, [None, None, None, None, None, None, DATE, None], max_width=80)

    stamp = dt.datetime(b.as_of.year, b.as_of.month, b.as_of.day)
    return workbook_bytes(wb, stamp)


def _apply_formats(ws, fmts: list[list[str | None]]) -> None:
    for r, row in enumerate(fmts, start=2):
        for c, fmt in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if fmt is None or cell.value is None or isinstance(cell.value, str):
                continue
            if fmt == "auto":
                fmt = INTEGER if float(cell.value).is_integer() else DECIMAL
            cell.number_format = fmt


# --------------------------------------------------------------------------- the template


def template(doc: TemplateDoc, lang: str, opts=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    _ = gettext(lang)
    plan = doc.plan
    headers = [_(c.header) for c in doc.columns]
    rows = [[ind.id, name_of(ind, lang), ind.unit, target_text(ind), None, None, doc.county, None, None,
             doc.hint(ind).render(lang)] for ind in doc.indicators]
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = msg("{plan}: figures to import", plan=plan.plan.title).render(lang)
    ws = _sheet(wb, _("Figures"), headers, rows, max_width=40)
    ws.auto_filter.ref = None
    fill = PatternFill("solid", fgColor=INPUT_FILL)
    for c, column in enumerate(doc.columns):
        if not column.input:
            continue
        head = ws.cell(row=1, column=c + 1)
        head.fill = PatternFill("solid", fgColor="B45F06")
        for r in range(2, len(rows) + 2):
            ws.cell(row=r, column=c + 1).fill = fill
    last = len(rows) + 1
    for r in range(2, last + 1):
        ws.cell(row=r, column=5).number_format = "@"  # keep "3.5万", "56%", "12000/21000" as typed
        ws.cell(row=r, column=6).number_format = DATE
    for col, width in (("E", 14), ("F", 13), ("G", 12), ("H", 24), ("I", 20)):
        ws.column_dimensions[col].width = width
    counties = DataValidation(type="list", formula1='"' + ",".join(plan.plan.counties) + '"', allow_blank=True,
                              showErrorMessage=True)
    counties.add(f"G2:G{last}")
    dates = DataValidation(type="date", operator="between", allow_blank=True, showErrorMessage=True,
                           formula1=f"DATE({plan.plan.start.year},{plan.plan.start.month},{plan.plan.start.day})",
                           formula2=f"DATE({plan.plan.end.year},{plan.plan.end.month},{plan.plan.end.day})")
    dates.add(f"F2:F{last}")
    ws.add_data_validation(counties)
    ws.add_data_validation(dates)
    ws.freeze_panes = "C2"

    notes = wb.create_sheet(_("How to fill it in"))
    title_text = plan.plan.title if lang == "zh" else (plan.plan.title_en or plan.plan.title)
    lines = [
        msg("{plan}: figures to import", plan=title_text),
        msg("Fill in the yellow columns: value, as of (2023-06-30), county-level unit (empty for a city-wide figure), "
            "note, source."),
        msg("Rows with an empty value are not imported; leave the other columns as they are."),
        msg("Flows: the cumulative total to date; levels: a percentage or numerator/denominator; milestones: done / "
            "in-progress / not-started (完成 / 进行中 / 未开始)."),
        msg("Import it with: eduplan import THIS-FILE.xlsx --dry-run to check, then again without --dry-run."),
    ]
    for r, line in enumerate(lines, start=1):
        put(notes, r, 1, line.render(lang))
    notes["A1"].font = Font(bold=True, size=13)
    notes.column_dimensions[get_column_letter(1)].width = 110
    stamp = dt.datetime(plan.plan.start.year, plan.plan.start.month, plan.plan.start.day)
    return workbook_bytes(wb, stamp)
