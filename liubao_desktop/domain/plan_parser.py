"""Reads a plan document as issued (plain text) into the plan tree.

The structure — parts (一、), measures (（一）), responsible units, deadlines, the plan's dates — is read from the
text itself. Quantitative targets are named by a short list of source phrases per document (see
``domain/sources``); their value, unit, comparator and deadline are read from the phrase, and every phrase must
occur in its measure's text, so a typo in the list fails loudly instead of inventing a number.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .plan import (
    KIND_CUMULATIVE,
    KIND_DONE,
    KIND_RATE,
    Measure,
    Part,
    Plan,
    Target,
)
from .quantities import entry_unit_for, split_unit

CN_DIGITS = "一二三四五六七八九十"
PART_RE = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+)$")
MEASURE_RE = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.+)$", re.S)
UNITS_RE = re.compile(r"[（(]\s*责任单位[：:](.+?)[）)]\s*$", re.S)
DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
DEADLINE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日前")
DOC_NUMBER_RE = re.compile(r"^\S+〔\d{4}〕\d+号$")
EFFECTIVE_RE = re.compile(r"自(\d{4}年\d{1,2}月\d{1,2}日)起施行，有效期至(\d{4}年\d{1,2}月\d{1,2}日)")
ISSUED_RE = re.compile(r"^(\d{4}年\d{1,2}月\d{1,2}日)印发$")
# A paragraph ending in one of these is complete; anything else was cut by a page break.
TERMINATORS = tuple("。！？；：”’）)》")
# The last number and unit of a target phrase: "援助就业困难人员就业1.4万人" → 1.4, 万人.
VALUE_RE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(万人次|万人|人次|万千瓦|千瓦|万公顷|公顷|万吨|吨|万个|个|万套|套|亿元|万元|元|%|所|户|家|条|列|名|人)"
)


class PlanParseError(ValueError):
    """The document does not have the shape of a plan; the message says where (in Chinese)."""


@dataclass(frozen=True)
class TargetSpec:
    """One quantitative target as the person curating a document names it."""

    measure: str  # "1.3"
    source: str  # exact phrase in the measure text
    label: str
    kind: str = KIND_CUMULATIVE
    comparator: str | None = None  # read from the phrase when None
    deadline: date | None = None  # read from the phrase when None


def plain_decimal(value: Decimal) -> Decimal:
    """14000.0 → 14000 and 0.50 → 0.5, without normalize()'s exponent form (1.4E+4)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def cn_number(text: str) -> int:
    """一..九十九 as an int (enough for part and measure numbering)."""
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS.index(tens) + 1 if tens else 1) * 10 + (CN_DIGITS.index(ones) + 1 if ones else 0)
    return CN_DIGITS.index(text) + 1


def cn_date(text: str) -> date:
    m = DATE_RE.search(text)
    if not m:
        raise PlanParseError(f"无法识别日期：{text}")
    return date(int(m[1]), int(m[2]), int(m[3]))


def _clean(line: str) -> str:
    # Bold markup crept into some headings of the issued text ("（二）**抓好粮食收购储备**。").
    return line.replace("**", "").strip()


def _join_cjk_space(text: str) -> str:
    # The title was laid over two lines in the original, leaving a space between Chinese characters.
    return re.sub(r"(?<=[\u4e00-\u9fff”])\s+(?=[\u4e00-\u9fff“])", "", text)


def _is_heading(par: str) -> bool:
    return bool(PART_RE.match(par) or MEASURE_RE.match(par))


def join_page_breaks(paragraphs: Sequence[str]) -> list[str]:
    """Glue paragraphs a page break split mid-sentence ("建\\n\\n设。") back together."""
    out: list[str] = []
    for par in paragraphs:
        if out and not out[-1].endswith(TERMINATORS) and not _is_heading(par) and not PART_RE.match(out[-1]):
            out[-1] += par
        else:
            out.append(par)
    return out


def split_units(raw: str) -> tuple[str, ...]:
    units: list[str] = []
    for piece in re.split(r"[、，,]", raw):
        piece = re.sub(r"\s+", "", piece)
        if not piece:
            continue
        # "各区县市人民政府和园区管委会" names two units.
        m = re.match(r"^(.+?(?:政府|局|委|办))和(.+)$", piece)
        units.extend([m[1], m[2]] if m else [piece])
    return tuple(units)


def _measure(part_seq: int, seq: int, body: str) -> Measure:
    units: tuple[str, ...] = ()
    m = UNITS_RE.search(body)
    if m:
        units = split_units(m[1])
        body = body[: m.start()].rstrip()
    title = body.split("。", 1)[0].strip()
    deadlines = sorted({date(int(y), int(mo), int(d)) for y, mo, d in DEADLINE_RE.findall(body)})
    deadline = deadlines[-1] if deadlines else None
    phrase = f"{deadline.year}年{deadline.month}月{deadline.day}日前" if deadline else None
    return Measure(
        code=f"{part_seq}.{seq}",
        seq=seq,
        title=title,
        text=body,
        units=units,
        deadline=deadline,
        deadline_phrase=phrase,
    )


