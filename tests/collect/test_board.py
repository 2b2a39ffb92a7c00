"""`missionplan status`: the board, its timeliness rules, the reminders; `history`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from missionplan.collect.board import LATE, NO_DUE_DATE, NOT_DUE, ON_TIME, OVERDUE, timeliness
from missionplan.collect.run import collect_paths
from missionplan.collect.status import history, status
from missionplan.register.entries import Entry
from tests.cli_helpers import run_main
from tests.collect.material import invalid, plan_copy, variant
from tests.validate.kit import Kit

DUE = dt.date(2027, 1, 31)


def _entry(received: str) -> Entry:
    return Entry(1, "0" * 64, 1, "f.xlsx", "/f", received, "", "p", "p", "UNPOL", 1, "3",
                 "valid", "", 0, 0, 0, "")  # fmt: skip


def test_timeliness_by_the_first_version_and_the_due_date() -> None:
    assert timeliness(_entry("2027-01-31T23:59:00Z"), DUE, DUE) == ON_TIME
    assert timeliness(_entry("2027-02-01T00:00:01Z"), DUE, DUE) == LATE
    assert timeliness(None, DUE, dt.date(2027, 2, 1)) == OVERDUE
    assert timeliness(None, DUE, DUE) == NOT_DUE
    assert timeliness(None, None, DUE) == NO_DUE_DATE


def test_the_board_has_a_row_per_expected_component(k: Kit, tmp_path: Path, db: str) -> None:
    plan = plan_copy(k, tmp_path, extra="  due: 2027-01-31\n")
    collect_paths([invalid(k, tmp_path / "draft.xlsx")], plan, db,
                  now=dt.datetime(2027, 1, 20, tzinfo=dt.UTC))  # fmt: skip
    collect_paths([k.full], plan, db, now=dt.datetime(2027, 2, 3, tzinfo=dt.UTC))
    run = status(plan, db, today=dt.date(2027, 2, 5))
    rows = {r.code: r for r in run.board.rows}
    assert set(rows) == {c.code for c in k.plan.participants()}
    unpol = rows["UNPOL"]
    assert (unpol.state, unpol.versions, unpol.timeliness) == ("valid", 2, ON_TIME)
    assert unpol.current is not None and unpol.current.number == 2
    assert unpol.leads_without_valid == ()
    force = rows["FORCE"]
    assert (force.state, force.timeliness) == ("missing", OVERDUE)
    assert force.leads_without_valid == ("4.3",)
    totals = run.board.totals()
    expected = len(rows)
    assert totals == {"expected": expected, "received": 1, "valid": 1, "on_time": 1,
                      "late": expected - 1, "missing": expected - 1}  # fmt: skip


def test_a_due_date_per_component(k: Kit, tmp_path: Path) -> None:
    plan = plan_copy(k, tmp_path, extra="  due: 2027-01-31\n")
    text = plan.read_text(encoding="utf-8").replace(
        "- {code: UNPOL", "- {due: 2027-01-05, code: UNPOL", 1
    )
    plan.write_text(text, encoding="utf-8")
    assert "due: 2027-01-05" in text, "the kit's plan lists UNPOL as a flow mapping"
    collect_paths([k.full], plan, None, now=dt.datetime(2027, 1, 10, tzinfo=dt.UTC))
    rows = {r.code: r for r in status(plan, today=dt.date(2027, 1, 10)).board.rows}
    assert rows["UNPOL"].due == dt.date(2027, 1, 5) and rows["UNPOL"].timeliness == LATE
    assert rows["FORCE"].due == DUE and rows["FORCE"].timeliness == NOT_DUE


def test_reminders_say_what_to_fix_by_when_and_where(k: Kit, tmp_path: Path) -> None:
    plan = plan_copy(k, tmp_path, extra="  due: 2027-01-31\n")
    collect_paths([invalid(k, tmp_path / "draft.xlsx")], plan, None)
    out = tmp_path / "reminders"
    run = status(plan, reminders_dir=out, today=dt.date(2027, 1, 20))
    names = sorted(p.name for p in run.reminders)
    assert names == sorted(f"reminder-{c.code}.txt" for c in k.plan.participants())
    unpol = (out / "reminder-UNPOL.txt").read_text(encoding="utf-8")
    assert "must be corrected" in unpol and "Please send it by 2027-01-31" in unpol
    assert "Errors to fix" in unpol and "required-value" not in unpol  # messages, not codes
    assert "'5 Strengthening the Rule of Law'" in unpol  # the sheet and cell of each error
    assert k.plan.submit_to in unpol
    force = (out / "reminder-FORCE.txt").read_text(encoding="utf-8")
    assert "not yet received" in force and "lead of 4.3" in force
    again = run_main("status", "-p", str(plan), "--reminders", str(out))
    assert again[0] == 2 and "--force" in again[2]  # never overwritten without --force


def test_no_reminder_for_a_valid_submission(k: Kit, tmp_path: Path) -> None:
    plan = plan_copy(k, tmp_path)
    collect_paths([k.full], plan, None)
    run = status(plan, reminders_dir=tmp_path / "r")
    assert "reminder-UNPOL.txt" not in {p.name for p in run.reminders}


def test_a_plan_change_starts_a_new_column(k: Kit, tmp_path: Path) -> None:
    plan = plan_copy(k, tmp_path)
    collect_paths([k.full], plan, None)
    changed = plan_copy(k, tmp_path, mission="A Renewed Mandate Mission")
    board = status(changed).board
    unpol = next(r for r in board.rows if r.code == "UNPOL")
    assert unpol.state == "missing" and unpol.earlier_plan_entries == 1
    assert board.earlier_plans == (k.plan.id,)
    listed = history(changed, "UNPOL")
    assert [v.earlier_plan for v in listed.versions] == [True]
    assert "(earlier plan)" in listed.text()


def test_a_round_of_its_own(k: Kit, tmp_path: Path) -> None:
    plan = plan_copy(k, tmp_path)
    collect_paths([k.full], plan, None)
    second = plan_copy(k, tmp_path, extra="  round: 2\n")
    assert status(second).board.totals()["received"] == 0
    assert status(second, round=1).board.totals()["received"] == 1


def test_history_lists_versions_and_extracts_exact_bytes(k: Kit, tmp_path: Path) -> None:
    plan = plan_copy(k, tmp_path)
    collect_paths([invalid(k, tmp_path / "draft.xlsx")], plan, None)
    collect_paths([k.full], plan, None)
    listed = history(plan, "UNPOL")
    assert [(v.entry.state, v.current, v.superseded_by) for v in listed.versions] == [
        ("invalid", False, 2),
        ("valid", True, None),
    ]
    out = tmp_path / "back.xlsx"
    code, _, err = run_main("history", "UNPOL", "-p", str(plan), "--extract", "1",
                                 "--out", str(out))  # fmt: skip
    assert code == 0, err
    assert out.read_bytes() == (tmp_path / "draft.xlsx").read_bytes()
    code, _, err = run_main("history", "UNPOL", "-p", str(plan), "--extract", "9", "-o",
                            str(tmp_path / "x.xlsx"))  # fmt: skip
    assert code == 2 and "#9" in err


def test_history_of_an_unknown_component_says_which_exist(k: Kit, tmp_path: Path) -> None:
    plan = plan_copy(k, tmp_path)
    code, _, err = run_main("history", "NOPE", "-p", str(plan))
    assert code == 2 and "UNPOL" in err


def test_status_json(k: Kit, tmp_path: Path) -> None:
    plan = plan_copy(k, tmp_path)
    shutil.copyfile(k.full, tmp_path / "a.xlsx")
    collect_paths([tmp_path / "a.xlsx", variant(k.full, tmp_path / "b.xlsx", "b")], plan, None)
    code, out, err = run_main("status", "-p", str(plan), "-f", "json")
    assert code == 0, err
    unpol = next(c for c in json.loads(out)["components"] if c["component"] == "UNPOL")
    assert unpol["versions"] == 2 and unpol["file"] == "b.xlsx"
