"""Issue 16 on a real PostgreSQL server (tests/pg_server.py): the one schema on both engines, db init / check /
migrate, and db copy SQLite → PostgreSQL → SQLite verified by counts and a checksum per table."""
from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from liubao_desktop import app
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.sample_data import fill_sample_data
from liubao_desktop.storage import pg, transfer
from liubao_desktop.storage.errors import NotOurDatabaseError, StorageError
from liubao_desktop.storage.schema import SCHEMA_SQL, SCHEMA_VERSION, schema_sql, table_names


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A ledger with figures, narratives, 分解目标 and their audit rows for two offices."""
    folder = tmp_path / "pc"
    ledger = Ledger.open(folder)
    try:
        orgs = [o.code for o in ledger.orgs()][:2]
        assert fill_sample_data(ledger, orgs, Period.parse("2020-12")) > 0
    finally:
        ledger.close()
    return folder


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_one_schema_for_both_engines(engine: str, pg_url: str) -> None:
    sql = schema_sql(engine)
    assert sql.count("CREATE TABLE") == SCHEMA_SQL.count("CREATE TABLE") == len(table_names())
    if engine == "sqlite":
        assert sql == SCHEMA_SQL
        return
    assert "GLOB" not in sql and "id INTEGER PRIMARY KEY," not in sql
    with psycopg.connect(pg_url, autocommit=True) as conn:
        with conn.transaction():
            pg.create_schema(conn)
        expected = pg.expected_columns()
        for table in table_names():
            have = [r[0] for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "ORDER BY ordinal_position", (table,))]
            assert have == expected[table]
        # the CHECKs the SQLite text spells with GLOB hold on the server too
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("INSERT INTO org (code, name, kind) VALUES ('x', 'x', 'office')")
            conn.execute("INSERT INTO plan (code, title, short_title, doc_number, issuer, effective_from, "
                         "effective_to) VALUES ('p', 't', 't', 'd', 'i', '2020-01-01', '2020-12-31')")
            conn.execute("INSERT INTO part (plan_id, seq, code, title) VALUES (1, 1, '1', 'p')")
            conn.execute("INSERT INTO measure (part_id, seq, code, title, text) VALUES (1, 1, '1.1', 'm', 't')")
            conn.execute("INSERT INTO target (measure_id, seq, code, label, comparator, kind, entry_unit, source) "
                         "VALUES (1, 1, '1.1.1', 'l', '>=', 'stock', '人', 's')")
            conn.execute("INSERT INTO figure (target_id, org_id, period, updated_at) VALUES (1, 1, '2020-9', 'now')")


def test_db_init_check_and_migrate_on_an_empty_server_database(pg_url: str, capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    assert app.main(["db", "init", "--database", pg_url]) == 0
    assert "已在数据库中建立台账" in capsys.readouterr().out
    fresh = tmp_path / "fresh"
    Ledger.open(fresh).close()  # what a first start makes on a PC
    assert transfer.postgresql_checks(pg_url) == transfer.sqlite_checks(fresh / "liubao.sqlite3")
    assert app.main(["db", "check", "--database", pg_url]) == 0
    assert f"结构版本 {SCHEMA_VERSION}" in capsys.readouterr().out
    assert app.main(["db", "migrate", "--database", pg_url]) == 0
    assert app.main(["db", "init", "--database", pg_url]) == 1  # not empty any more: refused, untouched
    assert "不是空的" in capsys.readouterr().err
    with psycopg.connect(pg_url, autocommit=True) as conn:  # the identities go on after the copied ids
        top = conn.execute("SELECT max(id) FROM org").fetchone()[0]
        new = conn.execute("INSERT INTO org (code, name, kind) VALUES ('x', '新单位', 'office') RETURNING id")
        assert new.fetchone()[0] == top + 1


def test_check_refuses_a_database_that_is_not_a_ledger(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE other (x int)")
        with pytest.raises(NotOurDatabaseError, match="没有结构版本号"):
            pg.check(conn, pg_url)


def test_copy_to_the_server_and_back_keeps_every_row(filled: Path, pg_url: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    original = transfer.sqlite_checks(filled / "liubao.sqlite3")
    assert {c.table for c in original if c.rows} >= {"figure", "narrative", "audit_log", "local_target", "org"}
    assert app.main(["db", "copy", "--from", str(filled), "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "逐表核对行数和校验和一致（15 个表）" in out and "audit_log" in out
    assert transfer.postgresql_checks(pg_url) == original
    back = tmp_path / "back"
    assert app.main(["db", "copy", "--from", pg_url, "--to", str(back)]) == 0
    assert transfer.sqlite_checks(back / "liubao.sqlite3") == original
    ledger = Ledger.open(back)  # the offline copy opens as any ledger
    try:
        assert ledger.plan.code == "changsha-2020-26"
    finally:
        ledger.close()
    # refused: a folder that already holds a ledger, a server database that is not empty — nothing changed
    assert app.main(["db", "copy", "--from", pg_url, "--to", str(back)]) == 1
    assert app.main(["db", "copy", "--from", str(filled), "--to", pg_url]) == 1
    assert transfer.postgresql_checks(pg_url) == original
    # and a copy into a data folder's backups/ (it would be offered for restore there): refused, nothing made
    before = sorted(p.relative_to(filled) for p in filled.rglob("*"))
    assert app.main(["db", "copy", "--from", pg_url, "--to", str(filled / "backups" / "copy")]) == 1
    assert "在台账的数据文件夹" in capsys.readouterr().err
    assert sorted(p.relative_to(filled) for p in filled.rglob("*")) == before


def test_a_checksum_sees_a_changed_value(filled: Path) -> None:
    checks = transfer.sqlite_checks(filled / "liubao.sqlite3")
    rows = [(1, "a", None), (2, "b", "1.4")]
    assert transfer.table_check("t", rows) == transfer.table_check("t", list(reversed(rows)))
    assert transfer.table_check("t", rows) != transfer.table_check("t", [(1, "a", None), (2, "b", "1.40")])
    assert transfer.table_check("t", [(1, None)]) != transfer.table_check("t", [(1, "")])
    assert len(checks) == len(table_names())


def test_a_server_that_does_not_answer_is_said_in_chinese() -> None:
    with pytest.raises(StorageError, match="无法连接数据库服务器 postgresql://clerk@127.0.0.1:1/x"):
        pg.connect("postgresql://clerk:secret@127.0.0.1:1/x")


def _sheets(path: Path) -> dict[str, list[tuple]]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in book.worksheets}


def test_the_headless_commands_read_a_ledger_on_the_server(filled: Path, pg_url: str, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """plan, plan list, export and tasks with --database URL: the same output as from the data folder the ledger
    was copied from; the data folder named beside the URL keeps only the log (no ledger file is made there)."""
    assert app.main(["db", "copy", "--from", str(filled), "--to", pg_url]) == 0
    here = tmp_path / "clerk"
    capsys.readouterr()
    for command in (["plan", "--json"], ["plan", "list"]):
        assert app.main([*command, "--data-dir", str(filled)]) == 0
        local = capsys.readouterr().out
        assert app.main([*command, "--database", pg_url, "--data-dir", str(here)]) == 0
        assert capsys.readouterr().out == local
    local_ledger = Ledger.open(filled)
    org = local_ledger.orgs()[0].name
    local_ledger.close()
    args = ["export", "--org", org, "--period", "2020-09"]
    assert app.main([*args, "--out", str(tmp_path / "local.xlsx"), "--data-dir", str(filled)]) == 0
    assert app.main([*args, "--out", str(tmp_path / "server.xlsx"), "--database", pg_url, "--data-dir", str(here)]) == 0
    assert _sheets(tmp_path / "server.xlsx") == _sheets(tmp_path / "local.xlsx")
    assert not (here / "liubao.sqlite3").exists()
    assert app.main(["export", "--org", org, "--database", "/not/a/url", "--data-dir", str(here)]) == 1
    assert "postgresql://" in capsys.readouterr().err


def test_tasks_prints_from_a_ledger_on_the_server(filled: Path, pg_url: str, tmp_path: Path) -> None:
    """In a process of its own, as tests/printing/test_tasks_command.py runs it (a bare QGuiApplication)."""
    import os
    import subprocess
    import sys

    assert app.main(["db", "copy", "--from", str(filled), "--to", pg_url]) == 0
    out = tmp_path / "tasks.pdf"
    done = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[2] / "main.py"), "tasks", "--out",
                           str(out), "--database", pg_url, "--data-dir", str(tmp_path / "clerk")],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF") and not (tmp_path / "clerk" / "liubao.sqlite3").exists()


def test_the_ledgers_question_marks_run_on_the_server(pg_url: str) -> None:
    """PgDatabase reads the SQL written for SQLite: ? marks become psycopg's, a ? or % inside quotes stays as it is,
    with parameters and without; atomic() nests as savepoints and an error rolls back only its own block."""
    assert pg.translate_placeholders("SELECT '?%', ? WHERE a LIKE '%x' AND b = ?") == \
        "SELECT '?%%', %s WHERE a LIKE '%%x' AND b = %s"
    db = pg.PgDatabase(pg_url)
    db.connect()
    try:
        assert list(db.execute_sql("SELECT '5%', '?'")) == [("5%", "?")]
        assert list(db.execute_sql("SELECT '5%', ?, 'a%' LIKE ?", (3, "a%"))) == [("5%", 3, True)]
        db.execute_sql("CREATE TABLE t (v INTEGER UNIQUE)")
        with db.atomic():
            db.execute_sql("INSERT INTO t VALUES (?)", (1,))
            with pytest.raises(psycopg.errors.UniqueViolation), db.atomic():
                db.execute_sql("INSERT INTO t VALUES (?)", (2,))
                db.execute_sql("INSERT INTO t VALUES (?)", (1,))
            db.execute_many("INSERT INTO t VALUES (?)", [(3,), (4,)])
        with pytest.raises(RuntimeError), db.atomic():
            db.execute_sql("INSERT INTO t VALUES (?)", (5,))
            raise RuntimeError
        assert [r[0] for r in db.execute_sql("SELECT v FROM t ORDER BY v")] == [1, 3, 4]
        assert not db.in_transaction()
    finally:
        db.close()
