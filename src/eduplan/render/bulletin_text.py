"""The monthly bulletin in Markdown, and the sentences and cells every bulletin format shares.

Standard library only (no rich). The HTML and xlsx renderers take their sentences and
cells from here, so that every format says the same thing the same way.
"""

from __future__ import annotations

from ..core.bulletin import Bulletin, Row
from ..core.numbers import format_number
from ..core.progress import Progress
from ..i18n import msg, nmsg, separator
from . import safe
from .figures import approx, figure, pct, per_month, stored_value, to_go
from .formats import md_table
from .words import (action_title, finding_refs, findings_sentence, gettext, name_of, remark, rule_label, section_title,
                    state_label, status_label, unit_name)

STATUS_ORDER = ("done", "on_track", "lagging", "behind", "no_data")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


# --------------------------------------------------------------------------- sentences


def day_text(day, lang: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def month_text(b: Bulletin, lang: str) -> str:
    return f"{b.year}年{b.month}月" if lang == "zh" else f"{MONTHS_EN[b.month - 1]} {b.year}"


def title(b: Bulletin, lang: str) -> str:
    info = b.plan.plan
    name = info.title if lang == "zh" else (info.title_en or info.title)
    return msg("{plan}: monthly bulletin, {month}", plan=name, month=month_text(b, lang)).render(lang)


_COUNTED = {
    "done": lambda n: nmsg("{n} done", "{n} done", n),
    "on_track": lambda n: nmsg("{n} on track", "{n} on track", n),
    "lagging": lambda n: nmsg("{n} lagging", "{n} lagging", n),
    "behind": lambda n: nmsg("{n} behind", "{n} behind", n),
    "no_data": lambda n: nmsg("{n} without data", "{n} without data", n),
}


def headline_sentence(b: Bulletin, lang: str) -> str:
    """The overall picture in one sentence."""
    s = b.summary
    total = sum(s.values())
    short = s["lagging"] + s["behind"]
    counts = [_COUNTED[k](s[k]) for k in STATUS_ORDER if s[k]]
    if short:
        verdict = nmsg("{n} falls short of its expected progress or target and needs to speed up",
                       "{n} fall short of their expected progress or target and need to speed up", short)
    elif s["no_data"] == total:
        verdict = msg("nothing has been recorded yet")
    elif s["no_data"]:
        verdict = msg("every indicator with data is at or ahead of its expected progress")
    else:
        verdict = msg("every indicator is at or ahead of its expected progress")
    return nmsg("As of {day}, with {tp} of the period elapsed, of {n} indicator: {counts}; {verdict}.",
                "As of {day}, with {tp} of the period elapsed, of {n} indicators: {counts}; {verdict}.", total,
                day=day_text(b.as_of, lang), tp=pct(b.current.time_progress, 1), counts=counts or msg("none"),
                verdict=verdict).render(lang)


def recorded_basis(b: Bulletin, lang: str) -> str:
    return msg("Entries whose as-of date falls between {start} and {end}, corrections and voids included; when a figure "
               "was typed in does not matter.", start=b.start, end=b.as_of).render(lang)


def attention_footnote(b: Bulletin, lang: str) -> str:
    return msg("Short by: points below the expected progress (flows) or below the target (levels). Needed per month = "
               "to go ÷ months left ({months}).", months=f"{b.months_left:.2f}".rstrip("0").rstrip(".")).render(lang)


def silent_intro(b: Bulletin, lang: str) -> str:
    return nmsg("{n} indicator is reported per county; these counties sent nothing this month for:",
                "{n} indicators are reported per county; these counties sent nothing this month for:",
                len(b.reported_per_county)).render(lang)


# --------------------------------------------------------------------------- cells


def signed(value: float | None, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "—"
    if abs(value) < 1e-9:
        return "±0"
    sign = "+" if value > 0 else "−"
    return sign + (approx(abs(value), unit) if abs(value) >= 10**5 else format_number(abs(value), unit, digits=digits))


def delta_figure(row: Row, lang: str) -> str:
    """The change of the figure since the previous month end, in the indicator's terms."""
    _ = gettext(lang)
    p, q = row.now, row.previous
    if row.delta_actual is None:
        if p.state is not None and p.actual is None:
            before = q.state.value if q is not None and q.state is not None else None
            if before == p.state.value:
                return _("unchanged")
            return f"{state_label(before, lang)}→{state_label(p.state.value, lang)}"
        return "—"
    ind = p.indicator
    if ind.is_percent:
        text = signed(row.delta_actual, "", 1)
        return text if text == "±0" else msg("{n} points", n=text).render(lang)
    if ind.measure.value == "counties":
        text = signed(row.delta_actual)
        return text if text == "±0" else msg("{n} counties", n=text).render(lang)
    return signed(row.delta_actual, ind.unit)


def delta_points(ratio_delta: float | None) -> str:
    """A change of completion (a fraction) in percentage points: ``+12.5``."""
    if ratio_delta is None:
        return "—"
    value = ratio_delta * 100
    if abs(value) < 0.05:
        return "±0"
    return f"{'+' if value > 0 else '−'}{abs(value):.1f}"


def lag_text(p: Progress) -> str:
    return "—" if p.lag_pp is None else f"{p.lag_pp:.1f}"


def entry_value(r, plan, lang: str) -> str:
    ind = plan.indicator(r.entry.indicator)
    return stored_value(r.entry, ind.unit if ind else "", lang)


def section_headers(lang: str) -> list[str]:
    _ = gettext(lang)
    return [_("indicator"), "id", _("actual/target"), _("done"), _("status"), _("change of the figure"),
            _("change of completion (points)")]


def section_cells(row: Row, lang: str) -> list[str]:
    p = row.now
    return [name_of(p.indicator, lang), p.indicator.id, figure(p, lang), pct(p.completion),
            status_label(p.status.value, lang), delta_figure(row, lang), delta_points(row.delta_completion)]


def attention_headers(lang: str) -> list[str]:
    _ = gettext(lang)
    return ["#", _("indicator"), _("status"), _("actual/target"), _("done"), _("short by (points)"), _("to go"),
            _("needed per month")]


def attention_cells(n: int, row: Row, lang: str) -> list[str]:
    p = row.now
    return [str(n), f"{name_of(p.indicator, lang)} ({p.indicator.id})", status_label(p.status.value, lang),
            figure(p, lang), pct(p.completion), lag_text(p), to_go(p, lang), per_month(p, lang)]


def recorded_headers(lang: str) -> list[str]:
    _ = gettext(lang)
    return ["#", _("indicator"), _("county-level unit"), _("as of"), _("value"), _("remarks"), _("by")]


def recorded_cells(r, plan, lang: str) -> list[str]:
    e = r.entry
    ind = plan.indicator(e.indicator)
    return [str(e.id), name_of(ind, lang) if ind else e.indicator, unit_name(e.county, lang), e.as_of.isoformat(),
            entry_value(r, plan, lang), remark(r, lang), e.by]


def summary_rows(b: Bulletin, lang: str) -> list[list[str]]:
    _ = gettext(lang)
    s, prev = b.summary, b.previous_summary
    rows = []
    for k in STATUS_ORDER:
        change = "—" if prev is None else (f"{s[k] - prev[k]:+d}" if s[k] != prev[k] else "±0")
        rows.append([status_label(k, lang), str(s[k]), "—" if prev is None else str(prev[k]), change])
    rows.append([_("total"), str(sum(s.values())), "—" if prev is None else str(sum(prev.values())), ""])
    return rows


def silent_names(indicators, plan, lang: str) -> str:
    return separator(lang).join(name_of(plan.by_id[i], lang) for i in indicators)


QUALITY_ROWS = 10  # the findings about entries a bulletin lists; `eduplan check` lists every one


def quality_sentence(b: Bulletin, lang: str) -> str:
    return findings_sentence(b.quality, b.as_of, b.entries_checked, lang)


def quality_listed(b: Bulletin) -> list:
    """The findings about figures (not what is missing, said in the sentence), the first few."""
    return [f for f in b.quality if f.rule not in ("missing", "stale")][:QUALITY_ROWS]


def quality_more(b: Bulletin, lang: str) -> str | None:
    """Where the rest is, when the bulletin does not list every finding."""
    left = len(b.quality) - len(quality_listed(b))
    if not left:
        return None
    return nmsg("{n} more finding (not reported, not updated …): `eduplan check --as-of {day}` lists every one.",
                "{n} more findings (not reported, not updated …): `eduplan check --as-of {day}` lists every one.",
                left, day=b.as_of).render(lang)


def quality_headers(lang: str) -> list[str]:
    _ = gettext(lang)
    return [_("rule"), _("indicator"), _("county-level unit"), _("entries"), _("finding")]


def quality_cells(f, plan, lang: str) -> list[str]:
    ind = plan.indicator(f.indicator)
    return [rule_label(f.rule, lang), name_of(ind, lang) if ind else f.indicator, unit_name(f.county, lang),
            finding_refs(f), f.message.render(lang)]


# --------------------------------------------------------------------------- Markdown


def markdown(b: Bulletin, lang: str, opts=None) -> str:
    _ = gettext(lang)
    plan = b.plan
    out = [f"# {safe.markdown(title(b, lang))}\n"]
    prev = f" · {_('previous month end')} {b.previous_as_of}" if b.previous_as_of else ""
    out.append(f"{_('as of')} **{b.as_of}** · {_('time progress')} **{pct(b.current.time_progress, 1)}**{prev}\n")

    out.append(f"## {_('1. Overview')}\n")
    out.append(safe.markdown(headline_sentence(b, lang)) + "\n")
    out.append(md_table([_("status"), _("month end"), _("previous month end"), _("change")], summary_rows(b, lang),
                        align=["l", "r", "r", "r"]))

    out.append(f"## {_('2. By section')}\n")
    actions = [blk for blk in b.sections if blk.section.kind.value == "action"]
    for blk in b.sections:
        if blk.section.kind.value == "action":
            continue
        out.append(f"### {safe.markdown(section_title(blk.section, lang))}\n")
        out.append(md_table(section_headers(lang), [section_cells(r, lang) for r in blk.rows],
                            align=["l", "l", "r", "r", "l", "r", "r"]))
    if actions:
        out.append(f"### {_('The ten actions (indicators by status)')}\n")
        headers = [_("action"), _("indicators")] + [status_label(k, lang) for k in STATUS_ORDER]
        out.append(md_table(headers, [
            [action_title(blk.section, lang), len(blk.rows)] + [blk.summary[k] for k in STATUS_ORDER]
            for blk in actions
        ], align=["l"] + ["r"] * (len(STATUS_ORDER) + 1)))

    out.append(f"## {_('3. Lagging and behind')}\n")
    if b.attention:
        out.append(md_table(attention_headers(lang), [attention_cells(n, r, lang) for n, r in enumerate(b.attention, 1)],
                            align=["r", "l", "l", "r", "r", "r", "r", "r"]))
        out.append(safe.markdown(attention_footnote(b, lang)) + "\n")
    else:
        out.append(_("No indicator is lagging or behind at the month end.") + "\n")

    out.append(f"## {_('4. Recorded this month')}\n")
    out.append(safe.markdown(recorded_basis(b, lang)) + "\n")
    if b.recorded:
        out.append(md_table(recorded_headers(lang), [recorded_cells(r, plan, lang) for r in b.recorded],
                            align=["r", "l", "l", "l", "r", "l", "l"]))
    else:
        out.append(_("Nothing was recorded for this month.") + "\n")
    out.append(f"### {_('Counties that sent nothing')}\n")
    if not b.reported_per_county:
        out.append(_("No indicator is reported per county yet.") + "\n")
    elif b.silent:
        out.append(safe.markdown(silent_intro(b, lang)) + "\n")
        out.append(md_table([_("county-level unit"), _("missing"), _("indicators")],
                            [[s.county, f"{len(s.indicators)}/{len(b.reported_per_county)}",
                              silent_names(s.indicators, plan, lang)] for s in b.silent], align=["l", "r", "l"]))
    else:
        out.append(_("Every county sent figures for every indicator it reports on.") + "\n")

    out.append(f"## {_('5. Completed this month')}\n")
    done, met = b.milestones_done, b.targets_met
    if not done and not met:
        out.append(_("No milestone or target was completed this month.") + "\n")
    if done:
        out.append(f"{_('Milestones done')}:\n")
        out.extend(f"- {safe.markdown(name_of(r.indicator, lang))} (`{r.indicator.id}`, {r.now.as_of_figure})"
                   for r in done)
        out.append("")
    if met:
        out.append(f"{_('Targets met')}:\n")
        out.extend(f"- {safe.markdown(name_of(r.indicator, lang))} (`{r.indicator.id}`, {safe.markdown(figure(r.now, lang))})"
                   for r in met)
        out.append("")

    out.append(f"## {_('6. Data quality')}\n")
    out.append(safe.markdown(quality_sentence(b, lang)) + "\n")
    listed = quality_listed(b)
    if listed:
        out.append(md_table(quality_headers(lang), [quality_cells(f, plan, lang) for f in listed]))
    more = quality_more(b, lang)
    if more:
        out.append(safe.markdown(more) + "\n")
    return "\n".join(out).rstrip("\n") + "\n"
