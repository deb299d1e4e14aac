"""Generate SYNTHETIC ledgers over the bundled 2023 plan, for benchmarks and tests.

Nothing here is a real 2023 result: every entry's note says "synthetic" and the file
says so at the top. The figures only look plausible for their kind of indicator:

* flows: a rising cumulative total per (indicator, county) (city-wide when the target
  is smaller than the number of counties);
* levels: numerator/denominator per county, value = 100*num/den exactly as
  ``eduplan.core.entries.read_figure`` computes it for ``"num/den"``;
* ``counties`` indicators: each county's state (not-started → in-progress → done);
* milestones: a city-wide state;
* about 2 % corrections and 0.5 % voids, each superseding a distinct earlier entry of
  the same indicator and county, with a reason (nothing is superseded twice, no void is
  corrected).

as_of dates are spread over 2023-01..2023-12; ids run 1..N in the order the entries
were recorded (``recorded_at``, +08:00). Deterministic for a given (N, seed).

Entries are built as ``eduplan.core.models.Entry`` objects. The text is rendered by a fast
renderer that writes exactly what ``eduplan.store.ledgerfile.render_entries`` writes (tomli-w
takes ~60 µs an entry, too slow at 100,000); a sample of every ledger, and every kind
of entry in it, is compared with ``render_entries`` before anything is written.

Usage::

    .venv/bin/python bench/generate.py 100000 -o bench/out/ledgers/synthetic-100000.toml
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

from eduplan.core.entries import read_figure
from eduplan.core.models import ENTRY_WRITE_ORDER, Entry, Measure, Plan, State
from eduplan.store.ledgerfile import header_text, render_entries
from eduplan.store.paths import bundled_plan_path
from eduplan.store.planfile import load_plan

DEFAULT_SEED = 2023
CORRECTION_SHARE = 0.02
VOID_SHARE = 0.005
TZ = dt.timezone(dt.timedelta(hours=8))
YEAR_START = dt.date(2023, 1, 1)
NOTE = "synthetic"
SOURCE = "synthetic monthly return (bench/generate.py)"
CORRECTION_REASON = "synthetic correction: figure re-checked against the county return"
VOID_REASON = "synthetic void: entered twice by mistake"


def banner(n: int, seed: int) -> str:
    return (f"# SYNTHETIC ledger for benchmarks and tests: {n} generated entries (bench/generate.py, "
            f"seed {seed}).\n# Not real 2023 results: every figure here is made up.\n")


def default_plan() -> Plan:
    return load_plan(bundled_plan_path())


# --------------------------------------------------------------------------- series


class _Series:
    """One (indicator, county) line of figures and its made-up trajectory."""

    __slots__ = ("ind", "county", "by", "pace", "gamma", "share", "den", "start_pct", "final_pct",
                 "t_start", "t_done")

    def __init__(self, ind, county: str | None, by: str, plan: Plan, rng: random.Random):
        self.ind, self.county, self.by = ind, county, by
        n_counties = len(plan.plan.counties)
        m = ind.measure
        if m == Measure.FLOW:
            self.share = ind.target / n_counties if county else ind.target
            self.pace = rng.uniform(0.55, 1.3)  # where the year ends, as a share of the target
            self.gamma = rng.uniform(0.8, 1.6)  # front- or back-loaded
        elif m == Measure.LEVEL:
            self.den = rng.randint(8_000, 60_000)
            self.final_pct = min(100.0, ind.target + rng.uniform(-8.0, 4.0))
            self.start_pct = max(0.0, self.final_pct - rng.uniform(2.0, 12.0))
        else:  # states: counties indicators per county, milestones city-wide
            self.t_start = rng.uniform(0.0, 0.5)
            self.t_done = rng.uniform(self.t_start + 0.1, 1.4)  # past 1.0: not done in 2023

    def state(self, frac: float) -> State:
        if frac < self.t_start:
            return State.NOT_STARTED
        if frac < self.t_done:
            return State.IN_PROGRESS
        return State.DONE


def _series(plan: Plan, rng: random.Random) -> list[_Series]:
    counties = plan.plan.counties
    clerks = {c: f"synthetic-clerk-{i + 1}" for i, c in enumerate(counties)}
    city = "synthetic-city-office"
    out = []
    for ind in plan.indicators:
        m = ind.measure
        if m != Measure.MILESTONE and (ind.target is None or (m == Measure.LEVEL and not ind.is_percent)):
            continue  # a target stated against a baseline, or a count level: no made-up series for those
        if m == Measure.MILESTONE or (m == Measure.FLOW and ind.target < len(counties)):
            out.append(_Series(ind, None, city, plan, rng))
        else:
            out.extend(_Series(ind, c, clerks[c], plan, rng) for c in counties)
    return out


def _frac(day: dt.date) -> float:
    return ((day - YEAR_START).days + 1) / 365


# --------------------------------------------------------------------------- entries


def generate(n: int, seed: int = DEFAULT_SEED, plan: Plan | None = None) -> list[Entry]:
    """``n`` synthetic entries, ids 1..n, valid for the plan (the bundled 2023 plan by default)."""
    if n < 1:
        return []
    plan = plan or default_plan()
    rng = random.Random(f"eduplan-bench-{seed}")
    series = _series(plan, rng)
    n_corr = round(n * CORRECTION_SHARE)
    n_void = round(n * VOID_SHARE)
    n_base = n - n_corr - n_void

    # 1. the skeleton: which series, as of when, recorded when (ids follow recorded_at)
    order = list(range(len(series)))
    rng.shuffle(order)
    base = []  # [series index, as_of, recorded_at]
    for i in range(n_base):
        s = order[i % len(order)]
        as_of = YEAR_START + dt.timedelta(days=rng.randrange(365))
        rec = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=TZ) + dt.timedelta(
            days=rng.randint(0, 5), seconds=rng.randint(8 * 3600 + 1800, 18 * 3600))
        base.append((s, as_of, rec))
    targets = rng.sample(range(n_base), n_corr + n_void)
    events = [(rec, 0, i) for i, (_, _, rec) in enumerate(base)]
    for k, t in enumerate(targets):
        rec = base[t][2] + dt.timedelta(days=rng.randint(1, 20), seconds=rng.randint(60, 8 * 3600))
        events.append((rec, 1, k))
    events.sort()
    base_id = [0] * n_base
    later_id = [0] * len(targets)
    for new_id, (_, kind, i) in enumerate(events, start=1):
        if kind == 0:
            base_id[i] = new_id
        else:
            later_id[i] = new_id

    # 2. the figures, per series in (as_of, id) order
    per_series: dict[int, list[int]] = {}
    for i, (s, _, _) in enumerate(base):
        per_series.setdefault(s, []).append(i)
    figures: list[dict] = [None] * n_base  # type: ignore[list-item]
    ratio_cache: dict[tuple, object] = {}

    def level_figure(ser: _Series, num: int, den: int) -> dict:
        key = (ser.ind.id, num, den)
        fig = ratio_cache.get(key)
        if fig is None:
            fig = ratio_cache[key] = read_figure(ser.ind, f"{num}/{den}", county=ser.county)
        return {"value": fig.value, "numerator": fig.numerator, "denominator": fig.denominator}

    neighbours: dict[int, tuple[int | None, int | None]] = {}
    for s, members in per_series.items():
        ser = series[s]
        members.sort(key=lambda i: (base[i][1], base_id[i]))
        m = ser.ind.measure
        previous = 0
        for pos, i in enumerate(members):
            frac = _frac(base[i][1])
            if m == Measure.FLOW:
                raw = ser.share * ser.pace * frac ** ser.gamma * rng.uniform(0.97, 1.03)
                previous = max(previous, int(round(raw)))
                figures[i] = {"value": previous}
            elif m == Measure.LEVEL:
                den = int(ser.den * (1 + 0.02 * frac))
                pct = ser.start_pct + (ser.final_pct - ser.start_pct) * frac + rng.uniform(-0.5, 0.5)
                num = min(den, max(0, int(round(den * pct / 100))))
                figures[i] = level_figure(ser, num, den)
            else:
                figures[i] = {"state": ser.state(frac)}
            neighbours[i] = (members[pos - 1] if pos else None,
                             members[pos + 1] if pos + 1 < len(members) else None)

    # 3. the entries, in id order
    entries: list[Entry | None] = [None] * n
    for i, (s, as_of, rec) in enumerate(base):
        ser = series[s]
        entries[base_id[i] - 1] = Entry(base_id[i], ser.ind.id, as_of, ser.by, rec, county=ser.county,
                                        note=NOTE, source=SOURCE, **figures[i])
    for k, t in enumerate(targets):
        s, as_of, _ = base[t]
        ser = series[s]
        rec = events[later_id[k] - 1][0]
        if k >= n_corr:  # a void
            entries[later_id[k] - 1] = Entry(later_id[k], ser.ind.id, as_of, ser.by, rec, county=ser.county,
                                             supersedes=base_id[t], void=True, reason=VOID_REASON, note=NOTE)
            continue
        fig = _corrected(ser, figures[t], neighbours[t], figures, rng, level_figure)
        entries[later_id[k] - 1] = Entry(later_id[k], ser.ind.id, as_of, ser.by, rec, county=ser.county,
                                         supersedes=base_id[t], reason=CORRECTION_REASON, note=NOTE,
                                         source=SOURCE, **fig)
    assert all(e is not None and e.id == i for i, e in enumerate(entries, start=1))
    return entries  # type: ignore[return-value]


def _corrected(ser: _Series, old: dict, around: tuple, figures: list, rng: random.Random, level_figure) -> dict:
    """A corrected figure close to the old one (a flow stays between its neighbours)."""
    m = ser.ind.measure
    before, after = (figures[j] if j is not None else None for j in around)
    if m == Measure.FLOW:
        low = before["value"] if before else 0
        high = after["value"] if after else None
        value = int(round(old["value"] * rng.uniform(0.97, 1.03))) + rng.choice((-1, 1))
        value = max(low, value if high is None else min(high, value))
        return {"value": value}
    if m == Measure.LEVEL:
        den = old["denominator"]
        num = min(den, max(0, old["numerator"] + rng.randint(-int(den * 0.01) - 1, int(den * 0.01) + 1)))
        return level_figure(ser, num, den)
    state = before["state"] if before else State.NOT_STARTED
    if state == old["state"] and after is not None:
        state = after["state"]
    return {"state": state}


# --------------------------------------------------------------------------- text

_UNSAFE = frozenset('"\\') | frozenset(chr(c) for c in range(32)) | {"\x7f"}


def _quote(s: str) -> str:
    if not _UNSAFE.isdisjoint(s):
        raise ValueError(f"the fast renderer only writes plain strings: {s!r}")
    return f'"{s}"'


def fast_render(entries) -> str:
    """The text ``eduplan.store.ledgerfile.render_entries`` writes for these entries, ~15x faster."""
    parts = []
    add = parts.append
    for e in entries:
        add(f"\n[[entries]]\nid = {e.id}\nindicator = {_quote(e.indicator)}\n")
        if e.county is not None:
            add(f"county = {_quote(e.county)}\n")
        add(f"as_of = {e.as_of}\n")
        if e.value is not None:
            add(f"value = {e.value}\n")
        if e.added is not None:
            add(f"added = {e.added}\n")
        if e.numerator is not None:
            add(f"numerator = {e.numerator}\ndenominator = {e.denominator}\n")
        if e.state is not None:
            add(f"state = {_quote(e.state.value)}\n")
        if e.supersedes is not None:
            add(f"supersedes = {e.supersedes}\n" if e.target_office is None else
                f"supersedes = {_quote(e.target_office + '#' + str(e.supersedes))}\n")
        if e.void:
            add("void = true\n")
        if e.for_city:
            add("for_city = true\n")
        for name in ("reason", "note", "source", "batch"):
            value = getattr(e, name)
            if value is not None:
                add(f"{name} = {_quote(value)}\n")
        if e.batch_size is not None:
            add(f"batch_size = {e.batch_size}\n")
        if e.accepted:
            add("accepted = [" + ", ".join(_quote(a) for a in e.accepted) + "]\n")
        add(f"by = {_quote(e.by)}\nrecorded_at = {e.recorded_at}\n")
    return "".join(parts)


assert ENTRY_WRITE_ORDER == ("id", "indicator", "county", "as_of", "value", "added", "numerator", "denominator", "state",
                             "supersedes", "void", "for_city", "reason", "note", "source", "batch", "batch_size",
                             "accepted", "by", "recorded_at"), \
    "eduplan changed its write order: update fast_render"


def check_rendering(entries, sample: int = 600, seed: int = 0) -> None:
    """Compare the fast renderer with ``render_entries`` on a sample holding every kind of entry."""
    rng = random.Random(seed)
    picked = {}
    for e in entries:  # the first of each shape
        shape = (e.void, e.supersedes is not None, e.county is None, e.value is None, e.numerator is None,
                 e.state.value if e.state else None)
        picked.setdefault(shape, e)
    chosen = list(picked.values()) + (rng.sample(list(entries), min(sample, len(entries))) if entries else [])
    for e in chosen:
        want, got = render_entries([e]), fast_render([e])
        if want != got:
            raise AssertionError(f"fast renderer differs from render_entries for entry {e.id}:\n{got}\n---\n{want}")


def ledger_text(entries, n: int | None = None, seed: int = DEFAULT_SEED, *, check: bool = True,
                plan: Plan | None = None) -> str:
    """The ledger's header, the synthetic banner, then every entry as the tool writes it."""
    if check:
        check_rendering(entries)
    return header_text(plan or default_plan()) + banner(len(entries) if n is None else n, seed) + fast_render(entries)


def write_ledger(path: str | os.PathLike, n: int, seed: int = DEFAULT_SEED, plan: Plan | None = None) -> list[Entry]:
    """Write a synthetic ledger of ``n`` entries to ``path`` (replacing it) in one write; return the entries."""
    entries = generate(n, seed, plan)
    data = ledger_text(entries, n, seed, plan=plan).encode("utf-8")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return entries


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of entries (e.g. 1000, 10000, 100000)")
    ap.add_argument("-o", "--output", type=Path, help="ledger file to write [default: bench/out/ledgers/synthetic-N.toml]")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)
    out = args.output or Path(__file__).resolve().parent / "out" / "ledgers" / f"synthetic-{args.n}.toml"
    t0 = time.perf_counter()
    entries = write_ledger(out, args.n, args.seed)
    took = time.perf_counter() - t0
    kinds = {"corrections": sum(e.is_correction for e in entries), "voids": sum(e.void for e in entries)}
    print(f"wrote {out}: {len(entries)} synthetic entries ({kinds['corrections']} corrections, "
          f"{kinds['voids']} voids), {out.stat().st_size / 1e6:.1f} MB in {took:.2f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
