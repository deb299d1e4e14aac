"""The rules across the files of a ledger folder (one file per office): every file names its
office, one of the plan's, and only once; an office's entries are for the units it reports;
corrections and voids of another office's entries are the city's, and fit what they correct;
no entry is superseded from two files. Each file's own rules are :mod:`eduplan.store.ledger`'s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.entries import supersede_problems
from ..core.models import Plan
from ..core.names import unit_called
from ..errors import Problem
from ..i18n import msg, nmsg
from .index import Index, Light

if TYPE_CHECKING:
    from .ledger import Location, Place


def problems(index: Index, where: Place, plan: Plan, locs: Sequence[Location]) -> list[Problem]:
    """:func:`_problems`, unless the index says they were found to be none for these
    files, this plan and this code, and nothing has been written to it since (every write
    empties what it keeps, :mod:`eduplan.store.memo`): the rules read every entry of the folder
    (0.1-0.2 s at 70,000 entries), and most commands find the folder as the last one left it."""
    from . import memo

    key = memo.key("folder-problems", plan, files=sorted(loc.name for loc in locs))
    if index.memo(key) == "none":
        return []
    generation = index.generation()
    problems = _problems(index, where, plan, locs)
    if not problems:
        index.keep(key, generation, "none")
    return problems


def _line_of(loc: Location, id_: int, field: str) -> int | None:
    """The line of the file that sets ``field`` in entry ``id_``'s table; the entry's ``id``
    line where the table leaves the field out (None where no line says ``id = id_``)."""
    try:
        with open(loc.real, "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    m = re.search(rb"^id\s*=\s*" + str(id_).encode() + rb"\s*$", raw, re.MULTILINE)
    if m is None:
        return None
    at = start = m.start()
    while start > 0:  # the table: from the [[…]] line before the id line (however it is spaced) to the next
        line = raw.rfind(b"\n", 0, start - 1) + 1
        header = raw[line:start].lstrip(b" \t").startswith(b"[[")
        start = line
        if header:
            break
    end = _TABLE_LINE.search(raw, m.end())
    key = re.compile(rb"^[ \t]*" + re.escape(field.encode()) + rb"[ \t]*=", re.MULTILINE)
    if (k := key.search(raw, start, len(raw) if end is None else end.start())) is not None:
        at = k.start()
    return raw.count(b"\n", 0, at) + 1


_TABLE_LINE = re.compile(rb"^[ \t]*\[\[", re.MULTILINE)


# each file's entries by unit, leaving out those that act for the city: for_city, and an
# office's corrections and voids of its own entries that act for the city (the unit is still
# the county's; correct and void now write them with for_city = true, earlier versions did not)
_NOT_FOR_CITY = """
WITH RECURSIVE acting(office, id) AS (
    SELECT office, id FROM entries WHERE for_city = 1
    UNION
    SELECT e.office, e.id FROM entries e JOIN acting a ON e.sup_office = a.office AND e.supersedes = a.id
    WHERE e.office = a.office
)
SELECT file, office, county, MIN(id), COUNT(*) FROM entries
WHERE NOT EXISTS (SELECT 1 FROM acting a WHERE a.office = entries.office AND a.id = entries.id)
GROUP BY file, county
"""


def _office_line(path: Path) -> int:
    """The line of a file's ``office = …`` (in its header, before the first entry): where a
    problem with the office is said; 1 where there is none."""
    try:
        with open(path, "rb") as fh:
            for number, line in enumerate(fh, 1):
                text = line.lstrip(b"\xef\xbb\xbf").strip()
                if text.startswith(b"[[entries]]") or number > 200:
                    break
                if text.startswith(b"office") and text[6:].lstrip().startswith(b"="):
                    return number
    except OSError:
        pass
    return 1


def _problems(index: Index, where: Place, plan: Plan, locs: Sequence[Location]) -> list[Problem]:
    """The rules across the files of a ledger folder: one file per office, offices of the plan,
    entries for the units an office reports, corrections of another office's entries."""
    by_name = {loc.name: loc for loc in locs}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for f in index.files():
        loc = by_name.get(f.name)
        if loc is None:
            continue
        if not f.office:
            problems.append(Problem(str(loc.path), 1, msg("a file in a ledger folder names its office in its header "
                                                          "(office = \"…\")"), field="office", kind="folder"))
        elif plan.office(f.office) is None:
            problems.append(Problem(str(loc.path), _office_line(loc.path), msg(
                "the office '{office}' is not one of the plan's offices ({all})", office=f.office,
                all=[o.name for o in plan.offices]), field="office", kind="folder"))
        elif f.office in seen:
            problems.append(Problem(str(loc.path), _office_line(loc.path), msg(
                "a second file for the office '{office}' (the first is {other}); an office keeps one file",
                office=f.office, other=seen[f.office]), field="office", kind="folder"))
        else:
            seen[f.office] = f.name
    if problems:
        return problems
    for file, office, county, first, n in index.con.execute(_NOT_FOR_CITY):
        o = plan.office(office)
        unit = county or None
        if o is not None and unit not in o.units:
            loc = by_name[file]
            problems.append(Problem(str(loc.path), _line_of(loc, first, "county"), nmsg(
                "the office '{office}' reports {units}, not {unit} ({n} entry, the first #{first})",
                "the office '{office}' reports {units}, not {unit} ({n} entries, the first #{first})", n,
                office=office, units=[unit_called(u) for u in o.units], unit=unit_called(unit), first=first),
                field=f"entries[{first}].county", kind="folder"))
    rows = index.con.execute(
        "SELECT e.file, e.office, e.id, e.indicator, e.county, e.supersedes, e.sup_office, t.id, t.void, t.indicator, "
        "t.county FROM entries e LEFT JOIN entries t ON t.office = e.sup_office AND t.id = e.supersedes "
        "WHERE e.supersedes IS NOT NULL AND e.sup_office != e.office").fetchall()
    for file, office, id_, indicator, county, sup, sup_office, tid, tvoid, tind, tcounty in rows:
        loc = by_name[file]
        here = Light(office, id_, indicator, county or None, sup, sup_office, False, None, None)
        target = None if tid is None else Light(sup_office, tid, tind, tcounty or None, None, None, bool(tvoid), None, None)
        found = supersede_problems(here, target, None)
        o = plan.office(office)
        if o is not None and not o.city:
            found.append(("for_city", msg("only an office that reports the city-wide figure may act for the city")))
        for field, message in found:
            problems.append(Problem(str(loc.path), _line_of(loc, id_, field), message, field=f"entries[{id_}].{field}",
                                    kind="folder"))
    problems += _superseded_twice(index, by_name)
    return problems


