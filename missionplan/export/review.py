"""Distribute a quarterly review: one review workbook per component, from the merged plan.

`review_rows` decides which items go to whom (pure): the activities a component leads and
the benchmarks and risks it owns, with their planned values, and the previous period's
answers where there are some. `build_review_workbook` lays them out with the workbook
mechanics every workbook shares (cells, styles, sheet layout, protection, `_meta`);
`export_review` is `missionplan export --review` as one call. The workbook's words (sheet
names, headers, help, choices, Instructions) are in the language spoken; values stay keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from missionplan import __version__
from missionplan.errors import MissionplanError
from missionplan.export.run import Exported, workbook_name
from missionplan.planning.framework import Framework, load_framework
from missionplan.planning.plan import OutputSetting, Plan, load_plan
from missionplan.schema.items import ITEM_FIELDS, SubmittedItem, issued_fingerprint, issued_text
from missionplan.schema.language import current_language, translate
from missionplan.schema.review import (
    PERIOD_HELP,
    REVIEW_KIND,
    REVIEW_SHEETS,
    Period,
    ReviewColumn,
    ReviewSheet,
    choice_label,
    column_header,
    column_help,
    parse_period,
    sheet_title,
)
from missionplan.workbook.cells import column_letter, put, save_workbook
from missionplan.workbook.files import Progress, ensure_writable, workbooks_in, write_atomically
from missionplan.workbook.metadata import (
    INSTRUCTIONS_SHEET,
    ITEMS_SHEET,
    LISTS_SHEET,
    META_SHEET,
    OutputMeta,
    WorkbookMeta,
    plan_meta,
)
from missionplan.workbook.writer import ChoiceList, protect_sheet, write_choice_lists

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

    from missionplan.workbook.reader import Submission

HEADER_ROW = 1
FIRST_ROW = 2
FROZEN_CELL = "D2"  # header row and Output, Item ID, Description stay in view
EXTRA_ROWS = 30
"""Rows under the last item that keep the input columns' dropdowns and messages."""
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class ReviewRow:
    """One item of a review sheet: what the plan says (locked) and the answers (pre-filled)."""

    item_id: str
    output_id: str
    text: str
    planned: tuple[tuple[str, object], ...]
    answers: tuple[tuple[str, object], ...] = ()

    def value(self, key: str) -> object:
        keys = {"item_id": self.item_id, "output_id": self.output_id, "text": self.text}
        return (keys | dict(self.planned) | dict(self.answers)).get(key)

    @property
    def fingerprint(self) -> str:
        """Of the locked values as issued: validation tells an edited planned value by it."""
        return issued_fingerprint(planned_texts(self))


