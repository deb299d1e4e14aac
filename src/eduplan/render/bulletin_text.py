"""The monthly bulletin in Markdown, and the sentences and cells every bulletin format shares.

Standard library only (no rich). The HTML and xlsx renderers take their sentences and
cells from here, so that every format says the same thing the same way.
"""

from __future__ import annotations

from ..core.bulletin import Bulletin, Row
from ..core.numbers import fixed
from ..core.progress import Progress
from ..i18n import bracketed, colon, gap_after, msg, nmsg, separator, tr
from . import safe
from .encoding import md_table
from .figures import done_and_expected, figure, n_counties, pct, per_month, scale_of, signed, stored_value, to_go
from .words import (
    KIND_OF_ENTRY,
    action_title,
    done_when_text,
    finding_refs,
    findings_sentence,
    gettext,
    grid_notes,
    kind_heading,
    labelled,
    name_of,
    note_text,
    remark,
    rule_label,
    section_title,
    state_label,
    status_label,
    unit_name,
)

STATUS_ORDER = ("done", "on_track", "lagging", "behind", "not_judged", "no_data")
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
    "not_judged": lambda n: nmsg("{n} not judged", "{n} not judged", n),
    "no_data": lambda n: nmsg("{n} without data", "{n} without data", n),
}


def headline_sentence(b: Bulletin, lang: str) -> str:
    """The overall picture in one sentence."""
    s = b.summary
    total = sum(s.values())
    short = s["lagging"] + s["behind"]
    counts = [_COUNTED[k](s[k]) for k in STATUS_ORDER if s[k]]
    if b.period_over and (short or s["no_data"]):  # the period has ended: nothing is to be sped up any more
        verdict = (msg("at the period's end, short of the target: {short}; still without a figure: {missing}",
                       short=short, missing=s["no_data"]) if short and s["no_data"] else
                   msg("at the period's end, short of the target: {short}", short=short) if short else
                   msg("at the period's end, still without a figure: {missing}", missing=s["no_data"]))
    elif short:
        verdict = nmsg("{n} falls short of its expected progress or target and needs to speed up",
                       "{n} fall short of their expected progress or target and need to speed up", short)
    elif all(r.now.actual is None and r.now.state is None for r in b.rows):
        verdict = msg("nothing has been recorded yet")
    elif s["no_data"] or s["not_judged"]:
        verdict = msg("every indicator with data is at or ahead of its expected progress")
    else:
        verdict = msg("every indicator is at or ahead of its expected progress")
    return nmsg("As of {day}, with {tp} of the period elapsed, of {n} indicator: {counts}; {verdict}.",
                "As of {day}, with {tp} of the period elapsed, of {n} indicators: {counts}; {verdict}.", total,
                day=day_text(b.as_of, lang), tp=pct(b.current.time_progress, 1), counts=counts or msg("none"),
                verdict=verdict).render(lang)


def recorded_basis(b: Bulletin, lang: str) -> str:
    return msg("Entries whose as-of date falls between {start} and {end}; when a figure was typed in does not matter.",
               start=b.start, end=b.as_of).render(lang)


def received_sentence(b: Bulletin, lang: str) -> str:
    """How many figures came in for the month, and where the corrections and voids are."""
    fixes = sum(1 for r in b.audit if r.entry.supersedes is not None)
    corrected = sum(1 for r in b.figures if r.entry.supersedes is not None)  # a correction that counts is a figure
    counted = nmsg("{n} figure was received for the month", "{n} figures were received for the month", len(b.figures))
    if corrected:
        counted = msg("{received}, {corrections} among them", received=counted,
                      corrections=nmsg("{n} correction", "{n} corrections", corrected))
    if not fixes:
        return msg("{received}.", received=counted).render(lang)
    if fixes == corrected:
        return msg("{received} (appendix 2).", received=counted).render(lang)
    return msg("{received}; {fixes} besides (appendix 2).", received=counted,
               fixes=nmsg("{n} void or correction since replaced", "{n} voids or corrections since replaced",
                          fixes - corrected)).render(lang)


def months_text(months: float) -> str:
    """The divisor of the monthly rate as the footnote prints it: ``6``, ``6.5``."""
    return fixed(months, 2).rstrip("0").rstrip(".")


