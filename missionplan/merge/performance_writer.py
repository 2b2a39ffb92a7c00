"""Write the performance report of a review round: lights, then the lists leadership acts on.

Every sheet is laid out by workbook/sheet.py's rules, like the merged plan's Summary; a light
is its word in a cell coloured as it (so it reads in black and white too). Sheet names,
titles, headers, the rule, lights and choices are in the language spoken; ids and codes are not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from missionplan import __version__
from missionplan.merge.performance import Attention, Lit, Performance
from missionplan.merge.run import Fate
from missionplan.schema.language import translate
from missionplan.schema.review import REVIEW_SHEETS, choice_label, light_label
from missionplan.workbook.cells import put, save_workbook
from missionplan.workbook.files import write_atomically

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

LIGHT_COLOURS = {"green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE", "grey": "D9D9D9"}
DATE_FORMAT = "yyyy-mm-dd"
CHOICE_COLUMNS = {c.key: c for s in REVIEW_SHEETS for c in s.columns if c.choices}
"""The review's choice columns by key: a value listed under one is shown by its label."""


def write_performance(
    path: Path, report: Performance, mission: str, plan_id: str, inputs: Sequence[Fate]
) -> None:
    """Write the report atomically (the caller checked that the file may be written)."""
    from openpyxl import Workbook

    from missionplan.workbook.sheet import Page

    wb = Workbook()
    page = Page(mission, plan_id)
    first = wb.active
    assert first is not None
    first.title = translate("Lights")
    _lights(first, report, mission, page)
    period = report.period
    whose = (translate("Item"), translate("Output"), translate("Component"))
    _listing(
        wb.create_sheet(translate("Activities")),
        page,
        [
            (
                translate(
                    "Activities late (planned end before {end}, not completed) or delayed"
                ).format(end=period.end),
                (
                    *whose,
                    translate("Planned end"),
                    translate("Status"),
                    translate("% complete"),
                    translate("Late"),
                    translate("Delayed"),
                    translate("Reason"),
                ),
                [_cells(a) for a in report.activities],
            ),
        ],
    )
    _listing(
        wb.create_sheet(translate("Benchmarks")),
        page,
        [
            (
                translate(
                    "Benchmarks whose target date passed by {end} without being achieved"
                ).format(end=period.end),
                (
                    *whose,
                    translate("Target date"),
                    translate("Assessment"),
                    translate("Value this period"),
                    translate("Target"),
                ),
                [_cells(a) for a in report.benchmarks_past_target],
            ),
            (
                translate("Benchmarks without an assessment"),
                (*whose, translate("Assessment")),
                [_cells(a) for a in report.benchmarks_not_assessed],
            ),
        ],
    )
    _listing(
        wb.create_sheet(translate("Risks")),
        page,
        [
            (
                translate("Risks whose rating rose"),
                (*whose, translate("Rating in the plan"), translate("Rating now")),
                [_cells(a) for a in report.risks_rose],
            ),
            (
                translate("Risks that materialised"),
                (*whose, translate("Mitigation state"), translate("Note")),
                [_cells(a) for a in report.risks_materialised],
            ),
        ],
    )
    yes, no = translate("yes"), translate("no")
    _listing(wb.create_sheet(translate("Reporting")), page, [
        (translate("Who reported"), (translate("Component"), translate("Reported")),
         [(c, yes) for c in report.reported] + [(c, no) for c in report.not_reported]),
        (translate("Inputs"), (translate("File"), translate("What happened")),
         [(Path(f.file).name, f.what) for f in inputs]),
    ])  # fmt: skip
    if report.trend is not None:
        _trend(wb.create_sheet(translate("Trend"), 1), report, page)
    wb.properties.creator = f"missionplan {__version__}"
    wb.properties.title = translate("{mission}: performance report {period}").format(
        mission=mission, period=period
    )
    fixed = dt.datetime.combine(period.end, dt.time())
    wb.properties.created = fixed
    wb.properties.modified = fixed
    write_atomically(path, lambda temp: save_workbook(wb, temp))


def _cells(attention: Attention) -> tuple[object, ...]:
    values = tuple(_shown(key, value) for key, value in attention.fields)
    return (attention.item_id, attention.output_id, attention.component, *values)


def _shown(key: str, value: object) -> object:
    """A listed value as the report shows it: yes or no, a choice by its label, else itself."""
    if value is True or value is False:
        return translate("yes") if value else translate("no")
    if value is None:
        return ""
    column = CHOICE_COLUMNS.get(key)
    if column is not None and isinstance(value, str) and value in column.choices:
        return choice_label(column, value)
    return value


