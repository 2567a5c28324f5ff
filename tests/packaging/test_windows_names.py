"""What differs on Windows, checked here with the names and strings Windows gives (these machines are Linux):
the fonts chosen by name, the data folder's place, the .ico, the installer script's promises."""
from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

from liubao_desktop.printing.fonts import choose_cjk_family
from liubao_desktop.ui.fonts import pick_cjk_family

REPO = Path(__file__).resolve().parents[2]
# QFontDatabase.families() on a Windows 10/11 PC: English names on an English system, the Chinese names
# (宋体, 微软雅黑, 仿宋) on a Chinese one; both carry the same faces.
WINDOWS_EN = ["Arial", "Calibri", "FangSong", "KaiTi", "Microsoft YaHei", "Microsoft YaHei UI", "NSimSun",
              "SimHei", "SimSun", "Segoe UI", "Times New Roman"]
WINDOWS_ZH = ["Arial", "仿宋", "楷体", "微软雅黑", "Microsoft YaHei UI", "新宋体", "黑体", "宋体", "Segoe UI"]
WINDOWS_7_NO_YAHEI_UI = ["Arial", "SimSun", "NSimSun", "SimHei", "FangSong"]


def _load(name: str):  # noqa: ANN202 -- a script of packaging/ (not a package: "packaging" is also PyPI's)
    spec = importlib.util.spec_from_file_location(f"liubao_{name}", REPO / "packaging" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_print_face_is_songti_on_windows_in_either_language() -> None:
    assert choose_cjk_family(WINDOWS_EN) == "SimSun"
    assert choose_cjk_family(WINDOWS_ZH) == "宋体"
    assert choose_cjk_family(["simsun"]) == "simsun"  # the name as the system spells it


def test_screen_face_is_yahei_on_windows() -> None:
    assert pick_cjk_family(families=WINDOWS_EN) == "Microsoft YaHei UI"
    assert pick_cjk_family(families=["微软雅黑", "宋体"]) == "微软雅黑"
    assert pick_cjk_family(families=WINDOWS_7_NO_YAHEI_UI) == "SimSun"
    assert pick_cjk_family(families=["Arial"]) is None


def test_ico_holds_every_size_as_png() -> None:
    icons = _load("icons")
    pngs = {s: b"\x89PNG" + bytes([s % 256]) * s for s in (16, 32, 256)}
    data = icons.ico_bytes(pngs)
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, 3)
    for i, size in enumerate((16, 32, 256)):
        w, h, _, _, planes, bpp, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        assert (w, h) == ((size, size) if size < 256 else (0, 0))
        assert (planes, bpp) == (1, 32)
        assert data[offset:offset + length] == pngs[size]


def test_inno_setup_script_installs_per_user_with_a_start_menu_entry() -> None:
    iss = (REPO / "packaging" / "windows" / "liubao.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in iss
    assert "DefaultDirName={userpf}" in iss or "DefaultDirName={localappdata}" in iss
    assert "{userprograms}" in iss or "{group}" in iss
    assert 'Source: "..\\..\\dist\\liubao\\*"' in iss
    assert "六保任务台账" in iss
    # the data folder (QStandardPaths AppDataLocation, %APPDATA%\liubao\liubao-desktop) is never deleted
    assert "[UninstallDelete]" not in iss
    ps1 = (REPO / "scripts" / "build-windows.ps1").read_text(encoding="utf-8")
    assert "packaging\\liubao.spec" in ps1 and "ISCC" in ps1 and "3.11" in ps1
