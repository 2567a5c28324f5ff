"""完成率, 序时进度 and status as a district office sees them at the end of a reporting month."""
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

import pytest

from liubao_desktop.domain import figures
from liubao_desktop.domain.figures import BLANK, FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.domain.plan import KIND_CUMULATIVE, KIND_DONE, KIND_RATE, KIND_STOCK, Target
from liubao_desktop.domain.progress import (
    DONE,
    GREEN,
    NOT_APPLICABLE,
    NOT_STARTED,
    OVERDUE,
    RED,
    STATUS_COLORS,
    STATUS_ORDER,
    YELLOW,
    TargetProgress,
    Thresholds,
    actual_to_date,
    completion_rate,
    deadline_passed,
    describe_pace,
    evaluate_target,
    expected_to_date,
    measure_status,
    pace_points,
    target_status,
    worst_status,
)
from liubao_desktop.domain.quantities import entry_unit_for, format_percent, split_unit
from liubao_desktop.domain.rules import read_figure

D = Decimal
PLAN_START = date(2020, 8, 1)
PLAN_END = date(2021, 12, 31)
END_2020 = date(2020, 12, 31)
SEP = Period(2020, 9)


def make_target(
    value: str | None,
    unit: str | None,
    *,
    comparator: str = ">=",
    kind: str = KIND_CUMULATIVE,
    deadline: date | None = END_2020,
    code: str = "1.3.1",
) -> Target:
    if value is None or unit is None:
        base_value, base_unit, entry = None, None, "%"
    else:
        scale, base_unit = split_unit(unit)
        base_value, entry = D(value) * scale, entry_unit_for(unit)
    return Target(
        code=code,
        label=code,
        value=None if value is None else D(value),
        unit=unit,
        base_value=base_value,
        base_unit=base_unit,
        comparator=comparator,
        kind=kind,
        deadline=deadline,
        source=code,
        entry_unit=entry,
    )


def typed(target: Target, by_month: Mapping[str, str]) -> dict[Period, FigureValue]:
    """Figures as a clerk types them in the entry unit, stored in base units — as the services will do."""
    return {Period.parse(month): read_figure(target, text) for month, text in by_month.items()}


def evaluate(
    target: Target,
    by_month: Mapping[str, str],
    as_of: Period = SEP,
    *,
    local: Decimal | None = None,
    thresholds: Thresholds | None = None,
) -> TargetProgress:
    return evaluate_target(
        target,
        typed(target, by_month),
        as_of,
        plan_start=PLAN_START,
        plan_end=PLAN_END,
        local_target_base=local,
        thresholds=thresholds or Thresholds(),
    )


EMPLOYMENT = make_target("1.4", "万人")  # 援助就业困难人员就业1.4万人 (in 2020)


# --- the headline story -------------------------------------------------------------------------------------------


def test_a_clerk_types_1523_for_september_against_1_4_wan_and_sees_10_9_percent() -> None:
    progress = evaluate(EMPLOYMENT, {"2020-09": "1523"})
    assert progress.local_target == 14000
    assert progress.actual == FigureValue.of(D(1523))
    assert format_percent(progress.completion) == "10.9%"
    # Aug..Dec is the target's window: by the end of September 2 of 5 months have passed.
    assert progress.expected == D("0.4")
    assert progress.pace_text == "慢于序时 29.1 个百分点"
    assert progress.status == RED
    assert progress.deadline == END_2020


def test_the_same_figure_against_the_whole_plan_period_is_only_slightly_behind() -> None:
    open_ended = make_target("1.4", "万人", deadline=None)
    progress = evaluate(open_ended, {"2020-09": "1523"})
    assert progress.deadline == PLAN_END
    assert format_percent(progress.expected) == "11.8%"  # 2 of 17 months
    assert progress.pace_text == "慢于序时 0.9 个百分点"
    assert progress.status == YELLOW


def test_monthly_figures_add_up_and_later_months_do_not_leak_into_an_earlier_report() -> None:
    figs = {"2020-08": "4000", "2020-09": "2,500", "2020-10": "3000"}
    progress = evaluate(EMPLOYMENT, figs, as_of=SEP)
    assert progress.actual.number == 6500
    assert progress.status == GREEN  # 46.4% against 40% 序时
    assert progress.pace_text == "快于序时 6.4 个百分点"
    assert evaluate(EMPLOYMENT, figs, as_of=Period(2020, 10)).actual.number == 9500


