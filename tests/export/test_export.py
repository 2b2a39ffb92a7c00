"""Export: the workbooks written for a plan, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import textwrap
import zipfile
from collections.abc import Iterable, Iterator
from copy import copy
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
import pytest
from openpyxl.cell.cell import Cell
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import hash_password
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

import missionplan.export.run as export_module
from missionplan.cli import app
from missionplan.errors import MissionplanError
from missionplan.export.distribution import component_layout, master_layout
from missionplan.export.run import export_workbooks, select_layouts, workbook_name, write_workbooks
from missionplan.planning.framework import Framework, load_framework
from missionplan.planning.plan import Plan, load_plan, starter_plan_text
from missionplan.schema.contract import COLUMNS, CONTRACT_VERSION, ITEM_TYPES, Column
from missionplan.schema.ids import MASTER_CODE
from missionplan.schema.items import content_fingerprint
from missionplan.schema.text import cell_text
from missionplan.workbook.layout import WorkbookLayout
from missionplan.workbook.metadata import meta_for, meta_from_pairs
from tests.cli_helpers import run_main
from tests.plans import set_output

START = dt.date(2027, 1, 1)
END = dt.date(2029, 12, 31)
SLUG = "umism"  # 'UN Multidimensional Integrated Stabilization Mission'

# The edits to the starter plan: only these outputs stay in scope.
# output: (lead, support, priority)
EDITS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "3.2": ("HOM", ("MLT", "PAD", "FORCE", "UNPOL"), "high"),
    "3.4": ("PAD", ("UNDP",), "medium"),
    "5.2": ("JCS", ("MLT", "PAD"), "low"),
}
IN_SCOPE = set(EDITS)
PARTICIPANTS = ["HOM", "MLT", "PAD", "JCS", "FORCE", "UNPOL", "UNDP"]  # roster order
BOOKS = [*PARTICIPANTS, MASTER_CODE]  # every component's workbook and the master
COL = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
CHOICE_COLUMNS = [c for c in COLUMNS if c.choices is not None]
DATE_COLUMNS = [c for c in COLUMNS if c.type == "date"]
TEXT_COLUMNS = [c for c in COLUMNS if c.type == "text"]

# The README's promises (section "3. Distribute"), written out as numbers: a test that
# imported the code's own constants would follow the code wherever it went.
PREPARED_ROWS = 8  # "8 prepared empty rows under each output"
ROWS_BELOW = 30  # conditional formatting "on every prepared row and 30 rows below"
A4 = 9  # "landscape A4": OOXML's paperSize for A4


def roles_of(code: str) -> dict[str, str]:
    """What the edits make of a component: output id -> lead or support."""
    roles = {}
    for output_id, (lead, support, _) in EDITS.items():
        if lead == code:
            roles[output_id] = "lead"
        elif code in support:
            roles[output_id] = "support"
    return roles


def objectives_of(code: str) -> list[str]:
    return sorted({o.split(".")[0] for o in roles_of(code)})


# ---------------------------------------------------------------------------
# Plan text, CLI helpers.
# ---------------------------------------------------------------------------


def plan_text(framework: Framework, mission: str | None = None) -> str:
    text = starter_plan_text(framework, START)
    for output in framework.outputs:
        if output.id in EDITS:
            lead, support, priority = EDITS[output.id]
            text = set_output(
                text, output.id, lead=lead, support=f"[{', '.join(support)}]", priority=priority
            )
        else:
            text = set_output(text, output.id, in_scope="false")
    if mission is not None:
        text, count = re.subn(
            r"^  mission: .*$", lambda _: f"  mission: {json.dumps(mission)}", text, flags=re.M
        )
        assert count == 1
    return text


def invoke(*args: str) -> str:
    """Run a command through CliRunner on the typer app; it must succeed."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# ---------------------------------------------------------------------------
# Fixtures: one export through the CLI and one through export_workbooks.
# ---------------------------------------------------------------------------


class Exported:
    def __init__(self, root: Path, framework: Framework) -> None:
        self.root = root
        self.framework = framework
        self.plan_file = root / "plan.yaml"
        self.plan_file.write_text(plan_text(framework), encoding="utf-8")
        self.plan: Plan = load_plan(self.plan_file, framework)
        self.cli_dir = root / "cli"
        self.cli_output = invoke("export", str(self.plan_file), "--out", str(self.cli_dir))
        self.api_dir = root / "api"
        self.api_paths = export_workbooks(framework, self.plan, self.api_dir)
        self.books: dict[str, Workbook] = {}

    def name(self, code: str) -> str:
        return f"{SLUG}-{code}-{self.plan.id}.xlsx"

    def book(self, code: str) -> Workbook:
        """The CLI-written workbook (the master: written here), loaded once; tests only read it."""
        if code not in self.books:
            path = self.cli_dir / self.name(code)
            if code == MASTER_CODE:
                (path,) = export_workbooks(
                    self.framework, self.plan, self.root / "master", codes=[], master=True
                )
            self.books[code] = openpyxl.load_workbook(path)
        return self.books[code]

    def template(self, code: str) -> WorkbookLayout:
        component = self.plan.component(code)
        assert component is not None
        return component_layout(self.framework, self.plan, component)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, framework: Framework) -> Exported:
    return Exported(tmp_path_factory.mktemp("export"), framework)


@pytest.fixture(scope="module")
def pad(exported: Exported) -> Workbook:
    return exported.book("PAD")


def objective_sheets(wb: Workbook) -> list[Worksheet]:
    return [ws for ws in wb.worksheets[1:] if ws.sheet_state == "visible"]


