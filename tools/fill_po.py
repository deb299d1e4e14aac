#!/usr/bin/env python3
"""Fill untranslated entries of the Chinese catalogue from Python dicts of translations
(a translator's helper: ``python tools/fill_po.py FILE.py ...``, each FILE defining ``T``)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parents[1] / "src/eduplan/locale/zh_CN/LC_MESSAGES/eduplan.po"


def main(files: list[str]) -> None:
    table: dict = {}
    for f in files:
        table.update(runpy.run_path(f)["T"])
    with open(PO, "rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    filled = 0
    for m in catalog:
        if not m.id:
            continue
        key = m.id if isinstance(m.id, str) else tuple(m.id)
        if key in table and (not m.string or (isinstance(m.string, tuple) and not all(m.string))):
            m.string = (table[key],) if isinstance(m.id, tuple) else table[key]
            filled += 1
    with open(PO, "wb") as fh:
        write_po(fh, catalog, width=0, sort_output=False, include_lineno=True)
    print(f"filled {filled}")


if __name__ == "__main__":
    main(sys.argv[1:])
