"""数据 → 数据库连接…: where this PC's window finds its ledger — 本机数据文件 (the default) or a database server (host,
port, database, user) — with 测试连接 saying in Chinese what happened. The choice is kept in this PC's settings.ini,
without a password, and applies at the next start: the open window keeps its ledger (its undo history, the
dialogs open on it and the edit in progress all point into it)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..files.data_folder import DB_FILENAME
from ..services.data_location import is_database_url, place_text
from ..services.preferences import WindowPreferences
from ..services.server_connection import DEFAULT_PORT, ServerAddress, StorageError, check_connection
from . import look
from .server_password import with_password

if TYPE_CHECKING:
    from pathlib import Path

    from .main_window import MainWindow

TEST = "测试连接"


class DatabaseDialog(QDialog):
    def __init__(self, prefs: WindowPreferences, data_dir: Path, current: str, parent: QWidget | None = None) -> None:
        """``current``: where the open window's ledger is (``Ledger.location``)."""
        super().__init__(parent)
        self.setObjectName("databaseDialog")
        self.setWindowTitle(self.tr("数据库连接"))
        self.prefs, self.current = prefs, current
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "台账可以放在这台电脑上，也可以放在单位的数据库服务器上，由几台电脑同时填报同一本台账。"
            "这里的选择只保存在这台电脑上，下次启动软件时生效。\n现在使用：{}").format(place_text(current)))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.local = QRadioButton(self.tr("本机数据文件（默认）"))
        self.server = QRadioButton(self.tr("数据库服务器"))
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.server)
        layout.addWidget(self.local)
        local_path = QLabel(str(data_dir / DB_FILENAME))
        local_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        local_path.setContentsMargins(24, 0, 0, 0)
        look.text_colour(local_path, "#555")
        layout.addWidget(local_path)
        layout.addWidget(self.server)

        self.fields = QWidget()
        form = QFormLayout(self.fields)
        form.setContentsMargins(24, 0, 0, 0)
        self.host = QLineEdit()
        self.host.setObjectName("host")
        self.host.setPlaceholderText(self.tr("计算机名或地址，如 192.168.1.10"))
        self.port = QSpinBox()
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setGroupSeparatorShown(False)
        self.database = QLineEdit()
        self.database.setObjectName("database")
        self.database.setPlaceholderText(self.tr("由管理员告知，如 liubao"))
        self.user = QLineEdit()
        self.user.setObjectName("user")
        form.addRow(self.tr("服务器地址(&H)"), self.host)
        form.addRow(self.tr("端口(&P)"), self.port)
        form.addRow(self.tr("数据库(&D)"), self.database)
        form.addRow(self.tr("用户名(&U)"), self.user)
        note = QLabel(self.tr("密码不保存在设置中：软件先读取管理员在这台电脑上设置的密码文件，"
                              "没有时每次启动软件后询问一次。"))
        note.setWordWrap(True)
        look.text_colour(note, "#555")
        form.addRow(note)
        self.test_button = QPushButton(self.tr(TEST))
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(self.test)
        form.addRow(self.test_button)
        layout.addWidget(self.fields)

        self.result = QLabel()
        self.result.setObjectName("testResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()
        layout.addWidget(self.result)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self._fill()
        self.server.toggled.connect(self._enable)
        self._enable()
        self.setMinimumWidth(520)

    def _fill(self) -> None:
        """The address saved on this PC (also while the file is chosen), else the server the window is on."""
        saved = self.prefs.saved_server_url() or (self.current if is_database_url(self.current) else None)
        if saved:
            try:
                address = ServerAddress.from_url(saved)
            except ValueError:
                address = None
            if address is not None:
                self.host.setText(address.host)
                self.port.setValue(address.port)
                self.database.setText(address.database)
                self.user.setText(address.user)
        (self.server if self.prefs.server_url() else self.local).setChecked(True)

    def _enable(self) -> None:
        self.fields.setEnabled(self.server.isChecked())

    def address(self) -> ServerAddress:
        """The server as typed; ValueError in Chinese."""
        return ServerAddress.of(self.host.text(), self.port.value(), self.database.text(), self.user.text())

    def _say(self, text: str, *, ok: bool) -> None:
        self.result.setText(text)
        look.text_colour(self.result, "#2e7d32" if ok else "#c9302c")
        self.result.show()

    def test(self) -> bool:
        """测试连接: connect, check the ledger there, say what happened (the password asked if none is known)."""
        try:
            url = self.address().url()
        except ValueError as exc:
            self._say(str(exc), ok=False)
            return False
        self._say(self.tr("正在连接 {}…").format(place_text(url)), ok=True)
        self.result.repaint()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            said = with_password(self, url, lambda password: check_connection(url, password))
        except StorageError as exc:
            self._say(str(exc), ok=False)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        if said is None:
            self._say(self.tr("没有输入密码，没有连接。"), ok=False)
            return False
        self._say(said, ok=True)
        return True

    def chosen_url(self) -> str | None:
        """The server's URL when the server is chosen (ValueError in Chinese when it is not filled in right), None
        for this PC's file."""
        return self.address().url() if self.server.isChecked() else None

    def save(self) -> None:
        try:
            url = self.chosen_url()
        except ValueError as exc:
            self._say(str(exc), ok=False)
            return
        self.prefs.set_database(url)
        self.prefs.sync()
        where = place_text(url) if url else self.tr("本机数据文件")
        on_server = is_database_url(self.current)
        same = place_text(url) == place_text(self.current) if url else not on_server
        later = "" if same else self.tr("\n现在的窗口仍在使用{}；关闭软件后重新打开，就会使用新的设置。").format(
            place_text(self.current))
        QMessageBox.information(self, self.tr("已保存"), self.tr("已保存：以后启动软件时打开{}。").format(where) + later)
        self.accept()


def run_database_dialog(window: MainWindow) -> DatabaseDialog:
    dialog = DatabaseDialog(window.prefs, window.data_dir, window.ledger.location, window)
    dialog.exec()
    return dialog
