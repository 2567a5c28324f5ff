"""The rows of a printed task list (任务清单 / 督办单): which measures, in which groups, with which status.

Pure data, no Qt: the types (``TaskList`` and its parts) live in ``printing.model``, beside the printing code
that turns them into pages; a test or another format can read a list as it is. Statuses and 完成率 come from
the same ``ProgressReport`` the window and the workbook use, as of the end of the chosen month.

Choices a reader of the paper should know about (the printed page says them in its notes):

* 完成时限 is the earliest date anything in the measure is due: the measure's own deadline or its targets'.
  Where the plan names no date, the plan's end date (2021-12-31) is shown and marked 方案期限 — that is the date
  the status rules use for such targets, so the paper and the status column agree. "长期" would hide that.
  Where only some targets carry the earliest date, the cell is marked 部分任务.
* Measures that name no responsible unit (part 七、加强组织保障 asks 各级各部门) are grouped under
  未列明责任单位 at the end of a by-unit list rather than left out: a meeting must still see them.
* 完成率 of a measure is the average of its targets' 完成率; a measure without targets has none ("—").
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..domain.deadlines import measure_deadline
from ..domain.names import unknown_name
from ..domain.periods import Period
from ..domain.plan import Measure, Plan, part_heading
from ..domain.progress import OVERDUE, RED
from ..printing.model import (
    GROUP_BY_PART,
    GROUP_BY_UNIT,
    GROUPINGS,
    LEAD,
    NO_RATE,
    NO_UNIT,
    SUPPORT,
    TaskGroup,
    TaskList,
    TaskListOptions,
    TaskRow,
)
from .ledger import Ledger
from .progress_report import MeasureLine, ProgressReport, build_report
from .sample_data import is_sample_database

# The types of a task list live in printing.model (printing sits below services); they are re-exported here
# so that the services' callers need one import for building a list and for the names it is made of.
__all__ = [
    "GROUPINGS", "GROUP_BY_PART", "GROUP_BY_UNIT", "LATE_STATUSES", "LEAD", "NO_RATE", "NO_UNIT", "SUPPORT",
    "TaskGroup", "TaskList", "TaskListOptions", "TaskRow", "build_task_list", "check_unit", "group_lines",
    "remaining_text", "select_lines", "task_list_from_report",
]

LATE_STATUSES = (OVERDUE, RED)  # what "只看红/逾期" keeps


def remaining_text(measure: Measure) -> str:
    """The original text without its title sentence, which the list already prints in bold."""
    text = measure.text.strip()
    if text.startswith(measure.title):
        text = text[len(measure.title):].lstrip("。；;，, ")
    return text


def check_unit(plan: Plan, unit: str) -> str:
    name = unit.strip()
    known = plan.units()
    if name in known or name == NO_UNIT:
        return name
    raise ValueError(unknown_name("责任单位", unit, [*known, NO_UNIT]))


def _row(line: MeasureLine, seq: int, role: str, options: TaskListOptions, plan_end: date) -> TaskRow:
    m = line.measure
    return TaskRow(
        seq=seq,
        measure_code=m.code,
        part_heading=part_heading(line.part),
        title=m.title,
        text=remaining_text(m) if options.full_text else "",
        units=m.units,
        role=role,
        deadline=measure_deadline(m, plan_end),
        status=line.status,
        completion=line.average_completion,
    )


def select_lines(report: ProgressReport, options: TaskListOptions) -> list[MeasureLine]:
    """The measures the options keep, in plan order."""
    lines = list(report.measures.values())
    if options.unit:
        if options.unit == NO_UNIT:
            lines = [ln for ln in lines if not ln.measure.units]
        else:
            lines = [ln for ln in lines if options.unit in ln.measure.units]
    if options.only_late:
        lines = [ln for ln in lines if ln.status in LATE_STATUSES]
    return lines


def group_lines(plan: Plan, lines: Sequence[MeasureLine], options: TaskListOptions) -> list[TaskGroup]:
    plan_end = plan.effective_to
    groups: list[TaskGroup] = []
    if options.group_by == GROUP_BY_PART:
        for part in plan.parts:
            mine = [ln for ln in lines if ln.part.code == part.code]
            if mine:
                rows = tuple(_row(ln, i, "", options, plan_end) for i, ln in enumerate(mine, 1))
                groups.append(TaskGroup(part.code, part_heading(part), rows))
        return groups
    units = [options.unit] if options.unit else [*plan.units(), NO_UNIT]
    for unit in units:
        if unit == NO_UNIT:
            mine = [(ln, "") for ln in lines if not ln.measure.units]
        else:
            mine = [(ln, LEAD if ln.measure.lead_unit == unit else SUPPORT) for ln in lines if unit in ln.measure.units]
        if mine:
            rows = tuple(_row(ln, i, role, options, plan_end) for i, (ln, role) in enumerate(mine, 1))
            groups.append(TaskGroup(unit, unit, rows))
    return groups


def task_list_from_report(
    plan: Plan,
    report: ProgressReport,
    options: TaskListOptions,
    *,
    printed_on: date,
    sample_data: bool = False,
) -> TaskList:
    """Select and group the measures of a progress report. Raises ValueError for a unit the plan does not name."""
    if options.unit:
        options = TaskListOptions(options.group_by, check_unit(plan, options.unit), options.only_late,
                                  options.full_text)
    groups = group_lines(plan, select_lines(report, options), options)
    return TaskList(
        plan_title=plan.title,
        plan_short_title=plan.short_title,
        doc_number=plan.doc_number,
        office=report.org.name,
        period=report.period,
        printed_on=printed_on,
        options=options,
        groups=tuple(groups),
        sample_data=sample_data,
        plan_end=plan.effective_to,
    )


def build_task_list(
    ledger: Ledger,
    org_code: str,
    period: Period,
    options: TaskListOptions | None = None,
    *,
    printed_on: date | None = None,
) -> TaskList:
    """The task list of an office for a month, as the print preview and ``main.py tasks`` print it.

    ``printed_on`` defaults to today: it is the date on the paper, never the date statuses are computed for.
    """
    if period not in ledger.periods:
        first, last = ledger.periods[0], ledger.periods[-1]
        raise ValueError(f"{period.label}不在方案的执行期内（{first.label}至{last.label}）。")
    report = build_report(ledger, org_code, period)
    return task_list_from_report(
        ledger.plan, report, options or TaskListOptions(),
        printed_on=printed_on or date.today(),
        sample_data=is_sample_database(ledger),
    )

