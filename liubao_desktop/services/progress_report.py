"""The picture of one org at the end of one month: every target and measure with its status.

Built once per (org, month) from a handful of queries; the tree, the targets table, the workbook and the printed
task list all read from the same report, so they can never disagree.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ..domain.figures import BLANK, FigureValue
from ..domain.narrative import Narrative
from ..domain.orgs import Org
from ..domain.periods import Period
from ..domain.plan import Measure, Part, Plan, Target
from ..domain.progress import (
    NOT_INVOLVED,
    STATUS_ORDER,
    TargetProgress,
    Thresholds,
    Totals,
    evaluate_target,
    measure_status,
    totals,
)
from .ledger import Ledger


@dataclass(frozen=True)
class TargetLine:
    """One target's row of the report: the month's entry, the 分解目标 and the progress."""

    target: Target
    measure_code: str
    this_period: FigureValue  # 本期完成 as entered for the month (base units)
    note: str
    local_target: Decimal | None  # the org's own 分解目标 (base units), None when it has none
    progress: TargetProgress

    @property
    def involved(self) -> bool:
        return self.progress.status != NOT_INVOLVED


def lines_totals(lines: Iterable[TargetLine]) -> Totals:
    """应报 / 已报 / 报送率 and the averages of these targets, for the month of their report."""
    return totals((ln.progress, ln.this_period) for ln in lines)


@dataclass(frozen=True)
class MeasureLine:
    """One measure's line of the report: its status, narrative and target rows."""

    measure: Measure
    part: Part
    status: str
    narrative: Narrative
    targets: tuple[TargetLine, ...]

    @property
    def totals(self) -> Totals:
        return lines_totals(self.targets)

    @property
    def average_completion(self) -> Decimal | None:
        """平均完成率 over every judged target, unreported ones as 0 (see domain.progress.Totals)."""
        return self.totals.average_all


@dataclass(frozen=True)
class PartSummary:
    """One part's counts of measures, targets and statuses, and its totals."""

    part: Part
    measures: int
    targets: int
    status_counts: dict[str, int]
    totals: Totals

    @property
    def average_completion(self) -> Decimal | None:
        return self.totals.average_all


@dataclass(frozen=True)
class ProgressReport:
    """The picture of one office at the end of one month."""

    org: Org
    period: Period
    measures: dict[str, MeasureLine] = field(default_factory=dict)  # in plan order
    targets: dict[str, TargetLine] = field(default_factory=dict)
    thresholds: Thresholds = field(default_factory=Thresholds)
    # Measures with 进展情况 written up to this month: kept so one measure's status can be recomputed alone.
    with_progress: frozenset[str] = frozenset()
    # Targets whose figures are computed from the org's children (services/rollup.py), never typed here.
    rolled: frozenset[str] = frozenset()

    def totals(self) -> Totals:
        """合计: every target of the report."""
        return lines_totals(self.targets.values())

    def part_summaries(self) -> list[PartSummary]:
        out: list[PartSummary] = []
        seen: dict[str, list[MeasureLine]] = {}
        for line in self.measures.values():
            seen.setdefault(line.part.code, []).append(line)
        for lines in seen.values():
            targets = [t for ml in lines for t in ml.targets]

            counts = Counter(ml.status for ml in lines)
            out.append(PartSummary(
                part=lines[0].part,
                measures=len(lines),
                targets=len(targets),
                status_counts={s: counts.get(s, 0) for s in STATUS_ORDER},
                totals=lines_totals(targets),
            ))
        return out


def target_line(plan: Plan, target: Target, measure_code: str, series: Mapping[Period, FigureValue],
                period: Period, *, local: Decimal | None, note: str, thresholds: Thresholds,
                involved: bool, org: Org) -> TargetLine:
    """One target of one org at the end of a month, from its monthly figures (base units)."""
    progress = evaluate_target(target, series, period, plan_start=plan.effective_from,
                               plan_end=plan.effective_to, local_target_base=local, thresholds=thresholds,
                               involved=involved, answers_for_city=org.is_city)
    return TargetLine(target, measure_code, series.get(period, BLANK), note, local, progress)


def _measure_line(report: ProgressReport, m: Measure, part: Part, lines: Iterable[TargetLine],
                  narrative: Narrative) -> MeasureLine:
    lines = tuple(lines)
    status = measure_status(
        [ln.progress.status for ln in lines],
        has_targets=bool(m.targets),
        done_flag=narrative.done,
        has_progress_text=m.code in report.with_progress,
        deadline=m.deadline,
        as_of=report.period,
    )
    return MeasureLine(m, part, status, narrative, lines)


def build_report(ledger: Ledger, org_code: str, period: Period) -> ProgressReport:
    org = ledger.org(org_code)
    plan = ledger.plan
    figures = ledger.figures(org.code)
    local = ledger.local_targets(org.code)
    notes = ledger.notes(org.code, period)
    narratives = ledger.narratives(org.code, period)
    # 已完成 on a qualitative measure: the latest tick (or untick) up to this month decides.
    done_before = ledger.measures_done_by(org.code, period)
    thresholds = ledger.thresholds()
    involvement = ledger.involvement(org.code)
    report = ProgressReport(org=org, period=period, thresholds=thresholds,
                            with_progress=frozenset(ledger.measures_with_progress_by(org.code, period)))
    for part in plan.parts:
        for m in part.measures:
            lines = []
            for t in m.targets:
                line = target_line(plan, t, m.code, figures.get(t.code, {}), period, local=local.get(t.code),
                                   note=notes.get(t.code, ""), thresholds=thresholds,
                                   involved=involvement[t.code], org=org)
                lines.append(line)
                report.targets[t.code] = line
            # A month without its own narrative shows the 已完成 tick it inherits, so saving text keeps it.
            narrative = narratives.get(m.code) or Narrative(done=m.code in done_before)
            report.measures[m.code] = _measure_line(report, m, part, lines, narrative)
    return report


def updated_report(report: ProgressReport, ledger: Ledger, *, targets: Iterable[str] = (),
                   measures: Iterable[str] = ()) -> ProgressReport:
    """The report after edits to these targets (a figure, note or 分解目标) and measures (a narrative): only
    they and the measures holding them are read and computed again; everything else is the old report's.
    Equal to build_report for the same office and month (tests/services/test_progress_report.py)."""
    org, period, plan = report.org.code, report.period, ledger.plan
    targets, measures = set(targets), set(measures)
    new_targets = dict(report.targets)
    if targets:
        figures = ledger.figures(org)
        local = ledger.local_targets(org)
        notes = ledger.notes(org, period)
        involvement = ledger.involvement(org)
        for code in targets:
            old = report.targets[code]
            new_targets[code] = target_line(plan, old.target, old.measure_code, figures.get(code, {}), period,
                                            local=local.get(code), note=notes.get(code, ""),
                                            thresholds=report.thresholds, involved=involvement[code],
                                            org=report.org)
    narratives: dict[str, Narrative] = {}
    if measures:
        narratives = ledger.narratives(org, period)
        done_before = ledger.measures_done_by(org, period)
        report = replace(report, with_progress=frozenset(ledger.measures_with_progress_by(org, period)))
        narratives = {code: narratives.get(code) or Narrative(done=code in done_before) for code in measures}
    touched = measures | {new_targets[code].measure_code for code in targets}
    new_measures = dict(report.measures)
    for code in touched:
        old_line = report.measures[code]
        m = old_line.measure
        new_measures[code] = _measure_line(report, m, old_line.part, (new_targets[t.code] for t in m.targets),
                                           narratives.get(code, old_line.narrative))
    return replace(report, measures=new_measures, targets=new_targets)
