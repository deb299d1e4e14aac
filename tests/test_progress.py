"""Progress arithmetic: the rules of the status issue, by example and by property.

All figures are SYNTHETIC."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from eduplan.core.entries import latest, surviving
from eduplan.core.models import Entry, State
from eduplan.core.pace import months_left, time_progress
from eduplan.core.progress import Status, status_report as _status_report
from eduplan.render.words import note_text

from conftest import COUNTIES

TZ = dt.timezone(dt.timedelta(hours=8))
JUNE30 = dt.date(2023, 6, 30)


class Book:
    """Builds synthetic entries with increasing ids."""

    def __init__(self):
        self.entries: list[Entry] = []

    def add(self, indicator, value=None, *, county=None, as_of=JUNE30, state=None, num=None, den=None,
            supersedes=None, void=False):
        e = Entry(len(self.entries) + 1, indicator, as_of, "tester", dt.datetime(2023, 7, 1, tzinfo=TZ),
                  county=county, value=value, numerator=num, denominator=den,
                  state=State(state) if state else None, supersedes=supersedes, void=void,
                  reason="r" if supersedes else None)
        self.entries.append(e)
        return e


@pytest.fixture(scope="module")
def mplan(tmp_path_factory):
    """The synthetic plan, once per module (for property tests, which reuse it across examples)."""
    from conftest import SYNTHETIC_PLAN
    from eduplan.store.planfile import load_plan

    path = tmp_path_factory.mktemp("plan") / "plan.toml"
    path.write_text(SYNTHETIC_PLAN, encoding="utf-8")
    return load_plan(path)


def status_report(plan, entries, as_of, **kw):
    return _status_report(plan, latest(surviving(entries), as_of), as_of, **kw)


def row(plan, book, indicator, as_of=JUNE30, county=None):
    return status_report(plan, book.entries, as_of, county=county, indicators=[indicator]).rows[0]


def notes(r):
    return {n.code: dict(n.params) for n in r.notes}


# --------------------------------------------------------------------------- time progress


def test_time_progress_mid_year(synthetic_plan):
    assert time_progress(synthetic_plan.plan, JUNE30) == 181 / 365
    assert time_progress(synthetic_plan.plan, dt.date(2023, 12, 31)) == 1.0
    assert time_progress(synthetic_plan.plan, dt.date(2024, 3, 1)) == 1.0  # clamped
    assert time_progress(synthetic_plan.plan, dt.date(2022, 3, 1)) == 0.0
    assert time_progress(synthetic_plan.plan, dt.date(2023, 1, 1)) == 1 / 365


@given(st.dates(min_value=dt.date(2022, 6, 1), max_value=dt.date(2024, 6, 1)),
       st.dates(min_value=dt.date(2022, 6, 1), max_value=dt.date(2024, 6, 1)))
def test_time_progress_is_monotone_and_bounded(a, b):
    from eduplan.core.models import PlanInfo

    info = PlanInfo(id="p", title="t", year=2023, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), counties=("a",))
    ta, tb = time_progress(info, a), time_progress(info, b)
    assert 0 <= ta <= 1 and 0 <= tb <= 1
    if a <= b:
        assert ta <= tb
        assert months_left(info, a) >= months_left(info, b)


# --------------------------------------------------------------------------- flows


@pytest.mark.parametrize("actual, status", [(13, Status.ON_TRACK), (5, Status.BEHIND), (11, Status.LAGGING),
                                            (25, Status.DONE), (30, Status.DONE)])
def test_flow_against_time_progress(synthetic_plan, actual, status):
    book = Book()
    book.add("new-kindergartens", actual)
    r = row(synthetic_plan, book, "new-kindergartens")
    assert r.status == status
    assert r.completion == actual / 25  # uncapped: 120% is information
    assert r.remaining == max(0, 25 - actual)


def test_flow_monthly_rate_needed(synthetic_plan):
    book = Book()
    book.add("new-kindergartens", 13)
    r = row(synthetic_plan, book, "new-kindergartens")
    assert months_left(synthetic_plan.plan, JUNE30) == 6  # July to December, whole
    assert r.monthly_needed == pytest.approx(12 / 6)
    assert months_left(synthetic_plan.plan, dt.date(2023, 6, 15)) == 6.5  # half of June left, then six months
    assert months_left(synthetic_plan.plan, dt.date(2023, 12, 31)) == 0


@pytest.mark.parametrize("day, needed", [(dt.date(2023, 12, 20), 12), (dt.date(2023, 11, 30), 12),
                                         (dt.date(2023, 11, 15), 12 / 1.5), (dt.date(2023, 12, 31), None)])
def test_within_the_last_month_the_rate_needed_is_what_is_left(synthetic_plan, day, needed):
    """12 to go on 20 December read 每月34.9 (12 ÷ the 11/31 of a month left): more a month than
    there is to do. Within the last month it is what is left; at the period end, none."""
    book = Book()
    book.add("new-kindergartens", 13, as_of=min(day, JUNE30))
    r = row(synthetic_plan, book, "new-kindergartens", day)
    assert r.monthly_needed == (pytest.approx(needed) if needed is not None else None)


def test_flow_rolls_up_by_summing_counties(synthetic_plan):
    book = Book()
    book.add("new-kindergartens", 4, county="椒江区", as_of=dt.date(2023, 5, 31))
    book.add("new-kindergartens", 6, county="椒江区")
    book.add("new-kindergartens", 7, county="黄岩区")
    r = row(synthetic_plan, book, "new-kindergartens")
    assert r.actual == 13 and r.rollup == "sum"  # each county's latest total, summed
    assert notes(r)["partial"] == {"reported": 2, "total": 9}


def test_city_wide_entry_wins_over_county_sum(synthetic_plan):
    book = Book()
    book.add("new-kindergartens", 6, county="椒江区")
    book.add("new-kindergartens", 20, as_of=dt.date(2023, 6, 1))
    r = row(synthetic_plan, book, "new-kindergartens")
    assert r.actual == 20 and r.rollup == "city"


def test_missing_is_not_zero(synthetic_plan):
    r = row(synthetic_plan, Book(), "new-kindergartens")
    assert r.status == Status.NO_DATA and r.actual is None and r.completion is None


def test_entry_after_as_of_is_ignored(synthetic_plan):
    book = Book()
    book.add("new-kindergartens", 13)
    book.add("new-kindergartens", 25, as_of=dt.date(2023, 7, 1))
    assert row(synthetic_plan, book, "new-kindergartens").actual == 13
    assert row(synthetic_plan, book, "new-kindergartens", dt.date(2023, 7, 1)).actual == 25


def test_voided_entry_is_ignored_and_correction_counts(synthetic_plan):
    book = Book()
    first = book.add("new-kindergartens", 13)
    later = book.add("new-kindergartens", 20, as_of=dt.date(2023, 6, 15))
    book.add("new-kindergartens", None, as_of=later.as_of, supersedes=later.id, void=True)
    assert row(synthetic_plan, book, "new-kindergartens").actual == 13
    book.add("new-kindergartens", 14, supersedes=first.id)
    assert row(synthetic_plan, book, "new-kindergartens").actual == 14


def test_falling_flow_is_a_budget(synthetic_plan):
    def status_for(value, as_of=JUNE30):
        book = Book()
        book.add("incidents", value, as_of=min(as_of, JUNE30))
        return row(synthetic_plan, book, "incidents", as_of)

    assert status_for(3).status == Status.ON_TRACK  # 30% of the cap used at 49.6% of the year
    assert status_for(5.5).status == Status.LAGGING
    assert status_for(8).status == Status.BEHIND
    over = status_for(11)
    assert over.status == Status.BEHIND and over.met is False
    assert over.completion == pytest.approx(10 / 11)  # lower is better: never actual ÷ target
    end = dt.date(2023, 12, 31)
    stale = status_for(3, end)  # 3 as of June: July to December unknown, and they can only add
    assert (stale.status, stale.actual) == (Status.NOT_JUDGED, 3)
    assert notes(stale) == {"cap_stale": {"until": "2023-06-30", "end": "2023-12-31"}}
    book = Book()
    book.add("incidents", 3, as_of=end)
    assert row(synthetic_plan, book, "incidents", end).status == Status.DONE


def test_a_cap_summed_over_some_counties_is_not_judged_while_within_it(synthetic_plan):
    """2 of 9 counties reported 5 incidents against a cap of 10: the others can only add to it,
    so "done" at the year's end (or "on track") would be a light that lies. Over the cap is
    certain; with every county in, it is judged as usual."""
    end = dt.date(2023, 12, 31)
    book = Book()
    book.add("incidents", 3, county=COUNTIES[0])
    book.add("incidents", 2, county=COUNTIES[1])
    for day in (JUNE30, end):
        r = row(synthetic_plan, book, "incidents", day)
        assert (r.status, r.actual) == (Status.NOT_JUDGED, 5) and notes(r) == {"cap_partial": {"reported": 2, "total": 9}}
    book.add("incidents", 7, county=COUNTIES[2])  # 12 > 10 whatever the others say
    r = row(synthetic_plan, book, "incidents", end)
    assert r.status == Status.BEHIND and "partial" in notes(r)
    book = Book()
    for c in COUNTIES:
        book.add("incidents", 1, county=c, as_of=end)
    assert row(synthetic_plan, book, "incidents", end).status == Status.DONE
    book.add("incidents", 1, county=COUNTIES[0])  # a county's figure as of June, superseded by its December one
    assert row(synthetic_plan, book, "incidents", end).status == Status.DONE
    late = Book()
    for c in COUNTIES:  # every county in, but one only as of June: its second half may take the sum over
        late.add("incidents", 1, county=c, as_of=end if c != COUNTIES[4] else JUNE30)
    r = row(synthetic_plan, late, "incidents", end)
    assert r.status == Status.NOT_JUDGED and notes(r)["cap_stale"]["until"] == "2023-06-30"
    book.add("incidents", 4, as_of=end)  # a city-wide figure: judged as it is
    assert row(synthetic_plan, book, "incidents", end).status == Status.DONE


def test_a_percentage_cap_rolled_up_over_some_counties_is_not_judged_either_way(synthetic_plan):
    book = Book()
    book.add("dropout-rate", 5, county=COUNTIES[0], num=5, den=100)  # over the cap of 2% there, but the others?
    r = row(synthetic_plan, book, "dropout-rate")
    assert r.status == Status.NOT_JUDGED and "cap_partial" in notes(r)


# --------------------------------------------------------------------------- levels


def test_level_gap_in_points(synthetic_plan):
    book = Book()
    book.add("public-share", 55)
    r = row(synthetic_plan, book, "public-share")
    assert r.met is False and r.gap_pp == pytest.approx(1.0) and r.status == Status.LAGGING
    assert r.remaining is None  # levels have a gap, not a remaining amount
    book.add("public-share", 40, as_of=dt.date(2023, 7, 31))
    assert row(synthetic_plan, book, "public-share", dt.date(2023, 7, 31)).status == Status.BEHIND
    book.add("public-share", 56, as_of=dt.date(2023, 8, 31))
    assert row(synthetic_plan, book, "public-share", dt.date(2023, 8, 31)).status == Status.DONE


def test_level_rolls_up_as_weighted_ratio_not_average(synthetic_plan):
    book = Book()
    book.add("public-share", 40, county="椒江区", num=400, den=1000)
    book.add("public-share", 80, county="黄岩区", num=80, den=100)
    r = row(synthetic_plan, book, "public-share")
    assert r.actual == pytest.approx(43.6363636, rel=1e-6)  # 480/1100, not (40+80)/2 = 60
    assert r.rollup == "ratio"


def test_level_without_denominator_cannot_roll_up(synthetic_plan):
    book = Book()
    book.add("public-share", 40, county="椒江区", num=400, den=1000)
    book.add("public-share", 80, county="黄岩区")
    r = row(synthetic_plan, book, "public-share")
    assert r.actual is None and r.status == Status.NO_DATA
    assert notes(r)["cannot_roll_up"] == {"counties": ["黄岩区"]}


def test_falling_level(synthetic_plan):
    """A cap on a level with no date of its own (辍学率控制在2%以内) is kept over the year: within
    it in June is on track, not 完成 (the year can still break it); met at the year end. Over it
    is behind at once, by any number of points, as over a cap on a flow or a count is (8.7% against
    ≤1% read 滞后, yellow, as being within 10 points of it)."""
    book = Book()
    book.add("dropout-rate", 1.5)
    r = row(synthetic_plan, book, "dropout-rate")
    assert r.met and r.status == Status.ON_TRACK and r.completion == 1.0
    assert notes(r)["cap_kept"] == {"end": "2023-12-31"} and r.notes[0].warns is False
    assert row(synthetic_plan, book, "dropout-rate", dt.date(2023, 12, 30)).status == Status.ON_TRACK
    end = row(synthetic_plan, book, "dropout-rate", dt.date(2023, 12, 31))
    assert end.status == Status.DONE and "cap_kept" not in notes(end)
    book.add("dropout-rate", 2.5, as_of=dt.date(2023, 7, 31))
    r = row(synthetic_plan, book, "dropout-rate", dt.date(2023, 7, 31))
    assert not r.met and r.gap_pp == pytest.approx(0.5) and r.status == Status.BEHIND
    assert r.completion == pytest.approx(2 / 2.5)


# --------------------------------------------------------------------------- counties, milestones


def test_five_of_nine_counties_meets_half(synthetic_plan):
    book = Book()
    for c in COUNTIES[:5]:
        book.add("counselling-counties", county=c, state="done")
    for c in COUNTIES[5:7]:
        book.add("counselling-counties", county=c, state="in-progress")
    r = row(synthetic_plan, book, "counselling-counties")
    assert r.met and r.status == Status.DONE
    assert r.actual == pytest.approx(500 / 9)
    assert r.qualifying == tuple(COUNTIES[:5])


def test_four_of_nine_counties_is_not_half(synthetic_plan):
    book = Book()
    for c in COUNTIES[:4]:
        book.add("counselling-counties", county=c, state="done")
    r = row(synthetic_plan, book, "counselling-counties")
    assert not r.met and r.status != Status.DONE and r.actual == pytest.approx(400 / 9)


def test_county_count_indicator(synthetic_plan):
    book = Book()
    for c in COUNTIES[:6]:
        book.add("standard-counties", county=c, state="done")
    r = row(synthetic_plan, book, "standard-counties")
    assert r.actual == 6 and r.status == Status.DONE
    book.add("standard-counties", county=COUNTIES[0], state="in-progress", as_of=dt.date(2023, 7, 1))
    r = row(synthetic_plan, book, "standard-counties", dt.date(2023, 7, 1))
    assert r.actual == 5 and r.status != Status.DONE  # the latest state of each county counts


@pytest.mark.parametrize("state, status", [("done", Status.DONE), ("in-progress", Status.ON_TRACK),
                                           ("not-started", Status.BEHIND)])
def test_milestones(synthetic_plan, state, status):
    book = Book()
    book.add("platform-online", state=state)
    assert row(synthetic_plan, book, "platform-online").status == status


def test_not_started_early_in_the_year_is_only_lagging(synthetic_plan):
    book = Book()
    book.add("platform-online", state="not-started", as_of=dt.date(2023, 1, 20))
    assert row(synthetic_plan, book, "platform-online", dt.date(2023, 1, 20)).status == Status.LAGGING


def test_county_scope_without_county_targets_invents_none(synthetic_plan):
    """The plan splits no target by county: a county's figure is shown, never judged against
    the city's target or an equal ninth of it (issue #11; it used to be)."""
    book = Book()
    book.add("public-share", 60, county="椒江区", num=600, den=1000)
    book.add("public-share", 30, county="黄岩区", num=300, den=1000)
    book.add("incidents", 1, county="椒江区")
    book.add("incidents", 3, county="黄岩区")
    for county in ("椒江区", "黄岩区"):
        r = row(synthetic_plan, book, "public-share", county=county)
        assert r.status == Status.NOT_JUDGED and r.target is None and r.actual in (60, 30)
        assert "no_county_target" in notes(r)
    places = row(synthetic_plan, book, "incidents", county="椒江区")
    assert places.status == Status.NOT_JUDGED and places.target is None
    assert places.share_of_city == pytest.approx(0.25)  # 1 of the city's 4
    assert notes(places)["no_county_target"]["share"] == pytest.approx(0.25)
    assert row(synthetic_plan, book, "public-share", county="三门县").status == Status.NO_DATA


