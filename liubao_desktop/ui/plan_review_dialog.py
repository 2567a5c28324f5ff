"""方案 → 导入方案…: the plan the reader found, checked by a person before anything is saved (issue 13).

The tree (parts → measures → targets) beside the document's text. Every target found is marked in the text — green
when the reader is sure, orange when it is not (the reason as the tooltip), grey and struck through once
rejected — and the node selected is marked yellow and scrolled to. The panel under the tree edits the node
selected: a target accepted, rejected or changed (label, comparator, value, unit, kind, deadline); a measure's
title, deadline and units with their roles, merged with the next measure or split at the text cursor; a target
added from the text selected (value and unit read by the reader's own target finder). The plan's title, 文号,
issuer and dates are edited above.

Nothing here changes the proposal: each fix is a decision (``plan_review_decisions``), and what is shown is the
reader's proposal with the decisions applied, so ``decisions()`` can be applied to the document read again.
确认保存 builds the ``Plan`` and hands it to ``save`` (by default ``services.plan_import.save_plan``, one
transaction); a refusal is shown and the dialog stays open. 取消 writes nothing.
"""
from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QAbstractItemModel, QDate, QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QToolTip,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ..domain.plan import KIND_DONE, Plan, chinese_numeral
from ..domain.plan_reader import (
    ROLE_COOPERATE,
    ROLE_LEAD,
    ROLE_RESPONSIBLE,
    PlanProposal,
    PlanReadError,
    ProposedMeasure,
    ProposedTarget,
    Unit,
)
from ..domain.plan_reader import apply_decisions as apply_reader_decisions
from ..domain.plan_reader.targets import Context, find_targets
from ..domain.quantities import format_number
from . import look
from .plan_review_decisions import (
    COMPARATOR_WORDS,
    KIND_SHORT,
    KIND_WORDS,
    STATE_ADDED,
    STATE_REJECTED,
    STATE_UNSURE,
    STATE_WORDS,
    AcceptTarget,
    AddTarget,
    Decision,
    EditMeasure,
    EditTarget,
    MergeMeasures,
    Reviewed,
    SetMetadata,
    SetUnits,
    SplitMeasure,
    apply_decisions,
    decisions_around_targets,
    reader_decisions,
    target_key,
    target_text,
)
from .plan_review_decisions import RejectTarget as RejectTarget
from .plan_review_source import Locations, SourceIndex, locate

log = logging.getLogger(__name__)

SURE_FILL = "#d7f0d2"
UNSURE_FILL = "#ffd9a8"
REJECTED_FILL = "#e4e4e4"
CURRENT_FILL = "#fff176"
CURRENT_AREA_FILL = "#fff4b8"
UNSURE_TEXT = "#a04a00"
ROLE_WORDS = {ROLE_LEAD: "牵头", ROLE_RESPONSIBLE: "责任", ROLE_COOPERATE: "配合"}

Saver = Callable[[Plan], object]


# -- the source text -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    state: str
    tooltip: str


