"""Issue 16: a ledger on a network share (a cifs/nfs mount, a UNC path, a mapped drive) is never opened — in WAL
mode or any other —, said so in Chinese, and copied onto this PC on the clerk's word. No share is needed: the
mount table and the file system's statfs type are injected."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from liubao_desktop import app
from liubao_desktop.files import network_paths
from liubao_desktop.services.data_location import copy_ledger_locally, network_refusal
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.storage.database import open_database
from liubao_desktop.storage.errors import NetworkFolderError, StorageError

CIFS = 0xFF534D42


def files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ledger in a folder the (fake) mount table says is a cifs mount: //server/台账 on tmp/share."""
    folder = tmp_path / "share"
    Ledger.open(folder).close()  # made while still "local", then put back in rollback-journal mode, as a
    conn = sqlite3.connect(folder / "liubao.sqlite3")  # file copied onto a share by hand would be
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    mounts = (f"/dev/sda1 / ext4 rw 0 0\n"
              f"//server/台账 {str(folder).replace(' ', chr(92) + '040')} cifs rw,vers=3.0 0 0\n")
    monkeypatch.setattr(network_paths, "current_mounts", lambda: mounts)
    return folder


def test_the_kernels_file_system_type_is_read_and_a_network_one_recognised(tmp_path: Path) -> None:
    magic = network_paths.statfs_magic(str(tmp_path / "not" / "made" / "yet"))  # its nearest existing folder
    assert magic is None or magic not in network_paths.NETWORK_MAGIC
    if sys.platform.startswith("linux") and shutil.which("stat"):  # the kernel's answer, as coreutils reads it
        shown = subprocess.run(["stat", "-f", "-c", "%t", str(tmp_path)], capture_output=True, text=True).stdout
        assert magic == int(shown, 16)
    for kind in (CIFS, 0xFE534D42, 0x6969):  # cifs, smb2, nfs
        assert network_paths.is_network_path("/srv/x", fs_magic=kind)
    assert not network_paths.is_network_path("/srv/x", fs_magic=0xEF53)  # ext4


def test_a_ledger_on_a_share_is_refused_untouched_and_never_put_in_wal_mode(share: Path) -> None:
    before = files(share)
    with pytest.raises(NetworkFolderError) as refused:
        open_database(share / "liubao.sqlite3")
    assert "网络共享文件夹" in str(refused.value) and "本机的磁盘" in str(refused.value)
    assert "复制到本机" in str(refused.value) and "db copy" in str(refused.value)
    assert files(share) == before  # no -wal, no -shm, not a byte
    assert (share / "liubao.sqlite3").read_bytes()[18:20] == b"\x01\x01"  # still a rollback-journal file


def test_a_network_file_system_type_alone_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Ledger.open(tmp_path / "d").close()
    monkeypatch.setattr(network_paths, "statfs_magic", lambda path: CIFS)
    assert network_refusal(tmp_path / "d") is not None
    with pytest.raises(NetworkFolderError):
        Ledger.open(tmp_path / "d")


def test_copied_to_this_pc_the_ledger_opens_and_the_share_is_untouched(share: Path, tmp_path: Path) -> None:
    before = files(share)
    made = copy_ledger_locally(share, tmp_path / "本机 台账")
    assert files(share) == before
    ledger = Ledger.open(made.parent)
    try:
        assert ledger.plan.code
    finally:
        ledger.close()
    with pytest.raises(StorageError, match="已经有台账"):
        copy_ledger_locally(share, made.parent)
    with pytest.raises(StorageError, match="也在网络共享"):
        copy_ledger_locally(share, share / "sub")
    with pytest.raises(StorageError, match="没有台账数据文件"):
        copy_ledger_locally(tmp_path / "empty", tmp_path / "x")


def test_commands_refuse_the_share_and_db_copy_copies_it(share: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert app.main(["--data-dir", str(share), "plan", "--json"]) == 2
    assert "网络共享文件夹" in capsys.readouterr().err
    assert not (share / "logs").exists()  # not even the log was written there
    assert app.main(["db", "copy", "--from", str(share), "--to", str(tmp_path / "local")]) == 0
    assert "已复制到" in capsys.readouterr().out
    assert app.main(["--data-dir", str(tmp_path / "local"), "plan", "--json"]) == 0


@pytest.fixture
def window_start(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """app.main's window path up to run_gui, which records the folder it was given instead of opening a window."""
    from liubao_desktop.services import safety
    from liubao_desktop.ui import crash_relay, launch

    started: list[Path] = []
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)  # app.main installs its own
    monkeypatch.setattr(launch, "run_gui", lambda data_dir: started.append(data_dir) or 0)
    monkeypatch.setattr(crash_relay, "install_crash_dialog", lambda: None)
    monkeypatch.setattr(safety, "start_of_day", lambda data_dir: None)
    return started


def test_the_window_offers_to_copy_and_quits_when_declined(share: Path, window_start: list[Path],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from liubao_desktop.ui import network_dialog

    asked: list[str] = []

    def decline(box, copy) -> bool:  # noqa: ANN001
        asked.append(box.text())
        assert [b.text() for b in box.buttons()].count(network_dialog.COPY) == 1
        return False

    monkeypatch.setattr(network_dialog, "ask", decline)
    before = files(share)
    assert app.main(["--data-dir", str(share)]) == 2
    assert window_start == [] and files(share) == before
    assert len(asked) == 1 and "台账必须放在本机的磁盘上，或者放在服务器上" in asked[0]


def test_the_window_starts_on_the_copy_made_on_this_pc(share: Path, tmp_path: Path, window_start: list[Path],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from liubao_desktop.ui import file_dialogs, network_dialog

    local = tmp_path / "本机"
    monkeypatch.setattr(network_dialog, "ask", lambda box, copy: True)
    monkeypatch.setattr(file_dialogs, "run", lambda dialog: local)
    assert app.main(["--data-dir", str(share)]) == 0
    assert window_start == [local] and (local / "liubao.sqlite3").is_file()
