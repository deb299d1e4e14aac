"""Convert a SYNTHETIC eduplan ledger for the peers bench/run.py times beside eduplan.

    .venv/bin/python bench/peers.py bench/out/ledgers/synthetic-100000-seed2023.toml
        → …/synthetic-100000-seed2023.journal   (ledger-cli and hledger)
        → …/synthetic-100000-seed2023.sqlite    (a plain table for the sqlite3 GROUP BY)

Both hold the same rows as the TOML ledger: one transaction (one table row) per entry,
corrections and voids included, so each peer reads as many records as eduplan does.
The figures are synthetic like the ledger they come from (bench/generate.py).

**The journal** is written so that ``balance`` answers the same question as ``eduplan
status`` at the end of the plan year: the latest surviving figure of each indicator and
county. An entry posts the *change* of its unit's figure from the surviving entry before
it (in eduplan's order: as-of date, then recording time, then id), so an account's
balance is its latest figure; an entry that a later one corrected or voided, and a void
itself, posts 0 and says so in a comment. Accounts: ``figures:INDICATOR:COUNTY`` (``city``
for a city-wide figure) for a flow's value, ``…:numerator`` and ``…:denominator`` for a
level (a rate), ``…:state`` for a state (0 not started, 1 in progress, 2 done); each
transaction is balanced by an elided ``returns:BY`` posting, as a ledger user writes it.
Transactions stay in the ledger's (recording) order; their dates are the as-of dates.

**The SQLite file** has one table, ``entries``, with no index: the row as written
(``id, indicator, county, as_of, value, numerator, denominator, state, supersedes, void,
recorded_at``) and ``stamp`` (``recorded_at`` as POSIX seconds). :data:`LATEST_SQL` is
the one ``GROUP BY`` that finds the latest surviving figure per indicator and county.

After converting, the figures are checked three ways: the converter's own computation,
the SQLite query (run here with the standard library) and — when the binaries are
installed and the ledger is at most ``--check-peers-max`` entries — ``ledger balance``
and ``hledger balance`` must all give the same latest figure for every unit; up to
``--check-eduplan-max`` entries, eduplan's own rule (``eduplan.core.entries.latest`` over
the entries eduplan reads from the file) must agree too. A mismatch is an error.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import tomllib
from decimal import Decimal
from pathlib import Path

STATE_CODES = {"not-started": 0, "in-progress": 1, "done": 2}
CITY = "city"

# the latest surviving figure per (indicator, county): not a void, not superseded, the
# greatest (as_of, stamp, id). The key is text so that one MAX() orders by all three.
LATEST_SQL = (
    "SELECT indicator, county, value, numerator, denominator, state, "
    "MAX(printf('%s %015.3f %012d', as_of, stamp, id)) AS k FROM entries "
    "WHERE void = 0 AND id NOT IN (SELECT supersedes FROM entries WHERE supersedes IS NOT NULL) "
    "GROUP BY indicator, county ORDER BY indicator, county;"
)

_ACCOUNT_SAFE = re.compile(r"^[^\s:;()\[\]]+$")


def outputs(ledger: Path) -> tuple[Path, Path]:
    return ledger.with_suffix(".journal"), ledger.with_suffix(".sqlite")


def read_entries(path: Path) -> list[dict]:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    rows = data.get("entries", [])
    if data.get("office"):
        raise SystemExit(f"{path}: a ledger with an office is not supported by this converter")
    return rows


def _account_part(text: str) -> str:
    if not _ACCOUNT_SAFE.match(text):
        raise SystemExit(f"cannot use {text!r} in an account name")
    return text


def _order(e: dict) -> tuple:
    return (e["as_of"], e["recorded_at"].timestamp(), e["id"])


def figures(e: dict) -> dict[str, int | float]:
    """The numbers an entry posts, by account suffix ('' for a flow's value)."""
    if e.get("state") is not None:
        return {"state": STATE_CODES[e["state"]]}
    if e.get("numerator") is not None:
        return {"numerator": e["numerator"], "denominator": e["denominator"]}
    return {"": e["value"]}


def surviving_latest(rows: list[dict]) -> tuple[set[int], dict[tuple[str, str | None], dict]]:
    """(ids of the entries that do not count, the latest surviving entry per unit)."""
    gone = {e["supersedes"] for e in rows if e.get("supersedes") is not None}
    gone |= {e["id"] for e in rows if e.get("void")}
    best: dict[tuple[str, str | None], dict] = {}
    for e in rows:
        if e["id"] in gone:
            continue
        key = (e["indicator"], e.get("county"))
        if key not in best or _order(e) > _order(best[key]):
            best[key] = e
    return gone, best


def _num(x) -> str:
    if isinstance(x, float):
        return format(Decimal(repr(x)), "f")
    return str(x)


def write_journal(rows: list[dict], gone: set[int], path: Path, source: Path) -> None:
    """One transaction per entry; a surviving entry posts the change from the surviving entry before it."""
    before: dict[int, dict[str, int | float]] = {}  # id → the figures of the surviving entry before it
    units: dict[tuple, list[dict]] = {}
    for e in rows:
        if e["id"] not in gone:
            units.setdefault((e["indicator"], e.get("county")), []).append(e)
    for members in units.values():
        members.sort(key=_order)
        prev: dict[str, int | float] = {}
        for e in members:
            before[e["id"]] = prev
            prev = figures(e)
    out = [f"; SYNTHETIC journal converted by bench/peers.py from {source.name}: {len(rows)} entries, "
           "one transaction each.\n; Not real 2023 results: every figure here is made up.\n"
           "; balance = the latest surviving figure of each indicator and county (see bench/peers.py).\n"]
    add = out.append
    by_id = {e["id"]: e for e in rows}
    for e in rows:
        county = e.get("county")
        base = f"figures:{_account_part(e['indicator'])}:{_account_part(county) if county else CITY}"
        add(f"\n{e['as_of'].isoformat()} * entry {e['id']} | {e['indicator']} {county or CITY}\n")
        if e["id"] in gone:
            why = "void" if e.get("void") else "superseded by a later entry"
            add(f"    ; {why}: posts nothing\n")
            for suffix in figures(by_id[e["supersedes"]] if e.get("void") else e):  # a void: its target's accounts
                add(f"    {base}{':' + suffix if suffix else ''}  0\n")
        else:
            prev = before[e["id"]]
            for suffix, value in figures(e).items():
                change = value - prev.get(suffix, 0)
                add(f"    {base}{':' + suffix if suffix else ''}  {_num(change)}\n")
        add(f"    returns:{_account_part(e['by'])}\n")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(out), encoding="utf-8")
    os.replace(tmp, path)


