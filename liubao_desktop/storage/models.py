"""peewee models mirroring ``schema.py`` (a test compares them column by column), for tests and developer tools.

The app itself reads and writes through ``queries.LedgerStore`` on the stdlib ``sqlite3`` and never imports this
module (nor peewee) — that keeps the ORM off the start. Once imported, the models are bound to every database
``database.open_database`` opens afterwards, sharing its connection (and so its transaction and snapshot).
"""
from __future__ import annotations

import sqlite3
from decimal import Decimal

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    Model,
    SqliteDatabase,
    TextField,
)

from . import database
from .connection import Database
from .queries import decimal_text

database_proxy = DatabaseProxy()


class _Borrowed(SqliteDatabase):
    """peewee over a connection another ``Database`` opened and closes."""

    def __init__(self, owner: Database) -> None:
        super().__init__(owner.database)
        self.owner = owner

    def _connect(self) -> sqlite3.Connection:
        return self.owner.connection()

    def _close(self, conn: sqlite3.Connection) -> None:
        pass  # the owner's to close


def bind(db: Database) -> None:
    """Read and write the models through ``db``'s connection."""
    database_proxy.initialize(_Borrowed(db))


database.opened.append(bind)


class DecimalTextField(TextField):
    """Exact decimals kept as text; SQLite would round-trip "1.4" through a binary float otherwise."""

    def db_value(self, value: Decimal | None) -> str | None:
        return None if value is None else decimal_text(value)

    def python_value(self, value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class PlanRow(BaseModel):
    id = AutoField()
    code = TextField(unique=True)
    title = TextField()
    short_title = TextField()
    doc_number = TextField()
    issuer = TextField()
    issued_on = TextField(null=True)
    effective_from = TextField()
    effective_to = TextField()

    class Meta:
        table_name = "plan"


class PartRow(BaseModel):
    id = AutoField()
    plan = ForeignKeyField(PlanRow, column_name="plan_id", backref="parts", on_delete="CASCADE")
    seq = IntegerField()
    code = TextField()
    title = TextField()

    class Meta:
        table_name = "part"


class MeasureRow(BaseModel):
    id = AutoField()
    part = ForeignKeyField(PartRow, column_name="part_id", backref="measures", on_delete="CASCADE")
    seq = IntegerField()
    code = TextField()
    title = TextField()
    text = TextField()
    deadline = TextField(null=True)
    deadline_phrase = TextField(null=True)

    class Meta:
        table_name = "measure"


class UnitRow(BaseModel):
    id = AutoField()
    name = TextField(unique=True)

    class Meta:
        table_name = "unit"


class MeasureUnitRow(BaseModel):
    id = AutoField()
    measure = ForeignKeyField(MeasureRow, column_name="measure_id", backref="unit_links", on_delete="CASCADE")
    unit = ForeignKeyField(UnitRow, column_name="unit_id", backref="measure_links")
    seq = IntegerField()
    role = TextField()

    class Meta:
        table_name = "measure_unit"


class TargetRow(BaseModel):
    id = AutoField()
    measure = ForeignKeyField(MeasureRow, column_name="measure_id", backref="targets", on_delete="CASCADE")
    seq = IntegerField()
    code = TextField()
    label = TextField()
    value = DecimalTextField(null=True)
    unit = TextField(null=True)
    base_value = DecimalTextField(null=True)
    base_unit = TextField(null=True)
    comparator = TextField()
    kind = TextField()
    entry_unit = TextField()
    deadline = TextField(null=True)
    source = TextField()

    class Meta:
        table_name = "target"


class OrgRow(BaseModel):
    id = AutoField()
    code = TextField(unique=True)
    name = TextField(unique=True)
    kind = TextField()
    seq = IntegerField(default=0)
    parent = ForeignKeyField("self", column_name="parent_id", null=True)
    retired = BooleanField(default=False)

    class Meta:
        table_name = "org"


class AssignmentRow(BaseModel):
    id = AutoField()
    target = ForeignKeyField(TargetRow, column_name="target_id", on_delete="CASCADE")
    org = ForeignKeyField(OrgRow, column_name="org_id", on_delete="CASCADE")

    class Meta:
        table_name = "assignment"


class SettingRow(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "setting"


class LocalTargetRow(BaseModel):
    id = AutoField()
    target = ForeignKeyField(TargetRow, column_name="target_id", on_delete="CASCADE")
    org = ForeignKeyField(OrgRow, column_name="org_id", on_delete="CASCADE")
    base_value = DecimalTextField()
    updated_at = TextField()

    class Meta:
        table_name = "local_target"


class FigureRow(BaseModel):
    id = AutoField()
    target = ForeignKeyField(TargetRow, column_name="target_id", on_delete="CASCADE")
    org = ForeignKeyField(OrgRow, column_name="org_id", on_delete="CASCADE")
    period = TextField()
    base_value = DecimalTextField(null=True)
    not_applicable = BooleanField(default=False)
    note = TextField(default="")
    updated_at = TextField()
    state = TextField(null=True)

    class Meta:
        table_name = "figure"


class InvolvementRow(BaseModel):
    id = AutoField()
    target = ForeignKeyField(TargetRow, column_name="target_id", on_delete="CASCADE")
    org = ForeignKeyField(OrgRow, column_name="org_id", on_delete="CASCADE")
    involved = BooleanField()
    updated_at = TextField()

    class Meta:
        table_name = "involvement"


class NarrativeRow(BaseModel):
    id = AutoField()
    measure = ForeignKeyField(MeasureRow, column_name="measure_id", on_delete="CASCADE")
    org = ForeignKeyField(OrgRow, column_name="org_id", on_delete="CASCADE")
    period = TextField()
    progress = TextField(default="")
    problems = TextField(default="")
    next_steps = TextField(default="")
    done = BooleanField(default=False)
    updated_at = TextField()

    class Meta:
        table_name = "narrative"


class AuditRow(BaseModel):
    id = AutoField()
    at = TextField()
    operator = TextField()
    source = TextField()
    entity = TextField()
    org = ForeignKeyField(OrgRow, column_name="org_id", null=True, on_delete="SET NULL")
    target = ForeignKeyField(TargetRow, column_name="target_id", null=True, on_delete="SET NULL")
    measure = ForeignKeyField(MeasureRow, column_name="measure_id", null=True, on_delete="SET NULL")
    period = TextField(null=True)
    field = TextField()
    old_value = TextField(null=True)
    new_value = TextField(null=True)
    note = TextField(default="")
    workstation = TextField(default="")  # the PC that wrote the row (v5; '' before)

    class Meta:
        table_name = "audit_log"


class BackupLogRow(BaseModel):
    """A manual backup or a restore: who did it, when, and which file."""

    id = AutoField()
    at = TextField()
    operator = TextField()
    action = TextField()
    reason = TextField()
    file = TextField()
    note = TextField(default="")

    class Meta:
        table_name = "backup_log"


ALL_MODELS = (
    PlanRow, PartRow, MeasureRow, UnitRow, MeasureUnitRow, TargetRow, OrgRow, SettingRow,
    LocalTargetRow, FigureRow, InvolvementRow, AssignmentRow, NarrativeRow, AuditRow, BackupLogRow,
)
