"""The monthly bulletin as one self-contained HTML file that prints well on A4.

No network, no scripts, no external fonts or images: styles sit in the page, bars and
the status chart are inline SVG. Every text that comes from the plan or the ledger is
escaped with :func:`html.escape`. The same bulletin gives the same bytes.
"""

from __future__ import annotations

from ..core.bulletin import Bulletin, Row
from . import safe
from .bulletin_text import (
    STATUS_ORDER,
    attention_footnote,
    attention_headers,
    day_text,
    delta_figure,
    delta_points,
    entry_value,
    headline_sentence,
    lag_text,
    recorded_basis,
    recorded_headers,
    silent_intro,
    silent_names,
    summary_rows,
    title,
)
from .figures import figure, pct, per_month, to_go
from .words import action_title, gettext, name_of, remark, section_title, status_label, unit_name

COLOURS = {"done": "#1b7f3b", "on_track": "#5aa469", "lagging": "#e0a100", "behind": "#c62828", "no_data": "#b0b0b0"}
PALE = {"done": "#e3f2e7", "on_track": "#edf6ee", "lagging": "#fff5d6", "behind": "#fde7e7", "no_data": "#f1f1f1"}

CSS = """
@page { size: A4; margin: 14mm 12mm 14mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif;
       font-size: 10pt; line-height: 1.45; color: #1f2328; margin: 0 auto; padding: 8mm 6mm; max-width: 200mm; background: #fff; }
h1 { font-size: 17pt; margin: 0 0 2mm; letter-spacing: 0.02em; }
h2 { font-size: 12.5pt; margin: 7mm 0 2.5mm; padding-bottom: 1mm; border-bottom: 1.5pt solid #24476b; color: #24476b;
     break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 4.5mm 0 1.5mm; color: #333; break-after: avoid; page-break-after: avoid; }
p { margin: 1.5mm 0; }
.meta { color: #555; margin-bottom: 4mm; }
.meta b { color: #1f2328; }
.headline { font-size: 11pt; background: #f4f7fb; border-left: 3pt solid #24476b; padding: 2.5mm 3.5mm; margin: 2mm 0 3mm; }
.overview { display: flex; gap: 6mm; align-items: flex-start; break-inside: avoid; page-break-inside: avoid; }
.overview .chart { flex: 1 1 auto; }
.overview table { flex: 0 0 66mm; width: 66mm; }
.legend { display: flex; flex-wrap: wrap; gap: 1mm 4mm; font-size: 9pt; color: #444; margin-top: 1.5mm; }
.legend i { display: inline-block; width: 3mm; height: 3mm; border-radius: 0.6mm; margin-right: 1mm; vertical-align: -0.3mm; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; margin: 1mm 0 2mm; }
thead { display: table-header-group; }
th { text-align: left; font-weight: 600; color: #444; background: #eef2f6; border-bottom: 1pt solid #9aa9b8; padding: 1.2mm 1.5mm; white-space: nowrap; }
td { border-bottom: 0.5pt solid #dde3e9; padding: 0.7mm 1.5mm; vertical-align: middle; line-height: 1.3; }
table.fixed { table-layout: fixed; }
table.fixed th { white-space: normal; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.id { color: #6a737d; font-size: 8pt; }
td.nw { white-space: nowrap; }
td.name small { display: block; color: #6a737d; font-size: 7pt; line-height: 1.15; }
tr.no_data td { color: #8a8f95; }
.pill { display: inline-block; padding: 0.2mm 1.8mm; border-radius: 2mm; font-size: 8.5pt; white-space: nowrap; }
.up { color: #1b7f3b; } .down { color: #c62828; }
.bar { display: block; }
.note { color: #555; font-size: 8.5pt; }
.empty { color: #6a737d; font-style: italic; }
.keep { break-inside: avoid; page-break-inside: avoid; }
.facts { display: flex; gap: 3mm; margin-top: 4mm; }
.fact { flex: 1 1 0; border: 0.5pt solid #dde3e9; border-radius: 1.5mm; padding: 1.8mm 2.5mm; }
.fact b { display: block; font-size: 15pt; line-height: 1.2; color: #24476b; font-variant-numeric: tabular-nums; }
.fact span { font-size: 8.5pt; color: #555; }
ul { margin: 1mm 0 2mm 5mm; padding: 0; }
footer { margin-top: 8mm; color: #8a8f95; font-size: 8pt; border-top: 0.5pt solid #dde3e9; padding-top: 1.5mm; }
@media print { body { padding: 0; max-width: none; } }
""".strip()


