"""One QUndoCommand per kind of edit a clerk makes; pushing one is the edit.

``redo()`` writes the new value through the ledger (source "typed" the first time, "redo" after an undo) and
``undo()`` writes the old one back (source "undo"), so the audit trail says which it was. A write that is refused
or fails marks the command obsolete, so Qt drops it from the stack: nothing unsaved can be undone or redone.
What a write did goes out as an ``EditBatch`` — the change record that tells the window which rows, measures and
parts to repaint (as Anki's OpChanges do), and what to say in the status bar.

Several PCs on one server ledger (issue 16): every write names the value it expects to replace — the first one
what the clerk started from (what the cell showed when the editor opened), a redo the old value, an undo the new
one — so nobody's edit is overwritten silently. When another clerk saved the cell meanwhile the ledger refuses
(``ConflictError``) and the command asks (``EditNotifier.resolve``): 用我的覆盖 writes again over the value now
stored; 保留对方的 writes nothing, leaves the history without the command (or, in a paste, without those cells)
and repaints the cell with the other clerk's value.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from ..domain.figures import FigureInputError, FigureValue
from ..domain.narrative import Narrative
from ..domain.periods import Period
from ..domain.plan import measure_code_of
from ..domain.words import UNCHANGED_TEXT
from ..services.ledger import UNCHECKED, Change, ConflictError, Ledger, StorageError

log = logging.getLogger(__name__)

# A refusal (bad value, disk full, file gone) is told to the clerk; anything else is a bug for the crash log.
REFUSALS = (FigureInputError, StorageError, ValueError)


class CellField(Enum):
    """The cells of the targets table a clerk can type in; the value is the column's name."""

    LOCAL_TARGET = "分解目标"
    FIGURE = "本期完成"
    NOTE = "备注"


@dataclass(frozen=True)
class EditRecord:
    """What one saved write touched: an office, a month (None: every month, as a 分解目标 does), a measure and
    the target in it (None: the measure's own narrative)."""

    org: str
    period: Period | None
    measure: str
    target: str | None
    message: str


OUTSIDE = "outside"  # an EditBatch's source for what another PC saved (ui/outside_refresh.py)


@dataclass(frozen=True)
class EditBatch:
    """The records of one push, undo or redo — or of what other PCs saved — and how it came about."""

    records: tuple[EditRecord, ...]
    source: str  # "typed", "undo", "redo" or OUTSIDE
    message: str
    theirs: bool = False  # some cells keep what another clerk saved (保留对方的): show them as stored


# Asked when others changed cells a write expected otherwise: (the conflicts, the source) → overwrite them?
Resolver = Callable[[list[ConflictError], str], bool]


def keep_theirs(_conflicts: list[ConflictError], _source: str) -> bool:
    """The answer when nobody can be asked: the other clerk's value stays (the safe choice)."""
    return False


class EditNotifier(QObject):
    """Where the commands report and ask: the window listens and answers, the commands never know the window."""

    applied = Signal(object)  # EditBatch
    refused = Signal(str, str)  # message, source

    def __init__(self, parent: QObject | None = None, resolve: Resolver = keep_theirs) -> None:
        super().__init__(parent)
        self.resolve = resolve


class Conflicts(Exception):
    """Cells of one write (a paste) that others changed: nothing of it was written."""

    def __init__(self, found: list[tuple[TargetCellEdit, ConflictError]]) -> None:
        super().__init__(f"{len(found)} cells changed by others")
        self.found = found


@dataclass(frozen=True)
class EditPlace:
    """The office and month an edit was made for: undo writes there, whatever the window shows by then."""

    ledger: Ledger
    org: str
    period: Period
    notifier: EditNotifier


FAILED = object()  # what guarded_write returns when the write was refused or failed


def guarded_write(command: QUndoCommand, place: EditPlace, source: str, write: Callable[[], object]) -> object:
    """Run a command's write. Exceptions must not escape into Qt, which would only print them: a refusal or a
    failure is reported and retires the command (it never enters the history); FAILED is returned then. Cells
    others changed come back as the ConflictError (Conflicts) for the command to ask about."""
    try:
        return write()
    except (ConflictError, Conflicts) as exc:
        return exc
    except REFUSALS as exc:
        message = str(exc)
    except Exception as exc:
        log.exception("%s failed", command.text())
        message = f"{type(exc).__name__}: {exc}"
    command.setObsolete(True)
    place.notifier.refused.emit(message, source)
    return FAILED


