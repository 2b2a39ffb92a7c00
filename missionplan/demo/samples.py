"""Sample submissions for the demo: workbooks filled in as components would, mistakes included.

Deterministic: the same plan gives the same values. Each led output gets
its framework rows filled and one added activity; each supported output
gets a contributing activity that depends on the lead's first activity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from missionplan.planning.plan import Plan
from missionplan.schema.contract import FUNDING_SOURCES, PRIORITIES
from missionplan.validate.checks import SECURITY_FORCES
from missionplan.workbook.layout import LayoutRow, OutputBlock, WorkbookLayout

Values = dict[str, dict[str, object]]


@dataclass(frozen=True)
class Mistake:
    """A typical mistake planted in a sample submission, with what validation should say."""

    item_id: str
    column: str
    value: object
    expected_code: str
    note: str


def sample_values(layout: WorkbookLayout) -> Values:
    """Values for every row a component fills in, keyed by item id and column key."""
    values: Values = {}
    for sheet in layout.sheets:
        for block in sheet.blocks:
            if block.role == "support":
                values.update(_contribution(block, layout))
            else:
                values.update(_led_output(block, layout))
    return values


def _led_output(block: OutputBlock, layout: WorkbookLayout) -> Values:
    plan, code = layout.plan, layout.code
    framework_rows = [r for r in block.rows if not r.added]
    activities = [r for r in framework_rows if r.item_type == "activity"]
    values: Values = {}
    schedule = _schedule(plan, len(activities) + 1)
    for index, row in enumerate(activities):
        start, end = schedule[index]
        values[row.item_id] = _activity(row, code, block, start, end, index)
        if index:
            values[row.item_id]["depends_on"] = activities[index - 1].item_id
    for row in framework_rows:
        if row.item_type == "benchmark":
            values[row.item_id] = _benchmark(row, code, plan)
        elif row.item_type == "risk":
            values[row.item_id] = _risk(row, code, len(values))
        elif row.item_type == "consideration":
            values[row.item_id] = {
                "position": "The mission weighs both sides case by case and reviews its "
                "position with the Mission Leadership Team each quarter."
            }
    added = next(r for r in block.rows if r.added)
    start, end = schedule[-1]
    own = {
        "item_type": "activity",
        "text": f"Coordinate {block.output.title.lower()} with national counterparts.",
        **_activity(added, code, block, start, end, 1),
    }
    values[added.item_id] = own
    return values


def _contribution(block: OutputBlock, layout: WorkbookLayout) -> Values:
    plan, code = layout.plan, layout.code
    added = next(r for r in block.rows if r.added)
    first_activity = next((r for r in block.rows if r.item_type == "activity"), None)
    start, end = _schedule(plan, 3)[2]
    values = {
        "item_type": "activity",
        "text": f"{code} contribution to {block.output.id} {block.output.title.lower()}.",
        **_activity(added, code, block, start, end, 2),
    }
    if first_activity is not None:
        values["depends_on"] = first_activity.item_id
    return {added.item_id: values}


def _activity(
    row: LayoutRow, code: str, block: OutputBlock, start: dt.date, end: dt.date, index: int
) -> dict[str, object]:
    support = [c for c in block.setting.support if c != code][:1]
    supports_forces = bool(SECURITY_FORCES.search(row.text or ""))
    return {
        "lead": code,
        "support": ", ".join(support),
        "partners": "UNDP; Ministry of Interior",
        "start": start,
        "end": end,
        "priority": PRIORITIES[index % 3],
        "budget": 25_000 * (index + 1),
        "funding": FUNDING_SOURCES[index % 2],
        "gender": "Women's participation and needs are built into design and monitoring."
        if index == 0
        else None,
        "hrddp": "applies: assessment done" if supports_forces else "not applicable",
        "status": "planned",
    }


def _benchmark(row: LayoutRow, code: str, plan: Plan) -> dict[str, object]:
    window = plan.window(row.term)  # type: ignore[arg-type]
    middle = window.start + (window.end - window.start) / 2
    return {
        "indicator": "Share of milestones reached, from mission reporting",
        "baseline": "0% (2026 assessment)",
        "target": "80%",
        "target_date": middle,
        "verification": "Quarterly performance reports (CPAS)",
        "owner": code,
        "status": "planned",
    }


def _risk(row: LayoutRow, code: str, seed: int) -> dict[str, object]:
    likelihood, impact = (4, 4) if seed % 5 == 0 else (2, 3)
    return {
        "likelihood": likelihood,
        "impact": impact,
        "mitigation": "Monitor closely, agree a contingency plan and raise it with the MLT.",
        "owner": code,
    }


def _schedule(plan: Plan, count: int) -> list[tuple[dt.date, dt.date]]:
    """Consecutive, non-overlapping slots across the first two thirds of the period."""
    span = (plan.end - plan.start).days * 2 // 3
    step = max(2, span // max(1, count))
    return [
        (
            plan.start + dt.timedelta(days=i * step),
            plan.start + dt.timedelta(days=i * step + step - 2),
        )
        for i in range(count)
    ]


def plant_mistakes(values: Values, layout: WorkbookLayout, kind: str) -> list[Mistake]:
    """Change values to plant one of the typical sets of mistakes; returns what was planted."""
    activities = [
        r.item_id for r in layout.rows if r.item_type == "activity" and r.item_id in values
    ]
    risks = [r.item_id for r in layout.rows if r.item_type == "risk" and r.item_id in values]
    planted: list[Mistake] = []

    def plant(item_id: str, column: str, value: object, code: str, note: str) -> None:
        values[item_id][column] = value
        planted.append(Mistake(item_id, column, value, code, note))

    if kind == "warnings" and activities:
        start = values[activities[0]]["start"]
        assert isinstance(start, dt.date)
        plant(activities[0], "start", start.strftime("%d/%m/%Y"), "date-typed-as-text",
              "a date typed as text")  # fmt: skip
        plant(activities[0], "priority", "HIGH", "choice-spelling", "a choice in capitals")
    if kind == "errors" and len(activities) >= 2 and risks:
        start = values[activities[1]]["start"]
        assert isinstance(start, dt.date)
        plant(activities[1], "end", start - dt.timedelta(days=10), "end-before-start",
              "an activity that ends before it starts")  # fmt: skip
        plant(activities[0], "depends_on", f"{activities[0].split('-')[0]}-A99",
              "dependency-unknown", "a dependency on an activity that does not exist")  # fmt: skip
        plant(risks[0], "likelihood", 5, "high-risk-without-mitigation",
              "a high risk without mitigation")  # fmt: skip
        values[risks[0]]["impact"] = 4
        values[risks[0]]["mitigation"] = None
        plant(activities[0], "budget", "=SUM(1000,2000)", "formula-in-cell",
              "a formula instead of a value")  # fmt: skip
        if len(risks) > 1:
            plant(risks[1], "text", "A risk reworded by the component.", "framework-text-edited",
                  "framework text reworded")  # fmt: skip
    if kind == "overreach":
        _overreach(layout, values, plant)
    return planted


def _overreach(layout: WorkbookLayout, values: Values, plant: Callable[..., None]) -> None:
    """A supporting component fills in the lead's framework activity and names itself lead."""
    for sheet in layout.sheets:
        for block in sheet.blocks:
            first = next((r for r in block.rows if r.item_type == "activity"), None)
            if block.role != "support" or first is None:
                continue
            values[first.item_id] = {}
            plant(first.item_id, "lead", layout.code, "context-row-edited",
                  "the lead's activity filled in by a supporting component")  # fmt: skip
            contribution = next(r.item_id for r in block.rows if r.added)
            missing = f"{block.output.id}-{block.setting.lead}-07"
            plant(contribution, "depends_on", missing, "missing-dependency (merge)",
                  "a dependency on an item the lead never added")  # fmt: skip
            return


def as_fill(values: Mapping[str, Mapping[str, object]]) -> dict[str, dict[str, object]]:
    """Values ready for fill_workbook: None means leave the cell empty."""
    return {
        item_id: {key: value for key, value in cells.items() if value is not None}
        for item_id, cells in values.items()
    }
