"""Benchmark `diff` on two versions of a 40,000-row workbook, against bare reads of both.

Run: .venv/bin/python -m benchmarks.bench_diff [--rows 40000] [--runs 3]

OLD is the typical UNPOL workbook grown to ~40,000 rows (bench_validate.large_workbook);
NEW is the same with a few of the typical rows edited and the last ten added items
gone. Times diff_paths (both files read through the safety checks, typed as merge reads
them, keyed diff) against reading the same two files bare: openpyxl (read-only, every
row to values, as the issue asks) and python-calamine (the floor of the other
benchmarks). Medians; not a test.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.bench_validate import (
    LARGE_ROWS,
    large_workbook,
    median_seconds,
    read_calamine,
    read_openpyxl,
)
from benchmarks.bench_validate import typical_workbook as typical_of
from missionplan.diff.run import diff_paths
from missionplan.workbook.fill import fill_workbook
from missionplan.workbook.reader import read_submission

EDITED = 5
REMOVED = 10


def two_versions(folder: Path, rows: int) -> tuple[Path, Path, int]:
    """OLD and NEW, and how many items the diff must find changed or removed."""
    typical, plan = typical_of(folder)
    editable = [e for e in read_submission(typical).expected if e.editable and not e.added]
    edits = {e.item_id: {"comments": f"revised in round 2 ({n})"} for n, e in enumerate(editable)}
    revised = fill_workbook(typical, dict(list(edits.items())[:EDITED]), folder / "revised.xlsx")
    (folder / "old").mkdir()
    (folder / "new").mkdir()
    old = large_workbook(typical, plan, folder / "old", rows)
    new = large_workbook(revised, plan, folder / "new", rows - REMOVED)
    return old, new, EDITED + REMOVED


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=LARGE_ROWS)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-diff-"))
    old, new, planted = two_versions(folder, options.rows)
    found = diff_paths(old, new)
    print(f"diff of two workbooks of ~{options.rows:,} rows: {len(found.changes)} items "
          f"changed or removed (planted {planted})")  # fmt: skip
    diffing = median_seconds(lambda: diff_paths(old, new), options.runs)
    openpyxl = median_seconds(lambda: (read_openpyxl(old), read_openpyxl(new)), options.runs)
    calamine = median_seconds(lambda: (read_calamine(old), read_calamine(new)), options.runs)
    print(f"diff: {diffing:.2f} s; bare openpyxl read of both: {openpyxl:.2f} s "
          f"(ratio {diffing / openpyxl:.2f}); bare python-calamine read of both: "
          f"{calamine:.2f} s (ratio {diffing / calamine:.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
