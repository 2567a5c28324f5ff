"""The written report as a .docx laid out like a Chinese government document (GB/T 9704-2012).

A4; margins 上37 下35 左28 右26 mm, so the type area is 156 × 225 mm; 22 lines of 28 characters (line pitch exactly
28.95 pt, the document grid's character pitch 15.8 pt); title 2号 (22 pt) 方正小标宋简体; body 3号 (16 pt)
仿宋_GB2312; 一级标题 黑体, 二级标题 楷体_GB2312; page numbers "— 1 —" in 4号 (14 pt) 宋体 7 mm below the type
area, odd pages at the right and even pages at the left, one character in from the edge.

The fonts are set by *name* for East Asian text (``w:eastAsia`` in ``w:rFonts``): Word and WPS on an office PC have
these faces; a machine without them substitutes its own (LibreOffice on Linux: Noto/文泉驿), which changes the look,
never the words. Latin letters and digits take Times New Roman, as office templates do.

python-docx is imported only here and in ``docx_file.py`` (import contract), and only when a report is written.
"""
from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING, BinaryIO

from .report_model import BODY, HEADING1, HEADING2, Figure, OfficialReport, Paragraph, Table

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.section import Section
    from docx.text.paragraph import Paragraph as DocxParagraph
    from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

TITLE_PT = 22.0  # 2号
BODY_PT = 16.0  # 3号
PAGE_NUMBER_PT = 14.0  # 4号
TABLE_PT = 10.5  # 五号
CAPTION_PT = 14.0  # 4号
LINE_PT = 28.95  # 225 mm / 22 lines
CHARS_PER_LINE = 28
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
PAGE_MM = (210.0, 297.0)
TYPE_AREA_MM = (156.0, 225.0)
PAGE_NUMBER_GAP_MM = 7.0  # the page number's line sits 7 mm below the type area
EM_DASH = "\u2014"


def write_report_docx(report: OfficialReport, fh: BinaryIO) -> None:
    """Lay ``report`` out and write the .docx into the binary file ``fh``."""
    from docx import Document

    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _title(doc, report.title)
    if report.remark:
        p = doc.add_paragraph()
        p.alignment = 1
        _run(p, report.remark, HEADING2_FONT, BODY_PT)
    doc.add_paragraph()  # 标题下空一行
    p = _paragraph(doc, indent=False)
    _run(p, report.addressee, BODY_FONT, BODY_PT)
    for block in report.body:
        if isinstance(block, Figure):
            _figure(doc, block)
        else:
            _block(doc, block)
    if report.attachment_label:
        doc.add_paragraph()  # 正文下空一行编排附件说明
        p = _paragraph(doc)
        _run(p, report.attachment_label, BODY_FONT, BODY_PT)
    _signature(doc, report.signature, report.date_text)
    if report.attachment is not None:
        _attachment(doc, report.attachment)
    props = doc.core_properties
    props.title = report.title.replace("\n", "")
    props.author = report.signature
    props.keywords = "、".join(report.keywords)
    buffer = io.BytesIO()
    doc.save(buffer)
    fh.write(buffer.getvalue())


