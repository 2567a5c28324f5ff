"""The question when another clerk saved a cell the clerk is saving (issue 16): both values, who saved the other
one, on which PC and when (张三（电脑 FR-PC01）于 10:31 保存了 120), and 用我的覆盖 / 保留对方的 — keeping theirs is the
default (Enter and Esc), the choice that loses nothing already saved."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ..services.ledger import ConflictError

OVERWRITE, KEEP = "用我的覆盖", "保留对方的"
LISTED = 8  # cells of a paste listed by name; the rest counted

# (what the clerk started from, what they want) in the words of what they were doing
WORDS = {
    "typed": ("您开始修改时", "您要保存的"),
    "redo": ("撤销后原为", "重做后将是"),
    "undo": ("您保存的", "撤销后将是"),
}
DOING = {"typed": "保存", "redo": "重做", "undo": "撤销"}


def question_text(conflicts: list[ConflictError], source: str) -> str:
    """The question's words: one cell with its three values, or the cells of a paste listed."""
    was, want = WORDS.get(source, WORDS["typed"])
    doing = DOING.get(source, "保存")
    if len(conflicts) == 1:
        c = conflicts[0]
        return (f"{c.where}已被他人修改。\n\n{was}：{c.shown[0]}\n{c.theirs or f'对方保存的：{c.shown[1]}'}\n"
                f"{want}：{c.shown[2]}\n\n“{OVERWRITE}”：{doing}为 {c.shown[2]}，替换对方的 {c.shown[1]}"
                f"（修改记录中两次修改都有）。\n“{KEEP}”：不{doing}，保留 {c.shown[1]}。")
    lines = [f"· {c.where}：{was} {c.shown[0]}，{c.theirs or f'对方保存的 {c.shown[1]}'}，{want} {c.shown[2]}"
             for c in conflicts[:LISTED]]
    if len(conflicts) > LISTED:
        lines.append(f"……等 {len(conflicts)} 个单元格")
    return (f"{len(conflicts)} 个单元格已被他人修改：\n" + "\n".join(lines)
            + f"\n\n“{OVERWRITE}”：这些单元格也按您的{doing}。\n“{KEEP}”：这些单元格保留对方的值，其余的照常{doing}。")


def ask_overwrite(parent: QWidget | None, conflicts: list[ConflictError], source: str) -> bool:
    """True when the clerk chose 用我的覆盖."""
    box = QMessageBox(parent)
    box.setObjectName("conflictQuestion")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("他人已修改")
    box.setText(question_text(conflicts, source))
    mine = box.addButton(OVERWRITE, QMessageBox.ButtonRole.DestructiveRole)
    theirs = box.addButton(KEEP, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(theirs)
    box.setEscapeButton(theirs)
    box.exec()
    return box.clickedButton() is mine
