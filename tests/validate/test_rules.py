"""The validation rules without files: value conversion, pandera checks, cycles, grouping.

validate_submission takes plain data (a Submission), so every rule here runs on
hand-built sheets: one objective sheet with one output the component leads.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missionplan.schema.contract import COLUMNS, HIGH_RISK_RATING, MAX_CELL_TEXT
from missionplan.schema.findings import (
    CATALOGUE,
    INVALID_DATE,
    MISSING_SHEET,
    REQUIRED_VALUE_MISSING,
    FilledMessage,
    Finding,
    FindingType,
    finding,
)
from missionplan.schema.items import ExpectedItem, content_fingerprint
from missionplan.schema.text import filled_text
from missionplan.validate.checks import run_checks
from missionplan.validate.report import Report, group_findings, report_text
from missionplan.validate.rules import find_cycles, validate_submission
from missionplan.validate.values import normalize, parse_date_text
from missionplan.workbook.metadata import OutputMeta
from missionplan.workbook.reader import SheetTable, Submission
from tests.validate.builders import (
    COMPONENTS,
    CONTEXT,
    FRAMEWORK,
    KEYS,
    PERIOD_END,
    PERIOD_START,
    SHEET,
    WINDOWS,
    activity,
    benchmark,
    cells,
    good_rows,
    meta,
    raw_frame,
    risk,
    untouched_rows,
)

# --- normalize -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2027-03-31", dt.date(2027, 3, 31)),
        ("  2027-03-31 ", dt.date(2027, 3, 31)),
        ("2027-03-31T00:00:00", dt.date(2027, 3, 31)),
        ("31/03/2027", dt.date(2027, 3, 31)),
        ("31.03.2027", dt.date(2027, 3, 31)),
        ("31-03-2027", dt.date(2027, 3, 31)),
        ("01/04/2027", dt.date(2027, 4, 1)),  # day first, as the UN and most missions write it
        ("31 March 2027", dt.date(2027, 3, 31)),
        ("31 Mar 2027", dt.date(2027, 3, 31)),
        ("March 31, 2027", dt.date(2027, 3, 31)),
        ("2027/03/31", dt.date(2027, 3, 31)),
    ],
)
def test_parse_date_text_reads_common_layouts(text: str, day: dt.date) -> None:
    assert parse_date_text(text) == day


@pytest.mark.parametrize(
    "text",
    ["", "   ", "next spring", "31/02/2027", "03/31/2027", "2027-13-01", "2027-02-30", "Q3 2027"],
)
def test_parse_date_text_refuses_what_is_not_a_date(text: str) -> None:
    assert parse_date_text(text) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("1/4/2027", dt.date(2027, 4, 1)),
        ("5/03/2027", dt.date(2027, 3, 5)),
        ("1.4.2027", dt.date(2027, 4, 1)),
        ("2027/3/31", dt.date(2027, 3, 31)),
    ],
)
def test_parse_date_text_reads_short_day_first_dates(text: str, day: dt.date) -> None:
    assert parse_date_text(text) == day


@given(st.text(max_size=40))
def test_parse_date_text_never_raises(text: str) -> None:
    result = parse_date_text(text)
    assert result is None or isinstance(result, dt.date)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        (float("nan"), None),
        (6.0, "6"),
        (6.5, "6.5"),
        (0.0, "0"),
        (0, "0"),
        (" text ", "text"),
        (dt.datetime(2027, 3, 31), "2027-03-31"),
        (dt.datetime(2027, 3, 31, 9, 30), "2027-03-31T09:30:00"),
        (dt.date(2027, 3, 31), "2027-03-31"),
    ],
)
def test_as_text(value: object, text: str | None) -> None:
    assert filled_text(value) == text


def issues_of(rows: list[dict[str, object]]) -> list[tuple[int, str, str]]:
    _, issues = normalize(raw_frame(rows), COMPONENTS)
    return sorted((i.index, i.key, i.code) for i in issues)


def test_normalize_dates() -> None:
    rows = [
        {"start": dt.datetime(2027, 3, 31)},
        {"start": "2027-03-31"},
        {"start": 46477.0},  # Excel's serial for 2027-03-31
        {"start": 46477},
        {"start": "next spring"},
        {"start": -3.0},
        {"start": ""},
        {"start": None},
    ]
    typed, issues = normalize(raw_frame(rows), COMPONENTS)
    day = pd.Timestamp("2027-03-31")
    assert list(typed["start"][:4]) == [day] * 4
    assert typed["start"][4:].isna().all()
    assert sorted((i.index, i.code) for i in issues) == [
        (1, "date-typed-as-text"),
        (2, "date-typed-as-number"),  # read, but not silently: the user sees 46477, not a date
        (3, "date-typed-as-number"),
        (4, "invalid-date"),
        (5, "invalid-date"),
    ]


def test_normalize_numbers() -> None:
    rows = [
        {"budget": 1500},
        {"budget": "1,500"},
        {"budget": "USD 1,500"},
        {"budget": "$ 1 500"},
        {"budget": "a lot"},
        {"budget": ""},
    ]
    typed, issues = normalize(raw_frame(rows), COMPONENTS)
    assert list(typed["budget"][:4]) == [1500.0] * 4
    assert math.isnan(typed["budget"][4]) and math.isnan(typed["budget"][5])
    found = sorted((i.index, i.code) for i in issues)
    assert found == [
        (1, "number-typed-as-text"),
        (2, "number-typed-as-text"),
        (3, "number-typed-as-text"),
        (4, "invalid-number"),
    ]
    assert "1500" in next(i.message for i in issues if i.index == 1)


def test_normalize_choices() -> None:
    rows = [
        {"priority": "high", "support": "BBB"},
        {"priority": "HIGH", "support": "bbb; ccc"},
        {"priority": " High  ", "support": "BBB, BBB"},
        {"priority": "urgent", "support": "BBB, NAVY"},
    ]
    typed, issues = normalize(raw_frame(rows), COMPONENTS)
    assert list(typed["priority"]) == ["high", "high", "high", None]
    assert list(typed["support"]) == [("BBB",), ("BBB", "CCC"), ("BBB",), ("BBB",)]
    assert sorted((i.index, i.key, i.code) for i in issues) == [
        (1, "priority", "choice-spelling"),
        (1, "support", "choice-spelling"),
        (2, "priority", "choice-spelling"),
        (2, "support", "choice-spelling"),
        (3, "priority", "choice-not-allowed"),
        (3, "support", "choice-not-allowed"),
    ]
    unknown = next(i for i in issues if i.index == 3 and i.key == "support")
    assert "'NAVY'" in unknown.message and "AAA" in unknown.message


LAST_DAY = dt.date(2200, 12, 31)
"""Dates up to here: later ones crash normalize (see test_normalize_far_future_dates)."""
LAST_SERIAL = float((LAST_DAY - dt.date(1899, 12, 30)).days)


def cell_values(numbers: st.SearchStrategy[float | int]) -> st.SearchStrategy[object]:
    return st.one_of(
        st.none(),
        st.text(max_size=30),
        numbers,
        st.booleans(),
        st.dates(min_value=dt.date(1900, 1, 1), max_value=LAST_DAY),
        st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
        st.sampled_from(["2027-03-31", "31/03/2027", "1,500", "HIGH", "AAA, BBB", "=1+1", "\x07"]),
    )


ANY_NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**12), max_value=10**12),
)
DATE_CELL_NUMBER = st.one_of(
    st.floats(max_value=LAST_SERIAL, allow_nan=False, allow_infinity=False),
    st.just(float("nan")),
    st.integers(min_value=-(10**12), max_value=int(LAST_SERIAL)),
)
ROW = st.fixed_dictionaries(
    {c.key: cell_values(DATE_CELL_NUMBER if c.type == "date" else ANY_NUMBER) for c in COLUMNS}
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, min_size=0, max_size=6))
def test_normalize_never_raises_and_keeps_one_row_per_row(rows: list[dict[str, object]]) -> None:
    # object columns, as the reader's cells arrive (see test_normalize_missing_next_to_a_date)
    raw = raw_frame(rows, dtype="object")
    typed, issues = normalize(raw, COMPONENTS)
    assert len(typed) == len(rows)
    assert list(typed.index) == list(raw.index)
    assert set(typed.columns) == set(KEYS)
    for issue in issues:
        assert 0 <= issue.index < len(rows)
        assert issue.key in KEYS
        assert issue.code in CATALOGUE
        assert issue.message


def test_normalize_missing_next_to_a_date() -> None:
    rows = [{"comments": dt.datetime(2027, 1, 1)}, {"comments": None}]
    typed, _ = normalize(raw_frame(rows), COMPONENTS)
    assert typed["comments"][0] == "2027-01-01"
    assert pd.isna(typed["comments"][1])


@pytest.mark.parametrize("value", [dt.date(9999, 12, 31), "31/12/9999", 2958465.0])
def test_normalize_far_future_dates(value: object) -> None:
    typed, _ = normalize(raw_frame([{"end": value}]), COMPONENTS)
    assert len(typed) == 1
    assert run_checks(typed, CONTEXT) != []  # outside the planning period


# --- checks (pandera) ----------------------------------------------------------------------


def checked(rows: list[dict[str, object]]) -> list[tuple[int, str, str]]:
    """(row, column key, code) of every check failure on rows typed by normalize."""
    typed, _ = normalize(raw_frame(rows), COMPONENTS)
    return sorted((i.index, i.key, i.code) for i in run_checks(typed, CONTEXT))


def test_run_checks_on_an_empty_frame() -> None:
    typed, _ = normalize(raw_frame([]), COMPONENTS)
    assert run_checks(typed, CONTEXT) == []


def test_valid_rows_pass_every_check() -> None:
    consideration = {
        "output_id": "1.1",
        "item_id": "1.1-C1",
        "item_type": "consideration",
        "text": "x",
        "position": "y",
    }
    assert checked([activity(), benchmark(), risk(), consideration]) == []


def test_required_values_per_item_type() -> None:
    rows = [
        activity(lead="", budget=None),
        benchmark(indicator=None, owner=""),
        risk(likelihood=None),
        {"output_id": "1.1", "item_id": "1.1-C1", "item_type": "consideration", "text": "x"},
    ]
    assert checked(rows) == [
        (0, "budget", "required-value-missing"),
        (0, "lead", "required-value-missing"),
        (1, "indicator", "required-value-missing"),
        (1, "owner", "required-value-missing"),
        (2, "likelihood", "required-value-missing"),
        (3, "position", "required-value-missing"),
    ]


def test_dates_against_period_and_each_other() -> None:
    rows = [
        activity(start=dt.date(2026, 12, 31)),
        activity(end=dt.date(2030, 1, 1)),
        activity(start=dt.date(2027, 5, 2), end=dt.date(2027, 5, 1)),
        activity(start=dt.date(2027, 5, 1), end=dt.date(2027, 5, 1)),
        activity(start=PERIOD_START, end=PERIOD_END),
    ]
    assert checked(rows) == [
        (0, "start", "date-outside-period"),
        (1, "end", "date-outside-period"),
        (2, "end", "end-before-start"),
    ]


def test_target_dates_against_term_windows() -> None:
    short, medium, long_ = WINDOWS
    rows = [
        benchmark(target_date=short.end),
        benchmark(target_date=medium.start),  # a short benchmark in the medium window
        benchmark(term="medium", target_date=medium.start),
        benchmark(term="long", target_date=medium.end),
        benchmark(term="long", target_date=long_.end),
    ]
    assert checked(rows) == [
        (1, "target_date", "target-date-outside-term"),
        (3, "target_date", "target-date-outside-term"),
    ]


def test_risk_ratings() -> None:
    rows = [
        risk(likelihood=5, impact=3),  # 15: high
        risk(likelihood=5, impact=3, mitigation="Patrols."),
        risk(likelihood=4, impact=3),  # 12
        risk(likelihood=6, impact=1, mitigation="m"),
        risk(likelihood=2.5, impact=1),
        risk(likelihood=0, impact=1),
    ]
    assert 5 * 3 >= HIGH_RISK_RATING > 4 * 3
    assert checked(rows) == [
        (0, "mitigation", "high-risk-without-mitigation"),
        (3, "likelihood", "value-out-of-range"),
        (4, "likelihood", "not-a-whole-number"),
        (5, "likelihood", "value-out-of-range"),
    ]


def test_text_checks() -> None:
    rows = [
        activity(comments="x" * (MAX_CELL_TEXT + 1)),
        activity(comments="x" * MAX_CELL_TEXT),
        activity(partners="UNDP\x07"),
        activity(partners="tab\tand\nnewline are fine"),
        activity(comments="=HYPERLINK(1)"),
        activity(comments="  @mention"),
        activity(comments="see item 3 - done"),
    ]
    assert checked(rows) == [
        (0, "comments", "text-too-long"),
        (2, "partners", "control-characters"),
        (4, "comments", "text-looks-like-formula"),
        (5, "comments", "text-looks-like-formula"),
    ]


def test_lead_and_support() -> None:
    rows = [activity(support="BBB, AAA"), activity(support="BBB"), activity(lead="", support="AAA")]
    assert ("lead-also-support" in {c for _, _, c in checked(rows)}) is True
    assert [r for r in checked(rows) if r[2] == "lead-also-support"] == [
        (0, "support", "lead-also-support")
    ]


@pytest.mark.parametrize(
    ("text", "partners", "flagged"),
    [
        ("Train the national police.", "", True),
        ("Mentor host-state armed forces units.", "", True),
        ("Joint patrols with the gendarmerie.", "", True),
        ("Support security forces deployments.", "", True),
        ("Train teachers.", "national army", True),
        ("Train teachers.", "Ministry of Education", False),
        ("Clean the police station of the mission.", "", False),
    ],
)
def test_hrddp_when_security_forces_are_supported(text: str, partners: str, flagged: bool) -> None:
    rows = [activity(text=text, partners=partners)]
    assert checked(rows) == ([(0, "hrddp", "hrddp-not-stated")] if flagged else [])
    assert checked([activity(text=text, partners=partners, hrddp="applies: assessment done")]) == []


# --- find_cycles ---------------------------------------------------------------------------


def test_find_cycles_examples() -> None:
    assert find_cycles({}) == []
    assert find_cycles({"a": ["b"], "b": ["c"], "c": []}) == []
    assert find_cycles({"a": ["a"]}) == [["a"]]
    assert find_cycles({"b": ["a"], "a": ["b"]}) == [["a", "b"]]
    three = {"c": ["a"], "a": ["b"], "b": ["c"]}
    assert find_cycles(three) == [["a", "b", "c"]]
    two = {"a": ["b"], "b": ["a"], "x": ["y"], "y": ["z"], "z": ["x"]}
    assert find_cycles(two) == [["a", "b"], ["x", "y", "z"]]
    # edges to items outside the graph (other workbooks' items) are not followed
    assert find_cycles({"a": ["zz"], "b": ["a"]}) == []
    # a second circle through the activities of one already found is not reported again
    assert find_cycles({"a": ["b", "c"], "b": ["c"], "c": ["a"]}) == [["a", "b", "c"]]
    assert find_cycles({"a": ["c", "b"], "b": ["c"], "c": ["a"]}) == [["a", "c"]]


def is_cycle(edges: dict[str, list[str]], cycle: list[str]) -> bool:
    if not cycle or len(set(cycle)) != len(cycle) or cycle[0] != min(cycle):
        return False
    pairs = zip(cycle, [*cycle[1:], cycle[0]], strict=True)
    return all(b in edges.get(a, []) for a, b in pairs)


def has_topological_order(edges: dict[str, list[str]]) -> bool:
    """DFS topological sort over the nodes that have an entry (as find_cycles follows them)."""
    state: dict[str, int] = {}

    def visit(node: str) -> bool:
        state[node] = 1
        for child in edges.get(node, []):
            if child not in edges:
                continue
            if state.get(child) == 1:
                return False
            if not state.get(child) and not visit(child):
                return False
        state[node] = 2
        return True

    return all(state.get(n) or visit(n) for n in sorted(edges))


NODES = st.sampled_from("abcdefgh")
GRAPHS = st.dictionaries(NODES, st.lists(st.sampled_from("abcdefghij"), max_size=4), max_size=8)


@settings(max_examples=300)
@given(GRAPHS)
def test_find_cycles_finds_only_real_cycles_and_one_whenever_there_is_a_cycle(
    edges: dict[str, list[str]],
) -> None:
    cycles = find_cycles(edges)
    assert all(is_cycle(edges, c) for c in cycles), cycles
    assert len({tuple(c) for c in cycles}) == len(cycles)  # each once
    assert bool(cycles) == (not has_topological_order(edges))


@given(st.lists(NODES, min_size=1, max_size=8, unique=True))
def test_find_cycles_reports_a_ring_once_whatever_its_rotation(ring: list[str]) -> None:
    edges = {a: [b] for a, b in zip(ring, [*ring[1:], ring[0]], strict=True)}
    smallest = ring.index(min(ring))
    assert find_cycles(edges) == [ring[smallest:] + ring[:smallest]]


# --- grouping findings for the text report -------------------------------------------------


def said(kind: FindingType, text: str) -> FilledMessage[FindingType]:
    """A message of a type in words of the test's own (grouping looks at the words only)."""
    return FilledMessage(kind, text)


