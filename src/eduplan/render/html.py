"""The monthly bulletin as one self-contained HTML file that prints well on A4.

No network, no scripts, no external fonts or images: styles sit in the page, and every
picture is inline SVG drawn here:

* the status mix (one stacked bar) in the overview;
* figure 1, a bullet chart of every indicator: the bar is its completion in the status
  colour, the dark line the target (100 %), the navy mark the progress expected by now
  (序时进度, ``Progress.expected``, drawn where the core put it, never recomputed);
* figure 2, a heat map of the counties × the indicators reported per county: each cell the
  county's completion (or its state) on the colour of its status.

Every text from the plan or the ledger is escaped (:func:`eduplan.render.safe.html`). The
same bulletin gives the same bytes. Labels in a chart are wrapped, never cut.
"""

from __future__ import annotations

import unicodedata

from ..core.bulletin import Bulletin, Row
from ..core.progress import Progress
from ..i18n import colon, gap_after, separator, tr
from . import safe
from .bulletin_text import (
    STATUS_ORDER,
    actions_heading,
    attention_footnote,
    attention_headers,
    audit_headers,
    city_word,
    county_notes,
    day_text,
    delta_figure,
    delta_points,
    done_when_rows,
    entry_value,
    headline_sentence,
    lag_text,
    lead_headers,
    lead_rows,
    receipt_headers,
    receipt_rows,
    received_sentence,
    recorded_basis,
    recorded_headers,
    CARRIED,
    carried_note,
    county_value,
    short_counties,
    silent_intro,
    summary_rows,
    title,
    explained_lines,
)
from .figures import done_and_expected, figure, pct, per_month, to_go
from .words import (
    KIND_OF_ENTRY,
    action_title,
    gettext,
    name_of,
    remark,
    section_title,
    state_label,
    status_label,
    unit_name,
)

COLOURS = {"done": "#1b7f3b", "on_track": "#5aa469", "lagging": "#e0a100", "behind": "#c62828", "not_judged": "#5b7fa6",
           "no_data": "#b0b0b0"}
PALE = {"done": "#e3f2e7", "on_track": "#edf6ee", "lagging": "#fff5d6", "behind": "#fde7e7", "not_judged": "#e8eef5",
        "no_data": "#f1f1f1"}
# the heat map: a fill per status, and the text colour that reads on it
HEAT = {"done": ("#1b7f3b", "#ffffff"), "on_track": ("#b9dfbf", "#1f2328"), "lagging": ("#f6d36b", "#1f2328"),
        "behind": ("#d64541", "#ffffff"),
        "not_judged": ("#dbe5f0", "#24476b"), "no_data": ("#eceff1", "#8a8f95")}
