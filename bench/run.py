"""Time eduplan's commands as whole processes, beside the import floor and peer tools.

    .venv/bin/python bench/run.py                  # sizes 1k / 10k / 100k, 5 runs after 1 warm-up
    .venv/bin/python bench/run.py --million        # also 1M (3 runs there; ~30 min the first time)
    .venv/bin/python bench/run.py --quick          # sizes 1k / 10k only (no target at 100k judged)

Each benchmark is a command run with ``subprocess``; its wall time is measured from
spawn to ``os.wait4``, which also gives that child's peak RSS (``ru_maxrss``) and CPU
time. Its standard output is a pipe that this process drains and counts (never keeps).
After one warm-up run of every benchmark, the runs are interleaved round by round, so
that a slow moment of the machine hits every benchmark alike. The small benchmarks (the
floor, ``--help``, and every command and peer on an empty, 1k or 10k ledger) come first, in
``--runs-small`` rounds of their own (31): a fifth of a second each, they are cheap to run
often, and on a machine whose speed jumps between two levels five runs do not give a ratio. Figures are min / median /
max, the median as a ratio of the floor's (``python -c "import typer, rich.console,
rich.table, pydantic"``) and of ledger-cli's ``balance`` over the same entries.

Peers (each skipped with a line saying so when its binary is missing): ledger-cli and
hledger ``balance`` on journals converted from the same synthetic ledgers
(bench/peers.py), and one ``GROUP BY`` in the ``sqlite3`` shell over the same rows.

Ledgers are SYNTHETIC (bench/generate.py), written and converted under bench/out/ledgers/
(kept between runs, rebuilt when the generator or converter changes); the working
copies and the cache folders are bench/out/work/ and bench/out/cache*/ (emptied at the
start); results go to bench/out/results.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# This process imports only the standard library and generates ledgers in a child process:
# on Linux a child's ru_maxrss starts at its parent's RSS when it is spawned (the address
# space it is forked or vforked from counts until exec), so a small parent keeps the
# children's peak-memory figures honest. Peaks no higher than this process's are marked '?'.

FLOOR_IMPORTS = "import typer, rich.console, rich.table, pydantic"
AS_OF = "2023-12-31"  # the end of the plan year: what the peers' balance totals say too
STATUS_ARGS = ["status", "--format", "json", "--as-of", AS_OF]
EMPTY_ARGS = ["status", "--format", "json"]  # start-up: as before, no date to read
REPORT_ARGS = ["report", "--month", "2023-12", "--format", "json"]
LOG_ARGS = ["log", "--format", "json"]
# each run records the same figure again: the data-quality rules run (and say "duplicate"), --force stores it
RECORD_ARGS = ["record", "new-school-places", "1234", "--county", "椒江区", "--as-of", "2023-06-30", "--force"]
MIB = 1024 * 1024
HEAD = 64 * 1024  # bytes of each output kept for its check
BIG = 1_000_000
RESAMPLES = 2000  # runs resampled to judge how firmly a ratio target is met (Targets.firmness)


@dataclass
class Bench:
    key: str
    argv: list[str]
    env: dict[str, str]
    what: str
    size: int | None = None
    expect: bytes | None = None  # must appear in the first HEAD bytes of stdout
    setup: list[list[str]] = field(default_factory=list)  # commands run once before the warm-up
    prepare: Callable[[], None] | None = None  # before every run, warm-up included (not timed)
    prepare_what: str = ""
    max_runs: int = 1 << 30
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)  # bytes
    out_bytes: int = 0

    def stats(self) -> dict:
        return {"min": min(self.wall), "median": statistics.median(self.wall), "max": max(self.wall),
                "cpu_median": statistics.median(self.cpu), "peak_rss_mib": max(self.rss) / MIB,
                "runs": len(self.wall), "stdout_bytes": self.out_bytes, "size": self.size}


class CommandFailed(RuntimeError):
    pass


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, int, bytes]:
    """Run a command to the end: (wall s, cpu s, peak RSS bytes, stdout bytes, the first HEAD bytes of stdout)."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                                env=env, cwd=ROOT)
        head = b""
        total = 0
        fd = proc.stdout.fileno()
        while True:  # drained as a script reads it, never held whole (log at 1M writes ~400 MB)
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if len(head) < HEAD:
                head += chunk[:HEAD - len(head)]
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        proc.stdout.close()
        if proc.returncode != 0:
            err.seek(0)
            raise CommandFailed(f"{shlex.join(argv)} exited {proc.returncode}:\n"
                                f"{err.read()[-4000:].decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, total, head  # Linux: ru_maxrss in KiB


def child_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    for var in ("EDUPLAN_LEDGER", "EDUPLAN_PLAN", "PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME",
                "PYTHONDEVMODE", "PYTHONTRACEMALLOC", "PYTHONWARNINGS", "COLUMNS", "LEDGER_FILE", "LEDGER_INIT"):
        env.pop(var, None)
    env["EDUPLAN_CACHE_DIR"] = str(cache)
    env["EDUPLAN_USER"] = "bench"
    if "UTF-8" not in (env.get("LC_ALL") or env.get("LANG") or "").upper().replace("UTF8", "UTF-8"):
        env["LANG"] = "C.UTF-8"  # hledger reads the journal in the locale's encoding
        env.pop("LC_ALL", None)
    return env


def venv_tools(venv: Path) -> tuple[str, str]:
    py, cli = venv / "bin" / "python", venv / "bin" / "eduplan"
    if not py.exists() or not cli.exists():
        raise SystemExit(f"{venv}: no bin/python or bin/eduplan (is eduplan installed in it?)")
    return str(py), str(cli)


def version_of(python: str, dist: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({dist!r}))"
    return subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def tool_version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return "?"
    return out.strip().splitlines()[0] if out.strip() else "?"


def fmt_n(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def _stale(path: Path, *sources: Path) -> bool:
    return not path.exists() or any(path.stat().st_mtime < s.stat().st_mtime for s in sources)


def ensure_ledger(n: int, seed: int) -> Path:
    """The synthetic ledger of n entries; regenerated when missing or older than the generator."""
    path = BENCH / "out" / "ledgers" / f"synthetic-{n}-seed{seed}.toml"
    if _stale(path, BENCH / "generate.py"):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(BENCH / "generate.py"), str(n), "--seed", str(seed), "-o", str(path)],
                       check=True, cwd=ROOT)
        print(f"  generated {path.relative_to(ROOT)} ({n:,} entries, {time.perf_counter() - t0:.1f}s)", flush=True)
    return path


