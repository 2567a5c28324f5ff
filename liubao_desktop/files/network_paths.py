"""Is a path on another computer? A Windows UNC path (\\\\server\\share\\…), a mapped network drive (Z:), or a
Linux network mount (cifs, nfs…). SQLite's locking and WAL are not to be trusted there, and a clerk saving to a
share should be told where the file went.

The tests are pure functions on strings, run on any system (Windows-style strings are tested on Linux): what the
system itself says — which drive letters are remote, what is mounted where — is read by the two small functions
at the bottom and handed in.
"""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Collection

# \\server\share\…, //server/share/…, \\?\UNC\server\share\…; not \\?\C:\… or \\.\device (local, long-path forms)
_UNC = re.compile(r"^(?:[\\/]{2}\?[\\/]UNC[\\/]|[\\/]{2}(?![?.][\\/]))([^\\/]+)[\\/]+([^\\/]+)", re.IGNORECASE)
_DRIVE = re.compile(r"^(?:[\\/]{2}\?[\\/])?([A-Za-z]):(?:[\\/]|$)")
NETWORK_FILESYSTEMS = frozenset({
    "cifs", "smb3", "smbfs", "nfs", "nfs4", "9p", "afs", "ncpfs", "davfs", "ceph", "glusterfs", "fuse.sshfs",
    "fuse.gvfsd-fuse", "fuse.glusterfs", "fuse.cephfs", "fuse.rclone",
})
# statfs(2)'s f_type of the network file systems (linux/magic.h and the file systems' own headers): what the
# kernel says of the folder itself, whatever /proc/self/mounts shows (a bind mount, a mount namespace).
NETWORK_MAGIC = {
    0xFF534D42: "cifs", 0xFE534D42: "smb2", 0x517B: "smbfs", 0x6969: "nfs", 0x01021997: "9p", 0x5346414F: "afs",
    0x564C: "ncpfs", 0x00C36400: "ceph", 0x47504653: "gpfs", 0x0BD00BD0: "lustre",
}


def unc_share(path: str) -> tuple[str, str] | None:
    """(server, share) of a UNC path, else None: ``\\\\srv\\台账\\a.xlsx`` → ("srv", "台账")."""
    match = _UNC.match(path)
    return (match.group(1), match.group(2)) if match else None


def drive_letter(path: str) -> str | None:
    """The upper-case drive letter of a Windows path with one (``z:\\x`` → "Z", ``\\\\?\\C:\\x`` → "C"), else None."""
    match = _DRIVE.match(path)
    return match.group(1).upper() if match else None


def mount_point_type(path: str, mounts: str) -> str | None:
    """The filesystem type of the longest mount point holding ``path`` (an absolute POSIX path), from the text of
    /proc/self/mounts (spaces in mount points written as \\040 there)."""
    best, kind = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def is_network_path(path: str, *, remote_drives: Collection[str] = (), mounts: str = "",
                    fs_magic: int | None = None) -> bool:
    """True for a UNC path, a path on one of ``remote_drives`` (Windows letters, as remote_drive_letters gives),
    a path under a network mount of ``mounts`` (/proc/self/mounts), or one whose file system's statfs type
    ``fs_magic`` is a network one (NETWORK_MAGIC). Give the path absolute (os.path.abspath,
    not resolve(): on Windows resolve() turns a mapped drive into its UNC path, which is still a network path)."""
    if unc_share(path):
        return True
    letter = drive_letter(path)
    if letter is not None:
        return letter in {d.upper().rstrip(":\\/") for d in remote_drives}
    if fs_magic is not None and fs_magic & 0xFFFFFFFF in NETWORK_MAGIC:
        return True
    return bool(mounts) and mount_point_type(path, mounts) in NETWORK_FILESYSTEMS


def remote_drive_letters() -> frozenset[str]:
    """Windows: the letters whose drive type is DRIVE_REMOTE (mapped network drives). Elsewhere: none."""
    if sys.platform != "win32":
        return frozenset()
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    mask = kernel32.GetLogicalDrives()
    return frozenset(chr(65 + i) for i in range(26)
                     if mask >> i & 1 and kernel32.GetDriveTypeW(f"{chr(65 + i)}:\\") == 4)  # DRIVE_REMOTE


def current_mounts() -> str:
    """Linux: the text of /proc/self/mounts; "" where there is none (Windows, macOS)."""
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def statfs_magic(path: str) -> int | None:
    """Linux: statfs(2)'s f_type of the file system holding ``path`` (its nearest existing folder), through libc;
    None elsewhere or when it cannot be asked. (os.statvfs has no f_type.)"""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    probe = os.path.abspath(path)
    while not os.path.exists(probe) and os.path.dirname(probe) != probe:
        probe = os.path.dirname(probe)
    try:
        # The process's own symbols hold libc's statfs (Python links against it). ctypes.util.find_library
        # would run `ldconfig -p` in a child process on every call: ~5 ms each, twice per start.
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    buf = ctypes.create_string_buffer(256)  # struct statfs is 120 bytes on 64-bit Linux; f_type comes first
    if libc.statfs(os.fsencode(probe), buf) != 0:
        return None
    return ctypes.c_long.from_buffer(buf).value & 0xFFFFFFFF


def on_network(path: str) -> bool:
    """is_network_path with what this system says (the only impure entry point): Windows' remote drives, the
    mount table, and on Linux the file system's statfs type."""
    return is_network_path(path, remote_drives=remote_drive_letters(), mounts=current_mounts(),
                           fs_magic=statfs_magic(path))
