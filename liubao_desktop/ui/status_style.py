"""Status colours for item models: one place, taken from the domain's palette."""
from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor

from ..domain.progress import STATUS_COLORS


@cache
def status_background(status: str) -> QColor | None:
    color = STATUS_COLORS.get(status)
    if not color:
        return None
    # A pale tint keeps black text readable; the full colour goes to the text.
    c = QColor(color)
    return QColor.fromHsl(c.hslHue(), min(255, c.hslSaturation()), 225)


@cache
def status_foreground(status: str) -> QColor | None:
    color = STATUS_COLORS.get(status)
    return QColor(color).darker(140) if color else None
