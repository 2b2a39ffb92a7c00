"""The status board: the register read at a glance for one plan and round (pure rules).

One row per component the plan expects (it leads or supports an output in scope).
Timeliness is judged by the first version received in the round (was something sent by
the due date); validity by the current one (the last received). The board of a review
period has one row per component given a review workbook, and its reviews of that period
(whichever round they came in); review periods have no due dates yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from missionplan.planning.plan import Plan
from missionplan.register.entries import REFUSED, VALID, Entry, current_entries, in_slot
from missionplan.register.rounds import Schedule
from missionplan.schema.language import translate
from missionplan.schema.review import PLANNING_KIND, REVIEW_KIND
from missionplan.schema.text import counted

MISSING = "missing"
ON_TIME = "on time"
LATE = "late"
OVERDUE = "overdue"
NOT_DUE = "not due yet"
NO_DUE_DATE = "no due date"


@dataclass(frozen=True)
class BoardRow:
    """Where one expected component stands."""

    code: str
    name: str
    focal_point: str
    due: dt.date | None
    versions: int
    first: Entry | None
    current: Entry | None
    timeliness: str
    leads_without_valid: tuple[str, ...]
    earlier_plan_entries: int
    refused: int

    @property
    def state(self) -> str:
        return self.current.state if self.current else MISSING

    @property
    def needs_reminder(self) -> bool:
        """Missing (overdue or not) or invalid: something still has to come."""
        return self.current is None or self.current.state != VALID

    def as_data(self) -> dict[str, Any]:
        current = self.current
        return {
            "component": self.code,
            "name": self.name,
            "focal_point": self.focal_point,
            "state": self.state,
            "received": current is not None,
            "first_received_at": self.first.received_at if self.first else None,
            "received_at": current.received_at if current else None,
            "versions": self.versions,
            "current": current.number if current else None,
            "file": current.file_name if current else None,
            "errors": current.errors if current else None,
            "warnings": current.warnings if current else None,
            "due": self.due.isoformat() if self.due else None,
            "timeliness": self.timeliness,
            "leads_without_valid_submission": list(self.leads_without_valid),
            "earlier_plan_entries": self.earlier_plan_entries,
            "refused": self.refused,
        }


@dataclass(frozen=True)
class Board:
    """The board of one plan and round, on one day."""

    plan_id: str
    mission: str
    round: int
    today: dt.date
    rows: tuple[BoardRow, ...]
    earlier_plans: tuple[str, ...]
    period: str = ""  # a review period's board; '' for a planning round's

    def totals(self) -> dict[str, int]:
        rows = self.rows
        return {
            "expected": len(rows),
            "received": sum(1 for r in rows if r.current),
            "valid": sum(1 for r in rows if r.state == VALID),
            "on_time": sum(1 for r in rows if r.timeliness == ON_TIME),
            "late": sum(1 for r in rows if r.timeliness in (LATE, OVERDUE)),
            "missing": sum(1 for r in rows if r.current is None),
        }

    def as_data(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan_id,
            "mission": self.mission,
            "round": self.round,
            "period": self.period or None,
            "today": self.today.isoformat(),
            "components": [r.as_data() for r in self.rows],
            "totals": self.totals(),
            "earlier_plans": list(self.earlier_plans),
        }

    def text(self) -> str:
        template = (
            translate("{mission}: plan {plan_id}, review {period}, on {today}")
            if self.period
            else translate("{mission}: plan {plan_id}, round {round}, on {today}")
        )
        title = template.format(
            mission=self.mission,
            plan_id=self.plan_id,
            round=self.round,
            period=self.period,
            today=self.today,
        )
        header, *row_lines = _table(self.rows)
        lines = [title, header]
        for r, row_line in zip(self.rows, row_lines, strict=True):
            lines.append(row_line)
            notes = []
            if r.earlier_plan_entries:
                notes.append(translate("{entries} from an earlier plan").format(
                    entries=counted(r.earlier_plan_entries, "entry", "entries")))  # fmt: skip
            if r.refused:
                notes.append(translate("{count} refused").format(count=r.refused))
            if notes:
                lines.append(f"{'':<12} ({'; '.join(notes)})")
        t = self.totals()
        lines.append(
            translate(
                "{expected} expected: {received} received, {valid} valid, {on_time} on time, "
                "{late} late, {missing} missing"
            ).format(**t)
        )
        if self.earlier_plans:
            earlier = ", ".join(self.earlier_plans)
            lines.append(
                translate(
                    "The register also holds entries of earlier plans: {plans} "
                    "(missionplan history shows them)."
                ).format(plans=earlier)
            )
        return "\n".join(lines)


BOARD_COLUMNS = (
    ("component", 12, "<"),
    ("state", 8, "<"),
    ("vers", 4, ">"),
    ("current", 8, "<"),
    ("errors", 6, ">"),
    ("warn", 5, ">"),
    ("due", 10, "<"),
    ("timeliness", 12, "<"),
    ("leads without a valid submission", 0, "<"),
)
"""The board's columns as printed: header, narrowest width, alignment."""


