"""The fixed scenario behind the golden workbooks: one small plan, its exports, a merged plan.

The plan is the built-in framework's starter plan with four outputs in scope:
  3.4  lead HOM,   support UNDP, OHCHR
  4.5  lead UNPOL, support FORCE        (priority high)
  5.5  lead UNPOL, support MLT
  5.7  lead SSR,   support DDR, FORCE   (priority low)
so UNPOL only leads (4.5 and 5.5, on two objective sheets) and FORCE only supports (4.5
and 5.7, on two objective sheets). The merged plan is made from every participant's
workbook filled with the demo's sample values, except OHCHR's, which never comes back
(so the Gaps sheet has something to show). Everything is fixed: dates, names, values and
file names, so the same code writes the same parts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from missionplan.demo.samples import as_fill, sample_values
from missionplan.export.distribution import component_layout
from missionplan.export.run import export_workbooks
from missionplan.merge.run import merge_files
from missionplan.planning.framework import Framework
from missionplan.planning.plan import Plan, load_plan, starter_plan_text
from missionplan.schema.contract import Priority
from missionplan.workbook.fill import fill_workbook

START = dt.date(2027, 1, 1)
MISSION = "UN Integrated Mission in Carana"
MANDATE = "S/RES/9999 (2026)"
IN_SCOPE = frozenset({"3.4", "4.5", "5.5", "5.7"})
PRIORITIES: dict[str, Priority] = {"4.5": "high", "5.7": "low"}
LEAD_ONLY = "UNPOL"
SUPPORT_ONLY = "FORCE"
NOT_RETURNED = frozenset({"OHCHR"})

LEAD = "component-lead"
SUPPORT = "component-support"
MASTER = "master"
MERGED = "merged-plan"
EXPORTED = (LEAD, SUPPORT, MASTER)
"""The golden names of the exported roles, in the order export_roles returns them."""


def golden_plan(framework: Framework, folder: Path) -> Plan:
    """The plan, written to folder/plan.yaml and loaded like a user's plan."""
    path = folder / "plan.yaml"
    text = starter_plan_text(framework, START, MISSION, MANDATE, set(IN_SCOPE), PRIORITIES)
    path.write_text(text, encoding="utf-8")
    return load_plan(path, framework)


def export_roles(framework: Framework, plan: Plan, folder: Path) -> dict[str, Path]:
    """The lead-only and support-only components' workbooks and the master, by golden name."""
    paths = export_workbooks(framework, plan, folder, [LEAD_ONLY, SUPPORT_ONLY], master=True)
    return dict(zip(EXPORTED, paths, strict=True))


def merged_plan(framework: Framework, plan: Plan, folder: Path) -> Path:
    """Every participant's workbook filled with sample values (but OHCHR's), merged."""
    exported = export_workbooks(framework, plan, folder / "exported")
    returned = folder / "returned"
    returned.mkdir()
    inputs = []
    for component, path in zip(plan.participants(), exported, strict=True):
        if component.code in NOT_RETURNED:
            continue
        values = as_fill(sample_values(component_layout(framework, plan, component)))
        inputs.append(fill_workbook(path, values, returned / f"{component.code}.xlsx"))
    out = folder / f"{MERGED}.xlsx"
    merge_files(inputs, framework, out, plan)
    return out
