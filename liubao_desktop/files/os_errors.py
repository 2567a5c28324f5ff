"""Operating-system errors in the clerk's words, and paths that can always be printed.

Python's own texts ("File exists", "Not a directory") are English; a clerk must get Chinese. A file name that
is not valid UTF-8 (a USB stick written by an old PC) decodes to lone surrogates, which would make ``print``
itself fail; ``shown`` replaces those bytes so a message naming such a file can still be shown.
"""
from __future__ import annotations

import errno
import os

_WHAT = {
    errno.ENOENT: "不存在",
    errno.EEXIST: "已经存在",
    errno.ENOTDIR: "路径中有一部分不是文件夹（是一个文件）",
    errno.EISDIR: "是一个文件夹",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "位于只读的磁盘上",
    errno.ENOSPC: "所在的磁盘已满",
    errno.ENAMETOOLONG: "名称或路径太长",
    errno.ELOOP: "符号链接层数太多（可能是循环链接）",
    errno.EBUSY: "正被其他程序使用",
    errno.EIO: "读写时磁盘出错",
    errno.EINVAL: "名称中有不能使用的字符",
    errno.ENXIO: "不是普通文件（是设备）",
}


def shown(value: object, limit: int = 300) -> str:
    """``value`` as text that any console can print: undecodable bytes become �, and a very long path is cut."""
    text = os.fspath(value) if isinstance(value, os.PathLike) else str(value)
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace") if isinstance(text, str) else str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def describe_os_error(exc: OSError, what: str = "文件") -> str:
    """One Chinese sentence for an OSError about a path: "文件夹 /x/y 路径中有一部分不是文件夹（是一个文件）。"."""
    reason = _WHAT.get(exc.errno or 0, f"无法使用（系统错误 {exc.errno}）" if exc.errno else "无法使用")
    name = exc.filename if exc.filename is not None else ""
    return f"{what} {shown(name)} {reason}。" if name else f"{what}{reason}。"