def kept_message(kept: list[ConflictError]) -> str:
    """The status bar's words for cells left as another clerk saved them."""
    if len(kept) == 1:
        c = kept[0]
        who = f"（{c.who}）" if c.who else ""
        return f"未保存您的修改：{c.where}保留他人保存的 {c.shown[1]}{who}。"
    return f"{len(kept)} 个单元格保留了他人保存的值，您对它们的修改没有保存。"


class LedgerCommand(QUndoCommand):
    """The common part: run a write with the old or new value and the value it expects to replace, ask when
    another clerk changed it meanwhile, report it, retire the command on failure.

    ``started``: what the clerk started from (the cell as shown when the editor opened); by default the value
    stored when the command is made."""

    def __init__(self, place: EditPlace, text: str, old: object, new: object,
                 parent: QUndoCommand | None = None, *, started: object = UNCHECKED) -> None:
        super().__init__(text, parent)
        self.place, self.old, self.new = place, old, new
        self.started = old if started is UNCHECKED else started
        self._written = False

    def write(self, value: object, source: str, expected: object) -> Change:  # pragma: no cover - every kind
        raise NotImplementedError

    def record(self, message: str) -> EditRecord:
        raise NotImplementedError  # pragma: no cover

    def expected_for(self, source: str, written: bool) -> object:
        """What the cell holds before this write, if nobody else changed it: undo finds the new value, a redo
        the old one, the first write what the clerk started from."""
        if source == "undo":
            return self.new
        return self.old if written else self.started

    def redo(self) -> None:
        self._run(self.new, "redo" if self._written else "typed")

    def undo(self) -> None:
        self._run(self.old, "undo")

    def _run(self, value: object, source: str) -> None:
        expected = self.expected_for(source, self._written)
        while True:
            change = guarded_write(self, self.place, source,
                                   lambda e=expected: self.write(value, source, e))  # type: ignore[misc]
            if not isinstance(change, ConflictError):
                break
            if not self.place.notifier.resolve([change], source):
                self._keep_theirs(change, source)
                return
            expected = change.current  # 用我的覆盖: over what is stored now
        if change is FAILED:
            return
        assert isinstance(change, Change)
        if change.message == UNCHANGED_TEXT and source == "typed":
            self.setObsolete(True)  # the ledger already held it: nothing to undo
        if source == "typed":
            self.old = expected  # what this write replaced (another clerk's value, after 用我的覆盖)
        self._written = True
        self.place.notifier.applied.emit(EditBatch((self.record(change.message),), source, change.message))

    def _keep_theirs(self, conflict: ConflictError, source: str) -> None:
        """保留对方的: nothing was written; the command leaves the history (an undo or redo of it would write over
        the other clerk's value) and the cell is repainted as stored."""
        self.setObsolete(True)
        message = kept_message([conflict])
        self.place.notifier.applied.emit(EditBatch((self.record(message),), source, message, theirs=True))


class TargetCellEdit(LedgerCommand):
    """An edit of one target's cell for the place's office (and month)."""

    field: CellField

    def __init__(self, place: EditPlace, target_code: str, new: object, parent: QUndoCommand | None = None, *,
                 started: object = UNCHECKED) -> None:
        self.target_code = target_code
        t = place.ledger.target(target_code)
        when = "" if self.field is CellField.LOCAL_TARGET else f"{place.period.label} "
        super().__init__(place, f"{when}{t.label} {self.field.value}", self.current(place, target_code), new,
                         parent, started=started)

    @staticmethod
    def current(place: EditPlace, target_code: str) -> object:
        raise NotImplementedError  # pragma: no cover

    def record(self, message: str) -> EditRecord:
        period = None if self.field is CellField.LOCAL_TARGET else self.place.period
        measure = measure_code_of(self.target_code)
        return EditRecord(self.place.org, period, measure, self.target_code, message)


class FigureEdit(TargetCellEdit):
    """本期完成 for one month; blank removes it."""

    field = CellField.FIGURE

    @staticmethod
    def current(place: EditPlace, target_code: str) -> object:
        return place.ledger.figure(place.org, target_code, place.period)

    def write(self, value: object, source: str, expected: object) -> Change:
        assert isinstance(value, FigureValue) and isinstance(expected, FigureValue)
        return self.place.ledger.record_figure(self.place.org, self.target_code, self.place.period, value,
                                               source=source, expected=expected)