def _table(rows: Sequence[BoardRow]) -> list[str]:
    """The board's header and one line a component, in the language spoken, each column as
    wide as its widest cell."""
    cells = [[translate(header, context="board") for header, _, _ in BOARD_COLUMNS]]
    for r in rows:
        c = r.current
        cells.append([
            r.code,
            translate(r.state, context="state"),
            str(r.versions),
            f"#{c.number}" if c else "-",
            str(c.errors) if c else "-",
            str(c.warnings) if c else "-",
            r.due.isoformat() if r.due else "-",
            translate(r.timeliness, context="timeliness"),
            ", ".join(r.leads_without_valid) or "-",
        ])  # fmt: skip
    widths = [
        max(narrowest, *(len(line[i]) for line in cells))
        for i, (_, narrowest, _) in enumerate(BOARD_COLUMNS)
    ]
    widths[-1] = 0  # the last column is not padded
    return [
        " ".join(f"{cell:{align}{width}}" for cell, width, (_, _, align) in
                 zip(line, widths, BOARD_COLUMNS, strict=True)).rstrip()
        for line in cells
    ]  # fmt: skip


def build_board(
    plan: Plan,
    schedule: Schedule,
    entries: Iterable[Entry],
    round: int,
    today: dt.date,
    period: str = "",
    expected: Sequence[str] = (),
) -> Board:
    """The board of the plan in a round, from every entry of the register.

    With a period, the board of that review period instead: one row per expected component
    (those given a review workbook), and their reviews of the period.
    """
    listed = sorted(entries, key=lambda e: e.number)
    plan_id = plan.id  # a hash of the whole plan: computed once, not per entry
    current = current_entries(listed, plan_id, round, period)
    kind = REVIEW_KIND if period else PLANNING_KIND
    if period:
        wanted = set(expected)
        components = [c for c in plan.components if c.code in wanted]
    else:
        components = list(plan.participants())
    rows = []
    for component in components:
        code = component.code
        mine = [e for e in listed if e.component == code]
        versions = [e for e in mine if in_slot(e, plan_id, kind, period, round)]
        usable = [e for e in versions if e.state != REFUSED]
        first = usable[0] if usable else None
        due = schedule.due_for(code) if round == schedule.round and not period else None
        now = current.get(code)
        valid = now is not None and now.state == VALID
        leads = () if valid or period else tuple(o.id for o in plan.led_by(code))
        rows.append(
            BoardRow(
                code=code,
                name=component.name,
                focal_point=component.focal_point,
                due=due,
                versions=len(usable),
                first=first,
                current=now,
                timeliness=timeliness(first, due, today),
                leads_without_valid=leads,
                earlier_plan_entries=sum(1 for e in mine if e.plan_id and e.plan_id != plan_id),
                refused=len(versions) - len(usable),
            )
        )
    earlier = sorted({e.plan_id for e in listed if e.plan_id and e.plan_id != plan_id})
    return Board(plan_id, plan.mission, round, today, tuple(rows), tuple(earlier), period)


def timeliness(first: Entry | None, due: dt.date | None, today: dt.date) -> str:
    """On time or late by the first version received; overdue when nothing came by the date."""
    if due is None:
        return NO_DUE_DATE
    if first is None:
        return OVERDUE if today > due else NOT_DUE
    received = dt.date.fromisoformat(first.received_at[:10])
    return ON_TIME if received <= due else LATE
