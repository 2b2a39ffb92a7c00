"""The report reads a finding's cell as column letters and a row: the quick way for plain
references must agree with the general rule (letters = all but digits, row = the digits)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from missionplan.validate.report import _column_and_row


def general(cell: str) -> tuple[str, int]:
    digits = re.sub(r"\D", "", cell)
    return re.sub(r"\d", "", cell), int(digits) if digits else 0


@pytest.mark.parametrize(
    "cell", ["M9", "AB1048576", "a7", "", "M", "9", "M9:M24", "1A2", "É5", "M٣", "M 9", "M09"]
)
def test_plain_and_odd_cells_split_as_the_general_rule_says(cell: str) -> None:
    assert _column_and_row(cell) == general(cell)


@given(st.text(max_size=8))
def test_any_text_splits_as_the_general_rule_says(cell: str) -> None:
    assert _column_and_row(cell) == general(cell)
