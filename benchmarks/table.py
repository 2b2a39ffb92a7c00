"""`make bench`: one table of every job the issue measures, each against a floor in the same run.

Run from the project folder:  .venv/bin/python -m benchmarks.table [--runs 3] [--huge]

Every job is a fresh `python -m missionplan ...` process (wall time, and its peak memory
from GNU time), and so is every floor, so both pay the same interpreter start-up and the
same load on this shared machine; a job and its floor run alternately. Times are medians
of `--runs` runs. Our package is byte-compiled first, as pip compiles an installed one. The
floors:

- start-up: a bare `python -c pass` (the goal is an absolute 0.2 s);
- validating one workbook: `import pandera.pandas` plus a bare python-calamine read of
  every sheet of the same file (`--huge` adds 200,000 rows, 5% of the added cells spoilt
  by bench_validate's BAD_CELLS);
- validating many workbooks (30 copies of the typical ~430-row workbook): the same
  import plus a bare read of every file;
- merge (bench_merge's 20 components): `missionplan validate` of the same files;
- export: none (the goal is 0.15 s a workbook; the ratio column is seconds a workbook
  over that goal);
- the demo: the demo as it was before issue 14 (commit BEFORE_ISSUE_14, taken with
  `git archive` into a temporary folder), run in the same run; the goal is half of it.

Not a test: it prints the table (the README's Performance section is its output).
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import bench_merge, bench_register, bench_validate

ROOT = Path(__file__).resolve().parent.parent
TIME = Path("/usr/bin/time")
EXPORT_GOAL_S = 0.15
MANY_FILES = 30
HUGE_ROWS = 200_000
BAD_SHARE = 0.05
BEFORE_ISSUE_14 = "6b44b80"
"""The last commit before the issue's work began (the next one added this table)."""


FLOOR_READ = (
    "import sys, pandera.pandas, python_calamine\n"
    "for path in sys.argv[1:]:\n"
    "    book = python_calamine.CalamineWorkbook.from_path(path)\n"
    "    for name in book.sheet_names:\n"
    "        book.get_sheet_by_name(name).to_python(skip_empty_area=False)\n"
)


@dataclass(frozen=True)
class Timing:
    seconds: float
    peak_mb: float
    code: int


def run(
    command: Sequence[str | Path], env: Mapping[str, str] | None = None, cwd: Path = ROOT
) -> Timing:
    """One process (in cwd, with env added): wall seconds, its own peak memory (MB, GNU
    time), exit code."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "peak"
        full = [str(c) for c in command]
        if TIME.exists():
            full = [str(TIME), "-f", "%M", "-o", str(report), *full]
        started = time.perf_counter()
        done = subprocess.run(
            full,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
            env={**os.environ, "NO_COLOR": "1", **(env or {})},
            check=False,
        )
        seconds = time.perf_counter() - started
        peak = int(report.read_text().split()[-1]) / 1024 if report.exists() else 0.0
    return Timing(seconds, peak, done.returncode)


def summary(timings: Sequence[Timing]) -> Timing:
    """The median seconds and the highest peak of several runs of one command."""
    return Timing(
        statistics.median(t.seconds for t in timings),
        max(t.peak_mb for t in timings),
        timings[-1].code,
    )


def median(
    command: Sequence[str | Path], runs: int, env: Mapping[str, str] | None = None
) -> Timing:
    return summary([run(command, env) for _ in range(runs)])


def paired(
    job: Sequence[str | Path], floor: Sequence[str | Path], runs: int
) -> tuple[Timing, Timing]:
    """A job and its floor run alternately, so a change in the machine's load falls on both."""
    jobs: list[Timing] = []
    floors: list[Timing] = []
    for _ in range(runs):
        jobs.append(run(job))
        floors.append(run(floor))
    return summary(jobs), summary(floors)


def compiled(folder: Path) -> None:
    """Byte-compile a source tree, as pip does when it installs a package.

    The floors' libraries were compiled when pip installed them; our package is installed
    in place (editable), and where PYTHONDONTWRITEBYTECODE is set every run would compile
    it again. Compiling first puts the job and its floor on the same footing.
    """
    compileall.compile_dir(str(folder), quiet=1)


def missionplan(*args: str | Path) -> list[str | Path]:
    return [sys.executable, "-m", "missionplan", *args]


@dataclass(frozen=True)
class Row:
    job: str
    size: str
    timing: Timing
    floor_name: str
    floor_s: float | None
    goal: str

    @property
    def ratio(self) -> float | None:
        return self.timing.seconds / self.floor_s if self.floor_s else None


def table(rows: list[Row]) -> str:
    head = (
        f"| {'job':<28} | {'size':<22} | {'median':>7} | {'floor':<38} | {'ratio':>6}"
        f" | {'peak MB':>7} | {'goal':<14} |"
    )
    lines = [head, "|" + "|".join("-" * (len(p)) for p in head.split("|")[1:-1]) + "|"]
    for r in rows:
        floor = f"{r.floor_name} {r.floor_s:.2f} s" if r.floor_s else r.floor_name
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        lines.append(
            f"| {r.job:<28} | {r.size:<22} | {r.timing.seconds:>6.2f}s | {floor:<38} |"
            f" {ratio:>6} | {r.timing.peak_mb:>7.0f} | {r.goal:<14} |"
        )
    return "\n".join(lines)


