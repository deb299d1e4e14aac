"""Recording figures: ``record``, ``correct`` and ``void`` as functions of the library.

Each reads what a person typed the way the document writes it, checks it against the
plan, and appends one entry under the ledger's lock (:func:`eduplan.store.appending.append_entries`).
Nothing is printed: the result is a :class:`~eduplan.core.documents.Stored` document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

from ..core.receipts import Stored, Taken
from ..core.entries import (
    Figure,
    fold_increments,
    is_baseline,
    kind_word,
    latest as latest_of,
    read_figure,
    value_problems,
)
from ..core.models import Entry, Indicator, Measure, Plan
from ..core.names import Match, find_county, find_indicator, unit_called, who_records
from ..core.numbers import NumberError, format_number, parse_quantity, to_plain
from ..core.rules import (
    Finding,
    accepted_before,
    door_findings,
    figure_findings,
    named,
    overlaid,
    parts_findings,
    previous_total,
    rollup_advice,
    rule_tag,
    same_figure,
    series_findings,
    triage,
)
from ..core.text import check_text
from ..errors import EduplanError, Refused, UsageError
from ..i18n import N_, Flag, Msg, msg
from ..store.appending import append_entries
from ..store.ledger import LedgerView
from .workspace import Workspace, check_date


def _figure(plan: Plan, ind: Indicator, text: str, county: str | None) -> Figure:
    try:
        fig = read_figure(ind, text, county=county, counties=len(plan.plan.counties), units=plan.terms.units)
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
                               indicator=ind.called, measure=kind_word(ind)), field="add")
    try:
        q = parse_quantity(text)
    except NumberError as exc:
        raise EduplanError(exc.message, field="add") from None
    return Figure(added=to_plain(q.value), unit=q.unit, percent=q.percent, approx=q.approx)


def _latest_with(view: LedgerView, plan: Plan, ind: Indicator, new: Entry, *, instead_of: Entry | None = None):
    """Each unit's latest figure of ``ind`` as of a day, with ``new`` (not stored yet) among them,
    ``instead_of`` the entry it corrects: what :func:`eduplan.core.rules.parts_findings` asks."""
    def at(day: dt.date):
        latest = view.latest(day, [ind.id])
        if instead_of is not None:
            latest = {k: x for k, x in latest.items() if x.ref != instead_of.ref}
        return overlaid(latest, [new], plan.plan.start)
    return at


def reason_line(f: Finding) -> Msg:
    """A finding as a person reads it at the door: what is wrong, and the rule (:func:`rule_tag`)."""
    return msg("{message} [{rule}]", message=f.message, rule=rule_tag(f.rule))


def judge(findings: Iterable[Finding], force: bool | Iterable[str], *, field: str, again: Msg) -> tuple[str, ...]:
    """Refuse a figure the rules do not let through (``again`` says how to store it anyway);
    else the rule ids accepted over a warning."""
    errors, refused, accepted = triage(findings, force)
    if errors:
        raise Refused([reason_line(f) for f in errors], msg("nothing was recorded"), field=field, findings=errors)
    if refused:
        raise Refused([reason_line(f) for f in refused], msg(
            "nothing was recorded. If the figure is right, {again}: it is stored marked as accepted over the warning "
            "({rules}), with your name", again=again, rules=[named(r) for r in dict.fromkeys(f.rule for f in refused)]),
            field=field, findings=refused)
    return accepted


def taken(field: str, match: Match, shown: str) -> tuple[Taken, ...]:
    return () if match.exact else (Taken(field, match.typed, shown),)


def check_reports(ws: Workspace, unit: str | None) -> None:
    """In a ledger folder an office records only the units it reports."""
    office = ws.office
    if office is not None and unit not in office.units:
        raise EduplanError(msg("the office '{office}' reports {units}; {whose}", office=office.name,
                               units=[unit_called(u) for u in office.units], whose=who_records(ws.plan, unit)),
                           field="county")


def typed(value: object, field: str) -> str | None:
    """A figure given from a program: the text staff would type, or a number (3, 0.56,
    Decimal("1.5")), read as its text; anything else is an error naming the field."""
    import decimal

    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | decimal.Decimal) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    raise UsageError(msg("a figure is text such as 1234, 56% or 1.2万, or a number, not {value}", value=repr(value)),
                     field=field)


EARLY_DAYS = 10  # the days of a month in which last month's figures are still being sent


def record(ws: Workspace, indicator: str, value: str | float | None = None, *, as_of: str | dt.date | None = None,
           county: str | None = None, add: str | float | None = None, note: str | None = None,
           source: str | None = None, force: bool | Iterable[str] = False) -> Stored:
    """Record one figure: a cumulative total (``value``), or ``add`` on top of the latest total.

    The figure goes through the data-quality rules (:mod:`eduplan.core.rules`) first: one that
    cannot be right is refused; one that is suspicious is refused unless ``force`` (True, or the
    rule ids accepted), and is then stored naming the rules in ``accepted``."""
    value, add = typed(value, "value"), typed(add, "add")
    plan = ws.plan
    ind_match = find_indicator(plan, indicator)
    ind = ind_match.value
    if (value is None) == (add is None):  # what to record comes first: the date matters only then
        raise UsageError(msg("give either a value or an amount to add, not both and not neither"), field="value")
    county_match = find_county(plan, county)
    unit = county_match.value
    day = ws.day(as_of)
    info = plan.plan
    if day is None and not info.start <= ws.today <= info.end:
        raise EduplanError(msg("today ({today}) is outside the plan period {start} to {end}: give the date the "
                               "figure is as of with {as_of}", today=ws.today, start=info.start, end=info.end,
                               as_of=Flag("as_of")),
                           field="as_of")
    month_before = None
    if day is None and ws.today.day <= EARLY_DAYS:  # dated today: early in a month, last month's figure is likely
        end = ws.today.replace(day=1) - dt.timedelta(days=1)
        month_before = end if end >= info.start else None
    day = check_date(plan, day or ws.today, today=ws.today)
    note = check_text(note, "note")
    source = check_text(source, "source")
    by = ws.by
    check_reports(ws, unit)
    fig = _figure(plan, ind, value, unit) if value is not None else _increment(ind, add)  # type: ignore[arg-type]
    field = "value" if value is not None else "add"
    text = value if value is not None else add
    first = figure_findings(ind, plan, fig, county=unit, text=text)  # type: ignore[arg-type]
    again = msg("record it again with {force}", force=Flag("force", True))
    judge([f for f in first if f.severity == "error"], False, field=field, again=again)
    total: list = []
    overridden: list[tuple[str, ...]] = []

    def build(view: LedgerView) -> list[Entry]:
        e = Entry(view.next_id(), ind.id, day, by, ws.now, county=unit, value=fig.value, added=fig.added,
                  numerator=fig.numerator, denominator=fig.denominator, state=fig.state, note=note, source=source,
                  office=view.office)
        series = view.series_for(e)
        whole = parts_findings(ind, plan, e, _latest_with(view, plan, ind, e))
        once = accepted_before(previous_total(series, e), e)  # the same figure again: not held over the same warning
        accepted = judge([f for f in first if f.rule not in once] + series_findings(ind, plan, e, series) + whole,
                         force, field=field, again=again)
        overridden.append(accepted)
        if fig.added is not None:  # stored as what it is: an increment on the latest total
            figure = fold_increments(view.latest(day, [ind.id]), [e], since=plan.plan.start).get((ind.id, unit))
            total.append(figure.value if figure is not None else None)
        return [dataclasses.replace(e, accepted=accepted)]

    entry = append_entries(ws.ledger_path, plan, build, create_folder=ws.ledger_is_default,
                           office=ws.office_name)[0]
    names = taken("indicator", ind_match, ind.id) + taken("county", county_match, unit or plan.terms.whole)
    if fig.counties is not None:
        names += (Taken("value", text, format_number(fig.value, "%")),)  # type: ignore[arg-type]
    advice = rollup_advice(ind, fig, unit)
    return Stored(plan, entry, names, overridden=overridden[0], total=total[0] if total else None,
                  advice=(advice,) if advice is not None else (), month_before=month_before)


_REF = re.compile(r"^\s*(?:(?P<office>[^#]*?)\s*#)?\s*#?\s*(?P<id>\d+)\s*$")


def parse_ref(ws: Workspace, text: str | int) -> tuple[str, int]:
    """An entry as a person names it: ``12`` or ``#12`` (their own office's), ``椒江区#12`` (another's:
    the office's name, an example from the plan in the error)."""
    if isinstance(text, int):
        return ws.office_name, text
    m = _REF.match(unicodedata.normalize("NFKC", str(text)))  # ＃12 and １２ typed with a Chinese keyboard
    if m is None:
        raise EduplanError(msg("'{text}' is not an entry (write it as 12 or #12, or {office}#12 for another office's; "
                               "`eduplan log` lists them)", text=text, office=ws.plan.offices[0].name), field="entry")
    office = ws.office_name
    if m["office"]:
        from ..core.names import find_office

        if ws.office is None:  # one file: entries are numbered 1, 2, 3 … with no office
            raise EduplanError(msg("'{text}': this ledger is one file, with no offices; name the entry by its number "
                                   "(#{id})", text=text, id=int(m["id"])), field="entry")
        try:
            office = find_office(ws.plan, m["office"]).value.name
        except EduplanError as exc:  # the office is named in the entry, not by --office
            raise EduplanError(exc.message, field="entry") from None
    return office, int(m["id"])


