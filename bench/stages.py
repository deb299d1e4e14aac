"""What each stage of a full rebuild costs an entry, on one SYNTHETIC ledger.

    .venv/bin/python bench/stages.py [LEDGER]     # default: the 100k ledger bench/run.py writes

A rebuild (the index deleted) reads every entry of the ledger in Python. This times, in one
process and best of three, the stages one entry goes through on the way from the file's bytes
to a row of the index, each over every entry of the ledger, and prints each stage's time in
all and per entry: the cut into blocks (with each block's hash), the block's text decoded,
the pattern of the tool's own form, the entry made from its texts, the two kinds of rules
(the fields together; the entry against the plan), the whole of ``parse_block`` (which is
those stages and a little more), the row made for SQLite, and the rows inserted into an
index held in memory. A rebuild shares this work between two processes
(``store/halves.py``) and then builds the indexes; ``bench/run.py`` times the whole command.

Some stages reach into private parts of the block reader and the index (``toml._BLOCK``,
``ledgerfile._quick_entry``, ``index._INSERT``): this is a measuring tool, to be changed with
them (tests/test_rebuild.py runs it). A stage's time includes freeing what it made, as a
rebuild frees it too. The figures are of
SYNTHETIC entries (bench/generate.py), never a bureau's results.
"""

from __future__ import annotations

import gc
import sqlite3

from parsers import ROOT, best, ledger_path  # (bench/ is this script's folder: the ledger and the timer are shared)


def timed(work):
    """(the quickest of three runs of ``work`` in seconds, what a fourth run gives)."""
    return best(work), work()


def main() -> int:
    path = ledger_path()
    if path is None:
        return 2
    from eduplan.core.entries import entry_plan_problems, shape_problems
    from eduplan.store import ledgerfile as lf
    from eduplan.store import toml
    from eduplan.store.index import _ENTRIES_TABLE, _INSERT, to_row
    from eduplan.store.planfile import load_plan

    raw = path.read_bytes()
    plan = load_plan(ROOT / "data" / "plan-2023.toml")
    gc.disable()  # as in a rebuild, where the collector is paused
    pattern = toml._BLOCK or toml._compile()[0]

    took, (_, blocks) = timed(lambda: lf.split(raw))
    n = len(blocks)
    print(f"{path.name}: {len(raw) / 2**20:.1f} MiB, {n:,} entries (SYNTHETIC); best of 3, one process")
    print(f"{'stage':<44} {'ms':>8} {'µs an entry':>12}")

    def say(stage: str, seconds: float) -> None:
        print(f"{stage:<44} {seconds * 1e3:8.1f} {seconds * 1e6 / n:12.2f}")

    say("cut into blocks, each hashed (split)", took)
    say("  of which the hashes (digest)", best(lambda: [lf.digest(b.data) for b in blocks]))
    took, texts = timed(lambda: [b.data.decode("utf-8") for b in blocks])
    say("text decoded", took)
    took, groups = timed(lambda: [m.groups() if (m := pattern.fullmatch(t)) else None for t in texts])
    say("the tool's own form (the pattern)", took)
    if any(g is None for g in groups):
        print("(some blocks are not in the tool's own form: the stages below skip them)")
    groups = [g for g in groups if g is not None]
    took, entries = timed(lambda: [lf._quick_entry(g, "") for g in groups])
    say("entry made from the texts", took)
    entries = [e for e in entries if e is not None]
    say("rules: the fields together (shape_problems)", best(lambda: [shape_problems(e) for e in entries]))
    say("rules: the entry and the plan", best(lambda: [entry_plan_problems(e, plan) for e in entries]))
    say("parse_block, all of the above but the cut", best(lambda: [lf.parse_block(b, "l", plan, "") for b in blocks]))
    took, rows = timed(lambda: [to_row(e, "l", 0, False) for e in entries])
    say("row made for SQLite (to_row)", took)

    def insert() -> None:
        con = sqlite3.connect(":memory:")
        con.execute(_ENTRIES_TABLE)
        con.executemany(_INSERT, rows)
        con.commit()
        con.close()

    say("rows inserted (an index in memory)", best(insert))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
