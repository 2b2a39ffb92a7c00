"""Reading typed values out of raw cells (validate/values.py): what each note to the planner says.

test_rules.py pins which cells convert; here the words (the column by its header, the
value as read, the allowed values), the edges of Excel's date serials, the spellings of
amounts and dates planners type, and that rows keep their place in the frame.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missionplan.schema.language import speaking
from missionplan.validate.values import normalize, parse_date_text
from tests.validate.builders import COMPONENTS, raw_frame


def notes(rows: list[dict[str, object]], components: tuple[str, ...] = COMPONENTS) -> list:
    """(row, column key, code, message) of every value that was read loosely or not at all."""
    _, issues = normalize(raw_frame(rows), components)
    return sorted((i.index, i.key, i.code, i.message) for i in issues)


def test_dates_read_from_text_and_dates_not_read() -> None:
    assert notes([{"start": "31/03/2027"}, {"end": "next spring"}, {"target_date": -3}]) == [
        (
            0,
            "start",
            "date-typed-as-text",
            "Start was typed as text; it was read as 2027-03-31 (31 March 2027). Re-enter it "
            "as a date (yyyy-mm-dd) so the spreadsheet treats it as one.",
        ),
        (
            1,
            "end",
            "invalid-date",
            "End must be a date; enter it as yyyy-mm-dd (e.g. 2027-03-31).",
        ),
        (
            2,
            "target_date",
            "invalid-date",
            "Target date must be a date; enter it as yyyy-mm-dd (e.g. 2027-03-31).",
        ),
    ]


@pytest.mark.parametrize(
    ("serial", "day"),
    [
        (0, None),  # Excel shows "1900-01-00": no date
        (1, dt.date(1900, 1, 1)),
        (1.0, dt.date(1900, 1, 1)),
        (59, dt.date(1900, 2, 28)),
        (60, None),  # Excel's 29 February 1900, a day that never was
        (61, dt.date(1900, 3, 1)),
        (46_477, dt.date(2027, 3, 31)),
        (46_477.75, dt.date(2027, 3, 31)),  # a time of day: the date is the day
        (2_958_465, dt.date(9999, 12, 31)),
        (2_958_466, None),
        (-3, None),
    ],
)
def test_day_numbers_count_as_excel_counts_them(serial: float, day: dt.date | None) -> None:
    """Excel's day numbers 1 (1900-01-01) to 2958465 (9999-12-31), its leap-year bug included.

    The same days calamine gives for date-formatted cells (1 -> 1900-01-01, 61 -> 1900-03-01):
    a day number in a General cell reads as the date the user would see once formatted.
    """
    typed, issues = normalize(raw_frame([{"start": serial}]), COMPONENTS)
    if day is None:
        assert pd.isna(typed["start"][0])
        assert [i.code for i in issues] == ["invalid-date"]
    else:
        assert typed["start"][0] == pd.Timestamp(day)
        assert [i.code for i in issues] == ["date-typed-as-number"]


def test_a_day_number_in_a_date_cell_is_read_with_a_warning_naming_the_date() -> None:
    """The user sees 46752 in a cell formatted General: read, and told which date it is."""
    assert notes([{"end": 46_752}, {"target_date": 46_752.0}]) == [
        (
            0,
            "end",
            "date-typed-as-number",
            "End holds the number 46752, not a date; it was read as 2027-12-31 (31 December "
            "2027), the day a spreadsheet counts it as. If that is the date you meant, format "
            "the cell as a date; if not, enter the date as yyyy-mm-dd.",
        ),
        (
            1,
            "target_date",
            "date-typed-as-number",
            "Target date holds the number 46752, not a date; it was read as 2027-12-31 (31 "
            "December 2027), the day a spreadsheet counts it as. If that is the date you meant, "
            "format the cell as a date; if not, enter the date as yyyy-mm-dd.",
        ),
    ]


def test_a_real_date_is_taken_as_it_is() -> None:
    day = dt.datetime(2027, 3, 31)
    typed, issues = normalize(raw_frame([{"start": day}, {"start": day.date()}]), COMPONENTS)
    assert list(typed["start"]) == [pd.Timestamp(day)] * 2 and issues == []


@pytest.mark.parametrize(
    "value", [dt.time(12, 0), dt.timedelta(days=2), True, False, float("nan"), float("inf")]
)
def test_what_no_date_is_in_a_date_cell_is_never_ignored(value: object) -> None:
    """A time, a duration, TRUE, NaN: calamine gives each for some cell; each is said, not lost."""
    typed, issues = normalize(raw_frame([{"start": value}]), COMPONENTS)
    assert pd.isna(typed["start"][0])
    assert [i.code for i in issues] == ["invalid-date"]


@pytest.mark.parametrize(
    ("text", "day"),
    [("Mar 31, 2027", dt.date(2027, 3, 31)), ("Sep 1, 2028", dt.date(2028, 9, 1))],
)
def test_abbreviated_month_first_dates(text: str, day: dt.date) -> None:
    assert parse_date_text(text) == day


def test_numbers_read_from_text_and_numbers_not_read() -> None:
    rows = [{"budget": "usd 1,500"}, {"budget": "US$ 2,000"}, {"budget": "about 3000"}]
    assert notes(rows) == [
        (
            0,
            "budget",
            "number-typed-as-text",
            "Budget (USD) was typed as text; it was read as 1500. Re-enter it as a plain number.",
        ),
        (
            1,
            "budget",
            "number-typed-as-text",
            "Budget (USD) was typed as text; it was read as 2000. Re-enter it as a plain number.",
        ),
        (
            2,
            "budget",
            "invalid-number",
            "Budget (USD) must be a number; enter digits only (e.g. 25000).",
        ),
    ]


def test_a_decimal_comma_is_read_and_said() -> None:
    """How a francophone focal point types 1,500.50 and 1.5: read as meant, the comma named."""
    typed, issues = normalize(raw_frame([{"budget": "1 500,50"}, {"budget": "1,5"}]), COMPONENTS)
    assert list(typed["budget"]) == [1500.5, 1.5]
    assert [(i.index, i.code, i.message) for i in issues] == [
        (
            0,
            "number-typed-as-text",
            "Budget (USD) was typed as text; its comma was read as the decimal mark, so it was "
            "read as 1500.5. Re-enter it as a plain number.",
        ),
        (
            1,
            "number-typed-as-text",
            "Budget (USD) was typed as text; its comma was read as the decimal mark, so it was "
            "read as 1.5. Re-enter it as a plain number.",
        ),
    ]


def test_a_number_that_reads_two_ways_is_not_read() -> None:
    assert notes([{"budget": "2.500"}]) == [
        (
            0,
            "budget",
            "invalid-number",
            "Budget (USD): '2.500' can mean 2.5 (with a decimal point) or 2500 (with a dot "
            "between the thousands); enter digits only, with a point before any decimals (e.g. "
            "2500 or 2.5).",
        )
    ]


@pytest.mark.parametrize(
    ("value", "named"),
    [(float("nan"), "NaN"), (float("inf"), "infinity"), (float("-inf"), "minus infinity")],
)
def test_nan_and_infinity_in_a_number_cell_are_not_numbers(value: float, named: str) -> None:
    """A cell can hold them (<v>NaN</v> in the sheet's XML); merge would add them up."""
    typed, issues = normalize(raw_frame([{"budget": value}, {"budget": 7}]), COMPONENTS)
    assert pd.isna(typed["budget"][0]) and typed["budget"][1] == 7
    assert [(i.index, i.code, i.message) for i in issues] == [
        (
            0,
            "invalid-number",
            f"Budget (USD) holds {named}, which is not a number; enter digits only (e.g. 25000).",
        )
    ]


@pytest.mark.parametrize(
    "text", ["inf", "-inf", "Infinity", "nan", "NaN", "1_000", "1e5", "1E5", "0x10", "١٢٣"]
)
def test_what_python_reads_as_a_float_is_not_a_number_typed_by_a_person(text: str) -> None:
    typed, issues = normalize(raw_frame([{"budget": text}]), COMPONENTS)
    assert pd.isna(typed["budget"][0])
    assert [i.message for i in issues] == [
        "Budget (USD) must be a number; enter digits only (e.g. 25000)."
    ]


@pytest.mark.parametrize("value", [True, False, dt.date(2027, 3, 31), dt.time(9, 30)])
def test_what_no_number_is_in_a_number_cell_is_never_ignored(value: object) -> None:
    typed, issues = normalize(raw_frame([{"budget": value}, {"likelihood": value}]), COMPONENTS)
    assert typed[["budget", "likelihood"]].isna().all().all()
    assert sorted((i.index, i.key, i.code, i.message) for i in issues) == [
        (
            0,
            "budget",
            "invalid-number",
            "Budget (USD) must be a number; enter digits only (e.g. 25000).",
        ),
        (
            1,
            "likelihood",
            "invalid-number",
            "Likelihood must be a number; enter digits only (e.g. 25000).",
        ),
    ]


def test_a_number_read_is_shown_with_every_digit() -> None:
    """Not 1.23457e+06: the planner checks the number read against the one meant."""
    [(_, _, _, message)] = notes([{"budget": "1,234,567.25"}])
    assert message == (
        "Budget (USD) was typed as text; it was read as 1234567.25. Re-enter it as a plain number."
    )


def test_choices_read_loosely_and_choices_not_allowed() -> None:
    rows = [
        {"priority": "HIGH", "support": "bbb;ccc"},
        {"priority": "urgent", "support": "NAVY, AAA, ARMY"},
    ]
    assert notes(rows) == [
        (
            0,
            "priority",
            "choice-spelling",
            "Priority was read as 'high'; pick it from the list so it is spelled exactly.",
        ),
        (
            0,
            "support",
            "choice-spelling",
            "Supporting components was read as 'BBB, CCC'; write the codes exactly, separated by "
            "commas.",
        ),
        (1, "priority", "choice-not-allowed", "Pick Priority from the list (high, medium, low)."),
        (
            1,
            "support",
            "choice-not-allowed",
            "Supporting components: 'NAVY, ARMY' is not a component of this plan. Pick "
            "Supporting components from the list (AAA, BBB, CCC).",
        ),
    ]


ROSTER = ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10")


@pytest.mark.parametrize(
    ("size", "listed"),
    [
        (8, "C1, C2, C3, C4, C5, C6, C7, C8"),
        (9, "C1, C2, C3, C4, C5, C6, C7, C8, ..."),
        (10, "C1, C2, C3, C4, C5, C6, C7, C8, ..."),
    ],
)
def test_a_long_list_of_allowed_values_shows_the_first_eight(size: int, listed: str) -> None:
    [(_, _, _, message)] = notes([{"lead": "NAVY"}], ROSTER[:size])
    assert message == f"Pick Lead from the list ({listed})."


def test_rows_keep_their_labels() -> None:
    """A frame of some rows only (labels 4 and 9): values and notes stay with their rows."""
    raw = raw_frame([{"budget": 10, "text": " a "}, {"budget": "1,500", "start": "2027-03-31"}])
    raw.index = pd.Index([4, 9])
    typed, issues = normalize(raw, COMPONENTS)
    assert list(typed.index) == [4, 9]
    assert typed.loc[9, "budget"] == 1500.0
    assert typed.loc[4, "text"] == "a"
    assert typed.loc[9, "start"] == pd.Timestamp("2027-03-31")
    assert sorted((i.index, i.key) for i in issues) == [(9, "budget"), (9, "start")]


def test_only_the_contract_columns_present_are_converted() -> None:
    raw = pd.DataFrame({"notes": ["x", "y"], "budget": ["1,500", 7], "status": ["Planned", None]})
    typed, issues = normalize(raw, COMPONENTS)
    assert list(typed.columns) == ["budget", "status"]
    assert list(typed["budget"]) == [1500.0, 7.0]
    assert list(typed["status"]) == ["planned", None]
    assert sorted(i.key for i in issues) == ["budget", "status"]
    nothing, _ = normalize(pd.DataFrame({"notes": ["x", "y"]}), COMPONENTS)
    assert len(nothing) == 2  # still one typed row per row


@pytest.mark.parametrize(
    ("number", "named"), [(10**400, "infinity"), (-(10**400), "minus infinity")]
)
def test_a_whole_number_too_large_for_a_float_is_no_number_and_no_crash(
    number: int, named: str
) -> None:
    typed, issues = normalize(raw_frame([{"budget": number, "end": number}]), COMPONENTS)
    assert pd.isna(typed["budget"][0]) and pd.isna(typed["end"][0])
    assert sorted((i.key, i.code, i.message) for i in issues) == [
        (
            "budget",
            "invalid-number",
            f"Budget (USD) holds {named}, which is not a number; enter digits only (e.g. 25000).",
        ),
        ("end", "invalid-date", "End must be a date; enter it as yyyy-mm-dd (e.g. 2027-03-31)."),
    ]


# --- either language (issue 15) -------------------------------------------------------------


def test_french_choice_labels_are_read_as_their_keys_and_exact() -> None:
    raw = pd.DataFrame({"priority": ["haute", "Moyenne", "high"], "term": ["court terme", "", ""]})
    typed, issues = normalize(raw, ())
    assert typed["priority"].tolist() == ["high", "medium", "high"]
    assert typed["term"].tolist()[0] == "short"
    assert [(i.index, i.code) for i in issues] == [(1, "choice-spelling")]


def test_messages_follow_the_language_spoken_and_keep_their_code() -> None:
    raw = pd.DataFrame({"budget": ["beaucoup"]})
    _, english = normalize(raw, ())
    with speaking("fr"):
        _, french = normalize(raw, ())
    assert [i.code for i in english] == [i.code for i in french] == ["invalid-number"]
    assert english[0].message.startswith("Budget (USD) must be a number")
    assert french[0].message.startswith("Budget (USD) doit être un nombre")


def test_a_french_number_and_date_read_as_a_french_user_means_them() -> None:
    raw = pd.DataFrame({"budget": ["1 500,50"], "start": ["1er avril 2027"]})
    typed, _ = normalize(raw, ())
    assert typed["budget"].tolist() == [1500.5]
    assert typed["start"].tolist()[0].date() == dt.date(2027, 4, 1)


# --- a column converts as its cells do, one by one ---------------------------------------------

CONVERTED_KEYS = ("start", "budget", "likelihood", "priority", "support", "text")
TRICKY_CELLS = st.sampled_from(
    [
        "",
        " ",
        None,
        0,
        1,
        1.0,
        True,
        False,
        2.5,
        "1",
        "1,5",
        "1 500,50",
        float("nan"),
        float("inf"),
        46000,
        46000.0,
        "2027-01-05",
        "31/03/2027",
        dt.date(2027, 1, 5),
        dt.datetime(2027, 1, 5),
        dt.datetime(2027, 1, 5, 12),
        dt.time(9),
        "high",
        "HIGH",
        " High ",
        "haute",
        "UNPOL",
        "unpol, force",
        "UNPOL;xyz",
        "FORCE\nUNPOL",
        "=1+1",
    ]
)
CELLS = st.one_of(TRICKY_CELLS, st.text(max_size=6), st.integers(-3, 50_000), st.floats())


def _row_of(typed: pd.DataFrame, index: int) -> list[object]:
    return [None if v is None or v is pd.NaT or v != v else v for v in typed.iloc[index].tolist()]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(*[CELLS] * len(CONVERTED_KEYS)), min_size=1, max_size=25))
def test_a_column_converts_as_its_cells_do_one_by_one(rows: list[tuple[object, ...]]) -> None:
    """Each distinct value is converted once (values.py): the same values and notes, in the
    same order, as converting every cell in a frame of its own (the reference)."""
    records = [dict(zip(CONVERTED_KEYS, row, strict=True)) for row in rows]
    typed, issues = normalize(raw_frame(records, dtype="object"), COMPONENTS)
    for index, record in enumerate(records):
        alone, alone_issues = normalize(raw_frame([record], dtype="object"), COMPONENTS)
        assert _row_of(typed, index) == _row_of(alone, 0)
        here = [(i.key, i.found) for i in issues if i.index == index]
        assert here == [(i.key, i.found) for i in alone_issues]
    for key in CONVERTED_KEYS:  # each column's notes in row order
        found = [i.index for i in issues if i.key == key]
        assert found == sorted(found)
