"""The ledger file deleted under the open window: the next figure is not called saved, the window says what
happened once, and what it holds goes back where the next start finds it."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from shiboken6 import Shiboken

from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.ui import file_lost_dialog
from liubao_desktop.ui.file_lost_dialog import FileLostDialog
from liubao_desktop.ui.targets_model import COL_PERIOD
from tests.conftest import delete_now

from .test_main_window import type_into_cell

SEP, OCT = Period(2020, 9), Period(2020, 10)


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[FileLostDialog]]:
    """The dialog as the clerk answers it: 放回原处; the confirmation that follows is acknowledged. The app
    deletes the dialog once answered (deleteLater), and the test's qtbot.waitUntil may run that deletion before
    the test reads the dialog: it is kept until the test is over and deleted here."""
    seen: list[FileLostDialog] = []

    def answer(dialog: FileLostDialog) -> int:
        seen.append(dialog)
        dialog.deleteLater = lambda: None  # type: ignore[method-assign]  # this fixture deletes it
        dialog.put_back.click() if dialog.put_back else dialog.quit.click()
        return 0

    monkeypatch.setattr(FileLostDialog, "exec", answer)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(file_lost_dialog.QCoreApplication, "exit", lambda code=0: None)
    yield seen
    for dialog in seen:
        if Shiboken.isValid(dialog):
            QDialog.deleteLater(dialog)
    delete_now()


def test_a_clerk_types_after_the_file_was_deleted_is_told_and_the_saved_figures_go_back(
        qtbot, window, data_dir: Path, asked: list[FileLostDialog]) -> None:  # noqa: ANN001
    window.select_measure("1.3")
    window.set_period(SEP)
    row = window.targets_model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_PERIOD, "1523")
    assert "已保存" in window.statusBar().currentMessage()

    os.unlink(data_dir / "liubao.sqlite3")
    window.set_period(OCT)
    type_into_cell(qtbot, window, row, COL_PERIOD, "1600")

    assert "已保存" not in window.statusBar().currentMessage()
    assert "被删除或移走了" in window.input_error.text()
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert "窗口里还保留着" in asked[0].informativeText()
    assert asked[0].saved_to == data_dir / "liubao.sqlite3" and window.property("file_lost")

    again = Ledger.open(data_dir)
    try:
        assert again.figure("芙蓉区", "1.3.1", SEP).number == 1523
        assert again.figure("芙蓉区", "1.3.1", OCT).is_blank
    finally:
        again.close()
