"""The left side of the main window: search, the status and own-unit filters, and the plan tree they filter."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ..domain.progress import STATUS_ORDER
from . import look
from .plan_filter import PlanFilterProxy
from .plan_tree_model import PlanTreeModel

NARROW = 360  # narrower than this, the tree leaves out 完成率 so the titles can be read


class PlanNavigator(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lv = QVBoxLayout(self)
        lv.setContentsMargins(6, 6, 2, 6)  # 2 px at the right for the focus ring (look.FocusRing)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        clear_search = QAction(self.search)
        clear_search.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear_search.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear_search.triggered.connect(self.search.clear)
        self.search.addAction(clear_search)
        self.search.setPlaceholderText(self.tr("搜索：文字、责任单位或拼音首字母（如 jyfw）"))
        lv.addWidget(self.search)
        row = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("全部状态"), "")
        for s in STATUS_ORDER:
            self.status_filter.addItem(s, s)
        row.addWidget(self.status_filter)
        self.mine_only = QCheckBox(self.tr("只看本单位承担的"))
        self.mine_only.setObjectName("mineOnly")
        row.addWidget(self.mine_only)
        row.addStretch(1)
        lv.addLayout(row)
        self.tree_model = PlanTreeModel(self)
        self.proxy = PlanFilterProxy(self)
        self.proxy.setSourceModel(self.tree_model)
        self.tree = QTreeView()
        self.tree.setObjectName("planTree")
        self.tree.setModel(self.proxy)
        look.grid(self.tree)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: ResizeToContents would measure every row on each refresh.
        for col, width in ((1, 64), (2, 72)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, width)
        lv.addWidget(self.tree, 1)
        self.empty_label = QLabel(self.tr("没有符合条件的任务。"))
        self.empty_label.setObjectName("emptyLabel")
        look.text_colour(self.empty_label, "#666")
        self.empty_label.setContentsMargins(8, 8, 8, 8)
        self.empty_label.hide()
        lv.addWidget(self.empty_label)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # On a small screen the measures' titles take the room of 完成率 (the pane shows the rates).
        narrow = self.width() < NARROW
        if self.tree.isColumnHidden(2) != narrow:
            self.tree.setColumnHidden(2, narrow)

    def apply_filters(self, own_units: frozenset[str]) -> None:
        """The search text, the status chosen and (when 只看本单位 is ticked) the office's own units."""
        self.proxy.set_query(self.search.text())
        self.proxy.set_status(self.status_filter.currentData() or "")
        self.set_own_units(own_units)
        self.tree.expandAll()
        self.update_empty()

    def set_own_units(self, own_units: frozenset[str]) -> None:
        self.proxy.set_units(own_units if self.mine_only.isChecked() else frozenset())

    def update_empty(self) -> None:
        self.empty_label.setVisible(self.proxy.rowCount() == 0)
