"""填报单位 the app offers at first start: Changsha's districts and counties, 湘江新区 and the city's parks.

Codes are stable so that workbooks sent upward can be rolled up later: districts use their administrative
division codes (GB/T 2260), the others a short fixed code.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .plan import Measure, Target

CITY_KIND = "city"  # the city's own office: it answers for every target of its plan as the city
UNIT_KIND = "unit"  # a reporting unit under an office (区人社局, 某街道): it reports, the office rolls up
OFFICE_KINDS = ("district", "county_city", "new_area", "park", "custom")


@dataclass(frozen=True)
class Org:
    """A 填报单位 (the city, a district, county, area, park or one the clerk added), by a stable code."""

    code: str
    name: str
    kind: str  # city, district, county_city, new_area, park, custom, unit
    parent: str | None = None  # the code of the org it reports to (长沙市 for a district, the office for a unit)
    retired: bool = False  # a unit no longer reporting: its history stays, it takes no new figures

    @property
    def is_city(self) -> bool:
        return self.kind == CITY_KIND

    @property
    def is_unit(self) -> bool:
        return self.kind == UNIT_KIND


CHANGSHA = Org("430100", "长沙市", CITY_KIND)
CHANGSHA_ORGS: tuple[Org, ...] = (
    Org("430102", "芙蓉区", "district", "430100"),
    Org("430103", "天心区", "district", "430100"),
    Org("430104", "岳麓区", "district", "430100"),
    Org("430105", "开福区", "district", "430100"),
    Org("430111", "雨花区", "district", "430100"),
    Org("430112", "望城区", "district", "430100"),
    Org("430121", "长沙县", "county_city", "430100"),
    Org("430181", "浏阳市", "county_city", "430100"),
    Org("430182", "宁乡市", "county_city", "430100"),
    Org("XJXQ", "湘江新区", "new_area", "430100"),
    Org("CSJKQ", "长沙经济技术开发区", "park", "430100"),
    Org("CSGXQ", "长沙高新技术产业开发区", "park", "430100"),
    Org("LYJKQ", "浏阳经济技术开发区", "park", "430100"),
)


# The city first, then its offices: the orgs a new ledger holds.
PRESET_ORGS: tuple[Org, ...] = (*CHANGSHA_ORGS, CHANGSHA)


def unit_code(parent: str, n: int) -> str:
    """A reporting unit's stable code under its office: 430102-01, 430102-02 … (never reused, never renamed)."""
    return f"{parent}-{n:02d}"


# Which responsible units of a city plan stand for the office itself, by kind of office.
_OWN_UNITS = {
    "district": ("各区县市人民政府", "各区县人民政府"),
    "county_city": ("各区县市人民政府", "各区县人民政府"),
    "new_area": ("湘江新区管委会", "园区管委会"),
    "park": ("园区管委会",),
    "custom": ("各区县市人民政府", "各区县人民政府"),
}


def default_own_units(org: Org, plan_units: list[str]) -> list[str]:
    """The plan's units that name this office's level (各区县市人民政府 for a district), in plan order."""
    wanted = _OWN_UNITS.get(org.kind, ())
    return [u for u in plan_units if u in wanted]


def involved_by_default(org: Org, measure: Measure, target: Target) -> bool:
    """Whether the office answers for a target unless it says otherwise (else the target is 不涉及 for it).

    The city answers for all. A target whose own phrase names levels (市本级, 区县（市）, 园区) concerns the offices
    of those levels; otherwise the measure's responsible units decide: a district answers for the measures given to
    各区县（市）人民政府, a park for those given to 园区管委会.
    """
    if org.is_city or org.is_unit:
        return True  # a unit reports what it is given; the city answers for all
    named = target.named_levels()
    if named is not None:
        return org.kind in named
    wanted = _OWN_UNITS.get(org.kind, ())
    return any(u in wanted for u in measure.units)
