"""Fill in a planning workbook as a focal point would: by item id and column key.

Used by the demo (sample submissions) and by tests. It edits cells the way
a person does in Excel, through the headers, and keeps everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from missionplan.schema.contract import BY_HEADER, ID_COLUMN


def fill_workbook(
    source: Path, values: Mapping[str, Mapping[str, object]], target: Path | None = None
) -> Path:
    """Write values[item_id][column key] into the rows of those items; save to target."""
    from openpyxl import load_workbook

    wb = load_workbook(source)
    remaining = {item_id: dict(cells) for item_id, cells in values.items()}
    for ws in wb.worksheets:
        columns = {}
        for cell in ws[1]:
            column = BY_HEADER.get(" ".join(str(cell.value or "").split()).casefold())
            if column is not None:
                columns[column.key] = cell.column
        if ID_COLUMN not in columns:
            continue
        for row in range(2, ws.max_row + 1):
            item_id = ws.cell(row, columns[ID_COLUMN]).value
            cells = remaining.pop(str(item_id), None) if item_id else None
            if not cells:
                continue
            for key, value in cells.items():
                ws.cell(row, columns[key]).value = value
    if remaining:
        missing = ", ".join(sorted(remaining))
        raise KeyError(f"no row for item ids: {missing}")
    out = target or source
    wb.save(out)
    return out
