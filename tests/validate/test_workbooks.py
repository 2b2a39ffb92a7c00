"""Validation of real workbooks: every finding code, triggered in a file and then corrected.

Each case starts from the fully and correctly filled UNPOL workbook (which has no
findings), makes one mistake the way a focal point would (fill_workbook by item id, or
openpyxl for structure changes), and checks the finding sits at the real cell (A1
notation) of the sheet; the corrected workbook (the bad one with the mistake undone) must
not have that code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from missionplan.schema.contract import MAX_CELL_TEXT
from missionplan.schema.findings import CATALOGUE
from missionplan.validate.annotation import annotate_copy
from tests.validate.kit import (
    COMPLETENESS,
    COMPONENT,
    LETTER,
    SHEET_4,
    SHEET_5,
    START,
    Kit,
    check,
    codes,
    describe,
    edited,
    filled,
    find_row,
    output_column,
    patched_zip,
    places,
)

Place = tuple[str, str]


@dataclass(frozen=True)
class Case:
    """A workbook with the mistake, where its findings must be, and the corrected workbook."""

    bad: Path
    expected: set[Place]
    fixed: Path


def by_values(
    k: Kit,
    tmp: Path,
    bad: dict[str, dict[str, object]],
    expected: set[Place],
    fix: dict[str, dict[str, object]],
) -> Case:
    """Fill the full workbook with a mistake, then correct that workbook with `fix`.

    `fix` is typed over the bad workbook, so it must undo every cell of the mistake.
    """
    bad_path = filled(k.full, tmp, "bad.xlsx", bad)
    return Case(bad_path, expected, filled(bad_path, tmp, "fixed.xlsx", fix))


def activity_row(text: str, **cells: object) -> dict[str, object]:
    """A complete, valid activity for a prepared row."""
    row: dict[str, object] = {
        "item_type": "activity",
        "text": text,
        "lead": COMPONENT,
        "start": dt.date(2027, 2, 1),
        "end": dt.date(2027, 3, 1),
        "priority": "medium",
        "budget": 5_000,
        "funding": "trust fund",
        "hrddp": "not applicable",
        "status": "planned",
    }
    row.update(cells)
    return row


# --- structure -----------------------------------------------------------------------------


def restore_sheet(k: Kit, title: str) -> Callable[[Workbook], None]:
    """Put a deleted sheet back where it was, with the values it had in the full workbook."""
    original = load_workbook(k.full)
    index = original.sheetnames.index(title)

    def edit(wb: Workbook) -> None:
        ws = wb.create_sheet(title, index)
        for row in original[title].iter_rows():
            for cell in row:
                if cell.value is not None:
                    ws.cell(cell.row, cell.column).value = cell.value

    return edit


def case_missing_sheet(k: Kit, tmp: Path) -> Case:
    def edit(wb: Workbook) -> None:
        del wb[SHEET_5]

    bad = edited(k.full, tmp, "bad.xlsx", edit)
    fixed = edited(bad, tmp, "fixed.xlsx", restore_sheet(k, SHEET_5))
    # A workbook-level finding: no sheet and no cell to point at.
    return Case(bad, {("", "")}, fixed)


def case_missing_column(k: Kit, tmp: Path) -> Case:
    def rename(header: str) -> Callable[[Workbook], None]:
        def edit(wb: Workbook) -> None:
            wb[SHEET_5][f"{LETTER['budget']}1"] = header

        return edit

    bad = edited(k.full, tmp, "bad.xlsx", rename("Budget"))
    # Headers are matched ignoring case and spacing, so this one is still the column.
    fixed = edited(bad, tmp, "fixed.xlsx", rename("  budget   (usd) "))
    return Case(bad, {(SHEET_5, "A1")}, fixed)


def case_framework_text_edited(k: Kit, tmp: Path) -> Case:
    item = k.item("5.5-A1")

    def rewrite(text: str) -> Callable[[Workbook], None]:
        def edit(wb: Workbook) -> None:
            ws = wb[SHEET_5]
            ws[f"{LETTER['text']}{find_row(ws, item.item_id)}"] = text

        return edit

    bad = edited(k.full, tmp, "bad.xlsx", rewrite(item.text + " (revised by UNPOL)"))
    # Spacing does not count as an edit (a re-wrapped cell is the same text).
    fixed = edited(bad, tmp, "fixed.xlsx", rewrite("  " + item.text.replace(" ", "  ") + " "))
    return Case(bad, {k.place("5.5-A1", "text")}, fixed)


def case_framework_row_deleted(k: Kit, tmp: Path) -> Case:
    sheet, row = k.rows["5.5-C4"]
    original = load_workbook(k.full)[sheet]

    def edit(wb: Workbook) -> None:
        ws = wb[sheet]
        ws.delete_rows(find_row(ws, "5.5-C4"))

    def put_back(wb: Workbook) -> None:
        ws = wb[sheet]
        ws.insert_rows(row)
        for cell in original[row]:
            ws.cell(row, cell.column).value = cell.value

    bad = edited(k.full, tmp, "bad.xlsx", edit)
    fixed = edited(bad, tmp, "fixed.xlsx", put_back)
    # The row is gone, so the finding names the sheet and the item, not a cell.
    return Case(bad, {(SHEET_5, "")}, fixed)


def case_item_moved(k: Kit, tmp: Path) -> Case:
    def edit(wb: Workbook) -> None:
        ws = wb[SHEET_4]
        ws.cell(find_row(ws, "4.5-A1"), output_column(ws)).value = "4.3"

    bad = edited(k.full, tmp, "moved.xlsx", edit)
    # and a prepared row of 4.5 given content under output 5.5
    bad = filled(
        bad, tmp, "bad.xlsx", {"4.5-UNPOL-01": activity_row("Joint patrols", output_id="5.5")}
    )
    # both put back under their own output
    fixed = filled(
        bad,
        tmp,
        "fixed.xlsx",
        {"4.5-A1": {"output_id": "4.5"}, "4.5-UNPOL-01": {"output_id": "4.5"}},
    )
    expected = {k.place("4.5-A1", "output_id"), k.place("4.5-UNPOL-01", "output_id")}
    return Case(bad, expected, fixed)


def case_duplicate_item_id(k: Kit, tmp: Path) -> Case:
    content = activity_row("Mentor station commanders")
    bad = filled(k.full, tmp, "bad.xlsx", {"4.5-UNPOL-02": {**content, "item_id": "4.5-A1"}})
    sheet, cell = k.place("4.5-UNPOL-02", "item_id")

    def give_back_its_id(wb: Workbook) -> None:
        wb[sheet][cell] = "4.5-UNPOL-02"

    fixed = edited(bad, tmp, "fixed.xlsx", give_back_its_id)
    # reported on the later row; the first 4.5-A1 is the framework row
    return Case(bad, {k.place("4.5-UNPOL-02", "item_id")}, fixed)


def case_unknown_item_id(k: Kit, tmp: Path) -> Case:
    content = activity_row("Mentor station commanders")
    # not the form of UNPOL's own ids (4.5-UNPOL-01): one number must not name two items
    bad = filled(k.full, tmp, "bad.xlsx", {"4.5-UNPOL-01": {**content, "item_id": "4.5-UNPOL-1"}})
    fixed = filled(bad, tmp, "fixed.xlsx", {"4.5-UNPOL-1": {"item_id": "4.5-UNPOL-01"}})
    return Case(bad, {k.place("4.5-UNPOL-01", "item_id")}, fixed)


def case_item_id_of_another_component(k: Kit, tmp: Path) -> Case:
    content = activity_row("Mentor station commanders")
    bad = filled(k.full, tmp, "bad.xlsx", {"4.5-UNPOL-01": {**content, "item_id": "4.5-FORCE-01"}})
    # as the message says: the Item ID cleared, the row is given an id of UNPOL's
    fixed = filled(bad, tmp, "fixed.xlsx", {"4.5-FORCE-01": {"item_id": None}})
    return Case(bad, {k.place("4.5-UNPOL-01", "item_id")}, fixed)


def case_row_without_id(k: Kit, tmp: Path) -> Case:
    content = activity_row("Train police trainers")

    def edit(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        ws.insert_rows(2)  # between the header and the first band: under no output
        for key in ("item_type", "text", "lead", "priority"):
            ws[f"{LETTER[key]}2"] = content[key]

    def remove_it(wb: Workbook) -> None:
        wb[SHEET_5].delete_rows(2)

    bad = edited(k.full, tmp, "bad.xlsx", edit)
    # the inserted row taken out again, its content typed on the prepared row instead
    moved = edited(bad, tmp, "moved.xlsx", remove_it)
    fixed = filled(moved, tmp, "fixed.xlsx", {"5.5-UNPOL-01": content})
    return Case(bad, {(SHEET_5, f"{LETTER['item_id']}2")}, fixed)


def inserted_activity(k: Kit, tmp: Path, after: str = "5.5-UNPOL-04") -> tuple[Path, int]:
    """The full workbook with a row inserted under a prepared row and an activity typed in it,
    leaving the locked Output, Item ID and Source cells empty; and the inserted row."""
    row = k.rows[after][1] + 1

    def edit(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        ws.insert_rows(row)
        for key, value in activity_row("Train police trainers").items():
            ws[f"{LETTER[key]}{row}"] = value

    return edited(k.full, tmp, "inserted.xlsx", edit), row


def case_item_id_assigned(k: Kit, tmp: Path) -> Case:
    bad, row = inserted_activity(k, tmp)
    # corrected: the annotated copy, which has the id written in, sent back as it is
    fixed = tmp / "fixed.xlsx"
    annotate_copy(bad, check(bad), fixed)
    return Case(bad, {(SHEET_5, f"{LETTER['item_id']}{row}")}, fixed)


def case_added_row_without_type(k: Kit, tmp: Path) -> Case:
    content = activity_row("Train police trainers")
    untyped = {key: value for key, value in content.items() if key != "item_type"}
    bad = filled(k.full, tmp, "bad.xlsx", {"5.5-UNPOL-01": untyped})
    fixed = filled(bad, tmp, "fixed.xlsx", {"5.5-UNPOL-01": {"item_type": "activity"}})
    return Case(bad, {k.place("5.5-UNPOL-01", "item_type")}, fixed)


def case_context_row_edited(k: Kit, tmp: Path) -> Case:
    # 3.1 is led by HOM: UNPOL sees its framework rows as context only.
    bad = filled(k.full, tmp, "bad.xlsx", {"3.1-A1": {"lead": COMPONENT, "budget": 2_000}})
    # the context row emptied again, UNPOL's contribution on its own prepared row
    fix: dict[str, dict[str, object]] = {
        "3.1-A1": {"lead": None, "budget": None},
        "3.1-UNPOL-01": activity_row("Police liaison"),
    }
    fixed = filled(bad, tmp, "fixed.xlsx", fix)
    return Case(bad, {k.place("3.1-A1", "item_id")}, fixed)


# --- completeness --------------------------------------------------------------------------


def case_required_value_missing(k: Kit, tmp: Path) -> Case:
    # 0 is a budget ("0 if it needs no extra resources"), not an empty cell
    return by_values(
        k,
        tmp,
        {"5.5-A2": {"budget": None}},
        {k.place("5.5-A2", "budget")},
        {"5.5-A2": {"budget": 0}},
    )


def case_output_without_lead_activity(k: Kit, tmp: Path) -> Case:
    activities = [a.item_id for a in k.items("5.5", "activity")]
    return by_values(
        k,
        tmp,
        {a: {"lead": None} for a in activities},
        {k.band("5.5")},
        {a: {"lead": COMPONENT if a == "5.5-A3" else None} for a in activities},
    )


def case_output_without_benchmark_in_term(k: Kit, tmp: Path) -> Case:
    # Every term of every output has framework benchmarks, so take away the short ones.
    short = [b.item_id for b in k.items("5.5", "benchmark") if b.term == "short"]

    def edit(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        ws.delete_rows(find_row(ws, short[0]), len(short))

    bad = edited(k.full, tmp, "bad.xlsx", edit)
    window = k.window("short")
    added = {
        "item_type": "benchmark",
        "text": "Police deployment plan agreed with the ministry.",
        "term": "short",
        "indicator": "Plan signed",
        "baseline": "no plan",
        "target": "plan signed",
        "target_date": window.end,
        "verification": "Signed plan",
        "owner": COMPONENT,
        "status": "ongoing",
    }
    fixed = filled(bad, tmp, "fixed.xlsx", {"5.5-UNPOL-01": added})
    return Case(bad, {k.band("5.5")}, fixed)


def case_output_without_gender_perspective(k: Kit, tmp: Path) -> Case:
    activities = [a.item_id for a in k.items("5.5", "activity")]
    return by_values(
        k,
        tmp,
        {a: {"gender": None} for a in activities},
        {k.band("5.5")},
        {a: {"gender": "Women officers lead it." if a == "5.5-A4" else None} for a in activities},
    )


# --- values --------------------------------------------------------------------------------


def case_invalid_date(k: Kit, tmp: Path) -> Case:
    return by_values(
        k,
        tmp,
        {"5.5-A2": {"start": "next spring"}},
        {k.place("5.5-A2", "start")},
        {"5.5-A2": {"start": dt.date(2027, 3, 31)}},
    )


def case_date_typed_as_text(k: Kit, tmp: Path) -> Case:
    return by_values(
        k,
        tmp,
        {"5.5-A2": {"start": "2027-03-31"}},
        {k.place("5.5-A2", "start")},
        {"5.5-A2": {"start": dt.date(2027, 3, 31)}},
    )


def case_date_typed_as_number(k: Kit, tmp: Path) -> Case:
    """The day number of 2027-03-31 in a cell formatted General: the user sees 46477."""

    def start(value: object, number_format: str) -> Callable[[Workbook], None]:
        def edit(wb: Workbook) -> None:
            ws = wb[SHEET_5]
            cell = ws[f"{LETTER['start']}{find_row(ws, '5.5-A2')}"]
            cell.value, cell.number_format = value, number_format

        return edit

    bad = edited(k.full, tmp, "bad.xlsx", start(46_477, "General"))
    fixed = edited(bad, tmp, "fixed.xlsx", start(dt.date(2027, 3, 31), "yyyy-mm-dd"))
    return Case(bad, {k.place("5.5-A2", "start")}, fixed)


def case_invalid_number(k: Kit, tmp: Path) -> Case:
    return by_values(
        k,
        tmp,
        {"5.5-A2": {"budget": "a lot"}},
        {k.place("5.5-A2", "budget")},
        {"5.5-A2": {"budget": 1500}},
    )


def case_number_typed_as_text(k: Kit, tmp: Path) -> Case:
    return by_values(
        k,
        tmp,
        {"5.5-A2": {"budget": "1,500"}},
        {k.place("5.5-A2", "budget")},
        {"5.5-A2": {"budget": 1500}},
    )


def case_not_a_whole_number(k: Kit, tmp: Path) -> Case:
    return by_values(
        k,
        tmp,
        {"5.5-R1": {"likelihood": 2.5}},
        {k.place("5.5-R1", "likelihood")},
        {"5.5-R1": {"likelihood": 3.0}},  # a float that is whole is fine
    )


def case_value_out_of_range(k: Kit, tmp: Path) -> Case:
    return by_values(
        k,
        tmp,
        {"5.5-R1": {"likelihood": 7}, "5.5-A2": {"budget": -5}},
        {k.place("5.5-R1", "likelihood"), k.place("5.5-A2", "budget")},
        {"5.5-R1": {"likelihood": 5}, "5.5-A2": {"budget": 0}},  # the bounds are allowed
    )


def case_choice_not_allowed(k: Kit, tmp: Path) -> Case:
    return by_values(
        k,
        tmp,
        {"5.5-A2": {"priority": "urgent"}, "5.5-A3": {"support": "FORCE, NAVY"}},
        {k.place("5.5-A2", "priority"), k.place("5.5-A3", "support")},
        {"5.5-A2": {"priority": "high"}, "5.5-A3": {"support": "FORCE, MLT"}},
    )


def case_choice_spelling(k: Kit, tmp: Path) -> Case:
    return by_values(
        k,
        tmp,
        {"5.5-A2": {"priority": "HIGH"}, "5.5-A3": {"funding": "  Trust   Fund "}},
        {k.place("5.5-A2", "priority"), k.place("5.5-A3", "funding")},
        {"5.5-A2": {"priority": "high"}, "5.5-A3": {"funding": "trust fund"}},
    )


def case_text_too_long(k: Kit, tmp: Path) -> Case:
    # openpyxl cuts text at 32,767 characters when it writes, so the 40,000 characters go
    # into the sheet XML directly (as another program could write them).
    marker = "LONG-COMMENT-MARKER"
    with_marker = filled(k.full, tmp, "marker.xlsx", {"5.5-A2": {"comments": marker}})

    def lengthen(_: str, data: bytes) -> bytes:
        return data.replace(marker.encode(), b"x" * 40_000)

    bad = patched_zip(with_marker, tmp / "bad.xlsx", lengthen)
    fixed = filled(bad, tmp, "fixed.xlsx", {"5.5-A2": {"comments": "x" * MAX_CELL_TEXT}})
    return Case(bad, {k.place("5.5-A2", "comments")}, fixed)


def case_control_characters(k: Kit, tmp: Path) -> Case:
    # openpyxl refuses a raw \x07; Excel stores it as the escape _x0007_, which readers decode.
    return by_values(
        k,
        tmp,
        {"5.5-A2": {"partners": "UNDP_x0007_ country office"}},
        {k.place("5.5-A2", "partners")},
        {"5.5-A2": {"partners": "UNDP country office"}},
    )


# --- consistency ---------------------------------------------------------------------------


def case_end_before_start(k: Kit, tmp: Path) -> Case:
    start = dt.date(2027, 4, 1)
    return by_values(
        k,
        tmp,
        {"5.5-A2": {"start": start, "end": start - dt.timedelta(days=1)}},
        {k.place("5.5-A2", "end")},
        {"5.5-A2": {"start": start, "end": start}},  # a one-day activity
    )


def case_date_outside_period(k: Kit, tmp: Path) -> Case:
    period_end = k.plan.end
    return by_values(
        k,
        tmp,
        {
            "5.5-A2": {"start": START - dt.timedelta(days=1)},
            "5.5-BL1": {"target_date": dt.date(2030, 1, 1)},
        },
        {k.place("5.5-A2", "start"), k.place("5.5-BL1", "target_date")},
        {"5.5-A2": {"start": START}, "5.5-BL1": {"target_date": period_end}},
    )


def case_target_date_outside_term(k: Kit, tmp: Path) -> Case:
    short = k.window("short")
    assert k.item("5.5-BS1").term == "short"
    return by_values(
        k,
        tmp,
        {"5.5-BS1": {"target_date": short.end + dt.timedelta(days=1)}},
        {k.place("5.5-BS1", "target_date")},
        {"5.5-BS1": {"target_date": short.end}},
    )


def case_dependency_unknown(k: Kit, tmp: Path) -> Case:
    return by_values(
        k,
        tmp,
        {"5.5-A2": {"depends_on": "5.5-A9"}, "5.5-A3": {"depends_on": "the training"}},
        {k.place("5.5-A2", "depends_on"), k.place("5.5-A3", "depends_on")},
        {"5.5-A2": {"depends_on": "4.5-A1"}, "5.5-A3": {"depends_on": "3.1-A2"}},
    )


def case_dependency_cycle(k: Kit, tmp: Path) -> Case:
    return by_values(
        k,
        tmp,
        {
            "5.5-A1": {"depends_on": "5.5-A3"},
            "5.5-A2": {"depends_on": "5.5-A1"},
            "5.5-A3": {"depends_on": "5.5-A2"},
        },
        {k.place("5.5-A1", "depends_on")},  # once, at the row of its smallest id
        {"5.5-A1": {"depends_on": None}},  # the chain A1 <- A2 <- A3 stays
    )


def case_starts_before_dependency_ends(k: Kit, tmp: Path) -> Case:
    first_end = k.full_values["5.5-A1"]["end"]
    assert isinstance(first_end, dt.date)
    return by_values(
        k,
        tmp,
        {"5.5-A2": {"depends_on": "5.5-A1", "start": first_end}},
        {k.place("5.5-A2", "start")},
        {
            "5.5-A2": {
                "depends_on": "5.5-A1",
                "start": first_end + dt.timedelta(days=1),
                "end": first_end + dt.timedelta(days=60),
            }
        },
    )


def case_lead_also_support(k: Kit, tmp: Path) -> Case:
    return by_values(
        k,
        tmp,
        {"5.5-A1": {"support": f"FORCE, {COMPONENT}"}},
        {k.place("5.5-A1", "support")},
        {"5.5-A1": {"support": "FORCE"}},
    )


def case_high_risk_without_mitigation(k: Kit, tmp: Path) -> Case:
    return by_values(
        k,
        tmp,
        {"5.5-R1": {"likelihood": 5, "impact": 3, "mitigation": None}},
        {k.place("5.5-R1", "mitigation")},
        {"5.5-R1": {"likelihood": 4, "impact": 3, "mitigation": None}},  # 12 is not high
    )


def case_hrddp_not_stated(k: Kit, tmp: Path) -> Case:
    assert k.full_values["5.5-A5"]["hrddp"] == "applies: assessment done"  # its text says so
    return by_values(
        k,
        tmp,
        {
            "5.5-A5": {"hrddp": "not applicable"},
            "5.5-A1": {"partners": "national police academy", "hrddp": "not applicable"},
        },
        {k.place("5.5-A5", "hrddp"), k.place("5.5-A1", "hrddp")},
        {
            "5.5-A5": {"hrddp": "applies: assessment pending"},
            "5.5-A1": {"hrddp": "applies: assessment done"},
        },
    )


# --- safety --------------------------------------------------------------------------------


def case_formula_in_cell(k: Kit, tmp: Path) -> Case:
    def write(value: object) -> Callable[[Workbook], None]:
        def edit(wb: Workbook) -> None:
            ws = wb[SHEET_5]
            ws[f"{LETTER['comments']}{find_row(ws, '5.5-A2')}"] = value

        return edit

    bad = edited(k.full, tmp, "bad.xlsx", write("=1+1"))
    fixed = edited(bad, tmp, "fixed.xlsx", write("2"))  # the value, not the formula
    return Case(bad, {k.place("5.5-A2", "comments")}, fixed)


def case_text_looks_like_formula(k: Kit, tmp: Path) -> Case:
    # openpyxl stores "+..." as text (only "=" makes a formula): a spreadsheet may run it
    return by_values(
        k,
        tmp,
        {"5.5-A2": {"partners": "+UNDP and UNICEF"}, "5.5-A3": {"comments": "-see annex"}},
        {k.place("5.5-A2", "partners"), k.place("5.5-A3", "comments")},
        {"5.5-A2": {"partners": "UNDP and UNICEF"}, "5.5-A3": {"comments": "see annex - B"}},
    )


CASES: dict[str, Callable[[Kit, Path], Case]] = {
    "missing-sheet": case_missing_sheet,
    "missing-column": case_missing_column,
    "framework-text-edited": case_framework_text_edited,
    "framework-row-deleted": case_framework_row_deleted,
    "item-moved": case_item_moved,
    "duplicate-item-id": case_duplicate_item_id,
    "unknown-item-id": case_unknown_item_id,
    "row-without-id": case_row_without_id,
    "item-id-assigned": case_item_id_assigned,
    "item-id-of-another-component": case_item_id_of_another_component,
    "added-row-without-type": case_added_row_without_type,
    "context-row-edited": case_context_row_edited,
    "required-value-missing": case_required_value_missing,
    "output-without-lead-activity": case_output_without_lead_activity,
    "output-without-benchmark-in-term": case_output_without_benchmark_in_term,
    "output-without-gender-perspective": case_output_without_gender_perspective,
    "invalid-date": case_invalid_date,
    "date-typed-as-text": case_date_typed_as_text,
    "date-typed-as-number": case_date_typed_as_number,
    "invalid-number": case_invalid_number,
    "number-typed-as-text": case_number_typed_as_text,
    "not-a-whole-number": case_not_a_whole_number,
    "value-out-of-range": case_value_out_of_range,
    "choice-not-allowed": case_choice_not_allowed,
    "choice-spelling": case_choice_spelling,
    "text-too-long": case_text_too_long,
    "control-characters": case_control_characters,
    "end-before-start": case_end_before_start,
    "date-outside-period": case_date_outside_period,
    "target-date-outside-term": case_target_date_outside_term,
    "dependency-unknown": case_dependency_unknown,
    "dependency-cycle": case_dependency_cycle,
    "starts-before-dependency-ends": case_starts_before_dependency_ends,
    "lead-also-support": case_lead_also_support,
    "high-risk-without-mitigation": case_high_risk_without_mitigation,
    "hrddp-not-stated": case_hrddp_not_stated,
    "formula-in-cell": case_formula_in_cell,
    "text-looks-like-formula": case_text_looks_like_formula,
}


PLANNING_CODES = {code for code, kind in CATALOGUE.items() if kind.group != "review"}
"""The review's codes have their cases in tests/validate/test_review.py."""