class SourceView(QPlainTextEdit):
    """The document's text, read-only, with every target marked and the selected node's text highlighted."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setPlainText(text)
        self.marks: list[Mark] = []
        self.current: tuple[int, int] | None = None
        self._current_is_area = False

    def _selection(self, start: int, end: int, fill: str, *, strike: bool = False,
                   tooltip: str = "") -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor  # type: ignore[attr-defined]
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(fill))
        if strike:
            fmt.setFontStrikeOut(True)
        if tooltip:
            fmt.setToolTip(tooltip)
        sel.format = fmt  # type: ignore[attr-defined]
        return sel

    def set_marks(self, marks: list[Mark]) -> None:
        self.marks = marks
        self._refresh()

    def show_current(self, span: tuple[int, int] | None, *, area: bool) -> None:
        """Highlight a node's text (``area``: a measure or a part, a paler fill under the target marks) and scroll
        so that it starts in sight."""
        self.current, self._current_is_area = span, area
        self._refresh()
        if span:
            cursor = self.textCursor()
            cursor.setPosition(span[1])
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
            cursor.setPosition(span[0])
            self.setTextCursor(cursor)
            self.centerCursor()

    def _refresh(self) -> None:
        sels = []
        if self.current and self._current_is_area:
            sels.append(self._selection(*self.current, CURRENT_AREA_FILL))
        for m in self.marks:
            fill = {STATE_UNSURE: UNSURE_FILL, STATE_REJECTED: REJECTED_FILL}.get(m.state, SURE_FILL)
            sels.append(self._selection(m.start, m.end, fill, strike=m.state == STATE_REJECTED, tooltip=m.tooltip))
        if self.current and not self._current_is_area:
            sels.append(self._selection(*self.current, CURRENT_FILL))
        self.setExtraSelections(sels)

    def tooltip_at(self, offset: int) -> str:
        return "\n".join(m.tooltip for m in self.marks if m.start <= offset < m.end and m.tooltip)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            offset = self.cursorForPosition(event.pos()).position()  # type: ignore[attr-defined]
            text = self.tooltip_at(offset)
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)


# -- the tree ----------------------------------------------------------------------------------------------------
PART, MEASURE, TARGET = "part", "measure", "target"
COLUMNS = ("名称", "目标", "类型", "完成时限", "审核")


@dataclass
class Node:
    kind: str
    key: tuple  # ("part", i) / ("measure", code) / ("target", code, i)
    parent: int  # node id, -1 for the root
    row: int
    children: list[int]


class ReviewTreeModel(QAbstractItemModel):
    """Parts → measures → targets of a reviewed proposal; read-only (the panel below edits)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reviewed: Reviewed | None = None
        self.nodes: list[Node] = []
        self.roots: list[int] = []
        self._measures: dict[str, ProposedMeasure] = {}

    def set_reviewed(self, reviewed: Reviewed) -> None:
        self.beginResetModel()
        self.reviewed = reviewed
        self.nodes, self.roots, self._measures = [], [], {}
        for pi, p in enumerate(reviewed.shown.parts):
            pid = self._add(PART, ("part", pi), -1, self.roots)
            for m in p.measures:
                self._measures[m.code] = m
                mid = self._add(MEASURE, ("measure", m.code), pid, self.nodes[pid].children)
                for ti in range(len(m.targets)):
                    self._add(TARGET, ("target", m.code, ti), mid, self.nodes[mid].children)
        self.endResetModel()

    def _add(self, kind: str, key: tuple, parent: int, siblings: list[int]) -> int:
        self.nodes.append(Node(kind, key, parent, len(siblings), []))
        siblings.append(len(self.nodes) - 1)
        return len(self.nodes) - 1

    # -- structure
    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        children = self.nodes[parent.internalId()].children if parent.isValid() else self.roots
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, child: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not child.isValid():
            return QModelIndex()
        pid = self.nodes[child.internalId()].parent
        if pid < 0:
            return QModelIndex()
        return self.createIndex(self.nodes[pid].row, 0, pid)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self.roots)
        if parent.column() != 0:
            return 0
        return len(self.nodes[parent.internalId()].children)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- what a node is
    def node(self, index: QModelIndex | QPersistentModelIndex) -> Node | None:
        return self.nodes[index.internalId()] if index.isValid() else None

    def index_of(self, key: tuple) -> QModelIndex:
        for nid, n in enumerate(self.nodes):
            if n.key == key:
                return self.createIndex(n.row, 0, nid)
        return QModelIndex()

    def measure(self, code: str) -> ProposedMeasure | None:
        return self._measures.get(code)

    def target(self, key: tuple) -> tuple[ProposedTarget, str] | None:
        m = self._measures.get(key[1])
        if m is None or self.reviewed is None or key[2] >= len(m.targets):
            return None
        return m.targets[key[2]], self.reviewed.states[(key[1], key[2])]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        n = self.node(index)
        if n is None or self.reviewed is None:
            return None
        col = index.column()
        if n.kind == PART:
            p = self.reviewed.shown.parts[n.key[1]]
            if role == Qt.ItemDataRole.DisplayRole and col == 0:
                return f"{chinese_numeral(p.seq)}、{p.title}"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if n.kind == MEASURE:
            m = self._measures[n.key[1]]
            if role == Qt.ItemDataRole.DisplayRole:
                undecided = sum(1 for i in range(len(m.targets))
                                if self.reviewed.states.get((m.code, i)) == STATE_UNSURE)
                return {0: f"{m.code} {m.title}", 1: f"{len(m.targets)}个指标" if m.targets else "",
                        3: _day(m.deadline), 4: f"{undecided}个待确认" if undecided else ""}.get(col)
            if role == Qt.ItemDataRole.ToolTipRole:
                units = "、".join(f"{u.name}（{ROLE_WORDS.get(u.role, u.role)}）" for u in m.units) or "（无）"
                return f"{m.code} {m.title}\n责任单位：{units}" + "".join(f"\n注意：{w}" for w in m.unsure)
            if role == Qt.ItemDataRole.ForegroundRole and m.unsure and col == 0:
                return QBrush(QColor(UNSURE_TEXT))
            return None
        found = self.target(n.key)
        if found is None:
            return None
        t, state = found
        if role == Qt.ItemDataRole.DisplayRole:
            return {0: t.label, 1: target_text(t), 2: KIND_SHORT.get(t.kind, t.kind), 3: _day(t.deadline),
                    4: STATE_WORDS.get(state, "")}.get(col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _target_tooltip(t, state)
        if role == Qt.ItemDataRole.ForegroundRole:
            if state == STATE_REJECTED:
                return QBrush(QColor("#8a8a8a"))
            if state == STATE_UNSURE:
                return QBrush(QColor(UNSURE_TEXT))
        if role == Qt.ItemDataRole.FontRole and state == STATE_REJECTED:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None


def _document_year(p: PlanProposal) -> int | None:
    """The year the document is about: its dates, else the earliest deadline it gives (for dates it lacks)."""
    for d in (p.issued_on, p.effective_from):
        if d:
            return d.year
    days = [x.deadline for m in p.measures() for x in (m, *m.targets) if x.deadline]
    return min(days).year if days else None


def _day(d: date | None) -> str:
    return d.isoformat() if d else ""


def _target_tooltip(t: ProposedTarget, state: str) -> str:
    lines = [f"原文：{t.source}"]
    if state == STATE_UNSURE:
        lines += [f"待确认：{why}" for why in t.unsure]
    elif state == STATE_REJECTED:
        lines.append("已删除：不作为指标")
    elif t.unsure:
        lines += [f"（读取时存疑：{why}）" for why in t.unsure]
    return "\n".join(lines)


# -- small editors --------------------------------------------------------------------------------------------------
class OptionalDate(QWidget):
    """A date or none: a check box that says whether there is one, and the date."""

    edited = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label, self)
        self.date = QDateEdit(self)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setCalendarPopup(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.date, 1)
        self.check.clicked.connect(self._checked)
        self.date.editingFinished.connect(self._date_done)
        self._last: date | None = None

    def set_value(self, value: date | None, fallback: date | None = None) -> None:
        self._last = value
        self.check.setChecked(value is not None)
        self.date.setEnabled(value is not None)
        shown = value or fallback or date.today()
        self.date.setDate(QDate(shown.year, shown.month, shown.day))

    def value(self) -> date | None:
        if not self.check.isChecked():
            return None
        d = self.date.date()
        return date(d.year(), d.month(), d.day())

    def _checked(self) -> None:
        self.date.setEnabled(self.check.isChecked())
        self._changed()

    def _date_done(self) -> None:
        self._changed()

    def _changed(self) -> None:
        if self.value() != self._last:
            self._last = self.value()
            self.edited.emit()


