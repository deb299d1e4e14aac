"""Data-quality rules (数据审核): what a figure is checked for before it is stored, and what
``eduplan check`` finds in a stored ledger. Pure functions: no I/O.

Every rule has a stable id (:data:`RULES`) and one of two severities:

* ``error`` — the figure cannot be right (a measure word that does not belong to the
  indicator, half a school): refused, with no way round it;
* ``warning`` — the figure is suspicious (a fraction where a percentage is expected, a
  cumulative total that falls, the same figure twice, a figure far beyond the target): refused
  with the reason, unless the person accepts it (``record --force``, ``import
  --accept-warnings``); the stored entry then names the rule in ``accepted`` (and ``by`` says
  who accepted it).

``accepted``, ``missing`` (completeness) and ``stale`` (timeliness) are found only in a stored
ledger. The judgement calls (how far beyond the target is an outlier, how old is stale) are
the plan's ``[thresholds]``.

A correct figure must never be refused, so each rule is narrow:

* ``fraction`` only where reading the number as a percentage puts it nearer the target than
  reading it as typed, and never on a falling indicator (a dropout rate of 0.5% is a fine value
  against a cap of 2%);
* ``decreasing`` compares a total with the figure of the same unit before it and after it, as
  the ledger stands: a correction replaces the entry it corrects (it is not a new, lower
  figure), increments count as what they add, and only falls the new figure causes are
  named;
* ``duplicate`` is the same figure for the same unit *and* date; the same increment on another
  day is a new increment;
* ``restated`` is a different total (or state) for the same unit and date: the later would
  replace the earlier without saying so, where a correction says why (a sheet of July reused
  for August with its date left as it was); an amount added is a new event, not a restatement;
* ``tenfold`` is only on a level (a share, a stock), between one figure of a unit and the
  next, at least 8 times apart with the larger at least 10: a share does not go from 82% to
  8.2% in a month, while 0.5% then 5% can be true.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import heapq
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from ..i18n import N_, Msg, PerLang, msg, nmsg, tr
from .entries import COUNTY_WORDS, Figure, fold_increments, is_baseline
from .models import Comparator, Entry, Indicator, Measure, Plan, Relative, ReportedBy, State
from .names import unit_called
from .numbers import COUNT_WORDS, format_number
from .records import record
from .reporting import owed_units

ERROR = "error"
WARNING = "warning"


@record
class Rule:
    id: str
    severity: str  # "error": refused; "warning": refused unless accepted
    title: str  # a short name for people (msgid, translated where shown)
    door: bool = True  # checked before a figure is stored (else only in a stored ledger)


RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("unit", ERROR, N_("unit does not belong to the indicator")),
    Rule("whole-number", ERROR, N_("a count that is not a whole number")),
    Rule("fraction", WARNING, N_("a fraction where a percentage is expected")),
    Rule("approximate", WARNING, N_("an approximate figure")),
    Rule("counties-or-percent", WARNING, N_("counties or percent?")),
    Rule("decreasing", WARNING, N_("a cumulative total that falls")),
    Rule("duplicate", WARNING, N_("the same figure entered twice")),
    Rule("restated", WARNING, N_("a second, different figure for the same day")),
    Rule("outlier", WARNING, N_("far beyond the target")),
    Rule("magnitude", WARNING, N_("far below the target (万/亿 left out?)")),
    Rule("reported-by", WARNING, N_("a figure from a unit that does not report it")),
    Rule("state-back", WARNING, N_("a state that goes back")),
    Rule("tenfold", WARNING, N_("ten times off the figure next to it")),
    Rule("parts", WARNING, N_("a city-wide total below its units' sum")),
    Rule("person-times", WARNING, N_("persons for person-times, or person-times for persons")),
    Rule("accepted", WARNING, N_("accepted over a warning"), door=False),
    Rule("missing", WARNING, N_("not reported (completeness)"), door=False),
    Rule("stale", WARNING, N_("not updated (timeliness)"), door=False),
)}
RULE_IDS: tuple[str, ...] = tuple(RULES)
OVERRIDABLE: tuple[str, ...] = tuple(r.id for r in RULES.values() if r.door and r.severity == WARNING)
# Rules about the entries themselves (not about what is missing as of a date)
ENTRY_RULES: tuple[str, ...] = tuple(r.id for r in RULES.values() if r.door)
# rules about what is missing as of a date, not about a figure
REPORTING_RULES: tuple[str, ...] = ("missing", "stale")
LISTED = 10  # the findings about figures a digest names; `eduplan check` lists every one

PERSONS = frozenset({"人", "名", "位", "人次"})  # (位: as teachers and principals are counted)
_PERSON_TIMES = frozenset({"人次", "次"})  # a service to one person twice is 2人次
THINGS = COUNT_WORDS - PERSONS - {"县"}  # schools, places, projects, rooms, events … (所 个 家 项 间 场 次 …)
_TOLERANCE = 1e-9


def named(rule: str) -> Msg | str:
    """A rule as people read it: its short name, and for an English reader its id, which
    ``check --rule`` takes (``a cumulative total that falls [decreasing]``); a Chinese reader
    reads the name alone (累计数下降), which ``check --rule`` takes as well: an id is an English word."""
    found = RULES.get(rule)
    if found is None:
        return rule
    return PerLang({"en": msg("{message} [{rule}]", message=msg(found.title), rule=rule), "zh": msg(found.title)})


def rule_tag(rule: str) -> Msg | str:
    """The rule a message ends with (``… [decreasing]``): its id for an English reader, its short
    name for a Chinese one (``…［累计数下降］``)."""
    found = RULES.get(rule)
    return PerLang({"en": rule, "zh": msg(found.title)}) if found is not None else rule


def rule_called(text: str) -> str | None:
    """The rule an id or a short name in either language (累计数下降, decreasing) names; None if none."""
    typed = unicodedata.normalize("NFKC", text).strip().lower()
    for r in RULES.values():
        if typed in (r.id, unicodedata.normalize("NFKC", tr(r.title, "zh")).lower(), tr(r.title, "en").lower()):
            return r.id
    return None


@record(slots=False)
class Finding:
    """Something questionable about a figure, or about what a unit has not reported.

    ``entries`` are the entries it is about, oldest first (at the door: the entries already
    in the ledger it conflicts with). ``params`` are plain values for scripts (JSON);
    ``message`` says the same for people.
    """

    rule: str
    message: Msg
    indicator: str
    county: str | None = None
    entries: tuple[Entry, ...] = ()
    as_of: dt.date | None = None
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    by: str | None = None  # for ``accepted``: who accepted it

    @property
    def severity(self) -> str:
        return RULES[self.rule].severity

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(e.ref for e in self.entries)


def _shown(value: float | int | None, ind: Indicator) -> str:
    """A figure in a sentence, exactly enough to recognise it (0.56%, not 0.6%)."""
    if value is None:
        return "—"
    if ind.measure == Measure.COUNTIES and not ind.is_percent:  # a count of them, with its word: 6个
        return format_number(value, ind.unit if ind.unit in COUNTY_WORDS else "")
    if ind.is_percent:
        return format_number(value, "%", digits=4 if abs(value) < 1 else 2)
    return format_number(value, ind.unit, digits=2)


def _num(x: float | int | None) -> float | int | None:
    if x is None or isinstance(x, int):
        return x
    return int(x) if float(x).is_integer() else round(float(x), 6)


_STATES = {State.DONE: N_("done"), State.IN_PROGRESS: N_("in progress"), State.NOT_STARTED: N_("not started")}


def figure_of(e: Entry, ind: Indicator) -> str | Msg:
    """An entry's figure in a sentence: ``120个``, ``+8000个`` (an increment), ``完成``."""
    if e.state is not None:
        return msg(_STATES[e.state])
    if e.added is not None:
        return "+" + _shown(e.added, ind)
    return _shown(e.value, ind)


