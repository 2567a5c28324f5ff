"""Issue 16: template, report, import, sample-data and plan import with --database URL on a real PostgreSQL server
(tests/pg_server.py). What reads makes the same files as from the data folder the ledger came from; what writes
much first copies the server's ledger into this PC's backups (backups/server-<host>-<port>-<db>/), a copy that
db copy puts back into an empty database; and it lands whole on the server, or not at all."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from openpyxl import load_workbook

from liubao_desktop import app
from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.data_location import init_database
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.sample_data import fill_sample_data
from liubao_desktop.services.workstation import this_pc_name
from liubao_desktop.storage import transfer

from .conftest import REPO

SEP = Period(2020, 9)
ARTICLES = REPO / "tests" / "plan_reader" / "documents" / "articles.txt"


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A PC's data folder with sample figures for two offices."""
    folder = tmp_path / "pc-before"
    ledger = Ledger.open(folder)
    try:
        fill_sample_data(ledger, [o.code for o in ledger.orgs()][:2], Period.parse("2020-12"))
    finally:
        ledger.close()
    return folder


@pytest.fixture
def url(filled: Path, pg_url: str) -> str:
    """That ledger moved up to the server (db copy)."""
    assert app.main(["db", "copy", "--from", str(filled), "--to", pg_url]) == 0
    return pg_url


@pytest.fixture
def clerk(tmp_path: Path) -> Path:
    """The data folder of the PC the commands run on: it keeps the log, settings.ini and the server's backups."""
    return tmp_path / "clerk"


@pytest.fixture
def empty_database(pg_server, request: pytest.FixtureRequest) -> Iterator[str]:  # noqa: ANN001
    """A second empty database on the server (where a backup is put back)."""
    name = "r_" + re.sub(r"\W", "_", request.node.name.lower())[:40]
    pg_server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_server.admin(f'CREATE DATABASE "{name}"')
    yield pg_server.url(name)
    pg_server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(*args: str | Path) -> int:
    return app.main([str(a) for a in args])


def fill(path: Path, values: dict[str, object]) -> Path:
    """Type into a 填报模板 as a unit's clerk does: 本期完成 (column G) on the rows whose hidden code (I) is given."""
    book = load_workbook(path)
    sheet = book["填报表"]
    for row in range(4, sheet.max_row + 1):
        code = sheet.cell(row, 9).value
        if code in values:
            sheet.cell(row, 7).value = values[code]
    book.save(path)
    return path


def server_backups(clerk: Path) -> list[Path]:
    return sorted((clerk / "backups").glob("server-*/liubao-*-before_bulk.sqlite3"))


def test_template_and_report_from_the_server_are_the_ones_the_pc_makes(filled: Path, url: str, clerk: Path,
                                                                       tmp_path: Path) -> None:
    from docx import Document

    made = {}
    for where, place in (("pc", ["--data-dir", filled]), ("server", ["--database", url, "--data-dir", clerk])):
        assert main("template", "--org", "芙蓉区", "--period", "2020-09", "--out", tmp_path / f"{where}.xlsx",
                    *place) == 0
        assert main("report", "--org", "芙蓉区", "--period", "2020-09", "--date", "2020-10-05", "--no-chart",
                    "--out", tmp_path / f"{where}.docx", *place) == 0
        sheet = load_workbook(tmp_path / f"{where}.xlsx")["填报表"]
        made[where] = ([tuple(c.value for c in row) for row in sheet.iter_rows()],
                       [p.text for p in Document(str(tmp_path / f"{where}.docx")).paragraphs])
    assert made["server"] == made["pc"]
    assert any("芙蓉区" in p for p in made["server"][1]) and len(made["server"][0]) > 5
    assert not (clerk / "liubao.sqlite3").exists() and not (clerk / "backups").exists()  # reading backs nothing up


def test_an_import_on_the_server_is_backed_up_here_first_and_lands_whole(
        url: str, clerk: Path, tmp_path: Path, empty_database: str, pg_server,  # noqa: ANN001
        capsys: pytest.CaptureFixture[str]) -> None:
    before = transfer.postgresql_checks(url)
    template = tmp_path / "芙蓉区-2020-09.xlsx"
    assert main("template", "--org", "芙蓉区", "--period", "2020-09", "--out", template,
                "--database", url, "--data-dir", clerk) == 0
    fill(template, {"1.3.1": 1777, "1.4.1": 65})
    (clerk / "settings.ini").write_text("[General]\noperator=李四\n", encoding="utf-8")  # this PC's 填报人
    capsys.readouterr()

    assert main("import", template, "--database", url, "--data-dir", clerk) == 0
    out = capsys.readouterr().out
    [backup] = server_backups(clerk)
    assert backup.parent.name == f"server-127.0.0.1-{pg_server.port}-{url.rsplit('/', 1)[1]}"
    assert f"写入前已把服务器上的台账备份到本机：{backup}" in out and "db copy --from" in out
    assert transfer.sqlite_checks(backup) == before  # the server's ledger as it was before the import
    assert not list((clerk / "backups").glob("*.sqlite3"))  # not among the PC's own backups (they restore its file)

    ledger = Ledger.open(url)
    try:
        assert ledger.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(1777)
        assert ledger.figure("芙蓉区", "1.4.1", SEP) == FigureValue.of(65)
        rows = list(ledger.db.execute_sql("SELECT note, operator, workstation FROM audit_log WHERE source = 'import'"))
    finally:
        ledger.close()
    assert len(rows) >= 2 and all(n.startswith(f"文件 {template.name}；SHA-256 ") for n, _, _ in rows)
    assert {(who, pc) for _, who, pc in rows} == {("李四", this_pc_name())}  # signed by this PC, as the window signs

    # the clerk gets the ledger of before back: the backup copied into a new, empty database
    assert main("db", "copy", "--from", backup, "--to", empty_database) == 0
    assert transfer.postgresql_checks(empty_database) == before