def _ref_text(office: str, id_: int) -> str:
    return f"{office}#{id_}" if office else f"#{id_}"


def _acting(ws: Workspace, office: str, entry_id: int, for_city: bool) -> str | None:
    """The target office of a correction or void: None for one's own, else it must be acting for the city."""
    if office == ws.office_name:
        return None
    if not for_city:
        raise EduplanError(msg("{ref} is another office's entry: an office corrects or voids only its own, unless a "
                               "city office acts for the city ({for_city})", ref=_ref_text(office, entry_id),
                               for_city=Flag("for_city", True)),
                           field="entry")
    if ws.office is None or not ws.office.city:
        raise EduplanError(msg("only an office that reports the city-wide figure may act for the city"), field="entry")
    return office


def _for_city(target_office: str | None, old: Entry) -> bool:
    """Does a correction or void of ``old`` act for the city? When it is another office's entry,
    and when it is the office's own entry that acted for the city (a city office correcting its
    own correction of a county's figure: the unit is still the county's)."""
    return target_office is not None or old.for_city


def _withdrawing(ws: Workspace, entry: str | int, for_city: bool, reason: str,
                 no_reason: Msg) -> tuple[str, int, str | None, str]:
    """What a correction or a void of ``entry`` needs first: the entry named (office, id), the
    office acted for, and a reason."""
    office, entry_id = parse_ref(ws, entry)
    target_office = _acting(ws, office, entry_id, for_city)
    reason_text = check_text(reason, "reason")
    if reason_text is None:
        raise UsageError(no_reason, field="reason")
    return office, entry_id, target_office, reason_text


