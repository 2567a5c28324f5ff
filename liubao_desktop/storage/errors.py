"""The storage layer's errors: each ``str()`` is a message for the clerk, in Chinese."""
from __future__ import annotations


class StorageError(Exception):
    """A problem with the database file; ``str()`` is a message for the clerk, in Chinese."""


class DatabaseTooNewError(StorageError):
    pass


class DatabaseDamagedError(StorageError):
    pass


class NotOurDatabaseError(DatabaseDamagedError):
    """A sound SQLite file that is not this app's data (another program's database, an empty schema)."""


class ReadOnlyError(StorageError):
    """The data folder or file cannot be written (read-only medium, permissions, another program's lock)."""


class DiskFullError(StorageError):
    pass


class LedgerFileLostError(StorageError):
    """The open database's file is no longer at its path (deleted, moved, or another file put there).
    ``deleted`` tells a file gone from one replaced."""

    def __init__(self, path: object, *, deleted: bool) -> None:
        from ..files.os_errors import shown

        what = "被删除或移走了" if deleted else "被另一个文件替换了"
        super().__init__(f"数据文件 {shown(path)} 在软件打开期间{what}（不是本软件做的），刚才的修改没有保存。")
        self.path = path
        self.deleted = deleted