def test_a_local_target_replaces_the_city_target() -> None:
    # The district's share of the city's 1.4万人 is 1500 people.
    progress = evaluate(EMPLOYMENT, {"2020-09": "1523"}, local=D(1500))
    assert progress.local_target == 1500
    assert format_percent(progress.completion) == "101.5%"  # over-achievement is shown, not capped
    assert progress.status == DONE


# --- blank vs 0 vs 不适用 -------------------------------------------------------------------------------------------


def test_blank_zero_and_not_applicable_give_three_different_statuses() -> None:
    blank = evaluate(EMPLOYMENT, {"2020-09": ""})
    zero = evaluate(EMPLOYMENT, {"2020-09": "0"})
    not_ours = evaluate(EMPLOYMENT, {"2020-09": "不适用"})

    assert blank.status == NOT_STARTED
    assert blank.actual.is_blank and blank.completion is None and blank.pace_text == ""

    assert zero.status == RED  # reported, nothing achieved, 40% of the time gone
    assert zero.completion == 0 and zero.pace_text == "慢于序时 40.0 个百分点"

    assert not_ours.status == NOT_APPLICABLE
    assert not_ours.actual.not_applicable and not_ours.completion is None


def test_no_figures_at_all_is_not_started() -> None:
    assert evaluate(EMPLOYMENT, {}).status == NOT_STARTED


def test_a_number_in_any_month_outweighs_not_applicable_in_another() -> None:
    progress = evaluate(EMPLOYMENT, {"2020-08": "不适用", "2020-09": "6000"})
    assert progress.actual.number == 6000


# --- deadlines ------------------------------------------------------------------------------------------------------


def test_a_target_not_met_by_its_deadline_is_overdue() -> None:
    # 达到拨付条件的，原则上要求2020年8月31日前完成拨付: a 完成程度 target due in August.
    payout = make_target(None, None, comparator="done", kind=KIND_DONE, deadline=date(2020, 8, 31))
    assert evaluate(payout, {"2020-08": "推进中"}, as_of=Period(2020, 8)).status == OVERDUE
    assert evaluate(payout, {"2020-08": "推进中"}, as_of=SEP).status == OVERDUE
    assert evaluate(payout, {"2020-08": "完成"}, as_of=SEP).status == DONE


def test_nothing_reported_after_the_deadline_is_overdue_not_merely_not_started() -> None:
    assert evaluate(EMPLOYMENT, {}, as_of=Period(2020, 11)).status == NOT_STARTED
    assert evaluate(EMPLOYMENT, {}, as_of=Period(2020, 12)).status == OVERDUE


def test_the_status_depends_on_the_chosen_month_not_on_today() -> None:
    figs = {"2020-08": "3000", "2020-09": "3000", "2020-12": "9000"}
    assert evaluate(EMPLOYMENT, figs, as_of=Period(2020, 8)).status == GREEN  # 21.4% vs 20%
    assert evaluate(EMPLOYMENT, figs, as_of=Period(2020, 11)).status == RED  # 42.9% vs 80%
    assert evaluate(EMPLOYMENT, figs, as_of=Period(2020, 12)).status == DONE
    assert evaluate(EMPLOYMENT, figs, as_of=Period(2021, 6)).status == DONE


def test_deadline_passes_at_the_end_of_its_month() -> None:
    assert not deadline_passed(date(2020, 12, 31), Period(2020, 11))
    assert deadline_passed(date(2020, 12, 31), Period(2020, 12))
    assert deadline_passed(date(2020, 12, 15), Period(2020, 12))


# --- kinds of target ------------------------------------------------------------------------------------------------


def test_a_stock_target_takes_the_latest_figure() -> None:
    storage = make_target("166", "万吨", kind=KIND_STOCK, deadline=None)  # 仓容166万吨: a level to hold
    figs = {"2020-08": "1,500,000", "2020-09": "1,620,000"}
    progress = evaluate(storage, figs)
    assert progress.actual.number == 1_620_000
    assert format_percent(progress.completion) == "97.6%"
    assert progress.expected == 1  # 期末达到: no build-up over the months
    assert progress.status == YELLOW  # 2.4 points short of the level, within the red threshold
    assert progress.pace_text == "未达到"


