"""The commands: each parses its options, calls one function of the library, and hands the
document it returns to the one render dispatch, inside :class:`~eduplan.shell.Session` (the
error boundary). Shared option declarations are at the top; help texts are English msgids,
translated when help or a usage error shows them (:func:`eduplan.shell.build`).
"""

# No ``from __future__ import annotations`` here: typer reads a command's parameters from its
# annotations each time it builds the command, and annotations kept as text are evaluated one
# by one then (typing.get_type_hints). A run builds only the command asked for
# (shell.build), but help builds them all: `--help` 471 -> 403 M instructions with
# annotations that are already objects (tests/test_status_cli.py holds them to that)
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import i18n
from .core.status_words import FAIL_ON, STATUS_WORDS
from .i18n import N_, msg
from .render import formats
from .shell import Session

app = typer.Typer(name="eduplan", no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  pretty_exceptions_enable=False, context_settings={"help_option_names": ["-h", "--help"]})
HELP = N_("Track a government work plan: record figures, see completion against target and time (序时进度).")


def _choices(name: str, values) -> type[Enum]:
    return Enum(name, {v: v for v in values}, type=str)


def _metavar(codes) -> str:  # as a choice shows its values; the words of the tables are taken too
    return "<" + "|".join(codes) + ">"


PlanFmt, StatusFmt, ShowFmt, LogFmt = (_choices(n, formats(k)) for n, k in (
    ("PlanFormat", "PlanDoc"), ("StatusFormat", "StatusReport"), ("ShowFormat", "ShowDoc"), ("LogFormat", "LogDoc")))
IndexFmt = _choices("IndexFormat", formats("IndexDoc"))
ReportFmt, SheetFmt = _choices("ReportFormat", formats("Bulletin")), _choices("SheetFormat", formats("TemplateDoc"))
CoverageFmt = _choices("CoverageFormat", formats("CoverageDoc"))
CheckFmt = _choices("CheckFormat", formats("QualityReport"))
Lang = _choices("Lang", i18n.LANGS)

# text, not click's Path: a file that cannot be read is said by the command, in the reader's language (click said
# "Path 'x' is not readable." in English), and --ledger "" is no path, not the current folder
_PATH = "<path>"  # (translated where help is shown, as typer's own placeholders are)
PlanOpt = Annotated[Optional[str], typer.Option("--plan", help=N_("Plan file (env EDUPLAN_PLAN; default: the bundled plan)."), show_default=False, metavar=_PATH)]
LedgerOpt = Annotated[Optional[str], typer.Option("--ledger", help=N_("Ledger file or folder (env EDUPLAN_LEDGER; default: $XDG_DATA_HOME/eduplan/PLAN-ID.ledger.toml, ~/.local/share by default)."), show_default=False, metavar=_PATH)]
LangOpt = Annotated[Optional[Lang], typer.Option("--lang", help=N_("Language: zh or en (env EDUPLAN_LANG, else the locale, else the plan's)."), show_default=False)]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help=N_("Date: YYYY-MM-DD or YYYY年M月D日; 6月底, 年底 … without a year are read in the plan period (default: today, within the plan period)."), show_default=False)]
CountyOpt = Annotated[Optional[str], typer.Option("--county", help=N_("A county-level unit, by its full name or its short form (without its last 区/市/县/旗 or 镇/乡/街道); 全市 for the city-wide figure."), show_default=False)]
ByOpt = Annotated[Optional[str], typer.Option("--by", help=N_("Who records it (env EDUPLAN_USER, else $USER)."), show_default=False)]
NoteOpt = Annotated[Optional[str], typer.Option("--note", help=N_("A remark kept with the figure."), show_default=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help=N_("Store a figure the data-quality rules warn about (a falling total, a duplicate, a fraction, an outlier …); the entry is marked as accepted over the warning, with your name."))]
SourceOpt = Annotated[Optional[str], typer.Option("--source", help=N_("The document or notice the figure came from."), show_default=False)]
OfficeOpt = Annotated[Optional[str], typer.Option("--office", help=N_("In a ledger folder: the office you record for (env EDUPLAN_OFFICE, else the folder's .office file)."), show_default=False)]
ForCityOpt = Annotated[bool, typer.Option("--for-city", help=N_("A city office acting for the city on another office's entry (OFFICE#N)."))]
# --------------------------------------------------------------------------- plan, validate, repair