@dataclass(frozen=True)
class ReviewBook:
    """What one component's review workbook holds, sheet by sheet (item type -> rows)."""

    code: str
    name: str
    period: Period
    rows: dict[str, tuple[ReviewRow, ...]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(len(r) for r in self.rows.values())


def planned_texts(row: ReviewRow) -> tuple[tuple[str, str], ...]:
    """The row's locked values as canonical text: output, text, then the planned columns."""
    planned = tuple((key, issued_text(value)) for key, value in row.planned)
    return (("output_id", row.output_id), ("text", row.text), *planned)


def responsible(item: SubmittedItem) -> str:
    """The component answerable for an item in the review: an activity's lead, else the owner."""
    key = "lead" if item.item_type == "activity" else "owner"
    return str(item.value(key) or "")


def review_rows(
    items: list[SubmittedItem],
    code: str,
    previous: Mapping[str, Mapping[str, object]] | None = None,
) -> dict[str, tuple[ReviewRow, ...]]:
    """The rows of one component's review, by item type, in the merged plan's order.

    previous: last period's answers by item id (only the input columns are taken).
    """
    rows: dict[str, tuple[ReviewRow, ...]] = {}
    for sheet in REVIEW_SHEETS:
        chosen = [i for i in items if i.item_type == sheet.item_type and responsible(i) == code]
        rows[sheet.item_type] = tuple(_row(sheet, item, previous or {}) for item in chosen)
    return rows


def _row(
    sheet: ReviewSheet, item: SubmittedItem, previous: Mapping[str, Mapping[str, object]]
) -> ReviewRow:
    planned = tuple((c.key, item.value(c.source)) for c in sheet.columns if c.role == "planned")
    earlier = previous.get(item.item_id, {})
    answers = tuple(
        (c.key, earlier[c.key])
        for c in sheet.columns
        if c.editable and earlier.get(c.key) not in (None, "")
    )
    return ReviewRow(item.item_id, item.output_id, str(item.value("text") or ""), planned, answers)


def review_books(
    plan: Plan,
    items: list[SubmittedItem],
    period: Period,
    codes: list[str] | None = None,
    previous: Mapping[str, Mapping[str, object]] | None = None,
) -> list[ReviewBook]:
    """One book per component with something to report on (or each of `codes`), roster order."""
    books = [
        ReviewBook(c.code, c.name, period, review_rows(items, c.code, previous))
        for c in plan.components
    ]
    if codes:
        known = {b.code: b for b in books}
        missing = [code for code in codes if code not in known or not known[code].size]
        if missing:
            having = ", ".join(b.code for b in books if b.size) or "none"
            raise MissionplanError(
                f"component {', '.join(missing)} leads no activity and owns no benchmark or "
                f"risk in the merged plan; components with a review workbook: {having}"
            )
        return [known[code] for code in codes]
    return [b for b in books if b.size]


def period_of(text: str, plan: Plan) -> Period:
    """The --review value as a period inside the planning period, or a one-line error."""
    period = parse_period(text)
    if period is None:
        raise MissionplanError(f"--review {text!r} is not a period; give {PERIOD_HELP}")
    if period.end < plan.start or period.start > plan.end:
        raise MissionplanError(
            f"--review {period}: the quarter ({period.start} to {period.end}) is outside the "
            f"planning period ({plan.start} to {plan.end})"
        )
    return period


def review_workbook_name(plan: Plan, book: ReviewBook) -> str:
    """<mission>-<component>-<plan id>-review-<period>.xlsx, beside the planning workbooks."""
    return workbook_name(plan, book.code).removesuffix(".xlsx") + f"-review-{book.period}.xlsx"


def export_review(
    plan_file: Path,
    merged_file: Path,
    period_text: str,
    out_dir: Path,
    framework_file: Path | None = None,
    codes: list[str] | None = None,
    password: str | None = None,
    force: bool = False,
    progress: Progress[ReviewBook] | None = None,
    previous: list[Path] | None = None,
) -> Exported:
    """Read the plan and its merged plan, then write one review workbook per component.

    previous: last period's returned review workbooks (files or folders), whose answers
    pre-fill the new ones, so a component updates rather than retypes.
    """
    issue = review_issue(plan_file, merged_file, period_text, out_dir, framework_file, codes,
                         force, previous)  # fmt: skip
    by_code = dict((book.code, path) for book, path in issue.targets)
    books = [book for book, _ in issue.targets]
    for book in progress(books) if progress else books:
        write_review_workbook(issue.framework, issue.plan, book, by_code[book.code], password)
    return Exported(issue.plan, [path for _, path in issue.targets], [b.code for b in books])


@dataclass(frozen=True)
class ReviewIssue:
    """The review workbooks to write for a period, each with its file, checked writable."""

    framework: Framework
    plan: Plan
    targets: list[tuple[ReviewBook, Path]]


def review_issue(
    plan_file: Path,
    merged_file: Path,
    period_text: str,
    out_dir: Path,
    framework_file: Path | None = None,
    codes: list[str] | None = None,
    force: bool = False,
    previous: list[Path] | None = None,
) -> ReviewIssue:
    """What export_review writes, and where: every target checked before the first is
    written (out_dir made); the demo writes them in worker processes."""
    from missionplan.validate.items import submitted_items  # pandas: only when needed

    framework = load_framework(framework_file)
    plan = load_plan(plan_file, framework)
    period = period_of(period_text, plan)
    merged = read_merged_plan(merged_file, plan)
    earlier = previous_answers(workbooks_in(previous or []), plan, period)
    books = review_books(plan, submitted_items(merged), period, codes, earlier)
    targets = [(book, out_dir / review_workbook_name(plan, book)) for book in books]
    for _, path in targets:
        ensure_writable(path, force)
    out_dir.mkdir(parents=True, exist_ok=True)
    return ReviewIssue(framework, plan, targets)


def write_review_workbook(
    framework: Framework, plan: Plan, book: ReviewBook, path: Path, password: str | None = None
) -> Workbook:
    """Build one review workbook and write it atomically; returns it, still open."""
    workbook = build_review_workbook(framework, plan, book, password)
    write_atomically(path, partial(save_workbook, workbook))
    return workbook


def previous_answers(paths: list[Path], plan: Plan, period: Period) -> dict[str, dict[str, object]]:
    """The answers of earlier review workbooks by item id (a later period's win), typed as
    validation reads them; a workbook of another plan, or not earlier, is refused."""
    from missionplan.validate.review import check_review
    from missionplan.workbook.review import read_review

    found: list[tuple[Period, dict[str, dict[str, object]]]] = []
    for path in paths:
        review = read_review(path)
        earlier = parse_period(review.meta.period)
        if review.meta.kind != REVIEW_KIND or earlier is None:
            raise MissionplanError(f"{path}: --previous takes review workbooks")
        if review.meta.plan_id != plan.id:
            raise MissionplanError(
                f"{path}: a review of plan {review.meta.plan_id}, not of plan {plan.id}"
            )
        if earlier >= period:
            raise MissionplanError(f"{path}: a review of {earlier}, not before {period}")
        _, items = check_review(review)
        found.append((earlier, {i.item_id: dict(i.values) for i in items}))
    answers: dict[str, dict[str, object]] = {}
    for _, by_item in sorted(found, key=lambda pair: pair[0]):
        answers.update(by_item)
    return answers


# --- the workbook ----------------------------------------------------------------------------


def review_meta(framework: Framework, plan: Plan, book: ReviewBook) -> WorkbookMeta:
    """The `_meta` of a review workbook: a planning workbook's, with kind and period."""
    outputs = sorted({r.output_id for rows in book.rows.values() for r in rows})
    settings = {o.id: o for o in plan.outputs}
    titles = {o.id: o.title for o in framework.outputs}
    metas = tuple(
        _output_meta(settings[o], titles.get(o, ""), book.code) for o in outputs if o in settings
    )
    return plan_meta(plan, framework, book.code, book.name, metas, language=current_language(),
                     kind=REVIEW_KIND, period=book.period.label)  # fmt: skip


def _output_meta(setting: OutputSetting, title: str, code: str) -> OutputMeta:
    role = "lead" if setting.lead == code else "support"
    return OutputMeta(setting.id, title, setting.lead, setting.support, setting.priority, role)


def build_review_workbook(
    framework: Framework, plan: Plan, book: ReviewBook, password: str | None = None
) -> Workbook:
    """Instructions, one sheet per item type, hidden lists and metadata; sheets protected."""
    from openpyxl import Workbook

    wb = Workbook()
    instructions = wb.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS_SHEET
    lists = _write_lists(wb)
    _write_instructions(instructions, plan, book)
    for sheet in REVIEW_SHEETS:
        _write_sheet(wb.create_sheet(sheet_title(sheet)), sheet, book.rows.get(sheet.item_type, ()),
                     plan, book.period, lists)  # fmt: skip
    _write_metadata(wb, review_meta(framework, plan, book), book)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    for ws in wb.worksheets:
        protect_sheet(ws, password, insert_rows=False)
    wb.active = 1
    wb.properties.creator = f"missionplan {__version__}"
    wb.properties.title = translate("{mission}: {component}, review {period}").format(
        mission=plan.mission, component=book.name, period=book.period
    )
    fixed = dt.datetime.combine(book.period.start, dt.time())  # same inputs, same bytes
    wb.properties.created = fixed
    wb.properties.modified = fixed
    return wb


def _write_lists(wb: Workbook) -> dict[str, str]:
    """The review workbook's lists: one per editable review column with choices."""
    lists: dict[str, ChoiceList] = {}
    for sheet in REVIEW_SHEETS:
        for c in sheet.columns:
            if c.choices and c.editable and c.key not in lists:
                labels = tuple(choice_label(c, value) for value in c.choices)
                lists[c.key] = ChoiceList(f"mp_review_{c.key}", c.key, column_header(c), labels)
    return write_choice_lists(wb, lists.values())


def _write_sheet(
    ws: Worksheet,
    sheet: ReviewSheet,
    rows: tuple[ReviewRow, ...],
    plan: Plan,
    period: Period,
    lists: dict[str, str],
) -> None:
    from openpyxl.styles import Alignment

    from missionplan.workbook.sheet import Page, Table, lay_out
    from missionplan.workbook.styles import (
        GRID,
        HEADER_ALIGN,
        HEADER_FILL,
        HEADER_FONT,
        INPUT_FILL,
        LOCKED,
        LOCKED_FILL,
        UNLOCKED,
        StyleCache,
    )

    for index, c in enumerate(sheet.columns, start=1):
        cell = ws.cell(HEADER_ROW, index)
        put(cell, column_header(c))
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN

    def body(cell: Cell, c: ReviewColumn) -> None:
        if c.type == "date":
            cell.number_format = DATE_FORMAT
        cell.fill = INPUT_FILL if c.editable else LOCKED_FILL
        cell.protection = UNLOCKED if c.editable else LOCKED
        cell.border = GRID
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    def spare(cell: Cell) -> None:
        cell.protection = UNLOCKED

    cache = StyleCache()  # a column's cells share a handful of styles
    last = FIRST_ROW + len(rows) - 1
    for number, row in enumerate(rows, start=FIRST_ROW):
        for index, c in enumerate(sheet.columns, start=1):
            cell = ws.cell(number, index)
            value = row.value(c.key)
            if isinstance(value, str) and value in c.choices:
                value = choice_label(c, value)
            put(cell, "" if value is None else value)
            kind = ("body", c.type == "date", c.editable, StyleCache.current(cell))
            cache.apply(cell, kind, body, c)
    for number in range(last + 1, last + 1 + EXTRA_ROWS):
        for index, c in enumerate(sheet.columns, start=1):
            if c.editable:
                cell = ws.cell(number, index)
                cache.apply(cell, ("spare", StyleCache.current(cell)), spare)
    _add_validations(ws, sheet, lists, plan, period, last + EXTRA_ROWS)
    widths = {index: float(c.width) for index, c in enumerate(sheet.columns, start=1)}
    lay_out(
        ws,
        Page(plan.mission, plan.id),
        [Table(HEADER_ROW, max(last, HEADER_ROW), len(sheet.columns))],
        fixed=widths,
        header_row=HEADER_ROW,
        freeze=FROZEN_CELL,
        autofilter=f"A{HEADER_ROW}:{column_letter(len(sheet.columns))}{max(last, HEADER_ROW)}",
    )


def _add_validations(
    ws: Worksheet,
    sheet: ReviewSheet,
    lists: dict[str, str],
    plan: Plan,
    period: Period,
    last: int,
) -> None:
    """Every column gets its input message; input columns their check (list, range, date)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for index, c in enumerate(sheet.columns, start=1):
        validation = _validation(c, lists, plan, period) if c.editable else None
        validation = validation or DataValidation(allow_blank=True)
        validation.promptTitle = column_header(c)[:32]
        validation.prompt = column_help(c)[:255]
        validation.showInputMessage = True
        letter = column_letter(index)
        validation.add(f"{letter}{FIRST_ROW}:{letter}{max(last, FIRST_ROW)}")
        ws.add_data_validation(validation)


def _validation(
    c: ReviewColumn, lists: dict[str, str], plan: Plan, period: Period
) -> DataValidation | None:
    from openpyxl.worksheet.datavalidation import DataValidation

    shown = column_header(c)
    if c.type == "choice":
        return DataValidation(
            type="list", formula1=lists[c.key], allow_blank=True, showErrorMessage=True,
            errorTitle=translate("{column}: not in the list").format(column=shown)[:32],
            error=translate("Pick a value from the list for {column}.").format(column=shown),
        )  # fmt: skip
    if c.type == "integer":
        return DataValidation(
            type="whole", operator="between", formula1=str(c.minimum), formula2=str(c.maximum),
            allow_blank=True, showErrorMessage=True,
            errorTitle=translate("Whole number needed")[:32],
            error=translate("Enter a whole number from {low:g} to {high:g}.").format(
                low=c.minimum, high=c.maximum),
        )  # fmt: skip
    if c.type == "date":
        start, end = plan.start, period.end
        return DataValidation(
            type="date", operator="between",
            formula1=f"DATE({start.year},{start.month},{start.day})",
            formula2=f"DATE({end.year},{end.month},{end.day})",
            allow_blank=True, showErrorMessage=True,
            errorTitle=translate("Date outside the review")[:32],
            error=translate(
                "Enter a date from {start} to {end}, the end of {period} (yyyy-mm-dd)."
            ).format(start=start, end=end, period=period),
        )  # fmt: skip
    return None


def _write_instructions(ws: Worksheet, plan: Plan, book: ReviewBook) -> None:
    from missionplan.workbook.sheet import Page, Table, lay_out
    from missionplan.workbook.styles import BOLD_FONT, HEADER_FILL, HEADER_FONT, TITLE_FONT

    period = book.period
    send_to = plan.submit_to or translate("the planning unit")
    lines = [
        (translate("Quarterly review {period}: {component} ({code})").format(
            period=period, component=book.name, code=book.code), TITLE_FONT),
        (translate("Mission: {mission}").format(mission=plan.mission), None),
        (translate("Plan: {plan}. Mandate: {mandate}").format(plan=plan.id,
                                                               mandate=plan.mandate), None),
        (translate("Period reported on: {period} ({start} to {end})").format(
            period=period, start=period.start, end=period.end), BOLD_FONT),
        (translate("Send it back to: {address}").format(address=send_to), None),
        ("", None),
        (translate("How to fill it in"), BOLD_FONT),
        (translate("1. Activities: the activities you lead. Give each its status now, the % "
                   "complete, the actual start and end, a short progress note, and a reason "
                   "when it is delayed or cancelled."), None),
        (translate("2. Benchmarks: the benchmarks you own. Give the value measured this "
                   "period, your assessment, the evidence (source or document) and a note "
                   "when at risk or off track."), None),
        (translate("3. Risks: the risks you own. Give the likelihood and impact now, whether "
                   "the risk materialised, and the state of its mitigation."), None),
        (translate("Grey cells are the plan as merged and are locked; white cells are yours. "
                   "Answers of the last period, where there were some, are filled in: update "
                   "them."), None),
        (translate("Actual dates are days that have passed: no later than the end of the "
                   "period."), None),
        ("", None),
    ]  # fmt: skip
    for number, (text, font) in enumerate(lines, start=1):
        put(ws.cell(number, 1), text)
        if font is not None:
            ws.cell(number, 1).font = font
    top = len(lines) + 1
    titles = (translate("Sheet"), translate("Column"), translate("What to enter"))
    for index, title in enumerate(titles, start=1):
        cell = ws.cell(top, index)
        put(cell, title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    row = top + 1
    for sheet in REVIEW_SHEETS:
        for c in sheet.columns:
            put(ws.cell(row, 1), sheet_title(sheet))
            put(ws.cell(row, 2), column_header(c))
            locked = translate("{help} (locked)").format(help=column_help(c))
            put(ws.cell(row, 3), column_help(c) if c.editable else locked)
            row += 1
    lay_out(ws, Page(plan.mission, plan.id), [Table(top, row - 1, 3)])


def _write_metadata(wb: Workbook, meta: WorkbookMeta, book: ReviewBook) -> None:
    """`_meta` (kind review, the period) and `_items`: every row issued, with its fingerprint."""
    sheet = wb.create_sheet(META_SHEET)
    for number, (key, value) in enumerate(meta.as_pairs(), start=1):
        put(sheet.cell(number, 1), key)
        put(sheet.cell(number, 2), value)
        sheet.cell(number, 2).number_format = "@"
    sheet.sheet_state = "veryHidden"
    items = wb.create_sheet(ITEMS_SHEET)
    for column, name in enumerate(ITEM_FIELDS, start=1):
        put(items.cell(1, column), name)
    number = 2
    for review_sheet in REVIEW_SHEETS:
        for row in book.rows.get(review_sheet.item_type, ()):
            values = [row.item_id, row.output_id, review_sheet.item_type, "", "",
                      row.fingerprint, "no", row.text]  # fmt: skip
            for column, value in enumerate(values, start=1):
                put(items.cell(number, column), value)
                items.cell(number, column).number_format = "@"
            number += 1
    items.sheet_state = "veryHidden"


def read_merged_plan(merged_file: Path, plan: Plan) -> Submission:
    """The merged mission plan a review round starts from, checked to be this plan's."""
    from missionplan.workbook.reader import read_submission

    merged = read_submission(merged_file)
    if merged.meta.kind == REVIEW_KIND:
        raise MissionplanError(
            f"{merged_file} is a review workbook; --from takes the merged mission plan"
        )
    if merged.meta.plan_id != plan.id:
        raise MissionplanError(
            f"{merged_file} belongs to plan {merged.meta.plan_id}, not to plan {plan.id}; "
            "give the mission plan merged for this plan"
        )
    return merged
