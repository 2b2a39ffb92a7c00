"""How every sheet the tool writes reads on screen and on paper: one set of layout rules.

Columns are as wide as what they hold (within bounds, and narrowed where that lets a table
fit an A4 page), long text wraps, and every row gets an explicit height for its wrapped
text, since neither Excel nor LibreOffice re-measures rows when it opens a file. Tables
get a grid; a sheet's header row is frozen, filtered and repeated on every printed page;
every sheet prints on A4, fit to width, naming the mission, plan id, sheet and page.

Text is measured with Calibri's character widths (those of Carlito, its metric twin) and
laid out as Excel lays it out: a width unit is one Calibri 11 digit, 7 px or 5.25 pt.
LibreOffice draws the same width a little wider, and with a substitute font its columns
grow with the font, so text that fits here fits there too.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Literal

from missionplan.workbook import styles
from missionplan.workbook.cells import column_letter
from missionplan.workbook.metadata import META_SHEET

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

Orientation = Literal["landscape", "portrait"]

EM = 2048
"""Font units per em of the widths below."""
_REGULAR = (
    463, 667, 821, 1020, 1038, 1464, 1397, 452, 621, 621, 1020, 1020, 511, 627, 517, 791,
    1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 548, 548, 1020, 1020, 1020,
    949, 1831, 1185, 1114, 1092, 1260, 1000, 941, 1292, 1276, 516, 653, 1064, 861, 1751,
    1322, 1356, 1058, 1378, 1112, 941, 998, 1314, 1162, 1822, 1063, 998, 959, 628, 791, 628,
    1020, 1020, 596, 981, 1076, 866, 1076, 1019, 625, 964, 1076, 470, 490, 931, 470, 1636,
    1076, 1080, 1076, 1076, 714, 801, 686, 1076, 925, 1464, 887, 927, 809, 644, 943, 644,
    1020,
)  # fmt: skip
_BOLD = (
    463, 667, 898, 1020, 1038, 1493, 1443, 478, 638, 638, 1020, 1020, 528, 627, 547, 880,
    1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 565, 565, 1020, 1020, 1020,
    949, 1840, 1241, 1148, 1084, 1291, 999, 940, 1305, 1292, 546, 678, 1120, 866, 1790,
    1349, 1385, 1090, 1405, 1153, 968, 1014, 1337, 1211, 1856, 1128, 1064, 979, 665, 880,
    665, 1020, 1020, 615, 1011, 1099, 857, 1099, 1031, 648, 971, 1099, 503, 523, 983, 503,
    1666, 1099, 1101, 1099, 1099, 728, 817, 710, 1099, 969, 1526, 941, 970, 814, 704, 973,
    704, 1020,
)  # fmt: skip
"""Advance widths of the printable ASCII characters (space to tilde) in Carlito."""
WIDE_CHARACTER = 1300
"""The width of a character outside the tables (CJK, symbols): wider than most letters."""
WIDEST = max(*_REGULAR, *_BOLD, WIDE_CHARACTER)

POINTS_PER_UNIT = 5.25
"""Points in one unit of column width: a Calibri 11 digit, 7 px at 96 dpi."""
CELL_PADDING = 4.0
"""Points a cell keeps free of text, left and right together."""
SAFETY = 1.05
"""Text is taken this much wider than its font says: screen rounding, other renderers."""
LINE_PITCH = 1.28
"""Points of row height per point of font and line of text: Calibri's line spacing (1.22 em),
rounded up to whole pixels as Excel draws it (17 px a line at 10 pt)."""
ROW_PADDING = 2.0
MAX_ROW_HEIGHT = 409.0
"""The tallest row Excel and LibreOffice allow."""
DEFAULT_WIDTH = 9.14
"""A column without a width of its own: Excel's 8.43 characters, 64 px."""
MIN_WIDTH = 5.0
MAX_WIDTH = 60.0
"""Bounds of a column sized from its content: wider text wraps."""
MIN_SCALE = 0.85
"""Tables are made narrow enough to print at this size or larger (fit to width shrinks)."""
DEFAULT_SIZE = 11.0
AFTER_HYPHEN = re.compile(r"(?<=-)(?=.)")
"""Where a word may break: after each of its hyphens."""

