"""Rows of a returned workbook as found, with where their cells are, and findings as found.

Shared by the rules (rules.py) and the items a submission yields (items.py): both read the
objective sheets' rows the same way, with formula cells reported and blanked, and both
complete the rows a component inserted the same way (`complete_added_rows`), so that
validation reports and merge takes the same ids.

A sheet's rows are kept as a table (`RowTable`), and a rule that looks at one column of
every row takes the column at once: the rows of a 40,000-row workbook are then walked a
few times by loops in C, not asked for their cells one call at a time.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from typing import Any, TypeVar

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
T = TypeVar("T")
NEW_ROW_KEYS = ("output_id", "item_id", "item_type")
"""The columns a sheet needs for its inserted rows to be given an output and an id."""


@cache
def _lead_markers() -> tuple[str, ...]:
    """How a band row names its lead, in every language a workbook can be written in."""
    return tuple(dict.fromkeys(translate("Lead:", language) for language in LANGUAGES))


class RowTable:
    """One objective sheet's data rows as read, and each column's cells and texts.

    A column's cells and texts are made once, for every row, when a rule first asks for
    them: most rules look at one column of every row, and a column at once is one loop,
    not a call a cell. Cells change only through `set`, which keeps all of them in step.
    """

    __slots__ = (
        "_at",
        "_cells",
        "_columns",
        "_fillable",
        "bands",
        "blocks",
        "letters",
        "rows",
        "sheet",
        "text_columns",
    )  # fmt: skip

    def __init__(self, sheet: SheetTable) -> None:
        self.sheet = sheet.name
        self._at = dict(sheet.columns)
        """Where each of the sheet's contract columns is in a row's cells."""
        self.letters = {key: column_letter(index + 1) for key, index in sheet.columns.items()}
        needed = max(self._at.values(), default=-1) + 1
        cells = [cells for _, cells in sheet.rows]
        if cells and min(map(len, cells)) < needed:  # a short row: its missing cells empty
            pad = ("",) * needed
            cells = [row if len(row) >= needed else (*row, *pad[len(row) :]) for row in cells]
        self._cells = cells
        self._columns: dict[str, list[object]] = {}
        self.text_columns: dict[str, list[str]] = {}
        self._fillable = [self._at[key] for key in FILLABLE_KEYS if key in self._at]
        self.rows = [SheetRow(self, index, number) for index, (number, _) in enumerate(sheet.rows)]
        self.bands: list[bool] = []
        """Whether each row is an output's band row (`find_bands`)."""
        self.blocks: list[str] = []
        """The output whose band each row sits under, as read ('' above the first band)."""

    def column(self, key: str) -> list[object]:
        """Every row's cell of a column ('' for each when the sheet lacks the column)."""
        found = self._columns.get(key)
        if found is None:
            at = self._at.get(key)
            found = (
                [""] * len(self._cells) if at is None else list(map(itemgetter(at), self._cells))
            )
            self._columns[key] = found
        return found

    def cells_of(self, positions: list[int] | None) -> Sequence[tuple[object, ...]]:
        """Some rows' cells (None: every row's), each row as long as the sheet's columns need."""
        if positions is None:
            return self._cells
        if len(positions) == 1:
            return [self._cells[positions[0]]]
        return itemgetter(*positions)(self._cells)

    def positions(self, keys: Iterable[str]) -> list[int | None]:
        """Where these columns are in a row's cells (None: the sheet lacks the column)."""
        return [self._at.get(key) for key in keys]

    def columns_of(
        self, positions: list[int] | None, keys: Iterable[str]
    ) -> dict[str, Sequence[object]]:
        """Some rows' cells (None: every row's) of these columns, by key, in one pass."""
        cells = self.cells_of(positions)
        columns = list(zip(*cells, strict=False))  # padded rows: each has every column
        empty = [""] * len(cells)
        return {
            key: empty if key not in self._at or not cells else columns[self._at[key]]
            for key in keys
        }

    def texts(self, key: str) -> list[str]:
        """Every row's cell of a column as its text, stripped ('' when empty)."""
        found = self.text_columns.get(key)
        if found is None:
            column: list[Any] = self.column(key)  # texts, but for the odd cell
            try:  # the common column: every cell a text, each stripped in C
                found = list(map(str.strip, column))
            except TypeError:  # some cell is no text: _text, without its call for a text cell
                found = [value.strip() if type(value) is str else _text(value) for value in column]
            self.text_columns[key] = found
        return found

    def text_at(self, index: int, key: str) -> str:
        """One row's cell of a column as its text (a column not asked for as a whole)."""
        return _text(self.value(index, key))

    def value(self, index: int, key: str) -> object:
        at = self._at.get(key)
        return "" if at is None else self._cells[index][at]

    def set(self, index: int, key: str, value: object) -> None:
        """Change one row's cell of a column the sheet has (a blanked formula, a filled-in id)."""
        cells = list(self._cells[index])
        cells[self._at[key]] = value
        self._cells[index] = tuple(cells)
        if key in self._columns:
            self._columns[key][index] = value
        if key in self.text_columns:
            self.text_columns[key][index] = _text(value)
        if self.bands:
            self.bands[index] = self._band(index)

    def has_input(self, index: int) -> bool:
        cells = self._cells[index]
        for at in self._fillable:
            value = cells[at]
            if type(value) is str:
                if value.strip():
                    return True
            elif value is not None and value != "" and filled_text(value) is not None:
                return True
        return False

    def find_bands(self) -> None:
        """Which rows are band rows, and the band each row sits under, as the rows are now."""
        ids = self.texts("item_id")
        self.bands = [False] * len(ids)
        block, at, blocks = "", 0, []
        for index in [index for index, item_id in enumerate(ids) if not item_id]:
            if self._band(index):
                self.bands[index] = True
                blocks += [block] * (index - at)
                block, at = self.texts("output_id")[index], index
        self.blocks = blocks + [block] * (len(ids) - at)

    def _band(self, index: int) -> bool:
        """Whether a row is an output's band row (its id, title, lead and support; no item id)."""
        if self.texts("item_id")[index]:  # most rows: an item, no band
            return False
        output = self.texts("output_id")[index]
        text = self.text_at(index, "text")  # asked of the rows without an id alone
        return (
            bool(output)
            and text.startswith(f"{output} ")
            and any(marker in text for marker in _lead_markers())
        )


