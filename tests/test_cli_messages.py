"""What the command line says when what was typed is wrong: every parser error in the reader's
language, naming the command's own help; a negative figure refused as a figure, not taken for an
option; what was typed shown back with its invisible characters visible; statuses typed the way the
tables print them. Figures here are SYNTHETIC."""

from __future__ import annotations

import json
import os
import re

import pytest

D = ["--as-of", "2023-06-30"]
COMMANDS = ("plan", "validate", "split", "index", "repair", "record", "baseline", "correct", "void", "import", "log",
            "status", "show", "coverage", "check", "report", "template")


def _english_left(text: str, typed: list[str]) -> list[str]:
    """Words of English left in a message once what the person typed, options, commands and
    codes (quoted or not) are taken out."""
    text = re.sub(r"'[^']*'|“[^”]*”|`[^`]*`|--?[\w-]+|\beduplan\b", " ", text)
    for token in sorted(typed, key=len, reverse=True):
        text = text.replace(token, " ")
    text = re.sub(r"\b(?:%s|table|json|csv|markdown|zh|en)\b" % "|".join(COMMANDS), " ", text)
    return re.findall(r"[A-Za-z]{2,}", text)


# Every usage error typer's click can raise from a command line (typer/_click: exceptions.py,
# parser.py, core.py, types.py; typer/core.py), each provoked once: English words, Chinese words.
PARSER_ERRORS = [
    (["recrod"], "no such command: recrod; did you mean record?", "没有这个命令：recrod；是否要用 record？"),
    (["reprot", "--month", "6月"], "no such command: reprot; did you mean report, repair?",
     "没有这个命令：reprot；是否要用 report、repair？"),
    (["--"], "a command is missing", "缺少命令"),
    (["status", *D, "extra", "--ledger", "x.toml"], "unexpected extra argument(s): extra", "多余的参数：extra"),
    (["status", "--as-of"], "--as-of needs a value", "--as-of 需要一个值"),
    (["status", "-f"], "-f needs a value", "-f 需要一个值"),
    (["record", "new-kindergartens", "3", *D, "--force=yes"], "--force does not take a value", "--force 不带值"),
    (["status", "--forse"], "no such option: --forse; did you mean --format?", "没有这个选项：--forse；是否要用 --format？"),
    (["status", "-x"], "no such option: -x", "没有这个选项：-x"),
    (["--bogus"], "no such option: --bogus", "没有这个选项：--bogus"),
    (["record"], "indicator is missing", "缺少 指标"),
    (["report"], "--month is missing", "缺少 --month"),
    (["status", "--format", "yaml"], "is not one of", "不在可选值"),
    (["plan", "--lang", "fr"], "is not one of", "不在可选值"),
]


@pytest.mark.parametrize("args, en_words, zh_words", PARSER_ERRORS, ids=[" ".join(a[0]) for a in PARSER_ERRORS])
def test_every_parser_error_reads_in_the_chosen_language(run, synthetic_plan_path, monkeypatch, args, en_words,
                                                         zh_words):
    zh = run.fails(2, *args)
    monkeypatch.setenv("EDUPLAN_LANG", "en")  # the group has no --lang: the environment says it for every case
    en = run.fails(2, *args)
    assert zh_words in zh.stderr, zh.stderr
    assert en_words in en.stderr, en.stderr
    assert "查看帮助" in zh.stderr and "for help" in en.stderr
    assert not _english_left(zh.stderr, args), zh.stderr
    assert not zh.stdout and not en.stdout


@pytest.mark.parametrize("args, command", [
    (["status", "--as-of"], "eduplan status --help"),
    (["record", "new-kindergartens", "--as-of"], "eduplan record --help"),
    (["status", "-f"], "eduplan status --help"),
    (["record", "new-kindergartens", "3", "--force=yes"], "eduplan record --help"),
    (["status", "--forse"], "eduplan status --help"),
    (["recrod"], "eduplan --help"),
])
def test_a_usage_error_points_at_the_commands_own_help(run, synthetic_plan_path, args, command):
    assert run.fails(2, *args).stderr.endswith(f"查看帮助：{command}\n")
    assert run.fails(2, *args, lang="en" if args[0] != "recrod" else None).stderr.endswith(
        f"'{command}' for help.\n" if args[0] != "recrod" else "查看帮助：eduplan --help\n")