MARGINS = {"left": 0.4, "right": 0.4, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}
"""Page margins in inches: narrow sides, room for the print header and footer."""
PAGE_SIZE: dict[Orientation, tuple[float, float]] = {
    "landscape": (842.0, 595.0),
    "portrait": (595.0, 842.0),
}
"""Width and height of an A4 page in points."""
DEFAULT_HEIGHT = 15.0
"""A row without a height of its own: Excel's default for 11 pt Calibri."""
PAGE_SAFETY = 0.97
"""Share of a page's height counted on when keeping a table on one page."""
HEADER_SIZE = 9


def _widths(table: tuple[int, ...]) -> dict[str, int]:
    return {chr(32 + index): width for index, width in enumerate(table)}


_BY_CHARACTER = {False: _widths(_REGULAR), True: _widths(_BOLD)}
_MEASURED = {False: dict(_BY_CHARACTER[False]), True: dict(_BY_CHARACTER[True])}
"""The tables above and every other character met so far, with the width it was given:
a text is then measured by one look-up a character, in C."""


def _character_width(char: str, bold: bool) -> int:
    """The width of a character the tables do not have: that of its base letter (é is as
    wide as e), else WIDE_CHARACTER."""
    base = unicodedata.normalize("NFD", char)[:1]
    return _BY_CHARACTER[bold].get(base, WIDE_CHARACTER)


def text_points(text: str, size: float = DEFAULT_SIZE, bold: bool = False) -> float:
    """How many points `text` takes on one line, in Calibri of this size."""
    widths = _MEASURED[bold]
    try:
        total = sum(map(widths.__getitem__, text))
    except KeyError:  # a character not met before
        for char in set(text).difference(widths):
            widths[char] = _character_width(char, bold)
        total = sum(map(widths.__getitem__, text))
    return total * size / EM


@functools.lru_cache(maxsize=65536)
def _piece_points(piece: str, size: float, bold: bool) -> float:
    """text_points, remembered: the same words come back on every row."""
    return text_points(piece, size, bold)


def room(width: float) -> float:
    """Points of text that fit on one line of a column `width` units wide."""
    return max(1.0, width * POINTS_PER_UNIT - CELL_PADDING) / SAFETY


def width_for(points: float) -> float:
    """The column width (units) that holds `points` of text on one line."""
    return (points * SAFETY + CELL_PADDING) / POINTS_PER_UNIT


def one_line_width(text: str, size: float = DEFAULT_SIZE, bold: bool = False) -> float:
    """The column width (units, rounded up to tenths) that shows `text` on one line."""
    return _tenths(width_for(text_points(text, size, bold)))


@functools.lru_cache(maxsize=65536)  # a framework's texts come back in every workbook
def wrapped_lines(text: str, width: float, size: float = DEFAULT_SIZE, bold: bool = False) -> int:
    """How many lines `text` wraps into in a column `width` units wide.

    As both applications wrap: lines break at spaces and after hyphens, a piece longer
    than a line is broken where the line runs out, and line breaks in the text start new
    lines.
    """
    if not text:
        return 0
    line_room = room(width)
    if len(text) * size * WIDEST / EM <= line_room and "\n" not in text:
        return 1  # fits even if every character were the widest
    space = text_points(" ", size, bold)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            gap = space
            for piece in AFTER_HYPHEN.split(word) if "-" in word else (word,):
                points = _piece_points(piece, size, bold)
                if used and used + gap + points <= line_room:
                    used += gap + points
                else:
                    if used:  # the piece starts the next line
                        lines += 1
                    while points > line_room:  # a piece longer than a line runs on
                        lines += 1
                        points -= line_room
                    used = points
                gap = 0.0  # the pieces of one word follow each other without a space
    return lines


