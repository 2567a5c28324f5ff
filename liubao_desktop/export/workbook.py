"""The upward-reporting workbook: 汇总, 指标完成情况, 工作进展 and 明细 for one org or many, streamed to a file."""
from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty

from .. import APP_TITLE
from . import detail_sheet, submissions_sheet, summary_sheet, targets_sheet, units_sheet, work_sheet
from .cells import date_label
from .model import WorkbookData
from .sheet import SheetWriter
from .styles import StyleBook

SHEETS = (summary_sheet, targets_sheet, work_sheet, detail_sheet)
SHEET_NAMES = tuple(m.NAME for m in SHEETS)
# A parent org's workbook (长沙市, an office over its units) adds its children: 分单位 and 报送情况.
CHILDREN_SHEETS = (units_sheet, submissions_sheet)
FORMAT_VERSION = "2"  # 2: 明细 in entry units with 计量单位 and 序时规则 columns. Bump when columns of 明细 or the custom properties change meaning

# progress(done, total, what): rows written so far out of about how many. It may raise to stop the export.
Progress = Callable[[int, int, str], None]
PROGRESS_EVERY = 200  # rows between two progress calls


@dataclass(frozen=True)
class WrittenWorkbook:
    sheets: tuple[str, ...]
    rows: dict[str, int]  # rows written per sheet, frame included


def estimated_rows(data: WorkbookData) -> int:
    """About how many rows the workbook will have, for a progress bar."""
    parts = len(data.plan.parts)
    measures = len(data.plan.measures())
    targets = len(data.plan.targets())
    per_org = parts + 2 + parts + targets + parts + measures + sum(len(m.lines) for o in data.orgs[:1]
                                                                   for m in o.history)
    children = len(data.plan.targets()) + parts + 2 * len(data.children.submissions) + 20 if data.children else 0
    return 30 + len(data.orgs) * per_org + children


def sheets_for(data: WorkbookData) -> tuple:
    """The sheet modules of this workbook: the four, and 分单位 and 报送情况 for a parent org."""
    return SHEETS + CHILDREN_SHEETS if data.children is not None else SHEETS


def sheet_columns(module: object, data: WorkbookData) -> list:
    columns = getattr(module, "columns", None)
    return columns(data) if callable(columns) else module.COLUMNS  # type: ignore[attr-defined]


def custom_properties(data: WorkbookData) -> dict[str, str]:
    """Stable codes a roll-up program reads without opening the sheets."""
    return {
        "liubao.format_version": FORMAT_VERSION,
        "liubao.plan_code": data.plan.code,
        "liubao.doc_number": data.plan.doc_number,
        "liubao.org_codes": ",".join(o.report.org.code for o in data.orgs),
        "liubao.org_names": ",".join(o.report.org.name for o in data.orgs),
        "liubao.period": str(data.period),
        "liubao.report_date": data.report_date.isoformat(),
        "liubao.sample_data": "1" if data.sample_data else "0",
        "liubao.generator": f"{APP_TITLE} {data.app_version}".strip(),
    }


def _set_properties(wb: Workbook, data: WorkbookData) -> None:
    names = "、".join(o.report.org.name for o in data.orgs)
    props = wb.properties
    props.title = f"{data.plan.short_title}进展情况（{names}，{data.period.label}）"
    props.subject = f"{data.plan.title}（{data.plan.doc_number}）"
    props.creator = APP_TITLE
    props.lastModifiedBy = data.preparer or APP_TITLE
    props.keywords = f"六保;{data.plan.doc_number};{data.period}"
    props.category = "六保进展报送"
    props.description = (f"依据{data.plan.doc_number}《{data.plan.title}》；填报单位：{names}；"
                         f"报告期：{data.period.label}；报送日期：{date_label(data.report_date)}")
    if data.sample_data:
        props.description += "；示例数据，非真实填报"
    props.identifier = f"{data.plan.code}/{','.join(o.report.org.code for o in data.orgs)}/{data.period}"
    for name, value in custom_properties(data).items():
        wb.custom_doc_props.append(StringProperty(name=name, value=value))


def write_workbook(data: WorkbookData, target: str | os.PathLike[str] | BinaryIO,
                   progress: Progress | None = None) -> WrittenWorkbook:
    """Write the whole workbook to a path or a binary file object."""
    if not data.orgs:
        raise ValueError("没有要导出的填报单位。")
    wb = Workbook(write_only=True)
    styles = StyleBook(wb)
    total = estimated_rows(data)
    written = 0
    current = ""

    def tick() -> None:
        nonlocal written
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(min(written, total), total, current)

    rows: dict[str, int] = {}
    try:
        for module in sheets_for(data):
            current = f"正在写入“{module.NAME}”"
            if progress is not None:
                progress(min(written, total), total, current)
            sw = SheetWriter(wb.create_sheet(module.NAME), styles, sheet_columns(module, data), tick,
                             paginate=getattr(module, "PAGINATED", False))
            autofilter = module.write(sw, data)
            sw.finish(autofilter=autofilter)
            rows[module.NAME] = sw.row_no
        _set_properties(wb, data)
        if progress is not None:
            progress(total, total, "正在保存文件")
        wb.save(target)
    except BaseException:
        _discard(wb)
        raise
    return WrittenWorkbook(tuple(m.NAME for m in sheets_for(data)), rows)


def _discard(wb: Workbook) -> None:
    """After a failure or a cancel: close the sheets' half-written streams and delete their temporary files
    now, not when the app exits (openpyxl streams each write-only sheet through a file in the temp folder)."""
    for ws in wb._sheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
        with contextlib.suppress(Exception):
            if writer is not None:
                writer.close()
        with contextlib.suppress(Exception):
            if writer is not None and isinstance(writer.out, str):
                os.remove(writer.out)


def sheet_values(data: WorkbookData) -> dict[str, list[list[object]]]:
    """The cell values the workbook holds, sheet by sheet, without any styling (for the bench's baseline)."""
    out: dict[str, list[list[object]]] = {}
    for module in sheets_for(data):
        sw = SheetWriter(None, None, sheet_columns(module, data))
        module.write(sw, data)
        out[module.NAME] = sw.records
    return out