TARGET = "#1f2328"
EXPECTED = "#24476b"

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
h4 { font-size: 9.5pt; margin: 2.5mm 0 0.5mm; color: #444; font-weight: 600; break-after: avoid; page-break-after: avoid; }
p { margin: 1.5mm 0; }
.meta { color: #555; margin-bottom: 4mm; }
.meta b { color: #1f2328; }
.headline { font-size: 11pt; background: #f4f7fb; border-left: 3pt solid #24476b; padding: 2.5mm 3.5mm; margin: 2mm 0 3mm; }
.overview { display: flex; gap: 6mm; align-items: flex-start; break-inside: avoid; page-break-inside: avoid; }
.overview .chart { flex: 1 1 auto; }
.overview table { flex: 0 0 66mm; width: 66mm; }
.legend { display: flex; flex-wrap: wrap; gap: 1mm 4mm; font-size: 8.5pt; color: #444; margin: 1mm 0; }
.legend i { display: inline-block; width: 3mm; height: 3mm; border-radius: 0.6mm; margin-right: 1mm; vertical-align: -0.3mm; }
.legend svg { vertical-align: -0.5mm; margin-right: 1mm; }
figure { margin: 2mm 0 4mm; }
figcaption { font-weight: 600; font-size: 10pt; margin-bottom: 1mm; color: #24476b; }
.chart-block { break-inside: avoid; page-break-inside: avoid; }
svg.chart { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; margin: 1mm 0 2mm; }
thead { display: table-header-group; }
th { text-align: left; font-weight: 600; color: #444; background: #eef2f6; border-bottom: 1pt solid #9aa9b8; padding: 1.2mm 1.5mm; white-space: nowrap; }
td { border-bottom: 0.5pt solid #dde3e9; padding: 0.7mm 1.5mm; vertical-align: middle; line-height: 1.3; }
table.fixed { table-layout: fixed; }
table.fixed th { white-space: normal; }
table.wrap-heads th { white-space: normal; vertical-align: bottom; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.nw { white-space: nowrap; }
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
.appendix { break-before: page; page-break-before: always; }
table.small { font-size: 8pt; }
ul { margin: 1mm 0 2mm 5mm; padding: 0; }
footer { margin-top: 8mm; color: #8a8f95; font-size: 8pt; border-top: 0.5pt solid #dde3e9; padding-top: 1.5mm; }
@media print { body { padding: 0; max-width: none; } }
""".strip()

SECTION_WIDTHS = [40, 17, 8, 11, 12, 12]

# --------------------------------------------------------------------------- geometry of the charts (SVG units)

WIDTH = 700  # the charts' width; they scale to the page
LABEL_W = 250  # the name column of a chart
FONT = 10.5  # label size
LINE = 13  # a label line's height
BAR_X = 258  # where the bars start
BAR_W = 340  # 0 … MAX_SHOWN of the target
MAX_SHOWN = 1.25  # completion beyond this is drawn to the edge, with an arrow
VALUE_X = WIDTH  # completion, right-aligned at the edge


def cell_len(text: str) -> int:
    """Columns a text takes: two for a wide (CJK) character, one for others."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def esc(text: object) -> str:
    return safe.html(text)


def _fmt(x: float) -> str:
    """A coordinate: short, and the same bytes for the same number."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def wrap(text: str, width: float, size: float = FONT) -> list[str]:
    """A label in lines that fit ``width`` units at ``size`` (a wide character ≈ 1 em, others ≈ 0.55 em):
    at spaces where there are any, else between characters. Never cut."""
    per_cell = size * 0.55  # rich's cell length: a wide character is two cells
    limit = max(1, int(width / per_cell))
    if cell_len(text) <= limit:
        return [text]
    lines: list[str] = []
    current = ""
    tokens = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    for token in tokens:
        candidate = f"{current}{joiner}{token}" if current else token
        if cell_len(candidate) <= limit or not current:
            current = candidate
        else:
            lines.append(current)
            current = token
    if current:
        lines.append(current)
    return lines


def _label(lines: list[str], x: float, y_mid: float, anchor: str = "start", size: float = FONT,
           weight: str = "", fill: str = "#1f2328") -> str:
    first = y_mid - (len(lines) - 1) * LINE / 2 + size * 0.36
    spans = "".join(f'<tspan x="{_fmt(x)}" y="{_fmt(first + k * LINE)}">{esc(line)}</tspan>'
                    for k, line in enumerate(lines))
    bold = f' font-weight="{weight}"' if weight else ""
    return f'<text font-size="{_fmt(size)}" text-anchor="{anchor}" fill="{fill}"{bold}>{spans}</text>'


def pill(status: str, lang: str) -> str:
    return (f'<span class="pill" style="background:{PALE[status]};color:{COLOURS[status]};'
            f'border:0.5pt solid {COLOURS[status]}">{esc(status_label(status, lang))}</span>')


# --------------------------------------------------------------------------- figure 1: the bullet chart


def _x(completion: float) -> float:
    return BAR_X + min(max(completion, 0.0), MAX_SHOWN) / MAX_SHOWN * BAR_W


def bullet_row(p: Progress, y: float, height: float, lang: str) -> str:
    """One indicator: the track (the target's range darker), the bar, the target line, the 序时 mark."""
    mid = y + height / 2
    bar_h = 8
    out = [f'<rect x="{BAR_X}" y="{_fmt(mid - bar_h / 2)}" width="{BAR_W}" height="{bar_h}" fill="#f1f3f5"/>',
           f'<rect x="{BAR_X}" y="{_fmt(mid - bar_h / 2)}" width="{_fmt(_x(1.0) - BAR_X)}" height="{bar_h}" '
           f'fill="#e2e7ec"/>']
    status = p.status.value
    done = p.done_share  # (a cap: the share of it used, and the target line the cap)
    if done is not None and done > 0:
        out.append(f'<rect x="{BAR_X}" y="{_fmt(mid - bar_h / 2 + 1.5)}" width="{_fmt(_x(done) - BAR_X)}" '
                   f'height="{bar_h - 3}" fill="{COLOURS[status]}"/>')
        if done > MAX_SHOWN:
            tip = _x(MAX_SHOWN)
            out.append(f'<path d="M{_fmt(tip)} {_fmt(mid - 5)} L{_fmt(tip + 6)} {_fmt(mid)} L{_fmt(tip)} '
                       f'{_fmt(mid + 5)} Z" fill="{COLOURS[status]}"/>')
    elif p.state is not None:  # a milestone in progress or not started: its state, in words
        out.append(_label([state_label(p.state.value, lang)], BAR_X + 4, mid, size=8.5, fill="#6a737d"))
    elif p.actual is None:
        out.append(_label([status_label("no_data", lang)], BAR_X + 4, mid, size=8.5, fill="#8a8f95"))
    target_x = _x(1.0)
    out.append(f'<line x1="{_fmt(target_x)}" y1="{_fmt(mid - 7)}" x2="{_fmt(target_x)}" y2="{_fmt(mid + 7)}" '
               f'stroke="{TARGET}" stroke-width="1.6"/>')
    if p.expected is not None:
        ex = _x(p.expected)
        out.append(f'<line x1="{_fmt(ex)}" y1="{_fmt(mid - 6)}" x2="{_fmt(ex)}" y2="{_fmt(mid + 6)}" '
                   f'stroke="{EXPECTED}" stroke-width="1.2"/>'
                   f'<path d="M{_fmt(ex - 3.5)} {_fmt(mid - 9)} L{_fmt(ex + 3.5)} {_fmt(mid - 9)} L{_fmt(ex)} '
                   f'{_fmt(mid - 5)} Z" fill="{EXPECTED}"/>')
    value = pct(done) if done is not None else "—"
    out.append(_label([value], VALUE_X, mid, anchor="end", size=9.5, fill=COLOURS[status] if status != "no_data"
                      else "#8a8f95", weight="600"))
    return "".join(out)


def _axis(y: float, lang: str) -> str:
    """The scale above a block of bullets: 0, 50 %, 100 % (the target), 125 %."""
    out = []
    for share, text in ((0.0, "0"), (0.5, "50%"), (1.0, "100%"), (MAX_SHOWN, f"{MAX_SHOWN:.0%}")):
        x = _x(share)
        anchor = "start" if share == 0 else "end" if share == MAX_SHOWN else "middle"
        out.append(f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="8.5" fill="#6a737d" '
                   f'text-anchor="{anchor}">{esc(text)}</text>')
    return "".join(out)


def bullet_chart(rows: tuple[Row, ...], lang: str, caption: str) -> str:
    """A block of the bullet chart: one row per indicator, with its name wrapped beside it."""
    labels = [wrap(name_of(r.indicator, lang), LABEL_W - 6) for r in rows]
    heights = [max(18.0, len(lines) * LINE + 5) for lines in labels]
    top = 14.0
    total = top + sum(heights) + 2
    out = [_axis(10, lang)]
    y = top
    for k, (r, lines, h) in enumerate(zip(rows, labels, heights)):
        if k % 2:
            out.append(f'<rect x="0" y="{_fmt(y)}" width="{WIDTH}" height="{_fmt(h)}" fill="#fafbfc"/>')
        out.append(_label(lines, 0, y + h / 2))
        out.append(bullet_row(r.now, y, h, lang))
        y += h
    for share in (0.5,):  # a faint guide at half the target
        x = _x(share)
        out.insert(1, f'<line x1="{_fmt(x)}" y1="{_fmt(top)}" x2="{_fmt(x)}" y2="{_fmt(total - 2)}" '
                      f'stroke="#d5dbe1" stroke-width="0.6" stroke-dasharray="2 2"/>')
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {_fmt(total)}" role="img" aria-label="{esc(caption)}">'
            f"<title>{esc(caption)}</title>{''.join(out)}</svg>")


def bullet_legend(lang: str) -> str:
    _ = gettext(lang)
    bar = (f'<svg width="22" height="10" viewBox="0 0 22 10"><rect width="22" height="10" fill="#e2e7ec"/>'
           f'<rect y="2" width="14" height="6" fill="{COLOURS["on_track"]}"/></svg>')
    target = (f'<svg width="6" height="12" viewBox="0 0 6 12"><line x1="3" y1="0" x2="3" y2="12" stroke="{TARGET}" '
              f'stroke-width="1.6"/></svg>')
    mark = (f'<svg width="8" height="12" viewBox="0 0 8 12"><path d="M0.5 0 L7.5 0 L4 4 Z" fill="{EXPECTED}"/>'
            f'<line x1="4" y1="2" x2="4" y2="12" stroke="{EXPECTED}" stroke-width="1.2"/></svg>')
    return (f'<div class="legend"><span>{bar}{esc(_("completion, in the colour of its status"))}</span>'
            f'<span>{target}{esc(_("target (100%)"))}</span>'
            f'<span>{mark}{esc(_("expected by now (time progress)"))}</span></div>')


# --------------------------------------------------------------------------- figure 2: the heat map


def heat_map(b: Bulletin, lang: str, caption: str) -> str:
    """Counties × indicators reported per county: each cell what the markdown grid shows
    (:func:`county_value`) on the colour of its status; the city last."""
    plan = b.plan
    short = short_counties(plan)
    counties = list(plan.plan.counties)
    city = {r.indicator.id: r.now for r in b.rows}
    columns = len(counties) + 1
    gap = 8  # between the counties and the city
    cell_w = (WIDTH - LABEL_W - gap) / columns
    head = 22.0
    out = []
    for k, c in enumerate([*counties, None]):
        x = LABEL_W + k * cell_w + (gap if c is None else 0) + cell_w / 2
        out.append(_label([short[c] if c else city_word(lang)], x, head / 2, anchor="middle", size=9.5,
                          weight="600"))
    y = head
    for ind_id, cells in b.by_county.items():
        lines = wrap(name_of(plan.by_id[ind_id], lang), LABEL_W - 6)
        h = max(17.0, len(lines) * LINE + 4)
        out.append(_label(lines, 0, y + h / 2))
        for k, p in enumerate([*(cells[c] for c in counties), city[ind_id]]):
            x = LABEL_W + k * cell_w + (gap if k == len(counties) else 0)
            fill, ink = HEAT[p.status.value]
            out.append(f'<rect x="{_fmt(x + 1)}" y="{_fmt(y + 1)}" width="{_fmt(cell_w - 2)}" height="{_fmt(h - 2)}" '
                       f'rx="1.5" fill="{fill}"/>')
            text = county_value(p, lang) + (CARRIED if k < len(counties) and b.carried(p) else "")
            out.append(_label([text], x + cell_w / 2, y + h / 2, anchor="middle", size=8.5, fill=ink))
        y += h
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {_fmt(y + 2)}" role="img" aria-label="{esc(caption)}">'
            f"<title>{esc(caption)}</title>{''.join(out)}</svg>")




def heat_legend(lang: str) -> str:
    items = "".join(f'<span><i style="background:{HEAT[k][0]}"></i>{esc(status_label(k, lang))}</span>'
                    for k in STATUS_ORDER)
    return f'<div class="legend">{items}</div>'


# --------------------------------------------------------------------------- the other pictures and tables


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
    # what a screen reader says of the bar, in the reader's language: 状态：完成 23、正常 0 …
    said = tr("status", lang) + colon(lang) + separator(lang).join(f"{status_label(k, lang)} {summary[k]}"
                                                                   for k in STATUS_ORDER)
    return (f'<svg width="100%" height="{height}" viewBox="0 0 {width} {height}" preserveAspectRatio="none" '
            f'role="img" aria-label="{esc(said)}">{"".join(parts)}</svg><div class="legend">{legend}</div>')


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


def _table(headers: list[tuple[str, str]], body: list[str], widths: list[int] | None = None,
           cls: str = "") -> str:
    """A table; ``widths`` (percentages) fix the columns so that tables of one kind line up."""
    head = "".join(f'<th class="{c}">{esc(h)}</th>' if c else f"<th>{esc(h)}</th>" for h, c in headers)
    classes = " ".join(x for x in ("fixed" if widths else "", cls) if x)
    attr = f' class="{classes}"' if classes else ""
    cols = "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup>" if widths else ""
    return f"<table{attr}>{cols}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _section_table(rows: tuple[Row, ...], lang: str) -> str:
    _ = gettext(lang)
    headers = [(_("indicator"), ""), (_("actual/target"), "n"), (_("done"), "n"), (_("status"), ""),
               (_("change of the figure"), "n"), (_("change of completion (points)"), "n")]
    body = []
    for r in rows:
        p = r.now
        df = delta_figure(r, lang)
        dp = delta_points(r.delta_done)
        body.append(
            f'<tr class="{p.status.value}"><td>{esc(name_of(p.indicator, lang))}</td>'
            f'<td class="n">{esc(figure(p, lang))}</td><td class="n">{esc(pct(p.done_share))}</td>'
            f"<td>{pill(p.status.value, lang)}</td>"
            f'<td class="n{_signed_class(df)}">{esc(df)}</td><td class="n{_signed_class(dp)}">{esc(dp)}</td></tr>')
    return _table(headers, body, SECTION_WIDTHS)


def _entries_table(rows, b: Bulletin, lang: str, audit: bool) -> str:
    plan = b.plan
    heads = audit_headers(lang) if audit else recorded_headers(lang)
    classes = ["n", "", "", "nw", "n"] + ([""] if audit else []) + ["", ""]
    body = []
    for r in rows:
        e = r.entry
        ind = plan.indicator(e.indicator)
        cells = [f'<td class="n">{esc(e.ref.lstrip("#") if not e.office else e.ref)}</td>',
                 f"<td>{esc(name_of(ind, lang) if ind else e.indicator)}</td>",
                 f'<td class="nw">{esc(unit_name(e.county, lang))}</td>',
                 f'<td class="nw">{esc(e.as_of.isoformat())}</td>',
                 f'<td class="n">{esc(entry_value(r, plan, lang))}</td>']
        if audit:
            cells.append(f"<td>{esc(gettext(lang)(KIND_OF_ENTRY[r.kind]))}</td>")
        cells += [f"<td>{esc(remark(r, lang))}</td>", f"<td>{esc(e.by)}</td>"]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return _table(list(zip(heads, classes)), body, cls="small")


# --------------------------------------------------------------------------- the bulletin


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
    meta = [f"{esc(_('as of'))} <b>{esc(day_text(b.as_of, lang))}</b>",
            f"{esc(_('time progress'))} <b>{esc(pct(b.current.time_progress, 1))}</b>"]
    if b.previous_as_of:
        meta.append(f"{esc(_('compared with'))} {esc(day_text(b.previous_as_of, lang))}")
    if info.issuer and lang == "zh":
        meta.append(esc(info.issuer))
    w(f'<div class="meta">{" · ".join(meta)}</div>')

    # ---- 1. overview
    w(f"<h2>{esc(_('1. Overview'))}</h2>")
    w(f'<p class="headline">{esc(headline_sentence(b, lang))}</p>')
    body = []
    for k, cells in zip((*STATUS_ORDER, "total"), summary_rows(b, lang)):
        mark = (f'<i style="display:inline-block;width:2.4mm;height:2.4mm;border-radius:0.5mm;margin-right:1.2mm;'
                f'background:{COLOURS[k]}"></i>' if k in COLOURS else "")
        body.append(f'<tr><td class="nw">{mark}{esc(cells[0])}</td>' + "".join(
            f'<td class="n{_signed_class(c) if i == 2 else ""}">{esc(c)}</td>' for i, c in enumerate(cells[1:]))
            + "</tr>")
    summary_table = _table([(_("status"), ""), (_("month end"), "n"), (_("previous month end"), "n"),
                            (_("change"), "n")], body)
    facts = [
        (str(len(b.milestones_done) + len(b.targets_met)), _("completed this month")),
        (str(len(b.attention)), _("lagging or behind")),
        (str(len(b.figures)), _("figures received this month")),
        (f"{sum(1 for s in b.silent if s.county)}/{len(info.counties)}", _("counties missing figures")),
    ]
    tiles = "".join(f'<div class="fact"><b>{esc(v)}</b><span>{esc(k)}</span></div>' for v, k in facts)
    w(f'<div class="overview"><div class="chart">{status_chart(b.summary, lang)}<div class="facts">{tiles}</div></div>'
      f"{summary_table}</div>")

    # ---- 2. by section: figure 1, then the tables
    w(f"<h2>{esc(_('2. By section'))}</h2>")
    caption = _("Figure 1. Completion against the target and the progress expected by now")
    w(f'<figure><figcaption>{esc(caption)}</figcaption>{bullet_legend(lang)}')
    for blk in b.sections:
        if blk.section.kind.value == "action":
            continue
        name = section_title(blk.section, lang)
        w(f'<div class="chart-block"><h4>{esc(name)}</h4>{bullet_chart(blk.rows, lang, name)}</div>')
    w('<p class="note">' + esc(_("Levels (percentages at a moment) are judged against their target, not against "
                                  "time: they carry no time mark.")) + "</p></figure>")
    for blk in b.sections:
        if blk.section.kind.value == "action":
            continue
        w(f'<div class="section"><h3>{esc(section_title(blk.section, lang))}</h3>{_section_table(blk.rows, lang)}'
          "</div>")
    actions = [blk for blk in b.sections if blk.section.kind.value == "action"]
    if actions:
        w(f"<h3>{esc(actions_heading(b, lang))}</h3>")
        headers = [(_("action"), ""), (_("indicators"), "n"), (_("status mix"), "")]
        headers += [(status_label(k, lang), "n") for k in STATUS_ORDER]
        body = [f"<tr><td>{esc(action_title(blk.section, lang))}</td><td class=\"n\">{len(blk.rows)}</td>"
                f"<td>{mini_stack(blk.summary)}</td>" + "".join(f'<td class="n">{blk.summary[k]}</td>'
                                                                for k in STATUS_ORDER)
                + "</tr>" for blk in actions]
        w(_table(headers, body))

    if b.leads:
        w(f"<h3>{esc(_('By lead unit (牵头单位)'))}</h3>")
        heads = lead_headers(lang)
        classes = [""] + ["n"] * (len(STATUS_ORDER) + 1) + [""]
        w(_table(list(zip(heads, classes)), ["<tr>" + "".join(f'<td class="{c}">{esc(v)}</td>' if c else f"<td>{esc(v)}</td>"
                                                            for v, c in zip(row, classes)) + "</tr>"
                                             for row in lead_rows(b, lang)]))
    defined = done_when_rows(b, lang)
    if defined:
        w(f"<h3>{esc(_('What done means'))}</h3><ul>")
        for name, _id, text in defined:  # named as the markdown bulletin names it: an id is not a word to read
            w(f'<li>{esc(name)}{esc(colon(lang))}{esc(text)}</li>')
        w("</ul>")

    # ---- 3. attention
    w(f"<h2>{esc(_('3. Lagging and behind'))}</h2>")
    if b.attention:
        heads = attention_headers(lang)
        classes = ["n", "", "", "n", "n", "n", "n", "n", "n"]
        body = []
        for n, r in enumerate(b.attention, start=1):
            p = r.now
            done, expected = done_and_expected(p)
            body.append(
                f'<tr><td class="n">{n}</td><td>{esc(name_of(p.indicator, lang))}</td>'
                f"<td>{pill(p.status.value, lang)}</td><td class=\"n\">{esc(figure(p, lang))}</td>"
                f'<td class="n">{esc(done)}</td><td class="n">{esc(expected)}</td>'
                f'<td class="n">{esc(lag_text(p))}</td>'
                f'<td class="n">{esc(to_go(p, lang))}</td><td class="n">{esc(per_month(p, lang))}</td></tr>')
        # headings wrap: a column is as wide as its figures (or a heading's longest word), the names get the rest
        w(_table(list(zip(heads, classes)), body, cls="wrap-heads"))
        w('<p class="note">' + esc(attention_footnote(b, lang)) + "</p>")
    else:
        w(f'<p class="empty">{esc(_("No indicator is lagging or behind at the month end."))}</p>')
    if b.explained:
        w(f'<p class="note">{esc(_("What the month-end figures of these indicators need said:"))}</p><ul class="note">'
          + "".join(f"<li>{esc(line)}</li>" for line in explained_lines(b, lang)) + "</ul>")

    # ---- 4. the counties: figure 2, then what they sent
    w(f"<h2>{esc(_('4. The counties and what they sent'))}</h2>")
    if b.by_county:
        caption = _("Figure 2. Completion by county-level unit")
        carried = carried_note(b, lang)
        notes = "".join(f'<p class="note">{esc(t)}</p>' for t in [*([carried] if carried else []),
                                                                   *county_notes(b, lang)])
        w(f'<figure class="chart-block"><figcaption>{esc(caption)}</figcaption>{heat_legend(lang)}'
          f"{heat_map(b, lang, caption)}{notes}</figure>")
    w('<div class="keep">')
    w(f"<h3>{esc(_('Figures received this month'))}</h3>")
    received = received_sentence(b, lang)
    w(f'<p>{esc(received)}{gap_after(received)}<span class="note">{esc(recorded_basis(b, lang))}</span></p>')
    if not b.reported_per_county and not b.reported_by_city:
        w(f'<p class="empty">{esc(_("No indicator is reported per county yet."))}</p>')
    elif b.silent:
        w("<p>" + esc(silent_intro(b, lang)) + "</p>")
    else:
        w(f'<p class="empty">{esc(_("Every unit sent figures for every indicator it owed this month."))}</p>')
    body = []
    heads = receipt_headers(b, lang)
    lead = len(heads) - 3  # the office (and the units it reports, when offices are declared)
    for cells in receipt_rows(b, lang):
        body.append("<tr>" + "".join(f'<td class="nw">{esc(c)}</td>' for c in cells[:lead])
                    + "".join(f'<td class="n">{esc(c)}</td>' for c in cells[lead:-1]) + f"<td>{esc(cells[-1])}</td></tr>")
    widths = [14, 12, 10, 64] if lead == 1 else [12, 16, 10, 8, 54]
    w(_table(list(zip(heads, [""] * lead + ["n", "n", ""])), body, widths))
    w("</div>")

    # ---- 5. completed
    w('<div class="keep">')
    w(f"<h2>{esc(_('5. Completed this month'))}</h2>")
    done, met = b.milestones_done, b.targets_met
    if not done and not met:
        w(f'<p class="empty">{esc(_("No milestone or target was completed this month."))}</p>')
    if done:
        w(f"<h3>{esc(_('Milestones done'))}</h3><ul>")
        for r in done:
            w(f"<li>{esc(name_of(r.indicator, lang))} <span class=\"note\">"
              f"{esc(r.now.as_of_figure.isoformat() if r.now.as_of_figure else '')}</span></li>")
        w("</ul>")
    if met:
        w(f"<h3>{esc(_('Targets met'))}</h3><ul>")
        for r in met:
            w(f"<li>{esc(name_of(r.indicator, lang))} <span class=\"note\">{esc(figure(r.now, lang))}</span></li>")
        w("</ul>")
    w("</div>")
    _quality(b, lang, w)

    # ---- appendices: the detail and the audit trail
    w(f'<h2 class="appendix">{esc(_("Appendix 1. Figures received this month"))}</h2>')
    if b.figures:
        w(_entries_table(b.figures, b, lang, audit=False))
    else:
        w(f'<p class="empty">{esc(_("Nothing was recorded for this month."))}</p>')
    w(f'<h2>{esc(_("Appendix 2. Corrections and voids"))}</h2>')
    if b.audit:
        w(_entries_table(b.audit, b, lang, audit=True))
    else:
        w(f'<p class="empty">{esc(_("No figure of the month was corrected or voided."))}</p>')
    w(f"<footer>{esc(info.title)} · {esc(b.label)} · eduplan</footer>")
    w("</body></html>")
    return "\n".join(out) + "\n"


def _quality(b: Bulletin, lang: str, w) -> None:
    """6. Data quality: the sentence, the first findings about figures, where the rest is."""
    from .bulletin_text import (
        quality_cells,
        quality_headers,
        quality_listed,
        quality_more,
        quality_sentence,
    )

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
        w(f'<p class="note">{esc(more[0])}{gap_after(more[0])}<code>{esc(more[1])}</code></p>')
    w("</div>")
