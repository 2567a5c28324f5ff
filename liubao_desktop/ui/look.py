"""The app's own look — a few colours, bold titles, flat table headers — set on the widgets that carry it.

This was an app-wide style sheet once. A style sheet puts every widget of the process under Qt's style-sheet
style: each one is polished against the rules when it is shown and drawn through it, which cost the window's
first paint about 25 ms and 2 MiB for a dozen widgets that look different. Here the same colours, fonts and
spacing are set with fonts, palettes and contents margins on just those widgets.
"""
from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QFocusFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

TITLE_RED = "#8b1a1a"  # a measure's title
ERROR_RED = "#b00020"  # refusals and warnings
GRID = "#d0d0d0"  # table grid lines and header section borders
HEADER_FILL = "#f2f2f2"
FOCUS_RING = "#1a73e8"  # the frame around the widget the keyboard types into
DIM_SELECTION, DIM_SELECTION_TEXT = "#dde3ea", "#1a1a1a"  # a table's selection while the focus is elsewhere


def _colour(widget: QWidget, role: QPalette.ColorRole, colour: str) -> None:
    palette = widget.palette()
    palette.setColor(role, QColor(colour))
    widget.setPalette(palette)


def text_colour(label: QLabel, colour: str) -> None:
    _colour(label, QPalette.ColorRole.WindowText, colour)


def bold(widget: QWidget, pixel_size: int | None = None) -> None:
    font = QFont(widget.font())
    font.setBold(True)
    if pixel_size:
        font.setPixelSize(pixel_size)
    widget.setFont(font)


def measure_title(label: QLabel) -> None:
    bold(label, 16)
    text_colour(label, TITLE_RED)
    label.setContentsMargins(0, 2, 0, 2)


def banner(label: QLabel, text: str, fill: str, *, padding: tuple[int, int] = (6, 1)) -> None:
    """White bold text on a coloured band (示例数据)."""
    bold(label)
    _colour(label, QPalette.ColorRole.WindowText, text)
    _colour(label, QPalette.ColorRole.Window, fill)
    label.setAutoFillBackground(True)
    label.setContentsMargins(padding[0], padding[1], padding[0], padding[1])


def group_box(box: QGroupBox, *children: QWidget) -> None:
    """A bold title; the boxed widgets keep the ordinary font (a font set on the box would pass to them)."""
    normal = QFont(box.font())
    normal.setBold(False)  # set, not inherited: an inherited weight would follow the box's
    bold(box)
    for child in children:
        child.setFont(normal)


# A palette cannot give a table its grid colour nor a header its flat sections (both come from the style), so
# the item views keep these two rules as a style sheet of their own; it reaches only the view and its children.
VIEW_SHEET = (f"QTableView {{ gridline-color: {GRID}; }} "
              f"QHeaderView::section {{ background: {HEADER_FILL}; padding: 3px; border: 0; "
              f"border-right: 1px solid {GRID}; border-bottom: 1px solid {GRID}; font-weight: bold; }}")


def grid(view: QAbstractItemView) -> None:
    """Light grid lines and flat, bold header sections with a line at their right and bottom edges; the selection
    dimmed while the view has not the focus (dim_selection)."""
    view.setStyleSheet(VIEW_SHEET)
    dim_selection(view)


def dim_selection(view: QAbstractItemView) -> None:
    """The selection drawn pale grey while the focus is elsewhere, bright only where typing lands. An item view
    without the focus paints its items with the palette's Inactive group (Fusion's is the Active blue), so the
    blue cell of a table stayed bright after Tab had left it for 存在问题."""
    palette = view.palette()
    palette.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight, QColor(DIM_SELECTION))
    palette.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.HighlightedText, QColor(DIM_SELECTION_TEXT))
    view.setPalette(palette)


FOCUSABLE = (QLineEdit, QComboBox, QAbstractScrollArea)  # search box, lists, trees, tables, text fields


class FocusRing(QFocusFrame):
    """A 2-pixel blue frame around whichever of a window's fields, lists and tables has the keyboard focus (a
    table's cell editor counts as its table, a combo's line edit as its combo). One QFocusFrame for the whole
    window, moved by QApplication.focusChanged: no style sheet, nothing polished again, nothing at start-up but
    this one hidden widget. It is drawn in the 2 pixels around the widget (the layouts leave that room)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("focusRing")
        self._window = window
        _colour(self, QPalette.ColorRole.WindowText, FOCUS_RING)  # the colour QCommonStyle fills the frame with
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._follow)

    def target_for(self, focused: QWidget | None) -> QWidget | None:
        """The widget the ring goes round when ``focused`` has the focus: it or the field, list or table holding
        it, in this window; None for anything else (buttons and check boxes draw their own focus)."""
        widget, found = focused, None
        while widget is not None and widget is not self._window:
            if isinstance(widget, FOCUSABLE):
                found = widget  # the outermost wins: a cell's editor rings its table, a combo's line edit the combo
            widget = widget.parentWidget()
        return found if widget is self._window else None

    def _follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        target = self.target_for(new)
        if target is not self.widget():
            self.setWidget(target)


class NoticeLabel(QLabel):
    """A word-wrapped message on a pale band with a thin border (a refused entry under the table)."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, colour: str = ERROR_RED,
                 fill: str = "#fdecea", border: str = "#f5c2c0") -> None:
        super().__init__(text, parent)
        self._border = QColor(border)
        _colour(self, QPalette.ColorRole.WindowText, colour)
        _colour(self, QPalette.ColorRole.Window, fill)
        self.setAutoFillBackground(True)
        self.setContentsMargins(5, 5, 5, 5)  # 4 px of padding inside the 1 px border

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setPen(self._border)
        painter.drawRect(QRect(0, 0, self.width() - 1, self.height() - 1))
        painter.end()