def test_threshold_comes_from_the_plan(tmp_path):
    from conftest import SYNTHETIC_PLAN
    from eduplan.store.planfile import load_plan

    path = tmp_path / "p.toml"
    path.write_text(SYNTHETIC_PLAN.replace("lagging_pp = 10.0", "lagging_pp = 2.0"), encoding="utf-8")
    plan = load_plan(path)
    book = Book()
    book.add("public-share", 55)
    assert row(plan, book, "public-share").status == Status.LAGGING  # 1 point ≤ 2
    book.add("new-kindergartens", 11)  # 44% vs 49.6%: 5.6 points > 2
    assert row(plan, book, "new-kindergartens").status == Status.BEHIND


# --------------------------------------------------------------------------- properties

values = st.integers(min_value=0, max_value=100)


@settings(max_examples=200)
@given(a=values, b=values, day=st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2023, 12, 31)))
def test_more_done_is_never_worse(mplan, a, b, day):
    lo, hi = sorted((a, b))
    rank = {Status.DONE: 0, Status.ON_TRACK: 1, Status.LAGGING: 2, Status.BEHIND: 3}
    for indicator, better in (("new-kindergartens", hi), ("incidents", lo)):
        worse = lo if better == hi else hi
        rows = []
        for v in (better, worse):
            book = Book()
            book.add(indicator, v, as_of=day)
            rows.append(row(mplan, book, indicator, day))
        assert rank[rows[0].status] <= rank[rows[1].status]
        assert rows[0].completion >= rows[1].completion


