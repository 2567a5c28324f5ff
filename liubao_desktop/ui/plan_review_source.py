"""Where the reader's parts, measures and targets are in the document's text, for the review dialog.

The proposal keeps phrases, not offsets: its texts are the document's paragraphs stripped, lines a page break
cut joined again, page numbers and units annotations taken out. So a phrase is looked for in the source text
with whitespace, page furniture ("— 3 —") and markdown bold marks skipped and half-width punctuation read as
full-width (``SourceIndex``), and the offsets found are offsets in the source text as shown.

Plain Python (no Qt): the dialog and ``plan_review_decisions`` both use it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.plan_reader import PlanProposal
from ..domain.plan_reader.blocks import is_page_furniture
from ..domain.plan_reader.text import to_full_width

_PROBE = 24  # characters of a measure's first and last line looked for to find where it starts and ends


def compact(text: str) -> str:
    """The text as compared: no whitespace, no ``**``, full-width punctuation."""
    return "".join(ch for ch in to_full_width(text.replace("**", "")) if not ch.isspace())


class SourceIndex:
    """The source text without whitespace, page furniture and ``**``, each character remembering its offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        chars: list[str] = []
        offsets: list[int] = []
        pos = 0
        for line in text.splitlines(keepends=True):
            if not is_page_furniture(line.strip()) or not line.strip():
                full = to_full_width(line)
                i = 0
                while i < len(line):
                    if line.startswith("**", i):
                        i += 2
                        continue
                    if not line[i].isspace():
                        chars.append(full[i])
                        offsets.append(pos + i)
                    i += 1
            pos += len(line)
        self._compact = "".join(chars)
        self._offsets = offsets

    def _compact_at(self, offset: int) -> int:
        """The first compact character at or after a source offset."""
        lo, hi = 0, len(self._offsets)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._offsets[mid] < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def find(self, phrase: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
        """Where ``phrase`` is, as (start, end) offsets into the source text, at or after ``start`` and ending by
        ``end``; None when it is not there."""
        needle = compact(phrase)
        if not needle:
            return None
        i = self._compact.find(needle, self._compact_at(start))
        if i < 0:
            return None
        first, last = self._offsets[i], self._offsets[i + len(needle) - 1] + 1
        if end is not None and last > end:
            return None
        return first, last

    def find_heading(self, title: str, start: int = 0) -> tuple[int, int] | None:
        """Where a heading's title is: an occurrence near the start of its line ("一、保居民就业"), not the same
        words inside a sentence before it."""
        while (found := self.find(title, start)) is not None:
            line_start = self.text.rfind("\n", 0, found[0]) + 1
            if len(compact(self.text[line_start:found[0]])) <= 8:
                return found
            start = found[0] + 1
        return None

    def compact_from(self, offset: int, length: int) -> str:
        """Up to ``length`` compared characters from a source offset on (what a cursor is in front of)."""
        i = self._compact_at(offset)
        return self._compact[i:i + length]


Span = tuple[int, int]


@dataclass(frozen=True)
class Locations:
    """Offsets into the source text: a part by its index, a measure by its code, a target by (measure code,
    index in the measure's targets). What was not found is absent."""

    parts: dict[int, Span]
    measures: dict[str, Span]
    targets: dict[tuple[str, int], Span]

    def measure_at(self, offset: int) -> str | None:
        """The measure whose text holds an offset, else the last measure starting before it."""
        best: tuple[int, str] | None = None
        for code, (s, e) in self.measures.items():
            if s <= offset < e:
                return code
            if s <= offset and (best is None or s > best[0]):
                best = (s, code)
        return best[1] if best else None


def _first_line(text: str) -> str:
    return next((line for line in text.split("\n") if line.strip()), "")


def _last_line(text: str) -> str:
    return next((line for line in reversed(text.split("\n")) if line.strip()), "")


_ANNOTATION = re.compile(r"\s*[（(][^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*(?:单位|部门|负责|牵头|配合|时限)"
                         r"[^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*[）)][。；]?")


def _with_annotation(text: str, end: int) -> int:
    """A measure's end moved past the units annotation that closes it ("（责任单位：…）"), which its text lacks."""
    m = _ANNOTATION.match(text, end)
    return m.end() if m else end


def locate(proposal: PlanProposal, index: SourceIndex) -> Locations:
    """Find every part, measure and target of the proposal in the source, in document order."""
    parts: dict[int, Span] = {}
    measures: dict[str, Span] = {}
    targets: dict[tuple[str, int], Span] = {}
    cursor = 0
    for pi, part in enumerate(proposal.parts):
        title = None if part.title == proposal.title else index.find_heading(part.title, cursor)
        if title:
            cursor = title[1]
        part_start = title[0] if title else None
        part_end = title[1] if title else None
        for m in part.measures:
            head = compact(_first_line(m.text))[:_PROBE] or compact(m.title)
            found = index.find(head, cursor) or index.find(m.title, cursor)
            if found is None:
                continue
            start = found[0]
            tail = compact(_last_line(m.text))[-_PROBE:]
            last = index.find(tail, start) if tail else None
            end = _with_annotation(index.text, max(found[1], last[1]) if last else found[1])
            measures[m.code] = (start, end)
            cursor = start + 1
            part_start = start if part_start is None else part_start
            part_end = end if part_end is None else max(part_end, end)
            t_cursor = start
            for ti, t in enumerate(m.targets):
                span = index.find(t.source, t_cursor, end) or index.find(t.source, start, end)
                if span is None:
                    span = index.find(t.source, start)  # a phrase past the measure's last line (a sub-item)
                if span:
                    targets[(m.code, ti)] = span
                    t_cursor = span[0]
        if part_start is not None and part_end is not None:
            parts[pi] = (part_start, part_end)
    return Locations(parts, measures, targets)
