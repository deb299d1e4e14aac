"""The monthly bulletin as JSON and Markdown, and the words and cells every bulletin format shares.

Standard library only (no rich): ``report --format json|markdown`` never imports it.
The HTML and xlsx renderers take their sentences and cells from here, so that every
format says the same thing the same way.
"""

from __future__ import annotations

from ..numbers import format_number
from ..progress import Progress
from ..report import Bulletin, Recorded, Row
from .data import SCHEMA_VERSION, _num, entry_doc, progress_doc
from .human import approx, figure, pct, per_month, to_go
from .labels import ORDINALS, name_of, section_title, state_label, status_label
from .text import md_escape, md_table, to_json

STATUS_ORDER = ("done", "on_track", "lagging", "behind", "no_data")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


# --------------------------------------------------------------------------- words


def day_text(day, lang: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def month_text(b: Bulletin, lang: str) -> str:
    return f"{b.year}年{b.month}月" if lang == "zh" else f"{MONTHS_EN[b.month - 1]} {b.year}"


def title(b: Bulletin, lang: str) -> str:
    info = b.plan.plan
    if lang == "zh":
        return f"{info.title} · {month_text(b, lang)}月度通报"
    return f"{info.title_en or info.title}: monthly bulletin, {month_text(b, lang)}"


def headline_sentence(b: Bulletin, lang: str) -> str:
    """The overall picture in one sentence."""
    s = b.summary
    total = sum(s.values())
    short = s["lagging"] + s["behind"]
    tp = pct(b.current.time_progress, 1)
    if lang == "zh":
        counts = "、".join(f"{status_label(k, lang)}{s[k]}项" for k in STATUS_ORDER if s[k])
        if short:
            verdict = f"{short}项低于序时进度或目标，需加快推进"
        elif s["no_data"] == total:
            verdict = "尚无任何填报数据"
        elif s["no_data"]:
            verdict = "有数据的指标均达到序时进度"
        else:
            verdict = "全部指标达到序时进度"
        return f"截至{day_text(b.as_of, lang)}，序时进度{tp}，{total}项指标中{counts or '无指标'}；{verdict}。"
    words = {"done": "done", "on_track": "on track", "lagging": "lagging", "behind": "behind", "no_data": "without data"}
    parts = [f"{s[k]} {words[k]}" for k in STATUS_ORDER if s[k]]
    counts = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else "none"
    if short:
        verdict = f"{short} fall short of time progress or target and need to speed up"
    elif s["no_data"] == total:
        verdict = "nothing has been recorded yet"
    elif s["no_data"]:
        verdict = "every indicator with data is at or ahead of time progress"
    else:
        verdict = "every indicator is at or ahead of time progress"
    return f"As of {day_text(b.as_of, lang)}, with {tp} of the period elapsed, of {total} indicators {counts}; {verdict}."


def action_title(section, lang: str) -> str:
    """An action's name under a "ten actions" heading: ``一、“双创”覆盖倍增行动``."""
    if lang == "zh":
        n = section.number
        return f"{ORDINALS[n - 1] if 1 <= n <= 10 else n}、{section.name}"
    return f"{section.number}. {section.name_en or section.name}"


def recorded_basis(b: Bulletin, lang: str) -> str:
    if lang == "zh":
        return f"按数据截至日期（as_of）在{b.start}至{b.as_of}之间统计，含更正与作废；录入时间不影响归属月份。"
    return (f"Entries whose as-of date falls between {b.start} and {b.as_of}, corrections and voids included; "
            "when a figure was typed in does not matter.")


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
    p, q = row.now, row.previous
    if row.delta_actual is None:
        if p.state is not None and p.actual is None:
            before = q.state.value if q is not None and q.state is not None else None
            if before == p.state.value:
                return "±0" if lang != "zh" else "持平"
            return f"{state_label(before, lang)}→{state_label(p.state.value, lang)}"
        return "—"
    ind = p.indicator
    if ind.is_percent:
        text = signed(row.delta_actual, "", 1)
        return text if text == "±0" else text + (" 个百分点" if lang == "zh" else " pp")
    if ind.measure.value == "counties":
        text = signed(row.delta_actual)
        return text if text == "±0" else text + ("个县" if lang == "zh" else " counties")
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


def entry_value(r: Recorded, plan, lang: str) -> str:
    e = r.entry
    ind = plan.indicator(e.indicator)
    if e.void:
        return "作废" if lang == "zh" else "void"
    if e.state is not None:
        return state_label(e.state.value, lang)
    text = format_number(e.value, ind.unit if ind else "")
    if e.numerator is not None:
        text += f" ({format_number(e.numerator)}/{format_number(e.denominator)})"
    return text


def entry_remark(r: Recorded, lang: str) -> str:
    e = r.entry
    zh = lang == "zh"
    parts = []
    if e.supersedes is not None:
        verb = ("作废" if e.void else "更正") if zh else ("voids" if e.void else "corrects")
        parts.append(f"{verb} #{e.supersedes}: {e.reason}")
    if r.superseded_by is not None:
        later = r.superseded_by
        parts.append((f"已被 #{later.id} {'作废' if later.void else '更正'}") if zh
                     else f"{'voided' if later.void else 'corrected'} by #{later.id}")
    if e.note:
        parts.append(e.note)
    if e.source:
        parts.append(("来源: " if zh else "source: ") + e.source)
    return "; ".join(parts)


# --------------------------------------------------------------------------- JSON


def row_doc(row: Row) -> dict:
    d = progress_doc(row.now)
    d.pop("counties")
    q = row.previous
    d["previous"] = None if q is None else {
        "actual": _num(q.actual), "completion": _num(q.completion), "status": q.status.value,
        "state": q.state.value if q.state else None,
        "figure_as_of": q.as_of_figure.isoformat() if q.as_of_figure else None,
    }
    d["delta"] = {"actual": _num(row.delta_actual), "completion": _num(row.delta_completion)}
    d["newly_done"] = row.newly_done
    return d


def _brief(row: Row) -> dict:
    p = row.now
    return {"id": p.indicator.id, "name": p.indicator.name, "name_en": p.indicator.name_en,
            "measure": p.indicator.measure.value, "unit": p.indicator.unit,
            "figure_as_of": p.as_of_figure.isoformat() if p.as_of_figure else None}


def bulletin_doc(b: Bulletin, lang: str = "zh") -> dict:
    summary = b.summary
    prev = b.previous_summary
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "monthly-bulletin",
        "plan": {"id": b.plan.plan.id, "title": b.plan.plan.title, "title_en": b.plan.plan.title_en},
        "month": b.label,
        "from": b.start.isoformat(),
        "as_of": b.as_of.isoformat(),
        "previous_as_of": b.previous_as_of.isoformat() if b.previous_as_of else None,
        "lang": lang,
        "headline": {
            "sentence": headline_sentence(b, lang),
            "time_progress": _num(b.current.time_progress),
            "previous_time_progress": _num(b.previous.time_progress) if b.previous else None,
            "months_left": _num(b.months_left, 4),
            "summary": summary | {"total": sum(summary.values())},
            "previous_summary": (prev | {"total": sum(prev.values())}) if prev else None,
            "change": {k: summary[k] - prev[k] for k in summary} if prev else None,
        },
        "sections": [
            {"id": blk.section.id, "kind": blk.section.kind.value, "number": blk.section.number,
             "name": blk.section.name, "name_en": blk.section.name_en, "title": section_title(blk.section, lang),
             "summary": blk.summary, "indicators": [r.indicator.id for r in blk.rows]}
            for blk in b.sections
        ],
        "indicators": [row_doc(r) for r in b.rows],
        "attention": [
            {"rank": n, "id": r.indicator.id, "name": r.indicator.name, "name_en": r.indicator.name_en,
             "status": r.now.status.value, "measure": r.indicator.measure.value, "unit": r.indicator.unit,
             "actual": _num(r.now.actual), "target": _num(r.now.target), "completion": _num(r.now.completion),
             "lag_pp": _num(r.now.lag_pp, 4), "gap_pp": _num(r.now.gap_pp, 4),
             "remaining": _num(r.now.remaining), "monthly_needed": _num(r.now.monthly_needed, 4),
             "state": r.now.state.value if r.now.state else None}
            for n, r in enumerate(b.attention, start=1)
        ],
        "recorded": {
            "basis": "as_of",
            "from": b.start.isoformat(), "to": b.as_of.isoformat(),
            "count": len(b.recorded),
            "entries": [entry_doc(r.entry, {r.entry.id: r.superseded_by} if r.superseded_by else None)
                        | {"kind": r.kind} for r in b.recorded],
        },
        "silent_counties": {
            "reported_per_county": list(b.reported_per_county),
            "counties": [{"county": s.county, "indicators": list(s.indicators)} for s in b.silent],
        },
        "milestones_done": [_brief(r) for r in b.milestones_done],
        "targets_met": [_brief(r) for r in b.targets_met],
    }


