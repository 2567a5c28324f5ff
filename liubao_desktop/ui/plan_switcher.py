"""The tool bar's 方案 switcher: every plan of the ledger, by short title and 文号; hidden while there is only one.

The items carry the plan's code (``currentData()``); the window reopens the ledger on the chosen plan
(``MainWindow.switch_plan``). Each item's tooltip gives the full title, the 文号 and the months it runs.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from ..services.ledger import Ledger


class PlanSwitcher(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planCombo")
        self.setMinimumContentsLength(10)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.currentIndexChanged.connect(
            lambda i: self.setToolTip(self.itemData(i, Qt.ItemDataRole.ToolTipRole) or ""))

    def fill(self, ledger: Ledger) -> bool:
        """Every plan of the ledger, the one it shows chosen, without signalling. True when there is a choice
        (more than one plan): the caller shows the box and its label only then."""
        self.blockSignals(True)
        try:
            self.clear()
            for p in ledger.plans():
                self.addItem(p.short_title + (f"（{p.doc_number}）" if p.doc_number else ""), p.code)
                self.setItemData(self.count() - 1,
                                 f"{p.title}\n{p.doc_number or '无文号'}　{p.effective_from:%Y年%m月} 至 "
                                 f"{p.effective_to:%Y年%m月}　{p.measures} 项措施，{p.targets} 项量化指标",
                                 Qt.ItemDataRole.ToolTipRole)
            self.setCurrentIndex(max(0, self.findData(ledger.plan.code)))
        finally:
            self.blockSignals(False)
        self.setToolTip(self.itemData(self.currentIndex(), Qt.ItemDataRole.ToolTipRole) or "")
        return self.count() > 1
