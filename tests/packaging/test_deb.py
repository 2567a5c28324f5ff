"""packaging/deb.py: the desktop entry, the control file, the launcher and Depends, without building anything."""
from __future__ import annotations

import configparser
import importlib.util
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def deb():  # noqa: ANN201
    spec = importlib.util.spec_from_file_location("liubao_deb", REPO / "packaging" / "deb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_desktop_entry(deb) -> None:  # noqa: ANN001
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_string(deb.desktop_entry("1.2.3"))
    entry = parser["Desktop Entry"]
    assert entry["Name"] == "六保任务台账"
    assert entry["Categories"] == "Office;"
    assert entry["Exec"] == "liubao" and entry["Icon"] == "liubao" and entry["Type"] == "Application"


def test_control(deb) -> None:  # noqa: ANN001
    text = deb.control("1.2.3", "amd64", ["libc6 (>= 2.34)", "libxcb-cursor0", "fonts-wqy-microhei | fonts-noto-cjk"],
                       150000)
    fields = dict(line.split(": ", 1) for line in text.splitlines() if line and not line.startswith(" "))
    assert fields["Package"] == "liubao" and fields["Version"] == "1.2.3" and fields["Installed-Size"] == "150000"
    assert fields["Depends"] == "libc6 (>= 2.34), libxcb-cursor0, fonts-wqy-microhei | fonts-noto-cjk"


def test_depends_from_libraries(deb) -> None:  # noqa: ANN001
    paths = {"libc.so.6": "/lib/libc.so.6", "libxcb-cursor.so.0": "/lib/libxcb-cursor.so.0",
             "libcups.so.2": "/lib/libcups.so.2"}
    owners = {"/lib/libc.so.6": "libc6", "/lib/libxcb-cursor.so.0": "libxcb-cursor0", "/lib/libcups.so.2": "libcups2"}
    got = deb.depends_for(paths, paths, owner=owners.__getitem__)
    assert got == ["libc6 (>= 2.34)", "libcups2", "libxcb-cursor0", "fonts-wqy-microhei | fonts-noto-cjk"]
    with pytest.raises(SystemExit, match="libGL.so.1"):
        deb.depends_for(["libGL.so.1"], paths, owner=owners.__getitem__)


def test_launcher_runs_the_bundle_relative_to_itself(deb, tmp_path: Path) -> None:  # noqa: ANN001
    bin_dir = tmp_path / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "liubao").write_text(deb.launcher(), encoding="utf-8")
    program = tmp_path / "opt" / "liubao" / "liubao"
    program.parent.mkdir(parents=True)
    program.write_text('#!/bin/sh\necho "args:$*" "im:${QT_IM_MODULE:-}"\n', encoding="utf-8")
    program.chmod(0o755)
    out = subprocess.run(["/bin/sh", str(bin_dir / "liubao"), "--version"], capture_output=True, text=True,
                         env={"QT_IM_MODULE": "fcitx"}, check=True).stdout
    assert out.strip() == "args:--version im:ibus"
