"""Excel workbooks sent upward. Builds rows from domain objects and report lines; no Qt, no database."""
from .model import ChildrenData, MonthLines, OrgExport, WorkbookData
from .workbook import SHEET_NAMES, Progress, WrittenWorkbook, custom_properties, sheet_values, write_workbook

__all__ = [
    "SHEET_NAMES",
    "ChildrenData",
    "MonthLines",
    "OrgExport",
    "Progress",
    "WorkbookData",
    "WrittenWorkbook",
    "custom_properties",
    "sheet_values",
    "write_workbook",
]
