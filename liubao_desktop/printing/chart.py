"""Charts painted with plain QPainter: on the window's 进度 tab (a widget's paintEvent) and into a PNG for the
written report (an offscreen QImage) — the same code, so the window and the paper show the same picture.

No chart library: three chart shapes (horizontal bars per part, columns with a 序时 line per target, stacked
columns of statuses per month) are a few hundred lines, where QtCharts would add PySide6-Addons and matplotlib
its own font handling (README, "Dependencies and why"). Only QtGui: this runs under a bare QGuiApplication for
``main.py report``. Text uses the CJK face ``printing/fonts.py`` chooses, set explicitly, never Qt's fallback.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from ..domain.quantities import format_percent
from .chart_model import CHART_COLORS, CHART_STATUSES, PartChart, StatusChart, TargetChart
from .fonts import choose_cjk_family, cjk_font

Chart = PartChart | TargetChart | StatusChart

ACTUAL_COLOUR = "#6a4c93"  # 累计完成 / 平均完成率: not the blue of 已完成, which the status bars use
PACE_COLOUR = "#e67e22"  # the 序时 line
GOAL_COLOUR = "#c9302c"  # the goal
AXIS_COLOUR = "#555555"
GRID_COLOUR = "#dddddd"
TEXT_COLOUR = "#222222"


def chart_font(point_px: float, *, bold: bool = False, family: str | None = None) -> QFont:
    """The CJK face at a pixel size (charts scale with their rectangle, not with the screen's DPI)."""
    font = cjk_font(family or choose_cjk_family(), 10, bold=bold)
    font.setPixelSize(max(8, round(point_px)))
    return font


def paint_chart(painter: QPainter, rect: QRectF, chart: Chart, family: str | None = None,
                text_px: float | None = None) -> None:
    """Paint any chart into ``rect`` (white background, title on top, legend, axes, labels). ``text_px``: the
    labels' size in pixels; by default it follows the rectangle."""
    family = family or choose_cjk_family()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.fillRect(rect, QColor("white"))
    # The text size everything else follows.
    unit = text_px or max(11.0, min(rect.height() / 30, rect.width() / 48))
    _Painter(painter, rect, unit, family).paint(chart)
    painter.restore()


REPORT_PNG = (1400, 600, 28.0)  # pixels, and the labels' size: placed 140 mm wide, 28 px is 2.8 mm (about 小五号)


def render_png(chart: Chart, width: int = REPORT_PNG[0], height: int = REPORT_PNG[1],
               text_px: float | None = REPORT_PNG[2]) -> bytes:
    """The chart as PNG bytes (offscreen; a QGuiApplication must exist: printing.pdf.ensure_gui_application)."""
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.setDotsPerMeterX(10000)  # 254 dpi: 1400 px are the 140 mm the report gives the picture
    image.setDotsPerMeterY(10000)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        paint_chart(painter, QRectF(0, 0, width, height), chart, text_px=text_px)
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def nice_ticks(top: float, count: int = 5, *, whole: bool = False) -> list[float]:
    """0 and round steps up to at least ``top``: 0, 500, 1000, 1500 … (1, 2, 2.5 or 5 × a power of ten); ``whole``
    keeps the steps whole numbers (a count of targets has no 0.5)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if whole:
        step = max(1.0, math.ceil(step))
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def tick_text(value: float) -> str:
    if abs(value) >= 100_000_000 and value % 100_000_000 == 0:
        return f"{value / 100_000_000:g}亿"
    if abs(value) >= 10_000 and value % 1000 == 0:
        return f"{value / 10_000:g}万"
    return f"{value:g}"


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class _Painter:
    def __init__(self, painter: QPainter, rect: QRectF, unit: float, family: str) -> None:
        self.p, self.rect, self.u, self.family = painter, rect, unit, family
        self.text_font = chart_font(unit, family=family)
        self.small_font = chart_font(unit * 0.85, family=family)
        self.title_font = chart_font(unit * 1.2, bold=True, family=family)

    # -- shared pieces --------------------------------------------------------------------------------------
    def text(self, rect: QRectF, text: str, flags: Qt.AlignmentFlag, font: QFont | None = None,
             colour: str = TEXT_COLOUR) -> None:
        self.p.setFont(font or self.text_font)
        self.p.setPen(QColor(colour))
        self.p.drawText(rect, int(flags), text)

    def width(self, text: str, font: QFont | None = None) -> float:
        return QFontMetricsF(font or self.text_font).horizontalAdvance(text)

    def title(self, title: str) -> QRectF:
        """The title across the top; returns the room left below it (all of it when there is no title)."""
        u = self.u
        if not title:
            return self.rect.adjusted(u, u * 0.6, -u, -u * 0.6)
        r = self.rect.adjusted(u, u * 0.6, -u, 0)
        self.text(QRectF(r.left(), r.top(), r.width(), u * 1.8), title, Qt.AlignmentFlag.AlignCenter,
                  self.title_font)
        return QRectF(r.left(), r.top() + u * 2.2, r.width(), self.rect.bottom() - r.top() - u * 2.8)

    def legend(self, room: QRectF, items: Sequence[tuple[str, str, str]]) -> QRectF:
        """A row of (kind, colour, label) keys, centred; kind "box", "line" or "dash". Returns the room below."""
        u = self.u
        widths = [u * 1.6 + self.width(label, self.small_font) + u * 1.2 for _, _, label in items]
        x = room.left() + max(0.0, (room.width() - sum(widths)) / 2)
        y = room.top() + u * 0.2
        for (kind, colour, label), w in zip(items, widths, strict=True):
            if kind == "box":
                self.p.fillRect(QRectF(x, y + u * 0.15, u * 1.1, u * 0.8), QColor(colour))
            else:
                pen = QPen(QColor(colour), max(2.0, u / 6))
                pen.setStyle(Qt.PenStyle.DashLine if kind == "dash" else Qt.PenStyle.SolidLine)
                self.p.setPen(pen)
                self.p.drawLine(QPointF(x, y + u * 0.55), QPointF(x + u * 1.2, y + u * 0.55))
            self.text(QRectF(x + u * 1.5, y, w, u * 1.1), label, Qt.AlignmentFlag.AlignLeft |
                      Qt.AlignmentFlag.AlignVCenter, self.small_font)
            x += w
        return QRectF(room.left(), room.top() + u * 1.8, room.width(), room.height() - u * 1.8)

    def note(self, room: QRectF, note: str) -> QRectF:
        if not note:
            return room
        u = self.u
        self.text(QRectF(room.left(), room.bottom() - u * 1.3, room.width(), u * 1.3), note,
                  Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.small_font, "#666666")
        return QRectF(room.left(), room.top(), room.width(), room.height() - u * 1.6)

    def nothing(self, room: QRectF, text: str) -> None:
        self.text(room, text, Qt.AlignmentFlag.AlignCenter, self.text_font, "#777777")

    def paint(self, chart: Chart) -> None:
        if isinstance(chart, PartChart):
            self.part_chart(chart)
        elif isinstance(chart, TargetChart):
            self.target_chart(chart)
        else:
            self.status_chart(chart)

    # -- 平均完成率 vs 序时进度 per part, and the measures' statuses ---------------------------------------------
    def part_chart(self, chart: PartChart) -> None:
        u = self.u
        room = self.title(chart.title)
        if chart.empty:
            self.nothing(room, "没有可以作图的数据")
            return
        room = self.legend(room, [("box", ACTUAL_COLOUR, "平均完成率"), ("line", PACE_COLOUR, "平均序时进度"),
                                  *(("box", CHART_COLORS[s], s) for s in CHART_STATUSES)])
        label_w = max(self.width(b.label) for b in chart.parts) + u
        left = QRectF(room.left() + label_w, room.top(), (room.width() - label_w) * 0.58, room.height())
        right = QRectF(left.right() + u * 2.2, room.top(), room.right() - left.right() - u * 2.2, room.height())
        head = u * 1.4
        axis_h = u * 1.6
        rows = len(chart.parts)
        band = (room.height() - head - axis_h) / rows
        self.text(QRectF(left.left(), left.top(), left.width(), head), "完成率 / 序时进度（%）",
                  Qt.AlignmentFlag.AlignCenter, self.small_font)
        self.text(QRectF(right.left(), right.top(), right.width(), head), "重点任务状态（项）",
                  Qt.AlignmentFlag.AlignCenter, self.small_font)
        top = room.top() + head
        plot_h = band * rows
        # percent axis: 0..100 (a target counts at most 100% in the average)
        for tick in range(0, 101, 20):
            x = left.left() + left.width() * tick / 100
            self.p.setPen(QPen(QColor(GRID_COLOUR), 1))
            self.p.drawLine(QPointF(x, top), QPointF(x, top + plot_h))
            self.text(QRectF(x - u * 2, top + plot_h + u * 0.2, u * 4, u * 1.2), f"{tick}%",
                      Qt.AlignmentFlag.AlignCenter, self.small_font)
        most = max((sum(b.statuses.get(s, 0) for s in CHART_STATUSES) for b in chart.parts), default=0)
        ticks = nice_ticks(max(most, 1), 4, whole=True)
        scale = right.width() / ticks[-1]
        for tick in ticks:
            x = right.left() + tick * scale
            self.p.setPen(QPen(QColor(GRID_COLOUR), 1))
            self.p.drawLine(QPointF(x, top), QPointF(x, top + plot_h))
            self.text(QRectF(x - u * 2, top + plot_h + u * 0.2, u * 4, u * 1.2), tick_text(tick),
                      Qt.AlignmentFlag.AlignCenter, self.small_font)
        for i, bar in enumerate(chart.parts):
            y = top + band * i
            self.text(QRectF(room.left(), y, label_w - u * 0.5, band), bar.label,
                      Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            bar_h = band * 0.55
            by = y + (band - bar_h) / 2
            if bar.expected is not None:
                x = left.left() + left.width() * min(float(bar.expected), 1.0)
                self.p.setPen(QPen(QColor(PACE_COLOUR), max(3.0, u / 4)))
                self.p.drawLine(QPointF(x, y + band * 0.1), QPointF(x, y + band * 0.9))
            if bar.average is not None:
                w = left.width() * min(float(bar.average), 1.0)
                self.p.fillRect(QRectF(left.left(), by, w, bar_h), QColor(ACTUAL_COLOUR))
                label = format_percent(bar.average)
                if w > self.width(label, self.small_font) + u:  # inside the bar's end, clear of the 序时 mark
                    self.text(QRectF(left.left(), by, w - u * 0.3, bar_h), label,
                              Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.small_font, "white")
                else:
                    self.text(QRectF(left.left() + w + u * 0.3, by, u * 5, bar_h), label,
                              Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.small_font)
            else:
                self.text(QRectF(left.left() + u * 0.3, by, u * 8, bar_h), "无可计指标",
                          Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.small_font, "#777777")
            x = right.left()
            for s in CHART_STATUSES:
                n = bar.statuses.get(s, 0)
                if not n:
                    continue
                w = n * scale
                self.p.fillRect(QRectF(x, by, w, bar_h), QColor(CHART_COLORS[s]))
                if w > u * 1.2:
                    self.text(QRectF(x, by, w, bar_h), str(n), Qt.AlignmentFlag.AlignCenter, self.small_font,
                              "white")
                x += w
        self.p.setPen(QPen(QColor(AXIS_COLOUR), 1.5))
        for panel in (left, right):
            self.p.drawLine(QPointF(panel.left(), top), QPointF(panel.left(), top + plot_h))
            self.p.drawLine(QPointF(panel.left(), top + plot_h), QPointF(panel.right(), top + plot_h))

    # -- one target over the months ------------------------------------------------------------------------------
    def value_axis(self, room: QRectF, top_value: float, unit: str, *, whole: bool = False
                   ) -> tuple[QRectF, float, list[float]]:
        u = self.u
        ticks = nice_ticks(top_value, whole=whole)
        axis_w = max(self.width(tick_text(t), self.small_font) for t in ticks) + u * 0.8
        plot = QRectF(room.left() + axis_w, room.top() + u * 1.4, room.width() - axis_w - u * 0.5,
                      room.height() - u * 3.0)
        self.text(QRectF(room.left(), room.top(), room.width(), u * 1.2), f"单位：{unit}" if unit else "",
                  Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.small_font, "#555555")
        scale = plot.height() / ticks[-1]
        for t in ticks:
            y = plot.bottom() - t * scale
            self.p.setPen(QPen(QColor(GRID_COLOUR), 1))
            self.p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            self.text(QRectF(room.left(), y - u * 0.6, axis_w - u * 0.4, u * 1.2), tick_text(t),
                      Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.small_font)
        self.p.setPen(QPen(QColor(AXIS_COLOUR), 1.5))
        self.p.drawLine(plot.bottomLeft(), plot.bottomRight())
        self.p.drawLine(plot.bottomLeft(), plot.topLeft())
        return plot, scale, ticks

    def month_labels(self, plot: QRectF, months: Sequence[str]) -> float:
        u = self.u
        step = plot.width() / max(len(months), 1)
        every = max(1, math.ceil(len(months) * self.width("12月", self.small_font) * 1.4 / plot.width()))
        for i, m in enumerate(months):
            if i % every == 0 or i == len(months) - 1:
                self.text(QRectF(plot.left() + step * i, plot.bottom() + u * 0.2, step, u * 1.2), m,
                          Qt.AlignmentFlag.AlignCenter, self.small_font)
        return step

    def target_chart(self, chart: TargetChart) -> None:
        u = self.u
        room = self.title(chart.title)
        room = self.note(room, chart.note)
        if not chart.has_numbers:
            self.nothing(room, "本指标还没有可作图的数字")
            return
        keys = [("box", ACTUAL_COLOUR, "累计完成")]
        if any(v is not None for v in chart.expected):
            keys.append(("line", PACE_COLOUR, "序时进度"))
        if chart.goal is not None:
            keys.append(("dash", GOAL_COLOUR, "目标"))
        room = self.legend(room, keys)
        values = [float(v) for v in (*chart.actual, *chart.expected, chart.goal) if v is not None]
        plot, scale, _ = self.value_axis(room, max(max(values), 0.0) * 1.08 or 1.0, chart.unit)
        step = self.month_labels(plot, chart.months)
        for i, v in enumerate(chart.actual):
            if v is None:
                continue
            h = max(float(v), 0.0) * scale
            x = plot.left() + step * i + step * 0.2
            self.p.fillRect(QRectF(x, plot.bottom() - h, step * 0.6, h), QColor(ACTUAL_COLOUR))
        last = max((i for i, v in enumerate(chart.actual) if v is not None), default=None)
        if last is not None:
            v = chart.actual[last]
            assert v is not None
            x = plot.left() + step * last
            self.text(QRectF(x - step, plot.bottom() - float(v) * scale - u * 1.3, step * 3, u * 1.2),
                      tick_text(float(v)), Qt.AlignmentFlag.AlignCenter, self.small_font, ACTUAL_COLOUR)
        points = [QPointF(plot.left() + step * (i + 0.5), plot.bottom() - float(v) * scale)
                  for i, v in enumerate(chart.expected) if v is not None]
        if points:
            self.p.setPen(QPen(QColor(PACE_COLOUR), max(2.5, u / 5)))
            for a, b in zip(points, points[1:], strict=False):
                self.p.drawLine(a, b)
            self.p.setBrush(QBrush(QColor(PACE_COLOUR)))
            for pt in points:
                self.p.drawEllipse(pt, u * 0.2, u * 0.2)
        if chart.goal is not None:
            y = plot.bottom() - float(chart.goal) * scale
            pen = QPen(QColor(GOAL_COLOUR), max(2.0, u / 6))
            pen.setStyle(Qt.PenStyle.DashLine)
            self.p.setPen(pen)
            self.p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            self.text(QRectF(plot.right() - u * 12, y - u * 1.3, u * 12, u * 1.2),
                      f"目标 {tick_text(float(chart.goal))}", Qt.AlignmentFlag.AlignRight, self.small_font,
                      GOAL_COLOUR)

    # -- statuses over the months ------------------------------------------------------------------------------
    def status_chart(self, chart: StatusChart) -> None:
        room = self.title(chart.title)
        room = self.note(room, chart.note)
        if not chart.months:
            self.nothing(room, "没有可以作图的数据")
            return
        room = self.legend(room, [("box", CHART_COLORS[s], s) for s in CHART_STATUSES])
        most = max((sum(c.get(s, 0) for s in CHART_STATUSES) for c in chart.counts), default=0)
        if most == 0:
            self.nothing(room, "没有作判断的指标（均为未分解、不适用或不涉及）")
            return
        plot, scale, _ = self.value_axis(room, float(most), "个", whole=True)
        step = self.month_labels(plot, chart.months)
        for i, counts in enumerate(chart.counts):
            y = plot.bottom()
            x = plot.left() + step * i + step * 0.2
            for s in CHART_STATUSES:
                n = counts.get(s, 0)
                if not n:
                    continue
                h = n * scale
                self.p.fillRect(QRectF(x, y - h, step * 0.6, h), QColor(CHART_COLORS[s]))
                if h > self.u * 1.1 and step * 0.6 > self.u:
                    self.text(QRectF(x, y - h, step * 0.6, h), str(n), Qt.AlignmentFlag.AlignCenter,
                              self.small_font, "white")
                y -= h
