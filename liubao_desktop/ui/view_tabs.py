"""The detail pane's 填报 | 进度 tab bar. On its own, so the window's first paint does not import the 进度 page
(ui/progress_chart.py and the printing code that draws its charts): that page is built after the first paint."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabBar

FILL_TAB, PROGRESS_TAB = 0, 1


def view_tabs() -> QTabBar:
    """填报 | 进度, on the line of the pane's title (no pixel taken from the table on a small screen)."""
    bar = QTabBar()
    bar.setObjectName("paneTabs")
    bar.addTab("填报")
    bar.addTab("进度")
    bar.setToolTip("进度：选中指标逐月的累计完成、序时进度和目标，以及本项指标状态的逐月变化")
    bar.setDrawBase(False)
    bar.setExpanding(False)
    # Out of the Tab chain (tree → text → table, as the keyboard walk expects); Ctrl+J switches from anywhere.
    bar.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    switch = QShortcut(QKeySequence("Ctrl+J"), bar)
    switch.setContext(Qt.ShortcutContext.WindowShortcut)
    switch.activated.connect(lambda: bar.setCurrentIndex(1 - bar.currentIndex()))
    bar.setToolTip(bar.toolTip() + "（Ctrl+J 切换）")
    return bar
