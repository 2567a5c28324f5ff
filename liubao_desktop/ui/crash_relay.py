"""Unhandled errors from any thread to the crash dialog in the GUI thread, through a queued signal.

Installed at start-up; the dialog's widgets (ui/crash_dialog.py) are imported only when an error happens, so
the first window does not pay for them.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from .. import crash

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from .crash_dialog import CrashDialog


class _Relay(QObject):
    """Lives in the GUI thread; ``report`` and ``server_trouble`` may be emitted from any thread."""

    report = Signal(str, str)
    server_trouble = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.dialog: CrashDialog | None = None
        self.notice: QMessageBox | None = None
        self.report.connect(self.show_dialog)
        self.server_trouble.connect(self.show_server_trouble)

    @Slot(str)
    def show_server_trouble(self, text: str) -> None:
        """A ledger on a server can fail on any read (the server stopped, the network cut): not a fault of the app.
        Said as it is, once — a second failure while the box is open only updates it — never as a crash."""
        from PySide6.QtWidgets import QApplication, QMessageBox

        text = f"{text}\n\n已经保存的数据不受影响。服务器恢复后可以继续操作；刚才没有完成的修改请再做一次。"
        if self.notice is not None and self.notice.isVisible():
            self.notice.setText(text)
            return
        app = QApplication.instance()
        parent = app.activeWindow() if isinstance(app, QApplication) else None
        self.notice = QMessageBox(QMessageBox.Icon.Warning, "与数据库服务器的连接有问题", text,
                                  QMessageBox.StandardButton.Ok, parent)
        self.notice.setObjectName("serverTrouble")
        self.notice.show()

    @Slot(str, str)
    def show_dialog(self, summary: str, log_file: str) -> None:
        from PySide6.QtWidgets import QApplication

        from .crash_dialog import CrashDialog

        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_occurrence(summary)
            return
        app = QApplication.instance()
        parent = app.activeWindow() if isinstance(app, QApplication) else None
        self.dialog = CrashDialog(summary, Path(log_file), parent)
        self.dialog.show()


_relay: _Relay | None = None
# A QApplication property naming the server while the window's ledger is on one (ui/server_start.py): the crash
# dialog then has no file of this PC to check.
SERVER_PROPERTY = "liubao.server"


def current() -> CrashDialog | None:
    return _relay.dialog if _relay else None


def install_crash_dialog() -> None:
    """Route unhandled exceptions to the dialog (the log file gets them first, in ``crash.report``)."""
    global _relay
    if _relay is None:
        _relay = _Relay()

    def notify(summary: str, log_file: Path, exc: BaseException) -> None:
        # Only a GUI application shows dialogs; a headless command has only its log and stderr.
        app = QCoreApplication.instance()
        if _relay is None or app is None or not app.inherits("QApplication"):
            return
        from ..services.ledger import ServerError  # only once something has gone wrong: not on the start path

        if isinstance(exc, ServerError):
            _relay.server_trouble.emit(str(exc))
        else:
            _relay.report.emit(summary, str(log_file))

    crash.set_notifier(notify)
