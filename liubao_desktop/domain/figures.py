"""What a clerk types into a figure cell: a number, nothing yet (blank), or 不适用 — three different answers.

A blank cell means "not reported", 0 means "reported, nothing achieved", 不适用 means "this target does not
concern us". Reports and status rules must never confuse them, so they are kept apart from the first keystroke.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .quantities import format_number, strip_trailing_zeros

NOT_APPLICABLE_TEXT = "不适用"
# What people write in Chinese forms for "does not apply to us".
NOT_APPLICABLE_WORDS = frozenset({NOT_APPLICABLE_TEXT, "/", "无需填报", "不涉及"})
NUMBER_HINT = "请输入数字，例如 1523；不适用的请输入“不适用”"

_PLAIN_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED_RE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_EXPONENT_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+")
# Control characters pasted from Word or WPS; openpyxl refuses to write them into a cell.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n"})


class FigureInputError(ValueError):
    """Input a clerk must correct; the message is Chinese and says how."""


@dataclass(frozen=True)
class FigureValue:
    number: Decimal | None = None
    not_applicable: bool = False

    def __post_init__(self) -> None:
        if self.number is not None and self.not_applicable:
            raise ValueError("一个数值不能同时是数字和“不适用”。")
        if self.number is not None and (not isinstance(self.number, Decimal) or not self.number.is_finite()):
            raise TypeError(f"填报数值必须是有限的 Decimal，而不是 {self.number!r}。")

    @classmethod
    def of(cls, number: Decimal | int) -> FigureValue:
        if isinstance(number, float):
            raise TypeError("填报数值不能是浮点数，请使用 Decimal。")
        return cls(Decimal(number) if isinstance(number, int) else number)

    @property
    def is_blank(self) -> bool:
        return self.number is None and not self.not_applicable

    @property
    def is_number(self) -> bool:
        return self.number is not None


BLANK = FigureValue()
NOT_APPLICABLE = FigureValue(None, True)


def format_figure(value: FigureValue, max_decimals: int = 4) -> str:
    """How a figure reads in a table or a report: "" when blank, "不适用", or the number with separators."""
    if value.not_applicable:
        return NOT_APPLICABLE_TEXT
    if value.number is None:
        return ""
    return format_number(value.number, max_decimals)


def parse_figure_input(
    text: str,
    *,
    allow_negative: bool = False,
    max_value: Decimal = Decimal("1e15"),
    max_decimals: int = 4,
) -> FigureValue:
    """Read what a clerk typed. "1,523", "１５２３", "12.5%" are numbers (a trailing % is only dropped: the
    caller knows the unit); "" is blank; "不适用", "/", "无需填报", "不涉及" are not applicable."""
    # NFKC folds full-width digits, comma, period, percent and minus from a Chinese input method;
    # "。" is what the IME gives for "." and a clerk typing "1。5" means 1.5.
    cleaned = unicodedata.normalize("NFKC", text).strip().replace("。", ".").replace("\u2212", "-")
    if not cleaned:
        return BLANK
    if cleaned in NOT_APPLICABLE_WORDS:
        return NOT_APPLICABLE
    body = cleaned[:-1].rstrip() if cleaned.endswith("%") else cleaned
    if _EXPONENT_RE.fullmatch(body):
        raise FigureInputError(f"“{cleaned}”使用了科学计数法，请直接写出数字，例如 1523。")
    if "," in body:
        # Strict grouping, so a decimal comma ("1,5") is refused instead of silently read as 15.
        if not _GROUPED_RE.fullmatch(body):
            raise FigureInputError(f"“{cleaned}”中的逗号位置不对：千分位逗号应每三位一个，小数点请用“.”。")
        body = body.replace(",", "")
    if not _PLAIN_RE.fullmatch(body):  # also refuses NaN, Infinity and words like 一千
        raise FigureInputError(f"“{cleaned}”不是数字。{NUMBER_HINT}。")
    number = strip_trailing_zeros(Decimal(body))
    if number < 0 and not allow_negative:
        raise FigureInputError(f"“{cleaned}”是负数，这一项不能填负数。")
    if abs(number) > max_value:
        raise FigureInputError(
            f"数值过大：“{cleaned}”超过了 {format_number(max_value)}，请检查是否多输了位数或填错了单位。"
        )
    decimals = -number.as_tuple().exponent  # type: ignore[operator]  # finite, so the exponent is an int
    if decimals > max_decimals:
        raise FigureInputError(f"“{cleaned}”的小数位数过多：最多保留 {max_decimals} 位小数。")
    return FigureValue.of(number)


def check_narrative(text: str, limit: int = 2000) -> str:
    """进展情况 / 存在问题 / 下步计划 as stored: line breaks unified, stray control characters dropped, trimmed."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    cleaned = _CONTROL_RE.sub("", cleaned).strip()
    if len(cleaned) > limit:
        raise FigureInputError(f"内容过长：最多 {limit} 字，现有 {len(cleaned)} 字，请精简后再保存。")
    return cleaned
