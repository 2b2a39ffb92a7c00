"""Upgrade a workbook: the file edge. Read the old workbook, write it on the current template.

`upgrade_workbook` is `missionplan upgrade OLD.xlsx --plan plan.yaml --out DIR` as one call:
the old workbook is read as validation reads any contract workbook (whatever plan or
template version it was made for), its values are carried by item id into the current
template of its component (rules.py), and the new workbook gets a sheet listing what
could not be carried. The old file is never modified.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from missionplan.errors import MissionplanError
from missionplan.export.distribution import component_layout, master_layout
from missionplan.export.run import workbook_name
from missionplan.planning.framework import Framework, load_framework
from missionplan.planning.plan import Plan, load_plan
from missionplan.schema.contract import BY_HEADER, CONTRACT_VERSION
from missionplan.schema.ids import MASTER_CODE
from missionplan.schema.language import translate
from missionplan.upgrade.rules import Left, Upgraded, upgrade_layout
from missionplan.workbook import styles
from missionplan.workbook.cells import put, save_workbook
from missionplan.workbook.files import ensure_writable, write_atomically
from missionplan.workbook.layout import WorkbookLayout
from missionplan.workbook.reader import Submission, read_submission
from missionplan.workbook.sheet import Page, Table, lay_out
from missionplan.workbook.writer import build_workbook

NOT_CARRIED_SHEET = "Not carried"
NOT_CARRIED_HEADERS = ("Item", "Output", "Field", "Value", "Why it was not carried")
"""Deliberately not the contract's headers (but Output), so no reader takes it for a plan sheet."""


@dataclass(frozen=True)
class UpgradeRun:
    """One old workbook carried into the current template."""

    source: Path
    path: Path
    component: str
    old_plan_id: str
    plan_id: str
    old_template: str
    upgraded: Upgraded

    def as_data(self) -> dict[str, Any]:
        return {
            "file": str(self.source),
            "path": str(self.path),
            "component": self.component,
            "from": {"plan_id": self.old_plan_id, "template_version": self.old_template},
            "to": {"plan_id": self.plan_id, "template_version": CONTRACT_VERSION},
            **self.upgraded.as_data(),
        }

    def text(self) -> str:
        left = self.upgraded.left
        lines = [
            f"wrote {self.path}: {self.component}'s workbook of plan {self.old_plan_id} "
            f"(template {self.old_template}) on plan {self.plan_id} (template "
            f"{CONTRACT_VERSION}), {self.upgraded.carried} items carried, "
            f"{len(left)} not carried"
        ]
        lines += [
            f"  not carried {x.item_id}" + (f" [{x.column}]" if x.column else "") + f": {x.why}"
            for x in left
        ]
        return "\n".join(lines)


def upgrade_workbook(
    old: Path,
    plan_file: Path,
    out_dir: Path,
    framework_file: Path | None = None,
    force: bool = False,
) -> UpgradeRun:
    """Carry one old workbook into the current template of its component, in out_dir."""
    from missionplan.validate.items import submitted_items  # pandas: only when needed

    framework = load_framework(framework_file)
    plan = load_plan(plan_file, framework)
    submission = read_submission(old)
    meta = submission.meta
    if meta.framework_fingerprint != framework.fingerprint:
        raise MissionplanError(
            f"{old}: made from another version of the framework '{meta.framework_id}'; "
            "give the framework it was exported from with --framework"
        )
    layout = _layout_for(meta.component, plan, framework, old)
    target = out_dir / workbook_name(plan, layout.code)
    if target.resolve() == old.resolve():
        raise MissionplanError(f"{target} is the workbook to upgrade; give another --out folder")
    ensure_writable(target, force)
    gone = gone_columns(submission)
    items = submitted_items(submission)
    upgraded = upgrade_layout(layout, items, submission.issued, plan, meta.round, meta.parent, gone)
    workbook = build_workbook(upgraded.layout)
    _not_carried_sheet(workbook, upgraded.left, plan)
    write_atomically(target, partial(save_workbook, workbook))
    return UpgradeRun(
        old, target, layout.code, meta.plan_id, plan.id, meta.contract_version, upgraded
    )


def _layout_for(code: str, plan: Plan, framework: Framework, old: Path) -> WorkbookLayout:
    if code == MASTER_CODE:
        return master_layout(framework, plan)
    component = plan.component(code)
    if component is None or component not in plan.participants():
        names = ", ".join(c.code for c in plan.participants())
        raise MissionplanError(
            f"{old}: {code} leads or supports no in-scope output of plan {plan.id}, so it has "
            f"no workbook to carry the values into; components with a workbook: {names}"
        )
    return component_layout(framework, plan, component)


def gone_columns(submission: Submission) -> list[Left]:
    """Values in columns the current template does not have (a header it does not know)."""
    from python_calamine import CalamineWorkbook

    left: list[Left] = []
    book = CalamineWorkbook.from_path(submission.file)
    for table in submission.sheets:
        rows = book.get_sheet_by_name(table.name).to_python(skip_empty_area=False)
        if len(rows) < table.header_row:
            continue
        header = rows[table.header_row - 1]
        known = set(table.columns.values())
        names = {at: " ".join(str(h).split()) for at, h in enumerate(header) if at not in known}
        unknown = {at: n for at, n in names.items() if n and n.casefold() not in BY_HEADER}
        id_at, output_at = table.columns.get("item_id"), table.columns.get("output_id")
        for _, cells in table.rows:
            for at, name in unknown.items():
                value = cells[at] if at < len(cells) else ""
                if value in ("", None):
                    continue
                item_id = str(cells[id_at]) if id_at is not None and id_at < len(cells) else ""
                output = str(cells[output_at]) if output_at is not None else ""
                why = f"column '{name}' is not in template version {CONTRACT_VERSION}"
                left.append(Left(item_id, output, name, str(value), why))
    return left


def _not_carried_sheet(wb: Workbook, left: tuple[Left, ...], plan: Plan) -> None:
    """A sheet after the Instructions listing what the upgrade could not carry."""
    ws = wb.create_sheet(NOT_CARRIED_SHEET, 1)
    for index, title in enumerate(NOT_CARRIED_HEADERS, start=1):
        cell = ws.cell(1, index)
        put(cell, title)
        cell.font = styles.HEADER_FONT
        cell.fill = styles.HEADER_FILL
        cell.alignment = styles.HEADER_ALIGN
    rows = [(x.item_id, x.output_id, x.column, x.value, x.why) for x in left]
    if not rows:
        rows = [("", "", "", "", translate("Everything was carried."))]
    for number, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            put(ws.cell(number, index), value)
            ws.cell(number, index).alignment = styles.WRAP
            ws.cell(number, index).font = styles.BODY_FONT
    lay_out(ws, Page(plan.mission, plan.id), [Table(1, len(rows) + 1, len(NOT_CARRIED_HEADERS))])
    ws.protection.sheet = True
