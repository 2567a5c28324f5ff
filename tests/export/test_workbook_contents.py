"""The city opens 芙蓉区's October workbook: every part, measure and target is there, with the right numbers."""
from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl.workbook import Workbook

from liubao_desktop.domain.progress import STATUS_COLORS

from .conftest import INJECTIONS, NOTE_INJECTION, ORG_CODE, October, rows_by_code

# 指标完成情况 columns
UNIT, CITY, LOCAL, THIS, CUM, RATE, EXPECTED, PACE, STATUS, UNITS, NOTE, CODE = 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15


def cell_of(ws, code: str, col: int, code_col: int = CODE):  # noqa: ANN001, ANN201
    for row in ws.iter_rows(min_row=1):
        if len(row) >= code_col and row[code_col - 1].value == code:
            return row[col - 1]
    raise AssertionError(f"{code} not in {ws.title}")


def test_the_workbook_has_the_four_sheets_the_city_expects_in_order(book: Workbook) -> None:
    assert book.sheetnames == ["汇总", "指标完成情况", "工作进展", "明细"]


def test_every_sheet_opens_with_title_header_block_and_ends_with_the_signature_line(book: Workbook) -> None:
    for ws in book.worksheets:
        title = ws["A1"].value
        assert "长沙市“六保”实施方案" in title and "芙蓉区" in title and "2020年10月" in title, ws.title
        block = [c.value for c in ws[2] if c.value]
        assert block[0] == "填报单位：芙蓉区"
        assert block[1].startswith("计量单位：")
        assert block[2] == "报送日期：2020年11月5日"
        tail = [c.value for c in ws[ws.max_row] if c.value]
        assert tail == ["单位负责人：", "填表人：李四", "联系电话：", "报出日期：　　　年　　月　　日"], ws.title


def test_every_target_of_the_plan_is_a_row_with_its_unit_as_written(book: Workbook, october: October) -> None:
    ws = book["指标完成情况"]
    rows = rows_by_code(ws, CODE, first_row=4)
    plan = october.plan
    assert list(rows) == [t.code for t in plan.targets()]
    for t in plan.targets():
        assert rows[t.code][2] == t.label
        assert rows[t.code][UNIT - 1] == (t.unit or "%（完成程度）")
    assert [r[0] for r in rows.values()] == list(range(1, len(plan.targets()) + 1))  # 序号 runs on


def test_figures_are_shown_in_the_unit_the_plan_writes_with_full_precision(book: Workbook) -> None:
    ws = book["指标完成情况"]
    row = rows_by_code(ws, CODE)["1.3.1"]  # 援助就业困难人员就业 1.4万人; 5000 人 local; 1000+1523+2000 typed
    assert row[UNIT - 1] == "万人"
    assert row[CITY - 1] == pytest.approx(1.4)
    assert row[LOCAL - 1] == pytest.approx(0.5)
    assert row[THIS - 1] == pytest.approx(0.2)
    assert row[CUM - 1] == pytest.approx(0.4523)
    assert row[RATE - 1] == pytest.approx(0.9046)
    assert row[EXPECTED - 1] == pytest.approx(0.6)  # Aug..Dec 2020: three of five months gone
    assert row[PACE - 1] == pytest.approx(30.46)
    assert row[STATUS - 1] == "绿"
    money = rows_by_code(ws, CODE)["2.4.1"]  # 8.5亿元; 12,500.5万元 typed in September
    assert money[UNIT - 1] == "亿元"
    assert money[CITY - 1] == pytest.approx(8.5)
    assert money[LOCAL - 1] == "同市级"
    assert money[THIS - 1] is None  # nothing typed for October
    assert money[CUM - 1] == pytest.approx(1.25005)
    assert money[STATUS - 1] == "红"


def test_number_formats_show_every_decimal_the_value_has_and_thousands_separators(book: Workbook) -> None:
    ws = book["指标完成情况"]
    assert cell_of(ws, "1.3.1", CITY).number_format == "#,##0.0"
    assert cell_of(ws, "1.3.1", CUM).number_format == "#,##0.0000"
    assert cell_of(ws, "2.4.1", CUM).number_format == "#,##0.00000"
    assert cell_of(ws, "2.3.10", CITY).number_format == "#,##0"  # 5116 户 → 5,116
    assert cell_of(ws, "1.3.1", PACE).number_format == "+0.0;-0.0;0.0"


