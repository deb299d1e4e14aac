"""Compiled TOML parsers beside eduplan's own block reader, on one SYNTHETIC ledger.

    .venv/bin/python bench/parsers.py [LEDGER]     # default: the 100k ledger bench/run.py writes

The issue that brought in the SQLite index asked whether a faster strict TOML 1.0 parser pays
for a rebuild. This times, in one process and best of three, each parser that is installed
(tomli, the standard library's tomllib, and where present toml-rs, rtoml and pytomlpp: ``pip
install`` them to compare; a missing one is said and skipped) turning the whole ledger into
tables, and eduplan's block reader turning the same text into checked entries
(``store/ledgerfile.py``, ``store/toml.py``), with the cut into blocks (which a rebuild needs
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


def best(work, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.exists():
        print(f"{path} is missing: run bench/run.py first (it writes the synthetic ledgers)", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT / "src"))
    from eduplan.store import ledgerfile as lf
    from eduplan.store import toml

    raw = path.read_bytes()
    text = raw.decode("utf-8")
    _, blocks = lf.split(raw)
    print(f"{path.name}: {len(raw) / 2**20:.1f} MiB, {len(blocks):,} entries (SYNTHETIC)")
    gc.disable()  # as in a rebuild, where the collector is paused
    for name in PARSERS:
        try:
            parser = importlib.import_module(name)
        except ImportError:
            print(f"  {name:<22} not installed")
            continue
        tables = parser.loads(text)["entries"]
        assert len(tables) == len(blocks)
        print(f"  {name:<22} {best(lambda: parser.loads(text)):6.3f} s  tables only (not yet checked or entries)")

    def read() -> list:
        return [lf._quick_entry(toml.entry_groups(b.data.decode("utf-8")), "") for b in blocks]

    entries = read()
    if any(e is None for e in entries):
        print("  (some blocks are not in the tool's own form: they take the general way in a rebuild)")
    print(f"  {'eduplan block reader':<22} {best(read):6.3f} s  entries, each value's form checked")
    print(f"  {'cut into blocks':<22} {best(lambda: lf.split(raw)):6.3f} s  (with each block's hash; needed either way)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
