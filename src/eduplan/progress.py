"""Progress arithmetic: completion, time progress (序时进度), roll-up over counties, lights.

Pure functions over a plan and ledger entries; no I/O, no printing.

The rules, in short (the README has the long form):

* flows (accumulating counts and amounts): completion = actual ÷ target, uncapped;
  at or above target → ``done``; else compared with time progress: at or above →
  ``on_track``, below by at most the plan's threshold (percentage points) → ``lagging``,
  further below → ``behind``. Falling flows (≤) are a budget: the share used is compared
  with time progress the other way round.
* levels (percentages at a moment): met → ``done``; short by at most the threshold
  (points) → ``lagging``; further → ``behind``. Never summed, never averaged.
* counties indicators: each county's state is judged, the counties that are done are
  counted (or their share taken); met → ``done``, else paced like a flow.
* milestones: done → ``done``; in progress → ``on_track``; not started is paced like a
  flow at 0 %.
* no entry as of the date → ``no_data`` (missing is not zero).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from enum import StrEnum

from .entries import latest, surviving
from .models import Comparator, Entry, Indicator, Measure, Plan, PlanInfo, State


class Status(StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    LAGGING = "lagging"
    BEHIND = "behind"
    NO_DATA = "no_data"


STATUSES: tuple[Status, ...] = tuple(Status)
# For --fail-on: how bad a status is. no_data is not ranked (missing is not failing).
SEVERITY = {Status.DONE: 0, Status.ON_TRACK: 1, Status.LAGGING: 2, Status.BEHIND: 3}


def time_progress(info: PlanInfo, as_of: dt.date) -> float:
    """Share of the plan period elapsed at the end of ``as_of`` (clamped to the period).

    2023-06-30 in a calendar-year plan → 181/365.
    """
    day = min(max(as_of, info.start - dt.timedelta(days=1)), info.end)
    return ((day - info.start).days + 1) / info.days


def months_left(info: PlanInfo, as_of: dt.date) -> float:
    """Months from the end of ``as_of`` to the end of the period (a month = period/12 for a year)."""
    if as_of >= info.end:
        return 0.0
    day = max(as_of, info.start - dt.timedelta(days=1))
    return (info.end - day).days / (365.25 / 12)


@dataclasses.dataclass(frozen=True, slots=True)
class CountyFigure:
    county: str
    value: float | None
    numerator: float | None
    denominator: float | None
    state: State | None
    as_of: dt.date
    entry_id: int


@dataclasses.dataclass(frozen=True, slots=True)
class Progress:
    """One indicator judged as of a date, for the city or for one county."""

    indicator: Indicator
    scope: str | None  # None for the city, else the county
    target: float | None
    actual: float | None
    completion: float | None
    status: Status
    met: bool | None
    gap_pp: float | None  # levels: percentage points short of the target (0 when met)
    remaining: float | None  # flows: amount still to do; counties indicators: counties still needed (0 when met)
    monthly_needed: float | None  # remaining ÷ months left in the period
    state: State | None  # milestones and a county's state on a counties indicator
    qualifying: tuple[str, ...] | None  # counties indicators: counties that are done
    counties: tuple[CountyFigure, ...]  # each county's latest figure
    rollup: str | None  # how the city figure was obtained: city, sum, ratio, count, state
    as_of_figure: dt.date | None  # date of the newest figure used
    note: str | None = None
    # Points behind the mark: time progress for paced indicators, the target for levels.
    # 0 when at or ahead of it; None without data or for a met/in-progress indicator.
    lag_pp: float | None = None


def _pace(completion: float, tp: float, threshold_pp: float) -> Status:
    if completion >= tp - 1e-12:
        return Status.ON_TRACK
    if (tp - completion) * 100 <= threshold_pp + 1e-9:
        return Status.LAGGING
    return Status.BEHIND


def _county_figures(entries: dict[tuple[str, str | None], Entry], ind: Indicator, counties: Sequence[str]) -> tuple[CountyFigure, ...]:
    out = []
    for county in counties:
        e = entries.get((ind.id, county))
        if e is not None:
            out.append(CountyFigure(county, e.value, e.numerator, e.denominator, e.state, e.as_of, e.id))
    return tuple(out)


def judge(
    ind: Indicator,
    plan: Plan,
    latest_entries: dict[tuple[str, str | None], Entry],
    as_of: dt.date,
    county: str | None = None,
) -> Progress:
    """Judge one indicator as of a date from the latest surviving entries per (indicator, county)."""
    info = plan.plan
    threshold = plan.thresholds.lagging_pp
    tp = time_progress(info, as_of)
    left = months_left(info, as_of)
    figures = _county_figures(latest_entries, ind, info.counties)
    target = ind.target
    note = None

    # ---- the figure: city-wide entry, else roll-up; or one county's entry
    actual: float | None = None
    state: State | None = None
    qualifying: tuple[str, ...] | None = None
    rollup: str | None = None
    newest: dt.date | None = None
    if county is not None:
        figures = tuple(f for f in figures if f.county == county)
        if ind.measure == Measure.FLOW and target is not None:
            target = target / len(info.counties)
            note = "county target: an equal share of the city target"
        if figures:
            f = figures[0]
            actual, state, newest, rollup = f.value, f.state, f.as_of, "county"
            if ind.measure == Measure.COUNTIES and state is not None:
                actual = None
    else:
        city = latest_entries.get((ind.id, None))
        if city is not None:
            actual, state, newest, rollup = city.value, city.state, city.as_of, "city"
        elif figures:
            newest = max(f.as_of for f in figures)
            if ind.measure == Measure.FLOW:
                actual, rollup = sum(f.value or 0 for f in figures), "sum"
            elif ind.measure == Measure.LEVEL:
                if all(f.denominator for f in figures):
                    num = sum(f.numerator or 0 for f in figures)
                    den = sum(f.denominator or 0 for f in figures)
                    actual, rollup = num * 100 / den, "ratio"
                else:
                    rollup = "none"
                    missing = [f.county for f in figures if not f.denominator]
                    note = ("cannot roll up: " + "、".join(missing) + " recorded a percentage without its "
                            "denominator; record numerator/denominator (e.g. 12000/21000) or a city-wide figure")
            elif ind.measure == Measure.COUNTIES:
                rollup = "count"
            if len(figures) < len(info.counties) and rollup in ("sum", "ratio"):
                note = f"{len(figures)} of {len(info.counties)} counties reported"
        if ind.measure == Measure.COUNTIES and (city is None or city.value is None):
            qualifying = tuple(f.county for f in figures if f.state == State.DONE)
            if figures or city is not None:
                count = len(qualifying)
                actual = count * 100 / len(info.counties) if ind.is_percent else count
                rollup = rollup or "count"

    # ---- judge it
    no_data = Progress(ind, county, target, None, None, Status.NO_DATA, None, None, None, None, None,
                       qualifying, figures, rollup, newest, note)
    if ind.measure == Measure.MILESTONE or (ind.measure == Measure.COUNTIES and county is not None):
        if state is None:
            return no_data
        if state == State.DONE:
            status, completion = Status.DONE, 1.0
        elif state == State.IN_PROGRESS:
            status, completion = Status.ON_TRACK, None
        else:
            status, completion = _pace(0.0, tp, threshold), 0.0
        lag = tp * 100 if state == State.NOT_STARTED else None
        return dataclasses.replace(no_data, status=status, met=state == State.DONE, completion=completion,
                                   state=state, lag_pp=lag)

    if actual is None or target is None:
        return no_data

    falling = ind.comparator == Comparator.LE
    met = actual <= target if falling else actual >= target
    if falling:
        completion = 1.0 if actual <= target else (target / actual if actual else 0.0)
    else:
        completion = actual / target if target else 1.0

    gap_pp = remaining = needed = lag = None
    if ind.measure == Measure.LEVEL:
        gap_pp = max(0.0, (actual - target) if falling else (target - actual))
        status = Status.DONE if met else (Status.LAGGING if gap_pp <= threshold + 1e-9 else Status.BEHIND)
        lag = gap_pp
    elif falling:  # a cap on an accumulating amount: a budget used up over the period
        used = actual / target if target else (0.0 if actual == 0 else float("inf"))
        remaining = max(0.0, target - actual)
        if not met:
            status = Status.BEHIND
        elif as_of >= info.end:
            status = Status.DONE
        else:
            status = _pace(1 - used, 1 - tp, threshold) if used > tp else Status.ON_TRACK
            lag = max(0.0, (used - tp) * 100)
    else:
        remaining = max(0.0, target - actual)
        if ind.measure == Measure.COUNTIES:
            # what is left is counties, not percentage points: 50% of 9 needs 5 counties
            needed_total = math.ceil(target * len(info.counties) / 100 - 1e-9) if ind.is_percent else target
            have = round(actual * len(info.counties) / 100) if ind.is_percent else actual
            remaining = float(max(0, needed_total - have))
        status = Status.DONE if met else _pace(completion, tp, threshold)
        lag = None if met else max(0.0, (tp - completion) * 100)
        if remaining > 0 and left > 0:
            needed = remaining / left
    return dataclasses.replace(no_data, actual=actual, completion=completion, status=status, met=met,
                               gap_pp=gap_pp, remaining=remaining, monthly_needed=needed, state=state,
                               lag_pp=lag)


# --------------------------------------------------------------------------- report data


@dataclasses.dataclass(frozen=True)
class StatusReport:
    plan: Plan
    as_of: dt.date
    time_progress: float
    county: str | None
    rows: tuple[Progress, ...]
    empty_ledger: bool

    @property
    def summary(self) -> dict[str, int]:
        counts = {s.value: 0 for s in STATUSES}
        for row in self.rows:
            counts[row.status.value] += 1
        return counts


def status_report(
    plan: Plan,
    entries: Sequence[Entry],
    as_of: dt.date,
    *,
    county: str | None = None,
    sections: Iterable[str] = (),
    statuses: Iterable[Status] = (),
    indicators: Iterable[str] = (),
) -> StatusReport:
    """Every selected indicator judged as of ``as_of`` (entries after it are ignored)."""
    best = latest(surviving(entries), as_of)
    wanted_sections = set(sections)
    wanted_status = set(statuses)
    wanted_ids = set(indicators)
    rows = []
    for ind in plan.indicators:
        if wanted_sections and not wanted_sections.intersection(ind.all_sections):
            continue
        if wanted_ids and ind.id not in wanted_ids:
            continue
        row = judge(ind, plan, best, as_of, county)
        if wanted_status and row.status not in wanted_status:
            continue
        rows.append(row)
    return StatusReport(plan, as_of, time_progress(plan.plan, as_of), county, tuple(rows), not entries)


def by_county(plan: Plan, entries: Sequence[Entry], as_of: dt.date, indicators: Sequence[Indicator]) -> dict[str, dict[str, Progress]]:
    """indicator id → county → that county's progress (for the indicators × counties view)."""
    best = latest(surviving(entries), as_of)
    return {ind.id: {c: judge(ind, plan, best, as_of, c) for c in plan.plan.counties} for ind in indicators}


def worst_first(rows: Iterable[Progress]) -> list[Progress]:
    """Behind before lagging; within each, the furthest from its mark first."""
    return sorted(rows, key=lambda p: (-SEVERITY.get(p.status, -1), -(p.lag_pp or 0.0), p.indicator.id))