@settings(max_examples=100)
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6)),
                min_size=1, max_size=9))
def test_ratio_rollup_is_sum_of_numerators_over_sum_of_denominators(mplan, pairs):
    book = Book()
    pairs = [(min(n, d), d) for n, d in pairs]
    for (n, d), county in zip(pairs, COUNTIES):
        book.add("public-share", 100 * n / d, county=county, num=n, den=d)
    r = row(mplan, book, "public-share")
    assert r.actual == pytest.approx(100 * sum(n for n, _ in pairs) / sum(d for _, d in pairs))
    shares = [100 * n / d for n, d in pairs]
    assert min(shares) - 1e-9 <= r.actual <= max(shares) + 1e-9


@settings(max_examples=100)
@given(st.lists(st.tuples(st.sampled_from(COUNTIES), st.integers(min_value=0, max_value=1000),
                          st.integers(min_value=1, max_value=12)), min_size=1, max_size=30), st.randoms())
def test_flow_rollup_is_order_independent_and_sums_latest(mplan, figures, rnd):
    book = Book()
    for county, value, month in figures:
        book.add("new-kindergartens", value, county=county, as_of=dt.date(2023, month, 28))
    expected: dict[str, tuple] = {}
    for e in book.entries:  # the latest as_of per county; a later record breaks ties
        if e.county not in expected or (e.as_of, e.id) >= expected[e.county][:2]:
            expected[e.county] = (e.as_of, e.id, e.value)
    end = dt.date(2023, 12, 31)
    r = row(mplan, book, "new-kindergartens", end)
    assert r.actual == sum(v for _, _, v in expected.values())
    shuffled = list(book.entries)
    rnd.shuffle(shuffled)
    assert latest(surviving(shuffled), end) == latest(surviving(book.entries), end)


