"""Rows a component inserts beyond the prepared ones: the ids validation gives them.

A focal point who needs a ninth activity inserts a row under the output, types its Type,
Description and values, and cannot type an id (the Item ID cell is locked). Validation
gives such a row the next free id of the component under its output, reports it at the
row, writes it into the annotated copy, and hands merge the item under that id.

The hand-built sheets are those of test_submission.py: objective 1 with output 1.1, which
AAA leads (band on row 2), its framework rows and two prepared rows 1.1-AAA-01 and -02.
Real workbooks (the annotated copy, a re-submission, the merge) are in
test_added_rows_files.py, LibreOffice's own insert in test_libreoffice_insert.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missionplan.schema.ids import added_by, is_added_id_of, output_of
from missionplan.schema.items import ExpectedItem, content_fingerprint
from missionplan.validate.items import submitted_items
from missionplan.validate.report import CellFill, Report
from missionplan.validate.rules import validate_submission
from missionplan.workbook.metadata import OutputMeta
from missionplan.workbook.reader import SheetTable, Submission
from tests.validate.builders import FRAMEWORK, KEYS, SHEET, activity, cells, good_rows, meta

LEAD_11 = OutputMeta("1.1", "First output", "AAA", ("BBB",), "high", "lead")
SUPPORT_12 = OutputMeta("1.2", "Second output", "BBB", ("AAA",), "medium", "support")
OUTPUTS = (LEAD_11, SUPPORT_12)


def expected() -> tuple[ExpectedItem, ...]:
    """What the template gave out: 1.1's framework rows, two prepared rows under 1.1 and 1.2."""
    items = [
        ExpectedItem(
            item_id, "1.1", kind, term, "§1.1",
            content_fingerprint(item_id, "1.1", kind, term, text), True, text,
        )
        for item_id, kind, term, text in FRAMEWORK
    ]  # fmt: skip
    for output in ("1.1", "1.2"):
        items += [
            ExpectedItem(f"{output}-AAA-0{n}", output, "", "", "added", "", True, "")
            for n in (1, 2)
        ]
    return tuple(items)


def band(output: str) -> dict[str, object]:
    return {"output_id": output, "text": f"{output} An output. Lead: AAA. Support: BBB."}


def new_activity(text: str, **values: object) -> dict[str, object]:
    """An activity typed on an inserted row: no Output, Item ID or Source (locked cells)."""
    row = activity(text=text, gender="Women lead half the sessions.", **values)
    for key in ("output_id", "item_id", "ref"):
        row.pop(key, None)
    return row


def sheet(*rows: dict[str, object], without: tuple[str, ...] = ()) -> SheetTable:
    """Objective 1's sheet from row 2 on; `without` drops columns as a changed header would."""
    columns = {k: i for i, k in enumerate(KEYS) if k not in without}
    body = tuple((number, cells(**values)) for number, values in enumerate(rows, start=2))
    return SheetTable(SHEET, 1, columns, body, missing_columns=without)


def output_11() -> list[dict[str, object]]:
    """1.1's band and its complete rows (rows 2 to 11; the prepared rows are 10 and 11)."""
    return [band("1.1"), *good_rows().values()]


def workbook(*sheets: SheetTable, outputs: Iterable[OutputMeta] = OUTPUTS) -> Submission:
    return Submission("returned/AAA.xlsx", meta(outputs), expected(), tuple(sheets), {})


def at(report: Report, code: str) -> list[tuple[str, str]]:
    """(cell, item id) of the findings of one code."""
    return [(f.cell, f.item_id) for f in report.findings if f.code == code]


def codes(report: Report) -> list[str]:
    return [f.code for f in report.findings]


# --- the id given ----------------------------------------------------------------------------


def test_an_inserted_row_gets_the_next_free_id_named_at_the_row() -> None:
    submission = workbook(sheet(*output_11(), new_activity("Train trainers.")))
    report = validate_submission(submission)
    assert codes(report) == ["item-id-assigned"]  # and nothing else: the row is complete
    [given_id] = report.findings
    assert (given_id.severity, given_id.sheet, given_id.cell) == ("warning", SHEET, "B12")
    assert (given_id.column, given_id.item_id, given_id.value) == ("Item ID", "1.1-AAA-03", "")
    assert given_id.message == (
        "This new activity had no item id and was given 1.1-AAA-03, the next free id of AAA "
        "under output 1.1. The annotated copy has it written in: go on working in that copy, "
        "so that the item keeps its id when you send the workbook again."
    )
    # what the annotated copy writes: the output of the band above, the id, and 'added'
    assert report.filled_in == (
        CellFill(SHEET, "A12", "1.1"),
        CellFill(SHEET, "B12", "1.1-AAA-03"),
        CellFill(SHEET, "E12", "added"),
    )
    assert report.valid


