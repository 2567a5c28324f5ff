"""The edits of one window: the undo stack, the questions asked before a value that looks like a slip, and the
commands pushed. The window tells it where the clerk is (office, month) and listens to what was saved.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..domain.narrative import Narrative
from ..domain.periods import Period
from ..services.ledger import Ledger
from .edits import (
    CellField,
    EditBatch,
    EditNotifier,
    EditPlace,
    InvolvementEdit,
    NarrativeEdit,
    PasteEdit,
    cell_edit,
)

Cell = tuple[str, CellField, object]  # target code, which cell, the checked new value


class EditSession(QObject):
    applied = Signal(object)  # EditBatch: saved, undone or redone
    refused = Signal(str)  # a typed edit or paste not saved, in Chinese
    failed = Signal(str)  # an undo or redo that could not be written

    def __init__(self, ledger: Ledger, where: Callable[[], tuple[str, Period]],
                 confirm: Callable[[str], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self._where, self._confirm = where, confirm
        self.undo_stack = QUndoStack(self)
        self._notifier = EditNotifier(self)
        self._notifier.applied.connect(self.applied)
        self._notifier.refused.connect(self._refused)
        self._ok = False

    def _place(self) -> EditPlace:
        org, period = self._where()
        return EditPlace(self.ledger, org, period, self._notifier)

    def _refused(self, message: str, source: str) -> None:
        self._ok = False
        if source == "typed":
            self.refused.emit(message)
        else:
            self.failed.emit(f"{'撤销' if source == 'undo' else '重做'}失败：{message}")

    def _push(self, command: QUndoCommand) -> bool:
        self._ok = True
        self.undo_stack.push(command)  # redo() writes; a refused write leaves the stack as it was
        return self._ok

    # -- what the clerk does ---------------------------------------------------------------------------
    def question(self, target_code: str, field: CellField, new: object) -> str | None:
        """What to ask before saving a value that looks like a slip of the finger; None when it looks right."""
        org, period = self._where()
        if field is CellField.FIGURE:
            return self.ledger.confirmation_needed(org, target_code, period, new)  # type: ignore[arg-type]
        if field is CellField.LOCAL_TARGET and new is not None:
            return self.ledger.local_target_question(target_code, new)  # type: ignore[arg-type]
        return None

    def edit_cell(self, target_code: str, field: CellField, new: object) -> bool:
        """One cell typed: True when saved (or the ledger already held it)."""
        question = self.question(target_code, field, new)
        if question and not self._confirm(question):
            return False
        return self._push(cell_edit(self._place(), target_code, field, new))

    def paste(self, cells: list[Cell]) -> bool:
        """Checked cells of a pasted block: asked about together, then all saved in one transaction or none."""
        questions = [q for code, field, new in cells if (q := self.question(code, field, new))]
        if questions:
            more = f"\n\n（共 {len(questions)} 个数值需要确认）" if len(questions) > 3 else ""
            if not self._confirm("\n\n".join(questions[:3]) + more):
                return False
        return self._push(PasteEdit(self._place(), cells))

    def set_involved(self, target_code: str, involved: bool) -> bool:
        """The office answers for the target from now on (or, False, it is 不涉及): True when saved."""
        return self._push(InvolvementEdit(self._place(), target_code, involved))

    def save_narrative(self, measure_code: str, new: Narrative) -> bool:
        return self._push(NarrativeEdit(self._place(), measure_code, new))

    def clear(self) -> None:
        """Forget the history (after a restore put another file under the ledger)."""
        self.undo_stack.clear()


__all__ = ["Cell", "EditBatch", "EditSession"]