def test_rates_are_numbers_formatted_as_percentages_not_text(book: Workbook) -> None:
    ws = book["指标完成情况"]
    for code, col in (("1.3.1", RATE), ("1.3.1", EXPECTED), ("6.4.1", CITY), ("6.4.1", THIS), ("1.3.2", CUM)):
        cell = cell_of(ws, code, col)
        assert isinstance(cell.value, float | int), (code, col, cell.value)
        assert cell.number_format == "0.0%"
    assert cell_of(ws, "6.4.1", THIS).value == pytest.approx(0.15)  # 压减15% typed as "15"
    assert cell_of(ws, "6.4.1", RATE).value == pytest.approx(0.75)
    assert cell_of(ws, "1.3.2", CITY).value == 1  # a qualitative target is 100% done when done
    assert cell_of(ws, "1.3.2", THIS).value == pytest.approx(0.85)


def test_blank_zero_and_not_applicable_look_different(book: Workbook) -> None:
    ws = book["指标完成情况"]
    blank, zero, na = cell_of(ws, "2.3.2", THIS), cell_of(ws, "1.4.1", THIS), cell_of(ws, "3.3.2", THIS)
    assert blank.value is None
    assert zero.value == 0 and zero.data_type == "n"
    assert na.value == "不适用" and na.data_type == "s"
    assert na.font.color.rgb.endswith("808080")  # grey text
    assert na.fill.fgColor.rgb.endswith("F2F2F2")  # on a light grey ground
    assert zero.fill.fill_type is None and blank.fill.fill_type is None
    assert cell_of(ws, "3.3.2", CUM).value == "不适用"
    assert cell_of(ws, "3.3.2", RATE).value is None
    assert cell_of(ws, "2.3.2", STATUS).value == "未启动"
    assert cell_of(ws, "3.3.2", STATUS).value == "不适用"


def test_status_cells_are_coloured_with_the_apps_status_colours(book: Workbook) -> None:
    ws = book["指标完成情况"]
    seen = set()
    for row in ws.iter_rows(min_row=4):
        cell = row[STATUS - 1]
        if cell.value in STATUS_COLORS:
            assert cell.fill.fgColor.rgb.upper().endswith(STATUS_COLORS[cell.value].lstrip("#").upper())
            seen.add(cell.value)
    assert {"绿", "红", "不适用", "未启动"} <= seen


def test_target_rows_agree_with_the_report_the_window_shows(book: Workbook, october: October) -> None:
    report = october.report
    rows = rows_by_code(book["指标完成情况"], CODE)
    for code, line in report.targets.items():
        row = rows[code]
        assert row[STATUS - 1] == line.progress.status, code
        rate = line.progress.completion
        assert (row[RATE - 1] is None) == (rate is None), code
        if rate is not None:
            assert row[RATE - 1] == pytest.approx(float(rate)), code
        assert row[EXPECTED - 1] == pytest.approx(float(line.progress.expected)), code


