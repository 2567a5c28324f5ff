"""A real spreadsheet program opens the workbook: LibreOffice converts it to PDF (as it would print) and back to xlsx.

One export, two conversions for the whole module (each takes several seconds).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.export.common import part_label
from liubao_desktop.services.export_service import export_workbook
from liubao_desktop.services.ledger import Ledger

from .conftest import OCT, ORG, ORG_CODE, REPORT_DATE, fill_scenario

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                               "scripts/system-packages.sh test installs libreoffice-calc-nogui"),
]
CJK_FAMILIES = ("WenQuanYi", "CJK", "SimSun", "NSimSun", "Song", "YaHei", "Hei", "Ming", "Kai", "Fang")
TARGETS_TITLE = "长沙市“六保”实施方案指标完成情况（芙蓉区，2020年10月）"


@dataclass(frozen=True)
class Converted:
    xlsx: Path
    pdf: Path
    round_trip: Path
    part_labels: tuple[str, ...] = ()


def convert(src: Path, to: str, outdir: Path, profile: Path) -> Path:
    outdir.mkdir(exist_ok=True)
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(outdir), str(src)],
        capture_output=True, text=True, timeout=180,
    )
    out = outdir / f"{src.stem}.{to.split(':')[0]}"
    assert done.returncode == 0 and out.exists(), done.stdout + done.stderr
    return out


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Converted]:
    root = tmp_path_factory.mktemp("lo")
    data = root / "data"
    data.mkdir()
    ledger = Ledger.open(data)
    part_labels: list[str] = []
    try:
        fill_scenario(ledger)
        # Every measure with its month's narrative, as offices write them: 工作进展 runs to several pages.
        written = ledger.narratives(ORG_CODE, OCT)
        for m in ledger.plan.measures():
            if m.code not in written:
                ledger.write_narrative(ORG, m.code, OCT, Narrative(
                    progress=f"围绕“{m.title}”召开调度会 2 次，推进重点事项 5 项，完成阶段性目标。",
                    next_steps="加强调度，按月通报进度。"))
        part_labels.extend(part_label(p) for p in ledger.plan.parts)
        xlsx = root / "芙蓉区-2020-10-六保进展.xlsx"
        export_workbook(ledger, [ORG_CODE], OCT, xlsx, report_date=REPORT_DATE)
    finally:
        ledger.close()
    profile = root / "lo-profile"  # our own profile: no lock clash with another LibreOffice
    yield Converted(xlsx, convert(xlsx, "pdf", root / "pdf", profile), convert(xlsx, "xlsx", root / "back", profile),
                    tuple(part_labels))


def test_every_printed_page_is_a4_landscape(converted: Converted) -> None:
    pages = PdfReader(converted.pdf).pages
    assert len(pages) >= 5
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if (page.get("/Rotate") or 0) % 180:
            width, height = height, width
        assert width > height
        assert (round(width), round(height)) == (842, 595)  # A4 in points


def test_the_target_tables_title_and_headers_repeat_on_its_second_page(converted: Converted) -> None:
    texts = [page.extract_text() for page in PdfReader(converted.pdf).pages]
    target_pages = [t for t in texts if TARGETS_TITLE in t]
    assert len(target_pages) >= 2, "指标完成情况 should take more than one page"
    second = target_pages[1]
    for header in ("填报单位：芙蓉区", "计量单位", "市级目标", "累计完成", "完成率", "序时进度"):
        assert header in second
    assert "第 " in second and " 页 共 " in second  # the footer
    assert "单位负责人" in target_pages[-1]  # the signature line ends the table


def _page_texts(pdf: Path) -> list[str]:
    """The printed pages as laid out (pdftotext keeps a table row on one line; pypdf when poppler is missing)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
        return out.stdout.split("\f")[:-1]
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _sheet_pages(converted: Converted) -> dict[str, list[str]]:
    wb = load_workbook(converted.xlsx, read_only=True)
    try:
        titles = {ws.title: ws["A1"].value for ws in wb.worksheets}
    finally:
        wb.close()
    texts = _page_texts(converted.pdf)
    return {name: [t for t in texts if title in t] for name, title in titles.items()}


def test_libreoffice_breaks_the_pages_exactly_where_the_workbook_says(converted: Converted) -> None:
    """No automatic break of LibreOffice's own comes before one of the writer's: its pages are the writer's."""
    pages = _sheet_pages(converted)
    wb = load_workbook(converted.xlsx)
    try:
        for name in ("汇总", "指标完成情况", "工作进展"):
            assert len(pages[name]) == len(wb[name].row_breaks.brk) + 1, name
    finally:
        wb.close()
    assert len(pages["工作进展"]) >= 3


def test_no_printed_page_of_the_work_sheet_ends_with_a_part_heading(converted: Converted) -> None:
    footer = re.compile(r"第\s*\d+\s*页\s*共\s*\d+\s*页")
    for number, text in enumerate(_sheet_pages(converted)["工作进展"], 1):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not footer.search(ln)]
        headings = [i for i, ln in enumerate(lines) if ln in converted.part_labels]
        assert headings, f"page {number} of 工作进展 shows no part heading; check the test's reading of the PDF"
        assert headings[-1] < len(lines) - 1, f"page {number} of 工作进展 ends with the heading {lines[-1]}"


def test_the_pdf_shows_the_figures_as_formatted(converted: Converted) -> None:
    text = "\n".join(page.extract_text() for page in PdfReader(converted.pdf).pages)
    for shown in ("4,523", "90.5%", "+30.5", "12,500.5", "1.4万人", "不适用", "未分解", "已完成（2020年9月）", "达到",
                  "全年均衡", "逾期"):
        assert shown in re.sub(r"\s", "", text), shown  # a wrapped cell's lines read back as lines


def test_the_pdf_embeds_a_cjk_font(converted: Converted) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    fonts = subprocess.run(["pdffonts", str(converted.pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines()[2:] if any(f in line for f in CJK_FAMILIES)]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk), fonts  # the emb column


def _values(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path)
    try:
        return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows(max_col=ws.max_column)]
                for ws in wb.worksheets}
    finally:
        wb.close()


def test_the_round_tripped_workbook_has_the_same_values(converted: Converted) -> None:
    ours, theirs = _values(converted.xlsx), _values(converted.round_trip)
    assert list(theirs) == list(ours)
    for sheet, rows in ours.items():
        back = theirs[sheet]
        assert len(back) >= len(rows), sheet
        for r, row in enumerate(rows):
            got = back[r] + (None,) * (len(row) - len(back[r]))
            for c, value in enumerate(row):
                if isinstance(value, float):
                    assert got[c] == pytest.approx(value, rel=1e-12), (sheet, r + 1, c + 1)
                else:
                    assert got[c] == value, (sheet, r + 1, c + 1)


def test_the_round_tripped_workbook_keeps_layout_and_formats(converted: Converted) -> None:
    wb = load_workbook(converted.round_trip)
    ws = wb["指标完成情况"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$3"  # (LibreOffice drops view settings such as frozen panes headless)
    assert "A1:O1" in {str(r) for r in ws.merged_cells.ranges}
    rate = next(r[8] for r in ws.iter_rows(min_row=4) if r[15].value == "1.3.1")
    assert rate.number_format == "0.0%"
    quoted = next(r[14] for r in ws.iter_rows(min_row=4) if r[15].value == "1.3.1")
    assert (quoted.value, quoted.data_type) == ("=1+1", "s")
    wb.close()
