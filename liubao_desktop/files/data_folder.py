"""What lives in a data folder, by name: the one list every guard and every path builder reads.

A data folder holds the ledger (``liubao.sqlite3`` with SQLite's ``-wal``/``-shm``/``-journal`` beside it), the
instance lock, this PC's window settings, the logs, the backups and the files a start moved aside. Nothing the
app writes on a user's word (a PDF, a workbook, a backup to a USB stick) may land on any of them.
"""
from __future__ import annotations

import os
from pathlib import Path

DB_FILENAME = "liubao.sqlite3"
LOCK_FILENAME = "liubao.lock"
SETTINGS_FILENAME = "settings.ini"
LOGS_DIRNAME = "logs"
BACKUPS_DIRNAME = "backups"
ASIDE_DIRNAME = "aside"  # logs without their database, moved out of SQLite's way at start (never deleted)

# SQLite's side files and the app's own temporary names beside the database
DB_SIDE_SUFFIXES = ("-wal", "-shm", "-journal", ".creating", ".restoring")
_FOLDERS = {LOGS_DIRNAME: "日志文件夹", BACKUPS_DIRNAME: "备份文件夹", ASIDE_DIRNAME: "搁置文件的文件夹"}


def database_file(data_dir: Path) -> Path:
    return Path(data_dir) / DB_FILENAME


def settings_file(data_dir: Path) -> Path:
    return Path(data_dir) / SETTINGS_FILENAME


def what_it_is(name: str) -> str | None:
    """The clerk's word for a top-level entry of a data folder named ``name`` (case-insensitively: Windows
    and macOS disks do not tell LIUBAO.SQLITE3 from liubao.sqlite3); None for a name the app does not use."""
    folded = name.casefold()
    if folded == DB_FILENAME:
        return "数据库文件"
    if folded.startswith(DB_FILENAME) and folded[len(DB_FILENAME):] in DB_SIDE_SUFFIXES:
        return "数据库的日志文件"
    if folded.startswith(DB_FILENAME + "."):  # liubao.sqlite3.damaged-…: a damaged file kept for support
        return "保留的数据文件"
    if folded == LOCK_FILENAME or folded.startswith(LOCK_FILENAME + "."):
        return "防止重复打开的锁文件"
    if folded == SETTINGS_FILENAME:
        return "本机设置文件"
    return _FOLDERS.get(folded)


def is_data_folder(path: Path) -> bool:
    """A folder that holds a ledger (so writing into it could hurt one)."""
    return (Path(path) / DB_FILENAME).exists() or (Path(path) / LOCK_FILENAME).exists()


class DataFolderError(OSError):
    """A data folder that cannot be used; ``str()`` is a message for the clerk, in Chinese."""

    def __str__(self) -> str:
        return str(self.args[0])


def prepare(data_dir: Path) -> Path:
    """Make sure ``data_dir`` is a folder (created if missing) before anything opens a file in it.

    Raises DataFolderError saying, in Chinese, why it cannot be: a file of that name, a file in its path,
    no permission, a name too long."""
    from .os_errors import describe_os_error, shown

    path = Path(data_dir)
    try:
        if path.exists() and not path.is_dir():
            raise DataFolderError(f"数据文件夹 {shown(path)} 是一个文件，不是文件夹。请用 --data-dir 指定一个文件夹。")
        path.mkdir(parents=True, exist_ok=True)
    except DataFolderError:
        raise
    except OSError as exc:
        raise DataFolderError(f"无法使用数据文件夹：{describe_os_error(exc, '文件夹')}"
                              "请用 --data-dir 指定另一个文件夹。") from exc
    make_private(path)
    return path


def make_private(path: Path) -> None:
    """On POSIX, the data folder is its owner's alone (0700): another account on a shared office PC can list
    nothing in it, so neither the ledger, its logs, its backups nor settings.ini can be read, whatever mode SQLite
    or a copy tool gives each file. A folder of another owner (or a file system without modes) is left as it is."""
    if os.name != "posix":
        return
    try:
        info = path.stat()
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.chmod(path, info.st_mode & ~0o077)
    except OSError:
        pass  # a share or a read-only medium: what we cannot change we do not pretend to have changed
