"""How figures read for people: ``13/25所``, ``52%``, ``55%/≥56%``, ``还需8所``. Shared by
tables, Markdown, HTML and spreadsheets, so that every format says the same thing the same way."""

from __future__ import annotations

from ..core.models import Entry
from ..core.numbers import format_number
from ..core.progress import Progress
from ..i18n import msg
from .words import relative_text, state_label


def pct(ratio: float | None, digits: int = 0) -> str:
    if ratio is None:
        return "—"
    return f"{ratio * 100:.{digits}f}%"


def points(pp: float | None) -> str:
    return "—" if pp is None else f"{pp:.1f}"


def comparator_mark(ind) -> str:
    """How the text qualifies a target: ≥ (以上, 达到), ≤ (控制在…以内), < (below the baseline: 减少…)."""
    if ind.relative is not None and ind.relative.kind.value == "below":
        return "<"
    return {"<=": "≤", ">=": "≥"}.get(ind.comparator.value, "")


def target_text(ind, target: float | None = None, lang: str = "zh") -> str:
    """The target as written: ``≥25所``; a target stated against the baseline in words while
    its value is not known (``低于基数``)."""
    value = ind.target if target is None else target
    if value is None:
        return relative_text(ind, lang) if ind.relative is not None else "—"
    if ind.measure.value == "counties" and not ind.is_percent:
        return f"{comparator_mark(ind)}{format_number(value)}"
    return f"{comparator_mark(ind)}{format_number(value, ind.unit)}"


def figure(p: Progress, lang: str = "zh") -> str:
    """Actual against target in one cell, hledger-style: ``13/≥25所``, ``55%/≥56%``, ``完成``."""
    ind = p.indicator
    if p.state is not None and p.actual is None:
        return state_label(p.state.value, lang)
    if ind.measure.value == "milestone":
        return "—"
    if ind.measure.value == "counties" and not ind.is_percent:
        actual = "—" if p.actual is None else format_number(p.actual)
        return msg("{actual}/{target} counties", actual=actual, target=target_text(ind, p.target)).render(lang)
    actual = "—" if p.actual is None else (approx(p.actual) if ind.unit != "%" else format_number(p.actual, "%"))
    if p.target is None and p.scope is not None and ind.measure.value in ("flow", "level"):
        return approx(p.actual, ind.unit) if p.actual is not None else "—"  # a county without a target of its own
    return f"{actual}/{target_text(ind, p.target, lang)}"


def amount(value: float | None, unit: str) -> str:
    return approx(value, unit) if value is not None else "—"


def approx(value: float, unit: str = "") -> str:
    """An amount to read, not to type back: ``8079736663`` → ``80.8亿``, ``15147`` → ``1.5万``."""
    if unit == "%":
        return format_number(value, "%")
    suffix = "" if unit in ("", "项") else unit
    magnitude = abs(value)
    if magnitude >= 10**8:
        return f"{value / 10**8:.2f}".rstrip("0").rstrip(".") + "亿" + suffix
    if magnitude >= 10**5:
        return f"{value / 10**4:.1f}".rstrip("0").rstrip(".") + "万" + suffix
    if magnitude >= 100:
        return f"{round(value):,}{suffix}"
    return format_number(value, unit)


def counties(n: float, lang: str) -> str:
    return msg("{n} counties", n=format_number(n)).render(lang)


def to_go(p: Progress, lang: str) -> str:
    """What is still to do: an amount for flows, counties for counties indicators, points for levels."""
    ind = p.indicator
    if p.remaining:
        return counties(p.remaining, lang) if ind.measure.value == "counties" else approx(p.remaining, ind.unit)
    if p.gap_pp:
        return msg("{n} points", n=f"{p.gap_pp:.1f}").render(lang)
    return "—"


def per_month(p: Progress, lang: str) -> str:
    """The monthly rate needed to finish by the period end."""
    if not p.monthly_needed:
        return "—"
    if p.indicator.measure.value == "counties":
        return counties(round(p.monthly_needed, 1), lang)
    return approx(p.monthly_needed, p.indicator.unit)


def to_go_line(p: Progress, lang: str) -> str:
    """What it takes to finish, in one short cell: ``还需8所 · 每月1.3所`` or ``差12.4个百分点``."""
    if p.status.value in ("done", "no_data") or (not p.remaining and not p.gap_pp):
        return ""
    left = to_go(p, lang)
    if p.gap_pp:
        return msg("short by {amount}", amount=left).render(lang)
    rate = per_month(p, lang)
    if rate == "—":
        return msg("{amount} to go", amount=left).render(lang)
    return msg("{amount} to go · {rate} a month", amount=left, rate=rate).render(lang)


def stored_value(e: Entry, unit: str, lang: str) -> str:
    """A recorded figure exactly as stored: ``14所``, ``40% (400/1000)``, ``完成``, ``作废``."""
    if e.void:
        return msg("void").render(lang)
    if e.state is not None:
        return state_label(e.state.value, lang)
    shown = format_number(e.value, unit)
    if e.numerator is not None:
        shown += f" ({format_number(e.numerator)}/{format_number(e.denominator)})"
    return shown
