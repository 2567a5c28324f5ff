"""完成率, 序时进度 and status, always as of the END of a chosen reporting month — never as of today.

The plan ran 2020-08..2021-12; a clerk catching up on 2020-09 must see 2020-09's picture, so no function here
reads the clock. Figures are in base units (人, 元, and ratios for percentages: 0.85 for 85%).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from .figures import BLANK, FigureValue
from .figures import NOT_APPLICABLE as NA_FIGURE
from .periods import Period, periods_between
from .plan import KIND_CUMULATIVE, KIND_DONE, KIND_RATE, KIND_STOCK, Target
from .words import NOT_APPLICABLE_TEXT

DONE = "已完成"
GREEN = "绿"
YELLOW = "黄"
RED = "红"
OVERDUE = "逾期"
NOT_STARTED = "未启动"
# Same word as figures.NOT_APPLICABLE, but this one is a status string, not a FigureValue.
NOT_APPLICABLE = NOT_APPLICABLE_TEXT
# Worst first: sorting by this puts what needs attention at the top of lists and 督办 sheets.
STATUS_ORDER = (OVERDUE, RED, YELLOW, NOT_STARTED, GREEN, DONE, NOT_APPLICABLE)
STATUS_COLORS = {
    OVERDUE: "#c9302c",  # a deeper red than 红: late, not merely behind
    RED: "#d9534f",
    YELLOW: "#f0ad4e",
    GREEN: "#5cb85c",
    DONE: "#337ab7",
    NOT_STARTED: "#999999",
    NOT_APPLICABLE: "#cccccc",
}

_ONE = Decimal(1)
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Thresholds:
    """How far behind 序时进度 (in percentage points) turns a target yellow or red. A user setting."""

    red_behind_points: Decimal = Decimal(10)
    yellow_behind_points: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if self.red_behind_points < self.yellow_behind_points:
            raise ValueError("红色阈值不能小于黄色阈值：落后更多才应显示为红色。")


def status_rank(status: str) -> int:
    """Position in STATUS_ORDER: smaller is worse."""
    return STATUS_ORDER.index(status)


def average_completion(rates: Iterable[Decimal]) -> Decimal | None:
    """平均完成率 of a measure, a part or a whole report: each target weighs the same and counts at most 100%,
    so one target done five times over cannot hide the others being behind. None when no target has a rate."""
    capped = [min(rate, _ONE) for rate in rates]
    return sum(capped, Decimal(0)) / len(capped) if capped else None


def worst_status(statuses: Iterable[str]) -> str:
    return min(statuses, key=status_rank)


def deadline_passed(deadline: date, as_of: Period) -> bool:
    """Whether the deadline has come by the end of the month: a 12月31日前 target is due in the 2020-12 report."""
    return deadline <= as_of.last_day


def actual_to_date(kind: str, figures: Mapping[Period, FigureValue], as_of: Period) -> FigureValue:
    """The actual as of the end of as_of: the sum of monthly figures (累计完成) for cumulative targets, the
    latest figure for stock, rate and done targets. Months after as_of are ignored."""
    if kind not in (KIND_CUMULATIVE, KIND_STOCK, KIND_RATE, KIND_DONE):
        raise ValueError(f"未知的指标类型：{kind}")
    end = (as_of.year, as_of.month)  # plain tuples: this runs for every target of every month of an export
    known = [(p, v) for p, v in figures.items() if (p.year, p.month) <= end]
    numbers = [(p, v.number) for p, v in known if v.number is not None]
    if numbers:
        if kind == KIND_CUMULATIVE:
            return FigureValue.of(sum((n for _, n in numbers), Decimal(0)))
        return FigureValue.of(max(numbers, key=lambda pn: pn[0])[1])  # the latest month's figure
    # No number at all: 不适用 only if someone said so, otherwise nothing has been reported yet.
    if any(v.not_applicable for _, v in known):
        return NA_FIGURE
    return BLANK


def completion_rate(comparator: str, actual: Decimal, target: Decimal | None) -> Decimal | None:
    """完成率 as a ratio, not capped (over-achievement shows as more than 100%).

    >=, =, increase_by, reduce_by, done: actual / target. For increase_by and reduce_by the figure is the change
    achieved itself (压减了15% against 压减20% → 0.75); for done it is 完成程度 (0.85 against 1).
    <=: a ceiling — 1 while actual stays within it, else target / actual.
    """
    if target is None:
        return None  # no target to measure against (a qualitative target without a local share)
    if comparator == "<=":
        # Division is by actual, and only when actual > target, so a ceiling of 0 is still measurable.
        return _ONE if actual <= target else target / actual
    if comparator in (">=", "=", "increase_by", "reduce_by", "done"):
        if target.is_zero():
            return None  # a share of nothing: any ratio would be invented, so 完成率 stays empty
        return actual / target
    raise ValueError(f"未知的比较方式：{comparator}")


@lru_cache(maxsize=1024)  # a city export asks the same few windows thousands of times
def expected_to_date(window_start: date, window_end: date, as_of: Period) -> Decimal:
    """序时进度: months of the window elapsed by the end of as_of / months in the window, within [0, 1].

    Months are counted whole, partial ones included (8月15日..12月31日 is 5 months), as monthly reports count them.
    """
    months = periods_between(window_start, window_end)
    if not months:
        # A deadline before the window opens: all is due once that deadline's month is over.
        return _ONE if as_of >= Period.from_date(window_end) else Decimal(0)
    elapsed = sum(1 for p in months if p <= as_of)
    return Decimal(elapsed) / Decimal(len(months))


def pace_points(completion: Decimal, expected: Decimal) -> Decimal:
    """快慢 in percentage points: positive is ahead of 序时, negative behind."""
    return (completion - expected) * _HUNDRED


def format_points(points: Decimal, decimals: int = 1) -> str:
    """快慢 as a signed number of percentage points, rounded half-up like everything the clerk reads."""
    quantum = Decimal(1).scaleb(-decimals)
    value = points.quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{value:+}" if value != 0 else f"{abs(value)}"


def describe_pace(points: Decimal, decimals: int = 1) -> str:
    """"快于序时 3.2 个百分点", "慢于序时 3.2 个百分点", or "与序时持平" when it rounds to zero."""
    shown = abs(points).quantize(_ONE.scaleb(-decimals), rounding=ROUND_HALF_UP)
    if shown.is_zero():
        return "与序时持平"
    return f"{'快于' if points > 0 else '慢于'}序时 {shown:f} 个百分点"


def target_status(
    *,
    comparator: str,
    completion: Decimal | None,
    expected: Decimal,
    actual: FigureValue,
    deadline: date,
    as_of: Period,
    thresholds: Thresholds,
) -> str:
    """Status of one target at the end of as_of."""
    if actual.not_applicable:
        return NOT_APPLICABLE
    due = deadline_passed(deadline, as_of)
    if actual.is_blank:
        return OVERDUE if due else NOT_STARTED
    if completion is None:
        # Figures exist but there is nothing to measure them against (no target, or a target of 0):
        # work is under way and nothing shows it is late or behind.
        return GREEN
    if completion >= 1 and (comparator != "<=" or due):
        # A ceiling kept so far can still be broken later; it is only 完成 once its deadline has come.
        return DONE
    if due:
        return OVERDUE
    if comparator == "<=":
        expected = _ONE  # a ceiling binds from the first day: any excess is behind, however early
    behind = -pace_points(completion, expected)
    if behind > thresholds.red_behind_points:
        return RED
    if behind > thresholds.yellow_behind_points:
        return YELLOW
    return GREEN


def measure_status(
    target_statuses: Sequence[str],
    *,
    has_targets: bool,
    done_flag: bool,
    has_progress_text: bool,
    deadline: date | None,
    as_of: Period,
) -> str:
    """Status of a measure at the end of as_of: from its targets' statuses, or for a qualitative measure from
    the clerk's 已完成 tick, its deadline and whether 进展情况 has been written."""
    if has_targets and target_statuses:
        applicable = [s for s in target_statuses if s != NOT_APPLICABLE]
        if not applicable:
            return NOT_APPLICABLE
        started = [s for s in applicable if s != NOT_STARTED]
        if not started:
            return NOT_STARTED
        worst = worst_status(started)
        if worst == DONE and len(started) < len(applicable):
            return GREEN  # some targets done, others not begun: under way, not finished
        return worst
    if done_flag:
        return DONE
    if deadline is not None and deadline_passed(deadline, as_of):
        return OVERDUE
    return GREEN if has_progress_text else NOT_STARTED


