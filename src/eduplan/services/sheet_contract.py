"""The spreadsheet contract, once: the columns a fill-in template has and ``import`` reads.

``template`` writes :data:`TEMPLATE_COLUMNS` (headers in the reader's language);
``import`` finds each field by any of its accepted headers (Chinese or English, compared
after NFKC, lower-casing and dropping spaces and ``*``). Columns that are not fields (name,
unit, target, hints) are ignored on import.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Sequence

from ..core.models import Indicator, Measure, Plan
from ..i18n import N_, Msg, msg


@dataclasses.dataclass(frozen=True)
class Column:
    field: str  # the field it carries, or "" for a column import ignores
    header: str  # msgid: the header written in a template, translated
    accepted: tuple[str, ...] = ()  # other headers import reads for the field
    required: bool = False
    input: bool = False  # a column staff fill in


TEMPLATE_COLUMNS: tuple[Column, ...] = (
    Column("indicator", N_("id"), ("指标", "指标id", "指标编号", "指标代码", "indicator", "indicator_id", "id"), True),
    Column("", N_("indicator name")),
    Column("", N_("unit")),
    Column("", N_("target")),
    Column("value", N_("value"), ("数值", "实际", "实际值", "完成值", "数据", "value", "actual", "figure"), True, True),
    Column("as_of", N_("as-of date"), ("截至日期", "截止日期", "日期", "截至", "数据截至", "as_of", "as-of", "asof", "date"),
           True, True),
    Column("county", N_("county-level unit"), ("县", "县(市、区)", "县(市,区)", "县市区", "县区", "地区", "county"),
           False, True),
    Column("note", N_("note"), ("备注", "note", "notes", "remark", "remarks"), False, True),
    Column("source", N_("source"), ("来源", "数据来源", "source"), False, True),
    Column("", N_("how to fill it in")),
)
FIELDS = {c.field: c for c in TEMPLATE_COLUMNS if c.field}
REQUIRED = tuple(c.field for c in TEMPLATE_COLUMNS if c.required)
EMPTY_COUNTY = ("", "—", "-", "–")  # a county cell that says "city-wide" by being empty


def header_key(header: object) -> str:
    text = unicodedata.normalize("NFKC", "" if header is None else str(header))
    return "".join(ch for ch in text.strip().lower() if not ch.isspace() and ch != "*")


def _aliases() -> dict[str, str]:
    from ..i18n import tr

    out = {}
    for c in TEMPLATE_COLUMNS:
        if not c.field:
            continue
        for name in (*c.accepted, c.header, tr(c.header, "zh")):
            out[header_key(name)] = c.field
    return out


def field_of(header: object) -> str | None:
    return _aliases().get(header_key(header))


def accepted_names(field: str) -> tuple[str, ...]:
    return FIELDS[field].accepted[:4]


def template_indicators(plan: Plan, county: str | None) -> list[Indicator]:
    """Every indicator; on one county's sheet, those a county reports (milestones are city-wide, and
    so is what the plan says the city reports)."""
    return [ind for ind in plan.indicators if county is None or (
        ind.measure != Measure.MILESTONE and (ind.reported_by is None or ind.reported_by.value != "city"))]


def fill_hint(ind: Indicator, county: str | None) -> Msg:
    m = ind.measure
    if m == Measure.MILESTONE or (m == Measure.COUNTIES and county is not None):
        return msg("done / in-progress / not-started")
    if m == Measure.LEVEL:
        if not ind.is_percent:
            return msg("the number at the as-of date (a state, not a total to date), e.g. 12")
        return msg("a percentage (56%) or numerator/denominator (12000/21000)")
    if m == Measure.COUNTIES:
        return msg("the share of counties meeting it, e.g. 50%") if ind.is_percent else msg("the number of counties meeting it")
    return msg("the cumulative total to date, e.g. 12 or 3.5万")


@dataclasses.dataclass(frozen=True)
class TemplateDoc:
    """A sheet to fill in: one row per indicator, the input columns empty."""

    plan: Plan
    county: str | None
    columns: Sequence[Column]
    indicators: tuple[Indicator, ...]
    format: str  # xlsx or csv

    def hint(self, ind: Indicator) -> Msg:
        return fill_hint(ind, self.county)
