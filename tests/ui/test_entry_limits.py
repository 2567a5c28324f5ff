"""What an outside attack on the window found, told as the clerk would meet it: odd digits, endless entries and
huge pastes are refused whole, say why, and never move the window under the clerk's mouse."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from liubao_desktop.domain.figures import MAX_FIGURE_TEXT
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import NOTE_LIMIT
from liubao_desktop.ui.targets_model import COL_LOCAL, COL_NOTE, COL_PERIOD, COL_STATUS

from .test_main_window import cell, open_editor, type_into_cell

SEP = Period(2020, 9)


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Confirmations the window asked (answered Yes), so a test that today saves a huge paste does not hang."""
    asked: list[str] = []

    def question(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def nothing_saved(win) -> bool:  # noqa: ANN001
    ledger = win.ledger
    return (ledger.figures("430102") == {} and ledger.local_targets("430102") == {}
            and ledger.notes_by_period("430102") == {} and win.undo_stack.count() == 0)


def paste(win, row: int, col: int, text: str) -> None:  # noqa: ANN001
    view = win.targets_view
    view.setCurrentIndex(win.targets_model.index(row, col))
    QApplication.clipboard().setText(text)
    view.paste()


def all_targets(win) -> None:  # noqa: ANN001
    win.set_period(SEP)
    win.show_all_targets()
    assert win.targets_model.rowCount() == 39


# -- digits ---------------------------------------------------------------------------------------------
def test_a_clerk_types_1_squared_into_a_count_cell_is_told_the_square_is_not_a_digit_and_nothing_is_saved(
        qtbot, window) -> None:  # noqa: ANN001
    window.select_measure("1.3")
    row = window.targets_model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_PERIOD, "1²")  # the IME commits it as one string
    assert "“1²”中的“²”不是普通数字，请只用 0–9 输入数字。" in window.input_error.text()
    assert cell(window, row, COL_PERIOD) == ""
    assert nothing_saved(window)


@pytest.mark.parametrize("typed", ["⑩", "①②", "٣٤٥"])
def test_circled_and_arabic_indic_digits_are_refused_not_read_as_numbers(qtbot, window, typed: str) -> None:  # noqa: ANN001
    window.select_measure("1.3")
    row = window.targets_model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_PERIOD, typed)
    assert "不是普通数字" in window.input_error.text()
    assert nothing_saved(window)


def test_a_clerk_writes_1_5_wan_people_and_15000_is_saved(qtbot, window) -> None:  # noqa: ANN001
    window.select_measure("1.3")
    window.set_period(SEP)
    row = window.targets_model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_PERIOD, "1.5万")
    assert cell(window, row, COL_PERIOD) == "15,000"
    assert window.ledger.figure("430102", "1.3.1", SEP).number == 15000


def test_full_width_digits_from_the_input_method_are_still_numbers(qtbot, window) -> None:  # noqa: ANN001
    window.select_measure("1.3")
    row = window.targets_model.row_of("1.3.1")
    type_into_cell(qtbot, window, row, COL_PERIOD, "１，５２３")
    assert cell(window, row, COL_PERIOD) == "1,523"


# -- length ---------------------------------------------------------------------------------------------
def test_cell_editors_stop_at_32_characters_for_numbers_and_at_the_note_limit_for_notes(qtbot, window) -> None:  # noqa: ANN001
    window.select_measure("1.3")
    row = window.targets_model.row_of("1.3.1")
    editor = open_editor(window, row, COL_PERIOD)
    assert editor.maxLength() == MAX_FIGURE_TEXT == 32
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert open_editor(window, row, COL_LOCAL).maxLength() == 32
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert open_editor(window, row, COL_NOTE).maxLength() == NOTE_LIMIT == 500


def test_a_10000_character_entry_is_refused_in_a_short_message_and_the_window_keeps_its_width(
        qtbot, window, questions) -> None:  # noqa: ANN001
    window.select_measure("1.3")
    row = window.targets_model.row_of("1.3.1")
    width = window.width()
    paste(window, row, COL_PERIOD, "1" * 10_000)  # the editor stops at 32, a paste does not go through it
    qtbot.wait(50)
    assert window.input_error.isVisible()
    assert "1" * 40 + "…" in window.input_error.text() and "1" * 41 not in window.input_error.text()
    assert window.width() == width
    assert nothing_saved(window)


