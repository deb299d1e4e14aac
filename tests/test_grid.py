"""The status table written by the grid writer is the table rich prints, character for character.

``eduplan status`` writes its table with :mod:`eduplan.render.grid` (for start-up time); rich's
``Console`` and ``Table`` stay as the reference (:func:`eduplan.render.table.status_with_rich`).
Every page here is rendered both ways and compared: in a pipe (no colour) byte for byte, and on a
terminal (colour) escape for escape. Figures and plans here are SYNTHETIC.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SYNTHETIC_PLAN
from eduplan.render import Options, grid, safe, table
from eduplan.render.grid import Styled
from helpers import plan_with_names, ws_for

WIDTHS = [60, 80, 100, 120, 160, 200]
D = ["--as-of", "2023-06-30"]

# SYNTHETIC figures in the bundled plan, one indicator in each status (the two not judged are the plan's own:
# their baselines are unknown)
SYNTHETIC_FIGURES = [
    ("quality-projects", "400"),  # done: over the target
    ("closed-loop-mechanism", "done"),  # done: a milestone
    ("construction-projects", "45"),  # on track: 53% at mid-year
    ("exam-epidemic-safety", "进行中"),  # on track: a milestone in progress
    ("studio-rural-base-schools", "18"),  # lagging: 45%, 4.6 points below the expected 49.6%
    ("investment", "1200000000"),  # behind: 13%
    ("public-kindergarten-share", "50"),  # a level below its 56% target
]

# A SYNTHETIC plan whose names hold what a hand edit may put there and safe.terminal lets through: tabs, new
# lines, very long words, wide punctuation and spaces, combining marks, emoji sequences, an escape shown as text.
# names a plan file may not hold (a control sequence, tabs and line breaks, a zero-width joiner):
# the loader refuses them; a plan made with them anyway must still lay out as rich lays it out
HOSTILE_NAMES = {
    "新建公办幼儿园": "新建公办幼儿园\t建设\t\t完成（含“普惠”、「民办转公办」！）\u001b[31m统计",
    "新增学位": "超长名称没有空格" * 12,
    "New school places": "averyveryverylongnamewithoutanyspaces" * 3,
    "平台上线": "平台上线\u0301\u0308e\u0301 ok\t→tab 🎉👍🏽 👨\u200d👩\u200d👧 ☺\ufe0f",
    "重点一": "重点一\t标题　全角空格，。；：？！",
    "辍学率": "辍学率\n第二行 second line\n\n",
    "Synthetic test plan": "Synthetic\ttest plan  ",
}


def _differences(report, widths=WIDTHS) -> list[str]:
    """Where the grid writer's page differs from rich's, at every width, in both languages, with
    colour and without."""
    out = []
    for lang in ("zh", "en"):
        for width in widths:
            for color in (False, True):
                opts = Options(width=width, color=color)
                ours, rich = table.status(report, lang, opts), table.status_with_rich(report, lang, opts)
                if ours != rich:
                    out.append(f"{lang} width {width} colour {color}:\n{_first_difference(ours, rich)}")
    return out


def _first_difference(ours: str, rich: str) -> str:
    for n, (a, b) in enumerate(zip(ours.splitlines(), rich.splitlines())):
        if a != b:
            return f"line {n}:\n  grid {a!r}\n  rich {b!r}"
    return f"{len(ours.splitlines())} lines against {len(rich.splitlines())}"


def test_bundled_plan_on_an_empty_ledger_is_rich_table_exactly(tmp_path):
    from eduplan.services import status
    from eduplan.store.paths import bundled_plan_path

    report = status(ws_for(bundled_plan_path(), tmp_path / "empty.toml"))
    assert report.empty_ledger and len(report.rows) > 60
    assert not _differences(report)


def test_figures_in_every_status_are_rich_table_exactly(run, tmp_path, ledger_path, monkeypatch):
    from eduplan.services import status
    from eduplan.store.paths import bundled_plan_path

    for indicator, value in SYNTHETIC_FIGURES:
        run.ok("record", indicator, value, *D)
    run.ok("record", "new-school-places-total", "12000", *D, "--county", "椒江区")
    ws = ws_for(bundled_plan_path(), ledger_path)
    report = status(ws, as_of="2023-06-30")
    assert {p.status.value for p in report.rows} == {"done", "on_track", "lagging", "behind", "not_judged", "no_data"}
    assert not _differences(report)
    assert not _differences(status(ws, as_of="2023-06-30", county="椒江区"), [80])  # a county's view, with its notes


def test_hostile_names_are_rich_table_exactly(tmp_path):
    from helpers import synthetic_half_year

    from eduplan.services import status

    plan_path = tmp_path / "plan.toml"
    plan_path.write_text(SYNTHETIC_PLAN, encoding="utf-8")
    hostile = plan_with_names(SYNTHETIC_PLAN, HOSTILE_NAMES)

    def ws_with(ledger):
        ws = ws_for(plan_path, ledger)
        ws.__dict__["_plan"] = hostile  # (the Workspace's plan, as if its file had loaded)
        return ws

    ws = ws_with(tmp_path / "ledger.toml")
    synthetic_half_year(tmp_path / "ledger.toml", ws.plan)
    report = status(ws, as_of="2023-06-30")
    names = " ".join(p.indicator.name for p in report.rows)
    assert "\t" in names and "\n" in names and "\u200d" in names and "\u0301" in names
    assert not _differences(report)
    assert not _differences(status(ws_with(tmp_path / "empty.toml")), [80])  # the hint of an empty ledger


@pytest.mark.parametrize("colour", [False, True])
def test_the_command_writes_the_grid(run, monkeypatch, colour, ledger_path):
    """What ``eduplan status`` prints, in a pipe and with colour forced, is rich's table."""
    from eduplan.services import status
    from eduplan.store.paths import bundled_plan_path

    run.ok("record", "quality-projects", "400", *D)
    monkeypatch.setenv("COLUMNS", "80")
    if colour:
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("TERM", "xterm-256color")
    out = run.ok("status", *D).stdout
    report = status(ws_for(bundled_plan_path(), ledger_path), as_of="2023-06-30")
    assert out == table.status_with_rich(report, "zh", Options(width=80, color=colour))
    assert ("\x1b[" in out) == colour


