"""The issued values of a re-issued workbook: kept, read back, and refused when changed."""

import datetime as dt

import pytest

from missionplan.schema.items import IssuedItem, issued_text
from missionplan.workbook.metadata import MetadataError, issued_cells, issued_from_cells
from missionplan.workbook.reader import read_issued


def test_issued_round_trip() -> None:
    item = IssuedItem(
        "1.1.A1", (("start", "2027-01-01"), ("budget_usd", "1500"), ("owner", "")), "HOM, round 1"
    )
    assert issued_from_cells(issued_cells(item), 2) == item
    assert read_issued(
        [["item_id", "fingerprint", "values"], issued_cells(item), ["", "", ""]]
    ) == {"1.1.A1": item}


def test_changed_issued_values_are_refused() -> None:
    cells = issued_cells(IssuedItem("1.1.A1", (("owner", "PAD"),)))
    cells[2] = cells[2].replace("PAD", "HOM")
    with pytest.raises(MetadataError, match="changed after it was issued"):
        issued_from_cells(cells, 2)
    with pytest.raises(MetadataError, match="row 3 of the issued values is damaged"):
        issued_from_cells(["1.1.A1", "x", "not json"], 3)


def test_issued_text_is_canonical() -> None:
    assert issued_text(1500.0) == issued_text(1500) == "1500"
    assert (
        issued_text(dt.datetime(2027, 1, 2, 0, 0))
        == issued_text(dt.date(2027, 1, 2))
        == "2027-01-02"
    )
    assert issued_text(None) == issued_text(float("nan")) == ""
    assert issued_text("  a\n b ") == "a b"
    assert issued_text(1.5) == "1.5"
