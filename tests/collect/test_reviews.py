"""Quarterly review rounds in the register: collect, status --period, history (issue 12).

Tests with `db` run on SQLite and on PostgreSQL. The review kit's merged plan gives UNPOL
alone a review workbook (every activity, benchmark and risk in it is UNPOL's), so a review
round expects UNPOL only, while the planning round expects every participant.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from missionplan.collect.run import COLLECTED, collect_paths
from missionplan.collect.status import history, status
from missionplan.errors import MissionplanError
from missionplan.register.database import open_register
from missionplan.register.entries import INVALID, VALID, all_entries, findings_of
from tests.cli_helpers import run_main
from tests.collect.material import plan_copy, variant
from tests.reviews import ReviewKit, good_answers

JAN_10 = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.UTC)
SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"
JUL_02 = dt.datetime(2027, 7, 2, 9, 0, tzinfo=dt.UTC)


def _conforms(document: dict, name: str) -> None:
    """The document is described by its published schema (docs/schemas/)."""
    import jsonschema

    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)


def _good(rk: ReviewKit, target: Path) -> Path:
    return rk.answer(good_answers(rk), target)


def _mistaken(rk: ReviewKit, target: Path) -> Path:
    """An activity completed without its actual end: completed-without-actual-end."""
    answers = good_answers(rk)
    first = rk.ids("Activities")[0]
    answers[("Activities", first)].update(status="completed", percent=100, actual_end=None)
    return rk.answer(answers, target)


def test_a_review_workbook_is_collected_with_its_kind_and_period(
    rk: ReviewKit, tmp_path: Path, db: str
) -> None:
    plan = plan_copy(rk.kit, tmp_path)
    good = _good(rk, tmp_path / "in" / "UNPOL-q2.xlsx")
    run = collect_paths([good], plan, db, now=JUL_02)
    (done,) = run.files
    assert (done.outcome, done.state, done.supersedes) == (COLLECTED, VALID, None)
    assert done.entry is not None
    assert (done.entry.kind, done.entry.period, done.entry.component) == (
        "review", "2027-Q2", "UNPOL",
    )  # fmt: skip
    assert "UNPOL review 2027-Q2, VALID" in done.line()
    assert run.exit_code() == 0
    _conforms({"schema_version": 1, **run.as_data()}, "collect")
    data = run.as_data()["files"][0]["entry"]
    assert (data["kind"], data["period"]) == ("review", "2027-Q2")


def test_an_invalid_review_is_stored_with_the_review_findings(
    rk: ReviewKit, tmp_path: Path, db: str
) -> None:
    plan = plan_copy(rk.kit, tmp_path)
    bad = _mistaken(rk, tmp_path / "in" / "UNPOL-q2.xlsx")
    run = collect_paths([bad], plan, db, now=JUL_02)
    (done,) = run.files
    assert done.state == INVALID and run.exit_code() == 1
    assert done.entry is not None and done.entry.errors >= 1
    register = open_register(db, create=False)
    assert register is not None
    try:
        codes = {f["code"] for f in findings_of(register, [done.entry.number])[done.entry.number]}
    finally:
        register.close()
    assert "completed-without-actual-end" in codes  # the review's checks, not the planning ones


def test_a_review_and_a_planning_submission_do_not_supersede_each_other(
    rk: ReviewKit, tmp_path: Path, db: str
) -> None:
    plan = plan_copy(rk.kit, tmp_path)
    bad = _mistaken(rk, tmp_path / "in" / "UNPOL-q2-draft.xlsx")
    good = _good(rk, tmp_path / "in" / "UNPOL-q2.xlsx")
    planning = shutil.copyfile(rk.kit.full, tmp_path / "in" / "UNPOL.xlsx")
    first = collect_paths([planning], plan, db, now=JAN_10).files[0]
    draft = collect_paths([bad], plan, db, now=JUL_02).files[0]
    final = collect_paths([good], plan, db, now=JUL_02).files[0]
    again = collect_paths([variant(planning, tmp_path / "UNPOL-2.xlsx", "re-send")], plan, db)
    assert draft.supersedes is None  # a review never supersedes the planning submission
    assert draft.entry is not None and first.entry is not None
    assert final.supersedes == draft.entry.number  # a re-sent review: its own period's
    assert again.files[0].supersedes == first.entry.number  # a planning re-send: not the review
    board = status(plan, db, today=dt.date(2027, 7, 3), environ={}).board
    unpol = next(r for r in board.rows if r.code == "UNPOL")
    assert unpol.current is not None and unpol.current.kind == "planning"
    assert unpol.versions == 2  # the two planning versions; the reviews are not the round's
    versions = history(plan, "UNPOL", db, environ={})
    current = [v.entry.number for v in versions.versions if v.current]
    assert final.entry is not None and again.files[0].entry is not None
    assert current == [final.entry.number, again.files[0].entry.number]  # one per slot
    assert "review 2027-Q2" in versions.text()
    _conforms({"schema_version": 1, **versions.as_data()}, "history")
    lines = [line for line in versions.text().splitlines() if "review 2027-Q2" in line]
    assert len(lines) == 2 and f"superseded by #{final.entry.number}" in lines[0]


def test_status_for_a_period_expects_those_given_a_review_workbook(
    rk: ReviewKit, tmp_path: Path, db: str
) -> None:
    plan = plan_copy(rk.kit, tmp_path)
    bad = _mistaken(rk, tmp_path / "in" / "UNPOL-q2.xlsx")
    collect_paths([rk.kit.full], plan, db, now=JAN_10)
    collect_paths([bad], plan, db, now=JUL_02)
    run = status(plan, db, period="2027-Q2", merged_file=str(rk.merged), environ={})
    board = run.board
    assert [r.code for r in board.rows] == ["UNPOL"]  # the only one given a review workbook
    (row,) = board.rows
    assert row.state == INVALID and row.current is not None and row.current.kind == "review"
    assert board.totals() == {"expected": 1, "received": 1, "valid": 0, "on_time": 0,
                              "late": 0, "missing": 0}  # fmt: skip
    planning = status(plan, db, environ={}).board  # the planning board: every participant
    assert len(planning.rows) == len(rk.kit.plan.participants()) > 1
    code, text, err = run_main("status", "-p", str(plan), "--db", db, "--period", "2027-Q2",
                               "--from", str(rk.merged))  # fmt: skip
    assert code == 0, err
    assert ", review 2027-Q2, on " in text.splitlines()[0]
    assert text.strip().splitlines()[-1].startswith("1 expected: 1 received, 0 valid"), text
    code, out, err = run_main("status", "-p", str(plan), "--db", db, "--period", "2027-Q2",
                              "--from", str(rk.merged), "-f", "json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    _conforms(data, "status")
    assert data["period"] == "2027-Q2" and [c["component"] for c in data["components"]] == ["UNPOL"]
    assert (
        json.loads(run_main("status", "-p", str(plan), "--db", db, "-f", "json")[1])["period"]
        is None
    )


def test_status_for_a_period_reads_the_merged_plan_the_register_recorded(
    rk: ReviewKit, tmp_path: Path
) -> None:
    """Without --from, the last planning merge recorded (its file unchanged) says who."""
    plan = plan_copy(rk.kit, tmp_path)
    collect_paths([rk.kit.full], plan, None)
    with pytest.raises(MissionplanError, match="give --from"):
        status(plan, period="2027-Q2", environ={})  # nothing merged from the register yet
    merged = tmp_path / "mission-plan.xlsx"
    code, _, err = run_main("merge", "-p", str(plan), "-o", str(merged))
    assert code == 0, err
    board = status(plan, period="2027-Q2", environ={}).board
    assert [(r.code, r.state) for r in board.rows] == [("UNPOL", "missing")]
    assert board.totals()["missing"] == 1
    merged.write_bytes(merged.read_bytes() + b"changed")  # no longer the file recorded
    with pytest.raises(MissionplanError, match="has changed since merge #1"):
        status(plan, period="2027-Q2", environ={})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2027-05"], "is not a period"),
        (["--period", "2027-Q2", "--round", "1"], "not both"),
        (["--from", "x.xlsx"], "--from is used with --period"),
    ],
)
def test_status_period_usage_errors_are_one_line(
    rk: ReviewKit, tmp_path: Path, args: list[str], message: str
) -> None:
    plan = plan_copy(rk.kit, tmp_path)
    collect_paths([rk.kit.full], plan, None)
    code, _, err = run_main("status", "-p", str(plan), *args)
    assert code == 2 and message in err and err.count("\n") == 1, err


def test_entries_of_the_register_keep_their_slots_after_collecting_both(
    rk: ReviewKit, tmp_path: Path
) -> None:
    plan = plan_copy(rk.kit, tmp_path)
    collect_paths([rk.kit.full, _good(rk, tmp_path / "q2.xlsx")], plan, None)
    register = open_register(f"sqlite:///{tmp_path / 'missionplan.db'}", create=False)
    assert register is not None
    try:
        slots = [(e.kind, e.period) for e in all_entries(register)]
    finally:
        register.close()
    assert slots == [("planning", ""), ("review", "2027-Q2")]


def test_a_review_whose_period_is_not_a_quarter_is_refused(rk: ReviewKit, tmp_path: Path) -> None:
    """A `_meta` period edited by hand (or damaged) cannot make a slot of its own."""
    from openpyxl import load_workbook

    plan = plan_copy(rk.kit, tmp_path)
    wb = load_workbook(_good(rk, tmp_path / "q2.xlsx"))
    meta = wb["_meta"]
    (cell,) = [row[1] for row in meta.iter_rows() if row[0].value == "period"]
    cell.value = "2027-Q9'; DROP TABLE missionplan_submissions; --"
    wb.save(tmp_path / "odd.xlsx")
    (done,) = collect_paths([tmp_path / "odd.xlsx"], plan, None).files
    assert done.state == "refused" and done.entry is not None
    assert "is not a quarter" in done.entry.reason
    assert [e.state for e in _all(tmp_path)] == ["refused"]  # stored as text, nothing dropped


def _all(folder: Path) -> list:
    register = open_register(f"sqlite:///{folder / 'missionplan.db'}", create=False)
    assert register is not None
    try:
        return all_entries(register)
    finally:
        register.close()


def test_reminders_for_a_period_ask_for_the_review_workbook(rk: ReviewKit, tmp_path: Path) -> None:
    plan = plan_copy(rk.kit, tmp_path)
    collect_paths([rk.kit.full, _mistaken(rk, tmp_path / "q2.xlsx")], plan, None)
    folder = tmp_path / "reminders"
    run = status(plan, period="2027-Q2", merged_file=str(rk.merged), reminders_dir=folder,
                 environ={})  # fmt: skip
    assert [p.name for p in run.reminders] == ["reminder-UNPOL-review-2027-Q2.txt"]
    text = run.reminders[0].read_text(encoding="utf-8")
    assert "2027-Q2: your review workbook for 2027-Q2 needs corrections" in text
    assert "performance report" in text and "completed" in text.lower()
    assert "lead of" not in text  # the planning round's request is not repeated
    planning = status(plan, reminders_dir=folder, environ={}).reminders
    assert "reminder-UNPOL.txt" not in {p.name for p in planning}  # its planning one is valid
    assert run.reminders[0].exists()  # and neither overwrites the other
