"""Every promise kept under faults: paths that reach one file, special files, full disks, kills,
closed outputs, hostile bytes, files that cost too much. Figures here are SYNTHETIC.

Each test makes its fault on this machine: symbolic and hard links, FIFOs and device nodes in
a temporary folder, a small tmpfs (when allowed) or a file-size limit for a full disk,
``kill -9`` at random points in bounded loops.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import random
import signal
import stat
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import COUNTIES
from helpers import entries

D = ["--as-of", "2023-06-30"]
ROOT = Path(__file__).resolve().parents[1]


def eduplan(*args: str, env: dict | None = None, stdout=subprocess.PIPE, **kw) -> subprocess.CompletedProcess:
    """The real console script in its own process (for faults that need one: limits, closed outputs)."""
    return subprocess.run([sys.executable, "-m", "eduplan", *map(str, args)], stdout=stdout, stderr=subprocess.PIPE,
                          env={**os.environ, **(env or {})}, timeout=120, **kw)


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file under a folder with its bytes (or what it is, for special files)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if "cache" in p.parts:
            continue
        st = p.lstat()
        if stat.S_ISLNK(st.st_mode):
            out[str(p)] = "link->" + os.readlink(p)
        elif stat.S_ISREG(st.st_mode):
            out[str(p)] = p.read_bytes()
        elif not stat.S_ISDIR(st.st_mode):
            out[str(p)] = f"special {stat.S_IFMT(st.st_mode)}"
    return out


# --------------------------------------------------------------------------- one file, whatever path reaches it

WRITER = textwrap.dedent("""
    import datetime as dt, sys
    from eduplan.services import Workspace, record
    plan, ledger, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    now = dt.datetime(2023, 12, 31, 9, tzinfo=dt.timezone.utc)
    for i in range(count):
        record(Workspace(plan, ledger, f"worker-{worker}", now), "new-kindergartens", str(i),
               as_of=dt.date(2023, 6, 30), note=f"w{worker}-{i}", force=True)  # falling and repeated: accepted
""")


def test_writers_through_symlinks_and_hard_links_share_one_lock(synthetic_plan_path, synthetic_plan, tmp_path):
    real = tmp_path / "a" / "l.toml"
    real.parent.mkdir()
    (tmp_path / "b").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "c").mkdir()
    script = tmp_path / "w.py"
    script.write_text(WRITER)
    subprocess.run([sys.executable, str(script), str(synthetic_plan_path), str(real), "99", "1"], check=True)
    os.link(real, tmp_path / "c" / "hard.toml")  # a hard link: another name, the same file
    paths = [real, tmp_path / "b" / "l.toml", tmp_path / "c" / "hard.toml"]
    procs = [subprocess.Popen([sys.executable, str(script), str(synthetic_plan_path), str(paths[w % 3]), str(w), "15"],
                              stderr=subprocess.PIPE) for w in range(6)]
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err.decode()
    found = entries(real, synthetic_plan)
    assert [e.id for e in found] == list(range(1, 92))
    assert {e.note for e in found} == {"w99-0"} | {f"w{w}-{i}" for w in range(6) for i in range(15)}


READER = textwrap.dedent("""
    import datetime as dt, sys
    from eduplan.services import Workspace, status
    plan, ledger, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(count):
        status(Workspace(plan, ledger, "reader", dt.datetime(2023, 12, 31, 9, tzinfo=dt.timezone.utc)),
               as_of="2023-12-31")
""")


def test_writers_and_readers_side_by_side_keep_the_index_equal_to_the_file(synthetic_plan_path, synthetic_plan,
                                                                           tmp_path, monkeypatch):
    """Commands that record and commands that read, run at once, each bring the shared index up
    to date. A reader that read the index before another command wrote it wrote its rows on top
    (one entry indexed twice: an increment counted twice, until the index was deleted). Every
    round: the index holds each entry of the file once, and its figures are the plain parse's."""
    from eduplan.core.entries import latest, surviving
    from eduplan.store import ledger as store

    cache = tmp_path / "cache"
    monkeypatch.setenv("EDUPLAN_CACHE_DIR", str(cache))
    ledger = tmp_path / "l.toml"
    writer, reader = tmp_path / "w.py", tmp_path / "r.py"
    writer.write_text(WRITER)
    reader.write_text(READER)
    subprocess.run([sys.executable, str(writer), str(synthetic_plan_path), str(ledger), "99", "1"], check=True)
    for _round in range(3):
        procs = [subprocess.Popen([sys.executable, str(writer), str(synthetic_plan_path), str(ledger), str(w), "6"],
                                  stderr=subprocess.PIPE) for w in range(3)]
        procs += [subprocess.Popen([sys.executable, str(reader), str(synthetic_plan_path), str(ledger), "12"],
                                   stderr=subprocess.PIPE) for _ in range(4)]
        for p in procs:
            _, err = p.communicate(timeout=180)
            assert p.returncode == 0, err.decode()
        found, _sync = store.read_plain(ledger, synthetic_plan)
        (db,) = cache.glob("ledger-*.sqlite")
        con = sqlite3.connect(db)
        rows = con.execute("SELECT COUNT(*), COUNT(DISTINCT office || '#' || id) FROM entries").fetchone()
        con.close()
        assert rows == (len(found), len(found))
        view = store.open_ledger(ledger, synthetic_plan)
        try:
            day = dt.date(2023, 12, 31)
            assert view.latest(day) == latest(surviving(found), day)
        finally:
            view.close()


