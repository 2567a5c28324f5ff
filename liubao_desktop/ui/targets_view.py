"""A spreadsheet-like table: type to start editing, Enter saves and moves down, Tab moves to the next cell the
clerk can type in, Esc cancels, Delete clears, Ctrl+C / Ctrl+V copy and paste like a spreadsheet.

A value the ledger refuses keeps its editor open with the text selected, as a spreadsheet does, instead of
throwing the typing away.
"""
from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFocusEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ..domain.figures import MAX_FIGURE_TEXT
from ..domain.words import NOT_APPLICABLE_TEXT
from ..services.ledger import NOTE_LIMIT
from .targets_model import (
    COL_CITY,
    COL_LABEL,
    COL_NOTE,
    COL_PACE,
    COL_PERIOD,
    COL_UNIT,
    ChoicesRole,
    InvolvedRole,
)

# A clipboard this big is no block of figures for a 39-row table: refused before it is split into cells.
MAX_PASTE_CHARS = 1_000_000  # about 1 MB
MAX_PASTE_ROWS = 10_000
LABEL_WIDTH, LABEL_MIN = 230, 96  # 指标: its names wrap onto more lines as it narrows
LABEL_KEEP = 150  # 指标 keeps this much before 快慢 is narrowed below PACE_WIDTH
PACE_WIDTH = 96  # 快慢 in words wraps
NARROW_CAPS = {COL_CITY: 66, COL_UNIT: 44}
NOTE_MIN = 56  # 备注 keeps room for a few characters; the whole note is in the cell's tooltip

SUBMIT_KEYS = {
    Qt.Key.Key_Return: "down",
    Qt.Key.Key_Enter: "down",
    Qt.Key.Key_Tab: "next",
    Qt.Key.Key_Backtab: "previous",
}


BLANK_CHOICE = "（清空）"  # the drop-down's item for "" (not reported): an empty line would look like a glitch


class ChoiceEditor(QComboBox):
    """A drop-down of the few words a cell takes (a 定性 target's states), which also takes them typed: "完成"
    typed is read by the ledger as 已完成, as it is in a plain cell."""

    def __init__(self, parent: QWidget, choices: list[str]) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setFrame(False)
        self.addItems([c or BLANK_CHOICE for c in choices])
        self.lineEdit().setMaxLength(MAX_FIGURE_TEXT)

    def text(self) -> str:
        typed = self.currentText().strip()
        return "" if typed == BLANK_CHOICE else typed

    def set_text(self, text: str) -> None:
        found = self.findText(text or BLANK_CHOICE)
        if found >= 0:
            self.setCurrentIndex(found)
        self.setEditText(text)
        self.lineEdit().selectAll()


Editor = QLineEdit | ChoiceEditor


