"""The command line: parse, call one function of the library, hand the result to one render
dispatch. The only module that imports typer.

Every command body is the same three steps inside :class:`Session`, the one error
boundary: an :class:`~eduplan.errors.EduplanError` (or a usage error from the parser)
becomes one message on stderr in the reader's language and an exit code — 1 bad data,
2 bad command line, 3 ``--fail-on`` matched — and never a traceback. Help texts are
English msgids translated when the command line is built (:func:`build`).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import i18n
from .i18n import N_, msg
from .render import Options, formats

app = typer.Typer(name="eduplan", no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  pretty_exceptions_enable=False, context_settings={"help_option_names": ["-h", "--help"]})
HELP = N_("Track a government work plan: record figures, see completion against target and time (序时进度).")


def _choices(name: str, values) -> type[Enum]:
    return Enum(name, {v: v for v in values}, type=str)


PlanFmt, StatusFmt, ShowFmt, LogFmt = (_choices(n, formats(k)) for n, k in (
    ("PlanFormat", "PlanDoc"), ("StatusFormat", "StatusReport"), ("ShowFormat", "ShowDoc"), ("LogFormat", "LogDoc")))
ReportFmt, SheetFmt = _choices("ReportFormat", formats("Bulletin")), _choices("SheetFormat", formats("TemplateDoc"))
CoverageFmt = _choices("CoverageFormat", formats("CoverageDoc"))
Lang = _choices("Lang", i18n.LANGS)
StatusName = _choices("StatusName", ("done", "on_track", "lagging", "behind", "not_judged", "no_data"))
FailOn = _choices("FailOn", ("lagging", "behind"))

PlanOpt = Annotated[Optional[Path], typer.Option("--plan", help=N_("Plan file (env EDUPLAN_PLAN; default: the bundled 2023 plan)."), show_default=False)]
LedgerOpt = Annotated[Optional[Path], typer.Option("--ledger", help=N_("Ledger file (env EDUPLAN_LEDGER; default: ~/.local/share/eduplan/PLAN-ID.ledger.toml)."), show_default=False)]
LangOpt = Annotated[Optional[Lang], typer.Option("--lang", help=N_("Language: zh or en (env EDUPLAN_LANG, else the locale, else the plan's)."), show_default=False)]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help=N_("Date: 2023-06-30, 2023年6月30日, 6月底 … (default: today, within the plan period)."), show_default=False)]
CountyOpt = Annotated[Optional[str], typer.Option("--county", help=N_("A county-level unit (椒江区 or 椒江), or 全市 for the city-wide figure."), show_default=False)]
ByOpt = Annotated[Optional[str], typer.Option("--by", help=N_("Who records it (env EDUPLAN_USER, else $USER)."), show_default=False)]
NoteOpt = Annotated[Optional[str], typer.Option("--note", help=N_("A remark kept with the figure."), show_default=False)]
SourceOpt = Annotated[Optional[str], typer.Option("--source", help=N_("The document or notice the figure came from."), show_default=False)]
FLAGS = {"as_of": "--as-of", "county": "--county", "value": "VALUE", "add": "--add", "note": "--note", "source": "--source",
         "by": "--by", "reason": "--reason", "section": "--section", "month": "--month", "output": "-o",
         "indicator": "INDICATOR", "entry": "ENTRY", "since": "--since", "status": "--status", "format": "--format",
         "file": "FILE", "by_county": "--by-county", "lead": "--lead"}


class Session:
    """One command's run: the workspace, the language, the output, and the error boundary."""

    def __init__(self, lang: Enum | None = None, plan: Path | None = None, ledger: Path | None = None,
                 by: str | None = None):
        from .services import Workspace

        self.explicit = lang.value if lang is not None else None
        self.ws = Workspace(plan, ledger, by)

    @property
    def lang(self) -> str:
        plan = self.ws.__dict__.get("plan")
        return i18n.language(self.explicit, plan.plan.lang if plan is not None else _plan_lang_quietly(self.ws))

    def __enter__(self) -> Session:
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        from .errors import EduplanError

        if isinstance(exc, EduplanError):
            label = FLAGS.get(exc.field or "", exc.field)
            fail(exc.render(self.lang, label), exc.exit_code)
        if isinstance(exc, KeyboardInterrupt):
            fail(msg("interrupted").render(self.lang), 130)
        return False

    def show(self, doc: object, fmt: str | Enum = "text") -> None:
        from .render import render

        out = render(doc, getattr(fmt, "value", fmt), self.lang, options())
        emit(out, self.lang)

    def write(self, doc: object, fmt: str, output: Path, *, kind: str, overwrite: bool = True, **detail) -> None:
        """Render ``doc`` and save it to ``output`` whole (never over the ledger or the plan)."""
        from .render import render
        from .services import save

        out = render(doc, fmt, self.lang, Options(pretty=False))  # a file is read by programs, like a pipe
        data = out if isinstance(out, bytes) else "".join([out] if isinstance(out, str) else out).encode("utf-8")
        self.show(save(self.ws, output, data, kind=kind, fmt=fmt, overwrite=overwrite, detail=detail))


