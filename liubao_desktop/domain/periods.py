"""Reporting periods (报告期): one calendar month, written "2020-09" and shown "2020年9月"."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

# "2020-09", "2020-9", "2020/09" and the label form "2020年9月" all name the same month.
_PERIOD_RE = re.compile(r"(\d{4})\s*[-/年]\s*(\d{1,2})\s*月?")


@dataclass(frozen=True, order=True)
class Period:
    """A month. Field order (year, month) makes comparison chronological."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"月份应在 1 到 12 之间，而不是 {self.month}。")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"年份应在 1 到 9999 之间，而不是 {self.year}。")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read "2020-09" (also "2020-9", "2020/09", "2020年9月", full-width digits)."""
        # NFKC folds full-width digits and dashes typed with a Chinese input method.
        m = _PERIOD_RE.fullmatch(unicodedata.normalize("NFKC", text).strip())
        if not m:
            raise ValueError(f"报告期“{text}”格式不对，应写成“2020-09”这样的年-月。")
        return cls(int(m[1]), int(m[2]))

    @classmethod
    def from_date(cls, day: date) -> Period:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)  # not calendar.monthrange: calendar loads locale at start

    def next(self) -> Period:
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    def prev(self) -> Period:
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)


def periods_between(start: date, end: date) -> list[Period]:
    """Every month touched by start..end, partial months included; empty when end is before start."""
    if end < start:
        return []
    periods = [Period.from_date(start)]
    last = Period.from_date(end)
    while periods[-1] < last:
        periods.append(periods[-1].next())
    return periods


def plan_periods(effective_from: date, effective_to: date) -> list[Period]:
    """The reporting months of a plan: 2020-08-01..2021-12-31 gives 17, from 2020-08 to 2021-12."""
    return periods_between(effective_from, effective_to)


def default_period(effective_from: date, effective_to: date, with_data: Iterable[Period] = ()) -> Period:
    """The month a window opens on: the latest of the plan's months with data, else the plan's first month."""
    months = plan_periods(effective_from, effective_to)
    if not months:
        raise ValueError("方案的有效期结束日期早于开始日期，没有报告期。")
    inside = [p for p in with_data if months[0] <= p <= months[-1]]
    return max(inside) if inside else months[0]
