"""What a clerk types into a figure cell: a number, a blank, or 不适用 — and what gets refused."""
from decimal import Decimal

import pytest

from liubao_desktop.domain.figures import (
    BLANK,
    NOT_APPLICABLE,
    NUMBER_HINT,
    FigureInputError,
    FigureValue,
    check_narrative,
    format_figure,
    parse_figure_input,
)

D = Decimal


def test_blank_zero_and_not_applicable_are_three_different_answers() -> None:
    zero = FigureValue.of(D(0))
    assert BLANK.is_blank and not BLANK.is_number and not BLANK.not_applicable
    assert zero.is_number and not zero.is_blank and not zero.not_applicable
    assert NOT_APPLICABLE.not_applicable and not NOT_APPLICABLE.is_blank and not NOT_APPLICABLE.is_number
    assert len({BLANK, zero, NOT_APPLICABLE}) == 3
    assert [format_figure(v) for v in (BLANK, zero, NOT_APPLICABLE)] == ["", "0", "不适用"]


def test_a_figure_cannot_be_both_a_number_and_not_applicable() -> None:
    with pytest.raises(ValueError):
        FigureValue(D(1), True)


def test_figures_never_hold_floats_or_nan() -> None:
    with pytest.raises(TypeError):
        FigureValue.of(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        FigureValue(D("NaN"))
    assert FigureValue.of(3).number == D(3)


def test_a_figure_reads_with_separators() -> None:
    assert format_figure(FigureValue.of(D("14000.50"))) == "14,000.5"


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1523", D(1523)),
        (" 1,523 ", D(1523)),
        ("１５２３", D(1523)),  # full-width digits from a Chinese input method
        ("１，５２３．５", D("1523.5")),  # full-width comma and period
        ("1。5", D("1.5")),  # the IME's "." is "。"
        ("0", D(0)),
        ("0.0", D(0)),
        ("12.5%", D("12.5")),  # only the % sign is dropped; the caller knows the unit
        ("12.5％", D("12.5")),
        ("85 %", D(85)),
        ("1,234,567.25", D("1234567.25")),
        ("1.50000", D("1.5")),  # trailing zeros are not extra decimals
        (".5", D("0.5")),
        ("5.", D(5)),
        ("+7", D(7)),
        ("\u30001523\u3000", D(1523)),  # ideographic spaces around the number
    ],
)
def test_numbers_as_clerks_type_them(typed: str, number: Decimal) -> None:
    value = parse_figure_input(typed)
    assert value == FigureValue.of(number)
    assert str(value.number) == str(number)


@pytest.mark.parametrize("typed", ["不适用", "/", "／", "无需填报", "不涉及", " 不适用 "])
def test_not_applicable_words(typed: str) -> None:
    assert parse_figure_input(typed) is NOT_APPLICABLE


@pytest.mark.parametrize("typed", ["", "   ", "\u3000"])
def test_an_empty_cell_is_blank_not_zero(typed: str) -> None:
    assert parse_figure_input(typed) is BLANK


@pytest.mark.parametrize("typed", ["一千", "abc", "1523人", "1 523", "-", "%", "1.2.3", "NaN", "nan", "Infinity", "inf", "--5"])
def test_text_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(FigureInputError) as err:
        parse_figure_input(typed)
    assert NUMBER_HINT in str(err.value)


def test_negative_figures_only_where_allowed() -> None:
    with pytest.raises(FigureInputError, match="负数"):
        parse_figure_input("-5")
    with pytest.raises(FigureInputError, match="负数"):
        parse_figure_input("－5")  # full-width minus
    assert parse_figure_input("-5", allow_negative=True) == FigureValue.of(D(-5))
    assert parse_figure_input("-1,234.5", allow_negative=True) == FigureValue.of(D("-1234.5"))
    assert parse_figure_input("-0") == FigureValue.of(D(0))  # minus zero is just zero


def test_at_most_four_decimals() -> None:
    assert parse_figure_input("0.1234") == FigureValue.of(D("0.1234"))
    with pytest.raises(FigureInputError, match="最多保留 4 位小数"):
        parse_figure_input("0.12345")
    with pytest.raises(FigureInputError, match="最多保留 2 位小数"):
        parse_figure_input("1.234", max_decimals=2)


@pytest.mark.parametrize("typed", ["1e30", "1E5", "2.5e-3", "１ｅ５"])
def test_exponent_notation_is_refused(typed: str) -> None:
    with pytest.raises(FigureInputError, match="科学计数法"):
        parse_figure_input(typed)


def test_absurdly_large_values_are_refused() -> None:
    assert parse_figure_input("1,000,000,000,000,000") == FigureValue.of(D("1e15"))
    with pytest.raises(FigureInputError, match="数值过大"):
        parse_figure_input("1000000000000001")
    with pytest.raises(FigureInputError, match="数值过大"):
        parse_figure_input("-99999999999999999999", allow_negative=True)
    with pytest.raises(FigureInputError, match="数值过大"):
        parse_figure_input("101", max_value=D(100))


@pytest.mark.parametrize("typed", ["1,5", "15,23", "1,5230", ",1523", "1523,"])
def test_misplaced_commas_are_not_silently_dropped(typed: str) -> None:
    # "1,5" is a decimal comma in many countries: reading it as 15 would be a silent tenfold error.
    with pytest.raises(FigureInputError, match="逗号位置不对"):
        parse_figure_input(typed)


def test_the_input_error_is_a_value_error() -> None:
    assert issubclass(FigureInputError, ValueError)


def test_a_narrative_is_trimmed_and_kept() -> None:
    assert check_narrative("  已开展招聘会3场。\n  ") == "已开展招聘会3场。"
    assert check_narrative("") == ""


def test_a_narrative_pasted_from_word_is_cleaned() -> None:
    pasted = "一、进展\r\n二、问题\x0b三、计划\x07"
    assert check_narrative(pasted) == "一、进展\n二、问题\n三、计划"


def test_a_too_long_narrative_is_refused_in_chinese() -> None:
    assert len(check_narrative("字" * 2000)) == 2000
    with pytest.raises(FigureInputError, match="内容过长：最多 2000 字，现有 2001 字"):
        check_narrative("字" * 2001)
    with pytest.raises(FigureInputError, match="最多 10 字"):
        check_narrative("进展" * 6, limit=10)
