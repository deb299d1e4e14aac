"""Nine offices, one picture: a ledger folder of per-office files that git merges without
conflict. Figures here are SYNTHETIC."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from eduplan.store import locking

from conftest import COUNTIES, Run
from helpers import entries

D = ["--as-of", "2023-06-30"]
CITY = "全市"  # the synthetic plan names no issuer: its city office is 全市


@pytest.fixture
def folder(tmp_path, monkeypatch, synthetic_plan_path):
    path = tmp_path / "ledger"
    path.mkdir()
    monkeypatch.setenv("EDUPLAN_LEDGER", str(path))
    return path


def test_a_folder_needs_to_know_the_office(run, folder):
    result = run.fails(1, "record", "new-kindergartens", "3", *D, "--county", "椒江区", lang="en")
    assert "--office" in result.stderr and not list(folder.iterdir())
    assert "did you mean" in run.fails(1, "record", "new-kindergartens", "3", *D, "--office", "椒江县",
                                       lang="en").stderr



def test_a_short_form_two_offices_share_is_refused(run, folder, synthetic_plan_path):
    """--office 椒江 with offices 椒江区 and 椒江县 was taken as 椒江区's; now refused, naming both."""
    synthetic_plan_path.write_text(synthetic_plan_path.read_text(encoding="utf-8").replace(
        '"三门县"]', '"三门县", "椒江县"]', 1), encoding="utf-8")
    result = run.fails(1, "record", "new-kindergartens", "3", *D, "--county", "椒江县", "--office", "椒江")
    assert "--office: “椒江”可指多个填报单位：椒江区、椒江县，请写全称" in result.stderr
    assert not list(folder.iterdir())
    run.ok("record", "new-kindergartens", "3", *D, "--county", "椒江县", "--office", "椒江县")
    assert [p.name for p in folder.glob("*.toml")] == ["椒江县.ledger.toml"]

def test_each_office_writes_its_own_file_with_its_own_ids(run, folder, monkeypatch):
    run.ok("record", "new-kindergartens", "3", *D, "--county", "椒江区", "--office", "椒江区")
    run.ok("record", "new-kindergartens", "4", *D, "--county", "黄岩区", "--office", "黄岩")  # a short form
    monkeypatch.setenv("EDUPLAN_OFFICE", "椒江区")
    run.ok("record", "new-places", "500", *D, "--county", "椒江区")
    (folder / ".office").write_text(CITY, encoding="utf-8")  # this computer's office, in the folder
    monkeypatch.delenv("EDUPLAN_OFFICE")
    run.ok("record", "platform-online", "进行中", *D)
    assert sorted(p.name for p in folder.glob("*.toml")) == [f"{CITY}.ledger.toml", "椒江区.ledger.toml",
                                                            "黄岩区.ledger.toml"]
    jj = (folder / "椒江区.ledger.toml").read_text(encoding="utf-8")
    assert 'office = "椒江区"' in jj and jj.count("\n[[entries]]\n") == 2
    log = run.json("log")
    assert sorted((e["office"], e["id"]) for e in log) == [(CITY, 1), ("椒江区", 1), ("椒江区", 2), ("黄岩区", 1)]
    table = run.ok("log", lang="en").stdout
    assert "椒江区#2" in table and "黄岩区#1" in table
    doc = run.json("status", *D)
    row = next(i for i in doc["indicators"] if i["id"] == "new-kindergartens")
    assert row["actual"] == 7 and {(c["county"], c["office"]) for c in row["counties"]} == {
        ("椒江区", "椒江区"), ("黄岩区", "黄岩区")}


def test_an_office_records_only_its_units(run, folder, tmp_path):
    result = run.fails(1, "record", "new-kindergartens", "3", *D, "--county", "黄岩区", "--office", "椒江区", lang="en")
    assert "黄岩区's figures are recorded by its own office" in result.stderr
    run.fails(1, "record", "new-kindergartens", "3", *D, "--office", "椒江区")  # a city-wide figure is the city's
    sheet = tmp_path / "s.csv"
    sheet.write_text("指标,数值,截至日期,县(市、区)\nnew-kindergartens,3,2023-06-30,椒江区\n"
                     "new-kindergartens,4,2023-06-30,黄岩区\n", encoding="utf-8-sig")
    err = run.fails(1, "import", sheet, "--office", "椒江区", lang="en").stderr
    assert f"{sheet}:3: 县(市、区): this office reports 椒江区" in err
    assert not list(folder.glob("*.toml"))
    # another unit's sheet, its unit above the table: said once, at that row (not at every row's value)
    other = tmp_path / "hy.csv"
    other.write_text("县(市、区),黄岩区\n截至日期,2023-06-30\n指标,数值\nnew-kindergartens,3\nnew-places,400\n",
                     encoding="utf-8-sig")
    err = run.fails(1, "import", other, "--office", "椒江区", lang="en").stderr
    assert f"{other}:1: 县(市、区): this office reports 椒江区" in err and err.count("this office reports") == 1, err


def test_corrections_are_an_offices_own_unless_the_city_acts_for_the_city(run, folder):
    run.ok("record", "new-kindergartens", "3", *D, "--county", "椒江区", "--office", "椒江区")
    run.ok("record", "new-kindergartens", "5", *D, "--county", "黄岩区", "--office", "黄岩区")
    run.ok("correct", "1", "4", "--reason", "synthetic typo", "--office", "椒江区")  # its own: a bare number
    before = {p.name: p.read_bytes() for p in folder.glob("*.toml")}
    for args, words in (
            (["correct", "黄岩区#1", "6", "--reason", "x", "--office", "椒江区"], "another office's entry"),
            (["correct", "黄岩区#1", "6", "--reason", "x", "--office", "椒江区", "--for-city"], "may act for the city"),
            (["void", "黄岩#1", "--reason", "x", "--office", "椒江区"], "another office's entry"),
            (["correct", "黄岩区#9", "6", "--reason", "x", "--office", CITY, "--for-city"], "there is no entry 黄岩区#9")):
        assert words in run.fails(1, *args, lang="en").stderr
        assert {p.name: p.read_bytes() for p in folder.glob("*.toml")} == before
    run.ok("correct", "黄岩区#1", "6", "--reason", "synthetic: the notice says 6", "--office", CITY, "--for-city")
    city = (folder / f"{CITY}.ledger.toml").read_text(encoding="utf-8")
    assert 'supersedes = "黄岩区#1"' in city and "for_city = true" in city
    doc = run.json("status", *D)
    assert next(i for i in doc["indicators"] if i["id"] == "new-kindergartens")["actual"] == 10
    log = run.ok("log", "--format", "markdown", lang="en").stdout
    assert "corrects 黄岩区#1" in log and "for the city" in log and f"corrected by {CITY}#1" in log
    assert "already corrected for the city by 全市 (entry 全市#1)" in run.fails(1, "correct", "黄岩区#1", "7", "--reason", "x",
                                                              "--office", "黄岩区", lang="en").stderr


