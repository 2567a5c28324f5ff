"""The sentences of the monthly written report (关于…六保任务落实情况的报告), made from one target's line by rules.

Nothing here guesses: every number a sentence says is a figure, a goal, a rate or a count of the progress report
(domain/progress.py), written the way a Chinese report writes it — units as the office types them (人, 万元, %),
万 or 亿 where the plan itself writes 万 or 亿 and the number is exactly that many, rates to one decimal. A target the
office is not involved in (不涉及) says nothing at all.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .figures import FigureValue
from .periods import Period
from .plan import KIND_CUMULATIVE, PACE_LEVEL, PACE_QUALITATIVE, Target
from .progress import (
    DONE,
    GREEN,
    NOT_APPLICABLE,
    NOT_INVOLVED,
    NOT_STARTED,
    OVERDUE,
    RED,
    UNDECOMPOSED,
    UNJUDGED,
    YELLOW,
    TargetProgress,
)
from .quantities import SCALES, convert, format_percent, strip_trailing_zeros
from .rollup import COUNT, RANGE, SUM, RolledProgress
from .words import STATE_IN_PROGRESS

# The statuses the opening paragraph counts, in the words a report uses for them.
STATUS_WORDS = ((DONE, "已完成"), (GREEN, "进度正常（绿色）"), (YELLOW, "稍慢于序时（黄色）"),
                (RED, "明显滞后（红色）"), (OVERDUE, "逾期未完成"), (NOT_STARTED, "尚未启动"))
MAX_SCALED_DECIMALS = 4  # 1.5231万人 is exact; a number needing more decimals stays in its entry unit
_TENTH = Decimal("0.1")


def plain_number(value: Decimal) -> str:
    """A number as a report writes it: no thousands separators, no trailing zeros (1523, 12500.5, 0)."""
    return f"{strip_trailing_zeros(value):f}"


def _scaled_unit(target: Target, bases: Sequence[Decimal]) -> str | None:
    """The plan's 万 or 亿 unit when every number of the sentence reads exactly in it (at most 4 decimals) and the
    largest is at least one of it; else None (the entry unit). One unit per sentence: never 7724公顷 beside
    1.7862万公顷."""
    written = target.unit or ""
    scale = SCALES.get(written[:1])
    if scale is None or target.base_unit is None or target.is_ratio or not bases:
        return None
    if max(abs(b) for b in bases) < scale:
        return None
    for b in bases:
        scaled = convert(b, target.base_unit, written)
        if -scaled.as_tuple().exponent > MAX_SCALED_DECIMALS:  # type: ignore[operator]
            return None
    return written


def quantity_text(target: Target, base: Decimal, *, together: Sequence[Decimal] = ()) -> str:
    """A figure (base units) in words: "1523人", "2582万元", "1.5231万人", "3.1406亿元", "25.1%" (one decimal).

    Counts and money are in the unit the office types (人, 万元); when the plan writes the target in 万 or 亿, the
    numbers of the sentence (``base`` and ``together``) are written in that unit if each is exact in it to 4
    decimals and the largest is at least one 万 (or 亿)."""
    if target.is_ratio:
        return format_percent(base)
    unit = _scaled_unit(target, [base, *together])
    if unit is not None:
        assert target.base_unit is not None
        return f"{plain_number(convert(base, target.base_unit, unit))}{unit}"
    return f"{plain_number(target.to_entry(base))}{target.entry_unit}"


def goal_text(target: Target, base: Decimal, *, together: Sequence[Decimal] = ()) -> str:
    """A goal (base units): as quantity_text, but a rate as exact as it is set (50%, 12.5%), not rounded."""
    if target.is_ratio:
        return f"{plain_number(target.to_entry(base))}%"
    return quantity_text(target, base, together=together)


def rate_text(ratio: Decimal) -> str:
    """A 完成率 or 报送率 to one decimal: "108.8%"."""
    return format_percent(ratio)


def points_text(points: Decimal) -> str:
    """快慢 against 序时进度: "快于序时进度68.8个百分点", "慢于…", "与序时进度持平" (one decimal, half up)."""
    shown = abs(points).quantize(_TENTH, rounding=ROUND_HALF_UP)
    if shown.is_zero():
        return "与序时进度持平"
    return f"{'快于' if points > 0 else '慢于'}序时进度{shown:f}个百分点"


def month_word(period: Period, report: Period) -> str:
    """"8月" within the report's year, "2020年12月" in another."""
    return f"{period.month}月" if period.year == report.year else period.label


def as_of_words(period: Period) -> str:
    """"截至9月底"."""
    return f"截至{period.month}月底"


def _date_words(progress: TargetProgress) -> str:
    d = progress.deadline
    return f"{d.year}年{d.month}月{d.day}日"


def _goal_words(target: Target, local: Decimal | None) -> str:
    """分解目标 when the office has its own share, else 目标 (the plan's own, which binds each office as written)."""
    return "分解目标" if local is not None else "目标"


@dataclass(frozen=True)
class Sentence:
    """One generated sentence and the target it speaks of; ``status`` is the target's, for the paragraph order."""

    target_code: str
    text: str
    status: str


def target_sentence(target: Target, progress: TargetProgress, local: Decimal | None, period: Period, *,
                    lead: bool = True) -> Sentence | None:
    """The sentence of one target at the end of ``period``; None when the office is not involved (不涉及).
    ``lead`` puts "截至9月底，" in front (the first sentence of a measure's paragraph)."""
    status = progress.status
    if status == NOT_INVOLVED:
        return None
    rollup = progress.rollup if isinstance(progress, RolledProgress) else None
    if rollup is not None and rollup.how in (RANGE, COUNT):
        body = _rolled_clause(target, progress)
    else:
        body = _clause(target, progress, local, period)
        if rollup is not None and rollup.how == SUM and rollup.missing:
            body += f"（{len(rollup.missing)}个单位缺报）"
    prefix = f"{as_of_words(period)}，" if lead else ""
    return Sentence(target.code, f"{prefix}{target.label}{body}。", status)


