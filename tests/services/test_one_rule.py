"""One rule per fact: the write path checks every figure once, the export reads each office once, the
preferences keep their keys, the store hands back domain values and survives a reopen."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from liubao_desktop.domain.figures import BLANK, NOT_APPLICABLE, FigureInputError, FigureValue, figure_text
from liubao_desktop.domain.periods import Period
from liubao_desktop.domain.plan import KIND_DONE, MAX_FIGURE
from liubao_desktop.domain.rules import check_figure, parse_figure
from liubao_desktop.domain.words import BLANK_TEXT, FOLLOWS_CITY_TEXT, NOT_APPLICABLE_TEXT, UNCHANGED_TEXT
from liubao_desktop.services import ledger as ledger_module
from liubao_desktop.services.export_service import collect
from liubao_desktop.services.ledger import Ledger
from liubao_desktop.services.preferences import WindowPreferences, settings_path
from liubao_desktop.storage.queries import read_stored_figure, stored_figure
from tests.memory_ini import MemoryIni

SEP = Period(2020, 9)


def test_the_write_path_checks_a_figure_once(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = ledger_module.check_figure
    monkeypatch.setattr(ledger_module, "check_figure", lambda *a, **k: calls.append(a) or real(*a, **k))
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    assert len(calls) == 1
    with pytest.raises(FigureInputError, match="不能填负数"):
        ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(-1))  # undo, import: the same rule


def test_the_typed_and_the_written_refusal_are_one_rule(ledger: Ledger) -> None:
    t = ledger.target("1.3.1")
    with pytest.raises(FigureInputError, match="“-5”是负数"):
        parse_figure(t, "-5")
    with pytest.raises(FigureInputError, match="“援助就业困难人员就业”不能填负数"):
        check_figure(t, FigureValue.of(-5))
    with pytest.raises(FigureInputError, match="数值过大"):
        parse_figure(t, "1000000000000001")
    assert parse_figure(t, "1,000,000,000,000,000") == FigureValue.of(MAX_FIGURE)


def test_money_is_limited_in_its_base_unit_too_and_the_refusal_quotes_the_typing(ledger: Ledger) -> None:
    money = next(t for t in ledger.plan.targets() if t.entry_unit == "万元")
    assert money.max_base == MAX_FIGURE
    assert parse_figure(money, "100,000,000,000") == FigureValue.of(MAX_FIGURE)  # 1e11 万元 = 1e15 元
    with pytest.raises(FigureInputError, match="“100000000001”超过了 100,000,000,000"):
        parse_figure(money, "100000000001")


def test_a_share_typed_with_31_digits_is_never_rounded_into_range(ledger: Ledger) -> None:
    share = next(t for t in ledger.plan.targets() if t.is_ratio and t.comparator != "increase_by")
    with pytest.raises(FigureInputError, match="小数位数过多"):
        parse_figure(share, "99.99999999999999999999999999999")


def test_ratio_and_done_are_decided_by_the_target(ledger: Ledger) -> None:
    for t in ledger.plan.targets():
        assert t.is_ratio == (not t.is_done and t.unit == "%")  # a 定性 target takes a state, not a %
        assert t.is_done == (t.kind == KIND_DONE or t.comparator == "done")
        if t.base_value is not None:
            assert t.from_entry(t.to_entry(t.base_value)) == t.base_value


def test_one_figure_text_for_cells_messages_and_the_trail(ledger: Ledger) -> None:
    t = ledger.target("1.3.1")
    assert figure_text(t, FigureValue.of(1523)) == ledger.format_entry("1.3.1", FigureValue.of(1523)) == "1,523"
    assert figure_text(t, FigureValue.of(1523), unit=True) == "1,523人"
    assert figure_text(t, NOT_APPLICABLE, unit=True) == NOT_APPLICABLE_TEXT
    assert figure_text(t, None, blank=FOLLOWS_CITY_TEXT) == "按市级目标"
    change = ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    assert change.message.endswith("本期完成 1,523人")
    assert ledger.record_figure("芙蓉区", "1.3.1", SEP, BLANK).message.endswith(f"本期完成 {BLANK_TEXT}")
    assert ledger.record_figure("芙蓉区", "1.3.1", SEP, BLANK).message == UNCHANGED_TEXT
    for value in (BLANK, NOT_APPLICABLE, FigureValue.of(Decimal("12500.5"))):
        back = read_stored_figure(stored_figure(value))
        assert (back or BLANK) == value


def test_an_export_reads_each_offices_figures_once(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(1523))
    reads: list[str] = []
    real = ledger.store.figures
    monkeypatch.setattr(ledger.store, "figures", lambda org, periods=(): reads.append(org) or real(org, periods))
    data = collect(ledger, [o.code for o in ledger.orgs()[:3]], SEP)
    assert sorted(reads) == sorted(o.code for o in ledger.orgs()[:3])
    assert data.orgs[0].history[-1].lines == tuple(data.orgs[0].report.targets.values())
    ledger.figures("芙蓉区")
    assert len(reads) == 4  # outside the export every call reads afresh


def test_reopen_rebuilds_the_maps_without_running_init_again(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger.record_figure("芙蓉区", "1.3.1", SEP, FigureValue.of(7))
    monkeypatch.setattr(Ledger, "__init__", lambda *a, **k: pytest.fail("reopen ran __init__"))
    store = ledger.store
    ledger.reopen()
    assert ledger.store is store and not ledger.db.is_closed()
    assert ledger.figure("芙蓉区", "1.3.1", SEP) == FigureValue.of(7)
    assert set(ledger.target_ids) == {t.code for t in ledger.plan.targets()}


def test_ledger_preferences_keep_the_keys_of_earlier_versions(ledger: Ledger) -> None:
    prefs = ledger.preferences
    prefs.set_own_units("430102", ["市人社局", "市财政局"])
    assert ledger.setting("own_units:430102") == '["市人社局", "市财政局"]'
    assert prefs.own_units("430102") == ["市人社局", "市财政局"] and prefs.own_units("430103") is None
    ledger.sign_as("")
    assert ledger.operator == "未署名" and ledger.workstation.operator == ""
    prefs.set_backup_keep(7)
    assert ledger.setting("backup_keep") == "7" and prefs.backup_keep() == 7
    assert prefs.thresholds() == ledger.thresholds()


def test_window_preferences_are_typed(tmp_path: Path, ledger: Ledger) -> None:
    store = MemoryIni()
    prefs = WindowPreferences(store, wrap_bytes=bytearray)
    assert prefs.geometry() is None and prefs.mine_only() is False and prefs.open_after_export() is True
    prefs.set_geometry(b"\x01\x02")
    assert isinstance(store["geometry"], bytearray) and prefs.geometry() == b"\x01\x02"
    prefs.set_last_place("430102", SEP)
    assert prefs.last_period("430102", ledger.periods) == SEP
    assert prefs.last_period("430103", ledger.periods) is None
    store["last_period"] = "1999-01"
    assert prefs.last_period("430102", ledger.periods) is None
    store["mine_only"] = "true"  # as QSettings' ini format reads a bool back
    assert prefs.mine_only() is True
    prefs.set_export_folder(tmp_path)
    assert prefs.export_folder() == tmp_path and store["export/folder"] == str(tmp_path)
    assert settings_path(tmp_path) == tmp_path / "settings.ini"


def test_nothing_above_storage_imports_its_models() -> None:
    import liubao_desktop.services.audit as audit
    import liubao_desktop.services.safety as safety
    import liubao_desktop.services.sample_data as sample

    for module in (ledger_module, audit, safety, sample):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "storage.models" not in source and "import peewee" not in source, module.__name__
