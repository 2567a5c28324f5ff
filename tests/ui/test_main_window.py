"""A clerk's session in the main window, driven through the keyboard as they would."""
from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.ui.plan_tree_model import CodeRole, PlanTreeModel
from liubao_desktop.ui.targets_model import (
    COL_EXPECTED,
    COL_LOCAL,
    COL_PACE,
    COL_PERIOD,
    COL_RATE,
    COL_STATUS,
    COL_TOTAL,
)

from ..conftest import REPO


def visible_measures(win) -> list[str]:  # noqa: ANN001
    proxy, out = win.proxy, []
    for i in range(proxy.rowCount()):
        part = proxy.index(i, 0)
        out += [proxy.index(j, 0, part).data(CodeRole) for j in range(proxy.rowCount(part))]
    return out


def open_editor(win, row: int, col: int) -> QLineEdit:  # noqa: ANN001
    """Double-click, as it were: the cell's editor, with the keyboard focus."""
    view = win.targets_view
    index = win.targets_model.index(row, col)
    view.setCurrentIndex(index)
    view.setFocus()
    view.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    return editor


def type_into_cell(qtbot, win, row: int, col: int, text: str) -> None:  # noqa: ANN001
    editor = open_editor(win, row, col)
    editor.selectAll()
    if text.isascii():
        qtbot.keyClicks(editor, text)
    else:  # Chinese arrives from the input method as a committed string, not as key presses
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(editor, event)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def cell(win, row: int, col: int) -> str:  # noqa: ANN001
    return win.targets_model.index(row, col).data()


def test_clerk_types_1523_for_2020_09_sees_the_rate_undoes_and_finds_it_after_reopening(qtbot, window, data_dir):  # noqa: ANN001
    """A 芙蓉区 clerk types 1523 for 1.3.1 (援助就业困难人员就业, the city's 1.4万人) in 2020年9月. With no 分解目标 the
    city's amount says nothing about the district: 未分解, no rate, no red. With the district's 1400 it is 108.8%."""
    window.select_measure("1.3")
    window.set_period(Period(2020, 9))
    assert window.title_label.text().startswith("1.3")
    row = window.targets_model.row_of("1.3.1")
    assert cell(window, row, COL_STATUS) == "未分解"

    type_into_cell(qtbot, window, row, COL_PERIOD, "1523")

    assert cell(window, row, COL_PERIOD) == "1,523"
    assert cell(window, row, COL_TOTAL) == "1,523"  # the figures and 累计 still show
    assert [cell(window, row, c) for c in (COL_LOCAL, COL_RATE, COL_EXPECTED, COL_STATUS)] == ["未分解"] * 4
    assert cell(window, row, COL_PACE) == ""
    status = window.targets_model.index(row, COL_STATUS)
    assert status.data(Qt.ItemDataRole.BackgroundRole) is None  # no colour: not 红 against the whole city
    assert status.data(Qt.ItemDataRole.ForegroundRole).name() == "#8a8a8a"
    assert window.report.measures["1.3"].status != "红"
    assert "已保存" in window.statusBar().currentMessage()
    assert window.targets_view.currentIndex().row() == row + 1  # Enter moved down, like a spreadsheet

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert cell(window, row, COL_PERIOD) == ""
    assert cell(window, row, COL_STATUS) == "未分解"
    assert "已撤销" in window.statusBar().currentMessage()
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert cell(window, row, COL_PERIOD) == "1,523"

    type_into_cell(qtbot, window, row, COL_LOCAL, "1400")  # the district's share, from the city's sheet
    assert cell(window, row, COL_LOCAL) == "1,400"
    assert cell(window, row, COL_RATE) == "108.8%"
    assert cell(window, row, COL_STATUS) == "已完成"
    assert status.data(Qt.ItemDataRole.BackgroundRole) is not None

    window.close()
    window.ledger.close()
    ledger = Ledger.open(data_dir)
    try:
        assert ledger.figure("430102", "1.3.1", Period(2020, 9)).number == 1523
        assert ledger.local_targets("430102")["1.3.1"] == 1400
    finally:
        ledger.close()


def test_bad_input_is_refused_with_a_message_and_nothing_is_written(qtbot, window):  # noqa: ANN001
    window.select_measure("1.3")
    row = window.targets_model.row_of("1.3.1")
    for bad in ("一千五", "-3", "1e30"):
        type_into_cell(qtbot, window, row, COL_PERIOD, bad)
        assert window.input_error.isVisible()
        assert "未保存" in window.input_error.text()
        assert cell(window, row, COL_PERIOD) == ""
    assert window.ledger.figures("430102") == {}
    assert window.undo_stack.count() == 0


