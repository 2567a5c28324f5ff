"""Every file dialog of the app, in Chinese and starting where the clerk last went for that kind of file; and
showing a saved file's folder, with a sentence saying where it is when no file manager can be opened.

Where the platform has a native file dialog (Windows, a desktop with a GTK or KDE theme) Qt uses it, in the
system's language. Elsewhere Qt draws its own, which Qt's Chinese translation leaves partly English: "Look in:"
and "Files of type:" (the translation has them without their &), "Folder" in the 类型 column (the icon
provider's word has no translation), the type of a file as the MIME database words it ("Microsoft Excel
Worksheet"), sizes in KiB and dates in the C locale ("6 12 2026"). ``chinese_file_dialog`` sets every label
itself and puts a proxy in front of the file list that words the columns in Chinese.

The folders are kept per kind (``WindowPreferences.last_folder``: workbooks, PDFs, backups) in settings.ini.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QDir,
    QIdentityProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    QUrl,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QTreeView, QWidget

from ..services.preferences import BACKUPS, PDFS, WORKBOOKS, WindowPreferences

WORKBOOK_FILTER = "Excel 工作簿 (*.xlsx)"
PDF_FILTER = "PDF 文件 (*.pdf)"
BACKUP_FILTER = "台账数据文件 (*.sqlite3 *.db)"

COLUMNS = ("名称", "大小", "类型", "修改日期")
DATE_FORMAT = "yyyy-MM-dd HH:mm"
# The type of a file as a clerk knows it, by its ending; any other file is "XYZ 文件".
FILE_TYPES = {
    ".xlsx": "Excel 工作簿", ".xls": "Excel 工作簿", ".et": "WPS 表格", ".pdf": "PDF 文件",
    ".sqlite3": "台账数据文件", ".db": "数据文件", ".docx": "Word 文档", ".doc": "Word 文档",
    ".txt": "文本文件", ".csv": "CSV 文件",
}
LABELS = {  # what every label of Qt's own dialog reads; the two buttons depend on saving or opening
    QFileDialog.DialogLabel.LookIn: "查找范围(&I)：",
    QFileDialog.DialogLabel.FileName: "文件名(&N)：",
    QFileDialog.DialogLabel.FileType: "文件类型(&T)：",
    QFileDialog.DialogLabel.Reject: "取消",
}
__all__ = ["BACKUPS", "PDFS", "WORKBOOKS", "ask_open_path", "ask_save_path", "reveal"]


def size_text(size: int) -> str:
    """2.9 KB, 12 MB: one decimal at most, as Explorer shows sizes."""
    if size < 1024:
        return f"{size} 字节"
    amount, unit = size / 1024, "KB"
    for bigger in ("MB", "GB"):
        if amount < 1024:
            break
        amount, unit = amount / 1024, bigger
    return f"{amount:,.1f}".removesuffix(".0") + f" {unit}"


class ChineseColumns(QIdentityProxyModel):
    """The file list's columns as a Chinese clerk reads them: 名称 / 大小 / 类型 / 修改日期, the type in words of
    our own, sizes in KB/MB and dates as 2026-02-12 14:03 whatever the system's locale."""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201, N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return super().headerData(section, orientation, role)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        source = self.sourceModel()
        if role != Qt.ItemDataRole.DisplayRole or index.column() == 0 or not isinstance(source, QFileSystemModel):
            return super().data(index, role)
        src = self.mapToSource(index)
        if index.column() == 3:
            return source.lastModified(src).toString(DATE_FORMAT)
        if source.isDir(src):
            return "" if index.column() == 1 else ("驱动器" if src.parent() == QModelIndex() else "文件夹")
        if index.column() == 1:
            return size_text(source.size(src))
        suffix = Path(source.fileName(src)).suffix.lower()
        return FILE_TYPES.get(suffix) or (f"{suffix[1:].upper()} 文件" if suffix else "文件")


