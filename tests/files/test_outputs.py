"""Where a PDF, a workbook or a backup may go: never onto a ledger, never over a file of another kind, whole
or not at all."""
from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

import pytest

from liubao_desktop.files import outputs
from liubao_desktop.files.outputs import (
    PDF,
    WORKBOOK,
    OutputError,
    check_output,
    remove_leftover_parts,
    write_output,
)
from liubao_desktop.services.ledger import Ledger


@pytest.fixture
def office(ledger: Ledger, tmp_path: Path) -> Path:
    """A data folder with its database open (so -wal and -shm exist), a backup and a log."""
    data = ledger.path.parent
    (data / "backups").mkdir(exist_ok=True)
    (data / "backups" / "liubao-20201015-093000-daily.sqlite3").write_bytes(ledger.path.read_bytes())
    (data / "logs").mkdir(exist_ok=True)
    (data / "logs" / "liubao.log").write_text("log\n")
    (data / "settings.ini").write_text("[General]\n")
    ledger.set_setting("current_org", "430102")  # a write: the -wal and -shm are there
    return data


@pytest.mark.parametrize("name", ["liubao.sqlite3", "liubao.sqlite3-wal", "liubao.sqlite3-shm", "liubao.lock",
                                  "settings.ini", "LIUBAO.SQLITE3", "logs/liubao.log",
                                  "backups/liubao-20201015-093000-daily.sqlite3", "backups/new.pdf", "new.pdf",
                                  "logs/../liubao.sqlite3", "."])
def test_nothing_is_written_into_a_data_folder(office: Path, name: str) -> None:
    with pytest.raises(OutputError, match="数据文件夹"):
        check_output(office / name, PDF, office)


def test_a_symlink_or_a_hard_link_to_the_database_is_found_out(office: Path, tmp_path: Path) -> None:
    (tmp_path / "link.pdf").symlink_to(office / "liubao.sqlite3")
    os.link(office / "liubao.sqlite3", tmp_path / "hard.pdf")
    with pytest.raises(OutputError, match="数据库文件"):
        check_output(tmp_path / "link.pdf", PDF, office)
    with pytest.raises(OutputError, match="同一个文件"):
        check_output(tmp_path / "hard.pdf", PDF, office)


def test_a_file_of_another_kind_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"PK\x03\x04 a workbook named .pdf")
    (tmp_path / "a.xlsx").write_bytes(b"SQLite format 3\x00")
    with pytest.raises(OutputError, match="不是PDF 文件"):
        check_output(tmp_path / "a.pdf", PDF)
    with pytest.raises(OutputError, match="不是Excel 工作簿"):
        check_output(tmp_path / "a.xlsx", WORKBOOK)
    (tmp_path / "old.pdf").write_bytes(b"%PDF-1.4 last month")
    assert check_output(tmp_path / "old.pdf", PDF) == tmp_path / "old.pdf"


def test_a_device_or_a_folder_is_not_a_file_to_write(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="不是普通文件"):
        check_output(Path("/dev/full"), outputs.LEDGER_COPY)  # a full disk on demand, and a device
    (tmp_path / "f.pdf").mkdir()
    with pytest.raises(OutputError, match="是一个文件夹"):
        check_output(tmp_path / "f.pdf", PDF)


def test_a_full_disk_is_named_and_leaves_neither_a_file_nor_a_part(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs.os, "fsync", no_space)
    with pytest.raises(OutputError, match="磁盘已满"):
        write_output(tmp_path / "a.pdf", PDF, lambda fh: fh.write(b"%PDF-1.4 ..."))
    assert list(tmp_path.iterdir()) == []


def test_parts_left_by_a_killed_export_go_at_the_next_one_but_not_a_part_still_being_written(tmp_path: Path) -> None:
    left = tmp_path / ".~a.xlsx.0123abcd.part"
    left.write_bytes(b"half")
    busy = tmp_path / ".~b.xlsx.89abcdef.part"
    busy.write_bytes(b"being written")
    mine = tmp_path / "mine.part"  # not one of ours: never touched
    mine.write_bytes(b"keep")
    with open(busy, "rb") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        write_output(tmp_path / "c.pdf", PDF, lambda out: out.write(b"%PDF-1.4 ..."))
        assert sorted(p.name for p in tmp_path.iterdir()) == [busy.name, "c.pdf", "mine.part"]
    assert remove_leftover_parts(tmp_path) == [busy]


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_a_data_folder_is_its_owners_alone(tmp_path: Path) -> None:
    """Another account on a shared office PC must not read the ledger, its logs, backups or settings."""
    from liubao_desktop.files.data_folder import prepare
    from liubao_desktop.services.ledger import Ledger

    made = prepare(tmp_path / "新的文件夹")
    assert made.stat().st_mode & 0o777 == 0o700
    old = tmp_path / "旧文件夹"
    old.mkdir(mode=0o755)
    old.chmod(0o755)
    prepare(old)
    assert old.stat().st_mode & 0o777 == 0o700
    direct = tmp_path / "直接打开"
    Ledger.open(direct).close()  # a ledger opened without the app's start-up path too
    assert direct.stat().st_mode & 0o777 == 0o700