def required(
    cell: str, item_id: str = "", sheet: str = SHEET, kind: FindingType = REQUIRED_VALUE_MISSING
) -> Finding:
    return finding(said(kind, "Fill in Target."), sheet, cell, column="Target", item_id=item_id)


def test_consecutive_rows_in_one_column_become_a_range() -> None:
    findings = tuple(required(f"M{r}", f"1.1-B{r}") for r in range(9, 25))
    (group,) = group_findings(findings)
    assert (group.cells, group.count) == ("M9:M24", 16)
    assert group.items == "1.1-B9 .. 1.1-B24 (16 rows)"
    text = report_text(Report("f.xlsx", "AAA", "p1", findings))
    assert "M9:M24" in text and text.count("Fill in Target.") == 1


def test_groups_break_at_gaps_and_keep_columns_apart() -> None:
    findings = (
        required("M9"),
        required("N9"),
        required("M10"),
        required("N10"),
        required("M12"),
        required("M13", sheet="2 Other"),
        finding(said(REQUIRED_VALUE_MISSING, "Another message."), SHEET, "M14"),
    )
    groups = group_findings(findings)
    assert [g.cells for g in groups] == ["M9:M10", "N9:N10", "M12", "M13", "M14"]
    assert [g.first.sheet for g in groups][-2:] == ["2 Other", SHEET]


