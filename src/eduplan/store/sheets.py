"""Reading a spreadsheet staff filled in (.csv or .xlsx) into rows of raw cells, within bounds.

* CSV: UTF-8 (with or without a byte-order mark), UTF-16 with its mark (Excel's "Unicode
  text"), else GB18030, which Chinese Excel and WPS still write; comma, tab or semicolon
  separated.
  An unterminated quote or an over-long field is an error with its line, never a row
  quietly skipped.
* xlsx: the first worksheet's values (cached results, never formulas), through openpyxl
  in read-only mode — after checking the zip: its members' total uncompressed size and
  compression ratio (a zip bomb), and no XML document type declarations (an entity bomb).

Limits (documented in the README): a file of at most :data:`MAX_FILE_BYTES`, at most
:data:`MAX_ROWS` rows, a cell of at most :data:`MAX_CELL_CHARS` characters.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import posixpath
import re
import zipfile
from pathlib import Path

from ..core.records import record
from ..errors import EduplanError, UsageError
from ..i18n import N_, msg

MAX_FILE_BYTES = 50 * 2**20  # 50 MiB
MAX_UNPACKED_BYTES = 400 * 2**20  # an xlsx's members, uncompressed
MAX_RATIO = 200  # uncompressed ÷ compressed, for members over 1 MiB
MAX_ROWS = 200_000
MAX_CELL_CHARS = 10_000
SUFFIXES = (".csv", ".xlsx")

Cell = str | int | float | dt.date | dt.datetime | None


@record(slots=False)
class Mark:
    """A cell whose value cannot be read as it stands: the importer decides whether it matters
    (it does where it would make a figure disappear) and says where it is."""

    kind: str  # "long" (over MAX_CELL_CHARS), "formula" (no computed result saved), "merged" (over rows),
    # "scaled" (a number shown with 万 or 亿 its format adds: 12 shown as 12万人次), "hidden row" and
    # "hidden columns" (col to last_col): what they hold is read, and no one filling the sheet sees it
    row: int  # the spreadsheet row (1 = the file's first row)
    col: int  # the column, from 0
    ref: str  # as Excel names it: H20, or a range F16:F17
    last_row: int = 0  # a merged range's last row
    last_col: int = 0  # a merged range's last column, from 0


@record(slots=False)
class Sheet:
    """A table as read from a file: the header row and the rows under it, raw."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    percent_cells: frozenset[tuple[int, int]] = frozenset()  # (row index, column) shown with a % format
    encoding: str = "utf-8"
    marks: tuple[Mark, ...] = ()  # cells that cannot be read as they stand
    name: str | None = None  # the worksheet read (xlsx)
    # the worksheet the workbook opens on where it is another (visible) one: its name and first rows, for the
    # importer to tell whether it too holds a table (the one staff see and filled, not the one read)
    opened_on: tuple[str, tuple[tuple[Cell, ...], ...]] | None = None


def column_letter(col: int) -> str:
    """A column as Excel names it, from 0: A, …, Z, AA …."""
    out = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def _cell_index(ref: str) -> tuple[int, int]:
    """(row from 1, column from 0) of a cell reference like F16."""
    letters = "".join(ch for ch in ref if ch.isalpha()).upper()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int("".join(ch for ch in ref if ch.isdigit()) or 0), col - 1


def _long_cells(rows: list[tuple[Cell, ...]]) -> list[Mark]:
    return [Mark("long", r, c, f"{column_letter(c)}{r}") for r, row in enumerate(rows, start=1)
            for c, v in enumerate(row) if isinstance(v, str) and len(v) > MAX_CELL_CHARS]


