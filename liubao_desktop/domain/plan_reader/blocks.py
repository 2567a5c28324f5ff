"""What a document is made of for the reader: paragraphs (with their bold lead, if any) and tables, in order.

A .txt becomes paragraphs here (``text_blocks``); a .docx is read by ``liubao_desktop.documents`` into the same
blocks, with the bold runs a paragraph starts with and the level of a Word heading style.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .limits import check_size


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold_lead: str = ""  # the text of the bold runs the paragraph starts with ("抓好粮食收购储备。")
    heading_level: int | None = None  # 1 for Word's 标题 1 / Heading 1, None for body text


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # cell texts; a merged cell repeats its text in every row/column it spans


Block = Paragraph | Table

# Page furniture left in a text copied from a printed document: "— 3 —", "- 12 -", "第 3 页 共 9 页", "3".
_PAGE_FURNITURE = re.compile(
    r"^\s*(?:[-—–－]+\s*\d+\s*[-—–－]+|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d{1,3}|\f)\s*$"
)
# "**抓好粮食收购储备**" — markdown bold that crept into a text copy: read as the paragraph's bold lead.
_MARKDOWN_BOLD = re.compile(r"^(.*?)\*\*(.+?)\*\*")


def is_page_furniture(line: str) -> bool:
    return bool(_PAGE_FURNITURE.match(line))


def text_blocks(text: str) -> list[Paragraph]:
    """A plain text as paragraphs: one per non-empty line, page numbers and form feeds dropped.

    Lines cut by a page break or a hard wrap are joined later, by the reader, where it knows what a heading is.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = text.split("\n")
    check_size(len(lines), len(text))
    out: list[Paragraph] = []
    for line in lines:
        line = line.strip().replace("\u3000", " ").strip()
        if not line or is_page_furniture(line):
            continue
        bold = ""
        m = _MARKDOWN_BOLD.match(line)
        if m and "**" not in m[1]:
            bold = m[2]
            lead = m[1]
            # A numbered heading with its title in bold: "（二）**抓好粮食收购储备**。" — the number is not bold.
            if lead.strip() and len(lead.strip()) > 8:
                bold = ""
        line = line.replace("**", "")
        out.append(Paragraph(line, bold_lead=bold))
    return out
