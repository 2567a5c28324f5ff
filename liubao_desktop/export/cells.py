"""What goes into a cell: user text made literal, and the number formats of figures and rates.

No openpyxl here: these helpers decide values and format strings; the sheet writer puts them into cells.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

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


def date_label(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
