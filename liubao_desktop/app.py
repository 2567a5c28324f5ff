"""Start-up order: logging → excepthook → arguments → (CLI command | QApplication → open store → MainWindow).

Heavy modules (openpyxl, pinyin tables, the widgets) are imported only on the paths that need them, so the
window appears as fast as a bare Qt window does.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from . import APP_NAME, APP_TITLE, __version__

log = logging.getLogger(__name__)

# Commands that never open the data folder's database, so they need no instance lock.
# (`db` names its own folders or servers: --from, --to.)
COMMANDS_WITHOUT_DATA = frozenset({"make-seed", "db"})
# Commands that only read the database: on an existing, current database they run without the instance lock,
# beside an open window (see storage.database.reading_beside_running_copy).
READ_ONLY_COMMANDS = frozenset({"plan", "export", "tasks"})


def build_parser() -> argparse.ArgumentParser:
    from . import cli, cli_words

    cli_words.install()

    parser = cli_words.Parser(prog="liubao", description=f"{APP_TITLE}：长沙市“六保”任务进展台账")
    parser.add_argument("--data-dir", type=Path, default=None, metavar="文件夹",
                        help="数据文件夹（默认为系统的应用数据目录）")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}", help="显示版本号并退出")
    # The window on a server's ledger (a command takes its own --database): a dest of its own, so that a command's
    # default cannot hide it — `--database URL export` is refused, never run on this PC's file.
    parser.add_argument("--database", dest="window_database", default=None, metavar="URL",
                        help="打开服务器上的台账：postgresql://用户@服务器[:端口]/数据库（密码见 ~/.pgpass，或启动时询问）")
    sub = parser.add_subparsers(dest="command", title="命令", metavar="命令")
    cli.add_commands(sub)
    # `main.py plan --json --data-dir DIR` must work as well as `main.py --data-dir DIR plan --json`.
    for command in sub.choices.values():
        command.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, metavar="文件夹", help="数据文件夹")
    return parser


def default_data_dir() -> Path:
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setOrganizationName("liubao")
    QCoreApplication.setApplicationName(APP_NAME)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def _writes(args: argparse.Namespace) -> bool:
    """A read-only command's form that writes after all: `plan import --yes` saves the plan it read."""
    return args.command == "plan" and getattr(args, "plan_command", None) == "import" and bool(args.yes)


