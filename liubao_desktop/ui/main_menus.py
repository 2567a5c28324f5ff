"""The main window's menu bar and the dialogs its items open. Dialogs are imported when first opened: the first
window does not pay for them."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from .. import APP_TITLE
from ..services.data_location import place_text
from ..services.ledger import StorageError

if TYPE_CHECKING:
    from .main_window import MainWindow


# Why 备份 / 恢复 is greyed out on a server's ledger.
SERVER_BACKUP_TIP = ("台账在数据库服务器上：服务器的备份由管理员负责（例如 pg_dump）。需要本机的一份副本时，可以运行 "
                     "python main.py db copy --from postgresql://… --to 本机文件夹。")


def build_menus(window: MainWindow) -> None:
    tr = window.tr
    mb = window.menuBar()
    m = mb.addMenu(tr("文件(&F)"))
    m.addAction(tr("切换填报单位 / 填报人…"), lambda: choose_org(window))
    m.addSeparator()
    quit_action = m.addAction(tr("退出"), window.close)
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)

    m = mb.addMenu(tr("编辑(&E)"))
    window.undo_action = window.undo_stack.createUndoAction(window, tr("撤销"))
    window.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
    window.redo_action = window.undo_stack.createRedoAction(window, tr("重做"))
    window.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
    m.addAction(window.undo_action)
    m.addAction(window.redo_action)
    m.addSeparator()
    add_cell_actions(window, m)
    m.addSeparator()
    find = m.addAction(tr("查找"), lambda: (window.search.setFocus(), window.search.selectAll()))
    find.setShortcut(QKeySequence.StandardKey.Find)

    m = mb.addMenu(tr("查看(&V)"))
    all_targets = m.addAction(tr("全部量化指标"), window.show_all_targets)
    all_targets.setShortcut(QKeySequence("Ctrl+L"))
    all_targets.setToolTip(tr("在一张表中填写本月全部量化指标（Ctrl+L）"))
    window.period_bar.addSeparator()
    window.period_bar.addAction(all_targets)
    m.addSeparator()
    prev_month = m.addAction(tr("上一个月"), lambda: window.step_period(-1))
    prev_month.setShortcuts([QKeySequence("Ctrl+PgUp"), QKeySequence("Alt+Left")])
    next_month = m.addAction(tr("下一个月"), lambda: window.step_period(1))
    next_month.setShortcuts([QKeySequence("Ctrl+PgDown"), QKeySequence("Alt+Right")])

    m = mb.addMenu(tr("方案(&L)"))
    m.addAction(tr("导入方案…"), lambda: import_plan(window))
    m = mb.addMenu(tr("导出(&X)"))
    m.addAction(tr("报送报表…"), lambda: export_report(window))
    m.addAction(tr("填报模板…"), lambda: make_templates(window))
    m.addAction(tr("进展报告（Word）…"), lambda: write_report(window))
    m = mb.addMenu(tr("打印(&P)"))
    act = m.addAction(tr("任务清单…"), lambda: print_tasks(window))
    act.setShortcut(QKeySequence.StandardKey.Print)
    m = mb.addMenu(tr("数据(&D)"))
    m.addAction(tr("导入填报数据…"), lambda: import_figures(window))
    m.addSeparator()
    window.backup_action = m.addAction(tr("备份 / 恢复…"), lambda: backup_restore(window))
    if window.ledger.on_server:  # backup files are of this PC's file; the server's ledger is its administrator's
        window.backup_action.setEnabled(False)
        window.backup_action.setToolTip(SERVER_BACKUP_TIP)
        m.setToolTipsVisible(True)
    m.addAction(tr("数据库连接…"), lambda: choose_database(window))
    m.addAction(tr("修改记录…"), lambda: window.show_history(None))
    m.addAction(tr("本单位对应的责任单位…"), lambda: choose_own_units(window))
    m.addAction(tr("分解目标…"), window.show_local_targets)
    m.addAction(tr("下级填报单位…"), lambda: edit_units(window))
    m.addAction(tr("状态阈值…"), lambda: choose_thresholds(window))
    m = mb.addMenu(tr("帮助(&H)"))
    guide = m.addAction(tr("使用说明"), lambda: show_guide(window))
    guide.setShortcut(QKeySequence.StandardKey.HelpContents)  # F1
    m.addAction(tr("快捷键一览"), lambda: show_shortcuts(window))
    m.addSeparator()
    m.addAction(tr("关于"), lambda: about(window))


# The 编辑 menu's items for the targets table: the words of its right-click menu (targets_view.menu_for), which
# does the work, and the keys the table itself answers to. The keys are shown, not taken: the table handles them
# (WidgetShortcut on an action that lives only in the menu never fires), so a key and the item do one thing.
CELL_ACTIONS = (
    ("复制", QKeySequence.StandardKey.Copy),
    ("粘贴", QKeySequence.StandardKey.Paste),
    ("清除", QKeySequence(Qt.Key.Key_Delete)),
    ("标为不适用", None),
)


def add_cell_actions(window: MainWindow, menu: QMenu) -> list[QAction]:
    actions = []
    for text, key in CELL_ACTIONS:
        action = menu.addAction(window.tr(text), lambda t=text: cell_action(window, t))
        if key is not None:
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.setStatusTip(window.tr("对指标表格中选中的单元格操作"))
        actions.append(action)
    window.cell_actions = actions
    menu.aboutToShow.connect(lambda: _enable_cell_actions(window))
    return actions


def _table_menu(window: MainWindow) -> QMenu | None:
    """The right-click menu of the table's current cell, never shown: its actions do what the 编辑 items say."""
    view = window.targets_view
    index = view.currentIndex()
    return view.menu_for(index) if index.isValid() and view.model() is not None else None


