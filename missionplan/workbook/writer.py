"""Write a contract workbook from its layout: Instructions, objective sheets, lists, metadata.

The columns come from the contract (schema/contract.py) and the rows from a layout
(export's per component, merge's for the merged plan); this module only turns them into
a workbook a focal point can fill in Excel or LibreOffice without help.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import Rule
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from missionplan import __version__
from missionplan.planning.framework import title_of
from missionplan.schema.contract import (
    BY_KEY,
    COLUMNS,
    ITEM_TYPES,
    Column,
    choice_label,
    header,
    help_text,
)
from missionplan.schema.items import ISSUED_FIELDS, ITEM_FIELDS
from missionplan.schema.language import translate
from missionplan.workbook import styles
from missionplan.workbook.cells import column_letter, put
from missionplan.workbook.layout import LayoutRow, OutputBlock, SheetLayout, WorkbookLayout
from missionplan.workbook.metadata import (
    INSTRUCTIONS_SHEET,
    ISSUED_SHEET,
    ITEMS_SHEET,
    LISTS_SHEET,
    META_SHEET,
    issued_cells,
    meta_for,
)
from missionplan.workbook.sheet import Page, Table, lay_out, merge_row

HEADER_ROW = 1
FIRST_ROW = 2
FROZEN_CELL = "E2"  # header row and Output, Item ID, Type, Description stay in view
EXTRA_INPUT_ROWS = 30
"""Rows below the last item that keep validation and formatting, for rows a user inserts."""
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
STEPS = (
    "2. Under each blue output band are the framework's items for that output. For outputs "
    "your component leads, fill in the white cells of every row: lead, dates, priority, "
    "budget for activities; indicator, baseline, target, target date and owner for "
    "benchmarks; likelihood, impact, mitigation and owner for risks; the mission's "
    "position for considerations.",
    "3. For outputs your component supports, the framework rows are shown for context "
    "and locked: add your own contributing items on the empty rows under the output.",
    "4. To add an item, use the empty rows that already carry an Item ID with your "
    "component code: choose its Type, write its Description, then fill in its row. "
    "For more items than there are empty rows, select the last row under the output, "
    "insert a row above or below it (right-click the row number) and fill it in the same "
    "way, leaving Item ID empty: missionplan gives it the next id with your component "
    "code and writes it into the annotated copy it sends back. "
    "Refer to other items (in 'Depends on') by their Item ID.",
    "5. Pick values from the dropdowns where a cell offers one. Dates are yyyy-mm-dd. "
    "Do not rename sheets, change headers or edit the grey framework text.",
    "6. Save as .xlsx (not .xls, not with macros) and send the file back. The planning "
    "unit validates it with missionplan and returns an annotated copy if anything needs "
    "fixing.",
)
"""The Instructions sheet's steps after the first (which names the sheets), in English."""


def build_workbook(layout: WorkbookLayout, password: str | None = None) -> Workbook:
    """The whole workbook in memory: instructions, objective sheets, hidden lists and metadata."""
    wb = Workbook()
    cache = styles.StyleCache()
    instructions = wb.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS_SHEET
    lists = _write_lists(wb, layout)
    sheet_names = [_sheet_name(s) for s in layout.sheets]
    _write_instructions(instructions, layout, sheet_names, cache)
    for sheet, name in zip(layout.sheets, sheet_names, strict=True):
        _write_objective_sheet(wb.create_sheet(name), sheet, layout, lists, cache)
    _write_metadata(wb, layout, cache)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    for ws in wb.worksheets:
        protect_sheet(ws, password)
    wb.active = 1 if len(wb.worksheets) > 1 else 0
    wb.properties.creator = f"missionplan {__version__}"
    wb.properties.title = f"{layout.plan.mission}: {layout.name}"
    fixed = dt.datetime.combine(layout.plan.start, dt.time())
    wb.properties.created = fixed
    wb.properties.modified = fixed
    return wb


