"""The pictures of the merged plan's Summary: three native charts and two coloured matrices.

Leadership would rather look than read: budget per objective stacked by funding source,
activities under way per quarter, and items per component, drawn by the spreadsheet
application itself (openpyxl.chart) from the Summary's own tables, so every number a chart
shows can be read in a cell and the charts survive a LibreOffice re-save. The coverage and
risk matrices get conditional formats: the application colours them from their values.

What goes where is worked out by pure functions (which budget columns to draw, the
quarter totals, the boxes the charts fill on their page); drawing them is the rest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from missionplan.schema.language import translate
from missionplan.workbook.cells import column_letter
from missionplan.workbook.sheet import DEFAULT_HEIGHT, Table, column_points, page_height

if TYPE_CHECKING:
    from openpyxl.chart.bar_chart import BarChart
    from openpyxl.worksheet.worksheet import Worksheet

ROW_HEIGHT = DEFAULT_HEIGHT
"""Points of each row under the charts: set explicitly, so both applications agree."""
MAX_CHART_ROWS = 20
"""The tallest chart, in rows (300 points): taller only stretches the bars."""
MIN_CHART_ROWS = 10
LEFT_SHARE = 0.62
"""The share of the width for the budget and activities charts; the rest, components."""
LEAD_FILL = "9DC3E6"
SUPPORT_FILL = "DDEBF7"
CONTRIBUTED_FILL = "FCE4D6"
"""Coverage colours: lead darker than support; items contributed without a role, orange."""
RISK_LOW, RISK_HIGH = "FFFFFF", "F8696B"
"""The risk matrix's colour scale: no risk white, the most crowded cell red."""


@dataclass(frozen=True)
class Box:
    """The cells a chart covers: columns first..end-1 and rows top..bottom-1 (1-based);
    its corners sit on cell edges, so it grows with the columns in any application."""

    first_column: int
    top: int
    end_column: int
    bottom: int


@dataclass(frozen=True)
class ChartPage:
    """Where the Summary's three charts go: budget and activities one above the other on the
    left, items per component on the right, the height of both (a bar per component needs
    the room); rows are the rows under the charts, to be given ROW_HEIGHT."""

    budget: Box
    quarters: Box
    components: Box

    @property
    def rows(self) -> range:
        return range(self.budget.top, self.quarters.bottom)

    @property
    def last_column(self) -> int:
        return self.components.end_column - 1


def chart_page(widths: Sequence[float], top: int, room: float) -> ChartPage:
    """Boxes for the three charts from row `top` down, in `room` points of page height,
    across the columns of these widths (points): the charts stay within the printed width
    and on one page. The left charts take the columns up to LEFT_SHARE of the width."""
    rows = max(MIN_CHART_ROWS, min(MAX_CHART_ROWS, math.floor((room / ROW_HEIGHT - 1) / 2)))
    end = len(widths) + 1
    split, left = end - 1, 0.0
    for column, width in enumerate(widths, start=1):
        if left >= sum(widths) * LEFT_SHARE:
            split = column
            break
        left += width
    split = max(split, 2)
    second = top + rows + 1
    return ChartPage(
        Box(1, top, split, top + rows),
        Box(1, second, split, second + rows),
        Box(split, top, max(end, split + 1), second + rows),
    )


def quarter_totals(rows: Sequence[Sequence[object]], quarters: int) -> tuple[int, ...]:
    """Activities under way in each quarter, all outputs together (rows: output, counts)."""
    totals = [0] * quarters
    for row in rows:
        for index, value in enumerate(row[1 : quarters + 1]):
            totals[index] += value if isinstance(value, int) else 0
    return tuple(totals)


def total_row(rows: Sequence[Sequence[object]], quarters: int) -> tuple[object, ...]:
    """The timeline table's last row: what the activities chart draws."""
    return (translate("All outputs"), *quarter_totals(rows, quarters))


def drawn_sources(rows: Sequence[Sequence[object]], sources: int) -> tuple[int, ...]:
    """The budget table's funding-source columns (1-based, after the objective) that hold
    some money: an empty source would only crowd the legend. None at all: the first."""
    drawn = tuple(
        column
        for column in range(2, sources + 2)
        if any(isinstance(row[column - 1], int | float) and row[column - 1] for row in rows)
    )
    return drawn or (2,)


def values(ws: Worksheet, table: Table) -> list[list[object]]:
    """The body of a written table (its rows under the header), as values."""
    return [
        [ws.cell(row, column).value for column in range(table.left, table.right + 1)]
        for row in range(table.top + 1, table.bottom + 1)
    ]


