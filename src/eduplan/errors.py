"""Errors as values: what went wrong, where (file and line), and the exit code it means.

The core raises :class:`EduplanError` subclasses; only the CLI turns them into a
message on stderr and an exit code. Nothing here prints.
"""

from __future__ import annotations

import dataclasses

EXIT_OK = 0
EXIT_DATA = 1  # bad data: a figure, a file, a reference
EXIT_USAGE = 2  # bad command line
EXIT_THRESHOLD = 3  # --fail-on matched


@dataclasses.dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, at a place a person can open."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class EduplanError(Exception):
    """An error the user can act on. ``str(err)`` is the whole message."""

    exit_code = EXIT_DATA


class UsageError(EduplanError):
    exit_code = EXIT_USAGE


class ProblemsError(EduplanError):
    """One or more problems in input files (a plan or ledger that fails to load)."""

    def __init__(self, problems: list[Problem], hint: str | None = None):
        self.problems = list(problems)
        self.hint = hint
        lines = [str(p) for p in self.problems]
        if hint:
            lines.append(hint)
        super().__init__("\n".join(lines))
