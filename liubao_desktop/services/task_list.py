"""The rows of a printed task list (任务清单 / 督办单): which measures, in which groups, with which status.

Pure data, no Qt: the printing layer turns a ``TaskList`` into pages, a test or another format can read it as
it is. Statuses and 完成率 come from the same ``ProgressReport`` the window and the workbook use, as of the end
of the chosen month.

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
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..domain.deadlines import Deadline, measure_deadline
from ..domain.periods import Period
from ..domain.plan import Measure, Plan, part_heading
from ..domain.progress import OVERDUE, RED
from ..domain.quantities import format_percent
from .ledger import Ledger
from .progress_report import MeasureLine, ProgressReport, build_report
from .sample_data import is_sample_database

GROUP_BY_UNIT = "unit"
GROUP_BY_PART = "part"
GROUPINGS = (GROUP_BY_UNIT, GROUP_BY_PART)
NO_UNIT = "未列明责任单位"
LATE_STATUSES = (OVERDUE, RED)  # what "只看红/逾期" keeps
LEAD = "牵头"
SUPPORT = "配合"
NO_RATE = "—"



@dataclass(frozen=True)
class TaskListOptions:
    group_by: str = GROUP_BY_UNIT
    unit: str | None = None  # only the measures of this responsible unit (NO_UNIT for those without one)
    only_late: bool = False  # only 红 and 逾期
    full_text: bool = False  # the measure's full original text under its title

    def __post_init__(self) -> None:
        if self.group_by not in GROUPINGS:
            raise ValueError(f"分组方式应为 unit（按责任单位）或 part（按部分），而不是“{self.group_by}”。")


@dataclass(frozen=True)
class TaskRow:
    seq: int  # 序号 within its group, from 1
    measure_code: str  # "1.3"
    part_heading: str  # "一、保居民就业"
    title: str
    text: str  # the rest of the original text after the title; "" unless full text was asked for
    units: tuple[str, ...]  # as the plan lists them; the first is 牵头
    role: str  # LEAD or SUPPORT for the group's unit in a by-unit list, else ""
    deadline: Deadline
    status: str
    completion: Decimal | None

    @property
    def lead_unit(self) -> str | None:
        return self.units[0] if self.units else None

    @property
    def completion_text(self) -> str:
        return NO_RATE if self.completion is None else format_percent(self.completion)


@dataclass(frozen=True)
class TaskGroup:
    key: str  # the unit's name, or the part's code
    heading: str  # "市财政局" or "一、保居民就业"
    rows: tuple[TaskRow, ...]

    @property
    def summary(self) -> str:
        """"共 12 项（牵头 3 项、配合 9 项），红 1 项、逾期 2 项"."""
        text = f"共 {len(self.rows)} 项"
        lead = sum(1 for r in self.rows if r.role == LEAD)
        if any(r.role for r in self.rows):
            text += f"（牵头 {lead} 项、配合 {len(self.rows) - lead} 项）"
        late = [f"{s} {n} 项" for s in (RED, OVERDUE) if (n := sum(1 for r in self.rows if r.status == s))]
        return text + ("，" + "、".join(late) if late else "")


@dataclass(frozen=True)
class TaskList:
    plan_title: str
    plan_short_title: str
    doc_number: str
    office: str  # the 填报单位 whose figures give the statuses
    period: Period
    printed_on: date
    options: TaskListOptions
    groups: tuple[TaskGroup, ...] = ()
    sample_data: bool = False  # the database holds 示例数据: the paper must say so
    plan_end: date = field(default=date(2021, 12, 31))

    @property
    def row_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    @property
    def measure_count(self) -> int:
        """Distinct measures: in a by-unit list one measure appears under each of its units."""
        return len({r.measure_code for g in self.groups for r in g.rows})

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def filter_text(self) -> str:
        """What was chosen, in words, for the page and for the "nothing found" message."""
        parts = ["按责任单位分组" if self.options.group_by == GROUP_BY_UNIT else "按方案部分分组"]
        if self.options.unit:
            parts.append(f"责任单位：{self.options.unit}")
        if self.options.only_late:
            parts.append("只列红色和逾期任务")
        return "；".join(parts)

    @property
    def empty_message(self) -> str:
        return f"没有符合条件的任务（{self.filter_text}；{self.office} {self.period.label}）。"


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
    raise ValueError(f"方案中没有责任单位“{unit}”。可选的单位有：{'、'.join(known)}、{NO_UNIT}。")


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

