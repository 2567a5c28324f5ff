"""The two workbooks this app reads back, recognised and read into plain values.

- **填报模板** (format ``liubao-template`` version 1, docs/ARCHITECTURE.md "The 填报模板 workbook"): the hidden
  ``_liubao`` sheet's keys and target table, checked against the custom properties and against the codes of
  ``填报表``; one month of one reporting unit (or the office itself).
- **报送报表** (this app's export, ``liubao.format_version`` 2): the ``明细`` sheet, one row per org × month ×
  target with stable codes; one office, every month up to the export's month.

Which file is which is read from the file, never from its name. A form that is not one of these, or whose codes
disagree with each other, gives problems (sheet, cell, message) and no values. Nothing here knows the plan or
the database: the service checks codes, months and values.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ..domain.figures import quote_input
from .workbook import Cell, OpenWorkbook

TEMPLATE_FORMAT = "liubao-template"
TEMPLATE_VERSION = "1"
TEMPLATE_SHEET, META_SHEET = "填报表", "_liubao"
EXPORT_VERSION = "2"  # export/workbook.py FORMAT_VERSION (a test holds the two equal)
DETAIL_SHEET = "明细"
# 明细's columns the import reads (export/detail_sheet.py; a test holds them equal).
DETAIL_COLUMNS = {"plan": (1, "方案代码"), "org": (2, "单位代码"), "period": (4, "报告期"),
                  "target": (8, "指标代码"), "unit": (10, "计量单位"), "value": (11, "本期完成"),
                  "note": (21, "备注")}
KIND_TEMPLATE, KIND_EXPORT = "template", "export"
TAMPERED = "文件可能被改动过，请重新生成模板或重新导出后再填报。"
# Characters that reorder or hide text (Trojan-Source style) or control the terminal: never taken into a note.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


@dataclass(frozen=True)
class Problem:
    sheet: str | None
    cell: str | None
    message: str

    @property
    def text(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}：{self.message}"
        if self.sheet:
            return f"{self.sheet}：{self.message}"
        return self.message


@dataclass(frozen=True, slots=True)
class Found:
    """One target × month of one org as the file gives it."""

    sheet: str
    row: int
    org: str  # the org the figures belong to (a reporting unit's code, or the office's)
    target: str
    period: str  # as written, "2020-09"
    value: Cell | None  # 本期完成 (None: empty)
    note: Cell | None  # 备注 (None: empty)
    unit: str | None = None  # the unit the file says the value is in (计量单位), when it says


@dataclass
class FormRead:
    kind: str | None = None  # template, export, or None (not recognised)
    format_version: str = ""
    plan_code: str = ""
    doc_number: str = ""
    fingerprint: str | None = None  # a template's plan fingerprint; exports carry none
    org: str = ""  # the office
    org_name: str = ""
    unit: str = ""  # the reporting unit ("" for the office's own template, and for exports)
    unit_name: str = ""
    period: str = ""  # the template's month; the export's month (明细 holds the months up to it)
    found: list[Found] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)

    def refuse(self, message: str, sheet: str | None = None, cell: str | None = None) -> None:
        self.problems.append(Problem(sheet, cell, message))


def shown(text: object) -> str:
    return quote_input(str(text))


def _plain(cell: Cell | None) -> str:
    """A code or key cell as text ("4" for a number 4)."""
    if cell is None or cell.value is None:
        return ""
    if isinstance(cell.value, Decimal):
        return format(cell.value.normalize(), "f") if cell.value == cell.value.to_integral_value() else str(cell.value)
    return str(cell.value).strip()


def read_form(wb: OpenWorkbook) -> FormRead:
    out = FormRead()
    sheets = wb.sheets()
    names = [s.name for s in sheets]
    if len(set(names)) != len(names) or len({n.casefold() for n in names}) != len(names):
        out.refuse("工作簿中有同名的工作表，" + TAMPERED)
        return out
    props = wb.custom_properties()
    if props.get("liubao.format") == TEMPLATE_FORMAT or META_SHEET in names:
        out.kind = KIND_TEMPLATE
        _read_template(wb, props, names, out)
    elif "liubao.format_version" in props or DETAIL_SHEET in names and "liubao.plan_code" in props:
        out.kind = KIND_EXPORT
        _read_export(wb, props, names, out)
    else:
        out.refuse("这不是本系统生成的填报模板或报送报表（缺少识别信息），不予导入。请用“导出 → 填报模板”生成的模板填报。")
    return out


# -- 填报模板 ---------------------------------------------------------------------------------------------------
def _read_template(wb: OpenWorkbook, props: dict[str, str], names: list[str], out: FormRead) -> None:
    for sheet in (TEMPLATE_SHEET, META_SHEET):
        if sheet not in names:
            out.refuse(f"模板缺少工作表“{sheet}”，" + TAMPERED)
            return
    meta: dict[str, str] = {}
    table: list[tuple[int, str, str, str, str]] = []  # row in 填报表, code, entry unit, input, meta cell
    in_table = False
    ended_keys = False
    for cells in wb.rows(META_SHEET, max_column=4):
        by_col = {c.column: c for c in cells}
        row = cells[0].row
        if not ended_keys:
            if row != len(meta) + 1 or 1 not in by_col:
                ended_keys = True
            else:
                meta[_plain(by_col[1])] = _plain(by_col.get(2))
                continue
        values = [_plain(by_col.get(i)) for i in range(1, 5)]
        if not in_table:
            in_table = values == ["row", "target_code", "entry_unit", "input"]
            if not in_table:
                out.refuse("隐藏的识别表格式不对，" + TAMPERED, META_SHEET, f"A{row}")
                return
            continue
        try:
            number = int(values[0])
        except ValueError:
            out.refuse("隐藏的识别表中的行号不是数字，" + TAMPERED, META_SHEET, f"A{row}")
            return
        table.append((number, values[1], values[2], values[3], f"A{row}"))
    checks = {"format": "liubao.format", "format_version": "liubao.format_version", "plan_code": "liubao.plan_code",
              "doc_number": "liubao.doc_number", "plan_fingerprint": "liubao.plan_fingerprint",
              "org_code": "liubao.org_code", "unit_code": "liubao.unit_code", "period": "liubao.period"}
    for key, prop in checks.items():
        if prop in props and props[prop] != meta.get(key, ""):
            out.refuse(f"识别信息“{key}”在隐藏表（{shown(meta.get(key, ''))}）和文件属性（{shown(props[prop])}）中"
                       "不一致，" + TAMPERED)
            return
    if meta.get("format") != TEMPLATE_FORMAT:
        out.refuse("隐藏的识别表不是本系统的填报模板，" + TAMPERED, META_SHEET)
        return
    out.format_version = meta.get("format_version", "")
    if out.format_version != TEMPLATE_VERSION:
        out.refuse(f"模板格式版本“{shown(out.format_version)}”不受支持（本软件读取版本 {TEMPLATE_VERSION}），"
                   "请用本软件重新生成模板。")
        return
    out.plan_code, out.doc_number = meta.get("plan_code", ""), meta.get("doc_number", "")
    out.fingerprint = meta.get("plan_fingerprint", "")
    out.org, out.org_name = meta.get("org_code", ""), meta.get("org_name", "")
    out.unit, out.unit_name = meta.get("unit_code", ""), meta.get("unit_name", "")
    out.period = meta.get("period", "")
    if meta.get("sheet", TEMPLATE_SHEET) != TEMPLATE_SHEET or (
            meta.get("code_column", "I"), meta.get("value_column", "G"), meta.get("note_column", "H")) != ("I", "G", "H"):
        out.refuse("模板的列布局与本软件不符，" + TAMPERED, META_SHEET)
        return
    try:
        first, last, count = int(meta["first_row"]), int(meta["last_row"]), int(meta["target_count"])
    except (KeyError, ValueError):
        out.refuse("隐藏的识别表缺少行号信息，" + TAMPERED, META_SHEET)
        return
    rows = [r for r, *_ in table]
    if (count != len(table) or last - first + 1 != count or rows != list(range(first, last + 1))
            or not 0 < count <= wb.limits.rows):
        out.refuse("隐藏的识别表与模板的行不一致，" + TAMPERED, META_SHEET)
        return
    codes = [code for _, code, *_ in table]
    if len(set(codes)) != len(codes):
        out.refuse("隐藏的识别表中有重复的指标编号，" + TAMPERED, META_SHEET)
        return
    listed = props.get("liubao.target_codes")
    if listed is not None and listed.split(",") != codes:
        out.refuse("文件属性中的指标列表与隐藏的识别表不一致，" + TAMPERED)
        return
    wanted = {r: (code, unit) for r, code, unit, _, _ in table}
    seen: set[int] = set()
    for cells in wb.rows(TEMPLATE_SHEET, max_column=9):
        row = cells[0].row
        if row not in wanted:
            continue
        seen.add(row)
        by_col = {c.column: c for c in cells}
        code, unit = wanted[row]
        hidden_code, shown_code = _plain(by_col.get(9)), _plain(by_col.get(1))
        if hidden_code != code or shown_code != code:
            bad = "I" if hidden_code != code else "A"
            out.refuse(f"指标编号“{shown(hidden_code if bad == 'I' else shown_code)}”与模板生成时的“{code}”不符，"
                       + TAMPERED, TEMPLATE_SHEET, f"{bad}{row}")
            continue
        if _plain(by_col.get(6)) != unit:
            out.refuse(f"计量单位被改成了“{shown(_plain(by_col.get(6)))}”（应为“{unit}”），" + TAMPERED,
                       TEMPLATE_SHEET, f"F{row}")
            continue
        out.found.append(Found(TEMPLATE_SHEET, row, out.unit or out.org, code, out.period, by_col.get(7),
                               by_col.get(8), unit))
    for r in sorted(set(wanted) - seen):
        out.refuse(f"找不到指标“{wanted[r][0]}”所在的行（编号列为空），" + TAMPERED, TEMPLATE_SHEET, f"I{r}")


# -- 报送报表 (this app's export) ---------------------------------------------------------------------------------
def _read_export(wb: OpenWorkbook, props: dict[str, str], names: list[str], out: FormRead) -> None:
    out.format_version = props.get("liubao.format_version", "")
    if out.format_version != EXPORT_VERSION:
        out.refuse(f"报送报表的格式版本“{shown(out.format_version)}”不受支持（本软件读取版本 {EXPORT_VERSION}），"
                   "请对方用新版本重新导出。")
        return
    if DETAIL_SHEET not in names:
        out.refuse(f"报送报表缺少工作表“{DETAIL_SHEET}”，" + TAMPERED)
        return
    out.plan_code, out.doc_number = props.get("liubao.plan_code", ""), props.get("liubao.doc_number", "")
    codes = [c for c in props.get("liubao.org_codes", "").split(",") if c]
    if len(codes) != 1:
        out.refuse("这是多个单位合在一起的报表，请导入各单位各自导出的报送报表。" if len(codes) > 1
                   else "报送报表缺少填报单位代码，" + TAMPERED)
        return
    out.org, out.org_name = codes[0], props.get("liubao.org_names", "")
    out.period = props.get("liubao.period", "")
    header_row = None
    cols = DETAIL_COLUMNS
    for cells in wb.rows(DETAIL_SHEET, max_column=21):
        by_col = {c.column: c for c in cells}
        row = cells[0].row
        if header_row is None:
            if _plain(by_col.get(1)) == cols["plan"][1]:
                for col, header in cols.values():
                    if _plain(by_col.get(col)) != header:
                        out.refuse(f"“{DETAIL_SHEET}”的列标题被改动（应为“{header}”），" + TAMPERED, DETAIL_SHEET,
                                   f"{_letter(col)}{row}")
                        return
                header_row = row
            elif row > 20:
                break
            continue
        first = _plain(by_col.get(1))
        if first.startswith("注："):
            break
        if first != out.plan_code:
            out.refuse(f"方案代码“{shown(first)}”与文件的“{shown(out.plan_code)}”不符，" + TAMPERED, DETAIL_SHEET,
                       f"A{row}")
            continue
        org = _plain(by_col.get(cols["org"][0]))
        if org != out.org:
            out.refuse(f"单位代码“{shown(org)}”与文件的“{shown(out.org)}”不符，" + TAMPERED, DETAIL_SHEET, f"B{row}")
            continue
        out.found.append(Found(DETAIL_SHEET, row, org, _plain(by_col.get(cols["target"][0])),
                               _plain(by_col.get(cols["period"][0])), by_col.get(cols["value"][0]),
                               by_col.get(cols["note"][0]), _plain(by_col.get(cols["unit"][0]))))
    if header_row is None:
        out.refuse(f"“{DETAIL_SHEET}”中找不到列标题行（方案代码、单位代码……），" + TAMPERED, DETAIL_SHEET)


def _letter(col: int) -> str:
    return chr(64 + col) if col <= 26 else "?"


# -- a cell's value as the text a clerk would have typed ---------------------------------------------------------
def value_text(cell: Cell | None, is_ratio: bool) -> tuple[str | None, str | None]:
    """(text for Ledger.parse_entry, None) or (None, why not). A number shown as a percentage is a fraction:
    0.5 in a % cell is what a clerk types as 50 against a target counted in %."""
    if cell is None or (cell.value is None and not cell.formula):
        return "", None
    if cell.formula and cell.value is None:
        return None, "是公式，但文件中没有保存计算结果。请在 Excel 或 WPS 中打开、保存后再导入，或改填数值。"
    if cell.kind == "e":
        return None, f"是错误值 {shown(cell.value)}，不是数字。"
    if cell.kind == "b":
        return None, "是逻辑值（TRUE/FALSE），不是数字。"
    if cell.kind == "d":
        return None, "是日期，不是数字（请把单元格格式改为“常规”或“数值”后重新填写）。"
    value = cell.value
    if isinstance(value, Decimal):
        if cell.percent:
            if not is_ratio:
                return f"{format((value * 100).normalize(), 'f')}%", None  # parse_entry refuses % for amounts
            value = value * 100
        return format(value.normalize(), "f"), None
    return str(value).strip(), None


def note_text(cell: Cell | None) -> tuple[str | None, str | None]:
    """(note, None), ("", None) for empty, or (None, why not)."""
    if cell is None or cell.value is None:
        return ("", None) if cell is None or not cell.formula else (None, "备注是公式，但没有保存计算结果。")
    text = _plain(cell) if isinstance(cell.value, Decimal) else str(cell.value)
    if any(ch in _BIDI for ch in text):
        return None, "备注含有改变文字方向的不可见字符，不予导入（请删除后重新填写）。"
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text):
        return None, "备注含有控制字符，不予导入（请删除后重新填写）。"
    return text.replace("\r\n", "\n").replace("\r", "\n").strip(), None
