"""Keeping the office's data safe: daily and manual backups, restore, and recovery from a damaged file.

The UI and the start-up code call these; the file work itself is in ``storage.backup``. Every restore is
preceded by a backup of the current database, swaps the file atomically, and leaves a trail: the changes the
restore undid appear in the audit log with source ``restore``, and ``backup_log`` says who restored which file.
"""
from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..files.outputs import LEDGER_COPY, OutputError, check_output
from ..storage import backup as _backup
from ..storage.backup import (
    DEFAULT_KEEP,
    REASONS,
    BackupError,
    BackupInfo,
    backups_dir,
    database_path,
    has_backup_on,
    inspect_backup,
    list_backups,
    newest_good_backup,
)
from ..storage.database import (
    DatabaseDamagedError,
    DatabaseTooNewError,
    DiskFullError,
    ReadOnlyError,
    StorageError,
    check_file,
    connect_read_only,
    translate_error,
)
from ..storage.queries import read_backup_log, read_state, read_trail
from .ledger import Ledger, now_text
from .preferences import KEPT_IF_MISSING_PREFIXES

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_KEEP", "REASONS", "BackupError", "BackupInfo", "DatabaseDamagedError", "DatabaseTooNewError",
    "DiskFullError", "ReadOnlyError", "RestoreError", "RestoreResult", "StorageError", "backup_keep", "backup_now",
    "backup_to_file", "check_ledger_file", "backups_dir", "default_backup_file_name", "inspect_backup", "list_backups",
    "newest_good_backup", "open_ledger", "replace_damaged_database", "rescue_lost_ledger", "restore_backup",
    "restore_from_file",
    "set_backup_keep", "start_of_day",
]


# -- start-up ----------------------------------------------------------------------------------------
def start_of_day(data_dir: Path, today: date | None = None) -> Path | None:
    """The first start of a day backs the database up (before it is opened for writing). Returns the new
    backup, or None when there is nothing to back up, today's backup exists, or the backup failed (logged:
    a failed backup must not keep the clerk from working; the start-up check reports a damaged file)."""
    path = database_path(data_dir)
    today = today or date.today()
    if not path.exists() or has_backup_on(data_dir, today, "daily"):
        return None
    try:
        now = datetime.now()
        when = now if now.date() == today else datetime.combine(today, now.time())
        return _backup.make_backup(path, "daily", now=when)
    except StorageError as exc:
        log.warning("daily backup failed: %s", exc)
        return None


def open_ledger(data_dir: Path) -> Ledger:
    """The ledger of a data folder (created from the seed on first start). An older schema is backed up, then
    migrated; a damaged file, a non-database or a newer schema raises StorageError and is left untouched."""
    return Ledger.open(data_dir)


def check_ledger_file(data_dir: Path) -> str | None:
    """Read-only integrity check of a data folder's database, for the crash dialog: None when sound, else
    what is wrong, in Chinese. Never writes a byte."""
    path = database_path(data_dir)
    if not path.exists():
        return f"找不到数据文件 {path}（可能被删除或移走了）"
    try:
        check_file(path)
    except StorageError as exc:
        return str(exc)
    return None


def replace_damaged_database(data_dir: Path, backup: Path) -> Path:
    """Start-up recovery: move the damaged file aside (kept, with its -wal, never deleted) and put a copy of
    ``backup`` in its place. Returns where the damaged file now is."""
    info = inspect_backup(backup)
    if not info.ok:
        raise BackupError(f"这个备份不能用来恢复：{info.problem}")
    path = database_path(data_dir)
    kept = _backup.set_aside(path) if path.exists() else path
    _backup.install_copy(backup, path)
    log.warning("damaged database %s set aside as %s, restored from %s", path, kept, backup)
    return kept


# -- settings ----------------------------------------------------------------------------------------
def backup_keep(ledger: Ledger) -> int:
    return ledger.preferences.backup_keep()


def set_backup_keep(ledger: Ledger, keep: int) -> None:
    ledger.preferences.set_backup_keep(keep)


