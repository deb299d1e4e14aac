"""The command line: parse arguments, call the core, hand the result to a renderer.

The only module that imports typer. It imports the rest lazily, inside each command, so
that every command pays only for what it uses (``--format json`` never imports rich).
Errors from the core become one message on stderr and an exit code: 1 for bad data,
2 for a bad command line, 3 when ``--fail-on`` matched.
"""

from __future__ import annotations

import functools
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    name="eduplan",
    help="Track a government work plan: record figures, see completion against target and time.",
    no_args_is_help=True,
    add_completion=False,
    # Plain click help: rich-formatted help imports rich.markdown, pygments and more on
    # every --help (about 100 ms); see bench/README.md.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        from . import __version__

        print(f"eduplan {__version__}")
        raise typer.Exit()


@app.callback()
def _group(
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Track a government work plan: record figures, see completion against target and time."""


class Fmt(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class StatusName(str, Enum):
    done = "done"
    on_track = "on_track"
    lagging = "lagging"
    behind = "behind"
    no_data = "no_data"


class FailOn(str, Enum):
    lagging = "lagging"
    behind = "behind"


PlanOpt = Annotated[Optional[Path], typer.Option("--plan", help="Plan file (env EDUPLAN_PLAN; default: the bundled 2023 plan).", show_default=False)]
LedgerOpt = Annotated[Optional[Path], typer.Option("--ledger", help="Ledger file (env EDUPLAN_LEDGER; default: ~/.local/share/eduplan/PLAN-ID.ledger.toml).", show_default=False)]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Names in Chinese (zh) or English (en).")]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help="Date YYYY-MM-DD (default: today, within the plan period).", show_default=False)]
CountyOpt = Annotated[Optional[str], typer.Option("--county", help="One of the plan's county-level units (e.g. 椒江区).", show_default=False)]


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"eduplan: {message}\n" if "\n" not in message else f"{message}\n")
    sys.stderr.flush()
    raise typer.Exit(code)


def handled(func):
    """Run a command body; an EduplanError becomes a message on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from .errors import EduplanError

        try:
            return func(*args, **kwargs)
        except EduplanError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0)

    return wrapper


def _on_terminal() -> bool:
    """JSON is indented on a terminal and compact in a pipe (where programs read it)."""
    return sys.stdout.isatty()


