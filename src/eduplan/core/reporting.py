"""Who owes a figure for a month, and who has not sent one (completeness, 未报送). Pure functions.

An indicator's ``reported_by`` says which units report it: the city (the city-wide
figure), each county, or both. For a month, a unit *owes* a figure for an indicator it
reports when

* the indicator expects something by the month's end (its expected share is above 0: a
  target due in one go in September owes nothing in March), and
* the unit's own latest figure is not a final state (a milestone, or a county's state on a
  counties indicator, recorded ``done`` needs no report after that);

and it *sent* one when it recorded a figure dated within the month (``sent``: the ledger's
(indicator, unit) pairs with a figure that is not a void dated in the month; a figure
corrected or voided later still shows that the unit reported — whether the figure was
right is a matter of data quality, not of completeness — but not one whose correction moved
it to another date: the correction says it was not the month's, :func:`shows_sent`). Without ``sent`` the rule falls
back on the latest surviving figures.

A version-1 plan does not say who reports: an indicator is then reported by each county
once any county figure for it is dated on or before the month's end (and never by the
city), every month, as before; a version-2 plan that leaves ``reported_by`` out of an
indicator gets the city where no county has reported (:func:`units_reporting`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Set

from .models import Entry, Indicator, Measure, Plan, ReportedBy, State
from .pace import expected_share
from .records import record

Unit = str | None  # a county-level unit, or None for the city


@record
class Reporting:
    """One indicator's completeness for the month that ends at the reading date."""

    by: ReportedBy | None  # None: inferred from the figures (version 1)
    start: dt.date  # the month's first day (within the period)
    owed: tuple[Unit, ...]  # units that owe a figure, city first
    missing: tuple[Unit, ...]  # of those, the ones that sent none this month


def month_start(plan: Plan, day: dt.date) -> dt.date:
    """The first day of ``day``'s month, not before the period start."""
    return max(day.replace(day=1), plan.plan.start)


def stated_reporter(ind: Indicator, plan: Plan) -> ReportedBy | None:
    """Who reports the indicator as the plan has it: its ``reported_by``; in a version-2 plan a
    milestone that leaves it out is the city's (:func:`units_reporting`); else None (inferred
    from the figures)."""
    if ind.reported_by is None and plan.schema_version >= 2 and ind.measure == Measure.MILESTONE:
        return ReportedBy.CITY
    return ind.reported_by


def units_reporting(ind: Indicator, plan: Plan, county_reported: bool) -> tuple[Unit, ...]:
    """The units that report the indicator, by the plan's ``reported_by``; the one rule for
    completeness in ``status``, the bulletin and ``eduplan check``. Where the plan does not
    say, it is inferred from the figures (``county_reported``: any county has recorded one):
    every county once a county has; otherwise, in a version-1 plan, nobody (what version 1
    always did), and in a version-2 plan, which could have said, the city — a milestone is
    always the city's — so that nothing owed is silently owed by nobody."""
    counties = plan.plan.counties
    by = ind.reported_by
    if by is None:
        if plan.schema_version < 2:
            return tuple(counties) if county_reported else ()
        if ind.measure == Measure.MILESTONE or not county_reported:
            return (None,)
        return tuple(counties)
    if by == ReportedBy.CITY:
        return (None,)
    if by == ReportedBy.COUNTIES:
        return tuple(counties)
    return (None, *counties)


def shows_sent(e, later) -> bool:
    """Does entry ``e`` (with what superseded it, ``later``, or None) show that its unit sent a figure
    for the month it is dated in? Not a void; not a figure whose correction moved its date."""
    return not e.void and not (later is not None and not later.void and later.as_of != e.as_of)


def owed_units(plan: Plan, ind: Indicator, county_reported: bool, as_of: dt.date | None = None) -> tuple[Unit, ...]:
    """Who owes figures of an indicator as of a day: the units that report it
    (:func:`units_reporting`), none while its pace expects nothing yet (a target due in one go
    in September owes nothing in March). A version-1 plan has no paces to wait for: its units
    owe from the start, as version 1 always judged."""
    if as_of is not None and plan.schema_version >= 2:
        expected = expected_share(ind, plan.plan, as_of)
        if expected is not None and expected <= 0:
            return ()
    return units_reporting(ind, plan, county_reported)


