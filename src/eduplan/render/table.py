"""Tables for the terminal. The only module that imports rich's ``Console``, ``Table`` and ``Text``.

Tables read well with CJK text at 80 columns (names and ids share a cell there; at
100+ columns they get their own) and degrade to plain text in a pipe: colour only on a
terminal, and never with ``NO_COLOR``. Every text from a file goes through
:func:`eduplan.render.safe.terminal` first.

The status table, the one printed most, is laid out here (:func:`status_page`) and written by
:mod:`eduplan.render.grid`, which prints what rich's ``Table`` would, without importing or running
rich's layout machinery (see that module for the numbers); :func:`status_with_rich`
prints the same page through rich, the reference the grid writer is tested against. The other
tables are rich's, imported inside the functions that print them.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from rich.cells import cell_len

from ..core.progress import Progress, StatusReport
from ..i18n import bracketed, msg, nmsg
from . import grid, linebreak, safe, show_lines
from .grid import Styled
from .figures import (
    amount,
    figure,
    natural_scale,
    number,
    done_and_expected,
    pct,
    stored_value,
    target_text,
    to_go_line,
)
from .words import (
    city,
    expected_text,
    gettext,
    grid_notes,
    kind_heading,
    labelled,
    labelled_notes,
    kind_label,
    name_of,
    notes_text,
    remark,
    section_title,
    state_label,
    status_label,
    unit_name,
)

if TYPE_CHECKING:  # documents are built by the services; renderers only read them
    from rich.console import Console
    from rich.text import Text

    from ..core.documents import LogDoc, PlanDoc, Remark, ShowDoc


STATUS_STYLE = {"done": "bold green", "on_track": "green", "lagging": "yellow", "behind": "bold red",
                "not_judged": "blue", "no_data": "dim"}
STATUS_DOT = {"done": "✔", "on_track": "●", "lagging": "▲", "behind": "✖", "not_judged": "○", "no_data": "·"}
BAR_WIDTH = 10


def console(opts, buf: io.StringIO) -> Console:
    from rich.console import Console

    linebreak.install()  # rich wraps text as the grid writer does: no line starts with 、 or ）
    return Console(file=buf, width=opts.width, force_terminal=opts.color, no_color=not opts.color,
                   color_system="standard" if opts.color else None, highlight=False, soft_wrap=False,
                   legacy_windows=False)


def page_width(opts) -> int:
    """The width :func:`console` prints at: ``opts.width``, except on a terminal whose ``TERM`` is
    ``dumb`` or ``unknown``, which rich takes as 80 columns whatever it is told."""
    if opts.color and os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return 80
    return opts.width


def light(status: str, lang: str) -> Styled:
    return Styled(f"{STATUS_DOT[status]} {status_label(status, lang)}", style=STATUS_STYLE[status])


def bar(completion: float | None, marker: float | None, status: str, width: int = BAR_WIDTH) -> Styled:
    """A small completion bar in the status colour; ``┃`` marks the expected share."""
    if completion is None:
        return Styled(" " * width)
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
    text = Styled()
    for style, run in groupby(cells, key=lambda c: c[1]):  # one span per run of a style
        text.append("".join(ch for ch, _ in run), style=style)
    return text


def status(report: StatusReport, lang: str, opts) -> str:
    """The status table, written by :mod:`eduplan.render.grid` (rich's tables, much faster to start),
    with its summary and what was not reported. ``--by-county`` adds the indicators × county-level
    units grid below it (rich's own table), as the JSON holds both."""
    width = page_width(opts)
    page = grid.write(status_page(report, lang, width), width, opts.color)
    if report.by_county is not None:
        return page + "\n" + by_county(report, lang, opts)
    return page


def status_with_rich(report: StatusReport, lang: str, opts) -> str:
    """The status table printed by rich's ``Console`` and ``Table``: the reference that the grid
    writer is tested against (the same page, the same characters)."""
    return print_with_rich(status_page(report, lang, page_width(opts)), opts)


def status_page(report: StatusReport, lang: str, page: int) -> list[grid.Line | grid.Grid]:
    """The status table as lines and tables, ``page`` columns wide. One layout rule at every width:
    the fixed columns (figure, completion and bar, status) first; then the indicator's name as wide
    as its longest line allows; a column of its own for what it takes to finish, else under the
    figure; a column for the id, else under the name. Section titles stand on their own lines
    across the whole width."""
    _ = gettext(lang)
    info = report.plan.plan
    title = info.title if lang == "zh" else (info.title_en or info.title)
    scope = f" · {report.county}" if report.county else ""
    # Every cell is built first, so that each column gets a fixed width (nothing is measured while
    # printing), and the tables of the sections line up.
    bar_width = BAR_WIDTH if page >= 100 else BAR_WIDTH - 4
    groups = []
    for sec, rows in report.by_section:
        built = []
        for p in rows:
            done, expected = done_and_expected(p)
            done_bar = Styled.assemble(f"{done:>5} ", bar(p.done_share, p.expected, p.status.value, bar_width))
            if p.expected is not None and p.status.value not in ("done", "no_data", "not_judged"):
                # what the light was judged against
                done_bar.append("\n" + expected_text(expected, lang, cap=p.used is not None), style="dim")
            built.append((safe.terminal(name_of(p.indicator, lang)), p.indicator.id, figure(p, lang), done_bar,
                          light(p.status.value, lang), to_go_line(p, lang), p))
        groups.append((safe.terminal(section_title(sec, lang)), built))
    every = [r for _g, rows in groups for r in rows]

    def width(header: str, index: int) -> int:
        return max([cell_len(header)] + [cell_len(str(r[index])) for r in every])

    h_name, h_fig, h_done, h_status, h_togo = (_("indicator"), _("actual/target"), _("done ┃expected"), _("status"),
                                               _("to go · a month"))
    gap = 3  # what a column costs besides its cells: padding and the rule
    fig_w, done_w, status_w = width(h_fig, 2), max(6 + bar_width, cell_len(h_done)), width(h_status, 4)
    togo_w = min(width(h_togo, 5), 26) if any(r[5] for r in every) else 0
    h_id = _("id")
    id_w = width(h_id, 1)
    longest = max([cell_len(r[0]) for r in every] + [cell_len(h_name)])
    room = page - 1 - (fig_w + done_w + status_w) - gap * 3
    own_togo = bool(togo_w) and room - (togo_w + gap) >= min(longest, 24)
    if own_togo:
        room -= togo_w + gap
    own_id = room - (id_w + gap) >= min(longest, 24)
    if own_id:
        room -= id_w + gap
    if not own_togo and togo_w:  # what it takes to finish, under the figure: widen that column if there is room
        under = min(width("", 5), 18)
        extra = max(0, min(under - fig_w, room - min(longest, 24)))
        fig_w += extra
        room -= extra
    # The table fits the page: wider, rich would shrink every column evenly and split the status
    # words (``on`` / ``track``, ``·`` / ``无数据``). The name gets room for 24 cells of its lines and
    # for its id (under it) where it can: the figure gives it up first, down to its longest word (its
    # cells wrap at spaces), then the completion column, down to the bar.
    wish = max(min(longest, 24), 0 if own_id else id_w)
    if room < wish:
        words = [cell_len(w) for r in every for w in (r[2] + ("" if own_togo else " " + r[5])).split()]
        cut = min(wish - room, fig_w - max([cell_len(w) for w in h_fig.split()] + words))
        fig_w, room = fig_w - max(0, cut), room + max(0, cut)
    if room < wish:
        cut = min(wish - room, done_w - (6 + bar_width))
        done_w, room = done_w - max(0, cut), room + max(0, cut)
    name_w = max(12, min(max(longest, 0 if own_id else id_w), room))
    columns = [grid.Column(_("indicator") if own_id else _("indicator / id"), name_w)]
    if own_id:
        columns.append(grid.Column(h_id, id_w, style="cyan"))
    columns += [grid.Column(h_fig, fig_w, "right"), grid.Column(h_done, done_w), grid.Column(h_status, status_w)]
    if own_togo:
        columns.append(grid.Column(h_togo, togo_w, "right"))
    total = sum(c.width for c in columns) + gap * (len(columns) - 1)
    out: list[grid.Line | grid.Grid] = [grid.Line(Styled(safe.terminal(f"{title}{scope}"), style="bold"))]
    for n, (title_text, rows) in enumerate(groups):
        if n == 0:
            out.append(grid.Grid(columns, show_header=True))  # the column headings and their rule, once
        else:
            out.append(grid.BLANK)
        out.append(grid.Line(Styled(title_text, style="bold"), width=max(total, cell_len(title_text)), crop=False))
        cells_of_rows = []
        for name, ind_id, fig, done_bar, light_text, togo, _p in rows:
            cells = [Styled(name), Styled(ind_id)] if own_id else [Styled.assemble(name, "\n", (ind_id, "cyan"))]
            if own_togo or not togo:
                cells.append(Styled(fig))
            else:  # what it takes to finish, under the figure (narrow rows have a second line anyway)
                cells.append(Styled.assemble(fig, "\n", (togo, "dim")))
            cells += [done_bar, light_text]
            if own_togo:
                cells.append(Styled(togo))
            cells_of_rows.append(cells)
        out.append(grid.Grid(columns, cells_of_rows))
    out.append(grid.Line(Styled(_summary_line(report, lang))))
    if report.empty_ledger:
        first = next((p.indicator for p in report.rows if p.indicator.measure.value == "flow"), None)
        # dated the day read: inside the period and come (a fixed 31 March lay outside a school year's)
        example = (f"eduplan record {first.id} 3 --as-of {report.as_of}" if first
                   else f"eduplan record {_('indicator')} {_('value')}")  # as the help's usage line names them
        out.append(grid.Line(Styled(_("No figures recorded yet. Record the first with:") + "\n  ", style="yellow")
                             + Styled(example, style="bold")))
    for p in report.rows:
        if any(n.warns for n in p.notes):  # the core says which notes need someone to act
            out.append(grid.Line(Styled(safe.terminal(labelled(p.indicator, notes_text(p.notes, lang), lang)),
                                        style="yellow")))
    if report.county:  # what a county's targets are (its own, a share of the city's …), per indicator
        for text in labelled_notes(report.rows, lang, quiet=True):  # (the warnings are above)
            out.append(grid.Line(Styled(safe.terminal(text), style="dim")))
    if not report.empty_ledger and report.silent:
        out.append(grid.Line(Styled(silent_line(report, lang), style="yellow")))
    return out


def print_with_rich(blocks, opts) -> str:
    """Lines and tables of :mod:`eduplan.render.grid` printed by rich's ``Console`` and ``Table``
    (``box.SIMPLE_HEAD``, no edge, ``overflow="fold"``), as the status table was before the grid
    writer: what the grid writer must match."""
    from rich import box
    from rich.table import Table

    buf = io.StringIO()
    con = console(opts, buf)
    for block in blocks:
        if isinstance(block, grid.Grid):
            table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False,
                          show_header=block.show_header)
            for c in block.columns:
                table.add_column(c.header, width=c.width, justify=c.justify, style=c.style, overflow="fold")
            for row in block.rows:
                table.add_row(*(rich_text(cell) for cell in row))
            con.print(table)
        elif block is grid.BLANK:
            con.print()
        else:
            con.print(rich_text(block.text), width=block.width, crop=block.crop)
    return buf.getvalue()


def rich_text(text: Styled):
    from rich.text import Span, Text

    return Text(text.plain, style=text.style, spans=[Span(*s) for s in text.spans])


def silent_line(report: StatusReport, lang: str) -> str:
    """``本月未报送（6月1日起）：全市 3项、仙居县 5项``: who owes figures this month and sent none."""
    from ..i18n import msg, nmsg, separator

    parts = []
    for s in report.silent:  # each unit with its count, never broken between them (路桥区 14项)
        unit = unit_name(s.county, lang)
        parts.append(nmsg("{unit} {n} indicator", "{unit} {n} indicators", len(s.indicators), unit=unit)
                     .render(lang).replace(f"{unit} ", f"{unit}{linebreak.NBSP}", 1))
    return safe.terminal(msg("Not reported this month (since {start}): {units}",
                             start=report.rows[0].reporting.start if report.rows and report.rows[0].reporting else
                             report.as_of, units=separator(lang).join(parts)).render(lang))


def _summary_line(report: StatusReport, lang: str) -> str:
    _ = gettext(lang)
    s = report.summary
    tp = f"{_('time progress')} {pct(report.time_progress, 1)}{bracketed(str(report.as_of), lang)}"
    parts = [f"{status_label(k, lang)} {v}".replace(" ", linebreak.NBSP) for k, v in s.items()]  # never split
    return f"{tp} · " + " · ".join(parts) + f" · {_('total')} {sum(s.values())}"


def city_label(lang: str) -> str:
    return city(lang)


def county_cell(p: Progress, lang: str, scale: int = 1) -> Text:
    """A county's figure beside its light, in the status colour: ``1015 ▲``, ``56.3% ●``, ``完成``."""
    from rich.text import Text

    status = p.status.value
    if p.actual is None and p.state is None:
        return Text("·", style="dim")
    if p.state is not None and p.actual is None:
        return Text(state_label(p.state.value, lang, short=True), style=STATUS_STYLE[status])
    ind = p.indicator
    shown = amount(p.actual, "%") if ind.is_percent else number(p.actual, scale)
    return Text(f"{safe.terminal(shown)} {STATUS_DOT[status]}", style=STATUS_STYLE[status])


def _bands(widths: Sequence[int], room: int) -> list[int]:
    """The columns of ``widths`` in the fewest bands that each fit in ``room``, as even as can be:
    10 columns that do not fit at once → [5, 5]."""
    n = len(widths)
    for count in range(1, n + 1):
        size = -(-n // count)
        sizes = [min(size, n - k) for k in range(0, n, size)]
        start, ok = 0, True
        for part in sizes:
            ok = ok and sum(widths[start:start + part]) <= room
            start += part
        if ok:
            return sizes
    return [1] * n


FINDING_MIN = 30  # the narrow check table leaves its finding column at least this wide, if it can
NAME_MIN = 16  # the name column never narrower than this (8 Chinese characters a line)


def by_county(report: StatusReport, lang: str, opts) -> str:
    """Indicators × county-level units. One layout rule at every width: the counties (by the
    short names the bureau uses, 椒江 for 椒江区) and the city, each a figure beside its light,
    in as few bands as fit beside a name column of at least :data:`NAME_MIN` cells; the name
    wraps in its column, never cut."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    con = console(opts, buf)
    _ = gettext(lang)
    plan = report.plan
    counties = list(plan.plan.counties)
    short = short_names(counties)
    city = {p.indicator.id: p for p in report.rows}
    grid = report.county_grid  # (an indicator no county has a figure for is left to `status`)
    rows = []
    for ind_id, cells in grid.items():
        ind = plan.by_id[ind_id]
        unit = "" if ind.unit in ("%", "项") or ind.measure.value == "counties" else ind.unit
        name = safe.terminal(name_of(ind, lang)) + (bracketed(unit, lang) if unit else "")
        # the counties of one row in one unit (1015 beside 632, not 0.1万); the city's total may need 万
        scale = natural_scale(max((abs(cells[c].actual) for c in counties if cells[c].actual is not None), default=0))
        row = [county_cell(cells[c], lang, scale) for c in counties] + [county_cell(city[ind_id], lang, scale)]
        rows.append((name, ind_id, row))
    if not rows:
        con.print(Text(_("No county has recorded a figure for these indicators yet."), style="yellow"))
        return buf.getvalue()
    heads = [safe.terminal(short[c], one_line=True) for c in counties] + [city_label(lang)]
    widths = [max([cell_len(h)] + [r[2][k].cell_len for r in rows]) for k, h in enumerate(heads)]
    gap = 2
    scope = section_title(plan.section_by_id[report.section], lang) if report.section else ""
    title = " · ".join(x for x in (_("By county-level unit"), scope, str(report.as_of)) if x)
    con.print(Text(safe.terminal(title), style="bold"))
    longest = max([cell_len(r[0]) for r in rows] + [cell_len(_("indicator"))])
    start = 0
    for n, size in enumerate(_bands([w + gap for w in widths], con.width - 1 - NAME_MIN)):
        part = range(start, start + size)
        start += size
        used = sum(widths[k] + gap for k in part)
        name_w = max(NAME_MIN, min(longest, con.width - 1 - used))
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 0, 0, 0),
                      collapse_padding=True)
        table.add_column(_("indicator"), width=name_w, overflow="fold")
        for k in part:
            table.add_column(heads[k], width=widths[k] + gap - 1, justify="right", no_wrap=True)
        for name, _id, cells in rows:
            table.add_row(Text(name), *(cells[k] for k in part))
        if n:
            con.print()
        con.print(table)
    legend = "  ".join(f"{STATUS_DOT[k]} {status_label(k, lang)}" for k in STATUS_DOT)
    con.print(Text(legend, style="dim"))
    for text in grid_notes(grid, lang):
        con.print(Text(safe.terminal(text), style="dim"))
    if report.city_only:
        con.print(Text(nmsg("{n} more indicator has no county figures (only the city's: see `eduplan status`)",
                            "{n} more indicators have no county figures (only the city's: see `eduplan status`)",
                            report.city_only).render(lang), style="dim"))
    return buf.getvalue()


def short_names(counties: Sequence[str]) -> dict[str, str]:
    """The short names the bureau uses (椒江 for 椒江区), where they stay unambiguous."""
    from ..core.names import short_form

    shorts = {c: short_form(c) or c for c in counties}
    if len(set(shorts.values())) < len(shorts):
        return {c: c for c in counties}
    return shorts


def plan(doc: PlanDoc, lang: str, opts) -> str:
    from rich import box
    from rich.table import Table
    from rich.text import Text

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
        table.add_column(_("id"), no_wrap=True, style="cyan")
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
            kind = kind_label(ind, lang)
            if wide:
                table.add_row(name, ind.id, target_text(ind, lang=lang), kind)
            else:
                table.add_row(Text.assemble(name, "\n", (ind.id, "cyan")), target_text(ind, lang=lang), kind)
        table.add_section()
    con.print(table)
    actions = [s for s in p.sections if s.kind.value == "action"]
    if actions:
        t2 = Table(title=kind_heading(p, "action", lang), box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                   title_justify="left")
        t2.add_column(_("action id"), no_wrap=True, style="cyan")
        t2.add_column(_("action"), ratio=1)
        t2.add_column(_("indicators"), ratio=2)
        for s in actions:
            t2.add_row(s.id, safe.terminal(s.name if lang == "zh" else (s.name_en or s.name)),
                       ", ".join(i.id for i in p.in_section(s.id)))
        con.print(t2)
    return buf.getvalue()


def _log_table(rows: Sequence[Remark], plan, con: Console, lang: str) -> None:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    _ = gettext(lang)
    wide = con.width >= 110
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(_("indicator / unit · as of"), overflow="fold")
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
            value = Text(stored_value(e, ind.unit if ind else "", lang, apart=True))
        what = []
        text = remark(r, lang)
        if text:
            what.append(Text(safe.terminal(text), style="yellow" if e.supersedes is not None else ""))
        # in the reader's own time: entries recorded in two zones read in the order they were made
        who = safe.terminal(f"{e.by} · {e.recorded_at.astimezone():%Y-%m-%d %H:%M}", one_line=True)
        if not wide:
            what.append(Text(who, style="dim"))
        style = "dim strike" if r.withdrawn else ""
        name = safe.terminal(name_of(ind, lang), one_line=True) if ind else e.indicator
        where = Text.assemble((name, style), "\n",
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
    from rich import box
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    con = console(opts, buf)
    _ = gettext(lang)
    p = doc.row
    ind = p.indicator
    plan = doc.plan
    con.print(Text(safe.terminal(f"{name_of(ind, lang)}  "), style="bold") + Text(ind.id, style="cyan"))
    other = ind.name if lang == "en" else None  # the plan's own name beside an English one (not the other way)
    if other:
        con.print(Text(safe.terminal(other), style="dim"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")  # a long note wraps whole, never cut short with …
    for k, v in show_lines.lines(doc, lang):
        grid.add_row(k, safe.terminal(v))
    con.print(grid)
    if p.counties:
        t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title=_("County-level units"), title_justify="left")
        t.add_column(_("county-level unit"))
        t.add_column(_("figure"), justify="right")
        t.add_column(_("as of"))
        t.add_column("#", justify="right")
        for row in show_lines.county_rows(doc, lang):
            t.add_row(*(safe.terminal(c) for c in row))
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
    from rich import box
    from rich.table import Table
    from rich.text import Text

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
    plan = doc.plan

    def named(indicator: str) -> str:
        ind = plan.indicator(indicator)
        return safe.terminal(name_of(ind, lang), one_line=True) if ind else indicator

    rows = [(rule_label(f.rule, lang), f.severity, named(f.indicator), safe.terminal(unit_name(f.county, lang),
                                                                                     one_line=True),
             safe.terminal(finding_refs(f, lang)) or "—", safe.terminal(f.message.render(lang))) for f in doc.findings]
    # fixed widths; a long name folds, the finding takes what is left
    ids = min(max(cell_len(r[2]) for r in rows), 24 if wide else con.width // 3)
    refs = min(14, max([cell_len(_("entries"))] + [cell_len(r[4]) for r in rows]))
    if wide:
        units = max([cell_len(r[3]) for r in rows] + [cell_len(_("reporting unit"))])
        left = con.width - 1 - ids - units - refs - 2 * 4
        rule_w = min(max(cell_len(r[0]) for r in rows), max(10, left // 4))
        table.add_column(_("rule"), width=rule_w, overflow="fold")
        table.add_column(_("indicator"), width=ids, overflow="fold")
        table.add_column(_("reporting unit"), width=units, overflow="fold")
    else:
        # the rule over "indicator · unit": as wide as its longest line, while the finding keeps
        # FINDING_MIN cells (else a third of the page), so that a name breaks only when it must
        longest = max(max(cell_len(r[0]), cell_len(r[2]) + 3 + cell_len(r[3])) for r in rows)
        first = min(longest, max(con.width // 3, con.width - 1 - refs - 2 * 2 - FINDING_MIN))
        left = con.width - 1 - first - refs - 2 * 2
        table.add_column(_("rule / indicator · unit"), width=first, overflow="fold")
    table.add_column(_("entries"), width=refs, overflow="fold")
    table.add_column(_("finding"), width=max(16, left - (rule_w + 2 if wide else 0)), overflow="fold")
    for label, severity, indicator, where, entries, message in rows:
        rule = Text(label, style=RULE_STYLE.get(severity, ""))
        cells = ([rule, indicator, where] if wide else
                 [Text.assemble(rule, "\n", indicator, " · ", where)])
        cells += [entries, Text(message)]
        table.add_row(*cells)
    con.print(table)
    return buf.getvalue()
