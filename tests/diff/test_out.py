"""`diff --out`: NEW with its changed cells highlighted and commented, and a Changes sheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from missionplan.diff.writer import CHANGED_FILL, CHANGES_SHEET
from tests.cli_helpers import run_main
from tests.validate.kit import SHEET_5, Kit, filled


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