def attention_footnote(b: Bulletin, lang: str) -> str:
    if b.plan.plan.calendar_year:
        head = msg("Expected by now: the share of the target due by the month end by the indicator's pace (evenly "
                   "over the year unless the plan dates it). Short by: points below the expected share (flows, and "
                   "levels to change from their baseline, in points of the change), below the target (other levels), "
                   "or over the share of a cap allowed by now (caps).").render(lang)
    else:
        head = msg("Expected by now: the share of the target due by the month end by the indicator's pace (evenly "
                   "over the plan period unless the plan dates it). Short by: points below the expected share "
                   "(flows, and levels to change from their baseline, in points of the change), below the target "
                   "(other levels), or over the share of a cap allowed by now (caps).").render(lang)
    if not b.months_left:  # the period's last month: nothing is left to spread over
        return head
    return head + gap_after(head) + msg("Needed per month = to go ÷ months left until it is due ({months} to the "
                                        "period end, fewer where the plan dates it earlier; within the last month, "
                                        "all of it).", months=months_text(b.months_left)).render(lang)


def silent_intro(b: Bulletin, lang: str) -> str:
    if not b.reported_by_city:
        return nmsg("{n} indicator is reported per county; these counties sent nothing this month for:",
                    "{n} indicators are reported per county; these counties sent nothing this month for:",
                    len(b.reported_per_county)).render(lang)
    return msg("Indicators owed this month: {city} by the city, {counties} by the counties; these units sent nothing "
               "for:", city=len(b.reported_by_city), counties=len(b.reported_per_county)).render(lang)


def done_when_rows(b: Bulletin, lang: str) -> list[tuple[str, str, str]]:
    """(name, id, what done means) for the indicators whose plan says what done means."""
    return [(name_of(r.indicator, lang), r.indicator.id, done_when_text(r.indicator, lang)) for r in b.rows
            if r.indicator.done_when]


def lead_headers(lang: str) -> list[str]:
    _ = gettext(lang)
    return [_("lead unit"), _("indicators")] + [status_label(k, lang) for k in STATUS_ORDER] + [_("lagging or behind")]


def lead_rows(b: Bulletin, lang: str) -> list[list[object]]:
    return [[blk.lead, len(blk.rows)] + [blk.summary[k] for k in STATUS_ORDER]
            + [separator(lang).join(name_of(r.indicator, lang) for r in blk.attention) or "—"] for blk in b.leads]


# --------------------------------------------------------------------------- cells


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
        text = delta_points(row.delta_actual / 100)
        return text if text == "±0" else msg("{n} points", n=text).render(lang)
    if ind.measure.value == "counties":
        text = signed(row.delta_actual)
        return text if text == "±0" else n_counties(text, row.delta_actual, lang)
    return signed(row.delta_actual, ind.unit, scale_of(ind, p.target))


def delta_points(ratio_delta: float | None) -> str:
    """A change of completion (a fraction) in percentage points: ``+12.5``."""
    if ratio_delta is None:
        return "—"
    value = ratio_delta * 100
    if abs(value) < 0.05:
        return "±0"
    return f"{'+' if value > 0 else '−'}{fixed(abs(value), 1)}"


def lag_text(p: Progress) -> str:
    return "—" if p.lag_pp is None else fixed(p.lag_pp, 1)


def entry_value(r, plan, lang: str) -> str:
    ind = plan.indicator(r.entry.indicator)
    return stored_value(r.entry, ind.unit if ind else "", lang)


def section_headers(lang: str) -> list[str]:
    _ = gettext(lang)
    return [_("indicator"), _("actual/target"), _("done"), _("status"), _("change of the figure"),
            _("change of completion (points)")]


def section_cells(row: Row, lang: str) -> list[str]:
    p = row.now
    return [name_of(p.indicator, lang), figure(p, lang), pct(p.done_share), status_label(p.status.value, lang),
            delta_figure(row, lang), delta_points(row.delta_done)]


def attention_headers(lang: str) -> list[str]:
    _ = gettext(lang)
    return ["#", _("indicator"), _("status"), _("actual/target"), _("done"), _("expected by now"),
            _("short by (points)"), _("to go"), _("needed per month")]


def attention_cells(n: int, row: Row, lang: str) -> list[str]:
    p = row.now
    return [str(n), name_of(p.indicator, lang), status_label(p.status.value, lang), figure(p, lang),
            *done_and_expected(p), lag_text(p), to_go(p, lang), per_month(p, lang)]


def recorded_headers(lang: str) -> list[str]:
    _ = gettext(lang)
    return ["#", _("indicator"), _("county-level unit"), _("as of"), _("value"), _("remarks"), _("by")]


