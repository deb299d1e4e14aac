"""JSON, CSV and Markdown writers. Standard library only (no rich).

CSV is UTF-8 with a byte-order mark so that Excel and WPS open Chinese text correctly,
and any cell that a spreadsheet would read as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_json(doc: object, *, pretty: bool = True) -> str:
    """UTF-8 JSON: indented for people, or compact (json's C encoder, ~10x faster on
    large documents) for programs."""
    if pretty:
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def safe_cell(value: object) -> object:
    """A text that Excel would run as a formula gets a leading apostrophe-free guard.

    A leading ``'`` is shown by some programs, so we prefix a single quote only where
    needed, the OWASP-recommended neutralisation for CSV injection.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return safe_cell(value)


def to_csv(rows: Iterable[dict], columns: Sequence[str]) -> str:
    """CSV text with a BOM and a header row; formulas neutralised."""
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def md_escape(text: object) -> str:
    if text is None:
        return ""
    s = str(text)
    for ch in ("\\", "|", "*", "_", "`", "<", ">", "[", "]"):
        s = s.replace(ch, "\\" + ch)
    return s.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def md_table(headers: Sequence[str], rows: Iterable[Sequence[object]], align: Sequence[str] | None = None) -> str:
    """A GitHub-flavoured Markdown table; cells are escaped, numbers right-aligned by ``align``."""
    align = align or ["l"] * len(headers)
    marks = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = ["| " + " | ".join(md_escape(h) for h in headers) + " |",
             "| " + " | ".join(marks[a] for a in align) + " |"]
    for row in rows:
        lines.append("| " + " | ".join(md_escape(c) for c in row) + " |")
    return "\n".join(lines) + "\n"