def test_a_local_target_changes_the_completion_rate(qtbot, window):  # noqa: ANN001
    window.select_measure("1.3")
    window.set_period(Period(2020, 9))
    row = window.targets_model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_PERIOD, "1523")
    type_into_cell(qtbot, window, row, COL_LOCAL, "3046")
    assert cell(window, row, COL_RATE) == "50.0%"
    assert cell(window, row, COL_TOTAL) == "1,523"


def test_narratives_are_saved_when_the_clerk_leaves_the_field(qtbot, window):  # noqa: ANN001
    window.select_measure("1.2")
    edit = window.narrative.edits["progress"]
    edit.setFocus()
    edit.insertPlainText("开展返乡创业培训两期")
    window.search.setFocus()  # leaving the field saves it
    assert window.ledger.narrative("430102", "1.2", window.period).progress == "开展返乡创业培训两期"
    assert "工作进展" in window.statusBar().currentMessage()
    assert window.report.measures["1.2"].status == "绿"


def test_searching_by_words_units_and_pinyin_initials(qtbot, window):  # noqa: ANN001
    qtbot.keyClicks(window.search, "jyfw")
    found = visible_measures(window)
    assert "1.4" in found and "1.1" in found and "3.3" not in found
    window.search.clear()
    window.search.setText("市审计局")
    assert visible_measures(window) == ["6.4"]
    window.search.clear()
    window.search.setText("粮食")
    assert set(visible_measures(window)) >= {"4.1", "4.2", "4.4"}
    window.search.clear()
    window.search.setText("没有这个词")
    assert visible_measures(window) == [] and window.empty_label.isVisible()
    window.search.clear()
    assert len(visible_measures(window)) == 30


def test_status_and_own_unit_filters(qtbot, window):  # noqa: ANN001
    window.set_period(Period(2020, 9))
    window.status_filter.setCurrentIndex(window.status_filter.findData("逾期"))
    # 6.1 was due 2020年8月31日前 with nothing recorded; 6.4's targets run to December, so it is 未启动
    assert visible_measures(window) == ["6.1"]
    window.status_filter.setCurrentIndex(0)
    window.mine_only.setChecked(True)
    mine = visible_measures(window)
    assert "1.1" in mine and "4.1" in mine and "2.2" not in mine and "7.1" not in mine


def test_window_remembers_its_month(qtbot, window, data_dir):  # noqa: ANN001
    window.set_period(Period(2020, 11))
    window.close()
    from liubao_desktop.ui.launch import open_window

    again = open_window(data_dir, window.ledger)
    qtbot.addWidget(again)
    assert again.period == Period(2020, 11)


def test_item_models_pass_the_model_tester(qtmodeltester, window):  # noqa: ANN001
    window.set_period(Period(2020, 9))
    window.select_measure("2.3")
    qtmodeltester.check(window.tree_model)
    qtmodeltester.check(window.proxy)
    qtmodeltester.check(window.targets_model)
    fresh = PlanTreeModel()
    qtmodeltester.check(fresh)


def test_without_a_display_the_app_says_so_in_one_sentence(tmp_path):  # noqa: ANN001
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "没有可用的图形显示" in proc.stderr and "plan --json" in proc.stderr
    assert "Aborted" not in proc.stderr


def test_after_a_restore_the_window_shows_the_restored_figures_and_forgets_undo(qtbot, window):  # noqa: ANN001
    from liubao_desktop.services.safety import backup_now, restore_backup

    window.select_measure("1.3")
    window.set_period(Period(2020, 9))
    row = window.targets_model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_PERIOD, "1523")
    backup = backup_now(window.ledger)
    type_into_cell(qtbot, window, row, COL_PERIOD, "2000")
    assert window.undo_stack.count() == 2

    restore_backup(window.ledger, backup)
    window.reopen_ledger()

    window.select_measure("1.3")
    assert cell(window, window.targets_model.row_of("1.3.1"), COL_PERIOD) == "1,523"
    assert window.undo_stack.count() == 0  # undoing into a file that is gone would rewrite history


def test_escape_cancels_an_entry_and_tab_moves_on(qtbot, window):  # noqa: ANN001
    window.select_measure("1.3")
    row = window.targets_model.row_of("1.3.1")
    view = window.targets_view
    index = window.targets_model.index(row, COL_PERIOD)
    editor = open_editor(window, row, COL_PERIOD)
    qtbot.keyClicks(editor, "999")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert cell(window, row, COL_PERIOD) == "" and window.undo_stack.count() == 0

    view.edit(index)
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "12")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert cell(window, row, COL_PERIOD) == "12"
    assert view.currentIndex().column() > COL_PERIOD