def test_status_starts_without_rich_console_table_or_text(tmp_path):
    """The status table needs none of rich's layout machinery (importing it costs about 40 ms)."""
    env = dict(os.environ, COLUMNS="100", FORCE_COLOR="1", EDUPLAN_LEDGER=str(tmp_path / "l.toml"))
    code = ("import sys; sys.argv[1:] = ['status']; from eduplan.cli import main; assert main() == 0; "
            "sys.stderr.write(' '.join(m for m in sys.modules if m.startswith('rich')))")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = done.stderr.split()
    assert "rich.cells" in loaded and "\x1b[" in done.stdout
    assert not {"rich.console", "rich.table", "rich.text", "rich.style"} & set(loaded), loaded


# --------------------------------------------------------------------------- any text, any widths

_ALPHABET = list("ab xyz-./%") + ["中", "文", "，", "。", "　", "（", "）", "“", "”", "\t", "\n", "\u0301", "\u200d",
                                    "\ufe0f", "👍", "🏽", "☺", "é", "█", "┃", "\x1b", "\r"]
_texts = (st.text(alphabet=st.sampled_from(_ALPHABET), max_size=8)  # most cells fit their column
          | st.text(alphabet=st.sampled_from(_ALPHABET), max_size=40)).map(safe.terminal)
_styles = st.sampled_from(["", "bold", "dim", "cyan", "yellow", "bold red", "green", "bold magenta", "dim strike"])


@st.composite
def _styled(draw) -> Styled:
    parts = draw(st.lists(st.tuples(_texts, _styles), min_size=1, max_size=3))
    text = Styled.assemble(*((t, s) for t, s in parts), style=draw(_styles))
    if draw(st.booleans()):
        text = Styled(draw(_texts), draw(_styles)) + text
    return text


@st.composite
def _grids(draw) -> grid.Grid:
    columns = [grid.Column(draw(st.sampled_from(["", "指标", "actual/target", "id", "完成 ┃应完成"])),
                           draw(st.integers(1, 30)), draw(st.sampled_from(["left", "right"])),
                           draw(st.sampled_from([None, "cyan", "dim"])))
               for _ in range(draw(st.integers(1, 5)))]
    rows = draw(st.lists(st.lists(_styled(), min_size=len(columns), max_size=len(columns)), max_size=3))
    return grid.Grid(columns, rows, show_header=draw(st.booleans()))


@st.composite
def _lines(draw) -> grid.Line:
    return grid.Line(draw(_styled()), width=draw(st.none() | st.integers(1, 80)), crop=draw(st.booleans()))


@settings(max_examples=150, deadline=None)
@given(blocks=st.lists(_grids() | _lines() | st.just(grid.BLANK), min_size=1, max_size=3),
       width=st.integers(8, 120), color=st.booleans())
def test_any_cells_at_any_width_are_rich_table_exactly(blocks, width, color):
    """Whatever the cells hold and however wide the columns and the page (a table wider than the
    page shrinks as rich shrinks it), the grid writer writes what rich prints."""
    opts = Options(width=width, color=color)
    assert grid.write(blocks, width, color) == table.print_with_rich(blocks, opts)