def _target(view: LedgerView, office: str, entry_id: int, verb: str, *, for_city: bool) -> Entry:
    """The entry to correct or void. ``for_city``: the office may act for the city (it reports the
    city-wide figure), so another office's later correction is one it may correct in turn."""
    target = view.entry(entry_id, office)
    ref = _ref_text(office if office != view.office else "", entry_id)
    if target is None:
        raise EduplanError(msg("there is no entry {ref} (`eduplan log` lists them)", ref=ref), field="entry")
    later = view.superseded_by(entry_id, office)
    if later is not None:
        by = _ref_text(later.office if later.office != view.office else "", later.id)
        if later.void:
            raise EduplanError(msg("entry {ref} was already voided by entry {by}", ref=ref, by=by), field="entry")
        if later.office != view.office and not for_city:  # the city's correction: not this office's to change
            raise EduplanError(msg("entry {ref} was already corrected for the city by {office} (entry {by}); only "
                                   "{office} may correct or void it now", ref=ref, by=by, office=later.office),
                               field="entry")
        raise EduplanError(msg("entry {ref} was already corrected by entry {by}; {verb} entry {by} instead",
                               ref=ref, by=by, verb=msg(verb)), field="entry")
    if target.void:
        raise EduplanError(msg("entry {ref} is itself a void", ref=ref), field="entry")
    return target


