"""A clerk's month: figures, local targets and narratives, saved at once and traced."""
from __future__ import annotations

from decimal import Decimal

import pytest

from liubao_desktop.domain.figures import BLANK, NOT_APPLICABLE, FigureInputError, FigureValue
from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.progress_report import build_report

SEP = Period(2020, 9)


@pytest.fixture
def ledger(engine_ledger: Ledger) -> Ledger:
    """Every test here on both engines: SQLite and a PostgreSQL server (tests/conftest.py)."""
    return engine_ledger


def test_a_clerk_types_1523_for_2020_09_and_sees_undecomposed_until_the_local_target_is_set(ledger: Ledger) -> None:
    value = ledger.parse_entry("1.3.1", "1523")
    change = ledger.record_figure("芙蓉区", "1.3.1", SEP, value)
    assert "已保存" in change.message and "1,523" in change.message
    line = build_report(ledger, "芙蓉区", SEP).targets["1.3.1"]
    assert line.progress.actual == FigureValue.of(Decimal(1523))
    # 1.4万人 is the whole city's: a district is never measured against it (that read 10.9%, 红).
    assert line.progress.completion is None and line.progress.expected is None
    assert line.progress.status == "未分解"
    ledger.set_local_target("芙蓉区", "1.3.1", Decimal(1400))
    line = build_report(ledger, "芙蓉区", SEP).targets["1.3.1"]
    assert f"{line.progress.completion * 100:.1f}" == "108.8"
    assert line.progress.expected == Decimal("0.4")  # Aug..Dec 2020, two of five months gone
    assert line.progress.status == "已完成"


def test_cumulative_targets_add_up_months_and_the_month_before_does_not_see_later_ones(ledger: Ledger) -> None:
    for month, n in ((8, "1000"), (9, "1523"), (10, "2000")):
        ledger.record_figure("芙蓉区", "1.3.1", Period(2020, month), ledger.parse_entry("1.3.1", n))
    assert build_report(ledger, "芙蓉区", SEP).targets["1.3.1"].progress.actual.number == 2523
    assert build_report(ledger, "芙蓉区", Period(2020, 10)).targets["1.3.1"].progress.actual.number == 4523


def test_money_is_typed_in_wan_yuan_and_stored_in_yuan(ledger: Ledger) -> None:
    value = ledger.parse_entry("2.4.1", "12,500.5")
    assert value.number == Decimal("125005000")
    ledger.record_figure("芙蓉区", "2.4.1", SEP, value)
    assert ledger.format_entry("2.4.1", ledger.figure("芙蓉区", "2.4.1", SEP)) == "12,500.5"


def test_rates_are_typed_as_percentages(ledger: Ledger) -> None:
    ledger.set_involved("芙蓉区", "6.4.1", True)  # 6.4 is given to city bureaus: 不涉及 until the office says
    value = ledger.parse_entry("6.4.1", "15")
    ledger.record_figure("芙蓉区", "6.4.1", SEP, value)
    line = build_report(ledger, "芙蓉区", SEP).targets["6.4.1"]
    assert line.progress.completion == Decimal("0.75")  # 压减15% of the 20% asked


def test_blank_zero_and_not_applicable_stay_three_different_things(ledger: Ledger) -> None:
    ledger.set_local_target("芙蓉区", "1.4.1", Decimal(5000))
    ledger.record_figure("芙蓉区", "1.4.1", SEP, ledger.parse_entry("1.4.1", "0"))
    ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "不适用"))
    report = build_report(ledger, "芙蓉区", SEP)
    assert report.targets["1.4.1"].this_period == FigureValue.of(Decimal(0))
    assert report.targets["1.4.1"].progress.status == "红"
    assert report.targets["1.3.1"].this_period == NOT_APPLICABLE
    assert report.targets["1.3.1"].progress.status == "不适用"
    assert report.targets["1.1.1"].this_period == BLANK
    assert report.targets["1.1.1"].progress.status == "未启动"
    assert ledger.format_entry("1.4.1", report.targets["1.4.1"].this_period) == "0"
    assert ledger.format_entry("3.3.2", NOT_APPLICABLE) == "不适用"


