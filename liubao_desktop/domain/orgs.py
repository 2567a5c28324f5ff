"""填报单位 the app offers at first start: Changsha's districts and counties, 湘江新区 and the city's parks.

Codes are stable so that workbooks sent upward can be rolled up later: districts use their administrative
division codes (GB/T 2260), the others a short fixed code.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    kind: str  # district, county_city, new_area, park, custom


CHANGSHA_ORGS: tuple[Org, ...] = (
    Org("430102", "芙蓉区", "district"),
    Org("430103", "天心区", "district"),
    Org("430104", "岳麓区", "district"),
    Org("430105", "开福区", "district"),
    Org("430111", "雨花区", "district"),
    Org("430112", "望城区", "district"),
    Org("430121", "长沙县", "county_city"),
    Org("430181", "浏阳市", "county_city"),
    Org("430182", "宁乡市", "county_city"),
    Org("XJXQ", "湘江新区", "new_area"),
    Org("CSJKQ", "长沙经济技术开发区", "park"),
    Org("CSGXQ", "长沙高新技术产业开发区", "park"),
    Org("LYJKQ", "浏阳经济技术开发区", "park"),
)


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
