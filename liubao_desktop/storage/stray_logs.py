"""A start never lets SQLite replay a log into the wrong file.

SQLite replays a ``-wal`` it finds beside a database into it, whichever database that is. When the ledger was
deleted under a running window, its log stays in the folder, and the next start would create a fresh database
and fold the old log into it: a file that passes ``quick_check`` but not ``integrity_check`` (index entries
missing). So before a database is opened for writing:

- a ``-wal``/``-shm``/``-journal`` without its database is moved aside;
- a ``-wal`` that does not fit its database (the two together fail ``integrity_check`` while the database
  alone passes it) is moved aside.

"Does not fit" is decided by content, on copies in a temporary folder, not by the files' clocks: a checkpoint
writes the database after its log, so a sound log is often older than its database. Moved files go into a
dated folder ``aside/YYYYmmdd-HHMMSS/`` of the data folder and are never deleted; the start tells the clerk.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path

from ..files.data_folder import ASIDE_DIRNAME

_SIDES = ("-wal", "-shm", "-journal")


def _side(db_path: Path, suffix: str) -> Path:
    return db_path.with_name(db_path.name + suffix)


def aside_folder(data_dir: Path, now: datetime | None = None) -> Path:
    """A new dated folder under ``aside/`` for files moved out of SQLite's way."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = Path(data_dir) / ASIDE_DIRNAME / stamp
    n = 1
    while folder.exists():
        folder = Path(data_dir) / ASIDE_DIRNAME / f"{stamp}-{n}"
        n += 1
    folder.mkdir(parents=True)
    return folder


def _move_aside(files: list[Path], data_dir: Path, now: datetime | None) -> Path:
    folder = aside_folder(data_dir, now)
    for f in files:
        os.replace(f, folder / f.name)
    return folder


def _sound(db_path: Path, with_log: bool) -> bool:
    """integrity_check of a copy of the database (and its -wal), so the real files are only read."""
    with tempfile.TemporaryDirectory(prefix="liubao-check-") as tmp:
        copy = Path(tmp) / db_path.name
        shutil.copyfile(db_path, copy)
        if with_log:
            shutil.copyfile(_side(db_path, "-wal"), _side(copy, "-wal"))
        try:
            conn = sqlite3.connect(copy)
            try:
                return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            finally:
                conn.close()
        except sqlite3.Error:
            return False


def set_aside_stray_logs(db_path: Path, now: datetime | None = None) -> list[str]:
    """Move logs that do not belong to ``db_path`` aside; returns what the clerk must be told (Chinese)."""
    db_path = Path(db_path)
    sides = [p for p in (_side(db_path, s) for s in _SIDES) if p.exists()]
    if not sides:
        return []
    data_dir = db_path.parent
    if not db_path.exists():
        folder = _move_aside(sides, data_dir, now)
        names = "、".join(p.name for p in sides)
        return [f"数据文件夹里有数据库的日志文件（{names}），却没有数据库本身（可能被删除或移走了）。"
                f"为免把它们写进新的数据库，已把它们移到 {folder} 保存，没有删除。"]
    wal = _side(db_path, "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return []
    try:
        if _sound(db_path, with_log=True) or not _sound(db_path, with_log=False):
            return []  # it fits; or the database itself is damaged, which the start-up check reports
    except OSError:
        return []  # cannot even copy: the start-up check says what is wrong with the folder
    folder = _move_aside([p for p in (wal, _side(db_path, "-shm")) if p.exists()], data_dir, now)
    return [f"数据库的日志文件 {wal.name} 与数据库不符（可能来自被删除或替换之前的数据库），软件没有用它改动数据库，"
            f"已把它移到 {folder} 保存，没有删除。"]
