"""The right-hand pane: one measure (its text, units, deadline, targets and narratives) or a table of many targets.

It only shows what the window hands it; saving stays with the window, which owns the undo stack.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..domain.deadlines import measure_deadline
from ..domain.narrative import Narrative
from ..domain.periods import Period
from ..domain.progress import STATUS_ORDER, Totals
from ..domain.quantities import format_percent
from ..services.ledger import Ledger
from ..services.progress_report import MeasureLine, TargetLine, lines_totals
from . import look
from .narrative_editor import NarrativeEditor
from .targets_model import TargetsTableModel
from .targets_view import TargetsView
from .view_tabs import view_tabs

if TYPE_CHECKING:
    from .progress_chart import ProgressPage

TEXT_GROWN = 8  # lines of the measure's text while the clerk reads it (clicked or tabbed into)


TABLE_ROWS = 3  # target rows the table keeps in sight when the window is short, before the rest is shared


class PaneSplitter(QSplitter):
    """Text, targets and narratives: as the clerk drags them; but a window made short (a 1024×600 screen) takes
    the room from the text and the narratives, down to their minimums, before the table shows fewer than
    TABLE_ROWS rows."""

    def __init__(self, targets_box: QWidget, view: TargetsView) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self._box, self._view = targets_box, view

    def table_room(self) -> int:
        """The targets box's height with the header and TABLE_ROWS rows (of the measure on show, or of two lines)."""
        view = self._view
        rows = [view.rowHeight(r) for r in range(min(TABLE_ROWS, view.model().rowCount()))]
        rows += [view.fontMetrics().lineSpacing() * 2 + 6] * (TABLE_ROWS - len(rows))
        chrome = self._box.height() - view.viewport().height()  # title, margins, header, frame
        return chrome + sum(rows) + 2

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.favour_table()

    def showEvent(self, event: QShowEvent) -> None:
        # A window opened at its final size is resized before anything is shown: the table's room is known
        # once the first layout is done.
        super().showEvent(event)
        QTimer.singleShot(0, self.favour_table)

    def favour_table(self) -> None:
        table = self.indexOf(self._box)
        if table < 0 or not self._box.isVisible():
            return
        sizes = self.sizes()
        short = self.table_room() - sizes[table]
        if short <= 0:
            return
        for i in range(self.count()):
            if i == table or not self.widget(i).isVisible():
                continue
            spare = max(0, sizes[i] - min_height(self.widget(i)))
            take = min(spare, short)
            sizes[i] -= take
            sizes[table] += take
            short -= take
        self.setSizes(sizes)


def min_height(widget: QWidget) -> int:
    """The least height a splitter gives widget: its minimum height when one is set, else its minimum hint."""
    return widget.minimumHeight() or widget.minimumSizeHint().height()


def text_height(view: QTextBrowser, lines: int) -> int:
    margin = int(view.document().documentMargin())
    return view.fontMetrics().lineSpacing() * lines + 2 * (margin + view.frameWidth())