def _plan_lang_quietly(ws) -> str | None:
    try:
        return ws.plan.plan.lang
    except Exception:  # the plan does not load: its error is reported on its own
        return None


def options() -> Options:
    tty = _stdout_is_tty()
    width = int(os.environ.get("COLUMNS", 0) or 0) or (os.get_terminal_size().columns if tty else 100)
    colour = (tty or bool(os.environ.get("FORCE_COLOR"))) and not os.environ.get("NO_COLOR") \
        and os.environ.get("TERM") != "dumb"
    return Options(width=width, color=colour, pretty=tty)


def _stdout_is_tty() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (ValueError, OSError):
        return False


def emit(out, lang: str) -> None:
    """Write text (or its pieces, or bytes) to stdout as UTF-8; a closed or full output is one message."""
    pieces = [out] if isinstance(out, (str, bytes)) else out
    try:
        stream = sys.stdout.buffer if sys.stdout is not None else None
        if stream is None:
            raise OSError(9, "closed")
        sys.stdout.flush()
        for piece in pieces:
            stream.write(piece if isinstance(piece, bytes) else piece.encode("utf-8", "replace"))
        stream.flush()
    except BrokenPipeError:
        with contextlib.suppress(OSError):
            sys.stdout = None  # type: ignore[assignment]  # the reader went away: nothing more to say
        raise typer.Exit(0) from None
    except (OSError, ValueError) as exc:
        from .errors import reason

        why = reason(exc) if isinstance(exc, OSError) else msg("the output is closed")
        fail(msg("cannot write to standard output: {reason}", reason=why).render(lang), 1)


def fail(text: str, code: int) -> None:
    with contextlib.suppress(Exception):
        sys.stderr.write(f"eduplan: {text}\n" if "\n" not in text else f"{text}\n")
        sys.stderr.flush()
    raise typer.Exit(code)


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


