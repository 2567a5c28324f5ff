"""Backups with SQLite's online backup API, kept in ``backups/`` beside the database.

A backup is a consistent snapshot even while the app is writing (the backup API reads one committed state),
written under a temporary name, checked with ``PRAGMA integrity_check``, synced to disk and only then renamed to
its final name, so ``backups/`` never holds half a file. Backups are single files in rollback-journal mode
(no -wal/-shm beside them) and can be opened, listed or copied elsewhere with any SQLite tool.

Names say when and why: ``liubao-20201015-093000-daily.sqlite3``. Only files named like that are ever deleted
(the oldest beyond the newest ``keep``); anything else a clerk drops into the folder is listed, never removed.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..files.os_errors import shown
from ..files.outputs import part_name, remove_leftover_parts
from .connection import Database
from .database import (
    DB_FILENAME,
    DatabaseDamagedError,
    NotOurDatabaseError,
    StorageError,
    check_file,
    connect_read_only,
    fsync_dir,
    fsync_file,
    translate_error,
)
from .schema import SCHEMA_VERSION

log = logging.getLogger(__name__)

BACKUP_DIRNAME = "backups"
DEFAULT_KEEP = 30
KEEP_SETTING = "backup_keep"
REASONS = {
    "daily": "每日自动备份",
    "manual": "手动备份",
    "before_migration": "升级前自动备份",
    "before_restore": "恢复前自动备份",
    "before_bulk": "批量操作前自动备份",
}
_NAME_RE = re.compile(r"^liubao-(\d{8})-(\d{6})(?:-(\d+))?-([a-z_]+)\.sqlite3$")


class BackupError(StorageError):
    pass


@dataclass(frozen=True)
class BackupInfo:
    """One backup file, as the backup list shows it."""

    path: Path
    created: datetime
    reason: str  # a key of REASONS, or "other" for a file not made by the app
    size: int  # bytes
    schema_version: int | None
    orgs: tuple[str, ...]  # names of the 填报单位 with figures, targets or narratives, in seed order
    latest_period: str | None  # "2020-09": the latest month with figures or narratives
    figures: int
    sample: bool  # filled with 示例数据
    problem: str | None  # why it cannot be restored; None for a good backup
    modified_ns: int = 0  # orders backups made within the same second

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, "其他")

    @property
    def size_label(self) -> str:
        if self.size < 1024 * 1024:
            return f"{max(1, round(self.size / 1024))} KB"
        return f"{self.size / 1024 / 1024:.1f} MB"

    @property
    def orgs_label(self) -> str:
        if not self.orgs:
            return "（无填报数据）"
        if len(self.orgs) <= 2:
            return "、".join(self.orgs)
        return f"{'、'.join(self.orgs[:2])}等 {len(self.orgs)} 个单位"

    @property
    def period_label(self) -> str:
        if not self.latest_period:
            return "—"
        year, month = self.latest_period.split("-")
        return f"{year}年{int(month)}月"


def backups_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_DIRNAME


def _name(when: datetime, reason: str, n: int) -> str:
    stamp = when.strftime("%Y%m%d-%H%M%S")
    return f"liubao-{stamp}-{reason}.sqlite3" if n == 0 else f"liubao-{stamp}-{n}-{reason}.sqlite3"


def new_backup_path(folder: Path, reason: str, now: datetime | None = None) -> Path:
    """A backup's name in ``folder`` that is not taken yet: when (to the second, then a count) and why."""
    when = now or datetime.now()
    n = 0
    while (folder / _name(when, reason, n)).exists():
        n += 1
    return folder / _name(when, reason, n)