def test_the_city_corrects_and_withdraws_its_own_correction_for_the_city(run, folder):
    """A city office that mistyped its correction of a county's figure corrects that entry as its
    own (no --for-city: it is its own). The new entry acts for the city too, so the folder stays
    sound: written without for_city, it made every command refuse the folder afterwards."""
    run.ok("record", "new-kindergartens", "5", *D, "--county", "黄岩区", "--office", "黄岩区")
    run.ok("correct", "黄岩区#1", "6", "--reason", "synthetic: the notice says 6", "--office", CITY, "--for-city")
    run.ok("correct", "1", "7", "--reason", "synthetic: mistyped", "--office", CITY)
    run.ok("validate")
    row = next(i for i in run.json("status", *D)["indicators"] if i["id"] == "new-kindergartens")
    assert row["actual"] == 7
    voided = run.ok("void", "2", "--reason", "synthetic: withdrawn", "--office", CITY).stdout
    # in a folder, what a correction or a void names is named with its office, its own office's too
    assert f"作废 {CITY}#2" in voided and f"{CITY}#3" in voided
    run.ok("validate")
    city = (folder / f"{CITY}.ledger.toml").read_text(encoding="utf-8")
    assert city.count("for_city = true") == 3 and 'supersedes = "黄岩区#1"' in city
    log = run.ok("log", "--format", "markdown", lang="en").stdout
    assert f"corrects {CITY}#1: synthetic: mistyped; for the city" in log
    assert f"voids {CITY}#2: synthetic: withdrawn" in log and f"voided by {CITY}#3" in log
    run.ok("record", "new-kindergartens", "8", "--as-of", "2023-07-31", "--county", "黄岩区", "--office", "黄岩区")


def test_a_folder_written_before_the_city_marked_its_own_corrections_still_loads(run, folder):
    """Earlier versions wrote the city office's correction of its own for-city entry without
    for_city: it still acts for the city (its unit is the county's), and the folder loads."""
    _write(folder, "黄岩区.ledger.toml", HEAD.format(office="黄岩区") + ENTRY.format(id=1, county="黄岩区"))
    fix = ENTRY.format(id=1, county="黄岩区").replace("value = 3", 'value = 4\nsupersedes = "黄岩区#1"\nfor_city = true\n'
                                                                 'reason = "x"')
    again = ENTRY.format(id=2, county="黄岩区").replace("value = 3", 'value = 6\nsupersedes = 1\nreason = "x"')
    _write(folder, f"{CITY}.ledger.toml", HEAD.format(office=CITY) + fix + again)
    run.ok("validate")
    row = next(i for i in run.json("status", *D)["indicators"] if i["id"] == "new-kindergartens")
    assert row["actual"] == 6


def _until_it_opens(proc: subprocess.Popen, path: Path, timeout: float = 15.0) -> None:
    """Wait until ``proc`` has ``path`` open (Linux: /proc/PID/fd), then a little more; elsewhere
    wait a second and a half. A slow start is then not taken for waiting on a lock."""
    fds = Path(f"/proc/{proc.pid}/fd")
    deadline = time.monotonic() + (timeout if fds.exists() else 1.5)
    while time.monotonic() < deadline and proc.poll() is None:
        with contextlib.suppress(OSError):
            if any(os.readlink(fd) == str(path.resolve()) for fd in fds.iterdir()):
                break
        time.sleep(0.05)
    time.sleep(0.3)


