"""Renders the real main window with sample data (marked 示例数据) to a PNG for the README.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot.py docs/main-window.png
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from liubao_desktop.domain.periods import Period  # noqa: E402
from liubao_desktop.services.ledger import Ledger  # noqa: E402
from liubao_desktop.services.sample_data import fill_sample_data  # noqa: E402


def main(out: str) -> None:
    from PySide6.QtWidgets import QApplication

    from liubao_desktop.ui.launch import make_app, open_window

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        ledger = Ledger.open(data)
        ledger.set_setting("current_org", "430102")
        ledger.set_setting("operator", "示例")
        fill_sample_data(ledger, [o.code for o in ledger.orgs()], Period(2020, 10))
        app = make_app()
        window = open_window(data, ledger)
        assert window is not None
        window.resize(1400, 880)
        window.set_period(Period(2020, 10))
        window.select_measure("2.3")
        window.show()
        for _ in range(5):
            app.processEvents()
        window.grab().save(out)
        window.close()
        window.ledger.close()
        QApplication.processEvents()
    print(f"已保存截图 {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/main-window.png")
