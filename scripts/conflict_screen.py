"""Renders the question a clerk gets when another PC saved the same figure first (issue 16), on a real PostgreSQL
server started for the purpose (tests/pg_server.py: Debian's binaries, a temporary folder, a free port), for README.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/conflict_screen.py docs/conflict-question.png
"""
from __future__ import annotations

import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={Path(__file__).with_name('offscreen-1440x900.json')}"

from liubao_desktop.domain.figures import FigureValue  # noqa: E402
from liubao_desktop.domain.periods import Period  # noqa: E402
from liubao_desktop.services.data_location import init_database  # noqa: E402
from liubao_desktop.services.ledger import Ledger  # noqa: E402
from liubao_desktop.services.sample_data import fill_sample_data  # noqa: E402
from liubao_desktop.services.workstation import Workstation  # noqa: E402
from tests import pg_server  # noqa: E402

OFFICE, TARGET, MONTH = "430102", "1.3.1", Period(2020, 10)


def main(out: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from liubao_desktop.ui.edits import CellField
    from liubao_desktop.ui.launch import make_app, open_window
    from liubao_desktop.ui.window_preferences import window_preferences

    server = pg_server.start()
    try:
        server.admin("CREATE DATABASE liubao")
        url = server.url("liubao")
        init_database(url)
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            prefs = window_preferences(data)
            prefs.set_office(OFFICE)
            prefs.set_operator("张三")
            prefs.sync()
            mine = Ledger.open(url, workstation=Workstation("FR-PC01", "张三"))
            fill_sample_data(mine, [OFFICE], MONTH)
            theirs = Ledger.open(url, workstation=Workstation("FR-PC02", "李四"))
            started = theirs.figure(OFFICE, TARGET, MONTH)
            theirs.record_figure(OFFICE, TARGET, MONTH, FigureValue(number=Decimal(4650)), expected=started)
            make_app()
            window = open_window(data, mine)
            assert window is not None
            window.set_period(MONTH)
            window.select_measure("1.3")
            window.show()

            def shoot() -> None:
                box = QApplication.activeModalWidget()
                assert box is not None, "the question did not come"
                box.grab().save(out)
                box.reject()

            QTimer.singleShot(300, shoot)
            window.edits.edit_cell(TARGET, CellField.FIGURE, FigureValue(number=Decimal(4700)), started)  # what 张三's cell showed
            window.close()
            mine.close()
            theirs.close()
            QApplication.processEvents()
    finally:
        server.stop()
    print(f"已保存截图 {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/conflict-question.png")
