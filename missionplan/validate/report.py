"""A validation report: the findings for one file, shown as grouped text or as JSON data."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from missionplan.schema.findings import REQUIRED_VALUE_MISSING, Finding
from missionplan.schema.language import Language, current_language, speaking, translate
from missionplan.schema.text import counted

Style = Callable[[str, str], str]


@dataclass(frozen=True)
class CellFill:
    """A value validation gave an empty cell (a new row's id): the annotated copy writes it."""

    sheet: str
    cell: str
    value: str


@dataclass(frozen=True)
class Report:
    """The findings for one file, or why it could not be read."""

    file: str
    component: str = ""
    plan_id: str = ""
    findings: tuple[Finding, ...] = ()
    unreadable: str = ""
    rows: int = 0
    filled_in: tuple[CellFill, ...] = ()
    """Cells of rows the component inserted, filled in by validation (their id and output)."""
    language: Language = field(default_factory=current_language)
    """The language its messages were made in; its lines and annotated copy speak it too."""

    @cached_property
    def errors(self) -> int:
        """Counted once: the verdict, the summary line and the JSON each ask."""
        return sum(1 for f in self.findings if f.severity == "error")

    @cached_property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def valid(self) -> bool:
        return not self.unreadable and self.errors == 0

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": self.file,
            "valid": self.valid,
            "component": self.component,
            "plan_id": self.plan_id,
            "summary": {"errors": self.errors, "warnings": self.warnings, "rows": self.rows},
            "findings": [f.as_data() for f in self.findings],
        }
        if self.unreadable:
            data["unreadable"] = self.unreadable
        return data


def plain(text: str, _: str) -> str:
    return text


@dataclass(frozen=True)
class FindingGroup:
    """Identical findings in consecutive rows of one column, shown as one line (M9:M24)."""

    first: Finding
    last: Finding
    count: int

    @property
    def cells(self) -> str:
        if self.count == 1 or not self.first.cell:
            return self.first.cell
        return f"{self.first.cell}:{self.last.cell}"

    @property
    def items(self) -> str:
        if self.count == 1:
            return self.first.item_id
        return f"{self.first.item_id} .. {self.last.item_id} ({counted(self.count, 'row')})"


@dataclass(slots=True)
class _Run:
    """A group being gathered: its first and last finding so far, and the last one's row."""

    first: Finding
    last: Finding
    last_row: int
    count: int = 1


def group_findings(findings: tuple[Finding, ...]) -> list[FindingGroup]:
    """Merge runs of the same finding down one column into one group, keeping the order."""
    open_runs: dict[tuple[str, str, str, str], _Run] = {}  # the latest run of each column
    runs: list[_Run] = []  # in the order of their first finding
    for f in findings:
        letters, row = _column_and_row(f.cell)
        key = (f.sheet, letters, f.code, f.message)
        run = open_runs.get(key)
        if run is not None and f.cell and run.last.cell and row == run.last_row + 1:
            run.last, run.last_row, run.count = f, row, run.count + 1
            continue
        open_runs[key] = run = _Run(f, f, row)
        runs.append(run)
    return [FindingGroup(run.first, run.last, run.count) for run in runs]


def report_text(report: Report, style: Style = plain) -> str:
    """One file in full: findings grouped by sheet, then a summary line, in the report's
    language (codes, cells and ids are the same in every language)."""
    with speaking(report.language):
        return _report_text(report, style)


def _report_text(report: Report, style: Style) -> str:
    lines: list[str] = []
    sheet = None
    severities = {"error": translate("error"), "warning": translate("warning")}
    width = max(7, *map(len, severities.values()))
    # Worded and styled once, not once a finding: a report can hold hundreds of thousands.
    shown_severity = {
        severity: style(f"{word:<{width}}", "red" if severity == "error" else "yellow")
        for severity, word in severities.items()
    }
    found = translate("found: {value}")
    headers: dict[str, str] = {}
    for group in group_findings(report.findings):
        f = group.first
        if f.sheet != sheet:
            sheet = f.sheet
            if sheet:
                heading = translate("Sheet '{sheet}'").format(sheet=sheet)
            else:
                heading = translate("Workbook")
            lines.append(style(f"  {heading}", "bold"))
        place = group.cells or "-"
        if f.column:
            header = headers.get(f.column)
            if header is None:
                header = headers[f.column] = translate(f.column)
            column = f" [{header}]"
        else:
            column = ""
        items = group.items
        item = f" {items}" if items else ""
        lines.append(f"    {shown_severity[f.severity]} {place:<9} {f.code}{column}{item}")
        lines.append(f"            {f.message}")
        if f.value and group.count == 1 and f.code != REQUIRED_VALUE_MISSING.code:
            lines.append("            " + found.format(value=f.value))
    lines.append(_summary_line(report, style))
    return "\n".join(lines)


def summary_line(report: Report, style: Style = plain) -> str:
    """The file's verdict and counts in one line, in the report's language."""
    with speaking(report.language):
        return _summary_line(report, style)


def _summary_line(report: Report, style: Style) -> str:
    name = Path(report.file).name
    if report.unreadable:
        unreadable = translate("UNREADABLE")
        return f"{style(unreadable, 'red')} {name}: {report.unreadable}"
    if report.valid:
        verdict = style(translate("VALID"), "green")
    else:
        verdict = style(translate("INVALID"), "red")
    who = (
        translate(" ({component}, plan {plan_id})").format(
            component=report.component, plan_id=report.plan_id
        )
        if report.component
        else ""
    )
    counts = f"{counted(report.errors, 'error')}, {counted(report.warnings, 'warning')}"
    return translate("{verdict} {name}{who}: {counts}").format(
        verdict=verdict, name=name, who=who, counts=counts
    )


def total_line(reports: list[Report]) -> str:
    valid = sum(1 for r in reports if r.valid)
    unreadable = sum(1 for r in reports if r.unreadable)
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    return translate(
        "{files}: {valid} valid, {invalid} invalid, {unreadable} unreadable; "
        "{errors}, {warnings} in all"
    ).format(
        files=counted(len(reports), "file"),
        valid=valid,
        invalid=len(reports) - valid - unreadable,
        unreadable=unreadable,
        errors=counted(errors, "error"),
        warnings=counted(warnings, "warning"),
    )


def _column_and_row(cell: str) -> tuple[str, int]:
    """A cell's column letters and row number ("M9" -> ("M", 9); no digits -> row 0)."""
    letters = cell.rstrip("0123456789")
    digits = cell[len(letters) :]
    if cell.isascii() and letters.isalpha() and digits:  # a plain reference: most cells
        return letters, int(digits)
    return _letters(cell), _row(cell)


_DIGIT = re.compile(r"\d")
_NOT_DIGIT = re.compile(r"\D")


def _letters(cell: str) -> str:
    return _DIGIT.sub("", cell)


def _row(cell: str) -> int:
    digits = _NOT_DIGIT.sub("", cell)
    return int(digits) if digits else 0
