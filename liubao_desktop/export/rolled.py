"""Cells of a line computed from children (domain/rollup.py): a sum is a number like any other; a rate's range
("45.0%–62.0%") and a 定性 target's count ("3/13 已完成") are words; 备注 says where the figure comes from."""
from __future__ import annotations

from ..domain.progress import UNJUDGED
from ..domain.rollup import COUNT, RANGE, RolledProgress, RollUp
from .common import figure_cell, pace_cell
from .model import TargetLineLike
from .sheet import SheetWriter

ROLLUP_NOTE = (
    "注：上级单位的数字由下级汇总，不直接填报。总量指标（人、万元、个等）为各下级累计完成（期末类为最新一期）之和，"
    "未填报的下级列为“缺报”，不按0计；比例、比率、压减和人均类指标不求平均，“本期完成”“累计完成”列出各下级的最低值–最高值，"
    "“快慢”列写达标个数（达标／应报），完成率空白；定性指标“累计完成”列写已完成个数，“快慢”列写各状态的单位数。这两类指标的状态：全部下级达标（已完成）为"
    "“已完成”，否则取已开展下级中最差的状态（逾期、红、黄、绿），均未开展为“未启动”；计入平均完成率的是达标下级所占比例。"
    "没有下级承担的指标（如市本级）为本级填报。"
)


def rollup_of(line: TargetLineLike) -> RollUp | None:
    p = line.progress
    return p.rollup if isinstance(p, RolledProgress) else None


def period_cell(sw: SheetWriter, line: TargetLineLike) -> object:
    """本期完成: a sum as a number; the range of the month's entries of a rate; empty for a count."""
    r = rollup_of(line)
    if r is None or r.how not in (RANGE, COUNT):
        return figure_cell(sw, line.target, line.this_period)
    return sw.cell(r.range_text(line.target, this_month=True) if r.how == RANGE else "", "center")


def total_cell(sw: SheetWriter, line: TargetLineLike) -> object:
    """累计完成: a sum as a number; a rate's range of latest figures; a 定性 target's "k/n 已完成"."""
    r = rollup_of(line)
    if r is None or r.how not in (RANGE, COUNT):
        return figure_cell(sw, line.target, line.progress.actual)
    return sw.cell(r.range_text(line.target) if r.how == RANGE else r.count_text(), "center")


def note_text(line: TargetLineLike, *, summary: bool = False) -> str:
    """备注: where a rolled figure comes from and who is missing, then the org's own note. ``summary`` puts the
    range or count first (明细, whose figure columns stay numeric)."""
    r = rollup_of(line)
    if r is None:
        return line.note
    parts = [r.summary_text(line.target)] if summary and r.how in (RANGE, COUNT) else []
    parts.append(r.remark())
    if line.note:
        parts.append(line.note)
    return "；".join(p for p in parts if p)


def rolled_pace_cell(sw: SheetWriter, line: TargetLineLike) -> object:
    """快慢: for a rate rolled up, how many children meet it ("9/12 达标"); for a 定性 target, their states."""
    r = rollup_of(line)
    if r is None or r.how == "sum" or line.progress.status in UNJUDGED:
        return pace_cell(sw, line.progress)
    return sw.cell(line.progress.pace_text, "center")
