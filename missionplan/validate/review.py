"""The rules of a review workbook (pure): typed answers and the findings at their cells.

A review workbook (`_meta` kind "review") is checked by the same engine as a planning
workbook, with the same finding format and the same value grammar (validate/dates.py,
validate/numerals.py); what is new to the review has its own codes (schema/findings.py,
group "review"). `check_review` gives the report and the typed items merge works from.
A workbook in any language is read the same: choices by their label in any language, findings
at the same cells (the sheet named as the workbook names it), messages in the language spoken.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from missionplan.schema.findings import (
    ACHIEVED_WITHOUT_VALUE,
    ACTUAL_DATE_NOT_PASSED,
    CHOICE_NOT_IN_LIST,
    CHOICE_READ_LOOSELY,
    COLUMN_HEADER_CHANGED,
    COMPLETED_BELOW_FULL,
    DATE_NOT_READ,
    DATE_READ_FROM_NUMBER,
    DATE_READ_FROM_TEXT,
    FILL_IN_REQUIRED_VALUE,
    FORMULA_IN_COLUMN,
    FULL_PERCENT_NOT_COMPLETED,
    ITEM_OF_ANOTHER_REVIEW,
    NO_ACTUAL_END,
    NO_NOTE_FOR_ASSESSMENT,
    NO_REASON_FOR_DELAY,
    NUMBER_NOT_READ,
    NUMBER_OUTSIDE_RANGE,
    NUMBER_READ_FROM_TEXT,
    PLANNED_VALUES_CHANGED,
    REVIEW_SHEET_MISSING,
    WHOLE_NUMBER_NEEDED,
    FilledMessage,
    Finding,
    FindingType,
    finding,
)
from missionplan.schema.items import issued_fingerprint, issued_text
from missionplan.schema.review import (
    ACHIEVED,
    COMPLETED,
    NEEDS_NOTE,
    NEEDS_REASON,
    REVIEW_SHEETS,
    Period,
    ReviewColumn,
    ReviewedItem,
    choice_key,
    choice_label,
    loose_choice_key,
    parse_period,
    sheet_title,
)
from missionplan.schema.text import filled_text
from missionplan.validate.dates import date_of_serial, parse_date_text, spelled
from missionplan.validate.numerals import read_numeral, shown
from missionplan.validate.report import Report
from missionplan.workbook.cells import column_letter
from missionplan.workbook.review import ReviewSubmission, ReviewTable

REQUIRED = {"activity": ("status",), "benchmark": ("assessment",), "risk": ()}
"""The answers every row needs: an activity's status now, a benchmark's assessment."""


@dataclass
class _Row:
    """One row being checked: where it is, and a finding added at one of its cells."""

    table: ReviewTable
    number: int
    item_id: str
    found: list[Finding]

    def cell(self, key: str) -> str:
        position = self.table.columns.get(key, 0)
        return f"{column_letter(position + 1)}{self.number}"

    def add(self, message: FilledMessage[FindingType], key: str, value: object = "") -> None:
        column = self.table.sheet.column(key).header
        self.found.append(
            finding(message, self.table.title, self.cell(key), column, self.item_id, value)
        )


def check_review(review: ReviewSubmission) -> tuple[Report, list[ReviewedItem]]:
    """The findings of a review workbook, in sheet and row order, and its items typed."""
    period = parse_period(review.meta.period) or Period(review.meta.period_start.year, 1)
    expected = {e.item_id: e for e in review.expected}
    found: list[Finding] = []
    items: list[ReviewedItem] = []
    present = {t.sheet.name for t in review.tables}
    for sheet in REVIEW_SHEETS:
        if sheet.name not in present and any(
            e.item_type == sheet.item_type for e in expected.values()
        ):
            title = sheet_title(sheet, review.meta.language)  # as the workbook was sent
            message = REVIEW_SHEET_MISSING.fill(sheet=title)
            found.append(finding(message, title, "A1"))
    rows = 0
    for table in review.tables:
        for header in table.missing:
            column = table.sheet.column(header).header
            message = COLUMN_HEADER_CHANGED.fill(column=column)
            found.append(finding(message, table.title, f"A{table.header_row}", column))
        formulas = review.formulas.get(table.title, frozenset())
        for number, cells in table.rows:
            item_id = filled_text(table.value(cells, "item_id")) or ""
            row = _Row(table, number, item_id, found)
            for key in table.columns:
                if row.cell(key) in formulas:
                    row.add(FORMULA_IN_COLUMN.fill(column=table.sheet.column(key).header), key)
            issued = expected.get(item_id)
            if issued is None or issued.item_type != table.sheet.item_type:
                if _has_answers(table, cells):
                    row.add(ITEM_OF_ANOTHER_REVIEW.fill(item_id=item_id or "(none)"), "item_id",
                            item_id)  # fmt: skip
                continue
            rows += 1
            values = {c.key: _typed(row, c, table.value(cells, c.key)) for c in table.sheet.columns}
            if _planned_fingerprint(table, values) != issued.fingerprint:
                row.add(PLANNED_VALUES_CHANGED.fill(item_id=item_id), "item_id", item_id)
            _check_row(row, values, period)
            items.append(
                ReviewedItem(item_id, issued.output_id, table.sheet.item_type,
                             review.meta.component, review.meta.period,
                             tuple(values.items()))
            )  # fmt: skip
    order = {t.title: REVIEW_SHEETS.index(t.sheet) for t in review.tables}
    order |= {sheet_title(s, review.meta.language): i for i, s in enumerate(REVIEW_SHEETS)}
    found.sort(key=lambda f: (order.get(f.sheet, -1), _cell_order(f.cell)))
    report = Report(review.file, review.meta.component, review.meta.plan_id, tuple(found),
                    rows=rows)  # fmt: skip
    return report, items


def _cell_order(cell: str) -> tuple[int, int]:
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch) - 64
    return int(digits or 0), column


def _has_answers(table: ReviewTable, cells: tuple[object, ...]) -> bool:
    return any(filled_text(table.value(cells, c.key)) for c in table.sheet.columns if c.editable)


def _planned_fingerprint(table: ReviewTable, values: dict[str, object]) -> str:
    """As export computed it (export/review.py: planned_texts), from the cells as they are."""
    planned = tuple(
        (c.key, issued_text(values[c.key])) for c in table.sheet.columns if c.role == "planned"
    )
    texts = (("output_id", issued_text(values["output_id"])), ("text", issued_text(values["text"])))
    return issued_fingerprint((*texts, *planned))


def _check_row(row: _Row, values: dict[str, object], period: Period) -> None:
    """The review's own rules, on one row's typed values."""
    kind = row.table.sheet.item_type
    for key in REQUIRED[kind]:
        if values.get(key) is None and key in row.table.columns:
            column = row.table.sheet.column(key)
            row.add(FILL_IN_REQUIRED_VALUE.fill(column=column.header, item_type=kind,
                                                help=column.help), key)  # fmt: skip
    if kind == "activity":
        _check_activity(row, values, period)
    elif kind == "benchmark":
        _check_benchmark(row, values)


def _check_activity(row: _Row, values: dict[str, object], period: Period) -> None:
    status, percent = values.get("status"), values.get("percent")
    if status == COMPLETED and values.get("actual_end") is None:
        row.add(NO_ACTUAL_END.fill(), "actual_end")
    for key in ("actual_start", "actual_end"):
        day = values.get(key)
        if isinstance(day, dt.date) and day > period.end:
            column = row.table.sheet.column(key).header
            message = ACTUAL_DATE_NOT_PASSED.fill(column=column, end=period.end.isoformat(),
                                                  period=period.label)  # fmt: skip
            row.add(message, key, day)
    if percent == 100 and status is not None and status != COMPLETED:
        shown = choice_label(row.table.sheet.column("status"), str(status))
        row.add(FULL_PERCENT_NOT_COMPLETED.fill(status=shown), "percent", percent)
    if status == COMPLETED and isinstance(percent, int) and percent < 100:
        row.add(COMPLETED_BELOW_FULL.fill(percent=percent), "percent", percent)
    if status in NEEDS_REASON and not values.get("reason"):
        column = row.table.sheet.column("reason").header
        shown = choice_label(row.table.sheet.column("status"), str(status))
        row.add(NO_REASON_FOR_DELAY.fill(status=shown, column=column), "reason")


def _check_benchmark(row: _Row, values: dict[str, object]) -> None:
    assessment = values.get("assessment")
    if assessment == ACHIEVED:
        for key in ("measured", "evidence"):
            if not values.get(key):
                column = row.table.sheet.column(key).header
                row.add(ACHIEVED_WITHOUT_VALUE.fill(column=column), key)
    if assessment in NEEDS_NOTE and not values.get("note"):
        shown = choice_label(row.table.sheet.column("assessment"), str(assessment))
        row.add(NO_NOTE_FOR_ASSESSMENT.fill(assessment=shown), "note")


# --- typing one cell, by the grammars planning workbooks are read with -----------------------


def _typed(row: _Row, column: ReviewColumn, value: object) -> object:
    """The cell's value as its column's type; a finding at the cell when it is not one."""
    if filled_text(value) is None:
        return None
    if column.type == "date":
        return _day(row, column, value)
    if column.type == "integer":
        return _whole(row, column, value)
    if column.type == "choice":
        return _choice(row, column, value)
    return " ".join(str(value).split()) if isinstance(value, str) else issued_text(value)


def _day(row: _Row, column: ReviewColumn, value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        day = date_of_serial(float(value))
        if day is not None:
            if column.editable:
                message = DATE_READ_FROM_NUMBER.fill(column=column.header, serial=shown(value),
                                                     day=spelled(day))  # fmt: skip
                row.add(message, column.key, value)
            return day
    elif isinstance(value, str):
        day = parse_date_text(value)
        if day is not None:
            if column.editable:
                message = DATE_READ_FROM_TEXT.fill(column=column.header, day=spelled(day))
                row.add(message, column.key, value)
            return day
    if column.editable:
        row.add(DATE_NOT_READ.fill(column=column.header), column.key, value)
    return None


def _whole(row: _Row, column: ReviewColumn, value: object) -> int | None:
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        number = read_numeral(value).number
        if number is not None and column.editable:
            row.add(NUMBER_READ_FROM_TEXT.fill(column=column.header, number=shown(number)),
                    column.key, value)  # fmt: skip
    if number is None or number != number:
        if column.editable:
            row.add(NUMBER_NOT_READ.fill(column=column.header), column.key, value)
        return None
    low, high = column.minimum or 0, column.maximum or 0
    if not column.editable:
        return int(number) if number.is_integer() else None
    if not number.is_integer():
        allowed = NUMBER_OUTSIDE_RANGE.fill(column=column.header, low=low, high=high).text
        row.add(WHOLE_NUMBER_NEEDED.fill(column=column.header, allowed_range=allowed),
                column.key, value)  # fmt: skip
        return None
    if not low <= number <= high:
        row.add(NUMBER_OUTSIDE_RANGE.fill(column=column.header, low=low, high=high),
                column.key, value)  # fmt: skip
        return None
    return int(number)


def _choice(row: _Row, column: ReviewColumn, value: object) -> str | None:
    """The choice's key, from its label in any language; a locked column's other text is
    kept as it is (an edit of it shows in the planned values' fingerprint)."""
    text = str(value)
    exact = choice_key(column, text)
    if exact is not None:
        return exact
    if not column.editable:
        return text
    choice = loose_choice_key(column, text)
    if choice is not None:
        message = CHOICE_READ_LOOSELY.fill(column=column.header,
                                           choice=choice_label(column, choice))  # fmt: skip
        row.add(message, column.key, value)
        return choice
    allowed = ", ".join(choice_label(column, c) for c in column.choices)
    row.add(CHOICE_NOT_IN_LIST.fill(column=column.header, allowed=allowed), column.key, value)
    return None
