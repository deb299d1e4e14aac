"""One place where text from outside is made safe for each kind of output.

Text in the ledger, the plan or a sheet may hold anything a hand edit put there: escape
sequences that would retitle or clear a terminal, NUL bytes, formula starts that a
spreadsheet would run. Every renderer passes such text through the function for its
output kind:

* :func:`terminal` — control characters and every other invisible one (a zero-width space or
  joiner, a direction override: :func:`eduplan.core.text.invisible`) shown as visible escapes
  (``\\x1b``, ``\\u200b``), never sent;
* :func:`markdown` — the same, then Markdown's own characters escaped, on one line;
* :func:`html` — control characters dropped (tab and new line kept), then HTML-escaped;
* :func:`csv_cell` — control characters (but tab and new line) and direction overrides dropped; a formula start
  (``= + - @``, tab, carriage return) neutralised with a leading ``'``;
* :func:`xlsx_text` — characters a workbook cannot hold dropped; formula starts are
  written as plain strings by :mod:`eduplan.render.xlsx`.

JSON needs nothing: the encoder escapes every control character.
"""

from __future__ import annotations

import functools
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# C0 and C1 controls, DEL, lone surrogates, and the Unicode line/paragraph separators. Kept as
# patterns, compiled when first needed: all of them (and the direction overrides) are characters
# that ``str.isprintable`` refuses, text it passes is returned as it is, and most text does, so
# ``eduplan status`` starts without compiling them.
_CONTROL = "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]"
_BIDI = "[\u202a-\u202e\u2066-\u2069]"  # direction overrides that reorder what is shown
_compiled = functools.cache(re.compile)


def terminal(text: object, *, one_line: bool = False) -> str:
    if text is None:
        return ""
    s = str(text)
    if s.isprintable():  # no control character, separator or invisible format character (all are unprintable)
        return s
    from ..core.text import visible

    return visible(s, keep="" if one_line else "\t\n")


def markdown(text: object) -> str:
    if text is None:
        return ""
    s = terminal(text, one_line=False).replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    for ch in ("\\", "|", "*", "_", "`", "<", ">", "[", "]"):
        s = s.replace(ch, "\\" + ch)
    return s


def html(text: object) -> str:
    if text is None:
        return ""
    import html as _html  # only for HTML output

    return _html.escape(_dropped(str(text)), quote=True)


def csv_cell(value: object) -> object:
    if not isinstance(value, str):
        return value
    s = _dropped(value)
    if s.startswith(FORMULA_START):
        return "'" + s
    return s


def is_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def xlsx_text(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", _dropped(text))


def _dropped(s: str) -> str:
    """``s`` without control characters (but tab and new line) and direction overrides."""
    if s.isprintable():
        return s
    return _compiled(_BIDI).sub("", _compiled(_CONTROL).sub("", s))
