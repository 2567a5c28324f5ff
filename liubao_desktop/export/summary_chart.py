"""汇总's native Excel charts (openpyxl.chart), under the one-org table: 平均完成率 against 平均序时进度 per part
(clustered bars), and the parts' measures by status (stacked bars).

The charts read a small data block written under the table's notes (图表数据), so Excel, WPS and LibreOffice draw
them from cells anyone can check: the averages are the table's own (``domain.progress.Totals``), 平均序时进度 the
mean 序时进度 of the same judged targets that have a 序时 line (``domain.report_sentences.average_expected``), the
counts the table's status columns. The written report's figure is drawn from the same numbers
(``services/charts.part_chart``).
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

from ..domain.progress import DONE, GREEN, NOT_STARTED, OVERDUE, RED, STATUS_COLORS, YELLOW
from ..domain.report_sentences import average_expected
from .model import ReportLike
from .sheet import DEFAULT_HEIGHT, SheetWriter

CHART_STATUSES = (DONE, GREEN, YELLOW, RED, OVERDUE, NOT_STARTED)
BLOCK_TITLE = "图表数据（平均完成率、平均序时进度按领域；重点任务状态为项数）"
BLOCK_HEADER = ("领域", "平均完成率", "平均序时进度", *CHART_STATUSES)
CHART_ROWS = 18  # empty rows the two charts stand on (about 270 pt)
FIRST_COLUMN = 2  # the block starts under 领域 (column B)


def chart_rows(report: ReportLike) -> list[tuple[str, Decimal | None, Decimal | None, Counter]]:
    """One row per part: its title, 平均完成率, 平均序时进度 and its measures counted by status."""
    from .summary_sheet import part_tallies

    out = []
    for part, tally in part_tallies(report):
        expected = average_expected(line.progress for line in tally.lines)
        out.append((part.title, tally.totals.average_all, expected, tally.statuses))
    return out


def append_charts(sw: SheetWriter, report: ReportLike) -> None:
    """The data block, then room for the two charts beside each other, all kept on one printed page."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.shapes import GraphicalProperties

    rows = chart_rows(report)
    if not rows or sw.ws is None:
        return
    sw.append([])
    sw.keep(DEFAULT_HEIGHT * (len(rows) + 3 + CHART_ROWS))
    sw.spanning_row(BLOCK_TITLE, "note")
    pad = [None] * (FIRST_COLUMN - 1)
    header_row = sw.append([*pad, *(sw.cell(h, "header") for h in BLOCK_HEADER)])
    first = header_row + 1
    for title, average, expected, statuses in rows:
        sw.append([*pad, sw.cell(title, "text"), sw.cell(average, "num", "0.0%"), sw.cell(expected, "num", "0.0%"),
                   *(sw.cell(statuses.get(s, 0), "center", "#,##0") for s in CHART_STATUSES)])
    last = first + len(rows) - 1
    anchor_row = sw.append([])
    for _ in range(CHART_ROWS - 1):
        sw.append([])
    col = FIRST_COLUMN
    cats = Reference(sw.ws, min_col=col, min_row=first, max_row=last)

    pace = BarChart()
    pace.type = "bar"  # horizontal: the parts' names read across
    pace.title = "平均完成率与平均序时进度"
    pace.add_data(Reference(sw.ws, min_col=col + 1, max_col=col + 2, min_row=header_row, max_row=last),
                  titles_from_data=True)
    pace.set_categories(cats)
    pace.y_axis.number_format = "0%"
    pace.y_axis.scaling.min = 0
    pace.y_axis.majorGridlines = None
    pace.x_axis.scaling.orientation = "maxMin"  # the first part on top, as in the table
    for series, colour in zip(pace.series, ("337AB7", "E67E22"), strict=True):
        series.graphicalProperties = GraphicalProperties(solidFill=colour)
    pace.height, pace.width = 8.5, 13.0

    states = BarChart()
    states.type = "bar"
    states.grouping = "stacked"
    states.overlap = 100
    states.title = "重点任务状态（项）"
    states.add_data(Reference(sw.ws, min_col=col + 3, max_col=col + 2 + len(CHART_STATUSES), min_row=header_row,
                              max_row=last), titles_from_data=True)
    states.set_categories(cats)
    states.x_axis.scaling.orientation = "maxMin"
    for series, status in zip(states.series, CHART_STATUSES, strict=True):
        series.graphicalProperties = GraphicalProperties(solidFill=STATUS_COLORS[status].lstrip("#").upper())
    states.height, states.width = 8.5, 13.0

    sw.ws.add_chart(pace, f"B{anchor_row}")
    sw.ws.add_chart(states, f"I{anchor_row}")
