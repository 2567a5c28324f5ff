"""What a clerk types into a figure cell: a number, a blank, or 不适用 — and what gets refused."""
from decimal import Decimal

import pytest

from liubao_desktop.domain.figures import (
    BLANK,
    MAX_FIGURE_TEXT,
    NOT_APPLICABLE,
    NUMBER_HINT,
    FigureInputError,
    FigureValue,
    check_narrative,
    figure_text,
    parse_figure_input,
    quote_input,
)

D = Decimal


def test_blank_zero_and_not_applicable_are_three_different_answers() -> None:
    zero = FigureValue.of(D(0))
    assert BLANK.is_blank and not BLANK.is_number and not BLANK.not_applicable
    assert zero.is_number and not zero.is_blank and not zero.not_applicable
    assert NOT_APPLICABLE.not_applicable and not NOT_APPLICABLE.is_blank and not NOT_APPLICABLE.is_number
    assert len({BLANK, zero, NOT_APPLICABLE}) == 3
    assert [figure_text(None, v) for v in (BLANK, zero, NOT_APPLICABLE)] == ["", "0", "不适用"]


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
    assert figure_text(None, FigureValue.of(D("14000.50"))) == "14,000.5"


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


# -- only the digits a clerk can see on the keyboard ---------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "odd"),
    [
        ("1²", "²"),  # a superscript slipped in from Word: once silently saved as 12
        ("⑩", "⑩"),  # circled numbers from a numbered list
        ("①②", "①"),
        ("٣٤٥", "٣"),  # Arabic-Indic digits
        ("१२", "१"),  # Devanagari
        ("5₃", "₃"),  # subscript
        ("½", "½"),
        ("Ⅻ", "Ⅻ"),  # Roman numeral
        ("〇", "〇"),
        ("𝟏𝟓", "𝟏"),  # mathematical bold digits
        ("１５²", "²"),
    ],
)
def test_a_digit_that_is_not_0_to_9_is_refused_and_named(typed: str, odd: str) -> None:
    with pytest.raises(FigureInputError) as err:
        parse_figure_input(typed, unit="人")
    assert str(err.value) == f"“{typed}”中的“{odd}”不是普通数字，请只用 0–9 输入数字。"


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("１，５２３", D(1523)),
        ("1，523。5", D("1523.5")),
        ("－１２", D(-12)),  # full-width minus
        ("\u221212", D(-12)),  # the minus sign Word puts in
        ("＋３", D(3)),
    ],
)
def test_full_width_figures_still_read_as_typed(typed: str, number: Decimal) -> None:
    assert parse_figure_input(typed, allow_negative=True) == FigureValue.of(number)


@pytest.mark.parametrize(
    ("typed", "unit", "number"),
    [
        ("1.5万", "人", D(15000)),  # a district writes 1.5万 for 15,000 people
        ("1.5 万", "人", D(15000)),
        ("２万", "个", D(20000)),
        ("1,200万", "吨", D(12_000_000)),
        ("0.3亿", "千瓦", D(30_000_000)),
        ("1.5亿", "万元", D(15000)),  # money typed in 万元: 1.5亿元 = 15,000万元
        ("1.2345万", "人", D(12345)),
    ],
)
def test_wan_and_yi_multiply_where_the_unit_allows_them(typed: str, unit: str, number: Decimal) -> None:
    assert parse_figure_input(typed, unit=unit) == FigureValue.of(number)


@pytest.mark.parametrize(
    ("typed", "unit", "says"),
    [
        ("5万", "%", "按%填报，数字后不能加“万”"),  # a rate is never 万 of anything
        ("1亿", "%", "不能加“亿”"),
        ("5万", "万元", "按万元填报，数字后不能加“万”"),  # 5万 万元 is almost surely 5万元 mistyped
    ],
)
def test_wan_and_yi_are_refused_where_they_cannot_be_meant(typed: str, unit: str, says: str) -> None:
    with pytest.raises(FigureInputError, match=says):
        parse_figure_input(typed, unit=unit)


def test_without_a_unit_wan_is_not_a_number() -> None:
    with pytest.raises(FigureInputError, match="不是数字"):
        parse_figure_input("1.5万")


def test_wan_is_not_a_percent_and_a_percent_is_not_wan() -> None:
    with pytest.raises(FigureInputError, match="不是数字"):
        parse_figure_input("5万%", unit="人")
    with pytest.raises(FigureInputError, match="不是数字"):
        parse_figure_input("万", unit="人")


@pytest.mark.parametrize("typed", ["1.000000000000000000000000000001", "1.00000000000000000000000000001万"])
def test_a_long_tail_of_decimals_is_refused_not_rounded_away(typed: str) -> None:
    with pytest.raises(FigureInputError, match="小数位数过多"):
        parse_figure_input(typed, unit="人")


def test_wan_counts_towards_the_size_limit() -> None:
    with pytest.raises(FigureInputError, match="数值过大"):
        parse_figure_input("2亿", unit="人", max_value=D(100_000_000))


# -- a refusal quotes the typing, but never all of it -------------------------------------------------------
def test_quoted_input_is_cut_at_40_characters() -> None:
    assert quote_input("1523") == "1523"
    assert quote_input("字" * 40) == "字" * 40
    assert quote_input("字" * 41) == "字" * 40 + "…"
    assert quote_input("1\n2\u202e3") == "1�2�3"  # a line break or a right-to-left override would garble the message


@pytest.mark.parametrize("typed", ["1" * 10_000, "x" * 10_000, "1,000" * 2_000, "1²" * 5_000, "1e" + "5" * 9_999])
def test_a_10000_character_entry_is_refused_with_a_short_message(typed: str) -> None:
    with pytest.raises(FigureInputError) as err:
        parse_figure_input(typed)
    assert len(str(err.value)) < 120
    assert typed[:40] + "…" in str(err.value)


def test_a_figure_is_at_most_32_characters() -> None:
    assert MAX_FIGURE_TEXT == 32
    assert parse_figure_input("1,000,000,000,000,000.0000") == FigureValue.of(D("1e15"))  # the longest sensible one
    assert parse_figure_input("  " + "0" * 31 + "1  ") == FigureValue.of(D(1))  # spaces around do not count
    with pytest.raises(FigureInputError, match="最多 32 个字符"):
        parse_figure_input("0" * 32 + "1")