def test_the_month_steps_with_the_keyboard(qtbot, window):  # noqa: ANN001
    window.set_period(Period(2020, 9))
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.period == Period(2020, 10)
    qtbot.keyClick(window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.period == Period(2020, 8)  # the plan's first month is as far back as it goes


def test_months_with_entries_are_marked_in_the_month_list(qtbot, window):  # noqa: ANN001
    window.select_measure("1.3")
    window.set_period(Period(2020, 9))
    assert "已填" not in window.period_combo.currentText()
    type_into_cell(qtbot, window, window.targets_model.row_of("1.3.1"), COL_PERIOD, "15")
    assert window.period_combo.currentText() == "2020年9月 ●已填"
    assert "已填" not in window.period_combo.itemText(0)


def test_opening_a_note_for_editing_keeps_its_commas(qtbot, window):  # noqa: ANN001
    from liubao_desktop.ui.targets_model import COL_NOTE

    window.select_measure("1.3")
    row = window.targets_model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_NOTE, "1,2月合并填报, see A,B")
    assert window.targets_model.index(row, COL_NOTE).data(Qt.ItemDataRole.EditRole) == "1,2月合并填报, see A,B"
    count = window.undo_stack.count()
    view = window.targets_view
    index = window.targets_model.index(row, COL_NOTE)
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # open and leave: nothing changes
    assert cell(window, row, COL_NOTE) == "1,2月合并填报, see A,B"
    assert window.undo_stack.count() == count


def test_text_that_cannot_be_saved_is_never_thrown_away(qtbot, window, monkeypatch):  # noqa: ANN001
    from PySide6.QtWidgets import QMessageBox

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    window.set_period(Period(2020, 9))
    window.select_measure("1.2")
    edit = window.narrative.edits["progress"]
    edit.setPlainText("字" * 2002)  # pasted from a long report: over the 2000-character limit
    assert window.narrative.counter.isVisible() and "2002" in window.narrative.counter.text()

    window.set_period(Period(2020, 10))
    assert window.period == Period(2020, 9) and window.period_combo.currentData() == "2020-09"
    window.select_measure("1.3")
    assert window.current_measure == "1.2"
    # the tree goes back to the measure whose text is still unsaved, so tree and page agree
    qtbot.waitUntil(lambda: window.tree.currentIndex().siblingAtColumn(0).data(CodeRole) == "1.2")
    assert warned and all("2000" in w for w in warned)
    assert edit.toPlainText() == "字" * 2002  # still there to be shortened

    assert not window.close()  # the clerk answers No to 仍要退出吗
    assert window.isVisible()
    edit.setPlainText("字" * 1999)
    assert window.close()
    assert window.ledger.narrative("430102", "1.2", Period(2020, 9)).progress == "字" * 1999


def test_the_window_shows_the_same_deadline_as_the_workbook_and_the_printout(qtbot, window):  # noqa: ANN001
    from liubao_desktop.export.common import deadline_text

    window.select_measure("1.3")
    assert "完成时限：2020年12月31日前" in window.meta_label.text()
    assert deadline_text(window.ledger.plan.measure("1.3"), window.ledger.plan) == "2020年12月31日前"


def test_searching_a_parts_name_finds_its_measures(qtbot, window):  # noqa: ANN001
    window.search.setText("保粮食能源安全")
    assert visible_measures(window) == ["4.1", "4.2", "4.3", "4.4", "4.5"]


def test_a_refused_entry_keeps_its_editor_open_with_the_typing(qtbot, window):  # noqa: ANN001
    window.select_measure("1.3")
    row = window.targets_model.row_of("1.3.1")
    editor = open_editor(window, row, COL_PERIOD)
    qtbot.keyClicks(editor, "15x3")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is editor and editor.text() == "15x3" and editor.selectedText() == "15x3"
    assert window.input_error.isVisible()
    qtbot.keyClicks(editor, "1523")  # typing over the selection, as in a spreadsheet
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert cell(window, row, COL_PERIOD) == "1,523"


