"""Hand-made merged-plan items for the report's tests (no files)."""

from __future__ import annotations

import datetime as dt

from missionplan.schema.items import SubmittedItem
from missionplan.workbook.metadata import OutputMeta, WorkbookMeta
from tests.validate.builders import meta

TODAY = dt.date(2027, 5, 1)


def plan_meta() -> WorkbookMeta:
    """Two outputs: 1.1 led by AAA (BBB supports), 1.2 led by BBB."""
    return meta(
        [
            OutputMeta("1.1", "First output", "AAA", ("BBB",), "high", "lead"),
            OutputMeta("1.2", "Second output", "BBB", (), "medium", "lead"),
        ]
    )


def item(item_id: str, item_type: str, **values: object) -> SubmittedItem:
    """One merged item; its output is the part of its id before the dash."""
    output_id = item_id.split("-")[0]
    fields = {"item_id": item_id, "output_id": output_id, "item_type": item_type, **values}
    fields.setdefault("text", f"Text of {item_id}.")
    return SubmittedItem(
        item_id, output_id, item_type, "1 Objective", 5, True, False, tuple(fields.items())
    )


def activity(
    item_id: str, start: str, end: str, lead: str = "AAA", **values: object
) -> SubmittedItem:
    return item(
        item_id,
        "activity",
        lead=lead,
        start=dt.date.fromisoformat(start),
        end=dt.date.fromisoformat(end),
        **values,
    )


def risk(item_id: str, likelihood: int, impact: int, **values: object) -> SubmittedItem:
    values.setdefault("owner", "AAA")
    return item(item_id, "risk", likelihood=likelihood, impact=impact, **values)


def sample_items() -> list[SubmittedItem]:
    """A small plan: a chain A1 -> A2 -> A3 in 1.1, a dependency across outputs, risks."""
    return [
        activity("1.1-A1", "2027-01-01", "2027-02-28", status="completed"),
        activity("1.1-A2", "2027-03-01", "2027-05-31", depends_on="1.1-A1", status="ongoing"),
        activity("1.1-A4", "2027-01-15", "2027-04-30"),
        activity("1.1-A3", "2027-06-01", "2027-09-30", depends_on="1.1-A2, 1.1-A4"),
        activity("1.2-A1", "2027-10-01", "2027-12-31", lead="BBB", depends_on="1.1-A3"),
        item("1.1-BS1", "benchmark", term="short", target_date=dt.date(2027, 6, 30), owner="AAA"),
        item("1.1-BM1", "benchmark", term="medium", target_date=dt.date(2027, 12, 1), owner="BBB"),
        risk("1.1-R1", 4, 5, mitigation="Talk early."),
        risk("1.1-R2", 4, 5),
        risk("1.2-R1", 1, 2),
        risk("1.2-R2", 1, 2, owner="BBB"),
        item("1.2-C1", "consideration", position="Peace first."),
    ]
