"""Importing figures from a spreadsheet (.csv or .xlsx), all or nothing.

Three layers, so that the rules can be tested without files:

* reading: file bytes → a :class:`Sheet` (header row and raw cell values). CSV is read as
  UTF-8 (with or without a byte-order mark), else as GB18030, which Chinese Excel and
  WPS still write; xlsx through openpyxl, first worksheet, values not formulas;
* checking (pure): a sheet → :class:`ImportRow` objects, or :class:`RowProblem` objects
  naming the row as a spreadsheet shows it (the header is row 1) and the column. Every
  figure goes through the same reader and checks as ``eduplan record``;
* writing: every entry in one :func:`eduplan.ledger.append_entries` call (one lock, one
  append), each carrying ``batch`` = the SHA-256 of the file's bytes, so that importing
  the same file twice is refused unless forced.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from .entries import Figure, read_figure, surviving, value_problems
from .errors import EduplanError, Problem, ProblemsError, UsageError
from .models import Entry, Plan
from .numbers import NumberError, parse_date
from .service import Context, check_county, check_date, find_indicator

# Accepted header names (compared after NFKC, lower-casing and removing spaces and '*').
COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator": ("指标", "指标id", "指标编号", "指标代码", "indicator", "indicator_id", "id"),
    "value": ("数值", "实际", "实际值", "完成值", "数据", "value", "actual", "figure"),
    "as_of": ("截至日期", "截止日期", "日期", "截至", "数据截至", "as_of", "as-of", "asof", "date"),
    "county": ("县", "县(市、区)", "县(市,区)", "县市区", "县区", "地区", "county"),
    "note": ("备注", "note", "notes", "remark", "remarks"),
    "source": ("来源", "数据来源", "source"),
}
REQUIRED = ("indicator", "value", "as_of")
CITY_WORDS = {"全市", "市级", "市本级", "city", "—", "-", "–"}
SUFFIXES = (".csv", ".xlsx")

Cell = str | int | float | dt.date | dt.datetime | None


def _key(header: object) -> str:
    text = unicodedata.normalize("NFKC", "" if header is None else str(header))
    return "".join(ch for ch in text.strip().lower() if not ch.isspace() and ch != "*")


_ALIASES = {_key(alias): field for field, names in COLUMNS.items() for alias in names}


@dataclasses.dataclass(frozen=True)
class Sheet:
    """A table as read from a file: the header row and the rows under it, raw."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    percent_cells: frozenset[tuple[int, int]] = frozenset()  # (row index, column) shown with a % format


@dataclasses.dataclass(frozen=True, slots=True)
class RowProblem:
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    message: str

    def problem(self, file: str) -> Problem:
        return Problem(file, self.row, f"{self.column}: {self.message}" if self.column else self.message)


@dataclasses.dataclass(frozen=True, slots=True)
class ImportRow:
    row: int
    indicator: str
    county: str | None
    as_of: dt.date
    figure: Figure
    text: str  # the value as it was written
    note: str | None
    source: str | None


@dataclasses.dataclass(frozen=True)
class Checked:
    rows: tuple[ImportRow, ...]
    problems: tuple[RowProblem, ...]
    skipped: int  # rows with an empty value


# --------------------------------------------------------------------------- reading files


def file_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def decode_csv(raw: bytes) -> str:
    """UTF-8 (a BOM is dropped), else GB18030; else an error naming the file's first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise EduplanError(f"line {line}: the file is neither UTF-8 nor GB18030 text; save it as CSV UTF-8") from None


def read_csv_bytes(raw: bytes) -> Sheet:
    text = decode_csv(raw)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not records:
        return Sheet((), ())
    return Sheet(tuple(records[0]), tuple(tuple(r) for r in records[1:]))


def read_xlsx_bytes(raw: bytes) -> Sheet:
    """The first worksheet's values (cached results, never formulas)."""
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise EduplanError(f"not an .xlsx workbook Excel or WPS wrote ({exc})") from None
    try:
        ws = wb.worksheets[0]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # some writers (WPS among them) store a wrong sheet size; read every row
        header: tuple[Cell, ...] = ()
        rows: list[tuple[Cell, ...]] = []
        percent: set[tuple[int, int]] = set()
        for i, cells in enumerate(ws.iter_rows()):
            values = tuple(c.value for c in cells)
            if i == 0:
                header = values
                continue
            for j, c in enumerate(cells):
                if isinstance(c.value, (int, float)) and "%" in (getattr(c, "number_format", "") or ""):
                    percent.add((i - 1, j))
            rows.append(values)
    finally:
        wb.close()
    return Sheet(header, tuple(rows), frozenset(percent))