def row_height(lines: int, size: float = DEFAULT_SIZE) -> float:
    """A row height (points) for `lines` lines of text of this size."""
    return min(MAX_ROW_HEIGHT, round(max(1, lines) * size * LINE_PITCH + ROW_PADDING, 2))


def shown(value: object, number_format: str = "General") -> str:
    """The text a cell shows for its value (numbers and dates as their format writes them)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        if value.time() == dt.time() and "h" not in number_format:
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if "0.00" in number_format:
            return f"{value:,.2f}" if "," in number_format else f"{value:.2f}"
        if number_format in ("0", "#,##0"):
            return f"{value:,.0f}" if "," in number_format else f"{value:.0f}"
        return f"{value:.10g}"
    return str(value)


@dataclass(frozen=True)
class Page:
    """What every printed page names besides its sheet and number: the mission (in the print
    header) and the plan id (in the footer)."""

    mission: str
    plan_id: str

    @classmethod
    def of_workbook(cls, wb: Workbook) -> Page:
        """The mission and plan id a missionplan workbook carries in its metadata sheet."""
        pairs: dict[str, str] = {}
        if META_SHEET in wb.sheetnames:
            for key, value, *_ in wb[META_SHEET].iter_rows(max_col=2, values_only=True):
                pairs[str(key)] = "" if value is None else str(value)
        return cls(pairs.get("mission", ""), pairs.get("plan_id", ""))


@dataclass(frozen=True)
class Table:
    """A header row and the rows under it: gridded, wrapped, its columns sized to fit.

    spread: the last column reaches to the right edge of the sheet's widest table (its
    cells merged), for long text beside tables that have many narrow columns.
    """

    top: int
    bottom: int
    columns: int
    left: int = 1
    spread: bool = False

    @property
    def right(self) -> int:
        return self.left + self.columns - 1

    def cells(self) -> Iterable[tuple[int, int]]:
        for row in range(self.top, self.bottom + 1):
            for column in range(self.left, self.right + 1):
                yield row, column

    @property
    def ref(self) -> str:
        """The table's range in A1 notation (for an autofilter)."""
        return f"{column_letter(self.left)}{self.top}:{column_letter(self.right)}{self.bottom}"


def lay_out(
    ws: Worksheet,
    page: Page,
    tables: Sequence[Table] = (),
    *,
    fixed: Mapping[int, float] | None = None,
    header_row: int | None = None,
    freeze: str | None = None,
    autofilter: str | None = None,
    orientation: Orientation = "landscape",
) -> None:
    """Apply the layout rules to a written sheet.

    tables: the sheet's tables (gridded, wrapped, their columns sized from their cells);
    fixed: column widths set by the caller (a planning sheet's come from the contract);
    header_row: frozen on screen and printed on every page; freeze: another frozen cell
    (default: column A under the header row); autofilter: the range to filter.
    """
    right = max((t.right for t in tables), default=0)
    for table in tables:
        _grid(ws, table, right)
    widths = dict(fixed or {})
    widths.update(_table_widths(ws, tables, widths, _budget(orientation)))
    for column, width in sorted(widths.items()):
        ws.column_dimensions[column_letter(column)].width = width
    _make_room(ws, tables, set(widths))
    fit_rows(ws)
    if header_row is None and len(tables) > 1:
        _keep_tables_whole(ws, tables, orientation)
    if header_row is not None:
        ws.freeze_panes = freeze or f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
    elif freeze:
        ws.freeze_panes = freeze
    if autofilter:
        ws.auto_filter.ref = autofilter
    _print_setup(ws, page, orientation)


