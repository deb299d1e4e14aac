"""Parsing TOML strictly (TOML 1.0), with errors a person can read in their language.

``tomli`` is the reference TOML 1.0 parser (the one that became the standard library's
``tomllib``); its compiled wheels parse a 100,000-entry ledger in 3.4 s where ``tomllib``
takes 11.9 s on the same machine (``bench/README.md``). Where the wheel is missing, the
standard library's parser does the same job more slowly.
"""

from __future__ import annotations

import re
from typing import Any

from ..i18n import N_, Msg, msg

try:  # the compiled reference parser; the standard library's is the same code, slower
    import tomli as _toml
except ImportError:  # pragma: no cover - tomli is a dependency
    import tomllib as _toml  # type: ignore[no-redef]

TOMLDecodeError = _toml.TOMLDecodeError


def loads(text: str) -> dict[str, Any]:
    return _toml.loads(text)


# tomli's messages, in the reader's language (the parameter, where there is one, is kept)
_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"Invalid statement", N_("invalid statement")),
    (r"Expected newline or end of document after a statement", N_("expected a new line after the value")),
    (r"Expected '\]' at the end of a table declaration", N_("expected ']' at the end of a table header")),
    (r"Expected '\]\]' at the end of an array declaration", N_("expected ']]' at the end of a table header")),
    (r"Expected '=' after a key in a key/value pair", N_("expected '=' after a key")),
    (r"Expected (?P<x>.+)", N_("expected {x}")),
    (r"Found invalid character (?P<x>.+)", N_("invalid character {x}")),
    (r"Cannot declare (?P<x>.+) twice", N_("{x} is declared twice")),
    (r"Cannot overwrite a value", N_("a key is given twice")),
    (r"Cannot mutate immutable namespace (?P<x>.+)", N_("cannot add to {x}, which is already complete")),
    (r"Cannot redefine namespace (?P<x>.+)", N_("cannot define {x} again")),
    (r"Invalid initial character for a key part", N_("a key cannot start with this character")),
    (r"Unclosed array", N_("an array is not closed")),
    (r"Duplicate inline table key (?P<x>.+)", N_("the key {x} is given twice")),
    (r"Unclosed inline table", N_("an inline table is not closed")),
    (r"Unescaped '\\' in a string", N_("a backslash in a string is not escaped (write \\\\)")),
    (r"Invalid hex value", N_("an invalid \\u escape in a string")),
    (r"Escaped character is not a Unicode scalar value", N_("an escape in a string is not a character")),
    (r"Unterminated string", N_("a string is not closed (a missing quote?)")),
    (r"Illegal character (?P<x>.+)", N_("the character {x} is not allowed here")),
    (r"Invalid date or datetime", N_("an invalid date or time")),
    (r"Invalid value", N_("an invalid value")),
)


def describe(exc: Exception) -> tuple[int | None, Msg]:
    """(line, message) of a parse error: ``TOML syntax: … (column N)``."""
    raw = getattr(exc, "msg", None) or str(exc)
    raw = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)\s*$", "", raw)
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "colno", None)
    detail: Msg = msg("{detail}", detail=raw)
    for pattern, text in _MESSAGES:
        m = re.fullmatch(pattern, raw)
        if m:
            detail = msg(text, **m.groupdict())
            break
    if column:
        return line, msg("TOML syntax: {detail} (column {column})", detail=detail, column=column)
    return line, msg("TOML syntax: {detail}", detail=detail)
