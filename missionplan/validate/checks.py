"""The contract's column and row checks, as a pandera schema built from schema/contract.py.

Checks are vectorised (they return boolean masks) and named "<code>|<column key>",
so every failure pandera collects (lazily: all of them) maps back to a finding
type and a cell, and from there to its message (MESSAGE_OF). The frame they run on
is the typed frame from values.py, with the item type in `item_type` and missing
values as NA.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pandera.pandas as pa

from missionplan.planning.plan import Window
from missionplan.schema.contract import (
    COLUMNS,
    HIGH_RISK_RATING,
    HRDDP_NOT_APPLICABLE,
    MAX_CELL_TEXT,
    Column,
)
from missionplan.schema.findings import (
    ACTIVITY_ENDS_BEFORE_START,
    CONTROL_CHARACTERS,
    DATE_NOT_IN_PERIOD,
    DATE_OUTSIDE_PERIOD,
    END_BEFORE_START,
    FILL_IN_REQUIRED_VALUE,
    HIGH_RISK_NEEDS_MITIGATION,
    HIGH_RISK_WITHOUT_MITIGATION,
    HRDDP_NOT_STATED,
    HRDDP_SAID_NOT_APPLICABLE,
    INVISIBLE_CHARACTERS,
    LEAD_ALSO_SUPPORT,
    LEAD_LISTED_AS_SUPPORT,
    NOT_A_WHOLE_NUMBER,
    NUMBER_BELOW_MINIMUM,
    NUMBER_OUTSIDE_RANGE,
    REQUIRED_VALUE_MISSING,
    TARGET_DATE_NOT_IN_TERM,
    TARGET_DATE_OUTSIDE_TERM,
    TEXT_LONGER_THAN_CELL,
    TEXT_LOOKS_LIKE_FORMULA,
    TEXT_STARTS_LIKE_FORMULA,
    TEXT_TOO_LONG,
    VALUE_OUT_OF_RANGE,
    WHOLE_NUMBER_NEEDED,
    FilledMessage,
    FindingType,
)
from missionplan.schema.text import FORMULA_START
from missionplan.validate.values import CellIssue

CONTROL_CHARACTER_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
FORMULA_LIKE = rf"^\s*[{re.escape(''.join(FORMULA_START))}]"
ANY_CONTROL_CHARACTER = re.compile(CONTROL_CHARACTER_PATTERN)
ANY_LINE_LIKE_FORMULA = re.compile(FORMULA_LIKE, re.MULTILINE)
"""Over a whole column joined by line breaks: no match means no cell matches (a line break
is no control character here, and every cell starts a line), so the common clean column
takes one regex pass instead of one call per cell."""
SECURITY_FORCES = re.compile(
    r"\b(?:national|host|state|government|non-UN|armed)\b.{0,40}"
    r"\b(?:security|defen[cs]e|armed|police|military|army|forces)\b"
    r"|\bsecurity forces\b|\bnational (?:army|police)\b|\bgendarmerie\b",
    re.IGNORECASE,
)
"""Texts that mention security forces. No match spans a line break ('.' stops at one and
every word is on one line), so texts joined by line breaks can be searched at once."""
SECURITY_WORDS = (
    "security", "defence", "defense", "armed", "police", "military", "army", "forces",
    "gendarmerie",
)  # fmt: skip
"""A word every SECURITY_FORCES match holds (the second word of its first branch, or the
whole of another), in lower case: a line holding none of them cannot match."""
CASE_FOLDS_APART = ("\u0130", "\u0131", "\u017f")
"""The characters str.lower() and the regex's IGNORECASE disagree on: 'İ' lowers to two
characters, while dotless 'ı' and long 'ſ' match 'i' and 's' but lower to themselves."""


@dataclass(frozen=True)
class CheckContext:
    """What the checks need to know about the plan (all carried by the template)."""

    period: Window
    windows: tuple[Window, Window, Window]


ColumnQuick = Callable[[np.ndarray], bool]
"""A column rule's quick test: True when it holds on all these filled values."""
RowQuick = Callable[["FrameColumns"], "np.ndarray | bool | None"]
"""A row rule's quick test: the holding mask, True (holds everywhere) or None (ask `test`)."""


