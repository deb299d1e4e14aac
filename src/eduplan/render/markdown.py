"""Markdown that pastes into a document: a heading, a summary line, a table per section."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.documents import LogDoc, PlanDoc, QualityReport, ShowDoc
from ..core.progress import StatusReport
from . import safe
from .figures import figure, pct, stored_value, target_text, to_go_line
from .formats import md_table
from ..i18n import msg
from .words import (finding_refs, findings_sentence, gettext, measure_label, name_of, notes_text, remark, rule_label,
                    section_title, state_label, status_label, unit_name)


def _grouped(report: StatusReport):
    groups: dict[str, list] = {}
    for p in report.rows:
        key = report.section if report.section else p.indicator.sections[0]
        groups.setdefault(key, []).append(p)
    return [(s, groups[s.id]) for s in report.plan.sections if s.id in groups]


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
    if report.by_county is not None:
        counties = list(report.plan.plan.counties)
        rows = []
        for ind_id, cells in report.by_county.items():
            ind = report.plan.by_id[ind_id]
            row = [name_of(ind, lang)]
            for c in counties:
                p = cells[c]
                row.append("·" if p.status.value == "no_data" else f"{figure(p, lang)} {status_label(p.status.value, lang)}")
            rows.append(row)
        out.append(md_table([_("indicator"), *counties], rows, ["l"] + ["r"] * len(counties)))
        return "\n".join(out)
    headers = [_("indicator"), _("id"), _("actual/target"), _("done"), _("status"), _("to go")]
    for sec, rows in _grouped(report):
        out.append(f"### {safe.markdown(section_title(sec, lang))}\n")
        out.append(md_table(headers, [
            [name_of(p.indicator, lang), p.indicator.id, figure(p, lang), pct(p.completion),
             status_label(p.status.value, lang), to_go_line(p, lang)]
            for p in rows
        ], align=["l", "l", "r", "r", "l", "l"]))
    notes = [(p, notes_text(p.notes, lang)) for p in report.rows if p.notes]
    if notes:
        out.append("\n".join(f"- {safe.markdown(name_of(p.indicator, lang))}: {safe.markdown(text)}" for p, text in notes)
                   + "\n")
    return "\n".join(out)


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
            [name_of(i, lang), i.id, target_text(i), measure_label(i.measure.value, lang)] for i in inds
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
    _ = gettext(lang)
    p = doc.row
    ind = p.indicator
    lines = [f"## {safe.markdown(name_of(ind, lang))} (`{ind.id}`)\n",
             f"- {_('source')}: “{safe.markdown(ind.source)}”",
             f"- {_('target')}: {safe.markdown(target_text(ind))}",
             f"- {_('as of')}: {doc.as_of} · {_('time progress')} {pct(doc.time_progress, 1)}",
             f"- {_('figure')}: {safe.markdown(figure(p, lang))} · {pct(p.completion)} · {status_label(p.status.value, lang)}"]
    if p.notes:
        lines.append(f"- {_('note')}: {safe.markdown(notes_text(p.notes, lang))}")
    out = "\n".join(lines) + "\n\n"
    out += md_table(["#", _("county-level unit"), _("as of"), _("value"), _("remarks")], [
        [r.entry.id, unit_name(r.entry.county, lang), r.entry.as_of, stored_value(r.entry, ind.unit, lang), remark(r, lang)]
        for r in doc.history], ["r", "l", "l", "r", "l"])
    return out


def quality_summary(doc: QualityReport, lang: str) -> str:
    return findings_sentence(doc.findings, doc.as_of, doc.entries, lang)


def quality(doc: QualityReport, lang: str, opts) -> str:
    _ = gettext(lang)
    title = msg("Data quality · as of {day}", day=doc.as_of).render(lang)
    if doc.scoped:
        title += f" · {unit_name(doc.county, lang)}"
    out = [f"## {safe.markdown(title)}\n", safe.markdown(quality_summary(doc, lang)) + "\n"]
    if doc.findings:
        out.append(md_table([_("rule"), _("indicator"), _("county-level unit"), _("entries"), _("finding")], [
            [rule_label(f.rule, lang), f.indicator, unit_name(f.county, lang), finding_refs(f), f.message.render(lang)]
            for f in doc.findings], ["l", "l", "l", "l", "l"]))
    return "\n".join(out)


__all__ = ["status", "plan", "log", "show", "quality", "state_label"]
