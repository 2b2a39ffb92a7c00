"""The sheet-layout rules (missionplan/workbook/sheet.py), without an office suite.

The text measures are held against what LibreOffice drew (word widths read from a PDF it
printed with Carlito, Calibri's metric twin); the wrapping and column fitting against
properties that hold whatever the text; the layout of a sheet against what the rules say
a sheet gets. tests/workbook/test_printed.py prints real sheets and looks at the pages.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Protection
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.worksheet import Worksheet

from missionplan.workbook import sheet
from missionplan.workbook.sheet import (
    MAX_ROW_HEIGHT,
    Page,
    Table,
    fit_rows,
    lay_out,
    merge_row,
    one_line_width,
    room,
    row_height,
    shown,
    text_points,
    width_for,
    wrapped_lines,
)
from missionplan.workbook.styles import GRID, THIN

# Word widths in points that LibreOffice 7.4 drew with Carlito at 10 pt, read from the word
# boxes `pdftotext -bbox` gives for a sheet it printed at 100 %.
DRAWN = {
    "short": 21.32,
    "several": 28.97,
    "a long text that will wrap": 101.04,
    "Head": 21.24,
}
A4 = 9
"""The paper size code of A4 in a workbook's page set-up."""
CALIBRI_LINE = 1.22
"""Calibri's line spacing in ems (its ascent and descent, 1950 + 550 of 2048 units)."""

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789-.,'", min_size=1,
                max_size=14)  # fmt: skip
texts = st.lists(words, min_size=1, max_size=30).map(" ".join)
widths = st.floats(min_value=4, max_value=80)


# --- measuring text ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "points"), DRAWN.items())
def test_text_is_as_wide_as_libreoffice_draws_it(text: str, points: float) -> None:
    assert text_points(text, 10) == pytest.approx(points, abs=0.1)


def test_bold_accented_and_unknown_characters() -> None:
    assert text_points("Owner", 10, bold=True) > text_points("Owner", 10)
    assert text_points("é", 10) == text_points("e", 10)  # accents do not widen a letter
    assert text_points("行", 10) > text_points("M", 10) * 0.6  # no table: taken wide
    assert text_points("abc", 20) == pytest.approx(2 * text_points("abc", 10))


@given(st.floats(min_value=1, max_value=2000))
def test_a_width_holds_the_text_it_was_made_for(points: float) -> None:
    assert room(width_for(points)) == pytest.approx(points)


@given(texts, st.sampled_from([10.0, 11.0, 14.0]), st.booleans())
def test_one_line_width_shows_the_text_on_one_line(text: str, size: float, bold: bool) -> None:
    width = one_line_width(text, size, bold)
    assert room(width) >= text_points(text, size, bold)
    assert wrapped_lines(text, width, size, bold) == 1
    assert room(width - 0.1) < text_points(text, size, bold) or width <= 1


# --- wrapping ---------------------------------------------------------------------------------


def test_lines_break_at_spaces_and_after_hyphens() -> None:
    one = width_for(text_points("aaaa bbbb", 10))  # two words to a line
    assert wrapped_lines("aaaa bbbb cccc dddd", one, 10) == 2
    assert wrapped_lines("aaaa bbbb cccc", one, 10) == 2
    assert wrapped_lines("aaaa-bbbb-cccc-dddd", width_for(text_points("aaaa-bbbb-", 10)), 10) == 2
    assert wrapped_lines("first\nsecond", 60, 10) == 2  # a line break starts a line
    assert wrapped_lines("", 10, 10) == 0


def test_a_word_longer_than_the_line_runs_on() -> None:
    word = "x" * 60
    width = width_for(text_points(word, 10) / 3)
    assert wrapped_lines(word, width, 10) == 3
    assert wrapped_lines(f"a {word}", width, 10) == 4  # it starts a line of its own


@given(texts, widths)
def test_text_that_fits_takes_one_line(text: str, width: float) -> None:
    if text_points(text, 10) <= room(width):
        assert wrapped_lines(text, width, 10) == 1


@given(texts, widths, widths)
def test_a_wider_column_never_needs_more_lines(text: str, a: float, b: float) -> None:
    narrow, wide = sorted((a, b))
    assert wrapped_lines(text, wide, 10) <= wrapped_lines(text, narrow, 10)


