"""Parsing TOML strictly (TOML 1.0), with errors a person can read in their language.

``tomli`` is the reference TOML 1.0 parser (the one that became the standard library's
``tomllib``); its compiled wheels parse a 100,000-entry ledger in 3.4 s where ``tomllib``
takes 11.9 s on the same machine (``bench/README.md``). Where the wheel is missing, the
standard library's parser does the same job more slowly.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from decimal import Decimal
from typing import Any

from ..i18n import N_, Msg, msg


@functools.cache
def _reference():
    """The parser, imported when a text is parsed (a command reading a current index parses none)."""
    try:  # the compiled reference parser; the standard library's is the same code, slower
        import tomli as parser
    except ImportError:  # pragma: no cover - tomli is a dependency
        import tomllib as parser  # type: ignore[no-redef]
    return parser


def loads(text: str) -> dict[str, Any]:
    parser = _reference()
    try:
        return parser.loads(text)
    except RecursionError:  # arrays or tables nested past the parser's limit: a syntax error, at its line
        raise _too_deep(parser, text) from None


_NESTED_TOO_DEEP = "Arrays or inline tables nested too deep"


def _too_deep(parser, text: str) -> Exception:
    depth = 0
    pos = 0
    for pos, ch in enumerate(text):
        depth += ch in "[{"
        depth -= ch in "]}" and depth > 0
        if depth > 100:  # well inside what no plan or ledger writes
            break
    try:
        return parser.TOMLDecodeError(_NESTED_TOO_DEEP, text, pos)  # (it finds the line and column itself)
    except TypeError:  # pragma: no cover - the standard library's parser (3.11) takes a message only
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        error = parser.TOMLDecodeError(f"{_NESTED_TOO_DEEP} (at line {line}, column {column})")
        error.lineno, error.colno = line, column
        return error


def __getattr__(name: str):  # TOMLDecodeError, from the parser
    if name == "TOMLDecodeError":
        return _reference().TOMLDecodeError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# tomli's messages, in the reader's language (the parameter, where there is one, is kept)
_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"Invalid statement", N_("invalid statement")),
    (_NESTED_TOO_DEEP, N_("arrays or tables nested too deep")),
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


# a value that looks like a date, as a person may type one (2024-6-30, 2024-13-01, 2023-06-30T25:00)
_DATE_LIKE = re.compile(r"=[ \t]*(\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{1,2}(?::\d{1,2})?\S*)?)[ \t]*(?:#.*)?$")
# a value written unquoted the way a person writes a figure or a date in Chinese text
_PERCENT = re.compile(r"=[ \t]*(\d+(?:\.\d+)?)[ \t]*[%％]")
_SCALED = re.compile(r"=[ \t]*(\d+(?:\.\d+)?)[ \t]*([万亿])")
_GROUPED = re.compile(r"=[ \t]*(\d{1,3}(?:[,，]\d{3})+)(?![\d.])")
_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_SHORT_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")
_CN_KEY = re.compile(r"^[ \t]*([^\x00-\x7f=\[#\"'\s][^=\[\]\"']*?)[ \t]*=")


def _line_typo(exc: Exception) -> Msg | None:
    """What a person wrote on the line of a parse error, where it is one of the usual slips of
    someone who writes figures and dates as Chinese text does, said with what to write instead:
    60% (a share is written as its number: the unit says %), 1.5万, 15,000, 2025年6月30日, a key
    in Chinese, a full-width ＃ or a Chinese comma in a list."""
    doc, pos = getattr(exc, "doc", None), getattr(exc, "pos", None)
    if not isinstance(doc, str) or not isinstance(pos, int):
        return None
    start = doc.rfind("\n", 0, pos) + 1
    end = doc.find("\n", pos)
    line = doc[start:len(doc) if end < 0 else end]
    code = line.split("#", 1)[0] if '"' not in line else line
    if line.startswith(("<<<<<<<", "=======", ">>>>>>>", "|||||||")):
        return msg("a git conflict left its markers here (<<<<<<<, =======, >>>>>>>): keep the entries of both "
                   "sides, each with an id of its own, and delete the three marker lines")
    if line.lstrip().startswith("＃"):
        return msg("a comment starts with an ASCII # (not ＃)")
    if m := _CN_KEY.match(line):
        return msg("'{key}' is not a field name: a field is named in English (name, unit, target …), and the Chinese "
                   "words go in its value, quoted: name = \"…\"", key=m[1])
    if m := _PERCENT.search(code):
        return msg("write a percentage as its number, without %: {number} (the unit % says it is a share)",
                   number=m[1])
    if m := _SCALED.search(code):
        full = Decimal(m[1]) * (10**4 if m[2] == "万" else 10**8)
        return msg("write the number in full, without 万 or 亿: {number}", number=format(full.normalize(), "f"))
    if m := _GROUPED.search(code):
        return msg("write the number without separators: {number}", number=re.sub(r"[,，]", "", m[1]))
    if m := _CN_DATE.search(code):
        return msg("write a date as {date}, not {text}", date=f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}",
                   text=m[0])
    for m in _SHORT_DATE.finditer(code):  # 2025-6-30 inside an inline table or an array
        padded = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
        if m[0] != padded:
            return msg("a date is written with two digits for the month and the day: {date}, not {text}", date=padded,
                       text=m[0])
    if "，" in code and "[" in doc[doc.rfind("=", 0, pos) if "=" in doc[start:pos] else start:pos + 1]:
        return msg("items of a list are separated by an ASCII comma ',' (not '，')")
    return None


def _date_typo(exc: Exception) -> Msg | None:
    """What is wrong with a date TOML does not read where tomli only says that the line should end
    after a value (it read ``2024`` of ``2024-6-30`` as a number): a month or day of one digit,
    or a day the calendar does not have."""
    doc, pos = getattr(exc, "doc", None), getattr(exc, "pos", None)
    if not isinstance(doc, str) or not isinstance(pos, int):
        return None
    start = doc.rfind("\n", 0, pos) + 1
    end = doc.find("\n", pos)
    m = _DATE_LIKE.search(doc[start:len(doc) if end < 0 else end])
    if m is None:
        return None
    text = m[1]
    year, month, day = (int(x) for x in re.match(r"(\d+)-(\d+)-(\d+)", text).groups())
    try:
        _dt.date(year, month, day)
    except ValueError:
        return msg("'{text}' is not a date in the calendar", text=text)
    padded = f"{year:04d}-{month:02d}-{day:02d}"
    if not text.startswith(padded):
        return msg("a date is written with two digits for the month and the day: {date}, not {text}", date=padded,
                   text=text)
    return msg("'{text}' is not a date and time TOML reads (write 2024-06-30, or 2024-06-30 09:00:00+08:00)",
               text=text)


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
    typo = _line_typo(exc)
    if typo is None and raw in ("Expected newline or end of document after a statement", "Invalid date or datetime",
                                "Unclosed inline table", "Unclosed array"):
        typo = _date_typo(exc)
    if typo is not None:
        return line, msg("TOML syntax: {detail}", detail=typo)
    if column:
        return line, msg("TOML syntax: {detail} (column {column})", detail=detail, column=column)
    return line, msg("TOML syntax: {detail}", detail=detail)


# --------------------------------------------------------------------------- the tool's own entries, fast
#
# Rebuilding a ledger's index parses every [[entries]] block; almost all of them are exactly as
# this tool writes them (``tomli_w`` for one table). ``entry_table`` reads that strict form
# only: ``key = value`` lines with the entry's bare keys, each once; values that are basic
# strings without escapes or control characters, true/false, decimal integers and plain floats
# (no sign but '-', no underscore, no exponent), local dates and ``YYYY-MM-DD HH:MM:SS±HH:MM``.
# Anything else (a comment, an array, CRLF, ``Z``, a fraction of a second, an invalid date …)
# returns None and the block goes to ``loads``: the result is always exactly what ``loads``
# gives (tests/test_fast_toml.py proves it on generated and mutated texts).

_ENTRY_KEYS = frozenset((
    "id", "indicator", "county", "as_of", "value", "added", "numerator", "denominator", "state",
    "supersedes", "void", "for_city", "reason", "note", "source", "batch", "batch_size", "accepted", "by", "recorded_at",
))
_SCALAR_PATTERN = (
    r"(-?(?:0|[1-9][0-9]{0,17}))"  # 1 an integer
    r"|(-?(?:0|[1-9][0-9]{0,17})\.[0-9]{1,40})"  # 2 a float
    r"|([0-9]{4})-([0-9]{2})-([0-9]{2})"  # 3-5 a date
    r"(?: ([0-9]{2}):([0-9]{2}):([0-9]{2})([+-])([0-9]{2}):([0-9]{2}))?")  # 6-11 with a time and its offset
_zones: dict[tuple[str, str, str], _dt.timezone] = {}
_dates: dict[str, _dt.date] = {}


def _zone(sign: str, hours: str, minutes: str) -> _dt.timezone | None:
    key = (sign, hours, minutes)
    tz = _zones.get(key)
    if tz is None:
        h, m = int(hours), int(minutes)
        if h > 23 or m > 59:  # tomli's pattern: ([01][0-9]|2[0-3]):([0-5][0-9])
            return None
        s = 1 if sign == "+" else -1
        tz = _zones[key] = _dt.timezone(_dt.timedelta(hours=s * h, minutes=s * m))
    return tz


_INT = r"(-?(?:0|[1-9][0-9]{0,17}))"  # each form captures its value's text: one group
_NUM = r"(-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,40})?)"
_STR = r'"([^"\\\x00-\x1f\x7f]*)"'  # (the text without its quotes)
_BOOL = "(true|false)"
_TYPES = {  # each key in the order written, and the form of value tomli_w writes for it
    "id": _INT, "indicator": _STR, "county": _STR, "as_of": r"([0-9]{4}-[0-9]{2}-[0-9]{2})", "value": _NUM,
    "added": _NUM, "numerator": _NUM, "denominator": _NUM, "state": _STR,
    "supersedes": f"(?:{_INT}|{_STR})",  # two groups: a number, or a text (another office's entry)
    "void": _BOOL, "for_city": _BOOL, "reason": _STR, "note": _STR, "source": _STR, "batch": _STR, "batch_size": _INT,
    "by": _STR,  # (accepted, a list, is left to the line reader, which leaves it to tomli)
    # tomli's own ranges for the time and the offset (the day is checked by making the date)
    "recorded_at": r"([0-9]{4}-[0-9]{2}-[0-9]{2} (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9][+-](?:[01][0-9]|2[0-3]):[0-5][0-9])",
}
# each key's line is possessive (``?+``): a line that matched is never given back, since no
# later part of the pattern could match it instead (each line starts with its own key); the
# engine skips trying, 3.06 -> 2.79 µs a block of the synthetic ledger
_BLOCK_PATTERN = r"\[\[entries\]\]\n" + "".join(f"(?:{k} = {t}\n)?+" for k, t in _TYPES.items()) + r"\n*"
_BLOCK: re.Pattern | None = None  # both compiled when the first block is read (3 ms a start otherwise)
_SCALAR: re.Pattern | None = None


def _compile() -> tuple[re.Pattern, re.Pattern]:
    global _BLOCK, _SCALAR
    _BLOCK, _SCALAR = re.compile(_BLOCK_PATTERN), re.compile(_SCALAR_PATTERN)
    return _BLOCK, _SCALAR


def number(v: str) -> int | float:
    """A number of the form (an integer, or a decimal with a point)."""
    return float(v) if "." in v else int(v)


def day(v: str) -> _dt.date:
    day = _dates.get(v)
    if day is None:
        day = _dt.date.fromisoformat(v)  # ValueError for a day its month does not have
        if len(_dates) < 4096:
            _dates[v] = day
    return day


def _bool(v: str) -> bool:
    return v == "true"


_CONVERT = {"id": int, "as_of": day, "value": number, "added": number, "numerator": number, "denominator": number,
            "void": _bool, "for_city": _bool, "batch_size": int,
            # YYYY-MM-DD HH:MM:SS±HH:MM only: the zone is timezone(timedelta(…)) as tomli makes it (UTC for ±00:00)
            "recorded_at": _dt.datetime.fromisoformat}
# one step a group: (key, how its text becomes the value; None: as it is)
_STEPS = tuple(step for k in _TYPES for step in ([(k, int), (k, None)] if k == "supersedes" else [(k, _CONVERT.get(k))]))
GROUPS = tuple(k for k, _ in _STEPS)  # the key of each of entry_groups' texts (supersedes twice: a number, a text)


def entry_groups(text: str) -> tuple[str | None, ...] | None:
    """The value texts of a block written exactly as the tool writes it, one per :data:`GROUPS`
    (None for a key it does not have), or None. The texts have the form of their key's value;
    a date's day is not checked yet (:func:`day` does)."""
    m = (_BLOCK or _compile()[0]).fullmatch(text)
    return None if m is None else m.groups()