@dataclass(frozen=True)
class Rule:
    """One vectorised check: a mask over a column (or the whole frame), True where it holds.

    A column rule gets the column's series, a row rule the frame; a failure (False) is a
    (row, rule) pair, reported at the rule's column with its finding type.
    """

    kind: FindingType
    key: str
    test: Callable[[pd.Series], pd.Series | bool] | Callable[[pd.DataFrame], pd.Series | bool]
    """The mask; or True alone, when the rule holds on every row."""
    on_frame: bool = False
    quick: ColumnQuick | RowQuick | None = None
    """The same answer without pandas' per-call cost, for run_checks on small frames. A column
    rule's gets the filled values as an array and says True only when the rule holds on all
    of them; a row rule's gets the frame's columns and gives the holding mask, True (holds
    everywhere) or None (then `test` decides)."""

    @property
    def name(self) -> str:
        return f"{self.kind.code}|{self.key}"

    def failures(self, frame: pd.DataFrame, filled: Filled | None = None) -> np.ndarray:
        """The positions of the rows where the rule fails, ascending. A column rule sees
        only the filled cells (as pandera's checks do), and missing results count as
        holding; an empty column is not looked at. `filled` keeps each column's filled
        cells for the next rule on it."""
        if self.on_frame:
            return np.flatnonzero(~self._holding(frame))
        found = filled.get(self.key) if filled is not None else None
        if found is None:
            found = _filled(frame[self.key])
            if filled is not None:
                filled[self.key] = found
        positions, values = found
        if positions is None:
            return np.flatnonzero(~self._holding(values))
        if not len(positions):
            return positions
        return positions[~self._holding(values)]

    def mask(self, target: pd.Series | pd.DataFrame) -> pd.Series | bool:
        """True where the rule holds (or True: everywhere), as pandera takes a check's result."""
        result = self.test(target)
        if isinstance(result, bool):
            return result
        return result.fillna(True).astype(bool)

    def _holding(self, target: pd.Series | pd.DataFrame) -> np.ndarray:
        result = self.test(target)
        if isinstance(result, bool):
            return np.full(len(target), result)
        if result.dtype == bool:
            return result.to_numpy()
        return result.fillna(True).astype(bool).to_numpy()

    def as_check(self) -> pa.Check:
        """The rule as a pandera check (column or frame check, as it was declared)."""
        return pa.Check(self.mask, name=self.name)


Filled = dict[str, tuple[np.ndarray | None, pd.Series]]
"""A column's filled cells: their positions (None: every row) and values, by column key."""


def _filled(values: pd.Series) -> tuple[np.ndarray | None, pd.Series]:
    if not values.hasnans:
        return None, values
    mask = values.notna().to_numpy()
    return np.flatnonzero(mask), values[mask]


def rules(context: CheckContext) -> list[Rule]:
    """Every column rule (contract order), then every row rule."""
    return _column_rules(context) + _row_checks(context)


def build_schema(context: CheckContext) -> pa.DataFrameSchema:
    """The pandera schema of a planning sheet for one plan: the same rules as pandera checks.

    The contract as a pandera schema, for tools and for the tests that pin it to
    run_checks; run_checks evaluates the rules' masks itself (below).
    """
    by_column: dict[str, list[pa.Check]] = {}
    for rule in _column_rules(context):
        by_column.setdefault(rule.key, []).append(rule.as_check())
    columns = {
        column.key: pa.Column(
            None, nullable=True, required=False, checks=by_column.get(column.key, [])
        )
        for column in COLUMNS
    }
    checks = [rule.as_check() for rule in _row_checks(context)]
    return pa.DataFrameSchema(columns, checks=checks, coerce=False, strict=False)


