"""One open SQLite file on the stdlib ``sqlite3``: its pragmas, and transactions that nest as savepoints.

This is all of an ORM's database object the ledger uses (``execute_sql``, ``atomic``, ``connection``,
``close``), without loading the ORM at start-up. The connection runs in autocommit mode (``isolation_level=None``):
nothing is ever begun behind our back, and ``atomic()`` says exactly where each transaction begins and ends.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


class Database:
    """A SQLite file opened by ``connect()`` with ``pragmas`` applied in order (journal mode first).
    ``pg.PgDatabase`` offers the same interface for a ledger on a PostgreSQL server."""

    engine = "sqlite"
    errors: tuple[type[BaseException], ...] = (sqlite3.Error,)  # what a failing statement raises

    def __init__(self, path: Path | str, *, pragmas: Mapping[str, object] = (), check_same_thread: bool = False,
                 timeout: float = 5.0) -> None:
        self.database = str(path)
        self.pragmas = dict(pragmas)
        self._check_same_thread = check_same_thread
        self._timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._depth = 0  # atomic() blocks open: 1 is the transaction, deeper ones are savepoints

    # -- the connection ----------------------------------------------------------------------------------
    def connect(self) -> sqlite3.Connection:
        if self._conn is not None:
            raise sqlite3.OperationalError("the database is already open")
        conn = self._connect()
        self._conn = conn
        return conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.database, timeout=self._timeout, isolation_level=None,
                               check_same_thread=self._check_same_thread)
        try:
            for name, value in self.pragmas.items():
                conn.execute(f"PRAGMA {name} = {value}")
        except BaseException:
            conn.close()
            raise
        return conn

    def connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        return self._conn

    def is_closed(self) -> bool:
        return self._conn is None

    def close(self) -> bool:
        """Close the file; False when it was not open. Refused inside a transaction (it would be lost silently)."""
        if self._depth:
            raise sqlite3.OperationalError("Attempting to close database while transaction is open.")
        if self._conn is None:
            return False
        conn, self._conn = self._conn, None
        conn.close()
        return True

    # -- statements and transactions ---------------------------------------------------------------------
    def execute_sql(self, sql: str, params: tuple | list = ()) -> sqlite3.Cursor:
        return self.connection().execute(sql, params or ())

    def execute_many(self, sql: str, rows: Iterable[tuple | list]) -> None:
        self.connection().executemany(sql, rows)

    def in_transaction(self) -> bool:
        return self._depth > 0

    def begin(self) -> None:
        self.execute_sql("BEGIN")

    def commit(self) -> None:
        self.connection().commit()

    def rollback(self) -> None:
        self.connection().rollback()  # a no-op when SQLite already rolled the transaction back itself

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction; inside another, a savepoint. An exception rolls back what the block wrote and
        propagates; a commit that fails is rolled back and its error raised. Inside a transaction begun by hand
        (a reader's snapshot, ``BEGIN``) the block is a savepoint of it, so it neither ends nor commits it."""
        outer = self._depth == 0 and not self.connection().in_transaction
        name = f"s{self._depth}"
        if outer:
            self.begin()
        else:
            self.execute_sql(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            self._let_go(outer, name)
            raise
        self._depth -= 1
        try:
            if outer:
                self.commit()
            else:
                self.execute_sql(f"RELEASE SAVEPOINT {name}")
        except BaseException:
            self._let_go(outer, name)
            raise

    def _let_go(self, outer: bool, name: str) -> None:
        """Undo a failed block (or its failed end): its transaction, or back to its savepoint."""
        if outer:
            self.rollback()
        else:
            self.execute_sql(f"ROLLBACK TO SAVEPOINT {name}")
            self.execute_sql(f"RELEASE SAVEPOINT {name}")
