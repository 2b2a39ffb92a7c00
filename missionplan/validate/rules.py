"""Validate a returned workbook: structure, completeness, values and consistency.

Takes the plain data read from a workbook (workbook/reader.py) and returns
a Report of findings; nothing here touches a file, so every rule is tested
with hand-made data. Column and row checks run through pandera
(checks.py); the dependency graph, the framework rows and the
per-output rules are plain functions here and give the same kind of finding.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from missionplan.planning.plan import Window, term_windows
from missionplan.schema.contract import COLUMNS, TERMS
from missionplan.schema.findings import Finding, finding
from missionplan.schema.ids import (
    added_by,
    is_framework_item_id,
    listed_ids,
    looks_like_item_id,
    objective_of,
    output_of,
)
from missionplan.schema.items import ExpectedItem, content_fingerprint
from missionplan.schema.text import shorten
from missionplan.validate.checks import CheckContext, run_checks
from missionplan.validate.report import Report
from missionplan.validate.rows import HEADERS, Collector, SheetRow, read_rows
from missionplan.validate.values import CellIssue, normalize
from missionplan.workbook.cells import column_number
from missionplan.workbook.metadata import WorkbookMeta
from missionplan.workbook.reader import Submission

CONTEXT_INPUT_KEYS = tuple(c.key for c in COLUMNS if c.role == "input")


def validate_submission(submission: Submission) -> Report:
    """Every finding for one returned workbook."""
    meta = submission.meta
    collector = Collector(submission.file)
    rows = read_rows(submission, collector)
    _check_structure(rows, submission.expected, meta, collector)
    typed = _check_values(collector.checked, meta, collector)
    _check_outputs(typed, collector.checked, meta, collector)
    _check_dependencies(typed, collector.checked, submission, collector)
    return Report(
        file=submission.file,
        component=meta.component,
        plan_id=meta.plan_id,
        findings=tuple(sorted(collector.findings, key=_order(submission))),
        rows=len(rows),
    )


def _order(submission: Submission) -> Any:
    sheet_order = {s.name: i for i, s in enumerate(submission.sheets)}

    def key(f: Finding) -> tuple[int, int, int, str, str]:
        match = re.match(r"([A-Z]+)(\d+)", f.cell)
        column = column_number(match.group(1)) if match else 0
        row = int(match.group(2)) if match else 0
        return (sheet_order.get(f.sheet, -1), row, column, f.code, f.message)

    return key


def _check_structure(
    rows: list[SheetRow], expected: tuple[ExpectedItem, ...], meta: WorkbookMeta, c: Collector
) -> None:
    by_id = {e.item_id: e for e in expected}
    roles = {o.id: o.role for o in meta.outputs}
    seen: dict[str, SheetRow] = {}
    renamed = _renamed_sheets(rows)
    for sheet, objective in sorted(renamed.items()):
        c.findings.append(
            finding(
                "missing-sheet",
                sheet,
                "A1",
                f"The sheet of objective {objective} was renamed to '{sheet}'; give it back its "
                f"name from the template (it starts with '{objective} ').",
            )
        )
    for row in rows:
        item_id = row.text("item_id")
        if not item_id:
            _row_without_id(row, c)
            continue
        if item_id in seen:
            first = seen[item_id]
            c.add(
                "duplicate-item-id",
                row,
                "item_id",
                f"Item id {item_id} is also used on {first.sheet} row {first.number}; each row "
                "needs its own id (use an empty prepared row for a new item).",
            )
            continue
        seen[item_id] = row
        item = by_id.get(item_id)
        if item is None:
            _unknown_row(row, roles, c)
        elif item.added:
            _added_row(row, item, c)
        else:
            _framework_row(row, item, c, renamed)
    for item in expected:
        if not item.added and item.item_id not in seen:
            c.findings.append(
                finding(
                    "framework-row-deleted",
                    _sheet_for(item.output_id, rows),
                    "",
                    f"The framework {item.item_type} {item.item_id} "
                    f"('{shorten(item.text, 80)}') is missing; restore its row (copy it from the "
                    "template).",
                    item_id=item.item_id,
                )
            )
    objectives = {objective_of(o.id) for o in meta.outputs}
    found = {objective_of(r.text("output_id")) for r in rows}
    for objective in sorted(objectives - found):
        c.findings.append(
            finding(
                "missing-sheet",
                "",
                "",
                f"No sheet holds the items of objective {objective}; restore its sheet from the "
                "template.",
            )
        )


def _renamed_sheets(rows: list[SheetRow]) -> dict[str, str]:
    """Sheets whose name lost its objective number, with the objective of their rows."""
    by_sheet: dict[str, dict[str, int]] = {}
    for row in rows:
        objective = objective_of(row.text("output_id"))
        if objective:
            counts = by_sheet.setdefault(row.sheet, {})
            counts[objective] = counts.get(objective, 0) + 1
    named = {sheet.split(" ")[0] for sheet in by_sheet}
    renamed: dict[str, str] = {}
    for sheet, counts in by_sheet.items():
        objective = max(counts, key=lambda o: counts[o])
        if sheet.split(" ")[0] != objective and objective not in named:
            renamed[sheet] = objective
    return renamed


def _row_without_id(row: SheetRow, c: Collector) -> None:
    text = row.text("text")
    output = row.text("output_id")
    if output and text.startswith(f"{output} ") and "Lead:" in text:
        c.bands.setdefault(output, row)  # the output's band row
        return
    if row.has_input():
        c.add(
            "row-without-id",
            row,
            "item_id",
            "This row has content but no item id, so it cannot be tracked; move the content "
            "to a prepared row under the right output (those carry ids).",
        )


def _unknown_row(row: SheetRow, roles: dict[str, str], c: Collector) -> None:
    output = row.text("output_id")
    if output not in roles and row.has_input():
        outputs = ", ".join(sorted(roles))
        c.add(
            "item-moved",
            row,
            "output_id",
            f"This row is under output '{output or 'none'}', which is not in this workbook "
            f"(its outputs: {outputs}); put the item under one of them, on a prepared row.",
        )
        return
    c.add(
        "unknown-item-id",
        row,
        "item_id",
        f"Item id {row.text('item_id')} was not in the template; use the prepared rows "
        "(their ids carry your component code) so the item can be tracked.",
    )
    if output in roles and row.has_input() and row.text("item_type"):
        c.checked.append(row)


def _added_row(row: SheetRow, item: ExpectedItem, c: Collector) -> None:
    if not row.has_input():
        return  # a prepared row left empty
    if row.text("output_id") != item.output_id:
        c.add(
            "item-moved",
            row,
            "output_id",
            f"This row was prepared under output {item.output_id}, not "
            f"{row.text('output_id') or 'none'}; put it back.",
        )
    if not row.text("item_type"):
        c.add(
            "added-row-without-type",
            row,
            "item_type",
            "Choose the Type of this item (activity, benchmark, risk or consideration) so its "
            "row can be checked.",
        )
        return
    c.checked.append(row)


def _framework_row(
    row: SheetRow, item: ExpectedItem, c: Collector, renamed: dict[str, str]
) -> None:
    output = row.text("output_id")
    sheet_objective = renamed.get(row.sheet) or row.sheet.split(" ")[0]
    if output != item.output_id or sheet_objective != objective_of(item.output_id):
        c.add(
            "item-moved",
            row,
            "output_id",
            f"Item {item.item_id} belongs to output {item.output_id} on its objective's sheet; "
            "move it back (or undo the change).",
        )
    found = {"item_type": row.text("item_type"), "term": row.text("term"), "text": row.text("text")}
    fingerprint = content_fingerprint(
        item.item_id, item.output_id, found["item_type"], found["term"], found["text"]
    )
    if fingerprint != item.fingerprint:
        wanted = {"item_type": item.item_type, "term": item.term, "text": item.text}
        for key in ("item_type", "term", "text"):
            if " ".join(found[key].split()) != " ".join(wanted[key].split()):
                c.add(
                    "framework-text-edited",
                    row,
                    key,
                    f"The framework's {HEADERS[key]} was changed; it must read "
                    f"'{shorten(wanted[key], 160)}'. Undo the change and put your own "
                    "wording in Comments or in a new item.",
                )
    if item.editable:
        c.checked.append(row)
    elif any(row.text(k) for k in CONTEXT_INPUT_KEYS):
        c.add(
            "context-row-edited",
            row,
            "item_id",
            f"Item {item.item_id} belongs to an output another component leads (shown for "
            "context); your values will be set against the lead's in the merge. Put your "
            "contribution on a prepared row instead.",
        )


def _check_values(checked: list[SheetRow], meta: WorkbookMeta, c: Collector) -> pd.DataFrame:
    """Convert and check the values of the rows a component fills in."""
    raw = pd.DataFrame(
        [{key: row.values.get(key, "") for key in HEADERS} for row in checked],
        columns=list(HEADERS),
    )
    typed, issues = normalize(raw, meta.components)
    windows = term_windows(
        meta.period_start, meta.period_end, meta.short_term_months, meta.medium_term_months
    )
    context = CheckContext(Window("long", meta.period_start, meta.period_end), windows)
    unread = {(i.index, i.key) for i in issues if i.code in UNREAD_CODES}
    issues += [
        i
        for i in run_checks(typed, context)
        if not (i.code == "required-value-missing" and (i.index, i.key) in unread)
    ]
    for issue in issues:
        _add_issue(issue, checked, c)
    return typed


UNREAD_CODES = frozenset({"invalid-date", "invalid-number", "choice-not-allowed"})
"""A cell holding one of these is filled: the finding says what is wrong with its value."""


def _add_issue(issue: CellIssue, checked: list[SheetRow], c: Collector) -> None:
    row = checked[issue.index]
    if issue.key not in row.letters:
        return  # the column is missing on this sheet: reported once, as missing-column
    c.add(issue.code, row, issue.key, issue.message)


def _check_outputs(
    typed: pd.DataFrame, checked: list[SheetRow], meta: WorkbookMeta, c: Collector
) -> None:
    """Per output the component leads: an activity with a lead, every term, a gender line."""
    outputs = typed.assign(_output=[r.text("output_id") for r in checked]) if checked else typed
    for output in meta.outputs:
        if output.role == "support":
            continue
        mine = outputs[outputs["_output"] == output.id] if checked else outputs
        band = c.bands.get(output.id)
        activities = mine[mine["item_type"] == "activity"] if checked else mine
        if not checked or activities["lead"].isna().all():
            _output_finding(
                c,
                "output-without-lead-activity",
                band,
                output.id,
                f"Output {output.id} has no activity with a lead component; name the lead of "
                "at least one activity.",
            )
        for term in TERMS:
            has_term = (
                checked and ((mine["item_type"] == "benchmark") & (mine["term"] == term)).any()
            )
            if not has_term:
                _output_finding(
                    c,
                    "output-without-benchmark-in-term",
                    band,
                    output.id,
                    f"Output {output.id} has no {term}-term benchmark; add one on a prepared row.",
                )
        if not checked or activities["gender"].isna().all():
            _output_finding(
                c,
                "output-without-gender-perspective",
                band,
                output.id,
                f"No activity of output {output.id} says how a gender perspective is built in; "
                "fill in Gender perspective for at least one activity.",
            )


def _output_finding(
    c: Collector, code: str, band: SheetRow | None, output: str, message: str
) -> None:
    c.findings.append(
        finding(
            code,
            band.sheet if band else "",
            band.cell("text") if band else "",
            message,
            column=HEADERS["text"],
            item_id=output,
        )
    )


def _check_dependencies(
    typed: pd.DataFrame, checked: list[SheetRow], submission: Submission, c: Collector
) -> None:
    """'Depends on' names items that exist, forms no cycle, and respects their end dates."""
    if not checked:
        return
    workbook_outputs = {o.id for o in submission.meta.outputs}
    known = {e.item_id for e in submission.expected} | {r.text("item_id") for r in checked}
    position = {r.text("item_id"): i for i, r in enumerate(checked)}
    edges: dict[str, list[str]] = {}
    for index, row in enumerate(checked):
        named = listed_ids(row.text("depends_on"))
        item_id = row.text("item_id")
        edges[item_id] = []
        for dependency in named:
            unknown_here = output_of(dependency) in workbook_outputs and (
                is_framework_item_id(dependency)
                or added_by(dependency) == submission.meta.component
            )
            if dependency not in known and unknown_here:
                c.add(
                    "dependency-unknown",
                    row,
                    "depends_on",
                    f"'{dependency}' is not an item of this plan; write item ids exactly as "
                    "in the Item ID column.",
                )
                continue
            if dependency not in known and not looks_like_item_id(dependency):
                c.add(
                    "dependency-unknown",
                    row,
                    "depends_on",
                    f"'{dependency}' is not an item id; write ids like 3.1-A2, separated by "
                    "commas.",
                )
                continue
            edges[item_id].append(dependency)
            other = position.get(dependency)
            if other is not None:
                start = typed.at[index, "start"]
                end = typed.at[other, "end"]
                if pd.notna(start) and pd.notna(end) and start <= end:
                    c.add(
                        "starts-before-dependency-ends",
                        row,
                        "start",
                        f"This activity starts before {dependency}, which it depends on, ends "
                        f"({pd.Timestamp(end).date().isoformat()}); start it later or remove "
                        "the dependency.",
                    )
    for cycle in find_cycles(edges):
        row = checked[position[cycle[0]]]
        c.add(
            "dependency-cycle",
            row,
            "depends_on",
            "These activities depend on each other in a circle: "
            + " -> ".join([*cycle, cycle[0]])
            + ". Remove one of the dependencies.",
        )


def find_cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """Each dependency cycle once, as the list of its items from its smallest id."""
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


def _sheet_for(output_id: str, rows: list[SheetRow]) -> str:
    objective = objective_of(output_id)
    return next((r.sheet for r in rows if r.sheet.split(" ")[0] == objective), "")