def write_sqlite(rows: list[dict], path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.execute("CREATE TABLE entries (id INTEGER NOT NULL, indicator TEXT NOT NULL, county TEXT, as_of TEXT NOT NULL, "
                "value, numerator, denominator, state TEXT, supersedes INTEGER, void INTEGER NOT NULL, "
                "recorded_at TEXT NOT NULL, stamp REAL NOT NULL)")
    con.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
        (e["id"], e["indicator"], e.get("county"), e["as_of"].isoformat(), e.get("value"), e.get("numerator"),
         e.get("denominator"), e.get("state"), e.get("supersedes"), int(bool(e.get("void"))),
         e["recorded_at"].isoformat(sep=" "), e["recorded_at"].timestamp()) for e in rows))
    con.commit()
    con.execute("VACUUM")
    con.close()
    os.replace(tmp, path)


# --------------------------------------------------------------------------- checks


def expected_balances(best: dict) -> dict[str, Decimal]:
    """account → the balance the journal must show (zero balances left out, as the peers do)."""
    out = {}
    for (indicator, county), e in best.items():
        base = f"figures:{indicator}:{county or CITY}"
        for suffix, value in figures(e).items():
            if value != 0:
                out[base + (":" + suffix if suffix else "")] = Decimal(repr(value)) if isinstance(value, float) \
                    else Decimal(value)
    return out


_AMOUNT_LINE = re.compile(r"^\s*(-?[\d,.]+)\s+(figures:\S+)\s*$")


