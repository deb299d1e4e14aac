"""Two complete languages: every message has both, scripts get the same JSON in either.

Figures here are SYNTHETIC."""

from __future__ import annotations

import gettext
import importlib.util
import re
import string
from pathlib import Path

import pytest

from eduplan import i18n

from conftest import SYNTHETIC_PLAN

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "src" / "eduplan" / "locale" / "zh_CN" / "LC_MESSAGES" / "eduplan.po"


def _tool():
    spec = importlib.util.spec_from_file_location("eduplan_i18n_tool", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _catalog():
    from babel.messages.pofile import read_po

    with open(PO, "rb") as fh:
        return read_po(fh, locale="zh_CN")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_in_the_code_has_a_chinese_translation():
    ids = _tool().extract()
    assert len(ids) > 300
    catalog = _catalog()
    missing = []
    for msgid in ids:
        m = catalog.get(msgid)
        strings = (m.string if isinstance(m.string, tuple) else (m.string,)) if m is not None else ()
        if not strings or not all(strings):
            missing.append(msgid)
    assert not missing, f"{len(missing)} messages without a translation (run tools/i18n.py update): {missing[:10]}"


def test_translations_keep_every_placeholder():
    catalog = _catalog()
    wrong = []
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want = set().union(*(_fields(i) for i in ids)) - {"n"}
        for s in strings:
            if s and not (_fields(s) - {"n"}) <= want | {"n"} or (s and want - _fields(s)):
                wrong.append((m.id, s))
    assert not wrong, wrong[:5]


def test_the_compiled_catalogue_is_the_po_file():
    """The .mo gettext reads is compiled from the .po a translator edits: never stale."""
    compiled = i18n.translator("zh")
    assert isinstance(compiled, gettext.GNUTranslations)
    catalog = _catalog()
    for m in catalog:
        if not m.id or not m.string:
            continue
        if isinstance(m.id, tuple):
            assert compiled.ngettext(m.id[0], m.id[1], 2) == m.string[0], m.id
        else:
            assert compiled.gettext(m.id) == m.string, m.id


def test_the_catalogue_is_installed_with_the_package():
    import eduplan

    assert (Path(eduplan.__file__).parent / "locale" / "zh_CN" / "LC_MESSAGES" / "eduplan.mo").is_file()


@pytest.mark.parametrize("env, plan_lang, expected", [
    ({}, "zh", "zh"), ({}, "en", "en"), ({"LANG": "C.UTF-8"}, "zh", "zh"), ({"LANG": "zh_CN.UTF-8"}, "en", "zh"),
    ({"LANG": "en_US.UTF-8"}, "zh", "en"), ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "en", "zh"),
    ({"EDUPLAN_LANG": "en", "LANG": "zh_CN.UTF-8"}, "zh", "en"), ({"LANG": "POSIX"}, "en", "en"),
])
def test_language_choice(env, plan_lang, expected):
    assert i18n.language(None, plan_lang, env) == expected
    assert i18n.language("en", plan_lang, env) == "en" and i18n.language("zh", plan_lang, env) == "zh"


