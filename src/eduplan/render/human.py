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
    actual = "—" if p.actual is None else format_number(p.actual, "" if ind.unit != "%" else "%", approx=True)
    return f"{actual}/{comp}{format_number(target, ind.unit)}"


def amount(value: float | None, unit: str) -> str:
    return format_number(value, unit, approx=True) if value is not None else "—"
