"""Errors as values: what went wrong (a :class:`~eduplan.i18n.Msg`), where, and the exit code.

The core and the services raise :class:`EduplanError` subclasses; only the command line
turns them into one message on stderr, in the reader's language, and an exit code.
``field`` names the input the error is about in the library's terms (``as_of``,
``county``, ``value`` …); the command line shows it as its flag (``--as-of``), the
importer as its column. Nothing here prints.
"""

from __future__ import annotations

import errno

from .core.records import record
from .i18n import N_, Msg, current_terms, msg, terms_of

EXIT_OK = 0
EXIT_DATA = 1  # bad data: a figure, a file, a reference
EXIT_USAGE = 2  # bad command line
EXIT_THRESHOLD = 3  # --fail-on matched

# the operations' arguments, named in the reader's language (in help, and where an error is about one)
ARGUMENTS = {"indicator": N_("indicator"), "value": N_("value"), "entry": N_("entry"), "file": N_("file"),
             "folder": N_("folder")}


@record(eq=False)
class Problem:
    """One thing wrong with an input file, at a place a person can open."""

    file: str
    line: int | None
    message: Msg
    field: str | None = None  # a field path (``entries[12].value``) or a column name
    kind: str = "problem"  # a stable id for scripts and tests: "torn", "syntax", "plan", …

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def render(self, lang: str) -> str:
        text = self.message.render(lang)
        if self.field:
            text = f"{self.field}: {text}"
        return f"{self.where()}: {text}"


class EduplanError(Exception):
    """An error the user can act on."""

    exit_code = EXIT_DATA

    def __init__(self, message: Msg, *, field: str | None = None):
        super().__init__(message.text)
        self.message = message
        self.field = field
        self.terms = current_terms()  # said in the words of the plan in use where it happened (全县 …)

    def __str__(self) -> str:  # a traceback or a log shows the message itself, in English
        return self.render("en")

    def label(self, lang: str) -> str | None:
        """The field, named to the reader: an argument in their language (值, 指标 …), else its name."""
        if self.field in ARGUMENTS:
            from .i18n import tr

            return tr(ARGUMENTS[self.field], lang)
        return self.field

    def render(self, lang: str, field_label: str | None = None) -> str:
        with terms_of(self.terms):
            return self._render(lang, field_label if field_label is not None else self.label(lang))

    def _render(self, lang: str, label: str | None) -> str:
        text = self.message.render(lang)
        return f"{label}: {text}" if label else text


class UsageError(EduplanError):
    exit_code = EXIT_USAGE


class ProblemsError(EduplanError):
    """One or more problems in input files (a plan or ledger that does not load, a sheet)."""

    def __init__(self, problems: list[Problem], hint: Msg | None = None):
        self.problems = list(problems)
        self.hint = hint
        super().__init__(hint or msg("the file has problems"))

    def _render(self, lang: str, label: str | None) -> str:
        lines = [p.render(lang) for p in self.problems]
        if self.hint is not None:
            lines.append(self.hint.render(lang))
        return "\n".join(lines)


class Refused(EduplanError):
    """A figure the data-quality rules refused: every reason on a line of its own (each naming
    its rule), then what to do about it. ``findings`` are the rules' findings as data, for a
    program: each with its ``rule`` id and ``severity`` (an ``error`` is never let through; a
    ``warning``'s rule may be passed in ``force``)."""

    def __init__(self, reasons: list[Msg], hint: Msg | None = None, *, field: str | None = None,
                 findings: tuple = ()):
        self.reasons = list(reasons)
        self.hint = hint
        self.findings = tuple(findings)
        super().__init__(self.reasons[0] if self.reasons else (hint or msg("refused")), field=field)

    def _render(self, lang: str, label: str | None) -> str:
        lines = [f"{label}: {r.render(lang)}" if label else r.render(lang) for r in self.reasons]
        if self.hint is not None:
            lines.append(self.hint.render(lang))
        return "\n".join(lines)


_REASONS = {
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.EFBIG: N_("the file would grow past the size allowed"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EROFS: N_("the file system is read-only"),
    errno.ENOENT: N_("no such file or folder"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.ELOOP: N_("too many levels of symbolic links (a link that points to itself?)"),
    errno.EEXIST: N_("the file exists"),
    errno.EIO: N_("input/output error"),
    errno.EBUSY: N_("the device or resource is busy"),
    errno.ENAMETOOLONG: N_("the file name is too long"),
    errno.EPIPE: N_("the reader went away"),
    errno.EBADF: N_("the output is closed"),
    errno.ENXIO: N_("no such device"),
    errno.ETXTBSY: N_("the file is busy"),
}


def reason(exc: OSError) -> Msg:
    """Why an OSError happened, in words a person reads (the system's own text if we have none)."""
    text = _REASONS.get(exc.errno or -1)
    if text is not None:
        return msg(text)
    return msg("{reason}", reason=exc.strerror or exc.__class__.__name__)


def os_error(path: object, exc: OSError, action: str, **params) -> EduplanError:
    """An unexpected OSError as one message naming the path, what was being done and why."""
    return EduplanError(msg("{path}: {action}: {reason}", path=str(path), action=msg(action, **params),
                            reason=reason(exc)))
