"""Benchmark validation: a typical returned workbook and a very large one.

Run from the project folder:  .venv/bin/python -m benchmarks.bench_validate

For each workbook: `missionplan validate` as a subprocess (wall time and the child's peak
memory), validate_file in-process, and two bare baselines on the same file in the same run:
openpyxl.load_workbook (read-only, every row read) and python-calamine (every sheet read).
Times are medians of 5 runs. When validating the large file takes more than 10 times the
bare calamine read, a cProfile of validate_file shows where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook

from missionplan.demo.samples import activity_values, item_values
from missionplan.export.run import export_workbooks
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import Plan, load_plan, starter_plan_text
from missionplan.schema.contract import COLUMNS
from missionplan.schema.items import ITEM_FIELDS
from missionplan.validate.run import validate_file
from missionplan.workbook.fill import fill_workbook
from missionplan.workbook.metadata import ITEMS_SHEET, META_SHEET
from missionplan.workbook.reader import read_submission

ROOT = Path(__file__).resolve().parent.parent
COMPONENT = "UNPOL"  # leads 4.5 and 5.5, supports nine outputs: 421 rows in its workbook
RUNS = 5
LARGE_ROWS = 40_000
SLOW_FACTOR = 10.0
KEYS = [c.key for c in COLUMNS]


# --- workbooks -------------------------------------------------------------------------------


def make_plan(folder: Path) -> tuple[Plan, Path]:
    plan_file = folder / "plan.yaml"
    plan_file.write_text(starter_plan_text(load_framework(), dt.date(2027, 1, 1)), "utf-8")
    return load_plan(plan_file, load_framework()), plan_file


def typical_workbook(folder: Path) -> tuple[Path, Plan]:
    """The component's exported template, every editable framework row correctly filled."""
    plan, _ = make_plan(folder)
    (template,) = export_workbooks(load_framework(), plan, folder / "templates", [COMPONENT])
    values: dict[str, dict[str, object]] = {}
    counts: dict[str, int] = {}
    for item in read_submission(template).expected:
        if item.added or not item.editable:
            continue
        n = counts[item.output_id] = counts.get(item.output_id, -1) + 1
        if item.item_type == "activity":
            values[item.item_id] = activity(plan.start + dt.timedelta(days=20 * n), n, item.text)
        else:
            values[item.item_id] = item_values(item.item_type, COMPONENT, plan, term=item.term)
    return fill_workbook(template, values, folder / "typical.xlsx"), plan


def activity(start: dt.date, n: int, text: str) -> dict[str, object]:
    """The sample factory's n-th activity of an output: 90 days, FORCE supporting every other."""
    end = start + dt.timedelta(days=90)
    support = "FORCE" if n % 2 else None
    return activity_values(COMPONENT, start, end, n=n, text=text, support=support)


def large_workbook(
    typical: Path, plan: Plan, folder: Path, rows: int = LARGE_ROWS, bad: float = 0.0
) -> Path:
    """The typical workbook plus added items under the outputs it leads, ~`rows` in all.

    Written with openpyxl's write-only mode: the same header row, the typical rows, then
    the added rows; _meta copied; _items lists every id (the added ones as 'added'). With
    `bad`, about that share of the added rows' cells hold a mistake (BAD_CELLS, in turn).
    """
    source = load_workbook(typical, read_only=True)
    led = [o.id for o in plan.led_by(COMPONENT)]
    sheets = [ws.title for ws in source.worksheets if ws.title[0].isdigit()]
    body = {name: [list(r) for r in source[name].iter_rows(values_only=True)] for name in sheets}
    meta = [list(r) for r in source[META_SHEET].iter_rows(values_only=True)]
    items = [list(r) for r in source[ITEMS_SHEET].iter_rows(values_only=True)]
    source.close()
    existing = sum(len(b) - 1 for b in body.values())
    extra = max(0, rows - existing)
    wb = Workbook(write_only=True)
    added_items: list[list[object]] = []
    per_output = {
        o: extra // len(led) + (1 if i < extra % len(led) else 0) for i, o in enumerate(led)
    }
    for name in sheets:
        ws = wb.create_sheet(name)
        for row in body[name]:
            ws.append(row)
        for output in (o for o in led if name.startswith(o.split(".")[0] + " ")):
            for n in range(per_output[output]):
                item_id = f"{output}-{COMPONENT}-{n + 100:05d}"
                ws.append(spoilt(added_row(plan, output, item_id, n), bad, len(added_items)))
                added_items.append([item_id, output, "", "", "added", "", "yes", ""])
    for title, content in ((META_SHEET, meta), (ITEMS_SHEET, [*items, *added_items])):
        ws = wb.create_sheet(title)
        ws.sheet_state = "veryHidden"
        for row in content:
            ws.append(row)
    assert items[0] == list(ITEM_FIELDS)
    target = folder / ("large.xlsx" if not bad else "large-bad.xlsx")
    wb.save(target)
    return target


