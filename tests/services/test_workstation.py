"""Issue 16: the operator belongs to the PC, and the audit trail names the PC. Every change's row says who made it
and on which computer — on a PC's own file and on a ledger several PCs share on a PostgreSQL server; the operator
lives in this PC's settings.ini, moved there once from a ledger that kept it, and a restore never changes it."""
from __future__ import annotations

import shutil
import socket
from decimal import Decimal
from pathlib import Path

import pytest

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.services import safety
from liubao_desktop.services.audit import AuditFilter, query_changes, workstations
from liubao_desktop.services.ledger import FigureWrite, Ledger
from liubao_desktop.services.preferences import commands_operator
from liubao_desktop.services.workstation import (
    PC_NAME_LIMIT,
    Workstation,
    adopt_operator,
    for_data_folder,
    pc_name,
    this_pc_name,
)
from liubao_desktop.storage.database import DB_FILENAME
from liubao_desktop.ui.window_preferences import window_preferences

from ..storage.test_migrations import V4_FIXTURE

SEP, OCT = Period(2020, 9), Period(2020, 10)
FRQ, TXQ = "430102", "430103"  # 芙蓉区, 天心区


def trail(ledger: Ledger) -> list[tuple[str, str, str]]:
    """(operator, PC, field) of every row, oldest first."""
    return [tuple(r) for r in ledger.db.execute_sql("SELECT operator, workstation, field FROM audit_log ORDER BY id")]


def save_operator(data_dir: Path, name: str) -> None:
    """What the first start's question does: the name in this PC's settings.ini (the window's QSettings)."""
    prefs = window_preferences(data_dir)
    prefs.set_operator(name)
    prefs.sync()


# -- the PC's name --------------------------------------------------------------------------------------------
def test_the_pc_is_named_by_its_host_name_trimmed_and_limited() -> None:
    assert this_pc_name() == pc_name(socket.gethostname()) != ""
    assert pc_name("  区政务中心\t3号机\x00 ") == "区政务中心 3号机"
    assert len(pc_name("机" * 300)) == PC_NAME_LIMIT


# -- every row names the PC and the operator, on both engines ------------------------------------------------
def test_every_kind_of_edit_is_signed_with_the_pc_and_its_operator(engine_location: str) -> None:
    ledger = Ledger.open(engine_location, workstation=Workstation("芙蓉区-财务室", "张三"))
    try:
        ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1523), note="含返乡人员")
        ledger.set_local_target(FRQ, "1.3.1", Decimal(1500))
        ledger.set_involved(FRQ, "1.1.1", False)
        ledger.write_narrative(FRQ, "1.3", SEP, Narrative("开展援助活动 3 场"))
        ledger.write_figures([FigureWrite(TXQ, "1.3.1", OCT, FigureValue.of(80))], source="import",
                             note="文件 天心区.xlsx")
        assert trail(ledger) == [("张三", "芙蓉区-财务室", f) for f in
                                 ("本期完成", "备注", "分解目标", "是否涉及", "进展情况", "本期完成")]
        shown = query_changes(ledger)
        assert {(e.operator, e.workstation) for e in shown} == {("张三", "芙蓉区-财务室")}
    finally:
        ledger.close()


def test_an_operator_name_longer_than_forty_characters_is_refused(ledger: Ledger) -> None:
    with pytest.raises(ValueError, match="不超过 40 个字"):
        ledger.sign_as("张" * 41)
    ledger.sign_as("  王  五 ")
    assert ledger.operator == "王 五"


@pytest.mark.parametrize("engine_location", ["postgresql"], indirect=True)
def test_two_pcs_on_one_server_ledger_each_sign_their_own_rows(engine_location: str) -> None:
    """The city's 督查室 and 芙蓉区's clerk on one ledger: each PC's rows carry its own name and operator, each
    sees the other's, and the trail can be narrowed to one PC."""
    city = Ledger.open(engine_location, workstation=Workstation("督查室-1", "王五"))
    district = Ledger.open(engine_location, workstation=Workstation("芙蓉区-2", "张三"))
    try:
        district.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(1523))
        city.record_figure(TXQ, "1.3.1", SEP, FigureValue.of(80))
        district.write_narrative(FRQ, "1.3", SEP, Narrative("开展援助活动 3 场"))
        for pc in (city, district):
            assert trail(pc) == [("张三", "芙蓉区-2", "本期完成"), ("王五", "督查室-1", "本期完成"),
                                 ("张三", "芙蓉区-2", "进展情况")]
            assert workstations(pc) == ["督查室-1", "芙蓉区-2"]
        mine = query_changes(city, AuditFilter(workstation="芙蓉区-2"))
        assert [(e.org_name, e.field, e.operator) for e in mine] == [("芙蓉区", "进展情况", "张三"),
                                                                       ("芙蓉区", "本期完成", "张三")]
    finally:
        city.close()
        district.close()