def correct(ws: Workspace, entry: str | int, value: str | float, *, reason: str, as_of: str | dt.date | None = None,
            note: str | None = None, source: str | None = None, for_city: bool = False,
            force: bool | Iterable[str] = False) -> Stored:
    """A new entry that supersedes ``entry`` with a corrected figure (in a ledger folder, another
    office's entry only ``for_city``, by an office that reports the city-wide figure). The
    corrected figure goes through the same rules as ``record``, among the unit's figures
    without the one it corrects."""
    value = typed(value, "value")
    office, entry_id, target_office, reason_text = _withdrawing(ws, entry, for_city, reason,
                                                                msg("a correction needs a reason"))
    plan = ws.plan
    day = ws.day(as_of)
    if day is not None:
        check_date(plan, day, today=ws.today)
    note = check_text(note, "note")
    source = check_text(source, "source")
    by = ws.by
    overridden: list[tuple[str, ...]] = []

    def build(view: LedgerView) -> list[Entry]:
        old = _target(view, office, entry_id, N_("correct"), for_city=ws.office is not None and ws.office.city)
        ind = plan.by_id[old.indicator]
        if day is not None and is_baseline(old, plan) and day != old.as_of:
            raise EduplanError(msg("entry #{id} records a baseline (as of {day}); its date stays", id=old.id,
                                   day=old.as_of), field="as_of")
        fig = _figure(plan, ind, value, old.county)
        if old.added is not None:  # an increment is corrected by an increment
            if fig.percent or fig.value is None:
                raise EduplanError(msg("entry #{id} is an increment: give the corrected amount added", id=old.id),
                                   field="value")
            fig = Figure(added=fig.value, unit=fig.unit)
        new = Entry(view.next_id(), old.indicator, day or old.as_of, by, ws.now, county=old.county,
                    value=fig.value, added=fig.added, numerator=fig.numerator, denominator=fig.denominator,
                    state=fig.state, supersedes=old.id, reason=reason_text.strip(), note=note,
                    source=source if source is not None else old.source, target_office=target_office,
                    for_city=_for_city(target_office, old), office=view.office)
        series = view.series_for(new, without=old)
        whole = (parts_findings(ind, plan, new, _latest_with(view, plan, ind, new, instead_of=old))
                 if old.added is None and new.added is None else [])  # (an increment's correction: what it adds)
        accepted = judge(door_findings(ind, plan, fig, new, series, text=value) + whole, force, field="value",
                         again=msg("correct it again with {force}", force=Flag("force", True)))
        if (same_figure(old, new) and old.added == new.added and new.as_of == old.as_of
                and (note is None or note == old.note) and (source is None or source == old.source)):
            raise EduplanError(msg("{value} is the figure #{id} already gives, as of the same day: the correction "
                                   "would change nothing (was another entry or another figure meant? `eduplan log` "
                                   "lists the entries)", value=value, id=old.id), field="value")
        overridden.append(accepted)
        if fig.counties is not None:
            names.append(Taken("value", value, format_number(fig.value, "%")))
        if new.as_of != old.as_of:
            moved.append(old.as_of)
        return [dataclasses.replace(new, accepted=accepted)]

    names: list[Taken] = []
    moved: list[dt.date] = []
    entry = append_entries(ws.ledger_path, plan, build, office=ws.office_name)[0]
    return Stored(plan, entry, tuple(names), overridden=overridden[0], moved_from=moved[0] if moved else None)