def test_a_ledger_that_is_a_link_to_itself(run, synthetic_plan_path, tmp_path):
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)
    for args in (["status"], ["validate"], ["record", "new-kindergartens", "3", *D], ["log"]):
        result = run.fails(1, *args, "--ledger", loop, lang="en")
        assert "symbolic links" in result.stderr and str(loop) in result.stderr
    assert loop.is_symlink()


def test_a_fifo_is_refused_without_waiting_alone_or_in_a_ledger_folder(run, synthetic_plan_path, tmp_path):
    folder = tmp_path / "offices"
    folder.mkdir()
    fifo = folder / "椒江区.ledger.toml"
    os.mkfifo(fifo)
    for target in (fifo, folder):
        for args in (["validate"], ["status"], ["record", "new-kindergartens", "3", *D, "--county", "椒江区",
                                                 "--office", "椒江区"]):
            started = time.monotonic()
            result = run.fails(1, *args, "--ledger", target, lang="en")
            assert "named pipe" in result.stderr and str(fifo) in result.stderr, result.stderr
            assert time.monotonic() - started < 10
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert not list(folder.glob("*.lock"))
    assert not list((tmp_path / "cache").glob("ledger-*.sqlite*"))  # no index left behind of what is no ledger


@contextlib.contextmanager
def _deadline(seconds: int):
    """A command that waits on a FIFO fails the test instead of hanging the suite."""
    def expired(signum, frame):
        raise TimeoutError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("special", ["fifo", "zero"])
def test_a_side_file_that_is_a_fifo_or_a_device_is_refused_without_waiting(run, synthetic_plan_path, tmp_path,
                                                                            special):
    """A ledger folder's .office, the source text a plan names and the plan's cache entry as a
    FIFO: record, validate, coverage and status waited for ever; as a link to /dev/zero, record
    read it until the memory ran out. Each is now refused by what it is (the cache entry is
    passed over: the plan is read again)."""
    def make(path: Path) -> None:
        path.unlink(missing_ok=True)
        if special == "fifo":
            os.mkfifo(path)
        else:
            path.symlink_to("/dev/zero")

    folder = tmp_path / "led"
    folder.mkdir()
    make(folder / ".office")
    plan = tmp_path / "plan-with-its-text.toml"  # (beside the test's own plan, not over it)
    plan.write_text(synthetic_plan_path.read_text(encoding="utf-8").replace(
        "[plan]\n", '[plan]\nsource_text = "source.txt"\n', 1), encoding="utf-8")
    make(tmp_path / "source.txt")
    kind = "named pipe" if special == "fifo" else "device"
    with _deadline(20):
        err = run.fails(1, "record", "new-kindergartens", "3", *D, "--ledger", folder, lang="en").stderr
        assert ".office" in err and kind in err, err
        err = run.fails(1, "validate", "--plan", plan, lang="en").stderr
        assert "source.txt" in err and kind in err, err
        err = run.fails(1, "coverage", "--plan", plan, lang="en").stderr
        assert "source.txt" in err and kind in err, err
        run.ok("status", "--format", "json")  # the cached plan written
        for cached in (tmp_path / "cache").glob("plan-*.json"):
            make(cached)
        assert run.json("status")["summary"]


def test_a_device_as_the_ledger_is_never_written(run, synthetic_plan_path):
    result = run.fails(1, "record", "new-kindergartens", "3", *D, "--ledger", "/dev/null", lang="en")
    assert "device" in result.stderr
    assert not Path("/dev/null.lock").exists()


# --------------------------------------------------------------------------- -o: one safe way to write a file


@pytest.fixture
def recorded(run, synthetic_plan_path, ledger_path):
    run.ok("record", "new-kindergartens", "13", *D)
    run.ok("record", "public-share", "400/1000", *D, "--county", "椒江区")
    return ledger_path


def _device(tmp_path: Path) -> Path | None:
    dev = tmp_path / "null-device"
    try:
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
    except (PermissionError, OSError):
        return None
    return dev


@pytest.mark.parametrize("command", [["report", "--month", "2023-06", "--format", "markdown"],
                                     ["template", "--format", "csv", "--force"]])
def test_output_never_replaces_a_special_file(run, recorded, tmp_path, command):
    fifo = tmp_path / "fifo.out"
    os.mkfifo(fifo)
    targets = [(fifo, "named pipe"), (tmp_path, "folder")]
    dev = _device(tmp_path)
    if dev is not None:
        targets.append((dev, "device"))
    for target, words in targets:
        before = snapshot(tmp_path)
        result = run.fails(1, *command, "-o", target, lang="en")
        assert words in result.stderr
        assert snapshot(tmp_path) == before
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    if dev is not None:
        assert stat.S_ISCHR(dev.lstat().st_mode)


