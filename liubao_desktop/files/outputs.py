"""Files written on a user's word — a task-list PDF, a workbook, a backup on a USB stick: one guard, one writer.

The guard (``check_output``) refuses a destination that would land on a ledger: any file a data folder holds
(the database, its -wal/-shm, the lock, settings, logs, backups), reached directly, through a symlink, ``..``,
another letter case or a hard link. It also refuses to overwrite a file of another kind (a PDF goes only over
a PDF, a workbook only over a workbook), a folder, or a device such as /dev/full.

The writer (``write_output``) makes the whole file in memory first, so a failure while producing it touches
no disk; then writes it beside its destination under a temporary name, syncs it and renames it into place.
A full disk or a locked file is named as such in Chinese; nothing half-written is left, and temporary files
left by a killed run are removed at the next write into that folder. Files that belong together (a batch of
templates and their zip) go through ``write_outputs``: all written and synced under temporary names before the
first is renamed, so a full disk half-way leaves none of them.
"""
from __future__ import annotations

import contextlib
import errno
import io
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

from .data_folder import ASIDE_DIRNAME, BACKUPS_DIRNAME, LOGS_DIRNAME, is_data_folder, what_it_is
from .durable import fsync_dir
from .os_errors import shown

T = TypeVar("T")

# Windows: "the process cannot access the file because it is being used by another process" (and the lock form)
_WIN_SHARING_VIOLATION = (32, 33)
_PART_RE = re.compile(r"^\.~.+\.[0-9a-f]{8}\.part$")
_PART_SIDE_RE = re.compile(r"^(\.~.+\.[0-9a-f]{8}\.part)-(?:wal|shm|journal)$")  # SQLite's, beside a backup's part
_INSIDE = (BACKUPS_DIRNAME, LOGS_DIRNAME, ASIDE_DIRNAME)


@dataclass(frozen=True)
class OutputKind:
    """A kind of file written on a user's word: its name, the name's ending, how its bytes begin."""

    label: str  # as the clerk knows it: "PDF 文件"
    suffix: str | None  # required file name ending; None: any name
    magic: bytes  # how a file of this kind begins


PDF = OutputKind("PDF 文件", ".pdf", b"%PDF-")
WORKBOOK = OutputKind("Excel 工作簿", ".xlsx", b"PK\x03\x04")
LEDGER_COPY = OutputKind("台账备份文件", None, b"SQLite format 3\x00")
SQL_TEXT = OutputKind("SQL 文本文件", ".sql", b"")  # the seed a developer regenerates: any text may be replaced


class OutputError(Exception):
    """A file that was not written; ``str()`` says why and what to do, in Chinese."""


def _refuse_ledger_file(path: Path, data_dir: Path | None) -> None:
    """Refuse any path that is, or lies inside, a data folder's own files."""
    for candidate in dict.fromkeys((path, Path(os.path.realpath(path)))):
        parent = candidate.parent
        if data_dir is not None and _same(candidate, data_dir) or is_data_folder(candidate):
            raise OutputError(f"“{shown(candidate)}”是台账的数据文件夹，不能把文件保存成它。请换一个位置保存。")
        what = what_it_is(candidate.name)
        if is_data_folder(parent) or (data_dir is not None and _same(parent, data_dir)):
            if what:
                raise OutputError(f"“{shown(candidate)}”是台账数据文件夹中的{what}，不能覆盖，否则台账会损坏。"
                                  "请换一个位置（例如“文档”或 U 盘）保存。")
            # a new name there could still be one SQLite takes for a side file one day: keep the folder ours
            raise OutputError(f"“{shown(parent)}”是台账的数据文件夹，只放软件自己的文件。"
                              "请把文件保存到别处（例如“文档”或 U 盘）。")
        for folder in candidate.parents:
            if folder.name.casefold() in _INSIDE and is_data_folder(folder.parent):
                raise OutputError(f"“{shown(candidate)}”在台账数据文件夹的{what_it_is(folder.name)}里，"
                                  "不能把文件保存在那里。请换一个位置保存。")


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _data_folder_entries(data_dir: Path) -> Iterator[Path]:
    with contextlib.suppress(OSError):
        for entry in Path(data_dir).iterdir():
            yield entry
            if entry.name in _INSIDE and entry.is_dir():
                with contextlib.suppress(OSError):
                    yield from entry.rglob("*")


