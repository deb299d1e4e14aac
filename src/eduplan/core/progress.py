"""Progress arithmetic: completion, expected progress (序时进度), roll-up over counties, lights.

Pure functions over a plan and the latest surviving entries; no I/O, no printing.

The rules, in short (the README has the long form):

* the *expected share* of a target at a date follows the indicator's pace
  (:mod:`eduplan.core.pace`): linear (time progress), due by a date, once on a date, or a
  schedule;
* flows (accumulating counts and amounts): completion = actual ÷ target, uncapped;
  at or above target → ``done``; else compared with the expected share: at or above →
  ``on_track``, below by at most the plan's threshold (percentage points) → ``lagging``,
  further below → ``behind``. Falling flows (≤) are a budget: the share used is compared
  with the expected share the other way round.
* levels (a state at a moment: a percentage, or a count when the unit is not %): met →
  ``done``; short by at most the threshold (points; for a count, points of completion) →
  ``lagging``; further → ``behind``. Never summed over time. A level with a pace is judged
  against its target from the date the pace reaches 100%; before it, against the path
  from its baseline when the baseline is known, else it is ``on_track``.
* counties indicators: each county's state is judged, the counties that are done are
  counted (or their share taken); met → ``done``, else paced like a flow.
* milestones: done → ``done``; in progress → ``on_track`` until the whole is expected
  (the due date, else the period end), then ``behind``; not started is paced like a
  flow at 0 %.
* a target stated against a baseline (below it, N points above it, N more than it) is
  ``not_judged`` while the baseline value is not known.
* one county: judged against its own target (任务分解) where the plan gives one; where it
  gives none the figure is shown with its share of the city figure and is ``not_judged``.
* no entry as of the date → ``no_data`` (missing is not zero).

What a renderer needs to know about a row (is it paced, what the notes say) is decided
here and carried as a value: ``expected``, ``notes``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence, Set
from enum import StrEnum
from typing import Any

from .entries import is_baseline
from .models import Comparator, Entry, Indicator, Measure, Plan, Relative, ReportedBy, Section, State
from .pace import expected_share, months_left, time_progress
from .records import record, replace
from .reporting import Reporting, SilentUnit, reporting, silent_units


class Status(StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    LAGGING = "lagging"
    BEHIND = "behind"
    NOT_JUDGED = "not_judged"  # a figure, but nothing to judge it against: no county target, baseline not known
    NO_DATA = "no_data"


STATUSES: tuple[Status, ...] = tuple(Status)
# For --fail-on: how bad a status is. no_data and not_judged are not ranked (neither is failing).
SEVERITY = {Status.DONE: 0, Status.ON_TRACK: 1, Status.LAGGING: 2, Status.BEHIND: 3}


@record
class Note:
    """Something a reader must know about a figure: a stable ``code`` and its parameters.
    The words are the renderers' (``render/words.py``); JSON carries the code."""

    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def warns(self) -> bool:
        """Does the figure need someone to act before it can be read as it stands (a county's
        percentage without its denominator, a baseline not yet known, a task past its due
        date, a light that is not green resting on some of the counties' figures)? A table says
        these beneath it, not only in the row."""
        return self.code in WARNINGS or (self.code == "partial" and bool(self.params.get("light")))


WARNINGS = frozenset({"cannot_roll_up", "baseline_unknown", "overdue", "city_older", "over_pace", "cap_partial",
                      "cap_stale", "ratio_partial"})


@record
class CountyFigure:
    county: str
    value: float | None
    numerator: float | None
    denominator: float | None
    state: State | None
    as_of: dt.date
    entry: str  # the entry's reference (#12, 椒江区#12)


