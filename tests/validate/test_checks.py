"""The contract's column and row checks (validate/checks.py): what each failure tells the planner.

test_rules.py pins which cells fail; here the words of each message (the column by its
header, the allowed range, the item type that needs the value), and the edges of the
rules: an end without a start, ids that look like formulas, a frame without a column.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from missionplan.validate.checks import (
    CONTROL_CHARACTER_PATTERN,
    FORMULA_LIKE,
    SECURITY_FORCES,
    _lines_with_security_words,
    _no_control_characters,
    _no_formula_start,
    run_checks,
)
from missionplan.validate.values import normalize
from tests.validate.builders import COMPONENTS, CONTEXT, activity, raw_frame, risk


def told(rows: list[dict[str, object]]) -> list[tuple[int, str, str, str]]:
    """(row, column key, code, message) of every check failure."""
    typed, _ = normalize(raw_frame(rows), COMPONENTS)
    return sorted((i.index, i.key, i.code, i.message) for i in run_checks(typed, CONTEXT))


def test_a_missing_value_names_its_column_the_item_type_and_what_to_enter() -> None:
    assert told([activity(lead=""), risk(owner="")]) == [
        (
            0,
            "lead",
            "required-value-missing",
            "Fill in Lead: every activity needs it. The one component that leads this activity. "
            "Pick it from the list.",
        ),
        (
            1,
            "owner",
            "required-value-missing",
            "Fill in Owner: every risk needs it. The component answerable for this benchmark or "
            "risk. Pick it from the list.",
        ),
    ]


def test_numbers_outside_their_range_say_the_range() -> None:
    rows = [risk(likelihood=6), risk(impact=2.5), activity(budget=-1)]
    assert told(rows) == [
        (0, "likelihood", "value-out-of-range", "Likelihood must be from 1 to 5."),
        (
            1,
            "impact",
            "not-a-whole-number",
            "Impact must be a whole number, not a fraction. Impact must be from 1 to 5.",
        ),
        (2, "budget", "value-out-of-range", "Budget (USD) must be 0 or more."),
    ]


def test_dates_and_texts_name_their_column() -> None:
    rows = [
        activity(start=dt.date(2026, 6, 1)),
        activity(comments="x" * 40_000),
        activity(partners="UNDP\x07"),
        activity(comments="+ see annex"),
    ]
    assert told(rows) == [
        (
            0,
            "start",
            "date-outside-period",
            "Start is outside the planning period; enter a date inside it (see the Instructions "
            "sheet).",
        ),
        (
            1,
            "comments",
            "text-too-long",
            "Comments is longer than a cell can hold (32,767 characters); shorten it.",
        ),
        (
            2,
            "partners",
            "control-characters",
            "Partners holds invisible control characters (often pasted from another program); "
            "retype the text.",
        ),
        (
            3,
            "comments",
            "text-looks-like-formula",
            "Comments starts with =, +, - or @, which a spreadsheet may run as a formula; start "
            "the text with a word.",
        ),
    ]


def test_an_end_without_a_start_is_only_a_missing_start() -> None:
    assert [(i, key, code) for i, key, code, _ in told([activity(start=None)])] == [
        (0, "start", "required-value-missing")
    ]


def test_ids_and_sources_are_not_checked_as_formulas() -> None:
    """Key columns are compared with the template instead (an unknown id is reported there)."""
    assert told([activity(item_id="-1", ref="+3.1", output_id="=1.1")]) == []


def test_security_forces_named_only_in_partners_on_a_row_without_a_description() -> None:
    found = told([activity(text="", partners="the national police")])
    assert [(key, code) for _, key, code, _ in found] == [
        ("hrddp", "hrddp-not-stated"),
        ("text", "required-value-missing"),
    ]


def test_a_frame_without_a_column_is_checked_on_the_others() -> None:
    raw = raw_frame([activity(), activity(lead=""), activity()]).drop(columns=["budget"])
    typed, _ = normalize(raw, COMPONENTS)
    issues = run_checks(typed, CONTEXT)
    assert [(i.index, i.key, i.code) for i in issues] == [(1, "lead", "required-value-missing")]


def test_failures_point_at_the_frames_own_row_labels() -> None:
    """A frame of some rows only (labels 10 and 11) is reported by those labels."""
    raw = raw_frame([activity(), activity(support="BBB, AAA", budget=-5)])
    raw.index = pd.Index([10, 11])
    typed, _ = normalize(raw, COMPONENTS)
    found = sorted((i.index, i.key, i.code) for i in run_checks(typed, CONTEXT))
    assert found == [(11, "budget", "value-out-of-range"), (11, "support", "lead-also-support")]


def test_the_pandera_schema_finds_the_same_failures_as_run_checks() -> None:
    """The rules are declared once: as pandera checks they fail on the same (row, rule)."""
    import pandera.pandas as pa

    from missionplan.validate.checks import build_schema

    rows = [
        activity(lead="", budget=-1, start=dt.date(2026, 6, 1)),
        activity(support="AAA, BBB", text="=SUM(A1)"),
        risk(likelihood=6, impact=2.5),
        activity(),
    ]
    typed, _ = normalize(raw_frame(rows), COMPONENTS)
    ours = {(i.index, f"{i.code}|{i.key}") for i in run_checks(typed, CONTEXT)}
    try:
        build_schema(CONTEXT).validate(typed, lazy=True)
        theirs: set[tuple[int, str]] = set()
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases.dropna(subset=["index"])
        theirs = {(int(i), str(c)) for i, c in zip(cases["index"], cases["check"], strict=True)}
    assert ours == theirs
    assert len(ours) >= 5


# --- the whole-column search finds what the per-cell checks find --------------------------------

TEXTS = st.lists(
    st.one_of(
        st.none(),
        st.text(alphabet=st.sampled_from("ab =+-@\n\t\x01\x1f\x7f"), max_size=6),
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_the_text_checks_fail_exactly_the_cells_the_patterns_match(texts: list) -> None:
    filled = pd.Series(texts, dtype=object).dropna()  # the rules see only filled cells
    exact_control = [not re.search(CONTROL_CHARACTER_PATTERN, text) for text in filled]
    exact_formula = [not re.match(FORMULA_LIKE, text) for text in filled]
    assert _no_control_characters(filled).tolist() == exact_control
    assert _no_formula_start(filled).tolist() == exact_formula


SAID = st.lists(
    st.sampled_from(
        [
            "national ",
            "Host ",
            "ARMED ",
            "Police",
            "forces",
            "security",
            "gendarmerie",
            "ſecurity",
            "İ",
            "ı",
            "army",
            "x",
            " ",
            "\n",
            "-",
            "é",
        ]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(SAID)
@example("x\nnational ſecurity")
@example("natıonal army\nx")
@example("gendarmerİe\nGENDARMERIE")
@example("none\nHost - Police")
def test_the_lines_with_security_words_match_as_the_whole_text(said: str) -> None:
    """The lines kept are a shortcut: the regex finds a mention in them exactly when it
    finds one in the whole text (any case, the letters lower() and IGNORECASE tell apart)."""
    kept = _lines_with_security_words(said)
    assert (SECURITY_FORCES.search(kept) is None) == (SECURITY_FORCES.search(said) is None)


# --- the quick path finds what the plain rule masks find -----------------------------------------

CELLS = {
    "item_type": st.sampled_from(["activity", "benchmark", "risk", ""]),
    "text": st.sampled_from(["", "Train police.", "=SUM(A1)", "national army patrols", "a\x01"]),
    "lead": st.sampled_from(["", "AAA", "BBB"]),
    "support": st.sampled_from(["", "AAA", "BBB, CCC"]),
    "partners": st.sampled_from(["", "host state security forces", "NGOs"]),
    "start": st.sampled_from(["", dt.date(2026, 6, 1), dt.date(2027, 2, 1), dt.date(2028, 1, 1)]),
    "end": st.sampled_from(["", dt.date(2027, 1, 1), dt.date(2027, 5, 1), dt.date(2031, 1, 1)]),
    "term": st.sampled_from(["", "short", "medium", "long"]),
    "target_date": st.sampled_from(["", dt.date(2027, 6, 30), dt.date(2029, 6, 30), "2028"]),
    "likelihood": st.sampled_from(["", 1, 4, 5, 6, 2.5]),
    "impact": st.sampled_from(["", 1, 4, 5]),
    "mitigation": st.sampled_from(["", "Patrols."]),
    "budget": st.sampled_from(["", 0, 100, -1, 2.5]),
    "hrddp": st.sampled_from(["", "not applicable", "applies"]),
    "owner": st.sampled_from(["", "AAA"]),
    "comments": st.sampled_from(["", "+1 more", "x" * 40_000]),
}
ROWS = st.lists(st.fixed_dictionaries({}, optional=CELLS), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(ROWS)
def test_run_checks_fails_the_same_cells_as_each_rules_own_mask(rows: list) -> None:
    """run_checks' shared columns and quick tests are shortcuts: Rule.failures, rule by rule
    on the frame alone, fails the same (row, rule) pairs."""
    from missionplan.validate.checks import rules

    typed, _ = normalize(raw_frame(rows), COMPONENTS)
    ours = sorted((i.index, i.key, i.code) for i in run_checks(typed, CONTEXT))
    plain = sorted(
        (int(typed.index[position]), rule.key, rule.kind.code)
        for rule in rules(CONTEXT)
        if rule.on_frame or rule.key in typed
        for position in rule.failures(typed).tolist()
    )
    assert ours == plain