def test_findings_without_a_cell_are_never_merged() -> None:
    findings = tuple(finding(said(MISSING_SHEET, "No sheet."), "", "") for _ in range(3))
    assert [g.count for g in group_findings(findings)] == [1, 1, 1]


FINDINGS = st.lists(
    st.builds(
        lambda sheet, column, row, kind: finding(
            said(kind, f"{kind.code}."), sheet, f"{column}{row}"
        ),
        st.sampled_from(["1 A", "2 B"]),
        st.sampled_from(["A", "M", "AB"]),
        st.integers(min_value=2, max_value=12),
        st.sampled_from([INVALID_DATE, REQUIRED_VALUE_MISSING]),
    ),
    max_size=30,
)


@given(FINDINGS)
def test_groups_cover_every_finding_once(findings: list[Finding]) -> None:
    groups = group_findings(tuple(findings))
    assert sum(g.count for g in groups) == len(findings)
    for g in groups:
        assert g.first.code == g.last.code and g.first.sheet == g.last.sheet
        if g.count > 1:
            first, last = int(g.first.cell.lstrip("ABM")), int(g.last.cell.lstrip("ABM"))
            assert last - first == g.count - 1


# --- validate_submission on hand-built submissions -----------------------------------------


def expected_items(editable: bool = True) -> tuple[ExpectedItem, ...]:
    items = [
        ExpectedItem(
            item_id,
            "1.1",
            kind,
            term,
            "§1.1",
            content_fingerprint(item_id, "1.1", kind, term, text),
            editable,
            text,
        )
        for item_id, kind, term, text in FRAMEWORK
    ]
    items += [ExpectedItem(f"1.1-AAA-0{n}", "1.1", "", "", "added", "", True, "") for n in (1, 2)]
    return tuple(items)


