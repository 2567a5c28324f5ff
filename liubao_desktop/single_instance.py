"""One running copy per data folder: a QLockFile taken before the database is opened.

A second copy (a double click too many, a second user session on the same share) finds the lock held and
stops before it opens the database: trying the lock is all it does in the data folder.
A lock left behind by a crashed or killed copy is stale — its process is gone — and QLockFile removes it, so
a crash never locks the clerk out.

The lock is long-lived, so the stale-lock timeout is switched off (staleLockTime 0): only the owner's death
makes a lock stale, never its age, or a window left open over lunch would let a second copy in. QLockFile can
only tell a dead owner on the same computer: a lock left by a copy that crashed on *another* PC (the data
folder on a share) stays. The refusal therefore names the computer and process holding the lock, since when,
and how to clear it (delete liubao.lock once sure no copy runs).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLockFile, QSysInfo

from .files.data_folder import LOCK_FILENAME
from .services.safety import ReadOnlyError, StorageError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LockHolder:
    """Who holds a data folder's instance lock, as its lock file says."""

    pid: int
    host: str
    app: str
    since: datetime | None

    @property
    def on_this_computer(self) -> bool:
        return self.host == QSysInfo.machineHostName()


def lock_holder(data_dir: Path) -> LockHolder | None:
    """Who holds the data folder's lock, as written in liubao.lock; None when there is no (readable) lock."""
    path = Path(data_dir) / LOCK_FILENAME
    pid, host, app = QLockFile(str(path)).getLockInfo() or (0, "", "")
    if not pid and not host:
        return None
    try:
        since: datetime | None = datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        since = None
    return LockHolder(int(pid), str(host), str(app), since)


def already_running_message(data_dir: Path, holder: LockHolder | None = None) -> str:
    holder = holder or lock_holder(data_dir)
    if holder is None:
        who = ""
    else:
        where = "本机" if holder.on_this_computer else f"电脑“{holder.host}”"
        since = f"，自 {holder.since:%Y-%m-%d %H:%M} 起" if holder.since else ""
        who = f"（{where}上的进程 {holder.pid}{since}）"
    return (
        f"软件已经打开：这个数据文件夹正被另一个正在运行的“六保任务台账”使用{who}。\n"
        "请切换到已经打开的窗口（看一看任务栏），不要同时打开两个，以免数据互相覆盖。\n"
        "如果确定没有任何电脑正在运行本软件（例如那台电脑死机或断电后还没有重新打开），"
        f"可以删除数据文件夹中的 {LOCK_FILENAME} 文件，然后重新打开软件。\n"
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
