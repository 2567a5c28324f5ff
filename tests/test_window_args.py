"""The window's command line is read without the commands' parser (app._window_args): it must read it as the parser does."""
from __future__ import annotations

import pytest

from liubao_desktop.app import _opens_the_window, _window_args, build_parser


@pytest.mark.parametrize("argv", [[], ["--data-dir", "数据"], ["--data-dir=/tmp/a b"], ["--data-dir", "a", "--data-dir=b"],
                                  ["--data-dir="], ["--database", "postgresql://clerk@server/liubao"],
                                  ["--data-dir", "x", "--database=postgresql://clerk@server:5433/台账"]])
def test_a_window_command_line_reads_as_the_parser_reads_it(argv: list[str]) -> None:
    assert _opens_the_window(argv)
    parsed, quick = build_parser().parse_args(argv), _window_args(argv)
    assert (quick.data_dir, quick.command, quick.window_database) == \
        (parsed.data_dir, parsed.command, parsed.window_database)


@pytest.mark.parametrize("argv", [["plan"], ["--data-dir"], ["--data", "x"], ["--version"], ["--data-dir", "x", "export"],
                                  ["--database"], ["--database", "postgresql://a@b/c", "plan"]])
def test_anything_else_goes_to_the_parser(argv: list[str]) -> None:
    assert not _opens_the_window(argv)
