"""Markdown that pastes into a document: a heading, a summary line, a table per section."""

from __future__ import annotations

from collections.abc import Sequence

from ..models import Entry, Plan
from ..numbers import format_number
from ..progress import StatusReport
from .human import figure, pct
from .labels import MEASURE_LABELS, name_of, section_title, state_label, status_label
from .text import md_escape, md_table


def _grouped(report: StatusReport, section: str | None):
    groups: dict[str, list] = {}
    for p in report.rows:
        key = section if section and section in p.indicator.all_sections else p.indicator.sections[0]
        groups.setdefault(key, []).append(p)
    return [(report.plan.section_by_id[s.id], groups[s.id]) for s in report.plan.sections if s.id in groups]


def status_markdown(report: StatusReport, *, lang: str = "zh", section: str | None = None) -> str:
    zh = lang == "zh"
    plan = report.plan.plan
    title = plan.title if zh else (plan.title_en or plan.title)
    scope = f" · {report.county}" if report.county else ""
    out = [f"## {md_escape(title)}{md_escape(scope)} · {report.as_of}\n"]
    summary = " · ".join(f"{status_label(k, lang)} {v}" for k, v in report.summary.items())
    out.append(f"{'序时进度' if zh else 'Time progress'} **{pct(report.time_progress, 1)}** · {summary}\n")
    headers = ["指标", "id", "实际/目标", "完成", "状态"] if zh else ["Indicator", "id", "Actual/target", "Done", "Status"]
    for sec, rows in _grouped(report, section):
        out.append(f"### {md_escape(section_title(sec, lang))}\n")
        out.append(md_table(headers, [
            [name_of(p.indicator, lang), p.indicator.id, figure(p, lang), pct(p.completion), status_label(p.status.value, lang)]
            for p in rows
        ], align=["l", "l", "r", "r", "l"]))
    return "\n".join(out)


def plan_markdown(plan: Plan, *, lang: str = "zh") -> str:
    zh = lang == "zh"
    out = [f"## {md_escape(plan.plan.title if zh else plan.plan.title_en)}\n"]
    for sec in plan.sections:
        inds = plan.in_section(sec.id)
        if not inds:
            continue
        out.append(f"### {md_escape(section_title(sec, lang))}\n")
        out.append(md_table(["指标", "id", "目标", "类型"] if zh else ["Indicator", "id", "Target", "Kind"], [
            [name_of(i, lang), i.id, "—" if i.target is None else format_number(i.target, i.unit), MEASURE_LABELS[lang][i.measure.value]]
            for i in inds
        ], align=["l", "l", "r", "l"]))
    return "\n".join(out)


def log_markdown(entries: Sequence[Entry], superseded_by: dict[int, Entry], plan: Plan, *, lang: str = "zh") -> str:
    zh = lang == "zh"
    headers = ["#", "指标", "县", "截至", "数值", "说明"] if zh else ["#", "Indicator", "County", "As of", "Value", "Note"]
    rows = []
    for e in entries:
        ind = plan.indicator(e.indicator)
        if e.void:
            value = "作废" if zh else "void"
        elif e.state is not None:
            value = state_label(e.state.value, lang)
        else:
            value = format_number(e.value, ind.unit if ind else "")
        what = []
        if e.supersedes is not None:
            what.append(f"{'更正' if zh else 'corrects'} #{e.supersedes}: {e.reason}")
        if e.id in superseded_by:
            what.append(f"{'已被更正' if zh else 'superseded by'} #{superseded_by[e.id].id}")
        if e.note:
            what.append(e.note)
        rows.append([e.id, e.indicator, e.county or "—", e.as_of, value, "; ".join(what)])
    return md_table(headers, rows, align=["r", "l", "l", "l", "r", "l"])
