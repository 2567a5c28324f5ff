"""What goes into a cell: user text made literal, figures in the plan's own unit, and their number formats.

No openpyxl here: these helpers decide values and format strings; the sheet writer puts them into cells.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ..domain.plan import Target
from ..domain.quantities import strip_trailing_zeros

# A cell whose text starts with one of these is read as a formula by Excel, WPS or LibreOffice when a user
# edits it or pastes it on (=, + and - start a formula, @ a function; tab and CR are the CSV-injection variants;
# LF is what clean_text makes of a CR).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 cannot carry; openpyxl refuses them, Word and WPS paste them in.
_ILLEGAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EXCEL_CELL_LIMIT = 32_767

PERCENT_FORMAT = "0.0%"
PACE_FORMAT = "+0.0;-0.0;0.0"
MAX_SHOWN_DECIMALS = 10

RATIO_LABEL = "比例"
DONE_UNIT_LABEL = "%（完成程度）"



def clean_text(text: str) -> str:
    """Text as a cell can hold it: line breaks as LF (a cell's line break; a bare CR would not survive the
    XML anyway), characters XML refuses dropped, cut at Excel's cell limit."""
    cleaned = _ILLEGAL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return cleaned[:EXCEL_CELL_LIMIT]


def needs_literal(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula if it were not marked as literal text."""
    return text.startswith(FORMULA_TRIGGERS)


def number_format(value: Decimal) -> str:
    """Thousands separators and exactly as many decimals as the value has: 14000 → "#,##0", 0.1523 →
    "#,##0.0000". (A fixed "#,##0.##" would show 14000 as "14,000." and 0.1523 as "0.15".)"""
    exponent = strip_trailing_zeros(value).as_tuple().exponent
    decimals = min(MAX_SHOWN_DECIMALS, max(0, -exponent))  # type: ignore[operator]  # finite: an int
    return "#,##0" if decimals == 0 else "#,##0." + "0" * decimals


def is_ratio_target(target: Target) -> bool:
    """Figures kept as ratios (rates, 完成程度) and shown as percentages (the target decides)."""
    return target.is_ratio


def written_unit_label(target: Target) -> str:
    """The 计量单位 column: the unit as the plan writes it; 完成程度 for qualitative targets."""
    if target.unit is None:
        return DONE_UNIT_LABEL
    return target.unit


def base_unit_label(target: Target) -> str:
    return RATIO_LABEL if is_ratio_target(target) else (target.base_unit or "")


def to_written_unit(target: Target, base: Decimal) -> Decimal:
    """A base-unit figure (人, 元, ratio) in the unit the plan writes the target in (万人, 亿元, ratio for %)."""
    return target.to_written(base)


def city_target_value(target: Target) -> Decimal | None:
    """市级目标 as written (1.4 for 1.4万人), as a ratio for % targets (50% → 0.5), 100% for qualitative ones."""
    if target.is_done or target.is_ratio:
        return target.city_goal  # 100% for a qualitative target, the ratio for a share
    return target.value


def date_label(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
