"""The city over its offices, each office over the units that report to it: added, renamed, retired, assigned."""
from __future__ import annotations

from decimal import Decimal

import pytest

from liubao_desktop.domain.figures import FigureInputError, FigureValue
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.ledger import Ledger

SEP = Period(2020, 9)


def test_a_new_ledger_holds_the_city_over_its_thirteen_offices(ledger: Ledger) -> None:
    city = ledger.city()
    assert city is not None and (city.code, city.name, city.parent) == ("430100", "长沙市", None)
    assert [o.name for o in ledger.children(city.code)] == [o.name for o in ledger.orgs()]
    assert len(ledger.orgs()) == 13 and all(o.parent == "430100" for o in ledger.orgs())
    assert ledger.org("长沙市").is_city  # found by name, as a command's --org 长沙市 needs


def test_an_office_adds_renames_and_retires_its_units_and_codes_never_change(ledger: Ledger) -> None:
    hr = ledger.add_unit("芙蓉区", "区人社局")
    street = ledger.add_unit("芙蓉区", " 定王台街道 ")
    assert (hr.code, street.code, street.name) == ("430102-01", "430102-02", "定王台街道")
    assert [u.name for u in ledger.children("芙蓉区")] == ["区人社局", "定王台街道"]
    ledger.record_figure(hr.code, "1.3.1", SEP, FigureValue.of(300))
    renamed = ledger.rename_org(hr.code, "芙蓉区人社局")
    assert renamed.code == hr.code and ledger.figure(hr.code, "1.3.1", SEP) == FigureValue.of(300)
    ledger.retire_unit(hr.code)
    assert [u.name for u in ledger.children("芙蓉区")] == ["定王台街道"]
    assert [u.name for u in ledger.children("芙蓉区", retired=True)] == ["芙蓉区人社局", "定王台街道"]
    assert ledger.figure(hr.code, "1.3.1", SEP) == FigureValue.of(300)  # its history stays
    with pytest.raises(FigureInputError, match="已停用"):
        ledger.record_figure(hr.code, "1.3.1", Period(2020, 10), FigureValue.of(1))
    # a new unit never takes a retired unit's code
    assert ledger.add_unit("芙蓉区", "区民政局").code == "430102-03"
    ledger.retire_unit(hr.code, retired=False)
    assert len(ledger.children("芙蓉区")) == 3


def test_a_units_name_must_be_new_and_sensible(ledger: Ledger) -> None:
    ledger.add_unit("芙蓉区", "区人社局")
    for bad, why in (("区人社局", "已有名为"), ("", "不能为空"), ("局" * 41, "不超过 40 个字"), ("天心区", "已有名为")):
        with pytest.raises(ValueError, match=why):
            ledger.add_unit("芙蓉区", bad)
    with pytest.raises(ValueError, match="只能加在"):
        ledger.add_unit("长沙市", "市本级某局")


def test_targets_are_assigned_to_the_units_that_report_them(ledger: Ledger) -> None:
    hr = ledger.add_unit("芙蓉区", "区人社局").code
    street = ledger.add_unit("芙蓉区", "定王台街道").code
    ledger.assign(hr, "1.3.1")
    ledger.assign(street, "1.3.1")
    ledger.assign(hr, "1.4.1")
    assert ledger.assignments("芙蓉区") == {"1.3.1": {hr, street}, "1.4.1": {hr}}
    ledger.assign(street, "1.3.1", assigned=False)
    assert ledger.assignments("芙蓉区")["1.3.1"] == {hr}
    assert ledger.assignments("天心区") == {}
    with pytest.raises(ValueError, match="只能分配给下级填报单位"):
        ledger.assign("天心区", "1.3.1")


def test_a_custom_office_reports_to_the_city_too(ledger: Ledger) -> None:
    org = ledger.add_org("长沙市某园区")
    assert org.parent == "430100" and org in ledger.orgs()
    assert ledger.local_targets(org.code) == {} and Decimal(0) == 0
