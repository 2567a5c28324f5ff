"""Opening the SQLite file: create from the seed on first start, check it, refuse what we must not touch.

Durability settings follow SQLite's own advice for data that must survive a power cut: WAL with
synchronous=FULL, so a commit that returned is on disk.

The file is checked through a read-only connection *before* the durability pragmas are applied, because
switching a file to WAL mode already writes to it: a damaged file, a file that is not a database, or a file
from a newer version of the app is refused byte for byte untouched.
"""
from __future__ import annotations

import contextlib
import contextvars
import errno
import logging
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath, PureWindowsPath
from typing import NoReturn
from urllib.parse import quote

from ..files import network_paths
from ..files.data_folder import make_private
from ..files.durable import fsync_dir, fsync_file
from .connection import Database
from .errors import (
    DatabaseDamagedError,
    DatabaseTooNewError,
    DiskFullError,
    NetworkFolderError,
    NotOurDatabaseError,
    ReadOnlyError,
    StorageError,
)
from .schema import SCHEMA_VERSION
from .seed_sql import SEED_PATH
from .stray_logs import set_aside_stray_logs
from .watched_file import WatchedDatabase

log = logging.getLogger(__name__)

DB_FILENAME = "liubao.sqlite3"
SQLITE_MAGIC = b"SQLite format 3\x00"
PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 5000,
}

# SQLite primary result codes (https://www.sqlite.org/rescode.html)
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

_CODES_BY_TEXT = (
    ("readonly", SQLITE_READONLY),
    ("disk is full", SQLITE_FULL),
    ("unable to open", SQLITE_CANTOPEN),
    ("disk i/o error", SQLITE_IOERR),
    ("malformed", SQLITE_CORRUPT),
    ("not a database", SQLITE_NOTADB),
    ("database is locked", SQLITE_BUSY),
)

# A reader beside a running window (see ``reading_beside_running_copy``): never writes a byte.
READER_PRAGMAS = {
    "query_only": 1,
    "foreign_keys": 1,
    "busy_timeout": 5000,
}

SAFE = "已保存的数据不受影响。"

# Told of every database opened, once it is ready. ``storage.models`` (peewee, loaded by tests and developer
# tools only — never at start-up) binds its models to each file opened after it is imported.
opened: list[Callable[[WatchedDatabase], None]] = []


def _opened(db: WatchedDatabase) -> WatchedDatabase:
    for hook in opened:
        hook(db)
    return db


