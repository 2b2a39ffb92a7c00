"""How the merged plan's Summary, Conflicts and Gaps sheets are laid out for screen and paper.

The plan is the builders' small plan; UNPOL and JCS disagree about an activity's partners
and lead (so Conflicts has long provenance and messages), MLT's output has gaps, and one
input is refused with the long reason a refusal has. The checks use the lower bounds any
wrapping obeys: a row holds at least its text's width divided by the column's width in
lines, a column holds its longest word, and a line of Calibri takes 1.22 ems.
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from missionplan.merge.rules import framework_order, merge
from missionplan.merge.writer import CONFLICTS_SHEET, GAPS_SHEET, SUMMARY_SHEET, write_merged_plan
from missionplan.planning.framework import Framework
from missionplan.planning.plan import Plan
from missionplan.workbook.sheet import POINTS_PER_UNIT, room, text_points
from tests.merge.builders import accepted, activity, complete_output

REFUSED = "refused: 6 errors (fix them, or merge with --include-invalid)"
PARTNERS = "UNDP; the Ministry of Interior; the National Police; civil society networks"
CALIBRI_LINE = 1.22
A4_LANDSCAPE_WIDTH = 842.0
MIN_SCALE = 0.8
"""The smallest print scale a readable table may need (fit to width shrinks wider ones)."""


@pytest.fixture(scope="module")
def book(framework: Framework, plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    unpol = accepted("UNPOL", *complete_output("4.5", "UNPOL"))
    jcs = accepted(
        "JCS", activity("4.5-A1", "JCS", partners=PARTNERS), *complete_output("5.2", "JCS")
    )
    merged = merge([unpol, jcs], plan, framework_order(framework))
    assert merged.conflicts and merged.gaps
    inputs = [("returned/UNPOL.xlsx", "merged"), ("returned/JCS.xlsx", "merged"),
              ("returned/MLT.xlsx", REFUSED)]  # fmt: skip
    path = tmp_path_factory.mktemp("layout") / "mission-plan.xlsx"
    write_merged_plan(path, framework, plan, merged, inputs)
    return path


@pytest.fixture(scope="module")
def sheets(book: Path) -> dict[str, Worksheet]:
    wb = openpyxl.load_workbook(book)
    return {name: wb[name] for name in (SUMMARY_SHEET, CONFLICTS_SHEET, GAPS_SHEET)}


def width(ws: Worksheet, column: int) -> float:
    dimension = ws.column_dimensions.get(openpyxl.utils.get_column_letter(column))
    assert dimension is not None and dimension.width, (ws.title, column)
    return float(dimension.width)


def span(ws: Worksheet, row: int, column: int) -> float:
    """The width a cell's text has: its column's, or its merged range's."""
    for merged in ws.merged_cells.ranges:
        if merged.min_row == row == merged.max_row and merged.min_col == column:
            return sum(width(ws, c) for c in range(merged.min_col, merged.max_col + 1))
    return width(ws, column)


def table_cells(ws: Worksheet) -> list[tuple[int, int, object]]:
    """Every bordered cell with text or a number: (row, column, value)."""
    return [
        (cell.row, cell.column, cell.value)
        for row in ws.iter_rows()
        for cell in row
        if cell.value not in (None, "") and cell.border.left is not None and cell.border.left.style
    ]


@pytest.mark.parametrize("name", [SUMMARY_SHEET, CONFLICTS_SHEET, GAPS_SHEET])
def test_every_table_cell_is_gridded_and_wraps(sheets: dict[str, Worksheet], name: str) -> None:
    ws = sheets[name]
    cells = table_cells(ws)
    assert len(cells) > 5
    for row, column, _ in cells:
        cell = ws.cell(row, column)
        assert cell.alignment.wrap_text, cell.coordinate
        assert cell.border.bottom.style and cell.border.right.style, cell.coordinate


@pytest.mark.parametrize("name", [SUMMARY_SHEET, CONFLICTS_SHEET, GAPS_SHEET])
def test_columns_hold_their_longest_word_and_rows_their_lines(
    sheets: dict[str, Worksheet], name: str
) -> None:
    ws = sheets[name]
    for row, column, value in table_cells(ws):
        cell = ws.cell(row, column)
        size, bold = float(cell.font.sz), bool(cell.font.b)
        text = value if isinstance(value, str) else f"{value:,.2f}"
        available = room(span(ws, row, column))
        longest = max(text_points(word, size, bold) for word in text.split())
        assert longest <= available, (name, cell.coordinate, text)
        # no fewer lines, however it wraps: the words alone (a break drops its space) need them
        words = sum(text_points(word, size, bold) for word in text.split())
        lines = math.ceil(words / available)
        height = ws.row_dimensions[row].height
        assert height is not None and height >= lines * size * CALIBRI_LINE, (cell.coordinate, text)


@pytest.mark.parametrize("name", [CONFLICTS_SHEET, GAPS_SHEET])
def test_one_table_sheets_freeze_filter_and_repeat_their_header(
    sheets: dict[str, Worksheet], name: str
) -> None:
    ws = sheets[name]
    assert ws.freeze_panes == "A2"
    assert (ws.print_title_rows or "").replace("$", "") == "1:1"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"


@pytest.mark.parametrize("name", [SUMMARY_SHEET, CONFLICTS_SHEET, GAPS_SHEET])
def test_every_sheet_prints_landscape_on_a4_fit_to_its_width(
    sheets: dict[str, Worksheet], plan: Plan, name: str
) -> None:
    ws = sheets[name]
    setup = ws.page_setup
    assert (int(setup.paperSize), setup.orientation) == (9, "landscape")
    assert (setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (
        1, 0, True,
    )  # fmt: skip
    margins = ws.page_margins
    printable = A4_LANDSCAPE_WIDTH - (margins.left + margins.right) * 72
    columns = sum(width(ws, c) for c in range(1, ws.max_column + 1)) * POINTS_PER_UNIT
    if name != SUMMARY_SHEET:  # the Summary's coverage matrix has a column per component
        assert columns * MIN_SCALE <= printable, (name, columns, printable)
    assert ws.oddHeader.center.text == plan.mission
    assert ws.oddFooter.right.text == f"Plan {plan.id}"


def test_a_refusal_reads_on_one_line_across_the_summary(sheets: dict[str, Worksheet]) -> None:
    ws = sheets[SUMMARY_SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == REFUSED)
    widest = max(len([c for c in r if c.value not in (None, "")]) for r in ws.iter_rows())
    (merged,) = [m for m in ws.merged_cells.ranges if m.min_row == row]
    assert (merged.min_col, merged.max_row) == (2, row)
    assert merged.max_col >= widest  # it runs to the right edge of the widest table
    assert text_points(REFUSED, 10) <= room(span(ws, row, 2))


def test_summary_tables_start_on_a_new_page_rather_than_split(
    sheets: dict[str, Worksheet],
) -> None:
    ws = sheets[SUMMARY_SHEET]
    for page_break in ws.row_breaks.brk:  # a break only ever comes before a table's title
        title = ws.cell(page_break.id + 1, 1)
        assert title.font.sz == 14 and title.font.b, title.coordinate


def test_budget_amounts_show_thousands_and_cents(sheets: dict[str, Worksheet]) -> None:
    ws = sheets[SUMMARY_SHEET]
    title = next(
        r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("Budget")
    )
    amounts = [c for c in ws[title + 2] if isinstance(c.value, int | float)]
    assert amounts and all(c.number_format == "#,##0.00" for c in amounts)
