"""The ledger's own database object (storage/connection.py): pragmas, nested transactions, and no ORM at start."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from liubao_desktop.storage.connection import Database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    d = Database(tmp_path / "x.sqlite3", pragmas={"journal_mode": "wal", "synchronous": "full", "foreign_keys": 1})
    d.connect()
    d.execute_sql("CREATE TABLE t (v INTEGER)")
    yield d
    d.close()


def values(db: Database) -> list[int]:
    return [v for (v,) in db.execute_sql("SELECT v FROM t ORDER BY v")]


def test_the_pragmas_are_applied_on_connect(db: Database) -> None:
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_nested_block_is_a_savepoint_rolled_back_alone(db: Database) -> None:
    with db.atomic():
        db.execute_sql("INSERT INTO t VALUES (1)")
        with pytest.raises(RuntimeError), db.atomic():
            db.execute_sql("INSERT INTO t VALUES (2)")
            raise RuntimeError
        with db.atomic():
            db.execute_sql("INSERT INTO t VALUES (3)")
        assert db.connection().in_transaction  # nothing committed before the outer block ends
    assert not db.in_transaction() and not db.connection().in_transaction
    assert values(db) == [1, 3]


def test_an_error_rolls_the_whole_transaction_back(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError), db.atomic():
        db.execute_sql("INSERT INTO t VALUES (1)")
        with db.atomic():
            db.execute_sql("CREATE UNIQUE INDEX u ON t (v)")
            db.execute_sql("INSERT INTO t VALUES (1)")
    assert values(db) == [] and not db.connection().in_transaction


def test_a_failing_commit_is_rolled_back(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise OSError("the commit could not be made")

    monkeypatch.setattr(db, "commit", refuse)
    with pytest.raises(OSError), db.atomic():
        db.execute_sql("INSERT INTO t VALUES (1)")
    monkeypatch.undo()
    assert values(db) == [] and not db.connection().in_transaction


def test_closing_inside_a_transaction_is_refused_and_a_closed_file_is_not_reopened(db: Database) -> None:
    with db.atomic(), pytest.raises(sqlite3.OperationalError):
        db.close()
    assert db.close() and db.is_closed() and not db.close()
    with pytest.raises(sqlite3.ProgrammingError):
        db.execute_sql("SELECT 1")


def test_opening_a_ledger_loads_no_orm(tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from liubao_desktop.services.ledger import Ledger; "
            f"Ledger.open(Path({str(tmp_path)!r})).close(); print('peewee' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False"]