# --------------------------------------------------------------------------- one figure, as typed


def unit_fits(ind: Indicator, word: str | None) -> bool:
    """Does a measure word typed after a number belong to the indicator? Only a word of another
    kind cannot: persons (人, 名, 人次) on a count of things, things on a count of persons, 元
    on anything but an amount, anything on a percentage, 县 on anything but counties. Among
    things (所, 家, 个, 项, 间, 座, 场, 次 …) staff use several words for one thing (85项 or 85个
    projects, 5间 or 5个 classrooms), and 个 counts anything."""
    own = ind.unit
    if word is None or word == own:
        return True
    if ind.measure == Measure.COUNTIES:
        return word in COUNTY_WORDS
    if own in ("%", "元") or word in ("元", "县") or own not in COUNT_WORDS:
        return False
    if word == "个":
        return True
    if own in PERSONS:
        return word in PERSONS or (own == "人次" and word == "次")
    return word in THINGS


# a share to hold a fraction against where the target is the baseline plus N points and the baseline
# is not in the plan: any share above 0 and at most 1 is then nearer it read as a percentage
_MIDDLE_SHARE = 50.0


def fraction_reading(ind: Indicator, value: float | int | None) -> float | None:
    """The percentage a fraction typed for a percentage meant (0.56 → 56), when that reading is
    the plausible one: a rising (or exact) percentage, a number above 0 and at most 1, and read
    as a percentage it is nearer the target than read as it was typed. None otherwise. A target
    stated against the baseline (比上年提高N个百分点) is the plan's baseline plus N, or, with the
    baseline recorded in the ledger only, a middle share (0.6 is 60% there too)."""
    target = ind.target
    if target is None and ind.relative is not None and ind.relative.kind != Relative.BELOW:
        base = ind.baseline.value if ind.baseline is not None else None
        target = ind.relative.target(base) if base is not None else _MIDDLE_SHARE
    if (not ind.is_percent or ind.comparator == Comparator.LE or value is None or isinstance(value, bool)
            or not 0 < value <= 1 or not target or target <= 0):
        return None
    as_typed = abs(math.log(value / target))
    as_percent = abs(math.log(value * 100 / target))
    if as_percent < as_typed:
        return value * 100
    return None


def counties_reading(ind: Indicator, plan: Plan, value: float | int | None, county: str | None) -> int | None:
    """A plain whole number from 1 to the number of counties on a city-wide share of counties
    (``3`` on "50% of counties"): it may mean 3 counties as well as 3%. The count, else None."""
    n = len(plan.plan.counties)
    if (ind.measure != Measure.COUNTIES or not ind.is_percent or county is not None or value is None
            or isinstance(value, bool) or not float(value).is_integer() or not 1 <= value <= n):
        return None
    return int(value)


def _typed_step(text: str) -> float:
    """One unit of the last digit typed (1 for 56, 0.1 for 55.6 and finer): how far a typed share
    may be from the one meant."""
    m = re.search(r"\d+(?:\.(\d+))?", unicodedata.normalize("NFKC", text))
    return 0.1 if m and m[1] else 1.0


def _whole_counties(share: float | int, n: int, step: float) -> bool:
    """Is ``share`` (a percentage) that of a whole number of ``n`` units, as typed to ``step``
    (55 or 56 or 55.6 for 5 of 9, rounded or cut short)?"""
    k = round(share * n / 100)
    return any(0 <= j <= n and abs(share - j * 100 / n) < step - _TOLERANCE for j in (k - 1, k, k + 1))


def figure_findings(ind: Indicator, plan: Plan, fig: Figure, *, county: str | None, text: str) -> list[Finding]:
    """The rules about a figure as it was typed, before anything is stored: its measure word,
    whole numbers, a fraction for a percentage, counties or percent."""
    out: list[Finding] = []

    def found(rule: str, message: Msg, **params: Any) -> None:
        out.append(Finding(rule, message, ind.id, county, params={"text": text, **params}))

    if fig.state is not None:
        return out
    reporter = _not_reporting(ind, county, door=True)
    number = fig.added if fig.added is not None else fig.value
    if fig.percent and not ind.is_percent and fig.numerator is None:
        found("unit", msg("'{text}' is a percentage, but {indicator} is measured in {unit}", text=text,
                          indicator=ind.called, unit=ind.unit), unit=ind.unit)
        return out
    if fig.counties is None and not unit_fits(ind, fig.unit):
        if ind.is_percent:
            found("unit", msg("'{text}' is a count ({word}), but {indicator} is a percentage: write it as 56% or as "
                              "numerator/denominator (12000/21000)", text=text, word=fig.unit, indicator=ind.called),
                  unit=ind.unit, word=fig.unit)
        else:
            found("unit", msg("'{text}': {word} does not belong to {indicator}, which is measured in {unit}",
                              text=text, word=fig.unit, indicator=ind.called, unit=ind.unit), unit=ind.unit, word=fig.unit)
        return out
    if ind.unit in PERSONS and fig.unit in PERSONS and (fig.unit in _PERSON_TIMES) != (ind.unit in _PERSON_TIMES):
        # persons (人, 名) and person-times (人次): two measures that staff often write for one another
        if ind.unit in _PERSON_TIMES:
            found("person-times", msg("'{text}' counts persons ({word}), but {indicator} counts person-times ({unit}: "
                                      "one person served twice is 2{unit}); make sure it is the person-times",
                                      text=text, word=fig.unit, indicator=ind.called, unit=ind.unit),
                  unit=ind.unit, word=fig.unit)
        else:
            found("person-times", msg("'{text}' counts person-times ({word}), but {indicator} counts persons ({unit}: "
                                      "each person once); make sure it is the number of persons",
                                      text=text, word=fig.unit, indicator=ind.called, unit=ind.unit),
                  unit=ind.unit, word=fig.unit)
    if fig.approx is not None:
        # a plan's text says 110余名 for at least 110; a figure for the ledger is a count or an amount as it
        # stands on a date, held against the target as it is: a round one would be stored as if it were exact
        found("approximate", msg("'{text}' is approximate ('{word}'): the ledger keeps exact figures, and it would be "
                                 "stored as exactly {value}; type the exact figure", text=text, word=fig.approx,
                                 value=_shown(number, ind)),
              word=fig.approx, value=_num(number))
    if ind.counted and number is not None and not float(number).is_integer():
        # the figure as it is (1.234, not 1.23: a point typed for a thousands separator must be seen as typed)
        found("whole-number", msg("'{text}' is {value}: {indicator} counts {unit}, which come in whole numbers",
                                  text=text, value=format_number(number, ind.unit, digits=6), indicator=ind.called,
                                  unit=ind.unit),
              value=_num(number))
        return out
    n = len(plan.plan.counties)
    if (ind.measure == Measure.COUNTIES and ind.is_percent and county is None and fig.counties is None
            and number is not None and n):
        if not _whole_counties(number, n, _typed_step(text)):
            lo = min(int(number * n / 100), n - 1)
            shares = {"lo": lo, "hi": lo + 1, "lo_share": format_number(lo * 100 / n, "%"),
                      "hi_share": format_number((lo + 1) * 100 / n, "%")}
            meant = fraction_reading(ind, number) if not fig.percent else None
            if meant is not None and number == 1:  # one county, or 1.0 as a fraction, all of them: asked, not guessed
                found("whole-number", msg("'{text}' on {indicator}: one of the {n} county-level units, or all of them? "
                                          "For one write 1个 ({one}); for all of them, 100% ({n}个)", text=text,
                                          indicator=ind.called, n=n, one=format_number(100 / n, "%")),
                      value=_num(number), counties=n, meant=_num(meant))
            elif meant is not None and _whole_counties(meant, n, 1.0):  # 0.556: 55.6%, 5 of 9
                k = round(meant * n / 100)
                found("whole-number", msg("'{text}' looks like a fraction: did you mean {percent} ({k}个)? A share of "
                                          "the {n} county-level units is written as {percent} or as a count, {k}个",
                                          text=text, percent=format_number(meant, "%"), k=k, n=n),
                      value=_num(number), counties=n, meant=_num(meant))
            elif float(number).is_integer() and 1 <= number <= n and not fig.percent:
                k = int(number)
                found("whole-number", msg("'{text}' on {indicator}: a share of the {n} county-level units is that of a "
                                          "whole number of them ({lo} is {lo_share}, {hi} is {hi_share}); for {k} of "
                                          "them write {k}个", text=text, indicator=ind.called, n=n, k=k, **shares),
                      value=_num(number), counties=n)
            else:
                found("whole-number", msg("'{text}' on {indicator}: a share of the {n} county-level units is that of a "
                                          "whole number of them ({lo} is {lo_share}, {hi} is {hi_share}); write how "
                                          "many meet it ({lo}个 or {hi}个)", text=text, indicator=ind.called, n=n,
                                          **shares), value=_num(number), counties=n)
            return out
    if fig.numerator is None and not fig.percent and fig.counties is None and fig.added is None:
        meant = fraction_reading(ind, fig.value)
        if meant is not None:
            found("fraction", msg("'{text}' looks like a fraction: did you mean {percent}? A percentage is written "
                                  "as 56 or 56%, not 0.56", text=text, percent=format_number(meant, "%")),
                  value=_num(fig.value), meant=_num(meant))
        k = counties_reading(ind, plan, fig.value, county) if fig.unit is None else None
        if k is not None:
            n = len(plan.plan.counties)
            share = format_number(k * 100 / n, "%")
            found("counties-or-percent", nmsg(
                "'{text}' on {indicator}, the share of the {n} county-level units meeting it: {k} county or {k}%? "
                "Write {share} (or {k}个) for {k} county, or {k}% with the sign",
                "'{text}' on {indicator}, the share of the {n} county-level units meeting it: {k} counties or {k}%? "
                "Write {share} (or {k}个) for {k} counties, or {k}% with the sign", k, text=text, indicator=ind.called,
                n=n, k=k, share=share), value=_num(fig.value), counties=k, meant=_num(k * 100 / n))
    if fig.numerator is None and not fig.percent and fig.counties is None and fig.added is None:
        small = too_small(ind, plan, number, county)
        if small is not None:
            found("magnitude", msg("'{text}' is far below the target of {target} for {indicator}: did you mean {meant}? "
                                   "(check 万/亿)", text=text, target=_shown(ind.target, ind), indicator=ind.called,
                                   meant=_shown(small, ind)), value=_num(number), meant=_num(small))
    if reporter is not None:
        found("reported-by", reporter, reported_by=ind.reported_by.value)  # type: ignore[union-attr]
    return out


