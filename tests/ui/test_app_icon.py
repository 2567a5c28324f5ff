"""The window icon: PNGs drawn from the one SVG, so start-up never loads Qt's SVG module for it."""
from __future__ import annotations

import subprocess
import sys

from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from liubao_desktop.resources import resource_path
from liubao_desktop.ui.launch import ICON_SIZES, app_icon

from ..conftest import REPO


def test_every_png_is_the_svg_drawn_at_its_size(qapp) -> None:  # noqa: ANN001
    for size in ICON_SIZES:
        drawn = QImage(size, size, QImage.Format.Format_ARGB32)
        drawn.fill(0)
        painter = QPainter(drawn)
        QSvgRenderer(str(resource_path("icons", "app.svg"))).render(painter)
        painter.end()
        shipped = QImage(str(resource_path("icons", f"app-{size}.png"))).convertToFormat(QImage.Format.Format_ARGB32)
        assert shipped == drawn, f"icons/app-{size}.png differs from app.svg (re-render: see test)"
    assert sorted(s.width() for s in app_icon().availableSizes()) == list(ICON_SIZES)


def test_the_started_window_has_not_loaded_qt_svg(tmp_path) -> None:  # noqa: ANN001
    code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from liubao_desktop.ui.launch import make_app, open_window\n"
        "from liubao_desktop.services.ledger import Ledger\n"
        f"ledger = Ledger.open(__import__('pathlib').Path({str(tmp_path)!r}))\n"
        "from liubao_desktop.ui.window_preferences import window_preferences\n"
        "prefs = window_preferences(ledger.path.parent); prefs.set_office('430102'); prefs.set_operator('测试')\n"
        "prefs.sync()\n"
        "app = make_app(); w = open_window(ledger.path.parent, ledger); w.show(); app.processEvents()\n"
        "maps = open('/proc/self/maps').read()\n"
        "print('QtSvg' in maps or 'qsvgicon' in maps)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
