"""打印 → 任务清单 as a clerk uses it: the preview with its choices, and the PDF it saves."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.printing.pdf import write_task_list_pdf
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.task_list import NO_UNIT, TaskListOptions, build_task_list
from liubao_desktop.ui import file_dialogs, print_dialog
from liubao_desktop.ui.print_dialog import TaskListPreviewDialog, run_print_preview
from tests.conftest import close_and_delete
from tests.printing.pdf_reading import compact, pages

SEP = Period(2020, 9)
FINANCE_TITLES = ("抓好重要民生商品保供稳价", "落实落细惠企政策", "提升基层运转效能")


@pytest.fixture
def dialog(qtbot, ledger: Ledger) -> Iterator[TaskListPreviewDialog]:  # noqa: ANN001
    dlg = TaskListPreviewDialog(ledger, "芙蓉区", SEP)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    qtbot.waitUntil(lambda: dlg.page_count() > 0)
    yield dlg
    close_and_delete(dlg)


def test_the_preview_opens_on_the_whole_plan_by_unit_for_the_windows_month(
    dialog: TaskListPreviewDialog, ledger: Ledger, tmp_path: Path
) -> None:
    bar = dialog.options_bar
    assert bar.options() == TaskListOptions() and bar.chosen_period() == SEP
    # The preview shows as many pages as the same list printed to a file.
    same = write_task_list_pdf(build_task_list(ledger, "芙蓉区", SEP), tmp_path / "same.pdf")
    assert dialog.page_count() == same > 1
    assert dialog.windowTitle().endswith("芙蓉区")


def test_choosing_one_unit_previews_and_saves_only_its_tasks(
    dialog: TaskListPreviewDialog, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    before = dialog.page_count()
    bar = dialog.options_bar
    bar.unit.setCurrentIndex(bar.unit.findData("市财政局"))
    qtbot.waitUntil(lambda: dialog.page_count() < before)

    chosen = tmp_path / "财政局"  # the clerk typed no extension
    monkeypatch.setattr(file_dialogs, "run", lambda dialog: chosen)
    bar.save_pdf.click()
    saved = pages(chosen.with_suffix(".pdf"))
    assert len(saved) == dialog.page_count()  # how many depends on the font's metrics, not on this test
    text = "".join(saved)
    assert all(title in text for title in FINANCE_TITLES)
    assert "全力促进高校毕业生就业" not in text and "加强组织领导" not in text


def test_a_page_break_per_unit_gives_each_unit_its_own_pages(dialog: TaskListPreviewDialog, qtbot) -> None:  # noqa: ANN001
    groups = len(dialog.task_list().groups)
    before = dialog.page_count()
    dialog.options_bar.page_break.setChecked(True)
    qtbot.waitUntil(lambda: dialog.page_count() != before)
    assert dialog.page_count() == groups


def test_only_late_for_august_lists_the_overdue_task_and_full_text_adds_the_wording(
    dialog: TaskListPreviewDialog, ledger: Ledger, tmp_path: Path
) -> None:
    bar = dialog.options_bar
    bar.period.setCurrentIndex(bar.period.findData("2020-08"))
    bar.only_late.setChecked(True)
    bar.full_text.setChecked(True)
    bar.group_by.setCurrentIndex(bar.group_by.findData("part"))
    assert dialog.page_count() == 1
    pdf = dialog.save_pdf(tmp_path / "late.pdf")
    text = "".join(pages(pdf))
    assert "加快转移支付和专项资金拨付进度" in text and "逾期" in text
    assert "原则上要求2020年8月31日前完成拨付" in text  # the full text of 6.1
    assert "切实帮扶困难群体就业" not in text

    ledger.write_narrative("芙蓉区", "6.1", Period(2020, 8), Narrative(progress="已拨付", done=True))
    dialog.refresh()
    assert "没有符合条件的任务" in "".join(pages(dialog.save_pdf(tmp_path / "none-late.pdf")))


def test_the_units_to_choose_from_are_the_plans_and_no_unit(dialog: TaskListPreviewDialog, ledger: Ledger) -> None:
    combo = dialog.options_bar.unit
    names = [combo.itemData(i) for i in range(combo.count())]
    assert names == ["", *ledger.plan.units(), NO_UNIT]
    combo.setCurrentIndex(combo.findData(NO_UNIT))
    assert [r.measure_code for g in dialog.task_list().groups for r in g.rows] == ["7.1", "7.2", "7.3"]


def test_the_main_window_entry_point_opens_the_preview_for_its_office_and_month(
    qtbot, ledger: Ledger, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    opened: list[TaskListPreviewDialog] = []

    def fake_exec(self: TaskListPreviewDialog) -> int:
        opened.append(self)
        return 0

    monkeypatch.setattr(print_dialog.TaskListPreviewDialog, "exec", fake_exec)
    parent = QWidget()
    qtbot.addWidget(parent)
    run_print_preview(parent, ledger, "430103", Period(2020, 11))
    (dlg,) = opened
    assert dlg.org_code == "430103" and dlg.options_bar.chosen_period() == Period(2020, 11)
    assert dlg.task_list().office == "天心区"


def test_a_file_that_cannot_be_written_is_reported_not_crashed_on(
    dialog: TaskListPreviewDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(print_dialog.QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    assert dialog.save_pdf(tmp_path / "missing-folder" / "x.pdf") is None
    assert warnings and compact(warnings[0])