def entry_table(text: str) -> dict[str, Any] | None:
    """The one table of a block ``[[entries]]\\n…`` in the tool's own form, or None (use ``loads``)."""
    groups = entry_groups(text)
    if groups is None:
        return _entry_lines(text)
    row: dict[str, Any] = {}
    try:
        for (key, convert), v in zip(_STEPS, groups):
            if v is not None:
                row[key] = v if convert is None else convert(v)
    except ValueError:  # an invalid date
        return None
    return row


def _entry_lines(text: str) -> dict[str, Any] | None:
    """:func:`entry_table` for keys in any order, one a line."""
    lines = text.split("\n")
    if lines[0] != "[[entries]]" or "\r" in text:
        return None
    row: dict[str, Any] = {}
    for k in range(1, len(lines)):
        line = lines[k]
        if not line:
            continue
        key, sep, v = line.partition(" = ")
        if not sep or key not in _ENTRY_KEYS or key in row or not v:
            return None
        c = v[0]
        if c == '"':
            s = v[1:-1]
            if len(v) < 2 or v[-1] != '"' or '"' in s or "\\" in s or not s.isprintable():
                return None
            row[key] = s
        elif c == "t" or c == "f":
            if v == "true":
                row[key] = True
            elif v == "false":
                row[key] = False
            else:
                return None
        else:
            day = _dates.get(v)
            if day is not None:
                row[key] = day
                continue
            m = (_SCALAR or _compile()[1]).fullmatch(v)
            if m is None:
                return None
            if m.lastindex == 1:
                row[key] = int(v)
            elif m.lastindex == 2:
                row[key] = float(v)
            else:
                try:
                    day = _dt.date(int(m[3]), int(m[4]), int(m[5]))
                    if m[6] is None:
                        if len(_dates) < 4096:
                            _dates[v] = day
                        row[key] = day
                        continue
                    tz = _zone(m[9], m[10], m[11])
                    if tz is None:
                        return None
                    row[key] = _dt.datetime(day.year, day.month, day.day, int(m[6]), int(m[7]), int(m[8]), tzinfo=tz)
                except ValueError:
                    return None
    return row
