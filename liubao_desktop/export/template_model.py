"""What a 填报模板 is made of: plain data the service collects and ``export/template.py`` writes.

No openpyxl here. The layout the writer makes from it (and an importer reads back) is described in
docs/ARCHITECTURE.md, "The 填报模板 workbook".
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FORMAT = "liubao-template"
FORMAT_VERSION = "1"  # bump when a column, a key of _liubao or a custom property changes meaning

# What column G of a row takes (the _liubao target table's ``input``).
INPUT_NUMBER = "number"  # a number ≥ 0 in the entry unit, or 不适用
INPUT_SIGNED = "signed"  # a number that may be negative (a change, a growth), or 不适用
INPUT_STATE = "state"  # a 定性 target: 未开始 / 推进中 / 已完成, or 不适用
INPUTS = (INPUT_NUMBER, INPUT_SIGNED, INPUT_STATE)


@dataclass(frozen=True)
class TemplateRow:
    code: str  # "1.3.1"
    label: str  # 指标
    city_target: str  # 市级目标 as the plan writes it (Target.written_text)
    local_target: Decimal | str  # 分解目标 in the entry unit, or a word: 未分解 / 按市级目标 / —
    last_total: Decimal | str  # 上月累计 in the entry unit, a state, 不适用, or —
    unit: str  # 计量单位: the entry unit, or 定性
    input: str  # one of INPUTS


@dataclass(frozen=True)
class TemplateData:
    plan_code: str
    plan_title: str
    plan_short_title: str
    doc_number: str
    plan_fingerprint: str
    org_code: str  # the office
    org_name: str
    unit_code: str  # the reporting unit; "" when the template is the office's own
    unit_name: str
    period: str  # "2020-09"
    period_label: str  # "2020年9月"
    last_period_label: str  # "2020年8月" (or "" before the plan's first month)
    rows: tuple[TemplateRow, ...]
    states: tuple[str, ...]  # the 定性 states, in order
    not_applicable: str  # the word 不适用
    note_limit: int  # 备注 at most this many characters
    generated_at: str  # local time, ISO 8601 to the second
    generator: str  # "六保任务台账 0.1.0"
    sample_data: bool = False

    @property
    def reporter_name(self) -> str:
        """Who fills this template in: the unit, or the office itself."""
        return self.unit_name or self.org_name
