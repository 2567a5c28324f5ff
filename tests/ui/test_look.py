"""The window's own look (ui/look.py) is on the widgets that carry it, without an app-wide style sheet."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from liubao_desktop.ui import look

TEXT = QPalette.ColorRole.WindowText


def test_the_window_shows_its_colours_and_titles_without_an_app_wide_style_sheet(window) -> None:  # noqa: ANN001
    assert QApplication.instance().styleSheet() == ""
    title = window.title_label
    assert title.font().bold() and title.font().pixelSize() == 16
    assert title.palette().color(TEXT) == QColor(look.TITLE_RED)
    error = window.input_error
    assert error.palette().color(TEXT) == QColor(look.ERROR_RED) and error.autoFillBackground()
    assert window.narrative.hint.palette().color(TEXT) == QColor(look.ERROR_RED)
    sample = window.sample_label
    assert sample.font().bold() and sample.palette().color(QPalette.ColorRole.Window) == QColor("#c9302c")
    # a group box's title is bold, what it holds is not
    assert window.narrative_box.font().bold() and not window.narrative.font().bold()
    assert not window.targets_view.font().bold()
    for view in (window.targets_view, window.tree):
        assert view.styleSheet() == look.VIEW_SHEET


def test_a_refusal_is_drawn_on_its_pale_band_inside_a_border(window) -> None:  # noqa: ANN001
    error = window.input_error
    error.setText("不是数字")
    error.resize(300, 40)
    image = error.grab().toImage()
    assert QColor(image.pixel(0, 0)) == QColor("#f5c2c0")  # the border
    assert QColor(image.pixel(2, 2)) == QColor("#fdecea")  # the band inside it