def decode_text(raw: bytes) -> tuple[str, str] | None:
    """Text as Chinese Windows tools save it: UTF-16 with its mark, UTF-8 with or without one,
    else GB18030 (not for bytes holding NUL); with the encoding read, or None for none of these.
    Sheets and a ledger folder's ``.office`` file are read so."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" not in raw:
        try:
            return raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            pass
    return None


def read_csv_bytes(raw: bytes) -> Sheet:
    decoded = decode_text(raw)
    if decoded is None or "\x00" in decoded[0]:
        raise EduplanError(msg("the file is not text in a known encoding (UTF-8, UTF-16 or GB18030); save it as "
                               "\"CSV UTF-8\" and import it again"))
    text, encoding = decoded
    sample = text[:4096]
    # comma, tab (Excel's "Unicode text") or semicolon (Excel where the decimal mark is a comma)
    delimiter = max((",", "\t", ";"), key=lambda d: (sample.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    old = csv.field_size_limit()
    csv.field_size_limit(MAX_FILE_BYTES + 1)  # the file is at most this; a cell over MAX_CELL_CHARS is marked
    records = []
    try:
        for record in reader:
            if len(records) > MAX_ROWS:
                raise EduplanError(msg("the file has more than {n} rows; split it into smaller files", n=MAX_ROWS))
            records.append(tuple(record))
    except csv.Error:
        raise EduplanError(msg("line {line}: the file is not well-formed CSV (an unclosed quote?)",
                               line=reader.line_num)) from None
    finally:
        csv.field_size_limit(old)
    if not records:
        return Sheet((), (), encoding=encoding)
    return Sheet(records[0], tuple(records[1:]), encoding=encoding, marks=tuple(_long_cells(records)))


def _check_zip(raw: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise EduplanError(msg("not an .xlsx workbook (Excel or WPS saves one with \"Save as .xlsx\")")) from None
    with archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            if total > MAX_UNPACKED_BYTES or (
                    info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                raise EduplanError(msg("the workbook unpacks to far more than it holds (a zip bomb?); it was not read"))
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            with archive.open(info) as member:
                head = member.read(64 * 1024)
                rest = head
                while True:
                    if b"<!DOCTYPE" in rest or b"<!ENTITY" in rest:
                        raise EduplanError(msg("the workbook declares XML entities (an entity bomb?); it was not read"))
                    chunk = member.read(1 << 20)
                    if not chunk:
                        break
                    rest = rest[-16:] + chunk


_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # a number format's quoted texts, escaped marks, [colours]


def shows_percent(number_format: str | None) -> bool:
    """Does a number format show its number ×100 with %? Only a % of the format's own: not one
    in quotes or escaped (``0"%"`` shows 56 as 56%, the number as it is)."""
    return bool(number_format) and "%" in _LITERALS.sub("", number_format)


def shows_scaled(number_format: str | None) -> bool:
    """Does a number format write 万 or 亿 after the number it does not scale (``0"万人次"``: 12
    shown as 12万人次, the cell holding 12)?"""
    return bool(number_format) and any(w in "".join(_LITERALS.findall(number_format)) for w in ("万", "亿"))


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]+[0-9]+):([A-Za-z]+[0-9]+)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_HIDDEN = re.compile(rb"\bhidden=\"(?:1|true)\"")
_ATTR = {name: re.compile(rb"\b" + name + rb"=\"(\d+)\"") for name in (b"r", b"min", b"max")}


def _sheet_part(archive: zipfile.ZipFile, title: str) -> str | None:
    """The zip member holding the worksheet named ``title`` (xl/worksheets/sheet1.xml)."""
    from xml.etree import ElementTree

    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_RELS}Relationship")}
    for sheet in book.iter(f"{_MAIN}sheet"):
        if sheet.get("name") == title:
            target = targets.get(sheet.get(_REL_ID), "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return None


def _unreadable_cells(raw: bytes, title: str) -> list[Mark]:
    """Formulas saved without a computed result (openpyxl and other scripts write none; Excel
    and WPS do) and ranges merged over more than one row: read as they are, a figure would
    disappear without a word. Hidden rows and columns: what they hold would go in unseen. (The
    zip was checked by :func:`_check_zip`: no entity declarations.)"""
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        part = _sheet_part(archive, title)
        if part is None or part not in archive.namelist():
            return []
        merged: dict[str, Mark] = {}  # by range: a match in the overlap of two chunks is found twice
        hidden: dict[str, Mark] = {}
        formulas = False
        tail = b""
        with archive.open(part) as member:  # one streaming look for the rare cases before parsing anything
            while chunk := member.read(1 << 20):
                text = tail + chunk
                formulas = formulas or _FORMULA.search(text) is not None
                for m in _MERGE.finditer(text):
                    first, last = m.group(1).decode(), m.group(2).decode()
                    (r1, c1), (r2, c2) = _cell_index(first), _cell_index(last)
                    if r2 > r1:
                        merged[f"{first}:{last}"] = Mark("merged", r1, c1, f"{first}:{last}", r2, c2)
                for m in _ROW_TAG.finditer(text):
                    if _HIDDEN.search(m.group(1)) and (r := _ATTR[b"r"].search(m.group(1))):
                        row = int(r.group(1))
                        hidden[f"row {row}"] = Mark("hidden row", row, 0, str(row))
                for m in _COL_TAG.finditer(text):
                    lo, hi = _ATTR[b"min"].search(m.group(1)), _ATTR[b"max"].search(m.group(1))
                    if _HIDDEN.search(m.group(1)) and lo and hi:
                        c1, c2 = int(lo.group(1)) - 1, min(int(hi.group(1)), 16384) - 1
                        ref = column_letter(c1) if c1 == c2 else f"{column_letter(c1)}:{column_letter(c2)}"
                        hidden[f"col {ref}"] = Mark("hidden columns", 0, c1, ref, 0, c2)
                tail = text[-256:]
        out = list(merged.values()) + list(hidden.values())
        if formulas:
            with archive.open(part) as member:
                for _, element in ElementTree.iterparse(member):
                    tag = element.tag.rsplit("}", 1)[-1]
                    if tag == "c":
                        f = v = None
                        for child in element:
                            name = child.tag.rsplit("}", 1)[-1]
                            if name == "f":
                                f = child
                            elif name in ("v", "is"):
                                v = child
                        if f is not None and (v is None or not (v.text or len(v))) and element.get("t") != "str":
                            ref = element.get("r", "")
                            row, col = _cell_index(ref)
                            out.append(Mark("formula", row, col, ref))
                    elif tag == "row":
                        element.clear()
        return out


# openpyxl's warning for a number in a date-formatted cell that is no date (20230630 typed in a
# cell formatted yyyy-mm-dd): it reads the cell as "#VALUE!"; the number typed is read instead
_SERIAL = re.compile(r"Cell ([A-Z]+[0-9]+) is marked as a date but the serial value (\d+(?:\.\d+)?) is outside")


def read_xlsx_bytes(raw: bytes) -> Sheet:
    """The first worksheet's values (cached results, never formulas)."""
    import warnings

    _check_zip(raw)
    with warnings.catch_warnings(record=True) as said:  # (a library's words never reach the person)
        warnings.simplefilter("always")
        sheet = _read_xlsx(raw)
    serials = [m for w in said if (m := _SERIAL.match(str(w.message)))]
    if not serials:
        return sheet
    grid = [list(sheet.header), *(list(r) for r in sheet.rows)]
    for m in serials:
        row, col = _cell_index(m.group(1))
        if 1 <= row <= len(grid) and 0 <= col < len(grid[row - 1]):
            number = m.group(2)
            grid[row - 1][col] = float(number) if "." in number else int(number)
    return dataclasses.replace(sheet, header=tuple(grid[0]), rows=tuple(tuple(r) for r in grid[1:]))


