"""留痕: who changed what, shown in the clerk's units, filtered by month, office and target."""
from __future__ import annotations

from decimal import Decimal

import pytest

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.services import safety
from liubao_desktop.services.audit import AuditFilter, cell_history, count_changes, operators, query_changes
from liubao_desktop.services.ledger import Ledger

SEP, OCT = Period(2020, 9), Period(2020, 10)


@pytest.fixture
def ledger(engine_ledger: Ledger) -> Ledger:
    """Every test here on both engines: SQLite and a PostgreSQL server (tests/conftest.py)."""
    return engine_ledger


@pytest.fixture
def busy_month(ledger: Ledger) -> Ledger:
    ledger.sign_as("张三")
    ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "1523"))
    ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "1600"))
    ledger.record_figure("芙蓉区", "1.3.1", SEP, ledger.parse_entry("1.3.1", "1523"), source="undo")
    ledger.record_figure("芙蓉区", "2.4.1", SEP, ledger.parse_entry("2.4.1", "12,500.5"))
    ledger.sign_as("李四")
    ledger.record_figure("天心区", "1.3.1", OCT, ledger.parse_entry("1.3.1", "80"))
    ledger.record_figure("芙蓉区", "1.3.1", OCT, ledger.parse_entry("1.3.1", "不适用"))
    ledger.set_local_target("芙蓉区", "1.3.1", Decimal(1500))
    ledger.write_narrative("芙蓉区", "1.3", SEP, Narrative("开展援助活动 3 场"))
    return ledger


def test_changes_are_listed_newest_first_with_values_as_the_clerk_typed_them(busy_month: Ledger) -> None:
    rows = query_changes(busy_month)
    assert len(rows) == 8 and rows[0].field == "进展情况" and rows[-1].new == "1,523人"
    money = next(r for r in rows if r.code == "2.4.1")
    assert (money.old, money.new, money.label) == ("", "12,500.5万元", "2.4.1 统筹安排社会救助资金")
    na = next(r for r in rows if r.period == OCT and r.org_name == "芙蓉区")
    assert na.new == "不适用"
    assert {r.operator for r in rows} == {"张三", "李四"}


def test_undone_changes_show_their_source(busy_month: Ledger) -> None:
    history = cell_history(busy_month, "芙蓉区", "1.3.1", SEP)
    assert [(e.source_label, e.old, e.new, e.operator) for e in history] == [
        ("录入", "", "1,523人", "张三"),
        ("录入", "1,523人", "1,600人", "张三"),
        ("撤销", "1,600人", "1,523人", "张三"),
    ]


def test_filters_by_month_office_target_and_source(busy_month: Ledger) -> None:
    assert count_changes(busy_month, AuditFilter(period=SEP)) == 5
    assert count_changes(busy_month, AuditFilter(org="天心区")) == 1
    assert count_changes(busy_month, AuditFilter(org="芙蓉区", target="1.3.1")) == 5
    assert count_changes(busy_month, AuditFilter(org="芙蓉区", period=OCT, target="1.3.1")) == 1
    assert count_changes(busy_month, AuditFilter(target="1.3")) == 1  # a measure: its narrative
    assert count_changes(busy_month, AuditFilter(source="undo")) == 1
    assert count_changes(busy_month, AuditFilter(operator="李四")) == 4
    assert operators(busy_month) == ["张三", "李四"]
    with pytest.raises(KeyError):
        count_changes(busy_month, AuditFilter(target="9.9.9"))


def test_a_local_target_and_a_narrative_have_their_own_history(busy_month: Ledger) -> None:
    local = cell_history(busy_month, "芙蓉区", "1.3.1", None)
    assert [(e.field, e.old, e.new) for e in local] == [("分解目标", "", "1,500人")]
    narrative = cell_history(busy_month, "芙蓉区", "1.3", SEP)
    assert [(e.field, e.new, e.label) for e in narrative] == [
        ("进展情况", "开展援助活动 3 场", "1.3 切实帮扶困难群体就业 工作进展")]


@pytest.mark.parametrize("engine_location", ["sqlite"], indirect=True)  # a backup is a file on the PC
def test_a_restore_appears_in_the_history_of_the_cells_it_changed(ledger: Ledger) -> None:
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    backup = safety.backup_now(ledger)
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1600))
    safety.restore_backup(ledger, backup)
    history = cell_history(ledger, "芙蓉区", "1.3.1", SEP)
    assert [(e.source_label, e.old, e.new) for e in history] == [
        ("录入", "", "1,523人"), ("录入", "1,523人", "1,600人"), ("恢复备份", "1,600人", "1,523人")]
    assert history[-1].note == f"从备份 {backup.name} 恢复"