@given(texts, widths)
def test_the_lines_hold_all_the_letters(text: str, width: float) -> None:
    """No line holds more than its room: the letters alone need this many lines."""
    letters = sum(text_points(word, 10) for word in text.split())
    assert wrapped_lines(text, width, 10) >= math.ceil(letters / room(width) - 1e-9)


@given(texts, texts, widths)
def test_paragraphs_add_up(first: str, second: str, width: float) -> None:
    together = wrapped_lines(f"{first}\n{second}", width, 10)
    assert together == wrapped_lines(first, width, 10) + wrapped_lines(second, width, 10)


@given(st.integers(min_value=0, max_value=400), st.sampled_from([9.0, 10.0, 11.0, 14.0]))
def test_a_row_is_tall_enough_for_its_lines(lines: int, size: float) -> None:
    height = row_height(lines, size)
    assert height <= MAX_ROW_HEIGHT
    assert height == MAX_ROW_HEIGHT or height >= max(1, lines) * size * CALIBRI_LINE


# --- what a cell shows ------------------------------------------------------------------------


def test_a_cell_shows_its_value_as_its_format_writes_it() -> None:
    assert shown(None) == ""
    assert shown("text") == "text"
    assert shown(dt.date(2027, 3, 1)) == "2027-03-01"
    assert shown(dt.datetime(2027, 3, 1), "yyyy-mm-dd") == "2027-03-01"
    assert shown(dt.datetime(2027, 3, 1, 9, 30)) == "2027-03-01 09:30"
    assert shown(1234567.5, "#,##0.00") == "1,234,567.50"
    assert shown(3, "0") == "3"
    assert shown(12500.5) == "12500.5"
    assert shown(45) == "45"
    assert shown(True) == "TRUE"


# --- fitting columns to the page ------------------------------------------------------------


@settings(max_examples=200)
@given(
    st.lists(st.tuples(widths, widths), min_size=1, max_size=25),
    st.floats(min_value=20, max_value=400),
)
def test_columns_narrow_to_the_budget_but_never_below_their_longest_word(
    columns: list[tuple[float, float]], budget: float
) -> None:
    least = {i: min(a, b) for i, (a, b) in enumerate(columns)}
    wanted = {i: max(a, b) for i, (a, b) in enumerate(columns)}
    narrowed = sheet._narrowed(wanted, least, budget)
    for i, width in narrowed.items():
        assert least[i] - 1e-9 <= width <= wanted[i] + 0.1
    slack = 0.1 * len(columns)  # widths are rounded up to tenths
    if sum(least.values()) <= budget:
        assert sum(narrowed.values()) <= budget + slack
    if sum(wanted.values()) <= budget:
        assert all(narrowed[i] == pytest.approx(wanted[i], abs=0.1) for i in wanted)
    # one common cap: a column narrowed below what it wants is no narrower than another
    capped = [w for i, w in narrowed.items() if w < wanted[i] - 0.1 and w > least[i] + 0.1]
    if capped:
        assert max(capped) - min(capped) <= 0.1 + 1e-9
        assert all(w <= max(capped) + 0.1 for i, w in narrowed.items() if w > least[i] + 0.1)


# --- laying out a sheet -----------------------------------------------------------------------

LONG = (
    "This finding explains at length what is wrong with the cell and how a focal point "
    "fixes it, in words a planner uses, so that the column must wrap it over several lines."
)


def table_sheet(rows: int = 3) -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Findings"
    for column, header in enumerate(("Code", "Cell", "What to do"), start=1):
        ws.cell(1, column, header).font = Font(name="Calibri", size=10, bold=True)
    for row in range(2, rows + 2):
        for column, value in enumerate(("framework-text-edited", f"D{row}", LONG), start=1):
            cell = ws.cell(row, column, value)
            cell.font = Font(name="Calibri", size=10)
    return wb, ws


