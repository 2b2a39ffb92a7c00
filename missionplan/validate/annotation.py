"""Annotated copies: the returned workbook with every finding as a comment and a highlight.

This is the copy the planning unit sends back to a component. The original
is never touched: the copy is loaded from it, annotated, and written
atomically into another folder. The user's formatting and dropdowns stay.
The ids validation gave the rows a component inserted are written in, so that
the component's next submission from this copy keeps them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from missionplan.errors import MissionplanError
from missionplan.schema.findings import Finding
from missionplan.schema.language import every_spelling, speaking, translate
from missionplan.validate.report import Report
from missionplan.workbook import styles
from missionplan.workbook.cells import save_stamped
from missionplan.workbook.files import ensure_writable, write_atomically
from missionplan.workbook.reader import Submission
from missionplan.workbook.sheet import Page, Table, fit_rows, lay_out, one_line_width

if TYPE_CHECKING:
    from openpyxl import Workbook

FINDINGS_SHEET = "Findings"
COMMENT_AUTHOR = "missionplan"
SUMMARY_COLUMN = 10
"""The Findings sheet's count of errors and warnings sits in row 1, right of the table."""


def annotate_files(
    results: list[tuple[Report, Submission | None]], out_dir: Path, force: bool
) -> list[Path]:
    """An annotated copy of each readable file in out_dir; returns the paths written."""
    return [
        annotated_copy(report, out_dir, force)
        for report, submission in results
        if submission is not None
    ]


def annotated_copy(
    report: Report, out_dir: Path, force: bool, workbook: Workbook | None = None
) -> Path:
    """The annotated copy of the report's file, in out_dir; returns its path.

    From `workbook` when given: the submission still open, saving the file's bytes (the
    demo's, which it has just filled in); else the file is loaded."""
    source = Path(report.file)
    target = out_dir / source.name
    if target.resolve() == source.resolve():
        raise MissionplanError(
            f"{target} is the file being validated; give --annotate another folder"
        )
    ensure_writable(target, force)
    with speaking(report.language):  # the copy speaks as its report does
        if workbook is None:
            write_atomically(target, lambda temp: annotate_copy(source, report, temp))
        else:
            annotate_workbook(workbook, report)
            write_atomically(target, lambda temp: save_stamped(workbook, temp))
    return target


def annotate_copy(source: Path, report: Report, target: Path) -> None:
    """Load source, mark every finding, add a Findings sheet, save to target."""
    from openpyxl import load_workbook

    wb = load_workbook(source)
    annotate_workbook(wb, report)
    save_stamped(wb, target)


def annotate_workbook(wb: Workbook, report: Report) -> None:
    """Mark every finding of the report in the open workbook and add its Findings sheet.

    The workbook is the submission as loaded from its file, or one that saves the same
    bytes (the demo's, still open from filling it in)."""
    from openpyxl.comments import Comment

    for fill in report.filled_in:
        if fill.sheet in wb.sheetnames and wb[fill.sheet][fill.cell].value in (None, ""):
            wb[fill.sheet][fill.cell].value = fill.value
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        if f.sheet in wb.sheetnames and f.cell:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    for (sheet, cell), found in by_cell.items():
        target_cell = wb[sheet][cell]
        text = "\n".join(f"[{_severity(f.severity)}] {f.message}" for f in found)
        target_cell.comment = Comment(text[:2000], COMMENT_AUTHOR, width=320, height=140)
        worst = "error" if any(f.severity == "error" for f in found) else "warning"
        target_cell.fill = (
            styles.FINDING_ERROR_FILL if worst == "error" else styles.FINDING_WARNING_FILL
        )
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            fit_rows(ws, grow_only=True)  # what was typed in may need more lines than issued
    _findings_sheet(wb, report)


def _severity(severity: str) -> str:
    """A finding's severity in the language spoken (the code stays 'error' or 'warning')."""
    return translate("error") if severity == "error" else translate("warning")


def _findings_sheet(wb: object, report: Report) -> None:
    from openpyxl.workbook.workbook import Workbook

    assert isinstance(wb, Workbook)
    for title in every_spelling(FINDINGS_SHEET):  # an annotated copy annotated again
        if title in wb.sheetnames:
            del wb[title]
    findings_title = translate("Findings")
    ws = wb.create_sheet(findings_title, 0)
    headers = (
        translate("Severity"),
        translate("Code"),
        translate("Sheet"),
        translate("Cell"),
        translate("Column"),
        translate("Item ID"),
        translate("Found"),
        translate("What to do"),
    )
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(1, index, header)
        cell.font = styles.HEADER_FONT
        cell.fill = styles.HEADER_FILL
        cell.alignment = styles.HEADER_ALIGN
    for row, f in enumerate(report.findings, start=2):
        severity = _severity(f.severity)
        values = (severity, f.code, f.sheet, f.cell, f.column, f.item_id, f.value, f.message)
        for index, value in enumerate(values, start=1):
            cell = ws.cell(row, index)
            cell.value = value
            cell.data_type = "s"  # values as text, never as formulas
            cell.font = styles.BODY_FONT
            cell.alignment = styles.WRAP
        if f.sheet in wb.sheetnames and f.cell:
            link = ws.cell(row, 4)
            link.hyperlink = f"#'{f.sheet}'!{f.cell}"
            link.font = styles.LINK_FONT
    summary = translate("{errors} errors, {warnings} warnings").format(
        errors=report.errors, warnings=report.warnings
    )
    ws.sheet_properties.tabColor = "FFC00000" if report.errors else "FF70AD47"
    wb.active = 0
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet.title == findings_title
    ws.cell(1, SUMMARY_COLUMN, summary).font = styles.BOLD_FONT
    widths = {  # an empty column as a gap, then one wide enough for the count
        SUMMARY_COLUMN - 1: 2.0,
        SUMMARY_COLUMN: one_line_width(summary, styles.BOLD_FONT.sz, bold=True),
    }
    table = Table(1, max(1, len(report.findings) + 1), len(headers))
    lay_out(ws, Page.of_workbook(wb), [table], fixed=widths, header_row=1, autofilter=table.ref)
