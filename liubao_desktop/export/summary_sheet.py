"""汇总: one row per part (领域) with measure and target counts, status counts, 应报 / 已报 / 报送率 and the two
averages (unreported as 0; reported only), and a total.

A workbook for several orgs starts with one row per org, then each org's part table.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.plan import Part, chinese_numeral
from ..domain.progress import (
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
    Totals,
    totals,
)
from .common import header_block, ratio_cell, sheet_title, status_note
from .model import MeasureLineLike, ReportLike, TargetLineLike, WorkbookData
from .sheet import Column, SheetWriter

NAME = "汇总"
PAGINATED = True
COUNTED = (DONE, GREEN, YELLOW, RED, OVERDUE, NOT_STARTED, UNDECOMPOSED, NOT_APPLICABLE, NOT_INVOLVED)
AVERAGE_ALL_HEADER = "平均完成率\n（未报按0计）"
AVERAGE_REPORTED_HEADER = "平均完成率\n（仅已报指标）"

COLUMNS = [
    Column("序号", 5),
    Column("领域", 20),
    Column("重点任务\n（项）", 8),
    Column("指标\n（个）", 7),
    *(Column(s, 6) for s in COUNTED),
    Column("应报指标\n（个）", 8),
    Column("已报\n（个）", 7),
    Column("报送率", 8),
    Column(AVERAGE_ALL_HEADER, 15),
    Column(AVERAGE_REPORTED_HEADER, 15),
    Column("代码", 10, hidden=True),
]

# The rule of domain.progress.Totals, which the window's tool bar and tree follow as well.
AVERAGE_NOTE = ("注：应报指标为本单位承担的指标（不含“不涉及”）；已报为本月有填报的指标（数字、状态或“不适用”；"
                "定性指标此前已完成的也算已报）；报送率＝已报÷应报指标。平均完成率（未报按0计）为该行所含各项"
                "应作判断指标的完成率的算术平均：每个指标权重相同，超额完成的按 100% 计，未填报的按 0 计，定性指标"
                "已完成计 100%、未完成计 0；“未分解”“不适用”“不涉及”的指标不作判断，不计入。平均完成率（仅已报"
                "指标）只计截至本月有填报数据的指标，未填报的不计入，两者相差越大，说明未报的指标越多。"
                "都没有可计的指标时留空。")


@dataclass(frozen=True)
class Tally:
    """Counts for a group of measure lines: one part, one org, or everything.

    statuses counts measures by status; totals are domain.progress.Totals over the group's targets (应报, 已报,
    报送率 and both averages), so every target weighs the same whichever measure it belongs to."""

    measures: int
    targets: int
    statuses: Counter
    totals: Totals
    lines: tuple[TargetLineLike, ...] = ()

    @classmethod
    def of(cls, lines: Sequence[MeasureLineLike]) -> Tally:
        targets = tuple(t for ml in lines for t in ml.targets)
        return cls(len(lines), len(targets), Counter(ml.status for ml in lines), _totals(targets), targets)

    @classmethod
    def total(cls, tallies: Sequence[Tally]) -> Tally:
        statuses: Counter = Counter()
        for t in tallies:
            statuses.update(t.statuses)
        targets = tuple(line for t in tallies for line in t.lines)
        return cls(sum(t.measures for t in tallies), sum(t.targets for t in tallies), statuses, _totals(targets),
                   targets)


def _totals(lines: Sequence[TargetLineLike]) -> Totals:
    return totals((line.progress, line.this_period) for line in lines)


def part_tallies(report: ReportLike) -> list[tuple[Part, Tally]]:
    groups: dict[str, list[MeasureLineLike]] = {}
    for ml in report.measures.values():
        groups.setdefault(ml.part.code, []).append(ml)
    return [(lines[0].part, Tally.of(lines)) for lines in groups.values()]


def _cells(sw: SheetWriter, number: object, label: str, tally: Tally, code: str, *,
           total: bool = False) -> list[object]:
    text_key, num_key = ("total", "total_num") if total else ("center", "num")
    count_key = "total" if total else "center"
    t = tally.totals
    cells = [sw.cell(number, "center"), sw.cell(label, "total" if total else "text"),
             sw.cell(tally.measures, count_key, "#,##0"), sw.cell(tally.targets, count_key, "#,##0")]
    cells += [sw.cell(tally.statuses.get(s, 0), count_key, "#,##0") for s in COUNTED]
    cells += [sw.cell(t.due, count_key, "#,##0"), sw.cell(t.reported, count_key, "#,##0"),
              ratio_cell(sw, t.report_rate, num_key), ratio_cell(sw, t.average_all, num_key),
              ratio_cell(sw, t.average_reported, num_key), sw.cell(code, text_key)]
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
    n = len(COUNTED)
    tail = [c.header for c in COLUMNS[4 + n:]]
    headers = [
        ["序号", "单位 / 领域" if data.multi_org else "领域", COLUMNS[2].header, COLUMNS[3].header, "重点任务状态（项）",
         *([None] * (n - 1)), *tail],
        [None, None, None, None, *((s, None if s in UNJUDGED else s) for s in COUNTED), *([None] * len(tail))],
    ]
    merges = [(0, c, 1, c) for c in (1, 2, 3, 4, *range(5 + n, 5 + n + len(tail)))] + [(0, 5, 0, 4 + n)]
    sw.start(sheet_title(data, "进展情况汇总"), header_block(data, "项、个；报送率、平均完成率为百分比"), headers,
             freeze_col=3, header_merges=merges)
    if data.multi_org:
        sw.spanning_row("各单位总体情况", "part")
        org_tallies = []
        for i, org in enumerate(data.orgs, 1):
            tally = Tally.total([t for _, t in part_tallies(org.report)])
            _row(sw, i, org.report.org.name, tally, org.report.org.code)
            org_tallies.append(tally)
        _row(sw, "", "合计", Tally.total(org_tallies), "", total=True)
        for org in data.orgs:
            _org_parts(sw, org.report, "小计", heading=f"{org.report.org.name}（按领域）")
    else:
        _org_parts(sw, data.orgs[0].report, "合计")
        from .summary_chart import append_charts

        append_charts(sw, data.orgs[0].report)  # its parts charted under the table, above the notes
    sw.tail([status_note(data), AVERAGE_NOTE], data.preparer)