def _sheet_name(sheet: SheetLayout) -> str:
    """'3 Facilitating and Supporting' ('3 Faciliter et appuyer le' in French): at most 31
    characters, cut at a word."""
    title = SHEET_NAME_BAD.sub(" ", title_of(sheet.objective))
    name = f"{sheet.objective.id} "
    for word in title.split():
        if len(name) + len(word) > 31:
            break
        name += word + " "
    return name.strip()


def _write_lists(wb: Workbook, layout: WorkbookLayout) -> dict[str, str]:
    """The planning workbook's lists: one per contract column with allowed values."""
    codes = tuple(c.code for c in layout.plan.components)
    lists = [
        ChoiceList(f"mp_{column.key}", column.key, header(column),
                   tuple(choice_label(column, value) for value in values))
        for column in COLUMNS
        if (values := column.allowed(codes))
    ]  # fmt: skip
    return write_choice_lists(wb, lists)


@dataclass(frozen=True)
class ChoiceList:
    """One dropdown's choices: the defined name it is known by, for which column key."""

    name: str
    key: str
    header: str
    labels: tuple[str, ...]


def write_choice_lists(wb: Workbook, lists: Iterable[ChoiceList]) -> dict[str, str]:
    """A hidden sheet with one column per list (header, then its labels), each range given
    a defined name the dropdowns refer to; returns the defined names by column key."""
    ws = wb.create_sheet(LISTS_SHEET)
    names: dict[str, str] = {}
    for col, choices in enumerate(lists, start=1):
        letter = column_letter(col)
        put(ws.cell(1, col), choices.header)
        for row, label in enumerate(choices.labels, start=2):
            put(ws.cell(row, col), label)
        ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(choices.labels) + 1}"
        wb.defined_names[choices.name] = DefinedName(choices.name, attr_text=ref)
        names[choices.key] = choices.name
    ws.sheet_state = "hidden"
    return names


def _write_objective_sheet(
    ws: Worksheet,
    sheet: SheetLayout,
    layout: WorkbookLayout,
    lists: dict[str, str],
    cache: styles.StyleCache,
) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, index)
        cache.apply(cell, "header", _header_style)
        put(cell, header(column))
    for index, added_header in enumerate(layout.extra_headers, start=len(COLUMNS) + 1):
        cell = ws.cell(HEADER_ROW, index)
        cache.apply(cell, "extra header", _extra_header_style)
        put(cell, added_header)
    row = FIRST_ROW
    owned: list[tuple[int, int]] = []
    for block in sheet.blocks:
        _write_band(ws, row, block, cache)
        row += 1
        first = row
        for item in block.rows:
            _write_item(ws, row, item, block, cache)
            row += 1
        if block.role != "support":
            owned.append((first, row - 1))
        else:
            owned.append((first + len(block.rows) - _added_count(block), row - 1))
    last = row - 1 + EXTRA_INPUT_ROWS
    owned.append((row, last))  # the rows below, for rows a user inserts, are the user's too
    _add_validations(ws, layout, lists, last)
    _add_conditional_formats(ws, owned, last)
    for extra in range(row, last + 1):
        _style_input_row(ws, extra, cache)
    lay_out(  # the extra columns (a merged plan's provenance) are as wide as what they hold
        ws,
        Page(layout.plan.mission, layout.plan.id),
        fixed={index: float(column.width) for index, column in enumerate(COLUMNS, start=1)},
        header_row=HEADER_ROW,
        freeze=FROZEN_CELL,
        autofilter=f"A{HEADER_ROW}:{column_letter(len(COLUMNS))}{row - 1}",
    )


def _header_style(cell: Cell) -> None:
    cell.font = styles.HEADER_FONT
    cell.fill = styles.HEADER_FILL
    cell.alignment = styles.HEADER_ALIGN
    cell.border = styles.GRID


def _extra_header_style(cell: Cell) -> None:
    """A header after the contract's (a merged plan's provenance): bold on the band's blue."""
    cell.font = styles.BOLD_FONT
    cell.fill = styles.BAND_FILL


