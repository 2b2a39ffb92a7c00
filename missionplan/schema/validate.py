"""Validate a returned workbook: structure, completeness, values and consistency.

Takes the plain data read from a workbook (workbook/reader.py) and returns
a Report of findings; nothing here touches a file, so every rule is tested
with hand-made data. Column and row checks run through pandera
(schema/checks.py); the dependency graph, the framework rows and the
per-output rules are plain functions here and give the same kind of finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from missionplan.plan import Window, term_windows
from missionplan.schema.checks import CheckContext, run_checks
from missionplan.schema.contract import COLUMNS, TERM_CHOICES
from missionplan.schema.findings import Finding, Report, finding
from missionplan.schema.normalize import CellIssue, as_text, normalize
from missionplan.template import content_fingerprint
from missionplan.workbook.metadata import ExpectedItem, TemplateMeta
from missionplan.workbook.reader import SheetTable, Submission

HEADERS = {c.key: c.header for c in COLUMNS}
FILLABLE_KEYS = tuple(c.key for c in COLUMNS if c.role != "key")
CONTEXT_INPUT_KEYS = tuple(c.key for c in COLUMNS if c.role == "input")
ID_SPLIT = re.compile(r"[,;\s]+")


@dataclass
class _Row:
    """One data row as found on a sheet, with where its cells are."""

    sheet: str
    number: int
    values: dict[str, object]
    letters: dict[str, str]

    def text(self, key: str) -> str:
        return as_text(self.values.get(key)) or ""

    def cell(self, key: str) -> str:
        return f"{self.letters.get(key, 'A')}{self.number}"

    def has_input(self) -> bool:
        for key in FILLABLE_KEYS:
            value = self.values.get(key)
            if value is not None and value != "" and as_text(value) is not None:
                return True
        return False


@dataclass
class _Collector:
    """Findings as they are found, plus the rows whose values are to be checked."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    checked: list[_Row] = field(default_factory=list)
    bands: dict[str, _Row] = field(default_factory=dict)

    def add(self, code: str, row: _Row | None, key: str, message: str, sheet: str = "") -> None:
        self.findings.append(
            finding(
                code,
                sheet=row.sheet if row else sheet,
                cell=row.cell(key) if row else "",
                message=message,
                column=HEADERS.get(key, ""),
                item_id=row.text("item_id") if row else "",
                value=row.values.get(key, "") if row else "",
            )
        )


def validate_submission(submission: Submission) -> Report:
    """Every finding for one returned workbook."""
    meta = submission.meta
    collector = _Collector(submission.file)
    rows = _rows(submission, collector)
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


@dataclass(frozen=True)
class SubmittedItem:
    """One item as a workbook holds it, with typed values: what merge works from."""

    item_id: str
    output_id: str
    item_type: str
    sheet: str
    row: int
    editable: bool
    added: bool
    values: tuple[tuple[str, object], ...]

    def value(self, key: str) -> object:
        return next((v for k, v in self.values if k == key), None)


def submitted_items(submission: Submission) -> list[SubmittedItem]:
    """Every item row of a workbook (first row per id), typed; empty prepared rows left out."""
    collector = _Collector(submission.file)
    by_id = {e.item_id: e for e in submission.expected}
    kept: list[tuple[_Row, bool, bool]] = []
    seen: set[str] = set()
    for row in _rows(submission, collector):
        item_id = row.text("item_id")
        if not item_id or item_id in seen:
            continue
        seen.add(item_id)
        item = by_id.get(item_id)
        added = item is None or item.added
        if added and not (row.has_input() and row.text("item_type")):
            continue
        kept.append((row, added or bool(item and item.editable), added))
    raw = pd.DataFrame(
        [{key: row.values.get(key, "") for key in HEADERS} for row, _, _ in kept],
        columns=list(HEADERS),
    )
    typed, _ = normalize(raw, submission.meta.components)
    records = typed.to_dict("records")
    return [
        SubmittedItem(
            item_id=row.text("item_id"),
            output_id=row.text("output_id"),
            item_type=row.text("item_type"),
            sheet=row.sheet,
            row=row.number,
            editable=editable,
            added=added,
            values=tuple((key, plain_value(record.get(key))) for key in HEADERS),
        )
        for (row, editable, added), record in zip(kept, records, strict=True)
    ]


