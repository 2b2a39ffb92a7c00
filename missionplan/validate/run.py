"""Validate files: read each workbook, make sure it belongs to the plan, collect its report.

The file edge of validation; the rules themselves are in rules.py.
"""

from __future__ import annotations

from pathlib import Path

from missionplan.errors import MissionplanError
from missionplan.planning.plan import Plan
from missionplan.schema.contract import CONTRACT_VERSION
from missionplan.validate.report import Report
from missionplan.workbook.files import Progress
from missionplan.workbook.metadata import WorkbookMeta
from missionplan.workbook.reader import Submission, read_submission


def validate_file(path: Path, plan: Plan | None = None) -> tuple[Report, Submission | None]:
    """The report for one file; an unreadable file gets a report saying why, never a crash."""
    try:
        submission = read_submission(path)
        mismatch = plan_mismatch(submission.meta, plan)
        if mismatch:
            return Report(str(path), unreadable=mismatch), None
        from missionplan.validate.rules import validate_submission  # pandas: only when needed

        return validate_submission(submission), submission
    except MissionplanError as error:
        reason = getattr(error, "reason", None) or str(error)
        return Report(str(path), unreadable=reason), None


def validate_files(
    paths: list[Path], plan: Plan | None = None, progress: Progress[Path] | None = None
) -> list[tuple[Report, Submission | None]]:
    """Reports for many files, in the order given, going on past bad ones."""
    return [validate_file(path, plan) for path in (progress(paths) if progress else paths)]


def plan_mismatch(meta: WorkbookMeta, plan: Plan | None) -> str:
    """Why a workbook does not belong to this plan or contract version ('' when it does)."""
    if meta.contract_version != CONTRACT_VERSION:
        return (
            f"made with template version {meta.contract_version}, this missionplan reads "
            f"version {CONTRACT_VERSION}; export a new template and copy the entries over"
        )
    if plan is None:
        return ""
    if meta.plan_id != plan.id:
        return (
            f"belongs to plan {meta.plan_id}, not to plan {plan.id} ({plan.mission}); "
            "check you have the right file, or export the templates again"
        )
    return ""
