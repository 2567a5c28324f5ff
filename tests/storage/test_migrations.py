"""A database made by the first release (schema v1, kept in tests/fixtures/) opens in this version, backed up
first, with every figure, target, narrative and trail row as it was."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from liubao_desktop.domain.figures import NOT_APPLICABLE, FigureValue
from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.storage import migrations
from liubao_desktop.storage.backup import list_backups
from liubao_desktop.storage.database import DB_FILENAME, StorageError
from liubao_desktop.storage.models import AuditRow
from liubao_desktop.storage.schema import SCHEMA_VERSION

from ..conftest import REPO

V1_FIXTURE = REPO / "tests" / "fixtures" / "liubao-schema-v1.sqlite3"
SEP = Period(2020, 9)


@pytest.fixture
def v1_data_dir(data_dir: Path) -> Path:
    shutil.copyfile(V1_FIXTURE, data_dir / DB_FILENAME)
    return data_dir


def structure(path: Path) -> dict[str, object]:
    """Tables with their columns (name, type, not null, default, pk), indexes with their columns."""
    conn = sqlite3.connect(path)
    try:
        out: dict[str, object] = {}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            out[table] = [r[1:] for r in conn.execute(f"PRAGMA table_info({table})")]
            for idx in conn.execute(f"PRAGMA index_list({table})").fetchall():
                out[f"{table}.{idx[1]}"] = (idx[2], [r[2] for r in conn.execute(f"PRAGMA index_info({idx[1]})")])
        return out
    finally:
        conn.close()


def test_the_fixture_really_is_a_first_release_database() -> None:
    conn = sqlite3.connect(f"{V1_FIXTURE.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "note" not in {r[1] for r in conn.execute("PRAGMA table_info(audit_log)")}
    finally:
        conn.close()


def test_a_first_release_database_opens_with_every_entry_kept(v1_data_dir: Path) -> None:
    led = Ledger.open(v1_data_dir)
    try:
        assert led.db.execute_sql("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        fr = led.figures("芙蓉区")
        assert fr["1.3.1"] == {Period(2020, 8): FigureValue.of(1000), SEP: FigureValue.of(1600)}
        assert fr["2.4.1"][SEP].number == Decimal("125005000")
        assert fr["3.3.2"][SEP] == NOT_APPLICABLE
        assert led.figure("天心区", "1.4.1", Period(2020, 10)) == FigureValue.of(0)
        assert led.notes("芙蓉区", SEP) == {"1.3.1": "含返乡人员"}
        assert led.local_targets("芙蓉区") == {"1.3.1": Decimal(1500)}
        assert led.narrative("芙蓉区", "1.3", SEP) == Narrative("开展援助活动 3 场", "岗位不足", "加强对接")
        trail = [(r.operator, r.field, r.old_value, r.new_value, r.note) for r in AuditRow.select().order_by(AuditRow.id)]
        assert len(trail) == 11 and trail[3] == ("李四", "本期完成", "1523", "1600", "")
        # and it keeps working: a new edit is traced with the new column
        led.record_figure("芙蓉区", "1.3.1", Period(2020, 10), FigureValue.of(300))
        assert AuditRow.select().count() == 12
    finally:
        led.close()


def test_the_migration_is_preceded_by_a_backup_of_the_old_file(v1_data_dir: Path) -> None:
    original = hashlib.sha256(V1_FIXTURE.read_bytes()).hexdigest()
    Ledger.open(v1_data_dir).close()
    backups = list_backups(v1_data_dir)
    assert [(b.reason, b.schema_version, b.ok) for b in backups] == [("before_migration", 1, True)]
    # the backup holds what the old file held (the backup API copies pages; the data must be identical)
    conn = sqlite3.connect(backups[0].path)
    fixture = sqlite3.connect(V1_FIXTURE)
    try:
        for table in ("figure", "local_target", "narrative", "audit_log", "setting"):
            query = f"SELECT * FROM {table} ORDER BY id" if table != "setting" else "SELECT * FROM setting ORDER BY key"
            assert conn.execute(query).fetchall() == fixture.execute(query).fetchall(), table
    finally:
        conn.close()
        fixture.close()
    assert hashlib.sha256(V1_FIXTURE.read_bytes()).hexdigest() == original


def test_a_migrated_database_has_exactly_the_structure_of_a_new_one(v1_data_dir: Path, tmp_path: Path) -> None:
    Ledger.open(v1_data_dir).close()
    fresh = tmp_path / "fresh"
    Ledger.open(fresh).close()
    assert structure(v1_data_dir / DB_FILENAME) == structure(fresh / DB_FILENAME)


def test_every_older_version_has_a_step() -> None:
    assert sorted(migrations.STEPS) == list(range(1, SCHEMA_VERSION))


def test_a_migration_that_fails_half_way_leaves_the_old_version_intact(
    v1_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(db) -> None:  # noqa: ANN001
        db.execute_sql("ALTER TABLE audit_log ADD COLUMN note TEXT NOT NULL DEFAULT ''")
        raise RuntimeError("power cut in the middle of the upgrade")

    monkeypatch.setitem(migrations.STEPS, 1, broken)
    with pytest.raises(RuntimeError):
        Ledger.open(v1_data_dir)
    conn = sqlite3.connect(v1_data_dir / DB_FILENAME)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "note" not in {r[1] for r in conn.execute("PRAGMA table_info(audit_log)")}
        assert conn.execute("SELECT count(*) FROM figure").fetchone()[0] == 5
    finally:
        conn.close()
    monkeypatch.undo()
    led = Ledger.open(v1_data_dir)  # the next start migrates properly
    try:
        assert led.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(1600)
    finally:
        led.close()


def test_no_migration_without_a_backup(v1_data_dir: Path) -> None:
    (v1_data_dir / "backups").write_text("a file where the backup folder should be")
    with pytest.raises(StorageError, match="前无法备份"):
        Ledger.open(v1_data_dir)
    conn = sqlite3.connect(v1_data_dir / DB_FILENAME)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    finally:
        conn.close()


def test_a_version_without_an_upgrade_step_is_refused_in_chinese_before_a_byte_changes(
    v1_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(migrations.STEPS, 1)
    path = v1_data_dir / DB_FILENAME
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StorageError, match="无法升级"):
        Ledger.open(v1_data_dir)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in v1_data_dir.iterdir()) == [DB_FILENAME]  # no WAL, no backup either


def test_a_qualitative_targets_completion_degree_becomes_its_state(v1_data_dir: Path) -> None:
    """v3: 定性 targets take a state. What an older file holds as 完成程度 becomes one: 100% 已完成, more than 0
    推进中, 0 未开始 — and the audit trail keeps the old numbers as they were."""
    conn = sqlite3.connect(v1_data_dir / DB_FILENAME)
    with conn:
        target = conn.execute("SELECT id FROM target WHERE code = '1.3.2'").fetchone()[0]
        org = conn.execute("SELECT id FROM org WHERE name = '芙蓉区'").fetchone()[0]
        for period, value in (("2020-08", "0"), ("2020-09", "0.85"), ("2020-10", "1")):
            conn.execute("INSERT INTO figure (target_id, org_id, period, base_value, not_applicable, note, updated_at) "
                         "VALUES (?, ?, ?, ?, 0, '', '2020-10-15T10:00:00')", (target, org, period, value))
    conn.close()
    led = Ledger.open(v1_data_dir)
    try:
        got = led.figures("芙蓉区")["1.3.2"]
        assert got == {Period(2020, 8): FigureValue.of_state("未开始"), SEP: FigureValue.of_state("推进中"),
                       Period(2020, 10): FigureValue.of_state("已完成")}
        assert led.figures("芙蓉区")["1.3.1"][SEP] == FigureValue.of(1600)  # numbers of other targets untouched
    finally:
        led.close()


def test_an_older_files_offices_report_to_the_city_added_by_the_migration(v1_data_dir: Path) -> None:
    led = Ledger.open(v1_data_dir)
    try:
        city = led.city()
        assert city is not None and city.code == "430100"
        assert {o.parent for o in led.orgs()} == {"430100"} and len(led.orgs()) == 13
        assert led.add_unit("芙蓉区", "区人社局").code == "430102-01"
    finally:
        led.close()


# -- v4 → v5: the audit trail names the PC --------------------------------------------------------------------
V4_FIXTURE = REPO / "tests" / "fixtures" / "liubao-schema-v4.sqlite3"


@pytest.fixture
def v4_data_dir(data_dir: Path) -> Path:
    """A ledger made by schema v4 (tests/fixtures/make_schema_v4.py): 李四 kept as the operator in the ledger."""
    shutil.copyfile(V4_FIXTURE, data_dir / DB_FILENAME)
    return data_dir


def test_the_v4_fixture_really_is_a_v4_ledger() -> None:
    conn = sqlite3.connect(f"{V4_FIXTURE.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
        assert "workstation" not in {r[1] for r in conn.execute("PRAGMA table_info(audit_log)")}
        assert conn.execute("SELECT value FROM setting WHERE key = 'operator'").fetchone() == ("李四",)
    finally:
        conn.close()


def test_a_v4_ledger_opens_with_its_trail_and_new_rows_name_the_pc(v4_data_dir: Path, tmp_path: Path) -> None:
    from liubao_desktop.services.workstation import Workstation, this_pc_name

    led = Ledger.open(v4_data_dir)
    try:
        assert led.db.execute_sql("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        assert [(b.reason, b.schema_version) for b in list_backups(v4_data_dir)] == [("before_migration", 4)]
        old = [(r.operator, r.workstation, r.field, r.new_value) for r in AuditRow.select().order_by(AuditRow.id)]
        assert len(old) == 10 and {(o, w) for o, w, _, _ in old} == {("李四", "")}  # written before PCs were named
        assert led.figure("430102-01", "1.3.1", SEP) == FigureValue.of(700)
        # until the window moves it to settings.ini, the operator the file kept still signs (a command, say)
        assert led.workstation == Workstation(this_pc_name(), "李四")
        led.record_figure("芙蓉区", "1.3.1", Period(2020, 10), FigureValue.of(300))
        newest = AuditRow.select().order_by(AuditRow.id.desc()).get()
        assert (newest.operator, newest.workstation) == ("李四", this_pc_name()) and newest.workstation
    finally:
        led.close()
    fresh = tmp_path / "fresh"
    Ledger.open(fresh).close()
    assert structure(v4_data_dir / DB_FILENAME) == structure(fresh / DB_FILENAME)
