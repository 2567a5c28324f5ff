"""A whole ledger copied between engines (issue 16): a SQLite file into an empty PostgreSQL database, and a
PostgreSQL ledger back into a new SQLite file — every table, row for row with its ids, verified by the row count
and a SHA-256 checksum per table on both sides before the copy is committed (PostgreSQL) or takes its name
(SQLite). The source is only read, in one snapshot.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from ..files.durable import fsync_dir, fsync_file
from . import pg
from .database import check_file, connect_read_only
from .errors import StorageError
from .schema import SCHEMA_VERSION, schema_sql, table_names

NULL = "\\N"


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int
    sha256: str


def _text(value: object) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def table_check(table: str, rows: Iterable[Sequence[object]]) -> TableCheck:
    """Count and checksum of a table's rows, independent of the engine's order and collation: each row as its
    values' text joined by U+001F, the rows sorted, hashed with a newline after each."""
    lines = sorted("\x1f".join(_text(v) for v in row) for row in rows)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8", "surrogatepass") + b"\n")
    return TableCheck(table, len(lines), digest.hexdigest())


@contextmanager
def _server(url: str) -> Iterator[psycopg.Connection]:
    """A connection to the server for one piece of work, its errors in Chinese (``pg.server_errors``), closed after."""
    conn = pg.connect(url)
    try:
        with pg.server_errors(url):
            yield conn
    finally:
        conn.close()


def _columns() -> dict[str, list[str]]:
    return pg.expected_columns()


def _select(table: str, cols: list[str]) -> str:
    return f"SELECT {', '.join(cols)} FROM {table}"


def _compare(source: list[TableCheck], copied: list[TableCheck]) -> None:
    for s, c in zip(source, copied, strict=True):
        if s != c:
            raise StorageError(f"复制后核对不一致：表 {s.table} 来源 {s.rows} 行（{s.sha256[:12]}…），"
                               f"副本 {c.rows} 行（{c.sha256[:12]}…）。副本没有保存，来源没有改动。")


def sqlite_to_postgresql(src: Path, url: str) -> list[TableCheck]:
    """Copy the SQLite ledger ``src`` into the empty database at ``url``; returns the verified checks. A file of an
    older schema is refused: the server takes the current one, and only opening the file migrates it (backed up
    first)."""
    version = check_file(src)
    if version < SCHEMA_VERSION:
        raise StorageError(f"数据文件 {src} 是旧版本的结构（结构版本 {version}，本软件为 {SCHEMA_VERSION}），没有复制。"
                           "请先在本机用本软件打开它一次（打开时先备份再升级；在共享文件夹上的先复制到本机），再复制。")
    columns = _columns()
    source = connect_read_only(src)
    try:
        source.execute("BEGIN")  # one snapshot of every table
        data = {t: source.execute(_select(t, columns[t])).fetchall() for t in table_names()}
    finally:
        source.close()
    expected = [table_check(t, data[t]) for t in table_names()]
    with _server(url) as conn:
        pg.require_empty(conn, url)
        with conn.transaction():
            pg.create_schema(conn)
            with conn.cursor() as cur:
                for table in table_names():
                    cols = columns[table]
                    rows = data[table]
                    if table == "org":  # parents may come after their children in id order: links set after
                        at = cols.index("parent_id")
                        rows = [(*r[:at], None, *r[at + 1:]) for r in rows]
                    if rows:
                        marks = ", ".join(["%s"] * len(cols))
                        cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)
                    if table == "org":
                        links = [(r[cols.index("parent_id")], r[0]) for r in data[table] if r[cols.index("parent_id")]]
                        if links:
                            cur.executemany("UPDATE org SET parent_id = %s WHERE id = %s", links)
            pg.reset_identities(conn)
            copied = [table_check(t, conn.execute(_select(t, columns[t])).fetchall()) for t in table_names()]
            _compare(expected, copied)
    return expected


def postgresql_to_sqlite(url: str, dest: Path) -> list[TableCheck]:
    """Copy the PostgreSQL ledger at ``url`` into a new SQLite file ``dest`` (refused if it exists); ``dest``
    appears only once complete, checked and synced."""
    if dest.exists():
        raise StorageError(f"{dest} 已经存在，没有复制，也没有改动它。请选择一个空文件夹。")
    with _server(url) as conn:
        pg.check(conn, url)
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")  # one snapshot
            data = read_tables(lambda sql: conn.execute(sql).fetchall())
    return write_sqlite(data, dest)


def read_tables(fetch: Callable[[str], list]) -> dict[str, list]:
    """Every table of the ledger, its rows in the columns' order, through ``fetch(sql)`` (a server connection's, or
    ``PgDatabase``'s for a backup on the ledger's own connection); the caller makes it one snapshot."""
    columns = _columns()
    return {t: list(fetch(_select(t, columns[t]))) for t in table_names()}


def write_sqlite(data: dict[str, list], dest: Path) -> list[TableCheck]:
    """``read_tables``' rows into a new SQLite file ``dest`` (refused if it exists), verified against them by row
    counts and checksums and by integrity_check; ``dest`` appears only once complete, checked and synced."""
    if dest.exists():
        raise StorageError(f"{dest} 已经存在，没有复制，也没有改动它。请选择一个空文件夹。")
    columns = _columns()
    expected = [table_check(t, data[t]) for t in table_names()]
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".creating")
    tmp.unlink(missing_ok=True)
    try:
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            target.executescript(schema_sql("sqlite"))
            target.execute("BEGIN")
            for table in table_names():
                cols = columns[table]
                if data[table]:
                    marks = ", ".join(["?"] * len(cols))
                    target.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", data[table])
            target.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            target.execute("COMMIT")
            copied = [table_check(t, target.execute(_select(t, columns[t])).fetchall()) for t in table_names()]
            _compare(expected, copied)
            problems = [r[0] for r in target.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise StorageError(f"复制出的数据文件检查未通过（{'；'.join(problems[:3])}），没有保存。")
        finally:
            target.close()
        fsync_file(tmp)
        os.link(tmp, dest)  # never over a file that appeared meanwhile
        tmp.unlink()
        fsync_dir(dest.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    return expected


def sqlite_checks(path: Path) -> list[TableCheck]:
    columns = _columns()
    conn = connect_read_only(path)
    try:
        return [table_check(t, conn.execute(_select(t, columns[t])).fetchall()) for t in table_names()]
    finally:
        conn.close()


def postgresql_checks(url: str) -> list[TableCheck]:
    columns = _columns()
    with _server(url) as conn:
        return [table_check(t, conn.execute(_select(t, columns[t])).fetchall()) for t in table_names()]


def init_postgresql(url: str, seed_ledger: Path) -> list[TableCheck]:
    """``db init``: a new ledger on the server, the same one a first start makes on a PC (``seed_ledger``, a
    SQLite file just created from db/seed.sql), copied in."""
    return sqlite_to_postgresql(seed_ledger, url)


def check_postgresql(url: str) -> tuple[int, list[TableCheck]]:
    with _server(url) as conn:
        version = pg.check(conn, url)
    return version, postgresql_checks(url)
