"""The start-up order of issue 5: lock → daily backup → crash dialog → window (which opens the database)."""
from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from liubao_desktop import app, crash
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.single_instance import acquire_instance_lock
from liubao_desktop.storage.backup import has_backup_on


def test_a_gui_start_locks_the_folder_and_backs_up_the_day_before_the_window_opens_the_database(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from liubao_desktop.ui import launch

    Ledger.open(data_dir).close()  # yesterday's data
    seen: dict[str, object] = {}

    def run_gui(folder: Path) -> int:
        seen["locked"] = acquire_instance_lock(folder) is None
        seen["backed up"] = has_backup_on(folder, date.today(), "daily")
        seen["crash dialog"] = crash._notify is not None
        return 0

    monkeypatch.setattr(launch, "run_gui", run_gui)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)  # app.main installs its own
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    try:
        assert app.main(["--data-dir", str(data_dir)]) == 0
    finally:
        crash.set_notifier(None)
    assert seen == {"locked": True, "backed up": True, "crash dialog": True}
    lock = acquire_instance_lock(data_dir)  # released at exit
    assert lock is not None
    lock.unlock()
