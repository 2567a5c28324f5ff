"""The 填报模板 as written on disk, read back cell by cell with openpyxl: what a unit sees, what it may type, and
what the hidden sheet and the custom properties tell an importer (docs/ARCHITECTURE.md, "The 填报模板 workbook")."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.export.template import META_SHEET, SHEET_NAME
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.template_service import resolve, write_template_file

AUG, SEP = Period(2020, 8), Period(2020, 9)
UNIT_TARGETS = ("1.3.1", "1.3.2", "6.3.2", "1.1.1")  # an amount, a 定性 target, a signed change, a share


@pytest.fixture
def unit_template(ledger: Ledger, tmp_path: Path) -> tuple[Ledger, Workbook]:
    hr = ledger.add_unit("芙蓉区", "=区人社局")  # a name a spreadsheet would run as a formula
    for code in UNIT_TARGETS:
        ledger.assign(hr.code, code)
    ledger.record_figure(hr.code, "1.3.1", AUG, FigureValue.of(120), note="+1 招聘会")
    ledger.record_figure(hr.code, "1.3.2", AUG, FigureValue.of_state("推进中"))
    ledger.set_local_target(hr.code, "1.3.1", Decimal(800))
    office, unit = resolve(ledger, "芙蓉区", "=区人社局")
    out = tmp_path / "T.xlsx"
    write_template_file(ledger, office, unit, SEP, out)
    return ledger, load_workbook(out)


def rows(ws) -> dict[str, tuple]:  # noqa: ANN001
    """Target rows of 填报表 by the hidden code in column I."""
    return {r[8]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[8]}


def test_the_form_lists_the_units_targets_in_plan_order_with_what_it_needs(unit_template) -> None:  # noqa: ANN001
    ledger, wb = unit_template
    ws = wb[SHEET_NAME]
    assert wb.sheetnames == [SHEET_NAME, META_SHEET] and wb.active.title == SHEET_NAME
    assert ws["A1"].value == "长沙市“六保”实施方案指标填报表（=区人社局，2020年9月）"
    assert ws["A1"].data_type == "s"  # the unit's name is text, not a formula
    assert ws["A2"].value == "填报单位：=区人社局（芙蓉区）"
    assert [c.value for c in ws[3]][:8] == ["编号", "指标", "市级目标\n（方案原文）", "分解目标", "上月累计", "计量单位",
                                            "本期完成", "备注"]
    got = rows(ws)
    assert list(got) == ["1.1.1", "1.3.1", "1.3.2", "6.3.2"]  # plan order, not the order assigned
    t = ledger.target("1.3.1")
    assert got["1.3.1"][:8] == ("1.3.1", t.label, "1.4万人", 800, 120, "人", None, None)
    assert got["1.3.2"][3:6] == ("—", "推进中", "定性")  # no 分解目标 for a 定性 target; its state so far
    assert got["1.1.1"][3:6] == ("按市级目标", "—", "%")  # a share applies as written; nothing reported yet
    assert all(ws.cell(r, 1).value == ws.cell(r, 9).value for r in range(4, 8))
    assert ws.column_dimensions["I"].hidden


def test_only_the_two_input_columns_are_unlocked_and_the_sheet_is_protected_without_a_password(
        unit_template) -> None:  # noqa: ANN001
    _, wb = unit_template
    ws = wb[SHEET_NAME]
    assert ws.protection.sheet and not ws.protection.password and not ws.protection.hashValue
    for r in range(4, 8):
        for col in range(1, 10):
            cell = ws.cell(r, col)
            assert cell.protection.locked == (col not in (7, 8)), cell.coordinate
    assert ws["G4"].fill.start_color.rgb.endswith("FFF2CC")
    assert ws["A1"].protection.locked and ws["H3"].protection.locked
    meta = wb[META_SHEET]
    assert meta.protection.sheet and not meta.protection.password


def test_each_input_cell_validates_what_its_target_takes(unit_template) -> None:  # noqa: ANN001
    _, wb = unit_template
    ws = wb[SHEET_NAME]
    by_ref = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    code_row = {ws.cell(r, 9).value: r for r in range(4, 8)}
    amount = by_ref[f"G{code_row['1.3.1']}"]
    r = code_row["1.3.1"]
    assert (amount.type, amount.formula1) == ("custom", f'OR(G{r}="不适用",AND(ISNUMBER(G{r}),G{r}>=0))')
    assert amount.showErrorMessage and "不小于 0 的数字（单位：人）" in amount.error and amount.allow_blank
    signed = by_ref[f"G{code_row['6.3.2']}"]
    r = code_row["6.3.2"]
    assert signed.formula1 == f'OR(G{r}="不适用",ISNUMBER(G{r}))'  # a change may be negative
    state = by_ref[f"G{code_row['1.3.2']}"]
    assert (state.type, state.formula1) == ("list", '"未开始,推进中,已完成,不适用"')
    note = by_ref["H4:H7"]
    assert (note.type, note.operator, note.formula1) == ("textLength", "lessThanOrEqual", "500")
    for dv in by_ref.values():
        for text in (dv.error, dv.prompt, dv.errorTitle):
            assert text is None or len(text) <= 255  # Excel refuses longer messages


def test_the_hidden_sheet_names_the_template_and_every_row(unit_template) -> None:  # noqa: ANN001
    ledger, wb = unit_template
    meta = wb[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    values = list(meta.iter_rows(values_only=True))
    blank = next(i for i, r in enumerate(values) if r[0] is None)
    pairs = {r[0]: r[1] for r in values[:blank]}
    unit = ledger.org("=区人社局")
    assert pairs == {
        "format": "liubao-template", "format_version": "1", "plan_code": "changsha-2020-26",
        "doc_number": "长政办发〔2020〕26号", "plan_fingerprint": ledger.plan.fingerprint(),
        "org_code": "430102", "org_name": "芙蓉区", "unit_code": unit.code, "unit_name": "=区人社局",
        "period": "2020-09", "sheet": "填报表", "first_row": "4", "last_row": "7", "code_column": "I",
        "value_column": "G", "note_column": "H", "target_count": "4",
        "generated_at": pairs["generated_at"], "generator": pairs["generator"],
    }
    assert all(isinstance(v, str) for v in pairs.values())
    assert values[blank + 1] == ("row", "target_code", "entry_unit", "input")
    assert values[blank + 2:] == [(4, "1.1.1", "%", "number"), (5, "1.3.1", "人", "number"),
                                  (6, "1.3.2", "定性", "state"), (7, "6.3.2", "%", "signed")]
    assert meta["B8"].data_type == "s"  # the unit's name starting with "=" is text here too


def test_custom_properties_repeat_the_hidden_sheet(unit_template) -> None:  # noqa: ANN001
    ledger, wb = unit_template
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props["liubao.format"] == "liubao-template" and props["liubao.format_version"] == "1"
    assert props["liubao.plan_fingerprint"] == ledger.plan.fingerprint()
    assert (props["liubao.org_code"], props["liubao.unit_code"]) == ("430102", ledger.org("=区人社局").code)
    assert props["liubao.period"] == "2020-09" and props["liubao.doc_number"] == "长政办发〔2020〕26号"
    assert props["liubao.target_codes"] == "1.1.1,1.3.1,1.3.2,6.3.2"


def test_print_setup_is_a4_landscape_fit_to_width(unit_template) -> None:  # noqa: ANN001
    _, wb = unit_template
    ws = wb[SHEET_NAME]
    assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$3"


def test_the_offices_own_template_lists_its_involved_targets_and_leaves_the_unit_empty(
        ledger: Ledger, tmp_path: Path) -> None:
    ledger.set_involved("芙蓉区", "1.3.1", False)
    office, unit = resolve(ledger, "芙蓉区")
    result = write_template_file(ledger, office, unit, Period(2020, 8), tmp_path / "O.xlsx")
    wb = load_workbook(result.path)
    codes = list(rows(wb[SHEET_NAME]))
    involved = ledger.involvement("芙蓉区")
    assert codes == [t.code for t in ledger.plan.targets() if involved[t.code]] and "1.3.1" not in codes
    assert result.targets == len(codes)
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props["liubao.unit_code"] in ("", None)
    pairs = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(max_row=19, values_only=True)}
    assert pairs["unit_code"] is None and pairs["unit_name"] is None
    # 2020年8月 is the plan's first month: there is no 上月累计 to show
    assert {r[4] for r in rows(wb[SHEET_NAME]).values()} == {"—"}
