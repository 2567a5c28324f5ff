"""汇总: one row per part (领域) with measure and target counts, status counts and average completion, and a total.

A workbook for several orgs starts with one row per org, then each org's part table.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..domain.plan import Part, chinese_numeral
from ..domain.progress import (
    DONE,
    GREEN,
    NOT_APPLICABLE,
    NOT_STARTED,
    OVERDUE,
    RED,
    YELLOW,
    average_completion,
)
from .common import header_block, ratio_cell, sheet_title, status_note
from .model import MeasureLineLike, ReportLike, WorkbookData
from .sheet import Column, SheetWriter

NAME = "汇总"
PAGINATED = True
COUNTED = (DONE, GREEN, YELLOW, RED, OVERDUE, NOT_STARTED, NOT_APPLICABLE)

COLUMNS = [
    Column("序号", 6),
    Column("领域", 24),
    Column("重点任务\n（项）", 9),
    Column("指标\n（个）", 8),
    *(Column(s, 7) for s in COUNTED),
    Column("平均完成率", 11),
    Column("代码", 10, hidden=True),
]


# The rule the window's tree follows as well: the plain average over the targets that have a rate.
AVERAGE_NOTE = ("注：平均完成率为该行所含各项指标完成率的算术平均（领域行为该领域的全部指标，小计、合计行为所含全部指标），"
                "每个指标权重相同，超额完成的指标按 100% 计入；没有完成率的指标——未填报的和不适用的——不计入平均，"
                "都没有完成率时留空。")


@dataclass(frozen=True)
class Tally:
    """Counts for a group of measure lines: one part, one org, or everything.

    rates: the completion rate of every target in the group that has one; a target without one (never
    filled in, or 不适用) has no rate and does not count, so it neither drags the average down as a 0 nor
    holds it up. The average is over targets, not over measures: each target weighs the same."""

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
        return average_completion(self.rates)


def part_tallies(report: ReportLike) -> list[tuple[Part, Tally]]:
    groups: dict[str, list[MeasureLineLike]] = {}
    for ml in report.measures.values():
        groups.setdefault(ml.part.code, []).append(ml)
    return [(lines[0].part, Tally.of(lines)) for lines in groups.values()]


def _cells(sw: SheetWriter, number: object, label: str, tally: Tally, code: str, *,
           total: bool = False) -> list[object]:
    text_key, num_key = ("total", "total_num") if total else ("center", "num")
    count_key = "total" if total else "center"
    cells = [sw.cell(number, "center"), sw.cell(label, "total" if total else "text"),
             sw.cell(tally.measures, count_key, "#,##0"), sw.cell(tally.targets, count_key, "#,##0")]
    cells += [sw.cell(tally.statuses.get(s, 0), count_key, "#,##0") for s in COUNTED]
    cells += [ratio_cell(sw, tally.average, num_key), sw.cell(code, text_key)]
    return cells


def _row(sw: SheetWriter, number: object, label: str, tally: Tally, code: str, *, total: bool = False) -> None:
    sw.append(_cells(sw, number, label, tally, code, total=total))


def _org_parts(sw: SheetWriter, report: ReportLike, subtotal_label: str, heading: str | None = None) -> Tally:
    """One org's part rows and its total, after its heading when there is one: together on one page."""
    tallies = [tally for _, tally in part_tallies(report)]
    total = Tally.total(tallies)
    rows = [_cells(sw, chinese_numeral(part.seq), part.title, tally, part.code)
            for part, tally in part_tallies(report)]
    rows.append(_cells(sw, "", subtotal_label, total, report.org.code, total=True))
    heights = [sw.row_height(cells) for cells in rows]
    if heading is not None:
        sw.keep(sw.spanning_height(heading) + sum(heights))
        sw.spanning_row(heading, "org", hidden=[report.org.code])
    for cells, height in zip(rows, heights, strict=True):
        sw.append(cells, height)
    return total


def write(sw: SheetWriter, data: WorkbookData) -> None:
    headers = [
        ["序号", "单位 / 领域" if data.multi_org else "领域", COLUMNS[2].header, COLUMNS[3].header, "重点任务状态（项）",
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
            _org_parts(sw, org.report, "小计", heading=f"{org.report.org.name}（按领域）")
    else:
        _org_parts(sw, data.orgs[0].report, "合计")
    sw.tail([status_note(data), AVERAGE_NOTE], data.preparer)