def _text(value: object) -> str:
    """A cell's text, stripped ('' when empty)."""
    return value.strip() if type(value) is str else filled_text(value) or ""


class SheetRow:
    """One data row as found on a sheet, with where its cells are: a row of its RowTable."""

    __slots__ = ("index", "letters", "number", "sheet", "table")

    def __init__(self, table: RowTable, index: int, number: int) -> None:
        self.table = table
        self.index = index
        """Its position among its table's rows."""
        self.number = number
        self.sheet = table.sheet
        self.letters = table.letters

    def __repr__(self) -> str:
        return f"SheetRow({self.sheet!r}, {self.number})"

    @property
    def block(self) -> str:
        """The output whose blue band this row sits under ('' above the sheet's first band)."""
        return self.table.blocks[self.index]

    def text(self, key: str) -> str:
        """The cell's text, stripped ('' when empty): from its column's texts when a rule
        has asked for the whole column (RowTable.texts), else of this cell alone."""
        column = self.table.text_columns.get(key)  # the common case: made already
        return self.table.text_at(self.index, key) if column is None else column[self.index]

    def value(self, key: str) -> object:
        """The cell as found ('' when the sheet lacks the column)."""
        return self.table.value(self.index, key)

    def set(self, key: str, value: object) -> None:
        """Change a cell's value (a blanked formula, a filled-in id): always through here."""
        self.table.set(self.index, key, value)

    def is_band(self) -> bool:
        """Whether this is an output's band row (its id, title, lead and support; no item id)."""
        return self.table.bands[self.index]

    def cell(self, key: str) -> str:
        return f"{self.letters.get(key, 'A')}{self.number}"

    def has_input(self) -> bool:
        return self.table.has_input(self.index)


def gathered(rows: list[SheetRow], keys: Iterable[str]) -> dict[str, list[object]]:
    """Columns' cells of these rows, in their order, by key ('' where a sheet lacks one)."""
    found: dict[str, list[object]] = {key: [] for key in keys}
    for table, positions in runs(rows):
        for key, cells in table.columns_of(positions, found).items():
            found[key] += cells
    return found


