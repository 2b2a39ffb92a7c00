"""Benchmark: export every workbook of a 15-component plan, against a bare openpyxl baseline.

Run: .venv/bin/python -m benchmarks.bench_export [--runs 5]

The plan is built on the built-in framework with every output in scope and the 15
components the framework names most often (outputs whose leads are all outside those 15
are led by one of them in turn). `export_workbooks` writes one workbook per component,
spread over worker processes (one a core); it is timed again in one process
(`write_workbooks(..., workers=1)`), wall time and CPU time. The baseline writes the
same cell values - the same sheets, rows and columns - with bare openpyxl, in one
process: no styles, validations, protection, conditional formats or defined names. All
are timed in the same run; the medians and the ratios are printed, then the peak memory
(tracemalloc) of writing the largest workbook each way, and the process's peak resident
memory (getrusage).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from missionplan.export.run import export_workbooks, select_layouts, workbook_name, write_workbooks
from missionplan.planning.framework import Framework, load_framework
from missionplan.planning.plan import Plan, plan_from_data
from missionplan.workbook.writer import build_workbook

COMPONENTS = 15
START = dt.date(2027, 1, 1)

Sheet = tuple[str, list[tuple[Any, ...]]]
Snapshot = tuple[str, str, list[Sheet]]  # code, file name, sheets


def benchmark_plan(framework: Framework, size: int = COMPONENTS) -> Plan:
    """Every output in scope, shared among the `size` components the framework names most."""
    mentions = Counter(c for o in framework.outputs for c in (*o.lead, *o.support))
    chosen = {code for code, _ in mentions.most_common(size)}
    roster = [c for c in framework.components if c.code in chosen]
    outputs = []
    for index, output in enumerate(framework.outputs):
        involved = [c for c in dict.fromkeys((*output.lead, *output.support)) if c in chosen]
        lead = involved[0] if involved else roster[index % len(roster)].code
        support = [c for c in involved if c != lead]
        outputs.append(
            {"id": output.id, "in_scope": True, "priority": "medium", "lead": lead,
             "support": support}
        )  # fmt: skip
    data = {
        "plan": {
            "mission": "Benchmark Mission",
            "start": START,
            "end": dt.date(2029, 12, 31),
            "short_term_months": 6,
            "medium_term_months": 12,
            "framework": framework.id,
        },
        "components": [{"code": c.code, "name": c.name, "kind": c.kind} for c in roster],
        "outputs": outputs,
    }
    plan = plan_from_data(data, "<benchmark plan>", framework)
    assert len(plan.participants()) == size, [c.code for c in plan.participants()]
    return plan


def snapshots(framework: Framework, plan: Plan) -> list[Snapshot]:
    """The cell values of every workbook export_workbooks writes (built in memory, untimed)."""
    found = []
    for template in select_layouts(framework, plan, None, False):
        wb = build_workbook(template)
        sheets = [
            (
                ws.title,
                list(ws.iter_rows(max_row=ws.max_row, max_col=ws.max_column, values_only=True)),
            )
            for ws in wb.worksheets
        ]
        # the baseline holds as many sheets, rows and columns as the export
        shape = [(ws.title, ws.max_row, ws.max_column) for ws in wb.worksheets]
        bare = [(ws.title, ws.max_row, ws.max_column) for ws in bare_workbook(sheets)]
        assert bare == shape, template.code
        found.append((template.code, workbook_name(plan, template.code), sheets))
    return found


def bare_workbook(sheets: list[Sheet]) -> Workbook:
    """The same values in a workbook with nothing else."""
    wb = Workbook()
    default = wb.active
    assert default is not None
    wb.remove(default)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    return wb


def write_bare(snapshot: list[Snapshot], out_dir: Path) -> None:
    """The baseline: the same values with bare openpyxl."""
    for _, name, sheets in snapshot:
        bare_workbook(sheets).save(out_dir / name)


def timed(
    action: Callable[[Path], object], runs: int, clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    """Times of `runs` calls (wall time, or the clock given), each writing into a fresh folder."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="mp-bench-") as folder:
            began = clock()
            action(Path(folder))
            times.append(clock() - began)
    return times


