"""数据 → 状态阈值: how far behind 序时进度 turns a target 黄 or 红, for this office; and the day each month's
report is due (报送截止日), which 报送情况 judges 逾期 against."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from ..domain.progress import Thresholds
from ..services.ledger import Ledger, StorageError


class ThresholdsDialog(QDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("状态阈值"))
        self.ledger = ledger
        form = QFormLayout(self)
        intro = QLabel(self.tr("完成率落后于序时进度多少个百分点时显示为黄色或红色（逾期和已完成不受影响）："))
        intro.setWordWrap(True)
        form.addRow(intro)
        current = ledger.thresholds()
        self.yellow = self._points(current.yellow_behind_points)
        self.red = self._points(current.red_behind_points)
        form.addRow(self.tr("落后超过（黄）"), self.yellow)
        form.addRow(self.tr("落后超过（红）"), self.red)
        due = QLabel(self.tr("下级报送截止日：每月几日前报上月数据（报送情况据此判断是否逾期，含当日）："))
        due.setWordWrap(True)
        form.addRow(due)
        self.due_day = QSpinBox()
        self.due_day.setObjectName("dueDay")
        self.due_day.setRange(1, 31)
        self.due_day.setPrefix(self.tr("每月 "))
        self.due_day.setSuffix(self.tr(" 日前"))
        self.due_day.setValue(ledger.preferences.report_due_day())
        self.due_day.setToolTip(self.tr("例如每月5日前：2020年9月的数据截止到2020年10月5日。月份较短时取该月最后一天。"))
        form.addRow(self.tr("报送截止日"), self.due_day)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _points(self, value: Decimal) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(0, 100)
        box.setDecimals(1)
        box.setSuffix(self.tr(" 个百分点"))
        box.setValue(float(value))
        return box

    def chosen(self) -> Thresholds:
        # The boxes hold one decimal; str() of their value gives it back without binary noise.
        return Thresholds(red_behind_points=Decimal(str(round(self.red.value(), 1))),
                          yellow_behind_points=Decimal(str(round(self.yellow.value(), 1))))

    def accept(self) -> None:
        try:
            with self.ledger.transaction():  # both saved, or neither
                self.ledger.set_thresholds(self.chosen())
                self.ledger.preferences.set_report_due_day(self.due_day.value())
        except (ValueError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("没有保存"), str(exc))
            return
        super().accept()
