"""Restores that go wrong half way, restores that must not forget who works at this PC, and moving the data to
a new PC through a file on a USB stick — every way back keeps the data whole and the trail complete."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import peewee
import pytest

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services import safety
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.preferences import commands_operator, saved_preferences
from liubao_desktop.storage.backup import make_backup
from liubao_desktop.storage.database import DB_FILENAME, check_file
from liubao_desktop.storage.models import AuditRow, BackupLogRow
from liubao_desktop.storage.schema import SCHEMA_VERSION

SEP, OCT = Period(2020, 9), Period(2020, 10)
FRQ, TXQ = "430102", "430103"  # 芙蓉区, 天心区


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def restore_rows() -> list[tuple]:
    return [(r.field, r.old_value, r.new_value) for r in AuditRow.select().where(AuditRow.source == "restore")]


@pytest.fixture
def typed_after_backup(ledger: Ledger) -> tuple[Ledger, Path]:
    """芙蓉区 typed 1523, backed up, then typed 1600."""
    ledger.sign_as("张三")
    ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1523))
    backup = safety.backup_now(ledger)
    ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1600))
    return ledger, backup


# -- a restore that fails after the swap -------------------------------------------------------------------
@pytest.mark.parametrize("failure", [
    sqlite3.OperationalError("disk I/O error"),  # raw sqlite3, as a failing disk raises it
    peewee.OperationalError("database or disk is full"),  # wrapped by peewee
    RuntimeError("a bug in the trail code"),  # not a disk problem: still no raw traceback for the clerk
])
def test_a_failure_while_writing_the_trail_puts_the_data_back_and_says_so_in_chinese(
    typed_after_backup: tuple[Ledger, Path], monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    ledger, backup = typed_after_backup
    real = safety._record_restore

    def fails_half_way(*args, **kwargs) -> int:  # noqa: ANN002, ANN003
        real(*args, **kwargs)  # the trail is written … and then the disk gives up before the commit
        raise failure

    monkeypatch.setattr(safety, "_record_restore", fails_half_way)
    with pytest.raises(safety.RestoreError) as err:
        safety.restore_backup(ledger, backup)
    assert isinstance(err.value, safety.StorageError) and err.value.reopened
    assert "恢复没有完成，数据已还原为恢复前的样子" in str(err.value)
    # all or nothing: the data as before, no half trail, and the ledger works on
    assert ledger.figure(FRQ, "1.3.1", SEP) == FigureValue.of(1600)
    assert restore_rows() == [] and not BackupLogRow.select().where(BackupLogRow.action == "restore").exists()
    ledger.record_figure(FRQ, "1.3.1", OCT, FigureValue.of(7))
    assert list(ledger.path.parent.glob("backups/*before_restore*"))  # the safety copy is kept


def test_the_disk_error_is_named_when_the_trail_cannot_be_written(typed_after_backup, monkeypatch) -> None:  # noqa: ANN001
    ledger, backup = typed_after_backup
    monkeypatch.setattr(safety, "_record_restore", lambda *a, **k: (_ for _ in ()).throw(
        sqlite3.OperationalError("disk I/O error")))
    with pytest.raises(safety.RestoreError, match="磁盘出错"):
        safety.restore_backup(ledger, backup)


def test_when_even_putting_the_data_back_fails_the_clerk_is_told_where_the_old_data_is(
    typed_after_backup: tuple[Ledger, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, backup = typed_after_backup
    monkeypatch.setattr(safety, "_record_restore", lambda *a, **k: (_ for _ in ()).throw(
        sqlite3.OperationalError("disk I/O error")))
    real_install = safety._backup.install_copy
    calls: list[Path] = []

    def install_once(src: Path, dest: Path) -> None:
        calls.append(src)
        if len(calls) > 1:
            raise safety.StorageError("磁盘出错")
        real_install(src, dest)

    monkeypatch.setattr(safety._backup, "install_copy", install_once)
    with pytest.raises(safety.RestoreError) as err:
        safety.restore_backup(ledger, backup)
    (safety_copy,) = ledger.path.parent.glob("backups/*before_restore*")
    assert err.value.reopened and safety_copy.name in str(err.value) and "可以在“备份 / 恢复”中恢复回去" in str(err.value)
    assert ledger.figure(FRQ, "1.3.1", SEP) == FigureValue.of(1523)  # the ledger is open on what is there


def test_a_swap_that_fails_leaves_the_data_and_reopens_the_ledger(typed_after_backup, monkeypatch) -> None:  # noqa: ANN001
    ledger, backup = typed_after_backup
    real_replace = safety._backup.os.replace

    def held_open_by_another_program(src: Path, dest: Path) -> None:  # as Windows refuses it
        if Path(dest) == ledger.path:
            raise PermissionError(13, "The process cannot access the file", str(dest))
        real_replace(src, dest)

    monkeypatch.setattr(safety._backup.os, "replace", held_open_by_another_program)
    with pytest.raises(safety.RestoreError) as err:
        safety.restore_backup(ledger, backup)
    assert err.value.reopened and str(err.value).startswith("没有恢复，当前数据没有改动")
    monkeypatch.undo()
    assert ledger.figure(FRQ, "1.3.1", SEP) == FigureValue.of(1600)
    assert not list(ledger.path.parent.glob("*.restoring"))


# -- what belongs to this PC survives a restore ---------------------------------------------------------------
def choose_at_first_start(ledger: Ledger, data_dir: Path, office: str, operator: str) -> None:
    """What the first start's question does: the office in the ledger, the office and operator in this PC's
    settings.ini (as the window's QSettings writes them)."""
    org = ledger.choose_office(office, operator)
    (data_dir / "settings.ini").write_text(f"[General]\nlast_org={org.code}\noperator={operator}\n", encoding="utf-8")


def first_start_needed(ledger: Ledger, data_dir: Path) -> bool:
    """The condition ui.launch.open_window asks the first-start questions on (office and operator are this PC's)."""
    org = saved_preferences(data_dir).office()
    return not org or org not in {o.code for o in ledger.orgs()} or not commands_operator(data_dir)


def test_restoring_the_days_first_backup_does_not_bring_the_first_start_questions_back(data_dir: Path) -> None:
    Ledger.open(data_dir).close()  # installed yesterday, closed before the first-start questions were answered
    daily = safety.start_of_day(data_dir, date.today())  # today's start backs up first …
    assert daily is not None
    ledger = Ledger.open(data_dir)
    try:
        assert first_start_needed(ledger, data_dir)  # … then asks
        choose_at_first_start(ledger, data_dir, "芙蓉区", "张三")  # the first-start questions answered
        ledger.set_setting(f"own_units:{FRQ}", '["区人社局"]')
        ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(99))  # a wrong figure: the clerk restores

        safety.restore_backup(ledger, daily)

        assert ledger.figures(FRQ) == {}
        assert not first_start_needed(ledger, data_dir)
        assert (saved_preferences(data_dir).office(), ledger.operator) == (FRQ, "张三")
        assert ledger.setting(f"own_units:{FRQ}") == '["区人社局"]'
    finally:
        ledger.close()


