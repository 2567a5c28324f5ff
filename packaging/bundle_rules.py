"""What of PyInstaller's collection goes into the bundle: the Qt plugins and translations the app uses, and on
Linux no library the .deb takes from the system. Read by packaging/liubao.spec; plain functions on the names
files get inside the bundle (``PySide6/Qt/plugins/platforms/libqxcb.so``, ``PySide6\\plugins\\platforms\\qwindows.dll``),
so tests/packaging/test_bundle_rules.py checks the Windows names on Linux too.
"""
from __future__ import annotations

# Qt plugins kept, by folder (file names without lib/.so/.dll): everything else under plugins/ is dropped.
QT_PLUGINS_KEPT = {
    "platforms": {"qxcb", "qoffscreen", "qwindows", "qminimal"},  # X11 (XWayland on a Wayland desktop), headless, Windows
    "xcbglintegrations": {"qxcb-glx-integration", "qxcb-egl-integration"},
    "platforminputcontexts": {"ibusplatforminputcontextplugin", "composeplatforminputcontextplugin"},  # Chinese input
    "imageformats": {"qsvg"},  # PNG is built into QtGui; app.svg needs qsvg
    "iconengines": {"qsvgicon"},  # the window icon is an SVG
    "printsupport": {"cupsprintersupport", "windowsprintersupport"},
    "styles": {"qmodernwindowsstyle", "qwindowsvistastyle"},  # Windows' native look (Qt 6.7+ / older)
}
# Qt's own translations: only Chinese qtbase (ui/launch.py: install_qt_chinese loads "qtbase" for zh_CN).
TRANSLATIONS_KEPT = {"qtbase_zh_CN.qm"}
# System libraries the .deb names in Depends instead of bundling (packaging/deb.py): a PC's own libcups
# talks to its own cupsd; a bundled GL or fontconfig would not match the PC's drivers and fonts.
SYSTEM_LIBS = ("libcups.so", "libgssapi", "libkrb5", "libk5crypto", "libcom_err", "libkrb5support", "libavahi",
               "libgnutls", "libnettle", "libhogweed", "libgmp", "libp11-kit", "libtasn1", "libidn2",
               "libunistring", "libkeyutils", "libfontconfig", "libfreetype", "libdbus-1", "libxkbcommon",
               "libX11", "libxcb", "libGL", "libEGL", "libGLX", "libGLdispatch", "libOpenGL", "libexpat",
               "libpng16", "libbrotli", "libz.so", "libbz2")


def _parts(dest: str) -> list[str]:
    return [p for p in dest.replace("\\", "/").split("/") if p]  # Windows' dest names use backslashes


def plugin_kept(dest: str) -> bool | None:
    """True/False for a file under a Qt plugins folder, None for anything else."""
    parts = _parts(dest)
    if "plugins" not in parts:
        return None
    i = parts.index("plugins")
    if len(parts) < i + 3:
        return None
    folder, stem = parts[i + 1], parts[-1].split(".")[0]
    stem = stem[3:] if stem.startswith("lib") else stem
    return stem in QT_PLUGINS_KEPT.get(folder, set())


def keep(dest: str, *, windows: bool) -> bool:
    """Whether a file PyInstaller's Analysis collected (by its place in the bundle) goes into the folder."""
    plugin = plugin_kept(dest)
    if plugin is not None:
        return plugin
    parts = _parts(dest)
    name = parts[-1] if parts else ""
    if "translations" in parts and name.endswith(".qm"):
        return name in TRANSLATIONS_KEPT
    if "qml" in parts:  # QML modules: the app has no QML
        return False
    return windows or not name.startswith(SYSTEM_LIBS)
