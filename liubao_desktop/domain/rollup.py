"""A parent org's figures computed from its children's — never typed: sums, ranges and counts.

The city's line of a target is made from its offices' lines (an office's from the units it assigned the target
to), each child judged by the ordinary rules first (``domain.progress``). How a target rolls up follows from
what it measures (``how_rolled``):

- SUM — an amount of the whole city (援助就业1.4万人, 仓容166万吨): the children's 累计完成 (or latest 期末数) add
  up in base units, and the parent is judged on that sum against its own goal. A child with nothing reported is
  listed as 缺报, never counted as 0 (the sum is then of those who reported, and says so).
- RANGE — a rate, a share, a cut or a figure per unit (不低于50%, 压减20%, 每个卫生院2名): each child is judged
  against the goal itself; the parent shows the lowest and highest figure and how many children meet the goal.
  No average is made of them: 45% and 62% do not make a city rate of 53.5%.
- COUNT — a 定性 target (清零, 全覆盖): how many children have done it, k / n 已完成.

A RANGE or COUNT target's status is the children's statuses combined like a measure's (``combined_status``):
已完成 only when every child has it done (or meets the rate), otherwise the worst judged status of those that have
begun — 逾期, then 红, 黄, 绿 — and 未启动 while none has. Such a target adds the share of children meeting it to a
平均完成率 (k / n), a SUM target its own completion as usual.

Children that answer 不涉及 for a target are left out of it; 不适用 children are listed but count neither as
reported figures nor against the goal. Pure: no clock, no database.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from .figures import BLANK, FigureValue, figure_text
from .figures import NOT_APPLICABLE as NA_FIGURE
from .periods import Period
from .plan import PACE_QUALITATIVE, REACH_ABSOLUTE, Target
from .progress import (
    DONE,
    GREEN,
    NOT_APPLICABLE,
    NOT_INVOLVED,
    NOT_STARTED,
    UNDECOMPOSED,
    UNJUDGED,
    TargetProgress,
    Thresholds,
    evaluate_target,
    worst_status,
)
from .quantities import format_percent
from .words import STATE_DONE, STATES

SUM = "sum"
RANGE = "range"
COUNT = "count"
RANGE_DASH = "–"  # an en dash: 45.0%–62.0%
NAMES_SHOWN = 3  # a remark names this many missing children, then "等 n 个"

MISSING_TEXT = "缺报"


def how_rolled(target: Target) -> str:
    """SUM for an amount of the whole city, COUNT for a 定性 target, RANGE for rates, shares, cuts and per-unit
    figures (everything that applies to each office as written)."""
    if target.is_done:
        return COUNT
    if target.reach == REACH_ABSOLUTE:
        return SUM
    return RANGE


@dataclass(frozen=True)
class ChildLine:
    """One child's line of one target, as the child's own report has it."""

    code: str
    name: str
    progress: TargetProgress
    this_period: FigureValue  # the child's entry for the month (base units)
    retired: bool = False  # a unit no longer reporting: its figures count, its silence does not

    @property
    def involved(self) -> bool:
        return self.progress.status != NOT_INVOLVED

    @property
    def not_applicable(self) -> bool:
        return self.progress.actual.not_applicable

    @property
    def missing(self) -> bool:
        """Involved and nothing reported up to the month (a retired unit is never missing)."""
        return self.involved and self.progress.actual.is_blank and not self.retired

    @property
    def entered(self) -> bool:
        """An entry for the month itself (or a 定性 target done before): the child has reported it."""
        return self.progress.answered(self.this_period)

    @property
    def meets(self) -> bool:
        """The child meets the goal: its completion reaches 100%, or its 定性 target is done."""
        p = self.progress
        if p.pace == PACE_QUALITATIVE:
            return p.done_in is not None
        return p.completion is not None and p.completion >= 1


@dataclass(frozen=True)
class RollUp:
    """What a parent's line of one target is made of."""

    how: str  # SUM, RANGE, COUNT
    children: tuple[ChildLine, ...]  # every child asked, involved or not, in the parent's order

    # -- who ----------------------------------------------------------------------------------------------------
    @property
    def involved(self) -> tuple[ChildLine, ...]:
        return tuple(c for c in self.children if c.involved and not (c.retired and c.progress.actual.is_blank))

    @property
    def counted(self) -> tuple[ChildLine, ...]:
        """Involved children that do not answer 不适用: n in k / n."""
        return tuple(c for c in self.involved if not c.not_applicable)

    @property
    def missing(self) -> tuple[ChildLine, ...]:
        return tuple(c for c in self.involved if c.missing)

    @property
    def not_applicable(self) -> tuple[ChildLine, ...]:
        return tuple(c for c in self.involved if c.not_applicable)

    @property
    def reporting(self) -> tuple[ChildLine, ...]:
        """Counted children with a figure (or a state) up to the month."""
        return tuple(c for c in self.counted if not c.progress.actual.is_blank)

    @property
    def meeting(self) -> tuple[ChildLine, ...]:
        return tuple(c for c in self.counted if c.meets)

    @property
    def all_entered(self) -> bool:
        """Every involved child has an entry for the month: the parent's target counts as reported (已报)."""
        return bool(self.involved) and all(c.entered for c in self.involved)

    # -- how much ------------------------------------------------------------------------------------------------
    @property
    def total(self) -> Decimal | None:
        """SUM: the reporting children's 累计完成 (or latest 期末数) added up, base units; None when none reported."""
        numbers = [c.progress.actual.number for c in self.counted if c.progress.actual.number is not None]
        return sum(numbers, Decimal(0)) if numbers else None

    @property
    def period_total(self) -> Decimal | None:
        """SUM: the month's entries added up, base units; None when no child entered a number this month."""
        numbers = [c.this_period.number for c in self.counted if c.this_period.number is not None]
        return sum(numbers, Decimal(0)) if numbers else None

    def span(self, this_month: bool = False) -> tuple[Decimal, Decimal] | None:
        """RANGE: the lowest and highest latest figure (or the month's entries), base units."""
        values = [(c.this_period if this_month else c.progress.actual).number for c in self.counted]
        numbers = [v for v in values if v is not None]
        return (min(numbers), max(numbers)) if numbers else None

    # -- in words ------------------------------------------------------------------------------------------------
    def range_text(self, target: Target, this_month: bool = False) -> str:
        """"45.0%–62.0%" (one figure when all are the same), "" when no child has a figure."""
        span = self.span(this_month)
        if span is None:
            return ""
        low, high = (_shown(target, v) for v in span)
        return low if low == high else f"{low}{RANGE_DASH}{high}"

    def count_text(self) -> str:
        """COUNT: "3/13 已完成"; RANGE: "9/12 达标"."""
        n = len(self.counted)
        word = "已完成" if self.how == COUNT else "达标"
        return f"{len(self.meeting)}/{n} {word}"

    def summary_text(self, target: Target) -> str:
        """The parent's figure in one cell: the sum, the range with the count, or the count."""
        if self.how == SUM:
            return figure_text(target, self.total) if self.total is not None else ""
        if self.how == RANGE:
            span = self.range_text(target)
            return f"{span}（{self.count_text()}）" if span else self.count_text()
        return self.count_text()

    def states_text(self) -> str:
        """COUNT: the children's latest states counted, "已完成 2，推进中 6，未开始 1，缺报 1"."""
        counts: dict[str, int] = {}
        for c in self.counted:
            word = MISSING_TEXT if c.missing else (STATE_DONE if c.meets else c.progress.actual.state or "")
            counts[word] = counts.get(word, 0) + 1
        order = (*STATES[::-1], MISSING_TEXT)
        return "，".join(f"{w} {counts[w]}" for w in order if counts.get(w))

    def remark(self) -> str:
        """Who the figure comes from and who is missing: "汇总 13 个单位；缺报 2：天心区、岳麓区"."""
        parts = [f"汇总 {len(self.involved)} 个单位"]
        if self.missing:
            parts.append(f"{MISSING_TEXT} {len(self.missing)}：{names(self.missing)}")
        if self.not_applicable:
            parts.append(f"不适用 {len(self.not_applicable)}：{names(self.not_applicable)}")
        return "；".join(parts)


