"""Time: how much of the plan period has passed, how much of a target is expected by a date,
and how many months are left. Pure functions.

序时进度 (time progress) is the share of the period elapsed at the end of a day; the
expected share of a paced indicator's target is judged against it.
"""

from __future__ import annotations

import calendar
import datetime as dt

from .models import Indicator, PlanInfo


def time_progress(info: PlanInfo, as_of: dt.date) -> float:
    """Share of the plan period elapsed at the end of ``as_of`` (clamped to the period).

    2023-06-30 in a calendar-year plan → 181/365.
    """
    day = min(max(as_of, info.start - dt.timedelta(days=1)), info.end)
    return ((day - info.start).days + 1) / info.days


def expected_share(ind: Indicator, info: PlanInfo, as_of: dt.date) -> float | None:
    """The share of the target expected to be done by the end of ``as_of``; None when the
    indicator is not judged against time (a level is a state, not a pace)."""
    if not ind.paced:
        return None
    return time_progress(info, as_of)


def months_left(info: PlanInfo, as_of: dt.date) -> float:
    """Calendar months from the end of ``as_of`` to the end of the period.

    The rest of the current month counts as its share of that month, each later month as
    one: at 30 June in a calendar year, 6; at 15 June, 6.5 (15 of June's 30 days, then six
    months). ``monthly_needed`` is the amount still to do divided by exactly this.
    """
    if as_of >= info.end:
        return 0.0
    day = max(as_of, info.start - dt.timedelta(days=1))
    total = 0.0
    year, month = day.year, day.month
    length = calendar.monthrange(year, month)[1]
    last_of_month = dt.date(year, month, length)
    if info.end <= last_of_month:
        return (info.end - day).days / length
    total += (last_of_month - day).days / length
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        length = calendar.monthrange(year, month)[1]
        last_of_month = dt.date(year, month, length)
        if info.end >= last_of_month:
            total += 1
            if info.end == last_of_month:
                return total
        else:
            return total + info.end.day / length