def test_a_stock_figure_carries_over_a_month_without_a_report() -> None:
    storage = make_target("166", "万吨", kind=KIND_STOCK)
    progress = evaluate(storage, {"2020-08": "1,500,000", "2020-09": ""})
    assert progress.actual.number == 1_500_000


def test_a_reduction_target_compares_the_achieved_cut_with_the_required_cut() -> None:
    # 压减“三公”经费 20%: the district has cut 15% so far.
    cut = make_target("20", "%", comparator="reduce_by", kind=KIND_RATE, deadline=END_2020)
    progress = evaluate(cut, {"2020-09": "15%"})
    assert progress.actual.number == D("0.15")
    assert progress.completion == D("0.75")
    assert progress.status == GREEN  # 75% done against 40% of the time
    assert evaluate(cut, {"2020-12": "20"}, as_of=Period(2020, 12)).status == DONE
    assert evaluate(cut, {"2020-12": "18"}, as_of=Period(2020, 12)).status == OVERDUE


def test_an_increase_target_compares_the_achieved_rise() -> None:
    # 政策性资金在2019年基础上再提升10%: 12% achieved.
    rise = make_target("10", "%", comparator="increase_by", kind=KIND_RATE, deadline=None)
    assert evaluate(rise, {"2020-09": "12"}).completion == D("1.2")


def test_a_rate_target_takes_the_latest_rate() -> None:
    share = make_target("50", "%", kind=KIND_RATE, deadline=None)  # 不低于新增岗位的50%
    progress = evaluate(share, {"2020-08": "40", "2020-09": "45"})
    assert progress.actual.number == D("0.45")
    assert progress.completion == D("0.9")


def test_a_done_target_is_a_state_with_no_rate_and_no_pace_line() -> None:
    coverage = make_target(None, None, comparator="done", kind=KIND_DONE, deadline=None)  # 全覆盖
    progress = evaluate(coverage, {"2020-09": "推进中"})
    assert progress.local_target is None
    assert progress.actual.state == "推进中"
    assert progress.completion is None and progress.expected is None
    assert progress.status == GREEN
    assert progress.pace_text == "推进中"


def test_a_ceiling_holds_from_the_first_day_and_is_done_only_at_its_deadline() -> None:
    ceiling = make_target("100", "个", comparator="<=", kind=KIND_STOCK, deadline=END_2020)
    within = evaluate(ceiling, {"2020-09": "80"})
    assert within.completion == 1
    assert within.expected == 1
    assert within.status == GREEN  # kept so far, but could still be broken
    over = evaluate(ceiling, {"2020-09": "125"})
    assert over.completion == D("0.8")
    assert over.status == RED  # 20 points over the ceiling, however early in the year
    assert evaluate(ceiling, {"2020-12": "80"}, as_of=Period(2020, 12)).status == DONE
    assert evaluate(ceiling, {"2020-12": "125"}, as_of=Period(2020, 12)).status == OVERDUE


# --- the building blocks --------------------------------------------------------------------------------------------


def test_actual_to_date_sums_or_takes_the_latest() -> None:
    figs = {Period(2020, 8): FigureValue.of(D(3)), Period(2020, 9): FigureValue.of(D(4)), Period(2020, 10): BLANK}
    assert actual_to_date(KIND_CUMULATIVE, figs, SEP).number == 7
    assert actual_to_date(KIND_STOCK, figs, SEP).number == 4
    assert actual_to_date(KIND_RATE, figs, Period(2020, 10)).number == 4
    assert actual_to_date(KIND_DONE, figs, Period(2020, 8)).number == 3
    assert actual_to_date(KIND_CUMULATIVE, figs, Period(2020, 7)) is BLANK
    assert actual_to_date(KIND_STOCK, {SEP: figures.NOT_APPLICABLE}, SEP) is figures.NOT_APPLICABLE
    with pytest.raises(ValueError, match="未知的指标类型"):
        actual_to_date("monthly", figs, SEP)


def test_actual_to_date_does_not_depend_on_mapping_order() -> None:
    figs = {Period(2020, 9): FigureValue.of(D(4)), Period(2020, 8): FigureValue.of(D(3))}
    assert actual_to_date(KIND_STOCK, figs, SEP).number == 4


