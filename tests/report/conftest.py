"""The report's shared material: the demo's merged plan and its report, and a browser."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from missionplan.demo.run import run_demo
from missionplan.report.run import report_paths
from tests.needs import require

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Headless Chromium with nothing of its own going to the network (updates, sync, ...)."""
DEMO_TODAY = dt.date(2027, 9, 15)
DEMO_REVIEWS = ("review-2027-Q2/returned", "review-2027-Q3/returned")
"""The folders of the demo's returned review workbooks: the pack's performance section."""


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's folder: plan, register, merged plan and its report (as of DEMO_TODAY, with
    the lights of both review quarters)."""
    out = tmp_path_factory.mktemp("report-demo") / "demo"
    run_demo(out, force=False, say=lambda line: None)
    report_paths(
        out / "mission-plan.xlsx",
        out / "report.html",
        out / "plan.yaml",
        today=DEMO_TODAY,
        force=True,
        environ={},
        reviews=[out / folder for folder in DEMO_REVIEWS],
    )
    return out


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (never a browser it downloads)."""
    found = CHROMIUM.exists() and importlib.util.find_spec("playwright") is not None
    require(
        "Chromium with Playwright",
        found,
        "make browser (Debian: apt-get install chromium) and pip install playwright",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
