"""数据 → 修改记录 and a cell's 历史记录: who changed what, as the clerk sees it."""
from __future__ import annotations

import pytest

from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.services import safety
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.workstation import Workstation
from liubao_desktop.ui import audit_dialog
from liubao_desktop.ui.audit_dialog import AuditDialog, run_audit_dialog

SEP, OCT = Period(2020, 9), Period(2020, 10)
FRQ, TXQ = "430102", "430103"  # 芙蓉区, 天心区


@pytest.fixture
def traced(ledger: Ledger) -> Ledger:
    ledger.workstation = Workstation("办公室-1", "张三")
    ledger.record_figure(FRQ, "2.4.1", SEP, ledger.parse_entry("2.4.1", "12,500.5"))
    ledger.record_figure(FRQ, "2.4.1", SEP, ledger.parse_entry("2.4.1", "13,000"))
    ledger.record_figure(FRQ, "2.4.1", SEP, ledger.parse_entry("2.4.1", "12,500.5"), source="undo")
    ledger.record_figure(FRQ, "1.3.1", OCT, ledger.parse_entry("1.3.1", "80"))
    ledger.record_figure(TXQ, "1.3.1", SEP, ledger.parse_entry("1.3.1", "5"))
    ledger.write_narrative(FRQ, "2.4", SEP, Narrative("救助资金已拨付" * 10))
    return ledger


def rows(dialog: AuditDialog) -> list[list[str]]:
    m = dialog.model
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_the_change_log_opens_on_the_current_office_and_narrows_with_the_filters(
    qtbot, qtmodeltester, traced: Ledger  # noqa: ANN001
) -> None:
    dialog = AuditDialog(None, traced, FRQ)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.windowTitle() == "修改记录"
    assert dialog.model.rowCount() == 5 and dialog.count_label.text() == "共 5 条。"
    newest = rows(dialog)[0]
    assert newest[1:8] == ["张三", "办公室-1", "录入", "芙蓉区", "2020年9月", "2.4 完善社会保障和救助体系 工作进展",
                           "进展情况"]
    assert newest[9].endswith("…")  # a long narrative is shortened in the table …
    assert dialog.model.index(0, 9).data(audit_dialog.Qt.ItemDataRole.ToolTipRole) == "救助资金已拨付" * 10  # … not in the tooltip
    dialog.period_box.setCurrentIndex(dialog.period_box.findData("2020-10"))
    assert [r[6] for r in rows(dialog)] == ["1.3.1 援助就业困难人员就业"]
    dialog.org_box.setCurrentIndex(0)  # 全部单位
    dialog.period_box.setCurrentIndex(dialog.period_box.findData("2020-09"))
    dialog.target_box.setCurrentIndex(dialog.target_box.findData("1.3.1"))
    assert [(r[4], r[9]) for r in rows(dialog)] == [("天心区", "5人")]
    dialog.target_box.setCurrentIndex(0)
    dialog.source_box.setCurrentIndex(dialog.source_box.findData("undo"))
    assert [(r[3], r[8], r[9]) for r in rows(dialog)] == [("撤销", "13,000万元", "12,500.5万元")]
    dialog.source_box.setCurrentIndex(dialog.source_box.findData("restore"))
    assert dialog.model.rowCount() == 0 and "没有" in dialog.count_label.text()


def test_a_cells_history_lists_the_newest_change_first_including_a_restore(qtbot, traced: Ledger) -> None:  # noqa: ANN001
    backup = safety.backup_now(traced)
    traced.record_figure(FRQ, "2.4.1", SEP, traced.parse_entry("2.4.1", "9,999"))
    safety.restore_backup(traced, backup)
    dialog = AuditDialog(None, traced, FRQ, SEP, "2.4.1")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "历史记录 — 芙蓉区 2020年9月 统筹安排社会救助资金"
    assert [(r[3], r[8], r[9]) for r in rows(dialog)] == [
        ("恢复备份", "9,999万元", "12,500.5万元"),
        ("录入", "12,500.5万元", "9,999万元"),
        ("撤销", "13,000万元", "12,500.5万元"),
        ("录入", "12,500.5万元", "13,000万元"),
        ("录入", "（空）", "12,500.5万元"),
    ]
    assert rows(dialog)[0][10] == f"从备份 {backup.name} 恢复"


