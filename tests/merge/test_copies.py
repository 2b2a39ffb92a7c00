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