def names(children: Sequence[ChildLine]) -> str:
    shown = "、".join(c.name for c in children[:NAMES_SHOWN])
    return shown + (f"等 {len(children)} 个" if len(children) > NAMES_SHOWN else "")


def _shown(target: Target, base: Decimal) -> str:
    if target.is_ratio:
        return format_percent(base)
    return figure_text(target, base)


def combined_status(statuses: Iterable[str]) -> str:
    """Children's statuses of one target combined, as a measure combines its targets': the worst of those begun,
    已完成 only when all are done, 绿 when some are done and others not begun, 未启动 while none has begun;
    the reason (未分解, 不适用, 不涉及) when none is judged."""
    statuses = list(statuses)
    judged = [s for s in statuses if s not in UNJUDGED]
    if not judged:
        for reason in (UNDECOMPOSED, NOT_APPLICABLE, NOT_INVOLVED):
            if reason in statuses:
                return reason
        return NOT_INVOLVED
    started = [s for s in judged if s != NOT_STARTED]
    if not started:
        return NOT_STARTED
    worst = worst_status(started)
    if worst == DONE and len(started) < len(judged):
        return GREEN
    return worst


@dataclass(frozen=True)
class RolledProgress(TargetProgress):
    """A parent's progress on one target, computed from its children; ``rollup`` says how."""

    rollup: RollUp | None = None

    def answered(self, this_month: FigureValue) -> bool:
        return self.rollup.all_entered if self.rollup is not None else super().answered(this_month)

    @property
    def score(self) -> Decimal | None:
        """A RANGE or COUNT target adds the share of children meeting it (k / n); a SUM target its completion."""
        r = self.rollup
        if r is None or r.how == SUM or self.status in UNJUDGED:
            return super().score
        return Decimal(len(r.meeting)) / Decimal(len(r.counted)) if r.counted else None

    @property
    def pace_text(self) -> str:
        r = self.rollup
        if r is None or r.how == SUM or self.status in UNJUDGED:
            return super().pace_text
        return r.count_text() if r.how == RANGE else r.states_text()


