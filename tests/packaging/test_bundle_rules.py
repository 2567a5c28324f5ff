"""packaging/bundle_rules.py: what the spec keeps, with the names files get in the Linux and the Windows bundle."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("liubao_bundle_rules", REPO / "packaging" / "bundle_rules.py")
rules = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rules)


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    "PySide6/Qt/translations/qtbase_zh_CN.qm",
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "libpython3.11.so.1.0",
    "liubao_desktop/_data/resources/icons/app.svg",
])
def test_linux_keeps(dest: str) -> None:
    assert rules.keep(dest, windows=False)


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt/translations/qtdeclarative_zh_CN.qm",
    "PySide6/Qt/qml/QtQuick/libqtquick2plugin.so",
    "libcups.so.2",
    "libxcb.so.1",
    "libfontconfig.so.1",
    "libGL.so.1",
])
def test_linux_drops(dest: str) -> None:
    assert not rules.keep(dest, windows=False)


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6\\plugins\\platforms\\qwindows.dll", True),
    ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
    ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
    ("PySide6\\plugins\\printsupport\\windowsprintersupport.dll", True),
    ("PySide6\\plugins\\imageformats\\qsvg.dll", True),
    ("PySide6\\plugins\\imageformats\\qtiff.dll", False),
    ("PySide6\\plugins\\iconengines\\qsvgicon.dll", True),
    ("PySide6\\translations\\qtbase_zh_CN.qm", True),
    ("PySide6\\translations\\qtbase_ja.qm", False),
    ("PySide6\\Qt6Widgets.dll", True),
    ("libcrypto-3.dll", True),  # on Windows the bundle carries everything: no system package to depend on
    ("zlib.dll", True),
])
def test_windows_names(dest: str, kept: bool) -> None:
    assert rules.keep(dest, windows=True) is kept
