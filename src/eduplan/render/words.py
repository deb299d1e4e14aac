"""The words every format uses, in the reader's language: names, statuses, states, kinds,
section titles, notes, and an entry's remark (said once, here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..core.entries import kind_word
from ..core.models import KIND_PLURALS, Indicator, Section
from ..core.progress import Note
from ..core.status_words import STATUS_WORDS
from ..i18n import N_, Msg, bracketed, clause_separator, msg, nmsg, separator, tr

if TYPE_CHECKING:  # documents are built by the services; renderers only read them
    from ..core.documents import Remark

ORDINALS = "一二三四五六七八九十"

STATUS = STATUS_WORDS  # said once, where a typed status is read back (core/names.find_status)
STATE = {"done": N_("done"), "in-progress": N_("in progress"), "not-started": N_("not started")}
# in a grid cell, where every column counts (zh: the same words)
STATE_SHORT = {"done": N_("done"), "in-progress": N_("started"), "not-started": N_("not yet")}
KIND = {"focus": N_("Focus area"), "action": N_("Action"), "matter": N_("Practical matter")}
ROLLUP = {"city": N_("city-wide figure"), "sum": N_("sum of the counties"), "ratio": N_("Σnumerator ÷ Σdenominator"),
          "count": N_("counties done"), "county": N_("the county's figure"), "none": N_("cannot roll up")}
KIND_OF_ENTRY = {"record": N_("record"), "correction": N_("correction"), "void": N_("void")}
REPORTED_BY = {"city": N_("the city"), "counties": N_("each county"), "both": N_("the city and each county")}


def gettext(lang: str) -> Callable[[str], str]:
    """``_ = gettext(lang)``: translate a constant in a renderer."""
    return lambda text: tr(text, lang)


def status_label(status: str, lang: str) -> str:
    return tr(STATUS[status], lang)


def state_label(state: str | None, lang: str, *, short: bool = False) -> str:
    return tr((STATE_SHORT if short else STATE)[state], lang) if state else "—"


def kind_label(indicator: Indicator, lang: str) -> str:
    """What an indicator is, in the reader's language only (the measure's code is JSON's):
    累计, 比例, 时点数, 县数, 县占比, 节点."""
    return kind_word(indicator).render(lang)


def kind_with_unit(indicator: Indicator, lang: str) -> str:
    """What an indicator is and what it is counted in: ``累计（人）``, ``比例（%）``; a milestone and a
    count of counties (县数: counted in counties, not in the plan's measure word 个) by the word alone."""
    kind = kind_label(indicator, lang)
    unit = indicator.unit
    if not unit or indicator.measure.value == "milestone" or (
            indicator.measure.value == "counties" and not indicator.is_percent):
        return kind
    return kind + bracketed(unit, lang)


def name_of(indicator: Indicator, lang: str) -> str:
    return (indicator.name_en or indicator.name) if lang == "en" else indicator.name


def city(lang: str) -> str:
    return tr("city-wide", lang)


def unit_name(county: str | None, lang: str) -> str:
    return county if county else city(lang)


def section_name(section: Section, lang: str) -> str:
    return (section.name_en or section.name) if lang == "en" else section.name


def kind_name(section: Section, lang: str) -> str:
    """What the plan calls the section's kind (``六个重点``), else the generic word (重点)."""
    own = section.kind_name_en if lang == "en" else section.kind_name
    return own or tr(KIND[section.kind.value], lang)


def kind_heading(plan, kind: str, lang: str) -> str:
    """The heading over every section of a kind (``十大行动`` / ``The ten actions``): the plan's
    own name for the kind, else the generic plural (行动 / Actions)."""
    section = next((s for s in plan.sections if s.kind.value == kind), None)
    own = (section.kind_name_en if lang == "en" else section.kind_name) if section is not None else ""
    return own or tr(KIND_PLURALS[kind], lang)


def section_title(section: Section, lang: str) -> str:
    """``教育实事 · 一、增加学位资源供给`` / ``Practical matter 1: Increase the supply of school places``."""
    n = section.number
    if lang == "en":
        return f"{kind_name(section, lang)} {n}: {section.name_en or section.name}"
    ordinal = ORDINALS[n - 1] if 1 <= n <= 10 else str(n)
    joiner = "是" if section.numbering == "一是" else "、"
    return f"{kind_name(section, lang)} · {ordinal}{joiner}{section.name}"


def action_title(section: Section, lang: str) -> str:
    """An action's name under a "ten actions" heading: ``一、“双创”覆盖倍增行动``."""
    if lang == "zh":
        n = section.number
        return f"{ORDINALS[n - 1] if 1 <= n <= 10 else n}、{section.name}"
    return f"{section.number}. {section.name_en or section.name}"


# --------------------------------------------------------------------------- data-quality rules


def rule_label(rule: str, lang: str) -> str:
    """A data-quality rule's short name (its id where it has none)."""
    from ..core.rules import RULES

    found = RULES.get(rule)
    return tr(found.title, lang) if found else rule


def findings_sentence(summary, day, checked: int, lang: str) -> str:
    """The findings in one sentence: how many (``summary``: per rule), of which rules, as of when."""
    counts = [f"{rule_label(r, lang)} {n}" for r, n in summary.items() if n]
    if not counts:
        return nmsg("Nothing questionable as of {day} ({n} entry checked).",
                    "Nothing questionable as of {day} ({n} entries checked).", checked, day=day).render(lang)
    return nmsg("{n} finding as of {day}: {counts}.", "{n} findings as of {day}: {counts}.", sum(summary.values()),
                day=day, counts=counts).render(lang)


def finding_refs(finding, lang: str) -> str:
    """The entries a finding is about: ``#3、#5`` / ``#3, #5`` (``椒江区#3`` in an office's file)."""
    return separator(lang).join(e.ref for e in finding.entries)


# --------------------------------------------------------------------------- notes

def _no_county_target(p: dict) -> Msg:
    from ..core.numbers import format_number
    from .figures import pct

    if p.get("targets_for"):  # the plan splits it, for other counties only
        counties = list(p["targets_for"])  # (a list: joined in the reader's language)
        if p.get("share") is not None:
            return msg("no target for this county (the plan splits it only for {counties}); {share} of the city "
                       "figure {city}", counties=counties, share=pct(p["share"], 1),
                       city=format_number(p["city"], p.get("unit", "")))
        if p.get("city") is not None:
            return msg("no target for this county (the plan splits it only for {counties}); the city-wide figure is "
                       "{city}", counties=counties, city=format_number(p["city"], p.get("unit", "")))
        return msg("no target for this county (the plan splits it only for {counties})", counties=counties)
    if p.get("share") is not None:
        return msg("no county target (任务分解): {share} of the city figure {city}",
                   share=pct(p["share"], 1), city=format_number(p["city"], p.get("unit", "")))
    if p.get("city") is not None:
        return msg("no county target (任务分解); the city-wide figure is {city}",
                   city=format_number(p["city"], p.get("unit", "")))
    return msg("no county target (任务分解)")


def _over_pace(p: dict) -> Msg:
    from ..core.numbers import format_number
    from .figures import pct

    return msg("within the cap, but past its share of it for the time gone: at most {allowed} by now ({share} of the "
               "cap of {target})", allowed=format_number(round(p["allowed"], 1), p.get("unit", "")),
               share=pct(p["share"], 1), target=format_number(p["target"], p.get("unit", "")))


# the advice of a city-wide figure older than the counties', by how the counties' figures would count instead
CITY_OLDER = {
    "sum": N_("the city-wide figure (as of {city}) is older than the counties' figures (as of {counties}): it is the one "
              "counted; record a new city-wide figure, or void the old one to count the counties' sum"),
    "ratio": N_("the city-wide figure (as of {city}) is older than the counties' figures (as of {counties}): it is the "
                "one counted; record a new city-wide figure, or void the old one to count the counties' figures "
                "together (Σnumerator ÷ Σdenominator)"),
    "none": N_("the city-wide figure (as of {city}) is older than the counties' figures (as of {counties}): it is the "
               "one counted; record a new city-wide figure (the counties' figures cannot be counted together)"),
    "count": N_("the city-wide figure (as of {city}) is older than the counties' states (as of {counties}): it is the "
                "one counted; record a new city-wide figure, or void the old one to count the counties that are done"),
}


def _city_older(p: dict) -> Msg:
    return msg(CITY_OLDER[p.get("rollup", "sum")], city=p["city"], counties=p["counties"])


NOTES: dict[str, Callable[[dict], Msg]] = {
    "partial": lambda p: nmsg("{reported} of {total} county reported", "{reported} of {total} counties reported",
                              p["total"], reported=p["reported"], total=p["total"]),
    "cannot_roll_up": lambda p: msg("cannot roll up: {counties} recorded a percentage without its denominator; record "
                                    "numerator/denominator (e.g. 12000/21000) or a city-wide figure",
                                    counties=p["counties"]),
    "no_county_target": _no_county_target,
    "baseline_unknown": lambda p: msg("the baseline (as of {date}) is not yet known: the target cannot be judged until "
                                      "it is recorded (eduplan baseline)", date=p.get("date") or "—"),
    "overdue": lambda p: (msg("still in progress on its due date {due}", due=p["due"]) if p.get("on_the_day") else
                          msg("still in progress after its due date {due}", due=p["due"])),
    "not_yet_due": lambda p: msg("not yet due: the target applies from {due}", due=p["due"]),
    "cap_kept": lambda p: msg("within the cap so far: a cap is met when the period ends ({end})", end=p["end"]),
    "over_pace": _over_pace,
    "city_older": _city_older,
    "cap_partial": lambda p: nmsg("a cap is judged on every county's figure: {reported} of {total} county reported, and "
                                  "the others' figures may take it over the cap",
                                  "a cap is judged on every county's figure: {reported} of {total} counties reported, "
                                  "and the others' figures may take it over the cap", p["total"],
                                  reported=p["reported"], total=p["total"]),
    "ratio_partial": lambda p: nmsg("a share is judged on every county's figures: {reported} of {total} county "
                                    "reported, and the others' may take it either way",
                                    "a share is judged on every county's figures: {reported} of {total} counties "
                                    "reported, and the others' may take it either way", p["total"],
                                    reported=p["reported"], total=p["total"]),
    "cap_stale": lambda p: msg("a cap is judged at the end on figures up to {end}: they stand as of {until}, and "
                               "what came after may take it over the cap", end=p["end"], until=p["until"]),
}


def note_text(note: Note, lang: str) -> str:
    make = NOTES.get(note.code)
    if make is None:
        return note.code
    return make(dict(note.params)).render(lang)


def notes_to_say(p) -> tuple:
    """A row's notes worth a line beneath its table: not "no county target" where the row has no
    figure (its cell says 无分解目标 already; with a figure, the note gives its share of the city)."""
    if p.actual is None and p.state is None:
        return tuple(n for n in p.notes if n.code != "no_county_target")
    return tuple(p.notes)


def labelled_notes(rows, lang: str, skip=("partial", "cannot_roll_up"), *, quiet: bool = False) -> list[str]:
    """Each note with the indicator it is about (``新增学位：无县级目标…``), each said once;
    ``quiet``: only the notes that do not warn (those are said apart, as a warning)."""
    out: list[str] = []
    for p in rows:
        for note in notes_to_say(p):
            if note.code in skip or (quiet and note.warns):
                continue
            text = labelled(p.indicator, note_text(note, lang), lang)
            if text not in out:
                out.append(text)
    return out


# what a note means across a grid of counties, with the indicators it applies to
GRID_NOTES: dict[str, Callable[[list[str]], Msg]] = {
    "no_county_target": lambda names: msg("No county target (the plan does not split it): each county's figure is "
                                          "shown and not judged: {indicators}", indicators=names),
    "overdue": lambda names: msg("Still in progress at or after the due date: {indicators}", indicators=names),
    "not_yet_due": lambda names: msg("Not yet due: {indicators}", indicators=names),
    "baseline_unknown": lambda names: msg("The baseline is not yet known: {indicators}", indicators=names),
}


def grid_notes(grid, lang: str) -> list[str]:
    """The notes of a grid of county cells (indicator → county → Progress), one line per kind
    of note naming the indicators it applies to. An indicator the plan splits for some counties
    only is named apart, with the counties it gives no target (their figures are not judged)."""
    by_code: dict[str, list[str]] = {}
    unsplit: dict[str, list[str]] = {}  # indicator name → counties shown without a target
    for cells in grid.values():
        for county, p in cells.items():
            for note in p.notes:
                if note.code == "no_county_target" and p.status.value != "not_judged":
                    continue  # said of the figures shown without a light, not of counties with none
                if note.code == "no_county_target" and dict(note.params).get("targets_for"):
                    unsplit.setdefault(name_of(p.indicator, lang), []).append(county)
                elif note.code in GRID_NOTES:
                    names = by_code.setdefault(note.code, [])
                    if name_of(p.indicator, lang) not in names:
                        names.append(name_of(p.indicator, lang))
    out = [GRID_NOTES[code](names).render(lang) for code, names in by_code.items()]
    if unsplit:
        names = [msg("{indicator} ({counties})", indicator=name, counties=counties).render(lang)
                 for name, counties in unsplit.items()]
        out.append(msg("Split among some counties only: the counties without a target of their own are shown and "
                       "not judged: {indicators}", indicators=names).render(lang))
    return out


def notes_text(notes, lang: str) -> str:
    """Each note a clause: ``10个县中3个已报送；尚在上限内…``."""
    return clause_separator(lang).join(note_text(n, lang) for n in notes)


def labelled(indicator: Indicator, text: str, lang: str) -> str:
    """``新增学位：…`` / ``New places: …``."""
    return msg("{indicator}: {note}", indicator=name_of(indicator, lang), note=text).render(lang)


# --------------------------------------------------------------------------- an entry's remark


def remark(r: Remark, lang: str) -> str:
    """What an entry says beside its figure: what it corrects or voids, what withdrew it, its
    note and source. The one wording of it for every format."""
    e = r.entry
    parts = []
    if e.supersedes is not None:
        ref = e.target_ref
        template = msg("voids {ref}: {reason}", ref=ref, reason=e.reason or "") if e.void else \
            msg("corrects {ref}: {reason}", ref=ref, reason=e.reason or "")
        parts.append(template.render(lang))
        if e.for_city:
            parts.append(msg("for the city").render(lang))
    later = r.superseded_by
    if later is not None:
        ref = later.ref
        parts.append((msg("voided by {ref}", ref=ref) if later.void else msg("corrected by {ref}", ref=ref))
                     .render(lang))
    if e.note:
        parts.append(e.note)
    if e.source:
        parts.append(msg("source: {source}", source=e.source).render(lang))
    if e.accepted:
        from ..core.rules import named

        parts.append(msg("accepted over a warning: {rules}", rules=[named(r) for r in e.accepted]).render(lang))
    return clause_separator(lang).join(parts)


# --------------------------------------------------------------------------- how a target is meant to be reached


def pace_text(ind: Indicator, lang: str, calendar_year: bool = True) -> str:
    """How the expected share grows: ``全年均匀推进`` (``计划期内均匀推进`` where the period is not one
    calendar year: ``calendar_year``, :attr:`PlanInfo.calendar_year`) / ``一次性：2023-09-01`` / ``按计划：…``."""
    pace = ind.effective_pace
    if pace is None:
        return tr("the target applies at any date (a state)", lang)
    kind = pace.kind.value
    if kind == "linear":
        if calendar_year:
            return tr("evenly over the year (time progress)", lang)
        return tr("evenly over the plan period (time progress)", lang)
    if kind == "due":
        return msg("evenly, all of it by {date}", date=pace.date).render(lang)
    if kind == "once":
        return msg("all at once on {date} (nothing expected before)", date=pace.date).render(lang)
    points = separator(lang).join(f"{d.isoformat()} {share * 100:g}%" for d, share in pace.points)
    if pace.steps:
        return msg("in steps: {points}", points=points).render(lang)
    return msg("by a schedule: {points}", points=points).render(lang)


def relative_text(ind: Indicator, lang: str) -> str:
    """A target stated against the baseline, in words: ``低于基数`` / ``基数+2个百分点`` / ``≥基数+1所``."""
    from ..core.numbers import format_number

    rel = ind.relative
    if rel is None:
        return "—"
    if rel.kind.value == "below":
        return tr("below the baseline", lang)
    if rel.kind.value == "plus":
        return nmsg("baseline {sign}{n} point", "baseline {sign}{n} points", 1 if abs(rel.amount or 0) == 1 else 2,
                    sign="+" if (rel.amount or 0) >= 0 else "−", n=format_number(abs(rel.amount or 0))).render(lang)
    return msg("at least baseline + {n}", n=format_number(rel.amount or 0, ind.unit)).render(lang)


def reported_by_text(ind: Indicator, plan, lang: str) -> str:
    """Who reports it, as the plan has it (a version-2 milestone is the city's)."""
    from ..core.reporting import stated_reporter

    by = stated_reporter(ind, plan)
    if by is None:
        return tr("the counties that record figures (not set in the plan)", lang)
    return tr(REPORTED_BY[by.value], lang)


def done_when_text(ind: Indicator, lang: str) -> str:
    return (ind.done_when_en or ind.done_when) if lang == "en" else ind.done_when


def expected_text(expected: float | None | str, lang: str, *, cap: bool = False) -> str:
    """``应完成 40%`` / ``expected 40%``: the share of the target the judgement expected by now (a
    share, or its text as :func:`~eduplan.render.figures.done_and_expected` gives it); of a cap
    (``cap``), the share of it its pace allows by now: ``序时可用 40%`` / ``allowed 40%``."""
    from .figures import pct

    if expected is None:
        return ""
    share = expected if isinstance(expected, str) else pct(expected)
    return (msg("allowed {share}", share=share) if cap else msg("expected {share}", share=share)).render(lang)


def units_text(units, lang: str) -> str:
    """Reporting units in words: the city (全市) and county names."""
    return separator(lang).join(unit_name(u, lang) for u in units)
