"""The next round's workbooks, pre-filled from the merged plan: pure rules, no files.

Each workbook of the new plan gets the framework items of its outputs (the ones it leads
to revise, the ones it supports as context with the lead's values shown), and the items
its component added (carried.py: `assign` says where each goes when the plan changed,
`fill_layout` puts them in). Every pre-filled row records the values it was issued with,
and the Instructions sheet says which round this is and what changed since the last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from missionplan.export.carried import (
    OutputChange,
    Placement,
    assign,
    fill_layout,
    has_values,
    issued_item,
    output_changes,
)
from missionplan.planning.plan import Plan
from missionplan.schema.items import SubmittedItem
from missionplan.schema.language import translate
from missionplan.workbook.layout import WorkbookLayout
from missionplan.workbook.metadata import WorkbookMeta


@dataclass(frozen=True)
class Parent:
    """A merged plan read back for a re-issue: its file, fingerprint, metadata and items."""

    file: Path
    sha256: str
    meta: WorkbookMeta
    items: tuple[SubmittedItem, ...]
    changed: dict[str, str]
    """Item id -> who last changed it, from the merged plan's provenance ("HOM, round 1")."""


@dataclass(frozen=True)
class Reissue:
    """What a re-issue carried: the round, its parent, and where every item went."""

    round: int
    parent: Parent
    carried: dict[str, int]
    """Workbook code -> how many pre-filled rows it holds."""
    placements: tuple[Placement, ...]
    """Items that did not go back where they were: moved to another workbook, or nowhere."""
    changes: tuple[OutputChange, ...]

    @property
    def not_carried(self) -> tuple[Placement, ...]:
        return tuple(p for p in self.placements if not p.to)

    def as_data(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "parent": {"file": str(self.parent.file), "sha256": self.parent.sha256,
                       "round": self.parent.meta.round, "plan_id": self.parent.meta.plan_id},
            "outputs": [c.as_data() for c in self.changes],
            "moved": [p.as_data() for p in self.placements if p.to],
            "not_carried": [p.as_data() for p in self.not_carried],
        }  # fmt: skip

    def text_lines(self) -> list[str]:
        """The report for people: round, parent, output changes, every item moved or left."""
        lines = [
            translate(
                "round {round}, re-issued from {file} (round {parent_round}, SHA-256 {sha}...)"
            ).format(round=self.round, file=self.parent.file,
                     parent_round=self.parent.meta.round, sha=self.parent.sha256[:12])
        ]  # fmt: skip
        output = translate("output {output}: {change}")
        lines += [output.format(output=c.output_id,
                                change=translate(c.change, context="output change"))
                  + (f" ({c.detail})" if c.detail else "") for c in self.changes]  # fmt: skip
        moved = translate("moved {item} to {to}: {why}")
        lines += [moved.format(item=p.item_id, to=p.to, why=p.why)
                  for p in self.placements if p.to]  # fmt: skip
        left = translate("not carried {item}: {why}")
        lines += [left.format(item=p.item_id, why=p.why) for p in self.not_carried]
        return lines


def reissued_layouts(
    plan: Plan,
    parent: Parent,
    plan_round: int,
    chosen: Sequence[WorkbookLayout],
    everyone: Sequence[WorkbookLayout],
) -> tuple[list[WorkbookLayout], Reissue]:
    """The chosen fresh layouts filled from the parent; `everyone` decides where items go.

    The round is the parent's plus one, or the plan file's `round:` when that is larger.
    """
    round_ = max(parent.meta.round + 1, plan_round)
    outputs = {
        layout.code: {b.output.id for s in layout.sheets for b in s.blocks}
        for layout in [*everyone, *chosen]
    }
    given, placements = assign(parent.items, plan, outputs)
    framework_items = [i for i in parent.items if not i.added]
    issued = {  # rows issued with values; an empty framework row is as a fresh template's
        i.item_id: issued_item(i, parent.changed.get(i.item_id, ""))
        for i in parent.items
        if has_values(i) or i.added
    }
    taken = [i.item_id for i in parent.items]
    changes = output_changes({o.id: o.lead for o in parent.meta.outputs}, plan)
    layouts, carried = [], {}
    for layout in chosen:
        items = [*framework_items, *given.get(layout.code, [])]
        filled, _ = fill_layout(layout, items, issued, taken)
        moved_here = [p.item_id for p in placements if p.to == layout.code]
        notes = _notes(round_ - 1, len(filled.issued), changes, moved_here)
        layouts.append(replace(filled, round=round_, parent=parent.sha256, notes=notes))
        carried[layout.code] = len(filled.issued)
    return layouts, Reissue(round_, parent, carried, tuple(placements), tuple(changes))


def _notes(
    last: int, count: int, changes: Sequence[OutputChange], moved: Sequence[str]
) -> tuple[str, ...]:
    """What the Instructions sheet says changed since the last round."""
    notes = [
        translate(
            "Pre-filled from the merged plan of round {round}: {count} rows carried. "
            "Revise what has changed; the rest stays as it is."
        ).format(round=last, count=count)
    ]
    for change, message in (
        ("new", translate("Outputs new in scope: {outputs}.")),
        ("out of scope", translate("Outputs no longer in scope: {outputs}.")),
        ("new lead", translate("Outputs with a new lead: {outputs}.")),
    ):
        listed = [f"{c.output_id} ({c.detail})" if c.detail else c.output_id
                  for c in changes if c.change == change]  # fmt: skip
        if listed:
            notes.append(message.format(outputs=", ".join(listed)))
    if moved:
        notes.append(
            translate(
                "Items added by components that no longer work on their output, now yours: {items}."
            ).format(items=", ".join(moved))
        )
    return tuple(notes)
