"""完成时限 of a measure: one rule for the window, the workbook and the printed task list.

The date is the earliest on which the measure, or one of its targets, is due. Where the plan gives no date the
plan's end date applies (marked 方案期限, as the status rules also count it); where only part of the measure is
due on that date it is marked 部分任务.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .plan import Measure

PLAN_END_NOTE = "方案期限"
PARTIAL_NOTE = "部分任务"


@dataclass(frozen=True)
class Deadline:
    """A measure's 完成时限: the day, with a note when it is the plan's end (方案期限) or only part of the tasks' (部分任务)."""

    day: date
    note: str = ""  # "", PLAN_END_NOTE or PARTIAL_NOTE

    @property
    def text(self) -> str:
        return f"{self.day.year}年{self.day.month}月{self.day.day}日前"

    @property
    def label(self) -> str:
        """"2020年12月31日前（部分任务）": the date with its note, for one-line cells."""
        return f"{self.text}（{self.note}）" if self.note else self.text


def measure_deadline(measure: Measure, plan_end: date) -> Deadline:
    """The earliest date the measure (or one of its targets) is due."""
    explicit = [d for d in (measure.deadline, *(t.deadline for t in measure.targets)) if d is not None]
    if not explicit:
        return Deadline(plan_end, PLAN_END_NOTE)
    first = min(explicit)
    # A target without a date of its own runs to the plan's end, as the status rules have it.
    every = [t.deadline or plan_end for t in measure.targets]
    if measure.deadline is not None:
        every.append(measure.deadline)
    return Deadline(first, "" if all(d == first for d in every) else PARTIAL_NOTE)
