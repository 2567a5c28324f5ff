"""打印 → 任务清单: a print preview with the list's choices in a bar above the pages.

The pages come from ``printing.print_task_list`` — the same function that writes ``main.py tasks`` PDFs — so the
preview, the printer and the "另存为 PDF" file are one and the same drawing. The rows come from the
``services.task_list`` service; this module only gathers the choices.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir, Signal
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStatusBar,
    QWidget,
)

from ..domain.periods import Period
from ..domain.plan import Plan
from ..files.outputs import OutputError
from ..printing.fonts import NoCjkFont, choose_cjk_family
from ..printing.pages import a4_portrait, print_task_list
from ..printing.pdf import write_task_list_pdf
from ..services.ledger import Ledger
from ..services.preferences import PDFS, WindowPreferences
from ..services.task_list import (
    GROUP_BY_PART,
    GROUP_BY_UNIT,
    NO_UNIT,
    TaskList,
    TaskListOptions,
    build_task_list,
)
from . import file_dialogs
from .window_preferences import window_preferences


class TaskListOptionsBar(QWidget):
    """The choices of a task list in one row: grouping, page breaks, one unit, only late, full text, month."""

    changed = Signal()
    save_pdf_requested = Signal()

    def __init__(self, plan: Plan, periods: list[Period], period: Period, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group_by = QComboBox()
        self.group_by.addItem(self.tr("按责任单位"), GROUP_BY_UNIT)
        self.group_by.addItem(self.tr("按方案部分"), GROUP_BY_PART)
        self.page_break = QCheckBox(self.tr("每组另起一页"))
        self.page_break.setToolTip(self.tr("每个责任单位（或每个部分）从新的一页开始，便于分发给各单位"))
        self.unit = QComboBox()
        self.unit.addItem(self.tr("全部责任单位"), "")
        for name in [*plan.units(), NO_UNIT]:
            self.unit.addItem(name, name)
        self.only_late = QCheckBox(self.tr("只列红色/逾期"))
        self.full_text = QCheckBox(self.tr("含任务原文"))
        self.period = QComboBox()
        for p in periods:
            self.period.addItem(p.label, str(p))
        self.period.setCurrentIndex(max(0, self.period.findData(str(period))))
        self.save_pdf = QPushButton(self.tr("另存为 PDF…"))

        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        for label, widget in ((self.tr("分组"), self.group_by), (self.tr("责任单位"), self.unit),
                              (self.tr("报告期"), self.period)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            row.addWidget(caption)
            row.addWidget(widget)
        for widget in (self.page_break, self.only_late, self.full_text):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.save_pdf)

        for combo in (self.group_by, self.unit, self.period):
            combo.currentIndexChanged.connect(self.changed)
        for check in (self.page_break, self.only_late, self.full_text):
            check.toggled.connect(self.changed)
        self.save_pdf.clicked.connect(self.save_pdf_requested)

    def options(self) -> TaskListOptions:
        return TaskListOptions(
            group_by=self.group_by.currentData(),
            unit=self.unit.currentData() or None,
            only_late=self.only_late.isChecked(),
            full_text=self.full_text.isChecked(),
        )

    def chosen_period(self) -> Period:
        return Period.parse(self.period.currentData())

    def page_breaks(self) -> bool:
        return self.page_break.isChecked()


class TaskListPreviewDialog(QPrintPreviewDialog):
    """QPrintPreviewDialog with the options bar on top; every change redraws the preview at once."""

    def __init__(self, ledger: Ledger, org_code: str, period: Period, parent: QWidget | None = None,
                 prefs: WindowPreferences | None = None) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(a4_portrait())
        super().__init__(printer, parent)
        printer.setDocName(self.tr("重点任务清单"))
        self._printer = printer  # the dialog does not own it: keep it alive as long as the dialog
        self.ledger = ledger
        self.org_code = org_code
        self.prefs = prefs or window_preferences(Path(ledger.path).parent)
        self.saved_pdf: Path | None = None
        self.setWindowTitle(self.tr("打印任务清单 — {0}").format(ledger.org(org_code).name))
        self.resize(1100, 820)
        self.options_bar = TaskListOptionsBar(ledger.plan, ledger.periods, period, self)
        top = self.layout()
        if isinstance(top, QBoxLayout):
            top.insertWidget(0, self.options_bar)
        else:  # a Qt without the usual box layout: keep the choices reachable all the same
            self.options_bar.setParent(self)
        # Below the pages: what was saved where, with the way to its folder.
        self.status = QStatusBar(self)
        self.status.setSizeGripEnabled(False)
        self.open_saved = QPushButton(self.tr("打开所在文件夹"))
        self.open_saved.clicked.connect(self.open_saved_folder)
        self.open_saved.hide()
        self.status.addPermanentWidget(self.open_saved)
        if isinstance(top, QBoxLayout):
            top.addWidget(self.status)
        self.preview = self.findChild(QPrintPreviewWidget)
        self.last_error: str | None = None
        self.paintRequested.connect(self._paint)
        self.options_bar.changed.connect(self.refresh)
        self.options_bar.save_pdf_requested.connect(self.save_pdf)

    def task_list(self) -> TaskList:
        return build_task_list(self.ledger, self.org_code, self.options_bar.chosen_period(),
                               self.options_bar.options())

    def refresh(self) -> None:
        if self.preview is not None:
            self.preview.updatePreview()

    def page_count(self) -> int:
        return self.preview.pageCount() if self.preview is not None else 0

    def _paint(self, printer: QPrinter) -> None:
        """The preview, the printer chosen in the print dialog and a PDF all come here."""
        try:
            print_task_list(printer, self.task_list(), page_break=self.options_bar.page_breaks())
            self.last_error = None
        except (OSError, ValueError, NoCjkFont) as exc:
            self.last_error = str(exc)
            QMessageBox.warning(self, self.tr("无法打印"), str(exc))

    def save_pdf(self, path: Path | str | None = None) -> Path | None:
        """Write what the preview shows to a PDF; asks for the file name when none is given."""
        if not path:
            name = f"任务清单-{self.ledger.org(self.org_code).name}-{self.options_bar.chosen_period()}.pdf"
            path = file_dialogs.ask_save_path(self, self.prefs, PDFS, self.tr("另存为 PDF"),
                                              self.tr(file_dialogs.PDF_FILTER), name)
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        try:
            # the layout the preview shows, including a changed one
            write_task_list_pdf(self.task_list(), target, page_break=self.options_bar.page_breaks(),
                                data_dir=self.ledger.path.parent, layout=self._printer.pageLayout())
        except (OutputError, ValueError, NoCjkFont) as exc:
            self.last_error = str(exc)
            QMessageBox.warning(self, self.tr("无法保存 PDF"), str(exc))
            return None
        self.last_error = None
        self.saved_pdf = Path(target).absolute()
        self.prefs.set_last_folder(PDFS, self.saved_pdf.parent)
        self.prefs.sync()
        self.status.showMessage(self.tr("已保存 PDF：{}").format(QDir.toNativeSeparators(str(self.saved_pdf))))
        self.open_saved.show()
        return target

    def open_saved_folder(self) -> None:
        """打开所在文件夹 beside the saved PDF's path; where no file manager opens, the bar says where it is."""
        if self.saved_pdf is None:
            return
        not_opened = file_dialogs.reveal_or_say(self.saved_pdf)
        if not_opened:
            self.status.showMessage(not_opened)


def run_print_preview(parent: QWidget, ledger: Ledger, org_code: str, period: Period) -> None:
    """打印 → 任务清单: the main window's entry point. Blocks until the preview is closed."""
    try:
        choose_cjk_family()
    except NoCjkFont as exc:
        QMessageBox.warning(parent, parent.tr("无法打印"), str(exc))
        return
    dialog = TaskListPreviewDialog(ledger, org_code, period, parent)
    dialog.exec()
    dialog.deleteLater()
