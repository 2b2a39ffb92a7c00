"""Benchmark the review pack: the demo's report, its size and its render time in Chromium.

Run from the project folder:  .venv/bin/python -m benchmarks.bench_report [--screenshot PNG]

Runs the demo into a temporary folder, then times writing the report (`report_paths`, a
library call) and loading it in headless Chromium (Debian's /usr/bin/chromium through
Playwright: from navigation to the load event, and to the first screenshot of its top).
Goals (issue 13): the file under 2 MB, the render under 2 s. Times are medians of 5 runs.
With --screenshot, the first screen of the report is saved there (docs/report.png).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from missionplan.demo.run import run_demo
from missionplan.report.run import report_paths

RUNS = 5
TODAY = dt.date(2027, 9, 15)
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SIZE_GOAL = 2 * 1024 * 1024
RENDER_GOAL = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshot", type=Path, help="save the report's first screen here")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo"
        run_demo(demo, force=False, say=lambda line: None)
        merged, plan, out = demo / "mission-plan.xlsx", demo / "plan.yaml", demo / "pack.html"
        writes = []
        for _ in range(RUNS):
            started = time.perf_counter()
            report_paths(merged, out, plan, today=TODAY, force=True, environ={})
            writes.append(time.perf_counter() - started)
        size = out.stat().st_size
        loads, shots = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for run in range(RUNS):
                page = browser.new_page(viewport={"width": 1280, "height": 860})
                started = time.perf_counter()
                page.goto(out.as_uri(), wait_until="load")
                loads.append(time.perf_counter() - started)
                page.screenshot()
                shots.append(time.perf_counter() - started)
                if run == 0 and options.screenshot:
                    page.screenshot(path=str(options.screenshot))
                page.close()
            browser.close()
    render = statistics.median(loads)
    print(f"report of the demo's plan: {size / 1024:.0f} KiB (goal < {SIZE_GOAL // 1024} KiB)")
    print(f"write the report (library call): {statistics.median(writes):.2f} s")
    print(f"render in headless Chromium (to load): {render:.2f} s (goal < {RENDER_GOAL:.0f} s); "
          f"to the first screenshot: {statistics.median(shots):.2f} s")  # fmt: skip
    if size >= SIZE_GOAL or render >= RENDER_GOAL:
        raise SystemExit("report benchmark: a goal is missed")


if __name__ == "__main__":
    main()
