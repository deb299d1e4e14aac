"""How a command runs in a terminal: the one error boundary, output to stdout, the reader's
language for help and parser errors. The command table itself is :mod:`eduplan.cli`.

Every command runs inside :class:`Session`: an :class:`~eduplan.errors.EduplanError` becomes one
message on stderr in the reader's language (its ``field`` shown as the flag that gave it) and an
exit code — 1 bad data, 2 bad command line, 3 ``--fail-on`` matched — and never a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
from enum import Enum
from pathlib import Path

import typer

from . import i18n
from .errors import ARGUMENTS
from .i18n import N_, msg
from .render import Options

FLAGS = {"as_of": "--as-of", "county": "--county", "add": "--add", "note": "--note", "source": "--source",
         "by": "--by", "reason": "--reason", "section": "--section", "month": "--month", "output": "-o",
         "since": "--since", "status": "--status", "format": "--format", "by_county": "--by-county",
         "office": "--office", "ledger": "--ledger", "plan": "--plan", "lead": "--lead", "rule": "--rule",
         "fail_on": "--fail-on", "force": "--force", "accept": "--accept-warnings", "for_city": "--for-city"}


class Session:
    """One command's run: the workspace, the language, the output, and the error boundary."""

    def __init__(self, lang: Enum | None = None, plan: Path | None = None, ledger: Path | None = None,
                 by: str | None = None, office: str | None = None):
        from .services import Workspace

        self.explicit = lang.value if lang is not None else None
        self.ws = Workspace(plan, ledger, by, office_option=office)
        early = _EARLY.get("ws")
        if early is not None and "_plan" in early.__dict__:
            with contextlib.suppress(Exception):  # a path that does not resolve: the command says so itself
                if early.plan_path == self.ws.plan_path:
                    self.ws.__dict__["_plan"] = early.plan  # loaded once per run: _early_lang read it for the language

    @property
    def lang(self) -> str:
        plan = self.ws.__dict__.get("_plan")
        return i18n.language(self.explicit, plan.plan.lang if plan is not None else _plan_lang_quietly(self.ws))

    def __enter__(self) -> Session:
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        from .errors import EduplanError

        if isinstance(exc, EduplanError):
            fail(exc.render(self.lang, FLAGS.get(exc.field or "")), exc.exit_code)  # (an argument: its own label)
        if isinstance(exc, KeyboardInterrupt):
            fail(msg("interrupted").render(self.lang), 130)
        return False

    def show(self, doc: object, fmt: str | Enum = "text") -> None:
        from .render import render

        out = render(doc, getattr(fmt, "value", fmt), self.lang, options())
        # a confirmation of a change already made: failing to print it does not undo it (exit 0, said on stderr),
        # so a script that retries does not record the figure twice
        done = type(doc).__name__ in ("Stored", "Written", "RepairDoc", "SplitDoc") or (
            type(doc).__name__ == "ImportSummary" and not doc.dry_run and doc.written)
        emit(out, self.lang, done=done)

    def show_made(self, make, fmt: str | Enum) -> None:
        """Show what ``make(shown, **how)`` returns, where ``shown`` renders a document in ``fmt``
        for this reader and terminal and ``how`` names those choices, so that the library may
        keep what it showed (:func:`eduplan.services.reading.bulletin_shown`)."""
        import dataclasses

        from .render import render

        fmt, opts, lang = getattr(fmt, "value", fmt), options(), self.lang
        emit(make(lambda doc: render(doc, fmt, lang, opts), format=fmt, lang=lang,
                  options=list(dataclasses.astuple(opts))), lang)  # (every field: one added is not forgotten)

    def write(self, doc: object, fmt: str, output: str, *, kind: str, overwrite: bool = True, **detail) -> None:
        """Render ``doc`` and save it to ``output`` whole (never over the ledger or the plan)."""
        from .errors import UsageError
        from .render import render
        from .services import save

        if not output:
            raise UsageError(msg("the file name is empty"), field="output")
        try:
            out = render(doc, fmt, self.lang, Options(pretty=False))  # a file is read by programs, like a pipe
        except OSError as exc:  # a workbook is made in temporary files first (a full disk, a size limit)
            from .errors import os_error

            raise os_error(output, exc, N_("making the file")) from None
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


