"""`missionplan diff` on real workbooks: the kit's filled workbook against its own edits."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from tests.cli_helpers import run_main
from tests.validate.kit import LETTER, SHEET_5, Kit, edited, filled, find_row


def test_a_workbook_against_itself_has_no_changes(k: Kit) -> None:
    code, out, err = run_main("diff", str(k.full), str(k.full))
    assert (code, err) == (0, "")
    assert out.strip() == f"{k.full} -> {k.full}: no changes"


def test_one_changed_cell_is_exactly_that_change(k: Kit, tmp_path: Path) -> None:
    budget = k.full_values["5.5-A1"]["budget"]
    changed = filled(k.full, tmp_path, "v2.xlsx", {"5.5-A1": {"budget": 99_000}})
    code, out, _ = run_main("diff", str(k.full), str(changed))
    assert code == 1
    assert out.splitlines() == [
        f"{k.full} -> {changed}: 1 item (1 changed)",
        "Output 5.5",
        f"  ~ 5.5-A1 Budget (USD): {budget} -> 99000",
    ]
    code, out, _ = run_main("diff", str(k.full), str(changed), "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert document["totals"] == {"added": 0, "removed": 0, "moved": 0, "changed": 1}
    (change,) = document["changes"]
    assert change["item_id"] == "5.5-A1" and change["change"] == "changed"
    assert change["sheet"] == SHEET_5 and change["row"] == k.rows["5.5-A1"][1]
    assert change["fields"] == [
        {"key": "budget", "column": "Budget (USD)", "old": budget, "new": 99_000}
    ]


def test_a_number_typed_as_text_and_an_inserted_row_are_no_change(k: Kit, tmp_path: Path) -> None:
    budget = k.full_values["5.5-A2"]["budget"]
    assert isinstance(budget, int) and budget >= 1000
    as_text = filled(
        k.full, tmp_path, "text.xlsx", {"5.5-A2": {"budget": f"{budget:,}".replace(",", " ")}}
    )

    def insert_row(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        ws.insert_rows(find_row(ws, "5.5-A2"))

    moved = edited(as_text, tmp_path, "inserted.xlsx", insert_row)
    code, out, _ = run_main("diff", str(k.full), str(moved))
    assert (code, out.strip()) == (0, f"{k.full} -> {moved}: no changes")


def test_an_added_row_and_an_emptied_cell(k: Kit, tmp_path: Path) -> None:
    def add_row(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        row = ws.max_row + 1
        ws[f"{LETTER['output_id']}{row}"] = "5.5"
        ws[f"{LETTER['item_type']}{row}"] = "risk"
        ws[f"{LETTER['text']}{row}"] = "Court staff strike"
        ws[f"{LETTER['comments']}{find_row(ws, '5.5-A3')}"] = None

    base = filled(k.full, tmp_path, "base.xlsx", {"5.5-A3": {"comments": "see annex"}})
    new = edited(base, tmp_path, "added.xlsx", add_row)
    code, out, _ = run_main("diff", str(base), str(new), "-f", "json")
    assert code == 1
    changes = json.loads(out)["changes"]
    # the inserted row gets the id validation gives it: the next after the prepared rows
    assert [(c["item_id"], c["change"]) for c in changes] == [
        ("5.5-A3", "changed"),
        ("5.5-UNPOL-09", "added"),
    ]
    assert changes[0]["fields"] == [
        {"key": "comments", "column": "Comments", "old": "see annex", "new": None}
    ]


def test_an_unreadable_input_exits_2(k: Kit, tmp_path: Path) -> None:
    stray = tmp_path / "stray.xlsx"
    stray.write_text("not a workbook", encoding="utf-8")
    code, out, err = run_main("diff", str(k.full), str(stray))
    assert code == 2 and out == ""
    assert err.startswith("missionplan: error:") and "stray.xlsx" in err
    assert "not an Excel workbook" in err