def traced_peak(action: Callable[[Path], object]) -> float:
    """Peak Python memory (MiB) allocated during one call, by tracemalloc."""
    with tempfile.TemporaryDirectory(prefix="mp-bench-") as folder:
        tracemalloc.start()
        try:
            action(Path(folder))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return peak / 2**20


def peak_rss_mib() -> float:
    """The process's peak resident memory so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--no-trace", action="store_true", help="skip the traced-memory runs")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    framework = load_framework()
    plan = benchmark_plan(framework)
    snapshot = snapshots(framework, plan)
    sizes = {code: sum(len(r) * len(r[0]) for _, r in sheets if r) for code, _, sheets in snapshot}
    rows = sum(len(r) for _, _, sheets in snapshot for _, r in sheets)
    largest = max(sizes, key=lambda code: sizes[code])

    def export(folder: Path) -> None:
        export_workbooks(framework, plan, folder)

    layouts = select_layouts(framework, plan, None, False)

    def serial(folder: Path) -> None:
        write_workbooks(plan, layouts, folder, workers=1)

    def baseline(folder: Path) -> None:
        write_bare(snapshot, folder)

    timed(lambda folder: export_workbooks(framework, plan, folder, codes=[largest]), 1)  # warm-up
    export_times = timed(export, args.runs)
    serial_times = timed(serial, args.runs)
    serial_cpu = timed(serial, args.runs, time.process_time)
    rss_after_export = peak_rss_mib()
    baseline_times = timed(baseline, args.runs)
    baseline_cpu = timed(baseline, args.runs, time.process_time)
    export_median = statistics.median(export_times)
    serial_median = statistics.median(serial_times)
    baseline_median = statistics.median(baseline_times)
    cpu_ratio = statistics.median(serial_cpu) / statistics.median(baseline_cpu)

    print(
        f"missionplan export benchmark: {len(plan.participants())} components, "
        f"{len(plan.in_scope)} outputs in scope, {len(snapshot)} workbooks, "
        f"{sum(len(s) for _, _, s in snapshot)} sheets, {rows:,} rows, "
        f"{sum(sizes.values()):,} cells"
    )
    print(f"export_workbooks (all components)  median {export_median:6.2f} s   runs: "
          + ", ".join(f"{t:.2f}" for t in export_times))  # fmt: skip
    print(f"the same in one process            median {serial_median:6.2f} s   runs: "
          + ", ".join(f"{t:.2f}" for t in serial_times))  # fmt: skip
    print(f"bare openpyxl, same values         median {baseline_median:6.2f} s   runs: "
          + ", ".join(f"{t:.2f}" for t in baseline_times))  # fmt: skip
    print(
        f"ratio export / bare                {export_median / baseline_median:6.2f}x"
        f"   (one process {serial_median / baseline_median:.2f}x, CPU time {cpu_ratio:.2f}x)"
    )
    print(f"per workbook (export)              {export_median / len(snapshot):6.3f} s"
          f"   (one process {serial_median / len(snapshot):.3f} s, CPU "
          f"{statistics.median(serial_cpu) / len(snapshot):.3f} s)")  # fmt: skip
    if not args.no_trace:
        one = [s for s in snapshot if s[0] == largest]
        export_peak = traced_peak(
            lambda folder: export_workbooks(framework, plan, folder, codes=[largest])
        )
        bare_peak = traced_peak(lambda folder: write_bare(one, folder))
        print(
            f"peak traced memory, largest workbook ({largest}, {sizes[largest]:,} cells): "
            f"export {export_peak:.1f} MiB, bare {bare_peak:.1f} MiB"
        )
    print(f"peak RSS after the export runs     {rss_after_export:6.1f} MiB")
    print(f"peak RSS at the end                {peak_rss_mib():6.1f} MiB")
    print(f"total benchmark time               {time.perf_counter() - began:6.1f} s")


if __name__ == "__main__":
    main()
