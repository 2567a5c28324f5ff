"""The plan tree as plain, immutable data: plan → parts → measures → targets, with responsible units."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .quantities import PERCENT, RATIO_UNIT, convert, format_number

# How a target's figures add up over months.
KIND_CUMULATIVE = "cumulative"  # 本期完成 adds up: 援助就业1.4万人
KIND_STOCK = "stock"  # the latest figure counts: 仓容166万吨
KIND_RATE = "rate"  # a percentage, the latest counts: 不低于新增岗位的50%
KIND_DONE = "done"  # qualitative (全覆盖, 清零): figures are 完成程度 in %
KINDS = (KIND_CUMULATIVE, KIND_STOCK, KIND_RATE, KIND_DONE)

COMPARATORS = (">=", "<=", "=", "reduce_by", "increase_by", "done")
# A change achieved (压减了15%, 增长了-3%) may be negative; every other figure counts something.
SIGNED_COMPARATORS = ("increase_by", "reduce_by")
# No figure may exceed this, neither in the unit it is typed in nor in its base unit.
MAX_FIGURE = Decimal("1e15")

# How 序时进度 runs for a target: the rule is named in the window's tooltip and in every report's legend.
PACE_LINEAR = "linear"  # built up over the months to the deadline: counts, sums, 压减/提升, levels built by a date
PACE_FROM_START = "from_start"  # binds from the first month: shares and rates (不低于50%), ceilings (不超过)
PACE_LEVEL = "level"  # a level to hold (仓容166万吨完好): each month's 期末数 meets it or not
PACE_QUALITATIVE = "qualitative"  # 定性 (清零, 全覆盖): a state, 未开始 / 推进中 / 已完成, no 序时 line
PACE_WORDS = {
    PACE_LINEAR: "全年均衡",
    PACE_FROM_START: "自首月起须达到",
    PACE_LEVEL: "期末达到",
    PACE_QUALITATIVE: "定性",
}
PACE_EXPLAINED = {
    PACE_LINEAR: "序时进度按月均衡推进到完成时限。",
    PACE_FROM_START: "比例、比率和上限自第一个月起就须达到，序时进度为100%。",
    PACE_LEVEL: "按每月期末数判断是否达到目标（达到/未达到），不按序时累计。",
    PACE_QUALITATIVE: "定性指标按状态（未开始/推进中/已完成）和完成时限判断，没有序时进度。",
}


def pace_legend() -> str:
    """One line naming every 序时 rule, for the legend of a report: "全年均衡：…；自首月起须达到：…"."""
    return "；".join(f"{PACE_WORDS[k]}：{PACE_EXPLAINED[k].rstrip('。')}" for k in PACE_WORDS) + "。"


# Words that make a stock target something built up by its deadline rather than a level held from the start.
_BUILD_UP_WORDS = ("新增", "建成", "建立", "扩充", "达到", "增加", "新建")

# How a city target reaches an office below the city.
REACH_RELATIVE = "relative"  # shares, rates, 压减/提升, 定性, per-unit figures: apply to each office as written
REACH_ABSOLUTE = "absolute"  # amounts (人, 万元, 个…): an office answers for them only through its 分解目标

# The levels a target's own phrase may name ("市本级、园区、区县（市）所属国有企业"), by the office kinds they mean.
_LEVEL_WORDS = {
    "市本级": ("city",),
    "区县(市)": ("district", "county_city", "new_area", "custom"),
    "区县（市）": ("district", "county_city", "new_area", "custom"),
    "园区": ("park", "new_area"),
}


@dataclass(frozen=True)
class Target:
    """One 量化指标 of a measure, as the plan writes it and in base units."""

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

    # -- what kind of figure it takes: decided here only --------------------------------------------------
    @property
    def is_ratio(self) -> bool:
        """Figures are ratios (rates, shares), typed and shown in %, stored as 0.5 for 50%."""
        return self.entry_unit == PERCENT and not self.is_done

    @property
    def is_done(self) -> bool:
        """A qualitative target (全覆盖, 清零): its figures are 完成程度 against 100%."""
        return self.kind == KIND_DONE or self.comparator == "done"

    @property
    def pace(self) -> str:
        """Which 序时 rule the target follows (PACE_*), read from its kind, comparator and phrase."""
        if self.is_done:
            return PACE_QUALITATIVE
        if self.comparator == "<=" or (self.kind == KIND_RATE and self.comparator in (">=", "=")):
            return PACE_FROM_START
        if self.kind == KIND_STOCK and not any(w in self.source for w in _BUILD_UP_WORDS):
            return PACE_LEVEL
        return PACE_LINEAR

    @property
    def pace_word(self) -> str:
        return PACE_WORDS[self.pace]

    @property
    def reach(self) -> str:
        """REACH_RELATIVE when the target applies to each office as written (a share, a rate, a cut, 定性, or a
        figure per unit: 每个乡镇卫生院配备全科医生2名); REACH_ABSOLUTE for an amount of the whole city."""
        if self.is_done or self.is_ratio or self.source.startswith("每"):
            return REACH_RELATIVE
        return REACH_ABSOLUTE

    def named_levels(self) -> set[str] | None:
        """The office kinds the target's own phrase names (市本级 → the city, 区县（市） → districts…), None when
        the phrase names no level and the measure's responsible units decide."""
        kinds = {k for word, ks in _LEVEL_WORDS.items() if word in self.source for k in ks}
        return kinds or None

    @property
    def may_be_negative(self) -> bool:
        return self.comparator in SIGNED_COMPARATORS

    @property
    def city_goal(self) -> Decimal | None:
        """The city's goal in base units; None for a qualitative target (a state, not a number)."""
        return None if self.is_done else self.base_value

    @property
    def shown_unit(self) -> str:
        """计量单位 as a table shows it: the entry unit, or 定性 for a target that takes a state."""
        return "定性" if self.is_done else self.entry_unit

    @property
    def max_base(self) -> Decimal:
        """The largest figure in base units: MAX_FIGURE in the entry unit and in the base unit alike."""
        return min(MAX_FIGURE, self.from_entry(MAX_FIGURE))

    # -- units: the entry unit (typed, shown), the base unit (stored), the written unit (the plan's) ----------
    def from_entry(self, number: Decimal) -> Decimal:
        """A number as typed (entry unit) in base units: 50 (%) → 0.5, 1.5 (万元) → 15000 (元). Exact."""
        if self.is_ratio:
            return convert(number, PERCENT, RATIO_UNIT)
        return convert(number, self.entry_unit, self.base_unit) if self.base_unit else number

    def to_entry(self, base: Decimal) -> Decimal:
        """A base-unit figure in the entry unit: 0.5 → 50 (%), 15000 元 → 1.5 (万元). Exact."""
        if self.is_ratio:
            return convert(base, RATIO_UNIT, PERCENT)
        return convert(base, self.base_unit, self.entry_unit) if self.base_unit else base

    def to_written(self, base: Decimal) -> Decimal:
        """A base-unit figure in the unit the plan writes the target in (万人, 亿元); ratios stay ratios."""
        if self.is_ratio or not self.base_unit:
            return base
        return convert(base, self.base_unit, self.unit or self.base_unit)

    @property
    def written_text(self) -> str:
        """The city's target as the plan writes it: "1.4万人", "50%"; "完成" for a qualitative target."""
        if self.is_done:
            return "完成"
        if self.base_value is None:
            return ""
        return f"{format_number(self.value or self.base_value)}{self.unit or self.entry_unit}"


def measure_code_of(target_code: str) -> str:
    """The measure a target belongs to, read from its code: targets are numbered within their measure (1.3.1 is
    measure 1.3's first), in the seed and in every plan the reader proposes (plan_reader/proposal.py)."""
    return target_code.rsplit(".", 1)[0]


@dataclass(frozen=True)
class Measure:
    """One 重点任务 of the plan: its text, responsible units, deadline and targets."""

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
    """One part of the plan (一、保居民就业) and its measures."""

    code: str  # "1"
    seq: int
    title: str  # "保居民就业"
    measures: tuple[Measure, ...] = ()


@dataclass(frozen=True)
class Plan:
    """The plan document as issued: its parts, measures and targets."""

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

    def fingerprint(self) -> str:
        """A short hash of what the plan asks (every target's code, value, unit, comparator, kind, deadline), written
        into templates and exports: a workbook made for another version of the plan is refused on import."""
        import hashlib

        text = "\n".join(f"{t.code}|{t.value}|{t.unit}|{t.comparator}|{t.kind}|{t.deadline}|{t.entry_unit}"
                          for t in self.targets())
        return hashlib.sha256(f"{self.code}\n{self.doc_number}\n{text}".encode()).hexdigest()[:16]

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
