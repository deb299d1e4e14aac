"""Any sequence of commands and hand edits leaves the kept index telling what a plain parse of
the ledger tells: the same status, history and findings, byte for byte, or the same error.

The index is extended on every append and re-read block by block after a hand edit; these
sequences mix the two in random order (record, --add, correct, void, in a ledger folder also
for the city on another office's entry; a comment typed in, a figure changed in place, a
block's keys reordered, blank lines, a note lengthened, a file put back as it was some steps
before, as a backup or a git checkout would), each followed by a command that brings the
index up to date, and compare the three reading commands with the index kept and with no
cache at all. A ledger written by commands alone must also validate: a command that stores
what the folder's own rules then refuse would leave every later command refused. Figures are
SYNTHETIC.
"""

from __future__ import annotations

import itertools
import json
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

COUNTIES = ["椒江区", "黄岩区", "路桥区", "全市"]  # 全市: the city-wide figure, the synthetic plan's city office
_case = itertools.count()

record = st.tuples(st.just("record"), st.sampled_from(["new-places", "new-kindergartens", "incidents"]),
                   st.integers(0, 300), st.sampled_from(COUNTIES), st.integers(1, 12), st.booleans())
add = st.tuples(st.just("add"), st.sampled_from(COUNTIES), st.integers(1, 40), st.integers(1, 12))
correct = st.tuples(st.just("correct"), st.integers(0, 10**6), st.integers(0, 300), st.booleans())
void = st.tuples(st.just("void"), st.integers(0, 10**6), st.booleans())
edit = st.tuples(st.just("edit"), st.sampled_from(["figure", "figure", "comment", "reorder", "blank", "note", "restore"]),
                 st.integers(0, 10**6))
# each sequence starts with figures to correct, and ends with a hand edit read through the
# index the steps before it kept up to date
first = st.tuples(st.just("record"), st.sampled_from(["new-places", "incidents"]), st.integers(0, 300),
                  st.sampled_from(COUNTIES), st.integers(1, 12), st.just(True))
steps = st.tuples(st.lists(first, min_size=1, max_size=3),
                  st.lists(st.one_of(record, add, correct, correct, void, edit), min_size=1, max_size=7),
                  edit).map(lambda s: [*s[0], *s[1], s[2]])

READING = (("status", "--format", "json", "--as-of", "2023-12-31", "--by-county"),
           ("log", "--format", "json"),
           ("check", "--format", "json", "--as-of", "2023-12-31"))


def _standing(run, ledger) -> list[tuple[str, int]]:
    """The entries that still count (what a person would correct or withdraw): (office, id)."""
    r = run("log", "--format", "json", "--ledger", ledger)
    return [(e["office"], e["id"]) for e in json.loads(r.stdout) if e["superseded_by"] is None and not e["void"]] \
        if r.exit_code == 0 else []


def _files(ledger) -> list:
    return sorted(ledger.glob("*.ledger.toml")) if ledger.is_dir() else [ledger] if ledger.exists() else []


def _hand_edit(ledger, kind: str, pick: int, saved: dict) -> None:
    files = _files(ledger)
    if not files:
        return
    path = files[pick % len(files)]
    text = path.read_text(encoding="utf-8")
    if kind == "restore":  # the file as it was when it was last edited by hand (or left as it is)
        path.write_text(saved.get(path, text), encoding="utf-8")
        return
    saved[path] = text
    marks = [m.start() for m in re.finditer(r"(?m)^\[\[entries\]\]$", text)]
    if not marks:
        return
    k = pick % len(marks)
    at, end = marks[k], marks[k + 1] if k + 1 < len(marks) else len(text)
    block = text[at:end]
    if kind == "comment":
        block = "# checked by hand (synthetic)\n" + block
    elif kind == "figure":  # a figure changed in place, without a correction: the ledger is what it says
        block = re.sub(r"(?m)^(value|added) = (\d+)$", lambda m: f"{m[1]} = {int(m[2]) + 1}", block, count=1)
    elif kind == "reorder":
        lines = block.rstrip("\n").split("\n")
        block = "\n".join([lines[0], *reversed(lines[1:])]) + "\n\n"
    elif kind == "blank":
        block = block.replace("\n", "\n\n", 1)
    else:
        block = re.sub(r'(?m)^by = "', 'note = "synthetic, typed in by hand"\nby = "', block, count=1) \
            if "\nnote = " not in block else block.replace('note = "', 'note = "longer ', 1)
    path.write_text(text[:at] + block + text[end:], encoding="utf-8")


