"""The city opens 芙蓉区's October workbook: every part, measure and target is there, with the right numbers."""
from __future__ import annotations

import pytest
from openpyxl.workbook import Workbook

from liubao_desktop.domain.plan import PACE_EXPLAINED, PACE_WORDS
from liubao_desktop.domain.progress import STATUS_COLORS, UNJUDGED

from .conftest import INJECTIONS, NOTE_INJECTION, ORG_CODE, October, rows_by_code

# 指标完成情况 columns
UNIT, CITY, LOCAL, THIS, CUM, RATE, RULE, EXPECTED, PACE, STATUS, UNITS, NOTE, CODE = range(4, 17)


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


def test_every_target_of_the_plan_is_a_row_with_the_unit_the_office_types_in(book: Workbook,
                                                                             october: October) -> None:
    ws = book["指标完成情况"]
    rows = rows_by_code(ws, CODE, first_row=4)
    plan = october.plan
    assert list(rows) == [t.code for t in plan.targets()]
    for t in plan.targets():
        assert rows[t.code][2] == t.label
        assert rows[t.code][UNIT - 1] == t.shown_unit  # 人, 万元, %, or 定性
        assert rows[t.code][CITY - 1] == t.written_text  # "1.4万人" as the plan writes it
        assert rows[t.code][RULE - 1] == t.pace_word
    assert [r[0] for r in rows.values()] == list(range(1, len(plan.targets()) + 1))  # 序号 runs on


def test_figures_are_in_the_entry_unit_and_the_city_target_as_written(book: Workbook) -> None:
    ws = book["指标完成情况"]
    row = rows_by_code(ws, CODE)["1.3.1"]  # 援助就业困难人员就业 1.4万人; 5000 人 local; 1000+1523+2000 typed
    assert row[UNIT - 1] == "人"
    assert row[CITY - 1] == "1.4万人"
    assert row[LOCAL - 1] == 5000
    assert row[THIS - 1] == 2000
    assert row[CUM - 1] == 4523
    assert row[RATE - 1] == pytest.approx(0.9046)
    assert row[RULE - 1] == "全年均衡"
    assert row[EXPECTED - 1] == pytest.approx(0.6)  # Aug..Dec 2020: three of five months gone
    assert row[PACE - 1] == pytest.approx(30.46)
    assert row[STATUS - 1] == "绿"
    money = rows_by_code(ws, CODE)["2.4.1"]  # 8.5亿元 of the city; 12,500.5万元 typed in September; 不涉及
    assert money[UNIT - 1] == "万元"
    assert money[CITY - 1] == "8.5亿元"
    assert money[LOCAL - 1] is None
    assert money[THIS - 1] is None  # nothing typed for October
    assert money[CUM - 1] == pytest.approx(12500.5)  # 万元, as typed: not 1.25005 亿元, not 125005000 元
    assert money[RATE - 1] is None and money[EXPECTED - 1] is None and money[PACE - 1] is None
    assert money[STATUS - 1] == "不涉及"


def test_an_undecomposed_city_amount_shows_its_figures_but_no_rate_pace_or_colour(book: Workbook) -> None:
    ws = book["指标完成情况"]
    row = rows_by_code(ws, CODE)["1.4.1"]  # 开展补贴类培训 5万人次 of the city, no 分解目标 for 芙蓉区; 0 typed
    assert row[UNIT - 1] == "人次" and row[CITY - 1] == "5万人次"
    assert row[LOCAL - 1] == "未分解"
    assert row[THIS - 1] == 0 and row[CUM - 1] == 0
    assert (row[RATE - 1], row[EXPECTED - 1], row[PACE - 1]) == (None, None, None)
    assert row[STATUS - 1] == "未分解"
    assert cell_of(ws, "1.4.1", STATUS).fill.fill_type is None  # no colour: nothing is judged
    assert rows_by_code(ws, CODE)["1.1.1"][LOCAL - 1] == "按市级目标"  # a share applies as written


