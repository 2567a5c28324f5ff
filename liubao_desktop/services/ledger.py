"""The office's ledger: one open database, the plan in it, and the edits a clerk makes.

Every method that changes data is one transaction and writes its audit row in the same transaction, so an
edit is either fully recorded (value and trail) or not at all. A method returns only after the commit did.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from ..domain.figures import BLANK, FigureInputError, FigureValue
from ..domain.figures import figure_text as text_of
from ..domain.names import unknown_name
from ..domain.narrative import EMPTY_NARRATIVE, Narrative
from ..domain.orgs import Org, involved_by_default
from ..domain.periods import Period, default_period, plan_periods
from ..domain.plan import REACH_ABSOLUTE, Measure, Plan, Target, measure_code_of
from ..domain.progress import Thresholds
from ..domain.quantities import format_number
from ..domain.rules import (
    MAX_DECIMALS,
    MAX_FIGURE,
    NARRATIVE_FIELDS,
    NARRATIVE_LIMIT,
    NOTE_LIMIT,
    check_figure,
    check_local_target,
    check_narrative_fields,
    check_period,
    parse_figure,
    read_figure,
)
from ..domain.rules import check_note as _check_note
from ..domain.words import BLANK_TEXT, FOLLOWS_CITY_TEXT, UNCHANGED_TEXT, UNDECOMPOSED_TEXT
from ..storage.backup import make_backup
from ..storage.database import DB_FILENAME, StorageError, open_database, raise_translated
from ..storage.errors import LedgerFileLostError, PasswordRequiredError, ServerError
from ..storage.queries import (
    INVOLVEMENT_FIELD,
    STORAGE_ERRORS,
    AuditWhere,
    Database,
    LedgerStore,
    PlanEntry,
    involvement_text,
    stored_figure,
)
from .conflicts import UNCHECKED, ConflictError, conflict, saved_when, saver
from .data_location import is_database_url
from .preferences import LEGACY_OFFICE, LEGACY_OPERATOR, LedgerPreferences
from .workstation import Workstation, check_operator, for_data_folder, this_pc_name

SOURCES = ("typed", "undo", "redo", "import", "restore", "sample")
CONFIRM_FACTOR = 10  # a figure above 10× its goal asks "are you sure?" (like DHIS2's min-max warnings)

__all__ = ["MAX_DECIMALS", "MAX_FIGURE", "NARRATIVE_LIMIT", "NOTE_LIMIT", "UNCHECKED", "Change", "ConflictError",
           "Ledger", "PasswordRequiredError", "ServerError",
           "StorageError"]  # StorageError (ServerError: on a server) is re-exported for the UI and the commands, the
# limits for its editors

_F = TypeVar("_F", bound=Callable[..., object])
_T = TypeVar("_T")


def _storage_errors_in_chinese(method: _F) -> _F:
    """A write that fails on a read-only folder, a full disk or a disk error raises a StorageError whose text
    tells the clerk what happened; the transaction was rolled back, every earlier commit is intact."""

    @functools.wraps(method)
    def wrapper(self: Ledger, *args: object, **kwargs: object) -> object:
        self._forget()  # a write inside a reading() block: what was read before may no longer hold
        try:
            return method(self, *args, **kwargs)
        except STORAGE_ERRORS + self.db.errors as exc:
            raise_translated(exc, self.path)

    return wrapper  # type: ignore[return-value]


def _org_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > 40:
        raise ValueError("单位名称不能为空，且不超过 40 个字。")
    return name


def now_text() -> str:
    return datetime.now().isoformat(timespec="seconds")


SHOWN_TEXT = 40  # characters of a note or narrative a conflict's question quotes


def _quoted(text: object) -> str:
    text = str(text)
    if not text:
        return BLANK_TEXT
    return f"“{text[:SHOWN_TEXT]}…”" if len(text) > SHOWN_TEXT else f"“{text}”"


def _narrative_shown(n: Narrative, versions: tuple[Narrative, ...]) -> str:
    """A narrative in a conflict's question: only the fields in which the versions differ."""
    parts = []
    for key, label in (*NARRATIVE_FIELDS, ("done", "已完成")):
        if len({getattr(v, key) for v in versions}) > 1:
            value = getattr(n, key)
            parts.append(f"{label}{'是' if value else '否'}" if key == "done" else f"{label}{_quoted(value)}")
    return "，".join(parts) or BLANK_TEXT


