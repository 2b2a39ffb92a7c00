"""What goes into each component's workbook: pure rules, no files.

A component fills in the framework items of the outputs it leads; for the
outputs it supports it sees those items as locked context and adds its own
items on prepared rows. Every added row has an id carrying the component's
code, unique across the plan and stable when the workbook is re-submitted.
"""

from __future__ import annotations

from missionplan.planning.framework import Benchmark, Framework, FrameworkItem, Output
from missionplan.planning.plan import Plan, PlanComponent
from missionplan.schema.contract import OutputRole
from missionplan.schema.ids import ADDED_REF, MASTER_CODE, added_item_id
from missionplan.workbook.layout import LayoutRow, OutputBlock, SheetLayout, WorkbookLayout

ADDED_ROWS_PER_OUTPUT = 8


def component_layout(framework: Framework, plan: Plan, component: PlanComponent) -> WorkbookLayout:
    """The workbook of one component: outputs it leads (editable) and supports (context)."""
    roles: dict[str, OutputRole] = {s.id: "lead" for s in plan.led_by(component.code)}
    roles.update({s.id: "support" for s in plan.supported_by(component.code)})
    return _layout(framework, plan, component.code, component.name, roles)


def master_layout(framework: Framework, plan: Plan) -> WorkbookLayout:
    """The planning unit's workbook: every in-scope output, everything editable."""
    roles: dict[str, OutputRole] = {s.id: "planning unit" for s in plan.in_scope}
    return _layout(framework, plan, MASTER_CODE, "Planning unit (all outputs)", roles)


def _layout(
    framework: Framework, plan: Plan, code: str, name: str, roles: dict[str, OutputRole]
) -> WorkbookLayout:
    sheets = []
    for objective in framework.objectives:
        blocks = []
        for output in objective.outputs:
            setting = plan.setting(output.id)
            if output.id in roles and setting is not None:
                role = roles[output.id]
                blocks.append(OutputBlock(output, setting, role, _rows(output, role, code)))
        if blocks:
            sheets.append(SheetLayout(objective, tuple(blocks)))
    return WorkbookLayout(plan, framework, code, name, tuple(sheets))


def _term(item: FrameworkItem | Benchmark) -> str | None:
    return item.term if isinstance(item, Benchmark) else None


def _rows(output: Output, role: OutputRole, code: str) -> tuple[LayoutRow, ...]:
    editable = role != "support"
    rows = [
        LayoutRow(output.id, item.id, kind, item.text, item.ref, _term(item), editable, False)
        for kind, item in output.items_in_order()
    ]
    for number in range(1, ADDED_ROWS_PER_OUTPUT + 1):
        rows.append(
            LayoutRow(
                output.id,
                added_item_id(output.id, code, number),
                None,
                "",
                ADDED_REF,
                None,
                True,
                True,
            )
        )
    return tuple(rows)
