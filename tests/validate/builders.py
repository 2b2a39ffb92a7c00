"""Builders the tests of this folder share: small plans, rows and submissions made by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from missionplan.planning.plan import Window, term_windows
from missionplan.schema.contract import COLUMNS
from missionplan.validate.checks import CheckContext
from missionplan.workbook.metadata import OutputMeta, WorkbookMeta

PERIOD_START = dt.date(2027, 1, 1)
PERIOD_END = dt.date(2029, 12, 31)
COMPONENTS = ("AAA", "BBB", "CCC")
KEYS = [c.key for c in COLUMNS]
SHEET = "1 Objective one"
WINDOWS = term_windows(PERIOD_START, PERIOD_END, 6, 12)
CONTEXT = CheckContext(Window("long", PERIOD_START, PERIOD_END), WINDOWS)


def raw_frame(rows: list[dict[str, object]], dtype: str | None = None) -> pd.DataFrame:
    """Raw cells as validate builds them (pandas infers each column's type)."""
    return pd.DataFrame(
        [{k: row.get(k, "") for k in KEYS} for row in rows], columns=KEYS, dtype=dtype
    )


def activity(**values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "output_id": "1.1",
        "item_id": "1.1-A1",
        "item_type": "activity",
        "text": "Train district officials.",
        "lead": "AAA",
        "start": dt.date(2027, 2, 1),
        "end": dt.date(2027, 5, 1),
        "priority": "high",
        "budget": 100,
        "funding": "trust fund",
        "hrddp": "not applicable",
        "status": "planned",
    }
    row.update(values)
    return row


def benchmark(**values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "output_id": "1.1",
        "item_id": "1.1-BS1",
        "item_type": "benchmark",
        "text": "Offices open.",
        "term": "short",
        "indicator": "offices",
        "baseline": "0",
        "target": "5",
        "target_date": dt.date(2027, 6, 30),
        "verification": "reports",
        "owner": "AAA",
        "status": "planned",
    }
    row.update(values)
    return row


def risk(**values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "output_id": "1.1",
        "item_id": "1.1-R1",
        "item_type": "risk",
        "text": "Elections delayed.",
        "likelihood": 2,
        "impact": 2,
        "owner": "BBB",
    }
    row.update(values)
    return row


def meta(outputs: Iterable[OutputMeta] | None = None) -> WorkbookMeta:
    return WorkbookMeta(
        plan_id="p-test",
        mission="Test mission",
        mandate="",
        component="AAA",
        component_name="Component A",
        framework_id="considerations",
        framework_edition="",
        framework_fingerprint="",
        contract_version="1",
        missionplan_version="0",
        period_start=PERIOD_START,
        period_end=PERIOD_END,
        short_term_months=6,
        medium_term_months=12,
        submit_to="",
        components=COMPONENTS,
        outputs=tuple(
            outputs
            if outputs is not None
            else [OutputMeta("1.1", "First output", "AAA", ("BBB",), "high", "lead")]
        ),
    )


FRAMEWORK = [
    ("1.1-A1", "activity", "", "Train district officials."),
    ("1.1-A2", "activity", "", "Open offices."),
    ("1.1-BS1", "benchmark", "short", "Officials named."),
    ("1.1-BM1", "benchmark", "medium", "Offices open."),
    ("1.1-BL1", "benchmark", "long", "Services delivered."),
    ("1.1-R1", "risk", "", "Elections delayed."),
    ("1.1-C1", "consideration", "", "Speed versus ownership."),
]


def cells(**values: object) -> tuple[object, ...]:
    return tuple(values.get(k, "") for k in KEYS)


def good_rows() -> dict[str, dict[str, object]]:
    """The values of a complete submission, by item id."""
    framework = {i: {"item_type": k, "term": t, "text": x} for i, k, t, x in FRAMEWORK}
    rows: dict[str, dict[str, object]] = {
        "1.1-A1": activity(item_id="1.1-A1", gender="Women lead half the sessions."),
        "1.1-A2": activity(item_id="1.1-A2", text="Open offices.", depends_on="1.1-A1",
                           start=dt.date(2027, 5, 2), end=dt.date(2027, 8, 1)),
        "1.1-BS1": benchmark(item_id="1.1-BS1", text="Officials named."),
        "1.1-BM1": benchmark(item_id="1.1-BM1", text="Offices open.", term="medium",
                             target_date=dt.date(2028, 1, 1)),
        "1.1-BL1": benchmark(item_id="1.1-BL1", text="Services delivered.", term="long",
                             target_date=dt.date(2029, 1, 1)),
        "1.1-R1": risk(item_id="1.1-R1", text="Elections delayed."),
        "1.1-C1": {"item_type": "consideration", "position": "Ownership first."},
        "1.1-AAA-01": {},
        "1.1-AAA-02": {},
    }  # fmt: skip
    for item_id, values in rows.items():
        values.update(framework.get(item_id, {}))
        values.update(output_id="1.1", item_id=item_id)
    return rows


def untouched_rows() -> dict[str, dict[str, object]]:
    """The framework rows of output 1.1 as exported, nothing filled in, by item id."""
    return {
        item_id: {
            "output_id": "1.1",
            "item_id": item_id,
            "item_type": kind,
            "term": term,
            "text": text,
        }
        for item_id, kind, term, text in FRAMEWORK
    }
