"""The window's start on a ledger on a database server (``main.py --database URL``, or the server chosen in 数据 →
数据库连接…): no instance lock and no file in the data folder (it keeps settings.ini and the log); the password
asked when libpq found none. A server that cannot be reached, or a ledger there that this version must not use
(older: to be migrated by the administrator; newer; not a ledger), is said in a dialog offering 重试 / 改用本机数据
/ 退出 — never a crash, never a silent switch. Loaded only on that start."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from ..services.data_location import place_text
from ..services.ledger import Ledger
from ..services.server_connection import ServerConnectError, StorageError, open_server_ledger
from .crash_relay import SERVER_PROPERTY
from .server_password import with_password

log = logging.getLogger(__name__)

USE_LOCAL: Final = "local"  # run_gui_on_server's answer when the clerk chose this PC's file for this session
RETRY, LOCAL, QUIT = "重试", "改用本机数据", "退出"


def problem_box(url: str, problem: str, *, unreachable: bool, parent: QWidget | None = None) -> QMessageBox:
    """What went wrong, and the three ways on: 重试, 改用本机数据 (this session; the server stays chosen), 退出."""
    title = "无法连接数据库服务器" if unreachable else "不能使用服务器上的台账"
    box = QMessageBox(QMessageBox.Icon.Warning, title, problem, parent=parent)
    box.setObjectName("serverProblem")
    box.setInformativeText(
        f"重试：再连接一次{place_text(url)}。\n"
        "改用本机数据：这次打开本机的数据文件（与服务器上的数据是分开的两份），下次启动仍连接服务器；"
        "可以在 数据 → 数据库连接… 中更改。\n"
        "退出：什么也不打开。")
    retry = box.addButton(RETRY, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(LOCAL, QMessageBox.ButtonRole.ActionRole)
    box.addButton(QUIT, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry)
    return box


def ask(box: QMessageBox) -> str:
    """The box shown modally; the text of the button chosen (退出 when it was closed). Tests replace this."""
    box.exec()
    clicked: QAbstractButton | None = box.clickedButton()
    return clicked.text() if clicked is not None else QUIT


def connect_at_start(url: str) -> Ledger | str | None:
    """The server's ledger, opened; USE_LOCAL when the clerk chose this PC's file instead; None for 退出."""
    while True:
        try:
            ledger = with_password(None, url, lambda password: open_server_ledger(url, password))
            if ledger is not None:
                return ledger
            problem, unreachable = f"没有输入密码，没有连接{place_text(url)}。", True
        except ServerConnectError as exc:
            problem, unreachable = str(exc), True
        except StorageError as exc:  # older, newer, not a ledger: refused, nothing written
            problem, unreachable = str(exc), False
        log.warning("the server's ledger was not opened: %s", problem)
        box = problem_box(url, problem, unreachable=unreachable)
        try:
            answer = ask(box)
        finally:
            box.deleteLater()
        if answer == LOCAL:
            return USE_LOCAL
        if answer != RETRY:
            return None


def run_gui_on_server(data_dir: Path, url: str) -> int | str:
    """The window on the server's ledger until the clerk closes it (its exit code), 1 when they chose 退出 at a
    problem, or USE_LOCAL: ``app.main`` then starts on this PC's file as every start on it does (lock, backup)."""
    from .launch import make_app, run_window

    app = make_app()
    ledger = connect_at_start(url)
    if not isinstance(ledger, Ledger):
        return USE_LOCAL if ledger == USE_LOCAL else 1
    ledger.local_folder = data_dir  # where an import first copies the server's ledger (Ledger.bulk_operation)
    app.setProperty(SERVER_PROPERTY, place_text(ledger.location))  # the crash dialog checks no local file then
    try:
        return run_window(data_dir, ledger)
    finally:
        app.setProperty(SERVER_PROPERTY, None)
