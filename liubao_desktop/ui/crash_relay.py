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
    from .crash_dialog import CrashDialog


class _Relay(QObject):
    """Lives in the GUI thread; ``report`` may be emitted from any thread."""

    report = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.dialog: CrashDialog | None = None
        self.report.connect(self.show_dialog)

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

    def notify(summary: str, log_file: Path) -> None:
        # Only a GUI application shows dialogs; a headless command has only its log and stderr.
        app = QCoreApplication.instance()
        if _relay is not None and app is not None and app.inherits("QApplication"):
            _relay.report.emit(summary, str(log_file))

    crash.set_notifier(notify)
