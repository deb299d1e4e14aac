"""What a command hands to the renderers: plain data, built before anything is shown.

Each command of the library returns one of these (or a :class:`StatusReport` or a
:class:`Bulletin`); :func:`eduplan.render.render` shows it in the asked format and
language. Renderers decide nothing about the data: every judgement is already here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from ..i18n import DEFAULT_TERMS, Msg, msg, nmsg
from .models import Comparator, Entry, Measure, Plan, quick_constructor
from .progress import Progress
from .records import record

if TYPE_CHECKING:  # the rules are imported only where a report of them is made
    from .rules import Finding


@record(slots=False)
class PlanDoc:
    plan: Plan


@record
class Remark:
    """An entry in a history, with what later superseded it (a correction or a void)."""

    entry: Entry
    superseded_by: Entry | None

    @property
    def kind(self) -> str:
        """``record``, ``correction`` or ``void``."""
        if self.entry.void:
            return "void"
        return "correction" if self.entry.supersedes is not None else "record"

    @property
    def withdrawn(self) -> bool:
        return self.superseded_by is not None


new_remark = quick_constructor(Remark)  # Remark(entry, superseded_by): a month or a history makes one an entry


@record(slots=False)
class LogDoc:
    """The history, newest first. ``rows`` is streamed (a long history is never held whole), and
    read again from the start each time it is iterated."""

    plan: Plan
    rows: Iterable[Remark]


class Streamed:
    """Rows made afresh each time they are iterated (by ``make``), as a list is read again: a
    renderer, a program and a test may each go through them."""

    def __init__(self, make: Callable[[], Iterator]):
        self._make = make

    def __iter__(self) -> Iterator:
        return iter(self._make())


@record(slots=False)
class ShowDoc:
    plan: Plan
    as_of: dt.date
    time_progress: float
    row: Progress
    history: tuple[Remark, ...]


@record(slots=False)
class QualityReport:
    """What ``eduplan check`` found in the ledger as of a date (:mod:`eduplan.core.rules`)."""

    plan: Plan
    as_of: dt.date
    findings: tuple[Finding, ...]
    entries: int  # surviving entries dated on or before as_of, all checked
    county: str | None = None  # only this unit's findings (when ``scoped``)
    scoped: bool = False
    rules: tuple[str, ...] = ()  # only these rules (all when empty)

    @property
    def summary(self) -> dict[str, int]:
        from .rules import summary

        return summary(self.findings)


@record(slots=False)
class ValidateDoc:
    plan_path: Path
    ledger_path: Path
    plan: Plan | None
    plan_problems: tuple[Problem, ...]
    ledger_problems: tuple[Problem, ...]
    ledger_exists: bool
    entries: int
    torn: bool = False
    questionable: int = 0  # data-quality findings about stored figures (`eduplan check` lists them)
    other_versions: tuple[str, ...] = ()  # plan revisions the ledger was written under, other than the plan's
    # entries this computer's index last saw that the files no longer hold (lost), or hold otherwise (changed)
    lost: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    index_removed: bool = False  # this computer's stored index was damaged, and was removed (built again when needed)

    @property
    def ok(self) -> bool:
        return not self.plan_problems and not self.ledger_problems

    @property
    def units_word(self) -> str | None:
        """A word for the plan's units where the default words (县（市、区）) do not fit them and the
        plan gives none (``[terms]``): 区 when every unit is a district (东城区, 高新区); else None."""
        plan = self.plan
        if plan is None or plan.terms != DEFAULT_TERMS or not plan.plan.counties:
            return None
        return "区" if all(c.endswith("区") for c in plan.plan.counties) else None

    @property
    def levels_at_once(self) -> tuple[str, ...]:
        """The plan's levels that rise to a target and have no pace: each is judged against its target
        at once, behind from the first day until it is met, which is right for a level to keep all
        year and wrong for one due at a date (中小学智慧校园比例达到75%, counted at the year's end)."""
        plan = self.plan
        if plan is None:
            return ()
        return tuple(i.id for i in plan.indicators if i.measure == Measure.LEVEL and i.pace is None
                     and i.comparator != Comparator.LE and (i.target is not None or i.relative is not None))

    @property
    def hint(self) -> Msg | None:
        """What to do about the problems found."""
        if self.plan_problems:
            return nmsg("{n} problem in the plan {path}; the ledger was not checked",
                        "{n} problems in the plan {path}; the ledger was not checked", len(self.plan_problems),
                        path=str(self.plan_path))
        if self.torn:
            return msg("the end of the ledger is incomplete (a write cut short): `eduplan repair --ledger {path}` "
                       "removes it and keeps every complete entry", path=str(self.ledger_path))
        if self.ledger_problems:
            return nmsg("{n} problem in the ledger {path}", "{n} problems in the ledger {path}",
                        len(self.ledger_problems), path=str(self.ledger_path))
        return None


@record(slots=False)
class IndexDoc:
    """Where the ledger's SQLite index is, brought up to date (for analysts' own SQL tools)."""

    ledger: Path
    path: Path | None  # None: built in memory (no cache folder)
    entries: int
    files: int
    rebuilt: bool = False  # the stored index was damaged (SQLite's whole check): built again
