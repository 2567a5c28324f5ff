"""Issue 16, the window on a server: a clerk opens the office's ledger on the LAN's PostgreSQL server (tests/pg_server.py,
a real one) — from `main.py --database URL` or from the server chosen in 数据 → 数据库连接… — types into it, is asked
the password once per session when the PC has no password file, and is never left with a crash or a silent switch
when the server is down or holds a ledger this version must not use."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from PySide6.QtWidgets import QMessageBox

from liubao_desktop import app, crash
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.data_location import init_database
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.preferences import WindowPreferences
from liubao_desktop.services.server_connection import ServerAddress
from liubao_desktop.single_instance import acquire_instance_lock
from liubao_desktop.storage.schema import SCHEMA_VERSION
from liubao_desktop.ui import launch, server_password, server_start
from liubao_desktop.ui.crash_dialog import CrashDialog
from liubao_desktop.ui.crash_relay import SERVER_PROPERTY
from liubao_desktop.ui.launch import make_app, open_window
from liubao_desktop.ui.server_dialog import DatabaseDialog
from liubao_desktop.ui.server_password import PasswordDialog
from liubao_desktop.ui.targets_model import COL_PERIOD
from liubao_desktop.ui.window_preferences import window_preferences
from tests.conftest import REPO, close_and_delete
from tests.memory_ini import MemoryIni
from tests.pg_server import free_port

from .test_main_window import type_into_cell

SEP = Period(2020, 9)
CLERK, SECRET = "clerk_pw", "秘密-Pa55"  # a role the test server asks a password of


@pytest.fixture(autouse=True)
def no_password_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A PC where the administrator set no password file and no PGPASSWORD; a new session's memory."""
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    server_password.forget_passwords()
    yield
    server_password.forget_passwords()


@pytest.fixture
def server_url(pg_url: str, data_dir: Path) -> str:
    """An office's ledger on the server (`db init`), its office and operator chosen at an earlier start (both this
    PC's: settings.ini)."""
    init_database(pg_url)
    prefs = window_preferences(data_dir)
    prefs.set_office("430102")
    prefs.set_operator("张三")
    prefs.sync()
    return pg_url


@pytest.fixture
def password_url(pg_server, server_url: str) -> str:  # noqa: ANN001
    """The same ledger reached as a role the server asks a password of (scram-sha-256 in pg_hba.conf)."""
    hba = pg_server.folder / "data" / "pg_hba.conf"
    rule = f"host all {CLERK} 127.0.0.1/32 scram-sha-256\n"
    if rule not in hba.read_text():
        hba.write_text(rule + hba.read_text())
        pg_server.admin("SELECT pg_reload_conf()")
        pg_server.admin(f"CREATE ROLE {CLERK} LOGIN SUPERUSER PASSWORD '{SECRET}'")
    address = ServerAddress.from_url(server_url)
    return ServerAddress(address.host, address.port, address.database, CLERK).url()


@pytest.fixture
def typed_password(monkeypatch: pytest.MonkeyPatch) -> list[PasswordDialog]:
    """The password dialog as the clerk answers it: the right password typed, 连接. Each dialog shown is kept."""
    asked: list[PasswordDialog] = []

    def answer(dialog: PasswordDialog) -> int:
        asked.append(dialog)
        dialog.deleteLater = lambda: None  # type: ignore[method-assign]  # read by the test; conftest deletes it
        dialog.password.setText(SECRET)
        return PasswordDialog.DialogCode.Accepted

    monkeypatch.setattr(PasswordDialog, "exec", answer)
    return asked


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[list[str], list[QMessageBox]]]:
    """The start's problem box answered from a list (重试, 改用本机数据, 退出); each box shown is recorded."""
    planned: list[str] = []
    shown: list[QMessageBox] = []

    def ask(box: QMessageBox) -> str:
        box.deleteLater = lambda: None  # type: ignore[method-assign]  # read by the test, deleted below
        shown.append(box)
        return planned.pop(0)

    monkeypatch.setattr(server_start, "ask", ask)
    yield planned, shown
    for box in shown:
        QMessageBox.deleteLater(box)


