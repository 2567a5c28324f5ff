"""Opening the data file: durable settings, and files the app must refuse without changing a byte."""
from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.storage.database import (
    DB_FILENAME,
    DatabaseDamagedError,
    DatabaseTooNewError,
    DiskFullError,
    NotOurDatabaseError,
    ReadOnlyError,
)
from liubao_desktop.storage.models import AuditRow
from liubao_desktop.storage.schema import SCHEMA_VERSION

SEP = Period(2020, 9)
ImmutableFn = Callable[[Path], None]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_database_with_figures(data_dir: Path, n: int = 20) -> list[str]:
    led = Ledger.open(data_dir)
    codes = [t.code for t in led.plan.targets() if not t.is_done][:n]  # numbers: 定性 targets take a state
    for i, code in enumerate(codes):
        led.record_figure("芙蓉区", code, SEP, led.parse_entry(code, str(i + 1)))
    led.close()
    return codes


def overwrite_middle_page(path: Path) -> None:
    """A disk or a copy tool overwrote one 4 KB page in the middle of the file with garbage."""
    size = path.stat().st_size
    offset = (size // 2) // 4096 * 4096
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(bytes(random.Random(2020).randrange(256) for _ in range(4096)))


def test_first_start_creates_the_database_in_wal_mode_with_full_sync_and_foreign_keys(data_dir: Path) -> None:
    led = Ledger.open(data_dir)
    try:
        pragmas = {name: led.db.execute_sql(f"PRAGMA {name}").fetchone()[0]
                   for name in ("journal_mode", "synchronous", "foreign_keys", "user_version")}
    finally:
        led.close()
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "user_version": SCHEMA_VERSION}
    assert not (data_dir / (DB_FILENAME + ".creating")).exists()


def test_a_garbage_file_in_place_of_the_database_is_refused_and_left_alone(data_dir: Path) -> None:
    path = data_dir / DB_FILENAME
    path.write_bytes("这不是数据库，是一份被误命名的文档。\n".encode() * 200)
    before = digest(path)
    with pytest.raises(DatabaseDamagedError) as err:
        Ledger.open(data_dir)
    assert "不是本软件的数据库" in str(err.value) and str(path) in str(err.value)
    assert digest(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILENAME]


def test_an_empty_file_is_not_taken_for_a_new_database(data_dir: Path) -> None:
    (data_dir / DB_FILENAME).write_bytes(b"")
    with pytest.raises(DatabaseDamagedError, match="空文件"):
        Ledger.open(data_dir)
    assert (data_dir / DB_FILENAME).stat().st_size == 0


def test_a_database_with_bytes_overwritten_in_the_middle_is_detected_and_not_overwritten(data_dir: Path) -> None:
    make_database_with_figures(data_dir)
    path = data_dir / DB_FILENAME
    overwrite_middle_page(path)
    before = digest(path)
    for _attempt in range(2):  # the second start must not have "repaired" or re-created anything either
        with pytest.raises(DatabaseDamagedError) as err:
            Ledger.open(data_dir)
        assert "软件没有改动它" in str(err.value)
        assert digest(path) == before


def test_a_database_from_a_newer_version_is_refused_untouched(data_dir: Path) -> None:
    make_database_with_figures(data_dir, 3)
    path = data_dir / DB_FILENAME
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseTooNewError) as err:
        Ledger.open(data_dir)
    assert "更新版本" in str(err.value) and "99" in str(err.value)
    assert digest(path) == before


def test_a_write_on_a_read_only_database_says_so_in_chinese_and_keeps_what_was_saved(ledger: Ledger) -> None:
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    ledger.db.execute_sql("PRAGMA query_only = 1")  # the medium turned read-only under the running app
    with pytest.raises(ReadOnlyError) as err:
        ledger.record_figure("芙蓉区", "1.4.1", SEP, FigureValue.of(200))
    assert "不能写入" in str(err.value) and "已保存的数据不受影响" in str(err.value)
    ledger.db.execute_sql("PRAGMA query_only = 0")
    assert ledger.figures("芙蓉区") == {"1.3.1": {SEP: FigureValue.of(1523)}}
    ledger.record_figure("芙蓉区", "1.4.1", SEP, FigureValue.of(200))
    assert ledger.figure("芙蓉区", "1.4.1", SEP).number == 200


def counted_targets(ledger: Ledger) -> list[str]:
    """Targets typed as plain numbers: the fill-up loops write 1, 2, 3 … which a percentage would refuse."""
    return [code for code in ledger.target_ids if ledger.target(code).entry_unit != "%"]


