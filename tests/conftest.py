"""Shared fixtures. Every test runs with its ledger, cache and data folders in a temporary
directory (never the user's home). Figures here are SYNTHETIC test data, not the
bureau's 2023 results."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import sys
from pathlib import Path

import pytest

import os
import tempfile

# Before any test module is imported (some load the bundled plan at import time): caches and data go
# to a folder of this run, never to the user's home.
_SESSION = tempfile.mkdtemp(prefix="eduplan-tests-")
for _var, _sub in (("EDUPLAN_CACHE_DIR", "cache"), ("XDG_CACHE_HOME", "xdg-cache"), ("XDG_DATA_HOME", "data"),
                   ("HOME", "home")):
    os.environ[_var] = os.path.join(_SESSION, _sub)

from eduplan.cli import main  # noqa: E402
from eduplan.store.planfile import load_plan  # noqa: E402

COUNTIES = ["椒江区", "黄岩区", "路桥区", "临海市", "温岭市", "玉环市", "天台县", "仙居县", "三门县"]

# A small synthetic plan with one indicator of every kind.
SYNTHETIC_PLAN = """\
# SYNTHETIC test plan (its county targets too)
schema_version = 2

[plan]
id = "synthetic-2023"
title = "合成测试计划"
title_en = "Synthetic test plan"
year = 2023
start = 2023-01-01
end = 2023-12-31
counties = ["椒江区", "黄岩区", "路桥区", "临海市", "温岭市", "玉环市", "天台县", "仙居县", "三门县"]

[thresholds]
lagging_pp = 10.0

[section_kinds.focus]
name = "六个重点"
name_en = "Focus area"
numbering = "一是"

[section_kinds.action]
name = "十大行动"
name_en = "The ten actions"

[section_kinds.matter]
name = "教育实事"
name_en = "Practical matter"

[[sections]]
id = "focus-1"
kind = "focus"
number = 1
name = "重点一"

[[sections]]
id = "matter-1"
kind = "matter"
number = 1
name = "实事一"

[[sections]]
id = "action-1"
kind = "action"
number = 1
name = "行动一"

[[indicators]]
id = "new-kindergartens"
name = "新建公办幼儿园"
name_en = "New public kindergartens"
sections = ["matter-1"]
actions = ["action-1"]
measure = "flow"
unit = "所"
target = 25
source = "新建公办幼儿园25所"
county_targets = { "椒江区" = 2, "黄岩区" = 3, "路桥区" = 3, "临海市" = 4, "温岭市" = 3, "玉环市" = 2, "天台县" = 3, "仙居县" = 2, "三门县" = 3 }

[[indicators]]
id = "new-places"
name = "新增学位"
name_en = "New school places"
sections = ["matter-1", "focus-1"]
measure = "flow"
unit = "个"
target = 35000
source = "新增各类学位3.5万个"
county_targets = { "椒江区" = 3000, "黄岩区" = 3500, "路桥区" = 4000, "临海市" = 4500, "温岭市" = 5000, "玉环市" = 4000, "天台县" = 4000, "仙居县" = 3500, "三门县" = 3500 }

[[indicators]]
id = "public-share"
name = "公办园在园幼儿占比"
name_en = "Public kindergarten share"
sections = ["focus-1"]
measure = "level"
unit = "%"
target = 56
comparator = ">="
source = "公办园在园幼儿占比达56%以上"

[[indicators]]
id = "counselling-counties"
name = "建成心理辅导中心的县"
name_en = "Counties with counselling centres"
sections = ["focus-1"]
measure = "counties"
unit = "%"
target = 50
source = "推动50%县(市、区)建成标准化心理辅导中心平台"

[[indicators]]
id = "standard-counties"
name = "达到全国标准的县"
name_en = "Counties meeting the national standard"
sections = ["focus-1"]
measure = "counties"
unit = "个"
target = 6
source = "推动6个以上县(市、区)达到全国标准"

[[indicators]]
id = "platform-online"
name = "平台上线"
name_en = "Platform online"
sections = ["focus-1"]
measure = "milestone"
unit = "项"
source = "建成平台并上线运行"

[[indicators]]
id = "dropout-rate"
name = "辍学率"
name_en = "Dropout rate"
sections = ["focus-1"]
measure = "level"
unit = "%"
target = 2
comparator = "<="
source = "辍学率控制在2%以内"

