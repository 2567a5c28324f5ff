"""The 填报模板: one protected form a reporting unit fills in for a month, with a hidden sheet naming what it is.

Layout (format version 1), as an importer reads it back, is written down in docs/ARCHITECTURE.md ("The 填报模板
workbook"); the names and numbers there are the constants here. The visible sheet reuses the upward workbook's
printed form (``sheet.SheetWriter``: title, header block, column headers, print set-up) and its styles; the two
input columns are unlocked, carry data validation and a light fill, everything else is locked by sheet
protection without a password.
"""
from __future__ import annotations

import os
from copy import copy
from decimal import Decimal
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import PatternFill, Protection
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import clean_text, number_format
from .sheet import Column, SheetWriter
from .styles import StyleBook
from .template_model import FORMAT, FORMAT_VERSION, INPUT_SIGNED, INPUT_STATE, TemplateData, TemplateRow

SHEET_NAME = "填报表"
META_SHEET = "_liubao"
META_STATE = "veryHidden"  # not offered under 取消隐藏 in Excel or WPS; every reader still reads it
COLUMNS = [
    Column("编号", 7),
    Column("指标", 38),  # the longest label (18 字) on one line
    Column("市级目标\n（方案原文）", 14),
    Column("分解目标", 11),
    Column("上月累计", 11),
    Column("计量单位", 8),
    Column("本期完成", 13),
    Column("备注", 24),
    Column("指标编号（程序用）", 10, hidden=True),
]
CODE_COLUMN, VALUE_COLUMN, NOTE_COLUMN = "I", "G", "H"
VALUE_COL, NOTE_COL = 7, 8
HEADER_ROW = 3  # title, header block, then the column headers
FIRST_ROW = HEADER_ROW + 1
INPUT_FILL = "FFF2CC"  # a light yellow: the cells to fill in
META_TABLE_HEADER = ("row", "target_code", "entry_unit", "input")
PROPERTY_PREFIX = "liubao."


# -- the hidden sheet and the custom properties ----------------------------------------------------------------
def meta_pairs(data: TemplateData) -> list[tuple[str, str]]:
    """The key/value rows of _liubao, in the order written (an importer reads them by key)."""
    last_row = FIRST_ROW + len(data.rows) - 1
    return [
        ("format", FORMAT),
        ("format_version", FORMAT_VERSION),
        ("plan_code", data.plan_code),
        ("doc_number", data.doc_number),
        ("plan_fingerprint", data.plan_fingerprint),
        ("org_code", data.org_code),
        ("org_name", data.org_name),
        ("unit_code", data.unit_code),
        ("unit_name", data.unit_name),
        ("period", data.period),
        ("sheet", SHEET_NAME),
        ("first_row", str(FIRST_ROW)),
        ("last_row", str(last_row)),
        ("code_column", CODE_COLUMN),
        ("value_column", VALUE_COLUMN),
        ("note_column", NOTE_COLUMN),
        ("target_count", str(len(data.rows))),
        ("generated_at", data.generated_at),
        ("generator", data.generator),
    ]


def custom_properties(data: TemplateData) -> dict[str, str]:
    """docProps/custom.xml: what the template is, readable without opening a sheet."""
    return {
        f"{PROPERTY_PREFIX}format": FORMAT,
        f"{PROPERTY_PREFIX}format_version": FORMAT_VERSION,
        f"{PROPERTY_PREFIX}plan_code": data.plan_code,
        f"{PROPERTY_PREFIX}doc_number": data.doc_number,
        f"{PROPERTY_PREFIX}plan_fingerprint": data.plan_fingerprint,
        f"{PROPERTY_PREFIX}org_code": data.org_code,
        f"{PROPERTY_PREFIX}org_name": data.org_name,
        f"{PROPERTY_PREFIX}unit_code": data.unit_code,
        f"{PROPERTY_PREFIX}unit_name": data.unit_name,
        f"{PROPERTY_PREFIX}period": data.period,
        f"{PROPERTY_PREFIX}target_codes": ",".join(r.code for r in data.rows),
        f"{PROPERTY_PREFIX}generator": data.generator,
    }


