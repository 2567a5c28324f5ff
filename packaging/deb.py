"""Builds the .deb from the PyInstaller folder (dist/liubao/): `make deb`.

    .venv/bin/python packaging/deb.py [--bundle dist/liubao] [--out dist]

Lays out build/deb/root/ — /opt/liubao/ (the bundle), /usr/bin/liubao (a launcher script), the desktop entry and
the hicolor icons — writes DEBIAN/control and runs `dpkg-deb --root-owner-group --build` (no fakeroot needed).
Depends is worked out from the bundle: every library a bundled ELF file needs that the bundle does not carry,
found with ldconfig and `dpkg -S` on the build machine, plus the CJK font. No maintainer scripts: installing,
removing and purging touch nothing but the package's own files; the clerk's data stays in the home folder.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from icons import ICON_NAME, write_icons  # noqa: E402

from liubao_desktop.resources import version_from_pyproject  # noqa: E402

PACKAGE = "liubao"
INSTALL_DIR = "/opt/liubao"
# Needed at run time but not linked: a face that writes Chinese (screen and print; printing/fonts.py picks it).
EXTRA_DEPENDS = ("fonts-wqy-microhei | fonts-noto-cjk",)
# The C library and the loader are Essential; naming them adds nothing but the version (below).
ESSENTIAL = {"libc6", "libc-bin"}
GLIBC_MIN = "2.34"  # PySide6-Essentials 6.11's wheels are manylinux_2_34: Debian 12+, not 统信UOS 20 / 麒麟 V10


def desktop_entry(version: str) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.0",  # the spec version (desktop-file-validate of Debian 12 knows up to 1.4)
        "Name=六保任务台账",
        "Name[zh_CN]=六保任务台账",
        "GenericName=任务进展台账",
        "Comment=长沙市“六保”任务进展的填报、导出和打印（离线）",
        f"Exec={PACKAGE}",
        f"Icon={ICON_NAME}",
        "Terminal=false",
        "Categories=Office;",
        "Keywords=六保;台账;报表;liubao;",
        "StartupNotify=true",
        f"StartupWMClass={PACKAGE}",
        f"X-Liubao-Version={version}",
        "",
    ])


def launcher() -> str:
    """/usr/bin/liubao. The bundle's Qt carries the ibus input-method plugin, not fcitx's (which must match the
    Qt it was built for); fcitx5 answers ibus's protocol, so an fcitx desktop gets Chinese input through it."""
    return "\n".join([
        "#!/bin/sh",
        "# 六保任务台账: the program is in /opt/liubao; the data in the user's folder (~/.local/share/liubao/).",
        'case "${QT_IM_MODULE:-}" in fcitx*) QT_IM_MODULE=ibus; export QT_IM_MODULE ;; esac',
        "# relative to this script (shell built-ins only), so a tree unpacked with dpkg -x runs too (make dist-check)",
        'case "$0" in */*) here=${0%/*} ;; *) here=/usr/bin ;; esac',
        f'exec "$here/../..{INSTALL_DIR}/liubao" "$@"',
        "",
    ])


def control(version: str, arch: str, depends: Iterable[str], installed_kib: int) -> str:
    return "\n".join([
        f"Package: {PACKAGE}",
        f"Version: {version}",
        f"Architecture: {arch}",
        "Maintainer: liubao-desktop <liubao@localhost>",
        f"Installed-Size: {installed_kib}",
        f"Depends: {', '.join(depends)}",
        "Section: misc",
        "Priority: optional",
        "Homepage: https://localhost/liubao-desktop",
        "Description: 六保任务台账 — offline ledger of the Changsha \"六保\" plan",
        " A district office records its figures and progress against the city's targets month by month,",
        " exports the workbook it sends to the city and prints task lists. Works without a network.",
        " .",
        " Installs under /opt/liubao. User data lives in each user's home folder",
        " (~/.local/share/liubao/liubao-desktop/) and is never touched on remove or purge.",
        "",
    ])


def is_elf(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def needed(path: Path) -> list[str]:
    out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")]


def system_libraries(bundle: Path) -> set[str]:
    """Sonames the bundle's ELF files need and the bundle does not carry: the PC must have them."""
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p)]
    carried = {p.name for p in bundle.rglob("*")}
    return {name for f in files for name in needed(f)} - carried


def soname_paths() -> dict[str, str]:
    """soname -> path, from `ldconfig -p` (x86-64 entries first)."""
    out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    found: dict[str, str] = {}
    for line in out.splitlines()[1:]:
        m = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if m and (m.group(1) not in found or "x86-64" in m.group(2)):
            found[m.group(1)] = m.group(3)
    return found


def owning_package(path: str) -> str:
    for candidate in (path, os.path.realpath(path)):
        res = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if res.returncode == 0:
            return res.stdout.split(":", 1)[0].split(",")[0].strip()
    raise SystemExit(f"no Debian package owns {path}: install it from a package before building the .deb")


def depends_for(libs: Iterable[str], paths: dict[str, str], owner=owning_package) -> list[str]:  # noqa: ANN001
    missing = sorted(lib for lib in libs if lib not in paths)
    if missing:
        raise SystemExit("the build machine lacks these libraries the bundle needs: " + " ".join(missing))
    packages = sorted({owner(paths[lib]) for lib in libs} - ESSENTIAL)
    return [f"libc6 (>= {GLIBC_MIN})", *packages, *EXTRA_DEPENDS]


def stage(bundle: Path, root: Path, version: str, icons: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(bundle, root / INSTALL_DIR.lstrip("/"), symlinks=True)
    bin_path = root / "usr" / "bin" / PACKAGE
    bin_path.parent.mkdir(parents=True)
    bin_path.write_text(launcher(), encoding="utf-8")
    bin_path.chmod(0o755)
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / f"{PACKAGE}.desktop").write_text(desktop_entry(version), encoding="utf-8")
    shutil.copytree(icons / "hicolor", root / "usr" / "share" / "icons" / "hicolor")
    doc = root / "usr" / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "README").write_text(
        "六保任务台账 " + version + "\n程序安装在 /opt/liubao；数据在每个用户自己的文件夹"
        "（~/.local/share/liubao/liubao-desktop/），卸载（包括 purge）不会删除数据。\n", encoding="utf-8")
    for p in root.rglob("*"):  # dpkg keeps modes as they are: no group/other write bits
        if not p.is_symlink():
            p.chmod(p.stat().st_mode & ~0o022)


def installed_size_kib(root: Path) -> int:
    return sum((p.lstat().st_size + 1023) // 1024 for p in root.rglob("*") if p.is_file() or p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "liubao")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "deb")
    args = parser.parse_args(argv)
    if not (args.bundle / "liubao").is_file():
        raise SystemExit(f"{args.bundle}/liubao is missing: run `make dist` first")
    version = version_from_pyproject((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()
    icons = args.work / "icons"
    write_icons(icons)
    root = args.work / "root"
    stage(args.bundle, root, version, icons)
    depends = depends_for(system_libraries(args.bundle), soname_paths())
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(control(version, arch, depends, installed_size_kib(root)),
                                              encoding="utf-8")
    args.out.mkdir(parents=True, exist_ok=True)
    deb = args.out / f"{PACKAGE}_{version}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)], check=True,
                   stdout=subprocess.DEVNULL)
    print(deb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
