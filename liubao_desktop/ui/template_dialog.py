"""导出 → 填报模板…: the workbook a reporting unit (or the office itself) fills in for a month, or one for every
active unit at once (为全部下级单位生成: a folder of templates and a zip of them).

Thin: ``services.template_service`` decides what a template lists and refuses what cannot be made; its Chinese
sentence is shown on the band under the form and nothing is written.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.periods import Period
from ..services.ledger import Ledger, StorageError
from ..services.template_service import (
    BatchResult,
    TemplateError,
    TemplateResult,
    batch_folder_name,
    template_file_name,
    write_all_unit_templates,
    write_template_file,
)
from . import look


def _documents() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class TemplateDialog(QDialog):
    def __init__(self, ledger: Ledger, office: str, period: Period, parent: QWidget | None = None,
                 folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateDialog")
        self.ledger = ledger
        chosen = ledger.org(office)
        # The window may show a unit (its org switcher lists them): its office makes the template, for it.
        self.office = ledger.org(chosen.parent or "") if chosen.is_unit else chosen
        self.folder = folder or _documents()
        self.result: TemplateResult | BatchResult | None = None
        self.setWindowTitle(self.tr("填报模板 — {0}").format(self.office.name))
        self.resize(640, 320)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "生成 Excel 填报模板发给下级单位：模板只列该单位要填报的指标（在 数据 → 下级填报单位… 中勾选），"
            "只有“本期完成”和“备注”两列可以填写。选“本单位”则列出本单位涉及的全部指标。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("templateUnit")
        self.unit_combo.addItem(self.tr("本单位（{0}）").format(self.office.name), None)
        for unit in (u for u in ledger.children(self.office.code) if u.is_unit):
            self.unit_combo.addItem(unit.name, unit.code)
        form.addRow(self.tr("填报单位："), self.unit_combo)
        if chosen.is_unit:
            self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(chosen.code)))
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("templatePeriod")
        for p in ledger.periods:
            self.period_combo.addItem(p.label, str(p))
        self.period_combo.setCurrentIndex(max(0, self.period_combo.findData(str(period))))
        form.addRow(self.tr("报告期："), self.period_combo)
        out_row = QHBoxLayout()
        self.out_edit = QLineEdit()
        self.out_edit.setObjectName("templateOut")
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self.browse)
        out_row.addWidget(self.out_edit, 1)
        out_row.addWidget(browse)
        form.addRow(self.tr("保存为："), out_row)
        layout.addLayout(form)
        self.message = look.NoticeLabel()
        self.message.setObjectName("templateMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.done_label = QLabel()
        self.done_label.setObjectName("templateDone")
        self.done_label.setWordWrap(True)
        layout.addWidget(self.done_label)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.all_button = QPushButton(self.tr("为全部下级单位生成…"))
        self.all_button.setObjectName("templateAllUnits")
        self.all_button.setEnabled(self.unit_combo.count() > 1)
        self.all_button.setToolTip(self.tr("每个在用的下级单位一个模板，放进所选文件夹下的新文件夹，并打包成 zip"))
        self.all_button.clicked.connect(self.choose_folder_for_all)
        self.make_button = QPushButton(self.tr("生成"))
        self.make_button.setObjectName("templateMake")
        self.make_button.setDefault(True)
        self.make_button.clicked.connect(self.make)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)
        buttons.addWidget(self.all_button)
        buttons.addStretch(1)
        buttons.addWidget(self.make_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.unit_combo.currentIndexChanged.connect(self._suggest_name)
        self.period_combo.currentIndexChanged.connect(self._suggest_name)
        self._suggest_name()

    # -- choices ---------------------------------------------------------------------------------------------
    def period(self) -> Period:
        return Period.parse(self.period_combo.currentData())

    def unit_code(self) -> str | None:
        return self.unit_combo.currentData()

    def _suggest_name(self) -> None:
        code = self.unit_code()
        unit = self.ledger.org(code) if code else None
        current = Path(self.out_edit.text()).parent if self.out_edit.text() else self.folder
        self.out_edit.setText(str(current / template_file_name(self.office, unit, self.period())))

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存填报模板"), self.out_edit.text(),
                                              self.tr("Excel 工作簿 (*.xlsx)"))
        if path:
            self.out_edit.setText(path)

    def choose_folder_for_all(self) -> None:
        start = str(Path(self.out_edit.text()).parent) if self.out_edit.text() else str(self.folder)
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择保存位置"), start)
        if folder:
            self.make_all(Path(folder))

    # -- writing ---------------------------------------------------------------------------------------------
    def _show(self, error: str | None, done: str = "") -> None:
        self.message.setText(error or "")
        self.message.setVisible(bool(error))
        self.done_label.setText(done)

    def make(self) -> TemplateResult | None:
        code = self.unit_code()
        unit = self.ledger.org(code) if code else None
        out = self.out_edit.text().strip()
        if not out:
            self._show(self.tr("请填写保存位置和文件名。"))
            return None
        try:
            result = write_template_file(self.ledger, self.office, unit, self.period(), Path(out))
        except (TemplateError, StorageError) as exc:
            self._show(str(exc))
            return None
        self.result = result
        self._show(None, result.message)
        return result

    def make_all(self, parent_folder: Path) -> BatchResult | None:
        """One template per active unit into a new folder inside parent_folder, and a zip of them."""
        folder = parent_folder / batch_folder_name(self.office, self.period())
        try:
            batch = write_all_unit_templates(self.ledger, self.office, self.period(), folder)
        except (TemplateError, StorageError) as exc:
            self._show(str(exc))
            return None
        self.result = batch
        self._show(None, batch.message)
        return batch


def run_template_dialog(parent: QWidget, ledger: Ledger, office: str, period: Period) -> None:
    TemplateDialog(ledger, office, period, parent).exec()
