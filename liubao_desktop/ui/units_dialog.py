"""数据 → 下级填报单位…: the office's reporting units (added, renamed, retired and restored; codes shown, never
changed) and which of the office's targets each unit reports (a table: targets × units, a check box each).

Every change is written at once through the ledger (one transaction each); a refusal is shown on the band under
the tables in the ledger's own Chinese words and the table goes back to what is stored.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.orgs import Org
from ..services.ledger import Ledger, StorageError
from . import look

UNIT_CODE, UNIT_NAME, UNIT_STATE = range(3)
ACTIVE_TEXT, RETIRED_TEXT = "在用", "已停用"
RETIRED_GREY = QColor("#808080")


class UnitsDialog(QDialog):
    def __init__(self, ledger: Ledger, office: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unitsDialog")
        self.ledger = ledger
        chosen = ledger.org(office)
        self.office = ledger.org(chosen.parent or "") if chosen.is_unit else chosen  # a unit shown: its office
        self.changed = False  # whether anything was saved (the window may want to refresh)
        self.setWindowTitle(self.tr("下级填报单位 — {0}").format(self.office.name))
        self.resize(1100, 680)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "在这里添加向本单位报数的下级单位（区人社局、街道等），并勾选每个单位要填报的指标；"
            "填报模板按这里的勾选生成。单位编号不变，改名、停用都不影响已填的数据；停用的单位不再填报，可随时恢复。"
            "双击单位名称可改名。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        add_row = QHBoxLayout()
        self.new_name = QLineEdit()
        self.new_name.setObjectName("newUnitName")
        self.new_name.setPlaceholderText(self.tr("新单位名称，如 区人社局"))
        self.new_name.returnPressed.connect(self.add_unit)
        self.add_button = QPushButton(self.tr("添加"))
        self.add_button.setObjectName("addUnit")
        self.add_button.clicked.connect(self.add_unit)
        add_row.addWidget(self.new_name, 1)
        add_row.addWidget(self.add_button)
        left_layout.addLayout(add_row)
        self.units = QTableWidget(0, 3)
        self.units.setObjectName("unitsTable")
        self.units.setHorizontalHeaderLabels([self.tr("编号"), self.tr("单位名称"), self.tr("状态")])
        self.units.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.units.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.units.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.units.verticalHeader().hide()
        self.units.horizontalHeader().setSectionResizeMode(UNIT_NAME, QHeaderView.ResizeMode.Stretch)
        self.units.itemChanged.connect(self._unit_item_changed)
        self.units.itemSelectionChanged.connect(self._update_buttons)
        left_layout.addWidget(self.units, 1)
        self.retire_button = QPushButton(self.tr("停用"))
        self.retire_button.setObjectName("retireUnit")
        self.retire_button.clicked.connect(self.toggle_retired)
        left_layout.addWidget(self.retire_button)
        splitter.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel(self.tr("各单位填报的指标（只列本单位涉及的指标；停用的单位不列）：")))
        self.grid = QTableWidget(0, 0)
        self.grid.setObjectName("assignmentTable")
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.verticalHeader().hide()  # the target's code starts each row
        self.grid.itemChanged.connect(self._grid_item_changed)
        right_layout.addWidget(self.grid, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([380, 720])  # names such as 定王台街道 in full beside the code and state
        layout.addWidget(splitter, 1)

        self.message = look.NoticeLabel()
        self.message.setObjectName("unitsMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        involved = ledger.involvement(self.office.code)
        self.targets = [t for t in ledger.plan.targets() if involved.get(t.code)]
        self._filling = False
        self.refresh()

    # -- reading ---------------------------------------------------------------------------------------------
    def all_units(self) -> list[Org]:
        # Only reporting units: under the city's own ledger the children are offices, not units.
        return [u for u in self.ledger.children(self.office.code, retired=True) if u.is_unit]

    def active_units(self) -> list[Org]:
        return [u for u in self.all_units() if not u.retired]

    def selected_unit(self) -> Org | None:
        rows = self.units.selectionModel().selectedRows()
        if not rows:
            return None
        code = self.units.item(rows[0].row(), UNIT_CODE).text()
        return self.ledger.org(code)

    def refresh(self, select: str | None = None) -> None:
        self._filling = True
        try:
            self._fill_units(select)
            self._fill_grid()
        finally:
            self._filling = False
        self._update_buttons()

    def _fill_units(self, select: str | None) -> None:
        current = select or (self.selected_unit().code if self.selected_unit() else None)
        units = self.all_units()
        self.units.setRowCount(len(units))
        for row, unit in enumerate(units):
            code = QTableWidgetItem(unit.code)
            code.setFlags(code.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name = QTableWidgetItem(unit.name)
            name.setData(Qt.ItemDataRole.UserRole, unit.name)  # the stored name, to go back to
            state = QTableWidgetItem(RETIRED_TEXT if unit.retired else ACTIVE_TEXT)
            state.setFlags(state.flags() & ~Qt.ItemFlag.ItemIsEditable)
            for col, item in enumerate((code, name, state)):
                if unit.retired:
                    item.setForeground(RETIRED_GREY)
                self.units.setItem(row, col, item)
            if unit.code == current:
                self.units.selectRow(row)
        self.units.resizeColumnToContents(UNIT_CODE)

    def _fill_grid(self) -> None:
        units = self.active_units()
        given = self.ledger.assignments(self.office.code)
        self.grid.clear()
        self.grid.setColumnCount(1 + len(units))
        self.grid.setRowCount(len(self.targets))
        self.grid.setHorizontalHeaderLabels([self.tr("指标"), *[u.name for u in units]])
        for c, unit in enumerate(units, 1):
            self.grid.horizontalHeaderItem(c).setData(Qt.ItemDataRole.UserRole, unit.code)
        for r, t in enumerate(self.targets):
            label = QTableWidgetItem(f"{t.code} {t.label}")
            label.setData(Qt.ItemDataRole.UserRole, t.code)
            label.setToolTip(t.source)
            self.grid.setItem(r, 0, label)
            for c, unit in enumerate(units, 1):
                box = QTableWidgetItem()
                box.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                checked = unit.code in given.get(t.code, set())
                box.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                box.setData(Qt.ItemDataRole.UserRole, (unit.code, t.code))
                box.setToolTip(f"{unit.name} 填报 {t.code} {t.label}")
                self.grid.setItem(r, c, box)
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, 1 + len(units)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)

    def _update_buttons(self) -> None:
        unit = self.selected_unit() if self.units.rowCount() else None
        self.retire_button.setEnabled(unit is not None)
        self.retire_button.setText(self.tr("恢复") if unit is not None and unit.retired else self.tr("停用"))

    # -- writing -------------------------------------------------------------------------------------------------
    def _write(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except (ValueError, KeyError, StorageError) as exc:
            text = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            self.message.setText(str(text))
            self.message.show()
            return False
        self.message.hide()
        self.changed = True
        return True

    def add_unit(self) -> None:
        name = self.new_name.text()
        added: list[Org] = []
        if self._write(lambda: added.append(self.ledger.add_unit(self.office.code, name))):
            self.new_name.clear()
            self.refresh(select=added[0].code)

    def rename_unit(self, code: str, name: str) -> bool:
        ok = self._write(lambda: self.ledger.rename_org(code, name))
        self.refresh(select=code)  # the stored name either way
        return ok

    def toggle_retired(self) -> None:
        unit = self.selected_unit()
        if unit is None:
            return
        self._write(lambda: self.ledger.retire_unit(unit.code, not unit.retired))
        self.refresh(select=unit.code)

    def set_assigned(self, unit_code: str, target_code: str, assigned: bool) -> bool:
        ok = self._write(lambda: self.ledger.assign(unit_code, target_code, assigned))
        if not ok:
            self.refresh()
        return ok

    def _unit_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != UNIT_NAME:
            return
        if item.text() == item.data(Qt.ItemDataRole.UserRole):
            return
        code = self.units.item(item.row(), UNIT_CODE).text()
        self.rename_unit(code, item.text())

    def _grid_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() == 0:
            return
        unit_code, target_code = item.data(Qt.ItemDataRole.UserRole)
        self.set_assigned(unit_code, target_code, item.checkState() == Qt.CheckState.Checked)
