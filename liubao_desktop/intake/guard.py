"""The raw bytes of a workbook, looked at before any parser sees them.

A file is read once, whole (it is at most ``Limits.file_bytes``), hashed, and kept in memory: what was checked
here is exactly what openpyxl parses afterwards, even if the file on disk changes in between. The checks, each
with its Chinese reason (``RefusedFile``):

- the kind of file by its first bytes, not its name: an OLE compound file is an encrypted workbook (it holds an
  ``EncryptionInfo`` stream) or a legacy .xls / .et; anything else that is not a zip is not a workbook;
- the zip: readable (not truncated), not too many members, no duplicate, absolute or ``..`` names, no encrypted
  members, no macros (``vbaProject.bin``, a macro-enabled content type, a .xlsm / .xltm name);
- sizes: every member's *declared* size within its limit and with a plausible compression ratio, and then its
  *actual* size while inflating it through a capped stream (a lying header is caught when the bytes come out);
- XML: no DOCTYPE and no ENTITY declaration in any member (an Office file has none; billion laughs and external
  entities need one), and not more sheets than ``Limits.sheets`` listed in the workbook.
"""
from __future__ import annotations

import hashlib
import io
import re
import stat
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .limits import DEFAULT_LIMITS, Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
# Inflated 64 KB at a time: zipfile holds about three chunks at once (compressed, inflated, joined), so the
# chunk sets the guard's peak memory; 256 KB cost 0.7 MB on a 明细 sheet of 0.9 MB for no gain in time.
_CHUNK = 64 * 1024
_TAIL = 32  # bytes kept from the previous chunk: longer than any marker (a UTF-16 "<!DOCTYPE" is 18)
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# The DOCTYPE / ENTITY markers in the encodings an XML file may declare by its byte order mark.
_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_MARKERS_16 = tuple(m.decode().encode(enc) for m in _MARKERS for enc in ("utf-16-le", "utf-16-be"))
_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\s")
MAX_DEPTH = 256  # elements inside elements: an Office part nests about 10 deep
_SLICE = 4096
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?"')
SAVE_AS_XLSX = "请在 Excel 或 WPS 中打开它，“另存为” Excel 工作簿（.xlsx）后再导入。"


class RefusedFile(Exception):
    """A file that is not read at all; the message is one Chinese sentence or two."""


@dataclass(frozen=True)
class CheckedFile:
    path: Path
    data: bytes
    sha256: str
    members: dict[str, int]  # zip member → uncompressed size, as read
    dimensions: dict[str, tuple[int, int]]  # worksheet member → (rows, columns) its <dimension> declares

    @property
    def name(self) -> str:
        return self.path.name


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def read_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, str]:
    """The file's bytes (at most the limit) and their SHA-256. OSError when it cannot be read at all."""
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        raise RefusedFile("这不是一个普通文件。")
    if st.st_size > limits.file_bytes:
        raise RefusedFile(f"文件过大（{_mb(st.st_size)}，上限 {_mb(limits.file_bytes)}），不像本系统的模板或报送报表。")
    with path.open("rb") as fh:
        # The size stat gave, exactly: read(n) allocates n bytes before it reads (read(1 MB) costs a megabyte of
        # peak memory for a 100 KB file), and one piece is joined without a copy. A file that grows while it is
        # read is followed in small pieces, up to the limit.
        chunks = [fh.read(st.st_size)]
        size = len(chunks[0])
        while size <= limits.file_bytes:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if len(data) > limits.file_bytes:
        raise RefusedFile(f"文件过大（上限 {_mb(limits.file_bytes)}）。")
    return data, hashlib.sha256(data).hexdigest()


