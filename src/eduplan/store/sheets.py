"""Reading a spreadsheet staff filled in (.csv or .xlsx) into rows of raw cells, within bounds.

* CSV: UTF-8 (with or without a byte-order mark), UTF-16 with its mark (Excel's "Unicode
  text"), else GB18030, which Chinese Excel and WPS still write; comma or tab separated.
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
import datetime as dt
import io
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
class Sheet:
    """A table as read from a file: the header row and the rows under it, raw."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    percent_cells: frozenset[tuple[int, int]] = frozenset()  # (row index, column) shown with a % format
    encoding: str = "utf-8"


def _decode(raw: bytes) -> tuple[str, str]:
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
    raise EduplanError(msg("the file is not text in a known encoding (UTF-8, UTF-16 or GB18030); save it as "
                           "\"CSV UTF-8\" and import it again"))


def read_csv_bytes(raw: bytes) -> Sheet:
    text, encoding = _decode(raw)
    if "\x00" in text:
        raise EduplanError(msg("the file is not text in a known encoding (UTF-8, UTF-16 or GB18030); save it as "
                               "\"CSV UTF-8\" and import it again"))
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    old = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARS)
    records = []
    try:
        for record in reader:
            if len(records) > MAX_ROWS:
                raise EduplanError(msg("the file has more than {n} rows; split it into smaller files", n=MAX_ROWS))
            records.append(tuple(record))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise EduplanError(msg("line {line}: a cell is longer than {n} characters", line=reader.line_num,
                                   n=MAX_CELL_CHARS)) from None
        raise EduplanError(msg("line {line}: the file is not well-formed CSV (an unclosed quote?)",
                               line=reader.line_num)) from None
    finally:
        csv.field_size_limit(old)
    if not records:
        return Sheet((), (), encoding=encoding)
    return Sheet(records[0], tuple(records[1:]), encoding=encoding)


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


def read_xlsx_bytes(raw: bytes) -> Sheet:
    """The first worksheet's values (cached results, never formulas)."""
    _check_zip(raw)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise EduplanError(msg("not an .xlsx workbook (Excel or WPS saves one with \"Save as .xlsx\")")) from None
    try:
        if not wb.worksheets:
            return Sheet((), ())
        ws = wb.worksheets[0]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # some writers (WPS among them) store a wrong sheet size; read every row
        header: tuple[Cell, ...] = ()
        rows: list[tuple[Cell, ...]] = []
        percent: set[tuple[int, int]] = set()
        for i, cells in enumerate(ws.iter_rows()):
            if i > MAX_ROWS:
                raise EduplanError(msg("the file has more than {n} rows; split it into smaller files", n=MAX_ROWS))
            values = tuple(getattr(c, "value", None) for c in cells)
            for v in values:
                if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                    raise EduplanError(msg("row {line}: a cell is longer than {n} characters", line=i + 1,
                                           n=MAX_CELL_CHARS))
            if i == 0:
                header = values
                continue
            for j, c in enumerate(cells):
                if isinstance(getattr(c, "value", None), (int, float)) and "%" in (getattr(c, "number_format", "") or ""):
                    percent.add((i - 1, j))
            rows.append(values)
    except EduplanError:
        raise
    except Exception:
        raise EduplanError(msg("not an .xlsx workbook (Excel or WPS saves one with \"Save as .xlsx\")")) from None
    finally:
        wb.close()
    return Sheet(header, tuple(rows), frozenset(percent))


def read_file(path: Path) -> tuple[bytes, Sheet]:
    """The file's bytes (for its hash) and its sheet."""
    from .planfile import read_bytes

    suffix = path.suffix.lower()
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
