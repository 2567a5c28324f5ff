"""Where a ledger may live: never on a network share (SQLite's locks and WAL are not to be trusted there), and
how one found there is copied onto this PC's disk.

The window's start (``app.py``, ``ui/network_dialog.py``) and ``main.py db copy`` call these.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from ..files.data_folder import DB_FILENAME, SETTINGS_FILENAME, DataFolderError, is_data_folder, prepare
from ..files.durable import fsync_file
from ..files.network_paths import on_network
from ..files.os_errors import describe_os_error, shown
from ..files.outputs import part_name
from ..storage.backup import copy_database
from ..storage.database import check_file
from ..storage.errors import StorageError, network_folder_message

__all__ = ["copy_ledger", "copy_ledger_locally", "database_check", "init_database", "is_database_url",
           "migrate_database", "network_refusal", "place_text"]


def network_refusal(data_dir: Path) -> str | None:
    """The sentence refusing a data folder on a network file system, or None for a folder on this PC."""
    folder = os.path.abspath(data_dir)
    return network_folder_message(folder) if on_network(folder) else None


def copy_ledger_locally(src_dir: Path, dest_dir: Path) -> Path:
    """Copy the ledger of ``src_dir`` (a share, usually) into ``dest_dir`` on this PC's disk; returns the new file.

    The source is only read (a consistent copy through SQLite's backup API, checked with integrity_check before
    it takes its name); ``settings.ini`` comes along, before it. Refused, in Chinese, when the destination is itself
    on a network, already holds a ledger or lies inside a data folder (its backups/, say), or the source holds
    none. A copy that fails (a full disk) leaves nothing: neither settings.ini nor a folder it made."""
    src_dir, dest_dir = Path(os.path.abspath(src_dir)), Path(os.path.abspath(dest_dir))
    src = ledger_file(src_dir)
    if not src.is_file():
        raise StorageError(f"文件夹 {shown(src_dir)} 里没有台账数据文件（{DB_FILENAME}），没有复制。")
    if network_refusal(dest_dir):
        raise StorageError(f"目标文件夹 {shown(dest_dir)} 也在网络共享文件夹上，没有复制。请选择本机磁盘上的文件夹。")
    dest = dest_dir / DB_FILENAME
    if dest.exists():
        raise StorageError(f"目标文件夹 {shown(dest_dir)} 里已经有台账数据文件，没有复制，也没有改动它。请选择一个空文件夹。")
    _refuse_inside_a_data_folder(dest_dir)
    check_file(src)  # a damaged or foreign file is refused before anything is written
    made_folder = not dest_dir.exists()
    try:
        prepare(dest_dir)
    except DataFolderError as exc:
        raise StorageError(str(exc)) from exc
    placed = None
    try:
        # settings.ini first: once the ledger has its name a second run refuses the folder, so a copy killed
        # between the two would stay without the operator and the window's settings for good
        placed = _copy_settings(src_dir / SETTINGS_FILENAME, dest_dir / SETTINGS_FILENAME)
        copy_database(src, dest, failed="没有复制")
    except BaseException:  # a full disk, a kill: nothing of the copy is left behind
        with contextlib.suppress(OSError):
            if placed is not None:
                placed.unlink()
            if made_folder:
                dest_dir.rmdir()  # only when empty
        raise
    return dest


def _data_folder_holding(folder: Path) -> Path | None:
    """The data folder ``folder`` lies inside (as written, or with its links resolved), if any."""
    for candidate in dict.fromkeys((folder, Path(os.path.realpath(folder)))):
        for above in candidate.parents:
            if is_data_folder(above):
                return above
    return None


def _copy_settings(settings: Path, copy: Path) -> Path | None:
    """settings.ini copied whole or not at all (a temporary name, synced, renamed); None when there is none to
    copy or the folder has its own."""
    if not settings.is_file() or copy.exists():
        return None
    tmp = part_name(copy)
    try:
        shutil.copyfile(settings, tmp)
        fsync_file(tmp)
        os.replace(tmp, copy)
    except OSError as exc:
        raise StorageError(f"没有复制：{describe_os_error(exc)}") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return copy


# -- a ledger on a PostgreSQL server (issue 16): psycopg is loaded only when a URL is named -----------------
def is_database_url(text: str | Path) -> bool:
    return str(text).startswith(("postgresql://", "postgres://"))


def place_text(location: str) -> str:
    """Where a ledger is, in the words the window's status bar and title use: 服务器 host/db for a URL (never
    with a password: ``Ledger.location`` has none), 本机数据文件 and its path for a file."""
    if not is_database_url(location):
        return f"本机数据文件 {shown(location)}"
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(location)
    host = parts.hostname or "本机"
    port = f":{parts.port}" if parts.port and parts.port != 5432 else ""
    return f"服务器 {host}{port}/{unquote(parts.path.lstrip('/')) or parts.username or ''}"


def _refuse_inside_a_data_folder(dest_dir: Path) -> None:
    """A copy never goes into a data folder's backups/ or logs/ or a new folder in it: it would be taken for
    that folder's own files (a backup offered for restore)."""
    holder = _data_folder_holding(dest_dir)
    if holder is not None:
        raise StorageError(f"目标文件夹 {shown(dest_dir)} 在台账的数据文件夹 {shown(holder)} 里面，没有复制。"
                           "数据文件夹只放软件自己的文件，请选择别处的一个空文件夹。")


