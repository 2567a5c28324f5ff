"""Issue 16: a figure edited on two PCs at once is not silently overwritten. Two connections to one ledger (two
Ledger objects, as two PCs have), on SQLite and on a PostgreSQL server: the second save names the value the clerk
started from, sees that the stored one changed, and refuses in Chinese with both values."""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from liubao_desktop.domain.figures import BLANK, FigureValue
from liubao_desktop.domain.narrative import EMPTY_NARRATIVE, Narrative
from liubao_desktop.domain.periods import Period
from liubao_desktop.services.conflicts import saved_when, saver
from liubao_desktop.services.ledger import ConflictError, Ledger
from liubao_desktop.services.workstation import Workstation

SEP = Period(2020, 9)


@pytest.fixture
def two_pcs(engine_location: str) -> Iterator[tuple[Ledger, Ledger]]:
    a, b = Ledger.open(engine_location), Ledger.open(engine_location)
    a.sign_as("张三")
    yield a, b
    a.close()
    b.close()


def audit_rows(ledger: Ledger) -> list[tuple]:
    return list(ledger.db.execute_sql("SELECT old_value, new_value, operator FROM audit_log ORDER BY id"))


def test_the_second_save_sees_the_first_and_asks(two_pcs: tuple[Ledger, Ledger]) -> None:
    a, b = two_pcs
    started_from = b.figure("芙蓉区", "1.3.1", SEP)  # PC 2 opens the cell: blank
    a.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523), expected=a.figure("芙蓉区", "1.3.1", SEP))
    with pytest.raises(ConflictError) as err:
        b.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1600), expected=started_from)
    message = str(err.value)
    assert "已被他人修改" in message and "空白" in message and "1,523人" in message and "1,600人" in message
    assert "张三" in message  # who saved the value now stored, from the audit trail
    assert err.value.expected == BLANK and err.value.current == FigureValue.of(1523)
    assert b.figure("芙蓉区", "1.3.1", SEP) == a.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(1523)
    assert audit_rows(b) == [(None, "1523", "张三")]  # the refused save left no trace
    # having seen 1,523, the clerk saves again from it
    b.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1600), expected=FigureValue.of(1523))
    assert a.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(1600)
    # the same value saved by both is no conflict; without ``expected`` the save is as before (last one wins)
    a.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1600), expected=FigureValue.of(1523))
    a.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1700))
    assert b.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(1700)


def test_the_refusal_names_who_saved_the_other_value_on_which_pc_and_when(engine_location: str) -> None:
    """张三 at FR-PC01 saved 1,523 at 10:31 today: the refusal says so in one phrase, for the clerk to call over."""
    a = Ledger.open(engine_location, workstation=Workstation("FR-PC01", "张三"))
    b = Ledger.open(engine_location, workstation=Workstation("FR-PC02", "李四"))
    try:
        a.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523), expected=BLANK)
        with pytest.raises(ConflictError) as err:
            b.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1600), expected=BLANK)
    finally:
        a.close()
        b.close()
    assert re.fullmatch(r"张三（电脑 FR-PC01）于 (\d+月\d+日 )?\d\d:\d\d", err.value.who)
    assert err.value.theirs == f"{err.value.who} 保存了 1,523人"
    assert str(err.value) == (f"芙蓉区 2020年9月“{a.target('1.3.1').label}”的本期完成已被他人修改：您开始修改时是 空白，"
                              f"{err.value.who} 保存了 1,523人。您填写的 1,600人 没有保存。请核对后重新填写。")


def test_when_it_was_saved_is_said_as_short_as_it_reads() -> None:
    today = date(2020, 10, 15)
    assert saved_when("2020-10-15T10:31:05", today) == "10:31"
    assert saved_when("2020-10-09T08:02:00", today) == "10月9日 08:02"
    assert saved_when("2019-12-31T17:45:59", today) == "2019年12月31日 17:45"
    assert saver("张三", "FR-PC01") == "张三（电脑 FR-PC01）" and saver("张三", "") == "张三"  # a row from before v5


def test_two_saves_at_the_same_moment_are_put_one_after_the_other(two_pcs: tuple[Ledger, Ledger]) -> None:
    """PC 1's save is still in its transaction when PC 2 saves the same cell from the same starting value: PC 2
    waits for the cell, then sees PC 1's value and refuses — neither save is lost silently."""
    a, b = two_pcs
    outcome: list[object] = []

    def pc2() -> None:
        try:
            outcome.append(b.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1600), expected=BLANK))
        except Exception as exc:  # noqa: BLE001 -- handed to the test's thread
            outcome.append(exc)

    with a.transaction():
        a.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523), expected=BLANK)
        other = threading.Thread(target=pc2)
        other.start()
        time.sleep(0.5)
        assert other.is_alive() and not outcome  # PC 2 waits for PC 1's transaction
    other.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], ConflictError), outcome
    assert a.figure("芙蓉区", "1.3.1", SEP) == b.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(1523)


def test_a_note_a_local_target_and_a_narrative_are_guarded_the_same_way(two_pcs: tuple[Ledger, Ledger]) -> None:
    """Every cell two clerks type into: the save names what the clerk started from; a change since is refused
    with the cell, both values and who saved the other; a save from the value now stored goes through."""
    a, b = two_pcs
    a.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(10), note="甲的备注", expected=BLANK)
    with pytest.raises(ConflictError) as err:  # B started from an empty note; the figure is left alone
        b.record_figure("芙蓉区", "1.3.1", SEP, None, note="乙的备注", expected_note="")
    assert err.value.where.endswith("的备注") and err.value.shown == ("空白", "“甲的备注”", "“乙的备注”")
    assert "张三" in err.value.who
    b.record_figure("芙蓉区", "1.3.1", SEP, None, note="乙的备注", expected_note="甲的备注")
    assert a.notes("芙蓉区", SEP)["1.3.1"] == "乙的备注" and a.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(10)

    a.set_local_target("芙蓉区", "1.3.1", Decimal(1400), expected=None)
    with pytest.raises(ConflictError) as err:
        b.set_local_target("芙蓉区", "1.3.1", Decimal(1500), expected=None)
    assert "分解目标" in err.value.where and err.value.shown == ("未分解", "1,400人", "1,500人")
    assert a.local_targets("芙蓉区")["1.3.1"] == Decimal(1400)
    b.set_local_target("芙蓉区", "1.3.1", None, expected=Decimal(1400))  # cleared, from the value stored
    assert "1.3.1" not in a.local_targets("芙蓉区")

    a.write_narrative("芙蓉区", "1.3", SEP, Narrative("甲写的进展", "", ""), expected=EMPTY_NARRATIVE)
    with pytest.raises(ConflictError) as err:
        b.write_narrative("芙蓉区", "1.3", SEP, Narrative("乙写的进展", "", ""), expected=EMPTY_NARRATIVE)
    assert "工作进展" in err.value.where and "甲写的进展" in err.value.shown[1]
    assert a.narrative("芙蓉区", "1.3", SEP).progress == "甲写的进展"
    # the same text saved by both is no conflict
    b.write_narrative("芙蓉区", "1.3", SEP, Narrative("甲写的进展", "", ""), expected=EMPTY_NARRATIVE)