# -- page ------------------------------------------------------------------------------------------------------
def _page_setup(doc: DocxDocument) -> None:
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    # The number's line (14 pt ≈ 4.9 mm) starts 7 mm below the type area: its foot is this far above the edge.
    section.footer_distance = Mm(MARGINS_MM["bottom"] - PAGE_NUMBER_GAP_MM - 5.0)
    section.header_distance = Mm(15)
    _document_grid(section)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def _document_grid(section: Section) -> None:
    """22 lines a page: Word's line grid (pitch in twips). The 28 characters a line come from the body's
    character spacing (``_styles``), not from a character grid: LibreOffice puts a 16 pt character that does not fit
    a 15.8 pt grid cell into two cells (about 15 characters a line), where Word squeezes it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))
    grid.attrib.pop(qn("w:charSpace"), None)


def character_spacing_twips() -> int:
    """How much closer than 3号 the body's characters are set for 28 to a 156 mm line, in twentieths of a point
    (rounded away from zero so the 28th still fits): 156 mm / 28 = 15.79 pt → −0.25 pt = −5."""
    from docx.shared import Mm

    pitch_pt = Mm(TYPE_AREA_MM[0]).pt / CHARS_PER_LINE
    return math.floor((pitch_pt - BODY_PT) * 20)


def _page_number(p: DocxParagraph, *, odd: bool) -> None:
    """"— 7 —": 4号宋体, odd pages right-aligned and even pages left-aligned, one character in from the edge."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(0)
    if odd:
        fmt.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_PT)
    _run(p, f"{EM_DASH} ", PAGE_NUMBER_FONT, PAGE_NUMBER_PT, latin=PAGE_NUMBER_FONT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _run(p, "", PAGE_NUMBER_FONT, PAGE_NUMBER_PT, latin=PAGE_NUMBER_FONT)
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    _run(p, f" {EM_DASH}", PAGE_NUMBER_FONT, PAGE_NUMBER_PT, latin=PAGE_NUMBER_FONT)


def _styles(doc: DocxDocument) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    _document_defaults(doc)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    _set_fonts(rpr, BODY_FONT, LATIN_FONT)
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    spacing = OxmlElement("w:spacing")  # 28 characters a line (see _document_grid)
    spacing.set(qn("w:val"), str(character_spacing_twips()))
    rpr.append(spacing)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.widow_control = False  # a government page is filled line by line, 22 to a page


def _document_defaults(doc: DocxDocument) -> None:
    """The document's default run: 仿宋_GB2312 3号, Chinese. Word and LibreOffice measure the grid's character
    pitch from this size, so it must be the body's (the template's 11 pt gave about 15 characters a line)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_FONT, LATIN_FONT)
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(round(BODY_PT * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _set_fonts(rpr: object, east_asia: str, latin: str) -> None:
    """ascii / hAnsi / cs for Latin letters and digits, eastAsia for Chinese: the name Word and WPS look up."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would override the name


def _run(p: DocxParagraph, text: str, east_asia: str, size: float, *, bold: bool = False,
         latin: str = LATIN_FONT) -> Run:
    from docx.shared import Pt

    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    _set_fonts(run._r.get_or_add_rPr(), east_asia, latin)
    return run


def _paragraph(doc: DocxDocument, *, indent: bool = True) -> DocxParagraph:
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(BODY_PT * 2) if indent else Pt(0)
    return p


# -- content ---------------------------------------------------------------------------------------------------
def _title(doc: DocxDocument, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(35)  # two lines of 2号 need more than the body's 28.95 pt …
    _no_snap(p)  # … and off the line grid, which would give each of them two grid lines
    for i, line in enumerate(title.split("\n")):
        run = _run(p, line, TITLE_FONT, TITLE_PT)
        if i:
            run._r.addprevious(_break_run(p, TITLE_PT))


def _no_snap(p: DocxParagraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr = p._p.get_or_add_pPr()
    ppr.insert(0, snap)


def _break_run(p: DocxParagraph, size: float) -> object:
    """A run holding a line break (where the draft chose to turn a long title's line)."""
    run = _run(p, "", TITLE_FONT, size)
    run.add_break()
    return run._r


def _block(doc: DocxDocument, block: Paragraph) -> None:
    p = _paragraph(doc)
    if block.kind == HEADING1:
        _run(p, block.text, HEADING1_FONT, BODY_PT)
        return
    if block.kind == HEADING2:
        _run(p, block.text, HEADING2_FONT, BODY_PT)
        return
    assert block.kind == BODY, block.kind
    if block.lead:
        _run(p, block.lead, BODY_FONT, BODY_PT, bold=True)
    if block.text:
        _run(p, block.text, BODY_FONT, BODY_PT)
    if block.own:
        _run(p, block.own, BODY_FONT, BODY_PT)


def _figure(doc: DocxDocument, figure: Figure) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact line height would crop the picture
    fmt.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(figure.png), width=Mm(figure.width_mm))
    cap = doc.add_paragraph()
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap.paragraph_format.first_line_indent = Pt(0)
    _run(cap, figure.caption, HEADING2_FONT, CAPTION_PT)


def _text_width_chars(text: str) -> float:
    """Width in body characters: digits and Latin letters are half a character."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _signature(doc: DocxDocument, office: str, date_text: str) -> None:
    """落款 without a seal: the date right-indented four characters, the office centred over it (正文下空一行)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.add_paragraph()
    date_w, office_w = _text_width_chars(date_text), _text_width_chars(office)
    right_chars = 4 + max(0.0, (date_w - office_w) / 2)
    for text, chars in ((office, right_chars), (date_text, 4.0)):
        p = _paragraph(doc, indent=False)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(BODY_PT * chars)
        _run(p, text, BODY_FONT, BODY_PT)


def _attachment(doc: DocxDocument, table: Table) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    p = _paragraph(doc, indent=False)
    p.add_run().add_break(WD_BREAK.PAGE)
    _run(p, "附件", HEADING1_FONT, BODY_PT)
    doc.add_paragraph()
    _title(doc, table.title)
    doc.add_paragraph()
    t = doc.add_table(rows=1, cols=len(table.header))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for column, width in zip(t.columns, table.widths_mm, strict=True):
        column.width = Mm(width)  # the grid LibreOffice lays the table out by

    def fill(cells: object, values: tuple[str, ...], *, head: bool) -> None:
        for cell, value, width in zip(cells, values, table.widths_mm, strict=True):  # type: ignore[call-overload]
            cell.width = Mm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER if head or len(value) <= 8 else WD_ALIGN_PARAGRAPH.LEFT
            fmt = para.paragraph_format
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            _no_snap(para)  # a table row as high as its text, not a grid line of 28.95 pt per text line
            _run(para, value, HEADING1_FONT if head else BODY_FONT, TABLE_PT)

    fill(t.rows[0].cells, table.header, head=True)
    header_pr = t.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row again on every page of the table
    repeat.set(qn("w:val"), "true")
    header_pr.append(repeat)
    for row in table.rows:
        fill(t.add_row().cells, row, head=False)
    if table.note:
        p = _paragraph(doc, indent=False)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _no_snap(p)
        _run(p, table.note, BODY_FONT, TABLE_PT)