def recorded_cells(r, plan, lang: str) -> list[str]:
    e = r.entry
    ind = plan.indicator(e.indicator)
    return [e.ref.lstrip("#") if not e.office else e.ref, name_of(ind, lang) if ind else e.indicator,
            unit_name(e.county, lang), e.as_of.isoformat(), entry_value(r, plan, lang), remark(r, lang), e.by]


def audit_headers(lang: str) -> list[str]:
    _ = gettext(lang)
    return ["#", _("indicator"), _("county-level unit"), _("as of"), _("value"), _("kind"), _("remarks"), _("by")]


def audit_cells(r, plan, lang: str) -> list[str]:
    e = r.entry
    ind = plan.indicator(e.indicator)
    return [e.ref.lstrip("#") if not e.office else e.ref, name_of(ind, lang) if ind else e.indicator,
            unit_name(e.county, lang), e.as_of.isoformat(), entry_value(r, plan, lang),
            tr(KIND_OF_ENTRY[r.kind], lang), remark(r, lang), e.by]


# --------------------------------------------------------------------------- the counties

MARK = {"done": "✔", "on_track": "●", "lagging": "▲", "behind": "✖", "not_judged": "○", "no_data": "·"}


def short_counties(plan) -> dict[str, str]:
    """The short names the bureau uses (椒江 for 椒江区), where they stay unambiguous."""
    from ..core.names import short_form

    shorts = {c: short_form(c) or c for c in plan.plan.counties}
    return shorts if len(set(shorts.values())) == len(shorts) else {c: c for c in plan.plan.counties}


def county_value(p: Progress, lang: str) -> str:
    """What a grid cell of the bulletin shows of one unit's standing (the markdown grid and the
    HTML heat map alike): ``72%`` (a count or an amount: its completion), ``88.5%`` (a
    percentage: the percentage itself, never its completion, which would read as one: 98% for
    88% of a target of 90%; a cap: the share of it used), a figure without a target of its own,
    ``完成``, ``·``."""
    if p.actual is None and p.state is None:
        return MARK["no_data"]
    if p.state is not None and p.actual is None:
        return state_label(p.state.value, lang, short=True)
    if p.done_share is None or p.indicator.is_percent:
        return figure(p, lang, target=False)
    return pct(p.done_share)


CARRIED = "*"  # a grid cell whose figure is dated before the month: the unit sent nothing new


def county_mark(p: Progress, lang: str, carried: bool = False) -> str:
    """One county's standing on one indicator, in a grid cell, with its light: ``72% ●``, ``完成``,
    ``·``; ``950个* ▲`` where the figure is from before the month (``carried``)."""
    shown = county_value(p, lang) + (CARRIED if carried else "")
    return shown if p.actual is None else f"{shown} {MARK[p.status.value]}"


def carried_note(b: Bulletin, lang: str) -> str | None:
    """What the grid's mark means, where a cell has it."""
    if not any(b.carried(p) for cells in b.by_county.values() for p in cells.values()):
        return None
    return msg("{mark} the unit sent no figure this month: the one before it stands (its date: eduplan status "
               "--by-county, or the workbook's sheet by county)", mark=CARRIED).render(lang)


def legend(lang: str) -> str:
    return "  ".join(f"{MARK[k]} {status_label(k, lang)}" for k in STATUS_ORDER)


def needs_said(p: Progress, lang: str) -> list[str]:
    """The notes of a standing someone must act on (:attr:`Note.warns`), as sentences."""
    return [note_text(n, lang) for n in p.notes if n.warns]


def explained_lines(b: Bulletin, lang: str) -> list[str]:
    """Each indicator whose month-end standing needs a word, with the word (``学生非正常死亡人数：上限类指标须…``)."""
    return [labelled(r.indicator, said, lang) for r in b.explained for said in needs_said(r.now, lang)]


def county_notes(b: Bulletin, lang: str) -> list[str]:
    """What the county figures are judged against: each kind of note once, with its indicators."""
    return grid_notes(b.by_county, lang)


def actions_heading(b: Bulletin, lang: str) -> str:
    """``十大行动（指标分布）``: the plan's own name for its actions."""
    return msg("{actions} (indicators by status)", actions=kind_heading(b.plan, "action", lang)).render(lang)


def receipt_headers(b: Bulletin, lang: str) -> list[str]:
    _ = gettext(lang)
    units = [_("reports for")] if _shared(b) else []
    return [_("recording office"), *units, _("figures received"), _("missing"), _("indicators missing")]


def _shared(b: Bulletin) -> bool:
    """Does any office report other units than the one it is named after (a declared office)?"""
    return any(o.units != (o.office,) and o.units != (None,) for o in b.offices)


