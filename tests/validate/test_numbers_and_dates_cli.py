"""Numbers and dates typed the way focal points type them, met where the planning unit meets
them: `missionplan validate` on the returned workbook, then `missionplan merge`.

Each workbook is the validation kit's fully filled UNPOL workbook with one cell changed: a
budget typed `1 500,50` (validates with a warning saying how it was read, merges as
1500.5), `inf` (an error; never a budget), NaN or infinity held by the cell itself (a
hostile file), a day number in a date cell formatted General, a date with words after it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from missionplan.merge.writer import NO_SOURCE, SUMMARY_SHEET
from missionplan.schema.contract import FUNDING_SOURCES
from tests.cli_helpers import run_main
from tests.validate.kit import LETTER, SHEET_5, Kit, edited, filled, find_row, patched_zip

ACTIVITY = "5.5-A2"
OBJECTIVE = "5 Strengthening the Rule of Law"
BUDGET_TITLE = "Budget (USD) per objective and funding source"


def validate(path: Path) -> tuple[int, list[dict[str, str]]]:
    """Exit code and findings of `missionplan validate --format json` on one workbook."""
    code, stdout, stderr = run_main("validate", str(path), "--format", "json")
    assert "Traceback" not in stderr
    [report] = json.loads(stdout)["files"]
    return code, report["findings"]


def merge(k: Kit, path: Path, *extra: str) -> tuple[int, str, Path]:
    out = path.parent / f"plan-{path.stem}.xlsx"
    code, stdout, stderr = run_main(
        "merge", str(path), "--plan", str(k.plan_file), "--out", str(out), *extra
    )
    assert "Traceback" not in stderr
    return code, stdout + stderr, out


def merged_budget(out: Path) -> tuple[Any, dict[str, Any]]:
    """The activity's budget on its objective sheet, and objective 5's row of the budget table."""
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET_5]
    header = [c.value for c in ws[1]]
    [budget] = [
        row[header.index("Budget (USD)")]
        for row in ws.iter_rows(min_row=2, values_only=True)
        if row[header.index("Item ID")] == ACTIVITY
    ]
    rows = list(wb[SUMMARY_SHEET].iter_rows(values_only=True))
    title = next(i for i, row in enumerate(rows) if row[0] == BUDGET_TITLE)
    columns = rows[title + 1]
    assert columns[: len(FUNDING_SOURCES) + 3] == (
        "Objective",
        *FUNDING_SOURCES,
        NO_SOURCE,
        "Total",
    )
    table = next(row for row in rows[title + 2 :] if row[0] == OBJECTIVE)
    return budget, dict(zip(columns, table, strict=False))


@pytest.fixture(scope="module")
def baseline(k: Kit, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Objective 5's budget row when the activity's budget is left out (an empty cell)."""
    folder = tmp_path_factory.mktemp("baseline")
    empty = filled(k.full, folder, "empty.xlsx", {ACTIVITY: {"budget": None}})
    code, output, out = merge(k, empty, "--include-invalid")
    assert code == 0, output
    budget, row = merged_budget(out)
    assert budget is None
    return row


def funding(k: Kit) -> str:
    return str(k.full_values[ACTIVITY]["funding"])


def test_a_budget_typed_with_a_decimal_comma_validates_with_a_warning_and_merges_as_meant(
    k: Kit, tmp_path: Path, baseline: dict[str, Any]
) -> None:
    """Before: read as 150050, one hundred times too much, with only 'typed as text'."""
    workbook = filled(k.full, tmp_path, "UNPOL.xlsx", {ACTIVITY: {"budget": "1 500,50"}})
    code, findings = validate(workbook)
    assert code == 0
    [found] = findings
    sheet, cell = k.place(ACTIVITY, "budget")
    assert (found["code"], found["severity"], found["sheet"], found["cell"]) == (
        "number-typed-as-text",
        "warning",
        sheet,
        cell,
    )
    assert found["value"] == "1 500,50"
    assert "comma was read as the decimal mark" in found["message"]
    assert "read as 1500.5." in found["message"]
    code, output, out = merge(k, workbook)
    assert code == 0, output
    budget, row = merged_budget(out)
    assert budget == 1500.5
    assert row[funding(k)] == pytest.approx(baseline[funding(k)] + 1500.5)
    assert row["Total"] == pytest.approx(baseline["Total"] + 1500.5)


