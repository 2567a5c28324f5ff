"""What other clerks save on a server ledger, brought into the window within a few seconds (issue 16).

A QTimer asks the ledger's watch (``services.outside_changes``) every ``POLL_MS`` which cells others saved and hands
them on as the same change records the window's own edits make (``EditBatch``, source OUTSIDE), so only the rows,
measures and parts they touch repaint. Only a server ledger is watched: a data folder on this PC has one window
(the instance lock) and nobody else writes into it.
"""
from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ..services.ledger import Ledger, StorageError
from ..services.outside_changes import OutsideChanges, loaded_note
from .edits import OUTSIDE, EditBatch, EditRecord

log = logging.getLogger(__name__)
POLL_MS = 3000


class OutsideRefresh(QObject):
    changed = Signal(object)  # EditBatch (source OUTSIDE): cells other PCs saved
    failed = Signal(str)  # the server could not be asked, in Chinese (said once until it answers again)

    def __init__(self, ledger: Ledger, parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.watch = OutsideChanges(ledger)
        self._failing = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        # Not while a question is open (a conflict, a slip, a dialog): the window must not change under it. The
        # watch keeps its place, so the next look brings everything.
        if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget() is not None:
            return
        try:
            cells = self.watch.poll(time.monotonic())
        except StorageError as exc:
            if not self._failing:
                log.warning("looking for others' edits failed: %s", exc)
                # The status bar holds one short line beside the data's place; the whole sentence is in the log,
                # and an action of the clerk's that fails says it in full (ui/crash_relay.py).
                self.failed.emit("未能读取他人的修改：与数据库服务器的连接有问题，稍后自动再试。")
            self._failing = True
            return
        self._failing = False
        if cells:
            # an outside record's message: who saved the cell, on which PC (the status bar names them)
            records = tuple(EditRecord(c.org, c.period, c.measure, c.target, c.by) for c in cells)
            self.changed.emit(EditBatch(records, OUTSIDE, loaded_note(len(records), (c.by for c in cells))))

    def stop(self) -> None:
        self.timer.stop()