def test_summary_counts_every_row(synthetic_plan):
    book = Book()
    book.add("new-kindergartens", 13)
    book.add("public-share", 30)
    report = status_report(synthetic_plan, book.entries, JUNE30)
    assert sum(report.summary.values()) == len(report.rows) == len(synthetic_plan.indicators)
    assert report.summary["on_track"] == 1 and report.summary["behind"] == 1
    assert report.summary["no_data"] == len(synthetic_plan.indicators) - 2


def test_counties_still_needed_are_counted_in_counties(synthetic_plan):
    book = Book()
    for c in COUNTIES[:2]:
        book.add("counselling-counties", county=c, state="done")
    book.add("standard-counties", county=COUNTIES[0], state="done")
    share = row(synthetic_plan, book, "counselling-counties")
    assert share.remaining == 3  # 50% of 9 counties is 5; 2 are done
    count = row(synthetic_plan, book, "standard-counties")
    assert count.remaining == 5
    assert share.monthly_needed == pytest.approx(3 / months_left(synthetic_plan.plan, JUNE30))


@settings(max_examples=60)
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=200), st.sampled_from([None, *COUNTIES]),
                          st.integers(min_value=0, max_value=10**4), st.sampled_from([None, "done", "in-progress", "not-started"]),
                          st.integers(min_value=1, max_value=12)), max_size=40))