def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(run, recorded, tmp_path):
    target = tmp_path / "reports" / "june.md"
    target.parent.mkdir()
    target.write_text("old bulletin", encoding="utf-8")
    link = tmp_path / "latest.md"
    link.symlink_to(target)
    run.ok("report", "--month", "2023-06", "-o", link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert [p.name for p in target.parent.iterdir()] == ["june.md"]  # no temporary file left


@pytest.mark.parametrize("command", [["report", "--month", "2023-06", "--format", "markdown"],
                                     ["template", "--format", "csv", "--force"]])
def test_output_never_writes_over_the_ledger_or_the_plan_by_any_name(run, recorded, synthetic_plan_path, tmp_path,
                                                                    command):
    (tmp_path / "alias.csv").symlink_to(recorded)
    os.link(recorded, tmp_path / "hard.csv")
    (tmp_path / "plan-alias.csv").symlink_to(synthetic_plan_path)
    before = snapshot(tmp_path)
    for target, what in ((recorded, "ledger"), (tmp_path / "alias.csv", "ledger"), (tmp_path / "hard.csv", "ledger"),
                         (synthetic_plan_path, "plan"), (tmp_path / "plan-alias.csv", "plan")):
        result = run.fails(2, *command, "-o", target, lang="en")
        assert f"is the {what}" in result.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", [["report", "--month", "2023-06", "--format", "markdown"],
                                     ["template", "--format", "csv", "--force"]])
def test_output_never_writes_into_a_ledger_folder_nor_over_a_ledger_not_yet_written(run, recorded, synthetic_plan_path,
                                                                                      tmp_path, command):
    """-o led/椒江区.ledger.toml wrote a report over an office's file of a ledger folder (its
    entries gone, validate: a TOML syntax error), and -o led/.office, the ledger's lock file, a
    ledger not yet written and the plan's source text were written over as well."""
    folder = tmp_path / "led"
    run.ok("split", folder)
    plan = tmp_path / "plan-with-its-text.toml"  # (beside the test's own plan, not over it)
    plan.write_text(synthetic_plan_path.read_text(encoding="utf-8").replace(
        "[plan]\n", '[plan]\nsource_text = "source.txt"\n', 1), encoding="utf-8")
    (tmp_path / "source.txt").write_text("合成原文（SYNTHETIC）\n", encoding="utf-8")
    (folder / ".office").write_text("椒江区\n", encoding="utf-8")
    before = snapshot(tmp_path)
    office_file = next(folder.glob("*.ledger.toml"))
    for target, ledger, said in ((office_file, folder, "is inside the ledger"), (folder / ".office", folder, "inside"),
                                 (folder / "new-office.ledger.toml", folder, "inside"),
                                 (tmp_path / "new.toml", tmp_path / "new.toml", "is the ledger"),
                                 (Path(str(recorded) + ".lock"), recorded, "is the ledger's lock file"),
                                 (tmp_path / "source.txt", recorded, "is the plan's source text")):
        result = run.fails(2, *command, "-o", target, "--ledger", ledger, "--plan", plan, lang="en")
        assert said in result.stderr, (target, result.stderr)
    assert snapshot(tmp_path) == before
    run.ok(*command, "-o", tmp_path / "out.md", "--ledger", folder, "--plan", plan)  # beside the folder: written
    run.ok(*command, "-o", folder / "june.md", "--ledger", folder, "--plan", plan)  # a report in it: not a ledger's
    assert "june.md" not in [p.name for p in folder.glob("*.toml")]
    run.ok("validate", "--ledger", folder, "--plan", synthetic_plan_path)  # the folder reads as it did


def test_output_to_an_empty_name_a_missing_or_an_unwritable_folder(run, recorded, tmp_path):
    assert "the file name is empty" in run.fails(2, "report", "--month", "2023-06", "-o", "", lang="en").stderr
    missing = run.fails(1, "report", "--month", "2023-06", "-o", tmp_path / "no" / "x.md", lang="en")
    assert "does not exist" in missing.stderr
    locked = tmp_path / "locked"
    locked.mkdir()
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(locked)], capture_output=True).returncode != 0:
            pytest.skip("cannot make a folder read-only here")
    else:
        locked.chmod(0o555)
    try:
        result = run.fails(1, "report", "--month", "2023-06", "-o", locked / "x.md", lang="en")
        assert str(locked / "x.md") in result.stderr
        assert list(locked.iterdir()) == []
    finally:
        subprocess.run(["chattr", "-i", str(locked)], capture_output=True)
        locked.chmod(0o755)


# --------------------------------------------------------------------------- a full disk


def _limited(size: int) -> dict:
    """Environment for a child whose files may not grow past ``size`` bytes (RLIMIT_FSIZE): a
    write beyond it fails with EFBIG, part-way if it straddles the limit — a full disk, made here."""
    return {"EDUPLAN_TEST_FSIZE": str(size)}


LIMITED = textwrap.dedent("""
    import os, resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    size = int(os.environ["EDUPLAN_TEST_FSIZE"])
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    from eduplan.console import run
    run()  # the console script itself
""")


def _run_limited(tmp_path: Path, size: int, *args) -> subprocess.CompletedProcess:
    script = tmp_path / "limited.py"
    script.write_text(LIMITED)
    return subprocess.run([sys.executable, str(script), *map(str, args), "--lang", "en"], capture_output=True,
                          env={**os.environ, **_limited(size)}, timeout=120)