@pytest.mark.parametrize(
    ("comparator", "actual", "target", "rate"),
    [
        (">=", D(1523), D(14000), D(1523) / D(14000)),
        ("=", D(50), D(100), D("0.5")),
        (">=", D(21000), D(14000), D("1.5")),  # not capped
        ("reduce_by", D("0.15"), D("0.2"), D("0.75")),
        ("increase_by", D("0.05"), D("0.1"), D("0.5")),
        ("done", D("0.85"), D(1), D("0.85")),
        ("<=", D(80), D(100), D(1)),
        ("<=", D(100), D(100), D(1)),
        ("<=", D(125), D(100), D("0.8")),
        ("<=", D(0), D(0), D(1)),  # a ceiling of zero kept
        ("<=", D(5), D(0), D(0)),  # and broken
    ],
)
def test_completion_rate(comparator: str, actual: Decimal, target: Decimal, rate: Decimal) -> None:
    assert completion_rate(comparator, actual, target) == rate


def test_completion_rate_is_empty_without_a_target_to_divide_by() -> None:
    assert completion_rate(">=", D(5), D(0)) is None
    assert completion_rate(">=", D(5), None) is None
    assert completion_rate("<=", D(5), None) is None
    with pytest.raises(ValueError, match="未知的比较方式"):
        completion_rate("~", D(1), D(1))


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (Period(2020, 7), D(0)),  # before the window opens
        (Period(2020, 8), D("0.2")),  # the first month
        (Period(2020, 9), D("0.4")),
        (Period(2020, 12), D(1)),  # the last month
        (Period(2021, 3), D(1)),  # after the window: clamped
    ],
)
def test_expected_to_date_at_start_middle_and_end(as_of: Period, expected: Decimal) -> None:
    assert expected_to_date(date(2020, 8, 1), date(2020, 12, 31), as_of) == expected


def test_expected_to_date_counts_partial_months_whole() -> None:
    # 8月15日..10月10日 touches 3 months.
    assert expected_to_date(date(2020, 8, 15), date(2020, 10, 10), Period(2020, 8)) == D(1) / D(3)


def test_expected_to_date_when_the_deadline_precedes_the_window() -> None:
    assert expected_to_date(date(2020, 8, 1), date(2020, 7, 31), Period(2020, 6)) == 0
    assert expected_to_date(date(2020, 8, 1), date(2020, 7, 31), Period(2020, 8)) == 1


def test_pace_in_percentage_points() -> None:
    assert pace_points(D("0.432"), D("0.4")) == D("3.2")
    assert pace_points(D("0.368"), D("0.4")) == D("-3.2")
    assert describe_pace(D("3.2")) == "快于序时 3.2 个百分点"
    assert describe_pace(D("-3.2")) == "慢于序时 3.2 个百分点"
    assert describe_pace(D("-3.25")) == "慢于序时 3.3 个百分点"  # half-up
    assert describe_pace(D(0)) == "与序时持平"
    assert describe_pace(Decimal("-0.04")) == "与序时持平"  # rounds to zero: no "慢于序时 0.0"
    assert describe_pace(D(5)) == "快于序时 5.0 个百分点"


def _status(completion: str | None, *, actual: FigureValue | None = None, thresholds: Thresholds | None = None,
            comparator: str = ">=", as_of: Period = SEP) -> str:
    return target_status(
        comparator=comparator,
        completion=None if completion is None else D(completion),
        expected=D("0.4"),
        actual=actual or FigureValue.of(D(1)),
        deadline=END_2020,
        as_of=as_of,
        thresholds=thresholds or Thresholds(),
    )


def test_how_far_behind_turns_yellow_then_red() -> None:
    assert _status("0.45") == GREEN
    assert _status("0.40") == GREEN  # exactly on 序时
    assert _status("0.39") == YELLOW
    assert _status("0.30") == YELLOW  # exactly 10 points behind is not yet red
    assert _status("0.2999") == RED
    assert _status("1") == DONE


def test_thresholds_are_settings() -> None:
    lenient = Thresholds(red_behind_points=D(20), yellow_behind_points=D(5))
    assert _status("0.36", thresholds=lenient) == GREEN
    assert _status("0.30", thresholds=lenient) == YELLOW
    assert _status("0.19", thresholds=lenient) == RED
    with pytest.raises(ValueError, match="红色阈值不能小于黄色阈值"):
        Thresholds(red_behind_points=D(1), yellow_behind_points=D(5))


