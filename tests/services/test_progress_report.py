"""After an edit the window recomputes only what it touched; the picture must be the one a full rebuild gives."""
from __future__ import annotations

from decimal import Decimal

import pytest

from liubao_desktop.domain.figures import BLANK, NOT_APPLICABLE, FigureValue
from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.progress_report import build_report, updated_report
from liubao_desktop.services.sample_data import fill_sample_data

ORG, SEP = "430102", Period(2020, 9)


@pytest.fixture
def sample(ledger: Ledger) -> Ledger:
    fill_sample_data(ledger, [ORG], Period(2021, 6))
    return ledger


def same(a, b) -> None:  # noqa: ANN001
    assert a.measures == b.measures
    assert a.targets == b.targets
    assert a.with_progress == b.with_progress
    assert a.part_summaries() == b.part_summaries()


def test_a_figure_typed_for_one_target_changes_its_row_its_measure_and_its_part_as_a_rebuild_would(
    sample: Ledger,
) -> None:
    before = build_report(sample, ORG, SEP)
    sample.record_figure(ORG, "1.3.1", SEP, FigureValue.of(Decimal(1523)))
    after = updated_report(before, sample, targets={"1.3.1"})
    same(after, build_report(sample, ORG, SEP))
    assert after.targets["1.3.1"] != before.targets["1.3.1"]
    assert after.measures["2.2"] is before.measures["2.2"]  # untouched lines are not rebuilt


@pytest.mark.parametrize("edit", ["local", "note", "not_applicable", "blank"])
def test_every_kind_of_cell_edit_gives_the_rebuilt_picture(sample: Ledger, edit: str) -> None:
    before = build_report(sample, ORG, SEP)
    code = "1.3.1"
    if edit == "local":
        sample.set_local_target(ORG, code, Decimal(900))
    elif edit == "note":
        sample.record_figure(ORG, code, SEP, sample.figure(ORG, code, SEP), note="街道报来")
    elif edit == "not_applicable":
        sample.record_figure(ORG, code, SEP, NOT_APPLICABLE)
    else:
        sample.record_figure(ORG, code, SEP, BLANK)
    same(updated_report(before, sample, targets={code}), build_report(sample, ORG, SEP))


def test_a_narrative_ticked_done_changes_the_measures_status_as_a_rebuild_would(sample: Ledger) -> None:
    measure = next(m.code for m in sample.plan.measures() if not m.targets)
    before = build_report(sample, ORG, SEP)
    sample.write_narrative(ORG, measure, SEP, Narrative("已完成全部工作", done=True))
    after = updated_report(before, sample, measures={measure})
    same(after, build_report(sample, ORG, SEP))
    assert after.measures[measure].narrative.done and not before.measures[measure].narrative.done
