"""The merged plan's Summary sheet, value by value, against counts worked out by hand.

README section 5: the Summary holds "items per objective and per component, a coverage
matrix of outputs by component (L lead, S support, +C contributed items), a risk matrix
of likelihood by impact, activities under way per quarter for each output, and budget per
objective and funding source".

The scenario is small enough to count on paper. One year, 2027, so four calendar
quarters; three components, listed in the plan as PAD, UNPOL, HOM:
  3.1  lead HOM,   support PAD        (6 activities, 7 benchmarks, 3 risks, 2 considerations)
  4.5  lead UNPOL, support PAD, HOM   (4 activities, 12 benchmarks, 4 risks, 3 considerations)
HOM fills in 3.1; UNPOL fills in 4.5 and adds one activity to it; PAD adds an activity and
a risk to 3.1. Every date, budget, funding source and risk rating is set below, and every
expected table is written out by hand from them (not computed by the code under test).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from missionplan.demo.samples import activity_values, as_fill, item_values, risk_values
from missionplan.export.run import export_workbooks
from missionplan.planning.framework import Framework
from missionplan.planning.plan import Plan, load_plan
from missionplan.workbook.fill import fill_workbook
from tests.cli_helpers import run_main

D = dt.date

# Every activity: (start, end, budget, funding source). Funding sources are the README's.
ACTIVITIES: dict[str, tuple[dt.date, dt.date, float, str]] = {
    # 3.1, led by HOM
    "3.1-A1": (D(2027, 1, 10), D(2027, 2, 20), 10_000, "assessed budget"),  # Q1
    "3.1-A2": (D(2027, 2, 1), D(2027, 4, 15), 2_500.5, "assessed budget"),  # Q1 Q2
    "3.1-A3": (D(2027, 3, 31), D(2027, 4, 1), 7_000, "trust fund"),  # Q1 Q2 (a day in each)
    "3.1-A4": (D(2027, 7, 1), D(2027, 12, 31), 0, "no cost"),  # Q3 Q4
    "3.1-A5": (D(2027, 4, 1), D(2027, 6, 30), 1_200, "host government"),  # Q2 exactly
    "3.1-A6": (D(2027, 10, 1), D(2027, 10, 1), 300, "other donor"),  # Q4, one day
    "3.1-PAD-01": (D(2027, 5, 1), D(2027, 8, 31), 4_000, "programmatic funding"),  # Q2 Q3
    # 4.5, led by UNPOL
    "4.5-A1": (D(2027, 1, 1), D(2027, 12, 31), 50_000, "assessed budget"),  # Q1 to Q4
    "4.5-A2": (D(2027, 6, 15), D(2027, 7, 15), 20_000, "UNCT agency funds"),  # Q2 Q3
    "4.5-A3": (D(2027, 9, 1), D(2027, 9, 30), 5_000, "UNCT agency funds"),  # Q3
    "4.5-A4": (D(2027, 11, 1), D(2027, 12, 15), 1_000, "programmatic funding"),  # Q4
    "4.5-UNPOL-01": (D(2027, 2, 1), D(2027, 3, 1), 3_000, "assessed budget"),  # Q1
}
LEADS = {"3.1": "HOM", "4.5": "UNPOL"}
ADDED_TEXT = {
    "3.1-PAD-01": "Brief the host government's political parties on the mandate.",
    "4.5-UNPOL-01": "Mentor police station commanders on public order.",
    "3.1-PAD-02": "Parties walk out of the dialogue forum.",
}
# Every risk: (likelihood, impact).
RISKS: dict[str, tuple[int, int]] = {
    "3.1-R1": (5, 5),
    "3.1-R2": (5, 1),
    "3.1-R3": (1, 5),
    "3.1-PAD-02": (4, 2),  # added by PAD
    "4.5-R1": (3, 3),
    "4.5-R2": (3, 3),
    "4.5-R3": (2, 5),
    "4.5-R4": (5, 5),
}

# --- the expected tables, counted by hand from the values above ---------------------------

# Coverage: output -> component -> cell. PAD contributed to 3.1, UNPOL to its own 4.5.
COVERAGE = {
    "3.1": {"PAD": "S+C", "UNPOL": "", "HOM": "L"},
    "4.5": {"PAD": "S", "UNPOL": "L+C", "HOM": "S"},
}
# Risks: likelihood -> counts for impact 1..5.
RISK_MATRIX = {
    5: [1, 0, 0, 0, 2],  # 3.1-R2 (5x1); 3.1-R1 and 4.5-R4 (5x5)
    4: [0, 1, 0, 0, 0],  # 3.1-PAD-02
    3: [0, 0, 2, 0, 0],  # 4.5-R1, 4.5-R2
    2: [0, 0, 0, 0, 1],  # 4.5-R3
    1: [0, 0, 0, 0, 1],  # 3.1-R3
}
# Activities under way in 2027 Q1..Q4.
TIMELINE = {
    "3.1": [3, 4, 2, 2],  # Q1 A1 A2 A3; Q2 A2 A3 A5 PAD-01; Q3 A4 PAD-01; Q4 A4 A6
    "4.5": [2, 2, 3, 2],  # Q1 A1 UNPOL-01; Q2 A1 A2; Q3 A1 A2 A3; Q4 A1 A4
}
FUNDING = (  # README section 2, "Funding source", in its order
    "assessed budget",
    "programmatic funding",
    "trust fund",
    "UNCT agency funds",
    "host government",
    "other donor",
    "no cost",
)
NO_SOURCE = "no source given"  # the column of budgets without a funding source
# objective -> (per funding source, then without one), total
BUDGET: dict[str, tuple[list[float], float]] = {
    "3": ([12_500.5, 4_000, 7_000, 0, 1_200, 300, 0, 0], 25_000.5),
    "4": ([53_000, 1_000, 0, 25_000, 0, 0, 0, 0], 79_000),
    "5": ([0, 0, 0, 0, 0, 0, 0, 0], 0),
    "6": ([0, 0, 0, 0, 0, 0, 0, 0], 0),
}
# The same plan when HOM leaves out the funding source of 3.1-A1 (10,000) and 3.1-A3
# (7,000, a trust fund's): an error, merged with --include-invalid. Nothing is left out
# of the Total.
UNFUNDED = ("3.1-A1", "3.1-A3")
BUDGET_UNFUNDED = {
    **BUDGET,
    "3": ([2_500.5, 4_000, 0, 0, 1_200, 300, 0, 17_000], 25_000.5),
}
# Items per objective: activities, benchmarks, risks, considerations.
PER_OBJECTIVE = {
    "3": [6 + 1, 7, 3 + 1, 2],
    "4": [4 + 1, 12, 4, 3],
    "5": [0, 0, 0, 0],
    "6": [0, 0, 0, 0],
}
# Items per component: owned (the lead owns the framework items, the adder its own), added,
# activities led.
PER_COMPONENT = {
    "HOM": (6 + 7 + 3 + 2, 0, 6),
    "PAD": (2, 2, 1),
    "UNPOL": (4 + 12 + 4 + 3 + 1, 1, 5),
}


# --- building the scenario --------------------------------------------------------------------


def plan_data(framework: Framework) -> dict[str, Any]:
    roster = {c.code: c for c in framework.components}
    return {
        "plan": {
            "id": "summary-test",
            "mission": "UN Summary Test Mission",
            "start": "2027-01-01",
            "end": "2027-12-31",
            "short_term_months": 3,
            "medium_term_months": 3,
        },
        "components": [
            {"code": code, "name": roster[code].name, "kind": roster[code].kind}
            for code in ("PAD", "UNPOL", "HOM")
        ],
        "outputs": [
            {"id": "3.1", "in_scope": True, "lead": "HOM", "support": ["PAD"]},
            {"id": "4.5", "in_scope": True, "lead": "UNPOL", "support": ["PAD", "HOM"]},
        ],
    }


def activity(item_id: str, lead: str, n: int, text: str) -> dict[str, object]:
    start, end, budget, funding = ACTIVITIES[item_id]
    values = activity_values(lead, start, end, n=n, text=text)
    return {**values, "budget": budget, "funding": funding}


def led_values(framework: Framework, plan: Plan, output_id: str) -> dict[str, dict[str, object]]:
    """The lead's values for every framework row of an output, from the tables above."""
    output = framework.output(output_id)
    assert output is not None
    lead = LEADS[output_id]
    values: dict[str, dict[str, object]] = {}
    for n, item in enumerate(output.activities):
        values[item.id] = activity(item.id, lead, n, item.text)
    for benchmark in output.benchmarks:
        values[benchmark.id] = item_values("benchmark", lead, plan, term=benchmark.term)
    for risk in output.risks:
        values[risk.id] = risk_values(lead, *RISKS[risk.id])
    for consideration in output.considerations:
        values[consideration.id] = item_values("consideration", lead, plan)
    return values


