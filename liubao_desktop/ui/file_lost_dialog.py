"""When the ledger file is deleted or replaced under the open window: say so once, save what the window holds.

The open connection still reads its own file, which no path names any more; everything up to the last
"已保存" is in it. The clerk may put it back where the next start finds it (when the file was deleted), save it
to a file of their choosing (to restore with 从文件恢复… later), or quit. Either way the window then closes:
its connection belongs to a file nobody will open again.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from ..services import safety
from ..services.ledger import Ledger, StorageError
from ..services.preferences import BACKUPS
from . import file_dialogs
from .window_preferences import window_preferences


class FileLostDialog(QMessageBox):
    def __init__(self, ledger: Ledger, error: StorageError, parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Critical, self.tr("数据文件不见了"), str(error),
                         QMessageBox.StandardButton.NoButton, parent)
        self.ledger = ledger
        self.saved_to: Path | None = None
        self.setInformativeText(self.tr(
            "窗口里还保留着到上一次“已保存”为止的全部数据。请先把它们保存下来；保存后软件会关闭，重新打开即可继续。"))
        self.put_back = None
        if getattr(error, "deleted", False) and not ledger.path.exists():
            self.put_back = self.addButton(self.tr("放回原处"), QMessageBox.ButtonRole.AcceptRole)
        self.save_as = self.addButton(self.tr("另存为…"), QMessageBox.ButtonRole.ActionRole)
        self.quit = self.addButton(self.tr("不保存，退出"), QMessageBox.ButtonRole.DestructiveRole)
        self.setDefaultButton(self.put_back or self.save_as)
        self.setEscapeButton(self.save_as)  # Esc must never be the way to lose the data

    @staticmethod
    def rescue_name() -> str:
        return f"六保台账-抢救-{datetime.now():%Y%m%d-%H%M}.sqlite3"

    def choose_file(self) -> Path | None:
        """Where to save the data: a ledger copy, so the dialog starts where backups last went on this PC."""
        prefs = window_preferences(self.ledger.path.parent)
        return file_dialogs.ask_save_path(self, prefs, BACKUPS, self.tr("另存为"),
                                          self.tr("台账数据文件 (*.sqlite3)"), self.rescue_name())

    def run(self) -> Path | None:
        """Ask until the data is saved or the clerk chooses to quit; returns where it was saved."""
        while True:
            self.exec()
            clicked = self.clickedButton()
            if clicked is self.quit:
                return None
            dest = None
            if clicked is not self.put_back:
                dest = self.choose_file()
                if dest is None:
                    continue
            try:
                self.saved_to = safety.rescue_lost_ledger(self.ledger, dest)
            except StorageError as exc:
                QMessageBox.warning(self, self.tr("没有保存"), str(exc))
                continue
            where = (self.tr("已放回原处：{path}\n\n重新打开软件即可继续工作。") if dest is None else
                     self.tr("已保存为 {path}\n\n重新打开软件后，可在“数据 → 备份 / 恢复 → 从文件恢复…”中用它恢复。"))
            QMessageBox.information(self, self.tr("已保存"), where.format(path=self.saved_to))
            return self.saved_to


def ask_and_quit(window: QWidget, ledger: Ledger, error: StorageError) -> None:
    """Show the dialog once (the window calls this after the write that found the file gone has returned, not
    inside it), then quit."""
    dialog = FileLostDialog(ledger, error, window)
    dialog.run()
    dialog.deleteLater()
    window.setProperty("file_lost", True)  # closeEvent saves nothing more
    QCoreApplication.exit(1)
