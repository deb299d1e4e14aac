"""Compiled TOML parsers beside eduplan's own block reader, on one SYNTHETIC ledger.

    .venv/bin/python bench/parsers.py [LEDGER]     # default: the 100k ledger bench/run.py writes

The issue that brought in the SQLite index asked whether a faster strict TOML 1.0 parser pays
for a rebuild. This times, in one process and best of three, each parser that is installed
(tomli, the standard library's tomllib, and where present toml-rs, rtoml and pytomlpp: ``pip
install`` them to compare; a missing one is said and skipped) turning the whole ledger into
tables, then those tables checked and made entries as a rebuild checks them
(``ledgerfile.check_row``), beside eduplan's block reader turning the same text into the same
checked entries (``ledgerfile.parse_block``), with the cut into blocks (which a rebuild needs
whichever parser reads them: each block's hash lets a hand edit re-read only what changed)
timed apart. The figures are of SYNTHETIC entries (bench/generate.py).
"""

from __future__ import annotations

import gc
import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "bench" / "out" / "ledgers" / "synthetic-100000-seed2023.toml"
PARSERS = ("toml_rs", "rtoml", "pytomlpp", "tomli", "tomllib")


def _first_line(field: str | None) -> int:  # where a problem would be said (none is, on these entries)
    return 1


def best(work, runs: int = 3) -> float:
    """The quickest of ``runs`` runs of ``work``, in seconds (each with the freeing of what it made)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def ledger_path() -> Path | None:
    """The ledger the command line names (by default the 100k one bench/run.py writes), with
    eduplan's source made importable; None, and a line saying so, if it is missing."""
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.exists():
        print(f"{path} is missing: run bench/run.py first (it writes the synthetic ledgers)", file=sys.stderr)
        return None
    sys.path.insert(0, str(ROOT / "src"))
    return path


def main() -> int:
    path = ledger_path()
    if path is None:
        return 2
    from eduplan.store import ledgerfile as lf
    from eduplan.store.planfile import load_plan

    raw = path.read_bytes()
    text = raw.decode("utf-8")
    _, blocks = lf.split(raw)
    print(f"{path.name}: {len(raw) / 2**20:.1f} MiB, {len(blocks):,} entries (SYNTHETIC)")
    gc.disable()  # as in a rebuild, where the collector is paused
    plan = load_plan(ROOT / "data" / "plan-2023.toml")

    def read() -> list:
        return [lf.parse_block(b, "ledger", plan, "").entry for b in blocks]

    reference = read()
    if any(e is None for e in reference):
        print("  (some blocks are not in the tool's own form, or have a problem: they take the general way)")
    for name in PARSERS:
        try:
            parser = importlib.import_module(name)
        except ImportError:
            print(f"  {name:<22} not installed")
            continue
        tables = parser.loads(text)["entries"]
        assert len(tables) == len(blocks)

        def checked(parser=parser) -> list:  # each table checked and made an entry as a rebuild does
            rows = parser.loads(text)["entries"]
            return [lf.check_row(row, b, "ledger", plan, "", _first_line).entry for row, b in zip(rows, blocks)]

        same = checked() == reference
        print(f"  {name:<22} {best(lambda: parser.loads(text)):6.3f} s  tables only;  checked into entries "
              f"{best(checked):6.3f} s{'' if same else '  (NOT the same entries)'}")

    print(f"  {'eduplan block reader':<22} {best(read):6.3f} s  checked into entries (parse_block)")
    print(f"  {'cut into blocks':<22} {best(lambda: lf.split(raw)):6.3f} s  (with each block's hash; needed either way)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
