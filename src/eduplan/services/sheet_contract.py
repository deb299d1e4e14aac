"""The spreadsheet contract, once: the layout a fill-in template has and ``import`` reads.

A template is a short block, then a table::

    市教育局2023年工作重点：填报表 · 椒江区        (a title)
    截至日期      2023-06-30                     (one date for every figure on the sheet)
    县(市、区)    椒江区                         (a county's sheet: its unit)

    id | 指标名称 | 单位 | 分解目标 | 上次填报 | 数值 | 本月新增 | 备注 | 来源 | 填写说明
    …  (the value column holds the last figure: a person updates what changed)

``import`` finds the header row (the first row with an indicator and a value column) and
reads the cells above it as label/value pairs for the whole sheet (:data:`SHEET_FIELDS`); a
column of the same field in the table overrides them row by row, so a sheet with a date per
row (an older template, a hand-made file) reads as before. Each field is found by any of its
accepted headers (Chinese or English, compared after NFKC, lower-casing and dropping spaces
and ``*``). Columns that are not fields (name, unit, target, last figure, hints) are ignored.

A figure is stored as what it is: the value column as a total (or a level, a state), the
本月新增 column as an increment (``Entry.added``).
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Sequence

from ..core.models import Entry, Indicator, Measure, Plan
from ..core.progress import Note
from ..core.records import record
from ..i18n import DEFAULT_TERMS, LANGS, N_, Msg, Terms, msg, terms_of, tr


@record(slots=False)
class Column:
    field: str  # the field it carries, or "" for a column import ignores
    header: str  # msgid: the header written in a template, translated
    accepted: tuple[str, ...] = ()  # other headers import reads for the field
    required: bool = False
    input: bool = False  # a column staff fill in


COUNTY_HEADERS = ("县", "县(市、区)", "县(市,区)", "县市区", "县区", "地区", "填报单位", "county")
INDICATOR = Column("indicator", N_("id"), ("指标", "指标id", "指标编号", "指标代码", "indicator", "indicator_id", "id"),
                   True)
NAME = Column("", N_("indicator name"))
UNIT = Column("", N_("unit"))
TARGET = Column("", N_("target"))
COUNTY_TARGET = Column("", N_("county target"))
LAST = Column("last", N_("last figure"), ("上次填报", "last figure"))  # read only to recognise a baseline left as filled
VALUE = Column("value", N_("value"), ("数值", "实际", "实际值", "完成值", "数据", "累计数", "累计", "value", "actual",
                                      "figure", "total"), True, True)
ADDED = Column("added", N_("added this month"), ("本月新增", "本月新增数", "本月增加", "新增", "增量", "added",
                                                 "increment", "this month"), False, True)
AS_OF = Column("as_of", N_("as-of date"), ("截至日期", "截止日期", "日期", "截至", "数据截至", "as_of", "as-of", "asof",
                                           "date"), False, True)
COUNTY = Column("county", N_("county-level unit"), COUNTY_HEADERS, False, True)
NOTE = Column("note", N_("note"), ("备注", "note", "notes", "remark", "remarks"), False, True)
SOURCE = Column("source", N_("source"), ("来源", "数据来源", "source"), False, True)
HOW = Column("", N_("how to fill it in"))

# Every column import knows (a sheet may carry a date per row, or one for the whole sheet)
TEMPLATE_COLUMNS: tuple[Column, ...] = (INDICATOR, NAME, UNIT, TARGET, LAST, VALUE, ADDED, AS_OF, COUNTY, NOTE, SOURCE,
                                        HOW)
FIELDS = {c.field: c for c in TEMPLATE_COLUMNS if c.field}
REQUIRED = tuple(c.field for c in TEMPLATE_COLUMNS if c.required)
SHEET_FIELDS = ("as_of", "county")  # what a cell above the header may give for every row
EMPTY_COUNTY = ("", "—", "-", "–")  # a county cell that says "city-wide" by being empty


def columns_for(county: str | None) -> tuple[Column, ...]:
    """The columns of a template: one date for the whole sheet (above the header), so none per
    row; on a county's sheet the county is the sheet's too, and the target is the county's."""
    if county is None:
        return (INDICATOR, NAME, UNIT, TARGET, LAST, VALUE, ADDED, COUNTY, NOTE, SOURCE, HOW)
    return (INDICATOR, NAME, UNIT, COUNTY_TARGET, LAST, VALUE, ADDED, NOTE, SOURCE, HOW)


