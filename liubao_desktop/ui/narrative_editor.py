"""进展情况 / 存在问题 / 下步计划 for the selected measure, saved when the clerk leaves the field."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QPlainTextEdit, QWidget

from ..domain.narrative import Narrative
from ..domain.progress import OVERDUE, RED
from ..services.ledger import NARRATIVE_LIMIT
from . import look

FIELDS = (("progress", "进展情况"), ("problems", "存在问题"), ("next_steps", "下步计划"))
GROWN_LINES = 4  # the field the clerk is in is at least this high, however little room the pane has


def line_height(edit: QPlainTextEdit, lines: int) -> int:
    """The height of a text field showing ``lines`` lines: its text, the document's margin and the frame."""
    margin = int(edit.document().documentMargin())
    return edit.fontMetrics().lineSpacing() * lines + 2 * (margin + edit.frameWidth())


class NarrativeEditor(QWidget):
    committed = Signal(object)  # the new Narrative, when it differs from the loaded one
    focusEntered = Signal()  # a field took the focus and grew (the pane makes room for it)
    focusLeft = Signal()  # the focus left the fields (the pane gives the room back)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        # 2 px around the fields: the focus ring (look.FocusRing) is drawn just outside the field it marks.
        form.setContentsMargins(2, 2, 2, 2)
        form.setVerticalSpacing(4)
        # Placed by the pane, on one line with 本项修改记录… (a line less above the fields on a small screen).
        self.hint = QLabel()
        self.hint.setObjectName("warningHint")
        look.text_colour(self.hint, look.ERROR_RED)
        self.hint.setWordWrap(True)
        self.hint.hide()
        self.edits: dict[str, QPlainTextEdit] = {}
        for key, label in FIELDS:
            edit = QPlainTextEdit()
            edit.setObjectName(key)
            edit.setTabChangesFocus(True)
            # Small screens (1024×600) shrink the narratives to one line to give the table room; the field the
            # clerk is in grows to four (grow_focused).
            edit.setMinimumHeight(line_height(edit, 1))
            edit.installEventFilter(self)
            edit.textChanged.connect(self._count)
            self.edits[key] = edit
            form.addRow(self.tr(label), edit)
        self.counter = QLabel()
        self.counter.setObjectName("warningHint")
        look.text_colour(self.counter, look.ERROR_RED)
        self.counter.hide()
        form.addRow(self.counter)
        self.done = QCheckBox(self.tr("本项工作已完成（定性任务由填报人确认）"))
        self.done.toggled.connect(lambda _checked: self.commit())
        form.addRow("", self.done)
        self._loaded = Narrative()
        self._loading = False
        self._status = ""

    def load(self, narrative: Narrative, status: str, has_targets: bool) -> None:
        self._loading = True
        self._loaded = narrative
        for key, _ in FIELDS:
            self.edits[key].setPlainText(getattr(narrative, key))
        self.done.setChecked(narrative.done)
        self.done.setVisible(not has_targets)
        self._loading = False
        self.set_status(status)

    def set_status(self, status: str) -> None:
        self._status = status
        missing = [label for key, label in FIELDS[1:] if not self.edits[key].toPlainText().strip()]
        if status in (RED, OVERDUE) and missing:
            self.hint.setText(self.tr("该项为“{}”，请填写{}。").format(status, self.tr("和").join(missing)))
            self.hint.show()
        else:
            self.hint.hide()
        for key, label in FIELDS[1:]:
            hint = self.tr("状态为红或逾期时必填：{}").format(label)
            self.edits[key].setPlaceholderText(hint if status in (RED, OVERDUE) else "")

    def _count(self) -> None:
        # The limit is shown before it bites, not only when saving is refused.
        over = [(label, len(self.edits[key].toPlainText())) for key, label in FIELDS
                if len(self.edits[key].toPlainText()) > NARRATIVE_LIMIT * 9 // 10]
        self.counter.setVisible(bool(over))
        if over:
            self.counter.setText("；".join(self.tr("{}已写 {} 字（上限 {} 字）").format(self.tr(label), n, NARRATIVE_LIMIT)
                                          for label, n in over))

    @property
    def loaded(self) -> Narrative:
        """The narrative the fields were loaded with (or last saved): what the clerk started from."""
        return self._loaded

    def current(self) -> Narrative:
        return Narrative(*(self.edits[k].toPlainText().strip() for k, _ in FIELDS), done=self.done.isChecked())

    def pending(self) -> Narrative | None:
        """What the clerk typed, when it differs from what is saved."""
        new = self.current()
        return None if self._loading or new == self._loaded else new

    def commit(self) -> None:
        new = self.pending()
        if new is not None:
            self.committed.emit(new)

    def mark_saved(self, narrative: Narrative) -> None:
        """The window saved it: leaving the field again must not save it twice."""
        self._loaded = narrative
        self.set_status(self._status)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and obj in self.edits.values():
            self.commit()
            assert isinstance(obj, QPlainTextEdit)
            obj.setMinimumHeight(line_height(obj, 1))
            if not any(edit.hasFocus() for edit in self.edits.values()):
                self.focusLeft.emit()
        if event.type() == QEvent.Type.FocusIn and isinstance(obj, QPlainTextEdit) and obj in self.edits.values():
            # Tabbing in goes on after what is written, not in front of it.
            obj.moveCursor(QTextCursor.MoveOperation.End)
            # A one-line field on a small screen grows while it is typed in (the table gives up the room).
            obj.setMinimumHeight(line_height(obj, GROWN_LINES))
            self.focusEntered.emit()
        return super().eventFilter(obj, event)
