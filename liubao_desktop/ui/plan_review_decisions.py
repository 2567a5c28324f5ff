"""What a person decided while reviewing a read plan, as data, and those decisions applied to a proposal.

Every fix made in the review dialog is one decision: a target accepted, rejected, added or changed (label,
value, unit, comparator, kind, deadline), a measure's units or title changed, two measures merged or one split,
the plan's title, 文号, issuer or dates set. The dialog never changes the proposal itself: it keeps the reader's
proposal and the list of decisions and shows ``apply_decisions(proposal, decisions)``, so the same list applied
to the same document read again gives the same plan. A decision that no longer fits (its measure or target is
not in the document read again) is returned as skipped, never guessed.

Measures are named by their code at the moment of the decision (codes are renumbered after a merge or split,
the same way every time); a target by its measure, its exact phrase and which occurrence of that phrase.

Plain Python (no Qt).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from ..domain import plan_reader as reader
from ..domain.plan import KIND_CUMULATIVE, KIND_DONE, KIND_RATE, KIND_STOCK
from ..domain.plan_reader import PlanProposal, ProposedMeasure, ProposedPart, ProposedTarget, Unit
from ..domain.quantities import format_number
from .plan_review_source import SourceIndex

# What the dialog shows for the domain's words.
COMPARATOR_WORDS = {">=": "不低于（≥）", "<=": "不超过（≤）", "=": "等于（约）", "reduce_by": "压减（幅度）",
                    "increase_by": "提升（幅度）", "done": "定性（完成）"}
COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", "=": "=", "reduce_by": "压减", "increase_by": "提升", "done": ""}
KIND_WORDS = {KIND_CUMULATIVE: "累计数", KIND_STOCK: "存量（期末数）", KIND_RATE: "比率", KIND_DONE: "定性"}
KIND_SHORT = {KIND_CUMULATIVE: "累计", KIND_STOCK: "存量", KIND_RATE: "比率", KIND_DONE: "定性"}

# The state of a target after review.
STATE_SURE = "sure"  # read with no doubt, nobody touched it
STATE_UNSURE = "unsure"  # the reader is unsure and nobody has decided yet
STATE_ACCEPTED = "accepted"
STATE_EDITED = "edited"  # changed by hand: reviewed
STATE_ADDED = "added"
STATE_REJECTED = "rejected"
STATE_WORDS = {STATE_SURE: "", STATE_UNSURE: "待确认", STATE_ACCEPTED: "已确认", STATE_EDITED: "已修改",
               STATE_ADDED: "新增", STATE_REJECTED: "已删除"}

TARGET_FIELDS = ("label", "value", "upper", "unit", "comparator", "kind", "deadline")
MEASURE_FIELDS = ("title", "deadline")
META_FIELDS = ("title", "doc_number", "issuer", "issued_on", "effective_from", "effective_to")


# -- the decisions ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SetMetadata:
    field: str  # META_FIELDS
    value: str | date | None


@dataclass(frozen=True)
class TargetDecision:
    measure: str  # the measure's code when decided
    source: str  # the target's exact phrase
    nth: int = 0  # which target with that phrase in the measure (0: the first)


@dataclass(frozen=True)
class AcceptTarget(TargetDecision):
    """Keep a target the reader was unsure of (or one rejected before)."""


@dataclass(frozen=True)
class RejectTarget(TargetDecision):
    """Not a target: left out of the plan."""


@dataclass(frozen=True)
class EditTarget(TargetDecision):
    field: str = "label"  # TARGET_FIELDS
    value: str | Decimal | date | None = None


@dataclass(frozen=True)
class AddTarget:
    measure: str
    target: ProposedTarget


@dataclass(frozen=True)
class SetUnits:
    measure: str
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class EditMeasure:
    measure: str
    field: str  # MEASURE_FIELDS
    value: str | date | None


@dataclass(frozen=True)
class MergeMeasures:
    """The measure and the next one in its part become one."""

    measure: str


@dataclass(frozen=True)
class SplitMeasure:
    """The measure's text from ``at`` on (whitespace not compared) becomes a new measure after it."""

    measure: str
    at: str