def rollup_advice_of(plan: Plan, entries: Iterable[Entry]) -> tuple[Msg, ...]:
    """:func:`rollup_advice` for entries about to be written together (a sheet's rows): once for
    each indicator that has such a figure, in the plan's order."""
    seen: dict[str, Msg] = {}
    for e in entries:
        ind = plan.by_id.get(e.indicator)
        if ind is not None and ind.id not in seen and (said := rollup_advice(
                ind, Figure(value=e.value, numerator=e.numerator), e.county)) is not None:
            seen[ind.id] = said
    return tuple(seen[i.id] for i in plan.indicators if i.id in seen)


def rollup_advice(ind: Indicator, fig: Figure, county: str | None) -> Msg | None:
    """What to say of a county's percentage typed without its numerator and denominator on a
    share the city's figure is rolled up from (Σnumerators ÷ Σdenominators): it is stored, and
    it leaves the city-wide share without a figure (no data, the note cannot_roll_up) until
    the county gives its parts or the city its own figure. None where that is not so."""
    if (county is None or ind.measure != Measure.LEVEL or not ind.is_percent or fig.numerator is not None
            or fig.value is None or ind.reported_by == ReportedBy.CITY):
        return None
    return msg("{indicator} is rolled up city-wide as the counties' numerators over their denominators: a "
               "percentage alone cannot count in it, and leaves the city-wide figure without data. Record the "
               "numerator/denominator (e.g. 12000/21000) where they are known", indicator=ind.called)


def _not_reporting(ind: Indicator, county: str | None, *, door: bool) -> Msg | None:
    """A county's figure for what the plan has the city report city-wide (``reported_by = "city"``):
    it would be summed as the city's figure. (A city-wide figure for what the counties report is
    the plan's roll-up, "a city-wide entry if there is one": the city compiling its own total.)"""
    if ind.reported_by is None or ind.measure in (Measure.MILESTONE, Measure.COUNTIES):
        return None
    if county is not None and ind.reported_by == ReportedBy.CITY:
        if door:
            return msg("{indicator} is reported city-wide by the city, not county by county: record the city-wide "
                       "figure (a county's figures would be summed as the city's)", indicator=ind.called)
        return msg("a figure for {county}, but {indicator} is reported city-wide by the city: it is summed as the "
                   "city's figure while there is no city-wide one", county=county, indicator=ind.called)
    return None


# --------------------------------------------------------------------------- a figure among the others


def _when(e: Entry) -> tuple:
    """:meth:`Entry.order` without converting each time of recording (a ledger's are all zoned)."""
    return (e.as_of, e.recorded_at, e.office, e.id)


def _order(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=_when)


def running(entries: Sequence[Entry]) -> list[tuple[Entry, float | int | None]]:
    """Each entry of one unit's series (in order) with the figure after it: a total sets the
    figure, an increment adds to it (the rule of :func:`eduplan.core.entries.latest`)."""
    out = []
    figure: float | int | None = None
    for e in entries:
        if e.added is not None:
            figure = (figure or 0) + e.added
        elif e.value is not None:
            figure = e.value
        out.append((e, figure))
    return out


def falls(entries: Sequence[Entry]) -> list[tuple[Entry, Entry, float | int]]:
    """Where one unit's cumulative series (surviving entries, in order) goes down: (the entry
    that made the figure before, the lower total, the figure before)."""
    out = []
    figure: float | int | None = None
    source: Entry | None = None
    for e in entries:
        if e.added is not None:
            figure, source = (figure or 0) + e.added, e
        elif e.value is not None:
            if figure is not None and source is not None and e.value < figure - _TOLERANCE * max(1.0, abs(figure)):
                out.append((source, e, figure))
            figure, source = e.value, e
    return out


_RANK = {State.NOT_STARTED: 0, State.IN_PROGRESS: 1, State.DONE: 2}


def goes_back(entries: Sequence[Entry]) -> list[tuple[Entry, Entry]]:
    """Where one unit's states (surviving entries, in order) go back: 完成 then 进行中 or 未开始,
    进行中 then 未开始 (the state before, the one that takes it back)."""
    out = []
    before: Entry | None = None
    for e in entries:
        if e.state is None:
            continue
        if before is not None and _RANK[e.state] < _RANK[before.state]:  # type: ignore[index]
            out.append((before, e))
        before = e
    return out


