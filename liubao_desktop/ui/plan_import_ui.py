"""方案 → 导入方案…: a plan document chosen, read, checked by a person and saved as another plan of the ledger.

The review is ``plan_review_dialog.PlanReviewDialog`` (the tree beside the document's text, every target to
confirm) when that module is there; otherwise a box summarising the proposal asks before ``save_plan``. Either
way nothing is written until the person confirms, and the window then shows the new plan.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from ..domain.plan_reader import Paragraph, PlanProposal, PlanReadError
from ..services.ledger import StorageError
from ..services.preferences import WORKBOOKS

if TYPE_CHECKING:
    from .main_window import MainWindow

FILTER = "方案文件 (*.docx *.txt);;所有文件 (*)"


def source_text(path: Path) -> str:
    """The document's text as the review dialog shows it beside the tree: its paragraphs, a table's rows."""
    from ..documents import read_document

    lines = []
    for block in read_document(path):
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.extend("\t".join(row) for row in block.rows)
    return "\n\n".join(lines)


def import_plan(window: MainWindow, path: Path | None = None) -> str | None:
    """Choose (or take) a document, review it, save it; the code of the plan saved, None when nothing was."""
    from .file_dialogs import ask_open_path

    if not window.leave_allowed():
        return None
    if path is None:
        path = ask_open_path(window, window.prefs, WORKBOOKS, window.tr("导入方案"), window.tr(FILTER))
        if path is None:
            return None
    from ..services.plan_import import read_plan_document

    try:
        proposal = read_plan_document(path)
    except PlanReadError as exc:
        QMessageBox.warning(window, window.tr("无法读取方案"), str(exc))
        return None
    if importlib.util.find_spec(f"{__package__}.plan_review_dialog") is not None:
        code = _review(window, proposal, path)
    else:
        code = _confirm(window, proposal)
    if code is not None:
        window.switch_plan(code, reload=True)
        window.statusBar().showMessage(window.tr("已导入方案，窗口显示的是新方案；可在工具栏的“方案”中切换。"), 10000)
    return code


def _review(window: MainWindow, proposal: PlanProposal, path: Path) -> str | None:
    from .plan_review_dialog import PlanReviewDialog

    dialog = PlanReviewDialog(proposal, source_text(path), window, ledger=window.ledger)
    try:
        if not dialog.exec() or dialog.saved_plan is None:
            return None
        return dialog.saved_plan.code
    finally:
        dialog.deleteLater()


def summary(proposal: PlanProposal) -> str:
    targets = proposal.targets()
    unsure = [t for t in targets if t.unsure]
    day = (lambda d: d.isoformat() if d else "未写明")  # noqa: E731
    lines = [f"{proposal.title}（{proposal.doc_number or '无文号'}）",
             f"施行 {day(proposal.effective_from)} 至 {day(proposal.effective_to)}",
             f"{len(proposal.parts)} 个部分，{len(proposal.measures())} 项措施，{len(targets)} 项量化指标"
             + (f"（其中 {len(unsure)} 项读取时存疑）" if unsure else "")]
    lines += [f"注意：{n}" for n in proposal.notes]
    return "\n".join(lines)


def _confirm(window: MainWindow, proposal: PlanProposal) -> str | None:
    """Without the review dialog: the proposal summed up, saved as read when the person agrees."""
    from ..services.plan_import import PlanImportError, preview_plan, save_plan, unit_roles

    plan, data = preview_plan(window.ledger, proposal)  # a document without dates is refused: the review sets them
    if plan is None or data["problems"]:
        QMessageBox.warning(window, window.tr("不能导入"),
                            summary(proposal) + "\n\n" + "\n".join(data["problems"]))
        return None
    answer = QMessageBox.question(window, window.tr("导入方案"), summary(proposal) + window.tr(
        "\n\n按读取结果导入为方案“{}”吗？（导入前自动备份）").format(plan.code))
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        return save_plan(window.ledger, plan, roles=unit_roles(proposal)).code
    except (PlanImportError, StorageError) as exc:
        QMessageBox.warning(window, window.tr("没有导入"), str(exc))
        return None
