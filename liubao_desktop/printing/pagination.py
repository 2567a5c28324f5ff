"""Where a laid-out task list is cut into pages: between table rows, never through one.

QTextDocument's own pagination cuts a table row wherever the page ends, so a task's last lines continued at the
top of the next page. Here the document is laid out as one tall page and cut by hand: a page ends at the last
row boundary (or paragraph) that fits; a row taller than a whole page is the only thing ever split. A page that
starts inside a table repeats that table's header rows (the group heading and the column headers) above the
rest, as Qt did, and a group heading is never left at the foot of a page without a row under it.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QTextDocument, QTextFormat, QTextTable

# Laid out as one page this tall (device pixels), the document is never paginated by Qt itself.
TALL = 1e9


@dataclass(frozen=True)
class Strip:
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class PageSlice:
    """One page: the strip of the tall document it shows, under the repeated table header if any."""

    body: Strip
    header: Strip | None = None


@dataclass(frozen=True)
class _Table:
    top: float  # the outer edge of its first row, border included
    header: Strip  # its header rows, repeated on a page that starts inside it
    bottom: float
    row_cuts: tuple[float, ...]  # where a page may end: just below the line above each body row after the first
    forced: bool  # page-break-before: always


def _tables(doc: QTextDocument) -> list[_Table]:
    layout = doc.documentLayout()
    device = layout.paintDevice()
    scale = device.logicalDpiY() / 96 if device is not None else 1.0  # Qt measures table lengths in 96-dpi pixels
    out: list[_Table] = []
    for frame in doc.rootFrame().childFrames():
        if not isinstance(frame, QTextTable) or frame.rows() == 0:
            continue
        fmt = frame.format()
        pad, border = fmt.cellPadding() * scale, fmt.border() * scale
        tops: list[float] = []
        for r in range(frame.rows()):
            cells = (frame.cellAt(r, c) for c in range(frame.columns()))
            tops.append(min(layout.blockBoundingRect(doc.findBlock(cell.firstPosition())).top() for cell in cells))
        last_row = (frame.cellAt(frame.rows() - 1, c) for c in range(frame.columns()))
        bottom = max(layout.blockBoundingRect(doc.findBlock(cell.lastPosition())).bottom()
                     for cell in last_row) + pad + border
        top = tops[0] - pad - border
        header_rows = min(max(fmt.headerRowCount(), 0), frame.rows())
        cuts = [t - pad for t in tops]  # below the line above the row: the page above keeps its bottom border
        header = Strip(top, cuts[header_rows] if header_rows < len(cuts) else bottom)
        forced = bool(fmt.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        # No cut between the header rows, nor between them and the first row under them.
        out.append(_Table(top, header, bottom, tuple(cuts[header_rows + 1:]), forced))
    return out


def _paragraphs(doc: QTextDocument) -> list[Strip]:
    """The paragraphs outside tables (title block, notes)."""
    layout = doc.documentLayout()
    out: list[Strip] = []
    block = doc.begin()
    while block.isValid():
        # Empty blocks are the separators Qt keeps between two tables: their rects overlap the next table.
        if block.text().strip() and doc.frameAt(block.position()) is doc.rootFrame():
            rect = layout.blockBoundingRect(block)
            if rect.height() > 0:
                out.append(Strip(rect.top(), rect.bottom()))
        block = block.next()
    return out


def page_slices(doc: QTextDocument, page_height: float) -> list[PageSlice]:
    """Cut a document laid out on one TALL page into pages of ``page_height``."""
    tables = _tables(doc)
    paragraphs = _paragraphs(doc)
    pieces = [*paragraphs, *(Strip(t.top, t.bottom) for t in tables)]
    if not pieces:
        return [PageSlice(Strip(0.0, 0.0))]
    end = max(p.bottom for p in pieces)
    cuts = sorted({*(p.top for p in pieces), *(p.bottom for p in pieces), *(c for t in tables for c in t.row_cuts)})
    forced = {t.top for t in tables if t.forced}
    pages: list[PageSlice] = []
    start = min(p.top for p in pieces)
    while start < end - 0.5:
        inside = next((t for t in tables if t.header.bottom <= start < t.bottom), None)
        header = inside.header if inside is not None else None
        limit = start + page_height - (header.height if header is not None else 0)
        stop = min((f for f in forced if start < f <= limit), default=None)
        if stop is None:
            fitting = [c for c in cuts if start < c <= limit]
            stop = fitting[-1] if fitting else limit  # only a row taller than a page is ever split
        pages.append(PageSlice(Strip(start, stop), header))
        start = stop
        if not any(p.top <= start < p.bottom for p in pieces):
            # Between pieces (a margin, or the band a forced page break leaves): the next page starts with content.
            start = min((p.top for p in pieces if p.top >= start), default=end)
    return pages
