"""Any plan document in: read and previewed without a write, saved whole after a backup, refused whole in words;
several plans in one ledger, each with its own months, figures and narratives."""
from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.domain.plan_reader import Decision, PlanReadError
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.plan_import import (
    PlanImportError,
    free_code,
    plan_from_proposal,
    preview_plan,
    read_plan_document,
    save_plan,
    suggested_code,
    unit_roles,
)

DOCS = Path(__file__).resolve().parents[1] / "plan_reader" / "documents"
ARTICLES = DOCS / "articles.txt"  # 湘政发〔2021〕7号: 第X章/第X条, 牵头/配合, 11 targets in units the ledger takes
NUMERALS = DOCS / "numerals.txt"  # 工作日: a unit the ledger cannot take


def _total_changes(ledger: Ledger) -> int:
    return ledger.db.connection().total_changes


def test_reading_and_previewing_write_nothing(ledger: Ledger) -> None:
    before = _total_changes(ledger)
    files = sorted(p.name for p in ledger.path.parent.rglob("*"))
    proposal = read_plan_document(ARTICLES)
    plan, data = preview_plan(ledger, proposal)
    assert plan is not None and data["problems"] == []
    assert _total_changes(ledger) == before
    assert sorted(p.name for p in ledger.path.parent.rglob("*")) == files  # no backup either
    assert [p.code for p in ledger.plans()] == ["changsha-2020-26"]


def test_the_preview_is_the_plan_json_shape_with_roles_phrases_and_unsure_reasons(ledger: Ledger) -> None:
    _, data = preview_plan(ledger, read_plan_document(ARTICLES))
    assert data["plan"]["code"] == "plan-2021-7" and data["plan"]["doc_number"] == "湘政发〔2021〕7号"
    m = data["parts"][1]["measures"][0]
    assert m["units"][0] == "市人力资源社会保障局"
    assert m["unit_roles"] == {"市人力资源社会保障局": "牵头", "市财政局": "配合", "市税务局": "配合"}
    t = m["targets"][0]
    assert t["source"] == "返还其上年度实际缴纳失业保险费的50%" and t["unsure"] == ["像补贴、奖励的标准，可能不是目标"]
    assert set(t) >= {"code", "label", "value", "unit", "base_value", "comparator", "deadline", "source"}


def test_save_writes_the_whole_plan_after_a_backup_and_the_ledger_shows_it_on_request(ledger: Ledger) -> None:
    proposal = read_plan_document(ARTICLES)
    plan, _ = preview_plan(ledger, proposal)
    assert plan is not None
    saved = save_plan(ledger, plan, roles=unit_roles(proposal))
    assert saved.backup.exists() and saved.backup.parent.name == "backups"
    assert ledger.plan.code == "changsha-2020-26"  # still the plan it showed
    entries = {p.code: p for p in ledger.plans()}
    assert (entries["plan-2021-7"].parts, entries["plan-2021-7"].measures, entries["plan-2021-7"].targets) == (
        len(plan.parts), len(plan.measures()), len(plan.targets()))
    ledger.switch_plan("plan-2021-7")
    assert ledger.plan == plan  # read back exactly: values, units, deadlines, phrases, unit order
    assert ledger.periods[0] == Period(2021, 3) and ledger.periods[-1] == Period(2022, 12)
    rows = ledger.db.execute_sql(
        "SELECT u.name, mu.role FROM measure_unit mu JOIN unit u ON u.id = mu.unit_id JOIN measure m "
        "ON m.id = mu.measure_id JOIN part p ON p.id = m.part_id JOIN plan ON plan.id = p.plan_id "
        "WHERE plan.code = 'plan-2021-7' AND m.code = '2.1' ORDER BY mu.seq").fetchall()
    assert rows == [("市人力资源社会保障局", "lead"), ("市财政局", "support"), ("市税务局", "support")]
    # a unit both plans name is one row of the unit table
    assert ledger.db.execute_sql("SELECT count(*) FROM unit WHERE name = '市财政局'").fetchone()[0] == 1


def test_a_plan_already_there_is_refused_by_code_and_by_doc_number_with_a_free_code_offered(ledger: Ledger) -> None:
    plan, _ = preview_plan(ledger, read_plan_document(ARTICLES))
    assert plan is not None
    save_plan(ledger, plan)
    before = _total_changes(ledger)
    with pytest.raises(PlanImportError) as caught:
        save_plan(ledger, plan)
    assert "已经导入过" in caught.value.problems[0] and "plan-2021-7-2" in caught.value.problems[1]
    with pytest.raises(PlanImportError, match="plan-2021-7-2"):
        save_plan(ledger, replace(plan, doc_number=""))
    assert _total_changes(ledger) == before
    assert suggested_code(read_plan_document(ARTICLES), {p.code for p in ledger.plans()}) == "plan-2021-7-2"
    assert free_code({"a", "a-2"}, "a") == "a-3"