def emit(out, lang: str, *, done: bool = False) -> None:
    """Write text (or its pieces, or bytes) to stdout as UTF-8; a closed or full output is one message.
    A piece that fails to be made (a streamed history reading a damaged index) is that failure, said
    as itself once what came before it is written, not as an output that cannot be written."""
    pieces = iter([out] if isinstance(out, (str, bytes)) else out)
    failed: Exception | None = None
    try:
        stream = sys.stdout.buffer if sys.stdout is not None else None
        if stream is None:
            raise OSError(9, "closed")
        sys.stdout.flush()
        while True:
            try:
                piece = next(pieces)
            except StopIteration:
                break
            except Exception as exc:  # (making the piece, not writing it)
                failed = exc
                break
            _OUTPUT["written"] = True
            stream.write(piece if isinstance(piece, bytes) else piece.encode("utf-8", "replace"))
        stream.flush()
    except BrokenPipeError:
        with contextlib.suppress(OSError):
            sys.stdout = None  # type: ignore[assignment]  # the reader went away: nothing more to say
        raise typer.Exit(0) from None
    except (OSError, ValueError) as exc:
        _unwritable(exc, lang, done)
        return
    if failed is not None:
        raise failed


def _unwritable(exc: OSError | ValueError, lang: str, done: bool) -> None:
    """Standard output cannot be written (closed, full …): one message; for a confirmation of what
    was done, said on stderr with exit 0 (a retrying script must not do it twice)."""
    from .errors import reason

    _silence_stdout()
    why = reason(exc) if isinstance(exc, OSError) else msg("the output is closed")
    if done:
        with contextlib.suppress(Exception):
            sys.stderr.write("eduplan: " + msg("done, but the confirmation could not be written to standard "
                                               "output ({reason})", reason=why).render(lang) + "\n")
        return
    fail(msg("cannot write to standard output: {reason}", reason=why).render(lang), 1)


def _silence_stdout() -> None:
    """Point stdout at the null device, so that what is left in its buffer cannot fail again at exit."""
    with contextlib.suppress(Exception):
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)


def fail(text: str, code: int) -> None:
    text = shown(text)
    with contextlib.suppress(Exception):
        sys.stderr.write(f"eduplan: {text}\n" if "\n" not in text else f"{text}\n")
        sys.stderr.flush()
    raise typer.Exit(code)


def shown(text: str) -> str:
    """An error as it is printed: whatever it repeats of what was typed or read (a zero-width space, an
    escape sequence) shown as a visible escape, never sent to the terminal as it is; its lines kept."""
    from .core.text import visible

    return visible(text, keep="\n")


CLICK_WORDS = (  # the parser's own words, translated in help and usage errors
    (r"^Usage: ", N_("Usage: ")), (r"^Options:$", N_("Options:")), (r"^Arguments:$", N_("Arguments:")),
    (r"^Commands:$", N_("Commands:")), (r"Show this message and exit\.", N_("Show this message and exit.")),
    (r"\[default: ", N_("[default: ")), (r"\[required\]", N_("[required]")),
)
# the parser's placeholders: in the usage line, and an option's kind of value (a choice lists
# its values, typed as they are)
PLACEHOLDERS = {"[OPTIONS]": N_("[OPTIONS]"), "COMMAND [ARGS]...": N_("COMMAND [ARGS]..."), "<str>": N_("<str>"),
                "<path>": N_("<path>")}
_PLACEHOLDER = re.compile("|".join(re.escape(k) for k in PLACEHOLDERS))


