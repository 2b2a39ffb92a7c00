"""The keyed diff, without files: by id, not position; planted changes found exactly."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from missionplan.diff.rules import (
    Diff,
    FieldChange,
    ItemChange,
    diff_items,
    natural_key,
    same_value,
)
from missionplan.schema.items import SubmittedItem

FIELDS = ("text", "budget", "start", "comments")


def item(item_id: str, output_id: str = "5.5", row: int = 2, **values: object) -> SubmittedItem:
    return SubmittedItem(
        item_id=item_id,
        output_id=output_id,
        item_type="activity",
        sheet="5 Rule of Law",
        row=row,
        editable=True,
        added=False,
        values=tuple((key, values.get(key)) for key in ("output_id", "item_id", *FIELDS)),
    )


def test_one_changed_field_is_one_change_with_old_and_new() -> None:
    old = [item("5.5-A1", budget=1500), item("5.5-A2", text="Train")]
    new = [item("5.5-A1", budget=2000), item("5.5-A2", text="Train")]
    assert diff_items(old, new) == (
        ItemChange("5.5-A1", "5.5", "changed", "5 Rule of Law", 2, None,
                   (FieldChange("budget", 1500, 2000),)),
    )  # fmt: skip


def test_added_removed_and_moved() -> None:
    old = [item("5.5-A1"), item("5.5-A2", output_id="4.5")]
    new = [item("5.5-A2", output_id="5.5"), item("5.5-UNPOL-01", row=9)]
    changes = {(c.item_id, c.kind, c.moved_from) for c in diff_items(old, new)}
    assert changes == {
        ("5.5-A1", "removed", None),
        ("5.5-A2", "changed", "4.5"),
        ("5.5-UNPOL-01", "added", None),
    }


def test_values_are_compared_as_typed() -> None:
    assert same_value(1500, 1500.0)
    assert same_value("", None)
    assert same_value(" Train ", "Train")
    assert same_value(dt.datetime(2027, 1, 1), dt.date(2027, 1, 1))
    assert not same_value(1500, 1501)
    assert not same_value("1500", 1500)  # text that did not read as a number stays text


def test_position_is_not_a_change() -> None:
    old = [item("5.5-A1", row=3, budget=1), item("5.5-A2", row=4)]
    new = [item("5.5-A2", row=3), item("5.5-A1", row=9, budget=1.0)]
    assert diff_items(old, new) == ()


def test_changes_are_sorted_by_output_then_id_naturally() -> None:
    new = [
        item(i, output_id=o)
        for o, i in (("4.10", "4.10-A1"), ("4.2", "4.2-A10"), ("4.2", "4.2-A2"))
    ]
    assert [c.item_id for c in diff_items([], new)] == ["4.2-A2", "4.2-A10", "4.10-A1"]
    assert natural_key("5.5-A2") < natural_key("5.5-A10")


def test_text_groups_by_output_and_json_counts() -> None:
    old = [item("5.5-A1", budget=1500), item("4.5-A1", output_id="4.5")]
    new = [item("5.5-A1", budget=2000, comments="new"), item("5.5-UNPOL-01")]
    found = Diff("a.xlsx", "b.xlsx", diff_items(old, new))
    assert found.exit_code == 1
    assert found.text().splitlines() == [
        "a.xlsx -> b.xlsx: 3 items (1 added, 1 removed, 1 changed)",
        "Output 4.5",
        "  - 4.5-A1 removed (was 5 Rule of Law, row 2)",
        "Output 5.5",
        "  ~ 5.5-A1 Budget (USD): 1500 -> 2000",
        '  ~ 5.5-A1 Comments: (empty) -> "new"',
        "  + 5.5-UNPOL-01 added (5 Rule of Law, row 2)",
    ]
    data = found.as_data()
    assert data["totals"] == {"added": 1, "removed": 1, "moved": 0, "changed": 1}
    assert data["changes"][1]["fields"][0] == {
        "key": "budget", "column": "Budget (USD)", "old": 1500, "new": 2000
    }  # fmt: skip


def test_no_changes() -> None:
    same = [item("5.5-A1", budget=1)]
    found = Diff("a.xlsx", "a.xlsx", diff_items(same, same))
    assert found.exit_code == 0 and found.text() == "a.xlsx -> a.xlsx: no changes"
    assert found.as_data()["changes"] == []


# --- properties --------------------------------------------------------------------------------

VALUES = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.text(alphabet="abc xyz", min_size=1, max_size=8).map(lambda s: s.strip() or "x"),
    st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)),
)
OUTPUTS = ("3.1", "4.3", "4.5", "5.5")


@st.composite
def tables(draw: st.DrawFn) -> list[SubmittedItem]:
    ids = draw(st.lists(st.integers(1, 60), unique=True, max_size=25))
    return [
        item(
            f"X-A{n}",
            output_id=draw(st.sampled_from(OUTPUTS)),
            row=row,
            **{key: draw(VALUES) for key in FIELDS},
        )
        for row, n in enumerate(ids, start=2)
    ]


@given(tables())
def test_a_table_against_itself_is_no_change(table: list[SubmittedItem]) -> None:
    assert diff_items(table, table) == ()


@given(tables(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(table: list[SubmittedItem], rng: object) -> None:
    shuffled = list(table)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert diff_items(table, shuffled) == ()
    other = [item(f"Y-{n}") for n in range(3)] + table[: len(table) // 2]
    assert diff_items(other, table) == diff_items(list(reversed(other)), shuffled)


def _with(base: SubmittedItem, output_id: str, changed: dict[str, object]) -> SubmittedItem:
    return SubmittedItem(
        base.item_id, output_id, base.item_type, base.sheet, base.row + 100, base.editable,
        base.added, tuple((k, changed.get(k, v)) for k, v in base.values),
    )  # fmt: skip


@given(tables(), st.data())
def test_the_diff_reports_exactly_the_planted_changes(
    table: list[SubmittedItem], data: st.DataObject
) -> None:
    removed = {i.item_id for i in table if data.draw(st.booleans())} if table else set()
    planted_fields: dict[str, dict[str, tuple[object, object]]] = {}
    planted_moves: dict[str, str] = {}
    new: list[SubmittedItem] = []
    for old in table:
        if old.item_id in removed:
            continue
        changed: dict[str, object] = {}
        for key in data.draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=2)):
            was = old.value(key)
            value = data.draw(VALUES.filter(lambda v, was=was: not same_value(v, was)))
            changed[key] = value
            planted_fields.setdefault(old.item_id, {})[key] = (was, value)
        output = old.output_id
        if data.draw(st.booleans()):
            output = data.draw(st.sampled_from([o for o in OUTPUTS if o != old.output_id]))
            planted_moves[old.item_id] = old.output_id
        new.append(_with(old, output, changed))
    added = [f"X-NEW{n}" for n in range(data.draw(st.integers(0, 3)))]
    new.extend(item(i, row=200) for i in added)
    new = data.draw(st.permutations(new))

    changes = diff_items(table, new)
    assert {c.item_id for c in changes if c.kind == "removed"} == removed
    assert {c.item_id for c in changes if c.kind == "added"} == set(added)
    assert {c.item_id: c.moved_from for c in changes if c.moved_from} == planted_moves
    assert {
        c.item_id: {f.key: (f.old, f.new) for f in c.fields} for c in changes if c.fields
    } == planted_fields
