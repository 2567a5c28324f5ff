"""The same plan written differently gives the same tree: 牵头/配合 annotations, 1./2. numbering, half-width
punctuation, page-break artifacts, and the plan as a .docx with bold headings (made here with python-docx)."""
from __future__ import annotations

from pathlib import Path

import pytest

from liubao_desktop.documents import read_plan_file
from liubao_desktop.domain.plan_reader import ROLE_COOPERATE, ROLE_LEAD, read_plan_text
from liubao_desktop.domain.plan_reader.text import to_full_width

from .docs import (
    arabic_measures,
    changsha_docx,
    changsha_text,
    half_width,
    lead_and_cooperate,
    page_artifacts,
)


def tree(plan) -> list:  # noqa: ANN001
    """What must not change: parts, measures (title, units in order, deadline), targets; punctuation width aside."""
    return [(p.code, p.title, [(m.code, to_full_width(m.title), m.units, m.deadline,
                                [(t.code, t.value, t.unit, t.comparator, t.kind, t.deadline) for t in m.targets])
                               for m in p.measures]) for p in plan.parts] + [
        plan.title, plan.doc_number, plan.issuer, plan.issued_on, plan.effective_from, plan.effective_to]


BASE = tree(read_plan_text(changsha_text()).to_plan(code="x", short_title="x"))


@pytest.mark.parametrize("variant", [lead_and_cooperate, arabic_measures, half_width, page_artifacts,
                                     lambda t: page_artifacts(half_width(arabic_measures(lead_and_cooperate(t))))],
                         ids=["牵头配合", "1.2.编号", "半角标点", "分页痕迹", "全部"])
def test_a_text_variant_gives_the_same_tree(variant) -> None:  # noqa: ANN001
    text = variant(changsha_text())
    assert text != changsha_text()
    assert tree(read_plan_text(text).to_plan(code="x", short_title="x")) == BASE


def test_lead_and_cooperate_are_kept_as_roles() -> None:
    proposal = read_plan_text(lead_and_cooperate(changsha_text()))
    first, second = proposal.measures()[0], proposal.measures()[1]
    assert [u.role for u in first.units] == [ROLE_LEAD] + [ROLE_COOPERATE] * 4
    assert [u.role for u in second.units] == [ROLE_LEAD] + [ROLE_COOPERATE] * 3


def test_the_plan_as_a_docx_with_bold_headings(tmp_path: Path) -> None:
    path = changsha_docx(tmp_path / "长沙六保.docx")
    assert tree(read_plan_file(path).to_plan(code="x", short_title="x")) == BASE


def test_a_txt_in_gb18030_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(changsha_text().encode("gb18030"))
    assert tree(read_plan_file(path).to_plan(code="x", short_title="x")) == BASE
