"""The plain formats' machinery: JSON text, CSV, Markdown tables. Standard library only (no rich).

CSV is UTF-8 with a byte-order mark so that Excel and WPS open Chinese text correctly;
every cell goes through :func:`eduplan.render.safe.csv_cell` (no formulas, no control
characters), the header row included.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence

from . import safe

BOM = "\ufeff"


def to_json(doc: object, *, pretty: bool = True) -> str:
    """UTF-8 JSON: indented for people, or compact (json's C encoder, ~10x faster on large
    documents) for programs."""
    if pretty:
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def json_array(items: Iterable[object], *, pretty: bool = True, end: str = "\n") -> Iterator[str]:
    """A JSON array written as it is produced: a long history never sits in memory whole
    (``end``: what follows the closing bracket; "" inside a larger document).

    Items are encoded 500 at a time, each batch by one call of json's C encoder (a call per
    item cost more than the encoding): the batch's array without its brackets is exactly the
    items as they stand in the whole array, indented or compact."""
    if pretty:
        encode = json.JSONEncoder(ensure_ascii=False, indent=2).encode
        return _joined((encode(b)[4:-2] for b in _batches(items)), "[\n  ", ",\n  ", "\n]", end)
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return _joined((encode(b)[1:-1] for b in _batches(items)), "[", ",", "]", end)


def json_texts(texts: Iterable[str], *, end: str = "\n") -> Iterator[str]:
    """A compact JSON array of items already written as compact JSON, streamed 500 at a time."""
    return _joined((",".join(b) for b in _batches(texts)), "[", ",", "]", end)


def _batches(items: Iterable, size: int = 500) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _joined(parts: Iterable[str], opening: str, sep: str, closing: str, end: str) -> Iterator[str]:
    """An array's parts (items without brackets) between its brackets; ``[]`` when there are none."""
    first = True
    for part in parts:
        yield (opening if first else sep) + part
        first = False
    yield ("[]" if first else closing) + end


_HOLE = "\x00eduplan: streamed here\x00"


def json_with_array(doc: dict, items: Iterable[object] = (), *, texts: Iterable[str] | None = None) -> Iterator[str]:
    """Compact JSON of ``doc`` with the one value equal to :data:`HOLE` replaced by the array of
    ``items`` (or of ``texts``, items already written as compact JSON), written as it is
    produced (the rest of the document is small)."""
    head, tail = to_json(doc, pretty=False).split(json.dumps(_HOLE), 1)
    yield head
    yield from json_array(items, pretty=False, end="") if texts is None else json_texts(texts, end="")
    yield tail


HOLE = _HOLE


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return safe.csv_cell(" ".join(str(v) for v in value))
    return safe.csv_cell(value)


def csv_lines(rows: Iterable[Sequence[object]], header: Sequence[object]) -> Iterator[str]:
    """CSV text with a BOM and a header row, row by row."""
    buf = io.StringIO()
    import csv

    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    yield BOM + buf.getvalue()
    for row in rows:
        buf.seek(0)
        buf.truncate()
        writer.writerow([_cell(v) for v in row])
        yield buf.getvalue()


def to_csv(rows: Iterable[Sequence[object]], header: Sequence[object]) -> str:
    return "".join(csv_lines(rows, header))


def md_table(headers: Sequence[str], rows: Iterable[Sequence[object]], align: Sequence[str] | None = None) -> str:
    """A GitHub-flavoured Markdown table; every cell is escaped."""
    align = align or ["l"] * len(headers)
    marks = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = ["| " + " | ".join(safe.markdown(h) for h in headers) + " |",
             "| " + " | ".join(marks[a] for a in align) + " |"]
    for row in rows:
        lines.append("| " + " | ".join(safe.markdown("" if c is None else c) for c in row) + " |")
    return "\n".join(lines) + "\n"