def item_rows(ws: Worksheet) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    """Rows that carry an item id (framework rows and prepared added rows)."""
    for number, row in enumerate(ws.iter_rows(min_row=2, max_col=len(COLUMNS)), start=2):
        if row[COL["item_id"] - 1].value:
            yield number, row


def validations(ws: Worksheet) -> dict[str, DataValidation]:
    """The data validation of each column letter (at most one per column)."""
    found: dict[str, DataValidation] = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            min_col, _, max_col, _ = range_boundaries(cell_range.coord)
            for col in range(min_col, max_col + 1):
                letter = get_column_letter(col)
                assert letter not in found, f"two validations on column {letter}"
                found[letter] = dv
    return found


class Block(NamedTuple):
    """An output as a sheet shows it: its band row, then its item rows."""

    band: int
    output_id: str
    role: str  # "lead", "support" or "planning unit", as the band says
    rows: list[tuple[int, tuple[Cell, ...]]]


def blocks(ws: Worksheet) -> list[Block]:
    found: list[Block] = []
    for number, row in enumerate(ws.iter_rows(min_row=2, max_col=len(COLUMNS)), start=2):
        output_id, item_id = row[COL["output_id"] - 1].value, row[COL["item_id"] - 1].value
        if output_id and not item_id:
            role = re.search(r"Your role: ([a-z ]+)\.$", row[COL["text"] - 1].value)
            assert role, (ws.title, number)
            found.append(Block(number, output_id, role.group(1), []))
        elif item_id:
            found[-1].rows.append((number, row))
    return found


def last_item_row(ws: Worksheet) -> int:
    return max(n for n, _ in item_rows(ws))


def covered_rows(dv: DataValidation, col: int) -> set[int]:
    rows: set[int] = set()
    for cell_range in dv.sqref.ranges:
        min_col, min_row, max_col, max_row = range_boundaries(cell_range.coord)
        if min_col <= col <= max_col:
            rows.update(range(min_row, max_row + 1))
    return rows


def letter(column: Column) -> str:
    return get_column_letter(COL[column.key])


# ---------------------------------------------------------------------------
# Which workbooks, and their names.
# ---------------------------------------------------------------------------


def test_one_workbook_per_participating_component(exported: Exported) -> None:
    expected = sorted(exported.name(code) for code in PARTICIPANTS)
    assert listing(exported.cli_dir) == expected
    assert [c.code for c in exported.plan.participants()] == PARTICIPANTS
    for code in PARTICIPANTS:
        assert f"wrote {exported.cli_dir / exported.name(code)}" in exported.cli_output
    assert f"{len(PARTICIPANTS)} workbooks for plan {exported.plan.id}" in exported.cli_output


def test_api_writes_the_same_files_and_returns_them(exported: Exported) -> None:
    assert listing(exported.api_dir) == listing(exported.cli_dir)
    assert exported.api_paths == [exported.api_dir / exported.name(c) for c in PARTICIPANTS]


def test_names_are_predictable(exported: Exported) -> None:
    plan = exported.plan
    assert workbook_name(plan, "PAD") == f"umism-PAD-{plan.id}.xlsx"
    assert workbook_name(plan, MASTER_CODE) == f"umism-PLAN-{plan.id}.xlsx"
    short = replace(plan, mission="Test Mission")
    assert workbook_name(short, "PAD") == f"test-mission-PAD-{short.id}.xlsx"
    assert short.id != plan.id


def test_component_option_writes_just_that_component(exported: Exported, tmp_path: Path) -> None:
    out = invoke("export", str(exported.plan_file), "--out", str(tmp_path), "--component", "PAD")
    assert listing(tmp_path) == [exported.name("PAD")]
    assert "1 workbook for plan" in out
    invoke(
        "export", str(exported.plan_file), "--out", str(tmp_path / "two"),
        "--component", "JCS", "--component", "UNDP",
    )  # fmt: skip
    assert listing(tmp_path / "two") == sorted([exported.name("JCS"), exported.name("UNDP")])


@pytest.mark.parametrize("code", ["NOPE", "MSD"])  # not in the roster; in it but not involved
def test_unknown_component_exits_2(exported: Exported, tmp_path: Path, code: str) -> None:
    out = tmp_path / "out"
    status, _, err = run_main(
        "export", str(exported.plan_file), "--out", str(out), "--component", code
    )
    assert status == 2
    assert f"component {code} leads or supports no in-scope output" in err
    assert ", ".join(PARTICIPANTS) in err
    assert "Traceback" not in err
    assert listing(out) == []


def test_all_writes_the_master_with_every_in_scope_output(
    exported: Exported, tmp_path: Path
) -> None:
    invoke("export", str(exported.plan_file), "--out", str(tmp_path), "--all")
    master = tmp_path / exported.name(MASTER_CODE)
    assert master.exists()
    wb = openpyxl.load_workbook(master)
    items = list(wb["_items"].iter_rows(min_row=2, values_only=True))
    assert {row[1] for row in items} == IN_SCOPE
    expected = master_layout(exported.framework, exported.plan).rows
    assert [row[0] for row in items] == [r.item_id for r in expected]
    assert all(row[6] == "yes" for row in items)  # the planning unit edits everything
    assert [ws.title.split()[0] for ws in objective_sheets(wb)] == ["3", "5"]
    meta = dict(wb["_meta"].iter_rows(values_only=True))
    assert meta["component"] == MASTER_CODE
    assert {o["id"] for o in json.loads(meta["outputs"])} == IN_SCOPE