def test_a_table_is_gridded_wrapped_sized_and_its_rows_fit_their_text() -> None:
    _, ws = table_sheet()
    lay_out(ws, Page("Mission", "p1"), [Table(1, 4, 3)], header_row=1, autofilter="A1:C4")
    code, cell, todo = (ws.column_dimensions[c].width for c in "ABC")
    assert room(code) >= text_points("framework-text-edited", 10)  # never broken
    assert room(cell) >= text_points("Cell", 10, bold=True)
    assert todo == sheet.MAX_WIDTH  # long text: as wide as allowed, then wrapped
    for row in ws.iter_rows(min_row=1, max_row=4):
        for c in row:
            assert c.border.left.style and c.border.bottom.style, c.coordinate
            assert c.alignment.wrap_text, c.coordinate
    for number in range(2, 5):
        lines = wrapped_lines(LONG, todo, 10)
        assert lines >= 2
        assert ws.row_dimensions[number].height >= lines * 10 * CALIBRI_LINE


def test_a_header_row_is_frozen_filtered_and_printed_on_every_page() -> None:
    _, ws = table_sheet()
    lay_out(ws, Page("Mission", "p1"), [Table(1, 4, 3)], header_row=1, autofilter="A1:C4")
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:C4"
    assert (ws.print_title_rows or "").replace("$", "") == "1:1"


def test_every_sheet_prints_on_a4_fit_to_width_naming_mission_sheet_page_and_plan() -> None:
    _, ws = table_sheet()
    lay_out(ws, Page("Mission of Peace & Dialogue", "p1234abcd"), [Table(1, 4, 3)])
    setup = ws.page_setup
    assert (int(setup.paperSize), setup.orientation) == (A4, "landscape")
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.oddHeader.center.text == "Mission of Peace && Dialogue"  # & starts a code
    assert ws.oddFooter.left.text == "&A"  # the sheet's name
    assert ws.oddFooter.center.text == "Page &P of &N"
    assert ws.oddFooter.right.text == "Plan p1234abcd"
    assert ws.page_margins.left < 0.75  # narrower than the default: room for the columns


def test_tables_wider_than_the_page_narrow_their_long_columns() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for column in range(1, 7):
        ws.cell(1, column, f"Header {column}")
        ws.cell(2, column, LONG)
    lay_out(ws, Page("Mission", "p1"), [Table(1, 2, 6)])
    total = sum(ws.column_dimensions[c].width for c in "ABCDEF")
    assert total <= sheet._budget("landscape") + 0.6
    assert len({ws.column_dimensions[c].width for c in "ABCDEF"}) == 1  # one common width


def test_a_spread_column_runs_to_the_widest_table() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["File", "What happened"])
    ws.append(["a.xlsx", "refused: 6 errors (fix them, or merge with --include-invalid)"])
    ws.append([])
    ws.append(["Output", *[f"C{n}" for n in range(10)]])
    ws.append(["3.1", *["L"] * 10])
    lay_out(ws, Page("Mission", "p1"), [Table(1, 2, 2, spread=True), Table(4, 5, 11)])
    assert {str(r) for r in ws.merged_cells.ranges} == {"B1:K1", "B2:K2"}
    text = str(ws["B2"].value)
    span = sum(ws.column_dimensions[c].width for c in "BCDEFGHIJK")
    assert ws.row_dimensions[2].height == row_height(wrapped_lines(text, span), 11)
    assert wrapped_lines(text, span) < wrapped_lines(text, ws.column_dimensions["B"].width)


def test_text_beside_the_tables_widens_a_free_column_or_wraps() -> None:
    _, ws = table_sheet()
    ws.cell(1, 5, "6 errors, 0 warnings")  # beside the table: its own column grows
    ws.cell(6, 1, "A note under the table that is much longer than the first column " * 4)
    lay_out(ws, Page("Mission", "p1"), [Table(1, 4, 3)], header_row=1)
    assert room(ws.column_dimensions["E"].width) >= text_points("6 errors, 0 warnings")
    note = ws.cell(6, 1)
    assert note.alignment.wrap_text  # no room to its right: it wraps in column A
    assert ws.row_dimensions[6].height > row_height(1)


