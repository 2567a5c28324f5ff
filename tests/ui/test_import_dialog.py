"""数据 → 导入填报数据…: the preview per file, 导入 only when clean, and one Ctrl+Z undoing the whole import."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.ui.edits import ImportEdit
from liubao_desktop.ui.import_dialog import ImportDialog
from tests.intake.conftest import make_template
from tests.intake.corpus import truncated


def _filled(window, tmp_path: Path, value: object) -> tuple[Path, str]:  # noqa: ANN001
    ledger = window.ledger
    code = next(t.code for t in ledger.plan.targets() if t.entry_unit == "人")
    path = make_template(ledger, tmp_path / f"t{value}.xlsx", org=window.org_code)
    wb = load_workbook(path)
    ws = wb["填报表"]
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 9).value == code)
    ws.cell(row, 7).value = value
    wb.save(path)
    return path, code


def test_import_is_enabled_only_when_clean_and_undone_in_one_step(window, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    path, code = _filled(window, tmp_path, 321)
    dialog = ImportDialog(window.ledger, window)
    qtbot.addWidget(dialog)
    dialog.load([path, truncated(tmp_path, path.read_bytes())])
    assert not dialog.import_button.isEnabled()
    assert dialog.table.rowCount() == 2 and dialog.table.item(1, 7).text() != "无"
    assert any(dialog.details.item(i).text().startswith("问题") for i in range(dialog.details.count()))
    dialog.load([path])
    assert dialog.import_button.isEnabled() and dialog.table.item(0, 4).text() == "1"
    window.undo_stack.push(ImportEdit(window.edits._place(), dialog.preview))
    period = Period.parse("2020-09")
    assert window.ledger.figure(window.org_code, code, period) == FigureValue.of(Decimal(321))
    window.undo_stack.undo()
    assert window.ledger.figure(window.org_code, code, period).is_blank
    window.undo_stack.redo()
    assert window.ledger.figure(window.org_code, code, period) == FigureValue.of(Decimal(321))
