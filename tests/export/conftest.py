"""芙蓉区's first three months, as a clerk would have typed them, exported for 2020年10月."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.domain.plan import Plan
from liubao_desktop.services.export_service import export_workbook
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.progress_report import ProgressReport, build_report

AUG, SEP, OCT = Period(2020, 8), Period(2020, 9), Period(2020, 10)
ORG = "芙蓉区"
ORG_CODE = "430102"
REPORT_DATE = date(2020, 11, 5)

# Text a user may type that a spreadsheet would run as a formula if it were written as one.
INJECTIONS = {
    "1.1": '=HYPERLINK("http://x","y")',
    "1.2": "=1+1",
    "1.3": "+1+1 帮扶",
    "1.4": "-2+3 招聘会",
    "2.1": "@SUM(A1:A3)",
    "2.2": "\t=1+1",
    "2.3": "\r=1+1",
}
NOTE_INJECTION = "=1+1"


@dataclass(frozen=True)
class Scenario:
    ledger: Ledger
    data_dir: Path


def type_in(ledger: Ledger, target: str, period: Period, text: str, note: str | None = None) -> None:
    ledger.record_figure(ORG, target, period, ledger.parse_entry(target, text), note=note)


def fill_scenario(ledger: Ledger) -> None:
    """Figures in three months, one 不适用, one blank, one 0, local targets, a level, 定性 states (one done in
    September), a target taken on against its default, an overdue measure."""
    ledger.sign_as("李四")  # 填表人
    # 援助就业困难人员就业 1.4万人, typed in 人; 芙蓉区's own share is 5000 人
    ledger.set_local_target(ORG, "1.3.1", Decimal(5000))
    type_in(ledger, "1.3.1", AUG, "1000")
    type_in(ledger, "1.3.1", SEP, "1523")
    type_in(ledger, "1.3.1", OCT, "2000", note=NOTE_INJECTION)
    # 统筹安排社会救助资金 8.5亿元, typed in 万元
    type_in(ledger, "2.4.1", SEP, "12,500.5")
    # 一般性支出压减20%: a rate typed as a percentage; 芙蓉区 takes it on (by default it is the city's)
    ledger.set_involved(ORG, "6.4.1", True)
    type_in(ledger, "6.4.1", OCT, "15")
    # 零就业家庭动态清零: qualitative, under way
    type_in(ledger, "1.3.2", OCT, "推进中")
    # 开展补贴类培训: reported, nothing achieved yet
    type_in(ledger, "1.4.1", OCT, "0")
    # 开通中欧班列: not this district's business
    type_in(ledger, "3.3.2", OCT, "不适用")
    # 完好仓容 166万吨, a level held (期末达到), typed in 吨 against the district's own 10万吨: 达到
    ledger.set_local_target(ORG, "4.2.2", Decimal(100000))
    type_in(ledger, "4.2.2", OCT, "120000")
    # 行政村卫生室标准化建设全覆盖: not the district's by default; taken on, done in September
    ledger.set_involved(ORG, "2.3.1", True)
    type_in(ledger, "2.3.1", SEP, "已完成")
    # 新改建乡镇卫生院 2.3.2 stays blank. 6.1 (due 2020年8月31日前) is never ticked done: overdue by October.
    for code, text in INJECTIONS.items():
        ledger.write_narrative(ORG, code, OCT, Narrative(progress=text, problems="资金到位慢", next_steps="加强调度"))
    ledger.write_narrative(ORG, "6.1", OCT, Narrative(progress="正在拨付", problems="部分资金未到位"))


@pytest.fixture
def scenario(ledger: Ledger, data_dir: Path) -> Scenario:
    """The scenario in a ledger of the test's own, open: for a test that writes to it or exports it differently."""
    fill_scenario(ledger)
    return Scenario(ledger, data_dir)


@dataclass(frozen=True)
class October:
    """The scenario's October workbook, written once per module, and what the ledger said while it was open."""
    path: Path
    plan: Plan
    report: ProgressReport
    narratives: dict[str, Narrative]


@pytest.fixture(scope="module")
def october(tmp_path_factory: pytest.TempPathFactory) -> October:
    """Built once per module, for tests that only read it. The ledger is closed before the tests run (the
    storage layer binds its models to the last ledger opened, so it could not stay open beside the tests' own)."""
    root = tmp_path_factory.mktemp("october")
    (root / "data").mkdir()
    out = root / "报表" / "芙蓉区-2020-10-六保进展.xlsx"
    out.parent.mkdir()
    ledger = Ledger.open(root / "data")
    try:
        fill_scenario(ledger)
        export_workbook(ledger, [ORG_CODE], OCT, out, report_date=REPORT_DATE)
        return October(out, ledger.plan, build_report(ledger, ORG_CODE, OCT), ledger.narratives(ORG_CODE, OCT))
    finally:
        ledger.close()


@pytest.fixture(scope="module")
def exported(october: October) -> Path:
    return october.path


@pytest.fixture(scope="module")
def book(exported: Path) -> Iterator[Workbook]:
    """Loaded once per module: tests read it and never change a cell."""
    wb = load_workbook(exported)
    yield wb
    wb.close()


def rows_by_code(ws, code_col: int, first_row: int = 1) -> dict[str, tuple]:  # noqa: ANN001
    """Data rows keyed by the stable code in code_col (1-based)."""
    out = {}
    for row in ws.iter_rows(min_row=first_row, values_only=True):
        code = row[code_col - 1] if len(row) >= code_col else None
        if isinstance(code, str) and code.count(".") >= 1:
            out[code] = row
    return out