# --------------------------------------------------------------------------- a negative figure as the value


@pytest.mark.parametrize("indicator, typed", [
    ("new-kindergartens", "-5"), ("new-places", "-5万"), ("new-places", "-1.5万个"), ("public-share", "-3%"),
    ("public-share", "-.5"), ("public-share", "-12/100"),
])
def test_a_negative_figure_is_refused_as_a_figure_not_taken_for_an_option(run, synthetic_plan_path, ledger_path,
                                                                          indicator, typed):
    full_width = run.fails(1, "record", indicator, "－" + typed[1:], *D)  # already refused as a figure
    refused = run.fails(1, "record", indicator, typed, *D)
    assert refused.stderr == full_width.stderr.replace("－", "-"), refused.stderr
    assert refused.stderr.startswith(f"eduplan: 数值: “{typed.split('/')[0]}”是负数")  # a ratio: its part
    assert f"'{typed.split('/')[0]}' is negative" in run.fails(1, "record", indicator, typed, *D, lang="en").stderr
    assert not ledger_path.exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_checks_help_lists_every_rule_it_takes(run, lang):
    """The rules --rule takes are listed in the help: every one of them (four had been left out),
    by their ids in English and by their names in Chinese (an id is an English word), and
    --rule takes either."""
    from eduplan.core.rules import RULE_IDS, RULES
    from eduplan.i18n import tr

    shown = "".join(run.ok("check", "--help", lang=lang).stdout.split())
    if lang == "en":
        listed = re.search(r"repeatable\):(unit,.*?stale)", shown)[1]
        assert listed.split(",") == list(RULE_IDS)
    else:
        listed = re.search(r"可重复[^）]*）：(.*?)。", shown)[1]
        assert listed.split("、") == [tr(RULES[r].title, "zh").replace(" ", "") for r in RULE_IDS]
    for rule in RULE_IDS:
        for name in (rule, tr(RULES[rule].title, "zh"), tr(RULES[rule].title, "en")):
            assert run("check", "--rule", name, "--as-of", "2023-06-30", lang=lang).exit_code in (0, 1), name  # not 2


def test_a_record_without_a_figure_asks_for_the_figure_first(run, synthetic_plan_path, ledger_path):
    """Asked for the date first (the plan's period is over), a person who forgot the figure added
    --as-of only to be asked for the figure next: what to record comes before when."""
    err = run.fails(2, "record", "new-kindergartens").stderr
    assert err.startswith("eduplan: 数值: ") and "--as-of" not in err
    assert run.fails(2, "record", "new-kindergartens", "3", "--add", "1").stderr == err
    assert not ledger_path.exists()


def test_a_negative_corrected_figure_is_refused_as_a_figure(run, synthetic_plan_path, ledger_path):
    run.ok("record", "new-kindergartens", "5", *D)
    before = ledger_path.read_bytes()
    refused = run.fails(1, "correct", "1", "-5", "--reason", "typo")
    assert refused.stderr.startswith("eduplan: 数值: “-5”是负数"), refused.stderr
    assert run.fails(1, "correct", "1", "-5", "--reason", "typo", lang="en").stderr.startswith(
        "eduplan: value: '-5' is negative")
    assert run.fails(1, "record", "new-places", "--add", "-5", *D).stderr.startswith("eduplan: --add: “-5”是负数")
    assert ledger_path.read_bytes() == before


@pytest.mark.parametrize("args, words", [
    (["record", "new-kindergartens", "5", *D, "--forse"], "没有这个选项：--forse"),
    (["record", "new-kindergartens", "5", *D, "-x"], "没有这个选项：-x"),
    (["status", *D, "-5"], "多余的参数：-5"),  # no value goes there
])
def test_unknown_options_and_a_number_where_no_value_goes_stay_usage_errors(run, synthetic_plan_path, ledger_path,
                                                                             args, words):
    assert words in run.fails(2, *args).stderr
    assert not ledger_path.exists()