class MeasurePane(QWidget):
    historyRequested = Signal()  # 本项修改记录… for the measure on show
    localTargetsRequested = Signal()  # the hint's 设置分解目标…

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 6, 6)
        layout.setSpacing(4)
        self.title_label = QLabel()
        self.title_label.setObjectName("measureTitle")
        look.measure_title(self.title_label)
        self.title_label.setWordWrap(True)
        title_row = QHBoxLayout()  # the title shares its line with 填报 | 进度: no pixel is taken from the table
        title_row.addWidget(self.title_label, 1)
        self.view_tabs = view_tabs()
        title_row.addWidget(self.view_tabs, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(title_row)
        self.meta_label = QLabel()
        self.meta_label.setObjectName("measureMeta")
        look.text_colour(self.meta_label, "#333")
        self.meta_label.setWordWrap(True)
        self.meta_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.meta_label)
        # Not modal, not in the way: the office has city amounts without 分解目标, so they show 未分解.
        self.undecomposed_hint = look.NoticeLabel(colour="#1f4e79", fill="#eaf2fb", border="#b8d4ee")
        self.undecomposed_hint.setObjectName("undecomposedHint")
        self.undecomposed_hint.setWordWrap(True)
        self.undecomposed_hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.undecomposed_hint.setTextFormat(Qt.TextFormat.RichText)
        self.undecomposed_hint.linkActivated.connect(self._hint_link)
        self.undecomposed_hint.hide()
        self._hint_dismissed = False
        self.text_view = QTextBrowser()
        self.text_view.setObjectName("measureText")
        # Two lines, scrolled, on a 600-pixel screen: the room goes to the table. Clicked (or tabbed into), the
        # text grows to TEXT_GROWN lines until the focus leaves it.
        self.text_view.setMinimumHeight(text_height(self.text_view, 2))
        self.text_view.installEventFilter(self)
        # 2 px around it for the focus ring (look.FocusRing), which the splitter's edges would otherwise cut off.
        self.text_box = QWidget()
        text_layout = QVBoxLayout(self.text_box)
        text_layout.setContentsMargins(2, 2, 2, 0)
        text_layout.addWidget(self.text_view)

        # Like the narratives' box: the title in a line shared with the hint about 分解目标 (which is about these
        # targets), not a QGroupBox title on a line of its own — on a small screen every pixel is the table's.
        self.targets_box = QGroupBox()
        self.targets_box.setObjectName("targetsBox")
        targets = QVBoxLayout(self.targets_box)
        targets.setContentsMargins(4, 2, 4, 4)
        targets.setSpacing(4)
        targets_top = QHBoxLayout()
        self.targets_title = QLabel(self.tr("量化指标"))
        self.targets_title.setObjectName("targetsTitle")
        targets_top.addWidget(self.targets_title)
        targets_top.addSpacing(12)
        targets_top.addWidget(self.undecomposed_hint, 1)
        targets.addLayout(targets_top)
        self.targets_model = TargetsTableModel(self)
        self.targets_view = TargetsView()
        self.targets_view.setObjectName("targetsTable")
        look.grid(self.targets_view)
        self.targets_view.setModel(self.targets_model)
        self.targets_view.setMinimumHeight(96)  # the header and at least two rows whatever the screen
        targets.addWidget(self.targets_view)
        # Below the table, so a refusal never shifts the rows the clerk is about to click.
        self.input_error = look.NoticeLabel()
        self.input_error.setObjectName("inputError")
        self.input_error.setWordWrap(True)
        # Word wrap finds no place to break a long run of digits, and the label's width would then become the
        # window's: ignored, the label takes the width it is given and the cells stay where the clerk clicks.
        self.input_error.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.input_error.hide()
        targets.addWidget(self.input_error)
        self.no_targets_label = QLabel(self.tr("本项为定性任务，没有量化指标：请在下方填写工作进展，完成后勾选“已完成”。"))
        self.no_targets_label.setWordWrap(True)
        targets.addWidget(self.no_targets_label)
        # A refusal stays in sight until the next entry begins: clicking away from a refused cell drops the
        # typing (Qt's focus-out commit), and the clerk must still see that it was not saved.
        self.targets_view.editingStarted.connect(self.input_error.hide)
        # A clipboard refused before it reaches the table is told like a refused cell.
        self.targets_view.pasteRefused.connect(self.targets_model.inputRejected)

        # The box's title, the red hint (该项为"红"，请填写…) and 本项修改记录… share one line above the fields: on a small
        # screen every line the narratives take is a line the table has not. (A QGroupBox title takes a line of
        # its own, so the title is a label in that line and the box has none.)
        self.narrative_box = QGroupBox()
        self.narrative_box.setObjectName("narrativeBox")
        narratives = QVBoxLayout(self.narrative_box)
        narratives.setSpacing(2)
        narratives.setContentsMargins(4, 2, 4, 4)
        self.narrative = NarrativeEditor()
        top = QHBoxLayout()
        self.narrative_title = QLabel(self.tr("工作进展"))
        self.narrative_title.setObjectName("narrativeTitle")
        top.addWidget(self.narrative_title)
        top.addSpacing(12)
        top.addWidget(self.narrative.hint, 1)
        history = QPushButton(self.tr("本项修改记录…"))
        history.setObjectName("narrativeHistory")
        history.setFlat(True)
        history.setFixedHeight(history.fontMetrics().height() + 6)  # flat: no taller than the hint beside it
        history.clicked.connect(self.historyRequested)
        top.addWidget(history, 0, Qt.AlignmentFlag.AlignRight)
        # The fields first, then the line above them: a widget joins the Tab chain when it is put in the box, so
        # Tab goes from the table into the fields and only then to 本项修改记录….
        narratives.addWidget(self.narrative)
        narratives.insertLayout(0, top)
        look.group_box(self.targets_box, self.targets_view, self.input_error, self.no_targets_label,
                       self.targets_title, self.undecomposed_hint)
        look.bold(self.targets_title)
        look.group_box(self.narrative_box, self.narrative, self.narrative_title, history)
        look.bold(self.narrative_title)
        self.narrative.focusEntered.connect(lambda: self._make_room(self.narrative_box))
        self.narrative.focusLeft.connect(self._give_room_back)

        # Text, targets and narratives share the height as the clerk drags it (a 13-target measure on a laptop).
        self.splitter = PaneSplitter(self.targets_box, self.targets_view)
        self.splitter.setObjectName("detailSplitter")
        self.splitter.setChildrenCollapsible(False)
        for widget, stretch in ((self.text_box, 0), (self.targets_box, 1), (self.narrative_box, 0)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        # In proportion, so a small screen gives the table what the text and the narratives can spare.
        self.splitter.setSizes([80, 1000, 200])
        # 进度 (ui/progress_chart.py): the chosen target month by month, and the targets' statuses over the months.
        # Built after the window's first paint (build_progress) or when the tab is chosen, whichever comes first:
        # the page and the printing code that draws its charts are not in the first frame.
        self._progress: ProgressPage | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.view_tabs.currentChanged.connect(self._show_tab)
        layout.addWidget(self.stack, 1)
        self._sizes_before: list[int] | None = None  # the splitter's sizes before a section grew for the focus

    @property
    def progress(self) -> ProgressPage:
        """The page behind 进度 (built on first use)."""
        return self.build_progress()

    def build_progress(self) -> ProgressPage:
        if self._progress is None:
            from .progress_chart import ProgressPage

            self._progress = ProgressPage(self.targets_model, self.targets_view, self.title_label.text)
            self.stack.addWidget(self._progress)
        return self._progress

    def _show_tab(self, index: int) -> None:
        if index > 0:
            self.build_progress()
        self.stack.setCurrentIndex(index)

    # -- the part the clerk is in grows ------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.text_view and event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            focused = event.type() == QEvent.Type.FocusIn
            self.text_view.setMinimumHeight(text_height(self.text_view, TEXT_GROWN if focused else 2))
            if focused:
                self._make_room(self.text_box)
            else:
                self._give_room_back()
        return super().eventFilter(obj, event)

    def _make_room(self, section: QWidget) -> None:
        """The section the focus went into (the measure's text, the narratives) at least as high as it needs,
        the room taken from the table (down to its minimum); given back when the focus leaves."""
        sizes = self.splitter.sizes()
        i = self.splitter.indexOf(section)
        need = min_height(section) - sizes[i]
        table = self.splitter.indexOf(self.targets_box)
        spare = sizes[table] - min_height(self.targets_box)
        if need <= 0 or spare <= 0 or not self.splitter.isVisible():
            return
        if self._sizes_before is None:
            self._sizes_before = sizes
        grown = list(sizes)
        grown[i] += min(need, spare)
        grown[table] -= min(need, spare)
        self.splitter.setSizes(grown)

    def _give_room_back(self) -> None:
        if self._sizes_before is not None:
            sizes, self._sizes_before = self._sizes_before, None
            self.splitter.setSizes(sizes)

    # -- what it shows ---------------------------------------------------------------------------------
    def show_undecomposed(self, count: int) -> None:
        """The hint above the table while ``count`` city amounts have no 分解目标 (until the clerk closes it)."""
        if count <= 0 or self._hint_dismissed:
            self.undecomposed_hint.hide()
            return
        self.undecomposed_hint.setText(self.tr(
            "有 {} 项指标尚未设分解目标，完成率按“未分解”显示 — "
            "<a href=\"set\">设置分解目标…</a>　<a href=\"later\">暂不设置</a>").format(count))
        self.undecomposed_hint.show()

    def _hint_link(self, link: str) -> None:
        if link == "set":
            self.localTargetsRequested.emit()
        else:
            self._hint_dismissed = True  # for this session; the next start reminds again while any is left
            self.undecomposed_hint.hide()

    def show_nothing(self, ledger: Ledger, note: str = "") -> None:
        """No measure: nothing is selected in the tree (a filter hid the clerk's choice, or nothing matched).
        Nothing of the last measure stays behind, so no figure or text can be typed into a measure not chosen."""
        self.title_label.setText(self.tr("请选择任务"))
        self.meta_label.setText(note or self.tr("在左侧列表中选择一项重点任务，或选择一个部分查看其全部量化指标。"))
        self.text_view.clear()
        self.text_box.show()
        self.targets_model.set_lines(ledger, [])
        self.targets_view.setVisible(True)
        self.no_targets_label.hide()
        self.narrative.load(Narrative(), "", has_targets=True)
        self.narrative_title.setText(self.tr("工作进展"))
        self.narrative_box.setEnabled(False)
        self.narrative_box.show()

    def show_measure(self, ml: MeasureLine, ledger: Ledger, period: Period) -> None:
        m = ml.measure
        self.text_box.show()
        self.narrative_box.show()
        self.title_label.setText(f"{m.code}　{m.title}")
        self._show_meta(ml, ledger)
        self.text_view.setPlainText(m.text)
        self.targets_model.set_lines(ledger, list(ml.targets))
        self.targets_view.setVisible(bool(ml.targets))
        self.no_targets_label.setVisible(not ml.targets)
        self.narrative_box.setEnabled(True)
        self.narrative_title.setText(self.tr("工作进展（{}）").format(period.label))
        self.narrative.load(ml.narrative, ml.status, bool(m.targets))

    def _show_meta(self, ml: MeasureLine, ledger: Ledger) -> None:
        m = ml.measure
        lead = self.tr("<b>{}（牵头）</b>")
        units = "、".join(lead.format(u) if i == 0 else u for i, u in enumerate(m.units)) or self.tr("原文未列明")
        deadline = measure_deadline(m, ledger.plan.effective_to).label
        self.meta_label.setText(self.tr("责任单位：{}<br>完成时限：{}　｜　当前状态：<b>{}</b>").format(
            units, deadline, ml.status))

    def _show_group_meta(self, lines: list[MeasureLine]) -> None:
        targets = [t for ml in lines for t in ml.targets]
        counts: dict[str, int] = {}
        for t in targets:
            counts[t.progress.status] = counts.get(t.progress.status, 0) + 1
        totals = lines_totals(targets)
        self.meta_label.setText(self.tr("{} 项重点任务，{} 项量化指标：{}<br>{}").format(
            len(lines), len(targets), "　".join(f"{s} {counts[s]}" for s in STATUS_ORDER if counts.get(s)),
            totals_text(totals)))

    def update_measure(self, ml: MeasureLine, ledger: Ledger, changed: list[TargetLine], *,
                       narrative: bool) -> None:
        """After an edit on the measure on show: its status and the changed rows, nothing rebuilt. The
        narrative fields are reloaded only when the edit was to them from elsewhere (an undo or redo)."""
        self._show_meta(ml, ledger)
        self.targets_model.update_lines(changed)
        if narrative:
            self.narrative.load(ml.narrative, ml.status, bool(ml.measure.targets))
        else:
            self.narrative.set_status(ml.status)

    def update_group(self, lines: list[MeasureLine], changed: list[TargetLine]) -> None:
        """After an edit in a table of many measures: the counts and the changed rows."""
        self._show_group_meta(lines)
        self.targets_model.update_lines(changed)

    def show_group(self, title: str, lines: list[MeasureLine], ledger: Ledger) -> None:
        """The targets of several measures in one table (a part, or the whole plan)."""
        targets = [t for ml in lines for t in ml.targets]
        self.title_label.setText(title)
        self._show_group_meta(lines)
        self.text_box.hide()  # the room goes to the table
        self.targets_model.set_lines(ledger, targets, show_codes=True)
        self.targets_view.setVisible(bool(targets))
        self.no_targets_label.setVisible(not targets)
        self.narrative.load(Narrative(), "", has_targets=True)
        self.narrative_box.setEnabled(False)
        self.narrative_box.hide()  # narratives belong to one measure; the room goes to the table


def totals_text(totals: Totals) -> str:
    """应报 / 已报 / 报送率 and the two averages, each labelled for what it counts."""
    text = f"应报 {totals.due} 项，已报 {totals.reported} 项"
    if totals.report_rate is not None:
        text += f"（报送率 {format_percent(totals.report_rate)}）"
    if totals.average_all is not None:
        text += f"；平均完成率 {format_percent(totals.average_all)}（未报的按 0 计）"
    if totals.average_reported is not None:
        text += f"，已报指标平均 {format_percent(totals.average_reported)}"
    return text