@app.command("plan", help=N_("Show the plan: sections, indicators, targets and units."))
def plan_cmd(fmt: Annotated[PlanFmt, typer.Option("--format", "-f", help=N_("Output format."))] = "table",
             lang: LangOpt = None, plan: PlanOpt = None) -> None:
    from .services import plan_doc

    with Session(lang, plan) as s:
        s.show(plan_doc(s.ws), fmt)


@app.command(help=N_("Check the plan and the ledger; report every problem as FILE:LINE: message."))
def validate(lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .errors import ProblemsError
    from .services import validate as check

    with Session(lang, plan, ledger) as s:
        doc = check(s.ws)
        if not doc.ok:
            raise ProblemsError(list(doc.plan_problems or doc.ledger_problems), hint=doc.hint)
        s.show(doc)


@app.command(help=N_("Split a one-file ledger into a folder of per-office files (ids kept; the old file stays as it is)."))
def split(folder: Annotated[str, typer.Argument(help=N_("The new folder."))], lang: LangOpt = None,
          plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import split as do

    with Session(lang, plan, ledger) as s:
        s.show(do(s.ws, folder))


@app.command(help=N_("Bring the ledger's SQLite index up to date and say where it is, for your own SQL tools (read it, never write it)."))
def index(fmt: Annotated[IndexFmt, typer.Option("--format", "-f", help=N_("Output format."))] = "text",
          lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import index as where

    with Session(lang, plan, ledger) as s:
        s.show(where(s.ws), fmt)


@app.command(help=N_("Remove an incomplete end of the ledger left by a crashed write (a copy is kept beside it)."))
def repair(lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import repair as fix

    with Session(lang, plan, ledger) as s:
        s.show(fix(s.ws))


# --------------------------------------------------------------------------- record, correct, void, import


@app.command(help=N_("Record a figure: for an accumulating indicator, the cumulative total since the plan period began."))
def record(indicator: Annotated[str, typer.Argument(help=N_("Indicator id or exact name (see `eduplan plan`)."))],
           value: Annotated[Optional[str], typer.Argument(help=N_("12, 1,234, 3.5万, 90亿元, 56%, 12000/21000, 完成/进行中 …"), show_default=False)] = None,
           as_of: AsOfOpt = None, county: CountyOpt = None,
           add: Annotated[Optional[str], typer.Option("--add", help=N_("Record the latest total plus N (accumulating indicators)."), show_default=False)] = None,
           note: NoteOpt = None, source: SourceOpt = None, force: ForceOpt = False, by: ByOpt = None,
           office: OfficeOpt = None, lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import record as do

    with Session(lang, plan, ledger, by, office) as s:
        s.show(do(s.ws, indicator, value, as_of=as_of, county=county, add=add, note=note, source=source, force=force))


@app.command(help=N_("Record the baseline value a target is stated against (below it, N more than it …), dated on the plan's baseline date."))
def baseline(indicator: Annotated[str, typer.Argument(help=N_("Indicator id or exact name (one with a baseline in the plan)."))],
             value: Annotated[str, typer.Argument(help=N_("The baseline value: 12, 3.5万, 56% …"))],
             source: Annotated[Optional[str], typer.Option("--source", help=N_("Where the value comes from (default: the plan's baseline source)."), show_default=False)] = None,
             note: NoteOpt = None, force: ForceOpt = False, by: ByOpt = None, office: OfficeOpt = None,
             lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import record_baseline

    with Session(lang, plan, ledger, by, office) as s:
        s.show(record_baseline(s.ws, indicator, value, source=source, note=note, force=force))


ReasonOpt = Annotated[str, typer.Option("--reason", help=N_("Why the entry is corrected or withdrawn."))]


@app.command(help=N_("Correct an entry: a new entry supersedes it; the old one stays in the history."))
def correct(entry: Annotated[str, typer.Argument(help=N_("The entry to correct: 12 or #12, or OFFICE#12 for another office's (see `eduplan log`)."))],
            value: Annotated[str, typer.Argument(help=N_("The corrected figure."))], reason: ReasonOpt,
            as_of: Annotated[Optional[str], typer.Option("--as-of", help=N_("Date: YYYY-MM-DD or YYYY年M月D日; 6月底, 年底 … without a year are read in the plan period (default: the date of the entry it corrects)."), show_default=False)] = None, note: NoteOpt = None, source: SourceOpt = None, force: ForceOpt = False,
            by: ByOpt = None, office: OfficeOpt = None, for_city: ForCityOpt = False, lang: LangOpt = None,
            plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import correct as do

    with Session(lang, plan, ledger, by, office) as s:
        s.show(do(s.ws, entry, value, reason=reason, as_of=as_of, note=note, source=source, for_city=for_city,
                  force=force))


@app.command("void", help=N_("Withdraw an entry: its figure no longer counts; it stays in the history."))
def void_cmd(entry: Annotated[str, typer.Argument(help=N_("The entry to withdraw: 12 or #12, or OFFICE#12 for another office's."))],
             reason: ReasonOpt, by: ByOpt = None, office: OfficeOpt = None, for_city: ForCityOpt = False,
             lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import void as do

    with Session(lang, plan, ledger, by, office) as s:
        s.show(do(s.ws, entry, reason=reason, for_city=for_city))


@app.command("import", help=N_("Record the figures of a filled-in sheet (.csv or .xlsx), all or nothing; every wrong row is named as FILE:ROW."))
def import_cmd(file: Annotated[Path, typer.Argument(help=N_("The sheet: .csv (UTF-8, UTF-16 or GB18030) or .xlsx."), show_default=False, readable=False)],
               dry_run: Annotated[bool, typer.Option("--dry-run", help=N_("Check every row and show what would be recorded; write nothing."))] = False,
               force: Annotated[bool, typer.Option("--force", help=N_("Import the file even though it was imported before."))] = False,
               accept_warnings: Annotated[bool, typer.Option("--accept-warnings", help=N_("Import rows the data-quality rules warn about (a falling total, a duplicate, a fraction, an outlier …); each such entry is marked as accepted over its warnings, with your name."))] = False,
               by: ByOpt = None, office: OfficeOpt = None, lang: LangOpt = None, plan: PlanOpt = None,
               ledger: LedgerOpt = None) -> None:
    from .services import import_file

    with Session(lang, plan, ledger, by, office) as s:
        s.show(import_file(s.ws, file, dry_run=dry_run, force=force, accept=accept_warnings))


# --------------------------------------------------------------------------- log, status, show


@app.command(help=N_("The history of recorded figures, newest first, corrections shown as such."))
def log(indicator: Annotated[Optional[str], typer.Argument(help=N_("Only this indicator."), show_default=False)] = None,
        county: CountyOpt = None,
        since: Annotated[Optional[str], typer.Option("--since", help=N_("Only figures as of this date or later."), show_default=False)] = None,
        fmt: Annotated[LogFmt, typer.Option("--format", "-f", help=N_("Output format."))] = "table",
        lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import log as history

    with Session(lang, plan, ledger) as s:
        s.show(history(s.ws, indicator, county=county, since=since), fmt)


@app.command(help=N_("Completion against target and expected progress (序时进度), with status lights."))
def status(as_of: AsOfOpt = None,
           section: Annotated[Optional[list[str]], typer.Option("--section", help=N_("Only this section: its id, its name, or its kind and number (重点一, 行动3 …; the kind also as the plan names it)."), show_default=False)] = None,
           county: CountyOpt = None,
           lead: Annotated[Optional[str], typer.Option("--lead", help=N_("Only the indicators this lead unit (牵头单位) is responsible for."), show_default=False)] = None,
           by_county: Annotated[bool, typer.Option("--by-county", help=N_("Indicators × county-level units."))] = False,
           status_filter: Annotated[Optional[list[str]], typer.Option("--status", help=N_("Only indicators with this status (repeatable): its code or its word in the tables (done, on track, lagging, behind, not judged, no data)."), metavar=_metavar(STATUS_WORDS), show_default=False)] = None,
           fmt: Annotated[StatusFmt, typer.Option("--format", "-f", help=N_("Output format."))] = "table",
           fail_on: Annotated[Optional[str], typer.Option("--fail-on", help=N_("Exit 3 if any shown indicator is at this status or worse (lagging: lagging or behind); its code or its word in the tables."), metavar=_metavar(FAIL_ON), show_default=False)] = None,
           lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .core.names import find_status
    from .core.progress import Status
    from .services import status as judge

    with Session(lang, plan, ledger) as s:
        threshold = Status(find_status(fail_on, "fail_on", FAIL_ON)) if fail_on is not None else None
        report = judge(s.ws, as_of=as_of, section=section, county=county, by_county=by_county,
                       statuses=status_filter or (), lead=lead)
        s.show(report, fmt)
        if report.fails(threshold):
            raise typer.Exit(3)


@app.command(help=N_("One indicator in full: source phrase, target, city and county figures, status, history."))
def show(indicator: Annotated[str, typer.Argument(help=N_("Indicator id or exact name."))], as_of: AsOfOpt = None,
         fmt: Annotated[ShowFmt, typer.Option("--format", "-f", help=N_("Output format."))] = "table",
         lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import show as one

    with Session(lang, plan, ledger) as s:
        s.show(one(s.ws, indicator, as_of=as_of), fmt)


@app.command(help=N_("How the plan covers its source text, sentence by sentence: what each commitment became."))
def coverage(fmt: Annotated[CoverageFmt, typer.Option("--format", "-f", help=N_("Output format."))] = "markdown",
             lang: LangOpt = None, plan: PlanOpt = None) -> None:
    from .services import coverage as cover

    with Session(lang, plan) as s:
        s.show(cover(s.ws), fmt)


@app.command(help=N_("Data quality (数据审核): what is questionable in the ledger as of a date. Falling cumulative totals, duplicates, outliers, figures accepted over a warning, and units that have not reported an indicator or not updated it for more than a month. Exit 1 if anything is found, else 0."))
def check(as_of: AsOfOpt = None, county: CountyOpt = None,
          rule: Annotated[Optional[list[str]], typer.Option("--rule", help=N_("Only this rule (repeatable): unit, whole-number, fraction, approximate, counties-or-percent, decreasing, duplicate, restated, outlier, magnitude, reported-by, state-back, tenfold, parts, person-times, accepted, missing, stale."), show_default=False)] = None,
          fmt: Annotated[CheckFmt, typer.Option("--format", "-f", help=N_("Output format."))] = "table",
          lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import check as quality

    with Session(lang, plan, ledger) as s:
        doc = quality(s.ws, as_of=as_of, county=county, rules=rule or ())
        s.show(doc, fmt)
        if doc.findings:
            raise typer.Exit(1)


# --------------------------------------------------------------------------- report, template

OutputOpt = Annotated[Optional[str], typer.Option("--output", "-o", help=N_("Write to this file (default: standard output)."), show_default=False)]


def _by_suffix(output: str | None, choices: type[Enum], fmt: Enum | None = None) -> str | None:
    """The format an output file's name says (None: none of ``choices``); a ``--format`` it contradicts is refused."""
    from .errors import UsageError

    suffix = Path(output).suffix.lower() if output else ""
    suffix = {".md": "markdown", ".markdown": "markdown", ".htm": "html"}.get(suffix, suffix[1:])
    named = suffix if suffix in choices.__members__ else None
    if named and fmt is not None and named != fmt.value:
        raise UsageError(msg("the file name says {named} and --format says {fmt}: make them agree", named=named,
                             fmt=fmt.value), field="output")
    return named


@app.command(help=N_("The monthly bulletin (月度通报): status at the month end, change over the month, what lags, what came in."))
def report(month: Annotated[str, typer.Option("--month", help=N_("The month: YYYY-MM or YYYY年M月, or 6月 (that month in the plan period); the bulletin is as of its last day."))],
           fmt: Annotated[Optional[ReportFmt], typer.Option("--format", "-f", help=N_("Output format (default: from the -o suffix, else markdown)."), show_default=False)] = None,
           output: OutputOpt = None, lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .errors import UsageError
    from .services import bulletin, bulletin_shown

    with Session(lang, plan, ledger) as s:
        by_name = _by_suffix(output, ReportFmt, fmt)
        kind = fmt.value if fmt else (by_name or "markdown")
        if output == "":
            raise UsageError(msg("the file name is empty"), field="output")
        if output is not None and by_name is None and fmt is None:
            raise UsageError(msg("name the file .md, .html, .xlsx or .json (the format follows the name), or give a "
                                 "--format that matches it"), field="output")
        if kind == "xlsx" and output is None:
            raise UsageError(msg("a workbook is written to a file: give -o FILE.xlsx"), field="output")
        if output is None:
            return s.show_made(lambda shown, **how: bulletin_shown(s.ws, month, shown, **how), kind)
        doc = bulletin(s.ws, month)
        s.write(doc, kind, output, kind="report", month=doc.label, as_of=str(doc.as_of))


@app.command(help=N_("A sheet to fill in: one date for the sheet, one row per indicator with its last figure to update; `eduplan import` reads it back."))
def template(output: Annotated[str, typer.Option("--output", "-o", help=N_("The file to write: .xlsx or .csv."), show_default=False)],
             force: Annotated[bool, typer.Option("--force", help=N_("Overwrite an existing file (it may be a filled-in sheet)."))] = False,
             fmt: Annotated[Optional[SheetFmt], typer.Option("--format", "-f", help=N_("xlsx or csv (default: from the -o suffix)."), show_default=False)] = None,
             county: CountyOpt = None,
             as_of: Annotated[Optional[str], typer.Option("--as-of", help=N_("The date of every figure on the sheet (default: the last month end, within the plan period)."), show_default=False)] = None,
             month: Annotated[Optional[str], typer.Option("--month", help=N_("The month the sheet reports: its figures are as of its last day."), show_default=False)] = None,
             lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .errors import UsageError
    from .services import template as sheet

    with Session(lang, plan, ledger) as s:
        by_name = _by_suffix(output, SheetFmt, fmt)
        kind = fmt.value if fmt else by_name
        if kind is None:
            raise UsageError(msg("name the file .xlsx or .csv (import reads a file by its suffix)"), field="output")
        doc = sheet(s.ws, county=county, fmt=kind, as_of=as_of, month=month)
        s.write(doc, kind, output, kind="template", overwrite=force, count=len(doc.indicators), county=doc.county,
                as_of=str(doc.as_of))


def _show_version(value: bool) -> None:
    if value:
        from . import __version__

        print(f"eduplan {__version__}")
        raise typer.Exit()


@app.callback(help=HELP)
def _group(version: Annotated[bool, typer.Option("--version", help=N_("Show the version and exit."), is_eager=True,
                                                 callback=_show_version)] = False) -> None:
    pass


# --------------------------------------------------------------------------- building and running

def main(argv: list[str] | None = None) -> int:
    """Run the command line (tests call it in-process); returns the exit code."""
    from .shell import main as run_main

    return run_main(app, argv)


if __name__ == "__main__":  # pragma: no cover
    from .console import run

    run()
