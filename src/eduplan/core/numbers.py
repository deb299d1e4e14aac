"""Reading numbers and dates the way the plan document and bureau staff write them.

``3.5万`` → 35000, ``90亿元`` → 9000000000, ``56%`` → 56, ``110余名`` → 110,
``1,234`` → 1234, ``12000/21000`` → a ratio, ``完成`` → a milestone state;
``2023-06-30``, ``2023年6月30日``, ``6月底``, ``上半年末`` → a date.

Pure functions: no I/O. Every reader raises :class:`NumberError` (a ``ValueError``) whose
``message`` is a :class:`~eduplan.i18n.Msg` a person can act on.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from ..i18n import Msg, msg
from .text import invisible, visible

__all__ = [
    "Ambiguous", "NumberError", "Period", "Quantity", "Ratio", "STATES", "MAX_EXACT", "date_hint", "example_day",
    "find_quantities", "fixed", "format_number", "parse_date", "parse_month", "parse_quantity", "parse_ratio",
    "parse_state", "to_plain",
]

MULTIPLIERS = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}

# Largest integer a float (and so TOML, JSON and Excel) holds exactly: no figure is larger.
MAX_EXACT = 2**53

# Words that may follow a figure: measure words and the document's quantifiers.
UNIT_WORDS = (
    "人次", "元", "个", "所", "家", "名", "人", "位", "场", "条", "项", "次", "间", "座", "台", "套", "起", "县",
)
COUNT_WORDS = frozenset(w for w in UNIT_WORDS if w != "元")  # classifiers: things counted in whole numbers
_QUANTIFIERS = ("以上", "余", "多", "左右")

_NUMBER = r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)"
_QUANTITY = rf"^\s*(?P<lead>约|达到|达)?\s*{_NUMBER}\s*(?P<mult>[万亿])?\s*(?P<rest>.*?)\s*$"
_SCAN = r"(?<![\d.])(\d+(?:,\d{3})*(?:\.\d+)?)\s*([万亿])?"
_TRAILER = (
    "^(?P<q1>{q})?(?P<unit>{u})?(?P<q2>{q})?$".format(
        q="|".join(_QUANTIFIERS), u="|".join(sorted(UNIT_WORDS, key=len, reverse=True))
    )
)


class NumberError(ValueError):
    """A figure or date that cannot be read; ``message`` says why. What the person typed
    (``text``, ``rest``) is shown with its invisible characters as escapes (``1\\u200b3亿``)."""

    def __init__(self, message: Msg):
        super().__init__(message.text)
        message.params.update({k: visible(v) for k, v in message.params.items() if k in ("text", "rest")
                               and isinstance(v, str)})
        self.message = message


class Ambiguous(NumberError):
    """A date, month or part of the year that the plan period holds more than once (9月 in a
    two-year plan, 三季度 in a school year): the year is to be written."""


def _seen(text: str) -> None:
    """Refuse a value holding an invisible character (a zero-width space pasted with it): it could
    not be read anyway, and the person is told why, where it stands. Spaces, tabs and line breaks
    around a figure are not refused (they are read past)."""
    if isinstance(text, str) and not text.isprintable() and any(invisible(ch) and not ch.isspace() for ch in text):
        raise NumberError(msg("'{text}' contains an invisible or control character; type it again", text=text))
    if isinstance(text, str) and not text.isascii():
        odd = next((ch for ch in text if _lookalike(ch)), None)
        if odd is not None:
            raise NumberError(msg("'{text}' has '{char}', a superscript, circled or other special form of a digit "
                                  "(a footnote mark pasted with the figure?); type the figure in ordinary digits",
                                  text=text, char=odd))


# How NFKC, which reads a full-width １２％ (a Chinese keyboard's digits) as 12%, would also read
# other forms: a superscript (3000¹, a footnote mark pasted from a document: 30001), a circled
# digit (① → 1), a fraction (½ → 1⁄2), a mathematical digit (𝟏), a digit in brackets (⑴).
# Those are refused in a figure or a date; full-width, half-width and small forms and spaces are not.
_LOOKALIKE_FORMS = ("<super>", "<sub>", "<circle>", "<fraction>", "<font>", "<compat>", "<square>")


def _lookalike(ch: str) -> bool:
    """Is ``ch`` a special form that NFKC turns into digits (or a slash), not one a person types for them?"""
    if ch.isascii() or ch.isspace():
        return False
    form = unicodedata.decomposition(ch)
    if not form.startswith(_LOOKALIKE_FORMS):
        return False
    folded = unicodedata.normalize("NFKC", ch)
    return any(c.isdigit() or c in "/\u2044" for c in folded)


class Quantity(NamedTuple):
    """A figure in base units; ``percent`` when written with ``%``; ``unit`` the measure word
    written after it (``元`` in ``90亿元``), if any; ``approx`` the word that makes it a round
    or a least figure rather than an exact one (``约`` in ``约30所``, ``余`` in ``110余名``,
    ``以上`` in ``54个以上``, ``多``, ``左右``), if any. A plan's text says targets that way
    (``110余名`` is at least 110); a figure for the ledger should not be (:mod:`eduplan.core.rules`)."""

    value: Decimal
    percent: bool
    unit: str | None = None
    approx: str | None = None


class Ratio(NamedTuple):
    """A share written as numerator/denominator (``12000/21000``)."""

    numerator: Decimal
    denominator: Decimal
    approx: str | None = None  # as in :class:`Quantity`, of either part

    @property
    def percent(self) -> Decimal:
        return self.numerator * 100 / self.denominator


STATES: dict[str, str] = {
    "done": "done", "completed": "done", "complete": "done", "完成": "done", "已完成": "done", "已建成": "done",
    "in-progress": "in-progress", "in_progress": "in-progress", "inprogress": "in-progress",
    "in progress": "in-progress", "started": "in-progress", "进行中": "in-progress", "推进中": "in-progress",
    "not-started": "not-started", "not_started": "not-started", "not started": "not-started", "todo": "not-started",
    "未开始": "not-started", "未启动": "not-started",
}


def days_in_month(year: int, month: int) -> int:
    """The number of days in a month of the Gregorian calendar (what ``calendar.monthrange``
    gives second, without importing ``calendar`` into every start). ValueError for a month
    that is not 1–12."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1-12")
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def normalise(text: str) -> str:
    """NFKC folds full-width digits, commas, the full-width percent sign and slash."""
    return unicodedata.normalize("NFKC", text).strip()


