"""`missionplan status` and `missionplan history` as library calls: read the register.

Neither writes to the register (a read-only register can be read); `status` writes the
reminders it is asked for, `history --extract` the bytes of one version.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from missionplan.collect.board import Board, build_board
from missionplan.collect.reminders import reminder_name, reminder_text
from missionplan.collect.reviewers import merged_plan_file, review_period, review_recipients
from missionplan.errors import MissionplanError
from missionplan.planning.framework import load_framework
from missionplan.planning.plan import load_plan
from missionplan.register.database import (
    open_register,
    plan_register,
    register_url,
    require_register,
)
from missionplan.register.entries import (
    Entry,
    all_entries,
    all_merges,
    checked_content,
    current_entries,
    findings_of,
    superseded_by,
)
from missionplan.register.rounds import read_schedule
from missionplan.schema.review import REVIEW_KIND
from missionplan.workbook.files import ensure_writable, write_atomically


@dataclass(frozen=True)
class StatusRun:
    """The board, and the reminders written."""

    board: Board
    register: str
    reminders: tuple[Path, ...] = ()

    def as_data(self) -> dict[str, Any]:
        return {
            "register": self.register,
            **self.board.as_data(),
            "reminders": [str(p) for p in self.reminders],
        }

    def text(self) -> str:
        lines = [self.board.text()]
        lines += [f"wrote reminder {p}" for p in self.reminders]
        return "\n".join(lines)


def status(
    plan_file: Path,
    db: str | None = None,
    round: int | None = None,
    reminders_dir: Path | None = None,
    force: bool = False,
    framework_file: Path | None = None,
    today: dt.date | None = None,
    environ: Mapping[str, str] = os.environ,
    period: str | None = None,
    merged_file: str | None = None,
) -> StatusRun:
    """The board of the plan's round (or another), and the reminders when asked for.

    With a period, the board of that review period: the components given a review workbook
    from the merged plan (merged_file, else the last planning merge the register recorded).
    """
    framework = load_framework(framework_file)
    plan = load_plan(plan_file, framework)
    schedule = read_schedule(plan_file)
    quarter = review_period(period) if period is not None else None
    if quarter is not None and round is not None:
        raise MissionplanError("give --round N or --period YEAR-QN, not both")
    url = register_url(db, plan_file, environ)
    register = open_register(url, create=False)
    try:
        entries = all_entries(register)
        expected: tuple[str, ...] = ()
        if quarter is not None:
            source = merged_plan_file(merged_file, all_merges(register), plan)
            expected = review_recipients(plan, source, quarter)
        board = build_board(
            plan,
            schedule,
            entries,
            round or schedule.round,
            today or dt.date.today(),
            quarter.label if quarter else "",
            expected,
        )
        written: list[Path] = []
        if reminders_dir is not None:
            due = [r for r in board.rows if r.needs_reminder]
            numbers = [r.current.number for r in due if r.current]
            findings = findings_of(register, numbers) if register and numbers else {}
            for row in due:
                target = reminders_dir / reminder_name(row, board)
                ensure_writable(target, force)
                found = findings.get(row.current.number, []) if row.current else []
                write_text(target, reminder_text(row, board, plan, framework, found))
                written.append(target)
        shown = register.shown if register else _shown(url)
    finally:
        if register:
            register.close()
    return StatusRun(board, shown, tuple(written))


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@dataclass(frozen=True)
class Version:
    """One version of a component in its history: the entry and where it stands."""

    entry: Entry
    current: bool
    superseded_by: int | None
    earlier_plan: bool

    def as_data(self) -> dict[str, Any]:
        return {
            **self.entry.as_data(),
            "current": self.current,
            "superseded_by": self.superseded_by,
            "earlier_plan": self.earlier_plan,
        }

    def line(self) -> str:
        e = self.entry
        if self.current:
            where = "current"
        elif self.superseded_by is not None:
            where = f"superseded by #{self.superseded_by}"
        else:
            where = e.reason or e.state
        plan = f"plan {e.plan_id or '?'}" + (" (earlier plan)" if self.earlier_plan else "")
        slot = f"review {e.period}" if e.kind == REVIEW_KIND else f"round {e.round}"
        return (
            f"#{e.number:<5} {e.received_at}  {slot}  {e.state:<8} "
            f"{e.errors:>3} errors {e.warnings:>3} warnings  {e.file_name}  {plan}; {where}"
        )


@dataclass(frozen=True)
class History:
    """Every version of one component the register holds, oldest first."""

    component: str
    plan_id: str
    register: str
    versions: tuple[Version, ...]
    merged_in: dict[int, tuple[int, ...]]
    extracted: Path | None = None

    def as_data(self) -> dict[str, Any]:
        return {
            "register": self.register,
            "plan_id": self.plan_id,
            "component": self.component,
            "versions": [
                {**v.as_data(), "merges": list(self.merged_in.get(v.entry.number, ()))}
                for v in self.versions
            ],
            "extracted": str(self.extracted) if self.extracted else None,
        }

    def text(self) -> str:
        if self.extracted is not None:
            return f"wrote {self.extracted}"
        if not self.versions:
            return f"{self.component}: nothing received yet (register {self.register})"
        lines = [f"{self.component}: {len(self.versions)} received (register {self.register})"]
        for v in self.versions:
            line = v.line()
            merges = self.merged_in.get(v.entry.number)
            if merges:
                line += "; merged in " + ", ".join(f"merge #{m}" for m in merges)
            lines.append(line)
        return "\n".join(lines)


def history(
    plan_file: Path,
    component: str,
    db: str | None = None,
    extract: int | None = None,
    out: Path | None = None,
    force: bool = False,
    framework_file: Path | None = None,
    environ: Mapping[str, str] = os.environ,
) -> History:
    """Every version of a component received; with extract, write that entry's exact bytes."""
    plan = load_plan(plan_file, load_framework(framework_file))
    schedule = read_schedule(plan_file)
    if extract is not None and out is None:
        raise MissionplanError("--extract needs --out FILE: where to write the version")
    register = plan_register(plan_file, db, environ)
    try:
        entries = all_entries(register)
        code = component.strip()
        mine = [e for e in entries if e.component == code]
        if not mine and plan.component(code) is None:
            known = ", ".join(c.code for c in plan.participants())
            raise MissionplanError(f"unknown component '{component}'; the plan has: {known}")
        plan_id = plan.id
        periods = sorted({e.period for e in mine if e.kind == REVIEW_KIND})
        current = {
            found.number
            for period in ["", *periods]
            if (found := current_entries(entries, plan_id, schedule.round, period).get(code))
        }
        later = superseded_by(entries)
        versions = tuple(
            Version(
                e,
                e.number in current,
                later.get(e.number),
                bool(e.plan_id) and e.plan_id != plan_id,
            )
            for e in mine
        )
        merged_in: dict[int, list[int]] = {}
        for record in all_merges(register):
            for number in record.inputs:
                merged_in.setdefault(number, []).append(record.number)
        extracted = None
        if extract is not None and out is not None:
            extracted = _extract(require_register(register, plan_file), mine, extract, out, force)
        shown = register.shown if register else _shown(register_url(db, plan_file, environ))
    finally:
        if register:
            register.close()
    return History(
        code, plan_id, shown, versions, {k: tuple(v) for k, v in merged_in.items()}, extracted
    )


def _extract(register: Any, mine: list[Entry], number: int, out: Path, force: bool) -> Path:
    entry = next((e for e in mine if e.number == number), None)
    if entry is None:
        numbers = ", ".join(f"#{e.number}" for e in mine) or "none"
        raise MissionplanError(
            f"entry #{number} is not a version of this component (its entries: {numbers})"
        )
    ensure_writable(out, force)
    content = checked_content(register, entry)

    def write(path: Path) -> None:
        path.write_bytes(content)

    write_atomically(out, write)
    return out


def write_text(target: Path, body: str) -> None:
    """A text file written whole or not at all."""

    def write(path: Path) -> None:
        path.write_text(body, encoding="utf-8")

    write_atomically(target, write)
