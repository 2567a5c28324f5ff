"""A corpus of hostile and broken workbooks, made by code (nothing downloaded): one function per class, each
writing one file into a folder and returning its path. ``HOSTILE`` lists them all; the tests and
``bench/import.py --hostile`` read every one."""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook


def plain_xlsx() -> bytes:
    """A small, honest workbook (not a liubao form): the base when no template is at hand."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "hello"
    ws["B2"] = 3
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          level: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The workbook's members, some replaced or added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", level) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, content in {**{k: v for k, v in replace.items() if k not in src.namelist()}, **add}.items():
            dst.writestr(name, content)
    return out.getvalue()


def _sheet_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml")


def not_a_zip(folder: Path, base: bytes) -> Path:
    p = folder / "not-a-zip.xlsx"
    p.write_text("<html><body>这不是工作簿</body></html>", encoding="utf-8")
    return p


def empty_file(folder: Path, base: bytes) -> Path:
    p = folder / "empty.xlsx"
    p.write_bytes(b"")
    return p


def truncated(folder: Path, base: bytes) -> Path:
    p = folder / "truncated.xlsx"
    data = base
    p.write_bytes(data[: len(data) // 2])
    return p


def billion_laughs(folder: Path, base: bytes) -> Path:
    lol = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                                     for i in range(1, 10)]
    bomb = ('<?xml version="1.0"?><!DOCTYPE sst [' + "".join(lol) + ']>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            '<si><t>&lol9;</t></si></sst>').encode()
    p = folder / "billion-laughs.xlsx"
    p.write_bytes(rezip(base, {"xl/sharedStrings.xml": bomb}))
    return p


def external_entity(folder: Path, base: bytes) -> Path:
    data = base
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        wb_xml = z.read("xl/workbook.xml").decode()
    doctype = '<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    wb_xml = wb_xml.replace("?>", "?>" + doctype, 1) if wb_xml.startswith("<?xml") else doctype + wb_xml
    wb_xml = wb_xml.replace('name="填报表"', 'name="&xxe;"').replace('name="Sheet1"', 'name="&xxe;"')
    p = folder / "external-entity.xlsx"
    p.write_bytes(rezip(data, {"xl/workbook.xml": wb_xml.encode()}))
    return p


def utf16_doctype(folder: Path, base: bytes) -> Path:
    """The DOCTYPE hidden in UTF-16 (a byte scan for ASCII would miss it)."""
    xml = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaa">]>'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&a;</t></si></sst>')
    p = folder / "utf16-doctype.xlsx"
    p.write_bytes(rezip(base, {"xl/sharedStrings.xml": b"\xff\xfe" + xml.encode("utf-16-le")}))
    return p


def zip_bomb_declared(folder: Path, base: bytes) -> Path:
    """A sheet that inflates to 60 MB of spaces (declared honestly: over the member limit)."""
    data = base
    sheet = _sheet_xml(data)
    padded = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * (60 * 1024 * 1024), 1)
    p = folder / "zip-bomb.xlsx"
    p.write_bytes(rezip(data, {"xl/worksheets/sheet1.xml": padded}))
    return p


def zip_bomb_ratio(folder: Path, base: bytes) -> Path:
    """2 MB of zeros in a picture member: under every size limit, but a compression ratio no workbook has."""
    p = folder / "zip-ratio.xlsx"
    p.write_bytes(rezip(base, add={"xl/media/image1.bin": b"\0" * (2 * 1024 * 1024)}))
    return p


def zip_bomb_lying(folder: Path, base: bytes) -> Path:
    """A member whose headers declare 1 KB but which inflates to 8 MB: caught while inflating."""
    data = rezip(base, add={"xl/media/image1.bin": b"A" * (8 * 1024 * 1024)})
    real = (8 * 1024 * 1024).to_bytes(4, "little")
    fake = (1024).to_bytes(4, "little")
    # the uncompressed size sits in both the local header and the central directory entry
    name = b"xl/media/image1.bin"
    out = bytearray(data)
    for m in re.finditer(re.escape(name), data):
        start = m.start()
        for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            fixed = 30 if header == b"PK\x03\x04" else 46
            h = start - fixed
            if h >= 0 and data[h:h + 4] == header and data[h + offset:h + offset + 4] == real:
                out[h + offset:h + offset + 4] = fake
    assert bytes(out) != data
    p = folder / "zip-lying-size.xlsx"
    p.write_bytes(bytes(out))
    return p


def full_grid(folder: Path, base: bytes) -> Path:
    data = base
    sheet = re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", _sheet_xml(data))
    sheet = re.sub(rb"(<sheetViews|<sheetFormatPr|<cols|<sheetData)", b'<dimension ref="A1:XFD1048576"/>\\1', sheet, count=1)
    p = folder / "full-grid.xlsx"
    p.write_bytes(rezip(data, {"xl/worksheets/sheet1.xml": sheet}))
    return p


def far_cell(folder: Path, base: bytes) -> Path:
    """No dimension, one cell at XFD1048576: refused as it comes."""
    data = base
    sheet = re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", _sheet_xml(data))
    sheet = sheet.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    p = folder / "far-cell.xlsx"
    p.write_bytes(rezip(data, {"xl/worksheets/sheet1.xml": sheet}))
    return p


def many_sheets(folder: Path, base: bytes) -> Path:
    """5000 sheets listed in workbook.xml, all pointing at one part (few zip members)."""
    data = base
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        wb_xml = z.read("xl/workbook.xml").decode()
    entry = re.search(r"<sheet [^>]*/>", wb_xml).group(0)  # type: ignore[union-attr]
    many = "".join(entry.replace('name="Sheet1"', f'name="S{i}"').replace('sheetId="1"', f'sheetId="{i}"')
                   for i in range(1, 5001))
    p = folder / "many-sheets.xlsx"
    p.write_bytes(rezip(data, {"xl/workbook.xml": wb_xml.replace(entry, many).encode()}))
    return p


def many_members(folder: Path, base: bytes) -> Path:
    p = folder / "many-members.xlsx"
    p.write_bytes(rezip(base, add={f"xl/media/p{i}.bin": b"x" for i in range(2000)}))
    return p


def deep_nesting(folder: Path, base: bytes) -> Path:
    data = base
    deep = b"<x>" * 100_000 + b"</x>" * 100_000
    sheet = _sheet_xml(data).replace(b"</worksheet>", b"<extLst><ext uri='u'>" + deep + b"</ext></extLst></worksheet>")
    p = folder / "deep-nesting.xlsx"
    p.write_bytes(rezip(data, {"xl/worksheets/sheet1.xml": sheet}))
    return p


def macro_enabled(folder: Path, base: bytes) -> Path:
    p = folder / "macro.xlsm"
    p.write_bytes(rezip(base, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba"}))
    return p


def macro_renamed(folder: Path, base: bytes) -> Path:
    p = folder / "macro-renamed.xlsx"
    p.write_bytes(rezip(base, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba"}))
    return p


def encrypted(folder: Path, base: bytes) -> Path:
    """An OLE compound file holding EncryptionInfo and EncryptedPackage: what Excel writes with a password."""
    body = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    body += "EncryptionInfo".encode("utf-16-le") + b"\0" * 50 + "EncryptedPackage".encode("utf-16-le")
    body += b"\0" * 4096
    p = folder / "encrypted.xlsx"
    p.write_bytes(bytes(body))
    return p


def legacy_xls(folder: Path, base: bytes) -> Path:
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 4096
    p = folder / "legacy.xls"
    p.write_bytes(body)
    return p


def legacy_et(folder: Path, base: bytes) -> Path:
    p = folder / "legacy.et"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WpsBook".encode("utf-16-le") + b"\0" * 1024)
    return p


def duplicate_sheet_names(folder: Path, base: bytes) -> Path:
    data = base
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        wb_xml = z.read("xl/workbook.xml").decode()
    entry = re.search(r"<sheet [^>]*/>", wb_xml).group(0)  # type: ignore[union-attr]
    twice = entry + entry.replace('sheetId="1"', 'sheetId="2"')
    p = folder / "duplicate-sheets.xlsx"
    p.write_bytes(rezip(data, {"xl/workbook.xml": wb_xml.replace(entry, twice).encode()}))
    return p


def strange_sheet_names(folder: Path, base: bytes) -> Path:
    """填报表 renamed with a right-to-left override and a zero-width space: not the sheet it claims to be."""
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        wb_xml = z.read("xl/workbook.xml").decode()
    p = folder / "strange-sheets.xlsx"
    p.write_bytes(rezip(base, {"xl/workbook.xml": wb_xml.replace('name="填报表"', 'name="填报表\u202e\u200b"').encode()}))
    return p


HOSTILE: dict[str, Callable[[Path, bytes], Path]] = {
    "not a zip": not_a_zip,
    "empty": empty_file,
    "truncated": truncated,
    "billion laughs": billion_laughs,
    "external entity": external_entity,
    "UTF-16 DOCTYPE": utf16_doctype,
    "zip bomb (declared size)": zip_bomb_declared,
    "zip bomb (ratio)": zip_bomb_ratio,
    "zip bomb (lying header)": zip_bomb_lying,
    "full-grid dimension": full_grid,
    "cell at XFD1048576": far_cell,
    "5000 sheets": many_sheets,
    "2000 zip members": many_members,
    "deep nesting": deep_nesting,
    "macro-enabled .xlsm": macro_enabled,
    "macros renamed .xlsx": macro_renamed,
    "encrypted (OLE)": encrypted,
    "legacy .xls": legacy_xls,
    "legacy .et": legacy_et,
    "duplicate sheet names": duplicate_sheet_names,
    "strange sheet names": strange_sheet_names,
}