def run_checks(frame: pd.DataFrame, context: CheckContext) -> list[CellIssue]:
    """Every rule's mask over the whole frame; each (row, rule) failure becomes one CellIssue.

    The masks are evaluated here, not through pandera's validate: its per-check
    bookkeeping (a failure-case frame, a null scan of the whole frame for every row
    check) cost more than the checks themselves, about 2 ms a check on any frame and
    seconds on large ones, for the same failures. Each column's filled cells, and the
    item-type masks the row rules share, are found once for all the rules (FrameColumns),
    and a rule's quick test spares the pandas calls when it holds on every row.
    """
    if frame.empty:
        return []
    columns = FrameColumns(frame)
    by_key = {c.key: c for c in COLUMNS}
    issues = []
    item_types: list[object] | None = None
    labels: list[int] = []
    for rule in _rules_of(context):
        if not rule.on_frame and rule.key not in frame:
            continue
        failed = columns.failures(rule)
        if not len(failed):
            continue
        if not labels:
            item_types = frame["item_type"].tolist() if "item_type" in frame else None
            labels = [int(label) for label in frame.index.tolist()]
        column = by_key[rule.key]
        make = MESSAGE_OF[rule.kind]
        messages: dict[str, FilledMessage[FindingType]] = {}  # by item type, each made once
        for position in failed.tolist():
            item_type = str(item_types[position]) if item_types is not None else "nan"
            message = messages.get(item_type)
            if message is None:
                message = messages[item_type] = make(column, item_type)
            issues.append(CellIssue(labels[position], rule.key, message))
    return issues


@lru_cache(maxsize=16)
def _rules_of(context: CheckContext) -> tuple[Rule, ...]:
    """The rules of one plan's context, made once (a run checks many files of one plan)."""
    return tuple(rules(context))


class FrameColumns:
    """A frame's columns as arrays, each made once for all the rules that look at it.

    Each pandas call costs tens of microseconds whatever the frame's size: on the small
    frames of a typical workbook, making a column's missing mask or the item-type masks
    again for every rule cost more than the rules' own work.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._values: dict[str, np.ndarray] = {}
        self._missing: dict[str, np.ndarray] = {}
        self._equal: dict[tuple[str, object], np.ndarray] = {}
        self._among: dict[tuple[str, ...], np.ndarray] = {}
        self._filled: Filled = {}

    def values(self, key: str) -> np.ndarray:
        """The column's values as an array."""
        found = self._values.get(key)
        if found is None:
            found = self._values[key] = self.frame[key].to_numpy()
        return found

    def missing(self, key: str) -> np.ndarray:
        """Where the column is missing (as Series.isna says); every column's found at once."""
        found = self._missing.get(key)
        if found is None:
            if not self._missing and self.frame.columns.is_unique:
                every = self.frame.isna().to_numpy()
                for position, name in enumerate(self.frame.columns):
                    self._missing[name] = every[:, position]
                found = self._missing.get(key)
            if found is None:
                found = self._missing[key] = self.frame[key].isna().to_numpy()
        return found

    def equal(self, key: str, value: object) -> np.ndarray:
        """Where the column equals `value` (as the Series' == says)."""
        found = self._equal.get((key, value))
        if found is None:
            found = self._equal[(key, value)] = (self.frame[key] == value).to_numpy()
        return found

    def types_among(self, kinds: tuple[str, ...]) -> np.ndarray:
        """Where the item type is one of `kinds` (as the Series' isin says)."""
        found = self._among.get(kinds)
        if found is None:
            found = self._among[kinds] = self.frame["item_type"].isin(kinds).to_numpy()
        return found

    def dtype(self, key: str) -> object:
        return self.frame[key].dtype

    def failures(self, rule: Rule) -> np.ndarray:
        """The positions where the rule fails, ascending: Rule.failures, faster."""
        if rule.on_frame:
            holding = rule.quick(self) if rule.quick is not None else None  # type: ignore[arg-type]
            if holding is None:
                return rule.failures(self.frame, self._filled)
            if isinstance(holding, bool):
                return _NONE_FAILED if holding else np.arange(len(self.frame))
            return np.flatnonzero(~holding)
        missing = self.missing(rule.key)
        if missing.all():
            return _NONE_FAILED  # an empty column is not looked at
        if rule.quick is not None:
            values = self.values(rule.key)
            if missing.any():
                values = values[~missing]
            if rule.quick(values) is True:  # type: ignore[arg-type]
                return _NONE_FAILED
        return rule.failures(self.frame, self._filled)


