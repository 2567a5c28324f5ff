"""The report's sentences, one rule at a time: each from a target's real evaluation (domain.progress)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.domain.plan import KIND_DONE, KIND_RATE, KIND_STOCK, Target
from liubao_desktop.domain.progress import NOT_INVOLVED, Thresholds, evaluate_target
from liubao_desktop.domain.report_sentences import (
    average_expected,
    goal_text,
    measure_sentences,
    points_text,
    quantity_text,
    status_counts_text,
    target_sentence,
)

from .test_progress import PLAN_END, PLAN_START, SEP, make_target

D = Decimal


def labelled(target: Target, label: str, source: str | None = None) -> Target:
    return replace(target, label=label, source=source or label)


def sentence(target: Target, by_month: dict[str, FigureValue], *, local: Decimal | None = None,
             involved: bool = True, city: bool = False, period: Period = SEP, lead: bool = True) -> str | None:
    figures = {Period.parse(k): v for k, v in by_month.items()}
    progress = evaluate_target(target, figures, period, plan_start=PLAN_START, plan_end=PLAN_END,
                               local_target_base=local, thresholds=Thresholds(), involved=involved,
                               answers_for_city=city)
    s = target_sentence(target, progress, local, period, lead=lead)
    return None if s is None else s.text


def n(value: str) -> FigureValue:
    return FigureValue.of(D(value))


EMPLOYMENT = labelled(make_target("1.4", "万人"), "援助就业困难人员就业")


def test_the_issue_s_own_sentence() -> None:
    """1523 people against a 分解目标 of 1400 by the end of September (序时 2/5 = 40%)."""
    assert sentence(EMPLOYMENT, {"2020-08": n("1000"), "2020-09": n("523")}, local=D(1400)) == (
        "截至9月底，援助就业困难人员就业累计完成1523人，完成分解目标1400人的108.8%，快于序时进度68.8个百分点。")


def test_behind_and_level_with_pace() -> None:
    assert sentence(EMPLOYMENT, {"2020-09": n("311")}, local=D(1077)) == (
        "截至9月底，援助就业困难人员就业累计完成311人，完成分解目标1077人的28.9%，慢于序时进度11.1个百分点。")
    assert sentence(EMPLOYMENT, {"2020-09": n("400")}, local=D(1000)) == (
        "截至9月底，援助就业困难人员就业累计完成400人，完成分解目标1000人的40.0%，与序时进度持平。")


def test_undecomposed_says_so_and_gives_no_rate() -> None:
    assert sentence(EMPLOYMENT, {"2020-09": n("1523")}) == (
        "截至9月底，援助就业困难人员就业累计完成1523人（尚未下达分解目标）。")


def test_not_applicable_and_not_involved() -> None:
    assert sentence(EMPLOYMENT, {"2020-09": FigureValue(not_applicable=True)}, local=D(1400)) == (
        "截至9月底，援助就业困难人员就业不适用于本单位。")
    assert sentence(EMPLOYMENT, {"2020-09": n("5")}, local=D(1400), involved=False) is None


def test_nothing_reported_and_overdue() -> None:
    assert sentence(EMPLOYMENT, {}, local=D(1400)) == "截至9月底，援助就业困难人员就业尚未填报完成情况。"
    late = Period(2021, 1)
    assert sentence(EMPLOYMENT, {}, local=D(1400), period=late) == (
        "截至1月底，援助就业困难人员就业尚未填报完成情况，已超过完成时限（2020年12月31日）。")


def test_qualitative_states() -> None:
    zero = labelled(make_target(None, None, comparator="done", kind=KIND_DONE), "零就业家庭动态清零")
    done = FigureValue(state="已完成")
    assert sentence(zero, {"2020-08": done, "2020-09": done}) == "截至9月底，零就业家庭动态清零已完成（8月）。"
    assert sentence(zero, {"2020-09": FigureValue(state="推进中")}) == "截至9月底，零就业家庭动态清零正在推进。"
    assert sentence(zero, {"2020-09": FigureValue(state="未开始")}) == "截至9月底，零就业家庭动态清零尚未启动。"
    assert sentence(zero, {}, period=Period(2021, 1)) == (
        "截至1月底，零就业家庭动态清零尚未完成，已超过完成时限（2020年12月31日）。")
    assert sentence(zero, {"2020-09": done}, period=Period(2021, 2)) == (
        "截至2月底，零就业家庭动态清零已完成（2020年9月）。")


def test_levels_reached_and_not_reached_in_one_unit() -> None:
    """期末达到: 达到 / 未达到, the figure and the goal both in 万公顷 (the plan's unit) when either is that large."""
    farmland = labelled(make_target("23.22", "万公顷", kind=KIND_STOCK, deadline=None), "基本农田保护面积")
    assert sentence(farmland, {"2020-09": n("7724")}, local=D(17862)) == (
        "截至9月底，基本农田保护面积期末为0.7724万公顷，未达到分解目标1.7862万公顷（为分解目标的43.2%）。")
    assert sentence(farmland, {"2020-09": n("18000")}, local=D(17862)) == (
        "截至9月底，基本农田保护面积期末为1.8万公顷，达到分解目标1.7862万公顷。")


def test_rates_keep_the_plan_s_goal_and_one_decimal() -> None:
    share = labelled(make_target("50", "%", kind=KIND_RATE), "国有企业招聘应届毕业生占新增岗位比例")
    assert sentence(share, {"2020-09": n("0.2506")}, city=True) == (
        "截至9月底，国有企业招聘应届毕业生占新增岗位比例为25.1%，未达到不低于50%的目标。")
    assert sentence(share, {"2020-09": n("0.55")}, city=True) == (
        "截至9月底，国有企业招聘应届毕业生占新增岗位比例为55.0%，达到不低于50%的目标。")


def test_cuts_and_increases() -> None:
    cut = labelled(make_target("20", "%", comparator="reduce_by", kind=KIND_RATE), "一般性支出压减")
    assert sentence(cut, {"2020-09": n("0.1484")}, city=True) == (
        "截至9月底，一般性支出压减14.8%，完成压减20%目标的74.2%，快于序时进度34.2个百分点。")
    rise = labelled(make_target("10", "%", comparator="increase_by", kind=KIND_RATE), "政策性资金较2019年提升")
    assert sentence(rise, {"2020-09": n("0.0487")}, city=True) == (
        "截至9月底，政策性资金较2019年提升4.9%，完成提升10%目标的48.7%，快于序时进度8.7个百分点。")


def test_ceilings() -> None:
    cap = labelled(make_target("5", "%", comparator="<=", kind=KIND_RATE), "城镇调查失业率")
    assert sentence(cap, {"2020-09": n("0.046")}, city=True) == "截至9月底，城镇调查失业率为4.6%，未超过目标上限5%。"
    assert sentence(cap, {"2020-09": n("0.054")}, city=True) == "截至9月底，城镇调查失业率为5.4%，超过目标上限5%。"


def test_money_in_wan_and_yi_as_the_plan_writes_it() -> None:
    """Money is typed in 万元; the plan writes 亿元, so sums of at least one 亿 are written in 亿元 (exactly)."""
    funds = labelled(make_target("100", "亿元"), "区县（市）盘活“三资”")
    assert sentence(funds, {"2020-09": n("31406")}, local=D("769230000"))  # 万元 typed → base 元 below
    base = D(31406) * 10000
    assert quantity_text(funds, base, together=[D("769230000")]) == "3.1406亿元"
    assert quantity_text(funds, D(25820000)) == "2582万元"
    # 12500.5万元 is 1.250005亿元: more than 4 decimals in 亿, so it stays in 万元
    assert quantity_text(funds, D(125005000), together=[D(125005000)]) == "12500.5万元"
    assert goal_text(funds, D(10_000_000_000)) == "100亿元"


def test_counts_in_wan_only_where_the_plan_writes_wan() -> None:
    assert quantity_text(EMPLOYMENT, D(15231)) == "1.5231万人"
    assert quantity_text(EMPLOYMENT, D(9999)) == "9999人"
    schools = labelled(make_target("30", "所"), "新改扩建公办幼儿园")
    assert quantity_text(schools, D(123456)) == "123456所"


def test_only_the_first_sentence_of_a_measure_says_when() -> None:
    share = labelled(make_target("50", "%", kind=KIND_RATE, code="1.1.1"), "比例")
    ev = [(EMPLOYMENT, {Period(2020, 9): n("10")}, D(100)), (share, {Period(2020, 9): n("0.6")}, None)]
    lines = [(t, evaluate_target(t, f, SEP, plan_start=PLAN_START, plan_end=PLAN_END, local_target_base=loc,
                                 thresholds=Thresholds(), answers_for_city=True), loc) for t, f, loc in ev]
    texts = [s.text for s in measure_sentences(lines, SEP)]
    assert texts[0].startswith("截至9月底，") and not texts[1].startswith("截至")


def test_points_and_counts_words() -> None:
    assert points_text(D("-0.04")) == "与序时进度持平"
    assert points_text(D("3.25")) == "快于序时进度3.3个百分点"
    assert status_counts_text({"已完成": 2, "红": 1, "黄": 0}) == "已完成2项、明显滞后（红色）1项"


def test_average_expected_leaves_out_what_has_no_pace_line() -> None:
    figures = {SEP: n("10")}
    kw = dict(plan_start=PLAN_START, plan_end=PLAN_END, thresholds=Thresholds(), answers_for_city=False)
    linear = evaluate_target(EMPLOYMENT, figures, SEP, local_target_base=D(100), **kw)  # 序时 40%
    undecomposed = evaluate_target(EMPLOYMENT, figures, SEP, local_target_base=None, **kw)
    off = evaluate_target(EMPLOYMENT, figures, SEP, local_target_base=D(100), involved=False, **kw)
    assert off.status == NOT_INVOLVED
    assert average_expected([linear, undecomposed, off]) == D("0.4")
    assert average_expected([undecomposed]) is None
    assert date(2020, 9, 30) == SEP.last_day