def _band_style(cell: Cell) -> None:
    cell.fill = styles.BAND_FILL
    cell.font = styles.BAND_FONT
    cell.alignment = styles.WRAP
    cell.protection = styles.LOCKED


def _added_count(block: OutputBlock) -> int:
    return sum(1 for r in block.rows if r.added)


def _write_band(ws: Worksheet, row: int, block: OutputBlock, cache: styles.StyleCache) -> None:
    """The output's band row: title, lead, support, priority and this component's role."""
    setting = block.setting
    support = ", ".join(setting.support) or translate("none")
    text = translate(
        "{output} {title}. Lead: {lead}. Support: {support}. Priority: {priority}. "
        "Your role: {role}."
    ).format(
        output=block.output.id,
        title=title_of(block.output),
        lead=setting.lead,
        support=support,
        priority=choice_label(BY_KEY["priority"], setting.priority),
        role=translate(block.role, context="role"),
    )
    for index in range(1, len(COLUMNS) + 1):
        cache.cell(ws, row, index, "band", _band_style)
    put(ws.cell(row, 1), block.output.id)
    put(ws.cell(row, 4), text)


def _write_item(
    ws: Worksheet, row: int, item: LayoutRow, block: OutputBlock, cache: styles.StyleCache
) -> None:
    values: dict[str, object] = {
        "output_id": item.output_id,
        "item_id": item.item_id,
        "item_type": item.item_type,
        "text": item.text,
        "ref": item.ref,
        "term": item.term,
    }
    values.update({key: value for key, value in item.values if value not in (None, "")})
    values.update(
        {key: choice_label(BY_KEY[key], value) for key, value in values.items()
         if isinstance(value, str) and BY_KEY[key].type == "choice"}
    )  # fmt: skip
    cells = cache.row(ws, row, _item_kinds(_states(item, block)), _item_style)
    for key, value in values.items():
        column = _COLUMN_OF.get(key)
        # after the shared style: put() may add a quote prefix that is this cell's alone
        if column is not None and value is not None and value != "":
            put(cells[column], value)
    for offset, value in enumerate(item.extra, start=len(COLUMNS) + 1):
        put(ws.cell(row, offset), value)


_COLUMN_OF = {column.key: index for index, column in enumerate(COLUMNS)}
"""A contract key -> its column's place in a row of cells (0 for column A)."""


@functools.cache
def _item_kinds(states: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The kind of each cell of an item's row (its column's number format and its state),
    as ``_item_style`` takes them; rows share a handful of tuples of states. Columns of one
    format share their styles, so a workbook styles a dozen cells, not a hundred."""
    return tuple(zip(_NUMBER_FORMATS, states, strict=True))


def _states(item: LayoutRow, block: OutputBlock) -> tuple[str, ...]:
    """Each column's kind of cell on the item's row: input, context (a supported output's,
    locked) or locked."""
    return _column_states(item.editable, item.added, item.item_type, block.role == "support")


@functools.cache
def _column_states(
    editable: bool, added: bool, item_type: str | None, support: bool
) -> tuple[str, ...]:
    states = []
    for column in COLUMNS:  # a framework row's input: an input column that applies to its type
        if editable and (
            column.editable_on_added_rows
            if added
            else column.editable and item_type in column.applies_to
        ):
            states.append("input")
        else:
            states.append("context" if support else "locked")
    return tuple(states)


def _item_style(cell: Cell, number_format: str, state: str) -> None:
    cell.font = styles.BODY_FONT
    cell.alignment = styles.WRAP
    cell.border = styles.GRID
    cell.number_format = number_format
    cell.protection = styles.UNLOCKED if state == "input" else styles.LOCKED
    cell.fill = {
        "input": styles.INPUT_FILL,
        "context": styles.CONTEXT_FILL,
        "locked": styles.LOCKED_FILL,
    }[state]


def _style_input_row(ws: Worksheet, row: int, cache: styles.StyleCache) -> None:
    """Rows below the items: formatted like input rows, for rows a user inserts or pastes."""
    cache.row(ws, row, _BLANK_KINDS, _blank_style)


def _number_format(column: Column) -> str:
    if column.type == "date":
        return "yyyy-mm-dd"
    if column.type == "number":
        return "#,##0.00"
    if column.type == "integer":
        return "0"
    return "@"  # text: ids like 007 stay text after an office re-save


_NUMBER_FORMATS = tuple(_number_format(column) for column in COLUMNS)
"""Each contract column's number format."""
_BLANK_KINDS = tuple(
    (number_format, "locked-blank" if column.role == "key" else "input-blank")
    for number_format, column in zip(_NUMBER_FORMATS, COLUMNS, strict=True)
)
"""The kind of each cell of a row below the items (its column's number format and its
state), as ``_blank_style`` takes them."""