def test_out_of_scope_outputs_are_absent(exported: Exported) -> None:
    out_of_scope = {o.id for o in exported.framework.outputs} - IN_SCOPE
    for code in PARTICIPANTS:
        wb = exported.book(code)
        seen = set()
        for ws in objective_sheets(wb):
            for row in ws.iter_rows(min_row=2, max_col=2, values_only=True):
                if row[0]:
                    seen.add(row[0])
        assert seen == set(roles_of(code)), code
        assert not seen & out_of_scope
        item_outputs = {r[1] for r in wb["_items"].iter_rows(min_row=2, values_only=True)}
        assert item_outputs == set(roles_of(code)), code


# ---------------------------------------------------------------------------
# Sheets, headers, validations.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", PARTICIPANTS)
def test_sheets(exported: Exported, code: str) -> None:
    wb = exported.book(code)
    assert wb.sheetnames[0] == "Instructions"
    sheets = objective_sheets(wb)
    assert [ws.title.split()[0] for ws in sheets] == objectives_of(code)
    for ws, objective_id in zip(sheets, objectives_of(code), strict=True):
        objective = exported.framework.objective(objective_id)
        assert objective is not None
        assert len(ws.title) <= 31
        assert objective.title.startswith(ws.title.split(" ", 1)[1])
    states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    assert states["_meta"] == "veryHidden"
    assert states["_items"] == "veryHidden"
    assert states["_lists"] == "hidden"
    assert len(wb.sheetnames) == 1 + len(sheets) + 3
    assert wb.active is not None and wb.active.title == sheets[0].title


def test_headers_are_the_contract_headers_in_order(exported: Exported) -> None:
    for code in PARTICIPANTS:
        for ws in objective_sheets(exported.book(code)):
            headers = [c.value for c in ws[1]]
            assert headers == [c.header for c in COLUMNS], (code, ws.title)
            assert ws.max_column == len(COLUMNS)


def test_choice_columns_offer_lists_from_the_lists_sheet(exported: Exported, pad: Workbook) -> None:
    codes = tuple(c.code for c in exported.plan.components)
    lists = pad["_lists"]
    for ws in objective_sheets(pad):
        last_item = max(n for n, _ in item_rows(ws))
        found = validations(ws)
        for column in CHOICE_COLUMNS:
            dv = found[letter(column)]
            assert dv.type == "list", column.key
            name = dv.formula1
            assert name in pad.defined_names, (column.key, name)
            target = pad.defined_names[name].attr_text
            match = re.fullmatch(r"'?_lists'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", target)
            assert match, target
            col, first, col2, last = match.groups()
            assert col == col2
            # read the whole column without creating cells: the range holds the whole list
            (cells,) = lists.iter_cols(
                min_col=column_index_from_string(col),
                max_col=column_index_from_string(col),
                min_row=2,
                values_only=True,
            )
            values = [v for v in cells if v is not None]
            assert int(first) == 2 and int(last) == len(values) + 1, (column.key, target)
            assert tuple(values) == column.allowed(codes), column.key
            assert set(range(2, last_item + 1)) <= covered_rows(dv, COL[column.key])
            # a single choice is enforced; several comma-separated codes cannot be
            assert dv.showErrorMessage is (column.type == "choice")


def test_dates_numbers_and_ratings_are_validated(exported: Exported, pad: Workbook) -> None:
    plan = exported.plan
    start = f"DATE({plan.start.year},{plan.start.month},{plan.start.day})"
    end = f"DATE({plan.end.year},{plan.end.month},{plan.end.day})"
    for ws in objective_sheets(pad):
        last_item = max(n for n, _ in item_rows(ws))
        found = validations(ws)
        for column in DATE_COLUMNS:
            dv = found[letter(column)]
            assert (dv.type, dv.operator, dv.formula1, dv.formula2) == (
                "date", "between", start, end,
            ), column.key  # fmt: skip
            assert dv.showErrorMessage
            assert set(range(2, last_item + 1)) <= covered_rows(dv, COL[column.key])
        budget = found[get_column_letter(COL["budget"])]
        assert (budget.type, budget.operator, float(budget.formula1)) == (
            "decimal", "greaterThanOrEqual", 0.0,
        )  # fmt: skip
        for key in ("likelihood", "impact"):
            dv = found[get_column_letter(COL[key])]
            assert (dv.type, dv.operator, dv.formula1, dv.formula2) == (
                "whole",
                "between",
                "1",
                "5",
            )
        for column in TEXT_COLUMNS:  # free text: a validation that checks nothing
            dv = found[letter(column)]
            assert (dv.type, dv.showErrorMessage) == (None, False), column.key


@pytest.mark.parametrize("code", BOOKS)
def test_every_column_has_its_input_message(exported: Exported, code: str) -> None:
    # README: "an input message on every column from the contract's help"
    for ws in objective_sheets(exported.book(code)):
        rows = set(range(2, last_item_row(ws) + ROWS_BELOW + 1))  # every data row, and below
        found = validations(ws)
        assert sorted(found, key=column_index_from_string) == [letter(c) for c in COLUMNS]
        for column in COLUMNS:
            dv = found[letter(column)]
            message = (dv.promptTitle, dv.prompt, dv.showInputMessage)
            assert message == (column.header, column.help, True), (ws.title, column.key)
            assert covered_rows(dv, COL[column.key]) == rows, (ws.title, column.key)


def test_plan_dates_reach_the_validations(framework: Framework, tmp_path: Path) -> None:
    text = plan_text(framework).replace("  start: 2027-01-01", "  start: 2027-03-15")
    text = text.replace("  end: 2029-12-31", "  end: 2030-06-30")
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(text, encoding="utf-8")
    plan = load_plan(plan_file, framework)
    (path,) = export_workbooks(framework, plan, tmp_path / "out", codes=["JCS"])
    ws = objective_sheets(openpyxl.load_workbook(path))[0]
    dv = validations(ws)[letter(DATE_COLUMNS[0])]
    assert (dv.formula1, dv.formula2) == ("DATE(2027,3,15)", "DATE(2030,6,30)")