_NONE_FAILED = np.flatnonzero(np.zeros(0, dtype=bool))


def _column_rules(context: CheckContext) -> list[Rule]:
    return [rule for column in COLUMNS for rule in _column_checks(column, context)]


def _column_checks(column: Column, context: CheckContext) -> list[Rule]:
    checks: list[Rule] = []
    name = column.key
    if column.type == "date":
        start = pd.Timestamp(context.period.start)
        end = pd.Timestamp(context.period.end)
        checks.append(
            _check(
                lambda s: _between(s, start, end),
                DATE_OUTSIDE_PERIOD,
                name,
                lambda v: _all_between(v, start, end),
            )
        )
    if column.type == "integer":
        checks.append(_check(_whole, NOT_A_WHOLE_NUMBER, name, _all_whole))
    if column.type in ("integer", "number") and column.minimum is not None:
        low, high = column.minimum, column.maximum if column.maximum is not None else float("inf")
        checks.append(
            _check(
                lambda s: _between(s, low, high),
                VALUE_OUT_OF_RANGE,
                name,
                lambda v: _all_between(v, low, high),
            )
        )
    if column.type == "text":
        checks.append(_check(_short_enough, TEXT_TOO_LONG, name, _all_short_enough))
        checks.append(
            _check(
                _without_control_characters,
                CONTROL_CHARACTERS,
                name,
                lambda v: _none_can_match(v, ANY_CONTROL_CHARACTER),
            )
        )
        if column.role != "key":
            checks.append(
                _check(
                    _without_formula_start,
                    TEXT_LOOKS_LIKE_FORMULA,
                    name,
                    lambda v: _none_can_match(v, ANY_LINE_LIKE_FORMULA),
                )
            )
    return checks


def _all_between(values: np.ndarray, low: object, high: object) -> bool:
    """_between's quick answer on filled values: True when the smallest and largest are in."""
    return bool(len(values)) and bool(values.min() >= low and values.max() <= high)


def _all_whole(values: np.ndarray) -> bool:
    """_whole's quick answer on filled values."""
    return bool((np.mod(values, 1) == 0).all())


def _all_short_enough(values: np.ndarray) -> bool:
    """_short_enough's quick answer on filled values."""
    return _all_texts(values) and max(map(len, values.tolist()), default=0) <= MAX_CELL_TEXT


def _between(s: pd.Series, low: object, high: object) -> pd.Series | bool:
    """In [low, high] or missing; True alone when the column's smallest and largest are."""
    if not s.hasnans and _all_between(s.to_numpy(), low, high):
        return True
    return s.isna() | s.between(low, high)


def _whole(s: pd.Series) -> pd.Series | bool:
    """A whole number or missing; True alone when every number of the column is whole."""
    if not s.hasnans and _all_whole(s.to_numpy()):
        return True
    return s.isna() | (s % 1 == 0)


def _short_enough(s: pd.Series) -> pd.Series | bool:
    """No longer than a cell takes, or missing; True alone when the longest text is not."""
    if _all_short_enough(s.to_numpy()):
        return True
    return s.isna() | (s.str.len() <= MAX_CELL_TEXT)


def _no_control_characters(s: pd.Series) -> pd.Series:
    if _none_can_match(s, ANY_CONTROL_CHARACTER):
        return pd.Series(True, index=s.index)
    return s.isna() | ~s.str.contains(CONTROL_CHARACTER_PATTERN, regex=True)


def _no_formula_start(s: pd.Series) -> pd.Series:
    if _none_can_match(s, ANY_LINE_LIKE_FORMULA):
        return pd.Series(True, index=s.index)
    return s.isna() | ~s.str.match(FORMULA_LIKE)


