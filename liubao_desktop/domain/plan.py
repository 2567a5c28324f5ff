"""The plan tree as plain, immutable data: plan → parts → measures → targets, with responsible units."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# How a target's figures add up over months.
KIND_CUMULATIVE = "cumulative"  # 本期完成 adds up: 援助就业1.4万人
KIND_STOCK = "stock"  # the latest figure counts: 仓容166万吨
KIND_RATE = "rate"  # a percentage, the latest counts: 不低于新增岗位的50%
KIND_DONE = "done"  # qualitative (全覆盖, 清零): figures are 完成程度 in %
KINDS = (KIND_CUMULATIVE, KIND_STOCK, KIND_RATE, KIND_DONE)

COMPARATORS = (">=", "<=", "=", "reduce_by", "increase_by", "done")


@dataclass(frozen=True)
class Target:
    code: str  # "1.3.1", stable within its plan
    label: str  # short name shown in tables: "援助就业困难人员就业"
    value: Decimal | None  # as written: 1.4 (None for qualitative targets)
    unit: str | None  # as written: "万人"
    base_value: Decimal | None  # normalized: 14000
    base_unit: str | None  # normalized: "人" ("" for ratios)
    comparator: str
    kind: str
    deadline: date | None  # None: the plan's end date applies
    source: str  # exact phrase of the plan text the target comes from
    entry_unit: str  # the unit figures are typed and shown in: "人", "万元", "%"


@dataclass(frozen=True)
class Measure:
    code: str  # "1.3"
    seq: int
    title: str  # first clause, no numbering
    text: str  # full original text, page-break artifacts joined
    units: tuple[str, ...]  # responsible units in document order; the first is 牵头
    deadline: date | None
    deadline_phrase: str | None
    targets: tuple[Target, ...] = ()

    @property
    def lead_unit(self) -> str | None:
        return self.units[0] if self.units else None


@dataclass(frozen=True)
class Part:
    code: str  # "1"
    seq: int
    title: str  # "保居民就业"
    measures: tuple[Measure, ...] = ()


@dataclass(frozen=True)
class Plan:
    code: str  # stable code for exports and later imports: "changsha-2020-26"
    title: str
    short_title: str
    doc_number: str
    issuer: str
    issued_on: date | None
    effective_from: date
    effective_to: date
    parts: tuple[Part, ...] = field(default_factory=tuple)

    def measures(self) -> list[Measure]:
        return [m for p in self.parts for m in p.measures]

    def targets(self) -> list[Target]:
        return [t for m in self.measures() for t in m.targets]

    def measure(self, code: str) -> Measure:
        for m in self.measures():
            if m.code == code:
                return m
        raise KeyError(code)

    def target(self, code: str) -> Target:
        for t in self.targets():
            if t.code == code:
                return t
        raise KeyError(code)

    def units(self) -> list[str]:
        """Every responsible unit once, in order of first appearance."""
        seen: dict[str, None] = {}
        for m in self.measures():
            for u in m.units:
                seen.setdefault(u, None)
        return list(seen)


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 30 → 三十: the plan's own numbering of parts and measures."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def part_heading(part: Part) -> str:
    """"一、保居民就业", as the plan heads its parts."""
    return f"{chinese_numeral(part.seq)}、{part.title}"
