"""`diff --out`: NEW with every changed cell highlighted, the old value in its comment.

A Changes sheet first lists every change, each linked to its cell (a removed item has
no cell in NEW, so no link). NEW itself is never touched: the copy is written atomically.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from missionplan.diff.rules import Diff, ItemChange, shown
from missionplan.schema.contract import BY_KEY, ID_COLUMN
from missionplan.schema.language import every_spelling, translate
from missionplan.workbook import styles
from missionplan.workbook.cells import save_stamped
from missionplan.workbook.sheet import Page, Table, lay_out

CHANGES_SHEET = "Changes"
CHANGES_HEADERS = ("Output", "Item ID", "Change", "Column", "Old", "New", "Sheet", "Cell")
"""The Changes sheet's columns (translated when written)."""
COMMENT_AUTHOR = "missionplan"
CHANGED_FILL = styles.fill("C6EFCE")
"""Light green: a changed cell, told apart from the findings' red and amber."""

Letters = Mapping[str, Mapping[str, str]]
"""sheet name -> column key -> column letter, as found in NEW."""


def write_changes(new: Path, found: Diff, letters: Letters, target: Path) -> None:
    """Load NEW, mark every changed cell and added row, add the Changes sheet, save to target."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment

    wb = load_workbook(new)
    rows: list[tuple[ItemChange, str, str, str, str]] = []  # change, column, old, new, cell
    for change in found.changes:
        columns = letters.get(change.sheet, {}) if change.kind != "removed" else {}
        if change.kind != "changed":
            cell = _cell(columns, ID_COLUMN, change.row)
            rows.append((change, "", "", "", cell))
            if cell and change.sheet in wb.sheetnames:
                wb[change.sheet][cell].fill = CHANGED_FILL
            continue
        if change.moved_from is not None:
            cell = _cell(columns, "output_id", change.row)
            output = translate(BY_KEY["output_id"].header)
            rows.append((change, output, change.moved_from, change.output_id, cell))
            _mark(wb, change.sheet, cell, _was(change.moved_from), Comment)
        for f in change.fields:
            cell = _cell(columns, f.key, change.row)
            rows.append((change, f.column, shown(f.old), shown(f.new), cell))
            _mark(wb, change.sheet, cell, _was(shown(f.old)), Comment)
    _changes_sheet(wb, found, rows)
    save_stamped(wb, target)


def _was(old: str) -> str:
    return translate("was: {old}").format(old=old)


def _cell(columns: Mapping[str, str], key: str, row: int) -> str:
    letter = columns.get(key)
    return f"{letter}{row}" if letter else ""


def _mark(wb: object, sheet: str, cell: str, text: str, comment: type) -> None:
    from openpyxl.workbook.workbook import Workbook

    assert isinstance(wb, Workbook)
    if cell and sheet in wb.sheetnames:
        wb[sheet][cell].fill = CHANGED_FILL
        wb[sheet][cell].comment = comment(text[:2000], COMMENT_AUTHOR, width=320, height=100)


def _changes_sheet(
    wb: object, found: Diff, rows: list[tuple[ItemChange, str, str, str, str]]
) -> None:
    from openpyxl.workbook.workbook import Workbook

    assert isinstance(wb, Workbook)
    for spelling in every_spelling(CHANGES_SHEET):  # a diff of a diff: one Changes sheet
        if spelling in wb.sheetnames:
            del wb[spelling]
    ws = wb.create_sheet(translate(CHANGES_SHEET), 0)
    headers = tuple(translate(header) for header in CHANGES_HEADERS)
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(1, index, header)
        cell.font = styles.HEADER_FONT
        cell.fill = styles.HEADER_FILL
        cell.alignment = styles.HEADER_ALIGN
    for number, (change, column, old, new, where) in enumerate(rows, start=2):
        sheet = (
            change.sheet
            if change.kind != "removed"
            else translate("{sheet} (in OLD)").format(sheet=change.sheet)
        )
        kind = translate(change.kind, context="change")
        values = (change.output_id, change.item_id, kind, column, old, new, sheet, where)
        for index, value in enumerate(values, start=1):
            cell = ws.cell(number, index)
            cell.value = value
            cell.data_type = "s"  # values as text, never as formulas
            cell.font = styles.BODY_FONT
            cell.alignment = styles.WRAP
        if where and change.kind != "removed":
            link = ws.cell(number, len(headers))
            link.hyperlink = f"#'{change.sheet}'!{where}"
            link.font = styles.LINK_FONT
    wb.active = 0
    for sheet_ in wb.worksheets:
        sheet_.sheet_view.tabSelected = sheet_ is ws
    table = Table(1, max(1, len(rows) + 1), len(headers))
    lay_out(ws, Page.of_workbook(wb), [table], header_row=1, autofilter=table.ref)
