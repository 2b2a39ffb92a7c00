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

from missionplan.planning.filecheck import ProblemLog, check_file
from missionplan.planning.formats import PlanComponentEntry, PlanFile, PlanHead
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
    """The round and due dates of a plan file, read through the plan file's model."""
    log = ProblemLog(str(plan_file))
    checked = check_file(PlanFile, read_yaml(plan_file), log)
    log.raise_if_any()
    head = checked.part("plan", PlanHead)
    assert head is not None
    component_due = {
        entry.code: entry.due
        for entry in checked.entries("components", PlanComponentEntry)
        if entry.due is not None
    }
    return Schedule(head.round, head.due, component_due)
