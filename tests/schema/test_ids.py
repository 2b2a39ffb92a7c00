"""The id grammar (schema/ids.py): the parts of an id a planner writes and the merge reads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from missionplan.schema.ids import (
    COMPONENT_CODE,
    added_by,
    added_item_id,
    is_added_id_of,
    is_framework_item_id,
    listed_ids,
    looks_like_item_id,
    next_added_ids,
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


# --- ids of rows a component inserts ---------------------------------------------------------


@pytest.mark.parametrize(
    ("item_id", "output", "code", "mine"),
    [
        ("3.1-PAD-09", "3.1", "PAD", True),
        ("3.1-PAD-100", "3.1", "PAD", True),
        ("3.1-DSRSG-RCHC-09", "3.1", "DSRSG-RCHC", True),
        ("3.1-PAD-9", "3.1", "PAD", False),  # not the written form: 9 is 09
        ("3.1-PAD-009", "3.1", "PAD", False),
        ("3.1-PAD-00", "3.1", "PAD", False),  # numbers start at 1
        ("3.2-PAD-09", "3.1", "PAD", False),  # another output's
        ("3.1-CAD-09", "3.1", "PAD", False),  # another component's
        ("3.1-PAD-09", "3.1", "PA", False),
        ("3.1-A-B-01", "3.1", "A", False),  # code A-B's, not A's
        ("3.1-pad-09", "3.1", "PAD", False),
        ("3.1-A2", "3.1", "PAD", False),
        (" 3.1-PAD-09", "3.1", "PAD", False),
    ],
)
def test_is_added_id_of(item_id: str, output: str, code: str, mine: bool) -> None:
    assert is_added_id_of(item_id, output, code) is mine


def test_next_added_ids_go_on_after_the_highest_number_per_output_in_row_order() -> None:
    taken = [
        *(added_item_id("3.1", "PAD", n) for n in range(1, 9)),  # the prepared rows
        "3.1-PAD-12",  # typed by hand
        "3.2-PAD-3",  # not the written form, but its number is taken all the same
        "3.1-CAD-40",  # another component's numbers do not count
        "3.1-A1",
        "notes",
    ]
    outputs = ["3.1", "3.2", "3.1", "4.1"]
    assert next_added_ids("PAD", outputs, taken) == (
        "3.1-PAD-13",
        "3.2-PAD-04",
        "3.1-PAD-14",
        "4.1-PAD-01",
    )
    assert next_added_ids("PAD", [], taken) == ()


def test_a_code_with_a_hyphen_counts_only_its_own_numbers() -> None:
    taken = ["3.1-A-B-07", "3.1-A-02"]
    assert next_added_ids("A", ["3.1"], taken) == ("3.1-A-03",)
    assert next_added_ids("A-B", ["3.1"], taken) == ("3.1-A-B-08",)


CODES = st.from_regex(COMPONENT_CODE, fullmatch=True)
OUTPUTS = st.sampled_from(["3.1", "3.2", "4.1", "10.12"])
TAKEN = st.lists(
    st.one_of(
        st.builds(added_item_id, OUTPUTS, CODES, st.integers(1, 150)),
        st.builds(lambda o, c, n: f"{o}-{c}-{n}", OUTPUTS, CODES, st.integers(0, 150)),
        st.text(max_size=12),
    ),
    max_size=30,
)


@given(code=CODES, other=CODES, outputs=st.lists(OUTPUTS, max_size=20), taken=TAKEN)
def test_given_ids_are_unique_new_and_only_this_components(
    code: str, other: str, outputs: list[str], taken: list[str]
) -> None:
    ids = next_added_ids(code, outputs, taken)
    assert len(ids) == len(outputs)
    assert len(set(ids)) == len(ids)
    assert not set(ids) & set(taken)
    for item_id, output in zip(ids, outputs, strict=True):
        assert is_added_id_of(item_id, output, code)
        assert (added_by(item_id), output_of(item_id)) == (code, output)
        if other != code:  # no other component's grammar reads it as its own
            assert not is_added_id_of(item_id, output, other)
            assert added_by(item_id) != other
    # the same workbook gets the same ids, and rows added after them leave them be
    assert next_added_ids(code, outputs, list(taken)) == ids
    assert next_added_ids(code, [*outputs, "3.1"], taken)[: len(ids)] == ids


@given(code=CODES, outputs=st.lists(OUTPUTS, min_size=1, max_size=10), taken=TAKEN)
def test_ids_written_in_are_kept_and_new_rows_get_others(
    code: str, outputs: list[str], taken: list[str]
) -> None:
    """A re-submission of the annotated copy: the ids given are now typed, new rows go on."""
    first = next_added_ids(code, outputs, taken)
    again = next_added_ids(code, outputs, [*taken, *first])
    assert not set(again) & set(first)