def plain_value(value: object) -> object:
    """A typed cell value as plain Python: dates as date, lists as 'A, B', missing as None."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, float) and value != value:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _order(submission: Submission) -> Any:
    sheet_order = {s.name: i for i, s in enumerate(submission.sheets)}

    def key(f: Finding) -> tuple[int, int, int, str, str]:
        match = re.match(r"([A-Z]+)(\d+)", f.cell)
        column = _column_number(match.group(1)) if match else 0
        row = int(match.group(2)) if match else 0
        return (sheet_order.get(f.sheet, -1), row, column, f.code, f.message)

    return key


def _rows(submission: Submission, collector: _Collector) -> list[_Row]:
    """Every data row of every objective sheet; formula cells are reported and blanked."""
    rows: list[_Row] = []
    for sheet in submission.sheets:
        letters = {key: _letter(index) for key, index in sheet.columns.items()}
        for key in sheet.missing_columns:
            collector.findings.append(
                finding(
                    "missing-column",
                    sheet.name,
                    f"A{sheet.header_row}",
                    f"The column '{HEADERS[key]}' is missing or its header was changed; restore "
                    "the header exactly as in the template.",
                    column=HEADERS[key],
                )
            )
        formulas = submission.formulas.get(sheet.name, frozenset())
        for number, cells in sheet.rows:
            values = {key: cells[i] if i < len(cells) else "" for key, i in sheet.columns.items()}
            row = _Row(sheet.name, number, values, letters)
            for key, letter in letters.items():
                if f"{letter}{number}" in formulas:
                    collector.add(
                        "formula-in-cell",
                        row,
                        key,
                        f"{HEADERS[key]} holds a formula; type the value itself (formulas are "
                        "not accepted and were not evaluated).",
                    )
                    row.values[key] = ""
            rows.append(row)
        _formulas_outside_columns(sheet, formulas, letters, collector)
    return rows


def _formulas_outside_columns(
    sheet: SheetTable, formulas: frozenset[str], letters: dict[str, str], collector: _Collector
) -> None:
    known = set(letters.values())
    for ref in sorted(formulas):
        letter = re.sub(r"\d", "", ref)
        if letter not in known:
            collector.findings.append(
                finding(
                    "formula-in-cell",
                    sheet.name,
                    ref,
                    "This cell holds a formula; planning sheets take values only. Delete it.",
                )
            )


def _check_structure(
    rows: list[_Row], expected: tuple[ExpectedItem, ...], meta: TemplateMeta, c: _Collector
) -> None:
    by_id = {e.item_id: e for e in expected}
    roles = {o.id: o.role for o in meta.outputs}
    seen: dict[str, _Row] = {}
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
                    f"The framework {item.item_type} {item.item_id} ('{_short(item.text)}') is "
                    "missing; restore its row (copy it from the template).",
                    item_id=item.item_id,
                )
            )
    objectives = {o.id.split(".")[0] for o in meta.outputs}
    found = {r.text("output_id").split(".")[0] for r in rows}
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


def _renamed_sheets(rows: list[_Row]) -> dict[str, str]:
    """Sheets whose name lost its objective number, with the objective of their rows."""
    by_sheet: dict[str, dict[str, int]] = {}
    for row in rows:
        objective = row.text("output_id").split(".")[0]
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


def _row_without_id(row: _Row, c: _Collector) -> None:
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


def _unknown_row(row: _Row, roles: dict[str, str], c: _Collector) -> None:
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


def _added_row(row: _Row, item: ExpectedItem, c: _Collector) -> None:
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


def _framework_row(row: _Row, item: ExpectedItem, c: _Collector, renamed: dict[str, str]) -> None:
    output = row.text("output_id")
    sheet_objective = renamed.get(row.sheet) or row.sheet.split(" ")[0]
    if output != item.output_id or sheet_objective != item.output_id.split(".")[0]:
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
                    f"'{_short(wanted[key], 160)}'. Undo the change and put your own "
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


def _check_values(checked: list[_Row], meta: TemplateMeta, c: _Collector) -> pd.DataFrame:
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


def _add_issue(issue: CellIssue, checked: list[_Row], c: _Collector) -> None:
    row = checked[issue.index]
    if issue.key not in row.letters:
        return  # the column is missing on this sheet: reported once, as missing-column
    c.add(issue.code, row, issue.key, issue.message)


def _check_outputs(
    typed: pd.DataFrame, checked: list[_Row], meta: TemplateMeta, c: _Collector
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
        for term in TERM_CHOICES:
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


def _output_finding(c: _Collector, code: str, band: _Row | None, output: str, message: str) -> None:
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
    typed: pd.DataFrame, checked: list[_Row], submission: Submission, c: _Collector
) -> None:
    """'Depends on' names items that exist, forms no cycle, and respects their end dates."""
    if not checked:
        return
    workbook_outputs = {o.id for o in submission.meta.outputs}
    known = {e.item_id for e in submission.expected} | {r.text("item_id") for r in checked}
    position = {r.text("item_id"): i for i, r in enumerate(checked)}
    edges: dict[str, list[str]] = {}
    for index, row in enumerate(checked):
        named = [d for d in ID_SPLIT.split(row.text("depends_on")) if d]
        item_id = row.text("item_id")
        edges[item_id] = []
        for dependency in named:
            unknown_here = _output_of(dependency) in workbook_outputs and (
                _is_framework_id(dependency) or _added_by(dependency) == submission.meta.component
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
            if dependency not in known and not _looks_like_item_id(dependency):
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


def _is_framework_id(value: str) -> bool:
    return bool(re.fullmatch(r"\d+\.\d+-(A|BS|BM|BL|R|C)\d+", value))


def _added_by(value: str) -> str:
    """The component code in an added item's id (3.1-PAD-01 -> PAD), or ''."""
    match = re.fullmatch(r"\d+\.\d+-([A-Z][A-Z0-9-]*)-\d+", value)
    return match.group(1) if match else ""


def _looks_like_item_id(value: str) -> bool:
    return bool(re.fullmatch(r"\d+\.\d+-[A-Za-z0-9-]+", value))


def _output_of(item_id: str) -> str:
    return item_id.split("-")[0]


def _sheet_for(output_id: str, rows: list[_Row]) -> str:
    objective = output_id.split(".")[0]
    return next((r.sheet for r in rows if r.sheet.split(" ")[0] == objective), "")


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _letter(index: int) -> str:
    """0-based column index -> A1 letters (without importing openpyxl)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number
