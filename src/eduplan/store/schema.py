"""Validation of the plan file: pydantic v2 models for what each field may hold, and the rules
across the plan (:func:`plan_rules`).

The models are immutable and ``extra="forbid"``; a ``ValidationError`` lists every broken
rule of every field, its location naming the indicator and field. Dates, numbers and true/false
are taken only as TOML writes them: ``"2024-09-01"`` or ``"15000"`` in quotes is a text, refused.
The rules across the plan (ids used twice, unknown counties and sections, dates outside the
period, the year, names that mean two units …) are checked on the data itself, as far as it
allows, so that :func:`check_plan` reports them together with the fields' own problems, not only
once those are fixed. What validates becomes the plain domain types of
:mod:`eduplan.core.models`; this module is imported only when a plan file has to be validated
(a changed plan), so that everyday commands start without building pydantic schemas.

Our own rules raise :func:`fail` with a stable kind and an English template registered in
:data:`TEMPLATES`, so that :mod:`eduplan.store.planfile` can show each in the reader's
language.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    Strict,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from ..core.entries import KIND_WORDS
from ..core.models import (
    MILESTONE_UNIT,
    Comparator,
    Measure,
    PaceKind,
    Relative,
    ReportedBy,
    SectionKind,
    whole_words,
)
from ..core.names import name_clashes, short_form
from ..core.numbers import NumberError, parse_quantity, to_plain
from ..core.text import has_invisible, visible
from ..i18n import N_, Msg, msg

SCHEMA_VERSIONS = (1, 2)
MAX_PERIOD_DAYS = 366 * 10  # a plan covers at most ten years (a five-year plan fits twice)

TEMPLATES: dict[str, str] = {
    "period_order": N_("the period ends ({end}) before it starts ({start})"),
    "period_length": N_("the period is longer than ten years ({start} to {end})"),
    "year_range": N_("the year {year} is not a plan year (1900 to 2200)"),
    "year_period": N_("the year {year} is neither the year the period starts ({start}) nor the year it ends ({end})"),
    "county_twice": N_("the county-level unit '{name}' is listed twice"),
    "city_is_county": N_("the city's name '{city}' is also the name of a county-level unit: '{county}' would mean both"),
    "city_short_is_county": N_("the city's short name '{county}' ('{city}' without its last character) is also the name of a county-level unit: '{county}' would mean both"),
    "county_is_city_word": N_("'{county}' means the whole city; a county-level unit cannot be named so"),
    "county_is_short": N_("'{county}' is also the short name of '{other}': it would mean both"),
    "milestone_target": N_("a milestone has no target"),
    "missing_target": N_("a {measure} indicator needs a target"),
    "target_finite": N_("the target must be a finite number"),
    "target_negative": N_("the target must not be negative"),
    "target_large": N_("the target is too large to hold exactly (the largest is 2^53)"),
    "target_percent": N_("a percentage target must be between 0 and 100"),
    "number_text": N_("must be a number (like {number}), not the text '{text}'"),
    "invisible_text": N_("'{text}' holds an invisible or control character (a line break, a zero-width space, a "
                         "direction mark); write it again on one line"),
    "number_quoted": N_("a number is written without quotes: {number}"),
    "number_words": N_("must be a number, not the text '{text}'"),
    "number_type": N_("must be a number"),
    "county_target_over": N_("the county's target {value} is more than the whole city's target {target}: a county's share of a total cannot exceed it"),
    "milestone_comparator": N_("a milestone has no comparator"),
    "duplicate_id": N_("the id '{id}' is used twice"),
    "indicator_section_id": N_("the indicator id '{id}' is also a section id"),
    "dangling_reference": N_("unknown section '{ref}'"),
    "wrong_section_kind": N_("'{ref}' is {kind}; it belongs in {field}"),
    "target_counties": N_("the target {target} is more than the plan's {n} county-level units"),
    "lang": N_("the plan's language must be zh or en"),
    "terms_whole": N_("the whole is named by 全 and its level, as the text names it: 全市, 全县, 全区, 全省"),
    "terms_units": N_("the units' name is at most 12 characters, as a column heading: 县（市、区）, 乡镇（街道）, 设区市"),
    "terms_english": N_("an English word or two in letters, at most 40: county, township, school district"),
    "office_unit": N_("'{unit}' is not one of the plan's county-level units (or {whole} for the city-wide figure)"),
    "office_twice": N_("'{unit}' is reported by {office} already: each unit is reported by one office"),
    "needs_version": N_("'{field}' needs schema_version = 2"),
    "pace_date": N_("a '{kind}' pace needs a date"),
    "pace_no_date": N_("a '{kind}' pace has no date"),
    "pace_points": N_("a schedule needs points, each with a date and a cumulative percent"),
    "pace_no_points": N_("only a schedule has points"),
    "pace_steps": N_("only a schedule has steps"),
    "date_in_period": N_("{date} is outside the plan period {start} to {end}"),
    "points_order": N_("the schedule's dates must increase: {date} comes after {before}"),
    "points_falling": N_("a schedule gives cumulative shares: {percent}% at {date} is less than the {before}% before it"),
    "points_end": N_("the schedule must end at 100% (the whole target)"),
    "county_targets_measure": N_("a {measure} indicator has no county targets"),
    "county_target_unknown": N_("'{county}' is not one of the plan's county-level units"),
    "county_target_short": N_("'{county}' is a short name: write the county-level unit's full name '{full}'"),
    "county_target_counties": N_("on a counties indicator a county's target is 1 (it must meet the condition) or 0"),
    "county_targets_relative": N_("county targets cannot be stated against the city's baseline"),
    "reported_by_milestone": N_("a milestone is recorded city-wide: it is reported by the city"),
    "reported_by_counties": N_("each county's state on a counties indicator is reported by the counties (counties or both)"),
    "baseline_date": N_("the baseline's date {date} must be before the plan period (it starts {start})"),
    "baseline_measure": N_("a {measure} indicator has no baseline"),
    "relative_baseline": N_("a target stated against the baseline needs a baseline"),
    "relative_target": N_("give either a target or a target relative to the baseline, not both"),
    "relative_amount": N_("'{kind}' needs an amount (the N of 'baseline + N')"),
    "relative_no_amount": N_("'below' has no amount: the target is to be lower than the baseline"),
    "relative_below_comparator": N_("'below' is a falling target: its comparator is <="),
    "relative_plus_unit": N_("'plus' adds percentage points: the indicator's unit must be %"),
    "relative_more_unit": N_("'more' adds a count: for percentage points use 'plus'"),
    "relative_more_amount": N_("'more' needs a positive amount"),
    "relative_plus_direction": N_("'plus' with a negative amount is a falling target (comparator <=), a positive amount a rising one (>=)"),
    "relative_measure": N_("a target relative to a baseline is for flows and levels"),
    "unit_unknown": N_("'{name}' is not one of the plan's units ([plan] units)"),
    "lead_partner": N_("'{name}' is both the lead unit and a partner"),
}


# what a kind of section is called in a message
SECTION_KIND_WORDS = {SectionKind.FOCUS: N_("a focus section"), SectionKind.ACTION: N_("an action section"),
                      SectionKind.MATTER: N_("a practical-matter section")}


def fail(code: str, /, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(code, TEMPLATES[code], ctx)


def measure_word(measure: Measure, unit: str | None) -> Msg:
    """What an indicator is, in the reader's words (累计, 时点数, 节点 …), for a message."""
    return msg(KIND_WORDS[(measure, unit == "%")])


