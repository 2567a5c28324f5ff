"""The dialog after an unexpected error: what an integrity check just said of the data, the log, carry on.

It says "您的数据是安全的" only when the read-only integrity check it runs on opening (a few ms) passed; otherwise
it says what is wrong and asks the clerk to stop typing and reopen the app, whose start explains the file and
offers the newest good backup.

``install_crash_dialog()`` (ui/crash_relay.py, which start-up imports without this module's widgets) relays
errors from any thread to the GUI thread. The dialog is not modal — the window behind it keeps working — and a
burst of errors updates one dialog instead of stacking a pile of them.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from .crash_relay import SERVER_PROPERTY, current, install_crash_dialog


class CrashDialog(QDialog):
    def __init__(self, summary: str, log_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.count = 1
        self.setWindowTitle(self.tr("程序出错了"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.data_problem: str | None = None
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        layout.addWidget(self.headline)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.body)
        self.details = QPlainTextEdit(summary)
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(90)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton(self.tr("复制日志位置"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button = buttons.addButton(self.tr("打开日志文件夹"), QDialogButtonBox.ButtonRole.ActionRole)
        self.continue_button = buttons.addButton(self.tr("继续使用"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.continue_button.setDefault(True)
        self.copy_button.clicked.connect(self.copy_log_location)
        self.open_button.clicked.connect(self.open_log_folder)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self._update_text()

    def _update_text(self) -> None:
        from ..services.safety import check_ledger_file

        # A ledger on a server (ui/server_start.py) has no file here to check: the server keeps what was committed.
        app = QGuiApplication.instance()
        server = app.property(SERVER_PROPERTY) if app is not None else None
        # the log lives in <data folder>/logs/: check the database beside it, read-only, afresh each time
        self.data_problem = None if server else check_ledger_file(self.log_file.parent.parent)
        again = self.tr("同类错误又出现了 {n} 次。\n\n").format(n=self.count - 1) if self.count > 1 else ""
        tail = self.tr("错误经过已记录在日志文件中，请把它发给技术支持人员：\n{log}").format(log=self.log_file)
        if server:
            self.headline.setText(self.tr("程序遇到了一个意外错误。台账在{server}上。").format(server=server))
            body = self.tr("每一项修改在状态栏显示“已保存”时就已写入服务器，出错不会丢失已保存的数据。"
                           "如果刚才的操作没有显示“已保存”，请检查后重新填写。\n\n")
        elif self.data_problem is None:
            self.headline.setText(self.tr("程序遇到了一个意外错误。刚才的完整性检查通过，您的数据是安全的。"))
            body = self.tr("每一项修改在状态栏显示“已保存”时就已写入数据库，出错不会丢失已保存的数据。"
                           "如果刚才的操作没有显示“已保存”，请检查后重新填写。\n\n")
        else:
            self.headline.setText(self.tr("程序遇到了一个意外错误，检查数据文件时发现了问题。"))
            body = self.tr("{problem}\n\n请不要继续填报。关闭软件后重新打开：软件会说明情况，并提供最近一份完好的备份。"
                           "\n\n").format(problem=self.data_problem)
        self.body.setText(again + body + tail)

    def add_occurrence(self, summary: str) -> None:
        self.count += 1
        self.details.appendPlainText(summary)
        self._update_text()

    def copy_log_location(self) -> None:
        QGuiApplication.clipboard().setText(str(self.log_file))

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_file.parent)))


def current_dialog() -> CrashDialog | None:
    return current()  # type: ignore[return-value]


__all__ = ["CrashDialog", "current_dialog", "install_crash_dialog"]
