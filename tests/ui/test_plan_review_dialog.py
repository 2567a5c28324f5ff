"""方案 → 导入方案…'s review screen: the tree beside the text, every fix a decision, nothing saved until 确认保存."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QColor, QTextCursor

from liubao_desktop.domain.plan import Plan
from liubao_desktop.domain.plan_reader import ROLE_COOPERATE, ROLE_LEAD, Unit, read_plan_text
from liubao_desktop.ui.plan_review_decisions import (
    STATE_REJECTED,
    AcceptTarget,
    EditTarget,
    RejectTarget,
    SetMetadata,
    apply_decisions,
    reader_decisions,
)
from liubao_desktop.ui.plan_review_dialog import CURRENT_FILL, UNSURE_FILL, PlanReviewDialog
from liubao_desktop.ui.plan_review_source import compact
from tests.conftest import REPO, close_and_delete

CHANGSHA = (REPO / "db" / "sources" / "changsha-2020-26.txt").read_text(encoding="utf-8")

# A small plan of our own: no 文号 and no dates (执行期 must be set), 牵头/配合 units, two targets the reader is
# unsure of (an approximate 左右, a subsidy standard), a 定性 target, a ceiling.
SMALL = """芙蓉区稳就业保民生工作方案

一、稳就业
（一）开发公益岗位。2021年6月底前，开发基层服务岗位500个。新增城镇就业1200人左右。（牵头单位：区人社局；配合单位：区财政局、区民政局）
（二）加强职业培训。开展职业技能培训3000人次。对参训人员给予每人500元补贴。做好培训后的跟踪服务工作。（区人社局负责）
二、保民生
（一）兜牢民生底线。城乡低保应保尽保，实现困难群众救助全覆盖。（责任单位：区民政局）
（二）稳定物价。重要民生商品价格涨幅控制在3%以内。（责任单位：区发改局、区市场监管局）
"""


class Saver:
    def __init__(self, error: Exception | None = None) -> None:
        self.plans: list[Plan] = []
        self.error = error

    def __call__(self, plan: Plan) -> None:
        if self.error:
            raise self.error
        self.plans.append(plan)


def _dialog(qtbot, text: str, save=None) -> PlanReviewDialog:  # noqa: ANN001
    dlg = PlanReviewDialog(read_plan_text(text), text, save=save or Saver())
    qtbot.addWidget(dlg)
    dlg.resize(1366, 768)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


@pytest.fixture
def changsha(qtbot):  # noqa: ANN001, ANN201
    saver = Saver()
    dlg = _dialog(qtbot, CHANGSHA, saver)
    dlg.saver = saver
    yield dlg
    close_and_delete(dlg)


@pytest.fixture
def small(qtbot):  # noqa: ANN001, ANN201
    saver = Saver()
    dlg = _dialog(qtbot, SMALL, saver)
    dlg.saver = saver
    yield dlg
    close_and_delete(dlg)


def _select(dlg: PlanReviewDialog, key: tuple) -> None:
    index = dlg.model.index_of(key)
    assert index.isValid(), key
    dlg.tree.setCurrentIndex(index)


def _highlighted(dlg: PlanReviewDialog, fill: str) -> list[str]:
    return [sel.cursor.selectedText().replace("\u2029", "\n") for sel in dlg.source.extraSelections()
            if sel.format.background().color() == QColor(fill)]


def _set_dates(dlg: PlanReviewDialog, start: date, end: date) -> None:
    for edit, day in ((dlg.from_edit, start), (dlg.to_edit, end)):
        edit.check.click()
        edit.date.setDate(QDate(day.year, day.month, day.day))
        edit.date.editingFinished.emit()


def _type(edit, text: str) -> None:  # noqa: ANN001
    edit.setText(text)
    edit.editingFinished.emit()


def _choose(box, value: str) -> None:  # noqa: ANN001
    i = box.findData(value)
    box.setCurrentIndex(i)
    box.activated.emit(i)


# -- the text beside the tree ---------------------------------------------------------------------------------
def test_selecting_a_target_highlights_exactly_its_phrase(changsha: PlanReviewDialog) -> None:
    for m in changsha.reviewed.shown.measures():
        for i, t in enumerate(m.targets):
            _select(changsha, ("target", m.code, i))
            start, end = changsha.source.current
            assert compact(CHANGSHA[start:end]) == compact(t.source)
            assert [compact(s) for s in _highlighted(changsha, CURRENT_FILL)] == [compact(t.source)]
    # a phrase cut by a page break in the document ("…对符合有关\n\n条件的…") is found across it
    assert changsha.source.textCursor().position() == start


def test_selecting_a_measure_highlights_its_text_with_its_units(changsha: PlanReviewDialog) -> None:
    _select(changsha, ("measure", "1.4"))
    start, end = changsha.source.current
    text = CHANGSHA[start:end]
    assert text.startswith("加强就业公共服务。")
    assert "人力资源服务产业园建\n\n设。" in text  # across the page break
    assert text.endswith("各区县市人民政府和园区管委会)")
    assert changsha.panel.currentIndex() == 2
    assert changsha.measure_title.text() == "加强就业公共服务"


def test_every_target_is_marked_sure_or_unsure_with_the_reason(small: PlanReviewDialog) -> None:
    marks = small.source.marks
    assert len(marks) == len(small.reviewed.shown.targets()) == 6
    unsure = [compact(SMALL[m.start:m.end]) for m in marks if m.state == "unsure"]
    assert unsure == ["新增城镇就业1200人左右", "对参训人员给予每人500元补贴"]
    assert len(_highlighted(small, UNSURE_FILL)) == 2
    where = SMALL.index("给予每人500元")
    assert "像补贴、奖励的标准" in small.source.tooltip_at(where)
    assert small.source.tooltip_at(SMALL.index("开展职业技能培训")).startswith("原文：开展职业技能培训3000人次")
    assert small.source.tooltip_at(SMALL.index("城乡低保")) == ""


def test_changsha_all_39_targets_marked(changsha: PlanReviewDialog) -> None:
    assert len(changsha.source.marks) == 39
    assert all(m.state == "sure" for m in changsha.source.marks)
    assert "30项措施，39个指标" in changsha.summary.text()


# -- fixes, and what is saved ---------------------------------------------------------------------------------
def test_reject_accept_and_edit_targets_are_saved_as_decided(small: PlanReviewDialog) -> None:
    _set_dates(small, date(2021, 1, 1), date(2021, 12, 31))
    _select(small, ("target", "1.2", 1))  # 给予每人500元补贴: a standard, not a target
    small.reject_button.click()
    _select(small, ("target", "1.1", 1))  # 1200人左右: kept
    small.accept_button.click()
    _select(small, ("target", "1.1", 0))
    _type(small.value_edit, "600")
    _type(small.label_edit, "开发基层公益岗位")
    _choose(small.kind_box, "stock")
    _select(small, ("target", "2.2", 0))
    _choose(small.comparator_box, "=")
    small.deadline_edit.check.click()
    small.deadline_edit.date.setDate(QDate(2021, 9, 30))
    small.deadline_edit.date.editingFinished.emit()
    assert small.reviewed.states[("1.2", 1)] == STATE_REJECTED
    small.confirm_button.click()

    assert not small.isVisible() and small.result() == small.DialogCode.Accepted
    (plan,) = small.saver.plans
    assert plan is small.saved_plan
    assert (plan.effective_from, plan.effective_to) == (date(2021, 1, 1), date(2021, 12, 31))
    t = plan.target("1.1.1")
    assert (t.label, t.value, t.unit, t.kind) == ("开发基层公益岗位", Decimal("600"), "个", "stock")
    assert plan.target("1.1.2").value == Decimal("1200")
    assert [t.label for t in plan.measure("1.2").targets] == ["开展职业技能培训"]
    t = plan.target("2.2.1")
    assert (t.comparator, t.deadline) == ("=", date(2021, 9, 30))
    assert len(plan.targets()) == 5


def test_confirm_refused_until_unsure_targets_and_dates_are_decided(small: PlanReviewDialog) -> None:
    assert small.dates_note.isVisible() and "执行期" in small.dates_note.text()
    small.confirm_button.click()
    assert small.isVisible() and not small.saver.plans
    assert "2个待确认的指标" in small.error.text()
    for key in (("1.1", 1), ("1.2", 1)):
        _select(small, ("target", *key))
        small.accept_button.click()
    small.confirm_button.click()
    assert small.isVisible() and "施行日期和有效期" in small.error.text()
    _set_dates(small, date(2021, 1, 1), date(2021, 12, 31))
    assert not small.dates_note.isVisible()
    small.confirm_button.click()
    assert len(small.saver.plans) == 1 and not small.isVisible()


def test_a_refusal_while_saving_is_shown_and_the_dialog_stays(qtbot) -> None:  # noqa: ANN001
    saver = Saver(ValueError("台账中已有文号为长政办发〔2020〕26号的方案。"))
    dlg = _dialog(qtbot, CHANGSHA, saver)
    dlg.confirm_button.click()
    assert dlg.isVisible()
    assert dlg.error.isVisible() and dlg.error.text() == "台账中已有文号为长政办发〔2020〕26号的方案。"


def test_metadata_edits_are_saved(changsha: PlanReviewDialog) -> None:
    _type(changsha.title_edit, "长沙市“六保”实施方案（修订）")
    _type(changsha.doc_number_edit, "长政办发〔2020〕27号")
    changsha.short_title_edit.setText("六保方案")
    changsha.confirm_button.click()
    (plan,) = changsha.saver.plans
    assert (plan.title, plan.doc_number, plan.short_title) == ("长沙市“六保”实施方案（修订）", "长政办发〔2020〕27号", "六保方案")
    assert plan.code == "plan-2020-27"  # from the 文号 as corrected (no ledger to ask for a free code)
    assert SetMetadata("doc_number", "长政办发〔2020〕27号") in changsha.decisions()


def _select_text(dlg: PlanReviewDialog, phrase: str) -> None:
    start = dlg.source_text.index(phrase)
    cursor = dlg.source.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(phrase), QTextCursor.MoveMode.KeepAnchor)
    dlg.source.setTextCursor(cursor)


def test_a_target_added_from_the_selected_text(small: PlanReviewDialog) -> None:
    assert not small.add_button.isEnabled()
    _select_text(small, "城镇就业1200人")
    assert small.add_button.isEnabled()
    small.add_button.click()
    key = small._key
    assert key == ("target", "1.1", 2)  # placed where its phrase stands: after the 新增城镇就业1200人左右 it is in
    t, state = small.model.target(key)
    assert (t.source, t.value, t.unit, t.comparator, state) == ("城镇就业1200人", Decimal("1200"), "人", ">=", "added")
    _select_text(small, "做好培训后的跟踪服务工作")
    small.add_button.click()
    t, _ = small.model.target(small._key)
    assert (t.kind, t.source) == ("done", "做好培训后的跟踪服务工作")
    assert compact(small.source_text[slice(*small.source.current)]) == "做好培训后的跟踪服务工作"
    _select_text(small, "（区人社局负责）")
    small.add_button.click()
    assert "正文之内" in small.error.text()


def test_merge_and_split_measures(changsha: PlanReviewDialog) -> None:
    _select(changsha, ("measure", "1.1"))
    changsha.merge_button.click()
    assert changsha._key == ("measure", "1.1")
    assert [m.code for m in changsha.reviewed.shown.parts[0].measures] == ["1.1", "1.2", "1.3"]
    # split 2.3 where 实施义务教育薄弱环节… starts
    cursor = changsha.source.textCursor()
    cursor.setPosition(CHANGSHA.index("实施义务教育薄弱环节"))
    changsha.source.setTextCursor(cursor)
    assert changsha.split_button.isEnabled()
    changsha.split_button.click()
    changsha.confirm_button.click()
    (plan,) = changsha.saver.plans
    part1 = plan.parts[0]
    assert [m.title for m in part1.measures] == ["全力促进高校毕业生就业", "切实帮扶困难群体就业", "加强就业公共服务"]
    assert "做好农民工、退役军人等重点群体就业创业工作。" in part1.measures[0].text
    assert "市退役军人局" in part1.measures[0].units
    part2 = plan.parts[1]
    assert len(part2.measures) == 5
    assert [t.label for t in plan.measure("2.3").targets] == [
        "行政村卫生室标准化建设全覆盖", "新改建乡镇卫生院（社区卫生服务中心）", "村（社区）卫生室",
        "每个乡镇卫生院（社区卫生服务中心）配备全科医生"]
    assert plan.measure("2.4").title == "实施义务教育薄弱环节改善与能力提升工程"
    assert plan.measure("2.4").targets[0].code == "2.4.1"
    assert plan.measure("2.5").title == "完善社会保障和救助体系"
    assert len(plan.targets()) == 39


def test_units_edited_with_their_roles(small: PlanReviewDialog) -> None:
    _select(small, ("measure", "2.2"))
    table = small.units_table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["区发改局", "区市场监管局"]
    _choose(table.cellWidget(0, 1), ROLE_LEAD)
    _choose(table.cellWidget(1, 1), ROLE_COOPERATE)
    small.add_unit_row()
    table = small.units_table
    table.item(2, 0).setText("区商务局")
    assert small.model.measure("2.2").units[-1] == Unit("区商务局", ROLE_COOPERATE)
    small.units_table.setCurrentCell(0, 0)
    small.remove_unit_row()
    small.units_table.setCurrentCell(1, 0)
    small.move_unit_up()
    assert small.model.measure("2.2").units == (Unit("区商务局", ROLE_COOPERATE), Unit("区市场监管局", ROLE_COOPERATE))
    # the 牵头 unit of 1.1 moved behind a 配合 one still leads the plan's list
    for key in (("1.1", 1), ("1.2", 1)):
        _select(small, ("target", *key))
        small.reject_button.click()
    _set_dates(small, date(2021, 1, 1), date(2021, 12, 31))
    small.confirm_button.click()
    (plan,) = small.saver.plans
    assert plan.measure("2.2").units == ("区商务局", "区市场监管局")
    assert plan.measure("1.1").units == ("区人社局", "区财政局", "区民政局")


# -- decisions as data ------------------------------------------------------------------------------------------
def test_the_decisions_give_the_same_plan_from_the_document_read_again(changsha: PlanReviewDialog) -> None:
    _select(changsha, ("target", "2.2", 0))
    changsha.reject_button.click()
    _select(changsha, ("target", "1.3", 0))
    _type(changsha.value_edit, "1.5")
    _select(changsha, ("measure", "3.1"))
    changsha.merge_button.click()
    changsha.confirm_button.click()
    (plan,) = changsha.saver.plans
    again = apply_decisions(read_plan_text(CHANGSHA), changsha.decisions())
    assert not again.skipped
    assert again.proposal.to_plan(code=plan.code, short_title=plan.short_title) == plan


def test_target_decisions_go_through_the_readers_own_apply_decisions(small: PlanReviewDialog) -> None:
    """Without a merge or split the dialog's decisions are said as domain.plan_reader Decisions, and the reader's
    apply_decisions gives the plan the dialog shows."""
    from liubao_desktop.domain.plan_reader import apply_decisions as reader_apply

    original = read_plan_text(SMALL)
    mine = [RejectTarget("1.2", "对参训人员给予每人500元补贴"), AcceptTarget("1.1", "新增城镇就业1200人左右"),
            EditTarget("1.1", "2021年6月底前，开发基层服务岗位500个", 0, "value", Decimal("600")),
            EditTarget("2.1", "实现困难群众救助全覆盖", 0, "label", "困难群众救助"),
            EditTarget("2.2", "重要民生商品价格涨幅控制在3%以内", 0, "kind", "done"),
            SetMetadata("effective_from", date(2021, 1, 1)), SetMetadata("effective_to", date(2021, 12, 31))]
    converted = reader_decisions(original, mine)
    assert [d.target for d in converted] == ["1.1.1", "1.1.2", "1.2.2", "2.1.1", "2.2.1"]
    ours = apply_decisions(original, mine).proposal
    theirs = apply_decisions(reader_apply(original, converted), mine[-2:]).proposal
    assert theirs == ours


def test_cancel_writes_nothing_to_the_ledger(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    from liubao_desktop.services.ledger import Ledger

    ledger = Ledger.open(data_dir)
    database = data_dir / "liubao.sqlite3"
    before = database.read_bytes()
    changes = ledger.db.connection().total_changes
    dlg = PlanReviewDialog(read_plan_text(CHANGSHA), CHANGSHA, ledger=ledger)
    qtbot.addWidget(dlg)
    dlg.show()
    _select(dlg, ("target", "2.2", 0))
    dlg.reject_button.click()
    dlg.cancel_button.click()
    assert dlg.result() == dlg.DialogCode.Rejected and dlg.saved_plan is None
    assert ledger.db.connection().total_changes == changes
    ledger.close()
    assert database.read_bytes() == before  # closed: its -wal checkpointed, so nothing may hide there either
    assert not (data_dir / "liubao.sqlite3-wal").exists()


def test_the_tree_model_passes_qt_model_tester(qtmodeltester, changsha: PlanReviewDialog) -> None:  # noqa: ANN001
    qtmodeltester.check(changsha.model)
    _select(changsha, ("measure", "1.1"))
    changsha.merge_button.click()
    qtmodeltester.check(changsha.model)


def test_unsure_rows_read_as_such_in_the_tree(small: PlanReviewDialog) -> None:
    index = small.model.index_of(("measure", "1.1"))
    assert small.model.data(index.siblingAtColumn(4)) == "1个待确认"
    target = small.model.index_of(("target", "1.1", 1))
    assert small.model.data(target.siblingAtColumn(4)) == "待确认"
    assert "约数" in small.model.data(target, 3)  # ToolTipRole


# -- with the ledger's own save_plan --------------------------------------------------------------------------------
def _plan_import():  # noqa: ANN202
    module = pytest.importorskip("liubao_desktop.services.plan_import")
    if not hasattr(module, "save_plan"):
        pytest.skip("services.plan_import.save_plan not there yet")
    return module


def test_confirm_saves_through_the_ledger_with_the_roles_as_reviewed(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    _plan_import()
    from liubao_desktop.services.ledger import Ledger

    ledger = Ledger.open(data_dir)
    dlg = PlanReviewDialog(read_plan_text(SMALL), SMALL, ledger=ledger)
    qtbot.addWidget(dlg)
    dlg.show()
    for key in (("1.1", 1), ("1.2", 1)):
        _select(dlg, ("target", *key))
        dlg.accept_button.click()
    _select(dlg, ("measure", "2.2"))
    _choose(dlg.units_table.cellWidget(1, 1), ROLE_LEAD)  # 区市场监管局 leads, though listed second
    _set_dates(dlg, date(2021, 1, 1), date(2021, 12, 31))
    dlg.confirm_button.click()
    assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()
    assert "已导入方案" in dlg.save_message
    assert dlg.saved_plan.code in {p.code for p in ledger.plans()}
    assert dlg.saved_plan.measure("2.2").units == ("区市场监管局", "区发改局")
    ledger.close()


def test_the_ledgers_refusal_is_shown_and_nothing_written(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    _plan_import()
    from liubao_desktop.services.ledger import Ledger

    ledger = Ledger.open(data_dir)  # holds 长政办发〔2020〕26号 already
    changes = ledger.db.connection().total_changes
    dlg = PlanReviewDialog(read_plan_text(CHANGSHA), CHANGSHA, ledger=ledger)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.confirm_button.click()
    assert dlg.isVisible() and dlg.saved_plan is None
    assert "已经导入过" in dlg.error.text()
    assert ledger.db.connection().total_changes == changes
    ledger.close()
