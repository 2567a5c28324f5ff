"""A ledger on a PostgreSQL server made by schema v4 is brought to v5 by ``db migrate`` — the same step a SQLite file
takes, in one transaction — and only then opened; the audit trail then names the PC of every new row, and
``db copy`` carries those names both ways."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import psycopg
import pytest

from liubao_desktop import app
from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.workstation import Workstation
from liubao_desktop.storage import migrations, pg, transfer
from liubao_desktop.storage.database import DB_FILENAME
from liubao_desktop.storage.errors import DatabaseTooOldError, StorageError
from liubao_desktop.storage.schema import SCHEMA_VERSION, postgresql_text, table_names

from .test_migrations import V4_FIXTURE

SEP = Period(2020, 9)


def v4_ledger_on_server(url: str) -> None:
    """The v4 fixture's ledger put on the server as a v4 server held it: the v4 file's own CREATE statements in
    PostgreSQL's words, every row with its id, version 4 in liubao_schema."""
    source = sqlite3.connect(f"{V4_FIXTURE.as_uri()}?mode=ro", uri=True)
    try:
        ddl = ";\n".join(sql for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"))
        rows = {t: ([r[1] for r in source.execute(f"PRAGMA table_info({t})")],
                    source.execute(f"SELECT * FROM {t}").fetchall()) for t in table_names()}
    finally:
        source.close()
    with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
        conn.execute(postgresql_text(ddl))
        conn.execute(f"CREATE TABLE {pg.VERSION_TABLE} (version INTEGER NOT NULL)")
        conn.execute(f"INSERT INTO {pg.VERSION_TABLE} (version) VALUES (4)")
        with conn.cursor() as cur:
            for table, (cols, data) in rows.items():
                if table == "org":  # parents may come after their children: the links are set afterwards
                    at = cols.index("parent_id")
                    links = [(r[at], r[0]) for r in data if r[at] is not None]
                    data = [(*r[:at], None, *r[at + 1:]) for r in data]
                if data:
                    marks = ", ".join(["%s"] * len(cols))
                    cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", data)
                if table == "org":
                    cur.executemany("UPDATE org SET parent_id = %s WHERE id = %s", links)
        pg.reset_identities(conn)


def columns(url: str, table: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
            (table,))]


def test_a_v4_server_ledger_is_refused_until_db_migrate_brings_it_to_v5(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    v4_ledger_on_server(pg_url)
    assert "workstation" not in columns(pg_url, "audit_log")
    with pytest.raises(DatabaseTooOldError, match="db migrate"):
        Ledger.open(pg_url)
    assert app.main(["db", "check", "--database", pg_url]) == 1
    assert "旧版本的结构（结构版本 4" in capsys.readouterr().err

    assert app.main(["db", "migrate", "--database", pg_url]) == 0
    assert f"已从结构版本 4 升级到 {SCHEMA_VERSION}" in capsys.readouterr().out
    assert columns(pg_url, "audit_log") == pg.expected_columns()["audit_log"]
    assert app.main(["db", "migrate", "--database", pg_url]) == 0
    assert "已是最新" in capsys.readouterr().out

    clerk = Ledger.open(pg_url, workstation=Workstation("区政务中心-3", "王五"))
    try:
        old = list(clerk.db.execute_sql("SELECT DISTINCT operator, workstation FROM audit_log"))
        assert old == [("李四", "")]  # the rows before v5 name no PC
        assert clerk.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(1600)
        clerk.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1700))
        newest = clerk.db.execute_sql("SELECT operator, workstation, old_value, new_value FROM audit_log "
                                      "ORDER BY id DESC LIMIT 1").fetchone()
        assert tuple(newest) == ("王五", "区政务中心-3", "1600", "1700")
    finally:
        clerk.close()


def test_a_server_migration_that_fails_half_way_leaves_version_4_whole(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    v4_ledger_on_server(pg_url)

    def broken(db) -> None:  # noqa: ANN001
        migrations._v4_to_v5(db)  # the column is added … and then the upgrade fails before its commit
        raise RuntimeError("power cut in the middle of the upgrade")

    monkeypatch.setitem(migrations.STEPS, 4, broken)
    with pytest.raises(RuntimeError):
        pg.migrate(pg_url)
    assert "workstation" not in columns(pg_url, "audit_log")
    with psycopg.connect(pg_url) as conn:
        assert conn.execute(f"SELECT version FROM {pg.VERSION_TABLE}").fetchone() == (4,)
    monkeypatch.undo()
    assert pg.migrate(pg_url) == (4, SCHEMA_VERSION)  # the next run goes through


def test_db_copy_carries_each_rows_pc_both_ways_and_its_checksum_counts_it(
    pg_url: str, data_dir: Path, tmp_path: Path
) -> None:
    ledger = Ledger.open(data_dir, workstation=Workstation("芙蓉区-2", "张三"))
    try:
        ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    finally:
        ledger.close()
    assert transfer.sqlite_to_postgresql(data_dir / DB_FILENAME, pg_url)
    back = tmp_path / "back" / DB_FILENAME
    transfer.postgresql_to_sqlite(pg_url, back)
    conn = sqlite3.connect(back)
    try:
        assert conn.execute("SELECT operator, workstation FROM audit_log").fetchall() == [("张三", "芙蓉区-2")]
        audit = next(c for c in transfer.sqlite_checks(back) if c.table == "audit_log")
        rows = conn.execute(f"SELECT {', '.join(pg.expected_columns()['audit_log'])} FROM audit_log").fetchall()
    finally:
        conn.close()
    assert transfer.table_check("audit_log", rows) == audit
    renamed = [(*r[:-1], "另一台电脑") for r in rows]  # the PC is the last column: a copy that lost it is seen
    assert transfer.table_check("audit_log", renamed) != audit


def test_db_copy_refuses_a_file_of_an_older_schema_until_it_was_opened(pg_url: str, data_dir: Path) -> None:
    shutil.copyfile(V4_FIXTURE, data_dir / DB_FILENAME)
    with pytest.raises(StorageError, match="旧版本的结构（结构版本 4"):
        transfer.sqlite_to_postgresql(data_dir / DB_FILENAME, pg_url)
    Ledger.open(data_dir).close()  # opening migrates it (after a backup)
    assert transfer.sqlite_to_postgresql(data_dir / DB_FILENAME, pg_url)
