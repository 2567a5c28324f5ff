"""What a plan must be before a ledger takes it: every problem in one list of Chinese sentences, each naming where.

A plan read from a document (``plan_reader``) and reviewed by a person still goes through these checks before it
is saved (``services.plan_import.save_plan``): a target whose unit the ledger cannot take figures in (亩, 公里…)
is refused with its phrase named, as is a number the figure rules could never compare with.
"""
from __future__ import annotations

import re
from datetime import date

from .periods import plan_periods
from .plan import COMPARATORS, KIND_DONE, KINDS, MAX_FIGURE, Plan, Target
from .quantities import entry_unit_for, split_unit

CODE_RE = re.compile(r"[^\W_][\w.-]{0,39}")  # letters (Chinese too), digits, _ . -: changsha-2020-26, 长政办发-2020-26
MAX_MONTHS = 120  # ten years of 报告期: a plan longer than that is a misread date
TITLE_LIMIT, SHORT_TITLE_LIMIT, LABEL_LIMIT, UNIT_NAME_LIMIT = 200, 40, 80, 100


def code_problem(code: str) -> str | None:
    """Why a plan code cannot be used, or None: letters (Chinese too), digits, '.', '_' and '-', at most 40, as in
    changsha-2020-26 (it is written into every template and workbook, and typed after --plan)."""
    if not CODE_RE.fullmatch(code or ""):
        return (f"方案代码“{code}”不可用：只能用文字、字母、数字和 . _ -，以文字、字母或数字开头，不超过 40 个字符，"
                "不能有空格（例如 changsha-2020-26）。")
    return None


def dates_problem(effective_from: date | None, effective_to: date | None) -> str | None:
    if effective_from is None or effective_to is None:
        return "方案没有施行日期或有效期：请填写方案的起止日期（报告期按月由此生成）。"
    if effective_from > effective_to:
        return f"方案的施行日期 {effective_from} 晚于有效期截止日 {effective_to}。"
    if len(plan_periods(effective_from, effective_to)) > MAX_MONTHS:
        return f"方案的起止日期 {effective_from} 至 {effective_to} 超过 10 年，可能读错了日期，请核对。"
    return None


def _target_problems(t: Target) -> list[str]:
    where = f"指标 {t.code}“{t.label}”（原文“{t.source}”）"
    out = []
    if not t.label.strip() or len(t.label) > LABEL_LIMIT:
        out.append(f"{where}的名称为空或超过 {LABEL_LIMIT} 个字。")
    if not t.source.strip():
        out.append(f"指标 {t.code} 没有原文。")
    if t.comparator not in COMPARATORS or t.kind not in KINDS:
        out.append(f"{where}的比较方式或类型无法识别。")
    if t.kind == KIND_DONE or t.comparator == "done":
        return out
    if t.value is None or t.unit is None:
        out.append(f"{where}没有数值或计量单位；不是数量目标的请改为定性指标。")
        return out
    try:
        scale, base_unit = split_unit(t.unit)
        entry = entry_unit_for(t.unit)
    except ValueError:
        out.append(f"{where}的计量单位“{t.unit}”台账尚不能录入：请改为台账认识的单位（如 万人、亿元、%、个），"
                   "或不作为量化指标导入。")
        return out
    if (t.base_unit, t.entry_unit) != (base_unit, entry) or t.base_value != t.value * scale:
        out.append(f"{where}的数值与计量单位换算不一致。")
    if t.value < 0 or (t.base_value is not None and t.base_value > MAX_FIGURE):
        out.append(f"{where}的数值超出台账能录入的范围。")
    return out


def plan_problems(plan: Plan) -> list[str]:
    """Every reason the ledger cannot take this plan as it is; empty when it can."""
    out = [p for p in (code_problem(plan.code), dates_problem(plan.effective_from, plan.effective_to)) if p]
    if not plan.title.strip() or len(plan.title) > TITLE_LIMIT:
        out.append(f"方案标题为空或超过 {TITLE_LIMIT} 个字。")
    if not plan.short_title.strip() or len(plan.short_title) > SHORT_TITLE_LIMIT:
        out.append(f"方案简称为空或超过 {SHORT_TITLE_LIMIT} 个字（窗口标题中显示）。")
    if not plan.measures():
        out.append("方案中没有任何重点任务（措施）。")
    seen_parts: set[int] = set()
    seen_measures: set[str] = set()
    seen_targets: set[str] = set()
    for part in plan.parts:
        if part.seq in seen_parts:
            out.append(f"第 {part.seq} 部分出现了两次。")
        seen_parts.add(part.seq)
        seqs: set[int] = set()
        for m in part.measures:
            if m.code in seen_measures or m.seq in seqs:
                out.append(f"措施 {m.code} 的编号重复。")
            seen_measures.add(m.code)
            seqs.add(m.seq)
            if not m.title.strip():
                out.append(f"措施 {m.code} 没有标题。")
            if len(set(m.units)) != len(m.units) or any(not u.strip() or len(u) > UNIT_NAME_LIMIT for u in m.units):
                out.append(f"措施 {m.code} 的责任单位有重复、空白或过长的名称。")
            for t in m.targets:
                if t.code in seen_targets:
                    out.append(f"指标编号 {t.code} 重复。")
                seen_targets.add(t.code)
                out.extend(_target_problems(t))
    return out
