"""Merge from the register: the current submission of each component, and the merge recorded.

`merge_register` is `missionplan merge --plan plan.yaml --out FILE` without files: it takes
each component's current entry for the plan's round (valid ones; invalid ones too with
include_invalid), merges exactly the bytes received (through `merge_files`), and records in
the register which entries went in, the merged plan's SHA-256 and when.

`merge_review_register` is the same with `--period 2027-Q2`: the current review of each
component for that period makes the performance report, the current reviews of the earlier
periods in the register give its trend, and the components given a review workbook are the
ones expected to report.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from missionplan.collect.reviewers import merged_plan_file, review_period
from missionplan.errors import MissionplanError
from missionplan.merge.reviews import ReviewMerge, read_reviews
from missionplan.merge.run import Fate, MergeOutcome, Typed, merge_files
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import load_plan
from missionplan.register.database import now_text, open_register, register_url
from missionplan.register.entries import (
    INVALID,
    VALID,
    Entry,
    MergeRecord,
    all_entries,
    all_merges,
    current_entries,
    entry_file,
    record_merge,
)
from missionplan.register.rounds import read_schedule
from missionplan.schema.language import translate
from missionplan.schema.review import REVIEW_KIND, Period, parse_period
from missionplan.workbook.files import Progress, ensure_writable


def entry_label(entry: Entry) -> str:
    """A merged input as the report names it: its file and its register entry."""
    return translate("{file} (entry #{number})").format(file=entry.file_name, number=entry.number)


def recorded_line(number: int, register: str) -> str:
    return translate("Recorded as merge #{number} in {register}.").format(
        number=number, register=register
    )


def registered_data(
    data: dict[str, Any], entries: dict[str, Entry], register: str, record: MergeRecord
) -> dict[str, Any]:
    """A merge's JSON document with each input named by its file and register entry."""
    for line in data["inputs"]:
        entry = entries.get(line["file"])
        if entry:
            line["file"] = entry.file_name
            line["entry"] = entry.number
    return {**data, "register": register, "merge": record.number}


@dataclass(frozen=True)
class RegisterMerge:
    """A merge from the register: the outcome, the entries that went in, the record made."""

    outcome: MergeOutcome
    entries: dict[str, Entry]  # the file merged -> the entry it holds
    record: MergeRecord
    register: str

    def _label(self, file: str) -> str:
        entry = self.entries.get(file)
        return entry_label(entry) if entry else file

    def as_data(self, out: Path) -> dict[str, Any]:
        return registered_data(self.outcome.as_data(out), self.entries, self.register, self.record)

    def text(self, out: Path) -> str:
        lines = [f"{self._label(f)}: {what}" for f, what in self.outcome.input_lines()]
        summary = self.outcome.text(out).splitlines()[-1]
        lines.append(summary)
        lines.append(recorded_line(self.record.number, self.register))
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
    validated: Typed | None = None,
) -> RegisterMerge:
    """Merge each component's current submission in the register into out, and record it.

    validated: entries' bytes validated already (merge_files), not validated again."""
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
                [Path(f) for f in files],
                framework,
                out,
                plan,
                include_invalid,
                force,
                progress,
                validated,
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


@dataclass(frozen=True)
class RegisterReviewMerge:
    """A review round merged from the register: the report, the entries in it, the record."""

    merged: ReviewMerge  # its inputs named by their entries, as the report's Reporting sheet
    entries: dict[str, Entry]  # an input's name -> the entry it holds
    record: MergeRecord
    register: str

    @property
    def left_out(self) -> tuple[Fate, ...]:
        return self.merged.left_out

    def as_data(self, out: Path) -> dict[str, Any]:
        return registered_data(self.merged.as_data(out), self.entries, self.register, self.record)

    def text(self, out: Path) -> str:
        lines = [self.merged.text(out)]
        lines.append(recorded_line(self.record.number, self.register))
        return "\n".join(lines)


def merge_review_register(
    plan_file: Path,
    out: Path,
    period_text: str,
    db: str | None = None,
    framework_file: Path | None = None,
    include_invalid: bool = False,
    force: bool = False,
    merged_file: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> RegisterReviewMerge:
    """The performance report of a period from the register's reviews, and the merge recorded.

    merged_file: the merged plan the review workbooks were exported from (who is expected);
    by default (or `register`), the last planning merge the register recorded, unchanged.
    """
    from missionplan.merge.performance_writer import write_performance

    period = review_period(period_text)
    plan = load_plan(plan_file, load_framework(framework_file))
    url = register_url(db, plan_file, environ)
    if open_register(url, create=False) is None:
        raise MissionplanError(
            f"no register yet for {plan_file}; collect the returned review workbooks first "
            f"(missionplan collect returned-review/ --plan {plan_file}), or give the files to merge"
        )
    ensure_writable(out, force)
    register = open_register(url, create=True)  # a merge is recorded: it must be writable
    assert register is not None
    try:
        entries = all_entries(register)
        chosen = review_entries(entries, plan.id, period, include_invalid)
        if not any(e.period == period.label for e in chosen):
            raise MissionplanError(
                f"nothing to merge: the register holds no valid review of {period} for plan "
                f"{plan.id} (missionplan status --plan {plan_file} --period {period} shows why)"
            )
        source = merged_plan_file(merged_file, all_merges(register), plan)
        with tempfile.TemporaryDirectory(prefix="missionplan-merge-") as folder:
            files = {str(entry_file(register, e, Path(folder))): e for e in chosen}
            read = read_reviews(
                [Path(f) for f in files], plan_file, framework_file, include_invalid, str(source)
            )
        labels = {f: entry_label(e) for f, e in files.items()}
        fates = tuple(Fate(labels.get(f.file, f.file), f.state, f.what) for f in read.fates)
        merged = replace(read, fates=fates)
        write_performance(out, merged.report, merged.mission, merged.plan_id, merged.fates)
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        went_in = [files[f.file].number for f in read.fates if f.state == "merged"]
        record = record_merge(
            register,
            now_text(),
            plan.id,
            read_schedule(plan_file).round,
            str(out.absolute()),
            digest,
            went_in,
            include_invalid,
            _user(),
            period=period.label,
        )
        by_label = {labels[f]: e for f, e in files.items()}
        return RegisterReviewMerge(merged, by_label, record, register.shown)
    finally:
        register.close()


def review_entries(
    entries: list[Entry], plan_id: str, period: Period, include_invalid: bool = False
) -> list[Entry]:
    """The current review of each component for the period and each earlier one (the trend):
    valid ones, invalid ones too with include_invalid; by period, then component."""
    wanted = (VALID, INVALID) if include_invalid else (VALID,)
    periods = sorted(
        {found for e in entries if e.kind == REVIEW_KIND and e.plan_id == plan_id
         and (found := parse_period(e.period)) is not None and found <= period}
    )  # fmt: skip
    chosen: list[Entry] = []
    for each in periods:
        current = current_entries(entries, plan_id, 0, each.label)
        chosen += [e for _, e in sorted(current.items()) if e.state in wanted]
    return chosen


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return ""