def emit(text: str) -> None:
    """Machine-readable output, as UTF-8 bytes whatever the locale."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _plan(path: Path | None):
    from .loader import load_plan, resolve_plan_path

    return load_plan(resolve_plan_path(path))


def _ledger_path(option: Path | None, plan) -> Path:
    from .ledger import resolve_ledger_path

    return resolve_ledger_path(option, plan)


def _date(text: str | None, what: str):
    if text is None:
        return None
    from .errors import EduplanError
    from .numbers import NumberError, parse_date

    try:
        return parse_date(text)
    except NumberError as exc:
        raise EduplanError(f"{what}: {exc}") from None


def _as_of(plan, text: str | None):
    import datetime as dt

    from .service import reading_date

    return reading_date(plan, _date(text, "--as-of"), today=dt.date.today())


def _entries(plan, ledger_opt):
    """The ledger's entries, validated (after the command's arguments were checked)."""
    from .ledger import load_ledger

    return load_ledger(_ledger_path(ledger_opt, plan), plan).entries


def _county(plan, county: str | None):
    from .service import check_county

    return check_county(plan, county)


def _context(plan_opt, ledger_opt, by: str | None):
    from .service import Context, default_user, now

    plan = _plan(plan_opt)
    return Context(plan, _ledger_path(ledger_opt, plan), (by or default_user()).strip() or default_user(), now())


def _console():
    from .render.table import make_console

    return make_console()


# --------------------------------------------------------------------------- plan, validate


@app.command("plan")
@handled
def plan_cmd(
    fmt: Annotated[Fmt, typer.Option("--format", "-f", help="table, json, csv or markdown.")] = Fmt.table,
    lang: LangOpt = Lang.zh,
    plan: PlanOpt = None,
) -> None:
    """Show the plan: sections, indicators, targets and units."""
    p = _plan(plan)
    if fmt == Fmt.json:
        from .render.data import plan_doc
        from .render.text import to_json

        emit(to_json(plan_doc(p), pretty=_on_terminal()))
    elif fmt == Fmt.csv:
        from .render.data import PLAN_COLUMNS, plan_rows
        from .render.text import to_csv

        emit(to_csv(plan_rows(p, lang.value), PLAN_COLUMNS))
    elif fmt == Fmt.markdown:
        from .render.markdown import plan_markdown

        emit(plan_markdown(p, lang=lang.value))
    else:
        from .render.table import plan_table

        plan_table(p, _console(), lang=lang.value)


@app.command()
@handled
def validate(plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    """Check the plan and the ledger; report every problem as FILE:LINE: message."""
    from .ledger import read_ledger, resolve_ledger_path
    from .loader import read_plan, resolve_plan_path

    plan_path = resolve_plan_path(plan)
    p, problems = read_plan(plan_path, use_cache=False)
    if p is None:
        for prob in problems:
            sys.stderr.write(f"{prob}\n")
        _fail(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the plan {plan_path}; the ledger was not checked", 1)
    ledger_path = resolve_ledger_path(ledger, p)
    state = read_ledger(ledger_path, p)
    if state.torn:
        from .ledger import load_ledger  # a write may be in progress: read again under the lock
        from .errors import ProblemsError

        try:
            state = load_ledger(ledger_path, p)
        except ProblemsError:
            pass
    if not state.ok:
        for prob in state.problems:
            sys.stderr.write(f"{prob}\n")
        n = len([x for x in state.problems if x.line is not None or "incomplete" not in x.message])
        _fail(f"{n} problem{'s' if n != 1 else ''} in the ledger {ledger_path}", 1)
    ledger_note = f"{len(state.entries)} entries in {ledger_path}" if state.exists else f"no ledger yet at {ledger_path}"
    print(f"ok: plan {plan_path} ({len(p.indicators)} indicators, {len(p.sections)} sections); {ledger_note}")


# --------------------------------------------------------------------------- record, correct, void, repair


def _print_stored(entry, plan, verb: str) -> None:
    from .render.human import stored_line

    print(stored_line(verb, entry, plan))


@app.command()
@handled
def record(
    indicator: Annotated[str, typer.Argument(help="Indicator id (see `eduplan plan`).")],
    value: Annotated[Optional[str], typer.Argument(help="12, 1,234, 3.5万, 90亿元, 56%, 12000/21000, done/进行中 …", show_default=False)] = None,
    as_of: AsOfOpt = None,
    county: CountyOpt = None,
    add: Annotated[Optional[str], typer.Option("--add", help="Record the latest total plus N (accumulating indicators).", show_default=False)] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="A remark kept with the figure.", show_default=False)] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Document or notice the figure came from.", show_default=False)] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Who records it (env EDUPLAN_USER, else $USER).", show_default=False)] = None,
    plan: PlanOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    """Record a figure: for an accumulating indicator, the cumulative total to date."""
    from .service import record as do_record

    ctx = _context(plan, ledger, by)
    entry = do_record(ctx, indicator, value, as_of=_date(as_of, "--as-of"), county=county, note=note,
                      source=source, add=add)
    _print_stored(entry, ctx.plan, "recorded")


@app.command()
@handled
def correct(
    entry_id: Annotated[int, typer.Argument(help="The entry to correct (see `eduplan log`).")],
    value: Annotated[str, typer.Argument(help="The corrected figure.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is corrected (required).")],
    as_of: AsOfOpt = None,
    note: Annotated[Optional[str], typer.Option("--note", show_default=False)] = None,
    source: Annotated[Optional[str], typer.Option("--source", show_default=False)] = None,
    by: Annotated[Optional[str], typer.Option("--by", show_default=False)] = None,
    plan: PlanOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    """Correct an entry: a new entry supersedes it; the old one stays in the history."""
    from .service import correct as do_correct

    ctx = _context(plan, ledger, by)
    entry = do_correct(ctx, entry_id, value, reason=reason, as_of=_date(as_of, "--as-of"), note=note, source=source)
    _print_stored(entry, ctx.plan, "recorded")


@app.command("void")
@handled
def void_cmd(
    entry_id: Annotated[int, typer.Argument(help="The entry to withdraw.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is withdrawn (required).")],
    by: Annotated[Optional[str], typer.Option("--by", show_default=False)] = None,
    plan: PlanOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    """Withdraw an entry: its figure no longer counts; it stays in the history."""
    from .service import void as do_void

    ctx = _context(plan, ledger, by)
    entry = do_void(ctx, entry_id, reason=reason)
    _print_stored(entry, ctx.plan, "recorded")


@app.command()
@handled
def repair(plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    """Remove an incomplete last entry left by a crashed write (a copy is kept beside the ledger)."""
    from .ledger import repair as do_repair
    from .service import now

    p = _plan(plan)
    path = _ledger_path(ledger, p)
    if not path.exists():
        print(f"nothing to repair: no ledger at {path}")
        return
    result = do_repair(path, p, now())
    if result.saved_to is None:
        print(f"nothing to repair: {path} loads ({result.kept} entries)")
    else:
        print(f"repaired {path}: removed an incomplete last entry ({result.removed_bytes} bytes, saved to "
              f"{result.saved_to}); {result.kept} complete entries kept")


# --------------------------------------------------------------------------- log, status, show


@app.command()
@handled
def log(
    indicator: Annotated[Optional[str], typer.Argument(help="Only this indicator.", show_default=False)] = None,
    county: CountyOpt = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Only figures as of this date or later.", show_default=False)] = None,
    fmt: Annotated[Fmt, typer.Option("--format", "-f", help="table, json, csv or markdown.")] = Fmt.table,
    lang: LangOpt = Lang.zh,
    plan: PlanOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    """The history of recorded figures, newest first, corrections shown as such."""
    from .service import find_indicator, history, superseded_by

    p = _plan(plan)
    ind_id = find_indicator(p, indicator).id if indicator else None
    county_name = _county(p, county)
    since_day = _date(since, "--since")
    entries = _entries(p, ledger)
    rows = history(entries, indicator=ind_id, county=county_name, since=since_day)
    later = superseded_by(entries)
    if fmt == Fmt.json:
        from .render.data import entries_doc
        from .render.text import to_json

        emit(to_json(entries_doc(rows, later), pretty=_on_terminal()))
    elif fmt == Fmt.csv:
        from .render.data import LOG_COLUMNS, log_rows
        from .render.text import to_csv

        emit(to_csv(log_rows(rows, later), LOG_COLUMNS))
    elif fmt == Fmt.markdown:
        from .render.markdown import log_markdown

        emit(log_markdown(rows, later, p, lang=lang.value))
    else:
        from .render.table import log_table

        log_table(rows, later, p, _console(), lang=lang.value)


@app.command()
@handled
def status(
    as_of: AsOfOpt = None,
    section: Annotated[Optional[str], typer.Option("--section", help="Only this section (focus-N, action-N, matter-N).", show_default=False)] = None,
    county: CountyOpt = None,
    by_county: Annotated[bool, typer.Option("--by-county", help="Indicators × counties.")] = False,
    status_filter: Annotated[Optional[list[StatusName]], typer.Option("--status", help="Only indicators with this status (repeatable).", show_default=False)] = None,
    fmt: Annotated[Fmt, typer.Option("--format", "-f", help="table, json, csv or markdown.")] = Fmt.table,
    lang: LangOpt = Lang.zh,
    fail_on: Annotated[Optional[FailOn], typer.Option("--fail-on", help="Exit 3 if any shown indicator is at or below this status.", show_default=False)] = None,
    plan: PlanOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    """Completion against target and time progress (序时进度), with status lights."""
    from .errors import UsageError
    from .progress import SEVERITY, Status, status_report

    p = _plan(plan)
    day = _as_of(p, as_of)
    county_name = _county(p, county)
    if section and section not in p.section_by_id:
        raise UsageError(f"unknown section {section!r}; sections are {', '.join(s.id for s in p.sections)}")
    if by_county and county_name:
        raise UsageError("--by-county and --county do not go together")
    entries = _entries(p, ledger)
    report = status_report(p, entries, day, county=county_name, sections=[section] if section else (),
                           statuses=[Status(s.value) for s in status_filter or ()])
    if by_county:
        from .progress import by_county as grid_of

        grid = grid_of(p, entries, day, [r.indicator for r in report.rows])
        if fmt == Fmt.json:
            from .render.data import status_doc
            from .render.text import to_json

            emit(to_json(status_doc(report, grid), pretty=_on_terminal()))
        elif fmt == Fmt.csv:
            from .render.data import by_county_rows
            from .render.text import to_csv

            columns, rows = by_county_rows(p, grid)
            emit(to_csv(rows, columns))
        elif fmt == Fmt.markdown:
            from .render.data import by_county_rows
            from .render.text import md_table

            columns, rows = by_county_rows(p, grid)
            emit(md_table(columns, [[r[c] for c in columns] for r in rows]))
        else:
            from .render.table import by_county_table

            by_county_table(p, grid, _console(), lang=lang.value)
    elif fmt == Fmt.json:
        from .render.data import status_doc
        from .render.text import to_json

        emit(to_json(status_doc(report), pretty=_on_terminal()))
    elif fmt == Fmt.csv:
        from .render.data import STATUS_COLUMNS, status_rows
        from .render.text import to_csv

        emit(to_csv(status_rows(report, lang.value), STATUS_COLUMNS))
    elif fmt == Fmt.markdown:
        from .render.markdown import status_markdown

        emit(status_markdown(report, lang=lang.value, section=section))
    else:
        from .render.table import status_table

        status_table(report, _console(), lang=lang.value, section=section)
    if fail_on is not None:
        limit = SEVERITY[Status(fail_on.value)]
        if any(SEVERITY.get(r.status, -1) >= limit for r in report.rows):
            raise typer.Exit(3)


@app.command()
@handled
def show(
    indicator: Annotated[str, typer.Argument(help="Indicator id.")],
    as_of: AsOfOpt = None,
    fmt: Annotated[Fmt, typer.Option("--format", "-f", help="table or json.")] = Fmt.table,
    lang: LangOpt = Lang.zh,
    plan: PlanOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    """One indicator in full: source phrase, target, city and county figures, status, history."""
    from .progress import status_report
    from .service import find_indicator, history, superseded_by

    p = _plan(plan)
    ind = find_indicator(p, indicator)
    day = _as_of(p, as_of)
    entries = _entries(p, ledger)
    report = status_report(p, entries, day, indicators=[ind.id])
    row = report.rows[0]
    hist = history(entries, indicator=ind.id)
    later = superseded_by(entries)
    if fmt == Fmt.json:
        from .render.data import show_doc
        from .render.text import to_json

        emit(to_json(show_doc(report, hist, later), pretty=_on_terminal()))
    elif fmt in (Fmt.csv, Fmt.markdown):
        from .errors import UsageError

        raise UsageError("show speaks --format table or json")
    else:
        from .render.table import show_panel

        show_panel(row, hist, later, report, p, _console(), lang=lang.value)


# --------------------------------------------------------------------------- report, import, template


class ReportFmt(str, Enum):
    markdown = "markdown"
    html = "html"
    xlsx = "xlsx"
    json = "json"


class SheetFmt(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


_REPORT_SUFFIXES = {".md": ReportFmt.markdown, ".markdown": ReportFmt.markdown, ".html": ReportFmt.html,
                    ".htm": ReportFmt.html, ".xlsx": ReportFmt.xlsx, ".json": ReportFmt.json}


def _write_output(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: a temporary file beside it, then a rename."""
    import os

    from .errors import EduplanError

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise EduplanError(f"{path}: the folder {folder} does not exist")
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EduplanError(f"{path}: cannot write the file: {exc.strerror}") from None


