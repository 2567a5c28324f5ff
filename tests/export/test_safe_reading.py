"""Workbooks handed in by sub-units will be read one day: openpyxl must parse them through defusedxml."""
from __future__ import annotations


def test_openpyxl_parses_xml_through_defusedxml() -> None:
    import openpyxl.xml

    # openpyxl switches to defusedxml by itself when it is installed; without it, a crafted workbook could
    # expand entities without end (billion laughs) while being read.
    assert openpyxl.xml.DEFUSEDXML is True
