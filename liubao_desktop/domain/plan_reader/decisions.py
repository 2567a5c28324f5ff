"""A person's review of a proposal, as data: what to change about each proposed target, applied by a pure function.

For the review screen (issue 13) and for the bundled seed alike: the screen collects one ``Decision`` per target a
person touched and calls ``apply_decisions(proposal, decisions)``; ``make seed`` reads the decisions kept for the
Changsha plan (``db/sources/changsha-2020-26.decisions.json``, through ``decisions_from_json``) and applies them
the same way. The result is again a ``PlanProposal``, so ``to_plan`` turns it into the domain's ``Plan``.

A decision names its target by the proposal's own numbering — measure code and position in the measure, from 1
("1.1.1" is the first target the reader proposed under measure 1.1) — as ``to_plan`` codes targets when nothing
is dropped. Every decision of a list refers to that same original numbering, so dropping 2.3.1 does not make
2.3.2 the first. A decision with ``add=True`` names a measure instead ("2.4") and brings a target the reader
missed: its phrase must be text of that measure; value, unit, comparator and kind are read from the phrase
(``targets.find_targets``) unless the decision gives them.

The review dialog (``ui/plan_review_dialog.py``) keeps richer decisions of its own (``ui/plan_review_decisions.py``:
measures merged or split, units and metadata edited) and converts its target decisions into these whenever it can,
so a reviewed plan and the seed go through this one function. Keeping a review to apply again (as the seed does)
means writing ``decisions_to_json``'s list; a dialog decision that has no form here (a merge, a split, a unit) is
the next thing to add here rather than a second list format.

A decision is refused (``PlanReadError``, in Chinese) when it names a target or measure the proposal does not
have, or a phrase that is not in its measure's text: a stale list fails loudly instead of changing another target.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from ..plan import COMPARATORS, KIND_DONE, KINDS
from .errors import PlanReadError
from .proposal import PlanProposal, ProposedMeasure, ProposedPart, ProposedTarget
from .targets import Context, find_targets
from .text import to_full_width

REVIEWED = "已人工确认"  # nothing left unsure once a person confirmed a target


@dataclass(frozen=True)
class Decision:
    """What a person decided about one proposed target (or, with ``add``, one target the reader missed).

    None in a field keeps the reader's proposal for it. ``confirmed`` clears the reader's unsure reasons (a person
    looked at the target and accepts it as it now stands); a decision that changes a field confirms it too.
    ``why`` says in words why the decision was taken (kept with the data, shown to the next reviewer)."""

    target: str  # "1.1.1" (measure code . position from 1); with add=True the measure's code: "2.4"
    drop: bool = False  # not a target at all
    add: bool = False
    source: str | None = None  # the phrase: exact text of the measure
    label: str | None = None
    kind: str | None = None  # plan.KIND_*
    comparator: str | None = None  # plan.COMPARATORS
    value: Decimal | None = None
    unit: str | None = None
    deadline: date | None = None
    confirmed: bool = False
    why: str = ""

    @property
    def changes_fields(self) -> bool:
        return any(v is not None for v in (self.source, self.label, self.kind, self.comparator, self.value,
                                           self.unit, self.deadline))


def _split(code: str) -> tuple[str, int]:
    measure, _, pos = code.rpartition(".")
    if not measure or not pos.isdigit() or int(pos) < 1:
        raise PlanReadError(f"审核决定中的指标编号“{code}”不是“措施编号.序号”的形式（如 1.3.1）。")
    return measure, int(pos)


def _check_fields(d: Decision) -> None:
    if d.kind is not None and d.kind not in KINDS:
        raise PlanReadError(f"审核决定 {d.target}：指标类型“{d.kind}”无法识别。")
    if d.comparator is not None and d.comparator not in COMPARATORS:
        raise PlanReadError(f"审核决定 {d.target}：比较方式“{d.comparator}”无法识别。")
    if d.label is not None and not d.label.strip():
        raise PlanReadError(f"审核决定 {d.target}：指标名称不能为空。")


def _in_text(phrase: str, measure: ProposedMeasure, code: str) -> None:
    if not phrase.strip() or to_full_width(phrase) not in to_full_width(measure.text):
        raise PlanReadError(f"审核决定 {code}：指标原文“{phrase}”不在措施 {measure.code} 的正文中。")


def _decided(t: ProposedTarget, d: Decision) -> ProposedTarget:
    if d.source is not None:
        t = replace(t, source=d.source)
    for name in ("label", "kind", "comparator", "value", "unit", "deadline"):
        value = getattr(d, name)
        if value is not None:
            t = replace(t, **{name: value})
    if d.kind == KIND_DONE:
        t = replace(t, comparator="done", value=None, unit=None, upper=None)
    if d.deadline is not None:
        t = replace(t, deadline_phrase=f"{d.deadline.year}年{d.deadline.month}月{d.deadline.day}日前")
    if d.confirmed or d.changes_fields:
        t = replace(t, unsure=())
    return t


def _added(d: Decision, measure: ProposedMeasure, ctx: Context) -> ProposedTarget:
    if d.source is None:
        raise PlanReadError(f"审核决定：在措施 {measure.code} 下补充指标时须给出指标原文。")
    _in_text(d.source, measure, measure.code)
    found = find_targets(d.source, ctx)
    if found:
        base = replace(found[0], source=d.source)
    elif d.kind == KIND_DONE:
        base = ProposedTarget(source=d.source, label=d.source, kind=KIND_DONE, comparator="done", value=None,
                              unit=None, deadline=measure.deadline, deadline_phrase=measure.deadline_phrase)
    else:
        raise PlanReadError(f"审核决定：补充的指标原文“{d.source}”中没有数值和单位；"
                            "定性指标请把类型定为 done。")
    return _decided(base, replace(d, source=None, confirmed=True))


def apply_decisions(proposal: PlanProposal, decisions: Sequence[Decision]) -> PlanProposal:
    """The proposal with a person's decisions applied (see the module's docstring); pure, the proposal unchanged.

    Targets keep the document's order; an added target goes where its phrase stands in the measure's text."""
    by_target: dict[tuple[str, int], Decision] = {}
    added: dict[str, list[Decision]] = {}
    measures = {m.code: m for m in proposal.measures()}
    for d in decisions:
        _check_fields(d)
        if d.add:
            if d.target not in measures:
                raise PlanReadError(f"审核决定：措施“{d.target}”在方案中不存在，无法补充指标。")
            added.setdefault(d.target, []).append(d)
            continue
        key = _split(d.target)
        measure = measures.get(key[0])
        if measure is None or key[1] > len(measure.targets):
            raise PlanReadError(f"审核决定中的指标“{d.target}”在方案中不存在（方案可能已改动，请重新审核）。")
        if key in by_target:
            raise PlanReadError(f"指标“{d.target}”有两条审核决定。")
        if d.source is not None:
            _in_text(d.source, measure, d.target)
        by_target[key] = d
    year = next((x.year for x in (proposal.issued_on, proposal.effective_from) if x), None)
    ctx = Context(year, proposal.effective_to)
    parts = []
    for p in proposal.parts:
        new_measures = []
        for m in p.measures:
            targets: list[ProposedTarget] = []
            for i, t in enumerate(m.targets, 1):
                d = by_target.get((m.code, i))
                if d is None:
                    targets.append(t)
                elif not d.drop:
                    targets.append(_decided(t, d))
            if m.code in added:
                targets += [_added(d, m, ctx) for d in added[m.code]]
                text = to_full_width(m.text)
                targets.sort(key=lambda t: text.find(to_full_width(t.source)))
            new_measures.append(replace(m, targets=tuple(targets)))
        parts.append(ProposedPart(p.code, p.seq, p.title, tuple(new_measures), p.unsure))
    return replace(proposal, parts=tuple(parts))


# -- as JSON (db/sources/*.decisions.json, and whatever the review screen keeps) --------------------------------
_FIELDS = ("target", "drop", "add", "source", "label", "kind", "comparator", "value", "unit", "deadline",
           "confirmed", "why")


def decisions_from_json(items: Iterable[Mapping[str, object]]) -> list[Decision]:
    """Decisions from parsed JSON: a list of objects with the fields of ``Decision`` (``value`` a string or a
    number, ``deadline`` YYYY-MM-DD). An unknown field is refused, so a misspelt one never goes unnoticed."""
    out = []
    for item in items:
        unknown = set(item) - set(_FIELDS)
        if unknown or "target" not in item:
            raise PlanReadError(f"审核决定的字段无法识别：{'、'.join(sorted(unknown)) or '缺少 target'}。")
        kwargs: dict[str, object] = dict(item)
        try:
            if item.get("value") is not None:
                kwargs["value"] = Decimal(str(item["value"]))
            if item.get("deadline") is not None:
                kwargs["deadline"] = date.fromisoformat(str(item["deadline"]))
        except (InvalidOperation, ValueError) as exc:
            raise PlanReadError(f"审核决定 {item['target']}：数值或日期无法识别（{exc}）。") from exc
        out.append(Decision(**kwargs))  # type: ignore[arg-type]
    return out


def decisions_to_json(decisions: Iterable[Decision]) -> list[dict[str, object]]:
    """The decisions as JSON values, fields left at their defaults omitted (the inverse of ``decisions_from_json``)."""
    out = []
    for d in decisions:
        item: dict[str, object] = {"target": d.target}
        for name in _FIELDS[1:]:
            value = getattr(d, name)
            if value in (None, False, ""):
                continue
            item[name] = str(value) if isinstance(value, Decimal) else (
                value.isoformat() if isinstance(value, date) else value)
        out.append(item)
    return out
