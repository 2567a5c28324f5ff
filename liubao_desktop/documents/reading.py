"""Which reader a file gets: .txt (UTF-8 or GB18030), .docx; a .doc, .wps, .pdf or other format is refused with
what to do instead."""
from __future__ import annotations

from pathlib import Path

from ..domain.plan_reader import Block, PlanProposal, PlanReadError, read_plan, text_blocks
from .docx_file import MAX_FILE_BYTES, read_docx, read_once, too_large

MAX_TEXT_BYTES = 8 * 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0"  # .doc, .wps, .xls: the old compound-file formats
_SAVE_AS = "请在 Word 或 WPS 中打开，另存为 .docx 后再导入"


def read_document(path: Path) -> list[Block]:
    """The document's blocks. The file is read once: its kind, its checks and its parsing all see those bytes."""
    path = Path(path)
    raw, size = read_once(path, max(MAX_FILE_BYTES, MAX_TEXT_BYTES))
    magic = raw[:8]
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps", ".wpt", ".dot", ".rtf") or magic.startswith(_OLE):
        raise PlanReadError(f"“{path.name}”是旧版 Word/WPS 格式，{_SAVE_AS}。")
    if suffix == ".pdf" or magic.startswith(b"%PDF"):
        raise PlanReadError(f"“{path.name}”是 PDF，无法可靠读取段落，{_SAVE_AS}（或另存为 .txt）。")
    if suffix in (".docx", ".docm") or magic.startswith(b"PK"):
        return read_docx(raw, size=size)
    if suffix not in (".txt", ".text", ""):
        raise PlanReadError(f"不支持“{suffix}”格式的文件，请使用 .docx 或 .txt。")
    if size > MAX_TEXT_BYTES:
        raise too_large(size, MAX_TEXT_BYTES)
    if b"\x00" in raw:
        raise PlanReadError(f"“{path.name}”不是文本文件，{_SAVE_AS}。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return list(text_blocks(raw.decode(encoding)))
        except UnicodeDecodeError:
            continue
    raise PlanReadError(f"“{path.name}”的文字编码无法识别，请另存为 UTF-8 编码的 .txt 或 .docx。")


def read_plan_file(path: Path) -> PlanProposal:
    """The proposed plan tree of a .txt or .docx plan."""
    return read_plan(read_document(path))
