"""A value saved by someone else (another PC on the same server ledger) since the clerk read it (issue 16).

Every write that can collide — a figure, its 备注, a 分解目标, a narrative — takes the value the clerk started from
(``expected``); when the stored one is no longer that, nothing is written and a ``ConflictError`` says so with
both values and who saved the other one. The window asks 用我的覆盖 / 保留对方的 from the same fields.
"""
from __future__ import annotations

from typing import Final


class _Unchecked:
    """The type of ``UNCHECKED``."""

    def __repr__(self) -> str:
        return "UNCHECKED"


# "No starting value given": the write does not compare (the last save wins, as before issue 16). A sentinel, not
# None, where None is itself a value (a 分解目标 cleared).
UNCHECKED: Final = _Unchecked()


class ConflictError(Exception):
    """A value changed by someone else since the clerk read it: nothing was saved. ``str()`` says so in Chinese
    with both values; ``expected`` is what the clerk started from, ``current`` what is stored now, ``wanted``
    what the clerk tried to save; ``where`` names the cell (芙蓉区 2020年9月“…”的本期完成), ``who`` who saved
    the stored value and when ("" when the trail does not say), ``shown`` the three values as the clerk reads
    them."""

    def __init__(self, message: str, *, expected: object, current: object, wanted: object, where: str = "",
                 who: str = "", shown: tuple[str, str, str] = ("", "", "")) -> None:
        super().__init__(message)
        self.expected, self.current, self.wanted = expected, current, wanted
        self.where, self.who, self.shown = where, who, shown


def conflict(where: str, who: str, shown: tuple[str, str, str], *, expected: object, current: object,
             wanted: object) -> ConflictError:
    """The error for a cell, its message made from the same parts the window's question shows."""
    was, now, mine = shown
    by = f"（{who}）" if who else ""
    return ConflictError(
        f"{where}已被他人修改：您开始修改时是 {was}，现在是 {now}{by}。您填写的 {mine} 没有保存。请核对后重新填写。",
        expected=expected, current=current, wanted=wanted, where=where, who=who, shown=shown)


__all__ = ["UNCHECKED", "ConflictError", "conflict"]