# ---------------------------------------------------------------------------
# Protection and locking.
# ---------------------------------------------------------------------------


def test_sheets_are_protected_with_rows_sorting_and_filtering_allowed(
    exported: Exported,
) -> None:
    for code in PARTICIPANTS:
        for ws in exported.book(code).worksheets:
            protection = ws.protection
            assert protection.sheet, (code, ws.title)
            assert protection.insertRows is False
            assert protection.deleteRows is False
            assert protection.sort is False
            assert protection.autoFilter is False
            assert protection.formatRows is False  # resizing rows and columns
            assert protection.formatColumns is False
            assert not protection.password


def _protected_by(folder: Path, name: str, password: str) -> None:
    wb = openpyxl.load_workbook(folder / name)
    for ws in wb.worksheets:
        assert ws.protection.sheet
        assert ws.protection.password == hash_password(password), ws.title


def test_password_is_asked_for_without_echo_and_twice(exported: Exported, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["export", str(exported.plan_file), "-o", str(tmp_path), "-c", "UNDP", "--password"],
        input="s3cret\ns3cret\n",
        env={"MISSIONPLAN_PASSWORD": ""},
    )
    assert result.exit_code == 0, result.output
    assert "s3cret" not in result.output  # hidden input: never echoed
    assert result.output.count("Password for the sheets") == 1
    assert "Repeat for confirmation" in result.output
    _protected_by(tmp_path, exported.name("UNDP"), "s3cret")


def test_password_comes_from_the_environment(exported: Exported, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["export", str(exported.plan_file), "-o", str(tmp_path), "-c", "UNDP"],
        env={"MISSIONPLAN_PASSWORD": "from-env"},
    )
    assert result.exit_code == 0, result.output
    _protected_by(tmp_path, exported.name("UNDP"), "from-env")


def test_a_password_is_never_a_command_line_value(exported: Exported, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["export", str(exported.plan_file), "-o", str(tmp_path), "--password", "s3cret"],
        env={"MISSIONPLAN_PASSWORD": ""},
    )
    assert result.exit_code == 2
    assert "unexpected extra argument" in result.output.lower()
    assert listing(tmp_path) == []


def test_led_output_locks_framework_content_and_opens_inputs(pad: Workbook) -> None:
    ws = pad.worksheets[1]
    framework_rows = added = 0
    for _, row in item_rows(ws):
        if row[COL["output_id"] - 1].value != "3.4":
            continue
        item_type = row[COL["item_type"] - 1].value
        is_added = row[COL["ref"] - 1].value == "added"
        for column, cell in zip(COLUMNS, row, strict=True):
            if is_added:
                open_ = column.role != "key"
            else:
                open_ = column.role == "input" and item_type in column.applies_to
            assert cell.protection.locked is not open_, (cell.coordinate, column.key)
        if is_added:
            added += 1
        else:
            framework_rows += 1
            assert row[COL["text"] - 1].protection.locked  # framework text
            assert row[COL["item_id"] - 1].protection.locked
    assert framework_rows > 0
    assert added == PREPARED_ROWS


def test_led_output_inputs_by_item_type(pad: Workbook) -> None:
    ws = pad.worksheets[1]
    kinds: dict[str, tuple[Cell, ...]] = {}
    for _, row in item_rows(ws):
        if row[COL["output_id"] - 1].value == "3.4" and row[COL["ref"] - 1].value != "added":
            kinds.setdefault(row[COL["item_type"] - 1].value, row)
    assert set(kinds) == {"activity", "benchmark", "risk", "consideration"}

    def unlocked(kind: str, key: str) -> bool:
        return not kinds[kind][COL[key] - 1].protection.locked

    assert unlocked("activity", "start") and unlocked("activity", "budget")
    assert not unlocked("activity", "likelihood") and not unlocked("activity", "indicator")
    assert unlocked("benchmark", "indicator") and unlocked("benchmark", "target_date")
    assert not unlocked("benchmark", "term")  # the framework sets the term
    assert unlocked("risk", "likelihood") and unlocked("risk", "mitigation")
    assert not unlocked("risk", "budget")
    assert unlocked("consideration", "position") and not unlocked("consideration", "start")
    for kind in kinds:
        assert unlocked(kind, "comments")
        assert not unlocked(kind, "text")


def test_supported_output_is_locked_but_added_rows_are_open(pad: Workbook) -> None:
    ws = pad.worksheets[1]
    added_ids = []
    framework_rows = 0
    for _, row in item_rows(ws):
        if row[COL["output_id"] - 1].value != "3.2":
            continue
        item_id = row[COL["item_id"] - 1].value
        if row[COL["ref"] - 1].value == "added":
            added_ids.append(item_id)
            for column, cell in zip(COLUMNS, row, strict=True):
                assert cell.protection.locked is (column.role == "key"), cell.coordinate
        else:
            framework_rows += 1
            assert all(cell.protection.locked for cell in row), item_id
    assert framework_rows > 0
    assert added_ids == [f"3.2-PAD-{n:02d}" for n in range(1, PREPARED_ROWS + 1)]


def test_band_rows_are_locked(pad: Workbook) -> None:
    ws = pad.worksheets[1]
    bands = [
        row
        for row in ws.iter_rows(min_row=2, max_col=len(COLUMNS))
        if row[0].value and not row[1].value
    ]
    assert [b[0].value for b in bands] == ["3.2", "3.4"]
    assert "Your role: support" in bands[0][3].value and "Your role: lead" in bands[1][3].value
    assert "Priority: high" in bands[0][3].value
    assert all(cell.protection.locked for band in bands for cell in band)


