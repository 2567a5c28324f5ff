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

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class CellChange:
    org: str
    target: str
    period: Period
    old: FigureValue
    new: FigureValue
    old_note: str
    new_note: str
    sheet: str
    cell: str
    value_given: bool  # the file gave a 本期完成 (else only a 备注)
    note_given: bool

    @property
    def kind(self) -> str:
        if self.old == self.new and self.old_note == self.new_note:
            return UNCHANGED
        return NEW if self.old.is_blank and not self.old_note else CHANGED


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
    changes: list[CellChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # refused before its contents could be read (exit 2)
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return self.path.name

    def count(self, kind: str) -> int:
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
        return [(f, c) for f in self.files for c in f.changes if c.kind != UNCHANGED]

    def count(self, kind: str) -> int:
        return sum(f.count(kind) for f in self.files)


@dataclass(frozen=True)
class FileWritten:
    name: str
    sha256: str
    cells: tuple[FigureWritten, ...]

    @property
    def audit_note(self) -> str:
        return audit_note(self.name, self.sha256)


@dataclass(frozen=True)
class ImportResult:
    files: tuple[FileWritten, ...]
    backup: Path | None

    @property
    def cells(self) -> list[FigureWritten]:
        return [c for f in self.files for c in f.cells]

    @property
    def message(self) -> str:
        n = len(self.cells)
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
        _claim(fp, taken)
        files.append(fp)
    if progress is not None:
        progress(len(paths), len(paths), "读取完毕")
    return ImportPreview(files)


def _claim(fp: FilePreview, taken: dict[tuple[str, Period], str]) -> None:
    """No org × month twice across the files of one import."""
    months = sorted({(c.org, c.period) for c in fp.changes})
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
    for f in form.found:
        _check_found(ledger, f, figure_org, file_period, form.kind, stored, seen, fp, months)


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
                 seen: set[tuple[str, Period]], fp: FilePreview, months: dict[str, Period]) -> None:
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
    if period > file_period:
        fp.problems.append(Problem(f.sheet, where, f"{period.label} 晚于文件的报告期 {file_period.label}，文件可能被改动过。"))
        return
    if (f.target, period) in seen:
        fp.problems.append(Problem(f.sheet, where, f"“{t.label}”{period.label}在文件中出现了两次。"))
        return
    seen.add((f.target, period))
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
    record = stored.get((figure_org, f.target, period))
    old = BLANK if record is None else record.value
    old_note = "" if record is None else record.note
    new, new_note = (old if value is None else value), note or old_note
    fp.changes.append(CellChange(figure_org, f.target, period, old, new, old_note, new_note, f.sheet, value_ref,
                                 value is not None, bool(note)))


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
        for fp in preview.files:
            writes = [FigureWrite(c.org, c.target, c.period, c.new if c.value_given else None,
                                  c.new_note if c.note_given else None) for c in fp.changes if c.kind != UNCHANGED]
            assert fp.sha256 is not None
            cells = ledger.write_figures(writes, source="import", note=audit_note(fp.name, fp.sha256))
            written.append(FileWritten(fp.name, fp.sha256, tuple(cells)))
    return ImportResult(tuple(written), backup)


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
