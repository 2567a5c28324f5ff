"""One running copy per data folder: a QLockFile taken before the database is opened.

A second copy (a double click too many, a second user session on the same share) finds the lock held and
stops before it opens the database: trying the lock is all it does in the data folder.
A lock left behind by a crashed or killed copy is stale — its process is gone — and QLockFile removes it, so
a crash never locks the clerk out.

The lock is long-lived, so the stale-lock timeout is switched off (staleLockTime 0): only the owner's death
makes a lock stale, never its age, or a window left open over lunch would let a second copy in.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLockFile

from .storage.database import ReadOnlyError, StorageError

log = logging.getLogger(__name__)

LOCK_FILENAME = "liubao.lock"


def already_running_message(data_dir: Path) -> str:
    return (
        "软件已经打开：这个数据文件夹正被另一个“六保任务台账”窗口使用。\n"
        "请切换到已经打开的窗口（看一看任务栏），不要同时打开两个，以免数据互相覆盖。\n"
        f"数据文件夹：{data_dir}"
    )


def acquire_instance_lock(data_dir: Path) -> QLockFile | None:
    """Take the data folder's lock; None when another running copy holds it.

    Keep the returned object for the life of the process and call ``unlock()`` on exit (a crash leaves a
    stale lock that the next start clears). Raises ReadOnlyError when the folder cannot hold a lock file.
    """
    data_dir = Path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"无法创建数据文件夹 {data_dir}：{exc.strerror or exc}") from exc
    lock = QLockFile(str(data_dir / LOCK_FILENAME))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):  # also removes a stale lock whose process has died
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        info = lock.getLockInfo()
        log.warning("data folder %s is locked by another running copy: %s", data_dir, info)
        return None
    raise ReadOnlyError(
        f"数据文件夹 {data_dir} 不能写入（只读或没有权限），软件无法启动。"
        "请把数据文件夹改为可写，或用 --data-dir 指定其他文件夹。"
    )
