"""`missionplan merge --plan plan.yaml --out FILE` with no files: merge from the register."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from missionplan.collect.run import collect_paths
from missionplan.register.database import open_register
from missionplan.register.entries import all_merges
from tests.cli_helpers import run_main
from tests.collect.material import invalid, plan_copy
from tests.validate.kit import Kit


def test_the_current_valid_submission_is_merged_and_the_merge_recorded(
    k: Kit, tmp_path: Path
) -> None:
    plan = plan_copy(k, tmp_path)
    collect_paths([k.full], plan, None)
    collect_paths([invalid(k, tmp_path / "later-draft.xlsx")], plan, None)  # now current
    out = tmp_path / "mission-plan.xlsx"
    code, stdout, err = run_main("merge", "-p", str(plan), "-o", str(out))
    assert code == 2 and "nothing to merge" in err  # the current one is invalid
    code, stdout, err = run_main("merge", "-p", str(plan), "-o", str(out), "--include-invalid",
                                 "-f", "json")  # fmt: skip
    assert code == 0, err
    document = json.loads(stdout)
    assert document["inputs"] == [
        {"file": "later-draft.xlsx", "state": "merged", "detail": "merged", "entry": 2}
    ]
    register = open_register(f"sqlite:///{tmp_path / 'missionplan.db'}", create=False)
    assert register is not None
    (record,) = all_merges(register)
    register.close()
    assert record.inputs == (2,) and record.include_invalid
    assert record.out_sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert document["merge"] == record.number


def test_merging_from_the_register_says_collect_first_when_there_is_none(
    k: Kit, tmp_path: Path
) -> None:
    plan = plan_copy(k, tmp_path)
    code, _, err = run_main("merge", "-p", str(plan), "-o", str(tmp_path / "m.xlsx"))
    assert code == 2 and "missionplan collect" in err
    assert not (tmp_path / "missionplan.db").exists()


def test_merge_needs_files_or_a_plan(tmp_path: Path) -> None:
    code, _, err = run_main("merge", "-o", str(tmp_path / "m.xlsx"))
    assert code == 2 and "--plan" in err


def test_a_merge_from_the_register_on_postgresql(k: Kit, tmp_path: Path) -> None:
    from tests.register.postgres import fresh_database

    db = fresh_database()
    plan = plan_copy(k, tmp_path)
    collect_paths([k.full], plan, db)
    out = tmp_path / "m.xlsx"
    code, stdout, err = run_main("merge", "-p", str(plan), "-o", str(out), "--db", db)
    assert code == 0, err
    assert "full.xlsx (entry #1): merged" in stdout and "Recorded as merge #1" in stdout


def test_validate_with_only_a_plan_checks_the_registers_current_files(
    k: Kit, tmp_path: Path
) -> None:
    plan = plan_copy(k, tmp_path)
    code, _, err = run_main("validate", "-p", str(plan))
    assert code == 2 and "missionplan collect" in err
    collect_paths([k.full], plan, None)
    collect_paths([invalid(k, tmp_path / "resend.xlsx")], plan, None)
    code, stdout, err = run_main("validate", "-p", str(plan), "-f", "json")
    assert code == 1, err
    (only,) = json.loads(stdout)["files"]
    assert only["file"] == "resend.xlsx" and not only["valid"]  # the current one, by its name


def test_a_tampered_entry_is_never_merged_validated_or_extracted(k: Kit, tmp_path: Path) -> None:
    """The bytes of an entry are checked against the SHA-256 recorded when they came in."""

    plan = plan_copy(k, tmp_path)
    collect_paths([k.full], plan, None)
    with sqlite3.connect(tmp_path / "missionplan.db") as connection:
        connection.execute(
            "UPDATE missionplan_submissions SET content = ?", (b"PK\x03\x04 not it",)
        )
    damaged = "entry #1 in the register does not match its SHA-256; the register is damaged"
    out = tmp_path / "mission-plan.xlsx"
    for args in (
        ("merge", "-p", str(plan), "-o", str(out)),
        ("validate", "-p", str(plan)),
        ("history", "UNPOL", "-p", str(plan), "--extract", "1", "-o", str(tmp_path / "v1.xlsx")),
    ):
        code, _, err = run_main(*args)
        assert (code, err) == (2, f"missionplan: error: {damaged}\n"), args
    assert not out.exists() and not (tmp_path / "v1.xlsx").exists()
