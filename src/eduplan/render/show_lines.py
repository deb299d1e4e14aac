"""What ``show`` says about one indicator, in words: the (label, text) lines above its tables
and the rows of its county table. One list, that the terminal table and markdown both show,
so that neither says less than the other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.numbers import format_number
from ..i18n import bracketed, clause_separator, msg, separator
from .figures import done_and_expected, figure, pct, target_text, to_go_line
from .words import (
    ROLLUP,
    done_when_text,
    expected_text,
    gettext,
    kind_with_unit,
    notes_text,
    pace_text,
    reported_by_text,
    section_title,
    state_label,
    status_label,
    units_text,
)

if TYPE_CHECKING:
    from ..core.documents import ShowDoc


def sections_text(doc: ShowDoc, lang: str) -> str:
    plan = doc.plan
    out = []
    for s in doc.row.indicator.all_sections:
        out.append(section_title(plan.section_by_id[s], lang) + bracketed(s, lang))  # the id: what --section takes
    return separator(lang).join(out)


def lines(doc: ShowDoc, lang: str) -> list[tuple[str, str]]:
    """(label, text), in the order shown; texts unescaped (each renderer makes them safe)."""
    _ = gettext(lang)
    p = doc.row
    ind = p.indicator
    done, expected = done_and_expected(p)
    out = [
        (_("source"), f"“{ind.source}”"),
        (_("sections"), sections_text(doc, lang)),
        (_("kind"), kind_with_unit(ind, lang)),
        (_("target"), target_text(ind, p.target, lang=lang)),
        (_("as of"), f"{doc.as_of} · {_('time progress')} {pct(doc.time_progress, 1)}"
                     + (f" · {expected_text(expected, lang)}" if p.expected is not None else "")),
        (_("city-wide"), f"{figure(p, lang)} · {done} · " + status_label(p.status.value, lang)),
        (_("pace"), pace_text(ind, lang, doc.plan.plan.calendar_year)),
    ]
    if ind.baseline is not None:
        if p.baseline is None:
            out.append((_("baseline"), _("not yet known") + bracketed(f"{ind.baseline.date} · {ind.baseline.source}", lang)))
        else:
            where = p.baseline_entry or _("the plan")
            out.append((_("baseline"), format_number(p.baseline, ind.unit) + bracketed(
                f"{ind.baseline.date} · {p.baseline_source or ind.baseline.source} · {where}", lang)))
    if ind.county_targets and ind.measure.value == "counties":  # each unit's is a yes or a no, not a count (1个)
        asked = [c for c, v in ind.county_targets if v == 1]
        free = [c for c, v in ind.county_targets if v != 1]
        parts = ([msg("to be done: {units}", units=asked).render(lang)] if asked else []) + \
            ([msg("not asked: {units}", units=free).render(lang)] if free else [])
        out.append((_("county targets"), clause_separator(lang).join(parts)))
    elif ind.county_targets:
        out.append((_("county targets"),
                    separator(lang).join(f"{c} {format_number(v, ind.unit)}" for c, v in ind.county_targets)))
    out.append((_("reported by"), reported_by_text(ind, doc.plan, lang)))
    if p.reporting is not None and p.reporting.missing:
        out.append((_("not reported this month"), units_text(p.reporting.missing, lang)))
    if ind.lead or ind.partners:
        out.append((_("lead unit"), ind.lead or "—"))
        if ind.partners:
            out.append((_("partner units"), separator(lang).join(ind.partners)))
    if ind.done_when:
        out.append((_("done when"), done_when_text(ind, lang)))
    if p.rollup:
        out.append((_("how it is counted"), _(ROLLUP.get(p.rollup, p.rollup))))
    if p.remaining or p.gap_pp:
        out.append((_("to go"), to_go_line(p, lang) or "—"))
    elif (p.headroom is not None or p.over is not None) and to_go_line(p, lang):
        below = ind.relative is not None and ind.relative.kind.value == "below"
        out.append((_("against the baseline") if below else _("against the cap"), to_go_line(p, lang)))
    if p.qualifying is not None:
        out.append((_("counties done"), separator(lang).join(p.qualifying) or "—"))
    if p.notes:
        out.append((_("note"), notes_text(p.notes, lang)))
    return out


def county_rows(doc: ShowDoc, lang: str) -> list[tuple[str, str, str, str]]:
    """(unit, figure, as of, entry) for each county-level unit with a figure."""
    p = doc.row
    ind = p.indicator
    rows = []
    for f in p.counties:
        if f.state is not None:
            v = state_label(f.state.value, lang)
        else:
            v = format_number(f.value, ind.unit)
            if f.numerator is not None:
                v += bracketed(f"{format_number(f.numerator)}/{format_number(f.denominator)}", lang)
        own = ind.county_target(f.county)
        if own is not None and ind.measure.value in ("flow", "level"):
            v += f" / {target_text(ind, own, lang=lang)}"
        rows.append((f.county, v, str(f.as_of), f.entry))
    return rows
