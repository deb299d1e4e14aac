"""Repairing a ledger whose last write was cut short (a crash, ``kill -9``, a full disk): the
incomplete end is cut off, a copy of the cut bytes kept beside the file; nothing else is ever
changed by it (anything else is for a person to fix by hand)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..core.models import Plan
from ..core.records import record
from ..errors import ProblemsError, os_error
from ..i18n import N_, msg
from .appending import check_writable
from .index import Index
from .ledger import Location, Place, Sync, index_whole, place, sync_file, sync_place
from .locking import ledger_lock


@record(slots=False)
class RepairResult:
    path: Path
    kept: int
    removed_bytes: int
    saved_to: Path | None
    exists: bool = True


def repair(path: Path, plan: Plan, now: dt.datetime) -> RepairResult:
    """Cut an incomplete tail (a torn last entry, or an import cut short) off the ledger (off
    every file of a folder that has one), saving the cut bytes beside it first. Refuses,
    changing nothing, unless everything else is valid."""
    where = place(path)
    if not where.real.exists():
        return RepairResult(path, 0, 0, None, exists=False)
    sync = _read_plain(where, plan)
    if not sync.problems:
        return RepairResult(path, sync.count, 0, None)
    torn = list(sync.torn_files) or ([(where.files()[0], sync.cut)] if sync.torn and sync.cut is not None else [])
    if not sync.torn or not torn:
        raise ProblemsError(sync.problems, hint=msg(
            "repair only removes an incomplete end of the ledger; fix these by hand, then run `eduplan validate`"))
    removed, saved = 0, None
    for loc, _ in torn:
        one = _repair_file(loc, plan, now)
        removed += one.removed_bytes
        saved = saved or one.saved_to
    after = _read_plain(where, plan)
    return RepairResult(path, after.count, removed, saved)


def _read_plain(where: Place, plan: Plan) -> Sync:
    """Every file of the ledger read afresh into an index in memory (what repair trusts)."""
    index = Index(None)
    index.reset(str(where.real), plan.fingerprint)
    try:
        return sync_place(index, where, plan, None)
    finally:
        index.close()


def _repair_file(loc: Location, plan: Plan, now: dt.datetime) -> RepairResult:
    from .output import write_beside

    check_writable(loc, False)
    with ledger_lock(loc):
        index = Index(None)
        index.reset(str(loc.real), plan.fingerprint)
        try:
            sync = sync_file(index, loc, plan, writer=False)
            if not sync.problems:
                return RepairResult(loc.path, sync.count, 0, None)
            if not sync.torn or sync.cut is None:
                raise ProblemsError(sync.problems, hint=msg(
                    "repair only removes an incomplete end of the ledger; fix these by hand, then run `eduplan validate`"))
            with open(loc.real, "rb") as fh:
                raw = fh.read()
            keep = raw[:sync.cut]
            while keep.endswith(b"\n\n"):
                keep = keep[:-1]
            index.reset(str(loc.real), plan.fingerprint)
            check = index_whole(index, loc, plan, keep, None)
            if check.problems:
                raise ProblemsError(sync.problems, hint=msg(
                    "repair only removes an incomplete end of the ledger; fix these by hand, then run `eduplan validate`"))
            stamp = now.strftime('%Y%m%dT%H%M%S')
            saved = loc.real.with_name(f"{loc.real.name}.torn-{stamp}")
            for n in range(2, 100):  # a second repair in the same second: the next free name
                if not os.path.lexists(saved):
                    break
                saved = loc.real.with_name(f"{loc.real.name}.torn-{stamp}-{n}")
            write_beside(saved, raw[len(keep):], exclusive=True)
            try:
                with open(loc.real, "r+b") as fh:
                    fh.truncate(len(keep))
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise os_error(loc.path, exc, N_("cutting the incomplete end off the ledger")) from None
            return RepairResult(loc.path, check.count, len(raw) - len(keep), saved)
        finally:
            index.close()
