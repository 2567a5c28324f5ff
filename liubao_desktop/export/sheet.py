"""One printed form on a streamed worksheet: title, header block, column headers, rows, signature tail, page set-up.

Rows are streamed (openpyxl write-only mode), so a city workbook never holds all its cells in memory. In that
mode widths, freeze panes and print titles are fixed before the first row; merges and page breaks are written
at the end. With ``ws=None`` the writer only records the cell values (the bench's unstyled baseline uses that).

Paginated sheets (``paginate=True``) place every page break themselves, so that a part heading never ends a
page and a block (a measure's rows, the signature tail) is not split when it fits on one page. The writer
counts the height of the rows it writes against the height one printed page holds (see ``page_capacity``).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from openpyxl.cell import Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break

from .cells import clean_text, needs_literal
from .styles import StyleBook

PAGE_FOOTER = "第 &P 页 共 &N 页"
PAPER_A4 = 9  # ECMA-376 paper size code
# A4 landscape and the margins finish() sets, in points (72 a inch). The footer sits inside the bottom margin.
PAGE_WIDTH, PAGE_HEIGHT = 841.89, 595.28
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM, MARGIN_FOOTER = 0.5, 0.6, 0.7, 0.3  # inches
PRINT_WIDTH = PAGE_WIDTH - 2 * 72 * MARGIN_SIDE
PRINT_HEIGHT = PAGE_HEIGHT - 72 * (MARGIN_TOP + MARGIN_BOTTOM)
# A column width unit in points at 100 %: Excel and WPS with 宋体 11 as the default font draw it 8 px wide at
# 96 dpi. Fit-to-width prints at (printable width ÷ sheet width), so the wider a reader draws a unit, the
# smaller it prints and the more rows a page holds. Counting with Excel's unit, the writer's breaks come
# before any automatic break of Excel or WPS; a reader whose default font has wider digits (LibreOffice
# without 宋体 takes about 7.2 pt) follows the same breaks and leaves some room at the foot of each page.
POINTS_PER_WIDTH_UNIT = 6.0
PAGE_FILL = 0.97  # of the printable height: room for rounding (Excel rounds row heights to whole pixels)
TITLE_HEIGHT = 30
TAIL_HEIGHT = 24  # the signature line
LINE_HEIGHT = 14.0  # one line of 10.5 pt 宋体, in points
ROW_PADDING = 3.0
MAX_ROW_HEIGHT = 409.5  # Excel's limit, in points: a 2000-字 narrative would ask for more
SHORT_TEXT = 40  # texts up to this length repeat (names, labels, codes) and are worth caching
CJK_WIDTH = 2.0  # a Chinese character is about two width units (digits) wide

Tick = Callable[[], None]
HeaderText = str | tuple[str, str] | None


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    hidden: bool = False  # stable codes for roll-up, not for the printed page


def text_lines(text: str, width: float) -> int:
    """How many lines text wraps to in a column of that width (generous: better a little air than cut text).

    Neither LibreOffice nor every Excel fits row heights to wrapped text when opening a file, so the writer
    sets each row's height from this estimate."""
    # Short texts (names, labels, codes) repeat thousands of times in 明细; long ones (narratives) do not.
    return _short_text_lines(text, width) if len(text) <= SHORT_TEXT else _text_lines(text, width)


def _text_lines(text: str, width: float) -> int:
    usable = max(1.0, width - 1.0)
    lines = 0
    for para in text.split("\n"):
        units = sum(CJK_WIDTH if ord(ch) > 0x2E80 else 1.0 for ch in para)
        lines += max(1, math.ceil(units / usable))
    return lines


_short_text_lines = lru_cache(maxsize=2048)(_text_lines)


def height_for(lines: int) -> float:
    return LINE_HEIGHT * lines + ROW_PADDING


DEFAULT_HEIGHT = height_for(1)  # the sheet's default row height: rows of one line need no entry of their own