def on_server(qtbot, data_dir: Path, url: str):  # noqa: ANN001, ANN201
    make_app()
    ledger = server_start.connect_at_start(url)
    assert isinstance(ledger, Ledger) and ledger.on_server
    win = open_window(data_dir, ledger)
    assert win is not None
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def open_on_server(qtbot, data_dir: Path):  # noqa: ANN001, ANN201
    """Opens windows on a server's ledger; each is closed (by pytest-qt), deleted and its ledger closed at the end."""
    made = []

    def open_(url: str):  # noqa: ANN202
        made.append(on_server(qtbot, data_dir, url))
        return made[-1]

    yield open_
    for win in made:
        close_and_delete(win)
        win.ledger.close()


@pytest.fixture
def server_window(open_on_server, server_url: str):  # noqa: ANN001, ANN201
    return open_on_server(server_url)


def no_ledger_file_here(data_dir: Path) -> bool:
    return not (data_dir / "liubao.sqlite3").exists() and not (data_dir / "backups").exists()


def test_the_window_opens_on_the_server_and_says_so(server_window, data_dir: Path, server_url: str) -> None:  # noqa: ANN001
    where = f"服务器 127.0.0.1:{ServerAddress.from_url(server_url).port}/{ServerAddress.from_url(server_url).database}"
    assert server_window.tree_model.rowCount() > 0 and server_window.report is not None  # the plan, from the server
    server_window.select_measure("1.3")
    assert server_window.title_label.text().startswith("1.3")
    assert server_window.windowTitle().endswith(where) and "芙蓉区" in server_window.windowTitle()
    assert server_window.place_label.text() == f"数据：{where}"
    assert no_ledger_file_here(data_dir)


def test_an_edit_in_the_window_lands_on_the_server(qtbot, server_window, server_url: str) -> None:  # noqa: ANN001
    server_window.select_measure("1.3")
    server_window.set_period(SEP)
    type_into_cell(qtbot, server_window, server_window.targets_model.row_of("1.3.1"), COL_PERIOD, "1523")
    assert "已保存" in server_window.statusBar().currentMessage()
    elsewhere = Ledger.open(server_url)  # another PC's view of the same ledger
    try:
        assert elsewhere.figure("430102", "1.3.1", SEP).number == 1523
    finally:
        elsewhere.close()


def test_backups_of_a_file_do_not_apply_to_a_server_ledger(server_window, window) -> None:  # noqa: ANN001
    assert not server_window.backup_action.isEnabled()
    assert "管理员" in server_window.backup_action.toolTip() and "db copy" in server_window.backup_action.toolTip()
    assert window.backup_action.isEnabled()  # this PC's file: backups as always
    assert window.place_label.text() == "数据：本机数据文件 liubao.sqlite3"
    assert str(window.data_dir) in window.place_label.toolTip()


def test_main_with_database_opens_the_window_there_without_a_lock_or_a_file(
        data_dir: Path, server_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    def run_window(folder: Path, ledger: Ledger) -> int:
        opened.append(ledger.location)
        lock = acquire_instance_lock(folder)  # nobody holds this folder's lock
        assert lock is not None
        lock.unlock()
        ledger.close()
        return 0

    monkeypatch.setattr(launch, "run_window", run_window)
    monkeypatch.setattr(launch, "run_gui", lambda folder: pytest.fail("opened this PC's file"))
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)  # app.main installs its own
    try:
        assert app.main(["--data-dir", str(data_dir), "--database", server_url]) == 0
    finally:
        crash.set_notifier(None)
    assert opened == [server_url]
    assert no_ledger_file_here(data_dir) and (data_dir / "logs").is_dir()


def test_database_before_a_command_is_refused_not_run_on_this_pc(data_dir: Path, server_url: str, capsys) -> None:  # noqa: ANN001
    assert app.main(["--data-dir", str(data_dir), "--database", server_url, "plan", "--json"]) == 2
    assert "写在命令之后" in capsys.readouterr().err
    assert no_ledger_file_here(data_dir)


