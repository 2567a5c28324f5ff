"""The headless commands speak Chinese to a clerk: help, a mistyped name, and the month they report."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from liubao_desktop import app
from liubao_desktop.cli_words import display_width
from liubao_desktop.domain.names import closest_names
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.sample_data import fill_sample_data

COMMANDS = ("plan", "sample-data", "make-seed", "tasks", "export")


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        app.build_parser().parse_args([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_help_is_chinese_with_its_columns_lined_up(capsys: pytest.CaptureFixture[str], command: str) -> None:
    text = help_of(capsys, *([command] if command else []))
    assert text.startswith("用法：")
    for english in ("usage", "show ", "options:", "positional", "arguments", "DATA_DIR", "OUT", "PERIOD", "{plan"):
        assert english not in text, english
    # every option with its help on one line starts the help in the same column, by display width
    starts = {display_width(m.group(1)) for m in re.finditer(r"^(  \S.*?\S  +)\S", text, re.M)}
    assert len(starts) == 1, text


def test_the_main_help_lists_every_command_with_what_it_does(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys)
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s+\S", text, re.M), command


def test_a_name_typed_short_or_with_a_slip_finds_the_plans_name() -> None:
    units = ["市人力资源社会保障局", "市财政局", "市税务局", "各区县市人民政府"]
    assert closest_names("财政局", units)[0] == "市财政局"
    assert closest_names("市财政", units)[0] == "市财政局"
    assert closest_names("芙容区", ["芙蓉区", "天心区", "岳麓区"])[0] == "芙蓉区"
    assert closest_names("农业农村局", ["市教育局"]) == []


def test_tasks_for_an_unknown_unit_suggests_the_closest_and_writes_nothing(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.pdf"
    assert app.main(["--data-dir", str(data_dir), "tasks", "--unit", "财政局", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "没有名为“财政局”的责任单位" in err and "是不是：市财政局" in err
    assert not out.exists()


def test_export_for_a_mistyped_office_suggests_the_office(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.xlsx"
    assert app.main(["--data-dir", str(data_dir), "export", "--org", "芙容区", "--out", str(out)]) == 1
    assert "是不是：芙蓉区" in capsys.readouterr().err
    assert not out.exists()


def test_without_period_a_command_reports_the_month_the_window_last_showed(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp) -> None:  # noqa: ANN001
    # qapp: tasks prints in this process; the Qt application must be pytest-qt's QApplication, not one the
    # printing makes (a QGuiApplication), or every window test after this one on the same worker fails
    ledger = Ledger.open(data_dir)
    fill_sample_data(ledger, ["芙蓉区"], Period(2021, 3), narratives=False)  # the latest month with data: 2021-03
    ledger.close()
    (data_dir / "settings.ini").write_text("[General]\nlast_org=430102\n", encoding="utf-8")  # the window's office
    args = ["--data-dir", str(data_dir), "tasks", "--out", str(tmp_path / "t.pdf")]
    assert app.main(args) == 0
    assert "2021年3月" in capsys.readouterr().out  # no window ever opened: the latest month with data
    # the window closed on 2020-11 for 芙蓉区: tasks and export both follow it
    (data_dir / "settings.ini").write_text("[General]\nlast_org=430102\nlast_period=2020-11\n", encoding="utf-8")
    assert app.main(args) == 0
    assert "2020年11月" in capsys.readouterr().out
    out = tmp_path / "r.xlsx"
    assert app.main(["--data-dir", str(data_dir), "export", "--org", "芙蓉区", "--out", str(out)]) == 0
    assert "2020年11月" in capsys.readouterr().out
    # for another office the window's month says nothing
    assert app.main(["--data-dir", str(data_dir), "export", "--org", "天心区", "--out", str(tmp_path / "b.xlsx")]) == 0
    assert "2020年8月" in capsys.readouterr().out  # 天心区 has no data: the plan's first month
