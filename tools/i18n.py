#!/usr/bin/env python3
"""The message catalogues: extract the msgids from the code, update the .po, compile the .mo.

    python tools/i18n.py update     # add new msgids to every .po (untranslated), drop unused ones
    python tools/i18n.py compile    # .po -> .mo (what gettext reads at run time)
    python tools/i18n.py missing    # msgids without a translation (exit 1 if any)
    python tools/i18n.py merge A.po B.po   # after a git merge: every translation either side has

Msgids are found by reading the source (``ast``): the first string argument of ``_``,
``N_``, ``msg``, ``tr`` and ``Msg``, and both strings of ``nmsg``. Needs Babel (the
``test`` extra) for reading and writing catalogues; eduplan itself reads the .mo with the
standard library's gettext.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "eduplan"
LOCALES = {"zh_CN": SRC / "locale" / "zh_CN" / "LC_MESSAGES" / "eduplan.po"}
SINGULAR = {"_", "N_", "msg", "tr", "Msg"}
PLURAL = {"nmsg"}
FIXED = __import__("datetime").datetime(2026, 1, 1, tzinfo=__import__("datetime").timezone.utc)  # no churn in diffs


def extract(root: Path = SRC) -> dict[str | tuple[str, str], list[str]]:
    """msgid (or (singular, plural)) -> the places it is used."""
    found: dict[str | tuple[str, str], list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            args = node.args
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if name in SINGULAR and args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                found.setdefault(args[0].value, []).append(where)
            elif (name in PLURAL and len(args) >= 2 and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                                             for a in args[:2])):
                found.setdefault((args[0].value, args[1].value), []).append(where)
    return found


def _read(path: Path):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    if not path.exists():
        return Catalog(locale="zh_CN", domain="eduplan", project="eduplan", charset="utf-8")
    with open(path, "rb") as fh:
        return read_po(fh, locale="zh_CN")


def update() -> None:
    from babel.messages.pofile import write_po

    ids = extract()
    for loc, path in LOCALES.items():
        catalog = _read(path)
        old = {m.id: m.string for m in catalog if m.id}
        from babel.messages.catalog import Catalog

        fresh = Catalog(locale=loc, domain="eduplan", project="eduplan", version="", charset="utf-8",
                        creation_date=FIXED, revision_date=FIXED, last_translator="eduplan",
                        language_team="eduplan", copyright_holder="eduplan", fuzzy=False)
        # sorted by msgid, files without line numbers: editing code does not reorder the catalogue,
        # and two branches that add messages merge without conflicts in unrelated places
        for msgid, places in sorted(ids.items(), key=lambda kv: kv[0] if isinstance(kv[0], str) else kv[0][0]):
            string = old.get(msgid)
            if string is None and isinstance(msgid, tuple):
                string = ("",) * fresh.num_plurals
            files = sorted({p.rsplit(":", 1)[0] for p in places})
            fresh.add(msgid, string or ("" if not isinstance(msgid, tuple) else ("",) * fresh.num_plurals),
                      locations=[(f, None) for f in files])
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            write_po(fh, fresh, width=0, omit_header=False, sort_output=False, include_lineno=False)
        print(f"{path.relative_to(ROOT)}: {len(ids)} messages")


def compile_all() -> None:
    from babel.messages.mofile import write_mo

    for path in LOCALES.values():
        catalog = _read(path)
        with open(path.with_suffix(".mo"), "wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        print(f"{path.with_suffix('.mo').relative_to(ROOT)}")


def missing() -> list[str]:
    out = []
    ids = extract()
    for loc, path in LOCALES.items():
        catalog = _read(path)
        for msgid in ids:
            m = catalog.get(msgid)
            strings = m.string if m is not None else None
            if not strings or (isinstance(strings, tuple) and not all(strings)):
                out.append(f"{loc}: {msgid!r}")
    return out


def merge(*others: str) -> None:
    """Take into the catalogue every translation the given .po files have (a merge's both sides)."""
    from babel.messages.pofile import write_po

    path = LOCALES["zh_CN"]
    catalog = _read(path)
    for other in others:
        for m in _read(Path(other)):
            if m.id and m.string and (isinstance(m.string, str) or all(m.string)):
                mine = catalog.get(m.id)
                if mine is None:
                    catalog.add(m.id, m.string)
                elif not mine.string or (isinstance(mine.string, tuple) and not all(mine.string)):
                    mine.string = m.string
    with open(path, "wb") as fh:
        write_po(fh, catalog, width=0, sort_output=False, include_lineno=False)
    update()
    compile_all()


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "missing"
    if command == "merge":
        merge(*sys.argv[2:])
    elif command == "update":
        update()
    elif command == "compile":
        compile_all()
    else:
        gaps = missing()
        print("\n".join(gaps) or "every message is translated")
        sys.exit(1 if gaps else 0)