def _text_cell(ws: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """A cell holding text as text, whatever it starts with (set directly: openpyxl's setter would take a
    leading "=" for a formula)."""
    cell = WriteOnlyCell(ws)
    text = clean_text(value)
    if text:
        cell._value = text
        cell.data_type = "s"
    return cell


def _write_meta(ws: WriteOnlyWorksheet, data: TemplateData) -> None:
    ws.sheet_state = META_STATE
    ws.protection.sheet = True
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 40
    for key, value in meta_pairs(data):
        ws.append([_text_cell(ws, key), _text_cell(ws, value)])
    ws.append([])
    ws.append([_text_cell(ws, h) for h in META_TABLE_HEADER])
    for i, row in enumerate(data.rows):
        ws.append([FIRST_ROW + i, _text_cell(ws, row.code), _text_cell(ws, row.unit), _text_cell(ws, row.input)])


def _set_properties(wb: Workbook, data: TemplateData) -> None:
    props = wb.properties
    props.title = f"{data.plan_short_title}填报模板（{data.reporter_name}，{data.period_label}）"
    props.subject = f"{data.plan_title}（{data.doc_number}）"
    props.creator = data.generator
    props.keywords = f"六保;填报模板;{data.doc_number};{data.period}"
    props.category = "六保填报模板"
    props.identifier = f"{data.plan_code}/{data.org_code}/{data.unit_code}/{data.period}"
    for name, value in custom_properties(data).items():
        wb.custom_doc_props.append(StringProperty(name=name, value=value))


# -- the form --------------------------------------------------------------------------------------------------
class _InputLooks:
    """The unlocked, lightly filled variants of the shared styles, for the cells a unit types into."""

    def __init__(self, wb: Workbook, styles: StyleBook, ws: WriteOnlyWorksheet) -> None:
        self.wb, self.styles, self.ws = wb, styles, ws
        self._arrays: dict[str, tuple[object, int]] = {}

    def cell(self, key: str) -> WriteOnlyCell:
        found = self._arrays.get(key)
        if found is None:
            base, _ = self.styles.array(self.ws, key)
            cell = WriteOnlyCell(self.ws)
            cell._style = copy(base)
            cell.protection = Protection(locked=False)
            cell.fill = PatternFill(fill_type="solid", start_color=INPUT_FILL, end_color=INPUT_FILL)
            found = (cell._style, self.wb._cell_styles.add(cell._style))
            self._arrays[key] = found
        cell = WriteOnlyCell(self.ws)
        cell._style = copy(found[0])  # type: ignore[arg-type]
        return cell


def _value_cell(sw: SheetWriter, value: Decimal | str, key: str = "center") -> object:
    if isinstance(value, Decimal):
        return sw.cell(value, "num", number_format(value))
    return sw.cell(value, key)


def _row_cells(sw: SheetWriter, looks: _InputLooks, row: TemplateRow) -> list[object]:
    return [
        sw.cell(row.code, "center"),
        sw.cell(row.label, "text"),
        sw.cell(row.city_target, "center"),
        _value_cell(sw, row.local_target),
        _value_cell(sw, row.last_total),
        sw.cell(row.unit, "center"),
        looks.cell("center" if row.input == INPUT_STATE else "num"),
        looks.cell("text"),
        sw.cell(row.code, "center"),
    ]


def _quoted(word: str) -> str:
    return word.replace('"', '""')


def _validation(data: TemplateData, row: TemplateRow, r: int) -> DataValidation:
    ref = f"{VALUE_COLUMN}{r}"
    na = data.not_applicable
    if row.input == INPUT_STATE:
        dv = DataValidation(type="list", formula1='"' + ",".join((*data.states, na)) + '"', allow_blank=True)
        dv.error = f"请从下拉列表中选择：{'、'.join(data.states)}，或“{na}”。"
        dv.prompt = f"定性指标：选择{'、'.join(data.states)}；不适用本单位的选“{na}”。"
    else:
        test = f"ISNUMBER({ref})" if row.input == INPUT_SIGNED else f"AND(ISNUMBER({ref}),{ref}>=0)"
        dv = DataValidation(type="custom", formula1=f'OR({ref}="{_quoted(na)}",{test})', allow_blank=True)
        what = "数字" if row.input == INPUT_SIGNED else "不小于 0 的数字"
        unit = f"（单位：{row.unit}）" if row.unit else ""
        dv.error = f"请填写{what}{unit}，或“{na}”；不要带单位或文字。"
        dv.prompt = f"填写本月完成数{unit}；空白为未填报，0 为尚无完成量，不适用本单位的填“{na}”。"
    dv.errorTitle = "本期完成填写有误"
    dv.promptTitle = f"{row.code} 本期完成"
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.sqref = ref  # type: ignore[assignment]
    return dv


def _note_validation(data: TemplateData, last_row: int) -> DataValidation:
    dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(data.note_limit),
                        allow_blank=True)
    dv.errorTitle = "备注太长"
    dv.error = f"备注不超过 {data.note_limit} 个字。"
    dv.showErrorMessage = True
    dv.sqref = f"{NOTE_COLUMN}{FIRST_ROW}:{NOTE_COLUMN}{last_row}"  # type: ignore[assignment]
    return dv


