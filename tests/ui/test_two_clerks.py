"""Issue 16 in the window: two clerks on one ledger on a PostgreSQL server (tests/pg_server.py, a real one). Clerk A
works in the window; clerk B saves through a Ledger of its own, as another PC does. Nobody's figure is overwritten
silently — A is asked, and keeping B's value is the default — and what B saves appears in A's window within a few
seconds without moving A or taking A's typing away."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QMessageBox

from liubao_desktop.domain.figures import BLANK, FigureValue
from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.audit import cell_history
from liubao_desktop.services.data_location import init_database
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.rollup import org_report
from liubao_desktop.services.workstation import Workstation
from liubao_desktop.ui.conflict_dialog import KEEP, OVERWRITE
from liubao_desktop.ui.outside_refresh import POLL_MS
from liubao_desktop.ui.targets_model import COL_PERIOD, COL_STATUS
from tests.conftest import close_and_delete

from .test_main_window import cell, open_editor, type_into_cell

ORG, SEP = "430102", Period(2020, 9)
QUICK_MS = 150  # the poll's interval where a test waits for it, so it waits less


@pytest.fixture
def server(pg_url: str) -> str:
    """An office's ledger on the server (`db init`), 1.3.1 with a 分解目标 of 1,400 人 for 芙蓉区."""
    init_database(pg_url)
    ledger = Ledger.open(pg_url)
    try:
        ledger.set_local_target(ORG, "1.3.1", Decimal(1400))
    finally:
        ledger.close()
    return pg_url


@pytest.fixture
def pc_b(server: str) -> Iterator[Ledger]:
    """Clerk B's PC (FR-PC02, where 李四 fills in): a Ledger of its own on the same server ledger."""
    b = Ledger.open(server, workstation=Workstation("FR-PC02", "李四"))
    yield b
    b.close()


@pytest.fixture
def clerk_a(qtbot, server: str, data_dir: Path):  # noqa: ANN001, ANN201
    """Clerk A's window for 芙蓉区 on the server ledger, on 1.3 in 2020年9月."""
    from liubao_desktop.ui.launch import make_app
    from liubao_desktop.ui.main_window import MainWindow

    make_app()
    ledger = Ledger.open(server)
    win = MainWindow(ledger, ORG, data_dir)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.set_period(SEP)
    win.select_measure("1.3")
    yield win
    close_and_delete(win)
    ledger.close()


def figure(ledger: Ledger) -> FigureValue:
    return ledger.figure(ORG, "1.3.1", SEP)


def row(win) -> int:  # noqa: ANN001
    return win.targets_model.row_of("1.3.1")


_pressers: list[list[bool]] = []  # each waiting presser's "stop" flag


@pytest.fixture(autouse=True)
def no_presser_outlives_its_test() -> Iterator[None]:
    yield
    for stop in _pressers:
        stop.append(True)
    _pressers.clear()


def answer(button: str) -> list[str]:
    """When the conflict question comes, read it and press ``button``; returns the questions read."""
    asked: list[str] = []
    stop: list[bool] = []
    _pressers.append(stop)

    def press() -> None:
        if stop:
            return
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "conflictQuestion":
            QTimer.singleShot(20, press)
            return
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, press)
    return asked


def quick(win) -> None:  # noqa: ANN001
    win.outside.timer.setInterval(QUICK_MS)


def values_saved(ledger: Ledger) -> list[str]:
    """本期完成 of 1.3.1 in 2020年9月 as the trail has it, oldest first."""
    return [e.new.removesuffix("人") for e in cell_history(ledger, ORG, "1.3.1", SEP) if e.field == "本期完成"]


def last_saver(ledger: Ledger) -> str:
    return cell_history(ledger, ORG, "1.3.1", SEP)[-1].operator