def has_display() -> bool:
    """False where a GUI would make Qt abort: Linux without X11/Wayland and no offscreen platform asked for."""
    if not sys.platform.startswith("linux"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _can_read_beside_a_window(data_dir: Path) -> bool:
    """A read-only command needs no lock when the database exists and has the current schema (nothing to
    create, nothing to migrate). A file that fails its check also runs lock-free: the command reports the
    problem without touching it. Only an older schema (to migrate) or a missing file (to create) needs the lock."""
    from .storage.database import DB_FILENAME, StorageError, check_file
    from .storage.schema import SCHEMA_VERSION

    path = data_dir / DB_FILENAME
    if not path.exists():
        return False
    try:
        return check_file(path) >= SCHEMA_VERSION
    except StorageError:
        return True


def _printable_streams() -> None:
    """A message naming a file whose name is not valid UTF-8 must still print, not end in a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


WINDOW_OPTIONS = ("--data-dir", "--database")  # the window's own options: its folder, a server's ledger


def _opens_the_window(argv: list[str]) -> bool:
    """True when the command line names no command and no option but the data folder and the server: main()
    opens the window."""
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg in WINDOW_OPTIONS and rest:
            rest.pop(0)
        elif not arg.startswith(tuple(f"{o}=" for o in WINDOW_OPTIONS)):
            return False
    return True


def _window_args(argv: list[str]) -> argparse.Namespace:
    """What the parser would make of a command line _opens_the_window accepted, without building it: the
    commands' parsers, their help and cli.py cost the window's start a few ms."""
    values: dict[str, str] = {}
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        name, _, value = arg.partition("=")
        values[name] = rest.pop(0) if arg in WINDOW_OPTIONS else value
    data_dir = values.get("--data-dir")
    return argparse.Namespace(data_dir=None if data_dir is None else Path(data_dir), command=None,
                              window_database=values.get("--database"))


def _window_server(args: argparse.Namespace, data_dir: Path) -> str | None:
    """The server whose ledger the window opens: --database, else the one chosen in 数据 → 数据库连接… (this PC's
    settings.ini), else None (the data folder's file). ValueError in Chinese for a --database that is no URL."""
    url = getattr(args, "window_database", None)
    if url is not None:
        from .services.data_location import is_database_url

        if not is_database_url(url):
            raise ValueError(f"--database 应为 postgresql://用户@服务器/数据库，而不是“{url}”。")
        return url
    from .ui.window_preferences import window_preferences

    return window_preferences(data_dir).server_url()


def _quicker_pyside_imports() -> None:
    """PySide6 looks at every module imported after it for the word "PySide6" (to scope its opt-in
    ``__feature__`` switches) with ``inspect.getsource``, which tokenizes the file and keeps its lines in
    ``linecache`` for the life of the process: ~15 ms and ~5 MiB over the window's start. The same answer
    from the file's bytes, read once and not kept. Imported here, before the window's modules, so they all
    get it; anything unusual (no .py file, an unreadable one, another PySide6) is left to PySide6's own test."""
    import PySide6.QtCore  # noqa: F401  (the window needs it anyway)

    feature = sys.modules.get("shibokensupport.feature")
    upstream = getattr(feature, "_mod_uses_pyside", None)
    if upstream is None or getattr(upstream, "reads_bytes", False):
        return

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(upstream(module))
        try:
            with open(path, "rb") as fh:
                return b"PySide6" in fh.read()
        except OSError:
            return bool(upstream(module))

    uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside


def _local_data_dir(data_dir: Path, *, window: bool) -> Path | None:
    """``data_dir``, unless it is on a network share (SQLite must not be used there): a command prints why and
    gets None; the window offers to copy the ledger onto this PC and goes on with the copy (None: the clerk
    declined). Nothing is written to the share, not even the log."""
    from .services.data_location import network_refusal

    refusal = network_refusal(data_dir)
    if refusal is None:
        return data_dir
    print(refusal, file=sys.stderr)
    if not window or not has_display():
        return None
    from .ui.network_dialog import offer_local_copy

    return offer_local_copy(data_dir, refusal, suggested=default_data_dir())


def main(argv: list[str] | None = None) -> int:
    _printable_streams()
    argv = sys.argv[1:] if argv is None else argv
    if _opens_the_window(argv):
        _quicker_pyside_imports()
        args = _window_args(argv)
    else:
        args = build_parser().parse_args(argv)
    # The log file gets everything; the console only the window's warnings. A headless command speaks to
    # the clerk in Chinese sentences of its own, never in the developers' English log lines.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.WARNING if not args.command else logging.CRITICAL + 1)
    # abspath, not resolve(): on Windows resolve() turns a mapped drive (Z:\\) into its UNC path
    data_dir = Path(os.path.abspath((args.data_dir or default_data_dir()).expanduser()))
    from .crash import install_excepthook, setup_file_logging
    from .files.data_folder import DataFolderError, prepare

    if args.command not in COMMANDS_WITHOUT_DATA:
        data_dir = _local_data_dir(data_dir, window=not args.command)
        if data_dir is None:
            return 2
        try:
            prepare(data_dir)
        except DataFolderError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
    setup_file_logging(data_dir)
    install_excepthook(data_dir)
    if args.command in COMMANDS_WITHOUT_DATA:
        from . import cli

        return cli.run(args, data_dir)
    if args.command and getattr(args, "window_database", None):
        print("错误：命令前的 --database 只用于打开窗口；请把它写在命令之后，例如 "
              "python main.py export --database postgresql://用户@服务器/数据库 …", file=sys.stderr)
        return 2
    if args.command:  # without --database: the server this PC's window opens, if it opens one (settings.ini)
        from . import cli

        cli.follow_chosen_server(args, data_dir)
    if getattr(args, "database", None):  # a ledger on a server (issue 16): no file here to create, migrate or lock
        from . import cli

        return cli.run(args, data_dir)
    if not args.command and not has_display():
        print(
            "没有可用的图形显示（未设置 DISPLAY），无法打开窗口。"
            "可以使用命令行功能，例如：python main.py plan --json、python main.py export、python main.py tasks。",
            file=sys.stderr,
        )
        return 2
    if not args.command:
        try:
            server = _window_server(args, data_dir)
        except ValueError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
        if server:  # no lock, no day's backup, no file here: the server keeps the ledger (ui/server_start.py)
            from .ui.crash_relay import install_crash_dialog
            from .ui.server_start import USE_LOCAL, run_gui_on_server

            install_crash_dialog()
            started = run_gui_on_server(data_dir, server)
            if started != USE_LOCAL:
                return int(started)
            # the clerk chose this PC's file for this session: started below as every start on it is
    if args.command in READ_ONLY_COMMANDS and not _writes(args) and _can_read_beside_a_window(data_dir):
        from . import cli
        from .storage.database import reading_beside_running_copy

        with reading_beside_running_copy():
            return cli.run(args, data_dir)
    # One running copy per data folder; the lock is taken before anything opens the database.
    from .services.safety import StorageError
    from .single_instance import acquire_instance_lock, already_running_message

    try:
        lock = acquire_instance_lock(data_dir)
        refusal = None if lock is not None else already_running_message(data_dir)
    except StorageError as exc:
        lock, refusal = None, str(exc)
    if lock is None and args.command in READ_ONLY_COMMANDS and refusal and refusal.startswith("软件已经打开"):
        refusal = (f"这个命令需要先升级或创建数据文件，只能在没有其他窗口使用这个数据文件夹时进行，软件没有改动它。"
                   f"请关闭窗口后再运行。\n{refusal}")
    if lock is None:
        print(refusal, file=sys.stderr)
        if not args.command:
            from .ui.instance_dialog import show_start_refused

            show_start_refused(refusal or "")
        return 1
    try:
        if args.command:
            from . import cli

            return cli.run(args, data_dir)
        from .services.safety import start_of_day
        from .ui.crash_relay import install_crash_dialog
        from .ui.launch import run_gui

        start_of_day(data_dir)  # the first start of a day backs the database up before it is opened
        install_crash_dialog()
        return run_gui(data_dir)
    finally:
        lock.unlock()
