"""Rich tables for the terminal. The only module that imports rich.

Tables read well with CJK text at 80 columns (names and ids share a cell there; at
100+ columns they get their own) and degrade to plain text in a pipe: colour only on a
terminal, and never with ``NO_COLOR``. Every text from a file goes through
:func:`eduplan.render.safe.terminal` first.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from itertools import groupby

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..core.documents import LogDoc, PlanDoc, Remark, ShowDoc
from ..core.progress import Progress, StatusReport
from ..i18n import msg
from . import safe
from .figures import figure, pct, stored_value, target_text, to_go_line
from .words import (ROLLUP, gettext, measure_label, name_of, notes_text, remark, section_title, state_label,
                    status_label, unit_name)

STATUS_STYLE = {"done": "bold green", "on_track": "green", "lagging": "yellow", "behind": "bold red", "no_data": "dim"}
STATUS_DOT = {"done": "✔", "on_track": "●", "lagging": "▲", "behind": "✖", "no_data": "·"}
BAR_WIDTH = 10


def console(opts, buf: io.StringIO) -> Console:
    return Console(file=buf, width=opts.width, force_terminal=opts.color, no_color=not opts.color,
                   color_system="standard" if opts.color else None, highlight=False, soft_wrap=False,
                   legacy_windows=False)


def _t(text: object) -> Text:
    return Text(safe.terminal(text))


def light(status: str, lang: str) -> Text:
    return Text(f"{STATUS_DOT[status]} {status_label(status, lang)}", style=STATUS_STYLE[status])


def bar(completion: float | None, marker: float | None, status: str, width: int = BAR_WIDTH) -> Text:
    """A small completion bar in the status colour; ``┃`` marks the expected share."""
    if completion is None:
        return Text(" " * width)
    filled = max(0.0, min(completion, 1.0)) * width
    mark = None if marker is None else min(width - 1, int(marker * width))
    colour = STATUS_STYLE[status].replace("bold ", "")
    cells = []
    for i in range(width):
        if i == mark:
            cells.append(("┃", "bold magenta"))
        elif i + 1 <= filled:
            cells.append(("█", colour))
        elif i < filled:
            cells.append(("▌", colour))
        else:
            cells.append(("░", "dim"))
    text = Text()
    for style, run in groupby(cells, key=lambda c: c[1]):  # one span per run of a style
        text.append("".join(ch for ch, _ in run), style=style)
    return text


def _grouped(report: StatusReport):
    """Rows grouped under their first section (or under the selected section), in plan order."""
    groups: dict[str, list[Progress]] = {}
    for p in report.rows:
        key = report.section if report.section else p.indicator.sections[0]
        groups.setdefault(key, []).append(p)
    return [(report.plan.section_by_id[s.id], groups[s.id]) for s in report.plan.sections if s.id in groups]


def status(report: StatusReport, lang: str, opts) -> str:
    if report.by_county is not None:
        return by_county(report, lang, opts)
    buf = io.StringIO()
    con = console(opts, buf)
    _ = gettext(lang)
    wide = con.width >= 110
    widest = con.width >= 130  # room for a "to go" column; narrower, it goes under the figure
    info = report.plan.plan
    title = info.title if lang == "zh" else (info.title_en or info.title)
    scope = f" · {report.county}" if report.county else ""
    table = Table(title=safe.terminal(f"{title}{scope}"), caption=_summary_line(report, lang), box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False, expand=False, title_justify="left", caption_justify="left")
    # Every cell is built first, so that each column gets a fixed width: rich then skips
    # measuring every cell of a long table (most of its rendering time).
    bar_width = BAR_WIDTH if con.width >= 100 else BAR_WIDTH - 4
    groups = []
    for sec, rows in _grouped(report):
        built = []
        for p in rows:
            done = pct(p.completion) if p.completion is not None else "—"
            built.append((safe.terminal(name_of(p.indicator, lang)), p.indicator.id, figure(p, lang),
                          Text.assemble(f"{done:>5} ", bar(p.completion, p.expected, p.status.value, bar_width)),
                          light(p.status.value, lang), to_go_line(p, lang)))
        groups.append((safe.terminal(section_title(sec, lang)), built))
    every = [r for _g, rows in groups for r in rows]

    def width(header: str, index: int) -> int:
        return max([cell_len(header)] + [cell_len(str(r[index])) for r in every])

    h_fig, h_done, h_status, h_togo = _("actual/target"), _("done ┃expected"), _("status"), _("to go · a month")
    columns = [
        (h_fig, width(h_fig, 2), "right", None),
        (h_done, max(6 + bar_width, cell_len(h_done)), "left", None),
        (h_status, width(h_status, 4), "left", None),
    ]
    if wide:
        columns.insert(0, ("id", width("id", 1), "left", "cyan"))
    if widest:
        columns.append((h_togo, min(width(h_togo, 5), 26), "right", None))
    ids = 0 if wide else max(cell_len(r[1]) for r in every) if every else 0  # ids must never break
    spare = con.width - 1 - sum(c[1] for c in columns) - 3 * len(columns) - max(ids, 12)
    if not widest and spare > 0:  # the "to go" line under the figure: widen that column if there is room
        header, fig_width, justify, style = columns[-3]
        columns[-3] = (header, max(fig_width, min(width("", 5), 18, fig_width + spare)), justify, style)
    longest_name = max([cell_len(r[0]) for r in every] + [ids, 12])
    name_width = max(12, ids, min(longest_name, con.width - 1 - sum(c[1] for c in columns) - 3 * len(columns)))
    table.add_column(_("indicator") if wide else _("indicator / id"), width=name_width, overflow="fold")
    for header, col_width, justify, style in columns:
        table.add_column(header, width=col_width, justify=justify, style=style, overflow="fold")
    for title_text, rows in groups:
        table.add_row(Text(title_text, style="bold"), end_section=False)
        for name, ind_id, fig, done_bar, light_text, togo in rows:
            cells = [Text(name), Text(ind_id)] if wide else [Text.assemble(name, "\n", (ind_id, "cyan"))]
            if widest or not togo:
                cells.append(Text(fig))
            else:  # what it takes to finish, under the figure (narrow rows have a second line anyway)
                cells.append(Text.assemble(fig, "\n", (togo, "dim")))
            cells += [done_bar, light_text]
            if widest:
                cells.append(Text(togo))
            table.add_row(*cells)
        table.add_section()
    con.print(table)
    if report.empty_ledger:
        first = next((p.indicator for p in report.rows if p.indicator.measure.value == "flow"), None)
        example = (f"eduplan record {first.id} 3 --as-of {info.start.replace(month=3, day=31)}" if first
                   else "eduplan record INDICATOR VALUE")
        con.print(Text(_("No figures recorded yet. Record the first with:") + "\n  ", style="yellow")
                  + Text(example, style="bold"))
    for p in report.rows:
        if any(n.code == "cannot_roll_up" for n in p.notes):
            con.print(Text(safe.terminal(f"{name_of(p.indicator, lang)}: {notes_text(p.notes, lang)}"), style="yellow"))
    return buf.getvalue()


def _summary_line(report: StatusReport, lang: str) -> str:
    _ = gettext(lang)
    s = report.summary
    tp = f"{_('time progress')} {pct(report.time_progress, 1)} ({report.as_of})"
    parts = [f"{status_label(k, lang)} {v}" for k, v in s.items()]
    return f"{tp} · " + " · ".join(parts) + f" · {_('total')} {sum(s.values())}"


def by_county(report: StatusReport, lang: str, opts) -> str:
    buf = io.StringIO()
    con = console(opts, buf)
    _ = gettext(lang)
    plan = report.plan
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title=_("By county-level unit"),
                  title_justify="left")
    table.add_column(_("indicator"), ratio=1, min_width=10)
    for c in plan.plan.counties:
        table.add_column(c, justify="right", no_wrap=True)
    for ind_id, cells in (report.by_county or {}).items():
        ind = plan.by_id[ind_id]
        row: list = [Text.assemble(safe.terminal(name_of(ind, lang)), "\n", (ind_id, "cyan"))]
        for c in plan.plan.counties:
            p = cells[c]
            if p.status.value == "no_data":
                row.append(Text("·", style="dim"))
                continue
            shown = (state_label(p.state.value, lang) if p.state is not None and p.actual is None
                     else figure(p, lang).split("/")[0])
            row.append(Text(f"{shown} {STATUS_DOT[p.status.value]}", style=STATUS_STYLE[p.status.value]))
        table.add_row(*row)
    con.print(table)
    con.print(Text(_("County targets: flows an equal share of the city target; levels the city target."), style="dim"))
    return buf.getvalue()


def plan(doc: PlanDoc, lang: str, opts) -> str:
    buf = io.StringIO()
    con = console(opts, buf)
    _ = gettext(lang)
    p = doc.plan
    wide = con.width >= 110
    title = p.plan.title if lang == "zh" else (p.plan.title_en or p.plan.title)
    caption = (f"{p.plan.start} – {p.plan.end} · " + _("{n} indicators").format(n=len(p.indicators)) + " · "
               + ("、" if lang == "zh" else ", ").join(p.plan.counties))
    table = Table(title=safe.terminal(title), box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  title_justify="left", caption=safe.terminal(caption), caption_justify="left")
    if wide:
        table.add_column(_("indicator"), ratio=1, overflow="fold")
        table.add_column("id", no_wrap=True, style="cyan")
    else:
        table.add_column(_("indicator / id"), ratio=1, overflow="fold")
    table.add_column(_("target"), justify="right", no_wrap=True)
    table.add_column(_("kind"), no_wrap=True)
    shown: set[str] = set()
    for sec in p.sections:
        inds = p.in_section(sec.id)
        if not inds or sec.kind.value == "action":
            continue
        table.add_row(Text(safe.terminal(section_title(sec, lang)), style="bold"))
        for ind in inds:
            name = safe.terminal(name_of(ind, lang)) + (" ↺" if ind.id in shown else "")
            shown.add(ind.id)
            kind = measure_label(ind.measure.value, lang)
            if wide:
                table.add_row(name, ind.id, target_text(ind), kind)
            else:
                table.add_row(Text.assemble(name, "\n", (ind.id, "cyan")), target_text(ind), kind)
        table.add_section()
    con.print(table)
    actions = [s for s in p.sections if s.kind.value == "action"]
    if actions:
        t2 = Table(title=_("The ten actions"), box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                   title_justify="left")
        t2.add_column("id", no_wrap=True, style="cyan")
        t2.add_column(_("action"), ratio=1)
        t2.add_column(_("indicators"), ratio=2)
        for s in actions:
            t2.add_row(s.id, safe.terminal(s.name if lang == "zh" else (s.name_en or s.name)),
                       ", ".join(i.id for i in p.in_section(s.id)))
        con.print(t2)
    return buf.getvalue()


def _log_table(rows: Sequence[Remark], plan, con: Console, lang: str) -> None:
    _ = gettext(lang)
    wide = con.width >= 110
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(_("indicator / unit · as of"), no_wrap=True)
    table.add_column(_("value"), justify="right", no_wrap=True)
    table.add_column(_("remarks"), ratio=1, overflow="fold")
    if wide:
        table.add_column(_("recorded"), no_wrap=True, style="dim")
    for r in rows:
        e = r.entry
        ind = plan.indicator(e.indicator)
        if e.void:
            value = Text(_("void"), style="red")
        else:
            value = Text(stored_value(e, ind.unit if ind else "", lang).replace(" (", "\n("))
        what = []
        text = remark(r, lang)
        if text:
            what.append(Text(safe.terminal(text), style="yellow" if e.supersedes is not None else ""))
        who = safe.terminal(f"{e.by} · {e.recorded_at:%Y-%m-%d %H:%M}", one_line=True)
        if not wide:
            what.append(Text(who, style="dim"))
        style = "dim strike" if r.withdrawn else ""
        where = Text.assemble((e.indicator, "cyan " + style), "\n",
                              safe.terminal(f"{unit_name(e.county, lang)} · {e.as_of}", one_line=True))
        ref = f"{e.office}#{e.id}" if e.office else str(e.id)
        cells = [safe.terminal(ref), where, value, Group(*what) if len(what) > 1 else (what[0] if what else Text(""))]
        if wide:
            cells.append(who)
        table.add_row(*cells)
    con.print(table)


def log(doc: LogDoc, lang: str, opts) -> Iterator[str]:
    """The history in pages of 200 rows: a long history is shown as it is read."""
    _ = gettext(lang)
    page: list[Remark] = []
    any_rows = False
    for r in doc.rows:
        page.append(r)
        if len(page) >= 200:
            any_rows = True
            yield _page(page, doc.plan, lang, opts)
            page = []
    if page or not any_rows:
        if not page:
            yield _("No entries.") + "\n"
            return
        yield _page(page, doc.plan, lang, opts)


def _page(rows: Sequence[Remark], plan, lang: str, opts) -> str:
    buf = io.StringIO()
    _log_table(rows, plan, console(opts, buf), lang)
    return buf.getvalue()


def show(doc: ShowDoc, lang: str, opts) -> str:
    buf = io.StringIO()
    con = console(opts, buf)
    _ = gettext(lang)
    p = doc.row
    ind = p.indicator
    plan = doc.plan
    con.print(Text(safe.terminal(f"{name_of(ind, lang)}  "), style="bold") + Text(ind.id, style="cyan"))
    other = ind.name if lang == "en" else ind.name_en
    if other:
        con.print(Text(safe.terminal(other), style="dim"))
    sections = ", ".join(f"{s} ({plan.section_by_id[s].name if lang == 'zh' else plan.section_by_id[s].name_en or plan.section_by_id[s].name})"
                         for s in ind.all_sections)
    lines = [
        (_("source"), f"“{ind.source}”"),
        (_("sections"), sections),
        (_("kind"), f"{measure_label(ind.measure.value, lang)} ({ind.measure.value}), {ind.unit}"),
        (_("target"), target_text(ind)),
        (_("as of"), f"{doc.as_of} · {_('time progress')} {pct(doc.time_progress, 1)}"
                     + (f" · {_('expected')} {pct(p.expected)}" if p.expected is not None else "")),
        (_("city-wide"), f"{figure(p, lang)} · {pct(p.completion)} · " + status_label(p.status.value, lang)),
    ]
    if p.rollup:
        lines.append((_("how it is counted"), _(ROLLUP.get(p.rollup, p.rollup))))
    if p.remaining or p.gap_pp:
        lines.append((_("to go"), to_go_line(p, lang) or "—"))
    if p.qualifying is not None:
        lines.append((_("counties done"), "、".join(p.qualifying) or "—"))
    if p.notes:
        lines.append((_("note"), notes_text(p.notes, lang)))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for k, v in lines:
        grid.add_row(k, safe.terminal(v))
    con.print(grid)
    if p.counties:
        t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title=_("counties"), title_justify="left")
        t.add_column(_("county-level unit"))
        t.add_column(_("figure"), justify="right")
        t.add_column(_("as of"))
        t.add_column("#", justify="right")
        for f in p.counties:
            if f.state is not None:
                v = state_label(f.state.value, lang)
            else:
                from ..core.numbers import format_number

                v = format_number(f.value, ind.unit)
                if f.numerator is not None:
                    v += f" ({format_number(f.numerator)}/{format_number(f.denominator)})"
            t.add_row(f.county, v, str(f.as_of), f.entry)
        con.print(t)
    con.print(Text(_("history"), style="bold"))
    if doc.history:
        _log_table(doc.history, plan, con, lang)
    else:
        con.print(_("No entries."))
    return buf.getvalue()


# --------------------------------------------------------------------------- data quality

RULE_STYLE = {"error": "bold red", "warning": "yellow"}


def quality(doc, lang: str, opts) -> str:
    """What ``eduplan check`` found: one row per finding, the rule, the indicator and unit, the
    entries, what is wrong. Below 110 columns the indicator and unit go under the rule."""
    from .markdown import quality_summary
    from .words import finding_refs, rule_label

    buf = io.StringIO()
    con = console(opts, buf)
    _ = gettext(lang)
    title = msg("Data quality · as of {day}", day=doc.as_of).render(lang)
    if doc.scoped:
        title += f" · {unit_name(doc.county, lang)}"
    summary = quality_summary(doc, lang)
    if not doc.findings:
        con.print(Text(safe.terminal(title), style="bold"))
        con.print(Text(safe.terminal(summary), style="green"))
        return buf.getvalue()
    wide = con.width >= 110
    table = Table(title=safe.terminal(title), caption=safe.terminal(summary), box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False, title_justify="left", caption_justify="left")
    rows = [(rule_label(f.rule, lang), f.severity, f.indicator, safe.terminal(unit_name(f.county, lang), one_line=True),
             safe.terminal(finding_refs(f)) or "—", safe.terminal(f.message.render(lang))) for f in doc.findings]
    # fixed widths (ids never break); the finding takes what is left
    ids = max(cell_len(r[2]) for r in rows)
    refs = min(14, max([cell_len(_("entries"))] + [cell_len(r[4]) for r in rows]))
    if wide:
        units = max([cell_len(r[3]) for r in rows] + [cell_len(_("reporting unit"))])
        left = con.width - 1 - ids - units - refs - 2 * 4
        rule_w = min(max(cell_len(r[0]) for r in rows), max(10, left // 4))
        table.add_column(_("rule"), width=rule_w, overflow="fold")
        table.add_column(_("indicator"), width=ids, style="cyan", overflow="fold")
        table.add_column(_("reporting unit"), width=units, overflow="fold")
    else:
        first = max(ids, min(max(cell_len(r[0]) for r in rows), con.width // 3))
        left = con.width - 1 - first - refs - 2 * 2
        table.add_column(_("rule / indicator · unit"), width=first, overflow="fold")
    table.add_column(_("entries"), width=refs, overflow="fold")
    table.add_column(_("finding"), width=max(16, left - (rule_w + 2 if wide else 0)), overflow="fold")
    for label, severity, indicator, where, entries, message in rows:
        rule = Text(label, style=RULE_STYLE.get(severity, ""))
        cells = ([rule, indicator, where] if wide else
                 [Text.assemble(rule, "\n", (indicator, "cyan"), " · ", where)])
        cells += [entries, Text(message)]
        table.add_row(*cells)
    con.print(table)
    return buf.getvalue()