def _checked_copy(dest: Path, fill: Callable[[sqlite3.Connection], None], *, what: str, failed: str) -> None:
    """``fill(connection)`` writes a database into a temporary file beside ``dest``; it is turned into a single
    file (rollback journal), checked with integrity_check, synced, and only then renamed to ``dest``.
    ``what`` names the source in a failed check; ``failed`` says what did not happen."""
    remove_leftover_parts(dest.parent)
    tmp = part_name(dest)
    try:
        target = sqlite3.connect(tmp)
        try:
            fill(target)
            target.execute("PRAGMA journal_mode=DELETE")
            try:
                rows = [r[0] for r in target.execute("PRAGMA integrity_check").fetchall()]
            except sqlite3.DatabaseError as exc:  # so damaged the check itself cannot finish
                if translate_error(exc, dest).__class__ is not DatabaseDamagedError:
                    raise
                rows = [str(exc)]
        finally:
            target.close()
        if rows != ["ok"]:
            raise BackupError(f"{what}检查未通过（{'；'.join(rows[:3])}），{failed}。")
        fsync_file(tmp)
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
    except (OSError, sqlite3.Error) as exc:
        err = translate_error(exc, dest)  # first: removing the copy frees the room whose lack it may be about
        _remove_with_side_files(tmp)
        raise BackupError(f"{failed}：{err or exc}") from exc
    except BaseException:
        _remove_with_side_files(tmp)
        raise


def _remove_with_side_files(tmp: Path) -> None:
    """The temporary copy, and the -wal and -shm SQLite made beside it (the copy of a WAL ledger is in WAL mode
    until it is turned into a single file: on a full disk that fails with both left there)."""
    for path in (tmp, *(tmp.with_name(tmp.name + side) for side in ("-wal", "-shm", "-journal"))):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def copy_database(src: Path, dest: Path, *, failed: str = "没有生成备份") -> None:
    """A consistent, checked, durable copy of a (possibly live) database; ``dest`` appears only when complete."""

    def fill(target: sqlite3.Connection) -> None:
        try:
            source = connect_read_only(src)
            try:
                source.backup(target)
            finally:
                source.close()
        except sqlite3.Error as exc:
            if not Path(src).is_file():  # not "the destination cannot be written", which SQLite's error would say
                raise BackupError(f"数据文件 {shown(src)} 不见了（刚被删除或移走），{failed}。") from exc
            raise

    _checked_copy(dest, fill, what=f"数据文件 {src} ", failed=failed)


def read_setting(path: Path, key: str) -> str | None:
    try:
        conn = connect_read_only(path)
        try:
            row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def keep_count(value: str | None) -> int:
    try:
        return max(1, int(value)) if value else DEFAULT_KEEP
    except ValueError:
        return DEFAULT_KEEP


def make_backup(db_path: Path, reason: str, *, keep: int | None = None, now: datetime | None = None,
                prune: bool = True) -> Path:
    """Back up the database into ``backups/`` beside it and drop the oldest beyond ``keep`` (default: the
    database's setting ``backup_keep``, else 30). Returns the new file; raises BackupError on failure."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    db_path = Path(db_path)
    folder = backups_dir(db_path.parent)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"备份失败：{translate_error(exc, folder / 'x') or exc}") from exc
    dest = new_backup_path(folder, reason, now)
    copy_database(db_path, dest)
    log.info("backup made (%s): %s", reason, dest)
    if prune:
        prune_backups(folder, keep if keep is not None else keep_count(read_setting(dest, KEEP_SETTING)))
    return dest


def _parse_name(path: Path) -> tuple[datetime, int, str] | None:
    m = _NAME_RE.match(path.name)
    if not m:
        return None
    d, t = m.group(1), m.group(2)  # 8 and 6 digits (the pattern); strptime would load _strptime at every start
    try:
        when = datetime(int(d[:4]), int(d[4:6]), int(d[6:]), int(t[:2]), int(t[2:4]), int(t[4:]))
    except ValueError:  # a day or time that does not exist (20201332): not one of ours
        return None
    return when, int(m.group(3) or 0), m.group(4)


def _mtime_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest app-made backups beyond the newest ``keep``; returns what was deleted."""
    keep = max(1, keep)
    made = sorted(
        ((parsed[0], parsed[1], _mtime_ns(p), p) for p in folder.glob("liubao-*.sqlite3")
         if (parsed := _parse_name(p))),
        reverse=True,
    )
    removed = []
    for *_order, path in made[keep:]:
        try:
            path.unlink()
            removed.append(path)
        except OSError as exc:  # a file we cannot delete only costs disk space
            log.warning("cannot delete old backup %s: %s", path, exc)
    return removed


