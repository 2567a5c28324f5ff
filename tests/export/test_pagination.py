"""Printed pages end where a reader expects: the writer places every page break of 汇总, 指标完成情况 and 工作进展
itself, so a part heading never ends a page and a measure's merged block is not split when it fits on a page.

These tests read the breaks and row heights back from the file; test_libreoffice.py prints it.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from liubao_desktop.export import detail_sheet, summary_sheet, targets_sheet, work_sheet
from liubao_desktop.export.common import UNITS_WIDTH, part_label
from liubao_desktop.export.sheet import (
    DEFAULT_HEIGHT,
    PAGE_FILL,
    POINTS_PER_WIDTH_UNIT,
    PRINT_HEIGHT,
    PRINT_WIDTH,
    Column,
    SheetWriter,
    text_lines,
)
from liubao_desktop.services.export_service import export_workbook
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.sample_data import fill_sample_data

from .conftest import OCT, ORG_CODE

PAGINATED = {"汇总": (summary_sheet, 4), "指标完成情况": (targets_sheet, 3), "工作进展": (work_sheet, 3)}
CODE_COL = {"指标完成情况": 16, "工作进展": 9}


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """芙蓉区 with the sample data: a narrative for every measure, so 工作进展 runs to several pages."""
    root = tmp_path_factory.mktemp("pages")
    (root / "data").mkdir()
    ledger = Ledger.open(root / "data")
    try:
        fill_sample_data(ledger, [ORG_CODE], OCT)
        plan = ledger.plan
        export_workbook(ledger, [ORG_CODE], OCT, root / "sample.xlsx")
    finally:
        ledger.close()
    wb = load_workbook(root / "sample.xlsx")
    wb.part_labels = {part_label(p) for p in plan.parts}  # type: ignore[attr-defined]
    wb.measure_of = {t.code: m.code for m in plan.measures() for t in m.targets}  # type: ignore[attr-defined]
    yield wb
    wb.close()


def height(ws: Worksheet, row: int) -> float:
    return ws.row_dimensions[row].height or DEFAULT_HEIGHT


def pages(ws: Worksheet, top: int) -> list[list[int]]:
    """The rows under the title rows, page by page, cut at the sheet's manual breaks."""
    cuts = [b.id for b in ws.row_breaks.brk]
    out: list[list[int]] = [[]]
    for row in range(top + 1, ws.max_row + 1):
        out[-1].append(row)
        if row in cuts:
            out.append([])
    return [p for p in out if p]


def capacity(ws: Worksheet, module: object, top: int) -> float:
    width = sum(c.width for c in module.COLUMNS if not c.hidden) * POINTS_PER_WIDTH_UNIT  # type: ignore[attr-defined]
    scale = min(1.0, PRINT_WIDTH / width)
    return PRINT_HEIGHT * PAGE_FILL / scale - sum(height(ws, r) for r in range(1, top + 1))


@pytest.mark.parametrize("name", list(PAGINATED))
def test_no_page_holds_more_rows_than_fit_on_a4_landscape(sample_book, name: str) -> None:  # noqa: ANN001
    ws = sample_book[name]
    module, top = PAGINATED[name]
    room = capacity(ws, module, top)
    for rows in pages(ws, top):
        assert sum(height(ws, r) for r in rows) <= room, (name, rows[0], rows[-1])


def test_the_work_sheet_runs_to_several_pages_and_no_page_ends_with_a_part_heading(sample_book) -> None:  # noqa: ANN001
    ws = sample_book["工作进展"]
    printed = pages(ws, 3)
    assert len(printed) >= 3
    for rows in printed:
        assert ws.cell(rows[-1], 1).value not in sample_book.part_labels, f"page ends with {ws.cell(rows[-1], 1).value}"


