"""Progress arithmetic: completion, time progress (序时进度), roll-up over counties, lights.

Pure functions over a plan and the latest surviving entries; no I/O, no printing.

The rules, in short (the README has the long form):

* flows (accumulating counts and amounts): completion = actual ÷ target, uncapped;
  at or above target → ``done``; else compared with the expected share (see
  :mod:`eduplan.core.pace`): at or above → ``on_track``, below by at most the plan's
  threshold (percentage points) → ``lagging``, further below → ``behind``. Falling
  flows (≤) are a budget: the share used is compared with time the other way round.
* levels (percentages at a moment): met → ``done``; short by at most the threshold
  (points) → ``lagging``; further → ``behind``. Never summed, never averaged.
* counties indicators: each county's state is judged, the counties that are done are
  counted (or their share taken); met → ``done``, else paced like a flow.
* milestones: done → ``done``; in progress → ``on_track``; not started is paced like a
  flow at 0 %.
* no entry as of the date → ``no_data`` (missing is not zero).

What a renderer needs to know about a row (is it paced, what the notes say) is decided
here and carried as a value: ``expected``, ``notes``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from .models import Comparator, Entry, Indicator, Measure, Plan, State
from .pace import expected_share, months_left, time_progress


class Status(StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    LAGGING = "lagging"
    BEHIND = "behind"
    NO_DATA = "no_data"


STATUSES: tuple[Status, ...] = tuple(Status)
# For --fail-on: how bad a status is. no_data is not ranked (missing is not failing).
SEVERITY = {Status.DONE: 0, Status.ON_TRACK: 1, Status.LAGGING: 2, Status.BEHIND: 3}


@dataclasses.dataclass(frozen=True, slots=True)
class Note:
    """Something a reader must know about a figure: a stable ``code`` and its parameters.
    The words are the renderers' (``render/words.py``); JSON carries the code."""

    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class CountyFigure:
    county: str
    value: float | None
    numerator: float | None
    denominator: float | None
    state: State | None
    as_of: dt.date
    entry: str  # the entry's reference (#12, 椒江区#12)


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
    rollup: str | None  # how the city figure was obtained: city, sum, ratio, count, county, none
    as_of_figure: dt.date | None  # date of the newest figure used
    expected: float | None  # the share of the target expected by now (None: not judged against time)
    notes: tuple[Note, ...] = ()
    # Points behind the mark: the expected share for paced indicators, the target for levels.
    # 0 when at or ahead of it; None without data or for a met/in-progress indicator.
    lag_pp: float | None = None
    # A county's figure as a share of the city's figure (flows: what it contributed to the
    # total); None for the city, for other measures, or when either figure is missing or zero.
    share: float | None = None


def _pace(completion: float, expected: float, threshold_pp: float) -> Status:
    if completion >= expected - 1e-12:
        return Status.ON_TRACK
    if (expected - completion) * 100 <= threshold_pp + 1e-9:
        return Status.LAGGING
    return Status.BEHIND


def _county_figures(entries: Mapping[tuple[str, str | None], Entry], ind: Indicator,
                    counties: Sequence[str]) -> tuple[CountyFigure, ...]:
    out = []
    for county in counties:
        e = entries.get((ind.id, county))
        if e is not None:
            out.append(CountyFigure(county, e.value, e.numerator, e.denominator, e.state, e.as_of, e.ref))
    return tuple(out)