def test_a_budget_of_1_comma_5_is_one_and_a_half(k: Kit, tmp_path: Path) -> None:
    """Before: read as 15."""
    workbook = filled(k.full, tmp_path, "UNPOL.xlsx", {ACTIVITY: {"budget": "1,5"}})
    code, findings = validate(workbook)
    assert code == 0 and [f["code"] for f in findings] == ["number-typed-as-text"]
    assert "read as 1.5." in findings[0]["message"]
    assert merged_budget(merge(k, workbook)[2])[0] == 1.5


@pytest.mark.parametrize("typed", ["inf", "1e5", "1_000", "2.500"])
def test_a_budget_that_is_no_number_for_sure_is_an_error_and_never_merged(
    k: Kit, tmp_path: Path, baseline: dict[str, Any], typed: str
) -> None:
    """Before: 'inf' was a valid budget and merge added infinity to the budget table."""
    workbook = filled(k.full, tmp_path, "UNPOL.xlsx", {ACTIVITY: {"budget": typed}})
    code, findings = validate(workbook)
    assert code == 1
    [found] = findings
    assert (found["code"], found["value"]) == ("invalid-number", typed)
    assert found["cell"] == k.place(ACTIVITY, "budget")[1]
    code, output, _ = merge(k, workbook)
    assert code == 2 and "1 error (fix it" in output  # refused: nothing else to merge
    code, output, out = merge(k, workbook, "--include-invalid")
    assert code == 0, output
    budget, row = merged_budget(out)
    assert budget is None
    assert row == baseline  # finite, and without the unread budget


@pytest.mark.parametrize(("held", "named"), [("NaN", "NaN"), ("inf", "infinity")])
def test_a_cell_holding_nan_or_infinity_is_no_number(
    k: Kit, tmp_path: Path, held: str, named: str
) -> None:
    """A hostile file: the sheet's XML says <v>NaN</v>; calamine hands over a float NaN."""
    marked = filled(k.full, tmp_path, "marked.xlsx", {ACTIVITY: {"budget": 987_654.25}})
    hostile = patched_zip(
        marked,
        tmp_path / "UNPOL.xlsx",
        lambda name, data: data.replace(b"<v>987654.25</v>", f"<v>{held}</v>".encode()),
    )
    code, findings = validate(hostile)
    assert code == 1
    [found] = findings
    assert (found["code"], found["cell"]) == ("invalid-number", k.place(ACTIVITY, "budget")[1])
    assert found["message"] == (
        f"Budget (USD) holds {named}, which is not a number; enter digits only (e.g. 25000)."
    )


def general_cell(key: str, value: object) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        cell = ws[f"{LETTER[key]}{find_row(ws, ACTIVITY)}"]
        cell.value, cell.number_format = value, "General"

    return edit


def test_a_day_number_in_a_general_date_cell_is_read_with_a_warning_naming_the_date(
    k: Kit, tmp_path: Path
) -> None:
    """Before: 46752 was silently taken as 2027-12-31; the user sees 46752, not a date."""
    end = k.full_values[ACTIVITY]["end"]
    assert isinstance(end, dt.date)
    serial = (end - dt.date(1899, 12, 30)).days
    workbook = edited(k.full, tmp_path, "UNPOL.xlsx", general_cell("end", serial))
    code, findings = validate(workbook)
    assert code == 0
    [found] = findings
    assert (found["code"], found["severity"], found["cell"]) == (
        "date-typed-as-number",
        "warning",
        k.place(ACTIVITY, "end")[1],
    )
    spelled = f"{end.isoformat()} ({end.day} {end:%B} {end.year})"
    assert f"holds the number {serial}, not a date; it was read as {spelled}" in found["message"]


@pytest.mark.parametrize("typed", ["2027-03-31garbage", "2027-W13-3", "31/03-2027"])
def test_a_date_with_anything_more_is_not_a_date(k: Kit, tmp_path: Path, typed: str) -> None:
    """Before: read as 2027-03-31, the words after it ignored."""
    workbook = filled(k.full, tmp_path, "UNPOL.xlsx", {ACTIVITY: {"start": typed}})
    code, findings = validate(workbook)
    assert code == 1
    [found] = findings
    assert (found["code"], found["value"]) == ("invalid-date", typed)
    assert found["cell"] == k.place(ACTIVITY, "start")[1]
