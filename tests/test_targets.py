"""How a plan says a target is reached (plan format version 2), and how status judges it:
paces (linear, due, once, schedule), milestones with due dates, county targets, who reports,
baselines with falling and relative targets, lead units. Pure core functions.

Every figure here is SYNTHETIC test data, not a 2023 result."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from eduplan.core.bulletin import build_bulletin
from eduplan.core.documents import Remark
from eduplan.core.entries import latest, surviving
from eduplan.core.models import Entry, State
from eduplan.core.pace import expected_share, pace_share, time_progress
from eduplan.core.progress import Status, baselines_from, status_report as _status_report

TZ = dt.timezone(dt.timedelta(hours=8))
D = dt.date

# SYNTHETIC version-2 plan: one indicator per rule under test.
V2_PLAN = """\
schema_version = 2

[plan]
id = "synthetic-v2"
title = "合成测试计划（第二版格式）"
title_en = "Synthetic test plan (format 2)"
year = 2023
start = 2023-01-01
end = 2023-12-31
counties = ["甲县", "乙县", "丙县"]
units = ["基教处", "计财处", "安全处"]

[[sections]]
id = "focus-1"
kind = "focus"
number = 1
name = "重点一"

[[indicators]]
id = "linear-flow"
name = "均匀推进"
sections = ["focus-1"]
measure = "flow"
unit = "个"
target = 100
source = "均匀推进100个"
lead = "基教处"

[[indicators]]
id = "due-flow"
name = "六月底前完成"
sections = ["focus-1"]
measure = "flow"
unit = "个"
target = 100
source = "六月底前完成100个"
pace = { kind = "due", date = 2023-06-30 }
lead = "基教处"
partners = ["计财处"]

[[indicators]]
id = "once-flow"
name = "秋季一次性"
sections = ["focus-1"]
measure = "flow"
unit = "个"
target = 900
source = "秋季新增900个"
pace = { kind = "once", date = 2023-09-01 }
reported_by = "counties"
county_targets = { "甲县" = 500, "乙县" = 400 }

[[indicators]]
id = "quarterly-flow"
name = "按季开工"
sections = ["focus-1"]
measure = "flow"
unit = "个"
target = 80
source = "按季开工80个"
reported_by = "city"
lead = "计财处"
[indicators.pace]
kind = "schedule"
points = [
  { date = 2023-03-31, percent = 25 },
  { date = 2023-06-30, percent = 50 },
  { date = 2023-09-30, percent = 75 },
  { date = 2023-12-31, percent = 100 },
]

[[indicators]]
id = "batch-flow"
name = "分批开工"
sections = ["focus-1"]
measure = "flow"
unit = "个"
target = 80
source = "分批开工80个"
reported_by = "both"
[indicators.pace]
kind = "schedule"
steps = true
points = [
  { date = 2023-03-31, percent = 25 },
  { date = 2023-06-30, percent = 50 },
  { date = 2023-09-30, percent = 75 },
  { date = 2023-12-31, percent = 100 },
]

[[indicators]]
id = "dated-milestone"
name = "六月底上线"
sections = ["focus-1"]
measure = "milestone"
unit = "项"
source = "六月底前平台上线"
pace = { kind = "due", date = 2023-06-30 }
reported_by = "city"
done_when = "平台上线运行"
done_when_en = "The platform is online"

[[indicators]]
id = "year-milestone"
name = "年内完成"
sections = ["focus-1"]
measure = "milestone"
unit = "项"
source = "年内完成"
reported_by = "city"

[[indicators]]
id = "autumn-level"
name = "秋季入学比例"
sections = ["focus-1"]
measure = "level"
unit = "%"
target = 56
source = "比例达56%"
pace = { kind = "once", date = 2023-09-01 }

[[indicators]]
id = "county-level"
name = "分县比例"
sections = ["focus-1"]
measure = "level"
unit = "%"
target = 56
source = "分县比例达56%"
county_targets = { "甲县" = 60 }

