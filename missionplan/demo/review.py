"""The demo's review round: two quarters of progress reports after the planning rounds.

Every component with something to report on gets its 2027-Q2 review workbook; the answers
come back (three with a typical mistake), are validated with annotated copies, collected
into the register and merged into the performance report; then 2027-Q3, pre-filled from
Q2's answers, comes back with other answers, is collected too, and is merged from the
register: its report's trend comes from the quarters the register holds. The workbooks
are answered in their own language (choices by their labels), and the tour is told in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from missionplan.collect.run import collect_paths
from missionplan.demo.checked import Checked, as_validated, checked
from missionplan.demo.spread import each_in_workers
from missionplan.export.review import ReviewBook, review_issue, write_review_workbook
from missionplan.merge.performance import Performance
from missionplan.merge.registered import merge_review_register
from missionplan.merge.reviews import merge_reviews
from missionplan.planning.framework import Framework
from missionplan.planning.plan import Plan
from missionplan.register.database import register_url
from missionplan.schema.language import translate
from missionplan.schema.review import (
    REVIEW_SHEETS,
    Period,
    choice_label,
    column_header,
    light_label,
    sheet_title,
)
from missionplan.validate.annotation import annotated_copy
from missionplan.validate.report import summary_line
from missionplan.validate.run import validate_file
from missionplan.workbook.cells import save_stamped
from missionplan.workbook.fill import as_reopened

if TYPE_CHECKING:
    from openpyxl import Workbook

Q2, Q3 = Period(2027, 2), Period(2027, 3)
MISTAKES = (
    ("Activities", {"status": "completed", "percent": 100, "actual_end": None},
     "completed without an actual end", "completed-without-actual-end"),
    ("Benchmarks", {"assessment": "off track", "note": None},
     "off track without a note", "assessment-without-note"),
    ("Activities", {"actual_start": dt.datetime(2027, 8, 1)},
     "an actual start after the quarter", "actual-date-after-period"),
)  # fmt: skip
"""(sheet, answers of the first row, what it is, the code expected), one per component; what
it is, in English, is in the catalogues (scripts/update-catalogue.py) for the French tour."""


def answers(sheet: str, number: int, planned: dict[str, object], period: Period) -> dict:
    """Plausible answers for the number-th row of a sheet; the pattern shifts each quarter."""
    turn = number + (period.quarter - Q2.quarter)
    if sheet == "Activities":
        start = planned.get("planned_start")
        end = planned.get("planned_end")
        if not isinstance(start, dt.datetime) or start.date() > period.end:
            return {"status": "planned", "percent": 0}
        kind = turn % 5
        if kind == 1 and isinstance(end, dt.datetime):
            return {"status": "completed", "percent": 100, "actual_start": start,
                    "actual_end": min(end, dt.datetime.combine(period.end, dt.time())),
                    "progress_note": "Done as planned."}  # fmt: skip
        if kind == 3:
            return {"status": "delayed", "percent": 20, "actual_start": start,
                    "reason": "Access to two districts was cut for weeks."}  # fmt: skip
        return {"status": "ongoing", "percent": 30 + 10 * kind, "actual_start": start,
                "progress_note": "Under way."}  # fmt: skip
    if sheet == "Benchmarks":
        kind = turn % 4
        assessment = ("on track", "on track", "at risk", "achieved")[kind]
        return {"measured": f"{40 + 10 * kind}%", "assessment": assessment,
                "evidence": "Mission quarterly report",
                "note": "Slower than planned." if assessment == "at risk" else None}  # fmt: skip
    likelihood, impact = planned.get("planned_likelihood"), planned.get("planned_impact")
    if isinstance(likelihood, float | int) and turn % 3 == 0:
        likelihood = min(5, int(likelihood) + 1)  # this risk grew
    return {"likelihood": likelihood, "impact": impact, "materialised": "no",
            "mitigation_state": "under way"}  # fmt: skip


def fill_review(source: Path, target: Path, period: Period, mistake: tuple | None) -> None:
    """The issued review workbook answered, with a mistake in the first row when asked."""
    from openpyxl import load_workbook

    wb = load_workbook(source)
    answer_review(wb, period, mistake)
    target.parent.mkdir(parents=True, exist_ok=True)
    save_stamped(wb, target)


def answer_review(wb: Workbook, period: Period, mistake: tuple | None) -> None:
    """Answer every row of an open review workbook, with a mistake in the first row when
    asked."""
    for sheet in REVIEW_SHEETS:
        ws = wb[sheet_title(sheet)]
        headers = {str(c.value): c.column for c in ws[1] if c.value}
        column = {c.key: headers[column_header(c)] for c in sheet.columns}
        for number, row in enumerate(ws.iter_rows(min_row=2, max_row=ws.max_row), start=0):
            if not row[column["item_id"] - 1].value:
                continue
            planned = {c.key: row[column[c.key] - 1].value for c in sheet.columns}
            given = answers(sheet.name, number, planned, period)
            if mistake and mistake[0] == sheet.name and number == 0:
                given = {**given, **mistake[1]}
            for key, value in given.items():
                choices = sheet.column(key).choices
                if isinstance(value, str) and value in choices:
                    value = choice_label(sheet.column(key), value)  # as picked from the list
                ws.cell(row[0].row, column[key]).value = value


@dataclass(frozen=True)
class Answer:
    """One component's review workbook to issue and answer (a job of each_in_workers)."""

    framework: Framework
    plan: Plan
    book: ReviewBook
    issued: Path
    returned: Path
    period: Period
    mistake: tuple | None


