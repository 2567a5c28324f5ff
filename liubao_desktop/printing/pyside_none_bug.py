"""A guard for a PySide6 defect this project's pinned build has: 6.12.0 on Python 3.11 does not take a reference
to ``None`` when a C++ method returning void hands ``None`` back, so every such call (``painter.save()``,
``doc.setPageSize()`` …) lowers ``None``'s reference count by one. A process that makes enough of them aborts
with "Fatal Python error: none_dealloc" — at exit, or, after long enough, in the middle of its work.

Python 3.12 made ``None`` immortal, and PySide6 6.11.3 still counts correctly on 3.11; either fixes it for real.
Until then ``pin_none()`` gives ``None`` a reserve of references so large it can never run out. It is applied
by the printing tests and the print benchmark, not by the app: that choice belongs to the app's start-up.
"""
from __future__ import annotations

import ctypes
import sys

_RESERVE = 1 << 40


def none_refcount_bug() -> bool:
    """Whether calls of void Qt methods make ``None`` lose references in this process."""
    if sys.version_info >= (3, 12):
        return False  # None is immortal: its count is not touched at all
    from PySide6.QtCore import QPointF

    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(100):
        point.setX(1.0)
    return sys.getrefcount(None) - before <= -50


def pin_none() -> bool:
    """Give ``None`` a huge reserve of references when the defect is present; returns whether it did."""
    if not none_refcount_bug():
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += _RESERVE
    return True
