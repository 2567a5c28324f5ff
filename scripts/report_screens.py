"""Screenshots for issue 14: the detail pane's 进度 tab, and page 1 of the written report as LibreOffice prints it.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/report_screens.py docs/progress-tab.png docs/report-page1.png

芙蓉区 with 示例数据 up to 2020年10月; 1.3 (切实帮扶困难群体就业) chosen, 1.3.1 charted. The report is written by
``main.py report``'s own service, converted with ``soffice --convert-to pdf`` and page 1 rendered by ``pdftoppm``.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from liubao_desktop.domain.periods import Period  # noqa: E402
from liubao_desktop.services.ledger import Ledger  # noqa: E402
from liubao_desktop.services.sample_data import fill_sample_data  # noqa: E402

ORG, MONTH = "430102", Period(2020, 10)


def settle() -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(5):
        QApplication.processEvents()


def main(tab_png: str, page_png: str) -> None:
    from PySide6.QtWidgets import QApplication

    from liubao_desktop.printing.chart import render_png
    from liubao_desktop.services.report_draft import write_report
    from liubao_desktop.ui.launch import make_app, open_window
    from liubao_desktop.ui.window_preferences import window_preferences

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        ledger = Ledger.open(data)
        prefs = window_preferences(data)  # this PC's office and operator, as the first start saves them
        prefs.set_office(ORG)
        prefs.set_operator("示例")
        prefs.sync()
        fill_sample_data(ledger, [ORG], MONTH)
        make_app()
        window = open_window(data, ledger)
        assert window is not None
        window.resize(1366, 768)
        window.set_period(MONTH)
        window.select_measure("1.3")
        pane = window.pane
        pane.targets_view.setCurrentIndex(pane.targets_model.index(pane.targets_model.row_of("1.3.1"), 0))
        window.show()
        pane.view_tabs.setCurrentIndex(1)
        settle()
        window.grab().save(tab_png)
        print(f"已保存截图 {tab_png}")
        docx = Path(tmp) / "report.docx"
        write_report(window.ledger, ORG, MONTH, docx, report_date=date(2020, 11, 5), render_chart=render_png)
        window.close()
        window.ledger.close()
        QApplication.processEvents()
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        assert soffice, "LibreOffice is needed for the page image"
        profile = Path(tmp) / "profile"
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(docx)], check=True, capture_output=True, timeout=180)
        stem = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "1", "-singlefile", str(docx.with_suffix(".pdf")),
                        str(stem)], check=True)
        shutil.copyfile(stem.with_suffix(".png"), page_png)
        print(f"已保存截图 {page_png}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
