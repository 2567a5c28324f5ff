"""The password of a database server, asked once per session: only when libpq found none (~/.pgpass, PGPASSWORD),
kept in this process's memory for the rest of the session, never written to a file or a log."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from ..services.data_location import place_text
from ..services.server_connection import PasswordRequiredError, ServerAddress
from . import look

_T = TypeVar("_T")

# URL (without a password) → the password typed for it in this session. Nothing else holds it.
_session: dict[str, str] = {}


def forget_passwords() -> None:
    """The session's passwords dropped (a test's new session)."""
    _session.clear()


class PasswordDialog(QDialog):
    """数据库服务器的密码: the server and user named, the password typed (shown as dots)."""

    def __init__(self, url: str, problem: PasswordRequiredError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle(self.tr("数据库服务器的密码"))
        layout = QVBoxLayout(self)
        user = ServerAddress.from_url(url).user
        self.intro = intro = QLabel(self.tr("请输入用户“{user}”在{where}上的密码。\n密码只在这次打开软件期间保存在内存里，"
                               "不写入任何文件；关闭软件后需要重新输入（由管理员在本机设置密码文件后，就不再询问）。")
                       .format(user=user, where=place_text(url)))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problem = QLabel(str(problem) if problem.refused else "")
        self.problem.setObjectName("passwordProblem")
        self.problem.setWordWrap(True)
        look.text_colour(self.problem, "#c9302c")
        self.problem.setVisible(problem.refused)
        layout.addWidget(self.problem)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("密码"))
        layout.addWidget(self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("连接"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.password.setFocus()


def ask_password(parent: QWidget | None, url: str, problem: PasswordRequiredError) -> str | None:
    """The password the clerk typed, or None when they cancelled."""
    dialog = PasswordDialog(url, problem, parent)
    try:
        return dialog.password.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def with_password(parent: QWidget | None, url: str, attempt: Callable[[str | None], _T]) -> _T | None:
    """``attempt(password)`` with the session's password for ``url`` (None at first: libpq tries ~/.pgpass and
    PGPASSWORD), asking the clerk whenever the server wants one it has not got or refused the one given. The
    password that worked is kept for the session. None when the clerk cancelled the question; any other
    error of ``attempt`` goes to the caller."""
    password = _session.get(url)
    while True:
        try:
            result = attempt(password)
        except PasswordRequiredError as problem:
            _session.pop(url, None)
            password = ask_password(parent, url, problem)
            if password is None:
                return None
            continue
        if password is not None:
            _session[url] = password
        return result