def ledger_file(source: Path) -> Path:
    """``--from`` of ``db copy``: a data folder's ledger, or a ledger file named itself (a backup, such as the copy
    of a server's ledger made before an import: ``backups/server-…/liubao-…-before_bulk.sqlite3``)."""
    return source if source.is_file() else source / DB_FILENAME


def copy_ledger(source: str, target: str) -> tuple[str, list]:
    """``db copy``: folder → folder (``copy_ledger_locally``), folder → PostgreSQL (into an empty database) or
    PostgreSQL → folder, each verified by the row count and a SHA-256 per table. Returns where it went and the
    table checks (empty for folder → folder, which integrity_check verifies)."""
    if is_database_url(source) and is_database_url(target):
        raise StorageError("从数据库服务器到数据库服务器的复制请用 PostgreSQL 自己的 pg_dump / pg_restore。")
    if not is_database_url(source) and not is_database_url(target):
        return str(copy_ledger_locally(Path(source), Path(target))), []
    from ..storage import transfer
    from ..storage.pg import shown_url

    if is_database_url(target):
        src_dir = Path(os.path.abspath(source))
        if not ledger_file(src_dir).is_file():
            raise StorageError(f"文件夹 {shown(src_dir)} 里没有台账数据文件（{DB_FILENAME}），没有复制。")
        return shown_url(target), transfer.sqlite_to_postgresql(ledger_file(src_dir), target)
    dest_dir = Path(os.path.abspath(target))
    if network_refusal(dest_dir):
        raise StorageError(f"目标文件夹 {shown(dest_dir)} 在网络共享文件夹上，没有复制。请选择本机磁盘上的文件夹。")
    _refuse_inside_a_data_folder(dest_dir)
    try:
        prepare(dest_dir)
    except DataFolderError as exc:
        raise StorageError(str(exc)) from exc
    made = dest_dir / DB_FILENAME
    return str(made), transfer.postgresql_to_sqlite(source, made)


def init_database(url: str) -> list:
    """``db init``: the ledger a first start makes (db/seed.sql), on an empty PostgreSQL database."""
    import tempfile

    from ..storage import transfer
    from ..storage.database import create_from_seed

    with tempfile.TemporaryDirectory(prefix="liubao-init-") as folder:
        seed = Path(folder) / DB_FILENAME
        create_from_seed(seed)
        return transfer.init_postgresql(url, seed)


def database_check(url: str) -> tuple[int, list]:
    """``db check``: the server's ledger checked; its version and table checks."""
    from ..storage import transfer

    return transfer.check_postgresql(url)


def migrate_database(url: str) -> tuple[int, int]:
    """``db migrate``: the server's ledger brought up to this version's schema in one transaction, then checked;
    the version before and after (equal when it was current)."""
    from ..storage import pg

    return pg.migrate(url)
