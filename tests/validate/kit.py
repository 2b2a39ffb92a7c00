"""Shared material for the validation tests: a small plan, one component's template, fills.

The plan is the starter plan of the built-in framework with four outputs in scope, so that
the UNPOL workbook has three objective sheets, outputs it leads (4.5, 5.5: editable) and
outputs it supports (3.1, 4.3: locked context plus prepared rows). Everything is built once
per test session (the `k` fixture of tests/conftest.py) and copied into each test's tmp_path
before it is changed.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from missionplan.demo.samples import activity_values, item_values
from missionplan.export.run import export_workbooks
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import Plan, Window, load_plan, starter_plan_text
from missionplan.schema.contract import COLUMNS, ID_COLUMN, OUTPUT_COLUMN
from missionplan.schema.findings import CATALOGUE
from missionplan.schema.items import ExpectedItem
from missionplan.validate.report import Report
from missionplan.validate.run import validate_file
from missionplan.workbook.fill import fill_workbook
from missionplan.workbook.reader import read_submission

START = dt.date(2027, 1, 1)
COMPONENT = "UNPOL"
IN_SCOPE = ("3.1", "4.3", "4.5", "5.5")
LED = ("4.5", "5.5")
SUPPORTED = ("3.1", "4.3")
LETTER = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
"""Column letters of the exported template (columns are written in contract order)."""
HEADER = {c.key: c.header for c in COLUMNS}
SHEET_3 = "3 Facilitating and Supporting"
SHEET_4 = "4 Creating a Secure and Stable"
SHEET_5 = "5 Strengthening the Rule of Law"
COMPLETENESS = frozenset(code for code, kind in CATALOGUE.items() if kind.group == "completeness")

Values = dict[str, dict[str, object]]


def plan_text(mission: str | None = None, keep: Iterable[str] = IN_SCOPE) -> str:
    """The starter plan with only `keep` in scope (and another mission name, when given)."""
    wanted = set(keep)
    lines = starter_plan_text(load_framework(), START).splitlines()
    current = ""
    for index, line in enumerate(lines):
        match = re.match(r"  - id: '([\d.]+)'", line)
        if match:
            current = match.group(1)
        elif line.strip() == "in_scope: true" and current not in wanted:
            lines[index] = "    in_scope: false"
        elif mission and line.startswith("  mission:"):
            lines[index] = f"  mission: '{mission}'"
    return "\n".join(lines) + "\n"


@dataclass
class Kit:
    """The plan, its UNPOL template, where every row sits, and a fully filled copy."""

    folder: Path
    plan_file: Path
    plan: Plan
    template: Path
    expected: tuple[ExpectedItem, ...]
    rows: dict[str, tuple[str, int]]  # item id -> (sheet, row number)
    bands: dict[str, tuple[str, int]]  # output id -> (sheet, row of its band)
    full_values: Values = field(default_factory=dict)
    full: Path = Path()

    def item(self, item_id: str) -> ExpectedItem:
        return next(e for e in self.expected if e.item_id == item_id)

    def items(self, output_id: str, item_type: str) -> list[ExpectedItem]:
        """Framework items of one output and type, in template order."""
        return [
            e
            for e in self.expected
            if e.output_id == output_id and e.item_type == item_type and not e.added
        ]

    def place(self, item_id: str, key: str) -> tuple[str, str]:
        """(sheet, A1 cell) of a column of an item's row in the exported layout."""
        sheet, row = self.rows[item_id]
        return sheet, f"{LETTER[key]}{row}"

    def band(self, output_id: str) -> tuple[str, str]:
        """(sheet, A1 cell) of the Description cell of an output's band row."""
        sheet, row = self.bands[output_id]
        return sheet, f"{LETTER['text']}{row}"

    def window(self, term: str) -> Window:
        return next(w for w in self.plan.windows if w.term == term)


