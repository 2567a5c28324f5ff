"""An unexpected error: logged with its traceback, a dialog says what an integrity check just found and where
the log is, and the app carries on."""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from shiboken6 import isValid

from liubao_desktop import crash
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.ui import crash_dialog, crash_relay
from liubao_desktop.ui.crash_dialog import current_dialog, install_crash_dialog


@pytest.fixture
def reporting(qapp, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:  # noqa: ANN001
    """The app's own reporting, as app.main installs it (conftest's recording hook is replaced for the test),
    beside a sound ledger."""
    Ledger.open(data_dir).close()
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    root = logging.getLogger()
    before = list(root.handlers)
    crash.setup_file_logging(data_dir)
    crash.install_excepthook(data_dir)
    install_crash_dialog()
    relay = crash_relay._relay
    assert relay is not None
    relay.dialog = relay.notice = None
    yield crash.log_path(data_dir)
    crash.set_notifier(None)
    for box in (relay.dialog, relay.notice):  # the crash dialog, or the plain word on a server gone
        if box is not None and isValid(box):
            box.close()
            box.deleteLater()
    for handler in root.handlers[len(before):]:
        root.removeHandler(handler)
        handler.close()


def log_text(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_an_error_in_a_slot_is_logged_and_explained_and_the_app_keeps_running(qtbot, reporting: Path) -> None:  # noqa: ANN001
    def broken_slot() -> None:
        raise ZeroDivisionError("本期完成除以零")

    later: list[str] = []
    QTimer.singleShot(0, broken_slot)
    QTimer.singleShot(0, lambda: later.append("still running"))
    qtbot.waitUntil(lambda: current_dialog() is not None and current_dialog().isVisible())
    dialog = current_dialog()
    assert dialog is not None
    assert "您的数据是安全的" in dialog.headline.text()
    assert str(reporting) in dialog.body.text() and "已保存" in dialog.body.text()
    assert "ZeroDivisionError: 本期完成除以零" in dialog.details.toPlainText()
    text = log_text(reporting)
    assert "Traceback" in text and "broken_slot" in text and "ZeroDivisionError" in text
    qtbot.waitUntil(lambda: later == ["still running"])
    qtbot.mouseClick(dialog.copy_button, crash_dialog.Qt.MouseButton.LeftButton)
    assert crash_dialog.QGuiApplication.clipboard().text() == str(reporting)
    assert dialog.isVisible()  # copying the location does not close the dialog


def test_an_error_in_a_worker_thread_reaches_the_dialog_and_a_second_error_does_not_stack_another(
    qtbot, reporting: Path  # noqa: ANN001
) -> None:
    def worker() -> None:
        raise RuntimeError("导出线程出错")

    t = threading.Thread(target=worker, name="export")
    t.start()
    t.join()
    qtbot.waitUntil(lambda: current_dialog() is not None and current_dialog().isVisible())
    first = current_dialog()
    t = threading.Thread(target=worker, name="export")
    t.start()
    t.join()
    qtbot.waitUntil(lambda: first is not None and first.count == 2)
    assert current_dialog() is first and "又出现了 1 次" in first.body.text()
    assert "线程 export" in log_text(reporting)


def test_the_dialog_never_calls_the_data_safe_when_its_check_finds_the_file_damaged(
        qtbot, reporting: Path, data_dir: Path) -> None:  # noqa: ANN001
    db = data_dir / "liubao.sqlite3"
    with open(db, "r+b") as fh:  # a page in the middle overwritten, as a PDF written over it would
        fh.seek(40 * 1024)
        fh.write(b"%PDF-1.4" * 512)
    QTimer.singleShot(0, lambda: (_ for _ in ()).throw(ValueError("随后出错")))
    qtbot.waitUntil(lambda: current_dialog() is not None and current_dialog().isVisible())
    dialog = current_dialog()
    assert "安全" not in dialog.headline.text() and "发现了问题" in dialog.headline.text()
    assert "已损坏" in dialog.body.text() and "请不要继续填报" in dialog.body.text()


def test_the_dialog_says_so_when_the_data_file_is_gone(qtbot, reporting: Path, data_dir: Path) -> None:  # noqa: ANN001
    (data_dir / "liubao.sqlite3").unlink()
    QTimer.singleShot(0, lambda: (_ for _ in ()).throw(ValueError("随后出错")))
    qtbot.waitUntil(lambda: current_dialog() is not None and current_dialog().isVisible())
    assert "找不到数据文件" in current_dialog().body.text()
    assert "安全" not in current_dialog().headline.text()