def build(app: typer.Typer, lang: str, argv: list[str]):
    """The click command for this run, only the command asked for built, and the function that
    puts its help texts and placeholders in ``lang``. Only help and a usage error show them,
    and both call it first (:meth:`Context.get_help`, :func:`_main`): a command that runs does
    not load the language's catalog for them (a JSON status loads none: 20 M instructions)."""
    import typer.main

    wanted = [c for c in app.registered_commands if (c.name or c.callback.__name__) == (argv[0] if argv else None)]
    saved = list(app.registered_commands)
    if wanted:
        app.registered_commands[:] = wanted  # typer builds every command's options otherwise
    try:
        group = typer.main.get_command(app)
    finally:
        app.registered_commands[:] = saved
    commands = [group, *getattr(group, "commands", {}).values()]

    @functools.cache  # once a run
    def translate() -> None:
        for cmd in commands:
            cmd.help = i18n.tr(cmd.help, lang) if cmd.help else cmd.help
            cmd.short_help = first_sentence(cmd.help) if cmd.help else None  # whole, never cut to "…"
            if getattr(cmd, "options_metavar", None):
                cmd.options_metavar = i18n.tr(PLACEHOLDERS["[OPTIONS]"], lang)
            if getattr(cmd, "subcommand_metavar", None):
                cmd.subcommand_metavar = i18n.tr(PLACEHOLDERS["COMMAND [ARGS]..."], lang)
            for param in cmd.params:
                if getattr(param, "help", None):
                    param.help = i18n.tr(param.help, lang)
                if param.param_type_name == "argument" and param.name in ARGUMENTS:
                    param.metavar = i18n.tr(ARGUMENTS[param.name], lang)

    class Context(group.context_class):  # type: ignore[misc, valid-type]
        def get_help(self) -> str:
            translate()
            # laid out unwrapped, then wrapped by display width: a Chinese character takes two columns
            width = max(min(self.terminal_width or _columns(), self.max_content_width or 80) - 2, 50)
            saved = self.terminal_width, self.max_content_width
            self.terminal_width = self.max_content_width = 100_000
            try:
                return wrap_help(translate_help(super().get_help(), lang), width, cjk_breaks=lang == "zh")
            finally:  # asked twice (click builds the message of a bare `eduplan` from it first): the same width
                self.terminal_width, self.max_content_width = saved

    for cmd in commands:
        cmd.context_class = Context
        _our_parser(cmd)
    return group, translate


# a negative figure typed where a value goes (-5, -5亿, -.5, -3%): a value, which the library then refuses as
# negative (exit 1, the figure named) the way it refuses －5 and --add -5, never an unknown option "-5"
_NEGATIVE = re.compile(r"-\.?\d")


def _our_parser(cmd) -> None:
    """The command's option parser with two changes: a token that reads as a negative number is an
    argument, not an option (no option of eduplan is a digit); and a usage error the parser raises
    without its command (an option without its value) names the command, so that the message
    points at ``eduplan COMMAND --help``."""
    make = cmd.make_parser

    def make_parser(ctx):
        parser = make(ctx)
        parser.__class__ = _parser_class(type(parser))
        return parser

    cmd.make_parser = make_parser


@functools.cache
def _parser_class(base: type) -> type:
    ce = _click_exceptions()

    class Parser(base):  # type: ignore[misc, valid-type]
        def parse_args(self, args):
            try:
                return super().parse_args(args)
            except ce.UsageError as exc:
                if exc.ctx is None:
                    exc.ctx = self.ctx
                raise

        def _get_value_from_state(self, option_name, option, state):
            # `--add --as-of 6月底`: the value was forgotten, and the next option is not it
            following = state.rargs[0].split("=", 1)[0] if state.rargs else ""
            if option.nargs == 1 and (following in self._long_opt or following in self._short_opt):
                raise ce.BadOptionUsage(option_name, f"Option {option_name!r} requires an argument.")
            return super()._get_value_from_state(option_name, option, state)

        def _process_opts(self, arg, state):
            name = arg.split("=", 1)[0]
            if _NEGATIVE.match(arg) and name not in self._long_opt and name[:2] not in self._short_opt:
                state.largs.append(arg)
                return None
            return super()._process_opts(arg, state)

    return Parser


def _columns() -> int:
    import shutil

    return shutil.get_terminal_size().columns


def _cells(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)]}%")
_NO_LINE_END = set("（《「『“‘")  # opening marks stay with what they open
_ROW = re.compile(r"^( +)(\S+(?: \S+)*?)( {2,})(\S.*)$")


def _tokens(text: str, cjk_breaks: bool = True) -> list[str]:
    """Break points of a text: between words, and (in Chinese text) between two wide (CJK)
    characters; closing punctuation stays with what it closes. In English text a Chinese
    word (全市) is a word."""
    out: list[str] = []
    for part in re.findall(r"\s+|[^\s]", text):
        wide = _cells(part) == 2 and cjk_breaks
        if out and not part.isspace() and (part in _NO_LINE_START or out[-1][-1] in _NO_LINE_END
                                           or not (wide or (cjk_breaks and _cells(out[-1][-1]) == 2))) \
                and not out[-1].isspace():
            out[-1] += part
        else:
            out.append(part)
    return out


