"""A parent's figures from its children's: sums in base units, ranges and counts, never an average of rates."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from liubao_desktop.domain.figures import BLANK, NOT_APPLICABLE, FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.domain.plan import KIND_CUMULATIVE, KIND_DONE, KIND_RATE, Target
from liubao_desktop.domain.progress import (
    DONE,
    GREEN,
    NOT_INVOLVED,
    NOT_STARTED,
    OVERDUE,
    RED,
    Thresholds,
    evaluate_target,
    totals,
)
from liubao_desktop.domain.rollup import (
    COUNT,
    RANGE,
    SUM,
    ChildLine,
    combined_status,
    how_rolled,
    report_due_date,
    roll_target,
)
from liubao_desktop.domain.words import STATE_DONE, STATE_IN_PROGRESS

START, END = date(2020, 8, 1), date(2021, 12, 31)
AUG, SEP = Period(2020, 8), Period(2020, 9)

JOBS = Target("1.3.1", "援助就业困难人员就业", Decimal("1.4"), "万人", Decimal(14000), "人", ">=", KIND_CUMULATIVE,
              None, "援助就业困难人员就业1.4万人", "人")
SHARE = Target("1.1.1", "国有企业招聘应届毕业生占新增岗位比例", Decimal(50), "%", Decimal("0.5"), "", ">=", KIND_RATE,
               None, "不低于新增岗位的50%", "%")
CLEARED = Target("1.3.2", "零就业家庭动态清零", None, None, None, None, "done", KIND_DONE, date(2020, 12, 31),
                 "零就业家庭动态清零", "%")


def child(code: str, target: Target, figures: dict, *, involved: bool = True, local: Decimal | None = None,
          as_of: Period = SEP) -> ChildLine:
    progress = evaluate_target(target, figures, as_of, plan_start=START, plan_end=END, local_target_base=local,
                               thresholds=Thresholds(), involved=involved, answers_for_city=False)
    return ChildLine(code, f"区{code}", progress, figures.get(as_of, BLANK))


def roll(target: Target, children: list[ChildLine], *, city: bool = True):  # noqa: ANN201
    return roll_target(target, children, SEP, plan_start=START, plan_end=END, goal=None, answers_for_city=city,
                       thresholds=Thresholds())


def n(x: int | str) -> FigureValue:
    return FigureValue.of(Decimal(x))


def test_how_a_target_rolls_up_follows_what_it_measures() -> None:
    assert (how_rolled(JOBS), how_rolled(SHARE), how_rolled(CLEARED)) == (SUM, RANGE, COUNT)


def test_amounts_add_up_in_base_units_and_a_blank_child_is_missing_not_zero() -> None:
    kids = [child("a", JOBS, {AUG: n(1000), SEP: n(523)}, local=Decimal(5000)),
            child("b", JOBS, {SEP: n(2000)}),
            child("c", JOBS, {}),  # nothing reported
            child("d", JOBS, {SEP: n(99)}, involved=False),  # 不涉及: left out
            child("e", JOBS, {AUG: NOT_APPLICABLE})]
    progress, this_period = roll(JOBS, kids)
    r = progress.rollup
    assert r.total == Decimal(3523) and this_period == n(2523)
    assert progress.actual == n(3523) and progress.completion == Decimal(3523) / Decimal(14000)
    assert [c.code for c in r.missing] == ["c"] and [c.code for c in r.not_applicable] == ["e"]
    assert [c.code for c in r.involved] == ["a", "b", "c", "e"]
    assert r.remark() == "汇总 4 个单位；缺报 1：区c；不适用 1：区e"
    assert r.summary_text(JOBS) == "3,523"
    # not every child entered September: the city's target is not reported for the month
    assert not progress.answered(this_period)


def test_rates_give_the_range_and_how_many_meet_the_goal_never_an_average() -> None:
    kids = [child("a", SHARE, {SEP: n("0.4")}), child("b", SHARE, {SEP: n("0.62")}),
            child("c", SHARE, {SEP: n("0.5")}), child("d", SHARE, {})]
    progress, this_period = roll(SHARE, kids)
    r = progress.rollup
    assert r.range_text(SHARE) == "40.0%–62.0%"
    assert [c.code for c in r.meeting] == ["b", "c"] and r.count_text() == "2/4 达标"
    assert r.summary_text(SHARE) == "40.0%–62.0%（2/4 达标）"
    assert progress.completion is None and this_period.is_blank  # no fake rate for the city
    assert progress.status == RED  # the worst of those begun (a: 40% against 50% from the first month)
    assert progress.score == Decimal(2) / Decimal(4)
    assert progress.pace_text == "2/4 达标"


def test_a_rate_is_done_for_the_parent_only_when_every_child_meets_it() -> None:
    kids = [child("a", SHARE, {SEP: n("0.55")}), child("b", SHARE, {SEP: n("0.5")})]
    assert roll(SHARE, kids)[0].status == DONE
    kids.append(child("c", SHARE, {}))
    assert roll(SHARE, kids)[0].status == GREEN  # two done, one not begun: under way


def test_qualitative_targets_count_the_children_done() -> None:
    done, going = FigureValue.of_state(STATE_DONE), FigureValue.of_state(STATE_IN_PROGRESS)
    kids = [child("a", CLEARED, {AUG: done}), child("b", CLEARED, {SEP: going}), child("c", CLEARED, {SEP: done})]
    progress, _ = roll(CLEARED, kids)
    assert progress.rollup.count_text() == "2/3 已完成" and progress.status == GREEN
    assert progress.done_in is None and progress.score == Decimal(2) / Decimal(3)
    assert progress.pace_text == "已完成 2，推进中 1"
    kids[1] = child("b", CLEARED, {SEP: done})
    progress, _ = roll(CLEARED, kids)
    assert progress.status == DONE and progress.done_in == SEP and progress.rollup.all_entered


def test_children_statuses_combine_like_a_measures() -> None:
    assert combined_status([DONE, DONE]) == DONE
    assert combined_status([DONE, NOT_STARTED]) == GREEN
    assert combined_status([GREEN, OVERDUE, NOT_STARTED]) == OVERDUE
    assert combined_status([NOT_STARTED, NOT_STARTED]) == NOT_STARTED
    assert combined_status([NOT_INVOLVED]) == NOT_INVOLVED


def test_no_involved_child_makes_the_target_not_involved_for_a_range() -> None:
    progress, _ = roll(SHARE, [child("a", SHARE, {SEP: n("0.6")}, involved=False)])
    assert progress.status == NOT_INVOLVED and progress.score is None


def test_the_parents_totals_count_a_rolled_target_reported_once_every_child_entered() -> None:
    full = roll(JOBS, [child("a", JOBS, {SEP: n(1)}), child("b", JOBS, {SEP: n(2)})])
    partial = roll(JOBS, [child("a", JOBS, {SEP: n(1)}), child("b", JOBS, {AUG: n(2)})])
    assert totals([full, partial]).reported == 1


def test_a_months_report_is_due_on_the_due_day_of_the_next_month() -> None:
    assert report_due_date(SEP, 5) == date(2020, 10, 5)
    assert report_due_date(Period(2020, 12), 5) == date(2021, 1, 5)
    assert report_due_date(Period(2021, 1), 31) == date(2021, 2, 28)  # a short month: its last day
