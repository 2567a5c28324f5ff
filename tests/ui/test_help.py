"""帮助 → 使用说明 and 快捷键一览, and the 编辑 menu's items for the targets table (issue 11)."""
from __future__ import annotations

import re
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QTextBrowser

from liubao_desktop.domain.periods import Period
from liubao_desktop.ui import help_window, main_menus
from liubao_desktop.ui.targets_model import COL_PERIOD

from ..conftest import REPO
from .test_main_window import cell, type_into_cell

sys.path.insert(0, str(REPO / "scripts"))
import sync_guide  # noqa: E402


def menu(window, title: str) -> QMenu:  # noqa: ANN001
    return next(a.menu() for a in window.menuBar().actions() if a.text().startswith(title))


def item(window, menu_title: str, text: str) -> QAction:  # noqa: ANN001
    return next(a for a in menu(window, menu_title).actions() if a.text() == text)


def test_f1_opens_the_guide_beside_the_window(qtbot, window) -> None:  # noqa: ANN001
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.findChild(QDialog, "guideWindow")
    assert guide is not None and guide.isVisible() and not guide.isModal()
    text = guide.findChild(QTextBrowser).toPlainText()
    assert text.startswith("六保任务台账 使用说明") and "填报的步骤" in text and "状态规则" in text
    guide.close()
    qtbot.keyClick(window, Qt.Key.Key_F1)  # again: the same window, in front
    assert window.findChild(QDialog, "guideWindow") is guide and guide.isVisible()
    assert item(window, "帮助", "使用说明").shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)


def test_the_guide_is_the_readmes_clerk_section() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert sync_guide.readme_guide(readme) == help_window.guide_markdown(), \
        "README.md and resources/help/guide.md differ: run `python scripts/sync_guide.py`"
    assert "### 状态规则" in help_window.guide_markdown()


def test_the_guide_is_chinese_for_a_clerk() -> None:
    text = help_window.guide_markdown()
    words = set(re.findall(r"[A-Za-z]{2,}", text))
    assert words <= {"Enter", "Tab", "Esc", "Delete", "Ctrl", "Alt", "Excel", "PgUp", "PgDn", "PDF", "jyfw"}, words


def test_the_shortcut_list_names_every_shortcut_of_the_windows_actions(qtbot, window) -> None:  # noqa: ANN001
    item(window, "帮助", "快捷键一览").trigger()
    dialog = window.findChild(QDialog, "shortcutsWindow")
    assert dialog is not None and dialog.isVisible()
    text = dialog.findChild(QTextBrowser).toPlainText()
    keyed = [a for a in window.findChildren(QAction) if a.shortcuts()]
    assert len(keyed) >= 12
    for action in keyed:
        for key in action.shortcuts():
            assert key.toString(QKeySequence.SequenceFormat.NativeText) in text, action.text()
    rows = help_window.shortcut_rows(window)
    assert ("编辑", "撤销", "Ctrl+Z") in rows
    assert ("帮助", "使用说明", "F1") in rows
    prev_month = QKeySequence("Alt+Left").toString(QKeySequence.SequenceFormat.NativeText)  # Qt's Chinese: Alt+左方向
    assert ("查看", "上一个月", f"Ctrl+PgUp 或 {prev_month}") in rows
    assert ("编辑", "复制", "Ctrl+C") in rows and ("编辑", "清除", "Del") in rows
    assert any(what == "清空" and "搜索" in where and keys == "Esc" for where, what, keys in rows)
    enter = QKeySequence(Qt.Key.Key_Return).toString(QKeySequence.SequenceFormat.NativeText)
    assert ("指标表格", "保存并移到下一行", enter) in help_window.table_rows()  # Return and Enter: one name
    assert ("指标表格", "保存并移到上一个可填的单元格", "Shift+Tab") in help_window.table_rows()


def test_the_edit_menu_offers_copy_paste_clear_and_not_applicable_with_their_keys(qtbot, window) -> None:  # noqa: ANN001
    texts = [a.text() for a in menu(window, "编辑").actions()]
    assert texts[texts.index("复制"):texts.index("复制") + 4] == ["复制", "粘贴", "清除", "标为不适用"]
    assert item(window, "编辑", "复制").shortcut() == QKeySequence(QKeySequence.StandardKey.Copy)
    assert item(window, "编辑", "粘贴").shortcut() == QKeySequence(QKeySequence.StandardKey.Paste)
    assert item(window, "编辑", "清除").shortcut() == QKeySequence(Qt.Key.Key_Delete)


def test_the_edit_items_act_on_the_tables_current_cell(qtbot, window) -> None:  # noqa: ANN001
    window.select_measure("1.3")
    window.set_period(Period(2020, 9))
    view, model = window.targets_view, window.targets_model
    row = model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_PERIOD, "1523")
    view.setCurrentIndex(model.index(row, COL_PERIOD))

    item(window, "编辑", "复制").trigger()
    assert QApplication.clipboard().text() == "1523"
    item(window, "编辑", "清除").trigger()
    assert cell(window, row, COL_PERIOD) == ""
    item(window, "编辑", "粘贴").trigger()
    assert cell(window, row, COL_PERIOD) == "1,523"
    item(window, "编辑", "标为不适用").trigger()
    assert cell(window, row, COL_PERIOD) == "不适用"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # each was one edit, undone alone
    assert cell(window, row, COL_PERIOD) == "1,523"


def test_the_keys_the_edit_menu_shows_do_the_same_in_the_table(qtbot, window) -> None:  # noqa: ANN001
    window.select_measure("1.3")
    window.set_period(Period(2020, 9))
    view, model = window.targets_view, window.targets_model
    row = model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_PERIOD, "1523")
    view.setCurrentIndex(model.index(row, COL_PERIOD))
    view.setFocus()
    for key in (QKeySequence.StandardKey.Copy, Qt.Key.Key_Delete, QKeySequence.StandardKey.Paste):
        combo = QKeySequence(key)[0]
        qtbot.keyClick(view, combo.key(), combo.keyboardModifiers())
    assert QApplication.clipboard().text() == "1523" and cell(window, row, COL_PERIOD) == "1,523"
    assert window.undo_stack.count() == 3  # typed, cleared, pasted: each key did its one edit


def test_an_item_the_cell_does_not_offer_is_greyed_and_said(qtbot, window) -> None:  # noqa: ANN001
    window.select_measure("1.3")
    view, model = window.targets_view, window.targets_model
    view.setCurrentIndex(model.index(model.row_of("1.3.1"), 0))  # the target's name: nothing to type
    edit = menu(window, "编辑")
    edit.aboutToShow.emit()
    assert {a.text(): a.isEnabled() for a in window.cell_actions} == \
        {"复制": True, "粘贴": False, "清除": False, "标为不适用": False}
    assert not main_menus.cell_action(window, "标为不适用")  # reached some other way: nothing done, and said
    assert "不能" in window.statusBar().currentMessage()


def test_the_help_module_loads_only_when_asked() -> None:
    code = ("import sys; from liubao_desktop.ui import main_window; "
            "print('liubao_desktop.ui.help_window' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "False"
