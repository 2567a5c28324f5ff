"""Part 3 of issue 5: one running copy per data folder; a second start says so and touches nothing."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from liubao_desktop import app
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.single_instance import LOCK_FILENAME, acquire_instance_lock

from ..conftest import REPO


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file in the folder with its content hash and modification time."""
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def existing_data(data_dir: Path) -> Path:
    Ledger.open(data_dir).close()
    return data_dir


def test_a_second_copy_is_refused_in_chinese_and_leaves_the_database_alone(existing_data: Path) -> None:
    lock = acquire_instance_lock(existing_data)  # the first copy, running
    assert lock is not None
    try:
        before = snapshot(existing_data)
        proc = subprocess.run(  # a command that writes (plan, export and tasks only read: they may run)
            [sys.executable, str(REPO / "main.py"), "--data-dir", str(existing_data), "sample-data"],
            capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=REPO)
        assert proc.returncode == 1 and proc.stdout == ""
        assert "软件已经打开" in proc.stderr and str(existing_data) in proc.stderr
        after = snapshot(existing_data)
        assert {k: v for k, v in after.items() if k != LOCK_FILENAME} == {
            k: v for k, v in before.items() if k != LOCK_FILENAME}
        assert after[LOCK_FILENAME] == before[LOCK_FILENAME]  # not even the lock file was rewritten
    finally:
        lock.unlock()


def test_a_second_window_says_so_in_a_message_box_and_never_opens_the_database(
    existing_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from liubao_desktop.ui import instance_dialog

    shown: list[str] = []
    monkeypatch.setattr(instance_dialog, "show_start_refused", shown.append)
    monkeypatch.setattr(Ledger, "open", classmethod(lambda cls, *a, **k: pytest.fail("database opened")))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)  # app.main installs its own
    lock = acquire_instance_lock(existing_data)
    assert lock is not None
    try:
        assert app.main(["--data-dir", str(existing_data)]) == 1
    finally:
        lock.unlock()
    assert len(shown) == 1 and shown[0].startswith("软件已经打开")


def test_the_lock_of_a_killed_copy_is_stale_and_does_not_lock_the_clerk_out(data_dir: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from liubao_desktop.single_instance import acquire_instance_lock;"
         "lock = acquire_instance_lock(Path(sys.argv[1])); print('LOCKED' if lock else 'REFUSED', flush=True);"
         "sys.stdin.read()", str(data_dir)],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "LOCKED"
        assert acquire_instance_lock(data_dir) is None  # alive: held
    finally:
        if os.name == "posix":
            child.send_signal(signal.SIGKILL)
        else:
            child.kill()
        child.communicate(timeout=30)  # waits, and closes the pipes
    assert (data_dir / LOCK_FILENAME).exists()  # left behind by the killed copy
    lock = acquire_instance_lock(data_dir)
    assert lock is not None  # recognised as stale and taken over
    lock.unlock()


def test_the_lock_is_released_when_the_app_ends(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)  # app.main installs its own
    assert app.main(["--data-dir", str(data_dir), "plan"]) == 0
    lock = acquire_instance_lock(data_dir)
    assert lock is not None
    lock.unlock()
    assert not (data_dir / LOCK_FILENAME).exists()


def test_a_read_only_data_folder_is_explained_at_start(data_dir: Path) -> None:
    """chattr +i: not even root may create the lock file. Skipped where chattr is not permitted."""
    Ledger.open(data_dir).close()
    paths = [str(data_dir), *(str(p) for p in data_dir.iterdir())]
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", *paths], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        proc = subprocess.run(
            [sys.executable, str(REPO / "main.py"), "--data-dir", str(data_dir), "plan", "--json"],
            capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=REPO)
    finally:
        subprocess.run(["chattr", "-i", *paths], check=True)
    assert proc.returncode == 1 and "不能写入" in proc.stderr and "Traceback" not in proc.stderr
