"""Is a path on another computer? A Windows UNC path (\\\\server\\share\\…), a mapped network drive (Z:), or a
Linux network mount (cifs, nfs…). SQLite's locking and WAL are not to be trusted there, and a clerk saving to a
share should be told where the file went.

The tests are pure functions on strings, run on any system (Windows-style strings are tested on Linux): what the
system itself says — which drive letters are remote, what is mounted where — is read by the two small functions
at the bottom and handed in.
"""
from __future__ import annotations

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


def is_network_path(path: str, *, remote_drives: Collection[str] = (), mounts: str = "") -> bool:
    """True for a UNC path, a path on one of ``remote_drives`` (Windows letters, as remote_drive_letters gives),
    or a path under a network mount of ``mounts`` (/proc/self/mounts). Give the path absolute (os.path.abspath,
    not resolve(): on Windows resolve() turns a mapped drive into its UNC path, which is still a network path)."""
    if unc_share(path):
        return True
    letter = drive_letter(path)
    if letter is not None:
        return letter in {d.upper().rstrip(":\\/") for d in remote_drives}
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


def on_network(path: str) -> bool:
    """is_network_path with what this system says (the only impure entry point)."""
    return is_network_path(path, remote_drives=remote_drive_letters(), mounts=current_mounts())
