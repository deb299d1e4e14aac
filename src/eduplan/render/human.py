"""How figures read for people: ``13/25所``, ``52%``, ``55%/≥56%``. Shared by tables,
Markdown, HTML and spreadsheets so every format says the same thing the same way."""

from __future__ import annotations

from ..numbers import format_number
from ..progress import Progress
from .labels import state_label


def pct(ratio: float | None, digits: int = 0) -> str:
    if ratio is None:
        return "—"
    return f"{ratio * 100:.{digits}f}%"


def points(pp: float | None) -> str:
    return "—" if pp is None else f"{pp:.1f}"


def figure(p: Progress, lang: str = "zh") -> str:
    """Actual against target in one cell, hledger-style: ``13/25所``, ``55%/≥56%``, ``完成``."""
    ind = p.indicator
    if p.state is not None and p.actual is None:
        return state_label(p.state.value, lang)
    if ind.measure.value == "milestone":
        return "—"
    target = p.target
    comp = "" if ind.comparator.value == ">=" and ind.unit != "%" else ("≤" if ind.comparator.value == "<=" else "≥")
    if ind.measure.value == "counties" and ind.unit != "%":
        unit = "个县" if lang == "zh" else " counties"
        actual = "—" if p.actual is None else format_number(p.actual)
        return f"{actual}/{comp}{format_number(target)}{unit}"
    actual = "—" if p.actual is None else (approx(p.actual) if ind.unit != "%" else format_number(p.actual, "%"))
    return f"{actual}/{comp}{format_number(target, ind.unit)}"


def amount(value: float | None, unit: str) -> str:
    return approx(value, unit) if value is not None else "—"


def approx(value: float, unit: str = "") -> str:
    """An amount to read, not to type back: ``8079736663`` → ``80.8亿``, ``15147`` → ``15,147``, ``2505.6``."""
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


def _counties(n: float, lang: str) -> str:
    return f"{format_number(n)}个县" if lang == "zh" else f"{format_number(n)} counties"


def to_go(p: Progress, lang: str) -> str:
    """What is still to do: an amount for flows, counties for counties indicators, points for levels."""
    ind = p.indicator
    if p.remaining:
        return _counties(p.remaining, lang) if ind.measure.value == "counties" else approx(p.remaining, ind.unit)
    if p.gap_pp:
        return f"{p.gap_pp:.1f}" + (" 个百分点" if lang == "zh" else " pp")
    return "—"


def per_month(p: Progress, lang: str) -> str:
    """The monthly rate needed to finish by the period end."""
    if not p.monthly_needed:
        return "—"
    if p.indicator.measure.value == "counties":
        return _counties(round(p.monthly_needed, 1), lang)
    return approx(p.monthly_needed, p.indicator.unit)


def stored(unit: str, *, value=None, numerator=None, denominator=None, state=None, void: bool = False) -> str:
    """A recorded figure exactly as stored: ``14所``, ``40% (400/1000)``, ``done (完成)``, ``void``."""
    if void:
        return "void"
    if state is not None:
        return f"{state.value} ({state_label(state.value, 'zh')})"
    shown = format_number(value, unit)
    if numerator is not None:
        shown += f" ({format_number(numerator)}/{format_number(denominator)})"
    return shown


def stored_line(verb: str, entry, plan) -> str:
    """The one line ``record``/``correct``/``void`` print about what they stored."""
    ind = plan.by_id[entry.indicator]
    shown = stored(ind.unit, value=entry.value, numerator=entry.numerator, denominator=entry.denominator,
                   state=entry.state, void=entry.void)
    extra = f", {'voids' if entry.void else 'corrects'} #{entry.supersedes}" if entry.supersedes else ""
    return f"{verb} #{entry.id} {ind.id} {ind.name} = {shown} ({entry.county or '全市'}, as of {entry.as_of}{extra})"
