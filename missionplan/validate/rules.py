"""Validate a returned workbook: structure, completeness, values and consistency.

Takes the plain data read from a workbook (workbook/reader.py) and returns
a Report of findings; nothing here touches a file, so every rule is tested
with hand-made data. Column and row checks run through pandera
(checks.py); the dependency graph, the framework rows and the
per-output rules are plain functions here and give the same kind of finding.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from itertools import chain
from operator import attrgetter
from typing import Any

import numpy as np
import pandas as pd

from missionplan.planning.plan import Window, term_windows
from missionplan.schema.contract import BY_KEY, INPUT_KEYS, TERMS, choice_key
from missionplan.schema.findings import (
    CHOICE_NOT_ALLOWED,
    CHOOSE_ADDED_ITEM_TYPE,
    CHOOSE_INSERTED_ROW_TYPE,
    CONTENT_WITHOUT_ITEM_ID,
    DEPENDENCIES_IN_A_CIRCLE,
    DEPENDENCY_NOT_AN_ID,
    DEPENDENCY_NOT_IN_PLAN,
    FRAMEWORK_ITEM_MOVED,
    FRAMEWORK_ROW_MISSING,
    FRAMEWORK_VALUE_CHANGED,
    ID_GIVEN_TO_ADDED_ROW,
    ID_OF_ANOTHER_COMPONENT,
    INVALID_DATE,
    INVALID_NUMBER,
    ITEM_ID_NOT_IN_TEMPLATE,
    ITEM_ID_USED_TWICE,
    NO_ACTIVITY_WITH_LEAD,
    NO_BENCHMARK_FOR_TERM,
    NO_GENDER_PERSPECTIVE,
    NO_SHEET_FOR_OBJECTIVE,
    PREPARED_ROW_MOVED,
    REQUIRED_VALUE_MISSING,
    ROW_UNDER_OUTPUT_NOT_IN_WORKBOOK,
    SHEET_RENAMED,
    STARTS_BEFORE_DEPENDENCY,
    VALUES_ON_CONTEXT_ROW,
    FilledMessage,
    Finding,
    FindingType,
    finding,
)
from missionplan.schema.ids import (
    added_by,
    added_item_id,
    is_added_id_of,
    is_framework_item_id,
    listed_ids,
    looks_like_item_id,
    objective_of,
    output_of,
)
from missionplan.schema.items import (
    ExpectedItem,
    IssuedItem,
    SubmittedItem,
    content_fingerprint,
    issued_text,
)
from missionplan.schema.text import shorten
from missionplan.validate.checks import CheckContext, run_checks
from missionplan.validate.items import Kept, item_rows, items_from, typed_rows
from missionplan.validate.report import CellFill, Report
from missionplan.validate.rows import (
    HEADERS,
    Collector,
    FilledIn,
    RowTable,
    SheetRow,
    complete_added_rows,
    gathered_texts,
    read_rows,
)
from missionplan.validate.values import CellIssue
from missionplan.workbook.cells import column_number
from missionplan.workbook.metadata import WorkbookMeta
from missionplan.workbook.reader import Submission

ITEM_ID = attrgetter("item_id")


def validate_submission(submission: Submission) -> Report:
    """Every finding for one returned workbook."""
    return _validated(submission, with_items=False)[0]


def validate_with_items(submission: Submission) -> tuple[Report, list[SubmittedItem]]:
    """Every finding, and the items merge takes (items.py), from one reading of the rows:
    the item rows are converted once, for the checks and for the items."""
    report, items = _validated(submission, with_items=True)
    assert items is not None
    return report, items


def _validated(
    submission: Submission, with_items: bool
) -> tuple[Report, list[SubmittedItem] | None]:
    meta = submission.meta
    collector = Collector(submission.file)
    tables = read_rows(submission, collector)
    filled = complete_added_rows(tables, submission)
    _check_structure(tables, submission, collector, filled)
    kept = item_rows(tables, submission) if with_items else None
    typed, items = _check_values(collector.checked, meta, collector, kept)
    _check_outputs(typed, collector.checked, meta, collector)
    _check_dependencies(typed, collector.checked, submission, collector)
    report = Report(
        file=submission.file,
        component=meta.component,
        plan_id=meta.plan_id,
        findings=tuple(sorted(collector.findings, key=_order(submission))),
        rows=sum(len(table.rows) for table in tables),
        filled_in=tuple(CellFill(f.row.sheet, f.row.cell(f.key), f.value) for f in filled),
    )
    return report, items


CELL_START = re.compile(r"([A-Z]+)(\d+)")


def _order(submission: Submission) -> Any:
    sheet_order = {s.name: i for i, s in enumerate(submission.sheets)}
    columns: dict[str, int] = {}  # column_number of each letters met (a few, many findings)

    def key(f: Finding) -> tuple[int, int, int, str, str]:
        match = CELL_START.match(f.cell)
        if match is None:
            return (sheet_order.get(f.sheet, -1), 0, 0, f.code, f.message)
        letters, digits = match.groups()
        column = columns.get(letters)
        if column is None:
            column = columns[letters] = column_number(letters)
        return (sheet_order.get(f.sheet, -1), int(digits), column, f.code, f.message)

    return key


def _check_structure(
    tables: list[RowTable], submission: Submission, c: Collector, filled: list[FilledIn]
) -> None:
    expected, meta = submission.expected, submission.meta
    by_id = {e.item_id: e for e in expected}
    roles = {o.id: o.role for o in meta.outputs}
    given = {(f.row.sheet, f.row.number) for f in filled if f.key == "item_id"}
    seen: dict[str, SheetRow] = {}
    renamed = _renamed_sheets(tables)
    for sheet, objective in sorted(renamed.items()):
        c.findings.append(
            finding(SHEET_RENAMED.fill(objective=objective, sheet=sheet), sheet, "A1")
        )
    for row, item_id, output, item_type, band in chain.from_iterable(
        zip(
            table.rows,
            table.texts("item_id"),
            table.texts("output_id"),
            table.texts("item_type"),
            table.bands,
            strict=True,
        )
        for table in tables
    ):  # the columns the rows are sorted by, each made at once
        if band:
            c.bands.setdefault(row.text("output_id"), row)
            continue
        if not item_id:
            _row_without_id(row, roles, c)
            continue
        if item_id in seen:
            first = seen[item_id]
            used_twice = ITEM_ID_USED_TWICE.fill(
                item_id=item_id, first_sheet=first.sheet, first_row=first.number
            )
            c.add(row, "item_id", used_twice)
            continue
        seen[item_id] = row
        item = by_id.get(item_id)
        if item is None and _own_new_id(row, roles, meta.component):
            _new_row(row, meta.component, (row.sheet, row.number) in given, c)
        elif item is None:
            _unknown_row(row, roles, meta, c)
        elif item.added:
            if output == item.output_id and item_type and row.has_input():
                c.checked.append(row)  # the common prepared row: filled in, where it was
            else:
                _added_row(row, item, c)
        else:
            _framework_row(row, item, c, renamed, submission.issued.get(item_id))
    for item in expected:
        if item.item_id not in seen and not item.added:
            c.findings.append(
                finding(
                    FRAMEWORK_ROW_MISSING.fill(
                        item_type=item.item_type, item_id=item.item_id, text=shorten(item.text, 80)
                    ),
                    _sheet_for(item.output_id, tables),
                    "",
                    item_id=item.item_id,
                )
            )
    objectives = {objective_of(o.id) for o in meta.outputs}
    outputs = {output for table in tables for output in set(table.texts("output_id"))}
    found = {objective_of(output) for output in outputs}
    for objective in sorted(objectives - found):
        c.findings.append(finding(NO_SHEET_FOR_OBJECTIVE.fill(objective=objective), "", ""))


def _renamed_sheets(tables: list[RowTable]) -> dict[str, str]:
    """Sheets whose name lost its objective number, with the objective of their rows."""
    by_output: dict[tuple[str, str], int] = {}  # first seen first, as the rows come
    for table in tables:
        for output, count in Counter(table.texts("output_id")).items():
            key = (table.sheet, output)
            by_output[key] = by_output.get(key, 0) + count
    by_sheet: dict[str, dict[str, int]] = {}
    for (sheet, output), count in by_output.items():
        objective = objective_of(output)
        if objective:
            counts = by_sheet.setdefault(sheet, {})
            counts[objective] = counts.get(objective, 0) + count
    named = {sheet.split(" ")[0] for sheet in by_sheet}
    renamed: dict[str, str] = {}
    for sheet, counts in by_sheet.items():
        objective = max(counts, key=lambda o: counts[o])
        if sheet.split(" ")[0] != objective and objective not in named:
            renamed[sheet] = objective
    return renamed


def _row_without_id(row: SheetRow, roles: dict[str, str], c: Collector) -> None:
    """A row with content that was given no id (complete_added_rows gives typed rows one)."""
    if not row.has_input():
        return
    output = row.text("output_id")
    if output in roles and "item_type" in row.letters and not row.text("item_type"):
        c.add(row, "item_type", CHOOSE_INSERTED_ROW_TYPE.fill())
    elif output and output not in roles:
        c.add(row, "output_id", _not_in_workbook(output, roles))
    else:
        c.add(row, "item_id", CONTENT_WITHOUT_ITEM_ID.fill())


def _not_in_workbook(output: str, roles: dict[str, str]) -> FilledMessage[FindingType]:
    outputs = ", ".join(sorted(roles))
    return ROW_UNDER_OUTPUT_NOT_IN_WORKBOOK.fill(output=output or "none", outputs=outputs)


def _own_new_id(row: SheetRow, roles: dict[str, str], component: str) -> bool:
    """Whether a row's id is one the component may give a new item under the row's output."""
    output = row.text("output_id")
    return output in roles and is_added_id_of(row.text("item_id"), output, component)


def _new_row(row: SheetRow, component: str, given: bool, c: Collector) -> None:
    """A row the component added beyond the prepared ones, with an id of its own grammar."""
    item_id = row.text("item_id")
    if given:
        output = row.text("output_id")
        message = ID_GIVEN_TO_ADDED_ROW.fill(
            item_type=row.text("item_type"), item_id=item_id, component=component, output=output
        )
        # the id cell was empty: the finding shows it so, and names the id it was given
        where = row.cell("item_id")
        c.findings.append(finding(message, row.sheet, where, HEADERS["item_id"], item_id))
    if not row.has_input():
        return
    if not row.text("item_type"):
        c.add(row, "item_type", CHOOSE_ADDED_ITEM_TYPE.fill())
        return
    c.checked.append(row)


def _unknown_row(row: SheetRow, roles: dict[str, str], meta: WorkbookMeta, c: Collector) -> None:
    """A row with an id the template did not give out and that is not the component's own."""
    output = row.text("output_id")
    if output not in roles:
        c.add(row, "output_id", _not_in_workbook(output, roles))
        return
    item_id = row.text("item_id")
    mine = meta.component
    other = added_by(item_id)
    if other and other != mine and other in meta.components:
        c.add(
            row,
            "item_id",
            ID_OF_ANOTHER_COMPONENT.fill(item_id=item_id, other=other, component=mine),
        )
    else:
        example = added_item_id(output, mine, 1)
        c.add(
            row,
            "item_id",
            ITEM_ID_NOT_IN_TEMPLATE.fill(item_id=item_id, output=output, example=example),
        )
    if row.has_input() and row.text("item_type"):
        c.checked.append(row)