def _superseded_twice(index: Index, by_name: dict[str, Location]) -> list[Problem]:
    """One entry corrected or voided from two files (two offices' clones merged, each with its
    own correction): the one recorded first stands and the later is a problem, as a second
    correction within one file is (that one :func:`eduplan.store.ledger.check_structure` names)."""
    rows = index.con.execute(
        "SELECT e.file, e.office, e.id, e.sup_office, e.supersedes FROM entries e WHERE e.supersedes IS NOT NULL "
        "AND EXISTS (SELECT 1 FROM entries o WHERE o.sup_office = e.sup_office AND o.supersedes = e.supersedes "
        "AND o.file != e.file) ORDER BY e.sup_office, e.supersedes, e.stamp, e.office, e.id").fetchall()
    problems: list[Problem] = []
    first: dict[tuple[str, int], tuple[str, int]] = {}
    files: dict[tuple[str, int], set[str]] = {}
    for file, office, id_, sup_office, sup in rows:
        target = (sup_office, sup)
        if target in first and file not in files[target]:
            loc = by_name.get(file)
            if loc is not None:
                problems.append(Problem(str(loc.path), _line_of(loc, id_, "supersedes"), msg(
                    "entry {target} was already superseded by entry {by}", target=f"{sup_office}#{sup}",
                    by="#".join(map(str, first[target]))), field=f"entries[{id_}].supersedes", kind="folder"))
        first.setdefault(target, (office, id_))
        files.setdefault(target, set()).add(file)
    return problems
