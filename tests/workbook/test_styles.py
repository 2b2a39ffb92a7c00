"""StyleCache: a cell styled by copy looks exactly like one styled attribute by attribute."""

from __future__ import annotations

from copy import copy

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from missionplan.workbook import styles

KINDS = {
    "header": (styles.HEADER_FONT, styles.HEADER_FILL, styles.HEADER_ALIGN, styles.LOCKED, "@"),
    "input": (styles.BODY_FONT, styles.INPUT_FILL, styles.WRAP, styles.UNLOCKED, "yyyy-mm-dd"),
    "locked": (styles.BODY_FONT, styles.LOCKED_FILL, styles.WRAP, styles.LOCKED, "#,##0.00"),
    "band": (styles.BAND_FONT, styles.BAND_FILL, styles.WRAP, styles.LOCKED, "General"),
}
ATTRIBUTES = ("font", "fill", "border", "alignment", "protection", "number_format", "quotePrefix")


def _by_hand(cell: Cell, kind: str) -> None:
    font, fill, alignment, protection, number_format = KINDS[kind]
    cell.font = font
    cell.fill = fill
    cell.alignment = alignment
    cell.protection = protection
    cell.number_format = number_format
    cell.border = styles.GRID


def _look(cell: Cell) -> tuple[object, ...]:
    # copy() turns openpyxl's style proxies into comparable objects
    return tuple(copy(getattr(cell, attribute)) for attribute in ATTRIBUTES)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=40))
def test_a_copied_style_is_the_style_set_by_hand(kinds: list[str]) -> None:
    wb = Workbook()
    cached, by_hand = wb.active, wb.create_sheet()
    assert cached is not None
    cache = styles.StyleCache()
    for row, kind in enumerate(kinds, start=1):
        cache.apply(cached.cell(row, 1), kind, _by_hand, kind)
        _by_hand(by_hand.cell(row, 1), kind)
    for row in range(1, len(kinds) + 1):
        assert _look(cached.cell(row, 1)) == _look(by_hand.cell(row, 1)), kinds[row - 1]


def test_a_kind_is_built_once_and_a_later_value_keeps_its_quote_prefix() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    built: list[Cell] = []

    def build(cell: Cell) -> None:
        built.append(cell)
        _by_hand(cell, "input")

    cache = styles.StyleCache()
    for row in range(1, 6):
        cache.apply(ws.cell(row, 1), "input", build)
    assert built == [ws.cell(1, 1)]
    ws.cell(3, 1).quotePrefix = True  # what put() does to a text that looks like a formula
    assert ws.cell(3, 1).quotePrefix and not ws.cell(2, 1).quotePrefix
    assert not ws.cell(4, 1).quotePrefix  # the copies are the cells' own


def test_restyling_by_the_current_style_keeps_what_differed() -> None:
    # how the layout grids a table: the kind is the cell's style as it stands
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    _by_hand(ws.cell(1, 1), "header")
    _by_hand(ws.cell(2, 1), "locked")
    _by_hand(ws.cell(3, 1), "header")
    cache = styles.StyleCache()

    def unbordered(cell: Cell) -> None:
        cell.border = styles.Border()

    for row in range(1, 4):
        cell = ws.cell(row, 1)
        cache.apply(cell, cache.current(cell), unbordered)
    assert [ws.cell(r, 1).fill.fgColor.rgb for r in range(1, 4)] == [
        styles.HEADER_FILL.fgColor.rgb,
        styles.LOCKED_FILL.fgColor.rgb,
        styles.HEADER_FILL.fgColor.rgb,
    ]
    assert all(ws.cell(r, 1).border == styles.Border() for r in range(1, 4))


def test_a_cell_made_with_its_style_is_the_cell_openpyxl_makes() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    cache = styles.StyleCache()
    cache.cell(ws, 1, 1, "input", _by_hand, "input")  # built: later cells are made directly
    made = cache.cell(ws, 7, 3, "input", _by_hand, "input")
    theirs = Cell(ws, row=7, column=3, style_array=made._style)
    slots = {slot for kind in type(made).__mro__ for slot in getattr(kind, "__slots__", ())}
    assert slots >= {"row", "column", "_value", "data_type", "parent", "_style"}
    for slot in sorted(slots):
        assert getattr(made, slot) == getattr(theirs, slot), slot
    assert ws._cells[(7, 3)] is made and ws._current_row == 7
    other = cache.cell(ws, 8, 3, "input", _by_hand, "input")
    assert other._style == made._style and other._style is not made._style  # each its own
    assert made.value is None and made.coordinate == "C7"
