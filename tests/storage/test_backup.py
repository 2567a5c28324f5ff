"""Backups in backups/: consistent single files, listed with what they hold, the newest 30 kept."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.storage.backup import (
    BackupError,
    has_backup_on,
    list_backups,
    make_backup,
    newest_good_backup,
    set_aside,
)
from liubao_desktop.storage.database import DB_FILENAME

SEP = Period(2020, 9)
T0 = datetime(2020, 10, 15, 9, 30, 0)


def test_a_backup_is_one_checked_file_holding_the_committed_data(ledger: Ledger) -> None:
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    ledger.record_figure("天心区", "1.3.1", Period(2020, 11), FigureValue.of(80))
    path = make_backup(ledger.path, "manual", now=T0)
    assert path == ledger.path.parent / "backups" / "liubao-20201015-093000-manual.sqlite3"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no -wal, -shm or .part beside it
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT period, base_value FROM figure ORDER BY period").fetchall() == [
            ("2020-09", "1523"), ("2020-11", "80")]
    finally:
        conn.close()


def test_the_list_shows_date_size_offices_and_latest_month(ledger: Ledger) -> None:
    make_backup(ledger.path, "daily", now=T0)
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    ledger.record_figure("天心区", "1.3.1", Period(2020, 11), FigureValue.of(80))
    ledger.record_figure("岳麓区", "1.3.1", Period(2020, 10), FigureValue.of(5))
    make_backup(ledger.path, "manual", now=T0 + timedelta(hours=2))
    newest, oldest = list_backups(ledger.path.parent)
    assert (newest.created, newest.reason_label, newest.orgs, newest.latest_period, newest.figures) == (
        T0 + timedelta(hours=2), "手动备份", ("芙蓉区", "天心区", "岳麓区"), "2020-11", 3)
    assert newest.orgs_label == "芙蓉区、天心区等 3 个单位" and newest.period_label == "2020年11月"
    assert newest.size == newest.path.stat().st_size and newest.size_label.endswith("KB")
    assert (oldest.reason_label, oldest.orgs_label, oldest.period_label) == ("每日自动备份", "（无填报数据）", "—")


def test_only_the_newest_30_backups_are_kept(ledger: Ledger) -> None:
    folder = ledger.path.parent / "backups"
    folder.mkdir()
    own_copy = folder / "我自己复制的一份.sqlite3"
    own_copy.write_bytes(ledger.path.read_bytes())
    made = [make_backup(ledger.path, "daily", now=T0 + timedelta(days=i)) for i in range(35)]
    left = sorted(p.name for p in folder.glob("liubao-*.sqlite3"))
    assert left == sorted(p.name for p in made[5:])
    assert own_copy.exists()  # a file the clerk put there is never deleted


def test_how_many_backups_are_kept_is_a_setting(ledger: Ledger) -> None:
    ledger.set_setting("backup_keep", "5")
    for i in range(8):
        make_backup(ledger.path, "manual", now=T0 + timedelta(minutes=i))
    assert len(list_backups(ledger.path.parent)) == 5


def test_two_backups_in_the_same_second_do_not_overwrite_each_other(ledger: Ledger) -> None:
    first = make_backup(ledger.path, "manual", now=T0)
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1))
    second = make_backup(ledger.path, "manual", now=T0)
    assert first != second and first.exists() and second.exists()
    assert [b.figures for b in list_backups(ledger.path.parent)] == [1, 0]


def test_a_damaged_database_is_not_backed_up_and_good_backups_are_not_pushed_out(ledger: Ledger) -> None:
    for i in range(3):
        make_backup(ledger.path, "daily", now=T0 + timedelta(days=i), keep=3)
    ledger.close()
    with open(ledger.path, "r+b") as fh:  # a page in the middle overwritten
        fh.seek(40 * 1024)
        fh.write(b"\xa5" * 4096)
    with pytest.raises(BackupError, match="没有生成备份"):
        make_backup(ledger.path, "daily", now=T0 + timedelta(days=5), keep=3)
    backups = list_backups(ledger.path.parent)
    assert [b.created.day for b in backups] == [17, 16, 15] and all(b.ok for b in backups)
    assert not list((ledger.path.parent / "backups").glob("*.part"))


def test_the_newest_good_backup_skips_broken_ones(ledger: Ledger) -> None:
    good = make_backup(ledger.path, "daily", now=T0)
    broken = make_backup(ledger.path, "daily", now=T0 + timedelta(days=1))
    broken.write_bytes(b"\0" * 4096)
    infos = list_backups(ledger.path.parent)
    assert [b.ok for b in infos] == [False, True] and "损坏" in (infos[0].problem or "")
    found = newest_good_backup(ledger.path.parent)
    assert found is not None and found.path == good


def test_whether_today_was_backed_up_is_read_from_the_names(ledger: Ledger) -> None:
    make_backup(ledger.path, "manual", now=T0)
    assert not has_backup_on(ledger.path.parent, T0.date(), "daily")
    make_backup(ledger.path, "daily", now=T0)
    assert has_backup_on(ledger.path.parent, T0.date(), "daily")
    assert not has_backup_on(ledger.path.parent, T0.date() + timedelta(days=1), "daily")


def test_a_file_set_aside_keeps_its_wal_with_it(data_dir: Path) -> None:
    path = data_dir / DB_FILENAME
    path.write_bytes(b"damaged")
    (data_dir / (DB_FILENAME + "-wal")).write_bytes(b"its wal")
    kept = set_aside(path, now=T0)
    assert kept.name == "liubao.sqlite3.damaged-20201015-093000"
    assert kept.read_bytes() == b"damaged"
    assert (data_dir / "liubao.sqlite3.damaged-20201015-093000-wal").read_bytes() == b"its wal"
    assert not path.exists() and not (data_dir / (DB_FILENAME + "-wal")).exists()


def test_listing_again_checks_only_files_that_changed(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    from liubao_desktop.storage import backup

    made = [make_backup(ledger.path, "daily", now=T0 + timedelta(days=i)) for i in range(4)]
    checked: list[str] = []
    real_check = backup.check_file

    def counting_check(path: Path) -> int:
        checked.append(Path(path).name)
        return real_check(path)

    monkeypatch.setattr(backup, "check_file", counting_check)
    assert len(list_backups(ledger.path.parent)) == 4 and len(checked) == 4
    checked.clear()
    assert all(b.ok for b in list_backups(ledger.path.parent)) and checked == []  # the dialog's every refresh
    made[1].write_bytes(b"\0" * 4096)  # damaged since: another size and time
    made[2].unlink()
    infos = list_backups(ledger.path.parent)
    assert checked == [made[1].name]
    assert [(b.path, b.ok) for b in infos] == [(made[3], True), (made[1], False), (made[0], True)]


def test_backup_names_are_read_without_strptime() -> None:
    from datetime import datetime

    from liubao_desktop.storage.backup import _parse_name

    assert _parse_name(Path("liubao-20201031-235959-2-daily.sqlite3")) == (datetime(2020, 10, 31, 23, 59, 59), 2,
                                                                           "daily")
    assert _parse_name(Path("liubao-20201031-080000-manual.sqlite3")) == (datetime(2020, 10, 31, 8), 0, "manual")
    assert _parse_name(Path("liubao-20201332-080000-daily.sqlite3")) is None  # no such day: not one of ours
    assert _parse_name(Path("liubao-20201031-250000-daily.sqlite3")) is None
    assert _parse_name(Path("other-20201031-080000-daily.sqlite3")) is None
