"""The words of the merged plan's Conflicts and Gaps sheets, and where they say a copy came from.

Planners settle conflicts and close gaps from these lines alone: each names the item, the
column, the components and the file (without the local folders it was read from).
"""

from __future__ import annotations

import pytest

from missionplan.merge.rules import Source, merge
from missionplan.planning.plan import Plan
from tests.merge.builders import accepted, activity, benchmark, full_inputs, risk


@pytest.mark.parametrize(
    "file",
    [
        "JCS plan v2.xlsx",
        "returned/JCS plan v2.xlsx",
        "/home/planning/returned/2027/JCS plan v2.xlsx",
        "C:\\Users\\planner\\Returned\\JCS plan v2.xlsx",
        "returned\\2027/JCS plan v2.xlsx",
    ],
)
def test_a_source_is_labelled_with_the_file_name_only(file: str) -> None:
    label = Source("JCS", file, "5 Rule of law", 14).label()
    assert label == "JCS: JCS plan v2.xlsx '5 Rule of law' row 14"


def test_a_conflict_says_whose_value_was_kept(plan: Plan, order: dict) -> None:
    cad = accepted("CAD", activity("5.2-A1", "JCS", budget=5.0))
    jcs = accepted("JCS", activity("5.2-A1", "JCS", budget=1000.0))
    [conflict] = merge([cad, jcs], plan, order).conflicts
    assert conflict.message == (
        "Budget (USD) of 5.2-A1 differs: kept JCS's value; CAD has another. Settle it with both "
        "components."
    )


def test_two_lead_claims_name_both_components(plan: Plan, order: dict) -> None:
    unpol = accepted("UNPOL", activity("4.5-A1", "UNPOL"))
    jcs = accepted("JCS", activity("4.5-A1", "JCS"))
    [conflict] = merge([jcs, unpol], plan, order).conflicts
    assert conflict.message == "UNPOL and JCS both claim the lead of 4.5-A1; agree on one lead."


def test_a_missing_dependency_names_the_item_and_what_it_waits_for(plan: Plan, order: dict) -> None:
    jcs = accepted("JCS", activity("5.2-A1", "JCS", depends_on="3.1-A1"))
    [conflict] = merge([jcs], plan, order).conflicts
    assert conflict.message == (
        "5.2-A1 depends on 3.1-A1, which no submission contains; ask its owner to add it or "
        "remove the dependency."
    )


def test_every_gap_says_what_is_missing(plan: Plan, order: dict) -> None:
    _, jcs, mlt = full_inputs()  # UNPOL, lead of 4.5, sends nothing
    jcs = accepted(
        "JCS",
        *[i for i in jcs.items if i.item_id != "5.2-BL1"],
        benchmark("5.2-BL2", "long", None),
        risk("5.2-R2", 4.0, 4.0, owner="JCS"),
    )
    gaps = merge([jcs, mlt], plan, order).gaps
    assert sorted((g.kind, g.output_id, g.component, g.item_id, g.message) for g in gaps) == [
        ("benchmark-without-owner", "5.2", "JCS", "5.2-BL2", "Benchmark 5.2-BL2 has no owner."),
        (
            "component-did-not-submit",
            "",
            "UNPOL",
            "",
            "UNPOL (United Nations Police) has not submitted its workbook.",
        ),
        (
            "high-risk-without-mitigation",
            "5.2",
            "JCS",
            "5.2-R2",
            "High risk 5.2-R2 (rating 16) has no mitigation.",
        ),
        (
            "lead-submitted-nothing",
            "4.5",
            "UNPOL",
            "",
            "UNPOL, lead of output 4.5, submitted nothing for it.",
        ),
        (
            "no-activity",
            "4.5",
            "UNPOL",
            "",
            "Output 4.5 has no planned activity (none has a lead).",
        ),
        (
            "no-benchmark-in-term",
            "4.5",
            "UNPOL",
            "",
            "Output 4.5 has no long-term benchmark with an owner.",
        ),
        (
            "no-benchmark-in-term",
            "4.5",
            "UNPOL",
            "",
            "Output 4.5 has no medium-term benchmark with an owner.",
        ),
        (
            "no-benchmark-in-term",
            "4.5",
            "UNPOL",
            "",
            "Output 4.5 has no short-term benchmark with an owner.",
        ),
        (
            "no-benchmark-in-term",
            "5.2",
            "JCS",
            "",
            "Output 5.2 has no long-term benchmark with an owner.",
        ),
    ]
