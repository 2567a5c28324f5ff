"""Reads the plan tree out of the database into domain objects (one query per table, not per row)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..domain.plan import Measure, Part, Plan, Target
from ..storage.models import MeasureRow, MeasureUnitRow, PartRow, PlanRow, TargetRow, UnitRow


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def load_plan(code: str | None = None) -> tuple[Plan, dict[str, int], dict[str, int]]:
    """The plan (the first one when no code is given) and id maps for measures and targets by code."""
    query = PlanRow.select().order_by(PlanRow.id)
    row = query.where(PlanRow.code == code).get() if code else query.get()
    parts = list(PartRow.select().where(PartRow.plan == row.id).order_by(PartRow.seq))
    part_ids = [p.id for p in parts]
    measures = list(MeasureRow.select().where(MeasureRow.part.in_(part_ids)).order_by(MeasureRow.part, MeasureRow.seq))
    measure_ids = [m.id for m in measures]
    units: dict[int, list[str]] = defaultdict(list)
    links = (
        MeasureUnitRow.select(MeasureUnitRow.measure, UnitRow.name)
        .join(UnitRow)
        .where(MeasureUnitRow.measure.in_(measure_ids))
        .order_by(MeasureUnitRow.measure, MeasureUnitRow.seq)
        .tuples()
    )
    for measure_id, name in links:
        units[measure_id].append(name)
    targets: dict[int, list[Target]] = defaultdict(list)
    target_ids: dict[str, int] = {}
    for t in TargetRow.select().where(TargetRow.measure.in_(measure_ids)).order_by(TargetRow.measure, TargetRow.seq):
        target_ids[t.code] = t.id
        targets[t.measure_id].append(Target(
            code=t.code, label=t.label, value=t.value, unit=t.unit, base_value=t.base_value,
            base_unit=t.base_unit, comparator=t.comparator, kind=t.kind, deadline=_date(t.deadline),
            source=t.source, entry_unit=t.entry_unit,
        ))
    by_part: dict[int, list[Measure]] = defaultdict(list)
    measure_codes: dict[str, int] = {}
    for m in measures:
        measure_codes[m.code] = m.id
        by_part[m.part_id].append(Measure(
            code=m.code, seq=m.seq, title=m.title, text=m.text, units=tuple(units[m.id]),
            deadline=_date(m.deadline), deadline_phrase=m.deadline_phrase, targets=tuple(targets[m.id]),
        ))
    plan = Plan(
        code=row.code, title=row.title, short_title=row.short_title, doc_number=row.doc_number,
        issuer=row.issuer, issued_on=_date(row.issued_on), effective_from=date.fromisoformat(row.effective_from),
        effective_to=date.fromisoformat(row.effective_to),
        parts=tuple(Part(code=p.code, seq=p.seq, title=p.title, measures=tuple(by_part[p.id])) for p in parts),
    )
    return plan, measure_codes, target_ids
