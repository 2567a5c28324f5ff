"""导入 → 填报数据: figures from filled 填报模板 and from other offices' 报送报表, checked whole before anything
is written.

``preview_import(ledger, paths)`` reads every file alone (a refused file — hostile, damaged, encrypted, legacy —
gets its reason and the others still preview), checks every value with the ledger's own rule
(``Ledger.parse_entry``) and every code against the plan and the org tree, and says per file what would change:
new (nothing stored), changed (old → new), unchanged. ``commit_import`` writes a clean preview all or nothing,
after an automatic backup, in one transaction (``Ledger.write_figures``: one batch of figures and audit rows);
every audit row has source 导入 and the file's name and SHA-256 in its note. ``revert_import`` writes the old
values back in one transaction: an import is undone as one step.

What the file leaves empty changes nothing: an empty 本期完成 keeps the stored figure, an empty 备注 the stored
note. Only 本期完成 and 备注 are read; 分解目标, narratives and everything computed are not.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..domain.figures import BLANK, FigureInputError, FigureValue
from ..domain.periods import Period
from ..domain.rules import check_note
from ..files.os_errors import describe_os_error
from ..intake.forms import (
    KIND_EXPORT,
    KIND_TEMPLATE,
    FormRead,
    Problem,
    note_text,
    read_form,
    shown,
    value_text,
)
from ..intake.guard import CheckedFile, RefusedFile, check_bytes, read_file
from ..intake.limits import DEFAULT_LIMITS, Limits
from ..intake.workbook import OpenWorkbook, require_defused
from .ledger import FigureWrite, FigureWritten, Ledger

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
KIND_WORDS = {KIND_TEMPLATE: "填报模板", KIND_EXPORT: "报送报表"}
BACKUP_REASON = "before_bulk"
# progress(done, total, what): files read so far; it may raise to stop the preview
Progress = Callable[[int, int, str], None]


class ImportRefused(ValueError):
    """A commit asked of a preview with problems (nothing was written)."""


class CellChange:
    """One cell a file changes: new (nothing stored) or changed (old → new). Kept compact, since a preview holds one
    per cell until it is committed: the org, sheet and column are the file's (one tuple shared by its changes), the
    target code and month are the plan's own objects, an old value that is blank is the shared ``BLANK``, and a new
    number is kept as an ``int`` or its exact text (``_pack``) — a ``FigureValue`` is made when asked for. A cell
    the file leaves as stored is not kept at all: ``FilePreview.unchanged`` counts it."""

    __slots__ = ("_where", "target", "period", "old", "old_note", "_new", "_note", "row")

    def __init__(self, where: tuple[str, str, str], target: str, period: Period, old: FigureValue, old_note: str,
                 new: FigureValue | None, note: str | None, row: int) -> None:
        self._where = where  # (org of the figures, sheet, the value's column letter)
        self.target, self.period, self.old, self.old_note, self.row = target, period, old, old_note, row
        self._new = None if new is None else _pack(new)  # None: the file gave no 本期完成
        self._note = note  # None: the file gave no 备注

    @property
    def org(self) -> str:
        return self._where[0]

    @property
    def sheet(self) -> str:
        return self._where[1]

    @property
    def cell(self) -> str:
        return f"{self._where[2]}{self.row}"

    @property
    def value_given(self) -> bool:  # the file gave a 本期完成 (else only a 备注)
        return self._new is not None

    @property
    def note_given(self) -> bool:
        return self._note is not None

    @property
    def new(self) -> FigureValue:
        return self.old if self._new is None else _unpack(self._new)

    @property
    def new_note(self) -> str:
        return self.old_note if self._note is None else self._note

    @property
    def kind(self) -> str:
        if self.old.is_blank and not self.old_note:
            return NEW  # something was given (else there is no change), so it differs from nothing
        if self.old == self.new and self.old_note == self.new_note:
            return UNCHANGED
        return CHANGED

    def __repr__(self) -> str:
        return f"CellChange({self.org} {self.target} {self.period} {self.sheet}!{self.cell}: {self.old} → {self.new})"


def _pack(value: FigureValue) -> object:
    """A new value as little as it can be held exactly: a whole number as an int, another number as its exact text
    (``Decimal(str(d))`` is ``d``, exponent and all), 不适用 and 定性 states as they are."""
    n = value.number
    if n is None:
        return value
    return int(n) if n.as_tuple().exponent == 0 else str(n)


def _unpack(packed: object) -> FigureValue:
    return packed if isinstance(packed, FigureValue) else FigureValue.of(Decimal(packed))  # type: ignore[arg-type]


@dataclass
class FilePreview:
    path: Path
    sha256: str | None = None
    kind: str | None = None
    org: str | None = None  # the office
    org_name: str = ""
    unit: str | None = None  # the reporting unit, when the file is a unit's template
    unit_name: str = ""
    period: str | None = None
    changes: list[CellChange] = field(default_factory=list)  # new and changed cells, in the file's order
    unchanged: int = 0  # cells the file gives as they are stored (not kept)
    months: set[tuple[str, Period]] = field(default_factory=set)  # (org, month) the file gives figures for
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # refused before its contents could be read (exit 2)
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return self.path.name

    def count(self, kind: str) -> int:
        if kind == UNCHANGED:
            return self.unchanged
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def figure_org(self) -> str | None:
        return self.unit or self.org

    @property
    def who(self) -> str:
        names = [n for n in (self.org_name, self.unit_name) if n]
        return " ".join(shown(n) for n in names) or (self.figure_org or "")

    def to_json(self) -> dict[str, object]:
        return {
            "path": str(self.path), "sha256": self.sha256, "kind": self.kind, "org": self.org,
            "unit": self.unit or None, "period": self.period, "new": self.count(NEW),
            "changed": self.count(CHANGED), "unchanged": self.count(UNCHANGED),
            "problems": [{"sheet": p.sheet, "cell": p.cell, "message": p.message} for p in self.problems],
            "notices": [{"sheet": p.sheet, "cell": p.cell, "message": p.message} for p in self.notices],
        }


@dataclass
class ImportPreview:
    files: list[FilePreview]

    @property
    def clean(self) -> bool:
        return bool(self.files) and not any(f.problems or f.unreadable for f in self.files)

    @property
    def unreadable(self) -> bool:
        return any(f.unreadable for f in self.files)

    def writes(self) -> list[tuple[FilePreview, CellChange]]:
        return [(f, c) for f in self.files for c in f.changes]  # an unchanged cell is never kept

    def count(self, kind: str) -> int:
        return sum(f.count(kind) for f in self.files)


@dataclass(frozen=True)
class FileWritten:
    """One file's cells as written, for undo and redo. A cell written as its preview said — the usual case — is
    that ``CellChange`` itself; one whose stored value moved between the preview and the commit is a tuple
    (target, month, old, old note, new, new note), values packed as in ``CellChange``. ``cells`` gives them all as
    ``FigureWritten``."""

    name: str
    sha256: str
    org: str
    written: tuple[CellChange | tuple[str, Period, object, str, object, str], ...]

    @property
    def audit_note(self) -> str:
        return audit_note(self.name, self.sha256)

    @property
    def cells(self) -> list[FigureWritten]:
        out = []
        for w in self.written:
            if isinstance(w, CellChange):
                out.append(FigureWritten(self.org, w.target, w.period, w.old, w.old_note, w.new, w.new_note))
            else:
                t, p, old, old_note, new, new_note = w
                out.append(FigureWritten(self.org, t, p, _unpack(old), old_note, _unpack(new), new_note))
        return out

    def __len__(self) -> int:
        return len(self.written)


@dataclass(frozen=True)
class ImportResult:
    files: tuple[FileWritten, ...]
    backup: Path | None

    @property
    def cells(self) -> list[FigureWritten]:
        return [c for f in self.files for c in f.cells]

    @property
    def message(self) -> str:
        n = sum(len(f) for f in self.files)
        return f"已导入 {len(self.files)} 个文件，写入 {n} 个单元格（导入前已自动备份）。"


def audit_note(name: str, sha256: str) -> str:
    return f"文件 {name}；SHA-256 {sha256}"


# -- preview --------------------------------------------------------------------------------------------------
def preview_import(ledger: Ledger, paths: Sequence[Path], *, progress: Progress | None = None,
                   limits: Limits = DEFAULT_LIMITS) -> ImportPreview:
    """Read and check every file; nothing is written. Files refused alone; duplicates across files refused."""
    require_defused()  # before any file: without defusedxml nothing is read at all
    files: list[FilePreview] = []
    taken: dict[tuple[str, Period], str] = {}  # (org of the figures, month) → the file that gives it
    for i, path in enumerate(paths):
        if progress is not None:
            progress(i, len(paths), f"正在读取 {Path(path).name}")
        fp = preview_file(ledger, Path(path), limits)
        # openpyxl leaves a read workbook in reference cycles (each sheet's dimension read stops its iterparse
        # early, and iterparse holds itself, its parser and the inflating stream while unfinished), and with it the
        # file's bytes: about half a megabyte a file that only a full collection frees, and a full collection
        # comes rarely once the app's own objects are many. One now, a few milliseconds, lets go of it file by file.
        gc.collect()
        _claim(fp, taken)
        files.append(fp)
    if progress is not None:
        progress(len(paths), len(paths), "读取完毕")
    return ImportPreview(files)


def _claim(fp: FilePreview, taken: dict[tuple[str, Period], str]) -> None:
    """No org × month twice across the files of one import."""
    months = sorted(fp.months)
    clash = [(org, p) for org, p in months if (org, p) in taken]
    for org, p in clash:
        fp.problems.append(Problem(None, None, f"{p.label}的数据与文件“{shown(taken[(org, p)])}”重复（同一单位、同一月份），"
                                               "请只导入其中一个。"))
    for key in months:
        taken.setdefault(key, fp.name)


def preview_file(ledger: Ledger, path: Path, limits: Limits = DEFAULT_LIMITS) -> FilePreview:
    fp = FilePreview(path)
    start = time.monotonic()
    deadline = start + limits.seconds
    try:
        try:
            data, fp.sha256 = read_file(path, limits)
        except OSError as exc:
            raise RefusedFile(describe_os_error(exc)) from None
        checked = check_bytes(path, data, fp.sha256, limits, deadline)
        del data
        form = _read(checked, limits, deadline)
    except RefusedFile as exc:
        fp.unreadable = True
        fp.problems.append(Problem(None, None, str(exc)))
        fp.seconds = time.monotonic() - start
        return fp
    _check(ledger, form, fp)
    fp.seconds = time.monotonic() - start
    return fp


def _read(checked: CheckedFile, limits: Limits, deadline: float) -> FormRead:
    with OpenWorkbook(checked, limits, deadline) as wb:
        return read_form(wb)


def _check(ledger: Ledger, form: FormRead, fp: FilePreview) -> None:
    """Every code and value of the form against this ledger's plan, orgs and rules."""
    fp.kind, fp.period = form.kind, form.period or None
    fp.org, fp.org_name = form.org or None, form.org_name
    fp.unit, fp.unit_name = form.unit or None, form.unit_name
    fp.problems.extend(form.problems)
    fp.notices.extend(form.notices)
    if form.kind is None or form.problems and not form.found:
        return
    plan = ledger.plan
    if form.plan_code != plan.code:
        fp.problems.append(Problem(None, None, f"文件属于另一个方案（{shown(form.plan_code)}，{shown(form.doc_number)}），"
                                               f"本台账是 {plan.code}（{plan.doc_number}），不予导入。"))
        return
    if form.kind == KIND_TEMPLATE and form.fingerprint != plan.fingerprint():
        fp.problems.append(Problem(None, None, "模板是按另一版本的方案内容生成的（方案指纹不符），指标可能已变化。"
                                               "请用本台账重新生成模板后再填报。"))
        return
    figure_org = _check_orgs(ledger, form, fp)
    if figure_org is None:
        return
    try:
        file_period = Period.parse(form.period)
    except ValueError:
        fp.problems.append(Problem(None, None, f"报告期“{shown(form.period)}”不是有效的月份，文件可能被改动过。"))
        return
    if file_period not in ledger.periods:
        fp.problems.append(Problem(None, None, f"报告期 {file_period.label} 不在方案的执行期内。"))
        return
    fp.period = str(file_period)
    stored = ledger.store.figure_records([figure_org])
    seen: set[tuple[str, Period]] = set()
    months = {str(p): p for p in ledger.periods}
    place = (figure_org, form.found[0].sheet if form.found else "", "G" if form.kind == KIND_TEMPLATE else "K")
    for f in form.found:
        _check_found(ledger, f, figure_org, file_period, form.kind, stored, seen, fp, months, place)


