"""Collect returned workbooks into the register: check, identify, validate, store.

`collect_paths` is `missionplan collect` as one call. Each file is stored in its own
transaction with its exact bytes, so a collect killed half-way leaves the register as it
was before that file, and the next collect completes it. The same bytes twice are one
entry; a newer entry of a component supersedes the older one of its round (a quarterly
review: of its period); nothing is deleted. Review workbooks are validated with the review's
checks (validate_file tells them by their `_meta`) and stored with their kind and period.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from missionplan.collect.received import saved_time
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import Plan, load_plan
from missionplan.register.database import Register, now_text, open_register, register_url
from missionplan.register.entries import (
    INVALID,
    REFUSED,
    VALID,
    Entry,
    NewEntry,
    add_entry,
    entry_before,
    find_by_hash,
)
from missionplan.register.rounds import read_schedule
from missionplan.schema.ids import MASTER_CODE
from missionplan.schema.language import translate
from missionplan.schema.review import PLANNING_KIND, REVIEW_KIND, parse_period
from missionplan.schema.text import counted
from missionplan.validate.report import Report
from missionplan.validate.run import plan_mismatch, validate_file
from missionplan.workbook.files import Progress, workbooks_in
from missionplan.workbook.metadata import WorkbookMeta

COLLECTED = "collected"
ALREADY = "already collected"
NOT_READ = "not read"

Validated = Mapping[str, tuple[Report, WorkbookMeta | None]]
"""Files already validated, by the SHA-256 of their exact bytes: the report validate_file
made for them and their metadata (None when unreadable). A caller that has just validated
the files it collects (the demo) gives them, and collect does not validate them again."""


@dataclass(frozen=True)
class Collected:
    """What collect did with one file: stored it, found it stored, or could not read it."""

    path: str
    outcome: str  # collected, already collected, or not read (nothing stored)
    entry: Entry | None
    supersedes: int | None = None
    reason: str = ""

    @property
    def state(self) -> str:
        return self.entry.state if self.entry else REFUSED

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file": self.path, "outcome": self.outcome, "state": self.state}
        if self.entry:
            data["entry"] = self.entry.as_data()
        if self.supersedes is not None:
            data["supersedes"] = self.supersedes
        if self.reason:
            data["reason"] = self.reason
        return data

    def line(self) -> str:
        """What became of the file, in one line of the current language."""
        name = Path(self.path).name
        entry = self.entry
        if entry is None:
            return translate("not read {name}: {why}").format(name=name, why=self.reason)
        if self.outcome == ALREADY:
            return translate("already collected {name}: entry #{number} ({state})").format(
                name=name, number=entry.number, state=translate(entry.state, context="state")
            )
        if entry.state == REFUSED:
            return translate("refused {name} (entry #{number}): {why}").format(
                name=name, number=entry.number, why=entry.reason
            )
        template = (
            translate(
                "collected {name}: entry #{number}, {component} review {period}, {state} ({counts})"
            )
            if entry.kind == REVIEW_KIND
            else translate(
                "collected {name}: entry #{number}, {component} round {round}, {state} ({counts})"
            )
        )
        line = template.format(
            name=name,
            number=entry.number,
            component=entry.component,
            round=entry.round,
            period=entry.period,
            state=translate(entry.state, context="state").upper(),
            counts=f"{counted(entry.errors, 'error')}, {counted(entry.warnings, 'warning')}",
        )
        if self.supersedes is not None:
            line += translate("; supersedes entry #{number}").format(number=self.supersedes)
        return line


@dataclass(frozen=True)
class CollectRun:
    """The files of one collect, in order, and the register they went into."""

    register: str
    plan_id: str
    round: int
    files: tuple[Collected, ...]

    def exit_code(self) -> int:
        """2: a file could not be read or was refused; 1: a collected file is invalid; 0."""
        fresh = [f for f in self.files if f.outcome != ALREADY]
        if any(f.state == REFUSED for f in fresh):
            return 2
        if any(f.state == INVALID for f in fresh):
            return 1
        return 0

    def as_data(self) -> dict[str, Any]:
        return {
            "register": self.register,
            "plan_id": self.plan_id,
            "round": self.round,
            "files": [f.as_data() for f in self.files],
            "totals": self.totals(),
        }

    def totals(self) -> dict[str, int]:
        fresh = [f for f in self.files if f.outcome == COLLECTED]
        return {
            "files": len(self.files),
            "collected": len(fresh),
            "valid": sum(1 for f in fresh if f.state == VALID),
            "invalid": sum(1 for f in fresh if f.state == INVALID),
            "refused": sum(1 for f in self.files if f.outcome != ALREADY and f.state == REFUSED),
            "already_collected": sum(1 for f in self.files if f.outcome == ALREADY),
        }

    def text(self) -> str:
        t = self.totals()
        total = translate(
            "{files}: {collected} collected ({valid} valid, {invalid} invalid), "
            "{already} already collected, {refused} refused or not read; register {register}"
        ).format(
            files=counted(t["files"], "file"),
            collected=t["collected"],
            valid=t["valid"],
            invalid=t["invalid"],
            already=t["already_collected"],
            refused=t["refused"],
            register=self.register,
        )
        return "\n".join([*(f.line() for f in self.files), total])


def collect_paths(
    paths: list[Path],
    plan_file: Path,
    db: str | None = None,
    framework_file: Path | None = None,
    progress: Progress[Path] | None = None,
    now: dt.datetime | None = None,
    environ: Mapping[str, str] = os.environ,
    validated: Validated | None = None,
) -> CollectRun:
    """Collect files and folders of them into the plan's register (made on first use)."""
    plan = load_plan(plan_file, load_framework(framework_file))
    schedule = read_schedule(plan_file)
    files = workbooks_in(paths)
    register = open_register(register_url(db, plan_file, environ), create=True)
    assert register is not None
    try:
        done = [
            collect_file(register, path, plan, schedule.round, now, validated)
            for path in (progress(files) if progress else files)
        ]
    finally:
        register.close()
    return CollectRun(register.shown, plan.id, schedule.round, tuple(done))