def build_kit(folder: Path) -> Kit:
    framework = load_framework()
    plan_file = folder / "plan.yaml"
    plan_file.write_text(plan_text(), encoding="utf-8")
    plan = load_plan(plan_file, framework)
    (template,) = export_workbooks(framework, plan, folder / "templates", [COMPONENT])
    submission = read_submission(template)
    rows, bands = _positions(template)
    made = Kit(folder, plan_file, plan, template, submission.expected, rows, bands)
    made.full_values = full_values(made)
    made.full = fill_workbook(template, made.full_values, folder / "full.xlsx")
    return made


def _positions(path: Path) -> tuple[dict[str, tuple[str, int]], dict[str, tuple[str, int]]]:
    wb = load_workbook(path, read_only=True)
    rows: dict[str, tuple[str, int]] = {}
    bands: dict[str, tuple[str, int]] = {}
    for ws in wb.worksheets:
        if ws.title.startswith("_") or ws.title == "Instructions":
            continue
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if number == 1:
                continue
            output, item_id = values[0], values[1]
            if item_id:
                rows[str(item_id)] = (ws.title, number)
            elif output:
                bands[str(output)] = (ws.title, number)
    wb.close()
    return rows, bands


def full_values(k: Kit) -> Values:
    """Every required column of every editable framework row, filled with valid values.

    The values are the sample factory's (missionplan.demo.samples); the kit keeps its own
    schedule, which the dependency tests count on: activity n of an output starts 30n days
    into the period and lasts 90 days, and FORCE supports every other one.
    """
    values: Values = {}
    for output in LED:
        for n, item in enumerate(k.items(output, "activity")):
            start = START + dt.timedelta(days=30 * n)
            end = start + dt.timedelta(days=90)
            support = "FORCE" if n % 2 else None
            values[item.item_id] = activity_values(
                COMPONENT, start, end, n=n, text=item.text, support=support
            )
        for kind in ("benchmark", "risk", "consideration"):
            for item in k.items(output, kind):
                values[item.item_id] = item_values(kind, COMPONENT, k.plan, term=item.term)
    return values


# --- making workbooks --------------------------------------------------------------------------


def filled(
    source: Path, folder: Path, name: str, values: Mapping[str, Mapping[str, object]]
) -> Path:
    """A copy of source in folder, filled with fill_workbook (by item id and column key)."""
    target = folder / name
    shutil.copyfile(source, target)
    fill_workbook(target, values)
    return target


def edited(source: Path, folder: Path, name: str, edit: Callable[[Workbook], object]) -> Path:
    """A copy of source in folder, changed with openpyxl as a person would in Excel."""
    wb = load_workbook(source)
    edit(wb)
    target = folder / name
    wb.save(target)
    return target


def patched_zip(source: Path, target: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of a zip with each member passed through change(name, data)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, change(info.filename, zin.read(info.filename)))
    return target


def find_row(ws: Worksheet, item_id: str) -> int:
    """The row of an item id on an open sheet (by the Item ID header)."""
    header = [c.value for c in ws[1]]
    column = header.index(HEADER[ID_COLUMN]) + 1
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, column).value == item_id:
            return row
    raise KeyError(item_id)


def output_column(ws: Worksheet) -> int:
    return [c.value for c in ws[1]].index(HEADER[OUTPUT_COLUMN]) + 1


# --- reading results ---------------------------------------------------------------------------


_REPORTS: dict[tuple[str, int, int], Report] = {}


def check(path: Path) -> Report:
    """The report of a readable workbook (kept while the file is unchanged)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _REPORTS:
        report, _ = validate_file(path)
        assert not report.unreadable, report.unreadable
        _REPORTS[key] = report
    return _REPORTS[key]


def places(report: Report, code: str) -> set[tuple[str, str]]:
    """Where the findings of one code are: {(sheet, cell)}."""
    return {(f.sheet, f.cell) for f in report.findings if f.code == code}


def codes(report: Report) -> set[str]:
    return {f.code for f in report.findings}


def describe(report: Report) -> str:
    """The findings, one a line, for assertion messages."""
    return "\n".join(f"{f.code} {f.sheet}!{f.cell} {f.value[:40]!r}" for f in report.findings)
