"""Benchmark merge_files on 20 component workbooks of about 400 rows each.

Run: .venv/bin/python -m benchmarks.bench_merge [--runs 5] [--workbooks DIR]

A 20-component plan on the built-in framework: every one of its 25 outputs has
a lead and seven supporting components, so each component takes part in 10
outputs (about 400 rows). Each workbook is exported, then filled like a focal
point would (every framework row of the outputs it leads, four added rows under
every output it takes part in), so every file validates and is merged.

Times merge_files (validation, merge, writing the merged plan; median of the
runs) against two bare reads of the same 20 files: python_calamine (every
sheet to Python values) and openpyxl (load_workbook). Peak memory is the
peak resident set size of a fresh subprocess that runs the step once;
'added' is that peak minus the subprocess' peak after its imports.
Not a test: prints a small table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from missionplan.demo.samples import Cells
    from missionplan.merge.run import MergeOutcome
    from missionplan.planning.framework import Framework
    from missionplan.planning.plan import Plan

ROOT = Path(__file__).resolve().parents[1]

COMPONENTS = 20
MEMBERS_PER_OUTPUT = 8  # a lead and seven supporting components
ADDED_PER_OUTPUT = 4
START = dt.date(2027, 1, 1)
END = dt.date(2029, 12, 31)
ACTIVITY_DATES = (dt.date(2027, 2, 1), dt.date(2027, 11, 30))
PLAN_FILE = "plan.yaml"
MERGED_FILE = "merged.xlsx"


# ---------------------------------------------------------------------------
# The workbooks.
# ---------------------------------------------------------------------------


def plan_data(framework: Framework) -> dict[str, Any]:
    codes = [c.code for c in framework.components][:COMPONENTS]
    roster = {c.code: c for c in framework.components}
    outputs = []
    for k, output in enumerate(framework.outputs):
        members = [codes[(k * MEMBERS_PER_OUTPUT + j) % COMPONENTS] for j in range(8)]
        lead = members[k % MEMBERS_PER_OUTPUT]
        support = [c for c in members if c != lead]
        outputs.append({"id": output.id, "in_scope": True, "lead": lead, "support": support})
    return {
        "plan": {
            "id": "bench-merge",
            "mission": "UN Benchmark Mission",
            "start": START.isoformat(),
            "end": END.isoformat(),
            "short_term_months": 6,
            "medium_term_months": 12,
            "framework": framework.id,
        },
        "components": [{"code": c, "name": roster[c].name, "kind": roster[c].kind} for c in codes],
        "outputs": outputs,
    }


def inputs_for(kind: str | None, term: str | None, text: str, plan: Plan, owner: str) -> Cells:
    """The sample factory's values for a row (risks rated 3 x 4); activities add a comment."""
    from missionplan.demo.samples import item_values

    values = item_values(
        kind, owner, plan, term=term, text=text, dates=ACTIVITY_DATES, likelihood=3, impact=4
    )
    if kind == "activity":
        values["comments"] = "Planned with the partners"
    return values


def make_workbooks(folder: Path) -> list[Path]:
    """Export and fill the 20 workbooks; writes the plan file next to them."""
    import yaml

    from missionplan.export.distribution import component_layout
    from missionplan.export.run import export_workbooks
    from missionplan.planning.framework import load_framework
    from missionplan.planning.plan import plan_from_data
    from missionplan.workbook.fill import fill_workbook

    framework = load_framework()
    data = plan_data(framework)
    (folder / PLAN_FILE).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    plan = plan_from_data(data, PLAN_FILE, framework)
    paths = export_workbooks(framework, plan, folder, force=True)
    kinds = ("activity", "benchmark", "risk", "consideration")
    for path in paths:
        code = next(c.code for c in plan.participants() if f"-{c.code}-" in path.name)
        component = plan.component(code)
        assert component is not None
        values: dict[str, dict[str, object]] = {}
        added_count: dict[str, int] = {}
        for row in component_layout(framework, plan, component).rows:
            if row.editable and not row.added:
                values[row.item_id] = inputs_for(row.item_type, row.term, row.text, plan, code)
            elif row.added and added_count.get(row.output_id, 0) < ADDED_PER_OUTPUT:
                number = added_count[row.output_id] = added_count.get(row.output_id, 0) + 1
                kind = kinds[number % len(kinds)]
                term = ("short", "medium", "long")[number % 3]
                text = f"{code} adds {kind} {number} under output {row.output_id}"
                values[row.item_id] = {
                    "item_type": kind,
                    "text": text,
                    **({"term": term} if kind == "benchmark" else {}),
                    **inputs_for(kind, term, text, plan, code),
                }
        fill_workbook(path, values)
    return paths


# ---------------------------------------------------------------------------
# The steps measured.
# ---------------------------------------------------------------------------


