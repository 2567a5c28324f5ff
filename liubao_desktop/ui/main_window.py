"""The main window: plan tree on the left, the chosen measure's text, targets and narratives on the right."""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QModelIndex, QPersistentModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from .. import APP_TITLE
from ..domain.figures import FigureInputError
from ..domain.narrative import Narrative
from ..domain.orgs import default_own_units
from ..domain.periods import Period
from ..domain.progress import STATUS_ORDER
from ..services.ledger import Change, Ledger, StorageError
from ..services.progress_report import ProgressReport, build_report
from .file_lost_dialog import watch_ledger_file
from .measure_pane import MeasurePane
from .plan_filter import PlanFilterProxy
from .plan_tree_model import CodeRole, KindRole, PlanTreeModel
from .undo_commands import LedgerEdit

log = logging.getLogger(__name__)
ALL_TARGETS = "*"
FIELD_NAMES = {"figure": "本期完成", "local_target": "分解目标", "note": "备注"}


class MainWindow(QMainWindow):
    def __init__(self, ledger: Ledger, org_code: str, data_dir: Path, settings: QSettings | None = None) -> None:
        super().__init__()
        self.ledger = ledger
        watch_ledger_file(self, ledger)  # the file deleted or replaced under the window: said once, data saved
        self.data_dir = data_dir
        self.settings = settings or QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
        self.org_code = org_code
        self.period = ledger.default_period(org_code)
        saved = self.settings.value("last_period")
        if saved and self.settings.value("last_org") == org_code:
            try:
                p = Period.parse(str(saved))
                if p in ledger.periods:
                    self.period = p
            except ValueError:
                pass
        self.report: ProgressReport | None = None
        self.current_measure: str | None = None
        self.current_group: str | None = None  # a part's code or ALL_TARGETS when the table shows many measures
        self.undo_stack = QUndoStack(self)
        self._reverting = False
        self._build()
        self._load_plan()
        self._restore_window_state()
        if str(self.settings.value("mine_only", "false")).lower() == "true":
            self.mine_only.setChecked(True)
        last = self.settings.value("last_measure")
        if last:
            self.select_measure(str(last))

    # -- building --------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.setObjectName("mainWindow")
        self.resize(1360, 860)
        bar = self.period_bar = self.addToolBar(self.tr("报告期"))
        bar.setObjectName("periodBar")
        bar.setMovable(False)
        self.org_combo = QComboBox()
        self.org_combo.setObjectName("orgCombo")
        self.org_combo.setMinimumContentsLength(10)
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
        bar.addWidget(QLabel("   "))
        bar.addWidget(self.summary_label)

        # left: search, filters, tree
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(6, 6, 0, 6)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        clear_search = QAction(self.search)
        clear_search.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear_search.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear_search.triggered.connect(self.search.clear)
        self.search.addAction(clear_search)
        self.search.setPlaceholderText(self.tr("搜索：文字、责任单位或拼音首字母（如 jyfw）"))
        lv.addWidget(self.search)
        row = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("全部状态"), "")
        for s in STATUS_ORDER:
            self.status_filter.addItem(s, s)
        row.addWidget(self.status_filter)
        self.mine_only = QCheckBox(self.tr("只看本单位承担的"))
        self.mine_only.setObjectName("mineOnly")
        row.addWidget(self.mine_only)
        row.addStretch(1)
        lv.addLayout(row)
        self.tree_model = PlanTreeModel(self)
        self.proxy = PlanFilterProxy(self)
        self.proxy.setSourceModel(self.tree_model)
        self.tree = QTreeView()
        self.tree.setObjectName("planTree")
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: ResizeToContents would measure every row on each refresh.
        for col, width in ((1, 64), (2, 72)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, width)
        lv.addWidget(self.tree, 1)
        self.empty_label = QLabel(self.tr("没有符合条件的任务。"))
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.hide()
        lv.addWidget(self.empty_label)

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
        self.sample_label.hide()
        self.statusBar().addPermanentWidget(self.sample_label)
        self.statusBar().showMessage(self.tr("就绪"))
        self._build_menus()

        self.org_combo.currentIndexChanged.connect(self._org_changed)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.search.textChanged.connect(self._filter_changed)
        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        self.mine_only.toggled.connect(self._filter_changed)
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        self.targets_model.edit_handler = self._edit_target
        self.targets_view.pasteRequested.connect(self._paste)
        self.targets_model.inputRejected.connect(self._show_input_error)
        self.targets_view.historyRequested.connect(self._show_history)
        right.historyRequested.connect(lambda: self.current_measure and self._show_history(self.current_measure))
        self.narrative.committed.connect(self._save_narrative)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu(self.tr("文件(&F)"))
        m.addAction(self.tr("切换填报单位 / 填报人…"), self.choose_org)
        m.addSeparator()
        quit_action = m.addAction(self.tr("退出"), self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        m = mb.addMenu(self.tr("编辑(&E)"))
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("撤销"))
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("重做"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        m.addAction(self.undo_action)
        m.addAction(self.redo_action)
        m.addSeparator()
        find = QAction(self.tr("查找"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        m.addAction(find)
        m = mb.addMenu(self.tr("查看(&V)"))
        all_targets = m.addAction(self.tr("全部量化指标"), self.show_all_targets)
        all_targets.setShortcut(QKeySequence("Ctrl+L"))
        all_targets.setToolTip(self.tr("在一张表中填写本月全部量化指标（Ctrl+L）"))
        self.period_bar.addSeparator()
        self.period_bar.addAction(all_targets)
        m.addSeparator()
        prev_month = m.addAction(self.tr("上一个月"), lambda: self.step_period(-1))
        prev_month.setShortcuts([QKeySequence("Ctrl+PgUp"), QKeySequence("Alt+Left")])
        next_month = m.addAction(self.tr("下一个月"), lambda: self.step_period(1))
        next_month.setShortcuts([QKeySequence("Ctrl+PgDown"), QKeySequence("Alt+Right")])
        m = mb.addMenu(self.tr("导出(&X)"))
        m.addAction(self.tr("报送报表…"), self.export_report)
        m = mb.addMenu(self.tr("打印(&P)"))
        act = m.addAction(self.tr("任务清单…"), self.print_tasks)
        act.setShortcut(QKeySequence.StandardKey.Print)
        m = mb.addMenu(self.tr("数据(&D)"))
        m.addAction(self.tr("备份 / 恢复…"), self.backup_restore)
        m.addAction(self.tr("修改记录…"), lambda: self._show_history(None))
        m.addAction(self.tr("本单位对应的责任单位…"), self.choose_own_units)
        m.addAction(self.tr("状态阈值…"), self.choose_thresholds)
        m = mb.addMenu(self.tr("帮助(&H)"))
        m.addAction(self.tr("关于"), self.about)

    # -- loading ---------------------------------------------------------------------------------------
    def _load_plan(self) -> None:
        plan = self.ledger.plan
        self.tree_model.set_plan(plan)
        self.org_combo.blockSignals(True)
        self.org_combo.clear()
        for o in self.ledger.orgs():
            self.org_combo.addItem(o.name, o.code)
        self.org_combo.setCurrentIndex(max(0, self.org_combo.findData(self.org_code)))
        self.org_combo.blockSignals(False)
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for p in self.ledger.periods:
            self.period_combo.addItem(p.label, str(p))
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
        # The application's display name is added by Qt itself.
        self.setWindowTitle(f"{sample}{self.ledger.plan.short_title} — {org} — {self.period.label}")

    def refresh(self) -> None:
        """Recompute the month's picture and show it everywhere."""
        self.report = build_report(self.ledger, self.org_code, self.period)
        self.tree_model.set_progress(
            {code: (ml.status, ml.average_completion) for code, ml in self.report.measures.items()},
            {ps.part.code: ps.average_completion for ps in self.report.part_summaries()},
        )
        counts: dict[str, int] = {}
        for ml in self.report.measures.values():
            counts[ml.status] = counts.get(ml.status, 0) + 1
        self.summary_label.setText("　".join(f"{s} {counts[s]}" for s in STATUS_ORDER if counts.get(s)))
        self._mark_months_with_data()
        if self.status_filter.currentData():
            self.proxy.refresh()  # statuses moved: rows may enter or leave the filter
        self._show_current()
        self._update_empty()

    def _mark_months_with_data(self) -> None:
        # A clerk catching up sees at a glance which months already hold entries.
        filled = self.ledger.periods_with_data(self.org_code)
        for i, p in enumerate(self.ledger.periods):
            self.period_combo.setItemText(i, p.label + (self.tr(" ●已填") if p in filled else ""))

    def _show_current(self) -> None:
        if self.current_group:
            self._show_group(self.current_group)
        else:
            self._show_measure(self.current_measure)

    def show_all_targets(self) -> None:
        """Every quantitative target of the plan in one table: a month's figures typed in one pass."""
        if not self._commit_narrative():
            self._warn_unsaved()
            return
        self._reverting = True  # leaving the tree's selection must not show a measure again
        self.tree.setCurrentIndex(QModelIndex())
        self.tree.clearSelection()
        self._reverting = False
        self._show_group(ALL_TARGETS)

    def _show_group(self, group: str) -> None:
        """The targets of one part (group = its code) or of the whole plan (ALL_TARGETS) in one table."""
        if self.report is None:
            return
        self.current_measure, self.current_group = None, group
        lines = [ml for ml in self.report.measures.values() if group == ALL_TARGETS or ml.part.code == group]
        if group == ALL_TARGETS:
            title = self.tr("全部量化指标")
        else:
            title = self.tr("{} — 本部分全部量化指标").format(self.tree_model.index_for_code(group).data())
        self.pane.show_group(title, lines, self.ledger)

    def _show_measure(self, code: str | None) -> None:
        if self.report is None:
            return
        self.current_measure = code
        if code is None or code not in self.report.measures:
            self.pane.show_nothing(self.ledger)
        else:
            self.pane.show_measure(self.report.measures[code], self.ledger, self.period)

    # -- reactions -------------------------------------------------------------------------------------
    def _tree_current_changed(self, current, previous) -> None:  # noqa: ANN001
        if self._reverting:
            return
        if not self._commit_narrative():
            # Stay on the measure whose text is not saved yet; the selection is put back once this signal is
            # over (changing it inside its own currentChanged leaves tree and page disagreeing).
            back = QPersistentModelIndex(previous)
            QTimer.singleShot(0, lambda: self._select_back(back))
            self._warn_unsaved()
            return
        code = current.siblingAtColumn(0).data(CodeRole) if current.isValid() else None
        kind = current.siblingAtColumn(0).data(KindRole) if current.isValid() else None
        self.input_error.hide()
        if kind == "measure":
            self.current_group = None
            self._show_measure(code)
        elif kind == "part":
            self._show_group(code)

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
        if not self._commit_narrative():
            self._revert_combo(self.period_combo, str(self.period))
            return
        self.period = Period.parse(self.period_combo.currentData())
        self.refresh()
        self._update_title()
        self.statusBar().showMessage(self.tr("报告期：{}（状态按该月月末计算）").format(self.period.label), 5000)

    def _org_changed(self, _i: int) -> None:
        if not self._commit_narrative():
            self._revert_combo(self.org_combo, self.org_code)
            return
        self.org_code = self.org_combo.currentData()
        try:
            self.ledger.set_setting("current_org", self.org_code)  # the next start opens on this office
        except StorageError as exc:
            self.statusBar().showMessage(self.tr("未能记住所选单位：{}").format(exc), 8000)
        self._apply_own_units()
        self.refresh()
        self._update_title()

    def _filter_changed(self, *_args: object) -> None:
        self.proxy.set_query(self.search.text())
        self.proxy.set_status(self.status_filter.currentData() or "")
        self._apply_own_units()
        self.tree.expandAll()
        self._update_empty()

    def _apply_own_units(self) -> None:
        self.proxy.set_units(frozenset(self.own_units()) if self.mine_only.isChecked() else frozenset())

    def _update_empty(self) -> None:
        empty = self.proxy.rowCount() == 0
        self.empty_label.setVisible(empty)

    def own_units(self) -> list[str]:
        saved = self.ledger.setting(f"own_units:{self.org_code}")
        if saved:
            return list(json.loads(saved))
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

    def _applied(self, change: Change, source: str) -> None:
        prefix = {"undo": "已撤销，", "redo": "已重做，"}.get(source, "")
        self.input_error.hide()
        if source in ("undo", "redo"):
            self._go_to_change(change)
        self.refresh()
        self.statusBar().showMessage(prefix + change.message, 8000)

    def _go_to_change(self, change: Change) -> None:
        """Undo and redo show the office, month and measure they changed, so nothing changes out of sight."""
        if change.org != self.org_code:
            self.set_org(change.org)
        if change.period and change.period != str(self.period):
            self.set_period(Period.parse(change.period))
        measure = change.key if change.key in self.ledger.measure_ids else change.key.rsplit(".", 1)[0]
        if measure != self.current_measure:
            self.select_measure(measure)

    def _failed(self, message: str) -> None:
        self._show_input_error(message)
        QMessageBox.warning(self, self.tr("没有保存"), message)

    def _edit_for(self, target_code: str, field: str) -> tuple[Callable[[object, str], Change], object]:
        """The ledger call that saves one kind of cell for the current office and month, and its value now."""
        org, period, ledger = self.org_code, self.period, self.ledger
        if field == "figure":
            def apply(value: object, source: str) -> Change:
                return ledger.record_figure(org, target_code, period, value, source=source)  # type: ignore[arg-type]
            return apply, ledger.figure(org, target_code, period)
        if field == "local_target":
            def apply(value: object, source: str) -> Change:
                return ledger.set_local_target(org, target_code, value, source=source)  # type: ignore[arg-type]
            return apply, ledger.local_targets(org).get(target_code)

        def apply(value: object, source: str) -> Change:
            return ledger.record_figure(org, target_code, period, ledger.figure(org, target_code, period),
                                        note=str(value), source=source)
        return apply, ledger.notes(org, period).get(target_code, "")

    def _question_for(self, target_code: str, field: str, new: object) -> str | None:
        if field == "figure":
            return self.ledger.confirmation_needed(self.org_code, target_code, self.period, new)  # type: ignore[arg-type]
        if field == "local_target" and new is not None:
            return self.ledger.local_target_question(target_code, new)  # type: ignore[arg-type]
        return None

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("请确认"), question)
        self.targets_view.setFocus()  # typing goes on in the table, not wherever the dialog left the focus
        if answer != QMessageBox.StandardButton.Yes:
            self.statusBar().showMessage(self.tr("已取消，未保存。"), 5000)
            return False
        return True

    def _edit_target(self, target_code: str, field: str, new: object) -> bool:
        """Save one cell the clerk typed (after a confirmation where the value looks like a slip)."""
        question = self._question_for(target_code, field, new)
        if question and not self._confirm(question):
            return False
        apply, old = self._edit_for(target_code, field)
        label = f"{self.period.label} {self.ledger.target(target_code).label} {self.tr(FIELD_NAMES[field])}"
        return self._save(label, apply, old, new)

    def _paste(self, start: QModelIndex, rows: list[list[str]]) -> None:
        """Cells pasted from a spreadsheet: every value checked first, then all saved in one transaction and
        undone with one Ctrl+Z — or, if any is refused or the block does not fit the table, none saved."""
        model = self.targets_model
        try:
            cells = model.paste_cells(start, rows)
        except FigureInputError as exc:
            self._show_input_error(str(exc))
            return
        edits: list[tuple[str, str, object]] = []
        errors: list[str] = []
        for index, text in cells:
            try:
                code, field, new, unchanged = model.parse_cell(index, text.strip())
            except FigureInputError as exc:
                errors.append(model.cell_error(index, exc))
                continue
            if not unchanged:
                edits.append((code, field, new))
        if errors:
            more = self.tr("等 {} 处").format(len(errors)) if len(errors) > 3 else ""
            self._show_input_error(self.tr("粘贴的内容有误，全部没有保存：") + "；".join(errors[:3]) + more)
            return
        if not edits:
            self.statusBar().showMessage(self.tr("粘贴的内容与现有数据相同，没有改动。"), 5000)
            return
        questions = [q for code, field, new in edits if (q := self._question_for(code, field, new))]
        if questions and not self._confirm("\n\n".join(questions[:3]) + (
                self.tr("\n\n（共 {} 个数值需要确认）").format(len(questions)) if len(questions) > 3 else "")):
            return
        calls = [(*self._edit_for(code, field), new, code, field) for code, field, new in edits]
        try:
            with self.ledger.transaction():
                for apply, _old, new, _code, _field in calls:
                    apply(new, "typed")
        except (FigureInputError, StorageError, ValueError) as exc:
            self._show_input_error(self.tr("粘贴没有保存：{}").format(exc))
            return
        self.undo_stack.beginMacro(self.tr("粘贴 {} 个单元格").format(len(calls)))
        for apply, old, new, code, field in calls:
            text = f"{self.period.label} {self.ledger.target(code).label} {self.tr(FIELD_NAMES[field])}"
            self.undo_stack.push(LedgerEdit(text, apply, old, new, self._applied, self._failed))
        self.undo_stack.endMacro()
        self.input_error.hide()
        self.refresh()
        self.statusBar().showMessage(self.tr("已粘贴并保存 {} 个单元格。").format(len(calls)), 8000)

    def _commit_narrative(self) -> bool:
        """Save what the clerk typed in the narrative fields; False (the reason shown) when it was refused."""
        pending = self.narrative.pending()
        return pending is None or self._save_narrative(pending)

    def _warn_unsaved(self) -> None:
        QMessageBox.warning(self, self.tr("工作进展没有保存"),
                            self.tr("{}\n请先修改工作进展，保存后再切换。").format(self.input_error.text()))

    def _revert_combo(self, combo: QComboBox, data: str) -> None:
        combo.blockSignals(True)
        combo.setCurrentIndex(combo.findData(data))
        combo.blockSignals(False)
        self._warn_unsaved()

    def _save_narrative(self, new: Narrative) -> bool:
        if self.current_measure is None:
            return True
        org, period, measure, ledger = self.org_code, self.period, self.current_measure, self.ledger
        old = ledger.narrative(org, measure, period)

        def apply(value: object, source: str) -> Change:
            return ledger.write_narrative(org, measure, period, value, source=source)  # type: ignore[arg-type]

        if self._save(self.tr("{} {} 工作进展").format(period.label, measure), apply, old, new):
            self.narrative.mark_saved(new)
            return True
        return False

    def _save(self, text: str, apply, old: object, new: object) -> bool:  # noqa: ANN001
        try:
            change = apply(new, "typed")
        except (FigureInputError, StorageError, ValueError) as exc:
            # A refusal or a disk problem: shown, nothing half-saved. Anything else is a bug for the crash log.
            log.warning("save refused: %s", exc)
            self._show_input_error(str(exc))
            return False
        if change.message != "未改动":
            self.undo_stack.push(LedgerEdit(text, apply, old, new, self._applied, self._failed))
        self._applied(change, "typed")
        return True

    # -- menus -----------------------------------------------------------------------------------------
    def choose_org(self) -> None:
        from .org_dialog import OrgDialog

        if not self._commit_narrative():
            self._warn_unsaved()
            return
        dialog = OrgDialog(self.ledger, self)
        if dialog.exec() and dialog.chosen_code:
            self._load_plan_orgs(dialog.chosen_code)

    def _load_plan_orgs(self, code: str) -> None:
        self.org_code = code
        self.org_combo.blockSignals(True)
        self.org_combo.clear()
        for o in self.ledger.orgs():
            self.org_combo.addItem(o.name, o.code)
        self.org_combo.blockSignals(False)
        self.set_org(code)
        self._org_changed(0)

    def choose_own_units(self) -> None:
        from .own_units_dialog import OwnUnitsDialog

        dialog = OwnUnitsDialog(self.ledger.plan.units(), self.own_units(), self)
        if dialog.exec():
            try:
                self.ledger.set_setting(f"own_units:{self.org_code}", json.dumps(dialog.chosen(), ensure_ascii=False))
            except StorageError as exc:
                QMessageBox.warning(self, self.tr("没有保存"), str(exc))
                return
            self.mine_only.setChecked(True)
            self._filter_changed()

    def choose_thresholds(self) -> None:
        from .thresholds_dialog import ThresholdsDialog

        if ThresholdsDialog(self.ledger, self).exec():
            self.refresh()
            self.statusBar().showMessage(self.tr("已保存状态阈值，状态已重新计算。"), 8000)

    def export_report(self) -> None:
        from .export_dialog import run_export_dialog

        if not self._commit_narrative():
            self._warn_unsaved()
            return
        run_export_dialog(self, self.ledger, self.org_code, self.period)

    def print_tasks(self) -> None:
        from .print_dialog import run_print_preview

        if not self._commit_narrative():
            self._warn_unsaved()
            return
        run_print_preview(self, self.ledger, self.org_code, self.period)

    def backup_restore(self) -> None:
        from .backup_dialog import run_backup_dialog

        if not self._commit_narrative():
            self._warn_unsaved()
            return
        run_backup_dialog(self)

    def _show_history(self, target_code: str | None) -> None:
        from .audit_dialog import run_audit_dialog

        if target_code is None:
            run_audit_dialog(self, self.ledger, self.org_code)
        else:
            run_audit_dialog(self, self.ledger, self.org_code, self.period, target_code)

    def reopen_ledger(self) -> None:
        """After a restore (the ledger reopened itself on the restored file): drop what pointed into the old
        data — the undo history above all — and show the restored data."""
        self.undo_stack.clear()
        if self.org_code not in {o.code for o in self.ledger.orgs()}:
            self.org_code = self.ledger.orgs()[0].code
        self.current_measure = self.current_group = None
        self._load_plan()

    def about(self) -> None:
        from .. import __version__

        plan = self.ledger.plan
        QMessageBox.about(
            self, "关于",
            f"<b>{APP_TITLE}</b> {__version__}<br>{plan.title}<br>{plan.doc_number}<br>"
            f"数据文件：{self.ledger.path}",
        )

    # -- window state ----------------------------------------------------------------------------------
    def _restore_window_state(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        for key, splitter in (("splitter", self.splitter), ("detail_splitter", self.detail_splitter)):
            state = self.settings.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.property("file_lost"):  # nothing can be saved into a file that is gone
            super().closeEvent(event)
            return
        if not self._commit_narrative():
            answer = QMessageBox.question(
                self, self.tr("工作进展没有保存"),
                self.tr("{}\n\n仍要退出吗？没有保存的文字会丢失。").format(self.input_error.text()),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("splitter", self.splitter.saveState())
        self.settings.setValue("detail_splitter", self.detail_splitter.saveState())
        self.settings.setValue("last_measure", self.current_measure or "")
        self.settings.setValue("mine_only", self.mine_only.isChecked())
        self.settings.setValue("last_org", self.org_code)
        self.settings.setValue("last_period", str(self.period))
        self.settings.sync()
        super().closeEvent(event)
