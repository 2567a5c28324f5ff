"""The city's workbook: the four sheets rolled up from its 13 offices, plus 分单位 and 报送情况 — read back raw."""
from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.export_service import export_workbook
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.rollup import org_report, rolled_up
from liubao_desktop.services.sample_data import fill_sample_data
from liubao_desktop.services.submissions import submissions
from tests.conftest import REPO

SEP = Period(2020, 9)
CITY = "430100"
TODAY = date(2020, 10, 8)  # three days after 每月5日前


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """The city's September workbook from sample data of all 13 offices, with what the ledger said."""
    root = tmp_path_factory.mktemp("city")
    (root / "data").mkdir()
    ledger = Ledger.open(root / "data")
    try:
        fill_sample_data(ledger, [o.code for o in ledger.orgs()], SEP, narratives=False)
        out = root / "长沙市-2020-09.xlsx"
        result = export_workbook(ledger, [CITY], SEP, out, report_date=TODAY, today=TODAY)
        report = org_report(ledger, CITY, SEP)
        subs = submissions(ledger, CITY, SEP, TODAY)
        offices = [o.name for o in ledger.orgs()]
    finally:
        ledger.close()
    wb = load_workbook(out)
    yield result, wb, report, subs, offices
    wb.close()


def header_row(ws, first: str) -> int:  # noqa: ANN001
    return next(r for r in range(1, 8) if ws.cell(r, 1).value == first)


