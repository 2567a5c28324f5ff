"""Filters the plan tree by search words, status and the office's own responsible units."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from ..services.search import matches
from .plan_tree_model import CodeRole, KindRole, SearchTextRole, StatusRole, UnitsRole


class PlanFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self._query = ""
        self._status = ""
        self._units: frozenset[str] = frozenset()
        self._kept: str | None = None

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

    def keep(self, code: str | None) -> None:
        """A row (a measure or a part) that stays in sight whatever the filters say: the one whose typing could
        not be saved, or whose status the clerk's own entry just moved. None: the filters alone decide."""
        if code != self._kept:
            self._kept = code
            self._changed()

    def refresh(self) -> None:
        self._changed()

    def is_filtering(self) -> bool:
        return bool(self._query or self._status or self._units)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self._kept is not None and model.data(index, CodeRole) == self._kept:
            return True
        if model.data(index, KindRole) != "measure":
            return not self.is_filtering()  # parts show up through their matching measures
        if self._status and model.data(index, StatusRole) != self._status:
            return False
        if self._units and not self._units.intersection(model.data(index, UnitsRole) or ()):
            return False
        return not self._query or matches(self._query, model.data(index, SearchTextRole) or "")
