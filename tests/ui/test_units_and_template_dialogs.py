"""数据 → 下级填报单位… and 导出 → 填报模板…: a unit added, renamed, retired and restored with its code unchanged,
targets ticked per unit, the ledger's refusals shown in Chinese with nothing changed; a template and the batch for
every unit written from the dialog."""
from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.ui.template_dialog import TemplateDialog
from liubao_desktop.ui.units_dialog import UNIT_CODE, UNIT_NAME, UNIT_STATE, UnitsDialog

SEP = Period(2020, 9)


def unit_row(dialog: UnitsDialog, code: str) -> int:
    return next(r for r in range(dialog.units.rowCount()) if dialog.units.item(r, UNIT_CODE).text() == code)


def grid_item(dialog: UnitsDialog, unit_code: str, target_code: str):  # noqa: ANN201
    for r in range(dialog.grid.rowCount()):
        for c in range(1, dialog.grid.columnCount()):
            item = dialog.grid.item(r, c)
            if item.data(Qt.ItemDataRole.UserRole) == (unit_code, target_code):
                return item
    return None


def test_units_are_added_renamed_retired_and_restored_with_stable_codes(qtbot, ledger: Ledger) -> None:  # noqa: ANN001
    dialog = UnitsDialog(ledger, "芙蓉区")
    qtbot.addWidget(dialog)
    dialog.new_name.setText("区人社局")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog.new_name.setText("定王台街道")
    dialog.new_name.returnPressed.emit()
    assert [u.name for u in ledger.children("芙蓉区")] == ["区人社局", "定王台街道"]
    assert [dialog.units.item(r, UNIT_CODE).text() for r in range(2)] == ["430102-01", "430102-02"]
    assert dialog.new_name.text() == "" and dialog.changed

    # renamed in place: the code stays
    dialog.units.item(0, UNIT_NAME).setText("芙蓉区人社局")
    assert ledger.org("430102-01").name == "芙蓉区人社局"
    assert dialog.units.item(unit_row(dialog, "430102-01"), UNIT_CODE).text() == "430102-01"

    dialog.units.selectRow(unit_row(dialog, "430102-01"))
    assert dialog.retire_button.text() == "停用"
    qtbot.mouseClick(dialog.retire_button, Qt.MouseButton.LeftButton)
    assert ledger.org("430102-01").retired
    row = unit_row(dialog, "430102-01")
    assert dialog.units.item(row, UNIT_STATE).text() == "已停用" and dialog.retire_button.text() == "恢复"
    assert dialog.grid.columnCount() == 2  # a retired unit takes no targets: only 定王台街道's column
    qtbot.mouseClick(dialog.retire_button, Qt.MouseButton.LeftButton)
    assert not ledger.org("430102-01").retired and dialog.grid.columnCount() == 3


def test_the_ledgers_refusals_are_shown_in_chinese_and_change_nothing(qtbot, ledger: Ledger) -> None:  # noqa: ANN001
    ledger.add_unit("芙蓉区", "区人社局")
    dialog = UnitsDialog(ledger, "芙蓉区")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.new_name.setText("天心区")
    dialog.add_unit()
    assert dialog.message.isVisible() and "已有名为“天心区”的单位" in dialog.message.text()
    assert dialog.new_name.text() == "天心区" and len(ledger.children("芙蓉区")) == 1
    dialog.units.item(0, UNIT_NAME).setText("")
    assert "不能为空" in dialog.message.text()
    assert ledger.org("430102-01").name == "区人社局" and dialog.units.item(0, UNIT_NAME).text() == "区人社局"
    dialog.new_name.setText("区民政局")
    dialog.add_unit()
    assert not dialog.message.isVisible()


def test_targets_are_ticked_per_unit_among_the_offices_involved_targets(qtbot, ledger: Ledger) -> None:  # noqa: ANN001
    hr = ledger.add_unit("芙蓉区", "区人社局").code
    ledger.assign(hr, "1.4.1")
    ledger.set_involved("芙蓉区", "1.3.1", False)
    dialog = UnitsDialog(ledger, "芙蓉区")
    qtbot.addWidget(dialog)
    involved = ledger.involvement("芙蓉区")
    listed = [dialog.grid.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(dialog.grid.rowCount())]
    assert listed == [t.code for t in ledger.plan.targets() if involved[t.code]] and "1.3.1" not in listed
    assert dialog.grid.horizontalHeaderItem(1).text() == "区人社局"
    assert grid_item(dialog, hr, "1.4.1").checkState() == Qt.CheckState.Checked
    grid_item(dialog, hr, "1.1.1").setCheckState(Qt.CheckState.Checked)
    grid_item(dialog, hr, "1.4.1").setCheckState(Qt.CheckState.Unchecked)
    assert ledger.assignments("芙蓉区") == {"1.1.1": {hr}}


