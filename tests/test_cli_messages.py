"""What the command line says when what was typed is wrong: every parser error in the reader's
language, naming the command's own help; a negative figure refused as a figure, not taken for an
option; what was typed shown back with its invisible characters visible; statuses typed the way the
tables print them. Figures here are SYNTHETIC."""

from __future__ import annotations

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
    assert run.fails(2, *args).stderr.endswith(f"查看帮助：'{command}'。\n")
    assert run.fails(2, *args, lang="en" if args[0] != "recrod" else None).stderr.endswith(
        f"'{command}' for help.\n" if args[0] != "recrod" else "。\n")
