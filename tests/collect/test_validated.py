"""collect_paths with `validated`: a report made for exactly the bytes collected is reused."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

import missionplan.collect.run as collect_run
from missionplan.collect.run import collect_paths
from missionplan.register.database import open_register
from missionplan.register.entries import all_entries, findings_of
from missionplan.validate.run import validate_file
from tests.collect.material import invalid, plan_copy
from tests.validate.kit import Kit


def _entries(db: str) -> list[tuple[object, ...]]:
    """What the register holds of each entry, but the times and where it came from."""
    register = open_register(db, create=False)
    assert register is not None
    try:
        entries = all_entries(register)
        findings = findings_of(register, [e.number for e in entries])
        return [
            (e.file_name, e.state, e.errors, e.warnings, e.rows, e.reason, findings.get(e.number))
            for e in entries
        ]
    finally:
        register.close()


def test_a_report_for_the_same_bytes_is_reused_and_stores_the_same_entry(
    k: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = plan_copy(k, tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copyfile(k.full, inbox / "UNPOL.xlsx")
    bad = invalid(k, inbox / "template.xlsx")
    files = [inbox / "UNPOL.xlsx", bad]
    again = f"sqlite:///{tmp_path / 'again.db'}"
    collect_paths(files, plan, f"sqlite:///{tmp_path / 'first.db'}")
    validated = {}
    for path in files:
        report, submission = validate_file(path)
        assert submission is not None
        validated[hashlib.sha256(path.read_bytes()).hexdigest()] = (report, submission.meta)

    def no_second_validation(*_: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(collect_run, "validate_file", no_second_validation)
    collect_paths(files, plan, again, validated=validated)
    assert _entries(again) == _entries(f"sqlite:///{tmp_path / 'first.db'}")


def test_a_report_for_other_bytes_is_not_reused(k: Kit, tmp_path: Path) -> None:
    plan = plan_copy(k, tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = inbox / "UNPOL.xlsx"
    shutil.copyfile(k.full, good)
    report, submission = validate_file(good)
    assert submission is not None and report.valid
    bad = invalid(k, inbox / "template.xlsx")
    stale = {hashlib.sha256(bad.read_bytes() + b"x").hexdigest(): (report, submission.meta)}
    run = collect_paths([bad], plan, f"sqlite:///{tmp_path / 'r.db'}", validated=stale)
    assert run.totals()["invalid"] == 1  # validated, not taken from the report given