def test_every_catalogue_code_has_a_case() -> None:
    assert sorted(PLANNING_CODES - set(CASES)) == [], "codes without a workbook case"
    assert sorted(set(CASES) - PLANNING_CODES) == [], "cases for codes not in the catalogue"


@pytest.mark.parametrize("code", sorted(PLANNING_CODES))
def test_code_is_found_at_its_cell_and_gone_when_corrected(
    code: str, k: Kit, tmp_path: Path
) -> None:
    make = CASES.get(code)
    assert make is not None, f"no workbook case for {code}"
    case = make(k, tmp_path)
    # the corrected workbook is the bad one corrected: not the full one, which never had it
    assert case.fixed not in (k.full, case.bad)
    assert case.expected, f"no place expected for {code}"
    report = check(case.bad)
    assert code in codes(report), describe(report)
    assert places(report, code) == case.expected, describe(report)
    for f in report.findings:
        if f.code == code:
            assert f.severity == CATALOGUE[code].severity
            assert len(f.message) > 20 and f.message.endswith("."), f.message
            if f.cell:
                assert re.fullmatch(r"[A-Z]{1,3}[1-9][0-9]*", f.cell), f.cell
    corrected = check(case.fixed)
    assert code not in codes(corrected), describe(corrected)


# --- whole workbooks -----------------------------------------------------------------------


