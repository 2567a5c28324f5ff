"""What a printed task list (任务清单 / 督办单) is made of: its groups, rows and the options that chose them.

Plain frozen data, no Qt: ``services.task_list`` builds a ``TaskList`` from a progress report and the rest of
this package turns it into pages. Printing sits below services (the import contracts in pyproject.toml say
so), so these types live here, beside the code that reads them, as ``export/model.py`` does for the workbook;
``services.task_list`` re-exports them, so ``from liubao_desktop.services.task_list import TaskList`` keeps
working.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..domain.deadlines import Deadline
from ..domain.periods import Period
from ..domain.progress import OVERDUE, RED
from ..domain.quantities import format_percent

GROUP_BY_UNIT = "unit"
GROUP_BY_PART = "part"
GROUPINGS = (GROUP_BY_UNIT, GROUP_BY_PART)
NO_UNIT = "未列明责任单位"
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