def test_the_locale_and_the_env_choose_the_language(run, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert run.ok("validate").stdout.startswith("ok:")
    monkeypatch.setenv("EDUPLAN_LANG", "zh")
    assert run.ok("validate").stdout.startswith("正常：")
    assert run.ok("validate", lang="en").stdout.startswith("ok:")  # --lang wins


D = ["--as-of", "2023-06-30"]


@pytest.fixture
def filled(run, synthetic_plan_path):
    run.ok("record", "new-kindergartens", "13", *D)
    run.ok("record", "new-places", "5000", *D, "--county", "椒江区")
    run.ok("record", "public-share", "400/1000", *D, "--county", "椒江区")
    run.ok("record", "public-share", "80", *D, "--county", "黄岩区")
    run.ok("record", "platform-online", "进行中", *D)
    run.ok("correct", "1", "14", "--reason", "synthetic")
    return run


@pytest.mark.parametrize("args", [
    ["plan"], ["status", *D], ["status", *D, "--by-county"], ["status", *D, "--county", "椒江区"],
    ["show", "public-share", *D], ["log"], ["report", "--month", "2023-06"],
])
def test_json_is_the_same_in_both_languages(filled, args):
    extra = [] if args[0] != "report" else []
    zh = filled.ok(*args, *extra, "--format", "json", lang="zh").stdout
    en = filled.ok(*args, *extra, "--format", "json", lang="en").stdout
    assert zh == en


def test_a_ratio_is_bracketed_as_its_reader_writes(filled):
    """The parts of a ratio are an aside: in Chinese within Chinese brackets, in English after a space."""
    zh = filled.ok("log", "--format", "markdown").stdout
    assert "40%（400/1000）" in zh and "% (" not in zh
    assert "40% (400/1000)" in filled.ok("log", "--format", "markdown", lang="en").stdout
    for lang, aside in (("zh", "（400/1000）"), ("en", "(400/1000)")):  # the table: the parts under the figure
        lines = filled.ok("log", lang=lang).stdout.splitlines()
        at = next(k for k, line in enumerate(lines) if aside in line)
        assert lines[at - 1].rstrip().split()[-1] != aside and "40%" in lines[at - 1] and "40%" not in lines[at]


COMMANDS = ["plan", "validate", "split", "index", "repair", "record", "baseline", "correct", "void", "import", "log", "status",
            "show", "coverage", "check", "report", "template"]


def _cells(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_in_both_languages(run, command):
    zh = run.ok(command, "--help").stdout
    en = run.ok(command, "--help", lang="en").stdout
    assert zh.startswith("用法：") and en.startswith("Usage: ")
    assert "选项：" in zh and "显示本帮助并退出。" in zh
    # no English sentence in the Chinese help (ids, flags and examples aside)
    sentences = [s for s in re.findall(r"[A-Z][a-z]+(?: [a-z]+){3,}", zh) if "eduplan" not in s]
    assert not sentences, sentences
    assert not re.search(r"[\u4e00-\u9fff]{4,}", re.sub(r"[（(][^)）]*[)）]|“[^”]*”|\d+年\S*|\S*[0-9]\S*", "", en)) or \
        command in ("record", "status", "report", "show", "correct")  # examples of Chinese input stay Chinese


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_the_helps_placeholders_are_in_the_language_and_its_rows_line_up(run, command, monkeypatch):
    """The usage line's [OPTIONS] and the arguments' names, an option's kind of value (<str>,
    <path>): words a person reads, in Chinese in the Chinese help. Each section's rows keep
    their help in one column on the screen, whatever their first column holds."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("EDUPLAN_LANG", "zh")
    zh = run.ok(*command, "--help", lang=None).stdout
    assert not re.search(r"\[OPTIONS\]|COMMAND|<str>|<path>|\{[a-z]+\}|\[(?:value|file)\]", zh), zh.splitlines()[0]
    assert zh.startswith("用法：eduplan " + (f"{command[0]} [选项]" if command else "[选项] 命令 [参数]..."))
    columns = set()
    for section in re.split(r"\n(?=\S)", zh):  # 参数： 选项： 命令：, each with its rows
        rows = [m for m in re.finditer(r"^  (\S+(?: \S+)*?)( {2,})\S", section, re.M)]
        columns |= {(section[:3], 2 + _cells(m[1]) + len(m[2])) for m in rows}
    assert len(columns) == len({c[0] for c in columns}), sorted(columns)  # one help column per section
    monkeypatch.setenv("COLUMNS", "80")
    assert not re.search(r"[（《「『“‘]$", run.ok(*command, "--help", lang=None).stdout, re.M)  # no line ends opening
    monkeypatch.setenv("EDUPLAN_LANG", "en")
    en = run.ok(*command, "--help", lang=None).stdout
    assert en.startswith("Usage: eduplan " + (f"{command[0]} [OPTIONS]" if command else "[OPTIONS] COMMAND [ARGS]..."))


def test_arguments_are_named_in_the_language_in_help_and_errors(run, synthetic_plan_path):
    assert run.ok("correct", "--help").stdout.startswith("用法：eduplan correct [选项] {记录号} {数值}\n")
    assert run.ok("import", "--help").stdout.startswith("用法：eduplan import [选项] {文件}\n")
    assert "--as-of <文本>" in run.ok("record", "--help").stdout
    assert "缺少 指标" in run.fails(2, "record").stderr
    assert "eduplan: 指标: 没有指标" in run.fails(1, "record", "new-kindergarten", "3", "--as-of", "2023-06-30").stderr
    assert "indicator: unknown indicator" in run.fails(1, "record", "new-kindergarten", "3", "--as-of", "2023-06-30",
                                                       lang="en").stderr


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_fits_an_80_column_terminal_in_both_languages(run, command, monkeypatch):
    """Wrapped by display width: a Chinese character takes two columns of the terminal."""
    monkeypatch.setenv("COLUMNS", "80")
    for lang in ("zh", "en"):
        monkeypatch.setenv("EDUPLAN_LANG", lang)  # the group has no --lang
        text = run.ok(*command, "--help", lang=None).stdout
        wide = [line for line in text.splitlines() if _cells(line) > 80]
        assert not wide, (lang, wide)
        assert not re.search(r"\.\.\.$", text.split("\n", 1)[1], re.M)  # a command's short help is never cut


def test_eduplan_alone_shows_the_group_help_as_wrapped_as_help_does(run, monkeypatch):
    """A bare ``eduplan`` (exit 2) prints the group help; click asks for it twice, and the second
    time used to come unwrapped, leaving the terminal to cut Chinese lines anywhere."""
    monkeypatch.setenv("COLUMNS", "80")
    bare = run()
    assert bare.exit_code == 2
    assert bare.stdout == run.ok("--help", lang=None).stdout
    assert not [line for line in bare.stdout.splitlines() if _cells(line) > 80]


def test_the_group_help_in_both_languages(run, monkeypatch):
    zh = run.ok("--help", lang=None).stdout
    monkeypatch.setenv("EDUPLAN_LANG", "en")
    en = run.ok("--help", lang=None).stdout
    assert "命令：" in zh and "Commands:" in en
    for command in COMMANDS:
        assert re.search(rf"^  {command} +\S", zh, re.M) and re.search(rf"^  {command} +\S", en, re.M), command


@pytest.mark.parametrize("args, en_words, zh_words", [
    (["record", "new-kindergartens", "12x", *D], "is not a number", "不是数字"),
    (["record", "new-kindergartens", "12亿元", "--county", "火星", *D], "unknown county-level unit", "没有县（市、区）"),
    (["record", "new-kindergarten", "12", *D], "unknown indicator", "没有指标"),
    (["record", "new-kindergartens", "12", "--as-of", "2023-02-30"], "not a date in the calendar", "不是日历上的日期"),
    (["record", "new-kindergartens", "12", "--as-of", "2024-03-01"], "outside the plan period", "不在计划期"),
    (["status", "--section", "实事十一"], "unknown section", "没有板块"),
    (["report", "--month", "2023-13"], "is not a month", "不是月份"),
    (["status", "--bogus"], "no such option", "没有这个选项"),
    (["record"], "indicator is missing", "缺少 指标"),  # the argument named in the language
    (["status", "--format", "yaml"], "is not one of", "不在可选值"),
    (["record", "public-share", "0.56", "--county", "椒江区", *D], "looks like a fraction", "像是小数"),
    (["record", "new-kindergartens", "5人", *D], "does not belong to", "不能用"),
    (["check", "--as-of", "2024-05-01"], "outside the plan period", "不在计划期"),
])
def test_every_error_class_reads_in_the_chosen_language(run, synthetic_plan_path, args, en_words, zh_words):
    en = run(*args, lang="en")
    zh = run(*args)
    assert en.exit_code == zh.exit_code != 0
    assert en_words in en.stderr and zh_words in zh.stderr, (en.stderr, zh.stderr)
    assert en_words not in zh.stderr
    assert not re.search(r"\b(?:the|is|not|of|and|or|for|no|a|an)\b", re.sub(r"'[^']*'|“[^”]*”|[\w./-]*--[\w-]+|"
                                                                            r"[A-Z]+|`[^`]*`", "", zh.stderr)), zh.stderr


def test_a_file_error_reads_in_the_chosen_language(run, synthetic_plan_path, tmp_path):
    broken = tmp_path / "ledger.toml"
    broken.write_text('schema_version = 2\n\n[[entries]]\nid = 1\nindicator = "new-kindergartens\n', encoding="utf-8")
    zh = run.fails(1, "status")
    en = run.fails(1, "status", lang="en")
    assert "TOML 语法" in zh.stderr and "TOML syntax" in en.stderr


# --------------------------------------------------------------------------- Chinese input, the way staff write it


def test_sections_by_their_chinese_names(run):
    ids = lambda *a: [i["id"] for i in run.json("status", "--as-of", "2023-06-30", *a)["indicators"]]  # noqa: E731
    matter1 = ids("--section", "matter-1")
    assert matter1 and ids("--section", "实事一") == ids("--section", "实事1") == ids("--section", "增加学位资源供给") == matter1
    assert ids("--section", "一是党建为纲") == ids("--section", "党建为纲") == ids("--section", "focus-1")
    assert ids("--section", "行动三") == ids("--section", "action-3")
    err = run.fails(1, "status", "--section", "实事十二", lang="en").stderr
    assert "unknown section '实事十二'" in err


def test_the_city_wide_figure_by_its_chinese_name(run, synthetic_plan_path):
    run.ok("record", "new-kindergartens", "13", "--as-of", "2023-06-30", "--county", "全市")
    run.ok("record", "new-kindergartens", "4", "--as-of", "2023-06-30", "--county", "椒江区")
    assert [e["county"] for e in run.json("log", "--county", "全市")] == [None]
    assert [e["county"] for e in run.json("log", "--county", "椒江")] == ["椒江区"]
    assert run.json("status", "--as-of", "2023-06-30", "--county", "全市")["county"] is None


@pytest.mark.parametrize("typed, day", [("2023年6月底", "2023-06-30"), ("6月30日", "2023-06-30"), ("2023.6.30", "2023-06-30"),
                                        ("上半年末", "2023-06-30"), ("三季度末", "2023-09-30"), ("年底", "2023-12-31")])
def test_dates_as_staff_write_them_in_every_command(run, synthetic_plan_path, typed, day):
    run.ok("record", "new-kindergartens", "13", "--as-of", typed)
    assert run.json("log", "--since", typed)[0]["as_of"] == day
    assert run.json("status", "--as-of", typed)["as_of"] == day
    assert run.json("show", "new-kindergartens", "--as-of", typed)["as_of"] == day


@pytest.mark.parametrize("typed, expected", [("新建公办幼儿圆", "new-kindergartens"), ("新建公办幼儿", "new-kindergartens"),
                                             ("新增学位35000", None)])
def test_near_misses_are_suggested_never_taken(run, synthetic_plan_path, ledger_path, typed, expected):
    result = run.fails(1, "record", typed, "3", "--as-of", "2023-06-30")
    assert not ledger_path.exists()
    if expected:
        assert expected in result.stderr and "您要找的是不是" in result.stderr


def test_the_documents_own_wording_is_suggested(run):
    err = run.fails(1, "show", "新增学位").stderr  # the text says 新增学位2万个; the indicator is 新增中小学学位
    assert "new-school-places（新增中小学学位）" in err and "您要找的是不是" in err  # in Chinese punctuation
    assert "new-school-places (新增中小学学位)" in run.fails(1, "show", "新增学位", lang="en").stderr
    err = run.fails(1, "status", "--section", "实事十一").stderr
    assert "matter-1（增加学位资源供给）" in err and " (" not in err, err


@pytest.mark.parametrize("typed", ["椒江区,黄岩区", "椒江 totally bogus text", "椒江县", "黄岩区; DROP TABLE", "椒江区\u200f",
                                   "温岭区"])
def test_county_names_are_matched_exactly_or_refused(run, synthetic_plan_path, ledger_path, typed):
    result = run.fails(1, "record", "new-kindergartens", "3", "--as-of", "2023-06-30", "--county", typed)
    assert "--county" in result.stderr and not ledger_path.exists()
    if typed == "温岭区":
        assert "温岭市" in result.stderr  # suggested, not taken



@pytest.mark.parametrize("city, county, typed, choices, full, unit", [
    ("", "椒江县", "椒江", "椒江区、椒江县", "椒江县", "椒江县"),  # two counties: 椒江 was taken as 椒江区
    ("黄岩市", None, "黄岩", "黄岩区、黄岩市（全市）", "黄岩市", None),  # a county and the city
])
def test_a_short_form_two_units_share_is_refused_listing_both(run, tmp_path, ledger_path, city, county, typed, choices,
                                                              full, unit):
    """A near miss is never taken, nor a short form that means two units: the first of them was
    taken silently. The full names still work. (A SYNTHETIC plan.)"""
    title = 'title_en = "Synthetic test plan"'
    text = SYNTHETIC_PLAN.replace(title, f'{title}\ncity = "{city}"')
    if county:
        text = text.replace('"三门县"]', f'"三门县", "{county}"]', 1)
    plan = tmp_path / "plan.toml"
    plan.write_text(text, encoding="utf-8")
    args = ["record", "new-kindergartens", "3", "--as-of", "2023-06-30", "--plan", plan]
    result = run.fails(1, *args, "--county", typed)
    assert f"--county: “{typed}”可指多个单位：{choices}，请写全称" in result.stderr and not ledger_path.exists()
    assert "give the full name" in run.fails(1, *args, "--county", typed, lang="en").stderr
    assert run.fails(1, "status", "--county", typed, "--plan", plan).stderr.count("可指多个单位") == 1
    run.ok(*args, "--county", full)
    assert [e["county"] for e in run.json("log", "--plan", plan)] == [unit]

def test_a_unit_is_called_as_people_call_it(run, tmp_path, ledger_path):
    """景宁 is how everyone writes 景宁畲族自治县 (not 景宁畲族自治), 鄂托克 for 鄂托克旗; the by-county
    grid heads its column so too. (A SYNTHETIC plan.)"""
    from eduplan.core.names import short_form

    assert [short_form(n) for n in ("景宁畲族自治县", "彭水苗族土家族自治县", "巴里坤哈萨克自治县", "莫力达瓦达斡尔族自治旗",
                                    "鄂托克旗", "城关镇", "东湖街道", "椒江区", "萧县", "鄂伦春自治旗")] == [
        "景宁", "彭水", "巴里坤", "莫力达瓦", "鄂托克", "城关", "东湖", "椒江", None, None]
    # a province's units and its own name
    assert [short_form(n) for n in ("浙江省", "延边朝鲜族自治州", "广西壮族自治区", "内蒙古自治区", "阿里地区", "锡林郭勒盟",
                                    "香港特别行政区", "自治区")] == [
        "浙江", "延边", "广西", "内蒙古", "阿里", "锡林郭勒", "香港", None]
    # a zone is named for what it is: cut, it would name nothing (东城新, 高新技术产业开发)
    assert [short_form(n) for n in ("东城新区", "高新技术产业开发区", "椒江经济开发区", "黄岩区")] == [None, None, None, "黄岩"]
    # but a unit named by the zone's own short word is called by it: 高新区 is 高新, as 经开区 is 经开
    assert [short_form(n) for n in ("高新区", "经开区", "台州湾高新区", "开发区")] == ["高新", "经开", None, None]
    text = SYNTHETIC_PLAN.replace('"三门县"]', '"三门县", "景宁畲族自治县", "鄂托克旗"]', 1)
    plan = tmp_path / "plan.toml"
    plan.write_text(text, encoding="utf-8")
    args = ["record", "new-kindergartens", "3", "--as-of", "2023-06-30", "--plan", plan]
    assert "（“景宁”按 景宁畲族自治县 处理）" in run.ok(*args, "--county", "景宁").stdout
    run.ok(*args, "--county", "鄂托克")
    assert [e["county"] for e in run.json("log", "--plan", plan)] == ["鄂托克旗", "景宁畲族自治县"]
    grid = run.ok("status", "--by-county", "--as-of", "2023-06-30", "--plan", plan).stdout
    head = next(line for line in grid.splitlines() if line.startswith("指标") and "三门" in line).split()
    assert head[-3:] == ["景宁", "鄂托克", "全市"]


def test_an_import_in_chinese_forms(run, synthetic_plan_path, tmp_path):
    sheet = tmp_path / "june.csv"
    sheet.write_text("指标,数值,截至日期,县(市、区)\n新建公办幼儿园,3,6月底,椒江\nnew-places,1.2万,2023年6月30日,全市\n",
                     encoding="utf-8-sig")
    run.ok("import", sheet)
    log = run.json("log")
    assert sorted((e["indicator"], e["county"], e["as_of"], e["value"]) for e in log) == [
        ("new-kindergartens", "椒江区", "2023-06-30", 3), ("new-places", None, "2023-06-30", 12000)]


def test_what_chinese_staff_read_is_punctuated_in_chinese(run, monkeypatch):
    """After a Chinese word comes Chinese punctuation (来源：…, 完成的节点：, 序时进度 49.6%（2023-06-30）),
    never an ASCII ': ' or ' (' in the middle of a Chinese line; and the Chinese ``show`` does
    not print the indicator's English name under its own (the English one prints the plan's
    Chinese name, its official name)."""
    monkeypatch.setenv("COLUMNS", "160")
    run.ok("record", "investment", "45亿", *D, "--note", "合成示例")
    run.ok("record", "closed-loop-mechanism", "完成", *D)
    run.ok("record", "new-public-kindergartens", "30", *D, "--county", "椒江区", "--force")  # accepted over a warning
    outputs = {" ".join(args): run.ok(*args).stdout for args in (
        ["status", *D], ["status", *D, "--format", "markdown"], ["show", "investment", *D],
        ["show", "investment", *D, "--format", "markdown"], ["show", "closed-loop-mechanism", *D, "--format", "markdown"],
        ["report", "--month", "2023-06", "--format", "markdown"], ["log", "--format", "markdown"])}
    found = run("check", *D)  # it finds something: exit 1, its findings on stdout
    assert found.exit_code == 1
    outputs["check"] = found.stdout
    outputs["report html"] = re.sub(r"<[^>]+>", "", run.ok("report", "--month", "2023-06", "--format", "html").stdout)
    for name, out in outputs.items():
        m = re.search(r"[\u4e00-\u9fff）”][:;] |[\u4e00-\u9fff] \(|[。：] (?=[\u4e00-\u9fff`])", out)
        assert m is None, (name, out[max(0, m.start() - 30):m.end() + 30])
    assert "完成的节点：" in outputs["report --month 2023-06 --format markdown"]
    assert "- 来源：“投资90亿元”" in outputs[f"show investment {' '.join(D)} --format markdown"]
    for name in (f"show investment {' '.join(D)}", f"show investment {' '.join(D)} --format markdown"):
        assert "Investment in education projects" not in outputs[name]
    assert "教育项目投资" in run.ok("show", "investment", *D, lang="en").stdout


def test_a_message_names_an_indicator_by_its_name_for_a_chinese_reader(run):
    """'“13.5”即 13.5所：new-public-kindergartens 以“所”计数': an English id in a Chinese sentence.
    A Chinese reader reads the indicator's name there (both are what a person may type); an
    English one keeps the id."""
    zh = run.fails(1, "record", "new-public-kindergartens", "13.5", *D, "--county", "椒江区").stderr
    assert "新建公办幼儿园以“所”计数，应为整数" in zh and "new-public-kindergartens" not in zh, zh
    en = run.fails(1, "record", "新建公办幼儿园", "13.5", *D, "--county", "椒江区", lang="en").stderr
    assert "new-public-kindergartens counts 所" in en, en
    zh = run.ok("record", "新建 公办幼儿园", "3", *D, "--county", "椒江区").stdout  # typed with a space
    assert "（“新建 公办幼儿园”按 新建公办幼儿园 处理）" in zh, zh
    en = run.ok("record", "新建 公办幼儿园", "4", *D, "--county", "黄岩区", lang="en").stdout
    assert "('新建 公办幼儿园' was taken as new-public-kindergartens)" in en, en
    zh = run.fails(1, "baseline", "investment", "12").stderr  # its plan gives it no baseline
    assert "计划中教育项目投资没有基数" in zh, zh
