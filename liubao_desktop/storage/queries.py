"""Every read and write of a ledger's data, by code: what lies above storage never sees a row id, a model or SQL.

``LedgerStore`` holds one open database and the plan read from it. The id ↔ code maps of measures, targets and
offices are built once, when the store is made or rebound to a reopened file, and every method takes and
returns codes, ``Period``s and domain values (``FigureValue``, ``Narrative``, ``Org``, ``Decimal``) or plain
tuples of them. Plain SQL on the ledger's own connection: no global proxy, and the hot paths (a report, an
export, one keystroke's write) run one statement each.

How values are written in the file is decided here and only here: decimals as exact text (``decimal_text``),
a figure in the audit trail as that text, 不适用 or NULL (``stored_figure``), read back by ``read_stored_figure``.
"""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from ..domain.figures import BLANK, NOT_APPLICABLE, FigureValue
from ..domain.narrative import Narrative
from ..domain.orgs import OFFICE_KINDS, UNIT_KIND, Org, unit_code
from ..domain.periods import Period
from ..domain.plan import Measure, Part, Plan, Target
from ..domain.words import NOT_APPLICABLE_TEXT, STATE_DONE, STATE_IN_PROGRESS, STATE_NOT_STARTED, STATES
from .connection import Database
from .seed_sql import PLAN_TABLES, first_is_lead, plan_rows, sql_value

# What a failing read or write raises, for the services to turn into a StorageError (database.raise_translated).
STORAGE_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error,)
# Fields of the audit trail whose values are figures (decoded back into FigureValue when read).
FIGURE_FIELDS = frozenset({"本期完成", "分解目标"})
_FIGURE_ENTITIES = frozenset({"figure", "local_target"})


# The audit trail's field for a target switched to or from 不涉及 (kept with the office's 分解目标).
INVOLVEMENT_FIELD = "是否涉及"


def involvement_text(involved: bool | None) -> str | None:
    return None if involved is None else ("涉及" if involved else "不涉及")


# A 定性 state in the figure table; the audit trail keeps the Chinese word.
STATE_CODES = {STATE_NOT_STARTED: "not_started", STATE_IN_PROGRESS: "in_progress", STATE_DONE: "done"}
_STATE_WORDS = {code: word for word, code in STATE_CODES.items()}


def decimal_text(value: Decimal) -> str:
    """How an exact decimal is kept in the file: plain digits, no exponent, no trailing zeros ("14000", "0.5")."""
    return format(Decimal(value).normalize(), "f")


def stored_figure(value: FigureValue | Decimal | None) -> str | None:
    """A figure as the audit trail keeps it: a plain decimal in base units, 不适用, a 定性 state's word, or NULL
    for blank."""
    if isinstance(value, Decimal):
        return decimal_text(value)
    if value is None or value.is_blank:
        return None
    if value.state is not None:
        return value.state
    return NOT_APPLICABLE_TEXT if value.not_applicable else decimal_text(value.number)