class StyledCell(Cell):
    """A streamed cell whose style is settled when it is made.

    openpyxl's writer asks every cell for its style_id, which hashes the cell's style array and looks it up in
    the workbook's list each time; here the id is looked up once per look (StyleBook) and carried along. The
    style array itself is shared by all cells with that look: streamed cells are never restyled."""

    __slots__ = ("_style_id",)

    def __init__(self, ws: WriteOnlyWorksheet, style: StyleArray, style_id: int) -> None:
        super().__init__(ws)
        self._style = style
        self._style_id = style_id

    @property
    def style_id(self) -> int:
        return self._style_id


def _literal_text(text: str) -> tuple[str, bool]:
    """Text cleaned for a cell and whether it needs the quote prefix."""
    if len(text) <= SHORT_TEXT:
        return _short_literal_text(text)
    cleaned = clean_text(text)
    return cleaned, needs_literal(cleaned)


@lru_cache(maxsize=2048)
def _short_literal_text(text: str) -> tuple[str, bool]:
    cleaned = clean_text(text)
    return cleaned, needs_literal(cleaned)


def _cells_to_row(cells: Sequence[object], row_idx: int) -> Iterator[Cell]:
    """Stand-in for WriteOnlyWorksheet._values_to_row when every item is already a cell (or None).

    openpyxl's version first tries each item as a plain value and, for a cell, catches the ValueError that
    raises (formatting the cell's repr for the message) and makes a fresh scratch cell — about a third of the
    time of a styled write. The writer only ever appends cells it made, so they go through as they are."""
    for col_idx, cell in enumerate(cells, 1):
        if cell is None:
            continue
        cell.column = col_idx  # type: ignore[attr-defined]
        cell.row = row_idx  # type: ignore[attr-defined]
        yield cell  # type: ignore[misc]


