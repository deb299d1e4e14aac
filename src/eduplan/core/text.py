"""Free text people type (a note, a source, a reason, a name): what may be stored.

Text must be Unicode a file can hold: bytes that were not UTF-8 (which arrive as lone
surrogates) and control characters other than tab and new line are refused, with the
field named, before anything is written. Whatever a hand-edited file holds anyway is made
safe where it is shown (:mod:`eduplan.render.safe`).
"""

from __future__ import annotations

import unicodedata

from ..errors import EduplanError
from ..i18n import msg

MAX_TEXT = 10_000
_INVISIBLE = ("Cf", "Cc", "Co", "Cs", "Zl", "Zp")


def invisible(ch: str) -> bool:
    """A character a person cannot see or that moves the cursor: format controls (a zero-width
    space, a direction mark), control characters, private-use characters, lone surrogates, line
    and paragraph separators."""
    return unicodedata.category(ch) in _INVISIBLE


def visible(text: str, keep: str = "") -> str:
    """``text`` as it can be shown back to the person who typed it: every invisible character
    (but those in ``keep``) written as an escape, ``椒\\u200b江``."""
    if text.isprintable():  # every invisible character is unprintable: most text returns here
        return text
    return "".join(_escape(ch) if ch not in keep and invisible(ch) else ch for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)  # as Python writes it, and as the terminal renderer does (render/safe.py)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def has_invisible(text: str) -> bool:
    return not text.isprintable() and any(invisible(ch) for ch in text)


def refuse_invisible(text: str, field: str | None) -> str:
    """A name as typed, or an error showing where it holds an invisible character (as an escape)."""
    if has_invisible(text):
        raise EduplanError(msg("'{text}' contains an invisible or control character; type the name again",
                               text=visible(text)), field=field)
    return text


def check_text(value: str | None, field: str, *, one_line: bool = False) -> str | None:
    """The text as typed, or an error naming the field; blank text is None."""
    if value is None:
        return None
    for ch in value:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            raise EduplanError(msg("the text holds bytes that are not UTF-8; type it again (or save the file as UTF-8)"),
                               field=field)
        if ch in "\t\n" and not one_line:
            continue
        if unicodedata.category(ch) == "Cc" or ch in "\u2028\u2029":
            raise EduplanError(msg("the text holds a control character (U+{code:04X}); type it again", code=code),
                               field=field)
    if len(value) > MAX_TEXT:
        raise EduplanError(msg("the text is longer than {n} characters", n=MAX_TEXT), field=field)
    return value if value.strip() else None
