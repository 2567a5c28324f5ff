"""Numbers the city can trust: 汇总 says how many targets were due and reported, and its 平均完成率 counts an
unreported target as 0 — the average over reported targets only is beside it, labelled so.

Every check reads the raw cells of a written workbook."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from liubao_desktop.domain.periods import Period
from liubao_desktop.export.summary_sheet import AVERAGE_NOTE
from liubao_desktop.services.export_service import export_workbook
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.progress_report import build_report
from liubao_desktop.services.sample_data import fill_sample_data

from .conftest import OCT, ORG, ORG_CODE

SEP = Period(2020, 9)
# 汇总 columns
DUE, REPORTED, REPORT_RATE, AVERAGE_ALL, AVERAGE_REPORTED, CODE_COL = range(14, 20)
# 指标完成情况 columns
UNIT, CITY, LOCAL, THIS, CUM, RATE, CODE = 4, 5, 6, 7, 8, 9, 16
# The targets an office below the city answers for without a 分解目标 of its own: shares, rates, cuts, 定性
# targets and the per-unit 2.3.4 (every other target is an amount of the whole city: 未分解 until given one).
AS_WRITTEN = ("1.1.1", "1.3.2", "2.3.1", "2.3.4", "4.1.2", "4.3.1", "6.3.2", "6.4.1", "6.4.2")


def summary_rows(path: Path) -> tuple[dict[str, tuple], list[str]]:
    wb = load_workbook(path)
    try:
        rows = list(wb["汇总"].iter_rows(min_row=5, values_only=True))
    finally:
        wb.close()
    by_code = {r[CODE_COL - 1]: r for r in rows if len(r) >= CODE_COL and r[CODE_COL - 1]}
    texts = [r[0] for r in rows if r and isinstance(r[0], str)]
    return by_code, texts


def test_one_target_of_39_reported_gives_a_report_rate_of_1_in_39_and_an_honest_average(
        ledger: Ledger, tmp_path: Path) -> None:
    """The issue's proof: 芙蓉区 answers for all 39 targets and reports one, 1.3.1, with 1523 人 against its
    5000 人. The city must read 1523 人 (not 0.1523 万人), 报送率 1/39, and an average of 30.46% / 10 — not
    30.46% as if the one reported target were the whole picture."""
    for t in ledger.plan.targets():
        ledger.set_involved(ORG, t.code, True)
    ledger.set_local_target(ORG, "1.3.1", Decimal(5000))
    ledger.record_figure(ORG, "1.3.1", SEP, ledger.parse_entry("1.3.1", "1523"))
    out = tmp_path / "september.xlsx"
    export_workbook(ledger, [ORG_CODE], SEP, out)

    wb = load_workbook(out)
    try:
        ws = wb["指标完成情况"]
        row = next(r for r in ws.iter_rows(min_row=4, values_only=True) if len(r) >= CODE and r[CODE - 1] == "1.3.1")
    finally:
        wb.close()
    assert row[UNIT - 1] == "人"
    assert row[CITY - 1] == "1.4万人"
    assert row[LOCAL - 1] == 5000
    assert row[THIS - 1] == 1523 and row[CUM - 1] == 1523
    assert row[RATE - 1] == pytest.approx(0.3046)

    rows, _ = summary_rows(out)
    total = rows[ORG_CODE]  # 合计
    assert total[1] == "合计"
    assert total[DUE - 1] == 39 and total[REPORTED - 1] == 1
    assert total[REPORT_RATE - 1] == pytest.approx(1 / 39)
    # Judged: the nine targets that apply as written (each 0: nothing reported) and 1.3.1 with its 分解目标; the
    # other 29 are amounts of the whole city without a 分解目标 (未分解) and judge nothing.
    report = build_report(ledger, ORG_CODE, SEP)
    judged = {c for c, t in report.targets.items() if t.progress.status not in ("未分解", "不适用", "不涉及")}
    assert judged == {*AS_WRITTEN, "1.3.1"}
    assert total[AVERAGE_ALL - 1] == pytest.approx(0.3046 / 10)
    assert total[AVERAGE_REPORTED - 1] == pytest.approx(0.3046)
    part_one = rows["1"]  # 一、保居民就业: 1.1.1, 1.3.1, 1.3.2, 1.4.1 (未分解)
    assert part_one[DUE - 1:REPORTED] == (4, 1)
    assert part_one[REPORT_RATE - 1] == pytest.approx(0.25)
    assert part_one[AVERAGE_ALL - 1] == pytest.approx(0.3046 / 3)
    assert part_one[AVERAGE_REPORTED - 1] == pytest.approx(0.3046)
    part_five = rows["5"]  # 五、保产业链供应链稳定 has no targets: nothing due, nothing to average
    assert part_five[DUE - 1:REPORTED] == (0, 0)
    assert part_five[REPORT_RATE - 1:AVERAGE_REPORTED] == (None, None, None)


def test_the_averages_of_the_sample_data_are_the_reports_totals(ledger: Ledger, tmp_path: Path) -> None:
    fill_sample_data(ledger, [ORG_CODE], OCT)
    out = tmp_path / "sample.xlsx"
    export_workbook(ledger, [ORG_CODE], OCT, out)
    report = build_report(ledger, ORG_CODE, OCT)
    rows, texts = summary_rows(out)
    for summary in report.part_summaries():
        row, t = rows[summary.part.code], summary.totals
        assert row[DUE - 1:REPORTED] == (t.due, t.reported), summary.part.code
        for col, value in ((REPORT_RATE, t.report_rate), (AVERAGE_ALL, t.average_all),
                           (AVERAGE_REPORTED, t.average_reported)):
            if value is None:
                assert row[col - 1] is None, (summary.part.code, col)  # nothing to count: blank, not 0
            else:
                assert row[col - 1] == pytest.approx(float(value), rel=1e-12), (summary.part.code, col)
    t = report.totals()
    assert rows[ORG_CODE][AVERAGE_ALL - 1] == pytest.approx(float(t.average_all), rel=1e-12)
    assert AVERAGE_NOTE in texts  # the rule is written under the table


def test_the_footnote_says_how_each_figure_is_counted() -> None:
    for words in ("应报指标", "不涉及", "报送率＝已报÷应报指标", "未填报的按 0 计", "超额完成的按 100% 计",
                  "平均完成率（仅已报指标）", "未分解"):
        assert words in AVERAGE_NOTE, words
