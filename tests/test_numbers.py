"""The number reader: the way the document and staff write figures."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from eduplan.core.numbers import (
    days_in_month,
    NumberError, find_quantities, format_number, parse_date, parse_month, parse_quantity, parse_ratio,
    parse_state, to_plain,
)


@pytest.mark.parametrize("text, value, percent", [
    ("12", 12, False), ("1,234", 1234, False), ("3.5万", 35000, False), ("90亿", 9_000_000_000, False),
    ("90亿元", 9_000_000_000, False), ("56%", 56, True), ("56", 56, False), ("110余", 110, False),
    ("110余名", 110, False), ("10万人次", 100_000, False), ("2.9万人", 29000, False), ("54个以上", 54, False),
    (" 7000个 ", 7000, False), ("１２", 12, False), ("56％", 56, True), ("0.5", Decimal("0.5"), False),
    ("达90%", 90, True), ("1.1万", 11000, False),
])
def test_reads_what_staff_type(text, value, percent):
    q = parse_quantity(text)
    assert q.value == value and q.percent == percent


@pytest.mark.parametrize("text", ["abc", "nan", "inf", "-inf", "1e999", "1e3", "", "  ", "-5", "12abc", "3.5万%",
                                  "9" * 40, "0x10", "1,23", "12 34", "NaN%"])
def test_refuses_what_is_not_a_figure(text):
    with pytest.raises(NumberError):
        parse_quantity(text)


def test_ratio():
    r = parse_ratio("12000/21000")
    assert (r.numerator, r.denominator) == (12000, 21000)
    assert parse_ratio("1.2万/2.1万").numerator == 12000
    assert parse_ratio("56") is None
    for bad in ("1/0", "5/4", "1/2/3", "50%/100", "a/b"):
        with pytest.raises(NumberError):
            parse_ratio(bad)


def test_states():
    assert parse_state("完成") == parse_state("done") == parse_state("DONE") == "done"
    assert parse_state("进行中") == parse_state("in-progress") == "in-progress"
    assert parse_state("未开始") == parse_state("not-started") == "not-started"
    assert parse_state("12") is None


def test_find_quantities_in_source_phrases():
    assert find_quantities("新增幼儿学位7000个") == [7000]
    assert find_quantities("投资90亿元") == [9_000_000_000]
    assert find_quantities("新增各类学位3.5万个") == [35000]
    assert find_quantities("推动50%县(市、区)") == [50]


def test_dates():
    import datetime as dt

    assert parse_date("2023-06-30") == parse_date("2023/6/30") == parse_date("2023年6月30日") == dt.date(2023, 6, 30)
    assert parse_date("2023.6.30") == parse_date("２０２３年６月３０日") == parse_date("2023年6月30号") == dt.date(2023, 6, 30)
    for bad in ("2023-02-30", "yesterday", "30/06/2023", "2023-13-01", "6-30", "6/30", "2023年6月31日"):
        with pytest.raises(NumberError):
            parse_date(bad, 2023)
    assert parse_month("2023-06") == parse_month("2023年6月") == (2023, 6)
    with pytest.raises(NumberError):
        parse_month("2023-13")


@pytest.mark.parametrize("text, expected", [
    ("6月30日", (2023, 6, 30)), ("六月三十日", (2023, 6, 30)), ("2023年6月底", (2023, 6, 30)), ("6月底", (2023, 6, 30)),
    ("2月末", (2023, 2, 28)), ("上半年末", (2023, 6, 30)), ("年底", (2023, 12, 31)), ("2024年底", (2024, 12, 31)),
    ("三季度末", (2023, 9, 30)), ("第一季度末", (2023, 3, 31)), ("十二月三十一日", (2023, 12, 31)),
])
def test_short_dates_take_the_plans_year(text, expected):
    import datetime as dt

    assert parse_date(text, 2023) == dt.date(*expected)


@pytest.mark.parametrize("text", ["6月30日", "6月底", "上半年末", "年底"])
def test_short_dates_without_a_year_to_take_are_refused(text):
    with pytest.raises(NumberError):
        parse_date(text)


def test_months_as_staff_write_them():
    assert parse_month("6月", 2023) == parse_month("六月", 2023) == parse_month("2023.6") == (2023, 6)
    for bad in ("6月", "13月", "0月"):
        with pytest.raises(NumberError):
            parse_month(bad, None if bad == "6月" else 2023)


def test_the_measure_word_typed_is_kept():
    assert parse_quantity("12亿元").unit == "元"
    assert parse_quantity("800人").unit == "人"
    assert parse_quantity("10万人次").unit == "人次"
    assert parse_quantity("56%").unit is None and parse_quantity("7").unit is None


amounts = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)


@given(amounts)
def test_plain_digits_round_trip(value):
    assert parse_quantity(format(value, "f")).value == value


@given(st.decimals(min_value=0, max_value=10**7, places=2))
def test_wan_and_yi_round_trip(value):
    assert parse_quantity(f"{format(value, 'f')}万").value == value * 10**4
    assert parse_quantity(f"{format(value, 'f')}亿元").value == value * 10**8


@given(st.integers(min_value=0, max_value=10**15))
def test_grouped_digits_round_trip(value):
    assert parse_quantity(f"{value:,}").value == value


@given(st.one_of(st.integers(min_value=0, max_value=10**13),
                 st.decimals(min_value=0, max_value=10**6, places=1).map(lambda d: float(d))))
def test_what_is_shown_reads_back(value):
    """A figure as the tool shows it (3.5万, 90亿元, 12345) reads back as the same number."""
    for unit in ("", "个", "元", "人次"):
        shown = format_number(value, unit)
        assert float(parse_quantity(shown).value) == pytest.approx(value, rel=1e-9, abs=0.05)


def test_too_large_to_hold_exactly_is_refused():
    with pytest.raises(NumberError, match="too large"):
        parse_quantity("1000000000亿")


@given(st.decimals(min_value=0, max_value=10**9, places=4))
def test_to_plain_is_exact(value):
    plain = to_plain(value)
    assert Decimal(str(plain)) == value


@given(st.integers(1, 9999), st.integers(-3, 15))
def test_days_in_month_is_the_calendars(year, month):
    import calendar

    if 1 <= month <= 12:
        assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
    else:
        with pytest.raises(ValueError):
            days_in_month(year, month)


@pytest.mark.parametrize("value, shown", [
    (55.96, "55.96%"),  # as typed: never 56% beside a target of ≥56%
    (99.999, "99.999%"), (0.004, "0.004%"),  # never all or nothing
    (57.142857142857146, "57.1%"),  # a ratio's share, as before
    (56, "56%"), (100, "100%"), (0, "0%"),
])
def test_a_stored_percentage_is_shown_as_typed_and_never_as_all_or_nothing(value, shown):
    """log, show and the confirmations showed 99.999% as 100%, 0.004% as 0% and 55.96% as 56%."""
    assert format_number(value, "%") == shown