def test_a_table_that_would_be_split_starts_a_new_page() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    tables = []
    row = 1
    for _ in range(3):  # three titled tables of 25 rows: two do not fit on one page
        ws.cell(row, 1, "Title")
        ws.cell(row + 1, 1, "Header")
        for offset in range(2, 27):
            ws.cell(row + offset, 1, f"value {offset}")
        tables.append(Table(row + 1, row + 26, 1))
        row += 28
    lay_out(ws, Page("Mission", "p1"), tables)
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks and all(ws.cell(b + 1, 1).value == "Title" for b in breaks), breaks


def test_growing_rows_keeps_rows_that_are_already_taller() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.column_dimensions["A"].width = 20
    for row in (1, 2):
        ws.cell(row, 1, LONG).alignment = Alignment(wrap_text=True)
    ws.row_dimensions[1].height = 300
    ws.row_dimensions[2].height = 15
    fit_rows(ws, grow_only=True)
    assert ws.row_dimensions[1].height == 300
    assert ws.row_dimensions[2].height == row_height(wrapped_lines(LONG, 20))


def test_the_page_names_what_the_metadata_sheet_says() -> None:
    wb = Workbook()
    meta = wb.create_sheet("_meta")
    meta.append(["plan_id", "p0000abcd"])
    meta.append(["mission", "UN Mission in Carana"])
    assert Page.of_workbook(wb) == Page("UN Mission in Carana", "p0000abcd")
    assert Page.of_workbook(Workbook()) == Page("", "")


_BORDERS = (None, GRID, Border(left=THIN), Border(top=THIN, bottom=THIN))
_FONTS = (None, Font(name="Calibri", bold=True), Font(name="Calibri", size=10))
_PROTECTIONS = (None, Protection(locked=True), Protection(locked=False))


def _merged_sheet(rows: list[tuple[int, int, int, int]], ours: bool) -> Workbook:
    """A sheet whose rows' first cells get the given styles, then are merged across columns
    2 to 2 + width, by openpyxl's merge_cells or by merge_row."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    done: dict[tuple[int, ...], list[StyleArray | None]] = {}
    for row, (border, font, protection, width) in enumerate(rows, start=1):
        cell = ws.cell(row, 2, f"text {row}")
        if _BORDERS[border] is not None:
            cell.border = _BORDERS[border]
        if _FONTS[font] is not None:
            cell.font = _FONTS[font]
        if _PROTECTIONS[protection] is not None:
            cell.protection = _PROTECTIONS[protection]
        if ours:
            merge_row(ws, row, 2, 2 + width, done)
        else:
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=2 + width)
    return wb


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 2), st.integers(1, 3)),
        min_size=1,
        max_size=8,
    )
)
def test_merging_a_row_is_openpyxls_merge(rows: list[tuple[int, int, int, int]]) -> None:
    theirs, ours = _merged_sheet(rows, ours=False), _merged_sheet(rows, ours=True)
    a, b = theirs.active, ours.active
    assert a is not None and b is not None
    assert [(k, type(c), tuple(c._style)) for k, c in a._cells.items()] == [
        (k, type(c), tuple(c._style)) for k, c in b._cells.items()
    ]
    assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
    for table in ("_borders", "_fonts", "_protections", "_alignments", "_fills"):
        assert list(getattr(theirs, table)) == list(getattr(ours, table)), table


def test_rows_fitted_get_dimensions_as_openpyxl_makes_them() -> None:
    """fit_rows makes the dimensions of rows without one itself: the same fields, parent
    and style as ``ws.row_dimensions[row].height = height`` gives, beside a row it had."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "had a dimension"
    ws.row_dimensions[1].hidden = True
    for row in range(2, 6):
        ws.cell(row, 1, "text " * row * 10).alignment = Alignment(wrap_text=True)
    fit_rows(ws)
    reference = Workbook().active
    assert reference is not None
    for row in range(2, 6):
        reference.row_dimensions[row].height = ws.row_dimensions[row].height
        made, expected = ws.row_dimensions[row], reference.row_dimensions[row]
        assert type(made) is type(expected)
        assert made.__dict__ == expected.__dict__
        assert made.parent is ws and made._style is None and expected._style is None
        assert dict(made) == dict(expected)
    assert ws.row_dimensions[1].hidden and ws.row_dimensions[1].height == row_height(1)