def _without_control_characters(s: pd.Series) -> pd.Series | bool:
    """_no_control_characters, or True alone for the common clean column."""
    return True if _none_can_match(s, ANY_CONTROL_CHARACTER) else _no_control_characters(s)


def _without_formula_start(s: pd.Series) -> pd.Series | bool:
    """_no_formula_start, or True alone for the common clean column."""
    return True if _none_can_match(s, ANY_LINE_LIKE_FORMULA) else _no_formula_start(s)


def _none_can_match(s: pd.Series | np.ndarray, pattern: re.Pattern[str]) -> bool:
    """Whether the pattern finds nothing in the column's texts joined by line breaks."""
    if not _all_texts(s):
        return False  # missing or odd values: the exact check per cell decides
    return pattern.search("\n".join(s.tolist())) is None


def _all_texts(s: pd.Series | np.ndarray) -> bool:
    """Whether every value is a str (one pass in C)."""
    return pd.api.types.infer_dtype(s, skipna=False) in ("string", "empty")


def _check(
    test: Callable[[pd.Series], pd.Series | bool],
    kind: FindingType,
    key: str,
    quick: ColumnQuick | None = None,
) -> Rule:
    return Rule(kind, key, test, quick=quick)


def _row_check(
    test: Callable[[pd.DataFrame], pd.Series | bool],
    kind: FindingType,
    key: str,
    quick: RowQuick | None = None,
) -> Rule:
    return Rule(kind, key, test, on_frame=True, quick=quick)


def _row_checks(context: CheckContext) -> list[Rule]:
    checks = [_required(column) for column in COLUMNS if column.required_for]
    bounds = tuple(
        (window.term, _datetime64(window.start), _datetime64(window.end))
        for window in context.windows
    )
    checks += [
        _row_check(_ends_after_start, END_BEFORE_START, "end", _ends_after_start_quick),
        _row_check(
            lambda df: _in_term_window(df, context),
            TARGET_DATE_OUTSIDE_TERM,
            "target_date",
            lambda columns: _in_term_window_quick(columns, bounds),
        ),
        _row_check(
            _high_risk_mitigated,
            HIGH_RISK_WITHOUT_MITIGATION,
            "mitigation",
            _high_risk_mitigated_quick,
        ),
        _row_check(_lead_not_support, LEAD_ALSO_SUPPORT, "support", _lead_not_support_quick),
        _row_check(_hrddp_stated, HRDDP_NOT_STATED, "hrddp", _hrddp_stated_quick),
    ]
    return checks


def _required(column: Column) -> Rule:
    kinds = list(column.required_for)
    among = tuple(kinds)
    key = column.key

    def test(df: pd.DataFrame) -> pd.Series | bool:
        if key not in df:
            return True
        missing = df[key].isna()
        if not missing.to_numpy().any():
            return True
        return ~(df["item_type"].isin(kinds) & missing)

    def quick(columns: FrameColumns) -> np.ndarray | bool:
        if key not in columns.frame:
            return True
        missing = columns.missing(key)
        if not missing.any():
            return True
        return ~(columns.types_among(among) & missing)

    return _row_check(test, REQUIRED_VALUE_MISSING, key, quick)


def _datetime64(day: object) -> np.datetime64:
    """A date as numpy compares it with a datetime64 column (as pandas compares a Timestamp)."""
    return pd.Timestamp(day).to_datetime64()


def _is_numpy(columns: FrameColumns, key: str, kinds: str) -> bool:
    """Whether the column is a plain numpy column of one of these kinds ('M' dates, 'f' floats);
    the quick tests take only those, and leave any other to the pandas test."""
    dtype = columns.dtype(key)
    return isinstance(dtype, np.dtype) and dtype.kind in kinds


def _ends_after_start(df: pd.DataFrame) -> pd.Series:
    return df["start"].isna() | df["end"].isna() | (df["end"] >= df["start"])


