"""A worksheet's <sheetData> written as openpyxl writes it, byte for byte, but faster.

openpyxl serialises each cell by building an ElementTree element and walking it through
et_xmlfile (openpyxl/worksheet/_writer.py ``WorksheetWriter.write_rows``/``write_row`` ->
openpyxl/cell/_writer.py ``etree_write_cell``); that walk is most of the cost of saving a
workbook. Here the same text is put together with plain string operations, using the very
escaping functions et_xmlfile uses (``xml.etree.ElementTree._escape_cdata`` and
``_escape_attrib``) and openpyxl's own value formatting (``safe_string``, ``to_excel``,
``to_ISO8601``), so goldens and determinism hold.

What is relied on of openpyxl 3.1 (checked by tests/workbook/test_sheetdata.py, which
compares every part with openpyxl's own writer on random sheets):

- ``ExcelWriter.write_worksheet`` makes its ``WorksheetWriter`` inline; ``SheetDataExcelWriter``
  repeats that method's few lines with ``SheetDataWriter`` in its place.
- ``WorksheetWriter.get_stream`` yields et_xmlfile's ``_IncrementalFileWriter`` on
  ``send(True)``; its ``_file`` is the text ``write`` of the part's file, opened as
  et_xmlfile opens it (utf-8, ``xmlcharrefreplace``), so text written there is encoded as
  openpyxl's own text would be.
- The order of side effects of ``write_row``/``_set_attributes``: a comment's
  ``CommentRecord`` is appended to ``ws._comments`` for every cell that has one (before an
  empty cell is skipped), a hyperlink to ``ws._hyperlinks`` for every written cell, and
  ``cell.style_id`` (and a row's ``s``) registers the style in the workbook's cell styles
  in the order cells are written, which fixes the numbering in styles.xml.

Anything rarer (rich text, array or data-table formulas, timezone-aware dates, a value of
an unexpected type, or openpyxl running on lxml) makes ``sheet_data`` answer None and the
sheet is written by openpyxl itself, so the output is always openpyxl's.
"""

from __future__ import annotations

from datetime import timedelta
from operator import itemgetter
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # type: ignore[attr-defined]

from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel, to_ISO8601
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.dimensions import RowDimension, SheetDimension
from openpyxl.writer.excel import ExcelWriter

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


class _Unhandled(Exception):
    """A cell this writer does not write; openpyxl writes the sheet."""


def _row_start(row_idx: int, dims: Any, known: dict[tuple[object, ...], str]) -> str:
    """A <row> start tag with openpyxl's attributes in openpyxl's order.

    The attributes of a RowDimension (whose iteration, most of the cost of a row, also
    registers its style as ``style_id`` does) are remembered in `known` by what they are
    made of: its fields, its height and its style array. A second row like it gets them
    without registering again, which would not change the registered styles.
    """
    dim = dims.get(row_idx)
    if dim is None:
        return f'<row r="{row_idx}">'
    if type(dim) is not RowDimension:
        attrs = {"r": f"{row_idx}"}
        attrs.update(dim)
        return "<row" + "".join(f' {k}="{_escape_attrib(v)}"' for k, v in attrs.items()) + ">"
    style = dim._style
    fields = (dim.hidden, dim.outlineLevel, dim.collapsed, dim.ht, dim.thickBot, dim.thickTop)
    key = (*fields, style.tobytes() if style is not None else None)
    tail = known.get(key)
    if tail is None:
        tail = known[key] = "".join(f' {k}="{_escape_attrib(v)}"' for k, v in dim) + ">"
    return f'<row r="{row_idx}"' + tail


def sheet_data(ws: Worksheet) -> str | None:
    """The <sheetData> element of ``ws`` as openpyxl's writer makes it, or None to let it.

    Side effects are openpyxl's: comments and hyperlinks are appended to the lists a
    ``WorksheetWriter`` has just reset, styles registered in the same order. On None the
    two lists are emptied again, so openpyxl's own pass starts as it would have.
    """
    try:
        return _sheet_data(ws)
    except _Unhandled:
        ws._comments = []
        ws._hyperlinks = []
        return None


_NO_STYLE = StyleArray().tobytes()


