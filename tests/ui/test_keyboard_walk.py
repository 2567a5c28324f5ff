"""Issue 11: a month's entry without the mouse — office, search, measure, month, five figures, the narratives,
the export dialog — each key sent to the widget that has the focus, and the focus checked after every one."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from liubao_desktop.ui.export_dialog import ExportDialog
from liubao_desktop.ui.targets_model import COL_PERIOD

ALT, CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_text(text: str) -> None:
    """Typed into the focused widget a character at a time, as an input method delivers Chinese (QTest's own
    keyClicks takes ASCII only)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(focused(), QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def key(qtbot, k: Qt.Key, expect: QWidget | None = None, mods=Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    QTest.keyClick(focused(), k, mods)
    if expect is not None:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is expect)


# The menu opened by Alt+X asks the offscreen platform for what it has not (a raised window, a keyboard grab).
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_a_month_entered_with_the_keyboard_alone(qtbot, window) -> None:  # noqa: ANN001
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view, model, edits = window.targets_view, window.targets_model, window.narrative.edits

    # 填报单位(&O): Alt+O, then the next office down the list
    key(qtbot, Qt.Key.Key_O, window.org_combo, ALT)
    key(qtbot, Qt.Key.Key_Down, window.org_combo)
    assert window.org_code == "430103"  # 天心区

    # 查找 (Ctrl+F), typed, then Tab past the filters into the tree, Down onto the measure
    key(qtbot, Qt.Key.Key_F, window.search, CTRL)
    QTest.keyClicks(focused(), "jbggfw")  # 基本公共服务 by its pinyin initials
    assert focused() is window.search and window.search.text() == "jbggfw"
    key(qtbot, Qt.Key.Key_Tab, window.status_filter)
    key(qtbot, Qt.Key.Key_Tab, window.mine_only)
    key(qtbot, Qt.Key.Key_Tab, window.tree)
    for _ in range(3):
        if window.current_measure == "2.3":
            break
        key(qtbot, Qt.Key.Key_Down, window.tree)
    assert window.current_measure == "2.3"

    # 报告期(&M): Alt+M, the next month
    periods = window.ledger.periods
    month = periods[periods.index(window.period) + 1]
    key(qtbot, Qt.Key.Key_M, window.period_combo, ALT)
    key(qtbot, Qt.Key.Key_Down, window.period_combo)
    assert window.period == month

    # back into the pane: the search, its filters, the tree, the measure's text, the table
    for expect in (window.search, window.status_filter, window.mine_only, window.tree, window.text_view, view):
        key(qtbot, Qt.Key.Key_Tab, expect)
    assert window.current_measure == "2.3"
    assert view.currentIndex().column() == COL_PERIOD  # tabbed in onto a cell that takes typing, not a name
    key(qtbot, Qt.Key.Key_Down, view)  # the first row is a 定性 target: the figures go in the next five

    figures = ["12", "30", "7", "4", "15"]
    for i, figure in enumerate(figures):
        row = view.currentIndex().row()
        assert row == i + 1
        for ch in figure:  # the first key opens the cell's editor, the next ones go into it
            QTest.keyClick(focused(), ch)
        assert focused() is not view and view.isAncestorOf(focused())
        key(qtbot, Qt.Key.Key_Return, view)  # saved, one row down
        assert model.index(row, COL_PERIOD).data(Qt.ItemDataRole.EditRole) == figure
    stored = window.ledger.figures("430103")
    assert sum(1 for series in stored.values() if month in series) == 5  # in the ledger, for 天心区 and that month

    # Ctrl+Tab leaves the table for the narratives; Tab goes on from field to field
    key(qtbot, Qt.Key.Key_Tab, edits["progress"], CTRL)
    type_text("召开调度会")
    key(qtbot, Qt.Key.Key_Tab, edits["problems"])  # leaving the field saves it
    type_text("资金到位慢")
    key(qtbot, Qt.Key.Key_Tab, edits["next_steps"])
    type_text("按月调度")
    assert window.narrative.pending() is not None

    # 导出(&X) → 报送报表…: the menu by Alt+X, the first item by Enter; the dialog opens for this office and month
    seen: list[tuple[str, str, bool]] = []

    def in_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExportDialog):
            QTimer.singleShot(50, in_the_dialog)
            return
        inside = dialog.focusWidget()  # where the dialog's keys go (its window may not be active yet offscreen)
        seen.append((dialog.org.currentData(), dialog.period.currentData(), inside is not None))
        QTest.keyClick(inside or dialog, Qt.Key.Key_Escape)  # closed by the keyboard too
        if dialog.isVisible():
            dialog.reject()  # never left hanging over the rest of the tests

    key(qtbot, Qt.Key.Key_X, None, ALT)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    QTimer.singleShot(0, in_the_dialog)
    QTest.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [("430103", str(month), True)]
    # the narratives were saved before the dialog opened (leave_allowed)
    assert window.narrative.pending() is None
    assert QApplication.activeModalWidget() is None or not isinstance(QApplication.activeModalWidget(), QDialog)
