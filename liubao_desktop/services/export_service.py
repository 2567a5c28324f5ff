"""Export the upward-reporting workbook: read the month's picture, write the file safely, explain failures.

Only reads the database. The file goes through ``storage.outputs``: never onto a ledger's files, made whole in
memory, then written beside its destination and moved into place, so a failed export (disk full, file open in
Excel, no permission) never leaves half a workbook behind, nor spoils an earlier one of the same name.

openpyxl is imported only when a workbook is written, so the window does not pay for it at start-up.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..domain.orgs import Org
from ..domain.periods import Period
from ..files.outputs import WORKBOOK, OutputError, check_output, write_output
from .ledger import Ledger
from .progress_report import target_line
from .rollup import children_of, has_rollup, org_history, org_report
from .sample_data import is_sample_database
from .submissions import submissions

if TYPE_CHECKING:
    from ..export import ChildrenData, MonthLines, WorkbookData

ALL_ORGS = ("all", "全部", "全部单位")
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
COLLECT_SHARE = 300  # of PROGRESS_TOTAL: reading the database; the rest is writing the file
PROGRESS_TOTAL = 1000

Progress = Callable[[int, int, str], None]


class ExportError(Exception):
    """An export that could not be done; ``str()`` tells the clerk why and what to do, in Chinese."""


class ExportCancelled(ExportError):
    def __init__(self) -> None:
        super().__init__("导出已取消，没有生成文件。")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    orgs: tuple[Org, ...]
    period: Period
    sheets: tuple[str, ...]
    rows: dict[str, int]

    @property
    def message(self) -> str:
        who = self.orgs[0].name if len(self.orgs) == 1 else f"{len(self.orgs)} 个单位"
        return f"已导出 {who} {self.period.label} 的报送报表：{self.path}"


def default_file_name(org_name: str, period: Period) -> str:
    """<org>-<month>-六保进展.xlsx, with characters Windows refuses in a file name replaced."""
    safe = _UNSAFE_FILENAME.sub("_", org_name).strip(" .") or "单位"
    return f"{safe}-{period}-六保进展{WORKBOOK.suffix}"


def city_file_name(period: Period) -> str:
    return default_file_name("全部单位", period)


def file_name_for(ledger: Ledger, org_codes: Sequence[str], period: Period) -> str:
    """The default file name for one org, all of them, or a few ("芙蓉区等2个单位-…")."""
    if len(org_codes) == 1:
        return default_file_name(ledger.org(org_codes[0]).name, period)
    if len(org_codes) == len(ledger.orgs()):
        return city_file_name(period)
    return default_file_name(f"{ledger.org(org_codes[0]).name}等{len(org_codes)}个单位", period)


def resolve_orgs(ledger: Ledger, text: str) -> list[str]:
    """Org codes from what a user wrote: a name or code, several separated by commas or 、, or "all"."""
    if text.strip().lower() in ALL_ORGS:
        return [o.code for o in ledger.orgs()]
    names = [n.strip() for n in re.split(r"[,，、]", text) if n.strip()]
    if not names:
        raise ExportError("请指定填报单位，例如 --org 芙蓉区，或 --org all 导出全部单位。")
    codes: list[str] = []
    for name in names:
        try:
            code = ledger.org(name).code
        except KeyError as exc:
            raise ExportError(exc.args[0]) from None
        if code not in codes:
            codes.append(code)
    return codes


# -- reading ----------------------------------------------------------------------------------------------------
def target_history(ledger: Ledger, org_code: str, up_to: Period) -> list[MonthLines]:
    """Every target of one org as of the end of each plan month up to up_to (for 明细).

    One figures query per org instead of a whole report per month; each line is made by build_report's own
    target_line, so the month up_to agrees with the report (a test holds it to that).
    """
    from ..export import MonthLines

    plan = ledger.plan
    figures = ledger.figures(org_code)
    local = ledger.local_targets(org_code)
    thresholds = ledger.thresholds()
    involvement = ledger.involvement(org_code)
    org = ledger.org(org_code)
    all_notes = ledger.notes_by_period(org_code)
    history: list[MonthLines] = []
    for month in (p for p in ledger.periods if p <= up_to):
        notes = all_notes.get(month, {})
        lines = tuple(
            target_line(plan, t, m.code, figures.get(t.code, {}), month, local=local.get(t.code),
                        note=notes.get(t.code, ""), thresholds=thresholds, involved=involvement[t.code], org=org)
            for m in plan.measures() for t in m.targets
        )
        history.append(MonthLines(month, lines))
    return history


def collect_children(ledger: Ledger, parent: str, period: Period, today: date) -> ChildrenData:
    """分单位 and 报送情况 of a parent org: its reporting children, their totals and 报送情况 on ``today``."""
    from ..export import ChildrenData

    kids = [k for k in children_of(ledger, ledger.org(parent)) if not k.retired]
    reports = {k.code: org_report(ledger, k.code, period) for k in kids}
    subs = submissions(ledger, parent, period, today, reports=reports)
    return ChildrenData(children=tuple(kids), submissions=subs.rows,
                        totals={code: r.totals() for code, r in reports.items()}, due_day=subs.due_day,
                        due_date=subs.due_date, today=today)


def collect(ledger: Ledger, org_codes: Sequence[str], period: Period, *, report_date: date | None = None,
            today: date | None = None, progress: Progress | None = None) -> WorkbookData:
    """Everything the workbook shows, read from the ledger (reads only). An org whose figures come from below
    (长沙市; an office over its units) is rolled up (services/rollup.py); exported alone, it also gets 分单位 and
    报送情况, 逾期 judged on ``today`` (the report date when not given)."""
    from ..export import OrgExport, WorkbookData

    if period not in ledger.periods:
        first, last = ledger.periods[0], ledger.periods[-1]
        raise ExportError(f"{period.label} 不在方案的执行期内（{first.label}至{last.label}），请换一个报告期。")
    if not org_codes:
        raise ExportError("没有选择填报单位。")
    orgs = []
    # One read of each office's figures, 分解目标 and thresholds serves both the month's report and the months'
    # history (they were read twice before), all from one snapshot of the file.
    with ledger.reading():
        for i, code in enumerate(org_codes):
            try:
                org = ledger.org(code)
            except KeyError:
                raise ExportError(f"没有名为“{code}”的填报单位。") from None
            if progress is not None:
                progress(COLLECT_SHARE * i // len(org_codes), PROGRESS_TOTAL, f"正在汇总 {org.name} 的数据")
            orgs.append(OrgExport(org_report(ledger, org.code, period), org_history(ledger, org.code, period)))
        thresholds = ledger.thresholds()
        report_date = report_date or date.today()
        children = None
        if len(orgs) == 1 and has_rollup(ledger, orgs[0].report.org.code):
            children = collect_children(ledger, orgs[0].report.org.code, period, today or report_date)
    return WorkbookData(
        plan=ledger.plan,
        period=period,
        orgs=tuple(orgs),
        report_date=report_date,
        thresholds=thresholds,
        preparer=ledger.workstation.operator,
        sample_data=is_sample_database(ledger),
        app_version=__version__,
        children=children,
    )


# -- writing ----------------------------------------------------------------------------------------------------
def _lock_files(out: Path) -> list[Path]:
    """Owner files Excel/WPS ("~$name") and LibreOffice (".~lock.name#") keep beside a workbook they have open."""
    names = {f"~${out.name}", f"~${out.name[2:]}", f".~lock.{out.name}#"}
    return [out.parent / n for n in sorted(names)]


def check_destination(out: Path, data_dir: Path | None = None) -> Path:
    """Refuse, with a clear reason, a destination the workbook cannot go to — before any work is done.
    Returns the absolute destination."""
    try:
        out = check_output(out, WORKBOOK, data_dir)
    except OutputError as exc:
        raise ExportError(str(exc)) from exc
    for lock in _lock_files(out):
        if lock.exists():
            raise ExportError(
                f"文件“{out.name}”正被 Excel、WPS 或 LibreOffice 打开，不能覆盖。请先关闭它再导出，或换一个文件名。"
                f"（如果它其实没有打开，可删除同一文件夹中的隐藏文件“{lock.name}”后重试。）"
            )
    return out


def export_workbook(ledger: Ledger, org_codes: Sequence[str], period: Period, out_path: Path | str, *,
                    report_date: date | None = None, today: date | None = None,
                    progress: Progress | None = None) -> ExportResult:
    """Write the workbook for one org (or several: one workbook, every sheet in blocks per org).

    progress(done, total, what) is called now and then; it may raise ExportCancelled to stop. Raises
    ExportError with a message for the clerk; the database is only read.
    """
    from ..export import write_workbook

    out = check_destination(Path(out_path), ledger.path.parent)
    data = collect(ledger, org_codes, period, report_date=report_date, today=today, progress=progress)

    def on_write(done: int, total: int, what: str) -> None:
        if progress is not None:
            share = PROGRESS_TOTAL - COLLECT_SHARE
            progress(COLLECT_SHARE + share * done // max(total, 1), PROGRESS_TOTAL, what)

    try:
        out, written = write_output(out, WORKBOOK, lambda fh: write_workbook(data, fh, on_write), ledger.path.parent)
    except OutputError as exc:
        raise ExportError(str(exc)) from exc
    if progress is not None:
        progress(PROGRESS_TOTAL, PROGRESS_TOTAL, "完成")
    return ExportResult(out, tuple(o.report.org for o in data.orgs), period,
                        written.sheets, written.rows)


def export_city_workbook(ledger: Ledger, period: Period, out_path: Path | str, *, report_date: date | None = None,
                         progress: Progress | None = None) -> ExportResult:
    """One workbook for every org of the ledger (the city's view: 13 districts, counties and parks)."""
    return export_workbook(ledger, [o.code for o in ledger.orgs()], period, out_path, report_date=report_date,
                           progress=progress)
