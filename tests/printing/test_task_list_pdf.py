"""Printed task lists as a clerk hands them out: real PDFs, read back with poppler's pdftotext/pdffonts and pypdf."""
from __future__ import annotations

import gc
import re
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from liubao_desktop.domain.deadlines import Deadline
from liubao_desktop.domain.periods import Period
from liubao_desktop.files.outputs import OutputError
from liubao_desktop.printing.fonts import CJK_FONT_PREFERENCE, choose_cjk_family
from liubao_desktop.printing.pdf import write_task_list_pdf
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.task_list import (
    NO_UNIT,
    TaskGroup,
    TaskList,
    TaskListOptions,
    TaskRow,
)

from .pdf_reading import COLUMN_HEADER, FOOTER, compact, fonts, pages

A4_POINTS = (595.28, 841.89)
MakeList = Callable[..., TaskList]
PdfPath = Callable[[str], Path]


def sections(pdf_pages: list[str], headings: list[str]) -> list[tuple[str, str]]:
    """(heading, text up to the next heading) in reading order over all pages. A heading is a unit's or part's
    name followed by its count ("市财政局共12项"); the heading repeated on a continuation page continues the
    section, so a row split over a page break stays in its unit's section."""
    names = "|".join(re.escape(h) for h in sorted(headings, key=len, reverse=True))
    pattern = re.compile(f"(?:{names})(?=共\\d+项)")
    text = "".join(pdf_pages)
    marks = [(m.start(), m.group(0)) for m in pattern.finditer(text)]
    found: list[tuple[str, str]] = []
    for i, (start, name) in enumerate(marks):
        part = text[start:marks[i + 1][0] if i + 1 < len(marks) else len(text)]
        if found and found[-1][0] == name:
            found[-1] = (name, found[-1][1] + part)
        else:
            found.append((name, part))
    return found


def test_the_whole_plan_by_unit_lists_every_measure_under_each_of_its_units(
    sample_ledger: Ledger, task_list: MakeList, pdf_path: PdfPath
) -> None:
    pdf = pdf_path("whole-plan")
    write_task_list_pdf(task_list(), pdf)
    plan = sample_ledger.plan
    units = [*plan.units(), NO_UNIT]
    found: set[tuple[str, str]] = set()
    for unit, text in sections(pages(pdf), units):
        for m in plan.measures():
            if compact(m.title) in text:
                found.add((unit, m.code))
                if m.units:
                    assert f"{m.units[0]}（牵头）" in text, f"{m.code} under {unit}: 牵头 not marked"
    expected = {(u, m.code) for m in plan.measures() for u in (m.units or (NO_UNIT,))}
    assert len(plan.measures()) == 30
    assert found == expected, f"missing {sorted(expected - found)}, misplaced {sorted(found - expected)}"


def test_the_list_for_one_unit_holds_exactly_its_measures(
    sample_ledger: Ledger, task_list: MakeList, pdf_path: PdfPath
) -> None:
    pdf = pdf_path("finance")
    write_task_list_pdf(task_list(unit="市财政局"), pdf)
    text = "".join(pages(pdf))
    printed = {m.code for m in sample_ledger.plan.measures() if compact(m.title) in text}
    assert printed == {"2.1", "3.1", "3.2", "3.3", "4.2", "4.5", "5.2", "5.4", "6.1", "6.2", "6.3", "6.4"}
    assert "市财政局共12项（牵头4项、配合8项）" in text


def test_the_page_is_a4_portrait_with_an_embedded_chinese_font(task_list: MakeList, pdf_path: PdfPath) -> None:
    pdf = pdf_path("fonts")
    write_task_list_pdf(task_list(), pdf)
    for page in PdfReader(pdf).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (round(A4_POINTS[0]), round(A4_POINTS[1]))
    family = compact(choose_cjk_family()).casefold()
    embedded = [f for f in fonts(pdf) if f["emb"] == "yes"]
    assert any(family in f["name"].casefold() for f in embedded), fonts(pdf)
    assert all(f["emb"] == "yes" for f in fonts(pdf)), "every font on the page must travel with the file"


