"""Splitting a one-file ledger into a folder of per-office files, losing and renumbering nothing.

Each entry goes to the office that reports its unit (a county's office; the city office for a
city-wide figure); a correction or void goes with the entry it supersedes (the same unit). Ids
are kept, so every ``#12`` a person wrote down is still that entry (now ``椒江区#12``). The new
folder is written beside the old file and renamed into place only when it reads back as exactly
the same entries; the old file is left as it was.

An import's entries keep their ``batch`` (importing the same sheet again is still refused, from
any office), and each file's ``batch_size`` counts that import's entries in that file: a city
sheet's rows go to several offices' files, and each part is a whole import in its file (an
import cut short is told apart per file, as every office's own imports are).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from ..core.entries import parted_batches
from ..core.models import Entry, Plan
from ..core.names import unit_called
from ..core.records import record
from ..errors import EduplanError, ProblemsError, UsageError, os_error
from ..i18n import N_, Msg, msg
from ..store import ledger as ledger_store
from ..store import ledgerfile as lf
from ..store.output import write_beside
from ..store.paths import real_path
from .workspace import OFFICE_FILE, Workspace

GITIGNORE = ("# eduplan: files that are this computer's own, not the ledger's\n"
             "*.lock\n*.torn-*\n" + OFFICE_FILE + "\n")


@record(slots=False)
class SplitDoc:
    source: Path
    folder: Path
    files: tuple[tuple[str, str, int], ...]  # (office, file name, entries)


def office_of_unit(plan: Plan) -> dict[str | None, str]:
    """unit → the office that records it (the one named after a county first, for a county)."""
    out: dict[str | None, str] = {}
    for office in sorted(plan.offices, key=lambda o: o.name not in plan.plan.counties):
        for unit in office.units:
            out.setdefault(unit, office.name)
    return out


def split(ws: Workspace, into: str | Path) -> SplitDoc:
    plan = ws.plan
    source = ws.ledger_path
    if ws.folder:
        raise UsageError(msg("{path} is already a folder of offices' files", path=str(source)), field="ledger")
    target = Path(into)
    if str(into) == "":
        raise UsageError(msg("the file name is empty"), field="folder")
    real = real_path(target)
    if real.exists() and (not real.is_dir() or any(real.iterdir())):
        raise EduplanError(msg("{path} exists and is not an empty folder; split into a new folder", path=str(target)),
                           field="folder")
    view = ws.view()
    try:
        entries = sorted((e for e, _ in view.history()), key=lambda e: e.id)
    finally:
        view.close()
    offices = office_of_unit(plan)
    by_id = {e.id: e for e in entries}
    placed: list[Entry] = []
    for e in entries:
        base = e
        while base.supersedes is not None and base.supersedes in by_id:
            base = by_id[base.supersedes]
        office = offices.get(base.county)
        if office is None:
            raise EduplanError(msg("no office of the plan records {unit} (entry #{id}); declare one in the plan's "
                                   "[[offices]]", unit=unit_called(base.county), id=e.id))
        placed.append(dataclasses.replace(e, office=office))
    placed = parted_batches(placed, [e.office for e in placed])
    grouped: dict[str, list[Entry]] = {}
    for e in placed:
        grouped.setdefault(e.office, []).append(e)
    work = real.with_name(f".{real.name}.{os.getpid()}.split")
    files = []
    try:
        work.mkdir(parents=False)
        write_beside(work / ".gitignore", GITIGNORE.encode("utf-8"), exclusive=True)
        for office in sorted(grouped):
            loc = ledger_store.Place(work, work, True).file_for(office)
            text = lf.header_text(plan, office) + lf.render_entries(grouped[office])
            write_beside(work / loc.name, text.encode("utf-8"), exclusive=True)
            files.append((office, loc.name, len(grouped[office])))
        back, sync = ledger_store.read_plain(work, plan)
        if sync.problems:  # named as the files would have been, in the folder asked for
            raise ProblemsError([dataclasses.replace(p, file=_beside(p.file, work, target)) for p in sync.problems],
                                hint=msg("internal error: the split folder would not load (the problems above); "
                                         "nothing was changed"))
        differs = difference(placed, back)
        if differs is not None:
            raise EduplanError(msg("internal error: the split folder does not read back as the ledger ({what}); "
                                   "nothing was changed", what=differs))
        if real.exists():
            real.rmdir()
        os.replace(work, real)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise os_error(target, exc, N_("writing the ledger folder")) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return SplitDoc(source, target, tuple(files))


def _beside(file: str, work: Path, target: Path) -> str:
    path = Path(file)
    return str(target / path.name) if path.parent == work else file


_COMPARED = tuple(f.name for f in dataclasses.fields(Entry))


def difference(written: Sequence[Entry], back: Sequence[Entry]) -> Msg | None:
    """The first entry (by office and id) that ``back`` does not give as ``written`` was, and
    how: missing, added, or which field differs. None when every entry reads back the same."""
    want = {(e.office, e.id): e for e in written}
    got = {(e.office, e.id): e for e in back}
    for key in sorted(want.keys() | got.keys()):
        ref = f"{key[0]}#{key[1]}"
        w, g = want.get(key), got.get(key)
        if g is None:
            return msg("entry {ref} is missing from the folder", ref=ref)
        if w is None:
            return msg("the folder has an entry {ref} that the ledger does not have", ref=ref)
        for name in _COMPARED:
            if getattr(w, name) != getattr(g, name):
                return msg("entry {ref}: {field} reads back as {got}, not {want}", ref=ref, field=name,
                           got=_shown(getattr(g, name)), want=_shown(getattr(w, name)))
    return None


def _shown(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)  # a text in quotes: its spaces show
