"""What a figure, a 分解目标, a note and a narrative may be: each rule written once, for the typing and the write.

The ledger checks every value with these on its write path (typed, pasted, undone, imported alike); parsing
what a clerk typed runs the same checks with the typing at hand, so a refusal can quote it.
"""
from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from .figures import (
    MAX_FIGURE_TEXT,
    STATE_HINT,
    FigureInputError,
    FigureValue,
    check_narrative,
    parse_figure_input,
    parse_state_input,
    quote_input,
)
from .narrative import Narrative
from .periods import Period
from .plan import MAX_FIGURE, Target
from .quantities import COUNT_UNITS, format_number, strip_trailing_zeros

MAX_DECIMALS = 4  # in the unit a figure is typed in
NOTE_LIMIT = 500
NARRATIVE_LIMIT = 2000
NARRATIVE_FIELDS = (("progress", "进展情况"), ("problems", "存在问题"), ("next_steps", "下步计划"))
_ANY = Decimal("Infinity")

__all__ = ["MAX_DECIMALS", "MAX_FIGURE", "NARRATIVE_FIELDS", "NARRATIVE_LIMIT", "NOTE_LIMIT", "check_figure",
           "check_local_target", "check_narrative_fields", "check_note", "check_period", "parse_figure",
           "read_figure"]


def read_figure(target: Target, text: str) -> FigureValue:
    """What was typed in the target's entry unit as a base-unit figure — the syntax only, no limits."""
    if target.is_done:
        return parse_state_input(text)
    if not target.is_ratio and ("%" in text or "％" in text):
        # "50%" typed against a count would silently become 50 people.
        raise FigureInputError(f"“{target.label}”按{target.entry_unit}填报，不能填百分数。")
    # The entry unit decides whether 万 / 亿 may follow the number ("1.5万" 人, "1.5亿" 万元, never in %).
    value = parse_figure_input(text, allow_negative=True, max_value=_ANY, max_decimals=MAX_FIGURE_TEXT,
                               unit=target.entry_unit)
    return value if value.number is None else FigureValue.of(target.from_entry(value.number))


def check_figure(target: Target, value: FigureValue, typed: str | None = None) -> None:
    """Refuse (FigureInputError) a figure the target cannot take: a sign, a size, decimals, a share above
    100%, half a person. ``typed``: the clerk's typing, quoted by the refusal instead of the target's name."""
    if target.is_done and value.number is not None:
        raise FigureInputError(f"“{target.label}”是定性指标，不填数字：{STATE_HINT}。")
    if value.state is not None and not target.is_done:
        raise FigureInputError(f"“{target.label}”要填数字，不能填“{value.state}”。")
    n = value.number
    if n is None:
        return
    shown = None if typed is None else quote_input(typed.strip())
    if n < 0 and not target.may_be_negative:
        raise FigureInputError(f"“{shown}”是负数，这一项不能填负数。" if shown is not None
                               else f"“{target.label}”不能填负数。")
    if abs(n) > target.max_base:
        if shown is None:
            raise FigureInputError("数值过大或无效，请检查。")
        raise FigureInputError(f"数值过大：“{shown}”超过了 {format_number(target.to_entry(target.max_base))}，"
                               "请检查是否多输了位数或填错了单位。")
    entry = strip_trailing_zeros(target.to_entry(n))
    if entry.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]  # finite, so the exponent is an int
        raise FigureInputError(f"“{shown}”的小数位数过多：最多保留 {MAX_DECIMALS} 位小数。" if shown is not None
                               else f"“{target.label}”最多保留 {MAX_DECIMALS} 位小数（按{target.entry_unit}计）。")
    if target.is_ratio and entry > 100 and target.comparator != "increase_by":
        # A share, a 完成程度 or a cut cannot pass 100%; only a growth rate can.
        raise FigureInputError(f"“{target.label}”是百分比，不能超过 100%。")
    if target.entry_unit in COUNT_UNITS and entry != entry.to_integral_value():
        raise FigureInputError(f"“{target.label}”按{target.entry_unit}计，只能填整数。")


def parse_figure(target: Target, text: str) -> FigureValue:
    """What a clerk typed, read and checked: a base-unit figure, BLANK or NOT_APPLICABLE; FigureInputError."""
    value = read_figure(target, text)
    check_figure(target, value, text)
    return value


def check_local_target(target: Target, base: Decimal | None, typed: str | None = None) -> None:
    """A 分解目标 is a figure the target could take, and more than nothing; None: the city's target applies."""
    if base is None:
        return
    if target.is_done:
        raise FigureInputError(f"“{target.label}”是定性指标，没有分解目标。")
    check_figure(target, FigureValue.of(base), typed)
    if base <= 0:
        raise FigureInputError("分解目标必须大于 0；不设分解目标请清空。")


def check_note(text: str) -> str:
    """A 备注 as stored (trimmed); FigureInputError when it is longer than NOTE_LIMIT."""
    note = text.strip()
    if len(note) > NOTE_LIMIT:
        raise FigureInputError(f"备注不能超过 {NOTE_LIMIT} 个字（现在 {len(note)} 个字）。")
    return note


def check_narrative_fields(new: Narrative) -> Narrative:
    """A narrative as stored: each text cleaned (one kind of line break, no stray control characters — they
    would break a workbook cell) and within NARRATIVE_LIMIT."""
    cleaned: dict[str, str] = {}
    for key, label in NARRATIVE_FIELDS:
        text = getattr(new, key)
        try:
            cleaned[key] = check_narrative(text, NARRATIVE_LIMIT)
        except FigureInputError:
            raise FigureInputError(
                f"{label}不能超过 {NARRATIVE_LIMIT} 个字（现在 {len(text.strip())} 个字）。") from None
    return Narrative(**cleaned, done=new.done)


def check_period(period: Period, periods: Collection[Period]) -> None:
    """Only the plan's months take figures and narratives."""
    if period not in periods:
        raise FigureInputError(f"{period.label} 不在方案的执行期内。")
