"""The operations a user performs, as functions: files in, data out.

The CLI is a thin shell over these; a script can import them and do the same without
the CLI. They raise :class:`EduplanError` for anything the user can fix, and never print.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import getpass
import os
from collections.abc import Sequence
from pathlib import Path

from .entries import Figure, latest, read_figure, surviving
from .errors import EduplanError, UsageError
from .ledger import LedgerView, append_entries
from .models import Entry, Indicator, Measure, Plan
from .numbers import NumberError, parse_quantity, to_plain

USER_ENV = "EDUPLAN_USER"


def default_user() -> str:
    for var in (USER_ENV, "USER", "USERNAME", "LOGNAME"):
        if os.environ.get(var):
            return os.environ[var]
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user database at all
        return "unknown"


def now() -> dt.datetime:
    """The current time with its zone, to the second."""
    return dt.datetime.now().astimezone().replace(microsecond=0)


def find_indicator(plan: Plan, key: str) -> Indicator:
    """An indicator by id (or by its exact Chinese name); else an error suggesting the closest."""
    ind = plan.indicator(key.strip())
    if ind is not None:
        return ind
    for candidate in plan.indicators:
        if candidate.name == key.strip():
            return candidate
    ids = [i.id for i in plan.indicators]
    close = difflib.get_close_matches(key, ids, n=3, cutoff=0.5)
    close += [i.id for i in plan.indicators if key and key in i.name and i.id not in close][:3]
    hint = f"; did you mean {', '.join(close)}?" if close else "; `eduplan plan` lists them"
    raise EduplanError(f"unknown indicator {key!r}{hint}")


def check_county(plan: Plan, county: str | None) -> str | None:
    if county is None:
        return None
    county = county.strip()
    if county in plan.plan.counties:
        return county
    matches = [c for c in plan.plan.counties if county and (c.startswith(county) or county.startswith(c[:2]))]
    if len(matches) == 1 and len(county) >= 2:
        return matches[0]
    raise EduplanError(f"unknown county {county!r}; the plan's county-level units are {'、'.join(plan.plan.counties)}")


def check_date(plan: Plan, day: dt.date, *, today: dt.date, what: str = "--as-of") -> dt.date:
    info = plan.plan
    if not info.start <= day <= info.end:
        raise EduplanError(f"{what} {day} is outside the plan period {info.start} to {info.end}")
    if day > today:
        raise EduplanError(f"{what} {day} is in the future (today is {today})")
    return day


def reading_date(plan: Plan, day: dt.date | None, *, today: dt.date) -> dt.date:
    """The as-of date of a reading command: a date in the plan period; by default today,
    clamped to the period (after the period, its last day)."""
    info = plan.plan
    if day is None:
        return min(max(today, info.start), info.end)
    if not info.start <= day <= info.end:
        raise EduplanError(f"--as-of {day} is outside the plan period {info.start} to {info.end}")
    return day


def _figure(ind: Indicator, text: str, county: str | None) -> Figure:
    try:
        return read_figure(ind, text, county=county)
    except NumberError as exc:
        raise EduplanError(str(exc)) from None


def _check_figure(plan: Plan, ind: Indicator, county: str | None, fig: Figure) -> None:
    from .entries import value_problems

    problems = value_problems(ind, plan, county=county, value=fig.value, state=fig.state,
                              has_ratio=fig.numerator is not None)
    if problems:
        raise EduplanError(problems[0][1])


@dataclasses.dataclass(frozen=True)
class Context:
    """Where the plan and ledger are, who is recording, and when."""

    plan: Plan
    ledger: Path
    by: str
    now: dt.datetime

    @property
    def today(self) -> dt.date:
        return self.now.date()


def record(ctx: Context, indicator: str, value: str | None, *, as_of: dt.date | None = None,
           county: str | None = None, note: str | None = None, source: str | None = None,
           add: str | None = None) -> Entry:
    """Record one figure: a cumulative total (``value``), or ``add`` on top of the latest total."""
    plan = ctx.plan
    ind = find_indicator(plan, indicator)
    county = check_county(plan, county)
    day = check_date(plan, as_of or ctx.today, today=ctx.today)
    if (value is None) == (add is None):
        raise UsageError("give either VALUE or --add N")
    if add is not None and ind.measure != Measure.FLOW:
        raise EduplanError(f"--add adds to an accumulating total; {ind.id} is a {ind.measure.value} indicator")
    fig = _figure(ind, value, county) if value is not None else None
    if fig is not None:
        _check_figure(plan, ind, county, fig)
    increment = None
    if add is not None:
        try:
            q = parse_quantity(add)
        except NumberError as exc:
            raise EduplanError(f"--add: {exc}") from None
        if q.percent:
            raise EduplanError(f"--add {add!r}: {ind.id} is measured in {ind.unit}, not %")
        increment = q.value

    def build(view: LedgerView) -> list[Entry]:
        nonlocal fig
        if increment is not None:
            best = latest(surviving(view.entries()), day).get((ind.id, county))
            base = best.value if best is not None and best.value is not None else 0
            from decimal import Decimal

            fig = Figure(value=to_plain(Decimal(str(base)) + increment))
        assert fig is not None
        return [Entry(view.next_id, ind.id, day, ctx.by, ctx.now, county=county, value=fig.value,
                      numerator=fig.numerator, denominator=fig.denominator, state=fig.state,
                      note=_clean(note), source=_clean(source))]

    return append_entries(ctx.ledger, plan, build)[0]


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    return text if text.strip() else None


def _target_entry(view: LedgerView, entry_id: int, verb: str) -> Entry:
    entries = view.entries()
    by_id = {e.id: e for e in entries}
    target = by_id.get(entry_id)
    if target is None:
        raise EduplanError(f"cannot {verb} entry {entry_id}: there is no such entry (`eduplan log` lists them)")
    for e in entries:
        if e.supersedes == entry_id:
            kind = "voided" if e.void else "corrected"
            raise EduplanError(f"cannot {verb} entry {entry_id}: it was already {kind} by entry {e.id}; {verb} entry {e.id} instead"
                               if not e.void else f"cannot {verb} entry {entry_id}: it was already voided by entry {e.id}")
    if target.void:
        raise EduplanError(f"cannot {verb} entry {entry_id}: it is itself a void")
    return target


def correct(ctx: Context, entry_id: int, value: str, *, reason: str, as_of: dt.date | None = None,
            note: str | None = None, source: str | None = None) -> Entry:
    """A new entry that supersedes ``entry_id`` with a corrected figure."""
    if not reason or not reason.strip():
        raise UsageError("a correction needs --reason")
    plan = ctx.plan
    if as_of is not None:
        check_date(plan, as_of, today=ctx.today)

    def build(view: LedgerView) -> list[Entry]:
        old = _target_entry(view, entry_id, "correct")
        ind = find_indicator(plan, old.indicator)
        fig = _figure(ind, value, old.county)
        _check_figure(plan, ind, old.county, fig)
        return [Entry(view.next_id, old.indicator, as_of or old.as_of, ctx.by, ctx.now, county=old.county,
                      value=fig.value, numerator=fig.numerator, denominator=fig.denominator, state=fig.state,
                      supersedes=old.id, reason=reason.strip(), note=_clean(note),
                      source=_clean(source) if source is not None else old.source)]

    return append_entries(ctx.ledger, plan, build)[0]


def void(ctx: Context, entry_id: int, *, reason: str) -> Entry:
    """A new entry that withdraws ``entry_id``: its figure no longer counts."""
    if not reason or not reason.strip():
        raise UsageError("a void needs --reason")

    def build(view: LedgerView) -> list[Entry]:
        old = _target_entry(view, entry_id, "void")
        return [Entry(view.next_id, old.indicator, old.as_of, ctx.by, ctx.now, county=old.county,
                      supersedes=old.id, void=True, reason=reason.strip())]

    return append_entries(ctx.ledger, ctx.plan, build)[0]


def history(entries: Sequence[Entry], *, indicator: str | None = None, county: str | None = None,
            since: dt.date | None = None) -> list[Entry]:
    """Entries newest first (by id), filtered; ``since`` compares the figure's as-of date."""
    out = [e for e in entries
           if (indicator is None or e.indicator == indicator)
           and (county is None or e.county == county)
           and (since is None or e.as_of >= since)]
    return sorted(out, key=lambda e: e.id, reverse=True)


def superseded_by(entries: Sequence[Entry]) -> dict[int, Entry]:
    """entry id → the entry that corrected or voided it."""
    return {e.supersedes: e for e in entries if e.supersedes is not None}
