"""The detail pane's 进度 tab: the chosen target's 累计完成 month by month against its 序时 line and its goal, and
below it the targets of the measure (or the part, or the plan) on show counted by status at the end of each month.

Painted with ``printing/chart.py`` — the same QPainter code that draws the written report's figure — from
``services/charts.py``'s data, which reads the same report as the table (``services.rollup.org_history``). Nothing
is computed until the tab is looked at: the history of every month is read when the tab is shown or, while it is
shown, when the table's current row or its lines change.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QSplitter, QVBoxLayout, QWidget

from ..domain.periods import Period
from ..printing.chart import Chart, paint_chart
from ..printing.fonts import NoCjkFont, choose_cjk_family
from ..services.ledger import Ledger
from .targets_model import TargetsTableModel
from .targets_view import TargetsView


class ChartView(QWidget):
    """One chart, painted to the widget's size in the CJK face printing uses."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: Chart | None = None
        self.setMinimumSize(240, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        try:
            self.family: str | None = choose_cjk_family()
        except NoCjkFont:
            self.family = None  # Qt's fallback, rather than no chart at all

    def set_chart(self, chart: Chart | None) -> None:
        self.chart = chart
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(640, 300)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self.chart is None:
            return
        painter = QPainter(self)
        try:
            paint_chart(painter, QRectF(self.rect()), self.chart, self.family,
                        text_px=max(12.0, self.font().pixelSize() if self.font().pixelSize() > 0 else
                                    self.fontMetrics().height() * 0.8))
        finally:
            painter.end()


class ProgressPage(QWidget):
    """The page behind the 进度 tab. It follows the pane's targets table: its lines (the measure or group on show)
    and its current row (the target charted). ``where`` says which org and month the window shows."""

    def __init__(self, model: TargetsTableModel, view: TargetsView, title: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.view = model, view
        self._title = title
        # Which ledger, org and month: the window's (its ``ledger``, ``org_code`` and ``period``); a test may set
        # these two to anything else.
        self.ledger_of: Callable[[], Ledger | None] = lambda: getattr(self.window(), "ledger", None)
        self.where: Callable[[], tuple[str, Period] | None] = self._window_where
        self._history: list | None = None
        self._history_for: tuple[str, Period] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.hint = QLabel(self.tr("在“填报”页的表格中选中一行，这里画出该指标逐月的累计完成、序时进度和目标。"))
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        split = QSplitter(Qt.Orientation.Vertical)
        self.target_chart = ChartView()
        self.target_chart.setObjectName("targetChart")
        self.status_chart = ChartView()
        self.status_chart.setObjectName("statusChart")
        split.addWidget(self.target_chart)
        split.addWidget(self.status_chart)
        layout.addWidget(split, 1)
        model.modelReset.connect(self._lines_changed)
        model.dataChanged.connect(self._lines_changed)
        sel = self.view.selectionModel()
        if sel is not None:
            sel.currentRowChanged.connect(self._row_changed)

    def _window_where(self) -> tuple[str, Period] | None:
        win = self.window()
        org, period = getattr(win, "org_code", None), getattr(win, "period", None)
        return (org, period) if isinstance(org, str) and isinstance(period, Period) else None

    def _lines_changed(self, *args: object) -> None:
        self._history = None  # an edit or another measure: the months are read again when next drawn
        if self.isVisible():
            self.refresh()

    def _row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        self.refresh()

    def history(self) -> list:
        """Every month of the plan up to the one on show, for the org on show (read once per change)."""
        where, ledger = self.where(), self.ledger_of()
        if where is None or ledger is None:
            return []
        if self._history is None or self._history_for != where:
            from ..services.rollup import org_history

            self._history, self._history_for = org_history(ledger, *where), where
        return self._history

    def refresh(self) -> None:
        from ..services.charts import status_chart, target_chart

        rows = self.model.rowCount()
        lines = [self.model.line(r) for r in range(rows)]
        history = self.history() if lines else []
        if not history:
            self.target_chart.set_chart(None)
            self.status_chart.set_chart(None)
            self.hint.setText(self.tr("本项没有量化指标，没有可画的进度。"))
            return
        row = self.view.currentIndex().row()
        line = lines[row] if 0 <= row < rows else lines[0]
        self.hint.setText(self.tr("指标 {}：在“填报”页的表格中选中另一行，这里就画那一项。").format(line.target.code))
        self.target_chart.set_chart(target_chart(history, line.target.code))
        title = self.tr("{}：指标状态（个）").format(self._title() or self.tr("本项"))
        self.status_chart.set_chart(status_chart(history, [ln.target.code for ln in lines], title))

    def target_chart_data(self) -> Chart | None:
        return self.target_chart.chart