def test_an_import_that_fails_changes_nothing_on_the_server(url: str, clerk: Path, tmp_path: Path, pg_server,  # noqa: ANN001
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    before = transfer.postgresql_checks(url)
    template = tmp_path / "T.xlsx"
    assert main("template", "--org", "芙蓉区", "--period", "2020-09", "--out", template,
                "--database", url, "--data-dir", clerk) == 0

    bad = fill(template, {"1.3.1": "abc"})
    assert main("import", bad, "--database", url, "--data-dir", clerk) == 3  # a problem: checked, nothing written
    assert "有问题，没有写入任何数据" in capsys.readouterr().err
    assert server_backups(clerk) == [] and transfer.postgresql_checks(url) == before

    # a clerk whose login may write figures but not the audit trail: the figures written first go back with it
    good = fill(bad, {"1.3.1": 1888})
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS no_trail_clerk")
        conn.execute("CREATE ROLE no_trail_clerk LOGIN")
        conn.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO no_trail_clerk")
        conn.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO no_trail_clerk")
        conn.execute("REVOKE INSERT ON audit_log FROM no_trail_clerk")
    try:
        their_url = f"postgresql://no_trail_clerk@127.0.0.1:{pg_server.port}/{name}"
        assert main("import", good, "--database", their_url, "--data-dir", clerk) == 2
        said = capsys.readouterr().err
        assert "不允许当前用户做这项操作" in said and "permission denied for table audit_log" in said
        assert "刚才的修改没有保存（整个修改已撤销）" in said
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP OWNED BY no_trail_clerk")
            conn.execute("DROP ROLE no_trail_clerk")
    assert transfer.postgresql_checks(url) == before
    assert len(server_backups(clerk)) == 1  # made before the write, as always


def test_sample_data_fills_an_empty_server_ledger_and_refuses_one_with_real_figures(
        pg_url: str, empty_database: str, clerk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    init_database(pg_url)
    assert main("sample-data", "--orgs", "芙蓉区", "--up-to", "2020-09", "--database", pg_url,
                "--data-dir", clerk) == 0
    assert f"（{pg_url}）" in capsys.readouterr().out
    ledger = Ledger.open(pg_url)
    try:
        assert ledger.preferences.is_sample() and ledger.figures("芙蓉区")
    finally:
        ledger.close()

    init_database(empty_database)
    ledger = Ledger.open(empty_database)
    try:
        ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))  # a clerk's real figure
    finally:
        ledger.close()
    before = transfer.postgresql_checks(empty_database)
    assert main("sample-data", "--database", empty_database, "--data-dir", clerk) == 1
    assert "服务器上的这个台账里已有真实填报数据" in capsys.readouterr().err
    assert transfer.postgresql_checks(empty_database) == before