def submission(
    rows: dict[str, dict[str, object]] | None = None,
    band: bool = True,
    formulas: frozenset[str] = frozenset(),
    expected: tuple[ExpectedItem, ...] | None = None,
    outputs: Iterable[OutputMeta] | None = None,
) -> Submission:
    body: list[tuple[int, tuple[object, ...]]] = []
    number = 2
    if band:
        body.append((number, cells(output_id="1.1", text="1.1 First output. Lead: AAA.")))
        number += 1
    for values in (good_rows() if rows is None else rows).values():
        body.append((number, cells(**values)))
        number += 1
    sheet = SheetTable(SHEET, 1, {k: i for i, k in enumerate(KEYS)}, tuple(body))
    return Submission(
        "hand.xlsx",
        meta(outputs),
        expected_items() if expected is None else expected,
        (sheet,),
        {SHEET: formulas},
    )


def found(report: Report) -> list[tuple[str, str]]:
    return [(f.code, f.cell) for f in report.findings]


def test_a_complete_submission_has_no_findings() -> None:
    report = validate_submission(submission())
    assert report.findings == ()
    assert report.valid and report.rows == 10
    assert report.as_data()["summary"] == {"errors": 0, "warnings": 0, "rows": 10}


def test_report_counts_and_data() -> None:
    rows = good_rows()
    rows["1.1-A1"]["priority"] = "HIGH"
    rows["1.1-A2"]["budget"] = -1
    rows["1.1-A2"]["support"] = "ZZZ"
    report = validate_submission(submission(rows))
    assert (report.errors, report.warnings, report.valid) == (2, 1, False)
    data = report.as_data()
    assert set(data) == {"file", "valid", "component", "plan_id", "summary", "findings"}
    assert set(data["findings"][0]) == {
        "code", "severity", "sheet", "cell", "column", "item_id", "value", "message",
    }  # fmt: skip
    assert Report("x.xlsx", unreadable="broken").as_data()["unreadable"] == "broken"
    assert not Report("x.xlsx", unreadable="broken").valid


