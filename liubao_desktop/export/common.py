"""Pieces every sheet shares: its title, header block, figure cells and notes."""
from __future__ import annotations

from decimal import Decimal

from ..domain.deadlines import measure_deadline
from ..domain.figures import NOT_APPLICABLE_TEXT, FigureValue
from ..domain.plan import Measure, Part, Plan, Target, chinese_numeral, part_heading
from ..domain.quantities import format_number
from .cells import (
    PERCENT_FORMAT,
    date_label,
    is_ratio_target,
    number_format,
    to_written_unit,
)
from .model import WorkbookData
from .sheet import SheetWriter

SAMPLE_MARK = "【示例数据】"


def who(data: WorkbookData) -> str:
    if data.multi_org:
        return f"{len(data.orgs)}个单位"
    return data.orgs[0].report.org.name


def sheet_title(data: WorkbookData, name: str) -> str:
    mark = SAMPLE_MARK if data.sample_data else ""
    return f"{mark}{data.plan.short_title}{name}（{who(data)}，{data.period.label}）"


def header_block(data: WorkbookData, unit_note: str) -> list[str]:
    if data.multi_org:
        org_text = "、".join(o.report.org.name for o in data.orgs[:3]) + f"等{len(data.orgs)}个单位"
    else:
        org_text = data.orgs[0].report.org.name
    return [f"填报单位：{org_text}", f"计量单位：{unit_note}", f"报送日期：{date_label(data.report_date)}"]


def part_label(part: Part) -> str:
    return part_heading(part)


def measure_label(measure: Measure) -> str:
    return f"（{chinese_numeral(measure.seq)}）{measure.title}"


# 责任单位 columns: wide enough that the longest lead in the plan with its mark, "市人力资源社会保障局（牵头）"
# (14 characters of 10.5 pt, 14 px each at 96 dpi, plus the cell's padding), stays on one line in Excel and
# WPS (8 px a width unit with 宋体): a line never breaks inside "（牵头）".
UNITS_WIDTH = 26


def units_text(measure: Measure) -> str:
    """责任单位 with the lead first and marked: "市人力资源社会保障局（牵头）、市教育局"."""
    if not measure.units:
        return ""
    return "、".join([f"{measure.units[0]}（牵头）", *measure.units[1:]])


def deadline_text(measure: Measure, plan: Plan) -> str:
    """完成时限 by the one rule the window and the printed list also use."""
    return measure_deadline(measure, plan.effective_to).label


def figure_cell(sw: SheetWriter, target: Target, value: FigureValue, *, written: bool = True) -> object:
    """Blank stays an empty cell, 0 is the number 0, 不适用 is grey text: three answers that look different."""
    if value.not_applicable:
        return sw.cell(NOT_APPLICABLE_TEXT, "na")
    if value.number is None:
        return sw.blank("num")
    return number_cell(sw, target, value.number, written=written)


def number_cell(sw: SheetWriter, target: Target, base: Decimal, *, written: bool = True) -> object:
    if is_ratio_target(target):
        return sw.cell(base, "num", PERCENT_FORMAT)
    shown = to_written_unit(target, base) if written else base
    return sw.cell(shown, "num", number_format(shown))


def ratio_cell(sw: SheetWriter, ratio: Decimal | None, key: str = "num") -> object:
    return sw.blank(key) if ratio is None else sw.cell(ratio, key, PERCENT_FORMAT)


def status_note(data: WorkbookData) -> str:
    red = format_number(data.thresholds.red_behind_points)
    yellow_points = data.thresholds.yellow_behind_points
    yellow = format_number(yellow_points)
    if yellow_points > 0:
        green_text = f"慢于序时进度不超过{yellow}个百分点或快于序时进度"
        yellow_text = f"慢于序时进度{yellow}至{red}个百分点"
    else:
        green_text = "达到或快于序时进度"
        yellow_text = f"慢于序时进度，但不超过{red}个百分点"
    return (
        f"注：状态按{data.period.label}末计算。已完成——达到目标；绿——{green_text}；黄——{yellow_text}；"
        f"红——慢于序时进度超过{red}个百分点；逾期——已过完成时限仍未完成；未启动——尚未填报；不适用——本单位不涉及。"
    )
