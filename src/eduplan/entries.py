"""Pure rules over ledger entries: which survive corrections, which is the latest,
and whether an entry fits the plan. No I/O.

An entry is never edited. A correction is a new entry that ``supersedes`` an earlier
one; a void is a new entry with ``void = true`` that supersedes one and carries no
figure. The *surviving* entries are those nobody superseded, minus the voids.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence

from .models import Entry, Indicator, Measure, Plan, State
from .numbers import NumberError, parse_quantity, parse_ratio, parse_state, to_plain

# (index of the entry in the ledger, field, message)
EntryProblem = tuple[int, str, str]


def superseded_ids(entries: Iterable[Entry]) -> set[int]:
    return {e.supersedes for e in entries if e.supersedes is not None}


def surviving(entries: Sequence[Entry]) -> list[Entry]:
    """The entries whose figures count: not superseded, not voids."""
    gone = superseded_ids(entries)
    return [e for e in entries if e.id not in gone and not e.void]


def latest(entries: Iterable[Entry], as_of: dt.date | None = None) -> dict[tuple[str, str | None], Entry]:
    """The latest surviving entry per (indicator, county) with ``as_of`` on or before the date.

    Latest means the latest ``as_of``; between two entries for the same day, the one
    recorded later (higher id) wins.
    """
    best: dict[tuple[str, str | None], Entry] = {}
    for e in entries:
        if as_of is not None and e.as_of > as_of:
            continue
        key = (e.indicator, e.county)
        old = best.get(key)
        if old is None or (e.as_of, e.id) > (old.as_of, old.id):
            best[key] = e
    return best


def structural_problems(entries: Sequence[Entry]) -> list[EntryProblem]:
    """Ids unique; corrections point at an earlier entry of the same indicator, once."""
    problems: list[EntryProblem] = []
    by_id: dict[int, Entry] = {}
    superseded_by: dict[int, int] = {}
    for i, e in enumerate(entries):
        if e.id in by_id:
            problems.append((i, "id", f"duplicate entry id {e.id}"))
            continue
        if e.supersedes is not None:
            target = by_id.get(e.supersedes)
            if target is None:
                problems.append((i, "supersedes", f"entry {e.supersedes} does not exist before entry {e.id}"))
            else:
                if target.void:
                    problems.append((i, "supersedes", f"entry {e.supersedes} is a void, which cannot be corrected"))
                if target.indicator != e.indicator or target.county != e.county:
                    problems.append((i, "supersedes", f"entry {e.supersedes} is for {target.indicator}"
                                     f"{'/' + target.county if target.county else ''}, not {e.indicator}"
                                     f"{'/' + e.county if e.county else ''}"))
                if e.supersedes in superseded_by:
                    problems.append((i, "supersedes", f"entry {e.supersedes} was already superseded by entry {superseded_by[e.supersedes]}"))
                superseded_by.setdefault(e.supersedes, e.id)
        by_id[e.id] = e
    return problems


def entry_plan_problems(e: Entry, plan: Plan) -> list[tuple[str, str]]:
    """Does the entry fit the plan: real indicator and county, date in the period, right kind of figure."""
    out: list[tuple[str, str]] = []
    ind = plan.indicator(e.indicator)
    if ind is None:
        return [("indicator", f"unknown indicator {e.indicator!r}")]
    if e.county is not None and e.county not in plan.plan.counties:
        out.append(("county", f"unknown county {e.county!r} (the plan's are {'、'.join(plan.plan.counties)})"))
    info = plan.plan
    if not info.start <= e.as_of <= info.end:
        out.append(("as_of", f"{e.as_of} is outside the plan period {info.start} to {info.end}"))
    if e.void:
        return out
    out.extend(value_problems(ind, plan, county=e.county, value=e.value, state=e.state,
                              has_ratio=e.numerator is not None))
    return out


def value_problems(
    ind: Indicator, plan: Plan, *, county: str | None, value: float | int | None,
    state: State | str | None, has_ratio: bool,
) -> list[tuple[str, str]]:
    """The kind-of-figure rules shared by ``record`` and ``validate``."""
    m = ind.measure
    if m == Measure.MILESTONE:
        if county is not None:
            return [("county", f"{ind.id} is a city-wide milestone; record it without a county")]
        if state is None:
            return [("value", f"{ind.id} is a milestone: record done, in-progress or not-started (完成/进行中/未开始), not a number")]
        return []
    if m == Measure.COUNTIES and county is not None:
        if state is None:
            return [("value", f"{ind.id} counts counties: record each county's state as done, in-progress or not-started")]
        return []
    if state is not None:
        return [("value", f"{ind.id} is a {m.value} indicator: record a number, not a state")]
    if has_ratio and m != Measure.LEVEL:
        return [("value", f"{ind.id} is not a percentage indicator: record a number, not a ratio")]
    if value is None:
        return [("value", "missing value")]
    if ind.is_percent and value > 100:
        return [("value", f"{value}% is above 100%")]
    if m == Measure.COUNTIES and not ind.is_percent and value > len(plan.plan.counties):
        return [("value", f"{value} is more than the plan's {len(plan.plan.counties)} counties")]
    return []


# --------------------------------------------------------------------------- reading a figure


@dataclasses.dataclass(frozen=True, slots=True)
class Figure:
    """What a person typed, read for one indicator: a value, a ratio or a state."""

    value: int | float | None = None
    numerator: int | float | None = None
    denominator: int | float | None = None
    state: State | None = None


def read_figure(ind: Indicator, text: str, *, county: str | None) -> Figure:
    """Read ``12`` / ``3.5万`` / ``56%`` / ``12000/21000`` / ``done`` / ``完成`` for this indicator.

    Raises :class:`NumberError` (a ValueError) with a message naming the indicator.
    """
    state = parse_state(text)
    wants_state = ind.measure == Measure.MILESTONE or (ind.measure == Measure.COUNTIES and county is not None)
    if wants_state:
        if state is None:
            raise NumberError(
                f"{text!r}: {ind.id} is {'a milestone' if ind.measure == Measure.MILESTONE else 'judged county by county'}; "
                "record done, in-progress or not-started (完成/进行中/未开始)"
            )
        return Figure(state=State(state))
    if state is not None:
        if ind.measure == Measure.COUNTIES:
            raise NumberError(f"{text!r}: record each county's state with --county, or the city-wide "
                              f"{'share' if ind.is_percent else 'count'} of counties as a number")
        raise NumberError(f"{text!r} is a state, but {ind.id} is measured in {ind.unit}: record a number")
    ratio = parse_ratio(text)
    if ratio is not None:
        if ind.measure != Measure.LEVEL:
            raise NumberError(f"{text!r}: only percentage levels take numerator/denominator; {ind.id} is measured in {ind.unit}")
        return Figure(value=to_plain(round(ratio.percent, 10)), numerator=to_plain(ratio.numerator),
                      denominator=to_plain(ratio.denominator))
    quantity = parse_quantity(text)
    if quantity.percent and not ind.is_percent:
        raise NumberError(f"{text!r} is a percentage, but {ind.id} is measured in {ind.unit}")
    if ind.is_percent and quantity.value > 100:
        raise NumberError(f"{text!r}: a percentage cannot be above 100")
    return Figure(value=to_plain(quantity.value))