def check_output(path: Path | str, kind: OutputKind, data_dir: Path | None = None) -> Path:
    """The absolute destination for a file of ``kind``, or OutputError saying why it may not be written there.

    ``data_dir`` is the open ledger's folder: an existing file that is one of its files under another name
    (a hard link, another letter case on Windows) is found by identity, not by name."""
    out = Path(os.path.abspath(os.path.expanduser(os.fspath(path))))
    _refuse_ledger_file(out, data_dir)
    if kind.suffix and out.suffix.lower() != kind.suffix:
        raise OutputError(f"文件名“{shown(out.name)}”应以 {kind.suffix} 结尾。")
    try:
        exists = out.exists()
        if exists and out.is_dir():
            raise OutputError(f"“{shown(out)}”是一个文件夹，请在后面写上文件名。")
        if exists and not out.is_file():
            raise OutputError(f"“{shown(out)}”不是普通文件（可能是设备或管道），不能写入。请换一个文件名。")
        if exists and data_dir is not None:
            for entry in _data_folder_entries(data_dir):
                if _same(out, entry):
                    raise OutputError(f"“{shown(out)}”就是台账数据文件夹中的“{shown(entry.name)}”（同一个文件），"
                                      "不能覆盖。请换一个位置保存。")
        if exists:
            with open(out, "rb") as fh:
                head = fh.read(len(kind.magic))
            if head and head != kind.magic:
                raise OutputError(f"“{shown(out)}”已经存在，但它不是{kind.label}，为免毁掉其他文件，没有覆盖它。"
                                  "请换一个文件名。")
        if not out.parent.is_dir():
            raise OutputError(f"保存位置“{shown(out.parent)}”不存在。请先建立这个文件夹，或换一个位置保存。")
    except OSError as exc:
        raise explain_os_error(exc, out) from exc
    return out


