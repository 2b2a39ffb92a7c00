"""Rows of a returned workbook as found, with where their cells are, and findings as found.

Shared by the rules (rules.py) and the items a submission yields (items.py): both read the
objective sheets' rows the same way, with formula cells reported and blanked, and both
complete the rows a component inserted the same way (`complete_added_rows`), so that
validation reports and merge takes the same ids.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from missionplan.schema.contract import COLUMNS
from missionplan.schema.findings import (
    COLUMN_HEADER_CHANGED,
    FORMULA_IN_COLUMN,
    FORMULA_OUTSIDE_COLUMNS,
    FilledMessage,
    Finding,
    FindingType,
    finding,
)
from missionplan.schema.ids import ADDED_REF, next_added_ids
from missionplan.schema.language import LANGUAGES, translate
from missionplan.schema.text import filled_text
from missionplan.workbook.cells import column_letter
from missionplan.workbook.reader import SheetTable, Submission

HEADERS = {c.key: c.header for c in COLUMNS}
FILLABLE_KEYS = tuple(c.key for c in COLUMNS if c.role != "key")
NEW_ROW_KEYS = ("output_id", "item_id", "item_type")
"""The columns a sheet needs for its inserted rows to be given an output and an id."""


@cache
def _lead_markers() -> tuple[str, ...]:
    """How a band row names its lead, in every language a workbook can be written in."""
    return tuple(dict.fromkeys(translate("Lead:", language) for language in LANGUAGES))


@dataclass(slots=True)
class SheetRow:
    """One data row as found on a sheet, with where its cells are."""

    sheet: str
    number: int
    values: dict[str, object]
    letters: dict[str, str]
    block: str = ""
    """The output whose blue band this row sits under ('' above the sheet's first band)."""
    _texts: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    """text() of each key asked for so far (rules ask for the same cells many times)."""
    _band: bool | None = field(default=None, init=False, repr=False, compare=False)
    """is_band(), once asked (the rules ask it of every row several times)."""

    def text(self, key: str) -> str:
        found = self._texts.get(key)
        if found is None:
            value = self.values.get(key)
            # filled_text(value) or "", without its calls for the common text cell
            found = value.strip() if type(value) is str else filled_text(value) or ""
            self._texts[key] = found
        return found

    def set(self, key: str, value: object) -> None:
        """Change a cell's value (a blanked formula, a filled-in id): always through here."""
        self.values[key] = value
        self._texts.pop(key, None)
        self._band = None

    def is_band(self) -> bool:
        """Whether this is an output's band row (its id, title, lead and support; no item id)."""
        if self._band is None:
            if self.text("item_id"):  # most rows: an item, no band
                self._band = False
                return False
            output = self.text("output_id")
            text = self.text("text")
            self._band = (
                bool(output)
                and text.startswith(f"{output} ")
                and any(marker in text for marker in _lead_markers())
            )
        return self._band

    def cell(self, key: str) -> str:
        return f"{self.letters.get(key, 'A')}{self.number}"

    def has_input(self) -> bool:
        for key in FILLABLE_KEYS:
            value = self.values.get(key)
            if value is not None and value != "" and filled_text(value) is not None:
                return True
        return False


@dataclass
class Collector:
    """Findings as they are found, plus the rows whose values are to be checked."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    checked: list[SheetRow] = field(default_factory=list)
    bands: dict[str, SheetRow] = field(default_factory=dict)

    def add(self, row: SheetRow, key: str, message: FilledMessage[FindingType]) -> None:
        """A finding at one cell of a row: its column, item id and value come from the row."""
        self.findings.append(
            finding(
                message,
                sheet=row.sheet,
                cell=row.cell(key),
                column=HEADERS.get(key, ""),
                item_id=row.text("item_id"),
                value=row.values.get(key, ""),
            )
        )


def read_rows(submission: Submission, collector: Collector) -> list[SheetRow]:
    """Every data row of every objective sheet; formula cells are reported and blanked."""
    rows: list[SheetRow] = []
    for sheet in submission.sheets:
        letters = {key: column_letter(index + 1) for key, index in sheet.columns.items()}
        for key in sheet.missing_columns:
            collector.findings.append(
                finding(
                    COLUMN_HEADER_CHANGED.fill(column=HEADERS[key]),
                    sheet.name,
                    f"A{sheet.header_row}",
                    column=HEADERS[key],
                )
            )
        formulas = submission.formulas.get(sheet.name, frozenset())
        block = ""
        by_row = _formula_letters(formulas)
        columns = list(sheet.columns.items())
        keys = [key for key, _ in columns]
        pick = _picker([i for _, i in columns])
        needed = max((i for _, i in columns), default=-1) + 1
        for number, cells in sheet.rows:
            width = len(cells)
            if width >= needed:
                values = dict(zip(keys, pick(cells), strict=True))
            else:
                values = {key: cells[i] if i < width else "" for key, i in columns}
            row = SheetRow(sheet.name, number, values, letters)
            in_row = by_row.get(str(number)) if by_row else None
            if in_row:
                for key, letter in letters.items():
                    if letter in in_row:
                        collector.add(row, key, FORMULA_IN_COLUMN.fill(column=HEADERS[key]))
                        row.set(key, "")
            if row.is_band():
                block = row.text("output_id")
            row.block = block
            rows.append(row)
        _formulas_outside_columns(sheet, formulas, letters, collector)
    return rows


def _picker(indices: list[int]) -> Callable[[tuple[object, ...]], tuple[object, ...]]:
    """The cells at these positions of a row, as a tuple (one C call a row)."""
    if not indices:
        return lambda cells: ()
    if len(indices) == 1:
        return lambda cells: (cells[indices[0]],)
    return operator.itemgetter(*indices)


CELL_REFERENCE = re.compile(r"([A-Z]+)(\d+)")


def _formula_letters(formulas: frozenset[str]) -> dict[str, set[str]]:
    """The formula cells by row number (as written in the reference): the column letters."""
    by_row: dict[str, set[str]] = {}
    for ref in formulas:
        match = CELL_REFERENCE.fullmatch(ref)
        if match:
            by_row.setdefault(match.group(2), set()).add(match.group(1))
    return by_row


def _formulas_outside_columns(
    sheet: SheetTable, formulas: frozenset[str], letters: dict[str, str], collector: Collector
) -> None:
    known = set(letters.values())
    for ref in sorted(formulas):
        letter = re.sub(r"\d", "", ref)
        if letter not in known:
            collector.findings.append(finding(FORMULA_OUTSIDE_COLUMNS.fill(), sheet.name, ref))


@dataclass(frozen=True)
class FilledIn:
    """A cell of a row the component added that missionplan filled in (its id, its output)."""

    row: SheetRow
    key: str
    value: str


def complete_added_rows(rows: list[SheetRow], submission: Submission) -> list[FilledIn]:
    """Give the rows a component inserted what the locked cells kept it from typing.

    A row with content that the template did not give out takes the output of the band
    it sits under when its Output cell is empty; one that also has a Type but no Item ID
    is given the next free id of the component under that output (schema/ids.py), in row
    order. The rows are changed in place; what was filled in is returned, for the report
    and the annotated copy.
    """
    meta = submission.meta
    outputs = {o.id for o in meta.outputs}
    template = {e.item_id for e in submission.expected}
    filled: list[FilledIn] = []
    new: list[SheetRow] = []
    for row in rows:
        if (
            any(key not in row.letters for key in NEW_ROW_KEYS)
            or row.is_band()
            or row.text("item_id") in template
            or not row.has_input()
        ):
            continue
        if not row.text("output_id") and row.block in outputs:
            row.set("output_id", row.block)
            filled.append(FilledIn(row, "output_id", row.block))
        if not row.text("item_id") and row.text("item_type") and row.text("output_id") in outputs:
            new.append(row)
    given: tuple[str, ...] = ()
    if new:  # the ids taken are looked at only when some row needs one
        taken = [*template, *(row.text("item_id") for row in rows)]
        given = next_added_ids(meta.component, [row.text("output_id") for row in new], taken)
    for row, item_id in zip(new, given, strict=True):
        row.set("item_id", item_id)
        filled.append(FilledIn(row, "item_id", item_id))
        if "ref" in row.letters and not row.text("ref"):
            row.set("ref", ADDED_REF)
            filled.append(FilledIn(row, "ref", ADDED_REF))
    return filled
