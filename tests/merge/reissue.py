"""A stand-in for re-issue (`export --from`) in the merge tests: a round-2 workbook made
from a filled one, its current values recorded as the values it was issued with.

The integrator can swap `reissue` for the real re-issue once it lands: what it writes is
the shared contract (workbook/metadata.py): an `_issued` sheet of `issued_cells` rows, and
the round and the parent plan's fingerprint in `_meta`.
"""

from __future__ import annotations

from pathlib import Path

from missionplan.schema.contract import INPUT_KEYS
from missionplan.schema.items import ISSUED_FIELDS, IssuedItem, issued_text
from missionplan.validate.items import submitted_items
from missionplan.workbook.cells import put, save_workbook
from missionplan.workbook.metadata import ISSUED_SHEET, META_SHEET, issued_cells
from missionplan.workbook.reader import read_submission

PARENT = "5" * 64
"""The fingerprint of a merged plan that exists only in these tests."""


def reissue(
    filled: Path, target: Path, round: int = 2, parent: str = PARENT, changed: str = ""
) -> Path:
    """filled as issued for `round`: every item row's values as they stand now are issued.

    changed says who last changed each item (default: the workbook's component, round 1)."""
    import openpyxl

    submission = read_submission(filled)
    who = changed or f"{submission.meta.component}, round {round - 1}"
    rows = [
        IssuedItem(item.item_id, tuple((k, issued_text(item.value(k))) for k in INPUT_KEYS), who)
        for item in submitted_items(submission)
    ]
    wb = openpyxl.load_workbook(filled)
    meta = wb[META_SHEET]
    keys = {str(meta.cell(r, 1).value): r for r in range(1, meta.max_row + 1)}
    for key, value in (("round", str(round)), ("parent", parent)):
        row = keys.get(key, meta.max_row + 1)
        put(meta.cell(row, 1), key)
        put(meta.cell(row, 2), value)
    sheet = wb.create_sheet(ISSUED_SHEET)
    for col, name in enumerate(ISSUED_FIELDS, start=1):
        put(sheet.cell(1, col), name)
    for number, item in enumerate(rows, start=2):
        for col, text in enumerate(issued_cells(item), start=1):
            put(sheet.cell(number, col), text)
            sheet.cell(number, col).number_format = "@"
    sheet.sheet_state = "veryHidden"
    target.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, target)
    return target