def _lights(ws: Worksheet, report: Performance, mission: str, page: object) -> None:
    from missionplan.workbook.sheet import Page, Table, lay_out
    from missionplan.workbook.styles import BOLD_FONT, TITLE_FONT, fill

    period = report.period
    title_line = translate("Performance report {period} ({start} to {end})")
    put(ws.cell(1, 1), title_line.format(period=period, start=period.start, end=period.end))
    ws.cell(1, 1).font = TITLE_FONT
    put(ws.cell(2, 1), mission)
    put(ws.cell(3, 1), translate("The rule: {rule}").format(rule=report.rule.text()))
    tables = [Table(3, 3, 1, spread=True)]
    row = 5
    headers = (translate("Id"), translate("Title"), translate("Light"), translate("Green"),
               translate("Amber"), translate("Red"), translate("No signal"))  # fmt: skip
    for title, lit in (
        (translate("Objectives"), report.objectives),
        (translate("Outputs"), report.outputs),
    ):
        put(ws.cell(row, 1), title)
        ws.cell(row, 1).font = BOLD_FONT
        top = row + 1
        _header(ws, top, headers)
        for number, entry in enumerate(lit, start=top + 1):
            for column, value in enumerate(_lit_cells(entry), start=1):
                put(ws.cell(number, column), value)
            ws.cell(number, 3).fill = fill(LIGHT_COLOURS[entry.light])
        bottom = top + max(len(lit), 0)
        tables.append(Table(top, bottom, 7))
        row = bottom + 2
    assert isinstance(page, Page)
    lay_out(ws, page, tables)


def _lit_cells(lit: Lit) -> tuple[object, ...]:
    counts = lit.counts
    return (lit.id, lit.title, light_label(lit.light), counts["green"], counts["amber"],
            counts["red"], counts["none"])  # fmt: skip


def _header(ws: Worksheet, row: int, titles: Sequence[str]) -> None:
    from missionplan.workbook.styles import HEADER_ALIGN, HEADER_FILL, HEADER_FONT

    for column, title in enumerate(titles, start=1):
        cell = ws.cell(row, column)
        put(cell, title)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN


def _listing(
    ws: Worksheet,
    page: object,
    sections: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]],
) -> None:
    from missionplan.workbook.sheet import Page, Table, lay_out
    from missionplan.workbook.styles import BOLD_FONT

    tables = []
    row = 1
    for title, headers, rows in sections:
        put(ws.cell(row, 1), title)
        ws.cell(row, 1).font = BOLD_FONT
        top = row + 1
        _header(ws, top, headers)
        for number, values in enumerate(rows, start=top + 1):
            for column, value in enumerate(values, start=1):
                cell = ws.cell(number, column)
                put(cell, value)
                if isinstance(value, dt.date):
                    cell.number_format = DATE_FORMAT
        if not rows:
            put(ws.cell(top + 1, 1), translate("none"))
        bottom = top + max(len(rows), 1)
        tables.append(Table(top, bottom, len(headers)))
        row = bottom + 2
    assert isinstance(page, Page)
    lay_out(ws, page, tables)


def _trend(ws: Worksheet, report: Performance, page: object) -> None:
    """Each output's light and each benchmark's assessment (and value), quarter by quarter."""
    from missionplan.workbook.sheet import Page, Table, lay_out
    from missionplan.workbook.styles import BOLD_FONT, fill

    assert report.trend is not None and isinstance(page, Page)
    trend = report.trend
    labels = [p.label for p in trend.periods]
    put(ws.cell(1, 1), translate("Lights by quarter"))
    ws.cell(1, 1).font = BOLD_FONT
    _header(ws, 2, (translate("Output"), *labels))
    row = 3
    for output, lights in trend.outputs:
        put(ws.cell(row, 1), output)
        for column, lit in enumerate(lights, start=2):
            put(ws.cell(row, column), light_label(lit))
            ws.cell(row, column).fill = fill(LIGHT_COLOURS[lit])
        row += 1
    tables = [Table(2, max(row - 1, 2), 1 + len(labels))]
    row += 1
    put(ws.cell(row, 1), translate("Benchmarks by quarter: assessment (value measured)"))
    ws.cell(row, 1).font = BOLD_FONT
    top = row + 1
    _header(ws, top, (translate("Benchmark"), translate("Output"), *labels))
    row = top + 1
    for item_id, output, values in trend.benchmarks:
        put(ws.cell(row, 1), item_id)
        put(ws.cell(row, 2), output)
        for column, (measured, assessment) in enumerate(values, start=3):
            shown = str(_shown("assessment", assessment) or "")
            if measured not in (None, ""):
                shown = f"{shown} ({measured})".strip()
            put(ws.cell(row, column), shown)
        row += 1
    tables.append(Table(top, max(row - 1, top), 2 + len(labels)))
    lay_out(ws, page, tables)
