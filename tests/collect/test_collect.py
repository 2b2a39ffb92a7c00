"""`missionplan collect`: each returned workbook becomes one register entry, exactly as received.

Tests with `db` run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from missionplan.collect.run import ALREADY, COLLECTED, collect_paths
from missionplan.register.database import open_register
from missionplan.register.entries import INVALID, REFUSED, VALID, all_entries, content_of
from missionplan.register.tables import REGISTER_VERSION
from tests.cli_helpers import run_main
from tests.collect.material import invalid, plan_copy, variant
from tests.validate.kit import Kit

JAN_10 = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.UTC)


def _entries(db: str) -> list:
    register = open_register(db, create=False)
    assert register is not None
    try:
        return all_entries(register)
    finally:
        register.close()


def test_a_folder_is_collected_one_entry_a_file(k: Kit, tmp_path: Path, db: str) -> None:
    plan = plan_copy(k, tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copyfile(k.full, inbox / "UNPOL.xlsx")
    (inbox / "broken.xlsx").write_text("not a workbook", encoding="utf-8")
    run = collect_paths([inbox], plan, db, now=JAN_10)
    states = {Path(f.path).name: (f.outcome, f.state) for f in run.files}
    assert states == {"UNPOL.xlsx": (COLLECTED, VALID), "broken.xlsx": (COLLECTED, REFUSED)}
    assert run.exit_code() == 2
    by_name = {e.file_name: e for e in _entries(db)}
    good = by_name["UNPOL.xlsx"]
    assert (good.component, good.plan_id, good.round, good.state) == ("UNPOL", k.plan.id, 1, VALID)
    assert good.received_at == "2027-01-10T09:00:00Z"
    assert good.received_from == str((inbox / "UNPOL.xlsx").absolute())
    assert good.sha256 == hashlib.sha256(k.full.read_bytes()).hexdigest()
    assert good.saved_at  # the workbook's own saved time, from docProps/core.xml
    assert by_name["broken.xlsx"].reason  # why it was refused
    register = open_register(db, create=False)
    assert register is not None
    assert content_of(register, good.number) == k.full.read_bytes()  # the exact bytes
    register.close()


def test_collecting_twice_is_idempotent(k: Kit, tmp_path: Path, db: str) -> None:
    plan = plan_copy(k, tmp_path)
    first = collect_paths([k.full], plan, db)
    copy = shutil.copyfile(k.full, tmp_path / "renamed.xlsx")
    second = collect_paths([k.full, copy], plan, db)
    assert [f.outcome for f in second.files] == [ALREADY, ALREADY]
    assert second.files[0].entry == first.files[0].entry
    assert len(_entries(db)) == 1
    assert second.exit_code() == 0


def test_a_corrected_resend_supersedes_the_invalid_one(k: Kit, tmp_path: Path, db: str) -> None:
    plan = plan_copy(k, tmp_path)
    draft = collect_paths([invalid(k, tmp_path / "UNPOL-draft.xlsx")], plan, db)
    assert draft.files[0].state == INVALID and draft.exit_code() == 1
    assert draft.files[0].entry and draft.files[0].entry.errors > 0
    final = collect_paths([k.full], plan, db)
    (done,) = final.files
    assert done.state == VALID and done.supersedes == draft.files[0].entry.number
    assert "supersedes entry #1" in final.text()
    assert len(_entries(db)) == 2  # nothing is deleted


def test_a_workbook_of_another_plan_is_refused_with_both_ids(k: Kit, tmp_path: Path) -> None:
    other = plan_copy(k, tmp_path, mission="Another Mission Entirely")
    run = collect_paths([k.full], other, None)
    (refused,) = run.files
    assert refused.state == REFUSED and refused.entry is not None
    assert k.plan.id in refused.entry.reason and refused.entry.plan_id == k.plan.id
    assert run.exit_code() == 2
    assert (tmp_path / "missionplan.db").is_file()  # the default register, next to the plan


def test_a_missing_file_is_reported_and_not_stored(k: Kit, tmp_path: Path) -> None:
    plan = plan_copy(k, tmp_path)
    code, out, err = run_main("collect", str(tmp_path / "gone.xlsx"), "-p", str(plan))
    assert code == 2, err
    assert "not read gone.xlsx" in out
    assert _entries(f"sqlite:///{tmp_path / 'missionplan.db'}") == []


def test_the_command_prints_a_line_per_file_and_a_total(k: Kit, tmp_path: Path) -> None:
    plan = plan_copy(k, tmp_path)
    draft = invalid(k, tmp_path / "draft.xlsx")
    code, out, err = run_main("collect", str(draft), str(k.full), "-p", str(plan))
    assert code == 1, err
    lines = out.strip().splitlines()
    assert lines[0].startswith("collected draft.xlsx: entry #1, UNPOL round 1, INVALID")
    assert (
        lines[1].startswith("collected full.xlsx: entry #2") and "supersedes entry #1" in lines[1]
    )
    assert lines[2].startswith("2 files: 2 collected (1 valid, 1 invalid)")


def test_hostile_file_names_are_stored_and_shown_as_text(k: Kit, tmp_path: Path) -> None:
    plan = plan_copy(k, tmp_path)
    name = "x'; DROP TABLE missionplan_submissions; -- $(touch PWNED) `touch PWNED2`.xlsx"
    hostile = variant(k.full, tmp_path / name, "hostile")
    code, out, err = run_main("collect", str(hostile), "-p", str(plan), "-f", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document["files"][0]["entry"]["file"] == name
    assert [e.file_name for e in _entries(f"sqlite:///{tmp_path / 'missionplan.db'}")] == [name]
    assert not list(tmp_path.glob("PWNED*")) and not list(Path.cwd().glob("PWNED*"))


def test_a_read_only_register_is_refused_and_not_changed(
    k: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = plan_copy(k, tmp_path)
    collect_paths([k.full], plan, None)
    register = tmp_path / "missionplan.db"
    before = register.read_bytes()
    register.chmod(0o444)
    real_access = os.access  # root ignores file modes: let os.access say what the mode says
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == register else real_access(p, mode)
    )
    try:
        resend = variant(k.full, tmp_path / "v.xlsx", "v")
        code, _, err = run_main("collect", str(resend), "-p", str(plan))
    finally:
        register.chmod(0o644)
    assert code == 2 and "read-only" in err and err.count("\n") == 1
    assert register.read_bytes() == before
    code, out, _ = run_main("status", "-p", str(plan))  # reading a read-only register works
    assert code == 0 and "UNPOL" in out


@pytest.mark.parametrize("problem", ["corrupt", "newer"])
def test_a_damaged_or_newer_register_is_one_line_exit_2_and_unchanged(
    k: Kit, tmp_path: Path, problem: str
) -> None:
    plan = plan_copy(k, tmp_path)
    register = tmp_path / "missionplan.db"
    if problem == "corrupt":
        register.write_bytes(b"PK\x03\x04 not sqlite at all" * 50)
    else:
        collect_paths([k.full], plan, None)
        import sqlite3

        with sqlite3.connect(register) as connection:
            connection.execute(
                "UPDATE missionplan_info SET value = ? WHERE key = 'version'",
                (str(REGISTER_VERSION + 1),),
            )
    before = register.read_bytes()
    for args in (["collect", str(k.template)], ["status"], ["history", "UNPOL"]):
        code, _, err = run_main(*args, "-p", str(plan))
        assert code == 2, (args, err)
        assert err.count("\n") == 1 and ("damaged" in err or "newer missionplan" in err)
    assert register.read_bytes() == before


def test_collect_and_status_lang_fr_print_french_lines(k: Kit, tmp_path: Path) -> None:
    plan = plan_copy(k, tmp_path)
    draft = invalid(k, tmp_path / "draft.xlsx")
    code, out, err = run_main("collect", str(draft), str(k.full), "-p", str(plan), "--lang", "fr")
    assert code == 1, err
    lines = out.strip().splitlines()
    assert lines[0].startswith("enregistré draft.xlsx : entrée n° 1, UNPOL tour 1, NON VALIDE ("), (
        out
    )
    assert "; remplace l'entrée n° 1" in lines[1] and lines[1].startswith("enregistré full.xlsx")
    assert lines[2].startswith("2 fichiers : enregistrés 2 (valides 1, non valides 1)"), out
    code, board, err = run_main("status", "-p", str(plan), "--lang", "fr")
    assert ", tour 1, au " in board.splitlines()[0], board
    assert board.strip().splitlines()[-1].startswith("attendus "), board
    header = board.splitlines()[1].split()
    assert header[:5] == ["composante", "état", "vers.", "actuelle", "erreurs"], board
    unpol = next(line for line in board.splitlines() if line.startswith("UNPOL"))
    assert unpol.split()[1] == "valide" and "valid " not in unpol, board
    _, english, _ = run_main("status", "-p", str(plan))
    assert ", round 1, on " in english.splitlines()[0]  # the plan says no language: English
    assert english.splitlines()[1].split()[:3] == ["component", "state", "vers"]
