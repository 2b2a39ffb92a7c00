"""The file edge of diff: read both workbooks as validation does, then compare their items."""

from __future__ import annotations

from pathlib import Path

from missionplan.diff.rules import Diff, diff_items
from missionplan.errors import MissionplanError
from missionplan.schema.items import SubmittedItem
from missionplan.validate.run import plan_mismatch
from missionplan.workbook.reader import read_submission


def diff_paths(old: Path, new: Path) -> Diff:
    """The changes from OLD to NEW; an unreadable input is a MissionplanError (exit 2)."""
    return Diff(str(old), str(new), diff_items(workbook_items(old), workbook_items(new)))


def workbook_items(path: Path) -> list[SubmittedItem]:
    """The typed items of one contract workbook, read through the safety checks."""
    submission = read_submission(path)  # ensure_safe_workbook first, as validate does
    mismatch = plan_mismatch(submission.meta, None)
    if mismatch:
        raise MissionplanError(f"{path}: {mismatch}")
    from missionplan.validate.items import submitted_items  # pandas: only when needed

    return submitted_items(submission)
