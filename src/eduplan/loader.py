"""TOML files → models, with every problem reported at a file and line.

``read_plan`` returns the plan (or None) and the list of problems, beancount-style;
``load_plan`` raises :class:`ProblemsError` when there is any. A plan that validated
once is cached under the SHA-256 of its bytes (and of the validation rules), so that
everyday commands neither parse nor validate it again. Also the shared pieces the
ledger loader uses: parsing TOML to problems and mapping a pydantic error location to
the line of the file it came from.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problem, ProblemsError, UsageError
from .models import Plan, plan_from_dict

if TYPE_CHECKING:
    from pydantic import ValidationError

PLAN_ENV = "EDUPLAN_PLAN"
BUNDLED_PLAN = "plan-2023.toml"

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]\s*(?:#.*)?$")
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(?:#.*)?$")


def bundled_plan_path() -> Path:
    return Path(__file__).with_name("data") / BUNDLED_PLAN


def resolve_plan_path(option: str | os.PathLike | None) -> Path:
    """``--plan``, else ``$EDUPLAN_PLAN``, else the bundled 2023 plan."""
    if option:
        return Path(option)
    env = os.environ.get(PLAN_ENV)
    if env:
        return Path(env)
    return bundled_plan_path()


def read_bytes(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such {what} file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, not a {what} file") from None
    except PermissionError:
        raise ProblemsError([Problem(str(path), None, f"cannot read the {what} file: permission denied")]) from None


def decode(raw: bytes, path: Path) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8-sig"), []  # a BOM left by a Windows editor is not an error
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(str(path), line, f"not UTF-8 text ({exc.reason})")]


def parse_toml(text: str, file: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POS.search(message)
        line = int(match[1]) if match else None
        if match is None and "end of document" in message:
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
        message = _TOML_POS.sub("", message).strip()
        if match:
            message = f"TOML syntax: {message} (column {match[2]})"
        else:
            message = f"TOML syntax: {message}"
        return None, [Problem(file, line, message)]


class LineIndex:
    """Where tables and keys stand in a TOML text, to turn a pydantic loc into a line."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.arrays: dict[str, list[int]] = {}
        self.tables: dict[str, int] = {}
        for number, line in enumerate(self.lines, start=1):
            if "[" not in line:
                continue
            if m := _HEADER.match(line):
                self.arrays.setdefault(m[1], []).append(number)
            elif m := _TABLE.match(line):
                self.tables[m[1]] = number

    def _block_end(self, start: int) -> int:
        for number in range(start + 1, len(self.lines) + 1):
            stripped = self.lines[number - 1].lstrip()
            if stripped.startswith("["):
                return number - 1
        return len(self.lines)

    def _key_line(self, start: int, key: str) -> int:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        end = self._block_end(start) if start else len(self.lines)
        for number in range(start + 1 if start else 1, end + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return start or 1

    def line_of(self, loc: tuple) -> int | None:
        if not loc:
            return None
        head = str(loc[0])
        if head in self.arrays and len(loc) > 1 and isinstance(loc[1], int):
            starts = self.arrays[head]
            if loc[1] >= len(starts):
                return None
            start = starts[loc[1]]
            return self._key_line(start, str(loc[2])) if len(loc) > 2 else start
        if head in self.tables:
            start = self.tables[head]
            return self._key_line(start, str(loc[1])) if len(loc) > 1 else start
        return self._key_line(0, head)


def describe_loc(loc: tuple, data: dict[str, Any] | None) -> str:
    """``('indicators', 3, 'target')`` → ``indicators[new-kindergartens].target``."""
    parts: list[str] = []
    node: Any = data
    for item in loc:
        if isinstance(item, int):
            label = str(item)
            if isinstance(node, list) and item < len(node):
                node = node[item]
                if isinstance(node, dict) and isinstance(node.get("id"), (str, int)):
                    label = str(node["id"])
            else:
                node = None
            parts.append(f"[{label}]")
        else:
            node = node.get(item) if isinstance(node, dict) else None
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def validation_problems(
    exc: ValidationError, data: dict[str, Any] | None, index: LineIndex, file: str,
    prefix: tuple = (),
) -> list[Problem]:
    """One problem per pydantic error; ``prefix`` is prepended to each error's loc."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = prefix + tuple(err["loc"])
        message = err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        where = describe_loc(loc, data)
        text = f"{where}: {message}" if where else message
        problems.append(Problem(file, index.line_of(loc), text))
    return problems


def _rules_digest() -> bytes:
    """The validation rules' own hash: a plan cached under other rules is validated again."""
    return hashlib.sha256(Path(__file__).with_name("schema.py").read_bytes()).digest()


def read_plan(path: Path, *, use_cache: bool = True) -> tuple[Plan | None, list[Problem]]:
    """The plan at ``path`` and every problem found in it (the plan is None if any)."""
    from .cache import PlanCache

    file = str(path)
    raw = read_bytes(path, "plan")
    fingerprint = hashlib.sha256(raw).hexdigest()
    cache = PlanCache(hashlib.sha256(raw + _rules_digest()).hexdigest())
    if use_cache and (cached := cache.load()) is not None:
        return plan_from_dict(cached, fingerprint), []
    text, problems = decode(raw, path)
    if text is None:
        return None, problems
    data, problems = parse_toml(text, file)
    if data is None:
        return None, problems
    from pydantic import ValidationError

    from .schema import validate_plan

    try:
        checked = validate_plan(data)
    except ValidationError as exc:
        return None, validation_problems(exc, data, LineIndex(text), file)
    cache.store(checked)
    return plan_from_dict(checked, fingerprint), []


def load_plan(path: Path) -> Plan:
    plan, problems = read_plan(path)
    if plan is None:
        raise ProblemsError(problems, hint=f"the plan does not load; check it with: eduplan validate --plan {path}")
    return plan
