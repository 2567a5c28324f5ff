"""Opening for a headless command beside the open window: read one snapshot, never write, create or migrate."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.storage.database import DB_FILENAME, StorageError, reading_beside_running_copy

from ..conftest import REPO

SEP = Period(2020, 9)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_reader_sees_one_snapshot_while_the_window_commits(data_dir: Path) -> None:
    led = Ledger.open(data_dir)
    led.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    led.close()
    window = sqlite3.connect(data_dir / DB_FILENAME, isolation_level=None)  # stands in for the window's ledger
    try:
        with reading_beside_running_copy():
            reader = Ledger.open(data_dir)
        try:
            assert reader.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(1523)
            window.execute("UPDATE figure SET base_value = '1600'")  # the clerk types on in the window
            assert reader.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(1523)  # the export stays consistent
        finally:
            reader.close()
        led = Ledger.open(data_dir)
        try:
            assert led.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(1600)
        finally:
            led.close()
    finally:
        window.close()


def test_a_reader_cannot_write(data_dir: Path) -> None:
    Ledger.open(data_dir).close()
    with reading_beside_running_copy():
        reader = Ledger.open(data_dir)
    try:
        with pytest.raises(StorageError, match="不能写入"):  # a command that writes is a bug here: refused in words
            reader.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1))
    finally:
        reader.close()
    led = Ledger.open(data_dir)
    try:
        assert led.figures("芙蓉区") == {}
    finally:
        led.close()


def test_a_reader_creates_nothing_and_migrates_nothing(data_dir: Path) -> None:
    with reading_beside_running_copy(), pytest.raises(StorageError, match="找不到数据文件"):
        Ledger.open(data_dir)
    assert list(data_dir.iterdir()) == []
    shutil.copyfile(REPO / "tests" / "fixtures" / "liubao-schema-v1.sqlite3", data_dir / DB_FILENAME)
    before = digest(data_dir / DB_FILENAME)
    with reading_beside_running_copy(), pytest.raises(StorageError, match="需要先升级"):
        Ledger.open(data_dir)
    assert digest(data_dir / DB_FILENAME) == before and sorted(p.name for p in data_dir.iterdir()) == [DB_FILENAME]


def test_outside_the_block_opening_is_as_before(data_dir: Path) -> None:
    with reading_beside_running_copy():
        pass
    led = Ledger.open(data_dir)  # creates on first start
    try:
        led.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1))
    finally:
        led.close()
