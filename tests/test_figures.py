"""How figures read for people: one number style in every format. SYNTHETIC figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from eduplan.core.models import Entry, State
from eduplan.core.numbers import format_number, parse_quantity
from eduplan.core.progress import judge
from eduplan.render.figures import amount, figure, number, per_month, scale_of, target_text, to_go, to_go_line
from eduplan.store.paths import bundled_plan_path
from eduplan.store.planfile import load_plan

from conftest import SYNTHETIC_PLAN
from helpers import TZ

JUNE = dt.date(2023, 6, 30)


def _entry(indicator: str, value, county=None, n=1) -> Entry:
    return Entry(n, indicator, JUNE, "tester", dt.datetime(2023, 7, 1, 9, tzinfo=TZ), county=county, value=value)


def _judged(plan, indicator: str, value):
    e = _entry(indicator, value)
    return judge(plan.by_id[indicator], plan, {(indicator, None): e}, JUNE)


def test_an_indicator_is_counted_in_the_plans_unit(synthetic_plan):
    # 3.5万个 in the plan: the actual, the target, what is left and the monthly rate all in 万
    p = _judged(synthetic_plan, "new-places", 21761)
    assert figure(p) == "2.18万/≥3.5万个"
    assert to_go(p, "zh") == "1.32万个"
    assert per_month(p, "zh") == "0.22万个"  # 13239 ÷ 6 months = 2206.5
    # 25所 in the plan: whole numbers, no 万
    assert figure(_judged(synthetic_plan, "new-kindergartens", 13)) == "13/≥25所"


def test_money_in_yi_and_no_thousands_separators():
    assert amount(5779000000, "元", 10**8) == "57.79亿元"
    assert amount(3868, "个") == "3868个"
    assert number(8300) == "8300" and format_number(21761) == "21761"
    assert "," not in format_number(123456789, "元")


def test_targets_carry_their_comparator(synthetic_plan):
    by_id = synthetic_plan.by_id
    assert target_text(by_id["new-kindergartens"]) == "≥25所"
    assert target_text(by_id["new-places"]) == "≥3.5万个"
    assert target_text(by_id["dropout-rate"]) == "≤2%"
    assert target_text(by_id["incidents"]) == "≤10起"
    assert target_text(by_id["standard-counties"]) == "≥6个县"  # a count of counties, in counties
    assert target_text(by_id["platform-online"]) == "完成" and target_text(by_id["platform-online"], lang="en") == "done"


def test_a_tiny_amount_is_not_shown_as_zero_wan():
    assert amount(30, "个", 10**4) == "30个"
    assert amount(0, "个", 10**4) == "0万个"


def test_a_figure_far_below_its_target_is_not_read_in_the_targets_unit(synthetic_plan):
    """45 beside a target of 90亿元 read as 45亿: a figure too small to show in the target's 万 or
    亿 carries its own measure word (and its own 万 where it has one)."""
    assert figure(_judged(synthetic_plan, "new-places", 1)) == "1个/≥3.5万个"
    assert figure(_judged(synthetic_plan, "new-places", 40)) == "40个/≥3.5万个"
    assert figure(_judged(synthetic_plan, "new-places", 60)) == "0.01万/≥3.5万个"  # shown in 万 (60 ≈ 0.01万)
    assert figure(_judged(synthetic_plan, "new-places", 0)) == "0万/≥3.5万个"


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=10**12))
@example(15_624_999_950, 15_624_999_951)
def test_the_actual_beside_a_target_reads_as_the_figure(actual, target):
    """However far apart the figure and the target, a reader of ``actual/≥target unit`` who takes a
    bare actual in the target's unit (its 万 or 亿 and measure word) gets the figure, to the last
    digit shown."""
    plan = _plan()
    p = _judged(plan, "new-places", actual)
    p = dataclasses.replace(p, target=target, met=actual >= target)
    shown_actual, shown_target = figure(p).split("/")
    assert shown_target.endswith("个")
    if shown_actual[0] in "<>":  # a miss too close to show apart in any digits: marked, on the right side
        assert (shown_actual[0] == "<") == (actual < target) and not p.met
        return
    q = parse_quantity(shown_actual)
    read = q.value
    if q.unit is None and "万" not in shown_actual and "亿" not in shown_actual:  # bare: read in the target's unit
        read *= 10**8 if "亿" in shown_target else 10**4 if "万" in shown_target else 1
    used = 10**8 if "亿" in shown_actual else 10**4 if "万" in shown_actual else 1
    assert abs(read - actual) <= Decimal(used) / 200


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([1, 10**4, 10**8]))
def test_what_is_read_is_the_figure_to_its_last_digit(value, scale):
    shown = number(value, scale)
    assert "," not in shown
    read = parse_quantity(shown).value
    used = max(scale, 10**8 if value >= 10**8 else 10**4 if value >= 10**4 else 1)
    half_digit = Decimal(used) / 200 if used > 1 else Decimal(0)
    assert abs(read - value) <= half_digit


@given(st.integers(min_value=1, max_value=35000 - 1))
def test_monthly_rate_is_what_is_left_over_the_months_left_as_shown(actual):
    """The footnote's arithmetic holds for what a reader sees: 还需 ÷ 6 = 每月, to the last digit shown."""
    plan = _plan()
    p = _judged(plan, "new-places", actual)
    left = float(parse_quantity(to_go(p, "zh")).value)
    rate = float(parse_quantity(per_month(p, "zh")).value)
    assert rate == pytest.approx(left / 6, abs=0.006 * 10**4 + 1e-9)
    assert scale_of(p.indicator) == 10**4


