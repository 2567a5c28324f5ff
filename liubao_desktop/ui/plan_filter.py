"""Filters the plan tree by search words, status and the office's own responsible units."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from ..services.search import matches
from .plan_tree_model import KindRole, SearchTextRole, StatusRole, UnitsRole


class PlanFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self._query = ""
        self._status = ""
        self._units: frozenset[str] = frozenset()

    def _changed(self) -> None:
        # Qt 6.9 replaced invalidateRowsFilter() with begin/endFilterChange(); support both.
        if hasattr(self, "endFilterChange"):
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def set_query(self, text: str) -> None:
        if text.strip() != self._query:
            self._query = text.strip()
            self._changed()

    def set_status(self, status: str) -> None:
        if status != self._status:
            self._status = status
            self._changed()

    def set_units(self, units: frozenset[str]) -> None:
        """Only measures with at least one of these responsible units; empty means all."""
        if units != self._units:
            self._units = units
            self._changed()

    def refresh(self) -> None:
        self._changed()

    def is_filtering(self) -> bool:
        return bool(self._query or self._status or self._units)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if model.data(index, KindRole) != "measure":
            return not self.is_filtering()  # parts show up through their matching measures
        if self._status and model.data(index, StatusRole) != self._status:
            return False
        if self._units and not self._units.intersection(model.data(index, UnitsRole) or ()):
            return False
        return not self._query or matches(self._query, model.data(index, SearchTextRole) or "")
