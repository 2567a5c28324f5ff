"""The headless commands that only read (plan, export, tasks) work while the window is open on the same data
folder — a clerk exports the month's workbook from a script without closing the window — and never create,
migrate or write anything there. Commands that would change the data still wait for the window to close."""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from liubao_desktop import app
from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.single_instance import LOCK_FILENAME, acquire_instance_lock
from liubao_desktop.storage.schema import SCHEMA_VERSION

from .conftest import REPO

SEP = Period(2020, 9)
V1_FIXTURE = REPO / "tests" / "fixtures" / "liubao-schema-v1.sqlite3"


def run_main(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, cwd=cwd)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def office(data_dir: Path) -> Path:
    led = Ledger.open(data_dir)
    led.set_setting("current_org", "430102")
    led.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    led.close()
    return data_dir


@pytest.fixture
def window_open(office: Path) -> Iterator[Path]:
    """The window's instance lock, held by a separate running process, as the real window holds it."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from liubao_desktop.single_instance import acquire_instance_lock;"
         "lock = acquire_instance_lock(Path(sys.argv[1])); print('LOCKED' if lock else 'REFUSED', flush=True);"
         "sys.stdin.read()", str(office)],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "LOCKED"
        yield office
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()


def test_plan_json_runs_while_the_window_is_open_and_writes_nothing(window_open: Path) -> None:
    db = window_open / "liubao.sqlite3"
    before, lock_before = digest(db), digest(window_open / LOCK_FILENAME)
    done = run_main("--data-dir", str(window_open), "plan", "--json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["parts"]) == 7
    assert digest(db) == before and digest(window_open / LOCK_FILENAME) == lock_before


def test_export_and_tasks_run_while_the_window_is_open(window_open: Path, tmp_path: Path) -> None:
    db = window_open / "liubao.sqlite3"
    before = digest(db)
    out = tmp_path / "芙蓉区-2020-09.xlsx"
    done = run_main("--data-dir", str(window_open), "export", "--org", "芙蓉区", "--period", "2020-09",
                    "--out", str(out))
    assert done.returncode == 0, done.stderr
    detail = openpyxl.load_workbook(out)["明细"]
    assert any(row[1] == "430102" and row[3] == "2020-09" and row[7] == "1.3.1" and 1523 in row
               for row in detail.iter_rows(values_only=True))
    pdf = tmp_path / "任务清单.pdf"
    done = run_main("--data-dir", str(window_open), "tasks", "--out", str(pdf), "--period", "2020-09")
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert digest(db) == before


def test_a_command_that_writes_still_waits_for_the_window(window_open: Path) -> None:
    before = digest(window_open / "liubao.sqlite3")
    done = run_main("--data-dir", str(window_open), "sample-data", "--orgs", "芙蓉区")
    assert done.returncode == 1 and "软件已经打开" in done.stderr
    assert digest(window_open / "liubao.sqlite3") == before


def test_an_older_database_is_not_migrated_beside_the_window(data_dir: Path) -> None:
    shutil.copyfile(V1_FIXTURE, data_dir / "liubao.sqlite3")
    before = digest(data_dir / "liubao.sqlite3")
    lock = acquire_instance_lock(data_dir)  # the window (an older copy of the app, say) is open
    assert lock is not None
    try:
        done = run_main("--data-dir", str(data_dir), "plan", "--json")
    finally:
        lock.unlock()
    assert done.returncode == 1 and done.stdout == "" and "Traceback" not in done.stderr
    assert "需要先升级" in done.stderr and "请关闭窗口后再运行" in done.stderr
    assert digest(data_dir / "liubao.sqlite3") == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["liubao.sqlite3", "logs"]  # no backup, no WAL
    # with the window closed the same command upgrades it (after a backup) and runs
    done = run_main("--data-dir", str(data_dir), "plan", "--json")
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(data_dir / "liubao.sqlite3")
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()


def test_without_a_database_a_read_only_command_waits_for_the_window(data_dir: Path) -> None:
    lock = acquire_instance_lock(data_dir)
    assert lock is not None
    try:
        done = run_main("--data-dir", str(data_dir), "plan", "--json")
    finally:
        lock.unlock()
    assert done.returncode == 1 and "软件已经打开" in done.stderr
    assert not (data_dir / "liubao.sqlite3").exists()


def test_a_damaged_database_is_reported_by_a_read_only_command_beside_the_window(office: Path) -> None:
    db = office / "liubao.sqlite3"
    with open(db, "r+b") as fh:
        fh.seek(db.stat().st_size // 2 // 4096 * 4096)
        fh.write(b"\xa5" * 4096)
    before = digest(db)
    lock = acquire_instance_lock(office)
    assert lock is not None
    try:
        done = run_main("--data-dir", str(office), "plan", "--json")
    finally:
        lock.unlock()
    assert done.returncode == 1 and "已损坏" in done.stderr and "Traceback" not in done.stderr
    assert digest(db) == before


# -- who holds the lock ---------------------------------------------------------------------------------------
def lock_left_by_another_pc(data_dir: Path) -> None:
    """What QLockFile writes (pid, app, host, machine id, boot id), from a copy that crashed on OFFICE-PC-2."""
    (data_dir / LOCK_FILENAME).write_text("4242\nliubao\nOFFICE-PC-2\n0123456789abcdef0123456789abcdef\nboot\n")


def test_a_lock_left_on_another_pc_names_that_pc_and_says_how_to_clear_it(
    office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)  # app.main installs its own
    lock_left_by_another_pc(office)
    assert app.main(["--data-dir", str(office), "sample-data", "--orgs", "芙蓉区"]) == 1
    message = capsys.readouterr().err
    assert "电脑“OFFICE-PC-2”上的进程 4242" in message
    assert "删除数据文件夹中的 liubao.lock 文件" in message and str(office) in message
    assert "自 20" in message  # since when it has been held
    # and deleting it, as the message says, lets the clerk in
    (office / LOCK_FILENAME).unlink()
    lock = acquire_instance_lock(office)
    assert lock is not None
    lock.unlock()


def test_a_lock_held_on_this_pc_says_so(window_open: Path) -> None:
    done = run_main("--data-dir", str(window_open), "sample-data", "--orgs", "芙蓉区")
    assert done.returncode == 1 and "（本机上的进程 " in done.stderr
