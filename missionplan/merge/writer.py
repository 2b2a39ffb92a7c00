"""Write the merged mission plan: the contract's sheets plus Conflicts, Gaps and Summary.

The objective sheets are a master layout (so `missionplan validate` reads
the merged plan like any returned workbook) with every merged item filled
in and its provenance in extra columns after the contract's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from missionplan.merge import charts
from missionplan.merge.rules import MergedItem, MergedPlan, quarters
from missionplan.planning.framework import Benchmark, Framework, Output, title_of
from missionplan.planning.plan import OutputSetting, Plan
from missionplan.schema.contract import (
    FUNDING_SOURCES,
    INPUT_KEY_SET,
    ITEM_TYPES,
    choice_label,
    column,
)
from missionplan.schema.ids import MASTER_CODE, objective_of
from missionplan.schema.language import translate
from missionplan.workbook import styles
from missionplan.workbook.cells import put, save_workbook
from missionplan.workbook.files import ensure_writable, write_atomically
from missionplan.workbook.layout import LayoutRow, OutputBlock, SheetLayout, WorkbookLayout
from missionplan.workbook.metadata import CONFLICTS_SHEET, GAPS_SHEET, META_SHEET, SUMMARY_SHEET
from missionplan.workbook.sheet import Page, Table, lay_out
from missionplan.workbook.writer import build_workbook

PROVENANCE_HEADERS = ("Source component", "Source file", "Source sheet and row", "Validated")
LAST_CHANGED_HEADER = "Last changed"
"""The provenance column of a three-way merge: who last changed the item, in which round."""
ISSUED_VALUE_HEADER = "Issued value"
"""The Conflicts column of a three-way merge: the value both components were issued."""
NO_SOURCE = "no source given"
"""The Summary's budget column for budgets whose activity names no funding source.

These names and every header and title here are English; the writer puts them in the
current language (`translate`; scripts/update-catalogue.py declares these constants), so
a French plan's merged workbook has a sheet 'Synthèse'."""


def write_merged_plan(
    path: Path,
    framework: Framework,
    plan: Plan,
    merged: MergedPlan,
    inputs: list[tuple[str, str]],
    force: bool = False,
) -> None:
    """Write the merged plan atomically; inputs are (file, what happened to it) lines."""
    ensure_writable(path, force)
    wb = build_workbook(merged_layout(framework, plan, merged))
    if merged.three_way:
        _record_round(wb, merged.round)
    page = Page(plan.mission, plan.id)
    _conflicts_sheet(wb, merged, page)
    _gaps_sheet(wb, merged, page)
    _summary_sheet(wb, plan, framework, merged, inputs, page)
    write_atomically(path, lambda temp: save_workbook(wb, temp))


def _record_round(wb: Workbook, merge_round: int) -> None:
    """A three-way merge's plan says in `_meta` which round it consolidates, so that the
    next re-issue knows the round that follows."""
    meta = wb[META_SHEET]
    for row in range(1, meta.max_row + 1):
        if meta.cell(row, 1).value == "round":
            put(meta.cell(row, 2), str(merge_round))


def merged_layout(framework: Framework, plan: Plan, merged: MergedPlan) -> WorkbookLayout:
    """A master layout whose rows are the merged items, framework rows first."""
    by_output: dict[str, list[MergedItem]] = defaultdict(list)
    for item in merged.items:
        by_output[item.output_id].append(item)
    provenance = _Provenance(merged.three_way)
    sheets = []
    for objective in framework.objectives:
        blocks = []
        for output in objective.outputs:
            setting = plan.setting(output.id)
            if setting is None and by_output.get(output.id):
                # items typed under an output the plan does not list: keep them
                setting = OutputSetting(output.id, False, "medium", "", ())
            if setting is None or not (setting.in_scope or by_output.get(output.id)):
                continue
            rows = _framework_rows(output, by_output.get(output.id, []), provenance)
            rows += [_row(i, provenance) for i in by_output.get(output.id, []) if i.added]
            blocks.append(OutputBlock(output, setting, "planning unit", tuple(rows)))
        if blocks:
            sheets.append(SheetLayout(objective, tuple(blocks)))
    headers = tuple(translate(h) for h in provenance_headers(merged))  # in the catalogue
    return WorkbookLayout(
        plan, framework, MASTER_CODE, translate("Merged mission plan"), tuple(sheets), headers
    )


