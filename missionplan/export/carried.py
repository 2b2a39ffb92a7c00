"""Values carried into a fresh template by item id: pure rules, no files.

Re-issue (the next round, from the merged plan) and upgrade (a workbook filled on an
earlier plan or template) both start from a fresh layout (distribution.py) and put the
values they carry into it with `fill_layout`, by item id: framework rows keep their place,
the items a component added come back under their output with the same ids, and the
prepared empty rows are numbered after them. `assign` decides, for a re-issue, which
workbook each item of the merged plan goes to when the plan has changed; whatever fits
nowhere is a `Placement` with no workbook, so a report can list it. The reasons are in the
language spoken (the re-issue's report and Instructions speak the plan's language).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from missionplan.planning.plan import Plan
from missionplan.schema.contract import INPUT_KEYS
from missionplan.schema.ids import ADDED_REF, MASTER_CODE, added_by, next_added_ids
from missionplan.schema.items import IssuedItem, SubmittedItem, issued_text
from missionplan.schema.language import translate
from missionplan.workbook.layout import LayoutRow, SheetLayout, WorkbookLayout


@dataclass(frozen=True)
class Placement:
    """Where one carried item went: a workbook (`to`), or nowhere (`to` is "")."""

    item_id: str
    output_id: str
    to: str
    why: str

    def as_data(self) -> dict[str, str]:
        return {"item_id": self.item_id, "output": self.output_id, "to": self.to, "why": self.why}


def has_values(item: SubmittedItem) -> bool:
    """Whether an item holds anything a planner typed (an empty framework row does not)."""
    return any(item.value(key) not in (None, "") for key in INPUT_KEYS)


def issued_item(item: SubmittedItem, changed: str = "") -> IssuedItem:
    """The values an item is issued with: every input column's canonical text, in order."""
    return IssuedItem(
        item.item_id, tuple((key, issued_text(item.value(key))) for key in INPUT_KEYS), changed
    )


def fill_layout(
    layout: WorkbookLayout,
    items: Sequence[SubmittedItem],
    issued: Mapping[str, IssuedItem],
    taken: Iterable[str] = (),
) -> tuple[WorkbookLayout, set[str]]:
    """The layout with the items' values in their rows; returns it and the ids placed.

    A framework row takes the values of the item with its id. An added item goes under
    its output, before the prepared empty rows, which are then numbered after every id
    in `taken` and in `items` (so no id stands for two items). A row the component may
    not edit (context) takes values only when `issued` has them, so that validation can
    tell shown values from typed ones. Items whose output is not in the layout are left
    out of it (not in the ids returned). The issued values of every row placed that has
    an entry in `issued` go into the layout's `issued`.
    """
    by_id = {i.item_id: i for i in items}
    used = {*taken, *by_id}
    placed: set[str] = set()
    sheets = []
    for sheet in layout.sheets:
        blocks = []
        for block in sheet.blocks:
            rows: list[LayoutRow] = []
            for row in block.rows:
                if row.added:
                    continue
                item = by_id.get(row.item_id)
                if item is None or (not row.editable and row.item_id not in issued):
                    rows.append(row)
                    continue
                rows.append(replace(row, values=_inputs(item)))
                placed.add(row.item_id)
            for item in items:
                if item.added and item.output_id == block.output.id:
                    rows.append(_added_row(item))
                    placed.add(item.item_id)
            prepared = sum(1 for r in block.rows if r.added)
            fresh = next_added_ids(layout.code, [block.output.id] * prepared, used)
            rows += [
                LayoutRow(block.output.id, i, None, "", ADDED_REF, None, True, True) for i in fresh
            ]
            blocks.append(replace(block, rows=tuple(rows)))
        sheets.append(SheetLayout(sheet.objective, tuple(blocks)))
    kept = tuple(issued[i] for i in _row_ids(sheets) if i in placed and i in issued)
    return replace(layout, sheets=tuple(sheets), issued=kept), placed


def _row_ids(sheets: Sequence[SheetLayout]) -> list[str]:
    return [r.item_id for s in sheets for b in s.blocks for r in b.rows]


def _inputs(item: SubmittedItem) -> tuple[tuple[str, object], ...]:
    return tuple((key, item.value(key)) for key in INPUT_KEYS)


def _added_row(item: SubmittedItem) -> LayoutRow:
    """An item a component added, as a row of its own again (type and text editable)."""
    values = (*_inputs(item), ("term", item.value("term")))
    return LayoutRow.added_item(
        item.output_id, item.item_id, item.item_type, str(item.value("text") or ""), values
    )


def assign(
    items: Sequence[SubmittedItem], plan: Plan, codes: Mapping[str, set[str]]
) -> tuple[dict[str, list[SubmittedItem]], list[Placement]]:
    """Which workbook each added item of the merged plan goes to under the new plan.

    `codes` is each workbook's outputs (component code -> output ids). An added item goes
    back to the component whose code its id carries while that component still works on
    its output; otherwise to the output's lead (listed as moved). An item under an output
    out of scope goes nowhere (listed). The master workbook takes every in-scope item.
    Framework items need no assignment: each workbook shows those of its outputs.
    """
    given: dict[str, list[SubmittedItem]] = {code: [] for code in codes}
    placements: list[Placement] = []
    for item in items:
        setting = plan.setting(item.output_id)
        in_scope = setting is not None and setting.in_scope
        if MASTER_CODE in given and in_scope:
            given[MASTER_CODE].append(item)
        if not in_scope:
            if has_values(item) or item.added:
                why = translate("output {output} is not in scope of plan {plan}").format(
                    output=item.output_id, plan=plan.id
                )
                placements.append(Placement(item.item_id, item.output_id, "", why))
            continue
        if not item.added:
            continue
        owner = added_by(item.item_id)
        if item.output_id in codes.get(owner, set()):
            given[owner].append(item)
            continue
        assert setting is not None
        lead = setting.lead
        if lead in given:
            given[lead].append(item)
        known = plan.component(owner) is not None
        why = (
            translate(
                "{component} no longer leads or supports output {output}; its lead takes it"
            ).format(component=owner, output=item.output_id)
            if known
            else translate(
                "{component} is not in the plan any more; the output's lead takes it"
            ).format(component=owner or translate("its author"))
        )
        placements.append(Placement(item.item_id, item.output_id, lead, why))
    return given, placements


OUTPUT_CHANGES: tuple[str, ...] = ("new", "out of scope", "new lead")
"""How an output can change between rounds: codes, shown in words (context "output change")."""


@dataclass(frozen=True)
class OutputChange:
    """How one output changed between the parent plan and the new one."""

    output_id: str
    change: str
    """'new' (in scope now, not before), 'out of scope' (before, not now) or 'new lead'."""
    detail: str = ""

    def as_data(self) -> dict[str, str]:
        return {"output": self.output_id, "change": self.change, "detail": self.detail}


def output_changes(before: Mapping[str, str], plan: Plan) -> list[OutputChange]:
    """Outputs new, out of scope or with a new lead; `before` is output id -> its lead then."""
    now = {s.id: s.lead for s in plan.in_scope}
    lead = translate("lead {component}").format
    changes = [OutputChange(o, "new", lead(component=now[o])) for o in now if o not in before]
    changes += [OutputChange(o, "out of scope") for o in before if o not in now]
    changes += [
        OutputChange(o, "new lead", f"{before[o]} -> {now[o]}")
        for o in now
        if o in before and before[o] and before[o] != now[o]
    ]
    return sorted(changes, key=lambda c: [int(p) for p in c.output_id.split(".")])