def test_a_full_database_file_refuses_the_edit_with_a_clear_message_and_loses_nothing(ledger: Ledger) -> None:
    pages = ledger.db.execute_sql("PRAGMA page_count").fetchone()[0]
    ledger.db.execute_sql(f"PRAGMA max_page_count = {pages}")  # the disk has no room for another page
    saved: dict[tuple[str, str], int] = {}
    with pytest.raises(DiskFullError) as err:  # noqa: PT012 - writes until the room is gone
        for period in ledger.periods:
            for code in counted_targets(ledger):
                ledger.record_figure("芙蓉区", code, period, FigureValue.of(len(saved) + 1))
                saved[(code, str(period))] = len(saved) + 1
    assert "磁盘空间已满" in str(err.value) and "没有保存" in str(err.value)
    assert saved  # the room ran out after some edits had been saved
    ledger.db.execute_sql("PRAGMA max_page_count = 1073741823")
    stored = {(code, str(p)): int(v.number) for code, series in ledger.figures("芙蓉区").items()
              for p, v in series.items()}
    assert stored == saved
    assert AuditRow.select().count() == len(saved)  # the refused edit left no trail either
    ledger.record_figure("芙蓉区", "1.3.1", Period(2021, 12), FigureValue.of(7))  # room again: saving works


def test_on_a_read_only_data_folder_the_app_says_it_cannot_write_and_changes_nothing(
    data_dir: Path, immutable: ImmutableFn
) -> None:
    make_database_with_figures(data_dir, 3)
    path = data_dir / DB_FILENAME
    before = digest(path)
    immutable(data_dir)
    with pytest.raises(ReadOnlyError) as err:
        Ledger.open(data_dir)
    assert "不能写入" in str(err.value) and str(data_dir) in str(err.value)
    assert digest(path) == before


def test_first_start_in_a_read_only_folder_explains_instead_of_crashing(
    data_dir: Path, immutable: ImmutableFn
) -> None:
    immutable(data_dir)
    with pytest.raises(ReadOnlyError, match="不能写入"):
        Ledger.open(data_dir)
    assert list(data_dir.iterdir()) == []


def test_a_really_full_disk_refuses_edits_clearly_and_every_saved_figure_survives(small_disk: Path) -> None:
    led = Ledger.open(small_disk)
    filler = small_disk / "filler.bin"
    saved: dict[tuple[str, str], int] = {}
    try:
        with open(filler, "wb", buffering=0) as fh:  # fill the disk up to the last few bytes
            for chunk in (65536, 4096, 512, 64):
                try:
                    while True:
                        fh.write(b"\0" * chunk)
                except OSError:
                    pass
            fh.truncate(fh.tell() - 256 * 1024)  # leave room for a few dozen edits
        with pytest.raises(DiskFullError, match="磁盘空间已满"):  # noqa: PT012
            for period in led.periods:
                for code in counted_targets(led):
                    led.record_figure("芙蓉区", code, period, FigureValue.of(len(saved) + 1))
                    saved[(code, str(period))] = len(saved) + 1
        assert len(saved) >= 3  # some edits were saved before the disk filled up
        filler.unlink()
        led.record_figure("芙蓉区", "1.3.1", Period(2021, 12), FigureValue.of(len(saved) + 1))
        saved[("1.3.1", "2021-12")] = len(saved) + 1
    finally:
        led.close()
    led = Ledger.open(small_disk)
    try:
        stored = {(code, str(p)): int(v.number) for code, series in led.figures("芙蓉区").items()
                  for p, v in series.items()}
        assert led.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        led.close()
    assert stored == saved


# -- fixtures that make a folder read-only or a disk small, even for root --------------------------------
@pytest.fixture
def immutable() -> Iterator[ImmutableFn]:
    """chattr +i: not even root may create, change or delete files there. Skipped where unsupported."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not available")
    done: list[Path] = []

    def make(folder: Path) -> None:
        paths = [folder, *folder.iterdir()]
        result = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True)
        if result.returncode != 0:
            pytest.skip(f"chattr +i not permitted here: {result.stderr.decode(errors='replace').strip()}")
        done.extend(paths)

    yield make
    if done:
        subprocess.run(["chattr", "-i", *map(str, done)], check=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs: a disk that really fills up. Skipped where mounting is not permitted."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs: {result.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)



def other_programs_database(path: Path, user_version: int = 0) -> None:
    """A sound SQLite file that some other program made (a WeChat cache, a browser's history …)."""
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE message (id INTEGER PRIMARY KEY, body TEXT);"
                       "INSERT INTO message (body) VALUES ('你好'), ('在吗');")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.close()


@pytest.mark.parametrize("user_version", [0, 2])
def test_another_programs_sqlite_file_is_refused_and_left_byte_for_byte_alone(data_dir: Path, user_version: int) -> None:
    path = data_dir / DB_FILENAME
    other_programs_database(path, user_version)
    before = digest(path)
    for _attempt in range(2):
        with pytest.raises(NotOurDatabaseError) as err:
            Ledger.open(data_dir)
        assert "不是“六保任务台账”的数据" in str(err.value) and "软件没有改动它" in str(err.value)
        assert digest(path) == before
    # no WAL switch, no backup, nothing beside it
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILENAME]
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()


def test_our_own_file_with_its_schema_version_wiped_is_refused_not_migrated(data_dir: Path) -> None:
    make_database_with_figures(data_dir, 3)
    path = data_dir / DB_FILENAME
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    before = digest(path)
    with pytest.raises(NotOurDatabaseError, match="没有结构版本号"):
        Ledger.open(data_dir)
    assert digest(path) == before and not (data_dir / "backups").exists()