class NotApplicableEdit(FigureEdit):
    """The month's figure marked 不适用 (from the table's menu or typed): a figure edit named for what it does."""

    def __init__(self, place: EditPlace, target_code: str, new: object, parent: QUndoCommand | None = None, *,
                 started: object = UNCHECKED) -> None:
        super().__init__(place, target_code, new, parent, started=started)
        self.setText(f"{self.text()} 标为不适用")


class NoteEdit(TargetCellEdit):
    """备注 for one month, kept beside the month's figure (which it leaves as it is at the time of writing)."""

    field = CellField.NOTE

    @staticmethod
    def current(place: EditPlace, target_code: str) -> object:
        return place.ledger.notes(place.org, place.period).get(target_code, "")

    def write(self, value: object, source: str, expected: object) -> Change:
        # None: the month's figure stays as stored, whoever saved it (read inside the write's transaction)
        return self.place.ledger.record_figure(self.place.org, self.target_code, self.place.period, None,
                                               note=str(value), source=source, expected_note=str(expected))


class LocalTargetEdit(TargetCellEdit):
    """The office's 分解目标; None (cleared) means the city target applies again."""

    field = CellField.LOCAL_TARGET

    @staticmethod
    def current(place: EditPlace, target_code: str) -> object:
        return place.ledger.local_targets(place.org).get(target_code)

    def write(self, value: object, source: str, expected: object) -> Change:
        assert value is None or isinstance(value, Decimal)
        return self.place.ledger.set_local_target(self.place.org, self.target_code, value, source=source,
                                                  expected=expected)


class InvolvementEdit(LedgerCommand):
    """A target switched to 不涉及 for the office, or back to 涉及本单位: it holds in every month, as a 分解目标
    does. Undo writes the old choice back (the plan's default, when the office had not chosen). A yes-or-no the
    office decides once, not a value two clerks type: the last choice stands (the trail has both), unchecked."""

    def __init__(self, place: EditPlace, target_code: str, involved: bool) -> None:
        self.target_code = target_code
        old = place.ledger.involvement(place.org)[target_code]
        word = "涉及本单位" if involved else "不涉及"
        super().__init__(place, f"{place.ledger.target(target_code).label} 设为{word}", old, involved)

    def write(self, value: object, source: str, expected: object) -> Change:
        assert isinstance(value, bool)
        return self.place.ledger.set_involved(self.place.org, self.target_code, value, source=source)

    def record(self, message: str) -> EditRecord:
        return EditRecord(self.place.org, None, measure_code_of(self.target_code), self.target_code, message)


class NarrativeEdit(LedgerCommand):
    """A measure's 进展情况 / 存在问题 / 下步计划 / 已完成 for one month."""

    def __init__(self, place: EditPlace, measure_code: str, new: Narrative, *, started: object = UNCHECKED) -> None:
        self.measure_code = measure_code
        old = place.ledger.narrative(place.org, measure_code, place.period)
        super().__init__(place, f"{place.period.label} {measure_code} 工作进展", old, new, started=started)

    def write(self, value: object, source: str, expected: object) -> Change:
        assert isinstance(value, Narrative) and isinstance(expected, Narrative)
        return self.place.ledger.write_narrative(self.place.org, self.measure_code, self.place.period, value,
                                                 source=source, expected=expected)

    def record(self, message: str) -> EditRecord:
        return EditRecord(self.place.org, self.place.period, self.measure_code, None, message)


CELL_EDITS: dict[CellField, type[TargetCellEdit]] = {
    CellField.FIGURE: FigureEdit,
    CellField.NOTE: NoteEdit,
    CellField.LOCAL_TARGET: LocalTargetEdit,
}


def cell_edit(place: EditPlace, target_code: str, field: CellField, new: object,
              parent: QUndoCommand | None = None, *, started: object = UNCHECKED) -> TargetCellEdit:
    """The command for a value typed into one cell; ``started``: what the cell showed when the clerk began."""
    kind = CELL_EDITS[field]
    if kind is FigureEdit and isinstance(new, FigureValue) and new.not_applicable:
        kind = NotApplicableEdit
    return kind(place, target_code, new, parent, started=started)


