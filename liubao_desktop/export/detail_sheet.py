"""明细: a flat table for the city's own pivot tables — one row per org × month × target, with stable codes.

Values are in each target's entry unit (人, 万元; rates as ratios shown in %), the unit every office types the
target in, so rows from many districts add up; a 定性 target's rows carry its state as a word.
"""
from __future__ import annotations

from openpyxl.utils import get_column_letter

from ..domain.progress import NOT_INVOLVED, UNDECOMPOSED
from ..domain.words import NOT_APPLICABLE_TEXT, NOT_REPORTED_TEXT, REPORTED_TEXT
from .cells import PACE_FORMAT
from .common import figure_cell, header_block, number_cell, pace_legend, ratio_cell, sheet_title, status_cell
from .model import TargetLineLike, WorkbookData
from .rolled import note_text, rollup_of
from .sheet import Column, SheetWriter

NAME = "明细"
COLUMNS = [
    Column("方案代码", 17),
    Column("单位代码", 9),
    Column("单位名称", 12),
    Column("报告期", 9),
    Column("领域代码", 7),
    Column("领域", 18),
    Column("措施代码", 7),
    Column("指标代码", 8),
    Column("指标", 28),
    Column("计量单位", 8),
    Column("本期完成", 13),
    Column("累计完成", 13),
    Column("目标值", 13),
    Column("目标来源", 9),
    Column("完成率", 8),
    Column("序时规则", 15),
    Column("序时进度", 8),
    Column("快慢（百分点）", 15),  # one line: the city's pivot tables know the column by this name
    Column("状态", 7),
    Column("本期填报", 7),
    Column("备注", 14),
]
HEADERS = [c.header for c in COLUMNS]

FILLED, UNFILLED = REPORTED_TEXT, NOT_REPORTED_TEXT


def goal_source(line: TargetLineLike) -> str:
    """目标来源: where the goal in 目标值 comes from, or why there is none."""
    p = line.progress
    if line.target.is_done:
        return "定性"
    if line.local_target is not None:
        return "本地分解"
    if p.status in (UNDECOMPOSED, NOT_INVOLVED):
        return p.status
    return "市级目标" if p.local_target is not None else ""


def write(sw: SheetWriter, data: WorkbookData) -> str:
    """Writes the sheet; returns the range for the autofilter (header and data rows)."""
    sw.start(sheet_title(data, "指标明细"), header_block(data, "见“计量单位”列，比例以百分比显示"), [HEADERS],
             freeze_col=4)
    header_row = sw.row_no
    plan_code = data.plan.code
    parts = {m.code: p for p in data.plan.parts for m in p.measures}
    measure_of = {t.code: m.code for m in data.plan.measures() for t in m.targets}
    for org in data.orgs:
        o = org.report.org
        for month in org.history:
            period = str(month.period)
            for line in month.lines:
                t, p = line.target, line.progress
                part = parts[measure_of[t.code]]
                this = line.this_period
                sw.append([
                    sw.cell(plan_code, "text"),
                    sw.cell(o.code, "text"),
                    sw.cell(o.name, "text"),
                    sw.cell(period, "center"),
                    sw.cell(part.code, "center"),
                    sw.cell(part.title, "text"),
                    sw.cell(measure_of[t.code], "center"),
                    sw.cell(t.code, "center"),
                    sw.cell(t.label, "text"),
                    sw.cell(t.shown_unit, "center"),
                    figure_cell(sw, t, this),
                    figure_cell(sw, t, p.actual),
                    sw.blank("num") if p.local_target is None else number_cell(sw, t, p.local_target),
                    sw.cell(goal_source(line), "center"),
                    ratio_cell(sw, p.completion),
                    sw.cell(t.pace_word, "center"),
                    ratio_cell(sw, p.expected),
                    sw.blank("num") if p.pace_points is None else sw.cell(p.pace_points, "num", PACE_FORMAT),
                    status_cell(sw, p.status),
                    sw.cell(_entered(line), "center"),
                    sw.cell(note_text(line, summary=True), "text"),
                ])
    last = sw.row_no
    autofilter = f"A{header_row}:{get_column_letter(len(COLUMNS))}{max(last, header_row)}"
    sw.tail([
        "注：本表为逐月明细，供汇总和数据透视使用：数值按“计量单位”列的单位（各单位填报所用单位，人、万元等；"
        "比例为小数，显示为百分比），定性指标为其状态；“本期填报”区分已填报、未填报（空白）和不适用；"
        "代码列在各期报表之间保持不变。",
        pace_legend(),
    ], data.preparer)
    return autofilter


def _entered(line: TargetLineLike) -> str:
    """本期填报: 已填报, 未填报 or 不适用; a figure rolled up from children is 已填报 once every child entered it."""
    this = line.this_period
    if rollup_of(line) is not None:
        return FILLED if line.progress.answered(this) else UNFILLED
    return NOT_APPLICABLE_TEXT if this.not_applicable else UNFILLED if this.is_blank else FILLED