def _added_row(row: SheetRow, item: ExpectedItem, c: Collector) -> None:
    if not row.has_input():
        return  # a prepared row left empty
    if row.text("output_id") != item.output_id:
        moved = PREPARED_ROW_MOVED.fill(
            prepared_output=item.output_id, output=row.text("output_id") or "none"
        )
        c.add(row, "output_id", moved)
    if not row.text("item_type"):
        c.add(row, "item_type", CHOOSE_ADDED_ITEM_TYPE.fill())
        return
    c.checked.append(row)


def _framework_row(
    row: SheetRow,
    item: ExpectedItem,
    c: Collector,
    renamed: dict[str, str],
    issued: IssuedItem | None = None,
) -> None:
    output = row.text("output_id")
    sheet_objective = renamed.get(row.sheet) or row.sheet.split(" ")[0]
    if output != item.output_id or sheet_objective != objective_of(item.output_id):
        moved = FRAMEWORK_ITEM_MOVED.fill(item_id=item.item_id, output=item.output_id)
        c.add(row, "output_id", moved)
    term = _term_key(row.text("term"))  # 'court terme' is 'short'
    found = {"item_type": row.text("item_type"), "term": term, "text": row.text("text")}
    fingerprint = content_fingerprint(
        item.item_id, item.output_id, found["item_type"], found["term"], found["text"]
    )
    if fingerprint != item.fingerprint:
        wanted = {"item_type": item.item_type, "term": item.term, "text": item.text}
        for key in ("item_type", "term", "text"):
            if " ".join(found[key].split()) != " ".join(wanted[key].split()):
                changed = FRAMEWORK_VALUE_CHANGED.fill(
                    column=HEADERS[key], wanted=shorten(wanted[key], 160)
                )
                c.add(row, key, changed)
    if item.editable:
        c.checked.append(row)
    elif any(map(row.text, INPUT_KEYS)) and not _as_issued(row, issued):
        c.add(row, "item_id", VALUES_ON_CONTEXT_ROW.fill(item_id=item.item_id))