class SheetWriter:
    def __init__(self, ws: WriteOnlyWorksheet | None, styles: StyleBook | None, columns: Sequence[Column],
                 tick: Tick | None = None, *, paginate: bool = False) -> None:
        self.ws = ws
        if ws is not None:
            ws._values_to_row = _cells_to_row  # type: ignore[method-assign]  # see _cells_to_row
        self.styles = styles
        self.columns = list(columns)
        self.visible = [i for i, c in enumerate(self.columns, 1) if not c.hidden]
        self.last_visible = self.visible[-1]
        self.row_no = 0
        self.merges: list[str] = []
        self.records: list[list[object]] = []  # values only, when there is no worksheet
        self._tick = tick
        self.paginate = paginate
        self.title_height = 0.0  # the rows start() writes, repeated at the top of every printed page
        self.capacity = 0.0  # points of rows under the title rows on one page; 0 until start() has run
        self.page_used = 0.0  # points of rows on the current page, under its title rows
        self.breaks: list[int] = []  # rows a printed page ends after (manual breaks)

    # -- cells and rows ------------------------------------------------------------------------------------
    def cell(self, value: object, key: str, fmt: str | None = None, status: str | None = None) -> object:
        """A styled cell. Text is always stored as a string — never a formula, whatever it starts with — and
        text that a spreadsheet would take for a formula when edited is flagged 'quote prefix' as well."""
        data_type = "n"
        literal = False
        if isinstance(value, str):
            value, literal = _literal_text(value)
            data_type = "s"
            if not value:
                value = None
        elif isinstance(value, Decimal):
            if not value.is_finite():
                value = None
        elif value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"unexpected cell value {value!r}")
        if self.ws is None:
            return value
        assert self.styles is not None
        style, style_id = self.styles.array(self.ws, key, fmt, status, literal)
        c = StyledCell(self.ws, style, style_id)
        if value is not None:
            # Set directly: the value is already checked and cleaned, and openpyxl's setter would turn a
            # string starting with "=" into a formula.
            c._value = value
            c.data_type = data_type
        return c

    def blank(self, key: str) -> object:
        return self.cell(None, key)

    def text_height(self, text: object, first_col: int, last_col: int | None = None) -> float:
        """Height a text needs in a column (or a run of columns, for merged cells)."""
        if not isinstance(text, str) or not text:
            return height_for(1)
        width = sum(self.columns[i - 1].width for i in range(first_col, (last_col or first_col) + 1))
        return height_for(text_lines(text, width))

    def row_height(self, cells: Sequence[object], skip: Sequence[int] = ()) -> float:
        """Height that shows every wrapped text of the row in full (columns in skip are left out: merged)."""
        lines = 1
        for col, c in enumerate(cells, 1):
            value = getattr(c, "_value", c)
            if isinstance(value, str) and col not in skip and col <= len(self.columns):
                lines = max(lines, text_lines(value, self.columns[col - 1].width))
        return height_for(lines)

    def append(self, cells: Sequence[object], height: float | None = None) -> int:
        """Write a row; its height is worked out from its texts unless given."""
        self.row_no += 1
        if self.ws is None:
            self.records.append(list(cells))
        else:
            height = min((height or self.row_height(cells)) if cells else DEFAULT_HEIGHT, MAX_ROW_HEIGHT)
            if self.capacity:  # a data row of a paginated sheet: on this page, or the first of the next
                if self.page_used and self.page_used + height > self.capacity:
                    self._break_after(self.row_no - 1)
                self.page_used += height
            else:
                self.title_height += height
            if height != DEFAULT_HEIGHT:
                self.ws.row_dimensions[self.row_no].height = height
            self.ws.append(list(cells))
            # The row is on its way to the file: its dimension is not needed again (a city 明细 has ~9000).
            self.ws.row_dimensions.pop(self.row_no, None)
        if self._tick is not None:
            self._tick()
        return self.row_no

    # -- printed pages -------------------------------------------------------------------------------------
    def print_scale(self) -> float:
        """The scale fit-to-width prints at, at most: the visible columns across the printable width."""
        width = sum(c.width for c in self.columns if not c.hidden) * POINTS_PER_WIDTH_UNIT
        return min(1.0, PRINT_WIDTH / width)

    def page_capacity(self) -> float:
        """Points of rows one printed page holds under the repeated title rows (sheet points, before scaling)."""
        return PRINT_HEIGHT * PAGE_FILL / self.print_scale() - self.title_height

    def _break_after(self, row: int) -> None:
        if self.ws is not None and row > 0 and (not self.breaks or self.breaks[-1] != row):
            self.ws.row_breaks.append(Break(id=row))
            self.breaks.append(row)
        self.page_used = 0.0

    def keep(self, height: float) -> None:
        """Start a new page unless the next rows, height points in all, fit on this one. A block taller than
        a whole page is not moved: it would be split anyway."""
        if self.capacity and self.page_used and self.page_used + height > self.capacity >= height:
            self._break_after(self.row_no)

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        if (first_row, first_col) != (last_row, last_col):
            self.merges.append(f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}")

    def spanning_height(self, text: str) -> float:
        """Height of a row whose text spans every visible column."""
        return self.text_height(text, 1, self.last_visible)

    def spanning_row(self, text: str, key: str, *, hidden: Sequence[object] = (), height: float | None = None) -> int:
        """A row whose text spans every visible column (part headings, org blocks, notes)."""
        cells = [self.cell(text, key)] + [self.blank(key) for _ in range(self.last_visible - 1)]
        cells += [self.cell(v, key) for v in hidden]
        row = self.append(cells, height or self.spanning_height(text))
        self.merge(row, 1, row, self.last_visible)
        return row

    def segments(self, count: int) -> list[tuple[int, int]]:
        """The visible columns cut into count runs of roughly equal width (header block, signature tail)."""
        widths = [self.columns[i - 1].width for i in self.visible]
        total = sum(widths)
        bounds: list[tuple[int, int]] = []
        start, acc, k = 0, 0.0, 1
        for idx, w in enumerate(widths):
            acc += w
            if (acc >= total * k / count or idx == len(widths) - 1) and len(bounds) < count:
                bounds.append((self.visible[start], self.visible[idx]))
                start, k = idx + 1, k + 1
        return bounds

    def segmented_row(self, texts: Sequence[str], key: str, height: float | None = None,
                      last_key: str | None = None) -> int:
        cells: list[object] = [None] * len(self.columns)
        segs = self.segments(len(texts))
        need = max(self.text_height(t, first, last) for (first, last), t in zip(segs, texts, strict=False))
        height = max(height or 0, need)
        for i, ((first, last), text) in enumerate(zip(segs, texts, strict=False)):
            k = last_key if last_key and i == len(segs) - 1 else key
            cells[first - 1] = self.cell(text, k)
            for col in range(first + 1, last + 1):
                cells[col - 1] = self.blank(k)
        row = self.append(cells, height)
        for first, last in segs:
            self.merge(row, first, row, last)
        return row

    def page_break(self) -> None:
        """Start a new printed page after the last row written."""
        self._break_after(self.row_no)

    # -- the form ------------------------------------------------------------------------------------------
    def start(self, title: str, block: Sequence[str], headers: Sequence[Sequence[HeaderText]],
              *, freeze_col: int = 1, header_merges: Sequence[tuple[int, int, int, int]] = ()) -> None:
        """Title row, header block and column header rows; all of them repeat on every printed page.

        headers: one list per header row (None under a cell merged from above or from the left; a (text, status)
        pair for a header coloured like that status);
        header_merges: (first_row, first_col, last_row, last_col) counted within the header rows.
        """
        top = 2 + len(headers)
        if self.ws is not None:
            for i, col in enumerate(self.columns, 1):
                dim = self.ws.column_dimensions[get_column_letter(i)]
                dim.width = col.width
                dim.hidden = col.hidden
            self.ws.freeze_panes = f"{get_column_letter(freeze_col)}{top + 1}"
            # Written with the sheet's head, so they must be set before the first row.
            self.ws.sheet_properties.pageSetUpPr.fitToPage = True
            self.ws.sheet_format.defaultRowHeight = DEFAULT_HEIGHT
            self.ws.sheet_format.customHeight = True
            self.ws.print_title_rows = f"1:{top}"
        row = self.spanning_row(title, "title", height=TITLE_HEIGHT)
        self.segmented_row(block, "block", height=20, last_key="block_right")
        header_top = row + 2
        spans = {(r1, c1): (r2 - r1 + 1, c2) for r1, c1, r2, c2 in header_merges}
        for i, values in enumerate(headers):
            lines = 1
            for j, v in enumerate(values, 1):
                text = v[0] if isinstance(v, tuple) else v
                if text:  # a merged header spreads its lines over the columns and rows it covers
                    rows_spanned, last_col = spans.get((i, j), (1, j))
                    width = sum(self.columns[c - 1].width for c in range(j, last_col + 1))
                    lines = max(lines, math.ceil(text_lines(text, width) / rows_spanned))
            self.append([self.cell(v[0], "header", status=v[1]) if isinstance(v, tuple) else self.cell(v, "header")
                         for v in values], height_for(lines))
        for r1, c1, r2, c2 in header_merges:
            self.merge(header_top + r1, c1, header_top + r2, c2)
        if self.paginate and self.ws is not None:
            self.capacity = self.page_capacity()

    def tail(self, notes: Sequence[str], preparer: str) -> None:
        """Notes under the table, then the signature line people fill in by hand (kept on one page)."""
        self.append([])
        self.keep(sum(self.spanning_height(n) for n in notes) + DEFAULT_HEIGHT + TAIL_HEIGHT)
        for note in notes:
            self.spanning_row(note, "note")
        self.append([])
        self.segmented_row(
            ["单位负责人：", f"填表人：{preparer}", "联系电话：", "报出日期：　　　年　　月　　日"], "tail",
            height=TAIL_HEIGHT,
        )

    def finish(self, *, autofilter: str | None = None) -> None:
        ws = self.ws
        if ws is None:
            return
        for ref in self.merges:
            ws.merged_cells.add(ref)
        if autofilter:
            ws.auto_filter.ref = autofilter
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = PAPER_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as the table needs
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
        ws.page_margins.top = MARGIN_TOP
        ws.page_margins.bottom = MARGIN_BOTTOM
        ws.page_margins.footer = MARGIN_FOOTER
        ws.oddFooter.center.text = PAGE_FOOTER
        ws.oddFooter.center.size = 9
        ws.oddFooter.center.font = "宋体,常规"