def test_writers_in_a_folder_take_turns_across_offices(run, folder):
    """A county and the city correcting one entry at once must not both go in (each office locks
    its own file; whether another file already corrects the entry is a question about the
    folder): a writer holds the folder's lock while it checks and appends."""
    run.ok("record", "new-kindergartens", "5", *D, "--county", "黄岩区", "--office", "黄岩区")
    lock = folder / ".writers.lock"
    held = locking.acquire(str(lock), 5)
    try:
        city = subprocess.Popen([sys.executable, "-m", "eduplan", "correct", "黄岩区#1", "6", "--reason", "synthetic",
                                 "--office", CITY, "--for-city"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _until_it_opens(city, lock)
        assert city.poll() is None  # waiting for the folder, not writing
        assert not (folder / f"{CITY}.ledger.toml").exists()
    finally:
        locking.release(held)
    _, err = city.communicate(timeout=60)
    assert city.returncode == 0, err.decode()
    assert "already corrected for the city by 全市 (entry 全市#1)" in run.fails(1, "correct", "1", "7", "--reason", "synthetic", "--office",
                                                              "黄岩区", lang="en").stderr
    run.ok("validate")


def test_split_keeps_every_entry_and_id(run, synthetic_plan_path, synthetic_plan, ledger_path, tmp_path):
    run.ok("record", "new-kindergartens", "3", *D, "--county", "椒江区")
    run.ok("record", "new-kindergartens", "5", *D, "--county", "黄岩区")
    run.ok("record", "platform-online", "完成", *D)
    run.ok("correct", "2", "6", "--reason", "synthetic")
    run.ok("void", "1", "--reason", "synthetic")
    run.ok("record", "new-places", "--add", "300", *D, "--county", "椒江区")
    old = ledger_path.read_bytes()
    status_before = run.json("status", *D)
    out = run.ok("split", tmp_path / "offices", lang="en").stdout
    assert "ids kept" in out and ledger_path.read_bytes() == old
    folder = tmp_path / "offices"
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    shown = readme.split("`split` writes exactly this):\n\n```\n", 1)[1].split("```", 1)[0]
    assert (folder / ".gitignore").read_text(encoding="utf-8") == shown  # what the README says, exactly
    found = entries(folder, synthetic_plan)
    assert sorted((e.office, e.id) for e in found) == [(CITY, 3), ("椒江区", 1), ("椒江区", 5), ("椒江区", 6),
                                                      ("黄岩区", 2), ("黄岩区", 4)]
    after = run.json("status", *D, "--ledger", folder)
    for a, b in zip(status_before["indicators"], after["indicators"]):
        assert (a["id"], a["actual"], a["status"]) == (b["id"], b["actual"], b["status"])
    assert "not an empty folder" in run.fails(1, "split", folder, lang="en").stderr
    assert "already a folder" in run.fails(2, "split", tmp_path / "again", "--ledger", folder, lang="en").stderr
    # the ids people wrote down still name the same entries: 椒江区's #6 is the increment of 300
    run.ok("correct", "6", "400", "--reason", "synthetic", "--ledger", folder, "--office", "椒江")
    fixed = [e for e in run.json("log", "--ledger", folder) if e["supersedes"] == 6 and e["office"] == "椒江区"]
    assert [e["added"] for e in fixed] == [400]


CITY_SHEET = ("指标编号,数值,县(市、区),截至日期,备注\n"  # SYNTHETIC figures: a city sheet with a county column
              "public-share,55%,,2023-06-30,synthetic\n"
              "dropout-rate,1.5%,,2023-06-30,synthetic\n"
              "new-kindergartens,3,椒江区,2023-06-30,synthetic\n"
              "new-places,800,椒江区,2023-06-30,synthetic\n"
              "new-kindergartens,2,黄岩区,2023-06-30,synthetic\n")


def _without_office(doc):
    """A status or check document with the recording office left out (a one-file ledger has none)."""
    if isinstance(doc, dict):
        return {k: _without_office(v) for k, v in doc.items() if k != "office"}
    if isinstance(doc, list):
        return [_without_office(v) for v in doc]
    return doc


def test_split_a_city_sheet_imported_for_several_offices(run, synthetic_plan_path, ledger_path, tmp_path):
    """A city sheet with a county column writes rows for several offices in one import. Split
    used to refuse every such ledger ('does not read back as the ledger'): each office's file
    held part of the import, shorter than its batch_size, and read as an import cut short. Each
    part is now a whole import in its file; every later command reads the folder as the ledger."""
    sheet = tmp_path / "city.csv"
    sheet.write_text(CITY_SHEET, encoding="utf-8")
    run.ok("record", "platform-online", "进行中", *D)  # #1
    run.ok("import", sheet)  # #2–#6: two city-wide rows, two for 椒江区, one for 黄岩区
    run.ok("correct", "4", "4", "--reason", "synthetic: the notice says 4")  # #7, 椒江区's
    old = ledger_path.read_bytes()
    status, check = run.json("status", *D), run("check", *D, "--format", "json")
    out = run.ok("split", tmp_path / "offices").stdout
    folder = tmp_path / "offices"
    assert "3 个单位文件" in out and ledger_path.read_bytes() == old
    after = ["--ledger", folder]
    assert _without_office(run.json("status", *D, *after)) == _without_office(status)
    check_after = run("check", *D, *after, "--format", "json")  # exit 1: units that have not reported
    assert check_after.exit_code == check.exit_code == 1
    assert _without_office(json.loads(check_after.stdout)) == _without_office(json.loads(check.stdout))
    run.ok("validate", *after)
    log = {(e["office"], e["id"]): (e["batch"] is not None, e["batch_size"]) for e in run.json("log", *after)}
    assert log == {(CITY, 1): (False, None), (CITY, 2): (True, 2), (CITY, 3): (True, 2), ("椒江区", 4): (True, 2),
                   ("椒江区", 5): (True, 2), ("椒江区", 7): (False, None), ("黄岩区", 6): (True, 1)}
    # the same sheet again, from any office: refused as imported before, naming each office's entries
    for office in ("椒江区", CITY):
        err = run.fails(1, "import", sheet, *after, "--office", office, lang="en").stderr
        assert "was already imported" in err and f"(4 entries, {CITY}#2–#3, 椒江区#5, 黄岩区#6)" in err, err
    assert "同样内容的文件已于" in run.fails(1, "import", sheet, *after, "--office", "黄岩区").stderr
    # an import cut short is still told apart in each office's file, and repaired there
    city = folder / f"{CITY}.ledger.toml"
    text = city.read_text(encoding="utf-8")
    city.write_text(text[:text.rindex("\n[[entries]]\n") + 1], encoding="utf-8")  # #3 lost: a crash
    result = run.fails(1, "validate", *after, lang="en")
    err = result.stdout + result.stderr
    assert f"{city}:" in err and "an import was cut short: 1 of its 2 entries are here" in err, err
    run.ok("repair", *after)
    assert [(e["office"], e["id"]) for e in run.json("log", *after) if e["office"] == CITY] == [(CITY, 1)]


def test_a_split_that_would_not_read_back_says_what_differs(run, synthetic_plan_path, ledger_path, tmp_path,
                                                            monkeypatch):
    """The read-back check of split is the last guard: when it finds the folder is not the
    ledger it names the file and line, or the entry and field, and changes nothing (it used to
    say only 'internal error', even with EDUPLAN_DEBUG=1)."""
    from eduplan.services import splitting
    from eduplan.store import ledgerfile

    sheet = tmp_path / "city.csv"
    sheet.write_text(CITY_SHEET, encoding="utf-8")
    run.ok("import", sheet)
    old = ledger_path.read_bytes()
    folder = tmp_path / "offices"
    # a bug as before: the import's parts written with the whole import's batch_size
    monkeypatch.setattr(splitting, "parted_batches", lambda entries, files: list(entries))
    err = run.fails(1, "split", folder, lang="en").stderr
    assert f"{folder / (CITY + '.ledger.toml')}:" in err and "entries[1].batch_size: an import was cut short" in err
    assert "internal error: the split folder would not load (the problems above); nothing was changed" in err
    monkeypatch.undo()
    monkeypatch.setenv("EDUPLAN_PLAN", str(synthetic_plan_path))
    monkeypatch.setenv("EDUPLAN_LEDGER", str(ledger_path))
    # a bug in what is written: a note that does not read back as it was
    real = ledgerfile.render_entries
    monkeypatch.setattr(ledgerfile, "render_entries",
                        lambda es: real(es).replace('note = "synthetic"', 'note = "synthetic?"', 1))
    err = run.fails(1, "split", folder, lang="en").stderr
    assert "entry 全市#1: note reads back as 'synthetic?', not 'synthetic'" in err, err
    assert "拆分后的文件夹读回的内容与台账不一致（记录 全市#1：note 读回为 'synthetic?'，应为 'synthetic'）" in \
        run.fails(1, "split", folder).stderr
    assert not folder.exists() and sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert ledger_path.read_bytes() == old


def test_parts_of_one_sheet_imported_twice_stay_two_imports():
    """A sheet imported, voided and imported again: two runs of one batch, with another entry
    between them in an office's file. Each run's part in each file counts its own entries (not
    all of the batch's in the file), so neither reads as an import cut short."""
    from eduplan.core.entries import batch_runs, parted_batches
    from eduplan.core.models import Entry

    at = dt.datetime(2023, 7, 1, 9, tzinfo=dt.timezone.utc)
    day = dt.date(2023, 6, 30)
    rows = [Entry(1, "public-share", day, "t", at, value=55, batch="b", batch_size=2),
            Entry(2, "new-places", day, "t", at, county="椒江区", value=8, batch="b", batch_size=2),
            Entry(3, "new-places", day, "t", at, county="椒江区", value=9),
            Entry(4, "new-places", day, "t", at, county="椒江区", value=10, batch="b", batch_size=1)]
    parted = parted_batches(rows, [CITY, "椒江区", "椒江区", "椒江区"])
    assert [e.batch_size for e in parted] == [1, 1, None, 1] and [e.batch for e in parted] == ["b", "b", None, "b"]
    assert batch_runs(parted[:1]) == [] and batch_runs(parted[1:]) == []


@pytest.mark.parametrize("exists", [True, False])
def test_an_office_for_a_ledger_that_is_not_a_folder_is_refused(run, synthetic_plan_path, ledger_path, tmp_path,
                                                               monkeypatch, exists):
    """After a split that failed, `--ledger led --office 海曙 record … --county 江北` made a
    one-file ledger `led` and ignored --office: one office recorded another's figure. An office
    given for a ledger that is not a folder (or does not exist) is refused by every command that
    takes one, and nothing is created or changed."""
    sheet = tmp_path / "s.csv"
    sheet.write_text("指标,数值,截至日期,县\nnew-places,100,2023-06-30,黄岩区\n", encoding="utf-8")
    if exists:
        run.ok("record", "new-places", "50", *D, "--county", "黄岩区")
    before = sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir() if p.name != "cache")
    for args in (["record", "new-places", "100", *D, "--county", "黄岩区"], ["baseline", "public-share", "50"],
                 ["correct", "1", "60", "--reason", "x"], ["void", "1", "--reason", "x"], ["import", sheet]):
        err = run.fails(2, *args, "--office", "椒江", lang="en").stderr
        if exists:
            assert f"--office 椒江: {ledger_path} is a one-file ledger, with no offices" in err, err
            assert f"`eduplan split FOLDER --ledger {ledger_path}`" in err and "leave out --office" in err
        else:
            assert f"--office 椒江: there is no ledger folder {ledger_path}" in err, err
            assert f"`eduplan split {ledger_path} --ledger FILE`" in err
        zh = run.fails(2, *args, "--office", "椒江").stderr
        assert "填报单位" in zh and "eduplan split" in zh and "未填报" in zh, zh
    monkeypatch.setenv("EDUPLAN_OFFICE", "椒江区")  # the office from the environment: the same refusal
    err = run.fails(2, "record", "new-places", "100", *D, "--county", "黄岩区", lang="en").stderr
    assert "EDUPLAN_OFFICE=椒江区" in err and ("unset EDUPLAN_OFFICE" in err or not exists)
    assert sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir() if p.name != "cache") == before


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