def _check_size(value: Decimal, original: str) -> Decimal:
    if not value.is_finite() or abs(value) > MAX_EXACT:
        raise NumberError(msg("'{text}' is too large to record exactly", text=original))
    return value


_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(r"^(约|达到|达)?(百分之)?([零〇一二两三四五六七八九十百千万亿]+)(?:点([零〇一二三四五六七八九]+))?")


def chinese_integer(text: str) -> int | None:
    """A whole number in Chinese numerals (十三, 两万, 一千零五, 三亿五千万), None where the text is
    not one or says it ambiguously: digits in a row (一二), a last digit right after 百, 千, 万 or
    亿 (一百五, 两万五: 150 or 105? write 一百五十), units out of order (十百)."""
    total = wan = section = 0
    digit: int | None = None
    last_small = 10**9  # 十百千 within a section must fall
    unit_before = False  # the digit read came right after 百, 千, 万 or 亿 (not after 十 or 零)
    previous = ""
    for ch in text:
        if ch in _CN_DIGITS and _CN_DIGITS[ch] == 0:
            if digit is not None:
                return None
        elif ch in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[ch]
            unit_before = previous in ("百", "千", "万", "亿")
        elif ch in _CN_SMALL:
            m = _CN_SMALL[ch]
            if m >= last_small or (digit is None and (m != 10 or section or wan or total)):
                return None  # 十百; 百 without a digit; 十 without one only to begin (十三)
            section += (1 if digit is None else digit) * m
            digit, last_small = None, m
        else:  # 万, 亿
            if digit is not None and unit_before:
                return None  # 一百五万
            section += digit or 0
            if ch == "万":
                if section == 0 or wan:
                    return None
                wan, section = section, 0
            else:
                if section == 0 and wan == 0:
                    return None
                total = (total + wan * 10**4 + section) * 10**8
                wan = section = 0
            digit, last_small = None, 10**9
        previous = ch
    if digit is not None and unit_before:
        return None
    value = total + wan * 10**4 + section + (digit or 0)
    return value if text and (value or set(text) <= {"零", "〇"}) else None


