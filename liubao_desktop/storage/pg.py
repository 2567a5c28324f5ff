"""A ledger on a PostgreSQL server (issue 16): connecting, the one schema (``schema.schema_sql("postgresql")``),
its version and its check. psycopg is imported only here (and in ``transfer.py``, through this module).

The server keeps the schema version in a one-row table ``liubao_schema`` — SQLite keeps it in ``PRAGMA
user_version``, which PostgreSQL has no equivalent of. Connections run in autocommit mode: a transaction is begun
exactly where the caller says (``conn.transaction()``), as ``connection.Database`` does for SQLite.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg

from .errors import (
    DatabaseTooNewError,
    DatabaseTooOldError,
    NotOurDatabaseError,
    PasswordRequiredError,
    ServerConnectError,
    StorageError,
)
from .schema import SCHEMA_VERSION, schema_sql, table_names

URL_SCHEMES = ("postgresql://", "postgres://")
VERSION_TABLE = "liubao_schema"


def is_database_url(text: str) -> bool:
    return str(text).startswith(URL_SCHEMES)


def shown_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


def connect(url: str, password: str | None = None) -> psycopg.Connection:
    """An autocommit connection, or a ServerConnectError in Chinese (server down, password wrong, no such database).
    A password not in the URL is read by libpq from ~/.pgpass (PGPASSFILE) or PGPASSWORD; ``password`` (one the
    clerk typed, kept in memory only) goes to libpq as a keyword, never into the URL or a message. A server that
    wants a password libpq has not got, or refused the typed one, raises PasswordRequiredError."""
    extra = {} if password is None else {"password": password}
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10, application_name="liubao", **extra)
    except psycopg.Error as exc:
        said = str(exc).strip()
        attempt = exc.pgconn  # libpq's own account of the attempt: did the server ask for a password, was one sent
        if attempt is not None and attempt.needs_password:
            raise PasswordRequiredError(f"数据库服务器 {shown_url(url)} 要求输入密码。", refused=False) from exc
        if password is not None and attempt is not None and attempt.used_password and _refused_password(said):
            raise PasswordRequiredError(f"数据库服务器 {shown_url(url)} 没有接受这个密码（{said}）。",
                                        refused=True) from exc
        raise ServerConnectError(f"无法连接数据库服务器 {shown_url(url)}（{said}）。"
                                 "请检查地址、用户名、密码（或 ~/.pgpass）和网络。") from exc


def _refused_password(said: str) -> bool:
    # The server words the refusal in its own language (28P01 does not reach a failed connection's error).
    return "authentication" in said or "认证" in said or "口令" in said or "密码" in said


def our_tables(conn: psycopg.Connection) -> list[str]:
    """The tables of the ledger's schema (and its version table) that exist in the database's current schema."""
    names = [*table_names(), VERSION_TABLE]
    rows = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                        "AND table_name = ANY(%s)", (names,)).fetchall()
    return sorted(r[0] for r in rows)


def any_tables(conn: psycopg.Connection) -> list[str]:
    rows = conn.execute("SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = current_schema()").fetchall()
    return sorted(r[0] for r in rows)


def require_empty(conn: psycopg.Connection, url: str) -> None:
    found = any_tables(conn)
    if found:
        listed = "、".join(found[:5]) + ("等" if len(found) > 5 else "")
        raise StorageError(f"数据库 {shown_url(url)} 不是空的（已有表 {listed}），软件没有改动它。请指定一个新建的空数据库。")


def create_schema(conn: psycopg.Connection) -> None:
    """The one schema and its version, inside the caller's transaction."""
    with conn.cursor() as cur:
        cur.execute(schema_sql("postgresql"))
        cur.execute(f"CREATE TABLE {VERSION_TABLE} (version INTEGER NOT NULL)")
        cur.execute(f"INSERT INTO {VERSION_TABLE} (version) VALUES (%s)", (SCHEMA_VERSION,))


def reset_identities(conn: psycopg.Connection) -> None:
    """After rows were copied in with their ids: each identity continues after the highest id."""
    for table in table_names():
        if table == "setting":
            continue
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                     f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")


def schema_version(conn: psycopg.Connection) -> int | None:
    if VERSION_TABLE not in our_tables(conn):
        return None
    row = conn.execute(f"SELECT version FROM {VERSION_TABLE}").fetchone()
    return None if row is None else int(row[0])


