"""Review workbooks through `missionplan validate` (issue 12, §2): every review code is found at
its cell in a workbook that has the mistake, and is gone from the same workbook corrected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from missionplan.schema.findings import CATALOGUE
from missionplan.validate.review import check_review
from missionplan.validate.run import validate_file
from missionplan.workbook.review import ReviewSubmission, read_review
from tests.cli_helpers import run_main
from tests.reviews import Answers, ReviewKit, good_answers
from tests.validate.test_libreoffice import profile, resave  # noqa: F401 (a fixture)

REVIEW_CODES = sorted(code for code, kind in CATALOGUE.items() if kind.group == "review")


@dataclass(frozen=True)
class Case:
    """Answers with the mistake, where it is found, and the answers that correct it."""

    bad: Answers
    where: tuple[str, str, str]  # sheet, item id, column key
    fixed: Answers


def _activity(rk: ReviewKit) -> str:
    return rk.ids("Activities")[0]


def _benchmark(rk: ReviewKit) -> str:
    return rk.ids("Benchmarks")[0]


def _case(sheet: str, item: Callable[[ReviewKit], str], key: str, bad: dict[str, object],
          fixed: dict[str, object]) -> Callable[[ReviewKit], Case]:  # fmt: skip
    def make(rk: ReviewKit) -> Case:
        item_id = item(rk)
        return Case({(sheet, item_id): bad}, (sheet, item_id, key), {(sheet, item_id): fixed})

    return make


A, B = "Activities", "Benchmarks"
CASES: dict[str, Callable[[ReviewKit], Case]] = {
    "completed-without-actual-end": _case(
        A, _activity, "actual_end", {"status": "completed", "percent": 100, "actual_end": None},
        {"status": "completed", "percent": 100, "actual_end": dt.datetime(2027, 5, 20)}),
    "actual-date-after-period": _case(
        A, _activity, "actual_start", {"actual_start": dt.datetime(2027, 7, 15)},
        {"actual_start": dt.datetime(2027, 6, 15)}),
    "percent-not-matching-status": _case(
        A, _activity, "percent", {"status": "ongoing", "percent": 100},
        {"status": "ongoing", "percent": 90}),
    "delay-without-reason": _case(
        A, _activity, "reason", {"status": "delayed"},
        {"status": "delayed", "reason": "Road access cut by the rains."}),
    "achieved-without-evidence": _case(
        B, _benchmark, "evidence", {"assessment": "achieved", "evidence": None},
        {"assessment": "achieved", "evidence": "Police registry, June 2027"}),
    "assessment-without-note": _case(
        B, _benchmark, "note", {"assessment": "off track"},
        {"assessment": "off track", "note": "Recruitment frozen since April."}),
    "item-not-in-review": lambda rk: Case(
        {}, ("Activities", "4.3-A1", "item_id"), {}),
}  # fmt: skip


def answered(rk: ReviewKit, extra: Answers, target: Path) -> Path:
    answers = good_answers(rk)
    for place, values in extra.items():
        answers[place] = {**answers.get(place, {}), **values}
    return rk.answer(answers, target)


def foreign_row(path: Path, target: Path, item_id: str | None) -> Path:
    """The workbook with a row reporting on another component's activity (4.3-A1) added."""
    wb = load_workbook(path)
    ws = wb["Activities"]
    row = ws.max_row + 1
    if item_id:
        ws.cell(row, 1).value, ws.cell(row, 2).value = "4.3", item_id
        ws.cell(row, 7).value = "ongoing"
    wb.save(target)
    return target


def findings_at(path: Path) -> set[tuple[str, str, str]]:
    report, _ = validate_file(path)
    assert not report.unreadable, report.unreadable
    return {(f.code, f.sheet, f.cell) for f in report.findings}


def test_every_review_code_has_a_case() -> None:
    assert sorted(CASES) == REVIEW_CODES


def test_the_good_answers_are_valid(rk: ReviewKit, tmp_path: Path) -> None:
    assert findings_at(answered(rk, {}, tmp_path / "good.xlsx")) == set()


@pytest.mark.parametrize("code", REVIEW_CODES)
def test_code_is_found_at_its_cell_and_gone_when_corrected(
    code: str, rk: ReviewKit, tmp_path: Path
) -> None:
    case = CASES[code](rk)
    bad = answered(rk, case.bad, tmp_path / "bad.xlsx")
    fixed = answered(rk, case.fixed, tmp_path / "fixed.xlsx")
    if code == "item-not-in-review":
        bad = foreign_row(bad, tmp_path / "bad-foreign.xlsx", "4.3-A1")
        fixed = foreign_row(fixed, tmp_path / "fixed-foreign.xlsx", None)
    sheet, item_id, key = case.where
    if code == "item-not-in-review":
        cell = f"B{load_workbook(bad)[sheet].max_row}"
    else:
        cell = rk.cell(sheet, item_id, key)
    assert (code, sheet, cell) in findings_at(bad)
    assert not {f for f in findings_at(fixed) if f[0] == code}
    assert findings_at(fixed) == set()