def added_row(plan: Plan, output: str, item_id: str, n: int) -> list[object]:
    kind = ("activity", "activity", "benchmark", "risk")[n % 4]
    text = f"Added {kind} number {n} under output {output}."
    values: dict[str, object] = {
        "output_id": output,
        "item_id": item_id,
        "item_type": kind,
        "text": text,
        "ref": "added",
    }
    if kind == "activity":
        values.update(activity(plan.start + dt.timedelta(days=n % 700), n, text))
        if n % 50 == 0:
            values["depends_on"] = f"{output}-A1"
            values["start"] = plan.start + dt.timedelta(days=200)
    else:
        term = ("short", "medium", "long")[n % 3] if kind == "benchmark" else None
        values.update(term=term, **item_values(kind, COMPONENT, plan, term=term))
    if n % 997 == 0:  # a few mistakes, as in real returns
        values["comments"] = "=see annex"
    if n % 1009 == 1:
        values["status"] = "Planned"
    return [values.get(k) for k in KEYS]


BAD_CELLS: tuple[tuple[str, object], ...] = (
    ("start", "31/03/2027"),  # date typed as text: a warning
    ("end", "2027-02-30"),  # no such day: an error
    ("budget", "1,500"),  # number typed as text: a warning
    ("budget", "1.500"),  # two readings: an error
    ("budget", -5),  # below the minimum
    ("likelihood", 7),  # outside 1 to 5
    ("priority", "HIGH "),  # a choice read loosely
    ("priority", "urgent"),  # not a choice
    ("support", "FORCE; nobody"),  # a component not in the plan
    ("text", "=SUM(A1)"),  # text a spreadsheet reads as a formula
    ("comments", "+ see annex"),  # text a spreadsheet reads as a formula
    ("depends_on", "5.5-A999"),  # names no item
    ("item_type", ""),  # an added row without a type
    ("target_date", 46477),  # a day number in a General cell
)
"""Mistakes a large workbook can be spoilt with, one kind after the other."""


def spoilt(row: list[object], bad: float, n: int) -> list[object]:
    """The row with BAD_CELLS put in about `bad` of its cells (deterministic: by its number)."""
    if not bad:
        return row
    count = round(bad * len(row) * (n + 1)) - round(bad * len(row) * n)
    for k in range(count):
        key, value = BAD_CELLS[(n * 7 + k) % len(BAD_CELLS)]
        row[KEYS.index(key)] = value
    return row


# --- measuring -------------------------------------------------------------------------------


def median_seconds(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


TIME = Path("/usr/bin/time")
LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(code)\n"
)


def run_child(args: Iterable[str | Path]) -> tuple[float, float, int]:
    """Wall seconds, peak memory (MB) of the child alone, exit code.

    The child runs under GNU time (or a bare Python launcher): on Linux a child's maximum
    RSS starts from its parent's at fork, so measuring from this process (which holds
    pandas and the workbooks) would report this process's size.
    """
    command = [sys.executable, "-m", "missionplan", *map(str, args)]
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "peak"
        if TIME.exists():
            command = [str(TIME), "-f", "%M", "-o", str(report), *command]
        else:
            command = [sys.executable, "-c", LAUNCHER, str(report), *command]
        started = time.perf_counter()
        done = subprocess.run(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            env={**os.environ, "NO_COLOR": "1"},
            check=False,
        )
        seconds = time.perf_counter() - started
        peak_kib = int(report.read_text().split()[-1])
    return seconds, peak_kib / 1024, done.returncode


