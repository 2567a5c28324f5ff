"""The pinned Qt binding must count references correctly: PySide6 6.12.0 on Python 3.11 loses a reference to
None on every void Qt call, and a long session (or the test run) then dies with "none_dealloc"."""
from __future__ import annotations

import sys


def test_void_qt_calls_do_not_eat_references_to_none() -> None:
    from PySide6.QtCore import QPointF

    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(1000):
        point.setX(1.0)
    assert sys.getrefcount(None) - before > -100, "pin PySide6-Essentials/shiboken6 to a build without the leak"