def wrap_help(text: str, width: int, *, cjk_breaks: bool = True) -> str:
    """Re-wrap help text laid out without wrapping to ``width`` display columns: paragraphs keep
    their indent, a two-column row (an option and its help) its hanging indent."""
    lines = []
    for line in text.split("\n"):
        if _cells(line) <= width:
            lines.append(line)
            continue
        m = _ROW.match(line)
        if m:
            first = m[1] + m[2] + m[3]
            hang, rest = " " * _cells(first), m[4]
            if _cells(first) > width // 2:  # a long first column: its help goes on the next lines
                lines.append(m[1] + m[2])
                first, hang = hang, " " * (len(m[1]) + 8)
                first = hang
        else:
            indent = len(line) - len(line.lstrip(" "))
            first = hang = " " * indent
            rest = line[indent:]
        current = first
        for token in _tokens(rest, cjk_breaks):
            if _cells(current) + _cells(token) > width and current.strip():
                lines.append(current.rstrip())
                current = hang
                if token.isspace():
                    continue
            current += token
        lines.append(current.rstrip())
    return "\n".join(lines)


def first_sentence(text: str) -> str:
    """The help's first sentence (to ``。`` or ``. ``), for the list of commands."""
    m = re.match(r"(.+?(?:。|\.(?=\s|$)))", text.strip(), re.S)
    return (m[1] if m else text.strip()).replace("\n", " ")


def translate_help(text: str, lang: str) -> str:
    lines = []
    for line in text.split("\n"):
        for pattern, word in CLICK_WORDS:
            line = re.sub(pattern, lambda m, w=word: i18n.tr(w, lang), line)
        lines.append(line)
    return "\n".join(_rows_translated(lines, lang))


def _rows_translated(lines: list[str], lang: str) -> list[str]:
    """Each option's kind of value (``<str>``) in ``lang``, and the two-column rows (an option or
    argument and its help) lined up by display width: the parser lines them up by characters,
    and a Chinese character takes two columns. A section whose first column is all ASCII stays
    exactly as the parser laid it out."""
    out = list(lines)

    def words(text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: i18n.tr(PLACEHOLDERS[m[0]], lang), text)

    start = 0
    while start < len(out):
        end = start
        while end < len(out) and out[end].startswith(" "):
            end += 1
        if start > 0 and out[start - 1].rstrip().endswith((":", "：")):  # under Options: 选项： …
            indents = {k: len(out[k]) - len(out[k].lstrip(" ")) for k in range(start, end)}
            base = min(indents.values(), default=0)  # a row's; deeper: the help of a long first column
            rows = {k: m for k in range(start, end) if indents[k] == base and (m := _ROW.match(out[k]))}
            column = len("".join(next(iter(rows.values())).group(1, 2, 3))) if rows else 0  # the parser's
            terms = {k: words(m[2]) for k, m in rows.items()}
            wanted = max([column] + [base + _cells(t) + 2 for t in terms.values()])
            for k in range(start, end):
                if k in rows:
                    out[k] = out[k][:base] + terms[k] + " " * (wanted - base - _cells(terms[k])) + rows[k][4]
                elif indents[k] == base:  # a first column too long for the row: alone on its line
                    out[k] = words(out[k])
                elif rows and indents[k] == column:
                    out[k] = " " * wanted + out[k].lstrip(" ")
        start = end + 1
    return out


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
        name = ((exc.param.opts[0] if exc.param.param_type_name == "option" else exc.param.human_readable_name)
                if exc.param else "")
        text = msg("{name} is missing", name=name)
    elif isinstance(exc, ce.BadParameter):
        hint = (exc.param.opts[0] if getattr(exc.param, "opts", None) and exc.param.param_type_name == "option"
                else exc.param.human_readable_name) if exc.param else ""
        m = re.match(r"'(?P<value>.*)' is not one of (?P<choices>.*)\.$", exc.message)
        detail = msg("'{value}' is not one of {choices}", value=m["value"], choices=m["choices"].replace("'", "")) if m \
            else msg("{detail}", detail=exc.message)
        text = msg("invalid value for {param}: {detail}", param=hint, detail=detail)
    else:
        text = _parser_words(exc.message)
    command = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "eduplan"
    return (text.render(lang) + "\n" + msg("Try '{command} --help' for help.", command=command).render(lang))