@record
class Progress:
    """One indicator judged as of a date, for the city or for one county."""

    indicator: Indicator
    scope: str | None  # None for the city, else the county
    target: float | None  # the target judged against: the plan's, the county's own, or from the baseline
    actual: float | None
    completion: float | None
    status: Status
    met: bool | None
    gap_pp: float | None  # percentage levels: points short of the target (0 when met)
    # flows and count levels rising to a target: amount still to do; counties indicators: counties
    # still needed; None for a cap (≤), which has nothing to do (see headroom and over)
    remaining: float | None
    monthly_needed: float | None  # remaining ÷ months left until it is due (at least one; :func:`monthly_needed`)
    state: State | None  # milestones and a county's state on a counties indicator
    qualifying: tuple[str, ...] | None  # counties indicators: counties that are done
    counties: tuple[CountyFigure, ...]  # each county's latest figure
    rollup: str | None  # how the city figure was obtained: city, sum, ratio, count, county, none
    as_of_figure: dt.date | None  # date of the newest figure used
    expected: float | None  # the share of the target expected by now, by its pace (None: not judged against time)
    notes: tuple[Note, ...] = ()
    # Points behind the mark: the expected share for paced indicators, the target for levels.
    # 0 when at or ahead of it; None without data or for a met/in-progress indicator.
    lag_pp: float | None = None
    baseline: float | None = None  # the baseline value used (None: no baseline, or not yet known)
    baseline_entry: str | None = None  # the ledger entry that recorded it (None: the plan's value)
    # One county's figure as a share of the city figure (flows and counts: what it contributed);
    # None for the city, for percentages, or when either figure is missing or zero.
    share_of_city: float | None = None
    reporting: Reporting | None = None  # who owes a figure this month, and who has not sent one
    baseline_source: str | None = None  # where the baseline used comes from (the entry's source, else the plan's)
    # a cap (≤, or below the baseline) on an amount: how much of it is still unused while it holds
    # (a budget's balance; 0 when used up exactly), and by how much the figure is over it when it
    # does not; None otherwise (percentages: gap_pp)
    headroom: float | None = None
    over: float | None = None
    # a cap on an accumulating amount (a budget) while it is judged against its pace, or over it:
    # the share of it used by now (actual ÷ cap; 1.2 when 20% over), what a reader compares with
    # ``expected``, the share its pace allows by now (``completion`` of a cap within its limit is
    # 1: all that can be asked of a cap is held); None otherwise, and at the end within the cap
    used: float | None = None

    @property
    def done_share(self) -> float | None:
        """The share shown as done, beside ``expected``: ``completion``, or of a cap judged against
        its pace (or over it) the share of it used (:attr:`used`)."""
        return self.completion if self.used is None else self.used


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


def baseline_of(ind: Indicator, baselines: Mapping[str, Entry] | None) -> tuple[float | None, str | None, str | None]:
    """The baseline value (a recorded one wins over the plan's), the entry that recorded it and
    where the value comes from (the entry's source, else the plan's)."""
    if ind.baseline is None:
        return None, None, None
    e = (baselines or {}).get(ind.id)
    if e is not None and e.value is not None:
        return e.value, e.ref, e.source or ind.baseline.source
    return ind.baseline.value, None, ind.baseline.source


def monthly_needed(remaining: float, months: float) -> float | None:
    """What is still to do, spread over the months left until the indicator is due in whole
    (its pace's date, else the period end): by 1 September, 16 schools at 30 June is 8 a month,
    not 16 ÷ the year's 6. Within the last month, all of it (44 to do in the last 11 days is
    44, never a rate of 124 a month); None when nothing is left to do or it is overdue."""
    if remaining <= 0 or months <= 0:
        return None
    return remaining / max(months, 1.0)


def _due_day(ind: Indicator, plan: Plan) -> dt.date:
    pace = ind.effective_pace
    return (pace.due if pace is not None and pace.due is not None else None) or plan.plan.end


def _city_figure(ind: Indicator, latest_entries, figures: Sequence[CountyFigure]) -> float | None:
    city = latest_entries.get((ind.id, None))
    if city is not None and city.value is not None:
        return city.value
    if ind.measure == Measure.FLOW or (ind.measure == Measure.LEVEL and not ind.is_percent):
        values = [f.value for f in figures if f.value is not None]
        return sum(values) if values else None
    return None