@cache
def _term_key(text: str) -> str:
    """choice_key of the Term column, once per text: every framework row asks, and the
    labels of every language are fixed while the program runs."""
    return choice_key(BY_KEY["term"], text)


def _as_issued(row: SheetRow, issued: IssuedItem | None) -> bool:
    """Whether a context row shows exactly the lead's values it was re-issued with."""
    if issued is None:
        return False
    for key in INPUT_KEYS:
        text = issued_text(row.value(key))
        if BY_KEY[key].type == "choice" and text:
            text = choice_key(BY_KEY[key], text) or text  # a label in any language: its key
        if text != issued.value(key):
            return False
    return True


def _check_values(
    checked: list[SheetRow], meta: WorkbookMeta, c: Collector, kept: list[Kept] | None = None
) -> tuple[pd.DataFrame, list[SubmittedItem] | None]:
    """Convert and check the values of the rows a component fills in.

    With `kept` (the item rows, items.py), those rows are converted instead, once: the
    checked rows are among them, and a cell converts the same among any rows (typed_rows),
    so the checks see what they would alone; the items are made from the same values.
    """
    items = None
    if kept is not None and _among(checked, kept):
        every, found = typed_rows([row for row, _, _ in kept], meta.components)
        items = items_from(kept, every)
        at = {id(row): i for i, (row, _, _) in enumerate(kept)}
        picked = [at[id(row)] for row in checked]
        typed = every.iloc[picked].reset_index(drop=True)
        back = {position: i for i, position in enumerate(picked)}
        issues = [CellIssue(back[i.index], i.key, i.found) for i in found if i.index in back]
    else:
        typed, issues = typed_rows(checked, meta.components)
        if kept is not None:  # not expected: the items on their own
            every, _ = typed_rows([row for row, _, _ in kept], meta.components)
            items = items_from(kept, every)
    windows = term_windows(
        meta.period_start, meta.period_end, meta.short_term_months, meta.medium_term_months
    )
    context = CheckContext(Window("long", meta.period_start, meta.period_end), windows)
    unread = {(i.index, i.key) for i in issues if i.found.kind in UNREAD}
    issues += [
        i
        for i in run_checks(typed, context)
        if not (i.found.kind is REQUIRED_VALUE_MISSING and (i.index, i.key) in unread)
    ]
    for issue in issues:
        row = checked[issue.index]
        if issue.key in row.letters:  # else the sheet lacks the column: told once, as such
            c.add(row, issue.key, issue.found)
    return typed, items


