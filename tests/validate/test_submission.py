"""validate_submission on hand-built workbooks: where each finding lands and what it says.

A planner reads a finding as a place (sheet, cell, column, item) and a sentence; both
are pinned here for the structure rules (renamed sheets, moved and unknown rows), the
per-output rules, the dependency rules, and the order of the report. The workbooks are
plain data built like those of test_rules.py: objective 1 with output 1.1, which AAA
leads; columns in contract order (A Output, B Item ID, C Type, D Description, ... I Start,
L Depends on, M Term, Q Target date, W Budget, Y Gender perspective).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from missionplan.schema.items import ExpectedItem, content_fingerprint
from missionplan.validate.report import Report
from missionplan.validate.rules import validate_submission
from missionplan.workbook.metadata import OutputMeta
from missionplan.workbook.reader import SheetTable, Submission
from tests.validate.builders import (
    FRAMEWORK,
    KEYS,
    SHEET,
    activity,
    cells,
    good_rows,
    meta,
    untouched_rows,
)

SHEET_2 = "2 Objective two"
LEAD_11 = OutputMeta("1.1", "First output", "AAA", ("BBB",), "high", "lead")
LEAD_12 = OutputMeta("1.2", "Second output", "AAA", ("BBB",), "high", "lead")
SUPPORT_12 = OutputMeta("1.2", "Second output", "BBB", ("AAA",), "medium", "support")
LEAD_21 = OutputMeta("2.1", "Third output", "AAA", (), "low", "lead")
SUPPORT_31 = OutputMeta("3.1", "Fourth output", "CCC", ("AAA",), "low", "support")


def expected_for(
    output_id: str, editable: bool = True, texts: dict[str, str] | None = None
) -> tuple[ExpectedItem, ...]:
    """The template's rows of an output: the framework items of test_rules, two prepared rows."""
    items = []
    for item_id, kind, term, text in FRAMEWORK:
        item_id = item_id.replace("1.1", output_id, 1)
        text = (texts or {}).get(item_id, text)
        fingerprint = content_fingerprint(item_id, output_id, kind, term, text)
        items.append(ExpectedItem(item_id, output_id, kind, term, "§", fingerprint, editable, text))
    for n in (1, 2):
        items.append(
            ExpectedItem(f"{output_id}-AAA-0{n}", output_id, "", "", "added", "", True, "")
        )
    return tuple(items)


def rows_for(output_id: str) -> dict[str, dict[str, object]]:
    """A complete submission's rows of an output (good_rows of test_rules, ids renamed)."""
    rows = {}
    for item_id, values in good_rows().items():
        renamed = {
            k: v.replace("1.1", output_id) if isinstance(v, str) and k != "text" else v
            for k, v in values.items()
        }
        rows[item_id.replace("1.1", output_id, 1)] = renamed
    return rows


def band(output_id: str) -> dict[str, object]:
    return {"output_id": output_id, "text": f"{output_id} An output. Lead: AAA."}


def table(
    name: str,
    rows: Iterable[dict[str, object]],
    *,
    without: tuple[str, ...] = (),
) -> SheetTable:
    """A sheet: header on row 1, the rows from row 2 on; `without` drops columns."""
    columns = {k: i for i, k in enumerate(KEYS) if k not in without}
    body = tuple((number, cells(**values)) for number, values in enumerate(rows, start=2))
    return SheetTable(name, 1, columns, body, missing_columns=without)


def workbook(
    *sheets: SheetTable,
    outputs: Iterable[OutputMeta] = (LEAD_11,),
    expected: tuple[ExpectedItem, ...] | None = None,
) -> Submission:
    return Submission(
        "returned/hand.xlsx",
        meta(outputs),
        expected_for("1.1") if expected is None else expected,
        tuple(sheets),
        {},
    )


def sheet_11(rows: dict[str, dict[str, object]] | None = None, name: str = SHEET) -> SheetTable:
    """Objective 1's sheet: the band of 1.1, then its rows (row 3 on)."""
    return table(name, [band("1.1"), *(rows_for("1.1") if rows is None else rows).values()])


def found(report: Report) -> list[tuple[str, str, str]]:
    return [(f.code, f.sheet, f.cell) for f in report.findings]


