"""What a clerk types into a figure cell: a number, nothing yet (blank), or 不适用 — three different answers.

A blank cell means "not reported", 0 means "reported, nothing achieved", 不适用 means "this target does not
concern us". Reports and status rules must never confuse them, so they are kept apart from the first keystroke.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import TYPE_CHECKING

from .quantities import SCALES, entry_scales, format_number, strip_trailing_zeros
from .words import NOT_APPLICABLE_TEXT, STATE_DONE, STATE_IN_PROGRESS, STATE_NOT_STARTED, STATES

if TYPE_CHECKING:
    from .plan import Target

# What people write in Chinese forms for "does not apply to us".
NOT_APPLICABLE_WORDS = frozenset({NOT_APPLICABLE_TEXT, "/", "无需填报", "不涉及"})
NUMBER_HINT = "请输入数字，例如 1523；不适用的请输入“不适用”"

MAX_FIGURE_TEXT = 32  # "1,000,000,000,000,000.0000" is 26: anything longer is not a figure someone typed
MAX_QUOTED = 40  # how much of the typing a refusal repeats

# [0-9], not \d: \d (and Decimal()) also take Arabic-Indic, Devanagari and every other script's digits.
_PLAIN_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_GROUPED_RE = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_EXPONENT_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+")
# What a Chinese input method gives for the characters of a number, mapped one by one. NFKC did this before and
# also turned 1² into 12 and ⑩ into 10; nothing outside this table becomes part of a number.
_FULL_WIDTH = str.maketrans({
    **{chr(ord("０") + d): str(d) for d in range(10)},
    "．": ".", "。": ".",  # "。" is what the IME gives for "." and a clerk typing "1。5" means 1.5
    "，": ",", "－": "-", "\u2212": "-", "＋": "+", "％": "%",
    "ｅ": "e", "Ｅ": "E",  # only so that "１ｅ５" is refused as scientific notation, with the message saying so
})
# Control characters pasted from Word or WPS; openpyxl refuses to write them into a cell.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n"})
_EXACT = Context(prec=2 * MAX_FIGURE_TEXT)
_NUMERIC_CATEGORIES = frozenset({"Nd", "No", "Nl"})
# Characters a message must not reproduce: line breaks, controls, zero-width and right-to-left overrides.
_UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


class FigureInputError(ValueError):
    """Input a clerk must correct; the message is Chinese and says how."""


# What a clerk may type for a 定性 target's state, word by word.
STATE_WORDS = {
    STATE_NOT_STARTED: STATE_NOT_STARTED, "未启动": STATE_NOT_STARTED, "未开展": STATE_NOT_STARTED,
    STATE_IN_PROGRESS: STATE_IN_PROGRESS, "进行中": STATE_IN_PROGRESS, "推进": STATE_IN_PROGRESS,
    "正在推进": STATE_IN_PROGRESS,
    STATE_DONE: STATE_DONE, "完成": STATE_DONE, "已完": STATE_DONE, "达成": STATE_DONE,
}
STATE_HINT = "请选择或输入 未开始 / 推进中 / 已完成"


@dataclass(frozen=True)
class FigureValue:
    """What a clerk entered for a month: a number, 不适用, a 定性 state, or nothing."""

    number: Decimal | None = None
    not_applicable: bool = False
    state: str | None = None  # a 定性 target's state (words.STATES); never together with a number

    def __post_init__(self) -> None:
        if sum((self.number is not None, self.not_applicable, self.state is not None)) > 1:
            raise ValueError("一个数值只能是数字、“不适用”或定性状态中的一种。")
        if self.state is not None and self.state not in STATES:
            raise ValueError(f"未知的定性状态：{self.state}")
        if self.number is not None and (not isinstance(self.number, Decimal) or not self.number.is_finite()):
            raise TypeError(f"填报数值必须是有限的 Decimal，而不是 {self.number!r}。")

    @classmethod
    def of(cls, number: Decimal | int) -> FigureValue:
        if isinstance(number, float):
            raise TypeError("填报数值不能是浮点数，请使用 Decimal。")
        return cls(Decimal(number) if isinstance(number, int) else number)

    @classmethod
    def of_state(cls, state: str) -> FigureValue:
        return cls(state=state)

    @property
    def is_blank(self) -> bool:
        return self.number is None and not self.not_applicable and self.state is None

    @property
    def is_done_state(self) -> bool:
        return self.state == STATE_DONE

    @property
    def is_number(self) -> bool:
        return self.number is not None


BLANK = FigureValue()
NOT_APPLICABLE = FigureValue(None, True)


def figure_text(target: Target | None, value: FigureValue | Decimal | None, *, unit: bool = False,
                blank: str = "", max_decimals: int = 4) -> str:
    """The one way a figure becomes text for a clerk — table cell, saved message, question, audit trail.

    In the target's entry unit ("1,523", "12.5" for 12.5%, "12,500.5" for 万元), 不适用, or ``blank`` for a
    blank figure (None, BLANK). With ``unit`` the entry unit follows a number ("1,523人"), never 不适用.
    Without a target the number stays in base units. Figures are base-unit ``FigureValue``s; a bare
    ``Decimal`` (a 分解目标) is a number."""
    if isinstance(value, Decimal):
        value = FigureValue.of(value)
    number = None if value is None else value.number
    if value is not None and value.state is not None:
        return value.state
    if number is None:
        return NOT_APPLICABLE_TEXT if value is not None and value.not_applicable else blank
    if target is None:
        return format_number(number, max_decimals)
    shown = format_number(target.to_entry(number), max_decimals)
    return shown + target.entry_unit if unit else shown


def parse_state_input(text: str) -> FigureValue:
    """What a clerk typed into a 定性 target's cell: a state word (完成, 推进中…), 不适用, or blank."""
    typed = text.strip()
    if not typed:
        return BLANK
    word = unicodedata.normalize("NFKC", typed)
    if word in NOT_APPLICABLE_WORDS:
        return NOT_APPLICABLE
    state = STATE_WORDS.get(word)
    if state is None:
        raise FigureInputError(f"“{quote_input(typed)}”不是定性指标的状态，{STATE_HINT}。")
    return FigureValue.of_state(state)