# -- backups -----------------------------------------------------------------------------------------
def backup_now(ledger: Ledger, reason: str = "manual") -> Path:
    """Back up the open ledger's database; a manual backup is also noted in ``backup_log``."""
    made = _backup.make_backup(ledger.path, reason, keep=backup_keep(ledger))
    if reason == "manual":
        with ledger.transaction():
            ledger.store.log_backup(at=now_text(), operator=ledger.operator, action="backup", reason=reason,
                                    file=made.name)
    return made


def backup_to_file(ledger: Ledger, dest: Path) -> Path:
    """A fresh backup of the open ledger written to a file the clerk chose (a USB stick, a share, the new PC):
    the same online, checked copy as a backup in ``backups/``, complete or not there at all. Noted in
    ``backup_log``. Raises BackupError (in Chinese) when it cannot be written."""
    try:
        dest = check_output(dest, LEDGER_COPY, ledger.path.parent)
    except OutputError as exc:
        raise BackupError(f"备份失败：{exc}") from exc
    _backup.copy_database(ledger.path, dest)
    with ledger.transaction():
        ledger.store.log_backup(at=now_text(), operator=ledger.operator, action="backup", reason="to_file",
                                file=str(dest))
    log.info("backup written to %s", dest)
    return dest


def rescue_lost_ledger(ledger: Ledger, dest: Path | None = None) -> Path:
    """Save what an open ledger still holds after its file was deleted or replaced under it.

    Without ``dest`` the copy goes back to the ledger's own path, which must be free (the file was deleted):
    the ledger is closed first (SQLite folds and removes its -wal), any log left beside the path is moved
    into ``aside/``, and only then is the copy renamed into place, so the next start opens it. With ``dest``
    (a file the clerk chose) the data folder is left alone. Either way the ledger is closed afterwards: the
    window must quit. Raises BackupError (Chinese) when nothing could be saved; the ledger stays open then."""
    note = (ledger.operator, "数据文件在软件打开期间丢失后，由软件里保留的数据另存")
    if dest is None:
        if ledger.path.exists():
            raise BackupError(f"原来的位置 {ledger.path} 已有另一个文件，请另选位置保存。")
        folder = ledger.path.parent
        staged = folder / f".~{ledger.path.name}.rescued"
        _backup.copy_open_database(ledger.db, staged, note)
        ledger.close()
        from ..storage.stray_logs import set_aside_stray_logs

        for notice in set_aside_stray_logs(ledger.path):
            log.warning("%s", notice)
        if ledger.path.exists():  # someone put a file there meanwhile: keep both
            kept = folder / f"{ledger.path.name}.rescued-{datetime.now():%Y%m%d-%H%M%S}"
            os.replace(staged, kept)
            return kept
        os.replace(staged, ledger.path)
        _backup.fsync_dir(folder)
        return ledger.path
    try:
        dest = check_output(dest, LEDGER_COPY, ledger.path.parent)
    except OutputError as exc:
        raise BackupError(f"保存失败：{exc}") from exc
    _backup.copy_open_database(ledger.db, dest, note)
    ledger.close()
    return dest