def test_ids_follow_the_rows_order_per_output_after_the_highest_number_present() -> None:
    rows = [
        *output_11(),
        new_activity("First new."),  # row 12
        {**new_activity("Typed by hand."), "item_id": "1.1-AAA-07"},  # 13: kept as typed
        band("1.2"),  # 14
        {"item_type": "risk", "text": "Budget cuts.", "likelihood": 2, "impact": 2},  # 15
        new_activity("Second new."),  # 16: under 1.2's band
        {**new_activity("Its output typed."), "output_id": "1.1"},  # 17
    ]
    report = validate_submission(workbook(sheet(*rows)))
    assert at(report, "item-id-assigned") == [
        ("B12", "1.1-AAA-08"),  # after the 07 typed further down: the workbook's highest
        ("B15", "1.2-AAA-03"),  # after 1.2's prepared rows (01, 02), though none is on a row
        ("B16", "1.2-AAA-04"),
        ("B17", "1.1-AAA-09"),
    ]
    assert "B13" not in {f.cell for f in report.findings}  # a typed id of AAA's is accepted
    assert validate_submission(workbook(sheet(*rows))) == report  # the same ids, every time


def test_the_ids_given_are_those_merge_takes() -> None:
    rows = [*output_11(), new_activity("First new."), band("1.2"), new_activity("Second new.")]
    submission = workbook(sheet(*rows))
    report = validate_submission(submission)
    items = {i.item_id: i for i in submitted_items(submission) if i.added}
    assert sorted(items) == ["1.1-AAA-03", "1.2-AAA-03"]
    assert [(f.item_id, f.cell) for f in report.findings if f.code == "item-id-assigned"] == [
        ("1.1-AAA-03", "B12"),
        ("1.2-AAA-03", "B14"),
    ]
    new = items["1.2-AAA-03"]
    assert (new.output_id, new.item_type, new.row, new.editable) == ("1.2", "activity", 14, True)
    assert new.value("text") == "Second new."
    assert new.value("start") == dt.date(2027, 2, 1)


def test_an_inserted_row_without_a_type_is_asked_for_one_and_given_no_id() -> None:
    untyped = {"text": "Train trainers.", "lead": "AAA"}
    submission = workbook(sheet(*output_11(), untyped))
    report = validate_submission(submission)
    assert at(report, "added-row-without-type") == [("C12", "")]
    assert report.findings[0].message == (
        "Choose the Type of this new item (activity, benchmark, risk or consideration) so that it "
        "can be given an id and checked. If its Type cell is locked, the row was inserted under a "
        "framework row: insert it under your last row of the output instead."
    )
    assert codes(report) == ["added-row-without-type"]
    assert not [i for i in submitted_items(submission) if i.value("text") == "Train trainers."]


def test_a_row_under_no_output_gets_no_id() -> None:
    loose = new_activity("Above every band.")
    report = validate_submission(workbook(sheet(loose, *output_11())))
    assert at(report, "row-without-id") == [("B2", "")]
    assert report.findings[0].message == (
        "This row has content but no item id and sits under no output, so it cannot be tracked; "
        "move it under the output it belongs to (below the output's blue band)."
    )
    assert "item-id-assigned" not in codes(report)


def test_an_inserted_row_typed_under_an_output_of_another_workbook_is_moved() -> None:
    elsewhere = {**new_activity("Wrong output."), "output_id": "9.9"}
    report = validate_submission(workbook(sheet(*output_11(), elsewhere)))
    assert at(report, "item-moved") == [("A12", "")]
    assert "item-id-assigned" not in codes(report)


def test_without_an_item_id_column_no_row_is_given_an_id() -> None:
    # every row would look new: the changed header is the finding, not 10 new items
    submission = workbook(sheet(*output_11(), new_activity("New."), without=("item_id",)))
    report = validate_submission(submission)
    assert "item-id-assigned" not in codes(report) and report.filled_in == ()
    assert "missing-column" in codes(report)


# --- ids typed by hand -----------------------------------------------------------------------


def test_a_typed_id_of_the_components_form_is_accepted_without_a_finding() -> None:
    typed = {**new_activity("Typed by hand."), "item_id": "1.1-AAA-12"}
    submission = workbook(sheet(*output_11(), typed))
    report = validate_submission(submission)
    assert report.findings == ()
    assert report.filled_in == (CellFill(SHEET, "A12", "1.1"),)  # its output, from the band
    [item] = [i for i in submitted_items(submission) if i.item_id == "1.1-AAA-12"]
    assert (item.output_id, item.added) == ("1.1", True)


