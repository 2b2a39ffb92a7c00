"""The look of missionplan workbooks: fills, fonts and the colour legend, in one place."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

_new_cell = Cell.__new__
_new_array = array.__new__


def copied(style: StyleArray) -> StyleArray:
    """A copy of a cell's style array, as ``StyleArray.__copy__`` makes it, in one C call
    instead of its two Python ones: every styled cell of a planning sheet gets one."""
    return _new_array(StyleArray, "i", style)


FONT_NAME = "Calibri"  # LibreOffice changes fonts without a name, so every font has one


def fill(rgb: str) -> PatternFill:
    # ARGB with an alpha byte: LibreOffice changes colours given without one
    return PatternFill(fill_type="solid", start_color="FF" + rgb, end_color="FF" + rgb)


HEADER_FILL = fill("1F4E79")
HEADER_FONT = Font(name=FONT_NAME, bold=True, color="FFFFFFFF", size=10)
BAND_FILL = fill("D9E2F3")
BAND_FONT = Font(name=FONT_NAME, bold=True, color="FF1F3864", size=11)
BODY_FONT = Font(name=FONT_NAME, size=10)
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14, color="FF1F3864")
BOLD_FONT = Font(name=FONT_NAME, bold=True, size=10)
LINK_FONT = Font(name=FONT_NAME, size=10, underline="single", color="FF0563C1")
LOCKED_FILL = fill("EDEDED")
INPUT_FILL = fill("FFFFFF")
NOT_APPLICABLE_FILL = fill("BFBFBF")
MISSING_FILL = fill("FCE4D6")
CONTEXT_FILL = fill("F2F2F2")
FINDING_ERROR_FILL = fill("FF9999")
FINDING_WARNING_FILL = fill("FFE699")

WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
THIN = Side(style="thin", color="FFBFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LOCKED = Protection(locked=True)
UNLOCKED = Protection(locked=False)

LEGEND: tuple[tuple[PatternFill, str], ...] = (
    (INPUT_FILL, "White: fill in (your input cells)."),
    (LOCKED_FILL, "Light grey: framework content, locked."),
    (CONTEXT_FILL, "Pale grey: another component's output, shown for context, locked."),
    (NOT_APPLICABLE_FILL, "Dark grey: this column does not apply to the row's item type."),
    (MISSING_FILL, "Orange: required for this item type and still empty."),
    (BAND_FILL, "Blue band: an output, with its lead, support and priority."),
)


class StyleCache:
    """Styles the first cell of each kind, then gives every later cell of that kind the
    finished style: one workbook's planning sheets have thousands of cells and a handful
    of kinds.

    openpyxl hashes every font, fill, border and alignment set on a cell (a Border hashes
    its four sides): setting them cell by cell was a fifth of building a workbook. The
    public alternative, a named style per kind (`cell.style = name`), measured 2.6 times
    slower than this copy and would add the kinds to the Styles list a person sees in the
    office application, so the copy of openpyxl's style array stays, in this one place. A
    cache belongs to one workbook (style numbers index its tables); `build` must set the
    whole style of a new cell, or the kind must include the cell's style as it stands.
    """

    def __init__(self) -> None:
        self._done: dict[Hashable, StyleArray] = {}

    def apply(
        self, cell: Cell, kind: Hashable, build: Callable[..., None], *details: object
    ) -> None:
        """Give the cell the style of its kind; the first of a kind is styled by
        build(cell, *details)."""
        done = self._done.get(kind)
        if done is None:
            build(cell, *details)
            self._done[kind] = copied(cell._style)
        else:
            cell._style = copied(done)

    def cell(
        self,
        ws: Worksheet,
        row: int,
        column: int,
        kind: Hashable,
        build: Callable[..., None],
        *details: object,
    ) -> Cell:
        """``ws.cell(row, column)`` with the style of its kind, as ``apply`` gives it.

        A new cell of a kind already built is made by ``_made``, which saves openpyxl's
        look-up and a second copy on each of a sheet's thousands of cells.
        """
        done = self._done.get(kind)
        if done is None or (row, column) in ws._cells or not 0 < row < 1048577 or column < 1:
            cell = ws.cell(row, column)
            self.apply(cell, kind, build, *details)
            return cell
        return _made(ws, row, column, done)

    def row(
        self,
        ws: Worksheet,
        row: int,
        kinds: Sequence[tuple[object, ...]],
        build: Callable[..., None],
    ) -> list[Cell]:
        """Cells 1 to len(kinds) of the row, each with the style of its kind, as ``cell``
        gives them; a kind is the tuple of arguments ``build(cell, *kind)`` styles the
        first cell of that kind with. One call a row, not a cell: a merged plan has
        thousands of rows of about thirty cells."""
        done = self._done
        cells = ws._cells
        made = []
        for column, kind in enumerate(kinds, start=1):
            style = done.get(kind)
            if style is None or (row, column) in cells or not 0 < row < 1048577:
                cell = ws.cell(row, column)
                self.apply(cell, kind, build, *kind)
                made.append(cell)
            else:
                made.append(_made(ws, row, column, style))
        return made

    @staticmethod
    def current(cell: Cell) -> tuple[int, ...]:
        """The cell's style as it stands, as part of a kind (for restyling existing cells)."""
        return tuple(cell._style) if cell._style is not None else ()


def _made(ws: Worksheet, row: int, column: int, style: StyleArray) -> Cell:
    """A new cell with a copy of the style, its slots set as openpyxl's
    ``Cell(ws, row, column, style_array=style)`` sets them (in half the time of that call),
    filed where ``Worksheet._add_cell`` files it (``ws._cells``, ``ws._current_row``)."""
    cell = _new_cell(Cell)
    cell.parent = ws
    cell.row = row
    cell.column = column
    cell._value = None
    cell._hyperlink = None
    cell.data_type = "n"
    cell._comment = None
    cell._style = _new_array(StyleArray, "i", style)  # copied(style), without its call
    ws._cells[(row, column)] = cell
    if row > ws._current_row:
        ws._current_row = row
    return cell
