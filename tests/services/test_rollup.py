"""长沙市's view: its figures rolled up from its 13 offices' (sample data), an office's from its units; 报送情况."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.domain.plan import KIND_CUMULATIVE
from liubao_desktop.domain.progress import NOT_INVOLVED
from liubao_desktop.domain.rollup import COUNT, RANGE, SUM, RolledProgress
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.progress_report import build_report
from liubao_desktop.services.rollup import computed_figure_reason, org_history, org_report, rolled_up
from liubao_desktop.services.sample_data import fill_sample_data
from liubao_desktop.services.submissions import NOT_REPORTED, PARTLY, REPORTED, submissions

SEP, OCT = Period(2020, 9), Period(2020, 10)
CITY = "430100"


@pytest.fixture
def sample(ledger: Ledger) -> Ledger:
    fill_sample_data(ledger, [o.code for o in ledger.orgs()], OCT)
    return ledger


def sums_checked(sample: Ledger) -> int:
    city = org_report(sample, CITY, SEP)
    offices = {o.code: build_report(sample, o.code, SEP) for o in sample.orgs()}
    checked = 0
    for code, line in city.targets.items():
        involved = [r.targets[code] for r in offices.values() if r.targets[code].progress.status != NOT_INVOLVED]
        if not involved:
            assert code not in city.rolled  # no office answers for it: the city's own (市本级…)
            continue
        assert code in city.rolled and isinstance(line.progress, RolledProgress)
        if line.target.kind != KIND_CUMULATIVE or line.target.is_done:
            continue
        numbers = [ln.progress.actual.number for ln in involved if ln.progress.actual.number is not None]
        assert line.progress.actual.number == sum(numbers, Decimal(0)), code
        month = [ln.this_period.number for ln in involved if ln.this_period.number is not None]
        assert line.this_period.number == sum(month, Decimal(0)), code
        checked += 1
    return checked


def test_every_cumulative_target_an_office_answers_for_is_the_sum_of_the_offices(sample: Ledger) -> None:
    assert sums_checked(sample) >= 6  # the plan's defaults: the targets given to 各区县（市）人民政府 or 园区


def test_with_every_office_answering_for_every_target_all_cumulative_targets_are_sums(sample: Ledger) -> None:
    with sample.transaction():
        for o in sample.orgs():
            for t in sample.plan.targets():
                sample.set_involved(o.code, t.code, True)
    cumulative = [t for t in sample.plan.targets() if t.kind == KIND_CUMULATIVE and not t.is_done]
    assert sums_checked(sample) == len(cumulative) == 24


def test_the_citys_rates_give_a_range_and_a_count_and_qualitative_targets_count_the_offices_done(
        sample: Ledger) -> None:
    city = org_report(sample, CITY, SEP)
    share = rolled_up(city.targets["1.1.1"])
    assert share.how == RANGE
    latest = [c.progress.actual.number for c in share.counted if c.progress.actual.number is not None]
    low, high = share.span()
    assert (low, high) == (min(latest), max(latest))
    assert share.count_text() == f"{sum(1 for c in share.counted if c.progress.completion >= 1)}/{len(share.counted)} 达标"
    assert city.targets["1.1.1"].progress.completion is None
    cleared = rolled_up(city.targets["1.3.2"])
    assert cleared.how == COUNT
    done = sum(1 for c in cleared.counted if c.progress.done_in is not None)
    assert cleared.count_text() == f"{done}/{len(cleared.counted)} 已完成"
    assert rolled_up(city.targets["1.3.1"]).how == SUM


def test_the_citys_history_ends_on_its_report(sample: Ledger) -> None:
    history = org_history(sample, CITY, OCT)
    assert [m.period for m in history] == [Period(2020, 8), SEP, OCT]
    report = org_report(sample, CITY, OCT)
    assert {ln.target.code: ln for ln in history[-1].lines} == report.targets


def test_a_target_assigned_to_units_is_their_sum_and_the_offices_own_figure_is_not_used(ledger: Ledger) -> None:
    hr = ledger.add_unit("芙蓉区", "区人社局")
    street = ledger.add_unit("芙蓉区", "定王台街道")
    ledger.assign(hr.code, "1.3.1")
    ledger.assign(street.code, "1.3.1")
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(Decimal(9999)))  # typed before the assignment
    ledger.record_figure(hr.code, "1.3.1", SEP, FigureValue.of(Decimal(300)))
    report = org_report(ledger, "芙蓉区", SEP)
    line = report.targets["1.3.1"]
    assert report.rolled == {"1.3.1"}
    assert line.progress.actual == FigureValue.of(Decimal(300)) and line.this_period == FigureValue.of(Decimal(300))
    assert [c.name for c in rolled_up(line).missing] == ["定王台街道"]
    assert "下级单位（区人社局、定王台街道）的填报相加得出" in computed_figure_reason(line)
    assert computed_figure_reason(report.targets["1.3.2"]) is None  # not assigned: typed as before
    # the city takes 芙蓉区's rolled figure
    city = org_report(ledger, CITY, SEP)
    芙蓉 = next(c for c in rolled_up(city.targets["1.3.1"]).children if c.name == "芙蓉区")
    assert 芙蓉.progress.actual == FigureValue.of(Decimal(300))
    assert "不能直接填写" in computed_figure_reason(city.targets["1.3.1"])


def test_submissions_say_who_reported_who_partly_and_who_is_late(ledger: Ledger) -> None:
    ledger.preferences.set_report_due_day(5)
    fill_sample_data(ledger, [o.code for o in ledger.orgs()][:3], SEP)
    report = org_report(ledger, "430102", SEP)
    for line in report.targets.values():  # 芙蓉区 completes September
        if line.progress.status != NOT_INVOLVED and not line.progress.answered(line.this_period):
            value = FigureValue.of_state("推进中") if line.target.is_done else FigureValue.of(Decimal(1))
            ledger.record_figure("430102", line.target.code, SEP, value)
    before = submissions(ledger, CITY, SEP, date(2020, 10, 5))
    after = submissions(ledger, CITY, SEP, date(2020, 10, 8))
    assert before.due_date == date(2020, 10, 5)
    rows = {s.org.name: s for s in after.rows}
    assert len(after.rows) == 13
    assert rows["芙蓉区"].state == REPORTED and not rows["芙蓉区"].late and rows["芙蓉区"].late_text == "否"
    assert rows["芙蓉区"].last_entry is not None
    assert rows["望城区"].state == NOT_REPORTED and rows["望城区"].last_entry is None
    assert rows["望城区"].late and rows["望城区"].late_text == "逾期 3 天"
    partly = [s for s in after.rows if s.state == PARTLY]
    for s in partly:
        assert 0 < s.entered < s.due and s.state_text == f"部分报送（{s.entered}/{s.due}）" and s.missing
    # on the due day itself nobody is late yet
    assert not before.late and {s.late_text for s in before.rows if not s.complete} == {"未到截止日"}
    assert "逾期" in after.summary and "2020年10月5日" in after.summary


def test_the_due_day_is_a_ledger_setting_of_1_to_31_default_5(ledger: Ledger) -> None:
    assert ledger.preferences.report_due_day() == 5
    ledger.preferences.set_report_due_day(10)
    assert ledger.preferences.report_due_day() == 10
    for bad in (0, 32, True):
        with pytest.raises(ValueError, match="报送截止日"):
            ledger.preferences.set_report_due_day(bad)
    assert submissions(ledger, CITY, SEP, date(2020, 10, 9)).due_date == date(2020, 10, 10)
