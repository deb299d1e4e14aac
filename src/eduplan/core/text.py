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