def _not_a_zip(path: Path, data: bytes) -> RefusedFile:
    if data.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            return RefusedFile("文件已加密（设置了打开密码），无法读取。请在 Excel 或 WPS 中取消密码，保存为 .xlsx 后再导入。")
        return RefusedFile("这是旧版 Excel（.xls）或 WPS 表格（.et）格式，本系统只读取 .xlsx。" + SAVE_AS_XLSX)
    if not data:
        return RefusedFile("文件是空的（0 字节）。")
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et", ".ett", ".csv", ".ods"):
        return RefusedFile(f"这不是 .xlsx 工作簿（扩展名 {suffix}）。" + SAVE_AS_XLSX)
    return RefusedFile("这不是 Excel 工作簿（.xlsx）：文件内容不是 xlsx 格式，可能已损坏或只是改了扩展名。")


def _member_limit(name: str, limits: Limits) -> int:
    lower = name.lower()
    if lower.startswith("xl/worksheets/"):
        return limits.member_bytes
    if lower == "xl/sharedstrings.xml":
        return limits.shared_strings_bytes
    if lower.endswith(_XML_SUFFIXES):
        return limits.small_member_bytes
    return limits.member_bytes  # pictures and the like: never parsed, but inflated to be counted


def check_bytes(path: Path, data: bytes, sha256: str, limits: Limits = DEFAULT_LIMITS,
                deadline: float | None = None) -> CheckedFile:
    """Every check of the module's docstring, on the bytes of one file; RefusedFile with the reason."""
    if not data.startswith(ZIP_MAGICS):
        raise _not_a_zip(path, data)
    if path.suffix.lower() in (".xlsm", ".xltm", ".xlam"):
        raise RefusedFile("这是启用宏的工作簿（.xlsm），不予导入。请另存为不含宏的 Excel 工作簿（.xlsx）后再导入。")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise RefusedFile("文件已损坏或不完整（可能没有下载或复制完整），无法作为 .xlsx 读取。") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.members:
            raise RefusedFile(f"文件内部的部件过多（{len(infos)} 个，上限 {limits.members} 个），不予读取。")
        names = [i.filename for i in infos]
        if len(set(names)) != len(names):
            raise RefusedFile("文件内部有重名的部件，结构异常，不予读取。")
        for name in names:
            if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
                raise RefusedFile("文件内部的部件路径异常，不予读取。")
        lowered = {n.lower() for n in names}
        if "[content_types].xml" not in lowered or "xl/workbook.xml" not in lowered:
            raise RefusedFile("这不是 Excel 工作簿（.xlsx）：缺少工作簿的基本部件。" + SAVE_AS_XLSX)
        if any(n.endswith("vbaproject.bin") for n in lowered):
            raise RefusedFile("工作簿含有宏（VBA），不予导入。请另存为不含宏的 Excel 工作簿（.xlsx）后再导入。")
        if any(i.flag_bits & 0x1 for i in infos):
            raise RefusedFile("文件内部的部件已加密，无法读取。")
        total = 0
        for info in infos:
            limit = _member_limit(info.filename, limits)
            if info.file_size > limit:
                raise RefusedFile(f"文件内部的部件“{info.filename[:60]}”解压后过大（{_mb(info.file_size)}，"
                                  f"上限 {_mb(limit)}），可能是压缩炸弹，不予读取。")
            if info.file_size > 1024 * 1024 and info.file_size > limits.ratio * max(1, info.compress_size):
                raise RefusedFile("文件的压缩比异常（可能是压缩炸弹），不予读取。")
            total += info.file_size
        if total > limits.total_bytes:
            raise RefusedFile(f"文件解压后过大（{_mb(total)}，上限 {_mb(limits.total_bytes)}），可能是压缩炸弹，不予读取。")
        members: dict[str, int] = {}
        dimensions: dict[str, tuple[int, int]] = {}
        actual_total = 0
        for info in infos:
            size = _inflate(zf, info, _member_limit(info.filename, limits), limits.sheets, deadline, dimensions)
            actual_total += size
            if actual_total > limits.total_bytes:
                raise RefusedFile("文件解压后过大，可能是压缩炸弹，不予读取。")
            members[info.filename] = size
    return CheckedFile(path, data, sha256, members, dimensions)


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, max_sheets: int, deadline: float | None,
             dimensions: dict[str, tuple[int, int]]) -> int:
    """Inflate one member through a capped stream, counting what comes out and looking for DOCTYPE / ENTITY in
    XML; returns its actual size. The declared size is not trusted."""
    is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
    is_workbook = info.filename.lower() == "xl/workbook.xml"
    sheets = 0
    depth = 0  # an estimate by counting tags in slices: cheap, and exact enough to catch deep nesting
    size = 0
    tail = b""
    markers = _MARKERS
    try:
        with zf.open(info) as stream:
            first = True
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit or size > info.file_size:
                    raise RefusedFile(f"文件内部的部件“{info.filename[:60]}”实际解压后超过声明的大小或上限，"
                                      "可能是压缩炸弹，不予读取。")
                if is_xml:
                    if first and chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
                        markers = _MARKERS + _MARKERS_16
                    if first and info.filename.lower().startswith("xl/worksheets/"):
                        found = _DIMENSION.search(chunk, 0, 65536)
                        if found:
                            dimensions[info.filename] = _bounds(found)
                    window = tail + chunk[:_TAIL]  # a marker cut by the chunk's start; no copy of the chunk
                    if any(m in chunk or m in window for m in markers):
                        raise RefusedFile("文件含有 XML 文档类型或实体声明（DOCTYPE / ENTITY），Excel 文件不会有这些，"
                                          "可能是恶意构造的文件，不予读取。")
                    if is_workbook:
                        window = tail + chunk
                        sheets += len(_SHEET_ENTRY.findall(window)) - len(_SHEET_ENTRY.findall(tail))
                        if sheets > max_sheets:
                            raise RefusedFile(f"工作簿中的工作表过多（上限 {max_sheets} 张），不像本系统的模板或报送报表，不予读取。")
                    depth = _depth(chunk, depth)
                    tail = chunk[-_TAIL:] if len(chunk) >= _TAIL else window[-_TAIL:]
                first = False
                if deadline is not None and time.monotonic() > deadline:
                    raise RefusedFile("读取超时：文件过于复杂，不予读取。")
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, NotImplementedError, RuntimeError) as exc:
        raise RefusedFile(f"文件已损坏或不完整（{type(exc).__name__}），无法作为 .xlsx 读取。") from None
    except Exception as exc:  # zlib.error and the like: a damaged stream
        if isinstance(exc, RefusedFile):
            raise
        raise RefusedFile("文件已损坏或不完整，无法作为 .xlsx 读取。") from None
    if size != info.file_size:
        raise RefusedFile(f"文件内部的部件“{info.filename[:60]}”的大小与声明不符，文件已损坏或被篡改，不予读取。")
    return size


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _bounds(found: re.Match[bytes]) -> tuple[int, int]:
    """(last row, last column) of a dimension reference such as A1:XFD1048576."""
    col, row = (found.group(3), found.group(4)) if found.group(3) else (found.group(1), found.group(2))
    return int(row), _column_number(col)


def _depth(chunk: bytes, depth: int) -> int:
    """The nesting depth after ``chunk``, checked at every slice of it (RefusedFile when too deep). Tags are
    counted, not parsed: a text holding "/>" makes it err low, never high; the size and time limits bound the rest."""
    for i in range(0, len(chunk), _SLICE):
        part = chunk[i:i + _SLICE]
        ends = part.count(b"</")
        depth += part.count(b"<") - 2 * ends - part.count(b"<?") - part.count(b"<!") - part.count(b"/>")
        if depth > MAX_DEPTH:
            raise RefusedFile(f"文件的 XML 结构嵌套过深（超过 {MAX_DEPTH} 层），不像 Excel 保存的文件，不予读取。")
    return max(depth, 0)


def check_file(path: Path, limits: Limits = DEFAULT_LIMITS, deadline: float | None = None) -> CheckedFile:
    data, sha = read_file(path, limits)
    return check_bytes(path, data, sha, limits, deadline)