def _arabic(text: str) -> str:
    """A figure written in Chinese numerals as the same figure in digits (十三所 → 13所, 两万人 →
    20000人, 三点五万 → 3.5万, 百分之八十五 → 85%); anything else as it is."""
    match = _CN_NUMBER.match(text)
    if match is None:
        return text
    whole = 100 if match[2] and match[3] == "百" else chinese_integer(match[3])  # 百分之百
    if whole is None:
        raise NumberError(msg("'{text}' cannot be read in Chinese numerals without guessing; write the figure in "
                              "digits (12, 3.5万, 25000) or in full (两万五千)", text=text))
    number = str(whole) + ("." + "".join(str(_CN_DIGITS[ch]) for ch in match[4]) if match[4] else "")
    return (match[1] or "") + number + ("%" if match[2] else "") + text[match.end():]


_SCALES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
_PART = r"\d+(?:\.\d+)?\s*(?:[十百千]?[万亿]|[百千])"
_COMPOUND = re.compile(rf"^(?P<lead>约|达到|达)?\s*(?P<parts>(?:{_PART}\s*)+)(?P<rest>.*)$")


def _compound(text: str) -> str:
    """A figure written with 千/百 or a run of parts as digits (5千万 → 50000000, 3千 → 3000, 1万5千 →
    15000, 2亿3千万 → 230000000); anything else as it is (3.5万 and 90亿 are read as they stand).
    Each part names its own scale, larger first: 1万5 (10005 or 15000?) is not one of these."""
    match = _COMPOUND.match(text)
    if match is None or match["rest"].lstrip().startswith(("%", "％")):
        return text  # (万 with % is refused as it stands)
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([十百千]?)([万亿]?)", match["parts"])
    parts = [(n, small, big) for n, small, big in parts if small or big]
    if len(parts) == 1 and not parts[0][1]:
        return text  # 3.5万, 90亿: the usual way, read as it stands
    total = Decimal(0)
    last = None
    for number, small, big in parts:
        scale = (_SCALES[small] if small else 1) * (_SCALES[big] if big else 1)
        if last is not None and scale >= last:
            return text  # scales out of order (3千2万): left to be refused as it stands
        total += Decimal(number) * scale
        last = scale
    return (match["lead"] or "") + format(total.normalize(), "f") + match["rest"]


_NOT_APPLICABLE = frozenset({"/", "／", "—", "-", "–", "——", "\\"})
_SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE][+-]?\d+")


def parse_quantity(text: str) -> Quantity:
    """Read one figure: ``12``, ``1,234``, ``3.5万``, ``90亿元``, ``56%``, ``110余名``; in Chinese
    numerals too (``十三所``, ``两万``, ``百分之八十五``).

    Returns the value in base units (万 = 10⁴, 亿 = 10⁸), whether it carried ``%``, and the
    measure word after it. Rejects anything else: words, ``nan``, exponents, negative signs.
    """
    _seen(text)
    original = text
    text = _compound(_arabic(normalise(text)))
    if not text:
        raise NumberError(msg("the value is empty"))
    if text in _NOT_APPLICABLE:  # / or — for 不适用 in Chinese forms
        raise NumberError(msg("'{text}' is not a figure: where there is nothing to report, leave the cell empty (a row "
                              "without a figure is not imported)", text=original))
    if _SCIENTIFIC.fullmatch(text):  # what a spreadsheet shows (and a CSV keeps) of a long number: digits lost
        raise NumberError(msg("'{text}' is a number in scientific notation, as a spreadsheet shows a long number, with "
                              "digits lost: type the whole number (123456789012), in a cell formatted as a number or "
                              "as text", text=original))
    if text.startswith(("-", "−")):
        raise NumberError(msg("'{text}' is negative; figures are counts, amounts or shares", text=original))
    match = re.match(_QUANTITY, text)
    if match is None:
        raise NumberError(msg("'{text}' is not a number (write it as 12, 1,234, 3.5万, 90亿元 or 56%)", text=original))
    try:
        value = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise NumberError(msg("'{text}' is not a number (write it as 12, 1,234, 3.5万, 90亿元 or 56%)", text=original)) from None
    if match["mult"]:
        value *= MULTIPLIERS[match["mult"]]
    rest = match["rest"]
    percent = False
    if rest.startswith("%"):
        percent = True
        rest = rest[1:].strip()
        if match["mult"]:
            raise NumberError(msg("'{text}' mixes 万/亿 with %", text=original))
    unit = None
    approx = "约" if match["lead"] == "约" else None
    if rest:
        trailer = re.match(_TRAILER, rest)
        if trailer is None:
            raise NumberError(msg("'{text}' is not a number: cannot read '{rest}' after it", text=original, rest=rest))
        unit = trailer["unit"]
        approx = approx or trailer["q1"] or trailer["q2"]
        if percent and unit:
            raise NumberError(msg("'{text}' is a percentage and a count at once", text=original))
    return Quantity(_check_size(value, original), percent, unit, approx)


