"""The items a returned workbook yields, typed: what merge works from.

Every item row, first row per id, with its values converted as validation converts them;
empty prepared rows are left out. Rows the component inserted get the ids validation
gives them (rows.py: complete_added_rows), so merge takes the ids the report names.
Validation can make them from the rows and typed values it already has (`items_from`),
so merge does not read and convert every row a second time.
"""

from __future__ import annotations

import pandas as pd

from missionplan.schema.items import SubmittedItem
from missionplan.validate.rows import (
    HEADERS,
    Collector,
    RowTable,
    SheetRow,
    complete_added_rows,
    gathered,
    read_rows,
)
from missionplan.validate.values import CellIssue, normalize_columns
from missionplan.workbook.reader import Submission

Kept = tuple[SheetRow, bool, bool]
"""An item row, whether the component could edit it, whether it was added."""


def submitted_items(submission: Submission) -> list[SubmittedItem]:
    """Every item row of a workbook (first row per id), typed; empty prepared rows left out."""
    tables = read_rows(submission, Collector(submission.file))
    complete_added_rows(tables, submission)
    kept = item_rows(tables, submission)
    typed, _ = typed_rows([row for row, _, _ in kept], submission.meta.components)
    return items_from(kept, typed)


def item_rows(tables: list[RowTable], submission: Submission) -> list[Kept]:
    """The rows that are items (first row per id; an added one only with input and a type),
    with whether each was editable and added, in row order."""
    by_id = {e.item_id: e for e in submission.expected}
    kept: list[Kept] = []
    seen: set[str] = set()
    for row, item_id in (
        pair for table in tables for pair in zip(table.rows, table.texts("item_id"), strict=True)
    ):
        if not item_id or item_id in seen:
            continue
        seen.add(item_id)
        item = by_id.get(item_id)
        added = item is None or item.added
        if added and not (row.has_input() and row.text("item_type")):
            continue
        kept.append((row, added or bool(item and item.editable), added))
    return kept


def typed_rows(
    rows: list[SheetRow], components: tuple[str, ...]
) -> tuple[pd.DataFrame, list[CellIssue]]:
    """The rows' cells converted, a typed row each in order, and the cells that did not
    convert: values.normalize of a frame of the cells as found, but from each column's
    cells as gathered (missing cells as ''), without that frame between (made and taken
    apart again, it cost a tenth of validating a large workbook). Each column holds the
    cells' own objects, so a cell converts the same whichever rows are converted with it."""
    return normalize_columns(gathered(rows, HEADERS), pd.RangeIndex(len(rows)), components)


def items_from(kept: list[Kept], typed: pd.DataFrame) -> list[SubmittedItem]:
    """The items of the kept rows, from their typed values (a row of `typed` each, in order)."""
    columns = [(key, typed[key].tolist()) for key in HEADERS if key in typed]
    items = []
    for position, (row, editable, added) in enumerate(kept):
        found = {key: plain_value(values[position]) for key, values in columns}
        items.append(
            SubmittedItem(
                item_id=row.text("item_id"),
                output_id=row.text("output_id"),
                item_type=row.text("item_type"),
                sheet=row.sheet,
                row=row.number,
                editable=editable,
                added=added,
                values=tuple((key, found.get(key)) for key in HEADERS),
            )
        )
    return items


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