def add_charts(
    ws: Worksheet, top: int, budget: Table, timeline: Table, components: Table
) -> ChartPage:
    """Draw the three charts from row `top` down, on a page of their own, after the sheet is
    laid out (its column widths are final); the print area takes them in."""
    from openpyxl.worksheet.pagebreak import Break

    widths = column_points(ws)
    title_height = ws.row_dimensions[top - 1].height or ROW_HEIGHT
    room = page_height(sum(widths)) - title_height
    page = chart_page(widths, top, room)
    for row in page.rows:
        ws.row_dimensions[row].height = ROW_HEIGHT
    ws.row_breaks.append(Break(id=top - 2))  # the title row above the charts starts a page
    _place(ws, _budget_chart(ws, budget), page.budget)
    _place(ws, _quarters_chart(ws, timeline), page.quarters)
    _place(ws, _components_chart(ws, components), page.components)
    ws.print_area = f"A1:{column_letter(page.last_column)}{page.quarters.bottom}"
    return page


def _budget_chart(ws: Worksheet, table: Table) -> BarChart:
    from openpyxl.chart import Reference

    chart = _bars(translate("Budget (USD) per objective and funding source"), "bar")
    chart.grouping = "stacked"
    chart.overlap = 100
    sources = table.columns - 2  # the funding sources, without the objective and the Total
    for column in drawn_sources(values(ws, table), sources):
        data = Reference(ws, min_col=column, min_row=table.top, max_row=table.bottom)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=table.top + 1, max_row=table.bottom))
    chart.y_axis.title = translate("thousands of USD")
    chart.y_axis.number_format = "#,##0,"  # the trailing comma: in thousands
    return chart


def _quarters_chart(ws: Worksheet, table: Table) -> BarChart:
    from openpyxl.chart import Reference

    chart = _bars(translate("Activities under way per quarter"), "col")
    data = Reference(ws, min_col=1, max_col=table.right, min_row=table.bottom)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=table.right, min_row=table.top))
    chart.y_axis.title = translate("Activities")
    chart.legend = None
    return chart


def _components_chart(ws: Worksheet, table: Table) -> BarChart:
    from openpyxl.chart import Reference

    chart = _bars(translate("Items per component"), "bar")
    data = Reference(ws, min_col=2, max_col=3, min_row=table.top, max_row=table.bottom)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=table.top + 1, max_row=table.bottom))
    chart.y_axis.title = translate("Items")
    chart.gapWidth = 50
    chart.x_axis.tickLblSkip = 1  # every component named, none skipped to make room
    return chart


def _bars(title: str, direction: str) -> BarChart:
    from openpyxl.chart import BarChart

    chart = BarChart()
    chart.type = direction
    chart.title = title
    chart.style = 10
    chart.legend.position = "b"
    if direction == "bar":  # categories top down, in the table's order
        chart.x_axis.scaling.orientation = "maxMin"
        chart.y_axis.crosses = "max"
    chart.x_axis.delete = False  # openpyxl hides axes by default; Excel then shows none
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    return chart


def _place(ws: Worksheet, chart: BarChart, box: Box) -> None:
    from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor

    anchor = TwoCellAnchor(editAs="oneCell")
    anchor._from = AnchorMarker(col=box.first_column - 1, row=box.top - 1)
    anchor.to = AnchorMarker(col=box.end_column - 1, row=box.bottom - 1)
    chart.anchor = anchor
    ws.add_chart(chart)


def colour_matrices(ws: Worksheet, coverage: Table, risks: Table) -> None:
    """Conditional formats: coverage cells by role (lead, support, contributed only), the
    risk counts on a colour scale from none to the most crowded cell."""
    from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
    from openpyxl.styles import PatternFill

    if coverage.columns > 1 and coverage.bottom > coverage.top:
        cells = _body(coverage)
        first = f"{column_letter(coverage.left + 1)}{coverage.top + 1}"
        for formula, rgb in (
            (f'LEFT({first},1)="L"', LEAD_FILL),
            (f'LEFT({first},1)="S"', SUPPORT_FILL),
            (f'{first}="+C"', CONTRIBUTED_FILL),
        ):
            fill = PatternFill(fill_type="solid", start_color="FF" + rgb, end_color="FF" + rgb)
            ws.conditional_formatting.add(cells, FormulaRule(formula=[formula], fill=fill))
    scale = ColorScaleRule(
        start_type="num", start_value=0, start_color="FF" + RISK_LOW,
        end_type="max", end_color="FF" + RISK_HIGH,
    )  # fmt: skip
    ws.conditional_formatting.add(_body(risks), scale)


def _body(table: Table) -> str:
    """A table's cells right of its first column and under its header, in A1 notation."""
    first = f"{column_letter(table.left + 1)}{table.top + 1}"
    return f"{first}:{column_letter(table.right)}{table.bottom}"
