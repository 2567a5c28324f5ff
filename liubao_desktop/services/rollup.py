"""The report of an org whose figures come from below: the city from its offices, an office from the units it
gave targets to. The rules are ``domain/rollup.py``'s; here the children's reports are read and rolled.

- 长沙市: every target at least one office answers for is rolled up from the offices (each office's own line —
  itself rolled from its units where it assigned the target). A target no office answers for (市本级…) stays the
  city's own, typed in the city's table. A measure without targets takes its offices' statuses combined.
- An office: a target it assigned to reporting units is rolled up from those units; its own typed figure for that
  target is not used (the window says so and refuses a new one). Its other targets are its own.
- A unit: its own figures.

``org_report`` is what the window and the export show for any org; for an org with nothing rolled it is
``build_report`` itself.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..domain.orgs import Org
from ..domain.periods import Period
from ..domain.progress import measure_status
from ..domain.rollup import ChildLine, RolledProgress, RollUp, combined_status, roll_target
from .ledger import Ledger
from .progress_report import MeasureLine, ProgressReport, TargetLine, build_report

if TYPE_CHECKING:
    from ..export import MonthLines

Lines = Mapping[str, TargetLine]


def children_of(ledger: Ledger, org: Org) -> list[Org]:
    """The orgs whose figures roll into ``org``: the city's offices; an office's units (retired ones too: their
    history still counts); none for a unit."""
    if org.is_unit:
        return []
    if org.is_city:
        return ledger.children(org.code)
    return ledger.children(org.code, retired=True)


def _reporting_children(ledger: Ledger, org: Org, where: dict[str, list[str]]) -> tuple[list[Org], list[Org]]:
    """The org's children, and those of them that report one of its rolled targets (whose lines must be read)."""
    kids = children_of(ledger, org)
    named = {c for codes in where.values() for c in codes}
    return kids, [k for k in kids if k.code in named]


def sources(ledger: Ledger, org: Org) -> dict[str, list[str]]:
    """Target code → the children that report it, for the targets that may roll up (an office: the targets it
    assigned; the city: every target, kept only where an office answers for it)."""
    kids = children_of(ledger, org)
    if not kids:
        return {}
    if org.is_city:
        codes = [k.code for k in kids]
        return {t.code: codes for t in ledger.plan.targets()}
    return {code: [k.code for k in kids if k.code in units]
            for code, units in ledger.assignments(org.code).items() if units}


def _rolled_lines(ledger: Ledger, org: Org, own: Lines, kids: Sequence[Org], kid_lines: Mapping[str, Lines],
                  where: Mapping[str, Sequence[str]], period: Period) -> dict[str, TargetLine]:
    """Own lines with every target that children report replaced by its roll-up."""
    plan = ledger.plan
    thresholds = ledger.thresholds()
    out = dict(own)
    for code, child_codes in where.items():
        line = own[code]
        children = [ChildLine(k.code, k.name, kid_lines[k.code][code].progress, kid_lines[k.code][code].this_period,
                              k.retired) for k in kids if k.code in child_codes]
        if not RollUp("", tuple(children)).involved:
            continue  # no child answers for it: the org's own target (the city's 市本级…)
        progress, this_period = roll_target(line.target, children, period, plan_start=plan.effective_from,
                                            plan_end=plan.effective_to, goal=line.local_target,
                                            answers_for_city=org.is_city, thresholds=thresholds,
                                            involved=line.involved)
        out[code] = TargetLine(line.target, line.measure_code, this_period, line.note, line.local_target, progress)
    return out


def org_report(ledger: Ledger, org_code: str, period: Period) -> ProgressReport:
    """The month's picture of any org: its own, with what its children report rolled up."""
    org = ledger.org(org_code)
    own = build_report(ledger, org.code, period)
    where = sources(ledger, org)
    if not where:
        return own
    kids, needed = _reporting_children(ledger, org, where)
    kid_reports = {k.code: org_report(ledger, k.code, period) for k in needed}
    lines = _rolled_lines(ledger, org, own.targets, kids, {c: r.targets for c, r in kid_reports.items()}, where,
                          period)
    rolled = frozenset(c for c, ln in lines.items() if isinstance(ln.progress, RolledProgress))
    if not rolled:
        return own
    measures: dict[str, MeasureLine] = {}
    for code, ml in own.measures.items():
        targets = tuple(lines[t.code] for t in ml.measure.targets)
        if targets:
            status = measure_status([ln.progress.status for ln in targets], has_targets=True, done_flag=False,
                                    has_progress_text=False, deadline=ml.measure.deadline, as_of=period)
        elif org.is_city and kid_reports:
            # A task without targets: done for the city when every office has it done (their statuses combined).
            status = combined_status(r.measures[code].status for r in kid_reports.values())
        else:
            status = ml.status
        measures[code] = replace(ml, status=status, targets=targets)
    return replace(own, measures=measures, targets=lines, rolled=rolled)


def org_history(ledger: Ledger, org_code: str, up_to: Period) -> list[MonthLines]:
    """Every target of an org as of the end of each plan month up to ``up_to`` (for 明细), rolled up like
    ``org_report`` (one figures query per org and child, not a report per month)."""
    from ..export import MonthLines
    from .export_service import target_history

    org = ledger.org(org_code)
    own = target_history(ledger, org.code, up_to)
    where = sources(ledger, org)
    if not where:
        return own
    kids, needed = _reporting_children(ledger, org, where)
    kid_months = {k.code: org_history(ledger, k.code, up_to) for k in needed}
    out: list[MonthLines] = []
    for i, month in enumerate(own):
        own_lines = {ln.target.code: ln for ln in month.lines}
        kid_lines = {c: {ln.target.code: ln for ln in h[i].lines} for c, h in kid_months.items()}
        lines = _rolled_lines(ledger, org, own_lines, kids, kid_lines, where, month.period)
        out.append(MonthLines(month.period, tuple(lines[ln.target.code] for ln in month.lines)))
    return out


def has_rollup(ledger: Ledger, org_code: str) -> bool:
    """Whether any of the org's figures may come from below (the city; an office that assigned targets)."""
    return bool(sources(ledger, ledger.org(org_code)))


def rolled_up(line: TargetLine) -> RollUp | None:
    return line.progress.rollup if isinstance(line.progress, RolledProgress) else None


def computed_figure_reason(line: TargetLine) -> str | None:
    """Why 本期完成 of this line may not be typed (it is computed from the children), in Chinese; None when it may."""
    rollup = rolled_up(line)
    if rollup is None:
        return None
    kids = rollup.involved
    who = "、".join(c.name for c in kids[:3]) + (f"等 {len(kids)} 个单位" if len(kids) > 3 else "")
    how = {"sum": "相加", "range": "列出区间和达标个数", "count": "统计完成个数"}[rollup.how]
    return f"此数由下级单位（{who}）的填报{how}得出，不能直接填写；请到对应单位填报，这里会自动汇总。"
