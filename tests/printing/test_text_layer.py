"""Text copied or searched from a printed PDF says what was printed, whatever CJK face printed it."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase, QPainter, QPdfWriter

from liubao_desktop.printing.fonts import cjk_font
from liubao_desktop.printing.text_layer import equivalent_ideographs, fix_text_layer, fix_to_unicode

from .pdf_reading import page_text

# Each of these shares its glyph with a radical in Noto Sans CJK (长 ⻓, 面 ⾯, 工 ⼯, 方 ⽅, 月 ⽉, 页 ⻚, 人 ⼈).
WORDS = "长沙市全面落实工作方案，报告期2020年9月，第1页，市人力资源社会保障局"


def printed(path: Path, family: str) -> Path:
    writer = QPdfWriter(str(path))
    painter = QPainter(writer)
    painter.setFont(cjk_font(family, 12))
    painter.drawText(200, 400, WORDS)
    painter.setFont(cjk_font(family, 12, bold=True))
    painter.drawText(200, 800, WORDS)
    painter.end()
    return path


@pytest.mark.parametrize("family", ["Noto Sans CJK SC", "WenQuanYi Micro Hei"])
def test_a_pdf_printed_with_a_radical_sharing_face_reads_back_as_the_ideographs(
    qapp, tmp_path: Path, family: str  # noqa: ANN001
) -> None:
    if family not in QFontDatabase.families():
        pytest.fail(f"{family} is not installed: scripts/system-packages.sh test installs it")
    raw = printed(tmp_path / "raw.pdf", family)
    fixed = tmp_path / "fixed.pdf"
    fixed.write_bytes(fix_text_layer(raw.read_bytes()))
    text = page_text(fixed, 1)
    assert text.split() == [WORDS, WORDS]
    assert not any(ch in equivalent_ideographs() for ch in text)


def test_the_map_is_unicodes_own_equivalence() -> None:
    table = equivalent_ideographs()
    assert table["⻓"] == "长" and table["⾯"] == "面" and table["⻚"] == "页" and table["⼈"] == "人"
    assert table["\uf900"] == "豈"  # a compatibility ideograph, by canonical decomposition
    assert "长" not in table and "a" not in table


def test_every_form_qt_writes_in_a_to_unicode_map_is_fixed() -> None:
    cmap = (b"2 beginbfrange\n<0000> <0000> <0000>\n<0001> <0003> [<2ED3> <6C99> <2FAF> ]\nendbfrange\n"
            b"2 beginbfchar\n<0004> <2F45>\n<0005> <0041>\nendbfchar\n"
            b"1 beginbfrange\n<0006> <0008> <2F08>\nendbfrange\n")
    fixed = fix_to_unicode(cmap)
    assert b"<0001> <0003> [<957F> <6C99> <9762>]" in fixed
    assert b"<0004> <65B9>" in fixed and b"<0005> <0041>" in fixed
    # A counting range that starts on a radical is spelled out member by member.
    assert b"<0006> <0008> [<4EBA> <513F> <5165>]" in fixed


def test_a_pdf_that_needs_nothing_is_returned_byte_for_byte(qapp, tmp_path: Path) -> None:  # noqa: ANN001
    writer = QPdfWriter(str(tmp_path / "latin.pdf"))
    painter = QPainter(writer)
    painter.drawText(200, 400, "2020-09 1523")
    painter.end()
    data = (tmp_path / "latin.pdf").read_bytes()
    assert fix_text_layer(data) == data