def read_stored_figure(text: str | None) -> FigureValue | str | None:
    """``stored_figure`` read back; text that is no figure (a hand-edited file) comes back as it is."""
    if text is None:
        return None
    if text == NOT_APPLICABLE_TEXT:
        return NOT_APPLICABLE
    if text in STATES:
        return FigureValue.of_state(text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return FigureValue.of(number) if number.is_finite() else text


def _figure(base: str | None, na: int, state: str | None = None) -> FigureValue:
    if state is not None:
        return FigureValue.of_state(_STATE_WORDS[state])
    if na:
        return NOT_APPLICABLE
    return BLANK if base is None else FigureValue.of(Decimal(base))


def _figure_columns(value: FigureValue) -> tuple[str | None, int]:
    return None if value.number is None else decimal_text(value.number), int(value.not_applicable)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class FigureRecord:
    """One cell as stored: 本期完成 and its 备注."""

    value: FigureValue
    note: str


@dataclass(frozen=True)
class PlanEntry:
    """One plan of the file, as ``plan list`` and the window's plan switcher show it."""

    code: str
    title: str
    short_title: str
    doc_number: str
    issuer: str
    issued_on: date | None
    effective_from: date
    effective_to: date
    parts: int
    measures: int
    targets: int


@dataclass(frozen=True)
class AuditWhere:
    """Which audit rows to read; every part optional. Codes, not ids."""

    org: str | None = None
    period: Period | None = None
    target: str | None = None  # a target's rows (figures and 分解目标)
    measure: str | None = None  # a measure's narrative rows
    local_target_too: bool = False  # with a target and a month: also its 分解目标 rows, which have no month
    entity: str | None = None  # 'figure', 'local_target' or 'narrative'
    source: str | None = None
    operator: str | None = None
    workstation: str | None = None  # the PC's name


@dataclass(frozen=True)
class TrailCell:
    """Which cell one row of the audit trail changed (issue 16: what another PC saved), by code; a code of another
    plan of the file, or of a row that names none, is None."""

    id: int
    entity: str  # 'figure', 'local_target' or 'narrative'
    org: str | None
    target: str | None
    measure: str | None
    period: Period | None
    operator: str = ""  # who saved it
    workstation: str = ""  # on which PC ('' for rows written before v5)


@dataclass(frozen=True)
class AuditRecord:
    """One row of the audit trail by code; ``old``/``new`` are FigureValues for figure fields of known targets."""

    id: int
    at: str
    operator: str
    workstation: str  # the PC's name ('' for rows written before v5)
    source: str
    entity: str
    org: str | None  # None: the office is gone (or the row concerns none)
    code: str | None  # target or measure code; None when it is gone
    period: Period | None
    field: str
    old: FigureValue | str | None
    new: FigureValue | str | None
    note: str


# The ids of one plan's measures and targets (the plan's id as the one parameter): the months with data and the last
# entry of a plan leave the figures and narratives of the file's other plans out.
_PLAN_MEASURES = "SELECT m.id FROM measure m JOIN part p ON p.id = m.part_id WHERE p.plan_id = ?"
_PLAN_TARGETS = ("SELECT t.id FROM target t JOIN measure m ON m.id = t.measure_id JOIN part p ON p.id = m.part_id "
                 "WHERE p.plan_id = ?")


# Upserts, in the one form both engines read (SQLite ≥ 3.24 and PostgreSQL: ON CONFLICT … DO UPDATE, the row keeps
# its id). The ledger's SQL is written with SQLite's ``?`` marks; ``pg.PgDatabase`` turns them into psycopg's.
_UPSERT_FIGURE = (
    "INSERT INTO figure (target_id, org_id, period, base_value, not_applicable, note, updated_at, state) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (target_id, org_id, period) DO UPDATE SET "
    "base_value = excluded.base_value, not_applicable = excluded.not_applicable, note = excluded.note, "
    "updated_at = excluded.updated_at, state = excluded.state")
_UPSERT_LOCAL_TARGET = (
    "INSERT INTO local_target (target_id, org_id, base_value, updated_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (target_id, org_id) DO UPDATE SET base_value = excluded.base_value, updated_at = excluded.updated_at")
_UPSERT_NARRATIVE = (
    "INSERT INTO narrative (measure_id, org_id, period, progress, problems, next_steps, done, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (measure_id, org_id, period) DO UPDATE SET "
    "progress = excluded.progress, problems = excluded.problems, next_steps = excluded.next_steps, "
    "done = excluded.done, updated_at = excluded.updated_at")


# The statements that differ between the engines: the one place they are written (everything else above and below
# is read by both). ``lock_figure``: inside a transaction, wait for any other writer of the cell and hold it off until
# commit — SQLite by taking the file's write lock with a write that changes nothing, PostgreSQL by a transaction-level
# advisory lock on (target, office), so a figure read after it is the one committed last.
ENGINE_SQL: dict[str, dict[str, str]] = {
    "lock_figure": {
        "sqlite": "UPDATE figure SET id = id WHERE target_id = ? AND org_id = ? AND 0",
        "postgresql": "SELECT pg_advisory_xact_lock(?, ?)",
    },
    # the id of the row an INSERT made: SQLite's cursor knows it (RETURNING needs SQLite 3.35), the server says it
    "returning_id": {"sqlite": "", "postgresql": " RETURNING id"},
}


class LedgerStore:
    """The data of one open ledger file (see the module's docstring)."""

    def __init__(self, db: Database, plan_code: str | None = None) -> None:
        self.db = db
        self._load(plan_code)

    def rebind(self, db: Database) -> None:
        """Use another connection (the file reopened after a restore): the maps are rebuilt from that file, for the
        same plan — or, when the restored file does not hold it, for its first plan."""
        self.db = db
        code = self.plan.code
        self._load(code if code in {p.code for p in self.plans()} else None)

    def switch_plan(self, code: str) -> None:
        """Read another plan of the same file (LookupError, in Chinese, when the file has no such plan)."""
        self._load(code)

    def _load(self, plan_code: str | None) -> None:
        # Everything read before anything is kept: a read that fails (a server gone) leaves the plan shown as it was.
        self.load_orgs()
        self.plan, self.measure_ids, self.target_ids = self._read_plan(plan_code)
        self._measure_codes = {v: k for k, v in self.measure_ids.items()}
        self._target_codes = {v: k for k, v in self.target_ids.items()}

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return list(self.db.execute_sql(sql, tuple(params)))

    def _run(self, sql: str, params: Sequence[object] = ()) -> None:
        self.db.execute_sql(sql, tuple(params))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction (a savepoint inside another)."""
        with self.db.atomic():
            yield

    # -- the plans of the file -----------------------------------------------------------------------------
    def plans(self) -> list[PlanEntry]:
        """Every plan of the file in the order they were added, with the number of parts, measures and targets."""
        rows = self._rows(
            "SELECT p.code, p.title, p.short_title, p.doc_number, p.issuer, p.issued_on, p.effective_from, "
            "p.effective_to, (SELECT count(*) FROM part WHERE plan_id = p.id), "
            "(SELECT count(*) FROM measure m JOIN part a ON a.id = m.part_id WHERE a.plan_id = p.id), "
            "(SELECT count(*) FROM target t JOIN measure m ON m.id = t.measure_id JOIN part a ON a.id = m.part_id "
            "WHERE a.plan_id = p.id) FROM plan p ORDER BY p.id")
        return [PlanEntry(code, title, short, doc, issuer, _date(issued), _date(frm), _date(to), parts, measures,
                          targets)  # type: ignore[arg-type]
                for code, title, short, doc, issuer, issued, frm, to, parts, measures, targets in rows]

    def insert_plan(self, plan: Plan, role: Callable[[Measure, int, str], str] = first_is_lead) -> None:
        """Add a whole plan (parts, measures, their units with 'lead'/'support' roles, targets) to the file, rows
        shaped by ``seed_sql.plan_rows`` like the seed's; units already in the file are reused by name. Call it
        inside a transaction (``Ledger.bulk_operation``): the caller has checked the plan. The store keeps showing
        the plan it showed."""
        next_ids = {table: (self._rows(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")[0][0])
                    for table in PLAN_TABLES}
        unit_ids = dict(self._rows("SELECT name, id FROM unit"))
        for table, row in plan_rows(plan, next_ids, unit_ids, role):
            marks = ", ".join("?" * len(row))
            self._run(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})",
                      tuple(sql_value(v) for v in row.values()))

    # -- the plan ------------------------------------------------------------------------------------------
    def _read_plan(self, code: str | None) -> tuple[Plan, dict[str, int], dict[str, int]]:
        """The plan (the first one when no code is given) and the ids of its measures and targets by code;
        one query per table."""
        plans = self._rows("SELECT id, code, title, short_title, doc_number, issuer, issued_on, effective_from, "
                           "effective_to FROM plan" + (" WHERE code = ?" if code else "") + " ORDER BY id LIMIT 1",
                           (code,) if code else ())
        if not plans:
            raise LookupError(f"数据文件中没有方案{f'“{code}”' if code else ''}。")
        plan_id, *head = plans[0]
        self.plan_id = plan_id  # the figures, narratives… of this plan only: see _IN_PLAN
        parts = self._rows("SELECT id, code, seq, title FROM part WHERE plan_id = ? ORDER BY seq", (plan_id,))
        measures = self._rows(
            "SELECT m.id, m.part_id, m.code, m.seq, m.title, m.text, m.deadline, m.deadline_phrase FROM measure m "
            "JOIN part p ON p.id = m.part_id WHERE p.plan_id = ? ORDER BY m.part_id, m.seq", (plan_id,))
        units: dict[int, list[str]] = defaultdict(list)
        for measure_id, name in self._rows(
                "SELECT mu.measure_id, u.name FROM measure_unit mu JOIN unit u ON u.id = mu.unit_id "
                "JOIN measure m ON m.id = mu.measure_id JOIN part p ON p.id = m.part_id WHERE p.plan_id = ? "
                "ORDER BY mu.measure_id, mu.seq", (plan_id,)):
            units[measure_id].append(name)
        targets: dict[int, list[Target]] = defaultdict(list)
        target_ids: dict[str, int] = {}
        for (tid, measure_id, tcode, label, value, unit, base_value, base_unit, comparator, kind, deadline, source,
             entry_unit) in self._rows(
                "SELECT t.id, t.measure_id, t.code, t.label, t.value, t.unit, t.base_value, t.base_unit, "
                "t.comparator, t.kind, t.deadline, t.source, t.entry_unit FROM target t "
                "JOIN measure m ON m.id = t.measure_id JOIN part p ON p.id = m.part_id WHERE p.plan_id = ? "
                "ORDER BY t.measure_id, t.seq", (plan_id,)):
            target_ids[tcode] = tid
            targets[measure_id].append(Target(
                code=tcode, label=label, value=None if value is None else Decimal(value), unit=unit,
                base_value=None if base_value is None else Decimal(base_value), base_unit=base_unit,
                comparator=comparator, kind=kind, deadline=_date(deadline), source=source, entry_unit=entry_unit,
            ))
        by_part: dict[int, list[Measure]] = defaultdict(list)
        measure_ids: dict[str, int] = {}
        for mid, part_id, mcode, seq, title, text, deadline, phrase in measures:
            measure_ids[mcode] = mid
            by_part[part_id].append(Measure(
                code=mcode, seq=seq, title=title, text=text, units=tuple(units[mid]), deadline=_date(deadline),
                deadline_phrase=phrase, targets=tuple(targets[mid]),
            ))
        pcode, title, short_title, doc_number, issuer, issued_on, start, end = head
        plan = Plan(
            code=pcode, title=title, short_title=short_title, doc_number=doc_number, issuer=issuer,
            issued_on=_date(issued_on), effective_from=date.fromisoformat(start), effective_to=date.fromisoformat(end),
            parts=tuple(Part(code=c, seq=s, title=t, measures=tuple(by_part[i])) for i, c, s, t in parts),
        )
        return plan, measure_ids, target_ids

    # -- offices -------------------------------------------------------------------------------------------
    def load_orgs(self) -> None:
        """Read the orgs again (after one was added, renamed or retired, or such a change was rolled back)."""
        rows = self._rows("SELECT o.id, o.code, o.name, o.kind, p.code, o.retired FROM org o "
                          "LEFT JOIN org p ON p.id = o.parent_id ORDER BY o.seq, o.id")
        self._orgs: dict[str, tuple[int, Org]] = {
            code: (i, Org(code, name, kind, parent, bool(retired))) for i, code, name, kind, parent, retired in rows}
        self._org_codes = {i: code for code, (i, _) in self._orgs.items()}

    def orgs(self) -> list[Org]:
        """The offices (not the city, not reporting units), in their order."""
        return [o for _, o in self._orgs.values() if o.kind in OFFICE_KINDS]

    def all_orgs(self) -> list[Org]:
        """Every org of the tree: the city, the offices and their units, retired ones included."""
        return [o for _, o in self._orgs.values()]

    def org_id(self, code: str) -> int:
        return self._orgs[code][0]

    def find_org(self, code_or_name: str) -> Org | None:
        """The org of that code, else of that name."""
        if code_or_name in self._orgs:
            return self._orgs[code_or_name][1]
        return next((o for _, o in self._orgs.values() if o.name == code_or_name), None)

    def add_org(self, name: str) -> str:
        """A new office of kind ``custom`` under the city; returns its code (CUSTOM01, CUSTOM02 …)."""
        with self.transaction():
            n = self._rows("SELECT count(*) FROM org WHERE kind = 'custom'")[0][0] + 1
            code = f"CUSTOM{n:02d}"
            while code in self._orgs:
                n += 1
                code = f"CUSTOM{n:02d}"
            city = next((i for i, o in self._orgs.values() if o.is_city), None)
            self._run("INSERT INTO org (code, name, kind, seq, parent_id) VALUES (?, ?, 'custom', ?, ?)",
                      (code, name, 1000 + n, city))
        self.load_orgs()
        return code

    def add_unit(self, parent: str, name: str) -> str:
        """A reporting unit under an office; returns its new code (never one used before, even by a retired unit)."""
        parent_id = self.org_id(parent)
        taken = {code for code in self._orgs if code.startswith(f"{parent}-")}
        n = len(taken) + 1
        while unit_code(parent, n) in taken:
            n += 1
        code = unit_code(parent, n)
        self._run("INSERT INTO org (code, name, kind, seq, parent_id) VALUES (?, ?, ?, ?, ?)",
                  (code, name, UNIT_KIND, 2000 + n, parent_id))
        return code

    def rename_org(self, code: str, name: str) -> None:
        self._run("UPDATE org SET name = ? WHERE id = ?", (name, self.org_id(code)))

    def retire_org(self, code: str, retired: bool) -> None:
        self._run("UPDATE org SET retired = ? WHERE id = ?", (int(retired), self.org_id(code)))

    # -- assignments: which reporting units report a target --------------------------------------------------
    def assignments(self, parent: str) -> dict[str, set[str]]:
        """Target code → the codes of the parent's units that report it."""
        rows = self._rows("SELECT a.target_id, o.code FROM assignment a JOIN org o ON o.id = a.org_id "
                          "WHERE o.parent_id = ?", (self.org_id(parent),))
        out: dict[str, set[str]] = defaultdict(set)
        for target_id, code in rows:
            if target_id in self._target_codes:
                out[self._target_codes[target_id]].add(code)
        return dict(out)

    def put_assignment(self, unit: str, target: str, assigned: bool) -> None:
        key = (self.target_ids[target], self.org_id(unit))
        if assigned:
            self._run("INSERT INTO assignment (target_id, org_id) VALUES (?, ?) ON CONFLICT DO NOTHING", key)
        else:
            self._run("DELETE FROM assignment WHERE target_id = ? AND org_id = ?", key)

    # -- settings ------------------------------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM setting WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self._run("INSERT INTO setting (key, value) VALUES (?, ?) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def delete_setting(self, key: str) -> None:
        self._run("DELETE FROM setting WHERE key = ?", (key,))

    def settings_named(self, keys: Iterable[str], prefix: str) -> dict[str, str]:
        """The settings called one of ``keys`` or starting with ``prefix``."""
        keys = list(keys)
        marks = ", ".join("?" * len(keys)) or "NULL"
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return dict(self._rows(f"SELECT key, value FROM setting WHERE key IN ({marks}) OR key LIKE ? ESCAPE '\\'",
                               (*keys, escaped + "%")))

    # -- figures -------------------------------------------------------------------------------------------
    def figures(self, org: str, periods: Iterable[Period] = ()) -> dict[str, dict[Period, FigureValue]]:
        """Every figure of one office: target code → month → value (base units). ``periods``: the Period
        objects to reuse for their months (the hot path of every report and export)."""
        out: dict[str, dict[Period, FigureValue]] = defaultdict(dict)
        months = {str(p): p for p in periods}
        codes = self._target_codes
        for target_id, period, base, na, state in self._rows(
                "SELECT target_id, period, base_value, not_applicable, state FROM figure WHERE org_id = ?",
                (self.org_id(org),)):
            code = codes.get(target_id)
            if code is not None:
                out[code][months.get(period) or Period.parse(period)] = _figure(base, na, state)
        return dict(out)

    def figure(self, org: str, target: str, period: Period) -> FigureRecord | None:
        rows = self._rows("SELECT base_value, not_applicable, note, state FROM figure "
                          "WHERE org_id = ? AND target_id = ? AND period = ?",
                          (self.org_id(org), self.target_ids[target], str(period)))
        if not rows:
            return None
        base, na, note, state = rows[0]
        return FigureRecord(_figure(base, na, state), note)

    def put_figure(self, org: str, target: str, period: Period, value: FigureValue, note: str, at: str) -> None:
        """Insert or update one cell (its row keeps its id)."""
        self._run(
            _UPSERT_FIGURE,
            (self.target_ids[target], self.org_id(org), str(period), *_figure_columns(value), note, at,
             None if value.state is None else STATE_CODES[value.state]))

    def lock_figure(self, org: str, target: str) -> None:
        """Inside a transaction: the cells of (office, target) — its figures and its 分解目标 — are this
        transaction's to write until it ends."""
        self._run(ENGINE_SQL["lock_figure"][self.db.engine], (self.target_ids[target], self.org_id(org)))

    def lock_narrative(self, org: str, measure: str) -> None:
        """As ``lock_figure``, for a measure's narratives (a negative key: never a target's)."""
        self._run(ENGINE_SQL["lock_figure"][self.db.engine], (-self.measure_ids[measure], self.org_id(org)))

    def delete_figure(self, org: str, target: str, period: Period) -> None:
        self._run("DELETE FROM figure WHERE org_id = ? AND target_id = ? AND period = ?",
                  (self.org_id(org), self.target_ids[target], str(period)))

    def notes_by_period(self, org: str) -> dict[Period, dict[str, str]]:
        """Every month's 备注 of one office: month → target code → note."""
        out: dict[Period, dict[str, str]] = defaultdict(dict)
        for target_id, period, note in self._rows(
                "SELECT target_id, period, note FROM figure WHERE org_id = ? AND note != ''", (self.org_id(org),)):
            if target_id in self._target_codes:
                out[Period.parse(period)][self._target_codes[target_id]] = note
        return dict(out)

    def notes(self, org: str, period: Period) -> dict[str, str]:
        rows = self._rows("SELECT target_id, note FROM figure WHERE org_id = ? AND period = ? AND note != ''",
                          (self.org_id(org), str(period)))
        return {self._target_codes[t]: n for t, n in rows if t in self._target_codes}

    def periods_with_data(self, org: str) -> set[Period]:
        """Months in which the office recorded a figure or wrote a narrative for this plan."""
        org_id = self.org_id(org)
        rows = self._rows(f"SELECT period FROM figure WHERE org_id = ? AND target_id IN ({_PLAN_TARGETS}) UNION "
                          f"SELECT period FROM narrative WHERE org_id = ? AND measure_id IN ({_PLAN_MEASURES})",
                          (org_id, self.plan_id, org_id, self.plan_id))
        return {Period.parse(p) for (p,) in rows}

    def last_entry(self, orgs: Iterable[str], period: Period) -> str | None:
        """When any of these orgs last saved a figure for the month (ISO text), None when none did."""
        ids = [self.org_id(o) for o in orgs]
        if not ids:
            return None
        marks = ", ".join("?" * len(ids))
        rows = self._rows(f"SELECT MAX(updated_at) FROM figure WHERE period = ? AND org_id IN ({marks}) "
                          f"AND target_id IN ({_PLAN_TARGETS})", (str(period), *ids, self.plan_id))
        return rows[0][0] if rows else None

    def has_entries(self) -> bool:
        """Whether any office recorded a figure or a narrative."""
        return bool(self._rows("SELECT EXISTS (SELECT 1 FROM figure) OR EXISTS (SELECT 1 FROM narrative)")[0][0])

    # -- 分解目标 --------------------------------------------------------------------------------------------
    def local_targets(self, org: str) -> dict[str, Decimal]:
        rows = self._rows("SELECT target_id, base_value FROM local_target WHERE org_id = ?", (self.org_id(org),))
        return {self._target_codes[t]: Decimal(v) for t, v in rows if t in self._target_codes}

    def local_target(self, org: str, target: str) -> Decimal | None:
        rows = self._rows("SELECT base_value FROM local_target WHERE org_id = ? AND target_id = ?",
                          (self.org_id(org), self.target_ids[target]))
        return Decimal(rows[0][0]) if rows else None

    def put_local_target(self, org: str, target: str, base: Decimal | None, at: str) -> None:
        """Set (or with None remove) an office's 分解目标."""
        key = (self.target_ids[target], self.org_id(org))
        if base is None:
            self._run("DELETE FROM local_target WHERE target_id = ? AND org_id = ?", key)
            return
        self._run(_UPSERT_LOCAL_TARGET, (*key, decimal_text(base), at))

    # -- narratives ----------------------------------------------------------------------------------------
    # -- involvement: a target switched to or from 不涉及 for one office ----------------------------------------
    def involvement(self, org: str) -> dict[str, bool]:
        """The office's own choices only (target code → involved); a target not listed follows the plan."""
        rows = self._rows("SELECT target_id, involved FROM involvement WHERE org_id = ?", (self.org_id(org),))
        return {self._target_codes[t]: bool(i) for t, i in rows if t in self._target_codes}

    def put_involvement(self, org: str, target: str, involved: bool | None, at: str) -> None:
        """None: forget the office's choice, the plan's default applies again."""
        key = (self.target_ids[target], self.org_id(org))
        if involved is None:
            self._run("DELETE FROM involvement WHERE target_id = ? AND org_id = ?", key)
            return
        self._run("INSERT INTO involvement (target_id, org_id, involved, updated_at) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (target_id, org_id) DO UPDATE SET involved = excluded.involved, "
                  "updated_at = excluded.updated_at", (*key, int(involved), at))

    def narratives(self, org: str, period: Period) -> dict[str, Narrative]:
        rows = self._rows("SELECT measure_id, progress, problems, next_steps, done FROM narrative "
                          "WHERE org_id = ? AND period = ?", (self.org_id(org), str(period)))
        return {self._measure_codes[m]: Narrative(a, b, c, bool(d)) for m, a, b, c, d in rows
                if m in self._measure_codes}

    def narrative(self, org: str, measure: str, period: Period) -> Narrative | None:
        if measure not in self.measure_ids:
            return None
        rows = self._rows("SELECT progress, problems, next_steps, done FROM narrative "
                          "WHERE org_id = ? AND measure_id = ? AND period = ?",
                          (self.org_id(org), self.measure_ids[measure], str(period)))
        return Narrative(*rows[0][:3], bool(rows[0][3])) if rows else None

    def put_narrative(self, org: str, measure: str, period: Period, new: Narrative, at: str) -> None:
        """Set one narrative; an empty one removes the row."""
        key = (self.measure_ids[measure], self.org_id(org), str(period))
        if new.is_empty:
            self._run("DELETE FROM narrative WHERE measure_id = ? AND org_id = ? AND period = ?", key)
            return
        self._run(_UPSERT_NARRATIVE, (*key, new.progress, new.problems, new.next_steps, int(new.done), at))

    def measures_done_by(self, org: str, period: Period) -> set[str]:
        """Measures whose latest narrative up to this month says 已完成."""
        rows = self._rows("SELECT measure_id, done FROM narrative WHERE org_id = ? AND period <= ? ORDER BY period",
                          (self.org_id(org), str(period)))
        latest = {m: bool(done) for m, done in rows}
        return {self._measure_codes[m] for m, done in latest.items() if done and m in self._measure_codes}

    def measures_with_progress_by(self, org: str, period: Period) -> set[str]:
        """Measures with 进展情况 written in this month or before."""
        rows = self._rows("SELECT measure_id FROM narrative WHERE org_id = ? AND period <= ? AND progress != ''",
                          (self.org_id(org), str(period)))
        return {self._measure_codes[m] for (m,) in rows if m in self._measure_codes}

    # -- bulk writes (sample data) ---------------------------------------------------------------------------
    def insert_figures(self, rows: Iterable[tuple[str, str, Period, FigureValue, str]], at: str) -> None:
        """(org, target, month, value, note) rows, replacing what is there."""
        self.db.execute_many(_UPSERT_FIGURE,
            [(self.target_ids[t], self.org_id(o), str(p), *_figure_columns(v), note, at,
              None if v.state is None else STATE_CODES[v.state]) for o, t, p, v, note in rows])

    def insert_local_targets(self, rows: Iterable[tuple[str, str, Decimal]], at: str) -> None:
        self.db.execute_many(_UPSERT_LOCAL_TARGET,
            [(self.target_ids[t], self.org_id(o), decimal_text(b), at) for o, t, b in rows])

    def insert_narratives(self, rows: Iterable[tuple[str, str, Period, Narrative]], at: str) -> None:
        self.db.execute_many(_UPSERT_NARRATIVE,
            [(self.measure_ids[m], self.org_id(o), str(p), n.progress, n.problems, n.next_steps, int(n.done), at)
             for o, m, p, n in rows])

    # -- bulk writes (an import and its undo): one statement per kind of row, not a round trip per cell --------
    def figure_records(self, orgs: Iterable[str]) -> dict[tuple[str, str, Period], FigureRecord]:
        """Every stored cell of these orgs: (org, target, month) → figure and note; one query per org."""
        out: dict[tuple[str, str, Period], FigureRecord] = {}
        months: dict[str, Period] = {}
        for org in orgs:
            for target_id, period, base, na, note, state in self._rows(
                    "SELECT target_id, period, base_value, not_applicable, note, state FROM figure WHERE org_id = ?",
                    (self.org_id(org),)):
                code = self._target_codes.get(target_id)
                if code is not None:
                    month = months.get(period) or months.setdefault(period, Period.parse(period))
                    out[(org, code, month)] = FigureRecord(_figure(base, na, state), note)
        return out

    def write_figures(self, puts: Sequence[tuple[str, str, Period, FigureValue, str]],
                      deletes: Sequence[tuple[str, str, Period]], audit: Sequence[dict[str, object]], at: str) -> None:
        """Upsert (org, target, month, value, note) cells, delete (org, target, month) cells and append audit rows
        (``append_audit``'s keyword arguments, ``at`` left out): three ``executemany`` calls."""
        self.db.execute_many(_UPSERT_FIGURE,
            [(self.target_ids[t], self.org_id(o), str(p), *_figure_columns(v), note, at,
              None if v.state is None else STATE_CODES[v.state]) for o, t, p, v, note in puts])
        self.db.execute_many("DELETE FROM figure WHERE org_id = ? AND target_id = ? AND period = ?",
                             [(self.org_id(o), self.target_ids[t], str(p)) for o, t, p in deletes])
        self.db.execute_many(
            "INSERT INTO audit_log (at, operator, workstation, source, entity, org_id, target_id, measure_id, period, "
            "field, old_value, new_value, note) VALUES (?, ?, ?, ?, 'figure', ?, ?, NULL, ?, ?, ?, ?, ?)",
            [(at, a["operator"], a["workstation"], a["source"], self._orgs[a["org"]][0],  # type: ignore[index]
              self.target_ids[a["target"]], a["period"], a["field"], a["old"], a["new"], a["note"])  # type: ignore[index]
             for a in audit])

    # -- the audit trail -----------------------------------------------------------------------------------
    def append_audit(self, *, at: str, operator: str, workstation: str, source: str, entity: str, org: str | None,
                     target: str | None = None, measure: str | None = None, period: str | None = None,
                     field: str, old: str | None, new: str | None, note: str = "") -> int:
        """One row of the trail, its id returned; codes unknown to this file (an office not in a restored backup)
        stay empty. ``workstation``: the name of the PC it was written on."""
        cursor = self.db.execute_sql(
            "INSERT INTO audit_log (at, operator, workstation, source, entity, org_id, target_id, measure_id, period, "
            "field, old_value, new_value, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + ENGINE_SQL["returning_id"][self.db.engine],
            (at, operator, workstation, source, entity, self._orgs[org][0] if org in self._orgs else None,
             self.target_ids.get(target) if target else None, self.measure_ids.get(measure) if measure else None,
             period, field, old, new, note))
        return int(cursor.fetchone()[0] if self.db.engine == "postgresql" else cursor.lastrowid)

    def last_audit_id(self) -> int:
        """The newest row of the trail (0 when it is empty): where a watch for others' edits starts."""
        return int(self._rows("SELECT coalesce(max(id), 0) FROM audit_log")[0][0])

    def audit_cells(self, after: int, also: Iterable[int] = ()) -> list[TrailCell]:
        """The cells changed by the rows of the trail after id ``after`` and by the rows ``also`` (ids skipped
        before: a transaction that took its id earlier may commit later), oldest first."""
        also = sorted(set(also))
        extra = f" OR id IN ({', '.join('?' * len(also))})" if also else ""
        return [TrailCell(row_id, entity, self._org_codes.get(org_id), self._target_codes.get(target_id),
                          self._measure_codes.get(measure_id), Period.parse(period) if period else None,
                          operator, workstation)
                for row_id, entity, org_id, target_id, measure_id, period, operator, workstation in self._rows(
                    "SELECT id, entity, org_id, target_id, measure_id, period, operator, workstation FROM audit_log "
                    f"WHERE id > ?{extra} ORDER BY id", (after, *also))]

    def _audit_where(self, w: AuditWhere) -> tuple[str, list[object]]:
        conds: list[str] = []
        params: list[object] = []
        if w.org is not None:
            conds.append("org_id = ?")
            params.append(self.org_id(w.org))
        if w.period is not None:
            if w.local_target_too and w.target is not None:
                conds.append("(period = ? OR entity = 'local_target')")
            else:
                conds.append("period = ?")
            params.append(str(w.period))
        if w.target is not None:
            conds.append("target_id = ?")
            params.append(self.target_ids[w.target])
        if w.measure is not None:
            conds.append("measure_id = ? AND entity = 'narrative'")
            params.append(self.measure_ids[w.measure])
        for column, value in (("entity", w.entity), ("source", w.source), ("operator", w.operator),
                              ("workstation", w.workstation)):
            if value:
                conds.append(f"{column} = ?")
                params.append(value)
        return (" WHERE " + " AND ".join(conds) if conds else ""), params

    def audit(self, where: AuditWhere, limit: int) -> list[AuditRecord]:
        """Matching rows of the trail, newest first (at most ``limit``)."""
        sql, params = self._audit_where(where)
        out = []
        for (row_id, at, operator, workstation, source, entity, org_id, target_id, measure_id, period, field, old,
             new, note) in self._rows(
                "SELECT id, at, operator, workstation, source, entity, org_id, target_id, measure_id, period, field, "
                f"old_value, new_value, note FROM audit_log{sql} ORDER BY id DESC LIMIT ?", (*params, limit)):
            if entity == "narrative":
                code = self._measure_codes.get(measure_id)
            else:
                code = self._target_codes.get(target_id)
            figure = entity in _FIGURE_ENTITIES and field in FIGURE_FIELDS and code is not None
            out.append(AuditRecord(
                id=row_id, at=at, operator=operator, workstation=workstation, source=source, entity=entity,
                org=self._org_codes.get(org_id), code=code, period=Period.parse(period) if period else None,
                field=field, old=read_stored_figure(old) if figure else old,
                new=read_stored_figure(new) if figure else new, note=note or "",
            ))
        return out

    def count_audit(self, where: AuditWhere) -> int:
        sql, params = self._audit_where(where)
        return self._rows(f"SELECT count(*) FROM audit_log{sql}", params)[0][0]

    def operators(self) -> list[str]:
        return [r[0] for r in self._rows("SELECT DISTINCT operator FROM audit_log ORDER BY operator")]

    def workstations(self) -> list[str]:
        """The PCs named in the trail (rows from before v5 name none)."""
        return [r[0] for r in self._rows(
            "SELECT DISTINCT workstation FROM audit_log WHERE workstation != '' ORDER BY workstation")]

    # -- the backup log ------------------------------------------------------------------------------------
    def log_backup(self, *, at: str, operator: str, action: str, reason: str, file: str, note: str = "") -> None:
        self._run("INSERT INTO backup_log (at, operator, action, reason, file, note) VALUES (?, ?, ?, ?, ?, ?)",
                  (at, operator, action, reason, file, note))

    def backup_log(self) -> list[tuple[str, str, str, str]]:
        """Restores and manual backups, newest first: (time, operator, action, file)."""
        return self._rows("SELECT at, operator, action, file FROM backup_log ORDER BY id DESC")


# -- a whole file at once, on a raw connection (a restore compares the file before with the one after) -------
def read_state(conn: sqlite3.Connection) -> dict[tuple, str | None]:
    """Every recorded value of a file (a raw connection: the file before a restore, or the one restored) as
    (entity, org code, target/measure code, period, field) → its text in the audit trail."""
    state: dict[tuple, str | None] = {}
    has_state = "state" in {r[1] for r in conn.execute("PRAGMA table_info(figure)")}  # v3 and later
    for org, target, period, base, na, note, st in conn.execute(
        f"SELECT o.code, t.code, f.period, f.base_value, f.not_applicable, f.note, {'f.state' if has_state else 'NULL'} "
        "FROM figure f JOIN org o ON o.id = f.org_id JOIN target t ON t.id = f.target_id"
    ):
        state[("figure", org, target, period, "本期完成")] = (
            _STATE_WORDS.get(st, NOT_APPLICABLE_TEXT if na else base))
        if note:
            state[("figure", org, target, period, "备注")] = note
    for org, target, base in conn.execute(
        "SELECT o.code, t.code, l.base_value FROM local_target l "
        "JOIN org o ON o.id = l.org_id JOIN target t ON t.id = l.target_id"
    ):
        state[("local_target", org, target, None, "分解目标")] = base
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'involvement'").fetchone():
        for org, target, involved in conn.execute(
            "SELECT o.code, t.code, i.involved FROM involvement i "
            "JOIN org o ON o.id = i.org_id JOIN target t ON t.id = i.target_id"
        ):
            state[("local_target", org, target, None, INVOLVEMENT_FIELD)] = involvement_text(bool(involved))
    for org, measure, period, progress, problems, next_steps, done in conn.execute(
        "SELECT o.code, m.code, n.period, n.progress, n.problems, n.next_steps, n.done FROM narrative n "
        "JOIN org o ON o.id = n.org_id JOIN measure m ON m.id = n.measure_id"
    ):
        for field, text in (("进展情况", progress), ("存在问题", problems), ("下步计划", next_steps)):
            if text:
                state[("narrative", org, measure, period, field)] = text
        state[("narrative", org, measure, period, "已完成")] = "是" if done else "否"
    return state


def read_backup_log(conn: sqlite3.Connection) -> list[tuple]:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'backup_log'").fetchone():
        return []
    return list(conn.execute("SELECT at, operator, action, reason, file, note FROM backup_log ORDER BY id"))


def read_trail(conn: sqlite3.Connection) -> list[tuple]:
    """Every row of a file's trail, by code, oldest first: ``append_audit``'s arguments in the order ``at, operator,
    source, entity, org, target, measure, period, field, old, new, note, workstation`` (columns a file's older
    schema lacks read as '')."""
    have = {r[1] for r in conn.execute("PRAGMA table_info(audit_log)")}
    note, pc = ("a.note" if "note" in have else "''"), ("a.workstation" if "workstation" in have else "''")
    return list(conn.execute(
        f"SELECT a.at, a.operator, a.source, a.entity, o.code, t.code, m.code, a.period, a.field, "
        f"a.old_value, a.new_value, {note}, {pc} FROM audit_log a LEFT JOIN org o ON o.id = a.org_id "
        "LEFT JOIN target t ON t.id = a.target_id LEFT JOIN measure m ON m.id = a.measure_id ORDER BY a.id"
    ))