[[indicators]]
id = "counties-meeting"
name = "达标县"
sections = ["focus-1"]
measure = "counties"
unit = "个"
target = 2
source = "2个县达标"
county_targets = { "甲县" = 1, "乙县" = 1, "丙县" = 0 }
reported_by = "counties"

[[indicators]]
id = "fewer-deaths"
name = "非正常死亡"
sections = ["focus-1"]
measure = "flow"
unit = "人"
source = "减少非正常死亡"
baseline = { date = 2022-12-31, source = "2022年统计" }
relative = { kind = "below" }
lead = "安全处"

[[indicators]]
id = "more-pilots"
name = "试点学校"
sections = ["focus-1"]
measure = "level"
unit = "所"
source = "更多学校纳入试点"
baseline = { date = 2022-12-31, source = "2022年名单" }
relative = { kind = "more", amount = 2 }

[[indicators]]
id = "plus-points"
name = "提高两个百分点"
sections = ["focus-1"]
measure = "level"
unit = "%"
source = "比上年提高2个百分点"
baseline = { date = 2022-12-31, source = "2022年统计", value = 50 }
relative = { kind = "plus", amount = 2 }
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    from eduplan.store.planfile import load_plan

    path = tmp_path_factory.mktemp("v2") / "plan.toml"
    path.write_text(V2_PLAN, encoding="utf-8")
    return load_plan(path)


class Book:
    def __init__(self):
        self.entries: list[Entry] = []

    def add(self, indicator, value=None, *, county=None, as_of=D(2023, 6, 30), state=None, supersedes=None,
            void=False):
        e = Entry(len(self.entries) + 1, indicator, as_of, "tester", dt.datetime(2023, 7, 1, tzinfo=TZ),
                  county=county, value=value, state=State(state) if state else None, supersedes=supersedes,
                  void=void, reason="r" if supersedes else None)
        self.entries.append(e)
        return e


def report(plan, book, as_of, **kw):
    alive = surviving(book.entries)
    before = latest(alive, plan.plan.start - dt.timedelta(days=1))
    return _status_report(plan, latest(alive, as_of), as_of, baselines=baselines_from(plan, before), **kw)


def row(plan, book, indicator, as_of=D(2023, 6, 30), county=None):
    return report(plan, book, as_of, county=county, indicators=[indicator]).rows[0]


def codes(r):
    return {n.code: dict(n.params) for n in r.notes}


# --------------------------------------------------------------------------- expected share by pace


def test_linear_pace_is_time_progress(plan):
    ind = plan.by_id["linear-flow"]
    for day in (D(2023, 1, 1), D(2023, 6, 30), D(2023, 12, 31)):
        assert expected_share(ind, plan.plan, day) == time_progress(plan.plan, day)


def test_due_by_a_date_grows_to_all_of_it_on_that_date(plan):
    ind = plan.by_id["due-flow"]
    assert expected_share(ind, plan.plan, D(2023, 3, 31)) == pytest.approx(90 / 181)
    assert expected_share(ind, plan.plan, D(2023, 6, 29)) == pytest.approx(180 / 181)
    assert expected_share(ind, plan.plan, D(2023, 6, 30)) == 1.0  # on the date: all of it
    assert expected_share(ind, plan.plan, D(2023, 9, 1)) == 1.0


def test_once_on_a_date_expects_nothing_before_it(plan):
    ind = plan.by_id["once-flow"]
    assert expected_share(ind, plan.plan, D(2023, 8, 31)) == 0.0
    assert expected_share(ind, plan.plan, D(2023, 9, 1)) == 1.0
    assert expected_share(ind, plan.plan, D(2023, 12, 31)) == 1.0


