"""帮助 → 使用说明 (F1) and 帮助 → 快捷键一览. Loaded when first opened, never at start.

The guide is resources/help/guide.md — the same text as the README's clerk section (scripts/sync_guide.py copies
it there; tests/ui/test_help.py holds them equal). The list of shortcuts is read from the window's own actions
(every menu item with a key, and any other action of the window that has one), so it cannot drift from what the
keys do; the keys the targets table handles itself come from the table's own key map.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..resources import read_text
from .targets_view import SUBMIT_KEYS

GUIDE = ("help", "guide.md")
GUIDE_TITLE = "六保任务台账 使用说明"
# What the table's own keys do, by the word its key map uses (targets_view.SUBMIT_KEYS).
SUBMIT_WORDS = {"down": "保存并移到下一行", "next": "保存并移到下一个可填的单元格",
                "previous": "保存并移到上一个可填的单元格"}
# Keys the table handles in its keyPressEvent besides SUBMIT_KEYS (targets_view.TargetsView.keyPressEvent).
TABLE_KEYS = (
    ("直接输入", "开始填写所选单元格"),
    ("Esc", "取消正在填写的内容"),
    ("Ctrl+Tab", "离开表格，到下一处"),
)


def guide_markdown() -> str:
    return read_text(*GUIDE)


def _browser_dialog(parent: QWidget | None, title: str, size: tuple[int, int]) -> tuple[QDialog, QTextBrowser]:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.resize(*size)
    layout = QVBoxLayout(dialog)
    browser = QTextBrowser()
    browser.setOpenLinks(False)  # the texts have no links a clerk could follow off the PC
    layout.addWidget(browser)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
    buttons.rejected.connect(dialog.close)
    layout.addWidget(buttons)
    return dialog, browser


def open_guide(window: QMainWindow) -> QDialog:
    """Not modal: the clerk reads it beside the window while filling in. One per main window, kept when closed:
    F1 again brings it back to the front."""
    found = window.findChild(QDialog, "guideWindow")
    if found is not None:
        bring_forward(found)
        return found
    dialog, browser = _browser_dialog(window, "使用说明", (820, 680))
    dialog.setObjectName("guideWindow")
    browser.setObjectName("guideText")
    browser.setMarkdown(f"## {GUIDE_TITLE}\n\n{guide_markdown()}")
    dialog.show()
    return dialog


# -- 快捷键一览 ---------------------------------------------------------------------------------------------------
def keys_text(action: QAction) -> str:
    return " 或 ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())


def _plain(text: str) -> str:
    """A menu's or an action's words without the & of its mnemonic and the … of "opens a dialog"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").split("(")[0].split("（")[0] \
        .rstrip("…").strip() or text


def _unnamed_action(action: QAction) -> tuple[str, str]:
    """Where a key of an action with no words of its own works, and what it does (the search box's Esc)."""
    widgets = [w for w in action.associatedObjects() if isinstance(w, QWidget)]
    where = "窗口"
    for w in widgets:
        if isinstance(w, QLineEdit) and w.placeholderText():
            where = w.placeholderText().split("：")[0].split(":")[0] + "框"
    if any(isinstance(w, QLineEdit) for w in widgets) and action.shortcut() == QKeySequence(Qt.Key.Key_Escape):
        return where, "清空"
    return where, action.toolTip() or action.statusTip() or "—"


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(where, what, keys) for every action of the window that has a key: the menus' items first, in menu
    order, then the window's other actions."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} → {_plain(action.text())}")
            elif action.shortcuts() and id(action) not in seen:
                seen.add(id(action))
                rows.append((path, _plain(action.text()), keys_text(action)))
            else:
                seen.add(id(action))

    for top in window.menuBar().actions():
        if isinstance(top.menu(), QMenu):
            walk(top.menu(), _plain(top.text()))
    for action in window.findChildren(QAction):
        if action.shortcuts() and id(action) not in seen and not action.menu():
            seen.add(id(action))
            where, what = _unnamed_action(action) if not action.text() else ("窗口", _plain(action.text()))
            rows.append((where, what, keys_text(action)))
    return rows


def key_name(key: Qt.Key) -> str:
    if key == Qt.Key.Key_Backtab:  # Qt's name for the key Shift+Tab makes
        return "Shift+Tab"
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def table_rows() -> list[tuple[str, str, str]]:
    keys: dict[str, list[str]] = {}
    for key, where in SUBMIT_KEYS.items():
        keys.setdefault(where, []).append(key_name(key))
    rows = [("指标表格", SUBMIT_WORDS[where], " 或 ".join(dict.fromkeys(k))) for where, k in keys.items()]
    rows += [("指标表格", what, key) for key, what in TABLE_KEYS]
    return rows


def shortcuts_html(window: QMainWindow) -> str:
    def table(rows: list[tuple[str, str, str]]) -> str:
        body = "".join(f"<tr><td>{escape(w)}</td><td>{escape(a)}</td><td><b>{escape(k)}</b></td></tr>"
                       for w, a, k in rows)
        return ('<table cellspacing="0" cellpadding="5" border="1" style="border-collapse: collapse" width="100%">'
                "<tr><th align=left width=\"20%\">位置</th><th align=left width=\"45%\">操作</th>"
                "<th align=left width=\"35%\">按键</th></tr>"
                f"{body}</table>")

    return ("<h3>菜单和窗口</h3>" + table(shortcut_rows(window))
            + "<h3>在指标表格中</h3>" + table(table_rows())
            + "<p>菜单名后括号中的字母（如“文件(F)”）与 Alt 键一起按，可以打开该菜单。</p>")


def open_shortcuts(window: QMainWindow) -> QDialog:
    """Not modal, one per main window; read again from the actions each time it opens."""
    dialog = window.findChild(QDialog, "shortcutsWindow")
    browser = dialog.findChild(QTextBrowser) if dialog is not None else None
    if dialog is None or browser is None:
        dialog, browser = _browser_dialog(window, "快捷键一览", (640, 620))
        dialog.setObjectName("shortcutsWindow")
        browser.setObjectName("shortcutsText")
    browser.setHtml(shortcuts_html(window))
    bring_forward(dialog)
    return dialog


def bring_forward(dialog: QDialog) -> None:
    if dialog.isVisible():  # behind the main window, say: to the front
        dialog.raise_()
        dialog.activateWindow()
    else:
        dialog.show()
