"""Schema migrations: step functions from version N to N+1, each run in one transaction with its version bump.

``open_database`` backs the file up before the first step runs, so a failed or unwanted migration can always
be undone from ``backups/``. A step must bring a database to exactly what ``SCHEMA_SQL`` creates for N+1 (the
tests compare a migrated fixture with a fresh database table by table and index by index).
"""
from __future__ import annotations

from collections.abc import Callable

from ..domain.orgs import CHANGSHA
from .connection import Database
from .database import StorageError
from .schema import SCHEMA_VERSION


def _v1_to_v2(db: Database) -> None:
    db.execute_sql("ALTER TABLE audit_log ADD COLUMN note TEXT NOT NULL DEFAULT ''")
    db.execute_sql(
        """CREATE TABLE backup_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('backup', 'restore')),
    reason TEXT NOT NULL,
    file TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
)"""
    )
    db.execute_sql("CREATE INDEX audit_log_measure ON audit_log (org_id, measure_id, period)")


def _v2_to_v3(db: Database) -> None:
    db.execute_sql(
        "ALTER TABLE figure ADD COLUMN state TEXT CHECK (state IS NULL OR (state IN ('not_started', 'in_progress', "
        "'done') AND base_value IS NULL AND not_applicable = 0))")
    # A 定性 target's 完成程度 (100% = done) becomes its state: 100% 已完成, more than 0 推进中, 0 未开始.
    db.execute_sql(
        "UPDATE figure SET state = CASE WHEN CAST(base_value AS REAL) >= 1 THEN 'done' "
        "WHEN CAST(base_value AS REAL) > 0 THEN 'in_progress' ELSE 'not_started' END, base_value = NULL "
        "WHERE base_value IS NOT NULL AND target_id IN (SELECT id FROM target WHERE kind = 'done')")
    db.execute_sql(
        """CREATE TABLE involvement (
    id INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES org(id) ON DELETE CASCADE,
    involved INTEGER NOT NULL CHECK (involved IN (0, 1)),
    updated_at TEXT NOT NULL,
    UNIQUE (target_id, org_id)
)""")


def _v3_to_v4(db: Database) -> None:
    db.execute_sql("ALTER TABLE org ADD COLUMN parent_id INTEGER REFERENCES org(id)")
    db.execute_sql("ALTER TABLE org ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))")
    db.execute_sql(
        """CREATE TABLE assignment (
    id INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES org(id) ON DELETE CASCADE,
    UNIQUE (target_id, org_id)
)""")
    db.execute_sql("CREATE INDEX org_parent ON org (parent_id)")
    # The city over its offices: every office of an older file reports to 长沙市 (added when missing).
    city = CHANGSHA
    if not db.execute_sql("SELECT 1 FROM org WHERE code = ?", (city.code,)).fetchone():
        name = city.name
        if db.execute_sql("SELECT 1 FROM org WHERE name = ?", (name,)).fetchone():
            name = f"{name}（市本级）"  # a custom office already took the name
        db.execute_sql("INSERT INTO org (code, name, kind, seq) VALUES (?, ?, ?, 0)", (city.code, name, city.kind))
    (city_id,) = db.execute_sql("SELECT id FROM org WHERE code = ?", (city.code,)).fetchone()
    db.execute_sql("UPDATE org SET parent_id = ? WHERE id != ? AND parent_id IS NULL", (city_id, city_id))


def _v4_to_v5(db: Database) -> None:
    # The PC that wrote each row (several PCs write to one ledger on a server); unknown for the rows before.
    # The same statement on both engines: a server's ledger (v4 and later) takes this step too (pg.migrate).
    db.execute_sql("ALTER TABLE audit_log ADD COLUMN workstation TEXT NOT NULL DEFAULT ''")


# version N -> function that upgrades a database at N to N+1
STEPS: dict[int, Callable[[Database], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
}


def check_steps(version: int) -> None:
    """Raise StorageError unless every step from ``version`` up to SCHEMA_VERSION exists."""
    for v in range(version, SCHEMA_VERSION):
        if v not in STEPS:
            raise StorageError(
                f"数据文件的结构版本 {version} 无法升级到 {SCHEMA_VERSION}（本软件没有从版本 {v} 升级的方法），"
                "软件没有改动它。请联系技术支持人员。"
            )


def _sqlite_version(db: Database, version: int) -> None:
    db.execute_sql(f"PRAGMA user_version = {version}")


def migrate(db: Database, version: int,
            record_version: Callable[[Database, int], None] = _sqlite_version) -> None:
    """Every step from ``version`` up, each in one transaction with its version bump (``record_version``: SQLite's
    ``PRAGMA user_version``; a server passes its own, ``pg.migrate``). Inside a caller's transaction the steps are
    savepoints of it: all of them or none."""
    check_steps(version)
    while version < SCHEMA_VERSION:
        with db.atomic():
            STEPS[version](db)
            record_version(db, version + 1)
        version += 1