def test_a_full_disk_during_record_correct_void_and_import_changes_nothing(run, recorded, tmp_path):
    size = recorded.stat().st_size
    before = recorded.read_bytes()
    sheet = tmp_path / "june.csv"
    with open(sheet, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["指标", "数值", "截至日期", "县(市、区)"])
        for i, county in enumerate(COUNTIES * 30):
            k = i // 9
            w.writerow(["new-places", str(100 + i), f"2023-{1 + k % 6:02d}-{1 + k // 6:02d}", county])
    for args in (["record", "new-kindergartens", "14", "--as-of", "2023-07-31", "--note", "x" * 400], ["correct", "1", "15", "--reason", "r" * 400],
                 ["void", "2", "--reason", "r" * 400], ["import", sheet, "--accept-warnings"]):
        result = _run_limited(tmp_path, size + 40, *args)  # room for a part of the new bytes only
        assert result.returncode == 1, result.stderr.decode()
        err = result.stderr.decode()
        assert "Traceback" not in err and "nothing was recorded and the file is as it was" in err, err
        assert recorded.read_bytes() == before
    run.ok("validate")
    run.ok("record", "new-kindergartens", "14", "--as-of", "2023-07-31")  # and with room again, recording goes on


def test_a_workbook_that_cannot_be_made_names_the_file(run, recorded, tmp_path):
    """openpyxl writes a workbook's sheets to temporary files first: a size limit there is one
    message naming the file asked for, with no traceback, and no file left behind."""
    out = tmp_path / "out"
    out.mkdir()
    for args in (["template", "-o", out / "t.xlsx"], ["report", "--month", "2023-06", "-o", out / "r.xlsx"]):
        result = _run_limited(tmp_path, 3000, *args)
        err = result.stderr.decode()
        assert result.returncode == 1 and str(args[-1]) in err, err
        assert "Traceback" not in err and "Exception ignored" not in err, err
    assert not list(out.iterdir())


def _tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    if not _tmpfs(disk, "256k"):
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def _fill(disk: Path, leave: int) -> None:
    """Fill the disk but ``leave`` bytes (roughly: tmpfs counts pages)."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(filler, "wb") as fh:
        with contextlib.suppress(OSError):
            fh.write(b"\0" * max(0, free - leave))


def test_a_full_tmpfs_for_every_writing_command(run, synthetic_plan_path, small_disk, monkeypatch):
    ledger = small_disk / "l.toml"
    monkeypatch.setenv("EDUPLAN_LEDGER", str(ledger))
    run.ok("record", "new-kindergartens", "13", *D)
    run.ok("record", "public-share", "400/1000", *D, "--county", "椒江区")
    _fill(small_disk, 0)
    before = snapshot(small_disk)
    for args, code in ((["record", "new-kindergartens", "14", "--as-of", "2023-07-31", "--note", "n" * 5000], 1),
                       (["correct", "1", "15", "--reason", "r" * 5000], 1), (["void", "2", "--reason", "r" * 5000], 1),
                       (["report", "--month", "2023-06", "-o", small_disk / "r.html"], 1),
                       (["template", "-o", small_disk / "t.xlsx"], 1)):
        result = run.fails(code, *args, lang="en")
        assert "disk is full" in result.stderr, result.stderr
        assert snapshot(small_disk) == before
    (small_disk / "filler").unlink()
    run.ok("validate")


def test_repair_on_a_full_disk_changes_nothing_and_says_why(run, synthetic_plan_path, small_disk, monkeypatch):
    ledger = small_disk / "l.toml"
    monkeypatch.setenv("EDUPLAN_LEDGER", str(ledger))
    run.ok("record", "new-kindergartens", "13", *D)
    with open(ledger, "ab") as fh:
        fh.write(b'\n[[entries]]\nid = 2\nindicator = "new-kinder')  # a write cut short
    _fill(small_disk, 0)
    before = snapshot(small_disk)
    result = run.fails(1, "repair", lang="en")
    assert "disk is full" in result.stderr
    assert snapshot(small_disk) == before  # no empty .torn-* file, no temporary file
    (small_disk / "filler").unlink()
    assert "1 complete entry kept" in run.ok("repair", lang="en").stdout


def test_a_full_cache_disk_does_not_stop_reading(run, recorded, small_disk, monkeypatch):
    monkeypatch.setenv("EDUPLAN_CACHE_DIR", str(small_disk / "cache"))
    _fill(small_disk, 0)
    doc = run.json("status", *D)  # the index is built in memory when it cannot be stored
    assert next(i for i in doc["indicators"] if i["id"] == "new-kindergartens")["actual"] == 13
    leftovers = [p.name for p in small_disk.rglob("*") if p.name.endswith(".tmp")]
    assert not leftovers


# --------------------------------------------------------------------------- kills


IMPORTER = textwrap.dedent("""
    import datetime as dt, sys
    from eduplan.services import Workspace, import_file
    plan, ledger, sheet = sys.argv[1], sys.argv[2], sys.argv[3]
    now = dt.datetime(2023, 12, 31, 9, tzinfo=dt.timezone.utc)
    print("start", flush=True)
    import_file(Workspace(plan, ledger, "importer", now), sheet, force=True)
    print("done", flush=True)
