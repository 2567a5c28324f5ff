"""The office's ledger: one open database, the plan in it, and the edits a clerk makes.

Every method that changes data is one transaction and writes its audit row in the same transaction, so an
edit is either fully recorded (value and trail) or not at all. A method returns only after the commit did.
"""
from __future__ import annotations

import functools
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import peewee
from peewee import SqliteDatabase

from ..domain.figures import (
    BLANK,
    NOT_APPLICABLE,
    FigureInputError,
    FigureValue,
    check_narrative,
    parse_figure_input,
)
from ..domain.narrative import EMPTY_NARRATIVE, Narrative
from ..domain.orgs import Org
from ..domain.periods import Period, default_period, plan_periods
from ..domain.plan import Target
from ..domain.progress import Thresholds
from ..domain.quantities import COUNT_UNITS, convert, format_number
from ..storage.backup import make_backup
from ..storage.database import DB_FILENAME, StorageError, open_database, raise_translated
from ..storage.errors import LedgerFileLostError
from ..storage.models import (
    AuditRow,
    FigureRow,
    LocalTargetRow,
    NarrativeRow,
    OrgRow,
    SettingRow,
)
from .plan_loader import load_plan

SOURCES = ("typed", "undo", "redo", "import", "restore", "sample")
MAX_FIGURE = Decimal("1e15")
NARRATIVE_LIMIT = 2000
NOTE_LIMIT = 500
MAX_DECIMALS = 4  # in the unit a figure is typed in
CONFIRM_FACTOR = 10  # a figure above 10× its goal asks "are you sure?" (like DHIS2's min-max warnings)

__all__ = ["Change", "Ledger", "StorageError"]  # StorageError is re-exported for the UI

_F = TypeVar("_F", bound=Callable[..., object])


def _storage_errors_in_chinese(method: _F) -> _F:
    """A write that fails on a read-only folder, a full disk or a disk error raises a StorageError whose text
    tells the clerk what happened; the transaction was rolled back, every earlier commit is intact."""

    @functools.wraps(method)
    def wrapper(self: Ledger, *args: object, **kwargs: object) -> object:
        try:
            return method(self, *args, **kwargs)
        except (peewee.OperationalError, peewee.DatabaseError, sqlite3.Error) as exc:
            raise_translated(exc, self.path)

    return wrapper  # type: ignore[return-value]


def now_text() -> str:
    return datetime.now().isoformat(timespec="seconds")


def figure_text(value: FigureValue) -> str | None:
    """How a figure is written in the audit trail: a plain decimal, 不适用, or NULL for blank."""
    if value.not_applicable:
        return "不适用"
    if value.number is None:
        return None
    return format(value.number.normalize(), "f")


@dataclass(frozen=True)
class Change:
    """What one edit did, so the UI can undo it and say what was saved."""

    org: str
    key: str  # target or measure code
    period: str | None
    old: object
    new: object
    message: str