# ---------------------------------------------------------------------------
# Formats and layout.
# ---------------------------------------------------------------------------


def test_id_cells_are_text_and_date_cells_are_dates(exported: Exported) -> None:
    for code in ("PAD", "HOM", "JCS"):
        for ws in objective_sheets(exported.book(code)):
            rows = list(item_rows(ws))
            assert rows
            for _, row in rows:
                for key in ("output_id", "item_id"):
                    cell = row[COL[key] - 1]
                    assert cell.number_format == "@", cell.coordinate
                    assert cell.data_type == "s"
                for column in DATE_COLUMNS:
                    assert row[COL[column.key] - 1].number_format == "yyyy-mm-dd"


@pytest.mark.parametrize("code", BOOKS)
def test_layout_and_print_setup(exported: Exported, code: str) -> None:
    # README: frozen header row and first four columns; "landscape A4, fit to width,
    # header row repeated"
    wb = exported.book(code)
    for ws in objective_sheets(wb):
        assert ws.freeze_panes == "E2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        setup = ws.page_setup
        assert (setup.paperSize, setup.orientation) == (A4, "landscape"), ws.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title  # 0: as many pages
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True, ws.title
        assert (ws.print_title_rows or "").replace("$", "") == "1:1"  # on every page
    instructions = wb["Instructions"]  # landscape too: its column table is wide
    assert (instructions.page_setup.paperSize, instructions.page_setup.orientation) == (
        A4, "landscape",
    )  # fmt: skip


@pytest.mark.parametrize("code", BOOKS)
def test_every_output_has_eight_prepared_rows_under_it(exported: Exported, code: str) -> None:
    # README: "8 prepared empty rows under each output", ids "3.1-PAD-01" ...
    outputs = set()
    for ws in objective_sheets(exported.book(code)):
        for block in blocks(ws):
            outputs.add(block.output_id)
            refs = [row[COL["ref"] - 1].value for _, row in block.rows]
            prepared = [row for _, row in block.rows if row[COL["ref"] - 1].value == "added"]
            assert len(prepared) == PREPARED_ROWS, (ws.title, block.output_id)
            # under the output: after its framework rows
            assert refs[-PREPARED_ROWS:] == ["added"] * PREPARED_ROWS, block.output_id
            assert len(refs) > PREPARED_ROWS, block.output_id
            ids = [row[COL["item_id"] - 1].value for row in prepared]
            assert ids == [f"{block.output_id}-{code}-{n:02d}" for n in range(1, 9)]
            for row in prepared:
                assert row[COL["item_type"] - 1].value is None
                assert row[COL["text"] - 1].value is None
    assert outputs == (IN_SCOPE if code == MASTER_CODE else set(roles_of(code)))


def rgb(colour: str) -> tuple[int, int, int]:
    """'FFBFBFBF' (ARGB) as (red, green, blue)."""
    return int(colour[2:4], 16), int(colour[4:6], 16), int(colour[6:8], 16)


def legend_colour(wb: Workbook, meaning: str) -> str:
    """The colour the Instructions sheet's legend shows next to the meaning that starts so."""
    for row in wb["Instructions"].iter_rows(max_col=2):
        if isinstance(row[1].value, str) and row[1].value.startswith(meaning):
            return str(row[0].fill.fgColor.rgb)
    raise AssertionError(f"no legend entry {meaning!r}")


class Format(NamedTuple):
    """One conditional format rule on one column."""

    letter: str
    rows: set[int]
    formula: str
    colour: str  # the fill's colour, ARGB


def conditional_formats(ws: Worksheet) -> list[Format]:
    found = []
    for cf in ws.conditional_formatting:
        bounds = [range_boundaries(r.coord) for r in cf.sqref.ranges]
        (col,) = {c for b in bounds for c in range(b[0], b[2] + 1)}  # one column each
        rows = {n for b in bounds for n in range(b[1], b[3] + 1)}
        for rule in cf.rules:
            assert rule.type == "expression"
            (formula,) = rule.formula
            fill = rule.dxf.fill
            assert fill.fill_type == "solid"
            found.append(Format(get_column_letter(col), rows, formula, str(fill.bgColor.rgb)))
    return found


@pytest.mark.parametrize("code", BOOKS)
def test_not_applicable_cells_are_greyed_and_required_empty_cells_orange(
    exported: Exported, code: str
) -> None:
    # README: "greyed non-applicable cells, and required cells still empty highlighted
    # (conditional formatting, on every prepared row and 30 rows below ...)"
    wb = exported.book(code)
    grey, orange = legend_colour(wb, "Dark grey"), legend_colour(wb, "Orange")
    red, green, blue = rgb(grey)
    assert red == green == blue and red < 0xE0, grey  # a grey darker than locked cells
    red, green, blue = rgb(orange)
    assert red > green > blue, orange
    for ws in objective_sheets(wb):
        type_letter = get_column_letter([c.value for c in ws[1]].index("Type") + 1)
        last = last_item_row(ws)
        below = set(range(last + 1, last + ROWS_BELOW + 1))
        # a component fills the outputs it leads and the prepared rows; rows below are its own
        own = set(below)
        for block in blocks(ws):
            for number, row in block.rows:
                if block.role != "support" or row[COL["ref"] - 1].value == "added":
                    own.add(number)
        formats = conditional_formats(ws)
        assert {f.colour for f in formats} == {grey, orange}, ws.title
        for column in COLUMNS:
            col = letter(column)
            greyed = [f for f in formats if f.letter == col and f.colour == grey]
            others = set(ITEM_TYPES) - set(column.applies_to)
            if not others:
                assert greyed == [], column.key
            else:
                (rule,) = greyed
                assert rule.rows == set(range(2, last + 1)) | below, column.key
                match = re.fullmatch(r"OR\((.*)\)", rule.formula)
                assert match, rule.formula
                tests = [re.fullmatch(rf'\${type_letter}2="(\w+)"', t) for t in match[1].split(",")]
                assert all(tests), rule.formula
                assert {t[1] for t in tests if t} == others, column.key
            marked = [f for f in formats if f.letter == col and f.colour == orange]
            if not column.required_for or column.role == "key":
                assert marked == [], column.key
                continue
            (rule,) = marked
            assert rule.rows == own, (ws.title, column.key)
            first = min(rule.rows)
            match = re.fullmatch(rf"AND\(OR\((.*)\),LEN\(TRIM\({col}{first}\)\)=0\)", rule.formula)
            assert match, rule.formula
            tests = [
                re.fullmatch(rf'\${type_letter}{first}="(\w+)"', t) for t in match[1].split(",")
            ]
            assert all(tests), rule.formula
            assert {t[1] for t in tests if t} == set(column.required_for), column.key