Decision = (SetMetadata | AcceptTarget | RejectTarget | EditTarget | AddTarget | SetUnits | EditMeasure
            | MergeMeasures | SplitMeasure)


# -- applying them ---------------------------------------------------------------------------------------------
@dataclass
class _T:
    target: ProposedTarget
    state: str


@dataclass
class _M:
    measure: ProposedMeasure  # its targets field is ignored until the end: _T list below
    targets: list[_T]


@dataclass
class _P:
    part: ProposedPart
    measures: list[_M]


@dataclass(frozen=True)
class Reviewed:
    """A proposal after review. ``shown`` keeps rejected targets in place (the dialog greys them); ``states`` is
    keyed by (measure code, index in that measure's targets in ``shown``)."""

    shown: PlanProposal
    states: dict[tuple[str, int], str]
    skipped: tuple[Decision, ...] = field(default=())

    @property
    def proposal(self) -> PlanProposal:
        """The plan as decided: rejected targets left out, those a person accepted, changed or added no longer
        unsure."""
        reviewed = (STATE_ACCEPTED, STATE_EDITED, STATE_ADDED)
        parts = []
        for p in self.shown.parts:
            measures = tuple(
                replace(m, targets=tuple(replace(t, unsure=()) if self.states[(m.code, i)] in reviewed else t
                                         for i, t in enumerate(m.targets)
                                         if self.states[(m.code, i)] != STATE_REJECTED))
                for m in p.measures)
            parts.append(replace(p, measures=measures))
        return replace(self.shown, parts=tuple(parts))

    def undecided(self) -> list[tuple[str, int]]:
        """Targets the reader was unsure of that nobody has accepted, changed or rejected."""
        return [k for k, s in self.states.items() if s == STATE_UNSURE]


def _state_of(t: ProposedTarget) -> str:
    return STATE_UNSURE if t.is_unsure else STATE_SURE


def canonical_deadline(day: date | None) -> str | None:
    return f"{day.year}年{day.month}月{day.day}日前" if day else None


def _find_measure(parts: list[_P], code: str) -> tuple[_P, int] | None:
    for p in parts:
        for i, m in enumerate(p.measures):
            if m.measure.code == code:
                return p, i
    return None


def _find_target(m: _M, d: TargetDecision) -> _T | None:
    same = [t for t in m.targets if t.target.source == d.source]
    return same[d.nth] if d.nth < len(same) else None


def _renumber(p: _P) -> None:
    for i, m in enumerate(p.measures, 1):
        m.measure = replace(m.measure, code=f"{p.part.code}.{i}", seq=i)


def _edit_target(t: ProposedTarget, name: str, value: object) -> ProposedTarget:
    if name == "deadline":
        return replace(t, deadline=value, deadline_phrase=canonical_deadline(value))  # type: ignore[arg-type]
    if (name == "kind" and value == KIND_DONE) or (name == "comparator" and value == "done"):
        return replace(t, kind=KIND_DONE, comparator="done", value=None, unit=None, upper=None)
    if name == "comparator" and t.kind == KIND_DONE:
        return replace(t, comparator=value, kind=KIND_CUMULATIVE)  # type: ignore[arg-type]
    if name == "kind" and t.comparator == "done":
        return replace(t, kind=value, comparator=">=")  # type: ignore[arg-type]
    return replace(t, **{name: value})


def _title_of(text: str) -> str:
    """A measure's title from its text: the first sentence, as the reader takes it."""
    head = text.strip()
    for sep in "。；：，":
        head = head.split(sep)[0]
    return head[:40] or text.strip()[:40]