def _check_orgs(ledger: Ledger, form: FormRead, fp: FilePreview) -> str | None:
    office = ledger.store.find_org(form.org)
    if office is None or office.code != form.org:
        fp.problems.append(Problem(None, None, f"填报单位代码“{shown(form.org)}”（{shown(form.org_name)}）不在本台账的单位中，"
                                               "不予导入。"))
        return None
    if office.is_unit or office.is_city:
        fp.problems.append(Problem(None, None, f"“{shown(office.name)}”不是区县（市）、园区一级的填报单位，文件可能被改动过。"))
        return None
    fp.org_name = office.name
    if not form.unit:
        return office.code
    unit = ledger.store.find_org(form.unit)
    if unit is None or unit.code != form.unit:
        fp.problems.append(Problem(None, None, f"下级填报单位代码“{shown(form.unit)}”（{shown(form.unit_name)}）不在"
                                               f"“{office.name}”的下级单位中，不予导入。"))
        return None
    if not unit.is_unit or unit.parent != office.code:
        fp.problems.append(Problem(None, None, f"“{shown(unit.name)}”不是“{office.name}”的下级填报单位，文件可能被改动过。"))
        return None
    if unit.retired:
        fp.problems.append(Problem(None, None, f"“{unit.name}”已停用，不能再填报；需要时请先在下级单位管理中恢复它。"))
        return None
    fp.unit_name = unit.name
    return unit.code


