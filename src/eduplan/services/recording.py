"""Recording figures: ``record``, ``correct`` and ``void`` as functions of the library.

Each reads what a person typed the way the document writes it, checks it against the
plan, and appends one entry under the ledger's lock (:func:`eduplan.store.ledger.append_entries`).
Nothing is printed: the result is a :class:`~eduplan.core.documents.Stored` document.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ..core.documents import Stored, Taken
from ..core.entries import Figure, read_figure, value_problems
from ..core.models import Entry, Indicator, Measure, Plan
from ..core.names import Match, find_county, find_indicator
from ..core.numbers import NumberError, parse_quantity
from ..core.text import check_text
from ..errors import EduplanError, UsageError
from ..i18n import N_, msg
from ..store.ledger import LedgerView, append_entries
from .workspace import Workspace, check_date, parse_day


def _figure(plan: Plan, ind: Indicator, text: str, county: str | None) -> Figure:
    try:
        fig = read_figure(ind, text, county=county)
    except NumberError as exc:
        raise EduplanError(exc.message, field="value") from None
    problems = value_problems(ind, plan, county=county, value=fig.value, state=fig.state,
                              has_ratio=fig.numerator is not None)
    if problems:
        raise EduplanError(problems[0][1], field=problems[0][0])
    return fig


def taken(field: str, match: Match, shown: str) -> tuple[Taken, ...]:
    return () if match.exact else (Taken(field, match.typed, shown),)


def record(ws: Workspace, indicator: str, value: str | None = None, *, as_of: str | dt.date | None = None,
           county: str | None = None, add: str | None = None, note: str | None = None,
           source: str | None = None) -> Stored:
    """Record one figure: a cumulative total (``value``), or ``add`` on top of the latest total."""
    plan = ws.plan
    ind_match = find_indicator(plan, indicator)
    ind = ind_match.value
    county_match = find_county(plan, county)
    unit = county_match.value
    day = as_of if isinstance(as_of, dt.date) else parse_day(plan, as_of)
    day = check_date(plan, day or ws.today, today=ws.today)
    note = check_text(note, "note")
    source = check_text(source, "source")
    by = ws.by
    if (value is None) == (add is None):
        raise UsageError(msg("give either a value or an amount to add, not both and not neither"), field="value")
    fig = _figure(plan, ind, value, unit) if value is not None else None
    increment = None
    if add is not None:
        if ind.measure != Measure.FLOW:
            raise EduplanError(msg("only an accumulating figure can be added to; {indicator} is a {measure} indicator",
                                   indicator=ind.id, measure=ind.measure.value), field="add")
        try:
            q = parse_quantity(add)
        except NumberError as exc:
            raise EduplanError(exc.message, field="add") from None
        if q.percent:
            raise EduplanError(msg("{indicator} is measured in {unit}, not %", indicator=ind.id, unit=ind.unit),
                               field="add")
        increment = q.value

    def build(view: LedgerView) -> list[Entry]:
        nonlocal fig
        if increment is not None:
            best = view.latest(day, [ind.id]).get((ind.id, unit))
            if best is not None and best.as_of < plan.plan.start:
                best = None  # a baseline, not a figure of the period
            base = best.value if best is not None and best.value is not None else 0
            total = Decimal(str(base)) + increment
            fig = _figure(plan, ind, str(total), unit)
        assert fig is not None
        return [Entry(view.next_id(), ind.id, day, by, ws.now, county=unit, value=fig.value,
                      numerator=fig.numerator, denominator=fig.denominator, state=fig.state, note=note, source=source)]

    entry = append_entries(ws.ledger_path, plan, build, create_folder=ws.ledger_is_default)[0]
    return Stored(plan, entry, taken("indicator", ind_match, ind.id) + taken("county", county_match,
                                                                             unit or "全市"))


_REF = re.compile(r"^\s*#?\s*(\d+)\s*$")


def parse_ref(text: str | int) -> int:
    """An entry reference as a person types it: ``12`` or ``#12``."""
    if isinstance(text, int):
        return text
    m = _REF.match(str(text))
    if m is None:
        raise EduplanError(msg("'{text}' is not an entry number (write it as 12 or #12; `eduplan log` lists them)",
                               text=text), field="entry")
    return int(m[1])