def _back_finding(ind: Indicator, before: Entry, after: Entry, new: Entry | None) -> Finding:
    unit = unit_called(after.county)
    if new is after:
        message = msg("{unit}: {was} as of {day} ({ref}) and now {now} as of {now_day}: a state does not go back; if "
                      "the earlier one is wrong, correct it", unit=unit, was=figure_of(before, ind), day=before.as_of,
                      ref=before.ref, now=figure_of(after, ind), now_day=after.as_of)
        others: tuple[Entry, ...] = (before,)
    else:
        message = msg("{unit}: {now} as of {now_day} ({refs}) after {was} as of {day}: a state does not go back",
                      unit=unit, was=figure_of(before, ind), day=before.as_of, now=figure_of(after, ind),
                      now_day=after.as_of, refs=[x.ref for x in (before, after) if x is not new])
        others = tuple(x for x in (before, after) if x is not new)
    return Finding("state-back", message, ind.id, after.county, others, after.as_of,
                   {"before": before.state.value, "after": after.state.value})  # type: ignore[union-attr]


def _key(e: Entry) -> tuple:
    """What makes two entries of a unit the same figure (a duplicate): its date and figure, and
    for an amount added (+1所 on 1 September) what it says it is (its note or source), where it
    says: two kindergartens opening the same day, each named, are two events, not one typed twice."""
    told = (e.note, e.source) if e.added is not None and (e.note or e.source) else None
    return (e.as_of, e.value, e.added, e.state, e.numerator, e.denominator, told)


def _fall_finding(ind: Indicator, before: Entry, after: Entry, figure: float | int, new: Entry | None) -> Finding:
    county = after.county
    params = {"value": _num(after.value), "previous": _num(figure), "previous_as_of": before.as_of.isoformat(),
              "as_of": after.as_of.isoformat()}
    if new is not None and before is new:  # the new figure is above a later total
        later = after
        message = msg("{unit}: {value} as of {day} is above the later total {later} as of {later_day} ({ref}): "
                      "a cumulative total does not fall; if that figure is wrong, correct it",
                      value=_shown(figure, ind), day=new.as_of, later=_shown(later.value, ind), later_day=later.as_of,
                      ref=later.ref, unit=unit_called(county))
        return Finding("decreasing", message, ind.id, county, (later,), new.as_of, params)
    others = (before,) if new is not None else (before, after)
    # the entry as people name it (椒江区#3 in a ledger folder)
    ref = before.ref if before.added is None else msg("with the increment {ref}", ref=before.ref)
    message = msg("{unit}: the cumulative total {value} as of {day} is below {previous} as of {previous_day} ({ref}): "
                  "a cumulative total does not fall; if the earlier figure is wrong, correct it",
                  value=_shown(after.value, ind), day=after.as_of, previous=_shown(figure, ind),
                  previous_day=before.as_of, ref=ref, unit=unit_called(county))
    return Finding("decreasing", message, ind.id, county, others, after.as_of, params)


TENFOLD = 8  # on a level, one figure at least this many times the next (and at least TENFOLD_FLOOR): tenfold
TENFOLD_FLOOR = 10


def jumps(entries: Sequence[Entry]) -> list[tuple[Entry, Entry, float]]:
    """Where one unit's level (surviving entries, in order) jumps about tenfold from one figure
    to the next: 82% then 8.2%, 12所 then 120所 (a digit too many or too few, the decimal point
    in the wrong place). Each pair with how many times the larger is the smaller. Small figures
    are left alone: 0.5% then 5%, or 1 then 10, can be true."""
    out = []
    before: Entry | None = None
    for e in entries:
        if not is_total(e):
            continue
        if before is not None:
            lo, hi = sorted((before.value, e.value))  # type: ignore[type-var]
            if lo > 0 and hi >= TENFOLD_FLOOR and hi >= TENFOLD * lo:
                out.append((before, e, hi / lo))
        before = e
    return out


def _jump_finding(ind: Indicator, before: Entry, after: Entry, times: float, new: Entry | None) -> Finding:
    unit = unit_called(after.county)
    times_shown = format_number(round(times, 1 if times < 20 else 0))
    if new is not None:
        other = before if new is after else after
        said = dict(unit=unit, value=_shown(new.value, ind), day=new.as_of, times=times_shown,
                    other=_shown(other.value, ind), other_day=other.as_of, ref=other.ref)
        if new.value > other.value:  # type: ignore[operator]
            message = msg("{unit}: {value} as of {day} is {times} times {other} as of {other_day} ({ref}): a digit "
                          "too many, or the decimal point in the wrong place? If the other figure is wrong, correct it",
                          **said)
        else:
            message = msg("{unit}: {value} as of {day} is far below {other} as of {other_day} ({ref}), which is "
                          "{times} times it: a digit too few, or the decimal point in the wrong place? If the other "
                          "figure is wrong, correct it", **said)
        this, others = new, (other,)
    else:
        message = msg("{unit}: {previous} as of {previous_day}, then {value} as of {day} ({refs}): one is {times} "
                      "times the other. A digit too many or too few, or the decimal point in the wrong place?", unit=unit,
                      value=_shown(after.value, ind), day=after.as_of, previous=_shown(before.value, ind),
                      previous_day=before.as_of, times=times_shown, refs=[before.ref, after.ref])
        this, other, others = after, before, (before, after)
    params = {"value": _num(this.value), "other": _num(other.value), "other_as_of": other.as_of.isoformat(),
              "times": round(times, 2)}
    return Finding("tenfold", message, ind.id, after.county, others, after.as_of, params)


SMALL = 1e-4  # a figure below this share of its target, that would fit it with 万 or 亿: magnitude


def too_small(ind: Indicator, plan: Plan, figure: float | int | None, county: str | None = None) -> float | None:
    """A figure so far below its target that 万 or 亿 was likely left out (45 for investment of
    90亿元; 2 for 3.5万 places city-wide): what it would be with the one of them that brings it
    within reach of the target (1% to ``outlier_times`` × the target), else None. A county's
    figure is held against the county's own target, else its even share of the city's. Only
    totals rising to a target (an increment is a month's part of one): a cap is glad of a small
    figure, a percentage has the fraction rule."""
    target = ind.target
    if county is not None and target:
        target = ind.county_target(county) or target / max(1, len(plan.plan.counties))
    if (figure is None or figure <= 0 or not target or target <= 0 or ind.is_percent
            or ind.measure not in (Measure.FLOW, Measure.LEVEL) or ind.comparator == Comparator.LE):
        return None
    if figure >= target * SMALL:
        return None
    for times in (10**4, 10**8):
        meant = figure * times
        if target * 0.01 <= meant <= target * plan.thresholds.outlier_times:
            return meant
    return None


# a county's own target from which a figure several times it is questioned: 1000 places against 200
# is a slip; 7 schools against a target of 2 can be true (a small count is often overshot)
_OWN_TARGET_MIN = 10


def goal_of(ind: Indicator, entries: Iterable[Entry], plan: Plan) -> float | int | None:
    """The target a figure is held against: the plan's, or one stated against the baseline
    (比基数多N, 低于基数) made from the baseline the plan gives or a unit's entries record
    (dated before the period); None where it is not known yet."""
    if ind.target is not None or ind.relative is None:
        return ind.target
    base = ind.baseline.value if ind.baseline is not None else None
    recorded = [e for e in entries if is_baseline(e, plan) and e.value is not None and e.county is None]
    if recorded:
        base = _order(recorded)[-1].value
    return ind.relative.target(base) if base is not None else None