def test_values_are_read_by_the_planning_grammar(rk: ReviewKit, tmp_path: Path) -> None:
    item = _activity(rk)
    path = answered(rk, {(A, item): {"percent": "140", "actual_start": "1 avril 2027",
                                     "status": "ONGOING"}}, tmp_path / "typed.xlsx")  # fmt: skip
    found = {f[0] for f in findings_at(path)}
    assert {"number-typed-as-text", "value-out-of-range", "date-typed-as-text",
            "choice-spelling"} <= found  # fmt: skip
    _, items = check_review(read_review(path))
    typed = next(i for i in items if i.item_id == item)
    assert typed.value("actual_start") == dt.date(2027, 4, 1) and typed.value("status") == "ongoing"
    assert typed.value("percent") is None  # out of range: never a value silently misread


def test_a_locked_planned_value_changed_is_found(rk: ReviewKit, tmp_path: Path) -> None:
    item = _activity(rk)
    path = answered(rk, {(A, item): {"planned_end": dt.datetime(2029, 1, 1)}}, tmp_path / "x.xlsx")
    assert ("framework-text-edited", A, rk.cell(A, item, "item_id")) in findings_at(path)


def test_validate_prints_review_findings(rk: ReviewKit, tmp_path: Path) -> None:
    item = _benchmark(rk)
    path = answered(rk, {(B, item): {"assessment": "at risk"}}, tmp_path / "r.xlsx")
    code, stdout, _ = run_main("validate", str(path))
    assert code == 1
    assert "assessment-without-note" in stdout and rk.cell(B, item, "note") in stdout


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_review_resaved_by_libreoffice_validates_the_same(
    rk: ReviewKit,
    tmp_path: Path,
    soffice: str,
    profile: Path,  # noqa: F811
) -> None:
    item, bench = _activity(rk), _benchmark(rk)
    path = answered(rk, {(A, item): {"status": "delayed", "percent": 100,
                                     "actual_end": dt.datetime(2027, 8, 1)},
                         (B, bench): {"assessment": "achieved", "evidence": None}},
                    tmp_path / "mistakes.xlsx")  # fmt: skip
    again = resave(path, profile, tmp_path / "resaved")
    assert findings_at(again) == findings_at(path)
    assert len(findings_at(path)) >= 4
    good = resave(answered(rk, {}, tmp_path / "good.xlsx"), profile, tmp_path / "resaved-good")
    assert findings_at(good) == set()


def test_an_annotated_copy_marks_the_review_findings(rk: ReviewKit, tmp_path: Path) -> None:
    item = _activity(rk)
    path = answered(rk, {(A, item): {"status": "delayed"}}, tmp_path / "in" / "r.xlsx")
    code, _, stderr = run_main("validate", str(path), "--annotate", str(tmp_path / "out"))
    assert code == 1, stderr
    copy = load_workbook(tmp_path / "out" / "r.xlsx")
    comment = copy[A][rk.cell(A, item, "reason")].comment
    assert comment is not None and "say why" in comment.text
    assert copy.sheetnames[0] == "Findings"


@pytest.fixture(scope="module")
def read(rk: ReviewKit) -> object:
    return read_review(rk.workbook)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.sampled_from(["planned", "ongoing", "completed", "delayed", "cancelled"]),
    percent=st.integers(0, 100),
    ended=st.booleans(),
    reason=st.booleans(),
)
def test_the_activity_rules_hold_for_any_answers(
    rk: ReviewKit, read: object, status: str, percent: int, ended: bool, reason: bool
) -> None:
    """Without files: one activity row answered any way gets exactly the codes its rules say."""
    from dataclasses import replace

    review = read
    assert isinstance(review, ReviewSubmission)
    table = next(t for t in review.tables if t.sheet.name == A)
    number, cells = table.rows[0]
    answer = {"status": status, "percent": percent,
              "actual_end": dt.datetime(2027, 6, 1) if ended else None,
              "reason": "A reason." if reason else None}  # fmt: skip
    row = list(cells)
    for key, value in answer.items():
        row[table.columns[key]] = value
    changed = replace(table, rows=((number, tuple(row)),))
    tables = tuple(changed if t is table else t for t in review.tables)
    report, items = check_review(replace(review, tables=tables))
    codes = {f.code for f in report.findings if f.sheet == A}
    expected = set()
    if status == "completed" and not ended:
        expected.add("completed-without-actual-end")
    if (percent == 100) != (status == "completed"):
        expected.add("percent-not-matching-status")
    if status in ("delayed", "cancelled") and not reason:
        expected.add("delay-without-reason")
    assert codes == expected
    assert [i.value("percent") for i in items if i.item_type == "activity"] == [percent]
