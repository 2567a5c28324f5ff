"""Several plans in the window: the 方案 switcher (shown once there are two), each plan with its own months and
figures, the plan remembered for the next start and the commands, 方案 → 导入方案…."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.plan_import import preview_plan, read_plan_document, save_plan
from liubao_desktop.services.preferences import commands_plan
from liubao_desktop.ui import plan_import_ui
from tests.conftest import close_and_delete

ARTICLES = Path(__file__).resolve().parents[1] / "plan_reader" / "documents" / "articles.txt"


def add_articles_plan(ledger: Ledger) -> str:
    plan, _ = preview_plan(ledger, read_plan_document(ARTICLES))
    assert plan is not None
    return save_plan(ledger, plan).code


def test_the_switcher_is_hidden_with_one_plan_and_switches_between_two(window, qtbot) -> None:  # noqa: ANN001
    assert not window._plan_actions[1].isVisible()
    code = add_articles_plan(window.ledger)
    window.ledger.record_figure("430102", "1.3.1", Period(2020, 9), FigureValue.of(Decimal(1523)))
    window.switch_plan(window.ledger.plan.code, reload=True)
    assert window._plan_actions[1].isVisible() and window.plan_combo.count() == 2
    window.plan_combo.setCurrentIndex(window.plan_combo.findData(code))
    assert window.ledger.plan.code == code
    assert window.period == Period(2021, 3) and window.period_combo.count() == 22
    assert window.tree_model.rowCount() == len(window.ledger.plan.parts)
    assert "湘江市稳岗就业若干措施" in window.windowTitle()
    assert window.undo_stack.count() == 0
    assert commands_plan(window.data_dir) == code  # the commands follow the window
    window.plan_combo.setCurrentIndex(window.plan_combo.findData("changsha-2020-26"))
    assert window.ledger.plan.code == "changsha-2020-26"
    assert window.report is not None and window.report.targets["1.3.1"].progress.actual.number == 1523


def test_the_next_start_opens_on_the_plan_last_shown(window, qtbot, data_dir: Path) -> None:  # noqa: ANN001
    from liubao_desktop.ui.launch import open_window

    code = add_articles_plan(window.ledger)
    window.switch_plan(code)  # settings.ini says so at once, as the commands read it
    ledger = Ledger.open(data_dir)
    try:
        again = open_window(data_dir, ledger)
        assert again is not None
        assert ledger.plan.code == code and again.plan_combo.currentData() == code
        qtbot.wait(50)  # the new window's queued layout work runs before it is deleted
        close_and_delete(again)
    finally:
        ledger.close()


def test_import_plan_without_the_review_dialog_asks_then_saves_and_shows_it(window, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(plan_import_ui.importlib.util, "find_spec", lambda name: None)
    asked: list[str] = []

    def answer(parent, title, text, *a):  # noqa: ANN001, ANN202
        asked.append(text)
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert plan_import_ui.import_plan(window, ARTICLES) is None  # 否: nothing saved
    assert [p.code for p in window.ledger.plans()] == ["changsha-2020-26"]
    assert "湘政发〔2021〕7号" in asked[0] and "11 项量化指标" in asked[0]
    assert plan_import_ui.import_plan(window, ARTICLES) == "plan-2021-7"
    assert window.ledger.plan.code == "plan-2021-7" and window._plan_actions[1].isVisible()


def test_import_plan_refuses_an_unreadable_document_in_words(window, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: said.append(text))
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4")
    assert plan_import_ui.import_plan(window, bad) is None
    assert "PDF" in said[0]


def test_import_plan_opens_the_review_dialog_when_it_is_there(window, monkeypatch) -> None:  # noqa: ANN001
    from liubao_desktop.ui import plan_review_dialog

    seen = {}

    def fake_exec(self):  # noqa: ANN001, ANN202
        seen["text"] = self.source_text
        self.confirm()  # as the person presses 确认保存 with nothing left unsure… or says why not
        return self.result()

    monkeypatch.setattr(plan_review_dialog.PlanReviewDialog, "exec", fake_exec)
    code = plan_import_ui.import_plan(window, ARTICLES)
    assert "第一章" in seen["text"]
    if code is not None:  # the document has an unsure target: the dialog refuses until it is decided
        assert window.ledger.plan.code == code
    else:
        assert [p.code for p in window.ledger.plans()] == ["changsha-2020-26"]