def fit_rows(ws: Worksheet, grow_only: bool = False) -> None:
    """Give every row with text the height of its tallest cell's wrapped lines.

    grow_only: keep rows that are already taller (a sheet laid out by someone else).
    """
    merged = _merged(ws)
    spans = {first: last for first, (bottom, last) in merged.items() if bottom == first[0]}
    widths = {c: _width(ws, c) for c in range(1, last_column(ws) + 1)}
    facts = _StyleFacts()
    seen = facts.seen
    heights: dict[int, float] = {}
    one_line: dict[float, float] = {}  # a font size -> the height of one line of it
    tall: dict[tuple[int, float], float] = {}  # (lines, font size) -> their height
    spanned: dict[tuple[int, int], float] = {}  # (first, last column) -> their width
    for (row, column), cell in ws._cells.items():
        value = cell._value  # what cell.value gives, without the property
        if value is None or value == "" or ((row, column) in merged and (row, column) not in spans):
            continue  # empty, or a range over several rows that no one row's height fits
        style = cell._style  # facts.of(cell), its look-up inline: thousands of cells a sheet
        found = seen.get((style[0], style[5]) if style is not None else (0, 0))
        size, bold, wraps = found if found is not None else facts.of(cell)
        if wraps and isinstance(value, str):
            span = (column, spans.get((row, column), column))
            width = spanned.get(span)
            if width is None:
                width = spanned[span] = sum(widths[c] for c in range(column, span[1] + 1))
            lines = (wrapped_lines(value, width, size, bold), size)
            height = tall.get(lines)
            if height is None:
                height = tall[lines] = row_height(*lines)
        else:
            known = one_line.get(size)
            if known is None:
                known = one_line[size] = row_height(1, size)
            height = known
        if height > heights.get(row, 0.0):
            heights[row] = height
    new_row = _RowHeights(ws)
    for row, height in sorted(heights.items()):
        if row not in ws.row_dimensions:
            new_row.add(row, height)
            continue
        dimension = ws.row_dimensions[row]
        if not (grow_only and dimension.height and dimension.height >= height):
            dimension.height = height


class _RowHeights:
    """Row dimensions made for rows that have none yet, each with its height, as
    ``ws.row_dimensions[row].height = height`` makes them, in a sixth of the time: openpyxl
    builds each one field by field through its descriptors, for thousands of rows a sheet.

    One dimension is made by openpyxl; each new one is made with its fields (and a new row
    number and height), its parent and an empty style, as RowDimension(ws) sets them.
    """

    def __init__(self, ws: Worksheet) -> None:
        from openpyxl.worksheet.dimensions import RowDimension

        self._ws = ws
        self._class = RowDimension
        self._fields = RowDimension(ws).__dict__
        # a worksheet whose rows openpyxl makes otherwise gets its own dimensions
        self._plain = ws.row_dimensions.default_factory == ws._add_row

    def add(self, row: int, height: float) -> None:
        """``ws.row_dimensions[row].height = height`` for a row without a dimension."""
        dims = self._ws.row_dimensions
        if not self._plain:
            dims[row].height = height
            return
        dimension = self._class.__new__(self._class)
        dimension.__dict__.update(self._fields, index=row, ht=float(height))
        dimension.parent = self._ws
        dimension._style = None
        dict.__setitem__(dims, row, dimension)


class _StyleFacts:
    """Font size, boldness and wrapping of cells, looked up once per style: on a planning
    sheet thousands of cells share a handful of styles."""

    def __init__(self) -> None:
        self.seen: dict[tuple[int, int], tuple[float, bool, bool]] = {}

    def of(self, cell: Cell) -> tuple[float, bool, bool]:
        style = cell._style  # None until the cell is styled: the default style
        # a StyleArray's fontId and alignmentId, read by index: thousands of cells a sheet
        key = (style[0], style[5]) if style is not None else (0, 0)
        facts = self.seen.get(key)
        if facts is None:
            font = cell.font
            wraps = bool(cell.alignment.wrap_text)
            facts = self.seen[key] = (float(font.sz or DEFAULT_SIZE), bool(font.b), wraps)
        return facts


