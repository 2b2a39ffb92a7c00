"""Merge from the register: the current submission of each component, and the merge recorded.

`merge_register` is `missionplan merge --plan plan.yaml --out FILE` without files: it takes
each component's current entry for the plan's round (valid ones; invalid ones too with
include_invalid), merges exactly the bytes received (through `merge_files`), and records in
the register which entries went in, the merged plan's SHA-256 and when.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from missionplan.errors import MissionplanError
from missionplan.merge.run import MergeOutcome, merge_files
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import load_plan
from missionplan.register.database import now_text, open_register, register_url
from missionplan.register.entries import (
    INVALID,
    VALID,
    Entry,
    MergeRecord,
    all_entries,
    current_entries,
    entry_file,
    record_merge,
)
from missionplan.register.rounds import read_schedule
from missionplan.workbook.files import Progress


@dataclass(frozen=True)
class RegisterMerge:
    """A merge from the register: the outcome, the entries that went in, the record made."""

    outcome: MergeOutcome
    entries: dict[str, Entry]  # the file merged -> the entry it holds
    record: MergeRecord
    register: str

    def _label(self, file: str) -> str:
        entry = self.entries.get(file)
        return f"{entry.file_name} (entry #{entry.number})" if entry else file

    def as_data(self, out: Path) -> dict[str, Any]:
        data = self.outcome.as_data(out)
        for line in data["inputs"]:
            entry = self.entries.get(line["file"])
            if entry:
                line["file"] = entry.file_name
                line["entry"] = entry.number
        return {**data, "register": self.register, "merge": self.record.number}

    def text(self, out: Path) -> str:
        lines = [f"{self._label(f)}: {what}" for f, what in self.outcome.input_lines()]
        summary = self.outcome.text(out).splitlines()[-1]
        lines.append(summary)
        lines.append(f"Recorded as merge #{self.record.number} in {self.register}.")
        return "\n".join(lines)


def merge_register(
    plan_file: Path,
    out: Path,
    db: str | None = None,
    framework_file: Path | None = None,
    include_invalid: bool = False,
    force: bool = False,
    progress: Progress[Path] | None = None,
    environ: Mapping[str, str] = os.environ,
) -> RegisterMerge:
    """Merge each component's current submission in the register into out, and record it."""
    framework = load_framework(framework_file)
    plan = load_plan(plan_file, framework)
    schedule = read_schedule(plan_file)
    url = register_url(db, plan_file, environ)
    if open_register(url, create=False) is None:
        raise MissionplanError(
            f"no register yet for {plan_file}; collect the returned workbooks first "
            f"(missionplan collect returned/ --plan {plan_file}), or give the files to merge"
        )
    register = open_register(url, create=True)  # a merge is recorded: it must be writable
    assert register is not None
    try:
        wanted = (VALID, INVALID) if include_invalid else (VALID,)
        current = current_entries(all_entries(register), plan.id, schedule.round)
        chosen = [e for _, e in sorted(current.items()) if e.state in wanted]
        if not chosen:
            raise MissionplanError(
                f"nothing to merge: the register holds no valid submission for plan {plan.id}, "
                f"round {schedule.round} (missionplan status --plan {plan_file} shows why)"
            )
        with tempfile.TemporaryDirectory(prefix="missionplan-merge-") as folder:
            files: dict[str, Entry] = {}
            for entry in chosen:
                files[str(entry_file(register, entry, Path(folder)))] = entry
            outcome = merge_files(
                [Path(f) for f in files], framework, out, plan, include_invalid, force, progress
            )
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        merged = [files[f].number for f in outcome.accepted if f in files]
        record = record_merge(
            register,
            now_text(),
            plan.id,
            schedule.round,
            str(out.absolute()),
            digest,
            merged,
            include_invalid,
            _user(),
        )
        return RegisterMerge(outcome, files, record, register.shown)
    finally:
        register.close()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return ""