def provenance_headers(merged: MergedPlan) -> tuple[str, ...]:
    """The provenance columns: a three-way merge adds who last changed each item."""
    return (*PROVENANCE_HEADERS, LAST_CHANGED_HEADER) if merged.three_way else PROVENANCE_HEADERS


def _framework_rows(
    output: Output, items: list[MergedItem], provenance: _Provenance
) -> list[LayoutRow]:
    found = {i.item_id: i for i in items if not i.added}
    rows = []
    for kind, entry in output.items_in_order():
        item = found.get(entry.id)
        values = _inputs(item) if item else ()
        extra = provenance.of(item) if item else provenance.none
        term = entry.term if isinstance(entry, Benchmark) else None
        rows.append(
            LayoutRow(output.id, entry.id, kind, entry.text, entry.ref, term, True, False,
                        values, extra)
        )  # fmt: skip
    return rows


def _row(item: MergedItem, provenance: _Provenance) -> LayoutRow:
    values = (*_inputs(item), ("term", item.value("term")))
    text = str(item.value("text") or "")
    extra = provenance.of(item)
    return LayoutRow.added_item(item.output_id, item.item_id, item.item_type, text, values, extra)


def _inputs(item: MergedItem) -> tuple[tuple[str, object], ...]:
    """The item's input columns: its (key, value) pairs kept as they are, not made anew."""
    return tuple([pair for pair in item.values if pair[0] in INPUT_KEY_SET])


class _Provenance:
    """The provenance cells of the merged rows, in the current language: its words looked
    up once for the layout, and each input file's name made once, not once per row."""

    def __init__(self, three_way: bool) -> None:
        self.three_way = three_way
        self.none: tuple[object, ...] = ("",) * (len(PROVENANCE_HEADERS) + three_way)
        self._place = translate("{sheet} row {row}").format
        self._validated = (translate("NO (submitted with errors)"), translate("yes"))
        self._names: dict[str, str] = {}

    def of(self, item: MergedItem) -> tuple[object, ...]:
        """Who it came from, which files, where in them, whether validated (and, three-way,
        who last changed it)."""
        names = self._names
        files = []
        for source in item.sources:
            name = names.get(source.file)
            if name is None:
                name = names[source.file] = Path(source.file).name
            files.append(name)
        sources = (
            "; ".join(dict.fromkeys(s.component for s in item.sources)),
            "; ".join(dict.fromkeys(files)),
            "; ".join(self._place(sheet=s.sheet, row=s.row) for s in item.sources),
            self._validated[item.validated],
        )
        return (*sources, item.changed) if self.three_way else sources


def _table(
    ws: Worksheet,
    top: int,
    headers: tuple[str, ...],
    rows: Sequence[Sequence[object]],
    number_format: str = "General",
) -> Table:
    """Write a table with a styled header row at `top`; the layout rules do the rest."""
    cache = styles.StyleCache()
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(top, index)
        cache.apply(cell, "header", _header_style)
        put(cell, header)
    for offset, values in enumerate(rows, start=1):
        for index, value in enumerate(values, start=1):
            cell = ws.cell(top + offset, index)
            shown_as = number_format if isinstance(value, int | float) else "General"
            cache.apply(cell, shown_as, _body_style, shown_as)
            put(cell, value)
    return Table(top, top + len(rows), len(headers))


def _header_style(cell: Cell) -> None:
    cell.font = styles.HEADER_FONT
    cell.fill = styles.HEADER_FILL
    cell.alignment = styles.HEADER_ALIGN


def _body_style(cell: Cell, number_format: str) -> None:
    cell.alignment = styles.WRAP
    cell.font = styles.BODY_FONT
    cell.number_format = number_format


def _title(ws: Worksheet, row: int, text: str) -> int:
    put(ws.cell(row, 1), text)
    ws.cell(row, 1).font = styles.TITLE_FONT
    return row + 1