def test_schedule_interpolates_between_its_points(plan):
    ind = plan.by_id["quarterly-flow"]
    assert expected_share(ind, plan.plan, D(2023, 2, 14)) == pytest.approx(0.25 * 45 / 90)
    assert expected_share(ind, plan.plan, D(2023, 3, 31)) == pytest.approx(0.25)
    assert expected_share(ind, plan.plan, D(2023, 5, 15)) == pytest.approx(0.25 + 0.25 * 45 / 91)
    assert expected_share(ind, plan.plan, D(2023, 12, 31)) == 1.0


def test_schedule_in_steps_holds_each_share_until_the_next_date(plan):
    ind = plan.by_id["batch-flow"]
    assert expected_share(ind, plan.plan, D(2023, 3, 30)) == 0.0
    assert expected_share(ind, plan.plan, D(2023, 3, 31)) == 0.25
    assert expected_share(ind, plan.plan, D(2023, 6, 29)) == 0.25
    assert expected_share(ind, plan.plan, D(2023, 6, 30)) == 0.5


@settings(max_examples=150, deadline=None)
@given(a=st.dates(D(2022, 11, 1), D(2024, 2, 1)), b=st.dates(D(2022, 11, 1), D(2024, 2, 1)))
def test_every_pace_is_monotone_bounded_and_complete_at_the_end(plan, a, b):
    lo, hi = sorted((a, b))
    for ind in plan.indicators:
        pace = ind.effective_pace
        if pace is None:
            continue
        x, y = pace_share(pace, plan.plan, lo), pace_share(pace, plan.plan, hi)
        assert 0.0 <= x <= y <= 1.0, ind.id
        assert pace_share(pace, plan.plan, plan.plan.end) == 1.0
    steps, smooth = plan.by_id["batch-flow"].pace, plan.by_id["quarterly-flow"].pace
    assert pace_share(steps, plan.plan, lo) <= pace_share(smooth, plan.plan, lo) + 1e-12


# --------------------------------------------------------------------------- judged before, on and after the key dates


@pytest.mark.parametrize("day, value, status", [
    (D(2023, 8, 31), 0, Status.ON_TRACK),  # nothing expected before the autumn term
    (D(2023, 9, 1), 0, Status.BEHIND),  # on the date all of it is expected
    (D(2023, 9, 1), 850, Status.LAGGING),  # 94% of it: within 10 points
    (D(2023, 10, 1), 0, Status.BEHIND),
    (D(2023, 10, 1), 900, Status.DONE),
])
def test_a_flow_due_all_at_once(plan, day, value, status):
    book = Book()
    book.add("once-flow", value, as_of=day)
    r = row(plan, book, "once-flow", day)
    assert r.status == status
    assert r.expected == (0.0 if day < D(2023, 9, 1) else 1.0)


def test_a_flow_due_by_a_date_is_judged_against_its_own_slope(plan):
    book = Book()
    book.add("due-flow", 50, as_of=D(2023, 3, 31))  # 50% done, 49.7% expected by the slope to 30 June
    assert row(plan, book, "due-flow", D(2023, 3, 31)).status == Status.ON_TRACK
    linear = Book()
    linear.add("linear-flow", 50, as_of=D(2023, 3, 31))
    assert row(plan, linear, "linear-flow", D(2023, 3, 31)).status == Status.ON_TRACK
    book.add("due-flow", 60, as_of=D(2023, 6, 30))  # 60% when all of it was due
    assert row(plan, book, "due-flow", D(2023, 6, 30)).status == Status.BEHIND
    linear.add("linear-flow", 60, as_of=D(2023, 6, 30))  # the same figure on a linear pace: ahead
    assert row(plan, linear, "linear-flow", D(2023, 6, 30)).status == Status.ON_TRACK


def test_quarterly_batches_are_not_red_before_the_quarter_ends(plan):
    book = Book()
    book.add("batch-flow", 0, as_of=D(2023, 3, 1))
    r = row(plan, book, "batch-flow", D(2023, 3, 1))
    assert r.status == Status.ON_TRACK and r.expected == 0.0
    book.add("batch-flow", 10, as_of=D(2023, 3, 31))  # 12.5% when the first quarter's 25% was due
    r = row(plan, book, "batch-flow", D(2023, 3, 31))
    assert r.status == Status.BEHIND and r.expected == 0.25 and r.lag_pp == pytest.approx(12.5)
    book.add("batch-flow", 20, as_of=D(2023, 4, 15))  # the next batch is not due until 30 June
    assert row(plan, book, "batch-flow", D(2023, 4, 15)).status == Status.ON_TRACK


