"""数据 → 备份 / 恢复, used while the main window holds the ledger; and the start with a damaged file."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services import safety
from liubao_desktop.services.audit import cell_history
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.storage.database import check_file
from liubao_desktop.storage.schema import SCHEMA_VERSION
from liubao_desktop.ui import backup_dialog, file_dialogs
from liubao_desktop.ui.backup_dialog import BackupDialog, open_ledger_or_recover
from liubao_desktop.ui.targets_model import COL_PERIOD
from tests.conftest import close_and_delete

from .test_main_window import cell, type_into_cell

SEP = Period(2020, 9)
FRQ = "430102"  # 芙蓉区


class Answers:
    """Stands in for the message boxes: records what was asked and told, answers as told to."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, yes: bool = True) -> None:
        self.yes = yes
        self.asked: list[str] = []
        self.told: list[tuple[str, bool]] = []
        monkeypatch.setattr(backup_dialog, "ask", self.ask)
        monkeypatch.setattr(backup_dialog, "tell", self.tell)

    def ask(self, parent, title: str, text: str, yes_text: str) -> bool:  # noqa: ANN001
        self.asked.append(text)
        return self.yes

    def tell(self, parent, title: str, text: str, *, problem: bool = False) -> None:  # noqa: ANN001
        self.told.append((text, problem))


@pytest.fixture
def dialog(qtbot, window):  # noqa: ANN001, ANN201
    d = BackupDialog(window)
    qtbot.addWidget(d)
    yield d
    close_and_delete(d)


def test_the_list_shows_when_what_size_offices_and_month_of_each_backup(qtbot, qtmodeltester, window) -> None:  # noqa: ANN001
    window.ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1523))
    safety.backup_now(window.ledger)
    d = BackupDialog(window)
    qtbot.addWidget(d)
    qtmodeltester.check(d.model)
    row = [d.model.index(0, c).data() for c in range(d.model.columnCount())]
    assert row[1:] == ["手动备份", row[2], "芙蓉区", "2020年9月", "可恢复"] and row[2].endswith("KB")
    assert datetime.strptime(row[0], "%Y-%m-%d %H:%M:%S")
    assert d.restore_button.isEnabled()


def test_backup_now_adds_a_line_and_says_so(qtbot, dialog) -> None:  # noqa: ANN001
    assert dialog.model.rowCount() == 0 and not dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.backup_button, backup_dialog.Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 1
    assert "已备份" in dialog.status.text()


def test_restore_from_the_dialog_brings_the_window_back_to_the_backup(
    qtbot, window, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    answers = Answers(monkeypatch)
    window.select_measure("1.3")
    window.set_period(SEP)
    row = window.targets_model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_PERIOD, "1523")
    safety.backup_now(window.ledger)
    type_into_cell(qtbot, window, row, COL_PERIOD, "1600")
    assert cell(window, row, COL_PERIOD) == "1,600"
    d = BackupDialog(window)
    qtbot.addWidget(d)
    d.table.selectRow(0)
    qtbot.mouseClick(d.restore_button, backup_dialog.Qt.MouseButton.LeftButton)

    assert answers.asked and "恢复前会先自动备份当前数据" in answers.asked[0]
    assert answers.told and "已从备份" in answers.told[-1][0] and not answers.told[-1][1]
    assert window.ledger.figure(FRQ, "1.3.1", SEP) == FigureValue.of(1523)
    window.select_measure("1.3")
    assert cell(window, window.targets_model.row_of("1.3.1"), COL_PERIOD) == "1,523"
    history = cell_history(window.ledger, FRQ, "1.3.1", SEP)
    assert [e.source for e in history] == ["typed", "typed", "restore"]
    assert [b.reason for b in d.model.rows] == ["before_restore", "manual"]  # the list was refreshed


def test_a_cancelled_restore_changes_nothing(qtbot, window, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    Answers(monkeypatch, yes=False)
    window.ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1523))
    safety.backup_now(window.ledger)
    window.ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1600))
    d = BackupDialog(window)
    qtbot.addWidget(d)
    d.restore_selected()
    assert window.ledger.figure(FRQ, "1.3.1", SEP) == FigureValue.of(1600)
    assert "已取消" in d.status.text()
    assert [b.reason for b in d.model.rows] == ["manual"]


def test_a_broken_backup_is_listed_but_cannot_be_restored(qtbot, window) -> None:  # noqa: ANN001
    safety.backup_now(window.ledger).write_bytes(b"\0" * 4096)
    d = BackupDialog(window)
    qtbot.addWidget(d)
    assert d.model.index(0, 5).data().startswith("不可用")
    assert not d.restore_button.isEnabled()


def test_how_many_backups_to_keep_is_saved(qtbot, dialog) -> None:  # noqa: ANN001
    dialog.keep.setValue(10)
    dialog.keep.editingFinished.emit()
    assert safety.backup_keep(dialog.ledger) == 10
    assert "保留最近 10 份" in dialog.status.text()