def test_the_city_workbook_has_the_four_sheets_and_the_childrens_two(city) -> None:  # noqa: ANN001
    result, wb, *_ = city
    assert wb.sheetnames == ["汇总", "指标完成情况", "工作进展", "明细", "分单位", "报送情况"]
    assert result.sheets == tuple(wb.sheetnames)
    for name in ("分单位", "报送情况"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.print_title_rows == "$1:$3"
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_targets_sheet_shows_sums_ranges_and_counts(city) -> None:  # noqa: ANN001
    _, wb, report, *_ = city
    ws = wb["指标完成情况"]
    rows = {r[15]: r for r in ws.iter_rows(min_row=4, values_only=True) if r and isinstance(r[15], str)}
    jobs = report.targets["1.3.1"]
    assert rows["1.3.1"][7] == jobs.progress.actual.number  # 累计完成: the offices' sum, a number
    share = rolled_up(report.targets["1.1.1"])
    assert rows["1.1.1"][7] == share.range_text(report.targets["1.1.1"].target)
    assert "%–" in rows["1.1.1"][7] or rows["1.1.1"][7].endswith("%")
    assert rows["1.1.1"][8] is None  # no 完成率 made up from a range
    assert rows["1.1.1"][11] == share.count_text()  # 快慢: how many meet it
    assert rows["1.3.2"][7] == rolled_up(report.targets["1.3.2"]).count_text()
    assert rows["1.1.1"][12] == report.targets["1.1.1"].progress.status
    assert "汇总" in rows["1.3.1"][14]


def test_units_sheet_has_a_column_per_office_their_sum_and_the_reporting_rows(city) -> None:  # noqa: ANN001
    _, wb, report, subs, offices = city
    ws = wb["分单位"]
    top = header_row(ws, "序号")
    headers = [c.value for c in ws[top]]
    assert headers[:4] == ["序号", "指标", "计量单位", "目标"]
    assert headers[4:17] == offices and headers[17:] == ["合计", "说明", "指标代码"]
    assert ws.column_dimensions["T"].hidden  # the code column is for machines
    rows = {r[19]: r for r in ws.iter_rows(min_row=top + 1, values_only=True) if r and isinstance(r[19], str)
            and r[19].count(".") == 2}
    assert len(rows) == 39
    for code, line in report.targets.items():
        r = rolled_up(line)
        row = rows[code]
        if r is None:
            assert row[18].startswith("本级填报") and set(row[4:17]) == {"—"}
            continue
        cells = dict(zip(offices, row[4:17], strict=True))
        for child in r.children:
            cell = cells[child.name]
            if not child.involved:
                assert cell == "不涉及"
            elif child.not_applicable:
                assert cell == "不适用"
            elif child.missing:
                assert cell == "缺报"
            elif child.progress.actual.number is not None:
                expected = child.progress.actual.number
                assert Decimal(str(cell)) == (expected if line.target.is_ratio else line.target.to_entry(expected))
        if r.how == "sum" and r.total is not None:
            numbers = [Decimal(str(v)) for v in row[4:17] if isinstance(v, (int, float))]
            assert Decimal(str(row[17])) == sum(numbers, Decimal(0)) == line.target.to_entry(r.total), code
    # the two rows under the targets
    tail = [r for r in ws.iter_rows(min_row=top + 1, values_only=True) if r and r[1] in (
        "平均完成率（未报按0计）", "报送情况（已报／应报）")]
    assert [r[1] for r in tail] == ["平均完成率（未报按0计）", "报送情况（已报／应报）"]
    by_name = {s.org.name: s for s in subs.rows}
    for name, cell in zip(offices, tail[1][4:17], strict=True):
        s = by_name[name]
        assert cell == f"{s.entered}/{s.due}" + ("\n逾期" if s.late else "")
    assert tail[1][17] == f"报齐 {subs.count('已报送')}/13"


def test_submissions_sheet_lists_each_office_k_of_n_late_and_last_entry(city) -> None:  # noqa: ANN001
    _, wb, _, subs, offices = city
    ws = wb["报送情况"]
    top = header_row(ws, "序号")
    assert [c.value for c in ws[top]][:10] == ["序号", "单位", "应报指标\n（个）", "已报\n（个）", "报送率", "报送情况",
                                              "截止日期", "是否逾期", "最近填报日期", "未报指标（代码）"]
    assert "每月5日前" in ws.cell(2, 1).value + "".join(str(c.value or "") for c in ws[2])
    rows = [r for r in ws.iter_rows(min_row=top + 1, max_row=top + 13, values_only=True)]
    assert [r[1] for r in rows] == offices
    for r, s in zip(rows, subs.rows, strict=True):
        assert (r[2], r[3], r[5], r[6], r[7]) == (s.due, s.entered, s.state_text, "2020年10月5日", s.late_text)
        assert r[10] == s.org.code
        if s.late:
            assert r[7] == "逾期 3 天"
        if s.missing:
            assert r[9].startswith(s.missing[0])
    assert any(s.late for s in subs.rows)
    total = next(r for r in ws.iter_rows(min_row=top + 14, values_only=True) if r and r[0] == "合计")
    assert total[3] == sum(s.entered for s in subs.rows)
    late_cell = next(c for c in ws[top + 1 + next(i for i, s in enumerate(subs.rows) if s.late)] if c.column == 8)
    assert late_cell.fill.fgColor.rgb.endswith("C9302C")  # 逾期's colour


def test_a_units_name_is_never_a_formula_in_the_offices_workbook(ledger: Ledger, tmp_path: Path) -> None:
    bad = ledger.add_unit("芙蓉区", "=1+1")
    good = ledger.add_unit("芙蓉区", "区人社局")
    for unit in (bad, good):
        ledger.assign(unit.code, "1.3.1")
    ledger.record_figure(good.code, "1.3.1", SEP, FigureValue.of(Decimal(120)))
    out = tmp_path / "芙蓉区.xlsx"
    result = export_workbook(ledger, ["芙蓉区"], SEP, out, report_date=TODAY, today=TODAY)
    assert result.sheets[-2:] == ("分单位", "报送情况")
    wb = load_workbook(out)
    ws = wb["分单位"]
    top = header_row(ws, "序号")
    cell = ws.cell(top, 5)
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
    row = next(r for r in ws.iter_rows(min_row=top + 1) if r[8].value == "1.3.1")
    assert (row[4].value, row[5].value, row[6].value) == ("缺报", 120, 120)
    names = [r[1] for r in wb["报送情况"].iter_rows(min_row=4, values_only=True)][:2]
    assert names == ["=1+1", "区人社局"]
    assert wb["报送情况"].cell(4, 2).quotePrefix
    wb.close()


@pytest.mark.slow
def test_the_export_command_writes_the_citys_workbook(ledger: Ledger, data_dir: Path, tmp_path: Path) -> None:
    fill_sample_data(ledger, [o.code for o in ledger.orgs()], SEP, narratives=False)
    ledger.close()
    out = tmp_path / "长沙市.xlsx"
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(data_dir), "export", "--org",
                           "长沙市", "--period", "2020-09", "--out", str(out)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "已导出 长沙市 2020年9月 的报送报表" in done.stdout
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames[-2:] == ["分单位", "报送情况"]
    wb.close()