@dataclass(frozen=True)
class TargetProgress:
    """One target's picture at the end of a month, as tables, exports and prints show it."""

    target_code: str
    local_target: Decimal | None  # the goal used, in base units (ratio 1 for done targets)
    actual: FigureValue  # 累计完成 (or latest figure) in base units
    completion: Decimal | None  # 完成率 as a ratio
    expected: Decimal  # 序时进度 as a ratio
    pace_points: Decimal | None  # 快慢 in percentage points; None without a completion rate
    status: str
    deadline: date  # the target's own deadline, or the plan's end

    @property
    def pace_text(self) -> str:
        return "" if self.pace_points is None else describe_pace(self.pace_points)


def evaluate_target(
    target: Target,
    figures: Mapping[Period, FigureValue],
    as_of: Period,
    *,
    plan_start: date,
    plan_end: date,
    local_target_base: Decimal | None,
    thresholds: Thresholds,
) -> TargetProgress:
    """Everything about one target for one org at the end of as_of. figures are monthly, in base units."""
    # done targets are stored as 完成程度 ratios (0.85 for 85%) against 100% (Target.city_goal)
    goal = local_target_base if local_target_base is not None else target.city_goal
    deadline = target.deadline or plan_end
    actual = actual_to_date(target.kind, figures, as_of)
    completion = completion_rate(target.comparator, actual.number, goal) if actual.number is not None else None
    # A ceiling binds from the first day, and so does a share (不低于50%, 百分之百复工复产: a share is a share at
    # any time). Counts, sums and the year's cut or growth (压减20%, 提升10%) build up with the calendar.
    binds_now = target.comparator == "<=" or (target.kind == KIND_RATE and target.comparator in (">=", "="))
    expected = _ONE if binds_now else expected_to_date(plan_start, deadline, as_of)
    return TargetProgress(
        target_code=target.code,
        local_target=goal,
        actual=actual,
        completion=completion,
        expected=expected,
        pace_points=None if completion is None else pace_points(completion, expected),
        status=target_status(
            comparator=target.comparator,
            completion=completion,
            expected=expected,
            actual=actual,
            deadline=deadline,
            as_of=as_of,
            thresholds=thresholds,
        ),
        deadline=deadline,
    )