def parse_ratio(text: str) -> Ratio | None:
    """Read ``numerator/denominator`` (``12000/21000``, ``1.2万/2.1万``); None if no slash."""
    _seen(text)
    text_n = normalise(text)
    if "/" not in text_n:
        return None
    if text_n.strip() in _NOT_APPLICABLE:
        parse_quantity(text)  # (says what it is: no figure)
    parts = text_n.split("/")
    if len(parts) != 2:
        if len(parts) == 3 and all(p.strip().isdigit() for p in parts):  # 3/4 opened in a spreadsheet: 3/4/26
            raise NumberError(msg("'{text}' is a date a spreadsheet made of a ratio (3/4 becomes 3/4/26 when a CSV is "
                                  "opened in one): type the ratio again with spaces, 3 / 4, or use the .xlsx sheet",
                                  text=text))
        raise NumberError(msg("'{text}': write a ratio as numerator/denominator, e.g. 12000/21000", text=text))
    num, den = (parse_quantity(p) for p in parts)
    if num.percent or den.percent:
        raise NumberError(msg("'{text}': a ratio's parts are counts, not percentages", text=text))
    if den.value == 0:
        raise NumberError(msg("'{text}': the denominator is zero", text=text))
    if num.value > den.value:
        raise NumberError(msg("'{text}': the numerator is larger than the denominator (over 100%)", text=text))
    return Ratio(num.value, den.value, num.approx or den.approx)


def parse_state(text: str) -> str | None:
    """``done`` / ``in-progress`` / ``not-started`` (or 完成 / 进行中 / 未开始); None otherwise."""
    return STATES.get(normalise(text).lower())


def find_quantities(text: str) -> list[Decimal]:
    """Every figure written in digits in a phrase, in base units (``新增学位2万个`` → [20000])."""
    out = []
    for digits, mult in re.findall(_SCAN, normalise(text)):
        value = Decimal(digits.replace(",", ""))
        if mult:
            value *= MULTIPLIERS[mult]
        out.append(value)
    return out


def to_plain(value: Decimal) -> int | float:
    """The value as stored in TOML/JSON: an int when whole, else the nearest float."""
    if value == value.to_integral_value():
        return int(value)
    result = float(value)
    if not math.isfinite(result):  # pragma: no cover - bounded by _check_size
        raise NumberError(msg("'{text}' is too large to record exactly", text=str(value)))
    return result


def format_number(value: float | int | None, unit: str = "", *, digits: int = 1) -> str:
    """A figure for people: ``35000`` → ``3.5万``, ``9e9`` with 元 → ``90亿元``, 56 with % → ``56%``.

    Uses 万/亿 the way the document does, so what is shown can be typed back (exactly:
    an amount that 万/亿 cannot show exactly is written out in full, without separators).
    """
    if value is None:
        return "—"
    if unit == "%":
        return f"{_trim(value, _share_digits(value, digits))}%"
    suffix = "" if unit in ("", "项") else unit
    magnitude = abs(value)
    for scale, word in ((10**8, "亿"), (10**4, "万")):
        if magnitude >= scale and _exact(value, scale, digits):
            return f"{_trim(value / scale, digits + 1)}{word}{suffix}"
    return f"{_trim(value, digits)}{suffix}"


def _share_digits(value: float | int, digits: int) -> int:
    """The decimals a percentage is shown with: as typed up to two (55.96%, never 56%), else
    ``digits``, and more where fewer would read as all or nothing (99.999%, 0.004%: never 100%
    or 0%)."""
    exact = next((d for d in range(digits, 3) if abs(round(value, d) - value) < 1e-9), None)
    if exact is not None:
        return exact
    while digits < 6 and (round(value, digits) == 100 and value != 100 or round(value, digits) == 0 and value != 0):
        digits += 1
    return digits


def _exact(value: float, scale: int, digits: int) -> bool:
    """True when value/scale prints without losing anything at digits+1 decimals."""
    scaled = Decimal(str(value)) / scale
    return scaled == round(scaled, digits + 1)