def test_a_figure_saved_by_another_pc_while_the_clerk_typed_is_asked_about_and_theirs_is_kept(
        qtbot, clerk_a, pc_b: Ledger) -> None:  # noqa: ANN001
    win = clerk_a
    quick(win)
    type_into_cell(qtbot, win, row(win), COL_PERIOD, "100")
    assert cell(win, row(win), COL_PERIOD) == "100" and win.undo_stack.count() == 1
    editor = open_editor(win, row(win), COL_PERIOD)  # A starts typing over the 100 on show…
    editor.selectAll()
    qtbot.keyClicks(editor, "13")
    pc_b.record_figure(ORG, "1.3.1", SEP, FigureValue.of(120), expected=FigureValue.of(100))  # …B saves 120
    qtbot.waitUntil(lambda: cell(win, row(win), COL_PERIOD) == "120", timeout=POLL_MS + 2000)
    assert editor.isVisible() and editor.text() == "13"  # the refresh repainted the row, not A's typing
    asked = answer(KEEP)
    qtbot.keyClicks(editor, "0")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert len(asked) == 1
    question = asked[0]
    assert "已被他人修改" in question and "100" in question and "120" in question and "130" in question
    assert last_saver(pc_b) in question  # who saved the other value, from the trail …
    assert re.search(r"\n李四（电脑 FR-PC02）于 (\d+月\d+日 )?\d\d:\d\d 保存了 120人\n", question)  # … on which PC, and when
    assert figure(pc_b) == figure(win.ledger) == FigureValue.of(120)
    assert cell(win, row(win), COL_PERIOD) == "120"
    assert win.undo_stack.count() == 1  # the refused save is not in the history
    assert values_saved(pc_b)[-1] == "120" and "130" not in values_saved(pc_b)
    assert "保留他人保存的" in win.statusBar().currentMessage()


def test_overwriting_saves_the_clerks_figure_and_the_trail_keeps_both(qtbot, clerk_a, pc_b: Ledger) -> None:  # noqa: ANN001
    win = clerk_a
    win.outside.timer.stop()  # A's window has not looked yet: it still shows 100
    type_into_cell(qtbot, win, row(win), COL_PERIOD, "100")
    pc_b.record_figure(ORG, "1.3.1", SEP, FigureValue.of(120), expected=FigureValue.of(100))
    assert cell(win, row(win), COL_PERIOD) == "100"
    asked = answer(OVERWRITE)
    type_into_cell(qtbot, win, row(win), COL_PERIOD, "130")
    assert len(asked) == 1 and "120" in asked[0]
    assert figure(pc_b) == FigureValue.of(130) and cell(win, row(win), COL_PERIOD) == "130"
    assert values_saved(pc_b) == ["100", "120", "130"]
    # undo gives back what A's save replaced — B's 120, not A's own 100 — without asking: nobody changed it since
    win.undo_stack.undo()
    assert figure(pc_b) == FigureValue.of(120) and cell(win, row(win), COL_PERIOD) == "120"


def test_undo_after_another_pc_changed_the_cell_asks_instead_of_overwriting(qtbot, clerk_a, pc_b: Ledger) -> None:  # noqa: ANN001
    win = clerk_a
    win.outside.timer.stop()
    type_into_cell(qtbot, win, row(win), COL_PERIOD, "100")
    type_into_cell(qtbot, win, row(win), COL_PERIOD, "110")
    pc_b.record_figure(ORG, "1.3.1", SEP, FigureValue.of(150), expected=FigureValue.of(110))
    asked = answer(KEEP)
    win.undo_stack.undo()  # would write 100 back over B's 150
    assert len(asked) == 1 and "撤销后将是：100" in asked[0] and "150" in asked[0]
    assert figure(pc_b) == FigureValue.of(150) and cell(win, row(win), COL_PERIOD) == "150"
    # the undo that would overwrite B left the history; the edit before it can still be undone (it asks too)
    assert win.undo_stack.count() == 1 and win.undo_stack.index() == 1
    asked = answer(OVERWRITE)
    win.undo_stack.undo()  # 150 → blank: B's value again, so asked; A overwrites
    assert len(asked) == 1 and figure(pc_b).is_blank and cell(win, row(win), COL_PERIOD) == ""
    assert win.undo_stack.index() == 0
    asked = answer(KEEP)
    win.undo_stack.redo()  # nobody changed it since the undo: no question
    assert not asked and figure(pc_b) == FigureValue.of(100)


