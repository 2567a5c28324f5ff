"""The server goes away while a clerk works: whatever the window was reading when it found out, the clerk is told
plainly that the connection to the server failed — never "the program met an unexpected error" — nothing is
changed, and once the server is back the window goes on."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from liubao_desktop import app
from liubao_desktop.ui.crash_dialog import current_dialog

from .test_crash_dialog import reporting  # noqa: F401
from .test_plan_switcher import ARTICLES
from .test_window_on_server import no_password_file, open_on_server, server_url, server_window  # noqa: F401


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


def test_any_other_unexpected_error_still_reaches_the_crash_dialog(qtbot, reporting) -> None:  # noqa: ANN001, F811
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


def test_a_plan_that_cannot_be_read_leaves_the_plan_box_on_the_plan_shown(
        qtbot, reporting, open_on_server, server_url: str, data_dir: Path, pg_server) -> None:  # noqa: ANN001, F811
    assert app.main(["plan", "import", str(ARTICLES), "--yes", "--database", server_url,
                     "--data-dir", str(data_dir)]) == 0  # a second plan in the server's ledger
    window = open_on_server(server_url)
    shown = window.ledger.plan.code
    other = next(window.plan_combo.itemData(i) for i in range(window.plan_combo.count())
                 if window.plan_combo.itemData(i) != shown)
    name = server_url.rsplit("/", 1)[1]
    pg_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        pg_server.terminate(window.ledger.db.connection().info.backend_pid)
        window.plan_combo.setCurrentIndex(window.plan_combo.findData(other))
        qtbot.waitUntil(lambda: trouble_box() is not None)
        assert window.plan_combo.currentData() == shown == window.ledger.plan.code  # box, ledger and tree agree
        trouble_box().close()
    finally:
        pg_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    window.plan_combo.setCurrentIndex(window.plan_combo.findData(other))  # the server is back: so is the switch
    assert window.ledger.plan.code == other