def fixed(value: float | int | Decimal, digits: int) -> str:
    """``value`` with ``digits`` decimals, rounded half up as people round (四舍五入) on the number
    as written (1.825 → 1.83, 2.525 → 2.53), not on its binary value (f"{1.825:.2f}" is 1.82)."""
    if not isinstance(value, Decimal) and not math.isfinite(value):
        return f"{value:.{digits}f}"
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return format(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP), "f")


def _trim(value: float | int | Decimal, digits: int) -> str:
    """A number to ``digits`` decimals, rounded half up as people round (四舍五入: 1.25 → 1.3, 0.25 →
    0.3; a float's own formatting rounds an exact half to even, 1.2 and 0.2), trailing zeros
    left out."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))  # no thousands separators: the bureau writes 21761, not 21,761
    text = fixed(value, digits)
    return text.rstrip("0").rstrip(".") if "." in text else text


# --------------------------------------------------------------------------- dates

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _int(text: str) -> int:
    """``12``, ``十二``, ``三十一`` → an int (Chinese numerals up to 99)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))


_NUM = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"
_YEAR = r"(?:(\d{4})\s*[-/.年]\s*)"
_DATE = rf"^{_YEAR}?{_NUM}\s*[-/.月]\s*{_NUM}\s*[日号]?$"
_COMPACT = r"^((?:19|20)\d{2})(\d{2})(\d{2})$"  # 20230630, as systems and spreadsheets write a date
_COMPACT_MONTH = r"^((?:19|20)\d{2})(\d{2})$"  # 202306
_MONTH_END = rf"^{_YEAR}?{_NUM}\s*月\s*(?:底|末|末尾)$"
_NAMED = {  # month and day of named points of the (calendar) year
    "上半年末": (6, 30), "上半年底": (6, 30), "年中": (6, 30), "年底": (12, 31), "年末": (12, 31),
    "下半年末": (12, 31), "全年": (12, 31),
    "一季度末": (3, 31), "第一季度末": (3, 31), "二季度末": (6, 30), "第二季度末": (6, 30),
    "三季度末": (9, 30), "第三季度末": (9, 30), "四季度末": (12, 31), "第四季度末": (12, 31),
}

# A plan period, its first and last day: dates and months written without a year are read in it.
Period = tuple[dt.date, dt.date]

_CN_YEAR = re.compile(r"^([〇零一二三四五六七八九]{4})(?=年)")  # 二〇二三年, as official documents date them
_QUARTER_DIGIT = re.compile(r"(?<![\d])([1-4])(?=季度)")  # 3季度末, 第3季度末
# days and months said relative to the day they are typed (only where that day is known: a
# command's --as-of or --month, never a sheet, which is read again later)
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "today": 0, "yesterday": -1}
_RELATIVE_MONTH_ENDS = {"本月底": 0, "本月末": 0, "月底": 0, "上月底": -1, "上月末": -1, "上个月底": -1,
                        "上个月末": -1}
_RELATIVE_MONTHS = {"本月": 0, "当月": 0, "这个月": 0, "上月": -1, "上个月": -1}


def _shifted_month(today: dt.date, by: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 + by
    return index // 12, index % 12 + 1


def _plain(text: str) -> str:
    """A date or month as the patterns read it: NFKC, no spaces, a year written in Chinese
    digits (二〇二三年) and a quarter's number (3季度末) as the other forms write them."""
    norm = normalise(text).replace(" ", "")
    norm = _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[ch]) for ch in m[1]), norm)
    return _QUARTER_DIGIT.sub(lambda m: "一二三四"[int(m[1]) - 1], norm)


def _relative(text: str) -> NumberError:
    return NumberError(msg("'{text}' depends on the day the sheet is read; write the date itself", text=text))


def as_period(within: int | Period | None) -> Period | None:
    """A year (2023) as the period of that calendar year; a period as it is."""
    if within is None or isinstance(within, tuple):
        return within
    return dt.date(within, 1, 1), dt.date(within, 12, 31)


def calendar_bound(period: Period) -> bool:
    """Does the period lie within one calendar year (2023-01-01 … 2023-12-31, or part of one)?
    A school year (2024-09-01 … 2025-08-31) does not."""
    return period[0].year == period[1].year


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, days_in_month(year, month))


