"""The server goes away while a clerk works: whatever the window was reading when it found out, the clerk is told
plainly that the connection to the server failed — never "the program met an unexpected error" — nothing is
changed, and once the server is back the window goes on."""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid

from liubao_desktop import crash
from liubao_desktop.ui import crash_relay
from liubao_desktop.ui.crash_dialog import current_dialog, install_crash_dialog

from .test_window_on_server import no_password_file, open_on_server, server_url, server_window  # noqa: F401


@pytest.fixture
def reporting(qapp, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:  # noqa: ANN001
    """The app's own reporting of an error no code caught, as app.main installs it."""
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    root = logging.getLogger()
    before = list(root.handlers)
    crash.setup_file_logging(data_dir)
    crash.install_excepthook(data_dir)
    install_crash_dialog()
    relay = crash_relay._relay
    assert relay is not None
    relay.dialog = relay.notice = None
    yield
    crash.set_notifier(None)
    for box in (relay.dialog, relay.notice):
        if box is not None and isValid(box):
            box.close()
            box.deleteLater()
    for handler in root.handlers[len(before):]:
        root.removeHandler(handler)
        handler.close()


def trouble_box() -> QMessageBox | None:
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.objectName() == "serverTrouble" and w.isVisible()]
    return boxes[0] if boxes else None


def test_a_server_gone_under_a_click_is_said_plainly_not_as_a_crash(
        qtbot, reporting, server_window, server_url: str, pg_server) -> None:  # noqa: ANN001, F811
    window = server_window
    name = server_url.rsplit("/", 1)[1]
    pg_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')  # the server stops taking the PC back
    try:
        pg_server.terminate(window.ledger.db.connection().info.backend_pid)
        # Month → the next one: the window reads the ledger again (not a write: no guard of its own).
        shown = (window.period, window.period_combo.currentData(), window.narrative_box.title())
        window.step_period(1)
        qtbot.waitUntil(lambda: trouble_box() is not None)
        # the month box goes back: it never says one month while the picture shows another
        assert (window.period, window.period_combo.currentData(), window.narrative_box.title()) == shown
        box = trouble_box()
        assert "连接" in box.text() and "已经保存的数据不受影响" in box.text()
        assert current_dialog() is None or not current_dialog().isVisible()  # not "an unexpected error"
        window.step_period(1)  # failing again while the box is open: the same box, not a second one
        qtbot.wait(50)
        assert [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()] == [box]
        box.close()
    finally:
        pg_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    window.step_period(1)  # the server is back: so is the window
    assert window.report is not None and trouble_box() is None


def test_any_other_unexpected_error_still_reaches_the_crash_dialog(qtbot, reporting) -> None:  # noqa: ANN001
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, lambda: (_ for _ in ()).throw(ValueError("别的错误")))
    qtbot.waitUntil(lambda: current_dialog() is not None and current_dialog().isVisible())
    assert trouble_box() is None


def test_looking_for_others_edits_while_the_server_is_away_says_one_short_line(
        server_window, server_url: str, pg_server) -> None:  # noqa: ANN001, F811
    window = server_window
    name = server_url.rsplit("/", 1)[1]
    pg_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        pg_server.terminate(window.ledger.db.connection().info.backend_pid)
        window.outside.poll()
        said = window.statusBar().currentMessage()
        assert said.startswith("未能读取他人的修改") and "稍后自动再试" in said
        assert len(said) <= 40 and "postgresql://" not in said  # fits beside the data's place
    finally:
        pg_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