def _read_xlsx(raw: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise EduplanError(msg("not an .xlsx workbook (Excel or WPS saves one with \"Save as .xlsx\")")) from None
    try:
        if not wb.worksheets:
            return Sheet((), ())
        ws = wb.worksheets[0]
        if getattr(ws, "sheet_state", "visible") != "visible":  # staff would never see what is imported
            raise EduplanError(msg("the first worksheet, '{sheet}', is hidden, and import reads the first worksheet: "
                                   "unhide it, or move the worksheet to import to the front", sheet=ws.title))
        opened_on = _opened_on(wb)
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # some writers (WPS among them) store a wrong sheet size; read every row
        header: tuple[Cell, ...] = ()
        rows: list[tuple[Cell, ...]] = []
        percent: set[tuple[int, int]] = set()
        marks: list[Mark] = []
        title = ws.title
        for i, cells in enumerate(ws.iter_rows()):
            if i > MAX_ROWS:
                raise EduplanError(msg("the file has more than {n} rows; split it into smaller files", n=MAX_ROWS))
            values = tuple(getattr(c, "value", None) for c in cells)
            for j, v in enumerate(values):
                if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                    marks.append(Mark("long", i + 1, j, f"{column_letter(j)}{i + 1}"))
                    values = (*values[:j], v[:MAX_CELL_CHARS], *values[j + 1:])  # no more is needed to say where
            if i == 0:
                header = values
                continue
            for j, c in enumerate(cells):
                if isinstance(getattr(c, "value", None), (int, float)) and not isinstance(c.value, bool):
                    shown = getattr(c, "number_format", None)
                    if shows_percent(shown):
                        percent.add((i - 1, j))
                    elif shows_scaled(shown):
                        marks.append(Mark("scaled", i + 1, j, f"{column_letter(j)}{i + 1}"))
            rows.append(values)
    except EduplanError:
        raise
    except Exception:
        raise EduplanError(msg("not an .xlsx workbook (Excel or WPS saves one with \"Save as .xlsx\")")) from None
    finally:
        wb.close()
    marks.extend(_unreadable_cells(raw, title))
    return Sheet(header, tuple(rows), frozenset(percent), marks=tuple(marks), name=title, opened_on=opened_on)


OPENED_ROWS = 20  # of the worksheet a workbook opens on, the rows kept to find a table's header in


def _opened_on(wb) -> tuple[str, tuple[tuple[Cell, ...], ...]] | None:
    """The worksheet the workbook opens on (its active one), where it is not the first and is
    visible: its title and first rows."""
    try:
        active = wb.active
    except Exception:  # a damaged or odd workbook names no sheet to open on: the first is read, as always
        return None
    if active is None or active is wb.worksheets[0] or getattr(active, "sheet_state", "visible") != "visible":
        return None
    if not hasattr(active, "iter_rows"):  # a chart sheet
        return None
    rows = tuple(tuple(getattr(c, "value", None) for c in r) for r in active.iter_rows(max_row=OPENED_ROWS))
    return active.title, rows


def read_file(path: Path) -> tuple[bytes, Sheet]:
    """The file's bytes (for its hash) and its sheet."""
    from .planfile import read_bytes

    suffix = path.suffix.lower()
    if suffix in (".xls", ".et", ".ods"):  # a workbook of another kind (Excel 97–2003, WPS, OpenDocument)
        raise UsageError(msg("{path}: import reads .csv or .xlsx files; open it in Excel or WPS and save it as .xlsx, "
                             "then import that", path=str(path)), field="file")
    if suffix not in SUFFIXES:
        raise UsageError(msg("{path}: import reads .csv or .xlsx files", path=str(path)), field="file")
    raw = read_bytes(path, N_("spreadsheet"))
    if len(raw) > MAX_FILE_BYTES:
        raise EduplanError(msg("{path}: the file is larger than {n} MiB; split it into smaller files", path=str(path),
                               n=MAX_FILE_BYTES // 2**20))
    try:
        sheet = read_csv_bytes(raw) if suffix == ".csv" else read_xlsx_bytes(raw)
    except EduplanError as exc:
        raise EduplanError(msg("{path}: {problem}", path=str(path), problem=exc.message)) from None
    except MemoryError:
        raise EduplanError(msg("{path}: the file is too large to read", path=str(path))) from None
    return raw, sheet
