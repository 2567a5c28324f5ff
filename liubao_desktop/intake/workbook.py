"""A checked file parsed with openpyxl in read-only mode, through defusedxml, under limits.

Cells come out one row at a time (``rows``), never as a whole grid: a sheet claiming A1:XFD1048576 is refused by
its dimension before its rows are parsed, and rows or cells beyond the limits stop the reading as they come.
A cell carries what the import needs: its value (the cached result of a formula, since nothing here ever
calculates), whether it was a formula, exact decimal text for numbers, and whether it is shown as a percentage.
"""
from __future__ import annotations

import functools
import io
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation

from .guard import CheckedFile, RefusedFile
from .limits import DEFAULT_LIMITS, Limits

EXCEL_DIGITS = Context(prec=15)  # Excel keeps and shows 15 significant digits: 0.1+0.2 is 0.3 there


def defused() -> bool:
    """Whether openpyxl parses through defusedxml (it switches by itself when defusedxml is installed).

    Sheets are streamed through defusedxml's ``iterparse``. The small parts (workbook, styles, shared strings)
    go through ``fromstring``: defusedxml's, or — when lxml is installed, as python-docx brings it — lxml's
    with openpyxl's ``resolve_entities=False`` parser. Either way ``guard.py`` has already refused any member
    with a DOCTYPE or ENTITY declaration before a parser sees it."""
    import functools

    import openpyxl.xml
    import openpyxl.xml.functions as functions

    fromstring = functions.fromstring
    safe_fromstring = fromstring.__module__.startswith("defusedxml") or (
        isinstance(fromstring, functools.partial) and fromstring.func.__module__ == "lxml.etree"
        and "parser" in fromstring.keywords)
    return (openpyxl.xml.DEFUSEDXML is True and functions.iterparse.__module__.startswith("defusedxml")
            and safe_fromstring)


def require_defused() -> None:
    """Refuse to read anything without defusedxml in place (RefusedFile)."""
    if not defused():
        raise RefusedFile("本机缺少安全解析组件 defusedxml（或已被环境变量 OPENPYXL_DEFUSEDXML 关闭），为安全起见不读取任何工作簿。")


@dataclass(frozen=True, slots=True)
class Cell:
    ref: str  # "G12"
    row: int
    column: int
    value: object  # str, Decimal, bool, datetime, or None (a formula without a cached result)
    kind: str  # "n" number, "s" text, "b" boolean, "d" date, "e" error, "" nothing
    formula: bool = False
    percent: bool = False  # shown with a % format: the value is a fraction (0.5 shows as 50%)


@dataclass(frozen=True)
class SheetInfo:
    name: str
    state: str  # visible, hidden, veryHidden


