"""The items a returned workbook yields, typed: what merge works from.

Every item row, first row per id, with its values converted as validation converts them;
empty prepared rows are left out. Rows the component inserted get the ids validation
gives them (rows.py: complete_added_rows), so merge takes the ids the report names.
"""

from __future__ import annotations

import pandas as pd

from missionplan.schema.items import SubmittedItem
from missionplan.validate.rows import HEADERS, Collector, SheetRow, complete_added_rows, read_rows
from missionplan.validate.values import normalize
from missionplan.workbook.reader import Submission


def submitted_items(submission: Submission) -> list[SubmittedItem]:
    """Every item row of a workbook (first row per id), typed; empty prepared rows left out."""
    collector = Collector(submission.file)
    by_id = {e.item_id: e for e in submission.expected}
    kept: list[tuple[SheetRow, bool, bool]] = []
    seen: set[str] = set()
    rows = read_rows(submission, collector)
    complete_added_rows(rows, submission)
    for row in rows:
        item_id = row.text("item_id")
        if not item_id or item_id in seen:
            continue
        seen.add(item_id)
        item = by_id.get(item_id)
        added = item is None or item.added
        if added and not (row.has_input() and row.text("item_type")):
            continue
        kept.append((row, added or bool(item and item.editable), added))
    raw = pd.DataFrame(
        [{key: row.values.get(key, "") for key in HEADERS} for row, _, _ in kept],
        columns=list(HEADERS),
    )
    typed, _ = normalize(raw, submission.meta.components)
    records = typed.to_dict("records")
    return [
        SubmittedItem(
            item_id=row.text("item_id"),
            output_id=row.text("output_id"),
            item_type=row.text("item_type"),
            sheet=row.sheet,
            row=row.number,
            editable=editable,
            added=added,
            values=tuple((key, plain_value(record.get(key))) for key in HEADERS),
        )
        for (row, editable, added), record in zip(kept, records, strict=True)
    ]


def plain_value(value: object) -> object:
    """A typed cell value as plain Python: dates as date, lists as 'A, B', missing as None."""
    if value is None:
        return None
    kind = type(value)
    if kind is str or kind is int:  # most cells: no pandas call per cell
        return value
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, float) and value != value:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value
