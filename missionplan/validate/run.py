"""Validate files: read each workbook, make sure it belongs to the plan, collect its report.

The file edge of validation; the rules themselves are in rules.py. `validate_paths` is
`missionplan validate` as one call: the plan, the folders, the reports, the annotated copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from missionplan.errors import MissionplanError
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import Plan, load_plan
from missionplan.schema.contract import CONTRACT_VERSION
from missionplan.schema.language import current_language, speaking, translate
from missionplan.schema.review import REVIEW_KIND
from missionplan.validate.report import Report, Style, plain, report_text, summary_line, total_line
from missionplan.workbook.files import Progress, workbooks_in
from missionplan.workbook.metadata import WorkbookMeta
from missionplan.workbook.reader import Submission, read_submission


def validate_file(
    path: Path, plan: Plan | None = None, own_language: bool = False
) -> tuple[Report, Submission | None]:
    """The report for one file; an unreadable file gets a report saying why, never a crash.

    With own_language, its findings are in the workbook's language (its `_meta`), not the
    current one: what `validate` does when neither --lang nor --plan says which."""
    try:
        submission = read_submission(path)
        mismatch = plan_mismatch(submission.meta, plan)
        if mismatch:
            return Report(str(path), unreadable=mismatch), None
        if submission.meta.kind == REVIEW_KIND:  # a quarterly review: its own rules
            from missionplan.validate.review import check_review
            from missionplan.workbook.review import read_review

            return check_review(read_review(path))[0], submission
        from missionplan.validate.rules import validate_submission  # pandas: only when needed

        language = submission.meta.language if own_language else current_language()
        with speaking(language):
            return validate_submission(submission), submission
    except MissionplanError as error:
        reason = getattr(error, "reason", None) or str(error)
        return Report(str(path), unreadable=reason), None


@dataclass(frozen=True)
class ValidationRun:
    """The reports of one validation run, in the order of the files, and the copies written."""

    reports: tuple[Report, ...]
    annotated: tuple[Path, ...] = ()

    def exit_code(self, strict: bool = False) -> int:
        """2: a file could not be read; 1: errors (or, strict, warnings); 0: all valid."""
        if any(r.unreadable for r in self.reports):
            return 2
        if any(r.errors or (strict and r.warnings) for r in self.reports):
            return 1
        return 0

    def as_data(self) -> dict[str, Any]:
        """The `--format json` shape: {"files": [report, ...]}."""
        return {"files": [r.as_data() for r in self.reports]}

    def text(self, details: bool = False, style: Style = plain) -> str:
        """One file in full; several one line each (every finding with details) and a total."""
        full = len(self.reports) == 1 or details
        lines = [report_text(r, style) if full else summary_line(r, style) for r in self.reports]
        if len(self.reports) > 1:
            lines.append(total_line(list(self.reports)))
        return "\n".join(lines)


def validate_paths(
    paths: list[Path],
    plan_file: Path | None = None,
    framework_file: Path | None = None,
    annotate_dir: Path | None = None,
    force: bool = False,
    progress: Progress[Path] | None = None,
    own_language: bool = False,
) -> ValidationRun:
    """Validate workbooks and folders of them, against the plan file when one is given.

    The framework is loaded only to read the plan. With annotate_dir, an annotated copy of
    each readable file is written there (existing copies only with force). With
    own_language, each file's findings and copy are in the workbook's own language.
    """
    plan = load_plan(plan_file, load_framework(framework_file)) if plan_file is not None else None
    results = validate_files(workbooks_in(paths), plan, progress, own_language)
    annotated: list[Path] = []
    if annotate_dir is not None:
        from missionplan.validate.annotation import annotate_files  # openpyxl: only when needed

        annotated = annotate_files(results, annotate_dir, force)
    return ValidationRun(tuple(report for report, _ in results), tuple(annotated))


def validate_files(
    paths: list[Path],
    plan: Plan | None = None,
    progress: Progress[Path] | None = None,
    own_language: bool = False,
) -> list[tuple[Report, Submission | None]]:
    """Reports for many files, in the order given, going on past bad ones."""
    return [
        validate_file(path, plan, own_language) for path in (progress(paths) if progress else paths)
    ]


def plan_mismatch(meta: WorkbookMeta, plan: Plan | None) -> str:
    """Why a workbook does not belong to this plan or contract version ('' when it does)."""
    if meta.contract_version != CONTRACT_VERSION:
        return translate(
            "made with template version {old}, this missionplan reads version {new}; carry "
            "its entries into the current template with missionplan upgrade FILE --plan "
            "PLAN.yaml --out DIR"
        ).format(old=meta.contract_version, new=CONTRACT_VERSION)
    if plan is None:
        return ""
    if meta.plan_id != plan.id:
        return translate(
            "belongs to plan {old}, not to plan {new} ({mission}); check you have the right "
            "file, or carry its entries into this plan's template with missionplan upgrade "
            "FILE --plan PLAN.yaml --out DIR"
        ).format(old=meta.plan_id, new=plan.id, mission=plan.mission)
    return ""