def test_a_cells_history_includes_the_targets_local_target_and_shows_a_cleared_value(qtbot, traced: Ledger) -> None:  # noqa: ANN001
    from decimal import Decimal

    from liubao_desktop.domain.figures import BLANK

    traced.set_local_target(FRQ, "2.4.1", Decimal(150_000_000))  # 分解目标 15,000万元: no month
    traced.record_figure(FRQ, "2.4.1", SEP, BLANK)  # the clerk cleared the cell
    traced.set_local_target(TXQ, "2.4.1", Decimal(1))  # another office's: not in this cell's history
    traced.record_figure(FRQ, "2.4.1", OCT, traced.parse_entry("2.4.1", "1"))  # another month: neither
    dialog = AuditDialog(None, traced, FRQ, SEP, "2.4.1")
    qtbot.addWidget(dialog)
    assert [(r[5], r[7], r[8], r[9]) for r in rows(dialog)] == [
        ("2020年9月", "本期完成", "12,500.5万元", "（空）"),
        ("—", "分解目标", "（空）", "15,000万元"),
        ("2020年9月", "本期完成", "13,000万元", "12,500.5万元"),
        ("2020年9月", "本期完成", "12,500.5万元", "13,000万元"),
        ("2020年9月", "本期完成", "（空）", "12,500.5万元"),
    ]
    assert dialog.count_label.text() == "共 5 条。"
    # the full 修改记录 filtered by a month does not list month-less changes
    log = AuditDialog(None, traced, FRQ)
    qtbot.addWidget(log)
    log.period_box.setCurrentIndex(log.period_box.findData("2020-09"))
    log.target_box.setCurrentIndex(log.target_box.findData("2.4.1"))
    assert "分解目标" not in [r[7] for r in rows(log)]


def test_the_dialog_opens_wide_enough_that_new_values_and_notes_are_in_view(qtbot, traced: Ledger) -> None:  # noqa: ANN001
    backup = safety.backup_now(traced)
    traced.write_narrative(FRQ, "2.4", SEP, Narrative("进展" * 300))
    safety.restore_backup(traced, backup)
    for dialog in (AuditDialog(None, traced, FRQ), AuditDialog(None, traced, FRQ, SEP, "2.4.1")):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert (dialog.width(), dialog.height()) >= (1200, 640)
        header = dialog.table.horizontalHeader()
        assert dialog.table.horizontalScrollBar().maximum() == 0  # nothing hidden to the right
        assert header.sectionSize(10) >= audit_dialog.NOTE_MIN  # 说明 has room for "从备份 liubao-….sqlite3 恢复"
        font = dialog.table.fontMetrics()
        assert header.sectionSize(9) >= font.horizontalAdvance("12,500.5万元")  # 新值 fits a money value


def test_the_main_window_entry_point_opens_the_dialog_with_its_arguments(qtbot, traced, monkeypatch) -> None:  # noqa: ANN001
    opened: list[AuditDialog] = []

    def fake_exec(self: AuditDialog) -> int:
        opened.append(self)
        qtbot.addWidget(self)
        return 0

    monkeypatch.setattr(AuditDialog, "exec", fake_exec)
    run_audit_dialog(None, traced, FRQ, SEP, "2.4")
    (dialog,) = opened
    assert dialog.target_box.currentData() == "2.4" and dialog.period_box.currentData() == "2020-09"
    assert [r[7] for r in rows(dialog)] == ["进展情况"]


def test_each_change_names_the_pc_it_was_made_on_and_the_log_filters_by_pc_and_operator(
    qtbot, traced: Ledger  # noqa: ANN001
) -> None:
    """Several PCs write to one ledger on a server: the 电脑 column says which one, and 电脑 / 操作人 narrow the list."""
    traced.workstation = Workstation("督查室-2", "李四")
    traced.record_figure(FRQ, "1.3.1", SEP, traced.parse_entry("1.3.1", "40"))
    dialog = AuditDialog(None, traced, FRQ)
    qtbot.addWidget(dialog)
    assert [dialog.pc_box.itemText(i) for i in range(dialog.pc_box.count())] == ["全部电脑", "办公室-1", "督查室-2"]
    assert [(r[1], r[2]) for r in rows(dialog)][:2] == [("李四", "督查室-2"), ("张三", "办公室-1")]
    dialog.pc_box.setCurrentIndex(dialog.pc_box.findData("督查室-2"))
    assert [(r[1], r[2], r[9]) for r in rows(dialog)] == [("李四", "督查室-2", "40人")]
    dialog.pc_box.setCurrentIndex(0)
    dialog.operator_box.setCurrentIndex(dialog.operator_box.findData("张三"))
    assert {r[2] for r in rows(dialog)} == {"办公室-1"} and dialog.count_label.text() == "共 5 条。"
