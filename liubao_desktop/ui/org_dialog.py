"""First start: which office is this, and who is filling in on this PC (for the audit trail) — both kept in this PC's
settings.ini."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from ..services.ledger import Ledger, StorageError
from ..services.preferences import WindowPreferences


class OrgDialog(QDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None, prefs: WindowPreferences) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("选择填报单位"))
        self.ledger = ledger
        self.prefs = prefs
        form = QFormLayout(self)
        intro = QLabel(self.tr("请选择本单位（也可以直接输入单位名称，如某街道、某区直部门）。以后可在“文件 → 切换填报单位”中更改。"))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.org = QComboBox()
        self.org.setEditable(True)
        self.org.addItems([o.name for o in ledger.orgs()])
        office = prefs.office()  # this PC's, offered while the ledger has it
        if office and office in {o.code for o in ledger.orgs()}:
            self.org.setCurrentText(ledger.org(office).name)
        form.addRow("填报单位", self.org)
        self.operator = QLineEdit(ledger.workstation.operator)
        self.operator.setPlaceholderText(self.tr("例如：张三（用于修改记录）"))
        form.addRow("填报人", self.operator)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.chosen_code: str | None = None

    def accept(self) -> None:
        name, operator = self.org.currentText().strip(), self.operator.text().strip()
        if not operator:
            QMessageBox.warning(self, self.tr("请填写填报人"), self.tr("请填写填报人姓名，修改记录中会注明是谁修改的。"))
            return
        try:
            org = self.ledger.choose_office(name, operator)
        except (ValueError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("没有保存"), str(exc))
            return
        self.prefs.set_operator(self.ledger.workstation.operator)  # both this PC's, not the ledger's
        self.prefs.set_office(org.code)
        self.prefs.sync()
        self.chosen_code = org.code
        super().accept()
