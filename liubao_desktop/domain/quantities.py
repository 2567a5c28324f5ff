"""Units as the plan writes them (1.4万人, 120亿元, 50%) and numbers as people read them.

Everything is exact ``Decimal``: a float would put 0.30000000000000004 into a report sent to the city.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

# Units counted as they stand. 千瓦 is listed whole so that its 千 is never read as a scale.
BASE_UNITS = frozenset({"个", "所", "户", "家", "条", "列", "名", "套", "吨", "人", "人次", "千瓦", "公顷", "元"})
# Units that count whole things: half a person or 2.5 schools is a typing slip, not a figure.
COUNT_UNITS = frozenset({"个", "所", "户", "家", "条", "列", "名", "套", "人", "人次"})
# Chinese magnitude words the plan puts in front of a base unit (1.4万人, 120亿元).
SCALES = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}

PERCENT = "%"
RATIO_UNIT = ""  # base unit of a percentage: 50% is stored as the ratio 0.5
MONEY_UNIT = "元"
MONEY_ENTRY_UNIT = "万元"  # Chinese finance reports count money in 万元

# Wide enough that scaling or rounding a figure never loses a digit (the default context keeps 28).
_CTX = Context(prec=100, rounding=ROUND_HALF_UP)


def split_unit(unit: str) -> tuple[Decimal, str]:
    """Scale and base unit of a unit as written: "万人" → (10000, "人"), "%" → (0.01, "")."""
    u = unit.strip().replace("％", PERCENT)
    if u == PERCENT:
        return Decimal("0.01"), RATIO_UNIT
    # "" is the base unit of ratios (Target.base_unit); accepting it lets figures convert between "" and "%".
    if u == RATIO_UNIT or u in BASE_UNITS:
        return Decimal(1), u
    scale = SCALES.get(u[:1])
    if scale is not None and u[1:] in BASE_UNITS:
        return scale, u[1:]
    raise ValueError(f"无法识别的计量单位“{unit}”，请使用方案中出现的单位，例如 万人、亿元、%、个。")


def entry_unit_for(unit: str) -> str:
    """The unit a clerk types figures in: money in 万元, rates in %, counts in the plain base unit.

    A district types 1523 people, not 0.1523万人; but money is reported in 万元, as finance bureaus do.
    """
    _, base = split_unit(unit)
    if base == MONEY_UNIT:
        return MONEY_ENTRY_UNIT
    if base == RATIO_UNIT:
        return PERCENT
    return base


def entry_scales(entry_unit: str) -> dict[str, Decimal]:
    """The 万 / 亿 a clerk may write after a figure typed in this entry unit, each as a multiple of that unit.

    A count or an amount typed in its plain unit (人, 个, 吨, 千瓦 …) takes both, as the plan writes them:
    "1.5万" 人 = 15000 人. Money typed in 万元 takes only 亿: "1.5亿" = 15000 万元; "5万" there would be 5万万元,
    far more likely 5万元 typed with its 万 — refused, not guessed. A percentage (or a ratio) takes neither.
    """
    scale, base = split_unit(entry_unit)
    if base == RATIO_UNIT:
        return {}
    # Scales are powers of ten, so each quotient is exact.
    return {word: _CTX.divide(factor, scale) for word, factor in SCALES.items() if factor > scale}


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Exact conversion between two units of the same base: convert(1.4, "万人", "人") == 14000."""
    from_scale, from_base = split_unit(from_unit)
    to_scale, to_base = split_unit(to_unit)
    if from_base != to_base:
        raise ValueError(f"“{from_unit or '比例'}”和“{to_unit or '比例'}”不是同一类计量单位，不能换算。")
    # Scales are powers of ten, so with a wide context the division is always exact.
    return strip_trailing_zeros(_CTX.divide(_CTX.multiply(value, from_scale), to_scale))


def strip_trailing_zeros(value: Decimal) -> Decimal:
    """Same number without trailing zeros and without exponent form: 14000.0 → 14000, 1.40 → 1.4, -0 → 0."""
    if not value.is_finite():
        raise ValueError(f"不是有效的数值：{value}")
    if value.is_zero():
        return Decimal(0)  # also drops the sign of -0, which would print as "-0"
    tidy = value.normalize(_CTX)
    if tidy.as_tuple().exponent > 0:  # type: ignore[operator]  # finite, so the exponent is an int
        # normalize() turns 14000 into 1.4E+4; a stored figure should read as written.
        tidy = tidy.quantize(Decimal(1), context=_CTX)
    return tidy


def _as_decimal(value: Decimal | int) -> Decimal:
    # Floats are refused rather than converted: they are the noise this module exists to keep out.
    if isinstance(value, float):
        raise TypeError("数值必须是 Decimal 或整数，不能是浮点数。")
    return value if isinstance(value, Decimal) else Decimal(value)


def format_number(value: Decimal | int, max_decimals: int = 4) -> str:
    """A figure for a table or a report: 14000 → "14,000", 1.40 → "1.4", 0 → "0" (half-up rounding)."""
    rounded = _as_decimal(value).quantize(Decimal(1).scaleb(-max_decimals), context=_CTX)
    return f"{strip_trailing_zeros(rounded):,f}"


def format_percent(ratio: Decimal | int | None, decimals: int = 1) -> str:
    """A ratio as a percentage with fixed decimals (like Excel's 0.0%): 0.10878 → "10.9%", None → ""."""
    if ratio is None:
        return ""
    percent = _CTX.multiply(_as_decimal(ratio), 100).quantize(Decimal(1).scaleb(-decimals), context=_CTX)
    if percent.is_zero():
        percent = abs(percent)  # "-0.0%" would read as a tiny loss
    return f"{percent:,f}%"
