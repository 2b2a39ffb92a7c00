"""The file edge of diff: read both workbooks as validation does, then compare their items."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from missionplan.diff.rules import Diff, diff_items
from missionplan.diff.sources import Side, diff_sides
from missionplan.errors import MissionplanError
from missionplan.schema.items import SubmittedItem
from missionplan.validate.run import plan_mismatch
from missionplan.workbook.cells import column_letter
from missionplan.workbook.files import ensure_writable, write_atomically
from missionplan.workbook.reader import Submission, read_submission


def diff_paths(
    old: str | Path,
    new: str | Path,
    out: Path | None = None,
    force: bool = False,
    plan_file: Path | None = None,
    db: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Diff:
    """The changes from OLD to NEW; an unreadable input is a MissionplanError (exit 2).

    Either side may be a register version, COMPONENT@N (diff/sources.py), found in the
    plan's register or --db. With out, NEW is copied there with its changes marked.
    """
    with diff_sides((str(old), str(new)), plan_file, db, environ) as (before, after):
        return _diff_sides(before, after, out, force)


def _diff_sides(old: Side, new: Side, out: Path | None, force: bool) -> Diff:
    if out is not None:
        if out.resolve() in (old.path.resolve(), new.path.resolve()):
            raise MissionplanError(f"{out} is an input of the diff; give --out another file")
        ensure_writable(out, force)
    before, after = read_workbook(old.path), read_workbook(new.path)
    found = Diff(old.shown, new.shown, diff_items(workbook_items(before), workbook_items(after)))
    if out is not None:
        from missionplan.diff.writer import write_changes  # openpyxl: only when needed

        letters = {
            sheet.name: {key: column_letter(index + 1) for key, index in sheet.columns.items()}
            for sheet in after.sheets
        }
        write_atomically(out, lambda temp: write_changes(new.path, found, letters, temp))
    return found


def read_workbook(path: Path) -> Submission:
    """One contract workbook, read through the safety checks as validate reads it."""
    submission = read_submission(path)  # ensure_safe_workbook first
    mismatch = plan_mismatch(submission.meta, None)
    if mismatch:
        raise MissionplanError(f"{path}: {mismatch}")
    return submission


def workbook_items(submission: Submission) -> list[SubmittedItem]:
    """The typed items of one workbook (first row per id, as merge reads them)."""
    from missionplan.validate.items import submitted_items  # pandas: only when needed

    return submitted_items(submission)