def _conflicts_sheet(wb: Workbook, merged: MergedPlan, page: Page) -> None:
    ws = wb.create_sheet(translate(CONFLICTS_SHEET), 1)
    # a three-way merge shows, after the column, the value both components were issued
    issued = (translate(ISSUED_VALUE_HEADER),) if merged.three_way else ()
    headers = (translate("Kind"), translate("Item ID"), translate("Column"), *issued,
               translate("Kept value"), translate("Kept from"), translate("Other value"),
               translate("Other from"), translate("What to do"))  # fmt: skip
    rows = [
        (c.kind, c.item_id, c.column, *((c.issued_value,) if issued else ()), c.kept_value,
         c.kept_source, c.other_value, c.other_source, c.message)
        for c in merged.conflicts
    ]  # fmt: skip
    if not rows:
        rows = [
            ("none", *[""] * (len(headers) - 2), translate("No conflicts between submissions."))
        ]
    table = _table(ws, 1, headers, rows)
    lay_out(ws, page, [table], header_row=1, autofilter=table.ref)


def _gaps_sheet(wb: Workbook, merged: MergedPlan, page: Page) -> None:
    ws = wb.create_sheet(translate(GAPS_SHEET), 2)
    rows = [(g.kind, g.output_id, g.component, g.item_id, g.message) for g in merged.gaps]
    if not rows:
        rows = [("none", "", "", "", translate("No gaps found."))]
    headers = (translate("Kind"), translate("Output"), translate("Component"),
               translate("Item ID"), translate("What is missing"))  # fmt: skip
    table = _table(ws, 1, headers, rows)
    lay_out(ws, page, [table], header_row=1, autofilter=table.ref)


class _Section(NamedTuple):
    """One table of the Summary under its title."""

    title: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[object]]
    number_format: str = "General"
    spread: bool = False


def _summary_sheet(
    wb: Workbook,
    plan: Plan,
    framework: Framework,
    merged: MergedPlan,
    inputs: list[tuple[str, str]],
    page: Page,
) -> None:
    ws = wb.create_sheet(translate(SUMMARY_SHEET), 1)
    codes = [c.code for c in plan.participants()]
    periods = quarters(plan)
    timeline = _timeline(merged, periods)
    timeline.append(charts.total_row(timeline, len(periods)))
    sections = [
        # the refusal reasons are long: they run across the columns of the wider tables
        _Section(translate("Inputs"), (translate("File"), translate("What happened")),
                 [(Path(f).name, s) for f, s in inputs], spread=True),
        _Section(translate("Items per objective"), (translate("Objective"),
                 translate("Activities"), translate("Benchmarks"), translate("Risks"),
                 translate("Considerations")), _per_objective(framework, merged)),
        _Section(translate("Items per component (owned / contributed)"),
                 (translate("Component"), translate("Owned items"), translate("Items added"),
                 translate("Activities led")), _per_component(merged)),
        _Section(translate("Coverage: L lead, S support, +C items contributed"),
                 (translate("Output"), *codes), _coverage(plan, merged, codes)),
        _Section(translate("Risks by likelihood (rows) and impact (columns)"),
                 (translate("Likelihood"), "1", "2", "3", "4", "5"), _risk_matrix(merged)),
        _Section(translate("Activities under way per quarter, by output"), (translate("Output"),
                 *[label for label, _, _ in periods]), timeline),
        _Section(translate("Budget (USD) per objective and funding source"),
                 (translate("Objective"), *_funding_labels(), translate(NO_SOURCE),
                 translate("Total")), _budget(framework, merged), "#,##0.00"),
    ]  # fmt: skip
    row = _title(ws, 1, translate("Merged mission plan: {mission}").format(mission=plan.mission))
    put(ws.cell(row, 1), translate("Plan {plan_id}, {start} to {end}").format(
        plan_id=plan.id, start=plan.start.isoformat(), end=plan.end.isoformat()))  # fmt: skip
    ws.cell(row, 1).font = styles.BODY_FONT
    row += 2
    tables = []
    for section in sections:
        row = _title(ws, row, section.title)
        table = _table(ws, row, section.headers, section.rows, section.number_format)
        tables.append(Table(table.top, table.bottom, table.columns, spread=section.spread))
        row = table.bottom + 2
    _, _, components, coverage, risks, under_way, budget = tables
    charts.colour_matrices(ws, coverage, risks)
    _title(ws, row, translate("Charts"))
    lay_out(ws, page, tables)
    charts.add_charts(ws, row + 1, budget, under_way, components)


