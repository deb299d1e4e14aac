"""Helpers shared by tests. Figures made here are SYNTHETIC."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from eduplan.services import Workspace
from eduplan.store.ledger import read_plain

TZ = dt.timezone(dt.timedelta(hours=8))


def ws_for(plan_path: Path, ledger: Path, today: dt.date = dt.date(2023, 12, 31), by: str = "tester") -> Workspace:
    return Workspace(plan_path, ledger, by, dt.datetime(today.year, today.month, today.day, 9, 30, tzinfo=TZ))


def entries(ledger: Path, plan):
    """The ledger's entries read from scratch (no index), asserting that it loads."""
    found, sync = read_plain(ledger, plan)
    assert not sync.problems, [p.render("en") for p in sync.problems]
    return found


def problems(ledger: Path, plan) -> list[str]:
    return [p.render("en") for p in read_plain(ledger, plan)[1].problems]
