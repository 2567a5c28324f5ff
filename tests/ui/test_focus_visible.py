"""Issue 11: the widget the keyboard types into is framed (look.FocusRing), and a table's selection dims when the
focus leaves it, so a clerk never types into 存在问题 while a bright blue cell says the table has the keys."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from liubao_desktop.ui import look


def ring_round(qtbot, window, widget) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: window.focus_ring.widget() is widget and window.focus_ring.isVisible())
    ring = window.focus_ring.geometry()
    assert ring.contains(widget.geometry()) and ring != widget.geometry()  # around it, not under it


def test_the_focused_field_list_or_table_is_framed(qtbot, window) -> None:  # noqa: ANN001
    window.select_measure("4.2")
    window.activateWindow()
    for widget in (window.search, window.status_filter, window.org_combo, window.period_combo, window.tree,
                   window.targets_view, window.text_view, *window.narrative.edits.values()):
        widget.setFocus()
        qtbot.waitUntil(lambda w=widget: QApplication.focusWidget() is w)
        ring_round(qtbot, window, widget)
    window.mine_only.setFocus()  # a check box draws its own focus: no ring
    qtbot.waitUntil(lambda: not window.focus_ring.isVisible())


def test_a_cells_editor_rings_its_table(qtbot, window) -> None:  # noqa: ANN001
    window.select_measure("4.2")
    window.activateWindow()
    view = window.targets_view
    view.setFocus()
    view.setCurrentIndex(window.targets_model.index(0, 4))
    view.edit(view.currentIndex())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget() is not view)
    assert view.isAncestorOf(QApplication.focusWidget())
    ring_round(qtbot, window, view)


def test_the_ring_shows_in_the_pixels_around_the_field(qtbot, window) -> None:  # noqa: ANN001
    window.select_measure("4.2")
    window.activateWindow()
    problems = window.narrative.edits["problems"]
    holder = problems.parentWidget()

    def edge_colour() -> QColor:
        left = problems.geometry().left()
        return QColor(holder.grab().toImage().pixel(left - 1, problems.geometry().center().y()))

    window.search.setFocus()
    qtbot.waitUntil(lambda: window.focus_ring.widget() is window.search)
    assert edge_colour() != QColor(look.FOCUS_RING)
    problems.setFocus()
    qtbot.waitUntil(lambda: edge_colour() == QColor(look.FOCUS_RING))


def test_the_tables_selection_dims_when_the_focus_leaves(qtbot, window) -> None:  # noqa: ANN001
    window.select_measure("4.2")
    window.activateWindow()
    view = window.targets_view
    view.setFocus()
    index = window.targets_model.index(0, 4)
    view.setCurrentIndex(index)
    rect = view.visualRect(index)

    def cell_colour() -> QColor:
        return QColor(view.viewport().grab().toImage().pixel(rect.center().x(), rect.top() + 3))

    def near(a: QColor, b: QColor) -> bool:  # Fusion draws the selection a shade lighter than the palette's
        return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) <= 12

    bright = view.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    qtbot.waitUntil(lambda: near(cell_colour(), bright))
    window.narrative.edits["problems"].setFocus()
    qtbot.waitUntil(lambda: near(cell_colour(), QColor(look.DIM_SELECTION)))
    view.setFocus()  # back in the table: bright again
    qtbot.waitUntil(lambda: near(cell_colour(), bright))
    for v in (view, window.tree):
        assert v.palette().color(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight) == QColor(
            look.DIM_SELECTION)
