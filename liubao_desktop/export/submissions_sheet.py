"""报送情况: for the month, each child's reported targets (k of n), whether it is late, and its last entry date.

Late is judged on the day the workbook gives (``ChildrenData.today``) against the month's due day (每月N日前 → the
Nth of the next month, that day included); a complete report is never late (see services/submissions.py).
"""
from __future__ import annotations

from decimal import Decimal

from ..domain.progress import OVERDUE
from .cells import PERCENT_FORMAT, date_label
from .common import sheet_title, who
from .model import WorkbookData
from .sheet import Column, SheetWriter

NAME = "报送情况"
PAGINATED = True
MISSING_SHOWN = 12  # target codes listed in 未报指标 before "等 n 项"

COLUMNS = [
    Column("序号", 5),
    Column("单位", 22),
    Column("应报指标\n（个）", 9),
    Column("已报\n（个）", 8),
    Column("报送率", 8),
    Column("报送情况", 19),
    Column("截止日期", 14),
    Column("是否逾期", 11),
    Column("最近填报日期", 14),
    Column("未报指标（代码）", 37),
    Column("单位代码", 10, hidden=True),
]


def _missing(codes: list[str]) -> str:
    shown = "、".join(codes[:MISSING_SHOWN])
    return shown + (f" 等 {len(codes)} 项" if len(codes) > MISSING_SHOWN else "")


def write(sw: SheetWriter, data: WorkbookData) -> None:
    kids = data.children
    assert kids is not None
    due = date_label(kids.due_date)
    sw.start(sheet_title(data, "下级报送情况"),
             [f"填报单位：{who(data)}", f"报送要求：每月{kids.due_day}日前报上月数据（本期截止 {due}）",
              f"统计日期：{date_label(kids.today)}"],
             [[c.header for c in COLUMNS]], freeze_col=3)
    for i, s in enumerate(kids.submissions, 1):
        sw.append([
            sw.cell(i, "center"),
            sw.cell(s.org.name, "text"),
            sw.cell(s.due, "num"),
            sw.cell(s.entered, "num"),
            sw.blank("num") if not s.due else sw.cell(_ratio(s.entered, s.due), "num", PERCENT_FORMAT),
            sw.cell(s.state_text, "center"),
            sw.cell(due, "center"),
            sw.cell(s.late_text, "center", status=OVERDUE if s.late else None),
            sw.cell(date_label(s.last_entry) if s.last_entry else "", "center"),
            sw.cell(_missing(list(s.missing)), "text"),
            sw.cell(s.org.code, "center"),
        ])
    complete = sum(1 for s in kids.submissions if s.entered >= s.due)
    partly = sum(1 for s in kids.submissions if 0 < s.entered < s.due)
    late = sum(1 for s in kids.submissions if s.late)
    sw.append([sw.cell("合计", "total"), sw.cell(f"{len(kids.submissions)} 个单位", "total"),
               sw.cell(sum(s.due for s in kids.submissions), "total_num"),
               sw.cell(sum(s.entered for s in kids.submissions), "total_num"), sw.blank("total_num"),
               sw.cell(f"报齐 {complete} 个，部分 {partly} 个", "total"), sw.blank("total"),
               sw.cell(f"逾期 {late} 个", "total"), sw.blank("total"), sw.blank("total")])
    sw.tail([
        "注：已报为本月有填报的指标（数字、状态或“不适用”；定性指标此前已完成的也算已报），应报指标为该单位承担的指标"
        "（不含“不涉及”）；由下级汇总的指标，全部下级填报后才算已报。报送情况：全部已报为“已报送”，部分已报为"
        "“部分报送（已报／应报）”，一项未报为“未报送”。",
        f"注：本期截止日期为 {due}（每月{kids.due_day}日前报上月，含当日）。统计日期已过截止日期仍未报齐的为“逾期”，"
        "括号内为逾期天数；已报齐的不算逾期。最近填报日期为该单位（含其下级单位）最后一次保存本月数据的日期，"
        "事后更正也会改变这一日期，仅供参考。",
    ], data.preparer)


def _ratio(k: int, n: int) -> Decimal:
    return Decimal(k) / Decimal(n)