@pytest.mark.parametrize("day, state, status", [
    (D(2023, 6, 29), "in-progress", Status.ON_TRACK),
    (D(2023, 6, 30), "in-progress", Status.BEHIND),  # due by the end of that day: late
    (D(2023, 7, 15), "in-progress", Status.BEHIND),
    (D(2023, 7, 15), "done", Status.DONE),
    (D(2023, 2, 1), "not-started", Status.BEHIND),  # 17% expected by the slope to 30 June: > 10 points
    (D(2023, 1, 10), "not-started", Status.LAGGING),
])
def test_a_milestone_past_its_due_date(plan, day, state, status):
    book = Book()
    book.add("dated-milestone", state=state, as_of=day)
    r = row(plan, book, "dated-milestone", day)
    assert r.status == status
    assert ("overdue" in codes(r)) == (state == "in-progress" and day >= D(2023, 6, 30))


def test_a_milestone_in_progress_at_the_end_of_the_year_is_behind(plan):
    book = Book()
    book.add("year-milestone", state="in-progress", as_of=D(2023, 11, 30))
    assert row(plan, book, "year-milestone", D(2023, 12, 30)).status == Status.ON_TRACK
    r = row(plan, book, "year-milestone", D(2023, 12, 31))
    assert r.status == Status.BEHIND and codes(r)["overdue"] == {"due": "2023-12-31", "on_the_day": True}


def test_a_level_due_at_the_autumn_enrolment(plan):
    book = Book()
    book.add("autumn-level", 50, as_of=D(2023, 3, 31))  # last year's share, before the new intake
    r = row(plan, book, "autumn-level", D(2023, 3, 31))
    assert r.status == Status.ON_TRACK and "not_yet_due" in codes(r) and r.gap_pp == 6
    book.add("autumn-level", 55, as_of=D(2023, 9, 1))
    assert row(plan, book, "autumn-level", D(2023, 9, 1)).status == Status.LAGGING
    book.add("autumn-level", 57, as_of=D(2023, 9, 2))
    assert row(plan, book, "autumn-level", D(2023, 9, 2)).status == Status.DONE


# --------------------------------------------------------------------------- county targets (任务分解)


def test_a_county_with_its_own_target_is_judged_against_it(plan):
    book = Book()
    book.add("once-flow", 450, county="甲县", as_of=D(2023, 9, 5))
    book.add("once-flow", 100, county="乙县", as_of=D(2023, 9, 5))
    book.add("once-flow", 50, county="丙县", as_of=D(2023, 9, 5))
    day = D(2023, 9, 5)
    jia = row(plan, book, "once-flow", day, county="甲县")
    assert (jia.target, jia.completion, jia.status) == (500, 0.9, Status.LAGGING)
    yi = row(plan, book, "once-flow", day, county="乙县")
    assert (yi.target, yi.status) == (400, Status.BEHIND)
    bing = row(plan, book, "once-flow", day, county="丙县")  # no target of its own: nothing invented
    assert bing.status == Status.NOT_JUDGED and bing.target is None and bing.actual == 50
    assert bing.share_of_city == pytest.approx(50 / 600)
    assert codes(bing)["no_county_target"]["share"] == pytest.approx(50 / 600)
    city = row(plan, book, "once-flow", day)
    assert (city.actual, city.target, city.rollup) == (600, 900, "sum")  # the roll-up stays as it was


