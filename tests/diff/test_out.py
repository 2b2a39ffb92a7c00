"""`diff --out`: NEW with its changed cells highlighted and commented, and a Changes sheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from missionplan.diff.writer import CHANGED_FILL, CHANGES_SHEET
from tests.cli_helpers import run_main
from tests.validate.kit import LETTER, SHEET_5, Kit, edited, filled, find_row


def test_out_marks_the_changed_cell_and_links_it(k: Kit, tmp_path: Path) -> None:
    budget = k.full_values["5.5-A1"]["budget"]
    new = filled(k.full, tmp_path, "v2.xlsx", {"5.5-A1": {"budget": 99_000}})
    before = new.read_bytes()
    out = tmp_path / "changes.xlsx"
    code, _, err = run_main("diff", str(k.full), str(new), "--out", str(out))
    assert code == 1, err
    assert new.read_bytes() == before  # NEW is never touched
    sheet, cell = k.place("5.5-A1", "budget")
    wb = load_workbook(out)
    assert wb.sheetnames[0] == CHANGES_SHEET and sheet == SHEET_5
    marked = wb[sheet][cell]
    assert marked.value == 99_000
    assert marked.fill.start_color.rgb == CHANGED_FILL.start_color.rgb
    assert marked.comment is not None and marked.comment.text == f"was: {budget}"
    rows = list(wb[CHANGES_SHEET].iter_rows(min_row=2, values_only=True))
    assert rows == [("5.5", "5.5-A1", "changed", "Budget (USD)", str(budget), "99000", sheet, cell)]
    assert wb[CHANGES_SHEET]["H2"].hyperlink.target == f"#'{sheet}'!{cell}"
    others = [
        (ws.title, c.coordinate)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment is not None
    ]
    assert others == [(sheet, cell)]


def test_out_refuses_to_overwrite_without_force(k: Kit, tmp_path: Path) -> None:
    out = tmp_path / "changes.xlsx"
    out.write_bytes(b"keep me")
    code, _, err = run_main("diff", str(k.full), str(k.full), "--out", str(out))
    assert code == 2 and "already exists" in err and out.read_bytes() == b"keep me"
    code, _, err = run_main("diff", str(k.full), str(k.full), "-o", str(out), "--force")
    assert code == 0, err
    assert load_workbook(out).sheetnames[0] == CHANGES_SHEET


def test_out_is_never_an_input(k: Kit, tmp_path: Path) -> None:
    new = filled(k.full, tmp_path, "v2.xlsx", {})
    code, _, err = run_main("diff", str(k.full), str(new), "-o", str(new), "--force")
    assert code == 2 and "is an input" in err


def test_removed_moved_and_added_items_in_text_and_changes_sheet(k: Kit, tmp_path: Path) -> None:
    def rework(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        ws[f"{LETTER['output_id']}{find_row(ws, '5.5-A2')}"] = "4.5"
        ws.delete_rows(find_row(ws, "5.5-A4"))
        row = ws.max_row + 1
        ws[f"{LETTER['output_id']}{row}"] = "5.5"
        ws[f"{LETTER['item_type']}{row}"] = "risk"
        ws[f"{LETTER['text']}{row}"] = "Court staff strike"

    new = edited(k.full, tmp_path, "v2.xlsx", rework)
    out = tmp_path / "changes.xlsx"
    code, text, err = run_main("diff", str(k.full), str(new), "-o", str(out))
    assert code == 1, err
    assert "  > 5.5-A2 moved from output 5.5 to 4.5" in text.splitlines()
    assert any(line.startswith("  - 5.5-A4 removed") for line in text.splitlines())
    assert any(line.startswith("  + 5.5-UNPOL-09 added") for line in text.splitlines())
    wb = load_workbook(out)
    rows = {r[1]: r for r in wb[CHANGES_SHEET].iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"5.5-A2", "5.5-A4", "5.5-UNPOL-09"}
    assert rows["5.5-A2"][2:6] == ("changed", "Output", "5.5", "4.5")
    assert rows["5.5-A4"][2] == "removed" and rows["5.5-A4"][6].endswith("(in OLD)")
    assert rows["5.5-UNPOL-09"][2] == "added"
    moved = wb[SHEET_5][rows["5.5-A2"][7]]
    assert moved.value == "4.5" and moved.comment.text == "was: 5.5"


def test_french_lines_and_changes_sheet_say_the_same_in_french(k: Kit, tmp_path: Path) -> None:
    """--lang fr: the lines, the Changes sheet and the comments in French; ids, values and
    cells as in English, and the JSON keys unchanged."""
    budget = k.full_values["5.5-A1"]["budget"]
    new = filled(k.full, tmp_path, "v2.xlsx", {"5.5-A1": {"budget": 99_000}})
    out = tmp_path / "modifications.xlsx"
    code, text, err = run_main("diff", str(k.full), str(new), "-o", str(out), "--lang", "fr")
    assert code == 1, err
    assert "1 élément (modifiés : 1)" in text and "Produit 5.5" in text
    assert f"~ 5.5-A1 Budget (USD): {budget} -> 99000" in text
    assert "Output 5.5" not in text and "changed" not in text
    sheet, cell = k.place("5.5-A1", "budget")
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Modifications"
    header = [c.value for c in wb["Modifications"][1]]
    assert header[:4] == ["Produit", "Identifiant", "Modification", "Colonne"]
    row = next(wb["Modifications"].iter_rows(min_row=2, values_only=True))
    assert row[:3] == ("5.5", "5.5-A1", "modifié")
    assert row[4:] == (str(budget), "99000", sheet, cell)
    assert wb[sheet][cell].comment.text == f"avant : {budget}"
    code, data, err = run_main("diff", str(k.full), str(new), "-f", "json", "--lang", "fr")
    assert '"change": "changed"' in data and '"key": "budget"' in data
    code, _, err = run_main("diff", str(out), str(out), "-o", str(tmp_path / "x.xlsx"))
    assert code == 0, err  # a diff of a diff: its Changes sheet is no planning sheet
    sheets = load_workbook(tmp_path / "x.xlsx").sheetnames
    assert sheets.count("Changes") == 1 and "Modifications" not in sheets
