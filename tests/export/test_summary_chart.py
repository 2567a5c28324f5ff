"""汇总's native charts: drawn by Excel from a data block whose numbers are the report's."""
from __future__ import annotations

import re
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from liubao_desktop.domain.report_sentences import average_expected
from liubao_desktop.export.summary_chart import BLOCK_HEADER, BLOCK_TITLE, CHART_STATUSES

from .conftest import October


def test_the_summary_charts_read_the_report_s_numbers(october: October) -> None:
    wb = load_workbook(october.path)
    try:
        ws = wb["汇总"]
        rows = list(ws.iter_rows(values_only=True))
        top = next(i for i, r in enumerate(rows) if r[0] == BLOCK_TITLE)
        assert tuple(rows[top + 1][1:1 + len(BLOCK_HEADER)]) == BLOCK_HEADER
        summaries = october.report.part_summaries()
        block = rows[top + 2: top + 2 + len(summaries)]
        for row, s in zip(block, summaries, strict=True):
            targets = [t for ml in october.report.measures.values() if ml.part.code == s.part.code for t in ml.targets]
            expected = average_expected(t.progress for t in targets)
            assert row[1] == s.part.title
            assert (row[2] is None and s.average_completion is None) or \
                abs(Decimal(str(row[2])) - s.average_completion) < Decimal("1e-9")
            assert (row[3] is None and expected is None) or abs(Decimal(str(row[3])) - expected) < Decimal("1e-9")
            assert list(row[4:4 + len(CHART_STATUSES)]) == [s.status_counts[st] for st in CHART_STATUSES]
        # the notes and the signature still close the sheet, after the charts
        assert any(str(r[0] or "").startswith("注：") for r in rows[top:])
    finally:
        wb.close()
    with zipfile.ZipFile(october.path) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        assert len(charts) == 2
        xml = "".join(z.read(n).decode() for n in charts)
    first, last = top + 3, top + 2 + len(summaries)  # 1-based rows of the block's data
    assert f"'汇总'!$C${first}:$C${last}" in xml and f"'汇总'!$B${first}:$B${last}" in xml
    assert "平均完成率与平均序时进度" in xml and "重点任务状态（项）" in xml
    assert xml.count("<barDir val=\"bar\"/>") == 2  # both horizontal: the parts' names read across