class PasteEdit(QUndoCommand):
    """A block pasted from a spreadsheet: its cells written in one transaction — all or none — and undone with
    one Ctrl+Z. Each cell is the command its kind of edit has, held here and written by this one; they are not
    Qt children, whose C++ side the stack would delete under their Python side.

    Cells another clerk changed meanwhile are asked about once for the whole block: 用我的覆盖 writes the block
    again over their values; 保留对方的 takes those cells out of the paste (they keep the other clerk's values,
    and this command's undo and redo leave them alone) and writes the rest, still in one transaction."""

    def __init__(self, place: EditPlace, cells: list[tuple[str, CellField, object, object]]) -> None:
        super().__init__(f"粘贴 {len(cells)} 个单元格")
        self.place = place
        self.cells = [cell_edit(place, code, field, new, started=started) for code, field, new, started in cells]
        self._written = False

    def redo(self) -> None:
        self._run([(cell, cell.new) for cell in self.cells], "redo" if self._written else "typed")

    def undo(self) -> None:
        self._run([(cell, cell.old) for cell in reversed(self.cells)], "undo")

    def _run(self, writes: list[tuple[TargetCellEdit, object]], source: str) -> None:
        expected = {id(cell): cell.expected_for(source, self._written) for cell, _ in writes}
        kept: list[tuple[TargetCellEdit, ConflictError]] = []

        def write() -> list[tuple[TargetCellEdit, Change]]:
            with self.place.ledger.transaction():
                done, found = [], []
                for cell, value in writes:
                    try:
                        done.append((cell, cell.write(value, source, expected[id(cell)])))
                    except ConflictError as exc:  # its savepoint is rolled back; every other cell is still looked at
                        found.append((cell, exc))
                if found:
                    raise Conflicts(found)  # the whole transaction rolled back: nothing of the block is written
                return done

        while True:
            changes = guarded_write(self, self.place, source, write) if writes else []
            if not isinstance(changes, Conflicts):
                break
            if self.place.notifier.resolve([exc for _, exc in changes.found], source):
                for cell, exc in changes.found:
                    expected[id(cell)] = exc.current  # 用我的覆盖: over what is stored now
                continue
            theirs = {id(cell) for cell, _ in changes.found}
            kept += changes.found
            writes = [(cell, value) for cell, value in writes if id(cell) not in theirs]
            self.cells = [cell for cell in self.cells if id(cell) not in theirs]
        if changes is FAILED:
            return
        assert isinstance(changes, list)
        if source == "typed":
            for cell, _ in writes:
                cell.old = expected[id(cell)]  # what this write replaced
        if not self.cells:
            self.setObsolete(True)  # every cell kept the other clerk's value: nothing to undo
        self._written = True
        message = f"已粘贴并保存 {len(writes)} 个单元格。"
        if kept:
            message = f"{message}{kept_message([exc for _, exc in kept])}" if writes else kept_message(
                [exc for _, exc in kept])
        records = tuple(cell.record(change.message) for cell, change in changes) + tuple(
            cell.record(message) for cell, _ in kept)
        self.place.notifier.applied.emit(EditBatch(records, source, message, theirs=bool(kept)))


class ImportEdit(QUndoCommand):
    """导入 → 填报数据: the files of a clean preview written all or nothing (an automatic backup first, then one
    transaction), and undone with one Ctrl+Z — the old values and notes of every cell written back in one
    transaction (source undo); redo writes the imported values again (source redo)."""

    def __init__(self, place: EditPlace, preview: object) -> None:
        from ..services.import_service import ImportPreview

        assert isinstance(preview, ImportPreview)
        super().__init__(f"导入 {len(preview.files)} 个文件")
        self.place, self.preview = place, preview
        self.result: object | None = None  # the ImportResult, once written

    def redo(self) -> None:
        from ..services.import_service import commit_import, reapply_import

        ledger = self.place.ledger
        if self.result is None:
            self._run(lambda: commit_import(ledger, self.preview), "typed")
        else:
            self._run(lambda: reapply_import(ledger, self.result), "redo")

    def undo(self) -> None:
        from ..services.import_service import revert_import

        self._run(lambda: revert_import(self.place.ledger, self.result), "undo")

    def _run(self, write: Callable[[], object], source: str) -> None:
        done: Any = guarded_write(self, self.place, source, write)
        if done is FAILED:
            return
        if source == "typed":
            self.result = done
            cells = done.cells
            message = done.message
        else:
            cells = done
            message = f"导入的 {len(cells)} 个单元格"
        if not cells:
            self.setObsolete(True)  # nothing changed: nothing to undo
            return
        records = tuple(EditRecord(c.org, c.period, measure_code_of(c.target), c.target, message) for c in cells)
        self.place.notifier.applied.emit(EditBatch(records, source, message))
