"""argparse in Chinese: a clerk who mistypes a command gets a Chinese sentence, not "usage: … invalid choice".

argparse looks its texts up through ``gettext`` at the moment it prints them; ``install()`` gives it a
table of its own texts in Chinese (those a user can meet: errors and the help headings). Texts not in the
table — programming errors in our own parser — stay as they are.
"""
from __future__ import annotations

import argparse
import unicodedata

WORDS = {
    "usage: ": "用法：",
    "argument %(argument_name)s: %(message)s": "选项 %(argument_name)s：%(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "expected at least one argument": "后面至少要写一个值",
    "expected at most one argument": "后面最多写一个值",
    "expected one argument": "后面要写一个值",
    "expected %s argument": "后面要写 %s 个值",
    "expected %s arguments": "后面要写 %s 个值",
    "ignored explicit argument %r": "不需要写值 %r",
    "invalid %(type)s value: %(value)r": "“%(value)s”不是有效的值",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有“%(value)s”这一项（可选：%(choices)s）",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "one of the arguments %s is required": "必须写 %s 中的一个",
    "the following arguments are required: %s": "缺少必须写的选项：%s",
    "unrecognized arguments: %s": "无法识别的内容：%s",
    "unexpected option string: %s": "多余的选项：%s",
    "positional arguments": "命令",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
}


def _gettext(text: str) -> str:
    return WORDS.get(text, text)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install() -> None:
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """Errors in one Chinese sentence, without the usage line (whose option names a clerk cannot act on)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", WideFormatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"错误：命令有误：{message}（运行 {self.prog} --help 查看全部命令和选项）\n")


def display_width(text: str) -> int:
    """Columns a terminal gives the text: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class WideFormatter(argparse.HelpFormatter):
    """argparse's help with columns lined up by display width (it counts a Chinese character as one column),
    and the command list without argparse's "{plan,export,…}" line above it."""

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            invocations = [self._format_action_invocation(action)]
            invocations += [self._format_action_invocation(a) for a in self._iter_indented_subactions(action)]
            longest = max(display_width(i) for i in invocations) + self._current_indent
            self._action_max_length = max(self._action_max_length, longest)

    def _format_action(self, action: argparse.Action) -> str:
        if isinstance(action, argparse._SubParsersAction):  # the commands, one per line, without the choices line
            return self._join_parts([self._format_action(a) for a in self._iter_indented_subactions(action)])
        help_position = min(self._action_max_length + 2, self._max_help_position)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent = " " * self._current_indent
        if not action.help:
            return f"{indent}{header}\n"
        help_lines = self._split_lines(self._expand_help(action), max(self._width - help_position, 11))
        if display_width(header) <= action_width:
            first = f"{indent}{header}{' ' * (action_width - display_width(header))}  {help_lines[0]}\n"
        else:
            first = f"{indent}{header}\n{' ' * help_position}{help_lines[0]}\n"
        return first + "".join(f"{' ' * help_position}{line}\n" for line in help_lines[1:])
