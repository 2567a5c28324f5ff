"""Issue 16: the office the window opens on belongs to the PC, as the operator does. Two clerks of the city's
督查室 and of 芙蓉区 share one ledger on a PostgreSQL server (tests/pg_server.py, a real one): each PC's window opens on
its own office, whatever the other chose; the choice is kept in this PC's settings.ini, moved there once from a
ledger file that kept it, and never taken from a server's ledger, where it would be another PC's."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from liubao_desktop import app
from liubao_desktop.services.data_location import init_database
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.preferences import commands_office, saved_preferences
from liubao_desktop.storage.database import DB_FILENAME
from liubao_desktop.ui.launch import make_app, open_window
from liubao_desktop.ui.org_dialog import OrgDialog
from liubao_desktop.ui.window_preferences import window_preferences
from tests.conftest import close_and_delete

from ..storage.test_migrations import V4_FIXTURE

FRQ, TXQ = "430102", "430103"  # 芙蓉区, 天心区


class FirstStart:
    """The first start's question (OrgDialog) answered as the clerk at that PC answers it; each one asked kept."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[str] = []
        self.answer = ("", "")
        monkeypatch.setattr(OrgDialog, "exec", lambda dialog: self._exec(dialog))

    def _exec(self, dialog: OrgDialog) -> int:
        office, operator = self.answer
        self.asked.append(dialog.org.currentText())
        dialog.org.setCurrentText(office)
        dialog.operator.setText(operator)
        dialog.accept()
        return 1


@pytest.fixture
def first_start(monkeypatch: pytest.MonkeyPatch) -> FirstStart:
    return FirstStart(monkeypatch)


def window_office(qtbot, data_dir: Path, location: Path | str) -> str | None:  # noqa: ANN001
    """A start of the window on ``location`` (this PC's file or the server's ledger), closed again: the office it
    opened on."""
    make_app()
    ledger = Ledger.open(location)
    win = open_window(data_dir, ledger)
    try:
        if win is None:
            return None
        win.show()
        qtbot.waitExposed(win)
        qtbot.wait(20)  # what the window does right after its first paint, done before it is closed
        return win.org_code
    finally:
        if win is not None:
            close_and_delete(win)
        ledger.close()


def test_each_pc_on_a_server_ledger_opens_on_its_own_office(qtbot, pg_url: str, tmp_path: Path,  # noqa: ANN001
                                                             first_start: FirstStart) -> None:
    init_database(pg_url)
    pc_a, pc_b = tmp_path / "pc-a", tmp_path / "pc-b"
    first_start.answer = ("芙蓉区", "张三")
    assert window_office(qtbot, pc_a, pg_url) == FRQ  # clerk A, first start: 芙蓉区
    first_start.answer = ("天心区", "李四")
    assert window_office(qtbot, pc_b, pg_url) == TXQ  # clerk B, first start on another PC: 天心区
    assert len(first_start.asked) == 2

    assert window_office(qtbot, pc_a, pg_url) == FRQ  # A's window still opens on 芙蓉区, without asking
    assert window_office(qtbot, pc_b, pg_url) == TXQ
    assert len(first_start.asked) == 2
    assert saved_preferences(pc_a).office() == FRQ and saved_preferences(pc_b).office() == TXQ
    ledger = Ledger.open(pg_url)
    try:
        assert ledger.setting("current_org") is None  # nothing of either PC's choice in the shared ledger
    finally:
        ledger.close()


def test_a_server_ledgers_old_office_setting_is_nobodys(qtbot, pg_url: str, data_dir: Path,  # noqa: ANN001
                                                        first_start: FirstStart) -> None:
    """A ledger copied to the server from an older file still holds that PC's office: another PC is asked."""
    init_database(pg_url)
    ledger = Ledger.open(pg_url)
    try:
        ledger.set_setting("current_org", TXQ)
    finally:
        ledger.close()
    prefs = window_preferences(data_dir)
    prefs.set_operator("张三")
    prefs.sync()
    first_start.answer = ("芙蓉区", "张三")
    assert window_office(qtbot, data_dir, pg_url) == FRQ
    assert first_start.asked and first_start.asked[0] != "天心区"  # asked, and 天心区 not even offered
    ledger = Ledger.open(pg_url)
    try:
        assert ledger.setting("current_org") == TXQ  # left for the PC it belongs to
        assert commands_office(data_dir, ledger) == FRQ
    finally:
        ledger.close()


def test_the_office_a_ledger_file_kept_moves_to_settings_ini_once(qtbot, data_dir: Path,  # noqa: ANN001
                                                                  first_start: FirstStart) -> None:
    shutil.copyfile(V4_FIXTURE, data_dir / DB_FILENAME)  # v4 kept 芙蓉区 (and 李四) in the ledger
    assert window_office(qtbot, data_dir, data_dir) == FRQ and not first_start.asked  # the upgrade asks nothing
    assert saved_preferences(data_dir).office() == FRQ
    ledger = Ledger.open(data_dir)
    try:
        assert ledger.setting("current_org") is None  # moved, not copied
    finally:
        ledger.close()
    assert window_office(qtbot, data_dir, data_dir) == FRQ and not first_start.asked


def test_a_settings_ini_that_cannot_be_written_loses_no_office(qtbot, data_dir: Path,  # noqa: ANN001
                                                              first_start: FirstStart) -> None:
    shutil.copyfile(V4_FIXTURE, data_dir / DB_FILENAME)
    (data_dir / "settings.ini").mkdir()  # not a file: QSettings cannot write it
    assert window_office(qtbot, data_dir, data_dir) == FRQ and not first_start.asked
    ledger = Ledger.open(data_dir)
    try:
        assert ledger.setting("current_org") == FRQ  # kept in the ledger until settings.ini holds it
    finally:
        ledger.close()


def test_changing_the_office_in_the_window_is_this_pcs_alone(qtbot, window) -> None:  # noqa: ANN001
    """文件 → 切换填报单位 (and the 填报单位 box) changes where this PC's window opens, not the ledger."""
    window.org_combo.setCurrentIndex(window.org_combo.findData(TXQ))
    assert saved_preferences(window.data_dir).office() == TXQ
    assert window.ledger.setting("current_org") is None


def test_a_command_without_org_reads_the_office_of_this_pcs_window(
        qapp, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    """`main.py tasks` without --org prints the list of the office the window opens on at this PC — on the server
    too, where the ledger still holds another PC's old choice."""
    init_database(pg_url)
    ledger = Ledger.open(pg_url)
    try:
        ledger.set_setting("current_org", TXQ)
    finally:
        ledger.close()
    clerk = tmp_path / "clerk"
    clerk.mkdir()
    (clerk / "settings.ini").write_text(f"[General]\nlast_org={FRQ}\n", encoding="utf-8")
    out = tmp_path / "t.pdf"
    assert app.main(["tasks", "--out", str(out), "--period", "2020-09", "--database", pg_url,
                     "--data-dir", str(clerk)]) == 0
    assert "：芙蓉区 2020年9月" in capsys.readouterr().out
    assert app.main(["tasks", "--out", str(out), "--period", "2020-09", "--data-dir", str(clerk)]) == 0
    assert "：芙蓉区 2020年9月" in capsys.readouterr().out  # this PC's own file: the same office