def test_a_part_heading_on_the_target_sheet_stays_with_its_first_measure_and_no_block_is_split(sample_book) -> None:  # noqa: ANN001, E501
    ws = sample_book["指标完成情况"]
    printed = pages(ws, 3)
    assert len(printed) >= 2
    page_of = {r: i for i, rows in enumerate(printed) for r in rows}
    blocks: dict[str, list[int]] = {}
    for row in range(4, ws.max_row + 1):
        code = ws.cell(row, CODE_COL["指标完成情况"]).value
        if code in sample_book.measure_of:
            blocks.setdefault(sample_book.measure_of[code], []).append(row)
    for measure, rows in blocks.items():
        assert len({page_of[r] for r in rows}) == 1, f"measure {measure} is split over two pages"
    for rows in printed:
        assert ws.cell(rows[-1], 1).value not in sample_book.part_labels


def test_the_signature_tail_is_not_split_from_its_notes(sample_book) -> None:  # noqa: ANN001
    for name, (_, top) in PAGINATED.items():
        ws = sample_book[name]
        last = pages(ws, top)[-1]
        notes = [r for r in range(top + 1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("注：")]
        assert set(notes) <= set(last), name


def test_a_block_taller_than_a_page_is_not_moved_but_flows_on() -> None:
    sw = SheetWriter(None, None, [Column("甲", 20)])
    sw.capacity, sw.page_used = 100.0, 50.0
    sw.keep(150.0)  # would not fit on any page: no break
    sw.keep(40.0)  # fits: stays
    assert sw.breaks == [] and sw.page_used == 50.0


# -- column headers and the 责任单位 column ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ["汇总", "指标完成情况", "工作进展", "明细"])
def test_no_header_can_break_inside_its_parentheses(sample_book, name: str) -> None:  # noqa: ANN001
    """Each line of a header that holds a bracketed part fits its column (by the writer's generous measure), so
    a line break can only come where the header has one: before the bracket."""
    ws = sample_book[name]
    columns = {"明细": detail_sheet.COLUMNS}.get(name) or PAGINATED[name][0].COLUMNS  # type: ignore[attr-defined]
    header_rows = (3, 4) if name == "汇总" else (3,)
    merged = {(r.min_row, r.min_col): r.max_col for r in ws.merged_cells.ranges if r.min_row in header_rows}
    checked = 0
    for row in header_rows:
        for col, column in enumerate(columns, 1):
            text = ws.cell(row, col).value
            if not isinstance(text, str) or "（" not in text or column.hidden:
                continue
            width = sum(c.width for c in columns[col - 1:merged.get((row, col), col)])
            for line in text.split("\n"):
                if "（" in line or "）" in line:
                    assert text_lines(line, width) == 1, (name, text, width)
                    checked += 1
    assert checked


def test_the_lead_unit_and_its_mark_fit_one_line_of_the_units_column(sample_book) -> None:  # noqa: ANN001
    """"市人力资源社会保障局（牵头）": 14 characters of 10.5 pt (14 px) in a column of 8 px a width unit (Excel, WPS
    with 宋体), with 5 px of cell padding — "（牵头）" is never cut in two."""
    leads = {str(ws.cell(r, c).value).split("、")[0]
             for ws, c in ((sample_book["工作进展"], 3), (sample_book["指标完成情况"], 14))
             for r in range(4, ws.max_row + 1) if "（牵头）" in str(ws.cell(r, c).value)}
    assert "市人力资源社会保障局（牵头）" in leads
    for lead in leads:
        assert len(lead) * 14 + 5 <= UNITS_WIDTH * 8, lead
    assert sample_book["工作进展"].column_dimensions["C"].width == UNITS_WIDTH
    assert sample_book["指标完成情况"].column_dimensions["N"].width == UNITS_WIDTH


def test_the_flat_table_keeps_its_column_names_on_one_line_for_pivot_tables(sample_book) -> None:  # noqa: ANN001
    assert all("\n" not in str(c.value) for c in sample_book["明细"][3])


