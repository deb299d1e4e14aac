"""Markdown that pastes into a document: a heading, a summary line, a table per section."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..core.progress import StatusReport
from ..i18n import bracketed, clause_separator, colon, msg, nmsg
from . import safe, show_lines
from .encoding import md_table
from .figures import done_and_expected, figure, pct, stored_value, target_text, to_go_line
from .words import (
    finding_refs,
    findings_sentence,
    gettext,
    grid_notes,
    kind_label,
    labelled,
    notes_to_say,
    name_of,
    notes_text,
    remark,
    rule_label,
    section_title,
    state_label,
    status_label,
    unit_name,
)

if TYPE_CHECKING:  # documents are built by the services; renderers only read them
    from ..core.documents import LogDoc, PlanDoc, QualityReport, ShowDoc


def _summary(report: StatusReport, lang: str) -> str:
    _ = gettext(lang)
    counts = " · ".join(f"{status_label(k, lang)} {v}" for k, v in report.summary.items())
    return f"{_('time progress')} **{pct(report.time_progress, 1)}** · {counts}"


def status(report: StatusReport, lang: str, opts) -> str:
    _ = gettext(lang)
    info = report.plan.plan
    title = info.title if lang == "zh" else (info.title_en or info.title)
    scope = f" · {report.county}" if report.county else ""
    out = [f"## {safe.markdown(title + scope)} · {report.as_of}\n", _summary(report, lang) + "\n"]
    headers = [_("indicator"), _("id"), _("actual/target"), _("done"), _("expected by now"), _("status"), _("to go")]
    for sec, rows in report.by_section:
        out.append(f"### {safe.markdown(section_title(sec, lang))}\n")
        out.append(md_table(headers, [
            [name_of(p.indicator, lang), p.indicator.id, figure(p, lang), *done_and_expected(p),
             status_label(p.status.value, lang),
             to_go_line(p, lang)]
            for p in rows
        ], align=["l", "l", "r", "r", "r", "l", "l"]))
    notes = [(p, notes_text(said, lang)) for p in report.rows if (said := notes_to_say(p))]
    if notes:
        out.append("\n".join(f"- {safe.markdown(labelled(p.indicator, text, lang))}" for p, text in notes)
                   + "\n")
    if not report.empty_ledger and report.silent:
        from .table import silent_line

        out.append(safe.markdown(silent_line(report, lang)) + "\n")
    if report.by_county is not None:  # --by-county adds the grid below the status table, as in the table format
        out += _by_county(report, lang)
    return "\n".join(out)


def _by_county(report: StatusReport, lang: str) -> list[str]:
    """A table per indicator: each county's figure against its target, completion, status and
    share of the city total, then the city."""
    _ = gettext(lang)
    city = {p.indicator.id: p for p in report.rows}
    out: list[str] = []
    grid = report.county_grid  # (an indicator no county has a figure for is left to the status table)
    for ind_id, cells in grid.items():
        ind = report.plan.by_id[ind_id]
        out.append(f"### {safe.markdown(name_of(ind, lang))} (`{ind_id}`)\n")
        rows = []
        for unit, p in [*cells.items(), (None, city[ind_id])]:
            shown = "—" if p.actual is None and p.state is None else figure(p, lang)
            rows.append([unit_name(unit, lang), shown, pct(p.done_share), status_label(p.status.value, lang),
                         pct(p.share_of_city, 1) if p.share_of_city is not None else "—"])
        out.append(md_table([_("county-level unit"), _("actual/target"), _("done"), _("status"),
                             _("share of the city total")], rows, ["l", "r", "r", "l", "r"]))
    out.extend(f"{safe.markdown(text)}\n" for text in grid_notes(grid, lang))  # what the county targets are
    if report.city_only:
        out.append(safe.markdown(nmsg("{n} more indicator has no county figures (only the city's: see `eduplan status`)",
                                      "{n} more indicators have no county figures (only the city's: see `eduplan "
                                      "status`)", report.city_only).render(lang)) + "\n")
    return out


def plan(doc: PlanDoc, lang: str, opts) -> str:
    _ = gettext(lang)
    p = doc.plan
    out = [f"## {safe.markdown(p.plan.title if lang == 'zh' else (p.plan.title_en or p.plan.title))}\n"]
    for sec in p.sections:
        inds = p.in_section(sec.id)
        if not inds:
            continue
        out.append(f"### {safe.markdown(section_title(sec, lang))}\n")
        out.append(md_table([_("indicator"), _("id"), _("target"), _("kind")], [
            [name_of(i, lang), i.id, target_text(i, lang=lang), kind_label(i, lang)] for i in inds
        ], align=["l", "l", "r", "l"]))
    return "\n".join(out)


def log(doc: LogDoc, lang: str, opts) -> Iterator[str]:
    _ = gettext(lang)
    plan = doc.plan
    headers = ["#", _("indicator"), _("county-level unit"), _("as of"), _("value"), _("remarks"), _("by")]
    yield md_table(headers, [], ["r", "l", "l", "l", "r", "l", "l"])
    for r in doc.rows:
        e = r.entry
        ind = plan.indicator(e.indicator)
        cells = [e.ref.lstrip("#") if not e.office else e.ref, name_of(ind, lang) if ind else e.indicator,
                 unit_name(e.county, lang), e.as_of, stored_value(e, ind.unit if ind else "", lang), remark(r, lang), e.by]
        yield "| " + " | ".join(safe.markdown(c) for c in cells) + " |\n"


def show(doc: ShowDoc, lang: str, opts) -> str:
    """What the terminal's ``show`` says (:mod:`eduplan.render.show_lines`), as markdown."""
    _ = gettext(lang)
    ind = doc.row.indicator
    other = ind.name if lang == "en" else None  # the plan's own name beside an English one (not the other way)
    out = f"## {safe.markdown(name_of(ind, lang))}{bracketed(f'`{ind.id}`', lang)}\n\n"
    if other:
        out += f"{safe.markdown(other)}\n\n"
    out += "\n".join(f"- {safe.markdown(k)}{colon(lang)}{safe.markdown(v)}" for k, v in show_lines.lines(doc, lang))
    out += "\n\n"
    counties = show_lines.county_rows(doc, lang)
    if counties:
        out += f"### {safe.markdown(_('County-level units'))}\n\n"
        out += md_table([_("county-level unit"), _("figure"), _("as of"), "#"], counties, ["l", "r", "l", "r"]) + "\n"
    out += f"### {safe.markdown(_('history'))}\n\n"
    if not doc.history:
        return out + safe.markdown(_("No entries.")) + "\n"
    out += md_table(["#", _("county-level unit"), _("as of"), _("value"), _("remarks"), _("by")], [
        [r.entry.id, unit_name(r.entry.county, lang), r.entry.as_of, stored_value(r.entry, ind.unit, lang),
         remark(r, lang), r.entry.by] for r in doc.history], ["r", "l", "l", "r", "l", "l"])
    return out