def step(name: str, folder: Path) -> Callable[[], object]:
    """The step to time, with its imports and set-up done before it is called."""
    paths = sorted(folder.glob("*.xlsx"))
    paths = [p for p in paths if p.name != MERGED_FILE]
    if name == "merge":
        from missionplan.merge.run import merge_files
        from missionplan.planning.framework import load_framework
        from missionplan.planning.plan import load_plan

        framework = load_framework()
        plan = load_plan(folder / PLAN_FILE, framework)
        out = folder / MERGED_FILE
        return lambda: merge_files(paths, framework, out, plan, force=True)
    if name == "calamine":
        import python_calamine

        def read_calamine() -> int:
            cells = 0
            for path in paths:
                book = python_calamine.CalamineWorkbook.from_path(str(path))
                for sheet in book.sheet_names:
                    rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
                    cells += sum(len(r) for r in rows)
            return cells

        return read_calamine
    if name == "openpyxl":
        import openpyxl

        def load_openpyxl() -> int:
            return sum(len(openpyxl.load_workbook(path).worksheets) for path in paths)

        return load_openpyxl
    raise SystemExit(f"unknown step {name}")


STEPS = ("merge", "calamine", "openpyxl")


def time_step(name: str, folder: Path, runs: int) -> tuple[list[float], object]:
    """The time of each run, and what the last run returned."""
    run = step(name, folder)
    times = []
    result: object = None
    for _ in range(runs):
        begin = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - begin)
    return times, result


def peak_memory(name: str, folder: Path) -> tuple[float, float]:
    """(peak RSS, peak RSS added by the step) in MB, from a fresh subprocess."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_merge", "--child", name, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return data["peak_kb"] / 1024, (data["peak_kb"] - data["before_kb"]) / 1024


def peak_rss_kb() -> int:
    """This process' peak resident set size in KiB.

    VmHWM where /proc has it: ru_maxrss survives exec on Linux, so a child started
    from this (big) process would report the parent's size.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def child(name: str, folder: Path) -> None:
    run = step(name, folder)
    before = peak_rss_kb()
    run()
    print(json.dumps({"before_kb": before, "peak_kb": peak_rss_kb()}))


# ---------------------------------------------------------------------------
# Main.
# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per step (median)")
    parser.add_argument(
        "--workbooks", type=Path, help="a folder to make the workbooks in (kept), or reuse"
    )
    parser.add_argument("--child", nargs=2, metavar=("STEP", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory(prefix="bench-merge-") as temp:
        folder = args.workbooks or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        begin = time.perf_counter()
        if not (folder / PLAN_FILE).exists():
            make_workbooks(folder)
            print(f"made the workbooks in {time.perf_counter() - begin:.1f} s")
        report(folder, args.runs)


def report(folder: Path, runs: int) -> None:
    from missionplan.validate.run import validate_file

    paths = sorted(p for p in folder.glob("*.xlsx") if p.name != MERGED_FILE)
    reports = [validate_file(p)[0] for p in paths]
    rows = [r.rows for r in reports]
    invalid = [Path(r.file).name for r in reports if not r.valid]
    size = sum(p.stat().st_size for p in paths) / 1024
    print(
        f"{len(paths)} workbooks, {min(rows)} to {max(rows)} rows each "
        f"({sum(rows)} in all, {size:.0f} KiB); not valid: {', '.join(invalid) or 'none'}"
    )
    medians: dict[str, float] = {}
    spreads: dict[str, tuple[float, float]] = {}
    memory: dict[str, tuple[float, float]] = {}
    for name in STEPS:
        times, result = time_step(name, folder, runs)
        medians[name] = statistics.median(times)
        spreads[name] = (min(times), max(times))
        memory[name] = peak_memory(name, folder)
        if name == "merge":
            outcome = cast("MergeOutcome", result)
            merged = outcome.merged
            print(
                f"merged plan: {len(merged.items)} items from {len(outcome.accepted)} "
                f"submissions, {len(merged.conflicts)} conflicts, {len(merged.gaps)} gaps"
            )
    print()
    header = (
        f"{'step':<28} {'median s':>9} {'min-max s':>13} {'x calamine':>11} "
        f"{'x openpyxl':>11} {'peak MB':>8} {'added MB':>9}"
    )
    print(header)
    print("-" * len(header))
    labels = {
        "merge": "merge_files (20 files)",
        "calamine": "python_calamine read",
        "openpyxl": "openpyxl load_workbook",
    }
    for name in STEPS:
        low, high = spreads[name]
        peak, added = memory[name]
        print(
            f"{labels[name]:<28} {medians[name]:>9.3f} {f'{low:.2f}-{high:.2f}':>13} "
            f"{medians[name] / medians['calamine']:>11.1f} "
            f"{medians[name] / medians['openpyxl']:>11.2f} {peak:>8.0f} {added:>9.0f}"
        )
    print(f"\n{runs} runs per step; memory: one run in a fresh subprocess (VmHWM).")


if __name__ == "__main__":
    main()
