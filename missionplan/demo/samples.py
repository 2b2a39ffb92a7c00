"""Sample submissions for the demo, and the one factory of valid row values.

The factory - `activity_values`, `benchmark_values`, `risk_values`,
`consideration_values`, and `item_values` for rows of mixed types - makes the
cells a careful focal point would type: every required column, choices from the
contract, dates inside their windows. The demo fills its sample submissions
with it; the tests and the benchmarks import it and pass only what their
scenario depends on (an owner, dates, a risk rating), so that what a valid row
looks like is decided in one place.

Deterministic: the same plan gives the same values. Each led output gets
its framework rows filled and one added activity; each supported output
gets a contributing activity that depends on the lead's first activity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from missionplan.planning.plan import Plan, Window
from missionplan.schema import findings
from missionplan.schema.contract import (
    FUNDING_SOURCES,
    HRDDP_ASSESSED,
    HRDDP_NOT_APPLICABLE,
    PLANNED,
    PRIORITIES,
    TERMS,
)
from missionplan.schema.ids import added_item_id, output_of
from missionplan.schema.language import translate
from missionplan.validate.checks import SECURITY_FORCES
from missionplan.workbook.layout import OutputBlock, WorkbookLayout

AT_MERGE = "(merge)"
"""After a Mistake's code: found when merging, not by validation (the tour translates it)."""
Cells = dict[str, object]
Values = dict[str, Cells]

PARTNERS = "UNDP; Ministry of Interior"
GENDER_LINE = "Women's participation and needs are built into design and monitoring."


# --- the factory: valid values for one row -----------------------------------------------------


def activity_values(
    lead: str,
    start: dt.date,
    end: dt.date,
    *,
    n: int = 0,
    text: str = "",
    support: str | None = None,
) -> Cells:
    """Valid cells for the n-th activity (from 0) of an output, as its lead fills them in.

    Priority and funding take turns through their choices and the budget grows with n, so
    that a filled output holds more than one of each; only the first activity carries the
    gender line (validation asks for one per led output). `text` is the activity's
    description, which is not written here (a framework row keeps its own): HRDDP is
    answered from it and the partners the way validation reads them, so an activity that
    supports security forces says the policy applies.
    """
    if end < start:
        raise ValueError(f"an activity cannot end ({end}) before it starts ({start})")
    forces = SECURITY_FORCES.search(f"{text} {PARTNERS}") is not None
    return {
        "lead": lead,
        "support": support,
        "partners": PARTNERS,
        "start": start,
        "end": end,
        "priority": PRIORITIES[n % 3],
        "budget": 25_000 * (n + 1),
        "funding": FUNDING_SOURCES[n % 2],
        "gender": GENDER_LINE if n == 0 else None,
        "hrddp": HRDDP_ASSESSED if forces else HRDDP_NOT_APPLICABLE,
        "status": PLANNED,
    }


def benchmark_values(owner: str, window: Window) -> Cells:
    """Valid cells for a benchmark: its target date is the middle of its term's window."""
    return {
        "indicator": "Share of milestones reached, from mission reporting",
        "baseline": "0% (2026 assessment)",
        "target": "80%",
        "target_date": window.start + (window.end - window.start) / 2,
        "verification": "Quarterly performance reports (CPAS)",
        "owner": owner,
        "status": PLANNED,
    }


def risk_values(owner: str, likelihood: int = 2, impact: int = 3) -> Cells:
    """Valid cells for a risk rated likelihood x impact (1 to 5 each).

    It always has a mitigation, so a high rating (15 or more) is valid too.
    """
    return {
        "likelihood": likelihood,
        "impact": impact,
        "mitigation": "Monitor closely, agree a contingency plan and raise it with the MLT.",
        "owner": owner,
    }


def consideration_values() -> Cells:
    """Valid cells for a consideration: the mission's position on the tension it names."""
    return {
        "position": "The mission weighs both sides case by case and reviews its "
        "position with the Mission Leadership Team each quarter."
    }


def item_values(
    item_type: str | None,
    owner: str,
    plan: Plan,
    *,
    term: str | None = None,
    text: str = "",
    dates: tuple[dt.date, dt.date] | None = None,
    likelihood: int = 2,
    impact: int = 3,
) -> Cells:
    """Valid cells for a row of any type, for callers that fill rows of mixed types.

    Each type takes what it needs and ignores the rest: an activity its dates and text
    (filled as the first of its output), a benchmark its term (short, medium or long, in
    the plan's windows), a risk its rating; `owner` leads or owns the row.
    """
    if item_type == "activity":
        if dates is None:
            raise ValueError("an activity needs its dates")
        return activity_values(owner, *dates, text=text)
    if item_type == "benchmark":
        if term not in TERMS:
            raise ValueError(f"a benchmark needs a term (short, medium or long), not {term!r}")
        return benchmark_values(owner, plan.window(term))
    if item_type == "risk":
        return risk_values(owner, likelihood, impact)
    if item_type == "consideration":
        return consideration_values()
    raise ValueError(f"no sample values for an item of type {item_type!r}")


