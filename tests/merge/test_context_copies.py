"""A supporter who typed on the lead's row (shown to it locked, for context), merged through
`missionplan merge`: an empty cell says nothing, so only a real disagreement conflicts.

Measured before the fix, on this very scenario: 10 conflict rows for the one real
disagreement (the 8 cells JCS left empty each set against UNPOL's value, and JCS's comment
against UNPOL's empty Comments, besides the budget). After: one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from missionplan.merge.writer import CONFLICTS_SHEET
from missionplan.planning.framework import Framework
from tests.cli_helpers import run_main
from tests.merge.returns import LEAD, SUPPORTER, Returns, make_returns

ROW = "4.5-A1"
PARTNERS = "UNDP; Ministry of Interior"  # what the sample factory gives UNPOL too
COMMENT = "JCS can lend two trainers"


@pytest.fixture(scope="module")
def merged(framework: Framework, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("context-copies")
    returns = make_returns(framework, root)
    assert returns.lead_values[ROW]["partners"] == PARTNERS
    assert returns.lead_values[ROW]["budget"] == 25_000
    assert returns.lead_values[ROW].get("comments") is None
    folder = root / "returned"
    returns.fill(LEAD, returns.lead_values, folder / f"{LEAD}.xlsx")
    # JCS types on UNPOL's locked row: the same partners, another budget (the one real
    # disagreement), and a comment where UNPOL wrote none; every other cell left empty.
    typed = {ROW: {"partners": PARTNERS, "budget": 5, "comments": COMMENT}}
    returns.fill(SUPPORTER, typed, folder / f"{SUPPORTER}.xlsx")
    out = root / "merged.xlsx"
    code, stdout, stderr = run_main(
        "merge", str(folder), "--plan", str(returns.plan_file), "--out", str(out)
    )
    return {"code": code, "stdout": stdout, "stderr": stderr, "out": out, "returns": returns}


def rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    values = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(values[0], r, strict=False)) for r in values[1:] if any(r)]


def item_row(path: Path, item_id: str) -> dict[str, Any]:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        header = [c.value for c in ws[1]]
        if "Source component" in header:  # an objective sheet
            for values in ws.iter_rows(min_row=2, values_only=True):
                row = dict(zip(header, values, strict=False))
                if row["Item ID"] == item_id:
                    return row
    raise AssertionError(item_id)


def test_one_real_disagreement_is_one_conflict_row(merged: dict[str, Any]) -> None:
    assert merged["code"] == 0, merged["stderr"]
    conflicts = rows(merged["out"], CONFLICTS_SHEET)
    found = [(c["Kind"], c["Item ID"], c["Column"], c["Kept value"], c["Other value"])
             for c in conflicts]  # fmt: skip
    assert found == [("different-values", ROW, "Budget (USD)", "25000", "5")]
    assert conflicts[0]["Kept from"].startswith(f"{LEAD}: {LEAD}.xlsx")
    assert conflicts[0]["Other from"].startswith(f"{SUPPORTER}: {SUPPORTER}.xlsx")
    # the command's last line counts it, in the singular
    last = merged["stdout"].strip().splitlines()[-1]
    assert last.endswith(": 23 items from 2 submissions, 1 conflict, 0 gaps."), last


def test_the_leads_values_are_kept_and_the_supporters_fill_its_empty_cell(
    merged: dict[str, Any],
) -> None:
    row = item_row(merged["out"], ROW)
    assert row["Budget (USD)"] == 25_000  # the lead's value
    assert row["Partners"] == PARTNERS
    assert row["Start"] is not None and row["Lead"] == LEAD  # JCS's empty cells took nothing
    assert row["Comments"] == COMMENT  # UNPOL left it empty: JCS's stated value is kept
    assert row["Source component"] == f"{SUPPORTER}; {LEAD}"
    assert row["Validated"] == "yes"


def test_every_other_row_has_no_conflict_and_one_source(merged: dict[str, Any]) -> None:
    returns: Returns = merged["returns"]
    for item_id in returns.lead_values:
        if item_id != ROW:
            row = item_row(merged["out"], item_id)
            assert row["Source component"] == f"{SUPPORTER}; {LEAD}", item_id  # locked copy