def chinese_file_dialog(parent: QWidget | None, title: str, start: Path, name_filter: str, *,
                        save: bool) -> QFileDialog:
    """A file dialog to save (``save``) or open one file, every word of it in Chinese. A plain QFileDialog, so
    that Qt still uses the platform's own dialog where there is one."""
    dialog = QFileDialog(parent, title, str(start), name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
    for label, text in LABELS.items():
        dialog.setLabelText(label, text)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "保存(&S)" if save else "打开(&O)")
    dialog.setProxyModel(ChineseColumns(dialog))  # Qt's own dialog only: a native one ignores it
    dialog.setViewMode(QFileDialog.ViewMode.Detail)  # with its dates: a clerk finds last month's file by them
    tree = dialog.findChild(QTreeView, "treeView")
    if tree is not None:  # Qt's own dialog: room for 台账数据文件 and a whole date
        dialog.resize(860, 540)
        for column, width in ((0, 330), (1, 80), (2, 110), (3, 140)):
            tree.header().resizeSection(column, width)
    return dialog


def run(dialog: QFileDialog) -> Path | None:
    """The dialog shown modally; the chosen file, or None. (Tests replace this to answer without a modal loop.)"""
    return Path(dialog.selectedFiles()[0]) if dialog.exec() and dialog.selectedFiles() else None


def documents_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def start_folder(prefs: WindowPreferences, kind: str) -> Path:
    """Where a dialog for ``kind`` opens: the folder last used for it, else 文档."""
    return prefs.last_folder(kind) or documents_folder()


def _ask(parent: QWidget | None, prefs: WindowPreferences, kind: str, title: str, name_filter: str,
         start: Path, *, save: bool) -> Path | None:
    dialog = chinese_file_dialog(parent, title, start, name_filter, save=save)
    try:
        chosen = run(dialog)
    finally:
        dialog.deleteLater()
    if chosen is not None:
        prefs.set_last_folder(kind, chosen.parent)
        prefs.sync()
    return chosen


def ask_save_path(parent: QWidget | None, prefs: WindowPreferences, kind: str, title: str, name_filter: str,
                  file_name: str, folder: Path | None = None) -> Path | None:
    """The file to save a ``kind`` of file to, starting in ``folder`` or the folder last used for the kind with
    ``file_name`` proposed; None when the clerk cancels. The chosen folder is remembered for the kind."""
    start = (folder if folder is not None and folder.is_dir() else start_folder(prefs, kind)) / file_name
    return _ask(parent, prefs, kind, title, name_filter, start, save=True)


def ask_open_path(parent: QWidget | None, prefs: WindowPreferences, kind: str, title: str,
                  name_filter: str) -> Path | None:
    """An existing file of ``kind`` to open, starting in the folder last used for the kind."""
    return _ask(parent, prefs, kind, title, name_filter, start_folder(prefs, kind), save=False)


def open_url(url: QUrl) -> bool:
    """QDesktopServices.openUrl, replaced in tests. False where nothing could open it (no file manager: Qt
    logs "Unable to detect a launcher")."""
    return QDesktopServices.openUrl(url)


def reveal(folder: Path) -> bool:
    """Show the folder in the system's file manager (Explorer, Finder, Files); False when none opened."""
    return open_url(QUrl.fromLocalFile(str(folder)))


def where_it_is(path: Path) -> str:
    """The one sentence a clerk reads when the folder could not be shown."""
    shown = QDir.toNativeSeparators(str(path))
    if path.is_dir():
        return f"这台电脑上没有能打开文件夹的程序，请自己打开这个文件夹：{shown}"
    return (f"这台电脑上没有能打开文件夹的程序，文件“{path.name}”保存在这个文件夹："
            f"{QDir.toNativeSeparators(str(path.parent))}")


def reveal_or_say(folder_or_file: Path) -> str | None:
    """Show a file's folder (or a folder); None when shown, else the sentence saying where it is."""
    folder = folder_or_file if folder_or_file.is_dir() else folder_or_file.parent
    return None if reveal(folder) else where_it_is(folder_or_file)
