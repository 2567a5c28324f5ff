"""Three documents of other shapes, written for the reader in the style of real plans, against hand-checked
trees: a 分工表 as a .docx table, one with 第X章/第X条, one with targets in Chinese numerals and ranges.
Precision and recall of targets and units are printed (pytest -s; also bench/plan_reader.py)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from liubao_desktop.documents import read_plan_file

from .docs import DOCUMENTS, fengong_docx
from .expected import ARTICLES, FENGONG, NUMERALS, score

CASES = {
    "articles": (lambda tmp: DOCUMENTS / "articles.txt", ARTICLES),
    "numerals": (lambda tmp: DOCUMENTS / "numerals.txt", NUMERALS),
    "fengong": (lambda tmp: fengong_docx(tmp / "分工表.docx"), FENGONG),
}
# Where each document stands (the floor a change must not go below).
FLOOR = {"articles": (0.9, 1.0), "numerals": (0.9, 1.0), "fengong": (1.0, 0.88)}


@pytest.mark.parametrize("name", CASES)
def test_precision_and_recall(name: str, tmp_path: Path) -> None:
    make, expected = CASES[name]
    s = score(read_plan_file(make(tmp_path)), expected)
    print(f"\n{name}: targets P={s['target_precision']:.2f} R={s['target_recall']:.2f} "
          f"(exact {s['targets_exact']}/{s['targets_expected']}), units P={s['unit_precision']:.2f} "
          f"R={s['unit_recall']:.2f}; missed {s['missed']}; extra {s['extra']}; inexact {s['inexact']}")
    assert s["measures"]
    assert s["unit_precision"] == s["unit_recall"] == 1.0
    assert s["target_precision"] >= FLOOR[name][0] and s["target_recall"] >= FLOOR[name][1]
    assert s["targets_exact"] == s["targets_hit"]
    assert all("unsure=True" in e for e in s["extra"])  # every extra is marked unsure


def test_metadata_of_each_document(tmp_path: Path) -> None:
    a = read_plan_file(DOCUMENTS / "articles.txt")
    assert (a.title, a.doc_number, a.issuer, a.issued_on, a.effective_from, a.effective_to) == (
        "湘江市稳岗就业若干措施", "湘政发〔2021〕7号", "湘江市人民政府", date(2021, 2, 20), date(2021, 3, 1),
        date(2022, 12, 31))
    n = read_plan_file(DOCUMENTS / "numerals.txt")
    # 自印发之日起施行，有效期二年
    assert (n.title, n.doc_number, n.issuer, n.issued_on, n.effective_from, n.effective_to) == (
        "岳阳县2021年优化营商环境工作方案", "岳县政办发〔2021〕12号", "岳阳县人民政府办公室", date(2021, 4, 6),
        date(2021, 4, 6), date(2023, 4, 5))
    f = read_plan_file(fengong_docx(tmp_path / "分工表.docx"))
    assert (f.title, f.doc_number, f.issuer, f.effective_from, f.effective_to) == (
        "芙蓉区2021年“六稳六保”重点任务分工方案", "芙政办发〔2021〕3号", "长沙市芙蓉区人民政府办公室",
        date(2021, 3, 1), date(2021, 12, 31))


def test_deadlines_of_a_fengong_table(tmp_path: Path) -> None:
    f = read_plan_file(fengong_docx(tmp_path / "分工表.docx"))
    assert [(m.deadline, m.deadline_phrase) for m in f.measures()] == [
        (date(2021, 12, 31), "2021年12月31日前"), (None, "长期坚持"), (date(2021, 11, 30), "2021年11月30日前"),
        (date(2021, 8, 31), "2021年8月31日前"), (None, "持续推进")]


def test_the_outline_keeps_the_third_level(tmp_path: Path) -> None:
    n = read_plan_file(DOCUMENTS / "numerals.txt")
    first = n.outline[0].children[0]
    assert (first.style, first.title, [c.style for c in first.children]) == (
        "cn_paren", "压缩办理时限", ["arabic_dot", "arabic_dot"])
    assert n.measures()[0].text.count("．") == 2  # the sub-items are folded into the measure, numbers kept


def test_a_range_and_a_subsidy_standard_are_marked_unsure() -> None:
    n = read_plan_file(DOCUMENTS / "numerals.txt")
    by_source = {t.source: t for t in n.targets()}
    standard = by_source["每户一千元—两千元"]
    assert (standard.value, standard.upper, standard.unit) == (1000, 2000, "元")
    assert any("标准" in u for u in standard.unsure)
    assert any("区间" in u for u in by_source["培育上市后备企业一到两家"].unsure)
    assert any("台账尚不能录入" in u for u in by_source["企业开办时间压缩至一个工作日以内"].unsure)