def test_a_level_county_target_and_a_county_without_one(plan):
    book = Book()
    book.add("county-level", 58, county="甲县")
    book.add("county-level", 40, county="乙县")
    assert row(plan, book, "county-level", county="甲县").status == Status.LAGGING  # 58 of its own 60
    yi = row(plan, book, "county-level", county="乙县")
    assert yi.status == Status.NOT_JUDGED and "no_county_target" in codes(yi)


def test_counties_indicator_judges_only_the_counties_the_plan_requires(plan):
    book = Book()
    book.add("counties-meeting", state="not-started", county="甲县", as_of=D(2023, 9, 30))
    book.add("counties-meeting", state="not-started", county="丙县", as_of=D(2023, 9, 30))
    book.add("counties-meeting", state="done", county="乙县", as_of=D(2023, 9, 30))
    day = D(2023, 9, 30)
    assert row(plan, book, "counties-meeting", day, county="甲县").status == Status.BEHIND  # required (1)
    assert row(plan, book, "counties-meeting", day, county="乙县").status == Status.DONE
    assert row(plan, book, "counties-meeting", day, county="丙县").status == Status.NOT_JUDGED  # not required (0)


# --------------------------------------------------------------------------- baselines


def test_a_falling_target_waits_for_its_baseline(plan):
    book = Book()
    book.add("fewer-deaths", 3, county="甲县")
    r = row(plan, book, "fewer-deaths")
    assert r.status == Status.NOT_JUDGED and r.actual == 3 and r.target is None
    assert codes(r)["baseline_unknown"] == {"date": "2022-12-31"}
    book.add("fewer-deaths", 8, as_of=D(2022, 12, 31))  # the baseline, recorded (an entry before the period)
    r = row(plan, book, "fewer-deaths")
    assert (r.baseline, r.target, r.actual) == (8, 8, 3)  # the baseline is not a figure of the period
    assert r.status == Status.NOT_JUDGED and "cap_partial" in codes(r)  # 乙县 and 丙县 may add to it
    book.add("fewer-deaths", 0, county="乙县")
    book.add("fewer-deaths", 0, county="丙县")
    assert row(plan, book, "fewer-deaths").status == Status.ON_TRACK  # 3 of a budget of 8 at mid-year
    end = D(2023, 12, 31)
    book.add("fewer-deaths", 8, county="甲县", as_of=D(2023, 12, 20))
    assert row(plan, book, "fewer-deaths", end).status == Status.BEHIND  # as many as last year: not fewer
    book.add("fewer-deaths", 7, county="甲县", as_of=end)
    assert row(plan, book, "fewer-deaths", end).status == Status.NOT_JUDGED  # 乙县 and 丙县 said 0 as of June
    book.add("fewer-deaths", 0, county="乙县", as_of=end)
    book.add("fewer-deaths", 0, county="丙县", as_of=end)
    assert row(plan, book, "fewer-deaths", end).status == Status.DONE


def test_a_corrected_or_voided_baseline(plan):
    book = Book()
    first = book.add("fewer-deaths", 8, as_of=D(2022, 12, 31))
    book.add("fewer-deaths", 2, county="甲县")
    fixed = book.add("fewer-deaths", 10, as_of=D(2022, 12, 31), supersedes=first.id)
    assert row(plan, book, "fewer-deaths").baseline == 10
    book.add("fewer-deaths", as_of=D(2022, 12, 31), supersedes=fixed.id, void=True)
    assert row(plan, book, "fewer-deaths").status == Status.NOT_JUDGED


def test_nothing_is_lower_than_none(plan):
    book = Book()
    book.add("fewer-deaths", 0, as_of=D(2022, 12, 31))
    for county in ("甲县", "乙县", "丙县"):
        book.add("fewer-deaths", 0, county=county, as_of=D(2023, 12, 31))
    assert row(plan, book, "fewer-deaths", D(2023, 12, 31)).status == Status.DONE


