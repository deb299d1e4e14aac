"""Pure rules over ledger entries: which survive corrections, which is the latest, whether an
entry is well formed and fits the plan, and reading a typed figure for an indicator. No I/O.

An entry is never edited. A correction is a new entry that ``supersedes`` an earlier
one; a void is a new entry with ``void = true`` that supersedes one and carries no
figure. The *surviving* entries are those nobody superseded, minus the voids.

:func:`latest` is the reference rule for "the figure as of a date"; the SQLite index
(:mod:`eduplan.store.index`) answers the same question in SQL, and the tests hold the two
equal.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence

from ..i18n import N_, Flag, Msg, msg
from .models import Entry, Indicator, Measure, Plan, State
from .names import unit_called
from .numbers import (
    MAX_EXACT,
    UNIT_WORDS,
    NumberError,
    normalise,
    parse_quantity,
    parse_ratio,
    parse_state,
    to_plain,
)
from .records import record

# (index of the entry in the sequence, field, message)
FieldProblem = tuple[str, Msg]

COUNTY_WORDS = ("个", "县")  # the measure words of a count of county-level units
RATIO_TOLERANCE = 1e-6  # percentage points between a value and its numerator/denominator


# what an indicator is, by its measure and whether it is a percentage: a level in % is a share (比例),
# a level counted in 所 or 人 is the number at a date (时点数); a counties indicator counts them or
# gives their share
KIND_WORDS = {(Measure.FLOW, False): N_("flow"), (Measure.FLOW, True): N_("flow"),
              (Measure.LEVEL, True): N_("percentage level"), (Measure.LEVEL, False): N_("count level"),
              (Measure.COUNTIES, False): N_("counties"), (Measure.COUNTIES, True): N_("share of counties"),
              (Measure.MILESTONE, False): N_("milestone"), (Measure.MILESTONE, True): N_("milestone")}


def kind_word(ind: Indicator) -> Msg:
    """What an indicator is, in words, translated where it is shown: ``累计`` / ``flow``, ``比例``
    (a percentage level), ``时点数`` (a count level: 8所), ``县数``, ``县占比``, ``节点``."""
    return msg(KIND_WORDS[(ind.measure, bool(ind.is_percent))])

def superseded_ids(entries: Iterable[Entry]) -> set[tuple[str, int]]:
    return {e.target for e in entries if e.supersedes is not None}


def surviving(entries: Sequence[Entry]) -> list[Entry]:
    """The entries whose figures count: not superseded, not voids."""
    gone = superseded_ids(entries)
    return [e for e in entries if (e.office, e.id) not in gone and not e.void]


def is_baseline(e: Entry, plan: Plan) -> bool:
    """An entry dated before the plan period records a baseline (``eduplan baseline``), not a figure."""
    return e.as_of < plan.plan.start


def latest(entries: Iterable[Entry], as_of: dt.date | None = None, *,
           since: dt.date | None = None) -> dict[tuple[str, str | None], Entry]:
    """The figure per (indicator, county) as of the end of a day, from the surviving entries.

    The latest entry dated on or before the day — latest by :meth:`Entry.order`: the later
    as-of date, then the later recording — is the figure; increments (``added``) recorded
    after the latest total are added to it (:func:`fold_increments`; ``since``: the period
    start, before which a total is a baseline and not the base of an increment).
    """
    best: dict[tuple[str, str | None], Entry] = {}
    increments: list[Entry] = []
    for e in entries:
        if as_of is not None and e.as_of > as_of:
            continue
        if e.added is not None:
            increments.append(e)
            continue
        key = (e.indicator, e.county)
        old = best.get(key)
        if old is None or e.order() > old.order():
            best[key] = e
    return fold_increments(best, increments, since=since)


def fold_increments(totals: dict[tuple[str, str | None], Entry], increments: Iterable[Entry], *,
                    since: dt.date | None = None) -> dict:
    """Add to each unit's latest total the increments recorded after it (all of them where there
    is no total yet). The figure then stands as of the newest increment, named by it. A total
    dated before ``since`` (the period start: a baseline, last year's figure) is no base: the
    period's increments count from zero."""
    later: dict[tuple[str, str | None], list[Entry]] = {}
    for e in increments:
        base = _base(totals.get(e.key()), since)
        if base is None or e.order() > base.order():
            later.setdefault(e.key(), []).append(e)
    if not later:
        return totals
    out = dict(totals)
    for key, adds in later.items():
        base = _base(totals.get(key), since)
        start = base.value if base is not None and base.value is not None else 0
        newest = max(adds, key=Entry.order)
        total = start + sum(a.added for a in adds)
        out[key] = dataclasses.replace(newest, value=int(total) if float(total).is_integer() else total, added=None)
    return out


def _base(total: Entry | None, since: dt.date | None) -> Entry | None:
    return None if total is None or (since is not None and total.as_of < since) else total


def shape_problems(e: Entry) -> list[FieldProblem]:
    """The rules that tie an entry's fields together."""
    out: list[FieldProblem] = []
    if e.void:
        if e.supersedes is None:
            out.append(("supersedes", msg("a void must name the entry it voids (supersedes)")))
        if e.value is not None or e.state is not None or e.added is not None:
            out.append(("void", msg("a void carries no value or state")))
    elif (e.value is not None) + (e.state is not None) + (e.added is not None) != 1:
        out.append(("value", msg("an entry carries one of a value, an increment (added) or a state")))
    if e.added is not None and (e.added < 0 or e.numerator is not None):
        out.append(("added", msg("an increment (added) is a number of zero or more, without numerator/denominator")))
    if (e.numerator is None) != (e.denominator is None):
        out.append(("numerator", msg("numerator and denominator go together")))
    elif e.numerator is not None and e.denominator is not None:
        if e.numerator > e.denominator:
            out.append(("numerator", msg("the numerator is larger than the denominator")))
        elif e.value is not None and abs(e.value - e.numerator * 100 / e.denominator) > RATIO_TOLERANCE:
            out.append(("value", msg("the value {value} does not agree with {numerator}/{denominator} = {percent}%",
                                     value=e.value, numerator=e.numerator, denominator=e.denominator,
                                     percent=round(e.numerator * 100 / e.denominator, 6))))
    for name in ("value", "added", "numerator", "denominator"):
        v = getattr(e, name)
        if v is not None and abs(v) > MAX_EXACT:
            out.append((name, msg("{value} is too large to be a figure (the largest is 2^53)",
                                  value=repr(v) if isinstance(v, float) else str(v))))
    if e.supersedes is not None and not (e.reason and e.reason.strip()):
        out.append(("reason", msg("a correction or void needs a reason")))
    if e.supersedes is not None and e.target_office is None and e.supersedes >= e.id:
        out.append(("supersedes", msg("an entry can only supersede an earlier entry")))
    if e.target_office is not None and not e.for_city:
        out.append(("supersedes", msg("an office corrects or voids only its own entries; a city office may act for "
                                      "the city (for_city = true)")))
    if e.for_city and e.supersedes is None:
        out.append(("for_city", msg("for_city belongs to a correction or void of another office's entry")))
    if e.batch_size is not None and e.batch is None:
        out.append(("batch_size", msg("batch_size belongs to an imported entry (with batch)")))
    if not (e.by and e.by.strip()):
        out.append(("by", msg("an entry needs the name of who recorded it")))
    if e.recorded_at.tzinfo is None:
        out.append(("recorded_at", msg("recorded_at needs a time zone")))
    return out


def supersede_problems(e, target, already: int | None) -> list[FieldProblem]:
    """What may be wrong with a correction or void ``e`` of ``target`` (None: no such entry
    before it); ``already`` is the id of an earlier entry that superseded the same target.

    ``e`` and ``target`` need only ``id``, ``supersedes``, ``void``, ``indicator``, ``county``:
    the index applies this rule to light rows."""
    out: list[FieldProblem] = []
    office = getattr(e, "office", "")  # in a ledger folder entries are named with their office: 椒江区#6
    # the entry corrected is in its own office's file: the city's correction of 椒江区#1 names 椒江区#1
    target_office = getattr(e, "target_office", None) or office

    def named(id_: int, where: str = office) -> str | int:
        return f"{where}#{id_}" if where else id_

    if target is None:
        if target_office != office:  # another office's file: 'before' says nothing there
            return [("supersedes", msg("entry {target} does not exist", target=named(e.supersedes, target_office)))]
        return [("supersedes", msg("entry {target} does not exist before entry {id}",
                                   target=named(e.supersedes, target_office), id=named(e.id)))]
    if target.void:
        out.append(("supersedes", msg("entry {target} is a void, which cannot be corrected",
                                      target=named(e.supersedes, target_office))))
    if target.indicator != e.indicator or (target.county or None) != (e.county or None):
        out.append(("supersedes", msg("entry {target} is for {other}, not {this}",
                                      target=named(e.supersedes, target_office),
                                      other=msg("{indicator}/{unit}", indicator=target.indicator,
                                                unit=unit_called(target.county or None)),
                                      this=msg("{indicator}/{unit}", indicator=e.indicator,
                                               unit=unit_called(e.county or None)))))
    if already is not None:
        out.append(("supersedes", msg("entry {target} was already superseded by entry {by}",
                                      target=named(e.supersedes, target_office), by=named(already))))
    return out


def order_problem(e, last_id: int) -> FieldProblem | None:
    """Ids increase down a file: an id at or below the one before it is a duplicate or out of order."""
    if e.id == last_id:
        return ("id", msg("duplicate entry id {id}", id=e.id))
    if e.id < last_id:
        return ("id", msg("entry id {id} comes after entry {last}: ids increase down the file", id=e.id, last=last_id))
    return None


def import_runs(rows) -> list[tuple[int, int, int]]:
    """Imported entries come in runs: consecutive entries of one ``batch``, ``batch_size`` long
    (what one import wrote to one file). Returns every run, as (index of its first entry,
    entries present, batch_size). ``rows`` need ``batch`` and ``batch_size``."""
    runs = []
    run_start = run_len = size = 0
    current = None
    for i, r in enumerate(rows):
        if current is not None and (r.batch != current or run_len >= size):
            runs.append((run_start, run_len, size))
            current = None
        if current is None and r.batch is not None:
            current, run_start, run_len, size = r.batch, i, 0, r.batch_size or 1
        if current is not None:
            run_len += 1
    if current is not None:
        runs.append((run_start, run_len, size))
    return runs


def batch_runs(rows) -> list[tuple[int, int, int]]:
    """Every run of :func:`import_runs` that is short of its ``batch_size``, as (index of its
    first entry, entries present, batch_size); a short run at the end is an import a crash cut
    short."""
    return [run for run in import_runs(rows) if run[1] < run[2]]


def parted_batches(entries: Sequence[Entry], files: Sequence[str]) -> list[Entry]:
    """``entries`` (in file order) bound for the files ``files`` names (one per entry), each
    import's ``batch_size`` counting only its entries in the same file: a batch is what one
    import wrote to one file, so that an import cut short is still told from a whole one in each
    file. The entries keep their ``batch`` (the file imported), so that importing it again is
    still recognised, whichever files its entries went to."""
    out = list(entries)
    for start, present, _ in import_runs(entries):
        part = range(start, start + present)
        counts = collections.Counter(files[i] for i in part)
        for i in part:
            if counts[files[i]] != out[i].batch_size:
                out[i] = dataclasses.replace(out[i], batch_size=counts[files[i]])
    return out


def entry_plan_problems(e: Entry, plan: Plan) -> list[FieldProblem]:
    """Does the entry fit the plan: real indicator and county, date in the period, right kind of figure."""
    out: list[FieldProblem] = []
    ind = plan.indicator(e.indicator)
    if ind is None:
        return [("indicator", msg("unknown indicator '{text}'", text=e.indicator))]
    if e.county is not None and e.county not in plan.plan.counties:
        out.append(("county", msg("unknown county-level unit '{text}'; the plan's are {all}", text=e.county,
                                  all=list(plan.plan.counties))))
    info = plan.plan
    if e.as_of < info.start and ind.baseline is not None and e.as_of == ind.baseline.date:
        if e.county is not None:  # a baseline: the city-wide figure the target is stated against
            out.append(("county", msg("a baseline is city-wide; record it without a county")))
    elif not info.start <= e.as_of <= info.end:
        out.append(("as_of", msg("{day} is outside the plan period {start} to {end}", day=e.as_of,
                                 start=info.start, end=info.end)))
    if e.void:
        return out
    if e.added is not None:
        if ind.measure != Measure.FLOW:
            out.append(("added", msg("only an accumulating figure can be added to; {indicator} is a {measure} "
                                     "indicator", indicator=ind.called, measure=kind_word(ind))))
        return out
    out.extend(value_problems(ind, plan, county=e.county, value=e.value, state=e.state,
                              has_ratio=e.numerator is not None))
    return out


def value_problems(
    ind: Indicator, plan: Plan, *, county: str | None, value: float | int | None,
    state: State | str | None, has_ratio: bool,
) -> list[FieldProblem]:
    """The kind-of-figure rules shared by ``record``, ``import`` and ``validate``."""
    m = ind.measure
    if m == Measure.MILESTONE:
        if county is not None:
            return [("county", msg("{indicator} is a city-wide milestone; record it without a county", indicator=ind.called))]
        if state is None:
            return [("value", msg("{indicator} is a milestone: record done, in-progress or not-started (完成/进行中/未开始), "
                                  "not a number", indicator=ind.called))]
        return []
    if m == Measure.COUNTIES and county is not None:
        if state is None:
            return [("value", msg("{indicator} counts county-level units: record each one's state as done, in-progress "
                                  "or not-started (完成/进行中/未开始)", indicator=ind.called))]
        return []
    if state is not None:
        if m == Measure.COUNTIES:
            return [("value", msg("{indicator} is judged county by county: record each county's state with {county}, "
                                  "or the city-wide {what} of counties as a number", indicator=ind.called,
                                  county=Flag("county"),
                                  what=msg("share") if ind.is_percent else msg("count")))]
        return [("value", msg("{indicator} is measured in {unit}: record a number, not a state", indicator=ind.called,
                              unit=ind.unit))]
    if has_ratio and (m != Measure.LEVEL or not ind.is_percent):
        return [("value", msg("{indicator} is not a percentage indicator: record a number, not a ratio", indicator=ind.called))]
    if value is None:
        return [("value", msg("the value is missing"))]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return [("value", msg("the value must be a number"))]
    if value < 0:
        return [("value", msg("the value must not be negative"))]
    if ind.is_percent and value > 100:
        return [("value", msg("{value}% is above 100%", value=value))]
    if m == Measure.COUNTIES and not ind.is_percent and value > len(plan.plan.counties):
        return [("value", msg("{value} is more than the plan's {n} county-level units", value=value,
                              n=len(plan.plan.counties)))]
    return []


# --------------------------------------------------------------------------- reading a figure


@record
class Figure:
    """What a person typed, read for one indicator: a value, a ratio or a state."""

    value: int | float | None = None
    numerator: int | float | None = None
    denominator: int | float | None = None
    state: State | None = None
    added: int | float | None = None  # an increment, not a total
    unit: str | None = None  # the measure word typed after the number (元 in 12亿元)
    percent: bool = False  # typed with %
    counties: int | None = None  # a share of counties typed as a count of them (3个 → 3 of 9)
    approx: str | None = None  # typed as a round or least figure: the word that says so (约, 余, 以上 …)


def _own_unit(ind: Indicator, text: str) -> str | None:
    """The number before the indicator's own unit when the unit is not a common measure word
    (公里 in ``3.5公里``, 万元 in ``9000万元`` on an indicator counted in 万元); else None."""
    own = ind.unit
    if not own or own == "%" or own in UNIT_WORDS:
        return None
    norm = normalise(text)
    if norm.endswith(own) and norm[: -len(own)].strip():
        return norm[: -len(own)]
    return None


def _counted_units(text: str, units: str) -> str | None:
    """A number of county-level units as the plan's display writes it (6个县, 6个县（市、区）, 六个县,
    6个乡镇 in a plan whose units are 乡镇（街道）) as the number and 个 (6个); None if it is not one."""
    norm = normalise(text)
    words = {"县", normalise(units), normalise(units).split("(")[0].strip()} - {""}
    if "县" in words:  # as a city's staff also write its counties, districts and county-level cities
        words |= {"县市区", "县区", "区县", "县市", "县(市区)"}
    for word in sorted(words, key=len, reverse=True):
        if norm.endswith(word) and (head := norm[: -len(word)].rstrip()):
            return head if head.endswith("个") else head + "个"
    return None


def read_figure(ind: Indicator, text: str, *, county: str | None, counties: int | None = None,
                units: str = "") -> Figure:
    """Read ``12`` / ``3.5万`` / ``56%`` / ``12000/21000`` / ``done`` / ``完成`` for this indicator.

    Raises :class:`NumberError` with a message naming the indicator when the text is not a
    figure of this kind at all. Whether the figure is plausible (its unit, its size, a
    fraction for a percentage) is :mod:`eduplan.core.rules`. ``counties`` (the plan's number
    of county-level units) lets a share of counties be typed as a count of them (``3个``);
    ``units`` (what the plan calls them: 县（市、区）) lets such a count name them (``6个县``).
    """
    state = parse_state(text)
    wants_state = ind.measure == Measure.MILESTONE or (ind.measure == Measure.COUNTIES and county is not None)
    if wants_state:
        if state is None:
            what = msg("a milestone") if ind.measure == Measure.MILESTONE else msg("judged county by county")
            raise NumberError(msg("'{text}': {indicator} is {what}; record done, in-progress or not-started "
                                  "(完成/进行中/未开始)", text=text, indicator=ind.called, what=what))
        return Figure(state=State(state))
    if state is not None:
        if ind.measure == Measure.COUNTIES:
            raise NumberError(msg("'{text}': record each county's state with {county}, or the city-wide {what} of "
                                  "counties as a number", text=text, county=Flag("county"),
                                  what=msg("share") if ind.is_percent else msg("count")))
        raise NumberError(msg("'{text}' is a state, but {indicator} is measured in {unit}: record a number",
                              text=text, indicator=ind.called, unit=ind.unit))
    ratio = parse_ratio(text)
    if ratio is not None:
        if ind.measure != Measure.LEVEL or not ind.is_percent:
            raise NumberError(msg("'{text}': only percentage levels take numerator/denominator; {indicator} is "
                                  "measured in {unit}", text=text, indicator=ind.called, unit=ind.unit))
        num, den = to_plain(ratio.numerator), to_plain(ratio.denominator)
        # the value is what the two numbers say, as exactly as a float can: it must agree with them on reading back
        share = num * 100 / den
        return Figure(value=int(share) if float(share).is_integer() else share, numerator=num, denominator=den,
                      percent=True, approx=ratio.approx)
    own = _own_unit(ind, text)
    counted = _counted_units(text, units) if own is None and ind.measure == Measure.COUNTIES else None
    try:
        quantity = parse_quantity(own if own is not None else counted if counted is not None else text)
    except NumberError:
        if counted is None:
            raise
        quantity = parse_quantity(text)  # (it says why, quoting what was typed)
    unit = ind.unit if own is not None else quantity.unit
    if (ind.measure == Measure.COUNTIES and ind.is_percent and counties and unit in COUNTY_WORDS
            and not quantity.percent):
        # 3个 on a share of counties: unambiguous, a count of them
        if quantity.value != quantity.value.to_integral_value() or quantity.value > counties:
            raise NumberError(msg("'{text}': a number of counties is a whole number from 0 to {n}", text=text,
                                  n=counties))
        k = int(quantity.value)
        share = k * 100 / counties
        return Figure(value=int(share) if float(share).is_integer() else share, unit=unit, counties=k,
                      approx=quantity.approx)
    if ind.measure == Measure.COUNTIES and not ind.is_percent and quantity.percent:
        # 60% on a count of counties: a share, never 60 counties (nor, accepted over a warning, 5% as 5 of them)
        if counties:
            raise NumberError(msg("'{text}' is a percentage, but {indicator} counts county-level units: record how "
                                  "many of the {n} meet it, a whole number from 0 to {n}", text=text,
                                  indicator=ind.called, n=counties))
        raise NumberError(msg("'{text}' is a percentage, but {indicator} counts county-level units: record how "
                              "many meet it", text=text, indicator=ind.called))
    if ind.is_percent and quantity.value > 100 and (quantity.percent or unit is None):
        raise NumberError(msg("'{text}': a percentage cannot be above 100", text=text))
    return Figure(value=to_plain(quantity.value), unit=unit, percent=quantity.percent, approx=quantity.approx)