def _same_readings(run, monkeypatch, ledger, cache) -> None:
    for args in READING:
        monkeypatch.setenv("EDUPLAN_CACHE_DIR", str(cache))
        kept = run(*args, "--ledger", ledger)
        monkeypatch.setenv("EDUPLAN_CACHE_DIR", "")
        plain = run(*args, "--ledger", ledger)
        assert (kept.exit_code, kept.stdout, kept.stderr) == (plain.exit_code, plain.stdout, plain.stderr), args
        assert "Traceback" not in kept.stderr
    monkeypatch.setenv("EDUPLAN_CACHE_DIR", str(cache))


@pytest.mark.parametrize("shape", ["file", "folder"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
# in a folder: the city corrects a county's figure for the city, then its own correction
@example(steps=[("record", "new-places", 100, "椒江区", 3, True), ("correct", 0, 120, True), ("correct", 0, 130, True),
                ("void", 0, False), ("edit", "figure", 0)])
def test_the_kept_index_reads_as_a_plain_parse(run, tmp_path, monkeypatch, synthetic_plan_path, shape, steps):
    case = tmp_path / f"case{next(_case)}"
    case.mkdir()
    cache = case / "cache"
    if shape == "folder":  # one file per office: 椒江区.ledger.toml … 全市.ledger.toml
        ledger = case / "ledger"
        ledger.mkdir()
    else:
        ledger = case / "ledger.toml"
    folder = shape == "folder"
    saved: dict = {}  # the files edited by hand, as they were before
    monkeypatch.setenv("EDUPLAN_CACHE_DIR", str(cache))
    for k, step in enumerate(steps):
        kind = step[0]
        if k == len(steps) - 1:  # before the last step, a hand edit: what the commands left
            _same_readings(run, monkeypatch, ledger, cache)
            if not saved and _files(ledger):  # written by commands alone: the ledger is sound
                result = run("validate", "--ledger", ledger)
                assert result.exit_code == 0, result.stderr
        if kind in ("record", "add"):
            county = step[3] if kind == "record" else step[1]
            office = ("--office", county) if folder else ()
            if kind == "record":
                _, indicator, value, _, month, force = step
                run("record", indicator, value, "--county", county, "--as-of", f"2023-{month:02d}-28", *office,
                    "--ledger", ledger, *(["--force"] if force else []))
            else:
                _, _, n, month = step
                run("record", "new-places", "--add", n, "--county", county, "--as-of", f"2023-{month:02d}-28",
                    "--force", *office, "--ledger", ledger)
        elif kind in ("correct", "void"):
            standing = _standing(run, ledger)
            if standing:
                owner, id_ = standing[step[1] % len(standing)]
                for_city = folder and step[-1] and owner != "全市"  # the city office acting on a county's entry
                who = ("--office", "全市", "--for-city") if for_city else ("--office", owner) if folder else ()
                target = f"{owner}#{id_}" if folder else str(id_)
                args = ("correct", target, step[2], "--force") if kind == "correct" else ("void", target)
                run(*args, "--reason", "synthetic", *who, "--ledger", ledger)
        else:
            _hand_edit(ledger, step[1], step[2], saved)
        run("status", "--format", "json", "--ledger", ledger)  # the index follows each step
    _same_readings(run, monkeypatch, ledger, cache)
    assert not _files(ledger) or list(cache.glob("ledger-*.sqlite")), "the index was kept"
