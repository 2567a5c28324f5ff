"""Charts painted with QPainter: a CJK face Qt really resolved, and the same pixels offscreen and on an X server."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest

from liubao_desktop.printing.chart_model import PartBar, PartChart, StatusChart, TargetChart

from ..conftest import REPO

CHART = PartChart("芙蓉区各领域平均完成率与序时进度（2020年9月）", (
    PartBar("保居民就业", Decimal("0.309"), Decimal("0.6"), {"红": 2, "绿": 2}),
    PartBar("保粮食能源安全", Decimal("0.404"), Decimal("0.64"), {"红": 2, "黄": 1, "绿": 1}),
    PartBar("保基层运转", None, None, {"绿": 3}),
))

# Run in a process of its own: the platform plugin is chosen once per process.
SCRIPT = f"""
import hashlib, json, sys
sys.path.insert(0, {str(REPO)!r})
from decimal import Decimal
from PySide6.QtGui import QFontDatabase, QFontInfo, QGuiApplication
app = QGuiApplication([])
from liubao_desktop.printing.chart import chart_font, render_png
from liubao_desktop.printing.chart_model import PartBar, PartChart
chart = PartChart("芙蓉区各领域平均完成率与序时进度（2020年9月）", (
    PartBar("保居民就业", Decimal("0.309"), Decimal("0.6"), {{"红": 2, "绿": 2}}),
    PartBar("保粮食能源安全", Decimal("0.404"), Decimal("0.64"), {{"红": 2, "黄": 1, "绿": 1}}),
    PartBar("保基层运转", None, None, {{"绿": 3}}),
))
family = QFontInfo(chart_font(20)).family()
print(json.dumps({{"platform": app.platformName(), "family": family,
                  "chinese": QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family),
                  "png": hashlib.sha256(render_png(chart)).hexdigest()}}))
"""


def run(platform: str, wrapper: list[str] | None = None) -> dict:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "QT_QPA_PLATFORM": platform}
    done = subprocess.run([*(wrapper or []), sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_font_qt_resolves_writes_chinese(qapp) -> None:  # noqa: ANN001
    from PySide6.QtGui import QFontDatabase, QFontInfo

    from liubao_desktop.printing.chart import chart_font
    from liubao_desktop.printing.fonts import choose_cjk_family

    family = QFontInfo(chart_font(18)).family()
    assert family == choose_cjk_family()
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)


def test_every_shape_paints_without_error(qapp) -> None:  # noqa: ANN001
    from PySide6.QtGui import QImage

    from liubao_desktop.printing.chart import render_png

    target = TargetChart("1.3.1 援助就业困难人员就业", "人", ("2020年8月", "9月", "10月"),
                         (Decimal(1000), Decimal(1523), None), (Decimal(280), Decimal(560), Decimal(840)),
                         Decimal(1400))
    status = StatusChart("1.3：指标状态（个）", ("2020年8月", "9月"), ({"绿": 1}, {"红": 1, "绿": 1}))
    empty = TargetChart("1.3.2", "", ("2020年8月",), (None,), (None,), None, "定性指标没有数值")
    for chart in (CHART, target, status, empty, PartChart("", ())):
        image = QImage.fromData(render_png(chart))
        assert (image.width(), image.height()) == (1400, 600)
        # something besides the white background was painted
        assert len({image.pixel(x, y) for x in range(0, 1400, 20) for y in range(0, 600, 20)}) > 1


def test_offscreen_and_xvfb_paint_the_same_pixels() -> None:
    offscreen = run("offscreen")
    assert offscreen["chinese"], offscreen
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb)")
    on_x = run("xcb", [xvfb, "-a", "-s", "-screen 0 1280x1024x24"])
    assert on_x["platform"] == "xcb" and offscreen["platform"] == "offscreen"
    assert on_x["family"] == offscreen["family"]
    assert on_x["png"] == offscreen["png"], "the chart's PNG differs between offscreen and Xvfb"
    assert hashlib.sha256(b"").hexdigest() not in (on_x["png"], offscreen["png"])
