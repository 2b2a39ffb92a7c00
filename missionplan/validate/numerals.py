"""Numbers typed as text: a strict grammar, so a text reads as the number meant or not at all.

A focal point types `1,500.50`, `1 500,50` or `1'500.50` for the same amount. We read
digits with a decimal point, thousands separators (comma, space, no-break or narrow
no-break space, apostrophe) strictly in groups of three, and a decimal comma where the
comma cannot be a thousands separator (`1,5`, `1 500,50`). A text that two conventions
read as two different numbers (`1.500` is 1.5 with a decimal point, 1500 with a dot
between the thousands) is read as neither; so is anything else (`1e5`, `1_000`, `inf`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

SIGNS = "-+\u2212"  # hyphen-minus, plus, the minus sign
CURRENCY = re.compile(r"^(?:US\$|USD|\$)\s*|\s*(?:US\$|USD|\$)$", re.IGNORECASE)
"""An amount in US dollars may say so, before or after the number (budgets are in USD)."""
SPACES = " \u00a0\u2009\u202f"  # space, no-break, thin and narrow no-break space
APOSTROPHES = "'\u2019"  # the typewriter apostrophe and the one word processors put instead
POINT_GROUPS = "," + SPACES + APOSTROPHES
"""Thousands separators beside a decimal point (1,500.50  1 500.50  1'500.50)."""
COMMA_GROUPS = SPACES + APOSTROPHES
"""Thousands separators beside a decimal comma (1 500,50  1'500,50)."""


def _convention(groups: str, mark: str) -> re.Pattern[str]:
    """Digits, grouped by threes with one separator from `groups` or not at all, then decimals.

    The first group has one to three digits and does not start with 0 (`0,500` groups nothing).
    """
    separator = "[" + re.escape(groups) + "]"
    grouped = rf"[1-9][0-9]{{0,2}}(?:(?P<sep>{separator})[0-9]{{3}})(?:(?P=sep)[0-9]{{3}})*"
    decimals = rf"{re.escape(mark)}(?P<decimals>[0-9]+)"
    return re.compile(rf"(?P<whole>{grouped}|[0-9]+)?(?:{decimals})?", re.ASCII)


DECIMAL_POINT = _convention(POINT_GROUPS, ".")
DECIMAL_COMMA = _convention(COMMA_GROUPS, ",")
DOT_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+", re.ASCII)
"""Not accepted, only looked for: where a dot groups thousands, `1.500` means 1500, not 1.5."""


@dataclass(frozen=True)
class Numeral:
    """A text read as a number: the number (None when not read) and how it was read."""

    number: float | None
    decimal_comma: bool = False
    """The comma was read as the decimal mark (`1 500,50` is 1500.5)."""
    readings: tuple[float, ...] = ()
    """When not read because the text is ambiguous: the numbers it can mean."""


def read_numeral(text: str) -> Numeral:
    """The number a text means, by the grammar above; Numeral(None) when it means none for sure."""
    body, negative = _unsigned(text.strip())
    point = _number(DECIMAL_POINT, body)
    if point is not None:
        dotted = float(body.replace(".", "")) if DOT_THOUSANDS.fullmatch(body) else point
        if dotted != point:
            return Numeral(None, readings=(_signed(point, negative), _signed(dotted, negative)))
        return _finite(_signed(point, negative), decimal_comma=False)
    comma = _number(DECIMAL_COMMA, body)
    if comma is not None:
        return _finite(_signed(comma, negative), decimal_comma=True)
    return Numeral(None)


def _unsigned(text: str) -> tuple[str, bool]:
    """The digits of an amount without its sign and currency (one of each at most), and its sign.

    The sign stands right before the digits or before the currency: -500, -$500, $-500, -500 USD.
    """
    sign, text = _sign(text)
    text = CURRENCY.sub("", text, count=1)
    if not sign:
        sign, text = _sign(text)
    return text, sign in ("-", "\u2212")


def _sign(text: str) -> tuple[str, str]:
    return (text[0], text[1:]) if text[:1] and text[0] in SIGNS else ("", text)


def _number(convention: re.Pattern[str], text: str) -> float | None:
    """The number `text` is in one convention, or None when it is not written in it."""
    match = convention.fullmatch(text)
    if match is None or match.group("whole", "decimals") == (None, None):
        return None
    whole = match.group("whole") or "0"
    separator = match.group("sep")
    digits = whole.replace(separator, "") if separator else whole
    decimals = match.group("decimals")
    return float(f"{digits}.{decimals}" if decimals else digits)


def _signed(number: float, negative: bool) -> float:
    return -number if negative and number else number  # -0 is 0


def _finite(number: float, decimal_comma: bool) -> Numeral:
    """Too many digits for a number a spreadsheet can hold is not a number."""
    return Numeral(number, decimal_comma) if math.isfinite(number) else Numeral(None)


def shown(number: float) -> str:
    """A number as a message shows it: every digit, a point before decimals, no exponent."""
    if number.is_integer():
        return str(int(number))
    return format(Decimal(repr(number)), "f")