def read_file(path: Path) -> tuple[bytes, Sheet]:
    """The file's bytes (for its hash) and its sheet. Raises UsageError for a wrong kind of file."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"{path}: import reads .csv or .xlsx files, not {suffix or 'a file without a suffix'}")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise EduplanError(f"{path}: cannot read the file: permission denied") from None
    try:
        sheet = read_csv_bytes(raw) if suffix == ".csv" else read_xlsx_bytes(raw)
    except EduplanError as exc:
        raise EduplanError(f"{path}: {exc}") from None
    return raw, sheet


# --------------------------------------------------------------------------- checking (pure)


def _text(value: Cell, percent: bool = False) -> str:
    """A cell as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if percent:
            number *= 100
        text = format(number, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text + ("%" if percent else "")
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


def _date(value: Cell) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise NumberError(f"{value.isoformat(sep=' ')} has a time of day; write the date only (YYYY-MM-DD)")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        raise NumberError(f"{_text(value)!r} is not a date (write YYYY-MM-DD, e.g. 2023-06-30)")
    return parse_date(str(value))


def map_columns(header: Sequence[Cell]) -> tuple[dict[str, int], list[RowProblem]]:
    """Which column holds which field; problems (on row 1) for missing or doubled columns."""
    found: dict[str, int] = {}
    problems: list[RowProblem] = []
    for i, name in enumerate(header):
        field = _ALIASES.get(_key(name))
        if field is None:
            continue  # name, unit, target, hints…: ignored
        if field in found:
            problems.append(RowProblem(1, str(name), f"a second column for {field} (after {header[found[field]]!s}); keep one"))
            continue
        found[field] = i
    for field in REQUIRED:
        if field not in found:
            names = " / ".join(COLUMNS[field][:4])
            problems.append(RowProblem(1, field, f"no column for {field} (name it {names})"))
    return found, problems


def check_sheet(plan: Plan, sheet: Sheet, *, today: dt.date) -> Checked:
    """Every row read and checked: the rows to record, or every problem. Rows with no value are skipped."""
    columns, problems = map_columns(sheet.header)
    if problems:
        return Checked((), tuple(problems), 0)
    header = [str(h).strip() if h is not None else "" for h in sheet.header]
    label = {field: header[i] for field, i in columns.items()}
    rows: list[ImportRow] = []
    seen: dict[tuple[str, str | None, dt.date], int] = {}
    skipped = 0
    for index, cells in enumerate(sheet.rows):
        number = index + 2

        def cell(field: str) -> Cell:
            i = columns.get(field)
            return cells[i] if i is not None and i < len(cells) else None

        value_i = columns["value"]
        value_text = _text(cell("value"), (index, value_i) in sheet.percent_cells)
        if not value_text:
            skipped += any(_text(c) for c in cells)  # a blank line is not a skipped row
            continue
        bad: list[RowProblem] = []

        def problem(field: str, message: str) -> None:
            bad.append(RowProblem(number, label[field], message))

        ind = None
        key = _text(cell("indicator"))
        if not key:
            problem("indicator", "empty; write the indicator id (see `eduplan plan`)")
        else:
            try:
                ind = find_indicator(plan, key)
            except EduplanError as exc:
                problem("indicator", str(exc))
        county = None
        county_text = _text(cell("county")) if "county" in columns else ""
        if county_text and county_text not in CITY_WORDS:
            try:
                county = check_county(plan, county_text)
            except EduplanError as exc:
                problem("county", str(exc))
        day = None
        raw_day = cell("as_of")
        if raw_day is None or not _text(raw_day):
            problem("as_of", "empty; write the date the figure is as of (YYYY-MM-DD)")
        else:
            try:
                day = check_date(plan, _date(raw_day), today=today, what="date")
            except (NumberError, EduplanError) as exc:
                problem("as_of", str(exc))
        figure = None
        if ind is not None and not any(p.column == label.get("county") for p in bad):
            try:
                figure = read_figure(ind, value_text, county=county)
            except NumberError as exc:
                problem("value", str(exc))
            else:
                for _, message in value_problems(ind, plan, county=county, value=figure.value, state=figure.state,
                                                 has_ratio=figure.numerator is not None):
                    problem("value", message)
        if ind is not None and day is not None and not bad:
            dup = seen.get((ind.id, county, day))
            if dup is not None:
                problem("value", f"row {dup} already gives {ind.id}{' for ' + county if county else ''} as of {day}; keep one")
            seen.setdefault((ind.id, county, day), number)
        if bad:
            order = {label[f]: columns[f] for f in columns}
            problems.extend(sorted(bad, key=lambda p: order.get(p.column, -1)))
            continue
        assert ind is not None and day is not None and figure is not None
        note = _text(cell("note")) or None
        source = _text(cell("source")) or None
        rows.append(ImportRow(number, ind.id, county, day, figure, value_text, note, source))
    return Checked(tuple(rows), tuple(problems), skipped)


def make_entries(rows: Sequence[ImportRow], *, first_id: int, by: str, now: dt.datetime, batch: str) -> list[Entry]:
    return [Entry(first_id + k, r.indicator, r.as_of, by, now, county=r.county, value=r.figure.value,
                  numerator=r.figure.numerator, denominator=r.figure.denominator, state=r.figure.state,
                  note=r.note, source=r.source, batch=batch)
            for k, r in enumerate(rows)]


def earlier_import(entries: Sequence[Entry], batch: str) -> list[Entry]:
    """The surviving entries an earlier import of the same file wrote."""
    return [e for e in surviving(entries) if e.batch == batch]


def describe_earlier(file: str, earlier: Sequence[Entry]) -> str:
    first = min(earlier, key=lambda e: e.id)
    ids = sorted(e.id for e in earlier)
    span = f"#{ids[0]}" if len(ids) == 1 else f"#{ids[0]}–#{ids[-1]}"
    when = first.recorded_at.isoformat(sep=" ")
    return (f"{file} was already imported on {when} by {first.by} ({len(earlier)} entr{'y' if len(earlier) == 1 else 'ies'}, "
            f"{span}, batch {first.batch[:12]}); nothing was recorded. Import it again with --force")


# --------------------------------------------------------------------------- the operation


@dataclasses.dataclass(frozen=True)
class ImportResult:
    file: str
    batch: str
    rows: tuple[ImportRow, ...]
    skipped: int
    entries: tuple[Entry, ...]  # written (empty for a dry run)
    dry_run: bool
    already: tuple[Entry, ...] = ()  # with --force: what an earlier import of the file wrote


def import_file(ctx: Context, path: Path, *, dry_run: bool = False, force: bool = False) -> ImportResult:
    """Check every row of the file; unless it is a dry run, record them all in one append.

    Raises :class:`ProblemsError` naming every wrong row (``FILE:ROW: column: message``);
    then nothing is written.
    """
    from .ledger import LedgerView, append_entries, load_ledger

    file = str(path)
    raw, sheet = read_file(path)
    batch = file_hash(raw)
    if not sheet.header:
        raise EduplanError(f"{file}: the file is empty; row 1 must name the columns (id, 数值, 截至日期 …)")
    checked = check_sheet(ctx.plan, sheet, today=ctx.today)
    if checked.problems:
        n = len({p.row for p in checked.problems})
        raise ProblemsError([p.problem(file) for p in checked.problems],
                            hint=f"eduplan: {n} row{'s' if n != 1 else ''} of {file} with problems; nothing was recorded")
    rows = checked.rows
    if not rows:
        return ImportResult(file, batch, rows, checked.skipped, (), dry_run)
    if dry_run:
        earlier = earlier_import(load_ledger(ctx.ledger, ctx.plan).entries, batch)
        if earlier and not force:
            raise EduplanError(describe_earlier(file, earlier))
        return ImportResult(file, batch, rows, checked.skipped, (), True, tuple(earlier))

    already: list[Entry] = []

    def build(view: LedgerView) -> list[Entry]:
        earlier = earlier_import(view.entries(), batch)
        if earlier and not force:
            raise EduplanError(describe_earlier(file, earlier))
        already.extend(earlier)
        return make_entries(rows, first_id=view.next_id, by=ctx.by, now=ctx.now, batch=batch)

    written = append_entries(ctx.ledger, ctx.plan, build)
    return ImportResult(file, batch, rows, checked.skipped, tuple(written), False, tuple(already))
