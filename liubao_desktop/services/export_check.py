"""Before a workbook goes upward: what the city will read as gaps for an office and month.

Two kinds, each the city notices at once:

- a measure shown 红 or 逾期 whose 存在问题 or 下步计划 is empty — a late task without a word on why or what next;
- a target the office answers for (not 不涉及) with nothing entered for the month — an empty 本期完成 cell. A
  定性 target done in an earlier month is not a gap: its state stands.

Plain Python, no Qt: the export dialog shows the gaps and asks; ``main.py export`` prints them (and refuses to
write with ``--strict``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.periods import Period
from ..domain.progress import OVERDUE, RED
from .ledger import Ledger
from .progress_report import ProgressReport
from .rollup import org_report, rolled_up

NARRATIVE = "narrative"  # a 红 / 逾期 measure without 存在问题 or 下步计划
UNREPORTED = "unreported"  # a target answered for, not entered for the month
LATE_STATUSES = (RED, OVERDUE)


@dataclass(frozen=True)
class Gap:
    kind: str  # NARRATIVE or UNREPORTED
    org_code: str
    org_name: str
    code: str  # the measure's or the target's code
    text: str  # one Chinese line, naming the code, what it is and what is missing

    def __str__(self) -> str:
        return self.text


def report_gaps(report: ProgressReport) -> list[Gap]:
    """The gaps of one office's report for its month: late measures without words first, then unreported
    targets, each in plan order."""
    org, month = report.org, report.period.label
    gaps: list[Gap] = []
    for ml in report.measures.values():
        if ml.status not in LATE_STATUSES:
            continue
        missing = [name for name, text in (("存在问题", ml.narrative.problems), ("下步计划", ml.narrative.next_steps))
                   if not text.strip()]
        if missing:
            gaps.append(Gap(NARRATIVE, org.code, org.name, ml.measure.code,
                            f"{ml.measure.code} {ml.measure.title}：状态为“{ml.status}”，未填写{'和'.join(missing)}"))
    for line in report.targets.values():
        if not line.involved or line.progress.answered(line.this_period):
            continue
        rollup = rolled_up(line)
        if rollup is not None:  # computed from below: say who has not entered it yet
            late = [c for c in rollup.involved if not c.entered]
            who = "、".join(c.name for c in late[:3]) + (f"等 {len(late)} 个" if len(late) > 3 else "")
            text = f"{line.target.code} {line.target.label}：{month}尚有下级未填报（{who}）"
        else:
            text = f"{line.target.code} {line.target.label}：{month}未填报"
        gaps.append(Gap(UNREPORTED, org.code, org.name, line.target.code, text))
    return gaps


def export_gaps(ledger: Ledger, org_codes: Sequence[str], period: Period) -> list[Gap]:
    """The gaps of each office for the month, office by office (reads only)."""
    gaps: list[Gap] = []
    with ledger.reading():
        for code in org_codes:
            gaps += report_gaps(org_report(ledger, code, period))
    return gaps


def gaps_summary(gaps: Sequence[Gap]) -> str:
    """One sentence: how many of each kind, e.g. "2 项重点任务状态为红或逾期却未写存在问题或下步计划，11 个指标本月未填报"."""
    late = sum(1 for g in gaps if g.kind == NARRATIVE)
    unreported = sum(1 for g in gaps if g.kind == UNREPORTED)
    parts = []
    if late:
        parts.append(f"{late} 项重点任务状态为红或逾期却未写存在问题或下步计划")
    if unreported:
        parts.append(f"{unreported} 个应报指标本月未填报")
    return "，".join(parts)


def gaps_text(gaps: Sequence[Gap]) -> str:
    """Every gap on a line of its own, under its office's name when there are several offices."""
    several = len({g.org_code for g in gaps}) > 1
    lines: list[str] = []
    current = None
    for g in gaps:
        if several and g.org_code != current:
            current = g.org_code
            lines.append(f"【{g.org_name}】")
        lines.append(f"{'  ' if several else ''}{g.text}")
    return "\n".join(lines)
