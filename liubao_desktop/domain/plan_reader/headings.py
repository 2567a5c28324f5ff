"""Headings at any depth, by how they are numbered: 第一章 / 第一部分, 一、, （一）, 1. / 1、, （1） / ①, 第一条,
a bold run-in heading, a Word heading style. Which style is nested in which is read from the document's own
order (the first style seen is the top; a new style below the current one goes one deeper)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Paragraph
from .numerals import cn_integer
from .text import to_full_width

_CN = "一二三四五六七八九十百零〇两"
_PATTERNS = (
    ("chapter", re.compile(rf"^第([{_CN}\d]+)(?:章|部分|篇)\s*(.*)$", re.S)),
    ("article", re.compile(rf"^第([{_CN}\d]+)条\s*(.*)$", re.S)),
    ("cn_comma", re.compile(rf"^([{_CN}]+)\s*[、.．]\s*(.+)$", re.S)),
    ("cn_paren", re.compile(rf"^（\s*([{_CN}]+)\s*）\s*[、.]?\s*(.+)$", re.S)),
    ("arabic_dot", re.compile(r"^(\d{1,2})\s*(?:[、]|\.(?!\d))\s*(.+)$", re.S)),
    ("arabic_paren", re.compile(r"^（\s*(\d{1,2})\s*）\s*[、.]?\s*(.+)$", re.S)),
    ("circled", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*(.+)$", re.S)),
)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Article-like headings that are not sections: "（一）" inside a sentence never starts a paragraph, but "一是"
# does — those are enumerations within a measure, left in its text.
_TITLE_END = re.compile(r"[。！？；]")


@dataclass(frozen=True)
class Heading:
    style: str
    number: str  # as written
    seq: int | None  # the number as an int, when it is one
    title: str
    body: str  # the heading paragraph's text after its number (title included)


def number_value(style: str, number: str) -> int | None:
    try:
        if style == "circled":
            return _CIRCLED.index(number) + 1
        return int(number) if number.isdigit() else cn_integer(number)
    except ValueError:
        return None


def title_of(body: str, bold: str = "") -> str:
    """The heading's title: its bold lead, else its first sentence; a long first sentence is cut at its comma."""
    if bold:
        return bold.strip().rstrip("。：:；;，,").strip()
    m = _TITLE_END.search(to_full_width(body))
    title = body[: m.start()] if m else body
    if len(title) > 40:
        cut = to_full_width(title).find("，")
        if cut > 0:
            title = title[:cut]
    return title.strip()


def heading_of(par: Paragraph) -> Heading | None:
    text = par.text.strip()
    norm = to_full_width(text)
    for style, pattern in _PATTERNS:
        m = pattern.match(norm)
        if not m:
            continue
        number = m[1]
        body = text[m.start(2):].strip() if m.lastindex and m.lastindex >= 2 else ""
        if style == "cn_comma" and len(number) > 3:
            continue
        seq = number_value(style, number)
        if seq is None or seq == 0:
            continue
        bold = par.bold_lead.strip()
        if bold:
            # The bold lead may include the number ("（一）全力促进…。"): keep only what follows it.
            head = norm[: m.start(2)].strip() if m.lastindex and m.lastindex >= 2 else norm
            if to_full_width(bold).startswith(head):
                bold = bold[len(head):].strip()
            if not bold or not body.startswith(bold):
                bold = ""
        return Heading(style, number, seq, title_of(body, bold) if body else "", body)
    if par.heading_level is not None:
        return Heading(f"word{par.heading_level}", "", None, title_of(text), text)
    if par.bold_lead and len(par.bold_lead.strip()) >= 2:
        return Heading("bold", "", None, title_of(text, par.bold_lead), text)
    return None


def is_title_only(h: Heading) -> bool:
    """A heading that is a title and nothing more ("一、保居民就业"): text under it is never glued onto it."""
    return not _TITLE_END.search(to_full_width(h.body)) or h.body.strip() == h.title
