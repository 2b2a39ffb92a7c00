"""The number grammar (validate/numerals.py): a text reads as the number a person meant, or not.

The examples are the README's table, checked both ways (documented there, read so here).
The properties: a number written in every accepted way reads back as itself; written in
any convention at all (dots between thousands, lakhs, ...) it reads as itself or not at
all; and on any text the grammar agrees with a second reading of the README's rule,
written as splitting, not as a regular expression.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from missionplan.validate.numerals import (
    COMMA_GROUPS,
    POINT_GROUPS,
    Numeral,
    read_numeral,
    shown,
)

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")

READ = [
    # (text, number, decimal comma)
    ("1500", 1500.0, False),
    ("1500.50", 1500.5, False),
    (".5", 0.5, False),
    ("1,500", 1500.0, False),
    ("1,500.50", 1500.5, False),
    ("1 500.50", 1500.5, False),
    ("1'500.50", 1500.5, False),
    ("1,5", 1.5, True),
    ("1 500,50", 1500.5, True),
    ("1'500,50", 1500.5, True),
    ("0,500", 0.5, True),
    ("-500", -500.0, False),
    ("\u2212500", -500.0, False),
    ("+5", 5.0, False),
    ("USD 1,500", 1500.0, False),
    ("US$ 1,500", 1500.0, False),
    ("$1,500", 1500.0, False),
    ("1500 USD", 1500.0, False),
]
TWO_WAYS = [("1.500", (1.5, 1500.0)), ("12.345", (12.345, 12345.0))]
NOT_READ = [
    "1,50,000", "15 00", "1,500 000", "1,500,50", "1.500,50", "1.500.000",
    "1e5", "1_000", "inf", "nan", "5.", "about 3000",
]  # fmt: skip
"""The README's examples, each in its table."""


@pytest.mark.parametrize(("text", "number", "comma"), READ)
def test_the_documented_forms_read_as_documented(text: str, number: float, comma: bool) -> None:
    assert f"`{text}`" in README
    assert read_numeral(text) == Numeral(number, decimal_comma=comma)


@pytest.mark.parametrize(("text", "readings"), TWO_WAYS)
def test_the_documented_ambiguous_forms_are_not_read(
    text: str, readings: tuple[float, float]
) -> None:
    assert f"`{text}`" in README
    assert read_numeral(text) == Numeral(None, readings=readings)


def test_a_negative_amount_that_reads_two_ways_names_both_negative_readings() -> None:
    assert read_numeral("-1.500") == Numeral(None, readings=(-1.5, -1500.0))


@pytest.mark.parametrize("text", NOT_READ)
def test_the_documented_unreadable_forms_are_not_read(text: str) -> None:
    assert f"`{text}`" in README
    assert read_numeral(text) == Numeral(None)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1\u00a0500,50", 1500.5),  # no-break space, as Excel and Word put between thousands
        ("1\u202f500,50", 1500.5),  # narrow no-break space, French typography
        ("1\u2009500", 1500.0),  # thin space
        ("1\u2019500.50", 1500.5),  # the apostrophe a word processor puts for '
        ("1 500 000,25", 1_500_000.25),
        ("1234,567", 1234.567),  # four digits before it: the comma cannot group thousands
        ("0.500", 0.5),  # a first group of 0 groups nothing: a decimal point
        ("1234.567", 1234.567),
        ("  1 500  ", 1500.0),
        ("-$500", -500.0),
        ("$-500", -500.0),
        ("-0", 0.0),
    ],
)
def test_more_accepted_forms(text: str, number: float) -> None:
    read = read_numeral(text)
    assert read.number == number and math.copysign(1, read.number) == math.copysign(1, number)


@pytest.mark.parametrize(
    "text",
    ["", " ", "-", "+", "$", "- 5", "+-5", "--5", "USD 5 USD", "1,,500", "1 500.000,5",
     "1.5.0", ",", ".", "1,500.", "(500)", "5%", "9" * 400, "1 500 ,5"],
)  # fmt: skip
def test_more_refused_forms(text: str) -> None:
    assert read_numeral(text).number is None


@pytest.mark.parametrize(
    ("number", "text"),
    [(1500.0, "1500"), (1500.5, "1500.5"), (1234567.25, "1234567.25"), (0.1, "0.1"),
     (1e22, "10000000000000000000000"), (1e-7, "0.0000001"), (-2.5, "-2.5")],
)  # fmt: skip
def test_a_number_is_shown_with_every_digit_and_no_exponent(number: float, text: str) -> None:
    assert shown(number) == text


# --- properties ----------------------------------------------------------------------------

WHOLE = st.integers(min_value=0, max_value=10**15)
DECIMALS = st.text(alphabet="0123456789", max_size=4)


def grouped(whole: int, separator: str, size: int = 3) -> str:
    """The whole number with `separator` between its groups: threes, or lakhs (3, then 2s)."""
    digits = str(whole)
    if not separator:
        return digits
    groups, rest = [digits[-3:]], digits[:-3]
    while rest:
        groups.insert(0, rest[-size:])
        rest = rest[:-size]
    return separator.join(groups)