def _ends_after_start_quick(columns: FrameColumns) -> np.ndarray | bool | None:
    if not (_is_numpy(columns, "start", "M") and _is_numpy(columns, "end", "M")):
        return None
    without = columns.missing("start") | columns.missing("end")
    if without.all():
        return True
    return without | (columns.values("end") >= columns.values("start"))


def _in_term_window(df: pd.DataFrame, context: CheckContext) -> pd.Series | bool:
    if not df["target_date"].notna().to_numpy().any():
        return True
    ok = pd.Series(True, index=df.index)
    for window in context.windows:
        rows = (df["item_type"] == "benchmark") & (df["term"] == window.term)
        dates = df["target_date"]
        inside = dates.between(pd.Timestamp(window.start), pd.Timestamp(window.end))
        ok &= ~rows | dates.isna() | inside
    return ok


def _in_term_window_quick(
    columns: FrameColumns, bounds: tuple[tuple[str, np.datetime64, np.datetime64], ...]
) -> np.ndarray | bool | None:
    missing = columns.missing("target_date")
    if missing.all():
        return True
    if not _is_numpy(columns, "target_date", "M"):
        return None
    benchmarks = columns.equal("item_type", "benchmark")
    dates = columns.values("target_date")
    ok = np.ones(len(dates), dtype=bool)
    for term, start, end in bounds:
        rows = benchmarks & columns.equal("term", term)
        if rows.any():
            ok &= ~rows | missing | ((dates >= start) & (dates <= end))
    return ok


def _high_risk_mitigated(df: pd.DataFrame) -> pd.Series:
    rating = df["likelihood"] * df["impact"]
    high = (df["item_type"] == "risk") & (rating >= HIGH_RISK_RATING)
    return ~high | df["mitigation"].notna()


def _high_risk_mitigated_quick(columns: FrameColumns) -> np.ndarray | bool | None:
    if not (_is_numpy(columns, "likelihood", "f") and _is_numpy(columns, "impact", "f")):
        return None
    rating = columns.values("likelihood") * columns.values("impact")
    high = columns.equal("item_type", "risk") & (rating >= HIGH_RISK_RATING)
    if not high.any():
        return True
    return ~high | ~columns.missing("mitigation")


def _lead_not_support(df: pd.DataFrame) -> pd.Series | bool:
    if not df["support"].notna().to_numpy().any():
        return True
    pairs = zip(df["lead"].tolist(), df["support"].tolist(), strict=True)
    return pd.Series(
        [not (lead and support and lead in support) for lead, support in pairs], index=df.index
    )


def _lead_not_support_quick(columns: FrameColumns) -> np.ndarray | bool | None:
    if columns.missing("support").all():
        return True
    if not (_is_numpy(columns, "lead", "O") and _is_numpy(columns, "support", "O")):
        return None  # not plain objects: the pandas test decides
    pairs = zip(columns.values("lead").tolist(), columns.values("support").tolist(), strict=True)
    return np.array([not (lead and support and lead in support) for lead, support in pairs])


def _hrddp_stated_quick(columns: FrameColumns) -> bool | None:
    """True when no row said 'not applicable' or none of those names security forces."""
    said_no = columns.equal("item_type", "activity") & columns.equal("hrddp", HRDDP_NOT_APPLICABLE)
    if not said_no.any():
        return True
    said = []
    for key in ("text", "partners"):
        values = columns.values(key)[said_no].tolist()
        missing = columns.missing(key)[said_no].tolist()
        said.append(["" if gone else value for value, gone in zip(values, missing, strict=True)])
    if not all(type(text) is str for texts in said for text in texts):
        return None  # odd values: the pandas test decides
    joined = "\n".join(f"{text} {partners}" for text, partners in zip(*said, strict=True))
    return True if SECURITY_FORCES.search(_lines_with_security_words(joined)) is None else None


