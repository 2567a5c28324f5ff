"""Chinese numerals as plans write them: 三千, 一万二千, 十五, 两百, 二〇二〇, 三点五, 百分之三十, 一半.

Hand-written (about sixty lines) rather than cn2an: the domain takes no third-party package, and a plan needs
only these forms. Every result is an exact ``Decimal``.
"""
from __future__ import annotations

from decimal import Decimal

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "点"


def _section(text: str) -> int:
    """Below 一万: 三千二百零五 → 3205, 十五 → 15, 两百 → 200."""
    total, digit = 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            total += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        else:
            raise ValueError(text)
    return total + (digit or 0)


def cn_integer(text: str) -> int:
    """An integer in Chinese numerals: 一万二千 → 12000, 三亿五千万 → 350000000, 二〇二〇 → 2020."""
    if not text:
        raise ValueError("空的数字")
    if all(ch in DIGITS for ch in text) and len(text) > 1:  # 二〇二〇: digit by digit, as years are written
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, rest = 0, text
    for word, factor in sorted(BIG_UNITS.items(), key=lambda kv: -kv[1]):
        if word in rest:
            head, _, rest = rest.partition(word)
            total += (_section(head) if head else 1) * factor
    return total + (_section(rest) if rest else 0)


def cn_decimal(text: str) -> Decimal:
    """With a decimal point: 三点五 → 3.5; otherwise as ``cn_integer``."""
    whole, point, frac = text.partition("点")
    value = Decimal(cn_integer(whole))
    if point:
        if not frac or any(ch not in DIGITS for ch in frac):
            raise ValueError(text)
        value += Decimal("0." + "".join(str(DIGITS[ch]) for ch in frac))
    return value


def is_numeral(text: str) -> bool:
    return bool(text) and all(ch in NUMERAL_CHARS for ch in text)
