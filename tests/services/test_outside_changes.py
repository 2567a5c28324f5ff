"""Issue 16: what other PCs saved in a server ledger, found by a watch on the audit trail — each cell once, none of
the watching Ledger's own, and none lost when transactions commit in another order than they began."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest

from liubao_desktop.domain.figures import FigureValue
from liubao_desktop.domain.narrative import Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.data_location import init_database
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.outside_changes import GAP_SECONDS, OutsideCell, OutsideChanges, loaded_note
from liubao_desktop.services.workstation import Workstation

SEP = Period(2020, 9)


@pytest.fixture
def two_pcs(engine_location: str) -> Iterator[tuple[Ledger, Ledger]]:
    a, b = Ledger.open(engine_location), Ledger.open(engine_location, workstation=Workstation("FR-PC02", "李四"))
    yield a, b
    a.close()
    b.close()


def test_the_watch_finds_each_cell_another_pc_saved_once_and_none_of_its_own(two_pcs: tuple[Ledger, Ledger]) -> None:
    a, b = two_pcs
    a.record_figure("430102", "1.3.1", SEP, FigureValue.of(1))  # before the watch: not news
    watch = OutsideChanges(a)
    assert watch.poll(0) == []
    b.record_figure("430102", "1.3.1", SEP, FigureValue.of(5), note="乙")  # two rows of the trail, one cell
    b.set_local_target("430102", "2.3.2", Decimal(9))
    b.write_narrative("430102", "1.3", SEP, Narrative("进展", "", ""))
    a.record_figure("430102", "2.3.3", SEP, FigureValue.of(7))  # the watching PC's own save
    found = watch.poll(1)
    assert found == [OutsideCell("430102", SEP, "1.3", "1.3.1"), OutsideCell("430102", None, "2.3", "2.3.2"),
                     OutsideCell("430102", SEP, "1.3", None)]
    assert {c.by for c in found} == {"李四（电脑 FR-PC02）"}  # who saved them, on which PC
    assert watch.poll(2) == []
    assert a.own_audit_ids == set()  # seen past: forgotten


def test_a_transaction_that_commits_after_a_later_one_is_not_missed(pg_url: str) -> None:
    """On the server the trail's ids are handed out at insert time: B's long paste holds id N while C's quick save
    takes N+1 and commits first. The watch looks between the two commits and still finds B's cell after. (On
    SQLite one writer at a time: its ids commit in order.)"""
    init_database(pg_url)
    a, b, c = (Ledger.open(pg_url) for _ in range(3))
    try:
        watch = OutsideChanges(a)
        inserted, committed = threading.Event(), threading.Event()

        def long_paste() -> None:
            with b.transaction():
                b.record_figure("430102", "2.3.2", SEP, FigureValue.of(1))
                inserted.set()
                committed.wait(10)

        paste = threading.Thread(target=long_paste)
        paste.start()
        assert inserted.wait(10)
        c.record_figure("430102", "2.3.3", SEP, FigureValue.of(2))
        assert watch.poll(0) == [OutsideCell("430102", SEP, "2.3", "2.3.3")]
        committed.set()
        paste.join(10)
        assert watch.poll(1) == [OutsideCell("430102", SEP, "2.3", "2.3.2")]
        assert watch.poll(2) == []
        # an id no transaction ever commits (rolled back) is asked for a while, then forgotten
        with pytest.raises(RuntimeError), c.transaction():
            c.record_figure("430102", "2.3.4", SEP, FigureValue.of(3))
            raise RuntimeError("rolled back")
        c.record_figure("430102", "2.3.5", SEP, FigureValue.of(4))
        assert watch.poll(3) == [OutsideCell("430102", SEP, "2.3", "2.3.5")]
        assert watch._gaps  # noqa: SLF001 -- the rolled-back id, still asked for
        assert watch.poll(4 + GAP_SECONDS) == [] and not watch._gaps  # noqa: SLF001
    finally:
        for ledger in (a, b, c):
            ledger.close()


def test_the_status_bars_note_names_who_saved_and_on_which_pc() -> None:
    assert loaded_note(3, ["张三（电脑 FR-PC01）", "张三（电脑 FR-PC01）"]) == "已载入他人修改 3 处：张三（电脑 FR-PC01）"
    assert loaded_note(5, ["甲（电脑 A）", "乙（电脑 B）", "丙（电脑 C）"]) == "已载入他人修改 5 处：甲（电脑 A）、乙（电脑 B）等 3 人"
    assert loaded_note(1, [""]) == "已载入他人修改 1 处"
