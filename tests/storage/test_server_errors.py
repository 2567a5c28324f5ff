"""Issue 16: what goes wrong on a PostgreSQL server is said in Chinese, from the one place PgDatabase runs SQL — a
connection cut by the administrator, a server that stays away, a login refused, a database missing, a table the
user may not write, a statement timeout, a deadlock, a serialization failure — with the URL shown without its
password. A connection lost while nothing was in hand (a PC left idle over lunch) is made again once, transparently;
never inside a transaction, never by sending a write twice. All on a real server (tests/pg_server.py)."""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from liubao_desktop import app
from liubao_desktop.domain.figures import BLANK, FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.data_location import init_database
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.storage import pg, pg_errors
from liubao_desktop.storage.errors import (
    ServerBusyError,
    ServerLoginError,
    ServerPermissionError,
    ServerUnreachableError,
)

from ..pg_server import free_port
from .test_postgresql_migration import columns, v4_ledger_on_server

SEP = Period(2020, 9)


@pytest.fixture
def server_url(pg_url: str) -> str:
    """A ledger made on the test server by db init."""
    init_database(pg_url)
    return pg_url


@pytest.fixture
def server_ledger(server_url: str) -> Iterator[Ledger]:
    led = Ledger.open(server_url)
    yield led
    led.close()


def pid_of(ledger: Ledger) -> int:
    return ledger.db.connection().info.backend_pid


def on_server(url: str, target: str) -> str | None:
    """What the server holds for 芙蓉区's target in 2020-09, read on a connection of its own."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT f.base_value FROM figure f JOIN target t ON t.id = f.target_id JOIN org o "
                           "ON o.id = f.org_id WHERE o.name = '芙蓉区' AND t.code = %s AND f.period = '2020-09'",
                           (target,)).fetchone()
    return None if row is None else row[0]


def test_a_pc_left_idle_while_its_connection_was_cut_goes_on_as_if_nothing_happened(
        server_ledger: Ledger, server_url: str, pg_server) -> None:  # noqa: ANN001
    pg_server.terminate(pid_of(server_ledger))  # the administrator restarts things over lunch
    assert server_ledger.figure("芙蓉区", "1.3.1", SEP) == BLANK  # a read: connected again and read
    assert server_ledger.db.reconnects == 1
    pg_server.terminate(pid_of(server_ledger))
    server_ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523), expected=BLANK)  # BEGIN sent again
    assert server_ledger.db.reconnects == 2
    assert on_server(server_url, "1.3.1") == "1523"


def test_a_connection_cut_inside_a_transaction_is_said_and_saves_nothing(
        server_ledger: Ledger, server_url: str, pg_server) -> None:  # noqa: ANN001
    with pytest.raises(ServerUnreachableError) as err, server_ledger.transaction():
        server_ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
        pg_server.terminate(pid_of(server_ledger))
        server_ledger.record_figure("芙蓉区", "1.4.1", SEP, FigureValue.of(7))
    message = str(err.value)
    assert message.startswith(f"与数据库服务器 {pg.shown_url(server_url)} 的连接断开了")
    assert "刚才的修改没有保存" in message and "administrator command" in message
    assert on_server(server_url, "1.3.1") is None and server_ledger.db.reconnects == 0  # not sent again: the work is gone
    assert not server_ledger.db.in_transaction()
    assert server_ledger.figure("芙蓉区", "1.3.1", SEP) == BLANK  # the next call connects again
    server_ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1600))
    assert on_server(server_url, "1.3.1") == "1600"


def test_a_connection_cut_while_committing_tells_the_clerk_to_look(
        server_ledger: Ledger, server_url: str, pg_server) -> None:  # noqa: ANN001
    """The server is cut while it works on the COMMIT (a deferred trigger that takes its time): whether the edit was
    saved cannot be known from here, and the clerk is told to look rather than told it was not."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute("CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS "
                     "'BEGIN PERFORM pg_sleep(5); RETURN NULL; END'")
        conn.execute("CREATE CONSTRAINT TRIGGER slow AFTER INSERT ON audit_log DEFERRABLE INITIALLY DEFERRED "
                     "FOR EACH ROW EXECUTE FUNCTION slow_commit()")
    pid = pid_of(server_ledger)

    def cut_while_committing() -> None:
        with psycopg.connect(server_url, autocommit=True) as watch:
            for _ in range(200):
                if watch.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s AND query = 'COMMIT' "
                                 "AND wait_event = 'PgSleep'", (pid,)).fetchone():
                    pg_server.terminate(pid)
                    return
                time.sleep(0.025)

    cutter = threading.Thread(target=cut_while_committing)
    cutter.start()
    with pytest.raises(ServerUnreachableError) as err:
        server_ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    cutter.join(10)
    assert "连接在提交时断开，无法确定刚才的修改是否已经保存：恢复连接后请核对这项数据" in str(err.value)
    assert on_server(server_url, "1.3.1") is None  # here the server had not committed it