_PARSER_SAYS = (  # every other usage error the parser (typer's click) can raise, as it words it
    (r"Missing command\.", lambda m: msg("a command is missing; `eduplan --help` lists them")),
    (r"No such command (?P<name>'.*'|\".*\")\.(?: Did you mean (?P<choices>.*)\?)?",
     lambda m: _no_such_command(m["name"], m["choices"])),
    (r"Got unexpected extra arguments?(?:\(s\))? \((?P<args>.*)\)",
     lambda m: msg("unexpected extra argument(s): {args}", args=m["args"])),
    (r"Option (?P<name>'.*'|\".*\") requires (?:an argument|\d+ arguments)\.",
     lambda m: msg("{name} needs a value", name=_literal(m["name"]))),
    (r"Option (?P<name>'.*'|\".*\") does not take a value\.",
     lambda m: msg("{name} does not take a value", name=_literal(m["name"]))),
)


def _parser_words(message: str):
    """A usage error the parser raised as a plain sentence, in the reader's language."""
    for pattern, say in _PARSER_SAYS:
        m = re.fullmatch(pattern, message, re.S)
        if m:
            return say(m)
    return msg("{detail}", detail=message)  # a sentence this version of the parser added: shown as it is


def _literal(text: str) -> str:
    """A name the parser quoted with repr()."""
    import ast

    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


def _no_such_command(name: str, choices: str | None):
    text = msg("no such command: {name}", name=_literal(name))
    if choices:
        import ast

        try:
            names = [str(c) for c in ast.literal_eval(f"[{choices}]")]
        except (ValueError, SyntaxError):
            names = [choices]
        text = msg("{error}; did you mean {choices}?", error=text, choices=names)
    return text


def _early_lang(argv: list[str]) -> str:
    """The language before anything is parsed: --lang, env, locale, else the plan's (for help).
    The plan is read here in any case (quietly: a plan that does not load is the command's to
    report), so that help and usage errors speak of its whole and units in its words (全县)."""
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
    plan = None
    for k, arg in enumerate(argv):
        if arg == "--plan" and k + 1 < len(argv):
            plan = argv[k + 1]
        elif arg.startswith("--plan="):
            plan = arg.split("=", 1)[1]
    from .services import Workspace

    ws = _EARLY["ws"] = Workspace(plan)
    return i18n.language(explicit, _plan_lang_quietly(ws))


def main(app: typer.Typer, argv: list[str] | None = None) -> int:
    """The console script. Returns the exit code (tests call it in-process)."""
    ce = _click_exceptions()

    argv = list(sys.argv[1:] if argv is None else argv)
    i18n.use_flags(FLAGS)  # an input named in a message is named as its option (--force), for this run
    try:
        return _main(app, argv, ce)
    finally:
        _EARLY.clear()  # a run's plan is not the next run's (tests run many in one process)
        i18n.use_terms(i18n.DEFAULT_TERMS)  # nor its words
        i18n.use_flags(None)


_EARLY: dict = {}  # this run's workspace as _early_lang made it, to load the plan once


def _invoke(command, argv: list[str]):
    """Run the command. The ledger's index is a cache: if it fails the command before anything
    was written to standard output (a damaged page found by a query, an index locked or
    unwritable for too long), the command runs again on a new index (a damaged one is removed
    first, twice at most; then, or for any other failure, on an index in memory)."""
    import sqlite3

    from .store.index import damaged
    from .store.ledger import discard_indexes, memory_index

    for attempt in range(2):  # (commands side by side may each find, and remove, the same damaged index)
        try:
            return command.main(argv, prog_name="eduplan", standalone_mode=False)
        except sqlite3.DatabaseError as exc:
            if _OUTPUT["written"]:  # (a streamed history goes on by itself: LedgerView.streamed_history)
                raise
            if not damaged(exc):
                break
            discard_indexes()
        except (KeyError, ValueError, TypeError, IndexError, AttributeError):
            # what no ledger makes, in a command that only reads: the index said something the ledger does not
            # (a value altered in it: an indicator id no plan has). It is read again from the ledger itself, in
            # memory; if that answers, the stored index is removed (the next command builds it again); if not,
            # the failure is the command's own, and is said as one
            if _OUTPUT["written"] or _command_of(argv) not in READING:
                raise
            with memory_index():
                result = command.main(argv, prog_name="eduplan", standalone_mode=False)
            discard_indexes()
            return result
    with memory_index():  # last, an index of this command's own, that no other can touch
        return command.main(argv, prog_name="eduplan", standalone_mode=False)


# the commands that only read the ledger (a failure on its index may be read again from the ledger itself)
READING = frozenset({"status", "show", "log", "report", "check", "validate", "index", "coverage", "plan"})