def judge(
    ind: Indicator,
    plan: Plan,
    latest_entries: Mapping[tuple[str, str | None], Entry],
    as_of: dt.date,
    county: str | None = None,
    baselines: Mapping[str, Entry] | None = None,
    *,
    figures: tuple[CountyFigure, ...] | None = None,
) -> Progress:
    """Judge one indicator as of a date from the latest surviving in-period entries per
    (indicator, county); ``baselines`` holds the baseline recorded per indicator, if any;
    ``figures``: every county's figure for it from the same entries, when the caller has them
    (a status by county judges each indicator once per county)."""
    info = plan.plan
    threshold = plan.thresholds.lagging_pp
    expected = expected_share(ind, info, as_of)
    if figures is None:
        figures = _county_figures(latest_entries, ind, info.counties)
    notes: list[Note] = []
    base, base_entry, base_source = baseline_of(ind, baselines)
    target = ind.target
    if ind.relative is not None:
        target = ind.relative.target(base) if base is not None else None

    # ---- the figure: city-wide entry, else roll-up; or one county's entry
    actual: float | None = None
    state: State | None = None
    qualifying: tuple[str, ...] | None = None
    rollup: str | None = None
    newest: dt.date | None = None
    oldest: dt.date | None = None  # of the figures summed: the date up to which all of them stand
    own: float | None = None
    share: float | None = None
    if county is not None:
        own = ind.county_target(county)
        city_total = _city_figure(ind, latest_entries, figures)
        figures = tuple(f for f in figures if f.county == county)
        if ind.measure in (Measure.FLOW, Measure.LEVEL):
            target = own
        elif ind.measure == Measure.COUNTIES:  # the count is the city's; a county's part is its own state
            target = None
        if figures:
            f = figures[0]
            actual, state, newest, rollup = f.value, f.state, f.as_of, "county"
            if ind.measure == Measure.COUNTIES and state is not None:
                actual = None
        if actual is not None and city_total and (
                ind.measure == Measure.FLOW or (ind.measure == Measure.LEVEL and not ind.is_percent)):
            share = actual / city_total
        if own is None and ind.measure in (Measure.FLOW, Measure.LEVEL):
            params: dict[str, Any] = {"city": city_total, "unit": ind.unit}
            if share is not None:
                params["share"] = share
            if ind.county_targets:  # the plan splits it, for other counties
                params["targets_for"] = [c for c, _ in ind.county_targets]
            notes.append(Note("no_county_target", params))
    else:
        city = latest_entries.get((ind.id, None))
        if city is not None:
            actual, state, newest, rollup = city.value, city.state, city.as_of, "city"
            later = max((f.as_of for f in figures if f.as_of > city.as_of), default=None)
            if later is not None:  # the city-wide figure stands, said to be older
                ratio = ind.measure == Measure.LEVEL and ind.is_percent  # the counties' figures roll up as Σnum/Σden
                counted = ("count" if ind.measure == Measure.COUNTIES else "sum" if not ratio
                           else "ratio" if all(f.denominator for f in figures) else "none")
                notes.append(Note("city_older", {"city": city.as_of.isoformat(), "counties": later.isoformat(),
                                                  "rollup": counted}))
        elif figures:
            newest = max(f.as_of for f in figures)
            oldest = min(f.as_of for f in figures)
            if ind.measure == Measure.FLOW or (ind.measure == Measure.LEVEL and not ind.is_percent):
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
        if ind.relative is not None and base is None:
            notes.append(Note("baseline_unknown", {"date": ind.baseline.date.isoformat() if ind.baseline else None}))

    # ---- judge it
    no_data = Progress(ind, county, target, None, None, Status.NO_DATA, None, None, None, None, None,
                       qualifying, figures, rollup, newest, expected, tuple(notes), None, base, base_entry, share,
                       baseline_source=base_source)
    if ind.measure == Measure.MILESTONE or (ind.measure == Measure.COUNTIES and county is not None):
        if ind.measure == Measure.COUNTIES and own != 1 and state != State.DONE:  # the plan does not ask this county
            split = {"targets_for": [c for c, v in ind.county_targets if v == 1]} if ind.county_targets else {}
            unasked = replace(no_data, notes=(*notes, Note("no_county_target", split)))
            if state is None:
                return unasked
            return replace(unasked, status=Status.NOT_JUDGED, state=state, met=False)
        if state is None:
            return no_data
        mark = expected if expected is not None else time_progress(info, as_of)
        lag = None
        if state == State.DONE:
            status, completion = Status.DONE, 1.0
        elif state == State.IN_PROGRESS:
            completion = None
            if mark >= 1 - 1e-12:  # the whole was due: still in progress is late
                status = Status.BEHIND
                due = _due_day(ind, plan)
                # on the day itself the deadline has come, not passed (已到, not 已过)
                notes.append(Note("overdue", {"due": due.isoformat(), "on_the_day": as_of == due}))
            else:
                status = Status.ON_TRACK
        else:
            status, completion = _pace(0.0, mark, threshold), 0.0
            lag = mark * 100
        return replace(no_data, status=status, met=state == State.DONE, completion=completion,
                       state=state, lag_pp=lag, notes=tuple(notes))

    if actual is None:
        if ind.relative is not None and base is None and county is None:
            return replace(no_data, status=Status.NOT_JUDGED)
        return no_data
    if target is None:  # a county without its own target, or a baseline not yet known
        return replace(no_data, actual=actual, status=Status.NOT_JUDGED, state=state)

    falling = ind.comparator == Comparator.LE
    if ind.relative is not None and ind.relative.kind == Relative.BELOW:
        met = actual < target or actual == 0  # lower than the baseline (nothing is lower than none)
    else:
        met = actual <= target if falling else actual >= target
    partial = next((n for n in notes if n.code == "partial"), None)
    if falling and partial is not None and (met or rollup == "ratio"):
        # a cap summed over the counties that reported: the others' figures can only add to it, so within
        # the cap says nothing yet (over it is certain); a ratio over some counties says nothing either way
        notes[notes.index(partial)] = Note("cap_partial", dict(partial.params))  # (it says the count too)
        return replace(no_data, actual=actual, status=Status.NOT_JUDGED, state=state, notes=tuple(notes))
    if partial is not None and rollup == "ratio":
        # a share rolled up over some counties (Σnumerator ÷ Σdenominator): the others may take it either
        # way, so 1 county's 58.8% is not the city's share, met or not
        notes[notes.index(partial)] = Note("ratio_partial", dict(partial.params))
        return replace(no_data, actual=actual, status=Status.NOT_JUDGED, state=state, notes=tuple(notes))
    if falling:
        completion = 1.0 if met else (target / actual if actual else 0.0)
        if not met and completion >= 1.0:  # at a baseline it must stay below: not 100%, nothing to measure
            completion = None
    else:
        completion = actual / target if target else 1.0
    # a level stated against its baseline: completion is the share of the promised change made
    change = None
    if ind.measure == Measure.LEVEL and base is not None and target != base and county is None:
        change = (actual - base) / (target - base)
        if ind.relative is not None:
            completion = change

    gap_pp = remaining = needed = lag = headroom = over = shown_used = None
    if ind.measure == Measure.LEVEL:
        short = max(0.0, (actual - target) if falling else (target - actual))
        if ind.is_percent:
            gap_pp = short
        elif falling:
            headroom, over = (max(0.0, target - actual), None) if met else (None, actual - target)
        else:
            remaining = short
        not_due = expected is not None and expected < 1 - 1e-12  # not yet due in whole
        # a target stated against the baseline (比上年提高2个百分点) is judged by the share of the promised
        # change made; a plain target (60%) with a known baseline, by the path from one to the other before its
        # date and by the points short of it from then on, as without a baseline
        by_change = change is not None and ind.relative is not None
        # a level met before it is due can fall again (last year's 90.9% in January, the autumn
        # count's 83.3% in September): on track until its date, judged then (a change from the
        # baseline is judged by the share of it made)
        if met and (not not_due or by_change):
            if falling and expected is None and not by_change and as_of < info.end:
                # a cap on a level with no date of its own (大班额 ≤1%) is kept over the whole period, not
                # reached: within it so far is on track, and met only at the period end
                status = Status.ON_TRACK
                notes.append(Note("cap_kept", {"end": info.end.isoformat()}))
            else:
                status = Status.DONE
        elif not_due:
            if change is not None and ind.is_percent and not by_change:
                # the path from the baseline to the target by now (50% → 60% due in June: 56% in March), in points
                path = base + expected * (target - base)
                short_now = (actual - path) if falling else (path - actual)
                status = (Status.ON_TRACK if short_now <= 1e-9 else
                          Status.LAGGING if short_now <= threshold + 1e-9 else Status.BEHIND)
                lag = max(0.0, short_now)
            elif change is not None:
                status = _pace(change, expected, threshold)
                lag = max(0.0, (expected - change) * 100)
            else:
                status = Status.ON_TRACK
                notes.append(Note("not_yet_due", {"due": _due_day(ind, plan).isoformat()}))
        elif ind.is_percent and not by_change:
            # over a cap is behind at once, as over a cap on a flow or a count is: 8.7% against ≤1% is no
            # matter of a few points (lagging_pp measures how far a rising share is short of its target)
            status = Status.BEHIND if falling or short > threshold + 1e-9 else Status.LAGGING
            lag = short
        else:
            # a change from the baseline is judged by the share of it made, before its date and after it
            # alike (52% of a promised 50→54% was 落后 the day before it was due and 滞后 from then on)
            progress = change if by_change else completion
            status = _pace(progress, 1.0, threshold)
            lag = max(0.0, (1 - progress) * 100)
    elif falling:  # a cap on an accumulating amount: a budget used up over the period
        mark = expected if expected is not None else time_progress(info, as_of)
        used = actual / target if target else (0.0 if actual == 0 else float("inf"))
        headroom, over = (max(0.0, target - actual), None) if met else (None, actual - target)
        shown_used = used if target and (not met or as_of < info.end) else None  # (a cap of none: no share)
        if not met:
            status = Status.BEHIND
        elif as_of >= info.end:
            # within the cap at the end only if the figure is the whole period's: one as of June says
            # nothing of July to December, and what was left out can only add to it
            covered = oldest if oldest is not None else newest
            if covered is not None and covered < info.end:
                notes.append(Note("cap_stale", {"until": covered.isoformat(), "end": info.end.isoformat()}))
                return replace(no_data, actual=actual, status=Status.NOT_JUDGED, state=state, notes=tuple(notes),
                               headroom=headroom)
            status = Status.DONE
        else:
            status = _pace(1 - used, 1 - mark, threshold) if used > mark else Status.ON_TRACK
            lag = max(0.0, (used - mark) * 100)
            if status != Status.ON_TRACK:  # within the cap, and yet not on track: say why (the budget so far)
                allowed = target * mark  # of a count, the whole number within it: 2 people of 2.96, not '3'
                allowed = math.floor(allowed + 1e-9) if ind.counted else allowed
                notes.append(Note("over_pace", {"allowed": allowed, "target": target, "unit": ind.unit,
                                                "share": mark}))
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
        needed = monthly_needed(remaining, months_left(info, as_of, _due_day(ind, plan)))
    if status in (Status.LAGGING, Status.BEHIND):  # a light that is not green on some counties' figures only:
        # said wherever the light is (4/≥25所 ✖ 落后 on 1 of 9 counties read as the city's shortfall)
        notes = [Note("partial", {**n.params, "light": True}) if n.code == "partial" else n for n in notes]
    return replace(no_data, actual=actual, completion=completion, status=status, met=met,
                   gap_pp=gap_pp, remaining=remaining, monthly_needed=needed, state=state,
                   lag_pp=lag, notes=tuple(notes), headroom=headroom, over=over, used=shown_used)