def test_a_unit_the_ledger_cannot_take_is_refused_with_its_phrase_and_nothing_is_written(ledger: Ledger) -> None:
    proposal = read_plan_document(NUMERALS)
    plan, data = preview_plan(ledger, proposal)
    assert any("企业开办时间压缩至一个工作日以内" in p and "工作日" in p for p in data["problems"])
    assert plan is not None
    files = len(list((ledger.path.parent / "backups").glob("*"))) if (ledger.path.parent / "backups").exists() else 0
    with pytest.raises(PlanImportError, match="台账尚不能录入"):
        save_plan(ledger, plan)
    assert [p.code for p in ledger.plans()] == ["changsha-2020-26"]
    after = len(list((ledger.path.parent / "backups").glob("*"))) if (ledger.path.parent / "backups").exists() else 0
    assert after == files  # refused before the backup
    # the person drops the two targets (review decisions): then it saves
    fixed = plan_from_proposal(proposal, code="yueyang-2021-12", decisions=[
        Decision("1.1.1", drop=True), Decision("1.1.2", drop=True)])
    save_plan(ledger, fixed)
    assert "yueyang-2021-12" in {p.code for p in ledger.plans()}


def test_a_document_without_dates_is_saved_with_the_dates_the_person_gives(ledger: Ledger) -> None:
    proposal = read_plan_document(ARTICLES)
    undated = replace(proposal, effective_from=None, effective_to=None)
    plan, data = preview_plan(ledger, undated)
    assert plan is None and "起止日期" in data["problems"][0]
    assert data["plan"]["effective_from"] is None and data["parts"]  # the tree is shown all the same
    with pytest.raises(PlanReadError, match="施行日期"):
        plan_from_proposal(undated, code="x")
    plan = plan_from_proposal(undated, code="dated", effective_from=date(2021, 1, 1), effective_to=date(2021, 12, 31))
    saved = save_plan(ledger, plan, effective_from=date(2021, 4, 1))
    ledger.switch_plan(saved.code)
    assert (ledger.plan.effective_from, ledger.plan.effective_to) == (date(2021, 4, 1), date(2021, 12, 31))
    with pytest.raises(PlanImportError, match="晚于"):
        save_plan(ledger, replace(plan, code="bad", doc_number="x"), effective_from=date(2022, 1, 1))
    with pytest.raises(PlanImportError, match="方案代码"):
        save_plan(ledger, replace(plan, code="带 空格", doc_number="y"))


def test_each_plan_keeps_its_own_figures_narratives_and_months(ledger: Ledger) -> None:
    proposal = read_plan_document(ARTICLES)
    plan, _ = preview_plan(ledger, proposal)
    assert plan is not None
    save_plan(ledger, plan)
    org = ledger.orgs()[0].code
    ledger.record_figure(org, "1.3.1", Period(2020, 9), FigureValue.of(Decimal(1523)))
    ledger.write_narrative(org, "1.3", Period(2020, 9), Narrative("changsha", "", ""))
    ledger.switch_plan("plan-2021-7")
    assert ledger.figures(org) == {} and ledger.periods_with_data(org) == set()
    assert ledger.default_period(org) == Period(2021, 3)
    ledger.record_figure(org, "2.1.2", Period(2021, 5), FigureValue.of(Decimal(120)))
    assert ledger.periods_with_data(org) == {Period(2021, 5)}
    ledger.switch_plan("changsha-2020-26")
    assert ledger.figures(org)["1.3.1"] == {Period(2020, 9): FigureValue.of(Decimal(1523))}
    assert ledger.narrative(org, "1.3", Period(2020, 9)).progress == "changsha"
    assert ledger.periods_with_data(org) == {Period(2020, 9)}


def test_a_restore_keeps_the_plan_shown_or_falls_back_to_the_first(ledger: Ledger, data_dir: Path) -> None:
    plan, _ = preview_plan(ledger, read_plan_document(ARTICLES))
    assert plan is not None
    save_plan(ledger, plan)
    ledger.switch_plan("plan-2021-7")
    ledger.reopen()
    assert ledger.plan.code == "plan-2021-7"
    conn = sqlite3.connect(ledger.path)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM plan WHERE code = 'plan-2021-7'")
    conn.commit()
    conn.close()
    ledger.reopen()
    assert ledger.plan.code == "changsha-2020-26"


def test_an_unreadable_document_is_refused_in_words(tmp_path: Path) -> None:
    with pytest.raises(PlanReadError, match="找不到文件"):
        read_plan_document(tmp_path / "nope.docx")
    bad = tmp_path / "a.txt"
    bad.write_text("没有标题的一段话。", encoding="utf-8")
    with pytest.raises(PlanReadError, match="无法识别为实施方案"):
        read_plan_document(bad)