def test_qualitative_targets_show_their_state_and_the_month_they_were_done(book: Workbook) -> None:
    ws = book["指标完成情况"]
    rows = rows_by_code(ws, CODE)
    under_way, done = rows["1.3.2"], rows["2.3.1"]
    assert under_way[UNIT - 1] == "定性" and under_way[CITY - 1] == "完成" and under_way[RULE - 1] == "定性"
    assert (under_way[THIS - 1], under_way[CUM - 1], under_way[PACE - 1]) == ("推进中", "推进中", "推进中")
    assert (under_way[RATE - 1], under_way[EXPECTED - 1], under_way[LOCAL - 1]) == (None, None, None)
    assert under_way[STATUS - 1] == "绿"
    assert done[THIS - 1] is None and done[CUM - 1] == "已完成"  # done in September, nothing typed since
    assert done[PACE - 1] == "已完成（2020年9月）"
    assert done[STATUS - 1] == "已完成"


def test_a_level_target_says_whether_it_is_reached_against_100_percent(book: Workbook) -> None:
    row = rows_by_code(book["指标完成情况"], CODE)["4.2.2"]  # 完好仓容: 120000 吨 against 10万吨 of its own
    assert row[UNIT - 1] == "吨" and row[LOCAL - 1] == 100000 and row[CUM - 1] == 120000
    assert row[RULE - 1] == "期末达到" and row[EXPECTED - 1] == 1
    assert row[PACE - 1] == "达到"
    assert rows_by_code(book["指标完成情况"], CODE)["1.1.1"][RULE - 1] == "自首月起须达到"


def test_the_pace_rules_are_named_under_the_targets_table(book: Workbook) -> None:
    notes = [r[0] for r in book["指标完成情况"].iter_rows(min_row=4, values_only=True)
             if isinstance(r[0], str) and r[0].startswith("注：序时规则")]
    assert len(notes) == 1
    for rule, sentence in PACE_EXPLAINED.items():
        assert PACE_WORDS[rule] in notes[0] and sentence.rstrip("。") in notes[0]


def test_number_formats_show_every_decimal_the_value_has_and_thousands_separators(book: Workbook) -> None:
    ws = book["指标完成情况"]
    assert cell_of(ws, "1.3.1", CUM).number_format == "#,##0"
    assert cell_of(ws, "2.4.1", CUM).number_format == "#,##0.0"
    assert cell_of(ws, "1.3.1", PACE).number_format == "+0.0;-0.0;0.0"


def test_rates_are_numbers_formatted_as_percentages_not_text(book: Workbook) -> None:
    ws = book["指标完成情况"]
    for code, col in (("1.3.1", RATE), ("1.3.1", EXPECTED), ("6.4.1", THIS), ("6.4.1", RATE)):
        cell = cell_of(ws, code, col)
        assert isinstance(cell.value, float | int), (code, col, cell.value)
        assert cell.number_format == "0.0%"
    assert cell_of(ws, "6.4.1", CITY).value == "20%"  # as the plan writes it
    assert cell_of(ws, "6.4.1", THIS).value == pytest.approx(0.15)  # 压减15% typed as "15"
    assert cell_of(ws, "6.4.1", RATE).value == pytest.approx(0.75)


def test_blank_zero_and_not_applicable_look_different(book: Workbook) -> None:
    ws = book["指标完成情况"]
    blank, zero, na = cell_of(ws, "6.3.2", THIS), cell_of(ws, "1.4.1", THIS), cell_of(ws, "3.3.2", THIS)
    assert blank.value is None
    assert zero.value == 0 and zero.data_type == "n"
    assert na.value == "不适用" and na.data_type == "s"
    assert na.font.color.rgb.endswith("808080")  # grey text
    assert na.fill.fgColor.rgb.endswith("F2F2F2")  # on a light grey ground
    assert zero.fill.fill_type is None and blank.fill.fill_type is None
    assert cell_of(ws, "3.3.2", CUM).value == "不适用"
    assert cell_of(ws, "3.3.2", RATE).value is None
    assert cell_of(ws, "6.3.2", STATUS).value == "未启动"
    assert cell_of(ws, "3.3.2", STATUS).value == "不涉及"  # typed 不适用, but not the district's target at all


