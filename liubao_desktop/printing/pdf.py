"""Task lists to a PDF file without a window: the ``main.py tasks`` path, tests and the benchmark.

The file is written by a QPrinter in PDF mode through the same ``print_task_list`` the print preview uses.
Fonts need a QGuiApplication; without a display one is started on the offscreen platform.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter

from ..services.task_list import TaskList
from .pages import a4_portrait, print_task_list

_app: QGuiApplication | None = None  # kept alive for the life of the process once we made it


def _no_display() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def ensure_gui_application() -> QGuiApplication:
    """The running QGuiApplication (or QApplication), or a new one; offscreen when there is no display."""
    global _app
    existing = QCoreApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    if existing is not None:
        raise RuntimeError("打印需要 QGuiApplication，但当前进程里已经有一个非图形的 QCoreApplication。")
    if _no_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _app = QGuiApplication([sys.argv[0] if sys.argv else "liubao"])
    return _app


def pdf_printer(path: Path) -> QPrinter:
    """A QPrinter that writes an A4 portrait PDF at print resolution."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageLayout(a4_portrait())
    printer.setCreator("六保任务台账")
    printer.setDocName("重点任务清单")
    return printer


def write_task_list_pdf(task_list: TaskList, path: Path, *, page_break: bool = False) -> int:
    """Write the task list as an A4 PDF; returns the number of pages. OSError if the file cannot be written."""
    ensure_gui_application()
    return print_task_list(pdf_printer(path), task_list, page_break=page_break)
