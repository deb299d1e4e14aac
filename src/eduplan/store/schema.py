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

from ..core.models import Comparator, Measure, SectionKind
from ..i18n import N_

SCHEMA_VERSIONS = (1,)
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
    "level_unit": N_("a level indicator is a percentage: its unit must be %"),
    "milestone_comparator": N_("a milestone has no comparator"),
    "duplicate_id": N_("the id '{id}' is used twice"),
    "indicator_section_id": N_("the indicator id '{id}' is also a section id"),
    "dangling_reference": N_("unknown section '{ref}'"),
    "wrong_section_kind": N_("'{ref}' is a {kind} section; it belongs in {field}"),
    "target_counties": N_("the target {target} is more than the plan's {n} county-level units"),
    "lang": N_("the plan's language must be zh or en"),
}


def fail(kind: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, TEMPLATES[kind], ctx)


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


class Section(_Frozen):
    id: Slug
    kind: SectionKind
    number: int = Field(ge=1)
    name: Text
    name_en: str = ""


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
            raise fail("missing_target", measure=measure.value)
        if isinstance(target, float) and not math.isfinite(target):
            raise fail("target_finite")
        if target < 0:
            raise fail("target_negative")
        if target > 2**53:
            raise fail("target_large")
        if info.data.get("unit") == "%" and target > 100:
            raise fail("target_percent")
        if measure == Measure.LEVEL and info.data.get("unit") != "%":
            raise fail("level_unit")
        return target

    @model_validator(mode="after")
    def _default_comparator(self) -> Indicator:
        if self.comparator is None:
            default = Comparator.EQ if self.measure == Measure.MILESTONE else Comparator.GE
            object.__setattr__(self, "comparator", default)
        elif self.measure == Measure.MILESTONE and self.comparator != Comparator.EQ:
            raise fail("milestone_comparator")
        return self

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


class NotTracked(_Frozen):
    """A number in the source text that is deliberately not an indicator, and why."""

    source: Text
    reason: Text


class Plan(_Frozen):
    schema_version: Literal[1] = 1
    plan: PlanInfo
    thresholds: Thresholds = Thresholds()
    sections: tuple[Section, ...] = Field(min_length=1)
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    not_tracked: tuple[NotTracked, ...] = ()

    @model_validator(mode="after")
    def _cross_references(self) -> Plan:
        errors: list[InitErrorDetails] = []

        def problem(loc: tuple, kind: str, value: object, **ctx: Any) -> None:
            errors.append(InitErrorDetails(type=fail(kind, **ctx), loc=loc, input=value))

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
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self


def validate_plan(data: dict) -> dict:
    """A plan's TOML data → the same plan as checked plain data (defaults filled in), which
    :func:`eduplan.core.models.plan_from_dict` turns into the domain plan and the plan cache
    keeps; raises ValidationError listing every problem."""
    return Plan.model_validate(data).model_dump(mode="json")