def void(ws: Workspace, entry: str | int, *, reason: str, for_city: bool = False) -> Stored:
    """A new entry that withdraws ``entry``: its figure no longer counts."""
    office, entry_id, target_office, reason_text = _withdrawing(ws, entry, for_city, reason,
                                                                msg("a void needs a reason"))
    by = ws.by

    left: list[tuple[Entry | None, Entry | None]] = []

    def build(view: LedgerView) -> list[Entry]:
        old = _target(view, office, entry_id, N_("void"), for_city=ws.office is not None and ws.office.city)
        new = Entry(view.next_id(), old.indicator, old.as_of, by, ws.now, county=old.county,
                    supersedes=old.id, void=True, reason=reason_text.strip(), target_office=target_office,
                    for_city=_for_city(target_office, old), office=view.office)
        if old.added is None and not is_baseline(old, ws.plan):  # what stands for the unit that day once it goes
            now = latest_of(view.series_for(new, without=old), old.as_of).get(old.key())
            replaced = view.entry(old.supersedes, old.target[0]) if old.supersedes is not None else None
            left.append((now, replaced))
        return [new]

    entry = append_entries(ws.ledger_path, ws.plan, build, office=ws.office_name)[0]
    if not left:  # an increment or a baseline voided: no figure of the day to say
        return Stored(ws.plan, entry)
    standing, replaced = left[0]
    return Stored(ws.plan, entry, stands_on=entry.as_of, standing=standing, still_replaced=replaced)


def record_baseline(ws: Workspace, indicator: str, value: str | float, *, source: str | None = None,
                    note: str | None = None, force: bool | Iterable[str] = False) -> Stored:
    """Record the baseline value of an indicator whose target is stated against it: an entry
    dated on the plan's baseline date, city-wide. Corrected and voided like any entry. The
    figure goes through the rules about a figure as typed (its measure word, whole numbers, a
    fraction, a round figure …), as at ``record``: the target is judged against it all year."""
    value = typed(value, "value")
    plan = ws.plan
    ind_match = find_indicator(plan, indicator)
    ind = ind_match.value
    check_reports(ws, None)  # a baseline is the city-wide figure (and an office given is one of a folder's)
    if ind.baseline is None:
        raise EduplanError(msg("{indicator} has no baseline in the plan", indicator=ind.called), field="indicator")
    note = check_text(note, "note")
    source = check_text(source, "source")
    by = ws.by
    fig = _figure(plan, ind, value, None) if ind.measure != Measure.COUNTIES else None
    if fig is None or fig.value is None:
        raise EduplanError(msg("a baseline is a number"), field="value")
    accepted = judge(figure_findings(ind, plan, fig, county=None, text=value), force, field="value",
                     again=msg("record it again with {force}", force=Flag("force", True)))

    def build(view: LedgerView) -> list[Entry]:
        kept = view.latest(ind.baseline.date, [ind.id]).get((ind.id, None))
        if kept is not None:  # a second baseline would silently replace the first: correct it instead
            ref = kept.ref
            raise EduplanError(msg("the baseline of {indicator} is already recorded ({ref}: {value}); to change it, "
                                   "correct that entry: eduplan correct {ref} VALUE --reason …", indicator=ind.called,
                                   ref=ref, value=format_number(kept.value, "%" if ind.is_percent else ind.unit)),
                               field="indicator")
        return [Entry(view.next_id(), ind.id, ind.baseline.date, by, ws.now, value=fig.value,
                      numerator=fig.numerator, denominator=fig.denominator, note=note,
                      source=source if source is not None else ind.baseline.source, accepted=accepted,
                      office=view.office)]

    entry = append_entries(ws.ledger_path, plan, build, create_folder=ws.ledger_is_default,
                           office=ws.office_name)[0]
    said = ind.baseline.value
    unit = "%" if ind.is_percent else ind.unit
    advice = (msg("the plan gives the baseline as {plan}: the recorded {value} is the one the target is judged "
                  "against from now on", plan=format_number(said, unit), value=format_number(fig.value, unit)),) \
        if said is not None and abs(said - fig.value) > 1e-9 else ()
    return Stored(plan, entry, taken("indicator", ind_match, ind.id), overridden=accepted, advice=advice)
