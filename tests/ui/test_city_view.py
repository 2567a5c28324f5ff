"""Switching the window to 长沙市: its figures rolled up from the offices, read-only where computed."""
from __future__ import annotations

from decimal import Decimal

from liubao_desktop.domain.periods import Period
from liubao_desktop.domain.progress import STATUS_ORDER
from liubao_desktop.services.rollup import org_report, rolled_up
from liubao_desktop.services.sample_data import fill_sample_data
from liubao_desktop.ui.plan_tree_model import CodeRole
from liubao_desktop.ui.targets_model import COL_PACE, COL_PERIOD, COL_STATUS, COL_TOTAL
from tests.ui.test_main_window import cell, type_into_cell

SEP = Period(2020, 9)
CITY = "430100"


def test_the_org_switcher_offers_the_city_the_offices_and_their_units(qtbot, window) -> None:  # noqa: ANN001
    window.ledger.add_unit("芙蓉区", "区人社局")
    window.reload_orgs("430102")
    items = [window.org_combo.itemText(i) for i in range(window.org_combo.count())]
    assert items[:3] == ["长沙市（汇总）", "芙蓉区", "　区人社局"] and len(items) == 15
    assert "汇总得出" in window.org_combo.itemData(0, 3)  # the city's tooltip says where its figures come from


def test_switching_to_the_city_shows_its_rolled_up_figures_and_refuses_typing_them(qtbot, window) -> None:  # noqa: ANN001
    ledger = window.ledger
    fill_sample_data(ledger, [o.code for o in ledger.orgs()], SEP, narratives=False)
    window.set_period(SEP)
    window.set_org(CITY)
    assert window.org_code == CITY and "长沙市" in window.windowTitle()
    assert "不能直接填写" in window.org_combo.toolTip()
    expected = org_report(ledger, CITY, SEP)
    assert window.report.rolled == expected.rolled and "1.3.1" in expected.rolled
    # the tree shows the rolled-up status of every measure
    model = window.tree_model
    shown = {}
    for p in range(model.rowCount()):
        part = model.index(p, 0)
        for m in range(model.rowCount(part)):
            index = model.index(m, 0, part)
            shown[index.data(CodeRole)] = model.index(m, 1, part).data()
    assert shown == {code: ml.status for code, ml in expected.measures.items()}
    assert set(shown.values()) <= set(STATUS_ORDER)
    assert shown["1.3"] != "未启动"  # the city typed nothing: the status comes from its offices
    window.select_measure("1.3")
    row = window.targets_model.row_of("1.3.1")
    total = expected.targets["1.3.1"].progress.actual.number
    assert cell(window, row, COL_TOTAL).replace(",", "") == str(total)
    window.select_measure("1.1")
    share_row = window.targets_model.row_of("1.1.1")
    share = rolled_up(expected.targets["1.1.1"])
    assert cell(window, share_row, COL_TOTAL) == share.range_text(expected.targets["1.1.1"].target)
    assert cell(window, share_row, COL_PACE) == share.count_text()
    assert cell(window, share_row, COL_STATUS) == expected.targets["1.1.1"].progress.status
    tip = window.targets_model.index(share_row, COL_PERIOD).data(3)
    assert "不能直接填写" in tip and "汇总" in tip
    # typing a computed figure is refused, saying where it comes from; nothing is written for the city
    window.select_measure("1.3")
    type_into_cell(qtbot, window, row, COL_PERIOD, "100")
    assert "不能直接填写" in window.input_error.text() and "下级单位" in window.input_error.text()
    assert ledger.figure(CITY, "1.3.1", SEP).is_blank
    assert window.report.targets["1.3.1"].progress.actual.number == total


def test_the_citys_own_target_is_typed_as_before(qtbot, window) -> None:  # noqa: ANN001
    """6.2.1 市本级盘活“三资” concerns no office: the city types it itself."""
    window.set_period(SEP)
    window.set_org(CITY)
    window.select_measure("6.2")
    row = window.targets_model.row_of("6.2.1")
    assert rolled_up(window.report.targets["6.2.1"]) is None
    type_into_cell(qtbot, window, row, COL_PERIOD, "5000")
    assert window.ledger.figure(CITY, "6.2.1", SEP).number == Decimal(50_000_000)


def test_the_due_day_is_set_beside_the_thresholds(qtbot, window) -> None:  # noqa: ANN001
    from liubao_desktop.ui.thresholds_dialog import ThresholdsDialog

    dialog = ThresholdsDialog(window.ledger, window)
    qtbot.addWidget(dialog)
    assert dialog.due_day.value() == 5 and dialog.due_day.text() == "每月 5 日前"
    dialog.due_day.setValue(10)
    dialog.accept()
    assert window.ledger.preferences.report_due_day() == 10


def test_a_window_on_the_city_stays_on_it_after_a_restore_and_at_the_next_start(qtbot, window) -> None:  # noqa: ANN001
    from liubao_desktop.ui.main_window import org_in_ledger

    window.set_org(CITY)
    window.reopen_ledger()
    assert window.org_code == CITY
    unit = window.ledger.add_unit("芙蓉区", "区人社局")
    assert org_in_ledger(window.ledger, CITY) and org_in_ledger(window.ledger, unit.code)
    window.ledger.retire_unit(unit.code)
    assert not org_in_ledger(window.ledger, unit.code) and not org_in_ledger(window.ledger, "NOPE")