def only(report: Report, code: str) -> list[tuple[str, str, str, str]]:
    """(sheet, cell, column, message) of the findings with this code."""
    return [(f.sheet, f.cell, f.column, f.message) for f in report.findings if f.code == code]


# --- the report ----------------------------------------------------------------------------


def test_the_report_names_the_file_component_and_plan() -> None:
    report = validate_submission(workbook(sheet_11()))
    assert (report.file, report.component, report.plan_id) == (
        "returned/hand.xlsx",
        "AAA",
        "p-test",
    )
    assert report.findings == ()


def test_findings_follow_the_workbook_sheet_order_then_rows_then_columns() -> None:
    """Workbook-level findings first, then sheet by sheet as the workbook orders them (not
    by name or row), row by row, and left to right within a row (not by code)."""
    rows_11 = rows_for("1.1")
    rows_11["1.1-A1"].update(partners="UNDP\x07", priority="urgent")  # H3 and K3
    rows_21 = rows_for("2.1")
    rows_21["2.1-R1"]["likelihood"] = 6  # S8
    report = validate_submission(
        workbook(
            table(SHEET_2, [band("2.1"), *rows_21.values()]),
            sheet_11(rows_11),
            outputs=(LEAD_11, LEAD_21, SUPPORT_31),
            expected=expected_for("1.1") + expected_for("2.1"),
        )
    )
    assert found(report) == [
        ("missing-sheet", "", ""),  # objective 3's sheet
        ("value-out-of-range", SHEET_2, "S8"),
        ("control-characters", SHEET, "H3"),
        ("choice-not-allowed", SHEET, "K3"),
    ]


# --- sheets --------------------------------------------------------------------------------


def test_a_renamed_sheet_is_reported_once_at_its_first_cell() -> None:
    report = validate_submission(workbook(sheet_11(name="Objective one")))
    assert found(report) == [("missing-sheet", "Objective one", "A1")]
    assert report.findings[0].message == (
        "The sheet of objective 1 was renamed to 'Objective one'; give it back its name from "
        "the template (it starts with '1 ')."
    )


def test_a_renamed_sheet_is_named_after_most_of_its_rows() -> None:
    """One row of objective 2 pasted first onto objective 1's renamed sheet: the sheet is
    still objective 1's, and the pasted row is the one that moved."""
    rows_21 = rows_for("2.1")
    pasted = rows_21.pop("2.1-C1")
    renamed = table("Objective one", [pasted, band("1.1"), *rows_for("1.1").values()])
    report = validate_submission(
        workbook(
            renamed,
            table(SHEET_2, [band("2.1"), *rows_21.values()]),
            outputs=(LEAD_11, LEAD_21),
            expected=expected_for("1.1") + expected_for("2.1"),
        )
    )
    assert found(report) == [
        ("missing-sheet", "Objective one", "A1"),
        ("item-moved", "Objective one", "A2"),
    ]
    assert "objective 1 was renamed" in report.findings[0].message


def test_rows_pasted_onto_another_sheet_have_moved_when_their_sheet_is_there() -> None:
    rows = rows_for("1.1")
    consideration = rows.pop("1.1-C1")
    report = validate_submission(workbook(sheet_11(rows), table("Notes", [consideration])))
    assert only(report, "item-moved") == [
        (
            "Notes",
            "A2",
            "Output",
            "Item 1.1-C1 belongs to output 1.1 on its objective's sheet; move it back (or undo "
            "the change).",
        )
    ]
    assert [c for c, _, _ in found(report)] == ["item-moved"]  # the sheet was not renamed


def test_a_framework_item_under_another_output_of_its_objective_has_moved() -> None:
    rows = rows_for("1.1")
    rows["1.1-A1"]["output_id"] = "1.2"
    report = validate_submission(workbook(sheet_11(rows)))
    assert ("item-moved", SHEET, "A3") in found(report)