def _merged(ws: Worksheet) -> dict[tuple[int, int], tuple[int, int]]:
    """Top-left cell of each merged range -> (its last row, its last column)."""
    return {(r.min_row, r.min_col): (r.max_row, r.max_col) for r in ws.merged_cells.ranges}


def _covered(ws: Worksheet) -> set[tuple[int, int]]:
    """Every cell inside a merged range, its first cell included."""
    return {
        (row, column)
        for r in ws.merged_cells.ranges
        for row in range(r.min_row, r.max_row + 1)
        for column in range(r.min_col, r.max_col + 1)
    }


def last_column(ws: Worksheet) -> int:
    """``ws.max_column``, its maximum taken in C rather than by a generator over every
    cell: a planning sheet has tens of thousands."""
    return max(map(itemgetter(1), ws._cells), default=1)


def _width(ws: Worksheet, column: int) -> float:
    dimension = ws.column_dimensions.get(column_letter(column))
    return float(dimension.width) if dimension is not None and dimension.width else DEFAULT_WIDTH


def _printable(orientation: Orientation) -> tuple[float, float]:
    """Points of the page inside its margins: (width, height)."""
    width, height = PAGE_SIZE[orientation]
    across = (MARGINS["left"] + MARGINS["right"]) * 72
    down = (MARGINS["top"] + MARGINS["bottom"]) * 72
    return width - across, height - down


def column_points(ws: Worksheet) -> list[float]:
    """The width in points of each column, from A to the sheet's last used one."""
    return [_width(ws, c) * POINTS_PER_UNIT for c in range(1, last_column(ws) + 1)]


def sheet_width(ws: Worksheet) -> float:
    """Points across the sheet's columns, from A to its last used one."""
    return sum(column_points(ws))


def page_height(width: float, orientation: Orientation = "landscape") -> float:
    """Points of the sheet counted on for one printed page when the sheet is `width` points
    across: fit to width shrinks a wide sheet, so its page holds more of it."""
    across, down = _printable(orientation)
    return down / min(1.0, across / max(width, 1.0)) * PAGE_SAFETY


def _budget(orientation: Orientation) -> float:
    """Width units that fit across the printable width of the page, at the smallest scale."""
    return _printable(orientation)[0] / POINTS_PER_UNIT / MIN_SCALE


def _grid(ws: Worksheet, table: Table, right: int) -> None:
    """Grid and wrap the table's cells; spread its last column to `right` if asked."""
    cache = styles.StyleCache()  # cells of one style and place get one new style
    for row, column in table.cells():
        cell = ws.cell(row, column)
        header = row == table.top
        cache.apply(cell, (cache.current(cell), header), _gridded, header)
    if table.spread and right > table.right:
        merged: dict[tuple[int, ...], list[StyleArray | None]] = {}
        for row in range(table.top, table.bottom + 1):
            # the merged range takes its border from the first cell
            merge_row(ws, row, table.right, right, merged)


def merge_row(
    ws: Worksheet,
    row: int,
    first: int,
    last: int,
    done: dict[tuple[int, ...], list[StyleArray | None]],
) -> None:
    """``ws.merge_cells`` over the row's columns first to last, with openpyxl's result.

    openpyxl restyles the range cell by cell (hashing a Border each time): a tenth of
    writing a merged plan. The styles it gives depend only on the first cell's style when
    the range's other cells are empty, so a row whose first cell has a style already
    merged (in `done`, per sheet) gets those styles copied, its other cells made as
    openpyxl makes them (MergedCell, in the same order).
    """
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.merge import MergedCellRange

    cells = ws._cells
    start = cells.get((row, first))
    others = range(first + 1, last + 1)
    plain = start is not None and all((row, column) not in cells for column in others)
    key = (last - first, *styles.StyleCache.current(start)) if plain and start is not None else None
    known = done.get(key) if key is not None else None
    if known is None:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        if key is not None:
            done[key] = [_copied(cells[(row, c)]._style) for c in range(first, last + 1)]
        return
    assert start is not None
    coord = f"{column_letter(first)}{row}:{column_letter(last)}{row}"
    ws.merged_cells.add(MergedCellRange(ws, coord))
    start._style = _copied(known[0])
    for column, style in zip(others, known[1:], strict=True):
        cell = MergedCell(ws, row, column)
        cell._style = _copied(style)
        cells[(row, column)] = cell


