"""The ledger file vanishing or being replaced under a running window, and logs that do not belong to a file.

The attack that found these: the database deleted while the window was open; the window went on saying 已保存;
the next start created a fresh database and SQLite replayed the old -wal into it (quick_check passed that file,
integrity_check did not).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services import safety
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.sample_data import fill_sample_data
from liubao_desktop.storage.database import DB_FILENAME, create_from_seed
from liubao_desktop.storage.errors import LedgerFileLostError

SEP = Period(2020, 9)
OCT = Period(2020, 10)


def figure(ledger: Ledger, period: Period) -> Decimal | None:
    return ledger.figure("芙蓉区", "1.3.1", period).number


def integrity(path: Path) -> list[tuple[str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


def test_a_figure_typed_after_the_file_was_deleted_is_not_reported_saved(ledger: Ledger) -> None:
    told: list[LedgerFileLostError] = []
    ledger.on_file_lost(told.append)
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    os.unlink(ledger.path)
    with pytest.raises(LedgerFileLostError, match="被删除或移走了.*刚才的修改没有保存"):
        ledger.record_figure("芙蓉区", "1.3.1", OCT, FigureValue.of(1600))
    with pytest.raises(LedgerFileLostError):
        ledger.set_setting("current_org", "430102")  # a write outside the figure path is refused too
    assert len(told) == 1 and told[0].deleted
    assert figure(ledger, OCT) is None  # rolled back: nothing the next start would not find


def test_the_figures_the_window_still_holds_go_back_where_the_next_start_finds_them(data_dir: Path) -> None:
    ledger = Ledger.open(data_dir)
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    os.unlink(ledger.path)
    with pytest.raises(LedgerFileLostError):
        ledger.record_figure("芙蓉区", "1.3.1", OCT, FigureValue.of(1600))
    saved = safety.rescue_lost_ledger(ledger)
    assert saved == data_dir / DB_FILENAME and ledger.db.is_closed()
    assert not (data_dir / (DB_FILENAME + "-wal")).exists()
    assert integrity(saved) == [("ok",)]
    again = Ledger.open(data_dir)
    try:
        assert figure(again, SEP) == 1523 and again.start_notices == []
    finally:
        again.close()


def test_a_file_put_in_the_ledgers_place_is_noticed_and_kept(ledger: Ledger, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    create_from_seed(other)
    before = other.read_bytes()
    os.replace(other, ledger.path)
    with pytest.raises(LedgerFileLostError, match="被另一个文件替换了"):
        ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    with pytest.raises(safety.BackupError, match="已有另一个文件"):
        safety.rescue_lost_ledger(ledger)  # never over the file someone put there
    usb = tmp_path / "U盘"
    usb.mkdir()
    saved = safety.rescue_lost_ledger(ledger, usb / "抢救.sqlite3")
    assert integrity(saved) == [("ok",)] and ledger.path.read_bytes() == before


def _wal_of_a_ledger_with_figures(data_dir: Path, keep: Path, before: Path | None = None) -> None:
    """A ledger that grew (sample data, checkpointed into the file) and then took a few more figures that are
    only in its -wal, as SIGKILL leaves it. The -wal is copied to ``keep``; the database as it was before
    those last commits to ``before``."""
    ledger = Ledger.open(data_dir)
    fill_sample_data(ledger, [ledger.org("芙蓉区").code], Period(2020, 12))
    ledger.db.execute_sql("PRAGMA wal_autocheckpoint = 0")  # what follows stays in the log
    ledger.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    if before is not None:
        shutil.copyfile(ledger.path, before)
    for n, period in enumerate(ledger.periods[:6], start=1):
        ledger.record_figure("芙蓉区", "1.3.1", period, FigureValue.of(n * 100))
    shutil.copyfile(data_dir / (DB_FILENAME + "-wal"), keep)
    ledger.close()


def test_a_log_without_its_database_is_moved_aside_not_replayed_into_a_new_one(data_dir: Path,
                                                                               tmp_path: Path) -> None:
    keep = tmp_path / "kept-wal"
    _wal_of_a_ledger_with_figures(data_dir, keep)
    os.unlink(data_dir / DB_FILENAME)
    shutil.copyfile(keep, data_dir / (DB_FILENAME + "-wal"))
    ledger = Ledger.open(data_dir)
    try:
        assert integrity(ledger.path) == [("ok",)]
        assert figure(ledger, SEP) is None  # a fresh ledger, not one with another file's pages in it
        [notice] = ledger.start_notices
        assert "没有数据库本身" in notice and "没有删除" in notice
    finally:
        ledger.close()
    [aside] = (data_dir / "aside").iterdir()
    assert (aside / (DB_FILENAME + "-wal")).read_bytes() == keep.read_bytes()


def test_a_log_that_does_not_fit_its_database_is_moved_aside(data_dir: Path, tmp_path: Path) -> None:
    keep = tmp_path / "kept-wal"
    _wal_of_a_ledger_with_figures(data_dir, keep)
    os.unlink(data_dir / DB_FILENAME)
    create_from_seed(data_dir / DB_FILENAME)  # a fresh database, then the old log beside it
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    shutil.copyfile(keep, data_dir / (DB_FILENAME + "-wal"))
    conn = sqlite3.connect(f"file:{data_dir / DB_FILENAME}?mode=ro", uri=True)
    assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]  # what the first version checked
    conn.close()
    ledger = Ledger.open(data_dir)
    try:
        assert integrity(ledger.path) == [("ok",)]
        [notice] = ledger.start_notices
        assert "与数据库不符" in notice
    finally:
        ledger.close()


def test_a_log_left_by_a_crash_is_replayed_as_always(data_dir: Path, tmp_path: Path) -> None:
    keep, before = tmp_path / "kept-wal", tmp_path / "before.sqlite3"
    _wal_of_a_ledger_with_figures(data_dir, keep, before)
    shutil.copyfile(before, data_dir / DB_FILENAME)  # the database as it was before the log's commits
    shutil.copyfile(keep, data_dir / (DB_FILENAME + "-wal"))
    ledger = Ledger.open(data_dir)
    try:
        assert figure(ledger, ledger.periods[0]) == 100 and ledger.start_notices == []
    finally:
        ledger.close()
