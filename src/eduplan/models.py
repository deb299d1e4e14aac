"""The data types: a plan (metadata, sections, indicators) and a ledger entry.

Pydantic v2, immutable, ``extra="forbid"``. A :class:`Plan` that exists is valid:
construction checks every rule, and reports every broken one (not only the first)
as a pydantic ``ValidationError`` whose locations name the indicator and field.

Ledger entries are small frozen dataclasses (validated by pydantic through
:func:`entries_adapter`) because a ledger holds many thousands of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from enum import StrEnum
from functools import cached_property
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

SCHEMA_VERSION = 1

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Number = int | float


class Measure(StrEnum):
    FLOW = "flow"  # a count or amount that accumulates over the year
    LEVEL = "level"  # a percentage state at a moment
    COUNTIES = "counties"  # a count or share of county-level units meeting a condition
    MILESTONE = "milestone"  # a task tracked as not started / in progress / done


class Comparator(StrEnum):
    GE = ">="
    LE = "<="
    EQ = "=="


class SectionKind(StrEnum):
    FOCUS = "focus"
    ACTION = "action"
    MATTER = "matter"


class State(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DONE = "done"


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

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


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

    @property
    def all_sections(self) -> tuple[str, ...]:
        """Sections where the text states it, then the actions it serves."""
        return self.sections + self.actions


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

    @cached_property
    def fingerprint(self) -> str:
        """A hash of everything in the plan: caches derived under one plan are not used under another."""
        import hashlib

        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    @cached_property
    def by_id(self) -> dict[str, Indicator]:
        return {ind.id: ind for ind in self.indicators}

    @cached_property
    def section_by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    def indicator(self, indicator_id: str) -> Indicator | None:
        return self.by_id.get(indicator_id)

    def in_section(self, section_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if section_id in i.all_sections)


# --------------------------------------------------------------------------- ledger


@dataclasses.dataclass(frozen=True, slots=True)
class Entry:
    """One recorded figure, correction or void. Never edited once written.

    ``value`` is in base units (percentages 0–100). A ratio keeps its numerator and
    denominator so that county figures roll up correctly. Milestones and the per-county
    states of ``counties`` indicators carry ``state`` instead of ``value``.
    A correction carries ``supersedes`` and ``reason``; a void also ``void = true``.
    """

    __pydantic_config__ = ConfigDict(extra="forbid", strict=False)

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
    batch: str | None = None  # set by `eduplan import`: the SHA-256 of the imported file

    def __post_init__(self) -> None:
        if self.void:
            if self.supersedes is None:
                raise ValueError("a void entry must name the entry it voids (supersedes)")
            if self.value is not None or self.state is not None:
                raise ValueError("a void entry carries no value or state")
        elif (self.value is None) == (self.state is None):
            raise ValueError("an entry carries either a value or a state")
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError("numerator and denominator go together")
        if self.numerator is not None and self.numerator > self.denominator:
            raise ValueError("the numerator is larger than the denominator")
        if self.supersedes is not None and not (self.reason and self.reason.strip()):
            raise ValueError("a correction or void needs a reason")
        if self.supersedes is not None and self.supersedes >= self.id:
            raise ValueError("an entry can only supersede an earlier entry")

    @property
    def is_correction(self) -> bool:
        return self.supersedes is not None and not self.void

    def key(self) -> tuple[str, str | None]:
        return (self.indicator, self.county)


ENTRY_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Entry))
# The order in which an entry's keys are written: recorded_at (required, zoned) last,
# so that a write cut short anywhere leaves an entry that does not validate.
ENTRY_WRITE_ORDER: tuple[str, ...] = (
    "id", "indicator", "county", "as_of", "value", "numerator", "denominator", "state",
    "supersedes", "void", "reason", "note", "source", "batch", "by", "recorded_at",
)
assert sorted(ENTRY_WRITE_ORDER) == sorted(ENTRY_FIELDS)



@functools.cache
def entries_adapter() -> TypeAdapter[list[Entry]]:
    """The validator for a list of entries, built on first use (it costs start-up time)."""
    return TypeAdapter(list[Entry])
