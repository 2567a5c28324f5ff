"""What goes on a task list, before any paper: the rows the print service selects and groups (no Qt here)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from liubao_desktop.domain.deadlines import PARTIAL_NOTE, PLAN_END_NOTE, measure_deadline
from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.task_list import (
    LEAD,
    NO_UNIT,
    SUPPORT,
    TaskListOptions,
    build_task_list,
)

AUG, SEP = Period(2020, 8), Period(2020, 9)
FINANCE = "市财政局"
FINANCE_MEASURES = ["2.1", "3.1", "3.2", "3.3", "4.2", "4.5", "5.2", "5.4", "6.1", "6.2", "6.3", "6.4"]


def rows_by_group(task_list) -> dict[str, list[str]]:  # noqa: ANN001
    return {g.heading: [r.measure_code for r in g.rows] for g in task_list.groups}


def test_grouped_by_unit_every_measure_is_listed_under_each_of_its_units_and_part_7_under_no_unit(
    ledger: Ledger,
) -> None:
    task_list = build_task_list(ledger, "芙蓉区", SEP)
    groups = rows_by_group(task_list)
    expected: dict[str, list[str]] = {}
    for m in ledger.plan.measures():
        for unit in m.units or (NO_UNIT,):
            expected.setdefault(unit, []).append(m.code)
    assert groups == expected
    assert list(groups)[-1] == NO_UNIT and groups[NO_UNIT] == ["7.1", "7.2", "7.3"]
    assert task_list.measure_count == 30
    assert [r.seq for r in task_list.groups[0].rows] == list(range(1, len(task_list.groups[0].rows) + 1))


def test_the_lead_unit_is_marked_in_its_own_section_and_the_others_support(ledger: Ledger) -> None:
    finance = next(g for g in build_task_list(ledger, "芙蓉区", SEP).groups if g.key == FINANCE)
    roles = {r.measure_code: r.role for r in finance.rows}
    assert roles["6.1"] == LEAD and roles["3.1"] == LEAD  # 市财政局 is named first there
    assert roles["2.1"] == SUPPORT  # 市发展改革委 leads 2.1
    assert "牵头 4 项、配合 8 项" in finance.summary


def test_one_unit_gives_exactly_its_measures_in_plan_order(ledger: Ledger) -> None:
    task_list = build_task_list(ledger, "芙蓉区", SEP, TaskListOptions(unit=FINANCE))
    assert rows_by_group(task_list) == {FINANCE: FINANCE_MEASURES}


def test_one_unit_grouped_by_part_keeps_the_parts_it_has_tasks_in(ledger: Ledger) -> None:
    task_list = build_task_list(ledger, "芙蓉区", SEP, TaskListOptions(group_by="part", unit=FINANCE))
    groups = rows_by_group(task_list)
    assert list(groups) == ["二、保基本民生", "三、保市场主体", "四、保粮食能源安全", "五、保产业链供应链稳定", "六、保基层运转"]
    assert sum(groups.values(), []) == FINANCE_MEASURES


def test_grouped_by_part_the_seven_parts_hold_all_thirty_measures(ledger: Ledger) -> None:
    task_list = build_task_list(ledger, "芙蓉区", SEP, TaskListOptions(group_by="part"))
    assert [g.heading[:2] for g in task_list.groups] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert task_list.row_count == 30 and all(r.role == "" for g in task_list.groups for r in g.rows)


def test_only_late_keeps_red_and_overdue_as_of_the_chosen_month(ledger: Ledger) -> None:
    def late(period: Period) -> list[tuple[str, str]]:
        task_list = build_task_list(ledger, "芙蓉区", period, TaskListOptions(group_by="part", only_late=True))
        return [(r.measure_code, r.status) for g in task_list.groups for r in g.rows]

    # 6.1 was due 2020年8月31日前: overdue from the August report on, until it is ticked done.
    assert late(AUG) == [("6.1", "逾期")]
    # 1,523 of 芙蓉区's 10,000 people by September is far behind 序时 (2 of 5 months): red in September, not in August.
    ledger.set_local_target("芙蓉区", "1.3.1", Decimal(10000))
    ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "1523"))
    assert late(AUG) == [("6.1", "逾期")]
    assert late(SEP) == [("1.3", "红"), ("6.1", "逾期")]
    ledger.write_narrative("芙蓉区", "6.1", AUG, Narrative(progress="已全部拨付", done=True))
    assert late(SEP) == [("1.3", "红")]


def test_the_status_and_completion_are_those_of_the_chosen_month_not_of_today(ledger: Ledger) -> None:
    ledger.set_local_target("芙蓉区", "1.3.1", Decimal(14000))
    ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "7000"))
    ledger.record_figure("芙蓉区", "1.3.2", SEP, ledger.parse_entry("1.3.2", "推进中"))

    def row(period: Period):  # noqa: ANN202
        task_list = build_task_list(ledger, "芙蓉区", period, TaskListOptions(group_by="part"))
        return next(r for g in task_list.groups for r in g.rows if r.measure_code == "1.3")

    # nothing reported: 平均完成率 counts unreported targets as 0, as every report does
    assert (row(AUG).status, row(AUG).completion_text) == ("未启动", "0.0%")
    # 7000 of 14000 (50%) and 清零 推进中 (not done: 0 in the average): 25%, and 绿
    assert (row(SEP).status, row(SEP).completion_text) == ("绿", "25.0%")


def test_full_text_is_the_original_wording_after_the_title_and_only_when_asked(ledger: Ledger) -> None:
    plain = build_task_list(ledger, "芙蓉区", SEP, TaskListOptions(group_by="part"))
    assert all(r.text == "" for g in plain.groups for r in g.rows)
    full = build_task_list(ledger, "芙蓉区", SEP, TaskListOptions(group_by="part", full_text=True))
    row_61 = next(r for g in full.groups for r in g.rows if r.measure_code == "6.1")
    assert row_61.text.startswith("严格落实中央关于建立资金直达基层")
    assert "2020年8月31日前完成拨付" in row_61.text and not row_61.text.startswith(row_61.title)


@pytest.mark.parametrize(("code", "shown", "note"), [
    ("6.1", "2020年8月31日前", ""),  # the measure's own deadline
    ("1.3", "2020年12月31日前", ""),  # both targets are due at year end
    ("4.2", "2020年12月31日前", PARTIAL_NOTE),  # only 收购原粮 is; the other targets run to the plan's end
    ("6.4", "2020年8月31日前", PARTIAL_NOTE),  # the measure's date is earlier than its targets'
    ("1.2", "2021年12月31日前", PLAN_END_NOTE),  # no date in the text: the plan's end
    ("7.1", "2021年12月31日前", PLAN_END_NOTE),
])
def test_the_deadline_column_shows_the_earliest_date_and_says_where_it_comes_from(
    ledger: Ledger, code: str, shown: str, note: str
) -> None:
    deadline = measure_deadline(ledger.plan.measure(code), ledger.plan.effective_to)
    assert (deadline.text, deadline.note) == (shown, note)


def test_a_unit_the_plan_does_not_name_is_refused_with_the_names_it_knows(ledger: Ledger) -> None:
    with pytest.raises(ValueError, match="没有名为“市财政厅”的责任单位。是不是：市财政局") as err:
        build_task_list(ledger, "芙蓉区", SEP, TaskListOptions(unit="市财政厅"))
    assert FINANCE in str(err.value)
    with pytest.raises(ValueError, match="分组方式"):
        TaskListOptions(group_by="month")


def test_an_empty_selection_is_a_list_without_groups_that_says_why(ledger: Ledger) -> None:
    task_list = build_task_list(ledger, "芙蓉区", AUG, TaskListOptions(unit="市委编办", only_late=True),
                                printed_on=date(2020, 9, 2))
    assert task_list.is_empty and task_list.row_count == 0
    assert "没有符合条件的任务" in task_list.empty_message and "市委编办" in task_list.empty_message
    assert task_list.printed_on == date(2020, 9, 2)
