"""The file edge of report: read the merged plan (and register, baseline, reviews), write it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from missionplan.errors import MissionplanError
from missionplan.merge.performance import Performance
from missionplan.report.model import (
    BoardLine,
    Change,
    Issue,
    Report,
    build_report,
    default_today,
    retitled,
)
from missionplan.report.page import plural
from missionplan.schema.language import ENGLISH, Language, speaking, translate
from missionplan.schema.text import counted
from missionplan.workbook.files import ensure_writable, write_atomically
from missionplan.workbook.reader import Submission

ISSUE_HEADERS = ("Kind", "Item ID", "Output", "Component", "What to do", "What is missing")
"""The headers of the Conflicts and Gaps sheets the pack reads, as merge/writer.py writes
them (in English; translated into the merged plan's language when reading)."""
NONE_KIND = "none"
"""The kind of the one row a Conflicts or Gaps sheet holds when there is nothing."""


@dataclass(frozen=True)
class ReportRun:
    """What `missionplan report` wrote, for the command to tell."""

    out: Path
    report: Report
    language: Language = ENGLISH
    """The language the pack was written in: the command's line says it in the same one."""

    def text(self) -> str:
        h = self.report.headline
        with speaking(self.language):
            return translate("wrote {out}: {items}, {errors}, {conflicts}, {gaps}").format(
                out=self.out,
                items=counted(h.items, "item"),
                errors=plural("{count} open error", "{count} open errors", h.errors).format(
                    count=h.errors
                ),
                conflicts=counted(h.conflicts, "conflict"),
                gaps=counted(h.gaps, "gap"),
            )


def report_paths(
    merged: Path,
    out: Path,
    plan_file: Path | None = None,
    db: str | None = None,
    baseline: Path | None = None,
    today: dt.date | None = None,
    force: bool = False,
    environ: Mapping[str, str] = os.environ,
    reviews: list[Path] | None = None,
    language: Language | None = None,
    performance: Performance | None = None,
) -> ReportRun:
    """Read the merged plan (and the register, the baseline, the reviews); write the pack.

    reviews: returned review workbooks, or folders of them, of one or more quarters; their
    performance report is built as `missionplan merge` builds it (merge/reviews.py).
    language: the pack's words; the merged plan's own language (its `_meta`) when None.
    performance: the reviews' performance report when the caller has it already (the demo,
    from its merge of the register's reviews), instead of reading `reviews` again.
    """
    from missionplan.diff.run import read_workbook, workbook_items  # pandas: only when needed
    from missionplan.merge.writer import CONFLICTS_SHEET, GAPS_SHEET
    from missionplan.report.page import render_page
    from missionplan.validate.rules import validate_submission

    if out.resolve() in {p.resolve() for p in (merged, baseline) if p is not None}:
        raise MissionplanError(f"{out} is an input of the report; give --out another file")
    if db is not None and plan_file is None:
        raise MissionplanError("--db needs --plan: the register's board is the plan's")
    ensure_writable(out, force)
    if reviews and performance is None:
        from missionplan.merge.reviews import read_reviews

        # who was expected to report: those the merged plan gives a review workbook
        expected_from = merged if plan_file is not None else None
        performance = read_reviews(reviews, plan_file, merged_file=expected_from).report
    submission = read_workbook(merged)
    items = workbook_items(submission)
    day = today or default_today(submission.meta, dt.date.today())
    language = language or submission.meta.language
    old = workbook_items(read_workbook(baseline)) if baseline is not None else None
    with speaking(language):  # every word of the pack, and what it reads in words
        changes = baseline_changes(old, items) if old is not None else None
        if performance is not None:
            performance = retitled(performance, framework_titles())
        report = build_report(
            submission.meta,
            items,
            day,
            errors=validate_submission(submission).errors,
            conflicts=read_issues(submission, CONFLICTS_SHEET),
            gaps=read_issues(submission, GAPS_SHEET),
            board=board_lines(plan_file, db, day, environ) if plan_file else None,
            changes=changes,
            baseline=baseline.name if baseline else "",
            performance=performance,
        )
        page = render_page(report)

    def write(temp: Path) -> None:
        temp.write_bytes(page.encode("utf-8"))

    write_atomically(out, write)
    return ReportRun(out, report, language)


def framework_titles() -> dict[str, str]:
    """The titles of the framework's objectives and outputs in the current language (its
    title_fr in French), the framework the reviews were read with (merge/reviews.py)."""
    from missionplan.planning.framework import load_framework, title_of

    framework = load_framework()
    titles = {objective.id: title_of(objective) for objective in framework.objectives}
    return titles | {output.id: title_of(output) for output in framework.outputs}


def baseline_changes(old: list[Any], new: list[Any]) -> list[Change]:
    """The diff of the baseline's items and the plan's, as the pack lists it."""
    from missionplan.diff.rules import diff_items

    def detail(c: Any) -> str:
        moved = [translate("moved from {output}").format(output=c.moved_from)]
        return ", ".join((moved if c.moved_from else []) + [translate(f.column) for f in c.fields])

    return [Change(c.item_id, c.output_id, c.kind, detail(c)) for c in diff_items(old, new)]


def read_issues(submission: Submission, sheet: str) -> list[Issue]:
    """The rows of the merged plan's Conflicts or Gaps sheet, found by their headers."""
    import python_calamine

    from missionplan.merge.writer import CONFLICTS_SHEET

    with speaking(submission.meta.language):  # a French plan has Conflits, Lacunes
        name = translate(sheet)
        words = {header: translate(header) for header in ISSUE_HEADERS}
    book = python_calamine.CalamineWorkbook.from_path(submission.file)
    if name not in book.sheet_names:
        raise MissionplanError(
            f"{submission.file}: no {name} sheet; give a merged plan (missionplan merge)"
        )
    rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    if not rows:
        return []
    headers = [str(h).strip() for h in rows[0]]

    def cell(row: list[object], header: str) -> str:
        if words[header] not in headers:
            return ""
        index = headers.index(words[header])
        return " ".join(str(row[index]).split()) if index < len(row) else ""

    message = "What to do" if sheet == CONFLICTS_SHEET else "What is missing"  # in ISSUE_HEADERS
    issues = []
    for row in rows[1:]:
        kind = cell(list(row), "Kind")
        if not kind or kind == NONE_KIND:
            continue
        issues.append(
            Issue(
                kind,
                cell(list(row), "Item ID"),
                cell(list(row), "Output"),
                cell(list(row), "Component"),
                cell(list(row), message),
            )
        )
    return issues


def board_lines(
    plan_file: Path, db: str | None, today: dt.date, environ: Mapping[str, str]
) -> list[BoardLine] | None:
    """The register's board for the plan, or None when nothing was collected yet."""
    from missionplan.collect.status import status
    from missionplan.register.database import plan_register

    register = plan_register(plan_file, db, environ)
    if register is None:
        return None
    register.close()
    board = status(plan_file, db, today=today, environ=environ).board
    return [
        BoardLine(
            r.code,
            r.state,
            r.timeliness,
            r.versions,
            r.current.errors if r.current else None,
        )
        for r in board.rows
    ]