@app.command()
@handled
def report(
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM: the bulletin is as of its last day (or the period end).")],
    fmt: Annotated[Optional[ReportFmt], typer.Option("--format", "-f", help="markdown, html, xlsx or json (default: from the -o suffix, else markdown).", show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (required for xlsx; default: stdout).", show_default=False)] = None,
    lang: LangOpt = Lang.zh,
    plan: PlanOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    """The monthly bulletin (月度通报): status at the month end, change over the month, what lags, what came in."""
    from .errors import UsageError
    from .report import build_bulletin, month_bounds

    if fmt is None:
        fmt = _REPORT_SUFFIXES.get(output.suffix.lower(), ReportFmt.markdown) if output else ReportFmt.markdown
    if fmt == ReportFmt.xlsx and output is None:
        raise UsageError("--format xlsx writes a workbook: give the file with -o FILE.xlsx")
    p = _plan(plan)
    month_bounds(p, month)  # a bad --month fails before the ledger is read
    if output is not None:
        from .loader import resolve_plan_path

        for what, path in (("ledger", _ledger_path(ledger, p)), ("plan", resolve_plan_path(plan))):
            if output.resolve() == path.resolve():
                raise UsageError(f"-o {output} is the {what}; write the report to another file")
    bulletin = build_bulletin(p, _entries(p, ledger), month)
    if fmt == ReportFmt.xlsx:
        from .render.xlsx import bulletin_xlsx

        _write_output(output, bulletin_xlsx(bulletin, lang.value))
    else:
        if fmt == ReportFmt.json:
            from .render.bulletin import bulletin_json as render
        elif fmt == ReportFmt.markdown:
            from .render.bulletin import bulletin_markdown as render
        else:
            from .render.html import bulletin_html as render
        text = render(bulletin, lang.value)
        if output is None:
            emit(text)
            return
        _write_output(output, text.encode("utf-8"))
    print(f"wrote {output} ({fmt.value}, {bulletin.label}, as of {bulletin.as_of})")


def _import_line(row, plan) -> str:
    from .render.human import stored

    ind = plan.by_id[row.indicator]
    fig = row.figure
    shown = stored(ind.unit, value=fig.value, numerator=fig.numerator, denominator=fig.denominator, state=fig.state)
    return f"row {row.row}: {ind.id} {ind.name} = {shown} ({row.county or '全市'}, as of {row.as_of})"


@app.command("import")
@handled
def import_cmd(
    file: Annotated[Path, typer.Argument(help=".csv (UTF-8 or GB18030) or .xlsx with columns 指标/id, 数值/value, 截至日期/as_of, and optionally 县/county, 备注/note, 来源/source.", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and show what would be recorded; write nothing.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Import the file even though it was imported before.")] = False,
    by: Annotated[Optional[str], typer.Option("--by", help="Who records it (env EDUPLAN_USER, else $USER).", show_default=False)] = None,
    plan: PlanOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    """Record the figures in a spreadsheet, all or nothing; every wrong row is named as FILE:ROW."""
    from .importer import import_file

    ctx = _context(plan, ledger, by)
    result = import_file(ctx, file, dry_run=dry_run, force=force)
    skipped = f"; {result.skipped} row{'s' if result.skipped != 1 else ''} with an empty value skipped" if result.skipped else ""
    if not result.rows:
        print(f"{file}: no figures to import{skipped}; nothing was recorded")
        return
    if result.already:
        sys.stderr.write(f"eduplan: --force: {file} was imported before ({len(result.already)} entries); importing it again\n")
    if dry_run:
        for row in result.rows:
            print(_import_line(row, ctx.plan))
        print(f"would record {len(result.rows)} entr{'y' if len(result.rows) == 1 else 'ies'} from {file}{skipped}; "
              "nothing was written (--dry-run)")
        return
    ids = [e.id for e in result.entries]
    span = f"#{ids[0]}" if len(ids) == 1 else f"#{ids[0]}–#{ids[-1]}"
    print(f"imported {len(ids)} entr{'y' if len(ids) == 1 else 'ies'} ({span}) from {file}, batch {result.batch[:12]}{skipped}")


@app.command()
@handled
def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write: .xlsx or .csv.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file (it may be a filled-in sheet).")] = False,
    fmt: Annotated[Optional[SheetFmt], typer.Option("--format", "-f", help="xlsx or csv (default: from the -o suffix).", show_default=False)] = None,
    county: CountyOpt = None,
    lang: LangOpt = Lang.zh,
    plan: PlanOpt = None,
) -> None:
    """A sheet to fill in: one row per indicator, empty value and date columns; `eduplan import` reads it back."""
    from .errors import UsageError

    from .errors import EduplanError

    if output.exists() and not force:
        raise EduplanError(f"{output} exists and may hold figures staff filled in; choose another name or add --force")
    suffix = output.suffix.lower()
    if fmt is None:
        if suffix not in (".xlsx", ".csv"):
            raise UsageError(f"{output}: name the file .xlsx or .csv, or give --format")
        fmt = SheetFmt(suffix[1:])
    elif suffix in (".xlsx", ".csv") and suffix != f".{fmt.value}":
        raise UsageError(f"--format {fmt.value} does not go with {output}: `eduplan import` reads a file by its suffix")
    p = _plan(plan)
    county_name = _county(p, county)
    if fmt == SheetFmt.xlsx:
        from .render.xlsx import template_xlsx

        data = template_xlsx(p, county_name, lang.value)
    else:
        from .render.text import to_csv
        from .render.xlsx import TEMPLATE_COLUMNS, template_rows

        columns = TEMPLATE_COLUMNS[lang.value]
        data = to_csv([dict(zip(columns, r)) for r in template_rows(p, county_name, lang.value)], columns).encode("utf-8")
    _write_output(output, data)
    from .render.xlsx import template_indicators

    count = len(template_indicators(p, county_name))
    print(f"wrote {output}: {count} indicators{' for ' + county_name + ' (city-wide milestones left out)' if county_name else ''}; "
          f"fill in the value and date columns, then: eduplan import {output} --dry-run")


def main() -> None:  # the console script
    _only_the_command_asked_for(sys.argv[1:])
    app()


def _only_the_command_asked_for(argv: list[str]) -> None:
    """Build only the command being run: typer otherwise builds every command's options
    on each start. ``eduplan``, ``eduplan --help`` and unknown names keep them all."""
    if not argv or argv[0].startswith("-"):
        return
    wanted = [c for c in app.registered_commands if (c.name or c.callback.__name__.replace("_", "-")) == argv[0]]
    if wanted:
        app.registered_commands[:] = wanted


if __name__ == "__main__":  # pragma: no cover
    main()
