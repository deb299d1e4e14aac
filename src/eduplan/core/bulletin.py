"""The monthly bulletin (月度通报) as plain data: no I/O, no printing, no formatting.

A bulletin is two status reports, one at the month's last day (or the period end, if the
period ends earlier) and one at the previous month's last day, and what lies between:

* every indicator as of the month end, with the change since the previous month end
  (``delta_actual`` and ``delta_completion`` are exactly the month-end figure minus the
  previous month-end figure, both from :func:`eduplan.progress.status_report`);
* the lagging and behind indicators, worst first;
* what was recorded for the month: entries whose ``as_of`` date falls within it (bureau
  figures are "as of" a date; when a figure was typed in does not matter), including
  corrections and voids;
* the units (the city, the counties) that sent nothing this month for indicators they owe
  a figure for, by the plan's ``reported_by`` (:mod:`eduplan.core.reporting`);
* milestones (and other targets) reached during the month;
* the indicators grouped by lead unit (牵头单位), when the plan names lead units.
* what is questionable in the ledger as of the month end (:func:`eduplan.core.rules.ledger_findings`,
  the same findings as ``eduplan check``): the data-quality section.

Corrections recorded later count back to the figure's date, exactly as in ``status``:
a bulletin describes the ledger as it stands now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from ..errors import EduplanError
from ..i18n import msg
from .documents import Remark
from .models import Entry, Measure, Plan, Section
from .numbers import NumberError, days_in_month, parse_month
from .progress import (
    Progress,
    Status,
    StatusReport,
    count_statuses,
    status_report,
    worst_first,
)
from .records import record
from .reporting import OfficeReturn, SilentUnit, office_returns, shows_sent
from .rules import QualityDigest, digest


@record
class Row:
    """One indicator in the bulletin: now, at the previous month end, and the change."""

    now: Progress
    previous: Progress | None  # None when the month is the first of the period
    delta_actual: float | None  # now.actual - previous.actual (both known), else None
    delta_completion: float | None  # now.completion - previous.completion, else None

    @property
    def indicator(self):
        return self.now.indicator

    @property
    def delta_done(self) -> float | None:
        """The change of the share shown as done (:attr:`Progress.done_share`: of a cap, the share of
        it used) over the month, in the tables beside it; None where either is not known."""
        if self.previous is None:
            return None
        now, before = self.now.done_share, self.previous.done_share
        return None if now is None or before is None else now - before

    @property
    def newly_done(self) -> bool:
        return self.now.status == Status.DONE and (self.previous is None or self.previous.status != Status.DONE)


@record
class SectionBlock:
    section: Section
    rows: tuple[Row, ...]

    @property
    def summary(self) -> dict[str, int]:
        return count_statuses(r.now for r in self.rows)


Recorded = Remark  # an entry dated within the month, with whatever later superseded it


SilentCounty = SilentUnit  # a unit (county, or the city: county None) that sent nothing it owed this month


@record
class LeadBlock:
    """The indicators a lead unit (牵头单位) is responsible for."""

    lead: str
    rows: tuple[Row, ...]

    @property
    def summary(self) -> dict[str, int]:
        return count_statuses(r.now for r in self.rows)

    @property
    def attention(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.now.status in (Status.LAGGING, Status.BEHIND))


@record(slots=False)
class Bulletin:
    plan: Plan
    year: int
    month: int
    start: dt.date  # first day of the month within the period
    as_of: dt.date  # month end (or period end)
    previous_as_of: dt.date | None
    current: StatusReport
    previous: StatusReport | None
    rows: tuple[Row, ...]  # plan order
    sections: tuple[SectionBlock, ...]  # every section with indicators, plan order
    attention: tuple[Row, ...]  # lagging and behind, worst first
    recorded: tuple[Recorded, ...]  # as_of within [start, as_of], by date then id
    # what was received for the month and counts: entries not withdrawn, and not voids (of recorded)
    figures: tuple[Recorded, ...]
    # how many of recorded are of each kind (record, correction, void), and how many were withdrawn
    tally: Mapping[str, int]
    silent: tuple[SilentUnit, ...]  # the city first, then counties in plan order
    reported_per_county: tuple[str, ...]  # indicator ids the counties owed a figure for this month
    reported_by_city: tuple[str, ...] = ()  # indicator ids the city owed a figure for this month
    leads: tuple[LeadBlock, ...] = ()  # by lead unit, when the plan names lead units
    quality: QualityDigest | None = None  # what `eduplan check` finds as of the month end, in brief (always set
    # by build_bulletin)
    # the plan and the ledger it was made from, as they were named (None: the default place), so that
    # what the bulletin points to (the check listing every finding) reads the same files
    plan_named: str | None = None
    ledger_named: str | None = None

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def summary(self) -> dict[str, int]:
        return self.current.summary

    @property
    def period_over(self) -> bool:
        """Is this the bulletin of the period's last day? Then what falls short is not done, not to be
        sped up, and an indicator without a figure has none for the period."""
        return self.as_of >= self.plan.plan.end

    @property
    def previous_summary(self) -> dict[str, int] | None:
        return self.previous.summary if self.previous is not None else None

    @property
    def months_left(self) -> float:
        return self.current.months_left

    @property
    def audit(self) -> tuple[Recorded, ...]:
        """The audit trail of the month: figures withdrawn (a typo corrected, a figure entered twice
        and voided), and the corrections and voids that withdrew them."""
        trail = [r for r in self.recorded if r.withdrawn or r.entry.supersedes is not None]
        # each withdrawn figure followed by what withdrew it
        return tuple(sorted(trail, key=lambda r: (r.entry.office, r.entry.supersedes or r.entry.id, r.entry.id)))

    def carried(self, p: Progress) -> bool:
        """Does a unit's standing rest on a figure dated before the month (it sent nothing this
        month, and the one before stands)? A grid marks such a cell; a state (完成) is not a
        figure to send again."""
        return p.actual is not None and p.as_of_figure is not None and p.as_of_figure < self.start

    @property
    def explained(self) -> tuple[Row, ...]:
        """The indicators whose standing at the month end needs a word someone must act on, plan
        order, whatever their light: not judged (a baseline not recorded yet, a cap whose counties
        have not all reported), without a city-wide figure (a county's percentage without its
        denominator), resting on an older city-wide figure than the counties' (city_older),
        within a cap but past its share for the time gone (over_pace), past its due date. The
        bulletin says why, as status and show do, not only 不评价, 无数据, 完成 or 落后."""
        return tuple(r for r in self.rows if any(n.warns for n in r.now.notes))

    @property
    def received_by_county(self) -> dict[str | None, int]:
        """How many figures that count each unit sent for the month (None: city-wide), plan order."""
        counts: dict[str | None, int] = {c: 0 for c in self.plan.plan.counties}
        counts[None] = 0
        for r in self.figures:
            counts[r.entry.county] = counts.get(r.entry.county, 0) + 1
        return counts

    @property
    def offices(self) -> tuple[OfficeReturn, ...]:
        """Each recording office's return for the month (completeness per office)."""
        return office_returns(self.plan, ((p.indicator.id, p.reporting) for p in self.current.rows
                                          if p.reporting is not None), (r.entry for r in self.figures))

    @property
    def by_county(self) -> Mapping[str, Mapping[str, Progress]]:
        """Each county's progress at the month end, plan order: for the indicators the counties owed
        a figure for this month, and for every other one a county has a figure for (new
        kindergartens paced for September, reported in June, are in June's grid too)."""
        grid = self.current.by_county or {}
        owed = set(self.reported_per_county)
        return {i: cells for i, cells in grid.items()
                if i in owed or any(p.actual is not None or p.state is not None for p in cells.values())}

    @property
    def milestones_done(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.indicator.measure == Measure.MILESTONE and r.newly_done)

    @property
    def targets_met(self) -> tuple[Row, ...]:
        """Indicators with a numeric target that reached it during the month."""
        return tuple(r for r in self.rows if r.indicator.measure != Measure.MILESTONE and r.newly_done)


