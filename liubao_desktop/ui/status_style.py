"""Status colours for item models: one place, taken from the domain's palette."""
from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor

from ..domain.progress import NOT_INVOLVED, STATUS_COLORS, UNDECOMPOSED

# 未分解 and 不涉及 pass no judgement: no coloured cell, only grey words (a tint would read as a verdict).
UNCOLOURED = frozenset({UNDECOMPOSED, NOT_INVOLVED})
GREY = "#8a8a8a"  # words shown for what is not a figure: 未分解, a 不涉及 row


@cache
def status_background(status: str) -> QColor | None:
    color = STATUS_COLORS.get(status)
    if not color or status in UNCOLOURED:
        return None
    # A pale tint keeps black text readable; the full colour goes to the text.
    c = QColor(color)
    return QColor.fromHsl(c.hslHue(), min(255, c.hslSaturation()), 225)


@cache
def status_foreground(status: str) -> QColor | None:
    if status in UNCOLOURED:
        return grey()
    color = STATUS_COLORS.get(status)
    return QColor(color).darker(140) if color else None


@cache
def grey() -> QColor:
    return QColor(GREY)
