"""数据 → 修改记录 (every change, filtered by month, office, target, source, operator and PC) and a cell's 历史记录.

Fed by ``services.audit``; the table model only holds the entries it was given. Both list the newest change
first; a cell's history also shows the changes of the target's 分解目标 (which belong to no month).
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain.periods import Period
from ..services.audit import (
    DEFAULT_LIMIT,
    SOURCE_LABELS,
    AuditEntry,
    AuditFilter,
    count_changes,
    operators,
    query_changes,
    workstations,
)
from ..services.ledger import Ledger
from . import look
from .row_list_model import RowListModel

ModelIndex = QModelIndex | QPersistentModelIndex
COLUMNS = ("时间", "操作人", "电脑", "来源", "填报单位", "报告期", "指标 / 措施", "项目", "原值", "新值", "说明")
LABEL, OLD, NEW = (COLUMNS.index(name) for name in ("指标 / 措施", "原值", "新值"))
SHORT = 40  # characters of a narrative shown in a cell; the tooltip has all of it
EMPTY = "（空）"  # a blank value: nothing recorded before, or cleared
# widest a column may start (pixels); 说明 takes the rest. 指标 / 措施, 原值 and 新值 give way first.
CAPS = {LABEL: 260, OLD: 170, NEW: 170}
NOTE_MIN = 300


def _short(text: str) -> str:
    one_line = text.replace("\n", " ")
    return one_line if len(one_line) <= SHORT else one_line[:SHORT] + "…"


class AuditTableModel(RowListModel[AuditEntry]):
    columns = COLUMNS

    def _values(self, e: AuditEntry) -> tuple[str, ...]:
        return (e.at_label, e.operator, e.workstation, e.source_label, e.org_name, e.period_label, e.label, e.field,
                e.old or EMPTY, e.new or EMPTY, e.note)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        entry = self.row_at(index)
        if entry is None:
            return None
        value = self._values(entry)[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _short(value) if index.column() in (OLD, NEW) else value
        if role == Qt.ItemDataRole.ToolTipRole:
            return value if value else None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (OLD, NEW):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) if value[:1].isdigit() else None
        return None


class AuditDialog(QDialog):
    def __init__(self, parent: QWidget | None, ledger: Ledger, org_code: str, period: Period | None = None,
                 target_code: str | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.cell_mode = target_code is not None
        self.resize(1200, 640)
        layout = QVBoxLayout(self)
        if self.cell_mode:
            what = self._target_label(target_code or "")
            when = period.label if period else self.tr("全部月份")
            self.setWindowTitle(self.tr("历史记录 — {org} {when} {what}").format(
                org=ledger.org(org_code).name, when=when, what=what))
        else:
            self.setWindowTitle(self.tr("修改记录"))
        filters = QHBoxLayout()
        self.org_box = QComboBox()
        self.org_box.addItem(self.tr("全部单位"), None)
        for o in ledger.orgs():
            self.org_box.addItem(o.name, o.code)
        self.period_box = QComboBox()
        self.period_box.addItem(self.tr("全部月份"), None)
        for p in ledger.periods:
            self.period_box.addItem(p.label, str(p))
        self.target_box = QComboBox()
        self.target_box.addItem(self.tr("全部指标和措施"), None)
        for m in ledger.plan.measures():
            self.target_box.addItem(self.tr("{code} {title} 工作进展").format(code=m.code, title=m.title), m.code)
            for t in m.targets:
                self.target_box.addItem(f"    {t.code} {t.label}", t.code)
        self.source_box = QComboBox()
        self.source_box.addItem(self.tr("全部来源"), None)
        for key, label in SOURCE_LABELS.items():
            self.source_box.addItem(label, key)
        # who and on which PC (several PCs write to one ledger on a server): the names the trail holds
        self.operator_box = QComboBox()
        self.operator_box.addItem(self.tr("全部操作人"), None)
        for name in operators(ledger):
            self.operator_box.addItem(name, name)
        self.pc_box = QComboBox()
        self.pc_box.addItem(self.tr("全部电脑"), None)
        for name in workstations(ledger):
            self.pc_box.addItem(name, name)
        for label, box in ((self.tr("填报单位"), self.org_box), (self.tr("报告期"), self.period_box),
                           (self.tr("指标"), self.target_box), (self.tr("来源"), self.source_box),
                           (self.tr("操作人"), self.operator_box), (self.tr("电脑"), self.pc_box)):
            filters.addWidget(QLabel(label))
            filters.addWidget(box, 1 if box is self.target_box else 0)
        layout.addLayout(filters)
        self._select(self.org_box, org_code)
        self._select(self.period_box, str(period) if period else None)
        self._select(self.target_box, target_code)
        self.model = AuditTableModel(self)
        self.table = QTableView()
        look.grid(self.table)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for box in (self.org_box, self.period_box, self.target_box, self.source_box, self.operator_box, self.pc_box):
            box.currentIndexChanged.connect(self.reload)
        self.reload()
        self.fit_columns()

    def _target_label(self, code: str) -> str:
        if code in self.ledger.target_ids:
            return self.ledger.target(code).label
        try:
            return self.tr("{title} 工作进展").format(title=self.ledger.plan.measure(code).title)
        except KeyError:
            return code

    @staticmethod
    def _select(box: QComboBox, value: object) -> None:
        i = box.findData(value)
        box.setCurrentIndex(max(i, 0))

    def current_filter(self) -> AuditFilter:
        period = self.period_box.currentData()
        return AuditFilter(
            org=self.org_box.currentData(),
            period=Period.parse(period) if period else None,
            target=self.target_box.currentData(),
            source=self.source_box.currentData(),
            operator=self.operator_box.currentData(),
            workstation=self.pc_box.currentData(),
        )

    def fit_columns(self) -> None:
        """Every column as wide as its contents, within CAPS, so that 新值 and 说明 are in view at the
        dialog's size: 说明 (the last, stretched) keeps at least NOTE_MIN pixels."""
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        for col, cap in CAPS.items():
            header.resizeSection(col, min(header.sectionSize(col), cap))
        room = self.width() - 60 - NOTE_MIN  # margins, frame and a vertical scroll bar
        used = sum(header.sectionSize(c) for c in range(len(COLUMNS) - 1))
        for col in (LABEL, OLD, NEW):
            if used <= room:
                break
            shrink = min(used - room, header.sectionSize(col) - 90)
            if shrink > 0:
                header.resizeSection(col, header.sectionSize(col) - shrink)
                used -= shrink

    def reload(self, *_args: object) -> None:
        f = self.current_filter()
        if self.cell_mode:
            f = replace(f, local_target_too=True)
        entries = query_changes(self.ledger, f)
        self.model.set_rows(entries)
        total = count_changes(self.ledger, f) if len(entries) >= DEFAULT_LIMIT else len(entries)
        if total == 0:
            self.count_label.setText(self.tr("没有符合条件的修改记录。"))
        elif total > len(entries):
            self.count_label.setText(self.tr("共 {total} 条，显示最近 {n} 条。").format(total=total, n=len(entries)))
        else:
            self.count_label.setText(self.tr("共 {total} 条。").format(total=total))


def run_audit_dialog(parent: QWidget | None, ledger: Ledger, org_code: str, period: Period | None = None,
                     target_code: str | None = None) -> None:
    """数据 → 修改记录 (no target) or a cell's 历史记录 (org, month and target or measure code)."""
    AuditDialog(parent, ledger, org_code, period, target_code).exec()
