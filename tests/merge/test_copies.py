"""Which copies of an item compete in the merge, who owns an item, and where it is listed.

A copy competes when its component may edit it or when it carries values (a supporter
who typed on a locked context row is set against the lead, as validation warned). An
empty cell is empty whether the workbook held nothing or an empty text.
"""

from __future__ import annotations

import dataclasses

from missionplan.merge.rules import MergedItem, Source, merge, owner_of
from missionplan.planning.plan import Plan
from missionplan.schema.contract import INPUT_KEYS
from tests.merge.builders import HEADER, accepted, activity, item


def test_the_leads_copy_left_empty_is_the_one_kept(plan: Plan, order: dict) -> None:
    """JCS leads 5.2 and sent its editable row untouched; MLT's locked copy, from a file
    with errors, is context: the kept values are JCS's, and they count as validated."""
    jcs = accepted("JCS", item("5.2-A1", "activity"))
    mlt = accepted("MLT", item("5.2-A1", "activity", editable=False), validated=False)
    [merged] = merge([mlt, jcs], plan, order).items
    assert [s.component for s in merged.value_sources] == ["JCS"]
    assert {s.component for s in merged.sources} == {"JCS", "MLT"}
    assert merged.validated


def test_values_typed_on_a_locked_copy_are_set_against_the_leads(plan: Plan, order: dict) -> None:
    jcs = accepted("JCS", activity("5.2-A1", "JCS", budget=1000.0))
    locked = dataclasses.replace(activity("5.2-A1", "JCS", budget=5.0), editable=False)
    merged = merge([accepted("MLT", locked), jcs], plan, order)
    assert [(c.kind, c.column, c.kept_value, c.other_value) for c in merged.conflicts] == [
        ("different-values", HEADER["budget"], "1000", "5")
    ]
    assert merged.conflicts[0].other_source.startswith("MLT:")
    assert merged.items[0].value("budget") == 1000.0


def test_empty_texts_on_a_locked_copy_are_no_values(plan: Plan, order: dict) -> None:
    jcs = accepted("JCS", activity("5.2-A1", "JCS"))
    blank = item("5.2-A1", "activity", editable=False, cells_given=dict.fromkeys(INPUT_KEYS, ""))
    merged = merge([jcs, accepted("MLT", blank, validated=False)], plan, order)
    assert merged.conflicts == ()
    assert merged.items[0].validated


def test_an_item_of_an_output_the_plan_does_not_hold_has_no_owner(plan: Plan) -> None:
    assert owner_of(item("9.9-A1", "activity", added=False), plan) == ""


def test_items_the_framework_does_not_know_are_listed_last(plan: Plan, order: dict) -> None:
    """Within an output, a framework-shaped id the framework lacks follows the known ones
    (added items still come last); an output the framework lacks follows every output."""
    jcs = accepted(
        "JCS",
        activity("9.9-A1", "JCS"),
        activity("5.2-JCS-01", "JCS"),
        activity("5.2-A99", "JCS"),
        activity("6.7-A1", "JCS"),
        activity("5.2-A1", "JCS"),
        activity("4.5-A1", "UNPOL"),
    )
    ids = [m.item_id for m in merge([jcs], plan, order).items]
    assert ids == ["4.5-A1", "5.2-A1", "5.2-A99", "5.2-JCS-01", "6.7-A1", "9.9-A1"]


def test_a_column_an_item_does_not_carry_reads_as_empty() -> None:
    """An item read from an older workbook, without a column added since, has no value there."""
    source = Source("JCS", "JCS.xlsx", "5 Rule of law", 3)
    old = MergedItem("5.2-A1", "5.2", "activity", False, (("budget", 5.0),), (source,), "JCS")
    assert (old.value("budget"), old.value("gender")) == (5.0, None)


# --- an empty cell says nothing --------------------------------------------------------------


def test_a_supporters_copy_with_empty_cells_and_one_disagreement_is_one_conflict(
    plan: Plan, order: dict
) -> None:
    """MLT typed two cells on JCS's locked row: one as JCS has it, one not; the rest empty."""
    jcs = accepted("JCS", activity("5.2-A1", "JCS", budget=1000.0, partners="UNDP"))
    typed = {"partners": "UNDP", "budget": 5.0}
    mlt = accepted("MLT", item("5.2-A1", "activity", editable=False, cells_given=typed))
    merged = merge([mlt, jcs], plan, order)
    assert [(c.kind, c.column, c.kept_value, c.other_value) for c in merged.conflicts] == [
        ("different-values", HEADER["budget"], "1000", "5")
    ]
    assert merged.items[0].values == jcs.items[0].values  # every value is JCS's


def test_a_cell_the_owner_left_empty_takes_the_value_a_copy_states(plan: Plan, order: dict) -> None:
    jcs = accepted("JCS", activity("5.2-A1", "JCS", partners=None))
    typed = {"partners": "UNDP", "comments": "MLT can help"}
    mlt = accepted(
        "MLT", item("5.2-A1", "activity", editable=False, cells_given=typed), validated=False
    )
    merged = merge([jcs, mlt], plan, order)
    assert merged.conflicts == ()
    [kept] = merged.items
    assert (kept.value("partners"), kept.value("comments")) == ("UNDP", "MLT can help")
    assert kept.value("budget") == 1000.0  # JCS's
    assert [s.component for s in kept.value_sources] == ["JCS", "MLT"]
    assert not kept.validated  # a value of the row comes from a file with errors


def test_an_agreeing_copy_from_a_file_with_errors_leaves_the_row_validated(
    plan: Plan, order: dict
) -> None:
    jcs = accepted("JCS", activity("5.2-A1", "JCS"))
    mlt = accepted("MLT", activity("5.2-A1", "JCS", budget=None), validated=False)
    [kept] = merge([jcs, mlt], plan, order).items
    assert {s.component for s in kept.sources} == {"JCS", "MLT"}
    assert [s.component for s in kept.value_sources] == ["JCS"]
    assert kept.validated


def test_without_the_owners_value_the_value_most_copies_state_is_kept(
    plan: Plan, order: dict
) -> None:
    """JCS leads 5.2 but left Partners empty; two copies say UNDP, one UNICEF."""
    jcs = accepted("JCS", activity("5.2-A1", "JCS", partners=None))
    say = {
        "CAD": "UNICEF",  # first by component, but outvoted
        "MLT": "UNDP",
        "UNPOL": "UNDP",
    }
    copies = [
        accepted(code, item("5.2-A1", "activity", editable=False, cells_given={"partners": p}))
        for code, p in say.items()
    ]
    merged = merge([jcs, *copies], plan, order)
    assert merged.items[0].value("partners") == "UNDP"
    [conflict] = merged.conflicts
    assert (conflict.kept_value, conflict.other_value) == ("UNDP", "UNICEF")
    assert conflict.kept_source.startswith("MLT:") and conflict.other_source.startswith("CAD:")
    assert conflict.message.startswith("Partners of 5.2-A1 differs: kept MLT's value; CAD has")
    # a tie goes to the first copy by component and file
    tie = merge([jcs, *copies[:2]], plan, order)
    assert tie.items[0].value("partners") == "UNICEF"
    assert [c.other_value for c in tie.conflicts] == ["UNDP"]
