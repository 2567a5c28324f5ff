"""导出 → 报送报表: pick the org, the month and the file, export with a progress dialog, open the folder.

A thin dialog: the workbook is made by ``services.export_service`` (imported when the user exports, so the
window does not load openpyxl at start-up). Problems are shown in the dialog itself, which stays open so the
clerk can pick another folder or name.

Before anything is written, the dialog asks ``services.export_check`` what the city will see as gaps (late
measures without 存在问题 / 下步计划, targets not reported for the month) and, if there are any, lists them with
two answers: 仍然导出, or 返回填写 — which writes nothing and closes the dialog so the clerk can fill them in.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from ..domain.periods import Period
from ..files.outputs import OutputError, make_output_folder
from ..services.ledger import Ledger
from ..services.preferences import WORKBOOKS, WindowPreferences
from . import file_dialogs
from .window_preferences import window_preferences

if TYPE_CHECKING:
    from ..services.export_check import Gap

ALL = "__all__"
SUFFIX = ".xlsx"
EXPORT_ANYWAY = "仍然导出"
BACK_TO_FILLING = "返回填写"


def open_folder(folder: Path) -> bool:
    """Show the folder in the system's file manager (Explorer, Finder, Files); False where there is none."""
    return file_dialogs.reveal(folder)


class ExportDialog(QDialog):
    def __init__(self, ledger: Ledger, org_code: str, period: Period, parent: QWidget | None = None,
                 prefs: WindowPreferences | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        # The window's settings file in the data folder (so a test's temporary folder keeps its own).
        self.prefs = prefs or window_preferences(Path(ledger.path).parent)
        self.result_message = ""
        self.not_opened = ""  # the sentence saying where the file is, when its folder could not be shown
        self.setWindowTitle(self.tr("导出报送报表"))
        self.setMinimumWidth(560)

        self.org = QComboBox()
        city = ledger.city()
        if city is not None:  # the city's own workbook: rolled up from its offices, with 分单位 and 报送情况
            self.org.addItem(self.tr("{}（汇总）").format(city.name), city.code)
        for o in ledger.orgs():
            self.org.addItem(o.name, o.code)
        self.org.addItem(self.tr("全部单位（一个文件，每单位一块）"), ALL)
        self.org.setCurrentIndex(max(0, self.org.findData(ledger.org(org_code).code)))
        self.period = QComboBox()
        for p in ledger.periods:
            self.period.addItem(p.label, str(p))
        self.period.setCurrentIndex(max(0, self.period.findData(str(period))))

        self.folder = QLineEdit(str(file_dialogs.start_folder(self.prefs, WORKBOOKS)))
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self.choose_file)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self._auto_name = self._default_name()
        self.name = QLineEdit(self._auto_name)
        self.open_after = QCheckBox(self.tr("导出后打开所在文件夹"))
        self.open_after.setChecked(self.prefs.open_after_export())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c9302c;")
        self.message.hide()

        form = QFormLayout(self)
        intro = QLabel(self.tr("工作簿含“汇总”“指标完成情况”“工作进展”“明细”四张表，按所选月份月末的情况计算，"
                               "可直接打印（A4 横向）或报送上级。"))
        intro.setWordWrap(True)
        form.addRow(intro)
        for label, widget in ((self.tr("填报单位(&O)"), self.org), (self.tr("报告期(&M)"), self.period)):
            form.addRow(label, widget)
        folder_label = QLabel(self.tr("保存到(&D)"))
        folder_label.setBuddy(self.folder)  # a layout cannot be a buddy: the & would show
        form.addRow(folder_label, folder_row)
        form.addRow(self.tr("文件名(&N)"), self.name)
        form.addRow(self.open_after)
        form.addRow(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText(self.tr("导出"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

        self.org.currentIndexChanged.connect(self._refresh_name)
        self.period.currentIndexChanged.connect(self._refresh_name)

    # -- choices ---------------------------------------------------------------------------------------------
    def chosen_orgs(self) -> list[str]:
        code = self.org.currentData()
        return [o.code for o in self.ledger.orgs()] if code == ALL else [code]

    def chosen_period(self) -> Period:
        return Period.parse(self.period.currentData())

    def target_path(self) -> Path:
        name = self.name.text().strip()
        if name and not name.lower().endswith(SUFFIX):
            name += SUFFIX
        return Path(self.folder.text().strip()).expanduser() / name

    def _default_name(self) -> str:
        from ..services.export_service import file_name_for

        return file_name_for(self.ledger, self.chosen_orgs(), self.chosen_period())

    def _refresh_name(self) -> None:
        """Follow the org and month in the file name, unless the clerk typed a name of their own."""
        new = self._default_name()
        if self.name.text().strip() in ("", self._auto_name):
            self.name.setText(new)
        self._auto_name = new
        self.message.hide()

    def choose_file(self) -> None:
        path = self._ask_save_path(self.target_path())
        if path:
            self.folder.setText(str(path.parent))
            self.name.setText(path.name)

    def _ask_save_path(self, suggested: Path) -> Path | None:
        return file_dialogs.ask_save_path(self, self.prefs, WORKBOOKS, self.tr("保存报送报表"),
                                          self.tr(file_dialogs.WORKBOOK_FILTER), suggested.name, suggested.parent)

    def missing_folder_box(self, folder: Path) -> QMessageBox:
        """The question asked when the folder to save into is not there: 是 (the default) creates it."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("文件夹不存在"),
                          self.tr("文件夹不存在，是否创建？"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setInformativeText(self.tr("{}\n\n是：建立这个文件夹，导出到这里。\n否：不导出，换一个保存位置。")
                               .format(folder))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        return box

    def _confirm_create(self, folder: Path) -> bool:
        box = self.missing_folder_box(folder)
        try:
            return box.exec() == QMessageBox.StandardButton.Yes
        finally:
            box.deleteLater()

    def _folder_ready(self, folder: Path) -> bool:
        """The folder to save into exists, or the clerk agreed and it was made (never in a data folder)."""
        if folder.exists():
            return True
        if not self._confirm_create(folder):
            self.show_problem(self.tr("没有导出：保存位置“{}”不存在。请换一个位置，或同意建立这个文件夹。").format(folder))
            self.folder.setFocus()
            return False
        try:
            make_output_folder(folder, self.ledger.path.parent)
        except OutputError as exc:
            self.show_problem(str(exc))
            self.folder.setFocus()
            return False
        return True

    def overwrite_box(self, path: Path) -> QMessageBox:
        """The question asked before replacing a file. 否 is the default (Enter keeps the old file) and the text
        says what each answer does. Standard buttons only: Qt's Chinese translation names them 是 / 否."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("文件已存在"),
                          self.tr("“{}”已经存在，要用新导出的报表替换它吗？").format(path.name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setInformativeText(self.tr("位置：{}\n选“是”替换这个文件；选“否”不导出，可以改一个文件名（或换一个保存位置）"
                                       "后再点“导出”。").format(path.parent))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        return box

    def _confirm_overwrite(self, path: Path) -> bool:
        box = self.overwrite_box(path)
        try:
            return box.exec() == QMessageBox.StandardButton.Yes
        finally:
            box.deleteLater()

    def gaps_box(self, gaps: list[Gap]) -> tuple[QMessageBox, QPushButton]:
        """The question asked when the city would see gaps: what they are (every one in the details), and
        返回填写 (the default: Enter or Esc writes nothing) or 仍然导出. Returns the box and its 仍然导出 button."""
        from ..services.export_check import gaps_summary, gaps_text

        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("报表有缺漏"),
                          self.tr("上级会在报表中看到这些缺漏：{}。").format(gaps_summary(gaps)), parent=self)
        box.setInformativeText(self.tr("选“{}”不导出，回到窗口补填；选“{}”按现在的数据导出。点“显示详细信息”"
                                       "可看每一项。").format(BACK_TO_FILLING, EXPORT_ANYWAY))
        box.setDetailedText(gaps_text(gaps))
        anyway = box.addButton(self.tr(EXPORT_ANYWAY), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(self.tr(BACK_TO_FILLING), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        return box, anyway

    def _confirm_gaps(self, gaps: list[Gap]) -> bool:
        """True to export anyway."""
        box, anyway = self.gaps_box(gaps)
        try:
            box.exec()
            return box.clickedButton() is anyway
        finally:
            box.deleteLater()

    def _ask_for_another_name(self, path: Path) -> None:
        """After 否: say so in the dialog and put the cursor in the file name, its name part selected."""
        self.show_problem(self.tr("没有导出：“{}”已经存在。请改一个文件名（或换一个保存位置）后再点“导出”。")
                          .format(path.name))
        self.name.setFocus()
        name = self.name.text()
        stem = len(name) - len(SUFFIX) if name.lower().endswith(SUFFIX) else len(name)
        self.name.setSelection(0, stem)

    def show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.fit_height()

    def fit_height(self) -> None:
        """Grow the dialog to the height its wrapped texts need at its width (a form layout sizes a window by
        its minimum size, which leaves wrapped labels squeezed over each other)."""
        layout = self.layout()
        layout.activate()
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        if need > self.height():
            self.resize(self.width(), need)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.fit_height()
        # Office, month, folder and name are filled in already: the one thing left is 导出 (Enter or Space).
        self.export_button.setFocus()

    # -- the export ------------------------------------------------------------------------------------------
    def export(self) -> None:
        from ..services.export_service import ExportCancelled, ExportError, check_destination, export_workbook

        path = self.target_path()
        if not self.name.text().strip():
            self.show_problem(self.tr("请填写文件名。"))
            self.name.setFocus()
            return
        if not self._folder_ready(path.parent):
            return
        try:  # a destination that may not be written is said before any question about overwriting it
            check_destination(path, self.ledger.path.parent)
        except ExportError as exc:
            self.show_problem(str(exc))
            return
        from ..services.export_check import export_gaps, gaps_summary

        gaps = export_gaps(self.ledger, self.chosen_orgs(), self.chosen_period())
        if gaps and not self._confirm_gaps(gaps):
            self.result_message = self.tr("没有导出报送报表：{} 有缺漏（{}），请补填后再导出。").format(
                self.chosen_period().label, gaps_summary(gaps))
            self.reject()
            return
        if path.exists() and not path.is_dir() and not self._confirm_overwrite(path):
            self._ask_for_another_name(path)
            return
        self.message.hide()
        progress = QProgressDialog(self.tr("正在导出…"), self.tr("取消"), 0, 1000, self)
        progress.setWindowTitle(self.tr("导出报送报表"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(False)
        progress.setAutoReset(False)

        def on_progress(done: int, total: int, what: str) -> None:
            progress.setMaximum(total)
            progress.setLabelText(what)
            progress.setValue(done)
            QApplication.processEvents()  # keeps the window painted and the 取消 button alive
            if progress.wasCanceled():
                raise ExportCancelled()

        self.export_button.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = export_workbook(self.ledger, self.chosen_orgs(), self.chosen_period(), path,
                                     progress=on_progress)
        except ExportCancelled as exc:
            self.show_problem(str(exc))
            return
        except ExportError as exc:
            self.show_problem(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
            progress.close()
            progress.deleteLater()
            self.export_button.setEnabled(True)
        self.prefs.set_export_folder(result.path.parent)
        self.prefs.set_open_after_export(self.open_after.isChecked())
        self.prefs.sync()
        self.result_message = result.message
        if self.open_after.isChecked() and not open_folder(result.path.parent):
            self.not_opened = file_dialogs.where_it_is(result.path)
        self.accept()


def run_export_dialog(parent: QWidget, ledger: Ledger, org_code: str, period: Period) -> None:
    """Menu 导出 → 报送报表. The window's status bar says what was exported."""
    dialog = ExportDialog(ledger, org_code, period, parent)
    try:
        dialog.exec()
        if dialog.result_message and isinstance(parent, QMainWindow):  # exported, or went back to fill gaps in
            parent.statusBar().showMessage(" ".join(filter(None, (dialog.result_message, dialog.not_opened))),
                                           15000)
        if dialog.not_opened:  # the clerk asked to see the folder and nothing opened: say where the file is
            QMessageBox.information(parent, parent.tr("无法打开文件夹"), dialog.not_opened)
    finally:
        dialog.deleteLater()
