"""LibreOffice opens a 填报模板: it prints on one A4 landscape page with the Chinese text intact, and saved back
as xlsx it keeps the hidden sheet, the protection and the unlocked input cells (a unit may fill it in with
LibreOffice or WPS and send it back)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from liubao_desktop.domain.periods import Period
from liubao_desktop.export.template import META_SHEET, SHEET_NAME
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.template_service import resolve, write_template_file

from .test_libreoffice import convert

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]


def test_libreoffice_prints_and_round_trips_the_template(ledger: Ledger, tmp_path: Path) -> None:
    office, _ = resolve(ledger, "芙蓉区")
    src = write_template_file(ledger, office, None, Period(2020, 9), tmp_path / "芙蓉区模板.xlsx").path
    profile = tmp_path / "profile"
    pdf = convert(src, "pdf", tmp_path / "pdf", profile)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    text = reader.pages[0].extract_text()
    assert "指标填报表（芙蓉区，2020年9月）" in text and "本期完成" in text
    assert "1.3.1" in text and "指标编号（程序用）" not in text  # the hidden column is not printed

    back = convert(src, "xlsx:Calc MS Excel 2007 XML", tmp_path / "back", profile)
    wb = load_workbook(back)
    assert wb.sheetnames == [SHEET_NAME, META_SHEET]
    assert wb[META_SHEET].sheet_state in ("hidden", "veryHidden")
    ws = wb[SHEET_NAME]
    assert ws.protection.sheet and not ws["G4"].protection.locked and ws["A4"].protection.locked
    assert ws["I4"].value == ws["A4"].value == "1.1.1"