SECTION_WIDTHS = [36, 14, 7, 12, 9, 11, 11]


def esc(text: object) -> str:
    return safe.html(text)


def pill(status: str, lang: str) -> str:
    return (f'<span class="pill" style="background:{PALE[status]};color:{COLOURS[status]};'
            f'border:0.5pt solid {COLOURS[status]}">{esc(status_label(status, lang))}</span>')


def completion_bar(row: Row, width: int = 90, height: int = 9) -> str:
    """A bar of completion (capped at 100 %) with a mark where the expected share stands."""
    p = row.now
    if p.completion is None:
        return ""
    fill = max(0.0, min(p.completion, 1.0)) * width
    colour = COLOURS[p.status.value]
    mark = ""
    if p.expected is not None:
        x = round(min(p.expected, 1.0) * width, 1)
        mark = f'<line x1="{x}" y1="0" x2="{x}" y2="{height}" stroke="#24476b" stroke-width="1.4"/>'
    return (f'<svg class="bar" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{esc(pct(p.completion))}"><rect width="{width}" height="{height}" rx="1.5" fill="#e9edf1"/>'
            f'<rect width="{round(fill, 1)}" height="{height}" rx="1.5" fill="{colour}"/>{mark}</svg>')


def status_chart(summary: dict[str, int], lang: str, width: int = 420, height: int = 22) -> str:
    """One stacked bar: how many indicators are in each status, with a legend."""
    total = sum(summary.values()) or 1
    x = 0.0
    parts = []
    for k in STATUS_ORDER:
        n = summary[k]
        if not n:
            continue
        w = n / total * width
        parts.append(f'<rect x="{round(x, 2)}" width="{round(w, 2)}" height="{height}" fill="{COLOURS[k]}"/>')
        if w >= 18:
            parts.append(f'<text x="{round(x + w / 2, 2)}" y="{height / 2 + 4}" text-anchor="middle" font-size="11" '
                         f'fill="#fff" font-weight="600">{n}</text>')
        x += w
    legend = "".join(f'<span><i style="background:{COLOURS[k]}"></i>{esc(status_label(k, lang))} {summary[k]}</span>'
                     for k in STATUS_ORDER)
    return (f'<svg width="100%" height="{height}" viewBox="0 0 {width} {height}" preserveAspectRatio="none" '
            f'role="img" aria-label="status">{"".join(parts)}</svg><div class="legend">{legend}</div>')


def mini_stack(summary: dict[str, int], width: int = 110, height: int = 9) -> str:
    total = sum(summary.values()) or 1
    x = 0.0
    parts = []
    for k in STATUS_ORDER:
        if summary[k]:
            w = summary[k] / total * width
            parts.append(f'<rect x="{round(x, 2)}" width="{round(w, 2)}" height="{height}" fill="{COLOURS[k]}"/>')
            x += w
    return f'<svg class="bar" width="{width}" height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'


def _signed_class(text: str) -> str:
    if text.startswith("+"):
        return " up"
    if text.startswith("−") or text.startswith("-"):
        return " down"
    return ""


