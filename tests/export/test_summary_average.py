"""汇总's 平均完成率: the average of the completion rates of a part's targets, each counted at most 100%, leaving
out targets without a rate (never filled in, 不适用) — the rule the window's tree follows too."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from liubao_desktop.export.summary_sheet import AVERAGE_NOTE
from liubao_desktop.services.export_service import export_workbook
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.progress_report import ProgressReport, build_report
from liubao_desktop.services.sample_data import fill_sample_data

from .conftest import OCT, ORG_CODE, Scenario

CODE_COL, AVERAGE_COL = 13, 12  # 汇总: the hidden code column and 平均完成率


def expected_averages(report: ProgressReport) -> dict[str, Decimal | None]:
    rates: dict[str, list[Decimal]] = {}
    for ml in report.measures.values():
        part_rates = rates.setdefault(ml.part.code, [])
        part_rates += [t.progress.completion for t in ml.targets if t.progress.completion is not None]
    return {code: sum(min(x, Decimal(1)) for x in r) / len(r) if r else None for code, r in rates.items()}


def exported_averages(path: Path) -> tuple[dict[str, object], list[str]]:
    wb = load_workbook(path)
    try:
        ws = wb["汇总"]
        rows = list(ws.iter_rows(min_row=5, values_only=True))
    finally:
        wb.close()
    by_code = {r[CODE_COL - 1]: r[AVERAGE_COL - 1] for r in rows if len(r) >= CODE_COL and r[CODE_COL - 1]}
    texts = [r[0] for r in rows if r and isinstance(r[0], str)]
    return by_code, texts


def check(ledger: Ledger, out: Path) -> ProgressReport:
    export_workbook(ledger, [ORG_CODE], OCT, out)
    report = build_report(ledger, ORG_CODE, OCT)
    got, texts = exported_averages(out)
    for code, average in expected_averages(report).items():
        if average is None:
            assert got[code] is None, code  # no target of the part has a rate: blank, not 0
        else:
            assert got[code] == pytest.approx(float(average), rel=1e-12), code
    every = [t.progress.completion for t in report.targets.values() if t.progress.completion is not None]
    assert got[ORG_CODE] == pytest.approx(float(sum(every) / len(every)), rel=1e-12)  # 合计: over all targets
    assert AVERAGE_NOTE in texts  # the rule is written under the table
    return report


def test_the_part_averages_of_the_sample_data_are_the_plain_average_of_the_targets_with_a_rate(
        ledger: Ledger, tmp_path: Path) -> None:
    fill_sample_data(ledger, [ORG_CODE], OCT)
    report = check(ledger, tmp_path / "sample.xlsx")
    unrated = [t for t in report.targets.values() if t.progress.completion is None]
    assert unrated, "the sample data should have targets without a rate, or the rule is not tested"


def test_blank_and_not_applicable_targets_are_left_out_of_the_average(scenario: Scenario, tmp_path: Path) -> None:
    report = check(scenario.ledger, tmp_path / "scenario.xlsx")
    na = report.targets["3.3.2"]  # 不适用
    blank = report.targets["2.3.2"]  # never filled in
    assert na.progress.completion is None and blank.progress.completion is None
    assert "不计入" in AVERAGE_NOTE and "未填报" in AVERAGE_NOTE and "不适用" in AVERAGE_NOTE
