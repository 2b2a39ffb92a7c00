"""What the contract says per item type and per column (export and `missionplan schema`)."""

from __future__ import annotations

from missionplan.schema.contract import COLUMNS, contract_as_data, required_columns


def test_the_columns_each_item_type_must_fill() -> None:
    keys = {kind: [c.key for c in required_columns(kind)] for kind in ("risk", "consideration")}
    assert keys == {
        "risk": ["output_id", "item_id", "item_type", "text", "likelihood", "impact", "owner"],
        "consideration": ["output_id", "item_id", "item_type", "text", "position"],
    }
    activity = {c.key for c in required_columns("activity")}
    assert {"lead", "start", "end", "budget", "hrddp"} <= activity
    assert not activity & {"term", "owner", "position", "support", "comments"}


def test_only_component_columns_take_their_choices_from_the_plan() -> None:
    data = contract_as_data(("AAA", "BBB"))
    columns = data["columns"]
    assert isinstance(columns, list)
    from_plan = {c["key"] for c in columns if c["choices_from"] == "plan components"}
    assert from_plan == {"lead", "support", "owner"}
    assert {c["choices_from"] for c in columns if c["key"] not in from_plan} == {None}
    by_key = {c["key"]: c for c in columns}
    assert by_key["lead"]["choices"] == ["AAA", "BBB"]
    assert by_key["priority"]["choices"] == ["high", "medium", "low"]
    assert by_key["text"]["choices"] is None
    assert len(columns) == len(COLUMNS)
