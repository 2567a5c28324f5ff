"""工作进展: one row per measure with its units, deadline, the month's 进展情况 / 存在问题 / 下步计划 and status."""
from __future__ import annotations

from .common import (
    UNITS_WIDTH,
    deadline_text,
    header_block,
    measure_label,
    part_label,
    sheet_title,
    status_cell,
    status_note,
    units_text,
)
from .model import ReportLike, WorkbookData
from .sheet import Column, SheetWriter

NAME = "工作进展"
PAGINATED = True
COLUMNS = [
    Column("序号", 5),
    Column("重点任务", 18),
    Column("责任单位\n（牵头单位在前）", UNITS_WIDTH),
    Column("完成时限", 14),
    Column("进展情况", 36),
    Column("存在问题", 20),
    Column("下步计划", 20),
    Column("状态", 7),
    Column("措施代码", 9, hidden=True),
]


def _org(sw: SheetWriter, report: ReportLike, data: WorkbookData) -> None:
    current_part = None
    for number, ml in enumerate(report.measures.values(), 1):
        n = ml.narrative
        cells = [
            sw.cell(number, "center"),
            sw.cell(measure_label(ml.measure), "text"),
            sw.cell(units_text(ml.measure), "text"),
            sw.cell(deadline_text(ml.measure, data.plan), "center"),
            sw.cell(n.progress, "text"),
            sw.cell(n.problems, "text"),
            sw.cell(n.next_steps, "text"),
            status_cell(sw, ml.status),
            sw.cell(ml.measure.code, "center"),
        ]
        height = sw.row_height(cells)
        if ml.part.code != current_part:
            current_part = ml.part.code
            heading = part_label(ml.part)
            sw.keep(sw.spanning_height(heading) + height)  # a part heading never ends a printed page
            sw.spanning_row(heading, "part", hidden=[ml.part.code])
        sw.append(cells, height)


def write(sw: SheetWriter, data: WorkbookData) -> None:
    sw.start(sheet_title(data, "重点任务工作进展"), header_block(data, "文字材料"), [[c.header for c in COLUMNS]],
             freeze_col=3)
    for i, org in enumerate(data.orgs):
        if data.multi_org:
            if i:
                sw.page_break()
            sw.spanning_row(org.report.org.name, "org", hidden=[org.report.org.code])
        _org(sw, org.report, data)
    sw.tail([status_note(data)], data.preparer)
