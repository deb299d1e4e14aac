"""Rich tables for the terminal. The only module that imports rich.

Tables read well with CJK text at 80 columns (names and ids share a cell there; at
100+ columns they get their own) and degrade to plain text in a pipe: rich drops colour
when stdout is not a terminal and honours ``NO_COLOR``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.cells import cell_len
from rich.text import Text

from ..models import Entry, Plan
from ..numbers import format_number
from ..progress import Progress, StatusReport
from .human import figure, pct, per_month, to_go
from .labels import MEASURE_LABELS, name_of, section_title, state_label, status_label

STATUS_STYLE = {"done": "bold green", "on_track": "green", "lagging": "yellow", "behind": "bold red", "no_data": "dim"}
STATUS_DOT = {"done": "✔", "on_track": "●", "lagging": "▲", "behind": "✖", "no_data": "·"}
BAR_WIDTH = 10


def make_console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def light(status: str, lang: str) -> Text:
    return Text(f"{STATUS_DOT[status]} {status_label(status, lang)}", style=STATUS_STYLE[status])


def bar(completion: float | None, marker: float | None, width: int = BAR_WIDTH) -> Text:
    """A small completion bar; ``┃`` marks time progress (where a flow should be by now)."""
    if completion is None:
        return Text(" " * width)
    filled = max(0.0, min(completion, 1.0)) * width
    mark = None if marker is None else min(width - 1, int(marker * width))
    cells = []
    for i in range(width):
        if i == mark:
            cells.append(("┃", "bold magenta"))
        elif i + 1 <= filled:
            cells.append(("█", "cyan"))
        elif i < filled:
            cells.append(("▌", "cyan"))
        else:
            cells.append(("░", "dim"))
    text = Text()
    for style, run in groupby(cells, key=lambda c: c[1]):  # one span per run of a style
        text.append("".join(ch for ch, _ in run), style=style)
    return text


def _grouped(report_rows: Sequence[Progress], plan: Plan, section: str | None):
    """Rows grouped under their first section (or under the selected section), in plan order."""
    groups: dict[str, list[Progress]] = {}
    for p in report_rows:
        key = section if section and section in p.indicator.all_sections else p.indicator.sections[0]
        groups.setdefault(key, []).append(p)
    order = [s.id for s in plan.sections]
    return [(plan.section_by_id[k], groups[k]) for k in order if k in groups]


def status_table(report: StatusReport, console: Console, *, lang: str = "zh", section: str | None = None) -> None:
    wide = console.width >= 110
    widest = console.width >= 130  # room for a "to go" column; narrower, it goes under the figure
    zh = lang == "zh"
    title = report.plan.plan.title if zh else (report.plan.plan.title_en or report.plan.plan.title)
    scope = f" · {report.county}" if report.county else ""
    table = Table(
        title=f"{title}{scope}",
        caption=_summary_line(report, lang),
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False, title_justify="left",
        caption_justify="left",
    )
    # Every cell is built first, so that each column gets a fixed width: rich then skips
    # measuring every cell of a long table (most of its rendering time).
    bar_width = BAR_WIDTH if console.width >= 100 else BAR_WIDTH - 4
    groups = []
    for sec, rows in _grouped(report.rows, report.plan, section):
        built = []
        for p in rows:
            marker = report.time_progress if p.indicator.measure.value in ("flow", "counties", "milestone") else None
            done = pct(p.completion) if p.completion is not None else "—"
            built.append((name_of(p.indicator, lang), p.indicator.id, figure(p, lang),
                          Text.assemble(f"{done:>5} ", bar(p.completion, marker, bar_width)),  # one cell
                          light(p.status.value, lang), _to_go(p, lang)))
        groups.append((section_title(sec, lang), built))
    every = [r for _, rows in groups for r in rows]

    def width(header: str, index: int) -> int:
        return max([cell_len(header)] + [cell_len(str(r[index])) for r in every])

    # (header, width, justify, style) for each column after the name
    columns = [
        ("实际/目标" if zh else "actual/target", width("实际/目标" if zh else "actual/target", 2), "right", None),
        ("完成 ┃序时" if zh else "done ┃time", 6 + bar_width, "left", None),
        ("状态" if zh else "status", width("状态" if zh else "status", 4), "left", None),
    ]
    if wide:
        columns.insert(0, ("id", width("id", 1), "left", "cyan"))
    if widest:
        columns.append(("还需 · 每月" if zh else "to go · /mo", min(width("还需 · 每月" if zh else "to go · /mo", 5), 26), "right", None))
    ids = 0 if wide else max(cell_len(r[1]) for r in every) if every else 0  # ids must never break
    spare = console.width - 1 - sum(c[1] for c in columns) - 3 * len(columns) - max(ids, 12)
    if not widest and spare > 0:  # the "to go" line under the figure: widen that column if there is room
        header, fig_width, justify, style = columns[-3]
        columns[-3] = (header, max(fig_width, min(width("", 5), 18, fig_width + spare)), justify, style)
    longest_name = max([cell_len(r[0]) for r in every] + [ids, 12])
    name_width = max(12, ids, min(longest_name, console.width - 1 - sum(c[1] for c in columns) - 3 * len(columns)))
    table.add_column(("指标" if zh else "indicator") if wide else ("指标 / id" if zh else "indicator / id"),
                     width=name_width, overflow="fold")
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
    console.print(table)
    if report.empty_ledger:
        first = next((p.indicator for p in report.rows if p.indicator.measure.value == "flow"), None)
        example = f"eduplan record {first.id} 3 --as-of {report.plan.plan.start.replace(month=3, day=31)}" if first else "eduplan record INDICATOR VALUE"
        console.print(
            Text("No figures recorded yet. Record the first with:\n  " if not zh else "账本中还没有数据。记录第一个数据：\n  ", style="yellow")
            + Text(example, style="bold")
        )
    notes = [(p.indicator.id, p.note) for p in report.rows if p.note and "cannot" in p.note]
    for ind_id, note in notes:
        console.print(Text(f"{ind_id}: {note}", style="yellow"))


def _to_go(p: Progress, lang: str = "zh") -> str:
    """What it takes to finish, in one short cell: ``还需8所 · 每月1.3所`` or ``差12.4 个百分点``."""
    if p.status.value in ("done", "no_data") or (not p.remaining and not p.gap_pp):
        return ""
    left = to_go(p, lang)
    if p.gap_pp:
        return ("差" if lang == "zh" else "short ") + left
    rate = per_month(p, lang)
    if lang == "zh":
        return f"还需{left}" + (f" · 每月{rate}" if rate != "—" else "")
    return f"{left} to go" + (f" · {rate}/mo" if rate != "—" else "")


def _summary_line(report: StatusReport, lang: str) -> str:
    s = report.summary
    tp = f"{'序时进度' if lang == 'zh' else 'time progress'} {pct(report.time_progress, 1)} ({report.as_of})"
    parts = [f"{status_label(k, lang)} {v}" for k, v in s.items()]
    return f"{tp} · " + " · ".join(parts) + f" · {'共' if lang == 'zh' else 'total'} {sum(s.values())}"


def plan_table(plan: Plan, console: Console, *, lang: str = "zh") -> None:
    zh = lang == "zh"
    wide = console.width >= 110
    table = Table(title=plan.plan.title if zh else plan.plan.title_en, box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False, title_justify="left",
                  caption=f"{plan.plan.start} – {plan.plan.end} · {len(plan.indicators)} indicators · {'、'.join(plan.plan.counties)}",
                  caption_justify="left")
    if wide:
        table.add_column("指标" if zh else "indicator", ratio=1, overflow="fold")
        table.add_column("id", no_wrap=True, style="cyan")
    else:
        table.add_column("指标 / id" if zh else "indicator / id", ratio=1, overflow="fold")
    table.add_column("目标" if zh else "target", justify="right", no_wrap=True)
    table.add_column("类型" if zh else "kind", no_wrap=True)
    shown: set[str] = set()
    for sec in plan.sections:
        inds = plan.in_section(sec.id)
        if not inds or sec.kind.value == "action":
            continue
        table.add_row(Text(section_title(sec, lang), style="bold"))
        for ind in inds:
            name = name_of(ind, lang) + (" ↺" if ind.id in shown else "")
            shown.add(ind.id)
            target = "—" if ind.target is None else (("≤" if ind.comparator.value == "<=" else ("≥" if ind.unit == "%" else "")) + format_number(ind.target, ind.unit))
            kind = MEASURE_LABELS[lang][ind.measure.value]
            if wide:
                table.add_row(name, ind.id, target, kind)
            else:
                table.add_row(Text.assemble(name, "\n", (ind.id, "cyan")), target, kind)
        table.add_section()
    console.print(table)
    actions = [s for s in plan.sections if s.kind.value == "action"]
    if actions:
        t2 = Table(title="十大行动" if zh else "The ten actions", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                   title_justify="left")
        t2.add_column("id", no_wrap=True, style="cyan")
        t2.add_column("行动" if zh else "action", ratio=1)
        t2.add_column("指标" if zh else "indicators", ratio=2)
        for s in actions:
            t2.add_row(s.id, s.name if zh else (s.name_en or s.name), ", ".join(i.id for i in plan.in_section(s.id)))
        console.print(t2)


def log_table(entries: Sequence[Entry], superseded_by: dict[int, Entry], plan: Plan, console: Console, *, lang: str = "zh") -> None:
    zh = lang == "zh"
    if not entries:
        console.print("没有记录。" if zh else "No entries.")
        return
    wide = console.width >= 110
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("指标 / 县 · 截至" if zh else "indicator / county · as of", no_wrap=True)
    table.add_column("数值" if zh else "value", justify="right", no_wrap=True)
    table.add_column("说明" if zh else "what", ratio=1, overflow="fold")
    if wide:
        table.add_column("记录" if zh else "recorded", no_wrap=True, style="dim")
    for e in entries:
        ind = plan.indicator(e.indicator)
        unit = ind.unit if ind else ""
        if e.void:
            value = Text("作废" if zh else "void", style="red")
        elif e.state is not None:
            value = Text(state_label(e.state.value, lang))
        else:
            v = format_number(e.value, unit)
            if e.numerator is not None:
                v += f"\n{format_number(e.numerator)}/{format_number(e.denominator)}"
            value = Text(v)
        what = []
        if e.supersedes is not None:
            verb = ("作废 #" if e.void else "更正 #") if zh else ("voids #" if e.void else "corrects #")
            what.append(Text(f"{verb}{e.supersedes}: {e.reason}", style="yellow"))
        later = superseded_by.get(e.id)
        if later is not None:
            what.append(Text((f"已被 #{later.id} " + ("作废" if later.void else "更正")) if zh else
                             f"{'voided' if later.void else 'corrected'} by #{later.id}", style="dim"))
        if e.note:
            what.append(Text(e.note))
        if e.source:
            what.append(Text(("来源: " if zh else "source: ") + e.source, style="dim"))
        if not wide:
            what.append(Text(f"{e.by} · {e.recorded_at:%Y-%m-%d %H:%M}", style="dim"))
        style = "dim strike" if later is not None else ""
        where = Text.assemble((e.indicator, "cyan " + style), "\n", f"{e.county or ('全市' if zh else 'city')} · {e.as_of}")
        cells = [str(e.id), where, value, Group(*what) if len(what) > 1 else (what[0] if what else Text(""))]
        if wide:
            cells.append(f"{e.by} · {e.recorded_at:%Y-%m-%d %H:%M}")
        table.add_row(*cells)
    console.print(table)


def by_county_table(plan: Plan, grid: dict[str, dict[str, Progress]], console: Console, *, lang: str = "zh") -> None:
    zh = lang == "zh"
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title="分县情况" if zh else "By county",
                  title_justify="left")
    table.add_column("指标" if zh else "indicator", ratio=1, min_width=10)
    for c in plan.plan.counties:
        table.add_column(c, justify="right", no_wrap=True)
    for ind_id, cells in grid.items():
        ind = plan.by_id[ind_id]
        row: list = [Text.assemble(name_of(ind, lang), "\n", (ind_id, "cyan"))]
        for c in plan.plan.counties:
            p = cells[c]
            if p.status.value == "no_data":
                row.append(Text("·", style="dim"))
                continue
            if p.state is not None and p.actual is None:
                shown = state_label(p.state.value, lang)
            else:
                shown = format_number(p.actual, ind.unit if ind.unit == "%" else "")
            row.append(Text(f"{shown} {STATUS_DOT[p.status.value]}", style=STATUS_STYLE[p.status.value]))
        table.add_row(*row)
    console.print(table)
    console.print(Text("县级目标：累计指标按市目标平均分配；比例指标同市目标。" if zh else
                       "County targets: flows an equal share of the city target; levels the city target.", style="dim"))


def show_panel(p: Progress, history: Sequence[Entry], superseded_by: dict[int, Entry], report: StatusReport,
               plan: Plan, console: Console, *, lang: str = "zh") -> None:
    zh = lang == "zh"
    ind = p.indicator
    console.print(Text(f"{ind.name}  ", style="bold") + Text(ind.id, style="cyan"))
    if ind.name_en:
        console.print(Text(ind.name_en, style="dim"))
    sections = ", ".join(f"{s} ({plan.section_by_id[s].name})" for s in ind.all_sections)
    lines = [
        ("原文" if zh else "source", f"“{ind.source}”"),
        ("所属" if zh else "sections", sections),
        ("类型" if zh else "measure", f"{MEASURE_LABELS[lang][ind.measure.value]} ({ind.measure.value}), {ind.unit}"),
        ("目标" if zh else "target", "—" if ind.target is None else f"{ind.comparator.value} {format_number(ind.target, ind.unit)}"),
        ("截至" if zh else "as of", f"{report.as_of} · {'序时进度' if zh else 'time progress'} {pct(report.time_progress, 1)}"),
        ("全市" if zh else "city", f"{figure(p, lang)} · {pct(p.completion)} · " + status_label(p.status.value, lang)),
    ]
    if p.rollup:
        lines.append(("口径" if zh else "roll-up", {"city": "全市填报" if zh else "city-wide entry",
                                                   "sum": "各县合计" if zh else "sum of counties",
                                                   "ratio": "Σ分子÷Σ分母" if zh else "Σnumerator ÷ Σdenominator",
                                                   "count": "达标县数" if zh else "counties done",
                                                   "none": "无法汇总" if zh else "cannot roll up"}.get(p.rollup, p.rollup)))
    if p.remaining or p.gap_pp:
        lines.append(("还需" if zh else "to go", _to_go(p, lang) or "—"))
    if p.qualifying is not None:
        lines.append(("达标县" if zh else "qualifying", "、".join(p.qualifying) or "—"))
    if p.note:
        lines.append(("说明" if zh else "note", p.note))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for k, v in lines:
        grid.add_row(k, v)
    console.print(grid)
    if p.counties:
        t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title="各县" if zh else "counties", title_justify="left")
        t.add_column("县" if zh else "county")
        t.add_column("数值" if zh else "figure", justify="right")
        t.add_column("截至" if zh else "as of")
        t.add_column("#", justify="right")
        for f in p.counties:
            if f.state is not None:
                v = state_label(f.state.value, lang)
            else:
                v = format_number(f.value, ind.unit)
                if f.numerator is not None:
                    v += f" ({format_number(f.numerator)}/{format_number(f.denominator)})"
            t.add_row(f.county, v, str(f.as_of), str(f.entry_id))
        console.print(t)
    console.print(Text("历史" if zh else "history", style="bold"))
    log_table(history, superseded_by, plan, console, lang=lang)
