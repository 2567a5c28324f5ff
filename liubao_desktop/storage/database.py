"""Opening the SQLite file: create from the seed on first start, check it, refuse what we must not touch.

Durability settings follow SQLite's own advice for data that must survive a power cut: WAL with
synchronous=FULL, so a commit that returned is on disk.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from peewee import SqliteDatabase

from .models import database_proxy
from .schema import SCHEMA_VERSION
from .seed_sql import SEED_PATH

DB_FILENAME = "liubao.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 5000,
}


class StorageError(Exception):
    """A problem with the database file; ``str()`` is a message for the clerk, in Chinese."""


class DatabaseTooNewError(StorageError):
    pass


class DatabaseDamagedError(StorageError):
    pass


def fsync_dir(path: Path) -> None:
    # Makes a rename durable on POSIX; Windows has no directory handles to sync.
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_from_seed(path: Path, seed_path: Path = SEED_PATH) -> None:
    """Build the database next to its final place, then rename: a crash never leaves half a seed behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".creating")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        conn.executescript(seed_path.read_text(encoding="utf-8"))
        conn.commit()
    finally:
        conn.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def check_header(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise DatabaseDamagedError(f"数据文件 {path} 不是本软件的数据库（文件头不对），软件没有改动它。")


def quick_check(db: SqliteDatabase) -> list[str]:
    rows = [r[0] for r in db.execute_sql("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows


def schema_version(db: SqliteDatabase) -> int:
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def open_database(
    path: Path,
    *,
    create: bool = True,
    before_migration: Callable[[Path, int], None] | None = None,
) -> SqliteDatabase:
    """Open (or on first start create) the database and bind the models to it."""
    path = Path(path)
    if not path.exists():
        if not create:
            raise StorageError(f"找不到数据文件 {path}。")
        create_from_seed(path)
    check_header(path)
    db = SqliteDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)
    try:
        db.connect()
        problems = quick_check(db)
    except sqlite3.DatabaseError as exc:
        with contextlib.suppress(Exception):
            db.close()
        raise DatabaseDamagedError(f"数据文件 {path} 已损坏（{exc}），软件没有改动它。") from exc
    if problems:
        db.close()
        raise DatabaseDamagedError(f"数据文件 {path} 检查未通过：{'；'.join(problems[:3])}。软件没有改动它。")
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        db.close()
        raise DatabaseTooNewError(
            f"这个数据文件由更新版本的软件创建（结构版本 {version}，本软件支持到 {SCHEMA_VERSION}），"
            "为避免损坏数据，本软件不会打开它。请安装新版本。"
        )
    if version < SCHEMA_VERSION:
        from .migrations import migrate

        if before_migration:
            before_migration(path, version)
        migrate(db, version)
    database_proxy.initialize(db)
    return db