@pytest.mark.parametrize("text", ["abc", "-5", "1e30", "1" * 17, "1.23456"])
def test_bad_input_is_refused_and_nothing_is_written(ledger: Ledger, text: str) -> None:
    with pytest.raises(FigureInputError) as err:
        ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", text))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))
    assert ledger.figures("芙蓉区") == {}
    assert ledger.db.execute_sql("SELECT count(*) FROM audit_log").fetchone()[0] == 0


def test_a_local_target_replaces_the_city_target_for_completion(ledger: Ledger) -> None:
    ledger.set_local_target("芙蓉区", "1.3.1", Decimal(1500))
    ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "1500"))
    line = build_report(ledger, "芙蓉区", SEP).targets["1.3.1"]
    assert line.progress.completion == 1 and line.progress.status == "已完成"
    ledger.set_local_target("芙蓉区", "1.3.1", None)
    assert build_report(ledger, "芙蓉区", SEP).targets["1.3.1"].local_target is None


def test_narratives_and_the_measure_status_of_a_qualitative_measure(ledger: Ledger) -> None:
    assert build_report(ledger, "芙蓉区", SEP).measures["1.2"].status == "未启动"
    ledger.write_narrative("芙蓉区", "1.2", Period(2020, 8), Narrative(progress="返乡创业培训 2 期"))
    assert build_report(ledger, "芙蓉区", SEP).measures["1.2"].status == "绿"
    # 6.1 was due 2020年8月31日前: the August report already asks for it
    assert build_report(ledger, "芙蓉区", Period(2020, 8)).measures["6.1"].status == "逾期"
    ledger.write_narrative("芙蓉区", "6.1", Period(2020, 8), Narrative(progress="全部拨付", done=True))
    assert build_report(ledger, "芙蓉区", Period(2020, 8)).measures["6.1"].status == "已完成"
    assert build_report(ledger, "芙蓉区", Period(2020, 10)).measures["6.1"].status == "已完成"


def test_every_change_is_in_the_audit_trail_with_old_and_new_values(ledger: Ledger) -> None:
    ledger.sign_as("张三")
    ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "1523"))
    ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "1600"), source="typed")
    ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "1523"), source="undo")
    rows = ledger.db.execute_sql("SELECT old_value, new_value, source, operator FROM audit_log ORDER BY id")
    assert list(rows) == [
        (None, "1523", "typed", "张三"),
        ("1523", "1600", "typed", "张三"),
        ("1600", "1523", "undo", "张三"),
    ]


def test_everything_is_there_after_reopening(data_dir) -> None:  # noqa: ANN001
    led = Ledger.open(data_dir)
    led.record_figure("芙蓉区", "1.3.1", SEP, led.parse_entry("1.3.1", "1523"))
    led.write_narrative("芙蓉区", "1.3", SEP, Narrative("进展", "问题", "计划"))
    led.close()
    led = Ledger.open(data_dir)
    try:
        assert led.figure("芙蓉区", "1.3.1", SEP).number == 1523
        assert led.narrative("芙蓉区", "1.3", SEP) == Narrative("进展", "问题", "计划")
        assert led.default_period("芙蓉区") == SEP
    finally:
        led.close()


def test_default_month_is_the_plans_first_without_data(ledger: Ledger) -> None:
    assert ledger.default_period("芙蓉区") == Period(2020, 8)
    assert len(ledger.periods) == 17


def test_a_custom_office_can_be_added(ledger: Ledger) -> None:
    org = ledger.add_org("某某街道")
    assert org.kind == "custom" and ledger.org("某某街道").code == org.code
    with pytest.raises(ValueError):
        ledger.add_org("  ")


def test_a_percent_sign_is_refused_where_the_target_counts_people_or_money(ledger: Ledger) -> None:
    for code in ("1.3.1", "2.4.1"):
        with pytest.raises(FigureInputError, match="不能填百分数"):
            ledger.parse_entry(code, "50%")
    assert ledger.parse_entry("6.4.1", "15%").number == Decimal("0.15")


def test_a_note_keeps_its_commas_and_its_length_limit(ledger: Ledger) -> None:
    assert ledger.check_note(" 1,2月合并填报, see A,B ") == "1,2月合并填报, see A,B"
    with pytest.raises(FigureInputError, match="500"):
        ledger.check_note("字" * 501)


def test_a_local_target_must_be_a_positive_number(ledger: Ledger) -> None:
    assert ledger.parse_local_target("1.3.1", "3,046") == Decimal(3046)
    assert ledger.parse_local_target("1.3.1", "") is None
    for bad in ("不适用", "0"):
        with pytest.raises(FigureInputError):
            ledger.parse_local_target("1.3.1", bad)