@functools.cache
def _plan():
    """The synthetic plan, loaded once (hypothesis runs a test many times in one fixture scope)."""
    folder = Path(tempfile.mkdtemp())
    (folder / "plan.toml").write_text(SYNTHETIC_PLAN, encoding="utf-8")
    return load_plan(folder / "plan.toml")


def test_a_county_without_a_target_of_its_own_says_so(synthetic_plan):
    """A county view shows the county's own target (任务分解), or says there is none: never the city's."""
    e = _entry("new-kindergartens", 3, county="椒江区")
    p = judge(synthetic_plan.by_id["new-kindergartens"], synthetic_plan, {("new-kindergartens", "椒江区"): e}, JUNE,
              "椒江区")
    import dataclasses

    none = dataclasses.replace(p, target=None)
    assert figure(none, "zh") == "3所（无分解目标）" and figure(none, "en") == "3所 (no county target)"
    assert "25" not in figure(p, "zh")  # never the city's 25所


def test_the_target_a_unit_works_to(synthetic_plan):
    import dataclasses

    from eduplan.render.figures import unit_target

    e = _entry("new-kindergartens", 3, county="椒江区")
    p = judge(synthetic_plan.by_id["new-kindergartens"], synthetic_plan, {("new-kindergartens", "椒江区"): e}, JUNE,
              "椒江区")
    assert unit_target(dataclasses.replace(p, target=None), "zh") == "无分解目标"
    assert unit_target(dataclasses.replace(p, target=4), "zh") == "≥4所"
    city = _judged(synthetic_plan, "new-kindergartens", 13)
    assert unit_target(city, "zh") == "≥25所"
    s = Entry(2, "counselling-counties", JUNE, "tester", e.recorded_at, county="椒江区", state=State.DONE)
    state = judge(synthetic_plan.by_id["counselling-counties"], synthetic_plan, {("counselling-counties", "椒江区"): s},
                  JUNE, "椒江区")
    assert unit_target(state, "zh") == "—"  # a county's state: done or not, no share of 50% of its own