def coverage(doc, lang: str, opts) -> str:
    """The source text sentence by sentence: each clause that commits to something, and what
    covers it (an indicator, a pace, a commitment considered and not tracked, a heading)."""
    from ..i18n import msg

    _ = gettext(lang)
    plan = doc.plan
    title = plan.plan.title if lang == "zh" else (plan.plan.title_en or plan.plan.title)
    committing, uncovered = doc.committing, doc.uncovered
    out = [f"## {safe.markdown(msg('Coverage of the text: {title}', title=title).render(lang))}\n",
           safe.markdown(msg("Source: {source} · {sentences} sentences · {clauses} clauses that commit to something "
                             "({words}) · {covered} covered · {uncovered} not covered", source=doc.source,
                             sentences=len(doc.sentences), clauses=len(committing), covered=len(committing) - len(uncovered),
                             uncovered=len(uncovered), words="、".join(("完成", "实现", "确保", "建成", "新增", "达到", "…")))
                         .render(lang)) + "\n",
           safe.markdown(_("✔ covered · ✖ commits to something and is not covered · — says nothing to check")) + "\n"]
    reasons = {str(n): (nt.reason_en or nt.reason) if lang == "en" else nt.reason
               for n, nt in enumerate(plan.not_tracked, start=1)}

    def cover_text(c) -> str:  # markdown: ids are slugs, every text from the plan is escaped
        if c.kind == "indicator":
            return f"`{c.ref}` {safe.markdown(name_of(plan.by_id[c.ref], lang))}"
        if c.kind == "pace":
            return msg("the pace of {id}", id=f"`{c.ref}`").render(lang)
        if c.kind == "section":
            return msg("heading {id}", id=f"`{c.ref}`").render(lang)
        return msg("not tracked: {reason}", reason=safe.markdown(reasons[c.ref])).render(lang)

    for sentence in doc.sentences:
        out.append(f"{sentence.number}. {safe.markdown(sentence.text)}")
        for clause in sentence.clauses:
            if not clause.covered_by and not clause.commits:
                continue
            mark = "✔" if clause.covered_by else "✖"
            covers = clause_separator(lang).join(cover_text(c) for c in clause.covered_by) or safe.markdown(_("not covered"))
            out.append(f"    - {mark} {safe.markdown(clause.text)} → {covers}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _named(plan, indicator: str, lang: str) -> str:
    ind = plan.indicator(indicator)
    return name_of(ind, lang) if ind else indicator


def quality_summary(doc: QualityReport, lang: str) -> str:
    return findings_sentence(doc.summary, doc.as_of, doc.entries, lang)


def quality(doc: QualityReport, lang: str, opts) -> str:
    _ = gettext(lang)
    title = msg("Data quality · as of {day}", day=doc.as_of).render(lang)
    if doc.scoped:
        title += f" · {unit_name(doc.county, lang)}"
    out = [f"## {safe.markdown(title)}\n", safe.markdown(quality_summary(doc, lang)) + "\n"]
    if doc.findings:
        out.append(md_table([_("rule"), _("indicator"), _("county-level unit"), _("entries"), _("finding")], [
            [rule_label(f.rule, lang), _named(doc.plan, f.indicator, lang), unit_name(f.county, lang), finding_refs(f, lang),
             f.message.render(lang)]
            for f in doc.findings], ["l", "l", "l", "l", "l"]))
    return "\n".join(out)


__all__ = ["status", "plan", "log", "show", "coverage", "quality", "state_label"]
