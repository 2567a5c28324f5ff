"""The tool bar's 填报单位 switcher: 长沙市 (汇总) first, then each office, each office's reporting units under it.

An org whose figures come from below says so in its item's tooltip: the city's are summed from its offices, an
office's assigned targets from its units. The items carry the org's code (``currentData()``).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from ..domain.orgs import Org
from ..services.ledger import Ledger

CITY_SUFFIX = "（汇总）"
INDENT = "　"  # a full-width space: the units under their office


def org_tooltip(org: Org) -> str:
    if org.is_city:
        return ("长沙市的数字由各区县（市）、园区的填报汇总得出（总量相加，比率列出区间和达标个数，定性指标统计完成个数），"
                "不能直接填写；没有下级承担的指标（如市本级）由本级填报。")
    if org.is_unit:
        return "下级填报单位：填报分配给它的指标，由所属区县（市）汇总。"
    return "区县（市）、园区：分配给下级填报单位的指标由下级汇总，其余指标由本单位填报。"


class OrgSwitcher(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orgCombo")
        self.setMinimumContentsLength(12)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        # The chosen org's own tooltip on the closed box: the city's says its figures are summed, not typed.
        self.currentIndexChanged.connect(
            lambda i: self.setToolTip(self.itemData(i, Qt.ItemDataRole.ToolTipRole) or ""))

    def fill(self, ledger: Ledger, current: str) -> None:
        """Every org to switch to, without signalling; ``current`` (a code) chosen."""
        self.blockSignals(True)
        try:
            self.clear()
            city = ledger.city()
            if city is not None:
                self._add(city, city.name + CITY_SUFFIX, 0)
            for office in ledger.orgs():
                self._add(office, office.name, 0)
                for unit in ledger.children(office.code):
                    self._add(unit, unit.name, 1)
            self.setCurrentIndex(max(0, self.findData(current)))
        finally:
            self.blockSignals(False)
        self.setToolTip(self.itemData(self.currentIndex(), Qt.ItemDataRole.ToolTipRole) or "")

    def _add(self, org: Org, text: str, level: int) -> None:
        self.addItem(INDENT * level + text, org.code)
        self.setItemData(self.count() - 1, org_tooltip(org), Qt.ItemDataRole.ToolTipRole)
