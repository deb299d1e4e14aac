"""A simulated province (issue #14): 90 county offices recording monthly for a year, read as
one ledger folder of per-office files and as the same entries in one file, side by side.

    .venv/bin/python bench/offices.py                 # 90 offices, ~70,000 entries, 5 runs
    .venv/bin/python bench/offices.py --runs 9 --entries 70000 --offices 90

Everything here is SYNTHETIC. The plan is the bundled 2023 plan with its nine counties
replaced by ``--offices`` made-up county-level units (合成县01 …) and its county targets and
declared offices removed (they name the real counties); every indicator keeps its target.
The entries come from bench/generate.py over that plan (rising totals, ratios, states,
corrections and voids), written to one file; ``eduplan split`` then makes the folder (one
file per office, ids kept), exactly as an office would.

Each command is a whole process (``status --format json`` at the year end); its wall time
is measured from spawn to ``os.wait4``, which also gives its peak RSS. After one warm-up of
each, runs are interleaved round by round. Two cases per layout:

* warm: the SQLite index is up to date (the everyday case);
* rebuild: the index is deleted before every run (after a hand edit, or on a new clone).

The target is the folder within 1.5× of the one file. Files go to bench/out/offices/.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out" / "offices"
STATUS = ["status", "--format", "json", "--as-of", "2023-12-31"]


def province_plan(offices: int, path: Path) -> Path:
    """The bundled plan over ``offices`` synthetic counties (no county targets, no declared offices)."""
    import tomli_w

    data = tomllib.loads((ROOT / "data" / "plan-2023.toml").read_text(encoding="utf-8"))
    counties = [f"合成县{i:02d}" for i in range(1, offices + 1)]
    data["plan"]["id"] = f"synthetic-province-{offices}"
    data["plan"]["title"] = f"合成省级测试计划（{offices}个县级单位，SYNTHETIC）"
    data["plan"]["counties"] = counties
    data.pop("offices", None)
    for ind in data["indicators"]:
        ind.pop("county_targets", None)
        if ind.get("measure") == "counties" and ind.get("unit") != "%" and ind.get("target", 0) > offices:
            ind["target"] = offices
    path.write_text("# SYNTHETIC plan for the offices benchmark (bench/offices.py)\n" + tomli_w.dumps(data),
                    encoding="utf-8")
    return path


def build(offices: int, entries: int) -> tuple[Path, Path, Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    plan = province_plan(offices, OUT / f"plan-{offices}.toml")
    one = OUT / f"ledger-{offices}-{entries}.toml"
    folder = OUT / f"ledger-{offices}-{entries}"
    env = {**os.environ, "EDUPLAN_PLAN": str(plan), "EDUPLAN_CACHE_DIR": str(OUT / "cache-build")}
    if not one.exists():
        code = (f"import sys; sys.path.insert(0, {str(BENCH)!r}); import generate; "
                f"from eduplan.store.planfile import load_plan; from pathlib import Path; "
                f"plan = load_plan(Path({str(plan)!r})); "
                f"generate.write_ledger(Path({str(one)!r}), {entries}, plan=plan)")
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
    if not folder.exists():
        subprocess.run([sys.executable, "-m", "eduplan", "split", str(folder), "--ledger", str(one)], check=True,
                       env=env, stdout=subprocess.DEVNULL)
    return plan, one, folder


def run_case(argv, env) -> tuple[float, int, bytes]:
    """One whole process: wall time from spawn to wait4, the child's peak RSS, its output."""
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, str(OUT / "stdout"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, str(OUT / "stderr"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"{' '.join(argv)} failed: {(OUT / 'stderr').read_text(errors='replace')}")
    return wall, usage.ru_maxrss * 1024, (OUT / "stdout").read_bytes()


def _figures(out: bytes) -> str:
    """The status document without the office of each county figure (the one file has none)."""
    doc = json.loads(out)
    for ind in doc["indicators"]:
        for c in ind["counties"]:
            c.pop("office", None)
    return json.dumps(doc, sort_keys=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--offices", type=int, default=90)
    ap.add_argument("--entries", type=int, default=70_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    plan, one, folder = build(args.offices, args.entries)
    files = len(list(folder.glob("*.toml")))
    exe = shutil.which("eduplan", path=str(Path(sys.executable).parent)) or "eduplan"
    cases = {}
    for layout, ledger in (("one file", one), ("folder", folder)):
        for mode in ("warm", "rebuild"):
            cache = OUT / f"cache-{layout.replace(' ', '-')}-{mode}"
            shutil.rmtree(cache, ignore_errors=True)
            env = {**os.environ, "EDUPLAN_PLAN": str(plan), "EDUPLAN_LEDGER": str(ledger),
                   "EDUPLAN_CACHE_DIR": str(cache), "LANG": "C.UTF-8"}
            cases[(layout, mode)] = (env, cache, [])
    outputs = {}
    for round_ in range(args.runs + 1):  # round 0 is the warm-up
        for (layout, mode), (env, cache, times) in cases.items():
            if mode == "rebuild":
                shutil.rmtree(cache, ignore_errors=True)
            wall, rss, out = run_case([exe, *STATUS], env)
            if round_:
                times.append((wall, rss))
            outputs[(layout, mode)] = out
    same = len({_figures(o) for o in outputs.values()}) == 1
    print(f"SYNTHETIC province: {args.offices} county offices + the city office, {args.entries:,} entries; "
          f"folder of {files} files vs one file; `eduplan {' '.join(STATUS)}`; {args.runs} runs after a warm-up")
    print(f"the same figures in every case (the office of each county figure aside): {same}")
    print(f"{'case':<22}{'min':>9}{'median':>9}{'max':>9}{'peak MiB':>10}{'× one file':>12}")
    for mode in ("warm", "rebuild"):
        base = statistics.median(w for w, _ in cases[("one file", mode)][2])
        for layout in ("one file", "folder"):
            walls = [w for w, _ in cases[(layout, mode)][2]]
            peak = max(r for _, r in cases[(layout, mode)][2]) / 2**20
            med = statistics.median(walls)
            print(f"{layout + ', ' + mode:<22}{min(walls):>8.3f}s{med:>8.3f}s{max(walls):>8.3f}s{peak:>10.0f}"
                  f"{med / base:>12.2f}")
    if not same:
        raise SystemExit("the folder and the one file gave different status documents")


if __name__ == "__main__":
    main()