def _outlier(ind: Indicator, plan: Plan, county: str | None, figure: float | int | None,
             target: float | int | None = None) -> tuple[float, Msg] | None:
    """Is a figure far beyond the target: a city-wide figure more than ``outlier_times`` its
    target, a county's figure more than ``outlier_times`` its own target (where the plan gives
    it one, of at least :data:`_OWN_TARGET_MIN`), or one county's (accumulating) figure above
    ``county_outlier_times`` the whole city's target? ``target``: where the plan states it
    against the baseline (:func:`goal_of`). The limit and the words, else None."""
    target = ind.target if target is None else target
    if figure is None or not target or target <= 0 or ind.measure == Measure.MILESTONE:
        return None
    t = plan.thresholds
    own = ind.county_target(county) if county is not None and ind.measure != Measure.COUNTIES else None
    if own is not None and own >= _OWN_TARGET_MIN and figure > t.outlier_times * own + _TOLERANCE:
        # a county's own target (分解目标) says what its figure should be near: 1000 for a target of 200
        return t.outlier_times * own, msg(
            "{value} for {county} is more than {times} times its own target of {target} for {indicator}: check the "
            "unit and the digits (万/亿)", value=_shown(figure, ind), county=county, times=t.outlier_times,
            target=_shown(own, ind), indicator=ind.called)
    if county is not None and ind.measure == Measure.FLOW:
        limit = t.county_outlier_times * target
        if figure > limit + _TOLERANCE:
            if t.county_outlier_times == 1:
                return limit, msg("{value} for {county} alone is above the whole city's target of {target} for "
                                  "{indicator}: check the unit and the digits (万/亿)", value=_shown(figure, ind),
                                  county=county, target=_shown(target, ind), indicator=ind.called)
            return limit, msg("{value} for {county} alone is more than {times} times the whole city's target of "
                              "{target} for {indicator}: check the unit and the digits (万/亿)",
                              value=_shown(figure, ind), county=county, times=t.county_outlier_times,
                              target=_shown(target, ind), indicator=ind.called)
        return None
    limit = t.outlier_times * target
    if figure > limit + _TOLERANCE:
        return limit, msg("{value} is more than {times} times the target of {target} for {indicator}: check the unit "
                          "and the digits (万/亿)", value=_shown(figure, ind), times=t.outlier_times,
                          target=_shown(target, ind), indicator=ind.called)
    return None


def series_findings(ind: Indicator, plan: Plan, new: Entry, series: Sequence[Entry]) -> list[Finding]:
    """The rules about a new figure among the same unit's surviving entries (``series``; for a
    correction, without the entry it corrects): the same figure twice, a cumulative total
    that falls, a figure far beyond the target. ``new`` carries its id and time of recording."""
    out: list[Finding] = []
    county = new.county
    goal = goal_of(ind, series, plan)  # (a target stated against the baseline: the baseline is in the city's series)
    # a baseline (before the period) is not part of the period's series
    series = [e for e in series if e.key() == new.key() and is_baseline(e, plan) == is_baseline(new, plan)]
    same = [e for e in series if _key(e) == _key(new)]
    if same:
        said = dict(value=figure_of(new, ind), unit=unit_called(county), day=new.as_of, refs=[e.ref for e in same])
        out.append(Finding("duplicate", msg(
            "{unit}: the same state ({value}) as of {day} is already recorded ({refs}); to change it, correct it",
            **said) if new.state is not None else msg(
            "{unit}: the same figure ({value}) as of {day} is already recorded ({refs}); to change a figure, "
            "correct it", **said),
            ind.id, county, tuple(_order(same)), new.as_of,
            {"value": _num(new.value if new.added is None else new.added), "state": new.state.value if new.state
             else None}))
    if new.added is None and not same:
        other = [e for e in series if e.as_of == new.as_of and e.added is None]
        if other:
            out.append(_restated(ind, other[-1], new, new))
    ordered = _order(series)
    merged = _order([*series, new])
    if ind.measure == Measure.FLOW:
        before = {(a.ref, b.ref) for a, b, _ in falls(ordered)}
        for a, b, figure in falls(merged):
            if (a.ref, b.ref) not in before and new in (a, b):
                out.append(_fall_finding(ind, a, b, figure, new))
            elif (a.ref, b.ref) not in before:  # a fall the new figure brings about between two others
                out.append(_fall_finding(ind, a, b, figure, None))
    if ind.measure == Measure.LEVEL and is_total(new):
        slip = next(((a, b, times) for a, b, times in jumps(merged) if new in (a, b)), None)
        if slip is not None:  # once, against the figure before it, else the one after: one slip, one message
            out.append(_jump_finding(ind, *slip, new))
    if new.state is not None:
        earlier = {(a.ref, b.ref) for a, b in goes_back(ordered)}
        out.extend(_back_finding(ind, a, b, new) for a, b in goes_back(merged)
                   if (a.ref, b.ref) not in earlier and new in (a, b))
    figure = next(f for e, f in running(merged) if e is new)
    far = _outlier(ind, plan, county, figure, goal) if new.state is None and not is_baseline(new, plan) else None
    if far is not None:
        out.append(Finding("outlier", far[1], ind.id, county, (), new.as_of,
                           {"value": _num(figure), "target": _num(goal), "limit": _num(far[0])}))
    once = accepted_before(previous_total(series, new), new)
    return [f for f in out if f.rule not in once] if once else out


def _restated(ind: Indicator, before: Entry, after: Entry, new: Entry | None) -> Finding:
    """``after``, a total or a state for the same unit and day as ``before``, and not the same:
    the later recording counts and the earlier is silently set aside."""
    said = dict(unit=unit_called(after.county), day=after.as_of, was=figure_of(before, ind),
                now=figure_of(after, ind))
    if new is not None:
        message = msg("{unit}: {was} as of {day} is already recorded ({ref}), and {now} would replace it without "
                      "saying why: to change a figure, correct it; else check the date", ref=before.ref, **said)
        others: tuple[Entry, ...] = (before,)
    else:
        message = msg("{unit}: {now} as of {day} ({refs}) replaces {was} of the same day without saying why (not a "
                      "correction)", refs=[before.ref, after.ref], **said)
        others = (before, after)
    return Finding("restated", message, ind.id, after.county, others, after.as_of,
                   {"value": _num(after.value), "previous": _num(before.value),
                    "state": after.state.value if after.state else None,
                    "previous_state": before.state.value if before.state else None})


def accepted_before(before: Entry | None, new: Entry | Figure) -> frozenset[str]:
    """The warnings not to raise again about ``new``: those its unit's figure ``before`` it was
    accepted over, where ``new`` is that same figure (June's 123456 accepted as far beyond the
    target, left as it was on July's sheet, is not held again every month). Not a warning about
    the entry beside it (the same figure entered again for the day is a duplicate each time)."""
    if before is None or not before.accepted or getattr(new, "added", None) is not None or before.added is not None:
        return frozenset()
    return frozenset(before.accepted) - _ABOUT_THE_DAY if same_figure(before, new) else frozenset()


def same_figure(a: Entry | Figure, b: Entry | Figure) -> bool:
    """Do two entries (or a figure as typed) give the same total, ratio or state?"""
    return (a.value, a.numerator, a.denominator, a.state) == (b.value, b.numerator, b.denominator, b.state)


_ABOUT_THE_DAY = frozenset({"duplicate", "restated"})


def previous_total(series: Sequence[Entry], new: Entry) -> Entry | None:
    """The unit's figure (a total or a state) just before ``new`` in the ledger's order."""
    when = _when(new)
    earlier = [e for e in series if e.added is None and _when(e) < when]
    return max(earlier, key=_when) if earlier else None


