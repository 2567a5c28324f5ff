"""Printed on A4 landscape at the city office: one page wide, headers on every page, page X of Y, CJK font."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.services.export_service import export_workbook

from .conftest import OCT, ORG, ORG_CODE, Scenario

SHEETS = {"汇总": ("C5", "1:4"), "指标完成情况": ("D4", "1:3"), "工作进展": ("C4", "1:3"), "明细": ("D4", "1:3")}


@pytest.mark.parametrize("name", list(SHEETS))
def test_each_sheet_prints_a4_landscape_one_page_wide_with_title_rows_on_every_page(book: Workbook, name: str) -> None:
    ws = book[name]
    freeze, titles = SHEETS[name]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)  # one page wide, as long as needed
    assert ws.print_title_rows == f"${titles.replace(':', ':$')}"
    assert ws.freeze_panes == freeze  # frozen right under the column headers
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_every_cell_with_text_or_figures_names_a_cjk_font(book: Workbook) -> None:
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "宋体", (ws.title, cell.coordinate)


def test_title_and_header_block_are_merged_across_the_table(book: Workbook) -> None:
    ws = book["指标完成情况"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:O1" in merged  # title over the 15 printed columns
    assert any(r.startswith("A2:") for r in merged)  # 填报单位 …
    assert ws["A1"].font.bold and ws["A1"].font.size >= 14
    assert ws["A1"].alignment.horizontal == "center"


def test_summary_has_a_two_row_header_with_the_status_columns_grouped_and_coloured(book: Workbook) -> None:
    ws = book["汇总"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["E3"].value == "重点任务状态（项）" and "E3:M3" in merged
    assert [c.value for c in ws[4][4:13]] == ["已完成", "绿", "黄", "红", "逾期", "未启动", "未分解", "不适用", "不涉及"]
    assert {"A3:A4", "B3:B4", "N3:N4", "O3:O4", "P3:P4", "Q3:Q4", "R3:R4"} <= merged
    assert ws["H4"].fill.fgColor.rgb.endswith("D9534F")  # 红
    assert ws["K4"].fill.fgColor.rgb.endswith("D9E1F2")  # 未分解 judges nothing: the plain header colour


def test_headers_wrap_and_text_columns_are_wide_enough_to_read(book: Workbook) -> None:
    ws = book["工作进展"]
    widths = {ws.cell(3, c).value: ws.column_dimensions[ws.cell(3, c).column_letter].width for c in range(1, 9)}
    assert widths["进展情况"] >= 30 and widths["存在问题"] >= 20 and widths["下步计划"] >= 20
    assert widths["序号"] <= 6
    assert all(ws.cell(3, c).alignment.wrap_text for c in range(1, 9))
    assert ws.cell(5, 5).alignment.wrap_text  # the first measure's 进展情况


def test_rows_are_tall_enough_for_their_wrapped_text(book: Workbook) -> None:
    ws = book["工作进展"]
    row = next(r[0].row for r in ws.iter_rows(min_row=4) if r[8].value == "2.1")  # 8 responsible units
    assert ws.row_dimensions[row].height >= 4 * 14  # at least four lines of 10.5 pt


def test_code_columns_are_hidden_from_print_but_there_for_roll_up(book: Workbook) -> None:
    assert book["指标完成情况"].column_dimensions["P"].hidden
    assert book["指标完成情况"]["P3"].value == "指标代码"
    assert book["工作进展"].column_dimensions["I"].hidden
    assert book["汇总"].column_dimensions["S"].hidden
    assert not book["明细"].column_dimensions["A"].hidden  # 明细 shows its codes: it is for machines


def test_a_very_long_narrative_gets_the_tallest_row_excel_allows(scenario: Scenario, tmp_path: Path) -> None:
    scenario.ledger.write_narrative(ORG, "3.1", OCT, Narrative(progress="减税降费落实情况。" * 222))  # 1998 字
    out = tmp_path / "long.xlsx"
    export_workbook(scenario.ledger, [ORG_CODE], OCT, out)
    ws = load_workbook(out)["工作进展"]
    row = next(r[0].row for r in ws.iter_rows(min_row=4) if r[8].value == "3.1")
    assert ws.row_dimensions[row].height == 409.5
    assert len(ws.cell(row, 5).value) == 1998