def _check_found(ledger: Ledger, f, figure_org: str, file_period: Period, kind: str | None, stored: dict,  # type: ignore[no-untyped-def]
                 seen: set[tuple[str, Period]], fp: FilePreview, months: dict[str, Period],
                 place: tuple[str, str, str]) -> None:
    value_ref = f"{'G' if kind == KIND_TEMPLATE else 'K'}{f.row}"
    note_ref = f"{'H' if kind == KIND_TEMPLATE else 'U'}{f.row}"
    where = f"{'D' if kind == KIND_EXPORT else 'A'}{f.row}"
    try:
        t = ledger.target(f.target)
    except KeyError:
        fp.problems.append(Problem(f.sheet, f"{'H' if kind == KIND_EXPORT else 'I'}{f.row}",
                                   f"指标编号“{shown(f.target)}”不在方案中，文件可能被改动过。"))
        return
    if f.unit is not None and f.unit != t.shown_unit:
        fp.problems.append(Problem(f.sheet, f"{'J' if kind == KIND_EXPORT else 'F'}{f.row}",
                                   f"“{t.label}”的计量单位是“{t.shown_unit}”，文件中为“{shown(f.unit)}”，不予导入。"))
        return
    period = months.get(f.period)
    if period is None:
        try:
            period = Period.parse(f.period)
        except ValueError:
            fp.problems.append(Problem(f.sheet, where, f"报告期“{shown(f.period)}”不是有效的月份。"))
            return
    if period not in ledger.periods:
        fp.problems.append(Problem(f.sheet, where, f"{period.label} 不在方案的执行期内。"))
        return
    period = months.get(str(period), period)  # the ledger's own Period, shared by every cell of that month
    if period > file_period:
        fp.problems.append(Problem(f.sheet, where, f"{period.label} 晚于文件的报告期 {file_period.label}，文件可能被改动过。"))
        return
    if (t.code, period) in seen:
        fp.problems.append(Problem(f.sheet, where, f"“{t.label}”{period.label}在文件中出现了两次。"))
        return
    seen.add((t.code, period))
    text, why = value_text(f.value, t.is_ratio)
    if why is not None:
        fp.problems.append(Problem(f.sheet, value_ref, why))
        return
    value: FigureValue | None = None
    if text:
        try:
            value = ledger.parse_entry(f.target, text)
        except FigureInputError as exc:
            fp.problems.append(Problem(f.sheet, value_ref, str(exc)))
            return
        if value.is_blank:
            value = None
    note, why = note_text(f.note)
    if why is not None:
        fp.problems.append(Problem(f.sheet, note_ref, why))
        return
    if note:
        try:
            note = check_note(note)
        except FigureInputError as exc:
            fp.problems.append(Problem(f.sheet, note_ref, str(exc)))
            return
    if value is None and not note:
        return  # nothing given: nothing changes
    if f.value is not None and f.value.formula and value is not None:
        fp.notices.append(Problem(f.sheet, value_ref, f"是公式，按文件中保存的计算结果“{shown(text)}”导入。"))
    fp.months.add((figure_org, period))
    record = stored.get((figure_org, t.code, period))
    old = BLANK if record is None else record.value
    old_note = "" if record is None else record.note
    if (old if value is None else value) == old and (note or old_note) == old_note:
        fp.unchanged += 1
        return
    # t.code, not the file's text: one string for every month and file
    fp.changes.append(CellChange(place, t.code, period, old, old_note, value, note or None, f.row))


