"""ExpectedItem.from_fields: the reader's fast way to make an item is the class's own item."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from missionplan.schema.items import ITEM_FIELDS, ExpectedItem

TEXTS = st.text(max_size=12)


@given(st.tuples(TEXTS, TEXTS, TEXTS, TEXTS, TEXTS, TEXTS, st.booleans(), TEXTS))
def test_from_fields_is_the_item_the_class_makes(
    values: tuple[str, str, str, str, str, str, bool, str],
) -> None:
    made = ExpectedItem(*values)
    fast = ExpectedItem.from_fields(values)
    assert fast == made and hash(fast) == hash(made) and repr(fast) == repr(made)
    assert tuple(getattr(fast, name) for name in ITEM_FIELDS) == values
    assert dataclasses.astuple(fast) == values
    assert fast.added == made.added
    assert pickle.loads(pickle.dumps(fast)) == made


def test_an_item_from_fields_is_frozen_and_takes_every_field() -> None:
    fast = ExpectedItem.from_fields(["1.1-A2", "1.1", "activity", "short", "§", "f", True, "x"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.text = "y"  # type: ignore[misc]
    with pytest.raises(ValueError):
        ExpectedItem.from_fields(["1.1-A2", "1.1"])
    assert ExpectedItem.from_fields(["x", "1.1", "", "", "added", "", True, ""]).added
