"""The workbook's saved time, read from its core properties safely (reader.saved_time).

Merge tells a component's newest file by it, so a missing, damaged or hostile
docProps/core.xml must give "no saved time" (which merge reports), never an error, a
guess or an expanded entity. The files are built here from zipfile and bytes.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from missionplan.schema.items import ITEM_FIELDS, ExpectedItem
from missionplan.schema.text import cell_text
from missionplan.workbook.metadata import expected_items, item_from_cells
from missionplan.workbook.reader import (
    PROPERTIES_LIMIT,
    formula_cells,
    read_expected,
    read_submission,
    saved_time,
)
from tests.validate.kit import Kit

CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "{body}</cp:coreProperties>"
)


def modified(text: str) -> str:
    return f'<dcterms:modified xsi:type="dcterms:W3CDTF">{text}</dcterms:modified>'


def rels(target: str = "docProps/core.xml") -> str:
    return (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId2" Type="{CORE_REL}" Target="{target}"/></Relationships>'
    )


def package(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-02-03T10:00:00Z", dt.datetime(2027, 2, 3, 10, 0, tzinfo=UTC)),  # Excel, openpyxl
        ("2027-02-03T12:00:00+02:00", dt.datetime(2027, 2, 3, 10, 0, tzinfo=UTC)),
        ("2027-02-03T10:00:00.123456789Z", dt.datetime(2027, 2, 3, 10, 0, 0, 123456, UTC)),
        ("2027-02-03T10:00:00", dt.datetime(2027, 2, 3, 10, 0, tzinfo=UTC)),  # no zone: UTC
        (" 2027-02-03 ", dt.datetime(2027, 2, 3, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_the_modified_time_is_read_in_utc(
    tmp_path: Path, text: str, expected: dt.datetime | None
) -> None:
    path = package(
        tmp_path / "a.xlsx",
        {"_rels/.rels": rels(), "docProps/core.xml": CORE.format(body=modified(text))},
    )
    assert saved_time(path) == expected


def test_the_part_is_found_by_its_relationship(tmp_path: Path) -> None:
    core = CORE.format(body=modified("2027-02-03T10:00:00Z"))
    elsewhere = package(
        tmp_path / "a.xlsx",
        {"_rels/.rels": rels("/props/core.xml"), "props/core.xml": core,
         "docProps/core.xml": CORE.format(body=modified("2020-01-01T00:00:00Z"))},
    )  # fmt: skip
    assert saved_time(elsewhere) == dt.datetime(2027, 2, 3, 10, 0, tzinfo=UTC)
    no_rels = package(tmp_path / "b.xlsx", {"docProps/core.xml": core})
    assert saved_time(no_rels) == dt.datetime(2027, 2, 3, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "parts",
    [
        pytest.param({"_rels/.rels": rels()}, id="no-core-part"),
        pytest.param({"_rels/.rels": rels("docProps/gone.xml")}, id="target-missing"),
        pytest.param(
            {"_rels/.rels": rels(), "docProps/core.xml": CORE.format(body="")}, id="no-modified"
        ),
        pytest.param({"_rels/.rels": rels(), "docProps/core.xml": "<not xml"}, id="not-xml"),
        pytest.param({"_rels/.rels": "<broken", "docProps/core.xml": "x"}, id="rels-not-xml"),
        pytest.param(
            {
                "_rels/.rels": rels(),
                "docProps/core.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY t "2027-02-03">]>'
                + CORE.format(body=modified("&t;")).split("\n", 1)[1],
            },
            id="entity",
        ),
        pytest.param(
            {
                "_rels/.rels": rels(),
                "docProps/core.xml": CORE.format(
                    body=modified("2027-02-03T10:00:00Z") + "<!--" + "x" * PROPERTIES_LIMIT + "-->"
                ),
            },
            id="oversized",
        ),
    ],
)
def test_no_saved_time_when_it_is_missing_or_cannot_be_read_safely(
    tmp_path: Path, parts: dict[str, str]
) -> None:
    assert saved_time(package(tmp_path / "a.xlsx", parts)) is None


def test_not_a_zip_has_no_saved_time(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"not a zip")
    assert saved_time(path) is None


def test_a_submission_carries_its_saved_time(k: Kit) -> None:
    submission = read_submission(k.full)
    assert submission.saved is not None
    assert submission.saved == saved_time(k.full)
    assert submission.saved.tzinfo is UTC


def test_the_formulas_found_while_checking_are_those_a_read_of_the_sheets_finds(
    k: Kit, tmp_path: Path
) -> None:
    """read_submission takes each sheet's formula cells from the safety checks' unpacking;
    a separate read of every sheet (formula_cells alone) finds the same, also past 64 KiB."""
    from openpyxl import load_workbook

    wb = load_workbook(k.full)
    notes = wb.create_sheet("Notes")
    for row in range(1, 3001):
        notes.cell(row, 1, f"note {row} of a sheet longer than the checked prefix")
    notes["B2999"] = "=1+1"
    wb.worksheets[0]["Z1"] = "=2+2"
    path = tmp_path / "formulas.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as archive:
        assert max(i.file_size for i in archive.infolist()) > 64 * 1024
    alone = formula_cells(path)
    assert alone["Notes"] == {"B2999"}
    assert "Z1" in alone[wb.worksheets[0].title]
    assert read_submission(path).formulas == alone


def test_an_items_row_is_read_by_meaning_in_the_order_of_the_items_sheet() -> None:
    """ITEM_FIELDS is ExpectedItem's field order; numbers read as text, short rows padded."""
    assert tuple(f.name for f in fields(ExpectedItem)) == ITEM_FIELDS
    cells: list[object] = ["1.1-A1", 1.1, "activity", "", "§1", "ab12", " Yes ", "Do it."]
    assert item_from_cells(cells) == ExpectedItem(
        "1.1-A1", "1.1", "activity", "", "§1", "ab12", True, "Do it."
    )
    assert item_from_cells(["1.1-A2", "1.1"]) == ExpectedItem(
        "1.1-A2", "1.1", "", "", "", "", False, ""
    )
    for said, editable in (("TRUE", True), (1, True), (1.0, True), ("no", False), (None, False)):
        assert item_from_cells(["x", "1.1", "", "", "", "", said, ""]).editable is editable


CELLS = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["yes", " TRUE ", "1", "no", ""]),
    st.none(),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(),
)


@given(st.lists(st.lists(CELLS, max_size=10), max_size=8))
def test_items_made_a_column_at_a_time_are_the_items_read_row_by_row(
    rows: list[list[object]],
) -> None:
    """expected_items is ExpectedItem made from each row's cells as text, padded, by meaning."""
    wanted = []
    for row in rows:
        texts = [cell_text(c) for c in [*row, *[""] * len(ITEM_FIELDS)][: len(ITEM_FIELDS)]]
        flag = texts[6].strip().lower() in ("yes", "true", "1")
        wanted.append(ExpectedItem(*texts[:6], flag, texts[7]))  # type: ignore[arg-type]
    assert expected_items(rows) == tuple(wanted)
    assert [hash(item) for item in expected_items(rows)] == [hash(item) for item in wanted]
    header: list[object] = list(ITEM_FIELDS)
    kept = tuple(w for row, w in zip(rows, wanted, strict=True) if row and str(row[0]).strip())
    assert read_expected([header, *rows]) == kept