def parse_structure(text: str) -> tuple[dict[str, str | date | None], list[Part]]:
    """Metadata and the part/measure tree, without targets."""
    paragraphs = [_clean(p) for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    paragraphs = [re.sub(r"\s*\n\s*", "", p) for p in paragraphs]
    meta: dict[str, str | date | None] = {"doc_number": None, "issuer": None, "issued_on": None}
    first_part = next((i for i, p in enumerate(paragraphs) if PART_RE.match(p)), None)
    if first_part is None:
        raise PlanParseError("文件中没有找到“一、”这样的部分标题，无法识别为实施方案。")
    head = paragraphs[:first_part]
    meta["doc_number"] = next((p for p in head if DOC_NUMBER_RE.match(p)), None)
    titles = [p for p in head if p.endswith("方案") and "通知" not in p]
    if not titles:
        raise PlanParseError("没有找到方案标题（以“方案”结尾的一行）。")
    meta["title"] = _join_cjk_space(titles[-1])
    if head and head[0].endswith("文件"):
        meta["issuer"] = head[0].removesuffix("文件")

    body = paragraphs[first_part:]
    end = next((i for i, p in enumerate(body) if p.startswith("抄送")), len(body))
    tail, body = body[end:], join_page_breaks(body[:end])
    for p in body + tail:
        m = EFFECTIVE_RE.search(p)
        if m:
            meta["effective_from"], meta["effective_to"] = cn_date(m[1]), cn_date(m[2])
    for p in tail:
        m = ISSUED_RE.match(p)
        if m:
            meta["issued_on"] = cn_date(m[1])
    if "effective_from" not in meta:
        raise PlanParseError("没有找到方案的施行日期和有效期（“自…起施行，有效期至…”）。")

    parts: list[Part] = []
    measures: list[Measure] = []
    part_head: tuple[int, str] | None = None

    def close_part() -> None:
        if part_head:
            parts.append(Part(code=str(part_head[0]), seq=part_head[0], title=part_head[1], measures=tuple(measures)))

    for p in body:
        pm = PART_RE.match(p)
        if pm:
            close_part()
            part_head, measures = (cn_number(pm[1]), pm[2].strip()), []
            continue
        mm = MEASURE_RE.match(p)
        if mm and part_head:
            measures.append(_measure(part_head[0], cn_number(mm[1]), mm[2].strip()))
    close_part()
    return meta, parts


def _comparator_for(phrase: str) -> str:
    if "压减" in phrase:
        return "reduce_by"
    if "提升" in phrase and "%" in phrase:
        return "increase_by"
    if any(w in phrase for w in ("以内", "不超过", "控制在")):
        return "<="
    return ">="


def _deadline_for(phrase: str, plan_end: date) -> date | None:
    m = DEADLINE_RE.search(phrase)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = re.search(r"(\d{4})年至(\d{4})年", phrase)
    if m:
        return min(date(int(m[2]), 12, 31), plan_end)
    # A plan issued in mid-2020 means 2020 by 全年 and 2020年内.
    m = re.search(r"(\d{4})年内", phrase)
    if m:
        return date(int(m[1]), 12, 31)
    return None


def build_target(spec: TargetSpec, measure: Measure, seq: int, issued_year: int, plan_end: date) -> Target:
    if spec.source not in measure.text:
        raise PlanParseError(f"指标原文“{spec.source}”不在措施 {measure.code} 的正文中。")
    code = f"{measure.code}.{seq}"
    deadline = spec.deadline or _deadline_for(spec.source, plan_end)
    if deadline is None and "全年" in spec.source:
        deadline = date(issued_year, 12, 31)
    if spec.kind == KIND_DONE:
        return Target(code, spec.label, None, None, None, None, "done", KIND_DONE, deadline, spec.source, "%")
    # "百分之百复工复产" is a 100% target written in words.
    found = VALUE_RE.findall(spec.source.replace("百分之百", "100%"))
    if not found:
        raise PlanParseError(f"指标原文“{spec.source}”中没有数值和单位。")
    raw_value, unit = found[-1]
    value = Decimal(raw_value)
    scale, base_unit = split_unit(unit)
    comparator = spec.comparator or _comparator_for(spec.source)
    kind = spec.kind
    if unit == "%" and kind == KIND_CUMULATIVE:
        kind = KIND_RATE
    return Target(
        code=code,
        label=spec.label,
        value=value,
        unit=unit,
        base_value=plain_decimal(value * scale),
        base_unit=base_unit,
        comparator=comparator,
        kind=kind,
        deadline=deadline,
        source=spec.source,
        entry_unit=entry_unit_for(unit),
    )


def parse_plan(text: str, *, code: str, short_title: str, targets: Sequence[TargetSpec] = ()) -> Plan:
    meta, parts = parse_structure(text)
    issued_on = meta.get("issued_on")
    plan_end = meta["effective_to"]
    assert isinstance(plan_end, date)
    issued_year = issued_on.year if isinstance(issued_on, date) else plan_end.year
    by_measure: dict[str, list[TargetSpec]] = {}
    for spec in targets:
        by_measure.setdefault(spec.measure, []).append(spec)
    known = {m.code for p in parts for m in p.measures}
    unknown = sorted(set(by_measure) - known)
    if unknown:
        raise PlanParseError(f"指标清单中的措施编号在正文中不存在：{'、'.join(unknown)}")
    new_parts = []
    for part in parts:
        new_measures = []
        for m in part.measures:
            specs = by_measure.get(m.code, [])
            built = tuple(build_target(s, m, i + 1, issued_year, plan_end) for i, s in enumerate(specs))
            new_measures.append(Measure(**{**m.__dict__, "targets": built}))
        new_parts.append(Part(part.code, part.seq, part.title, tuple(new_measures)))
    return Plan(
        code=code,
        title=str(meta["title"]),
        short_title=short_title,
        doc_number=str(meta["doc_number"] or ""),
        issuer=str(meta["issuer"] or ""),
        issued_on=issued_on if isinstance(issued_on, date) else None,
        effective_from=meta["effective_from"],  # type: ignore[arg-type]
        effective_to=plan_end,
        parts=tuple(new_parts),
    )
