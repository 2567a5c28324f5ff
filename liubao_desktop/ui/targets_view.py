"""A spreadsheet-like table: type to start editing, Enter saves and moves down, Tab moves to the next cell the
clerk can type in, Esc cancels, Delete clears, Ctrl+C / Ctrl+V copy and paste like a spreadsheet.

A value the ledger refuses keeps its editor open with the text selected, as a spreadsheet does, instead of
throwing the typing away.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
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
from .targets_model import COL_LABEL, COL_NOTE, COL_PERIOD

# A clipboard this big is no block of figures for a 39-row table: refused before it is split into cells.
MAX_PASTE_CHARS = 1_000_000  # about 1 MB
MAX_PASTE_ROWS = 10_000

SUBMIT_KEYS = {
    Qt.Key.Key_Return: "down",
    Qt.Key.Key_Enter: "down",
    Qt.Key.Key_Tab: "next",
    Qt.Key.Key_Backtab: "previous",
}


class EntryDelegate(QStyledItemDelegate):
    submitted = Signal(str)  # "down", "next" or "previous": where the cursor goes after a saved entry
    editingStarted = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._indexes: dict[QLineEdit, QPersistentModelIndex] = {}
        self._submitting = False

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        # The typing stops where the ledger's limit is, instead of a 10,000-character entry reaching the ledger.
        editor.setMaxLength(NOTE_LIMIT if index.column() == COL_NOTE else MAX_FIGURE_TEXT)
        if index.column() != COL_NOTE:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._indexes[editor] = QPersistentModelIndex(index)
        self.editingStarted.emit()
        editor.destroyed.connect(lambda _obj=None, e=editor: self._indexes.pop(e, None))
        return editor

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self._submitting and event.type() == QEvent.Type.FocusOut:
            # A confirmation dialog took the focus while this entry is being saved: Qt would otherwise commit the
            # editor a second time on focus loss (and ask the same question twice).
            return True
        if (event.type() == QEvent.Type.KeyPress and isinstance(obj, QLineEdit) and isinstance(event, QKeyEvent)
                and event.key() in SUBMIT_KEYS and obj in self._indexes):
            index = self._indexes[obj]
            self._submitting = True
            try:
                saved = index.model().setData(QModelIndex(index), obj.text(), Qt.ItemDataRole.EditRole)
            finally:
                self._submitting = False
            if obj not in self._indexes:
                return True  # the editor went away meanwhile (the table was rebuilt)
            if not saved:
                obj.setFocus()
                obj.selectAll()  # refused or declined: keep the typing so it can be corrected
                return True
            self.closeEditor.emit(obj, QAbstractItemDelegate.EndEditHint.NoHint)
            self.submitted.emit(SUBMIT_KEYS[Qt.Key(event.key())])
            return True
        return super().eventFilter(obj, event)


class TargetsView(QTableView):
    historyRequested = Signal(str)  # target code
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
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self._delegate = EntryDelegate(self)
        self._delegate.submitted.connect(self._after_submit)
        self._delegate.editingStarted.connect(self.editingStarted)
        self.setItemDelegate(self._delegate)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)

    def setModel(self, model) -> None:  # noqa: ANN001
        super().setModel(model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(COL_LABEL, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_LABEL, 230)

    # -- moving ----------------------------------------------------------------------------------------
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

    def _after_submit(self, where: str) -> None:
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
        code = self.model().headerData(index.row(), Qt.Orientation.Vertical)
        menu = QMenu(self)
        menu.addAction(self.tr("复制"), self.copy_current)
        if self._editable(index):
            menu.addAction(self.tr("粘贴"), self.paste)
            menu.addAction(self.tr("清除"), lambda: self.model().setData(index, ""))
            if index.column() == COL_PERIOD:
                menu.addAction(self.tr("标为不适用"), lambda: self.model().setData(index, NOT_APPLICABLE_TEXT))
        menu.addSeparator()
        menu.addAction(self.tr("历史记录…"), lambda: self.historyRequested.emit(code))
        menu.popup(self.viewport().mapToGlobal(pos))


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
