"""The edits of one window: the undo stack, the questions asked before a value that looks like a slip, and the
commands pushed. The window tells it where the clerk is (office, month), answers when another clerk changed a cell
meanwhile (``resolve``) and listens to what was saved.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..domain.narrative import Narrative
from ..domain.periods import Period
from ..services.ledger import UNCHECKED, Ledger
from .edits import (
    CellField,
    EditBatch,
    EditNotifier,
    EditPlace,
    InvolvementEdit,
    NarrativeEdit,
    PasteEdit,
    Resolver,
    cell_edit,
    keep_theirs,
)

Cell = tuple[str, CellField, object, object]  # target code, which cell, the checked new value, what it showed


class EditSession(QObject):
    applied = Signal(object)  # EditBatch: saved, undone or redone
    refused = Signal(str)  # a typed edit or paste not saved, in Chinese
    failed = Signal(str)  # an undo or redo that could not be written

    def __init__(self, ledger: Ledger, where: Callable[[], tuple[str, Period]],
                 confirm: Callable[[str], bool], parent: QObject | None = None, *,
                 resolve: Resolver = keep_theirs) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self._where, self._confirm = where, confirm
        self.undo_stack = QUndoStack(self)
        self._notifier = EditNotifier(self, resolve)
        self._notifier.applied.connect(self._applied)
        self._notifier.refused.connect(self._refused)
        self._ok = False
        self._busy = False  # a push is under way (its question open): a second one waits for the clerk's answer
        self.kept_theirs = False  # the last push left another clerk's value in place (保留对方的)

    def _place(self) -> EditPlace:
        org, period = self._where()
        return EditPlace(self.ledger, org, period, self._notifier)

    def _applied(self, batch: EditBatch) -> None:
        self.kept_theirs = self.kept_theirs or batch.theirs
        self.applied.emit(batch)

    def _refused(self, message: str, source: str) -> None:
        self._ok = False
        if source == "typed":
            self.refused.emit(message)
        else:
            self.failed.emit(f"{'撤销' if source == 'undo' else '重做'}失败：{message}")

    def _push(self, command: QUndoCommand) -> bool:
        """True when saved — or settled by keeping another clerk's value (``kept_theirs`` says which)."""
        if self._busy:  # a field left while the question about another edit is open: its turn comes after
            return False
        self._ok, self._busy, self.kept_theirs = True, True, False
        try:
            self.undo_stack.push(command)  # redo() writes; a refused write leaves the stack as it was
        finally:
            self._busy = False
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

    def edit_cell(self, target_code: str, field: CellField, new: object, started: object = UNCHECKED) -> bool:
        """One cell typed: True when saved (or the ledger already held it, or the clerk kept another clerk's
        value). ``started``: what the cell showed when the clerk began (by default: what is stored now)."""
        question = self.question(target_code, field, new)
        if question and not self._confirm(question):
            return False
        return self._push(cell_edit(self._place(), target_code, field, new, started=started))

    def paste(self, cells: list[Cell]) -> bool:
        """Checked cells of a pasted block: asked about together, then all saved in one transaction or none."""
        questions = [q for code, field, new, _ in cells if (q := self.question(code, field, new))]
        if questions:
            more = f"\n\n（共 {len(questions)} 个数值需要确认）" if len(questions) > 3 else ""
            if not self._confirm("\n\n".join(questions[:3]) + more):
                return False
        return self._push(PasteEdit(self._place(), cells))

    def set_involved(self, target_code: str, involved: bool) -> bool:
        """The office answers for the target from now on (or, False, it is 不涉及): True when saved."""
        return self._push(InvolvementEdit(self._place(), target_code, involved))

    def save_narrative(self, measure_code: str, new: Narrative, started: Narrative | None = None) -> bool:
        """``started``: the narrative the fields were loaded with (by default: what is stored now)."""
        return self._push(NarrativeEdit(self._place(), measure_code, new,
                                        started=UNCHECKED if started is None else started))

    def clear(self) -> None:
        """Forget the history (after a restore put another file under the ledger)."""
        self.undo_stack.clear()


__all__ = ["Cell", "EditBatch", "EditSession"]
