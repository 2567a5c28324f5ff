"""The workbook's look, built once: a few named styles (visible in Excel's 单元格样式 gallery) and their variants.

Each distinct look is made into a style array once; every cell with that look shares it, so a styled cell
costs little more to write than a bare one.
"""
from __future__ import annotations

from dataclasses import dataclass

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..domain.progress import STATUS_COLORS

# The CJK font named in every style. 宋体 is on every Chinese Windows and WPS install; Excel and LibreOffice
# elsewhere substitute their own CJK face for it. charset 134 (GB2312) tells Excel the text is Chinese.
FONT_NAME = "宋体"
FONT_CHARSET = 134
DEFAULT_SIZE = 11  # the workbook's default, as Chinese Excel ships it
BODY_SIZE = 10.5  # 五号
TITLE_SIZE = 16  # 三号

BLACK = "000000"
WHITE = "FFFFFF"
GREY_TEXT = "808080"
NA_FILL = "F2F2F2"
HEADER_FILL = "D9E1F2"
PART_FILL = "EDEDED"
ORG_FILL = "DDEBF7"

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _font(size: float = BODY_SIZE, *, bold: bool = False, color: str = BLACK) -> Font:
    return Font(name=FONT_NAME, charset=FONT_CHARSET, size=size, bold=bold, color=color)


def _fill(color: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=color, end_color=color)


def _text_on(fill_hex: str) -> str:
    """Black or white text, whichever reads better on the fill (WCAG relative luminance)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(fill_hex[i:i + 2], 16) for i in (0, 2, 4))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return BLACK if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else WHITE


def status_fill_hex(status: str) -> str:
    return STATUS_COLORS[status].lstrip("#").upper()


@dataclass(frozen=True)
class Look:
    font: Font
    alignment: Alignment
    border: Border | None = _BOX
    fill: PatternFill | None = None


_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

# Named styles: the looks a reader would recognise. Variants (number formats, status colours) derive from them.
NAMED: dict[str, Look] = {
    "六保-标题": Look(_font(TITLE_SIZE, bold=True), Alignment(horizontal="center", vertical="center"), None),
    "六保-表头信息": Look(_font(), Alignment(horizontal="left", vertical="center", wrap_text=True), None),
    "六保-表头信息右": Look(_font(), Alignment(horizontal="right", vertical="center", wrap_text=True), None),
    "六保-列标题": Look(_font(bold=True), _CENTER, fill=_fill(HEADER_FILL)),
    "六保-分组": Look(_font(bold=True), Alignment(horizontal="left", vertical="center", wrap_text=True),
                     fill=_fill(PART_FILL)),
    "六保-单位": Look(_font(12, bold=True), Alignment(horizontal="left", vertical="center"), fill=_fill(ORG_FILL)),
    "六保-文字": Look(_font(), _LEFT),
    # 重点任务 / 责任单位 merged down a measure's rows: from the top, so a page break inside the block
    # still shows the start of the text on the first page.
    "六保-文字靠上": Look(_font(), Alignment(horizontal="left", vertical="top", wrap_text=True)),
    "六保-居中": Look(_font(), _CENTER),
    "六保-数值": Look(_font(), Alignment(horizontal="right", vertical="center")),
    "六保-不适用": Look(_font(color=GREY_TEXT), _CENTER, fill=_fill(NA_FILL)),
    "六保-合计": Look(_font(bold=True), _CENTER),
    "六保-合计数值": Look(_font(bold=True), Alignment(horizontal="right", vertical="center")),
    "六保-落款": Look(_font(), Alignment(horizontal="left", vertical="center"), None),
    "六保-注释": Look(_font(9, color="595959"), Alignment(horizontal="left", vertical="top", wrap_text=True), None),
}

# Short keys the sheet builders use.
KEYS = {
    "title": "六保-标题",
    "block": "六保-表头信息",
    "block_right": "六保-表头信息右",
    "header": "六保-列标题",
    "part": "六保-分组",
    "org": "六保-单位",
    "text": "六保-文字",
    "text_top": "六保-文字靠上",
    "center": "六保-居中",
    "num": "六保-数值",
    "na": "六保-不适用",
    "total": "六保-合计",
    "total_num": "六保-合计数值",
    "tail": "六保-落款",
    "note": "六保-注释",
}


class StyleBook:
    """Style arrays by (key, number format, status, literal), made on first use and shared by all cells."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self._use_cjk_default_font()
        self._named: dict[str, NamedStyle] = {}
        self._arrays: dict[tuple[str, str | None, str | None, bool], tuple[StyleArray, int]] = {}

    def _use_cjk_default_font(self) -> None:
        """Make 宋体 11 the workbook's default (the 常规/Normal style), as in Chinese Excel and WPS.

        Column widths are counted in digits of the default font; with Calibri as default a reader without it
        (LibreOffice on Linux, WPS) substitutes another face and every width shifts. openpyxl has no public
        setter for the default font, so font 0 and the Normal style are replaced before any cell is styled."""
        default = Font(name=FONT_NAME, charset=FONT_CHARSET, size=DEFAULT_SIZE)
        self.wb._fonts = IndexedList([default])
        self.wb._named_styles["Normal"].font = default

    def _named_style(self, name: str) -> NamedStyle:
        style = self._named.get(name)
        if style is None:
            look = NAMED[name]
            style = NamedStyle(name=name, font=look.font, alignment=look.alignment,
                               border=look.border or Border(), fill=look.fill or PatternFill())
            self.wb.add_named_style(style)
            self._named[name] = style
        return style

    def array(self, ws: WriteOnlyWorksheet, key: str, fmt: str | None = None, status: str | None = None,
              literal: bool = False) -> tuple[StyleArray, int]:
        """The style array for a look and its index in the workbook's cell styles (its xf id)."""
        cache_key = (key, fmt, status, literal)
        found = self._arrays.get(cache_key)
        if found is not None:
            return found
        cell = WriteOnlyCell(ws)
        cell.style = self._named_style(KEYS[key])
        if fmt is not None:
            cell.number_format = fmt
        if status is not None:
            fill = status_fill_hex(status)
            cell.fill = _fill(fill)
            cell.font = _font(cell.font.size or BODY_SIZE, bold=True, color=_text_on(fill))
        if literal:
            # The 'prefix the text with a quote' flag: Excel/WPS/LibreOffice keep it text even when edited.
            cell.quotePrefix = True
        found = (cell._style, self.wb._cell_styles.add(cell._style))
        self._arrays[cache_key] = found
        return found