def test_a_write_outside_a_transaction_is_never_sent_twice(pg_url: str, pg_server) -> None:  # noqa: ANN001
    db = pg.PgDatabase(pg_url)
    db.connect()
    try:
        db.execute_sql("CREATE TABLE t (v INTEGER)")
        pg_server.terminate(db.connection().info.backend_pid)
        with pytest.raises(ServerUnreachableError, match="刚才的操作没有完成"):
            db.execute_sql("INSERT INTO t VALUES (?)", (1,))
        assert list(db.execute_sql("SELECT count(*) FROM t")) == [(0,)]  # connected again for the read
        assert db.reconnects == 1
    finally:
        db.close()


def test_a_server_that_stays_away_is_said_after_one_try_and_the_command_exits_2(
        server_ledger: Ledger, server_url: str, pg_server, tmp_path, capsys) -> None:  # noqa: ANN001
    name = server_url.rsplit("/", 1)[1]
    pg_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        pg_server.terminate(pid_of(server_ledger))
        with pytest.raises(ServerUnreachableError) as err:
            server_ledger.figure("芙蓉区", "1.3.1", SEP)
        assert "的连接断开了" in str(err.value) and "重新连接也没有成功" in str(err.value)
        assert "not currently accepting connections" in str(err.value)
        assert app.main(["export", "--org", "芙蓉区", "--database", server_url, "--data-dir", str(tmp_path / "pc"),
                         "--out", str(tmp_path / "x.xlsx")]) == 2
        said = capsys.readouterr().err
        assert said.startswith(f"错误：无法连接数据库服务器 {server_url}") and not (tmp_path / "x.xlsx").exists()
    finally:
        pg_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert server_ledger.figure("芙蓉区", "1.3.1", SEP) == BLANK  # the server is back: so is the ledger


def test_a_login_the_server_refuses_is_said_without_the_password(server_url: str, pg_server, tmp_path,  # noqa: ANN001
                                                                 capsys) -> None:  # noqa: ANN001
    pg_server.require_password("pw_clerk", "right-one")
    name = server_url.rsplit("/", 1)[1]
    wrong = f"postgresql://pw_clerk:Wr0ngSecret@127.0.0.1:{pg_server.port}/{name}"
    with pytest.raises(ServerLoginError) as err:
        Ledger.open(wrong)
    assert f"数据库服务器 postgresql://pw_clerk@127.0.0.1:{pg_server.port}/{name} 拒绝了登录" in str(err.value)
    assert "password authentication failed" in str(err.value) and "~/.pgpass" in str(err.value)
    assert app.main(["plan", "list", "--database", wrong, "--data-dir", str(tmp_path / "pc")]) == 2
    said = capsys.readouterr().err
    assert "拒绝了登录" in said and "Wr0ngSecret" not in said
    hidden = f"postgresql://pw_clerk@127.0.0.1:{pg_server.port}/{name}?password=Wr0ngSecret"
    with pytest.raises(ServerLoginError) as err:
        Ledger.open(hidden)
    assert "Wr0ngSecret" not in str(err.value)
    right = Ledger.open(f"postgresql://pw_clerk:right-one@127.0.0.1:{pg_server.port}/{name}")
    right.close()


def test_a_database_that_is_not_there_is_named(pg_server, tmp_path, capsys) -> None:  # noqa: ANN001
    url = pg_server.url("no_such_ledger")
    with pytest.raises(ServerLoginError, match="no_such_ledger 上没有地址中的这个数据库.*db init"):
        Ledger.open(url)
    assert app.main(["tasks", "--out", str(tmp_path / "t.pdf"), "--database", url,
                     "--data-dir", str(tmp_path / "pc")]) == 2
    assert "上没有地址中的这个数据库" in capsys.readouterr().err


