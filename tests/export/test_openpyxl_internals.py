"""The export reaches into openpyxl where it has no public way (styles.py, sheet.py, workbook.py):

- ``wb._fonts`` and ``wb._named_styles["Normal"]``: 宋体 as the workbook's default font (StyleBook);
- ``wb._cell_styles.add``: a look's xf id, looked up once (StyleBook.array);
- ``Cell._style``, ``Cell._value``, ``Cell.data_type`` and the writer asking ``cell.style_id`` (StyledCell);
- ``WriteOnlyWorksheet._values_to_row``: replaced per sheet (sheet._cells_to_row);
- ``ws._rows``, ``ws._writer.out``: closing a half-written sheet (workbook._discard).

They were checked against openpyxl 3.1.5 (constraints.txt pins it). An upgrade may rename or bypass any of them and
the workbook would still be written — with the wrong default font or the wrong styles. These tests fail first.
"""
from __future__ import annotations

import io
import re
import zipfile

import openpyxl
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from liubao_desktop.export.sheet import Column, SheetWriter, StyledCell
from liubao_desktop.export.styles import FONT_NAME, StyleBook

from ..conftest import REPO

VERIFIED = "3.1.5"
UPGRADE = (f"liubao_desktop/export relies on openpyxl internals checked against openpyxl {VERIFIED} (listed in "
           f"{__name__.replace('.', '/')}.py). Before moving to another version, check each of them in its source, "
           f"then update VERIFIED there and the pin in constraints.txt.")


def test_the_installed_openpyxl_is_the_version_whose_internals_were_checked() -> None:
    assert openpyxl.__version__ == VERIFIED, f"openpyxl {openpyxl.__version__} is installed. {UPGRADE}"
    pinned = re.search(r"^openpyxl==(\S+)", (REPO / "constraints.txt").read_text(encoding="utf-8"), re.M)
    assert pinned and pinned.group(1) == VERIFIED, f"constraints.txt does not pin openpyxl=={VERIFIED}. {UPGRADE}"


def test_the_workbook_attributes_the_styles_use_are_there() -> None:
    wb = Workbook(write_only=True)
    for name in ("_fonts", "_named_styles", "_cell_styles"):
        assert hasattr(wb, name), f"Workbook.{name} is gone. {UPGRADE}"
    assert isinstance(wb._fonts, IndexedList) and isinstance(wb._cell_styles, IndexedList), UPGRADE
    assert "Normal" in wb._named_styles.names and hasattr(wb._named_styles["Normal"], "font"), UPGRADE
    slots = {name for klass in Cell.__mro__ for name in getattr(klass, "__slots__", ())}
    for name in ("_style", "_value", "data_type"):
        assert name in slots, f"Cell.{name} is gone. {UPGRADE}"
    assert isinstance(getattr(Cell, "style_id", None), property), f"Cell.style_id is not a property. {UPGRADE}"
    assert callable(getattr(WriteOnlyWorksheet, "_values_to_row", None)), UPGRADE


def _saved(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_default_font_set_through_the_internals_reaches_the_file() -> None:
    wb = Workbook(write_only=True)
    StyleBook(wb)
    wb.create_sheet("表").append(["数据"])
    back = load_workbook(io.BytesIO(_saved(wb)))
    assert back._fonts[0].name == FONT_NAME, f"the default font is not {FONT_NAME} any more. {UPGRADE}"
    assert back["表"]["A1"].font.name == FONT_NAME, UPGRADE


def test_appended_rows_go_through_values_to_row_and_the_writer_asks_style_id() -> None:
    wb = Workbook(write_only=True)
    styles = StyleBook(wb)
    ws = wb.create_sheet("表")
    sw = SheetWriter(ws, styles, [Column("甲", 10)])
    bold, bold_id = styles.array(ws, "header")
    plain, plain_id = styles.array(ws, "text")
    assert bold_id != plain_id
    calls: list[int] = []
    patched = ws._values_to_row  # the writer's stand-in, set per sheet

    def spy(cells, row_idx):  # noqa: ANN001, ANN202
        calls.append(row_idx)
        return patched(cells, row_idx)

    ws._values_to_row = spy
    # A cell whose style array says one look and whose settled id says another: the file shows the id's.
    cell = StyledCell(ws, bold, plain_id)
    cell._value, cell.data_type = "=1+1", "s"
    sw.append([cell])
    assert ws._rows is not None and isinstance(ws._writer.out, str), f"write-only sheet internals changed. {UPGRADE}"
    data = _saved(wb)
    assert calls == [1], f"WriteOnlyWorksheet.append no longer goes through _values_to_row. {UPGRADE}"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert re.search(rf'<c r="A1" s="{plain_id}" t="inlineStr"', sheet), (
        f"the cell writer does not take the cell's style_id any more. {UPGRADE}\n{sheet[:500]}")
    a1 = load_workbook(io.BytesIO(data))["表"]["A1"]
    assert (a1.value, a1.data_type, a1.font.bold) == ("=1+1", "s", False), UPGRADE