def make_inputs(folder: Path, large_rows: int, huge: bool) -> dict[str, object]:
    """The workbooks: a typical one, large ones, 30 typical ones, bench_merge's 20 filled ones."""
    typical, plan = bench_validate.typical_workbook(folder)
    large = bench_validate.large_workbook(typical, plan, folder, large_rows)
    made: dict[str, object] = {"typical": typical, "large": large}
    if huge:
        huge_folder = folder / "huge"
        huge_folder.mkdir()
        made["huge"] = bench_validate.large_workbook(
            typical, plan, huge_folder, HUGE_ROWS, bad=BAD_SHARE
        )
    made["thirty"] = bench_register.variants(typical, folder / "thirty", MANY_FILES)
    many = folder / "many"
    many.mkdir()
    bench_merge.make_workbooks(many)
    made["many"] = sorted(p for p in many.glob("*.xlsx"))
    made["plan"] = many / bench_merge.PLAN_FILE
    return made


def rows_of(path: Path) -> int:
    from missionplan.validate.run import validate_file

    return validate_file(path)[0].rows


def old_demo(folder: Path) -> Path | None:
    """The code as it was before issue 14, for the demo's floor; None outside a git checkout."""
    target = folder / "before-issue-14"
    target.mkdir()
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", BEFORE_ISSUE_14],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return target


def measure(made: dict[str, object], folder: Path, runs: int) -> list[Row]:
    rows: list[Row] = []
    bare = median([sys.executable, "-c", "pass"], runs)
    for args in (["--help"], ["--version"], ["catalog"], ["validate", "--codes"]):
        rows.append(
            Row(
                f"missionplan {' '.join(args)}",
                "",
                median(missionplan(*args), runs),
                "python -c pass",
                bare.seconds,
                "<= 0.2 s",
            )
        )
    for label in ("typical", "large", "huge"):
        if label not in made:
            continue
        path = made[label]
        assert isinstance(path, Path)
        size = f"{rows_of(path):,} rows"
        if label == "huge":
            size += f", {BAD_SHARE:.0%} bad"
        job, floor = paired(
            missionplan("validate", path), [sys.executable, "-c", FLOOR_READ, path], runs
        )
        goal = {"typical": "", "large": "<= 1.5x", "huge": "<= 2x"}[label]
        rows.append(
            Row(
                "validate (one workbook)",
                size,
                job,
                "import pandera + calamine read",
                floor.seconds,
                goal,
            )
        )
    thirty = made["thirty"]
    assert isinstance(thirty, list)
    job, floor = paired(
        missionplan("validate", *thirty), [sys.executable, "-c", FLOOR_READ, *thirty], runs
    )
    rows.append(
        Row(
            "validate (many workbooks)",
            f"{len(thirty)} files, {rows_of(thirty[0]) * len(thirty):,} rows",
            job,
            f"import pandera + {len(thirty)} reads",
            floor.seconds,
            "<= 1.3x",
        )
    )
    many = made["many"]
    assert isinstance(many, list)
    plan_file = made["plan"]
    assert isinstance(plan_file, Path)
    size = f"{len(many)} files, {sum(rows_of(p) for p in many):,} rows"
    merged = folder / "merged.xlsx"
    job, validated = paired(
        missionplan("merge", *many, "-p", plan_file, "-o", merged, "--force"),
        missionplan("validate", *many),
        runs,
    )
    rows.append(Row("merge", size, job, "validate of the same files", validated.seconds, "<= 1.3x"))
    exported = folder / "exported"
    export = median(missionplan("export", plan_file, "-o", exported, "--force"), runs)
    count = len(list(exported.glob("*.xlsx")))
    rows.append(
        Row(
            "export (s a workbook)",
            f"{count} workbooks",
            Timing(export.seconds / count, export.peak_mb, export.code),
            f"goal {EXPORT_GOAL_S} s a workbook",
            EXPORT_GOAL_S,
            "<= 1x",
        )
    )
    rows.append(demo_row(folder, runs))
    return rows


def demo_row(folder: Path, runs: int) -> Row:
    """The demo now and as it was before issue 14, alternately, in the same run."""
    before = old_demo(folder)
    if before is not None:
        compiled(before)
    now_runs: list[Timing] = []
    before_runs: list[Timing] = []
    for _ in range(runs):
        now_runs.append(run(missionplan("demo", "--out", folder / "demo", "--force")))
        if before is not None:  # run from its folder: `-m` puts the folder first on the path
            old = missionplan("demo", "--out", folder / "old-demo", "--force")
            before_runs.append(run(old, {"PYTHONPATH": str(before)}, cwd=before))
    now = summary(now_runs)
    floor = statistics.median(t.seconds for t in before_runs) if before_runs else None
    return Row("demo (whole cycle)", "", now, "the demo before issue 14", floor, "<= 0.5x")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each job (median)")
    parser.add_argument("--rows", type=int, default=40_000, help="rows of the large workbook")
    parser.add_argument("--huge", action="store_true", help="also 200,000 rows (slow to make)")
    parser.add_argument("--keep", action="store_true", help="keep the generated workbooks")
    options = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-table-"))
    try:
        compiled(ROOT / "missionplan")
        started = time.perf_counter()
        made = make_inputs(folder, options.rows, options.huge)
        print(f"inputs made in {time.perf_counter() - started:.0f} s", flush=True)
        rows = measure(made, folder, options.runs)
        print(
            f"\n{dt.date.today()}, {os.cpu_count()} cores; medians of {options.runs} runs,"
            " each job and each floor a fresh process, run alternately in the same run\n"
        )
        print(table(rows))
        for r in rows:
            if r.timing.code not in (0, 1):
                print(f"!! {r.job} {r.size} exited {r.timing.code}")
    finally:
        if options.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