def title(data: TemplateData) -> str:
    mark = "【示例数据】" if data.sample_data else ""
    return f"{mark}{data.plan_short_title}指标填报表（{data.reporter_name}，{data.period_label}）"


def header_block(data: TemplateData) -> list[str]:
    who = f"{data.unit_name}（{data.org_name}）" if data.unit_name else data.org_name
    return [f"填报单位：{who}", f"报告期：{data.period_label}", f"依据：{data.doc_number}"]


def notes(data: TemplateData) -> list[str]:
    last = f"（{data.last_period_label}末）" if data.last_period_label else ""
    return [
        f"填写说明：只填黄色的“本期完成”和“备注”两列，其他内容已锁定。“本期完成”填{data.period_label}当月的完成数，"
        "按“计量单位”列的单位填纯数字（不带单位）；空白为未填报，0 为已填报但尚无完成量，"
        f"不适用本单位的填“{data.not_applicable}”。计量单位为“定性”的指标从下拉列表选择状态"
        f"（{'、'.join(data.states)}）。",
        f"“上月累计”为本单位截至上月{last}已报的累计完成数，供核对；“分解目标”为空时写“未分解”或“按市级目标”。"
        f"备注不超过 {data.note_limit} 个字。请勿增删行、改动编号或表名，填好后原样报回。",
    ]


def write_template(data: TemplateData, target: str | os.PathLike[str] | BinaryIO) -> int:
    """Write the template to a path or a binary file object; returns the number of target rows."""
    if not data.rows:
        raise ValueError("模板中没有要填报的指标。")
    wb = Workbook(write_only=True)
    styles = StyleBook(wb)
    ws = wb.create_sheet(SHEET_NAME)
    sw = SheetWriter(ws, styles, COLUMNS)
    looks = _InputLooks(wb, styles, ws)
    sw.start(title(data), header_block(data), [[c.header for c in COLUMNS]], freeze_col=3)
    assert sw.row_no == HEADER_ROW
    for row in data.rows:
        r = sw.append(_row_cells(sw, looks, row))
        ws.data_validations.append(_validation(data, row, r))
    last_row = sw.row_no
    ws.data_validations.append(_note_validation(data, last_row))
    sw.tail(notes(data), "")
    sw.finish()
    ws.protection.sheet = True
    # Widening a column or a row to read a long 指标 is allowed; nothing else (False means "not protected").
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _write_meta(wb.create_sheet(META_SHEET), data)
    _set_properties(wb, data)
    wb.save(target)
    return len(data.rows)