def ensure_peer_files(ledger: Path) -> tuple[Path, Path]:
    """The ledger as a journal and as a plain SQLite table (bench/peers.py), converted when stale."""
    journal, db = ledger.with_suffix(".journal"), ledger.with_suffix(".sqlite")
    converter = BENCH / "peers.py"
    if _stale(journal, ledger, converter) or _stale(db, ledger, converter):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(converter), str(ledger)], check=True, cwd=ROOT)
        print(f"  converted {ledger.name} for the peers ({time.perf_counter() - t0:.1f}s)", flush=True)
    return journal, db


def latest_sql() -> str:
    """The peers' GROUP BY, read from bench/peers.py without importing it (it is not stdlib-only)."""
    text = (BENCH / "peers.py").read_text(encoding="utf-8")
    start = text.index("LATEST_SQL = (") + len("LATEST_SQL = ")
    end = text.index("\n)\n", start) + 2
    import ast

    return ast.literal_eval(text[start:end])


class HandEdit:
    """Change one entry's figure in place, same size, alternately there and back: each run
    finds one block whose bytes the index has not seen (a hand edit of a flow's value)."""

    def __init__(self, path: Path):
        self.path = path
        size = path.stat().st_size
        with open(path, "rb") as fh:
            fh.seek(size // 2)
            window = fh.read(1 << 20)
        at = 0
        while True:
            at = window.index(b"\nvalue = ", at + 1)
            end = window.index(b"\n", at + 1)
            if not window.startswith(b"numerator", end + 1):  # a flow: its value stands alone
                break
        self.offset = size // 2 + end - 1  # the value's last digit
        self.original = window[end - 1:end]
        self.flipped = bytes([ord("0") + ((self.original[0] - ord("0")) ^ 1)])
        self.line = window[at + 1:end].decode()
        self.edited = False

    def __call__(self) -> None:
        self.edited = not self.edited
        fd = os.open(self.path, os.O_WRONLY)
        try:
            os.pwrite(fd, self.flipped if self.edited else self.original, self.offset)
        finally:
            os.close(fd)


class HandInsert:
    """Insert a comment line between the first two entries, and take it out the next run: the
    file changes size, and every entry after the line moves (its bytes and lines shift), as a
    note typed in by hand near the top would do. The block before the line is new to the index."""

    LINE = b"# checked by hand (a SYNTHETIC benchmark edit)\n"

    def __init__(self, path: Path):
        self.path = path
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
        first = head.index(b"\n[[entries]]\n") + 1
        self.offset = head.index(b"\n[[entries]]\n", first) + 1  # the second entry's header line
        self.inserted = False

    CHUNK = 1 << 20

    def __call__(self) -> None:
        """In place, as an editor that writes the file again; moved a MiB at a time, so that
        this process stays small (children's peaks are judged against its own: reading the
        1M ledger whole made it 772 MiB and every peak at 1M untrustworthy)."""
        at, line, step = self.offset, self.LINE, self.CHUNK
        with open(self.path, "r+b") as fh:
            size = fh.seek(0, os.SEEK_END)
            if self.inserted:  # take the line out: everything after it moves back
                fh.seek(at)
                assert fh.read(len(line)) == line
                pos = at + len(line)
                while pos < size:
                    fh.seek(pos)
                    chunk = fh.read(step)
                    fh.seek(pos - len(line))
                    fh.write(chunk)
                    pos += len(chunk)
                fh.truncate(size - len(line))
            else:  # put it in: everything after it moves on, the last MiB first
                end = size
                while end > at:
                    start = max(at, end - step)
                    fh.seek(start)
                    chunk = fh.read(end - start)
                    fh.seek(start + len(line))
                    fh.write(chunk)
                    end = start
                fh.seek(at)
                fh.write(line)
        self.inserted = not self.inserted


class DropIndex:
    """Delete every ledger index in a cache folder (the next command rebuilds it from the file)."""

    def __init__(self, cache: Path):
        self.cache = cache

    def __call__(self) -> None:
        for p in self.cache.glob("ledger-*.sqlite*"):
            p.unlink()


class ForgetShown:
    """Drop the bulletins every ledger index in a cache folder keeps (the next `report` makes its
    bulletin again from the index), in a write of the tool's own kind: the mark a write by another
    program sets (``meta``'s ``outside``) is put back as it was, so the index is not rebuilt."""

    def __init__(self, cache: Path):
        self.cache = cache

    def __call__(self) -> None:
        import sqlite3

        for p in self.cache.glob("ledger-*.sqlite"):
            con = sqlite3.connect(p, isolation_level=None)
            try:
                con.execute("BEGIN IMMEDIATE")
                (outside,) = con.execute("SELECT value FROM meta WHERE key = 'outside'").fetchone()
                con.execute("DELETE FROM memo WHERE key GLOB 'shown:*'")
                con.execute("UPDATE meta SET value = ? WHERE key = 'outside'", (outside,))
                con.execute("COMMIT")
            finally:
                con.close()


# --------------------------------------------------------------------------- targets


@dataclass
class Targets:
    results: dict
    rows: list[dict] = field(default_factory=list)

    def med(self, key: str) -> float | None:
        return self.results[key]["median"] if key in self.results else None

    def peak(self, key: str) -> float | None:
        return self.results[key]["peak_rss_mib"] if key in self.results else None

    def ratio(self, a: str, b: str) -> float | None:
        x, y = self.med(a), self.med(b)
        return x / y if x is not None and y else None

    def firmness(self, a: str, b: str, limit: float) -> float | None:
        """How firmly the ratio of ``a``'s and ``b``'s medians is within ``limit``: the share of
        runs resampled from this one's rounds (each benchmark's times drawn again, with
        replacement, as many as it has; two benchmarks of the same rounds drawn round by round,
        so that a slow moment hits both as it did) whose ratio of medians is within it. The
        same figures always give the same share. None with fewer than 5 runs of either."""
        if a not in self.results or b not in self.results:
            return None
        ra, rb = self.results[a], self.results[b]
        wa, wb = ra["wall"], rb["wall"]
        if len(wa) < 5 or len(wb) < 5:
            return None
        together = len(wa) == len(wb) and ((ra["size"] or 0) <= 10_000) == ((rb["size"] or 0) <= 10_000)
        rng = random.Random(0)
        within = 0
        for _ in range(RESAMPLES):
            pick = [rng.randrange(len(wa)) for _ in wa]
            other = pick if together else [rng.randrange(len(wb)) for _ in wb]
            within += statistics.median([wa[i] for i in pick]) <= limit * statistics.median([wb[i] for i in other])
        return within / RESAMPLES

    def add(self, name: str, value: float | None, limit: float, unit: str, why_na: str = "",
            firm: float | None = None) -> None:
        if value is None:
            self.rows.append({"target": name, "value": None, "limit": limit, "unit": unit, "result": "n/a",
                              "why": why_na})
            return
        self.rows.append({"target": name, "value": value, "limit": limit, "unit": unit,
                          "result": "PASS" if value <= limit else "FAIL", "resampled_within": firm})

    def add_ratio(self, name: str, a: str, b: str, limit: float, why_na: str = "") -> None:
        """A target on the ratio of two benchmarks' medians, with how firmly it is met."""
        self.add(name, self.ratio(a, b), limit, "×", why_na, self.firmness(a, b, limit))


def judge(results: dict, sizes: list[int], have_ledger: bool) -> list[dict]:
    t = Targets(results)
    no_ledger = "ledger-cli is not installed" if not have_ledger else ""
    # issue #15, point 4
    for n in (100_000, BIG):
        s = fmt_n(n)
        missing = no_ledger or ("" if n in sizes else f"size {s} not run" + (" (--million)" if n == BIG else ""))
        for cmd in ("status", "report"):
            t.add_ratio(f"{cmd} json warm at {s} ≤ 0.3× ledger-cli balance", f"{cmd}-json-{s}", f"ledger-{s}",
                        0.3, missing)
    for cmd in ("status", "report"):
        t.add(f"{cmd} json warm at 1M: peak memory < 200 MiB", t.peak(f"{cmd}-json-1M"), 200.0, "MiB",
              "size 1M not run (--million)")
    for kind, what in (("edit", "after a same-size hand edit of one entry"),
                       ("insert", "after a line typed in near the top (every entry moves)"),
                       ("rebuild", "after deleting the index")):
        t.add_ratio(f"status at 100k {what} ≤ 2× ledger-cli balance", f"status-{kind}-100k", "ledger-100k", 2.0,
                    no_ledger or "size 100k not run")
    logs = [n for n in sizes if f"log-json-{fmt_n(n)}" in results]
    large = logs[-1] if logs else None
    small = max((n for n in logs if large and n * 10 <= large), default=None)
    if small:  # the largest size against the largest one at least 10x smaller (1M against 100k)
        a, b = t.peak(f"log-json-{fmt_n(large)}"), t.peak(f"log-json-{fmt_n(small)}")
        t.add(f"log --format json streams: peak at {fmt_n(large)} ≤ 1.25× peak at {fmt_n(small)}", a / b, 1.25, "×")
    else:
        t.add("log --format json streams (peak memory bounded)", None, 1.25, "×", "needs two sizes 10× apart")
    t.add_ratio("record at 1M ≤ 1.2× record at 1k", "record-1M", "record-1k", 1.2,
                "size 1M not run (--million)" if BIG not in sizes else "size 1k not run")
    t.add_ratio("status (table) empty ≤ 1.2× floor", "status-empty-table", "floor", 1.2)
    t.add_ratio("status --format json empty ≤ 1.0× floor", "status-empty-json", "floor", 1.0)
    # earlier targets, kept
    t.add_ratio("--help ≤ 1.2× floor", "help", "floor", 1.2)
    t.add_ratio("record at 1k ≤ 1.2× floor", "record-1k", "floor", 1.2, "size 1k not run")
    t.add_ratio("record at 100k ≤ 1.2× record at 1k", "record-100k", "record-1k", 1.2, "size 100k not run")
    t.add_ratio("status json warm at 10k ≤ 2× status json empty", "status-json-10k", "status-empty-json", 2.0,
                "size 10k not run")
    return t.rows


def report(results: dict, targets: list[dict], notes: list[str], parent_mib: float, compared: bool = False) -> None:
    """The table and the targets, as printed at the end of a run (and by --judge)."""
    print()
    head = (f"{'benchmark':<20} {'runs':>4} {'min ms':>9} {'median':>9} {'max ms':>9} {'cpu ms':>9} {'×floor':>7} "
            f"{'×ledger':>8} {'peak MiB':>9}")
    print(head)
    print("-" * len(head))
    for key, s in results.items():
        unsure = "?" if s["peak_rss_mib"] <= parent_mib + 0.5 else " "
        xl = f"{s['x_ledger']:8.2f}" if s["x_ledger"] is not None else f"{'':>8}"
        print(f"{key:<20} {s['runs']:>4} {s['min'] * 1e3:9.1f} {s['median'] * 1e3:9.1f} {s['max'] * 1e3:9.1f} "
              f"{s['cpu_median'] * 1e3:9.1f} {s['x_floor']:7.2f} {xl} {s['peak_rss_mib']:8.1f}{unsure}")
    print(f"×floor: median ÷ floor median. ×ledger: median ÷ ledger-cli balance median at the same size. "
          f"cpu: median user+sys. peak: max ru_maxrss over the runs (this process peaked at {parent_mib:.1f} MiB; "
          f"'?' marks a peak no higher, not trustworthy)")
    for note in notes:
        print(note)
    if compared:
        print("(×floor of a @typer row is relative to that venv's own floor)")
    print("\ntargets:")
    for t in targets:
        if t["value"] is None:
            shown = f"— ({t['why']})" if t.get("why") else "—"
        else:
            shown = f"{t['value']:.2f}{t['unit']}" if t["unit"] == "×" else f"{t['value']:.1f} {t['unit']}"
            if t.get("resampled_within") is not None:
                shown += f"  (within in {t['resampled_within']:.0%} of resampled runs)"
        print(f"  {t['result']:<5} {t['target']:<62} {shown}")


def rejudge(path: Path) -> int:
    """Print a results file's table again, with the targets judged by this version of run.py."""
    data = json.loads(path.read_text(encoding="utf-8"))
    meta = data["meta"]
    targets = judge(data["results"], meta["sizes"], bool((meta.get("peers") or {}).get("ledger")))
    print(f"{path}: eduplan at {meta['commit']}, started {meta['started']}, load average at start "
          + " ".join(f"{x:.2f}" for x in meta["loadavg_at_start"]))
    report(data["results"], targets, data.get("notes", []), meta["parent_peak_rss_mib"], bool(meta.get("compare_venvs")))
    return 0


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark eduplan beside its import floor and peer tools "
                                             "(see bench/README.md).")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per benchmark after one warm-up (at least 5) [5]")
    ap.add_argument("--sizes", default="1000,10000,100000", help="ledger sizes, comma-separated [1000,10000,100000]")
    ap.add_argument("--million", action="store_true", help="add the 1,000,000 size (generated once, ~2 min; "
                                                           "each round then takes minutes)")
    ap.add_argument("--runs-1m", type=int, default=3, help="timed runs of the 1M benchmarks (at least 1) [3]")
    ap.add_argument("--runs-small", type=int, default=31,
                    help="timed runs of the benchmarks on an empty, 1k or 10k ledger (and the floor and --help), "
                         "in rounds of their own before the rest (at least --runs) [31]")
    ap.add_argument("--quick", action="store_true", help="sizes 1000,10000 only (targets at 100k are not judged)")
    ap.add_argument("--no-peers", action="store_true", help="leave out ledger-cli, hledger and sqlite3")
    ap.add_argument("--rewarm", action=argparse.BooleanOptionalAction, default=None,
                    help="in each round, run each command on an empty or 1k/10k ledger once untimed right before its "
                         "timed run, so that it is timed with a warm page cache and not right after a 1M benchmark "
                         "emptied it [on with --million]")
    ap.add_argument("--seed", type=int, default=2023, help="generator seed [2023]")
    ap.add_argument("--compare-venv", type=Path, action="append", default=[],
                    help="another venv with eduplan installed (e.g. one with typer 0.29): also time its "
                         "floor, --help and status --format json (repeatable)")
    ap.add_argument("--out", type=Path, default=BENCH / "out" / "results.json", help="results file "
                                                                                     "[bench/out/results.json]")
    ap.add_argument("--judge", type=Path, metavar="RESULTS", help="run nothing: print the table of a results file "
                                                                  "again and judge its targets")
    args = ap.parse_args(argv)
    if args.judge:
        return rejudge(args.judge)
    if args.runs < 5:
        ap.error("--runs must be at least 5")
    if args.runs_1m < 1:
        ap.error("--runs-1m must be at least 1")
    if args.runs_small < args.runs:
        ap.error("--runs-small must be at least --runs")
    sizes = [1000, 10000] if args.quick else sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if args.million and BIG not in sizes:
        sizes.append(BIG)
    runs_big = min(args.runs, args.runs_1m)

    print("reproduce: cd " + shlex.quote(str(ROOT)) + " && .venv/bin/python bench/run.py"
          + "".join(" " + shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv)))
    venv = Path(sys.prefix)
    py, cli = venv_tools(venv)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "src"],
                           capture_output=True, text=True).stdout.strip()
    peers = {} if args.no_peers else {name: shutil.which(name) for name in ("ledger", "hledger", "sqlite3")}
    meta = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "typer": version_of(py, "typer"), "rich": version_of(py, "rich"), "pydantic": version_of(py, "pydantic"),
            "tomli": version_of(py, "tomli"), "commit": commit + ("+dirty src" if dirty else ""), "runs": args.runs,
            "runs_1m": runs_big if BIG in sizes else None, "runs_small": args.runs_small, "sizes": sizes,
            "started": time.strftime("%Y-%m-%d %H:%M:%S %z"),
            "peers": {"ledger": tool_version(["ledger", "--version"]) if peers.get("ledger") else None,
                      "hledger": tool_version(["hledger", "--version"]) if peers.get("hledger") else None,
                      "sqlite3": tool_version(["sqlite3", "--version"]) if peers.get("sqlite3") else None}}
    print(f"python {meta['python']} on {meta['platform']}, {meta['cpus']} CPUs; typer {meta['typer']}, rich "
          f"{meta['rich']}, pydantic {meta['pydantic']}, tomli {meta['tomli']}; eduplan at {meta['commit']}; "
          f"{args.runs} runs after 1 warm-up" + (f" ({runs_big} at 1M)" if BIG in sizes else "")
          + f", {args.runs_small} on an empty, 1k or 10k ledger")
    for name, version in meta["peers"].items():
        if version:
            print(f"peer {name}: {version}")
    if os.environ.get("PYTHONPATH"):
        meta["pythonpath"] = os.environ["PYTHONPATH"]
        print(f"note: PYTHONPATH={os.environ['PYTHONPATH']} is passed on: the children may import eduplan from there")
    load = os.getloadavg()
    meta["loadavg_at_start"] = load
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (other work on the machine widens "
          "the spread)", flush=True)

    out_dir = BENCH / "out"
    work = out_dir / "work"
    cache = out_dir / "cache"
    for folder in [work, *out_dir.glob("cache*")]:
        shutil.rmtree(folder, ignore_errors=True)
    work.mkdir(parents=True)
    env = child_env(cache)
    empty = work / "empty.toml"  # never created: a missing ledger is an empty ledger

    notes: list[str] = []
    ledgers = {n: ensure_ledger(n, args.seed) for n in sizes}
    if args.no_peers:
        notes.append("peers: left out (--no-peers)")
    for name, apt in (("ledger", "ledger"), ("hledger", "hledger"), ("sqlite3", "sqlite3")):
        if not args.no_peers and not peers[name]:
            notes.append(f"{name}: not installed (`apt-get install {apt}`); its benchmarks are skipped"
                         + ("; the targets relative to ledger-cli are n/a" if name == "ledger" else ""))
    peer_files = {n: ensure_peer_files(path) for n, path in ledgers.items()} if any(peers.values()) else {}

    def big(n: int | None) -> int:
        return runs_big if n == BIG else args.runs

    benches: list[Bench] = [
        Bench("floor", [py, "-c", FLOOR_IMPORTS], env, f'python -c "{FLOOR_IMPORTS}"'),
        Bench("help", [cli, "--help"], env, "eduplan --help", expect=b"status"),
        Bench("status-empty-table", [cli, "status", "--ledger", str(empty)], env,
              "eduplan status (empty ledger, table)"),
        Bench("status-empty-json", [cli, *EMPTY_ARGS, "--ledger", str(empty)], env,
              "eduplan status --format json (empty ledger)", expect=b'"summary"'),
    ]
    for n, path in ledgers.items():
        s = fmt_n(n)
        benches.append(Bench(f"status-json-{s}", [cli, *STATUS_ARGS, "--ledger", str(path)], env,
                             f"eduplan status --format json ({n:,} entries, warm index)", n, b'"summary"',
                             max_runs=big(n)))
        if n >= 100_000:
            benches.append(Bench(f"report-json-{s}", [cli, *REPORT_ARGS, "--ledger", str(path)], env,
                                 f"eduplan report --month 2023-12 --format json ({n:,} entries, warm index)", n,
                                 b'"monthly-bulletin"', max_runs=big(n)))
        if 100_000 <= n < BIG:  # (at 1M a bulletin's month is too long to be kept: every report is made)
            benches.append(Bench(f"report-made-{s}", [cli, *REPORT_ARGS, "--ledger", str(path)], env,
                                 f"eduplan report --month 2023-12 --format json ({n:,} entries, warm index, the "
                                 "bulletin made again)", n, b'"monthly-bulletin"', prepare=ForgetShown(cache),
                                 prepare_what="the bulletins the index keeps dropped (its digest stays)",
                                 max_runs=big(n)))
        if n >= 10_000:
            benches.append(Bench(f"log-json-{s}", [cli, *LOG_ARGS, "--ledger", str(path)], env,
                                 f"eduplan log --format json ({n:,} entries, warm index; all of it, streamed)", n,
                                 b'"recorded_at"', max_runs=big(n)))
        copy = work / f"record-{n}.toml"
        shutil.copyfile(path, copy)
        benches.append(Bench(f"record-{s}", [cli, *RECORD_ARGS, "--ledger", str(copy)], env,
                             f"eduplan record ({n:,} entries, warm index; each run adds one)", n,
                             setup=[[cli, *STATUS_ARGS, "--ledger", str(copy)]], max_runs=big(n)))
        if n >= 100_000:
            copy = work / f"edit-{n}.toml"
            shutil.copyfile(path, copy)
            edit = HandEdit(copy)
            benches.append(Bench(f"status-edit-{s}", [cli, *STATUS_ARGS, "--ledger", str(copy)], env,
                                 f"eduplan status --format json after a hand edit of one entry ({n:,} entries)", n,
                                 b'"summary"', setup=[[cli, *STATUS_ARGS, "--ledger", str(copy)]], prepare=edit,
                                 prepare_what=f"one digit of `{edit.line}` at byte {edit.offset} flipped, "
                                              "back the next run", max_runs=big(n)))
            copy = work / f"insert-{n}.toml"
            shutil.copyfile(path, copy)
            insert = HandInsert(copy)
            benches.append(Bench(f"status-insert-{s}", [cli, *STATUS_ARGS, "--ledger", str(copy)], env,
                                 f"eduplan status --format json after a line is typed in near the top ({n:,} "
                                 "entries)", n, b'"summary"', setup=[[cli, *STATUS_ARGS, "--ledger", str(copy)]],
                                 prepare=insert, prepare_what=f"a comment line inserted at byte {insert.offset} "
                                                              "(every entry after it moves), out again the next run",
                                 max_runs=big(n)))
            copy = work / f"rebuild-{n}.toml"
            shutil.copyfile(path, copy)
            rebuild_cache = out_dir / f"cache-rebuild-{s}"
            benches.append(Bench(f"status-rebuild-{s}", [cli, *STATUS_ARGS, "--ledger", str(copy)],
                                 child_env(rebuild_cache),
                                 f"eduplan status --format json after deleting the index ({n:,} entries, full "
                                 "rebuild)", n, b'"summary"', prepare=DropIndex(rebuild_cache),
                                 prepare_what=f"rm {rebuild_cache.relative_to(ROOT)}/ledger-*.sqlite*",
                                 max_runs=big(n)))
        if n in peer_files:
            journal, db = peer_files[n]
            if peers.get("ledger"):
                benches.append(Bench(f"ledger-{s}", [peers["ledger"], "--args-only", "-f", str(journal), "balance"],
                                     env, f"ledger-cli balance ({n:,} transactions)", n, b"figures",
                                     max_runs=big(n)))
            if peers.get("hledger"):
                benches.append(Bench(f"hledger-{s}", [peers["hledger"], "-f", str(journal), "balance"], env,
                                     f"hledger balance ({n:,} transactions)", n, b"figures", max_runs=big(n)))
            if peers.get("sqlite3"):
                benches.append(Bench(f"sqlite-{s}", [peers["sqlite3"], "-readonly", "-batch", str(db), latest_sql()],
                                     env, f"sqlite3 GROUP BY, latest per indicator and county ({n:,} rows)", n,
                                     b"|", max_runs=big(n)))

    alt_versions = {}
    for other in args.compare_venv:
        opy, ocli = venv_tools(other)
        tv = version_of(opy, "typer")
        tag = f"typer{tv}"
        alt_versions[str(other)] = tv
        benches += [
            Bench(f"floor@{tag}", [opy, "-c", FLOOR_IMPORTS], env, f"floor, {other} (typer {tv})"),
            Bench(f"help@{tag}", [ocli, "--help"], env, f"eduplan --help, {other} (typer {tv})"),
            Bench(f"status-empty-json@{tag}", [ocli, *EMPTY_ARGS, "--ledger", str(empty)], env,
                  f"status --format json (empty), {other}"),
        ]
        if 10000 in ledgers:
            benches.append(Bench(f"status-json-10k@{tag}", [ocli, *STATUS_ARGS, "--ledger", str(ledgers[10000])], env,
                                 f"status --format json (10,000), {other}", 10000))
    meta["compare_venvs"] = alt_versions

    print(f"\ncommands timed (cwd {ROOT}, env EDUPLAN_CACHE_DIR={cache} EDUPLAN_USER=bench; the rebuild benchmarks "
          "have a cache folder of their own):")
    for b in benches:
        print(f"  {b.key:<20} {shlex.join(b.argv)}")
        for s in b.setup:
            print(f"  {'':<20}   (once before: {shlex.join(s)})")
        if b.prepare_what:
            print(f"  {'':<20}   (before each run, not timed: {b.prepare_what})")
    for note in notes:
        print(f"  {note}")

    def timed(b: Bench) -> tuple[float, float, int, int, bytes]:
        if b.prepare is not None:
            b.prepare()
        result = run_once(b.argv, b.env)
        if b.expect is not None and b.expect not in result[4]:
            raise CommandFailed(f"{shlex.join(b.argv)}: {b.expect!r} is not in its output:\n"
                                f"{result[4][:500].decode(errors='replace')}")
        return result

    small = [b for b in benches if (b.size or 0) <= 10_000]  # the floor, --help, empty, 1k, 10k: peers too
    for b in small:
        b.max_runs = args.runs_small
    rest = [b for b in benches if b not in small]
    rounds = max((big(b.size) for b in rest), default=0)
    print(f"\nwarm-up, then {args.runs_small} interleaved rounds over the {len(small)} small benchmarks"
          + (f" and {rounds} over the other {len(rest)}" if rest else "") + " ...", flush=True)
    t0 = time.perf_counter()
    for b in benches:
        for s in b.setup:
            run_once(s, b.env)
        timed(b)
    print(f"  warm-up done ({time.perf_counter() - t0:.0f}s)", flush=True)
    rewarm = args.million if args.rewarm is None else args.rewarm
    if rewarm:
        print("  each command on an empty, 1k or 10k ledger runs once untimed before each timed run (--rewarm)")

    def one_round(group: list[Bench]) -> None:
        for b in group:
            if len(b.wall) >= b.max_runs:
                continue
            if rewarm and (b.size or 0) <= 10_000 and b.prepare is None:
                run_once(b.argv, b.env)  # the page cache as a user's next command finds it
            wall, cpu, rss, nbytes, _ = timed(b)
            b.wall.append(wall)
            b.cpu.append(cpu)
            b.rss.append(rss)
            b.out_bytes = nbytes

    t0 = time.perf_counter()
    for _ in range(args.runs_small):
        one_round(small)
    print(f"  {args.runs_small} rounds of the small benchmarks done ({time.perf_counter() - t0:.0f}s)", flush=True)
    for r in range(rounds):
        t0 = time.perf_counter()
        one_round(rest)
        print(f"  round {r + 1}/{rounds} done ({time.perf_counter() - t0:.0f}s)", flush=True)

    results = {b.key: b.stats() | {"command": b.argv, "what": b.what, "prepare": b.prepare_what or None,
                                    "wall": b.wall, "cpu": b.cpu, "rss_mib": [x / MIB for x in b.rss]}
               for b in benches}
    floors = {"": results["floor"]["median"]} | {f"@typer{tv}": results[f"floor@typer{tv}"]["median"]
                                                  for tv in alt_versions.values()}
    for key, res in results.items():
        res["x_floor"] = res["median"] / floors[key[key.index("@"):] if "@" in key else ""]
        peer = f"ledger-{fmt_n(res['size'])}" if res["size"] and "@" not in key else None
        res["x_ledger"] = res["median"] / results[peer]["median"] if peer in results else None
    parent_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MIB
    meta["parent_peak_rss_mib"] = parent_mib

    targets = judge(results, sizes, bool(peers.get("ledger")))
    report(results, targets, notes, parent_mib, bool(alt_versions))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"meta": meta, "notes": notes, "results": results, "targets": targets},
                                   ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
