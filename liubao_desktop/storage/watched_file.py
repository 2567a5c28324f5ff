"""A database connection that notices when its file is deleted or replaced under it.

SQLite keeps writing to the file it opened, even after that file was deleted or another file was renamed over
its path: the commits succeed, into a file nobody will ever open again, and the window would say 已保存 for
figures the next start does not find. ``WatchedDatabase`` takes the file's identity (device and inode; the file
index on Windows) when it connects and compares it with what the path names before each write transaction
begins and again before it commits; a mismatch raises ``LedgerFileLostError`` and rolls the transaction back.
One ``os.stat`` per check: a few microseconds against the fsync of the commit itself.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from .connection import Database
from .errors import LedgerFileLostError

__all__ = ["LedgerFileLostError", "WatchedDatabase", "file_identity"]

_READS = ("SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def file_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class WatchedDatabase(Database):
    """A database file that refuses to write once that file is gone from its path."""

    def __init__(self, path: Path, **kwargs: object) -> None:
        super().__init__(path, **kwargs)  # type: ignore[arg-type]
        self.file_path = Path(path)
        self.identity: tuple[int, int] | None = None
        self.lost: LedgerFileLostError | None = None
        # Told once, on the first write refused (the window offers to save what the connection still holds).
        self.on_lost: Callable[[LedgerFileLostError], None] | None = None
        self.notices: list[str] = []  # what the start did to the data folder and must tell the clerk

    def _connect(self) -> sqlite3.Connection:
        conn = super()._connect()
        self.identity = file_identity(self.file_path)
        return conn

    def check_file(self) -> None:
        """Raise LedgerFileLostError when the path no longer names the file this connection has open."""
        if self.identity is None:
            return
        now = file_identity(self.file_path)
        if now == self.identity:
            return
        error = LedgerFileLostError(self.file_path, deleted=now is None)
        first = self.lost is None
        self.lost = error
        if first and self.on_lost is not None:
            self.on_lost(error)
        raise error

    def begin(self) -> None:
        self.check_file()
        super().begin()

    def commit(self) -> None:
        self.check_file()
        super().commit()

    def execute_sql(self, sql: str, params: tuple | list = ()) -> sqlite3.Cursor:
        # A statement outside a transaction commits by itself: check the file first unless it only reads.
        if self.identity is not None and not self.in_transaction() and not sql.lstrip()[:9].upper().startswith(_READS):
            self.check_file()
        return super().execute_sql(sql, params)
