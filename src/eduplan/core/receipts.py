"""What the commands that write say they did: plain data for the renderers.

``record``, ``correct`` and ``void`` return :class:`Stored`, ``import`` an
:class:`ImportSummary`, ``report -o`` and ``template`` a :class:`Written`, ``repair`` a
:class:`RepairDoc`. Kept apart from :mod:`eduplan.core.documents` (what the reading commands
return) so that a command that writes does not make the types of every other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from ..i18n import Msg
from .models import Entry, Plan
from .records import record


@record
class Taken:
    """A name typed in a short form, and what it was taken as (said in confirmations)."""

    field: str
    typed: str
    taken: str


@record(slots=False)
class Stored:
    """What ``record``, ``correct`` or ``void`` wrote."""

    plan: Plan
    entry: Entry
    taken: tuple[Taken, ...] = ()
    overridden: tuple[str, ...] = ()  # data-quality rules accepted over a warning
    total: float | None = None  # for an increment: the figure it makes
    advice: tuple[Msg, ...] = ()  # what the figure leaves to be done (a percentage the city cannot roll up)
    moved_from: dt.date | None = None  # a correction dated otherwise than what it corrects: that entry's date
    # a void of a figure: the day its unit's figure is said as of, that figure once the void is in (None: the
    # unit has none), and where the voided entry was a correction, the entry it replaced (the void does not
    # bring it back)
    stands_on: dt.date | None = None
    standing: Entry | None = None
    still_replaced: Entry | None = None
    # a figure dated today for want of a date, early in a month: the month end before, which staff entering
    # last month's figures mean (a June figure typed on 3 July without --as-of is July's)
    month_before: dt.date | None = None


@record(slots=False)
class ImportRowDoc:
    row: int
    entry: Entry
    text: str  # the value as it was written
    taken: tuple[Taken, ...] = ()  # names (and a count of counties) typed in a short form, and what they became


@record(slots=False)
class ImportSummary:
    plan: Plan
    file: str
    batch: str
    rows: tuple[ImportRowDoc, ...]
    skipped: int  # rows with an empty value
    written: tuple[Entry, ...]  # empty for a dry run
    dry_run: bool
    already: tuple[Entry, ...] = ()  # with --force: what an earlier import of the file wrote
    unchanged: int = 0  # rows that gave a unit's last figure again (a template's value left as it was)
    repeated: int = 0  # rows whose figure the ledger already had for that date: not recorded again
    advice: tuple[Msg, ...] = ()  # what the figures leave to be done (percentages the city cannot roll up)

    @property
    def taken(self) -> tuple[Taken, ...]:
        """Every short form read, once, in the order first met."""
        return tuple(dict.fromkeys(t for r in self.rows for t in r.taken))


@record(slots=False)
class Written:
    """A file a command wrote (a report, a template)."""

    path: Path
    kind: str  # "report" or "template"
    format: str
    detail: dict = dataclasses.field(default_factory=dict)


@record(slots=False)
class RepairDoc:
    path: Path
    exists: bool
    kept: int
    removed_bytes: int
    saved_to: Path | None