def _merge(a: _M, b: _M) -> _M:
    units = list(a.measure.units) + [u for u in b.measure.units if u.name not in {x.name for x in a.measure.units}]
    dated = [m for m in (a.measure, b.measure) if m.deadline]
    last = max(dated, key=lambda m: m.deadline) if dated else a.measure  # type: ignore[arg-type,return-value]
    measure = replace(a.measure, text=a.measure.text.rstrip() + "\n" + b.measure.text.lstrip(), units=tuple(units),
                      deadline=last.deadline, deadline_phrase=last.deadline_phrase,
                      unsure=tuple(dict.fromkeys(a.measure.unsure + b.measure.unsure)))
    return _M(measure, a.targets + b.targets)


def _split(m: _M, at: str) -> tuple[_M, _M] | None:
    text = m.measure.text
    found = SourceIndex(text).find(at)
    if found is None or not text[:found[0]].strip():
        return None
    cut = found[0]
    first_text, second_text = text[:cut].rstrip(), text[cut:].lstrip()
    index = SourceIndex(text)
    first: list[_T] = []
    second: list[_T] = []
    cursor = 0
    for t in m.targets:
        where = index.find(t.target.source, cursor)
        if where is not None:
            cursor = where[0]
        (second if where is not None and where[0] >= cut else first).append(t)
    one = _M(replace(m.measure, text=first_text), first)
    two = _M(replace(m.measure, title=_title_of(second_text), text=second_text), second)
    return one, two


def _insertion_point(m: _M, source: str) -> int:
    """Where a target added from the text goes: after the targets whose phrases stand before its own."""
    index = SourceIndex(m.measure.text)
    where = index.find(source)
    if where is None:
        return len(m.targets)
    at = 0
    for i, t in enumerate(m.targets):
        found = index.find(t.target.source)
        if found is not None and found[0] <= where[0]:
            at = i + 1
    return at


def _apply(parts: list[_P], meta: dict[str, object], d: Decision) -> bool:
    if isinstance(d, SetMetadata):
        if d.field not in META_FIELDS:
            return False
        meta[d.field] = d.value
        return True
    found = _find_measure(parts, d.measure)
    if found is None:
        return False
    p, i = found
    m = p.measures[i]
    if isinstance(d, TargetDecision):
        t = _find_target(m, d)
        if t is None:
            return False
        if isinstance(d, RejectTarget):
            t.state = STATE_REJECTED
        elif isinstance(d, AcceptTarget):
            t.state = STATE_ACCEPTED
        elif isinstance(d, EditTarget):
            if d.field not in TARGET_FIELDS:
                return False
            t.target = _edit_target(t.target, d.field, d.value)
            if t.state != STATE_ADDED:
                t.state = STATE_EDITED
        return True
    if isinstance(d, AddTarget):
        m.targets.insert(_insertion_point(m, d.target.source), _T(d.target, STATE_ADDED))
        return True
    if isinstance(d, SetUnits):
        m.measure = replace(m.measure, units=tuple(d.units))
        return True
    if isinstance(d, EditMeasure):
        if d.field == "title" and isinstance(d.value, str) and d.value.strip():
            m.measure = replace(m.measure, title=d.value.strip())
        elif d.field == "deadline" and (d.value is None or isinstance(d.value, date)):
            m.measure = replace(m.measure, deadline=d.value, deadline_phrase=canonical_deadline(d.value))
        else:
            return False
        return True
    if isinstance(d, MergeMeasures):
        if i + 1 >= len(p.measures):
            return False
        p.measures[i:i + 2] = [_merge(m, p.measures[i + 1])]
        _renumber(p)
        return True
    if isinstance(d, SplitMeasure):
        halves = _split(m, d.at)
        if halves is None:
            return False
        p.measures[i:i + 1] = list(halves)
        _renumber(p)
        return True
    return False


