"""Validation of the files: pydantic v2 models for the plan and for ledger rows.

Every rule about what a plan or a ledger entry may contain lives here, as pydantic
models (immutable, ``extra="forbid"``). Validation reports every broken rule, not only
the first, as a ``ValidationError`` whose locations name the indicator and field.

What validates becomes the plain domain types of :mod:`eduplan.models`; this module is
imported only when a file has to be validated (a changed plan, an uncached ledger), so
that everyday commands start without building pydantic schemas.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from . import models
from .models import Comparator, Measure, SectionKind, State

SCHEMA_VERSION = 1

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
    year: int
    start: dt.date
    end: dt.date
    counties: tuple[Text, ...] = Field(min_length=1)

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"the period ends ({end}) before it starts ({start})")
        return end

    @field_validator("counties")
    @classmethod
    def _unique_counties(cls, counties: tuple[str, ...]) -> tuple[str, ...]:
        seen = set()
        for name in counties:
            if name in seen:
                raise ValueError(f"county {name!r} is listed twice")
            seen.add(name)
        return counties


class Thresholds(_Frozen):
    lagging_pp: float = Field(10.0, ge=0, le=100)


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
                raise PydanticCustomError("milestone_target", "a milestone has no target")
            return None
        if target is None:
            raise PydanticCustomError("missing_target", "a {measure} indicator needs a target", {"measure": measure.value})
        if isinstance(target, float) and not math.isfinite(target):
            raise PydanticCustomError("target_finite", "the target must be a finite number")
        if target < 0:
            raise PydanticCustomError("target_negative", "the target must not be negative")
        if info.data.get("unit") == "%" and target > 100:
            raise PydanticCustomError("target_percent", "a percentage target must be between 0 and 100")
        if measure == Measure.LEVEL and info.data.get("unit") != "%":
            raise PydanticCustomError("level_unit", "a level indicator is a percentage: its unit must be %")
        return target

    @model_validator(mode="after")
    def _default_comparator(self) -> Indicator:
        if self.comparator is None:
            default = Comparator.EQ if self.measure == Measure.MILESTONE else Comparator.GE
            object.__setattr__(self, "comparator", default)
        elif self.measure == Measure.MILESTONE and self.comparator != Comparator.EQ:
            raise PydanticCustomError("milestone_comparator", "a milestone has no comparator")
        return self

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


class NotTracked(_Frozen):
    """A number in the source text that is deliberately not an indicator, and why."""

    source: Text
    reason: Text


class Plan(_Frozen):
    schema_version: Literal[1] = SCHEMA_VERSION
    plan: PlanInfo
    thresholds: Thresholds = Thresholds()
    sections: tuple[Section, ...] = Field(min_length=1)
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    not_tracked: tuple[NotTracked, ...] = ()

    @model_validator(mode="after")
    def _cross_references(self) -> Plan:
        errors: list[InitErrorDetails] = []

        def problem(loc: tuple, kind: str, message: str, value: object) -> None:
            errors.append(
                InitErrorDetails(type=PydanticCustomError(kind, message), loc=loc, input=value)
            )

        section_kind: dict[str, SectionKind] = {}
        for i, section in enumerate(self.sections):
            if section.id in section_kind:
                problem(("sections", i, "id"), "duplicate_id", f"duplicate section id {section.id!r}", section.id)
            section_kind[section.id] = section.kind
        seen: set[str] = set()
        for i, ind in enumerate(self.indicators):
            if ind.id in seen:
                problem(("indicators", i, "id"), "duplicate_id", f"duplicate indicator id {ind.id!r}", ind.id)
            if ind.id in section_kind:
                problem(("indicators", i, "id"), "duplicate_id", f"indicator id {ind.id!r} is also a section id", ind.id)
            seen.add(ind.id)
            for field, allowed in (("sections", (SectionKind.FOCUS, SectionKind.MATTER)), ("actions", (SectionKind.ACTION,))):
                for j, ref in enumerate(getattr(ind, field)):
                    kind = section_kind.get(ref)
                    if kind is None:
                        problem(("indicators", i, field, j), "dangling_reference", f"unknown section {ref!r}", ref)
                    elif kind not in allowed:
                        problem(("indicators", i, field, j), "wrong_section_kind", f"{ref!r} is a {kind.value} section, not one of {', '.join(a.value for a in allowed)}", ref)
            if ind.measure == Measure.COUNTIES and not ind.is_percent and ind.target is not None and ind.target > len(self.plan.counties):
                problem(("indicators", i, "target"), "target_counties", f"the target {ind.target} is more than the plan's {len(self.plan.counties)} counties", ind.target)
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

# --------------------------------------------------------------------------- ledger


class EntryRow(_Frozen):
    """One ``[[entries]]`` table of the ledger file, as it must be written."""

    # Strict: a TOML date/datetime/integer only, never a number read as a timestamp
    # (a write cut short at ``recorded_at = 2`` must not load as 1970-01-01T00:00:02Z).
    id: Annotated[int, Field(ge=1, strict=True)]
    indicator: Slug
    as_of: Annotated[dt.date, Field(strict=True)]
    by: Text
    recorded_at: Annotated[AwareDatetime, Field(strict=True)]
    county: Text | None = None
    value: Annotated[Number, Field(ge=0, allow_inf_nan=False)] | None = None
    numerator: Annotated[Number, Field(ge=0, allow_inf_nan=False)] | None = None
    denominator: Annotated[Number, Field(gt=0, allow_inf_nan=False)] | None = None
    state: State | None = None
    supersedes: Annotated[int, Field(ge=1)] | None = None
    void: bool = False
    reason: str | None = None
    note: str | None = None
    source: str | None = None
    batch: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> EntryRow:
        models.check_entry(self)  # the same rules as a domain Entry: one place
        return self

    def to_domain(self) -> models.Entry:
        return models.Entry(*(getattr(self, name) for name in models.ENTRY_FIELDS))


assert tuple(EntryRow.model_fields) == models.ENTRY_FIELDS


@functools.cache
def _rows_adapter() -> TypeAdapter[list[EntryRow]]:
    return TypeAdapter(list[EntryRow])


def validate_entries(rows: list) -> list[models.Entry]:
    """Ledger rows (dicts from TOML) → domain entries; raises ValidationError listing every problem."""
    return [row.to_domain() for row in _rows_adapter().validate_python(rows)]


def validate_plan(data: dict) -> dict:
    """A plan's TOML data → the same plan as checked plain data (defaults filled in), which
    :func:`eduplan.models.plan_from_dict` turns into the domain plan and the plan cache
    keeps; raises ValidationError listing every problem."""
    return Plan.model_validate(data).model_dump(mode="json")
