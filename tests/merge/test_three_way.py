"""Three-way merge: each copy against what it was issued, field by field (pure rules).

UNPOL leads 4.5 and JCS supports it (builders.SCOPE); both were issued the consolidated
values of round 1 and return round 2's workbooks.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from missionplan.merge.rules import merge
from missionplan.planning.plan import Plan
from missionplan.schema.contract import column
from missionplan.schema.findings import (
    CONFLICT_CHANGED_DIFFERENTLY,
    CONFLICT_DIFFERENT_VALUES,
)
from missionplan.schema.items import IssuedItem, SubmittedItem, issued_text
from tests.merge.builders import accepted, activity, by_id, conflicts_for, risk
from tests.merge.issued import issued_row, reissued

ITEM = "4.5-A1"
ISSUED = activity(ITEM, "UNPOL", partners="UNDP", start=dt.date(2027, 2, 1))
ROW = issued_row(ISSUED)
CHANGED = CONFLICT_CHANGED_DIFFERENTLY.code


def round_two(plan: Plan, order: dict[str, int], lead: SubmittedItem, support: SubmittedItem):  # type: ignore[no-untyped-def]
    return merge(
        [
            reissued("UNPOL", lead, issued=(ROW,)),
            reissued("JCS", support, issued=(ROW,)),
        ],
        plan,
        order,
    )


def test_unchanged_copies_keep_the_issued_values_and_provenance(
    plan: Plan, order: dict[str, int]
) -> None:
    merged = round_two(plan, order, ISSUED, ISSUED)
    kept = by_id(merged)[ITEM]
    assert dict(kept.values) == dict(ISSUED.values)
    assert not merged.conflicts
    assert kept.changed == "UNPOL, round 1"  # no one changed it: what the issued row said
    assert merged.three_way and merged.round == 2


def test_a_supporter_change_is_taken_when_the_lead_left_the_field_alone(
    plan: Plan, order: dict[str, int]
) -> None:
    revised = activity(ITEM, "UNPOL", partners="UNDP, UNICEF", start=dt.date(2027, 2, 1))
    merged = round_two(plan, order, ISSUED, revised)
    kept = by_id(merged)[ITEM]
    assert kept.value("partners") == "UNDP, UNICEF"
    assert not merged.conflicts  # in round 1 this difference was a conflict with the lead
    assert kept.changed == "JCS, round 2"
    # the same two copies without issued values: the lead's value, and a conflict
    first = merge([accepted("UNPOL", ISSUED), accepted("JCS", revised)], plan, order)
    assert by_id(first)[ITEM].value("partners") == "UNDP"
    assert [c.kind for c in first.conflicts] == [CONFLICT_DIFFERENT_VALUES.code]
    assert by_id(first)[ITEM].changed == "" and not first.three_way


def test_an_unchanged_field_is_no_conflict_when_another_component_changed_it(
    plan: Plan, order: dict[str, int]
) -> None:
    revised = activity(ITEM, "UNPOL", partners="UNDP", start=dt.date(2027, 3, 1))
    merged = round_two(plan, order, revised, ISSUED)
    assert by_id(merged)[ITEM].value("start") == dt.date(2027, 3, 1)
    assert not merged.conflicts
    assert by_id(merged)[ITEM].changed == "UNPOL, round 2"


def test_two_different_changes_conflict_showing_the_issued_value_and_both_new_ones(
    plan: Plan, order: dict[str, int]
) -> None:
    lead = activity(ITEM, "UNPOL", partners="UNDP", start=dt.date(2027, 3, 1))
    support = activity(ITEM, "UNPOL", partners="UNDP", start=dt.date(2027, 4, 1))
    merged = round_two(plan, order, lead, support)
    assert by_id(merged)[ITEM].value("start") == dt.date(2027, 3, 1)  # the owner's change
    (conflict,) = conflicts_for(merged, ITEM)
    assert conflict.kind == CHANGED and conflict.column == column("start").header
    assert (conflict.issued_value, conflict.kept_value, conflict.other_value) == (
        "2027-02-01",
        "2027-03-01",
        "2027-04-01",
    )
    assert conflict.kept_source.startswith("UNPOL") and conflict.other_source.startswith("JCS")
    assert conflict.message == (
        "Start of 4.5-A1 was issued as 2027-02-01; UNPOL changed it to 2027-03-01, JCS to "
        "2027-04-01. Kept UNPOL's change; settle it with both components."
    )
    assert by_id(merged)[ITEM].changed == "UNPOL, round 2"


def test_two_components_making_the_same_change_agree(plan: Plan, order: dict[str, int]) -> None:
    same = activity(ITEM, "UNPOL", partners="UNDP", start=dt.date(2027, 3, 1))
    merged = round_two(plan, order, same, same)
    assert not merged.conflicts
    assert by_id(merged)[ITEM].value("start") == dt.date(2027, 3, 1)
    assert by_id(merged)[ITEM].changed == "JCS; UNPOL, round 2"


def test_clearing_a_cell_is_a_change_and_clearing_against_a_new_value_conflicts(
    plan: Plan, order: dict[str, int]
) -> None:
    cleared = activity(ITEM, "UNPOL", partners=None, start=dt.date(2027, 2, 1))
    merged = round_two(plan, order, cleared, ISSUED)
    assert by_id(merged)[ITEM].value("partners") is None and not merged.conflicts
    other = activity(ITEM, "UNPOL", partners="UNICEF", start=dt.date(2027, 2, 1))
    (conflict,) = round_two(plan, order, cleared, other).conflicts
    assert (conflict.kept_value, conflict.other_value) == ("", "UNICEF")
    assert "changed it to (empty), JCS to UNICEF" in conflict.message


def test_a_non_owner_change_is_kept_over_nothing_but_loses_to_the_owner_by_column(
    plan: Plan, order: dict[str, int]
) -> None:
    lead = activity(ITEM, "UNPOL", partners="UNDP", start=dt.date(2027, 3, 1))
    support = activity(ITEM, "UNPOL", partners="UNICEF", start=dt.date(2027, 4, 1))
    merged = round_two(plan, order, lead, support)
    kept = by_id(merged)[ITEM]
    assert kept.value("partners") == "UNICEF"  # only JCS changed partners: taken
    assert [c.column for c in merged.conflicts] == [column("start").header]
    assert kept.changed == "JCS; UNPOL, round 2"


def test_an_item_new_this_round_says_who_added_it(plan: Plan, order: dict[str, int]) -> None:
    added = risk("4.5-UNPOL-R1", 2, 3, mitigation="Patrols", owner="UNPOL")
    merged = merge([reissued("UNPOL", ISSUED, added, issued=(ROW,))], plan, order)
    assert by_id(merged)["4.5-UNPOL-R1"].changed == "UNPOL, round 2"
    assert by_id(merged)["4.5-UNPOL-R1"].value("mitigation") == "Patrols"


def test_a_round_one_copy_among_round_two_states_changes_but_its_blanks_say_nothing(
    plan: Plan, order: dict[str, int]
) -> None:
    blank = activity(ITEM, "UNPOL", partners=None, start=dt.date(2027, 5, 1))
    merged = merge([reissued("UNPOL", ISSUED, issued=(ROW,)), accepted("JCS", blank)], plan, order)
    kept = by_id(merged)[ITEM]
    assert kept.value("partners") == "UNDP"  # JCS's empty cell is no change
    assert kept.value("start") == dt.date(2027, 5, 1)  # what it states is
    assert not merged.conflicts


# --- the property ----------------------------------------------------------------------------

EDITED = ("partners", "start", "budget", "mitigation")
COMPONENTS = ("UNPOL", "JCS", "MLT")
VALUES = {
    "partners": st.sampled_from(["UNDP", "UNICEF", "OHCHR", None]),
    "start": st.sampled_from([dt.date(2027, 2, 1), dt.date(2027, 6, 1), None]),
    "budget": st.sampled_from([1000.0, 2500.0, 0.0, None]),
    "mitigation": st.sampled_from(["Patrols", "Dialogue", None]),
}
ITEMS = tuple(f"4.5-A{n}" for n in range(1, 5))


@st.composite
def rounds(draw: st.DrawFn) -> tuple[dict[str, dict[str, object]], dict[str, dict]]:
    """Issued values per item, and per component the fields it changed (item, key) -> value."""
    issued = {i: {k: draw(VALUES[k]) for k in EDITED} for i in ITEMS}
    edits: dict[str, dict] = {}
    for code in COMPONENTS:
        changes = draw(st.dictionaries(st.tuples(st.sampled_from(ITEMS), st.sampled_from(EDITED)),
                                       st.none(), max_size=6))  # fmt: skip
        edits[code] = {}
        for where in changes:
            new = draw(VALUES[where[1]])
            if issued_text(new) != issued_text(issued[where[0]][where[1]]):
                edits[code][where] = new
    return issued, edits


def copy(item_id: str, values: dict[str, object]) -> SubmittedItem:
    return activity(item_id, "UNPOL", **values)


@settings(max_examples=150, deadline=None)
@given(rounds())
def test_conflicts_exactly_where_two_components_changed_a_field_differently(
    plan: Plan, order: dict[str, int], drawn: tuple[dict, dict]
) -> None:
    issued, edits = drawn
    rows = tuple(issued_row(copy(i, v), changed="UNPOL, round 1") for i, v in issued.items())
    inputs = []
    for code in COMPONENTS:
        mine = []
        for item_id, values in issued.items():
            edited = {**values, **{k: v for (i, k), v in edits[code].items() if i == item_id}}
            mine.append(copy(item_id, edited))
        inputs.append(reissued(code, *mine, issued=rows))
    merged = merge(inputs, plan, order)
    found = {(c.item_id, c.column) for c in merged.conflicts if c.kind == CHANGED}
    expected = set()
    for item_id in ITEMS:
        for key in EDITED:
            new = {issued_text(e[(item_id, key)]) for e in edits.values() if (item_id, key) in e}
            if len(new) > 1:
                expected.add((item_id, column(key).header))
    assert found == expected
    assert sorted(m.item_id for m in merged.items) == sorted(ITEMS)  # no row lost
    for kept in merged.items:
        for key in EDITED:
            changes = [e[(kept.item_id, key)] for e in edits.values() if (kept.item_id, key) in e]
            owner_change = edits["UNPOL"].get((kept.item_id, key), "unchanged")
            want = (
                issued[kept.item_id][key]
                if not changes
                else owner_change
                if owner_change != "unchanged"
                else None
            )
            if not changes or owner_change != "unchanged":
                assert issued_text(kept.value(key)) == issued_text(want)
            else:
                assert issued_text(kept.value(key)) in {issued_text(c) for c in changes}
        if not any(i == kept.item_id for e in edits.values() for i, _ in e):
            assert kept.changed == "UNPOL, round 1"


@settings(max_examples=50, deadline=None)
@given(rounds())
def test_unchanged_submissions_merge_to_the_issued_values(
    plan: Plan, order: dict[str, int], drawn: tuple[dict, dict]
) -> None:
    issued, _ = drawn
    copies = [copy(i, v) for i, v in issued.items()]
    rows: tuple[IssuedItem, ...] = tuple(issued_row(c) for c in copies)
    merged = merge([reissued(code, *copies, issued=rows) for code in COMPONENTS], plan, order)
    assert not [c for c in merged.conflicts if c.kind == CHANGED]
    for kept, row in zip(sorted(merged.items, key=lambda m: m.item_id), rows, strict=True):
        assert kept.item_id == row.item_id
        assert all(issued_text(kept.value(k)) == v for k, v in row.values)