def test_fully_and_correctly_filled_workbook_has_no_findings(k: Kit) -> None:
    report = check(k.full)
    assert report.findings == (), describe(report)
    assert report.valid
    assert (report.component, report.plan_id) == (COMPONENT, k.plan.id)
    assert report.rows >= len(k.rows)


def test_untouched_template_has_only_completeness_findings(k: Kit) -> None:
    report = check(k.template)
    assert codes(report) <= COMPLETENESS, describe(report)
    # every output UNPOL leads misses its activity leads; supported outputs ask nothing
    assert places(report, "output-without-lead-activity") == {k.band("4.5"), k.band("5.5")}
    assert {f.item_id for f in report.findings if f.code == "required-value-missing"} >= {
        "4.5-A1",
        "5.5-BL3",
        "5.5-R7",
        "5.5-C4",
    }
    assert not any(f.item_id.startswith(("3.1", "4.3")) for f in report.findings)


def test_cycle_of_three_activities_is_reported_once(k: Kit, tmp_path: Path) -> None:
    report = check(case_dependency_cycle(k, tmp_path).bad)
    cycles = [f for f in report.findings if f.code == "dependency-cycle"]
    assert len(cycles) == 1, describe(report)
    assert "5.5-A1 -> 5.5-A3 -> 5.5-A2 -> 5.5-A1" in cycles[0].message
    assert cycles[0].item_id == "5.5-A1"