def make_output_folder(folder: Path | str, data_dir: Path | None = None) -> Path:
    """Create a missing folder (and its missing parents) for a file the clerk is about to save, on the guard's
    rules: never a data folder, nothing inside one (not even a new sub-folder: a data folder holds only the
    app's own files). Returns the absolute folder; OutputError (in Chinese) when it may not or could not be made."""
    out = Path(os.path.abspath(os.path.expanduser(os.fspath(folder))))
    missing = []
    for level in (out, *out.parents):
        if level.exists():
            if not level.is_dir():
                raise OutputError(f"“{shown(level)}”是一个文件，不是文件夹，不能在其中保存文件。请换一个位置保存。")
            break
        missing.append(level)
    for level in reversed(missing):  # the outermost new folder first: its parent is one that exists
        _refuse_ledger_file(level, data_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise explain_os_error(exc, out / "_") from exc
    return out


def explain_os_error(exc: OSError, out: Path, *, replacing: bool = False) -> OutputError:
    """An OSError from writing ``out``, in words a clerk can act on."""
    name = shown(out.name)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return OutputError(f"磁盘已满（“{shown(out.parent)}”所在的磁盘没有剩余空间），“{name}”没有保存。"
                           "请清理磁盘空间或换一个位置（例如 U 盘）后重试。")
    if exc.errno == errno.EROFS:
        return OutputError(f"保存位置“{shown(out.parent)}”是只读的，不能写入。请换一个位置保存。")
    if exc.errno == errno.ENAMETOOLONG:
        return OutputError(f"文件名或路径太长，“{name[:40]}…”没有保存。请用短一些的文件名。")
    if exc.errno == errno.ENOTDIR or isinstance(exc, FileNotFoundError):
        return OutputError(f"保存位置“{shown(out.parent)}”不存在（可能刚被移走或 U 盘已拔出）。请换一个位置保存。")
    locked = getattr(exc, "winerror", None) in _WIN_SHARING_VIOLATION or exc.errno == errno.EBUSY
    if locked or (isinstance(exc, PermissionError) and replacing):
        return OutputError(
            f"文件“{name}”正被其他程序（例如 Excel、WPS）打开或被锁定，不能覆盖。请先关闭它再保存，或换一个文件名。"
        )
    if isinstance(exc, PermissionError):
        return OutputError(f"没有权限在“{shown(out.parent)}”中保存文件。请换一个位置（例如“文档”或桌面）保存。")
    return OutputError(f"保存“{name}”时出错（{exc.strerror or exc}），文件没有保存。")


def part_name(out: Path) -> Path:
    """The temporary name a file is written under before it is renamed to ``out``."""
    return out.with_name(f".~{out.name}.{os.urandom(4).hex()}.part")


def _try_lock(fh: BinaryIO) -> bool:
    """Take an exclusive advisory lock on an open file without waiting (POSIX); True on Windows, where an
    open file cannot be deleted anyway."""
    try:
        import fcntl
    except ImportError:
        return True
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_leftover_parts(folder: Path) -> list[Path]:
    """Delete temporary files this app left in ``folder`` when a write was killed, and the -wal / -shm SQLite left
    beside one (a backup's copy killed while in WAL mode). A temporary file still being written by another run is
    locked by it and kept."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in Path(folder).iterdir():
            if not _PART_RE.match(entry.name) or not entry.is_file():
                continue
            try:
                with open(entry, "rb") as fh:
                    if _try_lock(fh):
                        entry.unlink()
                        removed.append(entry)
            except OSError:
                continue
        for entry in Path(folder).iterdir():  # SQLite's side files of a part file that is gone
            side = _PART_SIDE_RE.match(entry.name)
            if side and entry.is_file() and not entry.with_name(side[1]).exists():
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


@contextlib.contextmanager
def temporary_beside(out: Path) -> Iterator[tuple[Path, BinaryIO]]:
    """A new, locked, empty file beside ``out``; removed again unless the block renamed it away."""
    remove_leftover_parts(out.parent)
    tmp = part_name(out)
    try:
        fh = open(tmp, "xb")  # noqa: SIM115 - closed below; created with the user's umask, unlike mkstemp's 0600
    except OSError as exc:
        raise explain_os_error(exc, out) from exc
    try:
        _try_lock(fh)
        yield tmp, fh
    finally:
        # close() writes what a failed write left in the buffer: on a full disk it fails again, and must neither
        # replace the error being raised nor keep the temporary file from being removed
        with contextlib.suppress(OSError):
            fh.close()
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def write_output(path: Path | str, kind: OutputKind, produce: Callable[[BinaryIO], T],
                 data_dir: Path | None = None) -> tuple[Path, T]:
    """Check the destination, call ``produce(binary file)`` into memory, then put the bytes in place whole.
    Returns the absolute destination and what ``produce`` returned. Raises OutputError (in Chinese); an
    existing file of the same name keeps its old content on any failure."""
    out = check_output(path, kind, data_dir)
    buffer = io.BytesIO()
    try:
        result = produce(buffer)
    except OSError as exc:
        raise explain_os_error(exc, out) from exc
    data = buffer.getbuffer()
    if bytes(data[:len(kind.magic)]) != kind.magic:
        raise OutputError(f"生成的{kind.label}不完整，没有保存“{shown(out.name)}”。")
    with temporary_beside(out) as (tmp, fh):
        _write_synced(fh, data, out)
        _rename_into_place(tmp, out)
    with contextlib.suppress(OSError):  # the rename is done; a power cut keeps the old or the new file whole
        fsync_dir(out.parent)
    return out, result


def _write_synced(fh: BinaryIO, data: bytes | memoryview, out: Path) -> None:
    """The whole content into the temporary file and onto the disk, or OutputError naming ``out``."""
    try:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    except OSError as exc:
        raise explain_os_error(exc, out) from exc


def _rename_into_place(tmp: Path, out: Path) -> None:
    try:
        os.replace(tmp, out)
    except OSError as exc:
        raise explain_os_error(exc, out, replacing=True) from exc


def write_outputs(files: Sequence[tuple[Path | str, OutputKind, bytes]], data_dir: Path | None = None) -> list[Path]:
    """Several files that belong together, each ``(destination, kind, its whole content)``: every destination
    checked, every file written under a temporary name beside it and synced, and only then all renamed into place.
    Returns the absolute destinations. Raises OutputError (in Chinese); a failure before the renames (a full
    disk) leaves none of the files, and files of those names keep their old content."""
    outs = [check_output(path, kind, data_dir) for path, kind, _ in files]
    for out, (_, kind, data) in zip(outs, files, strict=True):
        if data[:len(kind.magic)] != kind.magic:
            raise OutputError(f"生成的{kind.label}不完整，没有保存“{shown(out.name)}”。")
    with contextlib.ExitStack() as held:  # every temporary file stays open and locked until the renames are done
        written = []
        for out, (_, _, data) in zip(outs, files, strict=True):
            tmp, fh = held.enter_context(temporary_beside(out))
            _write_synced(fh, data, out)
            written.append(tmp)
        for tmp, out in zip(written, outs, strict=True):
            _rename_into_place(tmp, out)
    for folder in dict.fromkeys(out.parent for out in outs):
        with contextlib.suppress(OSError):
            fsync_dir(folder)
    return outs
