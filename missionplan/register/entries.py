"""Register entries: one per file received, never changed or deleted; and the merges made.

A newer entry of the same plan, component and slot supersedes the older one by the order
received (its number); nothing is deleted, so every version stays readable. A slot is a
planning round, or a review period: a quarterly review never supersedes a planning
submission, nor a review of another period.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import IntegrityError

from missionplan.errors import MissionplanError
from missionplan.register.database import Register
from missionplan.register.tables import merges, submissions
from missionplan.schema.review import PLANNING_KIND, REVIEW_KIND

VALID = "valid"
INVALID = "invalid"
REFUSED = "refused"
STATES = (VALID, INVALID, REFUSED)


@dataclass(frozen=True)
class Entry:
    """One file received, as the register holds it (its bytes are fetched separately)."""

    number: int
    sha256: str
    size: int
    file_name: str
    received_from: str
    received_at: str
    saved_at: str
    plan_id: str
    collected_for: str
    component: str
    round: int
    template_version: str
    state: str
    reason: str
    errors: int
    warnings: int
    rows: int
    collected_by: str
    kind: str = PLANNING_KIND
    period: str = ""  # the review's quarter, '' for a planning submission

    @property
    def slot(self) -> Slot:
        """What a newer entry of the same component supersedes this one within."""
        return slot_of(self.plan_id, self.component, self.kind, self.period, self.round)

    def as_data(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "sha256": self.sha256,
            "size": self.size,
            "file": self.file_name,
            "received_from": self.received_from,
            "received_at": self.received_at,
            "saved_at": self.saved_at,
            "plan_id": self.plan_id,
            "component": self.component,
            "round": self.round,
            "kind": self.kind,
            "period": self.period,
            "template_version": self.template_version,
            "state": self.state,
            "reason": self.reason,
            "summary": {"errors": self.errors, "warnings": self.warnings, "rows": self.rows},
            "collected_by": self.collected_by,
        }


@dataclass(frozen=True)
class NewEntry:
    """What collect stores for one file: its exact bytes and what validation found."""

    content: bytes
    sha256: str
    file_name: str
    received_from: str
    received_at: str
    saved_at: str
    plan_id: str
    collected_for: str
    component: str
    round: int
    template_version: str
    state: str
    reason: str
    errors: int
    warnings: int
    rows: int
    findings: tuple[dict[str, str], ...]
    collected_by: str
    kind: str = PLANNING_KIND
    period: str = ""


Slot = tuple[str, str, str, str | int]
"""(plan id, component, kind, round or period): the entries that supersede one another."""


def slot_of(plan_id: str, component: str, kind: str, period: str, round: int) -> Slot:
    """A planning submission's slot is its round; a review's, its period (whatever the round)."""
    return (plan_id, component, kind, period if kind == REVIEW_KIND else round)


def in_slot(entry: Entry, plan_id: str, kind: str, period: str, round: int) -> bool:
    """Whether the entry is of this plan and slot (any component): `slot_of`, field by field."""
    if entry.plan_id != plan_id or entry.kind != kind:
        return False
    return entry.period == period if kind == REVIEW_KIND else entry.round == round


_SUMMARY = [c for c in submissions.c if c.name not in ("content", "findings")]


def _entry(row: Any) -> Entry:
    return Entry(**{c.name: row._mapping[c.name] for c in _SUMMARY})


def find_by_hash(register: Register, sha256: str) -> Entry | None:
    """The entry holding exactly these bytes, if they were collected before."""
    with register.reading() as connection:
        return _by_hash(connection, sha256)


def _by_hash(connection: Connection, sha256: str) -> Entry | None:
    row = connection.execute(select(*_SUMMARY).where(submissions.c.sha256 == sha256)).first()
    return _entry(row) if row else None


def add_entry(register: Register, new: NewEntry) -> tuple[Entry, bool]:
    """Store one entry in one transaction; (entry, True) when the bytes were there already.

    Two planners adding the same bytes at once end with one entry: the unique hash decides.
    """
    values = {
        "content": new.content,
        "sha256": new.sha256,
        "size": len(new.content),
        "file_name": new.file_name,
        "received_from": new.received_from,
        "received_at": new.received_at,
        "saved_at": new.saved_at,
        "plan_id": new.plan_id,
        "collected_for": new.collected_for,
        "component": new.component,
        "round": new.round,
        "template_version": new.template_version,
        "state": new.state,
        "reason": new.reason,
        "errors": new.errors,
        "warnings": new.warnings,
        "rows": new.rows,
        "findings": json.dumps(list(new.findings), ensure_ascii=False),
        "collected_by": new.collected_by,
        "kind": new.kind,
        "period": new.period,
    }
    try:
        with register.writing() as connection:
            existing = _by_hash(connection, new.sha256)
            if existing:
                return existing, True
            number = connection.execute(
                submissions.insert().values(values).returning(submissions.c.number)
            ).scalar_one()
            stored = connection.execute(
                select(*_SUMMARY).where(submissions.c.number == number)
            ).one()
            return _entry(stored), False
    except IntegrityError:
        pass  # another planner stored the same bytes a moment ago
    again = find_by_hash(register, new.sha256)
    assert again is not None
    return again, True


def entry_before(register: Register, entry: Entry) -> int | None:
    """The number of the last usable entry before this one of its plan, component and slot."""
    c = submissions.c
    same_slot = (
        [c.kind == entry.kind, c.period == entry.period]
        if entry.kind == REVIEW_KIND
        else [c.kind == entry.kind, c.round == entry.round]
    )
    with register.reading() as connection:
        return connection.execute(
            select(func.max(c.number)).where(
                c.number < entry.number,
                c.state != REFUSED,
                c.plan_id == entry.plan_id,
                c.component == entry.component,
                *same_slot,
            )
        ).scalar()


def all_entries(register: Register | None) -> list[Entry]:
    """Every entry, in the order received (no bytes, no findings: fast on a big register)."""
    if register is None:
        return []
    with register.reading() as connection:
        rows = connection.execute(select(*_SUMMARY).order_by(submissions.c.number))
        return [_entry(row) for row in rows]


def findings_of(register: Register, numbers: Iterable[int]) -> dict[int, list[dict[str, str]]]:
    """The validation findings stored with these entries."""
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    with register.reading() as connection:
        rows = connection.execute(
            select(submissions.c.number, submissions.c.findings).where(
                submissions.c.number.in_(wanted)
            )
        )
        return {row.number: json.loads(row.findings) for row in rows}


def content_of(register: Register, number: int) -> bytes | None:
    """The exact bytes of one entry, or None when there is no such entry."""
    with register.reading() as connection:
        value = connection.execute(
            select(submissions.c.content).where(submissions.c.number == number)
        ).scalar()
        return bytes(value) if value is not None else None


def checked_content(register: Register, entry: Entry) -> bytes:
    """The exact bytes of an entry, checked against the SHA-256 recorded when it came in."""
    content = content_of(register, entry.number)
    if content is None or hashlib.sha256(content).hexdigest() != entry.sha256:
        raise MissionplanError(
            f"entry #{entry.number} in the register does not match its SHA-256; "
            "the register is damaged"
        )
    return content


def entry_file(register: Register, entry: Entry, folder: Path) -> Path:
    """Write an entry's checked bytes under its own file name, in a folder of its own."""
    path = folder / str(entry.number) / Path(entry.file_name).name
    path.parent.mkdir()
    path.write_bytes(checked_content(register, entry))
    return path