def _blank_style(cell: Cell, number_format: str, state: str) -> None:
    cell.font = styles.BODY_FONT
    cell.alignment = styles.WRAP
    cell.number_format = number_format
    cell.protection = styles.LOCKED if state == "locked-blank" else styles.UNLOCKED


def _add_validations(
    ws: Worksheet, layout: WorkbookLayout, lists: dict[str, str], last: int
) -> None:
    """One data validation per column, each with the column's input message from the contract.

    Columns without a check get a validation of type "any value" that only carries the
    message: that is how Excel and LibreOffice show help on a cell.
    """
    plan = layout.plan
    for index, column in enumerate(COLUMNS, start=1):
        letter = column_letter(index)
        validation = _validation(column, lists, plan.start, plan.end)
        validation.promptTitle = header(column)[:32]
        validation.prompt = help_text(column)[:255]
        validation.showInputMessage = True
        validation.add(f"{letter}{FIRST_ROW}:{letter}{last}")
        ws.add_data_validation(validation)


def _validation(
    column: Column, lists: dict[str, str], start: dt.date, end: dt.date
) -> DataValidation:
    """The column's check; a validation that checks nothing ("any value") if it has none."""
    if column.key in lists:
        # A list of several codes cannot pass a list check: offer the list, allow typing.
        strict = column.type == "choice"
        return DataValidation(
            type="list",
            formula1=lists[column.key],
            allow_blank=True,
            showErrorMessage=strict,
            errorTitle=translate("{column}: not in the list").format(column=header(column))[:32],
            error=translate("Pick a value from the list for {column}.").format(
                column=header(column)
            ),
        )
    if column.type == "date":
        return DataValidation(
            type="date",
            operator="between",
            formula1=f"DATE({start.year},{start.month},{start.day})",
            formula2=f"DATE({end.year},{end.month},{end.day})",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=translate("Date outside the plan")[:32],
            error=translate("Enter a date from {start} to {end} (yyyy-mm-dd).").format(
                start=start.isoformat(), end=end.isoformat()
            ),
        )
    if column.type == "integer":
        return DataValidation(
            type="whole",
            operator="between",
            formula1=str(int(column.minimum or 0)),
            formula2=str(int(column.maximum or 0)),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=translate("Whole number needed")[:32],
            error=translate("Enter a whole number from {low:g} to {high:g}.").format(
                low=column.minimum, high=column.maximum
            ),
        )
    if column.type == "number":
        return DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1=str(column.minimum or 0),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=translate("Number needed")[:32],
            error=translate("Enter an amount of 0 or more, digits only (no currency sign)."),
        )
    return DataValidation(allow_blank=True)  # no type: any value, only the input message


