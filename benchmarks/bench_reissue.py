"""Benchmark re-issue (`export --from`) of a 20-component plan, against bare reads and writes.

Run: .venv/bin/python -m benchmarks.bench_reissue [--runs 3]

The 20 filled workbooks of bench_merge (about 400 rows each) are merged into one plan;
re-issue then reads that merged plan back and writes every component's round-2 workbook,
pre-filled. Timed against, in the same run: a bare openpyxl read (read-only, every row
to values) of the same files re-issue reads and writes (the merged plan and the 20
workbooks), and a fresh export of the same plan (what re-issue adds to it). Medians;
not a test.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.bench_merge import PLAN_FILE, make_workbooks
from benchmarks.bench_validate import median_seconds, read_openpyxl
from missionplan.export.run import Exported, export_plan, reissue_plan
from missionplan.merge.run import merge_files
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import load_plan


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-reissue-"))
    (folder / "round-1").mkdir()
    workbooks = make_workbooks(folder / "round-1")
    plan_file = folder / "round-1" / PLAN_FILE
    merged = folder / "merged.xlsx"
    framework = load_framework()
    merge_files(workbooks, framework, merged, load_plan(plan_file, framework), force=True)
    issued = folder / "round-2"

    def reissue() -> Exported:
        return reissue_plan(plan_file, merged, issued, force=True, environ={})

    done = reissue()
    rows = sum(read_openpyxl(p) for p in done.paths)
    print(f"re-issue of a {len(workbooks)}-component plan: {len(done.paths)} workbooks, "
          f"{rows:,} rows, from {merged.name}")  # fmt: skip
    reissuing = median_seconds(reissue, options.runs)
    files = [merged, *done.paths]
    bare_read = median_seconds(lambda: [read_openpyxl(p) for p in files], options.runs)
    fresh = median_seconds(
        lambda: export_plan(plan_file, folder / "fresh", force=True), options.runs
    )
    print(f"re-issue: {reissuing:.2f} s; bare openpyxl read of the merged plan and the "
          f"{len(done.paths)} workbooks: {bare_read:.2f} s (ratio {reissuing / bare_read:.2f}); "
          f"fresh export: {fresh:.2f} s (ratio {reissuing / fresh:.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