def _middle(period: Period) -> dt.date:
    """The end of the first half of the period's months (2024-09 … 2025-08: 2025-02-28)."""
    start, end = period
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    index = start.month - 1 + (months - 1) // 2
    return min(_month_end(start.year + index // 12, index % 12 + 1), end)


def _june_end(period: Period) -> dt.date | None:
    start, end = period
    inside = [d for d in (dt.date(y, 6, 30) for y in range(start.year, end.year + 1)) if start <= d <= end]
    return inside[0] if len(inside) == 1 else None


def example_day(within: int | Period | None) -> dt.date:
    """The date hints give as an example: the end of June where the period holds one June end
    (2023-06-30 in the year 2023), else the end of the first half of the period's months."""
    period = as_period(within)
    if period is None:
        return dt.date(2023, 6, 30)
    return _june_end(period) or _middle(period)


def date_hint(within: int | Period | None) -> Msg:
    """How to write a date, with examples in the period: ``2023-06-30、2023年6月30日、6月30日 或 6月底``."""
    day = example_day(within)
    return msg("write it as {iso}, {chinese}, {short} or {month_end}", iso=day.isoformat(),
               chinese=f"{day.year}年{day.month}月{day.day}日", short=f"{day.month}月{day.day}日",
               month_end=f"{day.month}月底")


def _with_year(text: str, year: int) -> str:
    """``6月底`` with a year: ``2024年6月底``; ``年底``: ``2024年底``."""
    return f"{year}{text}" if text.startswith("年") else f"{year}年{text}"


def _twice(text: str, period: Period, dates: list[dt.date], example: str) -> Ambiguous:
    return Ambiguous(msg("'{text}' falls in the plan period ({start} to {end}) more than once: {dates}; write the "
                         "year, e.g. {example}", text=text, start=period[0], end=period[1], dates=dates,
                         example=example))


def _in_period(text: str, period: Period, day_of) -> dt.date:
    """The one date in the period that a date written without its year names; ``day_of(year)``
    is that date in a year (ValueError where the year has none: 2月29日). One that falls in the
    period more than once is refused (write the year); one that falls in it never is the date
    nearest the period, which the caller refuses as outside the period, naming it."""
    start, end = period
    dates, missing = [], []
    for y in range(start.year, end.year + 1):
        try:
            dates.append(day_of(y))
        except ValueError:
            missing.append(y)
    if not dates:
        raise NumberError(msg("'{text}' is not a date in the calendar", text=text))
    inside = [d for d in dates if start <= d <= end]
    if not inside and missing:  # 2月29日 in a period whose February has 28 days
        raise NumberError(msg("'{text}' is not a date in {years}, the plan period's year", text=text,
                              years=[str(y) for y in missing]))
    if len(inside) > 1:
        raise _twice(text, period, inside, _with_year(text, inside[-1].year))
    if inside:
        return inside[0]
    return min(dates, key=lambda d: (start - d) if d < start else (d - end))


def _midyear(text: str, period: Period) -> NumberError:
    """年中 in a period that is not within one calendar year: its middle is not the end of June."""
    middle, june = _middle(period), _june_end(period)
    if june is None or june == middle:
        return NumberError(msg("'{text}' is unclear in a plan period that is not a calendar year ({start} to {end}); "
                               "write the date, e.g. {middle} (the end of the period's first half)", text=text,
                               start=period[0], end=period[1], middle=middle))
    return NumberError(msg("'{text}' is unclear in a plan period that is not a calendar year ({start} to {end}); "
                           "write the date: {middle} ends the period's first half, {june} is the end of June "
                           "(上半年末)", text=text, start=period[0], end=period[1], middle=middle, june=june))


def parse_date(text: str, within: int | Period | None = None, today: dt.date | None = None) -> dt.date:
    """A date as staff write it: ``2023-06-30``, ``2023/6/30``, ``2023.6.30``, ``2023年6月30日``,
    ``20230630``;
    with ``within`` (the plan period, or a year for that calendar year) also ``6月30日``,
    ``6月底``, ``上半年末``, ``年底``, ``三季度末``, ``全年``.

    A date written without its year is read in the year that puts it inside the period
    (``6月底`` in the period 2024-09-01 … 2025-08-31 is 2025-06-30); one that falls in the period
    more than once (a period longer than a year) is refused: write the year. Named points are
    points of the calendar year (上半年末 6月30日, 年底 12月31日, 三季度末 9月30日) but ``全年`` is
    the period's last day, and ``年中`` is refused for a period not within one calendar year.
    Without ``within`` a short form is refused. A year may be written in Chinese digits
    (二〇二三年六月三十日) and a quarter's number in Arabic ones (3季度末). With ``today`` (a date
    typed in a command, not in a sheet) also ``今天``, ``昨天``, ``本月底`` and ``上月底``. A month
    (``2023年9月``) or a period (``上半年``) is refused, naming the date meant by its end;
    anything else is refused.
    """
    _seen(text)
    period = as_period(within)
    norm = _plain(text)
    if norm.lower() in _RELATIVE_DAYS or norm in _RELATIVE_MONTH_ENDS:
        if today is None:
            raise _relative(text)
        if norm.lower() in _RELATIVE_DAYS:
            return today + dt.timedelta(days=_RELATIVE_DAYS[norm.lower()])
        return _month_end(*_shifted_month(today, _RELATIVE_MONTH_ENDS[norm]))
    named = re.match(r"^(?:(\d{4})年?)?(.+)$", norm)
    point = None
    if named:
        point = next((p for p in (named[2], "年" + named[2]) if p in _NAMED), None)
    if point is not None:
        month, day = _NAMED[point]
        if named[1]:
            return dt.date(int(named[1]), month, day)
        if period is None:
            raise NumberError(msg("'{text}' needs a year here (write 2023年{text})", text=text))
        if point == "全年":
            return period[1]
        if point == "年中" and not calendar_bound(period):
            raise _midyear(text, period)
        return _in_period(text, period, lambda y: dt.date(y, month, day))
    compact = re.match(_COMPACT, norm)
    if compact:
        try:
            return dt.date(int(compact[1]), int(compact[2]), int(compact[3]))
        except ValueError:
            raise NumberError(msg("'{text}' is not a date in the calendar", text=text)) from None
    for pattern, month_end in ((_DATE, False), (_MONTH_END, True)):
        match = re.match(pattern, norm)
        if match is None:
            continue
        if match[1] is None and (period is None or (not month_end and not re.search("月", norm))):
            break  # 6-30 or 6/30 without a year is ambiguous; 6月30日 is not
        try:
            month = _int(match[2])
            day = None if month_end else _int(match[3])
        except KeyError:
            raise NumberError(msg("'{text}' is not a date in the calendar", text=text)) from None

        def day_of(y: int, month: int = month, day: int | None = day) -> dt.date:
            return _month_end(y, month) if day is None else dt.date(y, month, day)

        if match[1] is None:
            return _in_period(text, period, day_of)  # type: ignore[arg-type]
        try:
            return day_of(int(match[1]))
        except ValueError:
            raise NumberError(msg("'{text}' is not a date in the calendar", text=text)) from None
    raise _not_a_date(text, norm, period)


def _not_a_date(text: str, norm: str, period: Period | None) -> NumberError:
    """Why ``text`` is no date: a month or a period (上半年, 三季度) is named with the date of its
    end, to be written if it is the one meant; anything else with the forms a date takes."""
    end = None
    # Q2, 2023Q2 (a quarter as reports abbreviate it): 二季度, 2023年二季度
    norm = re.sub(r"^(?:(\d{4})年?\s*)?[Qq]([1-4])$", lambda m: f"{m[1] + '年' if m[1] else ''}{'一二三四'[int(m[2]) - 1]}季度",
                  norm)
    named = re.match(r"^(\d{4}年?)?(..+)$", norm)
    if named and named[2] + "末" in _NAMED:  # 上半年, 三季度, 2023年第三季度
        end = f"{named[1] or ''}{named[2]}末"
    else:
        try:
            year, month = parse_month(norm, period)
            end = f"{year}年{month}月底" if re.match(r"^\d{4}", norm) else f"{month}月底"
        except NumberError:
            pass
    try:
        day = parse_date(end, period) if end else None
    except NumberError:
        day = None
    if day is not None:
        return NumberError(msg("'{text}' is a month or a period, not a date; if the figure is as of its end, write "
                               "{end} ({day})", text=text, end=end, day=day))
    return NumberError(msg("'{text}' is not a date ({hint})", text=text, hint=date_hint(period)))


_PERIOD_START = {"上半年": 1, "下半年": 7, "一季度": 1, "二季度": 4, "三季度": 7, "四季度": 10, "年初": 1}
_PERIOD_MONTHS = {"上半年": 6, "下半年": 6, "年初": 0}  # how long each part is (a quarter: 3; 年初: a day)


def period_start(text: str, within: int | Period | None = None, today: dt.date | None = None) -> dt.date:
    """The first day of a month or a part of the year, where something shown starts (``log
    --since``): ``6月`` and ``上月`` its 1st, ``上半年`` 1月1日, ``三季度`` / ``第3季度`` 7月1日, each
    read in the period like a date without its year (``2023年三季度`` with it)."""
    norm = _plain(text)
    period = as_period(within)
    if norm == "全年" and period is not None:  # the whole period: from its first day
        return period[0]
    named = re.match(r"^(?:(\d{4})年?)?第?(.+)$", norm)
    if named and named[2] in _PERIOD_START:
        month = _PERIOD_START[named[2]]
        if named[1]:
            return dt.date(int(named[1]), month, 1)
        if period is None:
            raise NumberError(msg("'{text}' needs a year here (write 2023年{text})", text=text))
        length = _PERIOD_MONTHS.get(named[2], 3)

        def last_day(first: dt.date) -> dt.date:
            return first if length == 0 else _month_end(*_shifted_month(first, length - 1))

        # a part of the year that overlaps the period in two years (三季度 in a school year: July to
        # September of its first year and of its second) is refused, as a date falling in it twice is
        firsts = [dt.date(y, month, 1) for y in range(period[0].year, period[1].year + 1)]
        overlap = [d for d in firsts if d <= period[1] and last_day(d) >= period[0]]
        if len(overlap) > 1:
            raise _twice(text, period, overlap, f"{overlap[-1].year}年{named[2]}")
        return _in_period(text, period, lambda y: dt.date(y, month, 1))
    year, month = parse_month(text, within, today)
    return dt.date(year, month, 1)


_MONTH = rf"^{_YEAR}?{_NUM}\s*月?$"


def parse_month(text: str, within: int | Period | None = None, today: dt.date | None = None) -> tuple[int, int]:
    """``2023-06``, ``2023年6月``, ``2023年6月份``, ``202306``, ``二〇二三年六月``, and with ``within``
    (the plan period, or a year) also ``6月``, ``6月份`` or ``六月`` → (2023, 6); with ``today``
    also ``本月`` and ``上月``. A month without its year is the one that overlaps the period; one
    that overlaps it more than once (a period longer than a year) is refused: write the year."""
    _seen(text)
    period = as_period(within)
    norm = _plain(text)
    if norm in _RELATIVE_MONTHS:
        if today is None:
            raise _relative(text)
        return _shifted_month(today, _RELATIVE_MONTHS[norm])
    if norm.endswith("月份"):  # 6月份, as people say it
        norm = norm[:-1]
    compact = re.match(_COMPACT_MONTH, norm)
    if compact and 1 <= int(compact[2]) <= 12 and int(compact[1]) >= 1:
        return int(compact[1]), int(compact[2])
    match = re.match(_MONTH, norm)
    if match is not None and (match[1] is not None or (period is not None and norm.endswith("月"))):
        try:
            month = _int(match[2])
        except KeyError:
            month = 0
        if 1 <= month <= 12 and not (match[1] and int(match[1]) < 1):  # (year 0: no calendar has it)
            if match[1]:
                return int(match[1]), month
            start, end = period  # type: ignore[misc]
            firsts = [dt.date(y, month, 1) for y in range(start.year, end.year + 1)]
            inside = [d for d in firsts if d <= end and _month_end(d.year, month) >= start]
            if len(inside) > 1:  # (Ambiguous: the question is which, not whether it is a month)
                raise Ambiguous(msg("'{text}' falls in the plan period ({start} to {end}) more than once: {months}; "
                                      "write the year, e.g. {example}", text=text, start=start, end=end,
                                      months=[f"{d.year:04d}-{d.month:02d}" for d in inside],
                                      example=_with_year(text, inside[-1].year)))
            first = inside[0] if inside else min(firsts, key=lambda d: (start - d) if d < start else (d - end))
            return first.year, month
    day = example_day(period)
    raise NumberError(msg("'{text}' is not a month (write it as {iso} or {chinese})", text=text,
                          iso=f"{day.year:04d}-{day.month:02d}", chinese=f"{day.year}年{day.month}月"))