def _copied(style: StyleArray | None) -> StyleArray | None:
    return styles.copied(style) if style is not None else None


def _gridded(cell: Cell, header: bool) -> None:
    cell.border = styles.GRID
    cell.alignment = _wrapping(cell, header)


def _wrapping(cell: Cell, header: bool) -> Alignment:
    """The cell's alignment with wrapping on (text at the top of a body cell)."""
    from openpyxl.styles import Alignment

    alignment = cell.alignment
    vertical = alignment.vertical or ("center" if header else "top")
    return Alignment(
        horizontal=alignment.horizontal, vertical=vertical, wrap_text=True, indent=alignment.indent
    )


def _table_widths(
    ws: Worksheet, tables: Sequence[Table], fixed: Mapping[int, float], budget: float
) -> dict[int, float]:
    """Each table column's width: what its cells want on one line, within bounds.

    When that is wider than the page, the widest columns are narrowed to one common width
    (never below their longest word or number), so long text wraps and short values keep
    their line.
    """
    covered = _covered(ws)
    facts = _StyleFacts()
    wanted: dict[int, float] = {}
    least: dict[int, float] = {}
    for table in tables:
        for row, column in table.cells():
            if column in fixed or (row, column) in covered:
                continue
            cell = ws.cell(row, column)
            text = shown(cell.value, cell.number_format)
            size, bold, _ = facts.of(cell)
            if isinstance(cell.value, str):
                longest = max((text_points(w, size, bold) for w in text.split()), default=0.0)
                lines = (text_points(part, size, bold) for part in text.split("\n"))
                line = longest if row == table.top else max(lines)  # headers wrap at spaces
            else:  # numbers and dates never wrap
                longest = line = text_points(text, size, bold)
            wanted[column] = max(wanted.get(column, MIN_WIDTH), width_for(line))
            least[column] = max(least.get(column, MIN_WIDTH), width_for(longest))
    for column in wanted:
        least[column] = min(least[column], MAX_WIDTH)
        wanted[column] = min(max(wanted[column], least[column]), MAX_WIDTH)
    return _narrowed(wanted, least, budget - sum(fixed.values()))


def _narrowed(wanted: dict[int, float], least: dict[int, float], budget: float) -> dict[int, float]:
    """Cap the wanted widths at the one width that makes them add up to the budget."""

    def total(cap: float) -> float:
        return sum(max(least[c], min(wanted[c], cap)) for c in wanted)

    cap = max(wanted.values(), default=0.0)
    if total(cap) > budget:
        low, high = 0.0, cap
        for _ in range(50):  # bisection: the total only grows with the cap
            middle = (low + high) / 2
            low, high = (middle, high) if total(middle) <= budget else (low, middle)
        cap = low
    return {c: _tenths(max(least[c], min(wanted[c], cap))) for c in sorted(wanted)}


def _tenths(width: float) -> float:
    """A width rounded up to a tenth of a unit: never narrower than what was measured."""
    return math.ceil(round(width * 10, 6)) / 10