def _among(checked: list[SheetRow], kept: list[Kept]) -> bool:
    """Whether every checked row is one of the kept rows (the same objects)."""
    ids = {id(row) for row, _, _ in kept}
    return all(id(row) in ids for row in checked)


UNREAD: frozenset[FindingType] = frozenset({INVALID_DATE, INVALID_NUMBER, CHOICE_NOT_ALLOWED})
"""A cell holding one of these is filled: the finding says what is wrong with its value."""


def _check_outputs(
    typed: pd.DataFrame, checked: list[SheetRow], meta: WorkbookMeta, c: Collector
) -> None:
    """Per output the component leads: an activity with a lead, every term, a gender line."""
    with_lead: set[str] = set()  # the outputs with an activity that has a lead
    with_gender: set[str] = set()  # ... that has a gender perspective
    with_term: set[tuple[str, object]] = set()  # (output, term) of each benchmark
    if checked:  # each column looked at once, for every output
        outputs = np.array(gathered_texts(checked, "output_id"), dtype=object)
        item_types = typed["item_type"].to_numpy()
        activity = item_types == "activity"
        with_lead = set(outputs[activity & typed["lead"].notna().to_numpy()])
        with_gender = set(outputs[activity & typed["gender"].notna().to_numpy()])
        benchmark = item_types == "benchmark"
        with_term = set(zip(outputs[benchmark], typed["term"].to_numpy()[benchmark], strict=True))
    for output in meta.outputs:
        if output.role == "support":
            continue
        band = c.bands.get(output.id)
        if output.id not in with_lead:
            _output_finding(c, band, output.id, NO_ACTIVITY_WITH_LEAD.fill(output=output.id))
        for term in TERMS:
            if (output.id, term) not in with_term:
                missing = NO_BENCHMARK_FOR_TERM.fill(output=output.id, term=term)
                _output_finding(c, band, output.id, missing)
        if output.id not in with_gender:
            _output_finding(c, band, output.id, NO_GENDER_PERSPECTIVE.fill(output=output.id))


