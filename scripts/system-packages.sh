#!/usr/bin/env bash
# Installs the Debian packages the app (and, with "test", its test suite) needs, when apt is there and we are root.
# Elsewhere it only says what is missing; the Python side installs from PyPI either way.
set -u
want="fonts-wqy-microhei libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3"
# postgresql: the tests start a real server of their own (tests/pg_server.py: initdb in a temporary folder)
[ "${1:-}" = "test" ] && want="$want postgresql"
[ "${1:-}" = "test" ] && want="$want poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui xvfb fonts-noto-cjk"  # Noto: the face whose shared glyphs broke PDF text
# make dist / deb / dist-check: objdump (PyInstaller, packaging/deb.py), dpkg-deb, Xvfb and xdotool for the smoke test
[ "${1:-}" = "dist" ] && want="$want binutils dpkg xvfb xdotool desktop-file-utils"
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "安装系统软件包:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
    echo "系统软件包安装失败:$missing" >&2; exit 1; }
else
  echo "提示：缺少系统软件包$missing（需要 root 和 apt-get 才能自动安装）。" >&2
fi