def test_the_chosen_face_follows_the_design_order_whatever_is_installed() -> None:
    assert choose_cjk_family(["DejaVu Sans", "WenQuanYi Micro Hei", "Noto Sans CJK SC"]) == "Noto Sans CJK SC"
    assert choose_cjk_family(["微软雅黑", "Noto Sans CJK SC"]) == "微软雅黑"
    assert choose_cjk_family(["simsun", "Microsoft YaHei"]) == "simsun"
    assert CJK_FONT_PREFERENCE[-1][0] == "WenQuanYi Micro Hei"


def test_column_headers_repeat_on_every_page_and_the_footer_counts_pages(
    task_list: MakeList, pdf_path: PdfPath
) -> None:
    pdf = pdf_path("by-part-full-text")
    # By part with the full text: the tables run over several pages each, no page break helps them.
    n = write_task_list_pdf(task_list(group_by="part", full_text=True), pdf)
    texts = pages(pdf)
    assert n == len(texts) >= 3
    assert texts[1].count(COLUMN_HEADER) >= 1 and not texts[1].startswith("一、保居民就业")
    for number, text in enumerate(texts, 1):
        assert COLUMN_HEADER in text, f"page {number} has rows but no column headers"
        assert FOOTER.findall(text) == [(str(number), str(n))]
    # Repeated, not merely many tables: more header rows than there are parts.
    assert sum(t.count(COLUMN_HEADER) for t in texts) > 7


def test_page_two_opens_under_the_running_header_with_a_section_heading_and_the_columns(
    task_list: MakeList, pdf_path: PdfPath
) -> None:
    pdf = pdf_path("by-unit")
    write_task_list_pdf(task_list(), pdf)
    page2 = pages(pdf)[1]
    header, body = page2.split("芙蓉区2020年9月", 1)
    assert header.startswith("长沙市“六保”实施方案·重点任务清单") and "长政办发〔2020〕26号" in header
    heading = re.match(r"(\S+?)共\d+项（牵头\d+项、配合\d+项）(，[红逾期\d项、]+)?", body)
    assert heading is not None, body[:80]
    assert body[heading.end():].startswith(COLUMN_HEADER)


def test_a_page_break_between_units_starts_every_unit_on_a_page_of_its_own(
    task_list: MakeList, pdf_path: PdfPath
) -> None:
    chosen = task_list()
    pdf = pdf_path("break")
    n = write_task_list_pdf(chosen, pdf, page_break=True)
    texts = pages(pdf)
    assert n == len(chosen.groups) == len(texts)
    for group, text in zip(chosen.groups, texts, strict=True):
        assert f"{compact(group.heading)}共{len(group.rows)}项" in text


def test_an_empty_selection_prints_a_page_that_says_so(task_list: MakeList, pdf_path: PdfPath) -> None:
    pdf = pdf_path("empty")
    # 市会展办 has one task (5.5), qualitative and running to 2021: never red or overdue in 2020-08.
    chosen = task_list(Period(2020, 8), unit="市会展办", only_late=True)
    assert chosen.is_empty
    assert write_task_list_pdf(chosen, pdf) == 1
    (text,) = pages(pdf)
    assert "没有符合条件的任务" in text and "市会展办" in text and "第1页共1页" in text
    assert COLUMN_HEADER not in text


def test_sample_figures_are_marked_on_the_paper(task_list: MakeList, pdf_path: PdfPath) -> None:
    pdf = pdf_path("sample")
    write_task_list_pdf(task_list(), pdf)
    texts = pages(pdf)
    assert "示例数据" in texts[0] and all("示例数据" in t for t in texts[1:])