def _add_conditional_formats(ws: Worksheet, owned: list[tuple[int, int]], last: int) -> None:
    """Grey out columns that do not apply to a row's type; mark required cells still empty."""
    type_col = column_letter(_index("item_type"))
    owned_ranges = _joined([(a, b) for a, b in owned if b >= a])
    # one differential style for all the rules of each kind, so that saving compares and
    # registers it once (SheetDataWriter.write_formatting), not once a rule
    not_applicable = DifferentialStyle(fill=styles.NOT_APPLICABLE_FILL)
    missing = DifferentialStyle(fill=styles.MISSING_FILL)
    for index, column in enumerate(COLUMNS, start=1):
        letter = column_letter(index)
        others = [t for t in ITEM_TYPES if t not in column.applies_to]
        if others:
            test = ",".join(f'${type_col}{FIRST_ROW}="{t}"' for t in others)
            ws.conditional_formatting.add(
                f"{letter}{FIRST_ROW}:{letter}{last}",
                Rule(type="expression", formula=[f"OR({test})"], dxf=not_applicable),
            )
        if column.required_for and column.role != "key" and owned_ranges:
            needs = ",".join(f'${type_col}{owned_ranges[0][0]}="{t}"' for t in column.required_for)
            first = owned_ranges[0][0]
            cells = " ".join(f"{letter}{a}:{letter}{b}" for a, b in owned_ranges)
            ws.conditional_formatting.add(
                cells,
                Rule(
                    type="expression",
                    formula=[f"AND(OR({needs}),LEN(TRIM({letter}{first}))=0)"],
                    dxf=missing,
                ),
            )


