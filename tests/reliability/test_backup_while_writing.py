"""Backups taken while the app is writing are consistent snapshots, and restoring one works."""
from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import pytest

from liubao_desktop.services import safety
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.storage.backup import make_backup

from .test_crash_kill import start_writer

pytestmark = pytest.mark.slow


def figures_and_trail(path: Path) -> tuple[dict[tuple[str, str, str], str], dict[tuple[str, str, str], str]]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        figures = {(o, t, p): v for o, t, p, v in conn.execute(
            "SELECT o.code, t.code, f.period, f.base_value FROM figure f JOIN org o ON o.id = f.org_id "
            "JOIN target t ON t.id = f.target_id")}
        trail = {(o, t, p): v for o, t, p, v in conn.execute(
            "SELECT o.code, t.code, a.period, a.new_value FROM audit_log a JOIN org o ON o.id = a.org_id "
            "JOIN target t ON t.id = a.target_id WHERE a.field = '本期完成'")}
        return figures, trail
    finally:
        conn.close()


def test_backups_taken_mid_stream_are_consistent_and_restorable(data_dir: Path) -> None:
    child = start_writer(data_dir, 0, 100_000)
    acked: list[tuple[str, str, str, str]] = []
    backups: list[tuple[Path, int]] = []  # (file, acknowledged before the backup started)
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if not line.startswith("ACK "):
                continue
            acked.append(tuple(line.split()[2:]))  # type: ignore[arg-type]
            if len(acked) % 40 == 0:
                backups.append((make_backup(data_dir / "liubao.sqlite3", "manual"), len(acked)))
            if len(backups) == 6:
                break
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        for stream in (child.stdout, child.stderr):
            if stream:
                stream.close()
    assert child.returncode == -signal.SIGKILL
    order = [a[:3] for a in acked]
    for path, acked_before in backups:
        figures, trail = figures_and_trail(path)
        assert figures == trail  # every figure with its audit row: one committed state, not a torn copy
        assert len(figures) >= acked_before  # everything acknowledged before the backup started is in it
        # a prefix of the sequence the clerk typed: nothing later without everything earlier
        if len(figures) <= len(order):
            assert set(figures) == set(order[: len(figures)])
        else:
            assert set(order) <= set(figures)
        assert all(figures[cell[:3]] == cell[3] for cell in acked[:acked_before])

    # the writer was killed; the app starts again and restores the second backup
    ledger = Ledger.open(data_dir)
    try:
        chosen, _ = backups[1]
        expected, _ = figures_and_trail(chosen)
        result = safety.restore_backup(ledger, chosen)
        now, _ = figures_and_trail(ledger.path)
        assert now == expected
        assert result.changes >= len(acked) - len(expected)
        assert ledger.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        ledger.close()