def test_the_title_block_names_the_plan_its_number_the_office_the_month_and_the_print_date(
    task_list: MakeList, pdf_path: PdfPath
) -> None:
    pdf = pdf_path("title")
    write_task_list_pdf(task_list(), pdf)
    first = pages(pdf)[0]
    for words in ("长沙市全面落实“六保”任务做好当前重点工作的实施方案", "长政办发〔2020〕26号", "填报单位：芙蓉区",
                  "报告期：2020年9月", "打印日期：2020年10月8日"):
        assert words in first


def _synthetic_list(group_sizes: list[int]) -> TaskList:
    def row(g: int, i: int) -> TaskRow:
        return TaskRow(seq=i, measure_code=f"{g}.{i}", part_heading="", title=f"任务{g:03d}-{i:02d}", text="",
                       units=("市甲局", "市乙局"), role="", deadline=Deadline(date(2020, 12, 31)), status="绿",
                       completion=Decimal("0.5"))

    groups = tuple(TaskGroup(f"G{g:03d}", f"分组{g:03d}", tuple(row(g, i) for i in range(1, n + 1)))
                   for g, n in enumerate(group_sizes, 1))
    return TaskList("测试方案", "测试", "测试〔2020〕1号", "芙蓉区", Period(2020, 9), date(2020, 10, 8),
                    TaskListOptions(group_by="part"), groups)


def test_a_group_heading_never_sits_alone_at_the_bottom_of_a_page(pdf_path: PdfPath) -> None:
    # Groups of 1..9 rows put the headings at every height of the page over some twenty pages; a heading
    # kept apart from its first row would end a page with the column headers and nothing under them.
    pdf = pdf_path("keep-with-next")
    write_task_list_pdf(_synthetic_list([1 + g % 9 for g in range(120)]), pdf)
    texts = pages(pdf)
    assert len(texts) > 10
    for number, text in enumerate(texts, 1):
        body = FOOTER.sub("", text)
        last = list(re.finditer(r"分组(\d{3})共\d+项", body))[-1]
        after = body[last.end():]
        assert re.search(rf"任务{last.group(1)}-\d\d", after), f"page {number} ends with a lone heading: {after!r}"


def test_an_unwritable_file_is_an_error_not_a_crash(task_list: MakeList, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="保存位置.*不存在"):
        write_task_list_pdf(task_list(), tmp_path / "no-such-folder" / "x.pdf")


def test_printing_again_and_again_leaves_the_interpreter_intact(task_list: MakeList, pdf_path: PdfPath) -> None:
    # A clerk flipping options in the preview re-prints the list every time; a lost reference per Qt call
    # would end in "Fatal Python error: none_dealloc" and take the unsaved window with it.
    chosen = task_list()
    write_task_list_pdf(chosen, pdf_path("warm-up"))
    gc.collect()
    before = sys.getrefcount(None)
    for i in range(3):
        write_task_list_pdf(chosen, pdf_path(f"again-{i}"))
    gc.collect()
    assert sys.getrefcount(None) - before > -50


def test_every_row_is_printed_whole_on_one_page(task_list: MakeList, pdf_path: PdfPath) -> None:
    # By unit with the full measure text: rows of ten lines and more, over many pages. A row cut by a page break
    # used to continue at the top of the next page (the 国资委 group's last row did).
    chosen = task_list(full_text=True)
    pdf = pdf_path("rows-whole")
    write_task_list_pdf(chosen, pdf)
    texts = [FOOTER.sub("", t) for t in pages(pdf)]
    assert len(texts) > 10
    for group in chosen.groups:
        for row in group.rows:
            start = compact(f"{row.measure_code}{row.title}")
            end = compact(row.text)[-12:]
            holding = [n for n, t in enumerate(texts, 1) if start + compact(row.text)[:12] in t]
            assert holding, f"{row.measure_code} not found"
            assert all(end in texts[n - 1] for n in holding), f"{group.heading} {row.measure_code} split at page {holding}"
