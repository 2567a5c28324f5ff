"""A task list as the subset of HTML that QTextDocument lays out: a title block, one table per group, notes.

Each group's heading is the first of the table's header rows (``<thead>``), so QTextDocument repeats it with
the column headings on every page the group runs over, and keeps it with the group's first row: Qt moves the
whole header to the next page when the first body row would not start on the current one. A heading can thus
never sit alone at the bottom of a page.
"""
from __future__ import annotations

from html import escape

from ..domain.deadlines import PARTIAL_NOTE, PLAN_END_NOTE
from ..domain.plan import pace_legend
from ..domain.progress import (
    DONE,
    GREEN,
    NOT_APPLICABLE,
    NOT_INVOLVED,
    NOT_STARTED,
    OVERDUE,
    RED,
    UNDECOMPOSED,
    YELLOW,
)
from .model import GROUP_BY_UNIT, TaskGroup, TaskList, TaskRow

# Darker than the screen colours (domain.progress.STATUS_COLORS): light yellow text is unreadable on paper
# and on a black-and-white printer every one of these still prints as a clear grey.
PRINT_STATUS_COLORS = {
    OVERDUE: "#a61b17",
    RED: "#c9302c",
    YELLOW: "#9a6700",
    GREEN: "#2e7d32",
    DONE: "#1f5f99",
    NOT_STARTED: "#555555",
    NOT_APPLICABLE: "#777777",
    UNDECOMPOSED: "#000000",  # no colour: there is nothing to judge without a 分解目标
    NOT_INVOLVED: "#777777",
}

COLUMNS = ("序号", "重点任务", "责任单位", "完成时限", "当前状态", "完成率", "签收/备注")
# Column widths in % of the table, without and with the full measure text. 签收/备注 stays wide enough to sign.
WIDTHS = (6, 30, 22, 13, 9, 8, 12)
WIDTHS_FULL_TEXT = (6, 41, 16, 11, 9, 7, 10)

BODY_PT = 9.5
SMALL_PT = 8
HEADER_PT = 8.5


# A word joiner inside keeps "（牵头）" whole at a line end: Chinese may otherwise break between any two characters.
LEAD_MARK = "（牵\u2060头）"


def _e(text: str) -> str:
    return escape(text, quote=False)


def _units_cell(row: TaskRow, group: TaskGroup, by_unit: bool) -> str:
    if not row.units:
        return '<span style="color:#555555">未列明（各级各部门）</span>'
    shown = []
    for i, unit in enumerate(row.units):
        text = _e(unit) + (LEAD_MARK if i == 0 else "")
        if by_unit and unit == group.key:
            text = f"<b>{text}</b>"  # the unit this section is for stands out among the others
        shown.append(text)
    return f'<span style="font-size:{SMALL_PT}pt">{"、".join(shown)}</span>'


def _task_cell(row: TaskRow) -> str:
    cell = f'<span style="color:#555555">{_e(row.measure_code)}</span> <b>{_e(row.title)}</b>'
    if row.text:
        cell += f'<br/><span style="font-size:{SMALL_PT}pt">{_e(row.text)}</span>'
    return cell


def _deadline_cell(row: TaskRow) -> str:
    day = row.deadline.day
    cell = f"{day.year}年<br/>{day.month}月{day.day}日前"  # two even lines, never "2021年12月 / 31日前"
    if row.deadline.note:
        cell += f'<br/><span style="font-size:{SMALL_PT - 0.5}pt; color:#555555">（{_e(row.deadline.note)}）</span>'
    return cell


def _status_cell(row: TaskRow) -> str:
    color = PRINT_STATUS_COLORS.get(row.status, "#000000")
    return f'<b><span style="color:{color}">{_e(row.status)}</span></b>'