def _clause(target: Target, p: TargetProgress, local: Decimal | None, period: Period) -> str:
    """What follows the target's label, without the full stop."""
    actual: FigureValue = p.actual
    if p.status == NOT_APPLICABLE:
        return "不适用于本单位"
    if p.pace == PACE_QUALITATIVE:
        if p.done_in is not None:
            return f"已完成（{month_word(p.done_in, period)}）"
        if p.status == OVERDUE:
            return f"尚未完成，已超过完成时限（{_date_words(p)}）"
        if actual.state == STATE_IN_PROGRESS:
            return "正在推进"
        return "尚未启动"
    if actual.number is None:
        if p.status == OVERDUE:
            return f"尚未填报完成情况，已超过完成时限（{_date_words(p)}）"
        return "尚未填报完成情况"
    both = [actual.number] if p.local_target is None else [actual.number, p.local_target]
    figure = quantity_text(target, actual.number, together=both)
    if p.status == UNDECOMPOSED or p.local_target is None:
        verb = "累计完成" if target.kind == KIND_CUMULATIVE else "为"
        reason = "（尚未下达分解目标）" if p.status == UNDECOMPOSED else ""
        return f"{verb}{figure}{reason}"
    goal = goal_text(target, p.local_target, together=both)
    goal_words = _goal_words(target, local)
    c = target.comparator
    if c == "<=":
        if p.completion is not None and p.completion >= 1:
            return f"为{figure}，未超过{goal_words}上限{goal}"
        return f"为{figure}，超过{goal_words}上限{goal}"
    if c in ("reduce_by", "increase_by"):
        word = "压减" if c == "reduce_by" else "提升"
        text = f"{figure}，完成{word}{goal}{goal_words}的{rate_text(p.completion)}" if p.completion is not None \
            else f"{figure}"
        return text + _pace_tail(p)
    if p.pace == PACE_LEVEL:
        reached = p.completion is not None and p.completion >= 1
        if reached:
            return f"期末为{figure}，达到{goal_words}{goal}"
        return f"期末为{figure}，未达到{goal_words}{goal}（为{goal_words}的{rate_text(p.completion)}）"
    if target.is_ratio:
        comparator = "不低于" if c == ">=" else ""
        if p.completion is not None and p.completion >= 1:
            return f"为{figure}，达到{comparator}{goal}的{goal_words}"
        return f"为{figure}，未达到{comparator}{goal}的{goal_words}"
    verb = "累计完成" if target.kind == KIND_CUMULATIVE else "达到"
    text = f"{verb}{figure}"
    if p.completion is not None:
        text += f"，完成{goal_words}{goal}的{rate_text(p.completion)}"
    return text + _pace_tail(p)


def _pace_tail(p: TargetProgress) -> str:
    if p.pace_points is None:
        return ""
    if p.status == OVERDUE:
        return "，已超过完成时限仍未完成"
    return f"，{points_text(p.pace_points)}"


def _rolled_clause(target: Target, p: RolledProgress) -> str:
    """A parent's line of a rate (the range of its children's figures and how many meet the goal) or of a 定性
    target (how many have it done): never an average the children did not report."""
    r = p.rollup
    assert r is not None
    target_count = f"（共{len(r.counted)}个单位）"
    missing = f"，{len(r.missing)}个单位缺报" if r.missing else ""
    if r.how == RANGE:
        span = r.range_text(target)
        head = f"各单位在{span}之间，" if span else "尚无单位填报，"
        return f"{head}{len(r.meeting)}个单位达标{target_count}{missing}"
    return f"{len(r.meeting)}个单位已完成{target_count}{missing}"


def measure_sentences(lines: Iterable[tuple[Target, TargetProgress, Decimal | None]], period: Period
                      ) -> list[Sentence]:
    """Every involved target's sentence, in plan order; "截至9月底，" only before the first."""
    out: list[Sentence] = []
    for target, progress, local in lines:
        s = target_sentence(target, progress, local, period, lead=not out)
        if s is not None:
            out.append(s)
    return out


def measure_status_sentence(status: str, *, has_targets: bool, done: bool) -> str:
    """A measure without targets (or with none involved): its state in words."""
    if done or status == DONE:
        return "该项任务已完成。"
    if status == OVERDUE:
        return "该项任务已超过完成时限，尚未完成。"
    if status == NOT_STARTED:
        return "该项任务尚未启动。"
    if status in UNJUDGED:
        return ""
    return "该项任务正在推进。"


def status_counts_text(counts: dict[str, int]) -> str:
    """"已完成2项、进度正常（绿色）5项、…", only the statuses that occur."""
    parts = [f"{word}{counts[s]}项" for s, word in STATUS_WORDS if counts.get(s)]
    return "、".join(parts)


def average(values: Sequence[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def average_expected(progresses: Iterable[TargetProgress]) -> Decimal | None:
    """平均序时进度 of a group of targets: the mean 序时进度 of its judged targets that have a 序时 line (定性,
    未分解, 不适用 and 不涉及 have none), so it is read beside 平均完成率 of the same targets. None when none has."""
    return average([p.expected for p in progresses if p.status not in UNJUDGED and p.expected is not None])
