"""Reporting months: the plan's 17 months from 2020-08 to 2021-12."""
from datetime import date

import pytest

from liubao_desktop.domain.periods import Period, default_period, periods_between, plan_periods

PLAN_FROM = date(2020, 8, 1)
PLAN_TO = date(2021, 12, 31)


def test_a_period_is_written_as_year_dash_month_and_shown_in_chinese() -> None:
    p = Period.parse("2020-09")
    assert p == Period(2020, 9)
    assert str(p) == "2020-09"
    assert p.label == "2020年9月"


@pytest.mark.parametrize("text", ["2020-9", " 2020-09 ", "2020/09", "2020年9月", "２０２０－０９", "2020 年 9 月"])
def test_common_ways_of_writing_a_month_are_understood(text: str) -> None:
    assert Period.parse(text) == Period(2020, 9)


def test_parse_round_trips_str_and_label() -> None:
    for p in plan_periods(PLAN_FROM, PLAN_TO):
        assert Period.parse(str(p)) == p
        assert Period.parse(p.label) == p


@pytest.mark.parametrize("text", ["", "2020", "2020-13", "2020-00", "20-09", "九月", "2020-09-01", "abc"])
def test_bad_text_gets_a_clear_chinese_message(text: str) -> None:
    with pytest.raises(ValueError, match="报告期|月份"):
        Period.parse(text)


def test_month_13_is_refused_when_built_directly() -> None:
    with pytest.raises(ValueError, match="月份应在 1 到 12 之间"):
        Period(2020, 13)


def test_periods_sort_chronologically_and_are_hashable() -> None:
    months = [Period(2021, 1), Period(2020, 12), Period(2020, 9)]
    assert sorted(months) == [Period(2020, 9), Period(2020, 12), Period(2021, 1)]
    assert Period(2020, 12) < Period(2021, 1)
    assert {Period(2020, 9): "x"}[Period.parse("2020-09")] == "x"


def test_first_and_last_day_including_leap_february() -> None:
    assert Period(2020, 9).first_day == date(2020, 9, 1)
    assert Period(2020, 9).last_day == date(2020, 9, 30)
    assert Period(2020, 2).last_day == date(2020, 2, 29)
    assert Period(2021, 2).last_day == date(2021, 2, 28)
    assert Period(2020, 12).last_day == date(2020, 12, 31)


def test_next_and_prev_cross_the_year_boundary() -> None:
    assert Period(2020, 12).next() == Period(2021, 1)
    assert Period(2021, 1).prev() == Period(2020, 12)
    assert Period(2020, 9).next().prev() == Period(2020, 9)


def test_from_date() -> None:
    assert Period.from_date(date(2020, 9, 17)) == Period(2020, 9)


def test_the_plan_has_17_reporting_months() -> None:
    months = plan_periods(PLAN_FROM, PLAN_TO)
    assert len(months) == 17
    assert months[0] == Period(2020, 8)
    assert months[-1] == Period(2021, 12)
    assert months == sorted(set(months))


def test_partial_months_at_both_ends_count() -> None:
    assert periods_between(date(2020, 8, 15), date(2020, 10, 2)) == [Period(2020, 8), Period(2020, 9), Period(2020, 10)]
    assert periods_between(date(2020, 9, 30), date(2020, 9, 30)) == [Period(2020, 9)]


def test_an_empty_range_has_no_months() -> None:
    assert periods_between(date(2020, 9, 1), date(2020, 8, 31)) == []


def test_the_default_month_is_the_latest_with_data_else_the_first() -> None:
    assert default_period(PLAN_FROM, PLAN_TO) == Period(2020, 8)
    assert default_period(PLAN_FROM, PLAN_TO, [Period(2020, 9), Period(2020, 11), Period(2020, 10)]) == Period(2020, 11)
    # Stray data outside the plan's months does not move the window there.
    assert default_period(PLAN_FROM, PLAN_TO, [Period(2022, 3), Period(2020, 9)]) == Period(2020, 9)