def change_text(ledger: Ledger, c: CellChange) -> str:
    """"old → new" as a clerk types them, with the 备注 when it has one (for the preview)."""
    def one(value: FigureValue, note: str) -> str:
        return (ledger.format_entry(c.target, value) or "（空）") + (f"（备注：{shown(note)}）" if note else "")

    return f"{one(c.old, c.old_note)} → {one(c.new, c.new_note)}"


# -- commit and undo ---------------------------------------------------------------------------------------------
def commit_import(ledger: Ledger, preview: ImportPreview) -> ImportResult:
    """Write a clean preview: an automatic backup, then one transaction for every file. ImportRefused (nothing
    written) when the preview has problems."""
    if not preview.clean:
        raise ImportRefused("导入内容有问题，没有写入任何数据。请先改正文件中的问题。")
    written: list[FileWritten] = []
    with ledger.bulk_operation(BACKUP_REASON) as backup:
        for fp in preview.files:  # one file's cells at a time: its writes and audit rows are let go after it
            assert fp.sha256 is not None and fp.figure_org is not None
            writes = [FigureWrite(c.org, c.target, c.period, c.new if c.value_given else None, c._note)
                      for c in fp.changes]
            cells = ledger.write_figures(writes, source="import", note=audit_note(fp.name, fp.sha256))
            del writes
            written.append(_written(fp, cells))
            del cells
    return ImportResult(tuple(written), backup)


