"""数据 → 分解目标…: every target of the plan for the office in one table, its 分解目标 typed or pasted as a column
copied from the city's decomposition sheet.

The table is the window's targets table with only 分解目标 open to typing; a cell is saved through the window's
edit session like any other (one undo command), a pasted column as one ``PasteEdit`` — checked whole first, then
saved in one transaction, undone with one Ctrl+Z.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.figures import FigureInputError
from ..domain.plan import REACH_ABSOLUTE
from ..domain.progress import UNDECOMPOSED
from ..services.ledger import Ledger
from ..services.progress_report import ProgressReport, TargetLine
from . import look
from .edit_session import EditSession
from .edits import CellField
from .targets_model import (
    COL_LABEL,
    COL_LOCAL,
    COL_NOTE,
    COL_PACE,
    COL_PERIOD,
    COL_TOTAL,
    TargetsTableModel,
)
from .targets_view import TargetsView

HIDDEN_COLUMNS = (COL_PERIOD, COL_TOTAL, COL_PACE, COL_NOTE)


class LocalTargetsDialog(QDialog):
    def __init__(self, ledger: Ledger, edits: EditSession, report: Callable[[], ProgressReport],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("localTargetsDialog")
        self.ledger, self.edits, self._report = ledger, edits, report
        self.resize(1000, 680)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "分解目标按各指标的计量单位填写。可从市里的分解表中复制一列数字，选中第一行的“分解目标”格后按 Ctrl+V "
            "粘贴：全部检查无误才保存，按 Ctrl+Z 一次撤销。清空即为不设分解目标：全市总量显示为“未分解”"
            "（不计算完成率，不显示颜色），比例类指标按市级目标计算。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        options = QHBoxLayout()
        self.only_amounts = QCheckBox(self.tr("只列出全市总量指标（需要分解的）"))
        self.only_amounts.setObjectName("onlyAmounts")
        self.only_amounts.toggled.connect(self.refresh)
        options.addWidget(self.only_amounts)
        options.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("undecomposedCount")
        options.addWidget(self.count_label)
        layout.addLayout(options)

        self.model = TargetsTableModel(self, editable={COL_LOCAL: CellField.LOCAL_TARGET})
        self.view = TargetsView()
        self.view.setObjectName("localTargetsTable")
        self.view.setModel(self.model)
        for col in HIDDEN_COLUMNS:
            self.view.setColumnHidden(col, True)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)  # the last column (备注) is hidden: the targets' names take the room
        header.setSectionResizeMode(COL_LABEL, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        layout.addWidget(self.view, 1)
        self.error = look.NoticeLabel()
        self.error.setObjectName("inputError")
        self.error.setWordWrap(True)
        self.error.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.error.hide()
        layout.addWidget(self.error)

        bottom = QHBoxLayout()
        self.undo_action = edits.undo_stack.createUndoAction(self, self.tr("撤销"))
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = edits.undo_stack.createRedoAction(self, self.tr("重做"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            bottom.addWidget(button)
        bottom.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        self.model.edit_handler = edits.edit_cell
        self.model.inputRejected.connect(self._show_error)
        self.view.pasteRequested.connect(self._paste)
        self.view.pasteRefused.connect(self._show_error)
        self.view.editingStarted.connect(self.error.hide)
        self.view.involvementRequested.connect(edits.set_involved)
        self.view.historyRequested.connect(self._history)
        edits.applied.connect(self._applied)
        edits.refused.connect(self._show_error)
        self.refresh()

    def lines(self) -> list[TargetLine]:
        lines = list(self._report().targets.values())
        if self.only_amounts.isChecked():
            lines = [ln for ln in lines if ln.target.reach == REACH_ABSOLUTE]
        return lines

    def refresh(self) -> None:
        report = self._report()
        self.setWindowTitle(self.tr("分解目标 — {}（状态按{}计算）").format(report.org.name, report.period.label))
        self.model.set_lines(self.ledger, self.lines(), show_codes=True)
        left = sum(1 for ln in report.targets.values() if ln.progress.status == UNDECOMPOSED)
        self.count_label.setText(self.tr("尚有 {} 项未分解").format(left) if left else self.tr("全市总量指标均已设分解目标"))

    def _applied(self, _batch: object) -> None:
        self.error.hide()
        self.refresh()

    def _show_error(self, message: str) -> None:
        self.error.setText(self.tr("未保存：{}").format(message[:300] + ("…" if len(message) > 300 else "")))
        self.error.show()

    def _paste(self, start: QModelIndex, rows: list[list[str]]) -> None:
        """A column from the city's sheet: every value checked first, then all saved in one transaction."""
        try:
            cells = self.model.parse_block(start, rows)
        except FigureInputError as exc:
            self._show_error(str(exc))
            return
        if cells:
            self.edits.paste(cells)

    def _history(self, target_code: str) -> None:
        from .audit_dialog import run_audit_dialog

        report = self._report()
        run_audit_dialog(self, self.ledger, report.org.code, report.period, target_code)

    def done(self, result: int) -> None:
        # The window's edit session outlives the dialog: it stops telling a closed dialog about edits.
        self.edits.applied.disconnect(self._applied)
        self.edits.refused.disconnect(self._show_error)
        super().done(result)


def open_local_targets(parent: QWidget, ledger: Ledger, edits: EditSession,
                       report: Callable[[], ProgressReport]) -> LocalTargetsDialog:
    """The dialog, window-modal and not blocking; deleted when closed."""
    dialog = LocalTargetsDialog(ledger, edits, report, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
