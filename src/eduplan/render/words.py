"""The words every format uses, in the reader's language: names, statuses, states, kinds,
section titles, notes, and an entry's remark (said once, here)."""

from __future__ import annotations

from collections.abc import Callable

from ..core.documents import Remark
from ..core.models import Indicator, Section
from ..core.progress import Note
from ..i18n import N_, Msg, msg, nmsg, separator, tr

ORDINALS = "一二三四五六七八九十"

STATUS = {"done": N_("done"), "on_track": N_("on track"), "lagging": N_("lagging"), "behind": N_("behind"),
          "no_data": N_("no data")}
STATE = {"done": N_("done"), "in-progress": N_("in progress"), "not-started": N_("not started")}
MEASURE = {"flow": N_("flow"), "level": N_("level"), "counties": N_("counties"), "milestone": N_("milestone")}
KIND = {"focus": N_("Focus area"), "action": N_("Action"), "matter": N_("Practical matter")}
ROLLUP = {"city": N_("city-wide figure"), "sum": N_("sum of the counties"), "ratio": N_("Σnumerator ÷ Σdenominator"),
          "count": N_("counties done"), "county": N_("the county's figure"), "none": N_("cannot roll up")}
KIND_OF_ENTRY = {"record": N_("record"), "correction": N_("correction"), "void": N_("void")}


def gettext(lang: str) -> Callable[[str], str]:
    """``_ = gettext(lang)``: translate a constant in a renderer."""
    return lambda text: tr(text, lang)


def status_label(status: str, lang: str) -> str:
    return tr(STATUS[status], lang)


def state_label(state: str | None, lang: str) -> str:
    return tr(STATE[state], lang) if state else "—"


def measure_label(measure: str, lang: str) -> str:
    return tr(MEASURE[measure], lang)


def name_of(indicator: Indicator, lang: str) -> str:
    return (indicator.name_en or indicator.name) if lang == "en" else indicator.name


def city(lang: str) -> str:
    return tr("city-wide", lang)


def unit_name(county: str | None, lang: str) -> str:
    return county if county else city(lang)


def section_name(section: Section, lang: str) -> str:
    return (section.name_en or section.name) if lang == "en" else section.name


def section_title(section: Section, lang: str) -> str:
    """``教育实事 · 一、增加学位资源供给`` / ``Practical matter 1: Increase the supply of school places``."""
    n = section.number
    if lang == "en":
        return f"{tr(KIND[section.kind.value], lang)} {n}: {section.name_en or section.name}"
    ordinal = ORDINALS[n - 1] if 1 <= n <= 10 else str(n)
    joiner = "是" if section.kind.value == "focus" else "、"
    return f"{tr(KIND[section.kind.value], lang)} · {ordinal}{joiner}{section.name}"


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


def findings_sentence(findings, day, checked: int, lang: str) -> str:
    """The findings in one sentence: how many, of which rules, as of when."""
    from ..core.rules import summary

    counts = [f"{rule_label(r, lang)} {n}" for r, n in summary(findings).items() if n]
    if not counts:
        return nmsg("Nothing questionable as of {day} ({n} entry checked).",
                    "Nothing questionable as of {day} ({n} entries checked).", checked, day=day).render(lang)
    return nmsg("{n} finding as of {day}: {counts}.", "{n} findings as of {day}: {counts}.", len(findings),
                day=day, counts=counts).render(lang)


def finding_refs(finding) -> str:
    """The entries a finding is about: ``#3, #5`` (``椒江区#3`` in an office's file)."""
    return ", ".join(e.ref for e in finding.entries)


# --------------------------------------------------------------------------- notes

NOTES: dict[str, Callable[[dict], Msg]] = {
    "partial": lambda p: nmsg("{reported} of {total} county reported", "{reported} of {total} counties reported",
                              p["total"], reported=p["reported"], total=p["total"]),
    "cannot_roll_up": lambda p: msg("cannot roll up: {counties} recorded a percentage without its denominator; record "
                                    "numerator/denominator (e.g. 12000/21000) or a city-wide figure",
                                    counties=p["counties"]),
    "equal_share_target": lambda p: msg("county target: an equal share (1/{counties}) of the city target",
                                        counties=p["counties"]),
}


def note_text(note: Note, lang: str) -> str:
    make = NOTES.get(note.code)
    if make is None:
        return note.code
    return make(dict(note.params)).render(lang)


def notes_text(notes, lang: str) -> str:
    return separator(lang).join(note_text(n, lang) for n in notes)


# --------------------------------------------------------------------------- an entry's remark


def remark(r: Remark, lang: str) -> str:
    """What an entry says beside its figure: what it corrects or voids, what withdrew it, its
    note and source. The one wording of it for every format."""
    e = r.entry
    parts = []
    if e.supersedes is not None:
        template = msg("voids #{id}: {reason}", id=e.supersedes, reason=e.reason or "") if e.void else \
            msg("corrects #{id}: {reason}", id=e.supersedes, reason=e.reason or "")
        parts.append(template.render(lang))
    later = r.superseded_by
    if later is not None:
        parts.append((msg("voided by #{id}", id=later.id) if later.void else msg("corrected by #{id}", id=later.id))
                     .render(lang))
    if e.note:
        parts.append(e.note)
    if e.source:
        parts.append(msg("source: {source}", source=e.source).render(lang))
    if e.accepted:
        from ..core.rules import named

        parts.append(msg("accepted over a warning: {rules}", rules=[named(r) for r in e.accepted]).render(lang))
    return "; ".join(parts)