def receipt_rows(b: Bulletin, lang: str) -> list[list[str]]:
    """Per recording office (the counties' offices, then the city's): the figures received for
    the month, and the indicators it owed this month and did not send (missing/owed)."""
    rows = []
    several = _shared(b)
    for o in b.offices:
        if several or len(o.units) > 1:
            names = separator(lang).join(f"{name_of(b.plan.by_id[i], lang)}（{unit_name(u, lang)}）" for i, u in o.missing)
        else:
            names = silent_names([i for i, _u in o.missing], b.plan, lang)
        units = [separator(lang).join(unit_name(u, lang) for u in o.units)] if several else []
        rows.append([o.office, *units, str(o.received),
                     f"{len(o.missing)}/{len(o.owed)}" if o.owed else "—", names])
    return rows


def summary_rows(b: Bulletin, lang: str) -> list[list[str]]:
    _ = gettext(lang)
    s, prev = b.summary, b.previous_summary
    rows = []
    for k in STATUS_ORDER:
        change = "—" if prev is None else signed(s[k] - prev[k])
        rows.append([status_label(k, lang), str(s[k]), "—" if prev is None else str(prev[k]), change])
    rows.append([_("total"), str(sum(s.values())), "—" if prev is None else str(sum(prev.values())), ""])
    return rows


def silent_names(indicators, plan, lang: str) -> str:
    return separator(lang).join(name_of(plan.by_id[i], lang) for i in indicators)


def quality_sentence(b: Bulletin, lang: str) -> str:
    return findings_sentence(b.quality.summary, b.quality.as_of, b.quality.checked, lang)


def quality_listed(b: Bulletin) -> tuple:
    """The findings about figures (not what is missing, said in the sentence), the first few."""
    return b.quality.listed


def check_command(b: Bulletin, *options: str) -> str:
    """The command that lists every finding of the bulletin's month, on the files it was made
    from (the plan and the ledger where they were named, quoted for a shell)."""
    import shlex

    words = ["eduplan", "check", "--as-of", str(b.quality.as_of), *options]
    for flag, named in (("--plan", b.plan_named), ("--ledger", b.ledger_named)):
        if named is not None:
            words += [flag, shlex.quote(named)]
    return " ".join(words)


def quality_more(b: Bulletin, lang: str) -> tuple[str, str] | None:
    """Where the rest is, when the bulletin does not list every finding: the sentence, and the
    command that lists them (shown as code by each format)."""
    q = b.quality
    if not q.unlisted:
        return None
    command = check_command(b)
    if not q.listed:
        return msg("This command lists every finding:").render(lang), command
    if q.unlisted_reporting_only:
        return nmsg("{n} more finding (not reported, not updated …); this command lists every one:",
                    "{n} more findings (not reported, not updated …); this command lists every one:",
                    q.unlisted).render(lang), command
    return nmsg("{n} more finding; this command lists every one:", "{n} more findings; this command lists every one:",
                q.unlisted).render(lang), command


def quality_headers(lang: str) -> list[str]:
    _ = gettext(lang)
    return [_("rule"), _("indicator"), _("county-level unit"), _("entries"), _("finding")]