def _enable_cell_actions(window: MainWindow) -> None:
    menu = _table_menu(window)
    offered = {a.text() for a in menu.actions()} if menu is not None else set()
    for action in window.cell_actions:
        action.setEnabled(action.text() in offered)
    if menu is not None:
        menu.deleteLater()


def cell_action(window: MainWindow, text: str) -> bool:
    """Do what the table's right-click menu does for its current cell under these words; False when the cell
    offers no such thing (said in the status bar)."""
    menu = _table_menu(window)
    if menu is None:
        window.statusBar().showMessage(window.tr("请先在指标表格中选中一个单元格。"), 5000)
        return False
    try:
        found = next((a for a in menu.actions() if a.text() == text), None)
        if found is None:
            window.statusBar().showMessage(window.tr("选中的单元格不能“{}”。").format(text), 5000)
            return False
        found.trigger()
        return True
    finally:
        menu.deleteLater()


def show_guide(window: MainWindow) -> None:
    from .help_window import open_guide

    open_guide(window)


def show_shortcuts(window: MainWindow) -> None:
    from .help_window import open_shortcuts

    open_shortcuts(window)


def choose_org(window: MainWindow) -> None:
    from .org_dialog import OrgDialog

    if not window.leave_allowed():
        return
    dialog = OrgDialog(window.ledger, window, window.prefs)
    if dialog.exec() and dialog.chosen_code:
        window.reload_orgs(dialog.chosen_code)


def choose_own_units(window: MainWindow) -> None:
    from .own_units_dialog import OwnUnitsDialog

    dialog = OwnUnitsDialog(window.ledger.plan.units(), window.own_units(), window)
    if dialog.exec():
        try:
            window.ledger.preferences.set_own_units(window.org_code, dialog.chosen())
        except StorageError as exc:
            QMessageBox.warning(window, window.tr("没有保存"), str(exc))
            return
        window.mine_only.setChecked(True)
        window.filter_changed()


def choose_thresholds(window: MainWindow) -> None:
    from .thresholds_dialog import ThresholdsDialog

    if ThresholdsDialog(window.ledger, window).exec():
        window.refresh()
        window.statusBar().showMessage(window.tr("已保存状态阈值，状态已重新计算。"), 8000)


def export_report(window: MainWindow) -> None:
    from .export_dialog import run_export_dialog

    if window.leave_allowed():
        run_export_dialog(window, window.ledger, window.org_code, window.period)


def make_templates(window: MainWindow) -> None:
    from .template_dialog import run_template_dialog

    if window.leave_allowed():
        run_template_dialog(window, window.ledger, window.org_code, window.period)


def write_report(window: MainWindow) -> None:
    from .report_dialog import run_report

    if window.leave_allowed():
        run_report(window)


def edit_units(window: MainWindow) -> None:
    from .units_dialog import UnitsDialog

    UnitsDialog(window.ledger, window.org_code, window).exec()


def print_tasks(window: MainWindow) -> None:
    from .print_dialog import run_print_preview

    if window.leave_allowed():
        run_print_preview(window, window.ledger, window.org_code, window.period)


def import_figures(window: MainWindow) -> None:
    from .import_dialog import run_import_dialog

    if window.leave_allowed():
        run_import_dialog(window)


def import_plan(window: MainWindow) -> None:
    from .plan_import_ui import import_plan as run_import

    run_import(window)


def backup_restore(window: MainWindow) -> None:
    from .backup_dialog import run_backup_dialog

    if window.leave_allowed():
        run_backup_dialog(window)


def choose_database(window: MainWindow) -> None:
    from .server_dialog import run_database_dialog

    run_database_dialog(window)


def about(window: MainWindow) -> None:
    from .. import __version__

    plan = window.ledger.plan
    QMessageBox.about(
        window, "关于",
        f"<b>{APP_TITLE}</b> {__version__}<br>{plan.title}<br>{plan.doc_number}<br>"
        f"数据：{place_text(window.ledger.location)}",
    )
