"""Where a command works: the plan, the ledger, who records and when.

A :class:`Workspace` resolves the files the documented way (``eduplan.store.paths``) and
loads them when first asked. It is the one argument every operation of the library takes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import stat
from pathlib import Path

from ..core.models import Office, Plan
from ..core.text import check_text, refuse_invisible
from ..errors import EduplanError, ProblemsError, UsageError
from ..i18n import N_, Flag, msg, use_terms
from ..store import ledger as ledger_store
from ..store.paths import default_ledger_path, resolve_ledger_path, resolve_plan_path
from ..store.planfile import load_plan, terms_for

USER_ENV = "EDUPLAN_USER"
OFFICE_ENV = "EDUPLAN_OFFICE"
OFFICE_FILE = ".office"  # in a ledger folder: this computer's office (kept out of version control)


def default_user() -> str:
    for var in (USER_ENV, "USER", "USERNAME", "LOGNAME"):
        if os.environ.get(var):
            return os.environ[var]
    import getpass  # only when no variable names the user: it loads termios

    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user database at all
        return "unknown"


def now() -> dt.datetime:
    """The current time with its zone, to the second."""
    return dt.datetime.now().astimezone().replace(microsecond=0)


@dataclasses.dataclass
class Workspace:
    """The files a command works on, who works, and when (``now`` is fixed for one command)."""

    plan_option: str | os.PathLike | None = None
    ledger_option: str | os.PathLike | None = None
    by_option: str | None = None
    now: dt.datetime = dataclasses.field(default_factory=lambda: now())  # the module's clock, looked up each time
    office_option: str | None = None

    @property
    def plan_path(self) -> Path:
        return resolve_plan_path(self.plan_option)

    @property
    def plan(self) -> Plan:
        """The plan, loaded once. Every operation on this workspace speaks its words (全县,
        乡镇（街道）) from the moment it asks for it: an error it raises keeps them, whichever
        plan another workspace of the same program loaded since."""
        plan = self.__dict__.get("_plan")
        if plan is None:
            try:
                plan = self.__dict__["_plan"] = load_plan(self.plan_path)
            except ProblemsError as exc:  # its problems said in its own words too, where its [terms] read right
                exc.terms = terms_for(self.plan_path, exc.problems)
                use_terms(exc.terms)
                raise
        use_terms(plan.terms)
        return plan

    @property
    def ledger_path(self) -> Path:
        # a ledger named (--ledger, $EDUPLAN_LEDGER) needs no plan: validate says why a plan does not load
        return resolve_ledger_path(self.ledger_option, lambda: self.plan.plan.id)

    @property
    def ledger_is_default(self) -> bool:
        return self.ledger_path == default_ledger_path(self.plan.plan.id)

    @functools.cached_property
    def by(self) -> str:
        given = self.by_option if self.by_option is not None else default_user()
        name = check_text(given, "by", one_line=True)
        if name is None:
            raise EduplanError(msg("who records it is empty: give {by} or set EDUPLAN_USER", by=Flag("by", N_("NAME"))),
                               field="by")
        return refuse_invisible(name.strip(), "by")  # a name, refused as names are: it is shown in every log

    @property
    def today(self) -> dt.date:
        return self.now.date()

    def day(self, typed: str | dt.date | None, field: str = "as_of") -> dt.date | None:
        """A date given to a command: as it is, or as staff typed it (read in the plan period,
        今天 and 上月底 from today)."""
        return typed if typed is None or isinstance(typed, dt.date) else parse_day(self.plan, typed, field, self.today)

    def since(self, typed: str | dt.date | None, field: str = "since") -> dt.date | None:
        """The first day of what is shown: a date, or the first day of a month or a part of the
        year (6月 and 上月 from the 1st, 上半年 from 1月1日, 三季度 from 7月1日)."""
        from ..core.numbers import Ambiguous, NumberError, period_start

        if isinstance(typed, str):
            try:  # a month, a part of the year, 全年: from its first day (全年 as a date is the period's last)
                return period_start(typed, self.plan.plan.period, self.today)
            except Ambiguous as exc:  # (三季度 in a school year): which one is the question
                raise EduplanError(exc.message, field=field) from None
            except NumberError:
                pass
        return self.day(typed, field)  # a date; else its error, which names the forms a date takes

    @property
    def folder(self) -> bool:
        """Is the ledger a folder of per-office files?"""
        return self.ledger_path.is_dir()

    @functools.cached_property
    def office(self) -> Office | None:
        """The office recording (in a ledger folder): ``--office``, else ``$EDUPLAN_OFFICE``, else the
        folder's ``.office`` file. None for a one-file ledger, which has no offices: an office
        given for one (or for a ledger that does not exist) is refused, not ignored — the figure
        would be recorded with no office, in a file the person did not mean."""
        given = self.office_option or os.environ.get(OFFICE_ENV)
        if not self.folder:
            if given:
                self._no_folder(given)
            return None
        source = "office" if self.office_option else f"${OFFICE_ENV}" if given else None
        if not given:
            given = self._office_file()
            source = str(self.ledger_path / OFFICE_FILE)
        if not given:
            raise EduplanError(msg("the ledger is a folder of offices' files: say which office you record for with "
                                   "{office}, $EDUPLAN_OFFICE, or a file {file} holding the name",
                                   file=str(self.ledger_path / OFFICE_FILE), office=Flag("office", N_("NAME"))),
                               field="office")
        from ..core.names import find_office

        try:  # a name from the environment or the file is said with where it came from, as --office is
            return find_office(self.plan, check_text(given, "office", one_line=True) or "").value
        except EduplanError as exc:
            raise EduplanError(exc.message, field=source) from None

    def _office_file(self) -> str | None:
        """The name in the folder's ``.office`` file, as Windows editors save it too: UTF-8 with or
        without a byte-order mark, UTF-16 with its mark (PowerShell's ``echo 椒江区 > .office``),
        or GB18030; None if there is no such file. A file that is none of these is refused."""
        from ..store.paths import NotRegular, read_regular
        from ..store.sheets import decode_text  # (read as a sheet is: imported only where there is a file)

        path = self.ledger_path / OFFICE_FILE
        try:
            raw = read_regular(path, limit=4096)  # a name: never a FIFO waited on, nor /dev/zero read to the end
        except NotRegular as exc:
            raise EduplanError(msg("{file} is {kind}; it holds the office's name", file=str(path),
                                   kind=msg(exc.kind))) from None
        except OSError:
            return None
        decoded = decode_text(raw)
        if decoded is None:
            raise EduplanError(msg("{file} is not text in a known encoding (UTF-8, UTF-16 or GB18030): write the "
                                   "office's name in it again", file=str(path)))
        return decoded[0].strip() or None

    def _no_folder(self, given: str) -> None:
        path = str(self.ledger_path)
        if self.office_option:
            shown, undo = f"{Flag('office', given)}", msg("leave out {office}", office=Flag("office"))
        else:
            shown, undo = f"{OFFICE_ENV}={given}", msg("unset {var}", var=OFFICE_ENV)
        try:
            mode = os.stat(self.ledger_path).st_mode
        except FileNotFoundError:
            mode = None
        except OSError:
            return  # the ledger cannot be read at all: reading it says why
        if mode is not None and not stat.S_ISREG(mode):
            return  # a pipe, a device: reading it says what it is
        if mode is None:
            raise UsageError(msg("{given}: there is no ledger folder {path}. An office records in its own file in a "
                                 "ledger folder (one file per office); make the folder first: from a one-file ledger "
                                 "with `eduplan split {path} --ledger FILE`, or as an empty folder (mkdir {path}). "
                                 "Nothing was recorded", given=shown, path=path))
        raise UsageError(msg("{given}: {path} is a one-file ledger, with no offices. An office records in its own file "
                             "in a ledger folder (one file per office): make one from this file with `eduplan split "
                             "FOLDER --ledger {path}` and record with --ledger FOLDER; or, to record in this file, "
                             "{undo}. Nothing was recorded", given=shown, path=path, undo=undo))

    @property
    def office_name(self) -> str:
        return self.office.name if self.office is not None else ""

    def view(self) -> ledger_store.LedgerView:
        """The ledger, validated and indexed (raises with every problem if it does not load)."""
        return ledger_store.open_ledger(self.ledger_path, self.plan)

    def protected(self) -> list[tuple[Path, str]]:
        """Files an output may never be written over, whether they exist yet or not: the ledger
        (a folder of them: the files it reads or keeps), its lock, the plan and the source text
        it names."""
        from ..i18n import N_
        from ..store.paths import real_path
        from ..store.planfile import source_text_path

        ledger = real_path(self.ledger_path)
        out = [(self.ledger_path, N_("the ledger")),
               (ledger.with_name(ledger.name + ".lock"), N_("the ledger's lock file")),
               (self.plan_path, N_("the plan"))]
        try:
            source = source_text_path(self.plan_path, self.plan)
        except Exception:  # the plan does not load: its own error is said where it is read
            source = None
        if source is not None:
            out.append((source, N_("the plan's source text")))
        return out


def check_date(plan: Plan, day: dt.date, *, today: dt.date, field: str = "as_of") -> dt.date:
    """A date a figure is as of: within the plan period, and not in the future."""
    info = plan.plan
    if not info.start <= day <= info.end:
        raise EduplanError(msg("{day} is outside the plan period {start} to {end}", day=day, start=info.start,
                               end=info.end), field=field)
    if day > today:
        raise EduplanError(msg("{day} is in the future (today is {today})", day=day, today=today), field=field)
    return day


def reading_date(plan: Plan, day: dt.date | None, *, today: dt.date, ahead: bool = False) -> dt.date:
    """The as-of date of a reading command: a date in the plan period that has come (``ahead``:
    or not yet, as a sheet's date for figures to be filled in then); by default today, clamped
    to the period (after the period, its last day)."""
    info = plan.plan
    if day is None:
        return min(max(today, info.start), info.end)
    if not info.start <= day <= info.end:
        raise EduplanError(msg("{day} is outside the plan period {start} to {end}", day=day, start=info.start,
                               end=info.end), field="as_of")
    if day > today and not ahead:  # (本月底 on the 1st): the figures would be judged against time not yet gone
        raise EduplanError(msg("{day} has not come yet (today is {today}): figures are read as of a day that has "
                               "passed; give 今天 or an earlier date", day=day, today=today), field="as_of")
    return day


def parse_day(plan: Plan, text: str | None, field: str = "as_of", today: dt.date | None = None) -> dt.date | None:
    """A date typed the way staff write it (a date without its year is read in the plan period;
    with ``today``, 今天 and 上月底 are read from it)."""
    if text is None:
        return None
    from ..core.numbers import NumberError, parse_date

    try:
        return parse_date(text, plan.plan.period, today)
    except NumberError as exc:
        raise EduplanError(exc.message, field=field) from None
