"""Importing figures from a spreadsheet (.csv or .xlsx), all or nothing.

* reading: :mod:`eduplan.store.sheets` turns the file into a header and raw cells, within
  bounds;
* checking: :func:`check_sheet` turns a sheet into entries to write, or every problem,
  naming the row as a spreadsheet shows it (the header is row 1) and the column. Every
  figure goes through the same reader and rules as ``eduplan record``;
* writing: every entry in one append (one lock, one write), each carrying ``batch`` (the
  SHA-256 of the file's bytes) and ``batch_size``, so that importing the same file twice is
  refused unless forced, and an import a crash cut short is recognised and removed by
  ``eduplan repair``.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from ..core.receipts import ImportRowDoc, ImportSummary, Taken
from ..core.entries import Figure, is_baseline, kind_word, read_figure, value_problems
from ..core.models import Entry, Indicator, Measure, Plan
from ..core.names import find_county, find_indicator, unit_called, units_named, who_records
from ..core.numbers import (
    NumberError,
    Period,
    date_hint,
    example_day,
    format_number,
    parse_date,
    parse_quantity,
    parse_state,
    to_plain,
)
from ..core.records import record
from ..core.rules import (OVERRIDABLE, Finding, accepted_before, figure_findings, figure_of, overlaid, parts_findings,
                          rollup_advice_of, rule_tag, same_figure, series_findings, summable, triage)
from ..core.text import check_text
from ..errors import EduplanError, Problem, ProblemsError
from ..i18n import DEFAULT_TERMS, Flag, Msg, Terms, msg, nmsg
from ..store.appending import append_entries
from ..store.ledger import LedgerView
from ..store.sheets import MAX_CELL_CHARS, Cell, Sheet, column_letter, read_file
from .sheet_contract import (
    EMPTY_COUNTY,
    FIELDS,
    REQUIRED,
    SHEET_FIELDS,
    accepted_names,
    field_of,
    is_county_target,
    shown_only,
    shows_baseline,
)
from .workspace import Workspace, check_date


def _text(value: Cell, percent: bool = False) -> str:
    """A cell as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):  # a logical cell, as Excel and WPS show it
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value != round(value) and abs(value - round(value)) < 1e-9:
            value = float(round(value))  # a formula's rounding residue (0.1+0.2-0.3): the cell shows 0
        # a spreadsheet keeps 15 significant digits, and shows no more: 0.1+0.2 is 0.3 there, not 0.30000000000000004
        number = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
        if percent:
            number *= 100
        text = format(number, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text + ("%" if percent else "")
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


def _said(value: Cell) -> str:
    """A cell above the table as it reads: a date cell as its day (2023-06-30, not its midnight)."""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return _text(value)


# what a spreadsheet shows in a cell whose formula failed
EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                "#GETTING_DATA")


def _not_a_figure(value: object) -> Msg | None:
    """Why a figure's cell holds no figure, where it holds a date, a time or a duration (what a
    spreadsheet makes of 2/3, 3-5 or 13:00 typed into a cell, or of a template's 2/3 opened
    from CSV), or a formula's error (#DIV/0!, read whole, not as a ratio); else None."""
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        shown = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)
        return msg("the cell holds a date or a time ({shown}), not a figure: a spreadsheet makes one of 2/3 or 3-5 "
                   "typed in a cell; format the cell as text and type the figure again", shown=shown)
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        return msg("the cell shows {error}, the error of a formula, not a figure: correct the formula or type the "
                   "figure", error=value.strip())
    return None