def test_cells_are_placed_by_row_number_and_column() -> None:
    rows = good_rows()
    rows["1.1-A2"]["start"] = "soon"  # header row 1, band row 2, 1.1-A1 row 3, 1.1-A2 row 4
    report = validate_submission(submission(rows))
    assert ("invalid-date", "I4") in found(report)
    finding_ = next(f for f in report.findings if f.code == "invalid-date")
    assert (finding_.sheet, finding_.column, finding_.item_id, finding_.value) == (
        SHEET,
        "Start",
        "1.1-A2",
        "soon",
    )


def test_findings_are_ordered_by_row_then_column() -> None:
    rows = good_rows()
    rows["1.1-R1"]["likelihood"] = 6
    rows["1.1-A1"]["budget"] = -1
    rows["1.1-A1"]["priority"] = "HIGH"
    report = validate_submission(submission(rows))
    assert found(report) == [
        ("choice-spelling", "K3"),
        ("value-out-of-range", "W3"),
        ("value-out-of-range", "S8"),
    ]


def test_formula_cells_are_reported_and_blanked() -> None:
    rows = good_rows()
    rows["1.1-A1"]["comments"] = "=1+1"  # what a reader might hold for a formula cell
    report = validate_submission(submission(rows, formulas=frozenset({"AC3", "AF40"})))
    assert found(report) == [("formula-in-cell", "AC3"), ("formula-in-cell", "AF40")]