def meant(whole: int, decimals: str) -> float:
    return float(f"{whole}.{decimals}" if decimals else str(whole))


def reads_two_ways(whole: int, decimals: str) -> bool:
    """1.500: a first group of 1 to 3 digits, not 0, and three decimals (the README's rule)."""
    return 1 <= whole <= 999 and len(decimals) == 3


@given(WHOLE, DECIMALS, st.sampled_from(["", *POINT_GROUPS]))
@example(1, "500", "")
@example(1500, "5", ",")
def test_with_a_decimal_point_every_number_reads_back(
    whole: int, decimals: str, separator: str
) -> None:
    text = grouped(whole, separator) + (f".{decimals}" if decimals else "")
    read = read_numeral(text)
    if reads_two_ways(whole, decimals):
        thousands = meant(whole * 1000 + int(decimals), "")
        assert read == Numeral(None, readings=(meant(whole, decimals), thousands)), text
    else:
        assert read == Numeral(meant(whole, decimals)), text


@given(WHOLE, DECIMALS.filter(bool), st.sampled_from(["", *COMMA_GROUPS]))
@example(1500, "50", " ")
@example(1, "500", "")
def test_with_a_decimal_comma_every_number_reads_back(
    whole: int, decimals: str, separator: str
) -> None:
    text = f"{grouped(whole, separator)},{decimals}"
    read = read_numeral(text)
    if reads_two_ways(whole, decimals):
        # the one documented exception: a comma before three digits separates thousands
        assert read == Numeral(meant(whole * 1000 + int(decimals), "")), text
    else:
        assert read == Numeral(meant(whole, decimals), decimal_comma=True), text


@given(
    WHOLE,
    DECIMALS,
    st.sampled_from([",", ".", " ", "'", "\u00a0", "\u202f", ""]),
    st.sampled_from([".", ","]),
    st.sampled_from([3, 2]),
    st.sampled_from(["", "-", "USD ", "$"]),
)
@example(1500, "50", ".", ",", 3, "")  # 1.500,50
@example(150000, "", ",", ".", 2, "")  # 1,50,000
def test_in_any_convention_a_number_reads_as_itself_or_not_at_all(
    whole: int, decimals: str, separator: str, mark: str, size: int, before: str
) -> None:
    """Never a different number: dots between thousands, lakhs, anything a person writes."""
    if separator == mark:
        return
    text = before + grouped(whole, separator, size) + (f"{mark}{decimals}" if decimals else "")
    read = read_numeral(text)
    number = -meant(whole, decimals) if before == "-" else meant(whole, decimals)
    if mark == "," and reads_two_ways(whole, decimals):
        return  # "1,500": the documented exception (see above)
    assert read.number is None or read.number == number, (text, read)


def by_splitting(text: str) -> float | None:
    """The README's rule, read again by splitting the text (no regular expressions)."""
    body = text.strip()
    negative = body[:1] == "-"
    body = body[1:] if negative else body
    digits: str | None
    if "." in body:
        whole, _, decimals = body.partition(".")
        digits = _with_decimals(whole, decimals, POINT_GROUPS)
        if _thousands(body, ".") is not None:
            digits = None  # 1.500: two ways
    elif _thousands(body, ",") is not None:
        digits = _thousands(body, ",")
    elif "," in body:
        whole, _, decimals = body.partition(",")
        digits = _with_decimals(whole, decimals, COMMA_GROUPS)
    else:
        digits = _whole(body, COMMA_GROUPS)
    if digits is None or not math.isfinite(float(digits)):
        return None
    number = float(digits)
    return -number if negative and number else number


def _with_decimals(whole: str, decimals: str, separators: str) -> str | None:
    if not (decimals.isascii() and decimals.isdigit()):
        return None
    digits = _whole(whole, separators) if whole else "0"
    return None if digits is None else f"{digits}.{decimals}"


def _whole(whole: str, separators: str) -> str | None:
    """Digits, or digits grouped by threes with one separator of `separators`."""
    if whole.isascii() and whole.isdigit():
        return whole
    used = {c for c in whole if not c.isdigit()}
    if len(used) != 1 or not used <= set(separators):
        return None
    return _thousands(whole, used.pop())


def _thousands(whole: str, separator: str) -> str | None:
    first, *rest = whole.split(separator)
    if not rest or not (1 <= len(first) <= 3 and first.isdigit() and first[0] != "0"):
        return None
    if not all(len(group) == 3 and group.isdigit() for group in rest):
        return None
    return "".join([first, *rest])


NUMERAL_TEXT = st.text(alphabet="0123456789.,- '\u00a0\u202f\u2019x", max_size=14)


@given(NUMERAL_TEXT)
@example("1,500")
@example("1.500")
@example("1 500,50")
@example("0,500")
@example("1'500.5")
@example("-,5")
def test_the_grammar_agrees_with_the_rule_read_by_splitting(text: str) -> None:
    read = read_numeral(text)
    assert read.number == by_splitting(text), text


@given(st.text(max_size=30))
def test_any_text_reads_as_a_finite_number_or_none(text: str) -> None:
    read = read_numeral(text)
    assert read.number is None or math.isfinite(read.number)
    assert read.number is None or not read.readings
