"""The database schema, as SQL. ``db/seed.sql`` starts with it; migrations bring older files up to it."""

SCHEMA_VERSION = 5

# History: v1 (first release) → v2 adds audit_log.note (why a change was made, e.g. which backup was restored),
# the backup_log table (manual backups and restores, who and when) and an index for a narrative's history;
# v3 adds figure.state (a 定性 target takes a state, not a 完成程度 number; v2's numbers become states) and the
# involvement table (a target switched to or from 不涉及 for one office); v4 makes the offices a tree (org.parent_id:
# 长沙市 → its 13 offices → each office's reporting units; org.retired) and adds assignment (which reporting units
# report a target); v5 names the PC in the audit trail (audit_log.workstation: several PCs write to one ledger on a
# PostgreSQL server; '' for the rows written before).
# Decimal quantities are TEXT: SQLite's NUMERIC affinity would turn "1.4" into a binary float.
# Dates are ISO text (YYYY-MM-DD), months are "YYYY-MM".
SCHEMA_SQL = """\
CREATE TABLE plan (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    short_title TEXT NOT NULL,
    doc_number TEXT NOT NULL,
    issuer TEXT NOT NULL,
    issued_on TEXT,
    effective_from TEXT NOT NULL,
    effective_to TEXT NOT NULL,
    CHECK (effective_from <= effective_to)
);
CREATE TABLE part (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    UNIQUE (plan_id, seq)
);
CREATE TABLE measure (
    id INTEGER PRIMARY KEY,
    part_id INTEGER NOT NULL REFERENCES part(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    deadline TEXT,
    deadline_phrase TEXT,
    UNIQUE (part_id, seq)
);
CREATE TABLE unit (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE measure_unit (
    id INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES measure(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    seq INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('lead', 'support')),
    UNIQUE (measure_id, unit_id),
    UNIQUE (measure_id, seq)
);
CREATE TABLE target (
    id INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES measure(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    value TEXT,
    unit TEXT,
    base_value TEXT,
    base_unit TEXT,
    comparator TEXT NOT NULL CHECK (comparator IN ('>=', '<=', '=', 'reduce_by', 'increase_by', 'done')),
    kind TEXT NOT NULL CHECK (kind IN ('cumulative', 'stock', 'rate', 'done')),
    entry_unit TEXT NOT NULL,
    deadline TEXT,
    source TEXT NOT NULL,
    UNIQUE (measure_id, seq)
);
CREATE TABLE org (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0,
    parent_id INTEGER REFERENCES org(id),
    retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE local_target (
    id INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES org(id) ON DELETE CASCADE,
    base_value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (target_id, org_id)
);
CREATE TABLE figure (
    id INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES org(id) ON DELETE CASCADE,
    period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    base_value TEXT,
    not_applicable INTEGER NOT NULL DEFAULT 0 CHECK (not_applicable IN (0, 1)),
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    state TEXT CHECK (state IS NULL OR (state IN ('not_started', 'in_progress', 'done') AND base_value IS NULL
                                        AND not_applicable = 0)),
    UNIQUE (target_id, org_id, period),
    CHECK (NOT (not_applicable = 1 AND base_value IS NOT NULL))
);
CREATE TABLE involvement (
    id INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES org(id) ON DELETE CASCADE,
    involved INTEGER NOT NULL CHECK (involved IN (0, 1)),
    updated_at TEXT NOT NULL,
    UNIQUE (target_id, org_id)
);
CREATE TABLE assignment (
    id INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL REFERENCES target(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES org(id) ON DELETE CASCADE,
    UNIQUE (target_id, org_id)
);
CREATE TABLE narrative (
    id INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES measure(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES org(id) ON DELETE CASCADE,
    period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    progress TEXT NOT NULL DEFAULT '',
    problems TEXT NOT NULL DEFAULT '',
    next_steps TEXT NOT NULL DEFAULT '',
    done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    updated_at TEXT NOT NULL,
    UNIQUE (measure_id, org_id, period)
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('typed', 'undo', 'redo', 'import', 'restore', 'sample')),
    entity TEXT NOT NULL CHECK (entity IN ('figure', 'local_target', 'narrative')),
    org_id INTEGER REFERENCES org(id) ON DELETE SET NULL,
    target_id INTEGER REFERENCES target(id) ON DELETE SET NULL,
    measure_id INTEGER REFERENCES measure(id) ON DELETE SET NULL,
    period TEXT,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    note TEXT NOT NULL DEFAULT '',
    workstation TEXT NOT NULL DEFAULT ''
);
CREATE TABLE backup_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('backup', 'restore')),
    reason TEXT NOT NULL,
    file TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX figure_org_period ON figure (org_id, period);
CREATE INDEX org_parent ON org (parent_id);
CREATE INDEX narrative_org_period ON narrative (org_id, period);
CREATE INDEX audit_log_lookup ON audit_log (org_id, period, target_id);
CREATE INDEX audit_log_measure ON audit_log (org_id, measure_id, period);
"""

# The one schema above, for PostgreSQL: the same text with the few words the two engines spell differently.
# (Quantities stay TEXT and flags INTEGER 0/1 on both, so a row reads the same from either engine.)
_POSTGRESQL_WORDS = (
    ("id INTEGER PRIMARY KEY,", "id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"),
    ("period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'", "period ~ '^[0-9]{4}-[0-1][0-9]$'"),
)
ENGINES = ("sqlite", "postgresql")


def schema_sql(engine: str = "sqlite") -> str:
    """SCHEMA_SQL for ``engine``: SQLite's as written, PostgreSQL's by the substitutions above (each must apply)."""
    if engine == "sqlite":
        return SCHEMA_SQL
    if engine != "postgresql":
        raise ValueError(f"unknown engine: {engine}")
    return postgresql_text(SCHEMA_SQL)


def postgresql_text(sqlite_sql: str) -> str:
    """A schema written for SQLite — this one, or an older version's as its file keeps it — in PostgreSQL's words."""
    text = sqlite_sql
    for sqlite_words, pg_words in _POSTGRESQL_WORDS:
        if sqlite_words not in text:
            raise AssertionError(f"schema_sql: {sqlite_words!r} is no longer in the schema")
        text = text.replace(sqlite_words, pg_words)
    return text


def table_names() -> list[str]:
    """The tables of SCHEMA_SQL in the order it creates them (every table after the ones it refers to)."""
    import re

    return re.findall(r"^CREATE TABLE (\w+) \(", SCHEMA_SQL, flags=re.MULTILINE)