def gathered_texts(rows: list[SheetRow], key: str) -> list[str]:
    """One column's texts of these rows, in their order (SheetRow.text of each)."""
    return _gathered(runs(rows), lambda table: table.texts(key))


Run = tuple["RowTable", list[int] | None]
"""Rows of one table: the table, and the rows' positions in it (None: all, in order)."""


def _gathered(runs: list[Run], column_of: Callable[[RowTable], list[T]]) -> list[T]:
    found: list[T] = []
    for table, positions in runs:
        column = column_of(table)
        if positions is None:
            found += column
        elif len(positions) == 1:
            found.append(column[positions[0]])
        else:
            found += itemgetter(*positions)(column)
    return found


def runs(rows: list[SheetRow]) -> list[Run]:
    """The rows as runs of rows of one table, in their order."""
    runs: list[tuple[RowTable, list[int]]] = []
    table: RowTable | None = None
    positions: list[int] = []
    for row in rows:
        if row.table is not table:
            if table is not None:
                runs.append((table, positions))
            table, positions = row.table, []
        positions.append(row.index)
    if table is not None:
        runs.append((table, positions))
    every = [len(p) == len(t.rows) and p == list(range(len(p))) for t, p in runs]
    return [(t, None if whole else p) for (t, p), whole in zip(runs, every, strict=True)]


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
                value=row.value(key),
            )
        )


def read_rows(submission: Submission, collector: Collector) -> list[RowTable]:
    """Every data row of every objective sheet, a table a sheet; formula cells are reported
    and blanked."""
    tables: list[RowTable] = []
    for sheet in submission.sheets:
        table = RowTable(sheet)
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
        by_row = _formula_letters(formulas)
        if by_row:
            numbers = [row.number for row in table.rows]
            for number, in_row in sorted(by_row.items()):
                index = bisect.bisect_left(numbers, number)
                if index == len(numbers) or numbers[index] != number:
                    continue  # not a data row
                row = table.rows[index]
                for key, letter in table.letters.items():
                    if letter in in_row:
                        collector.add(row, key, FORMULA_IN_COLUMN.fill(column=HEADERS[key]))
                        row.set(key, "")
        table.find_bands()
        _formulas_outside_columns(sheet, formulas, table.letters, collector)
        tables.append(table)
    return tables


CELL_REFERENCE = re.compile(r"([A-Z]+)(\d+)")


def _formula_letters(formulas: frozenset[str]) -> dict[int, set[str]]:
    """The formula cells by row number, the column letters (a reference whose number has a
    leading zero names no row)."""
    by_row: dict[int, set[str]] = {}
    for ref in formulas:
        match = CELL_REFERENCE.fullmatch(ref)
        if match and not match.group(2).startswith("0"):
            by_row.setdefault(int(match.group(2)), set()).add(match.group(1))
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


def complete_added_rows(tables: list[RowTable], submission: Submission) -> list[FilledIn]:
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
    for table in tables:
        if any(key not in table.letters for key in NEW_ROW_KEYS):
            continue
        ids = table.texts("item_id")
        for index in [index for index, item_id in enumerate(ids) if item_id not in template]:
            row = table.rows[index]
            if row.is_band() or not row.has_input():
                continue
            if not row.text("output_id") and row.block in outputs:
                row.set("output_id", row.block)
                filled.append(FilledIn(row, "output_id", row.block))
            if (
                not row.text("item_id")
                and row.text("item_type")
                and row.text("output_id") in outputs
            ):
                new.append(row)
    given: tuple[str, ...] = ()
    if new:  # the ids taken are looked at only when some row needs one
        taken = [*template, *(item_id for table in tables for item_id in table.texts("item_id"))]
        given = next_added_ids(meta.component, [row.text("output_id") for row in new], taken)
    for row, item_id in zip(new, given, strict=True):
        row.set("item_id", item_id)
        filled.append(FilledIn(row, "item_id", item_id))
        if "ref" in row.letters and not row.text("ref"):
            row.set("ref", ADDED_REF)
            filled.append(FilledIn(row, "ref", ADDED_REF))
    return filled