# --- how values are read -------------------------------------------------------------------


def excel_serial(day: dt.date) -> float:
    return float((day - dt.date(1899, 12, 30)).days)


@pytest.mark.parametrize("typed", ["2027-03-31", "31/03/2027", " 31.03.2027 "])
def test_dates_typed_as_text_are_read_with_a_warning(k: Kit, tmp_path: Path, typed: str) -> None:
    # read as 31 March: an end on 30 March is then before the start
    values = {"5.5-A2": {"start": typed, "end": dt.date(2027, 3, 30)}}
    report = check(filled(k.full, tmp_path, "dates.xlsx", values))
    start, end = k.place("5.5-A2", "start"), k.place("5.5-A2", "end")
    assert places(report, "date-typed-as-text") == {start}, describe(report)
    assert places(report, "end-before-start") == {end}
    assert "invalid-date" not in codes(report)
    message = next(f.message for f in report.findings if f.code == "date-typed-as-text")
    assert "2027-03-31" in message


def test_excel_serial_number_in_a_general_cell_is_read_as_a_date_with_a_warning(
    k: Kit, tmp_path: Path
) -> None:
    """Read as the day it counts to, but said: the user sees 46477, not 31 March 2027."""

    def serials(end: dt.date) -> Callable[[Workbook], None]:
        def edit(wb: Workbook) -> None:
            ws = wb[SHEET_5]
            row = find_row(ws, "5.5-A2")
            for key, day in (("start", dt.date(2027, 3, 31)), ("end", end)):
                cell = ws[f"{LETTER[key]}{row}"]
                cell.value = excel_serial(day)
                cell.number_format = "General"

        return edit

    both = {k.place("5.5-A2", "start"), k.place("5.5-A2", "end")}
    fine = check(edited(k.full, tmp_path, "fine.xlsx", serials(dt.date(2027, 4, 30))))
    assert codes(fine) == {"date-typed-as-number"} and fine.valid, describe(fine)
    assert places(fine, "date-typed-as-number") == both
    start = next(f for f in fine.findings if f.cell == k.place("5.5-A2", "start")[1])
    assert "46477" in start.message and "2027-03-31 (31 March 2027)" in start.message
    wrong = check(edited(k.full, tmp_path, "wrong.xlsx", serials(dt.date(2027, 3, 30))))
    assert places(wrong, "end-before-start") == {k.place("5.5-A2", "end")}, describe(wrong)
    assert codes(wrong) == {"end-before-start", "date-typed-as-number"}