@pytest.mark.parametrize("message", ["1" * 10_000, "字" * 10_000])
def test_no_refusal_however_long_resizes_the_window(qtbot, window, message: str) -> None:  # noqa: ANN001
    window.select_measure("1.3")
    size = window.size()
    # Digits give word wrap nowhere to break: the label used to ask for 70,000 px and got them. Chinese breaks
    # anywhere, and a page of it would wrap into a column taller than the screen.
    window.targets_model.inputRejected.emit(message)
    qtbot.wait(50)
    assert window.input_error.isVisible()
    assert window.size() == size
    assert window.input_error.width() <= window.width()
    assert len(window.input_error.text()) < 320


# -- paste ----------------------------------------------------------------------------------------------
def test_a_5000_by_20_block_pasted_into_the_table_is_refused_whole_with_both_sizes(qtbot, window, questions) -> None:  # noqa: ANN001
    all_targets(window)
    block = "\n".join("\t".join(["1"] * 20) for _ in range(5000))
    paste(window, 0, COL_LOCAL, block)
    assert "粘贴区域 5000 行 × 20 列，超出可填写的 39 行 × 3 列" in window.input_error.text()
    assert "已粘贴" not in window.statusBar().currentMessage()
    assert nothing_saved(window) and questions == []


def test_a_column_one_row_longer_than_the_table_is_refused_not_cut(qtbot, window, questions) -> None:  # noqa: ANN001
    all_targets(window)
    paste(window, 37, COL_PERIOD, "1\n2\n3")  # 6.4.1 and 6.4.2 are the last two rows
    assert "粘贴区域 3 行 × 1 列，超出可填写的 2 行 × 2 列" in window.input_error.text()
    assert nothing_saved(window)


def test_a_pasted_row_goes_into_the_cells_the_clerk_can_type_in_as_tab_does(qtbot, window, questions) -> None:  # noqa: ANN001
    window.select_measure("1.3")
    window.set_period(SEP)
    row = window.targets_model.row_of("1.3.1")
    paste(window, row, COL_PERIOD, "1523\t首批")  # 本期完成 and 备注 side by side in the clerk's own sheet
    assert cell(window, row, COL_PERIOD) == "1,523"
    assert cell(window, row, COL_NOTE) == "首批"  # used to land on 累计完成 and vanish
    assert "已粘贴并保存 2 个单元格" in window.statusBar().currentMessage()


def test_a_value_pasted_onto_a_cell_that_takes_none_refuses_the_whole_block(qtbot, window, questions) -> None:  # noqa: ANN001
    all_targets(window)
    assert window.targets_model.row_of("1.3.2") == 2  # qualitative: it has no 分解目标 to type
    paste(window, 1, COL_LOCAL, "3000\n50")
    text = window.input_error.text()
    assert "1.3.2" in text and "分解目标" in text and "“50”" in text and "全部没有粘贴" in text
    assert nothing_saved(window)


def test_a_blank_pasted_onto_a_cell_that_takes_none_is_no_loss(qtbot, window, questions) -> None:  # noqa: ANN001
    all_targets(window)
    paste(window, 1, COL_LOCAL, "3000\n")  # Excel puts a line break after the last row
    assert window.ledger.local_targets("430102") == {"1.3.1": 3000}


def test_pasting_onto_a_computed_cell_says_where_to_paste(qtbot, window, questions) -> None:  # noqa: ANN001
    window.select_measure("1.3")
    paste(window, 0, COL_STATUS, "5")
    assert window.input_error.isVisible() and "请先选中" in window.input_error.text()
    assert nothing_saved(window)


def test_a_whole_sheet_on_the_clipboard_is_refused_before_it_is_read_cell_by_cell(
        qtbot, window, questions, monkeypatch) -> None:  # noqa: ANN001
    parsed: list[str] = []
    parse_cell = window.targets_model.parse_cell
    monkeypatch.setattr(window.targets_model, "parse_cell", lambda i, t: (parsed.append(t), parse_cell(i, t))[1])
    all_targets(window)
    paste(window, 0, COL_PERIOD, "1\n" * 20_001)
    assert "20001 行" in window.input_error.text() and "全部没有粘贴" in window.input_error.text()
    paste(window, 0, COL_PERIOD, "1" * 1_000_001)
    assert "1000001 个字符" in window.input_error.text()
    assert parsed == []
    assert nothing_saved(window)
