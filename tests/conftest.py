"""Shared fixtures. Every test runs with its ledger, cache and data folders in a temporary
directory (never the user's home). Figures here are SYNTHETIC test data, not the
bureau's 2023 results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eduplan.cli import app
from eduplan.loader import load_plan

COUNTIES = ["椒江区", "黄岩区", "路桥区", "临海市", "温岭市", "玉环市", "天台县", "仙居县", "三门县"]

# A small synthetic plan with one indicator of every kind.
SYNTHETIC_PLAN = """\
# SYNTHETIC test plan
schema_version = 1

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

[[indicators]]
id = "new-places"
name = "新增学位"
name_en = "New school places"
sections = ["matter-1", "focus-1"]
measure = "flow"
unit = "个"
target = 35000
source = "新增各类学位3.5万个"

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


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Ledger, cache and data folders of every test live in its tmp_path."""
    monkeypatch.setenv("EDUPLAN_LEDGER", str(tmp_path / "ledger.toml"))
    monkeypatch.setenv("EDUPLAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("EDUPLAN_USER", "tester")
    monkeypatch.delenv("EDUPLAN_PLAN", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def ledger_path(tmp_path) -> Path:
    return tmp_path / "ledger.toml"


@pytest.fixture
def synthetic_plan_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(SYNTHETIC_PLAN, encoding="utf-8")
    monkeypatch.setenv("EDUPLAN_PLAN", str(path))
    return path


@pytest.fixture
def synthetic_plan(synthetic_plan_path):
    return load_plan(synthetic_plan_path)


class Run:
    """Invoke the CLI in-process; returns click's Result (exit_code, stdout, stderr)."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    def ok(self, *args: str):
        result = self(*args)
        assert result.exit_code == 0, f"exit {result.exit_code}\nstdout:{result.stdout}\nstderr:{result.stderr}"
        return result

    def json(self, *args: str):
        return json.loads(self.ok(*args, "--format", "json").stdout)


@pytest.fixture
def run() -> Run:
    return Run()