def test_a_done_tick_carries_forward_until_a_later_month_unticks_it(ledger: Ledger) -> None:
    ledger.write_narrative("芙蓉区", "1.2", SEP, Narrative(progress="已完成全部培训", done=True))
    october = build_report(ledger, "芙蓉区", Period(2020, 10)).measures["1.2"]
    assert october.status == "已完成" and october.narrative.done  # the editor shows the inherited tick
    ledger.write_narrative("芙蓉区", "1.2", Period(2020, 10), Narrative(progress="发现遗漏，重新开展", done=False))
    assert build_report(ledger, "芙蓉区", Period(2020, 10)).measures["1.2"].status == "绿"
    assert build_report(ledger, "芙蓉区", Period(2020, 11)).measures["1.2"].status == "绿"
    assert build_report(ledger, "芙蓉区", SEP).measures["1.2"].status == "已完成"


@pytest.mark.parametrize(("code", "text", "why"), [
    ("1.3.2", "1523", "不是定性指标的状态"),  # 零就业家庭动态清零: a state, not a number
    ("1.1.1", "150", "不能超过 100%"),  # a share
    ("1.1.1", "120", "不能超过 100%"),  # a share of new positions
    ("6.4.1", "101", "不能超过 100%"),  # a cut of more than everything
    ("1.3.1", "123.5", "只能填整数"),  # half a person
    ("2.3.2", "2.5", "只能填整数"),  # two and a half clinics
])
def test_figures_that_cannot_be_true_are_refused(ledger: Ledger, code: str, text: str, why: str) -> None:
    with pytest.raises(FigureInputError, match=why):
        ledger.record_figure("芙蓉区", code, SEP, ledger.parse_entry(code, text))
    assert ledger.figures("芙蓉区") == {}


def test_growth_rates_may_pass_100_percent_and_tonnes_may_have_decimals(ledger: Ledger) -> None:
    ledger.record_figure("芙蓉区", "6.3.2", SEP, ledger.parse_entry("6.3.2", "150"))
    ledger.record_figure("芙蓉区", "4.2.1", SEP, ledger.parse_entry("4.2.1", "12.5"))
    assert ledger.figure("芙蓉区", "4.2.1", SEP).number == Decimal("12.5")


def test_a_rate_target_is_held_to_its_level_from_the_first_month(ledger: Ledger) -> None:
    # 不低于新增岗位的50%: 27% is behind whatever the calendar says, not ahead of a 序时 of 12%
    ledger.record_figure("芙蓉区", "1.1.1", SEP, ledger.parse_entry("1.1.1", "27"))
    line = build_report(ledger, "芙蓉区", SEP).targets["1.1.1"]
    assert line.progress.expected == 1 and line.progress.status == "红"


def test_narratives_are_stored_with_one_kind_of_line_break_and_no_control_characters(ledger: Ledger) -> None:
    ledger.write_narrative("芙蓉区", "1.2", SEP, Narrative(progress="第一行\r\n第二行\x0b第三行\x07 "))
    assert ledger.narrative("芙蓉区", "1.2", SEP).progress == "第一行\n第二行\n第三行"


def test_choosing_the_office_saves_office_and_operator_together(ledger: Ledger) -> None:
    with pytest.raises(ValueError, match="填报人"):
        ledger.choose_office("新开街道", " ")
    assert "新开街道" not in [o.name for o in ledger.orgs()]
    org = ledger.choose_office("新开街道", " 王五 ")
    assert org.name == "新开街道" and ledger.operator == "王五"
    # the office and the operator are this PC's choice (the window keeps them in settings.ini), not the ledger's
    assert ledger.setting("operator") is None and ledger.setting("current_org") is None


def test_notes_of_every_month_come_back_in_one_read(ledger: Ledger) -> None:
    ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "5"), note="含上月补报")
    ledger.record_figure("芙蓉区", "1.4.1", Period(2020, 10), BLANK, note="培训推迟")
    assert ledger.notes_by_period("芙蓉区") == {SEP: {"1.3.1": "含上月补报"}, Period(2020, 10): {"1.4.1": "培训推迟"}}
    assert ledger.notes("芙蓉区", SEP) == {"1.3.1": "含上月补报"}