def _joined(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Row ranges in order, with ranges that touch joined into one."""
    joined: list[tuple[int, int]] = []
    for first, end in ranges:
        if joined and joined[-1][1] + 1 == first:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((first, end))
    return joined


def _index(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key)


def _write_instructions(
    ws: Worksheet, layout: WorkbookLayout, sheet_names: list[str], cache: styles.StyleCache
) -> None:
    plan = layout.plan
    short, medium, long_ = plan.windows
    span = translate("{start} to {end}").format
    lines: list[tuple[str, str]] = [
        (translate("Mission"), plan.mission),
        (translate("Mandate"), plan.mandate),
        (translate("Component"), f"{layout.code}: {layout.name}"),
        (translate("Planning period"), span(start=plan.start, end=plan.end)),
        (translate("Short term"), span(start=short.start, end=short.end)),
        (translate("Medium term"), span(start=medium.start, end=medium.end)),
        (translate("Long term"), span(start=long_.start, end=long_.end)),
        (translate("Framework"), f"{title_of(layout.framework)} ({layout.framework.edition})"),
        (translate("Plan id"), plan.id),
        (translate("Send it to"), plan.submit_to or translate("the mission's planning unit")),
    ]
    if layout.parent:  # a re-issued workbook says which round it is and what changed
        lines.append((translate("Round"), str(layout.round)))
        lines.extend((translate("Since the last round"), note) for note in layout.notes)
    put(ws.cell(1, 1), translate("Planning workbook: {name}").format(name=layout.name))
    ws.cell(1, 1).font = styles.TITLE_FONT
    row = 3
    for label, value in lines:
        put(ws.cell(row, 1), label)
        ws.cell(row, 1).font = styles.BOLD_FONT
        put(ws.cell(row, 2), value)
        row += 1
    row += 1
    steps = [
        translate("How to fill in this workbook"),
        translate("1. Each objective has its own sheet: {sheets}.").format(
            sheets="; ".join(sheet_names)
        ),
        *map(translate, STEPS),
    ]
    merged: dict[tuple[int, ...], list[StyleArray | None]] = {}
    for index, step in enumerate(steps):
        put(ws.cell(row, 1), step)
        ws.cell(row, 1).font = styles.BOLD_FONT if index == 0 else styles.BODY_FONT
        if index:
            merge_row(ws, row, 1, 4, merged)
            ws.cell(row, 1).alignment = styles.WRAP
        row += 1
    row += 1
    put(ws.cell(row, 1), translate("Colour legend"))
    ws.cell(row, 1).font = styles.BOLD_FONT
    row += 1
    for legend_fill, meaning in styles.LEGEND:
        ws.cell(row, 1).fill = legend_fill
        ws.cell(row, 1).border = styles.GRID
        put(ws.cell(row, 2), translate(meaning))
        row += 1
    row += 1
    table_top = row
    table_headers = ("Column", "Applies to", "Required for", "What to enter")
    for index, title in enumerate(map(translate, table_headers), 1):
        cell = ws.cell(row, index)
        cache.apply(cell, "table header", _table_header_style)
        put(cell, title)
    row += 1
    for column in COLUMNS:
        applies = (
            translate("all items")
            if len(column.applies_to) == len(ITEM_TYPES)
            else ", ".join(column.applies_to)
        )
        required = ", ".join(column.required_for) or translate("optional")
        values = [header(column), applies, required, help_text(column)]
        for index, value in enumerate(values, start=1):
            cell = ws.cell(row, index)
            cache.apply(cell, "table body", _table_body_style)
            put(cell, value)
        row += 1
    lay_out(ws, Page(plan.mission, plan.id), [Table(table_top, row - 1, 4)])


def _table_header_style(cell: Cell) -> None:
    cell.font = styles.HEADER_FONT
    cell.fill = styles.HEADER_FILL
    cell.alignment = styles.HEADER_ALIGN


def _table_body_style(cell: Cell) -> None:
    cell.alignment = styles.WRAP
    cell.font = styles.BODY_FONT


def _write_metadata(wb: Workbook, layout: WorkbookLayout, cache: styles.StyleCache) -> None:
    meta = wb.create_sheet(META_SHEET)
    for row, (key, value) in enumerate(meta_for(layout).as_pairs(), start=1):
        put(meta.cell(row, 1), key)
        cache.apply(meta.cell(row, 2), _TEXT, _text_style, *_TEXT)
        put(meta.cell(row, 2), value)
    meta.sheet_state = "veryHidden"
    items = wb.create_sheet(ITEMS_SHEET)
    for col, name in enumerate(ITEM_FIELDS, start=1):
        put(items.cell(1, col), name)
    for row, item in enumerate(layout.rows, start=2):
        values = [
            item.item_id,
            item.output_id,
            item.item_type or "",
            item.term or "",
            item.ref,
            item.fingerprint,
            "yes" if item.editable else "no",
            item.text,
        ]
        for cell, value in zip(
            cache.row(items, row, (_TEXT,) * len(values), _text_style), values, strict=True
        ):
            put(cell, value)
    items.sheet_state = "veryHidden"
    if layout.issued:
        _write_issued(wb, layout, cache)


_TEXT = ("@",)
"""The kind of a cell of the hidden sheets: text, as ``_text_style`` takes it."""


def _text_style(cell: Cell, number_format: str) -> None:
    cell.number_format = number_format


def _write_issued(wb: Workbook, layout: WorkbookLayout, cache: styles.StyleCache) -> None:
    """The values each pre-filled row was issued with, so a return shows what changed."""
    issued = wb.create_sheet(ISSUED_SHEET)
    for col, name in enumerate(ISSUED_FIELDS, start=1):
        put(issued.cell(1, col), name)
    for row, item in enumerate(layout.issued, start=2):
        values = issued_cells(item)
        for cell, value in zip(
            cache.row(issued, row, (_TEXT,) * len(values), _text_style), values, strict=True
        ):
            put(cell, value)
    issued.sheet_state = "veryHidden"


def protect_sheet(ws: Worksheet, password: str | None, insert_rows: bool = True) -> None:
    """Protect the sheet: locked cells stay locked; sorting and filtering stay allowed, and
    inserting and deleting rows too unless insert_rows is False (a review's fixed rows)."""
    protection = ws.protection
    protection.sheet = True
    protection.insertRows = not insert_rows  # openpyxl's flags say what is forbidden
    protection.deleteRows = not insert_rows
    protection.sort = False
    protection.autoFilter = False
    protection.formatColumns = False
    protection.formatRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False
    if password:
        protection.password = password