def test_the_template_dialog_writes_a_units_template_and_refuses_one_without_targets(
        qtbot, ledger: Ledger, tmp_path: Path) -> None:  # noqa: ANN001
    hr = ledger.add_unit("芙蓉区", "区人社局").code
    ledger.add_unit("芙蓉区", "区民政局")
    ledger.assign(hr, "1.3.1")
    dialog = TemplateDialog(ledger, "芙蓉区", SEP, folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert [dialog.unit_combo.itemText(i) for i in range(3)] == ["本单位（芙蓉区）", "区人社局", "区民政局"]
    assert dialog.period_combo.currentText() == "2020年9月"
    assert dialog.out_edit.text() == str(tmp_path / "芙蓉区-2020-09-填报模板.xlsx")
    dialog.unit_combo.setCurrentIndex(1)
    assert dialog.out_edit.text() == str(tmp_path / "芙蓉区-区人社局-2020-09-填报模板.xlsx")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "芙蓉区-区人社局-2020-09-填报模板.xlsx"
    assert written.exists() and "已生成 芙蓉区 区人社局 2020年9月 的填报模板（1 项指标）" in dialog.done_label.text()
    assert {p.name: p.value for p in load_workbook(written).custom_doc_props}["liubao.unit_code"] == hr

    dialog.unit_combo.setCurrentIndex(2)
    dialog.make()
    assert dialog.message.isVisible() and "还没有给“区民政局”分配指标" in dialog.message.text()
    assert not (tmp_path / "芙蓉区-区民政局-2020-09-填报模板.xlsx").exists() and dialog.done_label.text() == ""


def test_the_template_dialog_makes_one_per_unit_into_a_new_folder(qtbot, ledger: Ledger, tmp_path: Path) -> None:  # noqa: ANN001
    hr = ledger.add_unit("芙蓉区", "区人社局").code
    street = ledger.add_unit("芙蓉区", "定王台街道").code
    ledger.assign(hr, "1.3.1")
    ledger.assign(street, "1.3.1")
    dialog = TemplateDialog(ledger, "芙蓉区", SEP, folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.all_button.isEnabled()
    batch = dialog.make_all(tmp_path)
    assert batch is not None and batch.folder == tmp_path / "芙蓉区-2020-09-填报模板"
    assert len(list(batch.folder.glob("*.xlsx"))) == 2 and batch.zip_path.exists()


def test_the_template_dialog_without_units_offers_only_the_office(qtbot, ledger: Ledger, tmp_path: Path) -> None:  # noqa: ANN001
    dialog = TemplateDialog(ledger, "芙蓉区", SEP, folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.unit_combo.count() == 1 and not dialog.all_button.isEnabled()


def test_the_menus_offer_both_dialogs(window) -> None:  # noqa: ANN001
    texts = {a.text() for menu in window.menuBar().findChildren(type(window.menuBar().actions()[0].menu()))
             for a in menu.actions()}
    assert {"填报模板…", "下级填报单位…"} <= texts


def test_under_the_city_the_offices_are_not_listed_as_units(qtbot, ledger: Ledger) -> None:  # noqa: ANN001
    dialog = UnitsDialog(ledger, "长沙市")
    qtbot.addWidget(dialog)
    assert dialog.units.rowCount() == 0 and dialog.grid.columnCount() == 1
    dialog.new_name.setText("市本级某局")
    dialog.add_unit()
    assert "下级填报单位只能加在区县（市）、园区等填报单位下" in dialog.message.text()


def test_opened_on_a_unit_both_dialogs_work_for_its_office(qtbot, ledger: Ledger, tmp_path: Path) -> None:  # noqa: ANN001
    hr = ledger.add_unit("芙蓉区", "区人社局").code
    ledger.assign(hr, "1.3.1")
    units = UnitsDialog(ledger, hr)
    qtbot.addWidget(units)
    assert units.office.name == "芙蓉区" and units.units.rowCount() == 1
    dialog = TemplateDialog(ledger, hr, SEP, folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.office.name == "芙蓉区" and dialog.unit_code() == hr
    assert dialog.out_edit.text().endswith("芙蓉区-区人社局-2020-09-填报模板.xlsx")
