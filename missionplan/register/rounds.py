"""The round a plan is in and when it is due: `round:` and `due:` in the plan file.

`plan: round: 2` (a whole number, 1 when absent) numbers the exchange with the components;
`plan: due: 2027-02-15` is the round's due date, and `due:` on a component's entry under
`components:` gives that component another date. The plan id does not depend on them, so
moving a due date does not make the workbooks already sent out belong to another plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from missionplan.planning.fields import ProblemLog
from missionplan.planning.yamlfile import read_yaml


@dataclass(frozen=True)
class Schedule:
    """The plan's current round and its due dates."""

    round: int = 1
    due: dt.date | None = None
    component_due: dict[str, dt.date] = field(default_factory=dict)

    def due_for(self, code: str) -> dt.date | None:
        return self.component_due.get(code, self.due)


def read_schedule(plan_file: Path) -> Schedule:
    """The round and due dates of a plan file (already loaded and checked as a plan)."""
    root = read_yaml(plan_file)
    log = ProblemLog(str(plan_file))
    head: Any = root.get("plan") if isinstance(root, dict) else None
    head = head if isinstance(head, dict) else {}
    number = head.get("round", 1)
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        log.add(head, "plan", "'round' should be a whole number from 1", "round")
        number = 1
    due = _date(log, head, "plan")
    component_due: dict[str, dt.date] = {}
    for node in root.get("components") or [] if isinstance(root, dict) else []:
        if isinstance(node, dict) and "due" in node:
            day = _date(log, node, f"component {node.get('code', '')}")
            if day:
                component_due[str(node.get("code", ""))] = day
    log.raise_if_any()
    return Schedule(number, due, component_due)


def _date(log: ProblemLog, node: dict[str, Any], where: str) -> dt.date | None:
    value = node.get("due")
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    log.add(node, where, f"'due' is '{value}'; write a date as YYYY-MM-DD", "due")
    return None