def test_tab_goes_from_cell_to_cell_the_clerk_can_type_in_and_then_leaves_the_table(qtbot, window):  # noqa: ANN001
    from liubao_desktop.ui.targets_model import COL_NOTE

    window.select_measure("1.4")  # one target: 分解目标, 本期完成, 备注
    view = window.targets_view
    view.setFocus()
    view.setCurrentIndex(window.targets_model.index(0, COL_LOCAL))
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.currentIndex().column() == COL_PERIOD
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.currentIndex().column() == COL_NOTE  # the computed columns in between are skipped
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert not view.hasFocus()  # on to the narratives


def test_cells_pasted_from_a_spreadsheet_are_saved_together_and_undone_together(qtbot, window):  # noqa: ANN001
    window.select_measure("2.3")
    window.set_period(Period(2020, 9))
    view, model = window.targets_view, window.targets_model
    first = model.row_of("2.3.2")
    view.setCurrentIndex(model.index(first, COL_PERIOD))
    QApplication.clipboard().setText("1\r\n2\r\n")  # two cells of a column copied from Excel
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [cell(window, first + i, COL_PERIOD) for i in range(2)] == ["1", "2"]
    assert "已粘贴并保存 2 个单元格" in window.statusBar().currentMessage()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [cell(window, first + i, COL_PERIOD) for i in range(2)] == ["", ""]

    QApplication.clipboard().setText("3\n两个\n")  # one bad cell: nothing is saved
    view.setCurrentIndex(model.index(first, COL_PERIOD))
    view.paste()
    assert cell(window, first, COL_PERIOD) == "" and "全部没有保存" in window.input_error.text()


def test_undo_shows_the_month_it_changes(qtbot, window):  # noqa: ANN001
    window.select_measure("1.3")
    window.set_period(Period(2020, 10))
    type_into_cell(qtbot, window, window.targets_model.row_of("1.3.1"), COL_PERIOD, "20")
    window.set_period(Period(2020, 9))
    window.select_measure("2.1")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.period == Period(2020, 10) and window.current_measure == "1.3"
    assert window.ledger.figure("430102", "1.3.1", Period(2020, 10)).is_blank


def test_a_months_figures_can_be_typed_in_one_table_of_all_targets(qtbot, window):  # noqa: ANN001
    window.set_period(Period(2020, 9))
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    model = window.targets_model
    assert model.rowCount() == 39 and window.title_label.text() == "全部量化指标"
    assert not window.narrative_box.isVisible() and not window.text_view.isVisible()
    assert not window.tree.selectionModel().hasSelection()
    assert window.narrative.edits["progress"].toPlainText() == ""
    row = model.row_of("4.2.1")
    assert cell(window, row, 0).startswith("4.2.1 ")
    type_into_cell(qtbot, window, row, COL_PERIOD, "1200")
    assert window.ledger.figure("430102", "4.2.1", Period(2020, 9)).number == 1200
    assert model.rowCount() == 39  # still the whole table after saving


def test_choosing_a_part_shows_all_its_targets(qtbot, window):  # noqa: ANN001
    part = window.proxy.index(1, 0)  # 二、保基本民生
    window.tree.setCurrentIndex(part)
    assert window.targets_model.rowCount() == 18  # 2.2: 2, 2.3: 13, 2.4: 3
    assert "二、保基本民生" in window.title_label.text()
    window.select_measure("2.2")
    assert window.narrative_box.isVisible() and window.narrative_box.isEnabled()


def test_escape_in_the_search_box_clears_it(qtbot, window):  # noqa: ANN001
    window.search.setFocus()
    qtbot.keyClicks(window.search, "jyfw")
    assert len(visible_measures(window)) < 30
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == "" and len(visible_measures(window)) == 30


def test_a_refusal_stays_in_sight_until_the_next_entry_even_when_the_clerk_clicks_away(qtbot, window):  # noqa: ANN001
    window.select_measure("1.3")
    row = window.targets_model.row_of("1.3.1")
    editor = open_editor(window, row, COL_PERIOD)
    qtbot.keyClicks(editor, "abc")
    window.targets_view.setCurrentIndex(window.targets_model.index(row, COL_LOCAL))  # clicks another cell
    assert window.input_error.isVisible() and "abc" in window.input_error.text()  # it says what was not saved
    assert cell(window, row, COL_PERIOD) == ""
    open_editor(window, row, COL_PERIOD)  # the next entry begins: the old message goes
    assert not window.input_error.isVisible()


def test_the_undo_menu_names_the_month(qtbot, window):  # noqa: ANN001
    window.select_measure("1.3")
    window.set_period(Period(2020, 10))
    type_into_cell(qtbot, window, window.targets_model.row_of("1.3.1"), COL_PERIOD, "20")
    window.set_period(Period(2020, 9))
    assert "2020年10月" in window.undo_action.text()
