"""Where a line of a terminal table may break: rich's word wrapping, with the Chinese rules for
punctuation (禁则, GB/T 15834 and the W3C's "Requirements for Chinese Text Layout").

rich breaks a line at spaces and folds a word longer than its column at whatever character reaches
the column's edge. Chinese text has no spaces, so a name is one long word and folded anywhere:
``新增幼儿学位（个`` / ``）``, ``建成标准化心理辅导中心平台的县(市`` / ``、区)``. Here a fold never
puts a closing mark (``、，。）」`` …, and ``%`` or a full stop) at the start of a line nor an
opening one (``（「“`` …) at its end: the characters that would break the rule move to the next
line with the one they belong to (``新增幼儿学位`` / ``（个）``); a word with hyphens (an id, a date)
folds after a hyphen (``county-counselling-`` / ``centres``); a no-break space (U+00A0) joins the
words on either side. A run of Chinese prose (:data:`FLOWS` cells or more) that does not fit what
is left of a line goes on on it, between two Chinese characters, instead of moving whole to the
next line as rich moves a word; in a list (``东城区、西湖县、南山市``) a line ends after a whole
item where it can. Everything else is rich's own :func:`rich._wrap.divide_line`, so text without
such a fold wraps exactly as before.

Both writers of tables use it: :mod:`eduplan.render.grid` calls :func:`divide_line` directly, and
:func:`install` makes rich's ``Text.wrap`` call it (``rich.text`` looks ``divide_line`` up in its
module when it wraps), so that every table, title and line rich prints for eduplan follows the same
rules and the grid writer still prints what rich prints, character for character.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich._loop import loop_last
from rich.cells import cell_len, chop_cells

# may not start a line: closing brackets and quotes, pause and stop marks (full and half width), %
NO_START = frozenset("、，。．：；！？）］｝〕〉》」』】〗〙〛”’…‥·％,.:;!?)]}%")
# may not end a line: opening brackets and quotes
NO_END = frozenset("（［｛〔〈《「『【〖〘〚“‘([{")


NBSP = "\u00a0"  # a space that does not break: the words of ``no data 3`` stay on one line
# rich's word (``\s*\S+\s*``), with a no-break space inside a word
_WORD = re.compile(r"(?:(?!\xa0)\s)*(?:\S|\xa0)+(?:(?!\xa0)\s)*")


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """Each word with the spaces after it (the spaces before the first word with it), as
    :func:`rich._wrap.words` finds them, but a no-break space does not end a word, and a word that
    starts with a closing mark (``suicide …)``) is one with the word before it."""
    match = _WORD.match(text, 0)
    while match is not None:
        start, end = match.span()
        match = _WORD.match(text, end)
        while match is not None and match.group(0)[0] in NO_START:
            end = match.end()
            match = _WORD.match(text, end)
        yield start, end, text[start:end]


def _allowed(text: str, at: int) -> bool:
    return text[at] not in NO_START and text[at - 1] not in NO_END and not _in_number(text, at)


_DIGITS = frozenset("0123456789")
_NUMBER_END = _DIGITS | frozenset("万亿")


# units of more than one character, read whole after their number (0.3个百|分点 was a figure cut in two)
_UNIT_WORDS = ("个百分点", "百分点", "人次")


def _in_number(text: str, at: int) -> bool:
    """Does a break at ``at`` fall inside a number (13.|33), between a number and its unit
    (13.33亿|元, 35|所) or inside a unit of several characters after its number (0.3个百|分点): a
    figure is read whole."""
    before, after = text[at - 1], text[at]
    for unit in _UNIT_WORDS:
        for start in range(max(1, at - len(unit) + 1), at):
            if text.startswith(unit, start) and text[start - 1] in _NUMBER_END:
                return True
    if before in _DIGITS or (before == "." and after in _DIGITS):
        return after in _DIGITS or after == "." or bool(_CHINESE.match(after))
    return before in "万亿" and at >= 2 and text[at - 2] in _DIGITS and bool(_CHINESE.match(after))


def _fold(word: str, width: int) -> list[str]:
    """``chop_cells(word, width)`` with each break moved back, where it falls between two characters
    the rules keep together, to the nearest place where it does not (at a grapheme's start), or to
    just after the line's last hyphen between letters or digits; a line with no such place is folded
    as rich folds it."""
    pieces = chop_cells(word, width)
    if len(pieces) < 2:
        return pieces
    if not any(c in NO_START or c in NO_END or c == "-" or c in _DIGITS for c in word):
        return _no_orphan(pieces, width)
    out: list[str] = []
    rest = word
    while True:
        pieces = chop_cells(rest, width)
        if len(pieces) < 2 or not pieces[0]:
            out.extend(pieces)
            return _no_orphan(out, width)
        at = len(pieces[0])
        if not _allowed(rest, at):
            from rich.cells import split_graphemes

            starts = [a for a, _b, _w in split_graphemes(rest[:at])[0] if a > 0]
            at = next((a for a in reversed(starts) if _allowed(rest, a)), at)
        at = _after_item(rest, at)
        hyphen = rest.rfind("-", 1, at - 1)  # an id or a date: after its last hyphen that fits
        inside = rest[hyphen + 1:at]  # the break falls inside that id or date, not in Chinese text after it
        if (hyphen > 0 and rest[at - 1] != "-" and rest[hyphen - 1].isalnum() and inside.isascii()
                and inside.isalnum()):
            at = hyphen + 1
        out.append(rest[:at])
        rest = rest[at:]


def _no_orphan(lines: list[str], width: int) -> list[str]:
    """A fold whose last line would be one Chinese character (中小学校食堂采购问题专项治 / 理) takes
    one more down with it (…专项 / 治理), where a line may end there."""
    if len(lines) < 2:
        return lines
    last, before = lines[-1], lines[-2]
    if (len(last) == 1 and _CHINESE.match(last) and len(before) > 2 and _CHINESE.match(before[-1])
            and cell_len(before[-1] + last) <= width and _allowed(before + last, len(before) - 1)):
        return [*lines[:-2], before[:-1], before[-1] + last]
    return lines


# Chinese characters and their punctuation: Chinese text flows from one line to the next between
# any two of them (where the rules above allow), as a Chinese reader expects, with no space to break at
_CHINESE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019\u2026]")


# a run shorter than this (in cells) is kept whole, as rich keeps a word: a figure with its unit
# (每月3.5所), a name; a longer one is prose, and flows
FLOWS = 16
# a line of Chinese ends after the last 、 that fits rather than inside the item after it, where
# the item's part that would fit is at most this many cells (a county's name, a short name)
LIST_ITEM = 12
LIST_MARKS = "、："  # what ends an item of a list, or opens one (…不评价：新建改扩建学校、…)


def _after_item(text: str, at: int) -> int:
    """A break at ``at`` moved back to just after the last 、 or ： before it, where that leaves
    at most :data:`LIST_ITEM` cells empty: a list's item (a name) is not broken in two."""
    used = 0
    for j in range(at - 1, 0, -1):
        used += cell_len(text[j])
        if used > LIST_ITEM:
            break
        if text[j - 1] in LIST_MARKS and _allowed(text, j):
            return j
    return at


def _fill(word: str, room: int) -> int:
    """How many characters of ``word`` go at the end of a line with ``room`` cells left: the most
    that fit and end between two Chinese characters, where the rules above allow a break (never
    between a number and its unit, nor inside a number or an id); 0 where none do, or where the
    word is shorter than :data:`FLOWS`."""
    if cell_len(word.rstrip()) < FLOWS:
        return 0
    best = used = listed = 0
    at: dict[int, int] = {}
    for i, ch in enumerate(word[:-1], 1):
        used += cell_len(ch)
        if used > room:
            break
        if _CHINESE.match(ch) and _CHINESE.match(word[i]) and _allowed(word, i):
            best = i
            at[i] = used
            if ch in LIST_MARKS:
                listed = i
    # in a list (东城区、西湖县、南山市) a line ends after a whole item, where that leaves little room empty
    return listed if listed and at[best] - at[listed] <= LIST_ITEM else best


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """Where ``text`` breaks to fit ``width`` cells (rich's :func:`rich._wrap.divide_line`, the same
    arguments and answer), a folded word broken only where the rules above allow; and Chinese text
    that does not fit what is left of a line goes on on it, up to a place where it may break, instead
    of leaving the rest of the line empty (``路桥区：截至 2023-04-19 的相同数字（6个）`` / ``重复填报``,
    not ``路桥区：截至 2023-04-19`` / ``的相同数字（6个）重复填报``)."""
    break_positions: list[int] = []
    append = break_positions.append
    cell_offset = 0
    for start, _end, word in words(text):
        word_length = cell_len(word.rstrip())
        if width - cell_offset >= word_length:
            cell_offset += cell_len(word)
            continue
        broken = False  # a line already begins inside this word (Chinese prose, filled up to it)
        if fold and cell_offset and start and (k := _fill(word, width - cell_offset)):
            start += k
            append(start)
            word = word[k:]
            word_length = cell_len(word.rstrip())
            cell_offset, broken = 0, True
            if width >= word_length:
                cell_offset = cell_len(word)
                continue
        if word_length > width:
            if fold:
                for last, line in loop_last(_fold(word, width)):
                    if start and not broken:
                        append(start)
                    broken = False
                    if last:
                        cell_offset = cell_len(line)
                    else:
                        start += len(line)
            else:
                if start:
                    append(start)
                cell_offset = cell_len(word)
        elif cell_offset and start:
            append(start)
            cell_offset = cell_len(word)
    return break_positions


def install() -> None:
    """Make rich's ``Text.wrap`` break lines with :func:`divide_line` (idempotent)."""
    import rich.text

    if rich.text.divide_line is not divide_line:
        rich.text.divide_line = divide_line