LINE_HEIGHT = 12.75 / 10
"""Points of row per line and point of font: a line of 10 pt Calibri is 17 px (12.75 pt) in
Excel, the most per point of the sizes the sheets use (11 pt: 18 px, 14 pt: 23 px)."""


def wrapped_lines(text: str, width: float, size: float) -> int:
    """How many lines an office suite wraps a cell's text into, estimated on its own.

    A column's width counts digits of Calibri 11 (7 px each); a character of running text
    averages about 0.41 em (6 px at 11 pt, 5.5 px at 10 pt); lines break at spaces.
    """
    per_line = int(width * 7 / (0.41 * size * 96 / 72))
    return len(textwrap.wrap(text, per_line))


@pytest.mark.parametrize("code", BOOKS)
def test_rows_are_tall_enough_for_their_text(exported: Exported, code: str) -> None:
    # README: "widths and wrapping for long text, row heights set for the text": office
    # suites do not re-measure a row whose height the file sets
    for ws in objective_sheets(exported.book(code)):
        width = ws.column_dimensions[get_column_letter(COL["text"])].width
        assert width >= 40, width  # Description: the wide column the text wraps in
        bands = 0
        for block in blocks(ws):
            bands += 1
            cell = ws.cell(block.band, COL["text"])
            assert cell.alignment.wrap_text
            lines = wrapped_lines(cell.value, width, cell.font.sz)
            assert lines >= 2, cell.value  # a band's text never fits one line
            needed = lines * LINE_HEIGHT * cell.font.sz
            height = ws.row_dimensions[block.band].height
            assert height is not None and height >= needed, (ws.title, block.band, height)
            for number, row in block.rows:
                text = row[COL["text"] - 1]
                if text.value:
                    lines = wrapped_lines(text.value, width, text.font.sz)
                    needed = lines * LINE_HEIGHT * text.font.sz
                    height = ws.row_dimensions[number].height
                    assert height is not None and height >= needed, (ws.title, number, height)
        assert bands


# ---------------------------------------------------------------------------
# Metadata.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["PAD", "HOM", "UNDP"])
def test_meta_sheet(exported: Exported, code: str) -> None:
    wb = exported.book(code)
    pairs = {k: v for k, v in wb["_meta"].iter_rows(values_only=True)}
    plan, framework = exported.plan, exported.framework
    assert pairs["plan_id"] == plan.id
    assert pairs["component"] == code
    assert pairs["framework_id"] == framework.id
    assert pairs["framework_fingerprint"] == framework.fingerprint
    assert pairs["contract_version"] == CONTRACT_VERSION
    assert pairs["period_start"] == START.isoformat()
    assert pairs["period_end"] == END.isoformat()
    assert cell_text(pairs["short_term_months"]) == "6"
    outputs = {o["id"]: o["role"] for o in json.loads(pairs["outputs"])}
    assert outputs == roles_of(code)
    assert meta_from_pairs(pairs) == meta_for(exported.template(code))
    for cell in wb["_meta"]["B"]:
        assert cell.data_type == "s" and cell.number_format == "@"


@pytest.mark.parametrize("code", ["PAD", "HOM", "UNDP"])
def test_items_sheet_lists_every_template_row(exported: Exported, code: str) -> None:
    wb = exported.book(code)
    header, *rows = wb["_items"].iter_rows(values_only=True)
    assert header[:6] == ("item_id", "output_id", "item_type", "term", "ref", "fingerprint")
    template = exported.template(code)
    assert len(rows) == len(template.rows)
    texts = {}
    for ws in objective_sheets(wb):
        for _, row in item_rows(ws):
            texts[row[COL["item_id"] - 1].value] = row[COL["text"] - 1].value
    assert [r[0] for r in rows] == list(texts)  # same items, same order as the sheets
    for row, expected in zip(rows, template.rows, strict=True):
        item_id, output_id, item_type, term, ref, fingerprint, editable, text = map(cell_text, row)
        assert (item_id, output_id, ref) == (expected.item_id, expected.output_id, expected.ref)
        assert editable == ("yes" if expected.editable else "no")
        if expected.added:
            assert fingerprint == "" and item_type == ""
        else:
            assert fingerprint == content_fingerprint(
                item_id, output_id, item_type, term or None, texts[item_id]
            )
            assert fingerprint == expected.fingerprint
            assert text == texts[item_id]


