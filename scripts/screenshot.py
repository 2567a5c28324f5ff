"""Renders the real main window with sample data (marked 示例数据) to a PNG for the README, and the 分解目标 dialog
as a district sees it at first start (one 分解目标 pasted, the rest still 未分解).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot.py docs/main-window.png docs/local-targets.png
"""
from __future__ import annotations

import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# Qt's offscreen screen is 800×800, and the window keeps inside its screen (ui/window_fit.py): give it an office
# PC's 1440×900 so the picture is the window a clerk sees, not one squeezed to fit.
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={Path(__file__).with_name('offscreen-1440x900.json')}"

from liubao_desktop.domain.figures import FigureValue  # noqa: E402
from liubao_desktop.domain.periods import Period  # noqa: E402
from liubao_desktop.services.ledger import Ledger  # noqa: E402
from liubao_desktop.services.sample_data import fill_sample_data  # noqa: E402


def settle() -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(5):
        QApplication.processEvents()


def main_window(out: str) -> None:
    from PySide6.QtWidgets import QApplication

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
        make_app()
        window = open_window(data, ledger)
        assert window is not None
        window.resize(1400, 880)
        window.set_period(Period(2020, 10))
        window.select_measure("4.2")  # 完成时限（部分任务）, a count against 序时 and levels 达到 / 未达到
        window.show()
        settle()
        window.grab().save(out)
        window.close()
        window.ledger.close()
        QApplication.processEvents()
    print(f"已保存截图 {out}")


def local_targets(out: str) -> None:
    """芙蓉区 at first start: 1523 typed for 1.3.1 in 2020年9月, the city's sheet gave 1400; the rest 未分解."""
    from PySide6.QtWidgets import QApplication

    from liubao_desktop.ui.launch import make_app, open_window
    from liubao_desktop.ui.window_preferences import window_preferences

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        ledger = Ledger.open(data)
        prefs = window_preferences(data)  # this PC's office and operator, as the first start saves them
        prefs.set_office("430102")
        prefs.set_operator("示例")
        prefs.sync()
        ledger.record_figure("430102", "1.3.1", Period(2020, 9), FigureValue.of(1523))
        ledger.set_local_target("430102", "1.3.1", Decimal(1400))
        make_app()
        window = open_window(data, ledger)
        assert window is not None
        window.set_period(Period(2020, 9))
        window.show()
        settle()
        dialog = window.show_local_targets()
        assert dialog is not None
        dialog.only_amounts.setChecked(True)
        dialog.resize(1000, 640)
        settle()
        dialog.grab().save(out)
        dialog.reject()
        window.close()
        window.ledger.close()
        QApplication.processEvents()
    print(f"已保存截图 {out}")


if __name__ == "__main__":
    main_window(sys.argv[1] if len(sys.argv) > 1 else "docs/main-window.png")
    local_targets(sys.argv[2] if len(sys.argv) > 2 else "docs/local-targets.png")