def bulletin_json(b: Bulletin, lang: str = "zh") -> str:
    return to_json(bulletin_doc(b, lang))


# --------------------------------------------------------------------------- Markdown


def section_headers(lang: str) -> list[str]:
    if lang == "zh":
        return ["指标", "id", "实际/目标", "完成", "状态", "较上月", "完成率较上月(百分点)"]
    return ["Indicator", "id", "Actual/target", "Done", "Status", "Δ figure", "Δ completion (pp)"]


def section_cells(row: Row, lang: str) -> list[str]:
    p = row.now
    return [name_of(p.indicator, lang), p.indicator.id, figure(p, lang), pct(p.completion),
            status_label(p.status.value, lang), delta_figure(row, lang), delta_points(row.delta_completion)]


def attention_headers(lang: str) -> list[str]:
    if lang == "zh":
        return ["#", "指标", "状态", "实际/目标", "完成", "差距(百分点)", "尚需", "每月需完成"]
    return ["#", "Indicator", "Status", "Actual/target", "Done", "Short by (pp)", "To go", "Needed per month"]


def attention_cells(n: int, row: Row, lang: str) -> list[str]:
    p = row.now
    return [str(n), f"{name_of(p.indicator, lang)} ({p.indicator.id})", status_label(p.status.value, lang),
            figure(p, lang), pct(p.completion), lag_text(p), to_go(p, lang), per_month(p, lang)]


