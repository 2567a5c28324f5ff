"""导出 → 进展报告（Word）…: the month's written report drafted from the ledger and saved as a .docx.

Two questions — whom it is addressed to (主送机关, kept in the ledger for next month) and where to save it — then
``services.report_draft.write_report`` with the chart painted by ``printing.chart.render_png``.
"""
from __future__ import annotations

from contextlib import suppress
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from ..services.ledger import StorageError
from . import file_dialogs

if TYPE_CHECKING:
    from .main_window import MainWindow

DOCX_FILTER = "Word 文档 (*.docx)"


def run_report(window: MainWindow) -> None:
    from ..printing.chart import render_png
    from ..services.report_draft import (
        ADDRESSEE_SETTING,
        ReportError,
        addressee_of,
        default_file_name,
        write_report,
    )

    ledger, org, period = window.ledger, window.org_code, window.period
    saved = addressee_of(ledger)
    to, ok = QInputDialog.getText(window, window.tr("进展报告（Word）"),
                                  window.tr("主送机关（报告开头的“××××：”）："), text=saved)
    if not ok:
        return
    to = to.strip().rstrip("：:") or saved
    path = file_dialogs.ask_save_path(window, window.prefs, file_dialogs.WORKBOOKS, window.tr("保存进展报告"),
                                      window.tr(DOCX_FILTER), default_file_name(ledger.org(org).name, period))
    if path is None:
        return
    if to != saved:
        with suppress(StorageError):  # a read-only ledger: the report is still written, addressed as asked
            ledger.set_setting(ADDRESSEE_SETTING, to)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = write_report(ledger, org, period, path, report_date=date.today(), addressee=to,
                              render_chart=render_png)
    except ReportError as exc:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(window, window.tr("没有生成报告"), str(exc))
        return
    QApplication.restoreOverrideCursor()
    window.statusBar().showMessage(result.message, 15000)
