"""Findings: what validation reports, each with a stable code, a place and a message.

The catalogue below is the documented list of codes (`missionplan validate
--codes`). A code never changes meaning; new checks get new codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from missionplan.schema.text import cell_text, shorten

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class FindingType:
    """An entry of the catalogue: the code, its severity, and what it means."""

    code: str
    severity: Severity
    group: str
    title: str


@dataclass(frozen=True)
class Finding:
    """One problem in one place of a submitted workbook."""

    code: str
    severity: Severity
    sheet: str
    cell: str
    column: str
    item_id: str
    value: str
    message: str

    def as_data(self) -> dict[str, str]:
        return {
            "code": self.code,
            "severity": self.severity,
            "sheet": self.sheet,
            "cell": self.cell,
            "column": self.column,
            "item_id": self.item_id,
            "value": self.value,
            "message": self.message,
        }


_CATALOGUE: tuple[FindingType, ...] = (
    # Structure
    FindingType("missing-sheet", "error", "structure", "An objective sheet of the template is missing or renamed."),
    FindingType("missing-column", "error", "structure", "A column of the contract is missing or its header was changed."),
    FindingType("framework-text-edited", "error", "structure", "Locked framework content (id, type, term or text) was changed."),
    FindingType("framework-row-deleted", "error", "structure", "A framework item of the template is no longer in the workbook."),
    FindingType("item-moved", "error", "structure", "An item sits under another output or objective than in the template."),
    FindingType("duplicate-item-id", "error", "structure", "The same item id is used on more than one row."),
    FindingType("unknown-item-id", "warning", "structure", "A row has an item id the template did not give out."),
    FindingType("row-without-id", "error", "structure", "A row has content but no item id, so it cannot be tracked."),
    FindingType("context-row-edited", "warning", "structure", "Values were entered on another component's output, shown only for context."),
    FindingType("added-row-without-type", "error", "structure", "A row you added has content but no item type."),
    # Completeness
    FindingType("required-value-missing", "error", "completeness", "A value required for this item type is empty."),
    FindingType("output-without-lead-activity", "error", "completeness", "An output you lead has no activity with a lead component."),
    FindingType("output-without-benchmark-in-term", "warning", "completeness", "An output you lead has no benchmark for one of the terms."),
    FindingType("output-without-gender-perspective", "warning", "completeness", "No activity of an output you lead says how a gender perspective is built in."),
    # Values
    FindingType("invalid-date", "error", "values", "A date cell holds something that is not a date."),
    FindingType("date-typed-as-text", "warning", "values", "A date was typed as text; it was read, but should be a real date."),
    FindingType("invalid-number", "error", "values", "A number cell holds something that is not a number."),
    FindingType("number-typed-as-text", "warning", "values", "A number was typed as text; it was read, but should be a real number."),
    FindingType("not-a-whole-number", "error", "values", "A whole number (1 to 5) is needed."),
    FindingType("value-out-of-range", "error", "values", "A number is outside its allowed range."),
    FindingType("choice-not-allowed", "error", "values", "A value is not one of the column's allowed values."),
    FindingType("choice-spelling", "warning", "values", "A value matches an allowed value only when case or spacing is ignored."),
    FindingType("text-too-long", "error", "values", "A text is longer than a spreadsheet cell can hold."),
    FindingType("control-characters", "warning", "values", "A text holds invisible control characters."),
    # Consistency
    FindingType("end-before-start", "error", "consistency", "An activity ends before it starts."),
    FindingType("date-outside-period", "error", "consistency", "A date falls outside the planning period."),
    FindingType("target-date-outside-term", "warning", "consistency", "A benchmark's target date is outside its term's window."),
    FindingType("dependency-unknown", "error", "consistency", "'Depends on' names an item that does not exist."),
    FindingType("dependency-cycle", "error", "consistency", "Activities depend on each other in a circle."),
    FindingType("starts-before-dependency-ends", "warning", "consistency", "An activity starts before an activity it depends on ends."),
    FindingType("lead-also-support", "error", "consistency", "The lead component is also listed as supporting."),
    FindingType("high-risk-without-mitigation", "error", "consistency", "A high risk (likelihood x impact of 15 or more) has no mitigation."),
    FindingType("hrddp-not-stated", "warning", "consistency", "An activity that supports security forces says the HRDDP does not apply."),
    # Safety
    FindingType("formula-in-cell", "error", "safety", "A cell holds a formula; only values are accepted (it was not evaluated)."),
    FindingType("text-looks-like-formula", "warning", "safety", "A text starts with =, +, - or @ and a spreadsheet may run it as a formula."),
)  # fmt: skip

CATALOGUE: dict[str, FindingType] = {t.code: t for t in _CATALOGUE}


def finding(
    code: str,
    sheet: str,
    cell: str,
    message: str,
    column: str = "",
    item_id: str = "",
    value: object = "",
) -> Finding:
    """A finding of a catalogued code (its severity comes from the catalogue)."""
    kind = CATALOGUE[code]
    shown = shorten(cell_text(value), 200)
    return Finding(code, kind.severity, sheet, cell, column, item_id, shown, message)


def catalogue_text() -> str:
    """The catalogue for a terminal, grouped."""
    lines: list[str] = []
    group = ""
    for kind in _CATALOGUE:
        if kind.group != group:
            group = kind.group
            lines += ["", group.capitalize()]
        lines.append(f"  {kind.code:<34} {kind.severity:<8} {kind.title}")
    return "\n".join(lines).lstrip("\n")
