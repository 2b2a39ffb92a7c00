"""`export --review`: one review workbook per component, from the merged plan (issue 12, §1)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from missionplan.errors import MissionplanError
from missionplan.export.review import export_review, responsible
from missionplan.schema.review import BY_NAME
from missionplan.validate.items import submitted_items
from missionplan.workbook.reader import read_submission
from tests.cli_helpers import run_main
from tests.reviews import PERIOD, ReviewKit


def test_the_component_gets_the_items_it_answers_for(rk: ReviewKit) -> None:
    items = submitted_items(read_submission(rk.merged))
    wanted = {
        (sheet, i.item_id)
        for i in items
        for sheet in BY_NAME
        if BY_NAME[sheet].item_type == i.item_type and responsible(i) == "UNPOL"
    }
    assert set(rk.rows) == wanted
    assert len(rk.ids("Activities")) > 5 and rk.ids("Benchmarks") and rk.ids("Risks")


def test_planned_values_are_locked_and_inputs_open(rk: ReviewKit) -> None:
    wb = load_workbook(rk.workbook)
    item = rk.ids("Activities")[0]
    ws = wb["Activities"]
    planned = ws[rk.cell("Activities", item, "planned_end")]
    status = ws[rk.cell("Activities", item, "status")]
    assert isinstance(planned.value, dt.datetime) and planned.protection.locked
    assert planned.number_format == "yyyy-mm-dd"
    assert not status.protection.locked and status.value is None
    assert ws.protection.sheet and ws.freeze_panes == "D2"
    rules = {str(v.sqref).split(":")[0][0]: v for v in ws.data_validations.dataValidation}
    assert rules["G"].type == "list" and rules["G"].formula1 == "mp_review_status"
    assert rules["H"].type == "whole" and (rules["H"].formula1, rules["H"].formula2) == ("0", "100")
    assert all(v.prompt for v in ws.data_validations.dataValidation)
    assert wb["Benchmarks"]["I1"].value == "Assessment"


def test_instructions_and_metadata_name_the_period(rk: ReviewKit) -> None:
    wb = load_workbook(rk.workbook)
    text = "\n".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    assert "Quarterly review 2027-Q2" in text and "2027-04-01 to 2027-06-30" in text
    meta = dict(wb["_meta"].iter_rows(values_only=True))
    assert (meta["kind"], meta["period"], meta["component"]) == ("review", "2027-Q2", "UNPOL")
    assert wb["_meta"].sheet_state == "veryHidden"


def test_a_planning_workbook_says_nothing_of_kind_or_period(rk: ReviewKit) -> None:
    meta = dict(load_workbook(rk.kit.template)["_meta"].iter_rows(values_only=True))
    assert "kind" not in meta and "period" not in meta
    assert read_submission(rk.kit.template).meta.kind == "planning"
    review = read_submission(rk.workbook).meta
    assert (review.kind, review.period) == ("review", "2027-Q2")


def test_the_same_plan_gives_the_same_workbook(rk: ReviewKit, tmp_path: Path) -> None:
    (again,) = export_review(rk.kit.plan_file, rk.merged, PERIOD.label, tmp_path).paths
    assert again.name == rk.workbook.name == f"umism-UNPOL-{rk.kit.plan.id}-review-2027-Q2.xlsx"
    assert contents(again) == contents(rk.workbook)


def contents(path: Path) -> list[list[tuple[object, ...]]]:
    wb = load_workbook(path)
    return [[row for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets]


@pytest.mark.parametrize(
    ("period", "said"),
    [("2027-Q5", "is not a period"), ("Q2", "is not a period"), ("2031-Q1", "outside")],
)
def test_a_bad_period_is_one_line(rk: ReviewKit, tmp_path: Path, period: str, said: str) -> None:
    with pytest.raises(MissionplanError, match=said):
        export_review(rk.kit.plan_file, rk.merged, period, tmp_path)


def test_from_must_be_a_merged_plan_of_this_plan(rk: ReviewKit, tmp_path: Path) -> None:
    with pytest.raises(MissionplanError, match="review workbook"):
        export_review(rk.kit.plan_file, rk.workbook, PERIOD.label, tmp_path)
    with pytest.raises(MissionplanError, match="leads no activity"):
        export_review(rk.kit.plan_file, rk.merged, PERIOD.label, tmp_path, codes=["GEN"])


def test_the_command(rk: ReviewKit, tmp_path: Path) -> None:
    plan = str(rk.kit.plan_file)
    code, _, stderr = run_main("export", plan, "--review", "2027-Q2", "-o", str(tmp_path))
    assert code == 2 and "--review needs --from" in stderr
    code, stdout, stderr = run_main(
        "export", plan, "--from", str(rk.merged), "--review", "2027-Q2", "-o", str(tmp_path)
    )
    assert code == 0, stderr
    assert "1 review workbook for 2027-Q2" in stdout
    assert contents(tmp_path / rk.workbook.name) == contents(rk.workbook)


def test_the_previous_answers_are_filled_in(rk: ReviewKit, tmp_path: Path) -> None:
    from tests.reviews import good_answers

    answers = good_answers(rk)
    item = rk.ids("Activities")[0]
    answers[("Activities", item)].update(status="delayed", reason="Rains.", percent=30)
    q2 = rk.answer(answers, tmp_path / "q2" / "UNPOL.xlsx")
    code, _, stderr = run_main(
        "export", str(rk.kit.plan_file), "--from", str(rk.merged), "--review", "2027-Q3",
        "--previous", str(tmp_path / "q2"), "-o", str(tmp_path / "q3"),
    )  # fmt: skip
    assert code == 0, stderr
    (q3,) = (tmp_path / "q3").glob("*-review-2027-Q3.xlsx")
    ws = load_workbook(q3)["Activities"]
    assert ws[rk.cell("Activities", item, "status")].value == "delayed"
    assert ws[rk.cell("Activities", item, "percent")].value == 30
    assert ws[rk.cell("Activities", item, "reason")].value == "Rains."
    assert not ws[rk.cell("Activities", item, "status")].protection.locked
    with pytest.raises(MissionplanError, match="not before 2027-Q2"):
        export_review(rk.kit.plan_file, rk.merged, "2027-Q2", tmp_path / "x", previous=[q2])
