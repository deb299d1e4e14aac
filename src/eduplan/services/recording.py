"""Recording figures: ``record``, ``correct`` and ``void`` as functions of the library.

Each reads what a person typed the way the document writes it, checks it against the
plan, and appends one entry under the ledger's lock (:func:`eduplan.store.ledger.append_entries`).
Nothing is printed: the result is a :class:`~eduplan.core.documents.Stored` document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from collections.abc import Iterable

from ..core.documents import Stored, Taken
from ..core.entries import Figure, fold_increments, read_figure, value_problems
from ..core.models import Entry, Indicator, Measure, Plan
from ..core.names import Match, find_county, find_indicator
from ..core.numbers import NumberError, format_number, parse_quantity, to_plain
from ..core.rules import Finding, figure_findings, named, series_findings, triage
from ..core.text import check_text
from ..errors import EduplanError, Refused, UsageError
from ..i18n import N_, Msg, msg
from ..store.ledger import LedgerView, append_entries
from .workspace import Workspace, check_date, parse_day


def _figure(plan: Plan, ind: Indicator, text: str, county: str | None) -> Figure:
    try:
        fig = read_figure(ind, text, county=county, counties=len(plan.plan.counties))
    except NumberError as exc:
        raise EduplanError(exc.message, field="value") from None
    problems = value_problems(ind, plan, county=county, value=fig.value, state=fig.state,
                              has_ratio=fig.numerator is not None)
    if problems:
        raise EduplanError(problems[0][1], field=problems[0][0])
    return fig


def _increment(ind: Indicator, text: str) -> Figure:
    """``--add N``: an amount added to an accumulating figure."""
    if ind.measure != Measure.FLOW:
        raise EduplanError(msg("only an accumulating figure can be added to; {indicator} is a {measure} indicator",
                               indicator=ind.id, measure=ind.measure.value), field="add")
    try:
        q = parse_quantity(text)
    except NumberError as exc:
        raise EduplanError(exc.message, field="add") from None
    return Figure(added=to_plain(q.value), unit=q.unit, percent=q.percent)


def reason_line(f: Finding) -> Msg:
    """A finding as a person reads it at the door: what is wrong, and the rule's id."""
    return msg("{message} [{rule}]", message=f.message, rule=f.rule)


def judge(findings: Iterable[Finding], force: bool | Iterable[str], *, field: str, again: Msg) -> tuple[str, ...]:
    """Refuse a figure the rules do not let through (``again`` says how to store it anyway);
    else the rule ids accepted over a warning."""
    errors, refused, accepted = triage(findings, force)
    if errors:
        raise Refused([reason_line(f) for f in errors], msg("nothing was recorded"), field=field)
    if refused:
        raise Refused([reason_line(f) for f in refused], msg(
            "nothing was recorded. If the figure is right, {again}: it is stored marked as accepted over the warning "
            "({rules}), with your name", again=again, rules=[named(r) for r in dict.fromkeys(f.rule for f in refused)]),
            field=field)
    return accepted


def taken(field: str, match: Match, shown: str) -> tuple[Taken, ...]:
    return () if match.exact else (Taken(field, match.typed, shown),)


def record(ws: Workspace, indicator: str, value: str | None = None, *, as_of: str | dt.date | None = None,
           county: str | None = None, add: str | None = None, note: str | None = None,
           source: str | None = None, force: bool | Iterable[str] = False) -> Stored:
    """Record one figure: a cumulative total (``value``), or ``add`` on top of the latest total.

    The figure goes through the data-quality rules (:mod:`eduplan.core.rules`) first: one that
    cannot be right is refused; one that is suspicious is refused unless ``force`` (True, or the
    rule ids accepted), and is then stored naming the rules in ``accepted``."""
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
    fig = _figure(plan, ind, value, unit) if value is not None else _increment(ind, add)  # type: ignore[arg-type]
    field = "value" if value is not None else "add"
    text = value if value is not None else add
    first = figure_findings(ind, plan, fig, county=unit, text=text)  # type: ignore[arg-type]
    again = msg("record it again with --force")
    judge([f for f in first if f.severity == "error"], False, field=field, again=again)
    total: list = []
    overridden: list[tuple[str, ...]] = []

    def build(view: LedgerView) -> list[Entry]:
        e = Entry(view.next_id(), ind.id, day, by, ws.now, county=unit, value=fig.value, added=fig.added,
                  numerator=fig.numerator, denominator=fig.denominator, state=fig.state, note=note, source=source)
        series = view.series(ind.id, unit)
        accepted = judge(first + series_findings(ind, plan, e, series), force, field=field, again=again)
        overridden.append(accepted)
        if fig.added is not None:  # stored as what it is: an increment on the latest total
            figure = fold_increments(view.latest(day, [ind.id]), [e]).get((ind.id, unit))
            total.append(figure.value if figure is not None else None)
        return [dataclasses.replace(e, accepted=accepted)]

    entry = append_entries(ws.ledger_path, plan, build, create_folder=ws.ledger_is_default)[0]
    names = taken("indicator", ind_match, ind.id) + taken("county", county_match, unit or "全市")
    if fig.counties is not None:
        names += (Taken("value", text, format_number(fig.value, "%")),)  # type: ignore[arg-type]
    return Stored(plan, entry, names, overridden=overridden[0], total=total[0] if total else None)


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
            note: str | None = None, source: str | None = None, force: bool | Iterable[str] = False) -> Stored:
    """A new entry that supersedes ``entry`` with a corrected figure. The corrected figure goes
    through the same rules as ``record``, among the unit's figures without the one it corrects."""
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
    overridden: list[tuple[str, ...]] = []

    def build(view: LedgerView) -> list[Entry]:
        old = _target(view, entry_id, N_("correct"))
        ind = plan.by_id[old.indicator]
        fig = _figure(plan, ind, value, old.county)
        if old.added is not None:  # an increment is corrected by an increment
            if fig.percent or fig.value is None:
                raise EduplanError(msg("entry #{id} is an increment: give the corrected amount added", id=old.id),
                                   field="value")
            fig = Figure(added=fig.value, unit=fig.unit)
        new = Entry(view.next_id(), old.indicator, day or old.as_of, by, ws.now, county=old.county,
                    value=fig.value, added=fig.added, numerator=fig.numerator, denominator=fig.denominator,
                    state=fig.state, supersedes=old.id, reason=reason_text.strip(), note=note,
                    source=source if source is not None else old.source)
        series = [e for e in view.series(ind.id, old.county) if (e.office, e.id) != (old.office, old.id)]
        findings = figure_findings(ind, plan, fig, county=old.county, text=value)
        if not any(f.severity == "error" for f in findings):
            findings += series_findings(ind, plan, new, series)
        accepted = judge(findings, force, field="value", again=msg("correct it again with --force"))
        overridden.append(accepted)
        if fig.counties is not None:
            names.append(Taken("value", value, format_number(fig.value, "%")))
        return [dataclasses.replace(new, accepted=accepted)]

    names: list[Taken] = []
    entry = append_entries(ws.ledger_path, plan, build)[0]
    return Stored(plan, entry, tuple(names), overridden=overridden[0])


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
