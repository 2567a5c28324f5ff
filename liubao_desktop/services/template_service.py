"""填报模板: the workbook an office sends a reporting unit (or fills in itself) for one month, and the batch for
every unit at once.

Only reads the database. What a template lists: for a unit, the targets the office assigned to it; for the office
itself, the targets it is involved in. Each file goes through ``files/outputs.py`` (never into a data folder,
written whole or not at all). openpyxl is imported only when a file is written.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .. import APP_TITLE, __version__
from ..domain.figures import FigureValue
from ..domain.orgs import Org
from ..domain.periods import Period
from ..domain.plan import Target
from ..domain.rules import NOTE_LIMIT
from ..domain.words import NOT_APPLICABLE_TEXT, STATES
from ..files.outputs import (
    WORKBOOK,
    OutputError,
    OutputKind,
    check_output,
    make_output_folder,
    write_output,
    write_outputs,
)
from .ledger import Ledger
from .progress_report import build_report
from .sample_data import is_sample_database

if TYPE_CHECKING:
    from ..export.template_model import TemplateData, TemplateRow

ZIP_ARCHIVE = OutputKind("ZIP 压缩包", ".zip", b"PK\x03\x04")
NO_VALUE = "—"  # a cell with nothing to show: no 分解目标 for a 定性 target, no 累计 yet
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
TEMPLATE_WORD = "填报模板"

# progress(done, total, what) for the batch; it may raise to stop (nothing is written then).
Progress = Callable[[int, int, str], None]


class TemplateError(Exception):
    """A template that could not be made; ``str()`` tells the clerk why and what to do, in Chinese."""


@dataclass(frozen=True)
class TemplateResult:
    path: Path
    office: Org
    unit: Org | None
    period: Period
    targets: int

    @property
    def message(self) -> str:
        who = f"{self.office.name} {self.unit.name}" if self.unit else self.office.name
        return f"已生成 {who} {self.period.label} 的填报模板（{self.targets} 项指标）：{self.path}"


@dataclass(frozen=True)
class BatchResult:
    folder: Path
    zip_path: Path
    files: tuple[TemplateResult, ...]
    skipped: tuple[Org, ...]  # active units with no target assigned: no template for them

    @property
    def message(self) -> str:
        text = (f"已为 {len(self.files)} 个下级填报单位生成 {self.files[0].period.label} 的填报模板，"
                f"保存在 {self.folder}，并打包为 {self.zip_path.name}")
        if self.skipped:
            text += f"；{'、'.join(o.name for o in self.skipped)} 尚未分配指标，没有生成"
        return text + "。"


# -- names ---------------------------------------------------------------------------------------------------
def _safe(name: str) -> str:
    return _UNSAFE_FILENAME.sub("_", name).strip(" .") or "单位"


def template_file_name(office: Org, unit: Org | None, period: Period) -> str:
    """芙蓉区-区人社局-2020-09-填报模板.xlsx, or 芙蓉区-2020-09-填报模板.xlsx for the office's own."""
    parts = [_safe(office.name)] + ([_safe(unit.name)] if unit else [])
    return f"{'-'.join(parts)}-{period}-{TEMPLATE_WORD}{WORKBOOK.suffix}"


def batch_folder_name(office: Org, period: Period) -> str:
    return f"{_safe(office.name)}-{period}-{TEMPLATE_WORD}"


def batch_zip_name(office: Org, period: Period) -> str:
    return batch_folder_name(office, period) + ZIP_ARCHIVE.suffix


# -- who reports what ----------------------------------------------------------------------------------------
def resolve(ledger: Ledger, org: str, unit: str | None = None) -> tuple[Org, Org | None]:
    """The office and (optionally) its unit from names or codes; a unit named as --org stands for itself under
    its office. TemplateError (Chinese) for an unknown name or a unit of another office."""
    try:
        office = ledger.org(org)
        found = ledger.org(unit) if unit else None
    except KeyError as exc:
        raise TemplateError(exc.args[0]) from None
    if office.is_unit:
        if found is not None and found.code != office.code:
            raise TemplateError(f"“{office.name}”是下级填报单位，请用 --org 写它所属的区县（市）或园区。")
        office, found = ledger.org(office.parent or ""), office
    if found is not None:
        if not found.is_unit:
            raise TemplateError(f"“{found.name}”不是下级填报单位。下级填报单位在 数据 → 下级填报单位… 中添加。")
        if found.parent != office.code:
            raise TemplateError(f"“{found.name}”不是{office.name}的下级填报单位。")
        if found.retired:
            raise TemplateError(f"“{found.name}”已停用，不能生成填报模板。如需恢复，请在 数据 → 下级填报单位… 中恢复它。")
    return office, found