def check(conn: psycopg.Connection, url: str) -> int:
    """PostgreSQL's counterpart of ``database.check_file``: the schema version, every table of the schema with its
    columns, and a plan. (The server keeps its own pages sound; what can differ is the structure.) Returns the
    version; raises NotOurDatabaseError, DatabaseTooNewError, DatabaseTooOldError (``migrate`` first)."""
    where = shown_url(url)
    version = schema_version(conn)
    if version is None:
        raise NotOurDatabaseError(f"数据库 {where} 不是“六保任务台账”的数据（没有结构版本号）。软件没有改动它。"
                                  "新数据库请先运行 main.py db init --database …。")
    if version > SCHEMA_VERSION:
        raise DatabaseTooNewError(f"数据库 {where} 由更新版本的软件创建（结构版本 {version}，本软件支持到 "
                                  f"{SCHEMA_VERSION}），为避免损坏数据，本软件不会使用它。请安装新版本。")
    if version < SCHEMA_VERSION:  # its columns are an older schema's: say so rather than list them
        raise DatabaseTooOldError(f"数据库 {where} 上的台账是旧版本的结构（结构版本 {version}，本软件需要 "
                                  f"{SCHEMA_VERSION}），软件没有改动它。请运行 main.py db migrate --database {where} 升级。")
    missing = sorted(set(table_names()) - set(our_tables(conn)))
    if missing:
        raise NotOurDatabaseError(f"数据库 {where} 缺少表 {'、'.join(missing)}，不是完整的台账。软件没有改动它。")
    expected = expected_columns()
    for table in table_names():
        have = [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = %s ORDER BY ordinal_position", (table,)).fetchall()]
        if have != expected[table]:
            raise NotOurDatabaseError(f"数据库 {where} 的表 {table} 结构不对（列为 {have}，应为 {expected[table]}）。"
                                      "软件没有改动它。")
    if not conn.execute("SELECT count(*) FROM plan").fetchone()[0]:
        raise NotOurDatabaseError(f"数据库 {where} 里没有方案数据。软件没有改动它。")
    return version


def expected_columns() -> dict[str, list[str]]:
    """Each table's columns in order, as the one schema makes them (read from an in-memory SQLite database)."""
    import sqlite3

    mem = sqlite3.connect(":memory:")
    try:
        mem.executescript(schema_sql("sqlite"))
        return {t: [r[1] for r in mem.execute(f"PRAGMA table_info({t})")] for t in table_names()}
    finally:
        mem.close()


def _record_version(db: PgDatabase, version: int) -> None:
    db.execute_sql(f"UPDATE {VERSION_TABLE} SET version = ?", (version,))


def migrate(url: str) -> tuple[int, int]:
    """``db migrate``: the server's ledger brought up to this app's schema by the steps SQLite files take
    (``migrations.STEPS``, the same SQL), all of them and the check after them in one transaction — PostgreSQL's
    DDL is transactional, so a failure leaves the old version whole. Returns the version before and after; a
    current ledger is only checked. (No backup here: the server's administrator keeps those, pg_dump.)"""
    from .migrations import migrate as run_steps

    db = PgDatabase(url)
    conn = db.connect()
    try:
        version = schema_version(conn)
        if version is None or version >= SCHEMA_VERSION:
            return version or 0, check(conn, url)  # not ours, too new: refused; current: checked
        with db.atomic():
            run_steps(db, version, _record_version)  # type: ignore[arg-type]  # PgDatabase has Database's interface
            check(conn, url)
    finally:
        db.close()
    return version, SCHEMA_VERSION


# -- the ledger's database object on the server: what LedgerStore calls, as connection.Database offers it -------
def translate_placeholders(sql: str) -> str:
    """SQLite's ``?`` marks as psycopg's ``%s`` (and a literal ``%`` doubled), outside quoted text. The ledger's SQL
    is written once, for SQLite; numbered marks (``?1``) are not used in it."""
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if quote is not None:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


class PgDatabase:
    """A ledger on a PostgreSQL server with ``connection.Database``'s interface: ``execute_sql`` and
    ``execute_many`` with ``?`` marks, ``atomic()`` transactions that nest as savepoints, ``connection()``,
    ``close()``. The connection is in autocommit mode: a transaction begins exactly where ``atomic()`` says."""

    engine = "postgresql"
    errors: tuple[type[BaseException], ...] = (psycopg.Error,)

    def __init__(self, url: str, password: str | None = None) -> None:
        self.database = shown_url(url)
        self._url = url
        self._password = password  # typed by the clerk for this session, or None (libpq's ~/.pgpass, PGPASSWORD)
        self._conn: psycopg.Connection | None = None
        self._depth = 0

    def connect(self) -> psycopg.Connection:
        if self._conn is not None:
            raise StorageError("数据库连接已经打开。")
        self._conn = connect(self._url, self._password)
        return self._conn

    def connection(self) -> psycopg.Connection:
        if self._conn is None:
            raise StorageError("数据库连接已关闭。")
        return self._conn

    def is_closed(self) -> bool:
        return self._conn is None

    def close(self) -> bool:
        if self._depth:
            raise StorageError("事务进行中，不能关闭数据库连接。")
        if self._conn is None:
            return False
        conn, self._conn = self._conn, None
        conn.close()
        return True

    def execute_sql(self, sql: str, params: tuple | list = ()) -> psycopg.Cursor:
        # always a tuple, an empty one too: psycopg reads %% as % only when it is given parameters
        return self.connection().execute(translate_placeholders(sql), tuple(params))

    def execute_many(self, sql: str, rows: list | tuple) -> None:
        rows = list(rows)
        if rows:
            with self.connection().cursor() as cur:
                cur.executemany(translate_placeholders(sql), rows)

    def in_transaction(self) -> bool:
        return self._depth > 0

    def _server_in_transaction(self) -> bool:
        return self.connection().info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction; inside another, a savepoint (as ``connection.Database.atomic``). On the server a failed
        statement spoils the transaction until it is rolled back, so a savepoint is rolled back to on any error."""
        conn = self.connection()
        outer = self._depth == 0 and not self._server_in_transaction()
        name = f"s{self._depth}"
        conn.execute("BEGIN" if outer else f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if outer:
                conn.execute("ROLLBACK")
            else:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        self._depth -= 1
        try:
            conn.execute("COMMIT" if outer else f"RELEASE SAVEPOINT {name}")
        except BaseException:
            if outer:
                if self._server_in_transaction():
                    conn.execute("ROLLBACK")
            else:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise


def open_ledger(url: str, password: str | None = None) -> PgDatabase:
    """The ledger at ``url``, checked (``check``) before anything reads it. An older schema is refused, not
    migrated: the server's administrator migrates it (``main.py db migrate``), once for every PC."""
    db = PgDatabase(url, password)
    conn = db.connect()
    try:
        check(conn, url)  # an older schema too is refused (DatabaseTooOldError), never migrated here
    except BaseException:
        db.close()
        raise
    return db