[[indicators]]
id = "incidents"
name = "安全事故"
name_en = "Safety incidents"
sections = ["focus-1"]
measure = "flow"
unit = "起"
target = 10
comparator = "<="
source = "安全事故控制在10起以内"
"""


# The synthetic plan over a school year (2024-09-01 to 2025-08-31), as a plan other than the bundled
# calendar-year one, calling its focus sections 主要任务 (Main task). SYNTHETIC.
SCHOOL_YEAR_PLAN = (SYNTHETIC_PLAN
                    .replace('id = "synthetic-2023"', 'id = "synthetic-2024-25"')
                    .replace("year = 2023\nstart = 2023-01-01\nend = 2023-12-31",
                             "year = 2024\nstart = 2024-09-01\nend = 2025-08-31")
                    .replace('name = "六个重点"\nname_en = "Focus area"', 'name = "主要任务"\nname_en = "Main task"'))
assert SCHOOL_YEAR_PLAN.count("2024-09-01") == 1 and "主要任务" in SCHOOL_YEAR_PLAN


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Ledger, cache and data folders of every test live in its tmp_path; the language is the
    plan's (no locale, no EDUPLAN_LANG), whatever the machine running the tests says."""
    monkeypatch.setenv("EDUPLAN_LEDGER", str(tmp_path / "ledger.toml"))
    monkeypatch.setenv("EDUPLAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("EDUPLAN_USER", "tester")
    for var in ("EDUPLAN_PLAN", "NO_COLOR", "EDUPLAN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "COLUMNS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def ledger_path(tmp_path) -> Path:
    return tmp_path / "ledger.toml"


def plan_in_use(path: Path, text: str, monkeypatch) -> Path:
    """Write a plan file and make it the one commands use ($EDUPLAN_PLAN)."""
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("EDUPLAN_PLAN", str(path))
    return path


@pytest.fixture
def synthetic_plan_path(tmp_path, monkeypatch) -> Path:
    return plan_in_use(tmp_path / "plan.toml", SYNTHETIC_PLAN, monkeypatch)


@pytest.fixture
def school_year_plan_path(tmp_path, monkeypatch) -> Path:
    """The synthetic plan over the school year 2024-09-01 to 2025-08-31 (see SCHOOL_YEAR_PLAN)."""
    return plan_in_use(tmp_path / "school-year.toml", SCHOOL_YEAR_PLAN, monkeypatch)


@pytest.fixture
def synthetic_plan(synthetic_plan_path):
    return load_plan(synthetic_plan_path)


@dataclasses.dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes = b""


class Run:
    """Run the command line in-process, as a pipe (no terminal): exit code, stdout, stderr."""

    def __call__(self, *args, lang: str | None = None) -> Result:
        argv = [str(a) for a in args]
        if lang:  # right after the command: options may stand anywhere before "--"
            argv[1:1] = ["--lang", lang]
        out, err = io.BytesIO(), io.BytesIO()
        so, se = io.TextIOWrapper(out, encoding="utf-8"), io.TextIOWrapper(err, encoding="utf-8")
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = so, se
        try:
            code = main(argv)
        finally:
            for stream in (so, se):
                with contextlib.suppress(ValueError):
                    stream.flush()
            sys.stdout, sys.stderr = saved
        data = out.getvalue()
        return Result(code, data.decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace"), data)

    def ok(self, *args, lang: str | None = None) -> Result:
        result = self(*args, lang=lang)
        assert result.exit_code == 0, f"exit {result.exit_code}\nstdout:{result.stdout}\nstderr:{result.stderr}"
        assert "Traceback" not in result.stderr
        return result

    def fails(self, code: int, *args, lang: str | None = None) -> Result:
        """Run a command that must fail with ``code``: one message, no traceback."""
        result = self(*args, lang=lang)
        assert result.exit_code == code, f"exit {result.exit_code}\nstdout:{result.stdout}\nstderr:{result.stderr}"
        assert "Traceback" not in result.stderr and result.stderr.strip(), result.stderr
        return result

    def json(self, *args, lang: str | None = None):
        return json.loads(self.ok(*args, "--format", "json", lang=lang).stdout)


@pytest.fixture
def run() -> Run:
    return Run()
