"""Reading numbers the way the plan document and bureau staff write them.

``3.5万`` → 35000, ``90亿元`` → 9000000000, ``56%`` → 56, ``110余名`` → 110,
``1,234`` → 1234, ``12000/21000`` → a ratio, ``完成`` → a milestone state.

Pure functions: no I/O. Every reader raises :class:`NumberError` (a ``ValueError``)
with a message a person can act on.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

__all__ = [
    "NumberError",
    "Quantity",
    "Ratio",
    "STATES",
    "find_quantities",
    "format_number",
    "parse_date",
    "parse_month",
    "parse_quantity",
    "parse_ratio",
    "parse_state",
    "to_plain",
]

MULTIPLIERS = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}

# Largest integer a float (and so TOML, JSON and Excel) holds exactly.
MAX_EXACT = 2**53

# Words that may follow a figure: measure words and the document's quantifiers.
_UNIT_WORDS = (
    "人次", "元", "个", "所", "家", "名", "人", "场", "条", "项", "次", "间", "座", "台", "套",
)
_QUANTIFIERS = ("以上", "余", "多", "左右")

# Patterns are compiled on first use (re caches them), not at import: most commands never read a figure.
_NUMBER = r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)"
_QUANTITY = (
    rf"^\s*(?:约|达到|达)?\s*{_NUMBER}\s*(?P<mult>[万亿])?\s*(?P<rest>.*?)\s*$"
)
_SCAN = r"(?<![\d.])(\d+(?:,\d{3})*(?:\.\d+)?)\s*([万亿])?"
_TRAILER = (
    "^(?:(?:{q})?(?:{u})?(?:{q})?)$".format(
        q="|".join(_QUANTIFIERS), u="|".join(sorted(_UNIT_WORDS, key=len, reverse=True))
    )
)


class NumberError(ValueError):
    """A figure that cannot be read; the message says why."""


class Quantity(NamedTuple):
    """A figure in base units; ``percent`` is true when it was written with ``%``."""

    value: Decimal
    percent: bool


class Ratio(NamedTuple):
    """A share written as numerator/denominator (``12000/21000``)."""

    numerator: Decimal
    denominator: Decimal

    @property
    def percent(self) -> Decimal:
        return self.numerator * 100 / self.denominator


STATES: dict[str, str] = {
    "done": "done",
    "completed": "done",
    "complete": "done",
    "完成": "done",
    "已完成": "done",
    "in-progress": "in-progress",
    "in_progress": "in-progress",
    "inprogress": "in-progress",
    "started": "in-progress",
    "进行中": "in-progress",
    "推进中": "in-progress",
    "not-started": "not-started",
    "not_started": "not-started",
    "todo": "not-started",
    "未开始": "not-started",
    "未启动": "not-started",
}


def _normalise(text: str) -> str:
    # NFKC folds full-width digits, commas, the full-width percent sign and slash.
    return unicodedata.normalize("NFKC", text).strip()


def _decimal(digits: str, original: str) -> Decimal:
    try:
        value = Decimal(digits.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        raise NumberError(f"{original!r} is not a number") from None
    return value


def _check_size(value: Decimal, original: str) -> Decimal:
    if not value.is_finite() or abs(value) > MAX_EXACT:
        raise NumberError(f"{original!r} is too large to record exactly")
    return value


def parse_quantity(text: str) -> Quantity:
    """Read one figure: ``12``, ``1,234``, ``3.5万``, ``90亿元``, ``56%``, ``110余名``.

    Returns the value in base units (万 = 10⁴, 亿 = 10⁸) and whether it carried ``%``.
    Rejects anything else: words, ``nan``, ``inf``, exponents, negative signs.
    """
    original = text
    text = _normalise(text)
    if not text:
        raise NumberError("empty value")
    if text.startswith("-") or text.startswith("−"):
        raise NumberError(f"{original!r} is negative; figures are counts, amounts or shares")
    match = re.match(_QUANTITY, text)
    if match is None:
        raise NumberError(
            f"{original!r} is not a number (write it as 12, 1,234, 3.5万, 90亿元 or 56%)"
        )
    value = _decimal(match["num"], original)
    if match["mult"]:
        value *= MULTIPLIERS[match["mult"]]
    rest = match["rest"]
    percent = False
    if rest.startswith("%"):
        percent = True
        rest = rest[1:].strip()
        if match["mult"]:
            raise NumberError(f"{original!r} mixes 万/亿 with %")
    if rest and not re.match(_TRAILER, rest):
        raise NumberError(f"{original!r} is not a number: cannot read {rest!r} after it")
    return Quantity(_check_size(value, original), percent)


def parse_ratio(text: str) -> Ratio | None:
    """Read ``numerator/denominator`` (``12000/21000``, ``1.2万/2.1万``); None if no slash."""
    text_n = _normalise(text)
    if "/" not in text_n:
        return None
    parts = text_n.split("/")
    if len(parts) != 2:
        raise NumberError(f"{text!r}: write a ratio as numerator/denominator, e.g. 12000/21000")
    num, den = (parse_quantity(p) for p in parts)
    if num.percent or den.percent:
        raise NumberError(f"{text!r}: a ratio's parts are counts, not percentages")
    if den.value == 0:
        raise NumberError(f"{text!r}: the denominator is zero")
    if num.value > den.value:
        raise NumberError(f"{text!r}: the numerator is larger than the denominator (over 100%)")
    return Ratio(num.value, den.value)


def parse_state(text: str) -> str | None:
    """``done`` / ``in-progress`` / ``not-started`` (or 完成 / 进行中 / 未开始); None otherwise."""
    return STATES.get(_normalise(text).lower())


def find_quantities(text: str) -> list[Decimal]:
    """Every figure written in digits in a phrase, in base units (``新增学位2万个`` → [20000])."""
    out = []
    for digits, mult in re.findall(_SCAN, _normalise(text)):
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
        raise NumberError(f"{value} is too large")
    return result


def format_number(value: float | int | None, unit: str = "", *, digits: int = 1) -> str:
    """A figure for people: ``35000`` → ``3.5万``, ``9e9`` with 元 → ``90亿元``, 56 with % → ``56%``.

    Uses 万/亿 the way the document does, so what is shown can be typed back (exactly:
    an amount that 万/亿 cannot show exactly is written out in full).
    """
    if value is None:
        return "—"
    if unit == "%":
        return f"{_trim(value, digits)}%"
    suffix = "" if unit in ("", "项") else unit
    magnitude = abs(value)
    for scale, word in ((10**8, "亿"), (10**4, "万")):
        if magnitude >= scale:
            if _exact(value, scale, digits):
                return f"{_trim(value / scale, digits + 1)}{word}{suffix}"
    return f"{_trim(value, digits)}{suffix}"


def _exact(value: float, scale: int, digits: int) -> bool:
    """True when value/scale prints without losing anything at digits+1 decimals."""
    scaled = Decimal(str(value)) / scale
    return scaled == round(scaled, digits + 1)


def _trim(value: float | int | Decimal, digits: int) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}" if abs(value) >= 10**4 else str(int(value))
    text = f"{float(value):.{digits}f}".rstrip("0").rstrip(".")
    return text


_DATE = r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$"
_MONTH = r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$"


def parse_date(text: str) -> dt.date:
    """``2023-06-30``, ``2023/6/30``, ``2023.6.30`` or ``2023年6月30日``."""
    match = re.match(_DATE, _normalise(text))
    if match is None:
        raise NumberError(f"{text!r} is not a date (write YYYY-MM-DD, e.g. 2023-06-30)")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise NumberError(f"{text!r} is not a date ({exc})") from None


def parse_month(text: str) -> tuple[int, int]:
    """``2023-06`` or ``2023年6月`` → (2023, 6)."""
    match = re.match(_MONTH, _normalise(text))
    if match is None or not 1 <= int(match[2]) <= 12:
        raise NumberError(f"{text!r} is not a month (write YYYY-MM, e.g. 2023-06)")
    return int(match[1]), int(match[2])
