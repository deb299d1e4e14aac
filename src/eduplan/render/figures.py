"""How figures read for people: ``13/≥25所``, ``2.18万/≥3.5万个``, ``57.79亿/≥90亿元``, ``52%``,
``还需8所``. Shared by tables, Markdown, HTML and spreadsheets, so that every format says the
same thing the same way.

One number style everywhere:

* an amount is counted in the unit the plan counts it in (:func:`scale_of`): 亿 when the target
  is 10⁸ or more (90亿元), 万 when it is 10⁴ or more (3.5万个), else ones (25所); the actual
  figure, what is left, the monthly rate and the change of an indicator all use its unit, so
  that they add up where a reader checks them (还需1.4万个 ÷ 6 = 每月0.23万个);
* in 万 and 亿, two decimals at most (2.18万); in ones, whole numbers as they are (3868, never
  3,868) and one decimal for a rate (每月1.2所); a percentage with one decimal (54.3%);
* a figure too small to show in its indicator's unit is shown in its own, with its measure word
  where it stands beside the target, so that nobody reads 45元 as 45亿: ``45元/≥90亿元``,
  ``45万元/≥90亿元``, ``1个/≥3.5万个``;
* no thousands separators: the bureau writes 3868个 and 2.18万个.

What a ledger entry holds is shown exactly instead (:func:`stored_value`, through
:func:`eduplan.core.numbers.format_number`): it can be typed back.
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from ..core.models import Entry, Indicator
from ..core.numbers import fixed, format_number
from ..core.progress import Progress
from ..i18n import bracketed, msg, nmsg
from .words import relative_text, state_label

WORDS = {10**8: "亿", 10**4: "万"}


def pct(ratio: float | None, digits: int = 0) -> str:
    """A share as a percentage, rounded half up (四舍五入: 19.25% is 19.3% at one decimal, where
    the float's binary rounding gave 19.2%), and never across the whole or nothing: 99.8% with
    ``digits`` 0 is ``99.8%``, not ``100%`` beside a light that says it is not met; 0.3% is not ``0%``."""
    if ratio is None:
        return "—"
    if not math.isfinite(ratio):
        return f"{ratio * 100}%"
    exact = Decimal(repr(ratio)) * 100  # the ratio as it is written, not its binary neighbour
    shown = _half_up(exact, digits)
    while (shown == 100 and exact < 100 or shown == 0 and exact > 0) and digits < 2:
        digits += 1
        shown = _half_up(exact, digits)
    if shown == 100 and exact < 100:  # 99.999%: as close as two decimals go, from below
        shown = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_DOWN)
    elif shown == 0 and exact > 0:  # 0.001%
        return f"<{Decimal(1).scaleb(-digits)}%"
    return f"{shown}%"


def done_and_expected(p) -> tuple[str, str]:
    """A row's completion and the share expected by now, as percentages that read apart where they
    are apart: 3.7% and 4%, not 4% and 4% beside 滞后 (the light compares the exact shares; one
    decimal more, up to two, until the two texts differ). ``—`` for either that is not there. Of a
    cap judged against its pace, the share of it used stands for completion (``Progress.used``:
    80% of a budget used where its pace allows 50%, not 100% beside a red light)."""
    done, expected = p.done_share, p.expected
    if done is None or expected is None:
        return (pct(done) if done is not None else "—"), (pct(expected) if expected is not None else "—")
    digits = 0
    while pct(done, digits) == pct(expected, digits) and done != expected and digits < 2:
        digits += 1
    return pct(done, digits), pct(expected, digits)


def _half_up(value: Decimal, digits: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def points(pp: float | None) -> str:
    return "—" if pp is None else fixed(pp, 1)


def natural_scale(value: float | None) -> int:
    magnitude = abs(value or 0)
    return 10**8 if magnitude >= 10**8 else 10**4 if magnitude >= 10**4 else 1


def scale_of(ind: Indicator, target: float | None = None) -> int:
    """The unit an indicator's amounts are counted in: 10⁸ (亿), 10⁴ (万) or 1, from its target
    (the plan's, or ``target``: a county's own). Percentages and counts of counties are in ones."""
    if ind.is_percent or ind.measure.value in ("counties", "milestone"):
        return 1
    return natural_scale(ind.target if target is None else target)


def scale_word(scale: int) -> str:
    """``亿``, ``万`` or ``""``: the word that says a figure is counted in that unit."""
    return WORDS.get(scale, "")


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def shown_scale(value: float, scale: int = 1, digits: int | None = None) -> int:
    """The unit :func:`number` shows ``value`` in: ``scale`` (or the value's own, if larger); a
    figure too small to show in it (45 in 亿, 0.00000045亿) in its own (45; 450000 is 45万)."""
    used = max(scale, natural_scale(value))
    if used > 1 and value != 0 and _trim(fixed(value / used, 2 if digits is None else digits)) in ("0", "-0"):
        return natural_scale(value)
    return used


def number(value: float, scale: int = 1, digits: int | None = None) -> str:
    """The bare number in a unit (10⁸, 10⁴ or 1), without a measure word: ``2.18万``, ``3868``, ``1.2``."""
    scale = shown_scale(value, scale, digits)
    if scale > 1:
        return _trim(fixed(value / scale, 2 if digits is None else digits)) + WORDS[scale]
    if float(value).is_integer():
        return str(int(value))
    return _trim(fixed(value, 1 if digits is None else digits))


def amount(value: float | None, unit: str, scale: int = 1) -> str:
    """An amount to read: ``2.18万个``, ``57.79亿元``, ``3868个``, ``54.3%``."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{_trim(fixed(value, 1))}%"
    suffix = "" if unit in ("", "项") else unit
    return number(value, scale) + suffix


def comparator_mark(ind) -> str:
    """How the text qualifies a target: ≥ (以上, 达到), ≤ (控制在…以内), < (below the baseline: 减少…)."""
    if ind.relative is not None and ind.relative.kind.value == "below":
        return "<"
    return {"<=": "≤", ">=": "≥"}.get(ind.comparator.value, "")


def target_text(ind: Indicator, target: float | None = None, scale: int | None = None, *, lang: str = "zh") -> str:
    """A target with its comparator: ``≥25所``, ``≥3.5万个``, ``≤2%``, ``≥6个县`` (a count of counties,
    counted in counties); a target stated against the baseline in words while its value is not
    known (``低于基数``); a milestone's, ``完成``; ``—`` for none."""
    if ind.measure.value == "milestone":
        return state_label("done", lang)  # a milestone's target is to be done
    value = ind.target if target is None else target
    if value is None:
        return relative_text(ind, lang) if ind.relative is not None else "—"
    if ind.measure.value == "counties" and not ind.is_percent:
        return n_counties(f"{comparator_mark(ind)}{number(value)}", value, lang)
    return f"{comparator_mark(ind)}{amount(value, ind.unit, scale_of(ind, value) if scale is None else scale)}"


def figure(p: Progress, lang: str = "zh", *, target: bool = True) -> str:
    """Actual against target in one cell, both in the indicator's unit: ``13/≥25所``,
    ``2.18万/≥3.5万个``, ``55%/≥56%``, ``完成``; without the target, the actual alone, in its
    own size (``800个``, ``3.5万个``)."""
    ind = p.indicator
    if p.state is not None and p.actual is None:
        return state_label(p.state.value, lang)
    if ind.measure.value == "milestone":
        return "—"
    if ind.measure.value == "counties" and p.scope is not None:  # a county's part of a count of counties: its state
        if target and any(n.code == "no_county_target" for n in p.notes):  # the plan does not ask this county
            return msg("{figure} (no county target)", figure="—").render(lang)
        return "—"
    # against its target, in the target's size; without one (a county the plan gives none), in its own
    scale = scale_of(ind, p.target) if p.target is not None or p.scope is None else 1
    if ind.measure.value == "counties" and not ind.is_percent:
        actual = "—" if p.actual is None else number(p.actual)
        if not target:
            return n_counties(actual, p.actual, lang)
        return f"{actual}/{target_text(ind, p.target, lang=lang)}"
    if not target:  # alone, a figure is read in its own size: 800个 (not 0.08万个 because the city's target is 1.5万)
        return amount(p.actual, ind.unit)
    if p.actual is None:
        actual = "—"
    elif ind.is_percent:
        actual = amount(p.actual, "%")
        if p.met is False and p.target is not None and p.actual != p.target and actual == amount(p.target, "%"):
            actual = _apart(lambda d: _trim(fixed(p.actual, d)) + "%", 1, actual, p.actual < p.target)  # 55.96% is not ≥56%
    elif shown_scale(p.actual, scale) < scale:  # 45 against 90亿元: "45元/≥90亿元", never "45/≥90亿元"
        actual = amount(p.actual, ind.unit, scale)
    else:
        actual = number(p.actual, scale)
        if p.met is False and p.target is not None and p.actual != p.target and actual == number(p.target, scale):
            actual = _apart(lambda d: number(p.actual, scale, d), 2 if scale > 1 else 1, actual,
                            p.actual < p.target)  # 3.4996万 is not ≥3.5万
    if p.target is None:
        if p.scope is None and ind.relative is not None:  # stated against a baseline not known yet
            return f"{actual}/{relative_text(ind, lang)}"
        with_unit = ind.is_percent or p.actual is None or ind.unit in ("", "项") or actual.endswith(ind.unit)
        shown = actual + ("" if with_unit else ind.unit)  # (45元 beside 90亿元 has its unit already)
        if p.scope is not None and (ind.target is not None or ind.relative is not None):
            return msg("{figure} (no county target)", figure=shown).render(lang)  # the city has one, the county not
        return shown
    return f"{actual}/{target_text(ind, p.target, scale, lang=lang)}"


def _apart(shown, digits: int, same: str, below: bool) -> str:
    """A figure that misses its target but reads as the target when rounded, with the decimals
    (up to four more) that show it apart; closer still, ``<56%`` (or ``>2%`` over a cap)."""
    for extra in range(1, 5):
        text = shown(digits + extra)
        if text != same:
            return text
    return ("<" if below else ">") + same


def unit_target(p: Progress, lang: str) -> str:
    """The target one unit works to: the city's, a county's own (任务分解), "no county target" where
    the city has one and the county none; "—" for a county's state on a counties indicator."""
    ind = p.indicator
    if p.scope is not None and ind.measure.value == "counties":
        return "—"
    if p.target is None:
        if p.scope is None:
            return target_text(ind, lang=lang)  # "—", or a target against a baseline not known yet, in words
        return msg("no county target").render(lang) if ind.target is not None or ind.relative is not None else "—"
    return target_text(ind, p.target, lang=lang)


def counties(n: float, lang: str) -> str:
    return n_counties(number(n), n, lang)


def n_counties(shown: str, value: float | None, lang: str) -> str:
    """A number of counties as shown (``≥6``, ``1``, ``+2``): ``6个县``; ``1 county``, ``2 counties``."""
    return nmsg("{n} county", "{n} counties", 1 if value is not None and abs(value) == 1 else 2, n=shown).render(lang)


def to_go(p: Progress, lang: str) -> str:
    """What is still to do: an amount for flows, counties for counties indicators, points for levels;
    for a cap (≤) nothing, unless the figure is over it (``超出3起``)."""
    ind = p.indicator
    if p.over:
        return msg("{amount} over", amount=amount(p.over, ind.unit, scale_of(ind, p.target))).render(lang)
    if p.remaining:
        if ind.measure.value == "counties":
            return counties(p.remaining, lang)
        return amount(p.remaining, ind.unit, scale_of(ind, p.target))
    if p.gap_pp:
        points = msg("{n} points", n=_points_shown(p.gap_pp)).render(lang)
        if ind.comparator.value != "<=":
            return points
        if _cap_ahead(p):
            return msg("{amount} to come down", amount=points).render(lang)
        return msg("{amount} over", amount=points).render(lang)
    return "—"


def _cap_ahead(p: Progress) -> bool:
    """A cap on a level that applies from a later date (not yet due): above it now is a way still to
    come down, not a cap exceeded (54% against ≤53% from 31 October, in May)."""
    return any(n.code == "not_yet_due" for n in p.notes)


def _points_shown(gap: float) -> str:
    """Points short of (or over) a target, one decimal, more where one would read as none (0.04)."""
    digits = 1
    while digits < 4 and round(gap, digits) == 0:
        digits += 1
    return fixed(gap, digits)


def _cap_line(p: Progress, lang: str) -> str:
    """Where a figure stands against a cap: ``距上限8起``, ``超出上限3起``; against a baseline it is
    to stay below: ``比基数少8人``, ``比基数多3人``, ``未低于基数``."""
    ind = p.indicator
    below = ind.relative is not None and ind.relative.kind.value == "below"
    value = p.headroom if p.headroom is not None else p.over
    shown = amount(value, ind.unit, scale_of(ind, p.target))
    if p.headroom is not None:
        if not p.headroom:  # at the cap: a warning, but none when the cap is nothing and nothing happened
            return "" if below or not p.actual else msg("at the cap").render(lang)
        line = msg("{amount} below the baseline", amount=shown) if below else msg("{amount} under the cap", amount=shown)
        return line.render(lang)
    if not p.over:
        return msg("not below the baseline").render(lang) if below else ""
    line = msg("{amount} above the baseline", amount=shown) if below else msg("{amount} over the cap", amount=shown)
    return line.render(lang)


def per_month(p: Progress, lang: str) -> str:
    """The monthly rate needed to finish by the period end, in the same unit as what is left."""
    if not p.monthly_needed:
        return "—"
    ind = p.indicator
    if ind.measure.value == "counties":
        return counties(round(p.monthly_needed, 2), lang)
    return amount(p.monthly_needed, ind.unit, scale_of(ind, p.target))


def to_go_line(p: Progress, lang: str) -> str:
    """What it takes to finish, in one short cell: ``还需8所 · 每月1.3所`` or ``差12.4个百分点``; for a
    cap, where the figure stands against it (``距上限8起``, ``超出上限3起``)."""
    if p.status.value in ("done", "no_data"):
        return ""
    if p.headroom is not None or p.over is not None:
        return _cap_line(p, lang)
    if not p.remaining and not p.gap_pp:
        return ""
    left = to_go(p, lang)
    if p.gap_pp:
        if p.indicator.comparator.value == "<=":  # a percentage over its cap (dropout ≤2% at 2.5%)
            points = msg("{n} points", n=_points_shown(p.gap_pp))
            if _cap_ahead(p):
                return msg("{amount} to come down by the date the cap applies", amount=points).render(lang)
            return msg("{amount} over the cap", amount=points).render(lang)
        return msg("short by {amount}", amount=left).render(lang)
    rate = per_month(p, lang)
    if rate == "—":
        return msg("{amount} to go", amount=left).render(lang)
    return msg("{amount} to go · {rate} a month", amount=left, rate=rate).render(lang)


def signed(value: float | None, unit: str = "", scale: int = 1) -> str:
    """A change: ``+0.45万个``, ``−2.4``, ``±0``."""
    if value is None:
        return "—"
    if abs(value) < 1e-9:
        return "±0"
    sign = "+" if value > 0 else "−"
    return sign + (amount(abs(value), unit, scale) if unit else number(abs(value), scale))


def _share_of_whole(value: float) -> bool:
    """Is ``value`` (a percentage with more decimals than anyone types) exactly the share k of n
    units make (k * 100 / n, n up to 1000), as the tool computes it from a count of units?"""
    if len(repr(float(value))) < 12:
        return False
    for n in range(3, 1001):
        k = round(value * n / 100)
        if 0 < k < n and k * 100 / n == value:
            return True
    return False


def exact(value: float | int, unit: str = "") -> str:
    """A stored number shown so that it reads back as itself: as :func:`format_number` shows it
    where that is exact (``3.5万``, ``90亿元``, ``55.96%``), else every digit it has (``57.14285%``,
    ``15000.25元``, never ``57.1%`` or ``15000.2元``)."""
    from ..core.numbers import parse_quantity

    shown = format_number(value, unit)
    if float(value).is_integer():  # a whole number format_number always shows exactly (3.5万 only when it is 35000)
        return shown
    if unit == "%" and _share_of_whole(value):  # 4个 of 12 townships: 33.3%, not 33.333333333333336%
        return shown
    if parse_quantity(format_number(value, "%" if unit == "%" else "")).value == Decimal(repr(value)):
        return shown  # (format_number writes what parse_quantity reads)
    text = format(Decimal(repr(float(value))), "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text + ("" if unit in ("", "项") else unit)


def stored_value(e: Entry, unit: str, lang: str, *, apart: bool = False) -> str:
    """A recorded figure exactly as stored: ``14所``, ``40%（400/1000）``, ``完成``, ``作废``
    (``apart``: a ratio's parts on a line of their own, for a narrow column). A ratio's share
    is what its parts make, and they are shown exactly: the share is shown as a share is
    (``57.1%（12000/21000）``, not ``57.142857142857146%``)."""
    if e.void:
        return msg("void").render(lang)
    if e.state is not None:
        return state_label(e.state.value, lang)
    if e.added is not None:
        return "+" + exact(e.added, unit)
    shown = exact(e.value, unit) if e.numerator is None else format_number(e.value, unit)
    if e.numerator is not None:
        aside = bracketed(f"{exact(e.numerator)}/{exact(e.denominator)}", lang)
        shown += "\n" + aside.lstrip() if apart else aside
    return shown


def typed_back(e: Entry | None, ind: Indicator, lang: str, *, units: int = 0) -> str:
    """A recorded figure as a person would type it again (a template's value cell): ``1015``,
    ``3.5万``, ``1181/1256``, ``完成``; "" for none. A share of a plan's ``units`` (counties) that is
    a whole number of them is their count, ``3个``: 33.3% would read back as another figure than
    the 3 of 9 stored (33.333…%)."""
    if e is None or e.void:
        return ""
    if e.state is not None:
        return state_label(e.state.value, lang)
    if e.numerator is not None and e.denominator is not None:
        return f"{exact(e.numerator)}/{exact(e.denominator)}"
    if e.value is None:
        return ""
    if ind.measure.value == "counties" and ind.is_percent and units and e.added is None:
        k = round(e.value * units / 100)
        if k * 100 / units == e.value and not float(e.value).is_integer():
            return f"{k}个"
    return exact(e.value, "%" if ind.is_percent else "")  # a cell left as it is, is the same figure