def judge(
    ind: Indicator,
    plan: Plan,
    latest_entries: Mapping[tuple[str, str | None], Entry],
    as_of: dt.date,
    county: str | None = None,
) -> Progress:
    """Judge one indicator as of a date from the latest surviving entries per (indicator, county)."""
    info = plan.plan
    threshold = plan.thresholds.lagging_pp
    expected = expected_share(ind, info, as_of)
    left = months_left(info, as_of)
    figures = _county_figures(latest_entries, ind, info.counties)
    target = ind.target
    notes: list[Note] = []

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
            notes.append(Note("equal_share_target", {"counties": len(info.counties)}))
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
                    notes.append(Note("cannot_roll_up", {"counties": [f.county for f in figures if not f.denominator]}))
            elif ind.measure == Measure.COUNTIES:
                rollup = "count"
            if len(figures) < len(info.counties) and rollup in ("sum", "ratio"):
                notes.append(Note("partial", {"reported": len(figures), "total": len(info.counties)}))
        if ind.measure == Measure.COUNTIES and (city is None or city.value is None):
            qualifying = tuple(f.county for f in figures if f.state == State.DONE)
            if figures or city is not None:
                count = len(qualifying)
                actual = count * 100 / len(info.counties) if ind.is_percent else count
                rollup = rollup or "count"

    # ---- judge it
    no_data = Progress(ind, county, target, None, None, Status.NO_DATA, None, None, None, None, None,
                       qualifying, figures, rollup, newest, expected, tuple(notes))
    if ind.measure == Measure.MILESTONE or (ind.measure == Measure.COUNTIES and county is not None):
        if state is None:
            return no_data
        mark = expected if expected is not None else time_progress(info, as_of)
        if state == State.DONE:
            status, completion = Status.DONE, 1.0
        elif state == State.IN_PROGRESS:
            status, completion = Status.ON_TRACK, None
        else:
            status, completion = _pace(0.0, mark, threshold), 0.0
        lag = mark * 100 if state == State.NOT_STARTED else None
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
        mark = expected if expected is not None else time_progress(info, as_of)
        used = actual / target if target else (0.0 if actual == 0 else float("inf"))
        remaining = max(0.0, target - actual)
        if not met:
            status = Status.BEHIND
        elif as_of >= info.end:
            status = Status.DONE
        else:
            status = _pace(1 - used, 1 - mark, threshold) if used > mark else Status.ON_TRACK
            lag = max(0.0, (used - mark) * 100)
    else:
        mark = expected if expected is not None else time_progress(info, as_of)
        remaining = max(0.0, target - actual)
        if ind.measure == Measure.COUNTIES:
            # what is left is counties, not percentage points: 50% of 9 needs 5 counties
            needed_total = math.ceil(target * len(info.counties) / 100 - 1e-9) if ind.is_percent else target
            have = round(actual * len(info.counties) / 100) if ind.is_percent else actual
            remaining = float(max(0, needed_total - have))
        status = Status.DONE if met else _pace(completion, mark, threshold)
        lag = None if met else max(0.0, (mark - completion) * 100)
        if remaining > 0 and left > 0:
            needed = remaining / left
    return dataclasses.replace(no_data, actual=actual, completion=completion, status=status, met=met,
                               gap_pp=gap_pp, remaining=remaining, monthly_needed=needed, state=state,
                               lag_pp=lag)


# --------------------------------------------------------------------------- the status document


@dataclasses.dataclass(frozen=True)
class StatusReport:
    """What ``eduplan status`` shows: every selected indicator judged as of a date."""

    plan: Plan
    as_of: dt.date
    time_progress: float
    months_left: float
    county: str | None
    rows: tuple[Progress, ...]
    empty_ledger: bool
    section: str | None = None  # the section asked for: rows are grouped under it
    by_county: Mapping[str, Mapping[str, Progress]] | None = None  # indicator id → county → progress

    @property
    def summary(self) -> dict[str, int]:
        return count_statuses(self.rows)

    def fails(self, threshold: Status | None) -> bool:
        """Does any row reach ``threshold`` (``--fail-on``)? no_data never does."""
        if threshold is None:
            return False
        limit = SEVERITY[threshold]
        return any(SEVERITY.get(r.status, -1) >= limit for r in self.rows)


def _with_share(county: Progress, city: Progress) -> Progress:
    """A county's flow figure as a share of the city's."""
    if county.indicator.measure != Measure.FLOW or county.actual is None or not city.actual:
        return county
    return dataclasses.replace(county, share=county.actual / city.actual)


def count_statuses(rows: Iterable[Progress]) -> dict[str, int]:
    counts = {s.value: 0 for s in STATUSES}
    for row in rows:
        counts[row.status.value] += 1
    return counts


def status_report(
    plan: Plan,
    latest_entries: Mapping[tuple[str, str | None], Entry],
    as_of: dt.date,
    *,
    county: str | None = None,
    section: str | None = None,
    statuses: Iterable[Status] = (),
    indicators: Iterable[str] = (),
    empty_ledger: bool = False,
    with_counties: bool = False,
) -> StatusReport:
    """Every selected indicator judged as of ``as_of`` from the latest surviving entries
    per (indicator, county) as of that date (:func:`eduplan.core.entries.latest`)."""
    wanted_status = set(statuses)
    wanted_ids = set(indicators)
    rows = []
    for ind in plan.indicators:
        if section and section not in ind.all_sections:
            continue
        if wanted_ids and ind.id not in wanted_ids:
            continue
        row = judge(ind, plan, latest_entries, as_of, county)
        if wanted_status and row.status not in wanted_status:
            continue
        rows.append(row)
    grid = None
    if with_counties:  # every indicator a county can report on (a milestone is the city's)
        grid = {r.indicator.id: {c: _with_share(judge(r.indicator, plan, latest_entries, as_of, c), r)
                                 for c in plan.plan.counties}
                for r in rows if r.indicator.measure != Measure.MILESTONE}
    return StatusReport(plan, as_of, time_progress(plan.plan, as_of), months_left(plan.plan, as_of), county,
                        tuple(rows), empty_ledger, section, grid)


def worst_first(rows: Iterable[Progress]) -> list[Progress]:
    """Behind before lagging; within each, the furthest from its mark first."""
    return sorted(rows, key=lambda p: (-SEVERITY.get(p.status, -1), -(p.lag_pp or 0.0), p.indicator.id))