def _column_letter(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def cell_ref(row: int, column: int) -> str:
    return f"{_column_letter(column)}{row}"


def _exact(raw: str) -> Decimal | None:
    try:
        d = Decimal(raw.strip())
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite():
        return None
    if len(d.as_tuple().digits) > 15:
        d = EXCEL_DIGITS.plus(d)
    return d


class OpenWorkbook:
    """One checked file, open for reading. Use as a context manager; every read checks the file's deadline."""

    def __init__(self, checked: CheckedFile, limits: Limits = DEFAULT_LIMITS, deadline: float | None = None) -> None:
        require_defused()
        self.checked = checked
        self.limits = limits
        self.deadline = deadline if deadline is not None else time.monotonic() + limits.seconds
        self.warnings: list[str] = []
        self.cells_read = 0
        from openpyxl import load_workbook

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                self.wb = load_workbook(io.BytesIO(checked.data), read_only=True, data_only=True, keep_links=False,
                                        keep_vba=False, rich_text=False)
            except RefusedFile:
                raise
            except Exception as exc:  # defusedxml's refusals, XML errors, missing parts: all mean "not readable"
                raise RefusedFile(_parse_failure(exc)) from None
        self.warnings.extend(str(w.message)[:200] for w in caught)
        self._check_time()
        names = self.wb.sheetnames
        if len(names) > limits.sheets:
            self.close()
            raise RefusedFile(f"工作簿中的工作表过多（{len(names)} 张，上限 {limits.sheets} 张），不予读取。")
        self._formats = self._number_formats()

    def __enter__(self) -> OpenWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        archive = getattr(self.wb, "_archive", None)
        if archive is not None:
            archive.close()

    def _check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise RefusedFile(f"读取超时（超过 {self.limits.seconds:g} 秒），文件过于复杂，不予读取。")

    # -- the workbook --------------------------------------------------------------------------------------
    def sheets(self) -> list[SheetInfo]:
        return [SheetInfo(ws.title, getattr(ws, "sheet_state", "visible") or "visible")
                for ws in self.wb.worksheets]

    def custom_properties(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for prop in getattr(self.wb, "custom_doc_props", None) or ():
            value = getattr(prop, "value", None)
            if isinstance(prop.name, str) and value is not None:
                out[prop.name] = str(value)
        return out

    def defined_names(self) -> dict[str, str]:
        out: dict[str, str] = {}
        try:
            for name, dn in self.wb.defined_names.items():
                out[name] = str(dn.attr_text)
        except Exception:  # a malformed name is no reason to refuse; the forms say what they miss
            pass
        return out

    def _number_formats(self) -> dict[int, bool]:
        """Style id → whether its number format shows a percentage."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS

        out: dict[int, bool] = {}
        custom = list(getattr(self.wb, "_number_formats", ()))
        for i, style in enumerate(getattr(self.wb, "_cell_styles", ())):
            fid = getattr(style, "numFmtId", 0) or 0
            fmt = BUILTIN_FORMATS.get(fid) if fid < 164 else (custom[fid - 164] if fid - 164 < len(custom) else None)
            out[i] = bool(fmt) and "%" in str(fmt)
        return out

    # -- one sheet's rows ----------------------------------------------------------------------------------
    def rows(self, sheet: str, max_column: int | None = None) -> Iterator[list[Cell]]:
        """The sheet's rows with at least one non-empty cell (within ``max_column``), top to bottom."""
        ws = self.wb[sheet]
        limits = self.limits
        self._check_dimension(sheet, ws)
        wb = self.wb
        percent = self._formats
        Parser = _parser_class()

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with ws._get_source() as src:
                    parser = Parser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                    date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
                    for n, (row_no, cells) in enumerate(parser.parse(), 1):
                        if n % 64 == 0:
                            self._check_time()
                        if row_no > limits.rows or n > limits.rows:
                            raise RefusedFile(f"工作表“{_shown(sheet)}”的行数超过上限（{limits.rows} 行），不予读取。")
                        out = []
                        for c in cells:
                            col = c["column"]
                            if col > limits.columns:
                                raise RefusedFile(f"工作表“{_shown(sheet)}”的列数超过上限（{limits.columns} 列），不予读取。")
                            self.cells_read += 1
                            if self.cells_read > limits.cells:
                                raise RefusedFile(f"单元格过多（上限 {limits.cells} 个），不予读取。")
                            if max_column is not None and col > max_column:
                                continue
                            cell = _cell(c, percent)
                            if cell is not None:
                                out.append(cell)
                        if out:
                            yield out
            except RefusedFile:
                raise
            except Exception as exc:
                raise RefusedFile(_parse_failure(exc, sheet)) from None
        self.warnings.extend(str(w.message)[:200] for w in caught)

    def _check_dimension(self, sheet: str, ws: object) -> None:
        """A sheet's declared range (read by the guard from the start of its part), before its rows are parsed."""
        path = str(getattr(ws, "_worksheet_path", "")).lstrip("/")
        bounds = self.checked.dimensions.get(path)
        if bounds is None:
            return  # none declared: rows and cells are limited as they come
        rows, columns = bounds
        if rows > self.limits.rows or columns > self.limits.columns:
            raise RefusedFile(f"工作表“{_shown(sheet)}”声明的范围过大（{rows} 行、{columns} 列；上限 {self.limits.rows} 行、"
                              f"{self.limits.columns} 列），不像本系统的模板或报送报表，不予读取。")


@functools.cache
def _parser_class() -> type:
    """openpyxl's sheet parser, keeping for each cell whether it was a formula and a number's text as written."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):  # type: ignore[no-untyped-def]
            formula = element.find(FORMULA_TAG) is not None
            raw = element.findtext(VALUE_TAG) if element.get("t", "n") == "n" else None
            cell = super().parse_cell(element)
            cell["formula"] = formula
            cell["raw"] = raw
            return cell

    return Parser


def _cell(c: dict, percent: dict[int, bool]) -> Cell | None:
    value = c["value"]
    kind = c["data_type"]
    formula = c["formula"]
    if value is None and not formula:
        return None
    if kind == "n" and value is not None:
        exact = _exact(c["raw"]) if c["raw"] is not None else None
        value = exact if exact is not None else Decimal(repr(value))
    elif kind == "s" and not isinstance(value, str):
        value = str(value)
    elif kind == "str":
        kind = "s"
    elif kind not in ("n", "s", "b", "d", "e"):
        kind = "s" if isinstance(value, str) else kind
    if value is None:
        kind = ""
    return Cell(cell_ref(c["row"], c["column"]), c["row"], c["column"], value, kind, formula,
                percent.get(c.get("style_id") or 0, False))


def _shown(text: str) -> str:
    from ..domain.figures import quote_input

    return quote_input(text)


def _parse_failure(exc: Exception, sheet: str | None = None) -> str:
    where = f"工作表“{_shown(sheet)}”" if sheet else "工作簿"
    module = type(exc).__module__ or ""
    if module.startswith("defusedxml"):
        return f"{where}含有 XML 实体、文档类型或外部引用声明，可能是恶意构造的文件，不予读取。"
    if isinstance(exc, RecursionError):
        return f"{where}的结构嵌套过深，不予读取。"
    if isinstance(exc, MemoryError):
        return f"{where}过大，内存不足，不予读取。"
    return f"{where}的内容无法读取（结构有误：{type(exc).__name__}），文件可能已损坏或不是 Excel 保存的。"