def test_at_least_n_more_than_the_baseline(plan):
    book = Book()
    book.add("more-pilots", 12, as_of=D(2022, 12, 31))
    book.add("more-pilots", 13)
    r = row(plan, book, "more-pilots")
    assert (r.target, r.completion, r.remaining) == (14, 0.5, 1)  # half of the promised increase
    assert r.status == Status.BEHIND  # no pace: due at any date, 50 points short
    book.add("more-pilots", 14, as_of=D(2023, 7, 1))
    assert row(plan, book, "more-pilots", D(2023, 7, 1)).status == Status.DONE


def test_baseline_plus_points_from_the_plan(plan):
    book = Book()
    book.add("plus-points", 51)
    r = row(plan, book, "plus-points")
    assert (r.baseline, r.baseline_entry, r.target) == (50, None, 52)  # the plan's value
    # half of the promised two points, at once (no pace): judged by the change made, as a count is (more-pilots)
    assert r.completion == pytest.approx(0.5) and r.gap_pp == pytest.approx(1) and r.status == Status.BEHIND
    book.add("plus-points", 49, as_of=D(2022, 12, 31))  # a recorded baseline wins over the plan's
    r = row(plan, book, "plus-points")
    assert (r.baseline, r.target, r.baseline_entry) == (49, 51, "#2") and r.status == Status.DONE


# --------------------------------------------------------------------------- who reports


def _bulletin(plan, book, month):
    alive = surviving(book.entries)
    gone = {e.supersedes: e for e in book.entries if e.supersedes}
    recorded = [Remark(e, gone.get(e.id)) for e in book.entries
                if month == f"{e.as_of.year}-{e.as_of.month:02d}"]
    before = latest(alive, plan.plan.start - dt.timedelta(days=1))
    return build_bulletin(plan, month, lambda d: latest(alive, d), recorded, baselines=baselines_from(plan, before))


def test_a_city_figure_with_a_stray_county_entry_lists_no_county(plan):
    book = Book()
    book.add("quarterly-flow", 3, county="甲县")  # city-reported: a stray county figure
    b = _bulletin(plan, book, "2023-06")
    assert "quarterly-flow" in b.reported_by_city and "quarterly-flow" not in b.reported_per_county
    silent = {s.county: s.indicators for s in b.silent}
    assert "quarterly-flow" in silent[None]  # the city did not report it
    assert all("quarterly-flow" not in silent.get(c, ()) for c in plan.counties)
    book.add("quarterly-flow", 20)
    b = _bulletin(plan, book, "2023-06")
    assert "quarterly-flow" not in {i for s in b.silent for i in s.indicators}


def test_counties_owe_per_unit_and_nothing_before_anything_is_expected(plan):
    book = Book()
    book.add("counties-meeting", state="in-progress", county="甲县")
    book.add("counties-meeting", state="done", county="乙县", as_of=D(2023, 5, 31))
    june = {s.county: s.indicators for s in _bulletin(plan, book, "2023-06").silent}
    assert "counties-meeting" not in june.get("甲县", ())  # sent in June
    assert "counties-meeting" not in june.get("乙县", ())  # done in May: nothing more to report
    assert "counties-meeting" in june["丙县"]
    assert all("once-flow" not in v for v in june.values())  # due on 1 September: not owed in June
    september = {s.county: s.indicators for s in _bulletin(plan, book, "2023-09").silent}
    assert all("once-flow" in september[c] for c in plan.counties)
    both = {s.county: s.indicators for s in _bulletin(plan, book, "2023-06").silent}
    assert "batch-flow" in both[None] and all("batch-flow" in both[c] for c in plan.counties)


def test_status_and_the_bulletin_agree_on_who_has_not_reported(plan):
    book = Book()
    book.add("batch-flow", 10, as_of=D(2023, 6, 10))
    book.add("batch-flow", 3, county="乙县", as_of=D(2023, 6, 12))
    b = _bulletin(plan, book, "2023-06")
    sent = {(e.indicator, e.county) for e in book.entries if e.as_of.month == 6}
    status = report(plan, book, D(2023, 6, 30), sent=sent)
    assert status.silent == b.silent
    row_ = next(r for r in status.rows if r.indicator.id == "batch-flow")
    assert row_.reporting.owed == (None, "甲县", "乙县", "丙县") and row_.reporting.missing == ("甲县", "丙县")
    one = report(plan, book, D(2023, 6, 30), sent=sent, county="乙县")
    assert [s.county for s in one.silent] == ["乙县"]  # one county's view: only that county


