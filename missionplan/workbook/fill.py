"""Fill in a planning workbook as a focal point would: by item id and column key.

Used by the demo (sample submissions) and by tests. It edits cells the way
a person does in Excel, through the headers, and keeps everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from missionplan.schema.contract import BY_HEADER, ID_COLUMN
from missionplan.workbook.cells import save_stamped

if TYPE_CHECKING:
    from openpyxl import Workbook


def fill_workbook(
    source: Path, values: Mapping[str, Mapping[str, object]], target: Path | None = None
) -> Path:
    """Write values[item_id][column key] into the rows of those items; save to target."""
    from openpyxl import load_workbook

    wb = load_workbook(source)
    fill_cells(wb, values)
    out = target or source
    save_stamped(wb, out)
    return out


def fill_cells(wb: Workbook, values: Mapping[str, Mapping[str, object]]) -> None:
    """Write values[item_id][column key] into the rows of those items of an open workbook."""
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


def as_reopened(wb: Workbook) -> None:
    """Make a workbook just saved what load_workbook would read back from its file, so that
    filling or annotating it saves the bytes that reopening the file and doing so would.

    Saving is not free of effects in openpyxl: the first cell of each style hands its own
    style array to the workbook's style table (a later change to that cell would change
    the table), and the sheet format takes the column outline level. And a file does not
    keep all a cell held: a date comes back as a datetime at midnight, empty text as an
    empty cell, and a selection names its active cell. The demo, which fills the workbooks
    it has just written, keeps them open instead of reading each back (a load costs what
    a build does).
    """
    import datetime as dt
    from copy import copy

    from openpyxl.worksheet.views import SheetView

    for ws in wb.worksheets:
        ws.views.sheetView = [SheetView.from_tree(view.to_tree()) for view in ws.views.sheetView]
        ws.column_dimensions.max_outline = None
        for cell in ws._cells.values():
            cell._style = copy(cell._style)
            value = cell._value
            if value == "":
                cell._value, cell.data_type = None, "inlineStr"  # as the reader leaves it
            elif type(value) is dt.date:
                cell._value = dt.datetime.combine(value, dt.time())