def test_the_county_grid_judges_each_county_as_a_status_for_that_county_does(mplan, figures):
    # (the grid judges an indicator's counties from the county figures of its city row, made once)
    from eduplan.core.progress import in_period, judge

    book = Book()
    indicators = [i for i in mplan.indicators]
    for k, county, value, state, month in figures:
        ind = indicators[k % len(indicators)]
        day = dt.date(2023, month, 28)
        if ind.measure.value in ("milestone", "counties"):
            book.add(ind.id, county=county, as_of=day, state=state or "done")
        else:
            book.add(ind.id, value, county=county, as_of=day)
    report = status_report(mplan, book.entries, JUNE30, with_counties=True)
    entries = in_period(mplan, latest(surviving(book.entries), JUNE30))  # what status_report judges from
    assert report.by_county
    for ind_id, cells in report.by_county.items():
        ind = mplan.indicator(ind_id)
        for county, cell in cells.items():
            assert cell == judge(ind, mplan, entries, JUNE30, county)


def test_a_count_of_counties_on_an_older_city_wide_figure_says_so(synthetic_plan):
    """50% of the counties as of 31 December, city-wide, while the counties' states as of 31
    January say 3 of 9 are done: 完成 on the older figure, without the note a flow gets."""
    book = Book()
    book.add("counselling-counties", 55.6, as_of=dt.date(2023, 5, 31))
    for c in COUNTIES[:3]:
        book.add("counselling-counties", county=c, state="done")
    r = row(synthetic_plan, book, "counselling-counties")
    assert r.actual == 55.6 and notes(r)["city_older"] == {"city": "2023-05-31", "counties": "2023-06-30",
                                                             "rollup": "count"}
    assert "作废旧的全市数据，改按已完成的县计数" in note_text(next(n for n in r.notes if n.code == "city_older"), "zh")


