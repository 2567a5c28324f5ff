"""One tiny QUndoCommand per edit, calling the ledger's paired method with the old or the new value.

The first write happens before the command is pushed (so a refused or failed save never enters the stack);
redo() skips that first call. Undo and redo write with source "undo"/"redo" so the audit trail says so.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ..services.ledger import Change

Apply = Callable[[object, str], Change]


class LedgerEdit(QUndoCommand):
    def __init__(self, text: str, apply: Apply, old: object, new: object,
                 on_applied: Callable[[Change, str], None], on_failed: Callable[[str], None]) -> None:
        super().__init__(text)
        self._apply, self._old, self._new = apply, old, new
        self._on_applied, self._on_failed = on_applied, on_failed
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True  # the window already saved it
            return
        self._run(self._new, "redo")

    def undo(self) -> None:
        self._run(self._old, "undo")

    def _run(self, value: object, source: str) -> None:
        # Exceptions must not escape into Qt (it would swallow them): report and retire the command instead.
        try:
            change = self._apply(value, source)
        except Exception as exc:  # noqa: BLE001 - any failure is shown to the clerk
            self.setObsolete(True)
            self._on_failed(f"{'撤销' if source == 'undo' else '重做'}失败：{exc}")
            return
        self._on_applied(change, source)