def test_a_table_the_user_may_not_write_is_said_and_nothing_is_saved(server_url: str, pg_server) -> None:  # noqa: ANN001
    name = server_url.rsplit("/", 1)[1]
    pg_server.admin("DROP ROLE IF EXISTS reader_clerk")
    pg_server.admin("CREATE ROLE reader_clerk LOGIN")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader_clerk")
    ledger = Ledger.open(f"postgresql://reader_clerk@127.0.0.1:{pg_server.port}/{name}")
    try:
        assert ledger.figure("芙蓉区", "1.3.1", SEP) == BLANK  # reading is allowed
        with pytest.raises(ServerPermissionError) as err:
            ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
        assert "不允许当前用户做这项操作" in str(err.value) and "permission denied for table" in str(err.value)
        assert "刚才的修改没有保存" in str(err.value) and "GRANT" in str(err.value)
    finally:
        ledger.close()
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM reader_clerk")
        pg_server.admin("DROP ROLE reader_clerk")
    assert on_server(server_url, "1.3.1") is None


def test_a_statement_timeout_is_said_and_saves_nothing(server_url: str) -> None:
    """Another PC holds the cell (its transaction still open) longer than the server lets a statement wait."""
    hurried = Ledger.open(server_url + "?options=-c%20statement_timeout%3D300")
    other = Ledger.open(server_url)
    try:
        with other.transaction():
            other.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523), expected=BLANK)
            with pytest.raises(ServerBusyError) as err:
                hurried.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1600), expected=BLANK)
        assert "操作超时被服务器取消" in str(err.value) and "刚才的修改没有保存" in str(err.value)
        assert "请稍后再做一次" in str(err.value)
        assert hurried.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(1523)  # the same connection goes on
    finally:
        hurried.close()
        other.close()


def test_two_pcs_waiting_for_each_other_one_is_told_and_the_other_saves(server_url: str) -> None:
    """A deadlock: PC 1 holds 1.3.1 and wants 1.4.1, PC 2 holds 1.4.1 and wants 1.3.1. The server cancels one
    transaction whole; the other's saves both land."""
    pcs = [Ledger.open(server_url), Ledger.open(server_url)]
    holding = [threading.Event(), threading.Event()]
    outcome: list[object] = [None, None]

    def pc(n: int, first: str, then: str) -> None:
        try:
            with pcs[n].transaction():
                pcs[n].record_figure("芙蓉区", first, SEP, FigureValue.of(n + 1), expected=BLANK)
                holding[n].set()
                holding[1 - n].wait(10)
                pcs[n].record_figure("芙蓉区", then, SEP, FigureValue.of(n + 1), expected=BLANK)
            outcome[n] = "saved"
        except Exception as exc:  # noqa: BLE001 -- handed to the test's thread
            outcome[n] = exc

    threads = [threading.Thread(target=pc, args=(0, "1.3.1", "1.4.1")),
               threading.Thread(target=pc, args=(1, "1.4.1", "1.3.1"))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        for led in pcs:
            led.close()
    refused = [o for o in outcome if isinstance(o, ServerBusyError)]
    assert len(refused) == 1 and outcome.count("saved") == 1, outcome
    assert "死锁" in str(refused[0]) and "刚才的修改没有保存" in str(refused[0])
    winner = str(outcome.index("saved") + 1)
    assert on_server(server_url, "1.3.1") == on_server(server_url, "1.4.1") == winner


def test_a_serialization_failure_is_said_and_saves_nothing(server_url: str, pg_server) -> None:  # noqa: ANN001
    """With the server set to repeatable read, PC 2's transaction began before PC 1's save and writes the same cell."""
    name = server_url.rsplit("/", 1)[1]
    pg_server.admin(f"ALTER DATABASE \"{name}\" SET default_transaction_isolation = 'repeatable read'")
    first, second = Ledger.open(server_url), Ledger.open(server_url)
    try:
        with pytest.raises(ServerBusyError) as err, second.transaction():
            assert second.figure("芙蓉区", "1.3.1", SEP) == BLANK  # PC 2's snapshot
            first.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
            second.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1600))
        assert "无法串行化" in str(err.value) and "刚才的修改没有保存" in str(err.value)
    finally:
        first.close()
        second.close()
    assert on_server(server_url, "1.3.1") == "1523"


# -- the sentence a clerk reads: Chinese from start to end; libpq's own words after it, for the administrator --------
# Names a sentence may give the clerk to type or look for: files, commands, SQL for the administrator.
NAMES = {"pgpass", "Windows", "APPDATA", "postgresql", "conf", "main", "init", "database", "PGPASSWORD", "GRANT",
         "SELECT", "INSERT", "UPDATE", "DELETE"}


