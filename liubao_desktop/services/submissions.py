"""报送情况: for one month, which children of an org have reported, who partly, who is late.

A child has reported the month when every target it answers for has an entry for that month (a number, a state
or 不适用; a 定性 target done before counts) — the same rule as 已报 in every total. A target the child itself
rolls up from its units counts once all those units entered it.

The month's report is due on the ledger's 报送截止日 of the next month (每月5日前: 2020年9月's on 2020年10月5日,
that day included). A child is late when ``today`` is past that day and its report is not complete. A complete
report is never called late, even when its last entry is dated after the due day: a correction made later moves
that date too, so it cannot tell a late report from a corrected one; the date is shown beside it instead.

The clock is never read here: the window and the commands pass ``today``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..domain.orgs import Org
from ..domain.periods import Period
from ..domain.progress import NOT_INVOLVED
from ..domain.rollup import report_due_date
from .ledger import Ledger
from .progress_report import ProgressReport
from .rollup import children_of, org_report

REPORTED = "已报送"
PARTLY = "部分报送"
NOT_REPORTED = "未报送"
NOTHING_DUE = "无应报指标"
LATE = "逾期"
NOT_LATE = "否"
NOT_YET_DUE = "未到截止日"


@dataclass(frozen=True)
class Submission:
    """One child's month."""

    org: Org
    due: int  # targets it answers for (n)
    entered: int  # of them with an entry for the month (k)
    missing: tuple[str, ...]  # codes of the targets without one
    due_date: date
    today: date
    last_entry: date | None  # the last day a figure of the month was saved (its units' included)

    @property
    def complete(self) -> bool:
        return self.entered >= self.due

    @property
    def state(self) -> str:
        if not self.due:
            return NOTHING_DUE
        if self.complete:
            return REPORTED
        return PARTLY if self.entered else NOT_REPORTED

    @property
    def state_text(self) -> str:
        """"已报送", "部分报送（12/39）", "未报送"."""
        if self.state == PARTLY:
            return f"{PARTLY}（{self.entered}/{self.due}）"
        return self.state

    @property
    def late(self) -> bool:
        return not self.complete and self.today > self.due_date

    @property
    def late_days(self) -> int:
        return (self.today - self.due_date).days if self.late else 0

    @property
    def late_text(self) -> str:
        """"逾期 3 天", "否", or "未到截止日" while the due day has not passed and the report is not complete."""
        if self.late:
            return f"{LATE} {self.late_days} 天"
        if not self.complete and self.today <= self.due_date:
            return NOT_YET_DUE
        return NOT_LATE

    @property
    def rate(self) -> str:
        return f"{self.entered}/{self.due}"


@dataclass(frozen=True)
class Submissions:
    parent: Org
    period: Period
    due_day: int
    due_date: date
    today: date
    rows: tuple[Submission, ...]

    def count(self, state: str) -> int:
        return sum(1 for s in self.rows if s.state == state)

    @property
    def late(self) -> tuple[Submission, ...]:
        return tuple(s for s in self.rows if s.late)

    @property
    def summary(self) -> str:
        """"已报送 9 个，部分报送 3 个，未报送 1 个；逾期 4 个（截止 2020年10月5日）"."""
        d = self.due_date
        counts = "，".join(f"{w} {self.count(w)} 个" for w in (REPORTED, PARTLY, NOT_REPORTED) if self.count(w))
        return f"{counts or '无下级单位'}；{LATE} {len(self.late)} 个（截止 {d.year}年{d.month}月{d.day}日）"


def submission(ledger: Ledger, child: Org, report: ProgressReport, due_date: date, today: date) -> Submission:
    lines = [ln for ln in report.targets.values() if ln.progress.status != NOT_INVOLVED]
    missing = tuple(ln.target.code for ln in lines if not ln.progress.answered(ln.this_period))
    who = [child.code] + [k.code for k in children_of(ledger, child)]
    return Submission(child, len(lines), len(lines) - len(missing), missing, due_date, today,
                      ledger.last_entry(who, report.period))


def submissions(ledger: Ledger, parent: str, period: Period, today: date, *,
                reports: Mapping[str, ProgressReport] | None = None) -> Submissions:
    """报送情况 of ``parent``'s children for the month, judged on ``today``. ``reports``: the children's reports
    when the caller already has them (org code → ``org_report``)."""
    org = ledger.org(parent)
    due_day = ledger.preferences.report_due_day()
    due = report_due_date(period, due_day)
    rows = []
    for child in children_of(ledger, org):
        if child.retired:
            continue  # a retired unit is no longer asked to report
        report = (reports or {}).get(child.code) or org_report(ledger, child.code, period)
        rows.append(submission(ledger, child, report, due, today))
    return Submissions(org, period, due_day, due, today, tuple(rows))
