"""The Summary's charts and coloured matrices: where they go, what they draw, what they read.

The pure parts (the boxes on the chart page, the quarter totals, the funding sources
drawn) are checked on their own, by hand and by property; the written workbook is opened
as a zip to see the chart parts and the ranges they read; LibreOffice re-saves it and the
charts, and the plan's findings, are still there.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet

from missionplan.merge.charts import (
    MAX_CHART_ROWS,
    ROW_HEIGHT,
    Box,
    chart_page,
    drawn_sources,
    quarter_totals,
    total_row,
)
from missionplan.merge.rules import framework_order, merge
from missionplan.merge.writer import SUMMARY_SHEET, write_merged_plan
from missionplan.planning.framework import Framework
from missionplan.planning.plan import Plan
from missionplan.schema.language import FRENCH, speaking, translate
from missionplan.validate.run import validate_file
from tests.merge.builders import accepted, activity, complete_output, risk

SOFFICE_TIMEOUT = 300
TITLES = (
    "Budget (USD) per objective and funding source",
    "Activities under way per quarter",
    "Items per component",
)


# --- the pure parts ---------------------------------------------------------------------------


def test_the_chart_page_of_a_wide_sheet() -> None:
    page = chart_page([100.0] * 10, top=40, room=700.0)
    rows = MAX_CHART_ROWS  # 700 points would hold more: 20 rows is the tallest
    assert page.budget == Box(1, 40, 8, 40 + rows)  # 62 % of 1,000 points: after column 7
    assert page.quarters == Box(1, 41 + rows, 8, 41 + 2 * rows)
    assert page.components == Box(8, 40, 11, 41 + 2 * rows)
    assert page.last_column == 10
    assert page.rows == range(40, 41 + 2 * rows)


def test_a_short_page_gets_shorter_charts() -> None:
    page = chart_page([100.0] * 10, top=1, room=400.0)
    # (400 / 15 - 1) / 2 = 12.8: two charts of 12 rows and the row between them
    assert page.budget.bottom - page.budget.top == 12
    assert (page.quarters.bottom - 1) * ROW_HEIGHT <= 400.0


@given(
    widths=st.lists(st.floats(min_value=20, max_value=320), min_size=2, max_size=30),
    top=st.integers(min_value=2, max_value=500),
    room=st.floats(min_value=320, max_value=1200),
)
def test_charts_never_overlap_and_stay_within_the_sheet(
    widths: list[float], top: int, room: float
) -> None:
    page = chart_page(widths, top, room)
    boxes = (page.budget, page.quarters, page.components)
    for box in boxes:
        assert 1 <= box.first_column < box.end_column <= len(widths) + 1, box
        assert top <= box.top < box.bottom <= page.rows.stop, box
    assert page.budget.bottom < page.quarters.top  # one above the other, a row between
    assert page.budget.end_column == page.quarters.end_column == page.components.first_column
    assert (page.rows.stop - page.rows.start) * ROW_HEIGHT <= max(room, 21 * ROW_HEIGHT)


def test_quarter_totals_add_every_output() -> None:
    rows = [("3.1", 1, 2, 0), ("4.5", 3, 0, 1), ("5.2", None, 1, 1)]
    assert quarter_totals(rows, 3) == (4, 3, 2)
    assert total_row(rows, 3) == ("All outputs", 4, 3, 2)
    assert quarter_totals([], 2) == (0, 0)


@given(st.lists(st.lists(st.integers(0, 50), min_size=4, max_size=4), max_size=25))
def test_quarter_totals_count_each_activity_quarter_once(counts: list[list[int]]) -> None:
    rows = [(f"o{i}", *row) for i, row in enumerate(counts)]
    assert sum(quarter_totals(rows, 4)) == sum(map(sum, counts))


def test_only_funding_sources_with_money_are_drawn() -> None:
    rows = [("3 Political", 10.0, 0, 0, 5), ("4 Secure", 0, 0, 0, 0)]
    assert drawn_sources(rows, 4) == (2, 5)
    assert drawn_sources([("3 Political", 0, 0.0, None)], 3) == (2,)  # nothing: one series


# --- the written workbook ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(framework: Framework, plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    unpol = accepted(
        "UNPOL",
        *complete_output("4.5", "UNPOL"),
        risk("4.5-R1", likelihood=4, impact=5),
    )
    jcs = accepted("JCS", activity("4.5-A1", "JCS"), *complete_output("5.2", "JCS"))
    merged = merge([unpol, jcs], plan, framework_order(framework))
    path = tmp_path_factory.mktemp("charts") / "mission-plan.xlsx"
    inputs = [("returned/UNPOL.xlsx", "merged"), ("returned/JCS.xlsx", "merged")]
    write_merged_plan(path, framework, plan, merged, inputs)
    return path


@pytest.fixture(scope="module")
def summary(book: Path) -> Worksheet:
    return openpyxl.load_workbook(book)[SUMMARY_SHEET]


def title_row(ws: Worksheet, start: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith(start))


def chart_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name).decode()
            for name in sorted(archive.namelist())
            if re.fullmatch(r"xl/charts/chart\d+\.xml", name)
        }


def references(xml: str) -> list[str]:
    return re.findall(r"<(?:c:)?f>([^<]+)</(?:c:)?f>", xml)


def titled(parts: dict[str, str]) -> dict[str, str]:
    """Each chart part by the title it shows."""
    found = {}
    for xml in parts.values():
        (title,) = [t for t in TITLES if t in xml.replace("&amp;", "&")]
        found[title] = xml
    return found


def test_three_charts_read_the_summary_tables(book: Path, summary: Worksheet) -> None:
    charts = titled(chart_parts(book))
    assert set(charts) == set(TITLES)
    budget = title_row(summary, "Budget") + 1  # the header row of the budget table
    last = budget + 4  # four objectives
    assert summary.cell(budget, 2).value == "assessed budget"
    refs = references(charts[TITLES[0]])
    assert f"'Summary'!$A${budget + 1}:$A${last}" in refs  # the objectives
    series = [
        r for r in refs if re.fullmatch(rf"'Summary'!\$[B-I]\${budget + 1}:\$[B-I]\${last}", r)
    ]
    assert series, refs  # funding sources with money, never the Total (column J)
    assert not any("$J$" in r for r in refs)
    timeline = title_row(summary, "Activities under way") + 1
    end = next(r for r in range(timeline, summary.max_row) if summary.cell(r, 1).value is None)
    assert summary.cell(end - 1, 1).value == "All outputs"
    assert summary.cell(end - 1, 2).value == sum(
        summary.cell(r, 2).value for r in range(timeline + 1, end - 1)
    )
    refs = references(charts[TITLES[1]])
    assert any(r.startswith(f"'Summary'!$B${end - 1}:") for r in refs), refs  # the totals
    assert any(r.startswith(f"'Summary'!$B${timeline}:") for r in refs), refs  # the quarters
    components = title_row(summary, "Items per component") + 1
    refs = references(charts[TITLES[2]])
    for column in "BC":  # owned and added items, named by their header
        assert f"'Summary'!{column}{components}" in refs, refs
        assert any(r.startswith(f"'Summary'!${column}${components + 1}:") for r in refs), refs


def test_the_charts_sit_under_the_tables_on_a_printed_page_of_their_own(
    book: Path, summary: Worksheet
) -> None:
    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing

    with zipfile.ZipFile(book) as archive:
        drawing = SpreadsheetDrawing.from_tree(
            openpyxl.xml.functions.fromstring(archive.read("xl/drawings/drawing1.xml"))
        )
    anchors = drawing.twoCellAnchor
    assert len(anchors) == 3
    charts = title_row(summary, "Charts")
    assert any(b.id == charts - 1 for b in summary.row_breaks.brk)  # a page of their own
    last_cell = max(c.row for row in summary.iter_rows() for c in row if c.value is not None)
    assert last_cell == charts  # no table under the charts' title
    _, area = summary.print_area.split("!")
    right, bottom = re.fullmatch(r"\$A\$1:\$([A-Z]+)\$(\d+)", area).groups()  # type: ignore[union-attr]
    last_column = openpyxl.utils.column_index_from_string(right)
    assert last_column == summary.max_column  # the charts are no wider than the tables
    for anchor in anchors:
        first, to = anchor._from, anchor.to
        assert first.row + 1 > charts and to.col <= last_column and to.row <= int(bottom)
    boxes = [(a._from.col, a._from.row, a.to.col, a.to.row) for a in anchors]
    for (c0, r0, c1, r1), (d0, s0, d1, s1) in itertools.combinations(boxes, 2):
        assert c1 <= d0 or d1 <= c0 or r1 <= s0 or s1 <= r0, "charts overlap"


def test_the_coverage_and_risk_matrices_are_coloured(summary: Worksheet) -> None:
    rules = {str(cf.sqref): [r.type for r in cf.rules] for cf in summary.conditional_formatting}
    coverage = title_row(summary, "Coverage") + 1
    risks = title_row(summary, "Risks by likelihood") + 1
    assert rules[f"B{risks + 1}:F{risks + 5}"] == ["colorScale"]
    (cells,) = [ref for ref in rules if ref.startswith(f"B{coverage + 1}:")]
    assert rules[cells] == ["expression"] * 3


def test_the_same_merge_gives_the_same_parts(
    framework: Framework, plan: Plan, book: Path, tmp_path: Path
) -> None:
    first = chart_parts(book)
    unpol = accepted(
        "UNPOL", *complete_output("4.5", "UNPOL"), risk("4.5-R1", likelihood=4, impact=5)
    )
    jcs = accepted("JCS", activity("4.5-A1", "JCS"), *complete_output("5.2", "JCS"))
    merged = merge([unpol, jcs], plan, framework_order(framework))
    again = tmp_path / "again.xlsx"
    inputs = [("returned/UNPOL.xlsx", "merged"), ("returned/JCS.xlsx", "merged")]
    write_merged_plan(again, framework, plan, merged, inputs)
    second = chart_parts(again)
    assert first == second
    with zipfile.ZipFile(book) as one, zipfile.ZipFile(again) as other:  # every part the same
        assert one.namelist() == other.namelist()
        assert all(one.read(name) == other.read(name) for name in one.namelist())


# --- through LibreOffice -----------------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.slow
def test_the_charts_and_the_plan_survive_a_libreoffice_resave(
    soffice: str, book: Path, plan: Plan, tmp_path: Path
) -> None:
    out = tmp_path / "lo"
    command = [
        soffice, "--headless", "--norestore",
        f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
        "--convert-to", "xlsx", "--outdir", str(out), str(book),
    ]  # fmt: skip
    try:
        run = subprocess.run(
            command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"soffice did not finish within {SOFFICE_TIMEOUT} s")
    resaved = out / book.name
    assert resaved.exists(), (run.returncode, run.stdout, run.stderr)
    before, after = titled(chart_parts(book)), titled(chart_parts(resaved))
    assert set(after) == set(TITLES)
    for title in TITLES:  # each chart still reads the same cells ($ and quotes aside)

        def cells(xml: str) -> set[str]:
            return {r.replace("$", "").replace("'", "") for r in references(xml)}

        assert cells(after[title]) == cells(before[title]), title
    found = {
        str(cf.sqref)
        for cf in openpyxl.load_workbook(resaved)[SUMMARY_SHEET].conditional_formatting
    }
    assert len(found) == 2, found  # coverage and risks still coloured
    original, copy = validate_file(book, plan)[0], validate_file(resaved, plan)[0]
    assert copy.rows == original.rows and not copy.unreadable
    assert [(f.code, f.cell) for f in copy.findings] == [
        (f.code, f.cell) for f in original.findings
    ]


def test_the_charts_speak_the_plans_language(
    framework: Framework, plan: Plan, tmp_path: Path
) -> None:
    merged = merge(
        [accepted("UNPOL", *complete_output("4.5", "UNPOL"))], plan, framework_order(framework)
    )
    path = tmp_path / "plan-fr.xlsx"
    with speaking(FRENCH):
        write_merged_plan(path, framework, plan, merged, [("returned/UNPOL.xlsx", "merged")])
        expected = [translate(title) for title in TITLES]
    assert expected[0] == "Budget (USD) par objectif et source de financement"
    shown = "".join(chart_parts(path).values())
    assert all(title in shown for title in expected), expected
    ws = openpyxl.load_workbook(path)[translate(SUMMARY_SHEET, FRENCH)]  # Synthèse
    assert title_row(ws, "Graphiques")  # the charts' page title
    assert any(row[0] == "Tous les produits" for row in ws.iter_rows(values_only=True))
