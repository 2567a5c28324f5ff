"""The main window: plan tree on the left, the chosen measure's text, targets and narratives on the right."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QModelIndex, QPersistentModelIndex, QTimer
from PySide6.QtGui import QCloseEvent, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
)

from ..domain.figures import FigureInputError
from ..domain.narrative import Narrative
from ..domain.orgs import default_own_units
from ..domain.periods import Period
from ..domain.progress import STATUS_ORDER, UNDECOMPOSED
from ..services.data_location import place_text
from ..services.ledger import ConflictError, Ledger, StorageError
from ..services.preferences import WindowPreferences
from ..services.progress_report import MeasureLine, ProgressReport, updated_report
from ..services.rollup import org_report
from . import look
from .edit_session import EditSession
from .edits import OUTSIDE, CellField, EditBatch, EditRecord
from .main_menus import build_menus
from .measure_pane import MeasurePane, totals_text
from .org_switcher import OrgSwitcher
from .plan_navigator import PlanNavigator
from .plan_switcher import PlanSwitcher
from .plan_tree_model import CodeRole, KindRole
from .window_fit import default_geometry, fit_to_screen, width_for_texts
from .window_preferences import window_preferences

if TYPE_CHECKING:
    from .local_targets_dialog import LocalTargetsDialog
    from .outside_refresh import OutsideRefresh

log = logging.getLogger(__name__)
ALL_TARGETS = "*"
FILLED_MARK = " ●已填"  # after a month in the 报告期 list that holds entries


def org_in_ledger(ledger: Ledger, code: str | None) -> bool:
    """Whether the org (the city, an office or an active unit) is in the ledger."""
    if not code:
        return False
    try:
        return not ledger.org(code).retired
    except KeyError:
        return False


class MainWindow(QMainWindow):
    def __init__(self, ledger: Ledger, org_code: str, data_dir: Path,
                 prefs: WindowPreferences | None = None) -> None:
        super().__init__()
        self.ledger = ledger
        ledger.on_file_lost(self._file_lost)  # the file deleted or replaced under the window: said once, data saved
        self.data_dir = data_dir
        self.prefs = prefs or window_preferences(data_dir)
        self.org_code = org_code
        self._open_last_plan()  # the plan the window showed last (several plans in one ledger)
        self.period = self.prefs.last_period(org_code, ledger.periods) or ledger.default_period(org_code)
        self.report: ProgressReport | None = None
        self.current_measure: str | None = None
        self.current_group: str | None = None  # a part's code or ALL_TARGETS when the table shows many measures
        # What the clerk chose in the tree (a measure's or a part's code). A filter that hides it empties the pane
        # without forgetting it, and brings it back when it is in sight again; only the clerk changes it.
        self._choice: str | None = None
        self._following = False  # the tree's rows change under a filter: Qt's moves of the current row are not choices
        self.edits = EditSession(ledger, lambda: (self.org_code, self.period), self._confirm, self,
                                 resolve=self._resolve)
        self.undo_stack = self.edits.undo_stack
        self.outside: OutsideRefresh | None = None
        self._watch_others()  # before the first report is read: nothing saved after it is missed
        self._reverting = False
        self._fitted = False
        self._build()
        self._load_plan()
        self._restore_window_state()
        if self.prefs.mine_only():
            self.mine_only.setChecked(True)
        last = self.prefs.last_measure()
        if last:
            self.select_measure(last)

    def _file_lost(self, error: StorageError) -> None:
        # After the write that found the file gone has returned, not inside it; the dialog loads only then.
        from .file_lost_dialog import ask_and_quit

        QTimer.singleShot(0, lambda: ask_and_quit(self, self.ledger, error))

    # -- building --------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.setObjectName("mainWindow")
        bar = self.period_bar = self.addToolBar(self.tr("报告期"))
        bar.setObjectName("periodBar")
        bar.setMovable(False)
        self.plan_combo = PlanSwitcher()  # shown only while the ledger holds several plans
        plan_label = QLabel(self.tr(" 方案(&N) "))
        plan_label.setBuddy(self.plan_combo)
        self._plan_actions = (bar.addWidget(plan_label), bar.addWidget(self.plan_combo))
        self.org_combo = OrgSwitcher()  # 长沙市 (rolled up), the offices, their units
        org_label = QLabel(self.tr(" 填报单位(&O) "))
        org_label.setBuddy(self.org_combo)
        bar.addWidget(org_label)
        bar.addWidget(self.org_combo)
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("periodCombo")
        period_label = QLabel(self.tr("  报告期(&M) "))
        period_label.setBuddy(self.period_combo)
        bar.addWidget(period_label)
        bar.addWidget(self.period_combo)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("summaryLabel")
        look.text_colour(self.summary_label, "#555")
        bar.addWidget(QLabel("   "))
        bar.addWidget(self.summary_label)

        # left: search, filters, tree
        self.navigator = left = PlanNavigator()
        # The window's code and tests reach the navigator's parts by these names.
        self.search, self.status_filter, self.mine_only = left.search, left.status_filter, left.mine_only
        self.tree_model, self.proxy, self.tree, self.empty_label = left.tree_model, left.proxy, left.tree, \
            left.empty_label

        # right: the measure (or a table of many targets)
        self.pane = right = MeasurePane()
        # The window's code and tests reach the pane's parts by these names.
        self.title_label, self.meta_label, self.text_view = right.title_label, right.meta_label, right.text_view
        self.targets_model, self.targets_view = right.targets_model, right.targets_view
        self.input_error, self.narrative, self.narrative_box = right.input_error, right.narrative, right.narrative_box
        self.detail_splitter = right.splitter

        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([420, 940])
        self.setCentralWidget(self.splitter)
        self.sample_label = QLabel(self.tr("示例数据，仅供演示"))
        self.sample_label.setObjectName("sampleLabel")
        look.banner(self.sample_label, "#fff", "#c9302c")
        self.sample_label.hide()
        self.statusBar().addPermanentWidget(self.sample_label)
        # Where the ledger is — this PC's file or a server — always in sight: a clerk must never wonder.
        self.place_label = QLabel()
        self.place_label.setObjectName("placeLabel")
        look.text_colour(self.place_label, "#555")
        self.statusBar().addPermanentWidget(self.place_label)
        self._show_place()
        self.statusBar().showMessage(self.tr("就绪"))
        build_menus(self)
        # The field the keyboard types into, framed wherever it is. Made before the first paint, not after it: it
        # costs next to nothing, and the first frame shows it round the field that has the focus.
        self.focus_ring = look.FocusRing(self)
        self._first_painted = False

        self.org_combo.currentIndexChanged.connect(self._org_changed)
        self.plan_combo.currentIndexChanged.connect(self._plan_changed)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.search.textChanged.connect(self.filter_changed)
        self.status_filter.currentIndexChanged.connect(self.filter_changed)
        self.mine_only.toggled.connect(self.filter_changed)
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        self.targets_model.edit_handler = self._edit_target
        self.targets_view.pasteRequested.connect(self._paste)
        self.targets_model.inputRejected.connect(self._show_input_error)
        self.targets_view.historyRequested.connect(self.show_history)
        self.targets_view.involvementRequested.connect(self.edits.set_involved)
        right.localTargetsRequested.connect(self.show_local_targets)
        right.historyRequested.connect(lambda: self.current_measure and self.show_history(self.current_measure))
        self.narrative.committed.connect(self._save_narrative)
        self.edits.applied.connect(self._applied)
        self.edits.refused.connect(self._refused)
        self.edits.failed.connect(self._failed)

    # -- loading ---------------------------------------------------------------------------------------
    def _load_plan(self) -> None:
        plan = self.ledger.plan
        several = self.plan_combo.fill(self.ledger)
        for action in self._plan_actions:
            action.setVisible(several)
        self.tree_model.set_plan(plan)
        self.org_combo.fill(self.ledger, self.org_code)
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for p in self.ledger.periods:
            self.period_combo.addItem(p.label, str(p))
        # As wide as its longest item with the mark: a month filled during the session is never cut ("2020年9月 ◖").
        self.period_combo.setMinimumWidth(width_for_texts(
            self.period_combo, [p.label + self.tr(FILLED_MARK) for p in self.ledger.periods]))
        self.period_combo.setCurrentIndex(max(0, self.period_combo.findData(str(self.period))))
        self.period_combo.blockSignals(False)
        self._apply_own_units()
        self.tree.expandAll()
        self.refresh()
        first = self.proxy.index(0, 0, self.proxy.index(0, 0))
        if first.isValid() and self.current_measure is None:
            self.tree.setCurrentIndex(first)
        self._update_title()

    def _update_title(self) -> None:
        from ..services.sample_data import is_sample_database

        sample = "【示例数据】" if is_sample_database(self.ledger) else ""
        self.sample_label.setVisible(bool(sample))
        org = self.ledger.org(self.org_code).name
        server = f" — {place_text(self.ledger.location)}" if self.ledger.on_server else ""
        # The application's display name is added by Qt itself.
        self.setWindowTitle(f"{sample}{self.ledger.plan.short_title} — {org} — {self.period.label}{server}")

    def _show_place(self) -> None:
        place = place_text(self.ledger.location)
        # a deep folder would widen the window: the file's name in the bar, the whole path in the tooltip
        shown = place if self.ledger.on_server else self.tr("本机数据文件 {}").format(Path(self.ledger.location).name)
        self.place_label.setText(self.tr("数据：{}").format(shown))
        self.place_label.setToolTip(place)

    def refresh(self) -> None:
        """Recompute the month's picture and show it everywhere (another office or month, a restore)."""
        self.report = org_report(self.ledger, self.org_code, self.period)  # the city's: rolled up from below
        self._show_progress()
        self._mark_months_with_data()
        if self.status_filter.currentData():
            self._refilter(self.proxy.refresh, show=False)  # statuses moved: rows may enter or leave the filter
        self._show_current()
        self._update_empty()

    def _show_progress(self) -> None:
        """The report's statuses in the tree (only rows that moved repaint) and the counts in the tool bar."""
        assert self.report is not None
        self.tree_model.set_progress(
            {code: (ml.status, ml.average_completion) for code, ml in self.report.measures.items()},
            {ps.part.code: ps.average_completion for ps in self.report.part_summaries()},
        )
        counts: dict[str, int] = {}
        for ml in self.report.measures.values():
            counts[ml.status] = counts.get(ml.status, 0) + 1
        totals = self.report.totals()
        self.summary_label.setText("　".join(f"{s} {counts[s]}" for s in STATUS_ORDER if counts.get(s))
                                   + self.tr("　｜　已报 {}/{} 项").format(totals.reported, totals.due))
        self.summary_label.setToolTip(self.tr("重点任务按状态计数。量化指标：{}").format(totals_text(totals)))
        self.pane.show_undecomposed(
            sum(1 for ln in self.report.targets.values() if ln.progress.status == UNDECOMPOSED))

    def _mark_months_with_data(self) -> None:
        # A clerk catching up sees at a glance which months already hold entries.
        filled = self.ledger.periods_with_data(self.org_code)
        for i, p in enumerate(self.ledger.periods):
            text = p.label + (self.tr(FILLED_MARK) if p in filled else "")
            if self.period_combo.itemText(i) != text:
                self.period_combo.setItemText(i, text)

    def _show_current(self) -> None:
        if self.current_group:
            self._show_group(self.current_group)
        else:
            self._show_measure(self.current_measure)

    def show_all_targets(self) -> None:
        """Every quantitative target of the plan in one table: a month's figures typed in one pass."""
        if not self.leave_allowed():
            return
        self._reverting = True  # leaving the tree's selection must not show a measure again
        self.tree.setCurrentIndex(QModelIndex())
        self.tree.clearSelection()
        self._reverting = False
        self._choice = None
        self._show_group(ALL_TARGETS)

    def _show_group(self, group: str) -> None:
        """The targets of one part (group = its code) or of the whole plan (ALL_TARGETS) in one table."""
        if self.report is None:
            return
        self.current_measure, self.current_group = None, group
        lines = self._group_lines(group)
        if group == ALL_TARGETS:
            title = self.tr("全部量化指标")
        else:
            title = self.tr("{} — 本部分全部量化指标").format(self.tree_model.index_for_code(group).data())
        self.pane.show_group(title, lines, self.ledger)

    def _group_lines(self, group: str) -> list[MeasureLine]:
        assert self.report is not None
        return [ml for ml in self.report.measures.values() if group == ALL_TARGETS or ml.part.code == group]

    def _show_measure(self, code: str | None) -> None:
        if self.report is None:
            return
        self.current_measure = code
        if code is None or code not in self.report.measures:
            self.pane.show_nothing(self.ledger, self._hidden_note())
        else:
            self.pane.show_measure(self.report.measures[code], self.ledger, self.period)

    # -- reactions -------------------------------------------------------------------------------------
    def _tree_current_changed(self, current, previous) -> None:  # noqa: ANN001
        if self._reverting or self._following:
            return
        if not self.leave_allowed():
            # Stay on the measure whose text is not saved yet; the selection is put back once this signal is
            # over (changing it inside its own currentChanged leaves tree and page disagreeing).
            back = QPersistentModelIndex(previous)
            QTimer.singleShot(0, lambda: self._select_back(back))
            return
        code = current.siblingAtColumn(0).data(CodeRole) if current.isValid() else None
        kind = current.siblingAtColumn(0).data(KindRole) if current.isValid() else None
        self.input_error.hide()
        self._choice = code
        if kind == "measure":
            self.current_group = None
            self._show_measure(code)
        elif kind == "part":
            self._show_group(code)
        else:  # no row is current: the pane shows no measure either
            self.current_group = None
            self._show_measure(None)

    def _select_back(self, index: QPersistentModelIndex) -> None:
        self._reverting = True
        self.tree.setCurrentIndex(QModelIndex(index))
        self._reverting = False

    def select_measure(self, code: str) -> None:
        index = self.proxy.mapFromSource(self.tree_model.index_for_code(code))
        if index.isValid():
            self.tree.setCurrentIndex(index)

    def set_period(self, period: Period) -> None:
        self.period_combo.setCurrentIndex(self.period_combo.findData(str(period)))

    def step_period(self, step: int) -> None:
        """Move the reporting month back or forward, staying within the plan's months."""
        i = self.period_combo.currentIndex() + step
        if 0 <= i < self.period_combo.count():
            self.period_combo.setCurrentIndex(i)

    def set_org(self, code: str) -> None:
        self.org_combo.setCurrentIndex(self.org_combo.findData(code))

    def _period_changed(self, _i: int) -> None:
        if not self.leave_allowed():
            self._revert_combo(self.period_combo, str(self.period))
            return
        previous, self.period = self.period, Period.parse(self.period_combo.currentData())
        self._refresh_or_go_back(lambda: setattr(self, "period", previous), self.period_combo, str(previous))
        self._save_place()
        self._update_title()
        self.statusBar().showMessage(self.tr("报告期：{}（状态按该月月末计算）").format(self.period.label), 5000)

    def _org_changed(self, _i: int) -> None:
        if not self.leave_allowed():
            self._revert_combo(self.org_combo, self.org_code)
            return
        previous, self.org_code = self.org_code, self.org_combo.currentData()
        self._refresh_or_go_back(lambda: setattr(self, "org_code", previous), self.org_combo, previous)
        self._save_place()  # this PC's next start opens on this office (settings.ini)
        self._apply_own_units()
        self._update_title()

    def _refresh_or_go_back(self, go_back: Callable[[], None], combo: QComboBox, data: str) -> None:
        """The month's picture for the office and month just chosen; when it cannot be read (a ledger on a
        server that has gone away) the window stays on what it showed — box and picture agree — and the
        error goes on to be said (ui/crash_relay.py)."""
        try:
            self.refresh()
        except StorageError:
            go_back()
            self._revert_combo(combo, data)
            raise

    def filter_changed(self, *_args: object) -> None:
        self._refilter(lambda: self.navigator.apply_filters(frozenset(self.own_units())))

    def _apply_own_units(self) -> None:
        self._refilter(lambda: self.navigator.set_own_units(frozenset(self.own_units())))

    # -- the pane follows the tree's selection ------------------------------------------------------------
    def _refilter(self, change: Callable[[], None], *, keep_shown: bool = False, show: bool = True) -> None:
        """Change which rows the tree shows (search, filters, statuses that moved) without ever moving the clerk
        onto another measure: what was typed is saved first, then the clerk's choice is selected again if it is
        still in sight, and otherwise nothing is (the pane says so). keep_shown: the measure on show stays in
        the tree whatever the filters say (its status moved by the clerk's own entry)."""
        if not keep_shown and not self._settle_pending():
            keep_shown = True  # typing that could not be saved is kept, with its measure, rather than dropped
        self.proxy.keep(self._shown_code() if keep_shown else None)
        self._following = True
        try:
            change()
        finally:
            self._following = False
        if self._follow_choice() and show:
            self._show_current()

    def _settle_pending(self) -> bool:
        """Before the pane may change: the cell being typed and the narrative saved. False, with the reason on
        the status bar, when either was refused (the typing then stays where it is)."""
        if not self.targets_view.commit_open_editor():
            self.statusBar().showMessage(self.tr("本期完成没有保存：请先改正或按 Esc 放弃，所选任务保留在列表中。"), 10000)
            return False
        pending = self.narrative.pending()
        if pending is None or self._save_narrative(pending):
            return True
        self.statusBar().showMessage(self.tr("工作进展没有保存：所选任务保留在列表中，请先修改后再保存。"), 10000)
        return False

    def _shown_code(self) -> str | None:
        return self.current_measure or (self.current_group if self.current_group != ALL_TARGETS else None)

    def _visible_index(self, code: str | None) -> QModelIndex:
        if not code:
            return QModelIndex()
        return self.proxy.mapFromSource(self.tree_model.index_for_code(code))

    def _follow_choice(self) -> bool:
        """The tree's current row set to the clerk's choice when it is in sight, to none when it is not; True
        when the pane must show something else."""
        if self.current_group == ALL_TARGETS:
            return False  # the table of every target is not a row of the tree
        index = self._visible_index(self._choice)
        self._reverting = True
        try:
            if index.isValid():
                if self.tree.currentIndex().siblingAtColumn(0) != index:
                    self.tree.setCurrentIndex(index)
            else:
                self.tree.selectionModel().clearCurrentIndex()
                self.tree.clearSelection()
        finally:
            self._reverting = False
        kind = index.data(KindRole) if index.isValid() else None
        now = (self._choice if kind == "measure" else None, self._choice if kind == "part" else None)
        if now == (self.current_measure, self.current_group):
            return False
        self.current_measure, self.current_group = now
        return True

    def _hidden_note(self) -> str:
        """Why the pane is empty while the clerk's choice is filtered out, and how to get it back."""
        if not self._choice or self._visible_index(self._choice).isValid():
            return ""
        return self.tr("所选的 {} 不在当前的搜索或筛选结果中。清除搜索（在搜索框按 Esc）或筛选后，"
                       "会回到该项。").format(self._choice)

    def _update_empty(self) -> None:
        self.navigator.update_empty()

    def own_units(self) -> list[str]:
        saved = self.ledger.preferences.own_units(self.org_code)
        if saved is not None:
            return saved
        return default_own_units(self.ledger.org(self.org_code), self.ledger.plan.units())

    # -- saving ----------------------------------------------------------------------------------------
    def _show_input_error(self, message: str) -> None:
        # The label never widens the window (see MeasurePane); a cap on the text keeps a message from any source
        # (a disk error naming a deep path, many refused cells) from wrapping into a window-high column. 300
        # characters hold three refused pasted cells with their 40-character quotes.
        if len(message) > 300:
            message = message[:300] + "…"
        self.input_error.setText(self.tr("未保存：{}").format(message))
        self.input_error.show()
        self.statusBar().showMessage(self.tr("未保存：{}").format(message), 10000)

    def _refused(self, message: str) -> None:
        log.warning("save refused: %s", message)
        self._show_input_error(message)

    def _failed(self, message: str) -> None:
        self._show_input_error(message)
        QMessageBox.warning(self, self.tr("没有保存"), message)

    def _applied(self, batch: EditBatch) -> None:
        """A saved edit, undo or redo: go where it happened (undo, redo), repaint what it touched, say it."""
        self.input_error.hide()
        if batch.source in ("undo", "redo"):
            self._go_to(batch.records[0])
        self._refresh_after(batch)
        prefix = {"undo": "已撤销，", "redo": "已重做，"}.get(batch.source, "")
        self.statusBar().showMessage(prefix + batch.message, 8000)

    def _go_to(self, record: EditRecord) -> None:
        """Undo and redo show the office, month and measure they changed, so nothing changes out of sight."""
        if record.org != self.org_code:
            self.set_org(record.org)
        if record.period and record.period != self.period:
            self.set_period(record.period)
        if self.current_group is None and record.measure != self.current_measure:
            self.select_measure(record.measure)

    def _refresh_after(self, batch: EditBatch) -> None:
        """Only the rows, measures and parts an edit touched are computed and repainted again. What other PCs saved
        (OUTSIDE) is shown the same way, but never moves the clerk nor touches the typing: a cell's editor and
        the narrative being typed keep it (their save compares with what the clerk started from)."""
        records = batch.records
        outside = batch.source == OUTSIDE
        if outside:  # a later month changes nothing of the month on show but its ●已填 mark
            records = tuple(r for r in records if r.period is None or r.period <= self.period)
            if not records:
                self._mark_months_with_data()
                return
        measures = {r.measure for r in records if r.target is None}
        if self.report is None or self.report.rolled or any(
                r.org != self.org_code or (r.period not in (None, self.period) and not outside) for r in records):
            if not outside:
                self.refresh()
                return
            # rolled up from the units (or the city's): all of it read again, shown without rebuilding the pane
            self.report = org_report(self.ledger, self.org_code, self.period)
            targets = set(self.report.targets)
        else:
            targets = {r.target for r in records if r.target}
            self.report = updated_report(self.report, self.ledger, targets=targets, measures=measures)
        self._show_progress()
        if any(r.period is not None for r in records):
            self._mark_months_with_data()
        if self.status_filter.currentData():
            # statuses moved: rows may enter or leave the filter, but not the one the clerk is typing into
            self._refilter(self.proxy.refresh, keep_shown=True, show=False)
        changed = [self.report.targets[code] for code in targets]
        if self.current_group:
            self.pane.update_group(self._group_lines(self.current_group), changed)
        elif self.current_measure in self.report.measures:
            narrative = self.current_measure in measures and (
                batch.source in ("undo", "redo") or batch.theirs or (outside and self.narrative.pending() is None))
            self.pane.update_measure(self.report.measures[self.current_measure], self.ledger, changed,
                                     narrative=narrative)
        self._update_empty()

    def _edit_target(self, target_code: str, field: CellField, new: object, started: object) -> bool:
        # Once the lost file's data was saved and the ledger closed, the window is quitting: an editor that
        # commits as it closes (focus-out) has nothing to read from or write to.
        if self.property("file_lost"):
            return False
        return self.edits.edit_cell(target_code, field, new, started)

    def _paste(self, start: QModelIndex, rows: list[list[str]]) -> None:
        """Cells pasted from a spreadsheet: every value checked first, then all saved in one transaction and
        undone with one Ctrl+Z — or, if any is refused or the block does not fit the table, none saved."""
        try:
            cells = self.targets_model.parse_block(start, rows)
        except FigureInputError as exc:
            self._show_input_error(str(exc))
            return
        if not cells:
            self.statusBar().showMessage(self.tr("粘贴的内容与现有数据相同，没有改动。"), 5000)
            return
        self.edits.paste(cells)

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("请确认"), question)
        self.targets_view.setFocus()  # typing goes on in the table, not wherever the dialog left the focus
        if answer != QMessageBox.StandardButton.Yes:
            self.statusBar().showMessage(self.tr("已取消，未保存。"), 5000)
            return False
        return True

    def _save_narrative(self, new: Narrative) -> bool:
        if self.current_measure is None:
            return True
        if self.edits.save_narrative(self.current_measure, new, self.narrative.loaded):
            if not self.edits.kept_theirs:  # else the fields show the other clerk's text already
                self.narrative.mark_saved(new)
            return True
        return False

    # -- several PCs on one server ledger (issue 16) --------------------------------------------------------
    def _resolve(self, conflicts: list[ConflictError], source: str) -> bool:
        """Another clerk saved what this save (undo, redo) expected otherwise: 用我的覆盖 (True) or 保留对方的."""
        from .conflict_dialog import ask_overwrite

        overwrite = ask_overwrite(self, conflicts, source)
        self.targets_view.setFocus()  # typing goes on in the table, not wherever the dialog left the focus
        return overwrite

    def _watch_others(self) -> None:
        """On a server ledger, what other PCs save is brought in every few seconds. Not on this PC's file: one
        window writes into it (the instance lock)."""
        if not self.ledger.on_server:
            return
        from .outside_refresh import OutsideRefresh

        self.outside = OutsideRefresh(self.ledger, self)
        self.outside.changed.connect(self._outside_changed)
        self.outside.failed.connect(lambda message: self.statusBar().showMessage(message, 10000))

    def _outside_changed(self, batch: EditBatch) -> None:
        records = tuple(r for r in batch.records if self._feeds_report(r.org))
        if not records or self.report is None:
            return
        from .outside_refresh import loaded_note  # loaded already: only a server's window is watched

        self._refresh_after(replace(batch, records=records))
        self.statusBar().showMessage(loaded_note(len(records), (r.message for r in records)), 8000)

    def _feeds_report(self, org: str) -> bool:
        """Whether the office (or unit) saved data the report on show reads: its own, or what it rolls up."""
        code: str | None = org
        while code:
            if code == self.org_code:
                return True
            try:
                code = self.ledger.org(code).parent
            except KeyError:
                return False
        return False

    def leave_allowed(self) -> bool:
        """Before the clerk leaves the measure on show (another measure, month, office, a dialog): its narrative
        is saved first; False, with the reason shown, when it was refused."""
        pending = self.narrative.pending()
        if pending is None or self._save_narrative(pending):
            return True
        QMessageBox.warning(self, self.tr("工作进展没有保存"),
                            self.tr("{}\n请先修改工作进展，保存后再切换。").format(self.input_error.text()))
        return False

    def _revert_combo(self, combo: QComboBox, data: str) -> None:
        combo.blockSignals(True)
        combo.setCurrentIndex(combo.findData(data))
        combo.blockSignals(False)

    # -- what the menus open -----------------------------------------------------------------------------
    def reload_orgs(self, code: str) -> None:
        """After the office list changed (a new office chosen): the list again, that office on show."""
        self.org_code = code
        self.org_combo.fill(self.ledger, code)
        self.set_org(code)
        self._org_changed(0)

    def show_local_targets(self) -> LocalTargetsDialog | None:
        """数据 → 分解目标…: every target's 分解目标 in one table, typed or pasted from the city's sheet."""
        from .local_targets_dialog import open_local_targets

        if not self.leave_allowed():
            return None
        assert self.report is not None
        return open_local_targets(self, self.ledger, self.edits, lambda: self.report)

    def show_history(self, target_code: str | None) -> None:
        from .audit_dialog import run_audit_dialog

        if target_code is None:
            run_audit_dialog(self, self.ledger, self.org_code)
        else:
            run_audit_dialog(self, self.ledger, self.org_code, self.period, target_code)

    def reopen_ledger(self) -> None:
        """After a restore (the ledger reopened itself on the restored file): drop what pointed into the old
        data — the undo history above all — and show the restored data."""
        self.edits.clear()
        if not org_in_ledger(self.ledger, self.org_code):  # the city or a unit shown before stays, if still there
            self.org_code = self.ledger.orgs()[0].code
        self.current_measure = self.current_group = self._choice = None
        if self.period not in self.ledger.periods:  # the restored file holds another plan than the one shown
            self.period = self.ledger.default_period(self.org_code)
        self._load_plan()

    # -- several plans: one shown at a time ------------------------------------------------------------
    def _open_last_plan(self) -> None:
        last = self.prefs.last_plan()
        if last and last != self.ledger.plan.code and last in {p.code for p in self.ledger.plans()}:
            self.ledger.switch_plan(last)

    def _plan_changed(self, _i: int) -> None:
        code = self.plan_combo.currentData()
        try:
            switched = not code or self.switch_plan(code)
        except StorageError:  # not read (a server gone): the box shows the plan the ledger still holds
            self._revert_combo(self.plan_combo, self.ledger.plan.code)
            raise
        if not switched:
            self._revert_combo(self.plan_combo, self.ledger.plan.code)

    def switch_plan(self, code: str, *, reload: bool = False) -> bool:
        """Show another plan of the ledger: its tree, its months (the month last shown when it is one of them,
        else the latest with data), its figures. The undo history is dropped (it names the other plan's targets).
        ``reload``: also when it is the plan shown (a plan was just added: the switcher lists it). False when
        the narrative being typed could not be saved first."""
        if code == self.ledger.plan.code and not reload:
            return True
        if not self.leave_allowed():
            return False
        self.ledger.switch_plan(code)
        self.edits.clear()  # once the other plan is read: the history names this plan's targets
        self.prefs.set_last_plan(code)
        self.prefs.sync()
        self.period = (self.prefs.last_period(self.org_code, self.ledger.periods)
                       or self.ledger.default_period(self.org_code))
        self.current_measure = self.current_group = self._choice = None
        self._load_plan()
        self._save_place()
        return True

    # -- window state ----------------------------------------------------------------------------------
    def _save_place(self) -> None:
        """The office and month on show, written to settings.ini at once: the headless commands default
        --period to the month the window last showed (a crash or a second copy must not leave an older one)."""
        self.prefs.set_last_place(self.org_code, self.period)
        self.prefs.sync()

    def _restore_window_state(self) -> None:
        geometry = self.prefs.geometry()
        if geometry and self.restoreGeometry(QByteArray(geometry)):
            fit_to_screen(self)  # saved on a bigger screen, under another scaling, on a monitor that is gone
        else:
            default_geometry(self)
        for name, splitter in self._splitters():
            state = self.prefs.splitter_state(name)
            if state:
                splitter.restoreState(QByteArray(state))

    def _splitters(self) -> tuple[tuple[str, QSplitter], ...]:
        return (("splitter", self.splitter), ("detail_splitter", self.detail_splitter))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._first_painted:
            self._first_painted = True
            QTimer.singleShot(0, self.after_first_paint)

    def after_first_paint(self) -> None:
        """What the first frame does not show, made on the next pass of the event loop after it (issue 9): the
        进度 page behind its tab, with the printing code that draws its charts."""
        self.pane.build_progress()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:  # once shown, the window manager's frame is known: the whole window inside the screen
            self._fitted = True
            QTimer.singleShot(0, lambda: fit_to_screen(self))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.property("file_lost"):  # nothing can be saved into a file that is gone
            super().closeEvent(event)
            return
        pending = self.narrative.pending()
        if pending is not None and not self._save_narrative(pending):
            answer = QMessageBox.question(
                self, self.tr("工作进展没有保存"),
                self.tr("{}\n\n仍要退出吗？没有保存的文字会丢失。").format(self.input_error.text()),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.prefs.set_geometry(self.saveGeometry().data())
        for name, splitter in self._splitters():
            self.prefs.set_splitter_state(name, splitter.saveState().data())
        self.prefs.set_last_measure(self.current_measure)
        self.prefs.set_mine_only(self.mine_only.isChecked())
        self.prefs.set_last_place(self.org_code, self.period)
        self.prefs.sync()
        super().closeEvent(event)
