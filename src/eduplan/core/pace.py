"""Time: how much of the plan period has passed, how much of a target is expected by a date,
and how many months are left. Pure functions.

序时进度 (time progress) is the share of the period elapsed at the end of a day. The
expected share of an indicator's target follows its pace (:class:`~eduplan.core.models.Pace`):

* ``linear`` (the default): the time progress;
* ``due`` by a date: grows evenly from the period start to 100% at the end of that date;
* ``once`` on a date: 0 before that date, 100% from the end of it;
* ``schedule``: cumulative shares at the end of given dates, interpolated evenly between
  them (from 0 at the period start), or, with ``steps``, each share held until the next date.

Every share is "at the end of the day": on the due date itself the whole target is expected.
"""

from __future__ import annotations

import datetime as dt

from .models import Indicator, Pace, PaceKind, PlanInfo
from .numbers import days_in_month


def time_progress(info: PlanInfo, as_of: dt.date) -> float:
    """Share of the plan period elapsed at the end of ``as_of`` (clamped to the period).

    2023-06-30 in a calendar-year plan → 181/365.
    """
    day = min(max(as_of, info.start - dt.timedelta(days=1)), info.end)
    return ((day - info.start).days + 1) / info.days


def _between(info: PlanInfo, day: dt.date, a: dt.date, b: dt.date) -> float:
    """Where the end of ``day`` stands between the end of ``a`` (0) and the end of ``b`` (1)."""
    span = (b - a).days
    return 1.0 if span <= 0 else min(1.0, max(0.0, (day - a).days / span))


def pace_share(pace: Pace, info: PlanInfo, as_of: dt.date) -> float:
    """The share of the target a pace expects by the end of ``as_of`` (0 to 1)."""
    day = min(max(as_of, info.start - dt.timedelta(days=1)), info.end)
    zero = info.start - dt.timedelta(days=1)  # the end of the day before the period: nothing yet
    if pace.kind == PaceKind.LINEAR:
        return time_progress(info, as_of)
    if pace.kind == PaceKind.ONCE:
        assert pace.date is not None
        return 1.0 if day >= pace.date else 0.0
    if pace.kind == PaceKind.DUE:
        assert pace.date is not None
        return _between(info, day, zero, pace.date)
    before, share = zero, 0.0
    for when, target in pace.points:
        if day < when:
            if pace.steps:
                return share
            return share + (target - share) * _between(info, day, before, when)
        before, share = when, target
    return share


def expected_share(ind: Indicator, info: PlanInfo, as_of: dt.date) -> float | None:
    """The share of the target expected to be done by the end of ``as_of``; None when the
    indicator is not judged against time (a level without a pace is a state)."""
    pace = ind.effective_pace
    if pace is None:
        return None
    return pace_share(pace, info, as_of)


def months_left(info: PlanInfo, as_of: dt.date, until: dt.date | None = None) -> float:
    """Calendar months from the end of ``as_of`` to the end of the period (or to ``until``,
    the day an indicator is due in whole: :func:`eduplan.core.progress.monthly_needed`).

    The rest of the current month counts as its share of that month, each later month as
    one: at 30 June in a calendar year, 6; at 15 June, 6.5 (15 of June's 30 days, then six
    months).
    """
    end = until or info.end
    if as_of >= end:
        return 0.0
    day = max(as_of, info.start - dt.timedelta(days=1))
    total = 0.0
    year, month = day.year, day.month
    length = days_in_month(year, month)
    last_of_month = dt.date(year, month, length)
    if end <= last_of_month:
        return (end - day).days / length
    total += (last_of_month - day).days / length
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        length = days_in_month(year, month)
        last_of_month = dt.date(year, month, length)
        if end >= last_of_month:
            total += 1
            if end == last_of_month:
                return total
        else:
            return total + end.day / length
