"""What other PCs saved in a ledger on a server since the window last looked (issue 16).

Every edit writes its audit row in its own transaction, so the trail is the ledger's change log: a watch keeps the
id of the newest row it has seen and asks for the rows after it — one indexed query, nothing when nobody saved.
Rows this Ledger wrote itself are skipped (the window repainted them when it saved them).

A server hands out ids when a row is inserted, not when it is committed: a long transaction (a paste) may commit
id 41 after a quick one committed 42. An id skipped over is therefore asked for again at each look for
``GAP_SECONDS`` (then it is taken for a rolled-back transaction's and forgotten).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..domain.periods import Period
from ..domain.plan import measure_code_of
from ..storage.database import raise_translated
from ..storage.queries import STORAGE_ERRORS
from .conflicts import saver
from .ledger import Ledger

GAP_SECONDS = 60.0
MAX_GAPS = 1000  # ids skipped over kept at once (a jump past more is a sequence moved by hand, not commits)


@dataclass(frozen=True)
class OutsideCell:
    """One cell someone else saved: an office, a month (None: every month, a 分解目标), a measure and the target
    in it (None: the measure's narrative); ``by``: who saved it last, on which PC (张三（电脑 FR-PC01）), not part
    of what the cell is."""

    org: str
    period: Period | None
    measure: str
    target: str | None
    by: str = field(default="", compare=False)


class OutsideChanges:
    """The watch of one Ledger. ``poll(now)`` (``now``: a monotonic clock's seconds) returns the cells others
    saved since the last poll, once each, in the order they were saved; StorageError in Chinese when the server
    cannot be asked (the next poll asks again from the same place)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        if ledger.own_audit_ids is None:
            ledger.own_audit_ids = set()
        self._last = self._ask(lambda: ledger.store.last_audit_id())
        self._gaps: dict[int, float] = {}  # an id skipped over → until when it is asked for

    def _ask(self, read):  # noqa: ANN001, ANN202 -- a read of the store, its errors in Chinese
        try:
            return read()
        except STORAGE_ERRORS + self.ledger.db.errors as exc:
            raise_translated(exc, self.ledger.path)

    def poll(self, now: float) -> list[OutsideCell]:
        rows = self._ask(lambda: self.ledger.store.audit_cells(self._last, self._gaps))
        own = self.ledger.own_audit_ids or set()
        seen = {r.id for r in rows}
        top = max(seen | {self._last})
        if top - self._last <= MAX_GAPS:
            for skipped in range(self._last + 1, top):
                if skipped not in seen and skipped not in own:
                    self._gaps[skipped] = now + GAP_SECONDS
        for row_id in seen:
            self._gaps.pop(row_id, None)
        self._gaps = {row_id: until for row_id, until in self._gaps.items() if until >= now}
        self._last = top
        cells: dict[OutsideCell, str] = {}  # each cell once, in the order first saved, with whoever saved it last
        for r in rows:
            if r.id in own or r.org is None:
                continue
            if r.target is not None:
                cells[OutsideCell(r.org, r.period, measure_code_of(r.target), r.target)] = saver(r.operator,
                                                                                                  r.workstation)
            elif r.measure is not None and r.entity == "narrative":
                cells[OutsideCell(r.org, r.period, r.measure, None)] = saver(r.operator, r.workstation)
        own.difference_update({i for i in own if i <= top})  # seen past: never asked for again
        return [OutsideCell(c.org, c.period, c.measure, c.target, by) for c, by in cells.items()]


SAVERS_NAMED = 2  # the status bar names this many of those who saved; the rest are counted


def loaded_note(count: int, savers: Iterable[str]) -> str:
    """The status bar's note on what others saved: 已载入他人修改 3 处：张三（电脑 FR-PC01）、李四（电脑 FR-PC02）."""
    names = list(dict.fromkeys(s for s in savers if s))
    if not names:
        return f"已载入他人修改 {count} 处"
    more = f"等 {len(names)} 人" if len(names) > SAVERS_NAMED else ""
    return f"已载入他人修改 {count} 处：{'、'.join(names[:SAVERS_NAMED])}{more}"


__all__ = ["GAP_SECONDS", "OutsideCell", "OutsideChanges", "loaded_note"]
