"""Reading review workbooks: the tables by header, and the kind a workbook says it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from missionplan.workbook.review import read_review, workbook_kind
from missionplan.workbook.safety import UnreadableWorkbook
from tests.reviews import ReviewKit


def test_the_kind_is_read_from_the_metadata_alone(rk: ReviewKit, tmp_path: Path) -> None:
    assert workbook_kind(rk.workbook) == "review"
    assert workbook_kind(rk.kit.template) == "planning"
    stray = tmp_path / "stray.xlsx"
    stray.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(UnreadableWorkbook):
        workbook_kind(stray)


def test_columns_are_found_by_header_wherever_they_are(rk: ReviewKit, tmp_path: Path) -> None:
    wb = load_workbook(rk.workbook)
    wb["Activities"].insert_cols(4)  # a column the focal point inserted
    moved = tmp_path / "moved.xlsx"
    wb.save(moved)
    table = next(t for t in read_review(moved).tables if t.sheet.name == "Activities")
    assert table.columns["item_id"] == 1 and table.columns["planned_start"] == 4
    assert not table.missing
    assert {str(table.value(cells, "item_id")) for _, cells in table.rows} == set(
        rk.ids("Activities")
    )