def test_structure_findings() -> None:
    rows = good_rows()
    del rows["1.1-C1"]
    rows["1.1-AAA-01"] = {"output_id": "1.1", "item_id": "1.1-AAA-01", "text": "Untyped."}
    rows["1.1-AAA-02"] = activity(output_id="1.1", item_id="1.1-A1")  # duplicate id
    rows["1.1-X9"] = activity(output_id="1.1", item_id="1.1-X9")
    rows["no id"] = {"output_id": "1.1", "comments": "a note"}  # an inserted row, untyped
    rows["1.1-A2"]["text"] = "Open more offices."
    report = validate_submission(submission(rows))
    assert sorted(found(report)) == sorted(
        [
            ("framework-text-edited", "D4"),
            ("added-row-without-type", "C9"),
            ("duplicate-item-id", "B10"),
            ("unknown-item-id", "B11"),
            ("added-row-without-type", "C12"),
            ("framework-row-deleted", ""),
        ]
    )
    deleted = next(f for f in report.findings if f.code == "framework-row-deleted")
    assert (deleted.sheet, deleted.item_id) == (SHEET, "1.1-C1")


def test_band_rows_are_not_rows_without_id_and_anchor_output_findings() -> None:
    rows = good_rows()
    for item_id in ("1.1-A1", "1.1-A2"):
        rows[item_id]["gender"] = None
    assert found(validate_submission(submission(rows))) == [
        ("output-without-gender-perspective", "D2")
    ]
    # without its band the output finding is still made, at workbook level
    assert found(validate_submission(submission(rows, band=False))) == [
        ("output-without-gender-perspective", "")
    ]


