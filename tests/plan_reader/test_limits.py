"""What is not a plan of a plan's size is refused quickly, in Chinese: a 5,000-page .docx, zip bombs (by declared
size, by ratio, by a lying header), broken packages, a DTD, .doc / .wps / .pdf, an endless .txt."""
from __future__ import annotations

import io
import struct
import time
import zipfile
from pathlib import Path

import pytest

from liubao_desktop.documents import read_document
from liubao_desktop.documents.docx_file import read_docx
from liubao_desktop.domain.plan_reader import MAX_BLOCKS, PlanReadError, read_plan_text

_P = '<w:p><w:r><w:t xml:space="preserve">第{n}段：全年新增城镇就业1万人。</w:t></w:r></w:p>'
_PAGE = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def small_docx() -> bytes:
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("一、保居民就业")
    d.save(buf)
    return buf.getvalue()


def rebuild(path: Path, replace: dict[str, bytes], extra: dict[str, bytes] | None = None) -> Path:
    """The small .docx with some parts replaced or added."""
    src = zipfile.ZipFile(io.BytesIO(small_docx()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item.filename, replace.get(item.filename, src.read(item.filename)))
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return path


def body_xml(inner: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            f"{inner}</w:body></w:document>").encode()


def refused(path: Path, *words: str, within: float = 5.0) -> str:
    start = time.monotonic()
    with pytest.raises(PlanReadError) as e:
        read_document(path)
    assert time.monotonic() - start < within
    message = str(e.value)
    assert all(w in message for w in words), message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    return message


def test_a_5000_page_docx_is_refused_before_python_docx_parses_it(tmp_path: Path) -> None:
    pages = "".join(_PAGE + "".join(_P.format(n=p * 30 + i) for i in range(30)) for p in range(5000))
    path = rebuild(tmp_path / "5000页.docx", {"word/document.xml": body_xml(pages)})
    refused(path, "段落", within=3.0)


def test_the_limit_is_a_plan_and_more(tmp_path: Path) -> None:
    pages = "".join(_P.format(n=i) for i in range(2000))  # ~70 pages: read
    path = rebuild(tmp_path / "长.docx", {"word/document.xml": body_xml(pages)})
    assert len(read_docx(path)) == 2000 < MAX_BLOCKS


def test_a_zip_bomb_by_declared_size(tmp_path: Path) -> None:
    path = rebuild(tmp_path / "炸弹.docx", {}, {"word/media/image1.bin": b"\0" * (160 * 1024 * 1024)})
    refused(path, "压缩炸弹")


def test_a_zip_bomb_by_ratio(tmp_path: Path) -> None:
    path = rebuild(tmp_path / "炸弹.docx", {}, {"word/media/image1.bin": b"\0" * (20 * 1024 * 1024)})
    refused(path, "压缩比")


def test_a_zip_bomb_with_a_lying_header_is_never_unpacked_past_its_claim(tmp_path: Path) -> None:
    big = body_xml(_P.format(n=0) * 100_000)  # ~6 MB that packs small
    path = rebuild(tmp_path / "谎报.docx", {"word/document.xml": big})
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("word/document.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 1000)  # the local header's uncompressed size
    name = b"word/document.xml"
    central = data.find(b"PK\x01\x02", 0)
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 1000)  # and the central directory's
    path.write_bytes(bytes(data))
    refused(path, "损坏")


@pytest.mark.parametrize(("name", "content", "words"), [
    ("乱码.docx", b"\x00\x01not a zip at all" * 100, ("不是有效的 .docx",)),
    ("截断.docx", None, ("不是有效的 .docx",)),
    ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ("另存为 .docx",)),
    ("金山.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ("另存为 .docx",)),
    ("改名.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ("另存为 .docx",)),
    ("扫描件.pdf", b"%PDF-1.7\n", ("PDF",)),
    ("表格.xlsx.txt", b"\x00\x00binary", ("不是文本文件",)),
])
def test_what_is_not_a_docx_or_text(tmp_path: Path, name: str, content: bytes | None, words: tuple[str, ...]) -> None:
    path = tmp_path / name
    path.write_bytes(content if content is not None else small_docx()[:900])
    refused(path, *words)


def test_a_package_without_a_document_or_with_a_dtd(tmp_path: Path) -> None:
    path = tmp_path / "空.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    refused(path, "word/document.xml")
    dtd = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]><w:document/>'
    refused(rebuild(tmp_path / "实体.docx", {"word/document.xml": dtd}), "DTD")


def test_broken_xml_is_refused_in_chinese(tmp_path: Path) -> None:
    refused(rebuild(tmp_path / "坏.docx", {"word/document.xml": b"<w:document><w:body><w:p>"}), "无法作为 .docx 读取")


def test_the_time_limit_is_checked_while_reading(tmp_path: Path) -> None:
    path = rebuild(tmp_path / "慢.docx", {"word/document.xml": body_xml(_P.format(n=1) * 100)})
    with pytest.raises(PlanReadError, match="超时|超过0秒"):
        read_docx(path, time_limit=0)


def test_an_endless_text_is_refused() -> None:
    with pytest.raises(PlanReadError, match="段落"):
        read_plan_text("一、保居民就业\n" * (MAX_BLOCKS + 1))


def test_a_text_with_no_headings_says_so() -> None:
    with pytest.raises(PlanReadError, match="没有找到"):
        read_plan_text("这是一封信。\n没有任何标题。")