def _combo(words: dict[str, str], parent: QWidget) -> QComboBox:
    box = QComboBox(parent)
    for value, word in words.items():
        box.addItem(word, value)
    return box


def _select(box: QComboBox, value: object) -> None:
    i = box.findData(value)
    box.setCurrentIndex(max(i, 0))


# -- the dialog -------------------------------------------------------------------------------------------------------
class PlanReviewDialog(QDialog):
    """Check a read plan and save it (see the module's docstring)."""

    def __init__(self, proposal: PlanProposal, source_text: str, parent: QWidget | None = None, *,
                 ledger: object | None = None, save: Saver | None = None, code: str | None = None,
                 short_title: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入方案 — 审核读取结果")
        self.original = proposal
        self.source_text = source_text
        self._decisions: list[Decision] = []
        self._ledger = ledger
        self._save = save
        self.saved_plan: Plan | None = None
        self._code = code
        self.save_message = ""
        self._index = SourceIndex(source_text)
        self._updating = False
        self.reviewed: Reviewed = apply_decisions(proposal, [])
        self.locations: Locations = locate(self.reviewed.shown, self._index)

        self.model = ReviewTreeModel(self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 92), (2, 40), (3, 82), (4, 72)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        look.grid(self.tree)

        self.source = SourceView(source_text, self)
        self.source.cursorPositionChanged.connect(self._cursor_moved)
        self.source.selectionChanged.connect(self._cursor_moved)

        # the editors of the node selected
        self.add_button = QPushButton("从选中文字添加指标", self)
        self.add_button.setToolTip("在右侧原文中选中一段文字（如“新增就业岗位500个”），读出数值和单位，作为所在措施的指标")
        self.split_button = QPushButton("在光标处拆分措施", self)
        self.split_button.setToolTip("把光标所在措施从原文光标处起拆成两项措施")
        self.add_button.clicked.connect(self.add_from_selection)
        self.split_button.clicked.connect(self.split_at_cursor)
        self.panel = QStackedWidget(self)
        self.panel.addWidget(self._empty_page())
        self.panel.addWidget(self._part_page())
        self.panel.addWidget(self._measure_page())
        self.panel.addWidget(self._target_page())

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, 3)
        left_layout.addWidget(self.panel, 0)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        legend = QLabel(f'原文（<span style="background:{SURE_FILL}">&nbsp;已识别的指标&nbsp;</span> '
                        f'<span style="background:{UNSURE_FILL}">&nbsp;待确认（悬停看原因）&nbsp;</span> '
                        f'<span style="background:{REJECTED_FILL}">&nbsp;已删除&nbsp;</span> '
                        f'<span style="background:{CURRENT_FILL}">&nbsp;当前选中&nbsp;</span>）', right)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(legend, 1)
        buttons_row.addWidget(self.add_button)
        buttons_row.addWidget(self.split_button)
        right_layout.addLayout(buttons_row)
        right_layout.addWidget(self.source, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.error = look.NoticeLabel("", self)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        self.confirm_button = self.buttons.addButton("确认保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self._metadata_box())
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.error)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self._show(None)
        self.resize(1340, 720)
        self.splitter.setSizes([600, 740])

    # -- the parts of the screen
    def _metadata_box(self) -> QWidget:
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        self.title_edit = QLineEdit(box)
        self.doc_number_edit = QLineEdit(box)
        self.issuer_edit = QLineEdit(box)
        self.short_title_edit = QLineEdit(box)
        self.issued_edit = OptionalDate("", box)
        self.from_edit = OptionalDate("", box)
        self.to_edit = OptionalDate("", box)
        p = self.original
        self.title_edit.setText(p.title)
        self.doc_number_edit.setText(p.doc_number)
        self.issuer_edit.setText(p.issuer)
        self.short_title_edit.setText(default_short_title(p))
        self.short_title_edit.setToolTip("窗口标题、导出表格和打印时用的方案简称")
        fallback = p.issued_on or date(_document_year(p) or date.today().year, 1, 1)
        self.issued_edit.set_value(p.issued_on, fallback)
        self.from_edit.set_value(p.effective_from, fallback)
        self.to_edit.set_value(p.effective_to, date(fallback.year, 12, 31))
        for w, name in ((self.title_edit, "title"), (self.doc_number_edit, "doc_number"),
                        (self.issuer_edit, "issuer")):
            w.editingFinished.connect(lambda w=w, name=name: self._meta_text(name, w))
        for d, name in ((self.issued_edit, "issued_on"), (self.from_edit, "effective_from"),
                        (self.to_edit, "effective_to")):
            d.edited.connect(lambda d=d, name=name: self.decide(SetMetadata(name, d.value())))
        self.dates_note = QLabel(box)
        look.text_colour(self.dates_note, look.ERROR_RED)
        grid.addWidget(QLabel("方案标题"), 0, 0)
        grid.addWidget(self.title_edit, 0, 1, 1, 3)
        grid.addWidget(QLabel("简称"), 0, 4)
        grid.addWidget(self.short_title_edit, 0, 5, 1, 3)
        grid.addWidget(QLabel("文号"), 1, 0)
        grid.addWidget(self.doc_number_edit, 1, 1)
        grid.addWidget(QLabel("发文单位"), 1, 2)
        grid.addWidget(self.issuer_edit, 1, 3)
        grid.addWidget(QLabel("印发日期"), 1, 4)
        grid.addWidget(self.issued_edit, 1, 5)
        grid.addWidget(QLabel("执行期"), 1, 6)
        period = QHBoxLayout()
        period.addWidget(self.from_edit)
        period.addSpacing(4)
        period.addWidget(QLabel("至"))
        period.addSpacing(4)
        period.addWidget(self.to_edit)
        grid.addLayout(period, 1, 7)
        grid.addWidget(self.dates_note, 2, 1, 1, 7)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 2)
        grid.setColumnStretch(5, 1)
        grid.setColumnStretch(7, 2)
        return box

    def _empty_page(self) -> QWidget:
        label = QLabel("在上面选中一个部分、措施或指标：右侧原文标出它的位置，这里可以修改。", self)
        label.setWordWrap(True)
        return label

    def _part_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        form.setContentsMargins(0, 4, 0, 0)
        self.part_label = QLabel(page)
        self.part_label.setWordWrap(True)
        form.addRow("部分", self.part_label)
        return page

    def _measure_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        form.setContentsMargins(0, 4, 0, 0)
        self.measure_title = QLineEdit(page)
        self.measure_title.editingFinished.connect(self._measure_title_done)
        self.measure_deadline = OptionalDate("指定", page)
        self.measure_deadline.edited.connect(
            lambda: self.decide(EditMeasure(self._key[1], "deadline", self.measure_deadline.value())))
        self.units_table = QTableWidget(0, 2, page)
        self.units_table.setHorizontalHeaderLabels(["责任单位", "角色"])
        self.units_table.verticalHeader().hide()
        self.units_table.verticalHeader().setDefaultSectionSize(24)
        self.units_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.units_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.units_table.horizontalHeader().resizeSection(1, 72)
        self.units_table.setMinimumHeight(96)
        self.units_table.setMaximumHeight(130)
        self.units_table.itemChanged.connect(lambda _item: self._units_changed())
        look.grid(self.units_table)
        add_unit, remove_unit = QPushButton("添加单位", page), QPushButton("删除单位", page)
        up = QPushButton("上移", page)
        add_unit.clicked.connect(self.add_unit_row)
        remove_unit.clicked.connect(self.remove_unit_row)
        up.clicked.connect(self.move_unit_up)
        self.merge_button = QPushButton("与下一项合并", page)
        self.merge_button.setToolTip("把这项措施和同一部分中的下一项措施合并为一项")
        self.merge_button.clicked.connect(self.merge_with_next)
        unit_buttons = QHBoxLayout()
        for b in (add_unit, remove_unit, up):
            unit_buttons.addWidget(b)
        unit_buttons.addStretch(1)
        unit_buttons.addWidget(self.merge_button)
        self.measure_note = QLabel(page)
        look.text_colour(self.measure_note, UNSURE_TEXT)
        self.measure_note.setWordWrap(True)
        form.addRow("措施名称", self.measure_title)
        form.addRow("完成时限", self.measure_deadline)
        form.addRow("责任单位", self.units_table)
        form.addRow("", unit_buttons)
        form.addRow("", self.measure_note)
        return page

    def _target_page(self) -> QWidget:
        page = QWidget(self)
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setVerticalSpacing(4)
        self.target_source = QLabel(page)
        self.target_source.setWordWrap(True)
        self.target_source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.target_note = QLabel(page)
        self.target_note.setWordWrap(True)
        look.text_colour(self.target_note, UNSURE_TEXT)
        self.label_edit = QLineEdit(page)
        self.comparator_box = _combo(COMPARATOR_WORDS, page)
        self.value_edit = QLineEdit(page)
        self.value_edit.setPlaceholderText("数值")
        self.upper_edit = QLineEdit(page)
        self.upper_edit.setPlaceholderText("区间上限（可空）")
        self.unit_edit = QLineEdit(page)
        self.unit_edit.setPlaceholderText("单位：万人、%")
        self.kind_box = _combo(KIND_WORDS, page)
        self.deadline_edit = OptionalDate("指定", page)
        self.deadline_edit.setToolTip("不指定：按措施的完成时限，或方案执行期末")
        self.accept_button = QPushButton("确认是指标", page)
        self.reject_button = QPushButton("不是指标（删除）", page)
        self.accept_button.clicked.connect(lambda: self._target_decision(AcceptTarget))
        self.reject_button.clicked.connect(lambda: self._target_decision(RejectTarget))
        self.label_edit.editingFinished.connect(self._label_done)
        self.value_edit.editingFinished.connect(lambda: self._number_done("value", self.value_edit))
        self.upper_edit.editingFinished.connect(lambda: self._number_done("upper", self.upper_edit))
        self.unit_edit.editingFinished.connect(self._unit_done)
        self.comparator_box.activated.connect(
            lambda _i: self._edit_target("comparator", self.comparator_box.currentData()))
        self.kind_box.activated.connect(lambda _i: self._edit_target("kind", self.kind_box.currentData()))
        self.deadline_edit.edited.connect(lambda: self._edit_target("deadline", self.deadline_edit.value()))
        grid.addWidget(QLabel("原文"), 0, 0)
        grid.addWidget(self.target_source, 0, 1, 1, 5)
        grid.addWidget(QLabel("指标名称"), 1, 0)
        grid.addWidget(self.label_edit, 1, 1, 1, 5)
        grid.addWidget(QLabel("目标"), 2, 0)
        grid.addWidget(self.comparator_box, 2, 1)
        grid.addWidget(self.value_edit, 2, 2)
        grid.addWidget(self.upper_edit, 2, 3)
        grid.addWidget(self.unit_edit, 2, 4)
        grid.addWidget(QLabel("类型"), 3, 0)
        grid.addWidget(self.kind_box, 3, 1)
        grid.addWidget(QLabel("完成时限"), 3, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.deadline_edit, 3, 3, 1, 2)
        grid.addWidget(self.target_note, 4, 0, 1, 6)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.accept_button)
        row.addWidget(self.reject_button)
        grid.addLayout(row, 5, 0, 1, 6)
        grid.setRowStretch(6, 1)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 2)
        grid.setColumnStretch(3, 2)
        grid.setColumnStretch(4, 1)
        return page

    # -- decisions
    def decisions(self) -> list[Decision]:
        """Every fix made so far, in order (to apply to the document read again)."""
        return list(self._decisions)

    def decide(self, decision: Decision, select: tuple | None = None) -> bool:
        """Record one decision and show the proposal with it; a decision that does not fit is refused."""
        if self._updating:
            return False
        reviewed = apply_decisions(self.original, [*self._decisions, decision])
        if reviewed.skipped:
            self._say("这项修改无法应用到当前方案。")
            return False
        self._decisions.append(decision)
        self._reviewed_now(reviewed, select or getattr(self, "_key", None))
        return True

    def _reviewed_now(self, reviewed: Reviewed, select: tuple | None) -> None:
        self.reviewed = reviewed
        self.locations = locate(reviewed.shown, self._index)
        self._updating = True
        try:
            self.model.set_reviewed(reviewed)
            self.tree.expandAll()
        finally:
            self._updating = False
        index = self.model.index_of(select) if select else QModelIndex()
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        else:
            self._show(None)
        self._marks()
        self._summary()

    def showEvent(self, event: object) -> None:  # type: ignore[override]
        if self.model.reviewed is None:
            self._reviewed_now(self.reviewed, None)
        super().showEvent(event)  # type: ignore[arg-type]

    def ensure_loaded(self) -> None:
        """Fill the tree (done when first shown; tests that never show the dialog call it)."""
        if self.model.reviewed is None:
            self._reviewed_now(self.reviewed, None)

    def _marks(self) -> None:
        marks = []
        for (code, ti), (s, e) in self.locations.targets.items():
            found = self.model.target(("target", code, ti))
            if found:
                t, state = found
                marks.append(Mark(s, e, state, _target_tooltip(t, state)))
        self.source.set_marks(marks)

    def _summary(self) -> None:
        states = list(self.reviewed.states.values())
        kept = sum(1 for s in states if s != STATE_REJECTED)
        unsure = states.count(STATE_UNSURE)
        measures = len(self.reviewed.shown.measures())
        text = f"{len(self.reviewed.shown.parts)}个部分，{measures}项措施，{kept}个指标"
        if unsure:
            text += f"，<span style='color:{UNSURE_TEXT}'>{unsure}个待确认</span>"
        rejected = states.count(STATE_REJECTED)
        if rejected:
            text += f"，{rejected}个已删除"
        if self._decisions:
            text += f"；已做{len(self._decisions)}处修改"
        if self.original.notes:
            text += "。读取说明：" + "；".join(self.original.notes)
        self.summary.setText(text)
        shown = self.reviewed.shown
        missing = [w for w, d in (("开始日期", shown.effective_from), ("结束日期", shown.effective_to)) if d is None]
        self.dates_note.setText(f"文件中没有写明执行期，请填写{'和'.join(missing)}后再确认保存。" if missing else "")
        self.dates_note.setVisible(bool(missing))

    # -- selection
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._updating:
            return
        n = self.model.node(current)
        self._show(n.key if n else None)

    def _show(self, key: tuple | None) -> None:
        self._key = key
        self._updating = True
        try:
            if key is None:
                self.panel.setCurrentIndex(0)
                self.source.show_current(None, area=True)
            elif key[0] == "part":
                p = self.reviewed.shown.parts[key[1]]
                self.part_label.setText(f"{chinese_numeral(p.seq)}、{p.title}（{len(p.measures)}项措施）"
                                        + "".join(f"\n注意：{w}" for w in p.unsure))
                self.panel.setCurrentIndex(1)
                self.source.show_current(self.locations.parts.get(key[1]), area=True)
            elif key[0] == "measure":
                self._fill_measure(key[1])
                self.panel.setCurrentIndex(2)
                self.source.show_current(self.locations.measures.get(key[1]), area=True)
            else:
                self._fill_target(key)
                self.panel.setCurrentIndex(3)
                self.source.show_current(self.locations.targets.get((key[1], key[2])), area=False)
        finally:
            self._updating = False
        self._cursor_moved()

    def _fill_measure(self, code: str) -> None:
        m = self.model.measure(code)
        if m is None:
            return
        self.measure_title.setText(m.title)
        year = _document_year(self.reviewed.shown) or date.today().year
        self.measure_deadline.set_value(m.deadline, self.reviewed.shown.effective_to or date(year, 12, 31))
        self.units_table.setRowCount(0)
        for u in m.units:
            self._append_unit_row(u)
        part = next(p for p in self.reviewed.shown.parts if any(x.code == code for x in p.measures))
        self.merge_button.setEnabled(part.measures[-1].code != code)
        self.measure_note.setText("；".join(m.unsure))

    def _append_unit_row(self, u: Unit) -> None:
        row = self.units_table.rowCount()
        self.units_table.insertRow(row)
        self.units_table.setItem(row, 0, QTableWidgetItem(u.name))
        role = _combo(ROLE_WORDS, self.units_table)
        _select(role, u.role)
        role.activated.connect(lambda _i: self._units_changed())
        self.units_table.setCellWidget(row, 1, role)

    def _fill_target(self, key: tuple) -> None:
        found = self.model.target(key)
        if found is None:
            return
        t, state = found
        self.target_source.setText(t.source)
        self.label_edit.setText(t.label)
        _select(self.comparator_box, t.comparator)
        _select(self.kind_box, t.kind)
        done = t.kind == KIND_DONE or t.comparator == "done"
        self.value_edit.setText("" if t.value is None else format_number(t.value).replace(",", ""))
        self.upper_edit.setText("" if t.upper is None else format_number(t.upper).replace(",", ""))
        self.unit_edit.setText(t.unit or "")
        for w in (self.value_edit, self.upper_edit, self.unit_edit):
            w.setEnabled(not done)
        m = self.model.measure(key[1])
        shown = self.reviewed.shown
        year = _document_year(shown) or date.today().year
        self.deadline_edit.set_value(t.deadline, (m.deadline if m else None) or shown.effective_to
                                     or date(year, 12, 31))
        note = {STATE_UNSURE: "读取器不确定：" + "；".join(t.unsure) + "。请确认或删除。",
                STATE_REJECTED: "已删除：不会保存。点“确认是指标”恢复。",
                STATE_ADDED: "从原文中添加的指标。"}.get(state, "")
        self.target_note.setText(note)
        self.accept_button.setEnabled(state in (STATE_UNSURE, STATE_REJECTED))
        self.reject_button.setEnabled(state != STATE_REJECTED)

    def _cursor_moved(self) -> None:
        cursor = self.source.textCursor()
        self.add_button.setEnabled(cursor.hasSelection() and bool(cursor.selectedText().strip()))
        self.split_button.setEnabled(self._split_point() is not None)

    # -- target edits
    def _target_ref(self) -> tuple[str, str, int] | None:
        if not self._key or self._key[0] != "target":
            return None
        ref = target_key(self.reviewed.shown, self._key[1], self._key[2])
        return ref.measure, ref.source, ref.nth

    def _target_decision(self, kind: type) -> None:
        ref = self._target_ref()
        if ref:
            self.decide(kind(*ref))

    def _edit_target(self, name: str, value: object) -> None:
        ref = self._target_ref()
        if ref is None or self._updating:
            return
        found = self.model.target(self._key)  # type: ignore[arg-type]
        if found and getattr(found[0], name) == value:
            return
        self.decide(EditTarget(*ref, field=name, value=value))  # type: ignore[arg-type]

    def _label_done(self) -> None:
        text = self.label_edit.text().strip()
        if not text:
            self._say("指标名称不能为空。")
            return
        self._edit_target("label", text)

    def _unit_done(self) -> None:
        text = self.unit_edit.text().strip()
        self._edit_target("unit", text or None)

    def _number_done(self, name: str, edit: QLineEdit) -> None:
        text = edit.text().strip().replace(",", "").replace("，", "")
        if not text:
            if name == "value":
                self._say("目标数值不能为空；定性指标请把比较方式改为“定性（完成）”。")
                return
            self._edit_target(name, None)
            return
        try:
            value = Decimal(text)
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self._say(f"“{edit.text()}”不是数字。")
            return
        self._edit_target(name, value)

    # -- measure edits
    def _measure_title_done(self) -> None:
        if self._updating or not self._key or self._key[0] != "measure":
            return
        text = self.measure_title.text().strip()
        m = self.model.measure(self._key[1])
        if not text:
            self._say("措施名称不能为空。")
        elif m and text != m.title:
            self.decide(EditMeasure(self._key[1], "title", text))

    def _units_now(self) -> tuple[Unit, ...]:
        units = []
        for row in range(self.units_table.rowCount()):
            item = self.units_table.item(row, 0)
            name = item.text().strip() if item else ""
            box = self.units_table.cellWidget(row, 1)
            if name:
                units.append(Unit(name, box.currentData() if isinstance(box, QComboBox) else ROLE_RESPONSIBLE))
        return tuple(units)

    def _units_changed(self) -> None:
        if self._updating or not self._key or self._key[0] != "measure":
            return
        m = self.model.measure(self._key[1])
        units = self._units_now()
        if m is not None and units != m.units:
            self.decide(SetUnits(self._key[1], units))

    def add_unit_row(self) -> None:
        self._updating = True
        try:
            self._append_unit_row(Unit("", ROLE_COOPERATE))
        finally:
            self._updating = False
        row = self.units_table.rowCount() - 1
        self.units_table.setCurrentCell(row, 0)
        self.units_table.editItem(self.units_table.item(row, 0))

    def remove_unit_row(self) -> None:
        row = self.units_table.currentRow()
        if row >= 0:
            self._updating = True
            self.units_table.removeRow(row)
            self._updating = False
            self._units_changed()

    def move_unit_up(self) -> None:
        row = self.units_table.currentRow()
        units = list(self._units_now())
        if 0 < row < len(units):
            units[row - 1], units[row] = units[row], units[row - 1]
            self.decide(SetUnits(self._key[1], tuple(units)))  # type: ignore[index]

    def merge_with_next(self) -> None:
        if self._key and self._key[0] == "measure":
            self.decide(MergeMeasures(self._key[1]), ("measure", self._key[1]))

    # -- from the source text
    def _split_point(self) -> tuple[str, str] | None:
        """The measure the text cursor is in and the words it is in front of, when a split there makes sense."""
        cursor = self.source.textCursor()
        if cursor.hasSelection():
            return None
        offset = cursor.position()
        code = self.locations.measure_at(offset)
        if code is None:
            return None
        start, end = self.locations.measures[code]
        if not start < offset < end:
            return None
        at = self._index.compact_from(offset, 12)
        m = self.model.measure(code)
        if m is None or not at:
            return None
        found = SourceIndex(m.text).find(at)
        if found is None or not m.text[:found[0]].strip():
            return None
        return code, at

    def split_at_cursor(self) -> None:
        point = self._split_point()
        if point is None:
            self._say("请先在原文中把光标放在一项措施的正文中间（要拆出的部分开头）。")
            return
        code, at = point
        self.decide(SplitMeasure(code, at), ("measure", code))

    def add_from_selection(self) -> None:
        cursor = self.source.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        text = self.source_text[start:end]
        phrase = "".join(text.split()) if "\n" in text else text.strip()
        if not phrase:
            self._say("请先在原文中选中指标所在的文字。")
            return
        code = self.locations.measure_at(start)
        if code is None:
            self._say("选中的文字不在任何措施中。")
            return
        m = self.model.measure(code)
        where = SourceIndex(m.text).find(phrase) if m else None
        if m is None or where is None:
            self._say("选中的文字要在同一项措施的正文之内（不含责任单位的括注）。")
            return
        phrase = m.text[where[0]:where[1]]
        shown = self.reviewed.shown
        year = next((d.year for d in (shown.issued_on, shown.effective_from) if d), None)
        found = find_targets(phrase, Context(year, shown.effective_to))
        if found:
            target = replace(found[0], source=phrase)
        else:
            target = ProposedTarget(source=phrase, label=phrase, kind=KIND_DONE, comparator="done", value=None,
                                    unit=None, deadline=m.deadline if m else None,
                                    deadline_phrase=m.deadline_phrase if m else None)
        if self.decide(AddTarget(code, target)):
            now = self.model.measure(code)
            at = max(i for i, t in enumerate(now.targets) if t == target) if now else 0
            self.tree.setCurrentIndex(self.model.index_of(("target", code, at)))

    # -- metadata
    def _meta_text(self, name: str, edit: QLineEdit) -> None:
        text = edit.text().strip()
        if text != getattr(self.reviewed.shown, name):
            self.decide(SetMetadata(name, text))

    # -- the end
    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def final_plan(self) -> Plan:
        """The plan as reviewed (raises ``PlanReadError`` in Chinese when something must still be done)."""
        undecided = self.reviewed.undecided()
        if undecided:
            raise PlanReadError(f"还有{len(undecided)}个待确认的指标：请逐个“确认是指标”或“删除”后再保存。")
        short = self.short_title_edit.text().strip()
        if not short:
            raise PlanReadError("请填写方案简称。")
        if not self.reviewed.shown.title.strip():
            raise PlanReadError("请填写方案标题。")
        shown = self.reviewed.shown
        if shown.effective_from and shown.effective_to and shown.effective_from > shown.effective_to:
            raise PlanReadError("执行期的开始日期晚于结束日期。")
        return self.reviewed_proposal().to_plan(code=self._plan_code(), short_title=short)

    def reviewed_proposal(self) -> PlanProposal:
        """The proposal as decided. The target decisions go through the reader's own ``apply_decisions`` (the
        one the seed's decisions go through) whenever they can be said as its decisions; a review that merged
        or split measures is applied by ``plan_review_decisions`` alone."""
        converted = reader_decisions(self.original, self._decisions)
        if converted is None:
            return self.reviewed.proposal
        proposal = apply_reader_decisions(self.original, converted)
        return apply_decisions(proposal, decisions_around_targets(self._decisions)).proposal

    def confirm(self) -> None:
        try:
            plan = self.final_plan()
            self._saver()(plan)
        except (PlanReadError, ValueError) as exc:
            self._say(str(exc))
            return
        except Exception as exc:  # the ledger's refusals (StorageError…) carry a Chinese message
            log.warning("saving the reviewed plan failed", exc_info=True)
            self._say(f"保存失败：{exc}")
            return
        self.saved_plan = plan
        self._say("")
        self.accept()

    def _saver(self) -> Saver:
        if self._save is not None:
            return self._save
        if self._ledger is None:
            raise PlanReadError("没有打开的台账，无法保存方案。")
        from ..services.plan_import import save_plan, unit_roles  # loaded when a plan is saved

        ledger = self._ledger
        roles = unit_roles(self.reviewed_proposal())  # 牵头 as the person left it, not the first listed

        def save(plan: Plan) -> object:
            saved = save_plan(ledger, plan, roles=roles)  # type: ignore[arg-type]
            self.save_message = getattr(saved, "message", "")
            return saved

        return save

    def _plan_code(self) -> str:
        """The code given, else the one services.plan_import suggests for the ledger (plan-2020-26, never one
        taken), else one from the 文号."""
        if self._code:
            return self._code
        if self._ledger is not None and hasattr(self._ledger, "plans"):
            from ..services.plan_import import suggested_code

            taken = {p.code for p in self._ledger.plans()}
            return suggested_code(self.reviewed.shown, taken)
        return default_code(self.reviewed.shown)


def default_short_title(p: PlanProposal) -> str:
    title = p.title.strip()
    for tail in ("的实施方案", "实施方案", "的工作方案", "工作方案", "的方案"):
        if title.endswith(tail) and len(title) > len(tail) + 2:
            return title[: -len(tail)] + "方案"
    return title


def default_code(p: PlanProposal) -> str:
    """A code from the 文号 when no ledger is there to ask (长政办发〔2020〕26号 → plan-2020-26, as
    services.plan_import.suggested_code words it), else from the year and the title."""
    m = re.search(r"(\d{4})\D{1,3}(\d+)\s*号", p.doc_number or "")
    if m:
        return f"plan-{m[1]}-{m[2]}"
    year = next((d.year for d in (p.issued_on, p.effective_from) if d), None)
    digest = hashlib.sha256(p.title.encode()).hexdigest()[:6]
    return f"plan-{year or 'x'}-{digest}"