HEAD = 'schema_version = 2\nplan = "synthetic-2023"\noffice = "{office}"\n'
ENTRY = ('\n[[entries]]\nid = {id}\nindicator = "new-kindergartens"\ncounty = "{county}"\nas_of = 2023-06-30\n'
         'value = 3\nby = "tester"\nrecorded_at = 2023-07-01 09:00:00+08:00\n')


@pytest.mark.parametrize("files, words", [
    ({"a.toml": HEAD.format(office="火星") + ENTRY.format(id=1, county="椒江区")}, "not one of the plan's offices"),
    ({"a.toml": HEAD.format(office="椒江区") + ENTRY.format(id=1, county="椒江区"),
      "b.toml": HEAD.format(office="椒江区") + ENTRY.format(id=1, county="椒江区")}, "a second file for the office"),
    ({"a.toml": HEAD.format(office="椒江区") + ENTRY.format(id=1, county="椒江区") + ENTRY.format(id=2, county="黄岩区")},
     "reports 椒江区, not 黄岩区"),
    ({"a.toml": 'schema_version = 2\nplan = "synthetic-2023"\n' + ENTRY.format(id=1, county="椒江区")}, "names its office"),
    # the city's own entry for a county, and its own correction of it: neither acts for the city
    ({"a.toml": HEAD.format(office=CITY) + ENTRY.format(id=1, county="椒江区") + ENTRY.format(id=2, county="椒江区").replace(
        "value = 3", 'value = 4\nsupersedes = 1\nreason = "x"')}, "reports city-wide, not 椒江区 (2 entries"),
    ({"a.toml": HEAD.format(office=CITY) + ENTRY.format(id=1, county="椒江区").replace(
        'county = "椒江区"\n', "").replace("value = 3", 'value = 3\nsupersedes = "椒江区#7"\nfor_city = true\nreason = "x"')},
     "does not exist"),
])
def test_validate_names_every_problem_across_the_folder(run, folder, files, words):
    paths = [_write(folder, name, text) for name, text in files.items()]
    before = {p: p.read_bytes() for p in paths}
    result = run.fails(1, "validate", lang="en")
    assert words in result.stderr, result.stderr
    assert any(f"{p}:" in result.stderr for p in paths)
    run.fails(1, "record", "new-kindergartens", "3", *D, "--county", "椒江区", "--office", "椒江区")
    assert {p: p.read_bytes() for p in paths} == before


def _line(text: str, wanted: str) -> int:
    """The number of the first line that is ``wanted``."""
    return text.splitlines().index(wanted) + 1


def test_a_problem_across_the_folder_names_the_line_of_its_field(run, folder):
    """Each problem points at the line that sets the field it names, in the entry's table
    however the table is written; where the table leaves the field out, at its id line."""
    # entry 2 is for a unit the office does not report: its county line, after a note
    second = ENTRY.format(id=2, county="黄岩区").replace("id = 2\n", 'id = 2\nnote = "county = 椒江区"\n')
    text = HEAD.format(office="椒江区") + ENTRY.format(id=1, county="椒江区") + second
    path = _write(folder, "a.toml", text)
    err = run.fails(1, "validate", lang="en").stderr
    line = _line(text, 'county = "黄岩区"')
    assert f"{path}:{line}: entries[2].county: the office '椒江区' reports" in err, err
    # the table's header spaced and its county set before its id: still the county's line
    second = ('\n  [[ entries ]]\ncounty = "黄岩区"\nid = 2\nindicator = "new-kindergartens"\nas_of = 2023-06-30\n'
              'value = 3\nby = "tester"\nrecorded_at = 2023-07-01 09:00:00+08:00\n')
    text = HEAD.format(office="椒江区") + ENTRY.format(id=1, county="椒江区") + second
    path.write_text(text, encoding="utf-8")
    err = run.fails(1, "validate", lang="en").stderr
    line = _line(text, 'county = "黄岩区"')
    assert f"{path}:{line}: entries[2].county:" in err, err
    # a void of another office's entry by an office that does not act for the city: its for_city
    # line; the entry it voids does not exist: its supersedes line
    text = HEAD.format(office="椒江区") + ENTRY.format(id=1, county="椒江区").replace(
        "value = 3\n", 'supersedes = "黄岩区#7"\nvoid = true\nfor_city = true\nreason = "x"\n')
    path.write_text(text, encoding="utf-8")
    err = run.fails(1, "validate", lang="en").stderr
    for_city, supersedes = _line(text, "for_city = true"), _line(text, 'supersedes = "黄岩区#7"')
    assert f"{path}:{for_city}: entries[1].for_city:" in err, err
    assert f"{path}:{supersedes}: entries[1].supersedes:" in err, err