# -- the operator is this PC's: settings.ini -------------------------------------------------------------------
def test_a_command_on_the_data_folder_signs_with_the_operator_the_window_saved(data_dir: Path) -> None:
    Ledger.open(data_dir).close()
    save_operator(data_dir, "赵六")
    assert for_data_folder(data_dir) == Workstation(this_pc_name(), "赵六")
    ledger = Ledger.open(data_dir)  # as main.py import opens it
    try:
        ledger.record_figure(FRQ, "1.3.1", SEP, FigureValue.of(7))
        assert trail(ledger) == [("赵六", this_pc_name(), "本期完成")]
        assert ledger.setting("operator") is None
    finally:
        ledger.close()


@pytest.fixture
def upgraded(data_dir: Path) -> Path:
    """A data folder whose ledger was made by v4, which kept its operator (李四) in the ledger; no settings.ini."""
    shutil.copyfile(V4_FIXTURE, data_dir / DB_FILENAME)
    return data_dir


def test_the_operator_a_v4_ledger_kept_moves_to_settings_ini_once(upgraded: Path) -> None:
    ledger = Ledger.open(upgraded)
    try:
        assert adopt_operator(ledger, window_preferences(upgraded)) == "李四"  # no first-start question again
        assert commands_operator(upgraded) == "李四" and ledger.setting("operator") is None
        ledger.record_figure(FRQ, "1.3.1", OCT, FigureValue.of(300))
        assert trail(ledger)[-1] == ("李四", this_pc_name(), "本期完成")
    finally:
        ledger.close()
    again = Ledger.open(upgraded)
    try:
        assert adopt_operator(again, window_preferences(upgraded)) == "李四" and again.operator == "李四"
    finally:
        again.close()


def test_settings_ini_wins_over_a_name_the_ledger_still_holds(upgraded: Path) -> None:
    save_operator(upgraded, "王五")
    ledger = Ledger.open(upgraded)
    try:
        assert ledger.operator == "王五"  # a command reads settings.ini first
        assert adopt_operator(ledger, window_preferences(upgraded)) == "王五"
        assert commands_operator(upgraded) == "王五" and ledger.setting("operator") is None
    finally:
        ledger.close()


def test_a_settings_ini_that_cannot_be_written_loses_nothing(upgraded: Path) -> None:
    (upgraded / "settings.ini").mkdir()  # not a file: QSettings cannot write it
    ledger = Ledger.open(upgraded)
    try:
        assert adopt_operator(ledger, window_preferences(upgraded)) == "李四" and ledger.operator == "李四"
        assert ledger.setting("operator") == "李四"  # kept in the ledger until settings.ini holds it
    finally:
        ledger.close()


@pytest.mark.parametrize("engine_location", ["postgresql"], indirect=True)
def test_a_name_in_a_server_ledgers_settings_is_nobodys_operator(engine_location: str, data_dir: Path) -> None:
    """A ledger copied to the server from a v4 file keeps that PC's operator among its settings: another PC must
    not sign with it."""
    ledger = Ledger.open(engine_location)
    try:
        ledger.set_setting("operator", "李四")
        assert adopt_operator(ledger, window_preferences(data_dir)) == ""  # the first start asks this PC's clerk
        assert ledger.operator == "未署名" and commands_operator(data_dir) == ""
        assert ledger.setting("operator") == "李四"  # left for the PC it belongs to
    finally:
        ledger.close()


def test_restoring_a_backup_from_before_the_move_keeps_this_pcs_operator(upgraded: Path, tmp_path: Path) -> None:
    """The old PC's file (v4, 李四 kept inside it) restored on a PC where 王五 fills in: still 王五, in the trail
    of the restore and in settings.ini, at once and at the next start."""
    old_file = tmp_path / "U盘" / "六保台账备份-20201015.sqlite3"
    old_file.parent.mkdir()
    shutil.copyfile(V4_FIXTURE, old_file)
    save_operator(upgraded, "王五")
    ledger = Ledger.open(upgraded)
    try:
        adopt_operator(ledger, window_preferences(upgraded))
        ledger.record_figure(FRQ, "1.3.1", OCT, FigureValue.of(300))
        safety.restore_from_file(ledger, old_file)
        assert ledger.operator == "王五" and commands_operator(upgraded) == "王五"
        restored = list(ledger.db.execute_sql(
            "SELECT DISTINCT operator, workstation FROM audit_log WHERE source = 'restore'"))
        assert restored == [("王五", this_pc_name())]
        assert ledger.setting("operator") == "李四"  # the old file's, as restored …
        assert adopt_operator(ledger, window_preferences(upgraded)) == "王五"  # … not taken at the next start
        assert ledger.setting("operator") is None
    finally:
        ledger.close()


def test_settings_ini_gives_back_any_name_the_window_saved(data_dir: Path) -> None:
    """The commands read settings.ini without Qt: what QSettings quoted or escaped reads back as typed."""
    for name in ("张三, 李四", '王"五', "@赵六", "钱\\七", "孙;八#"):
        save_operator(data_dir, name)
        assert commands_operator(data_dir) == name
