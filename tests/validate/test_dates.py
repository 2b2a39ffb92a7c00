"""The date grammar and Excel's day numbers (validate/dates.py).

The examples are the README's table, checked both ways. Excel's day numbers are checked
against days Excel is known to give and against calamine's own reading of date-formatted
cells. The properties: a date written in every accepted layout reads back as itself, and a
text read as a date is one of the ways of writing that date (a second list of them, made
here by enumeration), so nothing else in the text is ever ignored.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from hypothesis import example, given
from hypothesis import strategies as st

from missionplan.schema.language import speaking
from missionplan.validate.dates import (
    ENGLISH,
    FRENCH,
    LANGUAGES,
    MONTH_NAMES,
    DateWords,
    date_of_serial,
    parse_date_text,
    spelled,
)

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
MARCH_31 = dt.date(2027, 3, 31)

READ = [
    ("2027-03-31", MARCH_31),
    ("2027-3-31", MARCH_31),
    ("2027/03/31", MARCH_31),
    ("2027.03.31", MARCH_31),
    ("2027-03-31T00:00:00", MARCH_31),
    ("31/03/2027", MARCH_31),
    ("31.03.2027", MARCH_31),
    ("31-03-2027", MARCH_31),
    ("1/4/2027", dt.date(2027, 4, 1)),
    ("31 March 2027", MARCH_31),
    ("31 Mar 2027", MARCH_31),
    ("31-Mar-2027", MARCH_31),
    ("March 31, 2027", MARCH_31),
    ("Sept 1, 2028", dt.date(2028, 9, 1)),
    ("31 mars 2027", MARCH_31),
    ("1er avril 2027", dt.date(2027, 4, 1)),
    ("15 aout 2027", dt.date(2027, 8, 15)),
    ("3 févr. 2028", dt.date(2028, 2, 3)),
]
NOT_READ = [
    "2027-03-31garbage", "03/31/2027", "31/03/27", "31/03-2027", "20270331", "2027-W13-3",
    "Q3 2027", "2er avril 2027", "mars 31, 2027",
]  # fmt: skip
"""The README's examples, each in its table."""


@pytest.mark.parametrize(("text", "day"), READ)
def test_the_documented_layouts_read_as_documented(text: str, day: dt.date) -> None:
    assert f"`{text}`" in README
    assert parse_date_text(text) == day


@pytest.mark.parametrize("text", NOT_READ)
def test_the_documented_non_dates_are_not_read(text: str) -> None:
    assert f"`{text}`" in README
    assert parse_date_text(text) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("  2027-03-31 ", MARCH_31),
        ("2027-03-31 09:30", MARCH_31),  # a time of day after a year-first date
        ("2027-03-31T09:30:15.250", MARCH_31),
        ("31  march   2027", MARCH_31),
        ("MARCH 31 2027", MARCH_31),
        ("Mar. 31, 2027", MARCH_31),
        ("31 Mar. 2027", MARCH_31),
        ("1 sep 2028", dt.date(2028, 9, 1)),
        ("29/02/2028", dt.date(2028, 2, 29)),
    ],
)
def test_more_accepted_layouts(text: str, day: dt.date) -> None:
    assert parse_date_text(text) == day


@pytest.mark.parametrize(
    "text",
    [
        "2027-03-31 garbage", "2027-03-31T25:00", "2027-03-31T09:30+01:00", "2027-03-31 Z",
        "2027-03-31/2027-04-30", "on 31/03/2027", "31/03/2027.", "31/03/2027 10:00",
        "31/03/20271", "2027-003-31", "31st March 2027", "31 Marchy 2027", "March 31st, 2027",
        "29/02/2027", "31/04/2027", "0/1/2027", "３１/０３/２０２７",
        "\u0663\u0661/\u0660\u0663/\u0662\u0660\u0662\u0667", "31 3 2027", "31 March, 2027 x",
        "March 2027",
    ],
)  # fmt: skip
def test_more_refused_texts(text: str) -> None:
    """Anything but the date: words around it, a zone, an ordinal English never took, other
    digits than 0 to 9 (Arabic-Indic, full width), a day that does not exist."""
    assert parse_date_text(text) is None


def test_a_day_is_spelled_in_words_beside_its_iso_date() -> None:
    assert spelled(dt.date(2027, 4, 1)) == "2027-04-01 (1 April 2027)"
    assert spelled(dt.date(1900, 12, 31)) == "1900-12-31 (31 December 1900)"
    with speaking("fr"):
        assert spelled(dt.date(2027, 4, 1)) == "2027-04-01 (1er avril 2027)"
        assert spelled(dt.date(2027, 3, 31)) == "2027-03-31 (31 mars 2027)"