def test_the_restored_files_own_units_win_and_this_pcs_office_stays(ledger: Ledger, data_dir: Path) -> None:
    ledger.set_setting(f"own_units:{TXQ}", '["区财政局"]')
    backup = safety.backup_now(ledger)
    ledger.set_setting(f"own_units:{TXQ}", '["区人社局"]')
    ledger.set_setting(f"own_units:{FRQ}", '["区发改局"]')
    choose_at_first_start(ledger, data_dir, "天心区", "张三")
    safety.restore_backup(ledger, backup)
    assert saved_preferences(data_dir).office() == TXQ  # this PC's: not in the backup, not touched by restoring it
    assert ledger.setting(f"own_units:{TXQ}") == '["区财政局"]'  # as in the backup: only a missing choice is filled in
    assert ledger.setting(f"own_units:{FRQ}") == '["区发改局"]'  # missing in the backup: kept


def test_an_office_the_backup_does_not_know_brings_the_first_start_question_back(ledger: Ledger,
                                                                                 data_dir: Path) -> None:
    backup = safety.backup_now(ledger)
    choose_at_first_start(ledger, data_dir, "高新区", "张三")  # an office added after the backup
    assert not first_start_needed(ledger, data_dir)
    safety.restore_backup(ledger, backup)
    assert first_start_needed(ledger, data_dir)


# -- moving to a new PC: 备份到… a USB stick, 从文件恢复… on the other side ---------------------------------------
@pytest.fixture
def usb(tmp_path: Path) -> Path:
    stick = tmp_path / "U盘 (E:)"
    stick.mkdir()
    return stick


def test_a_backup_to_a_usb_stick_is_one_checked_file_and_is_noted(ledger: Ledger, usb: Path) -> None:
    ledger.sign_as("张三")
    ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1523))
    name = safety.default_backup_file_name(date(2020, 10, 15))
    assert name == "六保台账备份-20201015.sqlite3"
    made = safety.backup_to_file(ledger, usb / name)
    assert made == usb / name and sorted(p.name for p in usb.iterdir()) == [name]  # no .part, -wal, -shm
    assert check_file(made) == SCHEMA_VERSION
    conn = sqlite3.connect(f"{made.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT base_value FROM figure").fetchall() == [("1523",)]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    log = BackupLogRow.select().order_by(BackupLogRow.id.desc()).get()
    assert (log.action, log.reason, log.file, log.operator) == ("backup", "to_file", str(made), "张三")


def test_a_backup_is_never_written_over_the_data_file(ledger: Ledger) -> None:
    before = digest(ledger.path)
    for target in (ledger.path, ledger.path.parent / (DB_FILENAME + "-wal")):
        with pytest.raises(safety.BackupError, match="台账数据文件夹中的数据库(的日志)?文件，不能覆盖"):
            safety.backup_to_file(ledger, target)
    assert digest(ledger.path) == before


