"""Issue 16: what goes wrong on a PostgreSQL server is said in Chinese, from the one place PgDatabase runs SQL — a
connection cut by the administrator, a server that stays away, a login refused, a database missing, a table the
user may not write, a statement timeout, a deadlock, a serialization failure — with the URL shown without its
password. A connection lost while nothing was in hand (a PC left idle over lunch) is made again once, transparently;
never inside a transaction, never by sending a write twice. All on a real server (tests/pg_server.py)."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import psycopg
import pytest

from liubao_desktop import app
from liubao_desktop.domain.figures import BLANK, FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.data_location import init_database
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.storage import pg
from liubao_desktop.storage.errors import (
    ServerBusyError,
    ServerLoginError,
    ServerPermissionError,
    ServerUnreachableError,
)

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
    with pytest.raises(ServerLoginError, match="上没有地址中的这个数据库.*no_such_ledger.*db init"):
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