# --------------------------------------------------------------------------- invisible characters typed


@pytest.mark.parametrize("args, shown", [
    (["record", "new-places", "1\u200b3", *D], "数值: “1\\u200b3”含有不可见字符或控制字符"),
    (["record", "new-places", "1.3万", "--as-of", "2023-06-30\u200b"], "--as-of: “2023-06-30\\u200b”含有不可见字符"),
    (["record", "public-share", "12/1\u200b00", "--county", "椒江", *D], "数值: “12/1\\u200b00”含有不可见字符"),
    (["report", "--month", "6\u200b月"], "--month: “6\\u200b月”含有不可见字符"),
    (["record", "new-places", "1.3万", *D, "--by", "王\u200b"], "--by: “王\\u200b”含有不可见字符或控制字符；请重新输入名称"),
    (["record", "new-places", "3x\x1b[31m", *D], "数值: “3x\\x1b[31m”含有不可见字符"),
    (["record", "new-places", "3x\t", *D], "“3x\\x09”不是数字"),  # a tab is read past, but shown
    (["re\u200bcord"], "没有这个命令：re\\u200bcord"),
    (["status", "--\u200bas-of", "2023-06-30"], "没有这个选项：--\\u200bas-of"),
    (["status", *D, "extra\u200b"], "多余的参数：extra\\u200b"),
])
def test_what_was_typed_is_shown_with_its_invisible_characters_visible(run, synthetic_plan_path, ledger_path, args,
                                                                         shown):
    for lang in (None, "en"):
        result = run(*args, lang=lang if args[0] not in ("re\u200bcord",) else None)
        assert result.exit_code in (1, 2) and "Traceback" not in result.stderr
        assert not re.search("[\u200b\x1b\t]", result.stderr), repr(result.stderr)
        if lang is None:
            assert shown in result.stderr, result.stderr
    assert not ledger_path.exists()


def test_an_invisible_character_in_who_records_is_refused_before_anything_is_written(run, synthetic_plan_path,
                                                                                       ledger_path, monkeypatch):
    run.ok("record", "new-places", "1.3万", *D)
    before = ledger_path.read_bytes()
    en = run.fails(1, "record", "new-places", "1.4万", *D, "--by", "王\u200b", lang="en")
    assert en.stderr == "eduplan: --by: '王\\u200b' contains an invisible or control character; type the name again\n"
    run.fails(1, "correct", "1", "1.4万", "--reason", "typo", "--by", "\u200e王")
    run.fails(1, "void", "1", "--reason", "twice", "--by", "王\u200b")
    monkeypatch.setenv("EDUPLAN_USER", "王\u200b")
    run.fails(1, "record", "new-places", "1.4万", *D)
    assert ledger_path.read_bytes() == before
    monkeypatch.setenv("EDUPLAN_USER", "王 五")  # a space is not invisible
    run.ok("record", "new-places", "1.4万", "--as-of", "2023-07-31")


def test_a_figure_with_spaces_or_a_tab_around_it_is_still_read(run, synthetic_plan_path):
    assert "1.3万" in run.ok("record", "new-places", "\t1.3万 ", *D).stdout


# --------------------------------------------------------------------------- help


def test_corrects_help_says_a_correction_keeps_the_date_of_the_entry(run, synthetic_plan_path):
    zh = " ".join(run.ok("correct", "--help").stdout.split())
    en = " ".join(run.ok("correct", "--help", lang="en").stdout.split())
    assert "（默认：沿用被更正记录的日期）" in zh.replace(" ", "") and "今天" not in zh
    assert "(default: the date of the entry it corrects)" in en and "today" not in en
    assert "(default: today, within the plan period)" in " ".join(run.ok("record", "--help", lang="en").stdout.split())