def _target(view: LedgerView, entry_id: int, verb: str) -> Entry:
    target = view.entry(entry_id)
    if target is None:
        raise EduplanError(msg("there is no entry #{id} (`eduplan log` lists them)", id=entry_id), field="entry")
    later = view.superseded_by(entry_id)
    if later is not None:
        if later.void:
            raise EduplanError(msg("entry #{id} was already voided by entry #{by}", id=entry_id, by=later.id),
                               field="entry")
        raise EduplanError(msg("entry #{id} was already corrected by entry #{by}; {verb} entry #{by} instead",
                               id=entry_id, by=later.id, verb=msg(verb)), field="entry")
    if target.void:
        raise EduplanError(msg("entry #{id} is itself a void", id=entry_id), field="entry")
    return target


def correct(ws: Workspace, entry: str | int, value: str, *, reason: str, as_of: str | dt.date | None = None,
            note: str | None = None, source: str | None = None) -> Stored:
    """A new entry that supersedes ``entry`` with a corrected figure."""
    entry_id = parse_ref(entry)
    reason_text = check_text(reason, "reason")
    if reason_text is None:
        raise UsageError(msg("a correction needs a reason"), field="reason")
    plan = ws.plan
    day = as_of if isinstance(as_of, dt.date) or as_of is None else parse_day(plan, as_of)
    if day is not None:
        check_date(plan, day, today=ws.today)
    note = check_text(note, "note")
    source = check_text(source, "source")
    by = ws.by

    def build(view: LedgerView) -> list[Entry]:
        old = _target(view, entry_id, N_("correct"))
        ind = plan.by_id[old.indicator]
        if day is not None and old.as_of < plan.plan.start and day != old.as_of:
            raise EduplanError(msg("entry #{id} records a baseline (as of {day}); its date stays", id=old.id,
                                   day=old.as_of), field="as_of")
        fig = _figure(plan, ind, value, old.county)
        return [Entry(view.next_id(), old.indicator, day or old.as_of, by, ws.now, county=old.county,
                      value=fig.value, numerator=fig.numerator, denominator=fig.denominator, state=fig.state,
                      supersedes=old.id, reason=reason_text.strip(), note=note,
                      source=source if source is not None else old.source)]

    return Stored(plan, append_entries(ws.ledger_path, plan, build)[0])


def void(ws: Workspace, entry: str | int, *, reason: str) -> Stored:
    """A new entry that withdraws ``entry``: its figure no longer counts."""
    entry_id = parse_ref(entry)
    reason_text = check_text(reason, "reason")
    if reason_text is None:
        raise UsageError(msg("a void needs a reason"), field="reason")
    by = ws.by

    def build(view: LedgerView) -> list[Entry]:
        old = _target(view, entry_id, N_("void"))
        return [Entry(view.next_id(), old.indicator, old.as_of, by, ws.now, county=old.county,
                      supersedes=old.id, void=True, reason=reason_text.strip())]

    return Stored(ws.plan, append_entries(ws.ledger_path, ws.plan, build)[0])


def record_baseline(ws: Workspace, indicator: str, value: str, *, source: str | None = None,
                    note: str | None = None) -> Stored:
    """Record the baseline value of an indicator whose target is stated against it: an entry
    dated on the plan's baseline date, city-wide. Corrected and voided like any entry."""
    plan = ws.plan
    ind_match = find_indicator(plan, indicator)
    ind = ind_match.value
    if ind.baseline is None:
        raise EduplanError(msg("{indicator} has no baseline in the plan", indicator=ind.id), field="indicator")
    note = check_text(note, "note")
    source = check_text(source, "source")
    by = ws.by
    fig = _figure(plan, ind, value, None) if ind.measure != Measure.COUNTIES else None
    if fig is None or fig.value is None:
        raise EduplanError(msg("a baseline is a number"), field="value")

    def build(view: LedgerView) -> list[Entry]:
        return [Entry(view.next_id(), ind.id, ind.baseline.date, by, ws.now, value=fig.value,
                      numerator=fig.numerator, denominator=fig.denominator, note=note,
                      source=source if source is not None else ind.baseline.source)]

    entry = append_entries(ws.ledger_path, plan, build, create_folder=ws.ledger_is_default)[0]
    return Stored(plan, entry, taken("indicator", ind_match, ind.id))
