"""Daily backups, restore while the app runs, and recovery from a damaged file — all traceable."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.services import safety
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.storage.database import DB_FILENAME
from liubao_desktop.storage.models import AuditRow, BackupLogRow, FigureRow
from liubao_desktop.storage.schema import SCHEMA_VERSION

from ..conftest import REPO

SEP, OCT = Period(2020, 9), Period(2020, 10)


def trail(source: str | None = None) -> list[tuple]:
    q = AuditRow.select().order_by(AuditRow.id)
    if source:
        q = q.where(AuditRow.source == source)
    return [(r.source, r.field, r.period, r.old_value, r.new_value) for r in q]


# -- daily backup ---------------------------------------------------------------------------------------
def test_the_first_start_of_a_day_makes_one_backup(data_dir: Path) -> None:
    assert safety.start_of_day(data_dir, date(2020, 10, 15)) is None  # nothing to back up before first start
    Ledger.open(data_dir).close()
    first = safety.start_of_day(data_dir, date(2020, 10, 15))
    assert first is not None and first.name.startswith("liubao-20201015-") and first.name.endswith("-daily.sqlite3")
    assert safety.start_of_day(data_dir, date(2020, 10, 15)) is None  # second start the same day
    assert safety.start_of_day(data_dir, date(2020, 10, 16)) is not None
    assert [b.reason for b in safety.list_backups(data_dir)] == ["daily", "daily"]


def test_a_failing_daily_backup_does_not_stop_the_start(data_dir: Path) -> None:
    Ledger.open(data_dir).close()
    (data_dir / "backups").write_text("not a folder")
    assert safety.start_of_day(data_dir, date(2020, 10, 15)) is None


# -- restore --------------------------------------------------------------------------------------------
def test_restore_while_the_ledger_is_open_brings_back_the_backup_and_traces_every_change(ledger: Ledger) -> None:
    ledger.sign_as("张三")
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    ledger.write_narrative("芙蓉区", "1.3", SEP, Narrative("进展一"))
    backup = safety.backup_now(ledger)
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1600))
    ledger.record_figure("芙蓉区", "1.4.1", OCT, FigureValue.of(20))
    ledger.set_local_target("芙蓉区", "1.3.1", Decimal(1500))
    ledger.write_narrative("芙蓉区", "1.3", SEP, Narrative("进展二", "问题"))

    result = safety.restore_backup(ledger, backup)

    assert ledger.figures("芙蓉区") == {"1.3.1": {SEP: FigureValue.of(1523)}}
    assert ledger.local_targets("芙蓉区") == {}
    assert ledger.narrative("芙蓉区", "1.3", SEP) == Narrative("进展一")
    assert trail("restore") == [
        ("restore", "本期完成", "2020-09", "1600", "1523"),
        ("restore", "本期完成", "2020-10", "20", None),
        ("restore", "分解目标", None, "1500", None),
        ("restore", "存在问题", "2020-09", "问题", None),
        ("restore", "进展情况", "2020-09", "进展二", "进展一"),
    ]
    assert result.changes == 5 and "恢复前的数据已备份" in result.message
    # the edits the restore undid are still in the trail, before the restore rows
    typed = trail("typed")
    assert ("typed", "本期完成", "2020-09", "1523", "1600") in typed and len(typed) == 7
    assert {r.operator for r in AuditRow.select()} == {"张三"}
    assert [(r.action, r.file) for r in BackupLogRow.select().order_by(BackupLogRow.id)] == [
        ("backup", backup.name), ("restore", backup.name)]


def test_a_restore_can_itself_be_undone_from_the_backup_it_made_first(ledger: Ledger) -> None:
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    backup = safety.backup_now(ledger)
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1600))
    first = safety.restore_backup(ledger, backup)
    assert ledger.figure("芙蓉区", "1.3.1", SEP).number == 1523
    safety.restore_backup(ledger, first.safety_backup)
    assert ledger.figure("芙蓉区", "1.3.1", SEP).number == 1600
    assert [r[3:] for r in trail("restore")] == [("1600", "1523"), ("1523", "1600")]


def test_a_damaged_backup_is_refused_and_the_current_data_stays(ledger: Ledger) -> None:
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    backup = safety.backup_now(ledger)
    backup.write_bytes(b"\0" * 8192)
    with pytest.raises(safety.BackupError, match="不能用来恢复"):
        safety.restore_backup(ledger, backup)
    assert ledger.figure("芙蓉区", "1.3.1", SEP).number == 1523
    ledger.record_figure("芙蓉区", "1.3.1", OCT, FigureValue.of(1))  # the ledger is still usable


def test_restore_is_refused_while_another_connection_uses_the_file(ledger: Ledger) -> None:
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    backup = safety.backup_now(ledger)
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1600))
    reader = sqlite3.connect(ledger.path)  # e.g. an export still reading in another thread
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM figure").fetchone()
    try:
        before = hashlib.sha256(ledger.path.read_bytes()).hexdigest()
        with pytest.raises(safety.StorageError, match="正被"):
            safety.restore_backup(ledger, backup)
        assert hashlib.sha256(ledger.path.read_bytes()).hexdigest() == before
    finally:
        reader.close()
    assert ledger.figure("芙蓉区", "1.3.1", SEP).number == 1600  # reopened on the untouched file


def test_a_backup_from_the_first_release_can_be_restored(ledger: Ledger) -> None:
    folder = ledger.path.parent / "backups"
    folder.mkdir()
    old = folder / "liubao-20201001-080000-daily.sqlite3"
    shutil.copyfile(REPO / "tests" / "fixtures" / "liubao-schema-v1.sqlite3", old)
    safety.restore_backup(ledger, old)
    assert ledger.figure("芙蓉区", "1.3.1", SEP).number == 1600
    assert ledger.db.execute_sql("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert old.exists()


def test_a_newer_backup_is_refused(ledger: Ledger) -> None:
    backup = safety.backup_now(ledger)
    conn = sqlite3.connect(backup)
    conn.execute("PRAGMA user_version = 9")
    conn.close()
    with pytest.raises(safety.BackupError, match="更新版本"):
        safety.restore_backup(ledger, backup)


def test_restoring_the_oldest_of_a_full_folder_works(ledger: Ledger) -> None:
    from datetime import datetime

    from liubao_desktop.storage.backup import make_backup

    ledger.set_setting("backup_keep", "3")
    oldest = make_backup(ledger.path, "daily", now=datetime(2020, 10, 1))
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1))
    for day in (2, 3):
        make_backup(ledger.path, "daily", now=datetime(2020, 10, day))
    safety.restore_backup(ledger, oldest)
    assert ledger.figures("芙蓉区") == {}
    assert len(safety.list_backups(ledger.path.parent)) == 3


def test_the_clerk_and_the_keep_setting_survive_a_restore(ledger: Ledger) -> None:
    ledger.sign_as("旧名字")
    backup = safety.backup_now(ledger)
    ledger.sign_as("王五")
    safety.set_backup_keep(ledger, 12)
    safety.restore_backup(ledger, backup)
    assert ledger.operator == "王五" and safety.backup_keep(ledger) == 12


# -- start-up recovery ----------------------------------------------------------------------------------
def test_a_damaged_database_is_replaced_by_the_newest_good_backup_and_kept(data_dir: Path) -> None:
    led = Ledger.open(data_dir)
    led.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    safety.backup_now(led)
    led.record_figure("芙蓉区", "1.3.1", OCT, FigureValue.of(10))
    led.close()
    path = data_dir / DB_FILENAME
    with open(path, "r+b") as fh:
        fh.seek(path.stat().st_size // 2 // 4096 * 4096)
        fh.write(b"\xa5" * 4096)
    damaged = path.read_bytes()
    with pytest.raises(safety.DatabaseDamagedError):
        safety.open_ledger(data_dir)
    good = safety.newest_good_backup(data_dir)
    assert good is not None
    kept = safety.replace_damaged_database(data_dir, good.path)
    assert kept.read_bytes() == damaged and kept.name.startswith("liubao.sqlite3.damaged-")
    led = safety.open_ledger(data_dir)
    try:
        assert led.figures("芙蓉区") == {"1.3.1": {SEP: FigureValue.of(1523)}}
    finally:
        led.close()


# -- bulk operations --------------------------------------------------------------------------------------
def test_a_bulk_operation_backs_up_first_and_lands_whole_or_not_at_all(ledger: Ledger) -> None:
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1))
    with pytest.raises(RuntimeError), ledger.bulk_operation() as backup:  # noqa: PT012
        ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(2), source="import")
        ledger.record_figure("芙蓉区", "1.4.1", SEP, FigureValue.of(3), source="import")
        raise RuntimeError("the workbook's third sheet is unreadable")
    assert backup.exists() and "before_bulk" in backup.name
    assert ledger.figures("芙蓉区") == {"1.3.1": {SEP: FigureValue.of(1)}}
    assert FigureRow.select().count() == 1 and trail("import") == []
    with ledger.bulk_operation():
        ledger.record_figure("芙蓉区", "1.4.1", SEP, FigureValue.of(3), source="import")
    assert trail("import") == [("import", "本期完成", "2020-09", None, "3")]
    assert [b.reason for b in safety.list_backups(ledger.path.parent)] == ["before_bulk", "before_bulk"]