def _is_peewee_error(exc: BaseException) -> bool:
    """An error of peewee's (which wraps sqlite3's): only possible once something has imported peewee."""
    peewee = sys.modules.get("peewee")
    return peewee is not None and isinstance(exc, peewee.PeeweeException)


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of an error raised by sqlite3 (or by peewee, which wraps sqlite3's)."""
    for candidate in (exc, getattr(exc, "orig", None)):
        code = getattr(candidate, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF
    text = str(exc).lower()
    for needle, code in _CODES_BY_TEXT:
        if needle in text:
            return code
    return None


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        todo += [e.__cause__, e.__context__]
    return seen


def translate_error(exc: BaseException, path: Path) -> StorageError | None:
    """A Chinese StorageError for disk and file problems; None for anything else (a bug must stay a bug).

    Looks through the exception's chain: the real cause may be the context of the error that surfaced (a
    failed write whose rollback failed too)."""
    for e in _chain(exc):
        err = _translate_one(e, Path(path))
        if err is not None:
            return err
    return None


def raise_translated(exc: BaseException, path: Path) -> NoReturn:
    """Re-raise a disk or file problem as its Chinese StorageError; anything else unchanged (a bug stays a bug)."""
    err = translate_error(exc, path)
    if err is None:
        raise exc
    raise err from exc


def _translate_one(exc: BaseException, path: Path) -> StorageError | None:
    if isinstance(exc, StorageError):
        return exc
    folder = Path(path).parent
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        if exc.errno == errno.ENOSPC:
            return DiskFullError(f"磁盘空间已满（{folder} 所在的磁盘），刚才的操作没有完成。{SAFE}请清理磁盘后再试。")
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return ReadOnlyError(
                f"数据文件夹 {folder} 不能写入（只读或没有权限），刚才的操作没有完成。{SAFE}"
                "请把数据文件夹改为可写，或用 --data-dir 指定其他文件夹。"
            )
        return None
    if not isinstance(exc, sqlite3.Error) and not _is_peewee_error(exc):
        return None
    code = sqlite_code(exc)
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM):
        return ReadOnlyError(
            f"数据文件夹 {folder} 不能写入（只读、没有权限或被其他程序占用），刚才的修改没有保存。{SAFE}"
            "请把数据文件夹改为可写，或用 --data-dir 指定其他文件夹。"
        )
    if code == SQLITE_FULL or code == SQLITE_IOERR and _no_space_left(folder):
        return DiskFullError(
            f"磁盘空间已满（{folder} 所在的磁盘），刚才的修改没有保存。{SAFE}请清理磁盘后再试。"
        )
    if code == SQLITE_IOERR:
        return StorageError(f"读写数据文件时磁盘出错（{folder}），刚才的修改没有保存。{SAFE}请检查磁盘或 U 盘后再试。")
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return StorageError(f"数据文件正被其他程序占用（{path}），刚才的修改没有保存。{SAFE}请关闭占用它的程序后再试。")
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DatabaseDamagedError(f"数据文件 {path} 已损坏（{exc}），软件没有改动它。")
    return None


def _no_space_left(folder: Path) -> bool:
    """A disk with no room left: SQLite says "disk I/O error" when the -shm beside a file cannot grow there
    (SQLITE_IOERR_SHMSIZE), where a clerk must read that the disk is full."""
    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False


def refuse_network_folder(folder: Path) -> None:
    """NetworkFolderError when ``folder`` is on a network file system: SQLite's locks and its WAL (shared memory
    beside the file) do not work there, so a ledger on a share is never opened — in WAL mode or any other."""
    if network_paths.on_network(os.path.abspath(folder)):
        raise NetworkFolderError(folder)


def create_from_seed(path: Path, seed_path: Path = SEED_PATH) -> None:
    """Build the database next to its final place, then rename: a crash never leaves half a seed behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    make_private(path.parent)  # a new ledger's folder is its owner's alone, however it was made
    tmp = path.with_name(path.name + ".creating")
    tmp.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript(seed_path.read_text(encoding="utf-8"))
            conn.commit()
        finally:
            conn.close()
        fsync_file(tmp)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def check_header(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        what = "是空文件" if not head else "文件头不对"
        raise DatabaseDamagedError(f"数据文件 {path} 不是本软件的数据库（{what}），软件没有改动它。")


def sqlite_uri(path: PurePath, mode: str = "ro") -> str:
    """A ``file:`` URI for SQLite naming ``path`` (absolute), with every special character percent-encoded.

    SQLite accepts only an empty authority (or ``localhost``) — ``file://server/share/x`` is refused with
    "invalid uri authority" — so a Windows UNC path ``\\\\server\\share\\x`` is written with an empty
    authority, ``file:////server/share/x``, and a drive path as ``file:///C:/x``. Space, ``#``, ``?``, ``%``
    and non-ASCII (数据) become ``%XX`` of their UTF-8 bytes, which SQLite decodes back."""
    if not path.is_absolute():
        raise ValueError(f"not an absolute path: {path}")
    if isinstance(path, PureWindowsPath):
        text = str(path)
        if text.startswith("\\\\?\\UNC\\"):  # \\?\UNC\server\share → \\server\share
            text = "\\\\" + text[8:]
        elif text.startswith("\\\\?\\"):  # \\?\C:\x → C:\x
            text = text[4:]
        text = text.replace("\\", "/")
        if not text.startswith("//"):
            text = "/" + text  # C:/x → /C:/x, so the URI reads file:///C:/x
    else:
        text = str(path)
    # surrogateescape: a POSIX name that is not valid UTF-8 keeps its original bytes
    encoded = quote(text, safe="/:", encoding="utf-8", errors="surrogateescape")
    return f"file://{encoded}?mode={mode}"


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the database file, nor add files beside it when it has no -wal.

    ``absolute()``, not ``resolve()``: on Windows resolve() turns a mapped drive (Z:) into its UNC path."""
    path = Path(path).absolute()
    uri = sqlite_uri(path)
    if not path.with_name(path.name + "-wal").exists():
        # Nothing to replay, and nobody writing (a writer keeps a -wal): read the file as it is, without
        # leaving the -wal/-shm a read-only connection would create and cannot remove.
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def check_file(path: Path) -> int:
    """Header, ``PRAGMA integrity_check`` (a few ms on an office's ledger), schema version and the plan of a database file, read-only; returns
    the schema version.

    Raises DatabaseDamagedError (NotOurDatabaseError for a sound SQLite file of another program, or one
    without a schema version or a plan), DatabaseTooNewError, or ReadOnlyError and the like for folder problems.
    """
    path = Path(path)
    check_header(path)
    try:
        conn = connect_read_only(path)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            has_plan = rows == ["ok"] and _has_plan(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        err = translate_error(exc, path)
        if err is None or isinstance(err, DatabaseDamagedError):
            raise DatabaseDamagedError(f"数据文件 {path} 已损坏（{exc}），软件没有改动它。") from exc
        raise err from exc
    if rows != ["ok"]:
        detail = "；".join(rows[:3])
        detail = detail if len(detail) <= 300 else detail[:300] + "…"
        raise DatabaseDamagedError(f"数据文件 {path} 已损坏，完整性检查未通过（{detail}）。软件没有改动它。")
    if version > SCHEMA_VERSION:
        raise DatabaseTooNewError(
            f"这个数据文件由更新版本的软件创建（结构版本 {version}，本软件支持到 {SCHEMA_VERSION}），"
            "为避免损坏数据，本软件不会打开它。请安装新版本。"
        )
    if version < 1 or not has_plan:
        why = "没有结构版本号" if version < 1 else "里面没有方案数据"
        raise NotOurDatabaseError(
            f"文件 {path} 是 SQLite 数据库，但不是“六保任务台账”的数据（{why}），可能是其他软件的文件。"
            "软件没有改动它。"
        )
    return version


def _has_plan(conn: sqlite3.Connection) -> bool:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'plan'").fetchone():
        return False
    try:
        return conn.execute("SELECT count(*) FROM plan").fetchone()[0] > 0
    except sqlite3.DatabaseError:  # a table named plan with other columns, a view …: not ours
        return False


def integrity_problems(db: Database) -> list[str]:
    """``PRAGMA integrity_check`` of an open database: [] when sound. (quick_check misses an index that lacks
    entries — exactly what a log replayed into the wrong file leaves behind.)"""
    rows = [r[0] for r in db.execute_sql("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def schema_version(db: Database) -> int:
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def backup_before_migration(path: Path, version: int) -> None:
    from .backup import make_backup

    try:
        made = make_backup(path, "before_migration")
    except StorageError as exc:
        raise StorageError(f"升级数据结构（版本 {version} → {SCHEMA_VERSION}）前无法备份，没有升级，数据未改动：{exc}") from exc
    log.info("backed up %s before migrating from schema %s: %s", path, version, made)


_reading_beside = contextvars.ContextVar("reading_beside_running_copy", default=False)


@contextlib.contextmanager
def reading_beside_running_copy() -> Iterator[None]:
    """Inside this block ``open_database`` opens for reading only, beside a running copy of the app that holds
    the data folder's lock (the window): it never creates, migrates or writes anything (``query_only``, the
    journal mode left as it is), and refuses an older schema instead of migrating it without the lock.

    The headless commands that only read (plan, export, tasks) use it so that they work while the window is
    open; SQLite's WAL mode lets a reader run beside the writer. Each connection reads one snapshot (a read
    transaction from the first query to ``close()``), so a workbook never mixes data from before and after an
    edit made in the window meanwhile."""
    token = _reading_beside.set(True)
    try:
        yield
    finally:
        _reading_beside.reset(token)


def _open_for_reading(path: Path) -> WatchedDatabase:
    if not path.exists():
        raise StorageError(f"找不到数据文件 {path}。")
    version = check_file(path)
    if version < SCHEMA_VERSION:
        raise StorageError(
            f"数据文件的结构版本较旧（{version}，本软件为 {SCHEMA_VERSION}），需要先升级，"
            "而升级只能在没有其他窗口使用这个数据文件夹时进行。软件没有改动它。"
            "请关闭已经打开的“六保任务台账”窗口后再运行这个命令（或重新打开窗口，由窗口完成升级）。"
        )
    db = WatchedDatabase(path, pragmas=READER_PRAGMAS, check_same_thread=False)
    try:
        db.connect()
        db.execute_sql("BEGIN")  # one snapshot until close(); the window may commit meanwhile
        db.execute_sql("SELECT count(*) FROM sqlite_master")  # the first read opens -wal/-shm: fail here, in words
    except sqlite3.Error as exc:
        with contextlib.suppress(Exception):
            db.close()
        raise_translated(exc, path)
    return _opened(db)


def open_database(
    path: Path,
    *,
    create: bool = True,
    before_migration: Callable[[Path, int], None] | None = backup_before_migration,
) -> WatchedDatabase:
    """Open (or on first start create) the database.

    Older schema versions are migrated after ``before_migration`` (by default a backup into ``backups/``);
    damaged files, non-databases and newer versions are refused without a byte written. Inside
    ``reading_beside_running_copy()`` the file is only read (see there).
    """
    path = Path(path)
    refuse_network_folder(path.parent)
    if _reading_beside.get():
        return _open_for_reading(path)
    notices = set_aside_stray_logs(path)  # before anything lets SQLite replay them
    if not path.exists():
        if not create:
            raise StorageError(f"找不到数据文件 {path}。")
        try:
            create_from_seed(path)
        except (OSError, sqlite3.Error) as exc:
            raise_translated(exc, path)
    version = check_file(path)
    if version < SCHEMA_VERSION:
        from .migrations import check_steps

        check_steps(version)  # before the pragmas below write to the file
    db = WatchedDatabase(path, pragmas=PRAGMAS, check_same_thread=False)
    db.notices.extend(notices)
    try:
        db.connect()
        if version < SCHEMA_VERSION:
            if before_migration:
                before_migration(path, version)
            from .migrations import migrate

            migrate(db, version)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(Exception):
            db.close()
        raise_translated(exc, path)
    except BaseException:
        with contextlib.suppress(Exception):
            db.close()
        raise
    return _opened(db)
