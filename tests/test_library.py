"""eduplan as a library, as sqlite-utils is one: what a program that imports it meets (the
command line is one user of these functions; the others are the bureau's own scripts)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from eduplan.errors import EduplanError, Refused, UsageError
from eduplan.services import Workspace, record
from tests.conftest import SYNTHETIC_PLAN
from tests.test_terms import COUNTY_PLAN


@pytest.fixture
def plans(tmp_path):
    county, city = tmp_path / "county.toml", tmp_path / "city.toml"
    county.write_text(COUNTY_PLAN, encoding="utf-8")
    city.write_text(SYNTHETIC_PLAN, encoding="utf-8")
    return county, city


@pytest.mark.parametrize(("given", "stored"), [(3, 3), (Decimal("12"), 12), (56.5, 56.5)])
def test_a_figure_may_be_given_as_a_number(plans, tmp_path, given, stored):
    """A script passes the number it holds; it is read as its text would be, through the same rules."""
    _, city = plans
    ledger = tmp_path / "l.toml"
    indicator = "public-share" if isinstance(given, float) else "new-kindergartens"
    done = record(Workspace(city, ledger), indicator, given, county="椒江区", as_of="2023-06-30", force=True)
    assert done.entry.value == stored and "value = " in ledger.read_text(encoding="utf-8")


@pytest.mark.parametrize("given", [True, [3], object()])
def test_what_is_not_a_figure_is_an_error_naming_the_value_in_either_language(plans, tmp_path, given):
    _, city = plans
    ledger = tmp_path / "l.toml"
    with pytest.raises(UsageError) as caught:
        record(Workspace(city, ledger), "new-kindergartens", given, county="椒江区", as_of="2023-06-30")
    assert caught.value.render("zh").startswith("数值: 数值应为文字（如 1234、56%、1.2万）或数字，不能是 ")
    assert caught.value.render("en").startswith("value: a figure is text such as 1234")
    assert not ledger.exists()


def test_an_error_reads_as_its_message_in_a_traceback_or_a_log(plans, tmp_path):
    """str() of an error is the sentence filled in (English), not its template."""
    _, city = plans
    with pytest.raises(EduplanError) as caught:
        record(Workspace(city, tmp_path / "l.toml"), "new-kindergartens", "3", county="椒江区", as_of="2023-06-31")
    assert str(caught.value) == "as_of: '2023-06-31' is not a date in the calendar"
    with pytest.raises(Refused) as refused:
        record(Workspace(city, tmp_path / "l.toml"), "new-kindergartens", "3.5", county="椒江区", as_of="2023-06-30")
    assert "{" not in str(refused.value) and "'3.5'" in str(refused.value)


def test_an_error_keeps_the_words_of_its_plan_whichever_plan_a_program_loaded_since(plans, tmp_path):
    """Two workspaces in one program, a county bureau's (全县, 乡镇) and a city's (全市, 县):
    each error is said in the words of the plan it came from, when it is shown later and
    when its workspace was loaded before the other."""
    county, city = plans
    city_ws, county_ws = Workspace(city, tmp_path / "a.toml"), Workspace(county, tmp_path / "b.toml")
    with pytest.raises(EduplanError) as from_city:
        record(city_ws, "new-kindergartens", "3", county="不存在区", as_of="2023-06-30")
    assert county_ws.plan.terms.whole == "全县"  # another plan loaded since
    said = from_city.value.render("zh")
    assert "全市" in said and "全县" not in said and "乡镇" not in said
    with pytest.raises(EduplanError) as again:  # its workspace loaded first: its words still
        record(city_ws, "new-kindergartens", "3", county="不存在区", as_of="2023-06-30")
    assert again.value.render("zh") == said
    with pytest.raises(EduplanError) as from_county:
        record(county_ws, "new-places", "3", county="不存在区", as_of="2023-06-30")
    county_said = from_county.value.render("zh")
    assert "全县" in county_said and "全市" not in county_said


def test_a_librarys_error_names_its_parameters_and_the_command_line_its_options(plans, tmp_path, run, monkeypatch):
    """'record it again with --force' told a program to pass a command-line option. The library
    names the parameter (force=True), the command line the option (--force), in either language."""
    _, city = plans
    ledger = tmp_path / "l.toml"
    with pytest.raises(Refused) as caught:
        record(Workspace(city, ledger), "new-kindergartens", "3.5万", county="椒江区", as_of="2023-06-30")
    assert "record it again with force=True" in caught.value.render("en") and "--force" not in caught.value.render("en")
    assert "请加 force=True 重新填报" in caught.value.render("zh")
    monkeypatch.setenv("EDUPLAN_PLAN", str(city))
    monkeypatch.setenv("EDUPLAN_LEDGER", str(ledger))
    err = run.fails(1, "record", "new-kindergartens", "3.5万", "--county", "椒江区", "--as-of", "2023-06-30").stderr
    assert "请加 --force 重新填报" in err and "force=True" not in err
    with pytest.raises(Refused) as again:  # and after a command ran in the same process, the library's words again
        record(Workspace(city, ledger), "new-kindergartens", "3.5万", county="椒江区", as_of="2023-06-30")
    assert "force=True" in again.value.render("en")


def test_a_file_saved_by_a_program_is_said_as_written(plans, tmp_path):
    """services.save then render(Written) failed with KeyError('count'): the receipt's words needed
    what only the command line passes. A plain receipt names the file and its kind."""
    from eduplan.render import render
    from eduplan.services.output import save

    _, city = plans
    done = save(Workspace(city, tmp_path / "l.toml"), tmp_path / "out.md", b"# synthetic\n", kind="report",
                fmt="markdown")
    assert render(done, "text", "zh") == f"已写入 {tmp_path / 'out.md'}（Markdown 文本）\n"
    assert render(done, "text", "en") == f"wrote {tmp_path / 'out.md'} (Markdown text)\n"


def test_a_refusal_carries_its_findings_so_that_a_program_can_tell_an_error_from_a_warning(plans, tmp_path):
    """56个 on a percentage is never let through; 0.56 for 56% is, with force: a refusal said both
    only as text. Its findings carry the rule and its severity, and a warning's rule passed in
    force stores the figure."""
    _, city = plans
    ws = Workspace(city, tmp_path / "l.toml")
    with pytest.raises(Refused) as never:
        record(ws, "public-share", "56个", county="椒江区", as_of="2023-06-30")
    assert [(f.rule, f.severity) for f in never.value.findings] == [("unit", "error")]
    with pytest.raises(Refused) as warned:
        record(ws, "public-share", "0.56", county="椒江区", as_of="2023-06-30")
    assert [(f.rule, f.severity) for f in warned.value.findings] == [("fraction", "warning")]
    done = record(ws, "public-share", "0.56", county="椒江区", as_of="2023-06-30",
                  force=[f.rule for f in warned.value.findings])
    assert done.entry.accepted == ("fraction",)


def test_a_history_can_be_read_more_than_once(plans, tmp_path):
    """LogDoc.rows was a generator: rendered once, a second render (or a list() first) gave no
    entries. It is read again from the start each time, and still streamed."""
    from eduplan.render import render
    from eduplan.services import reading

    _, city = plans
    ws = Workspace(city, tmp_path / "l.toml")
    for n, day in ((3, "2023-05-31"), (5, "2023-06-30")):
        record(ws, "new-kindergartens", str(n), county="椒江区", as_of=day)
    doc = reading.log(ws)
    assert [r.entry.id for r in doc.rows] == [2, 1] == [r.entry.id for r in doc.rows]
    first = "".join(render(doc, "json", "en"))
    assert first == "".join(render(doc, "json", "en")) and '"id":2' in first