@pytest.mark.parametrize("command", ["record", "correct", "void", "status", "show", "log", "check", "report",
                                     "template", "import"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_is_written_for_any_plan_not_the_bundled_one(run, command, lang):
    """The help is written before a plan is read: it named the bundled plan's year and counties
    (默认：随附的 2023 年计划, 如 椒江区 或 椒江, 椒江区#12, 实事一、行动三、党建为纲), wrong for any other."""
    out = run.ok(command, "--help", lang=lang).stdout
    for word in ("2023", "椒江", "台州", "党建为纲", "实事一"):
        assert word not in out, (command, word)
    if command in ("record", "correct"):
        assert ("不写年份的 6月底、年底 … 按计划期内的日期理解" if lang == "zh"
                else "6月底, 年底 … without a year are read in the plan period") in " ".join(out.split())


def test_a_correction_without_as_of_keeps_the_date_of_the_entry_it_corrects(run, synthetic_plan_path):
    run.ok("record", "new-kindergartens", "5", "--as-of", "2023-03-31")
    run.ok("correct", "1", "6", "--reason", "typo")
    assert [e["as_of"] for e in run.json("log")] == ["2023-03-31", "2023-03-31"]


def test_a_correction_that_moves_the_date_says_what_the_months_between_count(run, synthetic_plan_path):
    """correct 1 4 --as-of 7月底 of 3所 as of 30 June answered only 已更正: June's figure was gone
    from status and the June bulletin without a word."""
    run.ok("record", "new-kindergartens", "3", "--county", "椒江区", "--as-of", "2023-06-30")
    later = run.ok("correct", "1", "4", "--reason", "synthetic", "--as-of", "2023-07-31").stdout
    assert "（日期由 2023-06-30 改为 2023-07-31：2023-06-30 至 2023-07-31 前，椒江区改按更早的数字计，没有则为无数据）" in later
    june = run.json("status", "--as-of", "2023-06-30", "--county", "椒江区")["indicators"]
    assert next(i for i in june if i["id"] == "new-kindergartens")["status"] == "no_data"  # as it said
    earlier = run.ok("correct", "2", "4", "--reason", "synthetic", "--as-of", "2023-05-31").stdout
    assert "（日期由 2023-07-31 改为 2023-05-31：该数字自 2023-05-31 起计）" in earlier
    assert "日期由" not in run.ok("correct", "3", "5", "--reason", "synthetic").stdout  # its date kept


# --------------------------------------------------------------------------- statuses as the tables print them


@pytest.fixture
def judged(run, synthetic_plan_path):
    run.ok("record", "new-kindergartens", "13", *D)  # on track
    run.ok("record", "new-places", "5000", *D)  # behind
    run.ok("record", "public-share", "40%", *D)  # behind
    run.ok("record", "platform-online", "进行中", *D)
    return run


def _shown(run, *args, lang=None):
    return [(i["id"], i["status"]) for i in run.json("status", *D, *args, lang=lang)["indicators"]]


@pytest.mark.parametrize("words, codes", [
    (["落后"], ["behind"]), (["正常", "滞后"], ["on_track", "lagging"]), (["完成"], ["done"]),
    (["无数据"], ["no_data"]), (["不评价"], ["not_judged"]), (["on track", "No-Data"], ["on_track", "no_data"]),
])
def test_status_takes_the_words_the_tables_print(judged, words, codes):
    typed = [a for w in words for a in ("--status", w)]
    assert _shown(judged, *typed) == _shown(judged, *[a for c in codes for a in ("--status", c)])
    assert _shown(judged, *typed, lang="en") == _shown(judged, *[a for c in codes for a in ("--status", c)])
    assert {s for _, s in _shown(judged, *typed)} <= set(codes)


def test_fail_on_takes_the_words_the_tables_print(judged):
    assert judged("status", *D, "--fail-on", "落后").exit_code == 3
    assert judged("status", *D, "--fail-on", "滞后", "--status", "正常").exit_code == 0
    assert judged("status", *D, "--fail-on", "behind", "--status", "on_track").exit_code == 0
    assert judged("status", *D, "--fail-on", "lagging").exit_code == 3


def test_an_unknown_status_is_a_usage_error_listing_the_choices_in_the_language(judged):
    zh = judged.fails(2, "status", *D, "--status", "慢")
    assert zh.stderr.startswith("eduplan: --status: 没有状态“慢”；可选状态为 完成、正常、滞后、落后、不评价、无数据"), zh.stderr
    en = judged.fails(2, "status", *D, "--status", "slow", lang="en")
    assert en.stderr.startswith("eduplan: --status: unknown status 'slow'; the choices are done, on track, lagging, "
                                "behind, not judged, no data"), en.stderr
    fail_on = judged.fails(2, "status", *D, "--fail-on", "正常")  # not a status that fails
    assert fail_on.stderr.startswith("eduplan: --fail-on: 没有状态“正常”；可选状态为 滞后、落后"), fail_on.stderr
    assert not zh.stdout and not fail_on.stdout


def test_the_status_words_are_the_statuses_of_the_core():
    from eduplan.core.progress import SEVERITY, Status
    from eduplan.core.status_words import FAIL_ON, STATUS_WORDS
    from eduplan.i18n import tr

    assert list(STATUS_WORDS) == [s.value for s in Status]
    assert list(FAIL_ON) == [s.value for s in sorted(SEVERITY, key=SEVERITY.get) if SEVERITY[s] > 1]
    for lang in ("zh", "en"):
        words = [tr(w, lang) for w in STATUS_WORDS.values()]
        assert len(set(words)) == len(words)  # each word names one status


def test_json_is_the_same_whichever_way_the_status_is_typed(judged):
    a = judged.ok("status", *D, "--status", "落后", "-f", "json").stdout
    b = judged.ok("status", *D, "--status", "behind", "-f", "json", lang="en").stdout
    assert json.loads(a) == json.loads(b)


@pytest.mark.parametrize("args, option", [
    (["status", "--fail-on", "--as-of", "2023-06-30"], "--fail-on"),
    (["record", "investment", "--add", "--as-of", "2023-06-30"], "--add"),
    (["record", "investment", "5亿", "--note", "--as-of", "2023-06-30"], "--note"),
])
def test_an_option_whose_value_was_forgotten_does_not_take_the_next_option(run, ledger_path, args, option):
    """`--add --as-of 2023-06-30` took '--as-of' as the amount and the date as the figure, and
    complained about today's date; `--fail-on --as-of …` complained of an extra argument. The next
    option is never a value: the option is named as missing its value, and nothing is written."""
    err = run.fails(2, *args).stderr
    assert err.startswith(f"eduplan: {option} 需要一个值") and not ledger_path.exists()


def test_dates_and_months_said_from_today_in_commands(run, monkeypatch, tmp_path):
    """Staff recording on 3 July for the end of June type 上月底; the bulletin of last month is
    上月. (The day is fixed here: the test does not depend on the date it runs.)"""
    import datetime as dt

    from eduplan.services import workspace

    monkeypatch.setattr(workspace, "now", lambda: dt.datetime(2023, 7, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    assert "截至 2023-06-30" in run.ok("record", "investment", "45亿", "--as-of", "上月底", "--note", "合成示例").stdout
    assert run.json("status", "--as-of", "昨天")["as_of"] == "2023-07-02"
    assert run.json("report", "--month", "上月")["month"] == "2023-06"
    sheet = tmp_path / "june.csv"
    assert "截至 2023-06-30" in run.ok("template", "-o", sheet, "--month", "上月").stdout
    err = run.fails(1, "record", "investment", "46亿", "--as-of", "本月底").stderr  # 7月31日 is still to come
    assert "2023-07-31" in err
    err = run.fails(1, "status", "--as-of", "2023年6月").stderr
    assert "请写 2023年6月底（2023-06-30）" in err


@pytest.mark.parametrize("typed", ["NEW-PUBLIC-KINDERGARTENS", "new_public_kindergartens", "新建 公办幼儿园"])
def test_an_indicator_typed_with_capitals_underscores_or_a_stray_space_is_taken_and_said_so(run, typed):
    said = run.ok("record", typed, "3", "--as-of", "2023-06-30", "--county", "椒江区").stdout
    assert f"（“{typed}”按 新建公办幼儿园 处理）" in said  # as messages name it for a Chinese reader
    assert run.json("log")[0]["indicator"] == "new-public-kindergartens"


def test_log_since_a_month_starts_at_its_first_day(run, monkeypatch):
    import datetime as dt

    from eduplan.services import workspace

    monkeypatch.setattr(workspace, "now", lambda: dt.datetime(2023, 8, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    for day in ("2023-06-30", "2023-07-01", "2023-07-31"):
        run.ok("record", "investment", "1亿", "--as-of", day, "--note", "合成示例", "--force")
    for since in ("7月", "2023年7月", "上月", "七月份", "三季度", "第3季度", "下半年", "2023年第三季度"):
        assert [e["as_of"] for e in run.json("log", "--since", since)] == ["2023-07-31", "2023-07-01"], since
    assert len(run.json("log", "--since", "上半年")) == 3
    assert "不是日期" in run.fails(1, "log", "--since", "十三月").stderr


def test_log_since_the_whole_period_or_the_years_start(run):
    for day in ("2023-01-31", "2023-06-30"):
        run.ok("record", "investment", "1亿", "--as-of", day, "--force")
    for since in ("全年", "年初"):  # 全年 as a date is the period's last day: from it, nothing was shown
        assert len(run.json("log", "--since", since)) == 2, since


def test_log_since_a_part_of_the_year_a_school_year_holds_twice_asks_which(run, school_year_plan_path):
    """三季度 in a plan from September 2024 to August 2025: July to September 2024 (its September)
    or 2025 (its July and August)? It was read as 2025-07-01 without a word."""
    run.ok("record", "new-kindergartens", "3", "--as-of", "2024-09-30")
    err = run.fails(1, "log", "--since", "三季度").stderr
    assert "--since: “三季度”在计划期（2024-09-01 至 2025-08-31）内对应多个日期" in err and "2025年三季度" in err
    assert len(run.json("log", "--since", "2024年三季度")) == 1
    assert len(run.json("log", "--since", "全年")) == 1 and len(run.json("log", "--since", "四季度")) == 0


def test_a_file_the_system_says_is_unreadable_is_said_by_the_command_not_by_click(run, synthetic_plan_path,
                                                                                   ledger_path, monkeypatch):
    """An unreadable ledger, plan or sheet read `--ledger 的值无效：Path 'ro.toml' is not readable.`:
    click's English inside a Chinese message, said before the command looked at it. The command
    reads (or fails to read) the file itself, and says so in the reader's language."""
    run.ok("record", "new-kindergartens", "3", *D)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: False if mode & os.R_OK else real_access(path, mode))
    for args in (["status", "--ledger", ledger_path], ["validate", "--plan", synthetic_plan_path],
                 ["import", ledger_path]):
        result = run(*args)
        assert "not readable" not in result.stderr and "的值无效" not in result.stderr, result.stderr


def test_arrays_nested_past_the_parsers_limit_are_a_syntax_error_at_their_line(run, synthetic_plan_path,
                                                                                ledger_path, tmp_path):
    """x = [[[[…]]]] 500 deep read 内部错误（RecursionError…） with no file nor line."""
    run.ok("record", "new-kindergartens", "3", *D)
    deep = "x = " + "[" * 500 + "]" * 500 + "\n"
    with ledger_path.open("a", encoding="utf-8") as fh:
        fh.write(deep)
    lines = ledger_path.read_text(encoding="utf-8").count("\n")
    err = run.fails(1, "validate", lang="en").stderr
    assert f"{ledger_path}:{lines}: TOML syntax: arrays or tables nested too deep" in err and "internal" not in err, err
    plan = tmp_path / "deep-plan.toml"
    plan.write_text(synthetic_plan_path.read_text(encoding="utf-8") + deep, encoding="utf-8")
    err = run.fails(1, "validate", "--plan", plan, lang="en").stderr
    assert f"{plan}:" in err and "nested too deep" in err and "internal" not in err, err


def test_an_empty_path_or_one_that_is_not_text_is_refused_naming_it(run, synthetic_plan_path, tmp_path):
    """--ledger "" read the current folder as a ledger folder; a ledger named in bytes that are
    not UTF-8 (a zip from another system) gave 内部错误（UnicodeEncodeError…）."""
    assert run.fails(2, "validate", "--ledger", "", lang="en").stderr.startswith("eduplan: --ledger: the file name is "
                                                                                 "empty")
    assert run.fails(2, "validate", "--plan", "", lang="en").stderr.startswith("eduplan: --plan: the file name is empty")
    odd = os.fsdecode(bytes(tmp_path) + b"/\xff\xfe.toml")
    for args in (["status", "--ledger", odd], ["record", "new-kindergartens", "3", *D, "--ledger", odd],
                 ["report", "--month", "2023-06", "-o", os.fsdecode(bytes(tmp_path) + b"/\xff.md")]):
        err = run.fails(1, *args, lang="en").stderr
        assert "the name is not UTF-8 text" in err and "internal" not in err, err
    assert not any(b"\xff" in os.fsencode(p.name) for p in tmp_path.iterdir())  # nothing named so was made


def test_a_day_or_month_still_to_come_is_not_judged_as_if_it_had_passed(run, monkeypatch, tmp_path):
    """On 1 December (the day is fixed here), 本月底 read the figures against the time progress of
    31 December, and the bulletin of 本月 said 截至 2023-12-31 with a light of 滞后 for a figure on
    track today. A reading as of a day to come is refused; the bulletin of a month still running is
    as of today; a sheet may still be dated ahead (it is filled in then)."""
    import datetime as dt

    from eduplan.services import workspace

    monkeypatch.setattr(workspace, "now", lambda: dt.datetime(2023, 12, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    run.ok("record", "new-school-places", "3万", "--as-of", "今天", "--note", "合成示例")
    err = run.fails(1, "status", "--as-of", "本月底").stderr
    assert "2023-12-31 还没到（今天是 2023-12-01）" in err
    run.fails(1, "check", "--as-of", "2023-12-31")
    doc = run.json("report", "--month", "本月")
    assert (doc["month"], doc["as_of"]) == ("2023-12", "2023-12-01")
    assert doc["headline"]["time_progress"] == pytest.approx(335 / 365, abs=1e-6)
    assert "截至 2023-12-01" in run.ok("report", "--month", "本月").stdout
    assert "截至 2023-12-31" in run.ok("template", "-o", tmp_path / "t.csv", "--as-of", "本月底").stdout
    assert run.json("report", "--month", "上月")["as_of"] == "2023-11-30"


@pytest.mark.parametrize("args", [
    ["record", "new-kindergartens", "5", "--as-of", "6月底", "--as-of", "7月底"],
    ["record", "new-kindergartens", "5", "--as-of", "6月底", "--county", "椒江区", "--county=黄岩区"],
    ["report", "--month", "6月", "--month", "7月"],
])
def test_an_option_given_twice_with_two_values_is_refused(run, synthetic_plan_path, ledger_path, args):
    """A line edited from the shell's history: click took the last value, and the figure was
    recorded for July, or for 黄岩区, without a word."""
    err = run.fails(2, *args).stderr
    assert "给了不止一次" in err and "请只写一次" in err
    assert not ledger_path.exists()
    run.ok("record", "new-kindergartens", "5", "--as-of", "6月底", "--as-of", "6月底")  # the same value twice


@pytest.mark.parametrize("typed", ["——county", "－－county", "—county", "——county=椒江区"])
def test_an_option_typed_with_a_chinese_input_methods_dashes_is_named(run, synthetic_plan_path, ledger_path, typed):
    """A Chinese input method turns -- into ——: click said only 多余的参数 (stray arguments)."""
    args = [typed, "椒江区"] if "=" not in typed else [typed]
    err = run.fails(2, "record", "new-kindergartens", "5", "--as-of", "6月底", *args).stderr
    assert f"“{typed}”：选项要用两个半角连字符写，即 --county" in err
    assert not ledger_path.exists()
    run.ok("record", "new-kindergartens", "5", "--as-of", "6月底", "--note", "——county 是备注里的字")  # a value, not an option


@pytest.mark.parametrize("typed", ["市本级", "台州市本级"])
def test_the_citys_own_office_typed_as_a_unit_is_told_how_to_give_the_city_wide_figure(run, ledger_path, typed):
    """show and the messages say 市本级 报送 (the city bureau reports): typed as the unit, it was only
    没有县（市、区）“市本级” with the counties listed."""
    err = run.fails(1, "record", "new-public-kindergartens", "3", "--county", typed, "--as-of", "6月底").stderr
    assert f"“{typed}”是报送数据的单位，不是数据所属的单位：全市数据请不写 --county" in err
    assert not ledger_path.exists()


def test_a_void_says_what_stands_for_the_unit_now_and_that_it_brings_nothing_back(run, ledger_path):
    """Voiding a correction left the unit with no figure at all, and the receipt did not say so: a
    clerk expected the corrected figure back. The receipt says the replaced entry stays out and
    what the unit's figure is now as of that day, or that it has none."""
    run.ok("record", "exam-services", "700", "--as-of", "4月底")
    run.ok("record", "exam-services", "1000", "--as-of", "6月底")
    run.ok("correct", "2", "1500", "--reason", "笔误")
    said = run.ok("void", "3", "--reason", "更正错了").stdout
    assert "（#2 已被 #3 更正，仍不计入：作废不会恢复它）" in said
    assert "（全市截至 2023-06-30 现为 700人次（#1））" in said
    said = run.ok("void", "1", "--reason", "重复").stdout
    assert "（全市截至 2023-04-30 现无数据；如需填报，请重新填报）" in said and "仍不计入" not in said


def test_a_correction_that_changes_nothing_is_refused(run, ledger_path):
    """correct 1 1500 on an entry of 1500 was stored as a correction: a mistyped figure or the
    wrong entry, said to be done. A new date, note or source is a change, and is stored."""
    run.ok("record", "new-school-places", "1500", "--county", "椒江", "--as-of", "6月底")
    before = ledger_path.read_bytes()
    err = run.fails(1, "correct", "1", "1,500", "--reason", "复核").stderr
    assert "1,500 就是记录 #1 已有的数据，日期也相同：这次更正不会改变任何内容" in err
    assert ledger_path.read_bytes() == before
    run.ok("correct", "1", "1500", "--reason", "补来源", "--source", "6月报表")


@pytest.mark.parametrize("name", ["june.xls", "june.et", "june.ods"])
def test_a_workbook_of_another_kind_is_told_to_be_saved_as_xlsx(run, ledger_path, tmp_path, name):
    """An .xls (Excel 97–2003) or WPS .et was only 'import reads .csv or .xlsx files'."""
    sheet = tmp_path / name
    sheet.write_bytes(b"\xd0\xcf\x11\xe0")
    err = run.fails(2, "import", sheet).stderr
    assert "请在 Excel 或 WPS 中打开它并“另存为 .xlsx”" in err and not ledger_path.exists()


@pytest.mark.parametrize(("now", "said"), [((2023, 7, 3), True), ((2023, 7, 20), False)])
def test_a_figure_dated_today_early_in_a_month_says_so_and_how_to_give_it_last_months_date(run, monkeypatch, now,
                                                                                           said):
    """A June figure typed on 3 July without --as-of is stored as July's, and June then shows the
    unit as not having sent it: the receipt's date was all that said so. Early in a month (the
    days last month's figures are still sent), the receipt says it was dated today and how to
    give it last month's end instead; later in the month it does not."""
    import datetime as dt

    from eduplan.services import workspace

    monkeypatch.setattr(workspace, "now", lambda: dt.datetime(*now, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    out = run.ok("record", "investment", "45亿", "--note", "合成示例").stdout
    hint = "未写 --as-of，按今天 2023-07-03 记录；如这是截至 2023-06-30 的数据，请作废本条，再加 --as-of 2023-06-30 重新填报"
    assert (hint in out) == said
    assert "未写 --as-of" not in run.ok("record", "investment", "44亿", "--as-of", "上月底").stdout  # (a date given)