@dataclass(frozen=True)
class Change:
    """What one edit did, so the UI can undo it and say what was saved."""

    org: str
    key: str  # target or measure code
    period: str | None
    old: object
    new: object
    message: str


@dataclass(frozen=True)
class FigureWrite:
    """One cell of a bulk write: 本期完成 (None: keep the cell's value; BLANK clears it) and 备注 (None: keep
    the cell's note; "" clears it)."""

    org: str
    target: str
    period: Period
    value: FigureValue | None
    note: str | None = None


@dataclass(frozen=True)
class FigureWritten:
    """One cell a bulk write changed, before and after (what its undo writes back)."""

    org: str
    target: str
    period: Period
    old: FigureValue
    old_note: str
    new: FigureValue
    new_note: str


class Ledger:
    _workstation: Workstation | None = None  # who signs the writes: see the ``workstation`` property

    def __init__(self, db: Database, path: Path, plan_code: str | None = None) -> None:
        self.path = path
        self.store = LedgerStore(db, plan_code)  # reads the plan and builds the id maps, once
        self.preferences = LedgerPreferences(self)
        self._memo: dict[tuple[str, str], object] | None = None  # see reading()
        # A server's ledger: this PC's data folder, where bulk_operation backs it up first (None: bulk work refused).
        self.local_folder: Path | None = None
        # The trail's rows this Ledger wrote, kept while a watch for others' edits asks (services/outside_changes.py).
        self.own_audit_ids: set[int] | None = None
        self._take_plan()

    def _take_plan(self) -> None:
        self.plan = self.store.plan
        # Kept for callers that ask "is this a target (measure) code?"; the ids themselves stay in storage.
        self.measure_ids, self.target_ids = self.store.measure_ids, self.store.target_ids
        self.periods: list[Period] = plan_periods(self.plan.effective_from, self.plan.effective_to)
        self._targets = {t.code: t for t in self.plan.targets()}

    @property
    def db(self) -> Database:
        return self.store.db

    # -- opening ---------------------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path | str, *, plan_code: str | None = None, workstation: Workstation | None = None,
             **kwargs: object) -> Ledger:
        """The ledger of a data folder on the plan ``plan_code`` (LookupError, in Chinese, when the file has no
        such plan), or on the file's first plan. A ``postgresql://`` URL instead of a folder: the ledger on that
        server (checked first; psycopg is loaded only then). ``workstation``: the PC and operator every audit row
        it writes names; by default this PC and the operator of the data folder's settings.ini — for a server's
        ledger, pass ``workstation.for_data_folder(data_dir)`` (or set ``ledger.workstation``), else it signs
        未署名."""
        if is_database_url(data_dir):
            ledger = cls.open_url(str(data_dir), plan_code=plan_code)
        else:
            path = Path(data_dir) / DB_FILENAME
            db = open_database(path, **kwargs)  # type: ignore[arg-type]
            try:
                ledger = cls(db, path, plan_code)
            except BaseException:
                db.close()
                raise
        if workstation is not None:
            ledger.workstation = workstation
        return ledger

    @classmethod
    def open_url(cls, url: str, *, plan_code: str | None = None, password: str | None = None) -> Ledger:
        """The ledger on a PostgreSQL server (issue 16). ``path`` is then the URL without its password, for
        messages; a server's ledger has no backup file of its own (the server's administrator backs it up).
        ``password``: one the clerk typed (kept in memory only); None lets libpq read ~/.pgpass or PGPASSWORD."""
        from ..storage import pg

        db = pg.open_ledger(url, password)
        try:
            return cls(db, Path(pg.shown_url(url)), plan_code)
        except BaseException:
            db.close()
            raise

    @property
    def on_server(self) -> bool:
        return self.db.engine == "postgresql"

    @property
    def location(self) -> str:
        """Where the ledger is, for the clerk's eyes: the file's path, or the server's URL without its password."""
        return str(self.db.database)

    # -- the plans of the file: one shown at a time ------------------------------------------------------
    @_storage_errors_in_chinese
    def add_plan(self, plan: Plan, leads: Mapping[str, set[str]]) -> Path:
        """Write a whole new plan (checked by the caller: ``services.plan_import.save_plan``) after a backup, in
        one transaction; ``leads``: measure code → the units stored as 'lead' (the others 'support'). Returns the
        backup. The ledger keeps showing the plan it showed (``switch_plan`` shows the new one)."""
        def role(measure: Measure, seq: int, unit: str) -> str:
            return "lead" if unit in leads.get(measure.code, ()) else "support"

        with self.bulk_operation("before_bulk") as backup:
            self.store.insert_plan(plan, role)
        return backup

    def plans(self) -> list[PlanEntry]:
        """Every plan of the file (code, 文号, title, dates, counts), in the order they were added."""
        return self.store.plans()

    def switch_plan(self, code: str) -> None:
        """Show another plan of the file: its tree, targets and months. Figures, narratives, 分解目标 and
        不涉及 are kept by target and measure, so each plan has its own; offices and settings are shared."""
        if code == self.plan.code:
            return
        self._forget()
        self.store.switch_plan(code)
        self._take_plan()

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()

    def reopen(self) -> None:
        """Close the file and open it again (after a restore put another file in its place): the plan and the
        id maps are read from the file now in place."""
        on_lost = self.file_lost_callback
        self.close()
        self._forget()
        self.store.rebind(open_database(self.path, create=False))
        self._take_plan()
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

        Yields the backup file. Use ``source="import"`` for the edits made inside. On a server the backup is a
        copy of the server's ledger in this PC's data folder (``local_folder``; ``storage/server_backup.py``)."""
        backup = self._server_backup(reason) if self.on_server else make_backup(self.path, reason)
        try:
            with self.db.atomic():
                yield backup
        except STORAGE_ERRORS as exc:
            raise_translated(exc, self.path)

    def _server_backup(self, reason: str) -> Path:
        from ..storage.server_backup import backup_server_ledger

        if self.local_folder is None:
            raise StorageError("没有指定本机的数据文件夹，无法先把服务器上的台账备份到本机，所以没有写入服务器。")
        return backup_server_ledger(self.db, self.local_folder, reason)  # type: ignore[arg-type]

    @contextmanager
    def reading(self) -> Iterator[None]:
        """A block of reads (an export) in which each office's figures and 分解目标 and the thresholds are read
        from the file once however often they are asked for: the month's report and the months' history of a
        workbook then share one read. A write through the ledger inside the block forgets what was read. (No
        transaction of its own: a headless reader beside the window already holds one snapshot.)"""
        if self._memo is not None:
            yield
            return
        self._memo = {}
        try:
            yield
        finally:
            self._memo = None

    def _forget(self) -> None:
        if self._memo:
            self._memo.clear()

    def _read(self, key: tuple[str, str], read: Callable[[], _T]) -> _T:
        if self._memo is None:
            return read()
        if key not in self._memo:
            self._memo[key] = read()
        return self._memo[key]  # type: ignore[return-value]

    # -- orgs and settings -----------------------------------------------------------------------------
    def orgs(self) -> list[Org]:
        return self.store.orgs()

    def org(self, code_or_name: str) -> Org:
        found = self.store.find_org(code_or_name)
        if found is not None:
            return found
        raise KeyError(unknown_name("填报单位", code_or_name, (o.name for o in self.orgs())))

    def org_id(self, code: str) -> int:
        return self.store.org_id(self.org(code).code)

    @_storage_errors_in_chinese
    def choose_office(self, name: str, operator: str) -> Org:
        """First start (or a change of office): the office — added to the ledger when it is a new name — and the
        person filling in, who signs this Ledger's writes from now on. Both are this PC's choice, which the window
        keeps in settings.ini (``WindowPreferences.set_office``, ``set_operator``), never in the ledger: other
        PCs may share it."""
        signed = self.workstation.signed_by(operator)
        if not signed.operator:
            raise ValueError("请填写填报人姓名（不超过 40 个字），修改记录中会注明是谁修改的。")
        try:
            with self.db.atomic():
                org = self.add_org(name)
        except Exception:
            self.store.load_orgs()  # forget an office whose adding was rolled back
            raise
        self.workstation = signed
        return org

    def add_org(self, name: str) -> Org:
        name = name.strip()
        if not name or len(name) > 40:
            raise ValueError("单位名称不能为空，且不超过 40 个字。")
        for o in self.orgs():
            if o.name == name:
                return o
        return self.org(self.store.add_org(name))

    # -- the org tree: 长沙市 → its offices → each office's reporting units --------------------------------
    def city(self) -> Org | None:
        return next((o for o in self.store.all_orgs() if o.is_city), None)

    def children(self, parent: str, *, retired: bool = False) -> list[Org]:
        """The orgs reporting to ``parent`` (the city's offices, an office's units); retired ones on request."""
        code = self.org(parent).code
        return [o for o in self.store.all_orgs() if o.parent == code and (retired or not o.retired)]

    @_storage_errors_in_chinese
    def add_unit(self, parent: str, name: str) -> Org:
        """A reporting unit under an office (区人社局, 某街道), with a new stable code."""
        office = self.org(parent)
        if office.is_unit or office.is_city:
            raise ValueError("下级填报单位只能加在区县（市）、园区等填报单位下。")
        name = _org_name(name)
        if self.store.find_org(name) is not None:
            raise ValueError(f"已有名为“{name}”的单位，请换一个名称（例如加上所属区县）。")
        try:
            with self.db.atomic():
                code = self.store.add_unit(office.code, name)
        finally:
            self.store.load_orgs()
        return self.org(code)

    @_storage_errors_in_chinese
    def rename_org(self, code: str, name: str) -> Org:
        """A unit's new name; its code (and so its history and the templates already sent) stays."""
        org = self.org(code)
        name = _org_name(name)
        other = self.store.find_org(name)
        if other is not None and other.code != org.code:
            raise ValueError(f"已有名为“{name}”的单位，请换一个名称。")
        try:
            with self.db.atomic():
                self.store.rename_org(org.code, name)
        finally:
            self.store.load_orgs()
        return self.org(org.code)

    @_storage_errors_in_chinese
    def retire_unit(self, code: str, retired: bool = True) -> Org:
        """A unit that stops reporting keeps its history and code; it takes no new figures (until restored)."""
        org = self.org(code)
        if not org.is_unit:
            raise ValueError("只有下级填报单位可以停用。")
        try:
            with self.db.atomic():
                self.store.retire_org(org.code, retired)
        finally:
            self.store.load_orgs()
        return self.org(org.code)

    def assignments(self, office: str) -> dict[str, set[str]]:
        """Target code → codes of the office's units that report it (targets given to no unit are left out)."""
        return self.store.assignments(self.org(office).code)

    @_storage_errors_in_chinese
    def assign(self, unit: str, target_code: str, assigned: bool = True) -> None:
        org = self.org(unit)
        if not org.is_unit:
            raise ValueError("指标只能分配给下级填报单位。")
        self.target(target_code)
        with self.db.atomic():
            self.store.put_assignment(org.code, target_code, assigned)

    def setting(self, key: str, default: str | None = None) -> str | None:
        value = self.store.setting(key)
        return default if value is None else value

    @_storage_errors_in_chinese
    def set_setting(self, key: str, value: str) -> None:
        self.store.set_setting(key, value)

    @property
    def workstation(self) -> Workstation:
        """The PC and operator this Ledger's writes are signed with: as given (``Ledger.open``, ``sign_as``), else
        — read when first needed, off the start's path — this PC with the operator its data folder's settings.ini
        names, or the one a file from before v5 kept itself (until the window moves it: ``adopt_operator``)."""
        if self._workstation is None:
            if self.on_server:
                self._workstation = Workstation(this_pc_name())
            else:
                found = for_data_folder(self.path.parent)
                legacy = "" if found.operator else self.preferences.legacy(LEGACY_OPERATOR)
                self._workstation = found.signed_by(legacy) if legacy else found
        return self._workstation

    @workstation.setter
    def workstation(self, workstation: Workstation) -> None:
        self._workstation = workstation

    def sign_as(self, operator: str) -> None:
        """The operator of this PC's writes from now on ("" for 未署名); ValueError when longer than 40 characters."""
        self.workstation = self.workstation.signed_by(check_operator(operator))

    @_storage_errors_in_chinese
    def forget_legacy_setting(self, key: str) -> None:
        """Drop what a file of an earlier version kept for the PC (LEGACY_OPERATOR, LEGACY_OFFICE), once settings.ini
        holds it (``preferences.move_to_this_pc``)."""
        if key not in (LEGACY_OPERATOR, LEGACY_OFFICE):
            raise ValueError(f"not a setting that moved to settings.ini: {key!r}")
        with self.db.atomic():
            self.store.delete_setting(key)

    @property
    def operator(self) -> str:
        """The operator as the trail names them (未署名 when nobody gave a name)."""
        return self.workstation.signature

    def thresholds(self) -> Thresholds:
        return self._read(("thresholds", ""), self.preferences.thresholds)

    def set_thresholds(self, thresholds: Thresholds) -> None:
        """The office's own 黄/红 thresholds (percentage points behind 序时), saved together."""
        with self.transaction():
            self.preferences.set_thresholds(thresholds)

    # -- targets -----------------------------------------------------------------------------------------
    def target(self, code: str) -> Target:
        return self._targets[code]

    def parse_entry(self, target_code: str, text: str) -> FigureValue:
        """What a clerk typed in the target's entry unit, as a base-unit figure; FigureInputError if refused
        (here, before any "are you sure?" is asked about it)."""
        return parse_figure(self.target(target_code), text)

    def parse_local_target(self, target_code: str, text: str) -> Decimal | None:
        """A 分解目标 as typed (entry unit) in base units; None (cleared) means the city target applies."""
        t = self.target(target_code)
        value = read_figure(t, text)
        if value.not_applicable:
            raise FigureInputError("分解目标不能填“不适用”；不设分解目标请清空。")
        check_local_target(t, value.number, text)
        return value.number

    @staticmethod
    def check_note(text: str) -> str:
        return _check_note(text)

    def entry_to_base(self, t: Target, number: Decimal) -> Decimal:
        return t.from_entry(number)

    def base_to_entry(self, t: Target, number: Decimal) -> Decimal:
        return t.to_entry(number)

    def format_entry(self, target_code: str, value: FigureValue) -> str:
        """A figure as the clerk typed it: "1,523", "不适用" or "" for blank."""
        return text_of(self.target(target_code), value)

    # -- figures -------------------------------------------------------------------------------------
    def figures(self, org: str) -> dict[str, dict[Period, FigureValue]]:
        """Every figure of one office: target code → month → value (base units)."""
        code = self.org(org).code
        return self._read(("figures", code), lambda: self.store.figures(code, self.periods))

    def figure(self, org: str, target_code: str, period: Period) -> FigureValue:
        """One cell's figure: one row read, not the office's whole series."""
        record = self.store.figure(self.org(org).code, target_code, period)
        return BLANK if record is None else record.value

    def last_entry(self, orgs: list[str], period: Period) -> date | None:
        """The day any of these orgs last saved a figure for the month (报送情况's 最近填报日期)."""
        text = self.store.last_entry([self.org(o).code for o in orgs], period)
        try:
            return datetime.fromisoformat(text).date() if text else None
        except ValueError:
            return None

    def notes_by_period(self, org: str) -> dict[Period, dict[str, str]]:
        """Every month's 备注 of one office in one query: month → target code → note."""
        return self.store.notes_by_period(self.org(org).code)

    def notes(self, org: str, period: Period) -> dict[str, str]:
        return self.store.notes(self.org(org).code, period)

    def local_target_question(self, target_code: str, base_value: Decimal) -> str | None:
        """A question before saving a 分解目标 above the city's whole target or below a thousandth of it — most
        often a unit slip (0.1 meant as 万人 but typed where 人 are counted)."""
        t = self.target(target_code)
        city = t.base_value
        if city is None or city <= 0 or t.is_ratio:
            return None
        shown = text_of(t, base_value, unit=True)
        if base_value > city:
            return f"“{t.label}”的分解目标 {shown} 大于市级目标 {t.written_text}。确定要保存吗？"
        if base_value * 1000 < city:
            return (f"“{t.label}”的分解目标 {shown} 不到市级目标 {t.written_text} 的千分之一。"
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
        local = self.store.local_target(self.org(org).code, target_code)
        goal, which = (local, "分解目标") if local is not None else (t.base_value, "市级目标")
        if goal is None or goal <= 0 or abs(value.number) <= goal * CONFIRM_FACTOR:
            return None
        times = format_number((abs(value.number) / goal).quantize(Decimal("0.1")))
        return (f"{self.org(org).name} {period.label}“{t.label}”填报 {text_of(t, value, unit=True)}，"
                f"是{which} {text_of(t, goal, unit=True)} 的 {times} 倍。\n"
                "是否多输了位数或填错了单位？确定要保存吗？")

    def _conflict(self, where: str, last: AuditWhere, shown: Callable[[object], str], *, expected: object,
                  current: object, wanted: object) -> ConflictError:
        """The ConflictError for a cell; ``last`` finds the trail's row of whoever saved the value stored now."""
        rows = self.store.audit(last, 1)
        who = f"{saver(rows[0].operator, rows[0].workstation)}于 {saved_when(rows[0].at, date.today())}" if rows else ""
        return conflict(where, who, (shown(expected), shown(current), shown(wanted)), expected=expected,
                        current=current, wanted=wanted)

    @_storage_errors_in_chinese
    def record_figure(
        self,
        org: str,
        target_code: str,
        period: Period,
        value: FigureValue | None,
        *,
        note: str | None = None,
        source: str = "typed",
        expected: FigureValue | None = None,
        expected_note: str | None = None,
    ) -> Change:
        """Set 本期完成 for one target, org and month (BLANK removes it; None keeps the stored one, for an edit of
        the 备注 alone). Returns the change for undo.

        ``expected``: the value the clerk started from (what the cell showed when editing began); ``expected_note``
        the same for the 备注. When the stored value is no longer that one — another clerk saved the cell
        meanwhile — nothing is written and a ConflictError says both values. The cell is locked for the transaction
        first (``LedgerStore.lock_figure``), so two PCs saving at the same moment are put one after the other and
        the second sees the first."""
        t = self.target(target_code)
        if value is not None:
            check_figure(t, value)  # the one check of the write path, whoever calls (typing, paste, undo, import)
        new_note = None if note is None else _check_note(note)
        check_period(period, self.periods)
        o = self.org(org)
        if o.retired:
            raise FigureInputError(f"“{o.name}”已停用，不能再填报；需要时请先在下级单位管理中恢复它。")
        with self.db.atomic():
            if expected is not None or expected_note is not None:
                self.store.lock_figure(o.code, target_code)
            record = self.store.figure(o.code, target_code, period)
            old = BLANK if record is None else record.value
            old_note = "" if record is None else record.note
            value = old if value is None else value
            cell = AuditWhere(org=o.code, period=period, target=target_code)
            if expected is not None and old != expected and old != value:
                raise self._conflict(f"{o.name} {period.label}“{t.label}”的本期完成", cell,
                                     lambda v: text_of(t, v, unit=True, blank=BLANK_TEXT),  # type: ignore[arg-type]
                                     expected=expected, current=old, wanted=value)
            new_note = old_note if new_note is None else new_note
            if expected_note is not None and old_note != expected_note and old_note != new_note:
                raise self._conflict(f"{o.name} {period.label}“{t.label}”的备注", cell, _quoted,
                                     expected=expected_note, current=old_note, wanted=new_note)
            if old == value and old_note == new_note:
                return Change(org, target_code, str(period), old, value, UNCHANGED_TEXT)
            if value.is_blank and not new_note:
                if record is not None:
                    self.store.delete_figure(o.code, target_code, period)
            else:
                self.store.put_figure(o.code, target_code, period, value, new_note, now_text())
            if old != value:
                self._audit(source, "figure", o.code, period, "本期完成", stored_figure(old), stored_figure(value),
                            target=target_code)
            if old_note != new_note:
                self._audit(source, "figure", o.code, period, "备注", old_note or None, new_note or None,
                            target=target_code)
        where = f"{o.name} {period.label} “{t.label}”"
        if old == value:  # only the note changed
            return Change(org, target_code, str(period), old, value, f"已保存：{where} 备注")
        shown = text_of(t, value, unit=True, blank=BLANK_TEXT)
        return Change(org, target_code, str(period), old, value, f"已保存：{where} 本期完成 {shown}")

    @_storage_errors_in_chinese
    def write_figures(self, writes: list[FigureWrite], *, source: str, note: str = "") -> list[FigureWritten]:
        """Many cells in one transaction (an import, its undo and redo): each checked by the rules
        ``record_figure`` uses, the old values read inside the transaction, the figures and their audit rows
        written in one batch each. ``FigureWrite.note`` None keeps a cell's note; a blank value with no note left
        removes the cell. ``note`` goes on every audit row (an import's file and its SHA-256). Returns what
        changed, with the old values, for undo. Nested inside ``bulk_operation`` it joins that transaction."""
        if source not in SOURCES:
            raise ValueError(f"unknown change source {source!r}")
        orgs: dict[str, Org] = {}
        for w in writes:
            if w.value is not None:
                check_figure(self.target(w.target), w.value)
            else:
                self.target(w.target)
            check_period(w.period, self.periods)
            o = orgs.get(w.org) or orgs.setdefault(w.org, self.org(w.org))
            if o.retired:
                raise FigureInputError(f"“{o.name}”已停用，不能再填报；需要时请先在下级单位管理中恢复它。")
        notes = {id(w): None if w.note is None else _check_note(w.note) for w in writes}
        at, operator, pc = now_text(), self.operator, self.workstation.pc
        done: list[FigureWritten] = []
        with self.db.atomic():
            stored = self.store.figure_records(orgs)
            puts, deletes, audit = [], [], []
            for w in writes:
                record = stored.get((w.org, w.target, w.period))
                old = BLANK if record is None else record.value
                old_note = "" if record is None else record.note
                new_note = old_note if notes[id(w)] is None else notes[id(w)]
                new = old if w.value is None else w.value
                if old == new and old_note == new_note:
                    continue
                if new.is_blank and not new_note:
                    if record is not None:
                        deletes.append((w.org, w.target, w.period))
                else:
                    puts.append((w.org, w.target, w.period, new, new_note))
                for field, a, b in (("本期完成", stored_figure(old), stored_figure(new)),
                                    ("备注", old_note or None, new_note or None)):
                    if a != b:
                        audit.append(dict(operator=operator, workstation=pc, source=source, org=w.org,
                                          target=w.target, period=str(w.period), field=field, old=a, new=b,
                                          note=note))
                done.append(FigureWritten(w.org, w.target, w.period, old, old_note, new, new_note))
            self.store.write_figures(puts, deletes, audit, at)
        return done

    # -- local targets ---------------------------------------------------------------------------------
    def local_targets(self, org: str) -> dict[str, Decimal]:
        code = self.org(org).code
        return self._read(("local_targets", code), lambda: self.store.local_targets(code))

    @_storage_errors_in_chinese
    def set_local_target(self, org: str, target_code: str, base_value: Decimal | None, *, source: str = "typed",
                         expected: Decimal | None | object = UNCHECKED) -> Change:
        """The office's 分解目标 (None: the city target applies). ``expected``: the one the clerk started from, as
        for ``record_figure`` (ConflictError when another clerk saved another since)."""
        t = self.target(target_code)
        check_local_target(t, base_value)
        o = self.org(org)
        with self.db.atomic():
            if expected is not UNCHECKED:
                self.store.lock_figure(o.code, target_code)
            old = self.store.local_target(o.code, target_code)
            if expected is not UNCHECKED and old != expected and old != base_value:
                blank = self.without_local_target(o, t)
                raise self._conflict(f"{o.name}“{t.label}”的分解目标",
                                     AuditWhere(org=o.code, target=target_code, entity="local_target"),
                                     lambda v: text_of(t, v, unit=True, blank=blank),  # type: ignore[arg-type]
                                     expected=expected, current=old, wanted=base_value)
            if old == base_value:
                return Change(org, target_code, None, old, base_value, UNCHANGED_TEXT)
            self.store.put_local_target(o.code, target_code, base_value, now_text())
            self._audit(source, "local_target", o.code, None, "分解目标", stored_figure(old),
                        stored_figure(base_value), target=target_code)
        shown = text_of(t, base_value, unit=True, blank=self.without_local_target(o, t))
        return Change(org, target_code, None, old, base_value, f"已保存：{o.name} “{t.label}” 分解目标 {shown}")

    @staticmethod
    def without_local_target(org: Org, t: Target) -> str:
        """What an empty 分解目标 means for this office: 按市级目标, or 未分解 for an amount of the whole city."""
        return UNDECOMPOSED_TEXT if t.reach == REACH_ABSOLUTE and not org.is_city else FOLLOWS_CITY_TEXT

    # -- involvement: which targets the office answers for (不涉及 otherwise) ------------------------------
    def involvement(self, org: str) -> dict[str, bool]:
        """Every target → whether the office answers for it: its own choice, else the plan's default."""
        o = self.org(org)
        chosen = self._read(("involvement", o.code), lambda: self.store.involvement(o.code))
        return {t.code: chosen.get(t.code, involved_by_default(o, m, t))
                for m in self.plan.measures() for t in m.targets}

    def involved_by_default(self, org: str, target_code: str) -> bool:
        t = self.target(target_code)
        return involved_by_default(self.org(org), self.plan.measure(measure_code_of(target_code)), t)

    @_storage_errors_in_chinese
    def set_involved(self, org: str, target_code: str, involved: bool, *, source: str = "typed") -> Change:
        """Switch a target to or from 不涉及 for the office. Choosing the plan's default forgets the choice."""
        t = self.target(target_code)
        o = self.org(org)
        stored = None if involved == self.involved_by_default(o.code, target_code) else involved
        with self.db.atomic():
            before = self.store.involvement(o.code).get(target_code)
            old = self.involvement(o.code)[target_code]
            if before == stored:
                return Change(org, target_code, None, old, involved, UNCHANGED_TEXT)
            self.store.put_involvement(o.code, target_code, stored, now_text())
            self._audit(source, "local_target", o.code, None, INVOLVEMENT_FIELD, involvement_text(old),
                        involvement_text(involved), target=target_code)
        word = involvement_text(involved)
        return Change(org, target_code, None, old, involved, f"已保存：{o.name} “{t.label}” 设为{word}")

    # -- narratives ------------------------------------------------------------------------------------
    def narratives(self, org: str, period: Period) -> dict[str, Narrative]:
        return self.store.narratives(self.org(org).code, period)

    def narrative(self, org: str, measure_code: str, period: Period) -> Narrative:
        return self.store.narrative(self.org(org).code, measure_code, period) or EMPTY_NARRATIVE

    @_storage_errors_in_chinese
    def write_narrative(self, org: str, measure_code: str, period: Period, new: Narrative, *,
                        source: str = "typed", expected: Narrative | None = None) -> Change:
        """A measure's narrative for one month. ``expected``: the one the clerk started from, as for
        ``record_figure`` (ConflictError when another clerk saved another since)."""
        new = check_narrative_fields(new)
        check_period(period, self.periods)
        o = self.org(org)
        with self.db.atomic():
            if expected is not None:
                self.store.lock_narrative(o.code, measure_code)
            old = self.store.narrative(o.code, measure_code, period) or EMPTY_NARRATIVE
            if expected is not None and old != expected and old != new:
                m = self.plan.measure(measure_code)
                raise self._conflict(f"{o.name} {period.label}“{m.code} {m.title}”的工作进展",
                                     AuditWhere(org=o.code, period=period, measure=measure_code),
                                     lambda n: _narrative_shown(n, (expected, old, new)),  # type: ignore[arg-type]
                                     expected=expected, current=old, wanted=new)
            if old == new:
                return Change(org, measure_code, str(period), old, new, UNCHANGED_TEXT)
            self.store.put_narrative(o.code, measure_code, period, new, now_text())
            for key, label in (*NARRATIVE_FIELDS, ("done", "已完成")):
                a, b = getattr(old, key), getattr(new, key)
                if key == "done":
                    a, b = "是" if a else "否", "是" if b else "否"
                if a != b:
                    self._audit(source, "narrative", o.code, period, label, a or None, b or None,
                                measure=measure_code)
        m = self.plan.measure(measure_code)
        return Change(org, measure_code, str(period), old, new,
                      f"已保存：{o.name} {period.label} {m.code} {m.title} 的工作进展")

    def measures_done_by(self, org: str, period: Period) -> set[str]:
        """Measures whose latest narrative up to this month says 已完成: a tick carries forward to later
        months until a later month's narrative unticks it."""
        return self.store.measures_done_by(self.org(org).code, period)

    def measures_with_progress_by(self, org: str, period: Period) -> set[str]:
        """Measures with 进展情况 written in this month or before."""
        return self.store.measures_with_progress_by(self.org(org).code, period)

    # -- periods ---------------------------------------------------------------------------------------
    def periods_with_data(self, org: str) -> set[Period]:
        """Months in which the office recorded a figure or wrote a narrative."""
        return self.store.periods_with_data(self.org(org).code)

    def latest_period_with_data(self, org: str) -> Period | None:
        return max(self.periods_with_data(org), default=None)

    def default_period(self, org: str) -> Period:
        """The latest month with data, else the plan's first month."""
        return default_period(self.plan.effective_from, self.plan.effective_to, self.periods_with_data(org))

    # -- audit -----------------------------------------------------------------------------------------
    def _audit(self, source: str, entity: str, org: str, period: Period | None, field: str,
               old: str | None, new: str | None, *, target: str | None = None, measure: str | None = None,
               note: str = "") -> None:
        if source not in SOURCES:
            raise ValueError(f"unknown change source {source!r}")
        row = self.store.append_audit(at=now_text(), operator=self.operator, workstation=self.workstation.pc,
                                      source=source, entity=entity, org=org, target=target, measure=measure,
                                      period=str(period) if period else None, field=field, old=old, new=new,
                                      note=note)
        if self.own_audit_ids is not None:
            self.own_audit_ids.add(row)
