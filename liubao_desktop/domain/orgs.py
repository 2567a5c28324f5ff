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