def _rolled(base: TargetProgress, rollup: RollUp) -> RolledProgress:
    return RolledProgress(**{f.name: getattr(base, f.name) for f in fields(TargetProgress)}, rollup=rollup)


def roll_target(target: Target, children: Sequence[ChildLine], as_of: Period, *, plan_start: date, plan_end: date,
                goal: Decimal | None, answers_for_city: bool, thresholds: Thresholds,
                involved: bool = True) -> tuple[RolledProgress, FigureValue]:
    """The parent's progress and its 本期完成 for one target, from its children's lines.

    ``goal``: the parent's own 分解目标 (base units), None when it follows the city's (the city itself, or a
    relative target). ``answers_for_city``: the parent is the city. ``involved``: False when the parent itself
    answers 不涉及 for the target."""
    how = how_rolled(target)
    rollup = RollUp(how, tuple(children))
    counted = rollup.counted
    if how == SUM:
        total = rollup.total
        if total is not None:
            series = {as_of: FigureValue.of(total)}
        elif rollup.involved and not counted:
            series = {as_of: NA_FIGURE}  # every involved child answers 不适用
        else:
            series = {}
        base = evaluate_target(target, series, as_of, plan_start=plan_start, plan_end=plan_end,
                               local_target_base=goal, thresholds=thresholds, involved=involved,
                               answers_for_city=answers_for_city)
        period_total = rollup.period_total
        this_period = BLANK if period_total is None else FigureValue.of(period_total)
        return _rolled(base, rollup), this_period
    deadline = target.deadline or plan_end
    if not involved or not rollup.involved:
        status = NOT_INVOLVED
    elif not counted:
        status = NOT_APPLICABLE
    else:
        status = combined_status(c.progress.status for c in counted)
    expected = next((c.progress.expected for c in counted if c.progress.expected is not None), None)
    done_in = None
    if how == COUNT and counted and len(rollup.meeting) == len(counted):
        done_in = max(c.progress.done_in for c in counted if c.progress.done_in is not None)
    local = None if how == COUNT else (goal if goal is not None else target.city_goal)
    progress = RolledProgress(target.code, local, BLANK, None, expected if status not in UNJUDGED else None, None,
                              status, deadline, target.pace, done_in, rollup=rollup)
    return progress, BLANK


def report_due_date(period: Period, due_day: int) -> date:
    """The day a month's report is due: ``due_day`` of the next month (每月5日前 → 2020-09's on 2020-10-05),
    the next month's last day when it is shorter."""
    following = period.next()
    return date(following.year, following.month, min(due_day, following.last_day.day))