def _number(value: Any) -> int | float:
    """A number as TOML writes it: ``15000``, ``1.5``. A text is refused (``"1.5万"``, ``"20%"``,
    ``"15000"``), with the number it stands for where it reads as one; so is true/false."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            quantity = parse_quantity(value)
        except NumberError:
            raise fail("number_words", text=visible(value)) from None
        number = to_plain(quantity.value)
        if re.fullmatch(r"-?\d+(?:\.\d+)?", value.strip()):  # a number as TOML writes it, but quoted ("3.0")
            raise fail("number_quoted", text=visible(value), number=value.strip())
        raise fail("number_text", text=visible(value), number=number)
    raise fail("number_type")


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]


def _seen_whole(value: str) -> str:
    """A name or a phrase of the plan is typed, matched and shown on one line: a character no one
    can see or type (a zero-width space pasted from a web page) would make it a name no one can
    type, and a line break would break every table it is shown in."""
    if has_invisible(value):
        raise fail("invisible_text", text=visible(value))
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_seen_whole)]
Line = Annotated[str, AfterValidator(_seen_whole)]  # a name or phrase that may be left empty
Number = Annotated[int | float, PlainValidator(_number)]  # one message for a wrong value, not one per kind of number
Day = Annotated[dt.date, Strict()]  # a TOML date (2024-06-30), not a text in quotes nor a date with a time


def _unquoted(value: Any) -> Any:
    """A number in quotes ("2024", "10") is refused saying how to write it, as a target is."""
    if isinstance(value, str):
        _number(value)
    return value


Int = Annotated[int, Strict(), BeforeValidator(_unquoted)]
Float = Annotated[float, Strict(), BeforeValidator(_unquoted)]  # a whole number is taken too
Bool = Annotated[bool, Strict()]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlanInfo(_Frozen):
    id: Slug
    title: Text
    title_en: Line = ""
    issuer: Line = ""
    city: Line = ""
    lang: str = "zh"
    version: str = "1"
    year: Int
    start: Day
    end: Day
    counties: tuple[Text, ...] = Field(min_length=1)
    source_text: str = ""  # the text the plan encodes, relative to the plan file
    units: tuple[Text, ...] = ()  # the responsible units lead/partners may name

    @field_validator("year")
    @classmethod
    def _plausible_year(cls, year: int) -> int:
        if not 1900 <= year <= 2200:
            raise fail("year_range", year=year)
        return year

    @field_validator("lang")
    @classmethod
    def _lang(cls, lang: str) -> str:
        if lang not in ("zh", "en"):
            raise fail("lang")
        return lang

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise fail("period_order", start=str(start), end=str(end))
        if start is not None and (end - start).days >= MAX_PERIOD_DAYS:
            raise fail("period_length", start=str(start), end=str(end))
        return end

    @field_validator("counties")
    @classmethod
    def _unique_counties(cls, counties: tuple[str, ...]) -> tuple[str, ...]:
        seen = set()
        for name in counties:
            if name in seen:
                raise fail("county_twice", name=name)
            seen.add(name)
        return counties


class Thresholds(_Frozen):
    lagging_pp: Float = Field(10.0, ge=0, le=100)
    outlier_times: Float = Field(3.0, ge=1, le=1000)
    county_outlier_times: Float = Field(1.0, gt=0, le=1000)
    stale_days: Int = Field(31, ge=1, le=3660)


class SectionKindInfo(_Frozen):
    """What the plan calls a kind of section: ``name = "六个重点"``, and how its sections are
    numbered in Chinese (``一、…`` or ``一是…``)."""

    name: Text
    name_en: Line = ""
    numbering: Literal["一、", "一是"] = "一、"


class TermsInfo(_Frozen):
    """``[terms]``: what the plan's text calls its whole and its units, for every sentence a
    person reads (a county bureau: ``whole = "全县"``, ``units = "乡镇（街道）"``)."""

    whole: Text = "全市"
    units: Text = "县（市、区）"
    whole_en: Text = "city"
    unit_en: Text = "county"
    units_en: Line = ""

    @field_validator("whole")
    @classmethod
    def _whole(cls, whole: str) -> str:
        if not whole.startswith("全") or not 2 <= len(whole) <= 8:  # 市本级, 县级单位 are said with its level
            raise fail("terms_whole")
        return whole

    @field_validator("units")
    @classmethod
    def _units(cls, units: str) -> str:
        if len(units) > 12:  # it heads columns and stands in the middle of sentences
            raise fail("terms_units")
        return units

    @field_validator("whole_en", "unit_en", "units_en")
    @classmethod
    def _english(cls, word: str) -> str:
        if word and not re.fullmatch(r"[A-Za-z][A-Za-z -]{0,39}", word):
            raise fail("terms_english")
        return word


class Section(_Frozen):
    id: Slug
    kind: SectionKind
    number: Int = Field(ge=1)
    name: Text
    name_en: Line = ""


class PacePoint(_Frozen):
    date: Day
    percent: Float = Field(ge=0, le=100, allow_inf_nan=False)


class Pace(_Frozen):
    """How the expected share of the target grows: linear, due by a date, once on a date, or a schedule."""

    kind: PaceKind
    date: Day | None = None
    points: tuple[PacePoint, ...] = ()
    steps: Bool = False
    source: Line = ""  # the phrase of the text the pace is read from

    @model_validator(mode="after")
    def _shape(self) -> Pace:
        errors: list[InitErrorDetails] = []

        def problem(loc: tuple, code: str, value: object, /, **ctx: Any) -> None:
            errors.append(InitErrorDetails(type=fail(code, **ctx), loc=loc, input=value))

        dated = self.kind in (PaceKind.DUE, PaceKind.ONCE)
        if dated and self.date is None:
            problem(("date",), "pace_date", None, kind=self.kind.value)
        if not dated and self.date is not None:
            problem(("date",), "pace_no_date", str(self.date), kind=self.kind.value)
        if self.kind == PaceKind.SCHEDULE:
            if not self.points:
                problem(("points",), "pace_points", [])
            for j in range(1, len(self.points)):
                a, b = self.points[j - 1], self.points[j]
                if b.date <= a.date:
                    problem(("points", j, "date"), "points_order", str(b.date), date=str(b.date), before=str(a.date))
                if b.percent < a.percent:
                    problem(("points", j, "percent"), "points_falling", b.percent, percent=b.percent,
                            date=str(b.date), before=a.percent)
            if self.points and self.points[-1].percent != 100:
                problem(("points", len(self.points) - 1, "percent"), "points_end", self.points[-1].percent)
        else:
            if self.points:
                problem(("points",), "pace_no_points", "…")
            if self.steps:
                problem(("steps",), "pace_steps", True)
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self


class Baseline(_Frozen):
    date: Day
    source: Text
    value: Number | None = None

    @field_validator("value")
    @classmethod
    def _value(cls, value: Number | None) -> Number | None:
        if value is None:
            return None
        if isinstance(value, float) and not math.isfinite(value):
            raise fail("target_finite")
        if value < 0:
            raise fail("target_negative")
        if value > 2**53:
            raise fail("target_large")
        return value


class RelativeTarget(_Frozen):
    kind: Relative
    amount: Number | None = None

    @model_validator(mode="after")
    def _amount(self) -> RelativeTarget:
        if self.kind == Relative.BELOW and self.amount is not None:
            raise fail("relative_no_amount")
        if self.kind != Relative.BELOW:
            if self.amount is None or (isinstance(self.amount, float) and not math.isfinite(self.amount)) \
                    or self.amount == 0:
                raise fail("relative_amount", kind=self.kind.value)
            if self.kind == Relative.MORE and self.amount < 0:
                raise fail("relative_more_amount")
        return self


class Indicator(_Frozen):
    id: Slug
    name: Text
    name_en: Line = ""
    sections: tuple[Slug, ...] = Field(min_length=1)
    actions: tuple[Slug, ...] = ()
    measure: Measure
    unit: Text
    target: Number | None = Field(None, validate_default=True)
    comparator: Comparator | None = None
    source: Text
    note: str | None = None
    # schema version 2
    pace: Pace | None = None
    county_targets: dict[Text, Number] | None = None
    reported_by: ReportedBy | None = None
    baseline: Baseline | None = None
    relative: RelativeTarget | None = None
    lead: Line = ""
    partners: tuple[Text, ...] = ()
    done_when: str = ""
    done_when_en: str = ""
    also_stated: tuple[Text, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _milestone_unit(cls, data: Any) -> Any:
        """A milestone is one piece of work (一项): its unit may be left out, and is then 项."""
        if isinstance(data, dict) and data.get("measure") == Measure.MILESTONE.value and "unit" not in data:
            return {**data, "unit": MILESTONE_UNIT}
        return data

    @field_validator("unit")
    @classmethod
    def _unit_as_typed_in_figures(cls, unit: str) -> str:
        """The unit as a figure names it: a full-width ％ is %, as ５６％ is 56% (％ made a share a count:
        ≥92％ read as 时点数, and 93% was refused on it)."""
        return unit.replace("％", "%")

    @field_validator("target")
    @classmethod
    def _target_fits_measure(cls, target: Number | None, info: ValidationInfo) -> Number | None:
        measure = info.data.get("measure")
        if measure is None:  # measure itself failed; reported there
            return target
        if measure == Measure.MILESTONE:
            if target is not None:
                raise fail("milestone_target")
            return None
        if target is None:
            return target  # checked with the relative target, once every field is read
        if isinstance(target, float) and not math.isfinite(target):
            raise fail("target_finite")
        if target < 0:
            raise fail("target_negative")
        if target > 2**53:
            raise fail("target_large")
        if info.data.get("unit") == "%" and target > 100:
            raise fail("target_percent")
        return target

    @model_validator(mode="after")
    def _default_comparator(self) -> Indicator:
        errors: list[InitErrorDetails] = []

        def problem(loc: tuple, code: str, value: object, /, **ctx: Any) -> None:
            errors.append(InitErrorDetails(type=fail(code, **ctx), loc=loc, input=value))

        m = self.measure
        rel = self.relative
        if rel is not None and rel.kind == Relative.PLUS and rel.amount is not None and self.comparator is None:
            object.__setattr__(self, "comparator", Comparator.LE if rel.amount < 0 else Comparator.GE)
        if rel is not None and rel.kind == Relative.BELOW and self.comparator is None:
            object.__setattr__(self, "comparator", Comparator.LE)
        if self.comparator is None:
            default = Comparator.EQ if m == Measure.MILESTONE else Comparator.GE
            object.__setattr__(self, "comparator", default)
        elif m == Measure.MILESTONE and self.comparator != Comparator.EQ:
            problem(("comparator",), "milestone_comparator", self.comparator.value)
        if m != Measure.MILESTONE and self.target is None and rel is None:
            problem(("target",), "missing_target", None, measure=measure_word(m, self.unit))
        if rel is not None:
            if m not in (Measure.FLOW, Measure.LEVEL):
                problem(("relative",), "relative_measure", rel.kind.value)
            elif self.baseline is None:
                problem(("relative",), "relative_baseline", rel.kind.value)
            if self.target is not None:
                problem(("target",), "relative_target", self.target)
            if rel.kind == Relative.BELOW and self.comparator != Comparator.LE:
                problem(("comparator",), "relative_below_comparator", self.comparator.value)
            if rel.kind == Relative.PLUS:
                if not self.is_percent:
                    problem(("relative",), "relative_plus_unit", self.unit)
                elif rel.amount is not None and (rel.amount < 0) != (self.comparator == Comparator.LE):
                    problem(("relative", "amount"), "relative_plus_direction", rel.amount)
            if rel.kind == Relative.MORE and self.is_percent:
                problem(("relative",), "relative_more_unit", self.unit)
        if self.baseline is not None:
            if m not in (Measure.FLOW, Measure.LEVEL):
                problem(("baseline",), "baseline_measure", None, measure=measure_word(m, self.unit))
            elif self.is_percent and self.baseline.value is not None and self.baseline.value > 100:
                problem(("baseline", "value"), "target_percent", self.baseline.value)
            elif (self.is_percent and rel is not None and rel.amount is not None and self.baseline.value is not None
                  and not 0 <= self.baseline.value + rel.amount <= 100):
                problem(("relative", "amount"), "target_percent", rel.amount)
        if self.county_targets:
            if m == Measure.MILESTONE:
                problem(("county_targets",), "county_targets_measure", None, measure=measure_word(m, self.unit))
            if rel is not None:
                problem(("county_targets",), "county_targets_relative", None)
            for county, value in self.county_targets.items():
                if isinstance(value, float) and not math.isfinite(value):
                    problem(("county_targets", county), "target_finite", value)
                elif value < 0:
                    problem(("county_targets", county), "target_negative", value)
                elif value > 2**53:
                    problem(("county_targets", county), "target_large", value)
                elif m == Measure.COUNTIES and value not in (0, 1):
                    problem(("county_targets", county), "county_target_counties", value)
                elif self.is_percent and value > 100 and m != Measure.COUNTIES:
                    problem(("county_targets", county), "target_percent", value)
                # (above the city's target, for a sum: plan_rules, which also judges a table with other errors)
        if self.reported_by is not None:
            if m == Measure.MILESTONE and self.reported_by != ReportedBy.CITY:
                problem(("reported_by",), "reported_by_milestone", self.reported_by.value)
            if m == Measure.COUNTIES and self.reported_by == ReportedBy.CITY:
                problem(("reported_by",), "reported_by_counties", self.reported_by.value)
        if self.lead and self.lead in self.partners:
            problem(("partners",), "lead_partner", self.lead, name=self.lead)
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


class Office(_Frozen):
    """A recording office and the units it reports (county names, or 全市 for the city-wide figure)."""

    name: Text
    reports: tuple[Text, ...] = Field(min_length=1)


class NotTracked(_Frozen):
    """A number or commitment of the source text considered and deliberately not an indicator, and why."""

    source: Text
    reason: Text
    reason_en: str = ""


V2_FIELDS = {
    "indicators": ("pace", "county_targets", "reported_by", "baseline", "relative", "lead", "partners", "done_when",
                   "done_when_en", "also_stated"),
    "plan": ("source_text", "units"),
    "not_tracked": ("reason_en",),
}


class Plan(_Frozen):
    schema_version: Literal[1, 2] = 1
    plan: PlanInfo
    thresholds: Thresholds = Thresholds()
    sections: tuple[Section, ...] = Field(min_length=1)
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    not_tracked: tuple[NotTracked, ...] = ()
    offices: tuple[Office, ...] = ()
    section_kinds: dict[SectionKind, SectionKindInfo] = {}
    terms: TermsInfo = TermsInfo()

    @field_validator("schema_version", mode="before")
    @classmethod
    def _version_is_a_number(cls, version: Any) -> Any:
        return str(version).lower() if isinstance(version, bool) else version  # true is not 1: refused as one


# --------------------------------------------------------------------------- the rules across the plan
#
# Checked on the TOML data itself, each value used only where it has the right type, so that they
# are reported together with the problems of the fields (a duplicate id beside a mistyped target),
# as far as the data allows: a rule needing the period is left out while the period is wrong.


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    """A non-empty text as the models take it (surrounding space stripped), else None."""
    return (value.strip() or None) if isinstance(value, str) else None


def _day(value: Any) -> dt.date | None:
    return value if type(value) is dt.date else None


def _num(value: Any) -> Number | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _error(loc: tuple, code: str, value: object, /, **ctx: Any) -> dict:
    """An error in the shape of pydantic's ``errors()``."""
    return {"type": code, "loc": loc, "input": value, "ctx": ctx}


