"""The reader's answer: a proposed plan tree for a person to confirm, convertible to the domain's ``Plan``.

Every extracted target carries the exact phrase it comes from, a proposed label and kind, and ``unsure`` — the
reasons a person should look at it (empty when the reader is confident). The outline keeps the document's own
structure at whatever depth it has; ``parts`` is that outline fitted to the plan's two levels.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..plan import KIND_DONE, Measure, Part, Plan, Target
from ..quantities import entry_unit_for, split_unit, strip_trailing_zeros
from .errors import PlanReadError

ROLE_LEAD = "牵头"
ROLE_COOPERATE = "配合"
ROLE_RESPONSIBLE = "责任"  # listed as 责任单位 without saying who leads: the first listed is taken as 牵头
_ROLE_ORDER = {ROLE_LEAD: 0, ROLE_RESPONSIBLE: 1, ROLE_COOPERATE: 2}


@dataclass(frozen=True)
class Unit:
    name: str
    role: str = ROLE_RESPONSIBLE


@dataclass(frozen=True)
class ProposedTarget:
    source: str  # exact phrase of the document
    label: str  # proposed short name
    kind: str  # plan.KIND_*
    comparator: str  # plan.COMPARATORS
    value: Decimal | None  # as written (None for 定性); the lower end of a range
    unit: str | None  # as written: 万人, 亿元, %
    upper: Decimal | None = None  # the upper end of a range (1到2个, 1000元—2000元)
    deadline: date | None = None
    deadline_phrase: str | None = None
    unsure: tuple[str, ...] = ()  # why a person should look at it

    @property
    def is_unsure(self) -> bool:
        return bool(self.unsure)


@dataclass(frozen=True)
class Section:
    """One heading of the document at any depth (一、 / （一） / 1. / (1) / 第一条 / a bold run-in heading / a
    row of a 分工表) with its own text, units and deadline, and the sections under it."""

    style: str  # which numbering: "cn_comma", "cn_paren", "arabic_dot", "arabic_paren", "article", "bold", "row"…
    number: str  # as written: "一", "3", "" for a bold heading
    title: str
    text: str  # the section's own text (its heading's body and the paragraphs under it), units removed
    units: tuple[Unit, ...] = ()
    deadline: date | None = None
    deadline_phrase: str | None = None
    declared_deadline: bool = False  # 完成时限 stated for the whole section (a column, an annotation)
    children: tuple[Section, ...] = ()


@dataclass(frozen=True)
class ProposedMeasure:
    code: str
    seq: int
    title: str
    text: str
    units: tuple[Unit, ...]
    deadline: date | None
    deadline_phrase: str | None
    targets: tuple[ProposedTarget, ...] = ()
    unsure: tuple[str, ...] = ()

    def unit_names(self) -> tuple[str, ...]:
        """Names in the plan's order: 牵头 first, then 责任, then 配合, each in the document's order."""
        ordered = sorted(enumerate(self.units), key=lambda iu: (_ROLE_ORDER.get(iu[1].role, 1), iu[0]))
        seen: dict[str, None] = {}
        for _, u in ordered:
            seen.setdefault(u.name, None)
        return tuple(seen)


@dataclass(frozen=True)
class ProposedPart:
    code: str
    seq: int
    title: str
    measures: tuple[ProposedMeasure, ...] = ()
    unsure: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanProposal:
    title: str
    doc_number: str
    issuer: str
    issued_on: date | None
    effective_from: date | None
    effective_to: date | None
    parts: tuple[ProposedPart, ...]
    outline: tuple[Section, ...]
    notes: tuple[str, ...] = field(default=())  # what the reader is unsure of about the plan as a whole

    def measures(self) -> list[ProposedMeasure]:
        return [m for p in self.parts for m in p.measures]

    def targets(self) -> list[ProposedTarget]:
        return [t for m in self.measures() for t in m.targets]

    def to_plan(self, *, code: str, short_title: str, keep_unsure: bool = True) -> Plan:
        """The proposal as the domain's ``Plan`` (targets coded measure.1, measure.2 … in document order).

        ``keep_unsure=False`` leaves out the targets the reader marked unsure. A plan needs its dates: without
        a stated 施行 date or 有效期 the message says so instead of guessing one.
        """
        if self.effective_from is None or self.effective_to is None:
            raise PlanReadError("文件中没有找到方案的施行日期和有效期（“自…起施行，有效期至…”），请补充后再导入。")
        parts = []
        for p in self.parts:
            measures = []
            for m in p.measures:
                kept = [t for t in m.targets if keep_unsure or not t.is_unsure]
                targets = tuple(_target(f"{m.code}.{i}", t) for i, t in enumerate(kept, 1))
                measures.append(Measure(m.code, m.seq, m.title, m.text, m.unit_names(), m.deadline,
                                        m.deadline_phrase, targets))
            parts.append(Part(p.code, p.seq, p.title, tuple(measures)))
        return Plan(code=code, title=self.title, short_title=short_title, doc_number=self.doc_number,
                    issuer=self.issuer, issued_on=self.issued_on, effective_from=self.effective_from,
                    effective_to=self.effective_to, parts=tuple(parts))


def _target(code: str, t: ProposedTarget) -> Target:
    if t.kind == KIND_DONE or t.value is None or t.unit is None:
        return Target(code, t.label, None, None, None, None, "done", KIND_DONE, t.deadline, t.source, "%")
    try:
        scale, base_unit = split_unit(t.unit)
        entry = entry_unit_for(t.unit)
    except ValueError:
        # A unit the ledger cannot take figures in yet (亩, 公里…): kept as written, marked unsure by the reader.
        scale, base_unit, entry = Decimal(1), t.unit, t.unit
    return Target(code=code, label=t.label, value=t.value, unit=t.unit,
                  base_value=strip_trailing_zeros(t.value * scale), base_unit=base_unit,
                  comparator=t.comparator, kind=t.kind, deadline=t.deadline, source=t.source, entry_unit=entry)