def default_backup_file_name(day: date | None = None) -> str:
    return f"六保台账备份-{(day or date.today()):%Y%m%d}.sqlite3"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: from which backup, the safety copy made first, how much changed."""

    restored_from: Path
    safety_backup: Path  # the database as it was just before the restore
    changes: int  # figures, targets and narrative fields that the restore changed

    @property
    def message(self) -> str:
        what = _source_label(self.restored_from)
        return (f"已从{what} 恢复，改动了 {self.changes} 项数据。"
                f"恢复前的数据已备份为 {self.safety_backup.name}，可以随时恢复回去。")


class RestoreError(StorageError):
    """A restore that did not happen or did not complete; ``str()`` says which, in Chinese.

    ``reopened`` is True when the ledger was closed and opened again on the way (on the old or the restored
    file): whatever shows its data must then reload (``MainWindow.reopen_ledger``)."""

    def __init__(self, message: str, *, reopened: bool) -> None:
        super().__init__(message)
        self.reopened = reopened


def _source_label(path: Path) -> str:
    """备份 liubao-….sqlite3 for a file in a backups/ folder, 文件 E:\\…\\x.sqlite3 for any other."""
    return f"备份 {path.name}" if path.parent.name == _backup.BACKUP_DIRNAME else f"文件 {path}"


# What a restore does not take from the restored file. Who sits here (the operator) and the office the window opens
# on are not in the ledger at all (settings.ini; the Ledger keeps signing with the operator across the reopen); how
# many backups to keep always wins; an office's "本单位对应的责任单位" list (own_units:<org>) is put back only where the
# restored file has none — a choice made after the backup was taken is not undone by restoring it.
_KEEP_IF_MISSING_PREFIX = KEPT_IF_MISSING_PREFIXES[0]


def _kept_settings(ledger: Ledger) -> dict[str, str]:
    return ledger.store.settings_named((), _KEEP_IF_MISSING_PREFIX)


def _carry_over(ledger: Ledger, keep: int, kept_settings: dict[str, str]) -> None:
    set_backup_keep(ledger, keep)
    org_codes = {o.code for o in ledger.orgs()}
    for key, value in kept_settings.items():
        if ledger.setting(key) is not None:
            continue
        if key.startswith(_KEEP_IF_MISSING_PREFIX) and key[len(_KEEP_IF_MISSING_PREFIX):] not in org_codes:
            continue  # an office added after the backup was taken
        ledger.set_setting(key, value)


def restore_backup(ledger: Ledger, backup: Path) -> RestoreResult:
    """Replace the open ledger's database with a backup, while the app keeps running.

    1. the backup is checked (refused if damaged, not this app's data or from a newer version); 2. the current
    database is backed up; 3. the ledger's connection is closed and the backup's copy swapped in with one
    atomic rename; 4. the ledger is reopened in place (an older backup is migrated); 5. the audit trail since
    the backup is carried over, every value the restore changed is recorded with source ``restore``, and the
    settings a restore keeps are carried over (``_carry_over``) — in one transaction.
    All or nothing: if 4 or 5 fails, the file from 2 is put back. Every failure after 2 raises RestoreError
    (a StorageError, in Chinese) saying whether the ledger was reopened. Afterwards — also after a
    RestoreError with ``reopened`` — the caller reloads whatever it shows (``MainWindow.reopen_ledger``).
    """
    backup = Path(backup)
    if _same_file(backup, ledger.path):
        raise BackupError("这就是正在使用的数据文件，不能用它来恢复。")
    info = inspect_backup(backup)  # afresh, never the list's cached answer
    if not info.ok:
        raise BackupError(f"这个{'备份' if info.reason != 'other' else '文件'}不能用来恢复：{info.problem}")
    # not pruned yet: with a full folder, pruning could delete the very backup being restored
    safety = _backup.make_backup(ledger.path, "before_restore", prune=False)
    workstation, keep, kept_settings = ledger.workstation, backup_keep(ledger), _kept_settings(ledger)
    ledger.close()
    try:
        _backup.install_copy(backup, ledger.path)
    except Exception as exc:  # the old file is untouched: carry on with it
        raise _failed(ledger, exc, "没有恢复，当前数据没有改动") from exc
    try:
        ledger.reopen()
        with ledger.transaction():
            ledger.workstation = workstation  # this PC and its operator, whatever the restored file holds
            changes = _record_restore(ledger, safety, backup)
            _carry_over(ledger, keep, kept_settings)
    except Exception as exc:
        log.exception("restore from %s failed after the swap; putting %s back", backup, safety)
        try:
            ledger.close()
            _backup.install_copy(safety, ledger.path)
        except Exception:
            log.exception("cannot put %s back", safety)
            raise _failed(ledger, exc, f"恢复没有完成（修改记录没有写上）。恢复前的数据在备份 {safety.name} 中，"
                                       "可以在“备份 / 恢复”中恢复回去") from exc
        raise _failed(ledger, exc, "恢复没有完成，数据已还原为恢复前的样子") from exc
    _backup.prune_backups(backups_dir(ledger.path.parent), keep)
    log.warning("restored %s from %s (%d changes); previous data in %s", ledger.path, backup, changes, safety)
    return RestoreResult(backup, safety, changes)


def restore_from_file(ledger: Ledger, path: Path) -> RestoreResult:
    """Restore from any file the clerk picks (a backup copied to a USB stick, the data file of the old PC).
    The file passes the same checks as a backup — SQLite header, integrity_check, a schema version not newer than
    this app's, the plan in it — and goes the same way: the current data is backed up first, the file is
    swapped in atomically, every change is traced. The picked file itself is only read."""
    return restore_backup(ledger, path)


def _failed(ledger: Ledger, exc: BaseException, what: str) -> RestoreError:
    """The RestoreError for ``exc``; reopens the ledger on whatever file is in place now."""
    reason = exc if isinstance(exc, StorageError) else (translate_error(exc, ledger.path) or exc)
    reopened = True
    if ledger.db.is_closed():
        try:
            ledger.reopen()
        except Exception:
            log.exception("cannot reopen %s after a failed restore", ledger.path)
            reopened = False
    tail = "" if reopened else "。数据文件暂时无法打开，请关闭软件后重新打开"
    return RestoreError(f"{what}：{reason}{tail}", reopened=reopened)


# -- the trail of a restore ----------------------------------------------------------------------------
# The columns of read_trail / read_backup_log rows, by the names the store's writers take.
_TRAIL_COLS = ("at", "operator", "source", "entity", "org", "target", "measure", "period", "field", "old", "new",
               "note", "workstation")
_LOG_COLS = ("at", "operator", "action", "reason", "file", "note")


def _record_restore(ledger: Ledger, before_file: Path, backup: Path) -> int:
    operator, pc = ledger.operator, ledger.workstation.pc
    conn = connect_read_only(before_file)
    try:
        before = read_state(conn)
        before_trail = read_trail(conn)
        before_log = read_backup_log(conn)
    finally:
        conn.close()
    raw = ledger.db.connection()
    after = read_state(raw)
    restored_trail = Counter(read_trail(raw))
    restored_log = Counter(read_backup_log(raw))
    org_codes = {o.code for o in ledger.orgs()}
    note = f"从{_source_label(backup)} 恢复"
    stamp = now_text()
    changes = 0
    with ledger.transaction():
        # 1. what happened after the backup was taken stays visible (the restored file does not know it)
        for row in before_trail:
            if restored_trail[row]:
                restored_trail[row] -= 1
                continue
            values = dict(zip(_TRAIL_COLS, row, strict=True))
            ledger.store.append_audit(**values)
        for row in before_log:
            if restored_log[row]:
                restored_log[row] -= 1
                continue
            ledger.store.log_backup(**dict(zip(_LOG_COLS, row, strict=True)))
        # 2. every value the restore changed, old → new
        for key in sorted(set(before) | set(after), key=lambda k: tuple("" if v is None else v for v in k)):
            old, new = before.get(key), after.get(key)
            if key[4] == "已完成":
                old, new = old or "否", new or "否"
            if old == new:
                continue
            entity, org, code, period, field = key
            ledger.store.append_audit(
                at=stamp, operator=operator, workstation=pc, source="restore", entity=entity, org=org,
                target=code if entity != "narrative" else None, measure=code if entity == "narrative" else None,
                period=period, field=field, old=old, new=new,
                note=note if org in org_codes else f"{note}（单位 {org} 不在备份中）",
            )
            changes += 1
        shown = backup.name if backup.parent.name == _backup.BACKUP_DIRNAME else str(backup)
        ledger.store.log_backup(at=stamp, operator=operator, action="restore", reason="restore", file=shown,
                                note=f"恢复前的数据备份为 {before_file.name}；改动 {changes} 项")
    return changes
