"""What of an old workbook can be carried into the current template: pure rules, no files.

The values move by item id (export/carried.py's `fill_layout`, the same as a re-issue):
what the component could edit, and the rows a re-issue showed with their issued values.
Whatever finds no place under the current plan (an output now out of scope or no longer
this component's, a framework row it now only supports) is a `Left` item, with why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from missionplan.export.carried import fill_layout, has_values
from missionplan.planning.plan import Plan
from missionplan.schema.items import IssuedItem, SubmittedItem
from missionplan.workbook.layout import WorkbookLayout


@dataclass(frozen=True)
class Left:
    """One value, or a whole item, that could not be carried, and why."""

    item_id: str
    output_id: str
    column: str
    """The column's header ("" for the whole item)."""
    value: str
    why: str

    def as_data(self) -> dict[str, str]:
        return {"item_id": self.item_id, "output": self.output_id, "column": self.column,
                "value": self.value, "why": self.why}  # fmt: skip


@dataclass(frozen=True)
class Upgraded:
    """The current template's layout with the old values in it, and what was left out."""

    layout: WorkbookLayout
    carried: int
    left: tuple[Left, ...]

    def as_data(self) -> dict[str, Any]:
        return {"carried": self.carried, "not_carried": [x.as_data() for x in self.left]}


def upgrade_layout(
    layout: WorkbookLayout,
    items: Sequence[SubmittedItem],
    issued: Mapping[str, IssuedItem],
    plan: Plan,
    round_: int = 1,
    parent: str = "",
    gone: Sequence[Left] = (),
) -> Upgraded:
    """Carry the old workbook's items into the fresh layout of the component's workbook.

    `gone` are the values found in columns the current template no longer has (the file
    edge finds them); they are listed with the rest.
    """
    context = {r.item_id for r in layout.rows if not r.editable and not r.added}
    wanted = [
        i
        for i in items
        if i.added
        or (i.editable and i.item_id not in context)  # typed by the component: its rows only
        or (not i.editable and i.item_id in issued)  # shown as issued: wherever it is now
    ]
    filled, placed = fill_layout(layout, wanted, issued)
    left = [*gone]
    for item in items:
        if (
            not (item.editable or item.added)
            or item.item_id in placed
            or not (has_values(item) or item.added)
        ):
            continue
        left.append(Left(item.item_id, item.output_id, "", "", _why(item, layout, plan)))
    carried = sum(1 for i in wanted if i.item_id in placed and (has_values(i) or i.added))
    upgraded = replace(filled, round=round_, parent=parent)
    return Upgraded(upgraded, carried, tuple(left))


def _why(item: SubmittedItem, layout: WorkbookLayout, plan: Plan) -> str:
    setting = plan.setting(item.output_id)
    if setting is None or not setting.in_scope:
        return f"output {item.output_id} is not in scope of plan {plan.id}"
    roles = {b.output.id: b.role for s in layout.sheets for b in s.blocks}
    if item.output_id not in roles:
        return f"{layout.code} no longer leads or supports output {item.output_id}"
    return (
        f"{layout.code} now supports output {item.output_id}; its lead, {setting.lead}, "
        "fills in the framework rows"
    )
