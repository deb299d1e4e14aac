"""The domain types: a plan (metadata, sections, indicators) and a ledger entry.

Small immutable dataclasses, no I/O and no pydantic: everyday commands use them without
paying for schema building. What may go into them is checked by
:mod:`eduplan.store.schema` (the plan, with pydantic) and :mod:`eduplan.store.ledgerfile`
(ledger rows) when a file is read; a plan or entry that reaches the core is valid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from enum import StrEnum
from typing import Any

PLAN_SCHEMA_VERSION = 1
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


@dataclasses.dataclass(frozen=True, slots=True)
class PlanInfo:
    id: str
    title: str
    year: int
    start: dt.date
    end: dt.date
    counties: tuple[str, ...]
    title_en: str = ""
    issuer: str = ""
    lang: str = "zh"  # the language the plan is written in: the default language of every command
    version: str = "1"  # the plan's own revision, recorded in the ledgers written under it
    city: str = ""  # the city-wide unit's name (台州市); 全市 always means it too

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclasses.dataclass(frozen=True, slots=True)
class Thresholds:
    """The judgement calls a plan may set in ``[thresholds]`` (the defaults are documented)."""

    lagging_pp: float = 10.0
    # data-quality rules (core/rules.py): a city-wide figure more than this many times its target is an outlier,
    outlier_times: float = 3.0
    # a county's figure of an accumulating indicator above this many times the whole city's target is one,
    county_outlier_times: float = 1.0
    # and a reporting unit whose latest figure is older than this many days has not updated it (timeliness)
    stale_days: int = 31


@dataclasses.dataclass(frozen=True, slots=True)
class Section:
    id: str
    kind: SectionKind
    number: int
    name: str
    name_en: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    name: str
    sections: tuple[str, ...]
    measure: Measure
    unit: str
    source: str
    comparator: Comparator
    target: Number | None = None
    name_en: str = ""
    actions: tuple[str, ...] = ()
    note: str | None = None

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    @property
    def all_sections(self) -> tuple[str, ...]:
        """Sections where the text states it, then the actions it serves."""
        return self.sections + self.actions

    @property
    def paced(self) -> bool:
        """Is it judged against time (序时进度)? Flows, counties and milestones are; levels are a state."""
        return self.measure != Measure.LEVEL


@dataclasses.dataclass(frozen=True, slots=True)
class NotTracked:
    """A number in the source text that is deliberately not an indicator, and why."""

    source: str
    reason: str


@dataclasses.dataclass(frozen=True)
class Plan:
    plan: PlanInfo
    sections: tuple[Section, ...]
    indicators: tuple[Indicator, ...]
    thresholds: Thresholds = Thresholds()
    not_tracked: tuple[NotTracked, ...] = ()
    schema_version: int = PLAN_SCHEMA_VERSION
    # A hash of the plan file's bytes (set by the loader): what is derived under one plan
    # (the ledger index) is never used under another.
    fingerprint: str = dataclasses.field(default="", compare=False)
    by_id: dict[str, Indicator] = dataclasses.field(init=False, repr=False, compare=False)
    section_by_id: dict[str, Section] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {i.id: i for i in self.indicators})
        object.__setattr__(self, "section_by_id", {s.id: s for s in self.sections})
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", hashlib.sha256(repr(self).encode()).hexdigest())

    def indicator(self, indicator_id: str) -> Indicator | None:
        return self.by_id.get(indicator_id)

    def in_section(self, section_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if section_id in i.all_sections)

    @property
    def counties(self) -> tuple[str, ...]:
        return self.plan.counties


def plan_from_dict(d: dict[str, Any], fingerprint: str = "") -> Plan:
    """A plan from validated plain data (pydantic's JSON-mode dump, or the plan cache)."""
    info = d["plan"]
    return Plan(
        plan=PlanInfo(id=info["id"], title=info["title"], year=info["year"],
                      start=dt.date.fromisoformat(info["start"]), end=dt.date.fromisoformat(info["end"]),
                      counties=tuple(info["counties"]), title_en=info.get("title_en", ""),
                      issuer=info.get("issuer", ""), lang=info.get("lang", "zh"),
                      version=str(info.get("version", "1")), city=info.get("city", "")),
        sections=tuple(Section(s["id"], SectionKind(s["kind"]), s["number"], s["name"], s.get("name_en", ""))
                       for s in d["sections"]),
        indicators=tuple(Indicator(
            id=i["id"], name=i["name"], sections=tuple(i["sections"]), measure=Measure(i["measure"]),
            unit=i["unit"], source=i["source"], comparator=Comparator(i["comparator"]), target=i.get("target"),
            name_en=i.get("name_en", ""), actions=tuple(i.get("actions", ())), note=i.get("note"),
        ) for i in d["indicators"]),
        thresholds=Thresholds(**d.get("thresholds", {})),
        not_tracked=tuple(NotTracked(n["source"], n["reason"]) for n in d.get("not_tracked", ())),
        schema_version=d.get("schema_version", PLAN_SCHEMA_VERSION),
        fingerprint=fingerprint,
    )


# --------------------------------------------------------------------------- ledger


@dataclasses.dataclass(frozen=True, slots=True)
class Entry:
    """One recorded figure, correction or void. Never edited once written.

    ``value`` is in base units (percentages 0–100): a cumulative total or a level. ``added`` is
    instead an increment of an accumulating figure (本月新增): the figure is the latest total
    plus every increment recorded after it. A ratio keeps its numerator and
    denominator so that county figures roll up correctly. Milestones and the per-county
    states of ``counties`` indicators carry ``state`` instead of ``value``.
    A correction carries ``supersedes`` and ``reason``; a void also ``void = true``.
    ``batch`` is set by ``eduplan import``: the SHA-256 of the imported file, and
    ``batch_size`` the number of entries the import wrote, so that an import a crash cut
    short is recognised. ``accepted`` names the data-quality rules a person overrode.
    ``office`` is the recording office: the ledger file's, not written per entry.
    """

    id: int
    indicator: str
    as_of: dt.date
    by: str
    recorded_at: dt.datetime
    county: str | None = None
    value: Number | None = None
    added: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    state: State | None = None
    supersedes: int | None = None
    void: bool = False
    reason: str | None = None
    note: str | None = None
    source: str | None = None
    batch: str | None = None
    batch_size: int | None = None
    accepted: tuple[str, ...] = ()
    office: str = ""

    @property
    def is_correction(self) -> bool:
        return self.supersedes is not None and not self.void

    @property
    def ref(self) -> str:
        """How a person names it: ``#12``, or ``椒江区#12`` in an office's file."""
        return f"{self.office}#{self.id}"

    def key(self) -> tuple[str, str | None]:
        return (self.indicator, self.county)

    def order(self) -> tuple:
        """Which of two figures for the same unit is the later: the later as-of date, then the
        later recording, then office and id (so that the answer never depends on file order)."""
        return (self.as_of, self.recorded_at.timestamp(), self.office, self.id)


# The order in which an entry's keys are written: recorded_at (required, zoned) last,
# so that a write cut short anywhere leaves an entry that does not validate.
ENTRY_WRITE_ORDER: tuple[str, ...] = (
    "id", "indicator", "county", "as_of", "value", "added", "numerator", "denominator", "state",
    "supersedes", "void", "reason", "note", "source", "batch", "batch_size", "accepted", "by", "recorded_at",
)
ENTRY_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Entry))
assert sorted(ENTRY_WRITE_ORDER) == sorted(f for f in ENTRY_FIELDS if f != "office")