def test_a_cap_has_nothing_still_to_do(synthetic_plan):
    """安全事故 ≤10起 is a budget: 2 of them is 8 under the cap, not '8 still to do' (还需8起 read
    as eight more incidents wanted); 13 is 3 over it."""
    within = _judged(synthetic_plan, "incidents", 2)
    assert (within.remaining, within.headroom, within.over) == (None, 8, None)
    assert to_go_line(within, "zh") == "距上限8起" and to_go_line(within, "en") == "8起 under the cap"
    assert to_go(within, "zh") == "—"
    over = _judged(synthetic_plan, "incidents", 13)
    assert (over.remaining, over.headroom, over.over) == (None, None, 3)
    assert to_go_line(over, "zh") == "超出上限3起" and to_go(over, "zh") == "超出3起"
    assert to_go_line(_judged(synthetic_plan, "incidents", 10), "zh") == "已达上限"


def test_a_figure_to_stay_below_its_baseline_is_told_against_the_baseline():
    """学生非正常死亡人数, to be lower than last year's 12: 4 is 8 below it, never 还需8人."""
    plan = load_plan(bundled_plan_path())
    ind = plan.by_id["student-abnormal-deaths"]
    base = Entry(1, ind.id, plan.plan.start - dt.timedelta(days=1), "tester", dt.datetime(2023, 1, 5, tzinfo=TZ), value=12)
    for actual, line in ((4, "比基数少8人"), (12, "未低于基数"), (15, "比基数多3人")):
        e = _entry(ind.id, actual, n=2)
        p = judge(ind, plan, {(ind.id, None): e}, JUNE, baselines={ind.id: base})
        assert to_go_line(p, "zh") == line, (actual, p)
        assert "还需" not in to_go_line(p, "zh") and p.remaining is None


@given(st.floats(min_value=0, max_value=50, allow_nan=False), st.sampled_from([0, 1]))
def test_a_percentage_never_says_whole_or_nothing_when_it_is_not(ratio, digits):
    """55.9% of a ≥56% target is 99.8% done: shown as 100% it sat beside a 滞后 light. Shares are
    rounded half up (四舍五入), but never to 100% below the whole nor to 0% above nothing."""
    from eduplan.render.figures import pct

    shown = pct(ratio, digits)
    if ratio < 1:
        assert shown not in ("100%", "100.0%"), (ratio, shown)
    if ratio > 0:
        assert shown not in ("0%", "0.0%"), (ratio, shown)
    if not shown.startswith("<"):
        assert abs(Decimal(shown[:-1]) - Decimal(repr(ratio)) * 100) <= Decimal("0.5").scaleb(-digits) + Decimal("1e-9")


def test_percentages_round_half_up():
    from eduplan.render.figures import pct

    assert pct(1.925) == "193%" and pct(0.1925, 1) == "19.3%" and pct(0.4965, 1) == "49.7%"
    assert pct(0.998) == "99.8%" and pct(1.0) == "100%" and pct(0.003) == "0.3%" and pct(0) == "0%"


def test_a_figure_that_misses_its_target_never_reads_as_the_target(synthetic_plan):
    """55.96% against ≥56% is not met: shown as 56%/≥56% beside a 滞后 light it would lie; it gets
    the decimals that tell it apart (and so does 3.4996万 against ≥3.5万)."""
    share = _judged(synthetic_plan, "public-share", 55.96)
    assert share.met is False and figure(share).startswith("55.96%/")
    places = _judged(synthetic_plan, "new-places", 34996)
    assert places.met is False and figure(places) == "3.4996万/≥3.5万个"
    assert figure(_judged(synthetic_plan, "new-places", 35000)) == "3.5万/≥3.5万个"


@given(st.floats(min_value=55.9, max_value=56.1, allow_nan=False) | st.floats(min_value=0, max_value=100, allow_nan=False))
@example(55.96)
@example(55.99999)
@example(55.999999999)
def test_a_share_short_of_its_target_is_shown_short_of_it(actual):
    p = _judged(_plan(), "public-share", actual)
    shown_actual, shown_target = figure(p).split("/")
    if p.met is False:
        assert shown_actual != shown_target.lstrip("≥"), (actual, figure(p))


