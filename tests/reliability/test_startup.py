"""The start-up order of issue 5: lock → daily backup → crash dialog → window (which opens the database)."""
from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from liubao_desktop import app, crash
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.single_instance import acquire_instance_lock
from liubao_desktop.storage.backup import has_backup_on


def test_a_gui_start_locks_the_folder_and_backs_up_the_day_before_the_window_opens_the_database(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from liubao_desktop.ui import launch

    Ledger.open(data_dir).close()  # yesterday's data
    seen: dict[str, object] = {}

    def run_gui(folder: Path) -> int:
        seen["locked"] = acquire_instance_lock(folder) is None
        seen["backed up"] = has_backup_on(folder, date.today(), "daily")
        seen["crash dialog"] = crash._notify is not None
        return 0

    monkeypatch.setattr(launch, "run_gui", run_gui)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)  # app.main installs its own
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    try:
        assert app.main(["--data-dir", str(data_dir)]) == 0
    finally:
        crash.set_notifier(None)
    assert seen == {"locked": True, "backed up": True, "crash dialog": True}
    lock = acquire_instance_lock(data_dir)  # released at exit
    assert lock is not None
    lock.unlock()


def test_make_app_sets_the_app_up_once_and_a_second_call_repolishes_nothing(qapp) -> None:  # noqa: ANN001
    """The tests (and any second caller) get the same app back without a font, translator or style sheet set
    again: each of those re-polishes every widget there is, which made the call grow to seconds."""
    from PySide6.QtCore import QEvent, QObject, QTranslator
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QLabel

    from liubao_desktop.ui.launch import make_app

    app = make_app()
    font, translators = app.font(), len(app.findChildren(QTranslator))
    assert app.styleSheet() == ""  # no app-wide style sheet: ui/look.py styles the few widgets that need it
    seen: list[QEvent.Type] = []

    class Watch(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 -- Qt's name
            if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange, QEvent.Type.Polish):
                seen.append(event.type())
            return False

    label = QLabel("六保任务台账")
    label.show()
    watch = Watch(label)
    label.installEventFilter(watch)
    assert make_app() is app
    assert seen == [] and app.font() == font and len(app.findChildren(QTranslator)) == translators

    # a caller that changed the font and style gets them back on asking, still with one translator
    app.setStyleSheet("QLabel { color: red; }")
    app.setFont(QFont("Courier", 30))
    assert make_app(fresh_style=True) is app
    assert app.styleSheet() == "" and app.font() == font
    assert len(app.findChildren(QTranslator)) == translators
