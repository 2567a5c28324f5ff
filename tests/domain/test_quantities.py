"""Units as the plan writes them, and numbers as the city reads them."""
from decimal import Decimal

import pytest

from liubao_desktop.domain.quantities import (
    convert,
    entry_unit_for,
    format_number,
    format_percent,
    split_unit,
    strip_trailing_zeros,
)

D = Decimal


@pytest.mark.parametrize(
    ("unit", "scale", "base"),
    [
        ("万人", D(10_000), "人"),
        ("万人次", D(10_000), "人次"),
        ("亿元", D(100_000_000), "元"),
        ("万元", D(10_000), "元"),
        ("元", D(1), "元"),
        ("%", D("0.01"), ""),
        ("％", D("0.01"), ""),  # full-width, as a Chinese input method types it
        ("万千瓦", D(10_000), "千瓦"),
        ("万公顷", D(10_000), "公顷"),
        ("万吨", D(10_000), "吨"),
        ("万个", D(10_000), "个"),
        ("万套", D(10_000), "套"),
    ],
)
def test_plan_units_split_into_scale_and_base(unit: str, scale: Decimal, base: str) -> None:
    assert split_unit(unit) == (scale, base)


@pytest.mark.parametrize("unit", ["个", "所", "户", "家", "条", "列", "名", "套", "吨", "人", "人次", "千瓦", "公顷"])
def test_plain_units_are_their_own_base(unit: str) -> None:
    assert split_unit(unit) == (D(1), unit)


def test_kilowatt_is_not_read_as_a_thousand_watts() -> None:
    # 千瓦 is a base unit: its 千 must never turn into a scale of 1000.
    assert split_unit("千瓦") == (D(1), "千瓦")
    assert split_unit("万千瓦") == (D(10_000), "千瓦")


def test_the_ratio_base_unit_is_accepted_so_ratios_convert_to_percent() -> None:
    assert split_unit("") == (D(1), "")


@pytest.mark.parametrize("unit", ["米", "万米", "千人", "斤", "万", "人民币", "%%"])
def test_an_unknown_unit_is_refused_in_chinese(unit: str) -> None:
    with pytest.raises(ValueError, match="无法识别的计量单位"):
        split_unit(unit)


@pytest.mark.parametrize(
    ("unit", "entry"),
    [
        ("亿元", "万元"),  # money is reported in 万元, as finance bureaus do
        ("万元", "万元"),
        ("元", "万元"),
        ("%", "%"),
        ("", "%"),
        ("万人", "人"),  # a district types 1523 people, not 0.1523万人
        ("万人次", "人次"),
        ("万吨", "吨"),
        ("万千瓦", "千瓦"),
        ("所", "所"),
    ],
)
def test_clerks_type_figures_in_a_practical_unit(unit: str, entry: str) -> None:
    assert entry_unit_for(unit) == entry


def test_the_city_target_of_1_4_wan_people_is_14000_people() -> None:
    result = convert(D("1.4"), "万人", "人")
    assert result == 14000
    assert str(result) == "14000"  # stored and shown as written, not 1.4E+4 or 14000.0


def test_money_converts_exactly_between_yi_wan_and_yuan() -> None:
    assert convert(D("8.5"), "亿元", "万元") == D(85_000)
    assert convert(D("10371"), "万元", "元") == D(103_710_000)
    assert convert(D("1"), "元", "万元") == D("0.0001")
    assert convert(D("0.1"), "万元", "亿元") == D("0.00001")


def test_percent_and_ratio_convert_both_ways() -> None:
    assert convert(D("12.5"), "%", "") == D("0.125")
    assert convert(D("0.125"), "", "%") == D("12.5")
    assert str(convert(D("50"), "%", "")) == "0.5"


def test_conversion_keeps_every_digit_of_large_figures() -> None:
    assert convert(D("123456789012345678.1234"), "亿元", "元") == D("12345678901234567812340000")


def test_units_of_different_kinds_do_not_convert() -> None:
    with pytest.raises(ValueError, match="不是同一类计量单位"):
        convert(D(1), "万人", "万元")
    with pytest.raises(ValueError, match="不是同一类计量单位"):
        convert(D(1), "%", "个")


def test_trailing_zeros_are_stripped_without_exponent_form() -> None:
    assert str(strip_trailing_zeros(D("14000.0"))) == "14000"
    assert str(strip_trailing_zeros(D("1.40"))) == "1.4"
    assert str(strip_trailing_zeros(D("-0.00"))) == "0"
    assert str(strip_trailing_zeros(D("1E+4"))) == "10000"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D(14000), "14,000"),
        (D("1.40"), "1.4"),
        (D(0), "0"),
        (D("-0.0"), "0"),
        (0, "0"),
        (D("1523"), "1,523"),
        (D("10371.5"), "10,371.5"),
        (D("-1234.5"), "-1,234.5"),
        (D("0.12345"), "0.1235"),  # half-up at the 4th decimal
        (D("0.00004"), "0"),
        (D("1E+4"), "10,000"),
        (D("1e15"), "1,000,000,000,000,000"),
        (D("0.1") + D("0.2"), "0.3"),
    ],
)
def test_numbers_read_with_thousands_separators_and_no_noise(value: Decimal, text: str) -> None:
    assert format_number(value) == text


def test_format_number_can_round_to_fewer_decimals() -> None:
    assert format_number(D("2.25"), max_decimals=1) == "2.3"  # ROUND_HALF_UP, not banker's rounding
    assert format_number(D("2.5"), max_decimals=0) == "3"


def test_floats_are_refused_rather_than_formatted() -> None:
    with pytest.raises(TypeError):
        format_number(0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_percent(0.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ratio", "text"),
    [
        (D("0.10878"), "10.9%"),
        (D(1523) / D(14000), "10.9%"),
        (D("0.1085"), "10.9%"),  # half-up: 10.85 → 10.9
        (D("0.75"), "75.0%"),
        (D(1), "100.0%"),
        (D("1.2"), "120.0%"),  # over-achievement is shown, not capped
        (D(0), "0.0%"),
        (D("-0.0001"), "0.0%"),  # no "-0.0%"
        (D(12), "1,200.0%"),
        (None, ""),
    ],
)
def test_rates_read_as_percentages(ratio: Decimal | None, text: str) -> None:
    assert format_percent(ratio) == text


def test_percent_decimals_are_configurable() -> None:
    assert format_percent(D("0.123456"), decimals=2) == "12.35%"
    assert format_percent(D("0.5"), decimals=0) == "50%"