def _funding_labels() -> tuple[str, ...]:
    """The funding sources as the merged plan's words show them ('contributions volontaires')."""
    funding = column("funding")
    return tuple(choice_label(funding, source) for source in FUNDING_SOURCES)


def _per_objective(framework: Framework, merged: MergedPlan) -> list[tuple[object, ...]]:
    counts = Counter((objective_of(i.output_id), i.item_type) for i in merged.items)
    return [
        (f"{o.id} {title_of(o)}", *(counts[(o.id, t)] for t in ITEM_TYPES))
        for o in framework.objectives
    ]  # fmt: skip


def _per_component(merged: MergedPlan) -> list[tuple[object, ...]]:
    owned = Counter(i.owner for i in merged.items if i.owner)
    added = Counter(i.owner for i in merged.items if i.added)
    led = Counter(str(i.value("lead")) for i in merged.items if i.item_type == "activity")
    codes = sorted(set(owned) | set(added))
    return [(code, owned[code], added[code], led.get(code, 0)) for code in codes]


def _coverage(plan: Plan, merged: MergedPlan, codes: list[str]) -> list[tuple[object, ...]]:
    contributed = {(i.output_id, i.owner) for i in merged.items if i.added}
    rows: list[tuple[object, ...]] = []
    for setting in plan.in_scope:
        cells = []
        for code in codes:
            role = "L" if setting.lead == code else "S" if code in setting.support else ""
            if (setting.id, code) in contributed:
                role += "+C"
            cells.append(role)
        rows.append((setting.id, *cells))
    return rows


def _risk_matrix(merged: MergedPlan) -> list[tuple[object, ...]]:
    counts = Counter(
        (int(i.value("likelihood")), int(i.value("impact")))  # type: ignore[call-overload]
        for i in merged.items
        if i.item_type == "risk"
        and isinstance(i.value("likelihood"), int | float)
        and isinstance(i.value("impact"), int | float)
    )
    return [(likelihood, *(counts[(likelihood, impact)] for impact in range(1, 6)))
            for likelihood in range(5, 0, -1)]  # fmt: skip


def _timeline(
    merged: MergedPlan, periods: list[tuple[str, dt.date, dt.date]]
) -> list[tuple[object, ...]]:
    by_output: dict[str, list[int]] = {}
    for item in merged.items:
        start, end = item.value("start"), item.value("end")
        if item.item_type != "activity" or not isinstance(start, dt.date):
            continue
        finish = end if isinstance(end, dt.date) else start
        counts = by_output.setdefault(item.output_id, [0] * len(periods))
        for index, (_, first, last) in enumerate(periods):
            if start <= last and finish >= first:
                counts[index] += 1
    return [(output, *counts) for output, counts in by_output.items()]


def _budget(framework: Framework, merged: MergedPlan) -> list[tuple[object, ...]]:
    """Budget per objective and funding source; the Total counts every budget, a budget
    without a (listed) funding source under NO_SOURCE."""
    sums: dict[tuple[str, str], float] = defaultdict(float)
    for item in merged.items:
        budget, funding = item.value("budget"), item.value("funding")
        if item.item_type == "activity" and isinstance(budget, int | float):
            source = funding if funding in FUNDING_SOURCES else NO_SOURCE
            sums[(objective_of(item.output_id), str(source))] += budget
    rows: list[tuple[object, ...]] = []
    for objective in framework.objectives:
        values = [round(sums[(objective.id, f)], 2) for f in (*FUNDING_SOURCES, NO_SOURCE)]
        rows.append((f"{objective.id} {title_of(objective)}", *values, round(sum(values), 2)))
    return rows