def test_judged_statuses_take_the_apps_colours_and_unjudged_ones_none(book: Workbook) -> None:
    ws = book["指标完成情况"]
    seen = set()
    for row in ws.iter_rows(min_row=4):
        cell = row[STATUS - 1]
        if cell.value in UNJUDGED:
            assert cell.fill.fill_type is None, cell.value
            seen.add(cell.value)
        elif cell.value in STATUS_COLORS:
            assert cell.fill.fgColor.rgb.upper().endswith(STATUS_COLORS[cell.value].lstrip("#").upper())
            seen.add(cell.value)
    assert {"绿", "已完成", "未启动", "未分解", "不涉及"} <= seen


def test_target_rows_agree_with_the_report_the_window_shows(book: Workbook, october: October) -> None:
    report = october.report
    rows = rows_by_code(book["指标完成情况"], CODE)
    for code, line in report.targets.items():
        row = rows[code]
        p = line.progress
        assert row[STATUS - 1] == p.status, code
        for col, ratio in ((RATE, p.completion), (EXPECTED, p.expected)):
            assert (row[col - 1] is None) == (ratio is None), code
            if ratio is not None:
                assert row[col - 1] == pytest.approx(float(ratio)), code
        if p.status in UNJUDGED:
            assert row[PACE - 1] is None, code
        elif isinstance(row[PACE - 1], str):
            assert row[PACE - 1] == p.pace_text, code


def test_targets_are_grouped_under_part_rows_with_measures_merged_down(book: Workbook) -> None:
    ws = book["指标完成情况"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    part_rows = [r for r in range(4, ws.max_row) if "、" in str(ws.cell(r, 1).value) and ws.cell(r, CODE).value]
    # parts without quantitative targets (五、保产业链供应链稳定, 七、加强组织保障) have no rows here
    assert [ws.cell(r, 1).value for r in part_rows] == [
        "一、保居民就业", "二、保基本民生", "三、保市场主体", "四、保粮食能源安全", "六、保基层运转"]
    for r in part_rows:
        assert f"A{r}:O{r}" in merged
    first = next(r for r in range(4, ws.max_row) if ws.cell(r, CODE).value == "2.3.1")
    last = next(r for r in range(4, ws.max_row) if ws.cell(r, CODE).value == "2.3.13")
    assert ws.cell(first, 2).value == "（三）全力保障基本公共服务"
    assert f"B{first}:B{last}" in merged and f"N{first}:N{last}" in merged
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


SUMMARY_STATUSES = ["已完成", "绿", "黄", "红", "逾期", "未启动", "未分解", "不适用", "不涉及"]
# 汇总 columns after the status counts
DUE, REPORTED, REPORT_RATE, AVERAGE_ALL, AVERAGE_REPORTED, SUMMARY_CODE = range(14, 20)


def test_summary_counts_each_parts_measures_by_status_and_totals_them(book: Workbook, october: October) -> None:
    ws = book["汇总"]
    report = october.report
    expected = report.part_summaries()
    assert [c.value for c in ws[4][4:13]] == SUMMARY_STATUSES
    assert [ws.cell(3, c).value for c in range(DUE, SUMMARY_CODE)] == [
        "应报指标\n（个）", "已报\n（个）", "报送率", "平均完成率\n（未报按0计）", "平均完成率\n（仅已报指标）"]
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True)
            if r[SUMMARY_CODE - 1] in {p.part.code for p in expected}]
    assert [r[1] for r in rows] == [p.part.title for p in expected]
    for row, summary in zip(rows, expected, strict=True):
        assert row[2:4] == (summary.measures, summary.targets)
        assert list(row[4:13]) == [summary.status_counts[s] for s in SUMMARY_STATUSES]
        t = summary.totals
        assert row[DUE - 1:REPORTED] == (t.due, t.reported)
        for col, value in ((REPORT_RATE, t.report_rate), (AVERAGE_ALL, t.average_all),
                           (AVERAGE_REPORTED, t.average_reported)):
            assert row[col - 1] == (None if value is None else pytest.approx(float(value))), (summary.part.code, col)
    total = next(r for r in ws.iter_rows(min_row=5, values_only=True) if r[1] == "合计")
    assert total[2] == len(october.plan.measures()) == sum(total[4:13])
    assert total[3] == len(october.plan.targets())
    # 合计 by hand: 17 targets 芙蓉区 answers for (not 不涉及); 5 with an entry for October (1.3.1, 1.3.2, 1.4.1, 4.2.2, 6.4.1)
    # and 2.3.1, done in September: 6
    assert total[DUE - 1:REPORTED] == (17, 6)
    assert total[REPORT_RATE - 1] == pytest.approx(6 / 17)
    t = report.totals()
    assert (t.due, t.reported) == (17, 6)
    assert total[AVERAGE_ALL - 1] == pytest.approx(float(t.average_all))
    assert total[AVERAGE_REPORTED - 1] == pytest.approx(float(t.average_reported))


