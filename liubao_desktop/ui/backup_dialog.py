"""数据 → 备份 / 恢复: the backups with what they hold, a backup now, a restore that can itself be undone,
and a backup to / a restore from a file the clerk picks (a USB stick: moving to a new PC).

Also the start-up recovery: when the database file is damaged, ``open_ledger_or_recover`` says what is wrong
and offers the newest good backup; the damaged file is kept beside it, never deleted or overwritten.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .. import crash
from ..services import safety
from ..services.ledger import Ledger
from ..services.preferences import BACKUPS
from . import file_dialogs, look
from .row_list_model import RowListModel

log = logging.getLogger(__name__)

ModelIndex = QModelIndex | QPersistentModelIndex
COLUMNS = ("备份时间", "类型", "大小", "有数据的单位", "数据截至", "状态")
PathRole = Qt.ItemDataRole.UserRole + 1
FILE_FILTER = "六保台账数据 (*.sqlite3 *.db);;所有文件 (*)"


class LedgerWindow(Protocol):
    """What the dialog needs from the main window."""

    ledger: Ledger

    def reopen_ledger(self) -> None: ...


# Message boxes go through these two, so tests (and a future non-modal design) can replace them.
def ask(parent: QWidget | None, title: str, text: str, yes_text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QApplication.translate("backup", "取消"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes


def tell(parent: QWidget | None, title: str, text: str, *, problem: bool = False) -> None:
    if problem:
        QMessageBox.warning(parent, title, text)
    else:
        QMessageBox.information(parent, title, text)


class BackupTableModel(RowListModel["safety.BackupInfo"]):
    columns = COLUMNS

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        b = self.row_at(index)
        if b is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            status = "可恢复" if b.ok else f"不可用：{b.problem}"
            if b.ok and b.sample:
                status = "可恢复（示例数据）"
            return (f"{b.created:%Y-%m-%d %H:%M:%S}", b.reason_label, b.size_label, b.orgs_label, b.period_label,
                    status)[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 3 and b.orgs:
                return "、".join(b.orgs)
            return str(b.path)
        if role == Qt.ItemDataRole.ForegroundRole and not b.ok:
            return QGuiApplication.palette().placeholderText()
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == PathRole:
            return str(b.path)
        return None


class BackupDialog(QDialog):
    def __init__(self, window: LedgerWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else (window if isinstance(window, QWidget) else None))
        self.main_window = window
        from .window_preferences import window_preferences

        # 备份到… / 从文件恢复… start in the folder last used for backups on this PC (settings.ini)
        self.prefs = window_preferences(window.ledger.path.parent)
        self.setWindowTitle(self.tr("备份 / 恢复"))
        self.resize(980, 480)
        layout = QVBoxLayout(self)
        folder = safety.backups_dir(window.ledger.path.parent)
        top = QHBoxLayout()
        self.folder_label = QLabel(self.tr("备份文件夹：{folder}").format(folder=folder))
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.folder_label, 1)
        top.addWidget(QLabel(self.tr("保留最近")))
        self.keep = QSpinBox()
        self.keep.setRange(1, 999)
        self.keep.setValue(safety.backup_keep(window.ledger))
        self.keep.setSuffix(self.tr(" 份"))
        self.keep.setToolTip(self.tr("自动删除更早的备份；您自己放进备份文件夹的文件不会被删除"))
        self.keep.editingFinished.connect(self._keep_changed)
        top.addWidget(self.keep)
        layout.addLayout(top)
        layout.addWidget(QLabel(self.tr(
            "每天第一次打开软件、升级、恢复和批量导入之前都会自动备份。恢复前会先备份当前数据，恢复后也能再恢复回去。\n"
            "换电脑时：在旧电脑上“备份到…”U 盘，在新电脑上“从文件恢复…”。")))
        self.model = BackupTableModel(self)
        self.table = QTableView()
        look.grid(self.table)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.restore_selected())
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.backup_button = QPushButton(self.tr("立即备份"))
        self.restore_button = QPushButton(self.tr("恢复所选备份…"))
        self.backup_to_button = QPushButton(self.tr("备份到…"))
        self.backup_to_button.setToolTip(self.tr("把当前数据备份到您选择的文件，例如 U 盘上（换电脑时用）"))
        self.restore_file_button = QPushButton(self.tr("从文件恢复…"))
        self.restore_file_button.setToolTip(self.tr("用 U 盘或其他文件夹中的备份文件恢复（同样先备份当前数据）"))
        self.open_button = QPushButton(self.tr("打开备份文件夹"))
        for b in (self.backup_button, self.restore_button, self.backup_to_button, self.restore_file_button,
                  self.open_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.backup_to_button.clicked.connect(self.backup_to_file)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.open_button.clicked.connect(self.open_folder)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()

    @property
    def ledger(self) -> Ledger:
        return self.main_window.ledger  # the window may replace it after a restore

    def reload(self) -> None:
        self.model.set_rows(safety.list_backups(self.ledger.path.parent))
        if self.model.rows:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> safety.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _update_buttons(self, *_args: object) -> None:
        chosen = self.selected()
        self.restore_button.setEnabled(chosen is not None and chosen.ok)

    def _keep_changed(self) -> None:
        if self.keep.value() == safety.backup_keep(self.ledger):
            return  # the box only lost focus: nothing to save, nothing to say
        try:
            safety.set_backup_keep(self.ledger, self.keep.value())
        except (ValueError, safety.StorageError) as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(self.tr("已保存：保留最近 {n} 份备份（下次备份时生效）。").format(n=self.keep.value()))

    def backup_now(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            made = safety.backup_now(self.ledger)
        except safety.StorageError as exc:
            self.status.setText(str(exc))
            tell(self, self.tr("备份失败"), str(exc), problem=True)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.reload()
        self.status.setText(self.tr("已备份：{name}").format(name=made.name))

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or not chosen.ok:
            return
        question = self.tr(
            "将用 {when} 的备份（{orgs}，数据截至 {period}）替换当前的全部数据。\n\n"
            "恢复前会先自动备份当前数据，恢复后也可以再恢复回去；恢复带来的每一项改动都会记入修改记录。\n\n"
            "确定恢复吗？"
        ).format(when=f"{chosen.created:%Y-%m-%d %H:%M}", orgs=chosen.orgs_label, period=chosen.period_label)
        if not ask(self, self.tr("恢复备份"), question, self.tr("恢复")):
            self.status.setText(self.tr("已取消，数据没有改动。"))
            return
        self._restore(chosen.path)

    def restore_from_file(self) -> None:
        """从文件恢复…: any file the clerk picks, checked like a backup, restored the same way."""
        path = file_dialogs.ask_open_path(self, self.prefs, BACKUPS, self.tr("从文件恢复"), self.tr(FILE_FILTER))
        if path is None:
            return
        info: safety.BackupInfo | None = None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            info = safety.inspect_backup(path)
            problem = info.problem
        except OSError as exc:  # gone, unreadable (a USB stick pulled out)
            problem = str(exc.strerror or exc)
        finally:
            QApplication.restoreOverrideCursor()
        if info is None or problem:
            text = self.tr("这个文件不能用来恢复：{problem}\n\n{path}\n\n当前数据没有改动。").format(
                problem=problem, path=path)
            self.status.setText(text)
            tell(self, self.tr("不能恢复"), text, problem=True)
            return
        question = self.tr(
            "将用文件\n{path}\n（{when}，{orgs}，数据截至 {period}）替换当前的全部数据。\n\n"
            "恢复前会先自动备份当前数据，恢复后也可以再恢复回去；恢复带来的每一项改动都会记入修改记录。"
            "所选的文件只读取，不会改动。\n\n确定恢复吗？"
        ).format(path=path, when=f"{info.created:%Y-%m-%d %H:%M}", orgs=info.orgs_label, period=info.period_label)
        if not ask(self, self.tr("从文件恢复"), question, self.tr("恢复")):
            self.status.setText(self.tr("已取消，数据没有改动。"))
            return
        self._restore(path, from_file=True)

    def _restore(self, path: Path, *, from_file: bool = False) -> None:
        result: safety.RestoreResult | None = None
        error: safety.StorageError | None = None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            try:
                result = (safety.restore_from_file if from_file else safety.restore_backup)(self.ledger, path)
            except safety.StorageError as exc:
                error = exc
        finally:
            # the ledger was reopened (on the restored file, or on the old one after a failure): the window
            # must drop what pointed into the data it showed — whatever happened
            try:
                if result is not None or getattr(error, "reopened", False):
                    self.main_window.reopen_ledger()
            finally:
                QApplication.restoreOverrideCursor()
        self.reload()
        if error is not None:
            self.status.setText(str(error))
            tell(self, self.tr("没有恢复"), str(error), problem=True)
            return
        assert result is not None
        self.status.setText(result.message)
        tell(self, self.tr("已恢复"), result.message)

    def backup_to_file(self) -> None:
        """备份到…: a fresh backup written to a file the clerk chooses (a USB stick)."""
        dest = file_dialogs.ask_save_path(self, self.prefs, BACKUPS, self.tr("备份到文件"), self.tr(FILE_FILTER),
                                          safety.default_backup_file_name())
        if dest is None:
            return
        if dest.suffix.lower() not in (".sqlite3", ".db"):
            dest = dest.with_name(dest.name + ".sqlite3")
            if dest.exists() and not ask(self, self.tr("备份到文件"), self.tr(
                    "{path} 已经存在，要替换它吗？").format(path=dest), self.tr("替换")):
                self.status.setText(self.tr("已取消。"))
                return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            made = safety.backup_to_file(self.ledger, dest)
        except safety.StorageError as exc:
            self.status.setText(str(exc))
            tell(self, self.tr("备份失败"), str(exc), problem=True)
            return
        finally:
            QApplication.restoreOverrideCursor()
        text = self.tr("已备份到 {path}。\n在新电脑上打开“备份 / 恢复”，点“从文件恢复…”选择这个文件即可。").format(path=made)
        self.status.setText(text)
        tell(self, self.tr("已备份"), text)

    def open_folder(self) -> None:
        folder = safety.backups_dir(self.ledger.path.parent)
        folder.mkdir(parents=True, exist_ok=True)
        not_opened = file_dialogs.reveal_or_say(folder)
        if not_opened:
            self.status.setText(not_opened)


def run_backup_dialog(window: LedgerWindow) -> None:
    BackupDialog(window).exec()


def open_ledger_or_recover(data_dir: Path, parent: QWidget | None = None) -> Ledger | None:
    """Open the data folder's ledger for the GUI. A damaged file — or any unexpected failure while opening —
    is explained and the newest good backup offered (the file is kept, renamed); other problems are
    explained. None: do not start."""
    try:
        return safety.open_ledger(data_dir)
    except Exception as exc:
        return recover_from(data_dir, exc, parent)


def recover_from(data_dir: Path, error: Exception, parent: QWidget | None = None) -> Ledger | None:
    """What ``open_ledger_or_recover`` does once opening failed with ``error`` (the start opens the ledger
    itself and loads this module only then)."""
    title = QApplication.translate("backup", "无法打开数据")
    while True:
        if isinstance(error, safety.DatabaseDamagedError):
            if not _offer_newest_backup(data_dir, parent, title, str(error)):
                return None
        elif isinstance(error, safety.StorageError):
            tell(parent, title, str(error), problem=True)
            return None
        else:  # a bug or a state of the file nobody foresaw: never a bare traceback
            log.error("opening %s failed", data_dir, exc_info=error)
            problem = QApplication.translate(
                "backup", "打开数据时出现了意外错误（{what}），错误经过已记录在日志文件 {log} 中。").format(
                    what=f"{type(error).__name__}: {error}"[:200], log=crash.log_path(data_dir))
            if not _offer_newest_backup(data_dir, parent, title, problem):
                return None
        try:
            return safety.open_ledger(data_dir)
        except Exception as exc:
            error = exc


def _offer_newest_backup(data_dir: Path, parent: QWidget | None, title: str, problem: str) -> bool:
    """Offer the newest good backup in place of the file that cannot be opened; True when it was put in
    place (open again), False when the start must stop."""
    good = safety.newest_good_backup(data_dir)
    if good is None:
        tell(parent, title, QApplication.translate("backup", "{problem}\n\n备份文件夹中没有可用的备份。"
             "数据文件保持原样，请联系技术支持人员。").format(problem=problem), problem=True)
        return False
    text = QApplication.translate(
        "backup",
        "{problem}\n\n可以用最近一份完好的备份恢复：{when}（{orgs}，数据截至 {period}）。"
        "这份备份之后填报的数据需要重新填写。\n\n原来的文件会改名保留在数据文件夹中，不会删除。",
    ).format(problem=problem, when=f"{good.created:%Y-%m-%d %H:%M}", orgs=good.orgs_label, period=good.period_label)
    if not ask(parent, title, text, QApplication.translate("backup", "用这份备份恢复")):
        return False
    try:
        kept = safety.replace_damaged_database(data_dir, good.path)
    except safety.StorageError as err:
        tell(parent, title, str(err), problem=True)
        return False
    log.warning("recovered from %s; previous file kept as %s", good.path, kept)
    tell(parent, QApplication.translate("backup", "已恢复"), QApplication.translate(
        "backup", "已用 {when} 的备份恢复。原来的文件保留为：\n{kept}").format(
            when=f"{good.created:%Y-%m-%d %H:%M}", kept=kept))
    return True
