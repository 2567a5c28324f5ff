"""The plan tree (parts → measures) as a QStandardItemModel, with status and completion per measure.

The items hold every value the tree shows, so the view, the filter proxy and the first paint read them in C++:
a Python model answered some 3,000 index/data/parent/flags calls before the window's first paint. The model is
fed a plan and a progress report by the window and never queries anything itself.
"""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

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
# Read-only rows, as the tree always had (a QStandardItem is editable and draggable unless told otherwise).
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_DISPLAY, _TOOLTIP, _ALIGN = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole
_BACKGROUND, _FOREGROUND = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


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


class _Row:
    """One part or measure: its three items and the status and completion they show."""

    __slots__ = ("code", "items", "status", "completion")

    def __init__(self, code: str, items: list[QStandardItem]) -> None:
        self.code, self.items = code, items
        self.status = ""
        self.completion: Decimal | None = None


class PlanTreeModel(QStandardItemModel):
    def __init__(self, parent: object = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self._rows: dict[str, _Row] = {}
        self._parts: list[tuple[_Row, list[_Row]]] = []

    # -- feeding ---------------------------------------------------------------------------------------
    def set_plan(self, plan: Plan) -> None:
        self.beginResetModel()
        self.blockSignals(True)  # one reset for the whole tree, not a signal per row appended
        try:
            self.removeRows(0, self.rowCount())
            self._rows, self._parts = {}, []
            for part in plan.parts:
                heading = part_heading(part)
                p = self._row("part", part.code, heading, heading, ())
                children = []
                for m in part.measures:
                    label = f"{m.code} {m.title}"
                    tip = f"{label}\n责任单位：{'、'.join(m.units) or '（原文未列明）'}"
                    child = self._row("measure", m.code, label, tip, m.units, search=label + m.text + "".join(
                        m.units) + heading)
                    p.items[0].appendRow(child.items)
                    children.append(child)
                self.appendRow(p.items)
                self._parts.append((p, children))
        finally:
            self.blockSignals(False)
        self.endResetModel()

    def _row(self, kind: str, code: str, label: str, tip: str, units: tuple[str, ...], *,
             search: str | None = None) -> _Row:
        items = [QStandardItem(label), QStandardItem(""), QStandardItem("")]
        first = items[0]
        first.setData(tip, _TOOLTIP)
        first.setData(code, CodeRole)
        first.setData(kind, KindRole)
        first.setData("", StatusRole)
        first.setData(units, UnitsRole)
        first.setData(label if search is None else search, SearchTextRole)
        items[1].setData(tip, _TOOLTIP)
        items[2].setData(COMPLETION_TIP, _TOOLTIP)
        for item in items:
            item.setFlags(ROW_FLAGS)
        for item in items[1:]:
            item.setData(_CENTRE, _ALIGN)
        row = _Row(code, items)
        self._rows[code] = row
        return row

    def set_progress(self, statuses: dict[str, tuple[str, Decimal | None]],
                     part_completion: dict[str, Decimal | None]) -> None:
        """statuses: measure code → (status, average completion of its targets); part_completion: part code →
        the average over all the part's targets (as the workbook's 汇总 counts it, not an average of averages).
        Only rows whose status or completion moved are repainted: after one edit, one measure and its part."""
        for part, measures in self._parts:
            for m in measures:
                new = statuses.get(m.code, ("", None))
                if (m.status, m.completion) != new:
                    self._show(m, *new)
            new = (part_status([m.status for m in measures if m.status]), part_completion.get(part.code))
            if (part.status, part.completion) != new:
                self._show(part, *new)

    def _show(self, row: _Row, status: str, completion: Decimal | None) -> None:
        row.status, row.completion = status, completion
        first, state, rate = row.items
        # The items' own signals (one per value set) are held back for one dataChanged over the row, so the proxy
        # filters the row once and the view repaints it once.
        self.blockSignals(True)
        try:
            first.setData(status, StatusRole)
            state.setData(status, _DISPLAY)
            state.setData(status_background(status) if status else None, _BACKGROUND)
            state.setData(status_foreground(status) if status else None, _FOREGROUND)
            rate.setData(format_percent(completion) if completion is not None else "", _DISPLAY)
        finally:
            self.blockSignals(False)
        self.dataChanged.emit(first.index(), rate.index())

    def index_for_code(self, code: str, column: int = 0) -> QModelIndex:
        row = self._rows.get(code)
        return row.items[column].index() if row and 0 <= column < len(COLUMNS) else QModelIndex()
