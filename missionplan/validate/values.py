"""Turn the raw cell values of a planning sheet into typed values, noting what did not parse.

Planners type dates as text, numbers with thousands separators, choices
in capitals. We read what we safely can (and say so), and report what we
cannot: a text is read as a number or a date only when it can mean one
(the grammars of numerals.py and dates.py), and a cell that holds no
number or date is never taken as empty. Conversion is column by column;
pandera then checks the typed frame (validate/checks.py).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any, TypeGuard, TypeVar

import pandas as pd

from missionplan.schema.contract import COLUMNS, Column, choice_label, choice_spellings
from missionplan.schema.findings import (
    CHOICE_NOT_IN_LIST,
    CHOICE_READ_LOOSELY,
    CHOICES_READ_LOOSELY,
    COMPONENTS_NOT_IN_PLAN,
    DATE_NOT_READ,
    DATE_READ_FROM_NUMBER,
    DATE_READ_FROM_TEXT,
    NUMBER_NOT_FINITE,
    NUMBER_NOT_READ,
    NUMBER_READ_FROM_TEXT,
    NUMBER_READ_TWO_WAYS,
    NUMBER_READ_WITH_DECIMAL_COMMA,
    FilledMessage,
    FindingType,
)
from missionplan.schema.text import filled_text
from missionplan.validate.dates import date_of_serial, parse_date_text, spelled
from missionplan.validate.numerals import read_numeral, shown

LIST_SPLIT = re.compile(r"[,;\n]+")
T = TypeVar("T")
NUMBER_TYPES = frozenset({bool, int, float})
PLAIN_TYPES = frozenset(
    {str, type(None), *NUMBER_TYPES, dt.date, dt.datetime, dt.time, dt.timedelta}
)
"""The types a cell can hold whose values are equal only when the cells mean the same
(within a type; between them only the numbers, True == 1 == 1.0)."""


@dataclass(slots=True)
class CellIssue:
    """A problem with one cell, before it becomes a Finding with a sheet and cell address.

    Not frozen, and without a dict: a large workbook with many mistakes has hundreds of
    thousands, and a frozen dataclass sets each field by a call (three times as slow)."""

    index: int
    key: str
    found: FilledMessage[FindingType]
    """What is wrong, in the planner's words; its type gives the code."""

    @property
    def kind(self) -> FindingType:
        return self.found.kind

    @property
    def code(self) -> str:
        return self.found.code

    @property
    def message(self) -> str:
        return self.found.text


def normalize(
    raw: pd.DataFrame, components: tuple[str, ...]
) -> tuple[pd.DataFrame, list[CellIssue]]:
    """Typed columns for every contract column in `raw`, and the cells that did not convert."""
    cells = {column.key: raw[column.key].tolist() for column in COLUMNS if column.key in raw}
    return normalize_columns(cells, raw.index, components)


def normalize_columns(
    raw: Mapping[str, Sequence[object]], index: pd.Index, components: tuple[str, ...]
) -> tuple[pd.DataFrame, list[CellIssue]]:
    """normalize, of the cells of each column as lists (a row each, labelled by `index`):
    what validation converts, without a frame of the raw cells it would only take apart."""
    issues: list[CellIssue] = []
    typed: dict[str, pd.Series] = {}
    for column in COLUMNS:
        if column.key not in raw:
            continue
        cells = raw[column.key]
        if column.type == "date":
            typed[column.key] = _dates(cells, index, column, issues)
        elif column.type in ("number", "integer"):
            typed[column.key] = _numbers(cells, index, column, issues)
        elif column.type == "choice":
            allowed = column.allowed(components) or ()
            typed[column.key] = _choice(cells, index, column, allowed, issues)
        elif column.type == "choices":
            allowed = column.allowed(components) or ()
            typed[column.key] = _choices(cells, index, column, allowed, issues)
        else:
            typed[column.key] = _texts(cells, index)
    # one frame of all the columns: adding them one by one copies the frame each time
    frame = pd.DataFrame(typed, index=index) if typed else pd.DataFrame(index=index)
    return frame, issues


_NONE_IF_EMPTY: dict[str, str | None] = {"": None}
"""An empty text as None; every other text (the default of .get) as itself."""


