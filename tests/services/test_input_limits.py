"""Part 7: every refusal is a clear Chinese message and writes nothing; implausible figures ask first."""
from __future__ import annotations

from decimal import Decimal

import pytest

from liubao_desktop.domain.figures import FigureInputError, FigureValue
from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import NARRATIVE_LIMIT, NOTE_LIMIT, Ledger
from liubao_desktop.storage.models import AuditRow, FigureRow, LocalTargetRow, NarrativeRow

SEP = Period(2020, 9)


def nothing_written() -> bool:
    return all(m.select().count() == 0 for m in (FigureRow, LocalTargetRow, NarrativeRow, AuditRow))


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize(
    ("target", "typed", "says"),
    [
        ("1.3.1", "-5", "负数"),  # a count of people cannot be negative
        ("2.4.1", "-0.5", "负数"),  # nor money spent
        ("1.3.1", "1.23456", "小数位数过多"),  # more than 4 decimals
        ("6.4.1", "15.12345", "小数位数过多"),  # also for a rate typed in %
        ("1.3.1", "1000000000000001", "数值过大"),  # above 1e15
        ("2.4.1", "1e3", "科学计数法"),
        ("1.3.1", "NaN", "不是数字"),
        ("1.3.1", "Infinity", "不是数字"),
        ("1.3.1", "一千", "不是数字"),
        ("1.3.1", "1,5", "逗号"),
        ("1.3.1", "1²", "不是普通数字"),  # once saved as 12
        ("1.3.1", "⑩", "不是普通数字"),  # once saved as 10
        ("2.4.1", "٣٤٥", "不是普通数字"),  # once saved as 345
        ("6.4.1", "5万", "不能加“万”"),  # a percentage is never 万 of anything
        ("2.4.2", "5万", "不能加“万”"),  # typed in 万元 already
        ("1.3.1", "1.5万%", "不能填百分数"),
    ],
)
def test_what_a_clerk_types_is_refused_with_a_reason(ledger: Ledger, target: str, typed: str, says: str) -> None:
    with pytest.raises(FigureInputError, match=says) as err:
        ledger.record_figure("芙蓉区", target, SEP, ledger.parse_entry(target, typed))
    assert is_chinese(str(err.value))
    assert nothing_written()


@pytest.mark.parametrize(
    ("target", "value", "says"),
    [
        ("1.3.1", Decimal("-1"), "不能填负数"),
        ("1.3.1", Decimal("1e16"), "数值过大"),
        ("1.3.1", Decimal("0.00001"), "最多保留 4 位小数"),
        ("2.4.1", Decimal("12345.6"), "最多保留 4 位小数"),  # 元 beyond 4 decimals of 万元
    ],
)
def test_values_from_other_paths_than_typing_meet_the_same_limits(
    ledger: Ledger, target: str, value: Decimal, says: str
) -> None:
    """An import hands the ledger numbers, not text: the ledger checks them again."""
    with pytest.raises(FigureInputError, match=says):
        ledger.record_figure("芙蓉区", target, SEP, FigureValue.of(value), source="import")
    assert nothing_written()


def test_negative_figures_are_allowed_where_the_target_is_a_change(ledger: Ledger) -> None:
    ledger.record_figure("芙蓉区", "6.3.2", SEP, ledger.parse_entry("6.3.2", "-2.5"))
    assert ledger.figure("芙蓉区", "6.3.2", SEP).number == Decimal("-0.025")


def test_a_local_target_must_be_positive(ledger: Ledger) -> None:
    for bad in (Decimal(0), Decimal(-10)):
        with pytest.raises(FigureInputError):
            ledger.set_local_target("芙蓉区", "1.3.1", bad)
    with pytest.raises(FigureInputError, match="数值过大"):
        ledger.set_local_target("芙蓉区", "1.3.1", Decimal("1e16"))
    assert nothing_written()


@pytest.mark.parametrize("field", ["progress", "problems", "next_steps"])
def test_a_narrative_over_2000_characters_is_refused(ledger: Ledger, field: str) -> None:
    text = "情" * (NARRATIVE_LIMIT + 1)
    with pytest.raises(FigureInputError, match="不能超过 2000 个字"):
        ledger.write_narrative("芙蓉区", "1.3", SEP, Narrative(**{field: text}))
    assert nothing_written()
    ledger.write_narrative("芙蓉区", "1.3", SEP, Narrative(**{field: text[:-1]}))  # exactly 2000 is fine