def test_an_objective_without_a_sheet() -> None:
    """Objective 2's sheet is gone: its rows are missing and its output has nothing."""
    report = validate_submission(
        workbook(
            sheet_11(),
            outputs=(LEAD_11, LEAD_21),
            expected=expected_for("1.1") + expected_for("2.1"),
        )
    )
    assert only(report, "missing-sheet") == [
        (
            "",
            "",
            "",
            "No sheet holds the items of objective 2; restore its sheet from the template.",
        )
    ]
    deleted = [f for f in report.findings if f.code == "framework-row-deleted"]
    assert sorted((f.item_id, f.sheet, f.cell) for f in deleted) == sorted(
        (item_id.replace("1.1", "2.1"), "", "") for item_id, *_ in FRAMEWORK
    )
    by_output = [
        (f.code, f.sheet, f.cell, f.column, f.item_id)
        for f in report.findings
        if f.item_id == "2.1"
    ]
    assert sorted(by_output) == [
        ("output-without-benchmark-in-term", "", "", "Description", "2.1"),
        ("output-without-benchmark-in-term", "", "", "Description", "2.1"),
        ("output-without-benchmark-in-term", "", "", "Description", "2.1"),
        ("output-without-gender-perspective", "", "", "Description", "2.1"),
        ("output-without-lead-activity", "", "", "Description", "2.1"),
    ]


def test_a_workbook_without_any_objective_sheet() -> None:
    report = validate_submission(workbook())
    codes = [f.code for f in report.findings]
    assert codes.count("framework-row-deleted") == len(FRAMEWORK)
    assert codes.count("missing-sheet") == 1
    assert sorted(f.message for f in report.findings if f.item_id == "1.1") == [
        "No activity of output 1.1 says how a gender perspective is built in; fill in Gender "
        "perspective for at least one activity.",
        "Output 1.1 has no activity with a lead component; name the lead of at least one activity.",
        "Output 1.1 has no long-term benchmark; add one on a prepared row.",
        "Output 1.1 has no medium-term benchmark; add one on a prepared row.",
        "Output 1.1 has no short-term benchmark; add one on a prepared row.",
    ]


def test_a_sheet_without_the_gender_column_has_no_gender_line() -> None:
    rows = [band("1.1"), *rows_for("1.1").values()]
    report = validate_submission(workbook(table(SHEET, rows, without=("gender",))))
    assert found(report) == [
        ("missing-column", SHEET, "A1"),
        ("output-without-gender-perspective", SHEET, "D2"),
    ]


# --- rows ----------------------------------------------------------------------------------


def test_an_id_used_twice_names_the_first_row() -> None:
    rows = rows_for("1.1")
    rows["1.1-AAA-01"] = dict(rows["1.1-A1"])  # a copy of 1.1-A1's row, on row 10
    report = validate_submission(workbook(sheet_11(rows)))
    assert only(report, "duplicate-item-id") == [
        (
            SHEET,
            "B10",
            "Item ID",
            "Item id 1.1-A1 is also used on 1 Objective one row 3; each row needs its own id (use "
            "an empty prepared row for a new item).",
        )
    ]


def test_a_deleted_framework_row_is_named_with_its_text_cut_to_80_characters() -> None:
    long_text = "Hold consultations with " + "every district council and " * 5 + "women's groups."
    expected = expected_for("1.1", texts={"1.1-C1": long_text})
    rows = rows_for("1.1")
    del rows["1.1-C1"]
    report = validate_submission(workbook(sheet_11(rows), expected=expected))
    [deleted] = [f for f in report.findings if f.code == "framework-row-deleted"]
    shown = long_text[:77] + "..."
    assert (deleted.sheet, deleted.cell, deleted.item_id) == (SHEET, "", "1.1-C1")
    assert deleted.message == (
        f"The framework consideration 1.1-C1 ('{shown}') is missing; restore its row (copy it "
        "from the template)."
    )


def test_a_row_without_an_id_that_mentions_a_lead_is_not_a_band() -> None:
    rows = rows_for("1.1")
    rows["note"] = {"output_id": "1.1", "text": "Lead: AAA will confirm the venue."}
    report = validate_submission(workbook(sheet_11(rows)))
    # a row the component added under 1.1, which needs a type before it can have an id
    assert found(report) == [("added-row-without-type", SHEET, "C12")]


