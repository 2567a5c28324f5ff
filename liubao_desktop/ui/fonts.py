"""A CJK font chosen on purpose, so Chinese never falls back to boxes on a bare Linux desktop."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QFont, QFontDatabase

# Screen text: a sans face reads best; the print module has its own (宋体 first) order.
SCREEN_CJK_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "微软雅黑", "Noto Sans CJK SC", "Source Han Sans SC",
                       "WenQuanYi Micro Hei", "SimSun", "宋体")


def pick_cjk_family(preferred: tuple[str, ...] = SCREEN_CJK_FAMILIES,
                    families: Iterable[str] | None = None) -> str | None:
    """The first of ``preferred`` installed (``families``: the installed names, as QFontDatabase lists them on
    Windows — 微软雅黑 or Microsoft YaHei, by the system's language — or on Linux; None asks Qt), else any face
    that writes Simplified Chinese."""
    available = set(QFontDatabase.families() if families is None else families)
    for family in preferred:
        if family in available:
            return family
    if families is not None:
        return None
    for family in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        return family
    return None


def screen_font(base: QFont) -> QFont:
    """The default UI font, with a CJK family put first when the default cannot show Chinese."""
    family = pick_cjk_family()
    font = QFont(base)
    if family:
        font.setFamilies([family, *base.families()])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    return font
