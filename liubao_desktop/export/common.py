"""Pieces every sheet shares: its title, header block, figure cells and notes."""
from __future__ import annotations

from decimal import Decimal

from ..domain.deadlines import measure_deadline
from ..domain.figures import FigureValue
from ..domain.plan import (
    PACE_EXPLAINED,
    PACE_LEVEL,
    PACE_QUALITATIVE,
    PACE_WORDS,
    Measure,
    Part,
    Plan,
    Target,
    chinese_numeral,
    part_heading,
)
from ..domain.progress import NOT_APPLICABLE, NOT_INVOLVED, UNDECOMPOSED, UNJUDGED, TargetProgress
from ..domain.quantities import format_number
from ..domain.words import FOLLOWS_CITY_TEXT, NOT_APPLICABLE_TEXT, UNDECOMPOSED_TEXT
from .cells import PACE_FORMAT, PERCENT_FORMAT, date_label, number_format
from .model import TargetLineLike, WorkbookData
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


def figure_cell(sw: SheetWriter, target: Target, value: FigureValue) -> object:
    """Blank stays an empty cell, 0 is the number 0, 不适用 is grey text: three answers that look different.
    A 定性 target's state (未开始 / 推进中 / 已完成) is its word."""
    if value.not_applicable:
        return sw.cell(NOT_APPLICABLE_TEXT, "na")
    if value.state is not None:
        return sw.cell(value.state, "center")
    if value.number is None:
        return sw.blank("num")
    return number_cell(sw, target, value.number)


def number_cell(sw: SheetWriter, target: Target, base: Decimal) -> object:
    """A base-unit figure in the unit the office types it in (人, 万元; a ratio shown as %): 1523 人, never
    0.1523 万人."""
    if target.is_ratio:
        return sw.cell(base, "num", PERCENT_FORMAT)
    shown = target.to_entry(base)
    return sw.cell(shown, "num", number_format(shown))


def goal_cell(sw: SheetWriter, line: TargetLineLike) -> object:
    """分解目标: the office's own goal in the entry unit; 按市级目标 when the city's goal is what counts;
    未分解 for an amount of the whole city the office has no share of; empty where no goal applies (定性,
    不适用, 不涉及 without a goal of its own). Read from the report's progress, not decided again here."""
    p = line.progress
    if line.local_target is not None:
        return number_cell(sw, line.target, line.local_target)
    if p.status == UNDECOMPOSED:
        return sw.cell(UNDECOMPOSED_TEXT, "na")
    if p.local_target is not None:  # the goal used is the city's own
        return sw.cell(FOLLOWS_CITY_TEXT, "center")
    return sw.blank("center")


def status_cell(sw: SheetWriter, status: str) -> object:
    """A judged status in its colour; 未分解 / 不适用 / 不涉及 as plain words: they judge nothing."""
    if status in UNJUDGED:
        return sw.cell(status, "center")
    return sw.cell(status, "center", status=status)


def pace_cell(sw: SheetWriter, p: TargetProgress) -> object:
    """快慢: percentage points against 序时 as a signed number; 达到 / 未达到 for a level; the state of a 定性
    target (已完成（2020年10月）); empty for an unjudged target."""
    if p.status in UNJUDGED:
        return sw.blank("center")
    if p.pace in (PACE_LEVEL, PACE_QUALITATIVE):
        return sw.cell(p.pace_text, "center")
    return sw.blank("num") if p.pace_points is None else sw.cell(p.pace_points, "num", PACE_FORMAT)


def ratio_cell(sw: SheetWriter, ratio: Decimal | None, key: str = "num") -> object:
    return sw.blank(key) if ratio is None else sw.cell(ratio, key, PERCENT_FORMAT)


def pace_legend() -> str:
    """The four 序时 rules, named as the 序时规则 column names them."""
    rules = "；".join(f"{PACE_WORDS[rule]}——{PACE_EXPLAINED[rule].rstrip('。')}" for rule in PACE_WORDS)
    return f"注：序时规则（每个指标按其一）：{rules}。"


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
        f"红——慢于序时进度超过{red}个百分点；逾期——已过完成时限仍未完成；未启动——尚未填报或定性指标未开始；"
        f"{UNDECOMPOSED}——全市总量指标未给本单位分解目标，只列数字，不算完成率、不标颜色；"
        f"{NOT_APPLICABLE}——本单位填报为不适用；{NOT_INVOLVED}——该指标不由本单位承担。后三种不作判断，不计入平均完成率。"
    )
