"""Time eduplan's commands as whole processes, against the cost of importing its libraries.

    .venv/bin/python bench/run.py                      # 5 runs, sizes 1,000 / 10,000 / 100,000
    .venv/bin/python bench/run.py --quick              # sizes 1,000 / 10,000 only
    .venv/bin/python bench/run.py --compare-venv /tmp/v29   # also time another venv (e.g. typer 0.29)

Each benchmark is a command run with ``subprocess``; its wall time is measured from
spawn to ``os.wait4``, which also gives that child's peak RSS (``ru_maxrss``). After one
warm-up run of every benchmark (it also writes bytecode and warms the ledger cache),
the runs are interleaved round by round, so that a slow moment of the machine hits
every benchmark alike. Each figure is reported as min / median / max and as the ratio
of its median to the floor's: ``python -c "import typer, rich.console, rich.table,
pydantic"`` with the same interpreter, measured in the same rounds.

Ledgers are SYNTHETIC (bench/generate.py), written under bench/out/ledgers/; the cache
lives in bench/out/cache/ (emptied at the start); results go to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# This process imports only the standard library and generates ledgers in a child process:
# on Linux a child's ru_maxrss starts at its parent's RSS when it is spawned (the address
# space it is forked or vforked from counts until exec), so a small parent keeps the
# children's peak-memory figures honest. main() checks that the parent stayed small.

FLOOR_IMPORTS = "import typer, rich.console, rich.table, pydantic"
# each run records the same figure again: the data-quality rules run (and say "duplicate"), --force stores it
RECORD_ARGS = ["record", "new-school-places", "1234", "--county", "椒江区", "--as-of", "2023-06-30", "--force"]
REPORT_ARGS = ["report", "--month", "2023-06", "--format", "json"]
MIB = 1024 * 1024


@dataclass
class Bench:
    key: str
    argv: list[str]
    env: dict[str, str]
    what: str
    setup: list[list[str]] = field(default_factory=list)  # commands run once before the warm-up
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)  # bytes

    def stats(self) -> dict:
        return {"min": min(self.wall), "median": statistics.median(self.wall), "max": max(self.wall),
                "cpu_median": statistics.median(self.cpu), "peak_rss_mib": max(self.rss) / MIB,
                "runs": len(self.wall)}


class CommandFailed(RuntimeError):
    pass


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, bytes]:
    """Run a command to the end; (wall seconds, cpu seconds, peak RSS bytes, stdout)."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                                env=env, cwd=ROOT)
        out = proc.stdout.read()  # a pipe, as a script would read it
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        proc.stdout.close()
        if proc.returncode != 0:
            err.seek(0)
            raise CommandFailed(f"{shlex.join(argv)} exited {proc.returncode}:\n{err.read().decode(errors='replace')}")
    kib = usage.ru_maxrss  # Linux: KiB
    return wall, usage.ru_utime + usage.ru_stime, kib * 1024, out


def child_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    for var in ("EDUPLAN_LEDGER", "EDUPLAN_PLAN", "PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME",
                "PYTHONDEVMODE", "PYTHONTRACEMALLOC", "PYTHONWARNINGS"):
        env.pop(var, None)
    env["EDUPLAN_CACHE_DIR"] = str(cache)
    env["EDUPLAN_USER"] = "bench"
    return env


def venv_tools(venv: Path) -> tuple[str, str]:
    py, cli = venv / "bin" / "python", venv / "bin" / "eduplan"
    if not py.exists() or not cli.exists():
        raise SystemExit(f"{venv}: no bin/python or bin/eduplan (is eduplan installed in it?)")
    return str(py), str(cli)