class Ledger:
    def __init__(self, db: SqliteDatabase, path: Path, plan_code: str | None = None) -> None:
        self.db = db
        self.path = path
        self.plan, self.measure_ids, self.target_ids = load_plan(plan_code)
        self.periods: list[Period] = plan_periods(self.plan.effective_from, self.plan.effective_to)
        self._targets = {t.code: t for t in self.plan.targets()}
        self._orgs: dict[str, tuple[int, Org]] = {}
        self._load_orgs()

    # -- opening ---------------------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, **kwargs: object) -> Ledger:
        path = Path(data_dir) / DB_FILENAME
        db = open_database(path, **kwargs)  # type: ignore[arg-type]
        return cls(db, path)

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()

    def reopen(self) -> None:
        """Close the file and open it again (after a restore put another file in its place)."""
        on_lost = self.file_lost_callback
        self.close()
        db = open_database(self.path, create=False)
        self.__init__(db, self.path, self.plan.code)  # type: ignore[misc]
        self.on_file_lost(on_lost)

    # -- the file under the ledger ---------------------------------------------------------------------
    @property
    def start_notices(self) -> list[str]:
        """What opening the file did to the data folder that the clerk must be told (logs moved aside)."""
        return list(getattr(self.db, "notices", ()))

    @property
    def file_lost(self) -> LedgerFileLostError | None:
        """Set once a write was refused because the file was deleted or replaced under the open ledger."""
        return getattr(self.db, "lost", None)

    @property
    def file_lost_callback(self) -> Callable[[LedgerFileLostError], None] | None:
        return getattr(self.db, "on_lost", None)

    def on_file_lost(self, callback: Callable[[LedgerFileLostError], None] | None) -> None:
        """``callback(error)`` is called once, when the first write finds the file gone from its path."""
        if hasattr(self.db, "on_lost"):
            self.db.on_lost = callback

    @contextmanager
    def bulk_operation(self, reason: str = "before_bulk") -> Iterator[Path]:
        """Back up first, then run the block as one transaction: an import lands whole or not at all.

        Yields the backup file. Use ``source="import"`` for the edits made inside."""
        backup = make_backup(self.path, reason)
        try:
            with self.db.atomic():
                yield backup
        except (peewee.OperationalError, peewee.DatabaseError, sqlite3.Error) as exc:
            raise_translated(exc, self.path)

    def _load_orgs(self) -> None:
        self._orgs = {
            r.code: (r.id, Org(r.code, r.name, r.kind)) for r in OrgRow.select().order_by(OrgRow.seq, OrgRow.id)
        }

    # -- orgs and settings -----------------------------------------------------------------------------
    def orgs(self) -> list[Org]:
        return [o for _, o in self._orgs.values()]

    def org(self, code_or_name: str) -> Org:
        if code_or_name in self._orgs:
            return self._orgs[code_or_name][1]
        for _, o in self._orgs.values():
            if o.name == code_or_name:
                return o
        raise KeyError(f"没有名为“{code_or_name}”的填报单位。")

    def org_id(self, code: str) -> int:
        return self._orgs[self.org(code).code][0]

    @_storage_errors_in_chinese
    def choose_office(self, name: str, operator: str) -> Org:
        """First start (or a change of office): the office — added when it is a new name — and the person
        filling in, saved together."""
        operator = operator.strip()
        if not operator or len(operator) > 40:
            raise ValueError("请填写填报人姓名（不超过 40 个字），修改记录中会注明是谁修改的。")
        try:
            with self.db.atomic():
                org = self.add_org(name)
                self.set_setting("current_org", org.code)
                self.set_setting("operator", operator)
        except Exception:
            self._load_orgs()  # forget an office whose adding was rolled back
            raise
        return org

    def add_org(self, name: str) -> Org:
        name = name.strip()
        if not name or len(name) > 40:
            raise ValueError("单位名称不能为空，且不超过 40 个字。")
        for o in self.orgs():
            if o.name == name:
                return o
        with self.db.atomic():
            n = OrgRow.select().where(OrgRow.kind == "custom").count() + 1
            code = f"CUSTOM{n:02d}"
            while code in self._orgs:
                n += 1
                code = f"CUSTOM{n:02d}"
            OrgRow.create(code=code, name=name, kind="custom", seq=1000 + n)
        self._load_orgs()
        return self.org(code)

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = SettingRow.get_or_none(SettingRow.key == key)
        return row.value if row else default

    @_storage_errors_in_chinese
    def set_setting(self, key: str, value: str) -> None:
        with self.db.atomic():
            SettingRow.insert(key=key, value=value).on_conflict_replace().execute()

    @property
    def operator(self) -> str:
        return self.setting("operator", "") or "未署名"

    def thresholds(self) -> Thresholds:
        return Thresholds(
            red_behind_points=Decimal(self.setting("red_behind_points", "10") or "10"),
            yellow_behind_points=Decimal(self.setting("yellow_behind_points", "0") or "0"),
        )

    def set_thresholds(self, thresholds: Thresholds) -> None:
        """The office's own 黄/红 thresholds (percentage points behind 序时), saved together."""
        for points in (thresholds.red_behind_points, thresholds.yellow_behind_points):
            if not Decimal(0) <= points <= Decimal(100):
                raise ValueError("阈值应在 0 到 100 个百分点之间。")
        with self.db.atomic():
            self.set_setting("red_behind_points", format(thresholds.red_behind_points.normalize(), "f"))
            self.set_setting("yellow_behind_points", format(thresholds.yellow_behind_points.normalize(), "f"))

    # -- targets -----------------------------------------------------------------------------------------
    def target(self, code: str) -> Target:
        return self._targets[code]

    def parse_entry(self, target_code: str, text: str) -> FigureValue:
        """What a clerk typed in the target's entry unit, as a base-unit figure; FigureInputError if refused."""
        t = self.target(target_code)
        if t.entry_unit != "%" and ("%" in text or "％" in text):
            # "50%" typed against a count would silently become 50 people.
            raise FigureInputError(f"“{t.label}”按{t.entry_unit}填报，不能填百分数。")
        # The entry unit decides whether 万 / 亿 may follow the number ("1.5万" 人, "1.5亿" 万元, never in %).
        value = parse_figure_input(text, allow_negative=t.comparator in ("increase_by", "reduce_by"),
                                   max_value=MAX_FIGURE, unit=t.entry_unit)
        if value.number is None:
            return value
        base = FigureValue.of(self.entry_to_base(t, value.number))
        self._check_figure(t, base)  # refused here, before any "are you sure?" is asked about it
        return base

    def parse_local_target(self, target_code: str, text: str) -> Decimal | None:
        """A 分解目标 as typed (entry unit) in base units; None (cleared) means the city target applies."""
        value = self.parse_entry(target_code, text)
        if value.not_applicable:
            raise FigureInputError("分解目标不能填“不适用”；不设分解目标请清空。")
        if value.number is not None and value.number <= 0:
            raise FigureInputError("分解目标必须大于 0；不设分解目标请清空。")
        return value.number

    @staticmethod
    def check_note(text: str) -> str:
        note = text.strip()
        if len(note) > NOTE_LIMIT:
            raise FigureInputError(f"备注不能超过 {NOTE_LIMIT} 个字（现在 {len(note)} 个字）。")
        return note

    def entry_to_base(self, t: Target, number: Decimal) -> Decimal:
        if t.entry_unit == "%":
            return number / 100
        return convert(number, t.entry_unit, t.base_unit or t.entry_unit) if t.base_unit else number

    def base_to_entry(self, t: Target, number: Decimal) -> Decimal:
        if t.entry_unit == "%":
            return number * 100
        return convert(number, t.base_unit or t.entry_unit, t.entry_unit) if t.base_unit else number

    def format_entry(self, target_code: str, value: FigureValue) -> str:
        """A figure as the clerk typed it: "1,523", "不适用" or "" for blank."""
        if value.not_applicable:
            return "不适用"
        if value.number is None:
            return ""
        return format_number(self.base_to_entry(self.target(target_code), value.number))

    # -- figures -------------------------------------------------------------------------------------
    def figures(self, org: str) -> dict[str, dict[Period, FigureValue]]:
        """Every figure of one office: target code → month → value (base units)."""
        out: dict[str, dict[Period, FigureValue]] = defaultdict(dict)
        codes = {v: k for k, v in self.target_ids.items()}
        months = {str(p): p for p in self.periods}
        # A plain cursor: this is the hot path of every report and export (13 offices × 17 months × 39 targets).
        cursor = self.db.execute_sql(
            "SELECT target_id, period, base_value, not_applicable FROM figure WHERE org_id = ?", (self.org_id(org),))
        for target_id, period, base, na in cursor:
            code = codes.get(target_id)
            if code is None:
                continue
            value = NOT_APPLICABLE if na else (FigureValue.of(Decimal(base)) if base is not None else BLANK)
            out[code][months.get(period) or Period.parse(period)] = value
        return dict(out)

    def figure(self, org: str, target_code: str, period: Period) -> FigureValue:
        """One cell's figure: one row read, not the office's whole series."""
        return self._row_value(FigureRow.get_or_none(self._figure_key(org, target_code, period)))

    def _figure_key(self, org: str, target_code: str, period: Period):  # noqa: ANN202 - a peewee expression
        return ((FigureRow.org == self.org_id(org)) & (FigureRow.target == self.target_ids[target_code])
                & (FigureRow.period == str(period)))

    @staticmethod
    def _row_value(row: FigureRow | None) -> FigureValue:
        if row is None:
            return BLANK
        if row.not_applicable:
            return NOT_APPLICABLE
        return FigureValue.of(row.base_value) if row.base_value is not None else BLANK

    def notes_by_period(self, org: str) -> dict[Period, dict[str, str]]:
        """Every month's 备注 of one office in one query: month → target code → note."""
        codes = {v: k for k, v in self.target_ids.items()}
        out: dict[Period, dict[str, str]] = defaultdict(dict)
        cursor = self.db.execute_sql(
            "SELECT target_id, period, note FROM figure WHERE org_id = ? AND note != ''", (self.org_id(org),))
        for target_id, period, note in cursor:
            if target_id in codes:
                out[Period.parse(period)][codes[target_id]] = note
        return dict(out)

    def notes(self, org: str, period: Period) -> dict[str, str]:
        codes = {v: k for k, v in self.target_ids.items()}
        rows = (
            FigureRow.select(FigureRow.target, FigureRow.note)
            .where((FigureRow.org == self.org_id(org)) & (FigureRow.period == str(period)) & (FigureRow.note != ""))
            .tuples()
        )
        return {codes[t]: n for t, n in rows if t in codes}

    def _check_figure(self, t: Target, value: FigureValue) -> None:
        n = value.number
        if n is None:
            return
        if not n.is_finite() or abs(n) > MAX_FIGURE:
            raise FigureInputError("数值过大或无效，请检查。")
        if n < 0 and t.comparator not in ("increase_by", "reduce_by"):
            raise FigureInputError(f"“{t.label}”不能填负数。")
        entry = self.base_to_entry(t, n).normalize()
        if entry.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
            raise FigureInputError(f"“{t.label}”最多保留 {MAX_DECIMALS} 位小数（按{t.entry_unit}计）。")
        if t.entry_unit == "%" and entry > 100 and t.comparator != "increase_by":
            # A share, a 完成程度 or a cut cannot pass 100%; only a growth rate can.
            raise FigureInputError(f"“{t.label}”是百分比，不能超过 100%。")
        if t.entry_unit in COUNT_UNITS and entry != entry.to_integral_value():
            raise FigureInputError(f"“{t.label}”按{t.entry_unit}计，只能填整数。")

    def local_target_question(self, target_code: str, base_value: Decimal) -> str | None:
        """A question before saving a 分解目标 above the city's whole target or below a thousandth of it — most
        often a unit slip (0.1 meant as 万人 but typed where 人 are counted)."""
        t = self.target(target_code)
        city = t.base_value
        if city is None or city <= 0 or t.entry_unit == "%":
            return None
        shown = f"{format_number(self.base_to_entry(t, base_value))}{t.entry_unit}"
        city_shown = f"{format_number(t.value or city)}{t.unit or t.entry_unit}"
        if base_value > city:
            return f"“{t.label}”的分解目标 {shown} 大于市级目标 {city_shown}。确定要保存吗？"
        if base_value * 1000 < city:
            return (f"“{t.label}”的分解目标 {shown} 不到市级目标 {city_shown} 的千分之一。"
                    f"分解目标按{t.entry_unit}填写，是否填错了单位？确定要保存吗？")
        return None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several edits as one: all saved or none (a paste of many cells)."""
        with self.db.atomic():
            yield

    def confirmation_needed(self, org: str, target_code: str, period: Period, value: FigureValue) -> str | None:
        """A question to ask before saving a figure more than 10× its goal (the local target, else the city
        target); None when the figure looks plausible. A cumulative target's monthly figure is compared with
        the whole goal, so only a slip of the finger (an extra zero, 万 typed as 个) asks."""
        if value.number is None:
            return None
        t = self.target(target_code)
        local = self.local_targets(org).get(target_code)
        goal, which = (local, "分解目标") if local is not None else (t.base_value, "市级目标")
        if goal is None or goal <= 0 or abs(value.number) <= goal * CONFIRM_FACTOR:
            return None
        shown = self.format_entry(target_code, value)
        goal_shown = format_number(self.base_to_entry(t, goal))
        times = format_number((abs(value.number) / goal).quantize(Decimal("0.1")))
        return (f"{self.org(org).name} {period.label}“{t.label}”填报 {shown}{t.entry_unit}，"
                f"是{which} {goal_shown}{t.entry_unit} 的 {times} 倍。\n"
                "是否多输了位数或填错了单位？确定要保存吗？")

    @_storage_errors_in_chinese
    def record_figure(
        self,
        org: str,
        target_code: str,
        period: Period,
        value: FigureValue,
        *,
        note: str | None = None,
        source: str = "typed",
    ) -> Change:
        """Set 本期完成 for one target, org and month (BLANK removes it). Returns the change for undo."""
        t = self.target(target_code)
        self._check_figure(t, value)
        if note is not None and len(note) > NOTE_LIMIT:
            raise FigureInputError(f"备注不能超过 {NOTE_LIMIT} 个字。")
        if period not in self.periods:
            raise FigureInputError(f"{period.label} 不在方案的执行期内。")
        org_id, target_id = self.org_id(org), self.target_ids[target_code]
        key = self._figure_key(org, target_code, period)
        with self.db.atomic():
            row = FigureRow.get_or_none(key)
            old = self._row_value(row)
            old_note = row.note if row else ""
            new_note = old_note if note is None else note.strip()
            if old == value and old_note == new_note:
                return Change(org, target_code, str(period), old, value, "未改动")
            if value.is_blank and not new_note:
                if row:
                    row.delete_instance()
            else:
                FigureRow.insert(
                    target=target_id, org=org_id, period=str(period), base_value=value.number,
                    not_applicable=value.not_applicable, note=new_note, updated_at=now_text(),
                ).on_conflict(
                    conflict_target=[FigureRow.target, FigureRow.org, FigureRow.period],
                    update={FigureRow.base_value: value.number, FigureRow.not_applicable: value.not_applicable,
                            FigureRow.note: new_note, FigureRow.updated_at: now_text()},
                ).execute()
            if old != value:
                self._audit(source, "figure", org_id, period, "本期完成", figure_text(old), figure_text(value),
                            target_id=target_id)
            if old_note != new_note:
                self._audit(source, "figure", org_id, period, "备注", old_note or None, new_note or None,
                            target_id=target_id)
        where = f"{self.org(org).name} {period.label} “{t.label}”"
        if old == value:  # only the note changed
            return Change(org, target_code, str(period), old, value, f"已保存：{where} 备注")
        shown = self.format_entry(target_code, value) or "空白"
        unit = t.entry_unit if value.is_number else ""
        return Change(org, target_code, str(period), old, value, f"已保存：{where} 本期完成 {shown}{unit}")

    # -- local targets ---------------------------------------------------------------------------------
    def local_targets(self, org: str) -> dict[str, Decimal]:
        codes = {v: k for k, v in self.target_ids.items()}
        rows = LocalTargetRow.select().where(LocalTargetRow.org == self.org_id(org))
        return {codes[r.target_id]: r.base_value for r in rows if r.target_id in codes}

    @_storage_errors_in_chinese
    def set_local_target(self, org: str, target_code: str, base_value: Decimal | None, *,
                         source: str = "typed") -> Change:
        t = self.target(target_code)
        if base_value is not None:
            self._check_figure(t, FigureValue.of(base_value))
            if base_value <= 0:
                raise FigureInputError("分解目标必须大于 0；不设分解目标请清空。")
        org_id, target_id = self.org_id(org), self.target_ids[target_code]
        key = (LocalTargetRow.org == org_id) & (LocalTargetRow.target == target_id)
        with self.db.atomic():
            row = LocalTargetRow.get_or_none(key)
            old = row.base_value if row else None
            if old == base_value:
                return Change(org, target_code, None, old, base_value, "未改动")
            if base_value is None:
                LocalTargetRow.delete().where(key).execute()
            else:
                LocalTargetRow.insert(target=target_id, org=org_id, base_value=base_value,
                                      updated_at=now_text()).on_conflict(
                    conflict_target=[LocalTargetRow.target, LocalTargetRow.org],
                    update={LocalTargetRow.base_value: base_value, LocalTargetRow.updated_at: now_text()},
                ).execute()
            self._audit(source, "local_target", org_id, None, "分解目标",
                        None if old is None else format(old.normalize(), "f"),
                        None if base_value is None else format(base_value.normalize(), "f"), target_id=target_id)
        shown = "按市级目标" if base_value is None else (
            format_number(self.base_to_entry(t, base_value)) + t.entry_unit)
        return Change(org, target_code, None, old, base_value,
                      f"已保存：{self.org(org).name} “{t.label}” 分解目标 {shown}")

    # -- narratives ------------------------------------------------------------------------------------
    def narratives(self, org: str, period: Period) -> dict[str, Narrative]:
        codes = {v: k for k, v in self.measure_ids.items()}
        rows = NarrativeRow.select().where((NarrativeRow.org == self.org_id(org)) & (NarrativeRow.period == str(period)))
        return {codes[r.measure_id]: Narrative(r.progress, r.problems, r.next_steps, bool(r.done))
                for r in rows if r.measure_id in codes}

    def narrative(self, org: str, measure_code: str, period: Period) -> Narrative:
        return self.narratives(org, period).get(measure_code, EMPTY_NARRATIVE)

    @_storage_errors_in_chinese
    def write_narrative(self, org: str, measure_code: str, period: Period, new: Narrative, *,
                        source: str = "typed") -> Change:
        cleaned: dict[str, str] = {}
        for key, label in (("progress", "进展情况"), ("problems", "存在问题"), ("next_steps", "下步计划")):
            text = getattr(new, key)
            try:  # one kind of line break, no stray control characters (they would break a workbook cell)
                cleaned[key] = check_narrative(text, NARRATIVE_LIMIT)
            except FigureInputError:
                raise FigureInputError(
                    f"{label}不能超过 {NARRATIVE_LIMIT} 个字（现在 {len(text.strip())} 个字）。") from None
        new = Narrative(**cleaned, done=new.done)
        if period not in self.periods:
            raise FigureInputError(f"{period.label} 不在方案的执行期内。")
        org_id, measure_id = self.org_id(org), self.measure_ids[measure_code]
        key = (NarrativeRow.org == org_id) & (NarrativeRow.measure == measure_id) & (NarrativeRow.period == str(period))
        with self.db.atomic():
            row = NarrativeRow.get_or_none(key)
            old = Narrative(row.progress, row.problems, row.next_steps, bool(row.done)) if row else EMPTY_NARRATIVE
            if old == new:
                return Change(org, measure_code, str(period), old, new, "未改动")
            if new.is_empty:
                NarrativeRow.delete().where(key).execute()
            else:
                fields = {"progress": new.progress, "problems": new.problems, "next_steps": new.next_steps,
                          "done": new.done, "updated_at": now_text()}
                NarrativeRow.insert(measure=measure_id, org=org_id, period=str(period), **fields).on_conflict(
                    conflict_target=[NarrativeRow.measure, NarrativeRow.org, NarrativeRow.period],
                    update={getattr(NarrativeRow, k): v for k, v in fields.items()},
                ).execute()
            for label, a, b in (("进展情况", old.progress, new.progress), ("存在问题", old.problems, new.problems),
                                ("下步计划", old.next_steps, new.next_steps),
                                ("已完成", "是" if old.done else "否", "是" if new.done else "否")):
                if a != b:
                    self._audit(source, "narrative", org_id, period, label, a or None, b or None,
                                measure_id=measure_id)
        m = self.plan.measure(measure_code)
        return Change(org, measure_code, str(period), old, new,
                      f"已保存：{self.org(org).name} {period.label} {m.code} {m.title} 的工作进展")

    def measures_done_by(self, org: str, period: Period) -> set[str]:
        """Measures whose latest narrative up to this month says 已完成: a tick carries forward to later
        months until a later month's narrative unticks it."""
        codes = {v: k for k, v in self.measure_ids.items()}
        rows = (
            NarrativeRow.select(NarrativeRow.measure, NarrativeRow.done)
            .where((NarrativeRow.org == self.org_id(org)) & (NarrativeRow.period <= str(period)))
            .order_by(NarrativeRow.period)
            .tuples()
        )
        latest = {measure_id: bool(done) for measure_id, done in rows}
        return {codes[m] for m, done in latest.items() if done and m in codes}

    def measures_with_progress_by(self, org: str, period: Period) -> set[str]:
        """Measures with 进展情况 written in this month or before."""
        codes = {v: k for k, v in self.measure_ids.items()}
        rows = NarrativeRow.select(NarrativeRow.measure).where(
            (NarrativeRow.org == self.org_id(org)) & (NarrativeRow.period <= str(period))
            & (NarrativeRow.progress != "")
        ).tuples()
        return {codes[r[0]] for r in rows if r[0] in codes}

    # -- periods ---------------------------------------------------------------------------------------
    def periods_with_data(self, org: str) -> set[Period]:
        """Months in which the office recorded a figure or wrote a narrative."""
        org_id = self.org_id(org)
        figures = FigureRow.select(FigureRow.period).where(FigureRow.org == org_id).distinct().tuples()
        texts = NarrativeRow.select(NarrativeRow.period).where(NarrativeRow.org == org_id).distinct().tuples()
        return {Period.parse(p) for (p,) in [*figures, *texts]}

    def latest_period_with_data(self, org: str) -> Period | None:
        return max(self.periods_with_data(org), default=None)

    def default_period(self, org: str) -> Period:
        """The latest month with data, else the plan's first month."""
        return default_period(self.plan.effective_from, self.plan.effective_to, self.periods_with_data(org))

    # -- audit -----------------------------------------------------------------------------------------
    def _audit(self, source: str, entity: str, org_id: int, period: Period | None, field: str,
               old: str | None, new: str | None, *, target_id: int | None = None,
               measure_id: int | None = None, note: str = "") -> None:
        if source not in SOURCES:
            raise ValueError(f"unknown change source {source!r}")
        AuditRow.create(at=now_text(), operator=self.operator, source=source, entity=entity, org=org_id,
                        target=target_id, measure=measure_id, period=str(period) if period else None,
                        field=field, old_value=old, new_value=new, note=note)
