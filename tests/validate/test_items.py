"""The items validation makes for merge are the items a workbook yields on its own.

Merge takes each file's items from its validation (`validate_with_items`: the rows are
read and converted once); `submitted_items` reads and converts them on their own. Both
must give the same items, and validation the same report, whatever the workbook holds.
That rests on a property of the conversion: a cell converts the same whichever rows are
converted with it (pandas infers no column type from its neighbours); and validation's
column-wise conversion (`typed_rows`) is that of the raw frame.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.workbook.workbook import Workbook

from missionplan.validate.items import submitted_items, typed_rows
from missionplan.validate.rows import HEADERS, RowTable, SheetRow, gathered
from missionplan.validate.rules import validate_submission, validate_with_items
from missionplan.validate.values import normalize
from missionplan.workbook.reader import SheetTable, read_submission
from tests.validate.builders import COMPONENTS
from tests.validate.kit import LETTER, SHEET_4, SHEET_5, Kit, edited, filled

CELLS = st.one_of(
    st.just(""),
    st.text(max_size=12),
    st.integers(min_value=-10, max_value=50_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 12, 31)),
    st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=400)),
    st.sampled_from(["2027-03-31", "31/03/2027", "1,500", "1.500", "HIGH ", "UNPOL; FORCE"]),
)
KEYS = list(HEADERS)


def _rows(table: list[list[object]]) -> list[SheetRow]:
    columns = {key: index for index, key in enumerate(KEYS)}
    body = tuple((number, tuple(cells)) for number, cells in enumerate(table, start=2))
    return RowTable(SheetTable("sheet", 1, columns, body)).rows


def _same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    assert list(left.columns) == list(right.columns)
    for key in left.columns:
        assert left[key].dtype == right[key].dtype, key
        assert repr(left[key].tolist()) == repr(right[key].tolist()), key


def raw_frame(rows: list[SheetRow]) -> pd.DataFrame:
    """The rows' cells as found, a column per contract column, the cells' own objects
    (dtype object): what validation converted before typed_rows, the reference for it."""
    return pd.DataFrame(gathered(rows, HEADERS), columns=list(HEADERS), dtype=object)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(CELLS, min_size=len(KEYS), max_size=len(KEYS)), min_size=1, max_size=6),
    st.data(),
)
def test_a_cell_converts_the_same_among_any_rows(
    table: list[list[object]], data: st.DataObject
) -> None:
    """Converting a few rows alone, or among others and picking them, gives the same."""
    rows = _rows(table)
    picked = sorted(data.draw(st.sets(st.integers(0, len(rows) - 1), min_size=1)))
    alone, alone_issues = normalize(raw_frame([rows[i] for i in picked]), COMPONENTS)
    every, every_issues = normalize(raw_frame(rows), COMPONENTS)
    _same(alone, every.iloc[picked].reset_index(drop=True))
    back = {position: i for i, position in enumerate(picked)}
    among = sorted(
        (back[i.index], i.key, i.code, i.message) for i in every_issues if i.index in back
    )
    assert sorted((i.index, i.key, i.code, i.message) for i in alone_issues) == among


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=len(KEYS), max_size=len(KEYS)), max_size=6))
def test_rows_convert_from_their_columns_as_from_the_raw_frame(
    table: list[list[object]],
) -> None:
    """typed_rows, which validation uses, gives normalize's frame and issues of raw_frame."""
    rows = _rows(table)
    typed, issues = typed_rows(rows, COMPONENTS)
    framed, framed_issues = normalize(raw_frame(rows), COMPONENTS)
    _same(typed, framed)
    assert list(typed.index) == list(framed.index)
    assert [(i.index, i.key, i.code, i.message) for i in issues] == [
        (i.index, i.key, i.code, i.message) for i in framed_issues
    ]


def _assert_items_agree(path: Path) -> set[str]:
    """The report and items agree; the codes the report found."""
    submission = read_submission(path)
    report, items = validate_with_items(submission)
    assert report == validate_submission(submission)
    assert items == submitted_items(submission)
    return {f.code for f in report.findings}


def test_validation_gives_merge_the_items_of_a_full_workbook(k: Kit) -> None:
    _assert_items_agree(k.full)


def test_validation_gives_merge_the_items_of_the_empty_template(k: Kit) -> None:
    _assert_items_agree(k.template)


def test_validation_gives_merge_the_items_of_a_workbook_with_odd_cells(
    k: Kit, tmp_path: Path
) -> None:
    """Dates and numbers as text, an unreadable date, a choice not in the list, a duplicate
    id, an inserted row, content without a type: the items and the report agree with
    reading them on their own."""
    activity = k.items("5.5", "activity")[0].item_id
    benchmark = k.items("4.5", "benchmark")[0].item_id
    values = {
        **k.full_values,
        activity: {**k.full_values[activity], "start": "31/03/2027", "budget": "1,500"},
        benchmark: {**k.full_values[benchmark], "target_date": "2027-13-45", "owner": "nobody"},
    }
    odd = filled(k.template, tmp_path, "odd.xlsx", values)
    sheet, row = k.rows[activity]
    assert sheet == SHEET_5

    def insert(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        ws.insert_rows(row + 1)
        ws[f"{LETTER['item_type']}{row + 1}"] = "activity"
        ws[f"{LETTER['text']}{row + 1}"] = "An inserted activity."
        ws[f"{LETTER['lead']}{row + 1}"] = "UNPOL"
        ws.insert_rows(row + 2)
        ws[f"{LETTER['text']}{row + 2}"] = "Content without a type."
        other = wb[SHEET_4]
        last = other.max_row + 1
        twice = {"output_id": "4.5", "item_id": benchmark, "item_type": "benchmark"}
        for key, value in {**twice, "text": "The same id twice."}.items():
            other[f"{LETTER[key]}{last}"] = value

    found = _assert_items_agree(edited(odd, tmp_path, "inserted.xlsx", insert))
    assert {
        "date-typed-as-text",
        "number-typed-as-text",
        "choice-not-allowed",
        "invalid-date",
        "item-id-assigned",
        "duplicate-item-id",
    } <= found, sorted(found)
