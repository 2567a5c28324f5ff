"""What a workbook is made from.

The export layer sits below services, so it does not import the report classes: it names the attributes it
reads (the Protocols below). ``services.progress_report``'s TargetLine, MeasureLine and ProgressReport fit them.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

from ..domain.figures import FigureValue
from ..domain.narrative import Narrative
from ..domain.orgs import Org
from ..domain.periods import Period
from ..domain.plan import Measure, Part, Plan, Target
from ..domain.progress import TargetProgress, Thresholds, Totals


class TargetLineLike(Protocol):
    @property
    def target(self) -> Target: ...
    @property
    def this_period(self) -> FigureValue: ...  # 本期完成, base units
    @property
    def note(self) -> str: ...
    @property
    def local_target(self) -> Decimal | None: ...  # 分解目标, base units; None follows the city
    @property
    def progress(self) -> TargetProgress: ...


class MeasureLineLike(Protocol):
    @property
    def measure(self) -> Measure: ...
    @property
    def part(self) -> Part: ...
    @property
    def status(self) -> str: ...
    @property
    def narrative(self) -> Narrative: ...
    @property
    def targets(self) -> Sequence[TargetLineLike]: ...


class ReportLike(Protocol):
    """One org at the end of one month."""

    @property
    def org(self) -> Org: ...
    @property
    def period(self) -> Period: ...
    @property
    def measures(self) -> Mapping[str, MeasureLineLike]: ...  # in plan order


@dataclass(frozen=True)
class MonthLines:
    """Every target of one org as of the end of one month (a row each in 明细)."""

    period: Period
    lines: Sequence[TargetLineLike]


@dataclass(frozen=True)
class OrgExport:
    report: ReportLike  # the chosen month: 汇总, 指标完成情况, 工作进展
    history: Sequence[MonthLines] = ()  # the plan's months up to the chosen one, oldest first: 明细


class SubmissionLike(Protocol):
    """One child's 报送情况 for the month (``services.submissions.Submission`` fits)."""

    @property
    def org(self) -> Org: ...
    @property
    def due(self) -> int: ...  # targets it answers for
    @property
    def entered(self) -> int: ...  # of them entered for the month
    @property
    def missing(self) -> Sequence[str]: ...  # codes of the targets not entered
    @property
    def state_text(self) -> str: ...  # 已报送 / 部分报送（k/n） / 未报送
    @property
    def late(self) -> bool: ...
    @property
    def late_text(self) -> str: ...  # 逾期 3 天 / 否 / 未到截止日
    @property
    def last_entry(self) -> date | None: ...


@dataclass(frozen=True)
class ChildrenData:
    """What a parent org's workbook adds about its children (the city's offices, an office's units): the 分单位
    and 报送情况 sheets. The figures themselves are in each line's ``progress.rollup`` (domain/rollup.py)."""

    children: Sequence[Org]  # the columns of 分单位, in order
    submissions: Sequence[SubmissionLike]
    totals: Mapping[str, Totals]  # each child's own totals for the month, by code
    due_day: int  # 每月N日前
    due_date: date
    today: date  # the day 逾期 is judged on


@dataclass(frozen=True)
class WorkbookData:
    plan: Plan
    period: Period
    orgs: Sequence[OrgExport]
    report_date: date  # 报送日期
    thresholds: Thresholds = field(default_factory=Thresholds)
    preparer: str = ""  # 填表人, when the office has set one
    sample_data: bool = False  # the database holds 示例数据: every title says so
    app_version: str = ""
    children: ChildrenData | None = None  # one parent org exported: its children's columns and 报送情况

    @property
    def multi_org(self) -> bool:
        return len(self.orgs) > 1
