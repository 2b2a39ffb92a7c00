"""What goes into each component's workbook: pure rules, no files.

A component fills in the framework items of the outputs it leads; for the
outputs it supports it sees those items as locked context and adds its own
items on prepared rows. Every added row has an id carrying the component's
code, unique across the plan and stable when the workbook is re-submitted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from missionplan.framework import Benchmark, Framework, FrameworkItem, Objective, Output
from missionplan.plan import OutputSetting, Plan, PlanComponent
from missionplan.schema.contract import ItemType

Role = Literal["lead", "support", "planning unit"]
ADDED_ROWS_PER_OUTPUT = 8
MASTER_CODE = "PLAN"
"""The code used for the master workbook (every in-scope output, for the planning unit)."""


@dataclass(frozen=True)
class TemplateRow:
    """One item row of a planning sheet, as exported."""

    output_id: str
    item_id: str
    item_type: ItemType | None
    text: str
    ref: str
    term: str | None
    editable: bool
    added: bool
    values: tuple[tuple[str, object], ...] = ()
    """Input values to write (a merged plan); empty for a blank template."""
    extra: tuple[object, ...] = ()
    """Values for the template's extra columns (e.g. provenance), after the contract's."""

    @property
    def fingerprint(self) -> str:
        """A hash of the locked framework content of this row (empty rows have none)."""
        if self.added:
            return ""
        return content_fingerprint(
            self.item_id, self.output_id, self.item_type, self.term, self.text
        )


@dataclass(frozen=True)
class OutputBlock:
    """One output on a sheet: its settings, this component's role, and its rows."""

    output: Output
    setting: OutputSetting
    role: Role
    rows: tuple[TemplateRow, ...]


@dataclass(frozen=True)
class ObjectiveSheet:
    objective: Objective
    blocks: tuple[OutputBlock, ...]


@dataclass(frozen=True)
class Template:
    """Everything one workbook holds, before it is written."""

    plan: Plan
    framework: Framework
    code: str
    name: str
    sheets: tuple[ObjectiveSheet, ...]
    extra_headers: tuple[str, ...] = ()
    """Headers of columns written after the contract's (e.g. a merged plan's provenance)."""

    @property
    def is_master(self) -> bool:
        return self.code == MASTER_CODE

    @property
    def rows(self) -> tuple[TemplateRow, ...]:
        return tuple(r for s in self.sheets for b in s.blocks for r in b.rows)


def _term(item: FrameworkItem | Benchmark) -> str | None:
    return item.term if isinstance(item, Benchmark) else None


def content_fingerprint(
    item_id: str, output_id: str, item_type: str | None, term: str | None, text: str
) -> str:
    """Fingerprint of a framework row's locked content, compared on validation."""
    blob = "\x1f".join([item_id, output_id, item_type or "", term or "", " ".join(text.split())])
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def added_item_id(output_id: str, code: str, number: int) -> str:
    """The id of the n-th row a component adds under an output, e.g. 3.1-PAD-01."""
    return f"{output_id}-{code}-{number:02d}"


def component_template(framework: Framework, plan: Plan, component: PlanComponent) -> Template:
    """The workbook of one component: outputs it leads (editable) and supports (context)."""
    roles: dict[str, Role] = {s.id: "lead" for s in plan.led_by(component.code)}
    roles.update({s.id: "support" for s in plan.supported_by(component.code)})
    return _template(framework, plan, component.code, component.name, roles)


def master_template(framework: Framework, plan: Plan) -> Template:
    """The planning unit's workbook: every in-scope output, everything editable."""
    roles: dict[str, Role] = {s.id: "planning unit" for s in plan.in_scope}
    return _template(framework, plan, MASTER_CODE, "Planning unit (all outputs)", roles)


def _template(
    framework: Framework, plan: Plan, code: str, name: str, roles: dict[str, Role]
) -> Template:
    sheets = []
    for objective in framework.objectives:
        blocks = []
        for output in objective.outputs:
            setting = plan.setting(output.id)
            if output.id in roles and setting is not None:
                role = roles[output.id]
                blocks.append(OutputBlock(output, setting, role, _rows(output, role, code)))
        if blocks:
            sheets.append(ObjectiveSheet(objective, tuple(blocks)))
    return Template(plan, framework, code, name, tuple(sheets))


def _rows(output: Output, role: Role, code: str) -> tuple[TemplateRow, ...]:
    editable = role != "support"
    rows = [
        TemplateRow(output.id, item.id, kind, item.text, item.ref, _term(item), editable, False)
        for kind, item in output.items_in_order()
    ]
    for number in range(1, ADDED_ROWS_PER_OUTPUT + 1):
        rows.append(
            TemplateRow(
                output.id,
                added_item_id(output.id, code, number),
                None,
                "",
                "added",
                None,
                True,
                True,
            )
        )
    return tuple(rows)
