"""One command per kind of edit: pushing it saves, Ctrl+Z and Ctrl+Y write back through the ledger, the audit trail
says which it was, and the window repaints only what the edit touched."""
from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication

from liubao_desktop.domain.figures import NOT_APPLICABLE, FigureValue
from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.audit import cell_history
from liubao_desktop.ui.edits import (
    CellField,
    FigureEdit,
    LocalTargetEdit,
    NotApplicableEdit,
    NoteEdit,
    PasteEdit,
)
from liubao_desktop.ui.targets_model import COL_PERIOD

from .test_main_window import cell, type_into_cell

ORG, SEP = "430102", Period(2020, 9)


def sources(window, target: str) -> list[str]:  # noqa: ANN001
    return [e.source for e in cell_history(window.ledger, ORG, target, SEP)]


@pytest.fixture
def on_13(window):  # noqa: ANN001, ANN201
    window.set_period(SEP)
    window.select_measure("1.3")
    return window


def test_a_figure_typed_is_one_command_whose_redo_saved_it_and_undo_redo_write_back(qtbot, on_13) -> None:  # noqa: ANN001
    window = on_13
    row = window.targets_model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_PERIOD, "20")
    stack = window.undo_stack
    assert stack.count() == 1 and isinstance(stack.command(0), FigureEdit)
    assert window.ledger.figure(ORG, "1.3.1", SEP).number == 20
    stack.undo()
    assert window.ledger.figure(ORG, "1.3.1", SEP).is_blank and cell(window, row, COL_PERIOD) == ""
    stack.redo()
    assert window.ledger.figure(ORG, "1.3.1", SEP).number == 20 and cell(window, row, COL_PERIOD) == "20"
    assert sources(window, "1.3.1") == ["typed", "undo", "redo"]


def test_each_kind_of_cell_gets_its_own_command(qtbot, on_13) -> None:  # noqa: ANN001
    window = on_13
    edits = window.edits
    assert edits.edit_cell("1.3.1", CellField.FIGURE, NOT_APPLICABLE)
    assert edits.edit_cell("1.3.1", CellField.NOTE, "街道未报")
    assert edits.edit_cell("1.3.1", CellField.LOCAL_TARGET, Decimal(500))
    kinds = [type(window.undo_stack.command(i)) for i in range(window.undo_stack.count())]
    assert kinds == [NotApplicableEdit, NoteEdit, LocalTargetEdit]
    assert "不适用" in window.undo_stack.command(0).text()


def test_a_refused_write_never_enters_the_undo_history(qtbot, on_13, monkeypatch) -> None:  # noqa: ANN001
    window = on_13
    from liubao_desktop.services.ledger import StorageError

    def full_disk(*_a: object, **_k: object) -> None:
        raise StorageError("磁盘已满，没有保存。")

    monkeypatch.setattr(window.ledger, "record_figure", full_disk)
    assert not window.edits.edit_cell("1.3.1", CellField.FIGURE, FigureValue.of(Decimal(20)))
    assert window.undo_stack.count() == 0
    assert "磁盘已满" in window.input_error.text()


def test_a_value_the_ledger_already_holds_leaves_no_command(on_13) -> None:  # noqa: ANN001
    window = on_13
    assert window.edits.edit_cell("1.3.1", CellField.NOTE, "")
    assert window.undo_stack.count() == 0


def test_a_paste_is_one_command_holding_a_figure_edit_per_cell_written_in_one_transaction(qtbot, window) -> None:  # noqa: ANN001
    window.set_period(SEP)
    window.select_measure("2.3")
    model = window.targets_model
    first = model.row_of("2.3.2")
    window.targets_view.setCurrentIndex(model.index(first, COL_PERIOD))
    QApplication.clipboard().setText("1\n2\n3\n")
    window.targets_view.paste()
    stack = window.undo_stack
    assert stack.count() == 1 and isinstance(stack.command(0), PasteEdit)
    assert [type(c) for c in stack.command(0).cells] == [FigureEdit] * 3
    codes = [model.headerData(first + i, Qt.Orientation.Vertical) for i in range(3)]
    assert [window.ledger.figure(ORG, code, SEP).number for code in codes] == [1, 2, 3]
    stack.undo()  # one Ctrl+Z takes the whole block back
    assert all(window.ledger.figure(ORG, code, SEP).is_blank for code in codes)


def test_an_edit_repaints_its_row_its_measure_and_its_part_not_the_whole_table(qtbot, window) -> None:  # noqa: ANN001
    window.set_period(SEP)
    window.select_measure("2.3")  # 13 targets
    model = window.targets_model
    painted_rows: set[int] = set()
    model.dataChanged.connect(lambda a, b, _r=(): painted_rows.update(range(a.row(), b.row() + 1)))
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    tree_rows: set[str] = set()
    window.tree_model.dataChanged.connect(lambda a, b, _r=(): tree_rows.add(a.siblingAtColumn(0).data()))
    row = model.row_of("2.3.4")
    type_into_cell(qtbot, window, row, COL_PERIOD, "7")
    assert painted_rows == {row} and not resets
    assert all(label.startswith(("2.3", "二、")) for label in tree_rows)


@pytest.mark.parametrize("model_name", ["targets_model", "tree_model", "proxy"])
def test_the_models_stay_consistent_through_edits_paste_undo_and_a_change_of_month(
    qtbot, window, model_name: str  # noqa: ANN001
) -> None:
    # Qt's own model tester watches every signal while the clerk works; a broken rule is a Qt warning, which
    # fails the test (qt_log_level_fail).
    tester = QAbstractItemModelTester(getattr(window, model_name),
                                      QAbstractItemModelTester.FailureReportingMode.Warning)
    window.set_period(SEP)
    window.select_measure("2.3")
    model = window.targets_model
    type_into_cell(qtbot, window, model.row_of("2.3.2"), COL_PERIOD, "5")
    window.targets_view.setCurrentIndex(model.index(model.row_of("2.3.3"), COL_PERIOD))
    QApplication.clipboard().setText("1\n2\n")
    window.targets_view.paste()
    window.undo_stack.undo()
    window.undo_stack.undo()
    window.undo_stack.redo()
    window.set_period(Period(2020, 10))
    window.search.setText("jyfw")
    window.search.clear()
    window.edits.save_narrative("2.3", Narrative("进展", "问题", "计划"))
    window.undo_stack.undo()
    del tester


def test_undoing_a_narrative_puts_the_old_text_back_in_the_fields_on_show(qtbot, on_13) -> None:  # noqa: ANN001
    window = on_13
    editor = window.narrative.edits["progress"]
    editor.setFocus()
    qtbot.keyClicks(editor, "jinzhan")
    window.targets_view.setFocus()  # leaving the field saves it
    assert window.ledger.narrative(ORG, "1.3", SEP).progress == "jinzhan"
    assert window.narrative.edits["progress"].toPlainText() == "jinzhan"  # the typing stays as it was
    window.undo_stack.undo()
    assert window.ledger.narrative(ORG, "1.3", SEP).progress == ""
    assert editor.toPlainText() == "" and "已撤销" in window.statusBar().currentMessage()