def _texts(cells: Sequence[Any], index: pd.Index) -> pd.Series:
    """Text cells stripped, empty as None; without a call per cell in Python (the hot path)."""
    try:  # every cell a text: each stripped, and "" looked up as None, in C
        stripped = list(map(str.strip, cells))
        texts: list[str | None] = list(map(_NONE_IF_EMPTY.get, stripped, stripped))
    except TypeError:  # some cell is no text
        texts = [
            (value.strip() or None)
            if type(value) is str
            else (None if value is None else filled_text(value))
            for value in cells
        ]
    return pd.Series(texts, index=index, dtype=object)


def _dates(
    cells: Sequence[object], index: pd.Index, column: Column, issues: list[CellIssue]
) -> pd.Series:
    def one(value: object) -> Converted[dt.datetime | None]:
        day, note = _date(value, column)
        return (None if day is None else _to_datetime(day)), note

    parsed = _converted(cells, index, column, one, issues)
    return pd.Series(parsed, index=index, dtype="datetime64[s]")


Converted = tuple[T, FilledMessage[FindingType] | None]
"""A cell's typed value, and what the planner is told about it (None: nothing)."""


def _converted(
    cells: Sequence[Any],
    index: pd.Index,
    column: Column,
    convert: Callable[[object], Converted[T]],
    issues: list[CellIssue],
) -> list[T]:
    """What `convert` makes of every cell, its notes added to issues in row order.

    Each distinct value is converted once: a column repeats few values (choices, dates,
    amounts), and a conversion depends on the value and its type alone (1, 1.0 and
    True are told apart by the type).
    """
    keys: Sequence[Any] = cells
    try:
        distinct = dict.fromkeys(cells)
        # a value is its own key unless cells of two types can be equal (1 == 1.0 == True)
        types = set(map(type, distinct))
        if not types <= PLAIN_TYPES or (
            types & NUMBER_TYPES and len(set(map(type, cells)) & NUMBER_TYPES) > 1
        ):
            keys = [(type(value), value) for value in cells]
            distinct = dict.fromkeys(keys)
    except TypeError:  # an unhashable value: every cell on its own
        results = [convert(value) for value in cells]
        for label, (_, note) in zip(index.tolist(), results, strict=True):
            if note is not None:
                issues.append(CellIssue(label, column.key, note))
        return [value for value, _ in results]
    done = {key: convert(key if keys is cells else key[1]) for key in distinct}
    converted = {key: value for key, (value, _) in done.items()}
    noted = {key: note for key, (_, note) in done.items() if note is not None}
    if noted:  # in row order: the cells with a note only
        labels = index.tolist()
        found = compress(range(len(keys)), map(noted.__contains__, keys))  # picked in C
        issues += [
            CellIssue(labels[position], column.key, noted[keys[position]]) for position in found
        ]
    return list(map(converted.__getitem__, keys))


def _date(
    value: object, column: Column
) -> tuple[dt.date | None, FilledMessage[FindingType] | None]:
    """One cell of a date column: its day, and what the planner is told about it.

    A real date cell arrives as a date (calamine applies the workbook's date system); a
    number means a cell formatted General, where the user sees 46752, not a date.
    """
    if _is_empty(value):
        return None, None
    if isinstance(value, dt.date):
        return value, None
    if _is_number(value):
        day = date_of_serial(_as_float(value))
        if day is not None:
            serial = shown(_as_float(value))
            return day, DATE_READ_FROM_NUMBER.fill(
                column=column.header, serial=serial, day=spelled(day)
            )
    elif isinstance(value, str):
        day = parse_date_text(value)
        if day is not None:
            return day, DATE_READ_FROM_TEXT.fill(column=column.header, day=spelled(day))
    return None, DATE_NOT_READ.fill(column=column.header)  # also a time, TRUE or FALSE


