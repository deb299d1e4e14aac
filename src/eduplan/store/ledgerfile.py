"""The ledger file format: its header, its entries as TOML tables, and reading it block by block.

A ledger file is TOML a person can read, diff and fix by hand::

    # eduplan ledger …
    schema_version = 2
    plan = "taizhou-education-2023"
    plan_version = "1"
    office = "椒江区"              # only in a folder of per-office files

    [[entries]]
    id = 1
    indicator = "new-public-kindergartens"
    …
    recorded_at = 2023-07-02 09:15:00+08:00

Reading goes *block by block*: the file is cut at the lines that are exactly
``[[entries]]`` and each block is parsed on its own, so that a block already indexed (the
same bytes, by hash) is not parsed again. This is TOML-exact: parsing is sequential, so
when every block parses on its own from the top level, the whole file parses to the same
tables. When a block does not (a multi-line string holding such a line, a second table in
a block), the whole file is parsed at once instead.

Every entry read is checked here: types (a TOML integer, a date, a zoned date-time …),
the rules tying its fields together (:func:`eduplan.core.entries.shape_problems`) and its
fit with the plan (:func:`eduplan.core.entries.entry_plan_problems`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import struct
from collections.abc import Iterator, Sequence

from ..core.entries import entry_plan_problems, shape_problems
from ..core.models import ENTRY_WRITE_ORDER, Entry, Plan, State, new_entry, quick_constructor
from ..core.numbers import MAX_EXACT
from ..core.records import record
from ..errors import Problem
from ..i18n import N_, Msg, msg, tr
from . import toml
from .paths import not_utf8

TABLE = "entries"
SCHEMA_VERSION = 2
HEADER_KEYS = ("schema_version", "plan", "plan_version", "office")
_SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_REF = re.compile(r"([^#\s][^#]*)#(\d+)")
_STATES = {s.value: s for s in State}
MARK = b"[[entries]]"
_NEWLINE_MARK = b"\n" + MARK


# The comment a new ledger file begins with, for the person who opens it: in the plan's language
# (the file is shared by everyone who records, whatever language each reads the tool in)
HEADER_COMMENT = (N_("# eduplan ledger: one [[entries]] table per recorded figure, oldest first."),
                  N_("# Append-only. Fix a figure with `eduplan correct` or `eduplan void`, not by editing it here."))


def header_comment(lang: str) -> str:
    return "".join(tr(line, lang) + "\n" for line in HEADER_COMMENT)


def header_text(plan: Plan, office: str = "", *, lang: str | None = None) -> str:
    """The first lines of a new ledger file (the comment in ``lang``, else the plan's language)."""
    import tomli_w

    info = {"schema_version": SCHEMA_VERSION, "plan": plan.plan.id, "plan_version": plan.plan.version}
    if office:
        info["office"] = office
    return header_comment(lang or plan.plan.lang) + tomli_w.dumps(info)


def entry_to_dict(e: Entry) -> dict:
    out = {}
    for name in ENTRY_WRITE_ORDER:
        value = getattr(e, name)
        if value is None or (name == "void" and value is False) or (name == "accepted" and not value):
            continue
        if name == "supersedes" and e.target_office is not None:
            value = f"{e.target_office}#{value}"  # another office's entry
        elif name == "for_city" and value is False:
            continue
        if isinstance(value, State):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def render_entries(entries: Sequence[Entry]) -> str:
    """The text appended for these entries: a blank line, then one table each."""
    import tomli_w

    return "".join("\n" + tomli_w.dumps({TABLE: [entry_to_dict(e)]}) for e in entries)


# --------------------------------------------------------------------------- blocks


@record
class Block:
    pos: int  # byte offset of its [[entries]] line
    line: int  # line number of that line (1-based)
    data: bytes
    digest: int  # of the block without trailing blank space: appending after it keeps it

    @property
    def end(self) -> int:
        return self.pos + len(self.data)

    def line_of(self, field: str) -> int:
        """The line of ``field = …`` in this block (the block's first line if it is not there)."""
        if not self.data:
            return self.line
        marker = re.compile(rb"^\s*" + re.escape(field.encode()) + rb"\s*=", re.MULTILINE)
        m = marker.search(self.data)
        return self.line + self.data.count(b"\n", 0, m.start()) if m else self.line


_new_block = quick_constructor(Block)


_blake2b = hashlib.blake2b
_signed64 = struct.Struct(">q").unpack  # what int.from_bytes(…, "big", signed=True) gives, a tenth quicker


def digest(data: bytes) -> int:
    return _signed64(_blake2b(data.rstrip(b"\r\n\t "), digest_size=8).digest())[0]


_ID_LINE = re.compile(rb"(?m)^[ \t]*id[ \t]*=[ \t]*(\d+)[ \t]*(?:#.*)?\r?$")


def block_id(block: Block) -> int | None:
    """The id a block's ``id`` line gives, for a block that does not read as an entry."""
    m = _ID_LINE.search(block.data)
    return int(m[1]) if m else None


def mark_lines(raw: bytes, start: int = 0) -> Iterator[int]:
    """Offsets of the lines that are exactly ``[[entries]]`` (trailing blanks allowed), from
    ``start`` on (a line that begins before it is not one)."""
    if raw.startswith(MARK, start) and (start == 0 or raw[start - 1:start] == b"\n") and \
            line_ends(raw, start + len(MARK)):
        yield start
    find, size = raw.find, len(raw)
    i = find(_NEWLINE_MARK, start)
    while i >= 0:
        after = i + len(_NEWLINE_MARK)
        if (after < size and raw[after] == 10) or line_ends(raw, after):  # (the common case first: a new line)
            yield i + 1
        i = find(_NEWLINE_MARK, after)


def next_mark(raw: bytes, start: int = 0) -> int | None:
    """The offset of the first ``[[entries]]`` line from ``start`` on (None if none)."""
    return next(mark_lines(raw, start), None)


def line_ends(raw: bytes, at: int) -> bool:
    while at < len(raw) and raw[at] in b" \t":
        at += 1
    return at >= len(raw) or raw[at] in b"\r\n"


def split(raw: bytes, start: int = 0, first_line: int = 1) -> tuple[bytes, list[Block]]:
    """The bytes before the first ``[[entries]]`` line, and every block from there.

    ``start`` (and the line number there) lets a reader split only what was appended.
    """
    marks = list(mark_lines(raw, start))
    head_end = marks[0] if marks else len(raw)
    blocks = []
    line = first_line + raw.count(b"\n", start, head_end)
    for pos, end in zip(marks, marks[1:] + [len(raw)]):
        data = raw[pos:end]
        blocks.append(_new_block(pos, line, data, digest(data)))
        line += data.count(b"\n")
    return raw[start:head_end], blocks


# --------------------------------------------------------------------------- parsing


class NotBlockwise(Exception):
    """The file cannot be read block by block: parse it whole."""


@record
class Parsed:
    """A block read: the entry, or the problems found in it (with lines of the file)."""

    block: Block
    entry: Entry | None
    problems: tuple[Problem, ...]
    cut_short: bool = False  # looks like a write cut short (no zoned recorded_at line whole)


def parse_header(head: bytes, file: str) -> tuple[dict, list[Problem]]:
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return {}, [Problem(file, head[:exc.start].count(b"\n") + 1, not_utf8(head), kind="encoding")]
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        line, message = toml.describe(exc)
        return {}, [Problem(file, line, message, kind="syntax")]
    if TABLE in data:
        raise NotBlockwise()
    return data, [_placed(p, text, file) for p in check_header(data, file)]


def check_header(data: dict, file: str) -> list[Problem]:
    problems = [Problem(file, None, msg("unknown key '{key}' at the top of the ledger", key=k))
                for k in sorted(set(data) - set(HEADER_KEYS))]
    version = data.get("schema_version", 1)
    if version not in (1, 2) or isinstance(version, bool):
        problems.append(Problem(file, None, msg("schema_version {version} is not supported (1 and 2 are)",
                                                version=version)))
    for key in ("plan", "plan_version", "office"):
        if key in data and not (isinstance(data[key], str) and data[key].strip()):
            problems.append(Problem(file, None, msg("'{key}' must be a text", key=key), field=key))
    if version == 2 and "plan" not in data:  # since schema 2 a ledger says which plan it belongs to
        problems.append(Problem(file, None, msg(
            "the ledger's header does not say which plan it belongs to: 'plan' is missing (a ledger starts with "
            "schema_version, plan and plan_version)"), field="plan", kind="plan"))
    return problems


def parse_block(block: Block, file: str, plan: Plan, office: str) -> Parsed:
    """One ``[[entries]]`` table read and checked. Raises :class:`NotBlockwise` when the block
    is not a table of its own."""
    try:
        text = block.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = block.line + block.data[:exc.start].count(b"\n")
        # a write cut short ends inside a character, and before the time it writes last; bytes of
        # another encoding inside an entry whose time is whole were typed in, and a repair must
        # not cut them off
        cut = exc.end >= len(block.data) and _WHOLE_STAMP_LINE.search(block.data.decode("utf-8", "replace")) is None
        return Parsed(block, None, (Problem(file, line, not_utf8(block.data), kind="encoding"),), cut)
    groups = toml.entry_groups(text)  # the form this tool writes, with every field fine: the quickest way
    if groups is not None:
        entry = _quick_entry(groups, office)
        if entry is not None and not (shape_problems(entry) or entry_plan_problems(entry, plan)):
            return _new_parsed(block, entry, (), False)
    row = toml.entry_table(text)  # the form this tool writes, read fast; else the reference parser
    if row is None:
        try:
            data = toml.loads(text)
        except toml.TOMLDecodeError as exc:
            line, message = toml.describe(exc)
            if '"""' in text or "'''" in text:
                raise NotBlockwise() from None  # a multi-line string may run on into the next block
            problem = Problem(file, block.line + (line or 1) - 1, message, kind="syntax")
            typed, after = _after_entry(text)
            start = after if typed else fragment_start(text)
            if start is not None:  # a whole entry, then something after it: the entry stands (and its import)
                whole = parse_block(Block(block.pos, block.line, block.data[:len(text[:start].encode())], 0), file,
                                    plan, office)
                if whole.entry is not None:
                    # cut short: the next entry's [[entries]] line; typed: a line a person added
                    return Parsed(block, whole.entry, (problem,), not typed)
            # cut short: nothing typed after the entry, and its time, which this tool writes
            # last, not whole (a block whose time is whole was written to its end: the mistake is
            # a person's, and a repair must not cut it off)
            return Parsed(block, None, (problem,), not typed and _WHOLE_STAMP_LINE.search(text) is None)
        rows = data.get(TABLE)
        if set(data) != {TABLE} or not isinstance(rows, list) or len(rows) != 1 or not isinstance(rows[0], dict):
            raise NotBlockwise()
        row = rows[0]
    return check_row(row, block, file, plan, office, _line_finder(text, block.line))


_RECORDED_AT_LINE = re.compile(r"(?m)^[ \t]*recorded_at[ \t]*=.*$")
_MARK_TEXT = MARK.decode()
_MARK_LINE = re.compile(r"(?m)^[ \t]*\[\[[ \t]*entries[ \t]*\]\]")  # as a whole file's parser reads it


def fragment_start(text: str) -> int | None:
    """Where a block's last line begins, if that line is the start of an ``[[entries]]`` line
    cut short (``[[entr``) right after the entry (a write cut short, appended to a file whose
    last line had no line end): the entry before it is whole."""
    body = text.rstrip("\r\n")
    k = body.rfind("\n")
    if k < 0:
        return None
    last = body[k + 1:].strip()
    return k + 1 if last and _MARK_TEXT.startswith(last) and last != _MARK_TEXT else None


def _after_entry(text: str) -> tuple[bool, int | None]:
    """What follows the block's ``recorded_at`` line: was it typed by a person (anything but the
    start of the next ``[[entries]]`` line: this tool writes ``recorded_at`` last, so a write cut
    short never leaves more; a repair must not cut the entry off with it), and where does it
    begin (None: nothing follows, or the time has more on its own line)."""
    m = _RECORDED_AT_LINE.search(text)
    if m is None:
        return False, None
    if _WHOLE_STAMP_THEN_MORE.match(m[0]):  # a whole time with its zone, and more on its line: typed, not cut
        return True, None
    after = text[m.end():].strip()
    end = text.find("\n", m.end())
    return after != "" and not _MARK_TEXT.startswith(after), (end + 1 if end >= 0 else None)


# a recorded_at line with its whole time and zone, as this tool writes it (last in an entry)
_WHOLE_STAMP = (r"[ \t]*recorded_at[ \t]*=[ \t]*\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?"
                r"(?:Z|[+-]\d\d:\d\d)[ \t]*")
_WHOLE_STAMP_LINE = re.compile(rf"(?m)^{_WHOLE_STAMP}(?:#.*)?\r?$")  # and nothing else on its line
_WHOLE_STAMP_THEN_MORE = re.compile(rf"{_WHOLE_STAMP}[^\s#]")  # and something typed after it


def _placed(problem: Problem, text: str, file: str) -> Problem:
    """An unknown key of the whole file, with its line; one defined among the entries (a table
    typed after them) is said to be there, not at the top."""
    key = problem.message.params.get("key") if problem.line is None and problem.field is None else None
    if not isinstance(key, str):
        return problem
    m = re.search(rf'(?m)^[ \t]*(?:\[[ \t]*)?"?{re.escape(key)}"?[ \t]*[\].=]', text)
    if m is None:
        return problem
    line = text.count("\n", 0, m.start()) + 1
    first = _MARK_LINE.search(text)
    if first is not None and first.start() < m.start():
        return Problem(file, line, msg("'{key}' is not part of a ledger: after its header a ledger holds only "
                                       "[[entries]] tables", key=key))
    return Problem(file, line, problem.message, field=problem.field, kind=problem.kind)


def _line_finder(text: str, first: int):
    """``line_of(field)``: the file's line of ``field = …`` in this text (cut into lines only
    when a problem asks)."""
    lines: list[str] = []

    def line_of(field: str | None) -> int:
        if field is None:
            return first
        if not lines:
            lines.extend(text.split("\n"))
        pattern = re.compile(rf"^\s*{re.escape(field)}\s*=")
        for k, line in enumerate(lines):
            if pattern.match(line):
                return first + k
        return first

    return line_of


def parse_whole(raw: bytes, file: str, plan: Plan, office: str) -> tuple[dict, list[Parsed], list[Problem]]:
    """The slow, general path: the whole file parsed at once (a hand edit in an unusual form)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return {}, [], [Problem(file, raw[:exc.start].count(b"\n") + 1, not_utf8(raw), kind="encoding")]
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        line, message = toml.describe(exc)
        return {}, [], [Problem(file, line, message, kind="syntax")]
    rows = data.pop(TABLE, [])
    header_problems = [_placed(p, text, file) for p in check_header(data, file)]
    if not isinstance(rows, list):
        return data, [], header_problems + [Problem(file, None, msg("'entries' must be [[entries]] tables"))]
    starts = [m.start() for m in _MARK_LINE.finditer(text)]
    parsed = []
    for k, row in enumerate(rows):
        pos = starts[k] if k < len(starts) else len(text)
        line = text.count("\n", 0, pos) + 1
        block = Block(pos, line, b"", 0)
        if not isinstance(row, dict):
            parsed.append(Parsed(block, None, (Problem(file, line, msg("not a table")),)))
            continue
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        parsed.append(check_row(row, block, file, plan, office, _line_finder(text[pos:end], line)))
    return data, parsed, header_problems


# --------------------------------------------------------------------------- checking a row


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and math.isfinite(v))


def _text(v) -> bool:
    return isinstance(v, str)


_REQUIRED = ("id", "indicator", "as_of", "by", "recorded_at")


def _big(v: int | float) -> str:
    """A number too large to be a figure, as it could be written (1e+300, not 300 digits)."""
    return repr(v) if isinstance(v, float) else (str(v) if abs(v) < 10**30 else f"{v:.6e}")


def check_row(row: dict, block: Block, file: str, plan: Plan, office: str, line_of) -> Parsed:
    """A TOML table → an :class:`Entry`, or every problem with it (type, shape, plan)."""
    problems = [] if _plain(row) else _type_problems(row)
    v = row.get("recorded_at")
    cut_short = not (isinstance(v, dt.datetime) and v.tzinfo is not None)
    entry = None
    if not problems:
        supersedes, target_office = row.get("supersedes"), None
        if isinstance(supersedes, str):  # another office's entry: OFFICE#N
            m = _REF.fullmatch(supersedes)
            target_office, supersedes = m[1], int(m[2])
        get = row.get
        entry = new_entry(  # every field of Entry, in order
            row["id"], row["indicator"], row["as_of"], row["by"], row["recorded_at"], get("county"), get("value"),
            get("added"), get("numerator"), get("denominator"), _STATES[row["state"]] if "state" in row else None,
            supersedes, get("void", False), get("for_city", False), get("reason"), get("note"), get("source"),
            get("batch"), get("batch_size"), tuple(get("accepted", ())), office,
            target_office if target_office != office else None,
        )
        problems = shape_problems(entry) + entry_plan_problems(entry, plan)
        if problems:
            entry = None
    if not problems:
        return Parsed(block, entry, (), False)
    ident = row.get("id") if _is_int(row.get("id")) else "?"
    out = tuple(Problem(file, line_of(field), message, field=f"{TABLE}[{ident}].{field}", kind="entry")
                for field, message in problems)
    return Parsed(block, entry, out, cut_short)


_new_parsed = quick_constructor(Parsed)


def _figure(text: str) -> int | float | None:
    """The number of a text of the form, if a figure may be it (0 to 2^53); else None."""
    v = toml.number(text)
    return v if 0 <= v <= MAX_EXACT else None


def _quick_entry(groups: tuple[str | None, ...], office: str) -> Entry | None:
    """The entry of a block in the tool's own form (:func:`toml.entry_groups`), if every field
    is one :func:`check_row` accepts by its quick test (:func:`_plain`); else None, and the
    block goes the general way, which names the problems. The same entry the general way
    makes (tests/test_rebuild.py proves it on generated blocks): the form of each text is
    already known (a number, a date, true or false), so only the values are checked here."""
    (id_, indicator, county, as_of, value, added, numerator, denominator, state, number, ref, void, for_city,
     reason, note, source, batch, batch_size, by, recorded_at) = groups
    if id_ is None or indicator is None or as_of is None or by is None or recorded_at is None:
        return None
    id_ = int(id_)
    if not 1 <= id_ <= MAX_EXACT or county is not None and not county.strip():
        return None
    if (shared := _slugs.get(indicator)) is not None:
        indicator = shared
    elif not _is_slug(indicator):
        return None
    # one object for each text that repeats (a unit, a name): hashed and encoded for SQLite
    # once, and sent by the child of a rebuild once (:mod:`eduplan.store.halves`)
    if county is not None:
        county = _shared.get(county) or _share(county)
    by = _shared.get(by) or _share(by)
    try:
        as_of = toml.day(as_of)
        recorded_at = dt.datetime.fromisoformat(recorded_at)
    except ValueError:  # a day its month does not have
        return None
    if value is not None and (value := _figure(value)) is None:
        return None
    if added is not None and (added := _figure(added)) is None:
        return None
    if numerator is not None and (numerator := _figure(numerator)) is None:
        return None
    if denominator is not None and not (denominator := _figure(denominator)):  # nor 0
        return None
    if state is not None:
        state = _STATES.get(state)
        if state is None:
            return None
    if batch_size is not None:
        batch_size = int(batch_size)
        if not 1 <= batch_size <= MAX_EXACT:
            return None
    target_office = supersedes = None
    if number is not None:
        supersedes = int(number)
        if not 1 <= supersedes <= MAX_EXACT:
            return None
    elif ref is not None:
        m = _REF.fullmatch(ref)
        if m is None or int(m[2]) > MAX_EXACT:
            return None
        target_office, supersedes = m[1], int(m[2])
    return new_entry(id_, indicator, as_of, by, recorded_at, county, value, added, numerator, denominator, state,
                     supersedes, void == "true", for_city == "true", reason, note, source, batch, batch_size, (),
                     office, target_office if target_office != office else None)


_KNOWN = frozenset(ENTRY_WRITE_ORDER)
_MUST = frozenset(_REQUIRED)
_slugs: dict[str, str] = {}  # indicator ids seen to be slugs (a plan has a few dozen), each as one object
_shared: dict[str, str] = {}  # counties and names seen


def _is_slug(v: str) -> bool:
    """Is an indicator id a slug (remembered, so that the next entries skip the pattern)?"""
    if not _SLUG.match(v):
        return False
    if len(_slugs) < 4096:
        _slugs[v] = v
    return True


def _share(v: str) -> str:
    if len(_shared) < 4096:
        _shared[v] = v
    return v


def _plain(row: dict) -> bool:
    """Is every field of a type and in a range that :func:`_type_problems` accepts? The common
    case, told quickly; True only where it finds nothing (tests/test_ledger.py proves it on
    generated rows), False sends the row to it for the problems."""
    keys = row.keys()
    if not (keys <= _KNOWN and keys >= _MUST):
        return False
    v = row["id"]
    if type(v) is not int or not 1 <= v <= MAX_EXACT:
        return False
    v = row["indicator"]
    if type(v) is not str:
        return False
    if v not in _slugs and not _is_slug(v):
        return False
    v = row.get("county")
    if v is not None and (type(v) is not str or not v.strip()):
        return False
    if type(row["as_of"]) is not dt.date:
        return False
    for key in ("value", "added", "numerator", "denominator"):
        v = row.get(key)
        if v is not None:
            t = type(v)
            if (t is not int and t is not float) or not 0 <= v <= MAX_EXACT or (v == 0 and key == "denominator"):
                return False
    v = row.get("state")
    if v is not None and (type(v) is not str or v not in _STATES):
        return False
    v = row.get("batch_size")
    if v is not None and (type(v) is not int or not 1 <= v <= MAX_EXACT):
        return False
    v = row.get("supersedes")
    if v is not None:
        if type(v) is str:
            m = _REF.fullmatch(v)
            if m is None or int(m[2]) > MAX_EXACT:
                return False
        elif type(v) is not int or not 1 <= v <= MAX_EXACT:
            return False
    for key in ("void", "for_city"):
        v = row.get(key)
        if v is not None and type(v) is not bool:
            return False
    for key in ("reason", "note", "source", "batch"):
        v = row.get(key)
        if v is not None and type(v) is not str:
            return False
    if type(row["by"]) is not str:
        return False
    v = row.get("accepted")
    if v is not None and (type(v) is not list or not all(type(x) is str for x in v)):
        return False
    v = row["recorded_at"]
    return type(v) is dt.datetime and v.tzinfo is not None


def _type_problems(row: dict) -> list[tuple[str, Msg]]:
    """Every problem with the keys and the types of a row, in the order they are reported."""
    problems: list[tuple[str, Msg]] = []
    for key in row:
        if key not in ENTRY_WRITE_ORDER:
            problems.append((key, msg("unknown field '{key}'", key=key)))
    missing = [k for k in _REQUIRED if k not in row]
    for key in missing:
        problems.append((key, msg("the field '{key}' is missing", key=key)))
    v = row.get("id")
    if v is not None and not (_is_int(v) and v >= 1):
        problems.append(("id", msg("the id must be a whole number from 1")))
    for key in ("id", "supersedes", "batch_size"):  # an id typed far too long: the next one could not be stored
        v = row.get(key)
        if _is_int(v) and v > MAX_EXACT:
            problems.append((key, msg("{key} {value} is too large (the largest is 2^53)", key=key, value=_big(v))))
    v = row.get("indicator")
    if v is not None and not (_text(v) and _SLUG.match(v)):
        problems.append(("indicator", msg("the indicator must be an indicator id (text)")))
    v = row.get("county")
    if v is not None and not (_text(v) and v.strip()):
        problems.append(("county", msg("the county must be a name (text)")))
    v = row.get("as_of")
    if v is not None and not (isinstance(v, dt.date) and not isinstance(v, dt.datetime)):
        problems.append(("as_of", msg("as_of must be a date (2023-06-30)")))
    for key in ("value", "added", "numerator", "denominator"):
        v = row.get(key)
        if v is None:
            continue
        if not _is_number(v):
            problems.append((key, msg("{key} must be a number, not {value}", key=key, value=repr(v))))
        elif v < 0 or (key == "denominator" and v == 0):
            problems.append((key, msg("{key} must be above zero", key=key) if key == "denominator"
                             else msg("{key} must not be negative", key=key)))
        elif abs(v) > MAX_EXACT:
            problems.append((key, msg("{value} is too large to be a figure (the largest is 2^53)", value=_big(v))))
    v = row.get("state")
    if v is not None and not (isinstance(v, str) and v in _STATES):
        problems.append(("state", msg("the state must be done, in-progress or not-started")))
    v = row.get("batch_size")
    if v is not None and not (_is_int(v) and v >= 1):
        problems.append(("batch_size", msg("{key} must be a whole number from 1", key="batch_size")))
    supersedes = row.get("supersedes")
    if isinstance(supersedes, str):  # another office's entry: OFFICE#N
        m = _REF.fullmatch(supersedes)
        if m is None:
            problems.append(("supersedes", msg("supersedes must be an entry id (12) or another office's (OFFICE#12)")))
        elif int(m[2]) > MAX_EXACT:
            problems.append(("supersedes", msg("{key} {value} is too large (the largest is 2^53)", key="supersedes",
                                               value=_big(int(m[2])))))
    elif supersedes is not None and not (_is_int(supersedes) and supersedes >= 1):
        problems.append(("supersedes", msg("supersedes must be an entry id (12) or another office's (OFFICE#12)")))
    v = row.get("for_city")
    if v is not None and not isinstance(v, bool):
        problems.append(("for_city", msg("for_city must be true or false")))
    v = row.get("void")
    if v is not None and not isinstance(v, bool):
        problems.append(("void", msg("void must be true or false")))
    for key in ("reason", "note", "source", "batch", "by"):
        v = row.get(key)
        if v is not None and not _text(v):
            problems.append((key, msg("{key} must be a text", key=key)))
    v = row.get("accepted")
    if v is not None and not (isinstance(v, list) and all(_text(x) for x in v)):
        problems.append(("accepted", msg("accepted must be a list of rule ids")))
    v = row.get("recorded_at")
    if v is not None and not (isinstance(v, dt.datetime) and v.tzinfo is not None):
        problems.append(("recorded_at", msg("recorded_at must be a date and time with its zone (2023-07-02 09:15:00+08:00)")))
    return problems