def quote_input(text: str) -> str:
    """What a refusal repeats of the typing: at most 40 characters and then "…", so a pasted page cannot fill the
    message (nor the window showing it); invisible and line-break characters show as "�"."""
    shown = text[:MAX_QUOTED]
    if not shown.isprintable():
        shown = "".join("�" if unicodedata.category(ch) in _UNPRINTABLE_CATEGORIES else ch for ch in shown)
    return shown + "…" if len(text) > MAX_QUOTED else shown


def _odd_digit(text: str) -> str | None:
    """The first numeric character that is not 0–9 (ASCII or full-width): ², ⑩, ٣, १, ½, Ⅻ, 〇 …"""
    for ch in text:
        if (unicodedata.category(ch) in _NUMERIC_CATEGORIES
                and not ("0" <= ch <= "9" or "０" <= ch <= "９")):
            return ch
    return None


def parse_figure_input(
    text: str,
    *,
    allow_negative: bool = False,
    max_value: Decimal = Decimal("1e15"),
    max_decimals: int = 4,
    unit: str | None = None,
) -> FigureValue:
    """Read what a clerk typed. "1,523", "１５２３", "12.5%" are numbers (a trailing % is only dropped: the
    caller knows the unit); "" is blank; "不适用", "/", "无需填报", "不涉及" are not applicable.

    A number is made of 0–9 (ASCII or full-width), one "." ("．" or the IME's "。"), thousands separators ("," or
    "，", every three digits), a leading sign (+, -, －, −) and a trailing %. Any other digit — ², ⑩, ٣ — is refused
    and named rather than read as something the clerk never typed. With the ``unit`` the figure is typed in, a
    trailing 万 or 亿 multiplies where that unit takes it (see quantities.entry_scales): "1.5万" 人 is 15000, "1.5亿"
    万元 is 15000; a percentage takes neither, and without a unit neither is a number. Limits (sign, size,
    decimals) apply to the multiplied figure."""
    typed = text.strip()
    if not typed:
        return BLANK
    # NFKC only to recognise the words (a full-width "／"); it never touches a number.
    if unicodedata.normalize("NFKC", typed) in NOT_APPLICABLE_WORDS:
        return NOT_APPLICABLE
    shown = quote_input(typed)
    if len(typed) > MAX_FIGURE_TEXT:
        raise FigureInputError(f"“{shown}”太长：数字最多 {MAX_FIGURE_TEXT} 个字符，现有 {len(typed)} 个。{NUMBER_HINT}。")
    odd = _odd_digit(typed)
    if odd is not None:
        raise FigureInputError(f"“{shown}”中的“{odd}”不是普通数字，请只用 0–9 输入数字。")
    cleaned = typed.translate(_FULL_WIDTH)
    multiplier = Decimal(1)
    body = cleaned
    if cleaned.endswith("%"):
        body = cleaned[:-1].rstrip()
    elif cleaned[-1] in SCALES and unit is not None:  # without a unit, 万 is just a character that is no digit
        word, body = cleaned[-1], cleaned[:-1].rstrip()
        scales = entry_scales(unit)
        if word not in scales:
            raise FigureInputError(f"“{shown}”：这一项按{unit}填报，数字后不能加“{word}”，请直接填写以{unit}计的数。")
        multiplier = scales[word]
    if _EXPONENT_RE.fullmatch(body):
        raise FigureInputError(f"“{shown}”使用了科学计数法，请直接写出数字，例如 1523。")
    if "," in body:
        # Strict grouping, so a decimal comma ("1,5") is refused instead of silently read as 15.
        if not _GROUPED_RE.fullmatch(body):
            raise FigureInputError(f"“{shown}”中的逗号位置不对：千分位逗号应每三位一个，小数点请用“.”。")
        body = body.replace(",", "")
    if not _PLAIN_RE.fullmatch(body):  # also refuses NaN, Infinity and words like 一千
        raise FigureInputError(f"“{shown}”不是数字。{NUMBER_HINT}。")
    # 32 characters hold more digits than the default context keeps: multiplying there would round 1.0…01 to 1.
    number = strip_trailing_zeros(_EXACT.multiply(Decimal(body), multiplier))
    if number < 0 and not allow_negative:
        raise FigureInputError(f"“{shown}”是负数，这一项不能填负数。")
    if abs(number) > max_value:
        raise FigureInputError(
            f"数值过大：“{shown}”超过了 {format_number(max_value)}，请检查是否多输了位数或填错了单位。"
        )
    decimals = -number.as_tuple().exponent  # type: ignore[operator]  # finite, so the exponent is an int
    if decimals > max_decimals:
        raise FigureInputError(f"“{shown}”的小数位数过多：最多保留 {max_decimals} 位小数。")
    return FigureValue.of(number)


def check_narrative(text: str, limit: int = 2000) -> str:
    """进展情况 / 存在问题 / 下步计划 as stored: line breaks unified, stray control characters dropped, trimmed."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    cleaned = _CONTROL_RE.sub("", cleaned).strip()
    if len(cleaned) > limit:
        raise FigureInputError(f"内容过长：最多 {limit} 字，现有 {len(cleaned)} 字，请精简后再保存。")
    return cleaned