def test_outputs_only_supported_are_not_asked_for_leads_terms_or_gender() -> None:
    support = [OutputMeta("1.1", "First output", "BBB", ("AAA",), "high", "support")]
    rows = untouched_rows()
    report = validate_submission(
        submission(rows, expected=expected_items(editable=False), outputs=support)
    )
    assert report.findings == ()
    led = validate_submission(submission(rows, outputs=[replace(support[0], role="lead")]))
    assert {"output-without-lead-activity", "required-value-missing"} <= {
        f.code for f in led.findings
    }


def test_output_without_a_term_benchmark() -> None:
    rows = good_rows()
    expected = tuple(e for e in expected_items() if e.item_id != "1.1-BM1")
    del rows["1.1-BM1"]
    report = validate_submission(submission(rows, expected=expected))
    assert found(report) == [("output-without-benchmark-in-term", "D2")]
    assert "medium-term" in report.findings[0].message


def test_dependencies() -> None:
    rows = good_rows()
    rows["1.1-A1"]["depends_on"] = "1.1-A2"  # with A2 -> A1: a cycle of two
    rows["1.1-A2"]["depends_on"] = "1.1-A1, 1.1-A7; 9.9-Z1 the-report"
    report = validate_submission(submission(rows))
    kinds = found(report)
    assert kinds.count(("dependency-cycle", "L3")) == 1
    unknown = [f.message for f in report.findings if f.code == "dependency-unknown"]
    assert len(unknown) == 2
    assert any("'1.1-A7'" in m for m in unknown) and any("'the-report'" in m for m in unknown)
    # 9.9-Z1 looks like an id of another workbook's output: not ours to check
    assert not any("9.9-Z1" in m for m in unknown)
    assert ("starts-before-dependency-ends", "I3") in kinds  # A1 starts before A2 ends


# --- formulas found in the sheet XML -------------------------------------------


def test_formula_refs_name_the_cell_that_holds_each_formula() -> None:
    from missionplan.workbook.reader import formula_refs

    xml = (
        b'<sheetData><row r="1"><c r="A1" s="1"/><c r="B1"><f>1+1</f><v>2</v></c>'
        b'<c r="C1" t="s"><v>3</v></c><c r="D1"><f t="shared" si="0"/><v>1</v></c></row>'
        b'<row r="2"><c r="AA2" t="inlineStr"><is><t>&lt;f not a formula</t></is></c></row>'
        b"</sheetData><conditionalFormatting><cfRule><formula>LEN(A1)=0</formula></cfRule>"
        b"</conditionalFormatting>"
    )
    assert formula_refs(xml) == ["B1", "D1"]
    assert formula_refs(b'<c r="A1"/><c r="B2"/>') == []
