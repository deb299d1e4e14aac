"""Line breaks in the terminal tables as a reader sees them: no line starts with a closing mark
(、，。）」…) nor ends with an opening one (（「“…), a unit stays with its name, a status word is
never split. Figures are SYNTHETIC (the bundled plan's indicators, made-up county figures)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings, strategies as st
from rich.cells import cell_len

from eduplan.render.linebreak import NO_END, NO_START, divide_line

D = ["--as-of", "2023-06-30"]
COUNTIES = ["椒江区", "黄岩区", "路桥区", "临海市", "温岭市", "玉环市", "天台县"]


def _lines(text: str, width: int) -> list[str]:
    bounds = [0, *divide_line(text, width), len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("新增幼儿学位（个）", 16, ["新增幼儿学位", "（个）"]),  # not 新增幼儿学位（个 / ）
    ("学生非正常死亡人数（人）", 20, ["学生非正常死亡人数", "（人）"]),  # not …（ / 人）
    ("建成标准化心理辅导中心平台的县(市、区)", 32, ["建成标准化心理辅导中心平台的县", "(市、区)"]),  # not (市 / 、区)
    ("达到56%", 6, ["达到", "56%"]),  # a number is read whole: not 达到5 / 6%
    ("每月13.33亿元", 10, ["每月", "13.33亿元"]),  # nor cut from its unit (每月13.33亿 / 元)
    ("还需21所", 6, ["还需", "21所"]),
    ("超出上限0.3个百分点", 14, ["超出上限", "0.3个百分点"]),  # a unit of four characters is read whole (not 0.3个百 / 分点)
    ("差1.2百分点", 9, ["差", "1.2百分点"]),
    ("服务5万人次", 10, ["服务", "5万人次"]),
    ("中小学校食堂采购问题专项治理", 26, ["中小学校食堂采购问题专项", "治理"]),  # not …专项治 / 理: no line of one character
    ("county-counselling-centres", 24, ["county-counselling-", "centres"]),
    ("drowning, suicide …), Counties", 14, ["drowning, ", "suicide …), ", "Counties"]),  # not suicide / …),
    # a date inside Chinese text: the line is filled, not broken after the date's hyphen (2023-06- / 30）…)
    ("2023-06-30），目前计入的是该全市数据", 24, ["2023-06-30），目前计入的", "是该全市数据"]),
])
def test_a_fold_keeps_punctuation_with_its_word(text, width, expected):
    assert _lines(text, width) == expected


def test_without_such_marks_a_line_wraps_as_rich_wraps_it():
    """Text without marks or numbers wraps as rich wraps it, but for a last line that would be one
    Chinese character alone."""
    from rich._wrap import divide_line as rich_divide_line

    for text in ("教育提质推进委员会咨询委员会运行机制", "Working rules of the education quality committee",
                 "abcdefghijklmnopqrstuvwxyz 中文中文中文 x", "还需二十一所 每月三十五所"):
        for width in range(1, 30):
            ours, rich = divide_line(text, width), rich_divide_line(text, width)
            if ours != rich:
                assert ours[:-1] == rich[:-1] and ours[-1] == rich[-1] - 1 == len(text) - 2, (text, width)
                assert text[-1] > "\u2e80" and width >= 4, (text, width)


@pytest.mark.parametrize(("text", "width", "expected"), [
    # rich moved the Chinese after a date to a line of its own, leaving the first half empty
    ("路桥区：截至 2023-04-19 的相同数字（6个）重复填报（#303、#306）", 50,
     ["路桥区：截至 2023-04-19 的相同数字（6个）重复填报", "（#303、#306）"]),
    # 误， stay together (no line starts with ，), so the first line ends one character short
    ("更正 #5：合成示例；原填报有误，年中考评尚未完成，据督查通报更正为进行中", 30,
     ["更正 #5：合成示例；原填报有", "误，年中考评尚未完成，据督查通", "报更正为进行中"]),
    # but a line ends after a ： (or a 、) where that leaves at most 12 cells: what follows is an item
    ("更正 #5：合成示例：原填报有误，年中考评尚未完成，据督查通报更正为进行中", 30,
     ["更正 #5：合成示例：", "原填报有误，年中考评尚未完成，", "据督查通报更正为进行中"]),
    # a list of names breaks after a whole name (西湖 / 县 had split a county in two)
    ("2025-01-01 – 2025-12-31 · 7项指标 · 东城区、西湖县、南山市", 50,
     ["2025-01-01 – 2025-12-31 · 7项指标 · 东城区、", "西湖县、南山市"]),
    ("共3项 新建改扩建学校、公办园在园幼儿占比、明厨亮灶食堂", 30, ["共3项 新建改扩建学校、", "公办园在园幼儿占比、", "明厨亮灶食堂"]),
    # a list folded at the start of a line too (…不评价：新建 / 改扩建学校 had broken a name)
    ("各县数据只列示、不评价：新建改扩建学校、公办园在园幼儿占比", 30, ["各县数据只列示、不评价：", "新建改扩建学校、公办园在园幼儿", "占比"]),
    # but not where that would leave more than a short name's room empty
    ("共3项 新建改扩建学校、公办园在园幼儿占比、明厨亮灶食堂", 36, ["共3项 新建改扩建学校、公办园在园幼儿", "占比、明厨亮灶食堂"]),
])
def test_chinese_prose_goes_on_to_the_end_of_a_line(text, width, expected):
    """A run of Chinese longer than eight characters flows to the line's end, breaking between two
    Chinese characters where the rules allow, or after a 、 or ： that leaves at most 12 cells; a shorter one (每月3.5所, a name) is kept whole, as
    rich keeps a word (test_without_such_marks_a_line_wraps_as_rich_wraps_it)."""
    assert _lines(text, width) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="中文教育（）、，。“”%abc12-. ", min_size=1, max_size=60), st.integers(4, 30))
@example("（ 、", 4)  # (found by hypothesis in stop 34: no place keeps both rules)
def test_any_mixed_text_breaks_within_its_width_and_by_the_rules(text, width):
    lines = _lines(text, width)
    assert "".join(lines) == text
    for k, line in enumerate(lines):
        if len(line.rstrip()) > 1:  # one character wider than the line is rich's own case
            assert cell_len(line.rstrip()) <= width, (lines, width)
        if k and line and line[0] in NO_START and lines[k - 1].strip():
            # only where no allowed place was left in a word longer than the line (rich folds it anywhere),
            # or where the only other place would end a line with an opening mark (（ 、 at 4 cells: neither
            # "（" then " 、" nor "（ " then "、" keeps both rules, and the text's own space is where it breaks)
            before = lines[k - 1].rstrip()
            assert cell_len(before) >= width - 1 or before[-1] in NO_END, (lines, width)


def _assert_breaks_well(out: str) -> None:
    for before, line in zip([""] + out.splitlines(), out.splitlines()):
        text = line.strip()
        if text:
            assert text[0] not in NO_START, f"a line starts with {text[0]!r}:\n{before}\n{line}"
            assert text[-1] not in NO_END, f"a line ends with {text[-1]!r}:\n{line}"


@pytest.fixture
def counties(run):
    """SYNTHETIC county figures for indicators whose names carry a unit or (市、区)."""
    for n, county in enumerate(COUNTIES, 1):
        run.ok("record", "new-kindergarten-places", str(300 * n), *D, "--county", county, "--force")
        run.ok("record", "student-abnormal-deaths", str(n % 2), *D, "--county", county, "--force")
        run.ok("record", "county-counselling-centres", "完成" if n < 4 else "进行中", *D, "--county", county)
        run.ok("record", "new-public-kindergartens", str(n % 3 + 1), *D, "--county", county, "--force")
    return run


@pytest.mark.parametrize("width", [50, 60, 70, 80, 100, 120])
def test_by_county_grid_breaks_names_where_chinese_allows(counties, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    out = counties.ok("status", *D, "--by-county").stdout
    _assert_breaks_well(out)
    for line in out.splitlines():
        assert cell_len(line) <= width
        assert "（个" not in line or "（个）" in line  # a unit stays whole
        assert "（人" not in line or "（人）" in line


@pytest.mark.parametrize("width", [60, 80, 100, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_status_table_never_splits_a_status_word(counties, monkeypatch, width, lang):
    from eduplan.render.words import status_label

    counties.ok("record", "quality-projects", "400", *D, "--force")
    counties.ok("record", "exam-epidemic-safety", "进行中", *D)
    monkeypatch.setenv("COLUMNS", str(width))
    out = counties.ok("status", *D, "--lang", lang).stdout
    _assert_breaks_well(out)
    rows = counties.json("status", *D)["indicators"]
    labels = [status_label(s, lang).split() for s in ("on_track", "no_data", "not_judged", "done")]
    lines = out.splitlines()
    for line, after in zip(lines, lines[1:] + [""]):
        assert cell_len(line) <= width, line
        for words in labels:
            for k in range(1, len(words)):
                if line.rstrip().endswith(" ".join(words[:k])) and after.lstrip().startswith(" ".join(words[k:])):
                    pytest.fail(f"{' '.join(words)!r} split at {width} columns:\n{line}\n{after}")
    # every row's status word, whole, on one line
    whole = sum(line.count(" ".join(words)) for line in lines for words in labels)
    assert whole >= sum(r["status"] in ("on_track", "no_data", "not_judged", "done") for r in rows)
