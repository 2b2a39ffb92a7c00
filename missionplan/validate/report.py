"""A validation report: the findings for one file, shown as grouped text or as JSON data."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
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

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
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


def group_findings(findings: tuple[Finding, ...]) -> list[FindingGroup]:
    """Merge runs of the same finding down one column into one group, keeping the order."""
    by_column: dict[tuple[str, str, str, str], list[Finding]] = {}
    for f in findings:
        by_column.setdefault((f.sheet, _letters(f.cell), f.code, f.message), []).append(f)
    groups: list[FindingGroup] = []
    for run in by_column.values():
        start = previous = run[0]
        count = 1
        for f in run[1:]:
            if f.cell and previous.cell and _row(f.cell) == _row(previous.cell) + 1:
                previous, count = f, count + 1
                continue
            groups.append(FindingGroup(start, previous, count))
            start = previous = f
            count = 1
        groups.append(FindingGroup(start, previous, count))
    order = {id(f): i for i, f in enumerate(findings)}
    return sorted(groups, key=lambda g: order[id(g.first)])


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
    for group in group_findings(report.findings):
        f = group.first
        if f.sheet != sheet:
            sheet = f.sheet
            if sheet:
                heading = translate("Sheet '{sheet}'").format(sheet=sheet)
            else:
                heading = translate("Workbook")
            lines.append(style(f"  {heading}", "bold"))
        colour = "red" if f.severity == "error" else "yellow"
        place = group.cells or "-"
        column = f" [{translate(f.column)}]" if f.column else ""
        item = f" {group.items}" if group.items else ""
        severity = f"{severities[f.severity]:<{width}}"
        lines.append(f"    {style(severity, colour)} {place:<9} {f.code}{column}{item}")
        lines.append(f"            {f.message}")
        if f.value and group.count == 1 and f.code != REQUIRED_VALUE_MISSING.code:
            lines.append("            " + translate("found: {value}").format(value=f.value))
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


def _letters(cell: str) -> str:
    return re.sub(r"\d", "", cell)


def _row(cell: str) -> int:
    digits = re.sub(r"\D", "", cell)
    return int(digits) if digits else 0