def test_a_typed_id_of_the_components_form_is_still_checked() -> None:
    typed = {**new_activity("Typed by hand.", budget=-5), "item_id": "1.1-AAA-12"}
    report = validate_submission(workbook(sheet(*output_11(), typed)))
    assert at(report, "value-out-of-range") == [("W12", "1.1-AAA-12")]


def test_an_id_of_the_components_form_under_an_output_not_in_the_workbook_is_moved() -> None:
    # 1.3 is not an output of this workbook: an id of AAA's form there is not accepted
    row = {**new_activity("Elsewhere."), "output_id": "1.3", "item_id": "1.3-AAA-01"}
    report = validate_submission(workbook(sheet(*output_11(), row)))
    assert at(report, "item-moved") == [("A12", "1.3-AAA-01")]


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("1.1-AAA-3", "not the written form (03)"),
        ("1.2-AAA-03", "another output's id, under 1.1's band"),
        ("1.1-ZZZ-03", "the code of no component of the plan"),
    ],
)
def test_a_typed_id_of_another_form_is_unknown(typed: str, why: str) -> None:
    row = {**new_activity("Typed by hand."), "item_id": typed}
    report = validate_submission(workbook(sheet(*output_11(), row)))
    assert at(report, "unknown-item-id") == [("B12", typed)], why
    message = report.findings[0].message
    assert "your ids under output 1.1 (e.g. 1.1-AAA-01)" in message, message


def test_a_typed_id_with_another_components_code_is_an_error() -> None:
    row = {**new_activity("Copied from BBB's workbook."), "item_id": "1.1-BBB-03"}
    report = validate_submission(workbook(sheet(*output_11(), row)))
    assert at(report, "item-id-of-another-component") == [("B12", "1.1-BBB-03")]
    assert report.findings[0].severity == "error"
    assert report.findings[0].message == (
        "Item id 1.1-BBB-03 carries the code of BBB, another component; the items you add carry "
        "yours (AAA). Clear the Item ID so that missionplan gives the row an id of yours."
    )


def test_a_typed_id_used_twice_is_a_duplicate_and_the_next_id_goes_past_it() -> None:
    typed = {**new_activity("Typed."), "item_id": "1.1-AAA-05"}
    rows = [*output_11(), typed, dict(typed), new_activity("New.")]
    report = validate_submission(workbook(sheet(*rows)))
    assert at(report, "duplicate-item-id") == [("B13", "1.1-AAA-05")]
    assert at(report, "item-id-assigned") == [("B14", "1.1-AAA-06")]


# --- properties --------------------------------------------------------------------------------

ROW_KINDS = st.sampled_from(["band 1.1", "band 1.2", "new", "untyped", "typed", "foreign"])


def generated_rows(kinds: list[str], numbers: list[int]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [band("1.1")]
    for n, (kind, number) in enumerate(zip(kinds, numbers, strict=False)):
        if kind.startswith("band"):
            rows.append(band(kind.split()[1]))
        elif kind == "new":
            rows.append(new_activity(f"New {n}."))
        elif kind == "untyped":
            rows.append({"text": f"Untyped {n}."})
        else:
            code = "AAA" if kind == "typed" else "BBB"
            rows.append({**new_activity(f"Typed {n}."), "item_id": f"1.1-{code}-{number:02d}"})
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(ROW_KINDS, max_size=14),
    numbers=st.lists(st.integers(1, 30), min_size=14, max_size=14),
)
def test_ids_given_are_unique_new_the_components_and_the_same_every_time(
    kinds: list[str], numbers: list[int]
) -> None:
    rows = generated_rows(kinds, numbers)
    submission = workbook(sheet(*rows))
    report = validate_submission(submission)
    assert validate_submission(submission) == report  # validated twice: the same ids
    given_ids = [f.item_id for f in report.findings if f.code == "item-id-assigned"]
    typed = {str(r["item_id"]) for r in rows if r.get("item_id")}
    assert len(given_ids) == len(set(given_ids)) == kinds.count("new")
    assert not set(given_ids) & (typed | {e.item_id for e in expected()})
    blocks = []
    current = "1.1"
    for row in rows[1:]:
        if "Lead:" in str(row.get("text", "")):
            current = str(row["output_id"])
        elif row.get("item_type") and not row.get("item_id"):
            blocks.append(current)
    for item_id, output in zip(given_ids, blocks, strict=True):
        assert is_added_id_of(item_id, output, "AAA") and added_by(item_id) == "AAA"
        assert output_of(item_id) == output
    # merge takes each id once, the given ones among them
    taken = [i.item_id for i in submitted_items(submission)]
    assert len(taken) == len(set(taken)) and set(given_ids) <= set(taken)
