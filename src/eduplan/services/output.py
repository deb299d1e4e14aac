"""Saving what a command rendered to a file the user named (a report, a template)."""

from __future__ import annotations

from pathlib import Path

from ..core.receipts import Written
from ..store.output import write_output
from .workspace import Workspace


def save(ws: Workspace, path: str | Path, data: bytes, *, kind: str, fmt: str, overwrite: bool = True,
         detail: dict | None = None) -> Written:
    """Write ``data`` whole to ``path``; never over the ledger or the plan, nor anything that
    is not a regular file; with ``overwrite=False`` never over an existing file."""
    path = Path(path)
    write_output(path, data, protect=ws.protected(), overwrite=overwrite)
    return Written(path, kind, fmt, detail or {})