def inspect_backup(path: Path) -> BackupInfo:
    """What a backup holds, read-only; ``problem`` says why it cannot be restored."""
    path = Path(path)
    parsed = _parse_name(path)
    stat = path.stat()
    created, reason = (parsed[0], parsed[2]) if parsed else (datetime.fromtimestamp(stat.st_mtime), "other")
    base = dict(path=path, created=created, reason=reason, size=stat.st_size, modified_ns=stat.st_mtime_ns)
    try:
        version = check_file(path)
    except NotOurDatabaseError:
        return BackupInfo(**base, schema_version=None, orgs=(), latest_period=None, figures=0, sample=False,
                          problem="不是本软件的数据文件")
    except StorageError as exc:
        problem = "已损坏或不是数据库文件" if isinstance(exc, DatabaseDamagedError) else str(exc)
        return BackupInfo(**base, schema_version=None, orgs=(), latest_period=None, figures=0, sample=False,
                          problem=problem)
    try:
        conn = connect_read_only(path)
        try:
            orgs = tuple(r[0] for r in conn.execute(
                "SELECT name FROM org WHERE id IN (SELECT org_id FROM figure UNION SELECT org_id FROM narrative "
                "UNION SELECT org_id FROM local_target) ORDER BY seq, id"))
            latest = conn.execute(
                "SELECT max(p) FROM (SELECT max(period) AS p FROM figure UNION ALL SELECT max(period) FROM narrative)"
            ).fetchone()[0]
            figures = conn.execute("SELECT count(*) FROM figure").fetchone()[0]
            sample = conn.execute("SELECT value FROM setting WHERE key = 'sample_data'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return BackupInfo(**base, schema_version=version, orgs=(), latest_period=None, figures=0, sample=False,
                          problem=f"不是本软件的数据（{exc}）")
    return BackupInfo(**base, schema_version=version, orgs=orgs, latest_period=latest, figures=figures,
                      sample=bool(sample and sample[0] == "1"), problem=None)


# What each backup holds, by path, valid while the file keeps its size and modification time: the dialog lists
# 30 backups of a few MB each on every refresh, and checking them all (integrity_check reads every page) takes
# ~150 ms from a local disk and seconds from a share. Restoring always checks afresh (``inspect_backup``).
_listed: dict[Path, tuple[tuple[int, int, int], BackupInfo]] = {}


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def inspect_backup_cached(path: Path) -> BackupInfo:
    """``inspect_backup``, remembered until the file's size or modification time changes."""
    path = Path(path)
    sig = _signature(path)
    hit = _listed.get(path)
    if sig is not None and hit is not None and hit[0] == sig:
        return hit[1]
    info = inspect_backup(path)
    if sig is not None and _signature(path) == sig:  # not changed while it was read
        _listed[path] = (sig, info)
    return info


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """Every backup in ``backups/``, newest first (checked once per file version, see ``_listed``)."""
    folder = backups_dir(data_dir)
    if not folder.is_dir():
        return []
    paths = [p for p in folder.glob("*.sqlite3") if p.is_file()]
    present = set(paths)
    for gone in [p for p in _listed if p.parent == folder and p not in present]:
        del _listed[gone]
    infos = [inspect_backup_cached(p) for p in paths]
    return sorted(infos, key=lambda b: (b.created, _parse_name(b.path)[1] if _parse_name(b.path) else 0,
                                        b.modified_ns), reverse=True)