def _date(value: Cell, period: Period) -> dt.date:
    """A cell's date: a spreadsheet date, or a text read like ``--as-of`` (6月底: in the plan period)."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise NumberError(msg("'{text}' has a time of day; write the date only ({example})",
                                  text=value.isoformat(sep=" "), example=example_day(period)))
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):  # only 20230630 typed as a number is a date
        if isinstance(value, bool) or not float(value).is_integer() or not 10000101 <= value <= 99991231:
            raise NumberError(msg("'{text}' is not a date ({hint})", text=_text(value), hint=date_hint(period)))
        return parse_date(str(int(value)), period)
    text = str(value)
    midnight = _MIDNIGHT.match(text.strip())
    if midnight:  # a date cell written out with its time by a spreadsheet's CSV (2023/6/30 0:00)
        return parse_date(midnight[1], period)
    return parse_date(text, period)


# a date followed by midnight, as Excel writes a date cell into CSV (2023/6/30 0:00, 2023-06-30 00:00:00)
_MIDNIGHT = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[ T]0{1,2}:00(?::00(?:\.0+)?)?$")


def map_columns(header: tuple[Cell, ...], file: str, line: int = 1, sheet_fields: Mapping[str, object] = {},
                terms: Terms = DEFAULT_TERMS) -> tuple[dict[str, int], list[Problem]]:
    """Which column holds which field; problems (on the header's row) for missing or doubled columns.
    The date may instead be given once for the sheet, above the header. A missing column's
    problem has no column label: its message names the column, in the reader's language."""
    found: dict[str, int] = {}
    problems: list[Problem] = []
    for i, name in enumerate(header):
        field = field_of(name, terms)
        if field is None:
            continue
        if field in found:
            if not FIELDS[field].input and not FIELDS[field].required:
                continue  # a column read only to recognise what a template wrote: the first one is enough
            problems.append(Problem(file, line, msg("a second column for {field} (after '{first}'); keep one",
                                                    field=msg(FIELDS[field].header), first=str(header[found[field]])),
                                    field=str(name)))
            continue
        found[field] = i
    for field in REQUIRED:
        if field not in found:
            problems.append(Problem(file, line, msg("no column for {field} (name it {names})",
                                                    field=msg(FIELDS[field].header),
                                                    names=" / ".join(accepted_names(field)))))
    if "as_of" not in found and "as_of" not in sheet_fields:
        problems.append(Problem(file, line, msg("no column for {field} (name it {names}), and no date above the table "
                                                "(截至日期 and the date in the cell beside it)",
                                                field=msg(FIELDS["as_of"].header),
                                                names=" / ".join(accepted_names("as_of")))))
    return found, problems


HEADER_SEARCH = 20  # rows in which import looks for the header row


@record(slots=False)
class Located:
    """Where the table starts, and what the cells above it give for the whole sheet."""

    sheet: Sheet  # the header row and the rows under it
    first_line: int  # the spreadsheet row of the header (1 for a sheet whose first row is the header)
    fields: dict[str, tuple[Cell, int, str]]  # field → (value, spreadsheet row, label as written)
    # a field given again above the table with another value: (label, value, row) of the second
    again: tuple[tuple[str, str, Cell, int], ...] = ()
    # the other label/value pairs above the table: (label as written, value, spreadsheet row)
    unknown: tuple[tuple[str, str, int], ...] = ()
    above: tuple[tuple[str, int], ...] = ()  # every text above the table: (text, spreadsheet row)


def locate(sheet: Sheet, terms: Terms = DEFAULT_TERMS) -> Located:
    """The header row: the first row (of the first :data:`HEADER_SEARCH`) naming an indicator and a
    value column (else the first naming one of them, so that only the column really missing is
    named); the rows above it as label/value pairs (截至日期 | 2023-06-30). A sheet whose header
    is row 1 is read as it always was."""
    rows = (sheet.header, *sheet.rows)
    named = [{field_of(c, terms) for c in row if c is not None} for row in rows[:HEADER_SEARCH]]
    at = next((i for i, fields in enumerate(named) if {"indicator", "value"} <= fields),
              # else the first naming one of them: the header, its problems said on its row
              next((i for i, fields in enumerate(named) if fields & {"indicator", "value"}), 0))
    fields: dict[str, tuple[Cell, int, str]] = {}
    again: list[tuple[str, str, Cell, int]] = []
    unknown: list[tuple[str, str, int]] = []
    above: list[tuple[str, int]] = []
    for i, row in enumerate(rows[:at]):
        cells = list(row)
        above.extend((text, i + 1) for c in cells if (text := _text(c)))
        for k, label in enumerate(cells[:-1]):
            field = field_of(label, terms) if isinstance(label, str) else None
            if field in SHEET_FIELDS and field not in fields:
                fields[field] = (cells[k + 1], i + 1, str(label).strip())
            elif field in SHEET_FIELDS and _said(cells[k + 1]) != _said(fields[field][0]):
                again.append((field, str(label).strip(), cells[k + 1], i + 1))
            elif field is None and isinstance(label, str) and label.strip() and _text(cells[k + 1]):
                unknown.append((label.strip(), _text(cells[k + 1]), i + 1))
    if at == 0:
        return Located(sheet, 1, fields)
    percent = frozenset((r - at, c) for r, c in sheet.percent_cells if r - at >= 0)
    return Located(Sheet(rows[at], tuple(rows[at + 1:]), percent, sheet.encoding, sheet.marks, sheet.name), at + 1,
                   fields, tuple(again), tuple(unknown), tuple(above))


def _holds_a_table(rows: Sequence[Sequence[Cell]], terms: Terms) -> bool:
    """Do these rows (a worksheet's first) hold a header import reads: an indicator and a value column?"""
    return any({"indicator", "value"} <= {field_of(c, terms) for c in row if c is not None} for row in rows)


def _unit_in(plan: Plan, text: str) -> str | None:
    """The unit a text above a table names: its very name or short form, else the first unit whose
    name it holds (数据填报表 · 椒江区)."""
    counties = plan.plan.counties
    exact = [u for u in units_named(text, plan.plan.city, counties, plan.terms.whole) if u is not None]
    return exact[0] if exact else next((c for c in counties if c in text), None)


def _above_disagrees(located: Located, plan: Plan, file: str, unit: str | None) -> list[Problem]:
    """What the cells above the table say against each other: a date or a unit given twice with two
    values (the first would count, silently), and a title naming another unit than the sheet's
    (another unit's template, its figures prefilled, with only the unit's cell changed: every
    figure left as it was would be booked to the wrong unit; 全市 written there says the figures
    are the city's, as the sheet then asks)."""
    out = [Problem(file, line, msg("given again above the table as {value}, but row {first} gives {given}: keep one",
                                   value=_said(value), first=located.fields[field][1],
                                   given=_said(located.fields[field][0])), field=label)
           for field, label, value, line in located.again]
    given = located.fields.get("county")
    if out or unit is None or given is None or not located.above:  # (全市 there says the figures are the city's)
        return out
    title, line = located.above[0]
    named = _unit_in(plan, title) if line < given[1] else None
    if named is not None and named != unit:
        out.append(Problem(file, given[1], msg(
            "the sheet is {unit}'s, but its title '{title}' (row {line}) names {other}: a sheet made for {other}, with "
            "{other}'s figures filled in? Fill {unit}'s own sheet, or write the title for {unit}",
            unit=unit_called(unit), title=title, line=line, other=named), field=given[2]))
    return out


def _unit_unsaid(located: Located, plan: Plan, file: str, first: int) -> list[Problem]:
    """A sheet that gives no unit, above the table or in a column, is read as the city-wide
    one. Where it shows it is a unit's, its figures would silently become the city-wide ones;
    refused instead, naming where it says so: a unit under a heading import does not know
    (乡镇 | 西山乡, 区县 | 椒江区, 单位 | 椒江区教育局); else a unit's name in a title or a cell
    above the table (填表单位：椒江区; a template's title after its unit's row was deleted or
    emptied); else the column of a unit's own target, which only a unit's template has. An
    empty unit row is said at that row: 全市 there says the figures are the city's."""
    out: list[Problem] = []
    counties = plan.plan.counties
    heading = Msg(FIELDS["county"].header)
    whole = unit_called(None)
    empty_row = located.fields.get("county")

    if empty_row is None:
        for label, value, line in located.unknown:
            if _unit_in(plan, value) is not None:
                out.append(Problem(file, line, msg(
                    "'{label}' is not a heading import knows, so '{value}' would be ignored and the sheet's figures "
                    "read as {whole}; to give the sheet's unit, head it {names}", label=label, value=value,
                    whole=whole, names=heading), field=label))
    sheet = located.sheet
    for col, head in enumerate(sheet.header):  # a column of units under a heading import does not know (镇街, 街道)
        if head is None or not _text(head) or field_of(head, plan.terms) is not None:
            continue
        named = [(k, text) for k, row in enumerate(sheet.rows)  # a unit's very name (not one a remark mentions)
                 if col < len(row) and (text := _text(row[col]))
                 and any(u is not None for u in units_named(text, plan.plan.city, counties, plan.terms.whole))]
        if named:
            k, text = named[0]
            out.append(Problem(file, first + 1 + k, msg(
                "'{label}' is not a heading import knows, so the units in its column ('{value}' …) would be ignored "
                "and every row read as {whole}; head the column {names}", label=_text(head), value=text, whole=whole,
                names=heading), field=_text(head)))
    if out:
        return out
    said = next(((text, line, unit) for text, line in located.above if (unit := _unit_in(plan, text)) is not None), None)
    if said is not None:
        text, line, unit = said
        why = msg("'{text}' (row {line}) names {unit}", text=text, line=line, unit=unit)
    elif any(is_county_target(h) for h in located.sheet.header):
        why = msg("the sheet has a column of county targets, which only a unit's sheet has")
    else:
        return out
    if empty_row is not None:
        _, line, label = empty_row
        out.append(Problem(file, line, msg("empty, so the sheet's figures would be read as {whole}, but {why}: write "
                                           "the unit's name here, or {typed} if the figures are city-wide",
                                           whole=whole, why=why, typed=plan.terms.whole), field=label))
    else:
        out.append(Problem(file, line if said is not None else first, msg(
            "the sheet gives no unit, so its figures would be read as {whole}, but {why}: add a row {names} | the "
            "unit's name above the table", whole=whole, why=why, names=heading)))
    return out


def _cell_at(sheet: Sheet, index: int, col: int) -> Cell:
    row = sheet.rows[index] if 0 <= index < len(sheet.rows) else ()
    return row[col] if col < len(row) else None


def unreadable(sheet: Sheet, columns: Mapping[str, int], first: int, file: str) -> list[Problem]:
    """Cells that cannot be read as they stand (:class:`eduplan.store.sheets.Mark`), where
    they matter, as problems naming the cell: an over-long cell above the table or in a column
    import reads; a formula saved without its result (a script wrote it, no spreadsheet
    computed it) in a column import reads or above the table; a number whose format adds 万
    or 亿 in such a column; cells merged across rows above the table (the county or the date
    under the first row would read as empty: a county's sheet imported as the city's), or in
    such a column (every row but the first would read as empty). Each would otherwise make a
    figure disappear or change silently."""
    read = set(columns.values())
    header = sheet.header

    def label(col: int, row: int) -> str | None:
        if row <= first:  # above the table, or the header itself
            return None
        name = header[col] if 0 <= col < len(header) else None
        return str(name).strip() if name is not None and str(name).strip() else column_letter(col)

    out: list[Problem] = []
    for m in sorted(sheet.marks, key=lambda m: (m.row, m.col)):  # a row's problems in column order
        if m.kind == "long" and (m.row <= first or m.col in read):  # (a column import ignores is never read)
            out.append(Problem(file, m.row, msg("cell {cell} is longer than {n} characters; shorten it",
                                                cell=m.ref, n=MAX_CELL_CHARS), field=label(m.col, m.row)))
        elif m.kind == "formula" and (m.row < first or m.col in read):
            out.append(Problem(file, m.row, msg("cell {cell} holds a formula saved without its result; open the file "
                                                "in Excel or WPS, save it, and import it again", cell=m.ref),
                               field=label(m.col, m.row)))
        elif m.kind == "scaled" and m.row > first and m.col in read:
            out.append(Problem(file, m.row, msg("cell {cell} shows its number with 万 or 亿 that its format adds (the "
                                                "cell holds {value}, not what it shows): type the figure with 万 or 亿 "
                                                "in it (12万, or 120000) in a cell without such a format",
                                                cell=m.ref, value=_text(_cell_at(sheet, m.row - first - 1, m.col))),
                               field=label(m.col, m.row)))
        elif m.kind == "merged" and (m.row < first or m.last_row > first and read & set(range(m.col, m.last_col + 1))):
            above = m.row < first  # the top block: the county or the date would read as empty
            out.append(Problem(file, m.row if above else max(m.row, first + 1), msg(
                "cells {cells} are merged across rows, so the rows under the first would be read as empty; "
                "unmerge them, give each row its own value, and import again", cells=m.ref),
                field=None if above else label(m.col, first + 1)))
        elif m.kind == "hidden row":  # of the table, giving a figure (a row without one is skipped)
            k = m.row - first - 1
            if any(_text(_cell_at(sheet, k, columns[f])) for f in ("value", "added") if f in columns):
                out.append(Problem(file, m.row, msg(
                    "row {row} is hidden, and what it holds would be imported without anyone seeing it: unhide it, "
                    "check it, and import again", row=m.row), field=None))
        elif m.kind == "hidden columns":  # any of them that import reads, holding anything under the header
            for col in sorted(read & set(range(m.col, m.last_col + 1))):
                if any(_text(_cell_at(sheet, k, col)) for k in range(len(sheet.rows))):
                    out.append(Problem(file, first + 1, msg(
                        "column {column} ({header}) is hidden, and what it holds would be imported without anyone "
                        "seeing it: unhide it, check it, and import again", column=column_letter(col),
                        header=label(col, first + 1)), field=label(col, first + 1)))
    return out


_BARE_FIGURE = re.compile(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)%?")


def _bare(cell: Cell) -> bool:
    """A cell holding a figure and nothing else (``12``, ``3,000``, ``56%``)."""
    return (isinstance(cell, int | float) and not isinstance(cell, bool)) or bool(
        isinstance(cell, str) and _BARE_FIGURE.fullmatch(unicodedata.normalize("NFKC", cell).strip()))


def typed_where_not_read(sheet: Sheet, first: int, file: str) -> list[Problem]:
    """A bare figure in a column a template fills only to be read (上次填报, 分解目标, 目标): staff
    typed the new figure in the wrong cell. It is not imported; the row's 数值 (left as the last
    figure, or empty) would go in instead, or nothing, and the figure be lost without a word.
    Only in a column the template filled (other cells as it writes them: —, 12个（2023-06-30）,
    ≥12所): a sheet of one's own may have a column of targets as bare numbers."""
    out: list[Problem] = []
    for col, head in enumerate(sheet.header):
        if not shown_only(head):
            continue
        cells = [row[col] if col < len(row) else None for row in sheet.rows]
        if not any(_text(c) and not _bare(c) for c in cells):  # not the template's column
            continue
        for k, cell in enumerate(cells):
            if _bare(cell):
                out.append(Problem(file, first + 1 + k, msg(
                    "cell {cell} holds {value}, a figure, but import does not read this column (it shows what the "
                    "template knew): type the figure in {column}", cell=f"{column_letter(col)}{first + 1 + k}",
                    value=_text(cell), column=Msg(FIELDS["value"].header)), field=_text(head)))
    return out


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _corrected_since(figure: Figure, last_shown: str, ind_id: str, county: str | None, day: dt.date,
                     last_figure: Callable[[str, str | None, dt.date], Entry | None],
                     withdrawn_on: Callable[[str, str | None, dt.date], Sequence[Entry]]
                     ) -> tuple[Entry, Entry | None] | None:
    """A row left as a sheet made before a correction filled it: its figure is one the unit's 上次填报
    (dated, ``last_shown``) showed, which the ledger has since corrected or voided. (the figure
    withdrawn, what stands for that date now), else None."""
    found = _ISO_DAY.search(last_shown)
    if found is None:
        return None
    try:
        shown_day = dt.date.fromisoformat(found.group(0))
    except ValueError:
        return None
    if shown_day >= day:
        return None
    now_there = last_figure(ind_id, county, shown_day)
    if now_there is not None and same_figure(now_there, figure):
        return None  # the sheet's last figure stands: left as it was, it is the unit's figure
    old = next((e for e in withdrawn_on(ind_id, county, shown_day) if same_figure(e, figure)), None)
    return None if old is None else (old, now_there)


def _shown_figure(ind: Indicator, shown: str, county: str | None, counties: int, units: str) -> tuple[dt.date, Figure] | None:
    """The figure and date a 上次填报 cell shows as a template writes it (``2所（2023-05-31）``,
    ``50%（5000/1万）（2023-05-31）``, ``完成（2023-05-31）``), None for anything else (a baseline, a
    cell typed over)."""
    found = _ISO_DAY.search(shown)
    if found is None or shows_baseline(shown):
        return None
    head = re.split(r"[（(]", shown, maxsplit=1)[0].strip()
    try:
        day = dt.date.fromisoformat(found.group(0))
        return day, read_figure(ind, head, county=county, counties=counties, units=units)
    except (ValueError, NumberError):
        return None


def _shows(shown: Figure, e: Entry | Figure) -> bool:
    """Is this the figure a 上次填报 cell shows? A ratio's share is shown to its first decimal or so
    (``57.1%`` for 12000/21000), any other figure exactly."""
    if shown.state is not None or e.state is not None:
        return shown.state == e.state
    if shown.value is None or e.value is None:
        return False
    if e.numerator is not None or shown.counties is not None:
        return abs(shown.value - e.value) <= 0.05 + 1e-9
    return shown.value == e.value


def _shown_for_another(ind: Indicator, figure: Figure, shown: str, county: str | None, counties: int, units: str,
                       last_figure: Callable[[str, str | None, dt.date], Entry | None]
                       ) -> tuple[dt.date, Entry | None] | None:
    """A row left as a sheet made for another unit filled it: its figure is the one its 上次填报
    shows, as of a day on which this row's unit had another figure, or none. (That day, this
    unit's figure then), else None."""
    read = _shown_figure(ind, shown, county, counties, units)
    if read is None:
        return None
    day, shown_figure = read
    if not _shows(shown_figure, figure):
        return None  # a figure typed anew: the unit's own, whatever the sheet showed before
    there = last_figure(ind.id, county, day)
    if there is None or there.as_of != day:
        return day, None
    return None if _shows(shown_figure, there) else (day, there)


@record(slots=False)
class Checked:
    rows: tuple[ImportRowDoc, ...]
    problems: tuple[Problem, ...]
    skipped: int  # rows with an empty value
    unchanged: int = 0  # rows giving the unit's last figure again, as of a later date
    repeated: int = 0  # rows giving a figure the ledger already has for that date (not recorded)


def rule_problems(findings: list[Finding], accept: bool | Iterable[str], file: str, row: int,
                  column: str) -> tuple[list[Problem], tuple[str, ...]]:
    """A row's findings as problems (``FILE:ROW: column: message [rule]``), and the rule ids
    accepted over a warning."""
    errors, refused, accepted = triage(findings, accept)
    problems = [Problem(file, row, msg("{message} [{rule}]", message=f.message, rule=rule_tag(f.rule)), field=column,
                        kind=f.rule) for f in errors + refused]
    return problems, accepted


def check_sheet(plan: Plan, sheet: Sheet, *, file: str, today: dt.date, by: str, now: dt.datetime,
                latest_at: Callable[[dt.date], Mapping[tuple[str, str | None], Entry]] | None = None,
                units: tuple[str | None, ...] | None = None,
                accept: bool | Iterable[str] = False, again: Sequence[Entry] = (),
                kept: Sequence[Entry] = (),
                withdrawn_on: Callable[[str, str | None, dt.date], Sequence[Entry]] | None = None) -> Checked:
    """Every row read and checked: the entries to record (ids from 1, no batch yet), or every
    problem. Rows with no value are skipped.

    A figure is recorded as what it is: the value column as a total (or level, state), the
    本月新增 column as an increment. A row may carry both only when the value is the unit's last
    figure (``latest_at``: the ledger's figures as of a day) — the template put it there — or
    that figure plus the increment. A row giving a total (or level, state) the ledger already
    has for that very date is skipped (counted in ``repeated``), ``--force`` or not: it would
    add nothing; so is, with ``--force``, an increment this very file recorded for that date that
    still stands or was corrected (importing the file again never adds its increments twice;
    one voided is recorded again). ``units``: in a ledger folder, the only units the importing office reports.
    ``again``: the entries an earlier import of this very file wrote (``--force``): a row's
    last figure is then the one before them, as when the file was first imported. ``kept``:
    the entries of that import that stand, as written or corrected since (not voided): an
    increment among them is not added again.

    A baseline (an entry dated before the plan period, ``eduplan baseline``) is never a row's
    last figure: a figure of the period equal to it is a new figure, not one left unchanged,
    and an increment does not add to it.

    The data-quality rules about a figure as typed apply here (a warning accepted with
    ``accept`` is named in the entry's ``accepted``); the rules that compare it with the ledger
    are :func:`check_series`."""
    if sheet.opened_on is not None and _holds_a_table(sheet.opened_on[1], plan.terms):
        name = sheet.opened_on[0]
        return Checked((), (Problem(file, None, msg(
            "the workbook opens on worksheet '{shown}', which holds a table too, but import reads the first worksheet, "
            "'{first}': move '{shown}' to the front (or delete the worksheet not to import) and import again",
            shown=name, first=sheet.name)),), 0)
    located = locate(sheet, plan.terms)
    sheet, first = located.sheet, located.first_line
    columns, problems = map_columns(sheet.header, file, first, located.fields, plan.terms)
    if problems and sheet.name is not None:  # which worksheet was read: the first, maybe not the one meant
        problems = [dataclasses.replace(p, message=msg("worksheet '{sheet}' (import reads the first worksheet): "
                                                       "{problem}", sheet=sheet.name, problem=p.message))
                    for p in problems]
    problems += unreadable(sheet, columns, first, file)
    problems += typed_where_not_read(sheet, first, file)
    if problems and not columns and sheet.encoding != "utf-8":
        # nothing recognisable at all in a file that was not UTF-8: the encoding was a guess, and wrong
        raise EduplanError(msg("the file is not text in a known encoding (UTF-8, UTF-16 or GB18030); save it as "
                               "\"CSV UTF-8\" and import it again"))
    if problems:
        return Checked((), tuple(problems), 0)
    # what the sheet gives for every row: its date, its unit
    sheet_day: dt.date | None = None
    sheet_county: str | None = None
    for field, (value, line, label) in located.fields.items():
        try:
            if field == "as_of":
                if value is None or not _text(value):
                    raise EduplanError(msg("empty; write the date the figures are as of ({example})",
                                               example=example_day(plan.plan.period)))
                sheet_day = check_date(plan, _date(value, plan.plan.period), today=today)
            elif field == "county" and _text(value) not in EMPTY_COUNTY:
                sheet_county = find_county(plan, _text(value)).value
        except (NumberError, EduplanError) as exc:
            problems.append(Problem(file, line, exc.message, field=label))
    given = located.fields.get("county")
    if not problems:
        problems += _above_disagrees(located, plan, file, sheet_county)
    if (given is None or _text(given[0]) in EMPTY_COUNTY) and "county" not in columns and not problems:
        problems += _unit_unsaid(located, plan, file, first)
    if not problems and units is not None and "county" not in columns and sheet_county not in units:
        # the sheet's one unit is another office's: said once, where the sheet names it (not on every row)
        line, field = (given[1], given[2]) if given is not None else (first, None)
        problems.append(Problem(file, line, msg("this office reports {units}; {whose}",
                                                units=[unit_called(u) for u in units],
                                                whose=who_records(plan, sheet_county)), field=field))
    if problems:
        return Checked((), tuple(problems), 0)
    header = [str(h).strip() if h is not None else "" for h in sheet.header]
    label = {field: header[i] for field, i in columns.items()}
    label.update({f: located.fields[f][2] for f in located.fields if f not in label})
    rows: list[ImportRowDoc] = []
    seen: dict[tuple[str, str | None, dt.date], int] = {}
    skipped = unchanged = repeated = 0
    out_problems: list[Problem] = []
    figures_at: dict[dt.date, Mapping] = {}

    def latest_entry(ind_id: str, county: str | None, day: dt.date) -> Entry | None:
        if latest_at is None:
            return None
        if day not in figures_at:
            figures_at[day] = latest_at(day)
        return figures_at[day].get((ind_id, county))

    def last_figure(ind_id: str, county: str | None, day: dt.date) -> Entry | None:
        last = latest_entry(ind_id, county, day)
        return None if last is None or is_baseline(last, plan) else last  # a baseline is no figure of the period

    for index, cells in enumerate(sheet.rows):
        number = index + first + 1

        def cell(field: str) -> Cell:
            i = columns.get(field)
            return cells[i] if i is not None and i < len(cells) else None

        value_text = _text(cell("value"), (index, columns["value"]) in sheet.percent_cells)
        added_text = _text(cell("added"), False) if "added" in columns else ""
        if not value_text and not added_text:
            note = cell("note") if "note" in columns else None
            if _bare(note):  # the figure typed one cell too far: skipped, it would be lost without a word
                out_problems.append(Problem(file, number, msg(
                    "{value} in {column} is a figure, and {value_column} is empty: type the figure in {value_column} "
                    "(a note is not read as a figure)", value=_text(note), column=label["note"],
                    value_column=label["value"]), field=label["note"]))
                continue
            skipped += any(_text(c) for c in cells)  # a blank line is not a skipped row
            continue
        bad: list[Problem] = []

        def problem(field: str, message: Msg) -> None:
            bad.append(Problem(file, number, message, field=label.get(field, field)))

        ind = None
        key = _text(cell("indicator"))
        if not key:
            problem("indicator", msg("empty; write the indicator id (see `eduplan plan`)"))
        else:
            try:
                ind = find_indicator(plan, key).value
            except EduplanError as exc:
                problem("indicator", exc.message)
        county = sheet_county
        county_ok = True
        taken: list[Taken] = []
        county_text = _text(cell("county")) if "county" in columns else ""
        if county_text not in EMPTY_COUNTY:
            try:
                match = find_county(plan, county_text)
                county = match.value
                if not match.exact:
                    taken.append(Taken("county", match.typed, county or plan.terms.whole))
            except EduplanError as exc:
                county_ok = False
                problem("county", exc.message)
        if county_ok and units is not None and county not in units:
            county_ok = False
            problem("county" if "county" in columns else "value",
                    msg("this office reports {units}; {whose}", units=[unit_called(u) for u in units],
                        whose=who_records(plan, county)))
        day = sheet_day
        raw_day = cell("as_of")
        if raw_day is not None and _text(raw_day):
            try:
                day = check_date(plan, _date(raw_day, plan.plan.period), today=today)
            except (NumberError, EduplanError) as exc:
                day = None
                problem("as_of", exc.message)
        elif day is None:
            problem("as_of", msg("empty; write the date the figure is as of ({example})",
                                        example=example_day(plan.plan.period)))
        figure = None
        increment = None
        accepted: tuple[str, ...] = ()
        if ind is not None and county_ok and added_text and (why := _not_a_figure(cell("added"))) is not None:
            problem("added", why)
        elif ind is not None and county_ok and added_text:
            added = _increment(ind, added_text, problem)
            if added is not None:
                found, accepted = rule_problems(figure_findings(ind, plan, added, county=county, text=added_text),
                                                accept, file, number, label.get("added", "added"))
                bad.extend(found)
                increment = added.added
        if ind is not None and county_ok and value_text and ind.measure == Measure.COUNTIES and county is None \
                and parse_state(value_text) is not None:
            # a state without a county: record's advice is a flag (--county); on a sheet, it is the county column
            problem("value", msg("'{text}': {indicator} is judged county by county: give each county's state on a row "
                                 "of its own, with the county in the {column} column, or the city-wide {what} of "
                                 "counties as a number", text=value_text, indicator=ind.called,
                                 column=label.get("county") or msg(FIELDS["county"].header),
                                 what=msg("share") if ind.is_percent else msg("count")))
        elif ind is not None and county_ok and value_text and (why := _not_a_figure(cell("value"))) is not None:
            problem("value", why)
        elif ind is not None and county_ok and value_text:
            try:
                figure = read_figure(ind, value_text, county=county, counties=len(plan.plan.counties),
                                        units=plan.terms.units)
            except NumberError as exc:
                problem("value", exc.message)
            else:
                kind = value_problems(ind, plan, county=county, value=figure.value, state=figure.state,
                                      has_ratio=figure.numerator is not None)
                for _, message in kind:
                    problem("value", message)
                if not kind:
                    once = accepted_before(last_figure(ind.id, county, day), figure) if day is not None else frozenset()
                    found, more = rule_problems([f for f in figure_findings(ind, plan, figure, county=county,
                                                                            text=value_text) if f.rule not in once],
                                                accept, file, number, label["value"])
                    bad.extend(found)
                    accepted = tuple(dict.fromkeys(accepted + more))
        # this file's own increment, standing or corrected since: importing it again adds nothing
        imported = increment is not None and day is not None and any(
            e.added == increment and e.as_of == day and e.key() == (ind.id, county) for e in kept)
        if imported:
            figure = None  # skipped below, whatever the total beside it
        if increment is not None and figure is not None and day is not None and not bad:
            last = last_figure(ind.id, county, day)
            before = last.value if last is not None and last.value is not None else None
            before = 0 if before is None else before  # increments start from nothing (core.entries.fold_increments)
            before -= sum(e.added for e in again if e.key() == (ind.id, county) and e.added is not None
                          and e.as_of <= day)  # what this file added the first time
            if figure.value == before:
                figure = None  # the last figure, left as the template wrote it: the increment is the news
            elif figure.value is not None and abs(figure.value - (before + increment)) < 1e-9:
                figure = None  # the total and the increment agree: record what was added
            else:
                problem("added", msg("give the total to date or this month's increase, not two figures that disagree: "
                                     "{total} is not the last figure {last} plus {added}", total=value_text,
                                     last=format_number(before), added=added_text))
        texts = {}
        for field in ("note", "source"):
            try:
                texts[field] = check_text(_text(cell(field)), field) if field in columns else None
            except EduplanError as exc:
                problem(field, exc.message)
        if figure is not None and ind is not None and day is not None and not bad and "last" in columns:
            # an older template put the baseline in the value column: left as it was, it is no figure of the period
            base = latest_entry(ind.id, county, day)
            shown = _text(cell("last"))
            if base is not None and is_baseline(base, plan) and base.as_of.isoformat() in shown and \
                    not shows_baseline(shown) and same_figure(base, figure):
                problem("value", msg("{value} is the baseline (as of {day}) that an older template filled in, not a "
                                     "figure of the plan period; clear the cell, or type the figure as of {as_of} (if it is "
                                     "the same, also clear the {last} cell)", value=value_text, day=base.as_of,
                                     as_of=day, last=label["last"]))
        if figure is not None and ind is not None and day is not None and not bad and "last" in columns \
                and withdrawn_on is not None:
            stale = _corrected_since(figure, _text(cell("last")), ind.id, county, day, last_figure, withdrawn_on)
            if stale is not None:
                old, now_there = stale
                problem("value", msg(
                    "{value} is {ref} as of {day}, the last figure when the sheet was made ({last}), corrected since to "
                    "{now}: left as filled, it would bring it back; type the figure as of {as_of} (if {value} is right, "
                    "also clear the {last} cell)", value=value_text, ref=old.ref, day=old.as_of,
                    now=figure_of(now_there, ind) if now_there is not None else msg("nothing (voided)"), as_of=day,
                    last=label["last"]))
            else:
                other = _shown_for_another(ind, figure, _text(cell("last")), county, len(plan.plan.counties),
                                           plan.terms.units, last_figure)
                if other is not None:
                    shown_day, there = other
                    said = dict(value=value_text, last=label["last"], day=shown_day, unit=unit_called(county), as_of=day)
                    problem("value", msg(
                        "{value} is the figure the {last} cell shows as of {day}, but {unit} had {had} that day: "
                        "the sheet was filled for another unit; type {unit}'s figure as of {as_of} (if {value} is "
                        "right, also clear the {last} cell)", had=figure_of(there, ind), **said) if there is not None
                        else msg("{value} is the figure the {last} cell shows as of {day}, but {unit} had no figure that "
                                 "day: the sheet was filled for another unit; type {unit}'s figure as of {as_of} (if "
                                 "{value} is right, also clear the {last} cell)", **said))
        if ind is not None and day is not None and not bad:
            dup = seen.get((ind.id, county, day))
            if dup is not None:
                problem("value", msg("row {row} already gives {indicator} for {unit} as of {day}; keep one", row=dup,
                                     indicator=ind.called, unit=unit_called(county), day=day))
            seen.setdefault((ind.id, county, day), number)
        if bad:
            order = {label[f]: columns.get(f, -1) for f in label}
            out_problems.extend(sorted(bad, key=lambda p: order.get(p.field, -1)))
            continue
        assert ind is not None and day is not None
        if figure is None:  # an increment on the latest total
            if imported:
                repeated += 1
                continue
            entry = Entry(len(rows) + 1, ind.id, day, by, now, county=county, added=increment,
                          note=texts.get("note"), source=texts.get("source"), accepted=accepted)
            rows.append(ImportRowDoc(number, entry, added_text, tuple(taken)))
            continue
        entry = Entry(len(rows) + 1, ind.id, day, by, now, county=county, value=figure.value,
                      numerator=figure.numerator, denominator=figure.denominator, state=figure.state,
                      note=texts.get("note"), source=texts.get("source"), accepted=accepted)
        if figure.counties is not None:
            taken.append(Taken("value", value_text, format_number(figure.value, "%")))
        last = last_figure(ind.id, county, day)
        if last is not None and same_figure(last, entry):
            if last.as_of == day:  # already in the ledger, for this very date: nothing to add (--force or not)
                repeated += 1
                continue
            unchanged += 1  # recorded again as of this date: the unit says it has not changed
        rows.append(ImportRowDoc(number, entry, value_text, tuple(taken)))
    return Checked(tuple(rows), tuple(out_problems), skipped, unchanged, repeated)


def _increment(ind, text: str, problem: Callable[[str, Msg], None]) -> Figure | None:
    """This month's increase of an accumulating figure (with the word it was typed with, for
    the rules), or a problem."""
    if ind.measure != Measure.FLOW:
        problem("added", msg("only an accumulating figure can be added to; {indicator} is a {measure} indicator",
                             indicator=ind.called, measure=kind_word(ind)))
        return None
    try:
        q = parse_quantity(text)
    except NumberError as exc:
        problem("added", exc.message)
        return None
    if q.percent:
        problem("added", msg("{indicator} is measured in {unit}, not %", indicator=ind.called, unit=ind.unit))
        return None
    return Figure(added=to_plain(q.value), unit=q.unit, percent=q.percent, approx=q.approx)


def check_series(plan: Plan, view: LedgerView, rows: Sequence[ImportRowDoc], *, file: str, column: str,
                 first_id: int, accept: bool | Iterable[str] = False,
                 added_column: str | None = None) -> tuple[list[Problem], list[ImportRowDoc]]:
    """The rules that compare each row's figure with the ledger and with the rows above it
    (the same figure twice, a cumulative total that falls, far beyond the target). Returns the
    problems (named by ``column``, or ``added_column`` for an increment), and the rows with
    their ids (from ``first_id``) and every rule accepted."""
    series: dict[tuple[str, str | None], list[Entry]] = {}
    problems: list[Problem] = []
    out: list[ImportRowDoc] = []
    days: dict[tuple[str, str | None], list[dt.date]] = {}
    for r in rows:
        days.setdefault(r.entry.key(), []).append(r.entry.as_of)
    above: dict[int, int] = {}  # the ids the rows above this one would get → their spreadsheet rows
    for k, r in enumerate(rows):
        e = dataclasses.replace(r.entry, id=first_id + k, office=view.office)  # the file it goes to: its place in order
        key = e.key()
        if key not in series:  # what decides the findings of this unit's rows, not its whole history
            series[key] = view.series_around(*key, days[key])
        ind = plan.by_id[e.indicator]
        findings = [_naming_rows(f, above, view.office) for f in series_findings(ind, plan, e, series[key])]
        found, accepted = rule_problems(findings, accept, file, r.row,
                                        added_column if e.added is not None and added_column else column)
        problems.extend(found)
        e = dataclasses.replace(e, accepted=e.accepted + tuple(a for a in accepted if a not in e.accepted))
        series[key].append(e)
        above[e.id] = r.row
        out.append(dataclasses.replace(r, entry=e))
    _sheet_parts(plan, view, out, problems, above, file=file, column=column, accept=accept, added_column=added_column)
    return problems, out


def _sheet_parts(plan: Plan, view: LedgerView, out: list[ImportRowDoc], problems: list[Problem],
                 above: Mapping[int, int], *, file: str, column: str, accept: bool | Iterable[str],
                 added_column: str | None) -> None:
    """The whole and its parts (:func:`eduplan.core.rules.parts_findings`) for a sheet's rows: once
    for each indicator and day the sheet gives figures for, with every row of the sheet and the
    ledger's figures, said on the sheet's city-wide row of that day (else on its last unit's row,
    where the city-wide total it is part of is the ledger's). Each unit's latest row by a day is
    found by bisection: a sheet of many days costs days × units, not rows × rows. Adds the
    problems, and an accepted warning to its row's entry."""
    start = plan.plan.start
    where = {r.entry.id: k for k, r in enumerate(out)}
    by_ind: dict[str, list[Entry]] = {}
    for r in out:
        e = r.entry
        if summable(plan.by_id[e.indicator]) and not e.void and e.state is None:
            by_ind.setdefault(e.indicator, []).append(e)
    for ind_id, entries in by_ind.items():
        ind = plan.by_id[ind_id]
        totals: dict[tuple[str, str | None], list[tuple[dt.date, int, Entry]]] = {}
        adds = [e for e in entries if e.added is not None]
        for n, e in enumerate(entries):
            if e.added is None:
                totals.setdefault(e.key(), []).append((e.as_of, n, e))
        for rows_of_unit in totals.values():
            rows_of_unit.sort(key=lambda t: t[:2])
        made: dict[dt.date, Mapping] = {}

        def at(day: dt.date, ind_id: str = ind_id, totals=totals, adds=adds, made=made) -> Mapping:
            if day not in made:
                mine = [xs[i][2] for xs in totals.values() if (i := bisect.bisect_right(xs, (day, math.inf)) - 1) >= 0]
                made[day] = overlaid(view.latest(day, [ind_id]), mine + [a for a in adds if a.as_of <= day], start)
            return made[day]

        on_day: dict[dt.date, list[Entry]] = {}
        for e in entries:
            on_day.setdefault(e.as_of, []).append(e)
        last = at(plan.plan.end).get((ind_id, None))
        sheets_city = last is not None and last.office == view.office and last.id in where
        for day in sorted(on_day):
            city = [e for e in on_day[day] if e.county is None]
            if not city and sheets_city:
                continue  # the city-wide total a unit's row is part of is a row of the sheet: checked on its day
            target = city[-1] if city else on_day[day][-1]
            k = where[target.id]
            found, accepted = rule_problems([_naming_rows(f, above, view.office)
                                             for f in parts_findings(ind, plan, target, at)], accept, file,
                                            out[k].row, added_column if target.added is not None and added_column
                                            else column)
            problems.extend(found)
            if accepted:
                e = out[k].entry
                out[k] = dataclasses.replace(out[k], entry=dataclasses.replace(
                    e, accepted=e.accepted + tuple(a for a in accepted if a not in e.accepted)))


def _naming_rows(f: Finding, above: Mapping[int, int], office: str) -> Finding:
    """A finding that names an entry of this very sheet by the id it would get (``#7``) also
    says which row that is: nothing is recorded while a row has a problem, so no entry #7
    exists yet to look up or correct."""
    named = [msg("#{id} is row {row} of this sheet, not recorded yet", id=x.id, row=above[x.id])
             for x in f.entries if x.office == office and x.id in above]
    if not named:
        return f
    return dataclasses.replace(f, message=msg("{message} ({rows})", message=f.message, rows=named))


def _refuse(problems: Sequence[Problem], file: str) -> ProblemsError:
    ordered = sorted(problems, key=lambda p: p.line or 0)  # stable: within a row, in column order
    n = len({p.line for p in ordered})
    if any(p.kind in OVERRIDABLE for p in ordered):
        return ProblemsError(ordered, hint=nmsg(
            "{n} row of {file} has problems; nothing was recorded. If the figures with a warning are right, import "
            "the file again with {accept}",
            "{n} rows of {file} have problems; nothing was recorded. If the figures with a warning are right, import "
            "the file again with {accept}", n, file=file, accept=Flag("accept", True)))
    return ProblemsError(ordered, hint=nmsg(
        "{n} row of {file} has problems; nothing was recorded",
        "{n} rows of {file} have problems; nothing was recorded", n, file=file))


def _earlier(file: str, earlier: list[Entry]) -> EduplanError:
    first = min(earlier, key=lambda e: (e.recorded_at, e.id))
    # each office's entries by its own ids (in a ledger folder a city sheet's rows are in several
    # offices' files), in runs of consecutive ids: #38–#41, #44–#46
    runs: list[str] = []
    for office in sorted({e.office for e in earlier}):
        ids = sorted(e.id for e in earlier if e.office == office)
        start = prev = ids[0]
        for i in [*ids[1:], None]:
            if i is not None and i == prev + 1:
                prev = i
                continue
            runs.append(f"{office}#{start}" if start == prev else f"{office}#{start}–#{prev}")
            if i is not None:
                start = prev = i
    span: str | list[str] = runs[0] if len(runs) == 1 else runs if len(runs) <= 6 else [*runs[:5], "…"]
    return EduplanError(nmsg(
        "{file}: this content was already imported on {when} by {by} ({n} entry, {span}), under this name or another; "
        "nothing was recorded. Import it again with {force}",
        "{file}: this content was already imported on {when} by {by} ({n} entries, {span}), under this name or another; "
        "nothing was recorded. Import it again with {force}",
        len(earlier), file=file, when=first.recorded_at.isoformat(sep=" "), by=first.by, span=span,
        force=Flag("force", True)))


def import_file(ws: Workspace, path: str | Path, *, dry_run: bool = False, force: bool = False,
                accept: bool | Iterable[str] = False) -> ImportSummary:
    """Check every row of the file; unless it is a dry run, record them all in one append.

    Raises :class:`ProblemsError` naming every wrong row (``FILE:ROW: column: message``);
    then nothing is written. Rows the data-quality rules warn about are refused too, unless
    ``accept`` (True for every warning, or the rule ids accepted); their entries then name the
    rules in ``accepted``. ``force`` overrides only the refusal of a file imported before: its
    rows are checked as any other's (a total the ledger already has for that date is skipped, and
    so is an increment this file recorded that still stands), and a dry run says what the import
    would do.
    """
    path = Path(path)
    file = str(path)
    plan = ws.plan
    raw, sheet = read_file(path)
    batch = hashlib.sha256(raw).hexdigest()
    if not any(_text(c) for row in (sheet.header, *sheet.rows[:HEADER_SEARCH]) for c in row):
        # (a table under an empty first row, or a little to the right, is found by locate)
        raise EduplanError(msg("{file}: the file is empty; row 1 must name the columns (id, 数值, 截至日期 …)", file=file))
    by = ws.by
    units = ws.office.units if ws.office is not None else None
    try:
        view = ws.view()
    except ProblemsError:  # the sheet's own problems first; the ledger's when they are fixed
        checked = check_sheet(plan, sheet, file=file, today=ws.today, by=by, now=ws.now, units=units, accept=accept)
        if checked.problems:
            raise _refuse(checked.problems, file) from None
        raise
    try:
        earlier = view.surviving_batch(batch)
        checked = check_sheet(plan, sheet, file=file, today=ws.today, by=by, now=ws.now, latest_at=view.latest,
                              units=units, accept=accept, again=earlier if force else (),
                              kept=view.kept_batch(batch) if force else (), withdrawn_on=view.withdrawn_on)
        header = locate(sheet, plan.terms).sheet.header
        column = next((str(h).strip() for h in header if field_of(h, plan.terms) == "value"), "value")
        added_column = next((str(h).strip() for h in header if field_of(h, plan.terms) == "added"), None)
        later, rows = check_series(plan, view, checked.rows, file=file, column=column, first_id=view.next_id(),
                                   accept=accept, added_column=added_column)
    finally:
        view.close()
    if earlier and not force:  # the same file again: say so, before anything else about its rows
        raise _earlier(file, earlier)
    if checked.problems or later:
        raise _refuse([*checked.problems, *later], file)
    if not rows:
        return ImportSummary(plan, file, batch, (), checked.skipped, (), dry_run, unchanged=checked.unchanged,
                             repeated=checked.repeated)
    advice = rollup_advice_of(plan, (r.entry for r in rows))
    if dry_run:
        return ImportSummary(plan, file, batch, tuple(rows), checked.skipped, (), True, tuple(earlier),
                             checked.unchanged, checked.repeated, advice)

    already: list[Entry] = []

    def build(view: LedgerView) -> list[Entry]:
        earlier = view.surviving_batch(batch)
        if earlier and not force:
            raise _earlier(file, earlier)
        already.extend(earlier)
        # the ledger may have changed since it was read: the rules again, under the lock
        problems, final = check_series(plan, view, checked.rows, file=file, column=column,
                                       first_id=view.next_id(), accept=accept, added_column=added_column)
        if problems:
            raise _refuse(problems, file)
        return [dataclasses.replace(r.entry, batch=batch, batch_size=len(final)) for r in final]

    written = append_entries(ws.ledger_path, plan, build, create_folder=ws.ledger_is_default, office=ws.office_name)
    return ImportSummary(plan, file, batch, tuple(rows), checked.skipped, tuple(written), False, tuple(already),
                         checked.unchanged, checked.repeated, advice)