def test_detail_sheet_has_one_row_per_target_and_month_with_stable_codes(book: Workbook, october: October) -> None:
    ws = book["明细"]
    header = [c.value for c in ws[3]]
    assert header[:10] == ["方案代码", "单位代码", "单位名称", "报告期", "领域代码", "领域", "措施代码", "指标代码",
                           "指标", "计量单位"]
    assert header[14:18] == ["完成率", "序时规则", "序时进度", "快慢（百分点）"]
    data = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "changsha-2020-26"]
    targets = october.plan.targets()
    assert len(data) == 3 * len(targets)  # August, September, October
    assert [r[3] for r in data[:: len(targets)]] == ["2020-08", "2020-09", "2020-10"]
    assert {(r[1], r[2]) for r in data} == {(ORG_CODE, "芙蓉区")}
    by_key = {(r[3], r[7]): r for r in data}
    aug, oct_ = by_key[("2020-08", "1.3.1")], by_key[("2020-10", "1.3.1")]
    assert aug[4:10] == ("1", "保居民就业", "1.3", "1.3.1", "援助就业困难人员就业", "人")
    assert (aug[10], aug[11]) == (1000, 1000)
    assert (oct_[10], oct_[11], oct_[12], oct_[13]) == (2000, 4523, 5000, "本地分解")  # 人
    assert oct_[14] == pytest.approx(0.9046) and oct_[15] == "全年均衡"
    sep_money = by_key[("2020-09", "2.4.1")]
    assert sep_money[9:11] == ("万元", 12500.5) and sep_money[13] == "不涉及"  # 万元 as typed
    assert by_key[("2020-10", "1.4.1")][13] == "未分解"
    assert by_key[("2020-10", "1.3.2")][9:14] == ("定性", "推进中", "推进中", None, "定性")
    assert by_key[("2020-10", "3.3.2")][10] == "不适用" and by_key[("2020-10", "3.3.2")][19] == "不适用"
    assert by_key[("2020-10", "6.3.2")][10] is None and by_key[("2020-10", "6.3.2")][19] == "未填报"
    assert by_key[("2020-10", "1.4.1")][10] == 0 and by_key[("2020-10", "1.4.1")][19] == "已填报"
    assert by_key[("2020-10", "1.3.2")][19] == "已填报"  # a state is an entry
    assert ws.auto_filter.ref == f"A3:U{3 + len(data)}"


def test_workbook_properties_carry_the_plan_org_and_month(book: Workbook) -> None:
    props = {p.name: p.value for p in book.custom_doc_props}
    assert props["liubao.plan_code"] == "changsha-2020-26"
    assert props["liubao.doc_number"] == "长政办发〔2020〕26号"
    assert props["liubao.org_codes"] == ORG_CODE
    assert props["liubao.period"] == "2020-10"
    assert props["liubao.format_version"] == "2"  # 明细 in entry units, with 序时规则
    assert props["liubao.sample_data"] == "0"
    assert "长政办发〔2020〕26号" in book.properties.subject
    assert "芙蓉区" in book.properties.title and "2020年10月" in book.properties.title