def previous_totals(ordered: Sequence[Entry]) -> dict[int, Entry | None]:
    """:func:`previous_total` of each of these entries (one unit's, in the ledger's order), by the
    entry's ``id()``, in one pass. Asked for each finding of a unit, a scan of its whole series
    each time made the first report at 1M synthetic entries (1,600 a unit, most of them with a
    finding) run for over ten minutes."""
    out: dict[int, Entry | None] = {}
    last: Entry | None = None
    for e in ordered:
        out[id(e)] = last
        if e.added is None:
            last = e
    return out


def is_total(e: Entry) -> bool:
    """A figure that sets a unit's running figure (a value), not one that adds to it or a state."""
    return e.added is None and e.value is not None


def series_window(series: Iterable[Entry], new: Entry) -> tuple[dt.date | None, dt.date | None]:
    """Which dates of a unit's series decide :func:`series_findings` for ``new``: from the
    latest date before new's of a total to the earliest date after it of a total (None: no
    bound). A total sets the running figure again, so what comes before the first or after
    the second is the same with ``new`` as without it and changes no finding; a store may give
    only the entries dated within (tests/test_rules.py shows the findings equal)."""
    since = until = None
    for e in series:
        if is_total(e):
            if e.as_of < new.as_of and (since is None or e.as_of > since):
                since = e.as_of
            elif e.as_of > new.as_of and (until is None or e.as_of < until):
                until = e.as_of
    return since, until


def covering(windows: Iterable[tuple[dt.date | None, dt.date | None]]) -> tuple[dt.date | None, dt.date | None]:
    """The dates that hold every one of these :func:`series_window` (None: no bound). Any
    wider run of dates decides the same findings, so several new figures of one unit, judged
    one after another as an import does, need only the entries within this."""
    pairs = list(windows)
    sinces, untils = zip(*pairs) if pairs else ((None,), (None,))
    return (None if None in sinces else min(sinces), None if None in untils else max(untils))


# --------------------------------------------------------------------------- the whole and its parts


def summable(ind: Indicator) -> bool:
    """Do the units' figures add up to the whole's: an accumulating figure or a count at a date
    (never a percentage, a state)?"""
    return ind.measure == Measure.FLOW or (ind.measure == Measure.LEVEL and not ind.is_percent)


Latest = Mapping[tuple[str, str | None], Entry]


def overlaid(latest: Latest, new: Iterable[Entry], since: dt.date) -> dict[tuple[str, str | None], Entry]:
    """The latest figure per unit with entries not yet stored among them (recorded now, so a
    total is its unit's latest unless another is dated after it; an increment adds to it)."""
    out = dict(latest)
    adds = []
    for e in new:
        if e.void or e.state is not None:
            continue
        if e.added is not None:
            adds.append(e)
            continue
        current = out.get(e.key())
        if current is None or e.as_of >= current.as_of:
            out[e.key()] = e
    return fold_increments(out, adds, since=since) if adds else out


def _added_up(ind: Indicator, plan: Plan, parts: Iterable[tuple[str, float | int, Entry]]
              ) -> tuple[float, list[tuple[str, float | int, Entry]], list[str]]:
    """The units' figures by a date, each (unit, figure, entry), in plan order: their sum, the
    parts, and each said as 椒江区 100个."""
    order = {c: k for k, c in enumerate(plan.plan.counties)}
    parts = sorted(parts, key=lambda p: order.get(p[0], len(order)))
    return sum(v for _, v, _ in parts), parts, [f"{c} {_shown(v, ind)}" for c, v, _ in parts]


def _below(whole: float, total: float) -> bool:
    return total > whole + 1e-9 * max(1.0, abs(total))


def _whole_below(ind: Indicator, plan: Plan, whole: Entry, figure: float,
                 parts: Iterable[tuple[str, float | int, Entry]], *, stored: bool = True) -> Finding | None:
    """The city-wide total ``figure`` (of ``whole``) against its units' figures by its date: a
    finding about it if they add up to more. Its entries: the whole (when ``stored``) and the parts."""
    total, parts, listed = _added_up(ind, plan, parts)
    if not parts or not _below(figure, total):
        return None
    return Finding("parts", msg(
        "the city-wide total {whole} as of {day} is below what its units' own figures add up to by then, {sum} "
        "({units}): the whole cannot be less than its parts; check the city-wide figure or the units'",
        whole=_shown(figure, ind), day=whole.as_of, sum=_shown(total, ind), units=listed), ind.id, None,
        ((whole,) if stored else ()) + tuple(e for _, _, e in parts), whole.as_of,
        {"whole": _num(figure), "parts": _num(total), "units": len(parts)})


def parts_findings(ind: Indicator, plan: Plan, new: Entry, latest_at: Callable[[dt.date], Latest]) -> list[Finding]:
    """A city-wide total below what its units' own figures add up to by its date: the whole
    cannot be less than its parts (a city figure of 120 beside counties' 100 and 90 silently
    counts as the city's; DHIS2 checks the same). At the door of ``new``, a city-wide figure
    or a unit's (the city-wide total it is part of: the latest, when dated on or after it).
    ``latest_at(day)``: each unit's latest figure of the indicator as of a day, ``new`` among
    them (:func:`overlaid`). Figures of the period only: a baseline is no whole."""
    if not summable(ind) or new.void or new.state is not None:
        return []
    start = plan.plan.start
    if new.county is None:
        day = new.as_of
    else:
        city = latest_at(plan.plan.end).get((ind.id, None))
        if city is None or city.as_of < max(new.as_of, start):
            return []
        day = city.as_of
    latest = latest_at(day)
    whole = latest.get((ind.id, None))
    if whole is None or whole.value is None or whole.as_of < start:
        return []
    parts = [(c, e.value, e) for (i, c), e in latest.items()
             if i == ind.id and c is not None and e.value is not None and e.as_of >= start]
    if new.county is None:  # the city-wide figure typed, against the units in the ledger
        found = _whole_below(ind, plan, whole, whole.value, parts, stored=False)
        return [found] if found is not None else []
    total, parts, listed = _added_up(ind, plan, parts)
    if not _below(whole.value, total):
        return []
    return [Finding("parts", msg(
        "with this figure the units add up to {sum} as of {day} ({units}), above the city-wide total of {whole} "
        "({ref}): the whole cannot be less than its parts; check this figure or the city-wide one",
        sum=_shown(total, ind), day=day, units=listed, whole=_shown(whole.value, ind), ref=whole.ref), ind.id,
        new.county, (whole,), day, {"whole": _num(whole.value), "parts": _num(total), "units": len(parts)})]


def _stored_parts(plan: Plan, wholes: Mapping[str, list[tuple[Entry, float]]],
                  parts: Mapping[str, list[list[tuple[str, float, Entry]]]]) -> Iterator[Finding]:
    """:func:`parts_findings` over stored entries: each city-wide total against its units'
    figures as of its date (``parts[ind][k]``: the units' figures as of the k-th total's date).
    One accepted over it at the door is listed as accepted, not again."""
    for ind_id, totals in wholes.items():
        for (whole, figure), found in zip(totals, parts[ind_id]):
            if any("parts" in e.accepted for e in (whole, *(e for *_, e in found))):
                continue
            finding = _whole_below(plan.by_id[ind_id], plan, whole, figure, found)
            if finding is not None:
                yield finding