def test_a_row_under_an_output_that_is_not_in_the_workbook() -> None:
    rows = rows_for("1.1")
    rows["9.9-A1"] = activity(output_id="9.9", item_id="9.9-A1")
    loose = {"item_id": "X-1", "text": "A note of ours", "comments": "keep"}
    sheet = table(SHEET, [loose, band("1.1"), *rows.values()])  # the loose row above the band
    report = validate_submission(workbook(sheet, outputs=(SUPPORT_12, LEAD_11)))
    assert only(report, "item-moved") == [
        (
            SHEET,
            "A2",
            "Output",
            "This row is under output 'none', which is not in this workbook (its outputs: 1.1, "
            "1.2); put the item under one of them, on a prepared row.",
        ),
        (
            SHEET,
            "A13",
            "Output",
            "This row is under output '9.9', which is not in this workbook (its outputs: 1.1, "
            "1.2); put the item under one of them, on a prepared row.",
        ),
    ]


def test_a_row_with_an_id_of_its_own_is_reported_and_its_values_are_checked() -> None:
    rows = rows_for("1.1")
    rows["1.1-X9"] = activity(output_id="1.1", item_id="1.1-X9", budget=-1)
    report = validate_submission(workbook(sheet_11(rows)))
    assert found(report) == [
        ("unknown-item-id", SHEET, "B12"),
        ("value-out-of-range", SHEET, "W12"),
    ]
    assert report.findings[0].message == (
        "Item id 1.1-X9 was not given out by the template and does not have the form of your ids "
        "under output 1.1 (e.g. 1.1-AAA-01); clear the Item ID so that missionplan gives the row "
        "an id of its own."
    )


def test_a_prepared_row_moved_to_another_output() -> None:
    rows = rows_for("1.1")
    rows["1.1-AAA-01"] = activity(output_id="1.2", item_id="1.1-AAA-01", gender="g")
    rows["1.1-AAA-02"] = activity(output_id="", item_id="1.1-AAA-02", gender="g")
    report = validate_submission(workbook(sheet_11(rows), outputs=(LEAD_11, SUPPORT_12)))
    assert only(report, "item-moved") == [
        (SHEET, "A10", "Output", "This row was prepared under output 1.1, not 1.2; put it back."),
        (SHEET, "A11", "Output", "This row was prepared under output 1.1, not none; put it back."),
    ]
    assert found(report) == [
        ("item-moved", SHEET, "A10"),
        ("item-moved", SHEET, "A11"),
        ("required-value-missing", SHEET, "A11"),  # an Output cell is never left empty
    ]


def test_an_activity_added_on_a_prepared_row_is_checked_and_counts_for_its_output() -> None:
    rows = rows_for("1.1")
    for item_id in ("1.1-A1", "1.1-A2"):
        rows[item_id]["gender"] = None
    rows["1.1-AAA-01"] = activity(
        output_id="1.1", item_id="1.1-AAA-01", text="Mentor women police officers.", gender="g"
    )
    assert validate_submission(workbook(sheet_11(rows))).findings == ()
    rows["1.1-AAA-01"]["budget"] = "lots"
    assert found(validate_submission(workbook(sheet_11(rows)))) == [
        ("invalid-number", SHEET, "W10")
    ]


def test_a_changed_term_is_reported_at_the_term_only() -> None:
    rows = rows_for("1.1")
    rows["1.1-BS1"]["term"] = "medium"
    report = validate_submission(workbook(sheet_11(rows)))
    assert only(report, "framework-text-edited") == [
        (
            SHEET,
            "M5",
            "Term",
            "The framework's Term was changed; it must read 'short'. Undo the change and put your "
            "own wording in Comments or in a new item.",
        )
    ]


def test_a_changed_long_text_quotes_the_framework_text_cut_to_160_characters() -> None:
    long_text = "Agree with the host government " + "on every step of the transition " * 6 + "."
    expected = expected_for("1.1", texts={"1.1-C1": long_text})
    rows = rows_for("1.1")
    rows["1.1-C1"]["text"] = "Our own wording."
    report = validate_submission(workbook(sheet_11(rows), expected=expected))
    [(sheet, cell, column, message)] = only(report, "framework-text-edited")
    assert (sheet, cell, column) == (SHEET, "D9", "Description")
    assert f"it must read '{long_text[:157]}...'." in message


def test_values_on_another_components_output_are_flagged_once() -> None:
    support = replace(LEAD_11, role="support")
    rows = untouched_rows()
    rows["1.1-A1"]["comments"] = "We can provide two trainers."
    report = validate_submission(
        workbook(sheet_11(rows), outputs=(support,), expected=expected_for("1.1", editable=False))
    )
    assert only(report, "context-row-edited") == [
        (
            SHEET,
            "B3",
            "Item ID",
            "Item 1.1-A1 belongs to an output another component leads (shown for context); your "
            "values will be set against the lead's in the merge. Put your contribution on a "
            "prepared row instead.",
        )
    ]
    assert len(report.findings) == 1