def quality_cells(f, plan, lang: str) -> list[str]:
    ind = plan.indicator(f.indicator)
    return [rule_label(f.rule, lang), name_of(ind, lang) if ind else f.indicator, unit_name(f.county, lang),
            finding_refs(f, lang), f.message.render(lang)]


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
                            align=["l", "r", "r", "l", "r", "r"]))
    if actions:
        out.append(f"### {safe.markdown(actions_heading(b, lang))}\n")
        headers = [_("action"), _("indicators")] + [status_label(k, lang) for k in STATUS_ORDER]
        out.append(md_table(headers, [
            [action_title(blk.section, lang), len(blk.rows)] + [blk.summary[k] for k in STATUS_ORDER]
            for blk in actions
        ], align=["l"] + ["r"] * (len(STATUS_ORDER) + 1)))

    if b.leads:
        out.append(f"### {_('By lead unit (牵头单位)')}\n")
        out.append(md_table(lead_headers(lang), lead_rows(b, lang), align=["l"] + ["r"] * (len(STATUS_ORDER) + 1) + ["l"]))

    out.append(f"## {_('3. Lagging and behind')}\n")
    if b.attention:
        out.append(md_table(attention_headers(lang), [attention_cells(n, r, lang) for n, r in enumerate(b.attention, 1)],
                            align=["r", "l", "l", "r", "r", "r", "r", "r", "r"]))
        out.append(safe.markdown(attention_footnote(b, lang)) + "\n")
    else:
        out.append(_("No indicator is lagging or behind at the month end.") + "\n")
    if b.explained:
        out.append(safe.markdown(_("What the month-end figures of these indicators need said:")) + "\n")
        out.extend(f"- {safe.markdown(line)}" for line in explained_lines(b, lang))
        out.append("")

    out.append(f"## {_('4. The counties and what they sent')}\n")
    if b.by_county:
        short = short_counties(plan)
        out.append(f"### {_('Completion by county-level unit')}\n")
        city = {r.indicator.id: r.now for r in b.rows}
        rows = [[name_of(plan.by_id[i], lang)] + [county_mark(cells[c], lang, b.carried(cells[c]))
                                                   for c in plan.plan.counties]
                + [county_mark(city[i], lang)] for i, cells in b.by_county.items()]
        out.append(md_table([_("indicator"), *(short[c] for c in plan.plan.counties), city_word(lang)], rows,
                            align=["l"] + ["r"] * (len(plan.plan.counties) + 1)))
        out.append(safe.markdown(legend(lang)) + "\n")
        if (said := carried_note(b, lang)) is not None:
            out.append(safe.markdown(said) + "\n")
        out.extend(safe.markdown(text) + "\n" for text in county_notes(b, lang))
    out.append(f"### {_('Figures received this month')}\n")
    received = received_sentence(b, lang)
    out.append(safe.markdown(received + gap_after(received) + recorded_basis(b, lang)) + "\n")
    if not b.reported_per_county and not b.reported_by_city:
        out.append(_("No indicator is reported per county yet.") + "\n")
    elif b.silent:
        out.append(safe.markdown(silent_intro(b, lang)) + "\n")
    else:
        out.append(_("Every unit sent figures for every indicator it owed this month.") + "\n")
    heads = receipt_headers(b, lang)
    out.append(md_table(heads, receipt_rows(b, lang), align=["l"] * (len(heads) - 3) + ["r", "r", "l"]))

    out.append(f"## {_('5. Completed this month')}\n")
    done, met = b.milestones_done, b.targets_met
    if not done and not met:
        out.append(_("No milestone or target was completed this month.") + "\n")
    if done:
        out.append(f"{_('Milestones done')}{colon(lang).rstrip()}\n")
        out.extend(f"- {safe.markdown(name_of(r.indicator, lang))}{bracketed(str(r.now.as_of_figure), lang)}"
                   + (f"{colon(lang)}{safe.markdown(done_when_text(r.indicator, lang))}" if r.indicator.done_when
                      else "")
                   for r in done)
        out.append("")
    if met:
        out.append(f"{_('Targets met')}{colon(lang).rstrip()}\n")
        out.extend(f"- {safe.markdown(name_of(r.indicator, lang))}{bracketed(safe.markdown(figure(r.now, lang)), lang)}"
                   for r in met)
        out.append("")

    out.append(f"## {_('6. Data quality')}\n")
    out.append(safe.markdown(quality_sentence(b, lang)) + "\n")
    listed = quality_listed(b)
    if listed:
        out.append(md_table(quality_headers(lang), [quality_cells(f, plan, lang) for f in listed]))
    more = quality_more(b, lang)
    if more:
        out.append(f"{safe.markdown(more[0])}{gap_after(more[0])}`{more[1]}`\n")

    out.append(f"## {_('Appendix 1. Figures received this month')}\n")
    if b.figures:
        out.append(md_table(recorded_headers(lang), [recorded_cells(r, plan, lang) for r in b.figures],
                            align=["r", "l", "l", "l", "r", "l", "l"]))
    else:
        out.append(_("Nothing was recorded for this month.") + "\n")
    out.append(f"## {_('Appendix 2. Corrections and voids')}\n")
    if b.audit:
        out.append(md_table(audit_headers(lang), [audit_cells(r, plan, lang) for r in b.audit],
                            align=["r", "l", "l", "l", "r", "l", "l", "l"]))
    else:
        out.append(_("No figure of the month was corrected or voided.") + "\n")
    defined = done_when_rows(b, lang)
    if defined:
        out.append(f"## {_('Appendix 3. What done means')}\n")
        out.extend(f"- {safe.markdown(name)}{colon(lang)}{safe.markdown(text)}" for name, _id, text in defined)
    return "\n".join(out).rstrip("\n") + "\n"


def city_word(lang: str) -> str:
    from .words import city

    return city(lang)
