"""A value saved by someone else (another PC on the same server ledger) since the clerk read it (issue 16).

Every write that can collide — a figure, its 备注, a 分解目标, a narrative — takes the value the clerk started from
(``expected``); when the stored one is no longer that, nothing is written and a ``ConflictError`` says so with
both values and who saved the other one. The window asks 用我的覆盖 / 保留对方的 from the same fields.
"""
from __future__ import annotations

from datetime import date
from typing import Final


class _Unchecked:
    """The type of ``UNCHECKED``."""

    def __repr__(self) -> str:
        return "UNCHECKED"


# "No starting value given": the write does not compare (the last save wins, as before issue 16). A sentinel, not
# None, where None is itself a value (a 分解目标 cleared).
UNCHECKED: Final = _Unchecked()


def saver(operator: str, pc: str) -> str:
    """Who saved, as the clerk reads it: 张三（电脑 FR-PC01）; a row of the trail from before v5 names no PC: 张三."""
    return f"{operator}（电脑 {pc}）" if pc else operator


def saved_when(at: str, today: date) -> str:
    """When a row of the trail (``at``: 2020-10-15T10:31:05) was saved, as short as it reads: 10:31 today,
    10月15日 10:31 this year, 2019年10月15日 10:31 before."""
    try:
        day = date.fromisoformat(at[:10])
    except ValueError:
        return at
    clock = at[11:16]
    if day == today:
        return clock
    return f"{'' if day.year == today.year else f'{day.year}年'}{day.month}月{day.day}日 {clock}".rstrip()


class ConflictError(Exception):
    """A value changed by someone else since the clerk read it: nothing was saved. ``str()`` says so in Chinese
    with both values; ``expected`` is what the clerk started from, ``current`` what is stored now, ``wanted``
    what the clerk tried to save; ``where`` names the cell (芙蓉区 2020年9月“…”的本期完成), ``who`` who saved
    the stored value, on which PC and when (张三（电脑 FR-PC01）于 10:31; "" when the trail does not say),
    ``shown`` the three values as the clerk reads them."""

    def __init__(self, message: str, *, expected: object, current: object, wanted: object, where: str = "",
                 who: str = "", shown: tuple[str, str, str] = ("", "", "")) -> None:
        super().__init__(message)
        self.expected, self.current, self.wanted = expected, current, wanted
        self.where, self.who, self.shown = where, who, shown

    @property
    def theirs(self) -> str:
        """The other save in one phrase: 张三（电脑 FR-PC01）于 10:31 保存了 120 ("" when the trail does not say)."""
        return _theirs(self.who, self.shown[1])


def _theirs(who: str, value: str) -> str:
    return f"{who} 保存了 {value}" if who else ""


def conflict(where: str, who: str, shown: tuple[str, str, str], *, expected: object, current: object,
             wanted: object) -> ConflictError:
    """The error for a cell, its message made from the same parts the window's question shows."""
    was, now, mine = shown
    return ConflictError(
        f"{where}已被他人修改：您开始修改时是 {was}，{_theirs(who, now) or f'现在是 {now}'}。您填写的 {mine} 没有保存。"
        "请核对后重新填写。", expected=expected, current=current, wanted=wanted, where=where, who=who, shown=shown)


__all__ = ["UNCHECKED", "ConflictError", "conflict", "saved_when", "saver"]