def peer_balances(argv: list[str], env: dict) -> dict[str, Decimal]:
    """``figures:…`` balances as a peer prints them flat (one account per line)."""
    text = subprocess.run(argv, capture_output=True, text=True, check=True, env=env).stdout
    out = {}
    for line in text.splitlines():
        m = _AMOUNT_LINE.match(line)
        if m:
            out[m.group(2)] = Decimal(m.group(1).replace(",", ""))
    return out


def _compare(name: str, got: dict, want: dict) -> None:
    if got != want:
        wrong = sorted(set(got) ^ set(want) | {k for k in set(got) & set(want) if got[k] != want[k]})
        raise SystemExit(f"{name} does not give the latest figures ({len(wrong)} accounts differ, e.g. "
                         f"{[(k, got.get(k), want.get(k)) for k in wrong[:3]]})")


def check(ledger: Path, rows: list[dict], best: dict, journal: Path, db: Path, *, peers_max: int,
          eduplan_max: int) -> list[str]:
    done = []
    want_rows = sorted((ind, county, e.get("value"), e.get("numerator"), e.get("denominator"), e.get("state"))
                       for (ind, county), e in best.items())
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    got_rows = sorted(tuple(r[:6]) for r in con.execute(LATEST_SQL))
    con.close()
    if got_rows != want_rows:
        raise SystemExit(f"the SQLite GROUP BY does not give the latest figures ({db})")
    done.append("sqlite GROUP BY")
    if len(rows) <= peers_max:
        want = expected_balances(best)
        env = dict(os.environ, LANG=os.environ.get("LANG") or "C.UTF-8")
        if shutil.which("ledger"):
            _compare("ledger balance", peer_balances(
                ["ledger", "--args-only", "-f", str(journal), "balance", "--flat", "--no-total", "^figures:"], env),
                want)
            done.append("ledger balance")
        if shutil.which("hledger"):
            _compare("hledger balance", peer_balances(
                ["hledger", "-f", str(journal), "balance", "--flat", "--no-total", "^figures:"], env), want)
            done.append("hledger balance")
    if len(rows) <= eduplan_max:
        from eduplan.core.entries import latest, surviving
        from eduplan.store.ledger import read_plain
        from eduplan.store.paths import bundled_plan_path
        from eduplan.store.planfile import load_plan

        entries, sync = read_plain(ledger, load_plan(bundled_plan_path()))
        if sync.problems:
            raise SystemExit(f"{ledger}: eduplan does not load it: {sync.problems[0]}")
        theirs = {k: (e.id, e.value, e.numerator, e.denominator, e.state.value if e.state else None)
                  for k, e in latest(surviving(entries)).items()}
        ours = {k: (e["id"], e.get("value"), e.get("numerator"), e.get("denominator"), e.get("state"))
                for k, e in best.items()}
        if theirs != ours:
            raise SystemExit("the converter and eduplan disagree on the latest figures")
        done.append("eduplan's latest()")
    return done


def convert(ledger: Path, *, peers_max: int = 100_000, eduplan_max: int = 100_000) -> tuple[Path, Path]:
    t0 = time.perf_counter()
    journal, db = outputs(ledger)
    rows = read_entries(ledger)
    gone, best = surviving_latest(rows)
    write_journal(rows, gone, journal, ledger)
    write_sqlite(rows, db)
    checked = check(ledger, rows, best, journal, db, peers_max=peers_max, eduplan_max=eduplan_max)
    print(f"converted {ledger.name}: {len(rows)} entries, {len(best)} units → {journal.name} "
          f"({journal.stat().st_size / 1e6:.1f} MB), {db.name} ({db.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - t0:.1f}s; same latest figures from: the converter, {', '.join(checked)}",
          file=sys.stderr)
    return journal, db


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ledger", type=Path, help="a synthetic eduplan ledger (bench/generate.py)")
    ap.add_argument("--check-peers-max", type=int, default=100_000, metavar="N",
                    help="check ledger/hledger balances up to N entries [100000]")
    ap.add_argument("--check-eduplan-max", type=int, default=100_000, metavar="N",
                    help="check against eduplan's own reading up to N entries [100000]")
    args = ap.parse_args(argv)
    convert(args.ledger, peers_max=args.check_peers_max, eduplan_max=args.check_eduplan_max)
    return 0


if __name__ == "__main__":
    sys.exit(main())
