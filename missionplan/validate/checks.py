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
SECURITY_FORCES = re.compile(
    r"\b(?:national|host|state|government|non-UN|armed)\b.{0,40}"
    r"\b(?:security|defen[cs]e|armed|police|military|army|forces)\b"
    r"|\bsecurity forces\b|\bnational (?:army|police)\b|\bgendarmerie\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CheckContext:
    """What the checks need to know about the plan (all carried by the template)."""

    period: Window
    windows: tuple[Window, Window, Window]


def build_schema(context: CheckContext) -> pa.DataFrameSchema:
    """The pandera schema of a planning sheet for one plan."""
    columns = {
        column.key: pa.Column(
            None, nullable=True, required=False, checks=_column_checks(column, context)
        )
        for column in COLUMNS
    }
    return pa.DataFrameSchema(columns, checks=_row_checks(context), coerce=False, strict=False)


def run_checks(frame: pd.DataFrame, context: CheckContext) -> list[CellIssue]:
    """Run every check lazily; each (row, check) failure becomes one CellIssue."""
    if frame.empty:
        return []
    try:
        build_schema(context).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _issues(errors.failure_cases, frame)
    return []


def _issues(failures: pd.DataFrame, frame: pd.DataFrame) -> list[CellIssue]:
    found = failures.dropna(subset=["index"])
    found = found[found["check"].astype(str).str.contains("|", regex=False)]
    pairs = found[["index", "check"]].drop_duplicates()  # row checks report once per column
    issues = []
    for index, check in zip(pairs["index"].tolist(), pairs["check"].tolist(), strict=True):
        code, key = str(check).split("|", 1)
        column = next(c for c in COLUMNS if c.key == key)
        item_type = str(frame.at[int(index), "item_type"])
        message = MESSAGE_OF[_CHECKED[code]](column, item_type)
        issues.append(CellIssue(int(index), key, message))
    return issues


def _column_checks(column: Column, context: CheckContext) -> list[pa.Check]:
    checks: list[pa.Check] = []
    name = column.key
    if column.type == "date":
        start = pd.Timestamp(context.period.start)
        end = pd.Timestamp(context.period.end)
        checks.append(_check(lambda s: s.isna() | s.between(start, end), DATE_OUTSIDE_PERIOD, name))
    if column.type == "integer":
        checks.append(_check(lambda s: s.isna() | (s % 1 == 0), NOT_A_WHOLE_NUMBER, name))
    if column.type in ("integer", "number") and column.minimum is not None:
        low, high = column.minimum, column.maximum if column.maximum is not None else float("inf")
        checks.append(_check(lambda s: s.isna() | s.between(low, high), VALUE_OUT_OF_RANGE, name))
    if column.type == "text":
        checks.append(
            _check(lambda s: s.isna() | (s.str.len() <= MAX_CELL_TEXT), TEXT_TOO_LONG, name)
        )
        checks.append(
            _check(
                lambda s: s.isna() | ~s.str.contains(CONTROL_CHARACTER_PATTERN, regex=True),
                CONTROL_CHARACTERS,
                name,
            )
        )
        if column.role != "key":
            checks.append(
                _check(
                    lambda s: s.isna() | ~s.str.match(FORMULA_LIKE), TEXT_LOOKS_LIKE_FORMULA, name
                )
            )
    return checks


def _check(test: Callable[[pd.Series], pd.Series], kind: FindingType, key: str) -> pa.Check:
    return pa.Check(lambda s: test(s).fillna(True).astype(bool), name=f"{kind.code}|{key}")


def _row_check(test: Callable[[pd.DataFrame], pd.Series], kind: FindingType, key: str) -> pa.Check:
    return pa.Check(lambda df: test(df).fillna(True).astype(bool), name=f"{kind.code}|{key}")


def _row_checks(context: CheckContext) -> list[pa.Check]:
    checks = [_required(column) for column in COLUMNS if column.required_for]
    checks += [
        _row_check(_ends_after_start, END_BEFORE_START, "end"),
        _row_check(
            lambda df: _in_term_window(df, context), TARGET_DATE_OUTSIDE_TERM, "target_date"
        ),
        _row_check(_high_risk_mitigated, HIGH_RISK_WITHOUT_MITIGATION, "mitigation"),
        _row_check(_lead_not_support, LEAD_ALSO_SUPPORT, "support"),
        _row_check(_hrddp_stated, HRDDP_NOT_STATED, "hrddp"),
    ]
    return checks


def _required(column: Column) -> pa.Check:
    kinds = list(column.required_for)
    key = column.key

    def test(df: pd.DataFrame) -> pd.Series:
        if key not in df:
            return pd.Series(True, index=df.index)
        return ~(df["item_type"].isin(kinds) & df[key].isna())

    return _row_check(test, REQUIRED_VALUE_MISSING, key)


def _ends_after_start(df: pd.DataFrame) -> pd.Series:
    return df["start"].isna() | df["end"].isna() | (df["end"] >= df["start"])


def _in_term_window(df: pd.DataFrame, context: CheckContext) -> pd.Series:
    ok = pd.Series(True, index=df.index)
    for window in context.windows:
        rows = (df["item_type"] == "benchmark") & (df["term"] == window.term)
        dates = df["target_date"]
        inside = dates.between(pd.Timestamp(window.start), pd.Timestamp(window.end))
        ok &= ~rows | dates.isna() | inside
    return ok


def _high_risk_mitigated(df: pd.DataFrame) -> pd.Series:
    rating = df["likelihood"] * df["impact"]
    high = (df["item_type"] == "risk") & (rating >= HIGH_RISK_RATING)
    return ~high | df["mitigation"].notna()


def _lead_not_support(df: pd.DataFrame) -> pd.Series:
    pairs = zip(df["lead"].tolist(), df["support"].tolist(), strict=True)
    return pd.Series(
        [not (lead and support and lead in support) for lead, support in pairs], index=df.index
    )


def _hrddp_stated(df: pd.DataFrame) -> pd.Series:
    mentions = (df["text"].fillna("") + " " + df["partners"].fillna("")).str.contains(
        SECURITY_FORCES
    )
    says_no = df["hrddp"] == HRDDP_NOT_APPLICABLE
    return ~((df["item_type"] == "activity") & mentions & says_no)


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