def test_a_note_over_500_characters_is_refused(ledger: Ledger) -> None:
    with pytest.raises(FigureInputError, match="备注不能超过"):
        ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1), note="注" * (NOTE_LIMIT + 1))
    assert nothing_written()


def test_a_month_outside_the_plan_is_refused(ledger: Ledger) -> None:
    with pytest.raises(FigureInputError, match="不在方案的执行期内"):
        ledger.record_figure("芙蓉区", "1.3.1", Period(2022, 1), FigureValue.of(1))
    with pytest.raises(FigureInputError, match="不在方案的执行期内"):
        ledger.write_narrative("芙蓉区", "1.3", Period(2020, 7), Narrative("提前写"))
    assert nothing_written()


# -- 10× its goal asks first ------------------------------------------------------------------------------
def test_a_figure_over_ten_times_the_city_target_asks_for_confirmation(ledger: Ledger) -> None:
    # 援助就业困难人员就业: the city target is 1.4万人 = 14,000
    assert ledger.confirmation_needed("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "140000")) is None
    question = ledger.confirmation_needed("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "150000"))
    assert question is not None
    assert "150,000人" in question and "市级目标 14,000人" in question and "10.7 倍" in question
    assert "确定" in question
    assert nothing_written()  # asking writes nothing


def test_the_local_target_is_the_yardstick_when_there_is_one(ledger: Ledger) -> None:
    ledger.set_local_target("芙蓉区", "1.3.1", Decimal(1000))
    question = ledger.confirmation_needed("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "10001"))
    assert question is not None and "分解目标 1,000人" in question
    assert ledger.confirmation_needed("天心区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "10001")) is None


def test_money_and_rates_are_compared_in_the_same_units(ledger: Ledger) -> None:
    # 统筹安排社会救助资金 8.5亿元 = 85,000万元; typing 1,000,000万元 is ~12× the goal
    assert ledger.confirmation_needed("芙蓉区", "2.4.1", SEP, ledger.parse_entry("2.4.1", "1000000")) is not None
    assert ledger.confirmation_needed("芙蓉区", "2.4.1", SEP, ledger.parse_entry("2.4.1", "85000")) is None
    # 一般性支出压减20%: 15% is plausible; 250% is no question but refused outright (a cut passes no 100%)
    assert ledger.confirmation_needed("芙蓉区", "6.4.1", SEP, ledger.parse_entry("6.4.1", "15")) is None
    with pytest.raises(FigureInputError, match="不能超过 100%"):
        ledger.parse_entry("6.4.1", "250")


def test_blank_not_applicable_and_qualitative_targets_never_ask(ledger: Ledger) -> None:
    assert ledger.confirmation_needed("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "")) is None
    assert ledger.confirmation_needed("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "不适用")) is None
    assert ledger.confirmation_needed("芙蓉区", "1.3.2", SEP, ledger.parse_entry("1.3.2", "完成")) is None


# -- 万 and 亿 as the plan writes them --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("target", "typed", "base"),
    [
        ("1.3.1", "1.5万", Decimal(15000)),  # 援助就业困难人员就业, counted in 人
        ("4.2.1", "2万", Decimal(20000)),  # 吨
        ("2.4.1", "1.5亿", Decimal(150_000_000)),  # money is typed in 万元: 1.5亿 = 15,000万元 = 1.5亿元
        ("2.4.1", "15000", Decimal(150_000_000)),  # the same figure as the 万元 it is typed in
    ],
)
def test_a_clerk_may_write_wan_and_yi_where_the_unit_allows(ledger: Ledger, target: str, typed: str,
                                                             base: Decimal) -> None:
    ledger.record_figure("芙蓉区", target, SEP, ledger.parse_entry(target, typed))
    assert ledger.figure("芙蓉区", target, SEP).number == base


def test_wan_still_has_to_give_whole_people(ledger: Ledger) -> None:
    with pytest.raises(FigureInputError, match="只能填整数"):
        ledger.parse_entry("1.3.1", "1.23456万")  # 12,345.6 people
    assert nothing_written()


def test_a_superscript_in_a_local_target_is_refused_too(ledger: Ledger) -> None:
    with pytest.raises(FigureInputError, match="“²”不是普通数字"):
        ledger.parse_local_target("1.3.1", "1²")
