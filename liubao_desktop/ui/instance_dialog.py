"""Why the app did not start (another copy holds the data folder, or the folder cannot be written)."""
from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox


def show_start_refused(message: str) -> None:
    """A plain message box, shown before any window or database exists."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0]])
    box = QMessageBox(QMessageBox.Icon.Information, QCoreApplication.translate("instance", "六保任务台账"), message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()
