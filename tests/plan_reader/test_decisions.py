"""A person's review decisions applied to a proposal: the seed's own decisions, and each kind of decision."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from liubao_desktop.domain.plan import KIND_DONE, KIND_STOCK
from liubao_desktop.domain.plan_reader import (
    Decision,
    PlanReadError,
    apply_decisions,
    decisions_from_json,
    decisions_to_json,
    read_plan_text,
)
from liubao_desktop.storage.seed_sql import DECISIONS_FILE, changsha_plan

from .docs import changsha_text
from .test_changsha import CURATED

PROPOSAL = read_plan_text(changsha_text())


def test_the_seed_is_the_reader_plus_the_kept_decisions_and_equals_the_committed_seed() -> None:
    review = json.loads(DECISIONS_FILE.read_text(encoding="utf-8"))
    decisions = decisions_from_json(review["decisions"])
    assert decisions_to_json(decisions) == review["decisions"]  # the file is what the functions write
    assert all(d.why for d in decisions)
    # only labels, and one phrase: value, unit, kind, comparator and deadline are the reader's own
    assert {d.target for d in decisions if d.source} == {"1.1.1"}
    assert all(d.kind is d.comparator is d.value is d.unit is d.deadline is None for d in decisions)
    assert changsha_plan() == CURATED


def test_the_1_1_1_decision_keeps_the_parks_out() -> None:
    raw = PROPOSAL.to_plan(code="x", short_title="x").target("1.1.1")
    kept = changsha_plan().target("1.1.1")
    assert raw.source.startswith("市本级、园区、区县（市）所属国有企业")
    assert "park" in (raw.named_levels() or set())
    assert kept.source.startswith("国有企业") and kept.named_levels() is None


def test_drop_relabel_retype_and_the_numbering_stays_the_proposals() -> None:
    decided = apply_decisions(PROPOSAL, [
        Decision("2.3.1", drop=True),
        Decision("2.3.2", label="卫生院", kind=KIND_STOCK),
        Decision("2.3.3", confirmed=True),
    ])
    m = next(m for m in decided.measures() if m.code == "2.3")
    original = next(m for m in PROPOSAL.measures() if m.code == "2.3")
    assert len(m.targets) == len(original.targets) - 1
    assert (m.targets[0].label, m.targets[0].kind) == ("卫生院", KIND_STOCK)
    assert m.targets[1] == original.targets[2]  # confirmed, nothing was unsure
    plan = decided.to_plan(code="x", short_title="x")
    assert plan.target("2.3.1").label == "卫生院"
    assert PROPOSAL.measures()[0].targets  # the proposal itself is unchanged


def test_a_qualitative_kind_clears_the_number_and_a_deadline_gets_its_phrase() -> None:
    decided = apply_decisions(PROPOSAL, [Decision("1.3.1", kind=KIND_DONE, deadline=date(2021, 6, 30))])
    t = next(m for m in decided.measures() if m.code == "1.3").targets[0]
    assert (t.kind, t.comparator, t.value, t.unit, t.deadline_phrase) == (
        KIND_DONE, "done", None, None, "2021年6月30日前")


def test_an_added_target_is_read_from_its_phrase_and_placed_in_text_order() -> None:
    phrase = "充分挖掘城乡社区（村）管理服务、医疗卫生、基础教育等领域的财政类供养岗位吸纳高校毕业生就业"
    with pytest.raises(PlanReadError, match="没有数值和单位"):
        apply_decisions(PROPOSAL, [Decision("1.1", add=True, source=phrase)])
    decided = apply_decisions(PROPOSAL, [Decision("1.1", add=True, source=phrase, kind=KIND_DONE, label="岗位")])
    m = next(m for m in decided.measures() if m.code == "1.1")
    assert [t.label for t in m.targets][0] == "岗位"  # it comes before 1.1.1's phrase in the text
    counted = apply_decisions(PROPOSAL, [Decision("1.4", add=True, source="全年开展补贴类培训5万人次",
                                                  label="培训（第二次）")])
    added = [t for m in counted.measures() if m.code == "1.4" for t in m.targets if t.label == "培训（第二次）"]
    assert (added[0].value, added[0].unit, added[0].unsure) == (Decimal(5), "万人次", ())


@pytest.mark.parametrize(("decision", "words"), [
    (Decision("9.9.1", label="x"), "不存在"),
    (Decision("1.1.7", label="x"), "不存在"),
    (Decision("1", label="x"), "措施编号.序号"),
    (Decision("1.1", label="x"), "不存在"),
    (Decision("1.1.1", source="不在正文中的话"), "不在措施 1.1 的正文中"),
    (Decision("1.1.1", kind="level"), "指标类型"),
    (Decision("1.1.1", comparator=">"), "比较方式"),
    (Decision("1.1.1", label=" "), "不能为空"),
    (Decision("9.9", add=True, source="x"), "不存在"),
])
def test_a_stale_or_wrong_decision_is_refused_in_words(decision: Decision, words: str) -> None:
    with pytest.raises(PlanReadError, match=words):
        apply_decisions(PROPOSAL, [decision])


def test_two_decisions_on_one_target_and_unknown_json_fields_are_refused() -> None:
    with pytest.raises(PlanReadError, match="两条"):
        apply_decisions(PROPOSAL, [Decision("1.1.1", label="a"), Decision("1.1.1", label="b")])
    with pytest.raises(PlanReadError, match="lable"):
        decisions_from_json([{"target": "1.1.1", "lable": "x"}])
    with pytest.raises(PlanReadError, match="无法识别"):
        decisions_from_json([{"target": "1.1.1", "deadline": "2020-13-01"}])
    assert decisions_from_json([{"target": "1.1.1", "value": 1.5, "deadline": "2020-12-31"}]) == [
        Decision("1.1.1", value=Decimal("1.5"), deadline=date(2020, 12, 31))]