def reporting(ind: Indicator, plan: Plan, latest: Mapping[tuple[str, str | None], Entry], as_of: dt.date,
              sent: Set[tuple[str, str | None]] | None = None) -> Reporting:
    """Completeness of one indicator for the month ending at ``as_of``; ``latest`` holds the
    latest surviving in-period figure per (indicator, unit) as of that date, ``sent`` the
    (indicator, unit) pairs with a figure dated from the month's first day to ``as_of``."""
    start = month_start(plan, as_of)
    units = owed_units(plan, ind, any((ind.id, c) in latest for c in plan.plan.counties), as_of)
    if plan.schema_version >= 2:  # a unit whose state is done owes nothing more
        units = tuple(u for u in units if not _final(latest.get((ind.id, u))))
    if sent is not None:
        missing = tuple(u for u in units if (ind.id, u) not in sent)
    else:
        missing = tuple(u for u in units if (e := latest.get((ind.id, u))) is None or e.as_of < start)
    return Reporting(ind.reported_by, start, units, missing)


def _final(e: Entry | None) -> bool:
    return e is not None and e.state == State.DONE


@record
class SilentUnit:
    """A unit that owes figures for the month and sent none for these indicators."""

    county: str | None  # None: the city
    indicators: tuple[str, ...]  # ids, in plan order
    owed: int  # how many indicators the unit owed this month


def silent_units(plan: Plan, rows: Iterable[tuple[str, Reporting]]) -> tuple[SilentUnit, ...]:
    """Per unit (the city, then the counties in plan order), the indicators it owed and did not send."""
    owed: dict[Unit, int] = {}
    missing: dict[Unit, list[str]] = {}
    for ind_id, r in rows:
        for u in r.owed:
            owed[u] = owed.get(u, 0) + 1
        for u in r.missing:
            missing.setdefault(u, []).append(ind_id)
    return tuple(SilentUnit(u, tuple(missing[u]), owed[u]) for u in (None, *plan.plan.counties) if missing.get(u))


@record
class OfficeReturn:
    """One recording office's return for the month: what it sent, what it owed and did not send."""

    office: str
    units: tuple[Unit, ...]  # the units whose figures it reports (None: the city-wide figure)
    received: int  # figures it sent for the month that count (not withdrawn, not voids)
    owed: tuple[tuple[str, Unit], ...]  # (indicator, unit) pairs it owed this month, plan order
    missing: tuple[tuple[str, Unit], ...]  # of those, the ones no figure came for

    @property
    def complete(self) -> bool:
        return not self.missing


def office_returns(plan: Plan, rows: Iterable[tuple[str, Reporting]], figures: Iterable[Entry]) -> tuple[OfficeReturn, ...]:
    """Completeness per recording office (:attr:`Plan.offices`), in the plan's order of offices.

    An office owes the figures of the units it reports; a figure is the office's when its file
    is the office's (a ledger folder) or, in a one-file ledger, when it is for one of the
    office's units. Where two offices report one unit (two city divisions), a figure from
    either fills the gap for both."""
    rows = list(rows)
    sent: dict[str, int] = {}
    by_unit: dict[Unit, int] = {}
    for e in figures:
        if e.office:
            sent[e.office] = sent.get(e.office, 0) + 1
        else:
            by_unit[e.county] = by_unit.get(e.county, 0) + 1
    out = []
    for office in plan.offices:
        units = set(office.units)
        owed = tuple((i, u) for i, r in rows for u in r.owed if u in units)
        missing = tuple((i, u) for i, r in rows for u in r.missing if u in units)
        received = sent.get(office.name, 0) + sum(by_unit.get(u, 0) for u in office.units)
        out.append(OfficeReturn(office.name, office.units, received, owed, missing))
    return tuple(out)