def test_number_typed_as_text_is_read_with_a_warning(k: Kit, tmp_path: Path) -> None:
    report = check(filled(k.full, tmp_path, "n.xlsx", {"5.5-A2": {"budget": "1,500"}}))
    (found,) = report.findings
    assert (found.code, found.severity, found.value) == ("number-typed-as-text", "warning", "1,500")
    assert "1500" in found.message
    assert report.valid  # a warning only


def test_choice_in_wrong_case_warns_and_is_read(k: Kit, tmp_path: Path) -> None:
    report = check(filled(k.full, tmp_path, "c.xlsx", {"5.5-A2": {"priority": "HIGH"}}))
    (found,) = report.findings
    assert (found.code, found.severity, found.cell) == (
        "choice-spelling",
        "warning",
        k.place("5.5-A2", "priority")[1],
    )
    assert "'high'" in found.message


@pytest.mark.parametrize(
    ("likelihood", "code"),
    [(7, "value-out-of-range"), (0, "value-out-of-range"), (2.5, "not-a-whole-number")],
)
def test_likelihood_out_of_range_or_fractional(
    k: Kit, tmp_path: Path, likelihood: float, code: str
) -> None:
    report = check(filled(k.full, tmp_path, "l.xlsx", {"5.5-R1": {"likelihood": likelihood}}))
    assert [(f.code, f.cell) for f in report.findings] == [
        (code, k.place("5.5-R1", "likelihood")[1])
    ], describe(report)
    assert "1 to 5" in report.findings[0].message