def test_a_county_figure_without_a_county_target_carries_its_unit_once(synthetic_plan):
    """'1人次人次（无分解目标）': a small figure already carries its unit."""
    plan = load_plan(bundled_plan_path())
    ind = plan.by_id["vocational-training"]  # 人次, a city target in 万, no county targets
    p = judge(ind, plan, {(ind.id, "黄岩区"): _entry(ind.id, 1, county="黄岩区")}, JUNE, "黄岩区")
    shown = figure(p)
    assert shown.count("人次") == 1, shown


def test_a_figure_equal_to_a_strict_cap_is_shown_as_it_is():
    """12 against 'below the baseline of 12' is not met, and was shown as '>12/‹12人'."""
    plan = load_plan(bundled_plan_path())
    ind = plan.by_id["student-abnormal-deaths"]
    base = Entry(1, ind.id, plan.plan.start - dt.timedelta(days=1), "tester", dt.datetime(2023, 1, 5, tzinfo=TZ), value=12)
    p = judge(ind, plan, {(ind.id, None): _entry(ind.id, 12, n=2)}, JUNE, baselines={ind.id: base})
    assert p.met is False and figure(p).startswith("12/")


def test_a_percentage_over_its_cap_is_said_to_be_over_it(synthetic_plan):
    """辍学率 ≤2% at 2.5% read '差0.5个百分点' (short by), as if 0.5 points more were wanted; and a
    0.04-point miss read '差0.0个百分点'."""
    over = _judged(synthetic_plan, "dropout-rate", 2.5)
    assert to_go_line(over, "zh") == "超出上限0.5个百分点" and to_go(over, "zh") == "超出0.5个百分点"
    assert to_go_line(over, "en") == "0.5 points over the cap"
    short = _judged(synthetic_plan, "public-share", 55.96)
    assert to_go_line(short, "zh") == "差0.04个百分点"


def test_a_figure_at_a_baseline_it_must_stay_below_is_not_100_percent():
    """12 against 'below last year's 12' is not met: it read 100% beside ✖ 落后."""
    plan = load_plan(bundled_plan_path())
    ind = plan.by_id["student-abnormal-deaths"]
    base = Entry(1, ind.id, plan.plan.start - dt.timedelta(days=1), "tester", dt.datetime(2023, 1, 5, tzinfo=TZ), value=12)
    at = judge(ind, plan, {(ind.id, None): _entry(ind.id, 12, n=2)}, JUNE, baselines={ind.id: base})
    assert at.met is False and at.completion is None and at.status.value == "behind"
    below = judge(ind, plan, {(ind.id, None): _entry(ind.id, 10, n=2)}, JUNE, baselines={ind.id: base})
    assert below.met is True and below.completion == 1.0


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(0, 2**53), st.decimals(0, 10**9, places=4, allow_nan=False).map(float)),
       st.sampled_from(["", "个", "元", "人次", "%"]))
def test_a_stored_figure_is_shown_so_that_it_reads_back_as_itself(value, unit):
    """What record, log, show and a template's prefill say of a stored figure is the figure:
    57.14285% was shown as 57.1%, 15000.25元 as 15000.2元."""
    from decimal import Decimal

    from eduplan.core.numbers import parse_quantity
    from eduplan.render.figures import exact

    if unit == "%" and value > 100:
        value = value % 100
    shown = exact(value, unit)
    assert parse_quantity(shown).value == Decimal(repr(value)), shown