def apply_decisions(proposal: PlanProposal, decisions: list[Decision] | tuple[Decision, ...]) -> Reviewed:
    """The proposal with every decision applied in order; those that do not fit are returned as skipped."""
    parts = [_P(p, [_M(m, [_T(t, _state_of(t)) for t in m.targets]) for m in p.measures]) for p in proposal.parts]
    meta: dict[str, object] = {f: getattr(proposal, f) for f in META_FIELDS}
    skipped = [d for d in decisions if not _apply(parts, meta, d)]
    states: dict[tuple[str, int], str] = {}
    out_parts = []
    for p in parts:
        measures = []
        for m in p.measures:
            for ti, t in enumerate(m.targets):
                states[(m.measure.code, ti)] = t.state
            measures.append(replace(m.measure, targets=tuple(t.target for t in m.targets)))
        out_parts.append(replace(p.part, measures=tuple(measures)))
    shown = replace(proposal, parts=tuple(out_parts), **meta)  # type: ignore[arg-type]
    return Reviewed(shown, states, tuple(skipped))


def target_key(proposal: PlanProposal, measure_code: str, index: int) -> TargetDecision:
    """How a decision names the target at ``index`` of a measure: its phrase and which occurrence."""
    m = next(m for m in proposal.measures() if m.code == measure_code)
    t = m.targets[index]
    nth = sum(1 for x in m.targets[:index] if x.source == t.source)
    return TargetDecision(measure_code, t.source, nth)


def target_text(t: ProposedTarget) -> str:
    """The goal as a cell shows it: "≥ 1.4万人", "50%—60%", "定性"."""
    if t.kind == KIND_DONE or t.comparator == "done" or t.value is None:
        return "定性"
    value = format_number(t.value)
    if t.upper is not None:
        value += f"—{format_number(t.upper)}"
    sign = COMPARATOR_SIGNS.get(t.comparator, t.comparator)
    return f"{sign} {value}{t.unit or ''}".strip()


# -- as the reader's own decisions (domain/plan_reader/decisions.py) -----------------------------------------------
_AROUND_TARGETS = (SetMetadata, SetUnits, EditMeasure)  # what the reader's decisions do not cover; kept here


def reader_decisions(original: PlanProposal, decisions: list[Decision] | tuple[Decision, ...],
                     ) -> list[reader.Decision] | None:
    """The target decisions as ``domain.plan_reader.Decision``s (one per target touched, named by the original
    numbering "1.3.2"; an added one by its measure), or None when the review changed what they cannot say: a
    measure merged or split, a range's upper end or a deadline removed. Metadata, units and a measure's title or
    deadline are not target decisions: ``decisions_around_targets`` gives them."""
    if any(isinstance(d, (MergeMeasures, SplitMeasure)) for d in decisions):
        return None
    reviewed = apply_decisions(original, decisions)
    out: list[reader.Decision] = []
    shown = {m.code: m for m in reviewed.shown.measures()}
    for m in original.measures():
        now = shown[m.code]
        states = [reviewed.states[(m.code, i)] for i in range(len(now.targets))]
        kept = [(t, s) for t, s in zip(now.targets, states, strict=True) if s != STATE_ADDED]
        for pos, (old, (new, state)) in enumerate(zip(m.targets, kept, strict=True), 1):
            code = f"{m.code}.{pos}"
            if state == STATE_REJECTED:
                out.append(reader.Decision(code, drop=True))
                continue
            if new.upper != old.upper or (new.deadline is None and old.deadline is not None):
                return None
            changed = {f: getattr(new, f) for f in ("label", "kind", "comparator", "value", "unit", "deadline")
                       if getattr(new, f) != getattr(old, f) and getattr(new, f) is not None}
            if changed or state in (STATE_ACCEPTED, STATE_EDITED):
                out.append(reader.Decision(code, confirmed=True, **changed))  # type: ignore[arg-type]
        for new, state in zip(now.targets, states, strict=True):
            if state == STATE_ADDED:
                out.append(reader.Decision(m.code, add=True, source=new.source, label=new.label, kind=new.kind,
                                           comparator=new.comparator, value=new.value, unit=new.unit,
                                           deadline=new.deadline, confirmed=True))
    return out


def decisions_around_targets(decisions: list[Decision] | tuple[Decision, ...]) -> list[Decision]:
    return [d for d in decisions if isinstance(d, _AROUND_TARGETS)]
