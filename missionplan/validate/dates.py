"""Dates typed as text, and the day numbers spreadsheets count dates in.

A date text is a date and nothing else: year first (2027-03-31, 2027/3/31), day first
(31/03/2027, 31.03.2027, 31-03-2027), or with the month in words (31 March 2027,
31-Mar-2027, March 31, 2027, 31 mars 2027, 1er avril 2027). The month names are tables, one
per language (`DateWords`); a language is added by adding its table to `LANGUAGES`. Digits
are ASCII digits, years
have four of them, and whatever else the text holds makes it not a date.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from missionplan.schema.language import current_language

FIRST_SERIAL = 1
"""Excel's day 1 is 1900-01-01; day 0 ("1900-01-00") is no date."""
LAST_SERIAL = 2_958_465
"""9999-12-31, the last day a spreadsheet holds."""
EXCEL_LEAP_DAY = 60
"""Excel counts a 29 February 1900 that never was (a bug kept from Lotus 1-2-3), so its days
1 to 59 start from 1899-12-31 and its days from 61 on from 1899-12-30; day 60 is no date."""


def date_of_serial(serial: float) -> dt.date | None:
    """The day an Excel day number stands for (1900 date system; a fraction is a time of day)."""
    if not math.isfinite(serial) or not FIRST_SERIAL <= serial < LAST_SERIAL + 1:
        return None
    day = int(serial)
    if day == EXCEL_LEAP_DAY:
        return None
    start = dt.date(1899, 12, 31) if day < EXCEL_LEAP_DAY else dt.date(1899, 12, 30)
    return start + dt.timedelta(days=day)


@dataclass(frozen=True)
class DateWords:
    """How one language writes dates in words: its month names, and what may follow a day.

    `months` maps each spelling, in lower case (full names, abbreviations), to the month's
    number; `day_suffixes` are the letters a day's number may carry, and `first_day_suffixes`
    those only the first of a month may carry ('er' in French '1er avril', never '2er').
    """

    language: str
    months: Mapping[str, int]
    day_suffixes: frozenset[str] = field(default_factory=frozenset)
    first_day_suffixes: frozenset[str] = field(default_factory=frozenset)
    month_first: bool = True
    """Whether the language also writes the month before the day ('March 31, 2027')."""

    def allows(self, suffix: str, day: str) -> bool:
        """Whether a day's number may carry this suffix (none is always allowed)."""
        if not suffix or suffix in self.day_suffixes:
            return True
        return suffix in self.first_day_suffixes and int(day) == 1

    def month(self, word: str) -> int | None:
        return self.months.get(unicodedata.normalize("NFC", word).casefold())


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip
"""The months as messages write them (never the locale's: the same words on every machine)."""
ENGLISH = DateWords(
    "English",
    {
        **{name.casefold(): number for number, name in enumerate(MONTH_NAMES, start=1)},
        **{name[:3].casefold(): number for number, name in enumerate(MONTH_NAMES, start=1)},
        "sept": 9,
    },
)
FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre")  # fmt: skip
FRENCH_ABBREVIATIONS = {"janv": 1, "févr": 2, "fév": 2, "avr": 4, "juil": 7, "sept": 9,
                        "oct": 10, "nov": 11, "déc": 12}  # fmt: skip
"""The abbreviations of the Imprimerie nationale, as LibreOffice and Excel write them."""
UNACCENTED = str.maketrans("éû", "eu")
FRENCH = DateWords(
    "French",
    {
        **{name: number for number, name in enumerate(FRENCH_MONTHS, start=1)},
        **FRENCH_ABBREVIATIONS,
        # typed without accents on a keyboard that has none: fevrier, aout, decembre
        **{name.translate(UNACCENTED): n for n, name in enumerate(FRENCH_MONTHS, start=1)},
        **{name.translate(UNACCENTED): n for name, n in FRENCH_ABBREVIATIONS.items()},
    },
    first_day_suffixes=frozenset({"er"}),
    month_first=False,  # French never writes 'mars 31, 2027'
)
LANGUAGES: tuple[DateWords, ...] = (ENGLISH, FRENCH)
"""The languages whose month names are read, tried in this order."""

TIME = r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)"
YEAR_FIRST = re.compile(
    rf"(?P<year>[0-9]{{4}})(?P<sep>[-/.])(?P<month>[0-9]{{1,2}})(?P=sep)(?P<day>[0-9]{{1,2}})"
    rf"(?P<time>{TIME})?",
    re.ASCII,
)
DAY_FIRST = re.compile(
    r"(?P<day>[0-9]{1,2})(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?P=sep)(?P<year>[0-9]{4})", re.ASCII
)
WORD = r"[^\W\d_]+"  # letters, of any alphabet
DAY_MONTH_YEAR = re.compile(
    rf"(?P<day>[0-9]{{1,2}})(?P<suffix>{WORD})?(?:\s+|-)(?P<month>{WORD})\.?(?:\s+|-)"
    rf"(?P<year>[0-9]{{4}})"
)
MONTH_DAY_YEAR = re.compile(
    rf"(?P<month>{WORD})\.?\s+(?P<day>[0-9]{{1,2}})(?P<suffix>{WORD})?,?\s+(?P<year>[0-9]{{4}})"
)


def spelled(day: dt.date) -> str:
    """A day as messages show it, unmistakable in any convention: 2027-04-01 (1 April 2027),
    in French 2027-04-01 (1er avril 2027)."""
    if current_language() == "fr":
        first = "1er" if day.day == 1 else str(day.day)
        return f"{day.isoformat()} ({first} {FRENCH_MONTHS[day.month - 1]} {day.year})"
    return f"{day.isoformat()} ({day.day} {MONTH_NAMES[day.month - 1]} {day.year})"


def parse_date_text(text: str, languages: tuple[DateWords, ...] = LANGUAGES) -> dt.date | None:
    """The date a text is, in one of the layouts above; None when it is anything else."""
    cleaned = " ".join(unicodedata.normalize("NFC", text).split())
    for layout in (YEAR_FIRST, DAY_FIRST):
        match = layout.fullmatch(cleaned)
        if match:
            if match.groupdict().get("time") and not _is_time(match.group("time")[1:]):
                return None
            return _day(match.group("year"), match.group("month"), match.group("day"))
    match = DAY_MONTH_YEAR.fullmatch(cleaned)
    if match:
        return _day_in_words(match, languages)
    match = MONTH_DAY_YEAR.fullmatch(cleaned)
    if match:
        return _day_in_words(match, tuple(words for words in languages if words.month_first))
    return None


def _day_in_words(match: re.Match[str], languages: tuple[DateWords, ...]) -> dt.date | None:
    suffix = (match.group("suffix") or "").casefold()
    for words in languages:
        month = words.month(match.group("month"))
        if month is not None and words.allows(suffix, match.group("day")):
            return _day(match.group("year"), str(month), match.group("day"))
    return None


def _day(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _is_time(text: str) -> bool:
    try:
        dt.time.fromisoformat(text)
    except ValueError:
        return False
    return True