def version_of(python: str, dist: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({dist!r}))"
    return subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def fmt_n(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def ensure_ledger(n: int, seed: int) -> Path:
    """The synthetic ledger of n entries; regenerated when missing or older than the generator."""
    path = BENCH / "out" / "ledgers" / f"synthetic-{n}-seed{seed}.toml"
    generator = BENCH / "generate.py"
    if not path.exists() or path.stat().st_mtime < generator.stat().st_mtime:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(generator), str(n), "--seed", str(seed), "-o", str(path)],
                       check=True, cwd=ROOT)
        print(f"  generated {path.relative_to(ROOT)} ({n} entries, {time.perf_counter() - t0:.1f}s)", flush=True)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark eduplan's start-up and commands (see bench/README.md).")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per benchmark after one warm-up (at least 5) [5]")
    ap.add_argument("--sizes", default="1000,10000,100000", help="ledger sizes, comma-separated [1000,10000,100000]")
    ap.add_argument("--quick", action="store_true", help="sizes 1000,10000 only (targets at 100k are not judged)")
    ap.add_argument("--seed", type=int, default=2023, help="generator seed [2023]")
    ap.add_argument("--compare-venv", type=Path, action="append", default=[],
                    help="another venv with eduplan installed (e.g. one with typer 0.29): also time its "
                         "floor, --help and status --format json (repeatable)")
    ap.add_argument("--out", type=Path, default=BENCH / "out" / "results.json", help="results file [bench/out/results.json]")
    args = ap.parse_args(argv)
    if args.runs < 5:
        ap.error("--runs must be at least 5")
    sizes = [1000, 10000] if args.quick else sorted({int(s) for s in args.sizes.split(",") if s.strip()})

    print("reproduce: cd " + shlex.quote(str(ROOT)) + " && .venv/bin/python bench/run.py"
          + "".join(" " + shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv)))
    venv = Path(sys.prefix)
    py, cli = venv_tools(venv)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "src"],
                           capture_output=True, text=True).stdout.strip()
    meta = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "typer": version_of(py, "typer"), "rich": version_of(py, "rich"), "pydantic": version_of(py, "pydantic"),
            "commit": commit + ("+dirty src" if dirty else ""), "runs": args.runs, "sizes": sizes,
            "started": time.strftime("%Y-%m-%d %H:%M:%S %z")}
    print(f"python {meta['python']} on {meta['platform']}, {meta['cpus']} CPUs; typer {meta['typer']}, rich "
          f"{meta['rich']}, pydantic {meta['pydantic']}; eduplan at {meta['commit']}; {args.runs} runs after 1 warm-up")
    if os.environ.get("PYTHONPATH"):
        meta["pythonpath"] = os.environ["PYTHONPATH"]
        print(f"note: PYTHONPATH={os.environ['PYTHONPATH']} is passed on: the children may import eduplan from there")
    load = os.getloadavg()
    meta["loadavg_at_start"] = load
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (other work on the machine widens the spread)")

    out_dir = BENCH / "out"
    work = out_dir / "work"
    cache = out_dir / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = child_env(cache)
    empty = work / "empty.toml"  # never created: a missing ledger is an empty ledger

    ledgers = {n: ensure_ledger(n, args.seed) for n in sizes}

    benches: list[Bench] = [
        Bench("floor", [py, "-c", FLOOR_IMPORTS], env, f'python -c "{FLOOR_IMPORTS}"'),
        Bench("help", [cli, "--help"], env, "eduplan --help"),
        Bench("status-empty-table", [cli, "status", "--ledger", str(empty)], env, "eduplan status (empty, table)"),
        Bench("status-empty-json", [cli, "status", "--format", "json", "--ledger", str(empty)], env,
              "eduplan status --format json (empty)"),
    ]
    for n, path in ledgers.items():
        benches.append(Bench(f"status-json-{fmt_n(n)}", [cli, "status", "--format", "json", "--ledger", str(path)], env,
                             f"eduplan status --format json ({n:,} entries)"))
    for n, path in ledgers.items():
        copy = work / f"record-{n}.toml"
        shutil.copyfile(path, copy)
        benches.append(Bench(f"record-{fmt_n(n)}", [cli, *RECORD_ARGS, "--ledger", str(copy)], env,
                             f"eduplan record ({n:,} entries, warm cache)",
                             setup=[[cli, "status", "--format", "json", "--ledger", str(copy)]]))
    notes: list[str] = []
    if 10000 in ledgers:
        probe = subprocess.run([cli, "report", "--help"], capture_output=True, env=env, cwd=ROOT)
        if probe.returncode == 0:
            benches.append(Bench("report-json-10k", [cli, *REPORT_ARGS, "--ledger", str(ledgers[10000])], env,
                                 "eduplan report --month 2023-06 --format json (10,000 entries)"))
        else:
            notes.append("report: not available (`eduplan report` does not exist in this checkout yet); skipped")
    else:
        notes.append("report: needs the 10,000 size; skipped")
    alt_versions = {}
    for other in args.compare_venv:
        opy, ocli = venv_tools(other)
        tv = version_of(opy, "typer")
        tag = f"typer{tv}"
        alt_versions[str(other)] = tv
        benches += [
            Bench(f"floor@{tag}", [opy, "-c", FLOOR_IMPORTS], env, f"floor, {other} (typer {tv})"),
            Bench(f"help@{tag}", [ocli, "--help"], env, f"eduplan --help, {other} (typer {tv})"),
            Bench(f"status-empty-json@{tag}", [ocli, "status", "--format", "json", "--ledger", str(empty)], env,
                  f"status --format json (empty), {other}"),
        ]
        if 10000 in ledgers:
            benches.append(Bench(f"status-json-10k@{tag}", [ocli, "status", "--format", "json", "--ledger",
                                                            str(ledgers[10000])], env,
                                 f"status --format json (10,000), {other}"))
    meta["compare_venvs"] = alt_versions

    print("\ncommands timed (cwd " + str(ROOT) + ", env EDUPLAN_CACHE_DIR=" + str(cache) + " EDUPLAN_USER=bench):")
    for b in benches:
        print(f"  {b.key:<24} {shlex.join(b.argv)}")
        for s in b.setup:
            print(f"  {'':<24}   (once before: {shlex.join(s)})")
    for note in notes:
        print(f"  {note}")

    print(f"\nwarm-up + {args.runs} interleaved rounds over {len(benches)} benchmarks ...", flush=True)
    for b in benches:
        for s in b.setup:
            run_once(s, b.env)
        run_once(b.argv, b.env)
    for r in range(args.runs):
        for b in benches:
            wall, cpu, rss, _ = run_once(b.argv, b.env)
            b.wall.append(wall)
            b.cpu.append(cpu)
            b.rss.append(rss)
        print(f"  round {r + 1}/{args.runs} done", flush=True)

    results = {b.key: b.stats() | {"command": b.argv, "what": b.what, "wall": b.wall, "cpu": b.cpu,
                                    "rss_mib": [x / MIB for x in b.rss]} for b in benches}
    floors = {"": results["floor"]["median"]}
    for path, tv in alt_versions.items():
        floors[f"@typer{tv}"] = results[f"floor@typer{tv}"]["median"]
    floor_mins = {"": results["floor"]["min"]} | {f"@typer{tv}": results[f"floor@typer{tv}"]["min"]
                                                   for tv in alt_versions.values()}
    for key, res in results.items():
        suffix = key[key.index("@"):] if "@" in key else ""
        res["x_floor"] = res["median"] / floors[suffix]
        res["x_floor_min"] = res["min"] / floor_mins[suffix]
    parent_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MIB
    meta["parent_peak_rss_mib"] = parent_mib

    # ---- the table
    print()
    head = (f"{'benchmark':<28} {'min ms':>8} {'median':>8} {'max ms':>8} {'cpu ms':>8} {'×floor':>7} "
            f"{'(min)':>6} {'peak MiB':>9}")
    print(head)
    print("-" * len(head))
    for b in benches:
        s = results[b.key]
        unsure = "?" if s["peak_rss_mib"] <= parent_mib + 0.5 else " "
        print(f"{b.key:<28} {s['min'] * 1e3:8.1f} {s['median'] * 1e3:8.1f} {s['max'] * 1e3:8.1f} "
              f"{s['cpu_median'] * 1e3:8.1f} {s['x_floor']:7.2f} {s['x_floor_min']:6.2f} {s['peak_rss_mib']:8.1f}{unsure}")
    print(f"×floor: median ÷ floor median; (min): min ÷ floor min. cpu: median user+sys. "
          f"peak: max ru_maxrss (this process peaked at {parent_mib:.1f} MiB; '?' marks a peak no higher, not trustworthy)")
    for note in notes:
        print(note)
    if alt_versions:
        print("(× floor of a @typer row is relative to that venv's own floor)")

    # ---- targets
    def med(key):
        return results[key]["median"] if key in results else None

    targets = []

    def target(name, value, limit, unit, ok=None):
        if value is None:
            targets.append({"target": name, "value": None, "limit": limit, "result": "n/a"})
            return
        ok = value <= limit if ok is None else ok
        targets.append({"target": name, "value": value, "limit": limit, "unit": unit, "result": "PASS" if ok else "FAIL"})

    floor = floors[""]
    target("status (table) empty ≤ 1.2× floor", med("status-empty-table") / floor, 1.2, "×")
    target("status --format json (empty) ≤ 1.0× floor", med("status-empty-json") / floor, 1.0, "×")
    target("--help ≤ 1.2× floor", med("help") / floor, 1.2, "×")
    for n in sizes:
        target(f"record ({fmt_n(n)}) ≤ 1.2× floor", med(f"record-{fmt_n(n)}") / floor, 1.2, "×")
    r1, r100 = med("record-1k"), med("record-100k")
    target("record at 100k ≤ 1.2× record at 1k", r100 / r1 if r1 and r100 else None, 1.2, "×")
    s10, s0 = med("status-json-10k"), med("status-empty-json")
    target("status json at 10k ≤ 2× status json empty", s10 / s0 if s10 else None, 2.0, "×")
    s100 = med("status-json-100k")
    target("status json at 100k < 2 s", s100, 2.0, "s", ok=s100 is not None and s100 < 2.0)
    peak = max((results[k]["peak_rss_mib"] for k in ("status-json-100k", "record-100k") if k in results), default=None)
    target("peak memory at 100k < 150 MiB", peak, 150.0, "MiB", ok=peak is not None and peak < 150.0)
    print("\ntargets:")
    for t in targets:
        shown = "—" if t["value"] is None else (f"{t['value']:.2f}{t['unit']}" if t["unit"] == "×"
                                                 else f"{t['value']:.2f} {t['unit']}")
        print(f"  {t['result']:<5} {t['target']:<45} {shown}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"meta": meta, "notes": notes, "results": results, "targets": targets},
                                   ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