# --------------------------------------------------------------------------- lead units


def test_lead_filter_and_bulletin_groups(plan):
    book = Book()
    book.add("quarterly-flow", 1)
    ids = [r.indicator.id for r in report(plan, Book(), D(2023, 6, 30), lead="基教处").rows]
    assert ids == ["linear-flow", "due-flow"]
    b = _bulletin(plan, book, "2023-06")
    assert [blk.lead for blk in b.leads] == ["基教处", "计财处", "安全处"]
    finance = b.leads[1]
    assert [r.indicator.id for r in finance.rows] == ["quarterly-flow"]
    assert [r.indicator.id for r in finance.attention] == ["quarterly-flow"]  # 1 of 80 at mid-year


@pytest.mark.parametrize("indicator, day, months", [
    ("once-flow", D(2023, 6, 30), 2 + 1 / 30),  # by 1 September: July, August and a day of September
    ("due-flow", D(2023, 3, 31), 3),  # by 30 June: April to June, not the year's nine months
    ("once-flow", D(2023, 9, 1), None),  # due: nothing left to spread
    ("linear-flow", D(2023, 6, 30), 6)])
def test_the_rate_needed_spreads_what_is_left_until_it_is_due(plan, indicator, day, months):
    """16 schools due by 1 September read 每月2.7所 at 30 June (16 ÷ the year's 6 months) where
    8 a month are needed."""
    book = Book()
    target = plan.by_id[indicator].target
    book.add(indicator, target - 60, as_of=D(2023, 3, 31))
    r = row(plan, book, indicator, day)
    assert r.remaining == 60
    assert r.monthly_needed == (pytest.approx(60 / months) if months is not None else None)


def test_a_change_from_the_baseline_is_judged_the_same_way_before_and_after_its_date(plan):
    """52% of a promised 50% → 54% due 30 September was 落后 (half the change, against 99.6% of it
    expected) on 29 September and 滞后 from the 30th (2 points short, within 10): missing the
    date made the light better. Judged by the share of the change made on both sides of it."""
    import dataclasses

    from eduplan.core.models import Pace, PaceKind

    ind = dataclasses.replace(plan.by_id["plus-points"], pace=Pace(PaceKind.DUE, date=D(2023, 9, 30)))
    dated = dataclasses.replace(plan, indicators=tuple(ind if i.id == ind.id else i for i in plan.indicators))
    book = Book()
    book.add("plus-points", 51, as_of=D(2023, 3, 31))
    before, after = (row(dated, book, "plus-points", day) for day in (D(2023, 9, 29), D(2023, 9, 30)))
    assert before.status == after.status == Status.BEHIND
    assert after.lag_pp == pytest.approx(50) and after.gap_pp == pytest.approx(1)


def test_a_recorded_baseline_other_than_the_plans_says_which_one_counts(run, tmp_path):
    """The plan gives 50%; `baseline plus-points 48` answered only 已填报基数, and the target
    quietly moved from 52% to 50%. It now says the plan's value and that the recorded one
    counts; the plan's own value recorded again says nothing more."""
    path = tmp_path / "plan.toml"
    path.write_text(V2_PLAN, encoding="utf-8")
    out = run.ok("baseline", "plus-points", "48", "--plan", path, "--ledger", tmp_path / "a.toml").stdout
    assert "（计划给出的基数为 50%：此后按本次填报的 48% 评价目标）" in out, out
    same = run.ok("baseline", "plus-points", "50", "--plan", path, "--ledger", tmp_path / "b.toml").stdout
    assert "计划给出的基数" not in same, same
