"""UNC paths, mapped drives and network mounts recognised from strings, Windows-style ones included, on Linux."""
from __future__ import annotations

import pytest

from liubao_desktop.files.network_paths import (
    drive_letter,
    is_network_path,
    mount_point_type,
    on_network,
    unc_share,
)

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//fileserver/台账 /mnt/office cifs rw,vers=3.0 0 0
nas:/export/home /home/shared nfs4 rw 0 0
/dev/sdb1 /mnt/office/local\\040copy ext4 rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize(("path", "share"), [
    (r"\\fileserver\台账\芙蓉区.xlsx", ("fileserver", "台账")),
    (r"\\10.0.0.5\share", ("10.0.0.5", "share")),
    ("//fileserver/share/a/b.pdf", ("fileserver", "share")),
    (r"\\?\UNC\fileserver\share\x", ("fileserver", "share")),
    (r"\\?\unc\fileserver\share", ("fileserver", "share")),
    (r"\\fileserver\share\\x", ("fileserver", "share")),
])
def test_unc(path: str, share: tuple[str, str]) -> None:
    assert unc_share(path) == share
    assert is_network_path(path)


@pytest.mark.parametrize("path", [
    r"C:\Users\clerk\AppData\Roaming\liubao\liubao-desktop",
    r"\\?\C:\very\long\path",
    r"\\.\PhysicalDrive0",
    r"\\server",  # a server without a share is no file path
    "/home/clerk/.local/share/liubao",
    "relative\\path",
    "",
])
def test_not_unc(path: str) -> None:
    assert unc_share(path) is None


def test_drive_letters() -> None:
    assert drive_letter(r"z:\台账\a.xlsx") == "Z"
    assert drive_letter("Z:/a") == "Z"
    assert drive_letter("Z:") == "Z"
    assert drive_letter(r"\\?\D:\x") == "D"
    assert drive_letter("/home/z:/x") is None
    assert drive_letter("ab:/x") is None


def test_mapped_network_drive() -> None:
    remote = {"Z", "y:"}
    assert is_network_path(r"Z:\台账\liubao.sqlite3", remote_drives=remote)
    assert is_network_path(r"y:\x", remote_drives=remote)
    assert not is_network_path(r"C:\Users\clerk", remote_drives=remote)
    assert not is_network_path(r"Z:\x")  # nothing said remote: a local drive


def test_linux_mounts() -> None:
    assert mount_point_type("/mnt/office/芙蓉区.xlsx", MOUNTS) == "cifs"
    assert mount_point_type("/mnt/office", MOUNTS) == "cifs"
    assert mount_point_type("/mnt/officer/x", MOUNTS) == "ext4"  # a prefix that is not the folder
    assert mount_point_type("/mnt/office/local copy/x", MOUNTS) == "ext4"  # the longer mount point wins
    assert is_network_path("/home/shared/clerk/data", mounts=MOUNTS)
    assert not is_network_path("/home/clerk/.local/share/liubao", mounts=MOUNTS)
    assert not is_network_path("/tmp/x", mounts=MOUNTS)
    assert not is_network_path("/mnt/office/x")  # no mount table given: not known to be remote


def test_this_machine(tmp_path) -> None:  # noqa: ANN001
    assert on_network(str(tmp_path)) is False
