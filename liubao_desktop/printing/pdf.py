"""Task lists to a PDF file: the ``main.py tasks`` path, the preview's 另存为 PDF…, tests and the benchmark.

The pages are painted by ``print_task_list`` — the same drawing the print preview shows — onto a QPdfWriter
that writes into memory; the bytes then go through ``files.outputs`` (never onto a ledger's files, whole or
not at all, a full disk named as such). Fonts need a QGuiApplication; without a display one is started on the
offscreen platform.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import BinaryIO

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice
from PySide6.QtGui import QGuiApplication, QPageLayout, QPdfWriter
from PySide6.QtPrintSupport import QPrinter

from ..files.outputs import PDF, write_output
from .model import TaskList
from .pages import a4_portrait, print_task_list
from .text_layer import fix_text_layer

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


def render_task_list_pdf(task_list: TaskList, fh: BinaryIO, *, page_break: bool = False,
                         layout: QPageLayout | None = None) -> int:
    """Paint the task list as a PDF into the binary file ``fh``; returns the number of pages."""
    ensure_gui_application()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(QPrinter(QPrinter.PrinterMode.HighResolution).resolution())
    writer.setPageLayout(layout or a4_portrait())
    writer.setCreator("六保任务台账")
    writer.setTitle("重点任务清单")
    pages = print_task_list(writer, task_list, page_break=page_break)  # the PDF is complete once painted
    buffer.close()
    fh.write(fix_text_layer(data.data()))
    return pages


def write_task_list_pdf(task_list: TaskList, path: Path | str, *, page_break: bool = False,
                        data_dir: Path | None = None, layout: QPageLayout | None = None) -> int:
    """Write the task list as an A4 PDF; returns the number of pages. Raises ``files.outputs.OutputError``
    (Chinese) when the file may not or cannot be written; ``data_dir`` is the open ledger's folder."""
    _, pages = write_output(path, PDF, lambda fh: render_task_list_pdf(task_list, fh, page_break=page_break,
                                                                       layout=layout), data_dir)
    return pages