def test_a_usb_stick_that_is_gone_is_explained_and_leaves_nothing_behind(ledger: Ledger, usb: Path) -> None:
    with pytest.raises(safety.BackupError, match="备份失败"):
        safety.backup_to_file(ledger, usb / "拔掉了" / "x.sqlite3")
    assert list(usb.iterdir()) == []


def test_the_new_pc_restores_from_the_usb_stick_with_the_whole_trail(tmp_path: Path, usb: Path) -> None:
    old_pc = Ledger.open(tmp_path / "旧电脑")
    old_pc.sign_as("张三")
    old_pc.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1523))
    old_pc.record_figure(TXQ, "1.3.1", OCT, FigureValue.of(80))
    stick_copy = safety.backup_to_file(old_pc, usb / safety.default_backup_file_name())
    old_pc.close()
    on_stick = digest(stick_copy)

    new_pc = Ledger.open(tmp_path / "新电脑")
    try:
        new_pc.sign_as("李四")
        result = safety.restore_from_file(new_pc, stick_copy)
        assert new_pc.figures(FRQ) == {"1.3.1": {SEP: FigureValue.of(1523)}}
        assert new_pc.figures(TXQ) == {"1.3.1": {OCT: FigureValue.of(80)}}
        assert result.message.startswith(f"已从文件 {stick_copy} 恢复，改动了 2 项数据")
        assert result.safety_backup.parent == tmp_path / "新电脑" / "backups"  # the new PC's own start, kept
        typed = [(r.operator, r.source) for r in AuditRow.select().where(AuditRow.source == "typed")]
        assert typed == [("张三", "typed"), ("张三", "typed")]  # the old PC's trail came along
        notes = {r.note for r in AuditRow.select().where(AuditRow.source == "restore")}
        assert notes == {f"从文件 {stick_copy} 恢复"}
        last = BackupLogRow.select().order_by(BackupLogRow.id.desc()).get()
        assert (last.action, last.file, last.operator) == ("restore", str(stick_copy), "李四")
        assert new_pc.operator == "李四"
    finally:
        new_pc.close()
    assert digest(stick_copy) == on_stick  # only read


def test_the_old_pcs_data_file_itself_can_be_restored_with_its_wal(tmp_path: Path, usb: Path) -> None:
    old_pc = Ledger.open(tmp_path / "旧电脑")
    old_pc.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1523))
    for suffix in ("", "-wal"):  # copied while the old window was open: the latest edit is still in the -wal
        shutil.copyfile(old_pc.path.with_name(DB_FILENAME + suffix), usb / (DB_FILENAME + suffix))
    old_pc.close()
    new_pc = Ledger.open(tmp_path / "新电脑")
    try:
        safety.restore_from_file(new_pc, usb / DB_FILENAME)
        assert new_pc.figure(FRQ, "1.3.1", SEP) == FigureValue.of(1523)
    finally:
        new_pc.close()


def files_that_are_not_a_backup(folder: Path) -> dict[str, Path]:
    garbage = folder / "报表.sqlite3"
    garbage.write_bytes("这是一份改了扩展名的 Excel 文件".encode() * 100)
    other = folder / "微信缓存.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE message (body TEXT)")
    conn.close()
    return {"已损坏或不是数据库文件": garbage, "不是本软件的数据文件": other}


def test_a_file_that_is_not_our_data_is_refused_and_nothing_changes(ledger: Ledger, usb: Path) -> None:
    ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1523))
    newer = safety.backup_to_file(ledger, usb / "新版本.sqlite3")
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 9")
    conn.close()
    cases = {**files_that_are_not_a_backup(usb), "更新版本": newer}
    before = digest(ledger.path)
    for problem, path in cases.items():
        picked = digest(path)
        with pytest.raises(safety.BackupError, match=f"这个文件不能用来恢复：.*{problem}"):
            safety.restore_from_file(ledger, path)
        assert digest(path) == picked
    assert digest(ledger.path) == before and not (ledger.path.parent / "backups").exists()
    with pytest.raises(safety.BackupError, match="正在使用的数据文件"):
        safety.restore_from_file(ledger, ledger.path)
    assert ledger.figure(FRQ, "1.3.1", SEP) == FigureValue.of(1523)


def test_a_backup_made_by_make_backup_restores_as_before(ledger: Ledger) -> None:
    """The file-picking path did not change the ordinary one: a backups/ file is named 备份 in the trail."""
    ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1))
    backup = make_backup(ledger.path, "manual")
    ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(2))
    result = safety.restore_backup(ledger, backup)
    assert result.message.startswith(f"已从备份 {backup.name} 恢复")
    assert BackupLogRow.select().order_by(BackupLogRow.id.desc()).get().file == backup.name
