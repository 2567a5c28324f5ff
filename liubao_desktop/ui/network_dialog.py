"""A ledger found on a network share at start: said so plainly, with 复制到本机… to go on with a copy on this PC.

Shown before any window or database exists (``app.main``); the copy itself is ``services.data_location``'s.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from ..services.data_location import copy_ledger_locally, network_refusal
from ..services.safety import StorageError
from . import file_dialogs

TITLE = "六保任务台账"
COPY = "复制到本机…"


def network_box(message: str) -> tuple[QMessageBox, object]:
    """The refusal with two buttons: 复制到本机… and 退出. Returns the box and its copy button."""
    box = QMessageBox(QMessageBox.Icon.Warning, TITLE, message)
    copy = box.addButton(COPY, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(copy)
    return box, copy


def ask(box: QMessageBox, copy: object) -> bool:
    """The box shown modally: True when the clerk chose 复制到本机…. (Tests replace this.)"""
    box.exec()
    return box.clickedButton() is copy


def folder_dialog(parent: QWidget | None, start: Path) -> QFileDialog:
    dialog = file_dialogs.chinese_file_dialog(parent, "选择本机上的空文件夹（台账复制到这里）", start, "", save=False)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "复制到这里(&S)")
    return dialog


def suggested_folder(suggested: Path | None) -> Path:
    """Where the folder dialog starts: the system's data folder when it is local and holds no ledger yet, else a
    new folder under 文档."""
    if suggested is not None and network_refusal(suggested) is None and not (suggested / "liubao.sqlite3").exists():
        return suggested
    return file_dialogs.documents_folder() / "六保任务台账"


def offer_local_copy(data_dir: Path, message: str, *, suggested: Path | None = None) -> Path | None:
    """The refusal; on 复制到本机… a folder on this PC is asked and the ledger copied there. Returns that folder
    (the app goes on with it) or None (退出). A copy refused (the folder is not empty, is a share too…) is said
    and the clerk asked again."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0]])
    text = message
    while True:
        box, copy = network_box(text)
        if not ask(box, copy):
            return None
        dest = file_dialogs.run(folder_dialog(None, suggested_folder(suggested)))
        if dest is None:
            continue
        try:
            copy_ledger_locally(data_dir, dest)
        except StorageError as exc:
            text = f"{exc}\n\n{message}"
            continue
        return dest
