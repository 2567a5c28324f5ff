"""What a chart shows, as plain data (no Qt): services build it from the progress report, ``printing/chart.py``
paints it — on the window's 进度 tab and into the PNG the written report carries — so both draw the same numbers.

Values are exact ``Decimal``s as the report has them; only the painter turns them into pixels.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..domain.progress import DONE, GREEN, NOT_STARTED, OVERDUE, RED, STATUS_COLORS, YELLOW

# The statuses a chart counts (judged ones only: 未分解, 不适用 and 不涉及 carry no colour), best last as in a legend.
CHART_STATUSES = (OVERDUE, RED, YELLOW, NOT_STARTED, GREEN, DONE)
CHART_COLORS: Mapping[str, str] = {s: STATUS_COLORS[s] for s in CHART_STATUSES}


@dataclass(frozen=True)
class PartBar:
    """One part (领域): 平均完成率 and 平均序时进度 (ratios) and its measures counted by status."""

    label: str  # "保居民就业"
    average: Decimal | None
    expected: Decimal | None
    statuses: Mapping[str, int]


@dataclass(frozen=True)
class PartChart:
    """平均完成率 vs 序时进度 per part, and the measures' statuses: the report's figure and 汇总's chart."""

    title: str
    parts: tuple[PartBar, ...]

    @property
    def empty(self) -> bool:
        return not self.parts


@dataclass(frozen=True)
class TargetChart:
    """One target month by month: 累计完成 (or the latest figure) against the 序时 line and the goal, in the unit
    the office types (entry unit; % for rates)."""

    title: str
    unit: str
    months: tuple[str, ...]  # "8月", "9月" …
    actual: tuple[Decimal | None, ...]  # None: nothing reported up to that month
    expected: tuple[Decimal | None, ...]  # the 序时 line: goal × 序时进度; None where the rule has none
    goal: Decimal | None  # the goal line; None when 未分解 or 定性
    note: str = ""  # why a line is missing (未分解, 定性…)

    @property
    def has_numbers(self) -> bool:
        return any(v is not None for v in self.actual)


@dataclass(frozen=True)
class StatusChart:
    """A measure's or a part's targets counted by status at the end of each month (stacked bars)."""

    title: str
    months: tuple[str, ...]
    counts: tuple[Mapping[str, int], ...]
    note: str = ""
