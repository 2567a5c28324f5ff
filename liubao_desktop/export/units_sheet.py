"""分单位: every target of a parent org (the city, an office with reporting units) against each child that reports
it — one column per child, then 合计 and 说明 — with a row of each child's 平均完成率 and one of its 报送情况.

A child's cell holds its 累计完成 (a level or a rate: its latest figure) in the unit the targets sheet uses; 缺报
when it answers for the target and reported nothing, 不涉及 when it does not answer for it, 不适用 as it said.
A rate's or a 定性 target's cell is coloured by the child's status; an amount's is not (a child may have no
分解目标, and the judgement is the parent's, on the sum).
"""
from __future__ import annotations

from ..domain.progress import NOT_INVOLVED, UNJUDGED, totals
from ..domain.rollup import COUNT, MISSING_TEXT, RANGE, SUM, ChildLine
from ..domain.words import NOT_APPLICABLE_TEXT
from .cells import PERCENT_FORMAT, date_label, number_format
from .common import figure_cell, number_cell, part_label, ratio_cell, sheet_title, status_note, who
from .model import ChildrenData, TargetLineLike, WorkbookData
from .rolled import ROLLUP_NOTE, rollup_of, total_cell
from .sheet import Column, SheetWriter

NAME = "分单位"
PAGINATED = True
CHILD_WIDTH = 9.5
OWN_TEXT = "本级填报"
FIRST_CHILD_COL = 5


def columns(data: WorkbookData) -> list[Column]:
    children = data.children.children if data.children else ()
    return [
        Column("序号", 5),
        Column("指标", 24),
        Column("计量单位", 7),
        Column("目标", 10),
        *(Column(c.name, CHILD_WIDTH) for c in children),
        Column("合计", 14),
        Column("说明", 24),
        Column("指标代码", 10, hidden=True),
    ]


def _child_cell(sw: SheetWriter, line: TargetLineLike, child: ChildLine | None) -> object:
    t = line.target
    if child is None or not child.involved:
        return sw.cell(NOT_INVOLVED, "na")
    if child.not_applicable:
        return sw.cell(NOT_APPLICABLE_TEXT, "na")
    p = child.progress
    if p.actual.is_blank:
        return sw.cell(MISSING_TEXT if not child.retired else "", "na")
    coloured = rollup_of(line) is not None and rollup_of(line).how != SUM and p.status not in UNJUDGED
    if p.actual.state is not None:
        return sw.cell(p.actual.state, "center", status=p.status if coloured else None)
    if coloured:
        shown = p.actual.number if t.is_ratio else t.to_entry(p.actual.number)
        return sw.cell(shown, "num", PERCENT_FORMAT if t.is_ratio else number_format(shown), status=p.status)
    return figure_cell(sw, t, p.actual)


def _explain(line: TargetLineLike) -> str:
    r = rollup_of(line)
    if r is None:
        return OWN_TEXT + "（下级均不涉及）"
    parts = []
    if r.how == RANGE:
        parts.append(r.count_text())
    elif r.how == COUNT:
        parts.append(r.states_text())
    if r.missing:
        parts.append(f"{MISSING_TEXT} {len(r.missing)} 个")
    if r.not_applicable:
        parts.append(f"不适用 {len(r.not_applicable)} 个")
    return "；".join(parts) or "全部填报"


def write(sw: SheetWriter, data: WorkbookData) -> None:
    kids = data.children
    assert kids is not None
    report = data.orgs[0].report
    n = len(kids.children)
    sum_col = FIRST_CHILD_COL + n
    sw.start(sheet_title(data, "分单位完成情况"),
             [f"填报单位：{who(data)}（下级 {n} 个）", "各单位为截至本月末累计完成（期末、比例类为最新一期），按“计量单位”列填列",
              f"报送日期：{date_label(data.report_date)}"],
             [[c.header for c in columns(data)]], freeze_col=FIRST_CHILD_COL)
    number = 0
    current_part = None
    for ml in report.measures.values():
        if ml.part.code != current_part and ml.targets:
            current_part = ml.part.code
            sw.keep(sw.spanning_height(part_label(ml.part)) * 3)
            sw.spanning_row(part_label(ml.part), "part", hidden=[ml.part.code])
        for line in ml.targets:
            number += 1
            t = line.target
            r = rollup_of(line)
            by_code = {c.code: c for c in r.children} if r else {}
            goal = line.progress.local_target
            sw.append([
                sw.cell(number, "center"),
                sw.cell(f"{t.code} {t.label}", "text"),
                sw.cell(t.shown_unit, "center"),
                number_cell(sw, t, goal) if goal is not None else sw.cell(t.written_text, "center"),
                *(_child_cell(sw, line, by_code.get(c.code)) if r else sw.cell("—", "na") for c in kids.children),
                total_cell(sw, line),
                sw.cell(_explain(line), "text"),
                sw.cell(t.code, "center"),
            ])
    _tail_rows(sw, data, kids, sum_col)
    sw.tail([
        "注：“缺报”为该单位承担此指标但截至本月没有填报；“不涉及”为该单位不承担此指标；合计列与“指标完成情况”表中"
        "上级单位的累计完成相同。平均完成率行为各单位自己的平均完成率（未报按0计），报送情况行为本月已报指标数／应报指标数。",
        ROLLUP_NOTE,
        status_note(data),
    ], data.preparer)


def _tail_rows(sw: SheetWriter, data: WorkbookData, kids: ChildrenData, sum_col: int) -> None:
    """合计 rows under the targets: each child's 平均完成率, then its 报送情况 for the month."""
    blank_head = [sw.blank("total") for _ in range(FIRST_CHILD_COL - 2)]
    averages = [ratio_cell(sw, kids.totals[c.code].average_all if c.code in kids.totals else None, "total_num")
                for c in kids.children]
    report = data.orgs[0].report
    parent_avg = totals((ln.progress, ln.this_period) for ml in report.measures.values()
                        for ln in ml.targets).average_all
    row = sw.append([sw.cell("合计", "total"), sw.cell("平均完成率（未报按0计）", "total"), *blank_head[1:],
                     *averages, ratio_cell(sw, parent_avg, "total_num"), sw.blank("total")])
    sw.merge(row, 2, row, FIRST_CHILD_COL - 1)
    by_code = {s.org.code: s for s in kids.submissions}
    cells = []
    for c in kids.children:
        s = by_code.get(c.code)
        if s is None:
            cells.append(sw.cell("停用", "na"))
            continue
        text = f"{s.entered}/{s.due}" + ("\n逾期" if s.late else "")
        cells.append(sw.cell(text, "total", status="逾期" if s.late else None))
    complete = sum(1 for s in kids.submissions if s.entered >= s.due)
    late = sum(1 for s in kids.submissions if s.late)
    row = sw.append([sw.blank("total"), sw.cell("报送情况（已报／应报）", "total"), *blank_head[1:], *cells,
                     sw.cell(f"报齐 {complete}/{len(kids.submissions)}", "total"),
                     sw.cell(f"逾期 {late} 个（截止 {date_label(kids.due_date)}）", "total")])
    sw.merge(row, 2, row, FIRST_CHILD_COL - 1)
