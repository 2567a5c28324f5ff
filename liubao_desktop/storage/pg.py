"""A ledger on a PostgreSQL server (issue 16): connecting, the one schema (``schema.schema_sql("postgresql")``),
its version and its check. psycopg is imported only here (and in ``transfer.py``, through this module).

The server keeps the schema version in a one-row table ``liubao_schema`` — SQLite keeps it in ``PRAGMA
user_version``, which PostgreSQL has no equivalent of. Connections run in autocommit mode: a transaction is begun
exactly where the caller says (``conn.transaction()``), as ``connection.Database`` does for SQLite.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

import psycopg

from .errors import (
    DatabaseTooNewError,
    DatabaseTooOldError,
    NotOurDatabaseError,
    PasswordRequiredError,
    ServerError,
    StorageError,
)
from .pg_errors import COMMIT_UNKNOWN, NOT_DONE, NOT_SAVED, detail_of, reconnect_failed, translate
from .schema import SCHEMA_VERSION, schema_sql, table_names

log = logging.getLogger(__name__)
_T = TypeVar("_T")

URL_SCHEMES = ("postgresql://", "postgres://")
VERSION_TABLE = "liubao_schema"


def is_database_url(text: str) -> bool:
    return str(text).startswith(URL_SCHEMES)


def shown_url(url: str) -> str:
    """The URL without its password (in the user part or as ``?password=``), for messages and logs."""
    parts = urlsplit(url)
    given = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in given if k.lower() != "password"]
    if kept != given:
        parts = parts._replace(query=urlencode(kept))
    if parts.password is not None:
        parts = parts._replace(netloc=f"{parts.username}@{parts.netloc.rpartition('@')[2]}")
    return parts.geturl()


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
            raise PasswordRequiredError(f"数据库服务器 {shown_url(url)} 没有接受这个密码。", refused=True,
                                        detail=detail_of(exc)) from exc
        raise translate(exc, shown_url(url), connecting=True) from exc  # type: ignore[misc]  (never None connecting)


def _refused_password(said: str) -> bool:
    # The server words the refusal in its own language (28P01 does not reach a failed connection's error).
    return "authentication" in said or "认证" in said or "口令" in said or "密码" in said


@contextmanager
def server_errors(url: str) -> Iterator[None]:
    """A block of work on a raw connection (``db copy``, ``db check``, opening): psycopg's errors as ServerErrors."""
    try:
        yield
    except psycopg.Error as exc:
        error = translate(exc, shown_url(url), lost=exc.sqlstate is None and isinstance(exc, psycopg.OperationalError))
        if error is None:
            raise
        raise error from exc


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
        # the version and the check read on the raw connection: their psycopg errors in Chinese too (the steps go
        # through PgDatabase, which translates its own)
        with server_errors(url):
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
    ``close()``. The connection is in autocommit mode: a transaction begins exactly where ``atomic()`` says.

    Every statement goes through ``_run``: psycopg's errors come out as ServerErrors in Chinese (``pg_errors``), and
    a connection lost while nothing was in hand — a PC left idle over lunch while the server restarted — is made
    again once, transparently: before a statement when psycopg already knows it is broken, and after a failed
    ``BEGIN`` or ``SELECT`` outside a transaction, which changed nothing. Never inside a transaction (its work went
    with the connection: the error says so) and never for a write outside one (it may have been done)."""

    engine = "postgresql"
    errors: tuple[type[BaseException], ...] = (psycopg.Error,)

    def __init__(self, url: str, password: str | None = None) -> None:
        self.database = shown_url(url)
        self._url = url
        self._password = password  # typed by the clerk for this session, or None (libpq's ~/.pgpass, PGPASSWORD)
        self._conn: psycopg.Connection | None = None
        self._depth = 0
        self.reconnects = 0  # how often a lost connection was made again (each one logged)

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

    def _reconnect(self, lost: BaseException | None, outcome: str) -> psycopg.Connection:
        old = self.connection()
        old.close()
        try:
            self._conn = connect(self._url, self._password)
        except ServerError as failure:  # the old, closed connection stays: the next statement tries again
            if lost is None:
                raise
            raise reconnect_failed(self.database, lost, failure, outcome) from failure
        self.reconnects += 1
        log.warning("the connection to %s was lost; connected again", self.database)
        return self._conn

    def _run(self, statement: Callable[[psycopg.Connection], _T], *, retry: bool = False,
             lost_on_the_way: str | None = None) -> _T:
        """``statement(connection)`` with its psycopg errors translated. ``retry``: the statement changes nothing,
        so outside a transaction it runs once more on a new connection when the old one turns out lost.
        ``lost_on_the_way``: what to tell when the connection breaks while the statement is out (a COMMIT's unknown
        outcome) rather than before it."""
        outcome = NOT_SAVED if self._depth else NOT_DONE
        conn = self.connection()
        if conn.closed and self._depth == 0:  # lost before: nothing is in hand, so connect again first
            conn = self._reconnect(None, outcome)
        known_lost = conn.closed
        try:
            return statement(conn)
        except psycopg.Error as exc:
            failed = exc
            if conn.closed and retry and self._depth == 0:
                conn = self._reconnect(exc, outcome)
                try:
                    return statement(conn)
                except psycopg.Error as again:
                    failed = again
            if conn.closed and not known_lost and lost_on_the_way:
                outcome = lost_on_the_way
            error = translate(failed, self.database, outcome=outcome, lost=conn.closed)
            if error is None:  # a bug (a syntax error, a broken constraint) stays itself
                raise failed  # noqa: B904 -- it is the error being handled, or the retry's
            raise error from failed

    def execute_sql(self, sql: str, params: tuple | list = ()) -> psycopg.Cursor:
        # always a tuple, an empty one too: psycopg reads %% as % only when it is given parameters
        query, values = translate_placeholders(sql), tuple(params)
        reads = sql.lstrip()[:6].upper() == "SELECT"
        return self._run(lambda conn: conn.execute(query, values), retry=reads)

    def execute_many(self, sql: str, rows: list | tuple) -> None:
        rows = list(rows)
        if not rows:
            return
        query = translate_placeholders(sql)

        def many(conn: psycopg.Connection) -> None:
            with conn.cursor() as cur:
                cur.executemany(query, rows)

        self._run(many)

    def in_transaction(self) -> bool:
        return self._depth > 0

    def _server_in_transaction(self) -> bool:
        return self.connection().info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def _let_go(self, outer: bool, name: str) -> None:
        """Undo a failed block: its transaction, or back to its savepoint. On a lost connection there is nothing to
        undo (the server rolled the transaction back) and the block's own error is the one to tell."""
        conn = self.connection()
        try:
            if conn.closed:
                return
            if outer:
                if self._server_in_transaction():
                    self._run(lambda c: c.execute("ROLLBACK"))
            else:
                self._run(lambda c: c.execute(f"ROLLBACK TO SAVEPOINT {name}"))
                self._run(lambda c: c.execute(f"RELEASE SAVEPOINT {name}"))
        except ServerError as exc:
            if not conn.closed:
                raise
            log.warning("the connection was lost while rolling back: %s", exc)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction; inside another, a savepoint (as ``connection.Database.atomic``). On the server a failed
        statement spoils the transaction until it is rolled back, so a savepoint is rolled back to on any error."""
        if self._depth == 0 and self.connection().closed:
            self._run(lambda conn: None)  # connect again before asking the connection about its transaction
        outer = self._depth == 0 and not self._server_in_transaction()
        name = f"s{self._depth}"
        self._run(lambda conn: conn.execute("BEGIN" if outer else f"SAVEPOINT {name}"), retry=outer)
        self._depth += 1
        try:
            yield
            # still inside (depth counted): an end is never sent again on a new connection, where it would end nothing
            if outer:  # a connection lost while committing leaves the outcome unknown: the clerk is told to look
                self._run(lambda conn: conn.execute("COMMIT"), lost_on_the_way=COMMIT_UNKNOWN)
            else:
                self._run(lambda conn: conn.execute(f"RELEASE SAVEPOINT {name}"))
        except BaseException:
            self._depth -= 1
            self._let_go(outer, name)
            raise
        self._depth -= 1


def open_ledger(url: str, password: str | None = None) -> PgDatabase:
    """The ledger at ``url``, checked (``check``) before anything reads it. An older schema is refused, not
    migrated: the server's administrator migrates it (``main.py db migrate``), once for every PC."""
    db = PgDatabase(url, password)
    conn = db.connect()
    try:
        with server_errors(url):
            check(conn, url)  # an older schema too is refused (DatabaseTooOldError), never migrated here
    except BaseException:
        db.close()
        raise
    return db