def _sheet_data(ws: Worksheet) -> str:
    workbook = ws.parent
    iso_dates = workbook.iso_dates
    epoch = workbook.epoch
    cell_styles = workbook._cell_styles
    add_style = cell_styles.add
    comments = ws._comments
    hyperlinks = ws._hyperlinks
    dims = ws.row_dimensions

    cells = ws._cells
    keys = sorted(cells)  # openpyxl sorts the items: the same order, keys being unique
    # the rows openpyxl also writes without cells (those with a dimension), last first
    bare = sorted(dims.keys() - set(map(itemgetter(0), keys)), reverse=True)

    row_attrs: dict[tuple[object, ...], str] = {}  # for _row_start
    openings: dict[int, str] = {}  # a column number -> '<c r="' and its letters
    # a style array's bytes -> its s attribute: the index openpyxl's cell.style_id gives
    # (the same for equal arrays), registered when first written; none for an unstyled cell
    style_attrs: dict[bytes, str] = {_NO_STYLE: ""}
    type_attrs = {"s": ' t="inlineStr"', "f": ""}
    out: list[str] = ["<sheetData>"]
    append = out.append
    row_idx = 0  # the row being written: rows are numbered from 1
    number = ""
    for (row, column), cell in zip(keys, map(cells.__getitem__, keys), strict=True):
        if row != row_idx:
            if row_idx:
                append("</row>")
            while bare and bare[-1] < row:
                append(_row_start(bare.pop(), dims, row_attrs) + "</row>")
            row_idx = row
            append(_row_start(row, dims, row_attrs))
            number = f'{row}"'
        comment = cell._comment
        if comment is not None:
            comments.append(CommentRecord.from_cell(cell))
        value = cell._value
        style = cell._style
        if style is None:
            style_attr = ""
        else:
            style_key = style.tobytes()
            style_attr = style_attrs.get(style_key)  # type: ignore[assignment]
            if style_attr is None:
                style_attr = style_attrs[style_key] = f' s="{add_style(style)}"'
        # openpyxl skips a cell without value, style (cell.has_style) or comment
        if value is None and not style_attr and not comment:
            continue
        if cell.hyperlink:
            hyperlinks.append(cell.hyperlink)
        opening = openings.get(column)
        if opening is None:
            opening = openings[column] = '<c r="' + get_column_letter(column)
        start = opening + number + style_attr
        data_type = cell.data_type
        if value is None and data_type == "n":  # half a planning sheet's cells: styled, empty
            append(start + ' t="n" />')
            continue
        if data_type == "s":  # most other cells: text
            if value is None or value == "":
                append(start + ' t="inlineStr" />')
                continue
            if type(value) is not str:
                raise _Unhandled  # rich text, or something openpyxl would refuse
            stripped = value.strip()
            if stripped and value != stripped:
                append(
                    start
                    + ' t="inlineStr"><is><t xml:space="preserve">'
                    + _escape_cdata(value)
                    + "</t></is></c>"
                )
            else:
                append(start + ' t="inlineStr"><is><t>' + _escape_cdata(value) + "</t></is></c>")
            continue
        type_attr = type_attrs.get(data_type)
        if type_attr is None:
            type_attr = type_attrs[data_type] = f' t="{_escape_attrib(data_type)}"'
        if data_type == "d":
            if getattr(value, "tzinfo", None) is not None:
                raise _Unhandled  # openpyxl raises its own TypeError
            if iso_dates and not isinstance(value, timedelta):
                value = to_ISO8601(value)
            else:
                type_attr = ' t="n"'
                value = to_excel(value, epoch)
        if value is None or value == "":
            append(start + type_attr + " />")
            continue
        if data_type == "f":
            if type(value) is not str:
                raise _Unhandled  # ArrayFormula, DataTableFormula
            formula = value[1:]
            if formula:
                append(start + "><f>" + _escape_cdata(formula) + "</f><v /></c>")
            else:
                append(start + "><f /><v /></c>")
            continue
        text = safe_string(value)
        if type(text) is not str:
            raise _Unhandled
        if text:
            append(start + type_attr + "><v>" + _escape_cdata(text) + "</v></c>")
        else:
            append(start + type_attr + "><v /></c>")
    if row_idx:
        append("</row>")
    while bare:
        append(_row_start(bare.pop(), dims, row_attrs) + "</row>")
    append("</sheetData>")
    return "".join(out)


class SheetDataWriter(WorksheetWriter):
    """openpyxl's worksheet writer with its <sheetData> written by ``sheet_data``."""

    def write_dimensions(self) -> None:
        """openpyxl's ``write_dimensions`` (3.1) with ``Worksheet.calculate_dimension``'s
        bounds taken in C (min and max over the cells' keys), not in its loop over them."""
        cells = self.ws._cells
        if not cells:
            ref = "A1:A1"
        else:
            rows, columns = list(map(itemgetter(0), cells)), list(map(itemgetter(1), cells))
            first, last = get_column_letter(min(columns)), get_column_letter(max(columns))
            ref = f"{first}{min(rows)}:{last}{max(rows)}"
        self.xf.send(SheetDimension(ref).to_tree())

    def write_formatting(self) -> None:
        """openpyxl's ``WorksheetWriter.write_formatting`` (3.1), with each differential
        style object compared and registered once however many rules share it: openpyxl
        compares and hashes it field by field for every rule, a planning sheet has about
        forty rules and two styles. Registering an equal style again changes nothing."""
        empty = DifferentialStyle()
        registered = self.ws.parent._differential_styles
        ids: dict[int, int | None] = {}  # id(a rule's dxf) -> its number, None if empty
        for cf in self.ws.conditional_formatting:
            for rule in cf.rules:
                dxf = rule.dxf
                if not dxf:
                    continue
                if id(dxf) not in ids:
                    ids[id(dxf)] = registered.add(dxf) if dxf != empty else None
                number = ids[id(dxf)]
                if number is not None:
                    rule.dxfId = number
            self.xf.send(cf.to_tree())

    def write_rows(self) -> None:
        """Write the rows as one text into the part's stream; openpyxl's way if unhandled."""
        xf = self.xf.send(True)
        write = getattr(xf, "_file", None)
        text = sheet_data(self.ws) if write is not None and _handled() else None
        if write is not None and text is not None:
            write(text)
        else:
            with xf.element("sheetData"):
                for row_idx, row in self.rows():
                    self.write_row(xf, row, row_idx)
        self.xf.send(None)


def _handled() -> bool:
    """Only openpyxl's ElementTree writer is mirrored; with lxml openpyxl writes."""
    import openpyxl

    return not openpyxl.LXML


class SheetDataExcelWriter(ExcelWriter):
    """openpyxl's ExcelWriter whose worksheets are written by ``SheetDataWriter``."""

    def write_worksheet(self, ws: Worksheet) -> None:
        """openpyxl's ``ExcelWriter.write_worksheet`` (3.1) with ``SheetDataWriter``."""
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing

        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = SheetDataWriter(ws)
        writer.write()
        ws._rels = writer._rels
        self._archive.write(writer.out, ws.path[1:])
        self.manifest.append(ws)
        writer.cleanup()
