"""Which targets a district answers for, against what, and by which 序时 rule — as a city office reads them."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from liubao_desktop.domain.figures import (
    BLANK,
    NOT_APPLICABLE,
    FigureInputError,
    FigureValue,
    parse_state_input,
)
from liubao_desktop.domain.orgs import CHANGSHA_ORGS, Org, involved_by_default
from liubao_desktop.domain.periods import Period
from liubao_desktop.domain.plan import (
    PACE_FROM_START,
    PACE_LEVEL,
    PACE_LINEAR,
    PACE_QUALITATIVE,
    PACE_WORDS,
    REACH_ABSOLUTE,
    REACH_RELATIVE,
    Plan,
    measure_code_of,
    pace_legend,
)
from liubao_desktop.domain.progress import (
    DONE,
    GREEN,
    NOT_INVOLVED,
    NOT_STARTED,
    OVERDUE,
    RED,
    UNDECOMPOSED,
    YELLOW,
    Thresholds,
    evaluate_target,
    measure_status,
    totals,
)
from liubao_desktop.domain.progress import (
    NOT_APPLICABLE as NA_STATUS,
)
from liubao_desktop.domain.rules import check_local_target, parse_figure
from liubao_desktop.storage.seed_sql import changsha_plan

D = Decimal
SEP, OCT, DEC = Period(2020, 9), Period(2020, 10), Period(2020, 12)
FURONG = CHANGSHA_ORGS[0]
PARK = next(o for o in CHANGSHA_ORGS if o.kind == "park")
CITY = Org("430100", "长沙市", "city")


@pytest.fixture(scope="module")
def plan() -> Plan:
    return changsha_plan()


def evaluate(plan: Plan, code: str, figures: dict[Period, FigureValue], as_of: Period = SEP, *,
             local: Decimal | None = None, org: Org = FURONG, involved: bool = True):  # noqa: ANN201
    return evaluate_target(plan.target(code), figures, as_of, plan_start=plan.effective_from,
                           plan_end=plan.effective_to, local_target_base=local, thresholds=Thresholds(),
                           involved=involved, answers_for_city=org.is_city)


# -- the rule each of the 39 targets follows (the closing note's table is this one) ------------------------------
EXPECTED_RULES = {
    "1.1.1": (PACE_FROM_START, REACH_RELATIVE), "1.3.1": (PACE_LINEAR, REACH_ABSOLUTE),
    "1.3.2": (PACE_QUALITATIVE, REACH_RELATIVE), "1.4.1": (PACE_LINEAR, REACH_ABSOLUTE),
    "2.2.1": (PACE_LINEAR, REACH_ABSOLUTE), "2.2.2": (PACE_LINEAR, REACH_ABSOLUTE),
    "2.3.1": (PACE_QUALITATIVE, REACH_RELATIVE), "2.3.2": (PACE_LINEAR, REACH_ABSOLUTE),
    "2.3.3": (PACE_LINEAR, REACH_ABSOLUTE), "2.3.4": (PACE_LEVEL, REACH_RELATIVE),
    "2.3.5": (PACE_LINEAR, REACH_ABSOLUTE), "2.3.6": (PACE_LINEAR, REACH_ABSOLUTE),
    "2.3.7": (PACE_LINEAR, REACH_ABSOLUTE), "2.3.8": (PACE_LINEAR, REACH_ABSOLUTE),
    "2.3.9": (PACE_LINEAR, REACH_ABSOLUTE), "2.3.10": (PACE_LINEAR, REACH_ABSOLUTE),
    "2.3.11": (PACE_LINEAR, REACH_ABSOLUTE), "2.3.12": (PACE_LINEAR, REACH_ABSOLUTE),
    "2.3.13": (PACE_LINEAR, REACH_ABSOLUTE), "2.4.1": (PACE_LINEAR, REACH_ABSOLUTE),
    "2.4.2": (PACE_LINEAR, REACH_ABSOLUTE), "2.4.3": (PACE_LINEAR, REACH_ABSOLUTE),
    "3.3.1": (PACE_LINEAR, REACH_ABSOLUTE), "3.3.2": (PACE_LINEAR, REACH_ABSOLUTE),
    "4.1.1": (PACE_LEVEL, REACH_ABSOLUTE), "4.1.2": (PACE_FROM_START, REACH_RELATIVE),
    "4.2.1": (PACE_LINEAR, REACH_ABSOLUTE), "4.2.2": (PACE_LEVEL, REACH_ABSOLUTE),
    "4.2.3": (PACE_LEVEL, REACH_ABSOLUTE), "4.2.4": (PACE_LINEAR, REACH_ABSOLUTE),
    "4.3.1": (PACE_QUALITATIVE, REACH_RELATIVE), "4.5.1": (PACE_LINEAR, REACH_ABSOLUTE),
    "4.5.2": (PACE_LINEAR, REACH_ABSOLUTE), "6.2.1": (PACE_LINEAR, REACH_ABSOLUTE),
    "6.2.2": (PACE_LINEAR, REACH_ABSOLUTE), "6.3.1": (PACE_LINEAR, REACH_ABSOLUTE),
    "6.3.2": (PACE_LINEAR, REACH_RELATIVE), "6.4.1": (PACE_LINEAR, REACH_RELATIVE),
    "6.4.2": (PACE_LINEAR, REACH_RELATIVE),
}


def test_every_target_of_the_plan_follows_a_named_rule_and_reaches_a_district_as_listed(plan: Plan) -> None:
    got = {t.code: (t.pace, t.reach) for t in plan.targets()}
    assert got == EXPECTED_RULES
    assert {t.pace_word for t in plan.targets()} == set(PACE_WORDS.values())
    assert all(word in pace_legend() for word in PACE_WORDS.values())


# -- 未分解: an amount of the whole city is never a district's rate ------------------------------------------------
def test_a_district_without_a_local_target_sees_its_figures_but_no_rate_no_pace_and_no_colour(plan: Plan) -> None:
    p = evaluate(plan, "1.3.1", {SEP: FigureValue.of(1523)})
    assert (p.status, p.completion, p.expected, p.pace_points, p.pace_text) == (UNDECOMPOSED, None, None, None, "")
    assert p.actual.number == 1523  # 累计 still shown
    with_local = evaluate(plan, "1.3.1", {SEP: FigureValue.of(1523)}, local=D(1400))
    assert (with_local.status, f"{with_local.completion:.4f}") == (DONE, "1.0879")


def test_the_city_itself_answers_for_the_whole_amount(plan: Plan) -> None:
    p = evaluate(plan, "1.3.1", {SEP: FigureValue.of(5600)}, org=CITY)
    assert p.completion == D("0.4") and p.status == GREEN


def test_a_relative_target_applies_to_a_district_as_written(plan: Plan) -> None:
    share = evaluate(plan, "1.1.1", {SEP: parse_figure(plan.target("1.1.1"), "45")})  # 不低于50%
    assert (share.completion, share.expected, share.status) == (D("0.9"), 1, YELLOW)
    doctors = evaluate(plan, "2.3.4", {SEP: FigureValue.of(2)})  # 每个乡镇卫生院配备全科医生2名
    assert doctors.completion == 1 and doctors.status == GREEN


# -- 不涉及 -------------------------------------------------------------------------------------------------------
def test_a_districts_targets_follow_the_measures_it_is_named_in_and_the_levels_a_phrase_names(plan: Plan) -> None:
    def involved(org: Org, code: str) -> bool:
        return involved_by_default(org, plan.measure(code.rsplit(".", 1)[0]), plan.target(code))

    assert involved(FURONG, "1.3.1")  # 1.3: …各区县市人民政府
    assert not involved(FURONG, "2.3.2")  # 2.3 is given to city bureaus only
    assert not involved(FURONG, "6.2.1") and involved(CITY, "6.2.1")  # 市本级120亿元
    assert involved(FURONG, "6.2.2") and not involved(PARK, "6.2.2")  # 区县(市)100亿元
    # only the target's own phrase names levels: 1.1's sentence names 园区 too, but a phrase of 6.2's sentence
    # names 市本级 and the next 区县(市), so the sentence would give both to each; 1.1.1 follows 1.1's units
    assert not involved(PARK, "1.1.1")
    assert involved(PARK, "1.4.1") and not involved(PARK, "1.3.1")  # 1.4 names 园区管委会, 1.3 does not
    assert all(involved(CITY, t.code) for t in plan.targets())


def test_a_target_not_involved_is_out_of_every_judgement_and_total(plan: Plan) -> None:
    p = evaluate(plan, "2.3.2", {SEP: FigureValue.of(3)}, involved=False)
    assert (p.status, p.completion, p.score) == (NOT_INVOLVED, None, None)
    assert totals([(p, FigureValue.of(3))]).due == 0


# -- 定性 targets are states ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "state"), [("完成", "已完成"), ("已完成", "已完成"), ("推进中", "推进中"),
                                              ("进行中", "推进中"), ("未开始", "未开始"), ("未启动", "未开始")])
def test_a_qualitative_target_takes_a_state_typed_in_words(typed: str, state: str) -> None:
    assert parse_state_input(typed) == FigureValue.of_state(state)


def test_a_number_on_a_qualitative_target_is_refused_in_chinese_and_it_has_no_local_target(plan: Plan) -> None:
    zero_jobless = plan.target("1.3.2")
    with pytest.raises(FigureInputError, match="不是定性指标的状态"):
        parse_figure(zero_jobless, "100")
    assert parse_figure(zero_jobless, "不适用") == NOT_APPLICABLE and parse_figure(zero_jobless, "") == BLANK
    with pytest.raises(FigureInputError, match="没有分解目标"):
        check_local_target(zero_jobless, D(1))
    assert zero_jobless.shown_unit == "定性" and zero_jobless.written_text == "完成" and not zero_jobless.is_ratio


def test_a_qualitative_status_follows_its_state_and_deadline_with_the_month_it_was_done(plan: Plan) -> None:
    state = FigureValue.of_state
    assert evaluate(plan, "1.3.2", {}).status == NOT_STARTED
    assert evaluate(plan, "1.3.2", {SEP: state("未开始")}).status == NOT_STARTED
    going = evaluate(plan, "1.3.2", {SEP: state("推进中")})
    assert (going.status, going.expected, going.completion, going.pace_text) == (GREEN, None, None, "推进中")
    done = evaluate(plan, "1.3.2", {SEP: state("推进中"), OCT: state("已完成")}, as_of=DEC)
    assert (done.status, done.done_in, done.pace_text) == (DONE, OCT, "已完成（2020年10月）")
    late = evaluate(plan, "1.3.2", {SEP: state("推进中")}, as_of=DEC)  # due 2020-12-31, not done
    assert late.status == OVERDUE
    reopened = evaluate(plan, "1.3.2", {SEP: state("已完成"), OCT: state("推进中")}, as_of=OCT)
    assert reopened.status == GREEN and reopened.done_in is None


# -- level targets: 期末达到 -----------------------------------------------------------------------------------------
def test_a_level_is_read_each_month_as_reached_or_not_and_done_only_at_its_deadline(plan: Plan) -> None:
    storage = "4.2.2"  # 确保仓容166万吨完好
    local = D(100_000)
    short = evaluate(plan, storage, {SEP: FigureValue.of(80_000)}, local=local)
    assert (short.expected, short.pace_text, short.status) == (1, "未达到", RED)
    held = evaluate(plan, storage, {SEP: FigureValue.of(100_000)}, local=local)
    assert (held.pace_text, held.status) == ("达到", GREEN)  # must still be held: not 已完成 yet
    end = Period(2021, 12)
    assert evaluate(plan, storage, {end: FigureValue.of(100_000)}, as_of=end, local=local).status == DONE


def test_a_level_built_up_by_a_date_runs_with_the_calendar(plan: Plan) -> None:
    power = evaluate(plan, "4.5.1", {SEP: FigureValue.of(4_000_000)}, local=D(10_000_000))  # 达到1000万千瓦 by 12-31
    assert power.expected == D("0.4") and power.status == GREEN


# -- honest totals -------------------------------------------------------------------------------------------------
def test_totals_count_unreported_targets_as_zero_and_keep_the_reported_average_apart(plan: Plan) -> None:
    done = evaluate(plan, "1.3.1", {SEP: FigureValue.of(1523)}, local=D(1400))  # 108.8%, capped at 100%
    half = evaluate(plan, "1.1.1", {SEP: FigureValue.of(D("0.25"))})  # 25% of 50%
    silent = evaluate(plan, "1.4.1", {}, local=D(5000))
    undecomposed = evaluate(plan, "4.2.1", {SEP: FigureValue.of(10)})
    na = evaluate(plan, "1.3.2", {SEP: NOT_APPLICABLE})
    t = totals([(done, FigureValue.of(1523)), (half, FigureValue.of(D("0.25"))), (silent, BLANK),
                (undecomposed, FigureValue.of(10)), (na, NOT_APPLICABLE)])
    assert (t.due, t.reported) == (5, 4)
    assert t.report_rate == D("0.8")
    assert t.average_all == D("0.5")  # (1 + 0.5 + 0) / 3: 未分解 and 不适用 are not judged
    assert t.average_reported == D("0.75")  # (1 + 0.5) / 2
    assert na.status == NA_STATUS and undecomposed.status == UNDECOMPOSED


def test_a_qualitative_target_done_earlier_counts_as_reported_and_as_100_percent(plan: Plan) -> None:
    done = evaluate(plan, "1.3.2", {SEP: FigureValue.of_state("已完成")}, as_of=OCT)
    t = totals([(done, BLANK)])
    assert (t.due, t.reported, t.average_all) == (1, 1, 1)


def test_a_measure_with_only_undecomposed_targets_says_so_instead_of_a_colour() -> None:
    kw = {"has_targets": True, "done_flag": False, "has_progress_text": False, "deadline": None, "as_of": SEP}
    assert measure_status([UNDECOMPOSED, NA_STATUS], **kw) == UNDECOMPOSED
    assert measure_status([NOT_INVOLVED, NOT_INVOLVED], **kw) == NOT_INVOLVED
    assert measure_status([UNDECOMPOSED, RED], **kw) == RED
    assert date(2020, 9, 30) == SEP.last_day


def test_a_target_names_its_measure_in_its_code(plan: Plan) -> None:
    assert measure_code_of("1.3.1") == "1.3" and measure_code_of("6.2.12") == "6.2"
    assert all(measure_code_of(t.code) == m.code for m in plan.measures() for t in m.targets)
