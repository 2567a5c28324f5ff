"""The reader on 长政办发〔2020〕26号 as issued: today's plan (every part, measure and unit in order) and the 39
curated targets, found with no phrase list and no review decision. Found / missed / extra are printed (pytest -s)
and held. "Curated" is the plan the committed db/seed.sql holds (its target rows checked by hand when the phrase
list made them), so the reader is compared with something it did not make itself."""
from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from liubao_desktop.documents import read_plan_file
from liubao_desktop.domain.plan import Plan
from liubao_desktop.storage.connection import Database
from liubao_desktop.storage.queries import LedgerStore
from liubao_desktop.storage.seed_sql import SEED_PATH

from .docs import CHANGSHA_TXT


def committed_seed_plan() -> Plan:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "seed.sqlite3"
        conn = sqlite3.connect(path)
        conn.executescript(SEED_PATH.read_text(encoding="utf-8"))
        conn.close()
        db = Database(path)
        db.connect()
        try:
            return LedgerStore(db).plan
        finally:
            db.close()


CURATED = committed_seed_plan()
PROPOSAL = read_plan_file(CHANGSHA_TXT)


def _key(t) -> tuple:  # noqa: ANN001
    return (t.value, t.unit, t.base_value, t.comparator, t.deadline)


def compare() -> tuple[list[str], list[str], list[str], list[str]]:
    """(found exactly, found with a difference, missed, extra), each as "code phrase"."""
    plan = PROPOSAL.to_plan(code=CURATED.code, short_title=CURATED.short_title)
    found, differ, missed = [], [], []
    for c in CURATED.targets():
        same_measure = [t for t in plan.measure(c.code.rsplit(".", 1)[0]).targets]
        match = next((t for t in same_measure if c.source in t.source or t.source in c.source), None)
        if match is None:
            missed.append(f"{c.code} {c.source}")
        elif _key(match) == _key(c) and match.kind == c.kind:
            found.append(f"{c.code} {c.source}")
        else:
            differ.append(f"{c.code} {c.source}: {_key(match)} {match.kind} ≠ {_key(c)} {c.kind}")
    curated_sources = [c.source for c in CURATED.targets()]
    extra = [f"{t.code} {t.source}" for t in plan.targets()
             if not any(s in t.source or t.source in s for s in curated_sources)]
    return found, differ, missed, extra


def test_metadata_is_todays() -> None:
    plan = PROPOSAL.to_plan(code=CURATED.code, short_title=CURATED.short_title)
    assert (plan.title, plan.doc_number, plan.issuer, plan.issued_on, plan.effective_from, plan.effective_to) == (
        CURATED.title, CURATED.doc_number, CURATED.issuer, CURATED.issued_on, CURATED.effective_from,
        CURATED.effective_to)
    assert PROPOSAL.notes == ()


def test_every_part_measure_and_unit_in_order() -> None:
    plan = PROPOSAL.to_plan(code=CURATED.code, short_title=CURATED.short_title)
    assert [(p.code, p.title) for p in plan.parts] == [(p.code, p.title) for p in CURATED.parts]
    for mine, theirs in zip(plan.measures(), CURATED.measures(), strict=True):
        assert (mine.code, mine.title, mine.units, mine.deadline, mine.deadline_phrase, mine.text) == (
            theirs.code, theirs.title, theirs.units, theirs.deadline, theirs.deadline_phrase, theirs.text)


def test_the_39_targets_are_found_exactly_with_no_extra() -> None:
    found, differ, missed, extra = compare()
    print(f"\n长政办发〔2020〕26号: {len(found)} of {len(CURATED.targets())} found exactly; "
          f"differ {differ}; missed {missed}; extra {extra}")
    assert (len(found), differ, missed, extra) == (39, [], [], [])
    assert not [t for t in PROPOSAL.targets() if t.unsure]


def test_pace_rules_follow_from_the_wording() -> None:
    plan = PROPOSAL.to_plan(code=CURATED.code, short_title=CURATED.short_title)
    by_source = {t.source: t for t in plan.targets()}
    for c in CURATED.targets():
        mine = next(t for s, t in by_source.items() if c.source in s)
        assert mine.pace == c.pace, c.source


def test_phrases_are_exact_text_of_their_measure() -> None:
    for m in PROPOSAL.measures():
        for t in m.targets:
            assert t.source in m.text
