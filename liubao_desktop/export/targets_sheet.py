"""指标完成情况: one row per target, under merged part rows, with 重点任务 and 责任单位 merged down each measure."""
from __future__ import annotations

from ..domain.words import FOLLOWS_CITY_TEXT, NOT_APPLICABLE_TEXT, UNDECOMPOSED_TEXT
from .common import (
    UNITS_WIDTH,
    goal_cell,
    header_block,
    measure_label,
    pace_legend,
    part_label,
    ratio_cell,
    sheet_title,
    status_cell,
    status_note,
    units_text,
)
from .model import ReportLike, TargetLineLike, WorkbookData
from .rolled import ROLLUP_NOTE, note_text, period_cell, rolled_pace_cell, rollup_of, total_cell
from .sheet import Column, SheetWriter

NAME = "指标完成情况"
PAGINATED = True
COLUMNS = [
    Column("序号", 5),
    Column("重点任务", 16),
    Column("指标", 22),
    Column("计量单位", 7),
    Column("市级目标\n（方案原文）", 13),
    Column("分解目标", 10),
    Column("本期完成", 10),
    Column("累计完成", 10),
    Column("完成率", 8),
    Column("序时规则", 15),
    Column("序时进度", 8),
    Column("快慢", 10),
    Column("状态", 7),
    Column("责任单位", UNITS_WIDTH),
    Column("备注", 10),
    Column("指标代码", 10, hidden=True),
]
MEASURE_COL, UNITS_COL = 2, 14


def _target_cells(sw: SheetWriter, number: int, line: TargetLineLike, first: tuple[str, str] | None,
                  merged: bool) -> list[object]:
    t, p = line.target, line.progress
    group_key = "text_top" if merged else "text"
    measure_text, units = first if first else (None, None)
    return [
        sw.cell(number, "center"),
        sw.cell(measure_text, group_key),
        sw.cell(t.label, "text"),
        sw.cell(t.shown_unit, "center"),
        sw.cell(t.written_text, "center"),
        goal_cell(sw, line),
        period_cell(sw, line),
        total_cell(sw, line),
        ratio_cell(sw, p.completion),
        sw.cell(t.pace_word, "center"),
        ratio_cell(sw, p.expected),
        rolled_pace_cell(sw, line),
        status_cell(sw, p.status),
        sw.cell(units, group_key),
        sw.cell(note_text(line), "text"),
        sw.cell(t.code, "center"),
    ]


def _org(sw: SheetWriter, report: ReportLike) -> None:
    number = 0
    current_part = None
    for ml in report.measures.values():
        if not ml.targets:
            continue
        measure_text, units = measure_label(ml.measure), units_text(ml.measure)
        rows = []
        for i, line in enumerate(ml.targets):
            number += 1
            rows.append(_target_cells(sw, number, line, (measure_text, units) if i == 0 else None,
                                      len(ml.targets) > 1))
        # 重点任务 and 责任单位 are merged down the measure's rows: those rows together must hold their text.
        merged = (MEASURE_COL, UNITS_COL) if len(rows) > 1 else ()
        heights = [sw.row_height(cells, skip=merged) for cells in rows]
        need = max(sw.text_height(measure_text, MEASURE_COL), sw.text_height(units, UNITS_COL))
        if sum(heights) < need:
            heights = [h + (need - sum(heights)) / len(heights) for h in heights]
        block = sum(heights)
        if ml.part.code != current_part:
            current_part = ml.part.code
            heading = part_label(ml.part)
            # A part heading never ends a printed page: it goes with its first measure's block, or at least
            # with that block's first row when the block itself is taller than a page.
            with_heading = sw.spanning_height(heading) + block
            sw.keep(with_heading if with_heading <= sw.capacity else sw.spanning_height(heading) + heights[0])
            sw.spanning_row(heading, "part", hidden=[ml.part.code])
        sw.keep(block)  # a measure's merged block stays on one page when it fits on one
        first_row = sw.row_no + 1
        for cells, height in zip(rows, heights, strict=True):
            sw.append(cells, height)
        sw.merge(first_row, MEASURE_COL, sw.row_no, MEASURE_COL)
        sw.merge(first_row, UNITS_COL, sw.row_no, UNITS_COL)


def write(sw: SheetWriter, data: WorkbookData) -> None:
    sw.start(sheet_title(data, "指标完成情况"),
             header_block(data, "见“计量单位”列；完成率、序时进度为百分比"),
             [[c.header for c in COLUMNS]], freeze_col=4)
    for i, org in enumerate(data.orgs):
        if data.multi_org:
            if i:
                sw.page_break()
            sw.spanning_row(f"{org.report.org.name}", "org", hidden=[org.report.org.code])
        _org(sw, org.report)
    sw.tail([
        "注：市级目标按方案原文；分解目标、本期完成、累计完成按“计量单位”列的单位填列（即本单位填报所用单位）。"
        f"“{FOLLOWS_CITY_TEXT}”表示该指标按市级目标计算完成率；“{UNDECOMPOSED_TEXT}”表示全市总量指标未给本单位"
        "分解目标，只列完成数，不算完成率和序时进度。计量单位为“定性”的指标填报状态（未开始、推进中、已完成），"
        f"不算完成率。空白为未填报，0 为已填报但尚无完成量，“{NOT_APPLICABLE_TEXT}”为本单位填报不适用。",
        "注：完成率＝累计完成÷目标（“不超过”类指标未超出为100%）；序时进度按“序时规则”列计算；"
        "快慢＝完成率－序时进度（百分点，正数为快于序时）；“期末达到”类指标写达到或未达到，定性指标写其状态。",
        pace_legend(),
        status_note(data),
        *([ROLLUP_NOTE] if _any_rolled(data) else []),
    ], data.preparer)


def _any_rolled(data: WorkbookData) -> bool:
    return any(rollup_of(line) is not None for o in data.orgs for ml in o.report.measures.values()
               for line in ml.targets)
