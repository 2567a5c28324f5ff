"""The tests' PostgreSQL server never outlives the test process that started it: a worker killed mid-run
(SIGKILL, no atexit) leaves no server running and no folder behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import pg_server

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(pg_server.bin_dir() is None, reason="PostgreSQL is not installed")


def postmaster_running(folder: Path) -> bool:
    pid_file = folder / "data" / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        os.kill(int(pid_file.read_text().split()[0]), 0)
    except (ProcessLookupError, ValueError):
        return False
    return True


def test_a_killed_test_process_leaves_no_server_behind() -> None:
    with subprocess.Popen([sys.executable, "-c", "from tests import pg_server; import time; "
                           "print(pg_server.start().folder, flush=True); time.sleep(600)"],
                          cwd=REPO, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        folder = Path(child.stdout.readline().strip())
        assert postmaster_running(folder)
        child.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 30
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not folder.exists() and not postmaster_running(folder)