def current_entries(
    entries: Iterable[Entry], plan_id: str, round: int, period: str = ""
) -> dict[str, Entry]:
    """Per component, the last entry received for this plan and round (refused ones aside).

    With a period, the last review of that period instead (whichever round it came in).
    """
    kind = REVIEW_KIND if period else PLANNING_KIND
    current: dict[str, Entry] = {}
    for entry in sorted(entries, key=lambda e: e.number):
        if entry.state != REFUSED and in_slot(entry, plan_id, kind, period, round):
            current[entry.component] = entry
    return current


def superseded_by(entries: Iterable[Entry]) -> dict[int, int]:
    """Entry number -> the number of the entry that superseded it (same plan, component, slot)."""
    last: dict[Slot, int] = {}
    result: dict[int, int] = {}
    for entry in sorted(entries, key=lambda e: e.number):
        if entry.state == REFUSED:
            continue
        key = entry.slot
        if key in last:
            result[last[key]] = entry.number
        last[key] = entry.number
    return result


@dataclass(frozen=True)
class MergeRecord:
    """A merge made from the register: its inputs and the plan it wrote."""

    number: int
    made_at: str
    plan_id: str
    round: int
    out: str
    out_sha256: str
    inputs: tuple[int, ...]
    include_invalid: bool
    made_by: str
    kind: str = PLANNING_KIND
    period: str = ""


def record_merge(
    register: Register,
    made_at: str,
    plan_id: str,
    round: int,
    out: str,
    out_sha256: str,
    inputs: Iterable[int],
    include_invalid: bool,
    made_by: str,
    period: str = "",
) -> MergeRecord:
    """Remember a merge: which entries went in, what came out (its hash), when.

    With a period, a review round's merge (the performance report), else a planning merge.
    """
    kind = REVIEW_KIND if period else PLANNING_KIND
    listed = tuple(sorted(inputs))
    with register.writing() as connection:
        number = connection.execute(
            merges.insert()
            .values(
                made_at=made_at,
                plan_id=plan_id,
                round=round,
                out=out,
                out_sha256=out_sha256,
                inputs=json.dumps(list(listed)),
                include_invalid=include_invalid,
                made_by=made_by,
                kind=kind,
                period=period,
            )
            .returning(merges.c.number)
        ).scalar_one()
    return MergeRecord(
        number, made_at, plan_id, round, out, out_sha256, listed, include_invalid, made_by,
        kind, period,
    )  # fmt: skip


def all_merges(register: Register | None) -> list[MergeRecord]:
    """Every merge recorded, oldest first."""
    if register is None:
        return []
    with register.reading() as connection:
        rows = connection.execute(select(merges).order_by(merges.c.number))
        return [
            MergeRecord(
                r.number,
                r.made_at,
                r.plan_id,
                r.round,
                r.out,
                r.out_sha256,
                tuple(json.loads(r.inputs)),
                bool(r.include_invalid),
                r.made_by,
                r.kind,
                r.period,
            )
            for r in rows
        ]
