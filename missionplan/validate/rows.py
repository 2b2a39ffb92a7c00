"""Rows of a returned workbook as found, with where their cells are, and findings as found.

Shared by the rules (rules.py) and the items a submission yields (items.py): both read the
objective sheets' rows the same way, with formula cells reported and blanked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
from missionplan.schema.text import filled_text
from missionplan.workbook.cells import column_letter
from missionplan.workbook.reader import SheetTable, Submission

HEADERS = {c.key: c.header for c in COLUMNS}
FILLABLE_KEYS = tuple(c.key for c in COLUMNS if c.role != "key")


@dataclass
class SheetRow:
    """One data row as found on a sheet, with where its cells are."""

    sheet: str
    number: int
    values: dict[str, object]
    letters: dict[str, str]

    def text(self, key: str) -> str:
        return filled_text(self.values.get(key)) or ""

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
        for number, cells in sheet.rows:
            values = {key: cells[i] if i < len(cells) else "" for key, i in sheet.columns.items()}
            row = SheetRow(sheet.name, number, values, letters)
            for key, letter in letters.items():
                if f"{letter}{number}" in formulas:
                    collector.add(row, key, FORMULA_IN_COLUMN.fill(column=HEADERS[key]))
                    row.values[key] = ""
            rows.append(row)
        _formulas_outside_columns(sheet, formulas, letters, collector)
    return rows


def _formulas_outside_columns(
    sheet: SheetTable, formulas: frozenset[str], letters: dict[str, str], collector: Collector
) -> None:
    known = set(letters.values())
    for ref in sorted(formulas):
        letter = re.sub(r"\d", "", ref)
        if letter not in known:
            collector.findings.append(finding(FORMULA_OUTSIDE_COLUMNS.fill(), sheet.name, ref))