def reported_targets(ledger: Ledger, office: Org, unit: Org | None) -> list[Target]:
    """In plan order: a unit's assigned targets, or the office's involved ones."""
    if unit is not None:
        given = {code for code, units in ledger.assignments(office.code).items() if unit.code in units}
        return [t for t in ledger.plan.targets() if t.code in given]
    involved = ledger.involvement(office.code)
    return [t for t in ledger.plan.targets() if involved.get(t.code)]


def _check_period(ledger: Ledger, period: Period) -> None:
    if period not in ledger.periods:
        first, last = ledger.periods[0], ledger.periods[-1]
        raise TemplateError(f"{period.label} 不在方案的执行期内（{first.label}至{last.label}），不能生成填报模板。")


# -- collecting ------------------------------------------------------------------------------------------------
def _entry(t: Target, base: Decimal) -> Decimal:
    return t.to_entry(base)


def _last_total(t: Target, actual: FigureValue | None) -> Decimal | str:
    if actual is None or actual.is_blank:
        return NO_VALUE
    if actual.state is not None:
        return actual.state
    if actual.not_applicable or actual.number is None:
        return NOT_APPLICABLE_TEXT
    return _entry(t, actual.number)


def collect(ledger: Ledger, office: Org, unit: Org | None, period: Period, *,
            generated_at: datetime | None = None) -> TemplateData:
    """The template's data; TemplateError when there is nothing to report (a unit with no assigned target)."""
    from ..export.template_model import INPUT_NUMBER, INPUT_SIGNED, INPUT_STATE, TemplateData, TemplateRow

    _check_period(ledger, period)
    reporter = unit or office
    targets = reported_targets(ledger, office, unit)
    if not targets:
        if unit is not None:
            raise TemplateError(f"{office.name}还没有给“{unit.name}”分配指标，不能生成它的填报模板。"
                                "请先在 数据 → 下级填报单位… 中为它勾选要填报的指标。")
        raise TemplateError(f"{office.name}没有要填报的指标（全部为不涉及），不能生成填报模板。")
    prev = period.prev()
    report = build_report(ledger, reporter.code, prev) if prev in ledger.periods else None
    local = ledger.local_targets(reporter.code)
    rows: list[TemplateRow] = []
    for t in targets:
        if t.is_done:
            goal: Decimal | str = NO_VALUE
        elif t.code in local:
            goal = _entry(t, local[t.code])
        else:
            goal = ledger.without_local_target(reporter, t)
        actual = report.targets[t.code].progress.actual if report is not None else None
        kind = INPUT_STATE if t.is_done else INPUT_SIGNED if t.may_be_negative else INPUT_NUMBER
        rows.append(TemplateRow(code=t.code, label=t.label, city_target=t.written_text, local_target=goal,
                                last_total=_last_total(t, actual), unit=t.shown_unit, input=kind))
    plan = ledger.plan
    return TemplateData(
        plan_code=plan.code, plan_title=plan.title, plan_short_title=plan.short_title, doc_number=plan.doc_number,
        plan_fingerprint=plan.fingerprint(), org_code=office.code, org_name=office.name,
        unit_code=unit.code if unit else "", unit_name=unit.name if unit else "", period=str(period),
        period_label=period.label, last_period_label=prev.label if report is not None else "",
        rows=tuple(rows), states=STATES, not_applicable=NOT_APPLICABLE_TEXT, note_limit=NOTE_LIMIT,
        generated_at=(generated_at or datetime.now()).isoformat(timespec="seconds"),
        generator=f"{APP_TITLE} {__version__}", sample_data=is_sample_database(ledger),
    )


def _render(data: TemplateData) -> bytes:
    from ..export.template import write_template

    buffer = io.BytesIO()
    write_template(data, buffer)
    return buffer.getvalue()


