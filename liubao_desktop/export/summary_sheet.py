"""汇总: one row per part (领域) with measure and target counts, status counts and average completion, and a total.

A workbook for several orgs starts with one row per org, then each org's part table.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..domain.plan import Part
from ..domain.progress import DONE, GREEN, NOT_APPLICABLE, NOT_STARTED, OVERDUE, RED, YELLOW
from .cells import chinese_numeral
from .common import header_block, ratio_cell, sheet_title, status_note
from .model import MeasureLineLike, ReportLike, WorkbookData
from .sheet import Column, SheetWriter

NAME = "汇总"
COUNTED = (DONE, GREEN, YELLOW, RED, OVERDUE, NOT_STARTED, NOT_APPLICABLE)

COLUMNS = [
    Column("序号", 6),
    Column("领域", 24),
    Column("重点任务（项）", 9),
    Column("指标（个）", 8),
    *(Column(s, 7) for s in COUNTED),
    Column("平均完成率", 11),
    Column("代码", 10, hidden=True),
]


@dataclass(frozen=True)
class Tally:
    """Counts for a group of measure lines: one part, one org, or everything."""

    measures: int
    targets: int
    statuses: Counter
    rates: tuple[Decimal, ...]

    @classmethod
    def of(cls, lines: Sequence[MeasureLineLike]) -> Tally:
        rates = tuple(t.progress.completion for ml in lines for t in ml.targets if t.progress.completion is not None)
        return cls(len(lines), sum(len(ml.targets) for ml in lines), Counter(ml.status for ml in lines), rates)

    @classmethod
    def total(cls, tallies: Sequence[Tally]) -> Tally:
        statuses: Counter = Counter()
        for t in tallies:
            statuses.update(t.statuses)
        return cls(sum(t.measures for t in tallies), sum(t.targets for t in tallies), statuses,
                   tuple(r for t in tallies for r in t.rates))

    @property
    def average(self) -> Decimal | None:
        return sum(self.rates, Decimal(0)) / len(self.rates) if self.rates else None


def part_tallies(report: ReportLike) -> list[tuple[Part, Tally]]:
    groups: dict[str, list[MeasureLineLike]] = {}
    for ml in report.measures.values():
        groups.setdefault(ml.part.code, []).append(ml)
    return [(lines[0].part, Tally.of(lines)) for lines in groups.values()]


def _row(sw: SheetWriter, number: object, label: str, tally: Tally, code: str, *, total: bool = False) -> None:
    text_key, num_key = ("total", "total_num") if total else ("center", "num")
    count_key = "total" if total else "center"
    cells = [sw.cell(number, "center"), sw.cell(label, "total" if total else "text"),
             sw.cell(tally.measures, count_key, "#,##0"), sw.cell(tally.targets, count_key, "#,##0")]
    cells += [sw.cell(tally.statuses.get(s, 0), count_key, "#,##0") for s in COUNTED]
    cells += [ratio_cell(sw, tally.average, num_key), sw.cell(code, text_key)]
    sw.append(cells)


def _org_parts(sw: SheetWriter, report: ReportLike, subtotal_label: str) -> Tally:
    tallies = []
    for part, tally in part_tallies(report):
        _row(sw, chinese_numeral(part.seq), part.title, tally, part.code)
        tallies.append(tally)
    total = Tally.total(tallies)
    _row(sw, "", subtotal_label, total, report.org.code, total=True)
    return total


def write(sw: SheetWriter, data: WorkbookData) -> None:
    headers = [
        ["序号", "单位 / 领域" if data.multi_org else "领域", "重点任务（项）", "指标（个）", "重点任务状态（项）",
         *([None] * (len(COUNTED) - 1)), "平均完成率", "代码"],
        [None, None, None, None, *((s, s) for s in COUNTED), None, None],
    ]
    n = len(COUNTED)
    merges = [(0, c, 1, c) for c in (1, 2, 3, 4, 5 + n, 6 + n)] + [(0, 5, 0, 4 + n)]
    sw.start(sheet_title(data, "进展情况汇总"), header_block(data, "项、个；平均完成率为百分比"), headers,
             freeze_col=3, header_merges=merges)
    if data.multi_org:
        sw.spanning_row("各单位总体情况", "part")
        totals = []
        for i, org in enumerate(data.orgs, 1):
            tally = Tally.total([t for _, t in part_tallies(org.report)])
            _row(sw, i, org.report.org.name, tally, org.report.org.code)
            totals.append(tally)
        _row(sw, "", "合计", Tally.total(totals), "", total=True)
        for org in data.orgs:
            sw.spanning_row(f"{org.report.org.name}（按领域）", "org", hidden=[org.report.org.code])
            _org_parts(sw, org.report, "小计")
    else:
        _org_parts(sw, data.orgs[0].report, "合计")
    sw.tail([status_note(data), "注：平均完成率为各指标完成率的算术平均（超额完成按实际计算），不含未填报和不适用的指标。"],
            data.preparer)