# --- month names are tables: another language plugs in ---------------------------------------

TESTISH = DateWords(
    "Testish",
    {name: number for number, name in enumerate(("unu", "du", "tri", "kvar"), start=1)},
    day_suffixes=frozenset({"a"}),
)
"""A made-up language, so that the plug is tested without building French (issue 15)."""


def test_english_and_french_are_read_and_testish_is_not() -> None:
    assert LANGUAGES == (ENGLISH, FRENCH)
    assert parse_date_text("1a tri 2027") is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("31 mars 2027", MARCH_31),
        ("1er avril 2027", dt.date(2027, 4, 1)),
        ("1ER AVRIL 2027", dt.date(2027, 4, 1)),
        ("15 août 2027", dt.date(2027, 8, 15)),
        ("15 aout 2027", dt.date(2027, 8, 15)),
        ("3 févr. 2028", dt.date(2028, 2, 3)),
        ("3 fe\u0301vrier 2028", dt.date(2028, 2, 3)),  # é as e and a combining accent
        ("25 déc. 2027", dt.date(2027, 12, 25)),
        ("1er-janv-2028", dt.date(2028, 1, 1)),
    ],
)
def test_french_dates_read_as_a_french_user_means_them(text: str, day: dt.date) -> None:
    assert parse_date_text(text) == day


@pytest.mark.parametrize(
    "text", ["2er avril 2027", "31er mars 2027", "1re avril 2027", "31 mar 2027 x",
             "30 février 2028", "1st avril 2027", "1er April 2027x", "31 marsh 2027",
             "mars 31, 2027", "avril 1er 2027"],
)  # fmt: skip
def test_french_dates_are_read_with_the_same_strictness(text: str) -> None:
    """'er' only after the first of a month; no other suffix, word or impossible day."""
    assert parse_date_text(text) is None


def test_a_language_added_to_the_tables_is_read_with_the_same_strictness() -> None:
    both = (ENGLISH, TESTISH)
    assert parse_date_text("1a tri 2027", both) == dt.date(2027, 3, 1)
    assert parse_date_text("Kvar 2, 2027", both) == dt.date(2027, 4, 2)
    assert parse_date_text("31 March 2027", both) == MARCH_31  # English still read
    assert parse_date_text("1a March 2027", both) is None  # a Testish suffix, an English month
    assert parse_date_text("1b tri 2027", both) is None
    assert parse_date_text("1a tri 2027 x", both) is None
    assert parse_date_text("31a du 2027", both) is None  # no 31 February in any language


def test_every_english_month_reads_by_its_name_and_its_three_letters() -> None:
    for number, name in enumerate(MONTH_NAMES, start=1):
        day = dt.date(2027, number, 1)
        assert parse_date_text(f"1 {name} 2027") == day
        assert parse_date_text(f"1 {name[:3].upper()} 2027") == day
        assert parse_date_text(f"{name.lower()} 1, 2027") == day


# --- Excel's day numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("serial", "day"),
    [
        (1, dt.date(1900, 1, 1)),
        (31, dt.date(1900, 1, 31)),
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),
        (367, dt.date(1901, 1, 1)),
        (25_569, dt.date(1970, 1, 1)),
        (36_526, dt.date(2000, 1, 1)),
        (46_477, MARCH_31),
        (2_958_465, dt.date(9999, 12, 31)),
    ],
)
def test_day_numbers_are_the_days_excel_shows(serial: int, day: dt.date) -> None:
    assert date_of_serial(serial) == day
    assert date_of_serial(serial + 0.999) == day


@pytest.mark.parametrize(
    "serial", [0, 0.5, 60, 60.5, -1, 2_958_466, float("nan"), float("inf"), float("-inf")]
)
def test_what_is_no_day_number(serial: float) -> None:
    assert date_of_serial(serial) is None


def test_day_numbers_agree_with_calamine_on_date_formatted_cells(tmp_path: Path) -> None:
    """calamine reads a date-formatted cell by its own rules: the same day, number by number."""
    serials = [*range(1, 60), *range(61, 130), 25_569, 36_526, 46_477, 100_000, 2_958_465]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row, serial in enumerate(serials, start=1):
        ws.cell(row, 1, serial).number_format = "yyyy-mm-dd"
    wb.save(tmp_path / "days.xlsx")
    book = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "days.xlsx"))
    cells = [row[0] for row in book.get_sheet_by_index(0).to_python()]
    assert [date_of_serial(s) for s in serials] == cells