# ---------------------------------------------------------------------------
# Determinism, overwriting, formula text, temp files.
# ---------------------------------------------------------------------------


def test_exporting_twice_gives_identical_workbooks(exported: Exported) -> None:
    for code in PARTICIPANTS:
        first_path = exported.cli_dir / exported.name(code)
        second_path = exported.api_dir / exported.name(code)
        first, second = openpyxl.load_workbook(first_path), openpyxl.load_workbook(second_path)
        assert first.sheetnames == second.sheetnames
        for a, b in zip(first.worksheets, second.worksheets, strict=True):
            assert a.sheet_state == b.sheet_state
            assert (a.max_row, a.max_column) == (b.max_row, b.max_column), a.title
            values_a = list(a.iter_rows(values_only=True))
            values_b = list(b.iter_rows(values_only=True))
            assert values_a == values_b, (code, a.title)
            assert sorted(map(str, a.merged_cells.ranges)) == sorted(
                map(str, b.merged_cells.ranges)
            )
        # Styles, validations, protection, layout: every part of the file but the
        # modification time in docProps/core.xml is byte-identical.
        with zipfile.ZipFile(first_path) as za, zipfile.ZipFile(second_path) as zb:
            assert za.namelist() == zb.namelist()
            for part in za.namelist():
                if part != "docProps/core.xml":
                    assert za.read(part) == zb.read(part), (code, part)


def test_styles_read_back_identically(exported: Exported) -> None:
    first = openpyxl.load_workbook(exported.cli_dir / exported.name("PAD"))
    second = openpyxl.load_workbook(exported.api_dir / exported.name("PAD"))
    for a, b in zip(first.worksheets, second.worksheets, strict=True):
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for ca, cb in zip(row_a, row_b, strict=True):
                assert ca.has_style == cb.has_style
                if ca.has_style:
                    for attribute in ("font", "fill", "border", "alignment", "protection"):
                        # copy() turns openpyxl's style proxies into comparable objects
                        assert copy(getattr(ca, attribute)) == copy(getattr(cb, attribute)), (
                            ca.coordinate,
                            attribute,
                        )
                    assert ca.number_format == cb.number_format
                    assert ca.quotePrefix == cb.quotePrefix


def test_refuses_to_overwrite_without_force(exported: Exported, tmp_path: Path) -> None:
    (existing,) = export_workbooks(exported.framework, exported.plan, tmp_path, codes=["PAD"])
    before = existing.read_bytes()
    mtime = existing.stat().st_mtime_ns

    status, _, err = run_main("export", str(exported.plan_file), "--out", str(tmp_path))
    assert status == 2
    assert "already exists" in err and "--force" in err
    assert existing.read_bytes() == before
    assert existing.stat().st_mtime_ns == mtime
    # checked before anything is written: no other component's workbook appeared
    assert listing(tmp_path) == [existing.name]

    with pytest.raises(MissionplanError, match="already exists"):
        export_workbooks(exported.framework, exported.plan, tmp_path, codes=["PAD"])
    assert existing.read_bytes() == before

    status, _, _ = run_main(
        "export", str(exported.plan_file), "--out", str(tmp_path), "--component", "PAD", "--force"
    )
    assert status == 0
    assert existing.stat().st_mtime_ns != mtime or existing.read_bytes() != before
    assert openpyxl.load_workbook(existing).sheetnames[0] == "Instructions"


FORMULAS = {
    "3.4-A1": "=1+2 then contribute to a secure environment.",
    "3.4-A2": "+SUM(A1:A9) engage host government leaders.",
    "3.4-A3": "-2 bridges between communities and host authorities.",
    "3.4-R1": '@INDIRECT("A1") reconciliation is long term.',
}


def formula_framework(folder: Path) -> Path:
    """The built-in framework with item texts that look like formulas."""
    templates = resources.files("missionplan.templates")
    source = templates.joinpath("considerations.yaml").read_text(encoding="utf-8")
    for item_id, text in FORMULAS.items():
        pattern = re.compile(rf'(\{{id: "{re.escape(item_id)}", text: )"[^"]*"')
        source, count = pattern.subn(lambda m: m.group(1) + json.dumps(text), source)  # noqa: B023
        assert count == 1, item_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "considerations.yaml").write_text(source, encoding="utf-8")
    roster = templates.joinpath("components.yaml").read_text(encoding="utf-8")
    (folder / "components.yaml").write_text(roster, encoding="utf-8")
    return folder / "considerations.yaml"


def test_text_that_looks_like_a_formula_is_stored_as_text(tmp_path: Path) -> None:
    framework_file = formula_framework(tmp_path / "framework")
    framework = load_framework(framework_file)
    mission = '=HYPERLINK("http://example.invalid","Open")'
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(plan_text(framework, mission=mission), encoding="utf-8")
    plan = load_plan(plan_file, framework)
    assert plan.mission == mission
    invoke(
        "export", str(plan_file), "--out", str(tmp_path / "out"),
        "--component", "PAD", "--framework", str(framework_file),
    )  # fmt: skip
    path = tmp_path / "out" / workbook_name(plan, "PAD")
    wb = openpyxl.load_workbook(path)

    mission_cell = wb["Instructions"]["B3"]
    assert (wb["Instructions"]["A3"].value, mission_cell.value) == ("Mission", mission)
    assert mission_cell.data_type == "s"
    meta = {row[0].value: row[1] for row in wb["_meta"].iter_rows()}
    assert meta["mission"].value == mission and meta["mission"].data_type == "s"

    found = {}
    for ws in objective_sheets(wb):
        for _, row in item_rows(ws):
            found[row[COL["item_id"] - 1].value] = row[COL["text"] - 1]
    for item_id, text in FORMULAS.items():
        assert found[item_id].value == text
        assert found[item_id].data_type == "s", item_id
    items = {row[0].value: row[7] for row in wb["_items"].iter_rows(min_row=2)}
    for item_id, text in FORMULAS.items():
        assert items[item_id].value == text and items[item_id].data_type == "s"

    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == len(wb.worksheets)
        for part in sheets:
            xml = archive.read(part).decode("utf-8")
            assert not re.search(r"<(?:\w+:)?f[\s>/]", xml), part


