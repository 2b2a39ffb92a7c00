"""The demo's validation of the files it has just written, kept for collect and merge to reuse.

The demo validates each submission as it writes it (step 4, or the review's answers);
collect, then merge from the register, would validate the same bytes again. Each report
is kept with the SHA-256 of the bytes it was made from, so they reuse it only for exactly
those bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from missionplan.collect.run import Validated
from missionplan.merge.run import Typed
from missionplan.validate.report import Report
from missionplan.validate.run import without_rows
from missionplan.workbook.metadata import WorkbookMeta
from missionplan.workbook.reader import Submission


@dataclass(frozen=True)
class Checked:
    """One file's validation (its report, its metadata: None when unreadable) and the
    SHA-256 of the bytes validated; typed: the submission with its items, when validated
    with them (a planning workbook), without its raw rows (merge does not read them)."""

    report: Report
    meta: WorkbookMeta | None
    sha256: str
    typed: Submission | None = None


def checked(path: Path, report: Report, submission: Submission | None) -> Checked:
    """validate_file's result for path, with the hash of the file as it is now (just read)."""
    meta = submission.meta if submission else None
    with_items = submission is not None and submission.items is not None
    typed = without_rows(submission) if with_items else None
    return Checked(report, meta, hashlib.sha256(path.read_bytes()).hexdigest(), typed)


def as_validated(checks: Iterable[Checked]) -> Validated:
    """What collect_paths takes to skip validating these files again."""
    return {c.sha256: (c.report, c.meta) for c in checks}


def as_typed(checks: Iterable[Checked]) -> Typed:
    """What merge_register takes to skip validating these files again (those with items)."""
    return {c.sha256: (c.report, c.typed) for c in checks if c.typed is not None}
