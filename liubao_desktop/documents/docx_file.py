"""A .docx as paragraphs (with their bold lead and Word heading level) and tables, in document order.

Checked before python-docx sees it: the file's size, the zip's entries (how many, how large once unpacked, how
much each one inflates — a zip bomb is refused on its declared sizes, and zipfile never unpacks more than an
entry declares, so a lying header ends in a CRC error), no DTD or entity in the document XML, and the number of
paragraphs, counted while streaming the XML. Then python-docx reads it, with a time limit checked per block.

The file is read once (``read_once``): the checks and python-docx see the same bytes, never the file again, so a
document replaced on disk after it was checked (a zip bomb swapped in) is not what gets parsed.
"""
from __future__ import annotations

import io
import os
import re
import stat
import time
import zipfile
from pathlib import Path

from ..domain.plan_reader import MAX_BLOCKS, Block, Paragraph, PlanReadError, Table
from ..files.os_errors import describe_os_error, shown

MAX_FILE_BYTES = 20 * 1024 * 1024  # a plan with photos of its seal is a few MB
MAX_ENTRIES = 1_000
MAX_UNPACKED_BYTES = 150 * 1024 * 1024  # all entries together, as declared
MAX_DOCUMENT_XML_BYTES = 60 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed for any entry over 1 MB: XML packs ~10:1, a bomb 1000:1
TIME_LIMIT_SECONDS = 30.0
_DOCUMENT = "word/document.xml"
_PARAGRAPH = re.compile(rb"<w:p[ >/]")


def read_once(path: Path, limit: int) -> tuple[bytes, int]:
    """The file's bytes, read in one opening and at most ``limit`` + 1 of them, and the size it had: what is checked
    and parsed afterwards is these bytes. PlanReadError, in Chinese, when it cannot be read or is no regular file."""
    try:
        with open(path, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise PlanReadError(f"“{shown(path)}”不是文件。")
            data = f.read(limit + 1)
    except OSError as e:
        raise PlanReadError(f"无法打开文件：{describe_os_error(e)}") from e
    return data, max(info.st_size, len(data))


def too_large(size: int, limit: int) -> PlanReadError:
    return PlanReadError(f"文件有{size // (1024 * 1024)}MB，超过上限{limit // (1024 * 1024)}MB，未读取。")


def check_package(data: bytes, *, max_paragraphs: int = MAX_BLOCKS, deadline: float | None = None,
                  size: int | None = None) -> None:
    """Refuse, in Chinese, what is not a .docx of a plan's size: before anything is parsed. ``size``: the file's
    (``data`` may hold only the first bytes past the limit)."""
    size = max(size or 0, len(data))
    if size > MAX_FILE_BYTES:
        raise too_large(size, MAX_FILE_BYTES)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise PlanReadError("文件不是有效的 .docx（内容已损坏，或是改了扩展名的其他文件），请在 Word 或 WPS 中另存为 .docx。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if len(infos) > MAX_ENTRIES:
                raise PlanReadError(f".docx 中有{len(infos)}个部件，超过上限{MAX_ENTRIES}个，未读取。")
            total = sum(i.file_size for i in infos)
            if total > MAX_UNPACKED_BYTES:
                raise PlanReadError(f".docx 解压后有{total // (1024 * 1024)}MB，超过上限"
                                    f"{MAX_UNPACKED_BYTES // (1024 * 1024)}MB（可能是压缩炸弹），未读取。")
            for i in infos:
                if i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                    raise PlanReadError(f".docx 的部件“{i.filename}”压缩比异常（{i.file_size // max(i.compress_size, 1)}:1，"
                                        "可能是压缩炸弹），未读取。")
            names = {i.filename: i for i in infos}
            if _DOCUMENT not in names:
                raise PlanReadError("文件中没有 Word 正文（word/document.xml），不是有效的 .docx。")
            if names[_DOCUMENT].file_size > MAX_DOCUMENT_XML_BYTES:
                raise PlanReadError("文件正文过大，不像一份实施方案，未读取。")
            _scan_document(z, max_paragraphs, deadline)
    except zipfile.BadZipFile as e:
        raise PlanReadError(f"文件已损坏，无法作为 .docx 读取（{e}）。") from e
    except (OSError, EOFError, NotImplementedError) as e:  # zlib errors, unsupported compression
        raise PlanReadError(f"文件已损坏，无法作为 .docx 读取（{e}）。") from e


def _scan_document(z: zipfile.ZipFile, max_paragraphs: int, deadline: float | None) -> None:
    count, carry = 0, b""
    with z.open(_DOCUMENT) as f:
        while chunk := f.read(1024 * 1024):
            data = carry + chunk
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                raise PlanReadError("文件正文含有 DTD 或实体声明，Word 不会这样保存，出于安全未读取。")
            count += len(_PARAGRAPH.findall(data, 0, len(data) - 8)) if len(data) > 8 else 0
            carry = data[-8:] if len(data) > 8 else data
            if count > max_paragraphs:
                raise PlanReadError(f"文件超过{max_paragraphs}个段落（数千页），不像一份实施方案，未读取。")
            if deadline is not None and time.monotonic() > deadline:
                raise PlanReadError("读取文件超时，未读取。")


def read_docx(source: Path | bytes, *, time_limit: float = TIME_LIMIT_SECONDS,
              max_paragraphs: int = MAX_BLOCKS, size: int | None = None) -> list[Block]:
    """The blocks of a .docx: a path (read once here) or the bytes already read (``size``: the file's)."""
    deadline = time.monotonic() + time_limit
    if isinstance(source, bytes):
        data = source
    else:
        data, size = read_once(Path(source), MAX_FILE_BYTES)
    check_package(data, max_paragraphs=max_paragraphs, deadline=deadline, size=size)
    import docx  # python-docx, imported only here: the rest of the app never pays for lxml
    from docx.table import Table as DocxTable

    try:
        document = docx.Document(io.BytesIO(data))  # the bytes checked above, not the file again
    except Exception as e:  # python-docx raises many kinds for a broken package: each is "cannot read"
        raise PlanReadError(f"文件无法作为 .docx 读取（{type(e).__name__}），请在 Word 或 WPS 中打开后另存为 .docx。") from e
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if time.monotonic() > deadline:
            raise PlanReadError(f"读取文件超过{time_limit:.0f}秒，未读取完，请检查文件是否过大。")
        if isinstance(item, DocxTable):
            blocks.append(Table(tuple(tuple(c.text.strip() for c in row.cells) for row in item.rows)))
        else:
            blocks.append(_paragraph(item))
        if len(blocks) > max_paragraphs:
            raise PlanReadError(f"文件超过{max_paragraphs}个段落，不像一份实施方案，未读取。")
    return blocks


def _paragraph(p) -> Paragraph:  # noqa: ANN001 -- python-docx's Paragraph
    style = p.style.name if p.style is not None else ""
    m = re.match(r"^(?:Heading|标题)\s*(\d)$", style or "")
    style_bold = bool(p.style is not None and p.style.font.bold)
    bold = []
    for run in p.runs:
        is_bold = run.bold if run.bold is not None else style_bold
        if not is_bold:
            if run.text.strip():
                break
            continue
        bold.append(run.text)
    return Paragraph(p.text, bold_lead="".join(bold).strip(), heading_level=int(m[1]) if m else None)
