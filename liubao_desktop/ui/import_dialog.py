"""数据 → 导入填报数据…: choose workbooks, see per file what would change and every problem, then 导入 — enabled
only when every file is clean. The write is an ImportEdit on the window's undo stack: one Ctrl+Z undoes it."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services.import_service import (
    CHANGED,
    KIND_WORDS,
    NEW,
    UNCHANGED,
    ImportPreview,
    change_text,
    preview_import,
)
from ..services.ledger import Ledger
from .file_dialogs import WORKBOOK_FILTER, chinese_file_dialog, documents_folder

if TYPE_CHECKING:
    from .main_window import MainWindow

COLUMNS = ("文件", "类型", "填报单位", "报告期", "新增", "修改", "不变", "问题")
SHOW_PROGRESS_FROM = 3  # files: fewer are read before a progress dialog would even show


class ImportDialog(QDialog):
    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.preview: ImportPreview | None = None
        self.setWindowTitle(self.tr("导入填报数据"))
        self.resize(960, 620)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("选择填好的填报模板，或下级单位导出的报送报表（.xlsx，可多选）。先全部检查，"
                               "没有问题才能导入；导入前自动备份，导入后可用“撤销”（Ctrl+Z）一步撤回。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.choose_button = QPushButton(self.tr("选择文件…"))
        self.choose_button.clicked.connect(self.choose_files)
        row.addWidget(self.choose_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        row.addWidget(self.summary, 1)
        layout.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_details)
        split.addWidget(self.table)
        self.details = QListWidget()
        split.addWidget(self.details)
        split.setSizes([260, 300])
        layout.addWidget(split, 1)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(self.tr("导入"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    # -- files -----------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        dialog = chinese_file_dialog(self, self.tr("选择要导入的工作簿"), documents_folder(), WORKBOOK_FILTER,
                                     save=False)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        try:
            chosen = [Path(p) for p in dialog.selectedFiles()] if dialog.exec() else []
        finally:
            dialog.deleteLater()
        if chosen:
            self.load(chosen)

    def load(self, paths: list[Path]) -> None:
        """Read and check the files (nothing is written); with many, a progress dialog that can cancel."""
        progress = None
        if len(paths) >= SHOW_PROGRESS_FROM:
            progress = QProgressDialog(self.tr("正在检查文件…"), self.tr("取消"), 0, len(paths), self)
            progress.setWindowTitle(self.tr("导入填报数据"))
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(300)

        def tick(done: int, total: int, what: str) -> None:
            if progress is None:
                return
            progress.setValue(done)
            progress.setLabelText(what)
            QApplication.processEvents()
            if progress.wasCanceled():
                raise _Cancelled

        try:
            self.preview = preview_import(self.ledger, paths, progress=tick)
        except _Cancelled:
            self.preview = None
            self.summary.setText(self.tr("已取消检查，没有导入任何数据。"))
        except ValueError as exc:  # defusedxml missing: nothing read at all
            self.preview = None
            self.summary.setText(str(exc))
        finally:
            if progress is not None:
                progress.close()
                progress.deleteLater()
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(0)
        self.details.clear()
        p = self.preview
        if p is None:
            self.import_button.setEnabled(False)
            return
        self.table.setRowCount(len(p.files))
        for r, f in enumerate(p.files):
            problems = len(f.problems)
            cells = [f.name, KIND_WORDS.get(f.kind or "", "无法识别" if not f.unreadable else "无法读取"), f.who,
                     f.period or "", str(f.count(NEW)), str(f.count(CHANGED)), str(f.count(UNCHANGED)),
                     f"{problems} 个" if problems else "无"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (4, 5, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        writes = len(p.writes())
        bad = sum(1 for f in p.files if f.problems)
        if p.clean and writes:
            self.summary.setText(self.tr(f"检查通过：{len(p.files)} 个文件，新增 {p.count(NEW)} 个、修改 {p.count(CHANGED)} 个"
                                         f"单元格，{p.count(UNCHANGED)} 个不变。"))
        elif p.clean:
            self.summary.setText(self.tr("检查通过，但文件中的数据与台账相同，没有要导入的内容。"))
        else:
            self.summary.setText(self.tr(f"{bad} 个文件有问题，不能导入（全部文件没有问题才能导入）。"
                                         "请改正后重新选择文件。"))
        self.import_button.setEnabled(p.clean and writes > 0)
        self.table.selectRow(next((i for i, f in enumerate(p.files) if f.problems), 0))

    def _show_details(self) -> None:
        self.details.clear()
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if self.preview is None or not rows:
            return
        f = self.preview.files[rows[0].row()]
        if f.sha256:
            self.details.addItem(f"SHA-256：{f.sha256}")
        for p in f.problems:
            self.details.addItem(f"问题  {p.text}")
        for p in f.notices:
            self.details.addItem(f"注意  {p.text}")
        for c in f.changes:
            if c.kind == UNCHANGED:
                continue
            label = self.ledger.target(c.target).label
            word = "新增" if c.kind == NEW else "修改"
            self.details.addItem(f"{word}  {c.sheet}!{c.cell}  {c.period.label} {c.target} {label}："
                                 f"{change_text(self.ledger, c)}")


class _Cancelled(Exception):
    pass


def run_import_dialog(window: MainWindow) -> None:
    """The dialog; on 导入, an ImportEdit pushed on the window's undo stack writes the files."""
    from .edits import ImportEdit

    dialog = ImportDialog(window.ledger, window)
    try:
        if dialog.exec() and dialog.preview is not None and dialog.preview.clean:
            window.undo_stack.push(ImportEdit(window.edits._place(), dialog.preview))
    finally:
        dialog.deleteLater()