def door_findings(ind: Indicator, plan: Plan, fig: Figure, new: Entry, series: Sequence[Entry], *,
                  text: str) -> list[Finding]:
    """Every rule a figure goes through before it is stored: as typed, then among the others.
    Errors first; nothing else is said about a figure that cannot be right."""
    first = figure_findings(ind, plan, fig, county=new.county, text=text)
    if any(f.severity == ERROR for f in first):
        return [f for f in first if f.severity == ERROR]
    return first + series_findings(ind, plan, new, series)


def triage(findings: Iterable[Finding], accept: bool | Iterable[str] = False) -> tuple[list[Finding], list[Finding], tuple[str, ...]]:
    """(errors, warnings not accepted, rule ids accepted). ``accept`` is True (every warning)
    or the rule ids a person accepts."""
    errors, refused, accepted = [], [], []
    allowed = set(OVERRIDABLE) if accept is True else set(accept or ())
    for f in findings:
        if f.severity == ERROR:
            errors.append(f)
        elif f.rule in allowed:
            if f.rule not in accepted:
                accepted.append(f.rule)
        else:
            refused.append(f)
    return errors, refused, tuple(accepted)


# --------------------------------------------------------------------------- the stored ledger


def stored_findings(ind: Indicator, plan: Plan, entries: Sequence[Entry],
                    goal: float | int | None = None) -> list[Finding]:
    """The rules about one unit's stored figures (surviving entries, in order): what the door
    checks, for figures stored before it did or by hand. ``goal``: the target, where the plan
    states it against a baseline recorded apart from these entries (:func:`goal_of`)."""
    out: list[Finding] = []
    county = entries[0].county if entries else None
    n = len(plan.plan.counties)
    counted = ind.counted
    for e in entries:
        number = e.added if e.added is not None else e.value
        reporter = None if e.state is not None or is_baseline(e, plan) else _not_reporting(ind, county, door=False)
        if reporter is not None:
            out.append(Finding("reported-by", reporter, ind.id, county, (e,), e.as_of,
                               {"reported_by": ind.reported_by.value}))  # type: ignore[union-attr]
        if counted and number is not None and not float(number).is_integer():
            out.append(Finding("whole-number", msg("{value} is not a whole number of {unit}", value=_shown(number, ind),
                                                   unit=ind.unit), ind.id, county, (e,), e.as_of,
                               {"value": _num(number)}))
        if e.value is None or e.numerator is not None:
            continue
        meant = fraction_reading(ind, e.value)
        if meant is not None:
            out.append(Finding("fraction", msg("{value} looks like a fraction typed for a percentage: was {percent} "
                                               "meant?", value=_shown(e.value, ind),
                                               percent=format_number(meant, "%")),
                               ind.id, county, (e,), e.as_of, {"value": _num(e.value), "meant": _num(meant)}))
        small = too_small(ind, plan, e.value, county) if e.denominator is None else None
        if small is not None:
            out.append(Finding("magnitude", msg("{value} is far below the target of {target}: was {meant} meant "
                                                "(万/亿)?", value=_shown(e.value, ind), target=_shown(ind.target, ind),
                                                meant=_shown(small, ind)),
                               ind.id, county, (e,), e.as_of, {"value": _num(e.value), "meant": _num(small)}))
        k = counties_reading(ind, plan, e.value, county)
        if k is not None:
            out.append(Finding("counties-or-percent", nmsg(
                "{value} is less than one county's share of the {n} ({one}): was it {k} county ({share})?",
                "{value} is less than one county's share of the {n} ({one}): was it {k} counties ({share})?", k,
                value=_shown(e.value, ind), n=n, one=format_number(100 / n, "%"), k=k,
                share=format_number(k * 100 / n, "%")), ind.id, county, (e,), e.as_of,
                {"value": _num(e.value), "counties": k, "meant": _num(k * 100 / n)}))
    groups: dict[tuple, list[Entry]] = {}
    for e in entries:
        groups.setdefault(_key(e), []).append(e)
    last_of_day: dict[dt.date, Entry] = {}  # the day's last total or state, as recorded
    for e in entries:
        if e.added is not None or (e.value is None and e.state is None):
            continue
        was = last_of_day.get(e.as_of)
        if was is not None and _key(was) != _key(e):
            out.append(_restated(ind, was, e, None))
        last_of_day[e.as_of] = e
    for same in groups.values():
        for later in same[1:]:
            said = dict(value=figure_of(later, ind), unit=unit_called(county), day=later.as_of,
                        refs=[x.ref for x in (same[0], later)])
            out.append(Finding("duplicate", msg("{unit}: the same state ({value}) as of {day} is recorded more than "
                                                "once ({refs})", **said) if later.state is not None else
                               msg("{unit}: the same figure ({value}) as of {day} is recorded more than "
                                   "once ({refs})", **said),
                               ind.id, county, (same[0], later), later.as_of,
                               {"value": _num(later.value if later.added is None else later.added),
                                "state": later.state.value if later.state else None}))
    if ind.measure == Measure.FLOW:
        out.extend(_fall_finding(ind, a, b, figure, None) for a, b, figure in falls(entries))
    out.extend(_back_finding(ind, a, b, None) for a, b in goes_back(entries))
    if ind.measure == Measure.LEVEL:
        out.extend(_jump_finding(ind, a, b, times, None) for a, b, times in jumps(entries))
    target = goal if goal is not None else ind.target
    for e, figure in running(entries):
        if e.state is not None or (e.value is None and e.added is None) or is_baseline(e, plan):
            continue
        far = _outlier(ind, plan, county, figure, target)
        if far is not None:
            out.append(Finding("outlier", far[1], ind.id, county, (e,), e.as_of,
                               {"value": _num(figure), "target": _num(target), "limit": _num(far[0])}))
    return out


def _recorded_last(entries: Sequence[Entry]) -> Entry:
    return max(entries, key=lambda e: (e.recorded_at, e.office, e.id))


def unit_findings(plan: Plan, entries: Sequence[Entry]) -> list[Finding]:
    """What is questionable about one unit's surviving entries of one indicator: every rule
    about stored figures, with the entries accepted over a warning as a finding of their own
    instead of the rules they were accepted over."""
    entries = _order(entries)
    if not entries:
        return []
    ind = plan.by_id[entries[0].indicator]
    # a baseline (dated before the period) and the period's figures are two series: this year's
    # cumulative total starts again from nothing
    periods = [p for p in ([e for e in entries if is_baseline(e, plan)], [e for e in entries if not is_baseline(e, plan)])
               if p]
    # an entry accepted over a warning is one finding: the rule it was accepted over is not named again
    # (of two entries, the one recorded last is the one that was judged when it came in)
    goal = goal_of(ind, entries, plan)
    before = previous_totals(entries)

    def accepted(f: Finding) -> bool:  # over this warning, or as the same figure before it was (at the door too)
        last = _recorded_last(f.entries)
        return f.rule in last.accepted or f.rule in accepted_before(before[id(last)], last)

    out = [f for part in periods for f in stored_findings(ind, plan, part, goal) if not (f.entries and accepted(f))]
    for e in entries:
        if e.accepted:
            out.append(Finding("accepted", msg("{value} was recorded by {by} over a warning: {rules}",
                                               value=figure_of(e, ind), by=e.by, rules=[named(r) for r in e.accepted]),
                               e.indicator, e.county, (e,), e.as_of, {"rules": list(e.accepted)}, by=e.by))
    return out


