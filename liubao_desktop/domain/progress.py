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
from .plan import (
    KIND_CUMULATIVE,
    KIND_DONE,
    KIND_RATE,
    KIND_STOCK,
    PACE_FROM_START,
    PACE_LEVEL,
    PACE_QUALITATIVE,
    REACH_ABSOLUTE,
    Target,
)
from .words import (
    NOT_APPLICABLE_TEXT,
    NOT_INVOLVED_TEXT,
    NOT_REACHED_TEXT,
    REACHED_TEXT,
    STATE_IN_PROGRESS,
    STATE_NOT_STARTED,
    UNDECOMPOSED_TEXT,
)

DONE = "已完成"
GREEN = "绿"
YELLOW = "黄"
RED = "红"
OVERDUE = "逾期"
NOT_STARTED = "未启动"
# Same word as figures.NOT_APPLICABLE, but this one is a status string, not a FigureValue.
NOT_APPLICABLE = NOT_APPLICABLE_TEXT
UNDECOMPOSED = UNDECOMPOSED_TEXT  # figures shown, but no rate and no colour: the office has no 分解目标
NOT_INVOLVED = NOT_INVOLVED_TEXT
# Worst first: sorting by this puts what needs attention at the top of lists and 督办 sheets.
STATUS_ORDER = (OVERDUE, RED, YELLOW, NOT_STARTED, GREEN, DONE, UNDECOMPOSED, NOT_APPLICABLE, NOT_INVOLVED)
# Statuses that carry no judgement: they take no colour and stay out of every average.
UNJUDGED = frozenset({UNDECOMPOSED, NOT_APPLICABLE, NOT_INVOLVED})
STATUS_COLORS = {
    OVERDUE: "#c9302c",  # a deeper red than 红: late, not merely behind
    RED: "#d9534f",
    YELLOW: "#f0ad4e",
    GREEN: "#5cb85c",
    DONE: "#337ab7",
    NOT_STARTED: "#999999",
    NOT_APPLICABLE: "#cccccc",
    UNDECOMPOSED: "#ffffff",  # no colour on purpose: a rate against the whole city would mislead
    NOT_INVOLVED: "#e6e6e6",
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
    states = [(p, v) for p, v in known if v.state is not None]
    if states:
        return max(states, key=lambda pv: pv[0])[1]  # a 定性 target: the latest state stands
    numbers = [(p, v.number) for p, v in known if v.number is not None]
    if numbers:
        if kind == KIND_CUMULATIVE:
            return FigureValue.of(sum((n for _, n in numbers), Decimal(0)))
        return FigureValue.of(max(numbers, key=lambda pn: pn[0])[1])  # the latest month's figure
    # No number at all: 不适用 only if someone said so, otherwise nothing has been reported yet.
    if any(v.not_applicable for _, v in known):
        return NA_FIGURE
    return BLANK


def done_in(figures: Mapping[Period, FigureValue], as_of: Period) -> Period | None:
    """The month a 定性 target was done: the first 已完成 of the run of them that ends at as_of's state."""
    month: Period | None = None
    for p in sorted(p for p in figures if p <= as_of):
        v = figures[p]
        if v.state is None:
            continue
        month = (month or p) if v.is_done_state else None
    return month


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
        applicable = [s for s in target_statuses if s not in UNJUDGED]
        if not applicable:
            # Nothing to judge: say why, the most useful reason first.
            for reason in (UNDECOMPOSED, NOT_APPLICABLE, NOT_INVOLVED):
                if reason in target_statuses:
                    return reason
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
    local_target: Decimal | None  # the goal used, in base units; None: no goal (定性, 未分解, 不涉及)
    actual: FigureValue  # 累计完成 (or latest figure, or the latest 定性 state) in base units
    completion: Decimal | None  # 完成率 as a ratio
    expected: Decimal | None  # 序时进度 as a ratio; None where the rule has no 序时 line (定性, 未分解, 不涉及)
    pace_points: Decimal | None  # 快慢 in percentage points; None without a completion rate
    status: str
    deadline: date  # the target's own deadline, or the plan's end
    pace: str = PACE_FROM_START  # the target's 序时 rule (plan.PACE_*)
    done_in: Period | None = None  # a 定性 target: the month it was done

    @property
    def pace_text(self) -> str:
        """快慢 as words: against 序时, or 达到/未达到 for a level, the state of a 定性 target."""
        if self.status in UNJUDGED:
            return ""
        if self.pace == PACE_QUALITATIVE:
            if self.done_in is not None:
                return f"已完成（{self.done_in.label}）"
            return self.actual.state or ""
        if self.pace == PACE_LEVEL and self.completion is not None:
            return REACHED_TEXT if self.completion >= 1 else NOT_REACHED_TEXT
        return "" if self.pace_points is None else describe_pace(self.pace_points)

    def answered(self, this_month: FigureValue) -> bool:
        """Whether the month counts as reported (已报): an entry for it — a number, a state or 不适用 — or a 定性
        target done before. A rolled-up target (domain/rollup.py) answers only when every child entered."""
        return not this_month.is_blank or self.done_in is not None

    @property
    def score(self) -> Decimal | None:
        """What the target adds to a 平均完成率: its rate capped at 100%, 1 or 0 for a 定性 target, 0 while
        nothing is reported; None when it is not judged (未分解, 不适用, 不涉及)."""
        if self.status in UNJUDGED:
            return None
        if self.pace == PACE_QUALITATIVE:
            return _ONE if self.done_in is not None else Decimal(0)
        return Decimal(0) if self.completion is None else min(self.completion, _ONE)


def _unjudged(target: Target, actual: FigureValue, status: str, deadline: date, pace: str) -> TargetProgress:
    return TargetProgress(target.code, None, actual, None, None, None, status, deadline, pace)


def evaluate_target(
    target: Target,
    figures: Mapping[Period, FigureValue],
    as_of: Period,
    *,
    plan_start: date,
    plan_end: date,
    local_target_base: Decimal | None,
    thresholds: Thresholds,
    involved: bool = True,
    answers_for_city: bool = True,
) -> TargetProgress:
    """Everything about one target for one office at the end of as_of. figures are monthly, in base units.

    ``involved``: False makes the target 不涉及 for the office. ``answers_for_city``: the office answers for the
    city's own amount (the city itself); below the city an amount is measured only against a 分解目标.
    """
    deadline = target.deadline or plan_end
    pace = target.pace
    actual = actual_to_date(target.kind, figures, as_of)
    if not involved:
        return _unjudged(target, actual, NOT_INVOLVED, deadline, pace)
    if actual.not_applicable:
        return _unjudged(target, actual, NOT_APPLICABLE, deadline, pace)
    if pace == PACE_QUALITATIVE:
        return _qualitative(target, figures, actual, as_of, deadline)
    goal = local_target_base
    if goal is None and (answers_for_city or target.reach != REACH_ABSOLUTE):
        goal = target.city_goal
    if goal is None:
        return _unjudged(target, actual, UNDECOMPOSED, deadline, pace)
    completion = completion_rate(target.comparator, actual.number, goal) if actual.number is not None else None
    # A ceiling, a share and a level bind from the first month; counts, sums, the year's cut or growth and levels
    # built up by a date run with the calendar.
    expected = expected_to_date(plan_start, deadline, as_of) if pace not in (PACE_FROM_START, PACE_LEVEL) else _ONE
    status = target_status(comparator=target.comparator, completion=completion, expected=expected, actual=actual,
                           deadline=deadline, as_of=as_of, thresholds=thresholds)
    if pace == PACE_LEVEL and status == DONE and not deadline_passed(deadline, as_of):
        status = GREEN  # a level reached must still be held: 已完成 only once its deadline has come
    return TargetProgress(
        target_code=target.code,
        local_target=goal,
        actual=actual,
        completion=completion,
        expected=expected,
        pace_points=None if completion is None else pace_points(completion, expected),
        status=status,
        deadline=deadline,
        pace=pace,
    )


def _qualitative(target: Target, figures: Mapping[Period, FigureValue], actual: FigureValue, as_of: Period,
                 deadline: date) -> TargetProgress:
    """A 定性 target: 已完成 from the month it was done, 逾期 when its deadline passed first, 绿 while 推进中,
    未启动 before anything or while 未开始."""
    month = done_in(figures, as_of)
    if month is not None:
        status = DONE
    elif deadline_passed(deadline, as_of):
        status = OVERDUE
    elif actual.state == STATE_IN_PROGRESS:
        status = GREEN
    else:
        status = NOT_STARTED  # blank or 未开始
    assert actual.state in (None, STATE_NOT_STARTED, STATE_IN_PROGRESS) or month is not None
    return TargetProgress(target.code, None, actual, None, None, None, status, deadline, PACE_QUALITATIVE, month)


@dataclass(frozen=True)
class Totals:
    """应报 / 已报 / 报送率 and the two averages of a set of targets for one month — honest about gaps.

    应报: targets the office answers for (not 不涉及). 已报: those with an entry for the month (a number, a state
    or 不适用; a 定性 target done earlier counts as reported). 平均完成率 counts every judged target, unreported
    ones as 0; the average over the 已报 targets only is kept beside it and labelled so."""

    due: int
    reported: int
    average_all: Decimal | None
    average_reported: Decimal | None

    @property
    def report_rate(self) -> Decimal | None:
        return Decimal(self.reported) / Decimal(self.due) if self.due else None


def totals(lines: Iterable[tuple[TargetProgress, FigureValue]]) -> Totals:
    """Totals of (progress, the month's own entry) pairs."""
    due = reported = 0
    scores: list[Decimal] = []
    reported_scores: list[Decimal] = []
    for progress, this_month in lines:
        if progress.status == NOT_INVOLVED:
            continue
        due += 1
        answered = progress.answered(this_month)
        reported += answered
        score = progress.score
        if score is None:
            continue
        scores.append(score)
        if answered:  # the same targets as 已报, so the two figures side by side can be read together
            reported_scores.append(score)
    return Totals(due, reported, _mean(scores), _mean(reported_scores))


def _mean(values: Sequence[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None