""")


def test_an_import_killed_at_random_points_is_whole_or_removed(run, synthetic_plan_path, synthetic_plan, ledger_path,
                                                              tmp_path):
    sheet = tmp_path / "big.csv"
    rows = [["id", "数值", "截至日期", "县(市、区)", "备注"]]
    for i in range(6000):  # synthetic: a different day for each row of a county
        k = i // 9
        rows.append(["new-places", str(i), f"2023-{1 + k % 12:02d}-{1 + (k // 12) % 28:02d}", COUNTIES[i % 9],
                     f"synthetic row {i} " + "x" * 60])
    with open(sheet, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    script = tmp_path / "imp.py"
    script.write_text(IMPORTER)
    rng = random.Random(9)
    whole = 0
    for attempt in range(5):
        proc = subprocess.Popen([sys.executable, str(script), str(synthetic_plan_path), str(ledger_path), str(sheet)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"start"
        time.sleep(rng.uniform(0.0, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if run("validate").exit_code != 0:
            run.ok("repair")
        found = entries(ledger_path, synthetic_plan)
        assert len(found) % 6000 == 0, len(found)  # whole imports only: a cut one is removed
        whole = len(found) // 6000
        assert [e.id for e in found] == list(range(1, len(found) + 1))
    assert whole <= 5


def test_records_corrections_and_voids_killed_in_a_loop(run, synthetic_plan_path, synthetic_plan, ledger_path, tmp_path):
    script = tmp_path / "w.py"
    script.write_text(textwrap.dedent("""
        import datetime as dt, sys
        from eduplan.services import Workspace, record, correct, void
        plan, ledger = sys.argv[1], sys.argv[2]
        now = dt.datetime(2023, 12, 31, 9, tzinfo=dt.timezone.utc)
        i = 0
        while True:
            ws = Workspace(plan, ledger, "w", now)
            e = record(ws, "new-kindergartens", str(i), as_of=dt.date(2023, 6, 30), note="n" * 300, force=True).entry
            c = correct(Workspace(plan, ledger, "w", now), e.id, str(i + 1), reason="synthetic", force=True).entry
            void(Workspace(plan, ledger, "w", now), c.id, reason="synthetic")
            i += 1
    """))
    rng = random.Random(4)
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, str(script), str(synthetic_plan_path), str(ledger_path)],
                                stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.8, 1.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if run("validate").exit_code != 0:
            run.ok("repair")
        found = entries(ledger_path, synthetic_plan)
        assert [e.id for e in found] == list(range(1, len(found) + 1))
    run.ok("record", "new-kindergartens", "1", *D, "--force")  # below what a killed loop left: accepted


def test_a_held_lock_is_waited_for_and_a_killed_holder_leaves_nothing_that_blocks(run, synthetic_plan, ledger_path,
                                                                                  monkeypatch):
    run.ok("record", "new-kindergartens", "1", *D)
    lock = f"{ledger_path}.lock"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from eduplan.store import locking; "
                               "locking.acquire(sys.argv[1], 5); print('held', flush=True); time.sleep(60)", lock],
                              stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == b"held\n"
        monkeypatch.setattr("eduplan.store.locking.LOCK_TIMEOUT", 0.3)
        result = run.fails(1, "record", "new-kindergartens", "2", "--as-of", "2023-07-31", lang="en")
        assert "another eduplan is writing this ledger" in result.stderr and lock in result.stderr
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    run.ok("record", "new-kindergartens", "2", "--as-of", "2023-07-31")  # the system dropped the dead holder's lock
    assert len(entries(ledger_path, synthetic_plan)) == 2


def test_a_first_write_cut_inside_the_header(run, synthetic_plan_path, ledger_path):
    run.ok("record", "new-kindergartens", "13", *D)
    whole = ledger_path.read_bytes()
    head_end = whole.index(b"\n[[entries]]")
    ledger_path.write_bytes(whole[:head_end])  # the whole header and nothing after it: an empty ledger
    assert "0 entries" in run.ok("validate", lang="en").stdout
    assert whole.startswith("# eduplan 台账：".encode())  # the comment for people is in the plan's language
    wide = next(k for k, b in enumerate(whole) if b >= 0x80)  # the first Chinese character: three bytes
    for cut in (5, wide + 1, wide + 2, 40, head_end - 3, head_end - 2):
        ledger_path.write_bytes(whole[:cut])
        result = run.fails(1, "validate", lang="en")
        assert "incomplete" in result.stderr and "UTF-8" not in result.stderr  # a character cut in two is the cut
        assert "0 complete entries kept" in run.ok("repair", lang="en").stdout
        run.ok("record", "new-kindergartens", "13", *D)
        assert run.json("log")[0]["value"] == 13
        ledger_path.unlink()
        for p in ledger_path.parent.glob("ledger.toml.torn-*"):
            p.unlink()


def test_a_new_ledger_speaks_to_its_readers_in_the_plans_language(run, tmp_path, monkeypatch, ledger_path):
    """The comment a new ledger begins with is for whoever opens the file: in the plan's language,
    whatever language the person who recorded first reads the tool in; a first write cut inside
    either is still named as one."""
    from conftest import SYNTHETIC_PLAN, plan_in_use

    plan_in_use(tmp_path / "plan.toml", SYNTHETIC_PLAN.replace("[plan]\n", '[plan]\nlang = "en"\n', 1), monkeypatch)
    run.ok("record", "new-kindergartens", "13", *D, lang="zh")
    whole = ledger_path.read_bytes()
    assert whole.startswith(b"# eduplan ledger: one [[entries]] table per recorded figure")
    assert whole[:whole.index(b"schema_version")].isascii()
    ledger_path.write_bytes(whole[:60])
    assert "台账开头不完整" in run.fails(1, "validate", lang="zh").stderr


# --------------------------------------------------------------------------- text that is not text


@pytest.mark.parametrize("flag", ["--note", "--source", "--by"])
def test_bytes_that_are_not_utf8_in_a_free_text_field(run, synthetic_plan_path, ledger_path, flag):
    run.ok("record", "new-kindergartens", "1", *D)
    before = ledger_path.read_bytes()
    hostile = b"caf\xe9".decode("utf-8", "surrogateescape")  # what argv holds for a Latin-1 byte
    result = run.fails(1, "record", "new-kindergartens", "2", *D, flag, hostile, lang="en")
    assert f"{flag}: the text holds bytes that are not UTF-8" in result.stderr
    result = run.fails(1, "record", "new-kindergartens", "2", *D, flag, "a\x1b]0;pwned\x07b", lang="en")
    assert "control character" in result.stderr
    assert ledger_path.read_bytes() == before


def test_bytes_that_are_not_utf8_in_the_reason_and_the_user(run, synthetic_plan_path, ledger_path, monkeypatch):
    run.ok("record", "new-kindergartens", "1", *D)
    before = ledger_path.read_bytes()
    hostile = b"\xff\xfe".decode("utf-8", "surrogateescape")
    assert "--reason" in run.fails(1, "correct", "1", "2", "--reason", hostile, lang="en").stderr
    monkeypatch.setenv("EDUPLAN_USER", hostile)
    assert "--by" in run.fails(1, "record", "new-kindergartens", "2", *D, lang="en").stderr
    assert ledger_path.read_bytes() == before


def test_a_real_process_with_non_utf8_argv(synthetic_plan_path, ledger_path):
    result = subprocess.run([sys.executable.encode(), b"-m", b"eduplan", b"record", b"new-kindergartens", b"2",
                             b"--as-of", b"2023-06-30", b"--note", b"caf\xe9", b"--lang", b"en"],
                            capture_output=True, env={**os.environ}, timeout=60)
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert b"not UTF-8" in result.stderr and not ledger_path.exists()


ENDING = textwrap.dedent("""
    import atexit, sys
    atexit.register(lambda: print("exit handler ran"))  # left in stdout's buffer: written only if flushed after
    from eduplan.console import run
    run()