# -- writing -------------------------------------------------------------------------------------------------
def check_destination(out: Path | str, data_dir: Path | None = None) -> Path:
    try:
        return check_output(out, WORKBOOK, data_dir)
    except OutputError as exc:
        raise TemplateError(str(exc)) from exc


def write_template_file(ledger: Ledger, office: Org, unit: Org | None, period: Period,
                        out: Path | str) -> TemplateResult:
    data_dir = ledger.path.parent
    check_destination(out, data_dir)  # before any work
    data = collect(ledger, office, unit, period)
    content = _render(data)
    try:
        path, _ = write_output(out, WORKBOOK, lambda fh: fh.write(content), data_dir)
    except OutputError as exc:
        raise TemplateError(str(exc)) from exc
    return TemplateResult(path, office, unit, period, len(data.rows))


def write_all_unit_templates(ledger: Ledger, office: Org, period: Period, folder: Path | str,
                             progress: Progress | None = None) -> BatchResult:
    """One template per active unit of the office that has targets, into ``folder`` (made if missing), and a
    zip of them beside them in that folder. Units without targets are skipped and named; none at all is an
    error. The batch lands whole or not at all: every file is made in memory and written under a temporary name
    before any takes its name (``write_outputs``), and a folder made for it is removed again when it fails."""
    if office.is_unit or office.is_city:
        raise TemplateError("“为全部下级单位生成”只适用于区县（市）、园区等填报单位。")
    _check_period(ledger, period)
    units = ledger.children(office.code)
    if not units:
        raise TemplateError(f"{office.name}还没有在用的下级填报单位。请先在 数据 → 下级填报单位… 中添加。")
    data_dir = ledger.path.parent
    made: list[tuple[Org, TemplateData]] = []
    skipped: list[Org] = []
    for unit in units:
        if reported_targets(ledger, office, unit):
            made.append((unit, collect(ledger, office, unit, period)))
        else:
            skipped.append(unit)
    if not made:
        raise TemplateError(f"{office.name}的下级填报单位都还没有分配指标，没有生成填报模板。"
                            "请先在 数据 → 下级填报单位… 中为它们勾选要填报的指标。")
    new_folders = _missing_folders(Path(folder))
    contents: list[tuple[str, bytes]] = []
    total = len(made) + 1
    try:
        target = make_output_folder(folder, data_dir)
        zip_path = check_output(target / batch_zip_name(office, period), ZIP_ARCHIVE, data_dir)
        for unit, _ in made:  # every destination before any work: a refused one costs nothing
            check_output(target / template_file_name(office, unit, period), WORKBOOK, data_dir)
        for i, (unit, data) in enumerate(made):
            if progress is not None:
                progress(i, total, f"正在生成 {unit.name} 的填报模板")
            contents.append((template_file_name(office, unit, period), _render(data)))
        if progress is not None:
            progress(len(made), total, "正在打包")
        packed = io.BytesIO()
        _zip(packed, contents)
        paths = write_outputs([(target / name, WORKBOOK, content) for name, content in contents]
                              + [(zip_path, ZIP_ARCHIVE, packed.getvalue())], data_dir)
    except BaseException as exc:
        for made_folder in new_folders:  # innermost first; only folders left empty
            with contextlib.suppress(OSError):
                made_folder.rmdir()
        if isinstance(exc, OutputError):
            raise TemplateError(str(exc)) from exc
        raise
    results = tuple(TemplateResult(path, office, unit, period, len(data.rows))
                    for path, (unit, data) in zip(paths, made, strict=False))
    if progress is not None:
        progress(total, total, "完成")
    return BatchResult(target, paths[-1], results, tuple(skipped))


def _missing_folders(folder: Path) -> list[Path]:
    """The folders ``make_output_folder`` would create for ``folder``, innermost first."""
    out = Path(os.path.abspath(os.path.expanduser(os.fspath(folder))))
    return [level for level in (out, *out.parents) if not level.exists()]


def _zip(fh: io.BufferedIOBase, contents: Sequence[tuple[str, bytes]]) -> None:
    # An xlsx is already deflated: stored members keep the zip quick to make and to open.
    with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as zf:
        for name, content in contents:
            zf.writestr(name, content)
