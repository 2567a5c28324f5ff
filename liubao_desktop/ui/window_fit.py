"""The main window inside the screen it opens on, whatever the saved geometry says.

A geometry saved on a bigger screen, under another scaling (QT_SCALE_FACTOR=1.5 makes 1920×1080 a 1280×720
desktop) or on a second monitor that is gone would open the window larger than the screen or off it. Every start
clamps it to the available geometry (the screen without its task bar) of the screen it lands on, keeping room
for the title bar and frame the window manager adds.
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QComboBox, QWidget

DEFAULT_SIZE = QSize(1360, 860)
# What a window manager adds around the client area before the window is shown (and its frame is known):
# left/right borders and the title bar. After the first show the real frame is used.
FRAME_GUESS = (8, 32)


def screen_for(rect: QRect) -> QScreen:
    """The screen holding the middle of rect; the primary screen when none does (its monitor is gone)."""
    screen = QGuiApplication.screenAt(rect.center())
    return screen or QGuiApplication.primaryScreen()


def clamped(rect: QRect, available: QRect) -> QRect:
    """rect made to fit in available: shrunk where it is bigger, then moved where it sticks out."""
    width, height = min(rect.width(), available.width()), min(rect.height(), available.height())
    x = min(max(rect.x(), available.left()), available.right() + 1 - width)
    y = min(max(rect.y(), available.top()), available.bottom() + 1 - height)
    return QRect(x, y, width, height)


def fit_to_screen(window: QWidget) -> None:
    """The whole window, frame and title bar included, inside its screen's available geometry (before the first
    show the frame is guessed, after it the window manager's is used)."""
    if window.isMaximized() or window.isFullScreen():
        return
    client = window.geometry()
    frame = window.frameGeometry()
    if not window.isVisible() or frame == client:
        frame = client.adjusted(-FRAME_GUESS[0] // 2, -FRAME_GUESS[1] + FRAME_GUESS[0] // 2,
                                FRAME_GUESS[0] // 2, FRAME_GUESS[0] // 2)
    fitted = clamped(frame, screen_for(frame).availableGeometry())
    if fitted != frame:
        window.setGeometry(fitted.adjusted(client.left() - frame.left(), client.top() - frame.top(),
                                           client.right() - frame.right(), client.bottom() - frame.bottom()))


def default_geometry(window: QWidget) -> None:
    """The first start's size: 1360×860 where it fits, otherwise the screen's available room; centred."""
    screen = QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    size = DEFAULT_SIZE.boundedTo(QSize(available.width() - FRAME_GUESS[0], available.height() - FRAME_GUESS[1]))
    window.resize(size)
    window.move(available.center() - QPoint(size.width() // 2, size.height() // 2))


def width_for_texts(combo: QComboBox, texts: list[str]) -> int:
    """The width a combo box needs to show the longest of texts whole, its arrow and frame included.

    The style adds a fixed room (frame, margins, arrow) to the widest item in the box's size hint: that room, read
    off the size hint, plus the widest of texts. Asking the style directly would make QStyle's Python wrapper, whose
    enums take ≈ 12 ms before the window's first paint; it is asked only where the size hint says nothing about
    the room (no items, items with icons, items narrower than the box's least width)."""
    metrics = combo.fontMetrics()
    widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
    items = [combo.itemText(i) for i in range(combo.count())]
    shown = max((metrics.boundingRect(t).width() for t in items), default=0)
    if items and shown > 7 * metrics.horizontalAdvance("x") and all(combo.itemIcon(i).isNull()
                                                                    for i in range(len(items))):
        return combo.sizeHint().width() - shown + widest
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    return combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option,
                                          QSize(widest, metrics.height()), combo).width()
