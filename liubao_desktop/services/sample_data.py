"""Plausible, reproducible sample figures for screenshots, demos and benchmarks — marked 示例数据.

Sample data only goes into a database that holds no real entries, and the database remembers it was filled
with samples (setting ``sample_data``), so the window title and every report can say so.
"""
from __future__ import annotations

import random
from collections.abc import Iterable
from decimal import Decimal

from ..domain.figures import NOT_APPLICABLE, FigureValue
from ..domain.narrative import Narrative
from ..domain.periods import Period
from ..domain.plan import KIND_CUMULATIVE, KIND_STOCK, REACH_ABSOLUTE, Target
from ..domain.words import STATE_DONE, STATE_IN_PROGRESS, STATE_NOT_STARTED
from .ledger import Ledger, now_text

SAMPLE_MARK = "示例数据"


class SampleDataRefused(ValueError):
    pass


def is_sample_database(ledger: Ledger) -> bool:
    return ledger.preferences.is_sample()


def _refuse_real_entries(ledger: Ledger) -> None:
    if not is_sample_database(ledger) and ledger.store.has_entries():
        where = "服务器上的这个台账" if ledger.on_server else "这个数据库"
        raise SampleDataRefused(f"{where}里已有真实填报数据，不能写入示例数据。"
                                "请用一个新的数据文件夹（--data-dir）或一个新建的空数据库。")


def _quantum(t: Target) -> Decimal:
    if t.base_unit in ("", None):
        return Decimal("0.0001")
    return Decimal(10000) if t.base_unit == "元" else Decimal(1)


def _round(value: Decimal, quantum: Decimal) -> Decimal:
    return (value / quantum).quantize(Decimal(1)) * quantum


def local_target_for(t: Target, share: Decimal) -> Decimal | None:
    """A district's 分解目标: its share of a city-wide count or sum; rates and standards apply as they are."""
    if t.reach != REACH_ABSOLUTE or t.base_value is None or t.kind not in (KIND_CUMULATIVE, KIND_STOCK):
        return None
    local = _round(t.base_value * share, _quantum(t))
    return local if local >= 1 else None


def monthly_value(rng: random.Random, t: Target, goal: Decimal, pace: Decimal, step: int, window: int) -> Decimal:
    """The figure for the step-th month (from 0) of a target's window of months."""
    noise = Decimal(rng.uniform(0.8, 1.2))
    if t.kind == KIND_CUMULATIVE:
        value = goal / window * pace * noise
    else:  # a level that climbs towards the goal: stock, rate, done
        value = goal * min(Decimal("1.05"), (Decimal("0.35") + Decimal("0.65") * (step + 1) / window) * pace)
    return max(Decimal(0), _round(value, _quantum(t)))


def sample_state(pace: Decimal, step: int, window: int) -> FigureValue:
    """A 定性 target's state in the step-th month: begun in the first months, done towards its deadline."""
    share = pace * (step + 1) / window
    state = STATE_NOT_STARTED if share < Decimal("0.2") else STATE_IN_PROGRESS if share < Decimal("0.9") else STATE_DONE
    return FigureValue.of_state(state)


def fill_sample_data(ledger: Ledger, orgs: Iterable[str], up_to: Period, *, seed: int = 2020,
                     narratives: bool = True) -> int:
    """Write sample figures (and narratives) for the orgs up to a month; returns how many figures. Refused
    (SampleDataRefused, nothing written) where real entries are: asked first, and again inside the write's
    transaction — on a server another PC may have typed meanwhile."""
    _refuse_real_entries(ledger)
    months = [p for p in ledger.periods if p <= up_to]
    share = Decimal(1) / Decimal(len(ledger.orgs()))
    rows: list[tuple[str, str, Period, FigureValue, str]] = []
    locals_: list[tuple[str, str, Decimal]] = []
    texts: list[tuple[str, str, Period, Narrative]] = []
    stamp = now_text()
    for org_code in orgs:
        org = ledger.org(org_code)
        rng = random.Random(f"{seed}-{org.code}")
        for t in ledger.plan.targets():
            if rng.random() < 0.05:
                rows.append((org.code, t.code, months[0], NOT_APPLICABLE, SAMPLE_MARK))
                continue
            local = local_target_for(t, share)
            if local is not None:
                locals_.append((org.code, t.code, local))
            goal = local or t.base_value or Decimal(1)
            deadline = t.deadline or ledger.plan.effective_to
            window = [p for p in ledger.periods if p.first_day <= deadline]
            pace = Decimal(rng.uniform(0.7, 1.25))  # most offices run near 序时; some lag, some lead
            for step, p in enumerate(months):
                if p not in window or rng.random() < 0.06:
                    continue  # a month left blank
                if t.is_done:
                    rows.append((org.code, t.code, p, sample_state(pace, step, len(window)), ""))
                    continue
                value = monthly_value(rng, t, goal, pace, step, len(window))
                rows.append((org.code, t.code, p, FigureValue.of(value), ""))
        if narratives:
            for m in ledger.plan.measures():
                # A qualitative task with a deadline is finished by most offices in its month, and stays so.
                finishes = not m.targets and m.deadline is not None and rng.random() < 0.7
                for p in months:
                    texts.append((org.code, m.code, p, Narrative(
                        progress=f"【{SAMPLE_MARK}】{org.name}{p.label}围绕“{m.title}”召开调度会"
                                 f" {rng.randint(1, 4)} 次，推进重点事项 {rng.randint(2, 9)} 项。",
                        problems=("部分项目资金到位偏慢。" if rng.random() < 0.3 else ""),
                        next_steps=("加强调度，按月通报进度。" if rng.random() < 0.5 else ""),
                        done=bool(finishes and m.deadline and p.last_day >= m.deadline),
                    )))
    with ledger.transaction():  # the 示例数据 mark and the data land together or not at all
        _refuse_real_entries(ledger)
        ledger.preferences.mark_sample()
        ledger.store.insert_figures(rows, stamp)
        ledger.store.insert_local_targets(locals_, stamp)
        ledger.store.insert_narratives(texts, stamp)
        ledger.store.append_audit(at=stamp, operator=ledger.operator, workstation=ledger.workstation.pc,
                                  source="sample", entity="figure", org=None, field="示例数据", old=None,
                                  new=f"{len(rows)} 条")
    return len(rows)