# --- values --------------------------------------------------------------------------------


def test_a_target_date_outside_its_terms_window() -> None:
    rows = rows_for("1.1")
    rows["1.1-BS1"]["target_date"] = dt.date(2027, 8, 1)  # short term ends 2027-06-30
    assert found(validate_submission(workbook(sheet_11(rows)))) == [
        ("target-date-outside-term", SHEET, "Q5")
    ]


def test_a_value_that_cannot_be_read_is_not_also_reported_missing() -> None:
    rows = rows_for("1.1")
    rows["1.1-A1"]["start"] = "soon"
    assert found(validate_submission(workbook(sheet_11(rows)))) == [("invalid-date", SHEET, "I3")]


def test_the_lead_among_supporters_is_reported_next_to_an_unknown_supporter() -> None:
    rows = rows_for("1.1")
    rows["1.1-A1"]["support"] = "AAA, NAVY"
    report = validate_submission(workbook(sheet_11(rows)))
    assert found(report) == [
        ("choice-not-allowed", SHEET, "G3"),
        ("lead-also-support", SHEET, "G3"),
    ]


# --- outputs -------------------------------------------------------------------------------


def test_output_findings_sit_on_the_outputs_band() -> None:
    rows = {"1.1-C1": rows_for("1.1")["1.1-C1"]}
    expected = tuple(e for e in expected_for("1.1") if e.item_id in ("1.1-C1", "1.1-AAA-01"))
    report = validate_submission(workbook(sheet_11(rows), expected=expected))
    assert sorted((f.code, f.sheet, f.cell, f.column, f.item_id) for f in report.findings) == [
        ("output-without-benchmark-in-term", SHEET, "D2", "Description", "1.1"),
        ("output-without-benchmark-in-term", SHEET, "D2", "Description", "1.1"),
        ("output-without-benchmark-in-term", SHEET, "D2", "Description", "1.1"),
        ("output-without-gender-perspective", SHEET, "D2", "Description", "1.1"),
        ("output-without-lead-activity", SHEET, "D2", "Description", "1.1"),
    ]
    terms = sorted(f.message for f in report.findings if f.code.endswith("-in-term"))
    assert terms[0] == "Output 1.1 has no long-term benchmark; add one on a prepared row."


def test_an_output_led_after_one_supported_is_still_checked() -> None:
    rows = rows_for("1.1")
    for item_id in ("1.1-A1", "1.1-A2"):
        rows[item_id]["gender"] = None
    report = validate_submission(workbook(sheet_11(rows), outputs=(SUPPORT_12, LEAD_11)))
    assert found(report) == [("output-without-gender-perspective", SHEET, "D2")]


def test_each_output_is_judged_on_its_own_rows() -> None:
    rows_12 = rows_for("1.2")
    for item_id in ("1.2-A1", "1.2-A2"):
        rows_12[item_id]["lead"] = None
    sheet = table(SHEET, [band("1.1"), *rows_for("1.1").values(), band("1.2"), *rows_12.values()])
    report = validate_submission(
        workbook(
            sheet, outputs=(LEAD_11, LEAD_12), expected=expected_for("1.1") + expected_for("1.2")
        )
    )
    assert [(f.code, f.item_id) for f in report.findings if f.code.startswith("output-")] == [
        ("output-without-lead-activity", "1.2")
    ]


def test_only_activities_count_for_the_lead_and_the_gender_line() -> None:
    rows = rows_for("1.1")
    for item_id in ("1.1-A1", "1.1-A2"):
        rows[item_id]["gender"] = None
    rows["1.1-BS1"]["gender"] = "Half the officials named are women."
    report = validate_submission(workbook(sheet_11(rows)))
    assert found(report) == [("output-without-gender-perspective", SHEET, "D2")]
    rows = rows_for("1.1")
    rows["1.1-A1"]["lead"] = None
    rows["1.1-A2"]["lead"] = None
    rows["1.1-BS1"]["lead"] = "AAA"
    report = validate_submission(workbook(sheet_11(rows)))
    assert ("output-without-lead-activity", SHEET, "D2") in found(report)