def test_a_file_renamed_or_an_office_added(run, folder, synthetic_plan_path):
    run.ok("record", "new-kindergartens", "3", *D, "--county", "椒江区", "--office", "椒江区")
    (folder / "椒江区.ledger.toml").rename(folder / "jiaojiang.toml")  # renamed: the header says whose it is
    run.ok("record", "new-kindergartens", "4", "--as-of", "2023-07-31", "--county", "椒江区", "--office", "椒江区")
    assert sorted(p.name for p in folder.glob("*.toml")) == ["jiaojiang.toml"]
    text = synthetic_plan_path.read_text(encoding="utf-8")  # an office added mid-year: a division of the city bureau
    synthetic_plan_path.write_text(text + '\n[[offices]]\nname = "基教处"\nreports = ["全市"]\n'
                                   '\n[[offices]]\nname = "椒江区"\nreports = ["椒江区"]\n', encoding="utf-8")
    run.ok("record", "platform-online", "进行中", *D, "--office", "基教处")
    assert (folder / "基教处.ledger.toml").exists()
    run.ok("validate")


# --------------------------------------------------------------------------- git: merge without conflict


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "synthetic", "GIT_AUTHOR_EMAIL": "s@example.invalid",
           "GIT_COMMITTER_NAME": "synthetic", "GIT_COMMITTER_EMAIL": "s@example.invalid", "GIT_TERMINAL_PROMPT": "0"}
    out = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, (args, out.stdout, out.stderr)
    return out.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_nine_offices_in_nine_clones_merge_without_conflict(synthetic_plan_path, tmp_path, monkeypatch):
    monkeypatch.delenv("EDUPLAN_LEDGER")
    run = Run()
    bare = tmp_path / "bare.git"
    _git(tmp_path, "init", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    _git(tmp_path, "clone", str(bare), str(seed))
    (seed / "ledger").mkdir()
    (seed / "ledger" / ".gitignore").write_text("*.lock\n*.torn-*\n.office\n", encoding="utf-8")
    _git(seed, "add", ".")
    _git(seed, "commit", "-m", "a ledger folder for the plan")
    _git(seed, "push", "origin", "main")
    clones = {}
    for county in COUNTIES:
        clone = tmp_path / f"clone-{county}"
        _git(tmp_path, "clone", str(bare), str(clone))
        (clone / "ledger" / ".office").write_text(county, encoding="utf-8")
        clones[county] = clone
    rng = random.Random(14)
    written = []
    own = dict.fromkeys(COUNTIES, 0)  # entries in each office's file: the next id is own + 1
    total = dict.fromkeys(COUNTIES, 0)  # each county's cumulative figure, as it should end up
    for month in range(1, 7):  # a half year of monthly returns, every office in turn, in a shuffled order
        order = list(COUNTIES)
        rng.shuffle(order)
        for county in order:  # each records first, offline, then pulls and pushes
            clone = clones[county]
            value = total[county] + rng.randint(1, 50)  # a cumulative total: it grows
            run.ok("record", "new-places", str(value), "--as-of", f"2023-{month:02d}-28", "--county", county,
                   "--ledger", clone / "ledger")
            written.append((county, month, value))
            own[county] += 1
            total[county] = value
            if rng.random() < 0.3:  # a re-check of the figure just sent: a correction, in its own file
                run.ok("correct", str(own[county]), str(value + 1), "--reason", "synthetic re-check",
                       "--ledger", clone / "ledger")
                own[county] += 1
                total[county] = value + 1
            _git(clone, "add", "ledger")
            _git(clone, "commit", "-m", f"{county} {month}月 return")
            _git(clone, "pull", "--no-rebase", "--no-edit", "origin", "main")  # never a conflict to ask about
            _git(clone, "push", "origin", "main")
    for clone in clones.values():
        _git(clone, "pull", "--no-rebase", "--no-edit", "origin", "main")
    docs = [json.loads(run.ok("status", "--as-of", "2023-06-30", "--format", "json", "--ledger",
                              clone / "ledger").stdout) for clone in clones.values()]
    assert all(d == docs[0] for d in docs[1:])
    logs = [json.loads(run.ok("log", "--format", "json", "--ledger", clone / "ledger").stdout) for clone in clones.values()]
    keys = [sorted((e["office"], e["id"]) for e in log) for log in logs]
    assert all(k == keys[0] for k in keys) and len(keys[0]) == len(set(keys[0]))  # none lost, none doubled
    assert len([e for e in logs[0] if e["supersedes"] is None]) == len(written)
    row = next(i for i in docs[0]["indicators"] if i["id"] == "new-places")
    assert {c["county"]: c["value"] for c in row["counties"]} == total  # the union of every office's figures
    assert row["actual"] == sum(total.values())
    run.ok("validate", "--ledger", next(iter(clones.values())) / "ledger")


def test_the_bulletin_reports_completeness_per_office(run, folder, synthetic_plan_path):
    """A declared office reporting two counties owes both counties' figures; the bulletin
    names it with the units it reports, what it sent and what it still owes."""
    offices = ['\n[[offices]]\nname = "基教处"\nreports = ["全市"]\n',
               '\n[[offices]]\nname = "北片"\nreports = ["椒江区", "黄岩区"]\n']
    offices += [f'\n[[offices]]\nname = "{c}"\nreports = ["{c}"]\n' for c in COUNTIES[2:]]
    synthetic_plan_path.write_text(synthetic_plan_path.read_text(encoding="utf-8") + "".join(offices),
                                   encoding="utf-8")
    run.ok("record", "new-kindergartens", "3", *D, "--county", "椒江区", "--office", "北片")
    run.ok("record", "new-kindergartens", "2", *D, "--county", "路桥区", "--office", "路桥区")
    doc = run.json("report", "--month", "2023-06")
    by = {o["office"]: o for o in doc["offices"]}
    assert list(by) == ["基教处", "北片", *COUNTIES[2:]]
    north = by["北片"]
    assert north["units"] == ["椒江区", "黄岩区"] and north["received"] == 1
    assert {"indicator": "new-kindergartens", "unit": "黄岩区"} in north["missing"]
    assert {"indicator": "new-kindergartens", "unit": "椒江区"} not in north["missing"]
    assert by["路桥区"]["received"] == 1 and by["临海市"]["received"] == 0
    assert {"indicator": "new-kindergartens", "unit": "临海市"} in by["临海市"]["missing"]
    md = run.ok("report", "--month", "2023-06").stdout
    line = next(x for x in md.splitlines() if x.startswith("| 北片 |"))
    assert "椒江区、黄岩区" in line and "新建公办幼儿园（黄岩区）" in line


def test_hand_edits_keep_corrections_across_files_right(run, folder, monkeypatch):
    """The index re-reads only the file edited by hand; a correction in one office's file of an
    entry in another's still counts, or stops counting once it is taken out."""
    run.ok("record", "new-kindergartens", "3", *D, "--county", "椒江区", "--office", "椒江区")
    run.ok("record", "new-kindergartens", "5", *D, "--county", "黄岩区", "--office", "黄岩区")
    run.ok("correct", "黄岩区#1", "6", "--reason", "synthetic: the notice says 6", "--office", CITY, "--for-city")
    sheet = folder.parent / "luqiao.csv"  # another office's history, so that a re-read touches a small part
    sheet.write_text("指标,数值,截至日期,县\n" + "".join(f"new-places,{100 * k},2023-{1 + k // 5:02d}-{1 + k % 5:02d},路桥区\n"
                                                  for k in range(1, 26)), encoding="utf-8")
    run.ok("import", sheet, "--office", "路桥区")

    def actual() -> float:
        warm = run.json("status", *D)
        monkeypatch.setenv("EDUPLAN_CACHE_DIR", "")  # no index: a plain read of every file
        plain = run.json("status", *D)
        monkeypatch.delenv("EDUPLAN_CACHE_DIR")
        assert warm == plain
        return next(i for i in warm["indicators"] if i["id"] == "new-kindergartens")["actual"]

    assert actual() == 9
    hy = folder / "黄岩区.ledger.toml"
    hy.write_text(hy.read_text(encoding="utf-8").replace('by = "tester"', 'by = "hand-edited"'), encoding="utf-8")
    assert actual() == 9  # the corrected entry was re-read: still corrected by the city's entry
    city = folder / f"{CITY}.ledger.toml"
    text = city.read_text(encoding="utf-8")
    city.write_text(text[:text.index("\n[[entries]]\n") + 1], encoding="utf-8")  # the correction taken out by hand
    assert actual() == 8


def test_an_entry_corrected_in_two_clones_is_named_after_the_merge(run, folder, tmp_path, monkeypatch):
    """The county corrects its entry in one clone while the city corrects it for the city in
    another; after the merge the ledger holds two corrections of one entry, which the door
    would have refused. The later is named (file, line, which entry stands) and nothing is
    read as a figure until one is taken out; then the other stands."""
    from eduplan.services import workspace

    def at(hour: int) -> None:
        monkeypatch.setattr(workspace, "now", lambda: dt.datetime(2023, 7, 3, hour, tzinfo=dt.timezone(dt.timedelta(hours=8))))

    at(9)
    run.ok("record", "new-kindergartens", "5", *D, "--county", "黄岩区", "--office", "黄岩区")
    clone = tmp_path / "clone"
    shutil.copytree(folder, clone)
    at(10)
    run.ok("correct", "1", "4", "--reason", "synthetic: the county's fix", "--office", "黄岩区")
    monkeypatch.setenv("EDUPLAN_LEDGER", str(clone))
    at(11)
    run.ok("correct", "黄岩区#1", "6", "--reason", "synthetic: the city's fix", "--office", CITY, "--for-city")
    shutil.copy(clone / f"{CITY}.ledger.toml", folder / f"{CITY}.ledger.toml")  # what a git merge brings
    monkeypatch.setenv("EDUPLAN_LEDGER", str(folder))
    city = folder / f"{CITY}.ledger.toml"
    lines = city.read_text(encoding="utf-8").splitlines()
    line = next(n for n, x in enumerate(lines, 1) if n > lines.index("id = 1") and x.startswith("supersedes = "))
    err = run.fails(1, "validate", lang="en").stdout + run.fails(1, "status", *D, lang="en").stderr
    assert f"{city}:{line}: entries[1].supersedes:" in err  # the line that names what it supersedes
    assert "entry 黄岩区#1 was already superseded by entry 黄岩区#2" in err
    assert "已被记录 黄岩区#2 取代" in run.fails(1, "status", *D).stderr
    text = city.read_text(encoding="utf-8")
    city.write_text(text[:text.index("\n[[entries]]\n") + 1], encoding="utf-8")  # the merge resolved by hand
    assert next(i for i in run.json("status", *D)["indicators"] if i["id"] == "new-kindergartens")["actual"] == 4


def test_a_folder_found_sound_is_checked_again_only_once_it_changes(run, folder, monkeypatch):
    """The rules across the files read every entry of the folder; once they find nothing, they
    are not run again until something is written (the index keeps that they found nothing), and
    a hand edit that breaks one is caught at once."""
    from eduplan.store import folder as folder_rules

    run.ok("record", "new-kindergartens", "3", *D, "--county", "椒江区", "--office", "椒江区")
    run.ok("record", "new-kindergartens", "5", *D, "--county", "黄岩区", "--office", "黄岩区")
    run.ok("status", *D)
    calls = []
    real = folder_rules._problems
    monkeypatch.setattr(folder_rules, "_problems", lambda *a: calls.append(1) or real(*a))
    run.ok("status", *D)
    assert calls == []  # nothing written since they found nothing
    mine = folder / "椒江区.ledger.toml"  # 椒江区's office records a figure for 黄岩区, by hand
    mine.write_text(mine.read_text(encoding="utf-8").replace('county = "椒江区"', 'county = "黄岩区"'), encoding="utf-8")
    err = run.fails(1, "status", *D, lang="en").stderr
    assert "椒江区.ledger.toml" in err and "the office '椒江区' reports" in err and "not 黄岩区" in err
    assert calls == [1]


def test_what_the_index_keeps_is_judged_again_when_the_rules_change():
    """What the index keeps (that a folder was found sound, the data-quality digest) is keyed by
    the code that judged it: the files of those rules must be among what the key covers, or an
    upgrade that changes a rule would go on showing the old verdict."""
    from eduplan.services import quality
    from eduplan.store import folder as folder_rules
    from eduplan.store import ledger, memo

    covered = {p.resolve() for p in memo.sources()}
    for module in (folder_rules, ledger, quality):
        assert Path(module.__file__).resolve() in covered, module.__name__


@pytest.mark.parametrize("seconds_apart", [0, 1])
def test_a_falling_total_is_named_in_a_folder_however_quickly_it_follows(run, folder, monkeypatch, seconds_apart):
    """The rules judge a new figure at the place it takes in the ledger's order (date, time of
    recording, office, id), so they need its office and id: without the office, a total recorded
    in the same second as the one before it was judged as if it came first, and a fall went in
    unnamed (a script, or a test, records that fast)."""
    from eduplan.services import workspace

    start = dt.datetime(2023, 7, 3, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    monkeypatch.setattr(workspace, "now", lambda: start)
    run.ok("record", "new-kindergartens", "3", *D, "--county", "椒江区", "--office", "椒江区")
    run.ok("record", "new-kindergartens", "5", *D, "--county", "黄岩区", "--office", "黄岩区")
    monkeypatch.setattr(workspace, "now", lambda: start + dt.timedelta(seconds=seconds_apart))
    before = (folder / "黄岩区.ledger.toml").read_bytes()
    result = run.fails(1, "record", "new-kindergartens", "2", *D, "--county", "黄岩区", "--office", "黄岩区",
                       lang="en")
    assert "[decreasing]" in result.stderr and (folder / "黄岩区.ledger.toml").read_bytes() == before
    run.ok("record", "new-kindergartens", "2", *D, "--county", "黄岩区", "--office", "黄岩区", "--force")


def test_the_city_office_is_named_quan_shi_as_well_as_by_its_name(run, tmp_path, monkeypatch):
    """With the bundled plan the city's office is 台州市教育局; the README names its entries
    全市#N, and staff write 全市 for the city: `correct 全市#1` said 'no office 全市' and blamed
    --office. 全市 names the one office that reports the city-wide figure, in an entry and in
    --office; an office that is not there is named as the entry's fault."""
    path = tmp_path / "ledger"
    path.mkdir()
    monkeypatch.setenv("EDUPLAN_LEDGER", str(path))
    day = ("--as-of", "2023-06-30")
    run.ok("record", "new-public-kindergartens", "3", *day, "--county", "路桥", "--office", "路桥区")
    run.ok("correct", "路桥区#1", "4", "--reason", "synthetic", "--for-city", "--office", "全市")
    run.ok("correct", "全市#1", "5", "--reason", "synthetic", "--office", "台州市教育局")
    row = next(i for i in run.json("status", *day)["indicators"] if i["id"] == "new-public-kindergartens")
    assert row["actual"] == 5
    assert (path / "台州市教育局.ledger.toml").read_text(encoding="utf-8").count("\n[[entries]]\n") == 2
    err = run.fails(1, "void", "全县#2", "--reason", "x", "--office", "台州市教育局").stderr
    assert err.startswith("eduplan: 记录号: ") and "全县" in err


@pytest.mark.parametrize("then", ["replaced by a file", "removed"])
def test_a_ledger_folder_replaced_or_removed_leaves_nothing_behind_in_the_index(run, synthetic_plan_path, ledger_path,
                                                                              tmp_path, monkeypatch, then):
    """The index of a folder kept its files' entries when the folder was replaced by a ledger
    file of the same name (figures of both mixed) or removed (figures of a ledger that is gone).
    Every figure equals a read without a stored index."""
    run.ok("record", "new-kindergartens", "3", *D, "--county", "椒江区")
    run.ok("record", "new-places", "--add", "300", *D, "--county", "黄岩区")
    folder = tmp_path / "offices"
    run.ok("split", folder)
    run.ok("status", *D, "--ledger", folder)  # the folder's files are in the index
    shutil.rmtree(folder)
    if then == "replaced by a file":
        other = tmp_path / "other.toml"
        monkeypatch.setenv("EDUPLAN_LEDGER", str(other))
        run.ok("record", "new-kindergartens", "7", *D, "--county", "路桥区")
        shutil.copyfile(other, folder)
    for command in (("status", *D), ("log",), ("check", *D)):
        indexed = run(*command, "--ledger", folder, "--format", "json")
        monkeypatch.setenv("EDUPLAN_CACHE_DIR", "")
        plain = run(*command, "--ledger", folder, "--format", "json")
        assert (indexed.exit_code, indexed.stdout) == (plain.exit_code, plain.stdout), command
        monkeypatch.setenv("EDUPLAN_CACHE_DIR", str(tmp_path / "cache"))


def test_each_unit_is_reported_by_one_office(run, folder, synthetic_plan_path):
    """A plan giving 黄岩区 to two offices passed validate, and both offices' figures for one date
    went in, one of them silently counted. A unit given to none was refused to every office as
    recorded "by its own office", which the plan does not have."""
    text = synthetic_plan_path.read_text(encoding="utf-8")
    synthetic_plan_path.write_text(text + '\n[[offices]]\nname = "全市"\nreports = ["全市", "黄岩区"]\n\n[[offices]]\n'
                                   'name = "椒江区"\nreports = ["椒江区", "黄岩区"]\n', encoding="utf-8")
    line = synthetic_plan_path.read_text(encoding="utf-8").count("\n")  # the last line: the second office's reports
    err = run.fails(1, "validate").stderr
    assert f"{synthetic_plan_path}:{line}: offices[1].reports[1]: “黄岩区”已由全市填报：每个单位只能由一个填报单位负责" in err
    synthetic_plan_path.write_text(text + '\n[[offices]]\nname = "全市"\nreports = ["全市"]\n\n[[offices]]\n'
                                   'name = "椒江区"\nreports = ["椒江区"]\n', encoding="utf-8")
    err = run.fails(1, "record", "new-kindergartens", "3", *D, "--county", "黄岩区", "--office", "椒江区").stderr
    assert "计划的 [[offices]] 中没有填报单位负责黄岩区" in err and not list(folder.glob("*.toml"))


@pytest.mark.parametrize("raw", ["椒江区\r\n".encode("utf-8-sig"), "椒江区\r\n".encode("utf-16"), "椒江区".encode("gb18030")],
                         ids=["utf-8 with a mark (Notepad)", "utf-16 (PowerShell echo)", "gb18030"])
def test_an_office_file_saved_by_a_windows_editor_names_the_office(run, folder, raw):
    """.office in UTF-8 with a byte-order mark was refused as holding an invisible character
    (\\ufeff椒江区); in UTF-16, as PowerShell's echo writes it, it was taken for no file at all."""
    (folder / ".office").write_bytes(raw)
    run.ok("record", "new-kindergartens", "3", *D, "--county", "椒江区")
    assert [p.name for p in folder.glob("*.toml")] == ["椒江区.ledger.toml"]


def test_an_office_name_from_the_environment_or_the_file_is_said_with_where_it_came_from(run, folder, monkeypatch):
    (folder / ".office").write_text("北湖区\n", encoding="utf-8")
    err = run.fails(1, "record", "new-kindergartens", "3", *D, "--county", "椒江区").stderr
    assert err.startswith(f"eduplan: {folder / '.office'}: 没有填报单位“北湖区”")
    monkeypatch.setenv("EDUPLAN_OFFICE", "南湖区")
    assert run.fails(1, "record", "new-kindergartens", "3", *D, "--county", "椒江区").stderr.startswith(
        "eduplan: $EDUPLAN_OFFICE: 没有填报单位“南湖区”")
    assert run.fails(1, "record", "new-kindergartens", "3", *D, "--office", "西湖区").stderr.startswith(
        "eduplan: --office: 没有填报单位“西湖区”")
    monkeypatch.delenv("EDUPLAN_OFFICE")
    (folder / ".office").write_bytes(b"\x80\x80")
    assert "不是可识别编码" in run.fails(1, "record", "new-kindergartens", "3", *D, "--county", "椒江区").stderr
    assert not list(folder.glob("*.toml"))


def test_two_clones_correcting_one_entry_blame_the_later_correction_whatever_the_index(run, folder, monkeypatch,
                                                                                     tmp_path):
    """椒江区 corrected its #1 in one clone; the city, later, for the city in another. Merged, the
    clone whose index already held the city's correction blamed 椒江区's (the first recorded,
    which stands) as "记录 1 已被记录 1 取代", naming no office; a fresh index blamed the city's.
    Both now name the later one, with offices."""
    import datetime as dt
    import shutil

    from eduplan.services import workspace

    tz = dt.timezone(dt.timedelta(hours=8))

    def at(hour):
        monkeypatch.setattr(workspace, "now", lambda: dt.datetime(2023, 7, 1, hour, tzinfo=tz))

    at(9)
    run.ok("record", "new-kindergartens", "3", *D, "--county", "椒江区", "--office", "椒江区")
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(folder, a)
    shutil.copytree(folder, b)
    at(10)
    run.ok("correct", "1", "4", "--reason", "synthetic: the county's", "--ledger", a, "--office", "椒江区")
    run.ok("status", *D, "--ledger", b)  # b's index: the first entry alone
    at(11)
    run.ok("correct", "椒江区#1", "5", "--reason", "synthetic: the city's", "--ledger", b, "--office", CITY, "--for-city")
    shutil.copy(a / "椒江区.ledger.toml", b / "椒江区.ledger.toml")  # the merge: 椒江区's file grows by its correction
    want = f"{b / (CITY + '.ledger.toml')}:14: entries[1].supersedes: 记录 椒江区#1 已被记录 椒江区#2 取代"
    assert want in run.fails(1, "validate", "--ledger", b).stderr  # the index held the city's correction
    monkeypatch.setenv("EDUPLAN_CACHE_DIR", "")
    assert want in run.fails(1, "validate", "--ledger", b).stderr  # a plain reading says the same


def test_entries_are_named_with_their_office_in_a_folders_messages(run, folder):
    """In a folder #17 is every office's: the decreasing warning said （#17）, and a hand-edited
    correction of another unit's entry said 记录 1, where 椒江区#1 is meant."""
    run.ok("record", "new-kindergartens", "5", *D, "--county", "椒江区", "--office", "椒江区")
    err = run.fails(1, "record", "new-kindergartens", "4", "--as-of", "2023-07-31", "--county", "椒江区",
                    "--office", "椒江区").stderr
    assert "低于截至 2023-06-30 的 5所（椒江区#1）" in err
    run.ok("record", "new-places", "300", *D, "--county", "椒江区", "--office", "椒江区")
    run.ok("correct", "2", "310", "--reason", "synthetic", "--office", "椒江区")
    path = folder / "椒江区.ledger.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("supersedes = 2", "supersedes = 1"), encoding="utf-8")  # a slip of the hand
    err = run.fails(1, "validate").stderr
    assert "记录 椒江区#1 属于 new-kindergartens/椒江区，而不是 new-places/椒江区" in err, err


def test_a_wrong_office_in_a_files_header_is_said_at_its_line(run, folder):
    """The office named in a file's header was said at line 1, wherever its line is."""
    path = _write(folder, "a.toml", "# SYNTHETIC\n" + HEAD.format(office="火星") + ENTRY.format(id=1, county="椒江区"))
    assert f"{path}:4: office: the office '火星' is not one of the plan's offices" in run.fails(
        1, "validate", lang="en").stderr


def test_an_entry_typed_with_a_chinese_keyboards_full_width_marks_is_found(run, folder):
    """椒江区＃1 (a full-width ＃, as a Chinese keyboard types it) was refused as no entry."""
    run.ok("record", "new-kindergartens", "3", *D, "--county", "椒江区", "--office", "椒江区")
    run.ok("correct", "椒江区＃１", "4", "--reason", "synthetic", "--office", "椒江区")
    run.ok("void", "＃2", "--reason", "synthetic", "--office", "椒江区")
    assert [e["kind"] for e in run.json("log")] == ["void", "correction", "record"]


def test_a_city_correction_whose_target_changed_under_it_names_the_entry_in_its_own_office(run, folder):
    """A merge renumbered 黄岩区's file under the city's correction of 黄岩区#1: validate named the
    city's own file's id (全市#1 is for another indicator; 'no entry 全市#1 before 全市#1')."""
    run.ok("record", "new-kindergartens", "5", *D, "--county", "黄岩区", "--office", "黄岩区")
    run.ok("correct", "黄岩区#1", "6", "--reason", "synthetic", "--office", CITY, "--for-city")
    own = folder / "黄岩区.ledger.toml"
    text = own.read_text(encoding="utf-8")
    own.write_text(text.replace('indicator = "new-kindergartens"', 'indicator = "new-places"'), encoding="utf-8")
    err = run.fails(1, "validate").stderr
    assert "记录 黄岩区#1 属于 new-places/黄岩区，而不是 new-kindergartens/黄岩区" in err, err
    own.write_text(text.replace("\nid = 1\n", "\nid = 2\n", 1), encoding="utf-8")  # 黄岩区#1 gone
    err = run.fails(1, "validate").stderr
    assert "没有记录 黄岩区#1" in err and f"{CITY}#1" not in err.split("supersedes:")[1], err


@pytest.mark.parametrize("moved", ["2023/黄岩区.ledger.toml", "黄岩区.ledger.TOML", "黄岩区.ledger.toml.bak"])
def test_an_offices_file_that_the_folder_does_not_read_is_named_by_validate(run, folder, moved):
    """黄岩区's file moved to a subfolder or renamed off *.toml and pulled: validate said 正常 with
    0 entries and every reading lost 黄岩区's figures without a word."""
    run.ok("record", "new-kindergartens", "5", *D, "--county", "黄岩区", "--office", "黄岩区")
    target = folder / moved
    target.parent.mkdir(exist_ok=True)
    (folder / "黄岩区.ledger.toml").rename(target)
    (folder / "notes.txt").write_text("synthetic: a note beside the files\n", encoding="utf-8")  # not a ledger
    err = run.fails(1, "validate").stderr
    assert f"{target}: 此文件里有台账记录，但不会被读取" in err and "notes.txt" not in err, err
    (folder / "黄岩区.ledger.toml").write_bytes(target.read_bytes())  # back in place: the other is a copy
    run.ok("validate")