def test_inserted_column_shifts_the_cells_of_findings(k: Kit, tmp_path: Path) -> None:
    def insert(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        ws.insert_cols(3)  # before column C (Type)
        ws["C1"] = "My notes"
        ws.cell(find_row(ws, "5.5-A3"), 3).value = "ask HQ"
        ws.cell(find_row(ws, "5.5-A3"), 1).value = "5.4"  # still column A

    shifted = edited(k.full, tmp_path, "shifted.xlsx", insert)
    bad = filled(shifted, tmp_path, "bad.xlsx", {"5.5-A2": {"budget": None, "priority": "HIGH"}})
    report = check(bad)
    _, row_a2 = k.rows["5.5-A2"]
    _, row_a3 = k.rows["5.5-A3"]
    assert places(report, "item-moved") == {(SHEET_5, f"A{row_a3}")}, describe(report)
    assert places(report, "required-value-missing") == {(SHEET_5, f"X{row_a2}")}  # was W
    assert places(report, "choice-spelling") == {(SHEET_5, f"L{row_a2}")}  # was K
    assert not any(re.fullmatch(r"C\d+", f.cell) for f in report.findings)
    assert codes(report) == {"item-moved", "required-value-missing", "choice-spelling"}


def test_formula_is_reported_and_not_evaluated(k: Kit, tmp_path: Path) -> None:
    """A formula with a cached value (as Excel saves it) is blanked, never read or run."""
    formula = "DATE(2026,1,1)"  # before the period: date-outside-period if it were read

    def put_formulas(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        row = find_row(ws, "5.5-A2")
        ws[f"{LETTER['end']}{row}"] = f"={formula}"
        ws[f"{LETTER['partners']}{row}"] = "=1+1"  # as text it would look like a formula

    raw = edited(k.full, tmp_path, "raw.xlsx", put_formulas)
    cached = str(int(excel_serial(dt.date(2026, 1, 1)))).encode()

    def add_cached_value(_: str, data: bytes) -> bytes:
        return data.replace(
            f"<f>{formula}</f><v />".encode(), f"<f>{formula}</f><v>".encode() + cached + b"</v>"
        )

    bad = patched_zip(raw, tmp_path / "bad.xlsx", add_cached_value)
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(str(bad)).get_sheet_by_name(SHEET_5)
    _, row = k.rows["5.5-A2"]
    assert sheet.to_python()[row - 1][9] == dt.date(2026, 1, 1)  # the cached value is there

    report = check(bad)
    end, partners = k.place("5.5-A2", "end"), k.place("5.5-A2", "partners")
    assert places(report, "formula-in-cell") == {end, partners}, describe(report)
    value_codes = {
        "date-outside-period",
        "end-before-start",
        "invalid-date",
        "text-looks-like-formula",
    }
    assert not codes(report) & value_codes, describe(report)
    assert not any(f.value in ("2", "2.0") for f in report.findings)  # =1+1 was not run
    # the end is required: with the formula taken out it is empty, which is all that is said
    assert {(f.sheet, f.cell) for f in report.findings} == {end, partners}
    assert codes(report) <= {"formula-in-cell", "required-value-missing"}


def test_formula_after_empty_cells_is_reported_at_its_own_cell(k: Kit, tmp_path: Path) -> None:
    def put_formulas(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        ws[f"{LETTER['budget']}{find_row(ws, '5.5-A2')}"] = "=1+1"  # after empty Owner (V)
        ws[f"{LETTER['comments']}{find_row(ws, '5.5-R1')}"] = "=1+1"  # after empty W..AB
        ws[f"AE{find_row(ws, '5.5-C1')}"] = "=2*3"  # outside the contract columns

    report = check(edited(k.full, tmp_path, "bad.xlsx", put_formulas))
    _, row_c1 = k.rows["5.5-C1"]
    assert places(report, "formula-in-cell") == {
        k.place("5.5-A2", "budget"),
        k.place("5.5-R1", "comments"),
        (SHEET_5, f"AE{row_c1}"),
    }, describe(report)


# --- known bugs: each test shows one (see the report for the proposed patch) --------------


def test_renamed_sheet_is_one_missing_sheet_finding(k: Kit, tmp_path: Path) -> None:
    def rename(wb: Workbook) -> None:
        wb[SHEET_5].title = "Rule of law"

    report = check(edited(k.full, tmp_path, "bad.xlsx", rename))
    assert codes(report) == {"missing-sheet"}, describe(report)
    assert len(report.findings) == 1


def test_renamed_header_is_reported_once_not_at_column_a(k: Kit, tmp_path: Path) -> None:
    report = check(case_missing_column(k, tmp_path).bad)
    budget = [f for f in report.findings if f.column == "Budget (USD)" and f.sheet == SHEET_5]
    assert [(f.code, f.cell) for f in budget] == [("missing-column", "A1")], describe(report)


@pytest.mark.parametrize(
    ("item", "key", "typed", "code"),
    [
        ("5.5-A2", "start", "next spring", "invalid-date"),
        ("5.5-A2", "budget", "a lot", "invalid-number"),
        ("5.5-A2", "priority", "urgent", "choice-not-allowed"),
    ],
)
def test_unreadable_value_in_a_required_cell_is_one_finding(
    k: Kit, tmp_path: Path, item: str, key: str, typed: str, code: str
) -> None:
    report = check(filled(k.full, tmp_path, "bad.xlsx", {item: {key: typed}}))
    assert [(f.code, (f.sheet, f.cell)) for f in report.findings] == [(code, k.place(item, key))], (
        describe(report)
    )


def test_found_values_are_shown_as_typed(k: Kit, tmp_path: Path) -> None:
    values = {"5.5-R1": {"likelihood": 7}, "5.5-A2": {"start": dt.date(2026, 12, 1)}}
    report = check(filled(k.full, tmp_path, "bad.xlsx", values))
    shown = {f.code: f.value for f in report.findings}
    assert shown == {"value-out-of-range": "7", "date-outside-period": "2026-12-01"}
