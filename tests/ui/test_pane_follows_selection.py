"""Issue 11: the detail pane shows the tree's current selection and nothing else — a search or filter never moves
the clerk onto another measure, and what they were typing is saved before the pane changes."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from liubao_desktop.domain.periods import Period
from liubao_desktop.ui.plan_tree_model import CodeRole
from liubao_desktop.ui.targets_model import COL_PERIOD

NOTHING = "请选择任务"


def chosen(win) -> str | None:  # noqa: ANN001
    index = win.tree.currentIndex()
    return index.siblingAtColumn(0).data(CodeRole) if index.isValid() else None


def shown(win) -> str:  # noqa: ANN001
    return win.title_label.text()


def test_typing_a_search_never_moves_the_pane_to_another_measure(qtbot, window):  # noqa: ANN001
    window.select_measure("6.1")
    assert shown(window).startswith("6.1")
    window.search.setFocus()
    qtbot.keyClicks(window.search, "jy")
    # 6.1 is still found by "jy" or it is not: either way the pane shows the tree's selection and nothing else
    if chosen(window) == "6.1":
        assert shown(window).startswith("6.1")
    else:
        assert chosen(window) is None and shown(window).startswith(NOTHING)
    qtbot.keyClicks(window.search, "fw")
    assert chosen(window) is None  # 6.1 is filtered out; nothing else was chosen for the clerk
    assert not window.tree.selectionModel().hasSelection()
    assert shown(window).startswith(NOTHING)
    assert "6.1" in window.meta_label.text()  # says which measure is hidden and how to get it back
    assert window.targets_model.rowCount() == 0
    assert not window.narrative_box.isEnabled()
    assert window.current_measure is None

    window.search.clear()
    assert chosen(window) == "6.1"  # clearing the search brings the clerk's choice back
    assert shown(window).startswith("6.1") and window.current_measure == "6.1"


def test_a_search_with_no_result_empties_the_pane(qtbot, window):  # noqa: ANN001
    window.select_measure("1.4")
    window.search.setFocus()
    qtbot.keyClicks(window.search, "zzzz")  # no pinyin initials of any measure
    assert window.empty_label.isVisible()
    assert chosen(window) is None and shown(window).startswith(NOTHING)
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert chosen(window) == "1.4" and shown(window).startswith("1.4")


def test_a_filter_that_keeps_the_measure_keeps_it_on_show(qtbot, window):  # noqa: ANN001
    window.select_measure("1.4")
    qtbot.keyClicks(window.search, "jyfw")  # 1.4 is a 就业服务 measure
    assert chosen(window) == "1.4" and shown(window).startswith("1.4")


def test_the_status_and_own_unit_filters_clear_the_pane_rather_than_jump(qtbot, window):  # noqa: ANN001
    window.set_period(Period(2020, 9))
    window.select_measure("2.2")
    window.status_filter.setCurrentIndex(window.status_filter.findData("逾期"))  # only 6.1 is 逾期
    assert chosen(window) is None and shown(window).startswith(NOTHING)
    window.status_filter.setCurrentIndex(0)
    assert chosen(window) == "2.2" and shown(window).startswith("2.2")
    window.mine_only.setChecked(True)  # 2.2 is not 芙蓉区's own
    assert chosen(window) is None and shown(window).startswith(NOTHING)
    window.mine_only.setChecked(False)
    assert chosen(window) == "2.2"


def test_a_new_choice_while_filtered_replaces_the_old_one(qtbot, window):  # noqa: ANN001
    window.select_measure("6.1")
    window.search.setText("jyfw")
    window.select_measure("1.4")
    assert shown(window).startswith("1.4")
    window.search.clear()
    assert chosen(window) == "1.4" and shown(window).startswith("1.4")


def test_narrative_text_is_saved_before_a_search_hides_its_measure(qtbot, window):  # noqa: ANN001
    window.select_measure("6.1")
    edit = window.narrative.edits["progress"]
    edit.setFocus()
    edit.insertPlainText("已完成审计整改")
    window.search.setText("jyfw")  # set by code: the field never lost the focus
    assert window.ledger.narrative("430102", "6.1", window.period).progress == "已完成审计整改"
    assert shown(window).startswith(NOTHING)
    assert window.narrative.edits["progress"].toPlainText() == ""  # 6.1's text is not left under another title


def test_an_open_cell_editor_is_saved_before_a_filter_hides_its_measure(qtbot, window):  # noqa: ANN001
    window.set_period(Period(2020, 9))
    window.select_measure("1.3")
    row = window.targets_model.row_of("1.3.1")
    index = window.targets_model.index(row, COL_PERIOD)
    window.targets_view.setCurrentIndex(index)
    window.targets_view.setFocus()
    window.targets_view.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "77")
    window.search.setText("没有这个词")  # a filter changed without the editor losing focus first
    assert window.ledger.figure("430102", "1.3.1", Period(2020, 9)) is not None
    assert shown(window).startswith(NOTHING)
    window.search.clear()
    assert window.targets_model.index(window.targets_model.row_of("1.3.1"), COL_PERIOD).data() == "77"


def test_a_refused_narrative_keeps_its_measure_in_the_tree(qtbot, window):  # noqa: ANN001
    window.select_measure("6.1")
    edit = window.narrative.edits["progress"]
    edit.setPlainText("字" * 2002)  # over the 2000-character limit: the ledger refuses it
    window.search.setText("jyfw")
    # kept, not thrown away: the measure stays chosen and on show, its typing with it, and the clerk is told
    assert chosen(window) == "6.1" and shown(window).startswith("6.1")
    assert edit.toPlainText() == "字" * 2002
    assert "没有保存" in window.statusBar().currentMessage()

    edit.setPlainText("字" * 20)
    window.search.setText("jyfw ")  # the next change of the filter saves it, and the filter alone decides again
    assert window.ledger.narrative("430102", "6.1", window.period).progress == "字" * 20
    assert chosen(window) is None and shown(window).startswith(NOTHING)