def test_figures_without_a_measurable_target_count_as_under_way() -> None:
    assert _status(None) == GREEN
    assert _status(None, actual=BLANK) == NOT_STARTED
    assert _status(None, actual=figures.NOT_APPLICABLE) == NOT_APPLICABLE


# --- measures -------------------------------------------------------------------------------------------------------


def _measure(statuses: list[str], **kwargs: object) -> str:
    options: dict = {"has_targets": True, "done_flag": False, "has_progress_text": False, "deadline": None, "as_of": SEP}
    options.update(kwargs)
    return measure_status(statuses, **options)


def test_a_measure_shows_its_worst_started_target() -> None:
    assert _measure([GREEN, YELLOW, DONE]) == YELLOW
    assert _measure([GREEN, RED, NOT_STARTED]) == RED
    assert _measure([DONE, OVERDUE]) == OVERDUE
    assert _measure([GREEN, NOT_STARTED, NOT_APPLICABLE]) == GREEN
    assert _measure([DONE, DONE, NOT_APPLICABLE]) == DONE


def test_a_measure_with_nothing_started_or_nothing_applicable() -> None:
    assert _measure([NOT_STARTED, NOT_STARTED]) == NOT_STARTED
    assert _measure([NOT_STARTED, NOT_APPLICABLE]) == NOT_STARTED
    assert _measure([NOT_APPLICABLE, NOT_APPLICABLE]) == NOT_APPLICABLE


def test_a_measure_is_not_done_while_one_of_its_targets_has_not_begun() -> None:
    assert _measure([DONE, NOT_STARTED]) == GREEN


def test_a_measure_with_targets_ignores_the_tick_and_the_text() -> None:
    assert _measure([RED], done_flag=True, has_progress_text=True) == RED


def test_a_qualitative_measure_follows_the_clerks_tick_text_and_deadline() -> None:
    qualitative = {"has_targets": False}
    assert _measure([], **qualitative) == NOT_STARTED
    assert _measure([], **qualitative, has_progress_text=True) == GREEN
    assert _measure([], **qualitative, done_flag=True) == DONE
    assert _measure([], **qualitative, deadline=date(2020, 8, 31)) == OVERDUE
    assert _measure([], **qualitative, deadline=date(2020, 8, 31), has_progress_text=True) == OVERDUE
    assert _measure([], **qualitative, deadline=date(2020, 8, 31), done_flag=True) == DONE
    assert _measure([], **qualitative, deadline=END_2020, has_progress_text=True) == GREEN


# --- statuses as the UI, exports and prints use them ----------------------------------------------------------------


def test_every_status_has_a_place_and_a_colour() -> None:
    assert STATUS_ORDER == ("逾期", "红", "黄", "未启动", "绿", "已完成", "未分解", "不适用", "不涉及")
    assert set(STATUS_COLORS) == set(STATUS_ORDER)
    assert all(c.startswith("#") and len(c) == 7 for c in STATUS_COLORS.values())
    assert STATUS_COLORS[RED] == "#d9534f"


def test_sorting_by_status_puts_trouble_first() -> None:
    assert sorted([DONE, GREEN, OVERDUE, NOT_APPLICABLE, RED], key=STATUS_ORDER.index) == [
        OVERDUE, RED, GREEN, DONE, NOT_APPLICABLE,
    ]
    assert worst_status([GREEN, YELLOW, DONE]) == YELLOW


def test_pace_points_round_half_up_in_the_cell_as_in_the_words() -> None:
    from liubao_desktop.domain.progress import format_points

    assert format_points(Decimal("2.25")) == "+2.3" and describe_pace(Decimal("2.25")) == "快于序时 2.3 个百分点"
    assert format_points(Decimal("-2.25")) == "-2.3" and describe_pace(Decimal("-2.25")) == "慢于序时 2.3 个百分点"
    assert format_points(Decimal("-0.04")) == "0.0" and describe_pace(Decimal("-0.04")) == "与序时持平"


def test_an_over_achieved_target_counts_as_100_percent_in_an_average() -> None:
    from liubao_desktop.domain.progress import average_completion

    # 25 clinics against 2 (1250%) and one at 10%: the measure is not "630% done"
    assert average_completion([Decimal("12.5"), Decimal("0.1")]) == Decimal("0.55")
    assert average_completion([]) is None