def test_the_dialog_keeps_the_server_in_settings_ini_without_the_password(
        qtbot, window, data_dir: Path, password_url: str, typed_password: list[PasswordDialog],  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    dialog = DatabaseDialog(window.prefs, window.data_dir, window.ledger.location, window)
    qtbot.addWidget(dialog)
    assert dialog.local.isChecked() and not dialog.fields.isEnabled()  # this PC's file, the default
    dialog.server.setChecked(True)
    address = ServerAddress.from_url(password_url)
    dialog.host.setText(address.host)
    dialog.port.setValue(address.port)
    dialog.database.setText(address.database)
    dialog.user.setText(CLERK)

    dialog.test_button.click()
    assert len(typed_password) == 1 and not typed_password[0].problem.isVisible()
    assert dialog.result.text().startswith("连接成功") and "方案 1 个" in dialog.result.text()
    dialog.save()

    ini = (data_dir / "settings.ini").read_bytes()
    assert password_url.encode() in ini and f"{CLERK}@127.0.0.1".encode() in ini
    assert SECRET.encode() not in ini and SECRET.encode("utf-16-le") not in ini
    for log in (data_dir / "logs").glob("*"):
        assert SECRET.encode() not in log.read_bytes()
    assert window_preferences(data_dir).server_url() == password_url
    assert told and "以后启动软件时打开服务器" in told[0] and "关闭软件后重新打开" in told[0]
    assert window.ledger.location.endswith("liubao.sqlite3")  # the open window keeps its ledger until the next start


def test_the_dialog_says_why_a_connection_failed(qtbot, window, pg_url: str) -> None:  # noqa: ANN001
    dialog = DatabaseDialog(window.prefs, window.data_dir, window.ledger.location, window)
    qtbot.addWidget(dialog)
    dialog.server.setChecked(True)
    dialog.test_button.click()
    assert dialog.result.text() == "请填写服务器地址（计算机名或 IP 地址，如 192.168.1.10）。"
    address = ServerAddress.from_url(pg_url)  # an empty database: no ledger in it
    dialog.host.setText(address.host)
    dialog.port.setValue(address.port)
    dialog.database.setText(address.database)
    dialog.user.setText(address.user)
    dialog.test_button.click()
    assert "不是“六保任务台账”的数据" in dialog.result.text() and "db init" in dialog.result.text()
    dialog.port.setValue(free_port())
    dialog.test_button.click()
    assert dialog.result.text().startswith("无法连接数据库服务器")


def test_the_password_is_asked_once_per_session_and_again_when_refused(
        qtbot, open_on_server, password_url: str, typed_password: list[PasswordDialog],  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    win = open_on_server(password_url)
    assert len(typed_password) == 1
    assert CLERK in typed_password[0].intro.text() and "不写入任何文件" in typed_password[0].intro.text()
    dialog = DatabaseDialog(win.prefs, win.data_dir, win.ledger.location, win)
    qtbot.addWidget(dialog)
    assert dialog.user.text() == CLERK  # the server the window is on, offered
    dialog.server.setChecked(True)
    dialog.test_button.click()
    assert dialog.result.text().startswith("连接成功")
    again = server_start.connect_at_start(password_url)
    assert isinstance(again, Ledger)
    again.close()
    assert len(typed_password) == 1  # asked once in this session

    server_password.forget_passwords()  # a new session; the clerk mistypes first
    typed: list[str] = ["wrong", SECRET]
    shown: list[PasswordDialog] = []

    def answer(dialog: PasswordDialog) -> int:
        shown.append(dialog)
        dialog.deleteLater = lambda: None  # type: ignore[method-assign]
        dialog.password.setText(typed.pop(0))
        return PasswordDialog.DialogCode.Accepted

    monkeypatch.setattr(PasswordDialog, "exec", answer)
    ledger = server_start.connect_at_start(password_url)
    assert isinstance(ledger, Ledger)
    ledger.close()
    assert len(shown) == 2 and not shown[0].problem.isVisibleTo(shown[0])
    assert shown[1].problem.isVisibleTo(shown[1]) and "没有接受这个密码" in shown[1].problem.text()
    assert "wrong" not in shown[1].problem.text()


def test_an_unreachable_server_offers_retry_this_pcs_data_or_quit(
        data_dir: Path, answers: tuple[list[str], list[QMessageBox]], monkeypatch: pytest.MonkeyPatch) -> None:
    planned, shown = answers
    down = f"postgresql://liubao@127.0.0.1:{free_port()}/liubao"
    make_app()
    planned += [server_start.RETRY, server_start.LOCAL]
    assert server_start.connect_at_start(down) == server_start.USE_LOCAL
    assert len(shown) == 2
    box = shown[0]
    assert box.windowTitle() == "无法连接数据库服务器" and box.text().startswith("无法连接数据库服务器 " + down)
    sentence, _, detail = box.text().partition("（供管理员参考：")  # the clerk's words first, libpq's after them
    assert "那台电脑没有接受连接（数据库服务没有启动，或端口不对）" in sentence and "refused" not in sentence
    assert "Connection refused" in detail
    assert sorted(b.text() for b in box.buttons()) == sorted(["重试", "改用本机数据", "退出"])
    assert "下次启动仍连接服务器" in box.informativeText()

    # The server chosen on this PC, down at start: 改用本机数据 starts on the file as ever (lock, day's backup)…
    prefs = window_preferences(data_dir)
    prefs.set_database(down)
    prefs.sync()
    started: list[bool] = []

    def run_gui(folder: Path) -> int:
        started.append(acquire_instance_lock(folder) is None)  # the file's lock is held by this start
        return 0

    monkeypatch.setattr(launch, "run_gui", run_gui)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    try:
        planned.append(server_start.LOCAL)
        assert app.main(["--data-dir", str(data_dir)]) == 0
        assert started == [True]
        assert window_preferences(data_dir).server_url() == down  # for this session only: no silent switch
        # … and 退出 opens nothing at all
        planned.append(server_start.QUIT)
        assert app.main(["--data-dir", str(data_dir)]) == 1
    finally:
        crash.set_notifier(None)
    assert started == [True] and not (data_dir / "liubao.sqlite3").exists()


@pytest.mark.parametrize(("change", "said"), [
    ("older", "请运行 main.py db migrate --database"),
    ("newer", "由更新版本的软件创建"),
    ("not ours", "不是“六保任务台账”的数据"),
])
def test_a_ledger_this_version_must_not_use_is_refused_and_left_as_it_was(
        pg_url: str, change: str, said: str, answers: tuple[list[str], list[QMessageBox]]) -> None:
    if change != "not ours":
        init_database(pg_url)
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("UPDATE liubao_schema SET version = %s",
                         (SCHEMA_VERSION - 1 if change == "older" else SCHEMA_VERSION + 1,))
    before = tables(pg_url)
    planned, shown = answers
    planned.append(server_start.QUIT)
    make_app()
    assert server_start.connect_at_start(pg_url) is None
    assert shown[0].windowTitle() == "不能使用服务器上的台账" and said in shown[0].text()
    assert tables(pg_url) == before


def tables(url: str) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        names = [r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'public' ORDER BY 1")]
        version = conn.execute("SELECT version FROM liubao_schema").fetchall() if "liubao_schema" in names else []
    return [*names, *version]


def test_the_crash_dialog_on_a_server_checks_no_file_of_this_pc(qapp, data_dir: Path) -> None:  # noqa: ANN001
    qapp.setProperty(SERVER_PROPERTY, "服务器 127.0.0.1/liubao")
    try:
        dialog = CrashDialog("RuntimeError: x", data_dir / "logs" / "liubao.log")
        assert dialog.data_problem is None and "服务器 127.0.0.1/liubao" in dialog.headline.text()
        assert "找不到数据文件" not in dialog.body.text()
        close_and_delete(dialog)
    finally:
        qapp.setProperty(SERVER_PROPERTY, None)


def test_a_password_in_a_url_never_reaches_settings_ini() -> None:
    store = MemoryIni()
    prefs = WindowPreferences(store)
    prefs.set_database("postgresql://clerk:geheim@server:5433/liubao")
    assert prefs.server_url() == "postgresql://clerk@server:5433/liubao" and "geheim" not in str(store)
    prefs.set_database(None)
    assert prefs.server_url() is None and prefs.saved_server_url() == "postgresql://clerk@server:5433/liubao"


def test_the_start_on_this_pcs_file_loads_nothing_of_the_server_path(data_dir: Path) -> None:
    """Issue 9's start-up: the window on the data folder's file imports no psycopg and no server module."""
    code = (
        "import sys; from pathlib import Path; from liubao_desktop import app;"
        "from liubao_desktop.ui.launch import make_app, open_window; from liubao_desktop.services import safety;"
        f"d = Path({str(data_dir)!r}); make_app(); assert app._window_server(app._window_args([]), d) is None;"
        "led = safety.open_ledger(d); led.set_setting('current_org', '430102'); led.set_setting('operator', '张');"
        "w = open_window(d, led); w.show();"
        "print(sorted(m for m in sys.modules if 'psycopg' in m or 'server_' in m or m.startswith('liubao_desktop.storage.pg')))")
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