def recorded_headers(lang: str) -> list[str]:
    return ["#", "指标", "县", "截至", "数值", "说明", "填报人"] if lang == "zh" else \
        ["#", "Indicator", "County", "As of", "Value", "Remarks", "By"]


def recorded_cells(r: Recorded, plan, lang: str) -> list[str]:
    e = r.entry
    return [str(e.id), e.indicator, e.county or ("全市" if lang == "zh" else "city"), e.as_of.isoformat(),
            entry_value(r, plan, lang), entry_remark(r, lang), e.by]


def summary_rows(b: Bulletin, lang: str) -> list[list[str]]:
    s, prev = b.summary, b.previous_summary
    rows = []
    for k in STATUS_ORDER:
        change = "—" if prev is None else (f"{s[k] - prev[k]:+d}" if s[k] != prev[k] else "±0")
        rows.append([status_label(k, lang), str(s[k]), "—" if prev is None else str(prev[k]), change])
    total = sum(s.values())
    rows.append(["合计" if lang == "zh" else "Total", str(total), "—" if prev is None else str(sum(prev.values())), ""])
    return rows


def bulletin_markdown(b: Bulletin, lang: str = "zh") -> str:
    zh = lang == "zh"
    plan = b.plan
    out = [f"# {md_escape(title(b, lang))}\n"]
    prev = f"{'上月末' if zh else 'previous month end'} {b.previous_as_of}" if b.previous_as_of else ""
    out.append(f"{'截至' if zh else 'As of'} **{b.as_of}** · {'序时进度' if zh else 'time progress'} "
               f"**{pct(b.current.time_progress, 1)}**" + (f" · {prev}" if prev else "") + "\n")

    out.append(f"## {'一、总体情况' if zh else '1. Overview'}\n")
    out.append(md_escape(headline_sentence(b, lang)) + "\n")
    out.append(md_table(["状态", "本月末", "上月末", "变化"] if zh else ["Status", "Month end", "Previous", "Change"],
                        summary_rows(b, lang), align=["l", "r", "r", "r"]))

    out.append(f"## {'二、分领域进展' if zh else '2. By section'}\n")
    actions = [blk for blk in b.sections if blk.section.kind.value == "action"]
    for blk in b.sections:
        if blk.section.kind.value == "action":
            continue
        out.append(f"### {md_escape(section_title(blk.section, lang))}\n")
        out.append(md_table(section_headers(lang), [section_cells(r, lang) for r in blk.rows],
                            align=["l", "l", "r", "r", "l", "r", "r"]))
    if actions:
        out.append(f"### {'十大行动（指标分布）' if zh else 'The ten actions (indicators by status)'}\n")
        headers = ["行动", "指标数"] + [status_label(k, lang) for k in STATUS_ORDER] if zh else \
            ["Action", "Indicators"] + [status_label(k, lang) for k in STATUS_ORDER]
        out.append(md_table(headers, [
            [action_title(blk.section, lang), len(blk.rows)] + [blk.summary[k] for k in STATUS_ORDER]
            for blk in actions
        ], align=["l"] + ["r"] * (len(STATUS_ORDER) + 1)))

    out.append(f"## {'三、滞后与落后指标' if zh else '3. Lagging and behind'}\n")
    if b.attention:
        out.append(md_table(attention_headers(lang), [attention_cells(n, r, lang) for n, r in enumerate(b.attention, 1)],
                            align=["r", "l", "l", "r", "r", "r", "r", "r"]))
        out.append(("差距：累计类指标为低于序时进度的百分点，比例类指标为低于目标的百分点。每月需完成 = 尚需 ÷ 剩余月数"
                    f"（{b.months_left:.1f}个月）。\n") if zh else
                   ("Short by: points below time progress (flows) or below the target (levels). Needed per month = "
                    f"to go ÷ months left ({b.months_left:.1f}).\n"))
    else:
        out.append(("本月末没有滞后或落后的指标。" if zh else "No indicator is lagging or behind at the month end.") + "\n")

    out.append(f"## {'四、本月填报情况' if zh else '4. Recorded this month'}\n")
    out.append(md_escape(recorded_basis(b, lang)) + "\n")
    if b.recorded:
        out.append(md_table(recorded_headers(lang), [recorded_cells(r, plan, lang) for r in b.recorded],
                            align=["r", "l", "l", "l", "r", "l", "l"]))
    else:
        out.append(("本月没有填报记录。" if zh else "Nothing was recorded for this month.") + "\n")
    out.append(f"### {'未报送的县（市、区）' if zh else 'Counties that sent nothing'}\n")
    if not b.reported_per_county:
        out.append(("尚无分县填报的指标。" if zh else "No indicator is reported per county yet.") + "\n")
    elif b.silent:
        out.append((f"分县填报的指标共{len(b.reported_per_county)}项；下列县（市、区）本月未报送其中的指标：" if zh else
                    f"{len(b.reported_per_county)} indicators are reported per county; these counties sent nothing "
                    "this month for:") + "\n")
        out.append(md_table(["县（市、区）", "未报送", "指标"] if zh else ["County", "Missing", "Indicators"],
                            [[s.county, f"{len(s.indicators)}/{len(b.reported_per_county)}", "、".join(s.indicators)
                              if zh else ", ".join(s.indicators)] for s in b.silent], align=["l", "r", "l"]))
    else:
        out.append(("各县（市、区）本月均已报送分县指标。" if zh else "Every county sent figures for every indicator it reports on.") + "\n")

    out.append(f"## {'五、本月完成' if zh else '5. Completed this month'}\n")
    done = b.milestones_done
    met = b.targets_met
    if not done and not met:
        out.append(("本月没有新完成的节点或目标。" if zh else "No milestone or target was completed this month.") + "\n")
    if done:
        out.append(f"{'完成的节点' if zh else 'Milestones done'}:\n")
        out.extend(f"- {md_escape(name_of(r.indicator, lang))} (`{r.indicator.id}`, {r.now.as_of_figure})" for r in done)
        out.append("")
    if met:
        out.append(f"{'达到目标的指标' if zh else 'Targets met'}:\n")
        out.extend(f"- {md_escape(name_of(r.indicator, lang))} (`{r.indicator.id}`, {md_escape(figure(r.now, lang))})"
                   for r in met)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
