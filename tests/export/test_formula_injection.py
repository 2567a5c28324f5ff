"""A clerk's note that starts with "=" is a note: the workbook must never run it as a formula."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from liubao_desktop.export.cells import needs_literal
from liubao_desktop.export.sheet import Column, SheetWriter
from liubao_desktop.export.styles import StyleBook

from .conftest import INJECTIONS, NOTE_INJECTION, October


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        return {n: z.read(n).decode("utf-8") for n in names}


def test_no_cell_in_the_file_is_a_formula(exported: Path) -> None:
    for name, xml in sheet_xml(exported).items():
        assert not re.search(r"<(\w+:)?f[ >/]", xml), name


def test_the_hyperlink_and_arithmetic_cases_are_stored_as_plain_strings_in_the_raw_xml(exported: Path) -> None:
    xml = "".join(sheet_xml(exported).values())
    # inline strings, escaped as text: t="inlineStr" <is><t>=HYPERLINK(&quot;…  or with a literal quote
    assert re.search(r't="inlineStr"><is><t>=HYPERLINK\((&quot;|")http://x(&quot;|"),(&quot;|")y(&quot;|")\)</t>', xml)
    assert re.search(r't="inlineStr"><is><t>=1\+1</t>', xml)


@pytest.mark.parametrize("measure", list(INJECTIONS))
def test_narratives_come_back_as_stored_and_stay_text_when_edited(book: Workbook, october: October,
                                                                  measure: str) -> None:
    ws = book["工作进展"]
    cell = next(r[4] for r in ws.iter_rows(min_row=4) if r[8].value == measure)
    stored = october.narratives[measure].progress  # the ledger trims what was typed
    assert cell.value == stored
    assert cell.data_type == "s"
    assert cell.quotePrefix  # Excel/WPS/LibreOffice keep it text when someone edits the cell later


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "=1+1", "+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1"])
def test_the_writer_keeps_any_text_literal_whatever_it_starts_with(text: str, tmp_path: Path) -> None:
    """The sheet writer itself, for text that reaches it untrimmed (a note, a name, a future source)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("表")
    sw = SheetWriter(ws, StyleBook(wb), [Column("甲", 20)])
    sw.append([sw.cell(text, "text")])
    wb.save(tmp_path / "t.xlsx")
    cell = load_workbook(tmp_path / "t.xlsx")["表"]["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text.replace("\r", "\n"), "s", True)


def test_a_note_starting_with_equals_is_text(book: Workbook) -> None:
    ws = book["指标完成情况"]
    cell = next(r[14] for r in ws.iter_rows(min_row=4) if r[15].value == "1.3.1")
    assert (cell.value, cell.data_type, cell.quotePrefix) == (NOTE_INJECTION, "s", True)


def test_ordinary_text_is_not_flagged(book: Workbook) -> None:
    ws = book["工作进展"]
    cell = next(r[5] for r in ws.iter_rows(min_row=4) if r[8].value == "1.1")
    assert cell.value == "资金到位慢" and not cell.quotePrefix


@pytest.mark.parametrize("text", ["=1+1", "+86 731", "-5", "@a", "\tx", "\rx", "\nx"])
def test_every_formula_trigger_is_recognised(text: str) -> None:
    assert needs_literal(text)


@pytest.mark.parametrize("text", ["1+1", "资金=到位", " =1", "（=）"])
def test_text_that_does_not_start_with_a_trigger_is_left_alone(text: str) -> None:
    assert not needs_literal(text)