def test_a_share_rolled_up_over_some_counties_is_not_judged_met_or_not(synthetic_plan):
    """One county's 6000/10200 (58.8%) read as the city's share: 完成 against ≥56% in status and
    the bulletin's 本月完成, with 8 counties still to report. A share over some counties may go
    either way: not judged (ratio_partial) until every county's is in, then judged as usual."""
    book = Book()
    book.add("public-share", 58.8, county=COUNTIES[0], num=6000, den=10200)
    r = row(synthetic_plan, book, "public-share")
    assert (r.status, round(r.actual, 1)) == (Status.NOT_JUDGED, 58.8)
    assert notes(r) == {"ratio_partial": {"reported": 1, "total": 9}}
    for c in COUNTIES[1:]:
        book.add("public-share", 58.8, county=c, num=600, den=1020)
    assert row(synthetic_plan, book, "public-share").status == Status.DONE


def test_a_level_met_before_it_is_due_is_on_track_until_its_date(synthetic_plan):
    """A share due at the autumn count (1 September) read 完成 from January on last year's 90.9%,
    and 滞后 once September's 83.3% came in: done, then not done. Met before its date it is on
    track (not yet due); on its date it is judged."""
    import dataclasses

    from eduplan.core.models import Pace, PaceKind

    ind = dataclasses.replace(synthetic_plan.by_id["public-share"], pace=Pace(PaceKind.DUE, date=dt.date(2023, 9, 1)))
    plan = dataclasses.replace(synthetic_plan, indicators=tuple(ind if i.id == ind.id else i
                                                                for i in synthetic_plan.indicators))
    book = Book()
    book.add("public-share", 60, as_of=dt.date(2023, 1, 31))  # city-wide: last year's count
    early = row(plan, book, "public-share", dt.date(2023, 1, 31))
    assert early.status == Status.ON_TRACK and notes(early) == {"not_yet_due": {"due": "2023-09-01"}}
    assert row(plan, book, "public-share", dt.date(2023, 9, 30)).status == Status.DONE  # 60% stands on the date
    book.add("public-share", 50, as_of=dt.date(2023, 9, 30))  # the autumn count
    assert row(plan, book, "public-share", dt.date(2023, 9, 30)).status == Status.LAGGING