def collect_file(
    register: Register,
    path: Path,
    plan: Plan,
    round: int,
    now: dt.datetime | None = None,
    validated: Validated | None = None,
) -> Collected:
    """Collect one file: its bytes, identity and validation, as one register entry."""
    try:
        content = path.read_bytes()
    except OSError as error:
        return Collected(str(path), NOT_READ, None, reason=error.strerror or str(error))
    sha256 = hashlib.sha256(content).hexdigest()
    known = find_by_hash(register, sha256)
    if known:
        return Collected(str(path), ALREADY, known)
    earlier = validated.get(sha256) if validated else None
    report, meta = (
        _judged(path.name, *earlier, plan) if earlier else _checked(path.name, content, plan)
    )
    new = NewEntry(
        content=content,
        sha256=sha256,
        file_name=path.name,
        received_from=str(path.absolute()),
        received_at=now_text(now),
        saved_at=saved_time(content) if meta else "",
        plan_id=meta.get("plan_id", ""),
        collected_for=plan.id,
        component=meta.get("component", ""),
        round=round,
        template_version=meta.get("template_version", ""),
        state=_state(report),
        reason=report.unreadable,
        errors=report.errors,
        warnings=report.warnings,
        rows=report.rows,
        findings=tuple(f.as_data() for f in report.findings),
        collected_by=_user(),
        kind=meta.get("kind", PLANNING_KIND),
        period=meta.get("period", ""),
    )
    entry, already = add_entry(register, new)
    if already:
        return Collected(str(path), ALREADY, entry)
    return Collected(str(path), COLLECTED, entry, _previous(register, entry))


def _checked(name: str, content: bytes, plan: Plan) -> tuple[Report, dict[str, str]]:
    """Validate exactly the bytes that will be stored (a copy, not the file, which may change)."""
    with tempfile.TemporaryDirectory(prefix="missionplan-collect-") as folder:
        copy = Path(folder) / name
        copy.write_bytes(content)
        report, submission = validate_file(copy, None)
    return _judged(name, report, submission.meta if submission else None, plan)


def _judged(
    name: str, report: Report, meta: WorkbookMeta | None, plan: Plan
) -> tuple[Report, dict[str, str]]:
    """The file's report and identity for the register, given its validation: refused when
    it is not a component's workbook of this plan."""
    if meta is None:
        return Report(name, unreadable=report.unreadable), {}
    review = meta.kind == REVIEW_KIND
    identity = {
        "plan_id": meta.plan_id,
        "component": meta.component,
        "template_version": meta.contract_version,
        "kind": REVIEW_KIND if review else PLANNING_KIND,
        "period": meta.period if review else "",
    }
    why = plan_mismatch(meta, plan)
    if not why and review and parse_period(meta.period) is None:
        why = f"a review workbook whose period '{meta.period}' is not a quarter"
    if not why and meta.component == MASTER_CODE:
        why = "a master or merged plan, not a component's submission"
    if not why and plan.component(meta.component) not in plan.participants():
        why = f"component {meta.component} leads or supports no output in scope of plan {plan.id}"
    if why:
        return Report(name, meta.component, meta.plan_id, unreadable=why), identity
    return Report(name, meta.component, meta.plan_id, report.findings, rows=report.rows), identity


def _state(report: Report) -> str:
    if report.unreadable:
        return REFUSED
    return VALID if report.valid else INVALID


def _previous(register: Register, entry: Entry) -> int | None:
    """The entry this one supersedes: the last one before it of its plan, component and slot
    (its round, or its review period: a review never supersedes a planning submission)."""
    return None if entry.state == REFUSED else entry_before(register, entry)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (a container, a service)
        return ""
