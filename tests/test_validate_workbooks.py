"""Validation of real workbooks: every finding code, triggered in a file and then corrected.

Each case starts from the fully and correctly filled UNPOL workbook (which has no
findings), makes one mistake the way a focal point would (fill_workbook by item id, or
openpyxl for structure changes), and checks the finding sits at the real cell (A1
notation) of the sheet; the corrected workbook must not have that code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl.workbook.workbook import Workbook

from missionplan.schema.contract import MAX_CELL_TEXT
from missionplan.schema.findings import CATALOGUE
from validation_helpers import (
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
    kit,
    merged,
    output_column,
    patched_zip,
    places,
)

Place = tuple[str, str]


@pytest.fixture(scope="session")
def k(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return kit(tmp_path_factory.mktemp)


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
    fix: dict[str, dict[str, object]] | None = None,
) -> Case:
    """Fill the full workbook with a mistake, and (when given) with the correction instead."""
    bad_path = filled(k.full, tmp, "bad.xlsx", bad)
    fixed = filled(k.full, tmp, "fixed.xlsx", fix) if fix else k.full
    return Case(bad_path, expected, fixed)


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


def case_missing_sheet(k: Kit, tmp: Path) -> Case:
    def edit(wb: Workbook) -> None:
        del wb[SHEET_5]

    # A workbook-level finding: no sheet and no cell to point at.
    return Case(edited(k.full, tmp, "bad.xlsx", edit), {("", "")}, k.full)


def case_missing_column(k: Kit, tmp: Path) -> Case:
    def rename(header: str) -> Callable[[Workbook], None]:
        def edit(wb: Workbook) -> None:
            wb[SHEET_5][f"{LETTER['budget']}1"] = header

        return edit

    bad = edited(k.full, tmp, "bad.xlsx", rename("Budget"))
    # Headers are matched ignoring case and spacing, so this one is still the column.
    fixed = edited(k.full, tmp, "fixed.xlsx", rename("  budget   (usd) "))
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
    fixed = edited(k.full, tmp, "fixed.xlsx", rewrite("  " + item.text.replace(" ", "  ") + " "))
    return Case(bad, {k.place("5.5-A1", "text")}, fixed)


def case_framework_row_deleted(k: Kit, tmp: Path) -> Case:
    def edit(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        ws.delete_rows(find_row(ws, "5.5-C4"))

    # The row is gone, so the finding names the sheet and the item, not a cell.
    return Case(edited(k.full, tmp, "bad.xlsx", edit), {(SHEET_5, "")}, k.full)


def case_item_moved(k: Kit, tmp: Path) -> Case:
    def edit(wb: Workbook) -> None:
        ws = wb[SHEET_4]
        ws.cell(find_row(ws, "4.5-A1"), output_column(ws)).value = "4.3"

    bad = edited(k.full, tmp, "moved.xlsx", edit)
    # and a prepared row of 4.5 given content under output 5.5
    bad = filled(bad, tmp, "bad.xlsx", {"4.5-UNPOL-01": activity_row("Joint patrols", output_id="5.5")})
    fixed = filled(k.full, tmp, "fixed.xlsx", {"4.5-UNPOL-01": activity_row("Joint patrols")})
    expected = {k.place("4.5-A1", "output_id"), k.place("4.5-UNPOL-01", "output_id")}
    return Case(bad, expected, fixed)


def case_duplicate_item_id(k: Kit, tmp: Path) -> Case:
    content = activity_row("Mentor station commanders")
    bad = filled(k.full, tmp, "bad.xlsx", {"4.5-UNPOL-02": {**content, "item_id": "4.5-A1"}})
    fixed = filled(k.full, tmp, "fixed.xlsx", {"4.5-UNPOL-02": content})
    # reported on the later row; the first 4.5-A1 is the framework row
    return Case(bad, {k.place("4.5-UNPOL-02", "item_id")}, fixed)


def case_unknown_item_id(k: Kit, tmp: Path) -> Case:
    content = activity_row("Mentor station commanders")
    bad = filled(k.full, tmp, "bad.xlsx", {"4.5-UNPOL-01": {**content, "item_id": "4.5-UNPOL-99"}})
    fixed = filled(k.full, tmp, "fixed.xlsx", {"4.5-UNPOL-01": content})
    return Case(bad, {k.place("4.5-UNPOL-01", "item_id")}, fixed)


def case_row_without_id(k: Kit, tmp: Path) -> Case:
    content = activity_row("Train police trainers")
    row = k.rows["5.5-UNPOL-01"][1]  # the new row goes where the first prepared row was

    def edit(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        ws.insert_rows(row)
        ws.cell(row, output_column(ws)).value = "5.5"
        for key in ("item_type", "text", "lead", "priority"):
            ws[f"{LETTER[key]}{row}"] = content[key]

    bad = edited(k.full, tmp, "bad.xlsx", edit)
    fixed = filled(k.full, tmp, "fixed.xlsx", {"5.5-UNPOL-01": content})
    return Case(bad, {(SHEET_5, f"{LETTER['item_id']}{row}")}, fixed)


def case_added_row_without_type(k: Kit, tmp: Path) -> Case:
    content = activity_row("Train police trainers")
    untyped = {key: value for key, value in content.items() if key != "item_type"}
    bad = filled(k.full, tmp, "bad.xlsx", {"5.5-UNPOL-01": untyped})
    fixed = filled(k.full, tmp, "fixed.xlsx", {"5.5-UNPOL-01": content})
    return Case(bad, {k.place("5.5-UNPOL-01", "item_type")}, fixed)


def case_context_row_edited(k: Kit, tmp: Path) -> Case:
    # 3.1 is led by HOM: UNPOL sees its framework rows as context only.
    bad = filled(k.full, tmp, "bad.xlsx", {"3.1-A1": {"lead": COMPONENT, "budget": 2_000}})
    fixed = filled(k.full, tmp, "fixed.xlsx", {"3.1-UNPOL-01": activity_row("Police liaison")})
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
    fixed = filled(k.full, tmp, "fixed.xlsx", {"5.5-A2": {"comments": "x" * MAX_CELL_TEXT}})
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
        {"5.5-A2": {"start": START - dt.timedelta(days=1)}, "5.5-BL1": {"target_date": dt.date(2030, 1, 1)}},
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
        {"5.5-A2": {"depends_on": "5.5-A1"}, "5.5-A3": {"depends_on": "5.5-A2"}},
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
        {"5.5-A5": {"hrddp": "applies: assessment pending"}, "5.5-A1": {"hrddp": "applies: assessment done"}},
    )


# --- safety --------------------------------------------------------------------------------


def case_formula_in_cell(k: Kit, tmp: Path) -> Case:
    def edit(wb: Workbook) -> None:
        ws = wb[SHEET_5]
        ws[f"{LETTER['comments']}{find_row(ws, '5.5-A2')}"] = "=1+1"

    return Case(edited(k.full, tmp, "bad.xlsx", edit), {k.place("5.5-A2", "comments")}, k.full)


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
    "added-row-without-type": case_added_row_without_type,
    "context-row-edited": case_context_row_edited,
    "required-value-missing": case_required_value_missing,
    "output-without-lead-activity": case_output_without_lead_activity,
    "output-without-benchmark-in-term": case_output_without_benchmark_in_term,
    "output-without-gender-perspective": case_output_without_gender_perspective,
    "invalid-date": case_invalid_date,
    "date-typed-as-text": case_date_typed_as_text,
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


def test_every_catalogue_code_has_a_case() -> None:
    assert sorted(set(CATALOGUE) - set(CASES)) == [], "codes without a workbook case"
    assert sorted(set(CASES) - set(CATALOGUE)) == [], "cases for codes not in the catalogue"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_code_is_found_at_its_cell_and_gone_when_corrected(code: str, k: Kit, tmp_path: Path) -> None:
    make = CASES.get(code)
    assert make is not None, f"no workbook case for {code}"
    case = make(k, tmp_path)
    report = check(case.bad)
    assert places(report, code) == case.expected, describe(report)
    for f in report.findings:
        if f.code == code:
            assert f.severity == CATALOGUE[code].severity
            assert len(f.message) > 20 and f.message[0].isupper(), f.message
            if f.cell:
                assert re.fullmatch(r"[A-Z]{1,3}[1-9][0-9]*", f.cell), f.cell
    corrected = check(case.fixed)
    assert code not in codes(corrected), describe(corrected)