def issue_and_answer(job: Answer) -> Checked:
    """Write the issued review workbook, then answer it as it stays open (as_reopened makes
    it save what reading the issued file back would): fill_review without the load. The
    answer is validated here, in the worker."""
    wb = write_review_workbook(job.framework, job.plan, job.book, job.issued)
    as_reopened(wb)
    answer_review(wb, job.period, job.mistake)
    job.returned.parent.mkdir(parents=True, exist_ok=True)
    save_stamped(wb, job.returned)
    return checked(job.returned, *validate_file(job.returned))


def review_round(
    out: Path, plan_file: Path, merged_file: Path, say: Callable[[str], None], first_step: int
) -> Performance:
    """Two quarters of review, reported on; returns the last quarter's performance report,
    merged from the register's reviews of both (its trend from both), for the review pack.

    The reviews go into the plan's own register (missionplan.db next to it), as the planning
    rounds' workbooks did.
    """
    db = register_url(None, plan_file, {})
    merged = str(merged_file)
    returned: dict[Period, list[Path]] = {}
    for step, period in enumerate((Q2, Q3), start=first_step):
        folder = out / f"review-{period}"
        earlier = returned.get(period.previous, [])
        issue = review_issue(plan_file, merged_file, period.label, folder / "issued",
                             force=True, previous=earlier)  # fmt: skip
        issued = [path for _, path in issue.targets]
        say(translate("{step}. Review {period}: {count} review workbooks in {folder}").format(
            step=step, period=period, count=len(issued), folder=folder / "issued"))  # fmt: skip
        jobs = [
            Answer(issue.framework, issue.plan, book, path, folder / "returned" / path.name,
                   period, MISTAKES[index] if period == Q2 and index < len(MISTAKES) else None)
            for index, (book, path) in enumerate(issue.targets)
        ]  # fmt: skip
        checks = each_in_workers(issue_and_answer, jobs)
        back = []
        for job in jobs:
            path, target, mistake = job.issued, job.returned, job.mistake
            back.append(target)
            if mistake:
                say("   " + translate("{file}: {what} (expect {code})").format(
                    file=path.name, what=translate(mistake[2]), code=mistake[3]))  # fmt: skip
        returned[period] = back
        invalid = [check for check in checks if not check.report.valid]
        # the copies to send back, loaded from the files: the workbooks the workers had open
        # keep blank rows a load drops (as_reopened does not make them what a load reads)
        for check in invalid:
            if check.meta is not None:
                annotated_copy(check.report, folder / "annotated", force=True)
        for check in invalid:
            say("   " + summary_line(check.report))
        copies = translate("; annotated copies in {folder}").format(folder=folder / "annotated")
        say("   " + translate("{valid} of {count} valid").format(
            valid=len(checks) - len(invalid), count=len(checks))
            + (copies if invalid else ""))  # fmt: skip
        validated = as_validated(checks)
        collected = collect_paths(back, plan_file, db, environ={}, validated=validated).totals()
        say("   " + translate("collected into the register: {valid} valid, {invalid} invalid")
            .format(valid=collected["valid"], invalid=collected["invalid"]))  # fmt: skip
        report_file = out / f"performance-{period}.xlsx"
        if period == Q2:
            done = merge_reviews(back, report_file, plan_file, force=True, merged_file=merged)
        else:  # from the register: the current reviews of this quarter, and earlier ones
            done = merge_review_register(
                plan_file, report_file, period.label, db, force=True, merged_file=merged,
                environ={},
            ).merged  # fmt: skip
            say("   " + translate(
                "merged from the register (missionplan merge --plan {plan} --period {period}): "
                "the trend comes from the quarters it holds"
            ).format(plan=plan_file, period=period))  # fmt: skip
        lights = ", ".join(f"{o.id} {light_label(o.light)}" for o in done.report.outputs)
        say("   " + translate("performance report: {file} (outputs: {lights})").format(
            file=report_file, lights=lights))  # fmt: skip
    return done.report