def _group_table(group: TaskGroup, task_list: TaskList, *, first: bool, page_break: bool) -> str:
    widths = WIDTHS_FULL_TEXT if task_list.options.full_text else WIDTHS
    by_unit = task_list.options.group_by == GROUP_BY_UNIT
    style = "border-collapse:collapse; border-color:#333333; margin-top:6pt"
    if page_break and not first:
        style += "; page-break-before:always"
    heading = (
        f'<tr><td colspan="{len(COLUMNS)}" style="background-color:#e4e4e4; padding:4px">'
        f'<span style="font-size:11.5pt"><b>{_e(group.heading)}</b></span>'
        f'　<span style="font-size:{SMALL_PT}pt; color:#333333">{_e(group.summary)}</span></td></tr>'
    )
    header = "".join(
        f'<th width="{w}%" style="background-color:#f3f3f3; font-size:{HEADER_PT}pt">{_e(c)}</th>' for c, w in zip(COLUMNS, widths, strict=True)
    )
    rows = []
    for row in group.rows:
        rows.append(
            "<tr>"
            f'<td align="center">{row.seq}</td>'
            f"<td>{_task_cell(row)}</td>"
            f"<td>{_units_cell(row, group, by_unit)}</td>"
            f'<td align="center">{_deadline_cell(row)}</td>'
            f'<td align="center">{_status_cell(row)}</td>'
            f'<td align="right">{_e(row.completion_text)}</td>'
            "<td></td>"
            "</tr>"
        )
    return (
        f'<table width="100%" border="1" cellspacing="0" cellpadding="4" style="{style}">'
        f"<thead>{heading}<tr>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _title_block(task_list: TaskList) -> str:
    day = task_list.printed_on
    period = task_list.period
    block = (
        f'<p align="center" style="font-size:15pt; margin-bottom:2pt"><b>{_e(task_list.plan_title)}</b></p>'
        f'<p align="center" style="font-size:13pt; margin-top:0; margin-bottom:2pt"><b>重点任务清单</b></p>'
        f'<p align="center" style="margin-top:0; margin-bottom:6pt">{_e(task_list.doc_number)}</p>'
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td width="28%">填报单位：{_e(task_list.office)}</td>'
        f'<td width="44%" align="center">报告期：{period.label}（状态截至{period.month}月{period.last_day.day}日）</td>'
        f'<td width="28%" align="right">打印日期：{day.year}年{day.month}月{day.day}日</td>'
        "</tr></table>"
        f'<p style="font-size:{SMALL_PT}pt; color:#333333; margin-top:3pt">{_e(task_list.filter_text)}；'
        f"共 {task_list.measure_count} 项重点任务</p>"
    )
    if task_list.sample_data:
        block += (
            '<p style="color:#c9302c"><b>示例数据：</b>本清单的状态和完成率来自演示用的示例数据，不是真实填报。</p>'
        )
    return block


def _notes(task_list: TaskList) -> str:
    period = task_list.period
    end = task_list.plan_end
    return (
        f'<p style="font-size:{SMALL_PT}pt; color:#333333; margin-top:8pt">说明：1. 完成时限取该任务及其指标中最早的期限；'
        f"注“{PLAN_END_NOTE}”的，方案原文未写期限，按方案有效期至{end.year}年{end.month}月{end.day}日；"
        f"注“{PARTIAL_NOTE}”的，只有部分指标或事项是这个期限，其余较晚。"
        f"2. 当前状态按{period.label}月末计算：红为落后序时进度超过阈值，逾期为已过期限仍未完成。"
        "3. 完成率为该任务各项应报指标完成率的平均值（单项最高按100%计，未填报的按0计，定性指标已完成按100%计）；"
        "“—”表示没有可计算完成率的指标。“未分解”为市级总量指标尚未设本单位分解目标，不计完成率、不评状态；"
        f"“不涉及”为不由本单位承担的指标。4. 序时规则——{pace_legend()}"
        f"{'5. 没有列明责任单位的任务（组织保障部分）单列在“未列明责任单位”下。' if task_list.options.group_by == GROUP_BY_UNIT else ''}"
        "</p>"
    )


def task_list_html(task_list: TaskList, *, family: str, page_break: bool = False) -> str:
    """The whole task list as HTML for QTextDocument. ``page_break`` starts every group on a new page."""
    body = [_title_block(task_list)]
    if task_list.is_empty:
        body.append(
            '<table width="100%" border="1" cellspacing="0" cellpadding="12" style="border-collapse:collapse;'
            f' margin-top:12pt"><tr><td align="center"><b>{_e(task_list.empty_message)}</b></td></tr></table>'
        )
    else:
        for i, group in enumerate(task_list.groups):
            body.append(_group_table(group, task_list, first=i == 0, page_break=page_break))
        body.append(_notes(task_list))
    family_css = family.replace("'", "")
    return (
        "<html><head><meta charset=\"utf-8\"/></head>"
        f"<body style=\"font-family:'{family_css}'; font-size:{BODY_PT}pt\">{''.join(body)}</body></html>"
    )