# PAD: a formula-like text is the first locked text (its prefix spreads to later cells);
# the master: 3.2's texts come first (the prefix of 3.4's formula-like texts is lost).
@pytest.mark.parametrize("master", [False, True], ids=["PAD", "master"])
def test_quote_prefix_marks_exactly_the_formula_like_text(tmp_path: Path, master: bool) -> None:
    framework_file = formula_framework(tmp_path / "framework")
    framework = load_framework(framework_file)
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(plan_text(framework), encoding="utf-8")
    plan = load_plan(plan_file, framework)
    (path,) = export_workbooks(
        framework, plan, tmp_path / "out", codes=None if master else ["PAD"], master=master
    )
    ws = objective_sheets(openpyxl.load_workbook(path))[0]
    wrong = [
        row[COL["item_id"] - 1].value
        for _, row in item_rows(ws)
        if row[COL["text"] - 1].quotePrefix != (row[COL["item_id"] - 1].value in FORMULAS)
    ]
    assert wrong == []


def test_no_temp_files_are_left_behind(exported: Exported) -> None:
    for folder in (exported.cli_dir, exported.api_dir):
        names = listing(folder)
        assert all(n.endswith(".xlsx") and not n.startswith(".") for n in names), names


def _failing_save(fail_on: int) -> Any:
    calls = {"n": 0}
    real_save = export_module.save_workbook

    def save(wb: Workbook, filename: Path) -> None:
        calls["n"] += 1
        if calls["n"] >= fail_on:
            Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
            raise OSError(28, "No space left on device")
        real_save(wb, filename)

    return save


def test_a_failed_write_leaves_no_temp_file(
    exported: Exported, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MISSIONPLAN_WORKERS", "1")  # one after the other: the count is shared
    monkeypatch.setattr(export_module, "save_workbook", _failing_save(fail_on=2))
    with pytest.raises(MissionplanError, match="No space left"):
        export_workbooks(exported.framework, exported.plan, tmp_path, codes=["JCS", "UNDP"])
    # the first workbook is complete, the second was never put in place; no temp files
    assert listing(tmp_path) == [exported.name("JCS")]
    assert openpyxl.load_workbook(tmp_path / exported.name("JCS")).sheetnames[0] == "Instructions"


def test_a_failed_overwrite_keeps_the_old_file(
    exported: Exported, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / exported.name("UNDP")
    shutil.copyfile(exported.cli_dir / exported.name("UNDP"), target)
    before = target.read_bytes()
    monkeypatch.setattr(export_module, "save_workbook", _failing_save(fail_on=1))
    status, _, err = run_main(
        "export", str(exported.plan_file), "--out", str(tmp_path),
        "--component", "UNDP", "--force",
    )  # fmt: skip
    assert status != 0
    assert "No space left on device" in err
    assert listing(tmp_path) == [target.name]
    assert target.read_bytes() == before


def test_workbooks_written_by_worker_processes_are_the_serial_ones_part_for_part(
    exported: Exported, tmp_path: Path
) -> None:
    layouts = select_layouts(exported.framework, exported.plan, list(PARTICIPANTS), True)
    serial = write_workbooks(exported.plan, layouts, tmp_path / "serial", workers=1)
    spread = write_workbooks(exported.plan, layouts, tmp_path / "spread", workers=3)
    assert [p.name for p in spread] == [p.name for p in serial]
    assert len(serial) == len(PARTICIPANTS) + 1
    for one, other in zip(serial, spread, strict=True):
        with zipfile.ZipFile(one) as a, zipfile.ZipFile(other) as b:
            assert a.namelist() == b.namelist()
            for part in a.namelist():  # every part, the dates in docProps/core.xml too
                assert a.read(part) == b.read(part), (one.name, part)


def test_a_worker_that_fails_raises_its_error_and_leaves_no_temp_file(
    exported: Exported, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = export_module.save_workbook
    failing = f".{exported.name('UNDP')}."  # the temporary file of UNDP's workbook

    def save(wb: Workbook, filename: Path) -> None:  # fails in whichever process writes it
        if Path(filename).name.startswith(failing):
            Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
            raise OSError(28, "No space left on device")
        real_save(wb, filename)

    monkeypatch.setattr(export_module, "save_workbook", save)
    layouts = select_layouts(exported.framework, exported.plan, ["JCS", "UNDP", "PAD"], False)
    progressed: list[str] = []

    def progress(items: Iterable[WorkbookLayout]) -> Iterable[WorkbookLayout]:
        for layout in items:
            progressed.append(layout.code)
            yield layout

    with pytest.raises(MissionplanError, match=f"cannot write .*{exported.name('UNDP')}"):
        write_workbooks(exported.plan, layouts, tmp_path, progress=progress, workers=2)
    written = listing(tmp_path)
    assert exported.name("JCS") in written  # before the failure: complete
    assert exported.name("UNDP") not in written
    assert all(not name.startswith(".") for name in written)  # no temporary file
    for name in written:
        assert openpyxl.load_workbook(tmp_path / name).sheetnames[0] == "Instructions"
    assert progressed[:2] == ["JCS", "UNDP"]  # in the order asked, up to the failure