def english_in(sentence: str, url: str) -> list[str]:
    """The English words of a sentence, the server's address and the names it gives left out."""
    return [w for w in re.findall(r"[A-Za-z]{3,}", sentence.replace(url, "")) if w not in NAMES]


def test_a_server_nobody_answers_at_is_said_in_chinese_and_libpqs_words_follow_for_the_administrator(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    down = f"postgresql://clerk@127.0.0.1:{free_port()}/liubao"
    with pytest.raises(ServerUnreachableError) as err:
        pg.connect(down)
    error = err.value
    assert error.sentence == (f"无法连接数据库服务器 {down}：那台电脑没有接受连接（数据库服务没有启动，或端口不对）。"
                              "刚才的操作没有完成，数据没有改动。请检查地址和网络，或请服务器管理员确认数据库服务已启动。")
    assert english_in(error.sentence, down) == []
    assert "Connection refused" in error.detail and str(error) == f"{error.sentence}（供管理员参考：{error.detail}）"
    # the command says the same, on one line
    assert app.main(["export", "--org", "芙蓉区", "--database", down, "--data-dir", str(tmp_path / "pc")]) == 2
    said = capsys.readouterr().err
    assert said == f"错误：{error.sentence}（供管理员参考：{error.detail}）\n"


@pytest.mark.parametrize(("libpq_says", "reason"), [
    ('could not translate host name "ledger-server" to address: Name or service not known', "找不到这个服务器地址"),
    ("connection to server at \"10.0.0.9\", port 5432 failed: timeout expired", "连接超时"),
    ('connection to server at "10.0.0.9", port 5432 failed: No route to host', "网络不通"),
    ("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  the database system is starting up",
     "数据库服务正在启动、关闭或恢复"),
    ("something libpq never said before", "服务器没有回应"),
])
def test_why_a_connection_was_not_made_is_said_in_the_clerks_words(libpq_says: str, reason: str) -> None:
    url = "postgresql://clerk@ledger-server/liubao"
    error = pg_errors.translate(psycopg.OperationalError(libpq_says), url, connecting=True)
    assert isinstance(error, ServerUnreachableError)
    assert error.sentence.startswith(f"无法连接数据库服务器 {url}：{reason}") and english_in(error.sentence, url) == []
    assert error.detail == " ".join(libpq_says.split())


def test_every_sentence_of_the_server_is_chinese_with_its_words_after_it(server_url: str, pg_server) -> None:  # noqa: ANN001
    """Not only 'cannot reach': a login refused, a missing database, a permission, a timeout — the sentence is the
    clerk's, the server's words are in brackets at its end."""
    pg_server.require_password("pw_clerk2", "right-one")
    name = server_url.rsplit("/", 1)[1]
    for url in (f"postgresql://pw_clerk2:wrong@127.0.0.1:{pg_server.port}/{name}", pg_server.url("no_such_ledger")):
        with pytest.raises(ServerLoginError) as err:
            Ledger.open(url)
        assert english_in(err.value.sentence, pg.shown_url(url)) == [] and err.value.detail
        assert str(err.value).endswith(f"（供管理员参考：{err.value.detail}）")


def test_a_migrate_the_server_cancels_is_said_in_chinese_and_leaves_the_ledger_as_it_was(
        pg_url: str, pg_server, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    """Two administrators run db migrate at the same moment: the first holds the ledger's version in its transaction,
    the server's lock_timeout cancels the second. It says so in Chinese and exits 2 — never psycopg's traceback —
    and the ledger stays at v4 for the first to finish."""
    v4_ledger_on_server(pg_url)
    name = pg_url.rsplit("/", 1)[1]
    pg_server.admin(f"ALTER DATABASE \"{name}\" SET lock_timeout = '300ms'")
    with psycopg.connect(pg_url) as first:  # the first migrate's transaction, not committed yet
        first.execute(f"LOCK TABLE {pg.VERSION_TABLE} IN ACCESS EXCLUSIVE MODE")
        assert app.main(["db", "migrate", "--database", pg_url]) == 2
        first.rollback()
    said = capsys.readouterr().err
    assert said.startswith(f"错误：数据库服务器 {pg_url} 要修改的数据正被其他电脑锁定。刚才的操作没有完成，数据没有改动。")
    assert "Traceback" not in said and "lock timeout" in said  # the server's words, for the administrator
    assert "workstation" not in columns(pg_url, "audit_log")
    assert app.main(["db", "migrate", "--database", pg_url]) == 0  # once the first is done, it goes through
