"""The plan file: TOML → the domain plan, with every problem reported at a file and line.

``read_plan`` returns the plan (or None) and the list of problems, beancount-style, in the
order of the file's lines; ``load_plan`` raises :class:`ProblemsError` when there is any;
``check_plan_file`` (``eduplan validate``) adds the check of the quoted phrases against the
source text, reported along with the rest. A plan that validated once
is cached (in the cache folder) under the SHA-256 of its bytes and of the validation
rules, so that everyday commands neither parse nor validate it again; a cache that does
not read back as a plan is ignored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.models import KIND_PLURALS, Plan, plan_from_dict
from ..errors import Problem, ProblemsError, UsageError, os_error
from ..i18n import DEFAULT_TERMS, N_, Msg, PerLang, Terms, bracketed, msg, tr
from . import toml
from .paths import NotRegular, cache_dir, not_utf8, read_regular, resolve_plan_path  # noqa: F401  (resolve_plan_path: the library's entry)

CACHE_VERSION = 7  # 7: the first line is the SHA-256 of the rest
_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]\s*(?:#.*)?$")
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(?:#.*)?$")

# pydantic's own error kinds, in words the reader's language has
PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": N_("this field is required"),
    "extra_forbidden": N_("unknown field (check its spelling)"),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "int_parsing_size": N_("the number is too large"),
    "float_type": N_("must be a number"),
    "float_parsing": N_("must be a number"),
    "finite_number": N_("must be a finite number"),
    "string_type": N_("must be a text (in quotes)"),
    "bool_type": N_("must be true or false"),
    "date_type": N_("must be a date written without quotes, like 2024-06-30"),
    "date_parsing": N_("must be a date written without quotes, like 2024-06-30"),
    "date_from_datetime_inexact": N_("must be a date without a time"),
    "literal_error": N_("must be one of: {expected}"),
    "enum": N_("must be one of: {expected}"),
    "string_pattern_mismatch": N_("must be an id of small letters, digits and hyphens (new-places)"),
    "string_too_short": N_("must not be empty"),
    "too_short": N_("must have at least {min_length} item(s)"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than_equal": N_("must be at most {le}"),
    "greater_than": N_("must be more than {gt}"),
    "tuple_type": N_("must be a list ([…])"),
    "list_type": N_("must be a list ([…])"),
    "model_type": N_("must be a table"),
    "dict_type": N_("must be a table"),
}


def read_bytes(path: Path, what: str) -> bytes:
    """The file's bytes; a missing file is a usage error, anything but a regular file is refused."""
    try:
        return read_regular(path)
    except FileNotFoundError:
        raise UsageError(msg("{path}: no such file", path=str(path))) from None
    except NotRegular as exc:
        raise UsageError(msg("{path} is {kind}, not a {what} file", path=str(path), kind=msg(exc.kind),
                             what=msg(what))) from None
    except IsADirectoryError:
        raise UsageError(msg("{path} is {kind}, not a {what} file", path=str(path), kind=msg(N_("a folder")),
                             what=msg(what))) from None
    except OSError as exc:
        raise os_error(path, exc, N_("reading the file")) from None


def decode(raw: bytes, path: Path) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8-sig"), []  # a BOM left by a Windows editor is not an error
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(str(path), line, not_utf8(raw), kind="encoding")]