# --- the demo's sample submissions ---------------------------------------------------------------


@dataclass(frozen=True)
class Mistake:
    """A typical mistake planted in a sample submission, with what validation should say."""

    item_id: str
    column: str
    value: object
    expected_code: str
    note: str
    """What the mistake is, in the language spoken (the demo's tour tells it)."""


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
        values[row.item_id] = _activity(row.text, code, block, start, end, index)
        if index:
            values[row.item_id]["depends_on"] = activities[index - 1].item_id
    for row in framework_rows:
        if row.item_type != "activity":
            # a high (mitigated) risk now and then
            likelihood, impact = (4, 4) if len(values) % 5 == 0 else (2, 3)
            values[row.item_id] = item_values(
                row.item_type, code, plan, term=row.term, likelihood=likelihood, impact=impact
            )
    added = next(r for r in block.rows if r.added)
    start, end = schedule[-1]
    text = f"Coordinate {block.output.title.lower()} with national counterparts."
    own = {"item_type": "activity", "text": text, **_activity(text, code, block, start, end, 1)}
    values[added.item_id] = own
    return values


def _contribution(block: OutputBlock, layout: WorkbookLayout) -> Values:
    plan, code = layout.plan, layout.code
    added = next(r for r in block.rows if r.added)
    first_activity = next((r for r in block.rows if r.item_type == "activity"), None)
    start, end = _schedule(plan, 3)[2]
    text = f"{code} contribution to {block.output.id} {block.output.title.lower()}."
    values = {"item_type": "activity", "text": text, **_activity(text, code, block, start, end, 2)}
    if first_activity is not None:
        values["depends_on"] = first_activity.item_id
    return {added.item_id: values}


def _activity(
    text: str, code: str, block: OutputBlock, start: dt.date, end: dt.date, index: int
) -> Cells:
    """The demo's activity: the output's first other supporting component supports it."""
    support = [c for c in block.setting.support if c != code][:1]
    return activity_values(code, start, end, n=index, text=text, support=", ".join(support))


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
        plant(
            activities[0],
            "start",
            start.strftime("%d/%m/%Y"),
            findings.DATE_TYPED_AS_TEXT.code,
            translate("a date typed as text"),
        )
        plant(
            activities[0],
            "priority",
            "HIGH",
            findings.CHOICE_SPELLING.code,
            translate("a choice in capitals"),
        )
    if kind == "errors" and len(activities) >= 2 and risks:
        start = values[activities[1]]["start"]
        assert isinstance(start, dt.date)
        plant(
            activities[1],
            "end",
            start - dt.timedelta(days=10),
            findings.END_BEFORE_START.code,
            translate("an activity that ends before it starts"),
        )
        plant(
            activities[0],
            "depends_on",
            f"{output_of(activities[0])}-A99",
            findings.DEPENDENCY_UNKNOWN.code,
            translate("a dependency on an activity that does not exist"),
        )
        plant(
            risks[0],
            "likelihood",
            5,
            findings.HIGH_RISK_WITHOUT_MITIGATION.code,
            translate("a high risk without mitigation"),
        )
        values[risks[0]]["impact"] = 4
        values[risks[0]]["mitigation"] = None
        plant(
            activities[0],
            "budget",
            "=SUM(1000,2000)",
            findings.FORMULA_IN_CELL.code,
            translate("a formula instead of a value"),
        )
        if len(risks) > 1:
            plant(
                risks[1],
                "text",
                "A risk reworded by the component.",
                findings.FRAMEWORK_TEXT_EDITED.code,
                translate("framework text reworded"),
            )
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
            plant(
                first.item_id,
                "lead",
                layout.code,
                findings.CONTEXT_ROW_EDITED.code,
                translate("the lead's activity filled in by a supporting component"),
            )
            contribution = next(r.item_id for r in block.rows if r.added)
            missing = added_item_id(block.output.id, block.setting.lead, 7)
            plant(
                contribution,
                "depends_on",
                missing,
                f"{findings.CONFLICT_MISSING_DEPENDENCY.code} {AT_MERGE}",
                translate("a dependency on an item the lead never added"),
            )
            return


def as_fill(values: Mapping[str, Mapping[str, object]]) -> dict[str, dict[str, object]]:
    """Values ready for fill_workbook: None means leave the cell empty."""
    return {
        item_id: {key: value for key, value in cells.items() if value is not None}
        for item_id, cells in values.items()
    }
