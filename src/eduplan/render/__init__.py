"""Showing documents: one dispatch, one module per format, the words in the catalogues.

``render(doc, fmt, lang, opts)`` returns text (``str``), text in pieces (an iterator of
``str``, for a long history) or bytes (a workbook). Which formats a document speaks is
:data:`FORMATS`; the command line offers exactly those. Each format's module is imported
only when used (``--format json`` never loads rich or openpyxl).

Renderers only show: every judgement about the data is already in the document.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from ..core.records import record
from ..i18n import use_terms

FORMATS: dict[str, dict[str, str]] = {
    "PlanDoc": {"table": "table:plan", "json": "json_out:plan", "csv": "csv_out:plan", "markdown": "markdown:plan"},
    "StatusReport": {"table": "table:status", "json": "json_out:status", "csv": "csv_out:status",
                     "markdown": "markdown:status"},
    "ShowDoc": {"table": "table:show", "json": "json_out:show", "markdown": "markdown:show"},
    "LogDoc": {"table": "table:log", "json": "json_out:log", "csv": "csv_out:log", "markdown": "markdown:log"},
    "Bulletin": {"markdown": "bulletin_text:markdown", "html": "html:bulletin", "xlsx": "xlsx:bulletin",
                 "json": "json_out:bulletin"},
    "TemplateDoc": {"xlsx": "xlsx:template", "csv": "csv_out:template"},
    "CoverageDoc": {"markdown": "markdown:coverage", "json": "json_out:coverage"},
    "QualityReport": {"table": "table:quality", "json": "json_out:quality", "csv": "csv_out:quality",
                      "markdown": "markdown:quality"},
    "Stored": {"text": "text:stored"},
    "ImportSummary": {"text": "text:imported"},
    "Written": {"text": "text:written"},
    "ValidateDoc": {"text": "text:validated"},
    "RepairDoc": {"text": "text:repaired"},
    "IndexDoc": {"text": "text:index", "json": "json_out:index"},
    "SplitDoc": {"text": "text:split"},
}
BINARY = {"xlsx"}


@record
class Options:
    """How the output is seen: the terminal's width, colour, indented JSON."""

    width: int = 100
    color: bool = False
    pretty: bool = False


def formats(kind: str) -> tuple[str, ...]:
    return tuple(FORMATS[kind])


def render(doc: object, fmt: str, lang: str, opts: Options = Options()) -> str | bytes | Iterator[str]:
    kind = type(doc).__name__
    table = FORMATS.get(kind)
    if table is None or fmt not in table:
        raise ValueError(f"no {fmt} renderer for {kind}")  # a programming error: the CLI offers only these
    plan = getattr(doc, "plan", None)
    if plan is not None and hasattr(plan, "terms"):  # its plan's words (全县), whichever plan was loaded last
        use_terms(plan.terms)
    module, func = table[fmt].split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), func)(doc, lang, opts)
