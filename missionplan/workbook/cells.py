"""Cell mechanics every writer and reader shares: A1 letters, values as values, saving.

Nothing here imports openpyxl at module level, so the readers stay light.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from missionplan.schema.text import FORMULA_START

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell


def column_letter(index: int) -> str:
    """1-based column number -> A1 letters: 1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_number(letters: str) -> int:
    """A1 letters -> 1-based column number: A -> 1, AA -> 27."""
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def put(cell: Cell, value: object) -> None:
    """Write a value; text is always stored as text, never read as a formula.

    Text is stored as openpyxl's ``Cell._bind_value`` stores it (cut to 32,767 characters,
    the type 's', or 'e' for an error code), without its type dispatch: most of a
    workbook's cells are text. Text openpyxl refuses goes through its setter, which raises.
    """
    if type(value) is str:
        error_codes, illegal = _openpyxl_text_rules()
        text = value[:32767]
        if illegal.search(text) is None:
            cell._value = text
            if text.startswith(FORMULA_START):
                cell.data_type = "s"
                cell.quotePrefix = True
            else:
                cell.data_type = "e" if text in error_codes else "s"
            return
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


@functools.cache
def _openpyxl_text_rules() -> tuple[tuple[str, ...], re.Pattern[str]]:
    """openpyxl's error codes and the characters it refuses in text, imported once: an
    import statement in ``put`` took as long as the rest of it, on every cell."""
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

    return ERROR_CODES, ILLEGAL_CHARACTERS_RE


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save without openpyxl stamping the current time: same input, same bytes.

    The rows are written by workbook/sheetdata.py, openpyxl's own XML made faster.
    """
    from zipfile import ZIP_DEFLATED, ZipFile

    from missionplan.workbook.sheetdata import SheetDataExcelWriter

    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        SheetDataExcelWriter(wb, archive).save()


def save_stamped(wb: Workbook, path: Path) -> None:
    """Save as openpyxl's Workbook.save does, stamped with the time of saving (a workbook
    a person opens next), but with the rows written by workbook/sheetdata.py."""
    import datetime as dt

    wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    save_workbook(wb, path)
