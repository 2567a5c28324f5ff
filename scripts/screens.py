"""Shoots the whole screen of a real X server with the main window opened as at a clerk's start (the sample data of
芙蓉区, the window's own start-up size and clamping), for docs/: how the window fits a 1366×768 laptop, a 1920×1080
screen at 150% and a 1024×600 netbook.

    Xvfb :7 -screen 0 1366x768x24 &  DISPLAY=:7 openbox &
    DISPLAY=:7 .venv/bin/python scripts/screens.py docs/window-1366x768.png [--measure 1.3] [--saved-geometry WxH]
    DISPLAY=:7 QT_SCALE_FACTOR=1.5 .venv/bin/python scripts/screens.py docs/window-1920x1080-150.png

--saved-geometry: settings.ini holds a geometry saved on a bigger screen first (the window must still fit).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from liubao_desktop.domain.periods import Period  # noqa: E402
from liubao_desktop.services.ledger import Ledger  # noqa: E402
from liubao_desktop.services.sample_data import fill_sample_data  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--measure", default="1.3")
    parser.add_argument("--all-targets", action="store_true")
    parser.add_argument("--saved-geometry", default="")
    parser.add_argument("--focus", default="", help="objectName of the widget to give the focus")
    args = parser.parse_args()

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QWidget

    from liubao_desktop.ui.launch import make_app, open_window
    from liubao_desktop.ui.window_preferences import window_preferences

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        ledger = Ledger.open(data)
        prefs = window_preferences(data)  # this PC's office and operator, as the first start saves them
        prefs.set_office("430102")
        prefs.set_operator("示例")
        prefs.sync()
        fill_sample_data(ledger, [o.code for o in ledger.orgs()], Period(2020, 10))
        app = make_app()
        if args.saved_geometry:
            w, h = (int(n) for n in args.saved_geometry.split("x"))
            big = QWidget()
            big.setGeometry(100, 100, w, h)
            prefs = window_preferences(data)
            prefs.set_geometry(big.saveGeometry().data())
            prefs.sync()
        window = open_window(data, ledger)
        assert window is not None
        window.set_period(Period(2020, 10))
        if args.all_targets:
            window.show_all_targets()
        else:
            window.select_measure(args.measure)
        window.show()

        def shoot() -> None:
            if args.focus:
                target = window.findChild(QWidget, args.focus)
                if target is not None:
                    target.setFocus()
            QApplication.processEvents()
            QTimer.singleShot(300, finish)

        def finish() -> None:
            screen = QGuiApplication.primaryScreen()
            screen.grabWindow(0).save(args.out)
            frame, avail = window.frameGeometry(), screen.availableGeometry()
            print(f"screen {screen.geometry().width()}x{screen.geometry().height()} (logical), available "
                  f"{avail.width()}x{avail.height()}, window frame {frame.x()},{frame.y()} "
                  f"{frame.width()}x{frame.height()}, rows shown {visible_rows(window)}")
            window.close()
            app.quit()

        QTimer.singleShot(1500, shoot)
        app.exec()
        window.ledger.close()
    return 0


def visible_rows(window) -> int:  # noqa: ANN001
    view = window.targets_view
    height = view.viewport().height()
    return sum(1 for r in range(view.model().rowCount())
               if view.rowViewportPosition(r) >= 0 and view.rowViewportPosition(r) + view.rowHeight(r) <= height)


if __name__ == "__main__":
    sys.exit(main())
