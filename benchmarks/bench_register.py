"""Benchmark the register: collecting 30 returned workbooks, and `status` on 1,000 entries.

Run from the project folder:  .venv/bin/python -m benchmarks.bench_register [--db URL]

Collecting is compared with validating the same 30 files in the same run (validate_files):
the register's part is the ratio above 1. `status` runs on a register of 1,000 entries, as a
library call and as `missionplan status` in a child process, less `missionplan --help`
(start-up). SQLite in a temporary folder unless --db names a PostgreSQL database (emptied of
nothing: give a new one). Times are medians.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_validate import typical_workbook
from missionplan.collect.run import collect_paths
from missionplan.collect.status import status
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import load_plan
from missionplan.register.database import now_text, open_register
from missionplan.register.entries import VALID, NewEntry, add_entry
from missionplan.validate.run import validate_files

ROOT = Path(__file__).resolve().parent.parent
FILES = 30
ENTRIES = 1_000
RUNS = 5


def median(run: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def variants(source: Path, folder: Path, count: int) -> list[Path]:
    """count copies with distinct bytes (a zip comment each): distinct submissions."""
    folder.mkdir()
    made = []
    for n in range(count):
        target = folder / f"UNPOL-{n:02}.xlsx"
        target.write_bytes(source.read_bytes())
        with zipfile.ZipFile(target, "a") as archive:
            archive.comment = f"version {n}".encode()
        made.append(target)
    return made


def fill_register(url: str, plan_id: str, codes: list[str], count: int) -> None:
    register = open_register(url, create=True)
    assert register is not None
    for n in range(count):
        content = f"entry {n}".encode() * 200
        add_entry(
            register,
            NewEntry(content, hashlib.sha256(content).hexdigest(), f"f{n}.xlsx", f"/in/f{n}.xlsx",
                     now_text(), "", plan_id, plan_id, codes[n % len(codes)], 1, "3", VALID, "",
                     0, 2, 400, ({"code": "c", "severity": "warning", "sheet": "S", "cell": "A1",
                                  "column": "", "item_id": "", "value": "", "message": "m"},), "b"),
        )  # fmt: skip
    register.close()


def child(args: list[str]) -> float:
    def run() -> None:
        subprocess.run([sys.executable, "-m", "missionplan", *args], cwd=ROOT, check=False,
                       capture_output=True)  # fmt: skip

    return median(run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a new, empty PostgreSQL database URL (SQLite by default)")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-register-"))
    typical, plan = typical_workbook(folder)
    plan_file = folder / "plan.yaml"
    files = variants(typical, folder / "inbox", FILES)
    rows = len(load_plan(plan_file, load_framework()).outputs)
    print(f"{FILES} workbooks of the typical UNPOL submission (~421 rows), plan of {rows} outputs")

    validating = median(lambda: validate_files(files, plan), 3)
    urls = iter(range(100))

    def collect_once() -> None:
        url = options.db if options.db else f"sqlite:///{folder / f'collect-{next(urls)}.db'}"
        collect_paths(files, plan_file, url, environ={})

    collecting = median(collect_once, 1 if options.db else 3)
    print(f"collect {FILES} files: {collecting:.2f} s; validate the same files: "
          f"{validating:.2f} s; ratio {collecting / validating:.2f}")  # fmt: skip

    url = options.db or f"sqlite:///{folder / 'big.db'}"
    codes = [c.code for c in plan.participants()]
    started = time.perf_counter()
    fill_register(url, plan.id, codes, ENTRIES)
    print(f"register of {ENTRIES} entries filled in {time.perf_counter() - started:.1f} s")
    in_process = median(lambda: status(plan_file, url, environ={}))
    print(f"status (library call) on {ENTRIES} entries: {in_process:.3f} s")
    startup = child(["--help"])
    loaded = child(["schema", "--plan", str(plan_file)])  # start-up with framework and plan read
    command = child(["status", "--plan", str(plan_file), "--db", url])
    print(f"missionplan status: {command:.2f} s; --help (start-up): {startup:.2f} s; "
          f"beyond start-up: {command - startup:.2f} s (goal: 0.5 s); beyond `schema --plan` "
          f"(start-up, framework and plan read): {command - loaded:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