def _written(fp: FilePreview, cells: list[FigureWritten]) -> FileWritten:
    """What ``write_figures`` reports, kept as the preview's own changes where they agree (no second copy)."""
    assert fp.sha256 is not None and fp.figure_org is not None
    by_cell = {(c.target, c.period): c for c in fp.changes}
    kept: list[CellChange | tuple[str, Period, object, str, object, str]] = []
    for w in cells:
        c = by_cell.get((w.target, w.period))
        if (c is not None and w.org == c.org and w.old == c.old and w.old_note == c.old_note and w.new == c.new
                and w.new_note == c.new_note):
            kept.append(c)
        else:
            kept.append((w.target, w.period, _pack(w.old), w.old_note, _pack(w.new), w.new_note))
    return FileWritten(fp.name, fp.sha256, fp.figure_org, tuple(kept))


def revert_import(ledger: Ledger, result: ImportResult) -> list[FigureWritten]:
    """Undo: the old values and notes of every cell written, back in one transaction (source undo)."""
    with ledger.transaction():
        out: list[FigureWritten] = []
        for f in reversed(result.files):
            out += ledger.write_figures([FigureWrite(c.org, c.target, c.period, c.old, c.old_note) for c in f.cells],
                                        source="undo", note="撤销导入：" + f.audit_note)
    return out


def reapply_import(ledger: Ledger, result: ImportResult) -> list[FigureWritten]:
    """Redo after an undo: the imported values again, in one transaction (source redo)."""
    with ledger.transaction():
        out: list[FigureWritten] = []
        for f in result.files:
            out += ledger.write_figures([FigureWrite(c.org, c.target, c.period, c.new, c.new_note) for c in f.cells],
                                        source="redo", note="重做导入：" + f.audit_note)
    return out


def problems_text(preview: ImportPreview, limit: int = 200) -> str:
    """Every problem, one line each: "文件名：指标完成情况!G12：…"."""
    lines = [f"{f.name}：{p.text}" for f in preview.files for p in f.problems]
    more = len(lines) - limit
    return "\n".join(lines[:limit] + ([f"……另有 {more} 个问题"] if more > 0 else []))
