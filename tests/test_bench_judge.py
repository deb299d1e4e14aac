"""``bench/run.py --judge``: the targets of a results file, each ratio with how firmly it is met.

The results here are made up (no command is run): each benchmark's times per round, as
``bench/run.py`` writes them."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parents[1] / "bench" / "run.py"


def _results(tmp_path: Path, walls: dict[str, tuple[int | None, list[float]]]) -> Path:
    results = {}
    for key, (size, wall) in walls.items():
        results[key] = {"min": min(wall), "median": statistics.median(wall), "max": max(wall),
                        "cpu_median": statistics.median(wall), "peak_rss_mib": 30.0, "runs": len(wall),
                        "stdout_bytes": 1, "size": size, "wall": wall, "x_floor": 1.0, "x_ledger": None}
    path = tmp_path / "results.json"
    path.write_text(json.dumps({
        "meta": {"commit": "test", "started": "2026-01-01 00:00:00 +0000", "loadavg_at_start": [0, 0, 0],
                 "sizes": [1000, 100000], "peers": {"ledger": "Ledger 3"}, "parent_peak_rss_mib": 19.0},
        "notes": [], "results": results}), encoding="utf-8")
    return path


class _Judged(dict):
    def __getitem__(self, target: str) -> str:
        """The line of a target (its name may run into its figures)."""
        (line,) = [line for line in self.values() if line[8:].startswith(target + " ")]
        return line


def _judged(path: Path) -> _Judged:
    done = subprocess.run([sys.executable, str(RUN), "--judge", str(path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return _Judged(enumerate(done.stdout.split("\ntargets:\n")[1].splitlines()))


def test_a_ratio_says_in_how_many_resampled_runs_it_is_within_its_target(tmp_path):
    ledger = [1.0, 1.3, 1.1, 1.2, 1.0, 1.4, 1.1]
    walls = {
        "ledger-100k": (100_000, ledger),
        # every round a fifth of ledger-cli's: within in every resampled run
        "status-json-100k": (100_000, [0.2 * x for x in ledger]),
        # round by round 0.25x or 0.35x of ledger-cli: the median falls on either side
        "report-json-100k": (100_000, [(0.25 if i % 2 else 0.35) * x for i, x in enumerate(ledger)]),
        # 2.5x in every round: never within
        "status-rebuild-100k": (100_000, [2.5 * x for x in ledger]),
    }
    path = _results(tmp_path, walls)
    judged = _judged(path)
    status = judged["status json warm at 100k ≤ 0.3× ledger-cli balance"]
    assert status.startswith("  PASS") and "within in 100% of resampled runs" in status
    rebuild = judged["status at 100k after deleting the index ≤ 2× ledger-cli balance"]
    assert rebuild.startswith("  FAIL") and "within in 0% of resampled runs" in rebuild
    report = judged["report json warm at 100k ≤ 0.3× ledger-cli balance"]
    share = int(report.rsplit("within in ", 1)[1].split("%")[0])
    assert 20 <= share <= 80, report
    assert _judged(path) == judged  # the same figures, the same shares


def test_rounds_timed_side_by_side_are_resampled_together(tmp_path):
    """A slow moment hits both benchmarks of a round alike: drawn round by round, their ratio
    stays what it is in every round, however much the rounds differ from each other."""
    ledger = [0.5, 2.0, 1.0, 3.0, 0.7, 1.5, 2.5]
    walls = {"ledger-100k": (100_000, ledger), "report-json-100k": (100_000, [0.29 * x for x in ledger])}
    judged = _judged(_results(tmp_path, walls))
    assert "within in 100% of resampled runs" in judged["report json warm at 100k ≤ 0.3× ledger-cli balance"]


def test_a_ratio_of_fewer_than_five_runs_says_nothing_of_its_firmness(tmp_path):
    walls = {"ledger-100k": (100_000, [1.0, 1.1, 1.2]), "report-json-100k": (100_000, [0.2, 0.2, 0.2])}
    report = _judged(_results(tmp_path, walls))["report json warm at 100k ≤ 0.3× ledger-cli balance"]
    assert report.startswith("  PASS") and "resampled" not in report
