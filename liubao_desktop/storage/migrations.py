"""Schema migrations: step functions from version N to N+1, run in one transaction each."""
from __future__ import annotations

from collections.abc import Callable

from peewee import SqliteDatabase

from .schema import SCHEMA_VERSION

# version N -> function that upgrades a database at N to N+1
STEPS: dict[int, Callable[[SqliteDatabase], None]] = {}


def migrate(db: SqliteDatabase, version: int) -> None:
    while version < SCHEMA_VERSION:
        step = STEPS.get(version)
        if step is None:
            raise RuntimeError(f"没有从结构版本 {version} 升级的方法。")
        with db.atomic():
            step(db)
            db.execute_sql(f"PRAGMA user_version = {version + 1}")
        version += 1
