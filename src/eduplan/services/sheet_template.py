"""The fill-in template as a document: which indicators, which columns (the contract in
:mod:`eduplan.services.sheet_contract`), the sheet's date, each unit's target and last
figure. Rendering it to xlsx or csv is :mod:`eduplan.render`."""

from __future__ import annotations

import datetime as dt

from ..core.entries import is_baseline
from ..core.models import Measure, Plan
from ..core.names import find_county
from ..core.numbers import days_in_month
from ..core.progress import judge
from ..errors import UsageError
from ..i18n import Flag, msg
from .sheet_contract import TemplateDoc, TemplateRow, columns_for, template_indicators
from .workspace import Workspace, reading_date

FORMATS = ("xlsx", "csv")


def month_end(plan: Plan, day: dt.date) -> dt.date:
    """The last day of ``day``'s month, within the plan period."""
    last = dt.date(day.year, day.month, days_in_month(day.year, day.month))
    return min(last, plan.plan.end)


def last_month_end(plan: Plan, today: dt.date) -> dt.date:
    """The latest month end on or before today, within the plan period: counties report a month
    once it is over (每月初报上月), so a sheet made on 3 July is as of 30 June, one made on 30 June
    too. Before the period's first month end, that month end; after the period, its last day."""
    day = reading_date(plan, None, today=today)
    end = month_end(plan, day)
    if day == end:
        return day
    previous = day.replace(day=1) - dt.timedelta(days=1)
    return previous if previous >= plan.plan.start else end


def sheet_date(ws: Workspace, as_of: str | dt.date | None, month: str | None) -> dt.date:
    """The date of every figure on the sheet: as asked (a date, or a month's end), else the last
    month end (:func:`last_month_end`)."""
    plan = ws.plan
    if as_of is not None and month is not None:
        raise UsageError(msg("give a date ({as_of}) or a month ({month}), not both", as_of=Flag("as_of"),
                             month=Flag("month")), field="as_of")
    if month is not None:
        from ..core.bulletin import month_bounds

        return month_bounds(plan, month, ws.today)[3]
    if as_of is not None:
        day = ws.day(as_of)
        return reading_date(plan, day, today=ws.today, ahead=True)  # (a sheet sent out before the month ends)
    return last_month_end(plan, ws.today)


def template(ws: Workspace, *, county: str | None = None, fmt: str = "xlsx", as_of: str | dt.date | None = None,
             month: str | None = None) -> TemplateDoc:
    if fmt not in FORMATS:
        raise UsageError(msg("a template is written as xlsx or csv"), field="format")
    plan = ws.plan
    unit = find_county(plan, county).value if county is not None else None
    day = sheet_date(ws, as_of, month)
    indicators = tuple(template_indicators(plan, unit))
    view = ws.view()
    try:
        latest = view.latest(day, [i.id for i in indicators])
    finally:
        view.close()
    rows = []
    for ind in indicators:
        target, notes = ind.target, ()
        if unit is not None and ind.measure == Measure.COUNTIES:
            target = None  # a county's row of a counties indicator is its state: done or not
        elif unit is not None:
            judged = judge(ind, plan, latest, day, unit)  # the county's own target (任务分解), or None
            target, notes = judged.target, tuple(n for n in judged.notes if n.code != "partial")
        last = latest.get((ind.id, unit))
        if last is not None and is_baseline(last, plan):  # last year's figure: shown as such, never repeated
            rows.append(TemplateRow(ind, target, notes, None, last))
        else:
            rows.append(TemplateRow(ind, target, notes, last))
    return TemplateDoc(plan, unit, columns_for(unit), indicators, fmt, day, tuple(rows))
