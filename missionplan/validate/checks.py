"""The contract's column and row checks, as a pandera schema built from schema/contract.py.

Checks are vectorised (they return boolean masks) and named "<code>|<column key>",
so every failure pandera collects (lazily: all of them) maps back to a finding
code and a cell. The frame they run on is the typed frame from values.py,
with the item type in `item_type` and missing values as NA.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from missionplan.planning.plan import Window
from missionplan.schema.contract import COLUMNS, HIGH_RISK_RATING, MAX_CELL_TEXT, Column
from missionplan.validate.values import CellIssue

CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
FORMULA_LIKE = r"^\s*[=+\-@]"
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
        issues.append(CellIssue(int(index), key, code, _message(code, key, frame, int(index))))
    return issues


def _column_checks(column: Column, context: CheckContext) -> list[pa.Check]:
    checks: list[pa.Check] = []
    name = column.key
    if column.type == "date":
        start = pd.Timestamp(context.period.start)
        end = pd.Timestamp(context.period.end)
        checks.append(
            _check(lambda s: s.isna() | s.between(start, end), "date-outside-period", name)
        )
    if column.type == "integer":
        checks.append(_check(lambda s: s.isna() | (s % 1 == 0), "not-a-whole-number", name))
    if column.type in ("integer", "number") and column.minimum is not None:
        low, high = column.minimum, column.maximum if column.maximum is not None else float("inf")
        checks.append(_check(lambda s: s.isna() | s.between(low, high), "value-out-of-range", name))
    if column.type == "text":
        checks.append(
            _check(lambda s: s.isna() | (s.str.len() <= MAX_CELL_TEXT), "text-too-long", name)
        )
        checks.append(
            _check(
                lambda s: s.isna() | ~s.str.contains(CONTROL_CHARACTERS, regex=True),
                "control-characters",
                name,
            )
        )
        if column.role != "key":
            checks.append(
                _check(
                    lambda s: s.isna() | ~s.str.match(FORMULA_LIKE), "text-looks-like-formula", name
                )
            )
    return checks


def _check(test: Callable[[pd.Series], pd.Series], code: str, key: str) -> pa.Check:
    return pa.Check(lambda s: test(s).fillna(True).astype(bool), name=f"{code}|{key}")


def _row_check(test: Callable[[pd.DataFrame], pd.Series], code: str, key: str) -> pa.Check:
    return pa.Check(lambda df: test(df).fillna(True).astype(bool), name=f"{code}|{key}")


def _row_checks(context: CheckContext) -> list[pa.Check]:
    checks = [_required(column) for column in COLUMNS if column.required_for]
    checks += [
        _row_check(_ends_after_start, "end-before-start", "end"),
        _row_check(
            lambda df: _in_term_window(df, context), "target-date-outside-term", "target_date"
        ),
        _row_check(_high_risk_mitigated, "high-risk-without-mitigation", "mitigation"),
        _row_check(_lead_not_support, "lead-also-support", "support"),
        _row_check(_hrddp_stated, "hrddp-not-stated", "hrddp"),
    ]
    return checks


def _required(column: Column) -> pa.Check:
    kinds = list(column.required_for)
    key = column.key

    def test(df: pd.DataFrame) -> pd.Series:
        if key not in df:
            return pd.Series(True, index=df.index)
        return ~(df["item_type"].isin(kinds) & df[key].isna())

    return _row_check(test, "required-value-missing", key)


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
    says_no = df["hrddp"] == "not applicable"
    return ~((df["item_type"] == "activity") & mentions & says_no)


def _message(code: str, key: str, frame: pd.DataFrame, index: int) -> str:
    """A planner's message for a check failure: what is wrong and how to fix it."""
    column = next(c for c in COLUMNS if c.key == key)
    header = column.header
    if code == "required-value-missing":
        item_type = str(frame.at[index, "item_type"])
        return f"Fill in {header}: every {item_type} needs it. {column.help}"
    if code == "not-a-whole-number":
        return f"{header} must be a whole number, not a fraction. {_range_message(column)}"
    if code == "value-out-of-range":
        return _range_message(column)
    return {
        "date-outside-period": f"{header} is outside the planning period; enter a date inside "
        "it (see the Instructions sheet).",
        "text-too-long": f"{header} is longer than a cell can hold ({MAX_CELL_TEXT:,} "
        "characters); shorten it.",
        "control-characters": f"{header} holds invisible control characters (often pasted from "
        "another program); retype the text.",
        "text-looks-like-formula": f"{header} starts with =, +, - or @, which a spreadsheet may "
        "run as a formula; start the text with a word.",
        "end-before-start": "The activity ends before it starts; correct Start or End.",
        "target-date-outside-term": "The target date is outside the window of the benchmark's "
        "term (see the Instructions sheet); move the date or change the term.",
        "high-risk-without-mitigation": "This is a high risk (likelihood x impact of 15 or "
        "more): describe its mitigation.",
        "lead-also-support": "The lead component is also listed as supporting; remove it from "
        "Supporting components.",
        "hrddp-not-stated": "The activity appears to support national security forces, but "
        "HRDDP says 'not applicable'; state how the HRDDP applies.",
    }.get(code, header)


def _range_message(column: Column) -> str:
    low = column.minimum if column.minimum is not None else 0
    if column.maximum is None:
        return f"{column.header} must be {low:g} or more."
    return f"{column.header} must be from {low:g} to {column.maximum:g}."