def ledger_findings(plan: Plan, entries: Iterable[Entry], as_of: dt.date,
                    county_reported: Iterable[str] | None = None, *, reporting: bool = True) -> list[Finding]:
    """What ``eduplan check`` lists, as of a date: every rule over the surviving entries dated
    on or before it (:func:`unit_findings`), and for each unit that owes an indicator a figure
    never reported (``missing``, once the first month of the period is over) or not updated
    for more than ``stale_days`` (``stale``; a final state, done, needs no update).

    ``county_reported`` overrides which indicators are reported per county (default: those
    with a county figure among ``entries``); ``reporting=False`` leaves out completeness and
    timeliness (what is missing), keeping what is questionable about the entries."""
    units: dict[tuple[str, str | None], list[Entry]] = {}
    for e in entries:
        if e.as_of <= as_of and not e.void and plan.indicator(e.indicator) is not None:
            units.setdefault(e.key(), []).append(e)
    ordered = [units[k] for k in sorted(units, key=lambda k: (k[0], k[1] or ""))]  # as the index streams them
    return units_findings(plan, ordered, as_of, county_reported, reporting=reporting)


def units_findings(plan: Plan, units: Iterable[Sequence[Entry]], as_of: dt.date,
                   county_reported: Iterable[str] | None = None, *, reporting: bool = True) -> list[Finding]:
    """:func:`ledger_findings` over the surviving entries dated on or before ``as_of`` given
    unit by unit (each sequence one indicator and county, in any order): a unit's entries are
    let go once judged, so that a large ledger is checked in little memory."""
    return sort_findings(plan, _units_stream(plan, units, as_of, county_reported, reporting=reporting))


def _units_stream(plan: Plan, units: Iterable[Sequence[Entry]], as_of: dt.date,
                  county_reported: Iterable[str] | None = None, *, reporting: bool = True) -> Iterator[Finding]:
    """The findings of :func:`units_findings`, in no order, as each unit is judged."""
    last: dict[tuple[str, str | None], Entry] = {}  # each unit's latest entry
    # the whole and its parts (``parts``): each indicator's city-wide totals, and what its units had by
    # each one's date. The index gives an indicator's city-wide series before its units' (county ''
    # sorts first); a unit seen before its city-wide series waits for it (``pending``)
    start = plan.plan.start
    wholes: dict[str, list[tuple[Entry, float]]] = {}
    parts: dict[str, list[list[tuple[str, float, Entry]]]] = {}
    pending: dict[str, list[tuple[str, list[tuple[Entry, float | int | None]]]]] = {}

    def add_parts(ind_id: str, county: str, runs: list[tuple[Entry, float | int | None]]) -> None:
        days = [e.as_of for e, _ in runs]
        for k, (whole, _) in enumerate(wholes[ind_id]):
            at = bisect.bisect_right(days, whole.as_of) - 1
            if at >= 0 and runs[at][1] is not None:
                parts[ind_id][k].append((county, runs[at][1], runs[at][0]))

    for series in units:
        if not series:
            continue
        yield from unit_findings(plan, series)
        newest = max(series, key=_when)
        last[newest.key()] = newest
        ind = plan.indicator(newest.indicator)
        if ind is None or not summable(ind):
            continue
        runs = running(_order(e for e in series if not e.void and e.as_of >= start))  # (a baseline: no base)
        if newest.county is None:
            by_day = {e.as_of: (e, f) for e, f in runs if f is not None}  # the last of each day
            wholes[ind.id] = list(by_day.values())
            parts[ind.id] = [[] for _ in wholes[ind.id]]
            for county, waiting in pending.pop(ind.id, []):
                add_parts(ind.id, county, waiting)
        elif ind.id in wholes:
            add_parts(ind.id, newest.county, runs)
        else:
            pending.setdefault(ind.id, []).append((newest.county, runs))
    yield from _stored_parts(plan, wholes, parts)
    if not reporting:
        return
    reported = set(county_reported) if county_reported is not None else {i for i, c in last if c is not None}
    limit = plan.thresholds.stale_days
    due = (as_of - plan.plan.start).days >= limit  # the first figures are due a period of stale_days in
    for ind in plan.indicators:
        for unit in owed_units(plan, ind, ind.id in reported, as_of):
            latest_entry = last.get((ind.id, unit))
            if latest_entry is None:
                if due:
                    yield Finding("missing", msg("nothing recorded by {day}", day=as_of), ind.id, unit, (), None, {})
                continue
            age = (as_of - latest_entry.as_of).days
            if age > limit and latest_entry.state != State.DONE:
                yield Finding("stale", msg("the latest figure is as of {last}, {days} days before {day} (more than "
                                           "{limit})", last=latest_entry.as_of, days=age, day=as_of, limit=limit),
                              ind.id, unit, (latest_entry,), latest_entry.as_of, {"days": age, "limit": limit})


def units_digest(plan: Plan, units: Iterable[Sequence[Entry]], as_of: dt.date, rows: int = LISTED) -> QualityDigest:
    """:func:`digest` of :func:`units_findings` without keeping every finding: each is counted,
    and only the first ``rows`` about figures so far are kept (a large ledger has hundreds of
    thousands). ``checked`` is the number of entries in ``units``."""
    checked = 0

    def counted():
        nonlocal checked
        for series in units:
            checked += len(series)
            yield series

    counts = {r: 0 for r in RULE_IDS}
    order = finding_order(plan)

    def figures() -> Iterator[Finding]:
        for f in _units_stream(plan, counted(), as_of):
            counts[f.rule] += 1
            if f.rule not in REPORTING_RULES:
                yield f

    stream = figures()
    listed = tuple(heapq.nsmallest(rows, stream, key=order)) if rows > 0 else ()
    for _ in stream:  # every finding counted, whatever is listed
        pass
    return QualityDigest(as_of, counts, listed, checked)


def finding_order(plan: Plan):
    """The sort key of findings: by rule, then the plan's order of indicators and units, then entry."""
    rule_rank = {r: k for k, r in enumerate(RULE_IDS)}
    ind_rank = {i.id: k for k, i in enumerate(plan.indicators)}
    unit_rank = {c: k + 1 for k, c in enumerate(plan.plan.counties)}
    return lambda f: (rule_rank[f.rule], ind_rank.get(f.indicator, 10**6), unit_rank.get(f.county, 0) if f.county else 0,
                      [(e.office, e.id) for e in f.entries])


def sort_findings(plan: Plan, findings: Iterable[Finding]) -> list[Finding]:
    """By rule, then the plan's order of indicators and units, then entry."""
    return sorted(findings, key=finding_order(plan))


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each rule (every rule, in order)."""
    counts = {r: 0 for r in RULE_IDS}
    for f in findings:
        counts[f.rule] += 1
    return counts


@record
class QualityDigest:
    """The data-quality findings in brief, as the monthly bulletin gives them: how many of
    each rule (all of them), and the first few about figures (not what is missing, which the
    counts say), in :func:`sort_findings` order."""

    as_of: dt.date
    summary: Mapping[str, int]
    listed: tuple[Finding, ...]
    checked: int  # surviving entries checked

    @property
    def total(self) -> int:
        return sum(self.summary.values())

    @property
    def unlisted(self) -> int:
        return self.total - len(self.listed)

    @property
    def unlisted_reporting_only(self) -> bool:
        """Are the findings not named all about what is missing (not about figures)?"""
        return self.unlisted == sum(self.summary.get(r, 0) for r in REPORTING_RULES)


def digest(findings: Sequence[Finding], as_of: dt.date, checked: int, rows: int = LISTED) -> QualityDigest:
    """The digest of sorted findings: every rule counted, the first ``rows`` about figures named."""
    listed = tuple(f for f in findings if f.rule not in REPORTING_RULES)[:rows]
    return QualityDigest(as_of, summary(findings), listed, checked)