def parse_toml(text: str, file: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        return toml.loads(text), []
    except toml.TOMLDecodeError as exc:
        line, message = toml.describe(exc)
        return None, [Problem(file, line, message, kind="syntax")]


class LineIndex:
    """Where tables and keys stand in a TOML text, to turn a pydantic loc into a line."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.arrays: dict[str, list[int]] = {}
        self.tables: dict[str, list[int]] = {}
        for number, line in enumerate(self.lines, start=1):
            if "[" not in line:
                continue
            if m := _HEADER.match(line):
                self.arrays.setdefault(m[1], []).append(number)
            elif m := _TABLE.match(line):
                self.tables.setdefault(m[1], []).append(number)

    def _block_end(self, start: int) -> int:
        for number in range(start + 1, len(self.lines) + 1):
            stripped = self.lines[number - 1].lstrip()
            if stripped.startswith("["):
                return number - 1
        return len(self.lines)

    def _key_line(self, start: int, key: str) -> int | None:
        pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
        end = self._block_end(start) if start else len(self.lines)
        for number in range(start + 1 if start else 1, end + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return None

    def _item_line(self, key_line: int, item: int) -> int:
        """The line of the ``item``-th element of an array written one element a line after
        ``key = [`` (else the key's own line)."""
        if self.lines[key_line - 1].rstrip().endswith("]"):
            return key_line
        seen = -1
        for number in range(key_line + 1, len(self.lines) + 1):
            text = self.lines[number - 1].strip()
            if text.startswith("]"):
                break
            if text and not text.startswith("#"):
                seen += 1
                if seen == item:
                    return number
        return key_line

    def _sub_table(self, name: str, after: int, before: int | None) -> int | None:
        """The line of ``[name]`` between an array element's header and the next one."""
        for number in self.tables.get(name, ()):
            if number > after and (before is None or number < before):
                return number
        return None

    def line_of(self, loc: tuple) -> int | None:
        loc = _plain_loc(loc)
        if not loc:
            return None
        head = str(loc[0])
        if head in self.arrays and len(loc) > 1 and isinstance(loc[1], int):
            starts = self.arrays[head]
            if loc[1] >= len(starts):
                return None
            start = starts[loc[1]]
            if len(loc) <= 2:
                return start
            found = self._key_line(start, str(loc[2]))
            if found is not None:
                return self._item_line(found, loc[3]) if len(loc) > 3 and isinstance(loc[3], int) else found
            # a sub-table of the element: [indicators.pace], then the key inside it
            nxt = next((n for n in starts if n > start), None)
            sub = self._sub_table(f"{head}.{loc[2]}", start, nxt)
            if sub is None:
                return start
            if len(loc) > 3 and not isinstance(loc[3], int):
                key = self._key_line(sub, str(loc[3]))
                if key is not None and len(loc) > 4 and isinstance(loc[4], int):
                    return self._item_line(key, loc[4])
                return key or sub
            return sub
        if head in self.tables:
            start = self.tables[head][0]
            if len(loc) > 1:
                found = self._key_line(start, str(loc[1]))
                if found is not None and len(loc) > 2 and isinstance(loc[2], int):
                    return self._item_line(found, loc[2])  # a county of [plan] counties written one a line
                return found or start
            return start
        if len(loc) > 1 and (sub := self.tables.get(f"{head}.{loc[1]}")):  # [section_kinds.focus], then its key
            return (self._key_line(sub[0], str(loc[2])) or sub[0]) if len(loc) > 2 else sub[0]
        return self._key_line(0, head) or 1


def _plain_loc(loc: tuple) -> tuple:
    """A pydantic location without its own marker ``'[key]'`` (a table's key that is wrong)."""
    return tuple(item for item in loc if item != "[key]")


def describe_loc(loc: tuple, data: dict[str, Any] | None) -> str:
    """``('indicators', 3, 'target')`` → ``indicators[new-kindergartens].target``."""
    parts: list[str] = []
    node: Any = data
    for item in _plain_loc(loc):
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


def _choices(expected: Any) -> Any:
    """pydantic's ``'a', 'b' or 'c'`` (or ``1 or 2``): a list, joined in the reader's language."""
    if isinstance(expected, str):
        return re.findall(r"'([^']*)'", expected) if "'" in expected else re.split(r",\s*|\s+or\s+", expected)
    return list(expected) if isinstance(expected, (list, tuple)) else expected


def _iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


# what the words a plan file must use mean, beside them in a Chinese message (measure: 'flow（累计）')
GLOSSES: dict[str, dict[str, str]] = {
    "measure": {"flow": N_("flow"), "level": N_("level (a share or a count at a date)"), "counties": N_("counties"),
                "milestone": N_("milestone")},
    "reported_by": {"city": N_("the city reports"), "counties": N_("each county reports"),
                    "both": N_("the city and each county report")},
    "kind": KIND_PLURALS,
}


def _glossed(field: Any, choices: Any) -> Any:
    """The values a field may take, each with what it means for a Chinese reader (the words of the
    file stay as they must be typed)."""
    glosses = GLOSSES.get(field) if isinstance(field, str) else None
    if not glosses or not isinstance(choices, list):
        return choices
    return [PerLang({"zh": c + bracketed(tr(glosses[c], "zh"), "zh"), "en": c}) if c in glosses else c for c in choices]


def pydantic_message(err: dict) -> Msg:
    """One error (pydantic's, or a rule's of :mod:`eduplan.store.schema`) in the reader's language."""
    from .schema import TEMPLATES

    kind = err.get("type", "")
    value = err.get("input")
    field = (err.get("loc") or (None,))[-1]
    ctx = {k: _glossed(field, _choices(v)) if k == "expected" else v for k, v in (err.get("ctx") or {}).items()}
    if kind in TEMPLATES:
        return msg(TEMPLATES[kind], **ctx)
    if kind in ("date_type", "date_parsing"):
        if isinstance(value, dt.datetime):
            return msg(PYDANTIC_MESSAGES["date_from_datetime_inexact"])
        if isinstance(value, str) and _iso_date(value.strip()):
            return msg("a date is written without quotes: {date}", date=value.strip())
    if kind in PYDANTIC_MESSAGES:
        return msg(PYDANTIC_MESSAGES[kind], **ctx)
    return msg("this value is not allowed here")


def validation_problems(errors: list[dict], data: dict[str, Any] | None, index: LineIndex, file: str) -> list[Problem]:
    """One problem per error, at the line of the field. A list said to be too short while its
    items have problems of their own is not (``indicators: at least 1 item`` for the one
    indicator that is there, mistyped); an unknown field close to one the table may hold names
    it (``section``: did you mean ``sections``?)."""
    locs = [tuple(err["loc"]) for err in errors]
    out = []
    for err, loc in zip(errors, locs):
        if err.get("type") == "too_short" and any(len(o) > len(loc) and o[:len(loc)] == loc for o in locs):
            continue
        message = pydantic_message(err)
        if err.get("type") == "extra_forbidden" and loc and isinstance(loc[-1], str):
            close = difflib.get_close_matches(loc[-1], _fields_at(loc[:-1]), n=1, cutoff=0.75)
            if close and close[0] != loc[-1]:
                message = msg("unknown field; did you mean '{field}'?", field=close[0])
        out.append(Problem(file, index.line_of(loc), message, field=describe_loc(loc, data) or None, kind="plan"))
    return out


def _fields_at(loc: tuple) -> list[str]:
    """The fields of the table at ``loc`` (``("indicators", 0)``: an indicator's), as the plan's
    models define them; none where ``loc`` does not lead to a table of fields."""
    from typing import get_args, get_origin

    from pydantic import BaseModel

    from .schema import Plan as PlanFile

    model: Any = PlanFile
    keyed = False  # the part after a table of tables (section_kinds) is a key, not a field
    for part in loc:
        if isinstance(part, int) or keyed:
            keyed = False
            continue  # an item of a list, or an entry of a table of tables: of the same model
        field = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if field is None:
            return []
        keyed = get_origin(field.annotation) is dict
        model = next((a for a in (field.annotation, *get_args(field.annotation))
                      if isinstance(a, type) and issubclass(a, BaseModel)), None)
    return list(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []


def in_line_order(problems: list[Problem]) -> list[Problem]:
    """Problems in the order of their lines (one about the whole file first)."""
    return sorted(problems, key=lambda p: p.line or 0)


def _rules_digest() -> bytes:
    """The validation rules' own hash: a plan cached under other rules is validated again."""
    here = Path(__file__)
    core = here.parents[1] / "core"
    return hashlib.sha256(here.with_name("schema.py").read_bytes() + core.joinpath("models.py").read_bytes()
                          + core.joinpath("names.py").read_bytes()).digest()


class PlanCache:
    """A validated plan as plain data, under a key made of the plan's bytes and the rules."""

    def __init__(self, key: str):
        root = cache_dir()
        self.path = root / f"plan-{key[:32]}.json" if root else None

    def load(self) -> dict | None:
        """The plan as stored, if the file holds what was stored: its first line is the SHA-256 of
        the rest (an entry altered in place, a target changed by hand, is not taken for the plan)."""
        if self.path is None:
            return None
        try:  # (a FIFO or a device put there is not waited on: the plan is read again instead)
            raw = read_regular(self.path)
            digest, _, body = raw.partition(b"\n")
            if hashlib.sha256(body).hexdigest().encode() != digest:
                return None
            data = json.loads(body.decode("utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("version") == CACHE_VERSION else None

    def store(self, data: dict) -> None:
        if self.path is None:
            return
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            body = json.dumps(data | {"version": CACHE_VERSION}, ensure_ascii=False).encode("utf-8")
            tmp.write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
            os.replace(tmp, self.path)
        except OSError:
            if tmp is not None:
                try:
                    tmp.unlink()
                except OSError:
                    pass


def read_plan(path: Path, *, use_cache: bool = True) -> tuple[Plan | None, list[Problem]]:
    """The plan at ``path`` and every problem found in it, in the order of the lines (the plan is
    None if any)."""
    plan, problems, _ = _read(path, use_cache)
    return plan, problems


def _read(path: Path, use_cache: bool) -> tuple[Plan | None, list[Problem], tuple[dict, str] | None]:
    """The plan, its problems, and its TOML data and text where it parsed (None from the cache)."""
    file = str(path)
    raw = read_bytes(path, N_("plan"))
    fingerprint = hashlib.sha256(raw).hexdigest()
    cache = PlanCache(hashlib.sha256(raw + _rules_digest()).hexdigest())
    if use_cache and (cached := cache.load()) is not None:
        try:
            return plan_from_dict(cached, fingerprint), [], None
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a damaged cache: validate the plan again
    text, problems = decode(raw, path)
    if text is None:
        return None, problems, None
    data, problems = parse_toml(text, file)
    if data is None:
        return None, problems, None
    from .schema import check_plan

    checked, errors = check_plan(data)
    if checked is None:
        return None, in_line_order(validation_problems(errors, data, LineIndex(text), file)), (data, text)
    cache.store(checked)
    return plan_from_dict(checked, fingerprint), [], (data, text)


def written_terms(path: Path) -> Terms | None:
    """The words a plan file's ``[terms]`` gives (全县, 乡镇（街道）), read from its TOML even where
    the plan has other problems, so that they are said in its words; None where the file does
    not parse or gives none as plain texts. Never raises."""
    try:
        data = parse_toml(read_regular(path).decode("utf-8-sig"), str(path))[0]
    except (OSError, ValueError):
        return None
    given = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(given, dict):
        return None
    known = {f.name for f in dataclasses.fields(Terms)}
    words = {k: v.strip() for k, v in given.items() if k in known and isinstance(v, str) and v.strip()}
    return Terms(**words) if words else None


def terms_for(path: Path, problems: Sequence[Problem]) -> Terms:
    """The words a plan that does not load is told about in: its ``[terms]`` where they read
    (:func:`written_terms`), unless they are among its problems; else the default words."""
    wrong = any((p.field or "").startswith("terms") for p in problems)
    return (None if wrong else written_terms(path)) or DEFAULT_TERMS


def check_plan_file(path: Path) -> tuple[Plan | None, list[Problem]]:
    """``eduplan validate``: the plan (None if it does not load) and every problem, those of its
    fields and rules and every quoted phrase that is not in the source text, in the order of
    the lines. A plan that loads is returned even when a phrase is missing."""
    plan, problems, parsed = _read(path, use_cache=False)
    if parsed is None:
        return plan, problems
    data, text = parsed
    return plan, in_line_order(problems + source_problems(path, data, text))


def load_plan(path: Path) -> Plan:
    plan, problems = read_plan(path)
    if plan is None:
        raise ProblemsError(problems, hint=msg("the plan does not load; check it with: eduplan validate --plan {path}",
                                               path=str(path)))
    return plan


def source_problems(path: Path, data: dict[str, Any], plan_text: str) -> list[Problem]:
    """When the plan names the text it encodes (``[plan] source_text``), every phrase it quotes
    (each indicator's ``source``, ``also_stated`` and pace ``source``, each not-tracked
    ``source``) must stand in that text verbatim. One problem per phrase that does not, at
    its line. Read from the plan's TOML data (``plan_text`` its text), so that a plan with other
    problems has its phrases checked too."""
    info = data.get("plan")
    name = info.get("source_text") if isinstance(info, dict) else None
    if not isinstance(name, str) or not name.strip():
        return []
    file = str(path)
    index = LineIndex(plan_text)
    where = path.parent / name
    try:
        raw = read_regular(where)
    except NotRegular as exc:
        return [Problem(file, index.line_of(("plan", "source_text")),
                        msg("the source text {path} is {kind}, not a text file", path=str(where), kind=msg(exc.kind)),
                        field="plan.source_text", kind="source")]
    except OSError as exc:
        from ..errors import reason

        return [Problem(file, index.line_of(("plan", "source_text")),
                        msg("the source text {path} cannot be read: {reason}", path=str(where), reason=reason(exc)),
                        field="plan.source_text", kind="source")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [Problem(file, index.line_of(("plan", "source_text")),
                        msg("the source text {path}: {problem}", path=str(where), problem=not_utf8(raw)),
                        field="plan.source_text",
                        kind="source")]
    problems = []

    def check(loc: tuple, phrase: Any) -> None:
        phrase = phrase.strip() if isinstance(phrase, str) else ""
        if phrase and phrase not in text:
            problems.append(Problem(file, index.line_of(loc),
                                    msg("'{phrase}' is not a verbatim phrase of the source text {path}",
                                        phrase=phrase, path=name), field=describe_loc(loc, data), kind="source"))

    def items(table: str) -> list[tuple[int, dict]]:
        rows = data.get(table)
        return [(i, row) for i, row in enumerate(rows) if isinstance(row, dict)] if isinstance(rows, list) else []

    for i, ind in items("indicators"):
        check(("indicators", i, "source"), ind.get("source"))
        also = ind.get("also_stated")
        for j, phrase in enumerate(also if isinstance(also, list) else ()):
            check(("indicators", i, "also_stated", j), phrase)
        if isinstance(pace := ind.get("pace"), dict):
            check(("indicators", i, "pace", "source"), pace.get("source"))
    for i, nt in items("not_tracked"):
        check(("not_tracked", i, "source"), nt.get("source"))
    return problems


def source_text_path(path: Path, plan: Plan) -> Path | None:
    """The source text the plan names, beside the plan file (None if it names none)."""
    return path.parent / plan.plan.source_text if plan.plan.source_text else None