def header_key(header: object) -> str:
    text = unicodedata.normalize("NFKC", "" if header is None else str(header))
    return "".join(ch for ch in text.strip().lower() if not ch.isspace() and ch != "*")


@functools.lru_cache(maxsize=8)
def _aliases(terms: Terms) -> dict[str, str]:
    """Every heading import reads, by its key: the accepted ones, and the template's in either
    language in the plan's words (乡镇（街道）; and its unit in one word, 乡镇, township)."""
    out = {}
    with terms_of(terms):
        for c in TEMPLATE_COLUMNS:
            if not c.field:
                continue
            for name in (*c.accepted, c.header, tr(c.header, "zh"), tr(c.header, "en")):
                out[header_key(name)] = c.field
    for name in (terms.units, terms.unit, terms.unit_en):
        out.setdefault(header_key(name), "county")
    return out


def field_of(header: object, terms: Terms = DEFAULT_TERMS) -> str | None:
    """The field a heading names, under a plan's words."""
    return _aliases(terms).get(header_key(header))


def is_county_target(header: object) -> bool:
    """Does a heading name the column of a unit's own target (分解目标), which only a unit's
    template has (:func:`columns_for`)?"""
    return header is not None and any(header_key(header) == header_key(tr(COUNTY_TARGET.header, lang))
                                      for lang in LANGS)


def shown_only(header: object) -> bool:
    """Does a heading name a column a template fills for reading, never with a bare figure (the
    last figure, 12个（2023-06-30）; a target, ≥12所), which import does not read as a figure?"""
    return header is not None and any(header_key(header) == header_key(tr(c.header, lang))
                                      for c in (LAST, TARGET, COUNTY_TARGET) for lang in LANGS)


def accepted_names(field: str) -> tuple[str, ...]:
    return FIELDS[field].accepted[:4]


BASELINE_WORD = N_("baseline")  # a last-figure cell showing a baseline begins with it: 基数 12人 (2022-12-31)


def shows_baseline(text: str) -> bool:
    """A last-figure cell as a template writes a baseline (``基数 12人 (2022-12-31)``), not as an
    older template wrote it (``12人 (2022-12-31)``, with the baseline in the value column too)."""
    return any(header_key(text).startswith(header_key(tr(BASELINE_WORD, lang))) for lang in LANGS)


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
    return msg("the cumulative total to date (e.g. 12 or 3.5万), or this month's increase under added this month")


@record(slots=False)
class TemplateRow:
    """One indicator's row: its target for the sheet's unit, and the unit's last figure. A
    baseline (dated before the plan period, ``eduplan baseline``) is not a figure of the
    period: never the last figure the value column repeats, only shown as the baseline."""

    indicator: Indicator
    target: float | None  # the county's own target on a county's sheet (None: it has none), else the city's
    notes: tuple[Note, ...]  # what the target is (a county's share of the city's …)
    last: Entry | None  # the unit's figure of the plan period as of the sheet's date, if any
    baseline: Entry | None = None  # the unit's entry before the period (a baseline), where it has no figure of it


    @property
    def takes_increment(self) -> bool:
        return self.indicator.measure == Measure.FLOW


@record(slots=False)
class TemplateDoc:
    """A sheet to fill in: one date for the whole sheet, one row per indicator with the last
    figure already in the value column (a person updates it rather than types it again)."""

    plan: Plan
    county: str | None
    columns: Sequence[Column]
    indicators: tuple[Indicator, ...]
    format: str  # xlsx or csv
    as_of: dt.date | None = None
    rows: tuple[TemplateRow, ...] = ()

    def hint(self, ind: Indicator) -> Msg:
        return fill_hint(ind, self.county)
