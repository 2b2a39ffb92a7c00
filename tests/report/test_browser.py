"""The demo's report in a real browser (headless Chromium): it loads, draws and prints.

Skipped where no Chromium can be had (tests/needs.py: fails on CI instead).
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

import pytest

from missionplan.report.model import build_report
from missionplan.report.page import render_page
from missionplan.report.run import report_paths
from tests.report.builders import TODAY, item, plan_meta, sample_items
from tests.report.conftest import DEMO_REVIEWS, DEMO_TODAY
from tests.report.test_page import HOSTILE

SECTIONS = (
    "headline", "board", "coverage", "timeline", "risks", "issues", "changes", "performance",
    "items",
)  # fmt: skip
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?!s)")
"""A page object of a PDF (not the /Pages tree above them)."""
DEMO_PAGES = 29
"""Pages of the demo's report printed on A4 landscape: headline, submissions, coverage,
timeline and risks one page each, gaps and conflicts, changes, the performance review (lights,
trend, late and overdue items: three pages), then the item list (372 items) over the rest.
Changes when the demo's plan or the page's layout does."""


class Visit:
    """A page opened in the browser, with every console message and request it made."""

    def __init__(self, browser: Any, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._only_the_file)
        self.page.goto(url, wait_until="load")

    def _only_the_file(self, route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()  # recorded by the request event: the test fails on it


@pytest.fixture(scope="module")
def demo_visit(browser: Any, demo_run: Path) -> Any:
    visit = Visit(browser, (demo_run / "report.html").as_uri())
    yield visit
    visit.page.close()


def test_the_report_loads_without_errors_or_any_request_beyond_its_file(
    demo_visit: Visit, demo_run: Path
) -> None:
    assert demo_visit.errors == []
    assert [m for m in demo_visit.console if m.startswith(("error", "warning"))] == []
    assert demo_visit.requests == [(demo_run / "report.html").as_uri()]


def test_every_section_is_there_and_visible(demo_visit: Visit) -> None:
    for section in SECTIONS:
        assert demo_visit.page.locator(f"section#{section}").is_visible(), section
    assert demo_visit.page.locator("#board tbody tr").count() == 21  # the demo's components
    assert demo_visit.page.locator("#timeline svg rect").count() > 50
    assert demo_visit.page.locator("#performance svg circle").count() > 20  # lights and trend


def test_a_screenshot_is_not_blank(demo_visit: Visit) -> None:
    shot = demo_visit.page.screenshot(full_page=False)
    pixels = png_pixels(shot)
    assert len(set(pixels)) > 20  # text, bars and figures in several colours
    assert pixels.count((255, 255, 255)) < 0.95 * len(pixels)


def test_the_printed_pack_has_the_expected_pages(demo_visit: Visit, tmp_path: Path) -> None:
    pdf = demo_visit.page.pdf(format="A4", landscape=True, print_background=True)
    (tmp_path / "pack.pdf").write_bytes(pdf)
    assert len(PAGE_OBJECT.findall(pdf)) == DEMO_PAGES


def test_sorting_a_column_reorders_its_rows(demo_visit: Visit) -> None:
    page = demo_visit.page
    header = page.locator("#board th", has_text="Component")
    header.click()
    first = page.locator("#board tbody tr td:first-child").all_inner_texts()
    assert first == sorted(first, key=str.lower) or first == sorted(first)
    assert header.get_attribute("aria-sort") == "ascending"
    assert demo_visit.errors == []


def test_the_french_report_loads_and_sorts_in_french(
    browser: Any, demo_run: Path, tmp_path: Path
) -> None:
    target = tmp_path / "dossier.html"
    report_paths(demo_run / "mission-plan.xlsx", target, demo_run / "plan.yaml",
                 today=DEMO_TODAY, environ={}, language="fr",
                 reviews=[demo_run / folder for folder in DEMO_REVIEWS])  # fmt: skip
    visit = Visit(browser, target.as_uri())
    assert visit.errors == [] and visit.requests == [target.as_uri()]
    page = visit.page
    assert page.evaluate("document.documentElement.lang") == "fr"
    for section in SECTIONS:
        assert page.locator(f"section#{section}").is_visible(), section
    assert page.locator("#headline h2").inner_text() == "Vue d'ensemble"
    header = page.locator("#board th", has_text="Composante")
    header.click()
    first = page.locator("#board tbody tr td:first-child").all_inner_texts()
    assert first == sorted(first, key=str.lower) or first == sorted(first)
    assert page.locator("#performance svg circle").count() > 20
    visit.page.close()


def test_hostile_texts_run_nothing_in_the_browser(browser: Any, tmp_path: Path) -> None:
    items = [*sample_items(), item("1.1-R9", "risk", text=HOSTILE, likelihood=5, impact=5)]
    target = tmp_path / "hostile.html"
    target.write_text(render_page(build_report(plan_meta(), items, TODAY)), encoding="utf-8")
    visit = Visit(browser, target.as_uri())
    assert visit.dialogs == [] and visit.errors == []
    assert visit.requests == [target.as_uri()]  # the <img src=x> stayed text
    assert HOSTILE in visit.page.locator("#item-1\\.1-R9").inner_text()
    visit.page.close()


def png_pixels(png: bytes) -> list[tuple[int, ...]]:
    """The RGB pixels of a PNG screenshot (8-bit RGB or RGBA, no interlace), unfiltered."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    data = b""
    while at < len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        kind = png[at + 4 : at + 8]
        body = png[at + 8 : at + 8 + length]
        if kind == b"IDAT":
            data += body
        else:
            chunks[kind] = body
        at += 12 + length
    header = chunks[b"IHDR"]
    width, height = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:8], "big")
    channels = {2: 3, 6: 4}[header[9]]
    raw = zlib.decompress(data)
    stride = width * channels
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (
                    line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)
                ) & 255
        rows.append(line)
        previous = line
    return [tuple(row[x : x + 3]) for row in rows for x in range(0, stride, channels)]
