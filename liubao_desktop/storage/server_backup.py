"""This PC's backups of a ledger on a PostgreSQL server (issue 16). Before an import or a plan import writes to the
server, the server's ledger is copied whole into a SQLite file here — read on the ledger's own connection in one
snapshot (so a password typed for the session serves, and a lost connection is made again as for any read), written
by ``transfer.write_sqlite``, every table verified by its row count and SHA-256 before the file takes its name — so
the clerk can always get the data back without the server's administrator.

They live in a sub-folder of this PC's ``backups/`` per server database — ``backups/server-<host>[-<port>]-<db>/`` —
named as every backup is (``liubao-20201015-093000-before_bulk.sqlite3``), newest 30 kept there (or the server
ledger's ``backup_keep``). Not in ``backups/`` itself: what is listed there is restored over this PC's own ledger file,
which a copy of the server's ledger is not. The way back is ``main.py db copy --from FILE --to postgresql://…`` into
an empty database (or ``--to`` a folder, for an offline copy).
"""
from __future__ import annotations

import logging
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import transfer
from .backup import (
    KEEP_SETTING,
    BackupError,
    backups_dir,
    keep_count,
    new_backup_path,
    prune_backups,
    read_setting,
)
from .database import translate_error
from .pg import PgDatabase

log = logging.getLogger(__name__)

FOLDER_PREFIX = "server-"


def server_backups_dir(data_dir: Path, url: str) -> Path:
    """Where this PC keeps its backups of the ledger at ``url``: one folder per host, port and database."""
    parts = urlsplit(url)
    database = unquote(parts.path.lstrip("/")) or parts.username or "postgres"
    label = "-".join(str(p) for p in (parts.hostname or "localhost", parts.port, database) if p)
    return backups_dir(data_dir) / (FOLDER_PREFIX + re.sub(r"[^\w.-]", "_", label))


def backup_server_ledger(db: PgDatabase, data_dir: Path, reason: str, *, now: datetime | None = None) -> Path:
    """Copy the server's ledger open in ``db`` into a new, verified SQLite file in ``server_backups_dir``; returns
    it. Older ones beyond the newest ``backup_keep`` (the server ledger's setting, else 30) are deleted. BackupError
    (or the server's own ServerError) when no backup could be made: then nothing may be written to the server."""
    folder = server_backups_dir(data_dir, db.database)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fresh = not db.in_transaction()  # else read inside the caller's transaction, as it sees the ledger
        with db.atomic():
            if fresh:  # the transaction's first statement: every table read from one snapshot
                db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            data = transfer.read_tables(lambda sql: db.execute_sql(sql).fetchall())
        dest = new_backup_path(folder, reason, now)
        transfer.write_sqlite(data, dest)
    except (OSError, sqlite3.Error) as exc:
        err = translate_error(exc, folder / "x")
        raise BackupError(f"服务器台账的本机备份没有做成，没有写入服务器：{err or exc}") from exc
    log.info("server ledger backed up (%s): %s", reason, dest)
    prune_backups(folder, keep_count(read_setting(dest, KEEP_SETTING)))
    return dest