# --------------------------------------------------------------------------- the status document


@record(slots=False)
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
    lead: str | None = None  # the lead unit asked for

    @property
    def summary(self) -> dict[str, int]:
        return count_statuses(self.rows)

    @property
    def by_section(self) -> list[tuple[Section, list[Progress]]]:
        """The rows under their first section (or under the section asked for), in plan order."""
        groups: dict[str, list[Progress]] = {}
        for p in self.rows:
            groups.setdefault(self.section or p.indicator.sections[0], []).append(p)
        return [(s, groups[s.id]) for s in self.plan.sections if s.id in groups]

    @property
    def county_grid(self) -> dict[str, Mapping[str, Progress]]:
        """The rows of the grid by county worth showing: the indicators some county has a figure for."""
        return {i: cells for i, cells in (self.by_county or {}).items()
                if any(p.actual is not None or p.state is not None for p in cells.values())}

    @property
    def city_only(self) -> int:
        """How many indicators of the grid have a city-wide figure and none from any county (shown
        by ``status``, not in the grid); those with no figure at all are in neither."""
        city = {p.indicator.id: p for p in self.rows}
        grid = self.county_grid
        return sum(1 for i in (self.by_county or {}) if i not in grid
                   and (city[i].actual is not None or city[i].state is not None))

    @property
    def silent(self) -> tuple[SilentUnit, ...]:
        """Units that owe figures this month (up to the reading date) and sent none, with the indicators."""
        return silent_units(self.plan, ((p.indicator.id, p.reporting) for p in self.rows if p.reporting is not None))

    def fails(self, threshold: Status | None) -> bool:
        """Does any row reach ``threshold`` (``--fail-on``)? no_data never does."""
        if threshold is None:
            return False
        limit = SEVERITY[threshold]
        return any(SEVERITY.get(r.status, -1) >= limit for r in self.rows)


