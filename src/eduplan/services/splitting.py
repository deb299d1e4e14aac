"""Splitting a one-file ledger into a folder of per-office files, losing and renumbering nothing.

Each entry goes to the office that reports its unit (a county's office; the city office for a
city-wide figure); a correction or void goes with the entry it supersedes (the same unit). Ids
are kept, so every ``#12`` a person wrote down is still that entry (now ``椒江区#12``). The new
folder is written beside the old file and renamed into place only when it reads back as exactly
the same entries; the old file is left as it was.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

from ..core.models import Entry, Plan
from ..core.records import record
from ..errors import EduplanError, UsageError, os_error
from ..i18n import N_, msg
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
    grouped: dict[str, list[Entry]] = {}
    for e in entries:
        base = e
        while base.supersedes is not None and base.supersedes in by_id:
            base = by_id[base.supersedes]
        office = offices.get(base.county)
        if office is None:
            raise EduplanError(msg("no office of the plan records {unit} (entry #{id}); declare one in the plan's "
                                   "[[offices]]", unit=base.county or "全市", id=e.id))
        grouped.setdefault(office, []).append(dataclasses.replace(e, office=office))
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
        if sync.problems or sorted((e.office, e.id, e.indicator, e.value, e.state) for e in back) != sorted(
                (e.office, e.id, e.indicator, e.value, e.state) for es in grouped.values() for e in es):
            raise EduplanError(msg("internal error: the split folder does not read back as the ledger; nothing was "
                                   "changed"))
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
