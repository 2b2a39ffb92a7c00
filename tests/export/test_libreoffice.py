"""Exported workbooks survive a LibreOffice re-save: metadata, items, sheets, validations, ids."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from missionplan.export.run import export_workbooks
from missionplan.planning.framework import Framework, load_framework
from missionplan.planning.plan import Plan, load_plan, starter_plan_text
from missionplan.schema.contract import COLUMNS
from missionplan.schema.text import cell_text
from missionplan.workbook.metadata import ITEMS_SHEET, META_SHEET

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

CODES = ["PAD", "JCS"]
IN_SCOPE = {"3.2", "3.4", "5.2", "5.3"}
ID_COLUMNS = [i for i, c in enumerate(COLUMNS, start=1) if c.key in ("output_id", "item_id")]
SOFFICE_TIMEOUT = 180


def text(value: object) -> str:
    """A cell value as the string it means: 6.0 and '6' are both '6'."""
    return cell_text(value).strip()


def plan_for(framework: Framework, folder: Path) -> Plan:
    lines = starter_plan_text(framework, dt.date(2027, 1, 1)).splitlines()
    current = None
    for index, line in enumerate(lines):
        if line.startswith("  - id: '"):
            current = line.split("'")[1]
        elif line.startswith("    in_scope:") and current not in IN_SCOPE:
            lines[index] = "    in_scope: false"
    path = folder / "plan.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_plan(path, framework)


@pytest.fixture(scope="module")
def converted(
    soffice: str, tmp_path_factory: pytest.TempPathFactory
) -> list[tuple[Workbook, Workbook]]:
    """(original, LibreOffice re-save) for each component: one soffice call for all of them."""
    root = tmp_path_factory.mktemp("libreoffice")
    framework = load_framework()
    plan = plan_for(framework, root)
    originals = export_workbooks(framework, plan, root / "exported", codes=CODES)
    out = root / "lo"
    command = [
        soffice,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={(root / 'lo-profile').as_uri()}",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        *map(str, originals),
    ]
    try:
        run = subprocess.run(
            command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"soffice did not finish within {SOFFICE_TIMEOUT} s")
    pairs = []
    for original in originals:
        resaved = out / original.name
        assert resaved.exists(), (run.returncode, run.stdout, run.stderr)
        pairs.append((openpyxl.load_workbook(original), openpyxl.load_workbook(resaved)))
    return pairs


def objective_sheets(wb: Workbook) -> list[Worksheet]:
    hidden = {META_SHEET, ITEMS_SHEET, "_lists", "Instructions"}
    return [ws for ws in wb.worksheets if ws.title not in hidden]


def rows_as_text(ws: Worksheet, width: int) -> list[list[str]]:
    rows = [[text(v) for v in row[:width]] for row in ws.iter_rows(values_only=True)]
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def test_meta_means_the_same(converted: list[tuple[Workbook, Workbook]]) -> None:
    for original, resaved in converted:
        before = dict(rows_as_text(original[META_SHEET], 2))
        after = dict(rows_as_text(resaved[META_SHEET], 2))
        assert after == before
        assert before["component"] in CODES
        assert after["short_term_months"] == "6"


def test_items_and_fingerprints_are_unchanged(converted: list[tuple[Workbook, Workbook]]) -> None:
    for original, resaved in converted:
        before = rows_as_text(original[ITEMS_SHEET], 8)
        after = rows_as_text(resaved[ITEMS_SHEET], 8)
        assert len(before) > 1
        assert after == before
        fingerprints = [row[5] for row in after[1:] if row[4] != "added"]
        assert fingerprints and all(len(f) == 16 for f in fingerprints)


def test_objective_sheets_and_headers_are_unchanged(
    converted: list[tuple[Workbook, Workbook]],
) -> None:
    for original, resaved in converted:
        titles = [ws.title for ws in objective_sheets(original)]
        assert titles
        assert [ws.title for ws in objective_sheets(resaved)] == titles
        assert resaved.sheetnames == original.sheetnames
        for title in titles:
            headers = [c.value for c in resaved[title][1]][: len(COLUMNS)]
            assert headers == [c.header for c in COLUMNS]
            assert rows_as_text(resaved[title], len(COLUMNS)) == rows_as_text(
                original[title], len(COLUMNS)
            )


def test_validations_keep_their_ranges(converted: list[tuple[Workbook, Workbook]]) -> None:
    for original, resaved in converted:
        for ws in objective_sheets(original):

            def ranges(sheet: Worksheet) -> set[tuple[str, str, str]]:
                # "any value" has no formula; LibreOffice writes it type="none" with a 0
                return {
                    (dv.type or "none", str(dv.sqref), (dv.formula1 or "") if dv.type else "")
                    for dv in sheet.data_validations.dataValidation
                }

            before = ranges(ws)
            assert before
            assert ranges(resaved[ws.title]) == before, ws.title
        assert set(resaved.defined_names) >= set(original.defined_names)


def test_every_column_keeps_its_input_message(converted: list[tuple[Workbook, Workbook]]) -> None:
    # the README's "input message on every column from the contract's help", after a re-save
    for original, resaved in converted:
        for ws in objective_sheets(original):

            def messages(sheet: Worksheet) -> dict[int, tuple[str, str, bool, str]]:
                """Column number -> (prompt title, prompt, shown on select, range)."""
                found = {}
                for dv in sheet.data_validations.dataValidation:
                    (cells,) = dv.sqref.ranges  # one range per column
                    assert cells.min_col == cells.max_col, cells.coord
                    assert cells.min_col not in found, cells.coord
                    message = (dv.promptTitle, dv.prompt, dv.showInputMessage, cells.coord)
                    found[cells.min_col] = message
                return found

            before, after = messages(ws), messages(resaved[ws.title])
            assert after == before, ws.title
            assert sorted(after) == list(range(1, len(COLUMNS) + 1)), ws.title
            for index, column in enumerate(COLUMNS, start=1):
                title, prompt, shown, _ = after[index]
                assert (title, prompt, shown) == (column.header, column.help, True), ws.title


def test_id_cells_are_still_text(converted: list[tuple[Workbook, Workbook]]) -> None:
    for _, resaved in converted:
        for ws in objective_sheets(resaved):
            ids = 0
            for row in ws.iter_rows(min_row=2, max_col=max(ID_COLUMNS)):
                if not row[ID_COLUMNS[-1] - 1].value:
                    continue  # a band row
                for col in ID_COLUMNS:
                    cell = row[col - 1]
                    assert cell.data_type == "s", cell.coordinate
                    assert cell.number_format == "@", cell.coordinate
                ids += 1
            assert ids
