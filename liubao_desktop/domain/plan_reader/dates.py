"""Dates as plans write them: 2020年7月31日 or 二〇二〇年七月三十一日, deadlines (…前, X月底前, 年底前, 完成时限：…,
长期坚持), and the deadline a target's own sentence gives it (全年, 2020年内, 2020年至2021年, 在2019年基础上)."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .numerals import cn_integer

_N = r"[0-9〇零一二三四五六七八九十两]"
DATE_RE = re.compile(rf"({_N}{{4}})\s*年\s*({_N}{{1,3}})\s*月\s*({_N}{{1,3}})\s*日")
# Deadlines, longest forms first. Groups: year, month, day (any may be empty).
_DEADLINE_RES = (
    re.compile(rf"(?:到|于|在)?({_N}{{4}})\s*年\s*({_N}{{1,3}})\s*月\s*({_N}{{1,3}})\s*日\s*(?:前|之前|以前)"),
    re.compile(rf"(?:到|于|在)?(?:({_N}{{4}})\s*年\s*)?({_N}{{1,3}})\s*月()(?:底|末|份)\s*(?:前|之前|以前)"),
    re.compile(rf"(?:到|于|在)?(?:({_N}{{4}})\s*年\s*)?()()(?:年底|年末)\s*(?:前|之前|以前)"),
)
NO_DATE_WORDS = ("长期坚持", "持续推进", "长期推进", "持续开展", "常态化推进")


def _int(text: str) -> int:
    return int(text) if text.isdigit() else cn_integer(text)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def to_date(y: str, m: str, d: str) -> date | None:
    try:
        return date(_int(y), _int(m), _int(d))
    except ValueError:
        return None


def first_date(text: str) -> date | None:
    m = DATE_RE.search(text)
    return to_date(*m.groups()) if m else None


@dataclass(frozen=True)
class Due:
    day: date | None  # None: 长期坚持 and the like
    phrase: str  # as written: "2020年12月31日前", "6月底前", "长期坚持"
    start: int = 0  # where in the text
    end: int = 0


def deadlines_in(text: str, year: int | None) -> list[Due]:
    """Every deadline in the text, in order. A month or 年底 without its year takes the nearest year written
    before it in the text, else ``year`` (the plan's own year); without either it is left out."""
    found: list[Due] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DEADLINE_RES:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            y, mo, d = m.groups()
            if y:
                yy = _int(y)
            else:
                years = re.findall(r"(\d{4})年", text[: m.start()])
                if years:
                    yy = int(years[-1])
                elif year is not None:
                    yy = year
                else:
                    continue
            try:
                if d:
                    day = date(yy, _int(mo), _int(d))
                elif mo:
                    day = month_end(yy, _int(mo))
                else:
                    day = date(yy, 12, 31)
            except ValueError:
                continue
            phrase = m.group(0).lstrip("到于在")
            found.append(Due(day, phrase, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for word in NO_DATE_WORDS:
        i = text.find(word)
        if i >= 0:
            found.append(Due(None, word, i, i + len(word)))
    return sorted(found, key=lambda d: d.start)


def deadline_of_phrase(text: str, year: int | None) -> Due | None:
    """A 完成时限 cell or annotation: "2021年6月底前", "2021年12月", "2021年", "长期坚持"."""
    text = text.strip()
    dues = deadlines_in(text, year)
    if dues:
        return dues[-1] if dues[-1].day else dues[0]
    d = first_date(text)
    if d:
        return Due(d, text)
    m = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月", text)
    if m:
        return Due(month_end(int(m[1]), int(m[2])), text)
    m = re.search(r"(\d{4})\s*年", text)
    if m:
        return Due(date(int(m[1]), 12, 31), text)
    return Due(None, text) if text else None


def sentence_deadline(sentence: str, year: int | None, plan_end: date | None) -> Due | None:
    """The deadline a target takes from its own sentence: a dated …前 first, then 2020年至2021年 (to the end of
    2021, never past the plan), 2020年内, 全年 / 年内 (the plan's year), 在2019年基础上 (the year after 2019)."""
    dated = [d for d in deadlines_in(sentence, year) if d.day is not None]
    if dated:
        return max(dated, key=lambda d: d.day)  # type: ignore[arg-type,return-value]
    m = re.search(r"(\d{4})\s*年\s*(?:至|到|—|-|－)\s*(\d{4})\s*年", sentence)
    if m:
        day = date(int(m[2]), 12, 31)
        return Due(min(day, plan_end) if plan_end else day, m.group(0))
    m = re.search(r"(\d{4})\s*年(?:内|全年|度内)", sentence)
    if m:
        return Due(date(int(m[1]), 12, 31), m.group(0))
    m = re.search(r"(?:全年|年内|今年)", sentence)
    if m and year is not None:
        return Due(date(year, 12, 31), m.group(0))
    m = re.search(r"在\s*(\d{4})\s*年(?:的)?基础上", sentence)
    if m:
        return Due(date(int(m[1]) + 1, 12, 31), m.group(0))
    return None
