"""Issue 10 in the window: numbers the city can trust — 未分解 without colour, 定性 targets as states, 不涉及 per
target, the 序时 rule named, 分解目标 typed or pasted in one table."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from liubao_desktop.domain.periods import Period
from liubao_desktop.ui.local_targets_dialog import LocalTargetsDialog
from liubao_desktop.ui.targets_model import (
    COL_CITY,
    COL_EXPECTED,
    COL_LABEL,
    COL_LOCAL,
    COL_PACE,
    COL_PERIOD,
    COL_RATE,
    COL_STATUS,
    COL_TOTAL,
    COL_UNIT,
    STATE_CHOICES,
)
from liubao_desktop.ui.targets_view import BLANK_CHOICE, ChoiceEditor

from .test_main_window import cell, type_into_cell

FRQ = "430102"  # 芙蓉区
SEP = Period(2020, 9)


def state_editor(qtbot, win, row: int) -> ChoiceEditor:  # noqa: ANN001
    """The 本期完成 cell of a 定性 target opened as the clerk would: its drop-down, with the focus."""
    view = win.targets_view
    index = win.targets_model.index(row, COL_PERIOD)
    view.setCurrentIndex(index)
    view.setFocus()
    view.edit(index)
    editor = view.indexWidget(index)
    assert isinstance(editor, ChoiceEditor)
    return editor


def tooltip(win, row: int, col: int) -> str:  # noqa: ANN001
    return win.targets_model.index(row, col).data(Qt.ItemDataRole.ToolTipRole) or ""


def test_a_qualitative_target_is_set_to_done_from_its_drop_down(qtbot, window):  # noqa: ANN001
    window.select_measure("1.3")
    window.set_period(SEP)
    row = window.targets_model.row_of("1.3.2")  # 零就业家庭动态清零
    assert cell(window, row, COL_UNIT) == "定性" and cell(window, row, COL_CITY) == "完成"
    assert cell(window, row, COL_STATUS) == "未启动"
    assert not window.targets_model.flags(window.targets_model.index(row, COL_LOCAL)) & Qt.ItemFlag.ItemIsEditable

    combo = state_editor(qtbot, window, row)
    assert [combo.itemText(i) for i in range(combo.count())] == [c or BLANK_CHOICE for c in STATE_CHOICES]
    assert combo.width() >= combo.sizeHint().width()  # the arrow never covers the state it shows
    done = combo.findText("已完成")
    combo.setCurrentIndex(done)
    combo.activated.emit(done)  # picked from the list: saved at once

    assert cell(window, row, COL_PERIOD) == "已完成"
    assert cell(window, row, COL_STATUS) == "已完成"
    assert cell(window, row, COL_PACE) == "已完成（2020年9月）"
    assert cell(window, row, COL_RATE) == "" and cell(window, row, COL_EXPECTED) == ""
    assert window.ledger.figure(FRQ, "1.3.2", SEP).state == "已完成"
    assert window.targets_view.indexWidget(window.targets_model.index(row, COL_PERIOD)) is None  # editor closed
    assert "已保存" in window.statusBar().currentMessage()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert cell(window, row, COL_PERIOD) == "" and cell(window, row, COL_STATUS) == "未启动"


def test_typing_wan_cheng_into_the_drop_down_is_read_as_done(qtbot, window):  # noqa: ANN001
    window.select_measure("1.3")
    window.set_period(Period(2020, 10))
    row = window.targets_model.row_of("1.3.2")
    for typed, shown, status in (("推进中", "推进中", "绿"), ("完成", "已完成", "已完成"), ("不适用", "不适用", "不适用")):
        combo = state_editor(qtbot, window, row)
        combo.lineEdit().selectAll()
        event = QInputMethodEvent()
        event.setCommitString(typed)  # Chinese arrives from the input method, not as key presses
        QApplication.sendEvent(combo.lineEdit(), event)
        qtbot.keyClick(combo, Qt.Key.Key_Return)
        assert cell(window, row, COL_PERIOD) == shown
        assert cell(window, row, COL_STATUS) == status

    combo = state_editor(qtbot, window, row)
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "50")  # a number is no state: refused, the typing kept to correct
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert "不是定性指标的状态" in window.input_error.text()
    assert window.targets_view.indexWidget(window.targets_model.index(row, COL_PERIOD)) is combo
    assert window.ledger.figure(FRQ, "1.3.2", Period(2020, 10)).not_applicable


def test_the_pace_rule_is_named_on_every_kind_of_target(qtbot, window):  # noqa: ANN001
    window.set_period(SEP)
    window.select_measure("1.3")
    model = window.targets_model
    assert "序时规则：全年均衡" in tooltip(window, model.row_of("1.3.1"), COL_EXPECTED)
    assert "序时规则：定性" in tooltip(window, model.row_of("1.3.2"), COL_EXPECTED)
    window.select_measure("1.1")
    assert "序时规则：自首月起须达到" in tooltip(window, model.row_of("1.1.1"), COL_EXPECTED)
    assert "第一个月" in tooltip(window, model.row_of("1.1.1"), COL_EXPECTED)

    window.select_measure("4.2")  # 完好仓容: a level held, 达到 or 未达到 each month
    row = model.row_of("4.2.2")
    assert "序时规则：期末达到" in tooltip(window, row, COL_EXPECTED)
    type_into_cell(qtbot, window, row, COL_LOCAL, "100000")
    type_into_cell(qtbot, window, row, COL_PERIOD, "90000")
    assert cell(window, row, COL_PACE) == "未达到"
    type_into_cell(qtbot, window, row, COL_PERIOD, "120000")
    assert cell(window, row, COL_PACE) == "达到"

    window.select_measure("1.3")  # a count against the district's share: 快慢 in words
    row = model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_LOCAL, "1400")
    type_into_cell(qtbot, window, row, COL_PERIOD, "280")  # 20% against 序时 40%
    assert cell(window, row, COL_PACE) == "慢于序时 20.0 个百分点"
    assert cell(window, row, COL_STATUS) == "红"


def test_a_target_switched_to_not_involved_and_back_with_undo(qtbot, window):  # noqa: ANN001
    window.set_period(SEP)
    window.select_measure("1.4")  # 开展补贴类培训: the district's own measure, a city amount without 分解目标
    model, view = window.targets_model, window.targets_view
    row = model.row_of("1.4.1")
    assert cell(window, row, COL_STATUS) == "未分解"
    hint_before = window.pane.undecomposed_hint.text()
    menu = view.menu_for(model.index(row, COL_LABEL))
    switch = next(a for a in menu.actions() if a.text() == "设为不涉及")
    switch.trigger()

    assert cell(window, row, COL_STATUS) == "不涉及"
    assert all(model.index(row, c).data(Qt.ItemDataRole.ForegroundRole).name() == "#8a8a8a"
               for c in (COL_LABEL, COL_PERIOD, COL_STATUS))
    assert model.index(row, COL_STATUS).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "不涉及" in tooltip(window, row, COL_STATUS)
    assert window.ledger.involvement(FRQ)["1.4.1"] is False
    assert window.report.measures["1.4"].status == "不涉及"
    tree_status = window.tree_model.index_for_code("1.4", 1)
    assert tree_status.data() == "不涉及" and tree_status.data(Qt.ItemDataRole.BackgroundRole) is None
    assert "设为不涉及" in window.statusBar().currentMessage()
    assert window.pane.undecomposed_hint.text() != hint_before  # one city amount fewer to decompose

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert cell(window, row, COL_STATUS) == "未分解"
    assert window.ledger.involvement(FRQ)["1.4.1"] is True
    assert tree_status.data() == "未分解" and tree_status.data(Qt.ItemDataRole.BackgroundRole) is None
    assert window.pane.undecomposed_hint.text() == hint_before
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert cell(window, row, COL_STATUS) == "不涉及"

    window.select_measure("2.3")  # not the district's measure: 不涉及 unless it says otherwise
    row = model.row_of("2.3.7")
    assert cell(window, row, COL_STATUS) == "不涉及"
    menu = view.menu_for(model.index(row, COL_PERIOD))
    next(a for a in menu.actions() if a.text() == "设为涉及本单位").trigger()
    assert cell(window, row, COL_STATUS) == "未分解"
    assert window.undo_stack.count() == 2


def test_the_measure_says_its_deadline_with_its_note_apart_from_its_status(qtbot, window):  # noqa: ANN001
    window.set_period(SEP)
    window.select_measure("4.2")
    text = window.meta_label.text()
    assert "完成时限：2020年12月31日前（部分任务）　｜　当前状态：" in text


def test_the_hint_counts_undecomposed_targets_and_opens_the_dialog(qtbot, window):  # noqa: ANN001
    hint = window.pane.undecomposed_hint
    assert hint.isVisible()
    undecomposed = sum(1 for ln in window.report.targets.values() if ln.progress.status == "未分解")
    assert undecomposed > 0
    assert f"有 {undecomposed} 项指标尚未设分解目标，完成率按“未分解”显示" in hint.text()
    assert "设置分解目标…" in hint.text()
    hint.linkActivated.emit("set")
    dialog = window.findChild(LocalTargetsDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    hint.linkActivated.emit("later")
    assert not hint.isVisible()


def test_a_column_of_local_targets_is_pasted_from_the_citys_sheet(qtbot, qtmodeltester, window, monkeypatch):  # noqa: ANN001
    window.set_period(SEP)
    window.select_measure("1.3")
    type_into_cell(qtbot, window, window.targets_model.row_of("1.3.1"), COL_PERIOD, "1523")
    dialog = window.show_local_targets()
    assert isinstance(dialog, LocalTargetsDialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == len(window.ledger.plan.targets())  # every target of the plan
    assert all(dialog.view.isColumnHidden(c) for c in (COL_PERIOD, COL_TOTAL, COL_PACE))

    dialog.only_amounts.setChecked(True)  # the rows the city's sheet decomposes, in plan order
    codes = [dialog.model.line(r).target.code for r in range(dialog.model.rowCount())]
    assert codes[:2] == ["1.3.1", "1.4.1"] and "1.3.2" not in codes
    pushed = window.undo_stack.count()

    # one cell refused: nothing at all is saved
    QGuiApplication.clipboard().setText("1400\n一千\n")
    dialog.view.setCurrentIndex(dialog.model.index(0, COL_LOCAL))
    dialog.view.paste()
    assert dialog.error.isVisible() and "全部没有保存" in dialog.error.text()
    assert window.ledger.local_targets(FRQ) == {} and window.undo_stack.count() == pushed

    QGuiApplication.clipboard().setText("1400\r\n25000\r\n")  # as a spreadsheet copies a column
    dialog.view.paste()
    assert window.ledger.local_targets(FRQ) == {"1.3.1": 1400, "1.4.1": 25000}
    assert window.undo_stack.count() == pushed + 1  # one undo step for the column
    assert dialog.model.index(0, COL_LOCAL).data() == "1,400"
    assert dialog.model.index(0, COL_RATE).data() == "108.8%"
    assert dialog.model.index(0, COL_STATUS).data() == "已完成"
    row = window.targets_model.row_of("1.3.1")  # the window behind shows it too
    assert cell(window, row, COL_RATE) == "108.8%" and cell(window, row, COL_STATUS) == "已完成"

    dialog.undo_action.trigger()
    assert window.ledger.local_targets(FRQ) == {}
    assert dialog.model.index(0, COL_LOCAL).data() == "未分解"
    assert cell(window, row, COL_STATUS) == "未分解"

    # typed in the dialog: the same questions as in the window (a share above the city's whole target)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    first = dialog.model.index(0, COL_LOCAL)
    dialog.view.setCurrentIndex(first)
    dialog.view.edit(first)
    editor = dialog.view.indexWidget(first)
    assert editor.text() == ""  # 未分解 is shown in the cell, not typed over
    qtbot.keyClicks(editor, "20000")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert asked and "大于市级目标" in asked[0]
    assert window.ledger.local_targets(FRQ) == {"1.3.1": 20000}
    assert dialog.view.currentIndex().row() == 1  # Enter moved down, to the next target's 分解目标
    dialog.reject()