class EntryDelegate(QStyledItemDelegate):
    submitted = Signal(str)  # "down", "next", "previous" or "stay": where the cursor goes after a saved entry
    editingStarted = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._indexes: dict[Editor, QPersistentModelIndex] = {}
        self._submitting = False

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        choices = index.data(ChoicesRole)
        if choices:
            combo = ChoiceEditor(parent, choices)
            # A choice picked from the list is the entry: saved at once, as Enter would save typing.
            combo.activated.connect(lambda _i, e=combo: self._submit(e, "down"))
            return self._track(combo, index)
        editor = QLineEdit(parent)
        editor.setFrame(False)
        # The typing stops where the ledger's limit is, instead of a 10,000-character entry reaching the ledger.
        editor.setMaxLength(NOTE_LIMIT if index.column() == COL_NOTE else MAX_FIGURE_TEXT)
        if index.column() != COL_NOTE:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self._track(editor, index)

    def _track(self, editor: Editor, index: QModelIndex) -> Editor:
        self._indexes[editor] = QPersistentModelIndex(index)
        self.editingStarted.emit()
        editor.destroyed.connect(lambda _obj=None, e=editor: self._indexes.pop(e, None))
        model = index.model()
        if hasattr(model, "start_editing"):  # what the cell shows now is what the save expects to replace
            model.start_editing(index)
        return editor

    def destroyEditor(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        model = index.model()
        if hasattr(model, "stop_editing"):
            model.stop_editing(index)
        super().destroyEditor(editor, index)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().updateEditorGeometry(editor, option, index)
        if isinstance(editor, ChoiceEditor):
            # The drop-down's arrow must not cover the state it shows (a narrow 本期完成 column clips 推进中).
            editor.resize(max(editor.width(), editor.sizeHint().width()), editor.height())

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, ChoiceEditor):
            editor.set_text(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex) -> None:
        if isinstance(editor, ChoiceEditor):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self._submitting and event.type() == QEvent.Type.FocusOut:
            # A confirmation dialog took the focus while this entry is being saved: Qt would otherwise commit the
            # editor a second time on focus loss (and ask the same question twice).
            return True
        if (event.type() == QEvent.Type.KeyPress and isinstance(obj, (QLineEdit, ChoiceEditor))
                and isinstance(event, QKeyEvent) and event.key() in SUBMIT_KEYS and obj in self._indexes):
            self._submit(obj, SUBMIT_KEYS[Qt.Key(event.key())])
            return True
        return super().eventFilter(obj, event)

    def commit_open(self) -> bool:
        """The open editor's typing saved and the editor closed before the table changes under it; False when
        it was refused (the editor stays open with its text, and the refusal is shown)."""
        return all(self._submit(editor, "stay") for editor in list(self._indexes) if editor.isVisible())

    def _submit(self, editor: Editor, where: str) -> bool:
        """Save the editor's text; closed and moved on when saved, kept open with the text selected when not.
        False when it was not saved."""
        if editor not in self._indexes or self._submitting:
            return False
        index = self._indexes[editor]
        self._submitting = True
        try:
            saved = index.model().setData(QModelIndex(index), editor.text(), Qt.ItemDataRole.EditRole)
        finally:
            self._submitting = False
        if editor not in self._indexes:
            return bool(saved)  # the editor went away meanwhile (the table was rebuilt)
        if not saved:
            editor.setFocus()
            # refused or declined: keep the typing so it can be corrected
            (editor.lineEdit() if isinstance(editor, ChoiceEditor) else editor).selectAll()
            return False
        # Forgotten before it closes: hiding a drop-down whose text was typed makes it emit activated, which must
        # not save (and close) it a second time.
        self._indexes.pop(editor, None)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self.submitted.emit(where)
        return True


