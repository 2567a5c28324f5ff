"""完成时限: one rule for the window, the workbook and the printed list."""
from __future__ import annotations

from datetime import date

import pytest

from liubao_desktop.domain.deadlines import PARTIAL_NOTE, PLAN_END_NOTE, measure_deadline
from liubao_desktop.storage.seed_sql import changsha_plan

PLAN = changsha_plan()


@pytest.mark.parametrize(("code", "label"), [
    ("1.3", "2020年12月31日前"),  # both targets are due within 2020 (全年)
    ("6.1", "2020年8月31日前"),  # the measure's own date
    ("4.2", f"2020年12月31日前（{PARTIAL_NOTE}）"),  # 收购原粮 is; the stock targets run on
    ("1.2", f"2021年12月31日前（{PLAN_END_NOTE}）"),  # no date in the text: the plan's end
])
def test_the_earliest_due_date_with_what_it_covers(code: str, label: str) -> None:
    assert measure_deadline(PLAN.measure(code), PLAN.effective_to).label == label


def test_a_measure_is_never_due_after_the_plan_ends() -> None:
    for m in PLAN.measures():
        assert measure_deadline(m, PLAN.effective_to).day <= date(2021, 12, 31)
