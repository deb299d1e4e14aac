"""CSV for people's spreadsheets: headers, names and statuses in the reader's language, ids
kept (a person types them into commands), UTF-8 with a byte-order mark for Excel and WPS.
Scripts read the JSON instead."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..core.numbers import format_number
from ..core.progress import StatusReport
from ..core.times import iso
from ..services.sheet_contract import TemplateDoc
from .encoding import csv_lines, to_csv
from .figures import pct, stored_value, target_text, to_go, unit_target
from .words import (
    finding_refs,
    gettext,
    kind_label,
    name_of,
    notes_text,
    remark,
    rule_label,
    section_name,
    state_label,
    status_label,
    unit_name,
)

if TYPE_CHECKING:  # documents are built by the services; renderers only read them
    from ..core.documents import LogDoc, PlanDoc, QualityReport


def _n(x: float | None) -> object:
    if x is None:
        return ""
    return int(x) if float(x).is_integer() else round(x, 4)


def plan(doc: PlanDoc, lang: str, opts) -> str:
    _ = gettext(lang)
    p = doc.plan
    header = [_("id"), _("indicator"), _("sections"), _("actions"), _("kind"), _("unit"), _("target"), _("source")]
    rows = [[i.id, name_of(i, lang), " ".join(i.sections), " ".join(i.actions), kind_label(i, lang),
             i.unit, target_text(i, lang=lang), i.source] for i in p.indicators]
    return to_csv(rows, header)


def status(doc: StatusReport, lang: str, opts) -> str:
    _ = gettext(lang)
    plan = doc.plan
    if doc.by_county is not None:
        return _by_county(doc, lang)
    header = [_("section"), _("id"), _("indicator"), _("kind"), _("unit"), _("target"), _("actual"), _("completion"),
              _("expected"), _("status"), _("short by (points)"), _("to go"), _("needed per month"),
              _("counties reported"), _("figure as of"), _("note")]
    rows = []
    for p in doc.rows:
        ind = p.indicator
        actual = state_label(p.state.value, lang) if p.state is not None and p.actual is None else _n(p.actual)
        rows.append([section_name(plan.section_by_id[ind.sections[0]], lang), ind.id, name_of(ind, lang),
                     kind_label(ind, lang), ind.unit, unit_target(p, lang), actual,
                     pct(p.done_share, 1) if p.done_share is not None else "",
                     pct(p.expected, 1) if p.expected is not None else "", status_label(p.status.value, lang),
                     "" if p.lag_pp is None else round(p.lag_pp, 1), to_go(p, lang) if p.remaining or p.gap_pp or p.over else "",
                     _n(p.monthly_needed), len(p.counties), p.as_of_figure, notes_text(p.notes, lang)])
    return to_csv(rows, header)


def _by_county(doc: StatusReport, lang: str) -> str:
    """One row per indicator and unit (the counties, then the city): a table an analyst pivots."""
    _ = gettext(lang)
    plan = doc.plan
    city = {p.indicator.id: p for p in doc.rows}
    header = [_("id"), _("indicator"), _("county-level unit"), _("unit"), _("actual"), _("target"), _("completion"),
              _("status"), _("share of the city total"), _("figure as of"), _("note")]
    rows = []
    for ind_id, cells in doc.by_county.items():
        ind = plan.by_id[ind_id]
        for unit, p in [*cells.items(), (None, city[ind_id])]:
            actual = state_label(p.state.value, lang) if p.state is not None and p.actual is None else _n(p.actual)
            rows.append([ind_id, name_of(ind, lang), unit_name(unit, lang), ind.unit, actual, unit_target(p, lang),
                         pct(p.done_share, 1) if p.done_share is not None else "", status_label(p.status.value, lang),
                         pct(p.share_of_city, 1) if p.share_of_city is not None else "", p.as_of_figure, notes_text(p.notes, lang)])
    return to_csv(rows, header)


def log(doc: LogDoc, lang: str, opts) -> Iterator[str]:
    _ = gettext(lang)
    plan = doc.plan
    header = [_("entry"), _("office"), _("id"), _("indicator"), _("county-level unit"), _("as of"), _("value"),
              _("numerator"), _("denominator"), _("state"), _("remarks"), _("by"), _("recorded at")]

    def rows():
        for r in doc.rows:
            e = r.entry
            ind = plan.indicator(e.indicator)
            yield [e.id, e.office, e.indicator, name_of(ind, lang) if ind else e.indicator, unit_name(e.county, lang),
                   e.as_of, stored_value(e, ind.unit if ind else "", lang) if not e.void else _("void"),
                   _n(e.numerator), _n(e.denominator), state_label(e.state.value, lang) if e.state else "",
                   remark(r, lang), e.by, iso(e.recorded_at, " ")]

    return csv_lines(rows(), header)


def quality(doc: QualityReport, lang: str, opts) -> str:
    _ = gettext(lang)
    plan = doc.plan
    header = [_("rule"), _("rule id"), _("indicator"), _("id"), _("county-level unit"), _("entries"), _("as of"),
              _("finding"), _("accepted by")]
    rows = []
    for f in doc.findings:
        ind = plan.indicator(f.indicator)
        rows.append([rule_label(f.rule, lang), f.rule, name_of(ind, lang) if ind else f.indicator, f.indicator,
                     unit_name(f.county, lang), finding_refs(f, lang), f.as_of or "", f.message.render(lang), f.by or ""])
    return to_csv(rows, header)


def template(doc: TemplateDoc, lang: str, opts) -> bytes:
    """The fill-in sheet as CSV: the sheet's date (and a county's sheet's unit) on the first
    lines, a blank line, then the table (import finds the header row)."""
    from . import sheet_cells

    _ = gettext(lang)
    lines = [[label, value.isoformat() if hasattr(value, "isoformat") else value, meaning]
             for label, value, meaning in sheet_cells.top_block(doc, lang)]
    lines.append([])
    lines.append([_(c.header) for c in doc.columns])
    value = next(k for k, c in enumerate(doc.columns) if c.field == "value")
    for row in doc.rows:
        cells = sheet_cells.cells(doc, row, lang)
        # a ratio with spaces round its slash: an office suite opening the CSV makes 3/4 a date (3/4/26) and
        # keeps 3 / 4 as it is, which import reads as the same ratio
        if isinstance(cells[value], str) and _RATIO.fullmatch(cells[value]):
            cells[value] = cells[value].replace("/", " / ")
        lines.append(cells)
    return to_csv(lines[1:], lines[0]).encode("utf-8")


_RATIO = re.compile(r"[\d.]+/[\d.]+")


__all__ = ["plan", "status", "log", "quality", "template", "format_number"]