def _command_of(argv: list[str]) -> str | None:
    return argv[0] if argv else None  # (the command stands first, as build and given_twice read it)


_OUTPUT = {"written": False}  # has this run written to standard output?


def given_twice(group, argv: list[str]):
    """An option taking one value given twice with two values (--as-of 6月底 --as-of 7月底, a line
    edited from the shell's history): click takes the last, silently, and the figure would be
    recorded for the wrong day or unit. The message saying so, else None (the same value twice is
    the same request)."""
    command = getattr(group, "commands", {}).get(argv[0]) if argv else None
    if command is None:
        return None
    single = {}
    for param in command.params:  # (click's options, as typer carries them: no import of click itself)
        if (getattr(param, "param_type_name", "") == "option" and not param.multiple and not param.is_flag
                and not getattr(param, "count", False)):
            for name in param.opts:
                single[name] = param
    seen: dict[str, list[str]] = {}
    k = 1
    while k < len(argv) and argv[k] != "--":
        arg = argv[k]
        name, _, value = arg.partition("=") if arg.startswith("--") and "=" in arg else (arg, "", None)
        if name in single and value is None and k + 1 < len(argv):
            value = argv[k + 1]
            k += 1
        if name in single and value is not None:
            seen.setdefault(single[name].opts[0], []).append(value)
        k += 1
    for flag, values in seen.items():
        if len(set(values)) > 1:
            return msg("{flag} is given more than once ({values}): give it once", flag=flag, values=values)
    return None


_WIDE_DASHES = re.compile(r"^[\u2010-\u2015\u2212\u2500\u2501\uFE58\uFE63\uFF0D]+(?=[A-Za-z])")


def wide_dash(group, argv: list[str]):
    """An option typed with a Chinese input method's dashes (——county, －－as-of, —force): click
    took it for a stray argument (多余的参数), which does not say why. The message naming the
    option as it is written, else None."""
    command = getattr(group, "commands", {}).get(argv[0]) if argv else None
    names = {name for param in getattr(command, "params", ()) for name in getattr(param, "opts", ())} | {"--help"}
    for arg in argv[1:]:
        if arg == "--":
            break
        dashes = _WIDE_DASHES.match(arg)
        if dashes is None:
            continue
        name = arg[dashes.end():].partition("=")[0]
        option = next((o for o in (f"--{name}", f"-{name}") if o in names), None)
        if option is not None:
            return msg("'{typed}': an option is written with two half-width hyphens, {option} (a Chinese input "
                       "method types them as —— or －－)", typed=arg, option=option)
    return None


def _main(app: typer.Typer, argv: list[str], ce) -> int:
    lang = _early_lang(argv)
    command, translate = build(app, lang, argv)
    _OUTPUT["written"] = False
    twice = given_twice(command, argv) or wide_dash(command, argv)
    if twice is not None:
        with contextlib.suppress(Exception):
            sys.stderr.write(f"eduplan: {shown(twice.render(lang))}\n")
        return 2
    try:
        code = _invoke(command, argv)
        return code if isinstance(code, int) else 0
    except ce.NoArgsIsHelpError as exc:
        with contextlib.suppress(Exception):
            sys.stdout.write(exc.ctx.get_help() + "\n")
        return 2
    except ce.UsageError as exc:
        translate()  # (a missing argument is named by its placeholder)
        with contextlib.suppress(Exception):
            sys.stderr.write(f"eduplan: {shown(usage_message(exc, lang))}\n")
        return 2
    except getattr(ce, "Abort", KeyboardInterrupt):
        return 130
    except ce.ClickException as exc:
        with contextlib.suppress(Exception):
            sys.stderr.write(f"eduplan: {shown(exc.message)}\n")
        return exc.exit_code
    except OSError as exc:  # one place where an unexpected OSError becomes a message with its path
        from .errors import os_error

        if exc.filename:
            text = os_error(exc.filename, exc, N_("working with the file")).render(lang)
        else:
            from .errors import reason

            text = msg("{action}: {reason}", action=msg(N_("working with a file")), reason=reason(exc)).render(lang)
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
        sys.stderr.write(f"eduplan: {shown(text)}\n")
    return 1


def quiet_unraisable() -> None:
    """In the command-line process: what a library leaves behind after an error (a generator
    closed at exit) is not printed as a traceback; EDUPLAN_DEBUG=1 shows it."""
    if not os.environ.get("EDUPLAN_DEBUG"):
        sys.unraisablehook = lambda unraisable: None