def test_targets_are_grouped_under_part_rows_with_measures_merged_down(book: Workbook) -> None:
    ws = book["指标完成情况"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    part_rows = [r for r in range(4, ws.max_row) if "、" in str(ws.cell(r, 1).value) and ws.cell(r, CODE).value]
    # parts without quantitative targets (五、保产业链供应链稳定, 七、加强组织保障) have no rows here
    assert [ws.cell(r, 1).value for r in part_rows] == [
        "一、保居民就业", "二、保基本民生", "三、保市场主体", "四、保粮食能源安全", "六、保基层运转"]
    for r in part_rows:
        assert f"A{r}:N{r}" in merged
    first = next(r for r in range(4, ws.max_row) if ws.cell(r, CODE).value == "2.3.1")
    last = next(r for r in range(4, ws.max_row) if ws.cell(r, CODE).value == "2.3.13")
    assert ws.cell(first, 2).value == "（三）全力保障基本公共服务"
    assert f"B{first}:B{last}" in merged and f"M{first}:M{last}" in merged
    assert ws.cell(first, UNITS).value.startswith("市卫生健康委（牵头）、")


def test_notes_are_kept_as_typed(book: Workbook) -> None:
    assert cell_of(book["指标完成情况"], "1.3.1", NOTE).value == NOTE_INJECTION


def test_every_measure_has_its_progress_row_with_units_deadline_and_status(book: Workbook, october: October) -> None:
    ws = book["工作进展"]
    rows = rows_by_code(ws, 9, first_row=4)
    assert list(rows) == [m.code for m in october.plan.measures()]
    overdue = rows["6.1"]
    assert overdue[3] == "2020年8月31日前"
    assert overdue[4:8] == ("正在拨付", "部分资金未到位", None, "逾期")
    assert rows["1.1"][2].startswith("市人力资源社会保障局（牵头）、市教育局")
    assert rows["1.1"][4] == INJECTIONS["1.1"]
    assert rows["1.1"][5:7] == ("资金到位慢", "加强调度")
    assert rows["7.1"][2] is None  # 加强组织领导 names no unit
    overdue_cell = next(r[7] for r in ws.iter_rows(min_row=4) if r[8].value == "6.1")
    assert overdue_cell.fill.fgColor.rgb.endswith(STATUS_COLORS["逾期"].lstrip("#").upper())


def test_summary_counts_each_parts_measures_by_status_and_totals_them(book: Workbook, october: October) -> None:
    ws = book["汇总"]
    report = october.report
    expected = report.part_summaries()
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[12] in {p.part.code for p in expected}]
    assert [r[1] for r in rows] == [p.part.title for p in expected]
    order = ["已完成", "绿", "黄", "红", "逾期", "未启动", "不适用"]
    for row, summary in zip(rows, expected, strict=True):
        assert row[2:4] == (summary.measures, summary.targets)
        assert list(row[4:11]) == [summary.status_counts[s] for s in order]
        if summary.average_completion is None:
            assert row[11] is None
        else:
            assert row[11] == pytest.approx(float(summary.average_completion))
    total = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[1] == "合计")
    assert total[2] == len(october.plan.measures()) == sum(total[4:11])
    assert total[3] == len(october.plan.targets())
    rates = [t.progress.completion for t in report.targets.values() if t.progress.completion is not None]
    assert total[11] == pytest.approx(float(sum(rates, Decimal(0)) / len(rates)))


def test_detail_sheet_has_one_row_per_target_and_month_with_stable_codes(book: Workbook, october: October) -> None:
    ws = book["明细"]
    header = [c.value for c in ws[3]]
    assert header[:10] == ["方案代码", "单位代码", "单位名称", "报告期", "领域代码", "领域", "措施代码", "指标代码",
                           "指标", "基本单位"]
    data = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "changsha-2020-26"]
    targets = october.plan.targets()
    assert len(data) == 3 * len(targets)  # August, September, October
    assert [r[3] for r in data[:: len(targets)]] == ["2020-08", "2020-09", "2020-10"]
    assert {(r[1], r[2]) for r in data} == {(ORG_CODE, "芙蓉区")}
    by_key = {(r[3], r[7]): r for r in data}
    aug, oct_ = by_key[("2020-08", "1.3.1")], by_key[("2020-10", "1.3.1")]
    assert aug[4:10] == ("1", "保居民就业", "1.3", "1.3.1", "援助就业困难人员就业", "人")
    assert (aug[10], aug[11]) == (1000, 1000)
    assert (oct_[10], oct_[11], oct_[12], oct_[13]) == (2000, 4523, 5000, "本地分解")  # base units: 人
    assert oct_[14] == pytest.approx(0.9046)
    assert by_key[("2020-09", "2.4.1")][10] == 125005000  # 元
    assert by_key[("2020-10", "3.3.2")][10] == "不适用" and by_key[("2020-10", "3.3.2")][18] == "不适用"
    assert by_key[("2020-10", "2.3.2")][10] is None and by_key[("2020-10", "2.3.2")][18] == "未填报"
    assert by_key[("2020-10", "1.4.1")][10] == 0 and by_key[("2020-10", "1.4.1")][18] == "已填报"
    assert ws.auto_filter.ref == f"A3:T{3 + len(data)}"


def test_workbook_properties_carry_the_plan_org_and_month(book: Workbook) -> None:
    props = {p.name: p.value for p in book.custom_doc_props}
    assert props["liubao.plan_code"] == "changsha-2020-26"
    assert props["liubao.doc_number"] == "长政办发〔2020〕26号"
    assert props["liubao.org_codes"] == ORG_CODE
    assert props["liubao.period"] == "2020-10"
    assert props["liubao.sample_data"] == "0"
    assert "长政办发〔2020〕26号" in book.properties.subject
    assert "芙蓉区" in book.properties.title and "2020年10月" in book.properties.title