@app.command(help=N_("Remove an incomplete end of the ledger left by a crashed write (a copy is kept beside it)."))
def repair(lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import repair as fix

    with Session(lang, plan, ledger) as s:
        s.show(fix(s.ws))


# --------------------------------------------------------------------------- record, correct, void, import


@app.command(help=N_("Record a figure: for an accumulating indicator, the cumulative total to date."))
def record(indicator: Annotated[str, typer.Argument(help=N_("Indicator id or exact name (see `eduplan plan`)."))],
           value: Annotated[Optional[str], typer.Argument(help=N_("12, 1,234, 3.5万, 90亿元, 56%, 12000/21000, 完成/进行中 …"), show_default=False)] = None,
           as_of: AsOfOpt = None, county: CountyOpt = None,
           add: Annotated[Optional[str], typer.Option("--add", help=N_("Record the latest total plus N (accumulating indicators)."), show_default=False)] = None,
           note: NoteOpt = None, source: SourceOpt = None, by: ByOpt = None, lang: LangOpt = None,
           plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import record as do

    with Session(lang, plan, ledger, by) as s:
        s.show(do(s.ws, indicator, value, as_of=as_of, county=county, add=add, note=note, source=source))


@app.command(help=N_("Record the baseline value a target is stated against (below it, N more than it …), dated on the plan's baseline date."))
def baseline(indicator: Annotated[str, typer.Argument(help=N_("Indicator id or exact name (one with a baseline in the plan)."))],
             value: Annotated[str, typer.Argument(help=N_("The baseline value: 12, 3.5万, 56% …"))],
             source: Annotated[Optional[str], typer.Option("--source", help=N_("Where the value comes from (default: the plan's baseline source)."), show_default=False)] = None,
             note: NoteOpt = None, by: ByOpt = None, lang: LangOpt = None, plan: PlanOpt = None,
             ledger: LedgerOpt = None) -> None:
    from .services import record_baseline

    with Session(lang, plan, ledger, by) as s:
        s.show(record_baseline(s.ws, indicator, value, source=source, note=note))


ReasonOpt = Annotated[str, typer.Option("--reason", help=N_("Why (required)."))]


@app.command(help=N_("Correct an entry: a new entry supersedes it; the old one stays in the history."))
def correct(entry: Annotated[str, typer.Argument(help=N_("The entry to correct: 12 or #12 (see `eduplan log`)."))],
            value: Annotated[str, typer.Argument(help=N_("The corrected figure."))], reason: ReasonOpt,
            as_of: AsOfOpt = None, note: NoteOpt = None, source: SourceOpt = None, by: ByOpt = None,
            lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import correct as do

    with Session(lang, plan, ledger, by) as s:
        s.show(do(s.ws, entry, value, reason=reason, as_of=as_of, note=note, source=source))


@app.command("void", help=N_("Withdraw an entry: its figure no longer counts; it stays in the history."))
def void_cmd(entry: Annotated[str, typer.Argument(help=N_("The entry to withdraw: 12 or #12."))], reason: ReasonOpt,
             by: ByOpt = None, lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import void as do

    with Session(lang, plan, ledger, by) as s:
        s.show(do(s.ws, entry, reason=reason))


@app.command("import", help=N_("Record the figures of a filled-in sheet (.csv or .xlsx), all or nothing; every wrong row is named as FILE:ROW."))
def import_cmd(file: Annotated[Path, typer.Argument(help=N_("The sheet: .csv (UTF-8, UTF-16 or GB18030) or .xlsx."), show_default=False)],
               dry_run: Annotated[bool, typer.Option("--dry-run", help=N_("Check every row and show what would be recorded; write nothing."))] = False,
               force: Annotated[bool, typer.Option("--force", help=N_("Import the file even though it was imported before."))] = False,
               by: ByOpt = None, lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .services import import_file

    with Session(lang, plan, ledger, by) as s:
        s.show(import_file(s.ws, file, dry_run=dry_run, force=force))


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
           section: Annotated[Optional[str], typer.Option("--section", help=N_("Only this section: 实事一, 行动三, 党建为纲, matter-1 …"), show_default=False)] = None,
           county: CountyOpt = None,
           lead: Annotated[Optional[str], typer.Option("--lead", help=N_("Only the indicators this lead unit (牵头单位) is responsible for."), show_default=False)] = None,
           by_county: Annotated[bool, typer.Option("--by-county", help=N_("Indicators × county-level units."))] = False,
           status_filter: Annotated[Optional[list[StatusName]], typer.Option("--status", help=N_("Only indicators with this status (repeatable)."), show_default=False)] = None,
           fmt: Annotated[StatusFmt, typer.Option("--format", "-f", help=N_("Output format."))] = "table",
           fail_on: Annotated[Optional[FailOn], typer.Option("--fail-on", help=N_("Exit 3 if any shown indicator is at or below this status."), show_default=False)] = None,
           lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .core.progress import Status
    from .services import status as judge

    with Session(lang, plan, ledger) as s:
        report = judge(s.ws, as_of=as_of, section=section, county=county, by_county=by_county,
                       statuses=[x.value for x in status_filter or ()], lead=lead)
        s.show(report, fmt)
        if report.fails(Status(fail_on.value) if fail_on else None):
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


# --------------------------------------------------------------------------- report, template

OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help=N_("Write to this file (default: standard output)."), show_default=False)]


def _by_suffix(output: Path | None, choices: type[Enum]) -> str | None:
    suffix = {".md": "markdown", ".markdown": "markdown", ".htm": "html"}.get(output.suffix.lower(), output.suffix.lower()[1:]) if output else None
    return suffix if suffix in choices.__members__ else None


@app.command(help=N_("The monthly bulletin (月度通报): status at the month end, change over the month, what lags, what came in."))
def report(month: Annotated[str, typer.Option("--month", help=N_("The month: 2023-06, 2023年6月 or 6月; the bulletin is as of its last day."))],
           fmt: Annotated[Optional[ReportFmt], typer.Option("--format", "-f", help=N_("Output format (default: from the -o suffix, else markdown)."), show_default=False)] = None,
           output: OutputOpt = None, lang: LangOpt = None, plan: PlanOpt = None, ledger: LedgerOpt = None) -> None:
    from .errors import UsageError
    from .services import bulletin

    with Session(lang, plan, ledger) as s:
        kind = fmt.value if fmt else (_by_suffix(output, ReportFmt) or "markdown")
        if kind == "xlsx" and output is None:
            raise UsageError(msg("a workbook is written to a file: give -o FILE.xlsx"), field="output")
        doc = bulletin(s.ws, month)
        if output is None:
            return s.show(doc, kind)
        s.write(doc, kind, output, kind="report", month=doc.label, as_of=str(doc.as_of))


@app.command(help=N_("A sheet to fill in, one row per indicator; `eduplan import` reads it back."))
def template(output: Annotated[Path, typer.Option("--output", "-o", help=N_("The file to write: .xlsx or .csv."), show_default=False)],
             force: Annotated[bool, typer.Option("--force", help=N_("Overwrite an existing file (it may be a filled-in sheet)."))] = False,
             fmt: Annotated[Optional[SheetFmt], typer.Option("--format", "-f", help=N_("xlsx or csv (default: from the -o suffix)."), show_default=False)] = None,
             county: CountyOpt = None, lang: LangOpt = None, plan: PlanOpt = None) -> None:
    from .errors import UsageError
    from .services import template as sheet

    with Session(lang, plan) as s:
        by_name = _by_suffix(output, SheetFmt)
        kind = fmt.value if fmt else by_name
        if kind is None or (by_name and by_name != kind):
            raise UsageError(msg("name the file .xlsx or .csv (import reads a file by its suffix)"), field="output")
        doc = sheet(s.ws, county=county, fmt=kind)
        s.write(doc, kind, output, kind="template", overwrite=force, count=len(doc.indicators), county=doc.county)


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

CLICK_WORDS = (  # the parser's own words, translated in help and usage errors
    (r"^Usage: ", N_("Usage: ")), (r"^Options:$", N_("Options:")), (r"^Arguments:$", N_("Arguments:")),
    (r"^Commands:$", N_("Commands:")), (r"Show this message and exit\.", N_("Show this message and exit.")),
    (r"\[default: ", N_("[default: ")), (r"\[required\]", N_("[required]")),
)


def build(lang: str, argv: list[str]):
    """The click command for this run, its help texts in ``lang``, only the command asked for built."""
    import typer.main

    wanted = [c for c in app.registered_commands if (c.name or c.callback.__name__) == (argv[0] if argv else None)]
    saved = list(app.registered_commands)
    if wanted:
        app.registered_commands[:] = wanted  # typer builds every command's options otherwise
    try:
        group = typer.main.get_command(app)
    finally:
        app.registered_commands[:] = saved
    class Context(group.context_class):  # type: ignore[misc, valid-type]
        def get_help(self) -> str:
            return translate_help(super().get_help(), lang)

    for cmd in [group, *getattr(group, "commands", {}).values()]:
        cmd.context_class = Context
        cmd.help = i18n.tr(cmd.help, lang) if cmd.help else cmd.help
        cmd.short_help = None
        for param in cmd.params:
            if getattr(param, "help", None):
                param.help = i18n.tr(param.help, lang)
    return group


def translate_help(text: str, lang: str) -> str:
    lines = []
    for line in text.split("\n"):
        for pattern, word in CLICK_WORDS:
            line = re.sub(pattern, lambda m, w=word: i18n.tr(w, lang), line)
        lines.append(line)
    return "\n".join(lines)


def _click_exceptions():
    """The exceptions of the click typer uses (its own copy since typer 0.26, else click)."""
    import typer.main

    return (getattr(typer.main, "_click", None) or typer.main.click).exceptions


def usage_message(exc, lang: str) -> str:
    """A parser error in the reader's language."""
    ce = _click_exceptions()

    if isinstance(exc, ce.NoSuchOption):
        text = msg("no such option: {name}", name=exc.option_name)
        if exc.possibilities:
            text = msg("{error}; did you mean {choices}?", error=text, choices=list(exc.possibilities))
    elif isinstance(exc, ce.MissingParameter):
        name = ((exc.param.opts[0] if exc.param.param_type_name == "option" else (exc.param.name or "").upper())
                if exc.param else "")
        text = msg("{name} is missing", name=name)
    elif isinstance(exc, ce.BadParameter):
        hint = (exc.param.opts[0] if getattr(exc.param, "opts", None) and exc.param.param_type_name == "option"
                else (exc.param.name or "").upper()) if exc.param else ""
        m = re.match(r"'(?P<value>.*)' is not one of (?P<choices>.*)\.$", exc.message)
        detail = msg("'{value}' is not one of {choices}", value=m["value"], choices=m["choices"].replace("'", "")) if m \
            else msg("{detail}", detail=exc.message)
        text = msg("invalid value for {param}: {detail}", param=hint, detail=detail)
    else:
        m = re.match(r"Got unexpected extra arguments? \((?P<args>.*)\)", exc.message)
        m2 = re.match(r"Option '(?P<name>.*)' requires an argument\.", exc.message)
        if exc.message == "Missing command.":
            text = msg("a command is missing; `eduplan --help` lists them")
        elif m:
            text = msg("unexpected extra argument(s): {args}", args=m["args"])
        elif m2:
            text = msg("{name} needs a value", name=m2["name"])
        else:
            text = msg("{detail}", detail=exc.message)
    command = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "eduplan"
    return (text.render(lang) + "\n" + msg("Try '{command} --help' for help.", command=command).render(lang))


def _early_lang(argv: list[str]) -> str:
    """The language before anything is parsed: --lang, env, locale, else the plan's (for help)."""
    explicit = None
    for k, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and k + 1 < len(argv):
            explicit = argv[k + 1]
        elif arg.startswith("--lang="):
            explicit = arg.split("=", 1)[1]
    if explicit not in i18n.LANGS:
        explicit = None
    chosen = i18n.choose(explicit)
    if chosen:
        return chosen
    plan = None
    for k, arg in enumerate(argv):
        if arg == "--plan" and k + 1 < len(argv):
            plan = argv[k + 1]
        elif arg.startswith("--plan="):
            plan = arg.split("=", 1)[1]
    from .services import Workspace

    return i18n.language(None, _plan_lang_quietly(Workspace(plan)))


def main(argv: list[str] | None = None) -> int:
    """The console script. Returns the exit code (tests call it in-process)."""
    ce = _click_exceptions()

    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _early_lang(argv)
    command = build(lang, argv)
    try:
        code = command.main(argv, prog_name="eduplan", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except ce.NoArgsIsHelpError as exc:
        with contextlib.suppress(Exception):
            sys.stdout.write(exc.ctx.get_help() + "\n")
        return 2
    except ce.UsageError as exc:
        with contextlib.suppress(Exception):
            sys.stderr.write(f"eduplan: {usage_message(exc, lang)}\n")
        return 2
    except getattr(ce, "Abort", KeyboardInterrupt):
        return 130
    except ce.ClickException as exc:
        with contextlib.suppress(Exception):
            sys.stderr.write(f"eduplan: {exc.message}\n")
        return exc.exit_code
    except OSError as exc:  # one place where an unexpected OSError becomes a message with its path
        from .errors import os_error

        text = os_error(exc.filename or "eduplan", exc, N_("working with the file")).render(lang)
    except MemoryError:
        text = msg("not enough memory to finish; nothing was changed").render(lang)
    except __import__("sqlite3").DatabaseError:
        from .store.ledger import discard_indexes

        discard_indexes()
        text = msg("the ledger's index (a cache) was damaged and has been removed; run the command again (the ledger "
                   "itself is untouched)").render(lang)
    except Exception as exc:  # a bug: one line, and the details only when asked for
        if os.environ.get("EDUPLAN_DEBUG"):
            raise
        text = msg("internal error ({kind}: {detail}); nothing was changed. Please report it (EDUPLAN_DEBUG=1 shows "
                   "where it happened)", kind=type(exc).__name__, detail=str(exc)[:200]).render(lang)
    with contextlib.suppress(Exception):
        sys.stderr.write(f"eduplan: {text}\n")
    return 1


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