def test_a_plain_target_with_a_known_baseline_is_judged_in_points_short(synthetic_plan):
    """≥56% due at the end of June, last year's 50% known (no 比上年 in the target): 55% on the due
    date is 1 point short, 滞后; it was judged by the share of the change made (5 of 6 points:
    '落后', 16.7 points behind), as if the target were stated against the baseline. Before the
    date, the path from 50% to 56% by now, in points."""
    import dataclasses

    from eduplan.core.models import Baseline, Pace, PaceKind

    ind = dataclasses.replace(synthetic_plan.by_id["public-share"], pace=Pace(PaceKind.DUE, date=dt.date(2023, 6, 30)),
                              baseline=Baseline(dt.date(2022, 12, 31), "synthetic", 50))
    assert ind.relative is None and ind.target == 56
    plan = dataclasses.replace(synthetic_plan, indicators=tuple(ind if i.id == ind.id else i
                                                                for i in synthetic_plan.indicators))
    book = Book()
    book.add("public-share", 55, as_of=dt.date(2023, 3, 31))
    due = row(plan, book, "public-share", dt.date(2023, 6, 30))
    assert due.status == Status.LAGGING and due.lag_pp == pytest.approx(1) and due.gap_pp == pytest.approx(1)
    march = row(plan, book, "public-share", dt.date(2023, 3, 31))  # the path: 50 + 6 × 90/181 = 52.98%
    assert march.status == Status.ON_TRACK
    book.add("public-share", 51, as_of=dt.date(2023, 4, 30))  # path 50 + 6 × 120/181 = 53.98%: 2.98 points short
    april = row(plan, book, "public-share", dt.date(2023, 4, 30))
    assert april.status == Status.LAGGING and april.lag_pp == pytest.approx(50 + 6 * 120 / 181 - 51)
