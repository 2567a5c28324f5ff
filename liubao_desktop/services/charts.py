"""The charts' data, from the same report the workbook and the window read (printing/chart_model.py's shapes).

``part_chart``: 平均完成率 and 平均序时进度 per part with the measures' statuses — the written report's figure
and the numbers the workbook's 汇总 chart is drawn from. ``target_chart`` and ``status_chart``: the window's 进度
tab, one target or a group of targets month by month (``services.rollup.org_history``).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..domain.periods import Period
from ..domain.plan import PACE_LINEAR, PACE_QUALITATIVE, Target
from ..domain.progress import UNDECOMPOSED
from ..domain.report_sentences import average_expected
from ..printing.chart_model import CHART_STATUSES, PartBar, PartChart, StatusChart, TargetChart
from .progress_report import ProgressReport, lines_totals

if TYPE_CHECKING:  # export/ brings openpyxl in: the window must not pay for it to draw a chart
    from ..export.model import MonthLines


def month_label(period: Period, first: Period) -> str:
    """"9月"; the year too on the first month and on every January: "2021年1月"."""
    return period.label if period == first or period.month == 1 else f"{period.month}月"


def part_chart(report: ProgressReport) -> PartChart:
    groups: dict[str, list] = {}
    for ml in report.measures.values():
        groups.setdefault(ml.part.code, []).append(ml)
    bars = []
    for lines in groups.values():
        targets = [t for ml in lines for t in ml.targets]
        counts = Counter(ml.status for ml in lines)
        bars.append(PartBar(
            label=lines[0].part.title,
            average=lines_totals(targets).average_all,
            expected=average_expected(t.progress for t in targets),
            statuses={s: counts.get(s, 0) for s in CHART_STATUSES},
        ))
    return PartChart(f"{report.org.name}各领域平均完成率与序时进度（{report.period.label}）", tuple(bars))


def _shown(target: Target, base: Decimal | None) -> Decimal | None:
    """A base-unit figure in the unit the office types (% for a rate)."""
    return None if base is None else target.to_entry(base)


def target_chart(history: Sequence[MonthLines], code: str) -> TargetChart:
    """One target over the months of ``history``: 累计完成 (the latest 期末数 for a stock or a rate), the 序时 line
    (goal × 序时进度, only where the target runs with the calendar) and the goal, in its entry unit."""
    lines = [next(ln for ln in month.lines if ln.target.code == code) for month in history]
    first = history[0].period if history else None
    target = lines[-1].target if lines else None
    if target is None or first is None:
        return TargetChart("", "", (), (), (), None, "没有数据")
    months = tuple(month_label(m.period, first) for m in history)
    title = f"{target.code} {target.label}"
    if target.pace == PACE_QUALITATIVE:
        return TargetChart(title, "", months, tuple(None for _ in months), tuple(None for _ in months), None,
                           "定性指标没有数值，请看下方的状态图")
    actual = tuple(_shown(target, ln.progress.actual.number) for ln in lines)
    last = lines[-1].progress
    goal = _shown(target, last.local_target)
    expected: tuple[Decimal | None, ...] = tuple(
        _shown(target, ln.progress.local_target * ln.progress.expected)
        if target.pace == PACE_LINEAR and ln.progress.local_target is not None and ln.progress.expected is not None
        else None for ln in lines)
    note = ""
    if last.status == UNDECOMPOSED:
        note = "尚未下达分解目标：只画累计完成，没有目标线和序时线"
    elif goal is not None and target.pace != PACE_LINEAR:
        note = f"本指标按“{target.pace_word}”判断：没有逐月序时线，以目标线为准"
    return TargetChart(title, target.shown_unit, months, actual, expected, goal, note)


def status_chart(history: Sequence[MonthLines], codes: Iterable[str], title: str) -> StatusChart:
    """The targets named counted by status at the end of each month of ``history``."""
    wanted = set(codes)
    first = history[0].period if history else None
    months, counts = [], []
    for month in history:
        assert first is not None
        months.append(month_label(month.period, first))
        c = Counter(ln.progress.status for ln in month.lines if ln.target.code in wanted)
        counts.append({s: c.get(s, 0) for s in CHART_STATUSES})
    note = "只计作判断的指标：未分解、不适用、不涉及的不计"
    return StatusChart(title, tuple(months), tuple(counts), note)