def _make_room(ws: Worksheet, tables: Sequence[Table], sized: set[int]) -> None:
    """Text outside the tables runs on into the empty cells to its right, as far as the
    sheet's last column; where that is too short, its column is widened (unless a table
    or the caller sizes it) or else its text wraps."""
    covered = _covered(ws)
    in_tables: dict[int, list[tuple[int, int]]] = {}  # row -> the tables' columns on it
    for t in tables:
        for table_row in range(t.top, t.bottom + 1):
            in_tables.setdefault(table_row, []).append((t.left, t.right))
    sized = sized | {column for t in tables for column in range(t.left, t.right + 1)}
    facts = _StyleFacts()
    seen = facts.seen
    last = last_column(ws)
    widths = {c: _width(ws, c) for c in range(1, last + 1)}  # kept as columns are widened
    wrapped = styles.StyleCache()  # cells of one style that wrap get one new style
    cells = ws._cells
    for (row, column), cell in list(cells.items()):  # in the order they were written
        value = cell._value  # what cell.value gives, without the property
        if not isinstance(value, str):
            continue
        style = cell._style  # facts.of(cell), its look-up inline: thousands of cells a sheet
        found = seen.get((style[0], style[5]) if style is not None else (0, 0))
        size, bold, wraps = found if found is not None else facts.of(cell)
        if wraps or (row, column) in covered:
            continue
        if any(left <= column <= right for left, right in in_tables.get(row, ())):
            continue
        needed = width_for(max(_piece_points(p, size, bold) for p in value.split("\n")))
        beside = 0.0
        for right in range(column + 1, last + 1):
            neighbour = cells.get((row, right))
            if neighbour is not None and neighbour.value is not None:
                break
            beside += widths[right]
        if widths[column] + beside >= needed:
            continue
        if column not in sized and needed - beside <= MAX_WIDTH:
            ws.column_dimensions[column_letter(column)].width = _tenths(needed - beside)
            widths[column] = _width(ws, column)
        else:
            wrapped.apply(cell, wrapped.current(cell), _wrap_body)


def _wrap_body(cell: Cell) -> None:
    cell.alignment = _wrapping(cell, header=False)


def _keep_tables_whole(ws: Worksheet, tables: Sequence[Table], orientation: Orientation) -> None:
    """Start a table (with the title row above it) on a new page rather than split it over
    two, where it fits on one page: several tables on one sheet cannot all repeat their
    header row.

    The page is measured as Excel prints it, fit to width; LibreOffice draws the same
    columns wider, so it shrinks the page more and a table that fits here fits there.
    """
    from openpyxl.worksheet.pagebreak import Break

    page = page_height(sheet_width(ws), orientation)

    def height(row: int) -> float:
        dimension = ws.row_dimensions.get(row)
        return float(dimension.height) if dimension and dimension.height else DEFAULT_HEIGHT

    starts = {}
    for table in tables:
        titled = table.top > 1 and ws.cell(table.top - 1, table.left).value is not None
        starts[table.top - 1 if titled else table.top] = table.bottom
    used = 0.0
    for row in range(1, ws.max_row + 1):
        if row in starts and used:
            block = sum(height(r) for r in range(row, starts[row] + 1))
            if used + block > page and block <= page:
                ws.row_breaks.append(Break(id=row - 1))  # a break after the row above
                used = 0.0
        used += height(row)
        if used > page:  # the row did not fit: it starts the next page
            used = height(row)


def _print_setup(ws: Worksheet, page: Page, orientation: Orientation) -> None:
    """A4, fit to the page width, as many pages down as needed; mission, sheet, page, plan."""
    from openpyxl.worksheet.page import PageMargins

    setup = ws.page_setup
    setup.orientation = orientation
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(**MARGINS)
    parts = (  # the mission across the top; sheet, page and plan, all short, at the foot
        (ws.oddHeader.center, _literal(page.mission)),
        (ws.oddFooter.left, "&A"),  # the sheet's name
        (ws.oddFooter.center, "Page &P of &N"),
        (ws.oddFooter.right, _literal(f"Plan {page.plan_id}" if page.plan_id else "")),
    )
    for part, text in parts:
        part.text = text or None
        part.size = HEADER_SIZE if text else None


def _literal(text: str) -> str:
    """Text for a print header: & starts a code there, && is an ampersand."""
    return text.replace("&", "&&")
