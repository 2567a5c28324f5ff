"""The CJK face printed pages use, chosen explicitly: a PDF must not depend on what Qt happens to fall back to."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QFont, QFontDatabase

# Preference order: what a Chinese office PC has first (宋体, 微软雅黑), then what a Linux machine has.
# Each face is listed under the names fontconfig and Windows give it.
CJK_FONT_PREFERENCE: tuple[tuple[str, ...], ...] = (
    ("SimSun", "宋体", "NSimSun", "新宋体"),
    ("Microsoft YaHei", "微软雅黑", "Microsoft YaHei UI"),
    ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "思源黑体"),
    ("WenQuanYi Micro Hei", "文泉驿微米黑", "文泉驛微米黑"),
)


class NoCjkFont(RuntimeError):
    """No installed face can print Chinese: printing would give empty boxes, so it refuses."""


def choose_cjk_family(families: Iterable[str] | None = None) -> str:
    """The first face of CJK_FONT_PREFERENCE that is installed; else any installed face that says it writes
    Simplified Chinese. Raises NoCjkFont when there is none (on Debian: apt-get install fonts-wqy-microhei)."""
    installed = list(QFontDatabase.families() if families is None else families)
    by_name = {f.casefold(): f for f in installed}
    for names in CJK_FONT_PREFERENCE:
        for name in names:
            if name.casefold() in by_name:
                return by_name[name.casefold()]
    if families is None:
        for family in installed:
            if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family):
                return family
    raise NoCjkFont("没有找到可以打印中文的字体。请安装宋体、微软雅黑、Noto Sans CJK SC 或文泉驿微米黑"
                    "（Debian/Ubuntu：apt-get install fonts-wqy-microhei）。")


def cjk_font(family: str, point_size: float, *, bold: bool = False) -> QFont:
    """A font that stays on this face: no silent substitution of another family for missing glyphs' sake."""
    font = QFont(family)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    font.setStyleStrategy(QFont.StyleStrategy.PreferQuality)
    return font
