"""The plan tree (parts → measures) as a QAbstractItemModel, with status and completion per measure.

Nodes are plain Python objects that cache their row, as in Qt's editabletreemodel example; the model is fed a
plan and a progress report by the window and never queries anything itself.
"""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from ..domain.plan import Plan, part_heading
from ..domain.progress import NOT_APPLICABLE, NOT_INVOLVED, NOT_STARTED, UNDECOMPOSED, UNJUDGED, worst_status
from ..domain.quantities import format_percent
from .status_style import status_background, status_foreground

CodeRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
StatusRole = Qt.ItemDataRole.UserRole + 3
UnitsRole = Qt.ItemDataRole.UserRole + 4
SearchTextRole = Qt.ItemDataRole.UserRole + 5

COLUMNS = ("重点任务", "状态", "完成率")
ModelIndex = QModelIndex | QPersistentModelIndex


class Node:
    __slots__ = ("kind", "code", "label", "text", "units", "parent", "children", "row", "status", "completion")

    def __init__(self, kind: str, code: str, label: str, parent: Node | None, row: int,
                 text: str = "", units: tuple[str, ...] = ()) -> None:
        self.kind, self.code, self.label, self.text, self.units = kind, code, label, text, units
        self.parent, self.row = parent, row
        self.children: list[Node] = []
        self.status = ""
        self.completion: Decimal | None = None


def part_status(measure_statuses: list[str]) -> str:
    """A part's status from its measures': the worst of those under way; 未启动 when none is; when none can be
    judged (未分解, 不适用, 不涉及), the reason; "" before any status is known."""
    judged = [s for s in measure_statuses if s not in UNJUDGED]
    live = [s for s in judged if s != NOT_STARTED]
    if live:
        return worst_status(live)
    if judged:
        return NOT_STARTED
    return next((r for r in (UNDECOMPOSED, NOT_APPLICABLE, NOT_INVOLVED) if r in measure_statuses), "")


COMPLETION_TIP = ("平均完成率：各项指标完成率的平均，超过 100% 的按 100% 计，截至本月尚无填报数的按 0 计；"
                  "未分解、不适用、不涉及的指标不计入。")


class PlanTreeModel(QAbstractItemModel):
    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self._root = Node("root", "", "", None, 0)
        self._by_code: dict[str, Node] = {}

    # -- feeding ---------------------------------------------------------------------------------------
    def set_plan(self, plan: Plan) -> None:
        self.beginResetModel()
        self._root = Node("root", "", "", None, 0)
        self._by_code = {}
        for i, part in enumerate(plan.parts):
            p = Node("part", part.code, part_heading(part), self._root, i)
            self._root.children.append(p)
            self._by_code[part.code] = p
            for j, m in enumerate(part.measures):
                node = Node("measure", m.code, f"{m.code} {m.title}", p, j, text=m.text, units=m.units)
                p.children.append(node)
                self._by_code[m.code] = node
        self.endResetModel()

    def set_progress(self, statuses: dict[str, tuple[str, Decimal | None]],
                     part_completion: dict[str, Decimal | None]) -> None:
        """statuses: measure code → (status, average completion of its targets); part_completion: part code →
        the average over all the part's targets (as the workbook's 汇总 counts it, not an average of averages).
        Only rows whose status or completion moved are repainted: after one edit, one measure and its part."""
        for part in self._root.children:
            for m in part.children:
                new = statuses.get(m.code, ("", None))
                if (m.status, m.completion) != new:
                    m.status, m.completion = new
                    self._changed(m)
            new = (part_status([m.status for m in part.children if m.status]), part_completion.get(part.code))
            if (part.status, part.completion) != new:
                part.status, part.completion = new
                self._changed(part)

    def _changed(self, node: Node) -> None:
        parent = QModelIndex() if node.parent is self._root else self.createIndex(node.parent.row, 0, node.parent)
        self.dataChanged.emit(self.index(node.row, 0, parent), self.index(node.row, 2, parent))

    def index_for_code(self, code: str, column: int = 0) -> QModelIndex:
        node = self._by_code.get(code)
        return self.createIndex(node.row, column, node) if node else QModelIndex()

    # -- QAbstractItemModel ----------------------------------------------------------------------------
    def _node(self, index: ModelIndex) -> Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or (parent.isValid() and parent.column() != 0):
            return QModelIndex()
        node = self._node(parent)
        if 0 <= row < len(node.children):
            return self.createIndex(row, column, node.children[row])
        return QModelIndex()

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node: Node = index.internalPointer()
        p = node.parent
        if p is None or p is self._root:
            return QModelIndex()
        return self.createIndex(p.row, 0, p)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return self.tr(COLUMNS[section])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node: Node = index.internalPointer()
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return node.label
            if col == 1:
                return node.status
            return format_percent(node.completion) if node.completion is not None else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 2:
                return COMPLETION_TIP
            if node.kind == "measure":
                units = "、".join(node.units) or "（原文未列明）"
                return f"{node.label}\n责任单位：{units}"
            return node.label
        if role == Qt.ItemDataRole.BackgroundRole and col == 1 and node.status:
            return status_background(node.status)
        if role == Qt.ItemDataRole.ForegroundRole and col == 1 and node.status:
            return status_foreground(node.status)
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == CodeRole:
            return node.code
        if role == KindRole:
            return node.kind
        if role == StatusRole:
            return node.status
        if role == UnitsRole:
            return node.units
        if role == SearchTextRole:
            part = node.parent.label if node.parent is not None and node.kind == "measure" else ""
            return node.label + node.text + "".join(node.units) + part
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
