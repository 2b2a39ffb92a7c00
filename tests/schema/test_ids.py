"""The id grammar (schema/ids.py): the parts of an id a planner writes and the merge reads."""

from __future__ import annotations

import pytest

from missionplan.schema.ids import (
    added_by,
    added_item_id,
    is_framework_item_id,
    listed_ids,
    looks_like_item_id,
    objective_of,
    output_of,
)


@pytest.mark.parametrize(
    ("item_id", "component"),
    [
        ("3.1-PAD-01", "PAD"),
        ("3.1-DSRSG-RCHC-01", "DSRSG-RCHC"),  # a code with a hyphen
        ("3.1-A2", ""),  # a framework item: nobody added it
        ("3.1-BS1", ""),
        ("3.1-pad-01", ""),  # codes are capitals
        ("notes", ""),
    ],
)
def test_added_by_is_the_component_code_in_an_added_items_id(item_id: str, component: str) -> None:
    assert added_by(item_id) == component


def test_an_added_id_round_trips() -> None:
    item_id = added_item_id("6.4", "UNPOL", 3)
    assert item_id == "6.4-UNPOL-03"
    assert (added_by(item_id), output_of(item_id), objective_of(output_of(item_id))) == (
        "UNPOL",
        "6.4",
        "6",
    )
    assert looks_like_item_id(item_id) and not is_framework_item_id(item_id)


@pytest.mark.parametrize(
    "item_id", ["3.1-A2", "3.1-BS1", "3.1-BM12", "3.1-BL1", "3.1-R4", "3.1-C1"]
)
def test_framework_item_ids(item_id: str) -> None:
    assert is_framework_item_id(item_id) and looks_like_item_id(item_id)


@pytest.mark.parametrize("text", ["3.1-B1", "3.1-A", "3-A1", "A1", "3.1-A1 ", "3.1"])
def test_not_framework_item_ids(text: str) -> None:
    assert not is_framework_item_id(text)


@pytest.mark.parametrize(
    ("cell", "ids"),
    [
        ("3.1-A1, 3.1-PAD-02", ["3.1-A1", "3.1-PAD-02"]),
        ("3.1-A1;3.1-A2\n3.1-A3  3.1-A4", ["3.1-A1", "3.1-A2", "3.1-A3", "3.1-A4"]),
        (" , ", []),
        ("", []),
        (None, []),
    ],
)
def test_listed_ids(cell: object, ids: list[str]) -> None:
    assert listed_ids(cell) == ids