def _is_empty(value: object) -> bool:
    """An empty cell: nothing, blanks, or pandas' missing date (a NaN number is not empty)."""
    if value is None or value is pd.NaT:
        return True
    return isinstance(value, str) and not value.strip()


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_float(value: int | float) -> float:
    """The number as a float; a whole number too large for one is infinite."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _to_datetime(value: dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


def _numbers(
    cells: Sequence[object], index: pd.Index, column: Column, issues: list[CellIssue]
) -> pd.Series:
    """A real number as it is (never NaN or infinity); a number typed as text by the grammar."""
    numbers = _converted(cells, index, column, lambda value: _number(value, column), issues)
    return pd.Series(numbers, index=index, dtype=float)


def _number(
    value: object, column: Column
) -> tuple[float | None, FilledMessage[FindingType] | None]:
    """One cell of a number column: its number, and what the planner is told about it."""
    if _is_empty(value):
        return None, None
    if _is_number(value):
        number = _as_float(value)
        if math.isfinite(number):
            return number, None
        return None, NUMBER_NOT_FINITE.fill(column=column.header, value=NOT_FINITE[str(number)])
    if not isinstance(value, str):  # a date, a time, TRUE or FALSE
        return None, NUMBER_NOT_READ.fill(column=column.header)
    read = read_numeral(value)
    if read.number is None and read.readings:
        decimal, thousands = (shown(n) for n in read.readings)
        two_ways = NUMBER_READ_TWO_WAYS.fill(
            column=column.header, text=value.strip(), decimal=decimal, thousands=thousands
        )
        return None, two_ways
    if read.number is None:
        return None, NUMBER_NOT_READ.fill(column=column.header)
    number = read.number
    if read.decimal_comma:
        said = NUMBER_READ_WITH_DECIMAL_COMMA.fill(column=column.header, number=shown(number))
    else:
        said = NUMBER_READ_FROM_TEXT.fill(column=column.header, number=shown(number))
    return number, said


NOT_FINITE = {"nan": "NaN", "inf": "infinity", "-inf": "minus infinity"}
"""How a message names the values a number cell can hold that are no numbers."""


def _canonical(value: str) -> str:
    return " ".join(value.split()).casefold()


def _choice(
    cells: Sequence[object],
    index: pd.Index,
    column: Column,
    allowed: tuple[str, ...],
    issues: list[CellIssue],
) -> pd.Series:
    spellings = {a: choice_spellings(column, a) for a in allowed}  # 'high', 'haute'
    lookup = {_canonical(s): a for a in allowed for s in spellings[a]}

    def one(value: object) -> Converted[str | None]:
        text = filled_text(value)
        if text is None:
            return None, None
        found = lookup.get(_canonical(text))
        if found is None:
            labels = tuple(choice_label(column, a) for a in allowed)
            return None, CHOICE_NOT_IN_LIST.fill(column=column.header, allowed=_listed(labels))
        if text not in spellings[found]:
            label = choice_label(column, found)
            return found, CHOICE_READ_LOOSELY.fill(column=column.header, choice=label)
        return found, None

    chosen = _converted(cells, index, column, one, issues)
    return pd.Series(chosen, index=index, dtype=object)


def _choices(
    cells: Sequence[object],
    index: pd.Index,
    column: Column,
    allowed: tuple[str, ...],
    issues: list[CellIssue],
) -> pd.Series:
    lookup = {_canonical(a): a for a in allowed}

    def one(value: object) -> Converted[tuple[str, ...] | None]:
        text = filled_text(value)
        if text is None:
            return None, None
        parts = [p.strip() for p in LIST_SPLIT.split(text) if p.strip()]
        found = [lookup.get(_canonical(p)) for p in parts]
        codes = tuple(dict.fromkeys(f for f in found if f is not None))
        unknown = [p for p, f in zip(parts, found, strict=True) if f is None]
        if unknown:
            message = COMPONENTS_NOT_IN_PLAN.fill(
                column=column.header, unknown=", ".join(unknown), allowed=_listed(allowed)
            )
            return codes or None, message
        if parts != list(codes):
            return codes or None, CHOICES_READ_LOOSELY.fill(
                column=column.header, choices=", ".join(codes)
            )
        return codes or None, None

    chosen = _converted(cells, index, column, one, issues)
    return pd.Series(chosen, index=index, dtype=object)


def _listed(allowed: tuple[str, ...]) -> str:
    """The allowed values a message lists: the first eight, then an ellipsis."""
    return ", ".join(allowed) if len(allowed) <= 8 else ", ".join(allowed[:8]) + ", ..."