# --- dependencies --------------------------------------------------------------------------


def dependency_findings(
    depends_on: str, **more: dict[str, object]
) -> list[tuple[str, str, str, str]]:
    """(code, cell, column, message) of the dependency findings when 1.1-A2 depends on these."""
    rows = rows_for("1.1")
    rows["1.1-A2"]["depends_on"] = depends_on
    rows.update(more)
    report = validate_submission(workbook(sheet_11(rows)))
    return [
        (f.code, f.cell, f.column, f.message)
        for f in report.findings
        if f.code.startswith(("dependency", "starts-before"))
    ]


def test_a_dependency_on_a_supported_outputs_item_is_known() -> None:
    context = {
        item_id: {
            "output_id": "1.2",
            "item_id": item_id,
            "item_type": kind,
            "term": term,
            "text": text,
        }
        for item_id, kind, term, text in (
            (i.replace("1.1", "1.2"), k, t, x) for i, k, t, x in FRAMEWORK
        )
    }
    rows = rows_for("1.1")
    rows["1.1-A2"]["depends_on"] = "1.1-A1, 1.2-A1"
    sheet = table(SHEET, [band("1.1"), *rows.values(), band("1.2"), *context.values()])
    expected = expected_for("1.1") + expected_for("1.2", editable=False)
    report = validate_submission(workbook(sheet, outputs=(LEAD_11, SUPPORT_12), expected=expected))
    assert report.findings == ()


def test_a_dependency_on_a_row_with_an_id_of_its_own_is_known() -> None:
    added = activity(output_id="1.1", item_id="1.1-AAA-09", gender="g")
    assert dependency_findings("1.1-AAA-09", **{"1.1-AAA-09": added}) == []


def test_a_dependency_on_another_workbooks_output_is_not_checked_here() -> None:
    assert dependency_findings("9.9-A1, 9.9-PAD-01") == []


def test_a_dependency_on_an_item_of_ours_that_does_not_exist() -> None:
    assert dependency_findings("1.1-AAA-07, 1.1-BBB-01") == [
        (
            "dependency-unknown",
            "L4",
            "Depends on",
            "'1.1-AAA-07' is not an item of this plan; write item ids exactly as in the Item ID "
            "column.",
        )
    ]  # 1.1-BBB-01 would be BBB's item: not ours to check


def test_every_listed_dependency_is_checked_after_one_that_is_not_an_id() -> None:
    assert sorted(dependency_findings("tbd, 1.1-A7")) == [
        (
            "dependency-unknown",
            "L4",
            "Depends on",
            "'1.1-A7' is not an item of this plan; write item ids exactly as in the Item ID "
            "column.",
        ),
        (
            "dependency-unknown",
            "L4",
            "Depends on",
            "'tbd' is not an item id; write ids like 3.1-A2, separated by commas.",
        ),
    ]


def test_starting_on_the_last_day_of_a_dependency_is_too_early() -> None:
    rows = rows_for("1.1")
    rows["1.1-A2"]["start"] = rows["1.1-A1"]["end"]  # 2027-05-01, the last day of 1.1-A1
    report = validate_submission(workbook(sheet_11(rows)))
    assert [(f.code, f.cell, f.message) for f in report.findings] == [
        (
            "starts-before-dependency-ends",
            "I4",
            "This activity starts before 1.1-A1, which it depends on, ends (2027-05-01); start "
            "it later or remove the dependency.",
        )
    ]
    rows["1.1-A2"]["start"] = dt.date(2027, 5, 2)  # the day after
    assert validate_submission(workbook(sheet_11(rows))).findings == ()


def test_a_dependency_cycle_is_spelt_out_from_its_smallest_id() -> None:
    rows = rows_for("1.1")
    rows["1.1-A1"]["depends_on"] = "1.1-A2"
    report = validate_submission(workbook(sheet_11(rows)))
    cycles = [(f.cell, f.message) for f in report.findings if f.code == "dependency-cycle"]
    assert cycles == [
        (
            "L3",
            "These activities depend on each other in a circle: 1.1-A1 -> 1.1-A2 -> 1.1-A1. "
            "Remove one of the dependencies.",
        )
    ]