def test_plan_import_on_the_server_is_backed_up_here_first(pg_url: str, clerk: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    init_database(pg_url)
    before = transfer.postgresql_checks(pg_url)
    assert main("plan", "import", ARTICLES, "--database", pg_url, "--data-dir", clerk) == 0  # shown, not written
    assert transfer.postgresql_checks(pg_url) == before and server_backups(clerk) == []
    assert main("plan", "import", ARTICLES, "--yes", "--database", pg_url, "--data-dir", clerk) == 0
    out = capsys.readouterr().out
    [backup] = server_backups(clerk)
    assert "已导入方案" in out and "写入前已把服务器上的台账备份到本机" in out
    assert transfer.sqlite_checks(backup) == before
    assert main("plan", "list", "--database", pg_url, "--data-dir", clerk) == 0
    listed = capsys.readouterr().out
    assert "changsha-2020-26" in listed and "plan-2021-7" in listed
    assert not (clerk / "liubao.sqlite3").exists()


# -- a PC whose window opens the server's ledger (数据 → 数据库连接…): the commands use it too -----------------------
def choose_server(clerk: Path, url: str, operator: str = "") -> None:
    """What 数据 → 数据库连接… saves on this PC: the server's URL (no password) in settings.ini; and the operator."""
    from liubao_desktop.ui.window_preferences import window_preferences

    prefs = window_preferences(clerk)
    prefs.set_database(url)
    prefs.set_operator(operator)
    prefs.sync()


def sheets(path: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in book.worksheets}


def test_export_on_a_pc_that_chose_the_server_exports_the_servers_ledger(
        filled: Path, url: str, clerk: Path, tmp_path: Path, empty_database: str, pg_server,  # noqa: ANN001
        capsys: pytest.CaptureFixture[str]) -> None:
    """The clerk chose the server in the window; a script runs `main.py export` without --database: the workbook
    is the server ledger's, stderr says which ledger it was, and no empty ledger file is made on this PC."""
    choose_server(clerk, url)
    args = ["export", "--org", "芙蓉区", "--period", "2020-09"]
    assert main(*args, "--out", tmp_path / "pc.xlsx", "--data-dir", filled) == 0
    capsys.readouterr()
    assert main(*args, "--out", tmp_path / "server.xlsx", "--data-dir", clerk) == 0
    said = capsys.readouterr().err
    database = url.rsplit("/", 1)[1]
    assert f"使用服务器 127.0.0.1:{pg_server.port}/{database} 上的台账（本机在“数据 → 数据库连接…”中选定）" in said
    assert sheets(tmp_path / "server.xlsx") == sheets(tmp_path / "pc.xlsx")
    assert not (clerk / "liubao.sqlite3").exists() and not (clerk / "liubao.lock").exists()

    init_database(empty_database)  # --database still wins over the server chosen in the window
    assert main(*args, "--out", tmp_path / "other.xlsx", "--database", empty_database, "--data-dir", clerk) == 0
    said = capsys.readouterr().err
    assert f"/{empty_database.rsplit('/', 1)[1]} 上的台账" in said and "选定" not in said
    assert not (clerk / "liubao.sqlite3").exists()


def test_an_import_on_a_pc_that_chose_the_server_writes_to_the_server(
        url: str, clerk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    choose_server(clerk, url, "李四")
    template = tmp_path / "芙蓉区-2020-09.xlsx"
    assert main("template", "--org", "芙蓉区", "--period", "2020-09", "--out", template, "--data-dir", clerk) == 0
    fill(template, {"1.3.1": 1999})
    assert main("import", template, "--data-dir", clerk) == 0
    assert "上的台账（本机在“数据 → 数据库连接…”中选定）" in capsys.readouterr().err
    ledger = Ledger.open(url)
    try:
        assert ledger.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(1999)
        [(who, pc)] = list(ledger.db.execute_sql(
            "SELECT DISTINCT operator, workstation FROM audit_log WHERE source = 'import'"))
    finally:
        ledger.close()
    assert (who, pc) == ("李四", this_pc_name())
    assert len(server_backups(clerk)) == 1  # the server's ledger copied here first, as with --database
    assert not (clerk / "liubao.sqlite3").exists() and not (clerk / "liubao.lock").exists()


def test_a_command_never_asks_for_the_password_it_says_where_to_put_it(
        url: str, clerk: Path, tmp_path: Path, pg_server, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
        capsys: pytest.CaptureFixture[str]) -> None:
    pg_server.require_password("cli_pw_clerk", "Pa55-秘密")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))  # no password file on this PC …
    monkeypatch.delenv("PGPASSWORD", raising=False)  # … and none in the environment
    choose_server(clerk, url.replace("postgresql://liubao@", "postgresql://cli_pw_clerk@"))
    out = tmp_path / "x.xlsx"
    assert main("export", "--org", "芙蓉区", "--out", out, "--data-dir", clerk) == 2
    said = capsys.readouterr().err
    assert said.startswith("错误：数据库服务器 ") and "要求输入密码" in said and "命令行不询问密码" in said
    assert "~/.pgpass" in said and "PGPASSWORD" in said and "Traceback" not in said
    assert not out.exists() and not (clerk / "liubao.sqlite3").exists()
    monkeypatch.setenv("PGPASSWORD", "Pa55-秘密")  # given as the sentence says
    assert main("export", "--org", "芙蓉区", "--out", out, "--data-dir", clerk) == 0
    assert out.exists() and not (clerk / "liubao.sqlite3").exists()


def test_a_broken_server_address_chosen_in_the_window_is_named_as_the_windows_choice(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    data = tmp_path / "pc"
    data.mkdir()
    (data / "settings.ini").write_text("[database]\nuse_server=true\nserver_url=fileserver/liubao\n")
    code = app.main(["export", "--org", "芙蓉区", "--data-dir", str(data), "--out", str(tmp_path / "x.xlsx")])
    said = capsys.readouterr().err
    assert code != 0 and "数据 → 数据库连接…" in said and "fileserver/liubao" in said
    assert "--database 应为" not in said  # the clerk never typed --database
    assert not (data / "liubao.sqlite3").exists() and not (tmp_path / "x.xlsx").exists()
