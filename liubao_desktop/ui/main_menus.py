"""The main window's menu bar and the dialogs its items open. Dialogs are imported when first opened: the first
window does not pay for them."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from .. import APP_TITLE
from ..services.ledger import StorageError

if TYPE_CHECKING:
    from .main_window import MainWindow


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

    m = mb.addMenu(tr("导出(&X)"))
    m.addAction(tr("报送报表…"), lambda: export_report(window))
    m = mb.addMenu(tr("打印(&P)"))
    act = m.addAction(tr("任务清单…"), lambda: print_tasks(window))
    act.setShortcut(QKeySequence.StandardKey.Print)
    m = mb.addMenu(tr("数据(&D)"))
    m.addAction(tr("备份 / 恢复…"), lambda: backup_restore(window))
    m.addAction(tr("修改记录…"), lambda: window.show_history(None))
    m.addAction(tr("本单位对应的责任单位…"), lambda: choose_own_units(window))
    m.addAction(tr("分解目标…"), window.show_local_targets)
    m.addAction(tr("状态阈值…"), lambda: choose_thresholds(window))
    m = mb.addMenu(tr("帮助(&H)"))
    m.addAction(tr("关于"), lambda: about(window))


def choose_org(window: MainWindow) -> None:
    from .org_dialog import OrgDialog

    if not window.leave_allowed():
        return
    dialog = OrgDialog(window.ledger, window)
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


def print_tasks(window: MainWindow) -> None:
    from .print_dialog import run_print_preview

    if window.leave_allowed():
        run_print_preview(window, window.ledger, window.org_code, window.period)


def backup_restore(window: MainWindow) -> None:
    from .backup_dialog import run_backup_dialog

    if window.leave_allowed():
        run_backup_dialog(window)


def about(window: MainWindow) -> None:
    from .. import __version__

    plan = window.ledger.plan
    QMessageBox.about(
        window, "关于",
        f"<b>{APP_TITLE}</b> {__version__}<br>{plan.title}<br>{plan.doc_number}<br>"
        f"数据文件：{window.ledger.path}",
    )
