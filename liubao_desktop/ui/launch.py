"""The GUI's start: one QApplication, the database opened safely, the office chosen, the window shown."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from .. import APP_NAME, APP_TITLE, crash
from ..resources import resource_path
from ..services import safety
from ..services.ledger import Ledger
from ..services.preferences import adopt_office
from ..services.workstation import adopt_operator
from .fonts import screen_font
from .main_window import MainWindow, org_in_ledger
from .window_preferences import window_preferences

log = logging.getLogger(__name__)


def install_qt_chinese(app: QApplication) -> bool:
    """Qt's own buttons and dialogs (确定/取消, the file and print dialogs) in Chinese, from the translations
    that ship with Qt; the interface is Chinese whatever the PC's language is set to."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    return True


# PNGs rendered from icons/app.svg (tests/ui/test_app_icon.py keeps them equal): an SVG icon would load QtSvg and
# its icon plug-in at start-up, ~1.8 MiB and ~1.5 ms before the first paint.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resource_path("icons", f"app-{size}.png")))
    return icon


def make_app(*, fresh_style: bool = False) -> QApplication:
    """The one QApplication of the process, set up on the first call: names, the CJK screen font, Qt's own Chinese,
    the icon; no app-wide style sheet (the few widgets with a look of their own get it in ui/look.py). A later call
    returns the same app untouched, because setting a font or a style sheet re-polishes every widget there is;
    fresh_style=True puts the font back and takes away a style sheet a caller set, still without a second
    translator."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0]])
    made = app.property("liubao.screen_font")
    if made is not None and not fresh_style:
        return app
    if made is None:
        app.setOrganizationName("liubao")
        app.setApplicationName(APP_NAME)
        app.setApplicationDisplayName(APP_TITLE)
        made = screen_font(app.font())
        install_qt_chinese(app)
        app.setWindowIcon(app_icon())
        app.setProperty("liubao.screen_font", made)
    app.setFont(made)
    if app.styleSheet():
        app.setStyleSheet("")
    return app


def open_window(data_dir: Path, ledger: Ledger) -> MainWindow | None:
    """The main window for the chosen office; asks for the office (and operator) on first start. Both are this
    PC's, from the data folder's settings.ini (moved there from a ledger file that kept them: ``adopt_operator``,
    ``adopt_office``): the ledger's writes are signed with the operator, the window opens on the office."""
    prefs = window_preferences(data_dir)
    operator = adopt_operator(ledger, prefs)
    org = adopt_office(ledger, prefs)
    if not org_in_ledger(ledger, org) or not operator:
        from .org_dialog import OrgDialog

        dialog = OrgDialog(ledger, None, prefs)
        if not dialog.exec() or not dialog.chosen_code:
            return None
        org = dialog.chosen_code
    return MainWindow(ledger, org, data_dir, prefs)


def run_gui(data_dir: Path) -> int:
    """The window on this PC's ledger file (created on first start, migrated after a backup, recovered)."""
    make_app()
    try:
        ledger = safety.open_ledger(data_dir)
    except Exception as exc:
        # A damaged file is explained and the newest good backup offered; nothing is overwritten silently.
        # The dialogs for that load only when they are needed.
        from .backup_dialog import recover_from

        ledger = recover_from(data_dir, exc)
    if ledger is None:
        return 1
    return run_window(data_dir, ledger)


def run_window(data_dir: Path, ledger: Ledger) -> int:
    """The window on an open ledger (this PC's file or a server's) until the clerk closes it; the ledger is
    closed at the end. ``data_dir`` holds this PC's settings.ini and the log."""
    app = make_app()
    try:
        window = open_window(data_dir, ledger)
    except Exception as exc:  # never a bare traceback at start: the log has it, the clerk gets a sentence
        from PySide6.QtWidgets import QMessageBox

        log.exception("the window could not be built")
        ledger.close()
        QMessageBox.critical(None, app.tr("无法打开窗口"), app.tr(
            "打开窗口时出现了意外错误（{what}），数据没有改动。错误经过已记录在日志文件 {log} 中，"
            "请把它发给技术支持人员。").format(what=f"{type(exc).__name__}: {exc}"[:200], log=crash.log_path(data_dir)))
        return 1
    if window is None:
        ledger.close()
        return 0
    window.show()
    show_start_notices(window, ledger)
    code = app.exec()
    window.ledger.close()
    return code


def show_start_notices(window: QWidget, ledger: Ledger) -> None:
    """What the start did to the data folder (a log moved aside), told once the window is there."""
    notices = ledger.start_notices
    if notices:
        from PySide6.QtWidgets import QMessageBox  # only for the rare start that has something to tell

        QMessageBox.information(window, window.tr("启动时的检查"), "\n\n".join(notices))
