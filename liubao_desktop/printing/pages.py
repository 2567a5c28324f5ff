"""Task lists onto paper: the HTML laid out as a QTextDocument at the printer's resolution, then painted page by
page with QPainter, with a running header and a "第 X 页 共 Y 页" footer drawn around each page's body.

Painting the pages ourselves (rather than QTextDocument.print_()) is what gives the page count Y on every page,
a header band the document body never runs into, and pages cut between table rows (``pagination``). Printer, PDF file and the print preview all come through
``print_task_list``, so what the preview shows is what the paper gets.
"""
from __future__ import annotations

import os

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPen,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter

from ..files.outputs import PDF, OutputError, check_output
from .fonts import choose_cjk_family, cjk_font
from .html import BODY_PT, task_list_html
from .model import TaskList
from .pagination import TALL, PageSlice, Strip, page_slices

# A4 portrait; the margins leave room for a binder's holes on the left and for the header and footer bands.
PAGE_MARGINS_MM = QMarginsF(18, 12, 14, 10)
HEADER_MM = 8.0  # band above the body: running header
FOOTER_MM = 9.0  # band below the body: page X of Y
HEADER_PT = 7.5
FOOTER_PT = 8.5


def a4_portrait() -> QPageLayout:
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, PAGE_MARGINS_MM,
                       QPageLayout.Unit.Millimeter)


def _mm(device: QPagedPaintDevice, mm: float) -> float:
    return mm / 25.4 * device.logicalDpiY()


def build_document(task_list: TaskList, device: QPagedPaintDevice, *, page_break: bool = False,
                   family: str | None = None) -> QTextDocument:
    """The task list laid out for the device's page width, as one tall page (cut into pages by ``pagination``);
    fonts measured at the device's resolution."""
    family = family or choose_cjk_family()
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setDefaultFont(cjk_font(family, BODY_PT))
    layout = doc.documentLayout()
    layout.setPaintDevice(device)
    body = body_rect(device)
    doc.setPageSize(QSizeF(body.width(), TALL))
    doc.setHtml(task_list_html(task_list, family=family, page_break=page_break))
    return doc


def body_rect(device: QPagedPaintDevice) -> QRectF:
    """Where the document goes on each page, in device pixels relative to the printable area."""
    top = _mm(device, HEADER_MM)
    height = device.height() - top - _mm(device, FOOTER_MM)
    return QRectF(0, top, device.width(), height)


def _draw_header(painter: QPainter, device: QPagedPaintDevice, task_list: TaskList, family: str) -> None:
    band = QRectF(0, 0, device.width(), _mm(device, HEADER_MM) * 0.7)
    painter.setFont(cjk_font(family, HEADER_PT))
    painter.setPen(QColor("#444444"))
    left = f"{task_list.plan_short_title} · 重点任务清单"
    right = f"{task_list.doc_number}　{task_list.office}　{task_list.period.label}"
    if task_list.sample_data:
        right = "示例数据　" + right
    painter.drawText(band, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, left)
    painter.drawText(band, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, right)
    pen = QPen(QColor("#888888"))
    pen.setWidthF(max(1.0, _mm(device, 0.15)))
    painter.setPen(pen)
    painter.drawLine(band.bottomLeft(), band.bottomRight())


def _draw_footer(painter: QPainter, device: QPagedPaintDevice, page: int, pages: int, family: str) -> None:
    top = device.height() - _mm(device, FOOTER_MM)
    font = cjk_font(family, FOOTER_PT)
    painter.setFont(font)
    painter.setPen(QColor("#000000"))
    line = QFontMetricsF(font, device).height()
    band = QRectF(0, top + (_mm(device, FOOTER_MM) - line) / 2, device.width(), line)
    painter.drawText(band, Qt.AlignmentFlag.AlignCenter, f"第 {page} 页 共 {pages} 页")


def paint_document(painter: QPainter, device: QPagedPaintDevice, doc: QTextDocument, task_list: TaskList,
                   family: str) -> int:
    """Paint every page of a laid-out document onto an active painter; returns the number of pages."""
    body = body_rect(device)
    slices = page_slices(doc, body.height())
    ctx = QAbstractTextDocumentLayout.PaintContext()
    palette = ctx.palette  # black text on paper, whatever the desktop's palette says
    palette.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    ctx.palette = palette
    for index, page in enumerate(slices):
        if index and not device.newPage():
            raise OSError("打印中断：无法开始新的一页（打印机或文件不可用）。")
        if index:
            _draw_header(painter, device, task_list, family)
        _draw_page(painter, doc, ctx, body, page)
        _draw_footer(painter, device, index + 1, len(slices), family)
    return len(slices)


def _draw_strip(painter: QPainter, doc: QTextDocument, ctx: QAbstractTextDocumentLayout.PaintContext,
                strip: Strip, left: float, top: float) -> None:
    """Paint the strip of the tall document with its top at (left, top) of the page."""
    painter.save()
    view = QRectF(0, strip.top, doc.pageSize().width(), strip.height)
    painter.translate(left, top - strip.top)
    painter.setClipRect(view)
    ctx.clip = view  # only blocks inside the strip are drawn: nothing cut off leaks into the PDF's text
    doc.documentLayout().draw(painter, ctx)
    painter.restore()


def _draw_page(painter: QPainter, doc: QTextDocument, ctx: QAbstractTextDocumentLayout.PaintContext,
               body: QRectF, page: PageSlice) -> None:
    top = body.top()
    if page.header is not None:  # a page that starts inside a table repeats its group heading and columns
        _draw_strip(painter, doc, ctx, page.header, body.left(), top)
        top += page.header.height
    _draw_strip(painter, doc, ctx, page.body, body.left(), top)


def check_output_file(device: QPagedPaintDevice) -> None:
    """A printer writing to a file (Qt's print dialog offers "print to file") goes through the same guard as
    every other output: never onto a ledger's files, a PDF only over a PDF; OSError before Qt fails with a
    console warning."""
    target = device.outputFileName() if isinstance(device, QPrinter) else ""
    if not target:
        return
    try:
        path = check_output(target, PDF)
    except OutputError as exc:
        raise OSError(str(exc)) from exc
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OSError(f"无法写入文件：{path}（文件被占用或没有写入权限）")


def print_task_list(device: QPagedPaintDevice, task_list: TaskList, *, page_break: bool = False) -> int:
    """Print a task list onto a printer, a PDF printer or a preview's printer in its current page layout.

    Returns the number of pages. Raises OSError when the device cannot be painted on (a PDF path that cannot
    be written, a printer that went away) and fonts.NoCjkFont when no face can print Chinese.
    """
    check_output_file(device)
    family = choose_cjk_family()
    doc = build_document(task_list, device, page_break=page_break, family=family)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("无法开始打印：打印机不可用，或 PDF 文件无法写入。")
    try:
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        return paint_document(painter, device, doc, task_list, family)
    finally:
        painter.end()

