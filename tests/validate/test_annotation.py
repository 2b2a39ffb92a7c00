"""The annotated copy's Findings sheet, laid out for a focal point's laptop and printer.

A filled workbook with findings (a number typed as text, an unknown component, a
likelihood of 7, a long text typed into Comments) is annotated. Page 1 of the Findings
sheet must hold every column: the table fits the page width at a readable scale, its
header row repeats on every page, and rows are tall enough for their wrapped messages
(at least the message's width over the column's width, in lines of Calibri at 1.22 em).
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from missionplan.validate.annotation import FINDINGS_SHEET, annotate_copy
from missionplan.workbook.sheet import POINTS_PER_UNIT, room, text_points
from tests.validate.kit import Kit, check, filled

HEADERS = ["Severity", "Code", "Sheet", "Cell", "Column", "Item ID", "Found", "What to do"]
CALIBRI_LINE = 1.22
A4_LANDSCAPE_WIDTH = 842.0
MIN_SCALE = 0.8
COMMENT = (
    "Coordinate with the national police on every station visit, record what was agreed, "
    "and report to the mission leadership team at the end of each quarter."
)


@pytest.fixture(scope="module")
def copy(k: Kit, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("annotation")
    values = {
        "5.5-A2": {"budget": "1,500", "support": "FORCE, NAVY", "comments": COMMENT},
        "5.5-R1": {"likelihood": 7},
    }
    source = filled(k.full, folder, "returned.xlsx", values)
    target = folder / "annotated.xlsx"
    annotate_copy(source, check(source), target)
    return target


@pytest.fixture(scope="module")
def findings(copy: Path) -> Worksheet:
    return openpyxl.load_workbook(copy)[FINDINGS_SHEET]


def width(ws: Worksheet, column: int) -> float:
    dimension = ws.column_dimensions.get(get_column_letter(column))
    assert dimension is not None and dimension.width, column
    return float(dimension.width)


def test_the_findings_table_fits_the_page_width_at_a_readable_scale(
    findings: Worksheet,
) -> None:
    assert [c.value for c in findings[1]][:8] == HEADERS
    setup = findings.page_setup
    assert (int(setup.paperSize), setup.orientation) == (9, "landscape")
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert findings.sheet_properties.pageSetUpPr.fitToPage is True
    margins = findings.page_margins
    printable = A4_LANDSCAPE_WIDTH - (margins.left + margins.right) * 72
    used = sum(width(findings, c) for c in range(1, findings.max_column + 1)) * POINTS_PER_UNIT
    assert used * MIN_SCALE <= printable, (used, printable)


def test_the_header_row_is_frozen_filtered_and_repeated(findings: Worksheet) -> None:
    assert findings.freeze_panes == "A2"
    assert (findings.print_title_rows or "").replace("$", "") == "1:1"
    assert findings.auto_filter.ref == f"A1:H{findings.max_row}"


def test_every_finding_reads_whole_in_its_cells(findings: Worksheet) -> None:
    rows = list(findings.iter_rows(min_row=2, max_col=8))
    assert len(rows) >= 3
    for row in rows:
        height = findings.row_dimensions[row[0].row].height
        assert height is not None
        for cell in row:
            if not cell.value:
                continue
            assert cell.alignment.wrap_text and cell.border.left.style, cell.coordinate
            size, bold = float(cell.font.sz), bool(cell.font.b)
            available = room(width(findings, cell.column))
            text = str(cell.value)
            assert max(text_points(w, size, bold) for w in text.split()) <= available, text
            lines = math.ceil(text_points(text, size, bold) / available)
            assert height >= lines * size * CALIBRI_LINE, (cell.coordinate, text)


def test_the_count_beside_the_table_has_room(findings: Worksheet) -> None:
    count = findings.cell(1, 10)
    assert count.value and "errors" in count.value
    assert text_points(count.value, 10, bold=True) <= room(width(findings, 10))


def test_the_print_header_names_the_mission_and_the_footer_the_plan(
    findings: Worksheet, k: Kit
) -> None:
    assert findings.oddHeader.center.text == k.plan.mission
    assert findings.oddFooter.right.text == f"Plan {k.plan.id}"
    assert findings.oddFooter.left.text == "&A"


def test_rows_grow_for_what_the_component_typed(copy: Path, k: Kit) -> None:
    """The component's long comment would overflow the row the template issued."""
    sheet, row = k.rows["5.5-A2"]
    ws = openpyxl.load_workbook(copy)[sheet]
    header = [c.value for c in ws[1]]
    column = header.index("Comments") + 1
    available = room(width(ws, column))
    lines = math.ceil(text_points(COMMENT, 10) / available)
    assert lines >= 3
    assert ws.row_dimensions[row].height >= lines * 10 * CALIBRI_LINE
