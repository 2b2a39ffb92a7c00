"""Builders the tests of this folder share: small plans, rows and submissions made by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from missionplan.merge.rules import (
    Accepted,
    Conflict,
    MergedPlan,
    Source,
)
from missionplan.planning.framework import Framework
from missionplan.planning.plan import Plan, plan_from_data
from missionplan.schema.contract import COLUMNS
from missionplan.schema.items import SubmittedItem

START = dt.date(2027, 1, 1)
END = dt.date(2029, 12, 31)
KEYS = tuple(c.key for c in COLUMNS)
HEADER = {c.key: c.header for c in COLUMNS}
# The plan every test uses: two outputs in scope, CAD and DSRSG-RCHC on the roster but
# neither leading nor supporting anything in scope. output: (lead, support)
SCOPE: dict[str, tuple[str, list[str]]] = {
    "4.5": ("UNPOL", ["JCS"]),
    "5.2": ("JCS", ["MLT"]),
}
ROSTER = ("JCS", "MLT", "UNPOL", "CAD", "DSRSG-RCHC")


def make_plan(framework: Framework, scope: dict[str, tuple[str, list[str]]] = SCOPE) -> Plan:
    names = {c.code: c for c in framework.components}
    data: dict[str, Any] = {
        "plan": {
            "id": "rules-test",
            "mission": "Test mission",
            "start": START.isoformat(),
            "end": END.isoformat(),
            "short_term_months": 6,
            "medium_term_months": 12,
            "framework": framework.id,
        },
        "components": [
            {"code": code, "name": names[code].name, "kind": names[code].kind} for code in ROSTER
        ],
        "outputs": [
            {"id": output_id, "in_scope": True, "lead": lead, "support": support}
            for output_id, (lead, support) in scope.items()
        ],
    }
    return plan_from_data(data, "plan.yaml", framework)


def item(
    item_id: str,
    item_type: str,
    *,
    editable: bool = True,
    added: bool | None = None,
    sheet: str = "",
    row: int = 2,
    cells_given: Mapping[str, object] | None = None,
    **more: object,
) -> SubmittedItem:
    """A submitted item with every contract column; ids with 3+ parts are added items."""
    values = {**(cells_given or {}), **more}
    output_id = item_id.split("-")[0]
    is_added = len(item_id.split("-")) >= 3 if added is None else added
    cells: dict[str, object] = dict.fromkeys(KEYS)
    cells.update(
        output_id=output_id,
        item_id=item_id,
        item_type=item_type,
        text=values.pop("text", f"Text of {item_id}"),
        ref="added" if is_added else "ref",
    )
    unknown = set(values) - set(KEYS)
    assert not unknown, unknown
    cells.update(values)
    return SubmittedItem(
        item_id=item_id,
        output_id=output_id,
        item_type=item_type,
        sheet=sheet or f"{output_id.split('.')[0]} Objective",
        row=row,
        editable=editable,
        added=is_added,
        values=tuple((key, cells[key]) for key in KEYS),
    )


def accepted(component: str, *items: SubmittedItem, validated: bool = True) -> Accepted:
    return Accepted(component, f"{component}.xlsx", tuple(items), validated)


def activity(item_id: str, lead: str | None, row: int = 2, **values: object) -> SubmittedItem:
    filled: dict[str, object] = {
        "lead": lead,
        "start": dt.date(2027, 2, 1),
        "end": dt.date(2027, 11, 30),
        "priority": "high",
        "budget": 1000.0,
        "funding": "assessed budget",
        "hrddp": "not applicable",
        "status": "planned",
        "gender": "Women's participation",
    }
    filled.update(values)
    return item(item_id, "activity", row=row, cells_given=filled)


def benchmark(item_id: str, term: str, owner: str | None, **values: object) -> SubmittedItem:
    filled: dict[str, object] = {
        "term": term,
        "indicator": "indicator",
        "baseline": "0",
        "target": "10",
        "target_date": dt.date(2027, 3, 31),
        "verification": "reports",
        "owner": owner,
        "status": "planned",
    }
    filled.update(values)
    return item(item_id, "benchmark", cells_given=filled)


def risk(item_id: str, likelihood: float, impact: float, **values: object) -> SubmittedItem:
    return item(item_id, "risk", cells_given={"likelihood": likelihood, "impact": impact, **values})


def by_id(merged: MergedPlan) -> dict[str, Any]:
    return {m.item_id: m for m in merged.items}


def conflicts_for(merged: MergedPlan, item_id: str) -> list[Conflict]:
    return [c for c in merged.conflicts if c.item_id == item_id]


def source_of(submission: Accepted, submitted: SubmittedItem) -> Source:
    return Source(
        submission.component,
        submission.file,
        submitted.sheet,
        submitted.row,
        submission.validated,
    )


def complete_output(output_id: str, lead: str) -> list[SubmittedItem]:
    """An output with everything the gap rules look for."""
    return [
        activity(f"{output_id}-A1", lead),
        benchmark(f"{output_id}-BS1", "short", lead),
        benchmark(f"{output_id}-BM1", "medium", lead),
        benchmark(f"{output_id}-BL1", "long", lead),
        risk(f"{output_id}-R1", 5, 3, owner=lead, mitigation="patrols"),
    ]


def full_inputs() -> list[Accepted]:
    return [
        accepted("UNPOL", *complete_output("4.5", "UNPOL")),
        accepted("JCS", *complete_output("5.2", "JCS")),
        accepted("MLT", activity("5.2-MLT-01", "MLT")),
    ]