def child_median(args: list[str | Path], runs: int = RUNS) -> tuple[float, float, int]:
    results = [run_child(args) for _ in range(runs)]
    return (
        statistics.median(r[0] for r in results),
        max(r[1] for r in results),
        results[-1][2],
    )


def read_openpyxl(path: Path) -> int:
    wb = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))
    wb.close()
    return count


def read_calamine(path: Path) -> int:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return sum(
        len(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
        for name in book.sheet_names
    )


def profile_top(path: Path, lines: int = 15) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    validate_file(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(lines)
    return out.getvalue()


@dataclass(frozen=True)
class Result:
    label: str
    path: Path
    rows: int
    findings: int
    size_kb: float
    cli_s: float
    cli_mb: float
    cli_code: int
    check_s: float
    openpyxl_s: float
    calamine_s: float


def measure(label: str, path: Path) -> Result:
    report, _ = validate_file(path)
    cli_s, cli_mb, cli_code = child_median(["validate", path])
    return Result(
        label=label,
        path=path,
        rows=report.rows,
        findings=len(report.findings),
        size_kb=path.stat().st_size / 1024,
        cli_s=cli_s,
        cli_mb=cli_mb,
        cli_code=cli_code,
        check_s=median_seconds(lambda: validate_file(path)),
        openpyxl_s=median_seconds(lambda: read_openpyxl(path)),
        calamine_s=median_seconds(lambda: read_calamine(path)),
    )


def table(results: list[Result]) -> str:
    head = (
        f"{'workbook':<9} {'rows':>6} {'KB':>6} {'find.':>5} {'validate CLI':>12} {'peak MB':>8}"
        f" {'validate_file':>10} {'openpyxl':>9} {'calamine':>9} {'check/opx':>9} {'check/cal':>9}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r.label:<9} {r.rows:>6} {r.size_kb:>6.0f} {r.findings:>5}"
            f" {r.cli_s:>11.2f}s {r.cli_mb:>8.0f} {r.check_s:>9.2f}s {r.openpyxl_s:>8.2f}s"
            f" {r.calamine_s:>8.3f}s {r.check_s / r.openpyxl_s:>8.2f}x"
            f" {r.check_s / r.calamine_s:>8.1f}x"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=LARGE_ROWS, help="rows of the large workbook")
    parser.add_argument("--keep", action="store_true", help="keep the generated workbooks")
    parser.add_argument(
        "--bad", type=float, default=0.0, help="share of the large workbook's added cells spoilt"
    )
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-validate-"))
    try:
        started = time.perf_counter()
        typical, plan = typical_workbook(folder)
        large = large_workbook(typical, plan, folder, options.rows, options.bad)
        print(f"workbooks built in {time.perf_counter() - started:.1f} s in {folder}")
        help_s, help_mb, _ = child_median(["--help"])
        print(f"missionplan --help: {help_s:.2f} s (median of {RUNS}), peak {help_mb:.0f} MB")
        results = [measure("typical", typical), measure("large", large)]
        print(f"\nmedians of {RUNS} runs; peak MB is the validate child's maximum RSS")
        print("openpyxl: load_workbook(read_only) reading every row; calamine: every sheet")
        print(table(results))
        for r in results:
            if r.cli_code not in (0, 1):
                print(f"!! validate exited {r.cli_code} on {r.label}")
        big = results[-1]
        if big.check_s > SLOW_FACTOR * big.calamine_s:
            print(
                f"\nValidating the large workbook takes {big.check_s / big.calamine_s:.0f} times"
                f" the bare calamine read (more than {SLOW_FACTOR:g}); where the time goes"
                " (cProfile of validate_file, top 15 by cumulative time):"
            )
            print(profile_top(big.path))
    finally:
        if options.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