""")


def test_the_process_ends_with_its_exit_handlers_its_whole_output_and_its_exit_code(synthetic_plan_path,
                                                                                    ledger_path, tmp_path):
    # the console script ends without taking its objects apart (eduplan.console.leave), but
    # what Python's exit did that anyone sees still happens
    script = tmp_path / "ending.py"
    script.write_text(ENDING)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as for most users
    assert eduplan("record", "new-kindergartens", "3", *D).returncode == 0
    with open(tmp_path / "out.json", "wb") as out:  # a file: block-buffered, unlike a terminal
        done = subprocess.run([sys.executable, str(script), "status", "--format", "json"], stdout=out,
                              stderr=subprocess.PIPE, env=env, timeout=60)
    text = (tmp_path / "out.json").read_text(encoding="utf-8")
    body, tail = text.rsplit("\n", 2)[:2]
    assert done.returncode == 0 and tail == "exit handler ran"
    assert json.loads(body)["indicators"][0]["id"]
    bad = subprocess.run([sys.executable, str(script), "status", "--as-of", "2023-13-01", "--lang", "en"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 1 and bad.stderr.startswith("eduplan: --as-of") and bad.stdout == "exit handler ran\n"
    usage = subprocess.run([sys.executable, str(script), "status", "--no-such-flag"], capture_output=True, env=env,
                           timeout=60)
    assert usage.returncode == 2 and usage.stdout == b"exit handler ran\n"


def test_a_full_or_closed_stdout(synthetic_plan_path, ledger_path):
    stored = eduplan("record", "new-kindergartens", "3", *D, stdout=open("/dev/full", "wb"))
    assert stored.returncode == 0 and b"Traceback" not in stored.stderr  # recorded: a retry would be a duplicate
    assert b"confirmation could not be written" in eduplan("record", "new-kindergartens", "4", "--as-of", "2023-07-31",
                                                           "--lang", "en", stdout=open("/dev/full", "wb")).stderr
    closed = subprocess.run([sys.executable, "-m", "eduplan", "record", "new-kindergartens", "5", "--as-of",
                             "2023-08-31"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60,
                            preexec_fn=lambda: os.close(1))
    assert closed.returncode == 0 and b"Traceback" not in closed.stderr
    for args in (["status"], ["status", "--format", "json"], ["log"], ["report", "--month", "2023-06"]):
        full = eduplan(*args, "--lang", "en", stdout=open("/dev/full", "wb"))
        assert full.returncode == 1 and b"cannot write to standard output: the disk is full" in full.stderr
        assert b"Traceback" not in full.stderr and b"Exception ignored" not in full.stderr
    log = subprocess.run([sys.executable, "-m", "eduplan", "log", "--format", "json"], capture_output=True, timeout=60)
    assert [e["value"] for e in json.loads(log.stdout)] == [5, 4, 3]  # each exactly once


# --------------------------------------------------------------------------- damaged or costly inputs


def test_a_damaged_plan_cache_is_ignored(run, synthetic_plan_path, tmp_path):
    run.ok("status")
    for cached in (tmp_path / "cache").glob("plan-*.json"):
        cached.write_text('{"version":4,"plan":{}}', encoding="utf-8")
    assert run.json("status")["plan"]["id"] == "synthetic-2023"


def test_a_plan_cache_altered_in_place_is_not_taken_for_the_plan(run, synthetic_plan_path, tmp_path):
    """A target changed inside the cached plan (valid JSON, the plan file untouched) was the target
    every command judged by; the cache carries the SHA-256 of what it stored and is read again
    from the plan when that does not match."""
    target = run.json("plan")["indicators"][0]["target"]
    for cached in (tmp_path / "cache").glob("plan-*.json"):
        text = cached.read_text(encoding="utf-8")
        changed = text.replace(f'"target": {target},', '"target": 1,', 1)
        assert changed != text
        cached.write_text(changed, encoding="utf-8")
    assert run.json("plan")["indicators"][0]["target"] == target


def test_a_plan_period_of_ten_thousand_years(run, synthetic_plan_path):
    text = synthetic_plan_path.read_text(encoding="utf-8")
    synthetic_plan_path.write_text(text.replace("start = 2023-01-01", "start = 0001-01-01")
                                   .replace("end = 2023-12-31", "end = 9999-12-31"), encoding="utf-8")
    result = run.fails(1, "validate", lang="en")
    assert "longer than ten years" in result.stderr
    run.fails(1, "status")


def _csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


SHEET = [["指标", "数值", "截至日期", "县(市、区)", "备注"], ["new-places", "12", "2023-06-30", "椒江区", "synthetic"]]


def test_csv_inputs_that_cost_too_much_or_are_not_well_formed(run, synthetic_plan_path, ledger_path, tmp_path):
    huge = tmp_path / "huge.csv"
    huge.write_bytes(_csv_bytes([SHEET[0], ["new-places", "12", "2023-06-30", "椒江区", "x" * 200_000]]))
    assert "longer than" in run.fails(1, "import", huge, lang="en").stderr
    unclosed = tmp_path / "unclosed.csv"
    unclosed.write_bytes(_csv_bytes(SHEET) + b'new-places,13,2023-06-30,"\xe9\xbb\x84\xe5\xb2\xa9,x\r\n')
    assert "not well-formed CSV" in run.fails(1, "import", unclosed, lang="en").stderr
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(_csv_bytes(SHEET, "utf-16"))  # Excel's "Unicode text"
    run.ok("import", utf16)
    big5 = tmp_path / "big5.csv"
    big5.write_bytes(_csv_bytes([["指標", "數值", "截至日期", "縣"], ["new-places", "12", "2023-06-30", "椒江區"]], "big5"))
    assert "not text in a known encoding" in run.fails(1, "import", big5, lang="en").stderr
    assert len(run.json("log")) == 1


def _xlsx(tmp_path: Path, name: str, patch) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for row in SHEET:
        wb.active.append(row)
    plain = tmp_path / f"plain-{name}.xlsx"
    wb.save(plain)
    out = tmp_path / f"{name}.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, patch(info.filename, src.read(info.filename)))
        if name == "zipbomb":
            dst.writestr("xl/media/padding.xml", b"\0" * (8 * 2**20))  # 8 MiB of zeros: ~8 KiB packed
    return out


def test_xlsx_bombs_are_refused_before_they_cost_memory(run, synthetic_plan_path, ledger_path, tmp_path):
    def entity(name, data):
        if name == "xl/worksheets/sheet1.xml":
            lol = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            return lol + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
        return data

    assert "entity" in run.fails(1, "import", _xlsx(tmp_path, "entity", entity), lang="en").stderr
    assert "zip bomb" in run.fails(1, "import", _xlsx(tmp_path, "zipbomb", lambda n, d: d), lang="en").stderr
    assert not ledger_path.exists()
    run.ok("import", _xlsx(tmp_path, "fine", lambda n, d: d))


# --------------------------------------------------------------------------- hostile text in every output

HOSTILE = ["\x1b]0;owned\x07", "\x1b[2J\x1b[H", "nul\x00byte", "=cmd|' /C calc'!A0", "+1+2", "@SUM(A1)", "-2+3",
           "<script>alert(1)</script>", "| pipe | **bold** [x](http://e)", "\u202eevil\u202c", "tab\tand\nnew line",
           "\x7fdel\x85nel"]


@pytest.fixture
def hostile_ledger(run, synthetic_plan_path, ledger_path, plan_path_hostile):
    """A ledger whose notes, sources and names hold everything hostile, as a hand edit could put there."""
    import tomli_w

    rows = []
    for i, text in enumerate(HOSTILE, start=1):
        rows.append({"id": i, "indicator": "new-kindergartens", "county": COUNTIES[i % 9], "as_of": dt.date(2023, 6, 30),
                     "value": i, "note": text, "source": text, "by": text,
                     "recorded_at": dt.datetime(2023, 7, 1, 9, tzinfo=dt.timezone.utc)})
    ledger_path.write_text('schema_version = 2\nplan = "synthetic-2023"\n\n' + "\n".join(
        tomli_w.dumps({"entries": [r]}) for r in rows), encoding="utf-8")
    return ledger_path


@pytest.fixture
def plan_path_hostile(synthetic_plan_path, monkeypatch):
    """An indicator named with a formula's start and a control sequence. A plan file may not say
    so (validate refuses the name, test_plan_v2); a plan made so anyway is what every command
    shows here, so that each output is checked to keep such a name inert."""
    from helpers import plan_with_names

    from eduplan.services import workspace

    hostile = plan_with_names(synthetic_plan_path.read_text(encoding="utf-8"),
                              {"新建公办幼儿园": "新建=公办\u001b[31m幼儿园"})
    monkeypatch.setattr(workspace, "load_plan", lambda path: hostile)
    return synthetic_plan_path


OUTPUTS = [["log"], ["log", "--format", "markdown"], ["log", "--format", "csv"], ["show", "new-kindergartens", *D],
           ["status", *D], ["status", *D, "--format", "markdown"], ["status", *D, "--format", "csv"],
           ["status", *D, "--by-county"], ["status", *D, "--by-county", "--format", "csv"],
           ["status", *D, "--by-county", "--format", "markdown"], ["report", "--month", "2023-06"],
           ["report", "--month", "2023-06", "--format", "html"], ["plan"], ["plan", "--format", "csv"]]


@pytest.mark.parametrize("args", OUTPUTS, ids=lambda a: " ".join(a))
def test_hostile_text_is_inert_in_every_output(run, hostile_ledger, args):
    out = run.ok(*args).stdout + run.ok(*args, lang="en").stdout
    assert "新建=公办" in out  # the hostile name is the one shown
    assert "\x1b" not in out and "\x00" not in out and "\x07" not in out and "\x7f" not in out and "\x85" not in out
    assert "\u202e" not in out
    if "csv" in args:
        for row in csv.reader(io.StringIO(out.replace("\ufeff", ""))):
            assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) or cell.startswith("-2") for cell in row), row
    if "html" in args:
        assert "<script>" not in out


def test_hostile_text_in_the_workbooks(run, hostile_ledger, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "r.xlsx"
    run.ok("report", "--month", "2023-06", "-o", out)
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in s or b"<f " in s for s in sheets)  # no formulas, whatever the text
    wb = load_workbook(out)
    texts = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("\x1b" in t or "\x00" in t for t in texts)


# property: whatever the text, no output lets a control character through or a cell run as a formula
hostile_text = st.text(
    alphabet=st.sampled_from(
        list("=+-@|*_`<>[]#\\\"' \t\n\r") + ["\x1b", "\x00", "\x07", "\x7f", "\x85", "\u202e", "\u2028", "中", "a", "1"]),
    min_size=1, max_size=30)


@settings(max_examples=80, deadline=None)
@given(text=hostile_text)
def test_any_text_is_inert_in_every_format(text):
    from eduplan.core.documents import LogDoc, Remark
    from eduplan.core.models import Entry
    from eduplan.render import Options, render
    from eduplan.store.paths import bundled_plan_path
    from eduplan.store.planfile import load_plan

    plan = load_plan(bundled_plan_path())
    e = Entry(1, "new-public-kindergartens", dt.date(2023, 6, 30), text, dt.datetime(2023, 7, 1, tzinfo=dt.timezone.utc),
              county="椒江区", value=3, note=text, source=text)
    for fmt in ("table", "markdown", "csv", "json"):
        for lang in ("zh", "en"):
            out = render(LogDoc(plan, iter([Remark(e, None)])), fmt, lang, Options(width=100))
            out = out if isinstance(out, str) else "".join(out)
            if fmt != "json":
                assert not any(ch in out for ch in "\x1b\x00\x07\x7f\x85\u202e\u2028"), (fmt, repr(out))
            if fmt == "csv":
                for row in csv.reader(io.StringIO(out.replace("\ufeff", ""))):
                    assert not any(cell.startswith(("=", "+", "@", "-", "\t", "\r")) for cell in row if cell), row
            if fmt == "json":
                assert json.loads(out)[0]["note"] == text  # JSON keeps the text exactly, escaped


def test_a_lock_file_that_is_a_link_is_refused_saying_so(run, synthetic_plan_path, ledger_path, tmp_path):
    """A link put where the lock file goes was refused as 符号链接层数过多（是否链接指向了自身？）:
    the lock is opened without following links, and the message said a loop."""
    run.ok("record", "new-kindergartens", "3", *D)
    before = ledger_path.read_bytes()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("")
    lock = Path(str(ledger_path) + ".lock")
    lock.unlink(missing_ok=True)
    lock.symlink_to(elsewhere)
    err = run.fails(1, "record", "new-kindergartens", "4", "--as-of", "2023-07-31", lang="en").stderr
    assert f"{lock} is a symbolic link" in err and "remove the link" in err, err
    assert ledger_path.read_bytes() == before and elsewhere.read_text() == ""


def test_a_ledger_changed_by_another_program_while_a_command_read_it_is_not_appended_to(run, synthetic_plan_path,
                                                                                      ledger_path, monkeypatch):
    """git pull replaced the file while an import was checking it (git takes no lock of ours): the
    import appended by path, reported success, and the file then held an id twice, refused by every
    command. The size checked under the lock is the size written to; otherwise nothing is."""
    from eduplan.store import appending

    run.ok("record", "new-kindergartens", "3", *D)
    pulled = ledger_path.read_text(encoding="utf-8") + (
        '\n[[entries]]\nid = 2\nindicator = "new-places"\nvalue = 100\nas_of = 2023-06-30\nby = "git"\n'
        'recorded_at = 2023-07-01 09:00:00+08:00\n')
    real = appending._prove_round_trip

    def meanwhile(text, entries):
        real(text, entries)
        ledger_path.write_text(pulled, encoding="utf-8")  # the pull lands between the check and the write

    monkeypatch.setattr(appending, "_prove_round_trip", meanwhile)
    err = run.fails(1, "record", "new-kindergartens", "4", "--as-of", "2023-07-31", lang="en").stderr
    assert "changed while this command read it" in err and "nothing was recorded" in err
    assert ledger_path.read_text(encoding="utf-8") == pulled
    monkeypatch.setattr(appending, "_prove_round_trip", real)
    run.ok("record", "new-kindergartens", "4", "--as-of", "2023-07-31")
    run.ok("validate")