def added(item_id: str, item_type: str, values: dict[str, object]) -> dict[str, object]:
    return {"item_type": item_type, "text": ADDED_TEXT[item_id], **values}


@pytest.fixture(scope="module")
def summary(framework: Framework, tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:
    """Export, fill and merge (through the command line); the Summary sheet's rows."""
    return merged_summary(framework, tmp_path_factory.mktemp("summary"))


@pytest.fixture(scope="module")
def unfunded(framework: Framework, tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:
    """The same, with HOM's funding sources of UNFUNDED left out (merged with errors)."""
    return merged_summary(framework, tmp_path_factory.mktemp("unfunded"), without_funding=UNFUNDED)


def merged_summary(
    framework: Framework, root: Path, without_funding: tuple[str, ...] = ()
) -> list[tuple]:
    """The scenario exported, filled and merged through the command line: the Summary's rows."""
    plan_file = root / "plan.yaml"
    plan_file.write_text(yaml.safe_dump(plan_data(framework), sort_keys=False), encoding="utf-8")
    plan = load_plan(plan_file, framework)
    templates = {
        code: export_workbooks(framework, plan, root / "templates", [code])[0]
        for code in ("PAD", "UNPOL", "HOM")
    }
    unpol = led_values(framework, plan, "4.5")
    unpol["4.5-UNPOL-01"] = added(
        "4.5-UNPOL-01", "activity", activity("4.5-UNPOL-01", "UNPOL", 1, ADDED_TEXT["4.5-UNPOL-01"])
    )
    pad = {
        "3.1-PAD-01": added(
            "3.1-PAD-01", "activity", activity("3.1-PAD-01", "PAD", 1, ADDED_TEXT["3.1-PAD-01"])
        ),
        "3.1-PAD-02": added("3.1-PAD-02", "risk", risk_values("PAD", *RISKS["3.1-PAD-02"])),
    }
    hom = led_values(framework, plan, "3.1")
    for item_id in without_funding:
        hom[item_id]["funding"] = None
    fills = {"HOM": hom, "UNPOL": unpol, "PAD": pad}
    returned = root / "returned"
    returned.mkdir()
    for component, values in fills.items():
        fill_workbook(templates[component], as_fill(values), returned / f"{component}.xlsx")
    out = root / "mission-plan.xlsx"
    invalid = ["--include-invalid"] if without_funding else []
    status, stdout, stderr = run_main(
        "merge", str(returned), "--plan", str(plan_file), "--out", str(out), *invalid
    )
    assert status == 0, stderr
    # the scenario is what it says: every submission merged, none refused
    assert sorted(stdout.splitlines())[:3] == [f"{c}.xlsx: merged" for c in sorted(fills)], stdout
    wb = openpyxl.load_workbook(out)
    return list(wb["Summary"].iter_rows(values_only=True))


def table(rows: list[tuple], *words: str) -> tuple[list[Any], list[list[Any]]]:
    """The table under the title holding every word (any case): its header and its rows."""
    titles = [
        i
        for i, row in enumerate(rows)
        if isinstance(row[0], str) and all(w.lower() in row[0].lower() for w in words)
    ]
    assert len(titles) == 1, (words, [rows[i][0] for i in titles])
    header = _trimmed(rows[titles[0] + 1])
    body = []
    for row in rows[titles[0] + 2 :]:
        if all(v in (None, "") for v in row):
            break
        body.append(list(row[: len(header)]))
    return header, body


def _trimmed(row: tuple) -> list[Any]:
    values = list(row)
    while values and values[-1] in (None, ""):
        values.pop()
    return values


def cell(value: object) -> object:
    return "" if value is None else value


# --- the tables -------------------------------------------------------------------------------


def test_coverage_matrix_marks_lead_support_and_contributions(summary: list[tuple]) -> None:
    header, body = table(summary, "coverage")
    assert header[0] == "Output"
    assert sorted(header[1:]) == ["HOM", "PAD", "UNPOL"]  # one column per component
    found = {row[0]: {code: cell(v) for code, v in zip(header[1:], row[1:], strict=True)}
             for row in body}  # fmt: skip
    assert found == COVERAGE


def test_risk_matrix_counts_risks_by_likelihood_and_impact(summary: list[tuple]) -> None:
    header, body = table(summary, "risk", "likelihood")
    assert [str(v) for v in header[1:]] == ["1", "2", "3", "4", "5"]  # impact, left to right
    # likelihood from 5 at the top down to 1, as a risk matrix is drawn
    assert [int(row[0]) for row in body] == [5, 4, 3, 2, 1]
    assert {int(row[0]): row[1:] for row in body} == RISK_MATRIX
    assert sum(sum(row[1:]) for row in body) == len(RISKS)


def test_activities_under_way_per_quarter_by_output(summary: list[tuple]) -> None:
    header, body = table(summary, "quarter")
    assert header[0] == "Output"
    quarters = header[1:]
    assert len(quarters) == 4  # the period is the calendar year 2027
    for number, label in enumerate(quarters, start=1):
        assert "2027" in str(label) and f"Q{number}" in str(label), quarters
    *outputs, total = body  # the last row adds the outputs up: what the chart draws
    assert {row[0]: row[1:] for row in outputs} == TIMELINE
    assert total == ["All outputs", 5, 6, 5, 4]  # Q1 3+2, Q2 4+2, Q3 2+3, Q4 2+2


def test_budget_per_objective_and_funding_source_with_a_total(summary: list[tuple]) -> None:
    header, body = table(summary, "budget")
    assert header == ["Objective", *FUNDING, NO_SOURCE, "Total"]
    found = {str(row[0]).split()[0]: row[1:] for row in body}
    expected = {objective: [*amounts, total] for objective, (amounts, total) in BUDGET.items()}
    assert found == expected  # amounts exact in binary: 2,500.50 + 10,000 is 12,500.5
    for row in body:  # the Total column is the sum of its row
        assert row[-1] == pytest.approx(sum(row[1:-1]))


def test_a_budget_without_a_funding_source_counts_in_the_total(unfunded: list[tuple]) -> None:
    """Before: 3.1-A1's and 3.1-A3's 17,000 were in no column and missing from the Total."""
    header, body = table(unfunded, "budget")
    assert header == ["Objective", *FUNDING, NO_SOURCE, "Total"]
    found = {str(row[0]).split()[0]: row[1:] for row in body}
    assert found == {o: [*amounts, total] for o, (amounts, total) in BUDGET_UNFUNDED.items()}
    assert sum(row[-1] for row in body) == sum(budget for _, _, budget, _ in ACTIVITIES.values())


def test_items_per_objective(summary: list[tuple]) -> None:
    header, body = table(summary, "items per objective")
    assert header == ["Objective", "Activities", "Benchmarks", "Risks", "Considerations"]
    assert {str(row[0]).split()[0]: row[1:] for row in body} == PER_OBJECTIVE


def test_items_per_component(summary: list[tuple]) -> None:
    header, body = table(summary, "items per component")
    assert header[0] == "Component"
    assert {row[0]: tuple(row[1:]) for row in body} == PER_COMPONENT


def test_the_counts_add_up(summary: list[tuple]) -> None:
    """Checks on the hand counts themselves: every item and activity is counted once."""
    # quarters each activity is under way in: 3.1 A1..A6 1 2 2 2 1 1, PAD-01 2; 4.5 A1..A4
    # 4 2 1 1, UNPOL-01 1
    assert [sum(c) for c in TIMELINE.values()] == [11, 9]
    activities = sum(counts[0] for counts in PER_OBJECTIVE.values())
    assert activities == len(ACTIVITIES) == sum(led for _, _, led in PER_COMPONENT.values())
    owned = sum(owned for owned, _, _ in PER_COMPONENT.values())
    assert owned == sum(sum(counts) for counts in PER_OBJECTIVE.values())
    assert sum(total for _, total in BUDGET.values()) == pytest.approx(
        sum(budget for _, _, budget, _ in ACTIVITIES.values())
    )
    assert summary  # the merge ran