# -- start-up with a damaged file ------------------------------------------------------------------------
def damage(data_dir: Path) -> bytes:
    path = data_dir / "liubao.sqlite3"
    with open(path, "r+b") as fh:
        fh.seek(path.stat().st_size // 2 // 4096 * 4096)
        fh.write(b"\xa5" * 4096)
    return path.read_bytes()


def test_a_damaged_file_at_start_offers_the_newest_good_backup(data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    answers = Answers(monkeypatch, yes=True)
    led = Ledger.open(data_dir)
    led.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1523))
    safety.backup_now(led)
    led.close()
    damaged = damage(data_dir)
    ledger = open_ledger_or_recover(data_dir)
    assert ledger is not None
    try:
        assert "已损坏" in answers.asked[0] and "不会删除" in answers.asked[0]
        assert ledger.figure(FRQ, "1.3.1", SEP) == FigureValue.of(1523)
    finally:
        ledger.close()
    kept = list(data_dir.glob("liubao.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged


def test_declining_the_backup_leaves_the_damaged_file_as_it_is(data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    Answers(monkeypatch, yes=False)
    led = Ledger.open(data_dir)
    safety.backup_now(led)
    led.close()
    damaged = damage(data_dir)
    assert open_ledger_or_recover(data_dir) is None
    assert (data_dir / "liubao.sqlite3").read_bytes() == damaged
    assert not list(data_dir.glob("*.damaged-*"))


def test_without_any_backup_the_clerk_is_told_and_nothing_is_created(data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    answers = Answers(monkeypatch)
    (data_dir / "liubao.sqlite3").write_text("garbage")
    assert open_ledger_or_recover(data_dir) is None
    assert answers.told and answers.told[0][1] and "没有可用的备份" in answers.told[0][0]
    assert (data_dir / "liubao.sqlite3").read_text() == "garbage"


# -- a restore that fails half way ---------------------------------------------------------------------------
def typed_backup_typed(qtbot, window) -> int:  # noqa: ANN001
    """1523 typed and backed up, then 1600 typed over it; returns the row of 1.3.1."""
    window.select_measure("1.3")
    window.set_period(SEP)
    row = window.targets_model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_PERIOD, "1523")
    safety.backup_now(window.ledger)
    type_into_cell(qtbot, window, row, COL_PERIOD, "1600")
    return row


def test_a_restore_failing_half_way_reloads_the_window_restores_the_cursor_and_says_why(
    qtbot, window, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    answers = Answers(monkeypatch)
    row = typed_backup_typed(qtbot, window)

    def disk_gives_up(*_args: object, **_kwargs: object) -> int:
        raise sqlite3.OperationalError("disk I/O error")  # untranslated, straight from sqlite3

    monkeypatch.setattr(safety, "_record_restore", disk_gives_up)
    reloads: list[int] = []
    real_reopen = window.reopen_ledger
    monkeypatch.setattr(window, "reopen_ledger", lambda: (reloads.append(1), real_reopen())[1])
    d = BackupDialog(window)
    qtbot.addWidget(d)
    d.table.selectRow(0)
    qtbot.mouseClick(d.restore_button, backup_dialog.Qt.MouseButton.LeftButton)

    assert QApplication.overrideCursor() is None  # no wait cursor left spinning
    assert reloads == [1]  # the ledger was reopened under the window: the window reloaded
    text, problem = answers.told[-1]
    assert problem and "恢复没有完成，数据已还原为恢复前的样子" in text and "磁盘出错" in text
    window.select_measure("1.3")
    assert cell(window, row, COL_PERIOD) == "1,600"
    type_into_cell(qtbot, window, row, COL_PERIOD, "1700")  # the window still saves
    assert window.ledger.figure(FRQ, "1.3.1", SEP) == FigureValue.of(1700)


def test_an_unexpected_error_in_a_restore_leaves_no_wait_cursor(qtbot, window, monkeypatch) -> None:  # noqa: ANN001
    Answers(monkeypatch)
    safety.backup_now(window.ledger)

    def bug(*_args: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(safety, "restore_backup", bug)
    d = BackupDialog(window)
    qtbot.addWidget(d)
    d.table.selectRow(0)
    with pytest.raises(ZeroDivisionError):  # a bug stays a bug (the crash dialog shows it) …
        d.restore_selected()
    assert QApplication.overrideCursor() is None  # … but the cursor is back


# -- 备份到… / 从文件恢复… (moving to a new PC) ------------------------------------------------------------------
class FilePicker:
    """Stands in for QFileDialog: records what the dialog proposed and answers with a chosen path."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: Path | None) -> None:
        self.answer = answer
        self.proposed: list[str] = []
        monkeypatch.setattr(file_dialogs, "run", self.pick)

    def pick(self, dialog: QFileDialog) -> Path | None:
        self.proposed.append(dialog.selectedFiles()[0] if dialog.selectedFiles() else dialog.directory().path())
        return self.answer


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    stick = tmp_path / "U盘 (E:)"
    stick.mkdir()
    return stick


def test_backing_up_to_a_usb_stick_proposes_a_dated_name_and_writes_a_checked_file(
    qtbot, dialog, usb: Path, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    answers = Answers(monkeypatch)
    dialog.ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1523))
    picker = FilePicker(monkeypatch, usb / "六保台账备份-给新电脑")  # typed without an extension
    qtbot.mouseClick(dialog.backup_to_button, backup_dialog.Qt.MouseButton.LeftButton)

    assert Path(picker.proposed[0]).name == f"六保台账备份-{date.today():%Y%m%d}.sqlite3"
    made = usb / "六保台账备份-给新电脑.sqlite3"
    assert sorted(p.name for p in usb.iterdir()) == [made.name]
    assert check_file(made) == SCHEMA_VERSION  # a current file, ready to open on the new PC
    assert answers.told and not answers.told[-1][1] and str(made) in answers.told[-1][0]
    assert "从文件恢复" in dialog.status.text()
    assert QApplication.overrideCursor() is None
    FilePicker(monkeypatch, None)  # cancelled: nothing written, nothing said
    qtbot.mouseClick(dialog.backup_to_button, backup_dialog.Qt.MouseButton.LeftButton)
    assert len(list(usb.iterdir())) == 1 and len(answers.told) == 1


def test_a_failed_backup_to_a_stick_says_why(qtbot, dialog, usb: Path, monkeypatch) -> None:  # noqa: ANN001
    answers = Answers(monkeypatch)
    FilePicker(monkeypatch, usb / "已拔出" / "备份.sqlite3")
    qtbot.mouseClick(dialog.backup_to_button, backup_dialog.Qt.MouseButton.LeftButton)
    assert answers.told and answers.told[-1][1] and "备份失败" in answers.told[-1][0]
    assert QApplication.overrideCursor() is None


def test_a_backup_on_a_stick_is_restored_through_the_window(
    qtbot, window, usb: Path, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    answers = Answers(monkeypatch)
    window.ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1523))
    on_stick = safety.backup_to_file(window.ledger, usb / "六保台账备份-20201015.sqlite3")
    window.ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1600))
    window.set_period(SEP)
    d = BackupDialog(window)
    qtbot.addWidget(d)
    FilePicker(monkeypatch, on_stick)
    qtbot.mouseClick(d.restore_file_button, backup_dialog.Qt.MouseButton.LeftButton)

    assert answers.asked and str(on_stick) in answers.asked[0] and "芙蓉区" in answers.asked[0]
    assert answers.told and "已从文件" in answers.told[-1][0] and not answers.told[-1][1]
    window.select_measure("1.3")
    assert cell(window, window.targets_model.row_of("1.3.1"), COL_PERIOD) == "1,523"
    assert [b.reason for b in d.model.rows] == ["before_restore"]  # the data before, kept
    assert QApplication.overrideCursor() is None


def test_a_file_that_is_not_our_data_is_refused_before_anything_is_asked(
    qtbot, window, usb: Path, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    answers = Answers(monkeypatch)
    window.ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1600))
    other = usb / "通讯录.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE contact (name TEXT)")
    conn.close()
    d = BackupDialog(window)
    qtbot.addWidget(d)
    FilePicker(monkeypatch, other)
    qtbot.mouseClick(d.restore_file_button, backup_dialog.Qt.MouseButton.LeftButton)
    assert answers.asked == []
    assert answers.told[-1][1] and "不是本软件的数据文件" in answers.told[-1][0]
    assert window.ledger.figure(FRQ, "1.3.1", SEP) == FigureValue.of(1600)
    assert not (window.ledger.path.parent / "backups").exists()


def test_an_unexpected_error_while_opening_is_explained_and_the_newest_backup_offered(
        data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    answers = Answers(monkeypatch, yes=True)
    led = Ledger.open(data_dir)
    led.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1523))
    safety.backup_now(led)
    led.close()
    real_open, calls = safety.open_ledger, []

    def fails_once(folder: Path) -> Ledger:
        calls.append(folder)
        if len(calls) == 1:
            raise RuntimeError("没有人想到的情况")
        return real_open(folder)

    monkeypatch.setattr(safety, "open_ledger", fails_once)
    ledger = open_ledger_or_recover(data_dir)
    assert ledger is not None
    try:
        assert "意外错误" in answers.asked[0] and "RuntimeError" in answers.asked[0] and "liubao.log" in answers.asked[0]
        assert ledger.figure(FRQ, "1.3.1", SEP) == FigureValue.of(1523)
    finally:
        ledger.close()


def test_a_log_moved_aside_at_start_is_told_once_the_window_shows(qtbot, window, monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QMessageBox

    from liubao_desktop.ui import launch

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    window.ledger.db.notices.append("数据库的日志文件 liubao.sqlite3-wal 与数据库不符")
    launch.show_start_notices(window, window.ledger)
    assert told == ["数据库的日志文件 liubao.sqlite3-wal 与数据库不符"]