def newest_good_backup(data_dir: Path) -> BackupInfo | None:
    return next((b for b in list_backups(data_dir) if b.ok), None)


def has_backup_on(data_dir: Path, day: date, reason: str = "daily") -> bool:
    folder = backups_dir(data_dir)
    if not folder.is_dir():
        return False
    return any(
        parsed[0].date() == day and parsed[2] == reason
        for p in folder.glob("liubao-*.sqlite3") if (parsed := _parse_name(p))
    )


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def set_aside(db_path: Path, label: str = "damaged", now: datetime | None = None) -> Path:
    """Move a database (with its -wal/-shm, which belong to it) out of the way; it is kept, never deleted."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    kept = db_path.with_name(f"{db_path.name}.{label}-{stamp}")
    n = 1
    while kept.exists():
        kept = db_path.with_name(f"{db_path.name}.{label}-{stamp}-{n}")
        n += 1
    for side in _side_files(db_path):
        if not side.exists():
            continue
        if side.name.endswith("-shm") or side.stat().st_size == 0:
            side.unlink()  # an index rebuilt on every open, or an empty log: nothing of the data's
        else:
            os.replace(side, kept.with_name(kept.name + side.name[len(db_path.name):]))
    os.replace(db_path, kept)
    fsync_dir(db_path.parent)
    return kept


def release_wal(db_path: Path) -> None:
    """Fold the -wal into the database and leave it in rollback-journal mode, so that nothing beside the file
    belongs to it any more. Needs exclusive access: fails (StorageError) while another connection is open."""
    if not db_path.exists():
        return
    try:
        conn = sqlite3.connect(db_path, timeout=2)
        try:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StorageError(f"数据文件正被使用（{exc}），请关闭其他窗口或正在进行的导出后再试。") from exc
    if str(mode).lower() != "delete" or db_path.with_name(db_path.name + "-wal").exists():
        raise StorageError("数据文件正被其他程序使用，请关闭后再试。")


def install_copy(backup: Path, db_path: Path) -> None:
    """Put a copy of ``backup`` in place of ``db_path`` atomically: the old file stays whole until the rename.

    The caller must have closed its connections (see ``release_wal``) and kept a backup of the old file.
    """
    backup_version = check_file(backup)
    if backup_version > SCHEMA_VERSION:  # check_file already refuses; kept explicit for readers
        raise StorageError("备份由更新版本的软件创建，不能恢复。")
    release_wal(db_path)
    tmp = db_path.with_name(db_path.name + ".restoring")
    copy_database(backup, tmp)
    try:
        os.replace(tmp, db_path)
    except OSError as exc:  # e.g. Windows: another program holds the file open
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        err = translate_error(exc, db_path)
        raise (err or StorageError(f"无法替换数据文件 {db_path}（{exc}），数据没有改动。")) from exc
    try:
        fsync_dir(db_path.parent)
    except OSError as exc:  # the rename is done; both files are whole, whichever a power cut keeps
        log.warning("cannot sync %s after restoring: %s", db_path.parent, exc)


def database_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_FILENAME


def copy_open_database(db: Database, dest: Path, note: tuple[str, str] | None = None) -> None:
    """A checked, durable, single-file copy of what an open connection holds, at ``dest`` once complete.

    For a ledger whose file was deleted or replaced under it: the connection still reads its own file (and
    -wal), which no path names any more. ``note`` (operator, text) is written into the copy's backup_log."""

    def fill(target: sqlite3.Connection) -> None:
        db.connection().backup(target)
        if note is not None:
            with target:
                target.execute("INSERT INTO backup_log (at, operator, action, reason, file, note) "
                               "VALUES (?, ?, 'backup', 'rescue', ?, ?)",
                               (datetime.now().isoformat(timespec="seconds"), note[0], dest.name, note[1]))

    _checked_copy(dest, fill, what="软件里保留的数据", failed="没有保存")