def _output_finding(
    c: Collector, band: SheetRow | None, output: str, message: FilledMessage[FindingType]
) -> None:
    """A finding about a whole output, at its band row (or the workbook when it has none)."""
    c.findings.append(
        finding(
            message,
            band.sheet if band else "",
            band.cell("text") if band else "",
            column=HEADERS["text"],
            item_id=output,
        )
    )


def _check_dependencies(
    typed: pd.DataFrame, checked: list[SheetRow], submission: Submission, c: Collector
) -> None:
    """'Depends on' names items that exist, forms no cycle, and respects their end dates."""
    listed = gathered_texts(checked, "depends_on")
    depending = [index for index, text in enumerate(listed) if text]
    if not depending:  # the common case: no row names another; nothing to check
        return
    workbook_outputs = {o.id for o in submission.meta.outputs}
    ids = gathered_texts(checked, "item_id")
    known = set(map(ITEM_ID, submission.expected)).union(ids)
    position = dict(zip(ids, range(len(ids)), strict=True))  # a repeated id: its last row
    starts, ends = typed["start"], typed["end"]  # a column's cell: no frame lookup
    edges: dict[str, list[str]] = {}  # the rows naming none have no edges
    for index in depending:
        row = checked[index]
        named = listed_ids(listed[index])
        item_id = ids[index]
        edges[item_id] = []
        for dependency in named:
            unknown_here = output_of(dependency) in workbook_outputs and (
                is_framework_item_id(dependency)
                or added_by(dependency) == submission.meta.component
            )
            if dependency not in known and unknown_here:
                c.add(row, "depends_on", DEPENDENCY_NOT_IN_PLAN.fill(dependency=dependency))
                continue
            if dependency not in known and not looks_like_item_id(dependency):
                c.add(row, "depends_on", DEPENDENCY_NOT_AN_ID.fill(dependency=dependency))
                continue
            edges[item_id].append(dependency)
            other = position.get(dependency)
            if other is not None:
                start = starts.iat[index]
                end = ends.iat[other]
                if pd.notna(start) and pd.notna(end) and start <= end:
                    too_early = STARTS_BEFORE_DEPENDENCY.fill(
                        dependency=dependency, end=pd.Timestamp(end).date().isoformat()
                    )
                    c.add(row, "start", too_early)
    for cycle in find_cycles({item: named for item, named in edges.items() if named}):
        row = checked[position[cycle[0]]]
        circle = " -> ".join([*cycle, cycle[0]])
        c.add(row, "depends_on", DEPENDENCIES_IN_A_CIRCLE.fill(circle=circle))


def find_cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """The circles a depth-first walk closes, each once, from its smallest id.

    Every group of activities that depend on each other in a circle gets at least one; a
    second circle through the same activities (a -> c -> a beside a -> b -> c -> a) is not
    reported again, since removing one dependency of the first is what the planner does next.
    """
    cycles: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in sorted(edges):
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            node, next_child = stack.pop()
            if next_child == 0:
                state[node] = 1
                path.append(node)
            children = edges.get(node, [])
            if next_child < len(children):
                stack.append((node, next_child + 1))
                child = children[next_child]
                if state.get(child) == 1:
                    loop = path[path.index(child) :]
                    smallest = loop.index(min(loop))
                    cycles.add(tuple(loop[smallest:] + loop[:smallest]))
                elif not state.get(child) and child in edges:
                    stack.append((child, 0))
            else:
                state[node] = 2
                path.pop()
    return [list(c) for c in sorted(cycles)]


def _sheet_for(output_id: str, tables: list[RowTable]) -> str:
    objective = objective_of(output_id)
    return next((t.sheet for t in tables if t.rows and t.sheet.split(" ")[0] == objective), "")