class TargetsView(QTableView):
    historyRequested = Signal(str)  # target code
    involvementRequested = Signal(str, bool)  # target code, whether the office answers for it from now on
    offers_involvement = True  # the right-click menu offers 设为不涉及 / 设为涉及本单位
    editingStarted = Signal()
    pasteRequested = Signal(object, list)  # first index, rows of cells from the clipboard
    pasteRefused = Signal(str)  # why a clipboard was not pasted at all

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.verticalHeader().setVisible(False)
        # Long target names wrap onto a second line instead of being cut off.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._delegate = EntryDelegate(self)
        self._delegate.submitted.connect(self._after_submit)
        self._delegate.editingStarted.connect(self.editingStarted)
        self.setItemDelegate(self._delegate)
        self._refit_pending = False
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)

    def setModel(self, model) -> None:  # noqa: ANN001
        super().setModel(model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(NOTE_MIN // 2)
        # A header wraps onto two lines ("市级/目标") when its column is narrowed to its figures.
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        for signal in (model.modelReset, model.dataChanged, model.layoutChanged):
            signal.connect(self._refit_soon)
        self.fit_columns()

    # -- every column in sight -------------------------------------------------------------------------
    def _refit_soon(self, *_args: object) -> None:
        if not self._refit_pending:
            self._refit_pending = True
            QTimer.singleShot(0, self.fit_columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit_soon()

    def fit_columns(self) -> None:
        """Every column inside the table's width, so 快慢, 状态 and 备注 never hide behind a scroll bar: each
        figure column as wide as its figures and its header (on two lines when room is short), 指标 taking what
        is left down to LABEL_MIN (its names wrap), 备注 the rest. Only a table narrower than all the minimums
        scrolls sideways."""
        self._refit_pending = False
        model = self.model()
        if model is None:
            return
        header = self.horizontalHeader()
        font = QFont(header.font())
        font.setBold(True)  # the headers are bold (look.grid)
        metrics = QFontMetrics(font)
        pad = 10
        wide: dict[int, int] = {}
        narrow: dict[int, int] = {}
        for col in range(model.columnCount()):
            if col in (COL_LABEL, COL_NOTE):
                continue
            text = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
            content = self.sizeHintForColumn(col)
            wide[col] = max(content, metrics.horizontalAdvance(text) + pad)
            narrow[col] = max(content, metrics.horizontalAdvance(text[:(len(text) + 1) // 2]) + pad)
        # 快慢 in words ("慢于序时 17.5 个百分点") wraps onto a second line rather than pushing 备注 out of sight;
        # on a small screen the city's amount ("10,371万元") and the unit wrap too.
        wide[COL_PACE], narrow[COL_PACE] = PACE_WIDTH, PACE_WIDTH * 2 // 3
        for col, cap in NARROW_CAPS.items():
            narrow[col] = max(min(narrow[col], cap), metrics.horizontalAdvance("计量") + pad)
        # The room with a vertical scroll bar, whether it is there yet or not (it appears after the rows are laid
        # out, and the view gets no resize event when it does).
        bar = self.verticalScrollBar()
        room = self.contentsRect().width() - max(bar.sizeHint().width(), bar.width() if bar.isVisible() else 0)
        widths = wide if sum(wide.values()) + LABEL_WIDTH + NOTE_MIN <= room else narrow
        if widths is narrow and room - sum(narrow.values()) - NOTE_MIN - (PACE_WIDTH - narrow[COL_PACE]) >= LABEL_KEEP:
            # 快慢 on two lines rather than three while 指标 keeps room for its names: one line less per row,
            # and a third row in sight on a 600-pixel screen.
            narrow[COL_PACE] = PACE_WIDTH
        for col, width in widths.items():
            header.resizeSection(col, width)
        header.resizeSection(COL_LABEL, max(LABEL_MIN, min(LABEL_WIDTH, room - sum(widths.values()) - NOTE_MIN)))
        if header.length() > room:  # below every minimum: 指标 gives way before a scroll bar hides a column
            header.resizeSection(COL_LABEL, max(LABEL_MIN // 2, header.sectionSize(COL_LABEL) - header.length() + room))
        header.resizeSection(COL_NOTE, NOTE_MIN)  # then stretched over what is left (a stretched section never
        # shrinks below the size it had)
        lines = max(metrics.boundingRect(0, 0, max(1, header.sectionSize(col) - pad), 1000,
                                         int(Qt.TextFlag.TextWordWrap), str(model.headerData(
                                             col, Qt.Orientation.Horizontal) or "")).height()
                    for col in range(model.columnCount()))
        header.setMinimumHeight(lines + 8)

    # -- moving ----------------------------------------------------------------------------------------
    def focusInEvent(self, event: QFocusEvent) -> None:
        """Tabbed or clicked into from outside: the current cell is one the clerk can type in (本期完成 of the
        current row, or the first such cell), so the figures typed next land in a cell and not on a name."""
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.MouseFocusReason, Qt.FocusReason.PopupFocusReason):
            return  # the click (or the right-click menu) chooses the cell
        model, index = self.model(), self.currentIndex()
        if model is None or self._editable(index) or self.state() == QAbstractItemView.State.EditingState:
            return
        start = model.index(index.row(), 0) if index.isValid() else model.index(0, 0)
        target = start if self._editable(start) else self.neighbour(start, 1)
        if target.isValid():
            self.setCurrentIndex(target)

    def _editable(self, index: QModelIndex) -> bool:
        return index.isValid() and bool(self.model().flags(index) & Qt.ItemFlag.ItemIsEditable)

    def neighbour(self, index: QModelIndex, step: int) -> QModelIndex:
        """The next (step 1) or previous (step -1) cell the clerk can type in, row by row; invalid at the end."""
        model = self.model()
        cols, rows = model.columnCount(), model.rowCount()
        pos = index.row() * cols + index.column() + step
        while 0 <= pos < rows * cols:
            candidate = model.index(pos // cols, pos % cols)
            if self._editable(candidate):
                return candidate
            pos += step
        return QModelIndex()

    def commit_open_editor(self) -> bool:
        """Before the pane shows something else: an entry being typed is saved (True) or refused and kept open."""
        return self._delegate.commit_open()

    def _after_submit(self, where: str) -> None:
        if where == "stay":
            return
        current = self.currentIndex()
        if where == "down":
            target = current.sibling(current.row() + 1, current.column())
        else:
            target = self.neighbour(current, 1 if where == "next" else -1)
        if target.isValid():
            self.setCurrentIndex(target)
        elif where != "down":  # past the last cell: Tab leaves the table for the narratives
            self.leave(forward=where == "next")

    def leave(self, *, forward: bool = True) -> None:
        # QWidget's own focus chain: the item view's override would turn this back into a Tab key press.
        QWidget.focusNextPrevChild(self, forward)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        index = self.currentIndex()
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and mods & Qt.KeyboardModifier.ControlModifier:
            # Ctrl+Tab always leaves the table.
            self.leave(forward=key != Qt.Key.Key_Backtab)
            return
        if not editing and key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self._after_submit("next" if key == Qt.Key.Key_Tab else "previous")
            return
        if not editing and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._editable(index):
            self.edit(index)  # like a spreadsheet's F2
            return
        if not editing and key == Qt.Key.Key_Delete and self._editable(index):
            self.model().setData(index, "")
            return
        if not editing and event.matches(QKeySequence.StandardKey.Copy):
            self.copy_current()
            return
        if not editing and event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return
        super().keyPressEvent(event)

    # -- clipboard -------------------------------------------------------------------------------------
    def copy_current(self) -> None:
        index = self.currentIndex()
        if index.isValid():
            QGuiApplication.clipboard().setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def paste(self) -> None:
        """Cells copied from a spreadsheet (tab- and line-separated) go down and right from the current cell."""
        index = self.currentIndex()
        text = QGuiApplication.clipboard().text()
        if not index.isValid() or not text.strip():
            return
        try:
            rows = clipboard_rows(text)
        except ValueError as exc:
            self.pasteRefused.emit(str(exc))
            return
        self.pasteRequested.emit(index, rows)

    def _context_menu(self, pos) -> None:  # noqa: ANN001
        index = self.indexAt(pos)
        if not index.isValid():
            return
        self.setCurrentIndex(index)
        self.menu_for(index).popup(self.viewport().mapToGlobal(pos))

    def menu_for(self, index: QModelIndex) -> QMenu:
        """The right-click menu of a cell: copy, paste, clear, 不适用, 不涉及 / 涉及本单位, history."""
        code = self.model().headerData(index.row(), Qt.Orientation.Vertical)
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.tr("复制"), self.copy_current)
        if self._editable(index):
            menu.addAction(self.tr("粘贴"), self.paste)
            menu.addAction(self.tr("清除"), lambda: self.model().setData(index, ""))
            if index.column() == COL_PERIOD:
                menu.addAction(self.tr("标为不适用"), lambda: self.model().setData(index, NOT_APPLICABLE_TEXT))
        involved = index.data(InvolvedRole)
        if self.offers_involvement and involved is not None:
            menu.addSeparator()
            switch = self.tr("设为不涉及") if involved else self.tr("设为涉及本单位")
            menu.addAction(switch, lambda: self.involvementRequested.emit(code, not involved))
        menu.addSeparator()
        menu.addAction(self.tr("历史记录…"), lambda: self.historyRequested.emit(code))
        return menu


def clipboard_rows(text: str) -> list[list[str]]:
    """The cells of a block copied from a spreadsheet; ValueError (in Chinese) for a clipboard too big to be one,
    found before the text is split into cells."""
    if len(text) > MAX_PASTE_CHARS:
        raise ValueError(f"剪贴板中的内容有 {len(text)} 个字符，超过可粘贴的 {MAX_PASTE_CHARS} 个字符（约 1 MB），"
                         "全部没有粘贴。请只复制要填写的单元格。")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    count = lines.count("\n") + 1
    if count > MAX_PASTE_ROWS:
        raise ValueError(f"剪贴板中的内容有 {count} 行，超过可粘贴的 {MAX_PASTE_ROWS} 行，全部没有粘贴。"
                         "请只复制要填写的单元格。")
    return [line.split("\t") for line in lines.split("\n")]