def _table(headers: list[tuple[str, str]], body: list[str], widths: list[int] | None = None) -> str:
    """A table; ``widths`` (percentages) fix the columns so that tables of one kind line up."""
    head = "".join(f'<th class="{cls}">{esc(h)}</th>' if cls else f"<th>{esc(h)}</th>" for h, cls in headers)
    if widths is None:
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    return (f'<table class="fixed"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _section_table(b: Bulletin, rows: tuple[Row, ...], lang: str) -> str:
    _ = gettext(lang)
    headers = [(_("indicator"), ""), (_("actual/target"), "n"), (_("done"), "n"), (_("progress"), ""),
               (_("status"), ""), (_("change of the figure"), "n"), (_("change of completion (points)"), "n")]
    body = []
    for r in rows:
        p = r.now
        df = delta_figure(r, lang)
        dp = delta_points(r.delta_completion)
        body.append(
            f'<tr class="{p.status.value}"><td class="name">{esc(name_of(p.indicator, lang))}<small>{esc(p.indicator.id)}</small></td>'
            f'<td class="n">{esc(figure(p, lang))}</td><td class="n">{esc(pct(p.completion))}</td>'
            f"<td>{completion_bar(r)}</td><td>{pill(p.status.value, lang)}</td>"
            f'<td class="n{_signed_class(df)}">{esc(df)}</td><td class="n{_signed_class(dp)}">{esc(dp)}</td></tr>'
        )
    return _table(headers, body, SECTION_WIDTHS)


def bulletin(b: Bulletin, lang: str, opts=None) -> str:
    _ = gettext(lang)
    plan = b.plan
    out: list[str] = []
    w = out.append
    w("<!DOCTYPE html>")
    w(f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">')
    w('<meta name="viewport" content="width=device-width, initial-scale=1">')
    w(f"<title>{esc(title(b, lang))}</title><style>\n{CSS}\n</style></head><body>")
    w(f"<h1>{esc(title(b, lang))}</h1>")
    info = plan.plan
    meta = [f"{_('as of')} <b>{esc(day_text(b.as_of, lang))}</b>",
            f"{_('time progress')} <b>{esc(pct(b.current.time_progress, 1))}</b>"]
    if b.previous_as_of:
        meta.append(f"{_('compared with')} {esc(day_text(b.previous_as_of, lang))}")
    if info.issuer and lang == "zh":
        meta.append(esc(info.issuer))
    w(f'<div class="meta">{" · ".join(meta)}</div>')

    # ---- 1. overview
    w(f"<h2>{_('1. Overview')}</h2>")
    w(f'<p class="headline">{esc(headline_sentence(b, lang))}</p>')
    srows = summary_rows(b, lang)
    body = []
    for k, cells in zip((*STATUS_ORDER, "total"), srows):
        mark = f'<i style="display:inline-block;width:2.4mm;height:2.4mm;border-radius:0.5mm;margin-right:1.2mm;background:{COLOURS[k]}"></i>' \
            if k in COLOURS else ""
        body.append(f'<tr><td class="nw">{mark}{esc(cells[0])}</td>' + "".join(
            f'<td class="n{_signed_class(c) if i == 2 else ""}">{esc(c)}</td>' for i, c in enumerate(cells[1:])) + "</tr>")
    summary_table = _table([(_("status"), ""), (_("month end"), "n"),
                            (_("previous month end"), "n"), (_("change"), "n")], body)
    facts = [
        (str(len(b.milestones_done) + len(b.targets_met)), _("completed this month")),
        (str(len(b.attention)), _("lagging or behind")),
        (str(len(b.recorded)), _("entries this month")),
        (f"{len(b.silent)}/{len(info.counties)}", _("counties missing figures")),
    ]
    tiles = "".join(f'<div class="fact"><b>{esc(v)}</b><span>{esc(k)}</span></div>' for v, k in facts)
    w(f'<div class="overview"><div class="chart">{status_chart(b.summary, lang)}<div class="facts">{tiles}</div></div>'
      f"{summary_table}</div>")

    # ---- 2. sections
    w(f"<h2>{_('2. By section')}</h2>")
    w('<p class="note">' + esc(_("Bars: completion (capped at 100%); the line marks the progress expected by now "
                                 "(flows, counties, milestones). The change of completion is since the previous month "
                                 "end, in points.")) + "</p>")
    for blk in b.sections:
        if blk.section.kind.value == "action":
            continue
        w(f'<div class="section"><h3>{esc(section_title(blk.section, lang))}</h3>{_section_table(b, blk.rows, lang)}</div>')
    actions = [blk for blk in b.sections if blk.section.kind.value == "action"]
    if actions:
        w(f"<h3>{_('The ten actions (indicators by status)')}</h3>")
        headers = [(_("action"), ""), (_("indicators"), "n"), (_("status mix"), "")]
        headers += [(status_label(k, lang), "n") for k in STATUS_ORDER]
        body = [f"<tr><td>{esc(action_title(blk.section, lang))}</td><td class=\"n\">{len(blk.rows)}</td>"
                f"<td>{mini_stack(blk.summary)}</td>" + "".join(f'<td class="n">{blk.summary[k]}</td>' for k in STATUS_ORDER)
                + "</tr>" for blk in actions]
        w(_table(headers, body))

    # ---- 3. attention
    w(f"<h2>{_('3. Lagging and behind')}</h2>")
    if b.attention:
        heads = attention_headers(lang)
        classes = ["n", "", "", "n", "n", "n", "n", "n"]
        body = []
        for n, r in enumerate(b.attention, start=1):
            p = r.now
            body.append(
                f'<tr><td class="n">{n}</td><td class="name">{esc(name_of(p.indicator, lang))}<small>{esc(p.indicator.id)}</small></td>'
                f"<td>{pill(p.status.value, lang)}</td><td class=\"n\">{esc(figure(p, lang))}</td>"
                f'<td class="n">{esc(pct(p.completion))}</td><td class="n">{esc(lag_text(p))}</td>'
                f'<td class="n">{esc(to_go(p, lang))}</td><td class="n">{esc(per_month(p, lang))}</td></tr>')
        w(_table(list(zip(heads, classes)), body))
        w('<p class="note">' + esc(attention_footnote(b, lang)) + "</p>")
    else:
        w(f'<p class="empty">{esc(_("No indicator is lagging or behind at the month end."))}</p>')

    # ---- 4. recorded
    w(f"<h2>{_('4. Recorded this month')}</h2>")
    w(f'<p class="note">{esc(recorded_basis(b, lang))}</p>')
    if b.recorded:
        heads = recorded_headers(lang)
        classes = ["n", "", "", "", "n", "", ""]
        body = []
        for r in b.recorded:
            e = r.entry
            ind = plan.indicator(e.indicator)
            struck = ' style="color:#8a8f95;text-decoration:line-through"' if r.withdrawn else ""
            name = name_of(ind, lang) if ind else e.indicator
            body.append(
                f'<tr><td class="n">{e.id}</td><td class="name"><span{struck}>{esc(name)}</span><small>{esc(e.indicator)}</small></td>'
                f'<td class="nw">{esc(unit_name(e.county, lang))}</td><td class="nw">{esc(e.as_of.isoformat())}</td>'
                f'<td class="n">{esc(entry_value(r, plan, lang))}</td><td>{esc(remark(r, lang))}</td><td>{esc(e.by)}</td></tr>')
        w(_table(list(zip(heads, classes)), body))
    else:
        w(f'<p class="empty">{esc(_("Nothing was recorded for this month."))}</p>')
    w('<div class="keep">')
    w(f"<h3>{_('Counties that sent nothing')}</h3>")
    if not b.reported_per_county:
        w(f'<p class="empty">{esc(_("No indicator is reported per county yet."))}</p>')
    elif b.silent:
        w("<p>" + esc(silent_intro(b, lang)) + "</p>")
        body = []
        for s in b.silent:
            names = silent_names(s.indicators, plan, lang)
            body.append(f'<tr><td>{esc(s.county)}</td><td class="n">{len(s.indicators)}/{len(b.reported_per_county)}</td>'
                        f"<td>{esc(names)}</td></tr>")
        w(_table([(_("county-level unit"), ""), (_("missing"), "n"), (_("indicators"), "")], body))
    else:
        w(f'<p class="empty">{esc(_("Every county sent figures for every indicator it reports on."))}</p>')

    w("</div>")

    # ---- 5. completed
    w('<div class="keep">')
    w(f"<h2>{_('5. Completed this month')}</h2>")
    done, met = b.milestones_done, b.targets_met
    if not done and not met:
        w(f'<p class="empty">{esc(_("No milestone or target was completed this month."))}</p>')
    if done:
        w(f"<h3>{_('Milestones done')}</h3><ul>")
        for r in done:
            w(f"<li>{esc(name_of(r.indicator, lang))} <span class=\"note\">{esc(r.indicator.id)} · "
              f"{esc(r.now.as_of_figure.isoformat() if r.now.as_of_figure else '')}</span></li>")
        w("</ul>")
    if met:
        w(f"<h3>{_('Targets met')}</h3><ul>")
        for r in met:
            w(f"<li>{esc(name_of(r.indicator, lang))} <span class=\"note\">{esc(r.indicator.id)} · {esc(figure(r.now, lang))}</span></li>")
        w("</ul>")
    w("</div>")
    _quality(b, lang, w)
    w(f"<footer>{esc(info.title)} · {esc(b.label)} · eduplan</footer>")
    w("</body></html>")
    return "\n".join(out) + "\n"


def _quality(b: Bulletin, lang: str, w) -> None:
    """6. Data quality: the sentence, the first findings about figures, where the rest is."""
    from .bulletin_text import quality_cells, quality_headers, quality_listed, quality_more, quality_sentence

    esc = safe.html
    _ = gettext(lang)
    w('<div class="keep">')
    w(f"<h2>{_('6. Data quality')}</h2>")
    w(f"<p>{esc(quality_sentence(b, lang))}</p>")
    listed = quality_listed(b)
    if listed:
        body = ["<tr>" + "".join(f"<td>{esc(c)}</td>" for c in quality_cells(f, b.plan, lang)) + "</tr>" for f in listed]
        w(_table([(h, "") for h in quality_headers(lang)], body))
    more = quality_more(b, lang)
    if more:
        w(f'<p class="note">{esc(more)}</p>')
    w("</div>")