def plan_rules(data: dict) -> list[dict]:
    """Every broken rule across the plan (ids, references, counties, dates against the period,
    the year, names), as errors in the shape of pydantic's, in the order of the file's tables."""
    errors: list[dict] = []

    def problem(loc: tuple, code: str, value: object, /, **ctx: Any) -> None:
        errors.append(_error(loc, code, value, **ctx))

    info = _dict(data.get("plan"))
    indicators = [(i, x) for i, x in enumerate(_list(data.get("indicators"))) if isinstance(x, dict)]
    sections = [(i, x) for i, x in enumerate(_list(data.get("sections"))) if isinstance(x, dict)]
    offices = [(i, x) for i, x in enumerate(_list(data.get("offices"))) if isinstance(x, dict)]
    version = data.get("schema_version", 1)
    if type(version) is int and version == 1:  # a version-1 file says only what version 1 could say
        for table, fields in V2_FIELDS.items():
            items = [(("plan",), info)] if table == "plan" else \
                [((table, i), x) for i, x in enumerate(_list(data.get(table))) if isinstance(x, dict)]
            for loc, item in items:
                for name in fields:
                    if name in item:
                        problem(loc + (name,), "needs_version", item[name], field=name)

    # the period and the year: only where the period itself is right
    start, end = _day(info.get("start")), _day(info.get("end"))
    period = start is not None and end is not None and start <= end and (end - start).days < MAX_PERIOD_DAYS
    year = info.get("year")
    if period and type(year) is int and 1900 <= year <= 2200 and year not in (start.year, end.year):
        problem(("plan", "year"), "year_period", year, year=year, start=str(start), end=str(end))

    # the county-level units and the city: every unit keeps a name that means it alone
    raw_counties = _list(info.get("counties"))
    counties = [name for name in (_text(c) for c in raw_counties) if name]
    known_counties = len(counties) == len(raw_counties) and bool(counties)  # else unknown names are not judged
    city = _text(info.get("city")) or ""
    positions = [j for j, c in enumerate(raw_counties) if _text(c)]
    whole = _text(_dict(data.get("terms")).get("whole")) or "全市"
    for j, county, other in name_clashes(city, counties, whole):
        if other is not None:
            problem(("plan", "counties", positions[j]), "county_is_short", county, county=county, other=other)
        elif county in whole_words(whole) or county.lower() == "city":
            problem(("plan", "counties", positions[j]), "county_is_city_word", county, county=county)
        elif county == city:
            problem(("plan", "city"), "city_is_county", city, city=city, county=county)
        else:
            problem(("plan", "city"), "city_short_is_county", city, city=city, county=county)

    # sections, then indicators, then offices, as the file has them
    section_kind: dict[str, SectionKind | None] = {}
    for i, section in sections:
        sid = section.get("id")
        if not isinstance(sid, str):
            continue
        if sid in section_kind:
            problem(("sections", i, "id"), "duplicate_id", sid, id=sid)
        kind = section.get("kind")
        known = isinstance(kind, str) and kind in {k.value for k in SectionKind}
        section_kind.setdefault(sid, SectionKind(kind) if known else None)

    units = [u for u in (_text(x) for x in _list(info.get("units"))) if u]
    seen: set[str] = set()
    for i, ind in indicators:
        iid = ind.get("id")
        if isinstance(iid, str):
            if iid in seen:
                problem(("indicators", i, "id"), "duplicate_id", iid, id=iid)
            if iid in section_kind:
                problem(("indicators", i, "id"), "indicator_section_id", iid, id=iid)
            seen.add(iid)
        for field, allowed in (("sections", (SectionKind.FOCUS, SectionKind.MATTER)),
                               ("actions", (SectionKind.ACTION,))):
            for j, ref in enumerate(_list(ind.get(field))):
                if not isinstance(ref, str):
                    continue
                if ref not in section_kind:
                    problem(("indicators", i, field, j), "dangling_reference", ref, ref=ref)
                elif (kind := section_kind[ref]) is not None and kind not in allowed:
                    problem(("indicators", i, field, j), "wrong_section_kind", ref, ref=ref,
                            kind=msg(SECTION_KIND_WORDS[kind]),
                            field="actions" if kind == SectionKind.ACTION else "sections")
        pace = _dict(ind.get("pace"))
        if period:
            if (day := _day(pace.get("date"))) is not None:
                _in_period(problem, ("indicators", i, "pace", "date"), day, start, end)
            for j, point in enumerate(_list(pace.get("points"))):
                if (day := _day(_dict(point).get("date"))) is not None:
                    _in_period(problem, ("indicators", i, "pace", "points", j, "date"), day, start, end)
            base = _day(_dict(ind.get("baseline")).get("date"))
            if base is not None and base >= start:
                problem(("indicators", i, "baseline", "date"), "baseline_date", str(base), date=str(base),
                        start=str(start))
        if known_counties:
            for key in _dict(ind.get("county_targets")):
                county = _text(key)
                if county is None or county in counties:
                    continue
                full = [c for c in counties if short_form(c) == county]
                if len(full) == 1:
                    problem(("indicators", i, "county_targets", key), "county_target_short", county, county=county,
                            full=full[0])
                else:
                    problem(("indicators", i, "county_targets", key), "county_target_unknown", county, county=county)
        if units:
            for field, names in (("lead", [ind.get("lead")]), ("partners", _list(ind.get("partners")))):
                for j, raw in enumerate(names):
                    name = _text(raw)
                    if name and name not in units:
                        loc = ("indicators", i, field) if field == "lead" else ("indicators", i, field, j)
                        problem(loc, "unit_unknown", name, name=name)
        target = _num(ind.get("target"))
        measure, percent = ind.get("measure"), _text(ind.get("unit")) == "%"
        if target is not None and (measure == Measure.FLOW or (measure == Measure.LEVEL and not percent)):
            for key, value in _dict(ind.get("county_targets")).items():  # a county's share of a sum: not above it
                value = _num(value)
                if value is not None and math.isfinite(value) and 0 <= value <= 2**53 and value > target:
                    problem(("indicators", i, "county_targets", key), "county_target_over", value, value=value,
                            target=target)
        if (known_counties and ind.get("measure") == Measure.COUNTIES and _text(ind.get("unit")) != "%"
                and target is not None and target > len(counties)):
            problem(("indicators", i, "target"), "target_counties", target, target=target, n=len(counties))

    names: set[str] = set()
    owner: dict[str | None, str] = {}  # each unit (None: the whole) → the office that reports it
    for i, office in offices:
        name = _text(office.get("name"))
        if name is not None:
            if name in names:
                problem(("offices", i, "name"), "duplicate_id", name, id=name)
            names.add(name)
        if known_counties:
            for j, raw in enumerate(_list(office.get("reports"))):
                unit = _text(raw)
                if unit is None:
                    continue
                if unit not in whole_words(whole) and unit not in counties:
                    problem(("offices", i, "reports", j), "office_unit", unit, unit=unit, whole=whole)
                    continue
                key = None if unit in whole_words(whole) else unit
                if key in owner:  # two offices' figures for one unit: which would count?
                    problem(("offices", i, "reports", j), "office_twice", unit, unit=unit, office=owner[key])
                else:
                    owner[key] = name or "?"
    return errors


def _in_period(problem, loc: tuple, day: dt.date, start: dt.date, end: dt.date) -> None:
    if not start <= day <= end:
        problem(loc, "date_in_period", str(day), date=str(day), start=str(start), end=str(end))


class PlanInvalid(ValueError):
    """A plan that breaks rules: ``errors`` in the shape of pydantic's ``errors()``."""

    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} problem(s) in the plan")
        self.errors = errors


def check_plan(data: dict) -> tuple[dict | None, list[dict]]:
    """A plan's TOML data → the same plan as checked plain data (defaults filled in), which
    :func:`eduplan.core.models.plan_from_dict` turns into the domain plan and the plan cache
    keeps, and every problem: the fields' (pydantic) and the rules across the plan, both at
    once. The plan is None when there is any problem."""
    checked = None
    try:
        checked = Plan.model_validate(data).model_dump(mode="json")
        errors: list[dict] = []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    errors += plan_rules(data)
    return (None if errors else checked), errors


def validate_plan(data: dict) -> dict:
    """The checked plain data of a plan (see :func:`check_plan`); raises :class:`PlanInvalid`."""
    checked, errors = check_plan(data)
    if errors:
        raise PlanInvalid(errors)
    return checked