def test_a_level_above_a_cap_that_applies_later_has_a_way_to_come_down_not_a_cap_exceeded(synthetic_plan):
    """≤2% from 31 October, 2.5% in June: 正常 beside 超出上限0.5个百分点 read as a light and a
    line that disagree. Before the cap applies it is the way still to come down."""
    from eduplan.core.models import Pace, PaceKind

    ind = dataclasses.replace(synthetic_plan.by_id["dropout-rate"], pace=Pace(PaceKind.DUE, date=dt.date(2023, 10, 31)))
    plan = dataclasses.replace(synthetic_plan, indicators=tuple(ind if i.id == ind.id else i
                                                                for i in synthetic_plan.indicators))
    early = _judged(plan, "dropout-rate", 2.5)
    assert early.status.value == "on_track"
    assert to_go_line(early, "zh") == "在上限适用前需降低0.5个百分点" and to_go(early, "zh") == "需降低0.5个百分点"
    assert to_go_line(early, "en") == "0.5 points to come down by the date the cap applies"


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_a_ratios_share_is_shown_as_a_share_beside_its_exact_parts(a, b):
    """12000/21000 was said back as 57.142857142857146%（1.2万/2.1万） by record, log and the
    bulletin: the share is what the parts make, and they are what was typed."""
    from eduplan.render.figures import stored_value

    num, den = min(a, b), max(a, b)
    e = Entry(1, "public-kindergarten-share", dt.date(2023, 6, 30), "tester", dt.datetime(2023, 7, 1, tzinfo=TZ),
              value=num * 100 / den, numerator=num, denominator=den)
    shown = stored_value(e, "%", "zh")
    share, parts = shown.split("（")
    assert share == format_number(num * 100 / den, "%") and len(share) < 10
    n, d = parts.rstrip("）").split("/")
    assert (parse_quantity(n).value, parse_quantity(d).value) == (num, den)


@given(st.integers(0, 10**7), st.sampled_from([1, 10**4, 10**8]))
def test_a_shown_amount_is_rounded_half_up_on_the_number_as_written(n, scale):
    """1.825万 (18250) read 1.82万 in the markdown bulletin and 1.83万 in its workbook; 2.525万
    read 2.52万 and 0.775万 0.78万: the binary value was rounded, not the number. Every amount
    is now rounded as people round (四舍五入), the same in every format."""
    from decimal import ROUND_HALF_UP

    digits = 2 if scale > 1 else 1
    n = n % 9999 if scale == 1 else n % 999_999 if scale == 10**4 else n  # (under the next unit)
    value = (n * 10 + 5) * scale / 10 ** (digits + 1)  # a last digit of 5, one place past what is shown
    expected = Decimal(repr(value / scale)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    shown = number(value, scale)
    word = {10**4: "万", 10**8: "亿"}.get(scale, "")
    assert shown.endswith(word), (value, shown)
    assert Decimal(shown.removesuffix(word) if word else shown) == expected, (value, shown)


@given(st.integers(3, 300), st.data())
def test_a_share_of_units_typed_as_a_count_is_said_as_a_share(n, data):
    """4个 of 12 townships was said back as 33.333333333333336% by import, log and the
    bulletin's appendices (the share the count makes, which nobody typed): it reads 33.3%."""
    from eduplan.render.figures import exact

    k = data.draw(st.integers(1, n - 1))
    share = k * 100 / n
    shown = exact(share, "%")
    if len(repr(share)) >= 12:  # more decimals than anyone types: said as a share is said
        assert shown == format_number(share, "%"), shown
    else:  # 3.125% (1 of 32) is said as it is
        assert parse_quantity(shown).value == Decimal(repr(share)), shown


@pytest.mark.parametrize(("done", "expected", "shown"), [
    (0.0367, 0.04, ("3.7%", "4.0%")),  # 滞后 beside 4% and 4% read as a light that lies
    (0.0799, 0.08, ("7.99%", "8.00%")),
    (0.5, 0.5, ("50%", "50%")),  # equal: equal
    (0.52, 0.4, ("52%", "40%")),
    (None, 0.4, ("—", "40%")),
    (0.3, None, ("30%", "—")),
])
def test_done_and_expected_read_apart_where_they_are_apart(done, expected, shown):
    from types import SimpleNamespace

    from eduplan.render.figures import done_and_expected

    assert done_and_expected(SimpleNamespace(done_share=done, expected=expected)) == shown
