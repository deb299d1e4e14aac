"""The fill-in template as a document: which indicators, which columns (the contract in
:mod:`eduplan.services.sheet_contract`). Rendering it to xlsx or csv is :mod:`eduplan.render`."""

from __future__ import annotations

from ..core.names import find_county
from ..errors import UsageError
from ..i18n import msg
from .sheet_contract import TEMPLATE_COLUMNS, TemplateDoc, template_indicators
from .workspace import Workspace

FORMATS = ("xlsx", "csv")


def template(ws: Workspace, *, county: str | None = None, fmt: str = "xlsx") -> TemplateDoc:
    if fmt not in FORMATS:
        raise UsageError(msg("a template is written as xlsx or csv"), field="format")
    unit = find_county(ws.plan, county).value if county is not None else None
    return TemplateDoc(ws.plan, unit, TEMPLATE_COLUMNS, tuple(template_indicators(ws.plan, unit)), fmt)