def count_statuses(rows: Iterable[Progress]) -> dict[str, int]:
    counts = {s.value: 0 for s in STATUSES}
    for row in rows:
        counts[row.status.value] += 1
    return counts


def county_reports(ind: Indicator) -> bool:
    """Does a county report this indicator: not a city-wide milestone, nor what the plan has the city
    report city-wide (``reported_by = "city"``)."""
    return ind.measure != Measure.MILESTONE and ind.reported_by != ReportedBy.CITY


def in_period(plan: Plan, latest_entries: Mapping[tuple[str, str | None], Entry]) -> dict[tuple[str, str | None], Entry]:
    """The figures of the period: an entry dated before it is a baseline, not a figure."""
    return {k: e for k, e in latest_entries.items() if not is_baseline(e, plan)}


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
    baselines: Mapping[str, Entry] | None = None,
    lead: str | None = None,
    sent: Set[tuple[str, str | None]] | None = None,
) -> StatusReport:
    """Every selected indicator judged as of ``as_of`` from the latest surviving entries
    per (indicator, county) as of that date (:func:`eduplan.core.entries.latest`);
    ``baselines``: the latest recorded baseline per indicator (entries dated before the
    period, :func:`baselines_from`); ``sent``: the (indicator, unit) pairs with a figure dated
    in ``as_of``'s month up to ``as_of`` (:mod:`eduplan.core.reporting`)."""
    latest_entries = in_period(plan, latest_entries)
    wanted_status = set(statuses)
    wanted_ids = set(indicators)
    rows = []
    for ind in plan.indicators:
        if section and section not in ind.all_sections:
            continue
        if wanted_ids and ind.id not in wanted_ids:
            continue
        if lead is not None and ind.lead != lead:
            continue
        if county is not None and not county_reports(ind) and (ind.id, county) not in latest_entries:
            continue  # one county's view: what the city reports city-wide is not the county's to have
        row = judge(ind, plan, latest_entries, as_of, county, baselines)
        if wanted_status and row.status not in wanted_status:
            continue
        done = reporting(ind, plan, latest_entries, as_of, sent)
        if county is not None:
            done = replace(done, owed=tuple(u for u in done.owed if u == county),
                           missing=tuple(u for u in done.missing if u == county))
        rows.append(replace(row, reporting=done))
    grid = None
    if with_counties:  # every indicator the counties report (and any other one a county has a figure for)
        # (a city row holds every county's figure; a row judged for one county only that county's)
        grid = {r.indicator.id: {c: judge(r.indicator, plan, latest_entries, as_of, c, baselines,
                                          figures=r.counties if county is None else None)
                                 for c in plan.plan.counties}
                for r in rows if r.indicator.measure != Measure.MILESTONE and (
                    county_reports(r.indicator) or any((r.indicator.id, c) in latest_entries for c in plan.plan.counties))}
    return StatusReport(plan, as_of, time_progress(plan.plan, as_of), months_left(plan.plan, as_of), county,
                        tuple(rows), empty_ledger, section, grid, lead)


def baselines_from(plan: Plan, latest_before: Mapping[tuple[str, str | None], Entry]) -> dict[str, Entry]:
    """The recorded baseline per indicator: its latest surviving city-wide entry dated on
    its baseline date (``latest_before``: the latest entries as of the day before the period)."""
    out = {}
    for ind in plan.indicators:
        e = latest_before.get((ind.id, None))
        if ind.baseline is not None and e is not None and e.as_of == ind.baseline.date:
            out[ind.id] = e
    return out


def worst_first(rows: Iterable[Progress]) -> list[Progress]:
    """Behind before lagging; within each, the furthest from its mark first."""
    return sorted(rows, key=lambda p: (-SEVERITY.get(p.status, -1), -(p.lag_pp or 0.0), p.indicator.id))
