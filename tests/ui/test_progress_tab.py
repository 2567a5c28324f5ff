"""The pane's 进度 tab draws what the report says: the chosen target's months, and the statuses over the months."""
from __future__ import annotations

from decimal import Decimal

from liubao_desktop.domain.periods import Period
from liubao_desktop.printing.chart_model import CHART_STATUSES
from liubao_desktop.services.rollup import org_history, org_report

ORG = "430102"
AUG, SEP = Period(2020, 8), Period(2020, 9)


def test_the_progress_tab_charts_the_selected_target(window, qtbot) -> None:  # noqa: ANN001
    ledger = window.ledger
    ledger.set_local_target(ORG, "1.3.1", Decimal(1400))
    ledger.record_figure(ORG, "1.3.1", AUG, ledger.parse_entry("1.3.1", "1000"))
    ledger.record_figure(ORG, "1.3.1", SEP, ledger.parse_entry("1.3.1", "523"))
    ledger.record_figure(ORG, "1.3.2", SEP, ledger.parse_entry("1.3.2", "推进中"))
    window.set_period(SEP)
    window.refresh()
    window.select_measure("1.3")
    pane = window.pane
    pane.targets_view.setCurrentIndex(pane.targets_model.index(pane.targets_model.row_of("1.3.1"), 0))
    assert pane.stack.currentIndex() == 0
    pane.view_tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: pane.progress.isVisible())
    chart = pane.progress.target_chart.chart
    assert chart is not None and chart.title.startswith("1.3.1")
    report = org_report(ledger, ORG, SEP)
    line = report.targets["1.3.1"]
    # the last month's bar is the report's 累计完成, the goal line its 分解目标, the 序时 point goal × 序时进度
    assert chart.actual[-1] == line.progress.actual.number == Decimal(1523)
    assert chart.goal == line.local_target == Decimal(1400)
    assert chart.expected[-1] == line.local_target * line.progress.expected
    assert chart.months == ("2020年8月", "9月") and chart.actual[0] == Decimal(1000)
    # statuses over the months: the last month's counts are the measure's targets' statuses in the report
    status = pane.progress.status_chart.chart
    assert status is not None
    wanted = {s: 0 for s in CHART_STATUSES}
    for t in report.measures["1.3"].targets:
        if t.progress.status in wanted:
            wanted[t.progress.status] += 1
    assert dict(status.counts[-1]) == wanted
    history = org_history(ledger, ORG, SEP)
    assert len(status.counts) == len(history)
    # another row: the chart follows it
    pane.view_tabs.setCurrentIndex(0)
    pane.targets_view.setCurrentIndex(pane.targets_model.index(pane.targets_model.row_of("1.3.2"), 0))
    pane.view_tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: pane.progress.target_chart.chart.title.startswith("1.3.2"))
    assert not pane.progress.target_chart.chart.has_numbers  # 定性: no numbers to draw, said so
    image = pane.progress.grab()
    assert not image.isNull() and image.width() > 200


def test_the_export_menu_writes_the_report(window, qtbot, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from docx import Document
    from PySide6.QtWidgets import QInputDialog

    from liubao_desktop.ui import file_dialogs
    from liubao_desktop.ui.main_menus import write_report

    out = tmp_path / "报告.docx"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("区委办公室：", True))
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a, **k: out)
    items = [a.text() for m in window.menuBar().actions() if m.text().startswith("导出") for a in m.menu().actions()]
    assert items[:3] == ["报送报表…", "填报模板…", "进展报告（Word）…"]
    write_report(window)
    doc = Document(str(out))
    assert doc.paragraphs[0].text.startswith("关于芙蓉区")
    assert any(p.text == "区委办公室：" for p in doc.paragraphs)
    assert window.ledger.setting("report_addressee") == "区委办公室"  # asked again next month with this answer
    assert "已生成 芙蓉区" in window.statusBar().currentMessage()
