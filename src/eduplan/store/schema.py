"""Validation of the plan file: pydantic v2 models holding every rule about what a plan may say.

The models are immutable and ``extra="forbid"``; validation reports every broken rule,
not only the first, as a ``ValidationError`` whose locations name the indicator and
field. What validates becomes the plain domain types of :mod:`eduplan.core.models`; this
module is imported only when a plan file has to be validated (a changed plan), so that
everyday commands start without building pydantic schemas.

Our own rules raise :func:`fail` with a stable kind and an English template registered in
:data:`TEMPLATES`, so that :mod:`eduplan.store.planfile` can show each in the reader's
language.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from ..core.models import (
    Comparator,
    Measure,
    PaceKind,
    Relative,
    ReportedBy,
    SectionKind,
)
from ..i18n import N_

SCHEMA_VERSIONS = (1, 2)
MAX_PERIOD_DAYS = 366 * 10  # a plan covers at most ten years (a five-year plan fits twice)

TEMPLATES: dict[str, str] = {
    "period_order": N_("the period ends ({end}) before it starts ({start})"),
    "period_length": N_("the period is longer than ten years ({start} to {end})"),
    "year_range": N_("the year {year} is not a plan year (1900 to 2200)"),
    "county_twice": N_("the county-level unit '{name}' is listed twice"),
    "milestone_target": N_("a milestone has no target"),
    "missing_target": N_("a {measure} indicator needs a target"),
    "target_finite": N_("the target must be a finite number"),
    "target_negative": N_("the target must not be negative"),
    "target_large": N_("the target is too large to hold exactly (the largest is 2^53)"),
    "target_percent": N_("a percentage target must be between 0 and 100"),
    "milestone_comparator": N_("a milestone has no comparator"),
    "duplicate_id": N_("the id '{id}' is used twice"),
    "indicator_section_id": N_("the indicator id '{id}' is also a section id"),
    "dangling_reference": N_("unknown section '{ref}'"),
    "wrong_section_kind": N_("'{ref}' is a {kind} section; it belongs in {field}"),
    "target_counties": N_("the target {target} is more than the plan's {n} county-level units"),
    "lang": N_("the plan's language must be zh or en"),
    "office_unit": N_("'{unit}' is not one of the plan's county-level units (or 全市 for the city-wide figure)"),
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


def fail(code: str, /, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(code, TEMPLATES[code], ctx)


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Number = int | float


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlanInfo(_Frozen):
    id: Slug
    title: Text
    title_en: str = ""
    issuer: str = ""
    city: str = ""
    lang: str = "zh"
    version: str = "1"
    year: int
    start: dt.date
    end: dt.date
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
    lagging_pp: float = Field(10.0, ge=0, le=100)
    outlier_times: float = Field(3.0, ge=1, le=1000)
    county_outlier_times: float = Field(1.0, gt=0, le=1000)
    stale_days: int = Field(31, ge=1, le=3660)


class SectionKindInfo(_Frozen):
    """What the plan calls a kind of section: ``name = "六个重点"``, and how its sections are
    numbered in Chinese (``一、…`` or ``一是…``)."""

    name: Text
    name_en: str = ""
    numbering: Literal["一、", "一是"] = "一、"


class Section(_Frozen):
    id: Slug
    kind: SectionKind
    number: int = Field(ge=1)
    name: Text
    name_en: str = ""


class PacePoint(_Frozen):
    date: dt.date
    percent: float = Field(ge=0, le=100, allow_inf_nan=False)


class Pace(_Frozen):
    """How the expected share of the target grows: linear, due by a date, once on a date, or a schedule."""

    kind: PaceKind
    date: dt.date | None = None
    points: tuple[PacePoint, ...] = ()
    steps: bool = False
    source: str = ""  # the phrase of the text the pace is read from

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
    date: dt.date
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
    name_en: str = ""
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
    lead: str = ""
    partners: tuple[Text, ...] = ()
    done_when: str = ""
    done_when_en: str = ""
    also_stated: tuple[Text, ...] = ()

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
            problem(("target",), "missing_target", None, measure=m.value)
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
                problem(("baseline",), "baseline_measure", None, measure=m.value)
            elif self.is_percent and self.baseline.value is not None and self.baseline.value > 100:
                problem(("baseline", "value"), "target_percent", self.baseline.value)
            elif (self.is_percent and rel is not None and rel.amount is not None and self.baseline.value is not None
                  and not 0 <= self.baseline.value + rel.amount <= 100):
                problem(("relative", "amount"), "target_percent", rel.amount)
        if self.county_targets:
            if m == Measure.MILESTONE:
                problem(("county_targets",), "county_targets_measure", None, measure=m.value)
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

    @model_validator(mode="after")
    def _cross_references(self) -> Plan:
        errors: list[InitErrorDetails] = []

        def problem(loc: tuple, code: str, value: object, /, **ctx: Any) -> None:
            errors.append(InitErrorDetails(type=fail(code, **ctx), loc=loc, input=value))

        info = self.plan
        if self.schema_version < 2:  # a version-1 file says only what version 1 could say
            for table, fields in V2_FIELDS.items():
                items = [(("plan",), info)] if table == "plan" else \
                    [((table, i), x) for i, x in enumerate(getattr(self, table))]
                for loc, item in items:
                    for name in fields:
                        if name in item.model_fields_set:
                            problem(loc + (name,), "needs_version", getattr(item, name), field=name)
        units = set(info.units)
        counties = set(info.counties)

        def in_period(loc: tuple, day: dt.date) -> None:
            if not info.start <= day <= info.end:
                problem(loc, "date_in_period", str(day), date=str(day), start=str(info.start), end=str(info.end))

        for i, ind in enumerate(self.indicators):
            if ind.pace is not None:
                if ind.pace.date is not None:
                    in_period(("indicators", i, "pace", "date"), ind.pace.date)
                for j, point in enumerate(ind.pace.points):
                    in_period(("indicators", i, "pace", "points", j, "date"), point.date)
            for county in ind.county_targets or {}:
                if county not in counties:
                    problem(("indicators", i, "county_targets", county), "county_target_unknown", county, county=county)
            if ind.baseline is not None and ind.baseline.date >= info.start:
                problem(("indicators", i, "baseline", "date"), "baseline_date", str(ind.baseline.date),
                        date=str(ind.baseline.date), start=str(info.start))
            if units:
                for field, names in (("lead", [ind.lead] if ind.lead else []), ("partners", ind.partners)):
                    for j, name in enumerate(names):
                        if name not in units:
                            loc = ("indicators", i, field) if field == "lead" else ("indicators", i, field, j)
                            problem(loc, "unit_unknown", name, name=name)
        section_kind: dict[str, SectionKind] = {}
        for i, section in enumerate(self.sections):
            if section.id in section_kind:
                problem(("sections", i, "id"), "duplicate_id", section.id, id=section.id)
            section_kind[section.id] = section.kind
        seen: set[str] = set()
        for i, ind in enumerate(self.indicators):
            if ind.id in seen:
                problem(("indicators", i, "id"), "duplicate_id", ind.id, id=ind.id)
            if ind.id in section_kind:
                problem(("indicators", i, "id"), "indicator_section_id", ind.id, id=ind.id)
            seen.add(ind.id)
            for field, allowed in (("sections", (SectionKind.FOCUS, SectionKind.MATTER)),
                                   ("actions", (SectionKind.ACTION,))):
                for j, ref in enumerate(getattr(ind, field)):
                    kind = section_kind.get(ref)
                    if kind is None:
                        problem(("indicators", i, field, j), "dangling_reference", ref, ref=ref)
                    elif kind not in allowed:
                        problem(("indicators", i, field, j), "wrong_section_kind", ref, ref=ref, kind=kind.value,
                                field="actions" if kind == SectionKind.ACTION else "sections")
            if (ind.measure == Measure.COUNTIES and not ind.is_percent and ind.target is not None
                    and ind.target > len(self.plan.counties)):
                problem(("indicators", i, "target"), "target_counties", ind.target, target=ind.target,
                        n=len(self.plan.counties))
        names: set[str] = set()
        for i, office in enumerate(self.offices):
            if office.name in names:
                problem(("offices", i, "name"), "duplicate_id", office.name, id=office.name)
            names.add(office.name)
            for j, unit in enumerate(office.reports):
                if unit != "全市" and unit not in self.plan.counties:
                    problem(("offices", i, "reports", j), "office_unit", unit, unit=unit)
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self


def validate_plan(data: dict) -> dict:
    """A plan's TOML data → the same plan as checked plain data (defaults filled in), which
    :func:`eduplan.core.models.plan_from_dict` turns into the domain plan and the plan cache
    keeps; raises ValidationError listing every problem."""
    return Plan.model_validate(data).model_dump(mode="json")
