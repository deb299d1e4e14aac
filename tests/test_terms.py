"""A plan in its own words: what it calls its whole and its units (``[terms]``).

The catalogues are written for a city and its counties (全市, 县（市、区）); a county bureau's plan
(全县, 乡镇（街道）) or a province's (全省, 设区市) is read in its own words everywhere a person
reads. Plans and figures here are SYNTHETIC.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from eduplan.i18n import DEFAULT_TERMS, Terms, terms_of, tr
from tests.conftest import SYNTHETIC_PLAN

PO = Path(__file__).resolve().parents[1] / "src" / "eduplan" / "locale" / "zh_CN" / "LC_MESSAGES" / "eduplan.po"
TOWNSHIPS = Terms("全县", "乡镇（街道）", "county", "township")
PROVINCE = Terms("全省", "设区市", "province", "city", "cities")

COUNTY_PLAN = (SYNTHETIC_PLAN
               .replace('counties = ["椒江区", "黄岩区", "路桥区", "临海市", "温岭市", "玉环市", "天台县", "仙居县", "三门县"]',
                        'counties = ["城关镇", "东湖街道", "西山乡"]\n\n[terms]\nwhole = "全县"\nunits = "乡镇（街道）"\n'
                        'whole_en = "county"\nunit_en = "township"', 1))
COUNTY_PLAN = re.sub(r"county_targets = \{[^}]*\}\n", "", COUNTY_PLAN).replace("target = 6\n", "target = 2\n", 1)


def _catalogue() -> list:
    from babel.messages.pofile import read_po

    with open(PO, "rb") as fh:  # the source catalogue of this checkout (an installed package has the .mo only)
        catalogue = [m for m in read_po(fh, locale="zh_CN") if m.id]
    assert len(catalogue) > 800
    return catalogue


def _texts(message) -> list[tuple[str, str]]:
    def each(x):
        return list(x) if isinstance(x, (tuple, list)) else [x]

    return [(t, "zh") for t in each(message.string)] + [(t, "en") for t in each(message.id)]


def test_a_citys_own_words_leave_every_sentence_as_it_is():
    """The same words as the catalogues' (given, not the default object) change no sentence: the
    substitution maps 全市, 县（市、区）, 市本级, city-wide, counties … each to itself."""
    same = Terms("全市", "县（市、区）", "city", "county", "counties")
    assert same is not DEFAULT_TERMS
    for entry in _catalogue():
        for text, lang in _texts(entry):
            assert same.worded(text, lang) == text, (text, lang)


@pytest.mark.parametrize("terms", [TOWNSHIPS, PROVINCE], ids=["county", "province"])
def test_no_sentence_keeps_a_citys_word_under_another_plan(terms):
    """Under a county's or a province's plan no translated sentence still says 全市, 县（市、区）,
    各县, 县级 or 市本级 (only a name's last character in quotes, “县”, stays), and no English one
    says city or county (but the option --county and the plan file's codes)."""
    for entry in _catalogue():
        for text, lang in _texts(entry):
            out = terms.worded(text, lang)
            if lang == "zh":
                left = re.sub(r"“[区市县旗镇乡]”|“街道”", "", out)
                assert not re.search(r"全市|县（市、区）|县|市本级|市级", left.replace(terms.units, "").replace(
                    terms.whole, "").replace(terms.level, "")), (text, out)
            else:
                left = re.sub(r"--county|--for-city|for_city|counties indicator|\(counties or both\)|\{\w+\}", "", out)
                gone = r"city|counties" if terms is TOWNSHIPS else r"county|counties"  # (county: the new whole)
                assert not re.search(rf"(?<![-\w])(?i:{gone})(?![-\w])", left), (text, out)

def test_words_go_into_the_sentence_not_into_its_names():
    """A county's name that ends in 县 (三门县) or a city's name in a parameter stays as written; only
    the sentence around it takes the plan's words."""
    from eduplan.i18n import msg

    with terms_of(TOWNSHIPS):
        said = msg("unknown county-level unit '{text}'; the plan's are {all}", text="三门县",
                   all=["椒江区", "台州市"]).render("zh")
        assert "三门县" in said and "台州市" in said and "乡镇（街道）" in said and "县（市、区）" not in said
        assert msg("each county's state on a counties indicator is reported by the counties (counties or both)"
                   ).render("en") == ("each township's state on a counties indicator is reported by the townships "
                                      "(counties or both)")
        assert tr("County-level units", "en") == "Township-level units"
    assert tr("County-level units", "en") == "County-level units"  # the words end with the block
    with terms_of(PROVINCE):
        assert msg("city-wide").render("zh") == "全省"
        assert tr("the city and each county", "en") == "the province and each city"  # one pass: not provinces
        assert msg("city-wide").render("en") == "province-wide"


def test_a_county_bureaus_plan_speaks_of_its_county_and_townships(run, tmp_path, monkeypatch):
    plan = tmp_path / "county.toml"
    plan.write_text(COUNTY_PLAN, encoding="utf-8")
    monkeypatch.setenv("EDUPLAN_PLAN", str(plan))
    monkeypatch.setenv("COLUMNS", "120")
    run.ok("validate")
    assert run.json("plan")["plan"]["terms"] == {
        "whole": "全县", "units": "乡镇（街道）", "whole_en": "county", "unit_en": "township", "units_en": "townships"}
    # the whole by the plan's word, and its total; 全市 is not taken for it: typed by a county's staff it
    # could only mean the city above
    run.ok("record", "new-places", "300", "--as-of", "2023-06-30", "--county", "全县")
    run.ok("record", "new-places", "400", "--as-of", "2023-07-31", "--county", "全县合计")
    run.ok("record", "new-places", "500", "--as-of", "2023-08-31")
    wrong = run.fails(1, "record", "new-places", "1", "--as-of", "2023-08-31", "--county", "全市").stderr
    assert "没有乡镇（街道）“全市”" in wrong and "全县" in wrong
    said = run.ok("record", "new-places", "100", "--as-of", "2023-06-30", "--county", "城关").stdout
    assert "（城关镇，截至 2023-06-30）" in said
    wrong = run.fails(1, "record", "new-places", "1", "--as-of", "2023-06-30", "--county", "城东").stderr
    assert "没有乡镇（街道）“城东”" in wrong and "全县" in wrong and "全市" not in wrong
    status = run.ok("status", "--by-county", "--as-of", "2023-08-31").stdout
    assert "分乡镇情况" in status and "全县" in status
    report = run.ok("report", "--month", "2023-06", "--format", "markdown").stdout
    assert "分乡镇情况" in report and "全市" not in report and "县（市、区）" not in report
    show = run.ok("show", "new-places", "--as-of", "2023-08-31", lang="en").stdout
    assert "county-wide" in show and "city" not in show
    helped = " ".join(run.ok("record", "--help", lang="en").stdout.split())
    assert "township-level unit" in helped and "全县 for the county-wide figure" in helped
    # the same plan without [terms] speaks of a city
    plain = tmp_path / "plain.toml"
    plain.write_text(COUNTY_PLAN.split("\n[terms]")[0] + COUNTY_PLAN.split('unit_en = "township"', 1)[1],
                     encoding="utf-8")
    wrong = run.fails(1, "record", "new-places", "1", "--as-of", "2023-06-30", "--county", "城东",
                      "--plan", plain).stderr
    assert "没有县（市、区）“城东”" in wrong


def test_a_county_sheet_is_headed_in_the_plans_words_and_read_back(run, tmp_path, monkeypatch):
    plan = tmp_path / "county.toml"
    plan.write_text(COUNTY_PLAN, encoding="utf-8")
    monkeypatch.setenv("EDUPLAN_PLAN", str(plan))
    sheet = tmp_path / "xishan.csv"
    run.ok("template", "-o", sheet, "--county", "西山", "--as-of", "2023-06-30")
    text = sheet.read_text(encoding="utf-8-sig")
    assert "\n乡镇（街道）,西山乡," in text
    for heading in ("乡镇（街道）", "乡镇", "乡镇(街道)"):
        filled = re.sub(r"\n乡镇（街道）,", f"\n{heading},", text).replace(
            "（全县≥25所）,—,,", "（全县≥25所）,—,2,", 1)
        assert filled != text
        sheet.write_text(filled, encoding="utf-8-sig")
        assert "（西山乡，截至 2023-06-30）" in run.ok("import", sheet, "--dry-run").stdout, heading


@pytest.mark.parametrize("label,unit", [("乡镇名称", "西山"), ("单位", "西山乡")])
def test_a_unit_named_under_a_heading_import_does_not_know_is_refused(run, tmp_path, monkeypatch, label, unit):
    """A sheet that names its unit above the table under a heading import does not know used to
    import every figure as the whole's: now the heading is named, and nothing is written."""
    plan = tmp_path / "county.toml"
    plan.write_text(COUNTY_PLAN, encoding="utf-8")
    monkeypatch.setenv("EDUPLAN_PLAN", str(plan))
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"截至日期,2023-06-30\n{label},{unit}\n\n指标编号,数值\nnew-kindergartens,2\n", encoding="utf-8-sig")
    err = run.fails(1, "import", sheet).stderr
    assert f"sheet.csv:2: {label}:" in err and f"“{label}”不是导入认得的栏目" in err and "全县数据" in err
    assert "“乡镇（街道）”" in err
    assert not (tmp_path / "ledger.toml").exists()


def test_a_city_sheet_with_an_unknown_unit_heading_is_refused_too(run, synthetic_plan_path, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("截至日期,2023-06-30\n区县,椒江区\n填表人,张三\n\n指标编号,数值\nnew-kindergartens,2\n",
                     encoding="utf-8-sig")
    err = run.fails(1, "import", sheet).stderr
    assert "sheet.csv:2: 区县:" in err and "全市数据" in err and "“县（市、区）”" in err
    assert "填表人" not in err  # a label that names no unit is none of import's business
    sheet.write_text("截至日期,2023-06-30\n填表人,张三\n\n指标编号,数值\nnew-kindergartens,2\n", encoding="utf-8-sig")
    run.ok("import", sheet)
    sheet.write_text("截至日期,2023-06-30\n区县,全市\n\n指标编号,数值\nnew-places,200\n", encoding="utf-8-sig")
    run.ok("import", sheet)  # the whole, named under any heading, is what the sheet is read as anyway


@pytest.mark.parametrize("terms,field,fragment", [
    ('whole = ""', "terms.whole", ""),
    ('whole = "全县全县全县全县全"', "terms.whole", "全县"),
    ('whole = "全县"\nunits = "乡镇乡镇乡镇乡镇乡镇乡镇乡"', "terms.units", "最多 12 个字"),
    ('whole = "全县"\nunits_en = "towns2"', "terms.units_en", "township"),
    ('whole = "本县"', "terms.whole", "全县"),
    ('whole = "全县"\nunits = "乡镇\\u200b"', "terms.units", "\\u200b"),
    ('whole = "全县"\nunit_en = "镇"', "terms.unit_en", "township"),
    ('wholes = "全县"', "terms.wholes", ""),
])
def test_terms_the_plan_file_cannot_hold_are_named(run, tmp_path, terms, field, fragment):
    plan = tmp_path / "bad.toml"
    text = COUNTY_PLAN.replace('units = "乡镇（街道）"\n', "", 1) if "units" in terms else COUNTY_PLAN
    text = text.replace('unit_en = "township"', "", 1) if "unit_en" in terms else text
    plan.write_text(text.replace('whole = "全县"', terms, 1), encoding="utf-8")
    err = run.fails(1, "validate", "--plan", plan).stderr
    assert f": {field}:" in err, err
    assert fragment in err


def test_a_unit_may_not_be_named_as_the_whole_and_an_office_may_report_it(run, tmp_path):
    plan = tmp_path / "bad.toml"
    plan.write_text(COUNTY_PLAN.replace('"西山乡"]', '"西山乡", "全县"]', 1), encoding="utf-8")
    assert "plan.counties[3]:" in run.fails(1, "validate", "--plan", plan).stderr
    plan.write_text(COUNTY_PLAN + '\n[[offices]]\nname = "某县教育局"\nreports = ["全县"]\n\n'
                    '[[offices]]\nname = "城关镇"\nreports = ["城关镇"]\n', encoding="utf-8")
    run.ok("validate", "--plan", plan)


def test_a_workbook_titles_its_sheets_whatever_words_the_plan_uses(run, tmp_path, monkeypatch):
    """Excel forbids []:*?/\\ in a sheet's title and allows 31 characters: a plan's words for its
    units (乡镇/街道) or its actions (a long name with a colon) used to fail the bulletin with an
    internal error. They are written with full-width marks, cut, and never twice."""
    import openpyxl

    plan = tmp_path / "county.toml"
    plan.write_text(COUNTY_PLAN.replace('units = "乡镇（街道）"', 'units = "乡镇/街道"', 1).replace(
        'name = "十大行动"', 'name = "专项行动：[2023]年度重点工作推进清单之具体任务安排与分工*"', 1), encoding="utf-8")
    monkeypatch.setenv("EDUPLAN_PLAN", str(plan))
    run.ok("record", "new-places", "300", "--as-of", "2023-06-30", "--county", "城关")
    run.ok("report", "--month", "2023-06", "-o", tmp_path / "b.xlsx")
    titles = openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames
    assert "分乡镇／街道" in titles
    assert all(len(t) <= 31 and not set(t) & set("[]:*?/\\") for t in titles), titles
    assert any(t.startswith("专项行动：［2023］") for t in titles), titles
    assert len(set(titles)) == len(titles)
    run.ok("template", "-o", tmp_path / "t.xlsx", "--as-of", "2023-06-30")


def test_a_library_rendering_two_plans_speaks_each_ones_words(tmp_path):
    """As sqlite-utils is a library first: two workspaces, a county's and a city's, each
    document rendered in its own plan's words whichever plan was loaded last."""
    from eduplan.render import render
    from eduplan.services import Workspace, reading, record

    county = tmp_path / "county.toml"
    county.write_text(COUNTY_PLAN, encoding="utf-8")
    city = tmp_path / "city.toml"
    city.write_text(SYNTHETIC_PLAN, encoding="utf-8")
    record(Workspace(county, tmp_path / "a.toml"), "new-places", "100", as_of="2023-06-30", county="城关镇")
    record(Workspace(city, tmp_path / "b.toml"), "new-places", "100", as_of="2023-06-30", county="椒江区")
    county_doc = reading.status(Workspace(county, tmp_path / "a.toml"), as_of="2023-06-30", by_county=True)
    city_doc = reading.status(Workspace(city, tmp_path / "b.toml"), as_of="2023-06-30", by_county=True)
    county_md, city_md = (render(d, "markdown", "zh") for d in (county_doc, city_doc))
    assert "| 乡镇（街道） |" in county_md and "乡镇" not in city_md
    assert "| 县（市、区） |" in city_md and "县（市、区）" not in county_md


def test_a_provinces_plan_takes_its_cities_and_itself_by_their_short_names(run, tmp_path, monkeypatch):
    text = COUNTY_PLAN.replace('counties = ["城关镇", "东湖街道", "西山乡"]',
                               'city = "浙江省"\ncounties = ["杭州市", "延边朝鲜族自治州", "阿里地区"]', 1).replace(
        'whole = "全县"\nunits = "乡镇（街道）"\nwhole_en = "county"\nunit_en = "township"',
        'whole = "全省"\nunits = "设区市"\nwhole_en = "province"\nunit_en = "city"', 1)
    plan = tmp_path / "province.toml"
    plan.write_text(text, encoding="utf-8")
    monkeypatch.setenv("EDUPLAN_PLAN", str(plan))
    for typed, unit in (("浙江", "全省"), ("全省", "全省"), ("延边", "延边朝鲜族自治州"), ("阿里", "阿里地区"), ("杭州", "杭州市")):
        said = run.ok("record", "new-places", "100", "--as-of", "2023-06-30", "--county", typed, "--force").stdout
        assert f"（{unit}，截至 2023-06-30）" in said, (typed, said)


def test_the_sheet_contract_reads_a_plans_headings_whatever_words_were_in_use(tmp_path):
    """The importer asks the plan for its words, not the words a command last set: a library
    checking a county's sheet reads its 乡镇 heading while a city's plan is the one in use."""
    import datetime as dt

    from eduplan.i18n import DEFAULT_TERMS, terms_of
    from eduplan.services.importing import check_sheet
    from eduplan.store.planfile import load_plan
    from eduplan.store.sheets import read_file

    plan_path = tmp_path / "county.toml"
    plan_path.write_text(COUNTY_PLAN, encoding="utf-8")
    plan = load_plan(plan_path)
    sheet_path = tmp_path / "xishan.csv"
    sheet_path.write_text("截至日期,2023-06-30\n乡镇,西山\n\n指标编号,数值\nnew-kindergartens,2\n", encoding="utf-8-sig")
    now = dt.datetime(2023, 7, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with terms_of(DEFAULT_TERMS):
        checked = check_sheet(plan, read_file(sheet_path)[1], file="xishan.csv", today=now.date(), by="t", now=now)
    assert not checked.problems and [r.entry.county for r in checked.rows] == ["西山乡"]


@given(st.text(max_size=60), st.sampled_from(["zh", "en"]))
def test_any_text_is_worded_without_harm(text, lang):
    """Whatever a sentence holds (braces, quotes, marks), the words change only where a city's
    words stand: a text without them comes back as it was, and the defaults change nothing."""
    assert DEFAULT_TERMS.worded(text, lang) == text
    out = TOWNSHIPS.worded(text, lang)
    if not re.search(r"全市|市本级|市级|县|(?i:city|count(y|ies))", text):
        assert out == text
    assert out.count("{") == text.count("{") and out.count("}") == text.count("}")  # a template's fields survive


EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "county-plan-example.toml"


def test_the_example_county_plan_validates_covers_its_text_and_speaks_its_words(run, monkeypatch):
    """data/examples/county-plan-example.toml (SYNTHETIC) is the plan another bureau starts from: it
    must stay valid, cover every commitment of its text, and read in its own words."""
    monkeypatch.setenv("EDUPLAN_PLAN", str(EXAMPLE))
    assert "正常" in run.ok("validate").stdout
    cover = run.json("coverage")
    assert cover["summary"]["uncovered"] == 0 and cover["summary"]["committing"] >= 7, cover["summary"]
    run.ok("record", "balanced-townships", "完成", "--county", "东湖", "--as-of", "2025-06-30")
    run.ok("record", "new-places", "400", "--county", "城关", "--as-of", "2025-06-30")
    status = run.ok("status", "--as-of", "2025-06-30", "--by-county").stdout
    assert "分乡镇情况" in status and "全县" in status and "全市" not in status


def test_one_county_is_one_county_in_english(run, synthetic_plan_path):
    """A count of counties in English agrees with its number: 1 county to go, 2 counties."""
    run.ok("record", "standard-counties", "5", "--as-of", "2023-06-30")
    show = " ".join(run.ok("show", "standard-counties", "--as-of", "2023-06-30", lang="en").stdout.split())
    assert "5/≥6 counties" in show and "1 county to go" in show, show
    assert "还需1个县" in run.ok("show", "standard-counties", "--as-of", "2023-06-30").stdout


def test_a_plan_that_does_not_load_is_told_so_in_its_own_words(run, tmp_path, monkeypatch):
    """A county plan with a mistake read “城关”是简称，请写县（市、区）全称 and “全县”指全市: the
    city's words, because the plan's [terms] were applied only once the plan loaded. Its
    problems are said in its words, by validate and by any command that loads it."""
    plan = tmp_path / "county.toml"
    plan.write_text(COUNTY_PLAN.replace('counties = ["城关镇", "东湖街道", "西山乡"]',
                                        'counties = ["全县", "东湖街道", "西山乡"]', 1), encoding="utf-8")
    monkeypatch.setenv("EDUPLAN_PLAN", str(plan))
    for args in (["validate"], ["status"]):
        err = run.fails(1, *args).stderr if args == ["status"] else run.fails(1, *args).stdout + run("validate").stderr
        assert "“全县”指全县，不能用作乡镇（街道）名称" in err and "县（市、区）" not in err and "全市" not in err, err
    en = run("validate", lang="en")
    assert "means the whole county; a township-level unit cannot be named so" in en.stdout + en.stderr, en.stderr


def test_an_english_sentence_naming_a_unit_keeps_its_value_under_another_plans_words():
    """'{county}' is a placeholder's name, not the word county: under a county plan's words it was
    worded as {township}, the sentence could not take its value, and it fell back to the city's
    words (''全县' means the whole city; a county-level unit …')."""
    from eduplan.i18n import msg

    with terms_of(TOWNSHIPS):
        said = msg("'{county}' means the whole city; a county-level unit cannot be named so", county="全县").render("en")
    assert said == "'全县' means the whole county; a township-level unit cannot be named so", said