def _lines_with_security_words(joined: str) -> str:
    """The lines of `joined` that hold a SECURITY_WORDS word in any case: the regex finds
    the same in them, since no match spans a line, and skips the many lines that cannot
    match. All of them when the text has a CASE_FOLDS_APART character, or when more than a
    quarter of the lines hold a word (picking them would cost more than it saves)."""
    if any(char in joined for char in CASE_FOLDS_APART):
        return joined
    lowered = joined.lower()  # one character for one: its positions are joined's
    enough = joined.count("\n") // 4 + 1
    starts: set[int] = set()
    for word in SECURITY_WORDS:
        at = lowered.find(word)
        while at != -1:
            starts.add(lowered.rfind("\n", 0, at) + 1)
            if len(starts) > enough:
                return joined
            at = lowered.find(word, at + 1)
    lines = []
    for start in sorted(starts):
        end = joined.find("\n", start)
        lines.append(joined[start:] if end == -1 else joined[start:end])
    return "\n".join(lines)


def _hrddp_stated(df: pd.DataFrame) -> pd.Series | bool:
    said_no = (df["item_type"] == "activity") & (df["hrddp"] == HRDDP_NOT_APPLICABLE)
    if not said_no.to_numpy().any():
        return True
    asked = df[said_no]  # only these rows can fail: the text search is for them alone
    said = asked["text"].fillna("") + " " + asked["partners"].fillna("")
    if _none_can_match(said, SECURITY_FORCES):  # no match spans a line: one search for all
        return True
    mentions = said.str.contains(SECURITY_FORCES)
    return ~mentions.eq(True).reindex(df.index, fill_value=False)


def _allowed_range(column: Column) -> FilledMessage[FindingType]:
    """What a number column takes: from its minimum, and to its maximum when it has one."""
    low = column.minimum if column.minimum is not None else 0
    if column.maximum is None:
        return NUMBER_BELOW_MINIMUM.fill(column=column.header, low=low)
    return NUMBER_OUTSIDE_RANGE.fill(column=column.header, low=low, high=column.maximum)


MessageMaker = Callable[[Column, str], FilledMessage[FindingType]]
"""A failed check's message, from its column and the failing row's item type."""

MESSAGE_OF: dict[FindingType, MessageMaker] = {
    REQUIRED_VALUE_MISSING: lambda column, item_type: FILL_IN_REQUIRED_VALUE.fill(
        column=column.header, item_type=item_type, help=column.help
    ),
    NOT_A_WHOLE_NUMBER: lambda column, _: WHOLE_NUMBER_NEEDED.fill(
        column=column.header, allowed_range=_allowed_range(column).text
    ),
    VALUE_OUT_OF_RANGE: lambda column, _: _allowed_range(column),
    DATE_OUTSIDE_PERIOD: lambda column, _: DATE_NOT_IN_PERIOD.fill(column=column.header),
    TEXT_TOO_LONG: lambda column, _: TEXT_LONGER_THAN_CELL.fill(
        column=column.header, limit=MAX_CELL_TEXT
    ),
    CONTROL_CHARACTERS: lambda column, _: INVISIBLE_CHARACTERS.fill(column=column.header),
    TEXT_LOOKS_LIKE_FORMULA: lambda column, _: TEXT_STARTS_LIKE_FORMULA.fill(column=column.header),
    END_BEFORE_START: lambda column, _: ACTIVITY_ENDS_BEFORE_START.fill(),
    TARGET_DATE_OUTSIDE_TERM: lambda column, _: TARGET_DATE_NOT_IN_TERM.fill(),
    HIGH_RISK_WITHOUT_MITIGATION: lambda column, _: HIGH_RISK_NEEDS_MITIGATION.fill(),
    LEAD_ALSO_SUPPORT: lambda column, _: LEAD_LISTED_AS_SUPPORT.fill(),
    HRDDP_NOT_STATED: lambda column, _: HRDDP_SAID_NOT_APPLICABLE.fill(),
}
"""Every type a check can report, with how its planner's message is made."""

_CHECKED: dict[str, FindingType] = {kind.code: kind for kind in MESSAGE_OF}
"""A check name's code part back to its finding type."""
