"""Issue 11: the window opens inside the screen, the 报告期 list shows its marks whole, the month shown is written
at once for the headless commands, and every column of the table stays in sight."""
from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QStyle, QStyleOptionComboBox, QWidget

from liubao_desktop.domain.periods import Period
from liubao_desktop.services.preferences import commands_period
from liubao_desktop.ui.targets_model import COL_NOTE
from liubao_desktop.ui.window_fit import clamped
from liubao_desktop.ui.window_preferences import window_preferences


def saved_geometry(data_dir, x: int, y: int, width: int, height: int) -> None:  # noqa: ANN001
    big = QWidget()
    big.setGeometry(x, y, width, height)
    prefs = window_preferences(data_dir)
    prefs.set_geometry(big.saveGeometry().data())
    prefs.sync()
    big.deleteLater()


def open_again(qtbot, window, data_dir):  # noqa: ANN001, ANN201
    from liubao_desktop.ui.launch import open_window

    again = open_window(data_dir, window.ledger)
    qtbot.addWidget(again)
    return again


def inside_screen(win) -> bool:  # noqa: ANN001
    available = QGuiApplication.primaryScreen().availableGeometry()
    return available.contains(win.frameGeometry()) or available.contains(win.geometry())


def test_a_geometry_saved_on_a_bigger_screen_is_clamped_to_this_one(qtbot, window, data_dir):  # noqa: ANN001
    available = QGuiApplication.primaryScreen().availableGeometry()  # offscreen: 800×600
    saved_geometry(data_dir, 200, 150, available.width() * 2, available.height() * 2)
    again = open_again(qtbot, window, data_dir)
    assert again.width() <= available.width() and again.height() <= available.height()
    assert inside_screen(again)
    again.show()
    qtbot.waitExposed(again)
    qtbot.waitUntil(lambda: inside_screen(again))


def test_a_geometry_on_a_monitor_that_is_gone_comes_back_onto_the_screen(qtbot, window, data_dir):  # noqa: ANN001
    saved_geometry(data_dir, 5000, 3000, 600, 400)  # the second monitor, to the right, unplugged since
    again = open_again(qtbot, window, data_dir)
    assert inside_screen(again)
    assert again.width() == 600 and again.height() == 400  # it fitted: only moved


def test_the_first_start_fits_a_small_screen(qtbot, window):  # noqa: ANN001
    assert inside_screen(window)


def test_clamping_shrinks_then_moves():
    screen = QRect(0, 0, 1280, 690)
    assert clamped(QRect(100, 100, 1360, 860), screen) == QRect(0, 0, 1280, 690)
    assert clamped(QRect(900, 500, 600, 400), screen) == QRect(680, 290, 600, 400)
    assert clamped(QRect(-300, -20, 600, 400), screen) == QRect(0, 0, 600, 400)


def test_the_month_list_is_wide_enough_for_its_longest_item_with_its_mark(qtbot, window):  # noqa: ANN001
    combo = window.period_combo
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    longest = max((p.label + " ●已填" for p in window.ledger.periods), key=combo.fontMetrics().horizontalAdvance)
    assert field.width() >= combo.fontMetrics().horizontalAdvance(longest)


def test_the_month_shown_is_saved_at_once_for_the_commands(qtbot, window, data_dir):  # noqa: ANN001
    window.set_period(Period(2020, 11))
    # read as the headless commands read it, without Qt, while the window is still open
    assert commands_period(data_dir, "430102", window.ledger.periods, Period(2020, 8)) == Period(2020, 11)
    window.step_period(-1)
    assert commands_period(data_dir, "430102", window.ledger.periods, Period(2020, 8)) == Period(2020, 10)


def test_every_column_of_the_table_is_in_sight_in_a_small_window(qtbot, window):  # noqa: ANN001
    window.resize(1000, 560)
    window.show_all_targets()
    view = window.targets_view
    qtbot.waitUntil(lambda: view.horizontalHeader().length() <= view.viewport().width())
    assert view.horizontalHeader().sectionSize(COL_NOTE) >= 50
    qtbot.waitUntil(lambda: not view.horizontalScrollBar().isVisible())


def fully_visible_rows(view) -> int:  # noqa: ANN001
    height = view.viewport().height()
    return sum(1 for r in range(view.model().rowCount())
               if view.rowViewportPosition(r) >= 0 and view.rowViewportPosition(r) + view.rowHeight(r) <= height)


def test_a_1024x600_screen_shows_three_target_rows_with_every_column(qtbot, window):  # noqa: ANN001
    """The client area of a 1024×600 screen under a 32-pixel title bar: the measure's text shrinks to two lines and
    the narratives to one line each before the table shows fewer than three rows; no sideways scroll bar."""
    window.select_measure("4.2")  # four targets
    window.resize(1024, 568)
    view = window.targets_view
    qtbot.waitUntil(lambda: window.height() == 568 and fully_visible_rows(view) >= 3)
    qtbot.waitUntil(lambda: view.horizontalHeader().length() <= view.viewport().width())
    assert not view.horizontalScrollBar().isVisible()
    pane = window.pane
    assert pane.text_view.isVisible() and window.narrative.edits["problems"].isVisible()


def test_the_measure_text_and_a_narrative_field_grow_while_the_clerk_is_in_them(qtbot, window):  # noqa: ANN001
    window.select_measure("4.2")
    window.resize(1024, 568)
    view, text, problems = window.targets_view, window.text_view, window.narrative.edits["problems"]
    qtbot.waitUntil(lambda: fully_visible_rows(view) >= 3)
    sizes = window.detail_splitter.sizes()
    line = text.fontMetrics().lineSpacing()
    assert text.height() < 3 * line + 12
    text.setFocus()
    qtbot.waitUntil(lambda: text.height() >= 6 * line)  # the text grown for reading
    problems.setFocus()  # from the text to a narrative: the text gives its room back, the field grows
    qtbot.waitUntil(lambda: problems.height() >= 4 * problems.fontMetrics().lineSpacing())
    assert text.height() < 3 * line + 12
    view.setFocus()
    qtbot.waitUntil(lambda: window.detail_splitter.sizes() == sizes)  # all given back to the table
    assert fully_visible_rows(view) >= 3


def test_a_window_opened_at_1024x600_gives_the_table_its_rows_too(qtbot, window):  # noqa: ANN001
    """Sized before it is shown, as at a start on that screen: the splitter is laid out once the pane is shown."""
    window.hide()
    window.select_measure("4.2")
    window.resize(1024, 568)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: fully_visible_rows(window.targets_view) >= 3)