def test_another_pcs_save_appears_in_the_idle_window_with_the_measures_status_and_totals(
        qtbot, clerk_a, pc_b: Ledger) -> None:  # noqa: ANN001
    win = clerk_a
    testers = [QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
               for model in (win.targets_model, win.tree_model, win.proxy)]  # a broken rule fails the test
    status_before, summary_before = cell(win, row(win), COL_STATUS), win.summary_label.text()
    painted: set[int] = set()
    win.targets_model.dataChanged.connect(lambda a, b, _r=(): painted.update(range(a.row(), b.row() + 1)))
    win.outside.timer.stop()  # both saves land before the window's next look, at the usual interval
    pc_b.record_figure(ORG, "1.3.1", SEP, FigureValue.of(1400), expected=BLANK)
    pc_b.write_narrative(ORG, "1.3", SEP, Narrative("乙录入的进展", "", ""))
    win.outside.timer.start()
    qtbot.waitUntil(lambda: cell(win, row(win), COL_PERIOD) == "1,400", timeout=POLL_MS + 2000)
    assert cell(win, row(win), COL_STATUS) == "已完成" != status_before
    fresh = org_report(win.ledger, ORG, SEP)  # what a window opened now would show
    assert win.report.measures["1.3"].status == fresh.measures["1.3"].status
    assert f"已报 {fresh.totals().reported}/{fresh.totals().due} 项" in win.summary_label.text() != summary_before
    assert win.narrative.edits["progress"].toPlainText() == "乙录入的进展"  # nobody was typing in it
    assert painted == {row(win)}  # only the row B changed
    assert win.statusBar().currentMessage() == "已载入他人修改 2 处：李四（电脑 FR-PC02）"  # who, on which PC
    assert win.undo_stack.count() == 0  # others' saves are not A's to undo
    # a later month changes nothing on show; another office's figures are not this window's
    pc_b.record_figure("430103", "1.3.1", SEP, FigureValue.of(5))
    pc_b.record_figure(ORG, "1.3.1", Period(2020, 10), FigureValue.of(9))
    quick(win)
    qtbot.waitUntil(lambda: "●" in win.period_combo.itemText(win.period_combo.findData("2020-10")), timeout=2000)
    assert cell(win, row(win), COL_PERIOD) == "1,400"
    del testers


def test_a_paste_over_a_cell_another_pc_changed_asks_once_and_keeps_theirs_there_only(
        qtbot, clerk_a, pc_b: Ledger) -> None:  # noqa: ANN001
    win = clerk_a
    win.outside.timer.stop()
    win.select_measure("2.3")
    model = win.targets_model
    first = model.row_of("2.3.2")
    codes = ["2.3.2", "2.3.3", "2.3.4"]
    assert [model.row_of(c) for c in codes] == [first, first + 1, first + 2]
    pc_b.record_figure(ORG, "2.3.3", SEP, FigureValue.of(7), expected=BLANK)
    win.targets_view.setCurrentIndex(model.index(first, COL_PERIOD))
    QApplication.clipboard().setText("1\n2\n3\n")
    asked = answer(KEEP)
    win.targets_view.paste()
    assert len(asked) == 1  # one question for the whole paste, naming the cell
    saved: Callable[[str], FigureValue] = lambda c: pc_b.figure(ORG, c, SEP)  # noqa: E731
    assert [saved(c) for c in codes] == [FigureValue.of(1), FigureValue.of(7), FigureValue.of(3)]
    assert cell(win, first + 1, COL_PERIOD) == "7"
    assert win.undo_stack.count() == 1 and len(win.undo_stack.command(0).cells) == 2
    win.undo_stack.undo()  # one Ctrl+Z takes back A's two cells and leaves B's
    assert [saved(c) for c in codes] == [BLANK, FigureValue.of(7), BLANK]


def test_a_narrative_being_typed_is_kept_through_a_refresh_and_asked_about_at_its_save(
        qtbot, clerk_a, pc_b: Ledger) -> None:  # noqa: ANN001
    win = clerk_a
    quick(win)
    field = win.narrative.edits["progress"]
    field.setFocus()
    qtbot.keyClicks(field, "jia")
    pc_b.write_narrative(ORG, "1.3", SEP, Narrative("乙的进展", "", ""), expected=Narrative())
    qtbot.waitUntil(lambda: "已载入他人修改" in win.statusBar().currentMessage(), timeout=POLL_MS + 2000)
    assert field.toPlainText() == "jia"  # not taken away
    asked = answer(KEEP)
    win.targets_view.setFocus()  # leaving the field saves it
    assert len(asked) == 1 and "乙的进展" in asked[0] and "jia" in asked[0]
    assert pc_b.narrative(ORG, "1.3", SEP).progress == "乙的进展"
    assert field.toPlainText() == "乙的进展" and win.narrative.pending() is None
    assert win.undo_stack.count() == 0


def test_a_ledger_on_this_pc_starts_no_watch(window) -> None:  # noqa: ANN001
    """SQLite: one window per data folder (the instance lock), so nobody else saves there — nothing polls."""
    from liubao_desktop.ui.outside_refresh import OutsideRefresh

    assert window.outside is None and not window.findChildren(OutsideRefresh)
    assert window.ledger.own_audit_ids is None  # nothing kept for a watch either
