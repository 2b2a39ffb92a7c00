"""The demo's validation of the files it has just written, kept for collect to reuse.

The demo validates each submission as it writes it (step 4, or the review's answers);
collect would validate the same bytes again. Each report is kept with the SHA-256 of the
bytes it was made from, so collect reuses it only for exactly those bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from missionplan.collect.run import Validated
from missionplan.validate.report import Report
from missionplan.workbook.metadata import WorkbookMeta
from missionplan.workbook.reader import Submission


@dataclass(frozen=True)
class Checked:
    """One file's validation (its report, its metadata: None when unreadable) and the
    SHA-256 of the bytes validated."""

    report: Report
    meta: WorkbookMeta | None
    sha256: str


def checked(path: Path, report: Report, submission: Submission | None) -> Checked:
    """validate_file's result for path, with the hash of the file as it is now (just read)."""
    meta = submission.meta if submission else None
    return Checked(report, meta, hashlib.sha256(path.read_bytes()).hexdigest())


def as_validated(checks: Iterable[Checked]) -> Validated:
    """What collect_paths takes to skip validating these files again."""
    return {c.sha256: (c.report, c.meta) for c in checks}