@given(st.integers(min_value=61, max_value=2_958_464))
def test_consecutive_day_numbers_are_consecutive_days(serial: int) -> None:
    today, tomorrow = date_of_serial(serial), date_of_serial(serial + 1)
    assert today is not None and tomorrow is not None
    assert tomorrow - today == dt.timedelta(days=1)


# --- properties ------------------------------------------------------------------------------

DAYS = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


FRENCH_WORDS = (
    {"janvier", "janv"}, {"février", "fevrier", "févr", "fevr", "fév", "fev"}, {"mars"},
    {"avril", "avr"}, {"mai"}, {"juin"}, {"juillet", "juil"}, {"août", "aout"},
    {"septembre", "sept"}, {"octobre", "oct"}, {"novembre", "nov"},
    {"décembre", "decembre", "déc", "dec"},
)  # fmt: skip
"""The French month names and abbreviations, accented and not, written out again here."""


def writings(day: dt.date) -> set[str]:
    """Every way the README's layouts write one day, in lower case, spaces single."""
    numbers = {str(day.month), f"{day.month:02}"}, {str(day.day), f"{day.day:02}"}
    months, days = numbers
    year = f"{day.year:04}"
    found: set[str] = set()
    for sep in "-/.":
        found |= {f"{year}{sep}{m}{sep}{d}" for m in months for d in days}
        found |= {f"{d}{sep}{m}{sep}{year}" for m in months for d in days}
    name = MONTH_NAMES[day.month - 1].casefold()
    names = {name, name[:3]} | ({"sept"} if day.month == 9 else set())
    for word in names:
        for dot in ("", "."):
            for d in days:
                found |= {f"{d}{a}{word}{dot}{b}{year}" for a in (" ", "-") for b in (" ", "-")}
                found |= {f"{word}{dot} {d}{comma} {year}" for comma in ("", ",")}
    french_days = days | ({d + "er" for d in days} if day.day == 1 else set())  # 1er avril
    for word in FRENCH_WORDS[day.month - 1]:
        for dot in ("", "."):
            for d in french_days:
                found |= {f"{d}{a}{word}{dot}{b}{year}" for a in (" ", "-") for b in (" ", "-")}
    return found


def a_writing(day: dt.date, choice: int) -> str:
    options = sorted(writings(day))
    return options[choice % len(options)]


@given(DAYS, st.integers(min_value=0))
def test_a_date_written_in_any_accepted_layout_reads_back(day: dt.date, choice: int) -> None:
    assert parse_date_text(a_writing(day, choice)) == day


@st.composite
def near_dates(draw: st.DrawFn) -> str:
    """A writing of a date with one character inserted, removed or changed, or none."""
    text = a_writing(draw(DAYS), draw(st.integers(min_value=0)))
    where = draw(st.integers(min_value=0, max_value=len(text)))
    change = draw(st.sampled_from(["insert", "remove", "replace", "none"]))
    char = draw(st.sampled_from("0123456789-/., :Tasx\u00a0"))
    if change == "insert":
        return text[:where] + char + text[where:]
    if change == "remove":
        return text[:where] + text[where + 1 :]
    if change == "replace":
        return text[:where] + char + text[where + 1 :]
    return text


@given(
    st.one_of(
        near_dates(), st.text(alphabet="0123456789-/. ,marchMARCHseptSEPTavrilér", max_size=18)
    )
)
@example("2027-03-31garbage")
@example("31/03-2027")
@example("2027-03-31 x")
def test_a_text_read_as_a_date_is_a_writing_of_that_date(text: str) -> None:
    """Nothing but the date: the whole text is one of the ways of writing the day it reads as
    (a year-first date may carry a time of day; the enumeration leaves times out)."""
    day = parse_date_text(text)
    if day is None:
        return
    normal = " ".join(text.split()).casefold()
    if ":" in normal:
        normal = normal.replace("t", " ").split(" ")[0]
    assert normal in writings(day), (text, day)


@given(st.text(max_size=40))
def test_any_text_is_a_date_or_none_and_never_raises(text: str) -> None:
    result = parse_date_text(text)
    assert result is None or isinstance(result, dt.date)