def month_bounds(plan: Plan, month: str, today: dt.date | None = None) -> tuple[int, int, dt.date, dt.date]:
    """``2023-06`` (or 2023年6月, or 6月: the June of the period; with ``today``, 上月 and 本月) →
    (2023, 6, first day, last day), both clamped to the period.

    Raises :class:`EduplanError` (field ``month``) for a month that is not a month or lies
    outside the period.
    """
    try:
        year, mon = parse_month(month, plan.plan.period, today)
    except NumberError as exc:
        raise EduplanError(exc.message, field="month") from None
    first = dt.date(year, mon, 1)
    last = dt.date(year, mon, days_in_month(year, mon))
    info = plan.plan
    if last < info.start or first > info.end:
        raise EduplanError(msg("{month} is outside the plan period {start} to {end}", month=f"{year:04d}-{mon:02d}",
                               start=info.start, end=info.end), field="month")
    return year, mon, max(first, info.start), min(last, info.end)


def _delta(now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    return now - before


def _tally(recorded: Sequence[Recorded]) -> dict[str, int]:
    out = {"record": 0, "correction": 0, "void": 0, "withdrawn": 0}
    for r in recorded:
        out[r.kind] += 1
        if r.withdrawn:
            out["withdrawn"] += 1
    return out


def build_bulletin(
    plan: Plan,
    month: str,
    latest_at: Callable[[dt.date], Mapping[tuple[str, str | None], Entry]],
    recorded: Sequence[Recorded],
    *,
    baselines: Mapping[str, Entry] | None = None,
    empty_ledger: bool = False,
    quality: QualityDigest | None = None,
    until: dt.date | None = None,
) -> Bulletin:
    """The bulletin for ``month`` from what the ledger says.

    ``latest_at(day)`` gives the latest surviving entries as of a day; ``recorded`` the
    entries dated within the month with what superseded them (who sent figures this month);
    ``baselines`` the recorded baseline per indicator. Who owed figures and who sent them is
    the status report's completeness at the month end (:mod:`eduplan.core.reporting`). ``until``: the
    last day the month is read to where it has not ended (today: its days to come are no one's to
    judge). ``quality`` the data-quality findings as of the month end, in brief
    (:func:`eduplan.core.rules.digest`; none found when not given).
    """
    year, mon, start, end = month_bounds(plan, month)
    if until is not None and start <= until < end:  # a month still running: read to that day, not to its end
        end = until
    sent = {(r.entry.indicator, r.entry.county) for r in recorded if shows_sent(r.entry, r.superseded_by)}
    current = status_report(plan, latest_at(end), end, empty_ledger=empty_ledger, with_counties=True,
                            baselines=baselines, sent=sent)
    prev_day = start - dt.timedelta(days=1)
    previous = (status_report(plan, latest_at(prev_day), prev_day, baselines=baselines)
                if prev_day >= plan.plan.start else None)
    before = {p.indicator.id: p for p in previous.rows} if previous is not None else {}
    rows = []
    for p in current.rows:
        q = before.get(p.indicator.id)
        rows.append(Row(p, q, _delta(p.actual, q.actual if q else None),
                        _delta(p.completion, q.completion if q else None)))
    by_id = {r.indicator.id: r for r in rows}
    sections = tuple(
        SectionBlock(sec, tuple(by_id[i.id] for i in plan.in_section(sec.id)))
        for sec in plan.sections if plan.in_section(sec.id)
    )
    attention = tuple(by_id[p.indicator.id] for p in worst_first(
        r.now for r in rows if r.now.status in (Status.LAGGING, Status.BEHIND)))
    owed = [(p.indicator.id, p.reporting) for p in current.rows if p.reporting is not None]
    per_county = tuple(i for i, r in owed if any(u is not None for u in r.owed))
    by_city = tuple(i for i, r in owed if None in r.owed)
    leads = tuple(LeadBlock(lead, tuple(r for r in rows if r.indicator.lead == lead)) for lead in plan.leads)
    return Bulletin(plan, year, mon, start, end, previous.as_of if previous else None, current, previous,
                    tuple(rows), sections, attention, tuple(recorded),
                    tuple(r for r in recorded if not r.withdrawn and not r.entry.void), _tally(recorded),
                    current.silent, per_county, by_city, leads,
                    quality if quality is not None else digest((), end, 0))
