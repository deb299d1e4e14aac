"""Spreadsheets (openpyxl): the monthly bulletin as a workbook, and the fill-in template.

openpyxl because Excel and WPS are the office standard and a real workbook (styles,
number formats, frozen headers, column widths, a sheet per part) is what staff open and
forward; it is pure Python, already a declared dependency, and imported only here (and
by the importer), only when a spreadsheet is read or written.

Safe to open: a text that Excel would run as a formula (``=``, ``+``, ``-``, ``@``, a tab
or a carriage return at the start — :func:`eduplan.render.text.safe_cell` decides) is
stored as an explicit string cell with the quote-prefix style, never as a formula.

Figures as leadership reads them: every amount of the bulletin in the unit the plan counts it
in (亿元, 万个, 所 — the unit column says which), with a number format that carries the unit,
the comparator of a target (≥90亿元), points as points (+12.5, 3.0个百分点) and counties as
counties (3个县); each column as wide as what its cells show, so that no number shows ``###``.
The template is one date cell for the sheet, then a row per indicator whose value cell holds
the unit's last figure to update.

Same inputs, same bytes: the workbook's created/modified properties are fixed (derived
from the month for a bulletin, from the plan for a template), and the zip is repacked
with fixed member timestamps, because openpyxl stamps both with the current time.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Sequence

from ..core.bulletin import Bulletin, Row
from ..i18n import gap_after, msg, separator
from ..services.sheet_contract import TemplateDoc
from . import safe
from .bulletin_text import (
    STATUS_ORDER,
    attention_footnote,
    county_notes,
    entry_value,
    headline_sentence,
    lead_headers,
    lead_rows,
    needs_said,
    silent_names,
    title,
)
from .figures import comparator_mark, natural_scale, scale_of, scale_word
from .json_out import num as _num
from .words import (
    KIND_OF_ENTRY,
    action_title,
    done_when_text,
    gettext,
    kind_heading,
    kind_label,
    name_of,
    relative_text,
    remark,
    section_title,
    state_label,
    status_label,
    unit_name,
)

HEADER_FILL = "24476B"
INPUT_FILL = "FFF2CC"
STATUS_FILL = {"done": "C8E6C9", "on_track": "E3F2E7", "lagging": "FFE9A8", "behind": "F8C9C9", "not_judged": "DCE6F0",
               "no_data": "EEEEEE"}
PERCENT = "0.0%"


def share_format(value: float | None) -> str:
    """The format of a share (completion, expected, a share of the city): one decimal, more where
    one would read as all or nothing (0.99999 is 99.999%, never 100.0%; 0.00005 never 0.0%)."""
    if value is None or value in (0, 1):
        return PERCENT
    digits = 1
    while digits < 6 and round(value * 100, digits) in (0, 100):
        digits += 1
    return "0." + "0" * digits + "%"
INTEGER = "#,##0"
DECIMAL = "#,##0.0#"
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


LINE_HEIGHT = 15  # points a line of 11-point text takes, Chinese included


def footnote(ws, row: int, text: str, columns: int):
    """A note below a sheet's table: across the table's columns, wrapped, its row as tall as its
    lines (a long note in one cell ran past the table's right edge and was cut when printed)."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    cell = put(ws, row, 1, text)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if columns > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, columns + 1))
    ws.row_dimensions[row].height = LINE_HEIGHT * _line_count(text, width) + 2
    return cell


def _line_count(text: str, column_width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``column_width`` characters wide (a wide
    character counts two): words and wide characters are laid greedily, with a character's room
    to spare for the font's own measure."""
    room = max(1.0, column_width - 1.5)
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0.0
        for token in re.findall(r"[\x00-\u2e7f]+?(?=\s|$|[^\x00-\u2e7f])\s*|[^\x00-\u2e7f]", paragraph):
            size = _width(token.rstrip())
            if used and used + size > room:
                count += 1
                used = 0.0
            while size > room:  # longer than a line: folded
                count += 1
                size -= room
            used += _width(token)
    return count


_TITLE_MARKS = str.maketrans({"[": "［", "]": "］", ":": "：", "*": "＊", "?": "？", "/": "／", "\\": "＼"})


def sheet_title(wb, name: str) -> str:
    """``name`` as a worksheet may be titled: the marks Excel forbids in a title ([]:*?/\\) as their
    full-width forms (分乡镇／街道, from a plan's own words), at most 31 characters, and not a
    title the workbook has already (a plan's name for its actions may be another sheet's)."""
    base = name.translate(_TITLE_MARKS).strip("'") or "-"
    title, n = base[:31], 1
    taken = {t.casefold() for t in wb.sheetnames}
    while title.casefold() in taken:
        n += 1
        title = f"{base[:31 - len(str(n)) - 1]}-{n}"
    return title


def _sheet(wb, name: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
           formats: Sequence[str | None] | None = None, *, max_width: int = 48,
           status_col: int | None = None, landscape: bool = True, right: Sequence[int] = (),
           cell_formats: Sequence[Sequence[str | None]] | None = None):
    """A formatted sheet: styled, frozen, filtered header row; widths from what the cells show
    (a number never shows ``###``); A4 print setup. ``formats`` are per column, ``cell_formats``
    per cell."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    ws = wb.create_sheet(sheet_title(wb, name))
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
    widths = [min(_width(h), 16) for h in headers]  # a long header wraps
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            fmt = cell_formats[r - 2][c - 1] if cell_formats else (formats[c - 1] if formats else None)
            if fmt == "auto":
                fmt = INTEGER if isinstance(value, int) else DECIMAL
            cell = put(ws, r, c, value, fmt)
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str) and _width(value) > max_width)
            shown = display_width(value, fmt if not isinstance(value, str) else None)
            widths[c - 1] = max(widths[c - 1], shown if not isinstance(value, str) else min(shown, max_width))
        if status_col is not None:
            key = values[status_col - 1]
            code = next((k for k in STATUS_ORDER if key in (k, status_label(k, "zh"), status_label(k, "en"))), None)
            if code:
                ws.cell(row=r, column=status_col).fill = PatternFill("solid", fgColor=STATUS_FILL[code])
    from openpyxl.utils import get_column_letter

    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(6, w + 2)
    # A wrapped cell's row as tall as its lines: Excel and LibreOffice do not grow a row written without
    # a height when they print or convert it, so a long 完成标准 or list of indicators was cut to one line.
    for r, values in enumerate(rows, start=2):
        lines = max([_line_count(v, max(6, w + 2)) for v, w in zip(values, widths) if isinstance(v, str)] or [1])
        if lines > 1:
            ws.row_dimensions[r].height = LINE_HEIGHT * lines + 2
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


def _literal(text: str) -> str:
    """Text inside a number format: quoted, its quotes doubled."""
    return '"' + text.replace('"', '""') + '"' if text else ""


def number_format(value: object, suffix: str = "", prefix: str = "", signed: bool = False, digits: int = 2,
                  points: bool = False) -> str:
    """A format that shows ``value`` the way the other formats do (:mod:`eduplan.render.figures`):
    up to ``digits`` decimals, none for a whole number (2.18万, 90亿元, 54.3%, 1.2所); points always
    with one (+20.0); the unit as a literal after it (亿元, 个县, 个百分点)."""
    if points:
        body = "0.0"
    else:
        if isinstance(value, (int, float)) and not float(value).is_integer():
            while digits < 8 and round(float(value), digits).is_integer():  # 55.96 is not 56, 2.9999亿 not 3亿
                digits += 1
        whole = isinstance(value, (int, float)) and round(float(value), digits).is_integer()
        body = "0" if whole else "0.0" + "#" * (digits - 1)
    pre, post = _literal(prefix), _literal(suffix)
    if signed:
        return f'+{pre}{body}{post};-{pre}{body}{post};"±0"'  # the sign always, and no change as ±0
    return f"{pre}{body}{post}"


def display_width(value: object, fmt: str | None) -> int:
    """About how many columns a cell shows (CJK counted double): a column at least this wide
    never shows ``###``."""
    if value is None:
        return 0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if fmt and "%" in fmt and '"%"' not in fmt:
            value = value * 100
        first = (fmt or "").split(";")[0]  # the section a positive number shows with
        parts = first.split('"')
        literals = "".join(part for k, part in enumerate(parts) if k % 2)
        body = "".join(part for k, part in enumerate(parts) if not k % 2)
        decimals = max(2, len(body.partition(".")[2]))  # at most as many as the format shows (2 at least)
        return len(f"{abs(value):.{decimals}f}") + 1 + _width(literals)
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    return _width(value)


def _scaled(value: float | None, scale: int) -> float | int | None:
    if value is None:
        return None
    x = value / scale
    return _num(x, 6 if scale == 1 else 8)


def _counties_word(lang: str) -> str:
    return msg("{n} counties", n="").render(lang).strip()


def _points_word(lang: str) -> str:
    return msg("{n} points", n="").render(lang).strip()


def _unit_shown(ind, scale: int, lang: str) -> str:
    """The unit the sheet's numbers of an indicator are in: 亿元, 万个, 所, %, 个县."""
    if ind.measure.value == "counties" and not ind.is_percent:
        return _counties_word(lang)
    return scale_word(scale) + ("" if ind.unit == "项" else ind.unit)


def _amount(value: float | None, ind, scale: int, lang: str, *, signed: bool = False) -> tuple[object, str | None]:
    """(cell value, format) of an amount in the indicator's unit (``scale``: the unit column's),
    with the unit in its format; a figure too small to show in two decimals of that unit gets
    the decimals it needs (45元 in 亿元 reads 0.00000045亿元, never 0亿元), so that the column
    stays in one unit and adds up."""
    if value is None:
        return None, None
    v = _scaled(value, scale)
    digits = 2 if scale > 1 else 1
    if v and round(abs(v), digits) == 0:
        digits = min(15, 1 - math.floor(math.log10(abs(v))))  # two significant digits
    suffix = "%" if ind.is_percent else ("" if ind.measure.value == "milestone" else _unit_shown(ind, scale, lang))
    return v, number_format(v, suffix, signed=signed, digits=digits)


class Cells:
    """A sheet's rows and the format of each cell, built together."""

    def __init__(self) -> None:
        self.rows: list[list[object]] = []
        self.formats: list[list[str | None]] = []

    def add(self, cells: Sequence[tuple[object, str | None]]) -> None:
        self.rows.append([v for v, _f in cells])
        self.formats.append([f for _v, f in cells])


def _indicator_cells(row: Row, lang: str) -> list[tuple[object, str | None]]:
    """The figures of one indicator, each in the indicator's unit with a format that says so."""
    p, q = row.now, row.previous
    ind = p.indicator
    scale = scale_of(ind, p.target)
    unit = _unit_shown(ind, scale, lang)
    suffix = "%" if ind.is_percent else ("" if ind.measure.value == "milestone" else unit)
    mark = comparator_mark(ind)
    state = state_label(p.state.value, lang) if p.state is not None and p.actual is None else None

    digits = 2 if scale > 1 else 1  # as figures.number shows them: 2.18万, 1.2所, 54.3%

    def amount_cell(value: float | None) -> tuple[object, str | None]:
        return _amount(value, ind, scale, lang)

    target = _scaled(p.target, scale)
    actual = amount_cell(p.actual) if p.actual is not None else (state, None)
    before = (amount_cell(q.actual) if q is not None and q.actual is not None else
              ((state_label(q.state.value, lang), None) if q is not None and q.state is not None else (None, None)))
    if ind.is_percent:
        delta = _scaled(row.delta_actual, scale)
        delta_fmt = number_format(delta, _points_word(lang), signed=True, points=True)
    else:
        delta, delta_fmt = _amount(row.delta_actual, ind, scale, lang, signed=True)
    change_pp = _num(row.delta_done * 100, 4) if row.delta_done is not None else None
    if ind.measure.value == "counties":
        left = (_num(p.remaining), number_format(p.remaining or 0, _counties_word(lang), digits=1))
        rate = _num(p.monthly_needed, 4)
        per = (rate, number_format(rate, _counties_word(lang), digits=1) if rate is not None else None)
    elif p.gap_pp:
        left = (_num(p.gap_pp, 4), number_format(_num(p.gap_pp, 4), _points_word(lang), points=True))
        per = (None, None)
    else:
        left = amount_cell(p.remaining)
        per = amount_cell(p.monthly_needed)
    return [
        (unit, None),
        (target, number_format(target, suffix, prefix=mark, digits=digits)) if target is not None else
        ((relative_text(ind, lang) if ind.relative is not None and p.scope is None else None), None),
        actual, (_num(p.done_share), share_format(p.done_share)), (status_label(p.status.value, lang), None),
        before, (_num(q.done_share) if q is not None else None, share_format(q.done_share) if q is not None else PERCENT),
        (delta, delta_fmt if delta is not None else None),
        (change_pp, number_format(change_pp, signed=True, points=True) if change_pp is not None else None),
        left, per, (p.as_of_figure, DATE),
    ]


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
        [_("time progress"), tp, tp_prev, _num((tp - tp_prev) * 100, 4) if tp_prev is not None else None],
    ]
    rows += [[status_label(k, lang), s[k], prev[k] if prev else None, s[k] - prev[k] if prev else None]
             for k in STATUS_ORDER]
    rows.append([_("total"), sum(s.values()), sum(prev.values()) if prev else None, None])
    rows.append([_("months left"), _num(b.months_left, 4), None, None])
    rows.append([_("figures received this month"), len(b.figures), None, None])
    points = _points_word(lang)
    formats = [[None, DATE, DATE, None],
               [None, PERCENT, PERCENT, number_format(0.5, points, signed=True, points=True)]]
    formats += [[None, INTEGER, INTEGER, SIGNED_INTEGER]] * (len(STATUS_ORDER) + 1)
    formats += [[None, number_format(_num(b.months_left, 4)), None, None], [None, INTEGER, None, None]]
    ws = _sheet(wb, _("Overview"), [_("item"), _("month end"), _("previous month end"), _("change")],
                rows, landscape=False, status_col=1, right=(2, 3, 4), cell_formats=formats)
    ws.auto_filter.ref = None
    total_row = 2 + 2 + len(STATUS_ORDER)
    for c in range(1, 5):
        ws.cell(row=total_row, column=c).font = Font(bold=True)
    r = len(rows) + 3
    for label, text in ((_("overall"), headline_sentence(b, lang)), (_("title"), title(b, lang)),
                        (_("note"), attention_footnote(b, lang))):
        put(ws, r, 1, label).font = Font(bold=True)
        put(ws, r, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=r, column=1).alignment = Alignment(vertical="top")
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
        ws.row_dimensions[r].height = LINE_HEIGHT * _line_count(text, 3 * 24) + 2  # a merged cell does not grow to fit
        r += 1
    for col, width in (("A", 16), ("B", 24), ("C", 24), ("D", 24)):
        ws.column_dimensions[col].width = width

    # ---- indicators, per section: every figure in the unit the plan counts it in
    headers = [_("section"), _("id"), _("indicator"), _("kind"), _("unit"), _("target"), _("actual"), _("completion"),
               _("status"), _("previous actual"), _("previous completion"), _("change of the figure"),
               _("change of completion (points)"), _("to go"), _("needed per month"), _("figure as of"),
               _("expected by now"), _("done when"), _("note")]
    table = Cells()
    for blk in b.sections:
        if blk.section.kind.value == "action":
            continue
        for row in blk.rows:
            ind = row.indicator
            said = separator(lang).join(needs_said(row.now, lang))  # as the bulletin's list says it
            table.add([(section_title(blk.section, lang), None), (ind.id, None), (name_of(ind, lang), None),
                       (kind_label(ind, lang), None), *_indicator_cells(row, lang),
                       (_num(row.now.expected), PERCENT), (done_when_text(ind, lang) or None, None),
                       (said or None, None)])
    ws = _sheet(wb, _("Indicators"), headers, table.rows, max_width=36, status_col=9,
                right=(6, 7, 8, 10, 11, 12, 13, 14, 15, 17), cell_formats=table.formats)
    ws.freeze_panes = "D2"

    # ---- actions
    if any(blk.section.kind.value == "action" for blk in b.sections):
        headers = ([_("action"), _("indicators")]) + [status_label(k, lang) for k in STATUS_ORDER]
        data = [[action_title(blk.section, lang), len(blk.rows)] + [blk.summary[k] for k in STATUS_ORDER]
                for blk in b.sections if blk.section.kind.value == "action"]
        _sheet(wb, kind_heading(b.plan, "action", lang), headers, data, [None] + [INTEGER] * (len(STATUS_ORDER) + 1), landscape=False)

    # ---- lagging and behind
    headers = [_("rank"), _("id"), _("indicator"), _("status"), _("unit"), _("target"), _("actual"), _("completion"),
               _("expected by now"), _("short by (points)"), _("to go"), _("needed per month")]
    table = Cells()
    for n, row in enumerate(b.attention, start=1):
        p = row.now
        cells = _indicator_cells(row, lang)
        lag = _num(p.lag_pp, 4)
        table.add([(n, INTEGER), (p.indicator.id, None), (name_of(p.indicator, lang), None),
                   (status_label(p.status.value, lang), None), cells[0], cells[1], cells[2], cells[3],
                   (_num(p.expected), PERCENT),
                   (lag, number_format(lag, points=True) if lag is not None else None), cells[9], cells[10]])
    ws = _sheet(wb, _("Lagging and behind"), headers, table.rows, status_col=4, right=(1, 6, 7, 8, 9, 10, 11, 12),
                cell_formats=table.formats)
    if table.rows:
        footnote(ws, len(table.rows) + 3, attention_footnote(b, lang), len(headers))
    else:  # an empty sheet says so, as the markdown bulletin does
        footnote(ws, 2, _("No indicator is lagging or behind at the month end."), len(headers))

    # ---- the counties: each county's standing at the month end
    if b.by_county:
        headers = [_("id"), _("indicator"), _("county-level unit"), _("unit"), _("target"), _("actual"),
                   _("completion"), _("status"), _("share of the city total"), _("figure as of")]
        table = Cells()
        for ind_id, cells in b.by_county.items():
            ind = b.plan.by_id[ind_id]
            scale = natural_scale(max((abs(p.actual) for p in cells.values() if p.actual is not None), default=0))
            scale = 1 if ind.is_percent or ind.measure.value == "counties" else scale
            digits = 2 if scale > 1 else 1
            unit = _unit_shown(ind, scale, lang)
            suffix = "%" if ind.is_percent else unit
            for county, p in cells.items():
                # a county's row of a counties indicator is its state: the target is the city's count
                target = None if ind.measure.value == "counties" else _scaled(p.target, scale)
                actual, actual_fmt = (_amount(p.actual, ind, scale, lang) if p.actual is not None else
                                      (state_label(p.state.value, lang) if p.state is not None else None, None))
                table.add([(ind_id, None), (name_of(ind, lang), None), (county, None), (unit, None),
                           (target, number_format(target, suffix, prefix=comparator_mark(ind), digits=digits))
                           if target is not None else (_("no county target") if p.actual is not None and ind.target
                                                       is not None and ind.measure.value != "counties" else None, None),
                           (actual, actual_fmt),
                           (_num(p.done_share), share_format(p.done_share)), (status_label(p.status.value, lang), None),
                           (_num(p.share_of_city), share_format(p.share_of_city)), (p.as_of_figure, DATE)])
        ws = _sheet(wb, _("By county"), headers, table.rows, max_width=36, status_col=8, right=(5, 6, 7, 9),
                    cell_formats=table.formats)
        ws.freeze_panes = "D2"
        notes = county_notes(b, lang)
        for k, text in enumerate(notes):
            footnote(ws, len(table.rows) + 3 + k, text, len(headers))

    # ---- what was received this month, and the audit trail
    headers = ["#", _("indicator id"), _("indicator"), _("county-level unit"), _("as of"), _("value"), _("remarks"),
               _("source"), _("by"), _("recorded at")]
    data = [[rec.entry.id, rec.entry.indicator, _ind_name(b, rec.entry.indicator, lang), unit_name(rec.entry.county, lang),
             rec.entry.as_of, entry_value(rec, b.plan, lang), remark(rec, lang), rec.entry.source or None, rec.entry.by,
             rec.entry.recorded_at.isoformat()] for rec in b.figures]
    ws = _sheet(wb, _("Recorded"), headers, data, [INTEGER, None, None, None, DATE, None, None, None, None, None],
                right=(6,))
    for r in range(2, len(data) + 2):  # figures as people write them (3.5万, 56%): text, read like numbers
        ws.cell(row=r, column=6).alignment = Alignment(horizontal="right", vertical="top")
    kinds = {k: _(v) for k, v in KIND_OF_ENTRY.items()}
    headers = ["#", _("indicator id"), _("indicator"), _("county-level unit"), _("as of"), _("value"), _("kind"),
               _("remarks"), _("by"), _("recorded at")]
    data = [[rec.entry.id, rec.entry.indicator, _ind_name(b, rec.entry.indicator, lang), unit_name(rec.entry.county, lang),
             rec.entry.as_of, entry_value(rec, b.plan, lang), kinds[rec.kind], remark(rec, lang), rec.entry.by,
             rec.entry.recorded_at.isoformat()] for rec in b.audit]
    ws = _sheet(wb, _("Corrections and voids"), headers, data,
                [INTEGER, None, None, None, DATE, None, None, None, None, None], right=(6,))
    if not data:
        footnote(ws, 2, _("No figure of the month was corrected or voided."), len(headers))

    # ---- silent counties
    headers = [_("reporting unit"), _("missing"), _("owed this month"), _("indicators")]
    data = [[unit_name(s.county, lang), len(s.indicators), s.owed, silent_names(s.indicators, b.plan, lang)]
            for s in b.silent]
    _sheet(wb, _("Silent counties"), headers, data, [None, INTEGER, INTEGER, None], max_width=80)

    # ---- by lead unit
    if b.leads:
        _sheet(wb, _("Lead units"), lead_headers(lang), lead_rows(b, lang),
               [None] + [INTEGER] * (len(STATUS_ORDER) + 1) + [None], max_width=60)

    # ---- completed this month
    headers = [_("kind"), _("id"), _("indicator"), _("figure as of")]
    data = [[_("milestone"), r.indicator.id, name_of(r.indicator, lang), r.now.as_of_figure]
            for r in b.milestones_done]
    data += [[_("target"), r.indicator.id, name_of(r.indicator, lang), r.now.as_of_figure]
             for r in b.targets_met]
    ws = _sheet(wb, _("Completed"), headers, data, [None, None, None, DATE], landscape=False)
    if not data:
        footnote(ws, 2, _("No milestone or target was completed this month."), len(headers))

    # ---- data quality, as the bulletin gives it: the first findings about figures, then where the rest is
    from .bulletin_text import quality_more, quality_sentence
    from .words import finding_refs, rule_label

    headers = [_("rule"), _("rule id"), _("id"), _("indicator"), _("county-level unit"), _("entries"), _("as of"),
               _("finding")]
    data = [[rule_label(f.rule, lang), f.rule, f.indicator, name_of(b.plan.by_id[f.indicator], lang),
             unit_name(f.county, lang), finding_refs(f, lang) or None, f.as_of, f.message.render(lang)]
            for f in b.quality.listed]
    more = quality_more(b, lang)
    data += [[None] * 7 + [line] for line in (quality_sentence(b, lang),
                                              f"{more[0]}{gap_after(more[0])}{more[1]}" if more else None) if line]
    _sheet(wb, _("Data quality"), headers, data, [None, None, None, None, None, None, DATE, None], max_width=80)

    stamp = dt.datetime(b.as_of.year, b.as_of.month, b.as_of.day)
    return workbook_bytes(wb, stamp)


def _ind_name(b: Bulletin, indicator: str, lang: str) -> str:
    ind = b.plan.indicator(indicator)
    return name_of(ind, lang) if ind else indicator


# --------------------------------------------------------------------------- the template


def template(doc: TemplateDoc, lang: str, opts=None) -> bytes:
    """The fill-in workbook: a title, one date cell for the sheet (and a county's sheet's unit),
    then a row per indicator with its last figure in the value column to update."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from . import sheet_cells

    _ = gettext(lang)
    plan = doc.plan
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = sheet_cells.title(doc, lang)
    ws = wb.create_sheet(sheet_title(wb, _("Figures")))
    input_fill = PatternFill("solid", fgColor=INPUT_FILL)
    off_fill = PatternFill("solid", fgColor="EDEDED")
    width = len(doc.columns)

    put(ws, 1, 1, sheet_cells.title(doc, lang)).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    top = sheet_cells.top_block(doc, lang)
    for r, (label, value, meaning) in enumerate(top, start=2):
        put(ws, r, 1, label).font = Font(bold=True)
        cell = put(ws, r, 2, value, DATE if r == 2 else None)
        if r == 2:  # the sheet's date: the one cell to check before sending
            cell.fill = input_fill
            cell.font = Font(bold=True)
        put(ws, r, 3, meaning).font = Font(color="555555")
        ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=width)
    dates = DataValidation(type="date", operator="between", allow_blank=False, showErrorMessage=True,
                           formula1=f"DATE({plan.plan.start.year},{plan.plan.start.month},{plan.plan.start.day})",
                           formula2=f"DATE({plan.plan.end.year},{plan.plan.end.month},{plan.plan.end.day})")
    dates.add("B2")
    ws.add_data_validation(dates)

    head_row = 5
    thin = Side(style="thin", color="C9D3DD")
    for c, column in enumerate(doc.columns, start=1):
        cell = put(ws, head_row, c, _(column.header))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B45F06" if column.input else HEADER_FILL)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cell.border = Border(bottom=thin)
    ws.row_dimensions[head_row].height = 30
    widths = [_width(_(c.header)) for c in doc.columns]
    for r, row in enumerate(doc.rows, start=head_row + 1):
        values = sheet_cells.cells(doc, row, lang)
        for c, (column, value) in enumerate(zip(doc.columns, values), start=1):
            cell = put(ws, r, c, value)
            if column.field in ("value", "added"):
                cell.number_format = "@"  # keep "3.5万", "56%", "12000/21000" as typed
            if column.input:
                cell.fill = input_fill if column.field != "added" or row.takes_increment else off_fill
            cell.alignment = Alignment(vertical="top", wrap_text=column.header == "how to fill it in")
            widths[c - 1] = max(widths[c - 1], min(_width(value), 40))
    last = head_row + len(doc.rows)
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(8, w + 2)
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width, _width(top[0][0]) + 2, 14)
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width, 14)
    fields = [c.field for c in doc.columns]
    if "county" in fields:
        letter = get_column_letter(fields.index("county") + 1)
        counties = DataValidation(type="list", formula1='"' + ",".join(plan.plan.counties) + '"', allow_blank=True,
                                  showErrorMessage=True)
        counties.add(f"{letter}{head_row + 1}:{letter}{last}")
        ws.add_data_validation(counties)
    ws.freeze_panes = f"C{head_row + 1}"
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    notes = wb.create_sheet(sheet_title(wb, _("How to fill it in")))
    lines = [
        msg("{plan}: figures to import", plan=plan.plan.title if lang == "zh" else (plan.plan.title_en or plan.plan.title)),
        msg("Check the date at the top: every figure on the sheet is as of it (the month end by default)."),
        msg("The value column holds each unit's last figure: change the ones that changed; leave the rest."),
        msg("Flows: the cumulative total to date in the value column, or this month's increase in the added this "
            "month column (then leave the value as it is); each is recorded as what it is."),
        msg("Levels: a percentage or numerator/denominator; milestones and a county's state: done / in-progress / "
            "not-started (完成 / 进行中 / 未开始)."),
        msg("Rows with an empty value are not imported; leave the other columns as they are."),
        msg("Import it with: eduplan import THIS-FILE.xlsx --dry-run to check, then again without --dry-run."),
    ]
    for r, line in enumerate(lines, start=1):
        put(notes, r, 1, line.render(lang))
    notes["A1"].font = Font(bold=True, size=13)
    notes.column_dimensions[get_column_letter(1)].width = 110
    stamp = dt.datetime(plan.plan.start.year, plan.plan.start.month, plan.plan.start.day)
    return workbook_bytes(wb, stamp)
